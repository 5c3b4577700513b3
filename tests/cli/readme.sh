#!/usr/bin/env bash
# The README shows what the tool prints: every "$ lineage ..." line in a
# ```console block of README.md is run from the repository root, with the
# built binary for `lineage`, and what it writes (standard output, then
# standard error) must be the lines the README shows after it, up to the next
# "$ " line or the end of the block; a mismatch prints a unified diff.
# An example that writes files (-o, --out, --graph; draw, docs, import) runs
# in a scratch directory that links to the checkout's top-level entries, so
# its paths read the same and nothing lands in the work tree.
# Fix a stale README from the real output; never the output to fit the README.
# usage: readme.sh path/to/lineage [README.md]
set -u
bin=${1:?usage: readme.sh path/to/lineage [README.md]}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "readme: $bin is not an executable"; exit 2; }
cd "$(dirname "$0")/../.." || exit 2
root=$PWD
readme=${2:-README.md}
[ -f "$readme" ] || { echo "readme: $readme not found"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# as in the golden cases: no catalog from the environment, a fixed locale;
# the cache where ctest puts it (the build directory), else a scratch one
unset LINEAGE_DATA
export LC_ALL=C.UTF-8
export LINEAGE_CACHE=${LINEAGE_CACHE:-$tmp/cache}

# Split the console blocks into examples: ex/N.line (its README line), N.cmd
# (the command after "$ "), N.want (the lines shown after it).
mkdir -p "$tmp/ex"
awk -v dir="$tmp/ex" '
	/^```console$/ { inblock = 1; next }
	inblock && /^```/ { inblock = 0; if (f) close(f); f = ""; next }
	!inblock { next }
	/^\$ / {
		if (f) close(f)
		n++
		printf "%d\n", NR >(dir "/" n ".line"); close(dir "/" n ".line")
		printf "%s\n", substr($0, 3) >(dir "/" n ".cmd"); close(dir "/" n ".cmd")
		f = dir "/" n ".want"
		printf "" >f
		next
	}
	f { print >>f }
	!f { printf "%d\n", NR >(dir "/orphan") }
' "$readme"

passed=0 failed=0
fail() { echo "readme: $1"; failed=$((failed + 1)); }
if [ -s "$tmp/ex/orphan" ]; then
	fail "$readme:$(head -1 "$tmp/ex/orphan"): a console block shows output before any \"\$ \" command"
fi

# the scratch copy of the root for examples that write: links, not copies
mkdir -p "$tmp/work"
for e in "$root"/* "$root"/.[!.]*; do
	[ -e "$e" ] || continue
	case ${e##*/} in .git | build*) continue ;; esac
	ln -s "$e" "$tmp/work/${e##*/}"
done

n=$(ls "$tmp/ex"/*.cmd 2>/dev/null | wc -l)
for ((i = 1; i <= n; i++)); do
	line=$(cat "$tmp/ex/$i.line")
	cmd=$(cat "$tmp/ex/$i.cmd")
	where="$readme:$line: \$ $cmd"
	if [[ $cmd != "lineage "* ]]; then
		fail "$where: only \"\$ lineage ...\" examples can be checked"
		continue
	fi
	if ! eval "args=(${cmd#lineage })" 2>/dev/null; then
		fail "$where: cannot split the command into words"
		continue
	fi
	dir=$root
	for a in "${args[@]}"; do
		case $a in -o | -o?* | --out | --out=* | --graph | --graph=* | draw | docs | import) dir=$tmp/work ;; esac
	done
	(cd "$dir" && "$bin" "${args[@]}") >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	cat "$tmp/out" "$tmp/err" >"$tmp/got"
	if [ $rc -ge 128 ]; then
		fail "$where: killed by signal $((rc - 128))"
		head -c 2000 "$tmp/got"
	elif cmp -s "$tmp/ex/$i.want" "$tmp/got"; then
		passed=$((passed + 1))
	else
		fail "$where: the README shows something else than the tool prints (exit $rc):"
		diff -u --label "$readme (line $((line + 1)))" --label "lineage ${cmd#lineage } (stdout, then stderr)" \
			"$tmp/ex/$i.want" "$tmp/got"
	fi
done
[ "$n" -gt 0 ] || fail "$readme has no \"\$ lineage\" example in a console block"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
