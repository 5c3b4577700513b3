#!/usr/bin/env bash
# The query language against sets computed independently: for each
# expression, `lineage query --format json` must give exactly the set
# Python computes from `ancestors --format json`, `descendants --format
# json` and `list --format json` (the verbs' own answers, not the
# language's). Also: the same expression through draw --select and
# export --select selects the same models, and answers are sorted.
set -u
bin=${1:?usage: query.sh path/to/lineage}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LINEAGE_CACHE=off
command -v python3 >/dev/null || { echo "query: python3 missing"; exit 77; }

cat >"$tmp/check.py" <<'PY'
import json, subprocess, sys
bin = sys.argv[1]
def run(*args):
    r = subprocess.run([bin, *args], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"lineage {' '.join(args)}: exit {r.returncode}: {r.stderr}")
    return r.stdout
def ids(out):
    return {m["id"] for m in json.loads(out)}
def anc(x, *rel):
    return ids(run("ancestors", x, "--format", "json", *rel)) | {x}
def desc(x, *rel):
    return ids(run("descendants", x, "--format", "json", *rel)) | {x}
models = json.loads(run("list", "--format", "json"))
every = {m["id"] for m in models}
full = {m: json.loads(run("show", m, "--format", "json")) for m in every}
def parents(m, rel=None):
    return [p for p in full[m]["parents"] if rel is None or p["relation"] == rel]
cases = {
    "ancestors(chinese-vicuna) except ancestors(alpaca)": anc("chinese-vicuna") - anc("alpaca"),
    "ancestors(chinese-vicuna) - ancestors(alpaca)": anc("chinese-vicuna") - anc("alpaca"),
    "ancestors(alpaca) ^ ancestors(vicuna)": anc("alpaca") & anc("vicuna"),
    "ancestors(alpaca) intersect ancestors(vicuna)": anc("alpaca") & anc("vicuna"),
    "descendants(llama) union descendants(bloom)": desc("llama") | desc("bloom"),
    "descendants(llama, 1)": {"llama"} | {h["id"] for h in json.loads(run("descendants", "llama", "--depth", "1", "--format", "json"))},
    "allpaths(llama, chinese-vicuna)": desc("llama") & anc("chinese-vicuna"),
    "kind(adapter, descendants(llama, 1))": {m for m in desc("llama") if parents(m, "adapter") and
        m in ({"llama"} | {h["id"] for h in json.loads(run("descendants", "llama", "--depth", "1", "--format", "json"))})},
    "roots()": {m for m in every if not parents(m)},
    "leaves(descendants(llama-2))": desc("llama-2") - {p["model"] for c in every for p in full[c]["parents"]},
    "stage(quantized)": {m for m in every if full[m]["stage"] == "quantized"},
    "attr(license, apache-2.0, descendants(llama))": {m for m in desc("llama") if full[m]["license"] == "apache-2.0"},
    "attr(weights, open, released(>=2023, descendants(llama-2)))": {m for m in desc("llama-2") if full[m]["weights"] == "open" and (full[m]["released"] or "0")[:4] >= "2023"},
    "let v = ancestors(alpaca) in $v ^ roots()": anc("alpaca") & {m for m in every if not parents(m)},
    "ancestors(alpaca) except ancestors(alpaca)": set(),
}
# --relation: traversals follow only those edges
cases_rel = {
    "ancestors(chinese-vicuna)": anc("chinese-vicuna", "--relation", "finetune,adapter"),
    "descendants(llama)": desc("llama", "--relation", "finetune,adapter"),
}
bad = 0
def check(expr, want, *extra):
    global bad
    out = run("query", expr, "--format", "json", *extra)
    got = [m["id"] for m in json.loads(out)]
    if set(got) != want:
        print(f"query {expr!r} {' '.join(extra)}: got {sorted(set(got) ^ want)} wrong"); bad += 1
    if got != sorted(got):
        print(f"query {expr!r}: not sorted"); bad += 1
    text = run("query", expr, *extra).split()
    if text != got:
        print(f"query {expr!r}: text and JSON differ"); bad += 1
for e, want in cases.items():
    check(e, want)
for e, want in cases_rel.items():
    check(e, want, "--relation", "finetune,adapter")
# the same selection drawn and exported
e = "allpaths(llama, chinese-vicuna)"
nd = run("export", "--select", e, "--format", "ndjson").splitlines()
exported = {json.loads(l)["id"] for l in nd if json.loads(l)["type"] == "model"}
if exported != cases[e]:
    print("export --select differs from query"); bad += 1
dot = run("draw", "--select", e, "-f", "dot")
for m in cases[e]:
    if f'"{m}"' not in dot and f"{m}" not in dot:
        print(f"draw --select misses {m}"); bad += 1
print(f"query: {len(cases) + len(cases_rel) + 2} checks, {bad} failed")
sys.exit(1 if bad else 0)
PY
python3 "$tmp/check.py" "$bin"
