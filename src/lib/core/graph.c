/*
 * graph.c - the catalog's igraph graph: its edges' attributes and views of
 * it restricted to some relation kinds.
 */
#include "core.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

lin_relation lin_catalog_edge_relation(const lin_catalog *cat, igraph_integer_t e)
{
	return (lin_relation)VECTOR(cat->edge_rel)[e];
}

const lin_parent *lin_catalog_edge_parent(const lin_catalog *cat, igraph_integer_t e)
{
	static const lin_parent none = {"?", -1, LIN_REL_FINETUNE, NULL, NULL, {NULL, 0},
	                                 {NULL, 0, 0}, 0, 0};
	/* the edges are numbered child by child, each child's in its parents'
	 * order (finish.c; a cache image is checked for it): the k-th edge
	 * into v is its k-th parent, and igraph's in-index starts v's at is[v] */
	igraph_integer_t v = IGRAPH_TO(&cat->graph, e);
	const lin_model *m = lin_catalog_model(cat, v);
	igraph_integer_t k = e - VECTOR(cat->graph.is)[v];
	/* a cache image's records are checked lazily: one that does not match
	 * the edge gives an empty parent rather than a read out of bounds */
	return m && k >= 0 && (size_t)k < m->nparents ? &m->parents[k] : &none;
}

const igraph_t *lin_catalog_graph(const lin_catalog *cat)
{
	return cat->has_graph ? &cat->graph : NULL;
}


int lin_i_graph_parents_first(const igraph_t *g)
{
	igraph_integer_t m = igraph_ecount(g), e = 0;
	while (e < m && IGRAPH_FROM(g, e) < IGRAPH_TO(g, e))
		e++;
	return e == m;
}

void lin_i_graph_unview(igraph_t *g)
{
	/* igraph_vector_int_destroy frees nothing of a zeroed vector */
	memset(&g->from, 0, sizeof(g->from));
	memset(&g->to, 0, sizeof(g->to));
	memset(&g->oi, 0, sizeof(g->oi));
	memset(&g->ii, 0, sizeof(g->ii));
	memset(&g->os, 0, sizeof(g->os));
	memset(&g->is, 0, sizeof(g->is));
	g->n = 0;
}

int lin_i_graph_filtered(const igraph_t **out, igraph_t *storage, int *owned,
                       const lin_catalog *cat, lin_relmask mask,
                       igraph_vector_int_t *eids, lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t edges;
	igraph_integer_t m = igraph_ecount(&cat->graph);
	*owned = 0;
	*out = &cat->graph;
	if (!eids && (mask & LIN_REL_ALL) == LIN_REL_ALL)
		return 0; /* the catalog's graph as it is: nothing to build */
	LIN_IG(igraph_vector_int_init(&edges, 0));
	if (eids)
		igraph_vector_int_clear(eids);
	for (igraph_integer_t e = 0; e < m; e++) {
		if (!(mask & LIN_REL_BIT(VECTOR(cat->edge_rel)[e])))
			continue;
		if (eids)
			LIN_IG(igraph_vector_int_push_back(eids, e));
		if ((mask & LIN_REL_ALL) != LIN_REL_ALL) {
			LIN_IG(igraph_vector_int_push_back(&edges, IGRAPH_FROM(&cat->graph, e)));
			LIN_IG(igraph_vector_int_push_back(&edges, IGRAPH_TO(&cat->graph, e)));
		}
	}
	if ((mask & LIN_REL_ALL) != LIN_REL_ALL) {
		LIN_IG(igraph_create(storage, &edges, igraph_vcount(&cat->graph), IGRAPH_DIRECTED));
		*owned = 1;
		*out = storage;
	}
done:
	igraph_vector_int_destroy(&edges);
	return rc;
}

/* Cycles are an error reported on their own; an audit that needs parents
 * before children still runs on the rest, so the models on cycles (in a
 * strongly connected component of more than one) are left out. */
static int acyclic_order(igraph_vector_int_t *order, const igraph_t *h, lin_error *err)
{
	int rc = 0, has_sub = 0;
	igraph_t sub;
	igraph_vector_int_t memb = {0}, csize = {0}, keep = {0}, map = {0};
	igraph_bool_t dag = 0;
	LIN_IG(igraph_vector_int_init(&memb, 0));
	LIN_IG(igraph_vector_int_init(&csize, 0));
	LIN_IG(igraph_vector_int_init(&keep, 0));
	LIN_IG(igraph_vector_int_init(&map, 0));
	LIN_IG(igraph_connected_components(h, &memb, &csize, NULL, IGRAPH_STRONG));
	for (igraph_integer_t v = 0; v < igraph_vector_int_size(&memb); v++)
		if (VECTOR(csize)[VECTOR(memb)[v]] == 1)
			LIN_IG(igraph_vector_int_push_back(&keep, v));
	LIN_IG(igraph_induced_subgraph_map(h, &sub, igraph_vss_vector(&keep), IGRAPH_SUBGRAPH_AUTO,
	                                   NULL, &map));
	has_sub = 1;
	igraph_vector_int_clear(order);
	LIN_IG(igraph_is_dag(&sub, &dag)); /* a self-loop is a cycle of one */
	if (!dag)
		goto done;
	LIN_IG(igraph_topological_sorting(&sub, order, IGRAPH_OUT));
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(order); i++)
		VECTOR(*order)[i] = VECTOR(map)[VECTOR(*order)[i]];
done:
	if (has_sub)
		igraph_destroy(&sub);
	if (memb.stor_begin)
		igraph_vector_int_destroy(&memb);
	if (csize.stor_begin)
		igraph_vector_int_destroy(&csize);
	if (keep.stor_begin)
		igraph_vector_int_destroy(&keep);
	if (map.stor_begin)
		igraph_vector_int_destroy(&map);
	return rc;
}

int lin_i_graph_topo_order(igraph_vector_int_t *order, const igraph_t *g,
                           const igraph_vector_int_t *vids, lin_error *err)
{
	int rc = 0, has_sub = 0;
	igraph_t sub;
	igraph_vector_int_t map = {0};
	igraph_bool_t dag = 0;
	const igraph_t *h = g;
	LIN_IG(igraph_vector_int_init(&map, 0));
	if (vids) {
		LIN_IG(igraph_induced_subgraph_map(g, &sub, igraph_vss_vector(vids), IGRAPH_SUBGRAPH_AUTO,
		                                   NULL, &map));
		has_sub = 1;
		h = &sub;
	}
	LIN_IG(igraph_is_dag(h, &dag));
	if (dag)
		LIN_IG(igraph_topological_sorting(h, order, IGRAPH_OUT));
	else if ((rc = acyclic_order(order, h, err)))
		goto done;
	for (igraph_integer_t i = 0; vids && i < igraph_vector_int_size(order); i++)
		VECTOR(*order)[i] = VECTOR(map)[VECTOR(*order)[i]];
done:
	if (has_sub)
		igraph_destroy(&sub);
	if (map.stor_begin)
		igraph_vector_int_destroy(&map);
	return rc;
}
