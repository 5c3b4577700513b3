/*
 * cmd_draw.c - `lineage draw` (one diagram: the whole catalog or one model's
 * neighbourhood) and `lineage docs` (the documentation set in out/ and
 * graph/). Files are written atomically by the library.
 */
#include "cli.h"

#include <string.h>

static const cli_opt draw_opts[] = {
	{"ancestors", 'a', NULL, "with MODEL: draw its ancestors"},
	{"descendants", 'D', NULL, "with MODEL: draw its descendants (default: both)"},
	CLI_OPT_DEPTH, CLI_OPT_RELATION,
	{"format", 'f', "FORMAT", "svg, dot, png or mermaid (default: from -o's extension, else svg)"},
	{"output", 'o', "FILE", "write to FILE (default: standard output)"},
	{"top-down", 't', NULL, "lay out top to bottom instead of left to right"},
	{"by-year", 'y', NULL, "the evolution tree: models placed on a time axis"},
	{"quarters", 0, "auto|yes|no", "with --by-year: one rank per quarter (auto: busy years)"},
	{"group", 0, "HOW", "cluster by family, org or none (auto: family with --by-year)"},
	{"max-nodes", 'm', "N", "above N boxes, count the rest in \"+N\" boxes (default 150; 0: never)"},
	{"max-edges", 0, "N", "the same above N edges (default 400; 0: never)"},
	{"reduce", 0, NULL, "leave out an edge to a base's base (transitive reduction)"},
	{"no-stagger", 0, NULL, "do not spread the leaves of wide families over several ranks"},
	{"title", 0, "TEXT", "caption of the diagram"},
	CLI_OPT_SELECT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

/* The format from --format, else from the output file's extension. */
static int pick_format(const char *fmt, const char *path)
{
	if (fmt)
		return lin_format_parse(fmt);
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (dot && (strcmp(dot, ".dot") == 0 || strcmp(dot, ".gv") == 0))
		return LIN_FORMAT_DOT;
	if (dot && strcmp(dot, ".png") == 0)
		return LIN_FORMAT_PNG;
	if (dot && (strcmp(dot, ".mmd") == 0 || strcmp(dot, ".mermaid") == 0))
		return LIN_FORMAT_MERMAID;
	return LIN_FORMAT_SVG;
}

static int draw_options(const cli_cmd *cmd, const cli_args *a, lin_draw_opts *o)
{
	lin_query_opts q;
	const char *quarters = cli_get(cmd, a, "quarters"), *group = cli_get(cmd, a, "group");
	const char *max = cli_get(cmd, a, "max-nodes"), *emax = cli_get(cmd, a, "max-edges");
	if (cli_query_opts(cmd, a, &q) != 0)
		return CLI_USAGE;
	if (max && cli_int("--max-nodes", max, &o->max_nodes) != 0)
		return CLI_USAGE;
	if (o->max_nodes > LIN_DRAW_MAX_NODES_LIMIT) {
		cli_errorf("--max-nodes is at most %d (dot's layout time grows fast with size)",
		           LIN_DRAW_MAX_NODES_LIMIT);
		return CLI_USAGE;
	}
	if (emax && cli_int("--max-edges", emax, &o->max_edges) != 0)
		return CLI_USAGE;
	if (o->max_edges > LIN_DRAW_MAX_EDGES_LIMIT) {
		cli_errorf("--max-edges is at most %d (dot's layout time grows fast with size)",
		           LIN_DRAW_MAX_EDGES_LIMIT);
		return CLI_USAGE;
	}
	if (group && (int)(o->group = (lin_group)lin_group_parse(group)) < 0) {
		cli_errorf("unknown --group '%s' (expected auto, family, org or none)", group);
		return CLI_USAGE;
	}
	if (quarters) {
		if (strcmp(quarters, "auto") == 0)
			o->quarters = -1;
		else if (strcmp(quarters, "yes") == 0)
			o->quarters = 1;
		else if (strcmp(quarters, "no") == 0)
			o->quarters = 0;
		else {
			cli_errorf("unknown --quarters '%s' (expected auto, yes or no)", quarters);
			return CLI_USAGE;
		}
	}
	o->reduce = cli_flag(cmd, a, "reduce");
	if (cli_flag(cmd, a, "no-stagger"))
		o->stagger = 0;
	o->relations = q.relations;
	o->depth = q.depth;
	o->ancestors = cli_flag(cmd, a, "ancestors");
	o->descendants = cli_flag(cmd, a, "descendants");
	o->left_to_right = !cli_flag(cmd, a, "top-down");
	o->by_year = cli_flag(cmd, a, "by-year");
	o->title = cli_get(cmd, a, "title");
	return 0;
}

static int run_draw(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_error err;
	igraph_vector_int_t sel = {0};
	const char *path = cli_get(cmd, a, "output");
	int rc = CLI_USAGE, fmt = pick_format(cli_get(cmd, a, "format"), path);
	if (path && strcmp(path, "-") == 0)
		path = NULL;
	if (fmt < 0) {
		cli_errorf("unknown format '%s' (expected svg, dot, png or mermaid)",
		           cli_get(cmd, a, "format"));
		goto done;
	}
	if (draw_options(cmd, a, &o) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)) || (a->npos && (rc = cli_find(cat, a->pos[0], &o.focus))))
		goto done;
	rc = CLI_USAGE;
	if (igraph_vector_int_init(&sel, 0) != IGRAPH_SUCCESS)
		goto done;
	int selected = cli_select(cmd, a, cat, o.relations, &sel);
	if (selected == CLI_USAGE)
		goto done;
	if (selected == 0 && a->npos) {
		cli_errorf("give MODEL or --select, not both");
		goto done;
	}
	if (selected == 0) {
		o.select = &sel;
		if (!o.title) /* the caption says what was selected */
			o.title = cli_get(cmd, a, "select");
	}
	if (lin_render(&out, cat, &o, (lin_format)fmt, &err) != 0 ||
	    (path && lin_write_atomic(path, out.data, out.len, &err) != 0)) {
		cli_error(&err);
		goto done;
	}
	rc = path ? CLI_OK : cli_emit(&out);
done:
	if (sel.stor_begin)
		igraph_vector_int_destroy(&sel);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_draw = {
	.name = "draw",
	.args = "[MODEL]",
	.summary = "draw the catalog, or one model's family, with Graphviz",
	.help = "Without MODEL draws the whole catalog. With MODEL draws it with its ancestors\n"
	        "and descendants (or only those asked for). Nodes are coloured by stage, edges\n"
	        "styled by relation kind; each node links to the model's page. Above\n"
	        "--max-nodes models (or --max-edges edges) the most-derived are kept and the\n"
	        "others are counted in \"+N\" boxes by relation kind, as the caption says; a\n"
	        "big drawing is laid out with a bounded amount of work. --by-year draws the\n"
	        "evolution tree: one rank per year (or quarter), grouped by base family.\n"
	        "--select EXPR draws the models a query expression selects (lineage query).",
	.examples = "lineage draw llama --descendants -o llama.svg\n"
	            "lineage draw --by-year -o evolution.svg\n"
	            "lineage draw vicuna -f mermaid",
	.opts = draw_opts,
	.min_pos = 0,
	.max_pos = 1,
	.run = run_draw,
};

static const cli_opt docs_opts[] = {
	{"out", 0, "DIR", "where the SVG diagrams and README.md go (default out)"},
	{"graph", 'g', "DIR", "where the DOT sources go (default graph)"},
	CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static int run_docs(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_error err;
	const char *out = cli_get(cmd, a, "out"), *graph = cli_get(cmd, a, "graph");
	int rc = cli_load(a, &cat, NULL, 0);
	if (rc)
		return rc;
	if (lin_docs_write(cat, out ? out : "out", graph ? graph : "graph", &err) != 0) {
		cli_error(&err);
		rc = CLI_USAGE;
	}
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_docs = {
	.name = "docs",
	.args = "",
	.summary = "write the documentation: out/index.html, out/*.svg, out/README.md, graph/",
	.help = "Writes the evolution tree, one diagram per family (a base model and its\n"
	        "descendants) and one of the whole catalog as SVG, their DOT sources and\n"
	        "Mermaid versions in graph/, a README.md that embeds them for GitHub, and\n"
	        "index.html: one self-contained page with the diagrams, a search box and a\n"
	        "card per model, that works opened straight from disk.",
	.examples = "lineage docs\n"
	            "lineage docs --out site --graph site/graph",
	.opts = docs_opts,
	.min_pos = 0,
	.max_pos = 0,
	.run = run_docs,
};
