/*
 * stats.c - the numbers `lineage stats` prints: models, edges, roots,
 * leaves and weak components, counts by stage and relation, the depth
 * histogram, the longest chains and the widest fan-outs.
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

void lin_stats_dispose(lin_stats *s)
{
	/* lin_query_stats zeroes *s first: whichever of these it could not
	 * initialise is still zero */
	lin_i_vec_free(&s->depth_hist);
	lin_i_vec_list_free(&s->longest);
	lin_i_vec_free(&s->widest);
	memset(&s->depth_hist, 0, sizeof(s->depth_hist));
	memset(&s->longest, 0, sizeof(s->longest));
	memset(&s->widest, 0, sizeof(s->widest));
}

/* depth[v] = edges on the longest chain of ancestors of v, computed along a
 * topological order; best[v] = the parent that chain comes through (the
 * lowest vertex among equals). Each model pulls from its parents through
 * the in-edge array, in vertex order when that is topological (see
 * lin_i_view_topo_order): igraph_neighbors in Kahn's order cost 0.2 s on a
 * million. */
static int longest_chains(const lin_view *w, const lin_inedges *in, igraph_vector_int_t *depth,
                          igraph_vector_int_t *best, lin_error *err)
{
	int rc = 0, ident = 0;
	igraph_vector_int_t topo = {0};
	igraph_integer_t n = igraph_vcount(w->g);
	LIN_IG(igraph_vector_int_init(&topo, 0));
	LIN_IG(igraph_vector_int_resize(depth, n));
	LIN_IG(igraph_vector_int_resize(best, n));
	igraph_vector_int_null(depth);
	igraph_vector_int_fill(best, -1);
	if ((rc = lin_i_view_topo_order(w, &topo, &ident, err)))
		goto done;
	for (igraph_integer_t i = 0; i < n; i++) {
		igraph_integer_t v = ident ? i : VECTOR(topo)[i];
		for (igraph_integer_t k = in->start[v]; k < in->start[v + 1]; k++) {
			igraph_integer_t u = IGRAPH_FROM(w->g, in->edge[k]), d = VECTOR(*depth)[u] + 1;
			if (d > VECTOR(*depth)[v] || (d == VECTOR(*depth)[v] && u < VECTOR(*best)[v])) {
				VECTOR(*depth)[v] = d;
				VECTOR(*best)[v] = u;
			}
		}
	}
done:
	lin_i_vec_free(&topo);
	return rc;
}

/* Index of the largest key[] among vertices not yet taken (ties: lowest
 * vertex), or -1 when all are zero. */
static igraph_integer_t take_max(const igraph_vector_int_t *key, char *taken)
{
	/* ten passes over every model: a tight loop, not a call per element */
	const igraph_integer_t *k = VECTOR(*key);
	igraph_integer_t n = igraph_vector_int_size(key), arg = -1, max = 0;
	for (igraph_integer_t v = 0; v < n; v++)
		if (k[v] > max && !taken[v]) {
			max = k[v];
			arg = v;
		}
	if (arg >= 0)
		taken[arg] = 1;
	return arg;
}

/* The five longest chains, each ending at the deepest model not yet on
 * one, followed up through best[]; chain is scratch. */
static int fill_longest(lin_stats *s, const igraph_vector_int_t *depth,
                        const igraph_vector_int_t *best, char *taken,
                        igraph_vector_int_t *chain, lin_error *err)
{
	int rc = 0;
	for (int k = 0; k < 5; k++) {
		igraph_integer_t v = take_max(depth, taken);
		if (v < 0)
			break;
		igraph_vector_int_clear(chain);
		/* every model on the chain is taken, so the next chain is not
		 * just a prefix of this one */
		for (igraph_integer_t u = v; u >= 0; u = VECTOR(*best)[u]) {
			taken[u] = 1;
			LIN_IG(igraph_vector_int_push_back(chain, u));
		}
		LIN_IG(igraph_vector_int_reverse(chain));
		LIN_IG(igraph_vector_int_list_push_back_copy(&s->longest, chain));
	}
done:
	return rc;
}

static int fill_extremes(lin_stats *s, const lin_view *w, const igraph_vector_int_t *depth,
                         const igraph_vector_int_t *best, const igraph_vector_int_t *outdeg,
                         lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = igraph_vcount(w->g);
	igraph_vector_int_t chain = {0};
	char *taken = calloc((size_t)n + 1, 1);
	if (!taken) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	LIN_IG(igraph_vector_int_init(&chain, 0));
	if ((rc = fill_longest(s, depth, best, taken, &chain, err)))
		goto done;
	memset(taken, 0, (size_t)n + 1);
	for (int k = 0; k < 5; k++) {
		igraph_integer_t v = take_max(outdeg, taken);
		if (v < 0)
			break;
		LIN_IG(igraph_vector_int_push_back(&s->widest, v));
	}
done:
	lin_i_vec_free(&chain);
	free(taken);
	return rc;
}

/* The weak components of the graph of n roots joined by links (pairs). */
static int link_components(igraph_integer_t *out, const igraph_vector_int_t *links,
                           igraph_integer_t n, lin_error *err)
{
	int rc = 0;
	igraph_t h;
	LIN_IG(igraph_create(&h, links, n, IGRAPH_UNDIRECTED));
	igraph_error_t ig = igraph_connected_components(&h, NULL, NULL, out, IGRAPH_WEAK);
	igraph_destroy(&h);
	if (ig != IGRAPH_SUCCESS)
		rc = lin_i_igraph_fail(err, ig, "igraph_connected_components");
done:
	return rc;
}

/* Weak components through the root sets: every model is joined to its
 * roots, and roots to each other exactly where a merge puts several in one
 * set, so the components are those of the small graph of roots and those
 * links, which igraph counts at once. On the whole graph igraph's BFS
 * visits a million models in an order that jumps around memory (0.6 s).
 * Too many shared roots for the root-set pass: the whole graph after all. */
static int count_components(igraph_integer_t *out, const lin_view *w, const lin_catalog *cat,
                            const lin_inedges *in, lin_error *err)
{
	int rc = 0, too_big = 0;
	lin_roots r = {NULL, 0};
	igraph_vector_int_t links = {0};
	LIN_IG(igraph_vector_int_init(&links, 0));
	if ((rc = lin_i_roots_families(&r, w, cat, in, LIN_ROOTSET_BUDGET, &links, &too_big, err)))
		goto done;
	if (too_big)
		LIN_IG(igraph_connected_components(w->g, NULL, NULL, out, IGRAPH_WEAK));
	else
		rc = link_components(out, &links, (igraph_integer_t)r.n, err);
done:
	lin_i_vec_free(&links);
	lin_roots_dispose(&r);
	return rc;
}

/* Models, edges, roots, leaves, and the counts by stage and relation. */
static void count_basics(lin_stats *s, const lin_view *w, const lin_catalog *cat,
                         const igraph_vector_int_t *indeg, const igraph_vector_int_t *outdeg)
{
	s->models = igraph_vcount(w->g);
	s->edges = igraph_ecount(w->g);
	for (igraph_integer_t v = 0; v < s->models; v++) {
		s->roots += VECTOR(*indeg)[v] == 0;
		s->leaves += VECTOR(*outdeg)[v] == 0;
		s->by_stage[lin_i_catalog_stage(cat, v)]++;
	}
	for (igraph_integer_t e = 0; e < s->edges; e++)
		s->by_relation[lin_catalog_edge_relation(cat, lin_i_view_cat_edge(w, e))]++;
}

/* s->depth_hist from the depths of every model. */
static int depth_histogram(lin_stats *s, const igraph_vector_int_t *depth, lin_error *err)
{
	int rc = 0;
	igraph_integer_t maxd = s->models ? igraph_vector_int_max(depth) : -1;
	LIN_IG(igraph_vector_int_resize(&s->depth_hist, maxd + 1));
	igraph_vector_int_null(&s->depth_hist);
	for (igraph_integer_t v = 0; v < s->models; v++)
		VECTOR(s->depth_hist)[VECTOR(*depth)[v]]++;
done:
	return rc;
}

int lin_query_stats(lin_stats *s, const lin_catalog *cat, const lin_query_opts *o,
                    lin_error *err)
{
	int rc = 0;
	lin_view w = LIN_VIEW_INIT;
	lin_inedges in = {NULL, NULL};
	igraph_vector_int_t indeg = {0}, outdeg = {0}, depth = {0}, best = {0};
	memset(s, 0, sizeof(*s));
	LIN_IG(igraph_vector_int_init(&s->depth_hist, 0));
	LIN_IG(igraph_vector_int_list_init(&s->longest, 0));
	LIN_IG(igraph_vector_int_init(&s->widest, 0));
	if ((rc = lin_i_view_open(&w, cat, o->relations, err)))
		goto done;
	LIN_IG(igraph_vector_int_init(&indeg, 0));
	LIN_IG(igraph_vector_int_init(&outdeg, 0));
	LIN_IG(igraph_vector_int_init(&depth, 0));
	LIN_IG(igraph_vector_int_init(&best, 0));
	LIN_IG(igraph_degree(w.g, &indeg, igraph_vss_all(), IGRAPH_IN, IGRAPH_LOOPS));
	LIN_IG(igraph_degree(w.g, &outdeg, igraph_vss_all(), IGRAPH_OUT, IGRAPH_LOOPS));
	if ((rc = lin_i_inedges_build(&in, w.g, err)) ||
	    (rc = count_components(&s->components, &w, cat, &in, err)))
		goto done;
	count_basics(s, &w, cat, &indeg, &outdeg);
	if ((rc = longest_chains(&w, &in, &depth, &best, err)) ||
	    (rc = depth_histogram(s, &depth, err)))
		goto done;
	rc = fill_extremes(s, &w, &depth, &best, &outdeg, err);
done:
	lin_i_inedges_free(&in);
	lin_i_vec_free(&indeg);
	lin_i_vec_free(&outdeg);
	lin_i_vec_free(&depth);
	lin_i_vec_free(&best);
	lin_i_view_close(&w);
	return rc;
}
