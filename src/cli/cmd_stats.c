/*
 * cmd_stats.c - `lineage stats`: the shape of the catalog: counts by stage
 * and relation, the depth histogram, longest chains, widest fan-outs.
 */
#include "cli.h"

static const cli_opt stats_opts[] = {
	CLI_OPT_RELATION, CLI_OPT_FORMAT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static void chain_text(lin_buf *out, const lin_catalog *cat, const igraph_vector_int_t *c)
{
	for (igraph_integer_t j = 0; j < igraph_vector_int_size(c); j++)
		lin_buf_printf(out, "%s%s", j ? " -> " : "  ", lin_catalog_model(cat, VECTOR(*c)[j])->id);
	lin_buf_printf(out, "  (%" IGRAPH_PRId " step%s)\n", igraph_vector_int_size(c) - 1,
	               igraph_vector_int_size(c) == 2 ? "" : "s");
}

static void stats_text(lin_buf *out, const lin_catalog *cat, const lin_stats *s, lin_relmask mask)
{
	char buf[256];
	lin_buf_printf(out, "models       %" IGRAPH_PRId "\nderivations  %" IGRAPH_PRId "\nroots        %" IGRAPH_PRId
	               "\nleaves       %" IGRAPH_PRId "\nfamilies     %" IGRAPH_PRId " (weakly connected components)\n",
	               s->models, s->edges, s->roots, s->leaves, s->components);
	lin_buf_puts(out, "\nby stage:\n");
	for (int k = 0; k < LIN_STAGE_COUNT; k++)
		if (s->by_stage[k])
			lin_buf_printf(out, "  %-20s %" IGRAPH_PRId "\n", lin_stage_name((lin_stage)k), s->by_stage[k]);
	lin_buf_puts(out, "\nby relation:\n");
	for (int k = 0; k < LIN_REL_COUNT; k++)
		if (s->by_relation[k])
			lin_buf_printf(out, "  %-20s %" IGRAPH_PRId "\n", lin_relation_name((lin_relation)k), s->by_relation[k]);
	lin_buf_puts(out, "\ndepth (longest chain of ancestors):\n");
	for (igraph_integer_t d = 0; d < igraph_vector_int_size(&s->depth_hist); d++)
		lin_buf_printf(out, "  %3" IGRAPH_PRId "  %" IGRAPH_PRId "\n", d, VECTOR(s->depth_hist)[d]);
	lin_buf_puts(out, "\nlongest chains:\n");
	for (igraph_integer_t i = 0; i < igraph_vector_int_list_size(&s->longest); i++)
		chain_text(out, cat, igraph_vector_int_list_get_ptr(&s->longest, i));
	lin_buf_puts(out, "\nwidest fan-out (direct children):\n");
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(&s->widest); i++) {
		igraph_integer_t v = VECTOR(s->widest)[i], deg = lin_catalog_child_count(cat, v, mask);
		lin_buf_printf(out, "  %-40s %" IGRAPH_PRId "\n", cli_label(cat, v, buf, sizeof(buf)), deg);
	}
}


static int run_stats(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_stats s;
	lin_query_opts o;
	lin_error err;
	int json = cli_json(cmd, a), rc = CLI_USAGE, have = 0;
	if (json < 0 || cli_query_opts(cmd, a, &o) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)))
		goto done;
	have = 1;
	if (lin_query_stats(&s, cat, &o, &err) != 0) {
		cli_error(&err);
		rc = CLI_USAGE;
		goto done;
	}
	if (json)
		lin_export_stats_json(&out, cat, &s, o.relations);
	else
		stats_text(&out, cat, &s, o.relations);
	rc = cli_emit_text(&out);
done:
	if (have)
		lin_stats_dispose(&s);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_stats = {
	.name = "stats",
	.args = "",
	.summary = "summarise the catalog: counts, depths, longest chains, fan-out",
	.examples = "lineage stats\n"
	            "lineage stats --relation finetune,adapter --format json",
	.opts = stats_opts,
	.min_pos = 0,
	.max_pos = 0,
	.served = 1,
	.run = run_stats,
};
