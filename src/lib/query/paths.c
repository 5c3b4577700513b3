/*
 * paths.c - questions about two models: every shortest derivation chain
 * from one down to the other, and their nearest common ancestors. igraph's
 * BFS gives the distances; the chains are walked over them.
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

/* Distances from root for every vertex: -1 where it is unreached or, when
 * depth >= 0, farther than depth. igraph_bfs_simple and its layers rather
 * than igraph_bfs, which fills a rank, parent and successor for every
 * vertex and builds a lazy adjacency list; in igraph 0.10.2 that list's
 * get dereferences NULL when an allocation fails (fault injection crashed
 * there), where bfs_simple reports IGRAPH_ENOMEM. */
static int distances(const lin_view *w, igraph_integer_t root, igraph_neimode_t mode,
                     int depth, igraph_vector_int_t *dist, lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t order = {0}, layers = {0};
	if ((rc = lin_i_view_check_vertex(w, root, err)))
		goto done;
	LIN_IG(igraph_vector_int_init(&order, 0));
	LIN_IG(igraph_vector_int_init(&layers, 0));
	LIN_IG(igraph_bfs_simple(w->g, root, mode, &order, &layers, NULL));
	LIN_IG(igraph_vector_int_resize(dist, igraph_vcount(w->g)));
	igraph_vector_int_fill(dist, -1);
	/* layers[d] is where distance d starts in order; the last entry ends it */
	igraph_integer_t nl = igraph_vector_int_size(&layers) - 1;
	if (depth >= 0 && depth < nl)
		nl = depth + 1;
	for (igraph_integer_t d = 0; d < nl; d++)
		for (igraph_integer_t i = VECTOR(layers)[d]; i < VECTOR(layers)[d + 1]; i++)
			VECTOR(*dist)[VECTOR(order)[i]] = d;
done:
	lin_i_vec_free(&order);
	lin_i_vec_free(&layers);
	return rc;
}

/* The next edge at or after *cur in kids (catalog edges out of a vertex at
 * distance d from the start) that stays on a shortest chain to the end,
 * L edges away: its head is at d + 1 from the start and L - d - 1 from the
 * end. -1 when none is left. */
static igraph_integer_t next_on_chain(const igraph_t *g, const igraph_vector_int_t *kids,
                                      igraph_integer_t *cur, igraph_integer_t d,
                                      igraph_integer_t L, const igraph_vector_int_t *df,
                                      const igraph_vector_int_t *dt)
{
	while (*cur < igraph_vector_int_size(kids)) {
		igraph_integer_t e = VECTOR(*kids)[(*cur)++], v = IGRAPH_TO(g, e);
		if (VECTOR(*df)[v] == d + 1 && VECTOR(*dt)[v] == L - d - 1)
			return e;
	}
	return -1;
}

/* Appends a copy of the chain edges to out. */
static int emit_chain(igraph_vector_int_list_t *out, const igraph_vector_int_t *edges,
                      lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t *p;
	/* the list owns p from the start: nothing to leak if the copy fails */
	LIN_IG(igraph_vector_int_list_push_back_new(out, &p));
	LIN_IG(igraph_vector_int_update(p, edges));
done:
	return rc;
}

/* Walks the shortest-path DAG between from and to (edges u -> v with
 * df[u] + 1 == df[v] and df[v] + dt[v] == L) depth first, emitting chains
 * until LIN_PATHS_MAX. igraph_get_all_shortest_paths would keep a path list
 * for every vertex (quadratic on a 100,000-deep chain) and cannot stop
 * early, and a DAG of diamonds has exponentially many shortest chains.
 * The child edges of each vertex on the current chain come from
 * lin_catalog_children when the walk steps onto it: an igraph_inclist of
 * the whole graph would allocate a vector per model for a chain of a few. */
static int enumerate_paths(igraph_vector_int_list_t *out, const lin_catalog *cat,
                           lin_relmask mask, igraph_integer_t from, igraph_integer_t to,
                           const igraph_vector_int_t *df, const igraph_vector_int_t *dt,
                           lin_error *err)
{
	int rc = 0;
	const igraph_t *g = &cat->graph;
	igraph_integer_t L = VECTOR(*df)[to], d = 0;
	igraph_vector_int_t cur = {0}, edges = {0};
	igraph_vector_int_list_t kids = {0}; /* kids[d]: the child edges at depth d */
	LIN_IG(igraph_vector_int_init(&cur, L + 1));
	LIN_IG(igraph_vector_int_init(&edges, L));
	LIN_IG(igraph_vector_int_list_init(&kids, L));
	if ((rc = lin_catalog_children(igraph_vector_int_list_get_ptr(&kids, 0), cat, from, mask,
	                               err)))
		goto done;
	while (d >= 0 && igraph_vector_int_list_size(out) < LIN_PATHS_MAX) {
		if (d == L) {
			if ((rc = emit_chain(out, &edges, err)))
				goto done;
			d--;
			continue;
		}
		igraph_integer_t e = next_on_chain(g, igraph_vector_int_list_get_ptr(&kids, d),
		                                   &VECTOR(cur)[d], d, L, df, dt);
		if (e < 0) {
			d--;
			continue;
		}
		VECTOR(edges)[d++] = e;
		VECTOR(cur)[d] = 0;
		if (d < L && (rc = lin_catalog_children(igraph_vector_int_list_get_ptr(&kids, d), cat,
		                                        IGRAPH_TO(g, e), mask, err)))
			goto done;
	}
done:
	lin_i_vec_free(&cur);
	lin_i_vec_free(&edges);
	lin_i_vec_list_free(&kids);
	return rc;
}

int lin_query_paths(igraph_vector_int_list_t *out, const lin_catalog *cat,
                    igraph_integer_t from, igraph_integer_t to,
                    const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	lin_view w = LIN_VIEW_INIT;
	igraph_vector_int_t df = {0}, dt = {0};
	igraph_vector_int_list_clear(out);
	if ((rc = lin_i_view_open(&w, cat, o->relations, err)))
		goto done;
	LIN_IG(igraph_vector_int_init(&df, 0));
	LIN_IG(igraph_vector_int_init(&dt, 0));
	/* a model is not its own derivation */
	if (from == to)
		goto done;
	if ((rc = distances(&w, from, IGRAPH_OUT, -1, &df, err)) ||
	    (rc = distances(&w, to, IGRAPH_IN, -1, &dt, err)))
		goto done;
	if (VECTOR(df)[to] < 0)
		goto done;
	rc = enumerate_paths(out, cat, o->relations, from, to, &df, &dt, err);
done:
	lin_i_vec_free(&df);
	lin_i_vec_free(&dt);
	lin_i_view_close(&w);
	if (rc)
		igraph_vector_int_list_clear(out);
	return rc;
}

/* 1 when c is a nearest common ancestor: no child of c (under mask) is
 * itself a common ancestor. kids is scratch for c's child edges. */
static int is_nearest(int *out, const lin_catalog *cat, igraph_integer_t c, lin_relmask mask,
                      const igraph_vector_int_t *da, const igraph_vector_int_t *db,
                      igraph_vector_int_t *kids, lin_error *err)
{
	int rc = lin_catalog_children(kids, cat, c, mask, err);
	*out = 1;
	for (igraph_integer_t k = 0; !rc && *out && k < igraph_vector_int_size(kids); k++) {
		igraph_integer_t ch = IGRAPH_TO(&cat->graph, VECTOR(*kids)[k]);
		*out = !(VECTOR(*da)[ch] >= 0 && VECTOR(*db)[ch] >= 0);
	}
	return rc;
}

/* The nearest common ancestors, given the distances da and db from the
 * two models, as hits into out->items (room for every vertex). */
static int collect_nearest(lin_hits *out, const lin_catalog *cat, lin_relmask mask,
                           const igraph_vector_int_t *da, const igraph_vector_int_t *db,
                           lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t kids = {0};
	LIN_IG(igraph_vector_int_init(&kids, 0));
	for (igraph_integer_t c = 0; c < igraph_vector_int_size(da); c++) {
		int nearest = 0;
		if (VECTOR(*da)[c] < 0 || VECTOR(*db)[c] < 0)
			continue;
		if ((rc = is_nearest(&nearest, cat, c, mask, da, db, &kids, err)))
			goto done;
		if (!nearest)
			continue;
		lin_hit *h = &out->items[out->n++];
		h->vertex = c;
		h->via = h->edge = -1;
		h->relation = LIN_REL_COUNT;
		h->distance = (int)(VECTOR(*da)[c] + VECTOR(*db)[c]);
	}
done:
	lin_i_vec_free(&kids);
	return rc;
}

int lin_query_common(lin_hits *out, const lin_catalog *cat, igraph_integer_t a,
                     igraph_integer_t b, const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	lin_view w = LIN_VIEW_INIT;
	igraph_vector_int_t da = {0}, db = {0};
	memset(out, 0, sizeof(*out));
	if ((rc = lin_i_view_open(&w, cat, o->relations, err)))
		goto done;
	LIN_IG(igraph_vector_int_init(&da, 0));
	LIN_IG(igraph_vector_int_init(&db, 0));
	if ((rc = distances(&w, a, IGRAPH_IN, o->depth, &da, err)) ||
	    (rc = distances(&w, b, IGRAPH_IN, o->depth, &db, err)))
		goto done;
	out->items = calloc((size_t)igraph_vcount(w.g) + 1, sizeof(lin_hit));
	if (!out->items) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if (!(rc = collect_nearest(out, cat, o->relations, &da, &db, err)))
		rc = lin_i_hits_sort(out, cat, err);
done:
	lin_i_vec_free(&da);
	lin_i_vec_free(&db);
	lin_i_view_close(&w);
	if (rc)
		lin_hits_dispose(out);
	return rc;
}
