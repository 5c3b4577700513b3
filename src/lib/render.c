/*
 * render.c - draws a selection of the catalog with Graphviz (cgraph + gvc):
 * DOT for diffs, SVG for browsers, PNG for everything else. The graph is built
 * through the cgraph API, never by pasting DOT text: node names are
 * "n<vertex>", and user text is escaped here because Graphviz decodes \N-style
 * escapes and entities in labels and writes URL attributes verbatim into SVG,
 * so links are checked (http/https only) and percent-encoded by hand.
 */
#include "internal.h"

#include <gvc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Layout time grows fast with size (NOTES.md): bound what reaches `dot`. */
#define DRAW_MAX_NODES 2000
#define DRAW_MAX_EDGES 20000
/* Longest name shown in a box, and longest other text, in code points. */
#define NAME_MAX_CHARS 80
#define TEXT_MAX_CHARS 200
#define URL_MAX_BYTES 2048
/* Edges carry a relation label only in small drawings; the legend does the
 * job in big ones. */
#define EDGE_LABELS_MAX 40

/* ---- Graphviz context and messages -------------------------------------- */

/* One context per process: freeing one and creating another reads freed
 * memory in the pango plugin, so after lin_render_shutdown it stays gone. */
static GVC_t *gv_ctx;
static int gv_closed;

/* Graphviz messages land here (errors and warnings kept apart). */
static char gv_errs[LIN_MSG_MAX], gv_warns[LIN_MSG_MAX];
static int gv_level_err;

typedef struct gv_saved {
	agusererrf fn;
	agerrlevel_t level;
} gv_saved;

static void msg_append(char *dst, const char *s)
{
	size_t have = strlen(dst), room = LIN_MSG_MAX - 1 - have;
	for (; *s && room; s++, room--)
		dst[have++] = (*s == '\n' || *s == '\r') ? ' ' : *s;
	dst[have] = '\0';
}

/* cgraph calls this with "Error"/"Warning", ": ", then the message. */
static int gv_capture(char *s)
{
	if (strcmp(s, "Error") == 0)
		gv_level_err = 1;
	else if (strcmp(s, "Warning") == 0)
		gv_level_err = 0;
	msg_append(gv_level_err ? gv_errs : gv_warns, s);
	return 0;
}

/* Routes every Graphviz message into our buffers for the duration of a call;
 * gv_end puts the previous handler back. */
static void gv_begin(gv_saved *s)
{
	gv_errs[0] = gv_warns[0] = '\0';
	gv_level_err = 0;
	s->fn = agseterrf(gv_capture);
	s->level = agseterr(AGWARN);
	agreseterrors();
}

static void gv_end(const gv_saved *s)
{
	agseterr(s->level);
	agseterrf(s->fn);
}

/* Reports a Graphviz failure with whatever Graphviz said. */
static int gv_fail(lin_error *err, const char *what)
{
	const char *said = gv_errs[0] ? gv_errs : gv_warns[0] ? gv_warns : "no message";
	return lin_fail(err, LIN_ERENDER, NULL, 0, 0, "Graphviz: %s: %s", what, said);
}

static int gv_failed(void)
{
	return agerrors() >= AGERR;
}

static int gv_context(GVC_t **out, lin_error *err)
{
	if (gv_closed)
		return lin_fail(err, LIN_ERENDER, NULL, 0, 0,
		                "Graphviz context already shut down");
	if (!gv_ctx)
		gv_ctx = gvContext();
	if (!gv_ctx)
		return gv_fail(err, "cannot create a context");
	*out = gv_ctx;
	return 0;
}

void lin_render_shutdown(void)
{
	gv_saved saved = {NULL, AGWARN};
	if (!gv_ctx)
		return;
	gv_begin(&saved);
	gvFreeContext(gv_ctx);
	gv_end(&saved);
	gv_ctx = NULL;
	gv_closed = 1;
}

int lin_format_parse(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "svg") == 0)
		return LIN_FORMAT_SVG;
	if (strcmp(s, "dot") == 0 || strcmp(s, "gv") == 0)
		return LIN_FORMAT_DOT;
	if (strcmp(s, "png") == 0)
		return LIN_FORMAT_PNG;
	return -1;
}

/* ---- selection ----------------------------------------------------------- */

/* Marks the vertices within depth edges of v in direction mode (v included),
 * using igraph's BFS-based neighbourhood / subcomponent. */
static int mark_reach(char *mark, const igraph_t *g, igraph_integer_t v,
                      igraph_neimode_t mode, int depth, lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t one;
	igraph_vector_int_list_t hood;
	int one_init = 0, hood_init = 0;
	const igraph_vector_int_t *got = NULL;

	if (depth < 0) {
		LIN_IG(igraph_vector_int_init(&one, 0));
		one_init = 1;
		LIN_IG(igraph_subcomponent(g, &one, v, mode));
		got = &one;
	} else {
		LIN_IG(igraph_vector_int_list_init(&hood, 0));
		hood_init = 1;
		LIN_IG(igraph_neighborhood(g, &hood, igraph_vss_1(v), depth, mode, 0));
		got = igraph_vector_int_list_get_ptr(&hood, 0);
	}
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(got); i++)
		mark[VECTOR(*got)[i]] = 1;
done:
	if (one_init)
		igraph_vector_int_destroy(&one);
	if (hood_init)
		igraph_vector_int_list_destroy(&hood);
	return rc;
}

/* Focus plus ancestors and/or descendants over the relation-filtered graph. */
static int select_focus(igraph_vector_int_t *out, const lin_catalog *cat,
                        const lin_draw_opts *o, lin_error *err)
{
	int rc = 0, owned = 0;
	const igraph_t *fg = NULL;
	igraph_t storage;
	igraph_integer_t n = lin_catalog_count(cat);
	int up = o->ancestors || !o->descendants;
	int down = o->descendants || !o->ancestors;
	char *mark = calloc((size_t)n, 1);

	if (!mark)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	memset(&storage, 0, sizeof(storage));
	rc = lin_graph_filtered(&fg, &storage, &owned, cat, o->relations, NULL, err);
	if (rc)
		goto done;
	if (up && (rc = mark_reach(mark, fg, o->focus, IGRAPH_IN, o->depth, err)))
		goto done;
	if (down && (rc = mark_reach(mark, fg, o->focus, IGRAPH_OUT, o->depth, err)))
		goto done;
	igraph_vector_int_clear(out);
	for (igraph_integer_t v = 0; v < n; v++)
		if (mark[v])
			LIN_IG(igraph_vector_int_push_back(out, v));
done:
	if (owned)
		igraph_destroy(&storage);
	free(mark);
	return rc;
}

int lin_draw_select(igraph_vector_int_t *out, const lin_catalog *cat,
                    const lin_draw_opts *o, lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = 0;

	if (!out || !cat || !o)
		return lin_fail(err, LIN_EINVAL, NULL, 0, 0, "lin_draw_select: NULL argument");
	if (!lin_catalog_graph(cat))
		return lin_fail(err, LIN_EINVAL, NULL, 0, 0, "catalog not finished");
	n = lin_catalog_count(cat);
	if (o->focus >= n)
		return lin_fail(err, LIN_EINVAL, NULL, 0, 0,
		                "focus vertex %" IGRAPH_PRId " out of range", o->focus);
	if (o->focus >= 0)
		return select_focus(out, cat, o, err);
	LIN_IG(igraph_vector_int_resize(out, n));
	for (igraph_integer_t v = 0; v < n; v++)
		VECTOR(*out)[v] = v;
done:
	return rc;
}

/* ---- text for Graphviz ------------------------------------------------------ */

/* Decodes one UTF-8 sequence at s: its length (1..4) with the code point in
 * *cp, or 0 when the bytes are not valid UTF-8 (s is NUL-terminated). */
static size_t utf8_next(const unsigned char *s, unsigned long *cp)
{
	unsigned long c = s[0], min = 0;
	size_t n = 0;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* C0/C1 controls and the bidi overrides that could disguise a name. */
static int is_control(unsigned long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

static size_t utf8_count(const unsigned char *p)
{
	size_t k = 0;
	unsigned long cp = 0;
	while (*p) {
		size_t n = utf8_next(p, &cp);
		p += n ? n : 1;
		k++;
	}
	return k;
}

/* Appends s as Graphviz text: controls become one space, invalid UTF-8
 * becomes U+FFFD, '&' becomes "&amp;" (entities are decoded) and '\' becomes
 * bs, because labels undo one level of backslash escapes and tooltips two
 * (measured on 2.43: a tooltip needs four backslashes to show one). More
 * than max code points are cut with "…". */
static void put_esc(lin_buf *b, const char *s, size_t max, const char *bs)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t keep = utf8_count(p) > max ? max - 1 : max;
	int space = 0;

	for (size_t k = 0; *p; k++) {
		unsigned long cp = 0;
		size_t n = utf8_next(p, &cp);
		if (k == keep) {
			lin_buf_puts(b, "\xe2\x80\xa6");
			return;
		}
		if (n && is_control(cp)) {
			if (!space)
				lin_buf_puts(b, " ");
			space = 1;
			p += n;
			continue;
		}
		space = 0;
		if (n == 0)
			lin_buf_puts(b, "\xef\xbf\xbd");
		else if (cp == '\\')
			lin_buf_puts(b, bs);
		else if (cp == '&')
			lin_buf_puts(b, "&amp;");
		else
			lin_buf_append(b, (const char *)p, n);
		p += n ? n : 1;
	}
}

/* User text for a label (box, edge or graph caption). */
static void put_text(lin_buf *b, const char *s, size_t max)
{
	put_esc(b, s, max, "\\\\");
}

/* User text for a tooltip. */
static void put_tip(lin_buf *b, const char *s, size_t max)
{
	put_esc(b, s, max, "\\\\\\\\");
}

static int prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		char c = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
		if (c != *prefix)
			return 0;
	}
	return 1;
}

static int url_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("-._~:/?#@!$()*+,;=%", c));
}

/* Appends url percent-encoded when it is http(s); returns 0 (and appends
 * nothing) for any other scheme or an absurd length. */
static int put_url(lin_buf *b, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!url || strlen(url) > URL_MAX_BYTES ||
	    !(prefix_ci(url, "http://") || prefix_ci(url, "https://")))
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
		if (url_safe(*p))
			lin_buf_append(b, (const char *)p, 1);
		else
			lin_buf_append(b, enc, 3);
	}
	return 1;
}

/* ---- visual vocabulary ----------------------------------------------------- */

/* A pastel fill per stage, distinct at a glance. */
static const char *const stage_fill[LIN_STAGE_COUNT] = {
	[LIN_STAGE_PRETRAINED] = "#aecbfa",
	[LIN_STAGE_CONTINUED_PRETRAIN] = "#a8dadc",
	[LIN_STAGE_SFT] = "#b7e4c7",
	[LIN_STAGE_RLHF] = "#ffd6a5",
	[LIN_STAGE_DISTILLED] = "#d8c8f0",
	[LIN_STAGE_MERGED] = "#fdf3a7",
	[LIN_STAGE_QUANTIZED] = "#e2e2e2",
	[LIN_STAGE_ADAPTER] = "#ffc8dd",
	[LIN_STAGE_MULTIMODAL] = "#f7b9a1",
	[LIN_STAGE_UNKNOWN] = "#ffffff",
};

/* How an edge of each relation kind looks, and its sample in the legend. */
typedef struct rel_look {
	const char *color, *style, *penwidth, *arrowhead, *sample;
} rel_look;

static const rel_look rel_looks[LIN_REL_COUNT] = {
	[LIN_REL_FINETUNE] = {"#2f3e46", "solid", "1.4", "normal", "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x96\xb6"},
	[LIN_REL_ADAPTER] = {"#2a9d8f", "dashed", "1.4", "normal", "\xe2\x95\x8c\xe2\x95\x8c\xe2\x95\x8c\xe2\x96\xb6"},
	[LIN_REL_MERGE] = {"#8a5a44", "bold", "2.2", "normal", "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x96\xb6"},
	[LIN_REL_QUANTIZED] = {"#6c757d", "dotted", "1.6", "normal", "\xe2\x94\x88\xe2\x94\x88\xe2\x94\x88\xe2\x96\xb6"},
	[LIN_REL_CONTINUED_PRETRAIN] = {"#1f6fb2", "solid", "1.6", "normal", "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x96\xb6"},
	[LIN_REL_RLHF] = {"#e4572e", "solid", "1.6", "normal", "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x96\xb6"},
	[LIN_REL_DISTILL] = {"#8d99ae", "dashed", "1.4", "onormal", "\xe2\x95\x8c\xe2\x95\x8c\xe2\x95\x8c\xe2\x96\xb7"},
	[LIN_REL_MULTIMODAL] = {"#7b2cbf", "solid", "1.6", "normal", "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x96\xb6"},
	[LIN_REL_RECIPE] = {"#9aa3ab", "dotted", "1.4", "empty", "\xe2\x94\x88\xe2\x94\x88\xe2\x94\x88\xe2\x96\xb7"},
	[LIN_REL_UPCYCLE] = {"#2d6a4f", "bold", "2.2", "normal", "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x96\xb6"},
	[LIN_REL_PRUNE] = {"#bc4749", "dashed", "1.4", "tee", "\xe2\x95\x8c\xe2\x95\x8c\xe2\x95\x8c\xe2\x94\xa4"},
};

#define SEP_DOT " \xc2\xb7 " /* " · " */
#define ARROW " \xe2\x86\x92 " /* " → " */

/* ---- building the graph ----------------------------------------------------- */

/* The state of one drawing. nodes[v] is vertex v's node, NULL when not drawn. */
typedef struct draw {
	const lin_catalog *cat;
	const lin_draw_opts *o;
	Agraph_t *g;
	Agnode_t **nodes;
	Agnode_t *legend; /* NULL when nothing is drawn */
	igraph_vector_int_t edges; /* edge ids to draw, in drawing order */
	int edges_init;
	size_t nnodes;
	unsigned stages;  /* bit per stage present */
	lin_relmask rels; /* relations present */
	int closed;       /* some drawn model has closed weights */
	lin_buf tmp;      /* scratch for attribute values */
} draw;

/* Sets attribute name of obj (declaring it with an empty default). */
static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

/* Sets obj's attribute from the scratch buffer, then empties it. */
static int set_tmp(draw *d, void *obj, const char *name)
{
	if (d->tmp.oom)
		return LIN_ENOMEM;
	set(obj, name, d->tmp.data ? d->tmp.data : "");
	d->tmp.len = 0;
	if (d->tmp.data)
		d->tmp.data[0] = '\0';
	return 0;
}

static void declare(Agraph_t *g, int kind, const char *name, const char *value)
{
	agattr(g, kind, (char *)name, (char *)value);
}

/* The graph with its look: direction, fonts, node and edge defaults. */
static int open_graph(draw *d, lin_error *err)
{
	Agraph_t *g = agopen((char *)"lineage", Agdirected, NULL);
	if (!g)
		return gv_fail(err, "cannot create a graph");
	d->g = g;
	declare(g, AGRAPH, "rankdir", d->o->left_to_right ? "LR" : "TB");
	declare(g, AGRAPH, "newrank", "true");
	declare(g, AGRAPH, "fontname", "DejaVu Sans");
	declare(g, AGRAPH, "fontsize", "18");
	declare(g, AGRAPH, "labelloc", "t");
	declare(g, AGRAPH, "bgcolor", "#ffffff");
	declare(g, AGRAPH, "pad", "0.3");
	declare(g, AGRAPH, "nodesep", "0.25");
	declare(g, AGRAPH, "ranksep", "0.55");
	declare(g, AGRAPH, "outputorder", "edgesfirst");
	declare(g, AGNODE, "shape", "box");
	declare(g, AGNODE, "style", "rounded,filled");
	declare(g, AGNODE, "fontname", "DejaVu Sans");
	declare(g, AGNODE, "fontsize", "11");
	declare(g, AGNODE, "color", "#4a5568");
	declare(g, AGNODE, "penwidth", "1");
	declare(g, AGNODE, "margin", "0.12,0.06");
	declare(g, AGEDGE, "fontname", "DejaVu Sans");
	declare(g, AGEDGE, "fontsize", "9");
	declare(g, AGEDGE, "arrowsize", "0.7");
	return 0;
}

static char dom_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') ? c : '-';
}

/* "model-" + id with everything outside [a-z0-9-] turned into '-'. */
static void put_dom_id(lin_buf *b, const char *id)
{
	lin_buf_puts(b, "model-");
	for (const char *p = id ? id : ""; *p; p++) {
		char c = dom_char(*p);
		lin_buf_append(b, &c, 1);
	}
}

/* Two catalog ids may map to the same DOM id ("a.b", "a_b"): the later one
 * gets "-<vertex>" so ids in the SVG stay unique. Compares without copying. */
static int dom_id_taken(const draw *d, const lin_model *m, igraph_integer_t v)
{
	const char *mine = m->id ? m->id : "";
	for (igraph_integer_t u = 0; u < v; u++) {
		const char *a = mine, *b = NULL;
		if (!d->nodes[u])
			continue;
		b = lin_catalog_model(d->cat, u)->id;
		for (b = b ? b : ""; *a && *b && dom_char(*a) == dom_char(*b); a++, b++)
			;
		if (!*a && !*b)
			return 1;
	}
	return 0;
}

/* Box label: the name, then "params · year" on a second line. */
static void put_label(lin_buf *b, const lin_model *m)
{
	lin_buf line = LIN_BUF_INIT;
	put_text(b, m->name ? m->name : m->id, NAME_MAX_CHARS);
	for (size_t i = 0; i < m->params.n; i++) {
		if (i)
			lin_buf_puts(&line, SEP_DOT);
		lin_buf_puts(&line, m->params.items[i] ? m->params.items[i] : "");
	}
	if (m->year > 0)
		lin_buf_printf(&line, "%s%d", line.len ? SEP_DOT : "", m->year);
	if (line.len) {
		lin_buf_puts(b, "\\n");
		put_text(b, line.data, NAME_MAX_CHARS);
	}
	if (line.oom)
		b->oom = 1;
	lin_buf_dispose(&line);
}

/* Hover text: name and org, release date, licence, weights. */
static void put_tooltip(lin_buf *b, const lin_model *m)
{
	put_tip(b, m->name ? m->name : m->id, TEXT_MAX_CHARS);
	if (m->org) {
		lin_buf_puts(b, " \xe2\x80\x94 ");
		put_tip(b, m->org, TEXT_MAX_CHARS);
	}
	if (m->released) {
		lin_buf_puts(b, "\\nreleased ");
		put_tip(b, m->released, TEXT_MAX_CHARS);
	}
	if (m->license) {
		lin_buf_puts(b, "\\nlicence ");
		put_tip(b, m->license, TEXT_MAX_CHARS);
	}
	if (m->weights == LIN_WEIGHTS_CLOSED)
		lin_buf_puts(b, "\\nclosed weights");
	else if (m->weights == LIN_WEIGHTS_OPEN)
		lin_buf_puts(b, "\\nopen weights");
}

/* Fill, border and link of the node for model m. */
static int style_node(draw *d, Agnode_t *n, const lin_model *m, igraph_integer_t v)
{
	int rc = 0;
	int st = (m->stage >= 0 && m->stage < LIN_STAGE_COUNT) ? (int)m->stage : -1;

	set(n, "fillcolor", st >= 0 ? stage_fill[st] : "#ffffff");
	if (m->weights == LIN_WEIGHTS_CLOSED) {
		set(n, "style", "rounded,filled,dashed");
		set(n, "penwidth", "1.8");
		d->closed = 1;
	}
	if (st >= 0) {
		d->stages |= 1u << st;
		lin_buf_printf(&d->tmp, "stage-%s", lin_stage_name((lin_stage)st));
		if ((rc = set_tmp(d, n, "class")))
			return rc;
	}
	put_dom_id(&d->tmp, m->id);
	if (dom_id_taken(d, m, v))
		lin_buf_printf(&d->tmp, "-%" IGRAPH_PRId, v);
	if ((rc = set_tmp(d, n, "id")))
		return rc;
	if (m->links.n && put_url(&d->tmp, m->links.items[0])) {
		if ((rc = set_tmp(d, n, "URL")))
			return rc;
		set(n, "target", "_top");
	}
	return 0;
}

/* One node per selected vertex, in vertex order. */
static int add_nodes(draw *d, const igraph_vector_int_t *sel, lin_error *err)
{
	int rc = 0;
	char name[32];

	for (igraph_integer_t i = 0; i < igraph_vector_int_size(sel); i++) {
		igraph_integer_t v = VECTOR(*sel)[i];
		const lin_model *m = lin_catalog_model(d->cat, v);
		snprintf(name, sizeof(name), "n%" IGRAPH_PRId, v);
		Agnode_t *n = agnode(d->g, name, 1);
		if (!n)
			return gv_fail(err, "cannot create a node");
		d->nodes[v] = n;
		d->nnodes++;
		put_label(&d->tmp, m);
		if ((rc = set_tmp(d, n, "label")))
			break;
		put_tooltip(&d->tmp, m);
		if ((rc = set_tmp(d, n, "tooltip")) || (rc = style_node(d, n, m, v)))
			break;
	}
	if (rc)
		return lin_fail(err, rc, NULL, 0, 0, "out of memory");
	return 0;
}

/* Collects every edge between two drawn vertices whose relation is wanted:
 * each drawn vertex's out-edges, in vertex then igraph order. */
static int collect_edges(draw *d, const igraph_vector_int_t *sel, lin_error *err)
{
	int rc = 0;
	const igraph_t *gr = lin_catalog_graph(d->cat);
	igraph_vector_int_t inc;
	int inc_init = 0;

	LIN_IG(igraph_vector_int_init(&inc, 0));
	inc_init = 1;
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(sel); i++) {
		LIN_IG(igraph_incident(gr, &inc, VECTOR(*sel)[i], IGRAPH_OUT));
		for (igraph_integer_t k = 0; k < igraph_vector_int_size(&inc); k++) {
			igraph_integer_t e = VECTOR(inc)[k];
			lin_relation r = lin_catalog_edge_relation(d->cat, e);
			if (!d->nodes[IGRAPH_TO(gr, e)] || !(d->o->relations & LIN_REL_BIT(r)))
				continue;
			LIN_IG(igraph_vector_int_push_back(&d->edges, e));
		}
	}
	if (igraph_vector_int_size(&d->edges) > DRAW_MAX_EDGES)
		rc = lin_fail(err, LIN_ELIMIT, NULL, 0, 0,
		              "the drawing would have %" IGRAPH_PRId " derivations (limit %d); "
		              "pick a focus model or a smaller --depth",
		              igraph_vector_int_size(&d->edges), DRAW_MAX_EDGES);
done:
	if (inc_init)
		igraph_vector_int_destroy(&inc);
	return rc;
}

/* Edge hover text: "parent → child: relation (variant)". */
static void put_edge_tooltip(lin_buf *b, const lin_model *p, const lin_model *c,
                             const lin_parent *par, lin_relation r)
{
	put_tip(b, p->name ? p->name : p->id, NAME_MAX_CHARS);
	lin_buf_puts(b, ARROW);
	put_tip(b, c->name ? c->name : c->id, NAME_MAX_CHARS);
	lin_buf_printf(b, ": %s", lin_relation_name(r) ? lin_relation_name(r) : "?");
	if (par && par->variant) {
		lin_buf_puts(b, " (");
		put_tip(b, par->variant, NAME_MAX_CHARS);
		lin_buf_puts(b, ")");
	}
}

/* Draws the collected edges, styled by relation kind. */
static int add_edges(draw *d, lin_error *err)
{
	const igraph_t *gr = lin_catalog_graph(d->cat);
	igraph_integer_t ne = igraph_vector_int_size(&d->edges);

	for (igraph_integer_t i = 0; i < ne; i++) {
		igraph_integer_t e = VECTOR(d->edges)[i];
		igraph_integer_t from = IGRAPH_FROM(gr, e), to = IGRAPH_TO(gr, e);
		lin_relation r = lin_catalog_edge_relation(d->cat, e);
		const rel_look *look = &rel_looks[r];
		Agedge_t *ed = agedge(d->g, d->nodes[from], d->nodes[to], NULL, 1);
		if (!ed)
			return gv_fail(err, "cannot create an edge");
		d->rels |= LIN_REL_BIT(r);
		set(ed, "color", look->color);
		set(ed, "style", look->style);
		set(ed, "penwidth", look->penwidth);
		set(ed, "arrowhead", look->arrowhead);
		/* by year, same-year edges are flat: a flat edge with a `label`
		 * corrupts memory in dot 2.43 (flat_edges), so use `xlabel` there */
		if (ne <= EDGE_LABELS_MAX) {
			set(ed, d->o->by_year ? "xlabel" : "label", lin_relation_name(r));
			set(ed, "fontcolor", look->color);
		}
		if (d->o->by_year)
			set(ed, "constraint", "false");
		put_edge_tooltip(&d->tmp, lin_catalog_model(d->cat, from),
		                 lin_catalog_model(d->cat, to),
		                 lin_catalog_edge_parent(d->cat, e), r);
		if (set_tmp(d, ed, "tooltip"))
			return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The distinct release years of the drawn models, sorted; 0 last stands for
 * "undated". Returns the count. */
static size_t drawn_years(const draw *d, int *years)
{
	size_t k = 0, u = 0;
	int undated = 0;
	igraph_integer_t n = lin_catalog_count(d->cat);

	for (igraph_integer_t v = 0; v < n; v++) {
		int y = 0;
		if (!d->nodes[v])
			continue;
		y = lin_catalog_model(d->cat, v)->year;
		if (y > 0)
			years[k++] = y;
		else
			undated = 1;
	}
	qsort(years, k, sizeof(int), cmp_int);
	for (size_t i = 0; i < k; i++)
		if (u == 0 || years[u - 1] != years[i])
			years[u++] = years[i];
	if (undated)
		years[u++] = 0;
	return u;
}

/* The band of one year (0: undated): an anonymous rank=same subgraph with a
 * plaintext year node and that year's models. Anonymous because cgraph
 * orders named subgraphs by the address of their name, which would make the
 * output differ between runs. */
static Agnode_t *year_band(draw *d, int year)
{
	char name[32], label[32];
	Agraph_t *sub = agsubg(d->g, NULL, 1);
	Agnode_t *yn = NULL;

	snprintf(name, sizeof(name), "y%d", year);
	yn = sub ? agnode(sub, name, 1) : NULL;
	if (!yn)
		return NULL;
	set(sub, "rank", "same");
	snprintf(label, sizeof(label), "%d", year);
	set(yn, "label", year ? label : "undated");
	set(yn, "shape", "plaintext");
	set(yn, "style", "solid");
	set(yn, "fontsize", "14");
	set(yn, "fontcolor", "#6c757d");
	snprintf(name, sizeof(name), "year-%d", year);
	set(yn, "id", year ? name : "year-undated");
	for (igraph_integer_t v = 0; v < lin_catalog_count(d->cat); v++)
		if (d->nodes[v] && lin_catalog_model(d->cat, v)->year == year)
			agsubnode(sub, d->nodes[v], 1);
	return yn;
}

/* One rank per release year, the year nodes chained by invisible edges into
 * a labelled axis; undated models share a last band. */
static int add_year_axis(draw *d, lin_error *err)
{
	int rc = 0;
	int *years = malloc((d->nnodes + 1) * sizeof(int));
	Agnode_t *prev = NULL, *yn = NULL;
	Agedge_t *ax = NULL;
	size_t ny = 0;

	if (!years)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	ny = drawn_years(d, years);
	for (size_t i = 0; i < ny; i++, prev = yn) {
		yn = year_band(d, years[i]);
		ax = (yn && prev) ? agedge(d->g, prev, yn, NULL, 1) : NULL;
		if (!yn || (prev && !ax)) {
			rc = gv_fail(err, "cannot create the year axis");
			break;
		}
		if (ax)
			set(ax, "style", "invis");
	}
	free(years);
	return rc;
}

/* The legend as one HTML-table node: only vocabulary words and colours, so
 * nothing in it needs escaping. */
static void put_legend_html(lin_buf *b, const draw *d)
{
	lin_buf_puts(b, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" "
	                "CELLPADDING=\"2\">");
	lin_buf_puts(b, "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>stage</B></TD></TR>");
	for (int s = 0; s < LIN_STAGE_COUNT; s++)
		if (d->stages & (1u << s))
			lin_buf_printf(b, "<TR><TD BGCOLOR=\"%s\" BORDER=\"1\" COLOR=\"#4a5568\" "
			               "WIDTH=\"30\" HEIGHT=\"14\"></TD><TD ALIGN=\"LEFT\">%s</TD></TR>",
			               stage_fill[s], lin_stage_name((lin_stage)s));
	if (d->closed)
		lin_buf_puts(b, "<TR><TD><FONT COLOR=\"#4a5568\">"
		                "\xe2\x94\x85\xe2\x94\x85\xe2\x94\x85</FONT></TD>"
		                "<TD ALIGN=\"LEFT\">dashed border: closed weights</TD></TR>");
	if (d->rels)
		lin_buf_puts(b, "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>derivation</B></TD></TR>");
	for (int r = 0; r < LIN_REL_COUNT; r++)
		if (d->rels & LIN_REL_BIT(r))
			lin_buf_printf(b, "<TR><TD><FONT COLOR=\"%s\">%s</FONT></TD>"
			               "<TD ALIGN=\"LEFT\">%s</TD></TR>",
			               rel_looks[r].color, rel_looks[r].sample,
			               lin_relation_name((lin_relation)r));
	lin_buf_puts(b, "</TABLE>");
}

/* A "cluster_legend" subgraph holding one legend node. It is created before
 * the models so that the DOT text, read back, lays out the same way (the
 * legend then lands after the drawing); its table is filled in at the end. */
static int open_legend(draw *d, lin_error *err)
{
	Agraph_t *sub = agsubg(d->g, (char *)"cluster_legend", 1);
	Agnode_t *n = sub ? agnode(sub, (char *)"legend", 1) : NULL;

	if (!n)
		return gv_fail(err, "cannot create the legend");
	set(sub, "label", "legend");
	set(sub, "fontsize", "11");
	set(sub, "style", "rounded");
	set(sub, "color", "#c0c6cc");
	set(sub, "fontcolor", "#6c757d");
	set(n, "shape", "plaintext");
	set(n, "style", "solid");
	set(n, "margin", "0");
	set(n, "fontsize", "10");
	set(n, "id", "legend");
	d->legend = n;
	return 0;
}

/* Fills the legend with the stages and relations actually drawn. */
static int fill_legend(draw *d, lin_error *err)
{
	char *html = NULL;

	put_legend_html(&d->tmp, d);
	if (d->tmp.oom)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	html = agstrdup_html(d->g, d->tmp.data);
	if (!html)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	set(d->legend, "label", html);
	agstrfree(d->g, html);
	d->tmp.len = 0;
	return 0;
}

/* The caption: the caller's title, or a description of what is drawn. */
static int add_title(draw *d, lin_error *err)
{
	const lin_draw_opts *o = d->o;
	size_t ne = (size_t)igraph_vector_int_size(&d->edges);

	if (o->title) {
		put_text(&d->tmp, o->title, TEXT_MAX_CHARS);
	} else if (o->focus < 0) {
		lin_buf_printf(&d->tmp, "lineage: %zu model%s, %zu derivation%s", d->nnodes,
		               d->nnodes == 1 ? "" : "s", ne, ne == 1 ? "" : "s");
	} else {
		const lin_model *m = lin_catalog_model(d->cat, o->focus);
		int up = o->ancestors || !o->descendants, down = o->descendants || !o->ancestors;
		put_text(&d->tmp, m->name ? m->name : m->id, NAME_MAX_CHARS);
		lin_buf_puts(&d->tmp, up && down ? ": ancestors and descendants"
		                                 : up ? ": ancestors" : ": descendants");
		if (o->depth >= 0)
			lin_buf_printf(&d->tmp, " (depth %d)", o->depth);
	}
	if (d->tmp.oom)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	agattr(d->g, AGRAPH, (char *)"label", d->tmp.data);
	d->tmp.len = 0;
	return 0;
}

/* Builds the whole cgraph graph for the selection sel. */
static int build(draw *d, const igraph_vector_int_t *sel, lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = lin_catalog_count(d->cat);

	d->nodes = calloc((size_t)n + 1, sizeof(*d->nodes));
	if (!d->nodes)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if ((rc = open_graph(d, err)))
		return rc;
	if (igraph_vector_int_size(sel) > 0 && (rc = open_legend(d, err)))
		return rc;
	if ((rc = add_nodes(d, sel, err)) ||
	    (rc = collect_edges(d, sel, err)) || (rc = add_edges(d, err)))
		return rc;
	if (d->o->by_year && (rc = add_year_axis(d, err)))
		return rc;
	if (d->legend && (rc = fill_legend(d, err)))
		return rc;
	return add_title(d, err);
}

/* ---- output ---------------------------------------------------------------- */

/* The unlaid graph as DOT text, through agwrite into a memory stream. */
static int write_dot(lin_buf *out, Agraph_t *g, lin_error *err)
{
	int rc = 0;
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);

	if (!f)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	int w = agwrite(g, f);
	if (fclose(f) != 0 || w != 0 || gv_failed())
		rc = gv_fail(err, "cannot write DOT");
	else if (lin_buf_append(out, data, len) != 0)
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	free(data);
	return rc;
}

/* Lays g out with dot and renders it in format fmt ("svg", "png"). */
static int layout_render(lin_buf *out, Agraph_t *g, const char *fmt, lin_error *err)
{
	int rc = 0, laid = 0;
	GVC_t *ctx = NULL;
	char *data = NULL;
	unsigned int len = 0;

	if ((rc = gv_context(&ctx, err)))
		goto done;
	if (gvLayout(ctx, g, "dot") != 0 || gv_failed()) {
		rc = gv_fail(err, "layout failed");
		goto done;
	}
	laid = 1;
	if (gvRenderData(ctx, g, fmt, &data, &len) != 0 || gv_failed() || !data) {
		rc = gv_fail(err, "rendering failed");
		goto done;
	}
	if (lin_buf_append(out, data, len) != 0)
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
done:
	if (data)
		gvFreeRenderData(data);
	if (laid)
		gvFreeLayout(ctx, g);
	return rc;
}

int lin_render(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
               lin_format fmt, lin_error *err)
{
	int rc = 0, sel_init = 0;
	igraph_vector_int_t sel;
	draw d;
	gv_saved saved = {NULL, AGWARN};

	memset(&d, 0, sizeof(d));
	if (!out || !cat || !o || fmt < LIN_FORMAT_SVG || fmt > LIN_FORMAT_PNG)
		return lin_fail(err, LIN_EINVAL, NULL, 0, 0, "lin_render: bad argument");
	d.cat = cat;
	d.o = o;
	gv_begin(&saved);
	LIN_IG(igraph_vector_int_init(&sel, 0));
	sel_init = 1;
	LIN_IG(igraph_vector_int_init(&d.edges, 0));
	d.edges_init = 1;
	if ((rc = lin_draw_select(&sel, cat, o, err)))
		goto done;
	if (igraph_vector_int_size(&sel) > DRAW_MAX_NODES) {
		rc = lin_fail(err, LIN_ELIMIT, NULL, 0, 0,
		              "the drawing would have %" IGRAPH_PRId " models (limit %d); "
		              "pick a focus model and/or a smaller --depth",
		              igraph_vector_int_size(&sel), DRAW_MAX_NODES);
		goto done;
	}
	if ((rc = build(&d, &sel, err)))
		goto done;
	if (fmt == LIN_FORMAT_DOT)
		rc = write_dot(out, d.g, err);
	else
		rc = layout_render(out, d.g, fmt == LIN_FORMAT_SVG ? "svg" : "png", err);
done:
	if (d.g)
		agclose(d.g);
	if (sel_init)
		igraph_vector_int_destroy(&sel);
	if (d.edges_init)
		igraph_vector_int_destroy(&d.edges);
	free(d.nodes);
	lin_buf_dispose(&d.tmp);
	gv_end(&saved);
	return rc;
}
