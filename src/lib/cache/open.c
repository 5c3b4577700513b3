/*
 * open.c - the open policy: where the image lives, when it is used, refreshed
 * or rebuilt, and the parse it falls back to. A problem with the cache is
 * never an error: the catalog is parsed and the reason noted.
 */
#define _XOPEN_SOURCE 700
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- opening a catalog through the cache ---------------------------------- */

static void note(lin_cache_status *st, const char *fmt, const char *what)
{
	if (st)
		snprintf(st->why, sizeof(st->why), fmt, what);
}

/* The same for a message that may be long. */
static void note_msg(lin_cache_status *st, const char *msg)
{
	if (st)
		snprintf(st->why, sizeof(st->why), "%.200s", msg);
}

/* The image's file name: a hash of the paths as given and as resolved, so
 * "data" run from two directories gets two images and positions in
 * messages keep the spelling the user typed. */
static int image_path(char *out, size_t n, const char *dir, const char *const *paths,
                      size_t npaths)
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
	int w = snprintf(out, n, "%s/%016llx.lcache", dir, (unsigned long long)lin_i_cache_hash_final(&h));
	return w < 0 || (size_t)w >= n ? -1 : 0;
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

/* Tries the image at path: 0 with *out set on a hit. */
static int try_image(lin_catalog **out, const char *path, lin_sources *src, int *refresh,
                     lin_diags *diags, lin_cache_status *st)
{
	struct lin_image *im = NULL;
	lin_catalog *cat = NULL;
	lin_diags local;
	lin_error e;
	const char *why = lin_i_cache_image_open(&im, path, NULL, 0);
	if (!why)
		why = lin_i_cache_image_matches(im, src, refresh);
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

/* Loads one path: model cards are imported, anything else is a catalog. */
static int load_one(lin_catalog *cat, const char *path, lin_diags *d, lin_error *err)
{
	lin_import_report rep;
	if (!lin_import_hf_is_cards(path))
		return lin_catalog_load_path(cat, path, d, err);
	return lin_import_hf_path(cat, path, &rep, d, err);
}

/* Parses and finishes the catalog the ordinary way. */
static int load_fresh(lin_catalog **out, const char *const *paths, size_t npaths,
                      lin_diags *diags, lin_error *err)
{
	lin_catalog *cat = NULL;
	int rc = lin_catalog_new(&cat, err), failed = 0;
	if (rc)
		return rc;
	/* every path, so that all their errors are reported at once */
	for (size_t i = 0; i < npaths; i++)
		failed |= load_one(cat, paths[i], diags, err) != 0;
	rc = failed ? (err && err->code ? err->code : LIN_EPARSE) : lin_catalog_finish(cat, diags, err);
	if (rc) {
		lin_catalog_free(cat);
		return rc;
	}
	*out = cat;
	return 0;
}

/* Writes the image for a freshly loaded catalog, if its files did not
 * change while they were read (then the image would describe neither). */
static void store_image(const char *path, const char *dir, const lin_catalog *cat,
                        lin_sources *src, const lin_diags *diags, const struct timespec *built,
                        lin_cache_status *st)
{
	lin_error e;
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
	if (make_dir(dir) != 0) {
		note(st, "cannot create the cache directory %.200s", dir);
		return;
	}
	if (lin_i_cache_write_image(path, cat, src, diags, built, &e) != 0) {
		note_msg(st, e.msg);
		return;
	}
	if (st)
		st->written = 1;
}

/* Rewrites the image at path for files whose stat data changed but whose
 * content did not (their hashes matched): the same bytes with the new
 * build time and file records, so the next open decides on stat data
 * again instead of hashing. Skipped if a file changed meanwhile. */
static void refresh_image(const char *path, const struct lin_image *im, const lin_sources *src,
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
	int rc = lin_i_atomic_open(&af, path, &e);
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

int lin_catalog_open_cached(lin_catalog **out, const char *const *paths, size_t npaths,
                            const char *cache_dir, lin_cache_status *st, lin_diags *diags,
                            lin_error *err)
{
	lin_sources src;
	char path[LIN_PATH_MAX];
	struct timespec built;
	int refresh = 0, cacheable;
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
			return load_fresh(out, paths, npaths, diags, err);
		}
	cacheable = cache_dir && *cache_dir && npaths &&
	            image_path(path, sizeof(path), cache_dir, paths, npaths) == 0 &&
	            lin_i_cache_sources_collect(&src, paths, npaths) == 0;
	if (!cacheable) {
		note_msg(st, cache_dir && *cache_dir ? "the catalog's files cannot be listed"
		                                     : "no cache directory");
		lin_i_cache_sources_free(&src);
		return load_fresh(out, paths, npaths, diags, err);
	}
	if (st)
		snprintf(st->path, sizeof(st->path), "%s", path);
	if (try_image(out, path, &src, &refresh, diags, st) == 0) {
		if (st)
			st->hit = 1;
		if (refresh) /* same content, new stat data */
			refresh_image(path, CACHE_IMAGE(*out), &src, &built, st);
		lin_i_cache_sources_free(&src);
		return 0;
	}
	/* the image keeps the load's warnings; errors are never cached */
	lin_diags_init(&local);
	int rc = load_fresh(out, paths, npaths, &local, err);
	if (rc == 0)
		store_image(path, cache_dir, *out, &src, &local, &built, st);
	lin_i_diags_append(diags, &local);
	lin_diags_dispose(&local);
	lin_i_cache_sources_free(&src);
	return rc;
}

int lin_catalog_open(lin_catalog **out, const char *const *paths, size_t npaths,
                     const lin_open_opts *opts, lin_diags *diags, lin_error *err)
{
	const char *dir = opts ? opts->cache_dir : NULL;
	lin_cache_status *st = opts ? opts->status : NULL;
	*out = NULL;
	if (dir && *dir)
		return lin_catalog_open_cached(out, paths, npaths, dir, st, diags, err);
	if (st) {
		memset(st, 0, sizeof(*st));
		snprintf(st->why, sizeof(st->why), "%s", "not used");
	}
	return load_fresh(out, paths, npaths, diags, err);
}

int lin_cache_load_image(lin_catalog **out, const void *data, size_t len, lin_diags *diags,
                         lin_error *err)
{
	struct lin_image *im = NULL;
	lin_catalog *cat = NULL;
	*out = NULL;
	const char *why = lin_i_cache_image_open(&im, NULL, data, len);
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
