/*
 * serve.h - the resident server's wire and its place on disk, shared by
 * the `lineage` front end (front.c: libc only, so that a query answered by
 * the server costs no start-up of igraph, Graphviz and their 30 shared
 * libraries) and the server in the full program (src/cli/server.c).
 *
 * A request is one Unix-socket connection to CACHE/server.sock:
 *   client -> server  srv_hello, with SRV_NFDS descriptors attached
 *                     (SCM_RIGHTS: stdin, stdout, stderr, the working
 *                     directory), then body_len bytes: argc then envc
 *                     NUL-terminated strings
 *   server -> client  a frame: SRV_ACCEPT (value: the worker's pid, for
 *                     the client to forward signals to) or SRV_DECLINE
 *                     (run it yourself: nothing has been done)
 *   client -> server  one byte, SRV_GO, after an SRV_ACCEPT: from here on
 *                     the request is the server's (a client that gave up
 *                     waiting never sends it, so it is never run twice)
 *   server -> client  a frame: SRV_EXIT (value: the status) or SRV_SIGNAL
 *                     (value: the signal the worker died of)
 * Both ends are the same user's (SO_PEERCRED), on the same machine: host
 * byte order. Each side still treats the other as untrusted input.
 */
#ifndef LINEAGE_SERVE_H
#define LINEAGE_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define SRV_MAGIC 0x314e534cu /* "LSN1" */
#define SRV_VERSION 1u
#define SRV_NFDS 4
#define SRV_MAX_BODY (1u << 20)
#define SRV_MAX_WORDS 8192u
#define SRV_SOCKET "server.sock"
#define SRV_LOCK "server.lock"
#define SRV_GO 'g'
/* the resource limits a request carries (a worker runs under the
 * server's: a client whose limits differ is declined) */
#define SRV_NLIMITS 6

enum { SRV_ACCEPT = 1, SRV_DECLINE, SRV_EXIT, SRV_SIGNAL };

typedef struct srv_hello {
	uint32_t magic, version;
	uint32_t argc, envc, body_len;
	uint32_t umask;
	uint64_t ignored;                 /* bit s - 1: the client ignores signal s */
	uint64_t limits[SRV_NLIMITS][2];  /* soft, hard, of srv_limit_ids */
} srv_hello;

typedef struct srv_frame {
	uint32_t magic, kind;
	int32_t value, pad;
} srv_frame;

/* A request taken apart: argv and envp point into body (NULL-terminated
 * arrays of their own; srv_request_dispose frees them, not body). */
typedef struct srv_request {
	srv_hello hello;
	char **argv, **envp;
	int argc, envc;
} srv_request;

/* The RLIMIT_* of srv_hello.limits, in order. */
extern const int srv_limit_ids[SRV_NLIMITS];

/* Takes apart the body of a request whose hello is h: the counts bounded,
 * every string terminated inside body, no byte left over. 0, or -1 with
 * why naming the fault (r is then empty). */
int srv_request_parse(srv_request *r, const srv_hello *h, char *body, size_t len,
                      const char **why);
void srv_request_dispose(srv_request *r);

/* Checks a hello before its body is read: magic, version, bounds. */
int srv_hello_check(const srv_hello *h, const char **why);

/* A frame from the other end: 0 when well formed and of kind in
 * [SRV_ACCEPT, SRV_SIGNAL] with a value that kind allows. */
int srv_frame_check(const srv_frame *f);

/* The cache directory `lineage` uses (LINEAGE_CACHE, "off" for none,
 * XDG_CACHE_HOME/lineage, HOME/.cache/lineage) into buf; NULL for none. */
const char *srv_cache_dir(char *buf, size_t n);

/* Opens dir for the server's socket: a directory of the effective user,
 * writable by nobody else (as the cache itself is judged), not a link.
 * The descriptor, or -1. */
int srv_open_dir(const char *dir);

/* The socket's address through dirfd ("/proc/self/fd/N/server.sock": a
 * long cache path still fits sun_path) into buf. */
void srv_socket_path(char *buf, size_t n, int dirfd);

/* Sets fn as the handler of each of the n signals sigs (sa_flags flags),
 * except those ignored: a signal ignored by whoever started the process
 * stays ignored (nohup, a job started with &). */
void srv_catch_signals(const int *sigs, size_t n, void (*fn)(int), int flags);

/* Sends all of n bytes / reads exactly n bytes on fd, waiting at most
 * timeout_ms between pieces (-1: no limit); 0 or -1. */
int srv_send_all(int fd, const void *p, size_t n);
int srv_read_all(int fd, void *p, size_t n, int timeout_ms);

#endif
