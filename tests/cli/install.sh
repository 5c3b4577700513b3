#!/usr/bin/env bash
# Installs into a scratch DESTDIR and checks what lands: the binary and a
# catalog it accepts ($LINEAGE_DATA used when there is no ./data), and the
# library others link: liblineage.so with its SONAME links, liblineage.a,
# lineage.h with the generated lineage_version.h, lineage.pc and the CMake
# package. Then builds the README's C example (its ```c block, taken from the
# README itself) against the installed files through pkg-config and through
# find_package(lineage) (shared and static), runs it on the installed
# catalog and compares its answer with the CLI's; and checks that
# liblineage.so exports exactly the functions include/lineage.h declares.
# usage: install.sh BUILD_DIR   (from the repository root)
set -u
build=${1:?usage: install.sh BUILD_DIR}
case $build in /*) ;; *) build=$PWD/$build ;; esac
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else echo "install: $1"; failed=$((failed + 1)); fi; }
cachevar() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }

if ! DESTDIR="$tmp/root" cmake --install "$build" >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"
  echo "install: cmake --install failed"
  echo "0 passed, 1 failed"
  exit 1
fi
prefix=$(cachevar CMAKE_INSTALL_PREFIX)
root="$tmp/root$prefix"
libdir=$(cachevar CMAKE_INSTALL_LIBDIR)
case $libdir in /*) lib=$tmp/root$libdir ;; *) lib=$root/$libdir ;; esac
version=$(sed -n 's/^project(lineage VERSION \([0-9][0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
major=${version%%.*}
cc=$(cachevar CMAKE_C_COMPILER)
# a sanitizer build's library needs the sanitizer runtime in the program too
san=()
[ "$(cachevar LINEAGE_SANITIZE)" = ON ] && san=(-fsanitize=address,undefined)

# ---- the tool and its catalog ------------------------------------------------
check "binary installed" '[ -x "$root/bin/lineage" ]'
check "lineage --version is $version" '[ "$("$root/bin/lineage" --version)" = "lineage $version" ]'
check "catalog installed" '[ -f "$root/share/lineage/data/llama.yaml" ] && [ -f "$root/share/lineage/data/README.md" ]'
check "installed catalog is valid" '"$root/bin/lineage" check --quiet --data "$root/share/lineage/data"'
mkdir -p "$tmp/elsewhere"
out=$(cd "$tmp/elsewhere" && LINEAGE_DATA="$root/share/lineage/data" "$root/bin/lineage" roots --top 1)
check "LINEAGE_DATA is used outside a checkout" '[[ "$out" == *"LLaMA [llama]"* ]]'

# ---- the manual and the completions, where man and the shells look ----------------
mandir=$(cachevar CMAKE_INSTALL_MANDIR); mandir=${mandir:-share/man}  # empty: GNUInstallDirs' default
datadir=$(cachevar CMAKE_INSTALL_DATADIR); datadir=${datadir:-share}
case $mandir in /*) man1=$tmp/root$mandir/man1 ;; *) man1=$root/$mandir/man1 ;; esac
case $datadir in /*) share=$tmp/root$datadir ;; *) share=$root/$datadir ;; esac
check "lineage.1 installed in $mandir/man1, as 'lineage man' prints it" \
  '[ -f "$man1/lineage.1" ] && "$root/bin/lineage" man | cmp -s - "$man1/lineage.1"'
check "bash completion installed (share/bash-completion/completions/lineage)" \
  '[ -f "$share/bash-completion/completions/lineage" ] &&
   bash -c "source \"$share/bash-completion/completions/lineage\" && complete -p lineage" >/dev/null'
check "zsh completion installed (share/zsh/site-functions/_lineage)" \
  '[ -f "$share/zsh/site-functions/_lineage" ] && head -n 1 "$share/zsh/site-functions/_lineage" | grep -q "^#compdef lineage"'
check "fish completion installed (share/fish/vendor_completions.d/lineage.fish)" \
  '[ -f "$share/fish/vendor_completions.d/lineage.fish" ]'

# ---- the library's files -------------------------------------------------------
so=$lib/liblineage.so
check "liblineage.so.$version installed (a file)" '[ -f "$so.$version" ] && [ ! -L "$so.$version" ]'
check "liblineage.so.$major -> liblineage.so.$version" '[ "$(readlink "$so.$major")" = "liblineage.so.$version" ]'
check "liblineage.so -> liblineage.so.$major" '[ "$(readlink "$so")" = "liblineage.so.$major" ]'
check "SONAME is liblineage.so.$major" \
  'readelf -d "$so.$version" | grep -qF "Library soname: [liblineage.so.$major]"'
check "liblineage.a installed" '[ -f "$lib/liblineage.a" ]'
check "lineage.h installed" '[ -f "$root/include/lineage.h" ]'
check "lineage_version.h installed, LIN_VERSION \"$version\"" \
  'grep -q "^#define LIN_VERSION \"$version\"$" "$root/include/lineage_version.h" &&
   grep -q "^#define LIN_VERSION_MAJOR $major$" "$root/include/lineage_version.h"'
pc=$lib/pkgconfig/lineage.pc
check "lineage.pc installed" '[ -f "$pc" ]'
check "lineage.pc: prefix $prefix, version $version, requires igraph" \
  '[ "$(PKG_CONFIG_PATH=$lib/pkgconfig pkg-config --variable=prefix lineage)" = "$prefix" ] &&
   [ "$(PKG_CONFIG_PATH=$lib/pkgconfig pkg-config --modversion lineage)" = "$version" ] &&
   [ "$(PKG_CONFIG_PATH=$lib/pkgconfig pkg-config --print-requires lineage)" = igraph ]'
cmdir=$lib/cmake/lineage
check "CMake package installed" \
  '[ -f "$cmdir/lineageConfig.cmake" ] && [ -f "$cmdir/lineageConfigVersion.cmake" ] &&
   [ -f "$cmdir/lineageTargets.cmake" ] && [ -f "$cmdir/lineageStaticTargets.cmake" ]'

# ---- exports: the public functions, nothing else -------------------------------
# (a function declaration starts a line: "LIN_EXTERN type *lin_name(")
nm -D --defined-only "$so" | awk '{ print $NF }' | sort -u >"$tmp/exported"
header=$root/include/lineage.h
sed -nE 's/^[A-Za-z_][^(]*[ *](lin_[a-z0-9_]+)\(.*/\1/p' "$header" | sort -u >"$tmp/declared"
bare=$(grep -E '^[A-Za-z_][^(]*[ *]lin_[a-z0-9_]+\(' "$header" | grep -v '^LIN_EXTERN ' | head -3)
check "every function lineage.h declares is LIN_EXTERN (not: ${bare:-none})" '[ -z "$bare" ]'
extra=$(comm -23 "$tmp/exported" "$tmp/declared" | paste -sd' ' -)
missing=$(comm -13 "$tmp/exported" "$tmp/declared" | paste -sd' ' -)
check "liblineage.so exports only what lineage.h declares (also: ${extra:-nothing})" '[ -z "$extra" ]'
check "liblineage.so exports all lineage.h declares (missing: ${missing:-nothing})" '[ -z "$missing" ]'
check "$(wc -l <"$tmp/declared") functions exported, all lin_*" \
  '[ -s "$tmp/exported" ] && ! grep -qv "^lin_" "$tmp/exported"'

# ---- the README's C example, built against the installed files ------------------
awk '/^```c$/ { f = 1; next } /^```$/ { if (f) exit } f' "$src/README.md" >"$tmp/example.c"
check "README.md has a C example" '[ -s "$tmp/example.c" ]'
# what it must print: the CLI's ancestors of the same model, as "distance relation id"
LINEAGE_CACHE=off "$root/bin/lineage" ancestors "Chinese Vicuna" --data "$root/share/lineage/data" --format json |
  sed -n 's/^ *{"id":"\([^"]*\)".*"distance":\([0-9]*\),"relation":"\([^"]*\)".*/\2 \3 \1/p' >"$tmp/want"
check "the CLI lists the example's ancestors" '[ "$(wc -l <"$tmp/want")" -ge 5 ]'
# runs a built example where the installed catalog is ./data; $1 names it
run_example() {
  (cd "$root/share/lineage" && LD_LIBRARY_PATH=$lib "$2") >"$tmp/$1.out" 2>"$tmp/$1.err"
  local rc=$?
  if [ $rc = 0 ] && cmp -s "$tmp/want" "$tmp/$1.out"; then return 0; fi
  echo "install: the $1 example exited $rc: $(head -c 300 "$tmp/$1.err")"
  diff -u "$tmp/want" "$tmp/$1.out" | head -20
  return 1
}

# pkg-config: the installed lineage.pc with its prefix pointed into DESTDIR (the
# other packages' .pc files stay as they are: --define-prefix and
# PKG_CONFIG_SYSROOT_DIR would move igraph's paths too)
mkdir -p "$tmp/pc"
sed "s|^prefix=.*|prefix=$root|" "$pc" >"$tmp/pc/lineage.pc"
flags=$(PKG_CONFIG_PATH=$tmp/pc pkg-config --cflags --libs lineage)
check "pkg-config points into DESTDIR: $flags" '[[ " $flags " == *" -I$root/include "* && " $flags " == *" -L$lib "* ]]'
compile_pc() {
  # shellcheck disable=SC2086
  "$cc" -std=c11 -Wall -Wextra -Wshadow -Werror "${san[@]}" -o "$tmp/$1" "$tmp/$1.c" $flags 2>"$tmp/cc.err" && return 0
  head -20 "$tmp/cc.err"
  return 1
}
check "the example compiles with pkg-config's flags (-Wall -Wextra -Wshadow -Werror)" 'compile_pc example'
check "the example links liblineage.so.$major" 'readelf -d "$tmp/example" | grep -qF "Shared library: [liblineage.so.$major]"'
check "the example (pkg-config) prints the ancestors" 'run_example pkg-config "$tmp/example"'
printf '#include <stdio.h>\n#include <string.h>\n#include <lineage.h>\nint main(void) { puts(lin_version()); return strcmp(lin_version(), LIN_VERSION) != 0; }\n' >"$tmp/version.c"
check "lin_version() is LIN_VERSION is $version" \
  'compile_pc version && [ "$(LD_LIBRARY_PATH=$lib "$tmp/version")" = "$version" ]'

# CMake: find_package(lineage) from a scratch project, shared and static
mkdir -p "$tmp/cm"
cp "$tmp/example.c" "$tmp/cm/example.c"
cat >"$tmp/cm/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.18)
project(example C)
find_package(lineage $version REQUIRED)
add_executable(example_shared example.c)
target_link_libraries(example_shared PRIVATE lineage::lineage)
add_executable(example_static example.c)
target_link_libraries(example_static PRIVATE lineage::lineage_static)
EOF
if cmake -S "$tmp/cm" -B "$tmp/cm/build" -DCMAKE_PREFIX_PATH="$root" -DCMAKE_C_COMPILER="$cc" \
     -DCMAKE_C_FLAGS="${san[*]}" -DCMAKE_EXE_LINKER_FLAGS="${san[*]}" >"$tmp/cm.log" 2>&1 &&
   cmake --build "$tmp/cm/build" >>"$tmp/cm.log" 2>&1; then
  passed=$((passed + 1))
  check "find_package(lineage) links liblineage.so.$major" \
    'readelf -d "$tmp/cm/build/example_shared" | grep -qF "Shared library: [liblineage.so.$major]"'
  check "lineage::lineage_static links no liblineage.so" \
    '! readelf -d "$tmp/cm/build/example_static" | grep -qF "liblineage.so"'
  check "the example (find_package, shared) prints the ancestors" 'run_example cmake-shared "$tmp/cm/build/example_shared"'
  check "the example (find_package, static) prints the ancestors" 'run_example cmake-static "$tmp/cm/build/example_static"'
else
  tail -20 "$tmp/cm.log"
  echo "install: the example does not build through find_package(lineage)"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
