#!/usr/bin/env bash
# `lineage import hf-table` at Hub scale (issue 15): generates a table of N
# rows (ROWS, default 1,000,000; tests/cli/hf_table_gen.py, seeded, so the
# same bytes every time) in $TMPDIR, times the import with /usr/bin/time
# (wall, user and system CPU, peak RSS; REPEAT runs, default 3), and with
# CHECK=1 runs tests/cli/hf_table.sh at that size: roots, ancestors and
# descendants of the imported table against the same graph written directly
# as YAML. Never part of ctest (a million rows are minutes of checking).
#
#   bash bench/hf-table.sh [path/to/lineage]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "${1:-build/lineage}")" && pwd)/$(basename "${1:-build/lineage}")
rows=${ROWS:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x /usr/bin/time ] || { echo "hf-table: /usr/bin/time (Debian's time) is needed" >&2; exit 1; }
python3 "$here/../tests/cli/hf_table_gen.py" "$rows" "$tmp/t.csv" "$tmp/direct.yaml"
echo "hf-table: $rows rows, $(du -m "$tmp/t.csv" | cut -f1) MB of CSV; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "${REPEAT:-3}"); do
	/usr/bin/time -o "$tmp/time" -f "hf-table: run $i: %e s wall, %U s user, %S s system, %M KB peak RSS" \
		"$bin" import hf-table "$tmp/t.csv" -o "$tmp/imported.yaml" --quiet
	cat "$tmp/time"
done
echo "hf-table: $(du -m "$tmp/imported.yaml" | cut -f1) MB of YAML written"
if [ "${CHECK:-0}" = 1 ]; then
	HF_TABLE_ROWS=$rows bash "$here/../tests/cli/hf_table.sh" "$bin"
fi
