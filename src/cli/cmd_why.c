/*
 * cmd_why.c - `lineage is-ancestor A B` (a test for shell scripts, as `git
 * merge-base --is-ancestor`: the exit status is the answer) and `lineage
 * why A B` (the chain by which B derives from A, as a tree, as `nix
 * why-depends`). A model is its own ancestor through a chain of no steps,
 * as git counts a commit its own ancestor and `common` counts it.
 */
#include "cli.h"

#include <stdio.h>

static const cli_opt is_ancestor_opts[] = {
	CLI_OPT_RELATION, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static int run_is_ancestor(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_hits hits = {NULL, 0};
	lin_query_opts o;
	lin_error err;
	igraph_integer_t x = -1, y = -1;
	int rc = CLI_USAGE;
	if (cli_query_opts(cmd, a, &o) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)) || (rc = cli_find(cat, a->pos[0], &x)) ||
	    (rc = cli_find(cat, a->pos[1], &y)))
		goto done;
	rc = CLI_NO;
	if (x == y) {
		rc = CLI_OK;
		goto done;
	}
	if (lin_query_reach(&hits, cat, y, IGRAPH_IN, &o, &err) != 0) {
		cli_error(&err);
		rc = CLI_USAGE;
		goto done;
	}
	for (size_t i = 0; i < hits.n && rc; i++)
		if (hits.items[i].vertex == x)
			rc = CLI_OK;
done:
	lin_hits_dispose(&hits);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_is_ancestor = {
	.name = "is-ancestor",
	.args = "A B",
	.summary = "exit 0 when A is an ancestor of B, 1 when not; prints nothing",
	.help = "For scripts: `if lineage is-ancestor llama alpaca; then ...`. B derives\n"
	        "from A through any number of steps of the relation kinds given (all by\n"
	        "default). A model is its own ancestor, as git counts a commit: `is-ancestor\n"
	        "A A` exits 0, as `path A A` and `why A A` find a chain of no steps and\n"
	        "`common A A` is A.",
	.examples = "lineage is-ancestor llama alpaca && echo derived\n"
	            "lineage is-ancestor llama vicuna --relation finetune,adapter",
	.exits = "0 A is an ancestor of B (or is B), 1 it is not, 2 usage or input error",
	.opts = is_ancestor_opts,
	.min_pos = 2,
	.max_pos = 2,
	.served = 1,
	.run = run_is_ancestor,
};

static const cli_opt why_opts[] = {
	{"all", 0, NULL, "every shortest chain (at most 100), not only the first"},
	CLI_OPT_RELATION, CLI_OPT_FORMAT, CLI_OPT_CHARSET, CLI_OPT_PREFIX, CLI_OPT_DATA, CLI_OPT_HELP,
	CLI_OPT_END,
};

static int run_why(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	igraph_vector_int_list_t paths;
	lin_query_opts o;
	lin_tree_opts t;
	lin_error err;
	igraph_integer_t top = -1, bottom = -1;
	int json = cli_json(cmd, a), rc = CLI_USAGE, found = 1;
	igraph_vector_int_list_init(&paths, 0);
	if (json < 0 || cli_query_opts(cmd, a, &o) != 0 || cli_tree_opts(cmd, a, &t) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)) || (rc = cli_find(cat, a->pos[0], &top)) ||
	    (rc = cli_find(cat, a->pos[1], &bottom)))
		goto done;
	rc = CLI_USAGE;
	if (top == bottom) /* a chain of no steps */
		igraph_vector_int_list_push_back_new(&paths, NULL);
	else if (lin_query_paths(&paths, cat, top, bottom, &o, &err) != 0)
		goto fail;
	if (igraph_vector_int_list_size(&paths) == 0) {
		cli_errorf("'%s' does not derive from '%s'", lin_catalog_model(cat, bottom)->id,
		           lin_catalog_model(cat, top)->id);
		found = 0;
	} else if (!cli_flag(cmd, a, "all")) {
		igraph_vector_int_list_resize(&paths, 1);
	} else if (igraph_vector_int_list_size(&paths) == LIN_PATHS_MAX) {
		cli_errorf("showing the first %d shortest chains; there may be more", LIN_PATHS_MAX);
	}
	if (json && lin_export_paths_json(&out, cat, found ? top : -1, found ? bottom : -1, &paths) != 0)
		goto oom;
	if (!json && found && lin_export_why(&out, cat, top, &paths, &t, &err) != 0)
		goto fail;
	rc = cli_emit_text(&out);
	if (rc == 0 && !found)
		rc = CLI_NO;
	goto done;
oom:
	cli_errorf("out of memory");
	goto done;
fail:
	cli_error(&err);
done:
	igraph_vector_int_list_destroy(&paths);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_why = {
	.name = "why",
	.args = "A B",
	.summary = "show the chain by which B derives from A, as a tree with relation kinds",
	.help = "Prints A, then each step down to B with its relation kind, as `nix\n"
	        "why-depends` does: the first shortest chain, or with --all every shortest\n"
	        "chain (at most 100), chains that start alike drawn once up to where they\n"
	        "part. `why A A` prints A (a model is its own ancestor). With --format\n"
	        "json: the same object as `path`, {schema, ancestor, descendant, paths}.",
	.examples = "lineage why llama chinese-vicuna-medical\n"
	            "lineage why gpt-3 vicuna --all\n"
	            "lineage why llama koala --format json",
	.exits = "0 B derives from A, 1 it does not, 2 usage or input error",
	.opts = why_opts,
	.min_pos = 2,
	.max_pos = 2,
	.served = 1,
	.run = run_why,
};
