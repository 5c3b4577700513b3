#!/usr/bin/env bash
# `lineage export` read back by the tools it is for: the shipped catalog
# (data/) as GraphML and GEXF, checked with xmllint and read with NetworkX
# (read_graphml, read_gexf), and as CSV, read with Python's csv module and
# NDJSON, read with json; node and edge counts, every model's license,
# released and stage, and every edge's relation must be what
# `lineage list --format json` and the catalog's own JSON records say. Also:
# the same catalog gives the same bytes, and a selection exports what
# `lineage ancestors` finds.
# Without python3's networkx (apt-get install python3-networkx) it skips
# (exit 77).
# usage: interchange.sh path/to/lineage   (from the repository root)
set -u
bin=${1:?usage: interchange.sh path/to/lineage}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
if ! python3 -c 'import networkx' 2>/dev/null; then
	echo "interchange: python3 has no networkx (apt-get install python3-networkx): skipped"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else echo "interchange: $1"; failed=$((failed + 1)); fi; }

run() { "$bin" "$@" 2>>"$tmp/stderr"; }
run export -o "$tmp/c.graphml"
run export -o "$tmp/c.gexf"
run export -f ndjson -o "$tmp/c.ndjson"
run export -f csv -o "$tmp/csv"
run list --format json >"$tmp/list.json"
run export -f ndjson >"$tmp/stdout.ndjson"
check "no message on stderr" '[ ! -s "$tmp/stderr" ]'
for f in c.graphml c.gexf c.ndjson csv/models.csv csv/edges.csv; do
	check "$f written" '[ -s "$tmp/$f" ]'
done
check "stdout and -o give the same bytes" 'cmp -s "$tmp/c.ndjson" "$tmp/stdout.ndjson"'
run export -o "$tmp/again.graphml"
run export -o "$tmp/again.gexf"
check "deterministic: GraphML twice, same bytes" 'cmp -s "$tmp/c.graphml" "$tmp/again.graphml"'
check "deterministic: GEXF twice, same bytes" 'cmp -s "$tmp/c.gexf" "$tmp/again.gexf"'
if command -v xmllint >/dev/null; then
	check "GraphML is well-formed (xmllint)" 'xmllint --noout "$tmp/c.graphml"'
	check "GEXF is well-formed (xmllint)" 'xmllint --noout "$tmp/c.gexf"'
else
	echo "interchange: xmllint not installed (apt-get install libxml2-utils)"
	failed=$((failed + 1))
fi

# the ancestors of alpaca, as `lineage ancestors` lists them, plus alpaca
run ancestors alpaca --format json >"$tmp/anc.json"
run export alpaca --ancestors -o "$tmp/anc.graphml"

python3 - "$tmp" <<'PY'
import csv, json, sys
import networkx as nx

d = sys.argv[1]
bad = []
def check(what, ok):
    print(("ok  " if ok else "BAD ") + what)
    if not ok:
        bad.append(what)

# What the catalog says: the models of `list --format json` and the full
# records (fields and parents) of the NDJSON export, checked against list.
listed = {m["id"]: m for m in json.load(open(f"{d}/list.json"))}
records, edges = {}, []
for line in open(f"{d}/c.ndjson", encoding="utf-8"):
    o = json.loads(line)
    if o["type"] == "model":
        records[o["id"]] = o
    else:
        edges.append((o["from"], o["to"], o["relation"]))
check(f"ndjson: the {len(listed)} models of list", set(records) == set(listed))
check("ndjson: names, stages, released as list says",
      all(records[i][k] == m[k] for i, m in listed.items() for k in ("name", "stage", "released")))
want_edges = sorted((p["model"], i, p["relation"]) for i, r in records.items() for p in r["parents"])
check(f"ndjson: the {len(want_edges)} edges of the models' parents", sorted(edges) == want_edges)

def joined(v):
    return "; ".join(v) if isinstance(v, list) else v

def same_nodes(name, g, label):
    check(f"{name}: {len(listed)} nodes", g.number_of_nodes() == len(listed) and set(g.nodes) == set(listed))
    check(f"{name}: {len(want_edges)} edges", g.number_of_edges() == len(want_edges))
    for k in ("license", "released", "stage", "org", "languages", "params"):
        diff = [i for i, r in records.items() if g.nodes[i].get(k) != (joined(r[k]) or None)]
        check(f"{name}: every model's {k}" + (f" (differs: {diff[:3]})" if diff else ""), not diff)
    check(f"{name}: 'external' is a boolean", all(g.nodes[i]["external"] is False for i in records))
    check(f"{name}: labels are names (else ids)",
          all(g.nodes[i][label] == (r["name"] or i) for i, r in records.items()))
    got = sorted((u, v, a["relation"]) for u, v, a in g.edges(data=True))
    check(f"{name}: every edge's relation", got == want_edges)

g = nx.read_graphml(f"{d}/c.graphml")
check("graphml: a directed graph", g.is_directed())
same_nodes("graphml", g, "label")
alp = [p for p in records["alpaca"]["parents"] if p["model"] == "llama"][0]
e = g.edges["llama", "alpaca"]
check("graphml: an edge's variant, note, sources",
      e.get("variant") == alp["variant"] and e.get("note") == alp["note"]
      and e.get("sources") == "; ".join(alp["sources"]))

x = nx.read_gexf(f"{d}/c.gexf")
check("gexf: a directed graph", x.is_directed())
same_nodes("gexf", x, "label")
def start(r):
    s = r["released"]
    return None if not s else s if len(s) == 10 else s + "-01" if len(s) == 7 else s + "-01-01"
diff = [i for i, r in records.items() if x.nodes[i].get("start") != start(r)]
check("gexf: every node starts at its release" + (f" (differs: {diff[:3]})" if diff else ""), not diff)

with open(f"{d}/csv/models.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
check(f"csv: {len(listed)} model rows", len(rows) == len(listed) and {r["id"] for r in rows} == set(listed))
def cell(v):
    v = joined(v) or ""
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
by_id = {r["id"]: r for r in rows}
for k in ("license", "released", "stage", "name", "sources"):
    diff = [i for i, r in records.items() if by_id[i][k] != cell(r[k])]
    check(f"csv: every model's {k}" + (f" (differs: {diff[:3]})" if diff else ""), not diff)
with open(f"{d}/csv/edges.csv", newline="", encoding="utf-8") as f:
    erows = list(csv.reader(f))
check("csv: the edges' header", erows[0] == ["child", "parent", "relation", "variant", "note", "inferred", "sources"])
check(f"csv: {len(want_edges)} edges with their relation",
      sorted((r[1], r[0], r[2]) for r in erows[1:]) == want_edges)

a = nx.read_graphml(f"{d}/anc.graphml")
anc = {h["id"] for h in json.load(open(f"{d}/anc.json"))} | {"alpaca"}
check(f"a selection: alpaca and its {len(anc) - 1} ancestors", set(a.nodes) == anc)
check("a selection: the edges among them",
      sorted((u, v) for u, v in a.edges) == sorted((p, c) for p, c, _ in want_edges if p in anc and c in anc))
sys.exit(1 if bad else 0)
PY
rc=$?
if [ $rc = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
