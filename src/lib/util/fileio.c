/*
 * fileio.c - reading inputs with a size limit and writing outputs
 * atomically, so a failed run never leaves a half-written diagram behind.
 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Writes to an existing device or pipe (/dev/stdout, /dev/full, a FIFO)
 * in place: renaming a temporary file over it would replace the device
 * node itself, and atomicity means nothing for a stream. */
static int write_special(const char *path, const void *data, size_t len, lin_error *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot open for writing: %s", strerror(errno));
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
	if (bad)
		return lin_i_fail(err, LIN_EIO, path, 0, 0, "write failed: %s", strerror(saved));
	return 0;
}

int lin_i_atomic_open(lin_atomic_file *af, const char *path, lin_error *err)
{
	size_t plen = strlen(path);
	af->fd = -1;
	af->path = af->tmp = NULL;
	if (!(af->path = strdup(path)) || !(af->tmp = malloc(plen + 16))) {
		lin_i_atomic_abort(af);
		return lin_i_fail(err, LIN_ENOMEM, path, 0, 0, "out of memory");
	}
	/* same directory as the target, so rename() cannot cross devices */
	snprintf(af->tmp, plen + 16, "%s.tmpXXXXXX", path);
	af->fd = mkstemp(af->tmp);
	if (af->fd < 0) {
		int rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot create a temporary file: %s",
		                  strerror(errno));
		af->tmp[0] = '\0';
		lin_i_atomic_abort(af);
		return rc;
	}
	return 0;
}

int lin_i_atomic_write(lin_atomic_file *af, const void *data, size_t len, lin_error *err)
{
	if (write_all(af->fd, data, len) != 0)
		return lin_i_fail(err, LIN_EIO, af->path, 0, 0, "write failed: %s", strerror(errno));
	return 0;
}

int lin_i_atomic_commit(lin_atomic_file *af, int mode, lin_error *err)
{
	int rc = 0;
	mode_t um = umask(0);
	umask(um);
	if (fsync(af->fd) != 0 || fchmod(af->fd, (mode_t)mode & ~um) != 0)
		rc = lin_i_fail(err, LIN_EIO, af->path, 0, 0, "write failed: %s", strerror(errno));
	if (close(af->fd) != 0 && !rc)
		rc = lin_i_fail(err, LIN_EIO, af->path, 0, 0, "write failed: %s", strerror(errno));
	af->fd = -1;
	if (!rc && rename(af->tmp, af->path) != 0)
		rc = lin_i_fail(err, LIN_EIO, af->path, 0, 0, "cannot rename into place: %s",
		              strerror(errno));
	if (!rc)
		af->tmp[0] = '\0';
	lin_i_atomic_abort(af);
	return rc;
}

void lin_i_atomic_abort(lin_atomic_file *af)
{
	if (af->fd >= 0)
		close(af->fd);
	if (af->tmp && af->tmp[0])
		unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	af->fd = -1;
	af->tmp = af->path = NULL;
}

int lin_write_atomic(const char *path, const void *data, size_t len,
                     lin_error *err)
{
	int rc = 0, fd = -1;
	size_t plen = strlen(path);
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return lin_i_fail(err, LIN_EIO, path, 0, 0, "is a directory");
		return write_special(path, data, len, err);
	}
	char *tmp = malloc(plen + 16);
	if (!tmp)
		return lin_i_fail(err, LIN_ENOMEM, path, 0, 0, "out of memory");
	/* same directory as the target, so rename() cannot cross devices */
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot create a temporary file: %s",
		              strerror(errno));
		tmp[0] = '\0';
		goto done;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "write failed: %s", strerror(errno));
		goto done;
	}
	/* mkstemp creates 0600; diagrams are meant to be shared */
	mode_t um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) != 0) {
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "chmod failed: %s", strerror(errno));
		goto done;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "write failed: %s", strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot rename into place: %s",
		              strerror(errno));
		goto done;
	}
	tmp[0] = '\0';
done:
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlink(tmp);
	free(tmp);
	return rc;
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

