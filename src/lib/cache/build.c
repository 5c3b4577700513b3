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

/* A list from a refs range; empty when the range is bad or memory is out. */
static void build_list(lin_catalog *cat, const uint32_t range[2], lin_strlist *out)
{
	const struct lin_image *im = CACHE_IMAGE(cat);
	out->items = NULL;
	out->n = 0;
	if (range[1] == 0 || range[0] > im->h->nrefs || range[1] > im->h->nrefs - range[0])
		return;
	char **items = lin_i_arena_alloc(&cat->arena, range[1] * sizeof(char *));
	if (!items)
		return;
	for (uint32_t i = 0; i < range[1]; i++) {
		const char *s = lin_i_cache_pool_str(im, im->refs[range[0] + i]);
		items[i] = (char *)(s ? s : "?");
	}
	out->items = items;
	out->n = range[1];
}

/* The parents of model v: record j of its range must be catalog edge
 * r->parents + j, whose lin_source is the parent (the graph was checked). */
static void build_parents(lin_catalog *cat, igraph_integer_t v, const img_model *r,
                          lin_model *m)
{
	const struct lin_image *im = CACHE_IMAGE(cat);
	uint64_t first = r->parents, k = r->nparents;
	if (k == 0 || first > im->h->nparents || k > im->h->nparents - first ||
	    first + k > im->h->nedges)
		return;
	for (uint64_t j = 0; j < k; j++)
		if (im->emodel[first + j] != v || im->eindex[first + j] != (igraph_integer_t)j)
			return;
	lin_parent *p = lin_i_arena_alloc(&cat->arena, k * sizeof(lin_parent));
	if (!p)
		return;
	for (uint64_t j = 0; j < k; j++) {
		const img_parent *q = &im->parents[first + j];
		const char *ref = lin_i_cache_pool_str(im, q->ref);
		p[j].ref = (char *)(ref ? ref : "?");
		p[j].vertex = im->edges[2 * (first + j)];
		p[j].relation = (lin_relation)im->erel[first + j];
		p[j].variant = (char *)lin_i_cache_pool_str(im, q->variant);
		p[j].note = (char *)lin_i_cache_pool_str(im, q->note);
		build_list(cat, q->sources, &p[j].sources);
		p[j].pos = (lin_pos){file_of(cat, q->file), q->line, q->col};
		p[j].allow_external = (q->flags & IMG_PARENT_ALLOW_EXTERNAL) != 0;
		p[j].inferred = (q->flags & IMG_PARENT_INFERRED) != 0;
	}
	m->parents = p;
	m->nparents = (size_t)k;
}

static int in_range(int v, int lo, int hi) { return v >= lo && v < hi; }

static void build_model(lin_catalog *cat, igraph_integer_t v)
{
	const struct lin_image *im = CACHE_IMAGE(cat);
	const img_model *r = &im->models[v];
	lin_model *m = &cat->models[v];
	size_t nf, ns = 0, nl = 0;
	const lin_field *f = lin_model_fields(&nf);
	/* as write.c wrote them: text fields, then lists, in table order */
	for (size_t i = 0; i < nf; i++)
		if (f[i].kind == LIN_FIELD_TEXT && ns < IMG_STRS)
			*(char **)(void *)((char *)m + f[i].offset) =
				(char *)lin_i_cache_pool_str(im, r->str[ns++]);
	if (!m->id)
		m->id = "?";
	for (size_t i = 0; i < nf; i++)
		if (f[i].kind == LIN_FIELD_LIST && nl < IMG_LISTS)
			build_list(cat, r->list[nl++], (lin_strlist *)(void *)((char *)m + f[i].offset));
	m->year = r->year;
	m->month = in_range(r->month, 0, 13) ? r->month : 0;
	m->stage = in_range(r->stage, 0, LIN_STAGE_COUNT) ? (lin_stage)r->stage : LIN_STAGE_UNKNOWN;
	m->arch = in_range(r->arch, -1, LIN_ARCH_COUNT) ? (lin_arch)r->arch : LIN_ARCH_UNKNOWN;
	m->weights = in_range(r->weights, -1, 2) ? (lin_weights)r->weights : LIN_WEIGHTS_UNKNOWN;
	m->external = r->external != 0;
	m->pos = (lin_pos){file_of(cat, r->file), r->line, r->col};
	build_parents(cat, v, r, m);
}

static lin_stage record_stage(const lin_catalog *cat, igraph_integer_t v)
{
	int st = CACHE_IMAGE(cat)->models[v].stage;
	return in_range(st, 0, LIN_STAGE_COUNT) ? (lin_stage)st : LIN_STAGE_UNKNOWN;
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
