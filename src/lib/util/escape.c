/*
 * escape.c - the one escaper. Every writer puts catalog text into its
 * format through lin_escape with the format's rule: which ASCII characters
 * need escaping and how, what an invalid UTF-8 byte becomes, and how a
 * hidden code point (controls, line separators, bidi overrides that could
 * disguise a name: lin_i_cp_hidden) is shown. Data formats (JSON, YAML) keep
 * a hidden character as an escape, so nothing is lost; formats people read
 * (HTML, SVG, DOT, Mermaid, Markdown, a terminal) show something harmless
 * instead, so no writer ever passes one through.
 */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Bit c of a 128-bit ASCII set, as two constant words. */
#define LO(c) ((uint64_t)((c) < 64) << ((c) & 63))
#define HI(c) ((uint64_t)((c) >= 64) << ((c) & 63))
#define CONTROLS UINT64_C(0xffffffff) /* 0x00..0x1f */

typedef struct esc_state {
	size_t k;        /* code points written */
	int hidden_run;  /* the last one was hidden (runs collapse) */
	int digits_only; /* Markdown: nothing but digits so far */
} esc_state;

typedef struct esc_rule {
	uint64_t lo, hi;    /* ASCII bytes that are not copied as they are */
	const char *invalid; /* what an invalid byte becomes */
	int collapse;        /* a run of hidden code points shows as one */
	int bytewise;        /* the rule keeps state per character: no fast runs */
	/* writes a character of the set above that is not hidden */
	void (*special)(lin_buf *b, unsigned long c, esc_state *st);
	/* writes a hidden code point (or one `also` picks) */
	void (*hidden)(lin_buf *b, unsigned long c);
	int (*also)(unsigned long c); /* more code points treated as hidden */
	int percent;         /* bytes, not characters: the set's (and non-ASCII) as %XX */
} esc_rule;

static void put_space(lin_buf *b, unsigned long c)
{
	(void)c;
	lin_buf_append(b, " ", 1);
}

static void put_question(lin_buf *b, unsigned long c)
{
	(void)c;
	lin_buf_append(b, "?", 1);
}

/* ---- JSON: \" \\, and \u00XX for what could close a <script> block ----- */

static void json_special(lin_buf *b, unsigned long c, esc_state *st)
{
	(void)st;
	if (c == '"' || c == '\\')
		lin_buf_printf(b, "\\%c", (char)c);
	else /* < > & are harmless in JSON, but JSON inlined into HTML must
	        not close a <script> block */
		lin_buf_printf(b, "\\u%04lx", c);
}

/* \uXXXX, and a surrogate pair past the BMP (a noncharacter U+1FFFE) */
static void json_hidden(lin_buf *b, unsigned long c)
{
	if (c > 0xffff)
		lin_buf_printf(b, "\\u%04lx\\u%04lx", 0xd800 + ((c - 0x10000) >> 10),
		               0xdc00 + ((c - 0x10000) & 0x3ff));
	else
		lin_buf_printf(b, "\\u%04lx", c);
}

/* ---- XML, SVG, HTML: five entities ---------------------------------------- */

static void xml_special(lin_buf *b, unsigned long c, esc_state *st)
{
	(void)st;
	lin_buf_puts(b, c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
	              : c == '"' ? "&quot;" : "&#39;");
}

/* ---- text for an XML writer that escapes markup itself (libxml2's
 * xmlTextWriter), and RFC 4180 CSV cells: a data format keeps tab, line
 * feed and carriage return; what XML 1.0 cannot hold at all (the other C0
 * controls, U+FFFE, U+FFFF) and every other hidden code point become
 * U+FFFD, so a hostile catalog cannot make the file invalid ------------- */

static void put_fffd(lin_buf *b, unsigned long c)
{
	if (c == '\t' || c == '\n' || c == '\r')
		lin_buf_append(b, (const char *)&(char){(char)c}, 1);
	else
		lin_buf_puts(b, "\xef\xbf\xbd");
}

/* inside a quoted CSV field a quote is doubled */
static void csv_special(lin_buf *b, unsigned long c, esc_state *st)
{
	(void)st;
	(void)c;
	lin_buf_append(b, "\"\"", 2);
}

/* ---- Graphviz: entities are decoded and labels undo one level of
 * backslash escapes, tooltips two (measured on 2.43) ------------------------ */

static void dot_label_special(lin_buf *b, unsigned long c, esc_state *st)
{
	(void)st;
	lin_buf_puts(b, c == '&' ? "&amp;" : "\\\\");
}

static void dot_tooltip_special(lin_buf *b, unsigned long c, esc_state *st)
{
	(void)st;
	lin_buf_puts(b, c == '&' ? "&amp;" : "\\\\\\\\");
}

/* ---- Mermaid: entity codes for what ends a quote, a label or a statement,
 * and for '%': Mermaid 10 and 11 honour a "%%{init: ...}%%" directive
 * anywhere in a diagram's text, labels included (a model name switched the
 * theme and pulled CSS from an outside URL), so user text never holds a
 * '%' at all ---------------------------------------------------------------- */

static void mermaid_special(lin_buf *b, unsigned long c, esc_state *st)
{
	(void)st;
	lin_buf_printf(b, "#%lu;", c);
}

/* A Mermaid front matter's title: a YAML double-quoted scalar with no
 * markup in it, even in the Markdown source, and no '%' (\u0025). */
static void mermaid_title_special(lin_buf *b, unsigned long c, esc_state *st)
{
	(void)st;
	if (c == '"' || c == '\\')
		lin_buf_printf(b, "\\%c", (char)c);
	else
		lin_buf_printf(b, "\\u%04lx", c);
}

/* ---- YAML double-quoted scalars, as libyaml reads them back --------------- */

static void yaml_special(lin_buf *b, unsigned long c, esc_state *st)
{
	(void)st;
	lin_buf_printf(b, "\\%c", (char)c);
}

static void yaml_hidden(lin_buf *b, unsigned long c)
{
	if (c == '\n' || c == '\t' || c == '\r')
		lin_buf_puts(b, c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r");
	else if (c < 0xa0)
		lin_buf_printf(b, "\\x%02lX", c);
	else if (c > 0xffff)
		lin_buf_printf(b, "\\U%08lX", c);
	else
		lin_buf_printf(b, "\\u%04lX", c);
}

/* What libyaml refuses in a stream even when escaping is not required
 * (U+FFFE and U+FFFF are hidden code points already). */
static int yaml_also(unsigned long c)
{
	return c == 0xfeff;
}

/* ---- Markdown: punctuation that could start markup, and a start that
 * would make the line a list ("1." "-") ------------------------------------ */

static void md_special(lin_buf *b, unsigned long c, esc_state *st)
{
	int lead = st->k == 0 || (st->digits_only && (c == '.' || c == ')'));
	if (strchr("\\`*_{}[]()<>&|~!#", (int)c) || (lead && strchr("+-=.)", (int)c)))
		lin_buf_printf(b, "\\%c", (char)c);
	else
		lin_buf_append(b, (const char *)&(char){(char)c}, 1);
}

/* md_special's characters (both of its lists), split by word */
#define MD_SET                                                                           \
	(LO('*') | LO('(') | LO(')') | LO('<') | LO('>') | LO('&') | LO('!') | LO('#') |      \
	 LO('+') | LO('-') | LO('=') | LO('.'))
#define MD_SET_HI                                                                        \
	(HI('\\') | HI('`') | HI('_') | HI('{') | HI('}') | HI('[') | HI(']') | HI('|') |     \
	 HI('~') | HI(0x7f))

#define FFFD "\xef\xbf\xbd"

static const esc_rule rules[LIN_ESC_COUNT] = {
	[LIN_ESC_JSON] = {CONTROLS | LO('"') | LO('<') | LO('>') | LO('&'), HI('\\') | HI(0x7f),
	                  "\\ufffd", 0, 0, json_special, json_hidden, NULL, 0},
	[LIN_ESC_JSON_PAGE] = {CONTROLS | LO('"') | LO('<') | LO('>') | LO('&'),
	                       HI('\\') | HI(0x7f), "\\ufffd", 0, 0, json_special, put_space, NULL, 0},
	[LIN_ESC_XML] = {CONTROLS | LO('&') | LO('<') | LO('>') | LO('"') | LO('\''), HI(0x7f),
	                 FFFD, 0, 0, xml_special, put_space, NULL, 0},
	[LIN_ESC_XML_TEXT] = {CONTROLS, HI(0x7f), FFFD, 0, 0, NULL, put_fffd, NULL, 0},
	[LIN_ESC_CSV] = {CONTROLS | LO('"'), HI(0x7f), FFFD, 0, 0, csv_special, put_fffd, NULL, 0},
	[LIN_ESC_DOT_LABEL] = {CONTROLS | LO('&'), HI('\\') | HI(0x7f), FFFD, 1, 0,
	                       dot_label_special, put_space, NULL, 0},
	[LIN_ESC_DOT_TOOLTIP] = {CONTROLS | LO('&'), HI('\\') | HI(0x7f), FFFD, 1, 0,
	                         dot_tooltip_special, put_space, NULL, 0},
	[LIN_ESC_MERMAID] = {CONTROLS | LO('"') | LO('#') | LO('%') | LO('&') | LO('<') | LO('>') |
	                         LO(';'),
	                     HI('|') | HI('`') | HI('\\') | HI(0x7f), FFFD, 0, 0, mermaid_special,
	                     put_space, NULL, 0},
	[LIN_ESC_MERMAID_TITLE] = {CONTROLS | LO('"') | LO('%') | LO('<') | LO('>') | LO('&'),
	                           HI('\\') | HI(0x7f), FFFD, 0, 0, mermaid_title_special,
	                           put_space, NULL, 0},
	[LIN_ESC_YAML] = {CONTROLS | LO('"'), HI('\\') | HI(0x7f), "\\uFFFD", 0, 0, yaml_special,
	                  yaml_hidden, yaml_also, 0},
	[LIN_ESC_MARKDOWN] = {CONTROLS | MD_SET, MD_SET_HI, FFFD, 0, 1, md_special, put_space,
	                      NULL, 0},
	/* a terminal keeps the line breaks and tabs of a text's layout... */
	[LIN_ESC_TERMINAL] = {CONTROLS & ~(LO('\n') | LO('\t')), HI(0x7f), FFFD, 0, 0, NULL,
	                      put_question, NULL, 0},
	/* ...but catalog text inside one of its lines has none: a name's
	 * newline would forge a line of a tree */
	[LIN_ESC_TERMINAL_LINE] = {CONTROLS, HI(0x7f), FFFD, 0, 0, NULL, put_question, NULL, 0},
	/* everything but A-Z a-z 0-9 - . _ ~ / */
	[LIN_ESC_URI_PATH] = {~(uint64_t)0 & ~(LO('-') | LO('.') | LO('/') | 0x03ff000000000000ull),
	                      ~(uint64_t)0 & ~(0x07fffffe07fffffeull | HI('_') | HI('~')), "", 0, 0,
	                      NULL, NULL, NULL, 1},
};

/* Percent-encoding works on bytes: a character outside ASCII is its UTF-8
 * bytes, each as %XX (RFC 3986). */
static int put_percent(lin_buf *out, const esc_rule *r, const unsigned char *p)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *p; p++) {
		int enc = *p >= 0x80 || (*p < 64 ? (r->lo >> *p) & 1 : (r->hi >> (*p - 64)) & 1);
		char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
		if (enc)
			lin_buf_append(out, e, 3);
		else
			lin_buf_append(out, (const char *)p, 1);
	}
	return out->oom ? LIN_ENOMEM : 0;
}

static int in_set(const esc_rule *r, unsigned char c)
{
	return c >= 0x80 || (c < 64 ? (r->lo >> c) & 1 : (r->hi >> (c - 64)) & 1);
}

/* Code points in s (an invalid byte counts as one). */
static size_t count_cps(const unsigned char *p)
{
	size_t k = 0;
	unsigned long cp = 0;
	while (*p) {
		size_t n = lin_i_utf8_next(p, &cp);
		p += n ? n : 1;
		k++;
	}
	return k;
}

int lin_escape(lin_buf *out, const char *s, lin_escape_format f, size_t max)
{
	if ((int)f < 0 || f >= LIN_ESC_COUNT)
		return LIN_EINVAL;
	const esc_rule *r = &rules[f];
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	if (r->percent)
		return put_percent(out, r, p);
	/* more than max code points: max - 1 of them and an ellipsis */
	size_t keep = max && count_cps(p) > max ? max - 1 : SIZE_MAX;
	esc_state st = {0, 0, 1};
	while (*p) {
		if (st.k == keep) {
			lin_buf_puts(out, "\xe2\x80\xa6");
			break;
		}
		if (!in_set(r, *p)) {
			/* a run of plain bytes in one append: ids and names are mostly
			 * nothing else, and a 70,000-model answer has a million */
			const unsigned char *run = p;
			size_t room = keep - st.k;
			do
				p++;
			while (!r->bytewise && *p && !in_set(r, *p) && (size_t)(p - run) < room);
			if (r->bytewise)
				st.digits_only = st.digits_only && *run >= '0' && *run <= '9';
			lin_buf_append(out, (const char *)run, (size_t)(p - run));
			st.k += (size_t)(p - run);
			st.hidden_run = 0;
			continue;
		}
		unsigned long cp = 0;
		size_t n = lin_i_utf8_next(p, &cp);
		if (n == 0) {
			lin_buf_puts(out, r->invalid);
			st.hidden_run = 0;
		} else if (lin_i_cp_hidden(cp) || (r->also && r->also(cp))) {
			if (!(r->collapse && st.hidden_run))
				r->hidden(out, cp);
			st.hidden_run = 1;
		} else if (cp < 0x80 && r->special) {
			r->special(out, cp, &st);
			st.hidden_run = 0;
		} else {
			lin_buf_append(out, (const char *)p, n);
			st.hidden_run = 0;
		}
		st.digits_only = st.digits_only && cp >= '0' && cp <= '9' && n;
		p += n ? n : 1;
		st.k++;
	}
	return out->oom ? LIN_ENOMEM : 0;
}
