/*
 * test_query.c - ancestors and descendants with distances, relation filters
 * and depth limits; every shortest chain; nearest common ancestors; roots;
 * statistics; a model's parent and child edges; the failure paths a caller
 * can reach (bad vertices, unfinished catalogs, a filter that leaves no
 * edge) (query/, graph.c's lin_i_graph_filtered), on the mini fixture.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"

#include "lineage.h"
#include "query/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	lin_catalog *cat = NULL;
	lin_error e;
	if (lin_catalog_new(&cat, &e) || lin_catalog_load_path(cat, FIXTURES "/mini", NULL, &e) ||
	    lin_catalog_finish(cat, NULL, &e)) {
		fprintf(stderr, "cannot load the mini fixture: %s\n", e.msg);
		lin_catalog_free(cat);
		return -1;
	}
	*state = cat;
	return 0;
}

static int teardown(void **state)
{
	lin_catalog_free(*state);
	return 0;
}

static const char *id(const lin_catalog *cat, igraph_integer_t v)
{
	return v >= 0 ? lin_catalog_model(cat, v)->id : "-";
}

/* Hits as "id:distance:relation:via" joined with spaces. */
static void hits_str(char *out, size_t n, const lin_catalog *cat, const lin_hits *h)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < h->n; i++) {
		const lin_hit *x = &h->items[i];
		const char *rel = lin_relation_name(x->relation);
		used += (size_t)snprintf(out + used, n - used, "%s%s:%d:%s:%s", i ? " " : "",
		                         id(cat, x->vertex), x->distance, rel ? rel : "-",
		                         id(cat, x->via));
	}
}

/* A path (edge ids) as "a -relation-> b -relation-> c". */
static void path_str(char *out, size_t n, const lin_catalog *cat, const igraph_vector_int_t *p)
{
	const igraph_t *g = lin_catalog_graph(cat);
	size_t used = 0;
	out[0] = '\0';
	for (igraph_integer_t j = 0; j < igraph_vector_int_size(p); j++) {
		igraph_integer_t e = VECTOR(*p)[j];
		if (j == 0)
			used += (size_t)snprintf(out + used, n - used, "%s", id(cat, IGRAPH_FROM(g, e)));
		used += (size_t)snprintf(out + used, n - used, " -%s-> %s",
		                         lin_relation_name(lin_catalog_edge_relation(cat, e)),
		                         id(cat, IGRAPH_TO(g, e)));
	}
}

static void reach(char *out, size_t n, const lin_catalog *cat, const char *who,
                  igraph_neimode_t mode, lin_relmask rel, int depth)
{
	lin_hits h = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	o.relations = rel;
	o.depth = depth;
	assert_int_equal(lin_query_reach(&h, cat, th_find(cat, who), mode, &o, &e), 0);
	hits_str(out, n, cat, &h);
	/* every hit's edge joins it to its via, with the hit's relation */
	const igraph_t *g = lin_catalog_graph(cat);
	for (size_t i = 0; i < h.n; i++) {
		const lin_hit *x = &h.items[i];
		assert_true(x->edge >= 0);
		assert_int_equal(lin_catalog_edge_relation(cat, x->edge), x->relation);
		assert_true(rel & LIN_REL_BIT(x->relation));
		if (mode == IGRAPH_IN) {
			assert_int_equal(IGRAPH_FROM(g, x->edge), x->vertex);
			assert_int_equal(IGRAPH_TO(g, x->edge), x->via);
		} else {
			assert_int_equal(IGRAPH_FROM(g, x->edge), x->via);
			assert_int_equal(IGRAPH_TO(g, x->edge), x->vertex);
		}
	}
	lin_hits_dispose(&h);
}

/* ---- reach ------------------------------------------------------------------ */

static void ancestors_with_distances(void **state)
{
	const lin_catalog *cat = *state;
	char s[2048];
	reach(s, sizeof(s), cat, "chinese-vicuna", IGRAPH_IN, LIN_REL_ALL, -1);
	assert_string_equal(s, "alpaca:1:recipe:chinese-vicuna llama:1:adapter:chinese-vicuna "
	                       "gpt-3.5-turbo:2:distill:alpaca");
	reach(s, sizeof(s), cat, "mythomax-l2-13b-gptq", IGRAPH_IN, LIN_REL_ALL, -1);
	assert_string_equal(s, "mythomax-l2-13b:1:quantized:mythomax-l2-13b-gptq "
	                       "huginn-13b:2:merge:mythomax-l2-13b "
	                       "mythologic-l2-13b:2:merge:mythomax-l2-13b "
	                       "llama-2:3:finetune:mythologic-l2-13b llama:4:recipe:llama-2");
	reach(s, sizeof(s), cat, "llava", IGRAPH_IN, LIN_REL_ALL, -1);
	assert_string_equal(s, "gpt-4:1:distill:llava vicuna:1:multimodal:llava "
	                       "gpt-3.5-turbo:2:distill:vicuna llama:2:finetune:vicuna");
	reach(s, sizeof(s), cat, "llama", IGRAPH_IN, LIN_REL_ALL, -1);
	assert_string_equal(s, "");
	reach(s, sizeof(s), cat, "bloom", IGRAPH_OUT, LIN_REL_ALL, -1);
	assert_string_equal(s, "");
}

static void ancestors_relation_filter(void **state)
{
	const lin_catalog *cat = *state;
	char s[2048];
	lin_relmask m = LIN_REL_BIT(LIN_REL_FINETUNE) | LIN_REL_BIT(LIN_REL_ADAPTER);
	/* alpaca is reached only through a recipe edge */
	reach(s, sizeof(s), cat, "chinese-vicuna", IGRAPH_IN, m, -1);
	assert_string_equal(s, "llama:1:adapter:chinese-vicuna");
	reach(s, sizeof(s), cat, "chinese-vicuna", IGRAPH_IN, LIN_REL_BIT(LIN_REL_RECIPE), -1);
	assert_string_equal(s, "alpaca:1:recipe:chinese-vicuna");
	reach(s, sizeof(s), cat, "chinese-vicuna", IGRAPH_IN,
	      LIN_REL_BIT(LIN_REL_RECIPE) | LIN_REL_BIT(LIN_REL_DISTILL), -1);
	assert_string_equal(s, "alpaca:1:recipe:chinese-vicuna gpt-3.5-turbo:2:distill:alpaca");
	/* without recipe, Llama 2's line no longer reaches LLaMA */
	reach(s, sizeof(s), cat, "orca-2", IGRAPH_IN, LIN_REL_ALL & ~LIN_REL_BIT(LIN_REL_RECIPE), -1);
	assert_string_equal(s, "gpt-4:1:distill:orca-2 llama-2:1:finetune:orca-2");
	reach(s, sizeof(s), cat, "llama", IGRAPH_OUT, 0, -1);
	assert_string_equal(s, "");
}

static void descendants_depth(void **state)
{
	const lin_catalog *cat = *state;
	char s[4096];
	reach(s, sizeof(s), cat, "llama", IGRAPH_OUT, LIN_REL_ALL, 1);
	assert_string_equal(s, "alpaca:1:finetune:llama chinese-llama:1:continued-pretrain:llama "
	                       "chinese-vicuna:1:adapter:llama guanaco-multilingual:1:finetune:llama "
	                       "guanaco-qlora:1:adapter:llama llama-2:1:recipe:llama "
	                       "vicuna:1:finetune:llama");
	reach(s, sizeof(s), cat, "llama-2", IGRAPH_OUT, LIN_REL_ALL, 2);
	assert_string_equal(s, "huginn-13b:1:finetune:llama-2 llama-2-chat:1:rlhf:llama-2 "
	                       "mythologic-l2-13b:1:finetune:llama-2 orca-2:1:finetune:llama-2 "
	                       "sheared-llama:1:prune:llama-2 "
	                       "mythomax-l2-13b:2:merge:mythologic-l2-13b");
	reach(s, sizeof(s), cat, "llama-2", IGRAPH_OUT, LIN_REL_ALL, 0);
	assert_string_equal(s, "");
	reach(s, sizeof(s), cat, "mythologic-l2-13b", IGRAPH_OUT, LIN_REL_ALL, 100);
	assert_string_equal(s, "mythomax-l2-13b:1:merge:mythologic-l2-13b "
	                       "mythomax-l2-13b-gptq:2:quantized:mythomax-l2-13b");
	/* everything below LLaMA */
	lin_hits h = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	assert_int_equal(lin_query_reach(&h, cat, th_find(cat, "llama"), IGRAPH_OUT, &o, &e), 0);
	assert_int_equal(h.n, 15);
	assert_string_equal(id(cat, h.items[14].vertex), "mythomax-l2-13b-gptq");
	assert_int_equal(h.items[14].distance, 4);
	for (size_t i = 1; i < h.n; i++)
		assert_true(h.items[i - 1].distance <= h.items[i].distance);
	lin_hits_dispose(&h);
	lin_hits_dispose(&h);
	lin_hits_dispose(NULL);
}

static void query_needs_finished_catalog(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_hits h = {NULL, 0};
	lin_roots r = {NULL, 0};
	lin_stats st;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	const char *text = "- {id: a, stage: sft, sources: [s]}\n";
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "t", text, strlen(text), NULL, &e), 0);
	assert_null(lin_catalog_graph(cat));
	assert_int_equal(lin_query_reach(&h, cat, 0, IGRAPH_IN, &o, &e), LIN_EINVAL);
	assert_string_equal(e.msg, "the catalog is not finished");
	assert_int_equal(h.n, 0);
	assert_int_equal(lin_query_roots(&r, cat, &o, &e), LIN_EINVAL);
	assert_int_equal(lin_query_stats(&st, cat, &o, &e), LIN_EINVAL);
	lin_stats_dispose(&st);
	lin_catalog_free(cat);
}

/* A vertex outside the graph is an error, not a crash (igraph_bfs_simple
 * does not check its root). */
static void reach_bad_vertex(void **state)
{
	const lin_catalog *cat = *state;
	lin_hits h = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	assert_int_equal(lin_query_reach(&h, cat, lin_catalog_count(cat), IGRAPH_OUT, &o, &e), LIN_EGRAPH);
	assert_int_equal(h.n, 0);
	assert_int_equal(lin_query_reach(&h, cat, -1, IGRAPH_IN, &o, &e), LIN_EGRAPH);
	assert_int_equal(h.n, 0);
}

/* Hits are sorted on the ids' first 16 bytes held in the sort key, then by
 * strcmp: ids that agree that far, or end inside it or right at its
 * end, must still come out in strcmp order. */
static void reach_sorted_like_strcmp(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	char s[1024];
	const char *text = "- {id: base, stage: pretrained, sources: [s]}\n"
	                   "- {id: org/a-very-long-shared-prefix-z, stage: sft, sources: [s], parents: [{model: base, relation: finetune, sources: [s]}]}\n"
	                   "- {id: org/a-very-long-shared-prefix-b, stage: sft, sources: [s], parents: [{model: base, relation: finetune, sources: [s]}]}\n"
	                   "- {id: org/a-very-long-shared-prefix, stage: sft, sources: [s], parents: [{model: base, relation: finetune, sources: [s]}]}\n"
	                   "- {id: org/a-very-long, stage: sft, sources: [s], parents: [{model: base, relation: finetune, sources: [s]}]}\n"
	                   "- {id: org/a-very-longx0, stage: sft, sources: [s], parents: [{model: base, relation: finetune, sources: [s]}]}\n"
	                   "- {id: org/a-very-longx, stage: sft, sources: [s], parents: [{model: base, relation: finetune, sources: [s]}]}\n"
	                   "- {id: org/zz, stage: sft, sources: [s], parents: [{model: org/a-very-long, relation: quantized, sources: [s]}]}\n"
	                   "- {id: org/a, stage: sft, sources: [s], parents: [{model: org/a-very-long, relation: quantized, sources: [s]}]}\n";
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "t", text, strlen(text), NULL, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	reach(s, sizeof(s), cat, "base", IGRAPH_OUT, LIN_REL_ALL, -1);
	assert_string_equal(s, "org/a-very-long:1:finetune:base "
	                       "org/a-very-long-shared-prefix:1:finetune:base "
	                       "org/a-very-long-shared-prefix-b:1:finetune:base "
	                       "org/a-very-long-shared-prefix-z:1:finetune:base "
	                       "org/a-very-longx:1:finetune:base "
	                       "org/a-very-longx0:1:finetune:base "
	                       "org/a:2:quantized:org/a-very-long org/zz:2:quantized:org/a-very-long");
	lin_catalog_free(cat);
}

/* ---- paths ------------------------------------------------------------------ */

static void paths_diamond(void **state)
{
	const lin_catalog *cat = *state;
	igraph_vector_int_list_t paths;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	char a[512], b[512];
	assert_int_equal(igraph_vector_int_list_init(&paths, 0), 0);
	assert_int_equal(lin_query_paths(&paths, cat, th_find(cat, "llama-2"), th_find(cat, "mythomax-l2-13b-gptq"),
	                                 &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 2);
	path_str(a, sizeof(a), cat, igraph_vector_int_list_get_ptr(&paths, 0));
	path_str(b, sizeof(b), cat, igraph_vector_int_list_get_ptr(&paths, 1));
	if (strcmp(a, b) > 0) { /* the order between equal-length chains is igraph's */
		char t[512];
		strcpy(t, a), strcpy(a, b), strcpy(b, t);
	}
	assert_string_equal(a, "llama-2 -finetune-> huginn-13b -merge-> mythomax-l2-13b "
	                       "-quantized-> mythomax-l2-13b-gptq");
	assert_string_equal(b, "llama-2 -finetune-> mythologic-l2-13b -merge-> mythomax-l2-13b "
	                       "-quantized-> mythomax-l2-13b-gptq");
	/* from LLaMA: one more step, still two chains */
	assert_int_equal(lin_query_paths(&paths, cat, th_find(cat, "llama"), th_find(cat, "mythomax-l2-13b"),
	                                 &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 2);
	assert_int_equal(igraph_vector_int_size(igraph_vector_int_list_get_ptr(&paths, 0)), 3);
	assert_int_equal(igraph_vector_int_size(igraph_vector_int_list_get_ptr(&paths, 1)), 3);
	/* paths go down only: the reverse direction has none */
	assert_int_equal(lin_query_paths(&paths, cat, th_find(cat, "mythomax-l2-13b"), th_find(cat, "llama"),
	                                 &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 0);
	igraph_vector_int_list_destroy(&paths);
}

static void paths_shortest_only_and_filtered(void **state)
{
	const lin_catalog *cat = *state;
	igraph_vector_int_list_t paths;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	char s[512];
	assert_int_equal(igraph_vector_int_list_init(&paths, 0), 0);
	/* llama -> chinese-vicuna directly (adapter), not through alpaca */
	assert_int_equal(lin_query_paths(&paths, cat, th_find(cat, "llama"), th_find(cat, "chinese-vicuna"),
	                                 &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 1);
	path_str(s, sizeof(s), cat, igraph_vector_int_list_get_ptr(&paths, 0));
	assert_string_equal(s, "llama -adapter-> chinese-vicuna");
	/* without adapter edges the longer chain is the shortest */
	o.relations = LIN_REL_ALL & ~LIN_REL_BIT(LIN_REL_ADAPTER);
	assert_int_equal(lin_query_paths(&paths, cat, th_find(cat, "llama"), th_find(cat, "chinese-vicuna"),
	                                 &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 1);
	path_str(s, sizeof(s), cat, igraph_vector_int_list_get_ptr(&paths, 0));
	assert_string_equal(s, "llama -finetune-> alpaca -recipe-> chinese-vicuna");
	/* no merge edges: no chain into the merge */
	o.relations = LIN_REL_ALL & ~LIN_REL_BIT(LIN_REL_MERGE);
	assert_int_equal(lin_query_paths(&paths, cat, th_find(cat, "llama-2"), th_find(cat, "mythomax-l2-13b"),
	                                 &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 0);
	/* a model to itself, and two unrelated models */
	o.relations = LIN_REL_ALL;
	assert_int_equal(lin_query_paths(&paths, cat, th_find(cat, "llama"), th_find(cat, "llama"), &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 0);
	assert_int_equal(lin_query_paths(&paths, cat, th_find(cat, "bloom"), th_find(cat, "llama"), &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 0);
	igraph_vector_int_list_destroy(&paths);
}

/* ---- common ancestors ----------------------------------------------------- */

/* Eight stacked diamonds: 2^8 = 256 shortest chains from top to bottom.
 * The query returns LIN_PATHS_MAX of them, each a real shortest chain. */
static void paths_capped(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_buf y = LIN_BUF_INIT;
	igraph_vector_int_list_t paths;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_buf_puts(&y, "- {id: d0, stage: pretrained, sources: [x]}\n");
	for (int k = 0; k < 8; k++)
		lin_buf_printf(&y,
		               "- {id: l%d, stage: sft, sources: [x], parents: [{model: d%d, relation: finetune, sources: [x]}]}\n"
		               "- {id: r%d, stage: sft, sources: [x], parents: [{model: d%d, relation: finetune, sources: [x]}]}\n"
		               "- {id: d%d, stage: merged, sources: [x], parents: [{model: l%d, relation: merge, sources: [x]}, {model: r%d, relation: merge, sources: [x]}]}\n",
		               k, k, k, k, k + 1, k, k);
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "diamonds.yaml", y.data, y.len, NULL, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	igraph_integer_t top = -1, bottom = -1;
	assert_int_equal(lin_catalog_find(&top, cat, "d0", &e), 0);
	assert_int_equal(lin_catalog_find(&bottom, cat, "d8", &e), 0);
	igraph_vector_int_list_init(&paths, 0);
	assert_int_equal(lin_query_paths(&paths, cat, top, bottom, &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), LIN_PATHS_MAX);
	const igraph_t *g = lin_catalog_graph(cat);
	for (igraph_integer_t i = 0; i < LIN_PATHS_MAX; i++) {
		const igraph_vector_int_t *p = igraph_vector_int_list_get_ptr(&paths, i);
		assert_int_equal(igraph_vector_int_size(p), 16);
		assert_int_equal(IGRAPH_FROM(g, VECTOR(*p)[0]), top);
		assert_int_equal(IGRAPH_TO(g, VECTOR(*p)[15]), bottom);
		for (int k = 1; k < 16; k++) /* consecutive edges meet */
			assert_int_equal(IGRAPH_TO(g, VECTOR(*p)[k - 1]), IGRAPH_FROM(g, VECTOR(*p)[k]));
	}
	/* the chains are distinct */
	for (igraph_integer_t i = 1; i < LIN_PATHS_MAX; i++)
		assert_false(igraph_vector_int_all_e(igraph_vector_int_list_get_ptr(&paths, i - 1),
		                                     igraph_vector_int_list_get_ptr(&paths, i)));
	igraph_vector_int_list_destroy(&paths);
	lin_buf_dispose(&y);
	lin_catalog_free(cat);
}

static void common_str(char *out, size_t n, const lin_catalog *cat, const char *a, const char *b,
                       lin_relmask rel, int depth)
{
	lin_hits h = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	o.relations = rel;
	o.depth = depth;
	assert_int_equal(lin_query_common(&h, cat, th_find(cat, a), th_find(cat, b), &o, &e), 0);
	hits_str(out, n, cat, &h);
	for (size_t i = 0; i < h.n; i++) {
		assert_int_equal(h.items[i].via, -1);
		assert_int_equal(h.items[i].edge, -1);
	}
	lin_hits_dispose(&h);
}

static void common_nearest(void **state)
{
	const lin_catalog *cat = *state;
	char s[1024];
	/* two nearest at the same distance: sorted by id */
	common_str(s, sizeof(s), cat, "alpaca", "vicuna", LIN_REL_ALL, -1);
	assert_string_equal(s, "gpt-3.5-turbo:2:-:- llama:2:-:-");
	common_str(s, sizeof(s), cat, "llava", "orca-2", LIN_REL_ALL, -1);
	assert_string_equal(s, "gpt-4:2:-:- llama:4:-:-");
	/* the two halves of the merge meet at Llama 2, not LLaMA */
	common_str(s, sizeof(s), cat, "mythologic-l2-13b", "huginn-13b", LIN_REL_ALL, -1);
	assert_string_equal(s, "llama-2:2:-:-");
	/* a model is its own ancestor */
	common_str(s, sizeof(s), cat, "alpaca", "llama", LIN_REL_ALL, -1);
	assert_string_equal(s, "llama:1:-:-");
	common_str(s, sizeof(s), cat, "chinese-vicuna", "alpaca", LIN_REL_ALL, -1);
	assert_string_equal(s, "alpaca:1:-:-");
	common_str(s, sizeof(s), cat, "llama", "llama", LIN_REL_ALL, -1);
	assert_string_equal(s, "llama:0:-:-");
	common_str(s, sizeof(s), cat, "bloom", "llama", LIN_REL_ALL, -1);
	assert_string_equal(s, "");
	common_str(s, sizeof(s), cat, "mixtral-8x7b", "vicuna", LIN_REL_ALL, -1);
	assert_string_equal(s, "");
	/* filtered: without distill edges only LLaMA is shared */
	common_str(s, sizeof(s), cat, "alpaca", "vicuna", LIN_REL_ALL & ~LIN_REL_BIT(LIN_REL_DISTILL),
	           -1);
	assert_string_equal(s, "llama:2:-:-");
}

static void common_depth(void **state)
{
	const lin_catalog *cat = *state;
	char s[1024];
	common_str(s, sizeof(s), cat, "alpaca", "vicuna", LIN_REL_ALL, 1);
	assert_string_equal(s, "gpt-3.5-turbo:2:-:- llama:2:-:-");
	/* LLaMA is two steps from each: beyond depth 1 */
	common_str(s, sizeof(s), cat, "llava", "orca-2", LIN_REL_ALL, 1);
	assert_string_equal(s, "gpt-4:2:-:-");
	common_str(s, sizeof(s), cat, "mythologic-l2-13b", "huginn-13b", LIN_REL_ALL, 0);
	assert_string_equal(s, "");
}

/* ---- roots ----------------------------------------------------------------- */

/* The root-set pass and the BFS per root (used past the pass's budget)
 * count the same families. */
static void roots_fallback_agrees(void **state)
{
	const lin_catalog *cat = *state;
	lin_roots a = {NULL, 0}, b = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	assert_int_equal(lin_query_roots(&a, cat, &o, &e), 0);
	assert_int_equal(lin_i_query_roots_budget(&b, cat, &o, 0, &e), 0);
	assert_int_equal(a.n, b.n);
	assert_true(a.n > 0);
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(a.items[i].vertex, b.items[i].vertex);
		assert_int_equal(a.items[i].total, b.items[i].total);
		igraph_integer_t sa = 0, sb = 0;
		for (int k = 0; k < LIN_REL_COUNT; k++)
			sa += a.items[i].by_relation[k], sb += b.items[i].by_relation[k];
		assert_int_equal(sa, a.items[i].total);
		assert_int_equal(sb, b.items[i].total);
	}
	lin_roots_dispose(&a);
	lin_roots_dispose(&b);
}

/* Children listed before their parents: vertex order is not topological,
 * so the passes over all models take igraph's topological order. A merge,
 * a parent listed twice (by two relations: the lower edge id wins the tie)
 * and a model without relatives. */
static const char unordered[] =
	"- {id: c, stage: quantized, sources: [s], parents: [{model: b, relation: quantized, sources: [s]}]}\n"
	"- {id: m, stage: merged, sources: [s], parents: [{model: b, relation: merge, sources: [s]}, {model: r2, relation: merge, sources: [s]}]}\n"
	"- {id: b, stage: sft, sources: [s], parents: [{model: r1, relation: finetune, sources: [s]}]}\n"
	"- {id: d, stage: sft, sources: [s], parents: [{model: m, relation: finetune, sources: [s]}, {model: m, relation: adapter, sources: [s]}]}\n"
	"- {id: r1, stage: pretrained, sources: [s]}\n"
	"- {id: r2, stage: pretrained, sources: [s]}\n"
	"- {id: lone, stage: pretrained, sources: [s]}\n";

static void roots_unordered_catalog(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_text(unordered);
	lin_roots r = {NULL, 0}, b = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	assert_int_equal(lin_query_roots(&r, cat, &o, &e), 0);
	assert_int_equal(r.n, 2); /* lone has no descendants */
	assert_string_equal(id(cat, r.items[0].vertex), "r1");
	assert_int_equal(r.items[0].total, 4);
	static const igraph_integer_t r1[LIN_REL_COUNT] = {
		[LIN_REL_FINETUNE] = 2, [LIN_REL_MERGE] = 1, [LIN_REL_QUANTIZED] = 1};
	assert_memory_equal(r.items[0].by_relation, r1, sizeof(r1));
	assert_string_equal(id(cat, r.items[1].vertex), "r2");
	assert_int_equal(r.items[1].total, 2);
	static const igraph_integer_t r2[LIN_REL_COUNT] = {[LIN_REL_FINETUNE] = 1, [LIN_REL_MERGE] = 1};
	assert_memory_equal(r.items[1].by_relation, r2, sizeof(r2));
	/* the BFS fallback counts the same families */
	assert_int_equal(lin_i_query_roots_budget(&b, cat, &o, 0, &e), 0);
	assert_int_equal(b.n, 2);
	for (size_t i = 0; i < b.n; i++) {
		assert_int_equal(b.items[i].vertex, r.items[i].vertex);
		assert_int_equal(b.items[i].total, r.items[i].total);
	}
	lin_roots_dispose(&r);
	lin_roots_dispose(&b);
	lin_catalog_free(cat);
}

static void roots_ranked(void **state)
{
	const lin_catalog *cat = *state;
	lin_roots r = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	assert_int_equal(lin_query_roots(&r, cat, &o, &e), 0);
	assert_int_equal(r.n, 4); /* BLOOM has no descendants */
	assert_string_equal(id(cat, r.items[0].vertex), "llama");
	assert_int_equal(r.items[0].total, 15);
	static const igraph_integer_t llama[LIN_REL_COUNT] = {
		[LIN_REL_FINETUNE] = 6, [LIN_REL_ADAPTER] = 2, [LIN_REL_MERGE] = 1,
		[LIN_REL_QUANTIZED] = 1, [LIN_REL_CONTINUED_PRETRAIN] = 1, [LIN_REL_RLHF] = 1,
		[LIN_REL_MULTIMODAL] = 1, [LIN_REL_RECIPE] = 1, [LIN_REL_PRUNE] = 1,
	};
	assert_memory_equal(r.items[0].by_relation, llama, sizeof(llama));
	assert_string_equal(id(cat, r.items[1].vertex), "gpt-3.5-turbo");
	assert_int_equal(r.items[1].total, 4);
	assert_int_equal(r.items[1].by_relation[LIN_REL_DISTILL], 2);
	assert_int_equal(r.items[1].by_relation[LIN_REL_MULTIMODAL], 1);
	assert_int_equal(r.items[1].by_relation[LIN_REL_RECIPE], 1);
	assert_string_equal(id(cat, r.items[2].vertex), "gpt-4");
	assert_int_equal(r.items[2].total, 2);
	assert_int_equal(r.items[2].by_relation[LIN_REL_DISTILL], 2);
	assert_string_equal(id(cat, r.items[3].vertex), "mistral-7b");
	assert_int_equal(r.items[3].total, 1);
	assert_int_equal(r.items[3].by_relation[LIN_REL_UPCYCLE], 1);
	for (size_t i = 0; i < r.n; i++) {
		igraph_integer_t sum = 0;
		for (int k = 0; k < LIN_REL_COUNT; k++)
			sum += r.items[i].by_relation[k];
		assert_int_equal(sum, r.items[i].total);
	}
	lin_roots_dispose(&r);
	assert_null(r.items);
	lin_roots_dispose(NULL);
}

/* A family's members, sorted by id, agree with lin_query_reach; the JSON
 * of roots carries them with members set, and nothing changes without. */
static void roots_members(void **state)
{
	const lin_catalog *cat = *state;
	lin_roots r = {NULL, 0};
	lin_hits h = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_buf with = LIN_BUF_INIT, without = LIN_BUF_INIT, plain = LIN_BUF_INIT;
	lin_error e;
	igraph_vector_int_t m;
	igraph_vector_int_init(&m, 0);
	igraph_integer_t llama = th_find(cat, "llama");
	assert_int_equal(lin_query_members(&m, cat, llama, &o, &e), 0);
	assert_int_equal(lin_query_reach(&h, cat, llama, IGRAPH_OUT, &o, &e), 0);
	assert_int_equal(igraph_vector_int_size(&m), (igraph_integer_t)h.n);
	assert_int_equal(h.n, 15);
	for (igraph_integer_t i = 1; i < igraph_vector_int_size(&m); i++)
		assert_true(strcmp(id(cat, VECTOR(m)[i - 1]), id(cat, VECTOR(m)[i])) < 0);
	assert_string_equal(id(cat, VECTOR(m)[0]), "alpaca");
	o.relations = LIN_REL_BIT(LIN_REL_ADAPTER);
	assert_int_equal(lin_query_members(&m, cat, llama, &o, &e), 0);
	assert_int_equal(igraph_vector_int_size(&m), 2);
	assert_string_equal(id(cat, VECTOR(m)[0]), "chinese-vicuna");
	assert_string_equal(id(cat, VECTOR(m)[1]), "guanaco-qlora");
	o.relations = LIN_REL_ALL;
	assert_int_equal(lin_query_roots(&r, cat, &o, &e), 0);
	assert_int_equal(lin_export_roots_json_ext(&with, cat, &r, 1, &o, &e), 0);
	assert_non_null(strstr(with.data, ",\"members\":[\"alpaca\",\"chinese-llama\","));
	assert_int_equal(lin_export_roots_json_ext(&without, cat, &r, 1, NULL, NULL), 0);
	assert_int_equal(lin_export_roots_json(&plain, cat, &r, 1), 0);
	assert_string_equal(without.data, plain.data);
	assert_null(strstr(plain.data, "members"));
	lin_buf_dispose(&with);
	lin_buf_dispose(&without);
	lin_buf_dispose(&plain);
	lin_roots_dispose(&r);
	lin_hits_dispose(&h);
	igraph_vector_int_destroy(&m);
}

static void roots_filtered_ties_by_id(void **state)
{
	const lin_catalog *cat = *state;
	lin_roots r = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	o.relations = LIN_REL_BIT(LIN_REL_FINETUNE);
	assert_int_equal(lin_query_roots(&r, cat, &o, &e), 0);
	/* under finetune alone Llama 2 is a root; both have 3 fine-tunes */
	assert_int_equal(r.n, 2);
	assert_string_equal(id(cat, r.items[0].vertex), "llama");
	assert_int_equal(r.items[0].total, 3);
	assert_string_equal(id(cat, r.items[1].vertex), "llama-2");
	assert_int_equal(r.items[1].total, 3);
	assert_int_equal(r.items[1].by_relation[LIN_REL_FINETUNE], 3);
	lin_roots_dispose(&r);
	o.relations = 0;
	assert_int_equal(lin_query_roots(&r, cat, &o, &e), 0);
	assert_int_equal(r.n, 0);
	lin_roots_dispose(&r);
}

/* ---- stats ----------------------------------------------------------------- */

static void chain_str(char *out, size_t n, const lin_catalog *cat, const igraph_vector_int_t *c)
{
	size_t used = 0;
	out[0] = '\0';
	for (igraph_integer_t j = 0; j < igraph_vector_int_size(c); j++)
		used += (size_t)snprintf(out + used, n - used, "%s%s", j ? " " : "", id(cat, VECTOR(*c)[j]));
}

static void stats_numbers(void **state)
{
	const lin_catalog *cat = *state;
	lin_stats s;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	char c[512];
	assert_int_equal(lin_query_stats(&s, cat, &o, &e), 0);
	assert_int_equal(s.models, 21);
	assert_int_equal(s.edges, 22);
	assert_int_equal(s.roots, 5);
	assert_int_equal(s.leaves, 11);
	assert_int_equal(s.components, 3);
	static const igraph_integer_t by_stage[LIN_STAGE_COUNT] = {5, 2, 5, 3, 1, 1, 1, 2, 1, 0};
	assert_memory_equal(s.by_stage, by_stage, sizeof(by_stage));
	static const igraph_integer_t by_rel[LIN_REL_COUNT] = {6, 2, 2, 1, 1, 1, 4, 1, 2, 1, 1};
	assert_memory_equal(s.by_relation, by_rel, sizeof(by_rel));
	assert_int_equal(igraph_vector_int_size(&s.depth_hist), 5);
	static const igraph_integer_t hist[] = {5, 7, 7, 1, 1};
	for (int d = 0; d < 5; d++)
		assert_int_equal(VECTOR(s.depth_hist)[d], hist[d]);
	assert_int_equal(igraph_vector_int_list_size(&s.longest), 5);
	chain_str(c, sizeof(c), cat, igraph_vector_int_list_get_ptr(&s.longest, 0));
	assert_string_equal(c, "llama llama-2 mythologic-l2-13b mythomax-l2-13b mythomax-l2-13b-gptq");
	/* the next chains are not prefixes of the first */
	chain_str(c, sizeof(c), cat, igraph_vector_int_list_get_ptr(&s.longest, 1));
	assert_string_equal(c, "gpt-3.5-turbo alpaca chinese-vicuna");
	chain_str(c, sizeof(c), cat, igraph_vector_int_list_get_ptr(&s.longest, 4));
	assert_string_equal(c, "llama llama-2 orca-2");
	assert_int_equal(igraph_vector_int_size(&s.widest), 5);
	static const char *const widest[] = {"llama", "llama-2", "gpt-3.5-turbo", "gpt-4", "mistral-7b"};
	for (int i = 0; i < 5; i++)
		assert_string_equal(id(cat, VECTOR(s.widest)[i]), widest[i]);
	lin_stats_dispose(&s);
}

/* Weak components are counted through the root sets (roots joined where a
 * merge puts several in one set): the same number igraph finds on the
 * whole graph, and the longest chain found in igraph's topological order. */
static void stats_components_agree(void **state)
{
	lin_catalog *cats[2] = {*state, th_load_text(unordered)};
	static const char *const mixed =
		"- {id: x1, stage: pretrained, sources: [s]}\n"
		"- {id: x2, stage: pretrained, sources: [s]}\n"
		"- {id: x3, stage: pretrained, sources: [s]}\n"
		"- {id: y, stage: merged, sources: [s], parents: [{model: x1, relation: merge, sources: [s]}, {model: x2, relation: merge, sources: [s]}]}\n"
		"- {id: z, stage: merged, sources: [s], parents: [{model: y, relation: merge, sources: [s]}, {model: x3, relation: merge, sources: [s]}]}\n"
		"- {id: w1, stage: pretrained, sources: [s]}\n"
		"- {id: w2, stage: sft, sources: [s], parents: [{model: w1, relation: finetune, sources: [s]}]}\n";
	lin_catalog *third = th_load_text(mixed);
	const lin_catalog *all[3] = {cats[0], cats[1], third};
	static const igraph_integer_t want[3] = {3, 2, 2};
	for (int i = 0; i < 3; i++) {
		lin_stats s;
		lin_query_opts o = LIN_QUERY_OPTS_INIT;
		lin_error e;
		igraph_integer_t nc = -1;
		assert_int_equal(lin_query_stats(&s, all[i], &o, &e), 0);
		assert_int_equal(igraph_connected_components(lin_catalog_graph(all[i]), NULL, NULL, &nc, IGRAPH_WEAK), IGRAPH_SUCCESS);
		assert_int_equal(s.components, nc);
		assert_int_equal(s.components, want[i]);
		lin_stats_dispose(&s);
	}
	lin_stats s;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	char c[256];
	assert_int_equal(lin_query_stats(&s, cats[1], &o, &e), 0);
	chain_str(c, sizeof(c), cats[1], igraph_vector_int_list_get_ptr(&s.longest, 0));
	assert_string_equal(c, "r1 b m d");
	lin_stats_dispose(&s);
	/* a relation filter splits the merge: x3 and z apart from x1 x2 y */
	o.relations = LIN_REL_BIT(LIN_REL_FINETUNE);
	assert_int_equal(lin_query_stats(&s, third, &o, &e), 0);
	assert_int_equal(s.components, 6);
	lin_stats_dispose(&s);
	lin_catalog_free(cats[1]);
	lin_catalog_free(third);
}

static void stats_filtered(void **state)
{
	const lin_catalog *cat = *state;
	lin_stats s;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	char c[512];
	o.relations = LIN_REL_BIT(LIN_REL_FINETUNE) | LIN_REL_BIT(LIN_REL_MERGE) |
	              LIN_REL_BIT(LIN_REL_QUANTIZED);
	assert_int_equal(lin_query_stats(&s, cat, &o, &e), 0);
	assert_int_equal(s.models, 21);
	assert_int_equal(s.edges, 9);
	assert_int_equal(s.roots, 13);
	assert_int_equal(s.leaves, 16);
	assert_int_equal(s.components, 13);
	assert_int_equal(s.by_relation[LIN_REL_FINETUNE], 6);
	assert_int_equal(s.by_relation[LIN_REL_MERGE], 2);
	assert_int_equal(s.by_relation[LIN_REL_DISTILL], 0);
	assert_int_equal(igraph_vector_int_size(&s.depth_hist), 4);
	assert_int_equal(VECTOR(s.depth_hist)[0], 13);
	chain_str(c, sizeof(c), cat, igraph_vector_int_list_get_ptr(&s.longest, 0));
	assert_string_equal(c, "llama-2 mythologic-l2-13b mythomax-l2-13b mythomax-l2-13b-gptq");
	lin_stats_dispose(&s);
}

static void stats_empty_catalog(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_stats s;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	assert_int_equal(lin_query_stats(&s, cat, &o, &e), 0);
	assert_int_equal(s.models, 0);
	assert_int_equal(s.edges, 0);
	assert_int_equal(s.components, 0);
	assert_int_equal(igraph_vector_int_size(&s.depth_hist), 0);
	assert_int_equal(igraph_vector_int_list_size(&s.longest), 0);
	assert_int_equal(igraph_vector_int_size(&s.widest), 0);
	lin_stats_dispose(&s);
	lin_roots r = {NULL, 0};
	assert_int_equal(lin_query_roots(&r, cat, &o, &e), 0);
	assert_int_equal(r.n, 0);
	lin_roots_dispose(&r);
	lin_catalog_free(cat);
}

/* ---- neighbours ------------------------------------------------------------ */

/* Edges as "from-relation->to" joined with spaces. */
static void edges_str(char *out, size_t n, const lin_catalog *cat, const igraph_vector_int_t *v)
{
	const igraph_t *g = lin_catalog_graph(cat);
	size_t used = 0;
	out[0] = '\0';
	for (igraph_integer_t j = 0; j < igraph_vector_int_size(v); j++) {
		igraph_integer_t e = VECTOR(*v)[j];
		used += (size_t)snprintf(out + used, n - used, "%s%s-%s->%s", j ? " " : "",
		                         id(cat, IGRAPH_FROM(g, e)),
		                         lin_relation_name(lin_catalog_edge_relation(cat, e)),
		                         id(cat, IGRAPH_TO(g, e)));
	}
}

static void parents_str(char *out, size_t n, const lin_catalog *cat, const char *who,
                        lin_relmask mask, int children)
{
	igraph_vector_int_t v;
	lin_error e;
	assert_int_equal(igraph_vector_int_init(&v, 3), IGRAPH_SUCCESS); /* replaced, not appended to */
	igraph_integer_t x = th_find(cat, who);
	assert_int_equal(children ? lin_catalog_children(&v, cat, x, mask, &e)
	                          : lin_catalog_parents(&v, cat, x, mask, &e), 0);
	edges_str(out, n, cat, &v);
	igraph_vector_int_destroy(&v);
}

/* Parents come in the order the entry lists them, not igraph's order (by
 * the vertex at the other end: gpt-3.5-turbo is vertex 0, llama 2). */
static void neighbours_parents_in_entry_order(void **state)
{
	const lin_catalog *cat = *state;
	char s[1024];
	parents_str(s, sizeof(s), cat, "alpaca", LIN_REL_ALL, 0);
	assert_string_equal(s, "llama-finetune->alpaca gpt-3.5-turbo-distill->alpaca");
	parents_str(s, sizeof(s), cat, "llava", LIN_REL_ALL, 0);
	assert_string_equal(s, "vicuna-multimodal->llava gpt-4-distill->llava");
	parents_str(s, sizeof(s), cat, "alpaca", LIN_REL_BIT(LIN_REL_DISTILL), 0);
	assert_string_equal(s, "gpt-3.5-turbo-distill->alpaca");
	parents_str(s, sizeof(s), cat, "alpaca", LIN_REL_BIT(LIN_REL_MERGE), 0);
	assert_string_equal(s, "");
	parents_str(s, sizeof(s), cat, "llama", LIN_REL_ALL, 0);
	assert_string_equal(s, "");
}

static void neighbours_children_in_catalog_order(void **state)
{
	const lin_catalog *cat = *state;
	char s[1024];
	parents_str(s, sizeof(s), cat, "llama", LIN_REL_ALL, 1);
	assert_string_equal(s, "llama-recipe->llama-2 llama-finetune->alpaca llama-finetune->vicuna "
	                       "llama-adapter->chinese-vicuna llama-adapter->guanaco-qlora "
	                       "llama-finetune->guanaco-multilingual "
	                       "llama-continued-pretrain->chinese-llama");
	parents_str(s, sizeof(s), cat, "llama", LIN_REL_BIT(LIN_REL_ADAPTER), 1);
	assert_string_equal(s, "llama-adapter->chinese-vicuna llama-adapter->guanaco-qlora");
	parents_str(s, sizeof(s), cat, "mythomax-l2-13b-gptq", LIN_REL_ALL, 1);
	assert_string_equal(s, "");
}

/* Against the definition, for every model and several filters: the edges
 * of the catalog, in id order, that end (start) at v with a relation in
 * the mask. */
static void neighbours_match_edge_list(void **state)
{
	lin_catalog *cats[2] = {*state, th_load_text(unordered)};
	static const lin_relmask masks[] = {LIN_REL_ALL, 0, LIN_REL_BIT(LIN_REL_FINETUNE),
	                                    LIN_REL_BIT(LIN_REL_MERGE) | LIN_REL_BIT(LIN_REL_DISTILL)};
	igraph_vector_int_t got, want;
	lin_error e;
	assert_int_equal(igraph_vector_int_init(&got, 0), IGRAPH_SUCCESS);
	assert_int_equal(igraph_vector_int_init(&want, 0), IGRAPH_SUCCESS);
	for (int c = 0; c < 2; c++) {
		const igraph_t *g = lin_catalog_graph(cats[c]);
		for (size_t k = 0; k < sizeof(masks) / sizeof(masks[0]); k++)
			for (igraph_integer_t v = 0; v < lin_catalog_count(cats[c]); v++)
				for (int kids = 0; kids < 2; kids++) {
					igraph_vector_int_clear(&want);
					for (igraph_integer_t x = 0; x < igraph_ecount(g); x++)
						if ((kids ? IGRAPH_FROM(g, x) : IGRAPH_TO(g, x)) == v &&
						    (masks[k] & LIN_REL_BIT(lin_catalog_edge_relation(cats[c], x))))
							assert_int_equal(igraph_vector_int_push_back(&want, x), IGRAPH_SUCCESS);
					assert_int_equal(kids ? lin_catalog_children(&got, cats[c], v, masks[k], &e)
					                      : lin_catalog_parents(&got, cats[c], v, masks[k], &e), 0);
					assert_true(igraph_vector_int_all_e(&got, &want));
				}
	}
	igraph_vector_int_destroy(&got);
	igraph_vector_int_destroy(&want);
	lin_catalog_free(cats[1]);
}

static void neighbours_errors(void **state)
{
	const lin_catalog *cat = *state;
	lin_catalog *raw = NULL;
	igraph_vector_int_t v;
	lin_error e;
	assert_int_equal(igraph_vector_int_init(&v, 2), IGRAPH_SUCCESS);
	assert_int_equal(lin_catalog_parents(&v, cat, lin_catalog_count(cat), LIN_REL_ALL, &e), LIN_EGRAPH);
	assert_int_equal(igraph_vector_int_size(&v), 0);
	assert_int_equal(igraph_vector_int_resize(&v, 2), IGRAPH_SUCCESS);
	assert_int_equal(lin_catalog_children(&v, cat, -1, LIN_REL_ALL, &e), LIN_EGRAPH);
	assert_int_equal(igraph_vector_int_size(&v), 0);
	const char *text = "- {id: a, stage: sft, sources: [s]}\n";
	assert_int_equal(lin_catalog_new(&raw, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(raw, "t", text, strlen(text), NULL, &e), 0);
	assert_int_equal(lin_catalog_children(&v, raw, 0, LIN_REL_ALL, &e), LIN_EINVAL);
	assert_string_equal(e.msg, "the catalog is not finished");
	assert_int_equal(lin_catalog_parents(&v, raw, 0, LIN_REL_ALL, &e), LIN_EINVAL);
	lin_catalog_free(raw);
	igraph_vector_int_destroy(&v);
}

/* ---- failure paths ---------------------------------------------------------- */

/* Bad vertices fail cleanly (valgrind and ASan check that nothing leaks
 * or is freed twice) and leave empty results. */
static void bad_vertices_fail_cleanly(void **state)
{
	const lin_catalog *cat = *state;
	igraph_integer_t n = lin_catalog_count(cat), llama = th_find(cat, "llama");
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	igraph_vector_int_list_t paths;
	lin_hits h = {NULL, 0};
	assert_int_equal(igraph_vector_int_list_init(&paths, 0), IGRAPH_SUCCESS);
	for (int filtered = 0; filtered < 2; filtered++) {
		o.relations = filtered ? LIN_REL_BIT(LIN_REL_FINETUNE) : LIN_REL_ALL;
		/* from bad: the first BFS fails; to bad: the second, after the first */
		assert_int_equal(lin_query_paths(&paths, cat, n, llama, &o, &e), LIN_EGRAPH);
		assert_int_equal(igraph_vector_int_list_size(&paths), 0);
		assert_int_equal(lin_query_paths(&paths, cat, llama, -5, &o, &e), LIN_EGRAPH);
		assert_int_equal(igraph_vector_int_list_size(&paths), 0);
		assert_int_equal(lin_query_common(&h, cat, n + 3, llama, &o, &e), LIN_EGRAPH);
		assert_null(h.items);
		assert_int_equal(lin_query_common(&h, cat, llama, n, &o, &e), LIN_EGRAPH);
		assert_null(h.items);
		assert_int_equal(lin_query_reach(&h, cat, n, IGRAPH_IN, &o, &e), LIN_EGRAPH);
		assert_null(h.items);
	}
	igraph_vector_int_list_destroy(&paths);
}

/* Every query on an unfinished catalog is LIN_EINVAL before anything is
 * built, and the stats it leaves are disposable. */
static void unfinished_catalog_every_query(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	igraph_vector_int_list_t paths;
	lin_hits h = {NULL, 0};
	lin_stats st;
	const char *text = "- {id: a, stage: sft, sources: [s]}\n- {id: b, stage: sft, sources: [s]}\n";
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "t", text, strlen(text), NULL, &e), 0);
	assert_int_equal(igraph_vector_int_list_init(&paths, 0), IGRAPH_SUCCESS);
	assert_int_equal(lin_query_paths(&paths, cat, 0, 1, &o, &e), LIN_EINVAL);
	assert_int_equal(lin_query_common(&h, cat, 0, 1, &o, &e), LIN_EINVAL);
	assert_null(h.items);
	o.relations = LIN_REL_BIT(LIN_REL_MERGE);
	assert_int_equal(lin_query_stats(&st, cat, &o, &e), LIN_EINVAL);
	assert_int_equal(igraph_vector_int_size(&st.depth_hist), 0);
	lin_stats_dispose(&st);
	lin_stats_dispose(&st); /* twice: harmless */
	igraph_vector_int_list_destroy(&paths);
	lin_catalog_free(cat);
}

/* A filter with no relation leaves a view without edges: every model is
 * its own root, family and component. */
static void empty_view_every_query(void **state)
{
	const lin_catalog *cat = *state;
	igraph_integer_t n = lin_catalog_count(cat);
	igraph_integer_t llama = th_find(cat, "llama"), alpaca = th_find(cat, "alpaca");
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	igraph_vector_int_list_t paths;
	lin_hits h = {NULL, 0};
	lin_roots r = {NULL, 0};
	lin_stats st;
	char s[256];
	o.relations = 0;
	assert_int_equal(lin_query_reach(&h, cat, alpaca, IGRAPH_IN, &o, &e), 0);
	assert_int_equal(h.n, 0);
	lin_hits_dispose(&h);
	assert_int_equal(igraph_vector_int_list_init(&paths, 0), IGRAPH_SUCCESS);
	assert_int_equal(lin_query_paths(&paths, cat, llama, alpaca, &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 0);
	igraph_vector_int_list_destroy(&paths);
	assert_int_equal(lin_query_common(&h, cat, llama, alpaca, &o, &e), 0);
	assert_int_equal(h.n, 0);
	lin_hits_dispose(&h);
	assert_int_equal(lin_query_common(&h, cat, alpaca, alpaca, &o, &e), 0);
	hits_str(s, sizeof(s), cat, &h);
	assert_string_equal(s, "alpaca:0:-:-");
	lin_hits_dispose(&h);
	assert_int_equal(lin_query_roots(&r, cat, &o, &e), 0);
	assert_int_equal(r.n, 0);
	lin_roots_dispose(&r);
	assert_int_equal(lin_query_stats(&st, cat, &o, &e), 0);
	assert_int_equal(st.models, n);
	assert_int_equal(st.edges, 0);
	assert_int_equal(st.roots, n);
	assert_int_equal(st.leaves, n);
	assert_int_equal(st.components, n);
	assert_int_equal(igraph_vector_int_size(&st.depth_hist), 1);
	assert_int_equal(VECTOR(st.depth_hist)[0], n);
	assert_int_equal(igraph_vector_int_list_size(&st.longest), 0);
	assert_int_equal(igraph_vector_int_size(&st.widest), 0);
	lin_stats_dispose(&st);
}

/* lin_catalog_child_count agrees with lin_catalog_children under every
 * single-relation filter, and is 0 for a bad vertex. */
static void child_count_matches_children(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("mini");
	igraph_vector_int_t kids;
	assert_int_equal(igraph_vector_int_init(&kids, 0), 0);
	for (igraph_integer_t v = 0; v < lin_catalog_count(cat); v++)
		for (int r = 0; r <= LIN_REL_COUNT; r++) {
			lin_relmask m = r == LIN_REL_COUNT ? LIN_REL_ALL : LIN_REL_BIT(r);
			assert_int_equal(lin_catalog_children(&kids, cat, v, m, NULL), 0);
			assert_int_equal(lin_catalog_child_count(cat, v, m), igraph_vector_int_size(&kids));
		}
	assert_int_equal(lin_catalog_child_count(cat, lin_catalog_count(cat) + 5, LIN_REL_ALL), 0);
	igraph_vector_int_destroy(&kids);
	lin_catalog_free(cat);
}

/* ---- the licence audit ------------------------------------------------------ */

static size_t flags_of(const lin_license_audit *a, lin_license_problem p)
{
	size_t n = 0;
	for (size_t i = 0; i < a->nflags; i++)
		n += a->flags[i].problem == p;
	return n;
}

/* Drift two steps down, through a quantized copy; the chain of each entry
 * leads back to the audited model; a distill from a proprietary model is
 * flagged but breaks no chain; --relation narrows what is followed. */
static void licence_audit(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("licence/drift.yaml");
	lin_license_audit *a = NULL;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	igraph_integer_t q = th_find(cat, "mit-tune-int4");
	assert_int_equal(lin_license_audit_new(&a, cat, q, &o, &e), 0);
	assert_int_equal(a->n, 4);
	assert_int_equal(a->entries[0].vertex, q);
	assert_int_equal(a->entries[0].next, SIZE_MAX);
	for (size_t i = 1; i < a->n; i++) {
		size_t steps = 0;
		for (size_t k = i; k != 0; k = a->entries[k].next)
			assert_true(++steps <= (size_t)a->entries[i].distance);
		assert_int_equal(steps, a->entries[i].distance);
	}
	assert_int_equal(flags_of(a, LIN_LICENSE_DRIFT), 2);
	assert_int_equal(flags_of(a, LIN_LICENSE_DISTILLED), 1);
	assert_int_equal(flags_of(a, LIN_LICENSE_UNKNOWN_TERMS), 0);
	assert_int_equal(a->flags[0].problem, LIN_LICENSE_DRIFT);
	assert_int_equal(a->flags[0].entry, 0);
	assert_int_equal(a->entries[a->flags[0].other].vertex, th_find(cat, "nc-base"));
	assert_non_null(strstr(a->flags[0].message, "in 2 steps"));
	lin_license_audit_free(a);
	/* without distill the teacher is not reached, and not flagged */
	assert_int_equal(lin_relmask_parse(&o.relations, "finetune,quantized", &e), 0);
	assert_int_equal(lin_license_audit_new(&a, cat, q, &o, &e), 0);
	assert_int_equal(a->n, 3);
	assert_int_equal(flags_of(a, LIN_LICENSE_DISTILLED), 0);
	assert_int_equal(flags_of(a, LIN_LICENSE_DRIFT), 2);
	lin_license_audit_free(a);
	/* through quantized only the chain to the base is cut: no drift below */
	assert_int_equal(lin_relmask_parse(&o.relations, "quantized", &e), 0);
	assert_int_equal(lin_license_audit_new(&a, cat, q, &o, &e), 0);
	assert_int_equal(a->n, 2);
	assert_int_equal(a->nflags, 0);
	lin_license_audit_free(a);
	/* an unknown licence */
	o.relations = LIN_REL_ALL;
	assert_int_equal(lin_license_audit_new(&a, cat, th_find(cat, "odd-licence"), &o, &e), 0);
	assert_int_equal(flags_of(a, LIN_LICENSE_UNKNOWN_TERMS), 1);
	lin_license_audit_free(a);
	lin_license_audit_free(NULL);
	lin_catalog_free(cat);
}

/* ---- the query language ---------------------------------------------------- */

/* The ids of a query's answer, space-separated in vertex order, or the
 * error as "E<code>@<col>: message". */
static const char *q(const lin_catalog *cat, const char *expr, const char *rel)
{
	static char buf[4096];
	igraph_vector_int_t set;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	if (rel)
		assert_int_equal(lin_relmask_parse(&o.relations, rel, &e), 0);
	assert_int_equal(igraph_vector_int_init(&set, 0), IGRAPH_SUCCESS);
	int rc = lin_query_eval(&set, cat, expr, &o, &e);
	buf[0] = 0;
	if (rc) {
		assert_string_equal(e.file, "<query>");
		snprintf(buf, sizeof(buf), "E%d@%d: %s", rc, e.col, e.msg);
	}
	for (igraph_integer_t i = 0; !rc && i < igraph_vector_int_size(&set); i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, lin_catalog_model(cat, VECTOR(set)[i])->id);
	}
	igraph_vector_int_destroy(&set);
	return buf;
}

static void lang_sets(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("licence/drift.yaml");
	/* nc-base, closed-teacher, mit-tune, mit-tune-int4, odd-licence, in catalog order */
	assert_string_equal(q(cat, "ancestors(mit-tune-int4)", NULL),
	                    "nc-base closed-teacher mit-tune mit-tune-int4");
	assert_string_equal(q(cat, "ancestors(mit-tune-int4, 1)", NULL), "mit-tune mit-tune-int4");
	assert_string_equal(q(cat, "ancestors(mit-tune-int4, 0)", NULL), "mit-tune-int4");
	assert_string_equal(q(cat, "ancestors(mit-tune-int4)", "finetune,quantized"),
	                    "nc-base mit-tune mit-tune-int4");
	assert_string_equal(q(cat, "descendants(nc-base) - descendants(mit-tune-int4)", NULL),
	                    "nc-base mit-tune");
	assert_string_equal(q(cat, "descendants(nc-base)^descendants(closed-teacher)", NULL),
	                    "mit-tune mit-tune-int4 odd-licence");
	assert_string_equal(q(cat, "nc-base union closed-teacher + odd-licence", NULL),
	                    "nc-base closed-teacher odd-licence");
	/* left to right: (a + b) - a */
	assert_string_equal(q(cat, "nc-base + mit-tune except nc-base", NULL), "mit-tune");
	assert_string_equal(q(cat, "nc-base + (mit-tune except nc-base)", NULL), "nc-base mit-tune");
	assert_string_equal(q(cat, "allpaths(nc-base, odd-licence)", NULL),
	                    "nc-base mit-tune mit-tune-int4 odd-licence");
	assert_string_equal(q(cat, "allpaths(odd-licence, nc-base)", NULL), "");
	assert_string_equal(q(cat, "somepath(closed-teacher, odd-licence)", NULL),
	                    "closed-teacher mit-tune mit-tune-int4 odd-licence");
	assert_string_equal(q(cat, "roots()", NULL), "nc-base closed-teacher");
	assert_string_equal(q(cat, "leaves()", NULL), "odd-licence");
	assert_string_equal(q(cat, "roots()", "quantized"), "nc-base closed-teacher mit-tune odd-licence");
	assert_string_equal(q(cat, "kind(distill)", NULL), "mit-tune");
	assert_string_equal(q(cat, "kind('finetune,quantized', descendants(mit-tune))", NULL),
	                    "mit-tune mit-tune-int4 odd-licence");
	assert_string_equal(q(cat, "stage(quantized)", NULL), "mit-tune-int4");
	assert_string_equal(q(cat, "attr(license, MIT)", NULL), "mit-tune mit-tune-int4");
	assert_string_equal(q(cat, "attr(weights, closed)", NULL), "closed-teacher");
	assert_string_equal(q(cat, "attr(name, 'nc base')", NULL), "nc-base"); /* case does not matter */
	assert_string_equal(q(cat, "attr(name, 'NC-Base')", NULL), "");
	assert_string_equal(q(cat, "attr(name, \"NC Base\")", NULL), "nc-base");
	assert_string_equal(q(cat, "let a = ancestors(mit-tune) in let b = $a - nc-base in $b + $a ^ $b",
	                       NULL), "closed-teacher mit-tune");
	assert_string_equal(q(cat, "all() - ancestors(mit-tune-int4)", NULL), "odd-licence");
	assert_string_equal(q(cat, "'NC Base'", NULL), "nc-base");
	/* a long flat chain is a loop, not a recursion: no depth limit applies */
	static char chain[4000 * 10];
	strcpy(chain, "nc-base");
	for (int i = 0; i < 3000; i++)
		strcat(chain, i % 2 ? " + mit-tune" : " - mit-tune");
	assert_string_equal(q(cat, chain, NULL), "nc-base mit-tune");
	lin_catalog_free(cat);
}

static void lang_dates(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_text(
		"- {id: y, released: '2023', stage: pretrained, sources: [s]}\n"
		"- {id: ym, released: '2023-06', stage: pretrained, sources: [s]}\n"
		"- {id: ymd, released: '2024-01-15', stage: pretrained, sources: [s]}\n"
		"- {id: none, stage: pretrained, sources: [s]}\n");
	/* a year alone is compared at the year: it may be in June */
	assert_string_equal(q(cat, "released(>=2023-06)", NULL), "y ym ymd");
	assert_string_equal(q(cat, "released(>2023-06)", NULL), "ymd");
	assert_string_equal(q(cat, "released(<2024)", NULL), "y ym");
	assert_string_equal(q(cat, "released(=2023)", NULL), "y ym");
	assert_string_equal(q(cat, "released(<=2024-01-14)", NULL), "y ym");
	lin_catalog_free(cat);
}

/* Each kind of error has its message and the column of its cause. */
static void lang_errors(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("licence/drift.yaml");
	assert_string_equal(q(cat, "ancestor(nc-base)", NULL),
	                    "E-3@1: unknown function 'ancestor' (did you mean 'ancestors'?)");
	assert_string_equal(q(cat, "nc-base excpt mit-tune", NULL),
	                    "E-3@9: expected an operator (union, intersect, except) or the end, "
	                    "found 'excpt' (did you mean 'except'?)");
	assert_string_equal(q(cat, "ancestors(nc-base", NULL),
	                    "E-3@18: expected ',' or ')', found the end");
	assert_string_equal(q(cat, "no-such", NULL), "E-5@1: no model named 'no-such'");
	assert_string_equal(q(cat, "$x", NULL),
	                    "E-3@1: unknown variable '$x' (bind it with let x = ... in ...)");
	assert_string_equal(q(cat, "ancestors(nc-base, -1)", NULL),
	                    "E-3@20: expected a model, a function or '(', found except");
	assert_string_equal(q(cat, "released(2023)", NULL),
	                    "E-3@10: released() takes a comparison and a date first, e.g. "
	                    "released(>=2023-01, ...)");
	assert_string_equal(q(cat, "kind(nope)", NULL),
	                    "E-3@6: kind(): unknown relation kind 'nope' (expected one of finetune, "
	                    "adapter, merge, quantized, continued-pretrain, rlhf, distill, multimodal, "
	                    "recipe, upcycle, prune)");
	assert_string_equal(q(cat, "roots(a, b)", NULL),
	                    "E-3@1: roots() takes 0 to 1 argument: roots([SET])");
	assert_string_equal(q(cat, "'open", NULL), "E-3@1: unterminated string");
	assert_string_equal(q(cat, "", NULL), "E-3@1: expected a model, a function or '(', found the end");
	assert_string_equal(q(cat, "ancestors(非商用) ?", NULL), "E-3@16: unexpected character '?'");
	/* nesting is bounded: no stack to exhaust */
	char deep[400];
	memset(deep, '(', 300);
	deep[300] = 0;
	assert_non_null(strstr(q(cat, deep, NULL), "nests deeper than 100"));
	lin_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(child_count_matches_children),
		cmocka_unit_test(ancestors_with_distances),
		cmocka_unit_test(ancestors_relation_filter),
		cmocka_unit_test(descendants_depth),
		cmocka_unit_test(query_needs_finished_catalog),
		cmocka_unit_test(reach_bad_vertex),
		cmocka_unit_test(reach_sorted_like_strcmp),
		cmocka_unit_test(paths_diamond),
		cmocka_unit_test(paths_shortest_only_and_filtered),
		cmocka_unit_test(paths_capped),
		cmocka_unit_test(common_nearest),
		cmocka_unit_test(common_depth),
		cmocka_unit_test(roots_ranked),
		cmocka_unit_test(roots_members),
		cmocka_unit_test(roots_fallback_agrees),
		cmocka_unit_test(roots_unordered_catalog),
		cmocka_unit_test(stats_components_agree),
		cmocka_unit_test(roots_filtered_ties_by_id),
		cmocka_unit_test(stats_numbers),
		cmocka_unit_test(stats_filtered),
		cmocka_unit_test(licence_audit),
		cmocka_unit_test(lang_sets),
		cmocka_unit_test(lang_dates),
		cmocka_unit_test(lang_errors),
		cmocka_unit_test(stats_empty_catalog),
		cmocka_unit_test(neighbours_parents_in_entry_order),
		cmocka_unit_test(neighbours_children_in_catalog_order),
		cmocka_unit_test(neighbours_match_edge_list),
		cmocka_unit_test(neighbours_errors),
		cmocka_unit_test(bad_vertices_fail_cleanly),
		cmocka_unit_test(unfinished_catalog_every_query),
		cmocka_unit_test(empty_view_every_query),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
