#!/usr/bin/env bash
# Regenerates the documentation set from data/ into a temporary directory and
# fails on any difference from the out/ and graph/ in the work tree (SVGs,
# README.md, index.html, DOT and Mermaid sources): the diagrams the README
# embeds and the page people open must never be stale.
set -u
bin=${1:?usage: docs_fresh.sh path/to/lineage}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The huge-family diagram is drawn by bench/hub-diagram.sh, not by `lineage
# docs` (tests/cli/hub_diagram.sh checks it); docs must leave it alone: it
# is put there first and must come out unchanged.
mkdir -p "$tmp/out" "$tmp/graph"
for f in out/hub-family.svg graph/hub-family.dot graph/hub-family.mmd; do
  [ -e "$f" ] && cp "$f" "$tmp/$f"
done
if ! "$bin" docs --data data --out "$tmp/out" --graph "$tmp/graph"; then
  echo "docs_fresh: lineage docs failed"
  echo "0 passed, 1 failed"
  exit 1
fi
fail=0
for d in out graph; do
  if ! diff -ru "$d" "$tmp/$d" > "$tmp/$d.diff"; then
    echo "docs_fresh: $d/ is stale; run 'lineage docs' and commit:"
    head -40 "$tmp/$d.diff"
    fail=1
  fi
done
for f in out/hub-family.svg graph/hub-family.dot graph/hub-family.mmd; do
  if [ ! -s "$f" ]; then echo "docs_fresh: $f is missing (bash bench/hub-diagram.sh draws it)"; fail=1
  elif [ ! -s "$tmp/$f" ]; then echo "docs_fresh: lineage docs deleted $f"; fail=1; fi
done
# the set is complete: the page, the evolution tree, a Mermaid version of
# every family, embedded in the README
for f in out/index.html out/README.md out/evolution.svg graph/evolution.dot; do
  [ -s "$f" ] || { echo "docs_fresh: $f is missing"; fail=1; }
done
for svg in out/family-*.svg; do
  stem=$(basename "$svg" .svg)
  [ -s "graph/$stem.mmd" ] || { echo "docs_fresh: graph/$stem.mmd is missing"; fail=1; }
  grep -q "](${stem}.svg)" out/README.md || { echo "docs_fresh: README.md does not embed $stem.svg"; fail=1; }
  grep -q "id=\"${stem}\"" out/index.html || { echo "docs_fresh: index.html lacks $stem"; fail=1; }
done
n_mmd=$(ls graph/family-*.mmd 2>/dev/null | wc -l)
n_blocks=$(grep -c '^```mermaid$' out/README.md)
[ "$n_mmd" = "$n_blocks" ] || { echo "docs_fresh: $n_mmd Mermaid files but $n_blocks blocks in README.md"; fail=1; }
# a second run must give the same bytes (deterministic output)
"$bin" docs --data data --out "$tmp/out2" --graph "$tmp/graph2" >/dev/null 2>&1
if ! diff -r -x "hub-family.*" "$tmp/out" "$tmp/out2" >/dev/null || ! diff -r -x "hub-family.*" "$tmp/graph" "$tmp/graph2" >/dev/null; then
  echo "docs_fresh: two runs of 'lineage docs' gave different bytes"
  fail=1
fi
if [ $fail = 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $fail
