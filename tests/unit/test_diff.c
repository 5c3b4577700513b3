/*
 * test_diff.c - lin_catalog_diff and its writers (export/diff.c): models
 * added, removed and changed field by field over the whole field table,
 * lists compared as sets, edges added, removed, re-kinded and re-sourced,
 * the --relation mask, repeated edges, exact text and JSON, hostile text
 * kept to one line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"

#include "lineage.h"

#include <stdlib.h>
#include <string.h>

static const char old_yaml[] =
	"- id: base\n"
	"  name: Base\n"
	"  aliases: [b1, b2]\n"
	"  params: [7B, 13B]\n"
	"  stage: pretrained\n"
	"  license: llama-research\n"
	"  sources: [s]\n"
	"- id: tune\n"
	"  name: Tune\n"
	"  stage: sft\n"
	"  license: cc-by-nc-4.0\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: finetune, variant: 7B, sources: [s]}]\n"
	"- id: gone\n"
	"  stage: sft\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: finetune, sources: [s]}]\n";

/* tune's licence changes and its edge becomes an adapter with one more
 * source; gone goes, fresh comes; base's lists are reordered only. */
static const char new_yaml[] =
	"- id: base\n"
	"  name: Base\n"
	"  aliases: [b2, b1, b1]\n"
	"  params: [13B, 7B]\n"
	"  stage: pretrained\n"
	"  license: llama-research\n"
	"  sources: [s]\n"
	"- id: fresh\n"
	"  name: Fresh\n"
	"  stage: adapter\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: adapter, sources: [s]}]\n"
	"- id: tune\n"
	"  name: Tune\n"
	"  stage: sft\n"
	"  license: apache-2.0\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: adapter, variant: 7B, sources: [s, t]}]\n";

static lin_diff *diff_of(const char *a, const char *b, lin_relmask mask, lin_catalog **ca,
                         lin_catalog **cb)
{
	lin_diff *d = NULL;
	lin_error e;
	*ca = th_load_text(a);
	*cb = th_load_text(b);
	assert_int_equal(lin_catalog_diff(&d, *ca, *cb, mask, &e), 0);
	assert_non_null(d);
	return d;
}

static char *text_of(const lin_diff *d, int json)
{
	lin_buf b = LIN_BUF_INIT;
	assert_int_equal(json ? lin_export_diff_json(&b, d) : lin_export_diff_text(&b, d), 0);
	char *s = strdup(b.data ? b.data : "");
	lin_buf_dispose(&b);
	return s;
}

static void test_same(void **state)
{
	(void)state;
	lin_catalog *a, *b;
	lin_diff *d = diff_of(old_yaml, old_yaml, LIN_REL_ALL, &a, &b);
	assert_true(lin_diff_empty(d));
	char *t = text_of(d, 0);
	assert_string_equal(t, "");
	free(t);
	lin_diff_free(d);
	lin_catalog_free(a);
	lin_catalog_free(b);
}

static void test_changes(void **state)
{
	(void)state;
	lin_catalog *a, *b;
	lin_diff *d = diff_of(old_yaml, new_yaml, LIN_REL_ALL, &a, &b);
	assert_false(lin_diff_empty(d));
	assert_int_equal(d->nadded, 1);
	assert_string_equal(d->added[0]->id, "fresh");
	assert_int_equal(d->nremoved, 1);
	assert_string_equal(d->removed[0]->id, "gone");
	/* reordered and repeated list items are no change */
	assert_int_equal(d->nchanged, 1);
	assert_string_equal(d->changed[0].field->key, "license");
	assert_string_equal(d->changed[0].old_model->license, "cc-by-nc-4.0");
	assert_string_equal(d->changed[0].new_model->license, "apache-2.0");
	/* sorted by child: fresh (added), gone (removed), tune (changed) */
	assert_int_equal(d->nedges, 3);
	assert_null(d->edges[0].old_edge);
	assert_string_equal(d->edges[0].child, "fresh");
	assert_null(d->edges[1].new_edge);
	assert_string_equal(d->edges[1].child, "gone");
	assert_string_equal(d->edges[2].parent, "base");
	assert_int_equal(d->edges[2].old_edge->relation, LIN_REL_FINETUNE);
	assert_int_equal(d->edges[2].new_edge->relation, LIN_REL_ADAPTER);
	char *t = text_of(d, 0);
	assert_string_equal(t, "+ model fresh\n"
	                       "- model gone\n"
	                       "~ tune: license: cc-by-nc-4.0 -> apache-2.0\n"
	                       "+ edge base -> fresh (adapter)\n"
	                       "- edge base -> gone (finetune)\n"
	                       "~ edge base -> tune: relation: finetune -> adapter\n"
	                       "~ edge base -> tune: sources: [s] -> [s, t]\n");
	free(t);
	lin_diff_free(d);
	lin_catalog_free(a);
	lin_catalog_free(b);
}

static void test_json(void **state)
{
	(void)state;
	lin_catalog *a, *b;
	lin_diff *d = diff_of(old_yaml, new_yaml, LIN_REL_ALL, &a, &b);
	char *j = text_of(d, 1);
	assert_string_equal(
		j, "{\"schema\":1,\n"
		   " \"added\":[\n"
		   "  {\"id\":\"fresh\",\"name\":\"Fresh\",\"stage\":\"adapter\",\"org\":null,\"released\":null,\"license\":null}\n"
		   " ],\n"
		   " \"removed\":[\n"
		   "  {\"id\":\"gone\",\"name\":\"gone\",\"stage\":\"sft\",\"org\":null,\"released\":null,\"license\":null}\n"
		   " ],\n"
		   " \"changed\":[\n"
		   "  {\"id\":\"tune\",\"field\":\"license\",\"old\":\"cc-by-nc-4.0\",\"new\":\"apache-2.0\"}\n"
		   " ],\n"
		   " \"edges\":{\n"
		   "  \"added\":[\n"
		   "   {\"parent\":\"base\",\"child\":\"fresh\",\"relation\":\"adapter\",\"variant\":null,\"note\":null,\"inferred\":false,\"sources\":[\"s\"]}\n"
		   "  ],\n"
		   "  \"removed\":[\n"
		   "   {\"parent\":\"base\",\"child\":\"gone\",\"relation\":\"finetune\",\"variant\":null,\"note\":null,\"inferred\":false,\"sources\":[\"s\"]}\n"
		   "  ],\n"
		   "  \"changed\":[\n"
		   "   {\"parent\":\"base\",\"child\":\"tune\",\"old\":{\"relation\":\"finetune\",\"variant\":\"7B\",\"note\":null,\"inferred\":false,\"sources\":[\"s\"]},"
		   "\"new\":{\"relation\":\"adapter\",\"variant\":\"7B\",\"note\":null,\"inferred\":false,\"sources\":[\"s\",\"t\"]}}\n"
		   "  ]\n"
		   " }\n"
		   "}\n");
	free(j);
	lin_diff_free(d);
	lin_catalog_free(a);
	lin_catalog_free(b);
}

/* An edge re-kinded out of the mask is still a change; one wholly outside
 * it is not compared. */
/* An inferred edge confirmed by its source (the flag dropped) is a change
 * of that edge, in text and JSON. */
static void test_inferred(void **state)
{
	(void)state;
	static const char guess[] = "- {id: base, stage: pretrained, sources: [s]}\n"
	                            "- {id: tune, stage: sft, sources: [s], parents: [{model: base, "
	                            "relation: finetune, inferred: true, sources: [s]}]}\n";
	static const char stated[] = "- {id: base, stage: pretrained, sources: [s]}\n"
	                             "- {id: tune, stage: sft, sources: [s], parents: [{model: base, "
	                             "relation: finetune, sources: [s]}]}\n";
	lin_catalog *a, *b;
	lin_diff *d = diff_of(guess, stated, LIN_REL_ALL, &a, &b);
	assert_int_equal(d->nedges, 1);
	char *t = text_of(d, 0), *j = text_of(d, 1);
	assert_string_equal(t, "~ edge base -> tune: inferred: true -> false\n");
	assert_non_null(strstr(j, "\"old\":{\"relation\":\"finetune\",\"variant\":null,\"note\":null,"
	                          "\"inferred\":true,"));
	free(t);
	free(j);
	lin_diff_free(d);
	lin_catalog_free(a);
	lin_catalog_free(b);
}

static void test_mask(void **state)
{
	(void)state;
	lin_catalog *a, *b;
	lin_diff *d = diff_of(old_yaml, new_yaml, LIN_REL_BIT(LIN_REL_FINETUNE), &a, &b);
	assert_int_equal(d->nedges, 2);
	assert_string_equal(d->edges[0].child, "gone");
	assert_string_equal(d->edges[1].child, "tune");
	assert_non_null(d->edges[1].old_edge);
	assert_non_null(d->edges[1].new_edge);
	lin_diff_free(d);
	d = NULL;
	lin_error e;
	assert_int_equal(lin_catalog_diff(&d, a, b, LIN_REL_BIT(LIN_REL_MERGE), &e), 0);
	assert_int_equal(d->nedges, 0);
	assert_int_equal(d->nchanged, 1); /* models are compared whatever the mask */
	lin_diff_free(d);
	lin_catalog_free(a);
	lin_catalog_free(b);
}

/* Every field of the table but id, parents and external (which a catalog
 * file cannot set) is compared: a pair differing in all of them reports
 * each, in the table's order. */
static void test_every_field(void **state)
{
	(void)state;
	static const char x[] =
		"- id: m\n  name: M\n  aliases: [a]\n  org: O\n  released: '2023-01'\n"
		"  params: [7B]\n  stage: sft\n  architecture: decoder-only\n  weights: open\n"
		"  license: mit\n  license_note: n\n  languages: [en]\n  training_data: t\n"
		"  links: [https://a.example/]\n  sources: [s]\n";
	static const char y[] =
		"- id: m\n  name: N\n  aliases: [b]\n  org: P\n  released: '2023-02'\n"
		"  params: [13B]\n  stage: rlhf\n  architecture: moe\n  weights: closed\n"
		"  license: apache-2.0\n  license_note: o\n  languages: [zh]\n  training_data: u\n"
		"  links: [https://b.example/]\n  sources: [r]\n";
	lin_catalog *a, *b;
	lin_diff *d = diff_of(x, y, LIN_REL_ALL, &a, &b);
	size_t nf = 0, k = 0;
	const lin_field *fs = lin_model_fields(&nf);
	for (size_t i = 0; i < nf; i++) {
		if (!strcmp(fs[i].key, "id") || !strcmp(fs[i].key, "external") ||
		    fs[i].kind == LIN_FIELD_PARENTS)
			continue;
		assert_true(k < d->nchanged);
		assert_ptr_equal(d->changed[k].field, &fs[i]);
		k++;
	}
	assert_int_equal(k, d->nchanged);
	lin_diff_free(d);
	/* a field recorded on one side only; lists shown in brackets */
	d = NULL;
	lin_catalog_free(b);
	b = th_load_text("- id: m\n  name: M\n  aliases: [a, c]\n  released: '2023-01'\n"
	                 "  params: [7B]\n  stage: sft\n  architecture: decoder-only\n"
	                 "  weights: open\n  license: mit\n  license_note: n\n  languages: [en]\n"
	                 "  training_data: t\n  links: [https://a.example/]\n  sources: [s]\n");
	lin_error e;
	assert_int_equal(lin_catalog_diff(&d, a, b, LIN_REL_ALL, &e), 0);
	char *t = text_of(d, 0);
	assert_string_equal(t, "~ m: aliases: [a] -> [a, c]\n~ m: org: O -> -\n");
	free(t);
	t = text_of(d, 1);
	assert_non_null(strstr(t, "{\"id\":\"m\",\"field\":\"org\",\"old\":\"O\",\"new\":null}"));
	assert_non_null(strstr(t, "{\"id\":\"m\",\"field\":\"aliases\",\"old\":[\"a\"],\"new\":[\"a\",\"c\"]}"));
	free(t);
	lin_diff_free(d);
	lin_catalog_free(a);
	lin_catalog_free(b);
}

/* A line break or an escape sequence in catalog text cannot start a line
 * of its own or reach the terminal; JSON keeps it as an escape. */
static void test_hostile(void **state)
{
	(void)state;
	lin_catalog *a, *b;
	lin_diff *d = diff_of("- id: m\n  name: M\n  stage: sft\n  sources: [s]\n",
	                      "- id: m\n  name: \"M\\n+ model x\\e[31m\"\n  stage: sft\n  sources: [s]\n",
	                      LIN_REL_ALL, &a, &b);
	char *t = text_of(d, 0);
	assert_string_equal(t, "~ m: name: M -> M?+ model x?[31m\n");
	free(t);
	t = text_of(d, 1);
	assert_non_null(strstr(t, "\"new\":\"M\\u000a+ model x\\u001b[31m\""));
	free(t);
	lin_diff_free(d);
	lin_catalog_free(a);
	lin_catalog_free(b);
}

/* Two edges between the same models (check warns of them): the k-th of
 * old pairs with the k-th of new, in relation order. */
static void test_repeated_edge(void **state)
{
	(void)state;
	lin_catalog *a, *b;
	lin_diff *d = diff_of("- id: base\n  stage: pretrained\n  sources: [s]\n"
	                      "- id: m\n  stage: sft\n  sources: [s]\n  parents:\n"
	                      "    - {model: base, relation: adapter, sources: [s]}\n"
	                      "    - {model: base, relation: finetune, sources: [s]}\n",
	                      "- id: base\n  stage: pretrained\n  sources: [s]\n"
	                      "- id: m\n  stage: sft\n  sources: [s]\n"
	                      "  parents: [{model: base, relation: finetune, sources: [s]}]\n",
	                      LIN_REL_ALL, &a, &b);
	char *t = text_of(d, 0);
	assert_string_equal(t, "- edge base -> m (adapter)\n");
	free(t);
	lin_diff_free(d);
	lin_catalog_free(a);
	lin_catalog_free(b);
}

static void test_bad_args(void **state)
{
	(void)state;
	lin_catalog *a = th_load_text(old_yaml), *u = NULL;
	lin_diff *d = (lin_diff *)1;
	lin_error e;
	assert_int_equal(lin_catalog_new(&u, &e), 0);
	assert_int_equal(lin_catalog_diff(&d, a, u, LIN_REL_ALL, &e), LIN_EINVAL);
	assert_null(d);
	assert_int_equal(lin_catalog_diff(NULL, a, a, LIN_REL_ALL, &e), LIN_EINVAL);
	lin_diff_free(NULL);
	assert_true(lin_diff_empty(NULL));
	lin_catalog_free(u);
	lin_catalog_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),        cmocka_unit_test(test_changes),
		cmocka_unit_test(test_json),        cmocka_unit_test(test_inferred),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_every_field), cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_repeated_edge), cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
