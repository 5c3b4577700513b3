/*
 * neighbours.c - a model's parent and child edges under a relation filter,
 * so that no caller walks igraph's incidence lists itself. igraph_incident
 * finds them; the filter and the order are ours.
 */
#include "query.h"

/* Keeps the edges of out whose relation is in mask, in place. */
static void keep_relations(igraph_vector_int_t *out, const lin_catalog *cat, lin_relmask mask)
{
	igraph_integer_t n = igraph_vector_int_size(out), k = 0;
	for (igraph_integer_t i = 0; i < n; i++) {
		igraph_integer_t e = VECTOR(*out)[i];
		if (mask & LIN_REL_BIT(lin_catalog_edge_relation(cat, e)))
			VECTOR(*out)[k++] = e;
	}
	igraph_vector_int_remove_section(out, k, n); /* void: a cut never allocates */
}

/* igraph lists a vertex's edges by the vertex at their other end, so the
 * edges of a child with several parents come in vertex order, not in the
 * order its entry names them: sorting restores the catalog's order. */
static int incident(igraph_vector_int_t *out, const lin_catalog *cat, igraph_integer_t v,
                    igraph_neimode_t mode, lin_relmask mask, lin_error *err)
{
	int rc = 0;
	if (!cat->has_graph)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "the catalog is not finished");
	LIN_IG(igraph_incident(&cat->graph, out, v, mode));
	if ((mask & LIN_REL_ALL) != LIN_REL_ALL)
		keep_relations(out, cat, mask);
	igraph_vector_int_sort(out);
done:
	if (rc)
		igraph_vector_int_clear(out);
	return rc;
}

int lin_catalog_parents(igraph_vector_int_t *out, const lin_catalog *cat, igraph_integer_t v,
                        lin_relmask mask, lin_error *err)
{
	return incident(out, cat, v, IGRAPH_IN, mask, err);
}

int lin_catalog_children(igraph_vector_int_t *out, const lin_catalog *cat, igraph_integer_t v,
                         lin_relmask mask, lin_error *err)
{
	return incident(out, cat, v, IGRAPH_OUT, mask, err);
}

igraph_integer_t lin_catalog_child_count(const lin_catalog *cat, igraph_integer_t v,
                                         lin_relmask mask)
{
	igraph_vector_int_t kids;
	igraph_integer_t k = 0;
	if (igraph_vector_int_init(&kids, 0))
		return 0;
	if (lin_catalog_children(&kids, cat, v, mask, NULL) == 0)
		k = igraph_vector_int_size(&kids);
	igraph_vector_int_destroy(&kids);
	return k;
}
