/*
 * front.c - `lineage` itself: hands the command to the resident server
 * when one is running for the user's cache directory (src/cli/server.c),
 * else runs the full program, lineage-core, in its place (exec: the same
 * process, arguments, environment and descriptors).
 *
 * Why a front end of its own: the full program links igraph, Graphviz and
 * libyaml, 31 shared libraries whose loading and relocation take ~7 ms
 * before main; a point query the server answers takes ~1 ms. This file
 * links nothing but libc, so a served query pays ~1 ms of start-up.
 * Nothing here reads the command line: the server's worker runs the full
 * program's own parser, and declines what it does not serve.
 */
#define _GNU_SOURCE
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;

/* how long to wait for the server to take a request before running it
 * here instead (a server busy opening a catalog answers within a second) */
#define ACCEPT_TIMEOUT_MS 10000

static volatile sig_atomic_t worker_pid;

/* Ctrl-C and the like are meant for the command: the worker gets them. */
static void forward(int sig)
{
	if (worker_pid > 0)
		kill((pid_t)worker_pid, sig);
}

static void forward_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	srv_catch_signals(sigs, sizeof(sigs) / sizeof(sigs[0]), forward, SA_RESTART);
}

/* The hello and body of this process's request into h, *body (malloc). */
static int build_request(srv_hello *h, char **body, int argc, char **argv)
{
	size_t len = 0, envc = 0;
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	for (char **e = environ; e && *e; e++, envc++)
		len += strlen(*e) + 1;
	if (len > SRV_MAX_BODY || envc > SRV_MAX_WORDS || argc < 1 || (unsigned)argc > SRV_MAX_WORDS)
		return -1;
	char *b = malloc(len ? len : 1), *p = b;
	if (!b)
		return -1;
	for (int i = 0; i < argc; i++)
		p = stpcpy(p, argv[i]) + 1;
	for (char **e = environ; e && *e; e++)
		p = stpcpy(p, *e) + 1;
	h->magic = SRV_MAGIC;
	h->version = SRV_VERSION;
	h->argc = (uint32_t)argc;
	h->envc = (uint32_t)envc;
	h->body_len = (uint32_t)len;
	mode_t m = umask(0);
	umask(m);
	h->umask = (uint32_t)m;
	for (int s = 1; s < 65 && s < NSIG; s++) {
		struct sigaction old;
		if (sigaction(s, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			h->ignored |= 1ull << (s - 1);
	}
	for (int i = 0; i < SRV_NLIMITS; i++) {
		struct rlimit rl;
		getrlimit(srv_limit_ids[i], &rl);
		h->limits[i][0] = (uint64_t)rl.rlim_cur;
		h->limits[i][1] = (uint64_t)rl.rlim_max;
	}
	*body = b;
	return 0;
}

/* Sends the hello with our descriptors attached, then the body. */
static int send_request(int sock, const srv_hello *h, const char *body, int cwd)
{
	int fds[SRV_NFDS] = {0, 1, 2, cwd};
	char ctl[CMSG_SPACE(sizeof(fds))];
	struct iovec iov = {(void *)h, sizeof(*h)};
	struct msghdr msg = {0};
	memset(ctl, 0, sizeof(ctl));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	ssize_t w;
	do
		w = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	if (w != (ssize_t)sizeof(*h))
		return -1;
	return srv_send_all(sock, body, h->body_len);
}

/* A connection to the server of our cache directory, checked to be ours;
 * -1 when there is none. */
static int connect_server(void)
{
	char dir[PATH_MAX], path[108];
	const char *env = getenv("LINEAGE_SERVER");
	if ((env && (strcmp(env, "0") == 0 || strcmp(env, "off") == 0)) ||
	    !srv_cache_dir(dir, sizeof(dir)))
		return -1;
	int dfd = srv_open_dir(dir), sock = -1;
	if (dfd < 0)
		return -1;
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	srv_socket_path(path, sizeof(path), dfd);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct ucred cr;
	socklen_t crl = sizeof(cr);
	if (sock < 0 || connect(sock, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cr, &crl) != 0 || cr.uid != geteuid()) {
		if (sock >= 0)
			close(sock);
		sock = -1;
	}
	close(dfd);
	return sock;
}

/* Reads one well-formed frame; -1 on anything else. */
static int read_frame(int sock, srv_frame *f, int timeout_ms)
{
	return srv_read_all(sock, f, sizeof(*f), timeout_ms) == 0 && srv_frame_check(f) == 0 ? 0 : -1;
}

/* Has the server run the command: 1 with *status (>= 0: exit status,
 * < 0: minus the signal the worker died of), 0 when it did not and we
 * must (nothing was run). */
static int try_server(int argc, char **argv, int *status)
{
	srv_hello h;
	srv_frame f;
	char *body = NULL;
	int served = 0, cwd = -1, sock = connect_server();
	if (sock < 0)
		return 0;
	cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || build_request(&h, &body, argc, argv) != 0 ||
	    send_request(sock, &h, body, cwd) != 0 || read_frame(sock, &f, ACCEPT_TIMEOUT_MS) != 0 ||
	    f.kind != SRV_ACCEPT)
		goto done;
	worker_pid = f.value;
	forward_signals();
	char go = SRV_GO;
	if (srv_send_all(sock, &go, 1) != 0)
		goto done; /* never told to go: it does not run */
	served = 1;
	if (read_frame(sock, &f, -1) != 0 || (f.kind != SRV_EXIT && f.kind != SRV_SIGNAL)) {
		fputs("lineage: the server ended the request without its status\n", stderr);
		*status = 2;
	} else {
		*status = f.kind == SRV_EXIT ? f.value : -f.value;
	}
done:
	free(body);
	if (cwd >= 0)
		close(cwd);
	close(sock);
	return served;
}

/* The full program: beside this one (a build tree), where it is
 * installed relative to this one (an install under DESTDIR or moved as a
 * whole), else where it was installed. */
static const char *core_path(char *buf, size_t n)
{
	static const char *const rel[] = {"lineage-core", LINEAGE_CORE_REL};
	char self[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash = k > 0 ? (self[k] = '\0', strrchr(self, '/')) : NULL;
	for (size_t i = 0; slash && i < sizeof(rel) / sizeof(rel[0]); i++) {
		int w = snprintf(buf, n, "%.*s/%s", (int)(slash - self), self, rel[i]);
		if (w > 0 && (size_t)w < n && access(buf, X_OK) == 0)
			return buf;
	}
	return LINEAGE_CORE;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	int status;
	if (argc > 0 && try_server(argc, argv, &status)) {
		if (status >= 0)
			return status;
		/* die as the worker did, so the caller sees how the command ended */
		signal(-status, SIG_DFL);
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, -status);
		sigprocmask(SIG_UNBLOCK, &s, NULL);
		raise(-status);
		return 128 - status;
	}
	const char *core = core_path(path, sizeof(path));
	execv(core, argv);
	fprintf(stderr, "lineage: cannot run %s: %s\n", core, strerror(errno));
	return 2;
}
