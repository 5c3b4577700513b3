/*
 * read.c - opens an image as untrusted input (the header and the section
 * table are checked before anything is read through them) and decides
 * whether it still matches the catalog's files.
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

static const size_t rec_size[S_COUNT] = {
	sizeof(img_src), 1, sizeof(uint32_t), sizeof(img_model), sizeof(img_parent),
	sizeof(uint32_t), sizeof(struct lin_key), sizeof(uint64_t), 1,
	2 * sizeof(igraph_integer_t), sizeof(igraph_integer_t), sizeof(igraph_integer_t),
	sizeof(igraph_integer_t), sizeof(igraph_integer_t), sizeof(img_diag)};

/* ---- reading an image ----------------------------------------------------- */

void lin_i_cache_image_close(struct lin_image *im)
{
	if (im && im->map)
		munmap(im->map, im->len);
	free(im);
}

/* Checks the header and the section table; fills the section views. */
static const char *image_check_header(struct lin_image *im)
{
	const img_header *h = im->h;
	if (memcmp(h->magic, IMG_MAGIC, 8) != 0)
		return "not a lineage cache";
	if (h->version != IMG_VERSION || h->byte_order != IMG_BYTE_ORDER ||
	    h->int_size != sizeof(igraph_integer_t) || h->key_size != sizeof(struct lin_key))
		return "written by another version";
	if (h->file_size != im->len)
		return "truncated";
	const uint64_t count[S_COUNT] = {h->nsrc, h->pool_len, h->nfiles, h->nmodels,
	                                 h->nparents, h->nrefs, h->nkeys, h->tcap,
	                                 h->key_pool_len, h->nedges, h->nedges, h->nedges,
	                                 h->nedges, h->nmodels, h->ndiags};
	for (int s = 0; s < S_COUNT; s++) {
		if (count[s] > im->len / rec_size[s] || h->len[s] != count[s] * rec_size[s] ||
		    h->off[s] % 8 || h->off[s] < sizeof(*h) || h->off[s] > im->len ||
		    h->len[s] > im->len - h->off[s])
			return "bad section table";
	}
	if (h->nmodels >= INT32_MAX || h->nkeys >= NIL || h->pool_len >= NIL ||
	    h->key_pool_len >= NIL || h->tcap < 16 || (h->tcap & (h->tcap - 1)))
		return "bad counts";
	const char *base = im->base;
	im->src = (const void *)(base + h->off[S_SRC]);
	im->pool = base + h->off[S_POOL];
	im->files = (const void *)(base + h->off[S_FILES]);
	im->models = (const void *)(base + h->off[S_MODELS]);
	im->parents = (const void *)(base + h->off[S_PARENTS]);
	im->refs = (const void *)(base + h->off[S_REFS]);
	im->edges = (const void *)(base + h->off[S_EDGES]);
	im->erel = (const void *)(base + h->off[S_EREL]);
	im->emodel = (const void *)(base + h->off[S_EMODEL]);
	im->eindex = (const void *)(base + h->off[S_EINDEX]);
	im->rank = (const void *)(base + h->off[S_RANK]);
	im->diags = (const void *)(base + h->off[S_DIAGS]);
	if (!h->pool_len || im->pool[h->pool_len - 1] != '\0')
		return "bad string pool";
	const char *kp = base + h->off[S_KPOOL];
	if (h->key_pool_len && kp[h->key_pool_len - 1] != '\0')
		return "bad key pool";
	return NULL;
}

/* A string of the pool: NULL for NIL, "?" for an offset out of range. */
const char *lin_i_cache_pool_str(const struct lin_image *im, uint32_t off)
{
	if (off == NIL)
		return NULL;
	return off < im->h->pool_len ? im->pool + off : "?";
}

const char *lin_i_cache_image_open(struct lin_image **out, const char *path, const void *data,
                              size_t len)
{
	struct lin_image *im = calloc(1, sizeof(*im));
	const char *why = NULL;
	*out = NULL;
	if (!im)
		return "out of memory";
	if (data) { /* an image in memory (tests, the fuzzer) */
		im->len = len;
	} else {
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		struct stat st;
		if (fd < 0) {
			free(im);
			return errno == ENOENT ? "none yet" : "cannot open";
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size < sizeof(img_header)) {
			close(fd);
			free(im);
			return "not a lineage cache";
		}
		im->len = (size_t)st.st_size;
		im->map = mmap(NULL, im->len, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
		if (im->map == MAP_FAILED) {
			free(im);
			return "cannot map";
		}
		data = im->map;
	}
	im->base = data;
	if (im->len < sizeof(img_header) || (uintptr_t)data % 8) {
		why = "not a lineage cache";
	} else {
		im->h = data;
		why = image_check_header(im);
	}
	if (why) {
		lin_i_cache_image_close(im);
		return why;
	}
	*out = im;
	return NULL;
}

/* Whether the image was built from exactly these files, unchanged. Sets
 * *refresh when a file's stat data changed but its content did not. */
const char *lin_i_cache_image_matches(const struct lin_image *im, lin_sources *src, int *refresh)
{
	const img_header *h = im->h;
	*refresh = 0;
	if (h->nsrc != src->n)
		return "the catalog's files changed";
	int64_t built = h->built_sec * 1000000000LL + h->built_nsec;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	for (size_t i = 0; i < src->n; i++) {
		const img_src *r = &im->src[i];
		lin_source *s = &src->v[i];
		const char *name = lin_i_cache_pool_str(im, r->name);
		if (!name || strcmp(name, s->name) != 0)
			return "the catalog's files changed";
		img_src cur = lin_i_cache_src_record(&s->st, r->name, 0);
		if (r->size != cur.size)
			return "a catalog file changed";
		int64_t mt = cur.mtime_sec * 1000000000LL + cur.mtime_nsec;
		int same = lin_i_cache_same_file(r, &cur);
		if (same && mt < built - RACY_NS)
			continue;
		if (lin_i_cache_hash_file(&s->hash, s->name) != 0)
			return "a catalog file cannot be read";
		s->hashed = 1;
		if (s->hash != r->hash)
			return "a catalog file changed";
		/* same content: record new stat data, or, once a racy file is old
		 * enough, stop hashing it on every open */
		if (!same || now - mt > RACY_NS)
			*refresh = 1;
	}
	return NULL;
}

