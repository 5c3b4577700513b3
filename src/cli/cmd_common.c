/*
 * cmd_common.c - `lineage common A B`: the nearest models both derive from.
 */
#include "cli.h"

static const cli_opt common_opts[] = {
	CLI_OPT_DEPTH, CLI_OPT_RELATION, CLI_OPT_FORMAT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static int run_common(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_hits hits = {NULL, 0};
	lin_query_opts o;
	lin_error err;
	igraph_integer_t x = -1, y = -1;
	char buf[256];
	int json = cli_json(cmd, a), rc = CLI_USAGE;
	if (json < 0 || cli_query_opts(cmd, a, &o) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)) || (rc = cli_find(cat, a->pos[0], &x)) ||
	    (rc = cli_find(cat, a->pos[1], &y)))
		goto done;
	if (lin_query_common(&hits, cat, x, y, &o, &err) != 0) {
		cli_error(&err);
		rc = CLI_USAGE;
		goto done;
	}
	if (json)
		lin_export_hits_json(&out, cat, &hits);
	for (size_t i = 0; !json && i < hits.n; i++)
		lin_buf_printf(&out, "%s  (%d step%s in all)\n", cli_label(cat, hits.items[i].vertex, buf, sizeof(buf)),
		               hits.items[i].distance, hits.items[i].distance == 1 ? "" : "s");
	if (hits.n == 0)
		cli_errorf("'%s' and '%s' have no common ancestor", lin_catalog_model(cat, x)->id,
		           lin_catalog_model(cat, y)->id);
	rc = cli_emit_text(&out);
	if (rc == 0 && hits.n == 0)
		rc = CLI_NO;
done:
	lin_hits_dispose(&hits);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_common = {
	.name = "common",
	.args = "A B",
	.summary = "show the nearest common ancestors of two models",
	.help = "A common ancestor is nearest when none of its children is also a common\n"
	        "ancestor. A model counts as its own ancestor, so `common alpaca llama` is\n"
	        "llama (and `is-ancestor A A` and `path A A` agree). Sorted by the steps\n"
	        "from both models.",
	.examples = "lineage common vicuna chinese-alpaca\n"
	            "lineage common koala vicuna --format json",
	.exits = "0 a common ancestor was found, 1 none exists, 2 usage or input error",
	.opts = common_opts,
	.min_pos = 2,
	.max_pos = 2,
	.served = 1,
	.run = run_common,
};
