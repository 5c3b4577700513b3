/*
 * cmd_roots.c - `lineage roots`: the most-derived base models, ranked by how
 * many models derive from them, with counts by relation kind.
 */
#include "cli.h"

#include <string.h>

static const cli_opt roots_opts[] = {
	{"top", 'n', "N", "show only the first N (default: all)"},
	{"members", 0, NULL, "list each base's descendants (ids, sorted) below it; JSON: \"members\""},
	CLI_OPT_RELATION, CLI_OPT_FORMAT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static void root_text(lin_buf *out, const lin_catalog *cat, const lin_root *r, size_t rank,
                      int width)
{
	char buf[256];
	lin_buf_printf(out, "%3zu. %-*s %6" IGRAPH_PRId "  ", rank, width,
	               cli_label(cat, r->vertex, buf, sizeof(buf)), r->total);
	const char *sep = "";
	for (int k = 0; k < LIN_REL_COUNT; k++)
		if (r->by_relation[k]) {
			lin_buf_printf(out, "%s%s %" IGRAPH_PRId, sep, lin_relation_name((lin_relation)k), r->by_relation[k]);
			sep = ", ";
		}
	lin_buf_puts(out, "\n");
}


static int run_roots(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_roots roots = {NULL, 0};
	lin_query_opts o;
	lin_error err;
	igraph_vector_int_t ids;
	int members = cli_flag(cmd, a, "members");
	int json = cli_json(cmd, a), rc = CLI_USAGE, top = -1;
	const char *topv = cli_get(cmd, a, "top");
	igraph_vector_int_init(&ids, 0);
	if (json < 0 || cli_query_opts(cmd, a, &o) != 0 || (topv && cli_int("--top", topv, &top)))
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)))
		goto done;
	if (lin_query_roots(&roots, cat, &o, &err) != 0) {
		cli_error(&err);
		rc = CLI_USAGE;
		goto done;
	}
	size_t n = top >= 0 && (size_t)top < roots.n ? (size_t)top : roots.n;
	/* the model column is as wide as the widest label shown, 40 to 70 */
	int width = 40;
	char buf[256];
	for (size_t i = 0; i < n; i++) {
		int w = (int)strlen(cli_label(cat, roots.items[i].vertex, buf, sizeof(buf)));
		width = w > width ? (w < 70 ? w : 70) : width;
	}
	if (json && lin_export_roots_json_ext(&out, cat, &roots, n, members ? &o : NULL, &err) != 0)
		goto fail;
	if (!json)
		lin_buf_printf(&out, "     %-*s %6s  %s\n", width, "BASE MODEL", "MODELS", "BY RELATION");
	for (size_t i = 0; i < n && !json; i++) {
		root_text(&out, cat, &roots.items[i], i + 1, width);
		if (members && lin_query_members(&ids, cat, roots.items[i].vertex, &o, &err) != 0)
			goto fail;
		/* one id a line, below the label: cut, grep and sort read them */
		for (igraph_integer_t k = 0; members && k < igraph_vector_int_size(&ids); k++) {
			lin_buf_puts(&out, "       ");
			lin_escape(&out, lin_catalog_model(cat, VECTOR(ids)[k])->id, LIN_ESC_TERMINAL_LINE, 0);
			lin_buf_puts(&out, "\n");
		}
	}
	rc = cli_emit_text(&out);
	goto done;
fail:
	cli_error(&err);
	rc = CLI_USAGE;
done:
	igraph_vector_int_destroy(&ids);
	lin_roots_dispose(&roots);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_roots = {
	.name = "roots",
	.args = "",
	.summary = "rank base models by how many models derive from them",
	.help = "A base (root) is a model with no parent under the relation filter. Each\n"
	        "descendant is counted once, by the relation through which it joins the\n"
	        "family on a shortest chain. Ties are ordered by id. --members lists the\n"
	        "descendants themselves, one id a line below each base (with --format json\n"
	        "a \"members\" array), so models that share a base take one call.",
	.examples = "lineage roots --top 4\n"
	            "lineage roots --members --top 2\n"
	            "lineage roots --relation finetune,adapter --format json",
	.opts = roots_opts,
	.min_pos = 0,
	.max_pos = 0,
	.served = 1,
	.run = run_roots,
};
