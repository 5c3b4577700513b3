/*
 * read.c - opens an image as untrusted input (the header and the section
 * table are checked before anything is read through them) and decides
 * whether it still matches the catalog's files.
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE (not in POSIX 2008) */
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
	sizeof(img_src), 1, sizeof(uint32_t), sizeof(uint32_t), 1,
	sizeof(struct lin_key), sizeof(uint64_t), 1,
	sizeof(igraph_integer_t), sizeof(igraph_integer_t), sizeof(igraph_integer_t),
	sizeof(igraph_integer_t), sizeof(igraph_integer_t), sizeof(igraph_integer_t),
	sizeof(igraph_integer_t), sizeof(igraph_integer_t), sizeof(img_diag)};

/* ---- reading an image ----------------------------------------------------- */

void lin_i_cache_image_close(struct lin_image *im)
{
	if (im && im->map && im->lease >= 0)
		lin_i_cache_lease_unmap(im->lease, im->map, im->len);
	else if (im && im->map)
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
	    h->int_size != sizeof(igraph_integer_t) || h->key_size != sizeof(struct lin_key) ||
	    strncmp(h->igraph, IGRAPH_VERSION, sizeof(h->igraph)) != 0)
		return "written by another version";
	if (h->file_size != im->len)
		return "truncated";
	/* a parent record per edge, the same index: a model's edges are its parents */
	if (h->nmodels >= INT32_MAX || (h->flags & ~(uint64_t)IMG_PARENTS_FIRST) ||
	    h->nparents != h->nedges)
		return "bad counts";
	uint64_t n1 = h->nmodels + 1, m = h->nedges;
	uint64_t nrank = h->flags & IMG_PARENTS_FIRST ? 0 : h->nmodels;
	const uint64_t count[S_COUNT] = {h->nsrc, h->pool_len, h->nfiles, n1,
	                                 h->rec_len, h->nkeys, h->tcap,
	                                 h->key_pool_len, m, m, m, m, n1, n1, m,
	                                 nrank, h->ndiags};
	for (int s = 0; s < S_COUNT; s++) {
		if (count[s] > im->len / rec_size[s] || h->len[s] != count[s] * rec_size[s] ||
		    h->off[s] % 8 || h->off[s] < sizeof(*h) || h->off[s] > im->len ||
		    h->len[s] > im->len - h->off[s])
			return "bad section table";
	}
	if (h->nkeys >= NIL || h->pool_len >= NIL || h->rec_len >= UINT32_MAX ||
	    h->key_pool_len >= NIL || h->tcap < 16 || (h->tcap & (h->tcap - 1)))
		return "bad counts";
	const char *base = im->base;
	im->src = (const void *)(base + h->off[S_SRC]);
	im->pool = base + h->off[S_POOL];
	im->files = (const void *)(base + h->off[S_FILES]);
	im->rec_off = (const void *)(base + h->off[S_MODELS]);
	im->recs = (const void *)(base + h->off[S_RECS]);
	im->from = (const void *)(base + h->off[S_FROM]);
	im->to = (const void *)(base + h->off[S_TO]);
	im->oi = (const void *)(base + h->off[S_OI]);
	im->ii = (const void *)(base + h->off[S_II]);
	im->os = (const void *)(base + h->off[S_OS]);
	im->is = (const void *)(base + h->off[S_IS]);
	im->erel = (const void *)(base + h->off[S_EREL]);
	im->rank = (const void *)(base + h->off[S_RANK]);
	im->diags = (const void *)(base + h->off[S_DIAGS]);
	if (!h->pool_len || im->pool[h->pool_len - 1] != '\0')
		return "bad string pool";
	/* each record is checked against its neighbours as it is decoded;
	 * the ends here, so that the records tile the section */
	if (im->rec_off[0] != 0 || im->rec_off[h->nmodels] != h->rec_len)
		return "bad records";
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

/* Checks the image in im->base, im->len; takes im (closed on failure). */
static const char *image_finish(struct lin_image **out, struct lin_image *im)
{
	const char *why = NULL;
	if (im->len < sizeof(img_header) || (uintptr_t)im->base % 8) {
		why = "not a lineage cache";
	} else {
		im->h = (const void *)im->base;
		why = image_check_header(im);
	}
	if (why) {
		lin_i_cache_image_close(im);
		return why;
	}
	*out = im;
	return NULL;
}

const char *lin_i_cache_image_open(struct lin_image **out, const void *data, size_t len)
{
	struct lin_image *im = calloc(1, sizeof(*im));
	*out = NULL;
	if (!im)
		return "out of memory";
	im->base = data;
	im->len = len;
	im->lease = -1;
	return image_finish(out, im);
}

/* Reads n bytes at off; -1 when the file ends first (it shrank) or fails. */
static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	char *p = buf;
	while (n) {
		ssize_t r = pread(fd, p, n > (1u << 30) ? (1u << 30) : n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/*
 * Without a lease the image is copied into private anonymous memory, not
 * mapped: a mapped file that shrinks under the process (truncate(1), a
 * rewrite in place, anyone with write access) turns every later read past
 * the new end into SIGBUS, wherever it happens (it was seen in the JSON
 * writer), and MAP_PRIVATE does not help: the kernel drops private pages
 * past EOF too. A copy taken with pread cannot fault; a file that shrinks
 * while it is read ends the read early and is rejected as truncated, and
 * one rewritten meanwhile is checked like any other untrusted image. It is
 * taken whole, at open: copying records lazily, when a model is first
 * built, would be as safe but not correct, since a record read after a
 * truncation is gone and the model would come out empty. The cost is one
 * pass over the file and its size in memory (with huge pages where the
 * kernel offers them), which at a million models is most of a warm
 * query's time: hence the leased mapping (lease.c) when the caller can
 * take the lease's signal.
 */
static const char *image_copy(struct lin_image *im, int fd, size_t len)
{
	im->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (im->map == MAP_FAILED) {
		im->map = NULL;
		return "out of memory";
	}
#ifdef MADV_HUGEPAGE
	/* a 2 MB page per fault instead of 4 kB: the copy runs ~3x faster */
	madvise(im->map, len, MADV_HUGEPAGE);
#endif
	im->base = im->map;
	im->len = len;
	if (read_at(fd, im->map, len, 0) != 0)
		return "truncated while it was read";
	/* nothing writes the copy: a stray store faults instead of changing it */
	mprotect(im->map, len, PROT_READ);
	return NULL;
}

/* Maps the image under a lease on a descriptor of its own (the lease's
 * signal names it); 0 when mapped, -1 when it must be copied instead. */
static int image_map(struct lin_image *im, int fd, size_t len, int sig)
{
	int kfd = sig > 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
	void *map = kfd >= 0 ? lin_i_cache_lease_map(kfd, len, sig) : NULL;
	if (!map) {
		if (kfd >= 0)
			close(kfd);
		return -1;
	}
	im->map = map;
	im->lease = kfd;
	im->sig = sig;
	im->base = map;
	im->len = len;
	return 0;
}

const char *lin_i_cache_image_read(struct lin_image **out, int fd, const struct stat *st,
                                   int map_signal)
{
	struct lin_image *im = NULL;
	img_header h;
	size_t len = (size_t)st->st_size;
	*out = NULL;
	if (!S_ISREG(st->st_mode) || st->st_size < (off_t)sizeof(h) || (uintmax_t)st->st_size > SIZE_MAX)
		return "not a lineage cache";
	/* the header first, so noise or a stale size costs one small read */
	if (read_at(fd, &h, sizeof(h), 0) != 0)
		return "truncated";
	if (memcmp(h.magic, IMG_MAGIC, 8) != 0)
		return "not a lineage cache";
	if (h.file_size != (uint64_t)len)
		return h.version == IMG_VERSION ? "truncated" : "written by another version";
	if (!(im = calloc(1, sizeof(*im))))
		return "out of memory";
	im->lease = -1;
	im->st = *st;
	if (image_map(im, fd, len, map_signal) != 0) {
		const char *why = image_copy(im, fd, len);
		if (why) {
			lin_i_cache_image_close(im);
			return why;
		}
	}
	return image_finish(out, im);
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

