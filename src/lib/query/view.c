/*
 * view.c - what every query shares: the graph restricted to the requested
 * relation kinds, its in-edge arrays and topological order, and the
 * ordering of results by a number and then the model id.
 */
#include "query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void lin_hits_dispose(lin_hits *h)
{
	if (!h)
		return;
	free(h->items);
	h->items = NULL;
	h->n = 0;
}

void lin_roots_dispose(lin_roots *r)
{
	if (!r)
		return;
	free(r->items);
	r->items = NULL;
	r->n = 0;
}

/* ---- the view -------------------------------------------------------------- */

int lin_i_view_open(lin_view *v, const lin_catalog *cat, lin_relmask mask, lin_error *err)
{
	int rc = 0;
	*v = (lin_view)LIN_VIEW_INIT;
	if (!cat->has_graph)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "the catalog is not finished");
	LIN_IG(igraph_vector_int_init(&v->eids, 0));
	v->identity = (mask & LIN_REL_ALL) == LIN_REL_ALL;
	rc = lin_i_graph_filtered(&v->g, &v->storage, &v->owned, cat, mask,
	                        v->identity ? NULL : &v->eids, err);
done:
	if (rc)
		lin_i_view_close(v);
	return rc;
}

void lin_i_view_close(lin_view *v)
{
	if (v->owned)
		igraph_destroy(&v->storage);
	lin_i_vec_free(&v->eids);
	*v = (lin_view)LIN_VIEW_INIT;
}

int lin_i_view_check_vertex(const lin_view *w, igraph_integer_t v, lin_error *err)
{
	if (v >= 0 && v < igraph_vcount(w->g))
		return 0;
	return lin_i_fail(err, LIN_EGRAPH, NULL, 0, 0, "igraph: %s: no vertex %" IGRAPH_PRId,
	                igraph_strerror(IGRAPH_EINVVID), v);
}

/* ---- in-edges and topological order --------------------------------------- */

int lin_i_inedges_build(lin_inedges *in, const igraph_t *g, lin_error *err)
{
	igraph_integer_t n = igraph_vcount(g), m = igraph_ecount(g);
	in->start = calloc((size_t)n + 2, sizeof(igraph_integer_t));
	in->edge = malloc(((size_t)m + 1) * sizeof(igraph_integer_t));
	if (!in->start || !in->edge) {
		lin_i_inedges_free(in);
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	/* counts at start[v + 2], prefix sums shift them to start[v + 1],
	 * which the fill then advances to the end of v's run: start[v + 1] */
	for (igraph_integer_t e = 0; e < m; e++)
		in->start[IGRAPH_TO(g, e) + 2]++;
	for (igraph_integer_t v = 2; v <= n + 1; v++)
		in->start[v] += in->start[v - 1];
	for (igraph_integer_t e = 0; e < m; e++)
		in->edge[in->start[IGRAPH_TO(g, e) + 1]++] = e;
	return 0;
}

void lin_i_inedges_free(lin_inedges *in)
{
	free(in->start);
	free(in->edge);
	in->start = in->edge = NULL;
}

/* A catalog normally lists a base before its derivatives, and then vertex
 * order is topological: a pass over the edges says so, and a walk in
 * vertex order reads igraph's edge index front to back. Otherwise igraph's
 * topological sort gives the order (Kahn's order jumps around memory:
 * 0.3 s on a million models, against 2 ms for the check). */
int lin_i_view_topo_order(const lin_view *w, igraph_vector_int_t *topo, int *ident,
                        lin_error *err)
{
	int rc = 0;
	*ident = lin_i_graph_parents_first(w->g);
	if (!*ident)
		LIN_IG(igraph_topological_sorting(w->g, topo, IGRAPH_OUT));
done:
	return rc;
}

/* ---- ordering results ------------------------------------------------------ */

/* A sort key: a number first, then a model id in strcmp order. The id's
 * first 16 bytes ride in the key as big-endian integers, so nearly every
 * comparison stays inside the key array; comparing through the model
 * records missed the cache on each side (70,000 hits: 60 ms of sorting). */
typedef struct idkey {
	igraph_integer_t first;
	uint64_t hi, lo;
	const char *id;
	size_t pos; /* the record's index before sorting */
} idkey;

/* Fills the id prefixes of keys whose first, id and pos are set. The ids
 * are strings scattered over the catalog: the one a few keys ahead is
 * fetched early so that the misses overlap instead of queuing behind the
 * byte loop's branches (and the model records were read in an earlier,
 * branch-free pass for the same reason). */
static void idkeys_prefix(idkey *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i + 8 < n)
			__builtin_prefetch(keys[i + 8].id);
		unsigned char b[16] = {0};
		for (size_t j = 0; j < sizeof(b) && keys[i].id[j]; j++)
			b[j] = (unsigned char)keys[i].id[j];
		keys[i].hi = keys[i].lo = 0;
		for (int j = 0; j < 8; j++) {
			keys[i].hi = keys[i].hi << 8 | b[j];
			keys[i].lo = keys[i].lo << 8 | b[j + 8];
		}
	}
}

static int cmp_idkey(const void *a, const void *b)
{
	const idkey *x = a, *y = b;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Sorts n records of size sz by their keys (first, id and pos set). */
static int sort_by_keys(void *items, size_t n, size_t sz, idkey *keys, lin_error *err)
{
	char *tmp = malloc(n * sz + 1);
	if (!tmp)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	idkeys_prefix(keys, n);
	qsort(keys, n, sizeof(idkey), cmp_idkey);
	for (size_t i = 0; i < n; i++)
		memcpy(tmp + i * sz, (char *)items + keys[i].pos * sz, sz);
	if (n)
		memcpy(items, tmp, n * sz);
	free(tmp);
	return 0;
}

int lin_i_hits_sort(lin_hits *h, const lin_catalog *cat, lin_error *err)
{
	idkey *keys = malloc((h->n + 1) * sizeof(idkey));
	if (!keys)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < h->n; i++)
		keys[i] = (idkey){.first = h->items[i].distance, .pos = i,
		                  .id = lin_catalog_model(cat, h->items[i].vertex)->id};
	int rc = sort_by_keys(h->items, h->n, sizeof(lin_hit), keys, err);
	free(keys);
	return rc;
}

int lin_i_roots_sort(lin_roots *r, const lin_catalog *cat, lin_error *err)
{
	idkey *keys = malloc((r->n + 1) * sizeof(idkey));
	if (!keys)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < r->n; i++)
		keys[i] = (idkey){.first = -r->items[i].total, .pos = i,
		                  .id = lin_catalog_model(cat, r->items[i].vertex)->id};
	int rc = sort_by_keys(r->items, r->n, sizeof(lin_root), keys, err);
	free(keys);
	return rc;
}
