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
	{"format", 'f', "svg|dot|png", "output format (default: from -o's extension, else svg)"},
	{"output", 'o', "FILE", "write to FILE (default: standard output)"},
	{"top-down", 't', NULL, "lay out top to bottom instead of left to right"},
	{"by-year", 'y', NULL, "rank models by release year"},
	{"title", 0, "TEXT", "caption of the diagram"},
	CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
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
	return LIN_FORMAT_SVG;
}

static int draw_options(const cli_cmd *cmd, const cli_args *a, lin_draw_opts *o)
{
	lin_query_opts q;
	if (cli_query_opts(cmd, a, &q) != 0)
		return CLI_USAGE;
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
	const char *path = cli_get(cmd, a, "output");
	int rc = CLI_USAGE, fmt = pick_format(cli_get(cmd, a, "format"), path);
	if (path && strcmp(path, "-") == 0)
		path = NULL;
	if (fmt < 0) {
		cli_errorf("unknown format '%s' (expected svg, dot or png)", cli_get(cmd, a, "format"));
		goto done;
	}
	if (draw_options(cmd, a, &o) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)) || (a->npos && (rc = cli_find(cat, a->pos[0], &o.focus))))
		goto done;
	rc = CLI_USAGE;
	if (lin_render(&out, cat, &o, (lin_format)fmt, &err) != 0 ||
	    (path && lin_write_atomic(path, out.data, out.len, &err) != 0)) {
		cli_error(&err);
		goto done;
	}
	rc = path ? CLI_OK : cli_emit(&out);
done:
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_draw = {
	"draw", run_draw, "[MODEL]", "draw the catalog, or one model's family, with Graphviz",
	"Without MODEL draws the whole catalog. With MODEL draws it with its ancestors\n"
	"and descendants (or only those asked for). Nodes are coloured by stage, edges\n"
	"styled by relation kind; each node links to the model's page.",
	draw_opts, 0, 1,
};

static const cli_opt docs_opts[] = {
	{"out", 'o', "DIR", "where the SVG diagrams and README.md go (default out)"},
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
	"docs", run_docs, "", "write the documentation diagrams: out/*.svg, out/README.md, graph/*.dot",
	"Writes one diagram per family (a base model and its descendants) and one of\n"
	"the whole catalog, their DOT sources, and a README.md that embeds them.",
	docs_opts, 0, 0,
};
