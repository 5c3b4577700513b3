/*
 * render.c - draws a plan (plan.c) with Graphviz (cgraph + gvc): DOT for
 * diffs, SVG for browsers, PNG for everything else; Mermaid goes to
 * mermaid.c. The graph is built through the cgraph API, never by pasting DOT
 * text: node names are "n<vertex>", and user text is escaped here because
 * Graphviz decodes \N-style escapes and entities in labels and writes URL
 * attributes verbatim into SVG, so links are checked (http/https only) and
 * percent-encoded by hand (lin_put_url).
 */
#include "draw.h"

#include <gvc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Layout time grows fast with size (NOTES.md): bound what reaches `dot`. The
 * node count is bounded by the plan (LIN_DRAW_MAX_NODES_LIMIT). */
#define DRAW_MAX_EDGES 20000
/* Longest name shown in a box, and longest other text, in code points. */
#define NAME_MAX_CHARS 80
#define TEXT_MAX_CHARS 200
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
	if (strcmp(s, "mermaid") == 0 || strcmp(s, "mmd") == 0)
		return LIN_FORMAT_MERMAID;
	return -1;
}

/* ---- text for Graphviz ------------------------------------------------------ */

static size_t utf8_count(const unsigned char *p)
{
	size_t k = 0;
	unsigned long cp = 0;
	while (*p) {
		size_t n = lin_utf8_next(p, &cp);
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
		size_t n = lin_utf8_next(p, &cp);
		if (k == keep) {
			lin_buf_puts(b, "\xe2\x80\xa6");
			return;
		}
		if (n && lin_cp_hidden(cp)) {
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

const char *lin_stage_fill(int stage)
{
	return (stage >= 0 && stage < LIN_STAGE_COUNT) ? stage_fill[stage] : "#ffffff";
}

const char *lin_relation_color(lin_relation r)
{
	return ((int)r >= 0 && r < LIN_REL_COUNT) ? rel_looks[r].color : "#6c757d";
}

#define SEP_DOT " \xc2\xb7 " /* " · " */
#define ARROW " \xe2\x86\x92 " /* " → " */

/* ---- building the graph ----------------------------------------------------- */

/* The state of one drawing. nodes[v] is vertex v's node, NULL when not drawn. */
typedef struct draw {
	const lin_catalog *cat;
	const lin_draw_opts *o;
	const lin_plan *p;
	Agraph_t *g;
	Agnode_t **nodes;
	Agnode_t **mores;  /* the summary nodes, parallel to p->mores */
	Agraph_t **home;   /* per vertex: its group's cluster, NULL when none */
	Agnode_t *legend;  /* NULL when nothing is drawn */
	lin_group group;
	unsigned stages;   /* bit per stage present */
	lin_relmask rels;  /* relations present */
	int closed;        /* some drawn model has closed weights */
	int external;      /* some drawn model is known only by name */
	lin_buf tmp;       /* scratch for attribute values */
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

/* cgraph's default discipline gives a named object its interned name's
 * address as id and keeps subgraphs in id order, so the order of clusters
 * (and the layout) would depend on the heap. This one numbers names in
 * creation order (even ids; anonymous objects get odd ones) in a small
 * open-addressing table, freed when the graph is closed. */
typedef struct seq_ids {
	Agraph_t *g;   /* the root graph: names are its refstrs (agstrdup), as
	                  cgraph expects (aghtmlstr reads their header) */
	char **names;  /* names[k] has id 2 * (k + 1) */
	size_t n, cap;
	size_t *slot;  /* hash slots: index + 1 into names, 0 when empty */
	size_t nslot;  /* a power of two, at least 2 * cap */
	IDTYPE anon;   /* the next anonymous id (odd) */
} seq_ids;

static size_t seq_hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void *seq_open(Agraph_t *g, Agdisc_t *disc)
{
	seq_ids *t = calloc(1, sizeof(*t));
	(void)disc;
	if (t) {
		t->anon = 1;
		t->g = g;
	}
	return t;
}

/* Makes room for one more name; 0 or -1 when out of memory. */
static int seq_grow(seq_ids *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64, nslot = cap * 2;
	char **names = realloc(t->names, cap * sizeof(*names));
	size_t *slot = NULL;
	if (!names)
		return -1;
	t->names = names;
	slot = calloc(nslot, sizeof(*slot));
	if (!slot)
		return -1;
	for (size_t k = 0; k < t->n; k++) {
		size_t h = seq_hash(t->names[k]) & (nslot - 1);
		while (slot[h])
			h = (h + 1) & (nslot - 1);
		slot[h] = k + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	t->cap = cap;
	return 0;
}

static long seq_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
	seq_ids *t = state;
	size_t h = 0;
	(void)objtype;
	if (!t)
		return 0;
	if (!str) {
		*id = t->anon;
		t->anon += 2;
		return 1;
	}
	if (t->nslot) {
		for (h = seq_hash(str) & (t->nslot - 1); t->slot[h]; h = (h + 1) & (t->nslot - 1))
			if (strcmp(t->names[t->slot[h] - 1], str) == 0) {
				*id = 2 * (IDTYPE)t->slot[h];
				return 1;
			}
	}
	if (!createflag)
		return 0;
	if (t->n == t->cap && seq_grow(t) != 0)
		return 0;
	char *copy = agstrdup(t->g, str);
	if (!copy)
		return 0;
	for (h = seq_hash(str) & (t->nslot - 1); t->slot[h]; h = (h + 1) & (t->nslot - 1))
		;
	t->names[t->n++] = copy;
	t->slot[h] = t->n;
	*id = 2 * (IDTYPE)t->n;
	return 1;
}

static long seq_alloc(void *state, int objtype, IDTYPE request)
{
	(void)state;
	(void)objtype;
	(void)request;
	return 0; /* callers may not choose ids */
}

static void seq_free(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id; /* names live until the graph is closed */
}

static char *seq_print(void *state, int objtype, IDTYPE id)
{
	seq_ids *t = state;
	(void)objtype;
	if (!t || id % 2 != 0 || id == 0 || id / 2 > t->n)
		return NULL;
	return t->names[id / 2 - 1];
}

static void seq_close(void *state)
{
	seq_ids *t = state;
	if (!t)
		return;
	/* the names are refstrs of the graph: agclose frees them with its
	 * string table, after this */
	free(t->names);
	free(t->slot);
	free(t);
}

static void seq_register(void *state, int objtype, void *obj)
{
	(void)state;
	(void)objtype;
	(void)obj;
}

static Agiddisc_t seq_iddisc = {seq_open, seq_map, seq_alloc, seq_free,
                                seq_print, seq_close, seq_register};
static Agdisc_t seq_disc;

/* The graph with its look: direction, fonts, node and edge defaults. */
static int open_graph(draw *d, lin_error *err)
{
	Agraph_t *g = NULL;

	seq_disc.mem = &AgMemDisc;
	seq_disc.id = &seq_iddisc;
	seq_disc.io = &AgIoDisc;
	g = agopen((char *)"lineage", Agdirected, &seq_disc);
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
	declare(g, AGRAPH, "nodesep", d->o->by_year ? "0.18" : "0.25");
	declare(g, AGRAPH, "ranksep", d->o->by_year ? "0.9" : "0.55");
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
 * gets "-<vertex>" so ids in the SVG stay unique. Compares without copying,
 * over the drawn models before v (at most the plan's budget). */
static int dom_id_taken(const draw *d, const lin_model *m, igraph_integer_t v)
{
	const char *mine = m->id ? m->id : "";
	const igraph_vector_int_t *verts = &d->p->verts;
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(verts); i++) {
		igraph_integer_t u = VECTOR(*verts)[i];
		const char *a = mine, *b = NULL;
		if (u >= v)
			break;
		b = lin_catalog_model(d->cat, u)->id;
		for (b = b ? b : ""; *a && *b && dom_char(*a) == dom_char(*b); a++, b++)
			;
		if (!*a && !*b)
			return 1;
	}
	return 0;
}

/* Box label: the name, then "params · year" (or "external") below; on a
 * time axis the full release date instead of the year. */
static void put_label(lin_buf *b, const lin_model *m, int by_year)
{
	lin_buf line = LIN_BUF_INIT;
	put_text(b, m->name ? m->name : m->id, NAME_MAX_CHARS);
	if (m->external)
		lin_buf_puts(&line, "external");
	for (size_t i = 0; i < m->params.n && !m->external; i++) {
		if (i)
			lin_buf_puts(&line, SEP_DOT);
		lin_buf_puts(&line, m->params.items[i] ? m->params.items[i] : "");
	}
	if (by_year && m->released && m->released[0]) {
		lin_buf_puts(&line, line.len ? SEP_DOT : "");
		lin_buf_puts(&line, m->released);
	} else if (m->year > 0) {
		lin_buf_printf(&line, "%s%d", line.len ? SEP_DOT : "", m->year);
	}
	if (line.len) {
		lin_buf_puts(b, "\\n");
		put_text(b, line.data, NAME_MAX_CHARS);
	}
	if (line.oom)
		b->oom = 1;
	lin_buf_dispose(&line);
}

/* Hover text: name and org, release date, parameters, licence, weights. */
static void put_tooltip(lin_buf *b, const lin_model *m)
{
	put_tip(b, m->name ? m->name : m->id, TEXT_MAX_CHARS);
	if (m->org) {
		lin_buf_puts(b, " \xe2\x80\x94 ");
		put_tip(b, m->org, TEXT_MAX_CHARS);
	}
	if (m->external)
		lin_buf_puts(b, "\\nexternal: known only as a parent named by another model");
	if (m->released) {
		lin_buf_puts(b, "\\nreleased ");
		put_tip(b, m->released, TEXT_MAX_CHARS);
	}
	for (size_t i = 0; i < m->params.n; i++) {
		lin_buf_puts(b, i ? ", " : "\\nparameters ");
		put_tip(b, m->params.items[i], TEXT_MAX_CHARS);
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

/* The class list of a model's node: "stage-sft model weights-open
 * org-meta-ai rel-finetune rel-distill [external]", for a page's CSS (the
 * stage first, as before the other classes existed). */
static void put_classes(lin_buf *b, const lin_model *m)
{
	unsigned seen = 0;
	lin_buf_printf(b, "stage-%s model", lin_stage_name(m->stage) ? lin_stage_name(m->stage)
	                                                          : "unknown");
	if (m->weights == LIN_WEIGHTS_OPEN || m->weights == LIN_WEIGHTS_CLOSED)
		lin_buf_printf(b, " weights-%s", lin_weights_name(m->weights));
	if (m->org && m->org[0]) {
		size_t at = b->len;
		lin_buf_puts(b, " org-");
		lin_put_slug(b, m->org, 40);
		if (b->len == at + 5 && b->data) /* nothing ASCII in the name */
			b->data[b->len = at] = '\0';
	}
	for (size_t i = 0; i < m->nparents; i++) {
		lin_relation r = m->parents[i].relation;
		if ((int)r < 0 || r >= LIN_REL_COUNT || (seen & (1u << r)))
			continue;
		seen |= 1u << r;
		lin_buf_printf(b, " rel-%s", lin_relation_name(r));
	}
	if (m->external)
		lin_buf_puts(b, " external");
}

/* Fill, border, classes and link of the node for model m. */
static int style_node(draw *d, Agnode_t *n, const lin_model *m, igraph_integer_t v)
{
	int rc = 0;
	int st = (m->stage >= 0 && m->stage < LIN_STAGE_COUNT) ? (int)m->stage : -1;

	set(n, "fillcolor", lin_stage_fill(st));
	if (m->external) {
		set(n, "style", "rounded,filled,dotted");
		set(n, "color", "#868e96");
		set(n, "fontcolor", "#495057");
		set(n, "penwidth", "1.6");
		d->external = 1;
	} else if (m->weights == LIN_WEIGHTS_CLOSED) {
		set(n, "style", "rounded,filled,dashed");
		set(n, "penwidth", "1.8");
		d->closed = 1;
	}
	if (st >= 0 && !m->external)
		d->stages |= 1u << st;
	put_classes(&d->tmp, m);
	if ((rc = set_tmp(d, n, "class")))
		return rc;
	put_dom_id(&d->tmp, m->id);
	if (dom_id_taken(d, m, v))
		lin_buf_printf(&d->tmp, "-%" IGRAPH_PRId, v);
	if ((rc = set_tmp(d, n, "id")))
		return rc;
	if (m->links.n && lin_put_url(&d->tmp, m->links.items[0])) {
		if ((rc = set_tmp(d, n, "URL")))
			return rc;
		set(n, "target", "_top");
	}
	return 0;
}

/* The graph a node goes into: its group's cluster, else the root graph. */
static Agraph_t *home_of(const draw *d, igraph_integer_t v)
{
	return (d->home && d->home[v]) ? d->home[v] : d->g;
}

/* One node per drawn model, in vertex order. */
static int add_nodes(draw *d, lin_error *err)
{
	int rc = 0;
	char name[32];
	const igraph_vector_int_t *verts = &d->p->verts;

	for (igraph_integer_t i = 0; i < igraph_vector_int_size(verts); i++) {
		igraph_integer_t v = VECTOR(*verts)[i];
		const lin_model *m = lin_catalog_model(d->cat, v);
		snprintf(name, sizeof(name), "n%" IGRAPH_PRId, v);
		Agnode_t *n = agnode(home_of(d, v), name, 1);
		if (!n)
			return gv_fail(err, "cannot create a node");
		d->nodes[v] = n;
		put_label(&d->tmp, m, d->o->by_year);
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

/* Leaves of a wide fan get minlen 1, 2, 3, 1, ... (what Graphviz's
 * `unflatten -l` does) so that 25 fine-tunes do not make one tall column.
 * Only edges into a leaf with a single drawn parent count; 0 elsewhere. */
#define STAGGER_MIN_LEAVES 6

static int stagger_plan(const draw *d, int *minlen)
{
	const igraph_t *gr = lin_catalog_graph(d->cat);
	const igraph_vector_int_t *ed = &d->p->edges;
	igraph_integer_t ne = igraph_vector_int_size(ed), n = lin_catalog_count(d->cat);
	int *outd = NULL, *ind = NULL, rc = 0;

	memset(minlen, 0, (size_t)ne * sizeof(*minlen));
	if (d->o->by_year || d->o->stagger < 2)
		return 0;
	outd = calloc((size_t)n, sizeof(*outd));
	ind = calloc((size_t)n, sizeof(*ind));
	if (!outd || !ind) {
		rc = LIN_ENOMEM;
		goto done;
	}
	for (igraph_integer_t k = 0; k < ne; k++) {
		outd[IGRAPH_FROM(gr, VECTOR(*ed)[k])]++;
		ind[IGRAPH_TO(gr, VECTOR(*ed)[k])]++;
	}
	for (size_t i = 0; i < d->p->nmores; i++)
		if (d->p->mores[i].anchor >= 0 && !d->p->mores[i].up)
			outd[d->p->mores[i].anchor]++;
	/* edges are grouped by source: count each source's leaf edges */
	for (igraph_integer_t k = 0; k < ne;) {
		igraph_integer_t from = IGRAPH_FROM(gr, VECTOR(*ed)[k]), end = k, leaves = 0;
		while (end < ne && IGRAPH_FROM(gr, VECTOR(*ed)[end]) == from)
			end++;
		for (igraph_integer_t j = k; j < end; j++) {
			igraph_integer_t to = IGRAPH_TO(gr, VECTOR(*ed)[j]);
			leaves += outd[to] == 0 && ind[to] == 1;
		}
		for (igraph_integer_t j = k, i = 0; j < end && leaves >= STAGGER_MIN_LEAVES; j++) {
			igraph_integer_t to = IGRAPH_TO(gr, VECTOR(*ed)[j]);
			if (outd[to] == 0 && ind[to] == 1)
				minlen[j] = 1 + (int)(i++ % d->o->stagger);
		}
		k = end;
	}
done:
	free(outd);
	free(ind);
	return rc;
}

/* Draws the plan's edges, styled by relation kind. */
static int add_edges(draw *d, lin_error *err)
{
	const igraph_t *gr = lin_catalog_graph(d->cat);
	igraph_integer_t ne = igraph_vector_int_size(&d->p->edges);
	int *minlen = malloc(((size_t)ne + 1) * sizeof(*minlen));
	int rc = 0;
	char num[16];

	if (!minlen || stagger_plan(d, minlen)) {
		free(minlen);
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (igraph_integer_t i = 0; i < ne && !rc; i++) {
		igraph_integer_t e = VECTOR(d->p->edges)[i];
		igraph_integer_t from = IGRAPH_FROM(gr, e), to = IGRAPH_TO(gr, e);
		lin_relation r = lin_catalog_edge_relation(d->cat, e);
		const rel_look *look = &rel_looks[r];
		Agedge_t *ed = agedge(d->g, d->nodes[from], d->nodes[to], NULL, 1);
		if (!ed) {
			rc = gv_fail(err, "cannot create an edge");
			break;
		}
		d->rels |= LIN_REL_BIT(r);
		set(ed, "color", look->color);
		set(ed, "style", look->style);
		set(ed, "penwidth", look->penwidth);
		set(ed, "arrowhead", look->arrowhead);
		lin_buf_printf(&d->tmp, "edge rel-%s", lin_relation_name(r));
		rc = set_tmp(d, ed, "class");
		/* by year, same-year edges are flat: a flat edge with a `label`
		 * corrupts memory in dot 2.43 (flat_edges), so use `xlabel` there */
		if (ne <= EDGE_LABELS_MAX) {
			set(ed, d->o->by_year ? "xlabel" : "label", lin_relation_name(r));
			set(ed, "fontcolor", look->color);
		}
		if (d->o->by_year)
			set(ed, "constraint", "false");
		if (minlen[i] > 1) {
			snprintf(num, sizeof(num), "%d", minlen[i]);
			set(ed, "minlen", num);
		}
		put_edge_tooltip(&d->tmp, lin_catalog_model(d->cat, from),
		                 lin_catalog_model(d->cat, to),
		                 lin_catalog_edge_parent(d->cat, e), r);
		if (!rc && set_tmp(d, ed, "tooltip"))
			rc = LIN_ENOMEM;
		if (rc == LIN_ENOMEM)
			rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	free(minlen);
	return rc;
}

/* One "+N" node per summary of the plan, joined to the model it hangs
 * from; in a time drawing that edge alone places it (a rank beside). */
static int add_mores(draw *d, lin_error *err)
{
	char name[32];

	for (size_t i = 0; i < d->p->nmores; i++) {
		const lin_more *m = &d->p->mores[i];
		Agraph_t *home = m->anchor >= 0 ? home_of(d, m->anchor) : d->g;
		Agnode_t *n = NULL;
		Agedge_t *ed = NULL;
		snprintf(name, sizeof(name), "more%zu", i);
		n = agnode(home, name, 1);
		if (!n)
			return gv_fail(err, "cannot create a summary node");
		d->mores[i] = n;
		lin_more_label(&d->tmp, m, "\\n");
		set_tmp(d, n, "label");
		set(n, "shape", "folder");
		set(n, "style", "filled");
		set(n, "fillcolor", "#f1f3f5");
		set(n, "color", "#868e96");
		set(n, "fontcolor", "#343a40");
		set(n, "class", "more");
		snprintf(name, sizeof(name), "more-%zu", i);
		set(n, "id", name);
		lin_put_count(&d->tmp, m->total);
		lin_buf_printf(&d->tmp, " model%s not drawn (over the drawing's budget of %d)",
		               m->total == 1 ? "" : "s", d->p->cap);
		if (set_tmp(d, n, "tooltip"))
			return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		if (m->anchor < 0)
			continue;
		ed = m->up ? agedge(d->g, n, d->nodes[m->anchor], NULL, 1)
		           : agedge(d->g, d->nodes[m->anchor], n, NULL, 1);
		if (!ed)
			return gv_fail(err, "cannot create an edge");
		set(ed, "color", "#adb5bd");
		set(ed, "style", "solid");
		set(ed, "penwidth", "1.2");
		set(ed, "class", "edge more");
	}
	return 0;
}

/* ---- groups (clusters) --------------------------------------------------------- */

typedef struct member {
	igraph_integer_t key; /* family root, or the vertex with the first org */
	const char *org;
	igraph_integer_t v;
} member;

static lin_group group_of(const lin_draw_opts *o)
{
	if (o->group == LIN_GROUP_AUTO)
		return o->by_year ? LIN_GROUP_FAMILY : LIN_GROUP_NONE;
	return o->group;
}

static int cmp_member(const void *a, const void *b)
{
	const member *x = a, *y = b;
	int c = 0;
	if (x->org || y->org)
		c = strcmp(x->org ? x->org : "", y->org ? y->org : "");
	else
		c = (x->key > y->key) - (x->key < y->key);
	return c ? c : (x->v > y->v) - (x->v < y->v);
}

typedef struct run {
	size_t start, len;
	igraph_integer_t first;
} run;

static int cmp_run(const void *a, const void *b)
{
	const run *x = a, *y = b;
	return (x->first > y->first) - (x->first < y->first);
}

/* One cluster per base family (or organisation) with two or more drawn
 * models, created in the order of their first model; the nodes go into
 * them when created (home). */
static int add_groups(draw *d, lin_error *err)
{
	const igraph_vector_int_t *verts = &d->p->verts;
	size_t nv = (size_t)igraph_vector_int_size(verts), nruns = 0;
	member *ms = NULL;
	run *runs = NULL;
	char name[48];
	int rc = 0;

	if (d->group != LIN_GROUP_FAMILY && d->group != LIN_GROUP_ORG)
		return 0;
	ms = calloc(nv + 1, sizeof(*ms));
	runs = calloc(nv + 1, sizeof(*runs));
	d->home = calloc((size_t)lin_catalog_count(d->cat) + 1, sizeof(*d->home));
	if (!ms || !runs || !d->home) {
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nv; i++) {
		igraph_integer_t v = VECTOR(*verts)[i];
		const lin_model *m = lin_catalog_model(d->cat, v);
		ms[i].v = v;
		if (d->group == LIN_GROUP_ORG)
			ms[i].org = (m->org && m->org[0]) ? m->org : NULL;
		else
			ms[i].key = lin_family_root(d->cat, v);
	}
	qsort(ms, nv, sizeof(*ms), cmp_member);
	for (size_t i = 0; i < nv;) {
		size_t j = i;
		while (j < nv && (d->group == LIN_GROUP_ORG
		                      ? (ms[i].org && ms[j].org && strcmp(ms[i].org, ms[j].org) == 0)
		                      : ms[j].key == ms[i].key))
			j++;
		if (j == i)
			j = i + 1; /* no organisation: never grouped */
		else if (j - i >= 2)
			runs[nruns++] = (run){i, j - i, ms[i].v};
		i = j;
	}
	qsort(runs, nruns, sizeof(*runs), cmp_run);
	for (size_t r = 0; r < nruns; r++) {
		const member *first = &ms[runs[r].start];
		Agraph_t *sub = NULL;
		snprintf(name, sizeof(name), "cluster_group%zu", r);
		sub = agsubg(d->g, name, 1);
		if (!sub) {
			rc = gv_fail(err, "cannot create a group");
			goto done;
		}
		if (d->group == LIN_GROUP_ORG) {
			put_text(&d->tmp, first->org, NAME_MAX_CHARS);
		} else {
			const lin_model *root = lin_catalog_model(d->cat, first->key);
			put_text(&d->tmp, root->name ? root->name : root->id, NAME_MAX_CHARS);
			lin_buf_puts(&d->tmp, " family");
		}
		set_tmp(d, sub, "label");
		lin_buf_puts(&d->tmp, d->group == LIN_GROUP_ORG ? "group-org-" : "group-family-");
		if (d->group == LIN_GROUP_ORG)
			lin_put_slug(&d->tmp, first->org, 40);
		else
			lin_put_slug(&d->tmp, lin_catalog_model(d->cat, first->key)->id, 40);
		lin_buf_printf(&d->tmp, "-%zu", r);
		if (set_tmp(d, sub, "id")) {
			rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		set(sub, "class", "group");
		set(sub, "style", "rounded,filled");
		set(sub, "fillcolor", "#f8f9fa");
		set(sub, "color", "#ced4da");
		set(sub, "fontcolor", "#495057");
		set(sub, "fontsize", "12");
		set(sub, "labeljust", "l");
		for (size_t k = 0; k < runs[r].len; k++)
			d->home[first[k].v] = sub;
	}
done:
	free(ms);
	free(runs);
	return rc;
}

/* ---- the time axis ---------------------------------------------------------------- */

/* Years with more dated models than this get a rank per quarter (auto). */
#define QUARTER_MIN_MODELS 30

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The time slot of a model: year * 10 + quarter (1-4), year * 10 for a year
 * not split (or a date without a month in a split year), 0 when undated. */
static int slot_key(const lin_model *m, const int *split, size_t nsplit)
{
	if (m->year <= 0)
		return 0;
	if (!bsearch(&m->year, split, nsplit, sizeof(int), cmp_int))
		return m->year * 10;
	return m->year * 10 + (m->month > 0 ? (m->month - 1) / 3 + 1 : 0);
}

/* The years split into quarters: all (quarters == 1), none (0), or those
 * with more than QUARTER_MIN_MODELS drawn models (-1). Sorted, distinct. */
static size_t split_years(const draw *d, int *years)
{
	const igraph_vector_int_t *verts = &d->p->verts;
	size_t k = 0, u = 0;

	if (d->o->quarters == 0)
		return 0;
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(verts); i++) {
		int y = lin_catalog_model(d->cat, VECTOR(*verts)[i])->year;
		if (y > 0)
			years[k++] = y;
	}
	qsort(years, k, sizeof(int), cmp_int);
	for (size_t i = 0; i < k;) {
		size_t j = i;
		while (j < k && years[j] == years[i])
			j++;
		if (d->o->quarters > 0 || j - i > QUARTER_MIN_MODELS)
			years[u++] = years[i];
		i = j;
	}
	return u;
}

/* The band of one slot: an anonymous rank=same subgraph with the axis
 * label and that slot's models. */
static Agnode_t *slot_band(draw *d, int key, int split, const int *keys)
{
	char name[32], label[40];
	Agraph_t *sub = agsubg(d->g, NULL, 1);
	Agnode_t *yn = NULL;
	const igraph_vector_int_t *verts = &d->p->verts;
	int year = key / 10, q = key % 10;

	snprintf(name, sizeof(name), "t%d", key);
	yn = sub ? agnode(sub, name, 1) : NULL;
	if (!yn)
		return NULL;
	set(sub, "rank", "same");
	if (key == 0)
		snprintf(label, sizeof(label), "undated");
	else if (!split)
		snprintf(label, sizeof(label), "%d", year);
	else if (q == 0)
		snprintf(label, sizeof(label), "%d (no month)", year);
	else
		snprintf(label, sizeof(label), "%d Q%d", year, q);
	set(yn, "label", label);
	set(yn, "shape", "box");
	set(yn, "style", key ? "rounded,filled" : "rounded,filled,dashed");
	set(yn, "fillcolor", key ? "#343a40" : "#ffffff");
	set(yn, "color", key ? "#343a40" : "#868e96");
	set(yn, "fontcolor", key ? "#ffffff" : "#495057");
	set(yn, "fontsize", "14");
	set(yn, "class", key ? "axis" : "axis undated");
	if (key == 0)
		snprintf(name, sizeof(name), "time-undated");
	else if (q == 0)
		snprintf(name, sizeof(name), split ? "time-%d-no-month" : "time-%d", year);
	else
		snprintf(name, sizeof(name), "time-%d-q%d", year, q);
	set(yn, "id", name);
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(verts); i++)
		if (keys[i] == key)
			agsubnode(sub, d->nodes[VECTOR(*verts)[i]], 1);
	return yn;
}

/* One rank per release year or quarter, their labels chained into a time
 * axis along the top; undated models share a last, dashed band. */
static int add_time_axis(draw *d, lin_error *err)
{
	const igraph_vector_int_t *verts = &d->p->verts;
	size_t nv = (size_t)igraph_vector_int_size(verts), nsplit = 0, nk = 0;
	int *split = malloc((nv + 1) * sizeof(int));
	int *keys = malloc((nv + 1) * sizeof(int));
	int *sorted = malloc((nv + 1) * sizeof(int));
	Agnode_t *prev = NULL;
	int rc = 0, undated = 0;

	if (!split || !keys || !sorted) {
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	nsplit = split_years(d, split);
	for (size_t i = 0; i < nv; i++) {
		keys[i] = slot_key(lin_catalog_model(d->cat, VECTOR(*verts)[i]), split, nsplit);
		if (keys[i] > 0)
			sorted[nk++] = keys[i];
		else
			undated = 1;
	}
	qsort(sorted, nk, sizeof(int), cmp_int);
	if (undated)
		sorted[nk++] = 0;
	for (size_t i = 0; i < nk; i++) {
		Agnode_t *yn = NULL;
		Agedge_t *ax = NULL;
		int year = sorted[i] / 10;
		if (i > 0 && sorted[i] == sorted[i - 1])
			continue;
		yn = slot_band(d, sorted[i], bsearch(&year, split, nsplit, sizeof(int), cmp_int) != NULL,
		               keys);
		ax = (yn && prev) ? agedge(d->g, prev, yn, NULL, 1) : NULL;
		if (!yn || (prev && !ax)) {
			rc = gv_fail(err, "cannot create the time axis");
			goto done;
		}
		if (ax) {
			set(ax, "style", sorted[i] ? "solid" : "invis");
			set(ax, "color", "#adb5bd");
			set(ax, "penwidth", "2");
			set(ax, "arrowhead", "none");
			set(ax, "class", "axis");
		}
		prev = yn;
	}
done:
	free(split);
	free(keys);
	free(sorted);
	return rc;
}

/* ---- legend and caption ------------------------------------------------------------- */

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
	if (d->external)
		lin_buf_puts(b, "<TR><TD><FONT COLOR=\"#868e96\">"
		                "\xe2\x94\x88\xe2\x94\x88\xe2\x94\x88</FONT></TD>"
		                "<TD ALIGN=\"LEFT\">dotted, white: external (known only by name)</TD></TR>");
	if (d->p->nmores)
		lin_buf_puts(b, "<TR><TD BGCOLOR=\"#f1f3f5\" BORDER=\"1\" COLOR=\"#868e96\">+N</TD>"
		                "<TD ALIGN=\"LEFT\">models not drawn, by relation</TD></TR>");
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

/* The caption: the caller's title, or a description of what is drawn, and
 * on a second line what collapsing or reduction left out. */
static int add_title(draw *d, lin_error *err)
{
	lin_buf raw = LIN_BUF_INIT;
	int rc = 0;

	lin_draw_title(&raw, d->cat, d->o, d->p);
	put_text(&d->tmp, raw.data ? raw.data : "", TEXT_MAX_CHARS);
	raw.len = 0;
	lin_plan_note(&raw, d->p);
	if (raw.len) {
		lin_buf_puts(&d->tmp, "\\n");
		put_text(&d->tmp, raw.data, 2 * TEXT_MAX_CHARS);
	}
	if (d->tmp.oom || raw.oom)
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	else
		agattr(d->g, AGRAPH, (char *)"label", d->tmp.data);
	d->tmp.len = 0;
	lin_buf_dispose(&raw);
	return rc;
}

/* Builds the whole cgraph graph for the plan. */
static int build(draw *d, lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = lin_catalog_count(d->cat);

	d->group = group_of(d->o);
	d->nodes = calloc((size_t)n + 1, sizeof(*d->nodes));
	d->mores = calloc(d->p->nmores + 1, sizeof(*d->mores));
	if (!d->nodes || !d->mores)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if (igraph_vector_int_size(&d->p->edges) > DRAW_MAX_EDGES)
		return lin_fail(err, LIN_ELIMIT, NULL, 0, 0,
		                "the drawing would have %" IGRAPH_PRId " derivations (limit %d); "
		                "pick a focus model, a smaller --depth or --max-nodes",
		                igraph_vector_int_size(&d->p->edges), DRAW_MAX_EDGES);
	if ((rc = open_graph(d, err)))
		return rc;
	if (igraph_vector_int_size(&d->p->verts) > 0 && (rc = open_legend(d, err)))
		return rc;
	if ((rc = add_groups(d, err)) || (rc = add_nodes(d, err)) ||
	    (rc = add_edges(d, err)) || (rc = add_mores(d, err)))
		return rc;
	if (d->o->by_year && (rc = add_time_axis(d, err)))
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

/* Mermaid: the plan as text, collapsed further until it is within
 * Mermaid's default limits, with a note when that was needed. */
static int render_mermaid(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
                          lin_error *err)
{
	int rc = 0, cap = o->max_nodes, shrunk = 0;
	lin_plan p;
	lin_buf text = LIN_BUF_INIT;

	memset(&p, 0, sizeof(p));
	for (;;) {
		if ((rc = lin_plan_make(&p, cat, o, cap, err)))
			break;
		text.len = 0;
		rc = lin_mermaid_write(&text, cat, o, &p,
		                       shrunk ? "collapsed to fit Mermaid's limits of 500 edges "
		                                "and 50,000 characters" : NULL, err);
		if (rc)
			break;
		igraph_integer_t ne = igraph_vector_int_size(&p.edges) + (igraph_integer_t)p.nmores;
		if (ne <= LIN_MERMAID_MAX_EDGES && text.len <= LIN_MERMAID_MAX_CHARS)
			break;
		igraph_integer_t shown = igraph_vector_int_size(&p.verts) + (igraph_integer_t)p.nmores;
		if (shown <= 3) {
			rc = lin_fail(err, LIN_ELIMIT, NULL, 0, 0,
			              "the diagram does not fit Mermaid's limits even collapsed");
			break;
		}
		cap = (int)(shown * 2 / 3);
		shrunk = 1;
		lin_plan_dispose(&p);
	}
	if (!rc && lin_buf_append(out, text.data ? text.data : "", text.len))
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	lin_plan_dispose(&p);
	lin_buf_dispose(&text);
	return rc;
}

int lin_render(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
               lin_format fmt, lin_error *err)
{
	int rc = 0;
	lin_plan plan;
	draw d;
	gv_saved saved = {NULL, AGWARN};

	memset(&d, 0, sizeof(d));
	memset(&plan, 0, sizeof(plan));
	if (!out || !cat || !o || fmt < LIN_FORMAT_SVG || fmt > LIN_FORMAT_MERMAID)
		return lin_fail(err, LIN_EINVAL, NULL, 0, 0, "lin_render: bad argument");
	if (!lin_catalog_graph(cat))
		return lin_fail(err, LIN_EINVAL, NULL, 0, 0, "catalog not finished");
	if (fmt == LIN_FORMAT_MERMAID)
		return render_mermaid(out, cat, o, err);
	d.cat = cat;
	d.o = o;
	d.p = &plan;
	gv_begin(&saved);
	if ((rc = lin_plan_make(&plan, cat, o, o->max_nodes, err)))
		goto done;
	if ((rc = build(&d, err)))
		goto done;
	if (fmt == LIN_FORMAT_DOT)
		rc = write_dot(out, d.g, err);
	else
		rc = layout_render(out, d.g, fmt == LIN_FORMAT_SVG ? "svg" : "png", err);
done:
	if (d.g)
		agclose(d.g);
	lin_plan_dispose(&plan);
	free(d.nodes);
	free(d.mores);
	free(d.home);
	lin_buf_dispose(&d.tmp);
	gv_end(&saved);
	return rc;
}
