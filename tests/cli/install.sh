#!/usr/bin/env bash
# Installs into a scratch DESTDIR and checks what lands: the binary, the
# public header, the library, and a catalog the installed binary accepts.
# Also checks that $LINEAGE_DATA is used when there is no ./data.
set -u
build=${1:?usage: install.sh BUILD_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else echo "install: $1"; failed=$((failed + 1)); fi; }

DESTDIR="$tmp/root" cmake --install "$build" >/dev/null
prefix=$(cmake -L -N "$build" 2>/dev/null | sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p')
root="$tmp/root$prefix"
check "binary installed" '[ -x "$root/bin/lineage" ]'
check "header installed" '[ -f "$root/include/lineage.h" ]'
check "library installed" 'ls "$root"/lib*/liblineage.a >/dev/null 2>&1'
check "catalog installed" '[ -f "$root/share/lineage/data/llama.yaml" ] && [ -f "$root/share/lineage/data/README.md" ]'
check "installed catalog is valid" '"$root/bin/lineage" check --quiet --data "$root/share/lineage/data"'
mkdir -p "$tmp/elsewhere"
out=$(cd "$tmp/elsewhere" && LINEAGE_DATA="$root/share/lineage/data" "$root/bin/lineage" roots --top 1)
check "LINEAGE_DATA is used outside a checkout" '[[ "$out" == *"LLaMA [llama]"* ]]'
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
