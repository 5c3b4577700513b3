#!/usr/bin/env python3
"""The AI-BOMs of `lineage bom`, checked on real output (tests/cli/bom.sh).

Every CycloneDX document is validated offline against the official 1.6 JSON
schema (tests/fixtures/schemas/cyclonedx/, resolved by $id, never from the
network), its bom-refs checked unique and its dependencies checked to name
existing components; every SPDX document is parsed, its spdxIds checked
unique, every relationship's ends checked to be elements, and its ancestorOf
relationships compared with the lineage's edges. Each document is written
twice and compared byte for byte.

usage: bom_check.py path/to/lineage   (the cases below)
       bom_check.py --files FILE...    (validates BOMs already written:
                                        tests/cli/hostile.sh)
"""
import json
import os
import subprocess
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import jsonschema  # noqa: E402

FILES = sys.argv[2:] if sys.argv[1:2] == ["--files"] else None
FILES = [os.path.abspath(f) for f in FILES] if FILES is not None else None
BIN = None if FILES is not None else os.path.abspath(sys.argv[1])
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SCHEMAS = os.path.join(ROOT, "tests", "fixtures", "schemas", "cyclonedx")
os.chdir(ROOT)

failures = []
checked = 0


def fail(msg):
    failures.append(msg)
    print("bom: " + msg)


def load_schema(name):
    with open(os.path.join(SCHEMAS, name)) as f:
        return json.load(f)


BOM_SCHEMA = load_schema("bom-1.6.schema.json")
STORE = {}
for name in ("bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"):
    s = load_schema(name)
    STORE[s["$id"]] = s
try:  # jsonschema >= 4.18 resolves through a referencing.Registry...
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7
    REGISTRY = Registry().with_resources(
        (k, Resource.from_contents(v, default_specification=DRAFT7)) for k, v in STORE.items())
    VALIDATOR = jsonschema.Draft7Validator(BOM_SCHEMA, registry=REGISTRY,
                                           format_checker=jsonschema.FormatChecker())
except ImportError:  # ...Debian 12's 4.10 through a RefResolver store
    RESOLVER = jsonschema.RefResolver(BOM_SCHEMA["$id"], BOM_SCHEMA, store=STORE)
    VALIDATOR = jsonschema.Draft7Validator(BOM_SCHEMA, resolver=RESOLVER,
                                           format_checker=jsonschema.FormatChecker())
SPDX_IDS = set(load_schema("spdx.schema.json")["enum"])


def run(args, want=0):
    """Runs lineage twice; the bytes must be the same. Returns stdout."""
    outs = []
    for _ in range(2):
        p = subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=dict(os.environ, LC_ALL="C.UTF-8"))
        if p.returncode != want:
            fail("lineage %s: exit %d: %s" % (" ".join(args), p.returncode,
                                              p.stderr.decode(errors="replace")[:300]))
        outs.append(p.stdout)
    if outs[0] != outs[1]:
        fail("lineage %s: two runs gave different bytes" % " ".join(args))
    return outs[0]


def walk(node, fn):
    if isinstance(node, dict):
        fn(node)
        for v in node.values():
            walk(v, fn)
    elif isinstance(node, list):
        for v in node:
            walk(v, fn)


def props(c, name):
    return [p["value"] for p in c.get("properties", []) if p["name"] == name]


def check_cdx(args, raw=None):
    """A valid CycloneDX 1.6 BOM: returns it parsed."""
    global checked
    raw = run(args) if raw is None else raw
    what = "lineage " + " ".join(args)
    try:
        bom = json.loads(raw)
    except ValueError as e:
        fail("%s: not JSON: %s" % (what, e))
        return None
    errors = sorted(VALIDATOR.iter_errors(bom), key=lambda e: list(e.path))
    for e in errors[:5]:
        fail("%s: schema: %s at %s" % (what, e.message[:200], list(e.path)))
    refs = []
    walk(bom, lambda d: refs.append(d["bom-ref"]) if "bom-ref" in d else None)
    if len(refs) != len(set(refs)):
        dup = sorted({r for r in refs if refs.count(r) > 1})
        fail("%s: bom-refs not unique: %s" % (what, dup[:5]))
    flat = {c["bom-ref"] for c in bom["components"]} | {bom["metadata"]["component"]["bom-ref"]}
    for dep in bom["dependencies"]:
        for r in [dep["ref"]] + dep["dependsOn"]:
            if r not in flat:
                fail("%s: dependency on %r, which is no component" % (what, r))
    if {d["ref"] for d in bom["dependencies"]} != flat:
        fail("%s: dependencies do not list every component" % what)
    # every licence id is one SPDX lists (the schema says so too)
    walk(bom, lambda d: fail("%s: licence id %r not in SPDX's list" % (what, d["id"]))
         if "acknowledgement" in d and "id" in d and d["id"] not in SPDX_IDS else None)
    checked += 1
    return bom


def edges_of(bom):
    """(parent, child) pairs from the dependencies."""
    return {(p, d["ref"]) for d in bom["dependencies"] for p in d["dependsOn"]}


def check_spdx(args, cdx, raw=None):
    """A well-formed SPDX 3.0.1 document whose ancestorOf relationships are
    exactly the lineage's edges (as the CycloneDX dependencies have them)."""
    global checked
    raw = run(args) if raw is None else raw
    what = "lineage " + " ".join(args)
    try:
        doc = json.loads(raw)
    except ValueError as e:
        fail("%s: not JSON: %s" % (what, e))
        return None
    if doc.get("@context") != "https://spdx.org/rdf/3.0.1/spdx-context.jsonld":
        fail("%s: wrong @context" % what)
    graph = doc["@graph"]
    ids = [e["spdxId"] for e in graph if "spdxId" in e]
    if len(ids) != len(set(ids)):
        fail("%s: spdxIds not unique" % what)
    ids = set(ids)
    ci = [e for e in graph if e["type"] == "CreationInfo"]
    if len(ci) != 1 or ci[0]["specVersion"] != "3.0.1" or not ci[0]["createdBy"]:
        fail("%s: CreationInfo" % what)
    for r in ci[0]["createdBy"] + ci[0]["createdUsing"]:
        if r not in ids:
            fail("%s: creator %s is no element" % (what, r))
    for e in graph:
        if e["type"] != "CreationInfo" and e.get("creationInfo") != ci[0]["@id"]:
            fail("%s: %s without the creationInfo" % (what, e.get("spdxId")))
        if e["type"] == "Relationship":
            for r in [e["from"]] + e["to"]:
                if r not in ids:
                    fail("%s: relationship %s names %s, no element" % (what, e["spdxId"], r))
    pkgs = {e["spdxId"]: e for e in graph if e["type"] == "ai_AIPackage"}
    model = {k: k.split("/model/", 1)[1] for k in pkgs}
    for p in pkgs.values():
        for key in ("name", "software_primaryPurpose", "software_packageVersion",
                    "software_downloadLocation", "suppliedBy"):
            if key not in p:
                fail("%s: %s lacks %s" % (what, p["spdxId"], key))
    anc = {(model[e["from"]], model[e["to"][0]]) for e in graph
           if e["type"] == "Relationship" and e["relationshipType"] == "ancestorOf"}
    if cdx is not None:
        want = edges_of(cdx)
        if anc != want:
            fail("%s: ancestorOf %s, the lineage has %s" % (what, sorted(anc ^ want)[:4],
                                                             len(want)))
        if set(model.values()) != {d["ref"] for d in cdx["dependencies"]}:
            fail("%s: the packages are not the BOM's models" % what)
    docs = [e for e in graph if e["type"] == "SpdxDocument"]
    if len(docs) != 1 or set(docs[0]["element"]) != ids - {docs[0]["spdxId"]}:
        fail("%s: the SpdxDocument does not list every element" % what)
    for e in graph:
        if e["type"] == "Relationship" and e["relationshipType"] == "hasDeclaredLicense":
            lic = [x for x in graph if x.get("spdxId") == e["to"][0]][0]
            if lic["type"] != "simplelicensing_LicenseExpression":
                fail("%s: hasDeclaredLicense to a %s" % (what, lic["type"]))
    checked += 1
    return doc


def parents(c):
    return {a["bom-ref"].split("#")[0]: a for a in c.get("pedigree", {}).get("ancestors", [])}


def both(args):
    cdx = check_cdx(["bom"] + args)
    spdx = check_spdx(["bom", "--format", "spdx"] + args, cdx)
    return cdx, spdx


if FILES is not None:
    for f in FILES:
        with open(f, "rb") as fh:
            raw = fh.read()
        if b'"@context"' in raw[:200]:
            check_spdx([f], None, raw)
        else:
            check_cdx([f], raw)
    print("%d documents checked, %d problems" % (checked, len(failures)))
    sys.exit(1 if failures else 0)

# ---- a root: no pedigree ---------------------------------------------------------
cdx, spdx = both(["llama", "--data", "data"])
if cdx:
    c = cdx["metadata"]["component"]
    if c["bom-ref"] != "llama" or "pedigree" in c or cdx["components"]:
        fail("llama: a root has no ancestors")
    if c["type"] != "machine-learning-model" or c.get("group") != "Meta AI":
        fail("llama: type or group")

# ---- a deep chain: Chinese-Vicuna nests LLaMA, Alpaca-LoRA and Alpaca --------------
cdx, spdx = both(["chinese-vicuna", "--data", "data"])
if cdx:
    c = cdx["metadata"]["component"]
    top = parents(c)
    if props(top.get("llama", {}), "lineage:relation") != ["adapter"]:
        fail("chinese-vicuna: LLaMA is not an adapter parent")
    lora = top.get("alpaca-lora", {})
    if props(lora, "lineage:relation") != ["recipe"] or \
            props(lora, "lineage:carries-weights") != ["false"]:
        fail("chinese-vicuna: Alpaca-LoRA is not a recipe parent without weights")
    alpaca = parents(lora).get("alpaca", {})
    if props(alpaca, "lineage:relation") != ["recipe"]:
        fail("chinese-vicuna: Alpaca is not nested under Alpaca-LoRA as a recipe")
    if props(parents(alpaca).get("llama", {}), "lineage:relation") != ["finetune"]:
        fail("chinese-vicuna: LLaMA is not nested under Alpaca as a finetune")
    if props(top["llama"], "lineage:variant") != ["7B"] or \
            props(top["llama"], "lineage:carries-weights") != ["true"]:
        fail("chinese-vicuna: the adapter edge's variant or weights")
    # every ancestor of `lineage ancestors` is in the flat list
    anc = json.loads(run(["ancestors", "chinese-vicuna", "--data", "data", "-f", "json"]))
    if {a["id"] for a in anc} != {x["bom-ref"] for x in cdx["components"]}:
        fail("chinese-vicuna: components are not the ancestors")
    # each appearance of a model in the pedigree has a bom-ref of its own
    refs = []
    walk(c.get("pedigree"), lambda d: refs.append(d["bom-ref"]) if "bom-ref" in d else None)
    if "llama#1" not in refs or "llama#2" not in refs:
        fail("chinese-vicuna: LLaMA does not appear under each of its children")

# ---- --relation narrows the edges followed -----------------------------------------
cdx, spdx = both(["chinese-vicuna", "--data", "data", "--relation", "adapter,finetune"])
if cdx:
    rels = []
    walk(cdx["metadata"]["component"], lambda d: rels.extend(props(d, "lineage:relation")))
    if not rels or set(rels) - {"adapter", "finetune"}:
        fail("chinese-vicuna --relation adapter,finetune: followed %s" % sorted(set(rels)))
    if {x["bom-ref"] for x in cdx["components"]} != {"llama"}:
        fail("chinese-vicuna --relation adapter,finetune: components")

# ---- a merge with two parents ------------------------------------------------------
cdx, spdx = both(["mythomax-l2-13b-gptq", "--data", "tests/fixtures/mini"])
if cdx:
    q = parents(cdx["metadata"]["component"]).get("mythomax-l2-13b", {})
    if props(q, "lineage:relation") != ["quantized"]:
        fail("mythomax gptq: quantized parent")
    merged = parents(q)
    if set(merged) != {"mythologic-l2-13b", "huginn-13b"} or \
            {props(x, "lineage:relation")[0] for x in merged.values()} != {"merge"}:
        fail("mythomax gptq: the merge's parents")
    for x in merged.values():
        if "llama-2" not in parents(x):
            fail("mythomax gptq: Llama 2 not under %s" % x["bom-ref"])
if spdx:
    rel = [e for e in spdx["@graph"] if e["type"] == "Relationship" and
           e["relationshipType"] == "ancestorOf" and e["to"][0].endswith("/model/mythomax-l2-13b")]
    if len(rel) != 2 or any("relation: merge" not in e["comment"] for e in rel):
        fail("mythomax gptq (spdx): the merge's two ancestorOf relationships")

# ---- a model from a Hugging Face card: purls from Hub ids ----------------------------
hf = "Weyaxi/OpenHermes-2.5-neural-chat-v3-3-Slerp"
cdx, spdx = both([hf, "--data", "tests/fixtures/hf/real"])
if cdx:
    c = cdx["metadata"]["component"]
    if c.get("purl") != "pkg:huggingface/" + hf:
        fail("hf card: purl %r" % c.get("purl"))
    base = [x for x in cdx["components"] if x["bom-ref"] == "mistralai/mistral-7b-v0.1"]
    if not base or base[0].get("purl") != "pkg:huggingface/mistralai/Mistral-7B-v0.1":
        fail("hf card: the external base's purl")
    if {props(x, "lineage:relation")[0] for x in parents(c).values()} != {"merge"}:
        fail("hf card: merge parents")

# ---- every model of the shipped catalog and of the mini fixture ------------------------
for data in ("data", "tests/fixtures/mini", "tests/fixtures/hf/real"):
    for m in json.loads(run(["list", "--data", data, "-f", "json"])):
        both([m["id"], "--data", data])

print("%d documents checked, %d problems" % (checked, len(failures)))
sys.exit(1 if failures else 0)
