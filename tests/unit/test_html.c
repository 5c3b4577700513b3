/*
 * test_html.c - the documentation page: every model has a card, every
 * catalog string is escaped, the search data is valid JSON (parsed here),
 * SVGs are inlined without their prolog and with ids made unique, and the
 * page refers to nothing outside itself but the models' http(s) links.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"

#include "draw/draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected \"%s\" in the page", needle);
}

static void assert_lacks(const char *hay, const char *needle)
{
	const char *at = strstr(hay, needle);
	if (at)
		fail_msg("unexpected \"%s\" at: %.80s", needle, at);
}

/* ---- a small strict JSON parser (RFC 8259), enough to validate ---------- */

typedef struct js {
	const char *p, *end;
	int depth;
} js;

static int js_value(js *s);

static void js_ws(js *s)
{
	while (s->p < s->end && strchr(" \t\r\n", *s->p))
		s->p++;
}

static int js_string(js *s)
{
	if (s->p >= s->end || *s->p != '"')
		return -1;
	for (s->p++; s->p < s->end; s->p++) {
		unsigned char c = (unsigned char)*s->p;
		if (c == '"') {
			s->p++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			s->p++;
			if (s->p >= s->end)
				return -1;
			if (*s->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (s->p + i >= s->end || !strchr("0123456789abcdefABCDEF", s->p[i]))
						return -1;
				s->p += 4;
			} else if (!strchr("\"\\/bfnrt", *s->p)) {
				return -1;
			}
		}
	}
	return -1;
}

static int js_number(js *s)
{
	const char *start = s->p;
	if (s->p < s->end && *s->p == '-')
		s->p++;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > start ? 0 : -1;
}

/* Parses an array or object; counts the items of an array in *n. */
static int js_container(js *s, char open, char close, long *n)
{
	if (++s->depth > 64)
		return -1;
	s->p++; /* open */
	js_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		js_ws(s);
		if (open == '{') {
			if (js_string(s))
				return -1;
			js_ws(s);
			if (s->p >= s->end || *s->p++ != ':')
				return -1;
		}
		if (js_value(s))
			return -1;
		if (n)
			(*n)++;
		js_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == close) {
			s->p++;
			s->depth--;
			return 0;
		}
		return -1;
	}
}

static int js_value(js *s)
{
	js_ws(s);
	if (s->p >= s->end)
		return -1;
	switch (*s->p) {
	case '{':
		return js_container(s, '{', '}', NULL);
	case '[':
		return js_container(s, '[', ']', NULL);
	case '"':
		return js_string(s);
	case 't':
		return (s->end - s->p >= 4 && memcmp(s->p, "true", 4) == 0) ? (s->p += 4, 0) : -1;
	case 'f':
		return (s->end - s->p >= 5 && memcmp(s->p, "false", 5) == 0) ? (s->p += 5, 0) : -1;
	case 'n':
		return (s->end - s->p >= 4 && memcmp(s->p, "null", 4) == 0) ? (s->p += 4, 0) : -1;
	default:
		return js_number(s);
	}
}

/* The JSON block of the page: valid, and its models array has n items. */
static void check_json(const char *page, long n)
{
	static const char open[] = "<script type=\"application/json\" id=\"lineage-data\">";
	const char *a = strstr(page, open), *b = NULL, *models = NULL;
	assert_non_null(a);
	a += strlen(open);
	b = strstr(a, "</script>");
	assert_non_null(b);
	js s = {a, b, 0};
	if (js_value(&s) != 0)
		fail_msg("invalid JSON near: %.60s", s.p);
	js_ws(&s);
	assert_true(s.p == b);
	models = strstr(a, "\"models\":[");
	assert_non_null(models);
	js m = {models + 9, b, 0};
	long items = 0;
	assert_int_equal(js_container(&m, '[', ']', &items), 0);
	assert_int_equal(items, n);
}

/* Every src= or href= value in the page: internal (#...) or http(s). */
static void check_refs(const char *page)
{
	assert_lacks(page, " src=");
	assert_lacks(page, "<link");
	assert_lacks(page, "@import");
	assert_lacks(page, "url(");
	for (const char *p = strstr(page, "href=\""); p; p = strstr(p + 1, "href=\"")) {
		const char *v = p + 6;
		if (*v != '#' && strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0 &&
		    strncmp(v, "HTTPS://", 8) != 0)
			fail_msg("external or non-http reference: %.60s", p);
	}
}

static char *page_of(const lin_catalog *cat, const char *svg)
{
	lin_buf b = LIN_BUF_INIT;
	lin_error err;
	lin_page_fig fig = {"family-x", "A <b>&", "caption \"q\"", svg, svg ? strlen(svg) : 0};
	assert_int_equal(lin_i_html_page(&b, cat, svg ? &fig : NULL, svg ? 1 : 0, &err), 0);
	assert_non_null(b.data);
	return b.data;
}

static void test_escaping(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_hostile.yaml");
	char *page = page_of(cat, NULL);

	assert_true(strncmp(page, "<!DOCTYPE html>\n", 16) == 0);
	/* markup in names and organisations is shown, never run */
	assert_contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_lacks(page, "<script>alert");
	assert_contains(page, "a\\Nb &amp; &lt;c&gt;");
	assert_contains(page, "Back\\slash &amp; &quot;quotes&quot;");
	/* controls and bidi overrides are gone */
	assert_lacks(page, "\t");
	assert_lacks(page, "\xe2\x80\xae");
	/* only http(s) links, percent-encoded like the SVGs */
	assert_lacks(page, "javascript:");
	assert_contains(page, "href=\"https://x.org/a?b=1%26c=%222%22\"");
	/* in the JSON, < > & are escaped, so </script> cannot occur early */
	assert_contains(page, "\"name\":\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"");
	assert_int_equal(strstr(page, "</script>") - strstr(page, "\"figures\"") > 0, 1);
	check_json(page, 4);
	check_refs(page);
	free(page);
	lin_catalog_free(cat);
}

static void test_cards_and_json(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	char *page = page_of(cat, NULL);
	char key[64];

	for (igraph_integer_t v = 0; v < lin_catalog_count(cat); v++) {
		const lin_model *m = lin_catalog_model(cat, v);
		snprintf(key, sizeof(key), "<article class=\"card\" id=\"card-%" IGRAPH_PRId "\"><h3>%s",
		         v, m->name);
		assert_contains(page, key);
		snprintf(key, sizeof(key), "{\"id\":\"%s\"", m->id);
		assert_contains(page, key);
	}
	/* fields, parents with relation and variant, children, sources */
	assert_contains(page, "<dt>organisation</dt><dd>Lab &amp; Co</dd>");
	assert_contains(page, "<dt>parameters</dt><dd>7B, 13B</dd>");
	assert_contains(page, "<span class=\"tag\">closed weights</span>");
	assert_contains(page, "\xe2\x80\x94 finetune (7B) \xe2\x80\x94 source: fixture</li>");
	assert_contains(page, "<div>derived into</div>");
	/* parents in the search data: chat comes from base (finetune) and
	 * teacher (distill); its name keys as the CLI computes them */
	assert_contains(page, "{\"id\":\"chat\",\"name\":\"Chat\",\"aliases\":[],"
	                      "\"dom\":\"model-chat\",\"keys\":[\"chat\",\"chat\"],"
	                      "\"parents\":[[0,\"finetune\"],[1,\"distill\"]]}");
	check_json(page, 6);
	check_refs(page);
	/* the search script is inline and reads the JSON */
	assert_contains(page, "<script>(function(){'use strict';");
	free(page);
	lin_catalog_free(cat);
}

static void test_svg_inline(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	lin_buf svg = LIN_BUF_INIT;
	lin_error err;
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	assert_int_equal(lin_render(&svg, cat, &o, LIN_FORMAT_SVG, &err), 0);
	char *page = page_of(cat, svg.data);

	assert_lacks(page, "<?xml");
	assert_lacks(page, "<!DOCTYPE svg");
	assert_contains(page, "<section class=\"fig\" id=\"family-x\"><h2>A &lt;b&gt;&amp;</h2>"
	                      "<p>caption &quot;q&quot;</p>");
	assert_contains(page, "<div class=\"scroll\">\n<svg ");
	/* ids prefixed with the figure's, so several SVGs can share the page */
	assert_contains(page, "id=\"f0-model&#45;base\"");
	assert_contains(page, "id=\"f0-graph0\"");
	assert_lacks(page, " id=\"model&#45;base\"");
	assert_contains(page, "\"figures\":[\"f0-\"]");
	check_refs(page);
	free(page);

	/* something that is not SVG is refused */
	lin_buf b = LIN_BUF_INIT;
	lin_page_fig bad = {"x", "x", "x", "<html>", 6};
	assert_int_equal(lin_i_html_page(&b, cat, &bad, 1, &err), LIN_EINVAL);
	lin_buf_dispose(&b);
	lin_buf_dispose(&svg);
	lin_catalog_free(cat);
}

/* Models whose ids give one DOM id ("a-b", "a/b") and a real id equal to
 * the old clash suffix ("a-b-3", beside a/b at vertex 3): the page's ids
 * are unique over the whole catalog, the same in every figure, and the
 * JSON's dom of a model is the id of its own box, even in a drawing where
 * the model that took the plain id is absent. */
static void test_colliding_dom_ids(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("hostile/colliding-ids.yaml");
	lin_buf svg = LIN_BUF_INIT, slash = LIN_BUF_INIT, b = LIN_BUF_INIT;
	lin_error err;
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	igraph_integer_t v = -1;
	assert_int_equal(lin_render(&svg, cat, &o, LIN_FORMAT_SVG, &err), 0);
	/* the drawing: unique among its own models, the suffix after '_' */
	assert_contains(svg.data, " id=\"model&#45;a&#45;b\" class=\"node");
	assert_contains(svg.data, " id=\"model&#45;a&#45;b&#45;3\" class=\"node");
	assert_contains(svg.data, " id=\"model&#45;a&#45;b_3\" class=\"node");
	/* a/b's family alone: the drawing gives it the plain id */
	assert_int_equal(lin_catalog_find(&v, cat, "a/b", &err), 0);
	o.focus = v;
	o.descendants = 1;
	assert_int_equal(lin_render(&slash, cat, &o, LIN_FORMAT_SVG, &err), 0);
	assert_contains(slash.data, " id=\"model&#45;a&#45;b\" class=\"node");
	lin_page_fig figs[2] = {{"catalog", "All", "all", svg.data, svg.len},
	                        {"family-a-b_3", "Slash", "slash", slash.data, slash.len}};
	assert_int_equal(lin_i_html_page(&b, cat, figs, 2, &err), 0);
	const char *page = b.data;
	assert_contains(page, "\"id\":\"a-b\",\"name\":\"Dash\",\"aliases\":[],\"dom\":\"model-a-b\"");
	assert_contains(page, "\"id\":\"a-b-3\",\"name\":\"Dash three\",\"aliases\":[],\"dom\":\"model-a-b-3\"");
	assert_contains(page, "\"id\":\"a/b\",\"name\":\"Slash\",\"aliases\":[],\"dom\":\"model-a-b_3\"");
	/* in both figures a/b's box is model-a-b_3, never a-b's plain id */
	assert_contains(page, " id=\"f0-model&#45;a&#45;b_3\" class=\"node stage&#45;pretrained model\">\n<title>n3</title>");
	assert_contains(page, " id=\"f1-model&#45;a&#45;b_3\" class=\"node stage&#45;pretrained model\">\n<title>n3</title>");
	assert_contains(page, " id=\"f0-model&#45;a&#45;b\" class=\"node stage&#45;pretrained model\">\n<title>n1</title>");
	assert_lacks(page, " id=\"f1-model&#45;a&#45;b\"");
	/* every id of the page once */
	for (const char *p = strstr(page, " id=\""); p; p = strstr(p + 1, " id=\"")) {
		const char *e = strchr(p + 5, '"');
		char id[200];
		assert_non_null(e);
		assert_true(e - p < 190);
		snprintf(id, sizeof(id), "%.*s\"", (int)(e - p), p);
		if (strstr(e, id))
			fail_msg("id repeated: %s", id);
	}
	check_json(page, 10);
	lin_buf_dispose(&b);
	lin_buf_dispose(&svg);
	lin_buf_dispose(&slash);
	lin_catalog_free(cat);
}

static int teardown(void **state)
{
	(void)state;
	lin_render_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_cards_and_json),
		cmocka_unit_test(test_svg_inline),
		cmocka_unit_test(test_colliding_dom_ids),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
