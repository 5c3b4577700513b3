/*
 * wire.c - the resident server's messages and its place on disk (serve.h):
 * libc only, linked into both the front end and the full program, and
 * fuzzed (tests/fuzz/fuzz_wire.c): whichever end reads it, a message is
 * untrusted input.
 */
#define _GNU_SOURCE /* O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC on glibc */
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

const int srv_limit_ids[SRV_NLIMITS] = {RLIMIT_AS,     RLIMIT_DATA,   RLIMIT_FSIZE,
                                        RLIMIT_CPU,    RLIMIT_NOFILE, RLIMIT_CORE};

int srv_hello_check(const srv_hello *h, const char **why)
{
	*why = NULL;
	if (h->magic != SRV_MAGIC || h->version != SRV_VERSION)
		*why = "not a lineage request";
	else if (h->argc < 1 || h->argc > SRV_MAX_WORDS || h->envc > SRV_MAX_WORDS)
		*why = "bad word counts";
	else if (h->body_len > SRV_MAX_BODY || h->body_len < h->argc + h->envc)
		*why = "bad body length";
	else if (h->umask > 0777)
		*why = "bad umask";
	return *why ? -1 : 0;
}

void srv_request_dispose(srv_request *r)
{
	free(r->argv);
	free(r->envp);
	memset(r, 0, sizeof(*r));
}

/* Points out[0..k) at the next k strings of body from *at; -1 when one
 * runs past the end. */
static int split(char **out, uint32_t k, char *body, size_t len, size_t *at)
{
	for (uint32_t i = 0; i < k; i++) {
		if (*at >= len)
			return -1;
		char *s = body + *at, *nul = memchr(s, '\0', len - *at);
		if (!nul)
			return -1;
		out[i] = s;
		*at = (size_t)(nul - body) + 1;
	}
	out[k] = NULL;
	return 0;
}

int srv_request_parse(srv_request *r, const srv_hello *h, char *body, size_t len,
                      const char **why)
{
	size_t at = 0;
	memset(r, 0, sizeof(*r));
	if (srv_hello_check(h, why) != 0)
		return -1;
	if (len != h->body_len) {
		*why = "body length differs from its hello";
		return -1;
	}
	r->argv = calloc((size_t)h->argc + 1, sizeof(char *));
	r->envp = calloc((size_t)h->envc + 1, sizeof(char *));
	if (!r->argv || !r->envp) {
		*why = "out of memory";
		goto fail;
	}
	if (split(r->argv, h->argc, body, len, &at) != 0 ||
	    split(r->envp, h->envc, body, len, &at) != 0) {
		*why = "a string runs past the body";
		goto fail;
	}
	if (at != len) {
		*why = "bytes after the last string";
		goto fail;
	}
	r->hello = *h;
	r->argc = (int)h->argc;
	r->envc = (int)h->envc;
	return 0;
fail:
	srv_request_dispose(r);
	return -1;
}

int srv_frame_check(const srv_frame *f)
{
	if (f->magic != SRV_MAGIC || f->pad != 0)
		return -1;
	switch (f->kind) {
	case SRV_ACCEPT: return f->value > 0 ? 0 : -1;
	case SRV_DECLINE: return 0;
	case SRV_EXIT: return f->value >= 0 && f->value <= 255 ? 0 : -1;
	case SRV_SIGNAL: return f->value > 0 && f->value < 65 ? 0 : -1;
	default: return -1;
	}
}

const char *srv_cache_dir(char *buf, size_t n)
{
	const char *env = getenv("LINEAGE_CACHE"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int w = -1;
	if (env && strcmp(env, "off") == 0)
		return NULL;
	if (env && *env)
		w = snprintf(buf, n, "%s", env);
	else if (xdg && xdg[0] == '/') /* the spec: a relative one is ignored */
		w = snprintf(buf, n, "%s/lineage", xdg);
	else if (home && *home)
		w = snprintf(buf, n, "%s/.cache/lineage", home);
	return w > 0 && (size_t)w < n ? buf : NULL;
}

int srv_open_dir(const char *dir)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* whoever else can write here can plant a socket that answers for us */
	if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		return -1;
	}
	return fd;
}

void srv_socket_path(char *buf, size_t n, int dirfd)
{
	snprintf(buf, n, "/proc/self/fd/%d/%s", dirfd, SRV_SOCKET);
}

void srv_catch_signals(const int *sigs, size_t n, void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < n; i++) {
		struct sigaction old;
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

int srv_send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int srv_read_all(int fd, void *p, size_t n, int timeout_ms)
{
	char *c = p;
	while (n) {
		struct pollfd pf = {fd, POLLIN, 0};
		int k = poll(&pf, 1, timeout_ms);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		ssize_t r = read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}
