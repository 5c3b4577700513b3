/*
 * open.c - the open policy: where the image lives, whose cache directory
 * and image are trusted, when an image is used, refreshed or rebuilt, and
 * the parse it falls back to; and clearing the cache. A problem with the
 * cache is never an error: the catalog is parsed and the reason noted.
 */
#define _XOPEN_SOURCE 700
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the image's name and status -------------------------------------------- */

/* Notes why the image was missed or not written. */
static void note_msg(lin_cache_status *st, const char *msg)
{
	if (st)
		snprintf(st->why, sizeof(st->why), "%.200s", msg);
}

/* The image's file name in the cache directory: a hash of the paths as
 * given and as resolved, so "data" run from two directories gets two
 * images and positions in messages keep the spelling the user typed. */
static void image_name(char out[32], const char *const *paths, size_t npaths)
{
	lin_hasher h;
	lin_i_cache_hash_init(&h);
	lin_i_cache_hash_update(&h, "lineage-cache-1", 16);
	for (size_t i = 0; i < npaths; i++) {
		char *real = realpath(paths[i], NULL);
		lin_i_cache_hash_update(&h, paths[i], strlen(paths[i]) + 1);
		if (real)
			lin_i_cache_hash_update(&h, real, strlen(real) + 1);
		free(real);
	}
	snprintf(out, 32, "%016llx.lcache", (unsigned long long)lin_i_cache_hash_final(&h));
}

/* ---- the cache directory and whom it belongs to ------------------------- */

/* util/fileio.c's temporary files are LIN_I_TMP_PREFIX names; earlier
 * versions named them after the target, "HASH.lcache.tmpXXXXXX". Both are
 * swept. */
#define LEGACY_TMP_INFIX ".lcache.tmp"
/* A temporary file nobody has written for this long was left by a build
 * that died: a live writer writes every 64 kB, so even a huge image is
 * never idle for seconds, and builders running now are not disturbed. */
#define STALE_TMP_SEC (10 * 60)

/* The cache directory, opened and judged once: everything after goes
 * through fd, so a path swapped after the check cannot redirect it. */
typedef struct cache_place {
	int fd;                 /* -1 when missing or refused */
	const char *path;       /* as configured, for messages */
	char name[32];          /* the image's file name in it */
	char via[LIN_PATH_MAX]; /* the image's path through fd, for the file writer */
} cache_place;

enum { DIR_OK, DIR_MISSING, DIR_REFUSED };

/* Why a file or directory with stat data sb is not to be trusted (what
 * names it in the message, written to buf); NULL when it is. As ssh's
 * StrictModes and git's safe.directory: it must be the user's own and
 * writable by nobody else. Someone else who can write the image, or plant
 * or replace one in the directory, chooses what the user's queries answer.
 * A sticky bit does not make a shared directory safe: anyone may still
 * create the image's (predictable) name before the user does. */
static const char *untrusted(char *buf, size_t n, const char *what, const struct stat *sb)
{
	uid_t me = geteuid();
	if (sb->st_uid != me)
		snprintf(buf, n, "%s refused: owned by uid %ju, not by you (uid %ju)", what,
		         (uintmax_t)sb->st_uid, (uintmax_t)me);
	else if (sb->st_mode & (S_IWGRP | S_IWOTH))
		snprintf(buf, n, "%s refused: writable by group or others (mode %04o)", what,
		         (unsigned)(sb->st_mode & 07777));
	else
		return NULL;
	return buf;
}

/* mkdir -p for the cache directory (0700: it holds what the user reads). */
static int make_dir(const char *dir)
{
	char buf[LIN_PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -1;
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0700) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* Opens and judges the cache directory (creating it first when create is
 * set); why it cannot be used goes to buf. */
static int dir_open(cache_place *d, int create, char *buf, size_t n)
{
	struct stat sb, via;
	char proc[64];
	d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0 && errno == ENOENT && create) {
		if (make_dir(d->path) != 0) {
			snprintf(buf, n, "cannot create the cache directory %.200s", d->path);
			return DIR_REFUSED;
		}
		d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (d->fd < 0) {
		if (errno == ENOENT) {
			snprintf(buf, n, "none yet");
			return DIR_MISSING;
		}
		snprintf(buf, n, "cannot open the cache directory: %s", strerror(errno));
		return DIR_REFUSED;
	}
	int bad = fstat(d->fd, &sb) != 0;
	if (bad)
		snprintf(buf, n, "cannot open the cache directory: %s", strerror(errno));
	if (bad || untrusted(buf, n, "cache directory", &sb)) {
		close(d->fd);
		d->fd = -1;
		return DIR_REFUSED;
	}
	/* The file writer (util) takes a path. Through /proc the path names
	 * this descriptor's directory, the one just judged, even if a parent
	 * directory is renamed meanwhile; without /proc, the path as given. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", d->fd);
	if (stat(proc, &via) == 0 && via.st_dev == sb.st_dev && via.st_ino == sb.st_ino)
		snprintf(d->via, sizeof(d->via), "%s/%s", proc, d->name);
	else
		snprintf(d->via, sizeof(d->via), "%s/%s", d->path, d->name);
	return DIR_OK;
}

/* Whether a file name in the cache directory is an image writer's
 * temporary file. */
static int is_temporary(const char *name)
{
	return strncmp(name, LIN_I_TMP_PREFIX, sizeof(LIN_I_TMP_PREFIX) - 1) == 0 ||
	       strstr(name, LEGACY_TMP_INFIX) != NULL;
}

/* ---- opening a catalog through the cache ---------------------------------- */

/* Tries the directory's image: 0 with *out set on a hit. */
static int try_image(lin_catalog **out, const cache_place *d, lin_sources *src, int *refresh,
                     lin_diags *diags, lin_cache_status *st, int map_signal)
{
	struct lin_image *im = NULL;
	lin_catalog *cat = NULL;
	lin_diags local;
	lin_error e;
	struct stat sb;
	char buf[200];
	const char *why = NULL;
	/* O_NONBLOCK: a FIFO planted under the image's name must not block;
	 * O_NOFOLLOW: the image is a file the cache wrote, never a link */
	int fd = openat(d->fd, d->name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		why = errno == ENOENT ? "none yet" : errno == ELOOP ? "image refused: a symbolic link"
		                                                    : "cannot open";
	else if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		why = "not a lineage cache";
	else if (!(why = untrusted(buf, sizeof(buf), "image", &sb)))
		why = lin_i_cache_image_read(&im, fd, &sb, map_signal); /* the same descriptor:
		                                                             no swap between */
	if (fd >= 0)
		close(fd);
	if (!why)
		why = lin_i_cache_image_matches(im, src, refresh);
	if (!why)
		memcpy(im->name, d->name, sizeof(im->name));
	if (!why && lin_catalog_new(&cat, &e))
		why = "out of memory";
	lin_diags_init(&local);
	if (!why && (why = lin_i_cache_image_adopt(cat, im, &local)) == NULL) {
		lin_i_diags_append(diags, &local);
		lin_diags_dispose(&local);
		*out = cat;
		return 0;
	}
	lin_diags_dispose(&local);
	note_msg(st, why);
	if (cat && cat->store == im)
		im = NULL; /* freed with the catalog */
	lin_catalog_free(cat);
	lin_i_cache_image_close(im);
	return -1;
}

static void progress(const lin_open_opts *o, const char *phase, const char *file,
                     uint64_t done, uint64_t total)
{
	if (o && o->progress)
		o->progress(o->progress_ctx, phase, file, done, total);
}

/* Loads one path: model cards are imported, anything else is a catalog. */
static int load_one(lin_catalog *cat, const char *path, const lin_open_opts *o, lin_diags *d,
                    lin_error *err)
{
	lin_import_report rep;
	if (o && o->stdin_data && strcmp(path, "-") == 0)
		return lin_catalog_load_buffer(cat, "<stdin>", o->stdin_data, o->stdin_len, d, err);
	if (!lin_import_hf_is_cards(path))
		return lin_catalog_load_path(cat, path, d, err);
	return lin_import_hf_path(cat, path, &rep, d, err);
}

/* 1 when an error among diags' items from index from is other than a
 * schema error in an entry (which skips only that entry): a card that
 * could not be read, a limit, no memory. */
static int load_stopped(const lin_diags *d, size_t from)
{
	for (size_t i = from; i < d->n; i++)
		if (!d->is_warning[i] && d->items[i].code != LIN_ESCHEMA)
			return 1;
	return d->dropped_errors > 0; /* not known what they were */
}

/* Parses and finishes the catalog the ordinary way. */
static int load_fresh(lin_catalog **out, const char *const *paths, size_t npaths,
                      const lin_open_opts *o, lin_diags *diags, lin_error *err)
{
	lin_catalog *cat = NULL;
	lin_error first, later;
	int rc = lin_catalog_new(&cat, err), failed = 0;
	if (rc)
		return rc;
	lin_error_clear(&first);
	size_t from = diags ? diags->n : 0;
	/* every path, so that all their errors are reported at once */
	for (size_t i = 0; i < npaths; i++) {
		lin_error e;
		lin_error_clear(&e);
		progress(o, "parse", paths[i], i, npaths);
		if (load_one(cat, paths[i], o, diags, &e) != 0 && failed++ == 0)
			first = e;
	}
	progress(o, "parse", NULL, npaths, npaths);
	/* Past schema errors the graph phases still run on the entries that
	 * loaded (bad ones are skipped), so one run reports a cycle too; past
	 * a file that could not be read, or read only up to a syntax error,
	 * they would report its models as unknown parents. */
	int go_on = !failed || (diags && !cat->lost && !load_stopped(diags, from));
	if (go_on)
		progress(o, "finish", NULL, 0, 1);
	rc = go_on ? lin_catalog_finish(cat, diags, failed ? &later : &first) : 0;
	if (go_on)
		progress(o, "finish", NULL, 1, 1);
	if (failed || rc) {
		if (failed) /* the first error is the load's */
			rc = first.code ? first.code : LIN_EPARSE;
		if (err)
			*err = first;
		lin_catalog_free(cat);
		return rc;
	}
	*out = cat;
	return 0;
}

/* Writes the image for a freshly loaded catalog, if its files did not
 * change while they were read (then the image would describe neither).
 * First sweeps the temporary files of builds that died (interrupted,
 * killed, out of disk): nothing else would ever remove them, and an image
 * is hundreds of MB. Only on a build, so a warm open never lists the
 * directory. */
static void store_image(const cache_place *d, const lin_catalog *cat, lin_sources *src,
                        const lin_diags *diags, const struct timespec *built,
                        lin_cache_status *st)
{
	lin_error e;
	size_t swept = 0;
	uint64_t bytes = 0;
	for (size_t i = 0; i < src->n; i++) {
		const char *why = NULL;
		if (!lin_i_cache_unchanged(&src->v[i]))
			why = "a catalog file changed while it was read";
		else if (!src->v[i].hashed && lin_i_cache_hash_file(&src->v[i].hash, src->v[i].name) != 0)
			why = "a catalog file cannot be read";
		if (why) {
			note_msg(st, why);
			return;
		}
		src->v[i].hashed = 1;
	}
	lin_i_sweep_temporaries(d->fd, is_temporary, STALE_TMP_SEC, &swept, &bytes);
	if (lin_i_cache_write_image(d->via, cat, src, diags, built, &e) != 0) {
		note_msg(st, e.msg);
		return;
	}
	if (st)
		st->written = 1;
}

/* Rewrites the image for files whose stat data changed but whose content
 * did not (their hashes matched): the same bytes with the new build time
 * and file records, so the next open decides on stat data again instead
 * of hashing. Skipped if a file changed meanwhile. */
static void refresh_image(const cache_place *d, const struct lin_image *im, const lin_sources *src,
                          const struct timespec *built, lin_cache_status *st)
{
	const img_header *h = im->h;
	img_header nh = *h;
	lin_atomic_file af;
	lin_error e;
	img_src *recs = malloc((src->n + 1) * sizeof(*recs));
	if (!recs)
		return;
	for (size_t i = 0; i < src->n; i++) {
		const lin_source *s = &src->v[i];
		if (!lin_i_cache_unchanged(s)) {
			free(recs);
			note_msg(st, "a catalog file changed while it was checked");
			return;
		}
		recs[i] = lin_i_cache_src_record(&s->st, im->src[i].name, s->hashed ? s->hash : im->src[i].hash);
	}
	nh.built_sec = built->tv_sec;
	nh.built_nsec = built->tv_nsec;
	uint64_t src_end = h->off[S_SRC] + h->len[S_SRC];
	int rc = lin_i_atomic_open(&af, d->via, &e);
	if (!rc)
		rc = lin_i_atomic_write(&af, &nh, sizeof(nh), &e) ||
		     lin_i_atomic_write(&af, im->base + sizeof(nh), h->off[S_SRC] - sizeof(nh), &e) ||
		     lin_i_atomic_write(&af, recs, h->len[S_SRC], &e) ||
		     lin_i_atomic_write(&af, im->base + src_end, im->len - src_end, &e);
	if (rc)
		lin_i_atomic_abort(&af);
	else
		rc = lin_i_atomic_commit(&af, 0644, &e);
	free(recs);
	if (rc)
		note_msg(st, e.msg);
	else if (st)
		st->written = 1;
}

/* lin_catalog_open_cached with po's progress callback and map_signal (po
 * carries nothing else: a catalog read from standard input is never cached). */
static int open_cached(lin_catalog **out, const char *const *paths, size_t npaths,
                       const char *cache_dir, lin_cache_status *st, lin_diags *diags,
                       lin_error *err, const lin_open_opts *po)
{
	lin_sources src;
	cache_place d = {-1, cache_dir, "", ""};
	char why[256];
	struct timespec built;
	int refresh = 0, cacheable, rc;
	lin_diags local;
	*out = NULL;
	memset(&src, 0, sizeof(src));
	if (st)
		memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_REALTIME, &built);
	for (size_t i = 0; i < npaths; i++)
		if (lin_import_hf_is_cards(paths[i])) {
			/* cards are imported each time: the image's stat records
			 * cover catalog files only */
			note_msg(st, "not used");
			return load_fresh(out, paths, npaths, po, diags, err);
		}
	if (cache_dir && *cache_dir && npaths)
		image_name(d.name, paths, npaths);
	cacheable = cache_dir && *cache_dir && npaths &&
	            strlen(cache_dir) + sizeof(d.name) < sizeof(d.via) &&
	            lin_i_cache_sources_collect(&src, paths, npaths) == 0;
	if (!cacheable) {
		note_msg(st, cache_dir && *cache_dir ? "the catalog's files cannot be listed"
		                                     : "no cache directory");
		lin_i_cache_sources_free(&src);
		return load_fresh(out, paths, npaths, po, diags, err);
	}
	if (st)
		snprintf(st->path, sizeof(st->path), "%s/%s", cache_dir, d.name);
	int dir = dir_open(&d, 0, why, sizeof(why));
	if (dir == DIR_OK)
		progress(po, "open", st ? st->path : NULL, 0, 1);
	int hit = dir == DIR_OK && try_image(out, &d, &src, &refresh, diags, st,
	                                              po ? po->map_signal : 0) == 0;
	if (dir == DIR_OK)
		progress(po, "open", st ? st->path : NULL, 1, 1);
	if (hit) {
		if (st)
			st->hit = 1;
		if (refresh) /* same content, new stat data */
			refresh_image(&d, CACHE_IMAGE(*out), &src, &built, st);
		rc = 0;
		goto done;
	}
	if (dir != DIR_OK)
		note_msg(st, why);
	/* the image keeps the load's warnings; errors are never cached */
	lin_diags_init(&local);
	rc = load_fresh(out, paths, npaths, po, &local, err);
	/* a directory refused is not written to either: not even a new image
	 * renamed over a planted one */
	if (rc == 0 && dir == DIR_MISSING && (dir = dir_open(&d, 1, why, sizeof(why))) != DIR_OK)
		note_msg(st, why);
	if (rc == 0 && dir == DIR_OK) {
		progress(po, "image", st ? st->path : NULL, 0, 1);
		store_image(&d, *out, &src, &local, &built, st);
		progress(po, "image", st ? st->path : NULL, 1, 1);
	}
	lin_i_diags_append(diags, &local);
	lin_diags_dispose(&local);
done:
	if (d.fd >= 0)
		close(d.fd);
	lin_i_cache_sources_free(&src);
	return rc;
}

int lin_catalog_open_cached(lin_catalog **out, const char *const *paths, size_t npaths,
                            const char *cache_dir, lin_cache_status *st, lin_diags *diags,
                            lin_error *err)
{
	return open_cached(out, paths, npaths, cache_dir, st, diags, err, NULL);
}

int lin_cache_clear(lin_cache_cleared *out, const char *cache_dir, const char *const *paths,
                    size_t npaths, lin_error *err)
{
	cache_place d = {-1, cache_dir, "", ""};
	char why[256];
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (!cache_dir || !*cache_dir)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "no cache directory");
	if (npaths) {
		image_name(d.name, paths, npaths);
		snprintf(out->path, sizeof(out->path), "%s/%s", cache_dir, d.name);
	}
	switch (dir_open(&d, 0, why, sizeof(why))) {
	case DIR_MISSING:
		return 0;
	case DIR_REFUSED:
		return lin_i_fail(err, LIN_EIO, cache_dir, 0, 0, "%s", why);
	}
	if (npaths && unlinkat(d.fd, d.name, 0) == 0)
		out->image = 1;
	else if (npaths && errno != ENOENT)
		rc = lin_i_fail(err, LIN_EIO, out->path, 0, 0, "cannot remove: %s", strerror(errno));
	/* every temporary, however recent: a build running now loses its
	 * image (its rename fails and its query still answers) */
	lin_i_sweep_temporaries(d.fd, is_temporary, 0, &out->temporaries, &out->temporary_bytes);
	close(d.fd);
	return rc;
}

int lin_catalog_open(lin_catalog **out, const char *const *paths, size_t npaths,
                     const lin_open_opts *opts, lin_diags *diags, lin_error *err)
{
	const char *dir = opts ? opts->cache_dir : NULL;
	lin_cache_status *st = opts ? opts->status : NULL;
	int piped = 0;
	*out = NULL;
	/* a catalog read from a pipe has no file to check an image against */
	for (size_t i = 0; opts && opts->stdin_data && i < npaths; i++)
		piped |= strcmp(paths[i], "-") == 0;
	if (dir && *dir && !piped) {
		lin_open_opts po = LIN_OPEN_OPTS_INIT;
		po.progress = opts->progress;
		po.progress_ctx = opts->progress_ctx;
		po.map_signal = opts->map_signal;
		return open_cached(out, paths, npaths, dir, st, diags, err, &po);
	}
	if (st) {
		memset(st, 0, sizeof(*st));
		snprintf(st->why, sizeof(st->why), "%s", piped ? "not used for standard input" : "not used");
	}
	return load_fresh(out, paths, npaths, opts, diags, err);
}

int lin_cache_load_image(lin_catalog **out, const void *data, size_t len, lin_diags *diags,
                         lin_error *err)
{
	struct lin_image *im = NULL;
	lin_catalog *cat = NULL;
	*out = NULL;
	const char *why = lin_i_cache_image_open(&im, data, len);
	if (!why && lin_catalog_new(&cat, err) != 0)
		why = "out of memory";
	if (!why)
		why = lin_i_cache_image_adopt(cat, im, diags);
	if (!why) {
		*out = cat;
		return 0;
	}
	if (cat && cat->store == im)
		im = NULL;
	lin_catalog_free(cat);
	lin_i_cache_image_close(im);
	return lin_i_fail(err, LIN_EPARSE, NULL, 0, 0, "cache image: %s", why);
}

/* ---- a catalog kept open (a resident server) ------------------------------ */

/* The image behind cat when cat was opened through a cache directory's
 * image, else NULL. */
static struct lin_image *named_image(const lin_catalog *cat)
{
	if (!cat || cat->backing != &lin_i_cache_backing)
		return NULL;
	struct lin_image *im = cat->store;
	return im && im->name[0] ? im : NULL;
}

int lin_catalog_is_current(const lin_catalog *cat, const char *const *paths, size_t npaths)
{
	const struct lin_image *im = named_image(cat);
	lin_sources src;
	char name[32];
	int refresh, ok = 0;
	if (!im || !npaths)
		return 0;
	for (size_t i = 0; i < npaths; i++)
		if (strcmp(paths[i], "-") == 0 || lin_import_hf_is_cards(paths[i]))
			return 0;
	image_name(name, paths, npaths);
	if (strcmp(name, im->name) != 0)
		return 0;
	if (lin_i_cache_sources_collect(&src, paths, npaths) == 0)
		ok = lin_i_cache_image_matches(im, &src, &refresh) == NULL;
	lin_i_cache_sources_free(&src);
	return ok;
}

int lin_catalog_after_fork(lin_catalog *cat)
{
	struct lin_image *im = named_image(cat);
	if (!cat)
		return -1;
	if (!im || im->lease < 0)
		return 0; /* private memory, the child's own copy */
	return lin_i_cache_lease_rebind(im->lease, im->map, im->len, im->sig, &im->st, &im->lease);
}
