#!/usr/bin/python3
"""The NetworkX peer: the same work as the lineage CLI, in one process.

    python3 bench/peer_networkx.py CATALOG LEAF BASE MID [--top N] [--answers DIR]

Phases, each timed with time.perf_counter:
  load      yaml.load(..., Loader=yaml.CSafeLoader) of the whole file
  validate  the schema (known keys, required fields, id syntax, stage and
            relation vocabularies, every value a string), duplicate ids,
            the normalised-name index lineage resolves names with (clashes
            between ids are errors, between display names warnings), parents
            resolved by id or name, repeated edges, the DiGraph built, and
            nx.is_directed_acyclic_graph
  ancestors     of LEAF: nx.ancestors, nx.single_source_shortest_path_length
                and nx.bfs_predecessors on the reversed view (distance,
                relation and via of each), sorted, as JSON
  descendants   of BASE: the same forwards
  roots         every model with no parent and at least one child, ranked by
                descendants (nx.bfs_edges from each; each descendant counted
                by the relation of the edge it was reached by), top N as text
  neighbourhood MID's descendants and ancestors within 2 steps (BFS with a
                depth limit both ways), as JSON
It prints one JSON object with the seconds of each phase, "load_validate"
(load + validate), "queries" and "total", the counts found, and the peak RSS
(MB). With --answers DIR it also writes each answer in the shape lineage
prints, for bench/compare.py.
"""
import argparse
import json
import os
import re
import resource
import sys
import time

import networkx as nx
import yaml

ENTRY_KEYS = {"id", "name", "aliases", "org", "released", "params", "stage", "architecture",
              "weights", "license", "license_note", "languages", "training_data", "links",
              "sources", "parents"}
EDGE_KEYS = {"model", "relation", "variant", "note", "sources"}
STAGES = {"pretrained", "continued-pretrain", "sft", "rlhf", "distilled", "merged",
          "quantized", "adapter", "multimodal", "unknown"}
RELATIONS = ["finetune", "adapter", "merge", "quantized", "continued-pretrain", "rlhf",
             "distill", "multimodal", "recipe", "upcycle", "prune"]
RELSET = set(RELATIONS)
ID_RE = re.compile(r"[a-z0-9][a-z0-9._/-]*\Z")
KEY_TABLE = str.maketrans("", "", " -._\t")


def name_key(s):
    return s.lower().translate(KEY_TABLE)


def as_list(v):
    return v if isinstance(v, list) else [v]


def validate(entries):
    """Returns (graph, errors, warnings)."""
    errors, warnings = [], []
    if not isinstance(entries, list):
        return None, ["the top level is not a list"], warnings
    ids = {}
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            errors.append(f"entry {i}: not a mapping")
            continue
        unknown = e.keys() - ENTRY_KEYS
        if unknown:
            errors.append(f"entry {i}: unknown keys {sorted(unknown)}")
        for k in ("id", "name", "stage"):
            if not isinstance(e.get(k), str) or not e[k]:
                errors.append(f"entry {i}: '{k}' is required")
        src = e.get("sources")
        if src is None or not all(isinstance(s, str) for s in as_list(src)):
            errors.append(f"entry {i}: 'sources' is required")
        id_ = e.get("id")
        if isinstance(id_, str):
            if not ID_RE.match(id_) or len(id_) > 200:
                errors.append(f"entry {i}: bad id '{id_}'")
            if id_ in ids:
                errors.append(f"entry {i}: duplicate id '{id_}'")
            else:
                ids[id_] = i
        if e.get("stage") not in STAGES:
            errors.append(f"entry {i}: unknown stage {e.get('stage')!r}")
        ps = e.get("parents", [])
        if not isinstance(ps, list):
            errors.append(f"entry {i}: 'parents' must be a list")
            continue
        for p in ps:
            if not isinstance(p, dict) or p.keys() - EDGE_KEYS:
                errors.append(f"entry {i}: bad parent {p!r}")
                continue
            if not isinstance(p.get("model"), str):
                errors.append(f"entry {i}: a parent needs 'model'")
            if p.get("relation") not in RELSET:
                errors.append(f"entry {i}: unknown relation {p.get('relation')!r}")
            if p.get("sources") is None:
                errors.append(f"entry {i}: a parent needs 'sources'")

    # the name index lineage finds models with: ids, names and aliases
    # reduced to a key; ids must not clash, display names may (a warning)
    keys = {}
    for e in entries:
        if not isinstance(e, dict) or not isinstance(e.get("id"), str):
            continue
        id_ = e["id"]
        for kind, s in [("id", id_), ("name", e.get("name"))] + \
                [("alias", a) for a in as_list(e.get("aliases", []))]:
            if not isinstance(s, str):
                continue
            k = name_key(s)
            prev = keys.get(k)
            if prev is None:
                keys[k] = (kind, id_)
            elif prev[1] != id_:
                if kind == "id" and prev[0] == "id" or "alias" in (kind, prev[0]):
                    errors.append(f"'{id_}' clashes with '{prev[1]}' ({k})")
                else:
                    warnings.append(f"'{id_}' and '{prev[1]}' share the name {s!r}")
                if kind == "id" and prev[0] != "id":
                    keys[k] = (kind, id_)   # an id wins over names

    g = nx.DiGraph()
    for e in entries:
        if isinstance(e, dict) and isinstance(e.get("id"), str):
            g.add_node(e["id"], name=e.get("name"), stage=e.get("stage"))
    for e in entries:
        if not isinstance(e, dict) or not isinstance(e.get("id"), str):
            continue
        for p in e.get("parents", []) if isinstance(e.get("parents"), list) else []:
            if not isinstance(p, dict) or not isinstance(p.get("model"), str):
                continue
            ref = p["model"]
            parent = ref if ref in ids else keys.get(name_key(ref), (None, None))[1]
            if parent is None:
                errors.append(f"'{e['id']}': unknown parent '{ref}'")
                continue
            if g.has_edge(parent, e["id"]):
                warnings.append(f"'{e['id']}': repeated edge from '{parent}'")
                continue
            g.add_edge(parent, e["id"], relation=p.get("relation"))
    if not nx.is_directed_acyclic_graph(g):
        errors.append("the derivation graph has a cycle")
    return g, errors, warnings


def reach(g, src, depth=None):
    """[(id, distance, relation, via)] of everything reachable from src in g
    (a forward graph or a reversed view), sorted by distance then id."""
    if depth is None:
        found = nx.descendants(g, src)
    dist = nx.single_source_shortest_path_length(g, src, cutoff=depth)
    via = dict(nx.bfs_predecessors(g, src, depth_limit=depth))
    if depth is not None:
        found = set(dist) - {src}
    edges = g.edges    # a reversed view shares the forward graph's edge data
    out = []
    for v in found:
        u = via[v]
        out.append((dist[v], v, edges[u, v]["relation"], u))
    out.sort()
    return out


def as_json(g, hits):
    nodes = g.nodes
    return "[\n" + ",\n".join(
        " " + json.dumps({"id": v, "name": nodes[v]["name"], "stage": nodes[v]["stage"],
                          "org": None, "released": None, "distance": d, "relation": r,
                          "via": u}, separators=(",", ":"), ensure_ascii=False)
        for d, v, r, u in hits) + ("\n]\n" if hits else "]\n")


def roots(g, top):
    ranked = []
    edges = g.edges
    for r in g:
        if g.in_degree(r) or not g.out_degree(r):
            continue
        by = {}
        total = 0
        for u, v in nx.bfs_edges(g, r):
            total += 1
            rel = edges[u, v]["relation"]
            by[rel] = by.get(rel, 0) + 1
        ranked.append((-total, r, by))
    ranked.sort()
    lines = []
    for i, (t, r, by) in enumerate(ranked[:top]):
        kinds = ", ".join(f"{k} {by[k]}" for k in RELATIONS if k in by)
        lines.append(f"{i + 1:3d}. {g.nodes[r]['name']} [{r}]  {-t}  {kinds}")
    return ranked, "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("catalog")
    ap.add_argument("leaf")
    ap.add_argument("base")
    ap.add_argument("mid")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--answers", metavar="DIR")
    a = ap.parse_args()
    t = {}
    answers = {}
    res = {}

    t0 = time.perf_counter()
    with open(a.catalog, "rb") as f:
        entries = yaml.load(f, Loader=yaml.CSafeLoader)
    t1 = time.perf_counter()
    t["load"] = t1 - t0
    g, errors, warnings = validate(entries)
    del entries
    t2 = time.perf_counter()
    t["validate"] = t2 - t1
    res["models"] = g.number_of_nodes() if g is not None else 0
    res["edges"] = g.number_of_edges() if g is not None else 0
    res["errors"] = len(errors)
    res["warnings"] = len(warnings)
    for m in errors[:5] + warnings[:5]:
        print("peer: " + m, file=sys.stderr)
    if errors:
        print(json.dumps({"error": errors[0], **res}))
        return 1

    rg = g.reverse(copy=False)
    t3 = time.perf_counter()
    hits = reach(rg, a.leaf)
    answers["ancestors"] = as_json(g, hits)
    t4 = time.perf_counter()
    t["ancestors"] = t4 - t3
    res["ancestors"] = len(hits)

    hits = reach(g, a.base)
    answers["descendants"] = as_json(g, hits)
    t5 = time.perf_counter()
    t["descendants"] = t5 - t4
    res["descendants"] = len(hits)

    ranked, answers["roots"] = roots(g, a.top)
    t6 = time.perf_counter()
    t["roots"] = t6 - t5
    res["roots"] = len(ranked)

    down = reach(g, a.mid, depth=2)
    up = reach(rg, a.mid, depth=2)
    answers["mid_descendants"] = as_json(g, down)
    answers["mid_ancestors"] = as_json(g, up)
    t7 = time.perf_counter()
    t["neighbourhood"] = t7 - t6
    res["neighbourhood"] = len(down) + len(up)

    t["load_validate"] = t["load"] + t["validate"]
    t["queries"] = t7 - t3
    t["total"] = t7 - t0
    res["seconds"] = {k: round(v, 4) for k, v in t.items()}
    res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    res["versions"] = {"networkx": nx.__version__, "pyyaml": yaml.__version__,
                       "python": sys.version.split()[0]}
    if a.answers:
        os.makedirs(a.answers, exist_ok=True)
        for k, v in answers.items():
            with open(os.path.join(a.answers, k + (".txt" if k == "roots" else ".json")),
                      "w", encoding="utf-8") as f:
                f.write(v)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
