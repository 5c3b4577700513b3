/*
 * roots.c - the most-derived roots: every model without a parent under the
 * relation filter and the size of its family, by relation. One pass over
 * the graph in topological order carries each model's set of roots.
 */
#include "query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Families through the root sets each model inherits: in topological
 * order, a model's set is the union of its parents' sets, one entry per
 * root with the shortest distance and the relation of the edge that gives
 * it (ties: the lowest edge id). One pass for Hub-shaped catalogs, where
 * most models have one root; a BFS per root allocates per call and took
 * 78 s on a million models. Sets past LIN_ROOTSET_BUDGET entries in all
 * (a hostile merge of thousands of roots above a long chain) set *too_big
 * instead. */

/* A root in a stored set: its slot in the result and its distance. Only
 * these two are kept per model, in eight bytes, because reading a parent's
 * set is a cache miss per model and dominates the pass. */
typedef struct rsent {
	int32_t root, dist;
} rsent;

/* A root in the set being built, with the edge that brings it in. */
typedef struct rsnew {
	int32_t root, dist, rel;
	igraph_integer_t edge;
} rsnew;

typedef struct rootsets {
	/* per vertex: its one root inline (most models), root == -1 for no
	 * root, or root == -2 - k for the dist entries more[k ...] */
	rsent *set;
	rsent *more;
	size_t nmore, capmore;
	rsnew *cur; /* the set being built */
	size_t ncur, capcur;
	igraph_integer_t *mark; /* per root slot: the vertex whose set has it, */
	size_t *pos;            /* at this index of cur */
	igraph_integer_t entries; /* sum of the set sizes, for the budget */
	igraph_vector_int_t *links; /* if not NULL: pairs of roots sharing a model */
	/* per root slot and relation: the models counted; a third the size of
	 * lin_root's counters, so the counters of most families stay cached */
	int32_t *count;
} rootsets;

static const rsent *set_of(const rootsets *rs, igraph_integer_t u, size_t *n)
{
	const rsent *s = &rs->set[u];
	if (s->root >= -1) {
		*n = s->root >= 0;
		return s;
	}
	*n = (size_t)s->dist;
	return &rs->more[(size_t)(-2 - (igraph_integer_t)s->root)];
}

/* Adds root (slot) at distance d through view edge e to the set being
 * built for v; with several parents a root already there keeps the
 * shortest distance, then the lowest edge. */
static int add_root(rootsets *rs, igraph_integer_t v, int dedup, int32_t root, int32_t d,
                    int32_t rel, igraph_integer_t e)
{
	if (dedup && rs->mark[root] == v) {
		rsnew *p = &rs->cur[rs->pos[root]];
		if (d < p->dist || (d == p->dist && e < p->edge))
			*p = (rsnew){root, d, rel, e};
		return 0;
	}
	if (dedup) {
		rs->mark[root] = v;
		rs->pos[root] = rs->ncur;
	}
	if (lin_i_grow(&rs->cur, &rs->capcur, rs->ncur + 1, sizeof(rsnew)))
		return LIN_ENOMEM;
	rs->cur[rs->ncur++] = (rsnew){root, d, rel, e};
	return 0;
}

/* Builds the set of a non-root v from its parents' sets into rs->cur. */
static int build_set(rootsets *rs, const lin_view *w, const lin_catalog *cat, const lin_inedges *in,
                     igraph_integer_t v)
{
	igraph_integer_t from = in->start[v], to = in->start[v + 1];
	rs->ncur = 0;
	for (igraph_integer_t k = from; k < to; k++) {
		igraph_integer_t e = in->edge[k];
		int32_t rel = (int32_t)lin_catalog_edge_relation(cat, lin_i_view_cat_edge(w, e));
		size_t n;
		const rsent *p = set_of(rs, IGRAPH_FROM(w->g, e), &n);
		for (size_t j = 0; j < n; j++)
			if (add_root(rs, v, to - from > 1, p[j].root, p[j].dist + 1, rel, e))
				return LIN_ENOMEM;
	}
	return 0;
}

/* Counts v in the families of rs->cur and stores its set. */
static int commit_set(rootsets *rs, igraph_integer_t v, int merged)
{
	/* a set of several roots is made at a merge; below it, copies */
	for (size_t k = 1; rs->links && merged && k < rs->ncur; k++)
		if (igraph_vector_int_push_back(rs->links, rs->cur[0].root) ||
		    igraph_vector_int_push_back(rs->links, rs->cur[k].root))
			return LIN_ENOMEM;
	for (size_t k = 0; k < rs->ncur; k++)
		rs->count[(size_t)rs->cur[k].root * LIN_REL_COUNT + (size_t)rs->cur[k].rel]++;
	rs->entries += (igraph_integer_t)rs->ncur;
	if (rs->ncur <= 1) {
		rs->set[v] = rs->ncur ? (rsent){rs->cur[0].root, rs->cur[0].dist} : (rsent){-1, 0};
		return 0;
	}
	if (lin_i_grow(&rs->more, &rs->capmore, rs->nmore + rs->ncur, sizeof(rsent)))
		return LIN_ENOMEM;
	rs->set[v] = (rsent){(int32_t)(-2 - (igraph_integer_t)rs->nmore), (int32_t)rs->ncur};
	for (size_t k = 0; k < rs->ncur; k++)
		rs->more[rs->nmore++] = (rsent){rs->cur[k].root, rs->cur[k].dist};
	return 0;
}

static void rootsets_free(rootsets *rs)
{
	free(rs->count);
	free(rs->set);
	free(rs->more);
	free(rs->cur);
	free(rs->mark);
	free(rs->pos);
}

/* The pass itself over the roots already in out (slot i: out->items[i]),
 * in the order ident / topo give; *too_big when it passes budget. */
static int rootsets_pass(rootsets *rs, const lin_roots *out, const lin_view *w,
                         const lin_catalog *cat, const lin_inedges *in,
                         const igraph_vector_int_t *topo, int ident, igraph_integer_t budget,
                         int *too_big, lin_error *err)
{
	igraph_integer_t n = igraph_vcount(w->g);
	for (size_t i = 0; i < out->n; i++) {
		rs->mark[i] = -1;
		rs->set[out->items[i].vertex] = (rsent){(int32_t)i, 0};
	}
	rs->entries = (igraph_integer_t)out->n;
	for (igraph_integer_t i = 0; i < n; i++) {
		igraph_integer_t v = ident ? i : VECTOR(*topo)[i];
		if (in->start[v] == in->start[v + 1])
			continue; /* a root: its set is itself */
		if (build_set(rs, w, cat, in, v) ||
		    commit_set(rs, v, in->start[v + 1] - in->start[v] > 1))
			return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		/* more[] is indexed by a negative 32-bit number too */
		if (rs->entries > budget || rs->nmore >= INT32_MAX / 2) {
			*too_big = 1;
			return 0;
		}
	}
	return 0;
}

static int count_families_topo(lin_roots *out, const lin_view *w, const lin_catalog *cat,
                               const lin_inedges *in, igraph_integer_t budget,
                               igraph_vector_int_t *links, int *too_big, lin_error *err)
{
	int rc = 0, ident = 0;
	igraph_integer_t n = igraph_vcount(w->g);
	rootsets rs = {.set = malloc(((size_t)n + 1) * sizeof(rsent)),
	               .mark = malloc((out->n + 1) * sizeof(igraph_integer_t)),
	               .pos = malloc((out->n + 1) * sizeof(size_t)),
	               .count = calloc((out->n + 1) * LIN_REL_COUNT, sizeof(int32_t)),
	               .links = links};
	igraph_vector_int_t topo = {0};
	/* entries hold slots and distances in 32 bits */
	*too_big = n >= INT32_MAX;
	if (!rs.set || !rs.mark || !rs.pos || !rs.count) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	LIN_IG(igraph_vector_int_init(&topo, 0));
	if (*too_big || (rc = lin_i_view_topo_order(w, &topo, &ident, err)) ||
	    (rc = rootsets_pass(&rs, out, w, cat, in, &topo, ident, budget, too_big, err)) ||
	    *too_big)
		goto done;
	for (size_t i = 0; i < out->n; i++)
		for (int r = 0; r < LIN_REL_COUNT; r++) {
			out->items[i].by_relation[r] = rs.count[i * LIN_REL_COUNT + (size_t)r];
			out->items[i].total += out->items[i].by_relation[r];
		}
done:
	lin_i_vec_free(&topo);
	rootsets_free(&rs);
	return rc;
}

int lin_i_roots_families(lin_roots *out, const lin_view *w, const lin_catalog *cat,
                       const lin_inedges *in, igraph_integer_t budget,
                       igraph_vector_int_t *links, int *too_big, lin_error *err)
{
	igraph_integer_t n = igraph_vcount(w->g);
	size_t ncand = 0;
	for (igraph_integer_t v = 0; v < n; v++)
		ncand += in->start[v] == in->start[v + 1];
	if (!(out->items = calloc(ncand + 1, sizeof(lin_root))))
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (igraph_integer_t v = 0; v < n; v++)
		if (in->start[v] == in->start[v + 1])
			out->items[out->n++].vertex = v;
	return count_families_topo(out, w, cat, in, budget, links, too_big, err);
}

/* Counts the descendants of root r, each by the relation of the edge that
 * brought it into the family on a shortest path. */
static int count_family(lin_root *r, const lin_view *w, const lin_catalog *cat,
                        igraph_vector_int_t *order, igraph_vector_int_t *parents,
                        lin_error *err)
{
	int rc = 0;
	LIN_IG(igraph_bfs_simple(w->g, r->vertex, IGRAPH_OUT, order, NULL, parents));
	for (igraph_integer_t i = 1; i < igraph_vector_int_size(order); i++) {
		igraph_integer_t u = VECTOR(*order)[i], e = -1;
		LIN_IG(igraph_get_eid(w->g, &e, VECTOR(*parents)[u], u, IGRAPH_DIRECTED, 0));
		r->total++;
		if (e >= 0)
			r->by_relation[lin_catalog_edge_relation(cat, lin_i_view_cat_edge(w, e))]++;
	}
done:
	return rc;
}

/* Too many shared roots to carry sets: counts each family by its own BFS. */
static int count_families_bfs(lin_roots *out, const lin_view *w, const lin_catalog *cat,
                              lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t order = {0}, parents = {0};
	LIN_IG(igraph_vector_int_init(&order, 0));
	LIN_IG(igraph_vector_int_init(&parents, 0));
	for (size_t i = 0; i < out->n && !rc; i++) {
		memset(out->items[i].by_relation, 0, sizeof(out->items[i].by_relation));
		out->items[i].total = 0;
		rc = count_family(&out->items[i], w, cat, &order, &parents, err);
	}
done:
	lin_i_vec_free(&order);
	lin_i_vec_free(&parents);
	return rc;
}

/* Keeps the roots with at least one descendant, in order. */
static void drop_childless(lin_roots *r)
{
	size_t k = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].total > 0)
			r->items[k++] = r->items[i];
	r->n = k;
}

int lin_query_roots(lin_roots *out, const lin_catalog *cat, const lin_query_opts *o,
                    lin_error *err)
{
	return lin_i_query_roots_budget(out, cat, o, LIN_ROOTSET_BUDGET, err);
}

/* Roots without children drop out once counted, so no degree vectors are
 * needed to find them. */
int lin_i_query_roots_budget(lin_roots *out, const lin_catalog *cat, const lin_query_opts *o,
                           igraph_integer_t budget, lin_error *err)
{
	int rc = 0, too_big = 0;
	lin_view w = LIN_VIEW_INIT;
	lin_inedges in = {NULL, NULL};
	memset(out, 0, sizeof(*out));
	if ((rc = lin_i_view_open(&w, cat, o->relations, err)) ||
	    (rc = lin_i_inedges_build(&in, w.g, err)) ||
	    (rc = lin_i_roots_families(out, &w, cat, &in, budget, NULL, &too_big, err)) ||
	    (too_big && (rc = count_families_bfs(out, &w, cat, err))))
		goto done;
	drop_childless(out);
	rc = lin_i_roots_sort(out, cat, err);
done:
	lin_i_inedges_free(&in);
	lin_i_view_close(&w);
	if (rc)
		lin_roots_dispose(out);
	return rc;
}

/* ---- the members of one family ------------------------------------------- */

static const lin_catalog *members_cat;
static int cmp_member_ids(const void *a, const void *b)
{
	igraph_integer_t x = *(const igraph_integer_t *)a, y = *(const igraph_integer_t *)b;
	return strcmp(lin_catalog_model(members_cat, x)->id, lin_catalog_model(members_cat, y)->id);
}

int lin_query_members(igraph_vector_int_t *out, const lin_catalog *cat, igraph_integer_t v,
                      const lin_query_opts *o, lin_error *err)
{
	lin_hits hits = {NULL, 0};
	int rc = lin_query_reach(&hits, cat, v, IGRAPH_OUT, o, err);
	igraph_vector_int_clear(out);
	if (!rc && igraph_vector_int_resize(out, (igraph_integer_t)hits.n) != IGRAPH_SUCCESS)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; !rc && i < hits.n; i++)
		VECTOR(*out)[i] = hits.items[i].vertex;
	if (!rc) {
		members_cat = cat;
		qsort(VECTOR(*out), hits.n, sizeof(igraph_integer_t), cmp_member_ids);
	}
	lin_hits_dispose(&hits);
	return rc;
}
