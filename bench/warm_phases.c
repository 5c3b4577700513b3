/*
 * warm_phases.c - where a warm point query's time goes: reads a cache image
 * (as `lineage` does: pread into one buffer), opens it without any catalog
 * check (lin_cache_load_image: section and edge checks, igraph_create),
 * rebuilds igraph's graph from the same edge list once more on its own,
 * and runs one ancestors query with its JSON; each phase timed with
 * clock_gettime, several times, the medians printed.
 *
 *   warm_phases IMAGE MODEL [RUNS]
 *
 * Built like inproc.c, against a build's liblineage.a; not part of run.sh
 * (bench/results.md has its findings).
 */
#define _POSIX_C_SOURCE 200809L
#include "lineage.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

#define PHASES 5
static const char *const names[PHASES] = {"read image (malloc + pread)", "lin_cache_load_image",
                                          "igraph_create again", "ancestors + JSON",
                                          "free"};

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: warm_phases IMAGE MODEL [RUNS]\n");
		return 2;
	}
	int runs = argc > 3 ? atoi(argv[3]) : 5;
	if (runs < 1 || runs > 100)
		runs = 5;
	double t[PHASES][100];
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		int fd = open(argv[1], O_RDONLY);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) != 0) {
			perror(argv[1]);
			return 1;
		}
		size_t len = (size_t)st.st_size, got = 0;
		void *buf = NULL;
		if (posix_memalign(&buf, 64, len ? len : 1) != 0)
			return 1;
		while (got < len) {
			ssize_t k = pread(fd, (char *)buf + got, len - got, (off_t)got);
			if (k <= 0)
				return 1;
			got += (size_t)k;
		}
		close(fd);
		double t1 = now();
		lin_catalog *cat = NULL;
		lin_error err;
		if (lin_cache_load_image(&cat, buf, len, NULL, &err) != 0) {
			fprintf(stderr, "warm_phases: %s\n", err.msg);
			return 1;
		}
		double t2 = now();
		const igraph_t *g = lin_catalog_graph(cat);
		igraph_vector_int_t ev;
		igraph_t again;
		igraph_vector_int_init(&ev, 0);
		igraph_get_edgelist(g, &ev, 0);
		double t2b = now();
		igraph_create(&again, &ev, igraph_vcount(g), IGRAPH_DIRECTED);
		double t3 = now();
		igraph_destroy(&again);
		igraph_vector_int_destroy(&ev);
		double t3b = now();
		igraph_integer_t v;
		lin_hits hits = {NULL, 0};
		lin_query_opts o = LIN_QUERY_OPTS_INIT;
		lin_buf out = LIN_BUF_INIT;
		if (lin_catalog_find(&v, cat, argv[2], &err) != 0 ||
		    lin_query_reach(&hits, cat, v, IGRAPH_IN, &o, &err) != 0 ||
		    lin_export_hits_json(&out, cat, &hits) != 0) {
			fprintf(stderr, "warm_phases: %s\n", err.msg);
			return 1;
		}
		double t4 = now();
		lin_buf_dispose(&out);
		lin_hits_dispose(&hits);
		lin_catalog_free(cat);
		free(buf);
		double t5 = now();
		t[0][r] = t1 - t0;
		t[1][r] = t2 - t1;
		t[2][r] = t3 - t2b;
		t[3][r] = t4 - t3b;
		t[4][r] = t5 - t4;
	}
	for (int p = 0; p < PHASES; p++) {
		qsort(t[p], (size_t)runs, sizeof(double), cmp);
		printf("%-30s median %8.1f ms  (min %.1f, max %.1f; %d runs)\n", names[p],
		       1e3 * t[p][runs / 2], 1e3 * t[p][0], 1e3 * t[p][runs - 1], runs);
	}
	return 0;
}
