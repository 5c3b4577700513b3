/*
 * cmd_query.c - `lineage query EXPR`: the set of models a query-language
 * expression selects (src/lib/query/lang.c), as ids, JSON, NDJSON, or
 * drawn by the renderer `draw` uses (--output graph).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const cli_opt query_opts[] = {
	{"format", 'f', "FORMAT", "text, json or ndjson; with --output graph: dot, svg, png or mermaid (default dot)"},
	{"output", 'o', "ids|graph", "print the models' ids (default), or draw the selection (as bazel query --output)"},
	CLI_OPT_RELATION, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

/* --format for a list of models: 0 text, 1 json, 2 ndjson; -1 after an error. */
static int list_format(const char *f)
{
	static const char *const names[] = {"text", "json", "ndjson"};
	for (int i = 0; i < 3; i++)
		if (!f || strcmp(f, names[i]) == 0)
			return f ? i : 0;
	cli_errorf("unknown format '%s' (expected text, json or ndjson; dot, svg, png or mermaid "
	           "with --output graph)", f);
	return -1;
}

/* The selection drawn: every model of it, none collapsed past the limits
 * `draw` refuses, edges of the followed relations between them. */
static int draw_set(lin_buf *out, const lin_catalog *cat, const igraph_vector_int_t *set,
                    lin_relmask mask, const char *fmt_name, const char *expr)
{
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_error err;
	char title[160];
	int fmt = lin_format_parse(fmt_name ? fmt_name : "dot");
	if (fmt < 0) {
		cli_errorf("unknown format '%s' (expected dot, svg, png or mermaid)", fmt_name);
		return CLI_USAGE;
	}
	snprintf(title, sizeof(title), "%s", expr);
	o.select = set;
	o.relations = mask;
	o.title = title;
	if (lin_render(out, cat, &o, (lin_format)fmt, &err) != 0) {
		cli_error(&err);
		return CLI_USAGE;
	}
	return cli_emit(out);
}

static int run_query(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_query_opts o;
	lin_error err;
	igraph_vector_int_t set = {0};
	const char *expr = a->pos[0], *output = cli_get(cmd, a, "output");
	const char *fmt = cli_get(cmd, a, "format");
	int graph = output && strcmp(output, "graph") == 0, rc = CLI_USAGE, listing = 0;
	if (output && !graph && strcmp(output, "ids") != 0) {
		cli_errorf("unknown --output '%s' (expected ids or graph)", output);
		goto done;
	}
	if ((!graph && (listing = list_format(fmt)) < 0) || cli_query_opts(cmd, a, &o) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)))
		goto done;
	rc = CLI_USAGE;
	if (igraph_vector_int_init(&set, 0) != IGRAPH_SUCCESS) {
		cli_errorf("out of memory");
		goto done;
	}
	if (lin_query_eval(&set, cat, expr, &o, &err) != 0) {
		cli_query_error(&err, expr);
		goto done;
	}
	if (graph) {
		rc = draw_set(&out, cat, &set, o.relations, fmt, expr);
		goto done;
	}
	if (lin_export_set(&out, cat, &set, listing) != 0) {
		cli_errorf("out of memory");
		goto done;
	}
	rc = listing ? cli_emit(&out) : cli_emit_text(&out);
done:
	if (set.stor_begin)
		igraph_vector_int_destroy(&set);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_query = {
	.name = "query",
	.args = "EXPR",
	.summary = "the models a query expression selects (sets, functions, let)",
	.help = "Evaluates EXPR and prints the ids of the models it selects, sorted. Sets:\n"
	        "a model name (quoted if it has spaces), ancestors(S[, DEPTH]) and\n"
	        "descendants(S[, DEPTH]) (both include S), allpaths(FROM, TO), somepath(FROM, TO),\n"
	        "roots([S]), leaves([S]), all(). Filters (S defaults to every model):\n"
	        "kind(RELATION[, S]) (reached through that relation), stage(STAGE[, S]),\n"
	        "attr(FIELD, VALUE[, S]) (org, license, weights, architecture, ...),\n"
	        "released(>=2023-01[, S]) (also <=, <, >, =). Operators: union or +, intersect or\n"
	        "^, except or -, left to right; parentheses; let v = EXPR in EXPR, then $v.\n"
	        "--relation limits what the traversals follow. The same expression selects\n"
	        "what draw --select and export --select write.",
	.examples = "lineage query 'ancestors(chinese-vicuna) except ancestors(alpaca)'\n"
	            "lineage query 'kind(adapter, descendants(llama, 1))'\n"
	            "lineage query 'attr(weights, open, released(>=2023, descendants(llama-2)))' --format json",
	.exits = "0 ok (also for an empty set), 2 a syntax error, an unknown name or function (the message gives the column)",
	.opts = query_opts,
	.min_pos = 1,
	.max_pos = 1,
	.served = 1,
	.run = run_query,
};
