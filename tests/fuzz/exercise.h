/*
 * exercise.h - what the fuzz harnesses do with a catalog once it loads:
 * every read-only query, the exports and (for small ones) the DOT writer,
 * so that a bad record shows up as a sanitizer report, not a silent pass.
 */
#ifndef LIN_FUZZ_EXERCISE_H
#define LIN_FUZZ_EXERCISE_H

#include "lineage.h"

#include <stdint.h>
#include <stdlib.h>

/* Runs the read-only queries on a loaded catalog. */
static void exercise(const lin_catalog *cat)
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

#endif
