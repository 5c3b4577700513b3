#!/usr/bin/env python3
"""Writes a synthetic, Hugging Face Hub-shaped lineage catalog.

    python3 bench/gen_catalog.py N OUT.yaml [--seed S] [--zipf Z]

One entry per line in YAML flow style, in our schema (data/README.md):

    - {id: user12/ft-345, name: ft-345, stage: sft, sources: [synthetic],
       parents: [{model: lab3/base-7, relation: finetune, sources: [synthetic]}]}

The shape, modelled on the Hub's model tree:
  * ~1.5% pretrained bases; base k (in order of creation) has a popularity
    weight 1/(k+1)^Z (Z = --zipf, default 0.9), so a few early bases collect
    10^4-10^5 descendants at N = 1M and most bases only a handful
    (heavy-tailed family sizes); a larger Z concentrates the models in the
    first bases (200,000 models with --zipf 1.8 give one base with 109,742
    descendants, for bench/hub-diagram.sh);
  * inside a family the parent is chosen by preferential attachment (a model
    with many children is likely to get more), which gives fine-tunes of
    fine-tunes, heavy-tailed fan-out and chains down to depth 10 (capped);
  * ~42% sft (relation finetune), ~20% adapter leaves, ~33% quantized
    leaves, ~3% merges of 2-4 parents (mostly within a family, sometimes
    across); merges and fine-tunes can have children, adapters and
    quantized copies never do;
  * parents always come earlier in the file, so there are no cycles.

The same N, seed and Z always give the same bytes. A summary (stage counts,
family sizes, fan-out and depth histograms) and the models to query go to
standard error; the query ids also go to OUT's stem + ".queries.json":
  leaf  the deepest leaf (ancestors query)
  base  the base with the most descendants (descendants query)
  mid   a mid-size fine-tune, about N^0.4 direct children (neighbourhood)
"""
import argparse
import bisect
import json
import os
import random
import sys
import time
from collections import Counter, deque

MAX_DEPTH = 10          # longest chain of ancestors of any model
P_BASE = 0.015
P_MERGE = 0.03
P_SFT = 0.425
P_ADAPTER = 0.20        # the rest (~33%) are quantized copies
P_DIRECT = 0.20         # a derivative picks the family's base directly
P_CROSS_MERGE = 0.2     # a merge takes one parent from another family
ZIPF_S = 0.9


def generate(n, seed, zipf_s=ZIPF_S):
    rnd = random.Random(seed)
    rand = rnd.random
    ids = []            # entry index -> id
    depth = []          # entry index -> longest chain of ancestors
    nchildren = []      # entry index -> direct children
    family = []         # entry index -> family (base number)
    kind = []           # entry index -> stage
    parents = []        # entry index -> list of (parent index, relation)
    bases = []          # base number -> entry index
    cum = []            # cumulative base weights (append-only, for bisect)
    attach = []         # base number -> preferential-attachment list
    total = 0.0
    norg = max(10, n // 20)

    def pick_family():
        u = rand() * total
        return min(bisect.bisect_right(cum, u), len(cum) - 1)

    def pick_parent(f):
        """A model of family f that may take a child one level deeper."""
        if rand() < P_DIRECT:
            return bases[f]
        lst = attach[f]
        for _ in range(8):
            p = lst[int(rand() * len(lst))]
            if depth[p] < MAX_DEPTH:
                return p
        return bases[f]

    def add(id_, stage, par, f):
        i = len(ids)
        ids.append(id_)
        kind.append(stage)
        parents.append(par)
        nchildren.append(0)
        family.append(f)
        depth.append(1 + max(depth[p] for p, _ in par) if par else 0)
        for p, _ in par:
            nchildren[p] += 1
            attach[family[p]].append(p)   # one more child: more likely again
        return i

    for i in range(n):
        r = rand()
        if not bases or r < P_BASE:
            org = int(norg * rand() ** 4)          # a few labs publish most bases
            b = len(bases)
            idx = add(f"lab{org}/base-{i}", "pretrained", [], b)
            bases.append(idx)
            attach.append([idx])
            total += 1.0 / (b + 1) ** zipf_s
            cum.append(total)
            continue
        org = int(norg * rand() ** 2)
        r = (r - P_BASE) / (1 - P_BASE)
        f = pick_family()
        if r < P_MERGE:
            k = 2 + int(rand() * 3)                 # 2-4 parents
            ps = []
            for j in range(k * 3):
                if len(ps) == k:
                    break
                g = pick_family() if j == 1 and rand() < P_CROSS_MERGE else f
                p = pick_parent(g)
                if p not in ps and depth[p] < MAX_DEPTH:
                    ps.append(p)
            if len(ps) < 2:
                ps = [bases[f]] + [p for p in ps if p != bases[f]]
                if len(ps) < 2:                     # a family of one: take another base
                    other = bases[(f + 1) % len(bases)] if len(bases) > 1 else None
                    if other is None:
                        idx = add(f"user{org}/ft-{i}", "sft", [(bases[f], "finetune")], f)
                        attach[f].append(idx)
                        continue
                    ps.append(other)
            idx = add(f"user{org}/merge-{i}", "merged", [(p, "merge") for p in ps], f)
            attach[f].append(idx)
        elif r < P_MERGE + P_SFT:
            p = pick_parent(f)
            idx = add(f"user{org}/ft-{i}", "sft", [(p, "finetune")], f)
            attach[f].append(idx)
        elif r < P_MERGE + P_SFT + P_ADAPTER:
            p = pick_parent(f)
            add(f"user{org}/lora-{i}", "adapter", [(p, "adapter")], f)
        else:
            p = pick_parent(f)
            add(f"user{org}/q-{i}-gguf", "quantized", [(p, "quantized")], f)
    return ids, kind, parents, depth, nchildren, bases


def render(ids, kind, parents):
    out = []
    app = out.append
    for i, id_ in enumerate(ids):
        name = id_[id_.index("/") + 1:]
        par = parents[i]
        if par:
            ps = ", ".join(f"{{model: {ids[p]}, relation: {rel}, sources: [synthetic]}}"
                           for p, rel in par)
            app(f"- {{id: {id_}, name: {name}, stage: {kind[i]}, sources: [synthetic], "
                f"parents: [{ps}]}}\n")
        else:
            app(f"- {{id: {id_}, name: {name}, stage: {kind[i]}, sources: [synthetic]}}\n")
    return "".join(out)


def descendants(children, v):
    seen = {v}
    q = deque([v])
    while q:
        u = q.popleft()
        for c in children[u]:
            if c not in seen:
                seen.add(c)
                q.append(c)
    return len(seen) - 1


def hist_line(counter, keys):
    return "  ".join(f"{k}:{counter.get(k, 0)}" for k in keys)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--zipf", type=float, default=ZIPF_S,
                    help=f"exponent of the bases' popularity weights (default {ZIPF_S})")
    a = ap.parse_args()
    if a.n < 10:
        ap.error("N must be at least 10")
    if not 0 <= a.zipf <= 10:
        ap.error("--zipf must be between 0 and 10")
    t0 = time.perf_counter()
    ids, kind, parents, depth, nchildren, bases = generate(a.n, a.seed, a.zipf)
    text = render(ids, kind, parents)
    with open(a.out, "w", encoding="ascii", buffering=1 << 20) as f:
        f.write(text)
    t1 = time.perf_counter()

    n = len(ids)
    children = [[] for _ in range(n)]
    for i, par in enumerate(parents):
        for p, _ in par:
            children[p].append(i)
    # the family (descendant count) of each base: exact for the biggest few
    # candidates, by BFS (merges make families overlap)
    # (a model belongs to its first parent's family)
    first = list(range(n))
    for i in range(n):
        if parents[i]:
            first[i] = first[parents[i][0][0]]
    size = Counter(first[i] for i in range(n) if parents[i])
    cands = [b for b, _ in size.most_common(5)] or bases[:1]
    exact = {b: descendants(children, b) for b in cands}
    base = max(cands, key=lambda b: (exact[b], -b))
    # the deepest leaf (latest one among equals)
    leaf = max((i for i in range(n) if not children[i]), key=lambda i: (depth[i], i))
    # a mid-size fine-tune: direct children closest to N^0.4
    target = max(3, round(n ** 0.4))
    mid = min((i for i in range(n) if kind[i] in ("sft", "merged") and depth[i] >= 1),
              key=lambda i: (abs(len(children[i]) - target), i), default=base)

    stem = a.out[:-5] if a.out.endswith(".yaml") else a.out
    edges = sum(len(p) for p in parents)
    q = {"models": n, "edges": edges, "bytes": os.path.getsize(a.out), "seed": a.seed,
         "leaf": ids[leaf], "base": ids[base], "mid": ids[mid],
         "leaf_depth": depth[leaf], "base_descendants": exact[base],
         "mid_children": len(children[mid])}
    if a.zipf != ZIPF_S:                # the default's file stays as it always was
        q["zipf"] = a.zipf
    with open(stem + ".queries.json", "w") as f:
        json.dump(q, f, indent=1)
        f.write("\n")

    stages = Counter(kind)
    fan = Counter()
    for c in children:
        d = len(c)
        fan["0" if d == 0 else "1" if d == 1 else "2-9" if d < 10 else "10-99" if d < 100
            else "100-999" if d < 1000 else "1k-9k" if d < 10000 else ">=10k"] += 1
    famb = Counter()
    for b in bases:
        s = size.get(b, 0)
        famb["0" if s == 0 else "1-9" if s < 10 else "10-99" if s < 100 else "100-999"
             if s < 1000 else "1k-9k" if s < 10000 else "10k-99k" if s < 100000
             else ">=100k"] += 1
    merges = Counter(len(p) for i, p in enumerate(parents) if kind[i] == "merged")
    e = sys.stderr
    print(f"wrote {a.out}: {n} models, {edges} edges, {os.path.getsize(a.out)} bytes "
          f"in {t1 - t0:.1f} s (seed {a.seed}"
          + (f", zipf {a.zipf}" if a.zipf != ZIPF_S else "") + ")", file=e)
    print("stages: " + "  ".join(f"{k}:{v}" for k, v in sorted(stages.items())), file=e)
    print(f"merges: {stages['merged']} ("
          + ", ".join(f"{k} parents: {v}" for k, v in sorted(merges.items())) + ")", file=e)
    print("depth (longest chain): " + hist_line(Counter(depth), range(MAX_DEPTH + 1)), file=e)
    print("fan-out (direct children): " + hist_line(
        fan, ["0", "1", "2-9", "10-99", "100-999", "1k-9k", ">=10k"]), file=e)
    print("family size (by first parent): " + hist_line(
        famb, ["0", "1-9", "10-99", "100-999", "1k-9k", "10k-99k", ">=100k"]), file=e)
    print("biggest families: " + ", ".join(f"{ids[b]} {s}" for b, s in size.most_common(5)),
          file=e)
    print("widest fan-out: " + ", ".join(
        f"{ids[i]} {len(children[i])}" for i in sorted(range(n), key=lambda i: -len(children[i]))[:5]),
        file=e)
    print(f"query leaf: {ids[leaf]} (depth {depth[leaf]})", file=e)
    print(f"query base: {ids[base]} ({exact[base]} descendants)", file=e)
    print(f"query mid: {ids[mid]} ({len(children[mid])} direct children)", file=e)


if __name__ == "__main__":
    main()
