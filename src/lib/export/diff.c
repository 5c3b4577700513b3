/*
 * diff.c - what changed between two catalogs (say, this release's and the
 * last one's): models added and removed, fields changed, edges added,
 * removed or re-kinded, and its text and JSON renderings. The fields come
 * from the field table, so a new field is compared without a line here;
 * comparing `lineage list` outputs missed whatever the table did not show.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

/* ---- computing ---------------------------------------------------------- */

/* An edge of one catalog, keyed for matching by child then parent id. */
typedef struct edge_rec {
	const char *parent, *child;
	const lin_parent *p;
} edge_rec;

static int cmp_model(const void *a, const void *b)
{
	const lin_model *x = *(const lin_model *const *)a, *y = *(const lin_model *const *)b;
	return strcmp(x->id, y->id);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int nstrcmp(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

/* Child, parent, then relation and variant: the pairing of repeated edges
 * between the same two models is then the same on every run. */
static int cmp_edge(const void *a, const void *b)
{
	const edge_rec *x = a, *y = b;
	int c = strcmp(x->child, y->child);
	if (!c)
		c = strcmp(x->parent, y->parent);
	if (!c)
		c = (int)x->p->relation - (int)y->p->relation;
	if (!c)
		c = nstrcmp(x->p->variant, y->p->variant);
	return c;
}

/* Sorted, deduplicated copy of l's items (borrowed strings) in *out. */
static int sorted_set(const char ***out, size_t *n, const lin_strlist *l)
{
	*out = NULL;
	*n = 0;
	if (!l->n)
		return 0;
	const char **v = malloc(l->n * sizeof(*v));
	if (!v)
		return LIN_ENOMEM;
	for (size_t i = 0; i < l->n; i++)
		v[i] = l->items[i];
	qsort(v, l->n, sizeof(*v), cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	*out = v;
	*n = k;
	return 0;
}

/* 1 when the lists hold different sets of strings, 0 when the same,
 * LIN_ENOMEM. */
static int lists_differ(const lin_strlist *a, const lin_strlist *b)
{
	const char **x = NULL, **y = NULL;
	size_t nx = 0, ny = 0;
	int rc = sorted_set(&x, &nx, a);
	if (rc == 0)
		rc = sorted_set(&y, &ny, b);
	if (rc != 0)
		goto done;
	rc = nx != ny;
	for (size_t i = 0; !rc && i < nx; i++)
		rc = strcmp(x[i], y[i]) != 0;
done:
	free(x);
	free(y);
	return rc;
}

static int edges_differ(const lin_parent *a, const lin_parent *b)
{
	if (a->relation != b->relation || nstrcmp(a->variant, b->variant) ||
	    nstrcmp(a->note, b->note) || a->inferred != b->inferred)
		return 1;
	return lists_differ(&a->sources, &b->sources);
}

/* The catalog's models sorted by id (borrowed pointers). */
static int sorted_models(const lin_model ***out, size_t *n, const lin_catalog *cat)
{
	size_t k = (size_t)lin_catalog_count(cat);
	*out = NULL;
	*n = k;
	if (!k)
		return 0;
	const lin_model **v = malloc(k * sizeof(*v));
	if (!v)
		return LIN_ENOMEM;
	for (size_t i = 0; i < k; i++)
		v[i] = lin_catalog_model(cat, (igraph_integer_t)i);
	qsort(v, k, sizeof(*v), cmp_model);
	*out = v;
	return 0;
}

/* The catalog's edges whose relation is in mask, sorted (cmp_edge). */
static int sorted_edges(edge_rec **out, size_t *n, const lin_catalog *cat, lin_relmask mask)
{
	const igraph_t *g = lin_catalog_graph(cat);
	igraph_integer_t m = igraph_ecount(g);
	edge_rec *v = NULL;
	size_t k = 0;
	*out = NULL;
	*n = 0;
	if (m == 0)
		return 0;
	if (!(v = malloc((size_t)m * sizeof(*v))))
		return LIN_ENOMEM;
	for (igraph_integer_t e = 0; e < m; e++) {
		const lin_parent *p = lin_catalog_edge_parent(cat, e);
		if (!(mask & LIN_REL_BIT(p->relation)))
			continue;
		v[k].parent = lin_catalog_model(cat, IGRAPH_FROM(g, e))->id;
		v[k].child = lin_catalog_model(cat, IGRAPH_TO(g, e))->id;
		v[k].p = p;
		k++;
	}
	qsort(v, k, sizeof(*v), cmp_edge);
	*out = v;
	*n = k;
	return 0;
}

/* Appends one item of size sz to a growable array. */
static int push(void *arr, size_t *n, size_t *cap, const void *item, size_t sz)
{
	void **a = arr;
	if (lin_i_grow(arr, cap, *n + 1, sz))
		return LIN_ENOMEM;
	memcpy((char *)*a + *n * sz, item, sz);
	(*n)++;
	return 0;
}

/* Every field of the table that differs between a and b, in table order. */
static int diff_fields(lin_diff *d, size_t *cap, const lin_model *a, const lin_model *b)
{
	size_t nf = 0;
	const lin_field *fs = lin_model_fields(&nf);
	for (size_t i = 0; i < nf; i++) {
		const lin_field *f = &fs[i];
		int differ;
		/* the id is what matched them; parents are compared as edges */
		if (f->kind == LIN_FIELD_PARENTS || strcmp(f->key, "id") == 0)
			continue;
		if (f->kind == LIN_FIELD_LIST)
			differ = lists_differ(lin_field_list(a, f), lin_field_list(b, f));
		else
			differ = nstrcmp(lin_field_text(a, f), lin_field_text(b, f)) != 0;
		if (differ < 0)
			return differ;
		if (differ) {
			lin_diff_change c = {a, b, f};
			if (push(&d->changed, &d->nchanged, cap, &c, sizeof(c)))
				return LIN_ENOMEM;
		}
	}
	return 0;
}

static int diff_models(lin_diff *d, const lin_catalog *old_cat, const lin_catalog *new_cat)
{
	const lin_model **x = NULL, **y = NULL;
	size_t nx = 0, ny = 0, i = 0, j = 0, cap_a = 0, cap_r = 0, cap_c = 0;
	int rc = sorted_models(&x, &nx, old_cat);
	if (rc == 0)
		rc = sorted_models(&y, &ny, new_cat);
	while (rc == 0 && (i < nx || j < ny)) {
		int c = i == nx ? 1 : j == ny ? -1 : strcmp(x[i]->id, y[j]->id);
		if (c < 0)
			rc = push(&d->removed, &d->nremoved, &cap_r, &x[i++], sizeof(*x));
		else if (c > 0)
			rc = push(&d->added, &d->nadded, &cap_a, &y[j++], sizeof(*y));
		else
			rc = diff_fields(d, &cap_c, x[i++], y[j++]);
	}
	free(x);
	free(y);
	return rc;
}

/* Edges are matched by (child, parent); when one pair has several edges
 * (check warns of those), the k-th of old pairs with the k-th of new. */
static int diff_edges(lin_diff *d, const lin_catalog *old_cat, const lin_catalog *new_cat,
                      lin_relmask mask)
{
	edge_rec *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0, i = 0, j = 0, cap = 0;
	/* all kinds, so that an edge re-kinded out of mask is still a change
	 * rather than a removal */
	int rc = sorted_edges(&x, &nx, old_cat, LIN_REL_ALL);
	if (rc == 0)
		rc = sorted_edges(&y, &ny, new_cat, LIN_REL_ALL);
	while (rc == 0 && (i < nx || j < ny)) {
		int c = i == nx ? 1 : j == ny ? -1 : strcmp(x[i].child, y[j].child);
		if (c == 0)
			c = strcmp(x[i].parent, y[j].parent);
		lin_diff_edge e = {NULL, NULL, NULL, NULL};
		if (c < 0) {
			e = (lin_diff_edge){x[i].parent, x[i].child, x[i].p, NULL};
			i++;
		} else if (c > 0) {
			e = (lin_diff_edge){y[j].parent, y[j].child, NULL, y[j].p};
			j++;
		} else {
			int differ = edges_differ(x[i].p, y[j].p);
			if (differ < 0) {
				rc = differ;
				break;
			}
			e = (lin_diff_edge){y[j].parent, y[j].child, x[i].p, y[j].p};
			i++;
			j++;
			if (!differ)
				continue;
		}
		lin_relmask kinds = (e.old_edge ? LIN_REL_BIT(e.old_edge->relation) : 0) |
		                    (e.new_edge ? LIN_REL_BIT(e.new_edge->relation) : 0);
		if (!(mask & kinds))
			continue;
		rc = push(&d->edges, &d->nedges, &cap, &e, sizeof(e));
	}
	free(x);
	free(y);
	return rc;
}

int lin_catalog_diff(lin_diff **out, const lin_catalog *old_cat, const lin_catalog *new_cat,
                     lin_relmask mask, lin_error *err)
{
	lin_diff *d = NULL;
	int rc = 0;
	if (out)
		*out = NULL;
	if (!out || !old_cat || !new_cat || !lin_catalog_graph(old_cat) ||
	    !lin_catalog_graph(new_cat)) {
		rc = lin_i_fail(err, LIN_EINVAL, NULL, 0, 0,
		                "diff: both catalogs must be loaded and finished");
		goto done;
	}
	/* running out of memory is the only way the comparison can fail */
	if (!(d = calloc(1, sizeof(*d))) || diff_models(d, old_cat, new_cat) != 0 ||
	    diff_edges(d, old_cat, new_cat, mask) != 0) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "diff: out of memory");
		goto done;
	}
	*out = d;
	d = NULL;
done:
	lin_diff_free(d);
	return rc;
}

void lin_diff_free(lin_diff *d)
{
	if (!d)
		return;
	free(d->added);
	free(d->removed);
	free(d->changed);
	free(d->edges);
	free(d);
}

int lin_diff_empty(const lin_diff *d)
{
	return !d || (d->nadded == 0 && d->nremoved == 0 && d->nchanged == 0 && d->nedges == 0);
}

/* ---- text ---------------------------------------------------------------- */

static void text(lin_buf *out, const char *s)
{
	lin_escape(out, s, LIN_ESC_TERMINAL_LINE, 0);
}

static void text_list(lin_buf *out, const lin_strlist *l)
{
	lin_buf_puts(out, "[");
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			lin_buf_puts(out, ", ");
		text(out, l->items[i]);
	}
	lin_buf_puts(out, "]");
}

/* "[a, b]" for a list, the text for anything else, "-" when not recorded. */
static void text_value(lin_buf *out, const lin_model *m, const lin_field *f)
{
	if (f->kind == LIN_FIELD_LIST) {
		text_list(out, lin_field_list(m, f));
		return;
	}
	const char *s = lin_field_text(m, f);
	text(out, s ? s : "-");
}

static void text_edge_head(lin_buf *out, const char *mark, const lin_diff_edge *e)
{
	lin_buf_puts(out, mark);
	lin_buf_puts(out, " edge ");
	text(out, e->parent);
	lin_buf_puts(out, " -> ");
	text(out, e->child);
}

/* "~ edge P -> C: what: old -> new" */
static void text_edge_change(lin_buf *out, const lin_diff_edge *e, const char *what,
                             const char *a, const char *b)
{
	text_edge_head(out, "~", e);
	lin_buf_printf(out, ": %s: ", what);
	text(out, a ? a : "-");
	lin_buf_puts(out, " -> ");
	text(out, b ? b : "-");
	lin_buf_puts(out, "\n");
}

static void text_edge(lin_buf *out, const lin_diff_edge *e)
{
	const lin_parent *o = e->old_edge, *n = e->new_edge;
	if (!o || !n) {
		const lin_parent *p = o ? o : n;
		text_edge_head(out, o ? "-" : "+", e);
		lin_buf_printf(out, " (%s", lin_relation_name(p->relation));
		if (p->variant) {
			lin_buf_puts(out, ", ");
			text(out, p->variant);
		}
		lin_buf_puts(out, ")\n");
		return;
	}
	if (o->relation != n->relation)
		text_edge_change(out, e, "relation", lin_relation_name(o->relation),
		                 lin_relation_name(n->relation));
	if (nstrcmp(o->variant, n->variant))
		text_edge_change(out, e, "variant", o->variant, n->variant);
	if (nstrcmp(o->note, n->note))
		text_edge_change(out, e, "note", o->note, n->note);
	if (o->inferred != n->inferred) /* a guess confirmed, or a stated edge now a guess */
		text_edge_change(out, e, "inferred", o->inferred ? "true" : "false",
		                 n->inferred ? "true" : "false");
	if (lists_differ(&o->sources, &n->sources)) {
		text_edge_head(out, "~", e);
		lin_buf_puts(out, ": sources: ");
		text_list(out, &o->sources);
		lin_buf_puts(out, " -> ");
		text_list(out, &n->sources);
		lin_buf_puts(out, "\n");
	}
}

int lin_export_diff_text(lin_buf *out, const lin_diff *d)
{
	for (size_t i = 0; i < d->nadded; i++) {
		lin_buf_puts(out, "+ model ");
		text(out, d->added[i]->id);
		lin_buf_puts(out, "\n");
	}
	for (size_t i = 0; i < d->nremoved; i++) {
		lin_buf_puts(out, "- model ");
		text(out, d->removed[i]->id);
		lin_buf_puts(out, "\n");
	}
	for (size_t i = 0; i < d->nchanged; i++) {
		const lin_diff_change *c = &d->changed[i];
		lin_buf_puts(out, "~ ");
		text(out, c->new_model->id);
		lin_buf_printf(out, ": %s: ", c->field->label);
		text_value(out, c->old_model, c->field);
		lin_buf_puts(out, " -> ");
		text_value(out, c->new_model, c->field);
		lin_buf_puts(out, "\n");
	}
	for (size_t i = 0; i < d->nedges; i++)
		text_edge(out, &d->edges[i]);
	return out->oom ? LIN_ENOMEM : 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_null_or(lin_buf *out, const char *s)
{
	if (s)
		lin_json_string(out, s);
	else
		lin_buf_puts(out, "null");
}

static void json_list(lin_buf *out, const lin_strlist *l)
{
	lin_buf_puts(out, "[");
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			lin_buf_puts(out, ",");
		lin_json_string(out, l->items[i]);
	}
	lin_buf_puts(out, "]");
}

static void json_value(lin_buf *out, const lin_model *m, const lin_field *f)
{
	if (f->kind == LIN_FIELD_LIST)
		json_list(out, lin_field_list(m, f));
	else
		json_null_or(out, lin_field_text(m, f));
}

/* The brief record lists and hits carry (id, name, stage, org, released). */
static void json_brief(lin_buf *out, const lin_model *m)
{
	size_t nb = 0;
	const lin_field *const *b = lin_i_fields_brief(&nb);
	lin_buf_puts(out, "{");
	for (size_t k = 0; k < nb; k++) {
		lin_buf_printf(out, "%s\"%s\":", k ? "," : "", b[k]->key);
		json_value(out, m, b[k]);
	}
	lin_buf_puts(out, "}");
}

static void json_models(lin_buf *out, const char *key, const lin_model *const *v, size_t n)
{
	lin_buf_printf(out, ",\n \"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		lin_buf_puts(out, i ? ",\n  " : "\n  ");
		json_brief(out, v[i]);
	}
	lin_buf_puts(out, n ? "\n ]" : "]");
}

/* relation, variant, note, inferred, sources of one edge (the keys after
 * its ends) */
static void json_edge_body(lin_buf *out, const lin_parent *p)
{
	lin_buf_printf(out, "\"relation\":\"%s\",\"variant\":", lin_relation_name(p->relation));
	json_null_or(out, p->variant);
	lin_buf_puts(out, ",\"note\":");
	json_null_or(out, p->note);
	lin_buf_printf(out, ",\"inferred\":%s", p->inferred ? "true" : "false");
	lin_buf_puts(out, ",\"sources\":");
	json_list(out, &p->sources);
}

static void json_edge_ends(lin_buf *out, const lin_diff_edge *e)
{
	lin_buf_puts(out, "{\"parent\":");
	lin_json_string(out, e->parent);
	lin_buf_puts(out, ",\"child\":");
	lin_json_string(out, e->child);
	lin_buf_puts(out, ",");
}

/* The edges of one kind: 0 added, 1 removed, 2 changed. */
static void json_edges(lin_buf *out, const lin_diff *d, int kind)
{
	static const char *const keys[] = {"added", "removed", "changed"};
	size_t k = 0;
	lin_buf_printf(out, "%s\"%s\":[", kind ? ",\n  " : "\n  ", keys[kind]);
	for (size_t i = 0; i < d->nedges; i++) {
		const lin_diff_edge *e = &d->edges[i];
		int is = e->old_edge && e->new_edge ? 2 : e->old_edge ? 1 : 0;
		if (is != kind)
			continue;
		lin_buf_puts(out, k++ ? ",\n   " : "\n   ");
		json_edge_ends(out, e);
		if (kind == 2) {
			lin_buf_puts(out, "\"old\":{");
			json_edge_body(out, e->old_edge);
			lin_buf_puts(out, "},\"new\":{");
			json_edge_body(out, e->new_edge);
			lin_buf_puts(out, "}}");
		} else {
			json_edge_body(out, kind ? e->old_edge : e->new_edge);
			lin_buf_puts(out, "}");
		}
	}
	lin_buf_puts(out, k ? "\n  ]" : "]");
}

int lin_export_diff_json(lin_buf *out, const lin_diff *d)
{
	lin_buf_printf(out, "{\"schema\":%d", LIN_JSON_SCHEMA);
	json_models(out, "added", d->added, d->nadded);
	json_models(out, "removed", d->removed, d->nremoved);
	lin_buf_puts(out, ",\n \"changed\":[");
	for (size_t i = 0; i < d->nchanged; i++) {
		const lin_diff_change *c = &d->changed[i];
		lin_buf_puts(out, i ? ",\n  {\"id\":" : "\n  {\"id\":");
		lin_json_string(out, c->new_model->id);
		lin_buf_printf(out, ",\"field\":\"%s\",\"old\":", c->field->key);
		json_value(out, c->old_model, c->field);
		lin_buf_puts(out, ",\"new\":");
		json_value(out, c->new_model, c->field);
		lin_buf_puts(out, "}");
	}
	lin_buf_puts(out, d->nchanged ? "\n ]" : "]");
	lin_buf_puts(out, ",\n \"edges\":{");
	for (int kind = 0; kind < 3; kind++)
		json_edges(out, d, kind);
	lin_buf_puts(out, "\n }\n}\n");
	return out->oom ? LIN_ENOMEM : 0;
}
