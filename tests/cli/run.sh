#!/usr/bin/env bash
# Golden tests for the `lineage` command, in the manner of igraph's *.out
# files and jq's %%FAIL blocks: each case tests/cli/cases/NAME.cmd holds the
# arguments (one line of shell words); NAME.out, NAME.err and NAME.code hold
# the expected standard output, standard error and exit status, compared
# exactly. NAME.in, when present, is the case's standard input (else
# /dev/null); NAME.env holds VAR=VALUE words set for the run only (a
# locale: LC_ALL=C). Run from the repository root:
#
#   bash tests/cli/run.sh build/lineage            # run every case
#   CASES='check-*' bash tests/cli/run.sh build/lineage   # only some
#   UPDATE=1 bash tests/cli/run.sh build/lineage   # (re)write expected files
#   WRAP='valgrind -q --error-exitcode=9 --leak-check=full' bash tests/cli/run.sh build/lineage
#
# Queries go through the binary index cache (LINEAGE_CACHE), so each case
# runs twice against an empty cache directory of its own: once cold (the
# catalog parsed, the image written) and once warm (the image mapped); both
# runs must give the expected output. PASSES=1 runs only the cold one.
# SERVED=1 runs the cases of the commands the resident server serves, a
# third time through the server the first runs started (LINEAGE_SERVER=1:
# for any catalog); the same output again.
#
# After UPDATE=1, read every changed file (git diff): it must be what a user
# should see.
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 path/to/lineage" >&2
	exit 2
fi
bin=$1
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
if [ ! -x "$bin" ]; then
	echo "$0: $bin is not an executable" >&2
	exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
cases=$here/cases
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The environment every case runs in: no catalog from the environment,
# a fixed locale.
unset LINEAGE_DATA
export LC_ALL=C.UTF-8
read -r -a wrap <<<"${WRAP:-}"
served=" ancestors descendants show list is-ancestor why path common roots query stats licenses "
if [ -n "${SERVED:-}" ]; then
	export LINEAGE_SERVER=1 LINEAGE_SERVER_IDLE=20
fi

passed=0
failed=0
through=0
# again N WHAT: the case once more (its outputs NAME.outN, ...), which must
# give what the cold run gave
again() {
	env "${envs[@]}" "${wrap[@]}" "$bin" "${args[@]}" >"$tmp/out$1" 2>"$tmp/err$1" <"$input"
	echo $? >"$tmp/code$1"
	for k in out err code; do
		if ! cmp -s "$tmp/$k" "$tmp/${k}$1"; then
			echo "--- $name: $k differs between the cold and the $2 run"
			diff -u --label "cold/$name.$k" --label "$2/$name.$k" "$tmp/$k" "$tmp/${k}$1"
			echo "differs" >>"$tmp/code"
		fi
	done
}
failures=()
shopt -s nullglob
for cmd in "$cases"/${CASES:-*}.cmd; do
	name=$(basename "$cmd" .cmd)
	line=$(head -n 1 "$cmd")
	eval "args=($line)"
	verb=
	for a in "${args[@]}"; do
		case $served in *" $a "*) verb=$a; break ;; esac
	done
	# SERVED=1: only the cases of commands the server runs
	[ -n "${SERVED:-}" ] && [ -z "$verb" ] && continue
	rm -rf "$tmp/cache"
	export LINEAGE_CACHE=$tmp/cache
	input=/dev/null
	[ -f "$cases/$name.in" ] && input=$cases/$name.in
	envs=()
	[ -f "$cases/$name.env" ] && read -r -a envs <"$cases/$name.env"
	env "${envs[@]}" "${wrap[@]}" "$bin" "${args[@]}" >"$tmp/out" 2>"$tmp/err" <"$input"
	echo $? >"$tmp/code"
	if [ -z "${UPDATE:-}" ] && [ "${PASSES:-2}" -gt 1 ]; then
		again 2 warm
	fi
	if [ -z "${UPDATE:-}" ] && [ -n "${SERVED:-}" ]; then
		# the cold run started the server if it opened a catalog: wait for it
		for _ in $(seq 20); do [ -S "$tmp/cache/server.sock" ] && break; sleep 0.025; done
		[ -S "$tmp/cache/server.sock" ] && through=$((through + 1))
		again 3 served
	fi
	if [ -n "${UPDATE:-}" ]; then
		for k in out err code; do
			if ! cmp -s "$tmp/$k" "$cases/$name.$k" 2>/dev/null; then
				cp "$tmp/$k" "$cases/$name.$k"
				echo "updated $name.$k"
			fi
		done
		passed=$((passed + 1))
		continue
	fi
	ok=1
	for k in out err code; do
		if [ ! -f "$cases/$name.$k" ]; then
			echo "--- $name: missing $name.$k (run with UPDATE=1, then review it)"
			ok=0
		elif ! cmp -s "$cases/$name.$k" "$tmp/$k"; then
			echo "--- $name: $k differs: lineage $line"
			diff -u --label "expected/$name.$k" --label "actual/$name.$k" \
				"$cases/$name.$k" "$tmp/$k"
			ok=0
		fi
	done
	if [ $ok = 1 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$name")
	fi
done

if [ $failed -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
if [ -n "${SERVED:-}" ] && [ -z "${UPDATE:-}" ]; then
	# a case whose catalog cannot be opened starts no server
	echo "$through of them with a server running"
	[ "$through" -gt 0 ] || failed=1
fi
[ $failed -eq 0 ] && [ $passed -gt 0 ]
