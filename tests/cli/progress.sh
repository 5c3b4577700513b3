#!/usr/bin/env bash
# Progress on long work: nothing on standard error when it is not a
# terminal (a file here, as in every other test), even with the delay at
# 0 ms; on a pseudo-terminal (script(1) from bsdutils, skipped without it)
# the updating line appears and is cleared.
#
#   bash tests/cli/progress.sh path/to/lineage
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LINEAGE_CACHE=$tmp/cache LINEAGE_PROGRESS=0
cat=$PWD/data
fail() { echo "progress: $*" >&2; exit 1; }

for args in "check --quiet" "cache" "cache" "stats"; do
	# shellcheck disable=SC2086
	"$bin" $args --data "$cat" >"$tmp/out" 2>"$tmp/err"
	[ ! -s "$tmp/err" ] || fail "'$args' wrote to a standard error that is not a terminal: $(od -c "$tmp/err" | head -3)"
done
# an import's warnings may go there, never a progress line
"$bin" import hf tests/fixtures/hf/real -o "$tmp/hf.yaml" --quiet 2>"$tmp/err" || true
! grep -q $'\r' "$tmp/err" || fail "import drew progress into a file"

if ! command -v script >/dev/null; then
	echo "progress: script(1) missing: the terminal half skipped"
	exit 0
fi
rm -rf "$LINEAGE_CACHE"
# a build: reading, checking, writing the image; stdout and stderr both go
# to the pseudo-terminal, script copies them to $tmp/tty
script -qec "'$bin' cache --data '$cat' >/dev/null" "$tmp/tty" >/dev/null
grep -q $'\r\033\\[Klineage: reading ' "$tmp/tty" || fail "no progress line on a terminal: $(od -c "$tmp/tty" | head -5)"
grep -q 'lineage: writing the cache image' "$tmp/tty" || fail "the image build not shown"
# the last thing drawn clears the line (script(1) adds a footer after it)
python3 -c 'import sys; d = open(sys.argv[1], encoding="utf-8", errors="replace", newline="").read(); sys.exit(d.rfind("\r\033[K") < d.rfind("lineage: "))' "$tmp/tty" ||
	fail "the line was not cleared at the end"
# LINEAGE_PROGRESS=off: never
LINEAGE_PROGRESS=off script -qec "'$bin' check --quiet --data '$cat'" "$tmp/tty2" >/dev/null
! grep -q 'lineage: ' "$tmp/tty2" || fail "LINEAGE_PROGRESS=off still drew"
# an import of a Hub table: reading it, then writing the YAML; nothing in
# a file, and on a terminal each line cleared before the warnings and the
# summary are printed
tab=$PWD/tests/fixtures/hf/table/real-cards.csv
"$bin" import hf-table "$tab" -o "$tmp/t.yaml" 2>"$tmp/err" || fail "import hf-table failed: $(cat "$tmp/err")"
! grep -q $'\r' "$tmp/err" || fail "import hf-table drew progress into a file"
script -qec "'$bin' import hf-table '$tab' -o '$tmp/t.yaml'" "$tmp/tty3" >/dev/null
grep -q $'\r\033\\[Klineage: reading .*real-cards.csv' "$tmp/tty3" || fail "no progress reading the table: $(od -c "$tmp/tty3" | head -5)"
grep -q $'\r\033\\[Klineage: writing .*t.yaml' "$tmp/tty3" || fail "no progress writing the YAML"
python3 - "$tmp/tty3" <<'PY' || fail "a progress line was not cleared before a message: $(od -c "$tmp/tty3" | tail -8)"
import sys
d = open(sys.argv[1], encoding="utf-8", errors="replace", newline="").read()
for msg in ("warning: base model", "lineage: 40 rows imported"):
    at = d.find(msg)
    if at < 0:
        sys.exit(1)
    # what was drawn on the message's line before it: a progress line,
    # then the sequence that clears it, or nothing
    drawn = d[d.rfind("\n", 0, at) + 1:at]
    drawn = drawn[drawn.rfind("\r\033[K") + 4:] if "\r\033[K" in drawn else drawn
    if "lineage: " in drawn:
        sys.exit(1)
PY
echo "progress: ok"
