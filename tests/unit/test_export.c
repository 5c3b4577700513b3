/*
 * test_export.c - the text tree (branches, relation kinds, variants, the
 * "(*)" repeat marker, depth limits, very deep chains) and JSON output
 * (string escaping, model objects, hit arrays) of export.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"
#include "util/util.h"

#include "lineage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A diamond with a tail: base -> a (finetune, 7B), base -> b (adapter),
 * a + b -> c (merge), c -> d (quantized). d has a hostile name. */
static const char diamond[] =
	"- id: base\n"
	"  name: Base\n"
	"  stage: pretrained\n"
	"  sources: [s]\n"
	"- id: b\n"
	"  stage: adapter\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: adapter, sources: [s]}]\n"
	"- id: a\n"
	"  name: Model A\n"
	"  org: Lab \"Q\"\n"
	"  released: '2023-05'\n"
	"  stage: sft\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: finetune, variant: 7B, sources: [s]}]\n"
	"- id: c\n"
	"  stage: merged\n"
	"  sources: [s]\n"
	"  parents:\n"
	"    - {model: a, relation: merge, sources: [s]}\n"
	"    - {model: b, relation: merge, sources: [s]}\n"
	"- id: d\n"
	"  name: \"D <\\\"q\\\"> & \\t \\u00e9\"\n"
	"  aliases: [dee]\n"
	"  params: [4B]\n"
	"  stage: quantized\n"
	"  architecture: decoder-only\n"
	"  weights: open\n"
	"  license: mit\n"
	"  languages: [en, zh]\n"
	"  links: [https://example.org/d?x=1&y=2]\n"
	"  sources: [s1, s2]\n"
	"  parents: [{model: c, relation: quantized, variant: 4-bit, note: GPTQ \"int4\", sources: [q]}]\n";

static int setup(void **state)
{
	*state = th_load_text(diamond);
	return 0;
}

static int teardown(void **state)
{
	lin_catalog_free(*state);
	return 0;
}

static void tree_is(const lin_catalog *cat, const char *who, igraph_neimode_t mode,
                    lin_relmask rel, int depth, const char *want)
{
	lin_buf b = LIN_BUF_INIT;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	o.relations = rel;
	o.depth = depth;
	assert_int_equal(lin_export_tree(&b, cat, th_find(cat, who), mode, &o, &e), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, want);
	lin_buf_dispose(&b);
}

/* ---- the tree ----------------------------------------------------------------- */

static void tree_descendants_marks_repeats(void **state)
{
	const lin_catalog *cat = *state;
	tree_is(cat, "base", IGRAPH_OUT, LIN_REL_ALL, -1,
	        "Base [base]\n"
	        "├── finetune: Model A [a] (7B)\n"
	        "│   └── merge: c\n"
	        "│       └── quantized: D <\"q\"> & ? é [d] (4-bit)\n"
	        "└── adapter: b\n"
	        "    └── merge: c (*)\n");
}

static void tree_ancestors_in_catalog_order(void **state)
{
	const lin_catalog *cat = *state;
	tree_is(cat, "d", IGRAPH_IN, LIN_REL_ALL, -1,
	        "D <\"q\"> & ? é [d]\n"
	        "└── quantized: c (4-bit)\n"
	        "    ├── merge: Model A [a]\n"
	        "    │   └── finetune: Base [base] (7B)\n"
	        "    └── merge: b\n"
	        "        └── adapter: Base [base] (*)\n");
	tree_is(cat, "base", IGRAPH_IN, LIN_REL_ALL, -1, "Base [base]\n");
}

static void tree_depth_limit(void **state)
{
	const lin_catalog *cat = *state;
	tree_is(cat, "base", IGRAPH_OUT, LIN_REL_ALL, 1,
	        "Base [base]\n"
	        "├── finetune: Model A [a] (7B)\n"
	        "└── adapter: b\n");
	/* a model met again is marked (*) at the depth limit too */
	tree_is(cat, "base", IGRAPH_OUT, LIN_REL_ALL, 2,
	        "Base [base]\n"
	        "├── finetune: Model A [a] (7B)\n"
	        "│   └── merge: c\n"
	        "└── adapter: b\n"
	        "    └── merge: c (*)\n");
	tree_is(cat, "d", IGRAPH_IN, LIN_REL_ALL, 0, "D <\"q\"> & ? é [d]\n");
}

static void tree_relation_filter(void **state)
{
	const lin_catalog *cat = *state;
	tree_is(cat, "d", IGRAPH_IN,
	        LIN_REL_BIT(LIN_REL_QUANTIZED) | LIN_REL_BIT(LIN_REL_MERGE) |
	            LIN_REL_BIT(LIN_REL_ADAPTER), -1,
	        "D <\"q\"> & ? é [d]\n"
	        "└── quantized: c (4-bit)\n"
	        "    ├── merge: Model A [a]\n"
	        "    └── merge: b\n"
	        "        └── adapter: Base [base]\n");
	tree_is(cat, "d", IGRAPH_IN, LIN_REL_BIT(LIN_REL_MERGE), -1, "D <\"q\"> & ? é [d]\n");
}

static void tree_on_mini(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error e;
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	assert_int_equal(lin_catalog_load_path(cat, FIXTURES "/mini", NULL, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	tree_is(cat, "Chinese Vicuna", IGRAPH_IN, LIN_REL_ALL, -1,
	        "Chinese-Vicuna [chinese-vicuna]\n"
	        "├── adapter: LLaMA [llama] (7B)\n"
	        "└── recipe: Alpaca [alpaca]\n"
	        "    ├── finetune: LLaMA [llama] (7B) (*)\n"
	        "    └── distill: GPT-3.5 [gpt-3.5-turbo]\n");
	tree_is(cat, "chinese-vicuna", IGRAPH_IN,
	        LIN_REL_BIT(LIN_REL_FINETUNE) | LIN_REL_BIT(LIN_REL_ADAPTER), -1,
	        "Chinese-Vicuna [chinese-vicuna]\n"
	        "└── adapter: LLaMA [llama] (7B)\n");
	tree_is(cat, "mistral-7b", IGRAPH_OUT, LIN_REL_ALL, -1,
	        "Mistral 7B [mistral-7b]\n"
	        "└── upcycle: Mixtral 8x7B [mixtral-8x7b]\n");
	lin_catalog_free(cat);
}

static void tree_deep_chain_caps_indent(void **state)
{
	(void)state;
	/* m0 <- m1 <- ... <- m99: deeper than the 64-level indent cap and the
	 * initial 16-frame stack */
	lin_buf y = LIN_BUF_INIT, b = LIN_BUF_INIT;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	lin_buf_puts(&y, "- {id: m0, stage: pretrained, sources: [s]}\n");
	for (int i = 1; i < 100; i++)
		lin_buf_printf(&y, "- {id: m%d, stage: sft, sources: [s], parents: [{model: m%d, "
		                   "relation: finetune, sources: [s]}]}\n", i, i - 1);
	lin_catalog *cat = th_load_text(y.data);
	assert_int_equal(lin_export_tree(&b, cat, th_find(cat, "m0"), IGRAPH_OUT, &o, &e), 0);
	/* 100 lines; line k (k >= 1) is min(k - 1, 64) indents then the branch */
	int lines = 0;
	const char *p = b.data;
	while (*p) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		if (lines > 0) {
			int want = lines - 1 < 64 ? lines - 1 : 64;
			char expect[64];
			snprintf(expect, sizeof(expect), "└── finetune: m%d\n", lines);
			size_t indent = (size_t)want * 4;
			for (size_t k = 0; k < indent; k++)
				assert_int_equal(p[k], ' ');
			assert_memory_equal(p + indent, expect, strlen(expect));
			assert_int_equal((size_t)(nl - p + 1), indent + strlen(expect));
		}
		lines++;
		p = nl + 1;
	}
	assert_int_equal(lines, 100);
	lin_buf_dispose(&b);
	/* and upwards */
	assert_int_equal(lin_export_tree(&b, cat, th_find(cat, "m99"), IGRAPH_IN, &o, &e), 0);
	assert_true(strstr(b.data, "└── finetune: m0\n") != NULL);
	assert_int_equal(b.data[b.len - 1], '\n');
	lin_buf_dispose(&b);
	lin_buf_dispose(&y);
	lin_catalog_free(cat);
}

/* The tree's look: ascii branches, depth and no prefix, and without dedupe
 * every model expanded wherever met; the default options give
 * lin_export_tree's bytes. */
static void tree_options(void **state)
{
	const lin_catalog *cat = *state;
	lin_buf b = LIN_BUF_INIT, plain = LIN_BUF_INIT;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_tree_opts t = LIN_TREE_OPTS_INIT;
	lin_error e;
	igraph_integer_t base = th_find(cat, "base");
	assert_int_equal(lin_export_tree_ext(&b, cat, base, IGRAPH_OUT, &o, &t, &e), 0);
	assert_int_equal(lin_export_tree(&plain, cat, base, IGRAPH_OUT, &o, &e), 0);
	assert_string_equal(b.data, plain.data);
	lin_buf_dispose(&b);
	t.charset = LIN_TREE_ASCII;
	t.dedupe = 0;
	assert_int_equal(lin_export_tree_ext(&b, cat, base, IGRAPH_OUT, &o, &t, &e), 0);
	assert_string_equal(b.data, "Base [base]\n"
	                            "|-- finetune: Model A [a] (7B)\n"
	                            "|   `-- merge: c\n"
	                            "|       `-- quantized: D <\"q\"> & ? é [d] (4-bit)\n"
	                            "`-- adapter: b\n"
	                            "    `-- merge: c\n"
	                            "        `-- quantized: D <\"q\"> & ? é [d] (4-bit)\n");
	lin_buf_dispose(&b);
	t.prefix = LIN_TREE_DEPTH;
	t.dedupe = 1;
	assert_int_equal(lin_export_tree_ext(&b, cat, base, IGRAPH_OUT, &o, &t, &e), 0);
	assert_string_equal(b.data, "0 Base [base]\n1 finetune: Model A [a] (7B)\n2 merge: c\n"
	                            "3 quantized: D <\"q\"> & ? é [d] (4-bit)\n1 adapter: b\n"
	                            "2 merge: c (*)\n");
	lin_buf_dispose(&b);
	t.prefix = LIN_TREE_NONE;
	t.dedupe = 0;
	t.max_lines = 3; /* the bound: three lines, then one saying so */
	assert_int_equal(lin_export_tree_ext(&b, cat, base, IGRAPH_OUT, &o, &t, &e), 0);
	assert_string_equal(b.data, "Base [base]\nfinetune: Model A [a] (7B)\nmerge: c\n"
	                            "... (cut at 3 lines: a model met again is expanded again)\n");
	lin_buf_dispose(&b);
	lin_buf_dispose(&plain);
}

/* lin_export_why merges chains that start alike: base's two chains to d
 * share nothing but base, so two branches; a chain of no steps is the
 * model alone. */
static void why_tree(void **state)
{
	const lin_catalog *cat = *state;
	lin_buf b = LIN_BUF_INIT;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_tree_opts t = LIN_TREE_OPTS_INIT;
	lin_error e;
	igraph_vector_int_list_t paths;
	igraph_vector_int_list_init(&paths, 0);
	igraph_integer_t base = th_find(cat, "base"), d = th_find(cat, "d");
	assert_int_equal(lin_query_paths(&paths, cat, base, d, &o, &e), 0);
	assert_int_equal(igraph_vector_int_list_size(&paths), 2);
	assert_int_equal(lin_export_why(&b, cat, base, &paths, &t, &e), 0);
	assert_string_equal(b.data, "Base [base]\n"
	                            "├── finetune: Model A [a] (7B)\n"
	                            "│   └── merge: c\n"
	                            "│       └── quantized: D <\"q\"> & ? é [d] (4-bit)\n"
	                            "└── adapter: b\n"
	                            "    └── merge: c\n"
	                            "        └── quantized: D <\"q\"> & ? é [d] (4-bit)\n");
	lin_buf_dispose(&b);
	igraph_vector_int_list_clear(&paths);
	igraph_vector_int_list_push_back_new(&paths, NULL);
	assert_int_equal(lin_export_why(&b, cat, base, &paths, &t, &e), 0);
	assert_string_equal(b.data, "Base [base]\n");
	lin_buf_dispose(&b);
	igraph_vector_int_list_destroy(&paths);
}

/* ---- JSON ---------------------------------------------------------------------- */

/* A sink that keeps what it is handed, and the biggest chunk. */
typedef struct kept {
	lin_buf all;
	size_t chunks, biggest;
} kept;

static int keep(void *ctx, const void *data, size_t len, lin_error *err)
{
	kept *k = ctx;
	(void)err;
	k->chunks++;
	if (len > k->biggest)
		k->biggest = len;
	return lin_buf_append(&k->all, data, len);
}

static int refuse(void *ctx, const void *data, size_t len, lin_error *err)
{
	(void)ctx, (void)data, (void)len;
	lin_error_clear(err);
	err->code = LIN_EIO;
	return LIN_EIO;
}

/* A base with 3,000 fine-tunes (each with a quantized child): ~1 MB of
 * JSON and 6,000 tree lines, streamed in chunks of about 64 KiB with the
 * bytes of the whole answer; a failing sink stops it with its code. */
static void streamed_answers(void **state)
{
	(void)state;
	lin_buf y = LIN_BUF_INIT;
	lin_buf_puts(&y, "- {id: base, stage: pretrained, sources: [s]}\n");
	for (int i = 0; i < 3000; i++)
		lin_buf_printf(&y,
		               "- {id: ft-%d, name: \"Fine-tune %d \u00e9\", stage: sft, sources: [s], "
		               "parents: [{model: base, relation: finetune, sources: [s]}]}\n"
		               "- {id: q-%d, stage: quantized, sources: [s], "
		               "parents: [{model: ft-%d, relation: quantized, sources: [s]}]}\n",
		               i, i, i, i);
	lin_catalog *cat = th_load_text(y.data);
	igraph_integer_t v = th_find(cat, "base");
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_tree_opts t = LIN_TREE_OPTS_INIT;
	lin_hits hits = {NULL, 0};
	lin_error e;
	assert_int_equal(lin_query_reach(&hits, cat, v, IGRAPH_OUT, &o, &e), 0);
	assert_int_equal(hits.n, 6000);
	for (int pass = 0; pass < 2; pass++) {
		lin_buf whole = LIN_BUF_INIT, scratch = LIN_BUF_INIT;
		kept k = {LIN_BUF_INIT, 0, 0};
		lin_sink sink = {keep, &k};
		if (pass == 0) {
			assert_int_equal(lin_export_hits_json(&whole, cat, &hits), 0);
			assert_int_equal(lin_export_hits_json_stream(&scratch, &sink, cat, &hits, &e), 0);
		} else {
			assert_int_equal(lin_export_tree_ext(&whole, cat, v, IGRAPH_OUT, &o, &t, &e), 0);
			assert_int_equal(lin_export_tree_stream(&scratch, &sink, cat, v, IGRAPH_OUT, &o, &t, &e), 0);
		}
		assert_true(whole.len > 3 * 64 * 1024);
		assert_int_equal(scratch.len, 0); /* all handed on */
		assert_int_equal(k.all.len, whole.len);
		assert_memory_equal(k.all.data, whole.data, whole.len);
		assert_true(k.chunks > 3);
		assert_true(k.biggest < 64 * 1024 + 4096); /* a chunk and one record */
		assert_true(scratch.cap < 2 * 64 * 1024 + 8192);
		lin_sink bad = {refuse, NULL};
		scratch.len = 0;
		int rc = pass == 0 ? lin_export_hits_json_stream(&scratch, &bad, cat, &hits, &e)
		                   : lin_export_tree_stream(&scratch, &bad, cat, v, IGRAPH_OUT, &o, &t, &e);
		assert_int_equal(rc, LIN_EIO);
		lin_buf_dispose(&whole);
		lin_buf_dispose(&scratch);
		lin_buf_dispose(&k.all);
	}
	lin_hits_dispose(&hits);
	lin_catalog_free(cat);
	lin_buf_dispose(&y);
}

static void json_is(const char *in, const char *want)
{
	lin_buf b = LIN_BUF_INIT;
	assert_int_equal(lin_json_string(&b, in), 0);
	assert_string_equal(b.data, want);
	lin_buf_dispose(&b);
}

static void json_escapes(void **state)
{
	(void)state;
	json_is("plain", "\"plain\"");
	json_is("", "\"\"");
	json_is(NULL, "\"\"");
	json_is("say \"hi\"", "\"say \\\"hi\\\"\"");
	json_is("back\\slash", "\"back\\\\slash\"");
	json_is("a\nb\tc\rd", "\"a\\u000ab\\u0009c\\u000dd\"");
	json_is("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	json_is("</script><!--&", "\"\\u003c/script\\u003e\\u003c!--\\u0026\"");
	json_is("/", "\"/\"");
	/* valid UTF-8 passes through, 2, 3 and 4 bytes */
	json_is("é中文😀", "\"é中文😀\"");
	json_is("\xef\xbf\xbd\xf4\x8e\xbf\xbd", "\"\xef\xbf\xbd\xf4\x8e\xbf\xbd\"");
	/* noncharacters are hidden: U+10FFFF as a surrogate pair */
	json_is("\xf4\x8f\xbf\xbf\xef\xbf\xbe", "\"\\udbff\\udfff\\ufffe\"");
	/* hidden code points (C1 controls, separators, bidi overrides) stay
	 * data but never pass raw: escaped */
	json_is("\xc2\x80", "\"\\u0080\"");
	json_is("evil\xe2\x80\xaegnp.exe", "\"evil\\u202egnp.exe\"");
	json_is("a\xe2\x80\xa8" "b", "\"a\\u2028b\"");
}

static void json_invalid_utf8(void **state)
{
	(void)state;
	json_is("a\xff" "b", "\"a\\ufffdb\"");
	json_is("\xfe\xff", "\"\\ufffd\\ufffd\"");
	json_is("\x80", "\"\\ufffd\"");                               /* stray continuation */
	json_is("\xc0\xaf", "\"\\ufffd\\ufffd\"");                    /* overlong '/' */
	json_is("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");         /* overlong, 3 bytes */
	json_is("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");         /* a surrogate */
	json_is("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
	json_is("\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	json_is("x\xe4\xb8", "\"x\\ufffd\\ufffd\"");                  /* truncated at the end */
	json_is("\xe4\xb8" "a", "\"\\ufffd\\ufffda\"");               /* truncated mid-string */
	json_is("\xc3", "\"\\ufffd\"");
}

static void json_model_objects(void **state)
{
	const lin_catalog *cat = *state;
	lin_buf b = LIN_BUF_INIT;
	assert_int_equal(lin_export_model_json(&b, cat, th_find(cat, "base"), 0), 0);
	assert_string_equal(b.data,
	                    "{\"id\":\"base\",\"name\":\"Base\",\"stage\":\"pretrained\",\"org\":null,"
	                    "\"released\":null,\"license\":null}");
	b.len = 0;
	assert_int_equal(lin_export_model_json(&b, cat, th_find(cat, "a"), 0), 0);
	assert_string_equal(b.data,
	                    "{\"id\":\"a\",\"name\":\"Model A\",\"stage\":\"sft\",\"org\":\"Lab \\\"Q\\\"\","
	                    "\"released\":\"2023-05\",\"license\":null}");
	b.len = 0;
	assert_int_equal(lin_export_model_json(&b, cat, th_find(cat, "d"), 1), 0);
	assert_string_equal(b.data,
	                    "{\"id\":\"d\",\"name\":\"D \\u003c\\\"q\\\"\\u003e \\u0026 \\u0009 é\","
	                    "\"stage\":\"quantized\",\"org\":null,\"released\":null,\"license\":\"mit\","
	                    "\"aliases\":[\"dee\"],\"params\":[\"4B\"],\"architecture\":\"decoder-only\","
	                    "\"weights\":\"open\",\"license_note\":null,"
	                    "\"languages\":[\"en\",\"zh\"],\"training_data\":null,"
	                    "\"links\":[\"https://example.org/d?x=1\\u0026y=2\"],"
	                    "\"sources\":[\"s1\",\"s2\"],"
	                    "\"parents\":[{\"model\":\"c\",\"relation\":\"quantized\",\"variant\":\"4-bit\","
	                    "\"note\":\"GPTQ \\\"int4\\\"\",\"sources\":[\"q\"]}]}");
	b.len = 0;
	assert_int_equal(lin_export_model_json(&b, cat, th_find(cat, "base"), 1), 0);
	assert_string_equal(b.data,
	                    "{\"id\":\"base\",\"name\":\"Base\",\"stage\":\"pretrained\",\"org\":null,"
	                    "\"released\":null,\"license\":null,\"aliases\":[],\"params\":[],\"architecture\":null,"
	                    "\"weights\":null,\"license_note\":null,\"languages\":[],"
	                    "\"training_data\":null,\"links\":[],\"sources\":[\"s\"],\"parents\":[]}");
	lin_buf_dispose(&b);
}

static void json_hits(void **state)
{
	const lin_catalog *cat = *state;
	lin_buf b = LIN_BUF_INIT;
	lin_hits h = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	assert_int_equal(lin_query_reach(&h, cat, th_find(cat, "c"), IGRAPH_IN, &o, &e), 0);
	assert_int_equal(lin_export_hits_json(&b, cat, &h), 0);
	assert_string_equal(b.data,
	                    "[\n"
	                    " {\"id\":\"a\",\"name\":\"Model A\",\"stage\":\"sft\",\"org\":\"Lab \\\"Q\\\"\","
	                    "\"released\":\"2023-05\",\"license\":null,\"distance\":1,\"relation\":\"merge\",\"via\":\"c\"},\n"
	                    " {\"id\":\"b\",\"name\":\"b\",\"stage\":\"adapter\",\"org\":null,"
	                    "\"released\":null,\"license\":null,\"distance\":1,\"relation\":\"merge\",\"via\":\"c\"},\n"
	                    " {\"id\":\"base\",\"name\":\"Base\",\"stage\":\"pretrained\",\"org\":null,"
	                    "\"released\":null,\"license\":null,\"distance\":2,\"relation\":\"adapter\",\"via\":\"b\"}\n"
	                    "]\n");
	lin_hits_dispose(&h);
	b.len = 0;
	assert_int_equal(lin_export_hits_json(&b, cat, &h), 0);
	assert_string_equal(b.data, "[]\n");
	/* common-ancestor hits have no relation and no via */
	assert_int_equal(lin_query_common(&h, cat, th_find(cat, "a"), th_find(cat, "b"), &o, &e), 0);
	b.len = 0;
	assert_int_equal(lin_export_hits_json(&b, cat, &h), 0);
	assert_string_equal(b.data,
	                    "[\n {\"id\":\"base\",\"name\":\"Base\",\"stage\":\"pretrained\",\"org\":null,"
	                    "\"released\":null,\"license\":null,\"distance\":2,\"relation\":null,\"via\":null}\n]\n");
	lin_hits_dispose(&h);
	lin_buf_dispose(&b);
}

/* The result writers the CLI used to hold: roots, paths and stats. */
static void result_json(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("mini");
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	lin_buf b = LIN_BUF_INIT;
	lin_roots roots = {NULL, 0};
	lin_stats s;
	igraph_vector_int_list_t paths;
	assert_int_equal(lin_query_roots(&roots, cat, &o, &e), 0);
	assert_int_equal(lin_export_roots_json(&b, cat, &roots, 1), 0);
	assert_true(strncmp(b.data, "[\n {\"id\":", strlen("[\n {\"id\":")) == 0);
	assert_non_null(strstr(b.data, "\"descendants\":"));
	assert_null(strstr(b.data, "},\n {")); /* one root only */
	b.len = 0;
	assert_int_equal(lin_export_roots_json(&b, cat, &roots, 0), 0);
	assert_string_equal(b.data, "[]\n");
	b.len = 0;
	assert_int_equal(igraph_vector_int_list_init(&paths, 0), 0);
	igraph_integer_t top = th_find(cat, "llama"), bottom = th_find(cat, "mythomax-l2-13b-gptq");
	assert_int_equal(lin_query_paths(&paths, cat, top, bottom, &o, &e), 0);
	assert_int_equal(lin_export_paths_json(&b, cat, top, bottom, &paths), 0);
	assert_true(strncmp(b.data, "{\"schema\":1,\"ancestor\":\"llama\"", strlen("{\"schema\":1,\"ancestor\":\"llama\"")) == 0);
	igraph_vector_int_list_destroy(&paths);
	b.len = 0;
	assert_int_equal(lin_query_stats(&s, cat, &o, &e), 0);
	assert_int_equal(lin_export_stats_json(&b, cat, &s, LIN_REL_ALL), 0);
	assert_true(strncmp(b.data, "{\"schema\":1,\"models\":", strlen("{\"schema\":1,\"models\":")) == 0);
	lin_stats_dispose(&s);
	lin_roots_dispose(&roots);
	lin_buf_dispose(&b);
	lin_catalog_free(cat);
}

/* ---- diagnostics for machines --------------------------------------------- */

static void diags_sarif_and_json(void **state)
{
	(void)state;
	lin_diags d;
	lin_buf b = LIN_BUF_INIT;
	lin_error e;
	lin_diags_init(&d);
	lin_i_fail(&e, LIN_EREF, "dir/a b#c.yaml", 3, 7, "unknown parent \"x\"");
	lin_i_diags_add(&d, &e, 0);
	lin_i_fail(&e, LIN_EDRIFT, "/abs/m.yaml", 9, 0, "drift");
	lin_i_diags_add(&d, &e, 1);
	lin_i_fail(&e, LIN_ENOMEM, NULL, 0, 0, "no file");
	lin_i_diags_add(&d, &e, 0);
	assert_int_equal(lin_export_diags_sarif(&b, &d), 0);
	assert_non_null(strstr(b.data, "\"version\":\"2.1.0\""));
	/* the rules in code order, each result pointing at its own */
	assert_non_null(strstr(b.data, "{\"id\":\"out-of-memory\""));
	assert_non_null(strstr(b.data, "{\"ruleId\":\"unknown-parent\",\"ruleIndex\":1,\"level\":\"error\""));
	assert_non_null(strstr(b.data, "{\"ruleId\":\"licence-drift\",\"ruleIndex\":2,\"level\":\"warning\""));
	assert_non_null(strstr(b.data, "\"uri\":\"dir/a%20b%23c.yaml\"},\"region\":{\"startLine\":3,\"startColumn\":7}"));
	assert_non_null(strstr(b.data, "\"uri\":\"file:///abs/m.yaml\"},\"region\":{\"startLine\":9}"));
	assert_non_null(strstr(b.data, "\"message\":{\"text\":\"no file\"}}"));
	assert_null(strstr(b.data, "\"text\":\"no file\"},\"locations\""));
	b.len = 0;
	assert_int_equal(lin_export_diags_json(&b, &d), 0);
	assert_non_null(strstr(b.data, " {\"file\":null,\"line\":0,\"col\":0,\"severity\":\"error\",\"code\":\"out-of-memory\""));
	lin_buf_dispose(&b);
	lin_diags_dispose(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diags_sarif_and_json),
		cmocka_unit_test(result_json),
		cmocka_unit_test(streamed_answers),
		cmocka_unit_test(tree_descendants_marks_repeats),
		cmocka_unit_test(tree_options),
		cmocka_unit_test(why_tree),
		cmocka_unit_test(tree_ancestors_in_catalog_order),
		cmocka_unit_test(tree_depth_limit),
		cmocka_unit_test(tree_relation_filter),
		cmocka_unit_test(tree_on_mini),
		cmocka_unit_test(tree_deep_chain_caps_indent),
		cmocka_unit_test(json_escapes),
		cmocka_unit_test(json_invalid_utf8),
		cmocka_unit_test(json_model_objects),
		cmocka_unit_test(json_hits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
