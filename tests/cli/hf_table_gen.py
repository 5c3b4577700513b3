#!/usr/bin/env python3
"""Writes a generated table of Hub metadata (CSV, the columns `lineage import
hf-table` reads, plus downloads and likes) and the same graph as catalog YAML,
written directly, so the two can be compared: hf_table_gen.py N TABLE YAML."""
import random
import sys

n, table, catalog = int(sys.argv[1]), sys.argv[2], sys.argv[3]
random.seed(1)
STAGE = {"finetune": "sft", "adapter": "adapter", "quantized": "quantized", "merge": "merged"}
with open(table, "w") as t, open(catalog, "w") as y:
    t.write("id,base_model,base_model_relation,createdAt,downloads,likes,license,pipeline_tag,tags\n")
    for i in range(n):
        mid = f"org{i % 977}/M{i}"
        if i < 50 or random.random() < 0.05:
            t.write(f"{mid},,,2024-01-02T03:04:05.000Z,{i},{i % 50},apache-2.0,text-generation,[]\n")
            y.write(f'- id: "{mid.lower()}"\n  name: "{mid}"\n  stage: pretrained\n  sources: [gen]\n')
            continue
        j, k = random.randrange(i), random.randrange(i)
        rel = random.choice(["finetune", "adapter", "quantized", "merge", ""])
        bases = [j, k] if rel == "merge" and j != k else [j]
        if rel == "merge" and j == k:
            rel = "finetune"
        ids = [f"org{b % 977}/M{b}" for b in bases]
        cell = ids[0] if len(ids) == 1 else '"[' + ", ".join(f"'{x}'" for x in ids) + ']"'
        t.write(f'{mid},{cell},{rel},2024-01-02T03:04:05.000Z,{i},{i % 50},mit,text-generation,"[""t{i % 7}""]"\n')
        got = rel or "finetune"  # one base, no quantization or adapter sign
        y.write(f'- id: "{mid.lower()}"\n  name: "{mid}"\n  stage: {STAGE[got]}\n  sources: [gen]\n  parents:\n')
        for x in ids:
            y.write(f'    - model: "{x}"\n      relation: {got}\n      sources: [gen]\n')
