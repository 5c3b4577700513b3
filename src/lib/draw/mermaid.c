/*
 * mermaid.c - writes a drawing plan as a Mermaid flowchart, the diagram
 * GitHub renders from a ```mermaid block. Mermaid is a text format with
 * pitfalls of its own: node ids must avoid keywords (`end` ends a
 * subgraph) and punctuation (`/` in "org/name"), labels are quoted with
 * entity codes for anything that could end them, and the default limits
 * (500 edges, 50,000 characters) are kept by the caller (render.c).
 */
#include "draw.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_MAX_CHARS 80

/* Words Mermaid's flowchart grammar reads as keywords. */
static const char *const keywords[] = {
	"end", "graph", "flowchart", "subgraph", "style", "class", "classdef", "click",
	"linkstyle", "direction", "call", "href", "default", "interpolate", NULL,
};

static int is_keyword(const char *s, size_t n)
{
	for (size_t i = 0; keywords[i]; i++) {
		size_t k = strlen(keywords[i]), j = 0;
		if (k != n)
			continue;
		for (j = 0; j < n; j++) {
			char c = (s[j] >= 'A' && s[j] <= 'Z') ? (char)(s[j] - 'A' + 'a') : s[j];
			if (c != keywords[i][j])
				break;
		}
		if (j == n)
			return 1;
	}
	return 0;
}

/* A node id from a catalog id: [A-Za-z0-9_] only (anything else becomes
 * '_'), and "m_" in front of a keyword, a leading digit, an empty id, or
 * something that looks like our summary or legend ids ("more_", "legend"). */
static void put_raw_id(lin_buf *b, const char *id)
{
	size_t start = b->len, n = 0;
	const char *s = id ? id : "";
	lin_buf_puts(b, "m_");
	for (; *s; s++, n++) {
		char c = *s;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		         (c >= '0' && c <= '9') || c == '_';
		lin_buf_append(b, ok ? &c : "_", 1);
	}
	if (b->oom || !b->data)
		return;
	const char *body = b->data + start + 2;
	int keep_prefix = n == 0 || (body[0] >= '0' && body[0] <= '9') ||
	                  is_keyword(body, n) || strncmp(body, "more_", 5) == 0 ||
	                  strncmp(body, "legend", 6) == 0 ||
	                  strncmp(body, "m_", 2) == 0;
	if (!keep_prefix) {
		memmove(b->data + start, body, n + 1);
		b->len -= 2;
	}
}

/* Ids of the drawn models, unique by construction: every id is checked
 * against all ids given before it, suffixed ones included. A clash gets
 * "_<vertex>", and should that be taken too (an id "a_b_5" beside "a/b"
 * and "a_b"), "_<vertex>_<k>" for the first free k. ('_' is a letter of
 * Mermaid ids, so no suffix is unreachable by the ids themselves, as it is
 * for file names; hence the check.) */
typedef struct ids {
	char **s;
	size_t n;
	size_t *slot; /* open addressing over s: index + 1, 0 when empty */
	size_t mask;
} ids;

static void ids_free(ids *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->s[i]);
	free(x->s);
	free(x->slot);
}

static size_t ids_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

/* The slot where s is, or the empty one where it would go. */
static size_t ids_find(const ids *x, const char *s)
{
	size_t i = ids_hash(s) & x->mask;
	while (x->slot[i] && strcmp(x->s[x->slot[i] - 1], s) != 0)
		i = (i + 1) & x->mask;
	return i;
}

static int ids_make(ids *x, const lin_catalog *cat, const igraph_vector_int_t *verts)
{
	size_t n = (size_t)igraph_vector_int_size(verts), cap = 16;
	while (cap < 2 * n + 2)
		cap *= 2;
	x->s = calloc(n + 1, sizeof(*x->s));
	x->slot = calloc(cap, sizeof(*x->slot));
	x->n = 0;
	x->mask = cap - 1;
	if (!x->s || !x->slot)
		return LIN_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		igraph_integer_t v = VECTOR(*verts)[i];
		lin_buf b = LIN_BUF_INIT;
		size_t at = 0, base = 0;
		put_raw_id(&b, lin_catalog_model(cat, v)->id);
		for (unsigned k = 1; !b.oom && b.data; k++) {
			at = ids_find(x, b.data);
			if (!x->slot[at])
				break;
			if (k == 1) {
				lin_buf_printf(&b, "_%" IGRAPH_PRId, v);
				base = b.len;
			} else {
				b.len = base;
				lin_buf_printf(&b, "_%u", k);
			}
		}
		if (b.oom || !b.data) {
			lin_buf_dispose(&b);
			return LIN_ENOMEM;
		}
		x->s[x->n++] = b.data;
		x->slot[at] = x->n;
	}
	return 0;
}

/* Appends s for a quoted Mermaid label, at most max code points. */
static void put_label_text(lin_buf *b, const char *s, size_t max)
{
	lin_escape(b, s, LIN_ESC_MERMAID, max);
}

/* Appends s as the front matter's YAML title, with no markup in it. */
static void put_yaml_string(lin_buf *b, const char *s)
{
	lin_buf_puts(b, "\"");
	lin_escape(b, s, LIN_ESC_MERMAID_TITLE, 0);
	lin_buf_puts(b, "\"");
}

/* An inferred edge's stroke (lin_parent's inferred): finer dots than
 * Mermaid's dotted arrow, and faint, as in the Graphviz drawings. */
#define INFERRED_STROKE "stroke-dasharray:1 4,opacity:0.6"

static int edge_inferred(const lin_catalog *cat, igraph_integer_t e)
{
	return lin_catalog_edge_parent(cat, e)->inferred;
}

/* Mermaid's arrow for a relation kind: solid, dotted or thick; an
 * inferred relation is dotted whatever its kind. */
static const char *arrow(lin_relation r, int inferred)
{
	if (inferred)
		return "-.->";
	switch (r) {
	case LIN_REL_ADAPTER:
	case LIN_REL_QUANTIZED:
	case LIN_REL_DISTILL:
	case LIN_REL_RECIPE:
	case LIN_REL_PRUNE:
		return "-.->";
	case LIN_REL_MERGE:
	case LIN_REL_UPCYCLE:
		return "==>";
	default:
		return "-->";
	}
}

/* A class name for a stage: "st_continued_pretrain". */
static void put_stage_class(lin_buf *b, int stage)
{
	const char *name = lin_stage_name((lin_stage)stage);
	lin_buf_puts(b, "st_");
	for (const char *p = name ? name : "unknown"; *p; p++)
		lin_buf_append(b, *p == '-' ? "_" : p, 1);
}

/* What a drawing shows, for its legend: only what is used gets an entry. */
typedef struct used {
	unsigned stages;  /* bit per stage */
	lin_relmask rels; /* relations drawn */
	int open, closed, external, inferred, more;
} used;

/* One legend box: a quoted label in a node of its own, styled inline. */
static void legend_entry(lin_buf *out, const char *id, const char *sample, const char *text,
                         const char *style)
{
	lin_buf_printf(out, "    %s[\"", id);
	if (sample) {
		put_label_text(out, sample, 0);
		lin_buf_puts(out, " ");
	}
	put_label_text(out, text, LABEL_MAX_CHARS);
	lin_buf_puts(out, "\"]\n");
	if (style)
		lin_buf_printf(out, "    style %s %s\n", id, style);
}

/* The legend: Mermaid has none of its own, so a subgraph of unlinked boxes
 * (ids "legend_*", which put_raw_id keeps from every model) saying what
 * the fills, borders and lines mean, only for those drawn. */
static void put_legend(lin_buf *out, const used *u, int lr)
{
	char id[64];
	/* the chart's own direction, said again (a subgraph does not inherit
	 * it): unlinked boxes share one rank, so they stack in a column at the
	 * right of an LR chart and make a row under a TD one; an LR chart's
	 * legend laid out TB was a row wider than the whole diagram */
	lin_buf_printf(out, "  subgraph legend [legend]\n    direction %s\n", lr ? "LR" : "TB");
	for (int s = 0; s < LIN_STAGE_COUNT; s++)
		if (u->stages & (1u << s)) {
			lin_buf cls = LIN_BUF_INIT;
			put_stage_class(&cls, s);
			snprintf(id, sizeof(id), "legend_%s", cls.data ? cls.data : "st");
			legend_entry(out, id, NULL, lin_stage_name((lin_stage)s), NULL);
			lin_buf_printf(out, "    class %s %s\n", id, cls.data ? cls.data : "st");
			lin_buf_dispose(&cls);
		}
	/* open only beside closed: alone, a solid border is just a border */
	if (u->open && u->closed)
		legend_entry(out, "legend_open", NULL, "open weights: solid border",
		             "fill:#ffffff,stroke:#4a5568");
	if (u->closed)
		legend_entry(out, "legend_closed", NULL, "closed weights: dashed border",
		             "fill:#ffffff,stroke:#4a5568,stroke-dasharray:5 3,stroke-width:2px");
	if (u->external)
		legend_entry(out, "legend_external", NULL, "external: known only by name",
		             "fill:#ffffff,stroke:#868e96,stroke-dasharray:2 2,color:#495057");
	if (u->more)
		legend_entry(out, "legend_more", "+N", "models not drawn, by relation",
		             "fill:#f1f3f5,stroke:#868e96,color:#343a40");
	for (int r = 0; r < LIN_REL_COUNT; r++)
		if (u->rels & LIN_REL_BIT(r)) {
			char style[64];
			snprintf(id, sizeof(id), "legend_rel_%s", lin_relation_name((lin_relation)r));
			for (char *c = id; *c; c++)
				*c = *c == '-' ? '_' : *c; /* continued-pretrain */
			snprintf(style, sizeof(style), "fill:none,stroke:none,color:%s",
			         lin_i_rel_looks[r].color);
			legend_entry(out, id, lin_i_rel_looks[r].sample, lin_relation_name((lin_relation)r),
			             style);
		}
	if (u->inferred)
		legend_entry(out, "legend_inferred", "\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xe2\x96\xb6",
		             "inferred, not stated (dotted, faint)",
		             "fill:none,stroke:none,color:#868e96");
	lin_buf_puts(out, "  end\n");
}

/* The box farthest down the derivations (longest path; the first drawn
 * on a tie): its index among the drawn models, or -1 - i for summary i. */
static igraph_integer_t deepest(const lin_catalog *cat, const lin_plan *p,
                                const igraph_integer_t *loc, int *depth)
{
	const igraph_t *g = lin_catalog_graph(cat);
	igraph_integer_t nv = igraph_vector_int_size(&p->verts), ne = igraph_vector_int_size(&p->edges);
	igraph_integer_t best = 0;
	int changed = 1;
	memset(depth, 0, (size_t)nv * sizeof(*depth));
	/* a DAG: each pass settles at least one more level */
	for (igraph_integer_t pass = 0; changed && pass <= nv; pass++) {
		changed = 0;
		for (igraph_integer_t k = 0; k < ne; k++) {
			igraph_integer_t e = VECTOR(p->edges)[k];
			igraph_integer_t a = loc[IGRAPH_FROM(g, e)], b = loc[IGRAPH_TO(g, e)];
			if (depth[b] < depth[a] + 1)
				depth[b] = depth[a] + 1, changed = 1;
		}
	}
	for (igraph_integer_t i = 1; i < nv; i++)
		if (depth[i] > depth[best])
			best = i;
	for (size_t i = 0; i < p->nmores; i++) {
		const lin_more *m = &p->mores[i];
		if (m->anchor >= 0 && !m->up && (nv == 0 || depth[loc[m->anchor]] + 1 > depth[best]))
			return -1 - (igraph_integer_t)i;
	}
	return best;
}

/* An invisible link from the deepest box to the legend: unlinked, the
 * legend shares the first rank with the roots and their edges cross it;
 * linked, it goes after the last rank, clear of every edge. It comes after
 * every counted link, so the linkStyle numbers stay right. */
static int put_legend_link(lin_buf *out, const lin_catalog *cat, const lin_plan *p,
                           const ids *x, const igraph_integer_t *loc)
{
	igraph_integer_t nv = igraph_vector_int_size(&p->verts);
	int *depth = malloc(((size_t)nv + 1) * sizeof(*depth));
	if (!depth)
		return LIN_ENOMEM;
	igraph_integer_t at = deepest(cat, p, loc, depth);
	if (at >= 0 && nv > 0)
		lin_buf_printf(out, "  %s ~~~ legend\n", x->s[at]);
	else if (at < 0)
		lin_buf_printf(out, "  more_%" IGRAPH_PRId " ~~~ legend\n", -1 - at);
	free(depth);
	return 0;
}

int lin_i_mermaid_write(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
                      const lin_plan *p, const char *note, lin_error *err)
{
	const igraph_t *g = lin_catalog_graph(cat);
	const igraph_vector_int_t *verts = &p->verts;
	igraph_integer_t nv = igraph_vector_int_size(verts);
	igraph_integer_t ne = igraph_vector_int_size(&p->edges);
	igraph_integer_t *loc = NULL, link = 0;
	used u;
	int rc = 0;
	lin_buf title = LIN_BUF_INIT;
	ids x = {NULL, 0, NULL, 0};

	memset(&u, 0, sizeof(u));
	u.more = p->nmores > 0;
	loc = malloc(((size_t)lin_catalog_count(cat) + 1) * sizeof(*loc));
	if (!loc || ids_make(&x, cat, verts)) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (igraph_integer_t i = 0; i < nv; i++)
		loc[VECTOR(*verts)[i]] = i;

	lin_i_draw_title(&title, cat, o, p);
	if (p->hidden || p->reduced) {
		lin_buf_puts(&title, " \xe2\x80\x94 ");
		lin_i_plan_note(&title, p);
	}
	if (note)
		lin_buf_printf(&title, " (%s)", note);
	lin_buf_puts(out, "---\ntitle: ");
	put_yaml_string(out, title.data ? title.data : "");
	lin_buf_printf(out, "\n---\nflowchart %s\n", o->left_to_right ? "LR" : "TD");

	/* nodes */
	for (igraph_integer_t i = 0; i < nv; i++) {
		const lin_model *m = lin_catalog_model(cat, VECTOR(*verts)[i]);
		int st = ((int)m->stage >= 0 && m->stage < LIN_STAGE_COUNT) ? (int)m->stage
		                                                             : LIN_STAGE_UNKNOWN;
		lin_buf_printf(out, "  %s[\"", x.s[i]);
		put_label_text(out, m->name ? m->name : m->id, LABEL_MAX_CHARS);
		igraph_integer_t hidden = lin_i_plan_merge_hidden(cat, p, VECTOR(*verts)[i]);
		if (m->external)
			lin_buf_puts(out, "<br/>external");
		else if (m->year > 0)
			lin_buf_printf(out, "<br/>%d", m->year);
		if (hidden > 0) {
			lin_buf_puts(out, "<br/>+");
			lin_i_put_count(out, hidden);
			lin_buf_printf(out, " parent%s not shown", hidden == 1 ? "" : "s");
		}
		lin_buf_puts(out, "\"]:::");
		if (m->external) {
			lin_buf_puts(out, "external\n");
			u.external = 1;
			continue;
		}
		put_stage_class(out, st);
		u.stages |= 1u << st;
		u.open |= m->weights == LIN_WEIGHTS_OPEN;
		if (m->weights == LIN_WEIGHTS_CLOSED) {
			lin_buf_puts(out, "\n  class ");
			lin_buf_puts(out, x.s[i]);
			lin_buf_puts(out, " closed");
			u.closed = 1;
		}
		lin_buf_puts(out, "\n");
	}
	for (size_t i = 0; i < p->nmores; i++) {
		lin_buf_printf(out, "  more_%zu[[\"", i);
		lin_i_more_label(out, &p->mores[i], "<br/>");
		lin_buf_puts(out, "\"]]:::more\n");
	}

	/* edges, then their colours by relation kind (link numbers count every
	 * edge in order) */
	for (igraph_integer_t k = 0; k < ne; k++) {
		igraph_integer_t e = VECTOR(p->edges)[k];
		lin_relation r = lin_catalog_edge_relation(cat, e);
		int inf = edge_inferred(cat, e);
		lin_buf_printf(out, "  %s %s|%s%s| %s\n", x.s[loc[IGRAPH_FROM(g, e)]], arrow(r, inf),
		               inf ? "inferred " : "", lin_relation_name(r), x.s[loc[IGRAPH_TO(g, e)]]);
	}
	for (size_t i = 0; i < p->nmores; i++) {
		const lin_more *m = &p->mores[i];
		if (m->anchor < 0)
			continue;
		if (m->up)
			lin_buf_printf(out, "  more_%zu --> %s\n", i, x.s[loc[m->anchor]]);
		else
			lin_buf_printf(out, "  %s --> more_%zu\n", x.s[loc[m->anchor]], i);
	}
	/* one linkStyle per link (a later one replaces an earlier), so a
	 * relation's declared and inferred links are listed apart */
	for (int r = 0; r < LIN_REL_COUNT; r++)
		for (int inf = 0; inf < 2; inf++) {
			int any = 0;
			link = 0;
			for (igraph_integer_t k = 0; k < ne; k++, link++) {
				igraph_integer_t e = VECTOR(p->edges)[k];
				if (lin_catalog_edge_relation(cat, e) != (lin_relation)r ||
				    edge_inferred(cat, e) != inf)
					continue;
				lin_buf_printf(out, "%s%" IGRAPH_PRId, any ? "," : "  linkStyle ", link);
				any = 1;
				u.inferred |= inf;
				u.rels |= LIN_REL_BIT(r);
			}
			if (any)
				lin_buf_printf(out, " stroke:%s%s\n", lin_i_relation_color((lin_relation)r),
				               inf ? "," INFERRED_STROKE : "");
		}

	if (nv || p->nmores) {
		put_legend(out, &u, o->left_to_right);
		if (put_legend_link(out, cat, p, &x, loc)) {
			rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
	}

	/* classes: only those used */
	for (int s = 0; s < LIN_STAGE_COUNT; s++) {
		if (!(u.stages & (1u << s)))
			continue;
		lin_buf_puts(out, "  classDef ");
		put_stage_class(out, s);
		lin_buf_printf(out, " fill:%s,stroke:#4a5568,color:#1a202c\n", lin_i_stage_fill(s));
	}
	if (u.closed)
		lin_buf_puts(out, "  classDef closed stroke-dasharray:5 3,stroke-width:2px\n");
	if (u.external)
		lin_buf_puts(out, "  classDef external fill:#ffffff,stroke:#868e96,"
		                  "stroke-dasharray:2 2,color:#495057\n");
	if (p->nmores)
		lin_buf_puts(out, "  classDef more fill:#f1f3f5,stroke:#868e96,color:#343a40\n");
	if (out->oom || title.oom)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
done:
	free(loc);
	ids_free(&x);
	lin_buf_dispose(&title);
	return rc;
}

static int mermaid_render(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
                          lin_format fmt, lin_error *err)
{
	int rc = 0, cap = o->max_nodes, shrunk = 0;
	lin_plan p;
	(void)fmt; /* Mermaid has one */
	lin_buf text = LIN_BUF_INIT;

	memset(&p, 0, sizeof(p));
	for (;;) {
		if ((rc = lin_i_plan_make(&p, cat, o, cap, err)))
			break;
		text.len = 0;
		rc = lin_i_mermaid_write(&text, cat, o, &p,
		                       shrunk ? "collapsed to fit Mermaid's limits of 500 edges "
		                                "and 50,000 characters" : NULL, err);
		if (rc)
			break;
		igraph_integer_t ne = igraph_vector_int_size(&p.edges) + (igraph_integer_t)p.nmores;
		if (ne <= LIN_MERMAID_MAX_EDGES && text.len <= LIN_MERMAID_MAX_CHARS)
			break;
		igraph_integer_t shown = igraph_vector_int_size(&p.verts) + (igraph_integer_t)p.nmores;
		if (shown <= 3) {
			rc = lin_i_fail(err, LIN_ELIMIT, NULL, 0, 0,
			              "the diagram does not fit Mermaid's limits even collapsed");
			break;
		}
		cap = (int)(shown * 2 / 3);
		shrunk = 1;
		lin_i_plan_dispose(&p);
	}
	if (!rc && lin_buf_append(out, text.data ? text.data : "", text.len))
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	lin_i_plan_dispose(&p);
	lin_buf_dispose(&text);
	return rc;
}


const lin_draw_backend lin_i_draw_mermaid = {
	.name = "mermaid",
	.render = mermaid_render,
};
