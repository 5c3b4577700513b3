#!/usr/bin/env bash
# Draws the huge-family diagram: the descendants of a base with more than
# 100,000 of them, from a synthetic Hub-shaped catalog, collapsed to the
# default --max-nodes budget (150 boxes).
#
#   bash bench/hub-diagram.sh
#
# Generates (cached) a 200,000-model catalog with gen_catalog.py --zipf 1.8
# (its biggest base has 109,742 descendants) into $HUB_DATA, then draws that
# base's descendants with lineage's own atomic -o into
#   $OUT/hub-family.svg      the diagram (embedded in the top-level README)
#   $GRAPH/hub-family.dot    its Graphviz source
#   $GRAPH/hub-family.mmd    a Mermaid version (collapsed further if needed)
# The names are outside the family-* pattern that `lineage docs` prunes.
# The same generator and lineage always give the same bytes; a test
# (tests/cli/hub_diagram.sh) regenerates them and compares.
#
# Environment:
#   LINEAGE=PATH   the binary (default: build/lineage, as the README builds it)
#   HUB_DATA=DIR   where the catalog is cached (default: bench/data, git-ignored);
#                  remade when gen_catalog.py changes
#   OUT=DIR, GRAPH=DIR   where the files go (default: out and graph)
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
LINEAGE=${LINEAGE:-$ROOT/build/lineage}
HUB_DATA=${HUB_DATA:-$HERE/data}
OUT=${OUT:-$ROOT/out}
GRAPH=${GRAPH:-$ROOT/graph}
N=200000 SEED=1 ZIPF=1.8

command -v python3 >/dev/null || { echo "hub-diagram: python3 is missing (apt-get install -y python3)" >&2; exit 2; }
[ -x "$LINEAGE" ] || { echo "hub-diagram: $LINEAGE is not an executable; build it or set LINEAGE" >&2; exit 2; }
mkdir -p "$HUB_DATA" "$OUT" "$GRAPH"

since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f s", b - a }'; }

# the catalog, cached under a stamp of the generator and its arguments
cat=$HUB_DATA/hub-$N-seed$SEED-zipf$ZIPF.yaml
queries=${cat%.yaml}.queries.json
stamp="$(sha256sum <"$HERE/gen_catalog.py" | cut -d' ' -f1) $N $SEED $ZIPF"
if [ ! -s "$cat" ] || [ ! -s "$queries" ] || [ "$(cat "$cat.stamp" 2>/dev/null)" != "$stamp" ]; then
	t0=$EPOCHREALTIME
	tmp=$HUB_DATA/hub.tmp$$
	mkdir -p "$tmp"
	trap 'rm -rf "$tmp"' EXIT
	python3 "$HERE/gen_catalog.py" "$N" "$tmp/c.yaml" --seed "$SEED" --zipf "$ZIPF" 2>"$tmp/log" ||
		{ cat "$tmp/log" >&2; exit 1; }
	mv "$tmp/c.queries.json" "$queries"
	mv "$tmp/c.yaml" "$cat"
	echo "$stamp" >"$cat.stamp"
	echo "hub-diagram: generated $cat ($(since "$t0"))" >&2
fi

# the biggest base and the caption's first line, from the generator's queries file
{ read -r base; read -r title; } < <(python3 - "$queries" <<'EOF'
import json, sys
q = json.load(open(sys.argv[1]))
print(q["base"])
print(f"{q['base'].split('/')[-1]} and its {q['base_descendants']:,} descendants, "
      f"in a synthetic Hub-shaped catalog of {q['models']:,} models")
EOF
)

# three draws at once (each loads the catalog: ~1 s on a plain build)
t0=$EPOCHREALTIME
pids=()
for f in "$OUT/hub-family.svg" "$GRAPH/hub-family.dot" "$GRAPH/hub-family.mmd"; do
	"$LINEAGE" draw "$base" --descendants --data "$cat" --title "$title" -o "$f" &
	pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
[ $rc = 0 ] || { echo "hub-diagram: lineage draw failed" >&2; exit 1; }
echo "hub-diagram: drew $base into $OUT/hub-family.svg, $GRAPH/hub-family.dot and .mmd ($(since "$t0"))" >&2
