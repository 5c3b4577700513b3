/*
 * cmd_check.c - `lineage check`: validates a catalog and prints every
 * problem (errors and warnings such as licence drift) in one run, as
 * compiler-style lines or as JSON. Exit 0 when there is no error (with
 * --strict: no warning either), 1 otherwise, 2 when input cannot be read.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const cli_opt check_opts[] = {
	{"strict", 0, NULL, "treat warnings as problems (exit 1)"},
	{"quiet", 'q', NULL, "print only the problems, not the summary line"},
	{"format", 'f', "text|json|sarif", "output format (default text; json and sarif go to standard output)"},
	CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

/* The diagnostics on standard output, as JSON or SARIF. */
static int print_machine(const lin_diags *d, int sarif)
{
	lin_buf b = LIN_BUF_INIT;
	if (sarif)
		lin_export_diags_sarif(&b, d);
	else
		lin_export_diags_json(&b, d);
	int rc = cli_emit(&b);
	lin_buf_dispose(&b);
	return rc;
}

/* --format: 0 text, 1 json, 2 sarif; -1 after an error. */
static int check_format(const cli_cmd *cmd, const cli_args *a)
{
	const char *f = cli_get(cmd, a, "format");
	if (!f || strcmp(f, "text") == 0)
		return 0;
	if (strcmp(f, "json") == 0)
		return 1;
	if (strcmp(f, "sarif") == 0)
		return 2;
	cli_errorf("unknown format '%s' (expected text, json or sarif)", f);
	return -1;
}

/* 1 when an error says the input could not be read at all (a missing
 * file, no memory): a usage problem, not a verdict on the catalog. */
static int input_error(const lin_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->is_warning[i] && (d->items[i].code == LIN_EIO || d->items[i].code == LIN_ENOMEM))
			return 1;
	return 0;
}

static int run_check(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_diags d;
	int json = check_format(cmd, a);
	if (json < 0)
		return CLI_USAGE;
	lin_diags_init(&d);
	/* check validates the sources themselves: never the cache */
	int rc = cli_load(a, &cat, &d, CLI_LOAD_WARNINGS | CLI_LOAD_NO_CACHE |
	                                (json ? CLI_LOAD_QUIET : 0));
	size_t errors = lin_diags_errors(&d), warnings = lin_diags_warnings(&d);
	int emit = json ? print_machine(&d, json == 2) : 0;
	if (!cli_flag(cmd, a, "quiet") && cat)
		fprintf(stderr, "lineage: %" IGRAPH_PRId " model%s: %zu error%s, %zu warning%s\n",
		        lin_catalog_count(cat), lin_catalog_count(cat) == 1 ? "" : "s", errors,
		        errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	else if (!cli_flag(cmd, a, "quiet")) /* no catalog: no model count to give */
		fprintf(stderr, "lineage: %zu error%s, %zu warning%s; the catalog is unusable until "
		        "the errors are fixed\n", errors, errors == 1 ? "" : "s", warnings,
		        warnings == 1 ? "" : "s");
	if (emit || input_error(&d) || (rc && errors == 0))
		rc = CLI_USAGE;
	else if (rc || errors || (warnings && cli_flag(cmd, a, "strict")))
		rc = CLI_NO;
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_check = {
	.name = "check",
	.args = "",
	.summary = "validate a catalog: schema, unknown parents, duplicates, cycles, licence drift",
	.help = "Reports every error and warning in one run: entries with schema errors are\n"
	        "skipped and the rest still checked for duplicates, unknown parents, cycles\n"
	        "and licence drift. Text goes to standard error as FILE:LINE:COL: error: MSG\n"
	        "(or warning:), sorted by file, line and column; --format json writes an\n"
	        "array of {file, line, col, severity, code, message} to standard output,\n"
	        "--format sarif a SARIF 2.1.0 log for code-scanning services.",
	.examples = "lineage check\n"
	            "lineage check --strict --data my-catalog/\n"
	            "lineage check --format sarif --quiet > lineage.sarif",
	.exits = "0 clean, 1 problems found (with --strict: warnings too), 2 a file cannot be read",
	.opts = check_opts,
	.min_pos = 0,
	.max_pos = 0,
	.run = run_check,
};
