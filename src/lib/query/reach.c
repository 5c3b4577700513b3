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
 * out) into out->items, which has room for them; their via comes after. */
static void hits_from_layers(lin_hits *out, const igraph_vector_int_t *order,
                             const igraph_vector_int_t *layers, igraph_integer_t nl)
{
	for (igraph_integer_t d = 1; d < nl; d++)
		for (igraph_integer_t i = VECTOR(*layers)[d]; i < VECTOR(*layers)[d + 1]; i++) {
			lin_hit *h = &out->items[out->n++];
			h->vertex = VECTOR(*order)[i];
			h->via = -1;
			h->distance = (int)d;
		}
}

/* Sum of the degrees (mode) of the vertices order[from .. to). */
static igraph_error_t degree_sum(igraph_integer_t *sum, const igraph_t *g, const igraph_vector_int_t *order,
                                 igraph_integer_t from, igraph_integer_t to, igraph_neimode_t mode)
{
	igraph_vector_int_t part = {0}, deg = {0};
	*sum = 0;
	if (from >= to)
		return IGRAPH_SUCCESS;
	igraph_vector_int_view(&part, VECTOR(*order) + from, to - from);
	if (igraph_vector_int_init(&deg, 0) != IGRAPH_SUCCESS)
		return IGRAPH_ENOMEM;
	igraph_error_t e = igraph_degree(g, &deg, igraph_vss_vector(&part), mode, IGRAPH_LOOPS);
	for (igraph_integer_t i = 0; e == IGRAPH_SUCCESS && i < to - from; i++)
		*sum += VECTOR(deg)[i];
	igraph_vector_int_destroy(&deg);
	return e;
}

/* Each hit's via: the vertex igraph's BFS reached it from. bfs_simple
 * takes the vertices in `order` and discovers each unvisited neighbour
 * of the one it takes, so a hit at distance d came from the first vertex
 * of layer d - 1, in that order, that has it as a neighbour. That is
 * found either way round, whichever reads fewer edges: forwards, taking
 * the layers' vertices in order as the BFS did and giving each hit of the
 * next layer the first one that reaches it; or backwards, each hit's
 * neighbours the other way, keeping the one first in order (ancestors of
 * a leaf: its ancestors' children are far more than their parents). The
 * parents vector of bfs_simple says the same, but is a fill of n entries
 * (8 MB at a million models: most of a point query's time); the
 * positions here are calloc'd, so only the pages of vertices visited are
 * touched. Hits are order[1 ..], so hit k is position k + 1. */
static int hits_via(lin_hits *h, const lin_view *w, igraph_neimode_t mode,
                    const igraph_vector_int_t *order, const igraph_vector_int_t *layers,
                    igraph_integer_t nl, lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = igraph_vcount(w->g), fwd, bwd;
	igraph_integer_t *pos = NULL; /* position in order + 1; 0: not reached */
	igraph_vector_int_t neis = {0};
	igraph_neimode_t back = mode == IGRAPH_IN ? IGRAPH_OUT : mode == IGRAPH_OUT ? IGRAPH_IN : IGRAPH_ALL;
	if (!h->n)
		return 0;
	LIN_IG(degree_sum(&fwd, w->g, order, 0, VECTOR(*layers)[nl - 1], mode));
	LIN_IG(degree_sum(&bwd, w->g, order, 1, VECTOR(*layers)[nl], back));
	if (!(pos = calloc((size_t)n + 1, sizeof(*pos)))) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (igraph_integer_t i = 0; i < VECTOR(*layers)[nl]; i++)
		pos[VECTOR(*order)[i]] = i + 1;
	LIN_IG(igraph_vector_int_init(&neis, 0));
	if (fwd <= bwd) {
		for (igraph_integer_t d = 0; d + 1 < nl; d++)
			for (igraph_integer_t i = VECTOR(*layers)[d]; i < VECTOR(*layers)[d + 1]; i++) {
				igraph_integer_t from = VECTOR(*order)[i];
				LIN_IG(igraph_neighbors(w->g, &neis, from, mode));
				for (igraph_integer_t j = 0; j < igraph_vector_int_size(&neis); j++) {
					igraph_integer_t p = pos[VECTOR(neis)[j]] - 1;
					if (p >= VECTOR(*layers)[d + 1] && p < VECTOR(*layers)[d + 2] &&
					    h->items[p - 1].via < 0)
						h->items[p - 1].via = from;
				}
			}
		goto done;
	}
	for (size_t k = 0; k < h->n; k++) {
		lin_hit *x = &h->items[k];
		igraph_integer_t lo = VECTOR(*layers)[x->distance - 1], hi = VECTOR(*layers)[x->distance];
		igraph_integer_t best = -1;
		LIN_IG(igraph_neighbors(w->g, &neis, x->vertex, back));
		for (igraph_integer_t j = 0; j < igraph_vector_int_size(&neis); j++) {
			igraph_integer_t p = pos[VECTOR(neis)[j]] - 1;
			if (p >= lo && p < hi && (best < 0 || p < best))
				best = p;
		}
		x->via = best >= 0 ? VECTOR(*order)[best] : -1;
	}
done:
	lin_i_vec_free(&neis);
	free(pos);
	return rc;
}

/* igraph_bfs_simple rather than igraph_bfs: igraph_bfs fills a rank, a
 * parent and a distance for every vertex of the graph and builds a lazy
 * adjacency list (18 ms a query on a million models, however few are
 * reached); bfs_simple without its parents vector touches only what it
 * visits (hits_via), and layers give the distances. It cannot stop at a depth, so a
 * depth-limited query walks the whole reach and keeps the first layers:
 * never more work than the unlimited query. */
int lin_query_reach(lin_hits *out, const lin_catalog *cat, igraph_integer_t v,
                    igraph_neimode_t mode, const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	lin_view w = LIN_VIEW_INIT;
	igraph_vector_int_t order = {0}, layers = {0};
	memset(out, 0, sizeof(*out));
	if ((rc = lin_i_view_open(&w, cat, o->relations, err)))
		goto done;
	LIN_IG(igraph_vector_int_init(&order, 0));
	LIN_IG(igraph_vector_int_init(&layers, 0));
	if ((rc = lin_i_view_check_vertex(&w, v, err)))
		goto done;
	LIN_IG(igraph_bfs_simple(w.g, v, mode, &order, &layers, NULL));
	/* layers[d] is where distance d starts in order; the last entry ends it */
	igraph_integer_t nl = igraph_vector_int_size(&layers) - 1;
	if (o->depth >= 0 && o->depth < nl)
		nl = o->depth + 1;
	out->items = malloc(((size_t)VECTOR(layers)[nl] + 1) * sizeof(lin_hit));
	if (!out->items) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	hits_from_layers(out, &order, &layers, nl);
	if ((rc = hits_via(out, &w, mode, &order, &layers, nl, err)) ||
	    (rc = hit_edges(out, &w, cat, mode, &order, err)))
		goto done;
	rc = lin_i_hits_sort(out, cat, err);
done:
	lin_i_vec_free(&order);
	lin_i_vec_free(&layers);
	lin_i_view_close(&w);
	if (rc)
		lin_hits_dispose(out);
	return rc;
}
