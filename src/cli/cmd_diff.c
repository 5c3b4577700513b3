/*
 * cmd_diff.c - `lineage diff OLD NEW`: what changed between two catalogs,
 * e.g. a checkout of the last release and this one. The library computes
 * the difference (lin_catalog_diff) and writes it; this verb opens both
 * catalogs, reporting every load error of either, and sets the exit code.
 */
#include "cli.h"

#include <stdio.h>

static const cli_opt diff_opts[] = {
	CLI_OPT_RELATION, CLI_OPT_FORMAT, CLI_OPT_HELP, CLI_OPT_END,
};

/* Opens the catalog at path as --data would, its errors on stderr. */
static int open_one(const char *path, lin_catalog **out)
{
	cli_args b = {0};
	b.data[0] = path;
	b.ndata = 1;
	return cli_load(&b, out, NULL, 0);
}

static int run_diff(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *old_cat = NULL, *new_cat = NULL;
	lin_diff *d = NULL;
	lin_buf out = LIN_BUF_INIT;
	lin_query_opts o;
	lin_error err;
	int json = cli_json(cmd, a), rc = CLI_USAGE, rc_old, rc_new;
	lin_error_clear(&err);
	if (json < 0 || cli_query_opts(cmd, a, &o) != 0)
		goto done;
	/* both are opened even when the first fails, so one run shows the
	 * errors of both */
	rc_old = open_one(a->pos[0], &old_cat);
	rc_new = open_one(a->pos[1], &new_cat);
	if (rc_old || rc_new)
		goto done;
	if (lin_catalog_diff(&d, old_cat, new_cat, o.relations, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if ((json ? lin_export_diff_json(&out, d) : lin_export_diff_text(&out, d)) != 0) {
		cli_errorf("out of memory");
		goto done;
	}
	rc = cli_emit_text(&out);
	if (rc == 0 && !lin_diff_empty(d))
		rc = CLI_NO;
done:
	lin_buf_dispose(&out);
	lin_diff_free(d);
	lin_catalog_free(old_cat);
	lin_catalog_free(new_cat);
	return rc;
}

const cli_cmd cmd_diff = {
	.name = "diff",
	.args = "OLD NEW",
	.summary = "what changed between two catalogs: models, fields, edges",
	.help = "OLD and NEW are catalog paths, each a file or a directory (as --data takes),\n"
	        "e.g. a checkout of the previous release. Models are matched by id; every\n"
	        "field is compared (list fields as sets), and edges by parent and child:\n"
	        "  + model ID                      only in NEW (- only in OLD)\n"
	        "  ~ ID: FIELD: OLD -> NEW         a changed field ('-': not recorded)\n"
	        "  + edge PARENT -> CHILD (KIND)   an edge only in NEW (- only in OLD)\n"
	        "  ~ edge PARENT -> CHILD: relation: finetune -> adapter   re-kinded\n"
	        "--relation compares only edges of those kinds. With --format json:\n"
	        "{schema, added, removed, changed: [{id, field, old, new}],\n"
	        " edges: {added, removed, changed: [{parent, child, old, new}]}}.",
	.examples = "lineage diff ../lineage-1.0/data data\n"
	            "lineage diff old.yaml new.yaml --relation finetune --format json",
	.exits = "0 the catalogs are the same, 1 they differ, 2 either fails to load or usage error",
	.opts = diff_opts,
	.min_pos = 2,
	.max_pos = 2,
	.run = run_diff,
};
