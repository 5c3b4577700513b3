/*
 * cmd_draw.c - `lineage draw` (one diagram: the whole catalog or one model's
 * neighbourhood) and `lineage docs` (the documentation set in out/ and
 * graph/). Files are written atomically by the library.
 */
#include "cli.h"

#include <string.h>
#include <strings.h>
#include <unistd.h>

static const cli_opt draw_opts[] = {
	{"ancestors", 'a', NULL, "with MODEL: draw its ancestors"},
	{"descendants", 'D', NULL, "with MODEL: draw its descendants (default: both)"},
	CLI_OPT_DEPTH, CLI_OPT_RELATION,
	{"format", 'f', "FORMAT", "svg, png, pdf, dot or mermaid (default: from -o's extension, else svg)"},
	{"scale", 0, "N", "png: N times the default resolution (1 to 8; 2 doubles the width)"},
	{"output", 'o', "FILE", "write to FILE (default: standard output)"},
	{"top-down", 't', NULL, "lay out top to bottom instead of left to right"},
	{"by-year", 'y', NULL, "the evolution tree: models placed on a time axis"},
	{"quarters", 0, "auto|yes|no", "with --by-year: one rank per quarter (auto: busy years)"},
	{"group", 0, "HOW", "cluster by family, org, architecture (lanes) or none (auto: none)"},
	{"max-nodes", 'm', "N", "above N boxes, count the rest in \"+N\" boxes (default 150, 2000 with --by-year; 0: never)"},
	{"max-edges", 0, "N", "the same above N edges (default 400; 0: never)"},
	{"reduce", 0, NULL, "leave out an edge to a base's base (transitive reduction)"},
	{"no-stagger", 0, NULL, "do not spread the leaves of wide families over several ranks"},
	{"title", 0, "TEXT", "caption of the diagram"},
	{"since", 0, "YYYY[-MM]", "only models released then or later"},
	{"until", 0, "YYYY[-MM]", "only models released then or earlier"},
	{"weights", 0, "open|closed", "only models with open (or closed) weights"},
	{"stage", 's', "S[,S]", "only models of these stages (pretrained, sft, rlhf, quantized, ...)"},
	CLI_OPT_SELECT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

#define FORMATS "svg, png, pdf, dot or mermaid"

/* The format from --format, else from the output file's extension: one it
 * writes, one it knows it cannot (an image or document format: an error
 * naming the ones it can), anything else (none, "tmp.X3k9") SVG. -1 after
 * saying why not. */
static int pick_format(const char *fmt, const char *path)
{
	static const struct {
		const char *ext;
		lin_format fmt;
	} exts[] = {
		{".svg", LIN_FORMAT_SVG}, {".png", LIN_FORMAT_PNG},     {".pdf", LIN_FORMAT_PDF},
		{".dot", LIN_FORMAT_DOT}, {".gv", LIN_FORMAT_DOT},      {".mmd", LIN_FORMAT_MERMAID},
		{".mermaid", LIN_FORMAT_MERMAID},
	};
	static const char *const cannot[] = {
		".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".avif", ".heic", ".ico",
		".ps", ".eps", ".emf", ".wmf", ".svgz", ".html", ".htm", ".json", ".xml", ".txt",
		".md", ".tex",
	};
	int f = -1;
	if (fmt) {
		if ((f = lin_format_parse(fmt)) < 0)
			cli_errorf("unknown format '%s' (expected " FORMATS ")", fmt);
		return f;
	}
	const char *base = path ? strrchr(path, '/') : NULL;
	base = base ? base + 1 : path;
	const char *dot = base ? strrchr(base, '.') : NULL;
	if (!dot || dot == base)
		return LIN_FORMAT_SVG;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcasecmp(dot, exts[i].ext) == 0)
			return (int)exts[i].fmt;
	for (size_t i = 0; i < sizeof(cannot) / sizeof(cannot[0]); i++)
		if (strcasecmp(dot, cannot[i]) == 0) {
			cli_errorf("cannot write '%s' files (-o %s): the formats are " FORMATS
			           " (.svg .png .pdf .dot .gv .mmd), or name one with -f", dot, path);
			return -1;
		}
	return LIN_FORMAT_SVG;
}

/* Whether fmt is bytes that would garble a terminal. */
static int is_binary(int fmt)
{
	return fmt == LIN_FORMAT_PNG || fmt == LIN_FORMAT_PDF;
}

static int draw_options(const cli_cmd *cmd, const cli_args *a, lin_draw_opts *o)
{
	lin_query_opts q;
	const char *quarters = cli_get(cmd, a, "quarters"), *group = cli_get(cmd, a, "group");
	const char *max = cli_get(cmd, a, "max-nodes"), *emax = cli_get(cmd, a, "max-edges");
	const char *scale = cli_get(cmd, a, "scale");
	if (cli_query_opts(cmd, a, &q) != 0)
		return CLI_USAGE;
	if (scale && cli_int("--scale", scale, &o->scale) != 0)
		return CLI_USAGE;
	if (scale && (o->scale < 1 || o->scale > LIN_DRAW_SCALE_MAX)) {
		cli_errorf("--scale is a whole number from 1 to %d", LIN_DRAW_SCALE_MAX);
		return CLI_USAGE;
	}
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
		cli_errorf("unknown --group '%s' (expected auto, family, org, architecture or none)", group);
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
	/* the evolution tree holds every model unless told otherwise (up to
	 * what dot can lay out) */
	if (o->by_year && !max)
		o->max_nodes = LIN_DRAW_MAX_NODES_LIMIT;
	o->title = cli_get(cmd, a, "title");
	return 0;
}

/* A date of --since/--until: YYYY or YYYY-MM. */
static int is_month(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if (!(i == 4 ? s[i] == '-' : s[i] >= '0' && s[i] <= '9'))
			return 0;
	return (n == 4 || (n == 7 && (s[5] - '0') * 10 + (s[6] - '0') >= 1 &&
	                   (s[5] - '0') * 10 + (s[6] - '0') <= 12)) && s[0] != '0';
}

/* --since, --until, --weights and --stage as one query-language filter
 * over SET ("released(>=2023, attr(weights, open, all()))") into expr,
 * and what they select in words into what; expr stays empty when none is
 * given. CLI_USAGE after a bad value. */
static int filter_expr(const cli_cmd *cmd, const cli_args *a, lin_buf *expr, lin_buf *what)
{
	const char *since = cli_get(cmd, a, "since"), *until = cli_get(cmd, a, "until");
	const char *weights = cli_get(cmd, a, "weights"), *stage = cli_get(cmd, a, "stage");
	lin_buf inner = LIN_BUF_INIT;
	int rc = CLI_USAGE, n = 0;
	if (since && !is_month(since)) {
		cli_errorf("--since '%s' is not a date (expected YYYY or YYYY-MM)", since);
		goto done;
	}
	if (until && !is_month(until)) {
		cli_errorf("--until '%s' is not a date (expected YYYY or YYYY-MM)", until);
		goto done;
	}
	if (weights && strcmp(weights, "open") != 0 && strcmp(weights, "closed") != 0) {
		cli_errorf("unknown --weights '%s' (expected open or closed)", weights);
		goto done;
	}
	if (stage) {
		/* stage(a) + stage(b) ..., each checked first */
		lin_buf_puts(&inner, "(");
		for (const char *p = stage; *p;) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			char one[64];
			if (len == 0 || len >= sizeof(one)) {
				cli_errorf("--stage: an empty or overlong stage in '%s'", stage);
				goto done;
			}
			memcpy(one, p, len);
			one[len] = '\0';
			if (lin_stage_parse(one) < 0) {
				cli_errorf("unknown --stage '%s' (stages: pretrained, continued-pretrain, sft, "
				           "rlhf, distilled, merged, quantized, adapter, multimodal, unknown)", one);
				goto done;
			}
			lin_buf_printf(&inner, "%sstage(%s)", n++ ? " + " : "", one);
			p += len + (end != NULL);
		}
		lin_buf_puts(&inner, ")");
		lin_buf_printf(what, "stage %s", stage);
	} else {
		lin_buf_puts(&inner, "all()");
	}
	if (weights) {
		lin_buf_printf(expr, "attr(weights, %s, ", weights);
		lin_buf_printf(what, "%s%s weights", what->len ? ", " : "", weights);
	}
	if (since) {
		lin_buf_printf(expr, "released(>=%s, ", since);
		lin_buf_printf(what, "%ssince %s", what->len ? ", " : "", since);
	}
	if (until) {
		lin_buf_printf(expr, "released(<=%s, ", until);
		lin_buf_printf(what, "%suntil %s", what->len ? ", " : "", until);
	}
	if (what->len) {
		lin_buf_puts(expr, inner.data);
		for (size_t i = 0; i < (size_t)((weights != NULL) + (since != NULL) + (until != NULL)); i++)
			lin_buf_puts(expr, ")");
	}
	rc = (expr->oom || what->oom || inner.oom) ? CLI_USAGE : 0;
done:
	lin_buf_dispose(&inner);
	return rc;
}

/* Keeps in sel (sorted) only the members of keep (sorted). */
static void intersect(igraph_vector_int_t *sel, const igraph_vector_int_t *keep)
{
	igraph_integer_t k = 0, j = 0, nk = igraph_vector_int_size(keep);
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(sel); i++) {
		while (j < nk && VECTOR(*keep)[j] < VECTOR(*sel)[i])
			j++;
		if (j < nk && VECTOR(*keep)[j] == VECTOR(*sel)[i])
			VECTOR(*sel)[k++] = VECTOR(*sel)[i];
	}
	igraph_vector_int_resize(sel, k);
}

/* Applies --since/--until/--weights/--stage: the selection so far (--select,
 * MODEL's family, or every model) becomes o->select = that ^ the filter,
 * and the caption says so. One path: every way of choosing models ends in
 * o->select. 1 when no filter is given. */
static int apply_filters(const cli_cmd *cmd, const cli_args *a, const lin_catalog *cat,
                         lin_draw_opts *o, igraph_vector_int_t *sel, int selected,
                         lin_buf *what)
{
	lin_buf expr = LIN_BUF_INIT;
	igraph_vector_int_t keep = {0};
	lin_query_opts q = LIN_QUERY_OPTS_INIT;
	lin_error err;
	int rc = CLI_USAGE;
	if (filter_expr(cmd, a, &expr, what) != 0)
		goto done;
	if (!expr.len) {
		rc = 1;
		goto done;
	}
	q.relations = o->relations;
	if (igraph_vector_int_init(&keep, 0) != IGRAPH_SUCCESS)
		goto done;
	if (lin_query_eval(&keep, cat, expr.data, &q, &err) != 0) {
		cli_query_error(&err, expr.data);
		goto done;
	}
	if (selected != 0) { /* not --select: MODEL's family, or everything */
		if (lin_draw_select(sel, cat, o, &err) != 0) {
			cli_error(&err);
			goto done;
		}
	}
	intersect(sel, &keep);
	if (o->focus >= 0) {
		/* the focus's family filtered: drawn as a set, said in the caption */
		lin_buf head = LIN_BUF_INIT;
		const lin_model *m = lin_catalog_model(cat, o->focus);
		int up = o->ancestors || !o->descendants, down = o->descendants || !o->ancestors;
		lin_buf_printf(&head, "%s of %s, %s",
		               up && down ? "family" : up ? "ancestors" : "descendants",
		               m->name ? m->name : m->id, what->data);
		lin_buf_dispose(what);
		*what = head;
		o->focus = -1;
	} else if (selected == 0 && !cli_get(cmd, a, "title")) {
		lin_buf head = LIN_BUF_INIT;
		lin_buf_printf(&head, "%s, %s", cli_get(cmd, a, "select"), what->data);
		lin_buf_dispose(what);
		*what = head;
	}
	o->select = sel;
	o->selection = what->data;
	rc = what->oom ? CLI_USAGE : 0;
done:
	if (keep.stor_begin)
		igraph_vector_int_destroy(&keep);
	lin_buf_dispose(&expr);
	return rc;
}

static int run_draw(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT, what = LIN_BUF_INIT;
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_error err;
	lin_diags diags;
	igraph_vector_int_t sel = {0};
	const char *path = cli_get(cmd, a, "output");
	int rc = CLI_USAGE, fmt = -1;
	lin_diags_init(&diags);
	o.diags = &diags;
	if (path && strcmp(path, "-") == 0)
		path = NULL;
	if ((fmt = pick_format(cli_get(cmd, a, "format"), path)) < 0)
		goto done;
	if (!path && is_binary(fmt) && isatty(STDOUT_FILENO)) {
		cli_errorf("not writing %s to a terminal: use -o FILE (or redirect the output)",
		           fmt == LIN_FORMAT_PNG ? "PNG" : "PDF");
		goto done;
	}
	if (draw_options(cmd, a, &o) != 0)
		goto done;
	if (o.scale > 1 && fmt != LIN_FORMAT_PNG) {
		cli_errorf("--scale is for PNG (SVG and PDF are vector drawings: they zoom as they are)");
		goto done;
	}
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
	int filtered = apply_filters(cmd, a, cat, &o, &sel, selected, &what);
	if (filtered == CLI_USAGE)
		goto done;
	if (selected == 0 && filtered != 0) {
		o.select = &sel;
		if (!o.title) /* the caption says what was selected */
			o.title = cli_get(cmd, a, "select");
	}
	if (lin_render(&out, cat, &o, (lin_format)fmt, &err) != 0) {
		cli_print_diags(&diags, 1);
		cli_error(&err);
		goto done;
	}
	cli_print_diags(&diags, 1);
	if (path && lin_write_atomic(path, out.data, out.len, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	rc = path ? CLI_OK : cli_emit(&out);
done:
	lin_diags_dispose(&diags);
	lin_buf_dispose(&what);
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
	        "evolution tree of every model: one rank per year (or quarter); --group\n"
	        "architecture draws lanes by architecture. --since, --until, --weights and\n"
	        "--stage narrow any drawing (to MODEL's family, --select's set or the whole\n"
	        "catalog) and the caption says so.\n"
	        "--select EXPR draws the models a query expression selects (lineage query).",
	.examples = "lineage draw llama --descendants -o llama.svg\n"
	            "lineage draw mistral-7b --descendants -o mistral.png --scale 2\n"
	            "lineage draw --by-year -o evolution.svg\n"
	            "lineage draw --by-year --since 2023 --weights open --group architecture -o open.svg\n"
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
	lin_diags said;
	const char *out = cli_get(cmd, a, "out"), *graph = cli_get(cmd, a, "graph");
	int rc = cli_load(a, &cat, NULL, 0);
	if (rc)
		return rc;
	lin_diags_init(&said);
	/* Graphviz's messages, as "out/family-x.svg: warning: Graphviz, ..." */
	rc = lin_docs_write(cat, out ? out : "out", graph ? graph : "graph", &said, &err);
	cli_print_diags(&said, 1);
	if (rc) {
		cli_error(&err);
		rc = CLI_USAGE;
	}
	lin_diags_dispose(&said);
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
