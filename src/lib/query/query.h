/*
 * query.h - questions over a finished catalog, all answered by igraph's
 * traversals: reach (ancestors, descendants), chains, common ancestors,
 * roots by family size, statistics, and a model's parent and child edges.
 * The files share the relation-filtered view of the graph (view.c); who
 * uses whom: view.c <- reach.c, paths.c, roots.c <- stats.c, and
 * neighbours.c <- paths.c.
 */
#ifndef LIN_QUERY_H
#define LIN_QUERY_H

#include "core/core.h"

/* ---- cleanup ---------------------------------------------------------------- */

/* Destroys v if it was initialised. Every function of query/ starts its
 * vectors zeroed (= {0}) so that its one cleanup label can release them
 * whichever step failed: a failed or never-run igraph init leaves
 * stor_begin NULL (IGRAPH_CALLOC's result; IGRAPH_FREE clears too). */
static inline void lin_i_vec_free(igraph_vector_int_t *v)
{
	if (v->stor_begin)
		igraph_vector_int_destroy(v);
}

/* The same for a list of vectors (a failed init leaves its items
 * destroyed or zeroed, which the list's destroy accepts). */
static inline void lin_i_vec_list_free(igraph_vector_int_list_t *l)
{
	if (l->stor_begin)
		igraph_vector_int_list_destroy(l);
}

/* ---- the view of the graph for one query (view.c) ------------------------ */

/* The filtered graph and its edge map. With every relation the view is the
 * catalog's own graph and its edge ids are the catalog's, so no map is
 * built (a million pushes per query). Vertex ids are always the catalog's. */
typedef struct lin_view {
	const igraph_t *g;
	igraph_t storage;
	int owned;                /* storage holds a graph to destroy */
	int identity;             /* view edge == catalog edge */
	igraph_vector_int_t eids; /* view edge -> catalog edge, unless identity */
} lin_view;

/* A closed view: what lin_i_view_close accepts before lin_i_view_open ran. */
#define LIN_VIEW_INIT {0}

/* Opens the view of cat's graph restricted to the relations in mask.
 * LIN_EINVAL when the catalog is not finished, LIN_ENOMEM / LIN_EGRAPH
 * when igraph fails. On failure *v is left closed; lin_i_view_close may be
 * called either way. */
int lin_i_view_open(lin_view *v, const lin_catalog *cat, lin_relmask mask, lin_error *err);

/* Releases what lin_i_view_open built; a closed view is left as it is, so
 * calling it twice, or on LIN_VIEW_INIT, is harmless. */
void lin_i_view_close(lin_view *v);

/* 0 when v is a vertex of w, else LIN_EGRAPH with igraph's message for
 * an invalid vertex: igraph_bfs_simple (0.10) does not check its root. */
int lin_i_view_check_vertex(const lin_view *w, igraph_integer_t v, lin_error *err);

/* The catalog edge that view edge e stands for (inline: the root-set pass
 * asks once per edge of a million-model graph). */
static inline igraph_integer_t lin_i_view_cat_edge(const lin_view *v, igraph_integer_t e)
{
	return v->identity ? e : VECTOR(v->eids)[e];
}

/* Every vertex's in-edges (view edge ids) in one array: edge[start[v] ..
 * start[v + 1]), by edge id. The passes over all models in roots.c and
 * stats.c read it instead of calling igraph_incident once a model (25 ns
 * each) or building an igraph_inclist, which allocates a vector per model
 * (150 ms on a million). */
typedef struct lin_inedges {
	igraph_integer_t *start, *edge;
} lin_inedges;

/* Fills *in for graph g. LIN_ENOMEM leaves both arrays NULL. Free with
 * lin_i_inedges_free (which accepts an all-NULL struct). */
int lin_i_inedges_build(lin_inedges *in, const igraph_t *g, lin_error *err);
void lin_i_inedges_free(lin_inedges *in);

/* The view's vertices in an order where every parent comes before its
 * children: *ident = 1 when vertex order is one (topo is left as it is),
 * else topo (initialised by the caller) receives igraph's topological
 * sort (its failure as LIN_EGRAPH or LIN_ENOMEM). */
int lin_i_view_topo_order(const lin_view *w, igraph_vector_int_t *topo, int *ident,
                        lin_error *err);

/* Orders hits by distance, then model id in strcmp order; roots by total
 * descending, then id. LIN_ENOMEM leaves the items as they were. */
int lin_i_hits_sort(lin_hits *h, const lin_catalog *cat, lin_error *err);
int lin_i_roots_sort(lin_roots *r, const lin_catalog *cat, lin_error *err);

/* ---- neighbours (neighbours.c) ---------------------------------------------- */

/* lin_catalog_parents and lin_catalog_children (lineage.h) are what query/
 * itself asks for a model's edges: catalog edge ids, ascending. */

/* ---- roots (roots.c) ------------------------------------------------------ */

/* Entries the root-set pass may hold in all before it gives up (a hostile
 * merge of thousands of roots above a long chain). */
#define LIN_ROOTSET_BUDGET ((igraph_integer_t)1 << 22)

/* lin_query_roots with the size of the root-set pass bounded by budget
 * entries; past it, each family is counted by its own BFS (tests use a
 * budget of 0 to check that both ways agree). */
int lin_i_query_roots_budget(lin_roots *out, const lin_catalog *cat, const lin_query_opts *o,
                           igraph_integer_t budget, lin_error *err);

/* The families of every model of w without a parent, in vertex order and
 * childless ones included, counted by the root-set pass over in (w's
 * in-edges). out must be all-zero; it receives the roots and is the
 * caller's to dispose of, on failure too. If links is not NULL (an
 * initialised vector) it receives pairs of result slots whose roots share a
 * descendant through a merge. *too_big (counts then incomplete) when the
 * pass would exceed budget entries; not an error. */
int lin_i_roots_families(lin_roots *out, const lin_view *w, const lin_catalog *cat,
                       const lin_inedges *in, igraph_integer_t budget,
                       igraph_vector_int_t *links, int *too_big, lin_error *err);

#endif
