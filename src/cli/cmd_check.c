/*
 * cmd_check.c - `lineage check`: validates a catalog and prints every
 * problem (errors and warnings such as licence drift). Exit 0 when there is
 * no error (with --strict: no warning either), 1 otherwise.
 */
#include "cli.h"

#include <stdio.h>

static const cli_opt check_opts[] = {
	{"strict", 0, NULL, "treat warnings as problems (exit 1)"},
	{"quiet", 'q', NULL, "print only the problems, not the summary line"},
	CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static int run_check(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_diags_init(&d);
	/* check validates the sources themselves: never the cache */
	int rc = cli_load(a, &cat, &d, CLI_LOAD_WARNINGS | CLI_LOAD_NO_CACHE);
	size_t errors = lin_diags_errors(&d), warnings = lin_diags_warnings(&d);
	if (!cli_flag(cmd, a, "quiet"))
		fprintf(stderr, "lineage: %s%" IGRAPH_PRId " model%s: %zu error%s, %zu warning%s\n",
		        cat ? "" : "catalog not loaded; ", cat ? lin_catalog_count(cat) : 0,
		        cat && lin_catalog_count(cat) == 1 ? "" : "s", errors,
		        errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	if (rc || errors || (warnings && cli_flag(cmd, a, "strict")))
		rc = CLI_NO;
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_check = {
	"check", run_check, "", "validate a catalog: schema, unknown parents, duplicates, cycles, licence drift",
	"Prints every error and warning with file:line:col on standard error, then a\n"
	"summary. Exit status 0 when clean, 1 when problems were found.",
	check_opts, 0, 0,
};
