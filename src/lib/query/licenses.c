/*
 * licenses.c - the licence audit of one model: its ancestors (igraph's
 * BFS, through lin_query_reach), the chain each is reached by, and what an
 * auditor must look at: drift below a restricting ancestor (the rule of
 * core/license.c, the one `check` applies), distillation from proprietary
 * outputs, unknown terms.
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

void lin_license_audit_free(lin_license_audit *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nflags; i++)
		free(a->flags[i].message);
	free(a->flags);
	free(a->entries);
	free(a);
}

typedef struct vpos {
	igraph_integer_t vertex;
	size_t entry;
} vpos;

static int cmp_vpos(const void *x, const void *y)
{
	igraph_integer_t a = ((const vpos *)x)->vertex, b = ((const vpos *)y)->vertex;
	return (a > b) - (a < b);
}

/* The entry holding vertex u, found by halves in the sorted index. */
static size_t entry_of(const vpos *index, size_t n, igraph_integer_t u)
{
	vpos key = {u, 0};
	const vpos *hit = bsearch(&key, index, n, sizeof(*index), cmp_vpos);
	return hit ? hit->entry : SIZE_MAX;
}

/* The audited model, then the hits, each entry pointing at the entry of
 * its via; index gets the vertex -> entry map, sorted by vertex. */
static int fill_entries(lin_license_audit *a, vpos **index, igraph_integer_t v,
                        const lin_hits *h, lin_error *err)
{
	a->entries = malloc((h->n + 1) * sizeof(*a->entries));
	*index = malloc((h->n + 1) * sizeof(**index));
	if (!a->entries || !*index)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	a->entries[0] = (lin_license_entry){v, 0, SIZE_MAX, LIN_REL_COUNT};
	(*index)[0] = (vpos){v, 0};
	for (size_t i = 0; i < h->n; i++) {
		a->entries[i + 1] = (lin_license_entry){h->items[i].vertex, h->items[i].distance,
		                                        SIZE_MAX, h->items[i].relation};
		(*index)[i + 1] = (vpos){h->items[i].vertex, i + 1};
	}
	a->n = h->n + 1;
	qsort(*index, a->n, sizeof(**index), cmp_vpos);
	for (size_t i = 0; i < h->n; i++)
		a->entries[i + 1].next = entry_of(*index, a->n, h->items[i].via);
	return 0;
}

/* The audited vertices, parents first (core's topological order). */
static int parents_first(igraph_vector_int_t *order, const lin_catalog *cat,
                         const lin_license_audit *a, lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t vids = {0};
	LIN_IG(igraph_vector_int_init(&vids, (igraph_integer_t)a->n));
	for (size_t i = 0; i < a->n; i++)
		VECTOR(vids)[i] = a->entries[i].vertex;
	rc = lin_i_graph_topo_order(order, lin_catalog_graph(cat), &vids, err);
done:
	lin_i_vec_free(&vids);
	return rc;
}

/* Appends a flag with the message in msg (taken over on success). */
static int add_flag(lin_license_audit *a, size_t *cap, lin_license_problem p, size_t entry,
                    size_t other, lin_buf *msg, lin_error *err)
{
	if (msg->oom)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if (lin_i_grow(&a->flags, cap, a->nflags + 1, sizeof(*a->flags)))
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	a->flags[a->nflags++] = (lin_license_flag){p, entry, other, msg->data};
	*msg = (lin_buf)LIN_BUF_INIT;
	return 0;
}

/* The flags of entry i, in problem order: drift, distilled, unknown. */
static int flag_entry(lin_license_audit *a, size_t *cap, const lin_catalog *cat,
                      const lin_license_trace *t, const vpos *index, size_t i,
                      lin_relmask mask, lin_error *err)
{
	int rc = 0;
	lin_buf msg = LIN_BUF_INIT;
	igraph_integer_t v = a->entries[i].vertex;
	const lin_model *m = lin_catalog_model(cat, v);
	if (lin_i_license_drift(t, cat, v)) {
		lin_i_license_drift_text(&msg, cat, t, v);
		if ((rc = add_flag(a, cap, LIN_LICENSE_DRIFT, i, entry_of(index, a->n, t->src[v]), &msg,
		                   err)))
			goto done;
	}
	for (size_t j = 0; (mask & LIN_REL_BIT(LIN_REL_DISTILL)) && j < m->nparents; j++) {
		const lin_model *pm = lin_catalog_model(cat, m->parents[j].vertex);
		if (m->parents[j].relation != LIN_REL_DISTILL ||
		    lin_license_classify(pm->license) != LIN_LICENSE_PROPRIETARY)
			continue;
		lin_buf_printf(&msg, "distilled from proprietary outputs: '%.64s' is trained on outputs of "
		               "'%.64s' (%s), whose terms of use may bind it", m->id, pm->id, pm->license);
		if ((rc = add_flag(a, cap, LIN_LICENSE_DISTILLED, i,
		                   entry_of(index, a->n, m->parents[j].vertex), &msg, err)))
			goto done;
	}
	if (lin_license_classify(m->license) == LIN_LICENSE_UNKNOWN) {
		if (!m->license)
			lin_buf_printf(&msg, "unknown licence: '%.64s' records none", m->id);
		else if (strcmp(m->license, "unknown") == 0)
			lin_buf_printf(&msg, "unknown licence: '%.64s' is recorded as unknown", m->id);
		else
			lin_buf_printf(&msg, "unknown licence: '%.64s' is '%.64s', which the licence table "
			               "does not know", m->id, m->license);
		rc = add_flag(a, cap, LIN_LICENSE_UNKNOWN_TERMS, i, SIZE_MAX, &msg, err);
	}
done:
	lin_buf_dispose(&msg);
	return rc;
}

int lin_license_audit_new(lin_license_audit **out, const lin_catalog *cat, igraph_integer_t v,
                          const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	lin_license_audit *a = calloc(1, sizeof(*a));
	lin_hits h = {NULL, 0};
	lin_license_trace t = {0};
	vpos *index = NULL;
	size_t cap = 0;
	igraph_vector_int_t order = {0};
	lin_query_opts all = *o;
	all.depth = -1;
	*out = NULL;
	if (!a) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = lin_query_reach(&h, cat, v, IGRAPH_IN, &all, err)) ||
	    (rc = fill_entries(a, &index, v, &h, err)))
		goto done;
	LIN_IG(igraph_vector_int_init(&order, 0));
	if ((rc = parents_first(&order, cat, a, err)) ||
	    (rc = lin_i_license_trace(&t, cat, &order, o->relations & LIN_REL_WEIGHTS, err)))
		goto done;
	for (size_t i = 0; i < a->n; i++)
		if ((rc = flag_entry(a, &cap, cat, &t, index, i, o->relations, err)))
			goto done;
	*out = a;
	a = NULL;
done:
	lin_license_audit_free(a);
	lin_hits_dispose(&h);
	lin_i_license_trace_dispose(&t);
	free(index);
	lin_i_vec_free(&order);
	return rc;
}
