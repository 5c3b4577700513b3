/*
 * plan.c - decides what a drawing shows before anything is laid out: the
 * selection (a focus model's ancestors and/or descendants, or everything),
 * and, when that is more than a person can read or dot can lay out in
 * seconds, which models stay and which are counted in "+N" summary nodes.
 * Linear in the selection: one BFS forest, subtree sizes, and a heap that
 * keeps the most-derived models first.
 */
#include "draw.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	memset(&storage, 0, sizeof(storage));
	rc = lin_i_graph_filtered(&fg, &storage, &owned, cat, o->relations, NULL, err);
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

/* A given selection, checked and made a set (sorted, no repeats). */
static int select_given(igraph_vector_int_t *out, const igraph_vector_int_t *sel,
                        igraph_integer_t n, lin_error *err)
{
	int rc = 0;
	LIN_IG(igraph_vector_int_update(out, sel));
	igraph_vector_int_sort(out);
	igraph_integer_t k = 0;
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(out); i++) {
		igraph_integer_t v = VECTOR(*out)[i];
		if (v < 0 || v >= n)
			return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0,
			                  "selected vertex %" IGRAPH_PRId " out of range", v);
		if (k == 0 || VECTOR(*out)[k - 1] != v)
			VECTOR(*out)[k++] = v;
	}
	LIN_IG(igraph_vector_int_resize(out, k));
done:
	return rc;
}

/* Drops from out (sorted) the models whose every derivation, to a parent
 * or a child, has a relation outside mask: drawn with the relation
 * filter, they would stand alone. A model with none at all stays. */
static int drop_left_out(igraph_vector_int_t *out, const lin_catalog *cat, lin_relmask mask,
                         lin_error *err)
{
	int rc = 0;
	const igraph_t *g = lin_catalog_graph(cat);
	igraph_vector_int_t inc;
	igraph_integer_t k = 0;
	LIN_IG(igraph_vector_int_init(&inc, 0));
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(out); i++) {
		igraph_integer_t v = VECTOR(*out)[i], kept = 0;
		rc = igraph_incident(g, &inc, v, IGRAPH_ALL) == IGRAPH_SUCCESS ? 0 : LIN_EGRAPH;
		if (rc) {
			lin_i_fail(err, rc, NULL, 0, 0, "igraph_incident failed");
			break;
		}
		for (igraph_integer_t j = 0; j < igraph_vector_int_size(&inc) && !kept; j++)
			kept = (mask & LIN_REL_BIT(lin_catalog_edge_relation(cat, VECTOR(inc)[j]))) != 0;
		if (kept || igraph_vector_int_empty(&inc))
			VECTOR(*out)[k++] = v;
	}
	igraph_vector_int_destroy(&inc);
	if (!rc)
		LIN_IG(igraph_vector_int_resize(out, k));
done:
	return rc;
}

/* The selection before drop_left_out. */
static int select_raw(igraph_vector_int_t *out, const lin_catalog *cat,
                      const lin_draw_opts *o, lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = 0;

	if (!out || !cat || !o)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "lin_draw_select: NULL argument");
	if (!lin_catalog_graph(cat))
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "catalog not finished");
	n = lin_catalog_count(cat);
	if (o->focus >= n)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0,
		                "focus vertex %" IGRAPH_PRId " out of range", o->focus);
	if (o->select)
		return select_given(out, o->select, n, err);
	if (o->focus >= 0)
		return select_focus(out, cat, o, err);
	LIN_IG(igraph_vector_int_resize(out, n));
	for (igraph_integer_t v = 0; v < n; v++)
		VECTOR(*out)[v] = v;
done:
	return rc;
}

int lin_draw_select(igraph_vector_int_t *out, const lin_catalog *cat,
                    const lin_draw_opts *o, lin_error *err)
{
	int rc = select_raw(out, cat, o, err);
	if (rc || o->focus >= 0 || (o->relations & LIN_REL_ALL) == LIN_REL_ALL)
		return rc;
	return drop_left_out(out, cat, o->relations, err);
}

/* ---- collapsing ------------------------------------------------------------ */

/* Adjacency of the selection in one direction, as compressed rows: the
 * neighbours of v are nb[off[v] .. off[v+1]), reached through edges eid[]. */
typedef struct rows {
	igraph_integer_t *off, *nb, *eid;
} rows;

static void rows_free(rows *r)
{
	free(r->off);
	free(r->nb);
	free(r->eid);
}

/* Whether edge e has its relation in mask and both ends selected: the
 * count and the fill of rows_build must agree on it. */
static int row_edge(const lin_catalog *cat, const char *sel, lin_relmask mask, igraph_integer_t e)
{
	const igraph_t *g = lin_catalog_graph(cat);
	return sel[IGRAPH_FROM(g, e)] && sel[IGRAPH_TO(g, e)] &&
	       (mask & LIN_REL_BIT(lin_catalog_edge_relation(cat, e)));
}

/* Builds the rows of every edge whose relation is in mask and whose both
 * ends are selected, out-going (mode OUT) or in-coming (IN), in edge order. */
static int rows_build(rows *r, const lin_catalog *cat, const char *sel,
                      lin_relmask mask, igraph_neimode_t mode)
{
	const igraph_t *g = lin_catalog_graph(cat);
	igraph_integer_t n = igraph_vcount(g), m = igraph_ecount(g), k = 0;
	igraph_integer_t *fill = NULL;

	r->off = calloc((size_t)n + 1, sizeof(*r->off));
	fill = calloc((size_t)n + 1, sizeof(*fill));
	if (!r->off || !fill)
		goto oom;
	for (igraph_integer_t e = 0; e < m; e++) {
		igraph_integer_t a = IGRAPH_FROM(g, e), b = IGRAPH_TO(g, e);
		if (!row_edge(cat, sel, mask, e))
			continue;
		r->off[(mode == IGRAPH_OUT ? a : b) + 1]++;
		k++;
	}
	for (igraph_integer_t v = 0; v < n; v++)
		r->off[v + 1] += r->off[v];
	r->nb = malloc(((size_t)k + 1) * sizeof(*r->nb));
	r->eid = malloc(((size_t)k + 1) * sizeof(*r->eid));
	if (!r->nb || !r->eid)
		goto oom;
	for (igraph_integer_t e = 0; e < m; e++) {
		igraph_integer_t a = IGRAPH_FROM(g, e), b = IGRAPH_TO(g, e);
		if (!row_edge(cat, sel, mask, e))
			continue;
		igraph_integer_t from = mode == IGRAPH_OUT ? a : b;
		igraph_integer_t at = r->off[from] + fill[from]++;
		r->nb[at] = mode == IGRAPH_OUT ? b : a;
		r->eid[at] = e;
	}
	free(fill);
	return 0;
oom:
	free(fill);
	return LIN_ENOMEM;
}

/* A spanning forest of the selection grown breadth-first from its roots
 * (the focus, or every selected model without a selected parent): each
 * model's tree parent, the relation of that tree edge, the BFS order and
 * the tree children. */
typedef struct forest {
	igraph_integer_t *parent; /* -1: a root; -2: not reached */
	int *rel;                 /* relation of the tree edge, -1 for roots */
	char *up;                 /* on the ancestor side of the focus */
	igraph_integer_t *order, norder;
	igraph_integer_t *koff, *kids; /* tree children, compressed rows */
	igraph_integer_t *size;   /* models in the subtree */
} forest;

static void forest_free(forest *f)
{
	free(f->parent);
	free(f->rel);
	free(f->up);
	free(f->order);
	free(f->koff);
	free(f->kids);
	free(f->size);
}

/* Breadth-first from the models already in f->order[from..], over r. */
static void forest_grow(forest *f, const rows *r, const lin_catalog *cat,
                        igraph_integer_t from, int up)
{
	for (igraph_integer_t i = from; i < f->norder; i++) {
		igraph_integer_t v = f->order[i];
		for (igraph_integer_t k = r->off[v]; k < r->off[v + 1]; k++) {
			igraph_integer_t w = r->nb[k];
			if (f->parent[w] != -2)
				continue;
			f->parent[w] = v;
			f->rel[w] = (int)lin_catalog_edge_relation(cat, r->eid[k]);
			f->up[w] = (char)up;
			f->order[f->norder++] = w;
		}
	}
}

static int forest_build(forest *f, const lin_catalog *cat, const char *sel,
                        igraph_integer_t nsel, const lin_draw_opts *o)
{
	igraph_integer_t n = lin_catalog_count(cat);
	rows out = {NULL, NULL, NULL}, in = {NULL, NULL, NULL};
	int rc = LIN_ENOMEM;

	f->parent = malloc((size_t)n * sizeof(*f->parent));
	f->rel = malloc((size_t)n * sizeof(*f->rel));
	f->up = calloc((size_t)n, 1);
	f->order = malloc(((size_t)nsel + 1) * sizeof(*f->order));
	f->size = calloc((size_t)n, sizeof(*f->size));
	f->koff = calloc((size_t)n + 1, sizeof(*f->koff));
	f->kids = malloc(((size_t)nsel + 1) * sizeof(*f->kids));
	if (!f->parent || !f->rel || !f->up || !f->order || !f->size || !f->koff ||
	    !f->kids || rows_build(&out, cat, sel, o->relations, IGRAPH_OUT))
		goto done;
	for (igraph_integer_t v = 0; v < n; v++)
		f->parent[v] = -2, f->rel[v] = -1;
	f->norder = 0;
	if (o->focus >= 0) {
		f->parent[o->focus] = -1;
		f->order[f->norder++] = o->focus;
		forest_grow(f, &out, cat, 0, 0);
		if (o->ancestors || !o->descendants) {
			igraph_integer_t mark = f->norder;
			if (rows_build(&in, cat, sel, o->relations, IGRAPH_IN))
				goto done;
			/* restart from the focus alone, on the in-edges */
			for (igraph_integer_t k = in.off[o->focus]; k < in.off[o->focus + 1]; k++) {
				igraph_integer_t w = in.nb[k];
				if (f->parent[w] != -2)
					continue;
				f->parent[w] = o->focus;
				f->rel[w] = (int)lin_catalog_edge_relation(cat, in.eid[k]);
				f->up[w] = 1;
				f->order[f->norder++] = w;
			}
			forest_grow(f, &in, cat, mark, 1);
		}
	} else {
		/* roots: selected models with no selected parent, in vertex order */
		for (igraph_integer_t v = 0; v < n; v++)
			for (igraph_integer_t k = out.off[v]; k < out.off[v + 1]; k++)
				f->parent[out.nb[k]] = -3; /* has a parent */
		for (igraph_integer_t v = 0; v < n; v++) {
			if (sel[v] && f->parent[v] == -2) {
				f->parent[v] = -1;
				f->order[f->norder++] = v;
			} else if (f->parent[v] == -3) {
				f->parent[v] = -2;
			}
		}
		forest_grow(f, &out, cat, 0, 0);
	}
	/* subtree sizes, leaves first; tree children as compressed rows */
	for (igraph_integer_t i = f->norder - 1; i >= 0; i--) {
		igraph_integer_t v = f->order[i], p = f->parent[v];
		f->size[v] += 1;
		if (p >= 0) {
			f->size[p] += f->size[v];
			f->koff[p + 1]++;
		}
	}
	for (igraph_integer_t v = 0; v < n; v++)
		f->koff[v + 1] += f->koff[v];
	{
		igraph_integer_t *fill = calloc((size_t)n + 1, sizeof(*fill));
		if (!fill)
			goto done;
		for (igraph_integer_t i = 0; i < f->norder; i++) {
			igraph_integer_t v = f->order[i], p = f->parent[v];
			if (p >= 0)
				f->kids[f->koff[p] + fill[p]++] = v;
		}
		free(fill);
	}
	rc = 0;
done:
	rows_free(&out);
	rows_free(&in);
	return rc;
}

/* A max-heap of candidates: bigger subtree first, then lower vertex id. */
typedef struct heap {
	igraph_integer_t *v;
	size_t n, cap;
	const igraph_integer_t *size;
} heap;

static int heap_before(const heap *h, igraph_integer_t a, igraph_integer_t b)
{
	if (h->size[a] != h->size[b])
		return h->size[a] > h->size[b];
	return a < b;
}

static int heap_push(heap *h, igraph_integer_t v)
{
	size_t i = h->n;
	if (lin_i_grow(&h->v, &h->cap, h->n + 1, sizeof(*h->v)))
		return LIN_ENOMEM;
	h->v[h->n++] = v;
	while (i > 0 && heap_before(h, h->v[i], h->v[(i - 1) / 2])) {
		igraph_integer_t t = h->v[i];
		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return 0;
}

static igraph_integer_t heap_pop(heap *h)
{
	igraph_integer_t top = h->v[0];
	size_t i = 0;
	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, best = i;
		if (l < h->n && heap_before(h, h->v[l], h->v[best]))
			best = l;
		if (r < h->n && heap_before(h, h->v[r], h->v[best]))
			best = r;
		if (best == i)
			break;
		igraph_integer_t t = h->v[i];
		h->v[i] = h->v[best];
		h->v[best] = t;
		i = best;
	}
	return top;
}

/* The counter of hidden tree children that a summary node next to parent
 * (on the side up) stands for. */
typedef struct budget {
	igraph_integer_t *hidden; /* per vertex: tree children not kept */
	igraph_integer_t top;     /* roots not kept */
	igraph_integer_t focus_up; /* the focus's ancestors not kept */
	igraph_integer_t focus;
} budget;

static igraph_integer_t *slot_of(budget *b, igraph_integer_t parent, int up)
{
	if (parent < 0)
		return &b->top;
	if (parent == b->focus && up)
		return &b->focus_up;
	return &b->hidden[parent];
}

/* The edges between v and the models already drawn, both ways. */
static igraph_integer_t drawn_edges(const lin_plan *p, const rows *out, const rows *in,
                                    igraph_integer_t v)
{
	igraph_integer_t k = 0;
	for (igraph_integer_t j = out->off[v]; j < out->off[v + 1]; j++)
		k += p->drawn[out->nb[j]];
	for (igraph_integer_t j = in->off[v]; j < in->off[v + 1]; j++)
		k += p->drawn[in->nb[j]];
	return k;
}

/* Keeps the most-derived models (by subtree size) while models plus the
 * summary nodes they need fit in cap, and (ecap > 0) their edges plus the
 * summaries' links in ecap; fills p->mores for the others. A model whose
 * boxes do not fit ends the search (the rest are smaller); one whose edges
 * do not fit is skipped, as a merge of forty drawn models may be followed
 * by a fine-tune that needs one edge. */
static int collapse(lin_plan *p, const lin_catalog *cat, const lin_draw_opts *o,
                    const char *sel, igraph_integer_t nsel, int cap, int ecap)
{
	igraph_integer_t n = lin_catalog_count(cat);
	forest f;
	heap h = {NULL, 0, 0, NULL};
	budget b = {NULL, 0, 0, o->focus};
	rows eout = {NULL, NULL, NULL}, ein = {NULL, NULL, NULL};
	igraph_integer_t cost = 0, ecost = 0, *more_at = NULL, more_top = -1, more_focus_up = -1;
	int rc = LIN_ENOMEM;

	memset(&f, 0, sizeof(f));
	if (forest_build(&f, cat, sel, nsel, o))
		goto done;
	if (ecap > 0 && (rows_build(&eout, cat, sel, o->relations, IGRAPH_OUT) ||
	                 rows_build(&ein, cat, sel, o->relations, IGRAPH_IN)))
		goto done;
	h.size = f.size;
	b.hidden = calloc((size_t)n, sizeof(*b.hidden));
	more_at = malloc((size_t)n * sizeof(*more_at));
	if (!b.hidden || !more_at)
		goto done;
	/* start: the focus is always kept; otherwise every root is a candidate */
	if (o->focus >= 0) {
		p->drawn[o->focus] = 1;
		cost = 1;
		for (igraph_integer_t k = f.koff[o->focus]; k < f.koff[o->focus + 1]; k++) {
			igraph_integer_t w = f.kids[k];
			(*slot_of(&b, o->focus, f.up[w]))++;
			if (heap_push(&h, w))
				goto done;
		}
		cost += (b.hidden[o->focus] > 0) + (b.focus_up > 0);
		ecost = cost - 1; /* each summary's link to the focus */
	} else {
		for (igraph_integer_t i = 0; i < f.norder && f.parent[f.order[i]] == -1; i++) {
			b.top++;
			if (heap_push(&h, f.order[i]))
				goto done;
		}
		cost = b.top > 0;
	}
	while (h.n > 0) {
		igraph_integer_t c = heap_pop(&h), par = f.parent[c];
		igraph_integer_t *slot = slot_of(&b, par, f.up[c]);
		igraph_integer_t nk = f.koff[c + 1] - f.koff[c];
		igraph_integer_t delta = 1 + (nk > 0) - (*slot == 1);
		if (cost + delta > cap)
			break;
		if (ecap > 0) {
			/* its summary of hidden children gets a link; its parent's
			 * summary (not the roots', which has none) may go */
			igraph_integer_t edelta = drawn_edges(p, &eout, &ein, c) + (nk > 0) -
			                          (*slot == 1 && slot != &b.top);
			if (ecost + edelta > ecap) {
				p->edge_bound = 1;
				continue;
			}
			ecost += edelta;
		}
		cost += delta;
		(*slot)--;
		p->drawn[c] = 1;
		b.hidden[c] = nk;
		for (igraph_integer_t k = f.koff[c]; k < f.koff[c + 1]; k++)
			if (heap_push(&h, f.kids[k]))
				goto done;
	}
	/* each hidden model counts in the summary of its nearest kept tree
	 * ancestor; parents come before children in BFS order */
	for (igraph_integer_t v = 0; v < n; v++)
		more_at[v] = -1;
	for (igraph_integer_t i = 0; i < f.norder; i++) {
		igraph_integer_t v = f.order[i], par = f.parent[v], *slot = NULL, idx = -1;
		if (p->drawn[v])
			continue;
		if (par >= 0 && !p->drawn[par]) {
			idx = more_at[par]; /* inside a hidden subtree */
		} else {
			slot = par < 0 ? &more_top
			     : (par == o->focus && f.up[v]) ? &more_focus_up : &more_at[par];
			if (*slot < 0) {
				lin_more *grown = realloc(p->mores, (p->nmores + 1) * sizeof(*grown));
				if (!grown)
					goto done;
				p->mores = grown;
				memset(&p->mores[p->nmores], 0, sizeof(*grown));
				p->mores[p->nmores].anchor = par < 0 ? -1 : par;
				p->mores[p->nmores].up = f.up[v];
				*slot = (igraph_integer_t)p->nmores++;
			}
			idx = *slot;
		}
		more_at[v] = idx;
		p->mores[idx].total++;
		if (f.rel[v] >= 0)
			p->mores[idx].by_rel[f.rel[v]]++;
		p->hidden++;
	}
	rc = 0;
done:
	forest_free(&f);
	rows_free(&eout);
	rows_free(&ein);
	free(h.v);
	free(b.hidden);
	free(more_at);
	return rc;
}

/* ---- edges and transitive reduction ----------------------------------------- */

/* Every edge between two drawn models whose relation is wanted: each drawn
 * model's out-edges, in vertex then catalog edge order. */
static int collect_edges(lin_plan *p, const lin_catalog *cat, lin_relmask mask,
                         lin_error *err)
{
	int rc = 0;
	const igraph_t *g = lin_catalog_graph(cat);
	igraph_vector_int_t inc;
	int inc_init = 0;

	LIN_IG(igraph_vector_int_init(&inc, 0));
	inc_init = 1;
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(&p->verts); i++) {
		if ((rc = lin_catalog_children(&inc, cat, VECTOR(p->verts)[i], mask, err)))
			goto done;
		for (igraph_integer_t k = 0; k < igraph_vector_int_size(&inc); k++) {
			igraph_integer_t e = VECTOR(inc)[k];
			if (p->drawn[IGRAPH_TO(g, e)])
				LIN_IG(igraph_vector_int_push_back(&p->edges, e));
		}
	}
done:
	if (inc_init)
		igraph_vector_int_destroy(&inc);
	return rc;
}

/* Drops each drawn edge a -> c when c is also reachable from a through
 * another drawn child of a (a model that lists its base and its base's
 * base). The drawing is small (at most LIN_DRAW_MAX_NODES_LIMIT models), so
 * one search per edge is cheap. Edges are indexed locally. */
static int reduce_edges(lin_plan *p, const lin_catalog *cat, lin_error *err)
{
	const igraph_t *g = lin_catalog_graph(cat);
	igraph_integer_t nv = igraph_vector_int_size(&p->verts);
	igraph_integer_t ne = igraph_vector_int_size(&p->edges), kept = 0;
	igraph_integer_t *loc = NULL, *off = NULL, *to = NULL, *stack = NULL;
	char *seen = NULL, *drop = NULL;
	int rc = 0;

	if (ne < 2)
		return 0;
	loc = malloc((size_t)lin_catalog_count(cat) * sizeof(*loc));
	off = calloc((size_t)nv + 1, sizeof(*off));
	to = malloc((size_t)ne * sizeof(*to));
	stack = malloc(((size_t)ne + 1) * sizeof(*stack));
	seen = malloc((size_t)nv);
	drop = calloc((size_t)ne, 1);
	if (!loc || !off || !to || !stack || !seen || !drop) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (igraph_integer_t i = 0; i < nv; i++)
		loc[VECTOR(p->verts)[i]] = i;
	/* edges are grouped by source in p->edges already (collect order) */
	for (igraph_integer_t k = 0; k < ne; k++) {
		igraph_integer_t e = VECTOR(p->edges)[k];
		off[loc[IGRAPH_FROM(g, e)] + 1]++;
		to[k] = loc[IGRAPH_TO(g, e)];
	}
	for (igraph_integer_t i = 0; i < nv; i++)
		off[i + 1] += off[i];
	for (igraph_integer_t a = 0; a < nv; a++) {
		if (off[a + 1] - off[a] < 2)
			continue;
		/* everything reachable from a's children in one or more steps */
		igraph_integer_t top = 0;
		memset(seen, 0, (size_t)nv);
		for (igraph_integer_t k = off[a]; k < off[a + 1]; k++)
			for (igraph_integer_t j = off[to[k]]; j < off[to[k] + 1]; j++)
				if (!seen[to[j]]) {
					seen[to[j]] = 1;
					stack[top++] = to[j];
				}
		while (top > 0) {
			igraph_integer_t u = stack[--top];
			for (igraph_integer_t j = off[u]; j < off[u + 1]; j++)
				if (!seen[to[j]]) {
					seen[to[j]] = 1;
					stack[top++] = to[j];
				}
		}
		for (igraph_integer_t k = off[a]; k < off[a + 1]; k++)
			if (seen[to[k]])
				drop[k] = 1;
	}
	for (igraph_integer_t k = 0; k < ne; k++)
		if (!drop[k])
			VECTOR(p->edges)[kept++] = VECTOR(p->edges)[k];
	p->reduced = ne - kept;
	igraph_vector_int_resize(&p->edges, kept); /* shrinking cannot fail */
done:
	free(loc);
	free(off);
	free(to);
	free(stack);
	free(seen);
	free(drop);
	return rc;
}

/* ---- the plan ------------------------------------------------------------------ */

/* The edges of relations in mask between selected models. */
static igraph_integer_t selected_edges(const lin_catalog *cat, const char *sel,
                                       lin_relmask mask)
{
	const igraph_t *g = lin_catalog_graph(cat);
	igraph_integer_t k = 0;
	for (igraph_integer_t e = 0; e < igraph_ecount(g); e++)
		k += sel[IGRAPH_FROM(g, e)] && sel[IGRAPH_TO(g, e)] &&
		     (mask & LIN_REL_BIT(lin_catalog_edge_relation(cat, e)));
	return k;
}

void lin_i_plan_dispose(lin_plan *p)
{
	if (!p || !p->ready)
		return;
	igraph_vector_int_destroy(&p->verts);
	igraph_vector_int_destroy(&p->edges);
	free(p->mores);
	free(p->drawn);
	memset(p, 0, sizeof(*p));
}

int lin_i_plan_make(lin_plan *p, const lin_catalog *cat, const lin_draw_opts *o,
                  int cap, lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t sel;
	int sel_init = 0;
	igraph_integer_t n = 0, nsel = 0, nedges = 0;
	char *in_sel = NULL;

	memset(p, 0, sizeof(*p));
	if (!cat || !o)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "lin_i_plan_make: NULL argument");
	if (cap > LIN_DRAW_MAX_NODES_LIMIT)
		return lin_i_fail(err, LIN_ELIMIT, NULL, 0, 0,
		                "--max-nodes %d is above the limit of %d (dot's layout time "
		                "grows fast with size)", cap, LIN_DRAW_MAX_NODES_LIMIT);
	if (o->max_edges > LIN_DRAW_MAX_EDGES_LIMIT)
		return lin_i_fail(err, LIN_ELIMIT, NULL, 0, 0,
		                "--max-edges %d is above the limit of %d (dot's layout time "
		                "grows fast with size)", o->max_edges, LIN_DRAW_MAX_EDGES_LIMIT);
	n = lin_catalog_count(cat);
	if (igraph_vector_int_init(&p->verts, 0) != IGRAPH_SUCCESS)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if (igraph_vector_int_init(&p->edges, 0) != IGRAPH_SUCCESS) {
		igraph_vector_int_destroy(&p->verts);
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	p->ready = 1;
	p->cap = cap > 0 ? cap : 0;
	p->ecap = o->max_edges > 0 ? o->max_edges : 0;
	LIN_IG(igraph_vector_int_init(&sel, 0));
	sel_init = 1;
	if ((rc = lin_draw_select(&sel, cat, o, err)))
		goto done;
	nsel = igraph_vector_int_size(&sel);
	p->selected = nsel;
	p->drawn = calloc((size_t)n + 1, 1);
	in_sel = calloc((size_t)n + 1, 1);
	if (!p->drawn || !in_sel) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if (cap <= 0 && nsel > LIN_DRAW_MAX_NODES_LIMIT) {
		rc = lin_i_fail(err, LIN_ELIMIT, NULL, 0, 0,
		              "the drawing would have %" IGRAPH_PRId " models (limit %d); "
		              "collapse it with --max-nodes, or pick a focus model and/or "
		              "a smaller --depth", nsel, LIN_DRAW_MAX_NODES_LIMIT);
		goto done;
	}
	for (igraph_integer_t i = 0; i < nsel; i++)
		in_sel[VECTOR(sel)[i]] = 1;
	nedges = selected_edges(cat, in_sel, o->relations);
	if (p->ecap == 0 && nedges > LIN_DRAW_MAX_EDGES_LIMIT) {
		rc = lin_i_fail(err, LIN_ELIMIT, NULL, 0, 0,
		              "the drawing would have %" IGRAPH_PRId " derivations (limit %d); "
		              "collapse it with --max-edges, or pick a focus model and/or "
		              "a smaller --depth", nedges, LIN_DRAW_MAX_EDGES_LIMIT);
		goto done;
	}
	if ((cap > 0 && nsel > cap) || (p->ecap > 0 && nedges > p->ecap)) {
		/* no node budget: the node limit holds already (refused above) */
		rc = collapse(p, cat, o, in_sel, nsel, cap > 0 ? cap : INT_MAX, p->ecap);
		if (rc) {
			rc = lin_i_fail(err, rc, NULL, 0, 0, "out of memory");
			goto done;
		}
		for (igraph_integer_t v = 0; v < n; v++)
			if (p->drawn[v])
				LIN_IG(igraph_vector_int_push_back(&p->verts, v));
	} else {
		for (igraph_integer_t i = 0; i < nsel; i++)
			p->drawn[VECTOR(sel)[i]] = 1;
		LIN_IG(igraph_vector_int_update(&p->verts, &sel));
	}
	if ((rc = collect_edges(p, cat, o->relations, err)))
		goto done;
	if (o->reduce)
		rc = reduce_edges(p, cat, err);
done:
	free(in_sel);
	if (sel_init)
		igraph_vector_int_destroy(&sel);
	if (rc)
		lin_i_plan_dispose(p);
	return rc;
}

/* ---- text -------------------------------------------------------------------- */

void lin_i_put_count(lin_buf *b, igraph_integer_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%" IGRAPH_PRId, n < 0 ? -n : n);
	if (n < 0)
		lin_buf_puts(b, "-");
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			lin_buf_puts(b, ",");
		lin_buf_append(b, &digits[i], 1);
	}
}

/* What a model derived by relation r is called, singular and plural. */
static const char *const rel_noun[LIN_REL_COUNT][2] = {
	[LIN_REL_FINETUNE] = {"fine-tune", "fine-tunes"},
	[LIN_REL_ADAPTER] = {"adapter", "adapters"},
	[LIN_REL_MERGE] = {"merge", "merges"},
	[LIN_REL_QUANTIZED] = {"quantized", "quantized"},
	[LIN_REL_CONTINUED_PRETRAIN] = {"continued pre-training", "continued pre-trainings"},
	[LIN_REL_RLHF] = {"RLHF tune", "RLHF tunes"},
	[LIN_REL_DISTILL] = {"distillation", "distillations"},
	[LIN_REL_MULTIMODAL] = {"multimodal extension", "multimodal extensions"},
	[LIN_REL_RECIPE] = {"recipe follower", "recipe followers"},
	[LIN_REL_UPCYCLE] = {"upcycle", "upcycles"},
	[LIN_REL_PRUNE] = {"pruned model", "pruned models"},
};

#define SEP_DOT " \xc2\xb7 " /* " · " */

void lin_i_more_label(lin_buf *b, const lin_more *m, const char *nl)
{
	int used[LIN_REL_COUNT] = {0}, shown = 0;
	igraph_integer_t counted = 0;

	lin_buf_puts(b, "+ ");
	if (m->anchor < 0 || m->up) {
		lin_i_put_count(b, m->total);
		lin_buf_puts(b, m->anchor < 0 ? (m->total == 1 ? " other model" : " other models")
		                             : (m->total == 1 ? " more ancestor" : " more ancestors"));
		return;
	}
	for (;;) {
		int best = -1;
		for (int r = 0; r < LIN_REL_COUNT; r++)
			if (!used[r] && m->by_rel[r] > 0 &&
			    (best < 0 || m->by_rel[r] > m->by_rel[best]))
				best = r;
		if (best < 0)
			break;
		used[best] = 1;
		if (shown)
			lin_buf_puts(b, shown % 3 == 0 ? nl : SEP_DOT);
		lin_i_put_count(b, m->by_rel[best]);
		lin_buf_printf(b, " %s", rel_noun[best][m->by_rel[best] != 1]);
		counted += m->by_rel[best];
		shown++;
	}
	if (counted < m->total) {
		if (shown)
			lin_buf_puts(b, SEP_DOT);
		lin_i_put_count(b, m->total - counted);
		lin_buf_puts(b, " more");
	}
}

void lin_i_draw_title(lin_buf *b, const lin_catalog *cat, const lin_draw_opts *o,
                    const lin_plan *p)
{
	igraph_integer_t ne = igraph_vector_int_size(&p->edges);
	if (o->title) {
		lin_buf_puts(b, o->title);
		return;
	}
	if (o->focus < 0) {
		lin_buf_puts(b, "lineage: ");
		lin_i_put_count(b, p->selected);
		lin_buf_printf(b, " model%s, ", p->selected == 1 ? "" : "s");
		lin_i_put_count(b, ne);
		lin_buf_printf(b, " derivation%s%s", ne == 1 ? "" : "s", p->hidden ? " drawn" : "");
	} else {
		const lin_model *m = lin_catalog_model(cat, o->focus);
		int up = o->ancestors || !o->descendants, down = o->descendants || !o->ancestors;
		lin_buf_puts(b, m->name ? m->name : m->id);
		lin_buf_puts(b, up && down ? ": ancestors and descendants"
		                           : up ? ": ancestors" : ": descendants");
		if (o->depth >= 0)
			lin_buf_printf(b, " (depth %d)", o->depth);
	}
	if (o->selection && o->selection[0]) {
		lin_buf_puts(b, " \xe2\x80\x94 ");
		lin_buf_puts(b, o->selection);
	}
}

void lin_i_plan_budget(lin_buf *b, const lin_plan *p)
{
	if (p->cap > 0)
		lin_buf_printf(b, "%d boxes", p->cap);
	if (p->edge_bound || p->cap == 0)
		lin_buf_printf(b, "%s%d edges", p->cap > 0 ? " and " : "", p->ecap);
}

void lin_i_plan_note(lin_buf *b, const lin_plan *p)
{
	if (p->hidden > 0) {
		lin_buf_puts(b, "showing ");
		lin_i_put_count(b, p->selected - p->hidden);
		lin_buf_puts(b, " of ");
		lin_i_put_count(b, p->selected);
		lin_buf_puts(b, " models (at most ");
		lin_i_plan_budget(b, p);
		lin_buf_puts(b, "): the most-derived are kept, the other ");
		lin_i_put_count(b, p->hidden);
		lin_buf_printf(b, " are counted in %zu \"+N\" box%s", p->nmores,
		               p->nmores == 1 ? "" : "es");
	}
	if (p->reduced > 0) {
		if (p->hidden > 0)
			lin_buf_puts(b, "; ");
		lin_i_put_count(b, p->reduced);
		lin_buf_printf(b, " redundant edge%s left out (a base's base)",
		               p->reduced == 1 ? "" : "s");
	}
}

/* ---- shared helpers ------------------------------------------------------------ */

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

#define URL_MAX_BYTES 2048

int lin_i_put_url(lin_buf *b, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!url || strlen(url) > URL_MAX_BYTES ||
	    !(prefix_ci(url, "http://") || prefix_ci(url, "https://")))
		return 0;
	for (const unsigned char *q = (const unsigned char *)url; *q; q++) {
		char enc[3] = {'%', hex[*q >> 4], hex[*q & 15]};
		if (url_safe(*q))
			lin_buf_append(b, (const char *)q, 1);
		else
			lin_buf_append(b, enc, 3);
	}
	return 1;
}

void lin_i_put_slug(lin_buf *b, const char *s, size_t max)
{
	size_t n = 0;
	int dash = 0;
	for (const char *q = s ? s : ""; *q && n < max; q++) {
		char c = (*q >= 'A' && *q <= 'Z') ? (char)(*q - 'A' + 'a') : *q;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n > 0 && n + 1 < max) {
				lin_buf_puts(b, "-");
				n++;
			}
			dash = 0;
			lin_buf_append(b, &c, 1);
			n++;
		} else {
			dash = 1;
		}
	}
}

igraph_integer_t lin_i_family_root(const lin_catalog *cat, igraph_integer_t v)
{
	/* a chain is at most as long as the catalog; bound it anyway */
	for (int steps = 0; steps < 100000; steps++) {
		const lin_model *m = lin_catalog_model(cat, v);
		igraph_integer_t next = -1;
		for (size_t i = 0; i < m->nparents && next < 0; i++) {
			lin_relation r = m->parents[i].relation;
			if (r != LIN_REL_DISTILL && r != LIN_REL_RECIPE && m->parents[i].vertex >= 0)
				next = m->parents[i].vertex;
		}
		if (next < 0)
			return v;
		v = next;
	}
	return v;
}

igraph_integer_t lin_i_plan_merge_hidden(const lin_catalog *cat, const lin_plan *p,
                                         igraph_integer_t v)
{
	const lin_model *m = lin_catalog_model(cat, v);
	igraph_integer_t n = 0;
	for (size_t i = 0; m && i < m->nparents; i++) {
		const lin_parent *a = &m->parents[i];
		int again = 0;
		if (a->relation != LIN_REL_MERGE || a->vertex < 0 || p->drawn[a->vertex])
			continue;
		for (size_t j = 0; j < i && !again; j++) /* a parent listed twice counts once */
			again = m->parents[j].relation == LIN_REL_MERGE && m->parents[j].vertex == a->vertex;
		n += !again;
	}
	return n;
}

int lin_group_parse(const char *s)
{
	static const char *const names[] = {"auto", "none", "family", "org", "architecture"};
	for (int i = 0; s && i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return s && strcmp(s, "arch") == 0 ? LIN_GROUP_ARCH : -1;
}
