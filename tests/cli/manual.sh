#!/usr/bin/env bash
# The man page and the completion scripts: printed by `lineage man` and
# `lineage completion SHELL` from the command table that prints --help, and
# written into the build directory by the build. Checks that the built files
# are what the binary prints now (they cannot drift from --help), that the
# page renders without a groff warning and holds every verb with its
# examples, and that the scripts load: bash (driven through COMP_WORDS /
# COMP_CWORD as readline would), zsh -n and fish --no-execute when those
# shells are installed.
# usage: manual.sh path/to/lineage BUILD_DIR   (from the repository root)
set -u
bin=${1:?usage: manual.sh path/to/lineage BUILD_DIR}
build=${2:?usage: manual.sh path/to/lineage BUILD_DIR}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
case $build in /*) ;; *) build=$PWD/$build ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8
unset LINEAGE_DATA
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else echo "manual: $1"; failed=$((failed + 1)); fi; }

# ---- never drift: the build's files are the binary's output ----------------------
"$bin" man >"$tmp/lineage.1"
check "build/lineage.1 is what 'lineage man' prints" 'cmp -s "$tmp/lineage.1" "$build/lineage.1"'
for sh in bash zsh fish; do
	case $sh in bash) f=lineage.bash ;; zsh) f=_lineage ;; fish) f=lineage.fish ;; esac
	"$bin" completion $sh >"$tmp/$f"
	check "completion/$f is what 'lineage completion $sh' prints" 'cmp -s "$tmp/$f" "$build/completion/$f"'
done

# ---- the page ------------------------------------------------------------------------
if command -v groff >/dev/null; then
	warnings=$(groff -ww -z -man "$tmp/lineage.1" 2>&1)
	check "groff -ww -z -man: no warnings (${warnings:-none})" '[ -z "$warnings" ]'
	groff -man -Tutf8 "$tmp/lineage.1" 2>/dev/null | sed 's/.\x08//g' >"$tmp/page"
	check "the page renders its NAME" 'grep -q "lineage - query and draw" "$tmp/page"'
	for verb in $("$bin" --help | sed -n 's/^  \([a-z-]*\)  .*/\1/p'); do
		check "the page describes '$verb'" 'grep -q "^   lineage $verb" "$tmp/page"'
	done
	check "the page shows examples and exit statuses" \
		'grep -q "lineage is-ancestor llama alpaca" "$tmp/page" && grep -q "Exit status: 0 B derives from A" "$tmp/page"'
else
	echo "manual: groff not installed, the page is not rendered"
fi
if command -v man >/dev/null; then
	check "man ./lineage.1 renders" 'man "$tmp/lineage.1" 2>/dev/null | head -n 3 | grep -q LINEAGE'
fi

# ---- bash: load it, then complete as readline would -----------------------------------
cat >"$tmp/drive.bash" <<'EOS'
source <(lineage completion bash) || exit 1
complete -p lineage || exit 1
t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _lineage; echo "${COMP_WORDS[*]} -> ${COMPREPLY[*]}"; }
t lineage anc
t lineage des
t lineage ancestors --dep
t lineage ancestors alpaca --charset a
t lineage --data data ancestors --relation fi
t lineage why llama chinese-vicuna-me
t lineage help is
t lineage check --format s
t lineage --da
t lineage completion z
EOS
cat >"$tmp/want.bash" <<'EOS'
complete -F _lineage lineage
lineage anc -> ancestors
lineage des -> descendants
lineage ancestors --dep -> --depth
lineage ancestors alpaca --charset a -> ascii
lineage --data data ancestors --relation fi -> finetune
lineage why llama chinese-vicuna-me -> chinese-vicuna-medical
lineage help is -> is-ancestor
lineage check --format s -> sarif
lineage --da -> --data
lineage completion z -> zsh
EOS
(cd "$(dirname "$0")/../.." && PATH=$(dirname "$bin"):$PATH bash "$tmp/drive.bash") >"$tmp/got.bash" 2>&1
check "bash completion: $(diff "$tmp/want.bash" "$tmp/got.bash" | tr '\n' ' ')" 'cmp -s "$tmp/want.bash" "$tmp/got.bash"'

if command -v zsh >/dev/null; then
	check "zsh -n on the zsh script" 'zsh -n "$tmp/_lineage"'
else
	echo "manual: zsh not installed, its script is not checked"
fi
if command -v fish >/dev/null; then
	check "fish --no-execute on the fish script" 'fish --no-execute "$tmp/lineage.fish"'
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
