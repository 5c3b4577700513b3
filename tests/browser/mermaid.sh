#!/usr/bin/env bash
# Lineage's Mermaid output in a real Mermaid, offline (mermaid.py): the
# diagrams of the hostile fixtures (Mermaid directives in names, separators,
# noncharacters, look-alikes), the Mermaid blocks of their out/README.md and
# the shipped catalog's graph/*.mmd, rendered by Mermaid in Debian's headless
# chromium: each must render, no directive may change its CSS, and nothing
# outside file: may be requested.
#
# Mermaid is not a Debian package, so this test skips (exit 77) unless
# mermaid.min.js is found: $MERMAID_JS, or BUILD_DIR/mermaid-test after
#   npm install --prefix BUILD_DIR/mermaid-test mermaid@11   (or mermaid@10)
# It also needs python3-selenium, chromium and chromium-driver (apt).
# usage: mermaid.sh path/to/lineage BUILD_DIR
set -u
bin=${1:?usage: mermaid.sh path/to/lineage BUILD_DIR}
build=${2:?usage: mermaid.sh path/to/lineage BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
js=${MERMAID_JS:-$build/mermaid-test/node_modules/mermaid/dist/mermaid.min.js}
skip() { echo "mermaid: skipped: $1"; exit 77; }
[ -f "$js" ] || skip "no mermaid.min.js (npm install --prefix $build/mermaid-test mermaid@11, or set MERMAID_JS)"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || skip "no chromium (apt-get install chromium)"
[ -x "${CHROMEDRIVER:-/usr/bin/chromedriver}" ] || skip "no chromedriver (apt-get install chromium-driver)"
/usr/bin/python3 -c 'import selenium' 2>/dev/null || skip "no python3-selenium (apt-get install python3-selenium)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LINEAGE_CACHE=off
n=0
for f in tests/fixtures/hostile/forged-lines.yaml tests/fixtures/hostile/hostile.yaml \
         tests/fixtures/hostile/lookalikes.yaml tests/fixtures/hostile/terminal-escapes.yaml data; do
  n=$((n + 1))
  "$bin" docs --data "$f" --out "$tmp/out$n" --graph "$tmp/graph$n" >/dev/null 2>&1 ||
    { echo "mermaid: lineage docs failed on $f"; exit 1; }
  # the README's blocks, as GitHub hands them to Mermaid
  awk -v dir="$tmp/out$n" '/^```mermaid/{k++; f=dir "/readme-" k ".mmd"; next} /^```/{f=""} f{print > f}' \
    "$tmp/out$n/README.md"
done
"$bin" draw directive --ancestors -f mermaid -o "$tmp/directive.mmd" --data tests/fixtures/hostile/forged-lines.yaml
echo "mermaid: Mermaid $(sed -n 's/^  "version": "\(.*\)",/\1/p' "$(dirname "$js")/../package.json" 2>/dev/null) from $js"
exec /usr/bin/python3 "$here/mermaid.py" "$js" "$tmp"/graph*/*.mmd "$tmp"/out*/readme-*.mmd "$tmp/directive.mmd"
