#!/usr/bin/env bash
# What `lineage draw` writes, checked on the real output: a PDF is a PDF,
# --scale 2 doubles a PNG's pixel width (read from its IHDR header), binary
# output is refused on a terminal (script(1) gives it one), and Graphviz's
# own messages reach standard error only as lineage's warnings, never raw.
#   bash tests/cli/draw.sh build/lineage
set -u
bin=$1
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# PDF through cairo, from the extension and from -f
"$bin" draw mistral-7b --descendants -o "$tmp/m.pdf" || bad "-o m.pdf failed"
[ "$(head -c 5 "$tmp/m.pdf")" = "%PDF-" ] || bad "-o m.pdf is not a PDF"
"$bin" draw mistral-7b --descendants -f pdf >"$tmp/f.pdf" || bad "-f pdf failed"
cmp -s "$tmp/m.pdf" "$tmp/f.pdf" || bad "-f pdf and -o x.pdf differ"

# --scale 2 doubles the width and height of a PNG
width() { python3 -c 'import struct,sys
d=open(sys.argv[1],"rb").read(24)
assert d[:8]==b"\x89PNG\r\n\x1a\n", "not a PNG"
print(*struct.unpack(">II", d[16:24]))' "$1"; }
"$bin" draw mistral-7b --descendants -o "$tmp/1.png" || bad "png failed"
"$bin" draw mistral-7b --descendants -o "$tmp/2.png" --scale 2 || bad "png --scale 2 failed"
read -r w1 h1 < <(width "$tmp/1.png")
read -r w2 h2 < <(width "$tmp/2.png")
echo "png: ${w1}x${h1}, --scale 2: ${w2}x${h2}"
# Graphviz rounds each dimension: allow one pixel either way
[ $((w2 - 2 * w1)) -ge -2 ] && [ $((w2 - 2 * w1)) -le 2 ] || bad "--scale 2 width $w2 is not twice $w1"
[ $((h2 - 2 * h1)) -ge -2 ] && [ $((h2 - 2 * h1)) -le 2 ] || bad "--scale 2 height $h2 is not twice $h1"

# binary output to a terminal is refused, with a hint; SVG is not
if command -v script >/dev/null; then
	for f in png pdf; do
		script -qec "$bin draw mistral-7b -f $f" /dev/null >"$tmp/tty" 2>&1
		grep -q "not writing ${f^^} to a terminal: use -o FILE" "$tmp/tty" || bad "-f $f on a terminal not refused: $(head -c 200 "$tmp/tty")"
	done
	script -qec "$bin draw mistral-7b -f svg" /dev/null >"$tmp/tty" 2>&1
	grep -q "<svg" "$tmp/tty" || bad "-f svg on a terminal refused"
else
	echo "skip: no script(1) for the terminal checks"
fi

# no raw Graphviz text on standard error, whatever the drawing
draws=(
	"draw --by-year --relation finetune,rlhf,adapter"
	"draw --by-year"
	"draw --by-year --top-down"
	"draw"
	"draw llama --descendants"
	"draw --by-year --group family"
	"draw --by-year --group org"
	"draw --by-year --group architecture"
	"draw --by-year -f png"
)
for d in "${draws[@]}"; do
	read -r -a args <<<"$d"
	"$bin" "${args[@]}" >/dev/null 2>"$tmp/err" || bad "$d failed: $(cat "$tmp/err")"
	if grep -v '^lineage: warning: Graphviz, drawing "' "$tmp/err" | grep -q .; then
		bad "$d: raw text on stderr: $(head -c 300 "$tmp/err")"
	fi
done
# the drawing that used to print "libpath/shortest.c:324: triangulation
# failed" gets it back as one warning naming the diagram
"$bin" draw --by-year --relation finetune,rlhf,adapter >/dev/null 2>"$tmp/err"
if [ -s "$tmp/err" ]; then
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || bad "more than one warning line: $(cat "$tmp/err")"
fi

# docs: Graphviz's messages come back as warnings naming the diagram's file
# and caption, never raw. The shipped catalog's forty diagrams say nothing;
# a machine whose fontconfig is broken gets fontconfig's complaint (written
# to standard error inside Graphviz's first layout) as one such warning.
"$bin" docs --data data --out "$tmp/docs/out" --graph "$tmp/docs/graph" >/dev/null 2>"$tmp/err" ||
	bad "docs failed: $(head -c 300 "$tmp/err")"
if grep -v "^$tmp/docs/out/[a-z0-9_-]*\.svg: warning: Graphviz, drawing \"" "$tmp/err" | grep -q .; then
	bad "docs: raw text on stderr: $(head -c 300 "$tmp/err")"
fi
FONTCONFIG_FILE=/nonexistent/fonts.conf "$bin" docs --data tests/fixtures/render_small.yaml \
	--out "$tmp/fc/out" --graph "$tmp/fc/graph" >/dev/null 2>"$tmp/err" || bad "docs without fontconfig failed"
want="$tmp/fc/out/evolution.svg: warning: Graphviz, drawing \"Evolution of the catalog: 6 models"
if [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -qF "$want" "$tmp/err" || ! grep -q 'Fontconfig' "$tmp/err"; then
	bad "docs without fontconfig: want one warning on evolution.svg, got: $(head -c 400 "$tmp/err")"
fi
FONTCONFIG_FILE=/nonexistent/fonts.conf "$bin" draw --data tests/fixtures/render_small.yaml base \
	>/dev/null 2>"$tmp/err" || bad "draw without fontconfig failed"
if [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -q '^lineage: warning: Graphviz, drawing "Base: .*Fontconfig' "$tmp/err"; then
	bad "draw without fontconfig: want one warning, got: $(head -c 400 "$tmp/err")"
fi

# --group architecture: one lane per architecture the catalog records
"$bin" draw --by-year --group architecture -f dot >"$tmp/arch.dot" || bad "--group architecture failed"
for lane in decoder-only encoder-decoder encoder-only prefix-lm moe multimodal; do
	grep -q "label=$lane\|label=\"$lane\"" "$tmp/arch.dot" || bad "no $lane lane"
done
"$bin" draw --by-year --group architecture -f svg >"$tmp/arch.svg" 2>"$tmp/err" || bad "--group architecture svg failed"
[ -s "$tmp/err" ] && bad "--group architecture said: $(cat "$tmp/err")"

# a family's root is held near the top (one heavy edge to its first child)
[ "$("$bin" draw llama --descendants -f dot | grep -c 'weight=100')" = 1 ] || bad "llama's family: no single anchored edge"

# the shipped evolution tree: every model in it, page-shaped, compact
# (measured from the SVG's width and height in points)
if [ -f out/evolution.svg ]; then
	n=$("$bin" query 'all()' | wc -l)
	python3 - "$n" out/evolution.svg <<'PY' || bad "out/evolution.svg: size or shape"
import re, sys
n = int(sys.argv[1]); svg = open(sys.argv[2], encoding="utf-8").read()
w, h = (float(x) for x in re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
drawn = len(set(re.findall(r'<title>n(\d+)</title>', svg)))
per, aspect = w * h / n, h / w
print(f"evolution.svg: {w:.0f} x {h:.0f} pt, {drawn} of {n} models, {per:,.0f} pt2 per model, height/width {aspect:.2f}")
ok = drawn == n and per <= 50000 and 0.4 <= aspect <= 2.5 and "+N" not in svg and "no month" not in svg
sys.exit(0 if ok else 1)
PY
fi

[ $fail -eq 0 ] && echo "draw.sh: all passed"
exit $fail
