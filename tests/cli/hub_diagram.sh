#!/usr/bin/env bash
# The huge-family diagram (bench/hub-diagram.sh) is never stale: draws it
# again from the same generated catalog (cached in the build directory) into
# a temporary directory and fails on any difference from the committed
# out/hub-family.svg, graph/hub-family.dot and graph/hub-family.mmd. Also
# checks what it must show: a base with more than 100,000 descendants
# collapsed to the default budget, the caption saying so, "+N" boxes counted
# by relation kind, well-formed SVG with no script, event handler or
# non-http(s) link.
set -u
bin=${1:?usage: hub_diagram.sh path/to/lineage build-dir}
build=${2:?usage: hub_diagram.sh path/to/lineage build-dir}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
fail() { echo "hub_diagram: $1"; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }

if ! LINEAGE=$bin HUB_DATA=$build/hub-data OUT=$tmp/out GRAPH=$tmp/graph \
	bash bench/hub-diagram.sh 2>"$tmp/err"; then
	cat "$tmp/err"
	echo "hub_diagram: bench/hub-diagram.sh failed"
	echo "0 passed, 1 failed"
	exit 1
fi
for f in out/hub-family.svg graph/hub-family.dot graph/hub-family.mmd; do
	if cmp -s "$f" "$tmp/$f"; then ok; else
		fail "$f is stale; run 'bash bench/hub-diagram.sh' and commit:"
		diff -u "$f" "$tmp/$f" | head -20
	fi
done

svg=$tmp/out/hub-family.svg
dot=$tmp/graph/hub-family.dot
# the family is huge and the caption says how it was cut down
n=$(grep -o 'and its [0-9,]* descendants' "$dot" | head -1 | tr -dc 0-9)
if [ -n "$n" ] && [ "$n" -ge 100000 ]; then ok; else fail "the base has ${n:-no} descendants, expected 100,000 or more"; fi
# (Graphviz writes "-" as &#45; in SVG text)
if grep -Eq 'showing [0-9,]+ of [0-9,]+ models \(at most 150 boxes\): the most(-|&#45;)derived are kept' "$svg"; then ok; else
	fail "the SVG lacks the caption about collapsing"
fi
# "+N" boxes: at least one per kept model with hidden children, counted by kind
nmore=$(grep -c 'class="node more"' "$svg")
boxes=$(grep -o 'are counted in [0-9]* &quot;+N&quot; boxes' "$svg" | tr -dc 0-9)
if [ "$nmore" -ge 10 ] && [ "$nmore" = "${boxes:-x}" ]; then ok; else
	fail "$nmore \"+N\" boxes drawn, the caption says ${boxes:-nothing}"
fi
if grep -Eq '>\+ [0-9]{1,3}(,[0-9]{3})+ fine(-|&#45;)tunes · [0-9,]+ quantized · [0-9,]+ adapters<' "$svg"; then ok; else
	fail "no \"+ N fine-tunes · N quantized · N adapters\" box in thousands"
fi
nodes=$(grep -Ec 'class="node (more|.* model)' "$svg")
if [ "$nodes" -le 150 ]; then ok; else fail "$nodes boxes drawn, more than the budget of 150"; fi
# safe to embed (as tests/cli/svg_safe.sh checks every SVG)
if ! xmllint --noout --nonet "$svg" 2>"$tmp/xml"; then
	fail "the SVG is not well-formed: $(head -3 "$tmp/xml")"
else
	n=$(xmllint --nonet --xpath 'count(//*[translate(local-name(),"SCRIPT","script")="script"]) + count(//@*[starts-with(translate(local-name(),"ON","on"),"on")])' "$svg")
	bad=$(xmllint --nonet --xpath '//@*[local-name()="href"]' "$svg" 2>/dev/null |
		grep -o 'href="[^"]*"' | grep -Eiv '^href="https?://' || true)
	if [ "$n" = 0 ] && [ -z "$bad" ]; then ok; else fail "the SVG has $n script/on* items, links: $bad"; fi
fi
# the Mermaid version stays within Mermaid's limits
if [ "$(wc -c <"$tmp/graph/hub-family.mmd")" -le 50000 ]; then ok; else fail "the Mermaid file is over 50,000 characters"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
