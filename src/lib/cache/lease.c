/*
 * lease.c - cache images mapped under a read lease, and the lease break
 * that turns a mapping into a private copy before anyone may change the
 * file (cache.h says why a plain mapping is not safe).
 *
 * Each mapping is recorded in a small fixed table, so that the signal
 * handler (lin_cache_lease_break) can find it by descriptor without
 * taking a lock or allocating: a slot goes FREE -> MAPPED when the image
 * is opened, MAPPED -> BREAKING -> COPIED in the handler, and back to FREE
 * when the image is closed; the transitions are atomic, so a handler on
 * one thread and a close on another never work on one slot at once.
 */
#define _GNU_SOURCE /* F_SETLEASE, F_SETSIG, mremap */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SLOT_FREE, SLOT_MAPPED, SLOT_BREAKING, SLOT_COPIED };
#define SLOTS 16

typedef struct lease_slot {
	_Atomic int state;
	_Atomic int fd;
	void *_Atomic map;
	_Atomic size_t len;
} lease_slot;

static lease_slot slots[SLOTS];

static lease_slot *slot_take(void)
{
	for (int i = 0; i < SLOTS; i++) {
		int expect = SLOT_FREE;
		if (atomic_compare_exchange_strong(&slots[i].state, &expect, SLOT_BREAKING))
			return &slots[i];
	}
	return NULL;
}

void *lin_i_cache_lease_map(int fd, size_t len, int sig)
{
	if (sig <= 0 || len == 0)
		return NULL;
	/* granted only while nobody has the file open for writing: from here
	 * on a writer waits for us (F_SETSIG: the signal carries the fd) */
	if (fcntl(fd, F_SETSIG, sig) != 0 || fcntl(fd, F_SETLEASE, F_RDLCK) != 0)
		return NULL;
	/* the file may have changed between the caller's fstat and the lease:
	 * a mapping longer than the file faults past its end */
	struct stat st;
	lease_slot *s = fstat(fd, &st) == 0 && (uintmax_t)st.st_size == len ? slot_take() : NULL;
	void *map = s ? mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
	if (map == MAP_FAILED) {
		if (s)
			atomic_store(&s->state, SLOT_FREE);
		fcntl(fd, F_SETLEASE, F_UNLCK);
		return NULL;
	}
	atomic_store(&s->fd, fd);
	atomic_store(&s->map, map);
	atomic_store(&s->len, len);
	atomic_store(&s->state, SLOT_MAPPED); /* visible to the handler last */
	return map;
}

void lin_i_cache_lease_unmap(int fd, void *map, size_t len)
{
	for (int i = 0; i < SLOTS; i++) {
		lease_slot *s = &slots[i];
		if (atomic_load(&s->map) != map || atomic_load(&s->fd) != fd)
			continue;
		for (;;) { /* wait out a handler copying it on another thread */
			int st = atomic_load(&s->state);
			if (st == SLOT_BREAKING) {
				sched_yield();
				continue;
			}
			if (atomic_compare_exchange_strong(&s->state, &st, SLOT_BREAKING))
				break;
		}
		atomic_store(&s->map, NULL);
		atomic_store(&s->fd, -1);
		atomic_store(&s->state, SLOT_FREE);
		break;
	}
	munmap(map, len);
	close(fd); /* lets go of the lease, if the handler has not */
}

/* Copies the mapping into anonymous memory moved over it (mremap replaces
 * the file's pages at the same address in one step), then lets go. */
static void slot_break(lease_slot *s)
{
	void *map = atomic_load(&s->map);
	size_t len = atomic_load(&s->len);
	int fd = atomic_load(&s->fd);
	void *copy = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (copy == MAP_FAILED) {
		/* keep the lease: the writer waits for the kernel's break timeout
		 * (lease-break-time) or for the image to be closed */
		atomic_store(&s->state, SLOT_MAPPED);
		return;
	}
	memcpy(copy, map, len);
	mprotect(copy, len, PROT_READ);
	if (mremap(copy, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, map) == MAP_FAILED) {
		munmap(copy, len);
		atomic_store(&s->state, SLOT_MAPPED);
		return;
	}
	fcntl(fd, F_SETLEASE, F_UNLCK);
	atomic_store(&s->state, SLOT_COPIED);
}

void lin_cache_lease_break(int fd)
{
	int saved = errno; /* a handler must leave errno as it found it */
	for (int i = 0; i < SLOTS; i++) {
		lease_slot *s = &slots[i];
		int st = SLOT_MAPPED;
		if (atomic_load(&s->fd) != fd ||
		    !atomic_compare_exchange_strong(&s->state, &st, SLOT_BREAKING))
			continue;
		if (atomic_load(&s->fd) == fd) /* still the slot it was when matched */
			slot_break(s);
		else
			atomic_store(&s->state, SLOT_MAPPED);
	}
	errno = saved;
}

/* Whether the file open as fd is the one of st, unwritten and uncut since:
 * a write sets the mtime, a truncate or a utime also the ctime, which no
 * unprivileged caller can set back. */
static int same_untouched(int fd, const struct stat *st)
{
	struct stat now;
	return fstat(fd, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino &&
	       now.st_size == st->st_size && now.st_ctim.tv_sec == st->st_ctim.tv_sec &&
	       now.st_ctim.tv_nsec == st->st_ctim.tv_nsec &&
	       now.st_mtim.tv_sec == st->st_mtim.tv_sec && now.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
}

int lin_i_cache_lease_rebind(int fd, void *map, size_t len, int sig, const struct stat *st,
                             int *fd_out)
{
	char path[64];
	lease_slot *s = NULL;
	for (int i = 0; i < SLOTS && !s; i++)
		if (atomic_load(&slots[i].map) == map && atomic_load(&slots[i].fd) == fd &&
		    atomic_load(&slots[i].state) == SLOT_MAPPED)
			s = &slots[i];
	if (!s || sig <= 0)
		return -1;
	/* the same file through a new open file description: ours alone */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int nfd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (nfd < 0)
		return -1;
	if (fcntl(nfd, F_SETSIG, sig) != 0 || fcntl(nfd, F_SETOWN, getpid()) != 0 ||
	    fcntl(nfd, F_SETLEASE, F_RDLCK) != 0 || !same_untouched(nfd, st) ||
	    (uintmax_t)st->st_size != len) {
		close(nfd); /* with any lease it took */
		return -1;
	}
	/* the handler looks the slot up by descriptor: from here on, ours */
	atomic_store(&s->fd, nfd);
	close(fd); /* the parent's open file stays open in the parent */
	*fd_out = nfd;
	return 0;
}
