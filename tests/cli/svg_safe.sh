#!/usr/bin/env bash
# Parses every SVG the tool generates (the committed out/ plus diagrams of a
# hostile catalog) with an XML parser and checks that it is safe to embed:
# well-formed, no <script>, no on* event attribute, no link but http(s).
set -u
bin=${1:?usage: svg_safe.sh path/to/lineage}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
fail() { echo "svg_safe: $1"; failed=$((failed + 1)); }

hostile=tests/fixtures/hostile/hostile.yaml
"$bin" draw --data $hostile -o "$tmp/hostile.svg" 2>"$tmp/err" || fail "draw of the hostile catalog failed: $(cat "$tmp/err")"
"$bin" draw evil-child --data $hostile --by-year --top-down -o "$tmp/hostile-focus.svg" 2>>"$tmp/err" || fail "focused draw failed"
"$bin" docs --data $hostile --out "$tmp/docs" --graph "$tmp/graph" 2>>"$tmp/err" || fail "docs of the hostile catalog failed"

for svg in out/*.svg "$tmp"/*.svg "$tmp"/docs/*.svg; do
  [ -e "$svg" ] || continue
  if ! xmllint --noout --nonet "$svg" 2>"$tmp/xml"; then
    fail "$svg is not well-formed XML: $(head -3 "$tmp/xml")"; continue
  fi
  n=$(xmllint --nonet --xpath 'count(//*[translate(local-name(),"SCRIPT","script")="script"])' "$svg")
  [ "$n" = 0 ] || { fail "$svg has $n <script> elements"; continue; }
  n=$(xmllint --nonet --xpath 'count(//@*[starts-with(translate(local-name(),"ON","on"),"on")])' "$svg")
  [ "$n" = 0 ] || { fail "$svg has $n on* event attributes"; continue; }
  bad=$(xmllint --nonet --xpath '//@*[local-name()="href"]' "$svg" 2>/dev/null |
        grep -o 'href="[^"]*"' | grep -Eiv '^href="https?://' || true)
  [ -z "$bad" ] || { fail "$svg links to something other than http(s): $bad"; continue; }
  passed=$((passed + 1))
done
# the hostile links must have been dropped or encoded, the good one kept
grep -q 'HTTPS://example.org/ok' "$tmp/hostile.svg" || fail "the one valid link was not kept"
grep -o 'href="[^"]*"' "$tmp/hostile.svg" | grep -qi 'javascript:\|data:\|file:' && fail "a non-http URL reached an href"
# Graphviz expands \N, \G, \l in labels and tooltips: user text must come out literally
grep -qF '{} \N \G \l' "$tmp/hostile.svg" || fail "a Graphviz escape sequence in user text was expanded"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
