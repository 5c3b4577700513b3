#!/usr/bin/env bash
# The docs page in a real browser. Generates the documentation set from data/
# into a temporary directory, then:
#  1. Debian's chromium, headless, opens out/index.html from disk (file://),
#     takes a screenshot and dumps the DOM after a search given in the URL
#     (#q=MODEL): the dump must list the model's ancestors, and chromium's
#     log must show no console error.
#  2. Debian's python3-selenium drives the same chromium through Debian's
#     chromium-driver (no npm): types the model into the search box, checks
#     the ancestors listed, every figure's SVG, overlaps in the evolution
#     tree, console errors and network requests, and takes screenshots
#     (check.py).
# A phase that cannot run (no chromium; no selenium or chromedriver) is
# skipped and says why; the test then exits 77, which ctest reports as
# Skipped (SKIP_RETURN_CODE), never as Passed.
# usage: run.sh path/to/lineage BUILD_DIR   (SHOTS=dir keeps the screenshots)
set -u
bin=${1:?usage: run.sh path/to/lineage BUILD_DIR}
build=${2:?usage: run.sh path/to/lineage BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
model=${MODEL:-Chinese-Vicuna}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shots=${SHOTS:-$tmp/shots}
mkdir -p "$shots"
passed=0 failed=0
fail() { echo "browser: $1"; failed=$((failed + 1)); }
pass() { passed=$((passed + 1)); }

if [ ! -x "$chromium" ]; then
  echo "browser: skipped: $chromium not found (apt-get install chromium)"
  exit 77
fi
"$bin" docs --data data --out "$tmp/out" --graph "$tmp/graph" || { echo "browser: lineage docs failed"; exit 1; }
page=$tmp/out/index.html
figures=$(( $(ls "$tmp"/out/family-*.svg | wc -l) + 1 ))
# what the search must list: the CLI's answer
want=$("$bin" ancestors "$model" --data data --format json | grep -o '"id":"[^"]*"' | sed 's/"id":"\(.*\)"/\1/' | sort | paste -sd, -)
[ -n "$want" ] || fail "no ancestors of $model from the CLI"

flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$tmp/profile"
       --enable-logging=stderr --v=0)
q=$(printf '%s' "$model" | sed 's/ /%20/g')

# 1. plain chromium
timeout 120 "$chromium" "${flags[@]}" --window-size=1400,1000 --screenshot="$shots/chromium.png" \
  "file://$page" >"$tmp/shot.out" 2>"$tmp/shot.err"
if [ -s "$shots/chromium.png" ]; then pass; else fail "no screenshot: $(tail -3 "$tmp/shot.err")"; fi
timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$page#q=$q" >"$tmp/dom.html" 2>"$tmp/dom.err"
got=$(grep -o '<li data-id="[^"]*"' "$tmp/dom.html" | sed 's/<li data-id="\(.*\)"/\1/' | sort -u | paste -sd, -)
# the dump holds ancestors and descendants: every ancestor must be there
missing=$(comm -23 <(tr , '\n' <<<"$want" | sort) <(tr , '\n' <<<"$got" | sort) | paste -sd, -)
if grep -q '<ol id="ancestors">' "$tmp/dom.html" && [ -z "$missing" ]; then pass
else fail "search in the dumped DOM: missing ancestors '$missing'"; fi
if grep -E 'CONSOLE|Uncaught' "$tmp/dom.err" "$tmp/shot.err" | grep -v 'dbus' >"$tmp/console"; then
  fail "console messages: $(head -3 "$tmp/console")"
else pass; fi
svgs=$(grep -c '<svg ' "$tmp/dom.html")
if [ "$svgs" -ge "$figures" ]; then pass; else fail "$svgs inline SVGs in the page, expected $figures"; fi

# 2. selenium: Debian's python3-selenium and chromium-driver
py=${PYTHON:-/usr/bin/python3}
driver=${CHROMEDRIVER:-/usr/bin/chromedriver}
skipped=0
if [ -x "$driver" ] && "$py" -c 'import selenium' 2>/dev/null; then
  if CHROMIUM=$chromium CHROMEDRIVER=$driver timeout 300 "$py" "$here/check.py" "$page" "$shots" "$model" "$want" "$figures"; then pass
  else fail "selenium checks failed"; fi
else
  echo "browser: selenium checks skipped: they need $driver and python3-selenium for $py (apt-get install chromium-driver python3-selenium)"
  skipped=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] || exit 1
[ "$skipped" = 0 ] || exit 77
exit 0
