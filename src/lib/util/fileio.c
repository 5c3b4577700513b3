/*
 * fileio.c - reading inputs with a size limit and writing outputs
 * atomically, so a failed run never leaves a half-written diagram behind:
 * an unnamed file (O_TMPFILE) linked in only when complete, or a short
 * `.lineage-tmp-XXXXXX` name a signal handler can remove. Which names are
 * replaced and which written in place is docs/SECURITY.md's "Writing files".
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include "util.h"

#include <dirent.h>
#include <stdatomic.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Opens a regular file for reading. O_NONBLOCK: opening a FIFO with no
 * writer would otherwise wait forever; it is refused as not a regular
 * file. */
static int open_regular(int *fd, struct stat *st, const char *path, lin_error *err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0)
		return lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode))
		return lin_i_fail(err, LIN_EIO, path, 0, 0, "not a regular file");
	return 0;
}

/* Reads fd to its end or to limit bytes, whichever comes first, into a
 * NUL-terminated buffer sized from hint (the size fstat saw; the file may
 * grow meanwhile). *more is set when bytes remain past limit. */
static int read_upto(char **out, size_t *len, int *more, int fd, size_t hint,
                     size_t limit, const char *path, lin_error *err)
{
	int rc = 0;
	size_t cap = (hint < limit ? hint : limit) + 1, n = 0;
	char *buf = malloc(cap);
	*more = 0;
	if (!buf)
		return lin_i_fail(err, LIN_ENOMEM, path, 0, 0, "out of memory");
	for (;;) {
		char probe;
		int full = n == cap - 1;
		ssize_t r = full ? read(fd, &probe, 1) : read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "read error: %s", strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		if (!full) {
			n += (size_t)r;
			continue;
		}
		if (n == limit) {
			*more = 1;
			break;
		}
		/* the buffer is full but the file goes on: grow, up to limit */
		size_t ncap = cap > limit / 2 ? limit + 1 : cap * 2;
		char *p = realloc(buf, ncap);
		if (!p) {
			rc = lin_i_fail(err, LIN_ENOMEM, path, 0, 0, "out of memory");
			goto done;
		}
		buf = p;
		cap = ncap;
		buf[n++] = probe;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
done:
	free(buf);
	return rc;
}

int lin_i_read_head(char **out, size_t *len, int *truncated, const char *path, size_t max,
                  lin_error *err)
{
	int fd = -1;
	struct stat st;
	*out = NULL;
	*len = 0;
	int rc = open_regular(&fd, &st, path, err);
	if (!rc)
		rc = read_upto(out, len, truncated, fd, (size_t)st.st_size, max, path, err);
	if (fd >= 0)
		close(fd);
	return rc;
}

int lin_read_file(char **out, size_t *len, const char *path, size_t max,
                  lin_error *err)
{
	int fd = -1, more = 0;
	struct stat st;
	*out = NULL;
	*len = 0;
	int rc = open_regular(&fd, &st, path, err);
	if (!rc && (uintmax_t)st.st_size > max)
		rc = lin_i_fail(err, LIN_ELIMIT, path, 0, 0, "file is %jd bytes; the limit is %zu",
		              (intmax_t)st.st_size, max);
	if (!rc)
		rc = read_upto(out, len, &more, fd, (size_t)st.st_size, max, path, err);
	if (!rc && more) { /* it grew past the limit since fstat */
		free(*out);
		*out = NULL;
		*len = 0;
		rc = lin_i_fail(err, LIN_ELIMIT, path, 0, 0, "file exceeds the limit of %zu bytes", max);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ---- named temporaries a signal handler may have to remove ---------------
 * A slot is 0 (free), 1 (being filled) or 2 (holds a name to remove). The
 * handler only loads the flags and calls unlink(), both async-signal-safe;
 * the names are written before the flag says 2 and cleared after it says 0. */
#define TMP_SLOTS 32
#define TMP_NAME_MAX 4096
static char tmp_names[TMP_SLOTS][TMP_NAME_MAX];
static atomic_int tmp_state[TMP_SLOTS];

/* Returns the slot holding name, or -1 when there is none free (or the
 * name is too long): the file is then only left to `docs`'s sweep. */
static int tmp_register(const char *name)
{
	size_t n = strlen(name);
	if (n >= TMP_NAME_MAX)
		return -1;
	for (int i = 0; i < TMP_SLOTS; i++) {
		int expect = 0;
		if (!atomic_compare_exchange_strong(&tmp_state[i], &expect, 1))
			continue;
		memcpy(tmp_names[i], name, n + 1);
		atomic_store(&tmp_state[i], 2);
		return i;
	}
	return -1;
}

static void tmp_unregister(int slot)
{
	if (slot >= 0 && slot < TMP_SLOTS)
		atomic_store(&tmp_state[slot], 0);
}

void lin_remove_temporaries(void)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (atomic_load(&tmp_state[i]) == 2)
			unlink(tmp_names[i]);
}

/* The directory part of path with its slash ("out/", "/", or "" for the
 * working directory), then prefix and six random letters: independent of
 * the target's name, so a NAME_MAX-long name still has room. */
static int tmp_name(lin_buf *b, const char *path)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static atomic_uint counter;
	const char *slash = strrchr(path, '/');
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* splitmix64 over time, pid and a counter: unpredictable enough for
	 * O_EXCL to settle the rare clash */
	uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
	             ((uint64_t)getpid() << 42) ^ ((uint64_t)atomic_fetch_add(&counter, 1) << 20);
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	x ^= x >> 31;
	b->len = 0;
	if (slash)
		lin_buf_append(b, path, (size_t)(slash - path) + 1);
	lin_buf_puts(b, LIN_I_TMP_PREFIX);
	for (int i = 0; i < 6; i++, x /= 62)
		lin_buf_append(b, &set[x % 62], 1);
	return b->oom ? -1 : 0;
}

/* An unnamed file (O_TMPFILE) in path's directory, or -1 with errno. Only
 * used when it can be given a name later through /proc/self/fd (linkat
 * with AT_EMPTY_PATH needs a privilege most users lack). LINEAGE_NO_TMPFILE
 * set in the environment takes the named path, as on a file system without
 * O_TMPFILE (tests/cli/hostile.sh interrupts it). */
static int open_unnamed(const char *path)
{
#ifdef O_TMPFILE
	const char *off = getenv("LINEAGE_NO_TMPFILE");
	if (off && off[0]) {
		errno = EOPNOTSUPP;
		return -1;
	}
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	char proc[64];
	int fd = -1;
	if (!dir) {
		errno = ENOMEM;
		return -1;
	}
	fd = open(dir, O_WRONLY | O_TMPFILE | O_CLOEXEC, 0666);
	free(dir);
	if (fd >= 0) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (access(proc, F_OK) != 0) { /* no /proc: it could never be linked */
			close(fd);
			errno = EOPNOTSUPP;
			fd = -1;
		}
	}
	return fd;
#else
	(void)path;
	errno = EOPNOTSUPP;
	return -1;
#endif
}

/* Gives af a fresh temporary name beside af->path and makes it exist with
 * make (which creates the file, or links the unnamed one in, and returns
 * 0 or -1 with errno), retrying a name someone already has. The name is
 * registered for the signal handler before it exists: a signal between the
 * two would otherwise leave the file (unlinking a name not yet created is
 * harmless). On success af->tmp is the name; -1 with errno otherwise
 * (ENOMEM when no name could be built). */
static int tmp_claim(lin_atomic_file *af, int (*make)(lin_atomic_file *af, const char *name))
{
	lin_buf name = LIN_BUF_INIT;
	int r = -1;
	for (int tries = 0; tries < 100; tries++) {
		if (tmp_name(&name, af->path)) {
			errno = ENOMEM;
			break;
		}
		af->slot = tmp_register(name.data);
		if ((r = make(af, name.data)) == 0)
			break;
		int saved = errno;
		tmp_unregister(af->slot); /* the name is someone else's, or none */
		af->slot = -1;
		if ((errno = saved) != EEXIST)
			break;
	}
	if (r == 0) {
		free(af->tmp);
		af->tmp = name.data;
		return 0;
	}
	int saved = errno;
	lin_buf_dispose(&name);
	errno = saved;
	return -1;
}

/* tmp_claim's make for a new named file: 0666 less the umask, as any new
 * file; never through a link. */
static int create_named(lin_atomic_file *af, const char *name)
{
	af->fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	return af->fd >= 0 ? 0 : -1;
}

int lin_i_atomic_open(lin_atomic_file *af, const char *path, lin_error *err)
{
	struct stat st;
	int rc = 0;
	af->fd = -1;
	af->slot = -1;
	af->keep_mode = -1;
	af->tmp = NULL;
	if (!(af->path = strdup(path)) || !(af->tmp = calloc(1, 1))) {
		lin_i_atomic_abort(af);
		return lin_i_fail(err, LIN_ENOMEM, path, 0, 0, "out of memory");
	}
	/* a rewrite keeps the file's permissions (a 0600 diagram stays 0600) */
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		af->keep_mode = (int)(st.st_mode & 07777);
	/* same directory as the target, so rename() cannot cross devices; an
	 * unnamed file first, so that a run killed mid-write leaves nothing */
	af->fd = open_unnamed(path);
	if (af->fd >= 0)
		return 0;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot create a temporary file: %s",
		                strerror(errno));
		goto done;
	}
	if (tmp_claim(af, create_named) != 0)
		rc = errno == ENOMEM ? lin_i_fail(err, LIN_ENOMEM, path, 0, 0, "out of memory")
		                     : lin_i_fail(err, LIN_EIO, path, 0, 0,
		                                  "cannot create a temporary file: %s", strerror(errno));
done:
	if (rc)
		lin_i_atomic_abort(af);
	return rc;
}

int lin_i_atomic_write(lin_atomic_file *af, const void *data, size_t len, lin_error *err)
{
	if (write_all(af->fd, data, len) != 0)
		return lin_i_fail(err, LIN_EIO, af->path, 0, 0, "write failed: %s", strerror(errno));
	return 0;
}

/* tmp_claim's make for the unnamed file: a name for it, through /proc. */
static int link_in(lin_atomic_file *af, const char *name)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", af->fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
}

/* Gives the unnamed file a temporary name beside the target (linkat cannot
 * replace a name, rename can). */
static int link_unnamed(lin_atomic_file *af, lin_error *err)
{
	if (tmp_claim(af, link_in) == 0)
		return 0;
	if (errno == ENOMEM)
		return lin_i_fail(err, LIN_ENOMEM, af->path, 0, 0, "out of memory");
	return lin_i_fail(err, LIN_EIO, af->path, 0, 0, "cannot link the temporary file: %s",
	                  strerror(errno));
}

int lin_i_atomic_commit(lin_atomic_file *af, int mode, lin_error *err)
{
	int rc = 0;
	struct stat st;
	/* the file was created 0666 less the umask; mode can only take bits
	 * away, so the umask holds without reading it (umask() is not
	 * thread-safe) */
	int want = mode == LIN_I_MODE_KEEP ? af->keep_mode : -1;
	if (fsync(af->fd) != 0 || fstat(af->fd, &st) != 0) {
		rc = lin_i_fail(err, LIN_EIO, af->path, 0, 0, "write failed: %s", strerror(errno));
		goto done;
	}
	if (mode != LIN_I_MODE_KEEP)
		want = (int)(st.st_mode & 0777) & mode;
	if (want >= 0 && (mode_t)want != (st.st_mode & 07777) && fchmod(af->fd, (mode_t)want) != 0) {
		rc = lin_i_fail(err, LIN_EIO, af->path, 0, 0, "chmod failed: %s", strerror(errno));
		goto done;
	}
	/* an unnamed file whose target does not exist yet is linked in under
	 * the target's own name: no temporary name ever exists, so not even
	 * SIGKILL can leave one behind (linkat never replaces or follows a name) */
	int placed = !af->tmp[0] && link_in(af, af->path) == 0;
	if (!placed && !af->tmp[0] && (rc = link_unnamed(af, err)))
		goto done;
	if (close(af->fd) != 0) {
		af->fd = -1;
		rc = lin_i_fail(err, LIN_EIO, af->path, 0, 0, "write failed: %s", strerror(errno));
		goto done;
	}
	af->fd = -1;
	if (!placed && rename(af->tmp, af->path) != 0) {
		rc = lin_i_fail(err, LIN_EIO, af->path, 0, 0, "cannot rename into place: %s",
		                strerror(errno));
		goto done;
	}
	af->tmp[0] = '\0';
done:
	lin_i_atomic_abort(af);
	return rc;
}

void lin_i_atomic_abort(lin_atomic_file *af)
{
	if (af->fd >= 0)
		close(af->fd);
	if (af->tmp && af->tmp[0])
		unlink(af->tmp);
	tmp_unregister(af->slot);
	free(af->tmp);
	free(af->path);
	af->fd = -1;
	af->slot = -1;
	af->tmp = af->path = NULL;
}

int lin_i_write_replace(const char *path, const void *data, size_t len, lin_error *err)
{
	lin_atomic_file af;
	struct stat st;
	int rc = 0;
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return lin_i_fail(err, LIN_EIO, path, 0, 0, "is a directory");
	if ((rc = lin_i_atomic_open(&af, path, err)))
		return rc;
	if ((rc = lin_i_atomic_write(&af, data, len, err))) {
		lin_i_atomic_abort(&af);
		return rc;
	}
	return lin_i_atomic_commit(&af, LIN_I_MODE_KEEP, err);
}

/* The descriptor a name stands for: /dev/stdout, /dev/stderr, /dev/fd/N,
 * /proc/self/fd/N, or a link to one of them; else -1. Such a name means
 * "this descriptor" even when it is a regular file (`> file`), so it is
 * written there, never replaced. */
static int fd_alias(const char *path)
{
	char buf[256], link[256];
	if (strlen(path) >= sizeof(buf))
		return -1; /* none of these is long */
	memcpy(buf, path, strlen(path) + 1);
	for (int depth = 0; depth < 4; depth++) {
		const char *rest = NULL;
		char pid[32];
		snprintf(pid, sizeof(pid), "/proc/%ld/fd/", (long)getpid());
		if (strcmp(buf, "/dev/stdout") == 0)
			return 1;
		if (strcmp(buf, "/dev/stderr") == 0)
			return 2;
		if (strncmp(buf, "/dev/fd/", 8) == 0)
			rest = buf + 8;
		else if (strncmp(buf, "/proc/self/fd/", 14) == 0)
			rest = buf + 14;
		else if (strncmp(buf, pid, strlen(pid)) == 0)
			rest = buf + strlen(pid);
		if (rest) {
			char *end = NULL;
			long n = strtol(rest, &end, 10);
			return (*rest >= '0' && *rest <= '9' && !*end && n <= 1 << 20) ? (int)n : -1;
		}
		ssize_t k = readlink(buf, link, sizeof(link) - 1);
		if (k <= 0)
			return -1;
		link[k] = '\0';
		if (link[0] != '/')
			return -1; /* a relative link is not one of these */
		memcpy(buf, link, (size_t)k + 1);
	}
	return -1;
}

static int write_failed(const char *path, int bad, int saved, lin_error *err)
{
	return bad ? lin_i_fail(err, LIN_EIO, path, 0, 0, "write failed: %s", strerror(saved)) : 0;
}

/* Writes to a device, FIFO or socket the user named, in place: renaming
 * over it would replace the node itself, and atomicity means nothing for a
 * stream. nofollow when path itself is the node, so a link swapped in
 * meanwhile is not followed; never O_CREAT, so nothing is made through a
 * link; O_NONBLOCK so a FIFO nobody reads is an error, not a hang. */
static int write_in_place(const char *path, int nofollow, const void *data, size_t len,
                          lin_error *err)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
	                        (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0 && errno == ENXIO)
		return lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot open for writing: nothing is "
		                  "reading from it");
	if (fd < 0)
		return lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot open for writing: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) ||
	                             S_ISSOCK(st.st_mode))) {
		close(fd); /* replaced by something else since lstat: not ours to write */
		return lin_i_fail(err, LIN_EIO, path, 0, 0, "changed while being opened; not written");
	}
	/* blocking again, so a slow reader is waited for, not an error */
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	int bad = write_all(fd, data, len) != 0;
	int saved = errno;
	if (close(fd) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	return write_failed(path, bad, saved, err);
}

int lin_write_atomic(const char *path, const void *data, size_t len,
                     lin_error *err)
{
	struct stat ls, ts;
	int fd = fd_alias(path);
	if (fd >= 0) {
		int bad = write_all(fd, data, len) != 0;
		return write_failed(path, bad, errno, err);
	}
	if (lstat(path, &ls) != 0)
		return lin_i_write_replace(path, data, len, err);
	if (S_ISCHR(ls.st_mode) || S_ISFIFO(ls.st_mode))
		return write_in_place(path, 1, data, len, err);
	if (S_ISLNK(ls.st_mode) && stat(path, &ts) == 0) {
		if (S_ISCHR(ts.st_mode) || S_ISFIFO(ts.st_mode) || S_ISSOCK(ts.st_mode))
			return write_in_place(path, 0, data, len, err);
		if (S_ISDIR(ts.st_mode))
			return lin_i_fail(err, LIN_EIO, path, 0, 0, "is a directory");
	}
	if (S_ISBLK(ls.st_mode) || S_ISSOCK(ls.st_mode))
		return lin_i_fail(err, LIN_EIO, path, 0, 0, "is a %s; not written",
		                  S_ISBLK(ls.st_mode) ? "block device" : "socket");
	/* a regular file, or a link to one (the link is replaced, not its
	 * target), or a dangling link */
	return lin_i_write_replace(path, data, len, err);
}

static int has_yaml_suffix(const char *s)
{
	size_t n = strlen(s);
	return s[0] != '.' && ((n > 5 && strcmp(s + n - 5, ".yaml") == 0) ||
	                       (n > 4 && strcmp(s + n - 4, ".yml") == 0));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int lin_i_catalog_list_dir(char ***out, size_t *count, const char *dir, lin_error *err)
{
	int rc = 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(dir);
	if (!d) {
		rc = lin_i_fail(err, LIN_EIO, dir, 0, 0, "cannot open directory: %s", strerror(errno));
		goto done;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!has_yaml_suffix(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(char *));
			if (!nn) {
				rc = lin_i_fail(err, LIN_ENOMEM, dir, 0, 0, "out of memory");
				goto done;
			}
			names = nn;
		}
		size_t need = strlen(dir) + strlen(de->d_name) + 2;
		if (!(names[n] = malloc(need))) {
			rc = lin_i_fail(err, LIN_ENOMEM, dir, 0, 0, "out of memory");
			goto done;
		}
		snprintf(names[n++], need, "%s%s%s", dir,
		         dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
	}
	if (n == 0)
		rc = lin_i_fail(err, LIN_EIO, dir, 0, 0, "no *.yaml files in this directory");
	else
		qsort(names, n, sizeof(char *), cmp_str);
done:
	if (d)
		closedir(d);
	if (rc) {
		lin_i_strv_free(names, n);
		names = NULL;
		n = 0;
	}
	*out = names;
	*count = n;
	return rc;
}

void lin_i_strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}


void lin_i_sweep_temporaries(int dirfd, int (*is_tmp)(const char *name), time_t min_age,
                             size_t *n, uint64_t *bytes)
{
	/* a descriptor of its own: closedir closes it, dirfd stays the caller's */
	int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;
	time_t now = time(NULL);
	if (!dir) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		struct stat sb;
		if (!is_tmp(de->d_name) ||
		    fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode) ||
		    sb.st_uid != geteuid() || (min_age && now - sb.st_mtime < min_age))
			continue;
		if (unlinkat(dirfd, de->d_name, 0) == 0) {
			if (n)
				*n += 1;
			if (bytes)
				*bytes += (uint64_t)sb.st_size;
		}
	}
	closedir(dir);
}
