#!/usr/bin/env bash
# Parses every SVG the tool generates (the committed out/ plus diagrams of a
# hostile catalog) with an XML parser and checks that it is safe to embed:
# well-formed, no <script>, no on* event attribute, no link but http(s).
# The docs page (out/index.html, and the hostile catalog's) must load nothing
# from outside itself: no src=, no stylesheet link, no url(), only internal
# (#...) and http(s) hrefs, exactly its two own <script> blocks, no on*
# attribute, and no catalog markup unescaped.
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
for page in out/index.html "$tmp"/docs/index.html; do
  if [ ! -s "$page" ]; then fail "$page is missing"; continue; fi
  n=$(grep -o '<script' "$page" | wc -l)
  [ "$n" = 2 ] || { fail "$page has $n <script> tags, expected 2 (data and search)"; continue; }
  grep -q '<script type="application/json" id="lineage-data">' "$page" || { fail "$page: no JSON data block"; continue; }
  # the tags alone (catalog text is escaped, so "<" only ever starts one)
  # and their attribute names alone (values are quoted, quotes in them escaped)
  grep -o '<[a-zA-Z][^>]*>' "$page" >"$tmp/tags"
  sed 's/="[^"]*"/=/g' "$tmp/tags" >"$tmp/names"
  if grep -Eiq '[[:space:]](src|srcset|background|poster|action|formaction|http-equiv)=|^<(link|iframe|object|embed|img|base|frame)[[:space:]>]' "$tmp/names"; then
    fail "$page refers to an external resource: $(grep -Ei '[[:space:]](src|srcset)=|^<(link|iframe|object|embed|img|base)' "$tmp/names" | head -2)"; continue
  fi
  sed -n '/<style>/,/<\/style>/p' "$page" | grep -Eiq '@import|url\(' && { fail "$page: the stylesheet loads something"; continue; }
  bad=$(grep -o 'href="[^"]*"' "$tmp/tags" | grep -Eiv '^href="(#|https?://)' | head -3)
  [ -z "$bad" ] || { fail "$page links to something other than #anchors and http(s): $bad"; continue; }
  if grep -Eiq '[[:space:]]on[a-z]+=' "$tmp/names"; then fail "$page has an on* attribute: $(grep -Eio '[[:space:]]on[a-z]+=.{20}' "$tmp/names" | head -1)"; continue; fi
  if grep -Eqi '(href|src)="[[:space:]]*javascript:' "$tmp/tags"; then fail "$page has a javascript: link"; continue; fi
  passed=$((passed + 1))
done
grep -q '<script>alert' "$tmp/docs/index.html" && fail "hostile markup reached the page unescaped"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/docs/index.html" || fail "the hostile name is not shown escaped on the page"
# the hostile links must have been dropped or encoded, the good one kept
grep -q 'HTTPS://example.org/ok' "$tmp/hostile.svg" || fail "the one valid link was not kept"
grep -o 'href="[^"]*"' "$tmp/hostile.svg" | grep -qi 'javascript:\|data:\|file:' && fail "a non-http URL reached an href"
# Graphviz expands \N, \G, \l in labels and tooltips: user text must come out literally
grep -qF '{} \N \G \l' "$tmp/hostile.svg" || fail "a Graphviz escape sequence in user text was expanded"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
