/*
 * test_escape.c - the one escaper (util/escape.c): each format's rule on
 * the same hostile strings, and every writer fed a catalog whose names
 * carry them, so that no hidden code point (controls, separators, bidi
 * overrides) reaches any output raw.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"
#include "util/util.h"

#include <stdlib.h>
#include <unistd.h>

static const char *const hostile[] = {
	"evil\xe2\x80\xae" "gnp.exe",           /* right-to-left override */
	"a\xe2\x81\xa6" "b\xe2\x81\xa9",     /* isolates */
	"line\xe2\x80\xa8sep\xe2\x80\xa9par", /* separators */
	"c1\xc2\x85\xc2\x9b[31m",            /* NEL, CSI */
	"esc\x1b[2Jbell\x07",                /* terminal escapes */
	"bad\xff\xfe utf8 \xc0\xaf",         /* invalid UTF-8 */
	"<script>alert(1)</script>&amp;\"'`|;#",
	"\\N\\G\\l back\\slashes",
	"1. - * [x](javascript:alert(1)) _em_ ~~s~~ !img",
	/* round 2 */
	"osc\xc2\x9d" "0;owned\xc2\x9c csi\xc2\x9b" "2J",   /* C1 in UTF-8 */
	"non\xef\xbf\xbe\xef\xbf\xbf\xef\xb7\x90\xf0\x9f\xbf\xbe\xf4\x8f\xbf\xbf", /* FFFE FFFF FDD0 1FFFE 10FFFF */
	"%%{init: {'theme':'dark','themeCSS':'rect{fill:url(https://example.org/x)}'}}%% M",
	"%%{init:{}}%%",
	"Kid\n\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 finetune: GPT-4 [gpt-4] (trusted)",
	"cr\rlf\r\nvt\x0b" "ff\x0c" "nel\xc2\x85",       /* every line break */
	"rlm\xe2\x80\x8f" "alm\xd8\x9c" "lre\xe2\x80\xaa", /* bidi marks */
	"LLaMA\xf3\xa0\x81\xa5\xf3\xa0\x81\xb6 LLa\xe2\x80\x8bMA \xef\xbc\xac", /* tags, ZWSP, full-width */
};

/* Lines of s that are not continuation lines ("   | more"): what a
 * terminal reader takes for lines of the layout. */
static size_t layout_lines(const char *s)
{
	size_t n = 0;
	for (const char *p = s; p && *p;) {
		const char *q = p;
		while (*q == ' ')
			q++;
		n += *q != '|';
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	return n;
}

/* 1 when s holds a hidden code point other than those listed in keep. */
static int has_hidden(const char *s, const char *keep)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned long cp = 0;
		size_t n = lin_i_utf8_next(p, &cp);
		if (n && lin_i_cp_hidden(cp) && !(cp < 0x80 && strchr(keep, (int)cp)))
			return 1;
		p += n ? n : 1;
	}
	return 0;
}

/* 1 when s is valid UTF-8 throughout. */
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned long cp = 0;
		size_t n = lin_i_utf8_next(p, &cp);
		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

static char *esc(const char *s, lin_escape_format f, size_t max)
{
	lin_buf b = LIN_BUF_INIT;
	assert_int_equal(lin_escape(&b, s, f, max), 0);
	return b.data ? b.data : strdup("");
}

static void every_format_every_string(void **state)
{
	(void)state;
	for (int f = 0; f < LIN_ESC_COUNT; f++)
		for (size_t i = 0; i < sizeof(hostile) / sizeof(*hostile); i++) {
			char *out = esc(hostile[i], (lin_escape_format)f, 0);
			const char *keep = f == LIN_ESC_TERMINAL                           ? "\n\t"
			                   : f == LIN_ESC_XML_TEXT || f == LIN_ESC_CSV ? "\n\t\r"
			                                                               : "";
			if (has_hidden(out, keep) || !valid_utf8(out) ||
			    ((f == LIN_ESC_MERMAID || f == LIN_ESC_MERMAID_TITLE) && strchr(out, '%')))
				fail_msg("format %d let a hidden or invalid byte through: %s", f, out);
			free(out);
		}
}

static void expect(const char *in, lin_escape_format f, size_t max, const char *want)
{
	char *out = esc(in, f, max);
	assert_string_equal(out, want);
	free(out);
}

static void each_rule(void **state)
{
	(void)state;
	expect("a<b>&\"'", LIN_ESC_XML, 0, "a&lt;b&gt;&amp;&quot;&#39;");
	expect("evil\xe2\x80\xae" "gnp", LIN_ESC_XML, 0, "evil gnp");
	/* an XML writer escapes markup itself; what XML 1.0 cannot hold is U+FFFD */
	expect("a<&]]>\t\n\r\x01\x1f\xef\xbf\xbe\xef\xbf\xbf\xe2\x80\xae\xff" "b", LIN_ESC_XML_TEXT, 0,
	       "a<&]]>\t\n\r\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b");
	expect("a \"q\", b\n\x01", LIN_ESC_CSV, 0, "a \"\"q\"\", b\n\xef\xbf\xbd");
	expect("a\"\\<\x01", LIN_ESC_JSON, 0, "a\\\"\\\\\\u003c\\u0001");
	expect("evil\xe2\x80\xae" "gnp", LIN_ESC_JSON, 0, "evil\\u202egnp");
	expect("evil\xe2\x80\xae" "gnp", LIN_ESC_JSON_PAGE, 0, "evil gnp");
	expect("a\\b&c", LIN_ESC_DOT_LABEL, 0, "a\\\\b&amp;c");
	expect("a\\b", LIN_ESC_DOT_TOOLTIP, 0, "a\\\\\\\\b");
	expect("a\x01\x02\xe2\x80\xae" "b", LIN_ESC_DOT_LABEL, 0, "a b"); /* one space a run */
	expect("a\"#|;b", LIN_ESC_MERMAID, 0, "a#34;#35;#124;#59;b");
	expect("t<\"x\">", LIN_ESC_MERMAID_TITLE, 0, "t\\u003c\\\"x\\\"\\u003e");
	expect("q\"\\\n\x01\xc2\x85\xe2\x80\xae\xef\xbb\xbf\xff", LIN_ESC_YAML, 0,
	       "q\\\"\\\\\\n\\x01\\x85\\u202E\\uFEFF\\uFFFD");
	expect("1. *a* [b]", LIN_ESC_MARKDOWN, 0, "1\\. \\*a\\* \\[b\\]");
	expect("- x-y", LIN_ESC_MARKDOWN, 0, "\\- x-y");
	expect("a\n\tb\x1b[0m\xe2\x80\xae", LIN_ESC_TERMINAL, 0, "a\n\tb?[0m?");
	expect("a\n\tb\xc2\x9b\xe2\x80\xa8\xef\xbf\xbe", LIN_ESC_TERMINAL_LINE, 0, "a??b???");
	/* round 2: '%' in Mermaid, noncharacters everywhere, past the BMP */
	expect("%%{init:{}}%%", LIN_ESC_MERMAID, 0, "#37;#37;{init:{}}#37;#37;");
	expect("%%{init:{}}%%", LIN_ESC_MERMAID_TITLE, 0, "\\u0025\\u0025{init:{}}\\u0025\\u0025");
	expect("a\xef\xbf\xbe\xef\xb7\x90" "b", LIN_ESC_XML, 0, "a  b");
	expect("a\xf0\x9f\xbf\xbf" "b", LIN_ESC_JSON, 0, "a\\ud83f\\udfffb");
	expect("a\xf0\x9f\xbf\xbf" "b", LIN_ESC_YAML, 0, "a\\U0001FFFFb");
	expect("a\xef\xbf\xbf" "b", LIN_ESC_YAML, 0, "a\\uFFFFb");
	expect("a\xf0\x9f\x98\x80" "b", LIN_ESC_JSON, 0, "a\xf0\x9f\x98\x80" "b"); /* not hidden */
	/* cut at max code points with an ellipsis, never inside a character */
	expect("abcdef", LIN_ESC_DOT_LABEL, 4, "abc\xe2\x80\xa6");
	expect("abcd", LIN_ESC_DOT_LABEL, 4, "abcd");
	expect("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6", LIN_ESC_MERMAID, 3,
	       "\xe4\xb8\xad\xe6\x96\x87\xe2\x80\xa6");
	lin_buf b = LIN_BUF_INIT;
	assert_int_equal(lin_escape(&b, "x", LIN_ESC_COUNT, 0), LIN_EINVAL);
	assert_int_equal(lin_escape(&b, NULL, LIN_ESC_JSON, 0), 0);
	lin_buf_dispose(&b);
}

/* A catalog whose every text field carries hostile string i. */
static lin_catalog *hostile_catalog(size_t i)
{
	lin_buf y = LIN_BUF_INIT, v = LIN_BUF_INIT;
	lin_buf_append(&v, "\"", 1);
	lin_escape(&v, hostile[i], LIN_ESC_YAML, 0);
	lin_buf_append(&v, "\"", 1);
	lin_buf_printf(&y,
	               "- id: base\n  name: %s\n  org: %s\n  stage: pretrained\n"
	               "  license: %s\n  aliases: [%s]\n  sources: [%s]\n"
	               "- id: kid\n  name: %s\n  stage: sft\n  training_data: %s\n  sources: [x]\n"
	               "  parents:\n    - {model: base, relation: finetune, variant: %s, note: %s,"
	               " sources: [%s]}\n",
	               v.data, v.data, v.data, v.data, v.data, v.data, v.data, v.data, v.data, v.data);
	lin_catalog *cat = th_load_text(y.data);
	lin_buf_dispose(&y);
	lin_buf_dispose(&v);
	return cat;
}

static void check_out(const char *what, size_t i, const lin_buf *b, const char *keep)
{
	if (!b->data || has_hidden(b->data, keep) || !valid_utf8(b->data))
		fail_msg("%s let hostile string %zu through:\n%s", what, i, b->data ? b->data : "");
}

static void read_into(lin_buf *b, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	lin_error e;
	assert_int_equal(lin_read_file(&data, &len, path, 1 << 26, &e), 0);
	lin_buf_append(b, data, len);
	free(data);
}

static void every_writer(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hostile) / sizeof(*hostile); i++) {
		lin_catalog *cat = hostile_catalog(i);
		lin_error e;
		igraph_integer_t v = th_find(cat, "kid");
		lin_draw_opts o = LIN_DRAW_OPTS_INIT;
		lin_buf b = LIN_BUF_INIT;
		assert_int_equal(lin_export_model_json(&b, cat, v, 1), 0);
		check_out("JSON", i, &b, "");
		b.len = 0;
		assert_int_equal(lin_catalog_write_yaml(&b, cat, &e), 0);
		check_out("YAML", i, &b, "\n");
		b.len = 0;
		assert_int_equal(lin_render(&b, cat, &o, LIN_FORMAT_DOT, &e), 0);
		check_out("DOT", i, &b, "\n\t");
		b.len = 0;
		assert_int_equal(lin_render(&b, cat, &o, LIN_FORMAT_SVG, &e), 0);
		check_out("SVG", i, &b, "\n");
		b.len = 0;
		assert_int_equal(lin_render(&b, cat, &o, LIN_FORMAT_MERMAID, &e), 0);
		check_out("Mermaid", i, &b, "\n");
		/* no directive: user text never brings a '%' */
		if (strchr(b.data, '%'))
			fail_msg("Mermaid kept a '%%' of hostile string %zu:\n%s", i, b.data);
		/* the terminal: the tree of kid is its line and one edge, and
		 * show's layout has as many lines as for a plain catalog */
		b.len = 0;
		lin_query_opts q = LIN_QUERY_OPTS_INIT;
		assert_int_equal(lin_export_tree(&b, cat, v, IGRAPH_IN, &q, &e), 0);
		check_out("tree", i, &b, "\n");
		if (layout_lines(b.data) != 2)
			fail_msg("the tree of hostile string %zu has %zu lines:\n%s", i,
			         layout_lines(b.data), b.data);
		b.len = 0;
		assert_int_equal(lin_export_model_text(&b, cat, v, NULL), 0);
		check_out("show", i, &b, "\n");
		if (layout_lines(b.data) != 8)
			fail_msg("show of hostile string %zu has %zu layout lines:\n%s", i,
			         layout_lines(b.data), b.data);
		lin_buf_dispose(&b);
		/* the documentation set: Markdown and the HTML page */
		char dir[] = "/tmp/lineage-escape-XXXXXX";
		assert_non_null(mkdtemp(dir));
		char out[64], graph[64], path[96];
		snprintf(out, sizeof(out), "%s/out", dir);
		snprintf(graph, sizeof(graph), "%s/graph", dir);
		assert_int_equal(lin_docs_write(cat, out, graph, NULL, &e), 0);
		const char *files[] = {"README.md", "index.html"};
		for (size_t f = 0; f < 2; f++) {
			lin_buf d = LIN_BUF_INIT;
			snprintf(path, sizeof(path), "%s/%s", out, files[f]);
			read_into(&d, path);
			check_out(files[f], i, &d, "\n");
			/* Mermaid reads only the ```mermaid blocks: no '%' in them */
			for (char *m = strstr(d.data, "```mermaid\n"); m; m = strstr(m, "```mermaid\n")) {
				char *end = strstr(m + 11, "```");
				assert_non_null(end);
				if (memchr(m, '%', (size_t)(end - m)))
					fail_msg("%s kept a '%%' of hostile string %zu in Mermaid", files[f], i);
				m = end + 3;
			}
			lin_buf_dispose(&d);
		}
		char cmd[160];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
		lin_catalog_free(cat);
	}
}

/* A URI path keeps unreserved bytes and '/', percent-encodes the rest
 * byte by byte (non-ASCII as its UTF-8 bytes): nothing can end the URI. */
static void uri_path(void **state)
{
	(void)state;
	lin_buf b = LIN_BUF_INIT;
	assert_int_equal(lin_escape(&b, "org/Name-1.0_x~y", LIN_ESC_URI_PATH, 0), 0);
	assert_string_equal(b.data, "org/Name-1.0_x~y");
	b.len = 0;
	assert_int_equal(lin_escape(&b, "a b#c?\"<é>\n%", LIN_ESC_URI_PATH, 0), 0);
	assert_string_equal(b.data, "a%20b%23c%3F%22%3C%C3%A9%3E%0A%25");
	b.len = 0;
	assert_int_equal(lin_escape(&b, "\xff\xfe", LIN_ESC_URI_PATH, 0), 0);
	assert_string_equal(b.data, "%FF%FE");
	lin_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uri_path),
		cmocka_unit_test(every_format_every_string),
		cmocka_unit_test(each_rule),
		cmocka_unit_test(every_writer),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	lin_render_shutdown();
	return rc;
}
