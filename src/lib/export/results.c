/*
 * results.c - the JSON of query results that are not model lists: base
 * models by family size (roots), derivation chains (paths) and catalog
 * statistics. Objects carry "schema" (LIN_JSON_SCHEMA) first, so a script
 * can tell a later layout from this one.
 */
#include "export.h"

static void root_json(lin_buf *out, const lin_catalog *cat, const lin_root *r)
{
	lin_export_model_json(out, cat, r->vertex, 0);
	out->len--; /* extend the model object */
	lin_buf_printf(out, ",\"descendants\":%" IGRAPH_PRId ",\"by_relation\":{", r->total);
	const char *sep = "";
	for (int k = 0; k < LIN_REL_COUNT; k++)
		if (r->by_relation[k]) {
			lin_buf_printf(out, "%s\"%s\":%" IGRAPH_PRId, sep, lin_relation_name((lin_relation)k), r->by_relation[k]);
			sep = ",";
		}
	lin_buf_puts(out, "}}");
}

int lin_export_roots_json(lin_buf *out, const lin_catalog *cat, const lin_roots *roots,
                          size_t n)
{
	return lin_export_roots_json_ext(out, cat, roots, n, NULL, NULL);
}

int lin_export_roots_json_ext(lin_buf *out, const lin_catalog *cat, const lin_roots *roots,
                              size_t n, const lin_query_opts *members, lin_error *err)
{
	igraph_vector_int_t ids;
	int rc = 0;
	n = n < roots->n ? n : roots->n;
	if (igraph_vector_int_init(&ids, 0) != IGRAPH_SUCCESS)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	lin_buf_puts(out, "[");
	for (size_t i = 0; i < n && !rc; i++) {
		lin_buf_puts(out, i ? ",\n " : "\n ");
		root_json(out, cat, &roots->items[i]);
		if (!members)
			continue;
		if ((rc = lin_query_members(&ids, cat, roots->items[i].vertex, members, err)))
			break;
		out->len--; /* extend the root object */
		lin_buf_puts(out, ",\"members\":[");
		for (igraph_integer_t k = 0; k < igraph_vector_int_size(&ids); k++) {
			lin_buf_puts(out, k ? "," : "");
			lin_json_string(out, lin_catalog_model(cat, VECTOR(ids)[k])->id);
		}
		lin_buf_puts(out, "]}");
	}
	lin_buf_puts(out, n ? "\n]\n" : "]\n");
	igraph_vector_int_destroy(&ids);
	if (!rc && out->oom)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	return rc;
}

static void path_json(lin_buf *out, const lin_catalog *cat, const igraph_vector_int_t *p)
{
	const igraph_t *g = lin_catalog_graph(cat);
	lin_buf_puts(out, "[");
	for (igraph_integer_t j = 0; j < igraph_vector_int_size(p); j++) {
		igraph_integer_t e = VECTOR(*p)[j];
		lin_buf_puts(out, j ? ",{\"from\":" : "{\"from\":");
		lin_json_string(out, lin_catalog_model(cat, IGRAPH_FROM(g, e))->id);
		lin_buf_puts(out, ",\"to\":");
		lin_json_string(out, lin_catalog_model(cat, IGRAPH_TO(g, e))->id);
		lin_buf_printf(out, ",\"relation\":\"%s\"}", lin_relation_name(lin_catalog_edge_relation(cat, e)));
	}
	lin_buf_puts(out, "]");
}

int lin_export_paths_json(lin_buf *out, const lin_catalog *cat, igraph_integer_t top,
                          igraph_integer_t bottom, const igraph_vector_int_list_t *paths)
{
	igraph_integer_t n = igraph_vector_int_list_size(paths);
	lin_buf_printf(out, "{\"schema\":%d,\"ancestor\":", LIN_JSON_SCHEMA);
	if (top >= 0)
		lin_json_string(out, lin_catalog_model(cat, top)->id);
	else
		lin_buf_puts(out, "null");
	lin_buf_puts(out, ",\"descendant\":");
	if (bottom >= 0)
		lin_json_string(out, lin_catalog_model(cat, bottom)->id);
	else
		lin_buf_puts(out, "null");
	lin_buf_puts(out, ",\"paths\":[");
	for (igraph_integer_t i = 0; i < n; i++) {
		lin_buf_puts(out, i ? ",\n  " : "\n  ");
		path_json(out, cat, igraph_vector_int_list_get_ptr(paths, i));
	}
	lin_buf_puts(out, n ? "\n]}\n" : "]}\n");
	return out->oom ? LIN_ENOMEM : 0;
}

int lin_export_stats_json(lin_buf *out, const lin_catalog *cat, const lin_stats *s,
                          lin_relmask mask)
{
	lin_buf_printf(out, "{\"schema\":%d,\"models\":%" IGRAPH_PRId ",\"derivations\":%" IGRAPH_PRId ",\"roots\":%" IGRAPH_PRId
	               ",\"leaves\":%" IGRAPH_PRId ",\"components\":%" IGRAPH_PRId ",\"by_stage\":{",
	               LIN_JSON_SCHEMA, s->models, s->edges, s->roots, s->leaves, s->components);
	const char *sep = "";
	for (int k = 0; k < LIN_STAGE_COUNT; k++, sep = ",")
		lin_buf_printf(out, "%s\"%s\":%" IGRAPH_PRId, sep, lin_stage_name((lin_stage)k), s->by_stage[k]);
	lin_buf_puts(out, "},\"by_relation\":{");
	sep = "";
	for (int k = 0; k < LIN_REL_COUNT; k++, sep = ",")
		lin_buf_printf(out, "%s\"%s\":%" IGRAPH_PRId, sep, lin_relation_name((lin_relation)k), s->by_relation[k]);
	lin_buf_puts(out, "},\"depth_histogram\":[");
	for (igraph_integer_t d = 0; d < igraph_vector_int_size(&s->depth_hist); d++)
		lin_buf_printf(out, "%s%" IGRAPH_PRId, d ? "," : "", VECTOR(s->depth_hist)[d]);
	lin_buf_puts(out, "],\"longest_chains\":[");
	for (igraph_integer_t i = 0; i < igraph_vector_int_list_size(&s->longest); i++) {
		const igraph_vector_int_t *c = igraph_vector_int_list_get_ptr(&s->longest, i);
		lin_buf_puts(out, i ? ",[" : "[");
		for (igraph_integer_t j = 0; j < igraph_vector_int_size(c); j++) {
			if (j)
				lin_buf_puts(out, ",");
			lin_json_string(out, lin_catalog_model(cat, VECTOR(*c)[j])->id);
		}
		lin_buf_puts(out, "]");
	}
	lin_buf_puts(out, "],\"widest\":[");
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(&s->widest); i++) {
		igraph_integer_t v = VECTOR(s->widest)[i], deg = lin_catalog_child_count(cat, v, mask);
		lin_buf_puts(out, i ? ",{\"id\":" : "{\"id\":");
		lin_json_string(out, lin_catalog_model(cat, v)->id);
		lin_buf_printf(out, ",\"children\":%" IGRAPH_PRId "}", deg);
	}
	lin_buf_puts(out, "]}\n");
	return out->oom ? LIN_ENOMEM : 0;
}
