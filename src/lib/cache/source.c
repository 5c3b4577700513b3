/*
 * source.c - the catalog files an image was built from: their stat records
 * and a fast content hash, which decide whether the image still holds.
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

/* ---- content hash ------------------------------------------------------- */

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t round64(uint64_t acc, uint64_t w)
{
	return rotl(acc + w * 0xC2B2AE3D27D4EB4Full, 31) * 0x9E3779B185EBCA87ull;
}

void lin_i_cache_hash_init(lin_hasher *h)
{
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < 4; i++)
		h->lane[i] = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
}

static void hash_block(lin_hasher *h, const unsigned char *p)
{
	for (int i = 0; i < 4; i++) {
		uint64_t w;
		memcpy(&w, p + 8 * i, 8);
		h->lane[i] = round64(h->lane[i], w);
	}
}

void lin_i_cache_hash_update(lin_hasher *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	h->total += n;
	if (h->ntail) {
		size_t take = 32 - h->ntail < n ? 32 - h->ntail : n;
		memcpy(h->tail + h->ntail, p, take);
		h->ntail += take;
		p += take;
		n -= take;
		if (h->ntail < 32)
			return;
		hash_block(h, h->tail);
		h->ntail = 0;
	}
	for (; n >= 32; p += 32, n -= 32)
		hash_block(h, p);
	memcpy(h->tail, p, n);
	h->ntail = n;
}

uint64_t lin_i_cache_hash_final(lin_hasher *h)
{
	uint64_t r = h->total * 0x9E3779B97F4A7C15ull;
	memset(h->tail + h->ntail, 0, 32 - h->ntail);
	hash_block(h, h->tail);
	for (int i = 0; i < 4; i++)
		r = round64(r ^ h->lane[i], (uint64_t)i);
	r ^= r >> 29;
	r *= 0xBF58476D1CE4E5B9ull;
	return r ^ (r >> 32);
}

/* Hashes a file's content; 0 on success. */
int lin_i_cache_hash_file(uint64_t *out, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	lin_hasher h;
	lin_i_cache_hash_init(&h);
	enum { CHUNK = 1 << 20 };
	unsigned char *buf = malloc(CHUNK);
	ssize_t r = -1;
	while (buf && ((r = read(fd, buf, CHUNK)) > 0 || (r < 0 && errno == EINTR)))
		if (r > 0)
			lin_i_cache_hash_update(&h, buf, (size_t)r);
	free(buf);
	close(fd);
	*out = lin_i_cache_hash_final(&h);
	return r == 0 ? 0 : -1;
}

/* ---- the catalog's files -------------------------------------------------- */


void lin_i_cache_sources_free(lin_sources *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* Room for more entries, once per path: growing by one per file copied
 * the whole array each time under a realloc that cannot grow in place
 * (ASan's: 200,000 files took more than ten minutes). */
static int sources_reserve(lin_sources *s, size_t more)
{
	lin_source *v = realloc(s->v, (s->n + more + 1) * sizeof(*v));
	if (!v)
		return LIN_ENOMEM;
	s->v = v;
	return 0;
}

/* Appends name; sources_reserve made room. */
static int sources_add(lin_sources *s, const char *name)
{
	memset(&s->v[s->n], 0, sizeof(*s->v));
	if (!(s->v[s->n].name = strdup(name)))
		return LIN_ENOMEM;
	s->n++;
	return 0;
}

/* The files the loader would read for paths, in its order, with their
 * stat data. Fails (not cacheable) when one cannot be listed or stat'ed;
 * the caller then loads normally and reports the real error. */
int lin_i_cache_sources_collect(lin_sources *s, const char *const *paths, size_t npaths)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < npaths; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			if (sources_reserve(s, 1) || sources_add(s, paths[i]))
				return -1;
			continue;
		}
		char **names = NULL;
		size_t n = 0;
		lin_error e;
		int rc = lin_i_catalog_list_dir(&names, &n, paths[i], &e);
		if (!rc)
			rc = sources_reserve(s, n);
		for (size_t j = 0; !rc && j < n; j++)
			rc = sources_add(s, names[j]);
		lin_i_strv_free(names, n);
		if (rc)
			return -1;
	}
	for (size_t i = 0; i < s->n; i++)
		if (stat(s->v[i].name, &s->v[i].st) != 0 || !S_ISREG(s->v[i].st.st_mode))
			return -1;
	return 0;
}

/* The image's record of a file: its stat data as st holds it. */
img_src lin_i_cache_src_record(const struct stat *st, uint32_t name, uint64_t hash)
{
	return (img_src){name, 0, (uint64_t)st->st_size, (uint64_t)st->st_dev,
	                 (uint64_t)st->st_ino, hash, (int64_t)st->st_mtim.tv_sec,
	                 (int64_t)st->st_mtim.tv_nsec, (int64_t)st->st_ctim.tv_sec,
	                 (int64_t)st->st_ctim.tv_nsec};
}

/* Whether two records describe the same file, lin_i_cache_unchanged (stat data only). */
int lin_i_cache_same_file(const img_src *a, const img_src *b)
{
	return a->size == b->size && a->dev == b->dev && a->ino == b->ino &&
	       a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec &&
	       a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec;
}

/* Whether s is still as it was when it was collected. */
int lin_i_cache_unchanged(const lin_source *s)
{
	struct stat now;
	if (stat(s->name, &now) != 0)
		return 0;
	img_src a = lin_i_cache_src_record(&now, 0, 0), b = lin_i_cache_src_record(&s->st, 0, 0);
	return lin_i_cache_same_file(&a, &b);
}
