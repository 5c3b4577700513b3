/*
 * server.c - the resident server (as bazel keeps its build graph warm in a
 * server): one per cache directory, started in the background by a query
 * on a big catalog, listening on CACHE/server.sock, exiting when idle.
 *
 * It keeps the catalog open (its image read and checked once) and runs
 * each request in a worker forked for it: the worker takes the client's
 * standard streams, working directory, umask and environment, runs the
 * command exactly as `lineage` would (cli_main), and the server reports
 * how it ended. The image is copied into private memory on huge pages
 * (read.c), not mapped: a fork then copies 2 MB page entries (~1 ms at a
 * million models; ~40 ms on 4 kB pages), and the worker reads the image
 * without a page fault, where a mapped file's pages, never copied by a
 * fork, fault again in every worker (a depth-2 query over 873 models:
 * 37 ms mapped, 20 ms copied). A copy also needs no lease.
 *
 * Every request is checked (serve.h, the peer's uid); what the worker does
 * not serve (a command that writes files or the cache, other resource
 * limits than the server's) it declines before doing anything, and the
 * front end runs it itself. A request naming another catalog is run all
 * the same (opened as usual), and the worker asks the server, through a
 * pipe, to keep that one instead.
 */
#define _GNU_SOURCE /* signalfd, clearenv, pipe2, POSIX_SPAWN_SETSID */
#include "cli.h"
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* catalogs smaller than this answer a query in ~10 ms without a server */
#define AUTO_MIN_MODELS 50000
#define IDLE_SEC 900 /* LINEAGE_SERVER_IDLE overrides */
#define MAX_WORKERS 32
#define REQUEST_TIMEOUT_MS 5000
#define WISH_MAX 4096 /* PIPE_BUF: one write, one read, never interleaved */

typedef struct worker {
	pid_t pid;
	int conn; /* where its status goes */
} worker;

typedef struct server {
	int dirfd, lock, listen, sigfd, wish[2];
	struct stat sock;
	char cache_dir[LIN_PATH_MAX];
	worker w[MAX_WORKERS];
	int nworkers;
	time_t last;
	cli_resident resident;
} server;

static int in_worker;
static int wish_fd = -1;

/* ---- whether to serve -------------------------------------------------- */

/* LINEAGE_SERVER: "0"/"off" never, "1"/"on" for any catalog, else (unset,
 * "auto") for big ones. */
static int server_mode(void)
{
	const char *e = getenv("LINEAGE_SERVER");
	if (e && (strcmp(e, "0") == 0 || strcmp(e, "off") == 0))
		return 0;
	return e && (strcmp(e, "1") == 0 || strcmp(e, "on") == 0) ? 2 : 1;
}

/* The command argv runs (the global options skipped as main does), or NULL. */
static const cli_cmd *verb_of(int argc, char **argv)
{
	int k = 1;
	while (k < argc && argv[k][0] == '-' && argv[k][1]) {
		const char *w = argv[k];
		if (cli_global_index(w) < 0)
			return NULL; /* --help, --version, a mistake: main says so */
		k += w[1] == '-' && strchr(w, '=') ? 1 : 2;
	}
	return k < argc ? cli_command(argv[k]) : NULL;
}

/* ---- starting one -------------------------------------------------------- */

/* The pid of the server answering on cache_dir's socket (the user's own),
 * or 0. The connection is dropped unused: its worker sees no request. */
static pid_t server_up(const char *cache_dir)
{
	char path[108];
	struct ucred cr = {0};
	socklen_t crl = sizeof(cr);
	int dfd = srv_open_dir(cache_dir), up = 0;
	if (dfd < 0)
		return 0;
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	srv_socket_path(path, sizeof(path), dfd);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	up = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	     getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &crl) == 0 && cr.uid == geteuid() &&
	     cr.pid > 0;
	if (s >= 0)
		close(s);
	close(dfd);
	return up ? cr.pid : 0;
}

/* Starts `lineage-core __server CACHE CWD PATH...` in a session of its own,
 * its standard streams on /dev/null. posix_spawn, not fork: after a cold
 * load the heap is hundreds of MB, whose page tables fork would copy. */
static pid_t spawn_server(const char *cache_dir, const char *const *paths, size_t np)
{
	char exe[PATH_MAX], cwd[PATH_MAX];
	char *argv[CLI_MAX_DATA + 5];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k <= 0 || !getcwd(cwd, sizeof(cwd)) || np > CLI_MAX_DATA)
		return 0;
	exe[k] = '\0';
	size_t n = 0;
	argv[n++] = "lineage";
	argv[n++] = "__server";
	argv[n++] = (char *)cache_dir;
	argv[n++] = cwd;
	for (size_t i = 0; i < np; i++)
		argv[n++] = (char *)paths[i];
	argv[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return 0;
	if (posix_spawnattr_init(&at) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return 0;
	}
	for (int fd = 0; fd < 3; fd++)
		posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK);
	pid_t pid;
	int rc = posix_spawn(&pid, exe, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc == 0 ? pid : 0;
}

/* A worker asks its server to keep the catalog it opened (one write of
 * WISH_MAX at most: "CWD\0CACHE\0PATH\0..."); dropped when it does not fit
 * or the pipe is full. */
static void send_wish(const char *cache_dir, const char *const *paths, size_t np)
{
	char buf[WISH_MAX], cwd[PATH_MAX];
	size_t n = 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return;
	const char *parts[CLI_MAX_DATA + 2];
	size_t k = 0;
	parts[k++] = cwd;
	parts[k++] = cache_dir;
	for (size_t i = 0; i < np && k < CLI_MAX_DATA + 2; i++)
		parts[k++] = paths[i];
	for (size_t i = 0; i < k; i++) {
		size_t l = strlen(parts[i]) + 1;
		if (n + l > sizeof(buf))
			return;
		memcpy(buf + n, parts[i], l);
		n += l;
	}
	if (write(wish_fd, buf, n) < 0)
		return; /* the server is busy: the next request asks again */
}

/* cli_open_hook: a big catalog opened here, on a command the server
 * serves, starts a server (or, in a worker, asks its own to keep it). */
static const cli_cmd *running;
static void on_open(const char *cache_dir, const char *const *paths, size_t np,
                    const lin_catalog *cat)
{
	int mode = server_mode();
	if (!mode || !cache_dir || !running || !running->served ||
	    (mode == 1 && lin_catalog_count(cat) < AUTO_MIN_MODELS))
		return;
	for (size_t i = 0; i < np; i++)
		if (strcmp(paths[i], "-") == 0)
			return;
	if (in_worker)
		send_wish(cache_dir, paths, np);
	else if (!server_up(cache_dir))
		spawn_server(cache_dir, paths, np); /* not waited for: reaped by init */
}

void cli_server_install(const cli_cmd *cmd)
{
	running = cmd;
	cli_open_hook = on_open;
}

/* ---- the worker ---------------------------------------------------------- */

/* Receives the hello and its descriptors (fds[] set to -1 first). */
static int recv_hello(int conn, srv_hello *h, int fds[SRV_NFDS])
{
	char ctl[CMSG_SPACE(sizeof(int) * SRV_NFDS)];
	struct iovec iov = {h, sizeof(*h)};
	struct msghdr msg = {0};
	struct pollfd pf = {conn, POLLIN, 0};
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	for (int i = 0; i < SRV_NFDS; i++)
		fds[i] = -1;
	if (poll(&pf, 1, REQUEST_TIMEOUT_MS) != 1)
		return -1;
	ssize_t r = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int got = 0;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int) * SRV_NFDS)) {
		memcpy(fds, CMSG_DATA(c), sizeof(int) * SRV_NFDS);
		got = 1;
	}
	/* a short hello, cut control data or another number of descriptors:
	 * whatever did arrive is closed */
	if (r != (ssize_t)sizeof(*h) || !got || (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC))) {
		for (int i = 0; got && i < SRV_NFDS; i++)
			close(fds[i]);
		return -1;
	}
	return 0;
}

/* Whether this process's limits are the client's: a worker runs under the
 * server's, so a client under `ulimit` (a test of what happens when memory
 * runs out) runs its command itself. */
static int same_limits(const srv_hello *h)
{
	for (int i = 0; i < SRV_NLIMITS; i++) {
		struct rlimit rl;
		if (getrlimit(srv_limit_ids[i], &rl) != 0 || h->limits[i][0] != (uint64_t)rl.rlim_cur ||
		    h->limits[i][1] != (uint64_t)rl.rlim_max)
			return 0;
	}
	return 1;
}

static void send_frame(int conn, uint32_t kind, int32_t value)
{
	srv_frame f = {SRV_MAGIC, kind, value, 0};
	srv_send_all(conn, &f, sizeof(f));
}

/* Takes the client's place: its streams, directory, umask, environment and
 * ignored signals. */
static int become_client(const srv_request *q, int fds[SRV_NFDS])
{
	for (int i = 0; i < 3; i++)
		if (dup2(fds[i], i) < 0)
			return -1;
	if (fchdir(fds[3]) != 0)
		return -1;
	for (int i = 0; i < SRV_NFDS; i++)
		if (fds[i] > 2)
			close(fds[i]);
	umask((mode_t)q->hello.umask);
	if (clearenv() != 0)
		return -1;
	for (int i = 0; i < q->envc; i++)
		if (strchr(q->envp[i], '=') && putenv(q->envp[i]) != 0)
			return -1;
	for (int s = 1; s < 65 && s < NSIG; s++)
		if ((q->hello.ignored >> (s - 1) & 1) && s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_IGN);
	return 0;
}

/* The forked worker: reads and checks the request, declines or accepts it,
 * waits for the client's go, runs it. Never returns. */
static void run_worker(server *s, int conn)
{
	srv_hello h;
	srv_request q;
	int fds[SRV_NFDS];
	const char *why;
	char *body = NULL;
	struct ucred cr;
	socklen_t crl = sizeof(cr);
	char go = 0;
	in_worker = 1;
	wish_fd = s->wish[1];
	close(s->listen);
	close(s->sigfd);
	close(s->wish[0]);
	close(s->lock);
	for (int i = 0; i < s->nworkers; i++)
		close(s->w[i].conn);
	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cr, &crl) != 0 || cr.uid != geteuid() ||
	    recv_hello(conn, &h, fds) != 0)
		_exit(0);
	if (srv_hello_check(&h, &why) != 0 || !(body = malloc(h.body_len ? h.body_len : 1)) ||
	    srv_read_all(conn, body, h.body_len, REQUEST_TIMEOUT_MS) != 0 ||
	    srv_request_parse(&q, &h, body, h.body_len, &why) != 0)
		_exit(0);
	const cli_cmd *cmd = verb_of(q.argc, q.argv);
	if (!cmd || !cmd->served || !same_limits(&h)) {
		send_frame(conn, SRV_DECLINE, 0);
		_exit(0);
	}
	send_frame(conn, SRV_ACCEPT, (int32_t)getpid());
	if (srv_read_all(conn, &go, 1, REQUEST_TIMEOUT_MS) != 0 || go != SRV_GO)
		_exit(0);
	if (become_client(&q, fds) != 0) {
		/* committed (the client said go): say why on its stderr */
		dprintf(fds[2] >= 0 ? fds[2] : 2, "lineage: the server could not take over the "
		                                  "request's streams or directory: %s\n", strerror(errno));
		_exit(2);
	}
	close(conn); /* the server reports the status */
	cli_served = &s->resident;
	int rc = cli_main(q.argc, q.argv);
	/* _exit: the streams flushed, no exit handlers (Graphviz's and the C
	 * library's teardown of what the server set up: ~1 ms per request, for
	 * memory the exit gives back anyway) */
	fflush(NULL);
	_exit(rc);
}

/* ---- the server ---------------------------------------------------------- */

static void keep(server *s, lin_catalog *cat, lin_diags *d)
{
	lin_catalog_set_resident(s->resident.cat, 0);
	lin_catalog_free(s->resident.cat);
	lin_diags_dispose(&s->resident.diags);
	s->resident.cat = cat;
	s->resident.diags = *d;
	s->resident.forked = 0;
	snprintf(s->resident.cache_dir, sizeof(s->resident.cache_dir), "%s", s->cache_dir);
	lin_catalog_set_resident(cat, 1);
}

/* Opens the catalog of paths as a request from cwd would, and keeps it
 * when it came from its image. */
static void preload(server *s, const char *cwd, const char *cache_dir, const char *const *paths,
                    size_t np)
{
	lin_open_opts o = LIN_OPEN_OPTS_INIT;
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error e;
	if (strcmp(cache_dir, s->cache_dir) != 0 || np == 0 || chdir(cwd) != 0)
		return;
	o.cache_dir = cache_dir;
	o.map_signal = 0; /* copied: see the top of this file */
	lin_diags_init(&d);
	if (lin_catalog_open(&cat, paths, np, &o, &d, &e) == 0 && lin_catalog_is_current(cat, paths, np)) {
		keep(s, cat, &d);
		cat = NULL;
	} else {
		lin_diags_dispose(&d);
	}
	lin_catalog_free(cat);
	if (chdir("/") != 0)
		return;
}

/* A worker's wish: "CWD\0CACHE\0PATH\0...", checked, then preloaded. */
static void take_wish(server *s)
{
	char buf[WISH_MAX + 1];
	ssize_t n = read(s->wish[0], buf, WISH_MAX);
	if (n <= 0 || buf[n - 1] != '\0')
		return;
	const char *part[CLI_MAX_DATA + 2];
	size_t k = 0;
	for (ssize_t at = 0; at < n && k < CLI_MAX_DATA + 2; at += (ssize_t)strlen(buf + at) + 1)
		part[k++] = buf + at;
	if (k >= 3)
		preload(s, part[0], part[1], part + 2, k - 2);
}

static void accept_one(server *s)
{
	int conn = accept4(s->listen, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return;
	s->last = time(NULL);
	pid_t pid = s->nworkers < MAX_WORKERS ? fork() : -1;
	if (pid == 0)
		run_worker(s, conn);
	if (pid < 0) { /* the client sees the door close and runs it itself */
		close(conn);
		return;
	}
	s->w[s->nworkers++] = (worker){pid, conn};
}

/* Reaps finished workers and tells their clients how they ended. */
static void reap(server *s)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < s->nworkers; i++) {
			if (s->w[i].pid != pid)
				continue;
			if (WIFSIGNALED(status))
				send_frame(s->w[i].conn, SRV_SIGNAL, WTERMSIG(status));
			else
				send_frame(s->w[i].conn, SRV_EXIT, WEXITSTATUS(status) & 255);
			close(s->w[i].conn);
			s->w[i] = s->w[--s->nworkers];
			break;
		}
	}
	s->last = time(NULL);
}

/* Whether the socket at our name is still ours: a new server, a cleared
 * cache or a removed directory ends this one. */
static int still_ours(server *s)
{
	struct stat st;
	return fstatat(s->dirfd, SRV_SOCKET, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       st.st_dev == s->sock.st_dev && st.st_ino == s->sock.st_ino;
}

static int idle_limit(void)
{
	const char *e = getenv("LINEAGE_SERVER_IDLE");
	long v = e && *e ? strtol(e, NULL, 10) : IDLE_SEC;
	return v > 0 && v < 86400 * 7 ? (int)v : IDLE_SEC;
}

/* Takes the directory's lock: one server per cache. */
static int server_lock(server *s, const char *cache_dir)
{
	snprintf(s->cache_dir, sizeof(s->cache_dir), "%s", cache_dir);
	if ((s->dirfd = srv_open_dir(cache_dir)) < 0)
		return -1;
	s->lock = openat(s->dirfd, SRV_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	return s->lock >= 0 && flock(s->lock, LOCK_EX | LOCK_NB) == 0 ? 0 : -1;
}

/* Binds the socket, once the catalog is in: a socket there means a server
 * ready to answer (`lineage server start` waits for it). */
static int server_open(server *s)
{
	char path[108];
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	/* holding the lock, any socket here is a dead server's */
	unlinkat(s->dirfd, SRV_SOCKET, 0);
	srv_socket_path(path, sizeof(path), s->dirfd);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	s->listen = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	mode_t old = umask(0077);
	int bound = s->listen >= 0 && bind(s->listen, (struct sockaddr *)&a, sizeof(a)) == 0;
	umask(old);
	if (!bound || listen(s->listen, 64) != 0 ||
	    fstatat(s->dirfd, SRV_SOCKET, &s->sock, AT_SYMLINK_NOFOLLOW) != 0)
		return -1;
	if (pipe2(s->wish, O_CLOEXEC | O_DIRECT | O_NONBLOCK) != 0)
		return -1;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return s->sigfd >= 0 ? 0 : -1;
}

/* A signal read from sigfd: 1 to go on, 0 to stop (TERM, INT, HUP). */
static int on_signal(server *s)
{
	struct signalfd_siginfo si;
	int go = 1;
	while (read(s->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			go = 0;
	reap(s);
	return go;
}

static void server_loop(server *s)
{
	int idle = idle_limit();
	for (;;) {
		struct pollfd pf[3] = {{s->listen, POLLIN, 0}, {s->sigfd, POLLIN, 0},
		                       {s->wish[0], POLLIN, 0}};
		int k = poll(pf, 3, 1000);
		if (k < 0 && errno != EINTR)
			break;
		if (k > 0 && (pf[1].revents & POLLIN) && !on_signal(s))
			break;
		if (k > 0 && (pf[2].revents & POLLIN))
			take_wish(s);
		if (k > 0 && (pf[0].revents & POLLIN))
			accept_one(s);
		if (!still_ours(s))
			break;
		if (s->nworkers == 0 && time(NULL) - s->last > idle)
			break;
	}
}

/* Stops taking requests, and waits for the workers still running, so
 * that each client hears how its command ended. */
static void server_drain(server *s)
{
	if (s->listen >= 0 && still_ours(s))
		unlinkat(s->dirfd, SRV_SOCKET, 0);
	if (s->listen >= 0)
		close(s->listen);
	s->listen = -1;
	while (s->nworkers > 0) {
		struct pollfd pf = {s->sigfd, POLLIN, 0};
		if (poll(&pf, 1, 1000) < 0 && errno != EINTR)
			break;
		on_signal(s);
	}
}

int cli_server_main(int argc, char **argv)
{
	server s;
	memset(&s, 0, sizeof(s));
	s.dirfd = s.lock = s.listen = s.sigfd = s.wish[0] = s.wish[1] = -1;
	lin_diags_init(&s.resident.diags);
	if (argc < 5 || server_mode() == 0)
		return CLI_USAGE;
	/* its streams are /dev/null (spawn_server): nothing it says is read */
	if (server_lock(&s, argv[2]) == 0) {
		preload(&s, argv[3], argv[2], (const char *const *)argv + 4, (size_t)argc - 4);
		/* no catalog worth keeping: nothing to serve */
		if (s.resident.cat && server_open(&s) == 0) {
			s.last = time(NULL);
			server_loop(&s);
			server_drain(&s);
		}
	}
	lin_catalog_set_resident(s.resident.cat, 0);
	lin_catalog_free(s.resident.cat);
	lin_diags_dispose(&s.resident.diags);
	int fds[] = {s.dirfd, s.lock, s.listen, s.sigfd, s.wish[0], s.wish[1]};
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return CLI_OK;
}

/* ---- `lineage server` ---------------------------------------------------- */

/* Waits up to sec seconds for pid's server to answer (up) or to be gone. */
static pid_t wait_server(const char *dir, pid_t pid, int up, int sec)
{
	for (int i = 0; i < sec * 50; i++) {
		pid_t now = server_up(dir);
		if (up ? now != 0 : now != pid)
			return now;
		if (!up && kill(pid, 0) != 0 && errno == ESRCH)
			return 0;
		if (up && pid > 0 && waitpid(pid, NULL, WNOHANG) == pid)
			return 0; /* it gave up: nothing it could keep */
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return up ? 0 : pid;
}

static int server_start(const cli_args *a, const char *dir)
{
	lin_catalog *cat = NULL;
	const char *paths[CLI_MAX_DATA];
	size_t np = cli_data_paths(a, paths);
	pid_t pid = server_up(dir);
	if (pid) {
		printf("running: pid %ld, %s/%s\n", (long)pid, dir, SRV_SOCKET);
		return CLI_OK;
	}
	int rc = cli_load(a, &cat, NULL, 0); /* the image written, if it was not */
	lin_catalog_free(cat);
	if (rc)
		return rc;
	pid = spawn_server(dir, paths, np);
	if (!pid || !(pid = wait_server(dir, pid, 1, 120))) {
		cli_errorf("the server did not start (a catalog from standard input or model cards is "
		           "never kept)");
		return CLI_USAGE;
	}
	printf("started: pid %ld, %s/%s\n", (long)pid, dir, SRV_SOCKET);
	return CLI_OK;
}

static int run_server(const cli_cmd *cmd, const cli_args *a)
{
	char dir[LIN_PATH_MAX];
	const char *act = a->npos ? a->pos[0] : "status";
	if (!cli_cache_dir(dir, sizeof(dir))) {
		cli_errorf("no cache directory (LINEAGE_CACHE is 'off', or neither XDG_CACHE_HOME nor HOME is set)");
		return CLI_USAGE;
	}
	if (strcmp(act, "start") == 0) {
		if (!server_mode()) {
			cli_errorf("LINEAGE_SERVER is '%s': the server is off", getenv("LINEAGE_SERVER"));
			return CLI_USAGE;
		}
		return server_start(a, dir);
	}
	pid_t pid = server_up(dir);
	if (strcmp(act, "status") == 0) {
		if (pid)
			printf("running: pid %ld, %s/%s\n", (long)pid, dir, SRV_SOCKET);
		else
			printf("not running (%s/%s)\n", dir, SRV_SOCKET);
		return pid ? CLI_OK : CLI_NO;
	}
	if (strcmp(act, "stop") != 0)
		return cli_unknown("action", act, NULL);
	if (!pid) {
		printf("not running (%s/%s)\n", dir, SRV_SOCKET);
		return CLI_OK;
	}
	/* TERM: it stops taking requests and lets those running finish */
	if (kill(pid, SIGTERM) != 0 || wait_server(dir, pid, 0, 30) != 0) {
		cli_errorf("the server (pid %ld) did not stop", (long)pid);
		return CLI_USAGE;
	}
	printf("stopped: pid %ld\n", (long)pid);
	return CLI_OK;
}

static const cli_opt server_opts[] = {CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END};

const cli_cmd cmd_server = {
	.name = "server",
	.args = "[start|stop|status]",
	.summary = "the resident server that answers queries on a big catalog",
	.help = "A query on a catalog of 50,000 models or more starts a server in the\n"
	        "background (LINEAGE_SERVER=1: for any catalog; 0 or off: never). It\n"
	        "keeps the catalog's cache image in memory, checked once, and answers\n"
	        "the queries that follow in 6-9 ms instead of ~30 ms at a million models,\n"
	        "byte for byte as lineage itself would: each runs in a process of its\n"
	        "own with the caller's standard streams, directory, environment and umask.\n"
	        "It listens on server.sock in the cache directory (yours alone), checks\n"
	        "the catalog's files before every answer, keeps the catalog last asked\n"
	        "for, and exits after LINEAGE_SERVER_IDLE seconds without a request\n"
	        "(default 900) or when its socket is removed. Commands that write files,\n"
	        "and callers under other resource limits (ulimit), run as before.\n"
	        "start: open the catalog of --data and start the server now, waiting\n"
	        "until it answers; stop: stop it (queries running finish first);\n"
	        "status (the default): say whether one runs (exit 1 when not).",
	.examples = "lineage server start --data hub.yaml\n"
	            "lineage server status\n"
	            "lineage server stop",
	.exits = "0 ok (status: running)\n1 status: not running\n2 usage or input error",
	.opts = server_opts,
	.min_pos = 0,
	.max_pos = 1,
	.run = run_server,
};
