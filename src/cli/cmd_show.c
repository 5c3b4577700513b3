/*
 * cmd_show.c - `lineage show MODEL` (one model's whole record, its parents
 * and children) and `lineage list` (the catalog as a table, filtered).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const cli_opt show_opts[] = {
	CLI_OPT_FORMAT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

/* "children by relation: finetune 12, adapter 3", as the Hugging Face
 * model tree counts a model's direct children (an edge per kind). */
static void child_counts(lin_buf *out, const lin_catalog *cat, igraph_integer_t v)
{
	const char *sep = "children by relation: ";
	for (int k = 0; k < LIN_REL_COUNT; k++) {
		igraph_integer_t c = lin_catalog_child_count(cat, v, LIN_REL_BIT(k));
		if (c) {
			lin_buf_printf(out, "%s%s %" IGRAPH_PRId, sep, lin_relation_name((lin_relation)k), c);
			sep = ", ";
		}
	}
	if (*sep != 'c')
		lin_buf_puts(out, "\n");
}

static int run_show(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_hits kids = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error err;
	igraph_integer_t v = -1;
	int json = cli_json(cmd, a), rc = CLI_USAGE;
	if (json < 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)) || (rc = cli_find(cat, a->pos[0], &v)))
		goto done;
	o.depth = 1;
	if (lin_query_reach(&kids, cat, v, IGRAPH_OUT, &o, &err) != 0) {
		cli_error(&err);
		rc = CLI_USAGE;
		goto done;
	}
	if (json) {
		lin_export_model_json(&out, cat, v, 1);
		out.len--;
		lin_buf_puts(&out, ",\"children\":");
		lin_export_hits_json(&out, cat, &kids);
		out.len--; /* the array's newline */
		lin_buf_puts(&out, ",\"children_by_relation\":{");
		for (int k = 0, n = 0; k < LIN_REL_COUNT; k++) {
			igraph_integer_t c = lin_catalog_child_count(cat, v, LIN_REL_BIT(k));
			if (c)
				lin_buf_printf(&out, "%s\"%s\":%" IGRAPH_PRId, n++ ? "," : "",
				               lin_relation_name((lin_relation)k), c);
		}
		lin_buf_puts(&out, "}}\n");
	} else {
		lin_export_model_text(&out, cat, v, &kids);
		child_counts(&out, cat, v);
	}
	rc = cli_emit_text(&out);
done:
	lin_hits_dispose(&kids);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_show = {
	.name = "show",
	.args = "MODEL",
	.summary = "show everything the catalog records about a model",
	.help = "Prints the model's fields, its parents (with relation, variant, note and\n"
	        "the sources of each edge), its direct children and how many children it\n"
	        "has of each relation kind (as the Hugging Face model tree counts adapters,\n"
	        "finetunes, quantizations and merges); with --format json in \"children\"\n"
	        "and \"children_by_relation\".",
	.examples = "lineage show alpaca\n"
	            "lineage show \"chinese vicuna\" --format json",
	.opts = show_opts,
	.min_pos = 1,
	.max_pos = 1,
	.served = 1,
	.run = run_show,
};

static const cli_opt list_opts[] = {
	{"stage", 's', "STAGE", "only models of this stage (pretrained, sft, rlhf, ...)"},
	{"org", 0, "ORG", "only models whose organisation contains ORG (any case)"},
	CLI_OPT_FORMAT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

/* Case-insensitive substring test. */
static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

static int run_list(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	const char *stage = cli_get(cmd, a, "stage"), *org = cli_get(cmd, a, "org");
	int json = cli_json(cmd, a), rc = CLI_USAGE, want = -1, k = 0;
	if (json < 0)
		goto done;
	if (stage && (want = lin_stage_parse(stage)) < 0) {
		cli_errorf("unknown stage '%s' (expected one of pretrained, continued-pretrain, sft, rlhf, distilled, merged, quantized, adapter, multimodal, unknown)", stage);
		goto done;
	}
	if ((rc = cli_load(a, &cat, NULL, 0)))
		goto done;
	lin_buf_puts(&out, json ? "[" : "");
	for (igraph_integer_t v = 0; v < lin_catalog_count(cat); v++) {
		const lin_model *m = lin_catalog_model(cat, v);
		if ((want >= 0 && (int)m->stage != want) || (org && !contains_ci(m->org, org)))
			continue;
		if (json) {
			lin_buf_puts(&out, k ? ",\n " : "\n ");
			lin_export_model_json(&out, cat, v, 0);
		} else {
			/* one line per model: catalog text loses its line breaks */
			const char *col[] = {m->id, m->name, m->released ? m->released : "-",
			                     m->org ? m->org : "-"};
			lin_buf c[4] = {LIN_BUF_INIT, LIN_BUF_INIT, LIN_BUF_INIT, LIN_BUF_INIT};
			for (int j = 0; j < 4; j++)
				lin_escape(&c[j], col[j], LIN_ESC_TERMINAL_LINE, 0);
			lin_buf_printf(&out, "%-28s %-32s %-18s %-10s %s\n", c[0].data ? c[0].data : "",
			               c[1].data ? c[1].data : "", lin_stage_name(m->stage),
			               c[2].data ? c[2].data : "", c[3].data ? c[3].data : "");
			for (int j = 0; j < 4; j++)
				lin_buf_dispose(&c[j]);
		}
		k++;
	}
	if (json)
		lin_buf_puts(&out, k ? "\n]\n" : "]\n");
	rc = cli_emit_text(&out);
done:
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_list = {
	.name = "list",
	.args = "",
	.summary = "list the catalog's models, optionally filtered",
	.help = "Prints one line per model: id, name, stage, release date, organisation, in\n"
	        "catalog order.",
	.examples = "lineage list --stage pretrained\n"
	            "lineage list --org meta --format json",
	.opts = list_opts,
	.min_pos = 0,
	.max_pos = 0,
	.served = 1,
	.run = run_list,
};
