#!/usr/bin/env bash
# Times lineage against the NetworkX and SQLite peers and libyaml's bare
# parse (the floor of a cold load) on synthetic Hub-shaped catalogs.
#
#   bash bench/run.sh [SIZES...]          (default: 1000 100000 1000000)
#
# For each size: generates bench/data/catalog-N.yaml (cached; remade when
# gen_catalog.py changes), runs the lineage CLI under /usr/bin/time (each
# warm call REPEAT times, the median kept), then the same work once in one
# process through the library (bench/inproc.c), libyaml's bare event parse
# of the file (bench/yaml_floor.c), the SQLite peer (bench/peer_sqlite.sh:
# loaded once, untimed with the queries, then each query a recursive CTE
# through the sqlite3 CLI, REPEAT times) and the NetworkX peer once (one
# process, phases timed inside); checks that every side gave the same
# answers and writes the Markdown tables of every size measured so far to
# bench/results.md (and standard output).
#
# Environment:
#   LINEAGE=PATH      the binary to time (default: a fresh Release build of
#                     this tree in $BUILD, default /tmp/lineage-bench-build)
#   PEER_PYTHON=PATH  the Python with Debian's python3-networkx and
#                     python3-yaml (default /usr/bin/python3)
#   SEED=S            the generator's seed (default 1)
#   TIMEOUT=S         per lineage call (default 1800); PEER_TIMEOUT=S (7200)
#   REPEAT=K          runs of each warm call and SQLite query (default 5;
#                     the median is kept); REPEAT_COLD=K for `check` and
#                     the floor (default 3)
#   NETWORKX_MAX=N    skip the NetworkX peer above N models (at 1M it takes
#                     5-6 min and ~9.5 GB; the table then keeps its row of
#                     an earlier run of that size, if any)
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DATA=$HERE/data
PY=${PEER_PYTHON:-/usr/bin/python3}
SEED=${SEED:-1}
TIMEOUT=${TIMEOUT:-1800}
PEER_TIMEOUT=${PEER_TIMEOUT:-7200}
REPEAT=${REPEAT:-5}
REPEAT_COLD=${REPEAT_COLD:-3}
NETWORKX_MAX=${NETWORKX_MAX:-}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 100000 1000000)

for tool in /usr/bin/time timeout "$PY" sqlite3 cc pkg-config; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done
"$PY" -c 'import networkx, yaml; yaml.CSafeLoader' 2>/dev/null || {
	echo "run.sh: $PY lacks networkx or yaml's C loader: apt-get install -y python3-networkx python3-yaml" >&2
	exit 2
}
mkdir -p "$DATA"
# the floor: libyaml's event parse alone, one core, nothing kept
FLOOR=$DATA/yaml_floor
# shellcheck disable=SC2046
cc -std=c11 -O2 "$HERE/yaml_floor.c" $(pkg-config --cflags --libs yaml-0.1) -o "$FLOOR"

if [ -z "${LINEAGE:-}" ]; then
	BUILD=${BUILD:-/tmp/lineage-bench-build}
	echo "== building lineage (Release) in $BUILD" >&2
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DLINEAGE_TESTS=OFF >/dev/null
	cmake --build "$BUILD" -j2 >/dev/null
	LINEAGE=$BUILD/lineage
fi
LINEAGE=$(cd "$(dirname "$LINEAGE")" && pwd)/$(basename "$LINEAGE")
# the in-process harness, against the same build's library (skipped if the
# build has no liblineage.a next to the binary; the build's include/ holds
# the generated lineage_version.h)
INPROC=
LIB=$(dirname "$LINEAGE")/liblineage.a
if [ -f "$LIB" ]; then
	INPROC=$(dirname "$LINEAGE")/lineage-bench-inproc
	# shellcheck disable=SC2046
	cc -std=c11 -O2 -I"$ROOT/include" -I"$(dirname "$LINEAGE")/include" $(pkg-config --cflags igraph) "$HERE/inproc.c" "$LIB" \
		$(pkg-config --libs igraph libgvc libcgraph libcdt yaml-0.1) -lm -o "$INPROC" || INPROC=
fi
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain -- src include CMakeLists.txt 2>/dev/null)" ]; then
	COMMIT="$COMMIT+uncommitted"
fi

# measure NAME LIMIT CMD...: runs CMD under /usr/bin/time (peak RSS, KB)
# and timeout, keeping its output, its exit status and "SECONDS KB" in $RUN;
# the wall time comes from $EPOCHREALTIME (microseconds; /usr/bin/time's %e
# has only 10 ms).
measure() {
	local name=$1 limit=$2
	shift 2
	local rc=0 t0 t1 kb
	t0=$EPOCHREALTIME
	/usr/bin/time -f '%M' -o "$RUN/$name.rss" timeout "$limit" "$@" \
		>"$RUN/$name.out" 2>"$RUN/$name.err" || rc=$?
	t1=$EPOCHREALTIME
	kb=$(tail -n1 "$RUN/$name.rss")
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $kb" >"$RUN/$name.time"
	echo "$rc" >"$RUN/$name.rc"
	local sec
	read -r sec kb <"$RUN/$name.time"
	printf '   %-20s %10s s %9s KB  exit %s\n' "$name" "$sec" "$kb" "$rc" >&2
}

# measure_median K NAME LIMIT CMD...: measure K times (NAME.1 ... NAME.K)
# and keep the run of median wall time as NAME (its .time, .out, .err, .rc);
# NAME.all lists every run's "SECONDS KB".
measure_median() {
	local k=$1 name=$2
	shift 2
	local i
	: >"$RUN/$name.all"
	for ((i = 1; i <= k; i++)); do
		measure "$name.$i" "$@"
		cat "$RUN/$name.$i.time" >>"$RUN/$name.all"
	done
	local mid
	mid=$(for ((i = 1; i <= k; i++)); do echo "$(cut -d' ' -f1 "$RUN/$name.$i.time") $i"; done |
		sort -g | sed -n "$(((k + 1) / 2))p" | cut -d' ' -f2)
	for ext in time out err rc rss; do
		cp "$RUN/$name.$mid.$ext" "$RUN/$name.$ext"
	done
	for ((i = 1; i <= k; i++)); do
		rm -f "$RUN/$name.$i".{time,out,err,rc,rss}
	done
}

# warm_calls SUFFIX: the warm queries, each measured as NAME$SUFFIX
warm_calls() {
	local x=$1
	measure_median "$REPEAT" "ancestors$x" "$TIMEOUT" "$LINEAGE" ancestors "$LEAF" --format json --data "$CAT"
	measure_median "$REPEAT" "descendants$x" "$TIMEOUT" "$LINEAGE" descendants "$BASE" --format json --data "$CAT"
	measure_median "$REPEAT" "roots$x" "$TIMEOUT" "$LINEAGE" roots --top 20 --data "$CAT"
	measure_median "$REPEAT" "mid_descendants$x" "$TIMEOUT" "$LINEAGE" descendants "$MID" --depth 2 --format json --data "$CAT"
	measure_median "$REPEAT" "mid_ancestors$x" "$TIMEOUT" "$LINEAGE" ancestors "$MID" --depth 2 --format json --data "$CAT"
	# the other point queries of issue 14's target (under 10 ms end to end)
	measure_median "$REPEAT" "show$x" "$TIMEOUT" "$LINEAGE" show "$LEAF" --data "$CAT"
	# is-ancestor with a "yes" answer: the leaf's farthest ancestor (a root)
	TOP=$("$PY" -c 'import json, sys
h = json.load(open(sys.argv[1]))
print(max(h, key=lambda x: (x["distance"], x["id"]))["id"] if h else sys.argv[2])' "$RUN/ancestors$x.out" "$BASE")
	echo "$TOP" >"$RUN/is_ancestor.top"
	measure_median "$REPEAT" "is_ancestor$x" "$TIMEOUT" "$LINEAGE" is-ancestor "$TOP" "$LEAF" --data "$CAT"
}

for n in "${SIZES[@]}"; do
	CAT=$DATA/catalog-$n.yaml
	Q=$DATA/catalog-$n.queries.json
	if [ ! -s "$CAT" ] || [ ! -s "$Q" ] || [ "$HERE/gen_catalog.py" -nt "$CAT" ] ||
		[ "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["seed"])' "$Q")" != "$SEED" ]; then
		echo "== generating $n models" >&2
		"$PY" "$HERE/gen_catalog.py" "$n" "$CAT" --seed "$SEED"
	fi
	read -r LEAF BASE MID < <("$PY" -c 'import json,sys; q=json.load(open(sys.argv[1])); print(q["leaf"], q["base"], q["mid"])' "$Q")
	RUN=$DATA/run-$n
	rm -rf "$RUN"
	mkdir -p "$RUN"
	echo "== $n models: lineage $LINEAGE ($COMMIT)" >&2
	# untimed warm-up: the file in the page cache, the binary and its libraries loaded
	timeout "$TIMEOUT" "$LINEAGE" check --quiet --data "$CAT" >/dev/null 2>&1 || true
	# check parses and validates (it never uses the cache): the cold load
	measure_median "$REPEAT_COLD" check "$TIMEOUT" "$LINEAGE" check --quiet --data "$CAT"
	# ... against libyaml's bare event parse of the same file
	measure_median "$REPEAT_COLD" floor "$TIMEOUT" "$FLOOR" "$CAT"
	# the first query of a catalog parses it and writes the binary image;
	# the next ones map it (cache_open: opening alone, no query)
	export LINEAGE_CACHE=$RUN/cache
	measure cache_build "$TIMEOUT" "$LINEAGE" cache --data "$CAT"
	measure_median "$REPEAT" cache_open "$TIMEOUT" "$LINEAGE" cache --data "$CAT"
	du -k "$RUN/cache" | tail -n1 | cut -f1 >"$RUN/cache.kb"
	# the warm calls twice: each opening the image itself (no server), then
	# through the resident server, started once (`lineage server start`)
	export LINEAGE_SERVER=0
	warm_calls _local
	export LINEAGE_SERVER=1
	"$LINEAGE" server start --data "$CAT" >"$RUN/server.out" 2>&1 || cat "$RUN/server.out" >&2
	warm_calls ""
	"$LINEAGE" server stop >>"$RUN/server.out" 2>&1
	unset LINEAGE_SERVER
	unset LINEAGE_CACHE
	echo "== $n models: SQLite peer ($(sqlite3 --version | cut -d' ' -f1))" >&2
	measure sqlite_load "$TIMEOUT" env LINEAGE="$LINEAGE" bash "$HERE/peer_sqlite.sh" load "$CAT" "$RUN/hub.db"
	du -k "$RUN/hub.db" | cut -f1 >"$RUN/sqlite.kb"
	for q in "ancestors up $LEAF" "descendants down $BASE" "mid_descendants down $MID 2" "mid_ancestors up $MID 2"; do
		# shellcheck disable=SC2086
		set -- $q
		name=$1
		shift
		measure_median "$REPEAT" "sqlite_$name" "$TIMEOUT" sqlite3 -readonly "$RUN/hub.db" \
			"$(bash "$HERE/peer_sqlite.sh" sql "$@")"
	done
	rm -f "$RUN/hub.db"
	if [ -n "$INPROC" ]; then
		measure inproc "$TIMEOUT" "$INPROC" "$CAT" "$LEAF" "$BASE" "$MID"
	fi
	if [ -z "$NETWORKX_MAX" ] || [ "$n" -le "$NETWORKX_MAX" ]; then
		echo "== $n models: NetworkX peer ($PY)" >&2
		measure peer "$PEER_TIMEOUT" "$PY" "$HERE/peer_networkx.py" "$CAT" "$LEAF" "$BASE" "$MID" \
			--top 20 --answers "$RUN/peer"
		mv "$RUN/peer.out" "$RUN/peer.json"
	else
		echo "== $n models: NetworkX peer skipped (NETWORKX_MAX=$NETWORKX_MAX)" >&2
	fi
	echo "== $n models: answers" >&2
	ANSWERS="the same on every side"
	"$PY" "$HERE/report.py" compare "$RUN" >&2 || ANSWERS="DIFFERENT (see bench/data/run-$n)"
	"$PY" - "$Q" "$RUN/meta.json" "$COMMIT" "$ANSWERS" <<'EOF'
import json, sys, time
q = json.load(open(sys.argv[1]))
q.update(date=time.strftime("%Y-%m-%d"), commit=sys.argv[3], answers=sys.argv[4])
json.dump(q, open(sys.argv[2], "w"), indent=1)
EOF
	"$PY" "$HERE/report.py" record "$RUN" "$DATA/result-$n.json"
done

# the table: every size measured so far (the latest run of each)
shopt -s nullglob
RECS=("$DATA"/result-*.json)
"$PY" "$HERE/report.py" table "$HERE/results.md" "${RECS[@]}"
