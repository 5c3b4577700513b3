/*
 * cmd_path.c - `lineage path FROM TO`: every shortest derivation chain
 * between two models, with the relation kind of each step. The chain is
 * looked for in both directions, so the order of the two names is free.
 */
#include "cli.h"

#include <stdio.h>

static const cli_opt path_opts[] = {
	CLI_OPT_RELATION, CLI_OPT_FORMAT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static void path_text(lin_buf *out, const lin_catalog *cat, igraph_integer_t from,
                      const igraph_vector_int_t *p)
{
	const igraph_t *g = lin_catalog_graph(cat);
	if (igraph_vector_int_size(p) == 0) /* a model and itself: no step */
		lin_buf_puts(out, lin_catalog_model(cat, from)->id);
	for (igraph_integer_t j = 0; j < igraph_vector_int_size(p); j++) {
		igraph_integer_t e = VECTOR(*p)[j];
		if (j == 0)
			lin_buf_puts(out, lin_catalog_model(cat, IGRAPH_FROM(g, e))->id);
		lin_buf_printf(out, " -[%s]-> %s", lin_relation_name(lin_catalog_edge_relation(cat, e)),
		               lin_catalog_model(cat, IGRAPH_TO(g, e))->id);
	}
	lin_buf_puts(out, "\n");
}



static int run_path(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	igraph_vector_int_list_t paths;
	lin_query_opts o;
	lin_error err;
	igraph_integer_t from = -1, to = -1;
	int json = cli_json(cmd, a), rc = CLI_USAGE;
	igraph_vector_int_list_init(&paths, 0);
	if (json < 0 || cli_query_opts(cmd, a, &o) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)) || (rc = cli_find(cat, a->pos[0], &from)) ||
	    (rc = cli_find(cat, a->pos[1], &to)))
		goto done;
	rc = CLI_USAGE;
	if (from == to) /* a model is its own ancestor, through no step */
		igraph_vector_int_list_push_back_new(&paths, NULL);
	else if (lin_query_paths(&paths, cat, from, to, &o, &err) != 0)
		goto fail;
	if (igraph_vector_int_list_size(&paths) == 0) {
		igraph_integer_t t = from;
		from = to;
		to = t;
		if (lin_query_paths(&paths, cat, from, to, &o, &err) != 0)
			goto fail;
	}
	if (igraph_vector_int_list_size(&paths) == 0) {
		cli_errorf("no derivation path between '%s' and '%s'", lin_catalog_model(cat, to)->id,
		           lin_catalog_model(cat, from)->id);
		from = to = -1;
	}
	if (igraph_vector_int_list_size(&paths) == LIN_PATHS_MAX)
		cli_errorf("showing the first %d shortest chains; there may be more", LIN_PATHS_MAX);
	if (json)
		lin_export_paths_json(&out, cat, from, to, &paths);
	for (igraph_integer_t i = 0; !json && i < igraph_vector_int_list_size(&paths); i++)
		path_text(&out, cat, from, igraph_vector_int_list_get_ptr(&paths, i));
	rc = cli_emit_text(&out);
	if (rc == 0 && from < 0)
		rc = CLI_NO;
	goto done;
fail:
	cli_error(&err);
done:
	igraph_vector_int_list_destroy(&paths);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_path = {
	.name = "path",
	.args = "FROM TO",
	.summary = "show every shortest derivation chain between two models",
	.help = "Prints each chain on one line, ancestor first: a -[finetune]-> b -[adapter]-> c.\n"
	        "The two models may be given in either order. A model is its own ancestor\n"
	        "through a chain of no steps: `path A A` prints A (as `is-ancestor A A`\n"
	        "and `common A A` agree). With --format json:\n"
	        "{schema, ancestor, descendant, paths: [[{from, to, relation}]]}.",
	.examples = "lineage path llama chinese-vicuna-medical\n"
	            "lineage path alpaca llama --format json",
	.exits = "0 a chain was found, 1 none exists, 2 usage or input error",
	.opts = path_opts,
	.min_pos = 2,
	.max_pos = 2,
	.served = 1,
	.run = run_path,
};
