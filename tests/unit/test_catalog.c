/*
 * test_catalog.c - loading catalogs (files, directories, buffers), the
 * schema checks with their exact file:line:col messages, collecting
 * diagnostics, finishing (parents, duplicates, cycles, licence drift) and
 * finding models by id, name or alias (catalog.c, yamltree.c, index.c,
 * graph.c's lin_catalog_finish).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"

#include "lineage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MINI FIXTURES "/mini"
#define BAD FIXTURES "/bad/"

/* Loads and finishes the mini catalog; fails the test on any error. */
static lin_catalog *load_mini(lin_diags *d)
{
	lin_catalog *cat = NULL;
	lin_error e;
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_path(cat, MINI, d, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, d, &e), 0);
	return cat;
}

/* Loads a buffer and finishes; returns the first failing code. */
static int load_text(lin_catalog **cat, const char *text, lin_diags *d, lin_error *e)
{
	int rc;
	assert_int_equal(lin_catalog_new(cat, e), 0);
	rc = lin_catalog_load_buffer(*cat, "t.yaml", text, strlen(text), d, e);
	if (rc == 0)
		rc = lin_catalog_finish(*cat, d, e);
	return rc;
}

static const char *id_of(const lin_catalog *cat, const char *q)
{
	return lin_catalog_model(cat, th_find(cat, q))->id;
}

/* ---- the mini catalog ------------------------------------------------------ */

static void mini_loads_in_file_order(void **state)
{
	(void)state;
	lin_diags d;
	lin_diags_init(&d);
	lin_catalog *cat = load_mini(&d);
	static const char *const ids[] = {
		"gpt-3.5-turbo", "gpt-4", "llama", "llama-2", "mistral-7b", "bloom",
		"alpaca", "vicuna", "chinese-vicuna", "guanaco-qlora", "guanaco-multilingual",
		"chinese-llama", "llama-2-chat", "llava", "orca-2", "mythologic-l2-13b",
		"huginn-13b", "mythomax-l2-13b", "mixtral-8x7b", "sheared-llama",
		"mythomax-l2-13b-gptq",
	};
	assert_int_equal(lin_catalog_count(cat), 21);
	for (igraph_integer_t v = 0; v < 21; v++)
		assert_string_equal(lin_catalog_model(cat, v)->id, ids[v]);
	assert_null(lin_catalog_model(cat, 21));
	assert_null(lin_catalog_model(cat, -1));
	/* files are read in sorted name order; positions name them */
	assert_string_equal(lin_catalog_model(cat, 0)->pos.file, MINI "/10-base.yaml");
	assert_int_equal(lin_catalog_model(cat, 0)->pos.line, 4);
	assert_int_equal(lin_catalog_model(cat, 0)->pos.col, 3);
	assert_string_equal(lin_catalog_model(cat, 6)->pos.file, MINI "/20-derived.yaml");
	assert_string_equal(lin_catalog_model(cat, 20)->pos.file, MINI "/30-quantized.yaml");
	assert_int_equal(lin_catalog_model(cat, 20)->pos.line, 2);
	const igraph_t *g = lin_catalog_graph(cat);
	assert_non_null(g);
	assert_int_equal(igraph_vcount(g), 21);
	assert_int_equal(igraph_ecount(g), 22);
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

static void mini_fields(void **state)
{
	(void)state;
	lin_catalog *cat = load_mini(NULL);
	const lin_model *m = lin_catalog_model(cat, th_find(cat, "chinese-vicuna"));
	assert_string_equal(m->name, "Chinese-Vicuna");
	assert_int_equal(m->aliases.n, 1);
	assert_string_equal(m->aliases.items[0], "Chinese Vicuna");
	assert_string_equal(m->org, "Facico (community)");
	assert_string_equal(m->released, "2023-03");
	assert_int_equal(m->year, 2023);
	assert_int_equal(m->month, 3);
	assert_int_equal(m->params.n, 2);
	assert_string_equal(m->params.items[1], "13B");
	assert_int_equal(m->stage, LIN_STAGE_ADAPTER);
	assert_int_equal(m->arch, LIN_ARCH_DECODER_ONLY);
	assert_int_equal(m->weights, LIN_WEIGHTS_OPEN);
	assert_string_equal(m->license, "other");
	assert_string_equal(m->license_note, "code GPL-3.0; weights follow LLaMA's licence");
	assert_string_equal(m->training_data, "Belle + Guanaco Chinese instructions");
	assert_int_equal(m->links.n, 1);
	assert_string_equal(m->links.items[0], "https://github.com/Facico/Chinese-Vicuna");
	assert_int_equal(m->sources.n, 1);
	assert_int_equal(m->pos.line, 52);
	assert_int_equal(m->pos.col, 3);
	/* parents, resolved */
	assert_int_equal(m->nparents, 2);
	assert_string_equal(m->parents[0].ref, "llama");
	assert_int_equal(m->parents[0].vertex, th_find(cat, "llama"));
	assert_int_equal(m->parents[0].relation, LIN_REL_ADAPTER);
	assert_string_equal(m->parents[0].variant, "7B");
	assert_string_equal(m->parents[0].note, "LoRA on LLaMA-7B");
	assert_string_equal(m->parents[0].sources.items[0], "002_061194db4b5679d3.txt");
	assert_int_equal(m->parents[0].pos.line, 68);
	assert_int_equal(m->parents[0].pos.col, 7);
	assert_int_equal(m->parents[1].vertex, th_find(cat, "alpaca"));
	assert_int_equal(m->parents[1].relation, LIN_REL_RECIPE);
	assert_null(m->parents[1].variant);
	/* a parent named by alias or display name resolves to the id */
	const lin_model *alpaca = lin_catalog_model(cat, th_find(cat, "alpaca"));
	assert_string_equal(alpaca->parents[1].ref, "ChatGPT");
	assert_int_equal(alpaca->parents[1].vertex, th_find(cat, "gpt-3.5-turbo"));
	/* a scalar where a list may go is a one-item list; absent fields */
	const lin_model *mistral = lin_catalog_model(cat, th_find(cat, "mistral-7b"));
	assert_int_equal(mistral->params.n, 1);
	assert_string_equal(mistral->params.items[0], "7.3B");
	assert_int_equal(mistral->aliases.n, 0);
	assert_int_equal(mistral->languages.n, 0);
	assert_null(mistral->training_data);
	assert_int_equal(mistral->nparents, 0);
	const lin_model *huginn = lin_catalog_model(cat, th_find(cat, "huginn-13b"));
	assert_int_equal(huginn->arch, LIN_ARCH_UNKNOWN);
	assert_int_equal(huginn->weights, LIN_WEIGHTS_UNKNOWN);
	const lin_model *gpt4 = lin_catalog_model(cat, th_find(cat, "gpt-4"));
	assert_int_equal(gpt4->weights, LIN_WEIGHTS_CLOSED);
	assert_int_equal(gpt4->month, 3); /* from 2023-03-14 */
	const lin_model *mixtral = lin_catalog_model(cat, th_find(cat, "mixtral-8x7b"));
	assert_string_equal(mixtral->params.items[0], "8x7B");
	assert_int_equal(mixtral->arch, LIN_ARCH_MOE);
	lin_catalog_free(cat);
}

static void mini_edges(void **state)
{
	(void)state;
	lin_catalog *cat = load_mini(NULL);
	const igraph_t *g = lin_catalog_graph(cat);
	int seen[LIN_REL_COUNT] = {0};
	for (igraph_integer_t e = 0; e < igraph_ecount(g); e++) {
		const lin_parent *p = lin_catalog_edge_parent(cat, e);
		assert_int_equal(p->vertex, IGRAPH_FROM(g, e));
		assert_int_equal(p->relation, lin_catalog_edge_relation(cat, e));
		seen[p->relation]++;
	}
	for (int r = 0; r < LIN_REL_COUNT; r++)
		assert_true(seen[r] > 0); /* the fixture uses every kind */
	/* edges are numbered in catalog order: edge 0 is llama -> llama-2 */
	assert_int_equal(IGRAPH_FROM(g, 0), th_find(cat, "llama"));
	assert_int_equal(IGRAPH_TO(g, 0), th_find(cat, "llama-2"));
	assert_int_equal(lin_catalog_edge_relation(cat, 0), LIN_REL_RECIPE);
	assert_string_equal(lin_catalog_edge_parent(cat, 0)->note,
	                    "same architecture, new pre-training run on 2T tokens");
	lin_catalog_free(cat);
}

static void mini_warnings(void **state)
{
	(void)state;
	lin_diags d;
	lin_diags_init(&d);
	lin_catalog *cat = load_mini(&d);
	assert_int_equal(d.n, 3);
	assert_int_equal(lin_diags_errors(&d), 0);
	assert_int_equal(d.is_warning[0], 1);
	assert_int_equal(d.items[0].code, LIN_EDUP);
	assert_string_equal(d.items[0].file, MINI "/20-derived.yaml");
	assert_int_equal(d.items[0].line, 98);
	assert_int_equal(d.items[0].col, 3);
	assert_string_equal(d.items[0].msg,
	                    "'guanaco-multilingual' and 'guanaco-qlora' (" MINI
	                    "/20-derived.yaml:78:3) are both called 'Guanaco'; refer to them by id");
	assert_int_equal(d.is_warning[1], 1);
	assert_int_equal(d.items[1].code, LIN_EDRIFT);
	assert_int_equal(d.items[1].line, 43);
	assert_int_equal(d.items[1].col, 7);
	assert_string_equal(d.items[1].msg,
	                    "licence drift: 'vicuna' is apache-2.0 but derives from 'llama' "
	                    "(llama-research) by finetune");
	/* drift two steps down: LLaVA (apache-2.0) on Vicuna on LLaMA */
	assert_int_equal(d.is_warning[2], 1);
	assert_int_equal(d.items[2].code, LIN_EDRIFT);
	assert_string_equal(d.items[2].msg,
	                    "licence drift: 'llava' is apache-2.0 but derives from 'llama' "
	                    "(llama-research) in 2 steps: multimodal from 'vicuna', finetune from 'llama'");
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

/* ---- buffers --------------------------------------------------------------- */

static void buffer_basics(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	lin_diags_init(&d);
	const char *text =
		"- id: base\n"
		"  org: ~\n"
		"  license: null\n"
		"  released: '2021'\n"
		"  stage: pretrained\n"
		"  sources: x.txt\n"
		"- id: kid\n"
		"  name: \"Kid \\\"quoted\\\" \\u00e9\"\n"
		"  released: 2023-06-01\n"
		"  stage: sft\n"
		"  params: []\n"
		"  sources: [a, 'b c']\n"
		"  parents: [{model: BASE, relation: finetune, sources: [x]}]\n";
	assert_int_equal(load_text(&cat, text, &d, &e), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(lin_catalog_count(cat), 2);
	const lin_model *b = lin_catalog_model(cat, 0), *k = lin_catalog_model(cat, 1);
	assert_string_equal(b->pos.file, "t.yaml");
	assert_string_equal(b->name, "base"); /* the id stands in for a missing name */
	assert_null(b->org);                  /* ~ and null are "not given" */
	assert_null(b->license);
	assert_int_equal(b->year, 2021);
	assert_int_equal(b->month, 0);
	assert_int_equal(b->sources.n, 1);
	assert_string_equal(b->sources.items[0], "x.txt");
	assert_string_equal(k->name, "Kid \"quoted\" \xc3\xa9");
	assert_int_equal(k->year, 2023);
	assert_int_equal(k->month, 6);
	assert_int_equal(k->params.n, 0);
	assert_string_equal(k->sources.items[1], "b c");
	assert_int_equal(k->parents[0].vertex, 0);
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

static void buffer_without_name_and_diags(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	const char *text = "- {id: a, stage: sft, sources: [s]}\n";
	/* NULL name and NULL diags are allowed */
	assert_int_equal(lin_catalog_load_buffer(cat, NULL, text, strlen(text), NULL, &e), 0);
	assert_string_equal(lin_catalog_model(cat, 0)->pos.file, "<input>");
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	/* once finished, nothing more can be loaded or finished */
	assert_int_equal(lin_catalog_load_buffer(cat, "more.yaml", text, strlen(text), NULL, &e),
	                 LIN_EINVAL);
	assert_string_equal(e.file, "more.yaml");
	assert_string_equal(e.msg, "the catalog is already finished");
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), LIN_EINVAL);
	assert_string_equal(e.msg, "the catalog is already finished");
	assert_int_equal(lin_catalog_count(cat), 1);
	lin_catalog_free(cat);
	lin_catalog_free(NULL);
}

static void buffer_collects_every_problem(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	lin_diags_init(&d);
	/* three problems in one entry, one in another; the good entry stays */
	const char *text =
		"- id: good\n"
		"  stage: pretrained\n"
		"  sources: [s]\n"
		"- id: bad\n"
		"  stage: instruct\n"
		"  released: '2023-00'\n"
		"  colour: blue\n"
		"  sources: [s]\n"
		"- id: worse\n"
		"  stage: sft\n"
		"  weights: maybe\n"
		"  sources: [s]\n";
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "t.yaml", text, strlen(text), &d, &e),
	                 LIN_ESCHEMA);
	/* err holds the first problem */
	assert_int_equal(e.line, 7);
	assert_int_equal(e.col, 3);
	assert_string_equal(e.msg, "unknown key 'colour' in a model entry");
	assert_int_equal(d.n, 4);
	assert_int_equal(lin_diags_errors(&d), 4);
	assert_string_equal(d.items[0].msg, "unknown key 'colour' in a model entry");
	assert_int_equal(d.items[1].line, 5);
	assert_int_equal(d.items[1].col, 10);
	assert_string_equal(d.items[1].msg,
	                    "unknown stage 'instruct' (expected one of pretrained, continued-pretrain, "
	                    "sft, rlhf, distilled, merged, quantized, adapter, multimodal, unknown)");
	assert_int_equal(d.items[2].line, 6);
	assert_int_equal(d.items[2].col, 13);
	assert_string_equal(d.items[2].msg,
	                    "bad date '2023-00' (expected YYYY, YYYY-MM or YYYY-MM-DD)");
	assert_int_equal(d.items[3].line, 11);
	assert_int_equal(d.items[3].col, 12);
	assert_string_equal(d.items[3].msg, "'weights' must be open or closed, not 'maybe'");
	assert_int_equal(lin_catalog_count(cat), 1);
	assert_string_equal(lin_catalog_model(cat, 0)->id, "good");
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

static void buffer_schema_details(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int line, col;
		const char *msg;
	} cases[] = {
		{"- just a string\n", 1, 3,
		 "expected a model entry (a mapping with id, name, stage, ...)"},
		{"- {id: a, sources: [s]}\n", 1, 3, "model 'a' needs 'stage'"},
		{"- {id: a, stage: sft, sources: [s], parents: [llama]}\n", 1, 47,
		 "a parent must be a mapping with 'model' and 'relation'"},
		{"- {id: a, stage: sft, sources: [s], parents: [{relation: adapter, sources: [s]}]}\n",
		 1, 47, "a parent needs 'model' (the parent's id or name)"},
		{"- {id: a, stage: sft, sources: [s], parents: [{model: b, sources: [s]}]}\n", 1, 47,
		 "a parent needs 'relation' (finetune, adapter, merge, quantized, continued-pretrain, "
		 "rlhf, distill, multimodal, recipe, upcycle, prune)"},
		{"- {id: a, stage: sft, sources: [s], parents: [{model: b, relation: finetune, "
		 "sources: [s], via: c}]}\n", 1, 92, "unknown key 'via' in a parent"},
		{"- {id: a, stage: sft, sources: [s], parents: [{model: b, relation: finetune, "
		 "sourcse: [s]}]}\n", 1, 78, "unknown key 'sourcse' in a parent (did you mean 'sources'?)"},
		{"- {id: a, stage: sft, sources: {x: y}}\n", 1, 32,
		 "'sources' must be a list of values, not a mapping"},
		{"- {id: a, stage: sft, sources: [s, [t]]}\n", 1, 36,
		 "each item of 'sources' must be a single non-empty value"},
		{"- {id: a, stage: sft, sources: [s, ~]}\n", 1, 36,
		 "each item of 'sources' must be a single non-empty value"},
		{"- {id: a, stage: sft, sources: []}\n", 1, 3,
		 "model 'a' needs 'sources' (a seed file or URL)"},
		{"- {id: 'Llama', stage: sft, sources: [s]}\n", 1, 8,
		 "bad id 'Llama' (expected lowercase letters, digits, '.', '_', '/', '-', starting "
		 "with a letter or digit)"},
		{"- {id: -a, stage: sft, sources: [s]}\n", 1, 8,
		 "bad id '-a' (expected lowercase letters, digits, '.', '_', '/', '-', starting "
		 "with a letter or digit)"},
		{"- {id: a, stage: sft, sources: [s], released: '2023-02-30x'}\n", 1, 47,
		 "bad date '2023-02-30x' (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
		{"- {id: a, stage: sft, sources: [s], released: '1949'}\n", 1, 47,
		 "bad date '1949' (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
		{"- {id: a, stage: sft, sources: [s], params: [1.B]}\n", 1, 46,
		 "bad size '1.B' (expected a number with K, M, B or T, e.g. 7B, 1.6T, 8x7B)"},
		{"- {id: a, stage: sft, sources: [s], params: 7b}\n", 1, 45,
		 "bad size '7b' (expected a number with K, M, B or T, e.g. 7B, 1.6T, 8x7B)"},
		{"- {id: a, stage: sft, sources: [s], params: x7B}\n", 1, 45,
		 "bad size 'x7B' (expected a number with K, M, B or T, e.g. 7B, 1.6T, 8x7B)"},
		{"- {id: a, stage: [sft], sources: [s]}\n", 1, 18, "'stage' must be a single value, not a list"},
		{"- {id: a, stage: sft, sources: [s], org: {name: x}}\n", 1, 42,
		 "'org' must be a single value, not a mapping"},
		{"- {id: a, stage: sft, sources: [s], [k]: v}\n", 1, 37,
		 "expected a key (a plain word) in a model entry"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lin_catalog *cat = NULL;
		lin_error e;
		lin_diags d;
		lin_diags_init(&d);
		assert_int_equal(lin_catalog_new(&cat, &e), 0);
		int rc = lin_catalog_load_buffer(cat, "t.yaml", cases[i].text, strlen(cases[i].text),
		                                 &d, &e);
		if (rc != LIN_ESCHEMA || e.line != cases[i].line || e.col != cases[i].col ||
		    strcmp(e.msg, cases[i].msg) != 0)
			fail_msg("case %zu: got %d %d:%d '%s'", i, rc, e.line, e.col, e.msg);
		assert_string_equal(e.file, "t.yaml");
		if (lin_diags_errors(&d) != 1)
			fail_msg("case %zu: %zu errors, the second '%s'", i, lin_diags_errors(&d),
			         d.items[1].msg);
		assert_int_equal(lin_catalog_count(cat), 0);
		lin_catalog_free(cat);
		lin_diags_dispose(&d);
	}
}

static void buffer_sizes_accepted(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	const char *text = "- {id: a, stage: sft, sources: [s], params: [125M, 1.6T, 8x7B, 3K, 70B]}\n";
	assert_int_equal(load_text(&cat, text, NULL, &e), 0);
	assert_int_equal(lin_catalog_model(cat, 0)->params.n, 5);
	lin_catalog_free(cat);
}

static void buffer_limits(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_buf t = LIN_BUF_INIT;
	/* a value over 64 KiB */
	lin_buf_puts(&t, "- id: a\n  stage: sft\n  sources: [s]\n  training_data: ");
	for (int i = 0; i < 70000; i++)
		lin_buf_append(&t, "y", 1);
	lin_buf_puts(&t, "\n");
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "big.yaml", t.data, t.len, NULL, &e), LIN_ELIMIT);
	assert_int_equal(e.line, 4);
	assert_int_equal(e.col, 18);
	assert_string_equal(e.msg, "a value of 70000 bytes; the limit is 65536");
	assert_int_equal(lin_catalog_count(cat), 0);
	lin_catalog_free(cat);
	/* a list of more than 4096 items */
	t.len = 0;
	lin_buf_puts(&t, "- id: a\n  stage: sft\n  sources: [s]\n  languages: [");
	for (int i = 0; i < 4097; i++)
		lin_buf_puts(&t, i ? ", en" : "en");
	lin_buf_puts(&t, "]\n");
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "long.yaml", t.data, t.len, NULL, &e), LIN_ELIMIT);
	assert_int_equal(e.line, 4);
	assert_int_equal(e.col, 15 + 4096 * 4);
	assert_string_equal(e.msg, "more than 4096 items in one list or mapping");
	lin_catalog_free(cat);
	/* exactly 4096 is fine */
	t.len = 0;
	lin_buf_puts(&t, "- id: a\n  stage: sft\n  sources: [s]\n  languages: [");
	for (int i = 0; i < 4096; i++)
		lin_buf_puts(&t, i ? ", en" : "en");
	lin_buf_puts(&t, "]\n");
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "ok.yaml", t.data, t.len, NULL, &e), 0);
	assert_int_equal(lin_catalog_model(cat, 0)->languages.n, 4096);
	lin_catalog_free(cat);
	lin_buf_dispose(&t);
}

/* ---- the bad fixtures ------------------------------------------------------ */

typedef struct bad_case {
	const char *file;
	int at_finish; /* the error comes from lin_catalog_finish, not loading */
	int code, line, col;
	const char *msg; /* may hold one %s: the fixture's path */
	size_t warnings;
} bad_case;

static const bad_case bad_cases[] = {
	{"unknown-parent.yaml", 1, LIN_EREF, 11, 7,
	 "unknown parent of 'alpaca': no model named 'lama' (did you mean 'llama'?)", 0},
	{"ambiguous-parent.yaml", 1, LIN_EAMBIGUOUS, 17, 7,
	 "ambiguous parent of 'guanaco-gptq': 'Guanaco' is ambiguous: guanaco-qlora (Tim Dettmers "
	 "(UW)), guanaco-multilingual (JosephusCheung); use an id", 1},
	{"duplicate-id.yaml", 1, LIN_EDUP, 6, 3,
	 "duplicate id: the id of 'vicuna' matches the id of 'vicuna' (%s:2:3)", 0},
	{"duplicate-alias.yaml", 1, LIN_EDUP, 7, 3,
	 "duplicate name: the alias of 'gpt-4' matches the alias of 'gpt-3.5-turbo' (%s:2:3)", 0},
	{"cycle-2.yaml", 1, LIN_ECYCLE, 6, 7, "cycle: vicuna → alpaca → vicuna", 0},
	{"self-loop.yaml", 1, LIN_ECYCLE, 7, 7, "cycle: llama → llama", 0},
	{"cycle-3.yaml", 1, LIN_ECYCLE, 10, 7, "cycle: model-c → model-a → model-b → model-c", 0},
	{"unknown-relation.yaml", 0, LIN_ESCHEMA, 9, 17,
	 "unknown relation 'fine-tune' (expected one of finetune, adapter, merge, quantized, "
	 "continued-pretrain, rlhf, distill, multimodal, recipe, upcycle, prune)", 0},
	{"unknown-stage.yaml", 0, LIN_ESCHEMA, 2, 10,
	 "unknown stage 'instruct' (expected one of pretrained, continued-pretrain, sft, rlhf, "
	 "distilled, merged, quantized, adapter, multimodal, unknown)", 0},
	{"unknown-arch.yaml", 0, LIN_ESCHEMA, 3, 17,
	 "unknown architecture 'seq2seq' (expected one of decoder-only, encoder-only, "
	 "encoder-decoder, prefix-lm, moe, multimodal, non-language)", 0},
	{"bad-inferred.yaml", 0, LIN_ESCHEMA, 11, 17,
	 "'inferred' must be true or false, not 'maybe'", 0},
	{"bad-date.yaml", 0, LIN_ESCHEMA, 2, 13,
	 "bad date '2023-13' (expected YYYY, YYYY-MM or YYYY-MM-DD)", 0},
	{"bad-params.yaml", 0, LIN_ESCHEMA, 2, 16,
	 "bad size '13 billion' (expected a number with K, M, B or T, e.g. 7B, 1.6T, 8x7B)", 0},
	{"parents-scalar.yaml", 0, LIN_ESCHEMA, 7, 12,
	 "'parents' must be a list of {model, relation, sources}", 0},
	{"name-list.yaml", 0, LIN_ESCHEMA, 2, 9, "'name' must be a single value, not a list", 0},
	{"unknown-key.yaml", 0, LIN_ESCHEMA, 7, 3,
	 "unknown key 'parnets' in a model entry (did you mean 'parents'?)", 0},
	{"duplicate-key.yaml", 0, LIN_ESCHEMA, 4, 3, "duplicate key 'name' in a model entry", 0},
	{"missing-id.yaml", 0, LIN_ESCHEMA, 1, 3, "a model entry needs 'id'", 0},
	{"bad-id.yaml", 0, LIN_ESCHEMA, 1, 7,
	 "bad id 'LLaMA' (expected lowercase letters, digits, '.', '_', '/', '-', starting with a "
	 "letter or digit)", 0},
	{"missing-sources.yaml", 0, LIN_ESCHEMA, 1, 3,
	 "model 'llama' needs 'sources' (a seed file or URL)", 0},
	{"edge-no-sources.yaml", 0, LIN_ESCHEMA, 8, 7,
	 "the edge to 'llama' needs 'sources' (where it is stated)", 0},
	{"syntax-error.yaml", 0, LIN_EPARSE, 4, 5,
	 "YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence (which starts at 3:12)", 0},
	{"yaml-alias.yaml", 0, LIN_EPARSE, 6, 12,
	 "YAML aliases (*name) are not supported in a catalog", 0},
	{"two-documents.yaml", 0, LIN_EPARSE, 4, 1,
	 "several YAML documents in one file; a catalog file holds one list", 0},
	{"top-mapping.yaml", 0, LIN_ESCHEMA, 1, 1,
	 "expected a list of model entries (\"- id: ...\") at the top level", 0},
	{"too-deep.yaml", 0, LIN_ELIMIT, 4, 21, "nesting deeper than 8 levels", 0},
	{"invalid-utf8.yaml", 0, LIN_EPARSE, 2, 13, "invalid input: invalid leading UTF-8 octet", 0},
	{"nul-byte.yaml", 0, LIN_EPARSE, 2, 12, "invalid input: control characters are not allowed", 0},
	{"tabs.yaml", 0, LIN_EPARSE, 2, 1,
	 "YAML syntax error: found a tab character that violates indentation while scanning a "
	 "plain scalar (which starts at 1:7)", 0},
};

static void bad_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const bad_case *c = &bad_cases[i];
		char path[512], want[2048], line[4096], formatted[4096];
		lin_catalog *cat = NULL;
		lin_error e;
		lin_diags d;
		lin_diags_init(&d);
		lin_error_clear(&e);
		snprintf(path, sizeof(path), BAD "%s", c->file);
		snprintf(want, sizeof(want), c->msg, path);
		assert_int_equal(lin_catalog_new(&cat, &e), 0);
		int rc = lin_catalog_load_path(cat, path, &d, &e);
		if ((rc != 0) != !c->at_finish)
			fail_msg("%s: load gave %d (%s)", c->file, rc, e.msg);
		if (rc == 0)
			rc = lin_catalog_finish(cat, &d, &e);
		if (rc != c->code || e.line != c->line || e.col != c->col || strcmp(e.msg, want) != 0)
			fail_msg("%s:\n  got  %d %d:%d %s\n  want %d %d:%d %s", c->file, rc, e.line, e.col,
			         e.msg, c->code, c->line, c->col, want);
		assert_int_equal(e.code, c->code);
		assert_string_equal(e.file, path);
		/* the diagnostics hold that one error (and the expected warnings) */
		assert_int_equal(lin_diags_errors(&d), 1);
		assert_int_equal(d.n - lin_diags_errors(&d), c->warnings);
		for (size_t k = 0; k < d.n; k++)
			if (!d.is_warning[k]) {
				assert_int_equal(d.items[k].code, e.code);
				assert_string_equal(d.items[k].file, e.file);
				assert_int_equal(d.items[k].line, e.line);
				assert_int_equal(d.items[k].col, e.col);
				assert_string_equal(d.items[k].msg, e.msg);
			}
		snprintf(line, sizeof(line), "%s:%d:%d: %s", path, c->line, c->col, want);
		assert_string_equal(lin_error_format(&e, formatted, sizeof(formatted)), line);
		lin_catalog_free(cat);
		lin_diags_dispose(&d);
	}
}

static void bad_empty_file_is_valid(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_path(cat, BAD "empty.yaml", &d, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, &d, &e), 0);
	assert_int_equal(lin_catalog_count(cat), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(igraph_vcount(lin_catalog_graph(cat)), 0);
	lin_catalog_free(cat);
	/* and so are a zero-length buffer and a bare "---" */
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "a", "", 0, &d, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "b", "---\n", 4, &d, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "c", "[]\n", 3, &d, &e), 0);
	assert_int_equal(lin_catalog_count(cat), 0);
	assert_int_equal(d.n, 0);
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

static void bad_non_http_link_is_a_warning(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_path(cat, BAD "non-http-link.yaml", &d, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, &d, &e), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.is_warning[0], 1);
	assert_int_equal(lin_diags_errors(&d), 0);
	assert_string_equal(d.items[0].file, BAD "non-http-link.yaml");
	assert_int_equal(d.items[0].line, 3);
	assert_int_equal(d.items[0].col, 45);
	assert_string_equal(d.items[0].msg,
	                    "link 'javascript:alert(1)' of 'llama' is not http(s); dropped");
	const lin_model *m = lin_catalog_model(cat, 0);
	assert_int_equal(m->links.n, 1);
	assert_string_equal(m->links.items[0], "https://arxiv.org/abs/2302.13971");
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

static void bad_directory_reports_every_file(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	int rc = lin_catalog_load_path(cat, FIXTURES "/bad", &d, &e);
	/* the first file in name order with a load error wins */
	assert_int_equal(rc, LIN_ESCHEMA);
	assert_string_equal(e.file, FIXTURES "/bad/bad-date.yaml");
	/* every file's load error is listed (finish errors need a finish) */
	size_t load_errors = 0;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		load_errors += !bad_cases[i].at_finish;
	assert_int_equal(lin_diags_errors(&d), load_errors);
	assert_int_equal(d.n - lin_diags_errors(&d), 1); /* the javascript: link */
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

static void path_errors(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	char dir[256];
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_path(cat, FIXTURES "/nope", &d, &e), LIN_EIO);
	assert_string_equal(e.file, FIXTURES "/nope");
	assert_string_equal(e.msg, "cannot open: No such file or directory");
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].msg, e.msg);
	/* a directory without *.yaml files */
	snprintf(dir, sizeof(dir), "/tmp/lineage-empty-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(lin_catalog_load_path(cat, dir, &d, &e), LIN_EIO);
	assert_string_equal(e.file, dir);
	assert_string_equal(e.msg, "no *.yaml files in this directory");
	assert_int_equal(d.n, 2);
	rmdir(dir);
	/* err may be NULL: the problem still reaches the diagnostics */
	assert_int_equal(lin_catalog_load_path(cat, FIXTURES "/nope", &d, NULL), LIN_EIO);
	assert_int_equal(lin_catalog_load_path(cat, BAD "bad-date.yaml", &d, NULL), LIN_ESCHEMA);
	assert_int_equal(lin_catalog_load_path(cat, FIXTURES "/bad", &d, NULL), LIN_ESCHEMA);
	assert_int_equal(d.n, 3 + 1 + 23);
	assert_string_equal(d.items[2].msg, "cannot open: No such file or directory");
	assert_string_equal(d.items[3].msg, "bad date '2023-13' (expected YYYY, YYYY-MM or YYYY-MM-DD)");
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

static void several_paths_make_one_catalog(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	/* a parent may live in another file, loaded later */
	assert_int_equal(lin_catalog_load_path(cat, MINI "/30-quantized.yaml", NULL, &e), 0);
	assert_int_equal(lin_catalog_load_path(cat, MINI "/20-derived.yaml", NULL, &e), 0);
	assert_int_equal(lin_catalog_load_path(cat, MINI "/10-base.yaml", NULL, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	assert_int_equal(lin_catalog_count(cat), 21);
	assert_string_equal(lin_catalog_model(cat, 0)->id, "mythomax-l2-13b-gptq");
	assert_string_equal(lin_catalog_model(cat, lin_catalog_model(cat, 0)->parents[0].vertex)->id,
	                    "mythomax-l2-13b");
	lin_catalog_free(cat);
}

static void duplicate_across_files(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_path(cat, MINI, &d, &e), 0);
	const char *more = "- {id: llama, stage: pretrained, sources: [s]}\n";
	assert_int_equal(lin_catalog_load_buffer(cat, "extra.yaml", more, strlen(more), &d, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, &d, &e), LIN_EDUP);
	assert_string_equal(e.file, "extra.yaml");
	assert_int_equal(e.line, 1);
	assert_int_equal(e.col, 3);
	assert_string_equal(e.msg, "duplicate id: the id of 'llama' matches the id of 'llama' (" MINI
	                           "/10-base.yaml:29:3)");
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

static void name_clash_with_an_id_is_a_warning(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	lin_diags_init(&d);
	const char *text =
		"- {id: llama, name: LLaMA, stage: pretrained, sources: [s]}\n"
		"- {id: meta-llama, name: Llama, stage: pretrained, sources: [s]}\n";
	assert_int_equal(load_text(&cat, text, &d, &e), 0);
	assert_int_equal(d.n, 1); /* one report per clashing key */
	assert_int_equal(lin_diags_errors(&d), 0);
	assert_int_equal(d.items[0].line, 2);
	assert_string_equal(d.items[0].msg,
	                    "'meta-llama' and 'llama' (t.yaml:1:3) are both called 'Llama'; refer to "
	                    "them by id");
	/* an id wins over a display name */
	assert_string_equal(id_of(cat, "llama"), "llama");
	assert_string_equal(id_of(cat, "LLAMA"), "llama");
	assert_string_equal(id_of(cat, "meta-llama"), "meta-llama");
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

static void alias_clash_with_a_name_is_an_error(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	const char *text =
		"- {id: vicuna, name: Vicuna, stage: sft, sources: [s]}\n"
		"- {id: stable-vicuna, aliases: [vicuna 13b, Vicuna], stage: rlhf, sources: [s]}\n";
	assert_int_equal(load_text(&cat, text, NULL, &e), LIN_EDUP);
	assert_int_equal(e.line, 2);
	assert_string_equal(e.msg, "duplicate name: the alias of 'stable-vicuna' matches the id of "
	                           "'vicuna' (t.yaml:1:3)");
	lin_catalog_free(cat);
}

static void licence_drift_only_through_weights(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	lin_diags_init(&d);
	const char *text =
		"- {id: closed, stage: rlhf, license: proprietary, sources: [s]}\n"
		"- {id: nc, stage: pretrained, license: cc-by-nc-4.0, sources: [s]}\n"
		"- {id: a, stage: sft, license: mit, sources: [s], parents: [\n"
		"    {model: closed, relation: distill, sources: [s]},\n"
		"    {model: nc, relation: recipe, sources: [s]}]}\n"
		"- {id: b, stage: quantized, license: mit, sources: [s], parents: [\n"
		"    {model: nc, relation: quantized, sources: [s]}]}\n"
		"- {id: c, stage: sft, license: unknown, sources: [s], parents: [\n"
		"    {model: nc, relation: finetune, sources: [s]},\n"
		"    {model: nc, relation: finetune, sources: [s]}]}\n";
	assert_int_equal(load_text(&cat, text, &d, &e), 0);
	assert_int_equal(d.n, 2);
	assert_int_equal(lin_diags_errors(&d), 0);
	assert_int_equal(lin_diags_sort(&d), 0);
	assert_int_equal(d.items[0].line, 7);
	assert_int_equal(d.items[0].col, 5);
	assert_string_equal(d.items[0].msg,
	                    "licence drift: 'b' is mit but derives from 'nc' (cc-by-nc-4.0) by quantized");
	assert_int_equal(d.items[1].line, 10);
	assert_string_equal(d.items[1].msg, "'c' lists parent 'nc' (finetune) twice");
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

/* ---- lin_catalog_find -------------------------------------------------------- */

static void find_ignores_case_spaces_hyphens(void **state)
{
	(void)state;
	lin_catalog *cat = load_mini(NULL);
	static const char *const spellings[] = {
		"chinese-vicuna", "Chinese-Vicuna", "Chinese Vicuna", "CHINESE VICUNA",
		"chinese_vicuna", "chinese.vicuna", "ChineseVicuna", " chinese - vicuna ",
	};
	igraph_integer_t want = th_find(cat, "chinese-vicuna");
	assert_int_equal(want, 8);
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		assert_int_equal(th_find(cat, spellings[i]), want);
	assert_string_equal(id_of(cat, "ChatGPT"), "gpt-3.5-turbo"); /* alias */
	assert_string_equal(id_of(cat, "GPT-3.5"), "gpt-3.5-turbo"); /* name */
	assert_string_equal(id_of(cat, "gpt35turbo"), "gpt-3.5-turbo");
	assert_string_equal(id_of(cat, "llama-1"), "llama");
	assert_string_equal(id_of(cat, "Llama 2"), "llama-2");
	assert_string_equal(id_of(cat, "llama2chat"), "llama-2-chat");
	assert_string_equal(id_of(cat, "Mixtral 8x7B"), "mixtral-8x7b");
	assert_string_equal(id_of(cat, "guanaco-qlora"), "guanaco-qlora");
	assert_string_equal(id_of(cat, "GUANACO MULTILINGUAL"), "guanaco-multilingual");
	lin_catalog_free(cat);
}

static void find_ambiguous_lists_candidates(void **state)
{
	(void)state;
	lin_catalog *cat = load_mini(NULL);
	igraph_integer_t v = 5;
	lin_error e;
	assert_int_equal(lin_catalog_find(&v, cat, "guanaco", &e), LIN_EAMBIGUOUS);
	assert_int_equal(v, -1);
	assert_int_equal(e.code, LIN_EAMBIGUOUS);
	assert_string_equal(e.file, "");
	assert_string_equal(e.msg, "'guanaco' is ambiguous: guanaco-qlora (Tim Dettmers (UW)), "
	                           "guanaco-multilingual (JosephusCheung); use an id");
	assert_int_equal(lin_catalog_find(&v, cat, "GUANACO", &e), LIN_EAMBIGUOUS);
	assert_string_equal(e.msg, "'GUANACO' is ambiguous: guanaco-qlora (Tim Dettmers (UW)), "
	                           "guanaco-multilingual (JosephusCheung); use an id");
	lin_catalog_free(cat);
}

static void find_suggests(void **state)
{
	(void)state;
	lin_catalog *cat = load_mini(NULL);
	static const struct {
		const char *q, *msg;
	} cases[] = {
		{"vicuma", "no model named 'vicuma' (did you mean 'vicuna'?)"},
		{"lama", "no model named 'lama' (did you mean 'llama'?)"},
		{"Chinese Vicunna", "no model named 'Chinese Vicunna' (did you mean 'chinese-vicuna'?)"},
		{"chatgtp", "no model named 'chatgtp' (did you mean 'gpt-3.5-turbo'?)"},
		{"sheared", "no model named 'sheared' (did you mean 'sheared-llama'?)"}, /* contained */
		{"mytho", "no model named 'mytho' (did you mean 'mythologic-l2-13b', 'mythomax-l2-13b' or 'mythomax-l2-13b-gptq'?)"}, /* in several: all listed */
		{"falcon", "no model named 'falcon'"},
		{"", "no model named ''"},
		{" - ", "no model named ' - '"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		igraph_integer_t v = 3;
		lin_error e;
		assert_int_equal(lin_catalog_find(&v, cat, cases[i].q, &e), LIN_ENOTFOUND);
		assert_int_equal(v, -1);
		assert_string_equal(e.msg, cases[i].msg);
	}
	lin_catalog_free(cat);
}

/* A catalog past the split threshold (8 MiB) is parsed in pieces on
 * threads; models, their order, positions and errors must be those of a
 * whole parse. Entry i sits on line i + 1. */
#define BIG_N 80000
static void big_catalog(lin_buf *b, long bad_key_at, long syntax_at)
{
	for (long i = 0; i < BIG_N; i++) {
		lin_buf_printf(b, "- {id: m%ld, name: \"model number %ld with a long enough name to pad the line\", stage: sft, sources: [x]", i, i);
		if (i > 0 && i % 1000 == 0)
			lin_buf_printf(b, ", parents: [{model: m%ld, relation: finetune, sources: [x]}]", i - 999);
		if (i == bad_key_at)
			lin_buf_puts(b, ", parnets: []");
		lin_buf_puts(b, i == syntax_at ? "\n" : "}\n");
	}
}

static void big_file_in_pieces(void **state)
{
	(void)state;
	lin_buf b = LIN_BUF_INIT;
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error e;
	igraph_integer_t v = -1;
	lin_diags_init(&d);
	big_catalog(&b, -1, -1);
	assert_true(b.len > ((size_t)8 << 20));
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "big.yaml", b.data, b.len, &d, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, &d, &e), 0);
	assert_int_equal(lin_catalog_count(cat), BIG_N);
	for (long i = 0; i < BIG_N; i += 7919) {
		char id[32];
		snprintf(id, sizeof(id), "m%ld", i);
		assert_string_equal(lin_catalog_model(cat, i)->id, id);
		assert_int_equal(lin_catalog_model(cat, i)->pos.line, i + 1);
		assert_int_equal(lin_catalog_model(cat, i)->pos.col, 3);
		assert_string_equal(lin_catalog_model(cat, i)->pos.file, "big.yaml");
	}
	/* parents across pieces resolve: m79001 -> m78002 */
	assert_int_equal(lin_catalog_find(&v, cat, "m79000", &e), 0);
	assert_int_equal(lin_catalog_model(cat, v)->nparents, 1);
	assert_string_equal(lin_catalog_model(cat, lin_catalog_model(cat, v)->parents[0].vertex)->id, "m78001");
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
	lin_buf_dispose(&b);

	/* a schema error deep in the file: reported once, at its line */
	lin_buf_puts(&b, "");
	b.len = 0;
	big_catalog(&b, 70000, -1);
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "big.yaml", b.data, b.len, &d, &e), LIN_ESCHEMA);
	assert_int_equal(d.n, 1);
	assert_int_equal(e.line, 70001);
	assert_string_equal(e.msg, "unknown key 'parnets' in a model entry (did you mean 'parents'?)");
	assert_int_equal(lin_catalog_count(cat), BIG_N - 1);
	lin_catalog_free(cat);
	lin_diags_dispose(&d);

	/* a syntax error in a late piece: the whole file is parsed again, so
	 * the message is a plain parse's */
	b.len = 0;
	big_catalog(&b, -1, 75000);
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "big.yaml", b.data, b.len, &d, &e), LIN_EPARSE);
	assert_int_equal(d.n, 1);
	assert_int_equal(e.line, 75002);
	assert_int_equal(e.col, 1);
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
	lin_buf_dispose(&b);
}

static void find_in_empty_catalog(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	igraph_integer_t v = 0;
	assert_int_equal(load_text(&cat, "", NULL, &e), 0);
	assert_int_equal(lin_catalog_find(&v, cat, "llama", &e), LIN_ENOTFOUND);
	assert_string_equal(e.msg, "no model named 'llama'");
	lin_catalog_free(cat);
}

/* lin_catalog_open: catalogs and cards in one call, the cache only for
 * catalogs, every path's problems reported, nothing returned on failure. */
static void open_one_way_in(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error e;
	lin_cache_status st;
	lin_open_opts o = LIN_OPEN_OPTS_INIT;
	char dir[] = "/tmp/lineage-open-XXXXXX";
	assert_non_null(mkdtemp(dir));
	const char *mini[] = {FIXTURES "/mini"};
	const char *both[] = {FIXTURES "/mini", FIXTURES "/hf/real"};
	const char *bad[] = {FIXTURES "/bad/bad-id.yaml", FIXTURES "/bad/bad-date.yaml"};
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_open(&cat, mini, 1, NULL, &d, &e), 0);
	assert_true(lin_catalog_count(cat) > 0);
	lin_catalog_free(cat);
	o.cache_dir = dir;
	o.status = &st;
	assert_int_equal(lin_catalog_open(&cat, mini, 1, &o, &d, &e), 0);
	assert_true(st.written);
	lin_catalog_free(cat);
	assert_int_equal(lin_catalog_open(&cat, mini, 1, &o, &d, &e), 0);
	assert_true(st.hit);
	igraph_integer_t n = lin_catalog_count(cat);
	lin_catalog_free(cat);
	/* cards are imported every time: no image for a set with cards */
	assert_int_equal(lin_catalog_open(&cat, both, 2, &o, &d, &e), 0);
	assert_false(st.hit);
	assert_string_equal(st.why, "not used");
	assert_true(lin_catalog_count(cat) > n);
	lin_catalog_free(cat);
	/* both files' errors, and no catalog */
	size_t before = lin_diags_errors(&d);
	cat = (lin_catalog *)&e; /* must be reset */
	assert_int_not_equal(lin_catalog_open(&cat, bad, 2, &o, &d, &e), 0);
	assert_null(cat);
	assert_true(lin_diags_errors(&d) >= before + 2);
	lin_diags_dispose(&d);
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---- every independent error in one run ------------------------------------ */

/* How many of d's items have code (errors only when errors_only). */
static size_t count_code(const lin_diags *d, int code, int errors_only)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->items[i].code == code && (!errors_only || !d->is_warning[i]);
	return n;
}

/* A bad date, a duplicate id and a cycle: one open reports all three, and
 * not the child of the skipped entry as naming an unknown parent. */
static void open_reports_three_independent_errors(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error e;
	const char *p[] = {FIXTURES "/broken/three-errors.yaml"};
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_open(&cat, p, 1, NULL, &d, &e), LIN_ESCHEMA);
	assert_null(cat);
	assert_int_equal(lin_diags_errors(&d), 3);
	assert_int_equal(count_code(&d, LIN_ESCHEMA, 1), 1);
	assert_int_equal(count_code(&d, LIN_EDUP, 1), 1);
	assert_int_equal(count_code(&d, LIN_ECYCLE, 1), 1);
	assert_int_equal(count_code(&d, LIN_EREF, 1), 0);
	/* err is the load's first problem, the bad date */
	assert_int_equal(e.code, LIN_ESCHEMA);
	assert_int_equal(e.line, 6);
	assert_non_null(strstr(e.msg, "bad date"));
	/* sorted: by line */
	assert_int_equal(lin_diags_sort(&d), 0);
	assert_int_equal(d.items[0].line, 6);
	assert_int_equal(d.items[1].code, LIN_ECYCLE);
	assert_int_equal(d.items[2].code, LIN_EDUP);
	lin_diags_dispose(&d);
}

/* A duplicate id and an unknown parent no longer hide a cycle or the
 * audit's warnings; the unknown parent's edge is dropped, not followed. */
static void finish_runs_every_phase(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error e;
	lin_diags_init(&d);
	const char *text =
	    "- {id: a, stage: sft, sources: [x], parents: [{model: b, relation: finetune, sources: [x]}]}\n"
	    "- {id: b, stage: sft, sources: [x], parents: [{model: a, relation: finetune, sources: [x]}]}\n"
	    "- {id: b, stage: sft, sources: [x]}\n"
	    "- {id: c, stage: sft, sources: [x], parents: [{model: nowhere, relation: finetune, sources: [x]}]}\n"
	    "- {id: base, stage: pretrained, license: llama2, sources: [x]}\n"
	    "- {id: kid, stage: sft, license: mit, sources: [x], parents: [{model: base, relation: finetune, sources: [x]}]}\n";
	assert_int_equal(load_text(&cat, text, &d, &e), LIN_EDUP);
	assert_int_equal(e.code, LIN_EDUP);
	assert_int_equal(count_code(&d, LIN_EDUP, 1), 1);
	assert_int_equal(count_code(&d, LIN_EREF, 1), 1);
	assert_int_equal(count_code(&d, LIN_ECYCLE, 1), 1);
	assert_int_equal(count_code(&d, LIN_EDRIFT, 0), 1);
	assert_int_equal(lin_diags_errors(&d), 3);
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

/* A parent naming an entry skipped for its schema error (by id or by name)
 * is not an unknown parent; one naming nothing still is. */
static void skipped_entry_is_not_an_unknown_parent(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error e;
	const char *p[] = {NULL};
	char dir[] = "/tmp/lineage-check-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.yaml", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("- {id: base, name: The Base, released: '2023-13', stage: pretrained, sources: [x]}\n"
	      "- {id: k1, stage: sft, sources: [x], parents: [{model: base, relation: finetune, sources: [x]}]}\n"
	      "- {id: k2, stage: sft, sources: [x], parents: [{model: The Base, relation: finetune, sources: [x]}]}\n"
	      "- {id: k3, stage: sft, sources: [x], parents: [{model: basis, relation: finetune, sources: [x]}]}\n",
	      f);
	fclose(f);
	p[0] = path;
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_open(&cat, p, 1, NULL, &d, &e), LIN_ESCHEMA);
	assert_int_equal(lin_diags_errors(&d), 2);
	assert_int_equal(count_code(&d, LIN_ESCHEMA, 1), 1);
	assert_int_equal(count_code(&d, LIN_EREF, 1), 1);
	lin_diags_dispose(&d);
	unlink(path);
	rmdir(dir);
}

/* Past a file that cannot be read, or a syntax error, the graph phases do
 * not run: they would report that file's models as unknown parents. */
static void unread_input_stops_before_the_graph(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error e;
	const char *missing[] = {FIXTURES "/nope.yaml", BAD "unknown-parent.yaml"};
	const char *syntax[] = {BAD "syntax-error.yaml", BAD "unknown-parent.yaml"};
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_open(&cat, missing, 2, NULL, &d, &e), LIN_EIO);
	assert_null(cat);
	assert_int_equal(lin_diags_errors(&d), 1);
	assert_int_equal(d.items[0].code, LIN_EIO);
	lin_diags_dispose(&d);
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_open(&cat, syntax, 2, NULL, &d, &e), LIN_EPARSE);
	assert_int_equal(count_code(&d, LIN_EREF, 0), 0);
	lin_diags_dispose(&d);
	/* without diags the load's first error is all there is */
	assert_int_equal(lin_catalog_open(&cat, syntax, 2, NULL, NULL, &e), LIN_EPARSE);
	assert_int_equal(e.code, LIN_EPARSE);
}

/* lin_diags_sort: file, line, column, items without a file last, stable
 * among equals; lin_error_name's stable names. */
static void diags_sort_and_names(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error e;
	const char *p[] = {BAD "unknown-key.yaml", BAD "bad-date.yaml", FIXTURES "/nope"};
	lin_diags_init(&d);
	assert_int_equal(lin_diags_sort(&d), 0); /* empty */
	assert_int_not_equal(lin_catalog_open(&cat, p, 3, NULL, &d, &e), 0);
	assert_true(d.n >= 3);
	assert_int_equal(lin_diags_sort(&d), 0);
	for (size_t i = 1; i < d.n; i++) {
		const lin_error *a = &d.items[i - 1], *b = &d.items[i];
		int c = strcmp(a->file, b->file);
		assert_true(c < 0 || (c == 0 && (a->line < b->line ||
		                                 (a->line == b->line && a->col <= b->col))));
	}
	lin_diags_dispose(&d);
	assert_string_equal(lin_error_name(LIN_ESCHEMA), "schema");
	assert_string_equal(lin_error_name(LIN_EPARSE), "syntax");
	assert_string_equal(lin_error_name(LIN_EDUP), "duplicate");
	assert_string_equal(lin_error_name(LIN_ECYCLE), "cycle");
	assert_string_equal(lin_error_name(LIN_EREF), "unknown-parent");
	assert_string_equal(lin_error_name(LIN_EDRIFT), "licence-drift");
	assert_string_equal(lin_error_name(LIN_EIO), "io");
	assert_string_equal(lin_error_name(-1000), "error");
	assert_string_equal(lin_error_name(5), "error");
}

/* The licence table is sorted (lookup halves it), every id is found, and
 * every SPDX field is an SPDX id or a LicenseRef. */
static void licence_table(void **state)
{
	(void)state;
	size_t n = 0;
	const lin_license *t = lin_licenses(&n);
	assert_true(n > 20);
	for (size_t i = 0; i < n; i++) {
		if (i)
			assert_true(strcmp(t[i - 1].id, t[i].id) < 0);
		assert_ptr_equal(lin_license_lookup(t[i].id), &t[i]);
		assert_non_null(t[i].name);
		if (t[i].spdx && strncmp(t[i].spdx, "LicenseRef-", 11) == 0)
			assert_true(strlen(t[i].spdx) > 11);
	}
	assert_string_equal(lin_license_lookup("apache-2.0")->spdx, "Apache-2.0");
	assert_string_equal(lin_license_lookup("llama2")->spdx, "LicenseRef-lineage-llama2");
	assert_null(lin_license_lookup("no-such-licence"));
	assert_null(lin_license_lookup(NULL));
	assert_int_equal(lin_license_classify("cc-by-nc-4.0"), LIN_LICENSE_NONCOMMERCIAL);
	assert_int_equal(lin_license_classify("whatever"), LIN_LICENSE_UNKNOWN);
	assert_true(lin_license_restricts(LIN_LICENSE_COMMUNITY));
	assert_false(lin_license_restricts(LIN_LICENSE_OTHER));
	assert_true(lin_license_promises(LIN_LICENSE_RAIL));
	assert_false(lin_license_promises(LIN_LICENSE_UNKNOWN));
	assert_string_equal(lin_license_class_name(LIN_LICENSE_NONCOMMERCIAL), "non-commercial");
	assert_string_equal(lin_license_class_name(LIN_LICENSE_CLASS_COUNT), "unknown");
}

/* data/README.md's licence table is the table of license.c, row for row. */
static void licence_table_documented(void **state)
{
	(void)state;
	char *doc = NULL, row[512];
	size_t len = 0, n = 0;
	lin_error e;
	assert_int_equal(lin_read_file(&doc, &len, FIXTURES "/../../data/README.md", 1 << 20, &e), 0);
	const lin_license *t = lin_licenses(&n);
	for (size_t i = 0; i < n; i++) {
		char spdx[96];
		snprintf(spdx, sizeof(spdx), t[i].spdx ? "`%s`" : "\xe2\x80\x94", t[i].spdx);
		snprintf(row, sizeof(row), "\n| `%s` | %s | %s | %s |\n", t[i].id, spdx,
		         lin_license_class_name(t[i].cls), t[i].name);
		if (!strstr(doc, row))
			fail_msg("data/README.md has no row %s", row);
	}
	/* and no row the table does not have */
	size_t rows = 0;
	const char *p = strstr(doc, "| id | SPDX | class | name |");
	assert_non_null(p);
	const char *end = strstr(p, "\n\n");
	while ((p = strstr(p, "\n| `")) && (!end || p < end))
		rows++, p++;
	assert_int_equal(rows, n);
	free(doc);
}

/* Drift is found down the whole lineage through weight-carrying edges, the
 * nearest restricting ancestor named, a distill step breaking the chain,
 * and a cycle elsewhere in the catalog not hiding it. */
static void licence_drift_down_the_lineage(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	lin_diags d;
	lin_diags_init(&d);
	const char *text =
		"- {id: nc, stage: pretrained, license: cc-by-nc-4.0, sources: [s]}\n"
		"- {id: ft, stage: sft, license: other, sources: [s], parents: [{model: nc, relation: finetune, sources: [s]}]}\n"
		"- {id: q, stage: quantized, license: mit, sources: [s], parents: [{model: ft, relation: quantized, sources: [s]}]}\n"
		"- {id: d, stage: distilled, license: mit, sources: [s], parents: [{model: q, relation: distill, sources: [s]}]}\n"
		"- {id: x, stage: sft, sources: [s], parents: [{model: y, relation: finetune, sources: [s]}]}\n"
		"- {id: y, stage: sft, sources: [s], parents: [{model: x, relation: finetune, sources: [s]}]}\n";
	assert_int_equal(load_text(&cat, text, &d, &e), LIN_ECYCLE);
	assert_int_equal(count_code(&d, LIN_ECYCLE, 1), 1);
	assert_int_equal(count_code(&d, LIN_EDRIFT, 0), 1);
	for (size_t i = 0; i < d.n; i++)
		if (d.items[i].code == LIN_EDRIFT) {
			assert_int_equal(d.items[i].line, 3);
			assert_string_equal(d.items[i].msg,
			                    "licence drift: 'q' is mit but derives from 'nc' (cc-by-nc-4.0) in "
			                    "2 steps: quantized from 'ft', finetune from 'nc'");
		}
	lin_catalog_free(cat);
	lin_diags_dispose(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mini_loads_in_file_order),
		cmocka_unit_test(mini_fields),
		cmocka_unit_test(mini_edges),
		cmocka_unit_test(mini_warnings),
		cmocka_unit_test(buffer_basics),
		cmocka_unit_test(buffer_without_name_and_diags),
		cmocka_unit_test(buffer_collects_every_problem),
		cmocka_unit_test(buffer_schema_details),
		cmocka_unit_test(buffer_sizes_accepted),
		cmocka_unit_test(buffer_limits),
		cmocka_unit_test(bad_fixtures),
		cmocka_unit_test(bad_empty_file_is_valid),
		cmocka_unit_test(bad_non_http_link_is_a_warning),
		cmocka_unit_test(bad_directory_reports_every_file),
		cmocka_unit_test(path_errors),
		cmocka_unit_test(several_paths_make_one_catalog),
		cmocka_unit_test(duplicate_across_files),
		cmocka_unit_test(name_clash_with_an_id_is_a_warning),
		cmocka_unit_test(alias_clash_with_a_name_is_an_error),
		cmocka_unit_test(licence_drift_only_through_weights),
		cmocka_unit_test(licence_table),
		cmocka_unit_test(licence_table_documented),
		cmocka_unit_test(licence_drift_down_the_lineage),
		cmocka_unit_test(find_ignores_case_spaces_hyphens),
		cmocka_unit_test(find_ambiguous_lists_candidates),
		cmocka_unit_test(find_suggests),
		cmocka_unit_test(find_in_empty_catalog),
		cmocka_unit_test(big_file_in_pieces),
		cmocka_unit_test(open_one_way_in),
		cmocka_unit_test(open_reports_three_independent_errors),
		cmocka_unit_test(finish_runs_every_phase),
		cmocka_unit_test(skipped_entry_is_not_an_unknown_parent),
		cmocka_unit_test(unread_input_stops_before_the_graph),
		cmocka_unit_test(diags_sort_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
