/*
 * cmd_import.c - `lineage import hf PATH...`: reads Hugging Face model cards
 * (README.md front matter, bare YAML, directories, the Hugging Face cache);
 * `lineage import hf-table FILE...` reads tables of Hub metadata (CSV, TSV)
 * and writes them as catalog YAML, atomically to -o FILE or to standard
 * output. The rules live in the library (import_hf.c) and README.md.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const cli_opt import_opts[] = {
	{"output", 'o', "FILE", "write the catalog YAML to FILE (atomically) instead of standard output"},
	{"quiet", 'q', NULL, "print warnings and errors only, not the summary line"},
	CLI_OPT_HELP, CLI_OPT_END,
};

/* Through the one printer, in file order like every verb's. */
static void print_problems(lin_diags *d)
{
	lin_diags_sort(d);
	cli_print_diags(d, 1);
}

/* Imports every PATH into cat; totals go to *rep. */
static int import_all(lin_catalog *cat, const cli_args *a, lin_import_report *rep,
                      lin_diags *d, lin_error *err)
{
	cli_progress *prog = cli_progress_start();
	int rc = 0;
	for (int i = 1; i < a->npos && rc == 0; i++) {
		lin_import_report r = {0, 0};
		cli_progress_report(prog, "parse", a->pos[i], (uint64_t)i - 1, (uint64_t)a->npos - 1);
		rc = strcmp(a->pos[0], "hf-table") == 0 ? lin_import_hf_table(cat, a->pos[i], &r, d, err)
		                                        : lin_import_hf_path(cat, a->pos[i], &r, d, err);
		rep->taken += r.taken;
		rep->skipped += r.skipped;
	}
	cli_progress_report(prog, "finish", NULL, 0, 1);
	if (rc == 0)
		rc = lin_catalog_finish(cat, d, err);
	cli_progress_end(prog);
	return rc;
}

/* Writes the catalog YAML to -o FILE or standard output; a million models
 * are seconds of it, so it has a progress line of its own (the import's
 * ended before its warnings were printed). */
static int write_out(const cli_cmd *cmd, const cli_args *a, const lin_catalog *cat)
{
	lin_buf out = LIN_BUF_INIT;
	lin_error err;
	const char *file = cli_get(cmd, a, "output");
	int rc = CLI_OK;
	cli_progress *prog = cli_progress_start();
	cli_progress_report(prog, "write", file ? file : "<stdout>", 0, 1);
	lin_buf_puts(&out, "# A lineage catalog written by `lineage import hf` from Hugging Face\n"
	                   "# model cards; the rules are in README.md. Regenerate it, don't edit it.\n");
	if (lin_catalog_write_yaml(&out, cat, &err) != 0 ||
	    (file && lin_write_atomic(file, out.data, out.len, &err) != 0))
		rc = CLI_USAGE;
	cli_progress_end(prog); /* before a message, or the YAML on a terminal */
	if (rc != CLI_OK)
		cli_error(&err);
	else if (!file)
		rc = cli_emit(&out);
	lin_buf_dispose(&out);
	return rc;
}

static int run_import(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error err;
	lin_import_report rep = {0, 0};
	int rc = CLI_OK;
	int table = strcmp(a->pos[0], "hf-table") == 0;
	if (strcmp(a->pos[0], "hf") != 0 && !table) {
		cli_errorf("unknown import source '%s' (expected hf or hf-table)", a->pos[0]);
		return CLI_USAGE;
	}
	if (a->npos < 2) {
		cli_errorf(table ? "import hf-table: missing FILE (a CSV or TSV of Hub metadata)"
		                 : "import hf: missing PATH (a model card or a directory of them)");
		return CLI_USAGE;
	}
	lin_diags_init(&d);
	if (lin_catalog_new(&cat, &err) != 0 || import_all(cat, a, &rep, &d, &err) != 0) {
		print_problems(&d);
		if (lin_diags_errors(&d) == 0)
			cli_error(&err);
		rc = CLI_USAGE;
		goto done;
	}
	print_problems(&d);
	if (rep.taken == 0) {
		cli_errorf(table ? "no row imported (%zu skipped)" : "no model card imported (%zu skipped)", rep.skipped);
		rc = CLI_USAGE;
		goto done;
	}
	if ((rc = write_out(cmd, a, cat)) != 0)
		goto done;
	igraph_integer_t n = lin_catalog_count(cat), ext = 0;
	for (igraph_integer_t v = 0; v < n; v++)
		ext += lin_catalog_model(cat, v)->external != 0;
	if (!cli_flag(cmd, a, "quiet"))
		cli_errorf("%zu %s%s imported, %zu skipped; %" IGRAPH_PRId " models written (%" IGRAPH_PRId
		           " of them external bases)", rep.taken, table ? "row" : "card", rep.taken == 1 ? "" : "s",
		           rep.skipped, n, ext);
done:
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_import = {
	.name = "import",
	.args = "hf PATH... | hf-table FILE...",
	.summary = "import Hugging Face model cards as catalog YAML",
	.help = "Reads model cards: a README.md with YAML front matter, a bare YAML file of\n"
	        "that front matter (ORG__NAME.yaml), or a directory walked for them, such as\n"
	        "the Hugging Face cache (lineage import hf ~/.cache/huggingface/hub). Each\n"
	        "card becomes a model and each base_model a parent edge; a base that is not\n"
	        "among the cards becomes an external model. A malformed card is a warning\n"
	        "and is skipped. 'import hf-table' reads a CSV or TSV of Hub metadata\n"
	        "(columns id, base_model, base_model_relation, createdAt, license,\n"
	        "pipeline_tag, tags), one model per row, with the same rules. See README.md,\n"
	        "\"Importing Hugging Face model cards\".",
	.examples = "lineage import hf ~/.cache/huggingface/hub -o hub.yaml\n"
	            "lineage import hf cards/ | lineage --data - roots\n"
	            "lineage import hf-table hub-models.csv -o hub.yaml",
	.opts = import_opts,
	.min_pos = 2,
	.max_pos = CLI_MAX_POS,
	.run = run_import,
};
