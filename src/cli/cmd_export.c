/*
 * cmd_export.c - `lineage export`: the catalog, or the models `draw` would
 * show, as GraphML, GEXF, CSV or NDJSON for other tools. Standard output
 * is streamed; a file (-o) is written atomically, like every output.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef enum { FMT_GRAPHML, FMT_GEXF, FMT_CSV, FMT_NDJSON } export_format;

static const char *const format_names[] = {"graphml", "gexf", "csv", "ndjson"};

static const cli_opt export_opts[] = {
	{"format", 'f', "FORMAT", "graphml, gexf, csv or ndjson (default: from -o's extension, else graphml)"},
	{"output", 'o', "FILE|DIR", "write to FILE (csv: models.csv and edges.csv in DIR)"},
	{"ancestors", 'a', NULL, "with MODEL: export its ancestors"},
	{"descendants", 'D', NULL, "with MODEL: export its descendants (default: both)"},
	CLI_OPT_DEPTH, CLI_OPT_RELATION, CLI_OPT_SELECT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

/* The format from --format, else from the output's extension. */
static int pick_format(const char *fmt, const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (fmt) {
		for (int i = 0; i < (int)(sizeof(format_names) / sizeof(*format_names)); i++)
			if (strcmp(fmt, format_names[i]) == 0)
				return i;
		return -1;
	}
	if (dot && strcmp(dot, ".gexf") == 0)
		return FMT_GEXF;
	if (dot && strcmp(dot, ".csv") == 0)
		return FMT_CSV; /* refused below: csv is two files */
	if (dot && (strcmp(dot, ".ndjson") == 0 || strcmp(dot, ".jsonl") == 0))
		return FMT_NDJSON;
	return FMT_GRAPHML;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), k = strlen(end);
	return n >= k && strcmp(s + n - k, end) == 0;
}

/* The selection of `draw`: everything, or MODEL's family. */
static int select_models(igraph_vector_int_t *sel, lin_relmask *mask, const cli_cmd *cmd,
                         const cli_args *a, const lin_catalog *cat)
{
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_query_opts q = LIN_QUERY_OPTS_INIT;
	lin_error err;
	int rc = cli_query_opts(cmd, a, &q);
	lin_error_clear(&err);
	if (rc)
		return rc;
	if ((rc = cli_select(cmd, a, cat, q.relations, sel)) != 1) {
		*mask = q.relations;
		if (rc == 0 && a->npos) {
			cli_errorf("give MODEL or --select, not both");
			return CLI_USAGE;
		}
		return rc;
	}
	if (a->npos && (rc = cli_find(cat, a->pos[0], &o.focus)))
		return rc;
	o.ancestors = cli_flag(cmd, a, "ancestors");
	o.descendants = cli_flag(cmd, a, "descendants");
	o.depth = q.depth;
	o.relations = *mask = q.relations;
	o.max_nodes = o.max_edges = 0; /* an export never collapses */
	if (lin_draw_select(sel, cat, &o, &err) != 0) {
		cli_error(&err);
		return CLI_USAGE;
	}
	return 0;
}

static int write_stdout(void *ctx, const void *data, size_t len, lin_error *err)
{
	(void)ctx;
	if (len && fwrite(data, 1, len, stdout) != len) {
		snprintf(err->msg, sizeof(err->msg), "cannot write to standard output: %s",
		         strerror(errno));
		err->code = LIN_EIO;
		err->file[0] = '\0';
		err->line = err->col = 0;
		return LIN_EIO;
	}
	return 0;
}

static int run_format(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                      const igraph_vector_int_t *sel, lin_relmask mask, int fmt,
                      lin_csv_table table, lin_error *err)
{
	switch (fmt) {
	case FMT_GRAPHML:
		return lin_export_graphml(out, sink, cat, sel, mask, err);
	case FMT_GEXF:
		return lin_export_gexf(out, sink, cat, sel, mask, err);
	case FMT_NDJSON:
		return lin_export_ndjson(out, sink, cat, sel, mask, err);
	default:
		return lin_export_csv(out, sink, cat, sel, mask, table, err);
	}
}

/* csv: DIR/models.csv and DIR/edges.csv, DIR created when missing. */
static int write_csv(const char *dir, const lin_catalog *cat, const igraph_vector_int_t *sel,
                     lin_relmask mask)
{
	static const char *const names[] = {"models.csv", "edges.csv"};
	static const lin_csv_table tables[] = {LIN_CSV_MODELS, LIN_CSV_EDGES};
	lin_buf out = LIN_BUF_INIT;
	lin_error err;
	char path[LIN_PATH_MAX];
	struct stat st;
	int rc = CLI_OK;
	lin_error_clear(&err);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_errorf("%s: cannot create the directory: %s", dir, strerror(errno));
		return CLI_USAGE;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		cli_errorf("%s: not a directory (csv writes models.csv and edges.csv into -o DIR)", dir);
		return CLI_USAGE;
	}
	for (int i = 0; i < 2 && rc == CLI_OK; i++) {
		out.len = 0;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path)) {
			cli_errorf("%s: path too long", dir);
			rc = CLI_USAGE;
		} else if (lin_export_csv(&out, NULL, cat, sel, mask, tables[i], &err) != 0 ||
		           lin_write_atomic(path, out.data ? out.data : "", out.len, &err) != 0) {
			cli_error(&err);
			rc = CLI_USAGE;
		}
	}
	lin_buf_dispose(&out);
	return rc;
}

static int run_export(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_error err;
	igraph_vector_int_t sel = {0};
	int sel_ok = 0;
	lin_relmask mask = LIN_REL_ALL;
	lin_sink sink = {write_stdout, NULL};
	const char *path = cli_get(cmd, a, "output");
	int rc = CLI_USAGE, fmt = pick_format(cli_get(cmd, a, "format"), path);
	lin_error_clear(&err);
	if (path && strcmp(path, "-") == 0)
		path = NULL;
	if (fmt < 0) {
		cli_errorf("unknown format '%s' (expected graphml, gexf, csv or ndjson)",
		           cli_get(cmd, a, "format"));
		goto done;
	}
	if (fmt == FMT_CSV && (!path || ends_with(path, ".csv"))) {
		cli_errorf("csv writes two files, models.csv and edges.csv: give -o DIR");
		goto done;
	}
	if ((rc = cli_load(a, &cat, NULL, 0)))
		goto done;
	if (igraph_vector_int_init(&sel, 0) != IGRAPH_SUCCESS) {
		cli_errorf("out of memory");
		rc = CLI_USAGE;
		goto done;
	}
	sel_ok = 1;
	if ((rc = select_models(&sel, &mask, cmd, a, cat)))
		goto done;
	if (fmt == FMT_CSV) {
		rc = write_csv(path, cat, &sel, mask);
		goto done;
	}
	rc = CLI_USAGE;
	/* standard output streams; a file is written whole, atomically */
	if (run_format(&out, path ? NULL : &sink, cat, &sel, mask, fmt, LIN_CSV_MODELS, &err) != 0 ||
	    (path && lin_write_atomic(path, out.data ? out.data : "", out.len, &err) != 0)) {
		cli_error(&err);
		goto done;
	}
	rc = CLI_OK;
done:
	if (sel_ok)
		igraph_vector_int_destroy(&sel);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_export = {
	.name = "export",
	.args = "[MODEL]",
	.summary = "export the catalog, or one model's family, as GraphML, GEXF, CSV or NDJSON",
	.help = "Without MODEL exports the whole catalog; with MODEL the models `draw` would\n"
	        "show (its ancestors and descendants, or only those asked for, --depth and\n"
	        "--relation as for draw), never collapsed. Node ids are model ids; every\n"
	        "field is a node attribute (lists joined with \"; \"), parents are the edges\n"
	        "(relation, variant, note, sources). graphml and gexf are for Gephi,\n"
	        "Cytoscape and NetworkX; gexf is a dynamic graph whose nodes start at their\n"
	        "release, so Gephi's timeline plays the evolution. csv writes models.csv and\n"
	        "edges.csv into -o DIR; a cell starting with = + - @, a tab or a CR gets a\n"
	        "leading ' so that a spreadsheet does not run it as a formula. ndjson is one\n"
	        "JSON object a line: the models, then the edges. --select EXPR exports the\n"
	        "models a query expression selects (lineage query).",
	.examples = "lineage export -o lineage.graphml\n"
	            "lineage export llama --descendants -f gexf -o llama.gexf\n"
	            "lineage export --select 'descendants(llama-2)' -f csv -o llama2-csv",
	.exits = "0 ok, 2 usage or input error",
	.opts = export_opts,
	.min_pos = 0,
	.max_pos = 1,
	.run = run_export,
};
