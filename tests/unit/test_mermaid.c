/*
 * test_mermaid.c - the Mermaid writer: node ids safe from keywords and
 * punctuation, labels that cannot break out of their quotes, edges styled by
 * relation, Mermaid's default limits kept by collapsing (with a note), and
 * deterministic output.
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

static char *mermaid(const lin_catalog *cat, const lin_draw_opts *o)
{
	lin_buf b = LIN_BUF_INIT;
	lin_error err;
	int rc = lin_render(&b, cat, o, LIN_FORMAT_MERMAID, &err);
	if (rc)
		fail_msg("lin_render: %d %s", rc, err.msg);
	assert_non_null(b.data);
	return b.data;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("unexpected \"%s\" in:\n%s", needle, hay);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Lines of the flowchart that are edges ("a --> b", "a -.->|x| b"). */
static int edges(const char *text)
{
	return count(text, " --> ") + count(text, " -->|") + count(text, " -.->|") +
	       count(text, " ==>|");
}

static void test_ids_and_labels(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_mermaid.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	char *m = mermaid(cat, &o);

	static const char head[] = "---\ntitle: \"lineage: 5 models, 5 derivations\"\n---\n"
	                           "flowchart LR\n";
	assert_memory_equal(m, head, sizeof(head) - 1);
	/* `end` would close the flowchart: it gets a prefix */
	assert_contains(m, "\n  m_end[\"end<br/>2023\"]:::st_pretrained\n");
	assert_lacks(m, "\n  end[");
	/* the one `end` closes the legend's subgraph */
	assert_int_equal(count(m, " end\n"), 1);
	assert_int_equal(count(m, "\n  end\n"), 1);
	/* "/" is not an id character; "org/name" and "org_name" clash */
	assert_contains(m, "\n  org_name[\"He said ");
	assert_contains(m, "\n  org_name_2[\"Clash\"]:::st_adapter\n");
	/* a leading digit and our own summary prefix are prefixed too */
	assert_contains(m, "\n  m_7b_chat[\"7B chat\"]:::st_merged\n");
	assert_contains(m, "\n  m_more_0[\"Looks like a summary id\"]:::st_quantized\n");
	/* quotes, pipes, semicolons, markup, entities, backticks: entity codes */
	assert_contains(m, "He said #34;hi#34; #124; [x] {y}#59; #60;b#62;#35;1#60;/b#62; "
	                   "#38; #96;code#96;<br/>2023\"]:::st_sft\n");
	assert_lacks(m, "<b>");
	/* closed weights: a class of their own */
	assert_contains(m, "\n  class org_name closed\n");
	assert_contains(m, "classDef closed stroke-dasharray");
	/* edges: arrow by relation, label, colour by relation */
	assert_contains(m, "\n  m_end -->|finetune| org_name\n");
	assert_contains(m, "\n  m_end -.->|adapter| org_name_2\n");
	assert_contains(m, "\n  org_name ==>|merge| m_7b_chat\n");
	assert_contains(m, "\n  m_7b_chat -.->|quantized| m_more_0\n");
	assert_contains(m, "linkStyle 0 stroke:#2f3e46\n");
	assert_contains(m, "linkStyle 2,3 stroke:#8a5a44\n");
	assert_int_equal(edges(m), 5);
	/* only the classes in use */
	assert_contains(m, "classDef st_merged fill:#fdf3a7");
	assert_lacks(m, "classDef st_rlhf");
	/* every line is a statement of the flowchart: no raw newline in a label */
	for (const char *p = strstr(m, "flowchart LR\n") + 13; *p; p = strchr(p, '\n') + 1)
		if (strncmp(p, "  ", 2) != 0)
			fail_msg("line outside the flowchart: %.40s", p);
	free(m);
	lin_catalog_free(cat);
}

static void test_hostile_title(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("render_hostile.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_error err;
	assert_int_equal(lin_catalog_find(&o.focus, cat, "evil", &err), 0);
	o.descendants = 1;
	char *m = mermaid(cat, &o);
	/* the title is a YAML string: quotes and backslashes escaped, no markup */
	assert_contains(m, "title: \"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e: descendants\"");
	assert_lacks(m, "<script");
	assert_contains(m, "Back#92;slash #38; #34;quotes#34;");
	/* controls and bidi overrides are gone */
	assert_lacks(m, "\t");
	assert_lacks(m, "\xe2\x80\xae");
	free(m);
	lin_catalog_free(cat);
}

/* A root with n fine-tunes whose names are name_len characters long. */
static lin_catalog *fan(int n, int name_len)
{
	lin_buf y = LIN_BUF_INIT;
	lin_buf_puts(&y, "- {id: root, name: Root, stage: pretrained, sources: [x]}\n");
	for (int i = 0; i < n; i++) {
		lin_buf_printf(&y, "- id: ft-%d\n  name: \"", i);
		for (int k = 0; k < name_len; k++)
			lin_buf_puts(&y, "x");
		lin_buf_printf(&y, "%d\"\n  stage: sft\n  sources: [x]\n  parents:\n"
		                   "    - {model: root, relation: finetune, sources: [x]}\n", i);
	}
	lin_catalog *cat = th_load_buffer("gen.yaml", y.data, y.len);
	lin_buf_dispose(&y);
	return cat;
}

/* Ids that Mermaid's [A-Za-z0-9_] alphabet maps alike ("a-b", "a/b") and a
 * real id equal to the clash suffix ("a-b-3" beside a/b, vertex 3): every
 * model keeps a node of its own, and every edge its own ends. */
static void test_colliding_ids(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_fixture("hostile/colliding-ids.yaml");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	char *text = mermaid(cat, &o);
	assert_contains(text, "\n  a_b[\"Dash\"]");
	assert_contains(text, "\n  a_b_3[\"Dash three\"]");
	assert_contains(text, "\n  a_b_3_2[\"Slash\"]");
	assert_contains(text, "\n  a_b_3_2 -->|finetune| slash_child\n");
	assert_contains(text, "\n  a_b_3 -->|finetune| three_child\n");
	/* ten nodes, ten distinct ids */
	char ids[10][64];
	int n = 0;
	for (const char *p = strstr(text, "\n  "); p; p = strstr(p + 1, "\n  ")) {
		const char *q = p + 3, *e = q;
		while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '_')
			e++;
		if (*e != '[' || e - q >= 64)
			continue;
		assert_true(n < 10);
		memcpy(ids[n], q, (size_t)(e - q));
		ids[n][e - q] = '\0';
		for (int i = 0; i < n; i++)
			if (strcmp(ids[i], ids[n]) == 0)
				fail_msg("two nodes share the id %s", ids[n]);
		n++;
	}
	assert_int_equal(n, 10);
	free(text);
	lin_catalog_free(cat);
}

/* The legend: only the stages, borders and relations drawn; an inferred
 * edge is dotted and faint, with its own entry; no model id can be a
 * legend's ("legend..." ids get the m_ prefix). */
static void test_legend(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_text(
		"- {id: legend, stage: pretrained, weights: closed, sources: [s]}\n"
		"- {id: legend_rel_finetune, stage: sft, sources: [s], parents: [{model: legend, "
		"relation: finetune, sources: [s], inferred: true}]}\n"
		"- {id: q, stage: quantized, sources: [s], parents: [{model: legend, "
		"relation: quantized, sources: [s]}]}\n");
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	char *t = mermaid(cat, &o);
	assert_contains(t, "  m_legend[\"legend");
	assert_contains(t, "  m_legend_rel_finetune[\"");
	assert_contains(t, "m_legend -.->|inferred finetune| m_legend_rel_finetune\n");
	assert_contains(t, "m_legend -.->|quantized| q\n");
	assert_contains(t, "stroke:#2f3e46,stroke-dasharray:1 4,opacity:0.6\n");
	assert_contains(t, "  subgraph legend [legend]\n");
	assert_contains(t, "    class legend_st_quantized st_quantized\n");
	assert_contains(t, "    legend_rel_quantized[\"");
	assert_contains(t, "    legend_inferred[\"");
	assert_contains(t, "    legend_closed[\"closed weights");
	assert_lacks(t, "legend_st_rlhf");
	assert_lacks(t, "legend_rel_merge");
	assert_lacks(t, "legend_open"); /* no model is recorded as open */
	assert_lacks(t, "legend_external");
	assert_int_equal(count(t, "\n  end\n"), 1);
	/* the legend in the chart's direction, after the last rank (an
	 * invisible link from the deepest box, after every counted link) */
	assert_contains(t, "  subgraph legend [legend]\n    direction LR\n");
	assert_contains(t, "  end\n  m_legend_rel_finetune ~~~ legend\n");
	assert_int_equal(count(t, "~~~"), 1);
	free(t);
	o.left_to_right = 0;
	t = mermaid(cat, &o);
	assert_contains(t, "flowchart TD\n");
	assert_contains(t, "  subgraph legend [legend]\n    direction TB\n");
	free(t);
	o.left_to_right = 1;
	lin_catalog_free(cat);
	/* nothing inferred, nothing closed: no such entries */
	cat = th_load_text("- {id: a, stage: pretrained, weights: open, sources: [s]}\n"
	                   "- {id: b, stage: sft, sources: [s], parents: [{model: a, "
	                   "relation: finetune, sources: [s]}]}\n");
	t = mermaid(cat, &o);
	assert_lacks(t, "inferred");
	assert_lacks(t, "legend_closed");
	assert_lacks(t, "legend_open");
	assert_contains(t, "    legend_rel_finetune[\"");
	free(t);
	lin_catalog_free(cat);
}

static void test_limits(void **state)
{
	(void)state;
	/* 700 edges: over Mermaid's 500 even without the drawing budget */
	lin_catalog *cat = fan(700, 4);
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	o.max_nodes = 0;
	o.max_edges = 0;
	char *m = mermaid(cat, &o);
	assert_true(edges(m) <= LIN_MERMAID_MAX_EDGES);
	assert_true(strlen(m) <= LIN_MERMAID_MAX_CHARS);
	assert_contains(m, "collapsed to fit Mermaid's limits of 500 edges and 50,000 characters");
	/* 465 fine-tunes kept (466 boxes), 235 counted under the root */
	assert_contains(m, "showing 466 of 701 models");
	assert_contains(m, "more_0[[\"+ 235 fine-tunes\"]]:::more\n");
	free(m);

	/* within the budget and the limits: no note */
	o.max_nodes = 150;
	o.max_edges = LIN_DRAW_MAX_EDGES_DEFAULT;
	m = mermaid(cat, &o);
	assert_lacks(m, "collapsed to fit");
	assert_contains(m, "showing ");
	assert_contains(m, "more_0[[\"+ ");
	assert_contains(m, " fine-tunes\"]]:::more\n");
	assert_contains(m, "  root --> more_0\n");
	free(m);
	lin_catalog_free(cat);

	/* 400 models with 79-character names: under 500 edges, over 50,000
	 * characters */
	cat = fan(400, 76);
	o.max_nodes = 1000;
	m = mermaid(cat, &o);
	assert_true(strlen(m) <= LIN_MERMAID_MAX_CHARS);
	assert_contains(m, "collapsed to fit");
	/* the same input gives the same text */
	char *again = mermaid(cat, &o);
	assert_string_equal(m, again);
	free(again);
	free(m);
	lin_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_and_labels),
		cmocka_unit_test(test_hostile_title),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_legend),
		cmocka_unit_test(test_colliding_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
