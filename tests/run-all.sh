#!/usr/bin/env bash
# Every test, as CI runs it: the whole ctest suite (cmocka units, golden CLI
# cases, hostile inputs, docs freshness, SVG safety, install, README
# examples) on a plain build with warnings as errors and again under
# AddressSanitizer + UBSan, the golden CLI cases once more under valgrind on
# the plain build (our own allocations must be clean; Graphviz's own leaks
# are suppressed in tests/valgrind.supp), and a fuzz smoke run of each
# harness (FUZZ_SECONDS per harness, default 40; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

cmake -S . -B build-plain -DLINEAGE_WERROR=ON
cmake --build build-plain -j2
# Mermaid is not a Debian package: the browser/mermaid test renders with
# npm's (the registry is reachable from CI); without it that test skips
mermaid_js=build-plain/mermaid-test/node_modules/mermaid/dist/mermaid.min.js
if [ ! -f "$mermaid_js" ] && command -v npm >/dev/null; then
  npm install --silent --no-audit --no-fund --prefix build-plain/mermaid-test mermaid@11 >/dev/null 2>&1 ||
    echo "mermaid: npm install failed; browser/mermaid will be skipped"
fi
ctest --test-dir build-plain -j2 --output-on-failure

cmake -S . -B build-test -DLINEAGE_SANITIZE=ON -DLINEAGE_WERROR=ON
cmake --build build-test -j2
# two at a time, as the plain build: serial, the sanitizers' run was 7 of CI's ~28 minutes
ctest --test-dir build-test -j2 --output-on-failure

# valgrind is one core per process: the cases in two halves, one per core,
# keep CI well under its half hour (each half must pass)
echo "valgrind: golden CLI cases"
# on lineage-core, the program the front end `lineage` execs: the front end
# (libc only) runs every other test plain and under ASan, and a second
# valgrind start per case would cost CI ~5 minutes; no resident server
# behind the cases' back (as under ctest)
export LINEAGE_SERVER=0
export WRAP="valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp"
CASES='[a-e]*' bash tests/cli/run.sh build-plain/lineage-core > build-plain/valgrind-a-e.log 2>&1 &
first=$!
CASES='[f-z]*' bash tests/cli/run.sh build-plain/lineage-core
if ! wait $first; then
  cat build-plain/valgrind-a-e.log
  exit 1
fi
tail -n 1 build-plain/valgrind-a-e.log
unset WRAP LINEAGE_SERVER

if [ "${FUZZ_SECONDS:-40}" != 0 ]; then
  SECONDS_PER_HARNESS=${FUZZ_SECONDS:-40} FUZZ_BUILD=build-fuzz bash tests/fuzz/run.sh
fi
