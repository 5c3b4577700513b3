/*
 * gv_graph.c - the cgraph graph of a plan: a sequential id discipline so
 * the layout never depends on the heap, then one node per drawn model, one
 * edge per derivation and the "+N" summary nodes, each styled and escaped.
 * User text never becomes a DOT node id (nodes are "n<vertex>").
 */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building the graph ----------------------------------------------------- */

/* Sets attribute name of obj (declaring it with an empty default). */
void lin_i_gv_set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

/* Sets obj's attribute from the scratch buffer, then empties it. */
int lin_i_gv_set_tmp(lin_gv *d, void *obj, const char *name)
{
	if (d->tmp.oom)
		return LIN_ENOMEM;
	lin_i_gv_set(obj, name, d->tmp.data ? d->tmp.data : "");
	d->tmp.len = 0;
	if (d->tmp.data)
		d->tmp.data[0] = '\0';
	return 0;
}

void lin_i_gv_declare(Agraph_t *g, int kind, const char *name, const char *value)
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
int lin_i_gv_open_graph(lin_gv *d, lin_error *err)
{
	Agraph_t *g = NULL;

	seq_disc.mem = &AgMemDisc;
	seq_disc.id = &seq_iddisc;
	seq_disc.io = &AgIoDisc;
	g = agopen((char *)"lineage", Agdirected, &seq_disc);
	if (!g)
		return lin_i_gv_fail(err, "cannot create a graph");
	d->g = g;
	lin_i_gv_declare(g, AGRAPH, "rankdir", d->o->left_to_right ? "LR" : "TB");
	lin_i_gv_declare(g, AGRAPH, "newrank", "true");
	lin_i_gv_declare(g, AGRAPH, "fontname", "DejaVu Sans");
	lin_i_gv_declare(g, AGRAPH, "fontsize", "18");
	lin_i_gv_declare(g, AGRAPH, "labelloc", "t");
	lin_i_gv_declare(g, AGRAPH, "bgcolor", "#ffffff");
	lin_i_gv_declare(g, AGRAPH, "pad", "0.3");
	/* the evolution tree packed tight: 151 models in about 50,000 pt² each */
	lin_i_gv_declare(g, AGRAPH, "nodesep", d->o->by_year ? "0.1" : "0.25");
	lin_i_gv_declare(g, AGRAPH, "ranksep", d->o->by_year ? "0.4" : "0.55");
	lin_i_gv_declare(g, AGRAPH, "outputorder", "edgesfirst");
	lin_i_gv_declare(g, AGNODE, "shape", "box");
	lin_i_gv_declare(g, AGNODE, "style", "rounded,filled");
	lin_i_gv_declare(g, AGNODE, "fontname", "DejaVu Sans");
	lin_i_gv_declare(g, AGNODE, "fontsize", d->o->by_year ? "10" : "11");
	lin_i_gv_declare(g, AGNODE, "color", "#4a5568");
	lin_i_gv_declare(g, AGNODE, "penwidth", "1");
	lin_i_gv_declare(g, AGNODE, "margin", d->o->by_year ? "0.06,0.03" : "0.12,0.06");
	lin_i_gv_declare(g, AGEDGE, "fontname", "DejaVu Sans");
	lin_i_gv_declare(g, AGEDGE, "fontsize", "9");
	lin_i_gv_declare(g, AGEDGE, "arrowsize", "0.7");
	return 0;
}

/* The layout budget. dot's network simplex (ranks: nslimit1, coordinates:
 * nslimit, iterations per node of its graph, whose virtual nodes grow with
 * every rank a long edge crosses) and its crossing minimisation (mclimit
 * scales its passes, searchsize its search per step) run unbounded by
 * default: 150 models with 1,320 edges took 36 s in dot alone. Drawings
 * up to LAYOUT_FREE_EDGES edges (every one of the shipped catalog's, which
 * stay byte for byte as they were) keep Graphviz's defaults. Bigger ones
 * get one simplex iteration per node and crossing passes shrinking with
 * the square of the edges (0.39 of the default at 400 edges, 0.06 at
 * LIN_DRAW_MAX_EDGES_LIMIT); above LAYOUT_LINE_EDGES straight edges, as
 * routing splines took a third of the time at 500 edges and most of it
 * at 1,320. Measured on 2 busy cores, dense catalogs: 400 edges (the
 * default budget) 0.25-0.45 s of CPU, 1,000 (the limit) 1-2.6 s; 2,000
 * would still take 6-22 s, hence the limit. */
#define LAYOUT_FREE_EDGES 250
#define LAYOUT_LINE_EDGES 500

void lin_i_gv_layout_budget(lin_gv *d)
{
	igraph_integer_t ne = igraph_vector_int_size(&d->p->edges);
	char num[32];
	for (size_t i = 0; i < d->p->nmores; i++)
		ne += d->p->mores[i].anchor >= 0;
	if (ne <= LAYOUT_FREE_EDGES)
		return;
	double mc = (double)LAYOUT_FREE_EDGES / (double)ne;
	mc *= mc;
	snprintf(num, sizeof(num), "%.2f", mc < 0.02 ? 0.02 : mc);
	lin_i_gv_declare(d->g, AGRAPH, "nslimit", "1");
	lin_i_gv_declare(d->g, AGRAPH, "nslimit1", "1");
	lin_i_gv_declare(d->g, AGRAPH, "mclimit", num);
	lin_i_gv_declare(d->g, AGRAPH, "searchsize", "10");
	if (ne > LAYOUT_LINE_EDGES)
		lin_i_gv_declare(d->g, AGRAPH, "splines", "line");
}

static char dom_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') ? c : '-';
}

void lin_i_put_dom_id(lin_buf *b, const char *id)
{
	lin_buf_puts(b, "model-");
	for (const char *p = id ? id : ""; *p; p++) {
		char c = dom_char(*p);
		lin_buf_append(b, &c, 1);
	}
}

/* Two catalog ids may map to the same DOM id ("a.b", "a_b", "a-b"): each
 * but the lowest-numbered of the drawn models gets "_<vertex>". '_' is
 * never produced by dom_char, so a suffixed id cannot equal any other id
 * of the drawing, suffixed or not: unique by construction. Compares
 * without copying, over the drawn models (at most the plan's budget). */
static int dom_id_taken(const lin_gv *d, const lin_model *m, igraph_integer_t v)
{
	const char *mine = m->id ? m->id : "";
	const igraph_vector_int_t *verts = &d->p->verts;
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(verts); i++) {
		igraph_integer_t u = VECTOR(*verts)[i];
		const char *a = mine, *b = NULL;
		if (u >= v)
			continue;
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
/* hidden: the merge's parents left out of the drawing (a line of its own). */
static void put_label(lin_buf *b, const lin_model *m, int by_year, igraph_integer_t hidden)
{
	lin_buf line = LIN_BUF_INIT;
	lin_i_gv_put_text(b, m->name ? m->name : m->id, NAME_MAX_CHARS);
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
		lin_i_gv_put_text(b, line.data, NAME_MAX_CHARS);
	}
	if (hidden > 0) {
		lin_buf_puts(b, "\\n+");
		lin_i_put_count(b, hidden);
		lin_buf_printf(b, " parent%s not shown", hidden == 1 ? "" : "s");
	}
	if (line.oom)
		b->oom = 1;
	lin_buf_dispose(&line);
}

/* Hover text: name and org, release date, parameters, licence, weights. */
static void put_tooltip(lin_buf *b, const lin_model *m)
{
	lin_i_gv_put_tip(b, m->name ? m->name : m->id, TEXT_MAX_CHARS);
	if (m->org) {
		lin_buf_puts(b, " \xe2\x80\x94 ");
		lin_i_gv_put_tip(b, m->org, TEXT_MAX_CHARS);
	}
	if (m->external)
		lin_buf_puts(b, "\\nexternal: known only as a parent named by another model");
	if (m->released) {
		lin_buf_puts(b, "\\nreleased ");
		lin_i_gv_put_tip(b, m->released, TEXT_MAX_CHARS);
	}
	for (size_t i = 0; i < m->params.n; i++) {
		lin_buf_puts(b, i ? ", " : "\\nparameters ");
		lin_i_gv_put_tip(b, m->params.items[i], TEXT_MAX_CHARS);
	}
	if (m->license) {
		lin_buf_puts(b, "\\nlicence ");
		lin_i_gv_put_tip(b, m->license, TEXT_MAX_CHARS);
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
		lin_i_put_slug(b, m->org, 40);
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
static int style_node(lin_gv *d, Agnode_t *n, const lin_model *m, igraph_integer_t v)
{
	int rc = 0;
	int st = (m->stage >= 0 && m->stage < LIN_STAGE_COUNT) ? (int)m->stage : -1;

	lin_i_gv_set(n, "fillcolor", lin_i_stage_fill(st));
	if (m->external) {
		lin_i_gv_set(n, "style", "rounded,filled,dotted");
		lin_i_gv_set(n, "color", "#868e96");
		lin_i_gv_set(n, "fontcolor", "#495057");
		lin_i_gv_set(n, "penwidth", "1.6");
		d->external = 1;
	} else if (m->weights == LIN_WEIGHTS_CLOSED) {
		lin_i_gv_set(n, "style", "rounded,filled,dashed");
		lin_i_gv_set(n, "color", CLOSED_BORDER);
		lin_i_gv_set(n, "penwidth", "1.8");
		d->closed = 1;
	}
	if (st >= 0 && !m->external)
		d->stages |= 1u << st;
	put_classes(&d->tmp, m);
	if ((rc = lin_i_gv_set_tmp(d, n, "class")))
		return rc;
	lin_i_put_dom_id(&d->tmp, m->id);
	if (dom_id_taken(d, m, v))
		lin_buf_printf(&d->tmp, "_%" IGRAPH_PRId, v);
	if ((rc = lin_i_gv_set_tmp(d, n, "id")))
		return rc;
	if (m->links.n && lin_i_put_url(&d->tmp, m->links.items[0])) {
		if ((rc = lin_i_gv_set_tmp(d, n, "URL")))
			return rc;
		lin_i_gv_set(n, "target", "_top");
	}
	return 0;
}

/* The graph a node goes into: its group's cluster, else the root graph. */
static Agraph_t *home_of(const lin_gv *d, igraph_integer_t v)
{
	return (d->home && d->home[v]) ? d->home[v] : d->g;
}

/* One node per drawn model, in vertex order. */
int lin_i_gv_add_nodes(lin_gv *d, lin_error *err)
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
			return lin_i_gv_fail(err, "cannot create a node");
		d->nodes[v] = n;
		put_label(&d->tmp, m, d->o->by_year, lin_i_plan_merge_hidden(d->cat, d->p, v));
		if ((rc = lin_i_gv_set_tmp(d, n, "label")))
			break;
		put_tooltip(&d->tmp, m);
		if ((rc = lin_i_gv_set_tmp(d, n, "tooltip")) || (rc = style_node(d, n, m, v)))
			break;
	}
	if (rc)
		return lin_i_fail(err, rc, NULL, 0, 0, "out of memory");
	return 0;
}

/* Edge hover text: "parent → child: relation (variant)". */
static void put_edge_tooltip(lin_buf *b, const lin_model *p, const lin_model *c,
                             const lin_parent *par, lin_relation r)
{
	lin_i_gv_put_tip(b, p->name ? p->name : p->id, NAME_MAX_CHARS);
	lin_buf_puts(b, ARROW);
	lin_i_gv_put_tip(b, c->name ? c->name : c->id, NAME_MAX_CHARS);
	lin_buf_printf(b, ": %s", lin_relation_name(r) ? lin_relation_name(r) : "?");
	if (par && par->variant) {
		lin_buf_puts(b, " (");
		lin_i_gv_put_tip(b, par->variant, NAME_MAX_CHARS);
		lin_buf_puts(b, ")");
	}
	if (par && par->inferred)
		lin_buf_puts(b, ", inferred from the card, not stated");
}

/* An edge whose relation no source states (an importer's guess): dotted
 * and faint, so a reader weighs it less than a declared one, and classed
 * "inferred" for the page. by_year's faint edges stay fainter. */
static int style_inferred(lin_gv *d, Agedge_t *ed, const lin_rel_look *look, int faint)
{
	d->inferred = 1;
	lin_i_gv_set(ed, "style", "dotted");
	lin_buf_printf(&d->tmp, "%s%s", look->color, faint ? "66" : "99");
	return lin_i_gv_set_tmp(d, ed, "color");
}

/* Leaves of a wide fan get minlen 1, 2, 3, 1, ... (what Graphviz's
 * `unflatten -l` does) so that 25 fine-tunes do not make one tall column.
 * Only edges into a leaf with a single drawn parent count; 0 elsewhere. */
#define STAGGER_MIN_LEAVES 6

static int stagger_plan(const lin_gv *d, int *minlen)
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
int lin_i_gv_add_edges(lin_gv *d, lin_error *err)
{
	const igraph_t *gr = lin_catalog_graph(d->cat);
	igraph_integer_t ne = igraph_vector_int_size(&d->p->edges);
	int *minlen = malloc(((size_t)ne + 1) * sizeof(*minlen));
	int rc = 0, anchored = 0;
	char num[16];

	if (!minlen || stagger_plan(d, minlen)) {
		free(minlen);
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (igraph_integer_t i = 0; i < ne && !rc; i++) {
		igraph_integer_t e = VECTOR(d->p->edges)[i];
		igraph_integer_t from = IGRAPH_FROM(gr, e), to = IGRAPH_TO(gr, e);
		lin_relation r = lin_catalog_edge_relation(d->cat, e);
		const lin_rel_look *look = &lin_i_rel_looks[r];
		const lin_parent *par = lin_catalog_edge_parent(d->cat, e);
		int faint = d->o->by_year && !(LIN_REL_WEIGHTS & LIN_REL_BIT(r));
		Agedge_t *ed = agedge(d->g, d->nodes[from], d->nodes[to], NULL, 1);
		if (!ed) {
			rc = lin_i_gv_fail(err, "cannot create an edge");
			break;
		}
		d->rels |= LIN_REL_BIT(r);
		lin_i_gv_set(ed, "color", look->color);
		lin_i_gv_set(ed, "style", look->style);
		lin_i_gv_set(ed, "penwidth", look->penwidth);
		lin_i_gv_set(ed, "arrowhead", look->arrowhead);
		lin_buf_printf(&d->tmp, "edge rel-%s%s", lin_relation_name(r),
		               par->inferred ? " inferred" : "");
		rc = lin_i_gv_set_tmp(d, ed, "class");
		/* by year, same-year edges are flat: a flat edge with a `label`
		 * corrupts memory in dot 2.43 (flat_edges), so use `xlabel` there */
		if (ne <= EDGE_LABELS_MAX) {
			lin_buf_printf(&d->tmp, "%s%s", lin_relation_name(r), par->inferred ? " (inferred)" : "");
			rc = rc ? rc : lin_i_gv_set_tmp(d, ed, d->o->by_year ? "xlabel" : "label");
			lin_i_gv_set(ed, "fontcolor", look->color);
		}
		if (d->o->by_year)
			lin_i_gv_set(ed, "constraint", "false");
		/* on a time axis a distillation or a recipe often spans families
		 * and years: drawn faint and thin, so it reads as a hint, not a
		 * line through the models it passes */
		if (faint) {
			lin_buf_printf(&d->tmp, "%s66", look->color);
			rc = rc ? rc : lin_i_gv_set_tmp(d, ed, "color");
			lin_i_gv_set(ed, "penwidth", "0.8");
			lin_i_gv_set(ed, "arrowsize", "0.5");
		}
		if (par->inferred)
			rc = rc ? rc : style_inferred(d, ed, look, faint);
		/* the root of a family where the eye starts: dot centres a model
		 * on its children, which put LLaMA two thirds down its fan; one
		 * heavy edge to its first child keeps it near the top */
		if (!anchored && !d->o->by_year && from == d->o->focus &&
		    (d->o->descendants || !d->o->ancestors)) {
			lin_i_gv_set(ed, "weight", "100");
			anchored = 1;
		}
		if (minlen[i] > 1) {
			snprintf(num, sizeof(num), "%d", minlen[i]);
			lin_i_gv_set(ed, "minlen", num);
		}
		put_edge_tooltip(&d->tmp, lin_catalog_model(d->cat, from),
		                 lin_catalog_model(d->cat, to),
		                 par, r);
		if (!rc && lin_i_gv_set_tmp(d, ed, "tooltip"))
			rc = LIN_ENOMEM;
		if (rc == LIN_ENOMEM)
			rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	free(minlen);
	return rc;
}

/* One "+N" node per summary of the plan, joined to the model it hangs
 * from; in a time drawing that edge alone places it (a rank beside). */
int lin_i_gv_add_mores(lin_gv *d, lin_error *err)
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
			return lin_i_gv_fail(err, "cannot create a summary node");
		d->mores[i] = n;
		lin_i_more_label(&d->tmp, m, "\\n");
		lin_i_gv_set_tmp(d, n, "label");
		lin_i_gv_set(n, "shape", "folder");
		lin_i_gv_set(n, "style", "filled");
		lin_i_gv_set(n, "fillcolor", "#f1f3f5");
		lin_i_gv_set(n, "color", "#868e96");
		lin_i_gv_set(n, "fontcolor", "#343a40");
		lin_i_gv_set(n, "class", "more");
		snprintf(name, sizeof(name), "more-%zu", i);
		lin_i_gv_set(n, "id", name);
		lin_i_put_count(&d->tmp, m->total);
		lin_buf_printf(&d->tmp, " model%s not drawn (over the drawing's budget of ",
		               m->total == 1 ? "" : "s");
		if (d->p->cap > 0 && !d->p->edge_bound) {
			lin_buf_printf(&d->tmp, "%d)", d->p->cap); /* boxes, as it always said */
		} else {
			lin_i_plan_budget(&d->tmp, d->p);
			lin_buf_puts(&d->tmp, ")");
		}
		if (lin_i_gv_set_tmp(d, n, "tooltip"))
			return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		if (m->anchor < 0)
			continue;
		ed = m->up ? agedge(d->g, n, d->nodes[m->anchor], NULL, 1)
		           : agedge(d->g, d->nodes[m->anchor], n, NULL, 1);
		if (!ed)
			return lin_i_gv_fail(err, "cannot create an edge");
		lin_i_gv_set(ed, "color", "#adb5bd");
		lin_i_gv_set(ed, "style", "solid");
		lin_i_gv_set(ed, "penwidth", "1.2");
		lin_i_gv_set(ed, "class", "edge more");
	}
	return 0;
}

