#!/usr/bin/env bash
# The resident server (src/cli/server.c) and the front end that talks to it
# (src/serve/front.c): started, asked, stopped; answers byte for byte as
# lineage itself gives them, with the caller's directory, standard input,
# locale and signals; declined under other resource limits; and neither
# end trusts the other: a fake server that answers garbage, a client that
# sends it, a socket removed, a directory others may write.
#
# "Served" is shown, not assumed: $front is a copy of the front end with no
# lineage-core beside it (and none installed), so it can only answer what
# a server runs for it; whatever it would run itself fails to start.
# usage: server.sh path/to/lineage   (from the repository root)
set -u
bin=${1:?usage: server.sh path/to/lineage}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
tmp=$(mktemp -d)
export LINEAGE_CACHE=$tmp/cache LINEAGE_SERVER=1 LINEAGE_SERVER_IDLE=60 LC_ALL=C.UTF-8
unset LINEAGE_DATA
cleanup() {
	"$bin" server stop >/dev/null 2>&1
	[ -n "${fake:-}" ] && kill "$fake" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
passed=0 failed=0
fail() { echo "server: $1"; failed=$((failed + 1)); }
ok() { if eval "$2"; then passed=$((passed + 1)); else fail "$1"; fi; }
# the server's workers (its children; procps may not be installed)
workers() { cat /proc/"$spid"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . ; }
# reading_fifo: waits (10 s at most) for a worker that has taken the fifo
# as its stdin, and prints its pid: the request is under way
reading_fifo() {
	local w
	for _ in $(seq 200); do
		for w in $(workers); do
			[ "$(readlink /proc/"$w"/fd/0 2>/dev/null)" = "$tmp/fifo" ] && { echo "$w"; return; }
		done
		sleep 0.05
	done
}
root=$PWD
mkdir -m 700 "$tmp/cache" "$tmp/front" "$tmp/work"
cp -r data "$tmp/work/data"
cp "$bin" "$tmp/front/lineage"
front=$tmp/front/lineage
if "$front" --version >/dev/null 2>&1; then
	echo "server: a lineage-core is installed where the front end looks; cannot tell served from not"
	echo "0 passed, 0 failed (skipped)"
	exit 0
fi
cd "$tmp/work" || exit 1

# same NAME ARGS...: the server's answer (through $front) is lineage's own,
# run with LINEAGE_SERVER=0 (stdout, stderr and exit status)
same() {
	local name=$1
	shift
	timeout 20 "$front" "$@" >"$tmp/s.out" 2>"$tmp/s.err" </dev/null
	local rs=$?
	LINEAGE_SERVER=0 timeout 20 "$bin" "$@" >"$tmp/l.out" 2>"$tmp/l.err" </dev/null
	local rl=$?
	if [ $rs != $rl ] || ! cmp -s "$tmp/s.out" "$tmp/l.out" || ! cmp -s "$tmp/s.err" "$tmp/l.err"; then
		fail "$name: served (exit $rs) and local (exit $rl) differ: $(diff "$tmp/s.out" "$tmp/l.out" | head -5) $(head -c 300 "$tmp/s.err")"
		return
	fi
	passed=$((passed + 1))
}

# ---- starting, asking, stopping -------------------------------------------
"$bin" server status >"$tmp/o" 2>&1
ok "status before: not running, exit 1" '[ $? = 1 ] && grep -q "not running" "$tmp/o"'
"$bin" server start --data data >"$tmp/o" 2>&1
ok "start: started" 'grep -q "^started: pid [0-9]" "$tmp/o"'
spid=$(sed -n 's/^started: pid \([0-9]*\).*/\1/p' "$tmp/o")
ok "status: running, the same pid" '"$bin" server status | grep -q "pid $spid"'
ok "the socket is in the cache, the user's alone" '[ -S "$tmp/cache/server.sock" ] && [ "$(stat -c %a "$tmp/cache/server.sock")" = 700 ]'

same "show" show llama --data data
same "ancestors, JSON" ancestors chinese-vicuna --format json --data data
same "descendants, text" descendants llama --data data
same "is-ancestor: no (exit 1)" is-ancestor alpaca llama --data data
same "path" path llama chinese-vicuna --data data
same "common" common alpaca chinese-vicuna --data data
same "query" query 'ancestors(chinese-vicuna) - ancestors(alpaca)' --data data
same "licenses (exit 1 when it flags)" licenses chinese-vicuna --data data
same "roots" roots --top 3 --data data
same "stats" stats --data data
same "unknown model: the error, exit 2" show no-such-model --data data
same "a usage error" ancestors --depth x llama --data data
same "global options before the verb" --data data --format json show llama
LC_ALL=C same "the caller's locale (C: no UTF-8)" descendants llama --data data
"$front" check --data data >/dev/null 2>"$tmp/o"
ok "check is not served: the front end runs it itself (here: cannot)" 'grep -q "cannot run" "$tmp/o"'

# the caller's directory and standard input
mkdir -p "$tmp/work/sub"
(cd "$tmp/work/sub" && same "a relative --data from another directory" show llama --data ../data)
"$front" list --data - <"$root/tests/fixtures/mini/10-base.yaml" >"$tmp/s.out" 2>&1
LINEAGE_SERVER=0 "$bin" list --data - <"$root/tests/fixtures/mini/10-base.yaml" >"$tmp/l.out" 2>&1
ok "the catalog on standard input" 'cmp -s "$tmp/s.out" "$tmp/l.out" && [ -s "$tmp/s.out" ] && ! grep -q error "$tmp/s.out"'
"$front" descendants llama --data data | head -n 1 >"$tmp/o"
ok "a reader that stops early: no hang, the first line" '[ -s "$tmp/o" ]'

# a changed catalog is seen at once (its stat data checked per request)
cp -r data "$tmp/work/data2"
same "before the change" show llama --data data2
sed -i 's/^  name: LLaMA$/  name: LLaMA-changed/' data2/llama.yaml
"$front" show llama --data data2 >"$tmp/o" 2>&1
ok "after the change: the new name" 'grep -q "LLaMA-changed" "$tmp/o"'

# ---- signals and the worker's end -------------------------------------------
mkfifo "$tmp/fifo"
"$front" show llama --data - <"$tmp/fifo" >/dev/null 2>&1 &
c=$!
exec 7>"$tmp/fifo" # the worker now waits for the catalog on its stdin
reading_fifo >/dev/null
# TERM, not INT: a job started with & ignores SIGINT, and so, told so, does
# its worker
kill -TERM $c
sleep 0.3
exec 7>&-
wait $c 2>/dev/null
rc=$?
ok "a signal reaches the worker: the front end dies of SIGTERM (exit $rc)" '[ $rc = 143 ]'
for _ in $(seq 100); do [ -z "$(workers)" ] && break; sleep 0.05; done
ok "and no worker is left" '[ -z "$(workers)" ]'
"$front" show llama --data - <"$tmp/fifo" >/dev/null 2>&1 &
c=$!
exec 7>"$tmp/fifo"
w=$(reading_fifo)
[ -n "$w" ] && kill -KILL "$w"
sleep 0.3
exec 7>&-
wait $c 2>/dev/null
rc=$?
ok "a worker killed: the front end dies of the same signal (exit $rc)" '[ -n "$w" ] && [ $rc = 137 ]'

# ---- other resource limits: declined, run by the caller ------------------------
(ulimit -f 100000 && "$front" show llama --data data >/dev/null 2>"$tmp/o")
ok "under ulimit -f: declined (the front end runs it itself)" 'grep -q "cannot run" "$tmp/o"'
(ulimit -f 100000 && "$bin" show llama --data data >"$tmp/o" 2>&1)
ok "under ulimit -f, lineage itself answers" 'grep -q "LLaMA" "$tmp/o"'

# ---- a hostile client: the server goes on -----------------------------------
python3 - "$tmp/cache/server.sock" <<'PY'
import socket, struct, sys, os
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    return s
s = conn(); s.sendall(os.urandom(4096)); s.close()                 # noise
s = conn(); s.close()                                              # nothing
h = struct.pack('<6I', 0x314e534c, 1, 2, 0, 1 << 30, 0o22) + bytes(104)
s = conn(); s.sendall(h); s.close()                                # a 1 GB body, no descriptors
r, w = os.pipe()
h = struct.pack('<6I', 0x314e534c, 1, 1, 0, 8, 0o22) + bytes(104)
s = conn()
socket.send_fds(s, [h], [r, w])                                    # two descriptors, not four
s.sendall(b'lineage\0'); s.close()
h = struct.pack('<6I', 0x314e534c, 1, 3, 0, 9, 0o22) + bytes(104)  # strings past the body
s = conn(); socket.send_fds(s, [h], [0, 1, 2, 0]); s.sendall(b'lineage\0x'); s.close()
PY
sleep 0.3
ok "after a hostile client, the server still runs" 'kill -0 $spid'
same "and still answers" show alpaca --data data

# ---- a hostile server: the front end does the work itself ---------------------
"$bin" server stop >"$tmp/o" 2>&1
ok "stop: stopped" 'grep -q "^stopped: pid $spid" "$tmp/o" && [ ! -e "$tmp/cache/server.sock" ]'
# fake MODE: a server at the socket that answers each connection with MODE
cat >"$tmp/fake.py" <<'PY'
import socket, struct, sys, os
l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
l.bind(sys.argv[1]); l.listen(8)
def request(c):  # the hello and its body, as a server reads them
    h = b''
    while len(h) < 128:
        h += c.recv(128 - len(h))
    n = struct.unpack('<6I', h[:24])[4]
    while n > 0:
        n -= len(c.recv(n))
while True:
    c, _ = l.accept()
    request(c)
    if sys.argv[2] == "garbage":
        c.sendall(os.urandom(16))
    elif sys.argv[2] == "accept-then-close":
        c.sendall(struct.pack('<IIii', 0x314e534c, 1, 1, 0))  # ACCEPT, worker pid 1
        c.recv(1)
    elif sys.argv[2] == "bad-status":
        c.sendall(struct.pack('<IIii', 0x314e534c, 1, 1, 0))
        c.recv(1)
        c.sendall(struct.pack('<IIii', 0x314e534c, 3, 4096, 0))  # exit status 4096
    c.close()
PY
fake() {
	python3 "$tmp/fake.py" "$tmp/cache/server.sock" "$1" &
	fake=$!
	for _ in $(seq 50); do [ -S "$tmp/cache/server.sock" ] && break; sleep 0.05; done
}
unfake() { kill "$fake" 2>/dev/null; wait "$fake" 2>/dev/null; fake=; rm -f "$tmp/cache/server.sock"; }
fake garbage
timeout 20 "$bin" show llama --data data >"$tmp/o" 2>&1
ok "a server answering noise: lineage answers itself" '[ $? = 0 ] && grep -q "LLaMA" "$tmp/o"'
unfake
fake accept-then-close
timeout 20 "$bin" show llama --data data >"$tmp/o" 2>&1
rc=$?
ok "a server that accepts and hangs up: an error, exit 2 (exit $rc)" '[ $rc = 2 ] && grep -q "without its status" "$tmp/o"'
unfake
fake bad-status
timeout 20 "$bin" show llama --data data >"$tmp/o" 2>&1
rc=$?
ok "a status out of range: an error, exit 2 (exit $rc)" '[ $rc = 2 ] && grep -q "without its status" "$tmp/o"'
unfake
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$tmp/cache/server.sock"
timeout 20 "$bin" show llama --data data >"$tmp/o" 2>&1
ok "a dead server's socket: lineage answers itself" '[ $? = 0 ] && grep -q "LLaMA" "$tmp/o"'
"$bin" server start --data data >"$tmp/o" 2>&1
# (the query above, run by lineage itself, has started one already)
ok "and a new server takes its place" 'grep -Eq "^(started|running): pid" "$tmp/o"'
spid=$(sed -n 's/^[a-z]*: pid \([0-9]*\).*/\1/p' "$tmp/o")
chmod 777 "$tmp/cache"
"$front" show llama --data data >/dev/null 2>"$tmp/o"
ok "a cache directory others may write: its socket is not used" 'grep -q "cannot run" "$tmp/o"'
chmod 700 "$tmp/cache"

# ---- the server's end ------------------------------------------------------------
rm -f "$tmp/cache/server.sock"
for _ in $(seq 60); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
ok "its socket removed, the server exits" '! kill -0 $spid 2>/dev/null'
LINEAGE_SERVER_IDLE=1 "$bin" server start --data data >"$tmp/o" 2>&1
spid=$(sed -n 's/^started: pid \([0-9]*\).*/\1/p' "$tmp/o")
for _ in $(seq 80); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
ok "idle for LINEAGE_SERVER_IDLE seconds, it exits" '[ -n "$spid" ] && ! kill -0 $spid 2>/dev/null'
LINEAGE_SERVER=0 "$bin" server start --data data >"$tmp/o" 2>&1
ok "LINEAGE_SERVER=0: no server, said so" '[ $? = 2 ] && grep -q "the server is off" "$tmp/o"'

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
