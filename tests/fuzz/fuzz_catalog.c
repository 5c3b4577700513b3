/*
 * fuzz_catalog.c - libFuzzer harness for the catalog loader: any bytes go in
 * as a catalog file; when they load, the graph is built and every query and
 * the DOT writer run on it. Crashes, leaks, hangs and sanitizer reports are
 * findings. Built with -DLINEAGE_FUZZ=ON (clang).
 */
#include "lineage.h"

#include <stdint.h>
#include <stdlib.h>

/* Runs the read-only queries on a loaded catalog. */
static void exercise(lin_catalog *cat)
{
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error err;
	lin_hits hits = {NULL, 0};
	lin_roots roots = {NULL, 0};
	lin_stats st;
	lin_buf out = LIN_BUF_INIT;
	igraph_integer_t n = lin_catalog_count(cat);
	igraph_vector_int_list_t paths;
	if (n == 0)
		return;
	igraph_vector_int_list_init(&paths, 0);
	lin_query_reach(&hits, cat, n - 1, IGRAPH_IN, &o, &err);
	lin_export_hits_json(&out, cat, &hits);
	lin_hits_dispose(&hits);
	lin_export_tree(&out, cat, n - 1, IGRAPH_IN, &o, &err);
	lin_export_tree(&out, cat, 0, IGRAPH_OUT, &o, &err);
	lin_query_paths(&paths, cat, 0, n - 1, &o, &err);
	lin_query_common(&hits, cat, 0, n - 1, &o, &err);
	lin_hits_dispose(&hits);
	lin_query_roots(&roots, cat, &o, &err);
	lin_roots_dispose(&roots);
	lin_query_stats(&st, cat, &o, &err);
	lin_stats_dispose(&st);
	for (igraph_integer_t v = 0; v < n && v < 4; v++)
		lin_export_model_json(&out, cat, v, 1);
	if (n <= 300) {
		lin_draw_opts d = LIN_DRAW_OPTS_INIT;
		lin_render(&out, cat, &d, LIN_FORMAT_DOT, &err);
	}
	igraph_vector_int_list_destroy(&paths);
	lin_buf_dispose(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lin_catalog *cat = NULL;
	lin_diags diags;
	lin_error err;
	igraph_integer_t v;
	lin_diags_init(&diags);
	if (lin_catalog_new(&cat, &err) != 0)
		return 0;
	if (lin_catalog_load_buffer(cat, "fuzz.yaml", (const char *)data, size, &diags, &err) == 0 &&
	    lin_catalog_finish(cat, &diags, &err) == 0) {
		exercise(cat);
		lin_catalog_find(&v, cat, "llama", &err);
	}
	lin_diags_dispose(&diags);
	lin_catalog_free(cat);
	return 0;
}
