#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each for SECONDS
# (default 60) on a scratch copy of its seed corpus (tests/fuzz/corpus/NAME).
# A crash leaves its input in the scratch directory and fails the run; turn
# it into a regression test under tests/fixtures/. Longer runs:
#   SECONDS_PER_HARNESS=600 bash tests/fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${SECONDS_PER_HARNESS:-60}
build=${FUZZ_BUILD:-build-fuzz}
CC=clang cmake -S . -B "$build" -DLINEAGE_FUZZ=ON -DLINEAGE_TESTS=OFF >/dev/null
cmake --build "$build" -j2 >/dev/null
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
work=$(mktemp -d)
status=0
for bin in "$build"/fuzz_*; do
  name=$(basename "$bin"); name=${name#fuzz_}
  mkdir -p "$work/$name"
  dict=tests/fuzz/$name.dict
  args=(-max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$work/$name-")
  [ -f "$dict" ] && args+=(-dict="$dict")
  echo "fuzz: $name for ${secs}s"
  if "$bin" "${args[@]}" "$work/$name" "tests/fuzz/corpus/$name" >"$work/$name.log" 2>&1; then
    grep -E '^Done [0-9]+ runs' "$work/$name.log" | sed "s/^/fuzz: $name: /"
  else
    echo "fuzz: $name FOUND A PROBLEM; input kept in $work:"
    grep -E 'ERROR|SUMMARY|Test unit written' "$work/$name.log" | head -20
    status=1
  fi
done
[ $status = 0 ] && rm -rf "$work"
exit $status
