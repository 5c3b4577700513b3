/*
 * server.c - the resident server (as bazel keeps its build graph warm in a
 * server): one per cache directory, started in the background by a query
 * on a big catalog, listening on CACHE/server.sock, exiting when idle.
 *
 * It keeps the catalog open (its image mapped and checked once) and runs
 * each request in a worker forked for it: the worker takes the client's
 * standard streams, working directory, umask and environment, runs the
 * command exactly as `lineage` would (cli_main), and the server reports
 * how it ended. A fork of a process whose catalog is a mapped file costs
 * ~0.3 ms (no page tables to copy for the mapping), where one with the
 * catalog in private memory costs ~40 ms at a million models: hence the
 * mapping, and each worker's own lease on it (lin_catalog_after_fork).
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

/* Whether a server answers on cache_dir's socket. */
static int server_up(const char *cache_dir)
{
	char path[108];
	int dfd = srv_open_dir(cache_dir), up = 0;
	if (dfd < 0)
		return 0;
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	srv_socket_path(path, sizeof(path), dfd);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	up = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (s >= 0)
		close(s);
	close(dfd);
	return up;
}

/* Starts `lineage-core __server CACHE CWD PATH...` in a session of its own,
 * its standard streams on /dev/null. posix_spawn, not fork: after a cold
 * load the heap is hundreds of MB, whose page tables fork would copy. */
static void spawn_server(const char *cache_dir, const char *const *paths, size_t np)
{
	char exe[PATH_MAX], cwd[PATH_MAX];
	char *argv[CLI_MAX_DATA + 5];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k <= 0 || !getcwd(cwd, sizeof(cwd)) || np > CLI_MAX_DATA)
		return;
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
		return;
	if (posix_spawnattr_init(&at) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return;
	}
	for (int fd = 0; fd < 3; fd++)
		posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK);
	pid_t pid;
	posix_spawn(&pid, exe, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
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
		spawn_server(cache_dir, paths, np);
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
	if (become_client(&q, fds) != 0)
		_exit(2);
	close(conn); /* the server reports the status */
	cli_served = &s->resident;
	exit(cli_main(q.argc, q.argv));
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
 * when it came from its image (mapped: what makes a fork cheap). */
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
	o.map_signal = cli_lease_signal();
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

/* Takes the directory's lock (one server per cache) and binds its socket. */
static int server_open(server *s, const char *cache_dir)
{
	char path[108];
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(s->cache_dir, sizeof(s->cache_dir), "%s", cache_dir);
	if ((s->dirfd = srv_open_dir(cache_dir)) < 0)
		return -1;
	s->lock = openat(s->dirfd, SRV_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (s->lock < 0 || flock(s->lock, LOCK_EX | LOCK_NB) != 0)
		return -1;
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
	if (server_open(&s, argv[2]) == 0) {
		preload(&s, argv[3], argv[2], (const char *const *)argv + 4, (size_t)argc - 4);
		s.last = time(NULL);
		server_loop(&s);
		server_drain(&s);
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
