/*
 * cmd_licenses.c - `lineage licenses MODEL`: the licences binding a model
 * through its whole lineage, and what an auditor must look at. Exit 1 when
 * anything is flagged, as `check` does for problems.
 */
#include "cli.h"

static const cli_opt licenses_opts[] = {
	CLI_OPT_RELATION, CLI_OPT_FORMAT, CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static int run_licenses(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_license_audit *audit = NULL;
	lin_query_opts o;
	lin_error err;
	igraph_integer_t v = -1;
	int json = cli_json(cmd, a), rc = CLI_USAGE;
	if (json < 0 || cli_query_opts(cmd, a, &o) != 0)
		goto done;
	if ((rc = cli_load(a, &cat, NULL, 0)) || (rc = cli_find(cat, a->pos[0], &v)))
		goto done;
	if (lin_license_audit_new(&audit, cat, v, &o, &err) != 0) {
		cli_error(&err);
		rc = CLI_USAGE;
		goto done;
	}
	if ((json ? lin_export_licenses_json(&out, cat, audit)
	          : lin_export_licenses_text(&out, cat, audit)) != 0) {
		cli_errorf("out of memory");
		rc = CLI_USAGE;
		goto done;
	}
	rc = json ? cli_emit(&out) : cli_emit_text(&out);
	if (rc == 0 && audit->nflags)
		rc = CLI_NO;
done:
	lin_license_audit_free(audit);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_licenses = {
	.name = "licenses",
	.args = "MODEL",
	.summary = "audit the licences binding a model through its lineage",
	.help = "Lists the model and every ancestor with its licence, the licence's class\n"
	        "(permissive, copyleft, open-rail, community, non-commercial, proprietary,\n"
	        "other, unknown) and the chain of relations it binds the model through,\n"
	        "then flags licence drift (a permissive licence below a restrictive or\n"
	        "non-commercial ancestor, through relations that carry weights: the rule\n"
	        "`check` applies to the whole catalog), weights distilled from a\n"
	        "proprietary model's outputs, and unknown licences. --format json:\n"
	        "{schema, model, models, problems}.",
	.examples = "lineage licenses vicuna\n"
	            "lineage licenses alpaca --format json",
	.exits = "0 nothing flagged, 1 drift, distillation or unknown terms flagged, 2 usage or input error",
	.opts = licenses_opts,
	.min_pos = 1,
	.max_pos = 1,
	.served = 1,
	.run = run_licenses,
};
