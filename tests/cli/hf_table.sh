#!/usr/bin/env bash
# `lineage import hf-table` on a generated table: the imported catalog's
# roots (and a few ancestries) must match the same graph written directly as
# YAML. N rows (default 20000; HF_TABLE_ROWS=1000000 for the full size).
set -u
bin=${1:?usage: hf_table.sh path/to/lineage}
command -v python3 >/dev/null || { echo "hf_table: no python3; skipped"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LINEAGE_CACHE=$tmp/cache
unset LINEAGE_DATA
n=${HF_TABLE_ROWS:-20000}
python3 "$here/hf_table_gen.py" "$n" "$tmp/t.csv" "$tmp/direct.yaml" || exit 1
"$bin" import hf-table "$tmp/t.csv" -o "$tmp/imported.yaml" 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
grep -q "^lineage: $n rows imported, 0 skipped; $n models written" "$tmp/err" || { cat "$tmp/err"; exit 1; }
fail=0
last="org$(((n - 1) % 977))/M$((n - 1))"
for q in "roots" "roots --relation merge" "roots --members --top 3" "ancestors $last" "descendants org0/M0 --depth 2"; do
	"$bin" $q --data "$tmp/imported.yaml" >"$tmp/a" 2>&1
	"$bin" $q --data "$tmp/direct.yaml" >"$tmp/b" 2>&1
	if ! cmp -s "$tmp/a" "$tmp/b"; then
		echo "hf_table: '$q' differs between the imported table and the same graph as YAML:"
		diff "$tmp/a" "$tmp/b" | head -20
		fail=1
	fi
done
[ $fail = 0 ] && echo "hf_table: $n rows, roots, ancestors and descendants match"
exit $fail
