/*
 * write.c - writes the image of a finished catalog, section by section, to a
 * temporary file renamed into place (racing builders are safe).
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

/* ---- writing an image ----------------------------------------------------- */

/* A catalog file name's index, found by its (interned) pointer. */
typedef struct file_ref {
	uintptr_t name;
	size_t index;
} file_ref;

/* Strings seen lately, by content: a repeated one ("synthetic", a licence,
 * a source URL every model of a file cites) is stored once. A direct-mapped
 * table, emptied at the start of each walk: every walk then makes the same
 * choices, so the offsets of one agree with the pool another writes, and
 * the image depends on the catalog alone. */
#define SEEN_SLOTS 65536
typedef struct seen_str {
	uint64_t hash;
	const char *s;
	uint32_t at;
} seen_str;

typedef struct writer {
	lin_atomic_file af;
	file_ref *by_name; /* cat->files sorted by pointer (files_by_name) */
	unsigned char buf[1 << 16];
	size_t nbuf;
	uint64_t off;
	int failed;
	lin_error err;
	seen_str *seen; /* the walks' shared strings (SEEN_SLOTS) */
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
			w->failed = lin_i_atomic_write(&w->af, w->buf, w->nbuf, &w->err) != 0;
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
 * note and sources. Offsets into the pool and the records follow from
 * running counters, so no section needs a table of the others. */
typedef struct walk {
	uint64_t pool, recs, parents; /* next offset or index of each */
	seen_str *seen;               /* SEEN_SLOTS of them; NULL: no sharing */
	int emit;                     /* the section being written, or -1 */
	size_t last_file;             /* consecutive models share a file */
	const file_ref *by_name;      /* the writer's */
	writer *w;
} walk;

static uint64_t str_hash(const char *s, size_t *len)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a: strings here are short */
	const char *p = s;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	*len = (size_t)(p - s);
	return h;
}

static uint32_t wstr(walk *k, const char *s)
{
	if (!s)
		return NIL;
	size_t n;
	uint64_t h = str_hash(s, &n);
	seen_str *slot = k->seen ? &k->seen[h & (SEEN_SLOTS - 1)] : NULL;
	if (slot && slot->s && slot->hash == h && strcmp(slot->s, s) == 0)
		return slot->at;
	uint32_t at = (uint32_t)k->pool;
	if (k->emit == S_POOL)
		put(k->w, s, n + 1);
	k->pool += n + 1;
	if (slot)
		*slot = (seen_str){h, s, at};
	return at;
}

static int cmp_file_ref(const void *a, const void *b)
{
	const file_ref *x = a, *y = b;
	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The files sorted by pointer, so that a model's file is a binary search
 * away: scanning the list for each model made 200,000 one-model files take
 * 76 s to cache. NULL when out of memory. */
static file_ref *files_by_name(const lin_catalog *cat)
{
	file_ref *r = malloc((cat->nfiles + 1) * sizeof(*r));
	if (!r)
		return NULL;
	for (size_t i = 0; i < cat->nfiles; i++)
		r[i] = (file_ref){(uintptr_t)cat->files[i], i};
	qsort(r, cat->nfiles, sizeof(*r), cmp_file_ref);
	return r;
}

/* The index of file in cat->files (the first, if listed twice), or NIL. */
static uint32_t file_index(walk *k, const lin_catalog *cat, const char *file)
{
	size_t lo = 0, hi = cat->nfiles;
	if (k->last_file < cat->nfiles && cat->files[k->last_file] == file)
		return (uint32_t)k->last_file;
	while (lo < hi) { /* the first entry not below file */
		size_t mid = lo + (hi - lo) / 2;
		if (k->by_name[mid].name < (uintptr_t)file)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < cat->nfiles && k->by_name[lo].name == (uintptr_t)file)
		return (uint32_t)(k->last_file = k->by_name[lo].index);
	return NIL;
}

/* Bytes of a record: written in the records walk, counted in every walk
 * (the offsets section and the plan need the same count). */
static void rput(walk *k, const void *data, size_t n)
{
	if (k->emit == S_RECS)
		put(k->w, data, n);
	k->recs += n;
}

static void rbyte(walk *k, unsigned v)
{
	unsigned char b = (unsigned char)v;
	rput(k, &b, 1);
}

/* LEB128, seven bits a byte, low first: a count, a file index or a line
 * takes 1 to 3 bytes where a fixed field took 4 */
static void rvar(walk *k, uint32_t v)
{
	unsigned char b[5];
	size_t n = 0;
	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		b[n++] |= v ? 0x80 : 0;
	} while (v);
	rput(k, b, n);
}

/* Signed numbers zigzag, so that a small negative one stays short. */
static void rzig(walk *k, uint32_t v)
{
	rvar(k, (v << 1) ^ (0u - (v >> 31)));
}

static void rlist(walk *k, const lin_strlist *l)
{
	rvar(k, (uint32_t)l->n);
	for (size_t i = 0; i < l->n; i++)
		rvar(k, wstr(k, l->items[i]));
}

/* A parent: its bitmap, then what it marks (cache.h). */
static void walk_parent(walk *k, const lin_catalog *cat, const lin_parent *p, uint32_t mfile,
                        int32_t mline)
{
	/* most refs spell the parent's id: the reader takes it from there */
	uint32_t ref = p->vertex >= 0 && (size_t)p->vertex < cat->n && p->ref &&
	                       strcmp(p->ref, cat->models[p->vertex].id) == 0
	                   ? NIL
	                   : wstr(k, p->ref);
	uint32_t variant = wstr(k, p->variant), note = wstr(k, p->note);
	uint32_t file = file_index(k, cat, p->pos.file);
	unsigned mask = (ref != NIL ? PREC_REF : 0) | (variant != NIL ? PREC_VARIANT : 0) |
	                (note != NIL ? PREC_NOTE : 0) | (p->sources.n ? PREC_SOURCES : 0) |
	                (file != mfile ? PREC_FILE : 0) |
	                (p->allow_external ? PREC_ALLOW_EXTERNAL : 0) |
	                (p->inferred ? PREC_INFERRED : 0);
	rbyte(k, mask);
	if (ref != NIL)
		rvar(k, ref);
	if (variant != NIL)
		rvar(k, variant);
	if (note != NIL)
		rvar(k, note);
	if (p->sources.n)
		rlist(k, &p->sources);
	if (file != mfile)
		rvar(k, file);
	rzig(k, (uint32_t)p->pos.line - (uint32_t)mline); /* wraps: no overflow */
	rzig(k, (uint32_t)p->pos.col);
}

/* A record's fields after its texts and lists: file, date, kind (those
 * mask marks), line and column. */
static void walk_scalars(walk *k, const lin_model *m, uint32_t file, unsigned mask)
{
	if (mask & REC_FILE)
		rvar(k, file);
	if (mask & REC_DATE) {
		rzig(k, (uint32_t)m->year);
		rzig(k, (uint32_t)m->month);
	}
	if (mask & REC_KIND) {
		rbyte(k, (unsigned)(m->arch + 1));
		rbyte(k, (unsigned)(m->weights + 1));
		rbyte(k, m->external != 0);
	}
	rzig(k, (uint32_t)m->pos.line);
	rzig(k, (uint32_t)m->pos.col);
}

/* A model's record (cache.h), its offset first in the offsets walk. The
 * strings are interned in the same order in every walk: texts, lists,
 * parents. */
static void walk_model(walk *k, const lin_catalog *cat, const lin_model *m)
{
	uint32_t str[IMG_STRS];
	const lin_strlist *list[IMG_LISTS];
	size_t nf, ns = 0, nl = 0;
	const lin_field *f = lin_model_fields(&nf);
	unsigned mask = 0;
	if (k->emit == S_MODELS) {
		uint32_t at = (uint32_t)k->recs;
		put(k->w, &at, sizeof(at));
	}
	/* the text fields, then the lists, each in the field table's order:
	 * build.c reads them back the same way */
	for (size_t i = 0; i < nf; i++)
		if (f[i].kind == LIN_FIELD_TEXT && ns < IMG_STRS) {
			str[ns] = wstr(k, lin_field_text(m, &f[i]));
			mask |= str[ns] != NIL ? REC_STR(ns) : 0;
			ns++;
		}
	for (size_t i = 0; i < nf; i++)
		if (f[i].kind == LIN_FIELD_LIST && nl < IMG_LISTS) {
			list[nl] = lin_field_list(m, &f[i]);
			mask |= list[nl]->n ? REC_LIST(nl) : 0;
			nl++;
		}
	uint32_t file = file_index(k, cat, m->pos.file);
	int kind = m->arch != LIN_ARCH_UNKNOWN || m->weights != LIN_WEIGHTS_UNKNOWN || m->external;
	mask |= (file ? REC_FILE : 0) | (m->year || m->month ? REC_DATE : 0) | (kind ? REC_KIND : 0);
	rbyte(k, (unsigned)m->stage);
	rbyte(k, mask & 0xff);
	rbyte(k, mask >> 8);
	for (size_t i = 0; i < ns; i++)
		if (str[i] != NIL)
			rvar(k, str[i]);
	for (size_t j = 0; j < nl; j++)
		if (list[j]->n)
			rlist(k, list[j]);
	walk_scalars(k, m, file, mask);
	for (size_t j = 0; j < m->nparents; j++)
		walk_parent(k, cat, &m->parents[j], file, m->pos.line);
	k->parents += m->nparents;
}

/* Walks every string of the image in order, writing section `emit`. */
static void walk_all(walk *k, const lin_catalog *cat, const lin_sources *src,
                     const lin_diags *d, int emit)
{
	k->pool = k->recs = k->parents = 0;
	k->last_file = 0;
	if (k->seen)
		memset(k->seen, 0, SEEN_SLOTS * sizeof(*k->seen));
	k->emit = emit;
	for (size_t i = 0; i < src->n; i++) {
		img_src r = lin_i_cache_src_record(&src->v[i].st, wstr(k, src->v[i].name), src->v[i].hash);
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
	if (emit == S_MODELS) { /* the end of the last record */
		uint32_t at = (uint32_t)k->recs;
		put(k->w, &at, sizeof(at));
	}
	for (size_t i = 0; d && i < d->n; i++) {
		const lin_error *e = &d->items[i];
		uint32_t file = wstr(k, e->file[0] ? e->file : NULL);
		img_diag r = {file, wstr(k, e->msg), e->line, e->col, e->code, d->is_warning[i]};
		if (emit == S_DIAGS)
			put(k->w, &r, sizeof(r));
	}
}

/* The topological rank of every model (igraph's order), stored so that a
 * reader can prove the graph acyclic in one pass over the edges; none
 * (*first set) when the models come parents first, as the vertex ids are
 * then such a rank themselves. */
static int ranks(igraph_vector_int_t *rank, int *first, const lin_catalog *cat)
{
	igraph_vector_int_t topo;
	igraph_integer_t n = igraph_vcount(&cat->graph);
	*first = lin_i_graph_parents_first(&cat->graph);
	if (*first)
		return igraph_vector_int_init(rank, 0) ? -1 : 0;
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
                       const lin_sources *src, const lin_diags *d, uint64_t len)
{
	walk k;
	k.w = w;
	k.seen = w->seen;
	k.by_name = w->by_name;
	pad8(w);
	h->off[s] = w->off;
	h->len[s] = len;
	walk_all(&k, cat, src, d, s);
}

/* Fills the header's counts from a dry walk; fails when the image's 32-bit
 * offsets cannot hold the catalog. */
static int plan_header(img_header *h, const writer *w, const lin_catalog *cat,
                       const lin_sources *src, const lin_diags *d, const struct timespec *built)
{
	walk k;
	k.w = NULL;
	k.seen = w->seen;
	k.by_name = w->by_name; /* a record's size depends on its file */
	walk_all(&k, cat, src, d, -1);
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, IMG_MAGIC, 8);
	h->version = IMG_VERSION;
	h->byte_order = IMG_BYTE_ORDER;
	h->int_size = sizeof(igraph_integer_t);
	h->key_size = sizeof(struct lin_key);
	snprintf(h->igraph, sizeof(h->igraph), "%s", IGRAPH_VERSION);
	h->built_sec = built->tv_sec;
	h->built_nsec = built->tv_nsec;
	h->nsrc = src->n;
	h->nfiles = cat->nfiles;
	h->nmodels = cat->n;
	h->nparents = k.parents;
	h->rec_len = k.recs;
	h->nedges = (uint64_t)igraph_ecount(&cat->graph);
	h->nkeys = cat->nkeys;
	h->tcap = cat->tcap;
	h->ndiags = d ? d->n : 0;
	h->pool_len = k.pool;
	h->key_pool_len = cat->key_pool_len;
	return k.pool >= NIL || k.recs >= UINT32_MAX || k.parents >= NIL ? -1 : 0;
}

int lin_i_cache_write_image(const char *path, const lin_catalog *cat, const lin_sources *src,
                       const lin_diags *d, const struct timespec *built, lin_error *err)
{
	img_header h;
	igraph_vector_int_t rank;
	int rc = 0, first = 0;
	writer *w = calloc(1, sizeof(*w));
	if (!w || !(w->by_name = files_by_name(cat)) ||
	    !(w->seen = malloc(SEEN_SLOTS * sizeof(*w->seen)))) {
		if (w)
			free(w->by_name);
		free(w);
		return lin_i_fail(err, LIN_ENOMEM, path, 0, 0, "out of memory");
	}
	if (ranks(&rank, &first, cat)) {
		free(w->seen);
		free(w->by_name);
		free(w);
		return lin_i_fail(err, LIN_EGRAPH, path, 0, 0, "no topological order");
	}
	if (plan_header(&h, w, cat, src, d, built)) {
		rc = lin_i_fail(err, LIN_ELIMIT, path, 0, 0, "the catalog is too big to cache");
		goto done;
	}
	h.flags = first ? IMG_PARENTS_FIRST : 0;
	lin_i_cache_graph_hash(cat, h.graph_hash);
	if ((rc = lin_i_atomic_open(&w->af, path, err)))
		goto done;
	put(w, &h, sizeof(h)); /* again at the end, with the offsets */
	uint64_t ni = sizeof(igraph_integer_t);
	put_walked(w, &h, S_SRC, cat, src, d, h.nsrc * sizeof(img_src));
	put_walked(w, &h, S_POOL, cat, src, d, h.pool_len);
	put_walked(w, &h, S_FILES, cat, src, d, h.nfiles * sizeof(uint32_t));
	put_walked(w, &h, S_MODELS, cat, src, d, (h.nmodels + 1) * sizeof(uint32_t));
	put_walked(w, &h, S_RECS, cat, src, d, h.rec_len);
	put_section(w, &h, S_KEYS, cat->keys, h.nkeys * sizeof(struct lin_key));
	put_section(w, &h, S_TABLE, cat->table, h.tcap * sizeof(uint64_t));
	put_section(w, &h, S_KPOOL, cat->key_pool, h.key_pool_len);
	/* igraph's own vectors, as igraph_create left them: a reader views
	 * them instead of sorting the edges again */
	const igraph_t *g = &cat->graph;
	uint64_t m = h.nedges * ni, n1 = (h.nmodels + 1) * ni;
	put_section(w, &h, S_FROM, VECTOR(g->from), m);
	put_section(w, &h, S_TO, VECTOR(g->to), m);
	put_section(w, &h, S_OI, VECTOR(g->oi), m);
	put_section(w, &h, S_II, VECTOR(g->ii), m);
	put_section(w, &h, S_OS, VECTOR(g->os), n1);
	put_section(w, &h, S_IS, VECTOR(g->is), n1);
	put_section(w, &h, S_EREL, VECTOR(cat->edge_rel), m);
	put_section(w, &h, S_RANK, VECTOR(rank), (uint64_t)igraph_vector_int_size(&rank) * ni);
	put_walked(w, &h, S_DIAGS, cat, src, d, h.ndiags * sizeof(img_diag));
	pad8(w);
	h.file_size = w->off;
	if (!w->failed && w->nbuf)
		w->failed = lin_i_atomic_write(&w->af, w->buf, w->nbuf, &w->err) != 0;
	if (!w->failed && (lseek(w->af.fd, 0, SEEK_SET) != 0 ||
	                   lin_i_atomic_write(&w->af, &h, sizeof(h), &w->err) != 0))
		w->failed = 1;
	if (w->failed) {
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "%s", w->err.msg[0] ? w->err.msg : "write failed");
		lin_i_atomic_abort(&w->af);
	} else {
		rc = lin_i_atomic_commit(&w->af, 0644, err);
	}
done:
	igraph_vector_int_destroy(&rank);
	free(w->seen);
	free(w->by_name);
	free(w);
	return rc;
}
