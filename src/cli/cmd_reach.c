/*
 * cmd_reach.c - `lineage ancestors` and `lineage descendants`: what a model
 * is built on, and what is built on it, as a tree or as JSON.
 */
#include "cli.h"

#include <string.h>

static const cli_opt reach_opts[] = {
	CLI_OPT_DEPTH, CLI_OPT_RELATION, CLI_OPT_FORMAT, CLI_OPT_CHARSET, CLI_OPT_PREFIX,
	CLI_OPT_NO_DEDUPE, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static int run_reach(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_hits hits = {NULL, 0};
	lin_query_opts o;
	lin_tree_opts t;
	lin_error err;
	igraph_integer_t v = -1;
	cli_text_sink ts;
	cli_text_sink_init(&ts);
	igraph_neimode_t mode = strcmp(cmd->name, "ancestors") == 0 ? IGRAPH_IN : IGRAPH_OUT;
	int json = cli_json(cmd, a), rc = CLI_USAGE;
	if (json < 0 || cli_query_opts(cmd, a, &o) != 0 || cli_tree_opts(cmd, a, &t) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)) || (rc = cli_find(cat, a->pos[0], &v)))
		goto done;
	/* streamed: 64 KiB at a time, never the whole answer (100,000 lines
	 * of a big family) in one buffer */
	int r = json ? lin_query_reach(&hits, cat, v, mode, &o, &err)
	             : lin_export_tree_stream(&out, &ts.sink, cat, v, mode, &o, &t, &err);
	if (r == 0 && json)
		r = lin_export_hits_json_stream(&out, &ts.sink, cat, &hits, &err);
	if (r != 0) {
		cli_error(&err);
		rc = CLI_USAGE;
		goto done;
	}
	rc = CLI_OK;
done:
	cli_text_sink_dispose(&ts);
	lin_hits_dispose(&hits);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_ancestors = {
	.name = "ancestors",
	.args = "MODEL",
	.summary = "show what a model is derived from, and how",
	.help = "Prints the model's ancestors as a tree, one line per derivation edge with\n"
	        "its relation kind; a model met again is marked (*) and not expanded again\n"
	        "(--no-dedupe: expanded wherever met, at most 10000 lines). --charset ascii\n"
	        "draws |-- and `-- (the default when the locale is not UTF-8); --prefix\n"
	        "depth starts each line with its depth instead, none with nothing. With\n"
	        "--format json: an array of models with id, name, distance, relation and via.",
	.examples = "lineage ancestors chinese-vicuna --depth 2\n"
	            "lineage ancestors alpaca --relation finetune,adapter\n"
	            "lineage ancestors vicuna --format json",
	.opts = reach_opts,
	.min_pos = 1,
	.max_pos = 1,
	.served = 1,
	.run = run_reach,
};

const cli_cmd cmd_descendants = {
	.name = "descendants",
	.args = "MODEL",
	.summary = "show the models derived from a model",
	.help = "Prints the model's descendants as a tree, one line per derivation edge with\n"
	        "its relation kind; a model met again is marked (*) and not expanded again\n"
	        "(--no-dedupe: expanded wherever met, at most 10000 lines). --charset ascii\n"
	        "draws |-- and `-- (the default when the locale is not UTF-8); --prefix\n"
	        "depth starts each line with its depth instead, none with nothing. With\n"
	        "--format json: an array of models with id, name, distance, relation and via.",
	.examples = "lineage descendants alpaca\n"
	            "lineage descendants llama --depth 1 --prefix none\n"
	            "lineage descendants llama --relation adapter --format json",
	.opts = reach_opts,
	.min_pos = 1,
	.max_pos = 1,
	.served = 1,
	.run = run_reach,
};
