/*
 * reach.c - ancestors and descendants: every model igraph's BFS reaches
 * from one model, with its distance, the neighbour it is reached through
 * and the relation of that edge, ordered by distance then id.
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

/* Fills each hit's edge (to or from its via) and relation. One
 * igraph_get_eids call for them all: the lookups' cache misses overlap,
 * where igraph_get_eid one hit at a time waited for each. scratch is
 * reused for the vertex pairs. */
static int hit_edges(lin_hits *h, const lin_view *w, const lin_catalog *cat,
                     igraph_neimode_t mode, igraph_vector_int_t *scratch, lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t eids = {0};
	if (!h->n)
		return 0;
	LIN_IG(igraph_vector_int_init(&eids, 0));
	LIN_IG(igraph_vector_int_resize(scratch, 2 * (igraph_integer_t)h->n));
	for (size_t i = 0; i < h->n; i++) {
		int in = mode == IGRAPH_IN;
		VECTOR(*scratch)[2 * i] = in ? h->items[i].vertex : h->items[i].via;
		VECTOR(*scratch)[2 * i + 1] = in ? h->items[i].via : h->items[i].vertex;
	}
	LIN_IG(igraph_get_eids(w->g, &eids, scratch, IGRAPH_DIRECTED, 0));
	for (size_t i = 0; i < h->n; i++) {
		igraph_integer_t e = VECTOR(eids)[i];
		h->items[i].edge = e >= 0 ? lin_i_view_cat_edge(w, e) : -1;
		h->items[i].relation =
			e >= 0 ? lin_catalog_edge_relation(cat, h->items[i].edge) : LIN_REL_COUNT;
	}
done:
	lin_i_vec_free(&eids);
	return rc;
}

/* The hits of the first nl layers of a BFS (layer 0, the start, left
 * out) into out->items, which has room for them. */
static void hits_from_layers(lin_hits *out, const igraph_vector_int_t *order,
                             const igraph_vector_int_t *layers,
                             const igraph_vector_int_t *parents, igraph_integer_t nl)
{
	for (igraph_integer_t d = 1; d < nl; d++)
		for (igraph_integer_t i = VECTOR(*layers)[d]; i < VECTOR(*layers)[d + 1]; i++) {
			igraph_integer_t u = VECTOR(*order)[i];
			lin_hit *h = &out->items[out->n++];
			h->vertex = u;
			h->via = VECTOR(*parents)[u];
			h->distance = (int)d;
		}
}

/* igraph_bfs_simple rather than igraph_bfs: igraph_bfs fills a rank, a
 * parent and a distance for every vertex of the graph and builds a lazy
 * adjacency list (18 ms a query on a million models, however few are
 * reached); bfs_simple touches only what it visits plus its parents
 * vector, and layers give the distances. It cannot stop at a depth, so a
 * depth-limited query walks the whole reach and keeps the first layers:
 * never more work than the unlimited query. */
int lin_query_reach(lin_hits *out, const lin_catalog *cat, igraph_integer_t v,
                    igraph_neimode_t mode, const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	lin_view w = LIN_VIEW_INIT;
	igraph_vector_int_t order = {0}, layers = {0}, parents = {0};
	memset(out, 0, sizeof(*out));
	if ((rc = lin_i_view_open(&w, cat, o->relations, err)))
		goto done;
	LIN_IG(igraph_vector_int_init(&order, 0));
	LIN_IG(igraph_vector_int_init(&layers, 0));
	LIN_IG(igraph_vector_int_init(&parents, 0));
	if ((rc = lin_i_view_check_vertex(&w, v, err)))
		goto done;
	LIN_IG(igraph_bfs_simple(w.g, v, mode, &order, &layers, &parents));
	/* layers[d] is where distance d starts in order; the last entry ends it */
	igraph_integer_t nl = igraph_vector_int_size(&layers) - 1;
	if (o->depth >= 0 && o->depth < nl)
		nl = o->depth + 1;
	out->items = malloc(((size_t)VECTOR(layers)[nl] + 1) * sizeof(lin_hit));
	if (!out->items) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	hits_from_layers(out, &order, &layers, &parents, nl);
	if ((rc = hit_edges(out, &w, cat, mode, &order, err)))
		goto done;
	rc = lin_i_hits_sort(out, cat, err);
done:
	lin_i_vec_free(&order);
	lin_i_vec_free(&layers);
	lin_i_vec_free(&parents);
	lin_i_view_close(&w);
	if (rc)
		lin_hits_dispose(out);
	return rc;
}
