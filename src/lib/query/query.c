/*
 * query.c - the questions users ask of the graph: ancestors, descendants,
 * derivation paths, nearest common ancestors, most-derived roots and
 * statistics. igraph does the traversals; this module restricts the graph to
 * the requested relation kinds and turns igraph's vectors into results.
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

/* A graph view for one query: the filtered graph and its edge map. With
 * every relation the view is the catalog's own graph and its edge ids are
 * the catalog's, so no map is built (a million pushes per query). */
typedef struct view {
	const igraph_t *g;
	igraph_t storage;
	int owned;
	int identity;             /* view edge == catalog edge */
	igraph_vector_int_t eids; /* view edge -> catalog edge, unless identity */
} view;

static int view_open(view *v, const lin_catalog *cat, lin_relmask mask, lin_error *err)
{
	int rc = 0;
	memset(v, 0, sizeof(*v));
	if (!cat->has_graph)
		return lin_fail(err, LIN_EINVAL, NULL, 0, 0, "the catalog is not finished");
	LIN_IG(igraph_vector_int_init(&v->eids, 0));
	v->identity = (mask & LIN_REL_ALL) == LIN_REL_ALL;
	rc = lin_graph_filtered(&v->g, &v->storage, &v->owned, cat, mask,
	                        v->identity ? NULL : &v->eids, err);
done:
	return rc;
}

static void view_close(view *v)
{
	if (v->owned)
		igraph_destroy(&v->storage);
	igraph_vector_int_destroy(&v->eids);
}

/* The catalog edge that view edge e stands for. */
static igraph_integer_t cat_edge(const view *v, igraph_integer_t e)
{
	return v->identity ? e : VECTOR(v->eids)[e];
}

/* The catalog edge between view vertices from -> to (lowest id). */
static igraph_integer_t view_edge(const view *v, igraph_integer_t from, igraph_integer_t to)
{
	igraph_integer_t eid = -1;
	if (igraph_get_eid(v->g, &eid, from, to, IGRAPH_DIRECTED, 0) || eid < 0)
		return -1;
	return cat_edge(v, eid);
}

/* Stops igraph's BFS once it passes the depth limit: BFS visits vertices
 * in order of distance, so everything after is farther still. */
static igraph_error_t bfs_depth_cb(const igraph_t *g, igraph_integer_t vid,
                                   igraph_integer_t pred, igraph_integer_t succ,
                                   igraph_integer_t rank, igraph_integer_t dist,
                                   void *extra)
{
	(void)g, (void)vid, (void)pred, (void)succ, (void)rank;
	return dist > *(const int *)extra ? IGRAPH_STOP : IGRAPH_SUCCESS;
}

/* BFS from root with distances for every vertex (dist[v] < 0: unreached). */
static int bfs(const view *v, igraph_integer_t root, igraph_neimode_t mode, int depth,
               igraph_vector_int_t *dist, lin_error *err)
{
	int rc = 0;
	LIN_IG(igraph_bfs(v->g, root, NULL, mode, 0, NULL, NULL, NULL, NULL, NULL, NULL,
	                  dist, depth >= 0 ? bfs_depth_cb : NULL, &depth));
done:
	return rc;
}

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

/* Sorts n records of size sz by their keys (already filled in). */
static int sort_by_keys(void *items, size_t n, size_t sz, idkey *keys, lin_error *err)
{
	char *tmp = malloc(n * sz + 1);
	if (!tmp)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	qsort(keys, n, sizeof(idkey), cmp_idkey);
	for (size_t i = 0; i < n; i++)
		memcpy(tmp + i * sz, (char *)items + keys[i].pos * sz, sz);
	if (n)
		memcpy(items, tmp, n * sz);
	free(tmp);
	return 0;
}

/* Orders hits by distance, then id. */
static int sort_hits(lin_hits *h, const lin_catalog *cat, lin_error *err)
{
	idkey *keys = malloc((h->n + 1) * sizeof(idkey));
	if (!keys)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < h->n; i++)
		keys[i] = (idkey){.first = h->items[i].distance, .pos = i,
		                  .id = lin_catalog_model(cat, h->items[i].vertex)->id};
	idkeys_prefix(keys, h->n);
	int rc = sort_by_keys(h->items, h->n, sizeof(lin_hit), keys, err);
	free(keys);
	return rc;
}

/* Fills each hit's edge (to or from its via) and relation. One
 * igraph_get_eids call for them all: the lookups' cache misses overlap,
 * where igraph_get_eid one hit at a time waited for each. scratch is
 * reused for the vertex pairs. */
static int hit_edges(lin_hits *h, const view *w, const lin_catalog *cat, igraph_neimode_t mode,
                     igraph_vector_int_t *scratch, lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t eids;
	LIN_IG(igraph_vector_int_init(&eids, 0));
	if (igraph_vector_int_resize(scratch, 2 * (igraph_integer_t)h->n)) {
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto free;
	}
	for (size_t i = 0; i < h->n; i++) {
		int in = mode == IGRAPH_IN;
		VECTOR(*scratch)[2 * i] = in ? h->items[i].vertex : h->items[i].via;
		VECTOR(*scratch)[2 * i + 1] = in ? h->items[i].via : h->items[i].vertex;
	}
	if (h->n && igraph_get_eids(w->g, &eids, scratch, IGRAPH_DIRECTED, 0)) {
		rc = lin_igraph_fail(err, IGRAPH_FAILURE, "get_eids");
		goto free;
	}
	for (size_t i = 0; i < h->n; i++) {
		igraph_integer_t e = VECTOR(eids)[i];
		h->items[i].edge = e >= 0 ? cat_edge(w, e) : -1;
		h->items[i].relation = e >= 0 ? lin_catalog_edge_relation(cat, h->items[i].edge) : LIN_REL_COUNT;
	}
free:
	igraph_vector_int_destroy(&eids);
done:
	return rc;
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
	view w;
	igraph_vector_int_t order, layers, parents;
	memset(out, 0, sizeof(*out));
	if ((rc = view_open(&w, cat, o->relations, err)))
		goto close;
	LIN_IG(igraph_vector_int_init(&order, 0));
	LIN_IG(igraph_vector_int_init(&layers, 0));
	LIN_IG(igraph_vector_int_init(&parents, 0));
	/* igraph_bfs checks the root; bfs_simple (0.10) does not */
	if (v < 0 || v >= igraph_vcount(w.g)) {
		rc = lin_fail(err, LIN_EGRAPH, NULL, 0, 0, "igraph: %s: no vertex %" IGRAPH_PRId,
		              igraph_strerror(IGRAPH_EINVVID), v);
		goto done;
	}
	LIN_IG(igraph_bfs_simple(w.g, v, mode, &order, &layers, &parents));
	/* layers[d] is where distance d starts in order; the last entry ends it */
	igraph_integer_t nl = igraph_vector_int_size(&layers) - 1;
	if (o->depth >= 0 && o->depth < nl)
		nl = o->depth + 1;
	out->items = malloc(((size_t)VECTOR(layers)[nl] + 1) * sizeof(lin_hit));
	if (!out->items) {
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (igraph_integer_t d = 1; d < nl; d++)
		for (igraph_integer_t i = VECTOR(layers)[d]; i < VECTOR(layers)[d + 1]; i++) {
			igraph_integer_t u = VECTOR(order)[i];
			lin_hit *h = &out->items[out->n++];
			h->vertex = u;
			h->via = VECTOR(parents)[u];
			h->distance = (int)d;
		}
	if ((rc = hit_edges(out, &w, cat, mode, &order, err)))
		goto done;
	rc = sort_hits(out, cat, err);
done:
	igraph_vector_int_destroy(&order);
	igraph_vector_int_destroy(&layers);
	igraph_vector_int_destroy(&parents);
close:
	view_close(&w);
	if (rc)
		lin_hits_dispose(out);
	return rc;
}

/* Walks the shortest-path DAG between from and to (edges u -> v with
 * df[u] + 1 == df[v] and df[v] + dt[v] == L) depth first, emitting chains
 * until LIN_PATHS_MAX. igraph_get_all_shortest_paths would keep a path list
 * for every vertex (quadratic on a 100,000-deep chain) and cannot stop
 * early, and a DAG of diamonds has exponentially many shortest chains. */
static int enumerate_paths(igraph_vector_int_list_t *out, const view *w,
                           const igraph_inclist_t *il, igraph_integer_t from,
                           igraph_integer_t to, const igraph_vector_int_t *df,
                           const igraph_vector_int_t *dt, lin_error *err)
{
	int rc = 0;
	igraph_integer_t L = VECTOR(*df)[to], d = 0;
	igraph_vector_int_t at, cur, edges;
	LIN_IG(igraph_vector_int_init(&at, L + 1));
	LIN_IG(igraph_vector_int_init(&cur, L + 1));
	LIN_IG(igraph_vector_int_init(&edges, L));
	VECTOR(at)[0] = from;
	while (d >= 0 && igraph_vector_int_list_size(out) < LIN_PATHS_MAX) {
		if (d == L) {
			igraph_vector_int_t p;
			LIN_IG(igraph_vector_int_init(&p, L));
			for (igraph_integer_t k = 0; k < L; k++)
				VECTOR(p)[k] = cat_edge(w, VECTOR(edges)[k]);
			LIN_IG(igraph_vector_int_list_push_back(out, &p));
			d--;
			continue;
		}
		const igraph_vector_int_t *inc = igraph_inclist_get((igraph_inclist_t *)il, VECTOR(at)[d]);
		igraph_integer_t e = -1, next = -1;
		while (VECTOR(cur)[d] < igraph_vector_int_size(inc)) {
			igraph_integer_t c = VECTOR(*inc)[VECTOR(cur)[d]++];
			igraph_integer_t v = IGRAPH_TO(w->g, c);
			if (VECTOR(*df)[v] == d + 1 && VECTOR(*dt)[v] >= 0 && VECTOR(*dt)[v] == L - d - 1) {
				e = c;
				next = v;
				break;
			}
		}
		if (e < 0) {
			d--;
			continue;
		}
		VECTOR(edges)[d] = e;
		VECTOR(at)[d + 1] = next;
		VECTOR(cur)[d + 1] = 0;
		d++;
	}
	igraph_vector_int_destroy(&at);
	igraph_vector_int_destroy(&cur);
	igraph_vector_int_destroy(&edges);
done:
	return rc;
}

int lin_query_paths(igraph_vector_int_list_t *out, const lin_catalog *cat,
                    igraph_integer_t from, igraph_integer_t to,
                    const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	view w;
	igraph_vector_int_t df, dt;
	igraph_inclist_t il;
	int have_il = 0;
	igraph_vector_int_list_clear(out);
	if ((rc = view_open(&w, cat, o->relations, err)))
		goto close;
	LIN_IG(igraph_vector_int_init(&df, 0));
	LIN_IG(igraph_vector_int_init(&dt, 0));
	/* a model is not its own derivation */
	if (from == to)
		goto free;
	if ((rc = bfs(&w, from, IGRAPH_OUT, -1, &df, err)) ||
	    (rc = bfs(&w, to, IGRAPH_IN, -1, &dt, err)))
		goto free;
	if (VECTOR(df)[to] < 0)
		goto free;
	if (igraph_inclist_init(w.g, &il, IGRAPH_OUT, IGRAPH_LOOPS_ONCE)) {
		rc = lin_igraph_fail(err, IGRAPH_ENOMEM, "inclist");
		goto free;
	}
	have_il = 1;
	rc = enumerate_paths(out, &w, &il, from, to, &df, &dt, err);
free:
	if (have_il)
		igraph_inclist_destroy(&il);
	igraph_vector_int_destroy(&df);
	igraph_vector_int_destroy(&dt);
done:
close:
	view_close(&w);
	return rc;
}

int lin_query_common(lin_hits *out, const lin_catalog *cat, igraph_integer_t a,
                     igraph_integer_t b, const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	view w;
	igraph_vector_int_t da, db, nei;
	memset(out, 0, sizeof(*out));
	if ((rc = view_open(&w, cat, o->relations, err)))
		goto close;
	LIN_IG(igraph_vector_int_init(&da, 0));
	LIN_IG(igraph_vector_int_init(&db, 0));
	LIN_IG(igraph_vector_int_init(&nei, 0));
	if ((rc = bfs(&w, a, IGRAPH_IN, o->depth, &da, err)) ||
	    (rc = bfs(&w, b, IGRAPH_IN, o->depth, &db, err)))
		goto free;
	igraph_integer_t n = igraph_vcount(w.g);
	/* the BFS stops on the first vertex past the depth limit, after
	 * recording its distance: forget it */
	for (igraph_integer_t c = 0; o->depth >= 0 && c < n; c++) {
		if (VECTOR(da)[c] > o->depth)
			VECTOR(da)[c] = -1;
		if (VECTOR(db)[c] > o->depth)
			VECTOR(db)[c] = -1;
	}
	out->items = calloc((size_t)n + 1, sizeof(lin_hit));
	if (!out->items) {
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto free;
	}
	for (igraph_integer_t c = 0; c < n; c++) {
		if (VECTOR(da)[c] < 0 || VECTOR(db)[c] < 0)
			continue;
		/* nearest: no child of c is itself a common ancestor */
		if ((rc = igraph_neighbors(w.g, &nei, c, IGRAPH_OUT) ? lin_igraph_fail(err, IGRAPH_FAILURE, "neighbors") : 0))
			goto free;
		int nearest = 1;
		for (igraph_integer_t k = 0; nearest && k < igraph_vector_int_size(&nei); k++) {
			igraph_integer_t ch = VECTOR(nei)[k];
			nearest = !(VECTOR(da)[ch] >= 0 && VECTOR(db)[ch] >= 0);
		}
		if (!nearest)
			continue;
		lin_hit *h = &out->items[out->n++];
		h->vertex = c;
		h->via = h->edge = -1;
		h->relation = LIN_REL_COUNT;
		h->distance = (int)(VECTOR(da)[c] + VECTOR(db)[c]);
	}
	rc = sort_hits(out, cat, err);
free:
	igraph_vector_int_destroy(&da);
	igraph_vector_int_destroy(&db);
	igraph_vector_int_destroy(&nei);
done:
close:
	view_close(&w);
	if (rc)
		lin_hits_dispose(out);
	return rc;
}

/* Every vertex's in-edges in one array: edge[start[v] .. start[v + 1]),
 * by edge id. Two passes over igraph's edge list build it; the passes over
 * all models below would otherwise call igraph_incident once a model
 * (25 ns each) or build an igraph_inclist, which allocates a vector per
 * model (150 ms on a million). */
typedef struct inedges {
	igraph_integer_t *start, *edge;
} inedges;

static int inedges_build(inedges *in, const igraph_t *g, lin_error *err)
{
	igraph_integer_t n = igraph_vcount(g), m = igraph_ecount(g);
	in->start = calloc((size_t)n + 2, sizeof(igraph_integer_t));
	in->edge = malloc(((size_t)m + 1) * sizeof(igraph_integer_t));
	if (!in->start || !in->edge) {
		free(in->start);
		free(in->edge);
		in->start = in->edge = NULL;
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
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

static void inedges_free(inedges *in)
{
	free(in->start);
	free(in->edge);
}

/* The vertices in an order where every parent comes before its children.
 * A catalog normally lists a base before its derivatives, and then vertex
 * order is one: a pass over the edges says so, and a walk in vertex order
 * reads igraph's edge index front to back. Otherwise igraph's topological
 * sort gives the order (Kahn's order jumps around memory: 0.3 s on a
 * million models, against 2 ms for the check). *ident is set instead of
 * filling topo in the first case. */
static int topo_order(const view *w, igraph_vector_int_t *topo, int *ident, lin_error *err)
{
	int rc = 0;
	*ident = lin_graph_parents_first(w->g);
	if (!*ident)
		LIN_IG(igraph_topological_sorting(w->g, topo, IGRAPH_OUT));
done:
	return rc;
}

/* Counts the descendants of root r, each by the relation of the edge that
 * brought it into the family on a shortest path. */
static int count_family(lin_root *r, const view *w, const lin_catalog *cat,
                        igraph_vector_int_t *order, igraph_vector_int_t *parents,
                        lin_error *err)
{
	int rc = 0;
	LIN_IG(igraph_bfs_simple(w->g, r->vertex, IGRAPH_OUT, order, NULL, parents));
	for (igraph_integer_t i = 1; i < igraph_vector_int_size(order); i++) {
		igraph_integer_t u = VECTOR(*order)[i];
		igraph_integer_t e = view_edge(w, VECTOR(*parents)[u], u);
		r->total++;
		if (e >= 0)
			r->by_relation[lin_catalog_edge_relation(cat, e)]++;
	}
done:
	return rc;
}

/* Families through the root sets each model inherits: in topological
 * order, a model's set is the union of its parents' sets, one entry per
 * root with the shortest distance and the relation of the edge that gives
 * it (ties: the lowest edge id). One pass for Hub-shaped catalogs, where
 * most models have one root; a BFS per root allocates per call and took
 * 78 s on a million models. Sets past ROOTSET_BUDGET entries in all (a
 * hostile merge of thousands of roots above a long chain) set *too_big
 * instead. */
#define ROOTSET_BUDGET ((igraph_integer_t)1 << 22)

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

/* Grows *p (of *cap elements of size sz) to hold need elements. */
static int grow(void *p, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap * 2 + 16 > need ? *cap * 2 + 16 : need;
	void *q = realloc(*(void **)p, c * sz);
	if (!q)
		return LIN_ENOMEM;
	*(void **)p = q;
	*cap = c;
	return 0;
}

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
	if (grow(&rs->cur, &rs->capcur, rs->ncur + 1, sizeof(rsnew)))
		return LIN_ENOMEM;
	rs->cur[rs->ncur++] = (rsnew){root, d, rel, e};
	return 0;
}

/* Builds the set of a non-root v from its parents' sets into rs->cur. */
static int build_set(rootsets *rs, const view *w, const lin_catalog *cat, const inedges *in,
                     igraph_integer_t v)
{
	igraph_integer_t from = in->start[v], to = in->start[v + 1];
	rs->ncur = 0;
	for (igraph_integer_t k = from; k < to; k++) {
		igraph_integer_t e = in->edge[k];
		int32_t rel = (int32_t)lin_catalog_edge_relation(cat, cat_edge(w, e));
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
	if (grow(&rs->more, &rs->capmore, rs->nmore + rs->ncur, sizeof(rsent)))
		return LIN_ENOMEM;
	rs->set[v] = (rsent){(int32_t)(-2 - (igraph_integer_t)rs->nmore), (int32_t)rs->ncur};
	for (size_t k = 0; k < rs->ncur; k++)
		rs->more[rs->nmore++] = (rsent){rs->cur[k].root, rs->cur[k].dist};
	return 0;
}

static int count_families_topo(lin_roots *out, const view *w, const lin_catalog *cat,
                               const inedges *in, igraph_integer_t budget,
                               igraph_vector_int_t *links, int *too_big, lin_error *err)
{
	int rc = 0, ident = 0;
	igraph_integer_t n = igraph_vcount(w->g);
	rootsets rs = {.set = malloc(((size_t)n + 1) * sizeof(rsent)),
	               .mark = malloc((out->n + 1) * sizeof(igraph_integer_t)),
	               .pos = malloc((out->n + 1) * sizeof(size_t)),
	               .count = calloc((out->n + 1) * LIN_REL_COUNT, sizeof(int32_t)),
	               .links = links};
	igraph_vector_int_t topo;
	/* entries hold slots and distances in 32 bits */
	*too_big = n >= INT32_MAX;
	LIN_IG(igraph_vector_int_init(&topo, 0));
	if (!rs.set || !rs.mark || !rs.pos || !rs.count) {
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto free;
	}
	if (*too_big || (rc = topo_order(w, &topo, &ident, err)))
		goto free;
	for (size_t i = 0; i < out->n; i++) {
		rs.mark[i] = -1;
		rs.set[out->items[i].vertex] = (rsent){(int32_t)i, 0};
	}
	rs.entries = (igraph_integer_t)out->n;
	for (igraph_integer_t i = 0; i < n; i++) {
		igraph_integer_t v = ident ? i : VECTOR(topo)[i];
		if (in->start[v] == in->start[v + 1])
			continue; /* a root: its set is itself */
		if (build_set(&rs, w, cat, in, v) || commit_set(&rs, v, in->start[v + 1] - in->start[v] > 1)) {
			rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
			goto free;
		}
		/* more[] is indexed by a negative 32-bit number too */
		if (rs.entries > budget || rs.nmore >= INT32_MAX / 2) {
			*too_big = 1;
			goto free;
		}
	}
	for (size_t i = 0; i < out->n; i++)
		for (int r = 0; r < LIN_REL_COUNT; r++) {
			out->items[i].by_relation[r] = rs.count[i * LIN_REL_COUNT + (size_t)r];
			out->items[i].total += out->items[i].by_relation[r];
		}
free:
	igraph_vector_int_destroy(&topo);
done:
	free(rs.count);
	free(rs.set);
	free(rs.more);
	free(rs.cur);
	free(rs.mark);
	free(rs.pos);
	return rc;
}

/* Orders roots most-derived first, ties by id. */
static int sort_roots(lin_roots *r, const lin_catalog *cat, lin_error *err)
{
	idkey *keys = malloc((r->n + 1) * sizeof(idkey));
	if (!keys)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < r->n; i++)
		keys[i] = (idkey){.first = -r->items[i].total, .pos = i,
		                  .id = lin_catalog_model(cat, r->items[i].vertex)->id};
	idkeys_prefix(keys, r->n);
	int rc = sort_by_keys(r->items, r->n, sizeof(lin_root), keys, err);
	free(keys);
	return rc;
}

int lin_query_roots(lin_roots *out, const lin_catalog *cat, const lin_query_opts *o,
                    lin_error *err)
{
	return lin_query_roots_budget(out, cat, o, ROOTSET_BUDGET, err);
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

/* The families of every model without a parent (the candidates, in vertex
 * order; those without children are counted with none), by the root-set
 * pass; *too_big when it would pass budget. */
static int families(lin_roots *out, const view *w, const lin_catalog *cat, const inedges *in,
                    igraph_integer_t budget, igraph_vector_int_t *links, int *too_big,
                    lin_error *err)
{
	igraph_integer_t n = igraph_vcount(w->g);
	size_t ncand = 0;
	for (igraph_integer_t v = 0; v < n; v++)
		ncand += in->start[v] == in->start[v + 1];
	if (!(out->items = calloc(ncand + 1, sizeof(lin_root))))
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (igraph_integer_t v = 0; v < n; v++)
		if (in->start[v] == in->start[v + 1])
			out->items[out->n++].vertex = v;
	return count_families_topo(out, w, cat, in, budget, links, too_big, err);
}

/* Roots without children drop out once counted, so no degree vectors are
 * needed to find them. */
int lin_query_roots_budget(lin_roots *out, const lin_catalog *cat, const lin_query_opts *o,
                           igraph_integer_t budget, lin_error *err)
{
	int rc = 0, too_big = 0;
	view w;
	inedges in = {NULL, NULL};
	igraph_vector_int_t order, parents;
	memset(out, 0, sizeof(*out));
	if ((rc = view_open(&w, cat, o->relations, err)))
		goto close;
	LIN_IG(igraph_vector_int_init(&order, 0));
	LIN_IG(igraph_vector_int_init(&parents, 0));
	if ((rc = inedges_build(&in, w.g, err)))
		goto done;
	if ((rc = families(out, &w, cat, &in, budget, NULL, &too_big, err)) || !too_big)
		goto sort;
	/* too many shared roots to carry sets: count each family by BFS */
	for (size_t i = 0; i < out->n && !rc; i++) {
		memset(out->items[i].by_relation, 0, sizeof(out->items[i].by_relation));
		out->items[i].total = 0;
		rc = count_family(&out->items[i], &w, cat, &order, &parents, err);
	}
sort:
	drop_childless(out);
	if (!rc)
		rc = sort_roots(out, cat, err);
done:
	inedges_free(&in);
	igraph_vector_int_destroy(&order);
	igraph_vector_int_destroy(&parents);
close:
	view_close(&w);
	if (rc)
		lin_roots_dispose(out);
	return rc;
}

void lin_stats_dispose(lin_stats *s)
{
	igraph_vector_int_destroy(&s->depth_hist);
	igraph_vector_int_list_destroy(&s->longest);
	igraph_vector_int_destroy(&s->widest);
}

/* depth[v] = edges on the longest chain of ancestors of v, computed along a
 * topological order; best[v] = the parent that chain comes through (the
 * lowest vertex among equals). Each model pulls from its parents through
 * the in-edge array, in vertex order when that is topological (see
 * topo_order): igraph_neighbors in Kahn's order cost 0.2 s on a million. */
static int longest_chains(const view *w, const inedges *in, igraph_vector_int_t *depth,
                          igraph_vector_int_t *best, lin_error *err)
{
	int rc = 0, ident = 0;
	igraph_vector_int_t topo;
	igraph_integer_t n = igraph_vcount(w->g);
	LIN_IG(igraph_vector_int_init(&topo, 0));
	LIN_IG(igraph_vector_int_resize(depth, n));
	LIN_IG(igraph_vector_int_resize(best, n));
	igraph_vector_int_null(depth);
	igraph_vector_int_fill(best, -1);
	if ((rc = topo_order(w, &topo, &ident, err)))
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
	igraph_vector_int_destroy(&topo);
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

static int fill_extremes(lin_stats *s, const view *w, const igraph_vector_int_t *depth,
                         const igraph_vector_int_t *best, const igraph_vector_int_t *outdeg,
                         lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = igraph_vcount(w->g);
	igraph_vector_int_t chain;
	char *taken = calloc((size_t)n + 1, 1);
	LIN_IG(igraph_vector_int_init(&chain, 0));
	if (!taken) {
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto free;
	}
	for (int k = 0; k < 5; k++) {
		igraph_integer_t v = take_max(depth, taken);
		if (v < 0)
			break;
		igraph_vector_int_clear(&chain);
		/* every model on the chain is taken, so the next chain is not
		 * just a prefix of this one */
		for (igraph_integer_t u = v; u >= 0; u = VECTOR(*best)[u]) {
			taken[u] = 1;
			if ((rc = igraph_vector_int_push_back(&chain, u) ? LIN_ENOMEM : 0))
				goto free;
		}
		igraph_vector_int_reverse(&chain);
		if (igraph_vector_int_list_push_back_copy(&s->longest, &chain)) {
			rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
			goto free;
		}
	}
	memset(taken, 0, (size_t)n + 1);
	for (int k = 0; k < 5; k++) {
		igraph_integer_t v = take_max(outdeg, taken);
		if (v < 0)
			break;
		LIN_IG(igraph_vector_int_push_back(&s->widest, v));
	}
free:
	igraph_vector_int_destroy(&chain);
done:
	free(taken);
	return rc;
}

/* Weak components through the root sets: every model is joined to its
 * roots, and roots to each other exactly where a merge puts several in one
 * set, so the components are those of the small graph of roots and those
 * links, which igraph counts at once. On the whole graph igraph's BFS
 * visits a million models in an order that jumps around memory (0.6 s).
 * Too many shared roots for the root-set pass: the whole graph after all. */
static int count_components(igraph_integer_t *out, const view *w, const lin_catalog *cat,
                            const inedges *in, lin_error *err)
{
	int rc = 0, too_big = 0;
	lin_roots r = {NULL, 0};
	igraph_vector_int_t links;
	igraph_t h;
	LIN_IG(igraph_vector_int_init(&links, 0));
	if ((rc = families(&r, w, cat, in, ROOTSET_BUDGET, &links, &too_big, err)))
		goto free;
	if (too_big) {
		rc = igraph_connected_components(w->g, NULL, NULL, out, IGRAPH_WEAK)
		         ? lin_igraph_fail(err, IGRAPH_FAILURE, "components") : 0;
		goto free;
	}
	if (igraph_create(&h, &links, (igraph_integer_t)r.n, IGRAPH_UNDIRECTED)) {
		rc = lin_igraph_fail(err, IGRAPH_FAILURE, "create");
		goto free;
	}
	if (igraph_connected_components(&h, NULL, NULL, out, IGRAPH_WEAK))
		rc = lin_igraph_fail(err, IGRAPH_FAILURE, "components");
	igraph_destroy(&h);
free:
	igraph_vector_int_destroy(&links);
	lin_roots_dispose(&r);
done:
	return rc;
}

int lin_query_stats(lin_stats *s, const lin_catalog *cat, const lin_query_opts *o,
                    lin_error *err)
{
	int rc = 0;
	view w;
	inedges in = {NULL, NULL};
	igraph_vector_int_t indeg, outdeg, depth, best;
	memset(s, 0, sizeof(*s));
	igraph_vector_int_init(&s->depth_hist, 0);
	igraph_vector_int_list_init(&s->longest, 0);
	igraph_vector_int_init(&s->widest, 0);
	if ((rc = view_open(&w, cat, o->relations, err)))
		goto close;
	LIN_IG(igraph_vector_int_init(&indeg, 0));
	LIN_IG(igraph_vector_int_init(&outdeg, 0));
	LIN_IG(igraph_vector_int_init(&depth, 0));
	LIN_IG(igraph_vector_int_init(&best, 0));
	LIN_IG(igraph_degree(w.g, &indeg, igraph_vss_all(), IGRAPH_IN, IGRAPH_LOOPS));
	LIN_IG(igraph_degree(w.g, &outdeg, igraph_vss_all(), IGRAPH_OUT, IGRAPH_LOOPS));
	if ((rc = inedges_build(&in, w.g, err)) ||
	    (rc = count_components(&s->components, &w, cat, &in, err)))
		goto done;
	s->models = igraph_vcount(w.g);
	s->edges = igraph_ecount(w.g);
	for (igraph_integer_t v = 0; v < s->models; v++) {
		s->roots += VECTOR(indeg)[v] == 0;
		s->leaves += VECTOR(outdeg)[v] == 0;
		s->by_stage[lin_catalog_stage(cat, v)]++;
	}
	for (igraph_integer_t e = 0; e < s->edges; e++)
		s->by_relation[lin_catalog_edge_relation(cat, cat_edge(&w, e))]++;
	if ((rc = longest_chains(&w, &in, &depth, &best, err)))
		goto done;
	igraph_integer_t maxd = s->models ? igraph_vector_int_max(&depth) : -1;
	LIN_IG(igraph_vector_int_resize(&s->depth_hist, maxd + 1));
	igraph_vector_int_null(&s->depth_hist);
	for (igraph_integer_t v = 0; v < s->models; v++)
		VECTOR(s->depth_hist)[VECTOR(depth)[v]]++;
	rc = fill_extremes(s, &w, &depth, &best, &outdeg, err);
done:
	inedges_free(&in);
	igraph_vector_int_destroy(&indeg);
	igraph_vector_int_destroy(&outdeg);
	igraph_vector_int_destroy(&depth);
	igraph_vector_int_destroy(&best);
close:
	view_close(&w);
	return rc;
}
