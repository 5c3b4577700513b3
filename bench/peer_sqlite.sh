#!/usr/bin/env bash
# The SQLite peer: the Hub's model tree kept in SQLite, as a user would keep
# it instead of a lineage tool, queried with recursive CTEs through Debian's
# sqlite3 CLI.
#
#   bash bench/peer_sqlite.sh load CATALOG DB      (LINEAGE=PATH: the binary)
#   bash bench/peer_sqlite.sh sql up|down ID [DEPTH]
#
# load: the catalog as two CSV tables (`lineage export -f csv`), imported
# into a new DB: model(id TEXT PRIMARY KEY, name, stage, ...) and
# edge(child, parent, relation, ...), with an index on edge(parent) and one
# on edge(child). This is the user's one-time load, not timed with the
# queries (run.sh records its time apart).
#
# sql: prints the query a user would write: the ancestors (up) or
# descendants (down) of ID, DEPTH steps at most (default: all), as one JSON
# array of {"id", "name", "stage", "distance"} (json_group_array of
# json_object; the distance is the shortest, min() over the chains), sorted
# by distance then id. run.sh runs it as `sqlite3 -readonly DB "$SQL"`.
set -euo pipefail

case "${1:-}" in
load)
	[ $# -eq 3 ] || { echo "usage: peer_sqlite.sh load CATALOG DB" >&2; exit 2; }
	cat=$2 db=$3
	: "${LINEAGE:?LINEAGE must name the lineage binary}"
	csv=$(mktemp -d "${TMPDIR:-/tmp}/lineage-sqlite.XXXXXX")
	trap 'rm -rf "$csv"' EXIT
	LINEAGE_CACHE=off "$LINEAGE" export --data "$cat" -f csv -o "$csv/t"
	rm -f "$db"
	sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE model (id TEXT PRIMARY KEY, name TEXT, aliases TEXT, org TEXT, released TEXT,
  params TEXT, stage TEXT, external TEXT, architecture TEXT, weights TEXT, license TEXT,
  license_note TEXT, languages TEXT, training_data TEXT, links TEXT, sources TEXT);
CREATE TABLE edge (child TEXT NOT NULL, parent TEXT NOT NULL, relation TEXT NOT NULL,
  variant TEXT, note TEXT, sources TEXT);
.import --csv --skip 1 $csv/t/models.csv model
.import --csv --skip 1 $csv/t/edges.csv edge
CREATE INDEX edge_parent ON edge(parent);
CREATE INDEX edge_child ON edge(child);
ANALYZE;
SQL
	;;
sql)
	[ $# -ge 3 ] || { echo "usage: peer_sqlite.sh sql up|down ID [DEPTH]" >&2; exit 2; }
	dir=$2 id=${3//\'/\'\'} depth=${4:-}
	case "$dir" in
	up) from=parent to=child ;;
	down) from=child to=parent ;;
	*) echo "peer_sqlite.sh: up or down, not '$dir'" >&2; exit 2 ;;
	esac
	limit=
	[ -z "$depth" ] || limit="WHERE r.d < $((depth))"
	cat <<SQL
WITH RECURSIVE r(id, d) AS (
  SELECT $from, 1 FROM edge WHERE $to = '$id'
  UNION
  SELECT e.$from, r.d + 1 FROM edge e JOIN r ON e.$to = r.id $limit
)
SELECT json_group_array(json(o)) FROM (
  SELECT json_object('id', m.id, 'name', m.name, 'stage', m.stage, 'distance', h.d) AS o
  FROM (SELECT id, min(d) AS d FROM r GROUP BY id) h JOIN model m ON m.id = h.id
  ORDER BY h.d, h.id);
SQL
	;;
*)
	sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
