/*
 * test_bom.c - the AI-BOM writer (export/bom*.c): the pedigree's nesting
 * for merges, distillation, recipes and diamonds, --relation narrowing, the
 * bound on repeated ancestors, hostile strings in every field still giving
 * valid JSON, determinism, and the SHA-1 behind the UUIDs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"
#include "export/bom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* base and a closed teacher; a (finetune, 7B) and b (adapter) on base; c
 * merges a and b and distils the teacher; d quantizes c and follows a's
 * recipe: base reaches d three ways. */
static const char diamond[] =
	"- {id: base, name: Base, org: Lab, released: '2023-02', stage: pretrained,\n"
	"   architecture: decoder-only, license: apache-2.0, sources: [s]}\n"
	"- {id: teacher, stage: rlhf, weights: closed, license: proprietary, sources: [s]}\n"
	"- id: a\n"
	"  stage: sft\n"
	"  license: llama2\n"
	"  training_data: 52K instructions\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: finetune, variant: 7B, sources: [s]}]\n"
	"- id: b\n"
	"  stage: adapter\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: adapter, sources: [s]}]\n"
	"- id: c\n"
	"  stage: merged\n"
	"  sources: [s]\n"
	"  parents:\n"
	"    - {model: a, relation: merge, sources: [s]}\n"
	"    - {model: b, relation: merge, sources: [s]}\n"
	"    - {model: teacher, relation: distill, note: outputs, sources: [s]}\n"
	"- id: d\n"
	"  stage: quantized\n"
	"  links: [https://huggingface.co/Org/D-7B]\n"
	"  sources: [https://example.org/d]\n"
	"  parents:\n"
	"    - {model: c, relation: quantized, variant: 4-bit, sources: [q]}\n"
	"    - {model: a, relation: recipe, sources: [r]}\n";

/* ---- a strict JSON reader: validity, and what the checks need ------------------ */

typedef struct jr {
	const char *p;
	lin_buf compact;  /* the document without whitespace */
	lin_buf refs;     /* "REF:DEPTH " for each bom-ref, DEPTH = enclosing "ancestors" */
	int ancestors;    /* enclosing "ancestors" arrays */
	int depth;
	int ok;
} jr;

static void ws(jr *r)
{
	while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')
		r->p++;
}

static int utf8_ok(const unsigned char *s, size_t *n)
{
	unsigned long cp = 0;
	*n = lin_i_utf8_next(s, &cp);
	return *n > 0;
}

/* A string into out (decoded only as far as the checks need: raw). */
static void str(jr *r, lin_buf *out)
{
	const char *start = r->p;
	if (*r->p != '"') {
		r->ok = 0;
		return;
	}
	r->p++;
	while (r->ok && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p;
		size_t n = 1;
		if (c < 0x20 || !c)
			r->ok = 0;
		else if (c == '\\') {
			const char *e = r->p + 1;
			if (strchr("\"\\/bfnrt", *e) && *e)
				n = 2;
			else if (*e == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", e[i]) || !e[i])
						r->ok = 0;
				n = 6;
			} else
				r->ok = 0;
		} else if (c >= 0x80 && !utf8_ok((const unsigned char *)r->p, &n))
			r->ok = 0;
		if (r->ok) {
			if (out)
				lin_buf_append(out, r->p, n);
			r->p += n;
		}
	}
	if (r->ok)
		r->p++;
	lin_buf_append(&r->compact, start, (size_t)(r->p - start));
}

static void value(jr *r);

static void object(jr *r)
{
	lin_buf key = LIN_BUF_INIT;
	r->p++;
	lin_buf_puts(&r->compact, "{");
	ws(r);
	if (*r->p == '}')
		goto end;
	for (;;) {
		ws(r);
		key.len = 0;
		lin_buf_puts(&key, "");
		str(r, &key);
		ws(r);
		if (!r->ok || *r->p != ':') {
			r->ok = 0;
			break;
		}
		r->p++;
		lin_buf_puts(&r->compact, ":");
		ws(r);
		if (strcmp(key.data, "bom-ref") == 0) {
			str(r, &r->refs);
			lin_buf_printf(&r->refs, ":%d ", r->ancestors);
		} else if (strcmp(key.data, "ancestors") == 0) {
			r->ancestors++;
			value(r);
			r->ancestors--;
		} else
			value(r);
		ws(r);
		if (!r->ok || *r->p != ',')
			break;
		r->p++;
		lin_buf_puts(&r->compact, ",");
	}
end:
	if (r->ok && *r->p == '}')
		r->p++, lin_buf_puts(&r->compact, "}");
	else
		r->ok = 0;
	lin_buf_dispose(&key);
}

static void array(jr *r)
{
	r->p++;
	lin_buf_puts(&r->compact, "[");
	ws(r);
	if (*r->p != ']')
		for (;;) {
			value(r);
			ws(r);
			if (!r->ok || *r->p != ',')
				break;
			r->p++;
			lin_buf_puts(&r->compact, ",");
		}
	if (r->ok && *r->p == ']')
		r->p++, lin_buf_puts(&r->compact, "]");
	else
		r->ok = 0;
}

static void value(jr *r)
{
	ws(r);
	if (!r->ok || ++r->depth > 1000) {
		r->ok = 0;
		return;
	}
	const char *start = r->p;
	if (*r->p == '{')
		object(r);
	else if (*r->p == '[')
		array(r);
	else if (*r->p == '"')
		str(r, NULL);
	else if (strncmp(r->p, "true", 4) == 0 || strncmp(r->p, "null", 4) == 0)
		r->p += 4;
	else if (strncmp(r->p, "false", 5) == 0)
		r->p += 5;
	else if ((*r->p >= '0' && *r->p <= '9') || *r->p == '-') {
		r->p++;
		while (*r->p && strchr("0123456789.eE+-", *r->p))
			r->p++;
	} else
		r->ok = 0;
	if (start[0] != '{' && start[0] != '[' && start[0] != '"')
		lin_buf_append(&r->compact, start, (size_t)(r->p - start));
	r->depth--;
}

/* Reads s; fails the test unless it is one valid JSON value. */
static void jr_read(jr *r, const char *s)
{
	memset(r, 0, sizeof(*r));
	r->p = s;
	r->ok = 1;
	lin_buf_puts(&r->compact, "");
	lin_buf_puts(&r->refs, "");
	value(r);
	ws(r);
	if (!r->ok || *r->p)
		fail_msg("not valid JSON near byte %td: %.60s", r->p - s, r->p);
}

static void jr_dispose(jr *r)
{
	lin_buf_dispose(&r->compact);
	lin_buf_dispose(&r->refs);
}

/* The BOM of model q, read; fails the test on any error. */
static lin_buf bom_of(const lin_catalog *cat, const char *q, lin_bom_format f,
                      const lin_query_opts *o, size_t budget, int depth)
{
	lin_buf out = LIN_BUF_INIT;
	lin_error e;
	lin_error_clear(&e);
	if (lin_i_export_bom(&out, cat, th_find(cat, q), f, o, budget, depth, &e) != 0)
		fail_msg("bom of %s: %s", q, e.msg);
	return out;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* ---- tests ------------------------------------------------------------------- */

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

static void nesting(void **state)
{
	const lin_catalog *cat = *state;
	lin_buf b = bom_of(cat, "d", LIN_BOM_CYCLONEDX, NULL, LIN_BOM_MAX_COMPONENTS,
	                   LIN_BOM_MAX_DEPTH);
	jr r;
	jr_read(&r, b.data);
	/* d's parents in its entry's order, each appearance with a ref of its
	 * own; then the flat list, nearest first, ties by id */
	assert_string_equal(r.refs.data,
	                    "d:0 c#1:1 a#1:2 base#1:3 b#1:2 base#2:3 teacher#1:2 a#2:1 base#3:2 "
	                    "a:0 c:0 b:0 base:0 teacher:0 ");
	const char *c = r.compact.data;
	assert_non_null(strstr(c, "{\"name\":\"lineage:relation\",\"value\":\"quantized\"},"
	                          "{\"name\":\"lineage:carries-weights\",\"value\":\"true\"},"
	                          "{\"name\":\"lineage:variant\",\"value\":\"4-bit\"}"));
	/* recipe and distill are there, and marked as carrying no weights */
	assert_non_null(strstr(c, "{\"name\":\"lineage:relation\",\"value\":\"recipe\"},"
	                          "{\"name\":\"lineage:carries-weights\",\"value\":\"false\"}"));
	assert_non_null(strstr(c, "{\"name\":\"lineage:relation\",\"value\":\"distill\"},"
	                          "{\"name\":\"lineage:carries-weights\",\"value\":\"false\"},"
	                          "{\"name\":\"lineage:note\",\"value\":\"outputs\"}"));
	assert_int_equal(count(c, "{\"name\":\"lineage:relation\",\"value\":\"merge\"}"), 2);
	/* the licences: an SPDX id, a LicenseRef as a named licence */
	assert_non_null(strstr(c, "\"licenses\":[{\"license\":{\"id\":\"Apache-2.0\","
	                          "\"acknowledgement\":\"declared\"}}]"));
	assert_non_null(strstr(c, "{\"license\":{\"name\":\"Llama 2 Community License Agreement\","
	                          "\"url\":\"https://ai.meta.com/llama/license/\""));
	assert_non_null(strstr(c, "\"purl\":\"pkg:huggingface/Org/D-7B\""));
	assert_non_null(strstr(c, "\"approach\":{\"type\":\"supervised\"}"));
	assert_non_null(strstr(c, "{\"ref\":\"d\",\"dependsOn\":[\"c\",\"a\"]}"));
	assert_non_null(strstr(c, "{\"ref\":\"c\",\"dependsOn\":[\"a\",\"b\",\"teacher\"]}"));
	assert_non_null(strstr(c, "{\"ref\":\"base\",\"dependsOn\":[]}"));
	jr_dispose(&r);
	lin_buf_dispose(&b);
}

static void spdx_edges(void **state)
{
	const lin_catalog *cat = *state;
	lin_buf b = bom_of(cat, "d", LIN_BOM_SPDX, NULL, LIN_BOM_MAX_COMPONENTS, LIN_BOM_MAX_DEPTH);
	jr r;
	jr_read(&r, b.data);
	const char *c = r.compact.data;
	/* one ancestorOf per edge: d 2, c 3, a 1, b 1 */
	assert_int_equal(count(c, "\"relationshipType\":\"ancestorOf\""), 7);
	assert_int_equal(count(c, "\"type\":\"ai_AIPackage\""), 6);
	assert_non_null(strstr(c, "\"relationshipType\":\"ancestorOf\",\"to\":["));
	assert_non_null(strstr(c, "\"comment\":\"relation: recipe; carries weights: no; source: r\""));
	/* Apache-2.0, llama2, proprietary: three licences, four declarations */
	assert_int_equal(count(c, "\"type\":\"simplelicensing_LicenseExpression\""), 3);
	assert_int_equal(count(c, "\"relationshipType\":\"hasDeclaredLicense\""), 3);
	assert_non_null(strstr(c, "\"simplelicensing_licenseExpression\":\"LicenseRef-lineage-llama2\""));
	assert_non_null(strstr(c, "\"releaseTime\":\"2023-02-01T00:00:00Z\""));
	assert_non_null(strstr(c, "\"created\":\"2023-02-01T00:00:00Z\""));
	jr_dispose(&r);
	lin_buf_dispose(&b);
}

static void relation_narrows(void **state)
{
	const lin_catalog *cat = *state;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	o.relations = LIN_REL_BIT(LIN_REL_QUANTIZED) | LIN_REL_BIT(LIN_REL_MERGE) |
	              LIN_REL_BIT(LIN_REL_FINETUNE);
	lin_buf b = bom_of(cat, "d", LIN_BOM_CYCLONEDX, &o, LIN_BOM_MAX_COMPONENTS,
	                   LIN_BOM_MAX_DEPTH);
	jr r;
	jr_read(&r, b.data);
	assert_string_equal(r.refs.data, "d:0 c#1:1 a#1:2 base#1:3 b#1:2 c:0 a:0 b:0 base:0 ");
	assert_null(strstr(r.compact.data, "teacher"));
	assert_null(strstr(r.compact.data, "\"value\":\"recipe\""));
	jr_dispose(&r);
	lin_buf_dispose(&b);
	/* --depth 1: the parents, not nested further */
	o.relations = LIN_REL_ALL;
	o.depth = 1;
	b = bom_of(cat, "d", LIN_BOM_CYCLONEDX, &o, LIN_BOM_MAX_COMPONENTS, LIN_BOM_MAX_DEPTH);
	jr_read(&r, b.data);
	assert_string_equal(r.refs.data, "d:0 c#1:1 a#1:1 a:0 c:0 ");
	jr_dispose(&r);
	lin_buf_dispose(&b);
}

/* Checks that every bom-ref in refs ("REF:D REF:D ...") is unique. */
static void refs_unique(const char *refs)
{
	char *copy = strdup(refs), *save = NULL;
	size_t n = 0, cap = 64;
	char **seen = malloc(cap * sizeof(*seen));
	assert_non_null(copy);
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		*strrchr(t, ':') = '\0';
		for (size_t i = 0; i < n; i++)
			if (strcmp(seen[i], t) == 0)
				fail_msg("bom-ref %s twice", t);
		if (n == cap)
			seen = realloc(seen, (cap *= 2) * sizeof(*seen));
		seen[n++] = t;
	}
	free(seen);
	free(copy);
}

static void bounded_repeats(void **state)
{
	const lin_catalog *cat = *state;
	/* two components in full, then only first appearances expand */
	lin_buf b = bom_of(cat, "d", LIN_BOM_CYCLONEDX, NULL, 2, LIN_BOM_MAX_DEPTH);
	jr r;
	jr_read(&r, b.data);
	assert_string_equal(r.refs.data, "d:0 c#1:1 a#1:2 base#1:3 b#1:2 base#2:3 teacher#1:2 "
	                                 "a#2:1 a:0 c:0 b:0 base:0 teacher:0 ");
	assert_non_null(strstr(r.compact.data, "\"value\":\"not nested again: see its first "
	                                       "appearance, components and dependencies\""));
	jr_dispose(&r);
	lin_buf_dispose(&b);
	/* a depth limit of 2 */
	b = bom_of(cat, "d", LIN_BOM_CYCLONEDX, NULL, LIN_BOM_MAX_COMPONENTS, 2);
	jr_read(&r, b.data);
	assert_string_equal(r.refs.data, "d:0 c#1:1 a#1:2 b#1:2 teacher#1:2 a#2:1 base#1:2 "
	                                 "a:0 c:0 b:0 base:0 teacher:0 ");
	assert_non_null(strstr(r.compact.data, "not nested: deeper than the limit"));
	jr_dispose(&r);
	lin_buf_dispose(&b);
}

/* 24 layers of 3 models, each merging the whole layer above: 3^24 paths
 * to the root layer. The default bounds keep the BOM small and valid. */
static void wide_diamonds(void **state)
{
	(void)state;
	lin_buf y = LIN_BUF_INIT;
	for (int l = 0; l < 24; l++)
		for (int i = 0; i < 3; i++) {
			lin_buf_printf(&y, "- {id: m%d-%d, stage: %s, sources: [s]", l, i,
			               l ? "merged" : "pretrained");
			if (l)
				lin_buf_printf(&y, ", parents: [{model: m%d-0, relation: merge, sources: [s]},"
				               " {model: m%d-1, relation: merge, sources: [s]},"
				               " {model: m%d-2, relation: merge, sources: [s]}]",
				               l - 1, l - 1, l - 1);
			lin_buf_puts(&y, "}\n");
		}
	lin_catalog *cat = th_load_text(y.data);
	lin_buf b = LIN_BUF_INIT;
	lin_error e;
	assert_int_equal(lin_export_bom(&b, cat, th_find(cat, "m23-0"), LIN_BOM_CYCLONEDX, NULL, &e),
	                 0);
	jr r;
	jr_read(&r, b.data);
	size_t n = count(r.refs.data, " ");
	assert_true(n > LIN_BOM_MAX_COMPONENTS);
	assert_true(n < LIN_BOM_MAX_COMPONENTS + 300); /* + the edges, + the flat list */
	refs_unique(r.refs.data);
	jr_dispose(&r);
	lin_buf_dispose(&b);
	lin_catalog_free(cat);
	lin_buf_dispose(&y);
}

/* Every text field, list item, id and edge string replaced by one that
 * holds quotes, backslashes, controls, an escape sequence, a bidi override,
 * </script> and invalid UTF-8 (the YAML reader refuses such bytes, so the
 * test plants them in the loaded models). */
static const char hostile[] = "q\"\\\x01\x1b[31m\xff\xfe\xc0\xaf\xe2\x80\xae</script>\x7f\xed\xa0\x80 \xc3";

static void plant(lin_model *m)
{
	static char *items[] = {(char *)hostile, (char *)hostile};
	size_t n;
	const lin_field *f = lin_model_fields(&n);
	for (size_t i = 0; i < n; i++) {
		char *at = (char *)m + f[i].offset;
		if (f[i].kind == LIN_FIELD_TEXT)
			*(const char **)(void *)at = hostile;
		else if (f[i].kind == LIN_FIELD_LIST)
			((lin_strlist *)(void *)at)->items = items,
			((lin_strlist *)(void *)at)->n = 2;
	}
	for (size_t j = 0; j < m->nparents; j++) {
		m->parents[j].variant = m->parents[j].note = (char *)hostile;
		m->parents[j].sources.items = items;
		m->parents[j].sources.n = 2;
	}
}

static void hostile_strings(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_text(diamond);
	igraph_integer_t d = th_find(cat, "d");
	for (igraph_integer_t v = 0; v < lin_catalog_count(cat); v++)
		plant((lin_model *)(uintptr_t)lin_catalog_model(cat, v));
	for (int f = LIN_BOM_CYCLONEDX; f <= LIN_BOM_SPDX; f++) {
		lin_buf b = LIN_BUF_INIT;
		lin_error e;
		assert_int_equal(lin_export_bom(&b, cat, d, (lin_bom_format)f, NULL, &e), 0);
		jr r;
		jr_read(&r, b.data);
		assert_null(strstr(b.data, "</script>"));
		assert_null(strchr(b.data, '\x1b'));
		assert_null(strstr(b.data, "\xe2\x80\xae"));
		jr_dispose(&r);
		lin_buf_dispose(&b);
	}
	lin_catalog_free(cat);
}

static void deterministic(void **state)
{
	const lin_catalog *cat = *state;
	for (int f = LIN_BOM_CYCLONEDX; f <= LIN_BOM_SPDX; f++) {
		lin_buf x = bom_of(cat, "d", (lin_bom_format)f, NULL, 10000, 64);
		lin_buf y = bom_of(cat, "d", (lin_bom_format)f, NULL, 10000, 64);
		lin_buf z = bom_of(cat, "c", (lin_bom_format)f, NULL, 10000, 64);
		assert_int_equal(x.len, y.len);
		assert_memory_equal(x.data, y.data, x.len);
		const char *u = strstr(x.data, f == LIN_BOM_SPDX ? "lineage.invalid/spdx/" : "urn:uuid:");
		assert_non_null(u);
		u += f == LIN_BOM_SPDX ? 21 : 9;
		/* a version 5 UUID, RFC 4122 variant, lowercase */
		assert_int_equal(u[8], '-');
		assert_int_equal(u[14], '5');
		assert_non_null(strchr("89ab", u[19]));
		assert_null(memchr(x.data, 0x01, x.len));
		/* another model, another UUID */
		char uuid[37];
		memcpy(uuid, u, 36);
		uuid[36] = '\0';
		assert_null(strstr(z.data, uuid));
		lin_buf_dispose(&x);
		lin_buf_dispose(&y);
		lin_buf_dispose(&z);
	}
}

static void errors_and_formats(void **state)
{
	const lin_catalog *cat = *state;
	lin_buf b = LIN_BUF_INIT;
	lin_error e;
	lin_catalog *raw = NULL;
	assert_int_equal(lin_bom_format_parse("cyclonedx"), LIN_BOM_CYCLONEDX);
	assert_int_equal(lin_bom_format_parse("spdx"), LIN_BOM_SPDX);
	assert_int_equal(lin_bom_format_parse("CycloneDX"), -1);
	assert_int_equal(lin_bom_format_parse(NULL), -1);
	assert_int_equal(lin_export_bom(&b, cat, 0, (lin_bom_format)7, NULL, &e), LIN_EINVAL);
	assert_int_equal(lin_export_bom(&b, cat, lin_catalog_count(cat), LIN_BOM_SPDX, NULL, &e),
	                 LIN_EINVAL);
	assert_int_equal(lin_catalog_new(&raw, &e), 0);
	assert_int_equal(lin_export_bom(&b, raw, 0, LIN_BOM_CYCLONEDX, NULL, &e), LIN_EINVAL);
	assert_int_equal(b.len, 0);
	lin_catalog_free(raw);
	lin_buf_dispose(&b);
}

static void sha1_vectors(void **state)
{
	(void)state;
	unsigned char d[20];
	char hex[41];
	static const char *const want[] = {"da39a3ee5e6b4b0d3255bfef95601890afd80709",
	                                   "a9993e364706816aba3e25717850c26c9cd0d89d",
	                                   "84983e441c3bd26ebaae4aa1f95129e5e54670f1"};
	const char *in[] = {"", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"};
	for (int k = 0; k < 3; k++) {
		/* split anywhere between prefix and data: the same digest */
		size_t n = strlen(in[k]);
		for (size_t cut = 0; cut <= n; cut++) {
			lin_i_sha1(d, in[k], cut, in[k] + cut, n - cut);
			for (int i = 0; i < 20; i++)
				snprintf(hex + 2 * i, 3, "%02x", d[i]);
			assert_string_equal(hex, want[k]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(spdx_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(relation_narrows, setup, teardown),
		cmocka_unit_test_setup_teardown(bounded_repeats, setup, teardown),
		cmocka_unit_test(wide_diamonds),
		cmocka_unit_test(hostile_strings),
		cmocka_unit_test_setup_teardown(deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_and_formats, setup, teardown),
		cmocka_unit_test(sha1_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
