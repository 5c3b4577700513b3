/*
 * build.c - a catalog over an image: the graph, index and warnings adopted
 * from it, and the lazy hook through which a model record becomes a
 * lin_model the first time it is used. A bad record becomes an empty
 * model rather than a read out of bounds.
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

/* ---- building models from records ---------------------------------------- */

static const char *file_of(const lin_catalog *cat, uint32_t f)
{
	return f < cat->nfiles ? cat->files[f] : "?";
}

/* A record being decoded: every read is checked against its end, and
 * one past it (or an overlong number) marks it bad instead. */
typedef struct rec_cursor {
	const unsigned char *p, *end;
	int bad;
} rec_cursor;

static unsigned rec_byte(rec_cursor *c)
{
	if (c->p == c->end) {
		c->bad = 1;
		return 0;
	}
	return *c->p++;
}

/* A LEB128 number of at most 32 bits (write.c's rvar). */
static uint32_t rec_var(rec_cursor *c)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 35; shift += 7) {
		unsigned b = rec_byte(c);
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			c->bad |= v > UINT32_MAX;
			return c->bad ? 0 : (uint32_t)v;
		}
	}
	c->bad = 1;
	return 0;
}

/* A zigzag number, as two's complement bits (write.c's rzig). */
static uint32_t rec_zig(rec_cursor *c)
{
	uint32_t z = rec_var(c);
	return (z >> 1) ^ (0u - (z & 1));
}

/* Those bits as an int32_t, without an implementation-defined cast. */
static int32_t to_int(uint32_t u)
{
	return u <= INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1;
}

static int rec_int(rec_cursor *c)
{
	return to_int(rec_zig(c));
}

/* Record v, bounded by the next one's offset: 0, or -1 when the offsets
 * do not nest inside the records section. */
static int record_at(rec_cursor *c, const struct lin_image *im, igraph_integer_t v)
{
	uint32_t a = im->rec_off[v], b = im->rec_off[v + 1];
	if (a > b || b > im->h->rec_len)
		return -1;
	*c = (rec_cursor){im->recs + a, im->recs + b, 0};
	return 0;
}

/* A list: its count, then a pool offset per item; empty when out of
 * memory. The count is bounded by the bytes left before anything is
 * allocated for it (an item takes one at least). */
static void build_list(lin_catalog *cat, rec_cursor *c, lin_strlist *out)
{
	const struct lin_image *im = CACHE_IMAGE(cat);
	uint32_t n = rec_var(c);
	out->items = NULL;
	out->n = 0;
	if (c->bad || n > (size_t)(c->end - c->p)) {
		c->bad = 1;
		return;
	}
	char **items = lin_i_arena_alloc(&cat->arena, (n ? n : 1) * sizeof(char *));
	for (uint32_t i = 0; i < n; i++) {
		const char *s = lin_i_cache_pool_str(im, rec_var(c));
		if (items)
			items[i] = (char *)(s ? s : "?");
	}
	if (items && !c->bad) {
		out->items = items;
		out->n = n;
	}
}

/* The pool offset of model u's id (its record's first text), NIL when it
 * has none or its record is bad: the ref a parent record leaves out. */
static uint32_t record_id(const struct lin_image *im, igraph_integer_t u)
{
	rec_cursor c;
	if (record_at(&c, im, u) != 0)
		return NIL;
	rec_byte(&c);
	unsigned mask = rec_byte(&c);
	mask |= rec_byte(&c) << 8;
	uint32_t id = mask & REC_STR(0) ? rec_var(&c) : NIL;
	return c.bad ? NIL : id;
}

/* A pool offset when mask has bit, else NIL. */
static const char *rec_str(rec_cursor *c, const struct lin_image *im, unsigned mask, unsigned bit)
{
	return mask & bit ? lin_i_cache_pool_str(im, rec_var(c)) : NULL;
}

/* The parent on edge e (whose from is the parent) of a model at file and
 * line, the defaults of the parent's own. */
static void build_parent(lin_catalog *cat, rec_cursor *c, igraph_integer_t e, uint32_t file,
                         int32_t line, lin_parent *p)
{
	const struct lin_image *im = CACHE_IMAGE(cat);
	unsigned mask = rec_byte(c);
	c->bad |= (mask & ~PREC_MASK_ALL) != 0;
	const char *ref = mask & PREC_REF ? lin_i_cache_pool_str(im, rec_var(c))
	                                  : lin_i_cache_pool_str(im, record_id(im, im->from[e]));
	p->ref = (char *)(ref ? ref : "?");
	p->vertex = im->from[e];
	p->relation = (lin_relation)im->erel[e];
	p->variant = (char *)rec_str(c, im, mask, PREC_VARIANT);
	p->note = (char *)rec_str(c, im, mask, PREC_NOTE);
	if (mask & PREC_SOURCES)
		build_list(cat, c, &p->sources);
	if (mask & PREC_FILE)
		file = rec_var(c);
	uint32_t dl = rec_zig(c);
	p->pos = (lin_pos){file_of(cat, file), to_int((uint32_t)line + dl), rec_int(c)};
	p->allow_external = (mask & PREC_ALLOW_EXTERNAL) != 0;
	p->inferred = (mask & PREC_INFERRED) != 0;
}

/* The parents of model v: its edges, is[v] .. is[v + 1] (edges come child
 * by child, is rises from 0 to m: both checked at open), each parent
 * record the same index as its edge. */
static void build_parents(lin_catalog *cat, rec_cursor *c, igraph_integer_t v, uint32_t file,
                          lin_model *m)
{
	const struct lin_image *im = CACHE_IMAGE(cat);
	uint64_t first = (uint64_t)im->is[v], k = (uint64_t)(im->is[v + 1] - im->is[v]);
	if (k == 0)
		return;
	/* a parent takes three bytes at least: bounded before allocating */
	if (k > (uint64_t)(c->end - c->p) / 3) {
		c->bad = 1;
		return;
	}
	lin_parent *p = lin_i_arena_alloc(&cat->arena, k * sizeof(lin_parent));
	if (!p)
		return; /* out of memory: no parents, as a list gets no items */
	memset(p, 0, k * sizeof(lin_parent));
	for (uint64_t j = 0; j < k && !c->bad; j++)
		build_parent(cat, c, (igraph_integer_t)(first + j), file, m->pos.line, &p[j]);
	m->parents = p;
	m->nparents = (size_t)k;
}

static int in_range(int v, int lo, int hi) { return v >= lo && v < hi; }

/* What a bad record builds: a model with nothing known but an id of "?". */
static void empty_model(lin_model *m)
{
	memset(m, 0, sizeof(*m));
	m->id = "?";
	m->stage = LIN_STAGE_UNKNOWN;
	m->arch = LIN_ARCH_UNKNOWN;
	m->weights = LIN_WEIGHTS_UNKNOWN;
	m->pos = (lin_pos){"?", 0, 0};
}

/* A record's fields after its texts and lists (write.c's walk_scalars),
 * out-of-range values read as unknown; the file's index. */
static uint32_t decode_scalars(lin_catalog *cat, rec_cursor *c, unsigned mask, lin_model *m)
{
	uint32_t file = mask & REC_FILE ? rec_var(c) : 0;
	m->year = mask & REC_DATE ? rec_int(c) : 0;
	int month = mask & REC_DATE ? rec_int(c) : 0;
	int arch = mask & REC_KIND ? (int)rec_byte(c) - 1 : LIN_ARCH_UNKNOWN;
	int weights = mask & REC_KIND ? (int)rec_byte(c) - 1 : LIN_WEIGHTS_UNKNOWN;
	m->external = mask & REC_KIND ? rec_byte(c) != 0 : 0;
	m->month = in_range(month, 0, 13) ? month : 0;
	m->arch = in_range(arch, -1, LIN_ARCH_COUNT) ? (lin_arch)arch : LIN_ARCH_UNKNOWN;
	m->weights = in_range(weights, -1, 2) ? (lin_weights)weights : LIN_WEIGHTS_UNKNOWN;
	int line = rec_int(c);
	m->pos = (lin_pos){file_of(cat, file), line, rec_int(c)};
	return file;
}

/* Model v's fields from its record (cache.h), in write.c's order; c->bad
 * when the record is not one. */
static void decode_model(lin_catalog *cat, rec_cursor *c, igraph_integer_t v, lin_model *m)
{
	const struct lin_image *im = CACHE_IMAGE(cat);
	size_t nf, ns = 0, nl = 0;
	const lin_field *f = lin_model_fields(&nf);
	int stage = (int)rec_byte(c);
	unsigned mask = rec_byte(c);
	mask |= rec_byte(c) << 8;
	c->bad |= (mask & ~REC_MASK_ALL) != 0;
	for (size_t i = 0; i < nf; i++)
		if (f[i].kind == LIN_FIELD_TEXT && ns < IMG_STRS) {
			*(char **)(void *)((char *)m + f[i].offset) = (char *)rec_str(c, im, mask, REC_STR(ns));
			ns++;
		}
	for (size_t i = 0; i < nf; i++)
		if (f[i].kind == LIN_FIELD_LIST && nl < IMG_LISTS) {
			if (mask & REC_LIST(nl))
				build_list(cat, c, (lin_strlist *)(void *)((char *)m + f[i].offset));
			nl++;
		}
	m->stage = in_range(stage, 0, LIN_STAGE_COUNT) ? (lin_stage)stage : LIN_STAGE_UNKNOWN;
	uint32_t file = decode_scalars(cat, c, mask, m);
	if (!c->bad)
		build_parents(cat, c, v, file, m);
	c->bad |= c->p != c->end; /* the record ends where the next begins */
}

static void build_model(lin_catalog *cat, igraph_integer_t v)
{
	rec_cursor c = {NULL, NULL, 1};
	lin_model *m = &cat->models[v];
	if (record_at(&c, CACHE_IMAGE(cat), v) == 0)
		decode_model(cat, &c, v, m);
	if (c.bad)
		empty_model(m);
	else if (!m->id)
		m->id = "?";
}

/* The stage alone: a record's first byte. */
static lin_stage record_stage(const lin_catalog *cat, igraph_integer_t v)
{
	rec_cursor c = {NULL, NULL, 1};
	int st = record_at(&c, CACHE_IMAGE(cat), v) == 0 ? (int)rec_byte(&c) : -1;
	return in_range(st, 0, LIN_STAGE_COUNT) && !c.bad ? (lin_stage)st : LIN_STAGE_UNKNOWN;
}

static void release(lin_catalog *cat)
{
	lin_i_cache_image_close(cat->store);
}

const lin_backing lin_i_cache_backing = {
	.build = build_model,
	.stage = record_stage,
	.release = release,
};

/* ---- adopting an image ------------------------------------------------------ */

#define CHECK_CHUNK 8192 /* entries: 64 kB, well inside L2 */

/* Checks every edge: valid ends, a known relation, and rank rising along
 * it (the vertex ids themselves when the models come parents first),
 * which proves the graph acyclic, and edges numbered child by child (to
 * never falls: lin_catalog_edge_parent counts on it); chunk by chunk, each
 * then fed to the hash of from, to and the relations (*h). */
static int edges_ok(lin_hasher *h, const struct lin_image *im, igraph_integer_t n,
                    igraph_integer_t m)
{
	const igraph_integer_t *from = im->from, *to = im->to, *rel = im->erel, *rank = im->rank;
	int first = (im->h->flags & IMG_PARENTS_FIRST) != 0;
	igraph_integer_t bad = 0;
	for (igraph_integer_t k = 0; k < m; k += CHECK_CHUNK) {
		igraph_integer_t end = m - k < CHECK_CHUNK ? m : k + CHECK_CHUNK;
		for (igraph_integer_t e = k; e < end; e++) {
			igraph_integer_t a = from[e], b = to[e];
			bad |= a < 0 || a >= n || b < 0 || b >= n || rel[e] < 0 || rel[e] >= LIN_REL_COUNT ||
			       (e > 0 && to[e - 1] > b);
			if (!bad)
				bad |= first ? a >= b : rank[a] >= rank[b];
		}
		size_t len = (size_t)(end - k) * sizeof(*from);
		lin_i_cache_hash_update(&h[0], from + k, len);
		lin_i_cache_hash_update(&h[1], to + k, len);
		lin_i_cache_hash_update(&h[2], rel + k, len);
	}
	return !bad;
}

/* Whether an index vector of igraph's (idx: oi or ii, m entries; start: os
 * or is, n + 1) keeps every walk over it inside the vectors: start rises
 * from 0 to m and every entry of idx is an edge. Each chunk is checked
 * while it is in the cache and then fed to the hash (*h), so the vectors
 * are read from memory once. That they are the index igraph_create made
 * (sorted by from, to and edge id) is what the hash vouches for: checking
 * the order itself costs a random read per edge, 50 ms at a million. */
static int index_ok(lin_hasher *h, const igraph_integer_t *idx, const igraph_integer_t *start,
                    igraph_integer_t n, igraph_integer_t m)
{
	igraph_integer_t bad = start[0] != 0 || start[n] != m;
	for (igraph_integer_t k = 0; k < m; k += CHECK_CHUNK) {
		igraph_integer_t end = m - k < CHECK_CHUNK ? m : k + CHECK_CHUNK;
		/* no early exit: a branch-free loop the compiler vectorises */
		for (igraph_integer_t j = k; j < end; j++)
			bad |= idx[j] < 0 || idx[j] >= m;
		lin_i_cache_hash_update(h, idx + k, (size_t)(end - k) * sizeof(*idx));
	}
	for (igraph_integer_t v = 0; v < n; v += CHECK_CHUNK) {
		igraph_integer_t end = n - v < CHECK_CHUNK ? n : v + CHECK_CHUNK;
		for (igraph_integer_t j = v; j < end; j++)
			bad |= start[j + 1] < start[j];
		lin_i_cache_hash_update(h, start + v, (size_t)(end - v) * sizeof(*start));
	}
	lin_i_cache_hash_update(h, start + n, sizeof(*start));
	return !bad;
}

/* One hash of three streams hashed side by side. */
static uint64_t hash_merge(lin_hasher h[3])
{
	uint64_t a = lin_i_cache_hash_final(&h[0]), b = lin_i_cache_hash_final(&h[1]),
	         c = lin_i_cache_hash_final(&h[2]);
	lin_hasher m;
	uint64_t w[3] = {a, b, c};
	lin_i_cache_hash_init(&m);
	lin_i_cache_hash_update(&m, w, sizeof(w));
	return lin_i_cache_hash_final(&m);
}

/* The hashes of the graph's vectors as write.c stores them: from, to and
 * the relations (three streams, merged), then oi and os, then ii and is,
 * straight from the catalog's vectors. */
void lin_i_cache_graph_hash(const lin_catalog *cat, uint64_t out[3])
{
	const igraph_t *g = &cat->graph;
	const igraph_vector_int_t *v[3][3] = {{&g->from, &g->to, &cat->edge_rel},
	                                      {&g->oi, &g->os, NULL},
	                                      {&g->ii, &g->is, NULL}};
	lin_hasher h[3];
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 3; j++)
			lin_i_cache_hash_init(&h[j]);
		for (int j = 0; j < 3 && v[i][j]; j++)
			lin_i_cache_hash_update(&h[i ? 0 : j], VECTOR(*v[i][j]),
			                        (size_t)igraph_vector_int_size(v[i][j]) * sizeof(igraph_integer_t));
		out[i] = i ? lin_i_cache_hash_final(&h[0]) : hash_merge(h);
	}
}

/* One of the three checks of igraph's vectors, each a third of their
 * bytes: the edges, the out-index, the in-index. */
typedef struct graph_check {
	const struct lin_image *im;
	int part; /* 0 edges, 1 oi/os, 2 ii/is; -1: 1 then 2 */
	int ok;
} graph_check;

static int check_part(const struct lin_image *im, int part)
{
	igraph_integer_t n = (igraph_integer_t)im->h->nmodels, m = (igraph_integer_t)im->h->nedges;
	lin_hasher h[3];
	for (int j = 0; j < 3; j++)
		lin_i_cache_hash_init(&h[j]);
	if (part == 0)
		return edges_ok(h, im, n, m) && hash_merge(h) == im->h->graph_hash[0];
	int ok = part == 1 ? index_ok(h, im->oi, im->os, n, m) : index_ok(h, im->ii, im->is, n, m);
	return ok && lin_i_cache_hash_final(h) == im->h->graph_hash[part];
}

static void *graph_check_run(void *arg)
{
	graph_check *c = arg;
	c->ok = c->part >= 0 ? check_part(c->im, c->part)
	                     : check_part(c->im, 1) && check_part(c->im, 2);
	return NULL;
}

/* Below this many edges a thread costs more than the checks it shares. */
#define GRAPH_CHECK_PARALLEL_MIN 100000

/* Checks the image's graph on two cores (the edges on one, the two indexes
 * on the other): NULL, or what is wrong. */
static const char *image_check_graph(const struct lin_image *im)
{
	graph_check c[2] = {{im, 0, 0}, {im, -1, 0}};
	int par = im->h->nedges >= GRAPH_CHECK_PARALLEL_MIN;
	lin_i_run_parallel(graph_check_run, c, sizeof(c[0]), par ? 2 : 1);
	if (!par && c[0].ok)
		graph_check_run(&c[1]);
	return !c[0].ok ? "bad edge" : !c[1].ok ? "bad edge index" : NULL;
}

/* cat->graph as read-only views of the image's vectors, once they are
 * checked. The property cache comes from igraph_empty; lin_i_graph_unview
 * gives the vectors back before igraph_destroy, which must never free
 * them. */
static const char *image_adopt_graph(lin_catalog *cat, const struct lin_image *im)
{
	igraph_integer_t n = (igraph_integer_t)im->h->nmodels, m = (igraph_integer_t)im->h->nedges;
	igraph_t *g = &cat->graph;
	const char *why = image_check_graph(im);
	if (why)
		return why;
	if (igraph_empty(g, 0, IGRAPH_DIRECTED))
		return "cannot build the graph";
	cat->has_graph = 1;
	igraph_vector_int_destroy(&g->from);
	igraph_vector_int_destroy(&g->to);
	igraph_vector_int_destroy(&g->oi);
	igraph_vector_int_destroy(&g->ii);
	igraph_vector_int_destroy(&g->os);
	igraph_vector_int_destroy(&g->is);
	igraph_vector_int_view(&g->from, im->from, m);
	igraph_vector_int_view(&g->to, im->to, m);
	igraph_vector_int_view(&g->oi, im->oi, m);
	igraph_vector_int_view(&g->ii, im->ii, m);
	igraph_vector_int_view(&g->os, im->os, n + 1);
	igraph_vector_int_view(&g->is, im->is, n + 1);
	g->n = n;
	cat->graph_views = 1;
	igraph_invalidate_cache(g);
	igraph_vector_int_view(&cat->edge_rel, im->erel, m);
	return NULL;
}

static const char *image_adopt_diags(const struct lin_image *im, lin_diags *diags)
{
	for (uint64_t i = 0; diags && i < im->h->ndiags; i++) {
		const img_diag *r = &im->diags[i];
		const char *file = lin_i_cache_pool_str(im, r->file), *msg = lin_i_cache_pool_str(im, r->msg);
		lin_error e;
		lin_i_fail(&e, r->code, file, r->line, r->col, "%s", msg ? msg : "");
		lin_i_diags_add(diags, &e, r->is_warning != 0);
	}
	return NULL;
}

/* Makes cat (new, empty) a view of the image. Once attached (cat->store
 * == im) cat owns im, even when a later step fails. */
const char *lin_i_cache_image_adopt(lin_catalog *cat, struct lin_image *im, lin_diags *diags)
{
	const img_header *h = im->h;
	const char *base = im->base;
	if (lin_i_catalog_attach(cat, &lin_i_cache_backing, im, (size_t)h->nmodels) != 0)
		return "out of memory";
	cat->borrowed = 1; /* files, edge vectors: from here on, never freed */
	cat->files = calloc(h->nfiles + 1, sizeof(char *));
	if (!cat->files)
		return "out of memory";
	cat->nfiles = (size_t)h->nfiles;
	for (size_t i = 0; i < cat->nfiles; i++) {
		const char *f = lin_i_cache_pool_str(im, im->files[i]);
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
