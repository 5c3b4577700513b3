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
echo "progress: ok"
