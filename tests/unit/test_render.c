/*
 * test_render.c - the drawing module: vertex selection, the DOT it builds,
 * escaping of hostile catalog text in SVG, determinism, the size limit and
 * the documentation set.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"

#include "draw/draw.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------ */

/* The DOT node name of model id. */
static const char *node(const lin_catalog *cat, const char *id)
{
	static char names[4][32];
	static int next;
	char *s = names[next++ % 4];
	snprintf(s, 32, "n%" IGRAPH_PRId, th_find(cat, id));
	return s;
}

static char *render(const lin_catalog *cat, const lin_draw_opts *o, lin_format fmt)
{
	lin_buf b = LIN_BUF_INIT;
	lin_error err;
	lin_error_clear(&err);
	int rc = lin_render(&b, cat, o, fmt, &err);
	if (rc)
		fail_msg("lin_render: %d %s", rc, err.msg);
	assert_non_null(b.data);
	return b.data;
}

/* The attribute list of a DOT statement that starts with head + "\t[",
 * e.g. "n0" or "n0 -> n2", as written by agwrite. NULL when absent. */
static char *dot_attrs(const char *dot, const char *head)
{
	char key[96];
	snprintf(key, sizeof(key), "\t%s\t[", head);
	const char *p = strstr(dot, key);
	if (!p)
		return NULL;
	p += strlen(key);
	const char *q = strstr(p, "];\n");
	assert_non_null(q);
	return strndup(p, (size_t)(q - p));
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("unexpected \"%s\" in output", needle);
}

/* Every '&' in XML text must start an entity. */
static void assert_entities_ok(const char *xml)
{
	for (const char *p = strchr(xml, '&'); p; p = strchr(p + 1, '&')) {
		size_t n = strspn(p + 1, "#xabcdefghijklmnopqrstuvwxyzABCDEF0123456789");
		if (n == 0 || p[1 + n] != ';')
			fail_msg("bare '&' in SVG near: %.40s", p);
	}
}

/* Number of occurrences of needle in hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Checks that DOT node n is declared in the same rank=same subgraph as the
 * year node y. */
static void assert_in_band(const char *dot, const char *y, const char *n)
{
	char key[48];
	snprintf(key, sizeof(key), "\t\t%s\t[", y);
	const char *at = strstr(dot, key);
	assert_non_null(at);
	const char *start = at, *end = strstr(at, "\n\t}");
	while (start > dot && strncmp(start, "\t{\n", 3) != 0)
		start--;
	assert_non_null(end);
	snprintf(key, sizeof(key), "\t\t%s\t[", n);
	const char *hit = strstr(start, key);
	if (!hit || hit > end)
		fail_msg("%s is not in the band of %s", n, y);
}

/* ---- lin_format_parse ---------------------------------------------------- */

static void test_format_parse(void **state)
{
	(void)state;
	assert_int_equal(lin_format_parse("svg"), LIN_FORMAT_SVG);
	assert_int_equal(lin_format_parse("dot"), LIN_FORMAT_DOT);
	assert_int_equal(lin_format_parse("png"), LIN_FORMAT_PNG);
	assert_int_equal(lin_format_parse("pdf"), LIN_FORMAT_PDF);
	assert_int_equal(lin_format_parse("jpg"), -1);
	assert_int_equal(lin_format_parse(""), -1);
	assert_int_equal(lin_format_parse(NULL), -1);
}

/* PDF is a PDF, PNG --scale 2 doubles the pixel width, a scale out of range
 * is refused, and Graphviz's messages land in o.diags. */
static unsigned png_width(const lin_buf *b)
{
	const unsigned char *d = (const unsigned char *)b->data;
	assert_true(b->len > 24);
	assert_memory_equal(d, "\x89PNG", 4);
	return (unsigned)d[16] << 24 | (unsigned)d[17] << 16 | (unsigned)d[18] << 8 | d[19];
}

static void test_formats(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_buf pdf = LIN_BUF_INIT, p1 = LIN_BUF_INIT, p2 = LIN_BUF_INIT, bad = LIN_BUF_INIT;
	lin_diags diags;
	lin_error err;
	lin_diags_init(&diags);
	o.diags = &diags;
	assert_int_equal(lin_render(&pdf, cat, &o, LIN_FORMAT_PDF, &err), 0);
	assert_true(pdf.len > 5);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	assert_int_equal(lin_render(&p1, cat, &o, LIN_FORMAT_PNG, &err), 0);
	o.scale = 2;
	assert_int_equal(lin_render(&p2, cat, &o, LIN_FORMAT_PNG, &err), 0);
	unsigned w1 = png_width(&p1), w2 = png_width(&p2);
	assert_true(w2 + 2 >= 2 * w1 && w2 <= 2 * w1 + 2);
	o.scale = LIN_DRAW_SCALE_MAX + 1;
	assert_int_equal(lin_render(&bad, cat, &o, LIN_FORMAT_PNG, &err), LIN_EINVAL);
	assert_int_equal(lin_diags_warnings(&diags), 0); /* a small drawing: nothing said */
	lin_diags_dispose(&diags);
	lin_buf_dispose(&pdf);
	lin_buf_dispose(&p1);
	lin_buf_dispose(&p2);
	lin_buf_dispose(&bad);
	lin_catalog_free(cat);
}

/* ---- selection ------------------------------------------------------------ */

/* Selects with o and compares with the expected ids (in vertex order). */
static void check_select(const lin_catalog *cat, const lin_draw_opts *o,
                         const char *const *ids, size_t n)
{
	igraph_vector_int_t got;
	lin_error err;
	igraph_vector_int_init(&got, 0);
	assert_int_equal(lin_draw_select(&got, cat, o, &err), 0);
	assert_int_equal(igraph_vector_int_size(&got), (igraph_integer_t)n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(lin_catalog_model(cat, VECTOR(got)[i])->id, ids[i]);
	igraph_vector_int_destroy(&got);
}

static void test_select(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;

	static const char *const all[] = {"base", "teacher", "chat", "lora", "chat-q4", "mix"};
	check_select(cat, &o, all, 6);

	o.focus = th_find(cat, "chat");
	o.ancestors = 1;
	static const char *const up[] = {"base", "teacher", "chat"};
	check_select(cat, &o, up, 3);

	o.relations = LIN_REL_BIT(LIN_REL_FINETUNE);
	static const char *const up_ft[] = {"base", "chat"};
	check_select(cat, &o, up_ft, 2);

	o.relations = LIN_REL_ALL;
	o.ancestors = 0;
	o.depth = 1; /* both directions, one edge */
	static const char *const near[] = {"base", "teacher", "chat", "chat-q4", "mix"};
	check_select(cat, &o, near, 5);

	o.focus = th_find(cat, "base");
	o.descendants = 1;
	static const char *const down1[] = {"base", "chat", "lora"};
	check_select(cat, &o, down1, 3);

	o.depth = -1;
	static const char *const down[] = {"base", "chat", "lora", "chat-q4", "mix"};
	check_select(cat, &o, down, 5);

	o.relations = LIN_REL_BIT(LIN_REL_ADAPTER) | LIN_REL_BIT(LIN_REL_MERGE);
	static const char *const down_am[] = {"base", "lora", "mix"};
	check_select(cat, &o, down_am, 3);

	o.depth = 0;
	static const char *const self[] = {"base"};
	check_select(cat, &o, self, 1);

	/* the whole catalog, some relations left out: a model whose every
	 * derivation is left out goes (chat-q4 quantized, lora an adapter, mix
	 * merged), one with a drawn derivation stays */
	lin_draw_opts w = LIN_DRAW_OPTS_INIT;
	w.relations = LIN_REL_BIT(LIN_REL_FINETUNE) | LIN_REL_BIT(LIN_REL_DISTILL);
	static const char *const ft[] = {"base", "teacher", "chat"};
	check_select(cat, &w, ft, 3);
	w.relations = LIN_REL_BIT(LIN_REL_MERGE);
	static const char *const merged[] = {"chat", "lora", "mix"};
	check_select(cat, &w, merged, 3);
	/* a given set too */
	igraph_vector_int_t given;
	igraph_vector_int_init(&given, 0);
	igraph_vector_int_push_back(&given, th_find(cat, "chat-q4"));
	igraph_vector_int_push_back(&given, th_find(cat, "chat"));
	w.select = &given;
	static const char *const chat_only[] = {"chat"};
	check_select(cat, &w, chat_only, 1);
	igraph_vector_int_destroy(&given);

	igraph_vector_int_t v;
	lin_error err;
	igraph_vector_int_init(&v, 0);
	o.focus = 99;
	assert_int_equal(lin_draw_select(&v, cat, &o, &err), LIN_EINVAL);
	igraph_vector_int_destroy(&v);
	lin_catalog_free(cat);
}

/* ---- DOT ------------------------------------------------------------------ */

static void test_dot_small(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	char *dot = render(cat, &o, LIN_FORMAT_DOT);
	char head[64];

	assert_true(strncmp(dot, "digraph lineage {", 17) == 0);
	assert_contains(dot, "rankdir=LR");
	assert_contains(dot, "newrank=true");
	assert_contains(dot, "label=\"lineage: 6 models, 6 derivations\"");
	assert_contains(dot, "subgraph cluster_legend {");

	char *base = dot_attrs(dot, node(cat, "base"));
	assert_non_null(base);
	assert_contains(base, "label=\"Base\\n7B \xc2\xb7 13B \xc2\xb7 2023\"");
	assert_contains(base, "fillcolor=\"#aecbfa\"");
	assert_contains(base, "id=\"model-base\"");
	assert_contains(base, "class=\"stage-pretrained model weights-open org-lab-co\"");
	assert_contains(base, "URL=\"https://example.org/base\"");
	assert_contains(base, "target=_top");
	assert_contains(base, "Lab &amp; Co");
	assert_contains(base, "licence apache-2.0");
	assert_lacks(base, "dashed");
	free(base);

	char *teacher = dot_attrs(dot, node(cat, "teacher"));
	assert_contains(teacher, "style=\"rounded,filled,dashed\"");
	assert_contains(teacher, "class=\"stage-rlhf model weights-closed org-closed-inc\"");
	assert_contains(teacher, "URL=\"HTTPS://teacher.example.com/x\"");
	assert_contains(teacher, "closed weights");
	free(teacher);

	char *chat = dot_attrs(dot, node(cat, "chat"));
	/* every relation kind of its parents, for CSS */
	assert_contains(chat, "class=\"stage-sft model weights-open rel-finetune rel-distill\"");
	assert_contains(chat, "parameters 7B");
	free(chat);

	char *q4 = dot_attrs(dot, node(cat, "chat-q4"));
	assert_contains(q4, "label=\"Chat Q4\""); /* no params, no date */
	assert_lacks(q4, "URL");
	free(q4);

	snprintf(head, sizeof(head), "%s -> %s", node(cat, "base"), node(cat, "chat"));
	char *ft = dot_attrs(dot, head);
	assert_non_null(ft);
	assert_contains(ft, "style=solid");
	assert_contains(ft, "label=finetune");
	assert_contains(ft, "tooltip=\"Base \xe2\x86\x92 Chat: finetune (7B)\"");
	free(ft);

	snprintf(head, sizeof(head), "%s -> %s", node(cat, "base"), node(cat, "lora"));
	char *ad = dot_attrs(dot, head);
	assert_contains(ad, "style=dashed");
	free(ad);

	snprintf(head, sizeof(head), "%s -> %s", node(cat, "teacher"), node(cat, "chat"));
	char *di = dot_attrs(dot, head);
	assert_contains(di, "arrowhead=onormal");
	assert_contains(di, "style=dashed");
	free(di);

	snprintf(head, sizeof(head), "%s -> %s", node(cat, "lora"), node(cat, "mix"));
	char *me = dot_attrs(dot, head);
	assert_contains(me, "style=bold");
	free(me);

	snprintf(head, sizeof(head), "%s -> %s", node(cat, "chat"), node(cat, "chat-q4"));
	char *qu = dot_attrs(dot, head);
	assert_contains(qu, "style=dotted");
	free(qu);

	/* the legend lists what is drawn and nothing else */
	char *legend = dot_attrs(dot, "legend");
	assert_contains(legend, ">distill</TD>");
	assert_contains(legend, ">merged</TD>");
	assert_contains(legend, "closed weights");
	assert_lacks(legend, ">multimodal</TD>");
	assert_lacks(legend, ">continued-pretrain</TD>");
	assert_lacks(legend, ">upcycle</TD>");
	free(legend);
	free(dot);
	lin_catalog_free(cat);
}

static void test_dot_focus_filtered(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	char head[64];
	o.focus = th_find(cat, "base");
	o.descendants = 1;
	o.left_to_right = 0;
	o.relations = LIN_REL_BIT(LIN_REL_ADAPTER) | LIN_REL_BIT(LIN_REL_MERGE);
	char *dot = render(cat, &o, LIN_FORMAT_DOT);

	assert_contains(dot, "rankdir=TB");
	assert_contains(dot, "label=\"Base: descendants\"");
	char *chat = dot_attrs(dot, node(cat, "chat"));
	assert_null(chat);
	snprintf(head, sizeof(head), "%s -> %s", node(cat, "lora"), node(cat, "mix"));
	char *me = dot_attrs(dot, head);
	assert_non_null(me);
	free(me);
	assert_lacks(dot, "finetune");
	free(dot);

	/* a caller's title is used (and escaped) instead of the default */
	o.title = "A & B \\N";
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_contains(dot, "label=\"A &amp; B \\\\N\"");
	free(dot);
	lin_catalog_free(cat);
}

static void test_dot_by_year(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	o.by_year = 1;
	o.group = LIN_GROUP_NONE;
	char *dot = render(cat, &o, LIN_FORMAT_DOT);

	/* one rank=same band per year and one for the undated */
	assert_int_equal(count(dot, "graph [rank=same];"), 3);
	assert_in_band(dot, "t20220", node(cat, "teacher"));
	assert_in_band(dot, "t20230", node(cat, "base"));
	assert_in_band(dot, "t20230", node(cat, "mix"));
	assert_in_band(dot, "t0", node(cat, "chat-q4"));
	assert_contains(dot, "label=undated");
	assert_contains(dot, "id=\"time-2022\"");
	assert_contains(dot, "id=\"time-undated\"");
	/* the axis: consecutive slots chained, the undated band invisibly */
	char *ax = dot_attrs(dot, "t20220 -> t20230");
	assert_non_null(ax);
	assert_contains(ax, "style=solid");
	free(ax);
	ax = dot_attrs(dot, "t20230 -> t0");
	assert_contains(ax, "style=invis");
	free(ax);
	assert_contains(dot, "constraint=false");
	assert_lacks(dot, "cluster_group");
	free(dot);
	/* same-year flat edges with labels once crashed dot: lay it out */
	char *svg = render(cat, &o, LIN_FORMAT_SVG);
	assert_contains(svg, ">2022</text>");
	assert_contains(svg, ">undated</text>");
	free(svg);

	/* quarters: 2023's models spread over Q1 and Q2 */
	o.quarters = 1;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_in_band(dot, "t20231", node(cat, "base"));  /* 2023-02 */
	assert_in_band(dot, "t20231", node(cat, "chat"));  /* 2023-03 */
	assert_in_band(dot, "t20232", node(cat, "lora"));  /* 2023-04 */
	assert_in_band(dot, "t20232", node(cat, "mix"));   /* 2023-05 */
	assert_in_band(dot, "t20224", node(cat, "teacher")); /* 2022-11 */
	assert_contains(dot, "label=\"2023 Q1\"");
	assert_contains(dot, "id=\"time-2023-q2\"");
	assert_int_equal(count(dot, "graph [rank=same];"), 4);
	free(dot);

	/* groups: by base family (weights-carrying parents), by organisation */
	o.quarters = 0;
	o.group = LIN_GROUP_AUTO; /* none, by year too */
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_lacks(dot, "cluster_group");
	free(dot);
	o.group = LIN_GROUP_FAMILY;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_int_equal(count(dot, "subgraph cluster_group"), 1);
	assert_contains(dot, "label=\"Base family\"");
	const char *cl = strstr(dot, "subgraph cluster_group0 {");
	assert_non_null(cl);
	const char *cl_end = strstr(cl, "\n\t}");
	for (const char *const *id = (const char *const[]){"base", "chat", "lora", "chat-q4", "mix", NULL};
	     *id; id++) {
		char key[48];
		snprintf(key, sizeof(key), "\t\t%s\t[", node(cat, *id));
		const char *hit = strstr(cl, key);
		if (!hit || hit > cl_end)
			fail_msg("%s is not in the Base family cluster", *id);
	}
	free(dot);
	o.group = LIN_GROUP_ORG; /* only Base and Teacher have orgs: no group of two */
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_lacks(dot, "cluster_group");
	free(dot);
	/* lanes by architecture: the fixture records none, so no lane */
	o.group = LIN_GROUP_ARCH;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_lacks(dot, "cluster_group");
	free(dot);
	assert_int_equal(lin_group_parse("architecture"), LIN_GROUP_ARCH);
	assert_int_equal(lin_group_parse("arch"), LIN_GROUP_ARCH);
	assert_int_equal(lin_group_parse("lanes"), -1);
	lin_catalog_free(cat);
}

/* ---- SVG ------------------------------------------------------------------- */

static void test_svg_hostile(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_hostile.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	char *svg = render(cat, &o, LIN_FORMAT_SVG);

	assert_true(strncmp(svg, "<?xml", 5) == 0);
	assert_contains(svg, "</svg>");
	assert_lacks(svg, "<script");
	assert_lacks(svg, "javascript:");
	assert_contains(svg, "&lt;script&gt;alert(1)&lt;/script&gt;");
	/* & and " percent-encoded in the one link that survives */
	assert_contains(svg, "xlink:href=\"https://x.org/a?b=1%26c=%222%22\"");
	assert_lacks(svg, "b=1&");
	/* backslashes are shown, not interpreted as \N escapes */
	assert_contains(svg, ">Back\\slash &amp; &quot;quotes&quot;</text>");
	assert_contains(svg, "a\\Nb &amp; &lt;c&gt;");
	/* control characters are gone, ids are sanitised */
	assert_lacks(svg, "\t");
	assert_lacks(svg, "\xe2\x80\xae");
	assert_contains(svg, "id=\"model&#45;weird&#45;id&#45;x\"");
	/* an absurd name is cut at 80 characters with an ellipsis */
	char cut[80 * 2 + 8] = "";
	for (int i = 0; i < 79; i++)
		strcat(cut, "\xc3\xa9");
	strcat(cut, "\xe2\x80\xa6<");
	assert_contains(svg, cut);
	assert_entities_ok(svg);
	free(svg);

	char *dot = render(cat, &o, LIN_FORMAT_DOT);
	char *evil = dot_attrs(dot, node(cat, "evil"));
	assert_lacks(evil, "URL");
	assert_contains(evil, "label=\"<script>alert(1)</script>\\n2024\"");
	free(evil);
	free(dot);
	lin_catalog_free(cat);
}

static void test_deterministic(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_format fmts[] = {LIN_FORMAT_DOT, LIN_FORMAT_SVG, LIN_FORMAT_PNG};

	for (int year = 0; year < 2; year++) {
		o.by_year = year;
		for (size_t i = 0; i < 3; i++) {
			lin_buf a = LIN_BUF_INIT, b = LIN_BUF_INIT;
			lin_error err;
			assert_int_equal(lin_render(&a, cat, &o, fmts[i], &err), 0);
			assert_int_equal(lin_render(&b, cat, &o, fmts[i], &err), 0);
			assert_true(a.len > 100);
			assert_int_equal(a.len, b.len);
			assert_memory_equal(a.data, b.data, a.len);
			if (fmts[i] == LIN_FORMAT_PNG)
				assert_memory_equal(a.data, "\x89PNG\r\n\x1a\n", 8);
			lin_buf_dispose(&a);
			lin_buf_dispose(&b);
		}
	}
	lin_catalog_free(cat);
}

/* A synthetic family: root r with n fine-tunes f<i>, the first k of which
 * have m quantized children each, plus one adapter a0 with a chain of 3. */
static lin_catalog *wide_family(int n, int k, int m)
{
	lin_catalog *cat = NULL;
	lin_error err;
	lin_buf yaml = LIN_BUF_INIT;

	lin_buf_puts(&yaml, "- id: r\n  name: R\n  stage: pretrained\n  sources: [x]\n");
	for (int i = 0; i < n; i++)
		lin_buf_printf(&yaml, "- id: f%d\n  stage: sft\n  sources: [x]\n  parents:\n"
		                      "    - {model: r, relation: finetune, sources: [x]}\n", i);
	for (int i = 0; i < k; i++)
		for (int j = 0; j < m; j++)
			lin_buf_printf(&yaml, "- id: q%d-%d\n  stage: quantized\n  sources: [x]\n"
			                      "  parents:\n    - {model: f%d, relation: quantized, "
			                      "sources: [x]}\n", i, j, i);
	lin_buf_puts(&yaml, "- id: a0\n  stage: adapter\n  sources: [x]\n  parents:\n"
	                    "    - {model: r, relation: adapter, sources: [x]}\n");
	for (int i = 1; i <= 3; i++)
		lin_buf_printf(&yaml, "- id: a%d\n  stage: adapter\n  sources: [x]\n  parents:\n"
		                      "    - {model: a%d, relation: adapter, sources: [x]}\n", i, i - 1);
	assert_int_equal(lin_catalog_new(&cat, &err), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "wide.yaml", yaml.data, yaml.len, NULL, &err), 0);
	assert_int_equal(lin_catalog_finish(cat, NULL, &err), 0);
	lin_buf_dispose(&yaml);
	return cat;
}

/* Above max_nodes the most-derived children stay and the rest is counted
 * by relation kind in "+N" nodes; the caption says so. */
static void test_max_nodes(void **state)
{
	(void)state;
	/* r, 500 fine-tunes, f0..f2 with 10 quantized each, a0..a3 */
	lin_catalog *cat = wide_family(500, 3, 10);
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	o.focus = th_find(cat, "r");
	o.descendants = 1;
	o.max_nodes = 20;
	char *dot = render(cat, &o, LIN_FORMAT_DOT);

	/* 20 boxes in all: models plus summaries */
	int models = count(dot, "id=\"model-");
	int mores = count(dot, "class=more");
	assert_int_equal(models + mores, 20);
	/* the most-derived are kept: f0..f2 (11 each) before the adapter chain
	 * (4), before leaf fine-tunes */
	assert_non_null(strstr(dot, "id=\"model-f0\""));
	assert_non_null(strstr(dot, "id=\"model-f2\""));
	assert_non_null(strstr(dot, "id=\"model-a0\""));
	assert_null(strstr(dot, "id=\"model-f499\""));
	/* r's summary counts its hidden fine-tunes; the caption says what */
	assert_contains(dot, " fine-tunes");
	assert_contains(dot, "label=\"+ ");
	assert_contains(dot, "models (at most 20 boxes): the most-derived are kept");
	assert_contains(dot, "showing ");
	assert_contains(dot, " of 535 models");
	free(dot);

	/* exact counts: with room for r, f0, its summary and r's summary */
	o.max_nodes = 4;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_contains(dot, "id=\"model-r\"");
	assert_contains(dot, "id=\"model-f0\"");
	assert_contains(dot, "label=\"+ 10 quantized\"");
	/* 499 fine-tunes, 20 quantized below f1 and f2, 4 adapters */
	assert_contains(dot, "label=\"+ 499 fine-tunes \xc2\xb7 20 quantized \xc2\xb7 4 adapters\"");
	assert_contains(dot, "showing 2 of 535 models");
	assert_contains(dot, "the other 533 are counted in 2 \\\"+N\\\" boxes");
	char head[64];
	snprintf(head, sizeof(head), "%s -> more0", node(cat, "r"));
	assert_non_null(strstr(dot, head));
	free(dot);

	/* SVG too: the layout stays small */
	char *svg = render(cat, &o, LIN_FORMAT_SVG);
	assert_contains(svg, "+ 499 fine&#45;tunes");
	free(svg);

	/* 0: no collapsing; above the hard limit that is refused with advice */
	lin_buf out = LIN_BUF_INIT;
	lin_error err;
	o.max_nodes = 0;
	lin_catalog_free(cat);
	cat = wide_family(2001, 0, 0);
	o.focus = th_find(cat, "r");
	assert_int_equal(lin_render(&out, cat, &o, LIN_FORMAT_DOT, &err), LIN_ELIMIT);
	assert_contains(err.msg, "2006 models");
	assert_contains(err.msg, "--max-nodes");
	assert_int_equal(out.len, 0);
	o.max_nodes = LIN_DRAW_MAX_NODES_LIMIT + 1;
	assert_int_equal(lin_render(&out, cat, &o, LIN_FORMAT_DOT, &err), LIN_ELIMIT);
	/* the default collapses instead */
	o.max_nodes = LIN_DRAW_MAX_NODES_DEFAULT;
	assert_int_equal(lin_render(&out, cat, &o, LIN_FORMAT_DOT, &err), 0);
	assert_true(count(out.data, "id=\"model-") + count(out.data, "class=more") <=
	            LIN_DRAW_MAX_NODES_DEFAULT);
	lin_buf_dispose(&out);

	/* the whole catalog: roots that do not fit become "+ N other models" */
	o.focus = -1;
	o.max_nodes = 3;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_contains(dot, "id=\"model-r\"");
	assert_contains(dot, "more");
	free(dot);
	lin_catalog_free(cat);
}

/* A dense catalog: m0 is a base, each later m<i> a merge of every earlier
 * one (n (n - 1) / 2 edges): the shape that stalled dot for minutes. */
static lin_catalog *dense(int n)
{
	lin_catalog *cat = NULL;
	lin_error err;
	lin_buf yaml = LIN_BUF_INIT;

	lin_buf_puts(&yaml, "- {id: m0, stage: pretrained, sources: [x]}\n");
	for (int i = 1; i < n; i++) {
		lin_buf_printf(&yaml, "- id: m%d\n  stage: merged\n  sources: [x]\n  parents:\n", i);
		for (int j = 0; j < i; j++)
			lin_buf_printf(&yaml, "    - {model: m%d, relation: merge, sources: [x]}\n", j);
	}
	assert_int_equal(lin_catalog_new(&cat, &err), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "dense.yaml", yaml.data, yaml.len, NULL, &err), 0);
	assert_int_equal(lin_catalog_finish(cat, NULL, &err), 0);
	lin_buf_dispose(&yaml);
	return cat;
}

/* The edge budget collapses like the box budget, the limit refuses, and
 * a big drawing carries the layout budget while a small one does not. */
static void test_max_edges(void **state)
{
	(void)state;
	lin_catalog *cat = dense(40); /* 780 edges */
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_buf out = LIN_BUF_INIT;
	lin_error err;

	/* the default: at most 400 edges reach dot, derivations and the links
	 * to "+N" boxes together; the caption and the tooltips say why */
	char *dot = render(cat, &o, LIN_FORMAT_DOT);
	int ne = count(dot, " -> ");
	assert_true(ne <= LIN_DRAW_MAX_EDGES_DEFAULT);
	assert_true(ne > LIN_DRAW_MAX_EDGES_DEFAULT - 40); /* and the budget is used */
	assert_contains(dot, "models (at most 150 boxes and 400 edges): the most-derived are kept");
	assert_contains(dot, "not drawn (over the drawing's budget of 150 boxes and 400 edges)");
	assert_contains(dot, "nslimit=1");
	assert_int_equal(ne, 379);
	assert_contains(dot, "mclimit=0.44"); /* (250 / 379)^2 */
	assert_lacks(dot, "splines=line");
	free(dot);

	/* exact: m0 and m1 fit in 3 edges (m0 -> m1 and the two summaries'
	 * links); m2 would add two edges and is counted with the rest */
	o.max_edges = 3;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_int_equal(count(dot, " -> "), 2);
	assert_contains(dot, "showing 2 of 40 models (at most 150 boxes and 3 edges)");
	free(dot);

	/* a focus model's neighbourhood too */
	o.max_edges = 50;
	o.focus = th_find(cat, "m20");
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_true(count(dot, " -> ") <= 50);
	assert_contains(dot, "id=\"model-m20\"");
	free(dot);
	o.focus = -1;

	/* 0: no collapsing, every edge drawn, straight and with less work */
	o.max_edges = 0;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_int_equal(count(dot, " -> "), 780);
	assert_lacks(dot, "showing ");
	assert_contains(dot, "splines=line");
	assert_contains(dot, "mclimit=0.10");
	free(dot);
	lin_catalog_free(cat);

	/* above the hard limit that is refused with advice */
	cat = dense(50); /* 1,225 edges */
	assert_int_equal(lin_render(&out, cat, &o, LIN_FORMAT_SVG, &err), LIN_ELIMIT);
	assert_contains(err.msg, "1225 derivations (limit 1000)");
	assert_contains(err.msg, "--max-edges");
	assert_int_equal(out.len, 0);
	o.max_edges = LIN_DRAW_MAX_EDGES_LIMIT + 1;
	assert_int_equal(lin_render(&out, cat, &o, LIN_FORMAT_DOT, &err), LIN_ELIMIT);
	assert_contains(err.msg, "--max-edges 1001 is above the limit of 1000");
	/* the default lays it out (SVG: dot runs) */
	o.max_edges = LIN_DRAW_MAX_EDGES_DEFAULT;
	assert_int_equal(lin_render(&out, cat, &o, LIN_FORMAT_SVG, &err), 0);
	assert_contains(out.data, "<svg");
	lin_buf_dispose(&out);
	lin_catalog_free(cat);

	/* a small drawing keeps Graphviz's defaults */
	cat = dense(10);
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_lacks(dot, "nslimit");
	assert_lacks(dot, "mclimit");
	assert_lacks(dot, "showing ");
	free(dot);
	lin_catalog_free(cat);
}

/* Ancestors that do not fit are counted above the focus. */
static void test_max_nodes_ancestors(void **state)
{
	(void)state;
	lin_catalog *cat = wide_family(5, 0, 0);
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	o.focus = th_find(cat, "a3");
	o.ancestors = 1;
	o.max_nodes = 3; /* a3, a2 and a summary of a1, a0 and r */
	char *dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_contains(dot, "id=\"model-a3\"");
	assert_contains(dot, "id=\"model-a2\"");
	assert_lacks(dot, "id=\"model-r\"");
	assert_contains(dot, "label=\"+ 3 more ancestors\"");
	char head[64];
	snprintf(head, sizeof(head), "more0 -> %s", node(cat, "a2"));
	assert_non_null(strstr(dot, head));
	free(dot);
	lin_catalog_free(cat);
}

/* --reduce leaves out a -> c when a -> b -> c is drawn; staggering spreads
 * the leaves of a wide fan over several ranks. */
static void test_reduce_and_stagger(void **state)
{
	(void)state;
	lin_catalog *cat = NULL;
	lin_error err;
	static const char yaml[] =
		"- {id: a, stage: pretrained, sources: [x]}\n"
		"- id: b\n  stage: sft\n  sources: [x]\n  parents: [{model: a, relation: finetune, sources: [x]}]\n"
		"- id: c\n  stage: sft\n  sources: [x]\n  parents:\n"
		"    - {model: b, relation: finetune, sources: [x]}\n"
		"    - {model: a, relation: recipe, sources: [x]}\n";
	assert_int_equal(lin_catalog_new(&cat, &err), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "r.yaml", yaml, sizeof(yaml) - 1, NULL, &err), 0);
	assert_int_equal(lin_catalog_finish(cat, NULL, &err), 0);
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	char head[64];
	snprintf(head, sizeof(head), "%s -> %s", node(cat, "a"), node(cat, "c"));
	char *dot = render(cat, &o, LIN_FORMAT_DOT);
	char *ac = dot_attrs(dot, head);
	assert_non_null(ac);
	free(ac);
	free(dot);
	o.reduce = 1;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_null(dot_attrs(dot, head));
	assert_contains(dot, "1 redundant edge left out");
	free(dot);
	lin_catalog_free(cat);

	cat = wide_family(8, 0, 0);
	o = (lin_draw_opts)LIN_DRAW_OPTS_INIT;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_int_equal(count(dot, "minlen=2"), 3); /* f1, f4, f7 */
	assert_int_equal(count(dot, "minlen=3"), 2); /* f2, f5 */
	free(dot);
	o.stagger = 0;
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_lacks(dot, "minlen");
	free(dot);
	lin_catalog_free(cat);
}

/* A model known only by name (an import's base) is drawn apart. */
static void test_external(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	/* mark one model external, as an importer would */
	((lin_model *)lin_catalog_model(cat, th_find(cat, "teacher")))->external = 1;
	char *dot = render(cat, &o, LIN_FORMAT_DOT);
	char *t = dot_attrs(dot, node(cat, "teacher"));
	assert_contains(t, "style=\"rounded,filled,dotted\"");
	assert_contains(t, "external\"");
	assert_contains(t, "\\nexternal");
	free(t);
	char *legend = dot_attrs(dot, "legend");
	assert_contains(legend, "external (known only by name)");
	free(legend);
	free(dot);
	lin_catalog_free(cat);
}

/* An edge whose relation was inferred is dotted and faint, says so in its
 * tooltip and class, and gets a legend row; a declared one is untouched. */
static void test_inferred_edge(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_text(
		"- {id: base, stage: pretrained, sources: [s]}\n"
		"- {id: guess, stage: sft, sources: [s], parents: [{model: base, relation: finetune, "
		"sources: [s], inferred: true}]}\n"
		"- {id: said, stage: sft, sources: [s], parents: [{model: base, relation: finetune, "
		"sources: [s]}]}\n");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	char *dot = render(cat, &o, LIN_FORMAT_DOT), head[64];
	snprintf(head, sizeof(head), "%s -> %s", node(cat, "base"), node(cat, "guess"));
	char *e = dot_attrs(dot, head);
	assert_non_null(e);
	assert_contains(e, "style=dotted");
	assert_contains(e, "color=\"#2f3e4699\"");
	assert_contains(e, "class=\"edge rel-finetune inferred\"");
	assert_contains(e, "label=\"finetune (inferred)\"");
	assert_contains(e, "inferred from the card, not stated");
	free(e);
	snprintf(head, sizeof(head), "%s -> %s", node(cat, "base"), node(cat, "said"));
	e = dot_attrs(dot, head);
	assert_non_null(e);
	assert_lacks(e, "inferred");
	assert_lacks(e, "dotted");
	free(e);
	char *legend = dot_attrs(dot, "legend");
	assert_contains(legend, "relation inferred, not stated");
	free(legend);
	free(dot);
	lin_catalog_free(cat);
	/* without an inferred edge, no such legend row */
	cat = th_load_fixture("render_small.yaml");
	dot = render(cat, &o, LIN_FORMAT_DOT);
	assert_lacks(dot, "inferred");
	free(dot);
	lin_catalog_free(cat);
}

/* A merge drawn without some of its parents says how many, in Graphviz and
 * Mermaid; drawn with all of them, or a model that is no merge, says
 * nothing. */
static void test_merge_parents_hidden(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_text(
		"- {id: a, stage: pretrained, sources: [s]}\n"
		"- {id: b, stage: pretrained, sources: [s]}\n"
		"- {id: c, stage: pretrained, sources: [s]}\n"
		"- {id: m, stage: merged, sources: [s], parents: [{model: a, relation: merge, "
		"sources: [s]}, {model: b, relation: merge, sources: [s]}, {model: c, relation: "
		"merge, sources: [s]}]}\n"
		"- {id: t, stage: sft, sources: [s], parents: [{model: a, relation: finetune, "
		"sources: [s]}]}\n");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	igraph_vector_int_t sel;
	assert_int_equal(igraph_vector_int_init(&sel, 0), 0);
	igraph_vector_int_push_back(&sel, th_find(cat, "a"));
	igraph_vector_int_push_back(&sel, th_find(cat, "m"));
	o.select = &sel;
	char *dot = render(cat, &o, LIN_FORMAT_DOT);
	char *n = dot_attrs(dot, node(cat, "m"));
	assert_contains(n, "label=\"m\\n+2 parents not shown\"");
	free(n);
	free(dot);
	char *mmd = render(cat, &o, LIN_FORMAT_MERMAID);
	assert_contains(mmd, "  m[\"m<br/>+2 parents not shown\"]:::st_merged\n");
	free(mmd);
	/* one left out: singular; every parent drawn: nothing */
	igraph_vector_int_push_back(&sel, th_find(cat, "b"));
	mmd = render(cat, &o, LIN_FORMAT_MERMAID);
	assert_contains(mmd, "  m[\"m<br/>+1 parent not shown\"]");
	free(mmd);
	igraph_vector_int_push_back(&sel, th_find(cat, "c"));
	mmd = render(cat, &o, LIN_FORMAT_MERMAID);
	assert_lacks(mmd, "not shown");
	free(mmd);
	/* a fine-tune without its base is no merge */
	igraph_vector_int_clear(&sel);
	igraph_vector_int_push_back(&sel, th_find(cat, "t"));
	mmd = render(cat, &o, LIN_FORMAT_MERMAID);
	assert_lacks(mmd, "not shown");
	free(mmd);
	igraph_vector_int_destroy(&sel);
	lin_catalog_free(cat);
}

/* Graphviz's node names in its messages become model ids; other words,
 * paths and numbers stay. */
static void test_notes_name_models(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	lin_buf b = LIN_BUF_INIT;
	char want[256];
	const char *a = lin_catalog_model(cat, 0)->id, *c = lin_catalog_model(cat, 1)->id;
	lin_i_gv_put_notes(&b, cat, "lost n0 n1 edge; node n1, port x; n999 n1x /etc/n1/f.conf an0 (n0)");
	snprintf(want, sizeof(want), "lost %s %s edge; node %s, port x; n999 n1x /etc/n1/f.conf an0 (%s)",
	         a, c, c, a);
	assert_string_equal(b.data, want);
	lin_buf_dispose(&b);
	lin_catalog_free(cat);
}

/* ---- docs ------------------------------------------------------------------ */

static char *slurp(const char *dir, const char *name)
{
	char path[1024], *data = NULL;
	size_t len = 0;
	lin_error err;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lin_read_file(&data, &len, path, 1 << 24, &err) != 0)
		fail_msg("cannot read %s: %s", path, err.msg);
	return data;
}

/* Removes dir's files, then dir (the docs tree has no subfolders). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e = NULL;
	char path[1024];
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_int_equal(unlink(path), 0);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e = NULL;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_docs(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_small.yaml");
	char tmpl[] = "/tmp/lineage-docs-XXXXXX", out[600], graph[600];
	lin_error err;
	assert_non_null(mkdtemp(tmpl));
	snprintf(out, sizeof(out), "%s/out/site", tmpl); /* parents made too */
	snprintf(graph, sizeof(graph), "%s/graph", tmpl);

	assert_int_equal(lin_docs_write(cat, out, graph, NULL, &err), 0);
	/* evolution, 2 families, catalog, README, index.html */
	assert_int_equal(count_files(out), 6);
	assert_int_equal(count_files(graph), 6); /* 4 DOT, 2 Mermaid */

	char *md = slurp(out, "README.md");
	assert_true(strncmp(md, "# ", 2) == 0);
	assert_contains(md, "generated by `lineage docs` from data/; do not edit");
	char *b = strstr(md, "\n## Base\n"), *t = strstr(md, "\n## Teacher\n");
	char *c = strstr(md, "\n## Whole catalog\n");
	assert_non_null(b);
	assert_non_null(t);
	assert_non_null(c);
	assert_true(b < t && t < c); /* most descendants first */
	assert_contains(md, "Base and its 4 descendants: ");
	assert_contains(md, "1 adapter");
	assert_contains(md, "](family-base.svg)");
	/* descendants count only weights-carrying relations: Teacher's three
	 * come through a distillation */
	assert_contains(md, "![Teacher: 3 models distilled from it; ");
	assert_contains(md, "](family-teacher.svg)");
	assert_contains(md, "lineage: 6 models, 6 derivations");
	assert_contains(md, "](catalog.svg)");
	assert_contains(md, "](evolution.svg)");
	assert_contains(md, "```mermaid\n---\ntitle: \"Base and its 4 descendants\"");
	assert_true(strstr(md, "## Evolution tree") < b);
	free(md);
	char *page = slurp(out, "index.html");
	assert_contains(page, "<section class=\"fig\" id=\"evolution\">");
	assert_contains(page, "<section class=\"fig\" id=\"family-base\">");
	assert_lacks(page, "id=\"catalog\"");
	free(page);
	char *mmd = slurp(graph, "family-teacher.mmd");
	assert_contains(mmd, "flowchart LR\n");
	free(mmd);

	char *svg = slurp(out, "family-base.svg");
	assert_contains(svg, ">Base and its 4 descendants</text>");
	assert_lacks(svg, ">Teacher</text>");
	free(svg);
	char *dot = slurp(graph, "family-teacher.dot");
	assert_contains(dot, "rankdir=LR");
	assert_contains(dot, "id=\"model-mix\"");
	assert_lacks(dot, "id=\"model-base\"");
	free(dot);
	svg = slurp(out, "catalog.svg");
	assert_contains(svg, "model&#45;lora");
	free(svg);
	dot = slurp(graph, "catalog.dot");
	assert_contains(dot, "id=\"model-teacher\"");
	free(dot);

	/* a second run gives the same bytes */
	char *first = slurp(graph, "catalog.dot");
	assert_int_equal(lin_docs_write(cat, out, graph, NULL, &err), 0);
	char *second = slurp(graph, "catalog.dot");
	assert_string_equal(first, second);
	free(first);
	free(second);

	/* diagrams of families that left the catalog (listed in the previous
	 * run's manifest) are removed; files docs never wrote stay, even when
	 * they look like its own (a user's family-notes.svg) */
	char stale[700], mine[700], notes[700], manifest[700];
	snprintf(stale, sizeof(stale), "%s/family-gone.svg", out);
	snprintf(mine, sizeof(mine), "%s/notes.txt", out);
	snprintf(notes, sizeof(notes), "%s/family-notes.svg", out);
	assert_int_equal(lin_write_atomic(stale, "x", 1, &err), 0);
	assert_int_equal(lin_write_atomic(mine, "x", 1, &err), 0);
	assert_int_equal(lin_write_atomic(notes, "x", 1, &err), 0);
	char *list = slurp(out, ".lineage-manifest");
	assert_string_equal(list, "# written by `lineage docs`: the files it owns here, the only "
	                          "ones it may remove once it no longer writes them\n"
	                          "README.md\ncatalog.svg\nevolution.svg\nfamily-base.svg\n"
	                          "family-teacher.svg\nindex.html\n");
	free(list);
	snprintf(manifest, sizeof(manifest), "%s/.lineage-manifest", out);
	assert_int_equal(lin_write_atomic(manifest, "family-gone.svg\nnotes.txt\n../x.svg\n", 36,
	                                  &err), 0);
	snprintf(manifest, sizeof(manifest), "%s/.lineage-manifest", graph);
	assert_int_equal(lin_write_atomic(manifest, "family-gone.dot\nfamily-gone.mmd\n", 32, &err), 0);
	snprintf(stale, sizeof(stale), "%s/family-gone.dot", graph);
	assert_int_equal(lin_write_atomic(stale, "x", 1, &err), 0);
	snprintf(stale, sizeof(stale), "%s/family-gone.mmd", graph);
	assert_int_equal(lin_write_atomic(stale, "x", 1, &err), 0);
	assert_int_equal(lin_docs_write(cat, out, graph, NULL, &err), 0);
	assert_int_equal(count_files(out), 8); /* 6 generated + notes.txt + family-notes.svg */
	assert_int_equal(count_files(graph), 6);
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(notes, F_OK), 0);
	snprintf(stale, sizeof(stale), "%s/family-gone.svg", out);
	assert_int_equal(access(stale, F_OK), -1);

	remove_dir(out);
	snprintf(out, sizeof(out), "%s/out", tmpl);
	assert_int_equal(rmdir(out), 0);
	remove_dir(graph);
	assert_int_equal(rmdir(tmpl), 0);
	lin_catalog_free(cat);
}

/* Families whose file-name slugs collide ("a-b", "a/b", "a//b") and real
 * ids equal to the old clash suffix ("a-b-0", "a-b-3"): one file per
 * family, none written twice, one page section each. */
static void test_docs_colliding_slugs(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("hostile/colliding-ids.yaml");
	char tmpl[] = "/tmp/lineage-docs-XXXXXX";
	lin_error err;
	static const char *const stems[] = {"family-a-b", "family-a-b-0", "family-a-b-3",
	                                    "family-a-b_0", "family-a-b_3"};
	assert_non_null(mkdtemp(tmpl));
	assert_int_equal(lin_docs_write(cat, tmpl, tmpl, NULL, &err), 0);
	assert_int_equal(count_files(tmpl), 4 + 5 * 3 + 2); /* page, README, 2 + 5 SVG, DOT, 5 Mermaid */
	char *md = slurp(tmpl, "README.md"), *page = slurp(tmpl, "index.html");
	for (size_t i = 0; i < 5; i++) {
		char want[100];
		snprintf(want, sizeof(want), "](%s.svg)", stems[i]);
		assert_int_equal(count(md, want), 1);
		snprintf(want, sizeof(want), "<section class=\"fig\" id=\"%s\">", stems[i]);
		assert_int_equal(count(page, want), 1);
	}
	/* each family's file is its own: a-b-0's diagram shows Dash zero */
	char *svg = slurp(tmpl, "family-a-b-0.svg");
	assert_contains(svg, ">Dash zero</text>");
	free(svg);
	svg = slurp(tmpl, "family-a-b_0.svg");
	assert_contains(svg, ">Double slash</text>");
	free(svg);
	svg = slurp(tmpl, "family-a-b_3.svg");
	assert_contains(svg, ">Slash</text>");
	free(svg);
	free(md);
	free(page);
	remove_dir(tmpl);
	lin_catalog_free(cat);
}

/* Markdown in names is escaped in the README. */
static void test_docs_escape(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_hostile.yaml");
	char tmpl[] = "/tmp/lineage-docs-XXXXXX";
	lin_error err;
	assert_non_null(mkdtemp(tmpl));
	assert_int_equal(lin_docs_write(cat, tmpl, tmpl, NULL, &err), 0);
	char *md = slurp(tmpl, "README.md");
	assert_contains(md, "## \\<script\\>alert\\(1\\)\\</script\\>\n");
	assert_contains(md, "](family-evil.svg)");
	assert_lacks(md, "<script>");
	free(md);
	char *svg = slurp(tmpl, "family-evil.svg");
	assert_lacks(svg, "<script");
	free(svg);
	remove_dir(tmpl);
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
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_dot_small),
		cmocka_unit_test(test_dot_focus_filtered),
		cmocka_unit_test(test_dot_by_year),
		cmocka_unit_test(test_svg_hostile),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_max_nodes),
		cmocka_unit_test(test_max_nodes_ancestors),
		cmocka_unit_test(test_max_edges),
		cmocka_unit_test(test_reduce_and_stagger),
		cmocka_unit_test(test_external),
		cmocka_unit_test(test_inferred_edge),
		cmocka_unit_test(test_merge_parents_hidden),
		cmocka_unit_test(test_notes_name_models),
		cmocka_unit_test(test_docs),
		cmocka_unit_test(test_docs_escape),
		cmocka_unit_test(test_docs_colliding_slugs),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
