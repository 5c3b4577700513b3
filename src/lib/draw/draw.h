/*
 * draw.h - what the drawing modules share (render.c, mermaid.c, html.c,
 * docs.c) but the public API does not: the drawing plan (which models a
 * diagram shows and which it collapses into "+N" summaries), the visual
 * vocabulary, and small text helpers.
 */
#ifndef LIN_DRAW_H
#define LIN_DRAW_H

#include "export/export.h"

/* A summary node: models a drawing leaves out, counted where they hang. */
typedef struct lin_more {
	igraph_integer_t anchor; /* the drawn model they hang from; -1: none
	                            (roots of a whole-catalog drawing) */
	int up;                  /* 1: they are ancestors of anchor */
	igraph_integer_t total;
	igraph_integer_t by_rel[LIN_REL_COUNT]; /* by the relation through which
	                                           each joins its tree parent */
} lin_more;

/* What a drawing shows, decided before any Graphviz call. */
typedef struct lin_plan {
	igraph_vector_int_t verts; /* drawn models, ascending vertex ids */
	igraph_vector_int_t edges; /* catalog edges between drawn models */
	lin_more *mores;
	size_t nmores;
	char *drawn;               /* per catalog vertex: 1 when drawn */
	igraph_integer_t selected; /* models selected before collapsing */
	igraph_integer_t hidden;   /* of those, counted in summaries */
	igraph_integer_t reduced;  /* edges left out by transitive reduction */
	int cap;                   /* the node budget used (0: none) */
	int ready;
} lin_plan;

/* Plans a drawing of o with at most cap nodes (models plus summaries; the
 * focus is always kept): selects, collapses the least-derived models when
 * the selection is bigger, collects the edges and applies o->reduce. Linear
 * in the selection (plus a heap of candidates). cap <= 0: no collapsing;
 * a selection above LIN_DRAW_MAX_NODES_LIMIT then fails with LIN_ELIMIT. */
int lin_plan_make(lin_plan *out, const lin_catalog *cat, const lin_draw_opts *o,
                  int cap, lin_error *err);
void lin_plan_dispose(lin_plan *p);

/* "+ 48,211 fine-tunes · 3,004 quantized · 912 adapters" (plain UTF-8 text,
 * nothing to escape). Kinds after the third go on a line of their own
 * separated by nl. */
void lin_more_label(lin_buf *b, const lin_more *m, const char *nl);

/* The default caption of a drawing (raw text: the caller escapes it). */
void lin_draw_title(lin_buf *b, const lin_catalog *cat, const lin_draw_opts *o,
                    const lin_plan *p);

/* The sentence that says what collapsing and reduction left out, or
 * nothing when the plan shows everything. */
void lin_plan_note(lin_buf *b, const lin_plan *p);

/* Appends n with thousands separators ("48,211"). */
void lin_put_count(lin_buf *b, igraph_integer_t n);

/* Appends url percent-encoded when it is http(s); returns 0 (and appends
 * nothing) for any other scheme or an absurd length. */
int lin_put_url(lin_buf *b, const char *url);

/* Appends s lowercased with every run outside [a-z0-9] turned into one '-',
 * at most max bytes, no leading or trailing '-'. */
void lin_put_slug(lin_buf *b, const char *s, size_t max);

/* The family of v: the model reached by following, from v, the first
 * parent whose relation carries weights (not distill, not recipe). */
igraph_integer_t lin_family_root(const lin_catalog *cat, igraph_integer_t v);

/* Fill colour of a stage ("#aecbfa"); "#ffffff" when out of range. */
const char *lin_stage_fill(int stage);

/* Edge colour of a relation kind. */
const char *lin_relation_color(lin_relation r);

/* Writes the plan as a Mermaid flowchart (mermaid.c). note, when not NULL,
 * is added to the title (e.g. that it was collapsed to fit). */
int lin_mermaid_write(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
                      const lin_plan *p, const char *note, lin_error *err);

/* Mermaid's default limits (GitHub uses them). */
#define LIN_MERMAID_MAX_EDGES 500
#define LIN_MERMAID_MAX_CHARS 50000

/* Appends svg (as lin_render writes it) for inlining in an HTML page: the
 * XML prolog, doctype and comments before <svg> are dropped and every
 * id="X" becomes id="<prefix>X", so several diagrams can share a page. */
int lin_svg_inline(lin_buf *out, const char *svg, size_t len, const char *prefix);

/* One diagram of the HTML page. */
typedef struct lin_page_fig {
	const char *anchor;  /* [a-z0-9-] */
	const char *heading; /* raw text */
	const char *caption; /* raw text */
	const char *svg;     /* as lin_render wrote it */
	size_t svg_len;
} lin_page_fig;

/* Writes out/index.html's text into out: one self-contained page (no
 * network, no external resources) with the diagrams inline, a search box
 * that lists a model's ancestors and descendants, and a card per model.
 * Every catalog string is HTML-escaped; the search data is a JSON block. */
int lin_html_page(lin_buf *out, const lin_catalog *cat, const lin_page_fig *figs,
                  size_t nfigs, lin_error *err);

/* Appends s HTML-escaped (& < > " '); controls become spaces. */
void lin_put_html(lin_buf *b, const char *s);

#endif
