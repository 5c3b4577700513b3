/*
 * inproc.c - the lineage side of the benchmark in one process, like the
 * NetworkX peer: loads the catalog once, then runs the same queries through
 * the library (the calls the CLI makes, JSON/text built in memory) and
 * prints one JSON object with the seconds of each phase and the peak RSS.
 *
 *   inproc CATALOG LEAF BASE MID
 *
 * bench/run.sh builds it against the same build's liblineage.a. The CLI
 * numbers include process start and a fresh load for every query; these
 * isolate the queries from that.
 */
#define _POSIX_C_SOURCE 200809L
#include "lineage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, const lin_error *err)
{
	char buf[1024];
	fprintf(stderr, "inproc: %s: %s\n", what, lin_error_format(err, buf, sizeof(buf)));
	return 1;
}

/* reach as JSON into out, like `lineage ancestors|descendants --format json` */
static int reach_json(lin_buf *out, size_t *n, const lin_catalog *cat, const char *name,
                      igraph_neimode_t mode, int depth, lin_error *err)
{
	igraph_integer_t v;
	lin_hits hits = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	o.depth = depth;
	int rc = lin_catalog_find(&v, cat, name, err);
	if (!rc)
		rc = lin_query_reach(&hits, cat, v, mode, &o, err);
	if (!rc)
		rc = lin_export_hits_json(out, cat, &hits);
	*n += hits.n;
	lin_hits_dispose(&hits);
	return rc;
}

int main(int argc, char **argv)
{
	lin_catalog *cat = NULL;
	lin_diags diags;
	lin_error err;
	lin_buf out = LIN_BUF_INIT;
	lin_roots roots = {NULL, 0};
	lin_query_opts all = LIN_QUERY_OPTS_INIT;
	size_t nanc = 0, ndesc = 0, nnb = 0;
	double t[8];
	int rc = 1;
	if (argc != 5) {
		fprintf(stderr, "usage: inproc CATALOG LEAF BASE MID\n");
		return 2;
	}
	lin_diags_init(&diags);
	t[0] = now();
	if (lin_catalog_new(&cat, &err) || lin_catalog_load_path(cat, argv[1], &diags, &err)) {
		rc = fail("load", &err);
		goto done;
	}
	t[1] = now();
	if (lin_catalog_finish(cat, &diags, &err)) {
		rc = fail("finish", &err);
		goto done;
	}
	t[2] = now();
	if (reach_json(&out, &nanc, cat, argv[2], IGRAPH_IN, -1, &err)) {
		rc = fail("ancestors", &err);
		goto done;
	}
	t[3] = now();
	lin_buf_dispose(&out);
	if (reach_json(&out, &ndesc, cat, argv[3], IGRAPH_OUT, -1, &err)) {
		rc = fail("descendants", &err);
		goto done;
	}
	t[4] = now();
	lin_buf_dispose(&out);
	if (lin_query_roots(&roots, cat, &all, &err)) {
		rc = fail("roots", &err);
		goto done;
	}
	/* the text lines of the top 20, as `lineage roots --top 20` prints */
	for (size_t i = 0; i < roots.n && i < 20; i++) {
		const lin_model *m = lin_catalog_model(cat, roots.items[i].vertex);
		lin_buf_printf(&out, "%3zu. %s [%s] %lld", i + 1, m->name, m->id,
		               (long long)roots.items[i].total);
		for (int r = 0; r < LIN_REL_COUNT; r++)
			if (roots.items[i].by_relation[r])
				lin_buf_printf(&out, " %s %lld", lin_relation_name((lin_relation)r),
				               (long long)roots.items[i].by_relation[r]);
		lin_buf_puts(&out, "\n");
	}
	t[5] = now();
	lin_buf_dispose(&out);
	if (reach_json(&out, &nnb, cat, argv[4], IGRAPH_OUT, 2, &err) ||
	    reach_json(&out, &nnb, cat, argv[4], IGRAPH_IN, 2, &err)) {
		rc = fail("neighbourhood", &err);
		goto done;
	}
	t[6] = now();
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("{\"models\": %lld, \"errors\": %zu, \"warnings\": %zu, \"ancestors\": %zu, "
	       "\"descendants\": %zu, \"roots\": %zu, \"neighbourhood\": %zu, \"seconds\": "
	       "{\"load\": %.4f, \"validate\": %.4f, \"ancestors\": %.4f, \"descendants\": %.4f, "
	       "\"roots\": %.4f, \"neighbourhood\": %.4f, \"load_validate\": %.4f, "
	       "\"queries\": %.4f, \"total\": %.4f}, \"peak_rss_mb\": %.1f}\n",
	       (long long)lin_catalog_count(cat), lin_diags_errors(&diags),
	       diags.n - lin_diags_errors(&diags), nanc, ndesc, roots.n, nnb, t[1] - t[0],
	       t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4], t[6] - t[5], t[2] - t[0],
	       t[6] - t[2], t[6] - t[0], (double)ru.ru_maxrss / 1024.0);
	rc = 0;
done:
	lin_buf_dispose(&out);
	lin_roots_dispose(&roots);
	lin_diags_dispose(&diags);
	lin_catalog_free(cat);
	return rc;
}
