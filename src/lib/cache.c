/*
 * cache.c - a binary image of a finished catalog, so that repeated queries
 * on an unchanged catalog do not parse YAML again (a million models take
 * seconds to parse and milliseconds to map).
 *
 * The image holds the catalog's strings, fixed-size model and parent
 * records that refer to them by offset, the name index exactly as index.c
 * keeps it, the graph's edge list with its attribute vectors, a
 * topological rank per model and the load's warnings. It is mapped, not
 * read: a query that touches a hundred models faults in a few pages.
 *
 * It is valid for the catalog files it was built from, recorded with
 * their size, mtime, ctime, inode and a content hash. Like git's index,
 * size and stat data decide in the common case (ctime too, so an edit
 * that puts the old mtime back is still seen); a file whose stat data
 * changed but whose size did not, or that was modified so close to the
 * build that the timestamps cannot tell ("racy"), is hashed, and an
 * unchanged hash refreshes the record instead of rebuilding.
 *
 * The image is untrusted input: another program (or a crash, or a fuzzer)
 * may have written it. The header and the edge vectors are checked when it
 * is opened (every edge between valid models, of a known relation, and
 * from a lower topological rank to a higher one, which proves the graph
 * acyclic); records and the index are checked when they are used, and a
 * bad record becomes an empty model rather than a read out of bounds.
 */
#define _XOPEN_SOURCE 700
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IMG_MAGIC "LINCACHE"
#define IMG_VERSION 3u
#define IMG_BYTE_ORDER 0x01020304u
#define NIL UINT32_MAX
/* a file modified this close to the build may have changed after it was
 * read without its mtime showing it (coarse timestamps) */
#define RACY_NS 2000000000LL

enum {
	S_SRC, S_POOL, S_FILES, S_MODELS, S_PARENTS, S_REFS, S_KEYS, S_TABLE, S_KPOOL,
	S_EDGES, S_EREL, S_EMODEL, S_EINDEX, S_RANK, S_DIAGS, S_COUNT
};

typedef struct img_header {
	char magic[8];
	uint32_t version, byte_order;
	uint32_t int_size, key_size; /* sizeof(igraph_integer_t), sizeof(struct lin_key) */
	uint64_t file_size;
	int64_t built_sec, built_nsec;
	uint64_t nsrc, nfiles, nmodels, nparents, nrefs, nedges, nkeys, tcap, ndiags;
	uint64_t pool_len, key_pool_len;
	uint64_t off[S_COUNT], len[S_COUNT];
} img_header;

/* One catalog file the image was built from. */
typedef struct img_src {
	uint32_t name, pad;
	uint64_t size, dev, ino, hash;
	int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
} img_src;

/* A model; strings are pool offsets (NIL: none), lists (first, count)
 * ranges of the refs section, parents a range of the parents section
 * (which is also the range of its edge ids). */
typedef struct img_model {
	uint32_t str[7];
	uint32_t list[5][2];
	uint32_t parents, nparents;
	int32_t year, month;
	int8_t stage, arch, weights, external;
	uint32_t file;
	int32_t line, col;
} img_model;

typedef struct img_parent {
	uint32_t ref, variant, note;
	uint32_t sources[2];
	uint32_t file;
	int32_t line, col;
	uint32_t allow_external;
} img_parent;

typedef struct img_diag {
	uint32_t file, msg;
	int32_t line, col, code, is_warning;
} img_diag;

/* An open image: the mapping and typed views of its sections. */
struct lin_image {
	void *map;        /* the mapping to unmap, NULL for an image in memory */
	const char *base; /* the image's first byte */
	size_t len;
	const img_header *h;
	const img_src *src;
	const char *pool;
	const uint32_t *files, *refs;
	const img_model *models;
	const img_parent *parents;
	const igraph_integer_t *edges, *erel, *emodel, *eindex, *rank;
	const img_diag *diags;
};

static const size_t rec_size[S_COUNT] = {
	sizeof(img_src), 1, sizeof(uint32_t), sizeof(img_model), sizeof(img_parent),
	sizeof(uint32_t), sizeof(struct lin_key), sizeof(uint64_t), 1,
	2 * sizeof(igraph_integer_t), sizeof(igraph_integer_t), sizeof(igraph_integer_t),
	sizeof(igraph_integer_t), sizeof(igraph_integer_t), sizeof(img_diag)};

/* ---- content hash --------------------------------------------------------
 * Four independent multiply-rotate lanes over 8-byte words: several
 * GB/s, so hashing a 170 MB catalog costs tens of milliseconds. Not
 * cryptographic: it detects changes, it does not resist forgery. */

typedef struct hasher {
	uint64_t lane[4], total;
	unsigned char tail[32];
	size_t ntail;
} hasher;

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t round64(uint64_t acc, uint64_t w)
{
	return rotl(acc + w * 0xC2B2AE3D27D4EB4Full, 31) * 0x9E3779B185EBCA87ull;
}

static void hash_init(hasher *h)
{
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < 4; i++)
		h->lane[i] = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
}

static void hash_block(hasher *h, const unsigned char *p)
{
	for (int i = 0; i < 4; i++) {
		uint64_t w;
		memcpy(&w, p + 8 * i, 8);
		h->lane[i] = round64(h->lane[i], w);
	}
}

static void hash_update(hasher *h, const void *data, size_t n)
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

static uint64_t hash_final(hasher *h)
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
static int hash_file(uint64_t *out, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	hasher h;
	hash_init(&h);
	enum { CHUNK = 1 << 20 };
	unsigned char *buf = malloc(CHUNK);
	ssize_t r = -1;
	while (buf && ((r = read(fd, buf, CHUNK)) > 0 || (r < 0 && errno == EINTR)))
		if (r > 0)
			hash_update(&h, buf, (size_t)r);
	free(buf);
	close(fd);
	*out = hash_final(&h);
	return r == 0 ? 0 : -1;
}

/* ---- the catalog's files -------------------------------------------------- */

typedef struct source {
	char *name;
	struct stat st;
	uint64_t hash;
	int hashed;
} source;

typedef struct sources {
	source *v;
	size_t n;
} sources;

static void sources_free(sources *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static int sources_add(sources *s, const char *name)
{
	source *v = realloc(s->v, (s->n + 1) * sizeof(*v));
	if (!v)
		return LIN_ENOMEM;
	s->v = v;
	memset(&v[s->n], 0, sizeof(*v));
	if (!(v[s->n].name = strdup(name)))
		return LIN_ENOMEM;
	s->n++;
	return 0;
}

/* The files the loader would read for paths, in its order, with their
 * stat data. Fails (not cacheable) when one cannot be listed or stat'ed;
 * the caller then loads normally and reports the real error. */
static int sources_collect(sources *s, const char *const *paths, size_t npaths)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < npaths; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			if (sources_add(s, paths[i]))
				return -1;
			continue;
		}
		char **names = NULL;
		size_t n = 0;
		lin_error e;
		int rc = lin_catalog_list_dir(&names, &n, paths[i], &e);
		for (size_t j = 0; !rc && j < n; j++)
			rc = sources_add(s, names[j]);
		lin_strv_free(names, n);
		if (rc)
			return -1;
	}
	for (size_t i = 0; i < s->n; i++)
		if (stat(s->v[i].name, &s->v[i].st) != 0 || !S_ISREG(s->v[i].st.st_mode))
			return -1;
	return 0;
}

/* The image's record of a file: its stat data as st holds it. */
static img_src src_record(const struct stat *st, uint32_t name, uint64_t hash)
{
	return (img_src){name, 0, (uint64_t)st->st_size, (uint64_t)st->st_dev,
	                 (uint64_t)st->st_ino, hash, (int64_t)st->st_mtim.tv_sec,
	                 (int64_t)st->st_mtim.tv_nsec, (int64_t)st->st_ctim.tv_sec,
	                 (int64_t)st->st_ctim.tv_nsec};
}

/* Whether two records describe the same file, unchanged (stat data only). */
static int same_file(const img_src *a, const img_src *b)
{
	return a->size == b->size && a->dev == b->dev && a->ino == b->ino &&
	       a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec &&
	       a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec;
}

/* Whether s is still as it was when it was collected. */
static int unchanged(const source *s)
{
	struct stat now;
	if (stat(s->name, &now) != 0)
		return 0;
	img_src a = src_record(&now, 0, 0), b = src_record(&s->st, 0, 0);
	return same_file(&a, &b);
}

/* ---- writing an image ----------------------------------------------------- */

typedef struct writer {
	lin_atomic_file af;
	unsigned char buf[1 << 16];
	size_t nbuf;
	uint64_t off;
	int failed;
	lin_error err;
} writer;

static void put(writer *w, const void *data, size_t n)
{
	const unsigned char *p = data;
	w->off += n;
	while (n && !w->failed) {
		size_t take = sizeof(w->buf) - w->nbuf < n ? sizeof(w->buf) - w->nbuf : n;
		memcpy(w->buf + w->nbuf, p, take);
		w->nbuf += take;
		p += take;
		n -= take;
		if (w->nbuf == sizeof(w->buf)) {
			w->failed = lin_atomic_write(&w->af, w->buf, w->nbuf, &w->err) != 0;
			w->nbuf = 0;
		}
	}
}

static void pad8(writer *w)
{
	static const char zero[8];
	put(w, zero, (8 - w->off % 8) % 8);
}

/* The walk over a model's strings, in the one order every section uses:
 * its seven text fields, its five lists, then each parent's ref, variant,
 * note and sources. Offsets into the pool and the refs section follow from
 * running counters, so no section needs a table of the others. */
typedef struct walk {
	uint64_t pool, refs, parents; /* next offset or index of each */
	int emit;                     /* the section being written, or -1 */
	size_t last_file;             /* consecutive models share a file */
	writer *w;
} walk;

static uint32_t wstr(walk *k, const char *s)
{
	if (!s)
		return NIL;
	uint32_t at = (uint32_t)k->pool;
	size_t n = strlen(s) + 1;
	if (k->emit == S_POOL)
		put(k->w, s, n);
	k->pool += n;
	return at;
}

static void wlist(walk *k, const lin_strlist *l, uint32_t range[2])
{
	range[0] = (uint32_t)k->refs;
	range[1] = (uint32_t)l->n;
	for (size_t i = 0; i < l->n; i++) {
		uint32_t at = wstr(k, l->items[i]);
		if (k->emit == S_REFS)
			put(k->w, &at, sizeof(at));
	}
	k->refs += l->n;
}

static uint32_t file_index(walk *k, const lin_catalog *cat, const char *file)
{
	if (k->last_file < cat->nfiles && cat->files[k->last_file] == file)
		return (uint32_t)k->last_file;
	for (size_t i = 0; i < cat->nfiles; i++)
		if (cat->files[i] == file)
			return (uint32_t)(k->last_file = i);
	return NIL;
}

static void walk_model(walk *k, const lin_catalog *cat, const lin_model *m)
{
	img_model r;
	memset(&r, 0, sizeof(r));
	const char *s[7] = {m->id, m->name, m->org, m->released, m->license, m->license_note,
	                    m->training_data};
	for (int i = 0; i < 7; i++)
		r.str[i] = wstr(k, s[i]);
	const lin_strlist *l[5] = {&m->aliases, &m->params, &m->languages, &m->links, &m->sources};
	for (int i = 0; i < 5; i++)
		wlist(k, l[i], r.list[i]);
	r.parents = (uint32_t)k->parents;
	r.nparents = (uint32_t)m->nparents;
	r.year = m->year;
	r.month = m->month;
	r.stage = (int8_t)m->stage;
	r.arch = (int8_t)m->arch;
	r.weights = (int8_t)m->weights;
	r.external = (int8_t)m->external;
	r.file = file_index(k, cat, m->pos.file);
	r.line = m->pos.line;
	r.col = m->pos.col;
	for (size_t j = 0; j < m->nparents; j++) {
		const lin_parent *p = &m->parents[j];
		img_parent q;
		memset(&q, 0, sizeof(q));
		q.ref = wstr(k, p->ref);
		q.variant = wstr(k, p->variant);
		q.note = wstr(k, p->note);
		wlist(k, &p->sources, q.sources);
		q.file = file_index(k, cat, p->pos.file);
		q.line = p->pos.line;
		q.col = p->pos.col;
		q.allow_external = (uint32_t)p->allow_external;
		if (k->emit == S_PARENTS)
			put(k->w, &q, sizeof(q));
	}
	k->parents += m->nparents;
	if (k->emit == S_MODELS)
		put(k->w, &r, sizeof(r));
}

/* Walks every string of the image in order, writing section `emit`. */
static void walk_all(walk *k, const lin_catalog *cat, const sources *src,
                     const lin_diags *d, int emit)
{
	k->pool = k->refs = k->parents = 0;
	k->last_file = 0;
	k->emit = emit;
	for (size_t i = 0; i < src->n; i++) {
		img_src r = src_record(&src->v[i].st, wstr(k, src->v[i].name), src->v[i].hash);
		if (emit == S_SRC)
			put(k->w, &r, sizeof(r));
	}
	for (size_t i = 0; i < cat->nfiles; i++) {
		uint32_t at = wstr(k, cat->files[i]);
		if (emit == S_FILES)
			put(k->w, &at, sizeof(at));
	}
	for (size_t i = 0; i < cat->n; i++)
		walk_model(k, cat, &cat->models[i]);
	for (size_t i = 0; d && i < d->n; i++) {
		const lin_error *e = &d->items[i];
		uint32_t file = wstr(k, e->file[0] ? e->file : NULL);
		img_diag r = {file, wstr(k, e->msg), e->line, e->col, e->code, d->is_warning[i]};
		if (emit == S_DIAGS)
			put(k->w, &r, sizeof(r));
	}
}

/* The topological rank of every model (igraph's order), stored so that a
 * reader can prove the graph acyclic in one pass over the edges. */
static int ranks(igraph_vector_int_t *rank, const lin_catalog *cat)
{
	igraph_vector_int_t topo;
	igraph_integer_t n = igraph_vcount(&cat->graph);
	if (lin_graph_parents_first(&cat->graph))
		return igraph_vector_int_init_range(rank, 0, n) ? -1 : 0;
	if (igraph_vector_int_init(&topo, 0))
		return -1;
	int rc = igraph_topological_sorting(&cat->graph, &topo, IGRAPH_OUT) ||
	         igraph_vector_int_size(&topo) != n || igraph_vector_int_init(rank, n);
	for (igraph_integer_t i = 0; !rc && i < n; i++)
		VECTOR(*rank)[VECTOR(topo)[i]] = i;
	igraph_vector_int_destroy(&topo);
	return rc ? -1 : 0;
}

static void put_section(writer *w, img_header *h, int s, const void *data, uint64_t len)
{
	pad8(w);
	h->off[s] = w->off;
	h->len[s] = len;
	put(w, data, len);
}

static void put_walked(writer *w, img_header *h, int s, const lin_catalog *cat,
                       const sources *src, const lin_diags *d, uint64_t len)
{
	walk k;
	k.w = w;
	pad8(w);
	h->off[s] = w->off;
	h->len[s] = len;
	walk_all(&k, cat, src, d, s);
}

/* Fills the header's counts from a dry walk; fails when the image's 32-bit
 * offsets cannot hold the catalog. */
static int plan_header(img_header *h, const lin_catalog *cat, const sources *src,
                       const lin_diags *d, const struct timespec *built)
{
	walk k;
	k.w = NULL;
	walk_all(&k, cat, src, d, -1);
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, IMG_MAGIC, 8);
	h->version = IMG_VERSION;
	h->byte_order = IMG_BYTE_ORDER;
	h->int_size = sizeof(igraph_integer_t);
	h->key_size = sizeof(struct lin_key);
	h->built_sec = built->tv_sec;
	h->built_nsec = built->tv_nsec;
	h->nsrc = src->n;
	h->nfiles = cat->nfiles;
	h->nmodels = cat->n;
	h->nparents = k.parents;
	h->nrefs = k.refs;
	h->nedges = (uint64_t)igraph_ecount(&cat->graph);
	h->nkeys = cat->nkeys;
	h->tcap = cat->tcap;
	h->ndiags = d ? d->n : 0;
	h->pool_len = k.pool;
	h->key_pool_len = cat->key_pool_len;
	return k.pool >= NIL || k.refs >= NIL || k.parents >= NIL ? -1 : 0;
}

static int write_image(const char *path, const lin_catalog *cat, const sources *src,
                       const lin_diags *d, const struct timespec *built, lin_error *err)
{
	img_header h;
	igraph_vector_int_t rank, edges;
	int rc = 0;
	writer *w = calloc(1, sizeof(*w));
	if (!w || igraph_vector_int_init(&edges, 0)) {
		free(w);
		return lin_fail(err, LIN_ENOMEM, path, 0, 0, "out of memory");
	}
	if (ranks(&rank, cat)) {
		igraph_vector_int_destroy(&edges);
		free(w);
		return lin_fail(err, LIN_EGRAPH, path, 0, 0, "no topological order");
	}
	if (plan_header(&h, cat, src, d, built)) {
		rc = lin_fail(err, LIN_ELIMIT, path, 0, 0, "the catalog is too big to cache");
		goto done;
	}
	if (igraph_get_edgelist(&cat->graph, &edges, 0)) {
		rc = lin_fail(err, LIN_ENOMEM, path, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = lin_atomic_open(&w->af, path, err)))
		goto done;
	put(w, &h, sizeof(h)); /* again at the end, with the offsets */
	uint64_t ni = sizeof(igraph_integer_t);
	put_walked(w, &h, S_SRC, cat, src, d, h.nsrc * sizeof(img_src));
	put_walked(w, &h, S_POOL, cat, src, d, h.pool_len);
	put_walked(w, &h, S_FILES, cat, src, d, h.nfiles * sizeof(uint32_t));
	put_walked(w, &h, S_MODELS, cat, src, d, h.nmodels * sizeof(img_model));
	put_walked(w, &h, S_PARENTS, cat, src, d, h.nparents * sizeof(img_parent));
	put_walked(w, &h, S_REFS, cat, src, d, h.nrefs * sizeof(uint32_t));
	put_section(w, &h, S_KEYS, cat->keys, h.nkeys * sizeof(struct lin_key));
	put_section(w, &h, S_TABLE, cat->table, h.tcap * sizeof(uint64_t));
	put_section(w, &h, S_KPOOL, cat->key_pool, h.key_pool_len);
	put_section(w, &h, S_EDGES, VECTOR(edges), 2 * h.nedges * ni);
	put_section(w, &h, S_EREL, VECTOR(cat->edge_rel), h.nedges * ni);
	put_section(w, &h, S_EMODEL, VECTOR(cat->edge_model), h.nedges * ni);
	put_section(w, &h, S_EINDEX, VECTOR(cat->edge_index), h.nedges * ni);
	put_section(w, &h, S_RANK, VECTOR(rank), h.nmodels * ni);
	put_walked(w, &h, S_DIAGS, cat, src, d, h.ndiags * sizeof(img_diag));
	pad8(w);
	h.file_size = w->off;
	if (!w->failed && w->nbuf)
		w->failed = lin_atomic_write(&w->af, w->buf, w->nbuf, &w->err) != 0;
	if (!w->failed && (lseek(w->af.fd, 0, SEEK_SET) != 0 ||
	                   lin_atomic_write(&w->af, &h, sizeof(h), &w->err) != 0))
		w->failed = 1;
	if (w->failed) {
		rc = lin_fail(err, LIN_EIO, path, 0, 0, "%s", w->err.msg[0] ? w->err.msg : "write failed");
		lin_atomic_abort(&w->af);
	} else {
		rc = lin_atomic_commit(&w->af, 0644, err);
	}
done:
	igraph_vector_int_destroy(&edges);
	igraph_vector_int_destroy(&rank);
	free(w);
	return rc;
}

/* ---- reading an image ----------------------------------------------------- */

static void image_close(struct lin_image *im)
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
static const char *pool_str(const struct lin_image *im, uint32_t off)
{
	if (off == NIL)
		return NULL;
	return off < im->h->pool_len ? im->pool + off : "?";
}

static const char *image_open(struct lin_image **out, const char *path, const void *data,
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
		image_close(im);
		return why;
	}
	*out = im;
	return NULL;
}

/* Whether the image was built from exactly these files, unchanged. Sets
 * *refresh when a file's stat data changed but its content did not. */
static const char *image_matches(const struct lin_image *im, sources *src, int *refresh)
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
		source *s = &src->v[i];
		const char *name = pool_str(im, r->name);
		if (!name || strcmp(name, s->name) != 0)
			return "the catalog's files changed";
		img_src cur = src_record(&s->st, r->name, 0);
		if (r->size != cur.size)
			return "a catalog file changed";
		int64_t mt = cur.mtime_sec * 1000000000LL + cur.mtime_nsec;
		int same = same_file(r, &cur);
		if (same && mt < built - RACY_NS)
			continue;
		if (hash_file(&s->hash, s->name) != 0)
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

/* Checks every edge (valid models, a known relation, rank rising along
 * it: no cycle) and builds the
 * igraph graph and the edge vectors over the image. */
static const char *image_adopt_graph(lin_catalog *cat, const struct lin_image *im)
{
	const img_header *h = im->h;
	igraph_integer_t n = (igraph_integer_t)h->nmodels, m = (igraph_integer_t)h->nedges;
	for (igraph_integer_t e = 0; e < m; e++) {
		igraph_integer_t from = im->edges[2 * e], to = im->edges[2 * e + 1];
		/* the edge's model and parent index are checked where they are
		 * used (lin_catalog_edge_parent, build_parents): fewer pages here */
		if (from < 0 || from >= n || to < 0 || to >= n || im->erel[e] < 0 ||
		    im->erel[e] >= LIN_REL_COUNT || im->rank[from] >= im->rank[to])
			return "bad edge";
	}
	igraph_vector_int_t ev;
	igraph_vector_int_view(&ev, im->edges, 2 * m);
	if (igraph_create(&cat->graph, &ev, n, IGRAPH_DIRECTED))
		return "cannot build the graph";
	cat->has_graph = 1;
	igraph_vector_int_view(&cat->edge_rel, im->erel, m);
	igraph_vector_int_view(&cat->edge_model, im->emodel, m);
	igraph_vector_int_view(&cat->edge_index, im->eindex, m);
	return NULL;
}

static const char *image_adopt_diags(const struct lin_image *im, lin_diags *diags)
{
	for (uint64_t i = 0; diags && i < im->h->ndiags; i++) {
		const img_diag *r = &im->diags[i];
		const char *file = pool_str(im, r->file), *msg = pool_str(im, r->msg);
		lin_error e;
		lin_fail(&e, r->code, file, r->line, r->col, "%s", msg ? msg : "");
		lin_diags_add(diags, &e, r->is_warning != 0);
	}
	return NULL;
}

/* Makes cat (new, empty) a view of the image; cat owns im afterwards. */
static const char *image_adopt(lin_catalog *cat, struct lin_image *im, lin_diags *diags)
{
	const img_header *h = im->h;
	const char *base = im->base;
	size_t n = (size_t)h->nmodels;
	cat->image = im;
	cat->borrowed = 1; /* files, edge vectors: from here on, never freed */
	if (pthread_mutex_init(&cat->lock, NULL) != 0) {
		cat->image = NULL;
		return "out of memory";
	}
	cat->models = calloc(n + 1, sizeof(lin_model));
	cat->ready = calloc(n + 1, 1);
	cat->files = calloc(h->nfiles + 1, sizeof(char *));
	if (!cat->models || !cat->ready || !cat->files)
		return "out of memory";
	cat->n = cat->cap = n;
	cat->nfiles = (size_t)h->nfiles;
	for (size_t i = 0; i < cat->nfiles; i++) {
		const char *f = pool_str(im, im->files[i]);
		cat->files[i] = (char *)(f ? f : "?");
	}
	cat->keys = (struct lin_key *)(base + h->off[S_KEYS]);
	cat->nkeys = (size_t)h->nkeys;
	cat->table = (uint64_t *)(base + h->off[S_TABLE]);
	cat->tcap = (size_t)h->tcap;
	cat->key_pool = (char *)(base + h->off[S_KPOOL]);
	cat->key_pool_len = (size_t)h->key_pool_len;
	cat->index_borrowed = 1;
	cat->finished = 1;
	const char *why = image_adopt_graph(cat, im);
	return why ? why : image_adopt_diags(im, diags);
}

void lin_cache_release(lin_catalog *cat)
{
	if (!cat->image)
		return;
	pthread_mutex_destroy(&cat->lock);
	image_close(cat->image);
	free((void *)cat->ready);
	cat->image = NULL;
	cat->ready = NULL;
}

/* ---- building models from records ---------------------------------------- */

static const char *file_of(const lin_catalog *cat, uint32_t f)
{
	return f < cat->nfiles ? cat->files[f] : "?";
}

/* A list from a refs range; empty when the range is bad or memory is out. */
static void build_list(lin_catalog *cat, const uint32_t range[2], lin_strlist *out)
{
	const struct lin_image *im = cat->image;
	out->items = NULL;
	out->n = 0;
	if (range[1] == 0 || range[0] > im->h->nrefs || range[1] > im->h->nrefs - range[0])
		return;
	char **items = lin_arena_alloc(&cat->arena, range[1] * sizeof(char *));
	if (!items)
		return;
	for (uint32_t i = 0; i < range[1]; i++) {
		const char *s = pool_str(im, im->refs[range[0] + i]);
		items[i] = (char *)(s ? s : "?");
	}
	out->items = items;
	out->n = range[1];
}

/* The parents of model v: record j of its range must be catalog edge
 * r->parents + j, whose source is the parent (the graph was checked). */
static void build_parents(lin_catalog *cat, igraph_integer_t v, const img_model *r,
                          lin_model *m)
{
	const struct lin_image *im = cat->image;
	uint64_t first = r->parents, k = r->nparents;
	if (k == 0 || first > im->h->nparents || k > im->h->nparents - first ||
	    first + k > im->h->nedges)
		return;
	for (uint64_t j = 0; j < k; j++)
		if (im->emodel[first + j] != v || im->eindex[first + j] != (igraph_integer_t)j)
			return;
	lin_parent *p = lin_arena_alloc(&cat->arena, k * sizeof(lin_parent));
	if (!p)
		return;
	for (uint64_t j = 0; j < k; j++) {
		const img_parent *q = &im->parents[first + j];
		const char *ref = pool_str(im, q->ref);
		p[j].ref = (char *)(ref ? ref : "?");
		p[j].vertex = im->edges[2 * (first + j)];
		p[j].relation = (lin_relation)im->erel[first + j];
		p[j].variant = (char *)pool_str(im, q->variant);
		p[j].note = (char *)pool_str(im, q->note);
		build_list(cat, q->sources, &p[j].sources);
		p[j].pos = (lin_pos){file_of(cat, q->file), q->line, q->col};
		p[j].allow_external = q->allow_external != 0;
	}
	m->parents = p;
	m->nparents = (size_t)k;
}

static int in_range(int v, int lo, int hi) { return v >= lo && v < hi; }

static void build_model(lin_catalog *cat, igraph_integer_t v)
{
	const struct lin_image *im = cat->image;
	const img_model *r = &im->models[v];
	lin_model *m = &cat->models[v];
	char **s[7] = {&m->id, &m->name, &m->org, &m->released, &m->license, &m->license_note,
	               &m->training_data};
	for (int i = 0; i < 7; i++)
		*s[i] = (char *)pool_str(im, r->str[i]);
	if (!m->id)
		m->id = "?";
	lin_strlist *l[5] = {&m->aliases, &m->params, &m->languages, &m->links, &m->sources};
	for (int i = 0; i < 5; i++)
		build_list(cat, r->list[i], l[i]);
	m->year = r->year;
	m->month = in_range(r->month, 0, 13) ? r->month : 0;
	m->stage = in_range(r->stage, 0, LIN_STAGE_COUNT) ? (lin_stage)r->stage : LIN_STAGE_UNKNOWN;
	m->arch = in_range(r->arch, -1, LIN_ARCH_COUNT) ? (lin_arch)r->arch : LIN_ARCH_UNKNOWN;
	m->weights = in_range(r->weights, -1, 2) ? (lin_weights)r->weights : LIN_WEIGHTS_UNKNOWN;
	m->external = r->external != 0;
	m->pos = (lin_pos){file_of(cat, r->file), r->line, r->col};
	build_parents(cat, v, r, m);
}

lin_stage lin_catalog_stage(const lin_catalog *cat, igraph_integer_t v)
{
	if (!cat->image || atomic_load_explicit(&cat->ready[v], memory_order_acquire))
		return cat->models[v].stage;
	int st = cat->image->models[v].stage;
	return in_range(st, 0, LIN_STAGE_COUNT) ? (lin_stage)st : LIN_STAGE_UNKNOWN;
}

void lin_cache_materialize(const lin_catalog *ccat, igraph_integer_t v)
{
	/* building is invisible to callers, who hold a const catalog */
	lin_catalog *cat = (lin_catalog *)ccat;
	pthread_mutex_lock(&cat->lock);
	if (!atomic_load_explicit(&cat->ready[v], memory_order_relaxed)) {
		build_model(cat, v);
		atomic_store_explicit(&cat->ready[v], 1, memory_order_release);
	}
	pthread_mutex_unlock(&cat->lock);
}

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
	hasher h;
	hash_init(&h);
	hash_update(&h, "lineage-cache-1", 16);
	for (size_t i = 0; i < npaths; i++) {
		char *real = realpath(paths[i], NULL);
		hash_update(&h, paths[i], strlen(paths[i]) + 1);
		if (real)
			hash_update(&h, real, strlen(real) + 1);
		free(real);
	}
	int w = snprintf(out, n, "%s/%016llx.lcache", dir, (unsigned long long)hash_final(&h));
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
static int try_image(lin_catalog **out, const char *path, sources *src, int *refresh,
                     lin_diags *diags, lin_cache_status *st)
{
	struct lin_image *im = NULL;
	lin_catalog *cat = NULL;
	lin_diags local;
	lin_error e;
	const char *why = image_open(&im, path, NULL, 0);
	if (!why)
		why = image_matches(im, src, refresh);
	if (!why && lin_catalog_new(&cat, &e))
		why = "out of memory";
	lin_diags_init(&local);
	if (!why && (why = image_adopt(cat, im, &local)) == NULL) {
		lin_diags_append(diags, &local);
		lin_diags_dispose(&local);
		*out = cat;
		return 0;
	}
	lin_diags_dispose(&local);
	note_msg(st, why);
	if (cat && cat->image == im)
		im = NULL; /* freed with the catalog */
	lin_catalog_free(cat);
	image_close(im);
	return -1;
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
		failed |= lin_catalog_load_path(cat, paths[i], diags, err) != 0;
	rc = failed ? (err ? err->code : LIN_EPARSE) : lin_catalog_finish(cat, diags, err);
	if (rc || failed) {
		lin_catalog_free(cat);
		return rc ? rc : LIN_EPARSE;
	}
	*out = cat;
	return 0;
}

/* Writes the image for a freshly loaded catalog, if its files did not
 * change while they were read (then the image would describe neither). */
static void store_image(const char *path, const char *dir, const lin_catalog *cat,
                        sources *src, const lin_diags *diags, const struct timespec *built,
                        lin_cache_status *st)
{
	lin_error e;
	for (size_t i = 0; i < src->n; i++) {
		const char *why = NULL;
		if (!unchanged(&src->v[i]))
			why = "a catalog file changed while it was read";
		else if (!src->v[i].hashed && hash_file(&src->v[i].hash, src->v[i].name) != 0)
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
	if (write_image(path, cat, src, diags, built, &e) != 0) {
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
static void refresh_image(const char *path, const struct lin_image *im, const sources *src,
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
		const source *s = &src->v[i];
		if (!unchanged(s)) {
			free(recs);
			note_msg(st, "a catalog file changed while it was checked");
			return;
		}
		recs[i] = src_record(&s->st, im->src[i].name, s->hashed ? s->hash : im->src[i].hash);
	}
	nh.built_sec = built->tv_sec;
	nh.built_nsec = built->tv_nsec;
	uint64_t src_end = h->off[S_SRC] + h->len[S_SRC];
	int rc = lin_atomic_open(&af, path, &e);
	if (!rc)
		rc = lin_atomic_write(&af, &nh, sizeof(nh), &e) ||
		     lin_atomic_write(&af, im->base + sizeof(nh), h->off[S_SRC] - sizeof(nh), &e) ||
		     lin_atomic_write(&af, recs, h->len[S_SRC], &e) ||
		     lin_atomic_write(&af, im->base + src_end, im->len - src_end, &e);
	if (rc)
		lin_atomic_abort(&af);
	else
		rc = lin_atomic_commit(&af, 0644, &e);
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
	sources src;
	char path[LIN_PATH_MAX];
	struct timespec built;
	int refresh = 0, cacheable;
	lin_diags local;
	*out = NULL;
	memset(&src, 0, sizeof(src));
	if (st)
		memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_REALTIME, &built);
	cacheable = cache_dir && *cache_dir && npaths &&
	            image_path(path, sizeof(path), cache_dir, paths, npaths) == 0 &&
	            sources_collect(&src, paths, npaths) == 0;
	if (!cacheable) {
		note_msg(st, cache_dir && *cache_dir ? "the catalog's files cannot be listed"
		                                     : "no cache directory");
		sources_free(&src);
		return load_fresh(out, paths, npaths, diags, err);
	}
	if (st)
		snprintf(st->path, sizeof(st->path), "%s", path);
	if (try_image(out, path, &src, &refresh, diags, st) == 0) {
		if (st)
			st->hit = 1;
		if (refresh) /* same content, new stat data */
			refresh_image(path, (*out)->image, &src, &built, st);
		sources_free(&src);
		return 0;
	}
	/* the image keeps the load's warnings; errors are never cached */
	lin_diags_init(&local);
	int rc = load_fresh(out, paths, npaths, &local, err);
	if (rc == 0)
		store_image(path, cache_dir, *out, &src, &local, &built, st);
	lin_diags_append(diags, &local);
	lin_diags_dispose(&local);
	sources_free(&src);
	return rc;
}

int lin_cache_load_image(lin_catalog **out, const void *data, size_t len, lin_diags *diags,
                         lin_error *err)
{
	struct lin_image *im = NULL;
	lin_catalog *cat = NULL;
	*out = NULL;
	const char *why = image_open(&im, NULL, data, len);
	if (!why && lin_catalog_new(&cat, err) != 0)
		why = "out of memory";
	if (!why)
		why = image_adopt(cat, im, diags);
	if (!why) {
		*out = cat;
		return 0;
	}
	if (cat && cat->image == im)
		im = NULL;
	lin_catalog_free(cat);
	image_close(im);
	return lin_fail(err, LIN_EPARSE, NULL, 0, 0, "cache image: %s", why);
}
