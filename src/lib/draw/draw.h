/*
 * draw.h - what the drawing modules share (render.c, mermaid.c, html.c,
 * docs.c) but the public API does not: the drawing plan (which models a
 * diagram shows and which it collapses into "+N" summaries), the visual
 * vocabulary, and small text helpers.
 */
#ifndef LIN_DRAW_H
#define LIN_DRAW_H

#include "export/export.h"

#include <gvc.h>

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
	int ecap;                  /* the edge budget used (0: none) */
	int edge_bound;            /* some model was left out for its edges */
	int ready;
} lin_plan;

/* Plans a drawing of o with at most cap nodes (models plus summaries; the
 * focus is always kept) and at most o->max_edges edges (derivations plus
 * the summaries' links): selects, collapses the least-derived models when
 * the selection is bigger, collects the edges and applies o->reduce. Linear
 * in the selection and its edges (plus a heap of candidates). cap <= 0: no
 * collapsing for nodes; a selection above LIN_DRAW_MAX_NODES_LIMIT then
 * fails with LIN_ELIMIT; the same for max_edges <= 0 and
 * LIN_DRAW_MAX_EDGES_LIMIT. */
int lin_i_plan_make(lin_plan *out, const lin_catalog *cat, const lin_draw_opts *o,
                  int cap, lin_error *err);
void lin_i_plan_dispose(lin_plan *p);

/* "+ 48,211 fine-tunes · 3,004 quantized · 912 adapters" (plain UTF-8 text,
 * nothing to escape). Kinds after the third go on a line of their own
 * separated by nl. */
void lin_i_more_label(lin_buf *b, const lin_more *m, const char *nl);

/* The default caption of a drawing (raw text: the caller escapes it). */
void lin_i_draw_title(lin_buf *b, const lin_catalog *cat, const lin_draw_opts *o,
                    const lin_plan *p);

/* The sentence that says what collapsing and reduction left out, or
 * nothing when the plan shows everything. */
void lin_i_plan_note(lin_buf *b, const lin_plan *p);

/* The budget that collapsed the plan: "150 boxes", "150 boxes and 500
 * edges" or "500 edges". */
void lin_i_plan_budget(lin_buf *b, const lin_plan *p);

/* How many parents of drawn model v, joined to it by a merge, the plan
 * leaves out (0 for a model that is no merge): its box says "+2 parents
 * not shown", so a merge of four drawn with two does not read as a merge
 * of two. Linear in v's parents. */
igraph_integer_t lin_i_plan_merge_hidden(const lin_catalog *cat, const lin_plan *p,
                                         igraph_integer_t v);

/* Appends n with thousands separators ("48,211"). */
void lin_i_put_count(lin_buf *b, igraph_integer_t n);

/* Appends url percent-encoded when it is http(s); returns 0 (and appends
 * nothing) for any other scheme or an absurd length. */
int lin_i_put_url(lin_buf *b, const char *url);

/* Appends s lowercased with every run outside [a-z0-9] turned into one '-',
 * at most max bytes, no leading or trailing '-'. */
void lin_i_put_slug(lin_buf *b, const char *s, size_t max);

/* The family of v: the model reached by following, from v, the first
 * parent whose relation carries weights (not distill, not recipe). */
igraph_integer_t lin_i_family_root(const lin_catalog *cat, igraph_integer_t v);

/* ---- the visual vocabulary (style.c) ------------------------------------- */

/* Fill colour of a stage ("#aecbfa"); "#ffffff" when out of range. */
const char *lin_i_stage_fill(int stage);

/* How an edge of each relation kind looks, and its sample in the legend. */
typedef struct lin_rel_look {
	const char *color, *style, *penwidth, *arrowhead, *sample;
} lin_rel_look;
extern const lin_rel_look lin_i_rel_looks[LIN_REL_COUNT];

/* The border of a closed-weights model: dashed, in this red. */
#define CLOSED_BORDER "#c92a2a"

/* Edge colour of a relation kind. */
const char *lin_i_relation_color(lin_relation r);

#define SEP_DOT " \xc2\xb7 " /* " · " */
#define ARROW " \xe2\x86\x92 " /* " → " */

/* ---- backends (render.c dispatches to them) -------------------------------- */

/* A drawing backend, as curl's vtls backends sit behind one struct:
 * render draws the catalog under o in format fmt into out. */
typedef struct lin_draw_backend {
	const char *name;
	int (*render)(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
	              lin_format fmt, lin_error *err);
} lin_draw_backend;

extern const lin_draw_backend lin_i_draw_graphviz; /* DOT, SVG, PNG, PDF (gv.c) */
extern const lin_draw_backend lin_i_draw_mermaid;  /* Mermaid (mermaid.c) */

/* ---- the Graphviz backend (gv*.c) ------------------------------------------ */

/* Longest name shown in a box, and longest other text, in code points. */
#define NAME_MAX_CHARS 80
#define TEXT_MAX_CHARS 200
/* Edges carry a relation label only in small drawings; the legend does the
 * job in big ones. */
#define EDGE_LABELS_MAX 40

/* The state of one drawing. nodes[v] is vertex v's node, NULL when not drawn. */
typedef struct lin_gv {
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
	int inferred;      /* some drawn edge's relation is a guess (lin_parent) */
	lin_buf tmp;       /* scratch for attribute values */
} lin_gv;

/* Graphviz's message handler and level saved while a call routes every
 * message into our buffers (lin_i_gv_begin), put back by lin_i_gv_end. */
typedef struct lin_gv_saved {
	agusererrf fn;
	agerrlevel_t level;
} lin_gv_saved;

void lin_i_gv_begin(lin_gv_saved *s);
void lin_i_gv_end(const lin_gv_saved *s);

/* The unlaid graph as DOT text; g laid out with dot and rendered in fmt
 * ("svg", "png", "pdf"). */
int lin_i_gv_write_dot(lin_buf *out, Agraph_t *g, lin_error *err);
int lin_i_gv_layout_render(lin_buf *out, Agraph_t *g, const char *fmt, lin_error *err);

/* Every message Graphviz gave since lin_i_gv_begin, once each, "; "
 * between them, without "Warning: "; "" when none. */
const char *lin_i_gv_notes(void);

/* Appends Graphviz's notes with each node name "n<vertex>" that is a word
 * of its own ("lost n12 n40 edge", "node n5, port x"; not part of a path
 * like "/etc/n1/fonts.conf") replaced by that model's id, so a warning
 * says which models it concerns; other text as it is. */
void lin_i_gv_put_notes(lin_buf *b, const lin_catalog *cat, const char *notes);

/* Reports a Graphviz failure with whatever Graphviz said (LIN_ERENDER). */
int lin_i_gv_fail(lin_error *err, const char *what);

/* User text for a label (box, edge or graph caption) and for a tooltip, at
 * most max code points: escaped for Graphviz, hidden characters shown as a
 * space. */
void lin_i_gv_put_text(lin_buf *b, const char *s, size_t max);
void lin_i_gv_put_tip(lin_buf *b, const char *s, size_t max);

/* Sets attribute name of obj (declaring it with an empty default); from
 * the scratch buffer d->tmp, which is emptied (LIN_ENOMEM when it ran out
 * of memory); a graph-wide default. */
void lin_i_gv_set(void *obj, const char *name, const char *value);
int lin_i_gv_set_tmp(lin_gv *d, void *obj, const char *name);
void lin_i_gv_declare(Agraph_t *g, int kind, const char *name, const char *value);

/* The steps of building d's graph, in order (gv_render.c calls them). */
int lin_i_gv_open_graph(lin_gv *d, lin_error *err);
int lin_i_gv_open_legend(lin_gv *d, lin_error *err);
lin_group lin_i_gv_group_of(const lin_draw_opts *o);
int lin_i_gv_add_groups(lin_gv *d, lin_error *err);
int lin_i_gv_add_nodes(lin_gv *d, lin_error *err);
int lin_i_gv_add_edges(lin_gv *d, lin_error *err);
int lin_i_gv_add_mores(lin_gv *d, lin_error *err);
int lin_i_gv_add_time_axis(lin_gv *d, lin_error *err);
int lin_i_gv_fill_legend(lin_gv *d, lin_error *err);
int lin_i_gv_add_title(lin_gv *d, lin_error *err);
/* Bounds dot's work on a big drawing (gv_graph.c says how). */
void lin_i_gv_layout_budget(lin_gv *d);

/* Writes the plan as a Mermaid flowchart (mermaid.c). note, when not NULL,
 * is added to the title (e.g. that it was collapsed to fit). */
int lin_i_mermaid_write(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
                      const lin_plan *p, const char *note, lin_error *err);

/* Mermaid's default limits (GitHub uses them). */
#define LIN_MERMAID_MAX_EDGES 500
#define LIN_MERMAID_MAX_CHARS 50000

/* A model's box's DOM id before any clash suffix: "model-" + id with
 * everything outside [a-z0-9-] turned into '-' (gv_graph.c). A drawing
 * whose models share one gives each but the lowest-numbered "_<vertex>";
 * the page does the same over the whole catalog. */
void lin_i_put_dom_id(lin_buf *b, const char *id);

/* Appends svg (as lin_render writes it) for inlining in an HTML page: the
 * XML prolog, doctype and comments before <svg> are dropped and every
 * id="X" becomes id="<prefix>X", so several diagrams can share a page.
 * With dom (ndom ids by vertex), a model's box (its <title> is
 * "n<vertex>") gets id="<prefix><dom[vertex]>" instead: a drawing makes
 * its ids unique among the models it shows, the page needs them unique
 * (and the same in every figure) among all models. */
int lin_i_svg_inline(lin_buf *out, const char *svg, size_t len, const char *prefix,
                     char *const *dom, size_t ndom);

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
int lin_i_html_page(lin_buf *out, const lin_catalog *cat, const lin_page_fig *figs,
                  size_t nfigs, lin_error *err);

/* Appends s HTML-escaped (& < > " '); controls become spaces. */
void lin_i_put_html(lin_buf *b, const char *s);

#endif
