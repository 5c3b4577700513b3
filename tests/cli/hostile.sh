#!/usr/bin/env bash
# Hostile inputs too big to commit, generated here, and outputs that fail:
# each case has an expected exit status and message, and a time limit, so a
# hang is a failure too. Small hostile files live in tests/fixtures/hostile/
# and are pinned by the golden cases (tests/cli/cases/hostile-*).
set -u
bin=${1:?usage: hostile.sh path/to/lineage}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
tmp=$(mktemp -d)
cleanup() { mountpoint -q "$tmp/tiny" && umount "$tmp/tiny"; mountpoint -q "$tmp/ro" && umount "$tmp/ro"; mountpoint -q "$tmp/many" && umount "$tmp/many"; rm -rf "$tmp"; }
trap cleanup EXIT
passed=0 failed=0 skipped=0
fail() { echo "hostile: $1"; failed=$((failed + 1)); }

# expect NAME CODE MESSAGE-SUBSTRING -- ARGS...: runs lineage (20 s at most)
# and checks the exit status and that stderr contains the message.
expect() {
  local name=$1 code=$2 msg=$3; shift 4
  timeout 20 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc = 124 ]; then fail "$name: timed out"; return; fi
  if [ $rc != "$code" ]; then fail "$name: exit $rc, expected $code: $(head -c 300 "$tmp/err")"; return; fi
  if [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/err"; then fail "$name: stderr lacks '$msg': $(head -c 300 "$tmp/err")"; return; fi
  passed=$((passed + 1))
}
ok() { if eval "$2"; then passed=$((passed + 1)); else fail "$1"; fi; }

# ---- inputs ----------------------------------------------------------------
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
def w(name, text):
    open(f"{d}/{name}", "w").write(text)
w("long-name.yaml", '- id: x\n  name: "' + "A" * (10 * 1024 * 1024) + '"\n  stage: sft\n  sources: [x]\n')
w("deep-flow.yaml", "- " + "[" * 100000 + "\n")
w("deep-block.yaml", "".join("  " * i + "- \n" for i in range(5000)))
n = 10000
w("cycle-10k.yaml", "".join(
    f"- {{id: m{i}, stage: sft, sources: [x], parents: [{{model: m{(i + 1) % n}, relation: finetune, sources: [x]}}]}}\n"
    for i in range(n)))
n = 100000
w("chain-100k.yaml", "- {id: m0, stage: pretrained, sources: [x]}\n" + "".join(
    f"- {{id: m{i}, stage: sft, sources: [x], parents: [{{model: m{i - 1}, relation: finetune, sources: [x]}}]}}\n"
    for i in range(1, n)))
w("parents-50k.yaml", "- id: hub\n  stage: merged\n  sources: [x]\n  parents:\n" + "".join(
    f"    - {{model: p{i}, relation: merge, sources: [x]}}\n" for i in range(50000)))
w("many-keys.yaml", "- id: x\n  stage: sft\n  sources: [x]\n" + "".join(f"  k{i}: v\n" for i in range(50000)))
w("same-name-200k.yaml", "".join(f"- {{id: m{i}, name: same, stage: sft, sources: [x]}}\n" for i in range(200000)))
n = 20000
w("unknown-20k.yaml", "".join(
    f"- {{id: m{i}, stage: sft, sources: [x], parents: [{{model: nope{i}, relation: finetune, sources: [x]}}]}}\n"
    for i in range(n)))
w("ambiguous-20k.yaml", "".join(f"- {{id: s{i}, name: same, stage: pretrained, sources: [x]}}\n" for i in range(n)) + "".join(
    f"- {{id: c{i}, stage: sft, sources: [x], parents: [{{model: same, relation: finetune, sources: [x]}}]}}\n"
    for i in range(n)))
w("wide-4k.yaml", "- {id: base, stage: pretrained, sources: [x]}\n" + "".join(
    f"- {{id: c{i}, stage: sft, sources: [x], parents: [{{model: base, relation: finetune, sources: [x]}}]}}\n"
    for i in range(4000)))
PY

expect "10 MB name" 2 "long-name.yaml:2:9: a value of 10485760 bytes; the limit is 65536" -- list --data "$tmp/long-name.yaml"
expect "100k nested [" 2 "deep-flow.yaml:1:" -- list --data "$tmp/deep-flow.yaml"
grep -q "nesting deeper than 8 levels" "$tmp/err" || fail "100k nested [: wrong message: $(cat "$tmp/err")"
expect "5k nested block lists" 2 "nesting deeper than 8 levels" -- list --data "$tmp/deep-block.yaml"
expect "10,000-model cycle" 2 "cycle-10k.yaml:1:48: cycle: m1 → m0 → m9999 → m9998 → " -- list --data "$tmp/cycle-10k.yaml"
ok "10,000-model cycle: the message is cut short" 'grep -q " → \.\.\.$" "$tmp/err" && [ "$(wc -c < "$tmp/err")" -lt 1200 ]'
expect "50,000 parents" 2 "parents-50k.yaml:" -- list --data "$tmp/parents-50k.yaml"
grep -q "more than 4096 items in one list or mapping" "$tmp/err" || fail "50,000 parents: wrong message"
expect "50,000 keys" 2 "more than 4096 items" -- list --data "$tmp/many-keys.yaml"

# a 100,000-deep chain: every query answers, no recursion blows the stack
expect "100k chain: check" 0 "100000 models: 0 errors" -- check --data "$tmp/chain-100k.yaml"
expect "100k chain: ancestors" 0 "" -- ancestors m99999 --data "$tmp/chain-100k.yaml"
ok "100k chain: ancestors lists every model" '[ "$(wc -l < "$tmp/out")" = 100000 ]'
ok "100k chain: indentation is capped" '[ "$(awk "{ print length }" "$tmp/out" | sort -n | tail -1)" -lt 400 ]'
expect "100k chain: descendants json" 0 "" -- descendants m0 --format json --data "$tmp/chain-100k.yaml"
ok "100k chain: deepest descendant at distance 99999" 'grep -q "\"distance\":99999" "$tmp/out"'
expect "100k chain: path" 0 "" -- path m0 m99999 --data "$tmp/chain-100k.yaml"
expect "100k chain: stats" 0 "" -- stats --data "$tmp/chain-100k.yaml"
ok "100k chain: longest chain has 99999 steps" 'grep -q "(99999 steps)" "$tmp/out"'
expect "100k chain: common" 0 "" -- common m5 m99999 --data "$tmp/chain-100k.yaml"
expect "100k chain: neighbourhood drawing" 0 "" -- draw m50000 --depth 3 -o "$tmp/chain.svg" --data "$tmp/chain-100k.yaml"
ok "100k chain: drawing has 7 models" '[ "$(grep -c "class=\"node stage" "$tmp/chain.svg")" = 7 ]'
# a message per bad parent, but suggestions (which scan every name) only for
# the first few: 20,000 of them once took 35 s
expect "20,000 unknown parents" 1 "unknown-20k.yaml:10000:51: unknown parent of 'm9999': no model named 'nope9999'" -- check --data "$tmp/unknown-20k.yaml"
ok "20,000 unknown parents: counted past the 10,000 shown" 'grep -q "and 10000 more not shown" "$tmp/err" && grep -q "20000 errors" "$tmp/err"'
# warnings may fill 9,000 places: the errors after them are still shown
expect "20,000 parents naming 20,000 models" 1 "ambiguous-20k.yaml:21000:50: ambiguous parent of 'c999': 'same' is ambiguous; use an id" -- check --data "$tmp/ambiguous-20k.yaml"
ok "20,000 ambiguous parents: every problem counted" 'grep -q "20000 errors, 19999 warnings" "$tmp/err"'
expect "4,000 siblings: roots" 0 "" -- roots --data "$tmp/wide-4k.yaml"
ok "4,000 siblings: counted" 'grep -q "4000  finetune 4000" "$tmp/out"'

# 200,000 models sharing one display name: each is warned about (the list
# stops at 10,000), in linear time (appending to the name's chain was
# quadratic: 36 s)
expect "200,000 models with one name" 0 "200000 models: 0 errors, 199999 warnings" -- check --data "$tmp/same-name-200k.yaml"

# files that are not files
mkfifo "$tmp/fifo.yaml"
expect "a FIFO as input does not hang" 2 "fifo.yaml: not a regular file" -- list --data "$tmp/fifo.yaml"
expect "/dev/zero as input" 2 "/dev/zero: not a regular file" -- list --data /dev/zero
mkdir -p "$tmp/cat/dir.yaml" && cp tests/fixtures/mini/10-base.yaml "$tmp/cat/"
expect "a directory named *.yaml" 2 "dir.yaml: not a regular file" -- list --data "$tmp/cat"
ln -s "$tmp/nowhere.yaml" "$tmp/dangling.yaml"
expect "a dangling symlink" 2 "dangling.yaml: cannot open: No such file or directory" -- list --data "$tmp/dangling.yaml"
expect "a missing path" 2 "cannot open: No such file or directory" -- list --data "$tmp/missing"
mkdir "$tmp/empty-dir"
expect "a directory with no catalog" 2 "no *.yaml files in this directory" -- list --data "$tmp/empty-dir"

# ---- outputs ---------------------------------------------------------------
timeout 20 "$bin" list --data tests/fixtures/mini >/dev/full 2>"$tmp/err"
rc=$?
ok "stdout to a full disk: exit 2" '[ "$rc" = 2 ]'
ok "stdout to a full disk: reported" 'grep -q "cannot write to standard output: No space left on device" "$tmp/err"'
timeout 20 "$bin" list --data "$tmp/chain-100k.yaml" 2>"$tmp/err" | head -c 10 >/dev/null
rc=${PIPESTATUS[0]}
ok "closed pipe: exit 2 (not a signal)" '[ "$rc" = 2 ]'
ok "closed pipe: reported" 'grep -q "cannot write to standard output: Broken pipe" "$tmp/err"'
# a private copy of /dev/full: if writing to devices ever regressed to
# rename-over, only this node would be replaced, never the system's
if mknod "$tmp/full" c 1 7 2>/dev/null; then
  expect "-o a full device" 2 "full: write failed: No space left on device" -- draw llama --depth 1 -o "$tmp/full" --data tests/fixtures/mini
  ok "the device is still a device" '[ -c "$tmp/full" ]'
else
  echo "hostile: cannot mknod (not root?): device output case skipped"; skipped=$((skipped + 1))
fi
expect "-o into a missing directory" 2 "cannot create a temporary file: No such file or directory" -- draw -o "$tmp/no/such/x.svg" --data tests/fixtures/mini
expect "-o a directory" 2 "is a directory" -- draw -o "$tmp" --data tests/fixtures/mini

# a full file system and a read-only one: the old file survives, no temp file remains
mkdir -p "$tmp/tiny" "$tmp/ro"
if mount -t tmpfs -o size=16k tmpfs "$tmp/tiny" 2>/dev/null; then
  echo "old diagram" > "$tmp/tiny/x.svg"
  expect "full disk" 2 "x.svg: write failed: No space left on device" -- draw --data tests/fixtures/mini -o "$tmp/tiny/x.svg"
  ok "full disk: old file untouched" '[ "$(cat "$tmp/tiny/x.svg")" = "old diagram" ]'
  ok "full disk: no temporary file left" '[ "$(ls "$tmp/tiny")" = x.svg ]'
  expect "docs on a full disk" 2 "No space left on device" -- docs --data tests/fixtures/mini --out "$tmp/tiny/out" --graph "$tmp/tiny/graph"
  ok "docs on a full disk: no temporary file left" '! find "$tmp/tiny" -name "*.tmp*" | grep -q .'
  umount "$tmp/tiny"
else
  echo "hostile: no tmpfs mount here (not root?): full-disk cases skipped"; skipped=$((skipped + 1))
fi
if mount -t tmpfs -o size=1m tmpfs "$tmp/ro" 2>/dev/null; then
  echo "old diagram" > "$tmp/ro/x.svg"
  mount -o remount,ro "$tmp/ro"
  expect "read-only directory" 2 "cannot create a temporary file: Read-only file system" -- draw --data tests/fixtures/mini -o "$tmp/ro/x.svg"
  ok "read-only: old file untouched" '[ "$(cat "$tmp/ro/x.svg")" = "old diagram" ]'
  umount "$tmp/ro"
else
  skipped=$((skipped + 1))
fi

# ---- the binary index cache ------------------------------------------------
# Whatever sits where the cache should be, queries answer from the catalog.
cat_ok=tests/fixtures/mini
answer=$(LINEAGE_CACHE=off "$bin" ancestors mythomax-l2-13b-gptq --data "$cat_ok" 2>&1)
cached_answer() { # NAME: the query through LINEAGE_CACHE=$tmp/cache must match
  local got
  got=$(LINEAGE_CACHE=$tmp/cache timeout 20 "$bin" ancestors mythomax-l2-13b-gptq --data "$cat_ok" 2>&1)
  ok "$1" '[ "$got" = "$answer" ]'
}
echo "not a directory" >"$tmp/cache"
cached_answer "cache path is a file"
rm -f "$tmp/cache"; mkdir -p "$tmp/cache"
LINEAGE_CACHE=$tmp/cache "$bin" cache --data "$cat_ok" >/dev/null
img=$(ls "$tmp/cache"/*.lcache)
head -c 100 /dev/urandom >"$img"
cached_answer "cache image replaced by noise"
ok "noise: image rebuilt" 'LINEAGE_CACHE=$tmp/cache "$bin" cache --data "$cat_ok" | grep -q "state: fresh"'
python3 - "$img" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
for i in range(len(b) // 2, len(b), 3):   # scribble over the back half: records, edges, index
    b[i] ^= 0x5a
open(p, "wb").write(b)
PY
timeout 20 env LINEAGE_CACHE="$tmp/cache" "$bin" ancestors mythomax-l2-13b-gptq --data "$cat_ok" >/dev/null 2>&1
rc=$?
ok "scribbled image: no crash or hang (exit $rc)" '[ $rc -lt 3 ]'
rm -f "$img"; mkfifo "$img"
cached_answer "cache image is a FIFO"
rm -f "$img"; mkdir "$img"
cached_answer "cache image is a directory"
rmdir "$img"; chmod 500 "$tmp/cache"
if [ "$(id -u)" != 0 ]; then cached_answer "read-only cache directory"; fi
chmod 700 "$tmp/cache"

# ---- round 2: hangs ----
# quick NAME SECONDS CODE MESSAGE -- ARGS...: expect with a tighter limit
quick() {
  local name=$1 secs=$2 code=$3 msg=$4; shift 5
  timeout "$secs" "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc = 124 ]; then fail "$name: took more than $secs s"; return; fi
  if [ $rc != "$code" ]; then fail "$name: exit $rc, expected $code: $(head -c 300 "$tmp/err")"; return; fi
  if [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/err"; then fail "$name: stderr lacks '$msg': $(head -c 300 "$tmp/err")"; return; fi
  passed=$((passed + 1))
}

# The model-card walk and symlinked snapshots: a hub of K repositories, each
# with its card linked into blobs/ as the Hub client writes it, a
# snapshots/main -> ../.. named by refs/main (K^16 visits: K=2 took 7 s,
# `roots --data` twice that), a snapshot linking to /, and one repository
# whose refs/main names that link. Links to directories are never entered.
make_hub() { # DIR K
  local k
  for k in $(seq 1 "$2"); do
    local r="$1/models--org--m$k"
    mkdir -p "$r/refs" "$r/blobs" "$r/snapshots/1111aaaa"
    printf -- '---\nbase_model: org/base\nlicense: mit\n---\n# m%s\n' "$k" >"$r/blobs/0123abcd"
    ln -s ../../blobs/0123abcd "$r/snapshots/1111aaaa/README.md"
    ln -s ../.. "$r/snapshots/main"
    ln -s / "$r/snapshots/root"
    if [ "$k" = 1 ]; then echo root >"$r/refs/main"; else echo main >"$r/refs/main"; fi
  done
  ln -s . "$1/again"
}
for k in 3 4 5; do
  make_hub "$tmp/hub$k" "$k"
  quick "hub of $k looping repos: import" 2 0 "$k cards imported, 0 skipped" -- import hf "$tmp/hub$k"
  ok "hub of $k: every card once" '[ "$(grep -c "^- id: \"org/m" "$tmp/out")" = "$k" ]'
  ok "hub of $k: links named by refs/main are reported" '[ "$(grep -c "refs/main names is a symbolic link" "$tmp/err")" = "$k" ]'
  quick "hub of $k looping repos: roots --data" 2 0 "" -- roots --data "$tmp/hub$k"
  ok "hub of $k: roots counts every card" 'grep -q "org/base .* $k  finetune $k" "$tmp/out"'
done
# the hub holds no card but the loops: deciding "is this a card folder" walks it all
mkdir -p "$tmp/hub-empty/models--org--x/refs" "$tmp/hub-empty/models--org--x/snapshots"
echo main >"$tmp/hub-empty/models--org--x/refs/main"
ln -s ../.. "$tmp/hub-empty/models--org--x/snapshots/main"
ln -s / "$tmp/hub-empty/models--org--x/snapshots/root"
quick "a looping hub with no card: roots --data" 2 2 "no *.yaml files in this directory" -- roots --data "$tmp/hub-empty"
# a directory reached twice without a link (a bind mount) is walked once:
# the (device, inode) set; in a private mount namespace, so nothing leaks
mkdir -p "$tmp/hub3/loop"
if unshare -m true 2>/dev/null; then
  timeout 5 unshare -m sh -c 'mount --bind "$1" "$1/loop" && exec "$2" import hf "$1"' sh "$tmp/hub3" "$bin" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  ok "a bind-mounted loop: walked once (exit $rc)" '[ $rc = 0 ] && grep -q "3 cards imported" "$tmp/err"'
else
  echo "hostile: cannot unshare a mount namespace (not root?): bind-mount loop case skipped"; skipped=$((skipped + 1))
fi

# Dense diagrams: 150 models with 1,320 and 1,900 edges (draw took 36 s
# and more than 5 minutes; dot's time follows the edges), 400 models with
# 16,000 (docs ran for 10 minutes). The edge budget and the layout budget
# make each a few seconds.
python3 - "$tmp" <<'PY'
import random, sys
d = sys.argv[1]
def dense(name, n, m, seed):
    rnd = random.Random(seed)
    want, left = [0] * n, m
    while left:
        i = rnd.randrange(3, n)
        if want[i] < min(i, 4096):
            want[i] += 1
            left -= 1
    with open(f"{d}/{name}", "w") as f:
        for i in range(n):
            f.write(f"- id: m{i}\n  stage: {'pretrained' if i < 3 else 'merged'}\n"
                    f"  released: \"{2019 + i * 6 // n}-{1 + i * 7 % 12:02d}\"\n  sources: [x]\n")
            if want[i]:
                f.write("  parents:\n" + "".join(
                    f"    - {{model: m{p}, relation: merge, sources: [x]}}\n"
                    for p in sorted(rnd.sample(range(i), want[i]))))
dense("dense-150-1320.yaml", 150, 1320, 1)
dense("dense-150-1900.yaml", 150, 1900, 2)
dense("dense-400-16000.yaml", 400, 16000, 3)
PY
for c in 150-1320 150-1900 400-16000; do
  rm -f "$tmp/dense.svg"
  quick "dense $c: draw" 10 0 "" -- draw --data "$tmp/dense-$c.yaml" -o "$tmp/dense.svg"
  ok "dense $c: the caption says the edge budget" 'grep -q "(at most 150 boxes and 400 edges)" "$tmp/dense.svg"'
  ok "dense $c: at most 400 edges reach dot" '[ -f "$tmp/dense.svg" ] && [ "$(grep -c "class=\"edge" "$tmp/dense.svg")" -le 400 ]'
  quick "dense $c: draw --by-year -f mermaid" 10 0 "" -- draw --by-year -f mermaid --data "$tmp/dense-$c.yaml"
  # dot 2.43's mincross leaks a subgraph on some of these time-axis layouts;
  # under ASan only a full unwind shows the dot plugin frame lsan.supp names
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0 \
    quick "dense $c: docs" 20 0 "" -- docs --data "$tmp/dense-$c.yaml" --out "$tmp/dense-out" --graph "$tmp/dense-graph"
done
quick "dense 150-1900: --max-edges 1000 (the limit) is laid out in bounded time" 15 0 "" -- draw --max-edges 1000 --data "$tmp/dense-150-1900.yaml" -o "$tmp/dense.svg"
ok "dense 150-1900 at the limit: straight edges" 'grep -q "splines=line" <("$bin" draw --max-edges 1000 -f dot --data "$tmp/dense-150-1900.yaml")'
quick "dense: --max-edges 0 above the limit is refused" 5 2 "the drawing would have 16000 derivations (limit 1000); collapse it with --max-edges" -- draw --max-edges 0 --data "$tmp/dense-400-16000.yaml" -o "$tmp/dense.svg"
quick "dense: --max-edges above the limit" 5 2 "--max-edges is at most 1000" -- draw --max-edges 1001 --data "$tmp/dense-400-16000.yaml"

# Writing the cache image for 200,000 one-model files: finding each model's
# file scanned the file list (76 s here); now a binary search. On a tmpfs
# when one can be mounted: 200,000 files on a busy disk take a minute to
# write and another to delete.
# Under a sanitizer every file costs ten times as much: 20,000 files there.
nfiles=200000
if ldd "$bin" 2>/dev/null | grep -q 'libasan'; then nfiles=20000; fi
last=m$(printf %06d $((nfiles - 1)))
mkdir -p "$tmp/many"
mount -t tmpfs -o size=2g tmpfs "$tmp/many" 2>/dev/null
python3 - "$tmp/many/files" "$nfiles" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.mkdir(d)
for i in range(n):
    with open(f"{d}/m{i:06d}.yaml", "w") as f:
        f.write(f"- {{id: m{i}, stage: sft, sources: [x]}}\n")
PY
mkdir -p "$tmp/many/cache"
LINEAGE_CACHE=$tmp/many/cache quick "$nfiles one-model files: cache" 30 0 "" -- cache --data "$tmp/many/files"
ok "$nfiles files: image built" 'grep -q "state: rebuilt" "$tmp/out"'
LINEAGE_CACHE=$tmp/many/cache quick "$nfiles files: a query from the image" 10 0 "" -- show "m$((nfiles - 1))" --data "$tmp/many/files"
ok "$nfiles files: the model's file comes back from the image" 'grep -q "defined at: *$tmp/many/files/$last.yaml:1:3" "$tmp/out"'
mountpoint -q "$tmp/many" && umount "$tmp/many"
rm -rf "$tmp/many"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
