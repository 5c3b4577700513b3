/*
 * gv_groups.c - the structure a layout is asked to keep: clusters (base
 * family or organisation) and, for --by-year, the time axis of year and
 * quarter bands that ranks every model by its release.
 */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- groups (clusters) --------------------------------------------------------- */

typedef struct member {
	igraph_integer_t key; /* family root, or the vertex with the first org */
	const char *org;
	igraph_integer_t v;
} member;

lin_group lin_i_gv_group_of(const lin_draw_opts *o)
{
	return o->group == LIN_GROUP_AUTO ? LIN_GROUP_NONE : o->group;
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
 * models, or per architecture with one or more (a lane; models with none
 * recorded stay outside), created in the order of their first model (for
 * lanes: of the architecture list); the nodes go into them when created
 * (home). */
int lin_i_gv_add_groups(lin_gv *d, lin_error *err)
{
	const igraph_vector_int_t *verts = &d->p->verts;
	size_t nv = (size_t)igraph_vector_int_size(verts), nruns = 0;
	member *ms = NULL;
	run *runs = NULL;
	char name[48];
	int rc = 0;

	if (d->group != LIN_GROUP_FAMILY && d->group != LIN_GROUP_ORG && d->group != LIN_GROUP_ARCH)
		return 0;
	ms = calloc(nv + 1, sizeof(*ms));
	runs = calloc(nv + 1, sizeof(*runs));
	d->home = calloc((size_t)lin_catalog_count(d->cat) + 1, sizeof(*d->home));
	if (!ms || !runs || !d->home) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nv; i++) {
		igraph_integer_t v = VECTOR(*verts)[i];
		const lin_model *m = lin_catalog_model(d->cat, v);
		ms[i].v = v;
		if (d->group == LIN_GROUP_ORG)
			ms[i].org = (m->org && m->org[0]) ? m->org : NULL;
		else if (d->group == LIN_GROUP_ARCH)
			ms[i].key = m->arch >= 0 && m->arch < LIN_ARCH_COUNT ? (igraph_integer_t)m->arch : -1;
		else
			ms[i].key = lin_i_family_root(d->cat, v);
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
		else if (d->group == LIN_GROUP_ARCH && ms[i].key >= 0)
			runs[nruns++] = (run){i, j - i, ms[i].key}; /* lanes in list order */
		else if (d->group != LIN_GROUP_ARCH && j - i >= 2)
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
			rc = lin_i_gv_fail(err, "cannot create a group");
			goto done;
		}
		if (d->group == LIN_GROUP_ORG) {
			lin_i_gv_put_text(&d->tmp, first->org, NAME_MAX_CHARS);
		} else if (d->group == LIN_GROUP_ARCH) {
			lin_buf_puts(&d->tmp, lin_arch_name((lin_arch)first->key));
		} else {
			const lin_model *root = lin_catalog_model(d->cat, first->key);
			lin_i_gv_put_text(&d->tmp, root->name ? root->name : root->id, NAME_MAX_CHARS);
			lin_buf_puts(&d->tmp, " family");
		}
		lin_i_gv_set_tmp(d, sub, "label");
		lin_buf_puts(&d->tmp, d->group == LIN_GROUP_ORG    ? "group-org-"
		                      : d->group == LIN_GROUP_ARCH ? "group-arch-"
		                                                   : "group-family-");
		if (d->group == LIN_GROUP_ORG)
			lin_i_put_slug(&d->tmp, first->org, 40);
		else if (d->group == LIN_GROUP_ARCH)
			lin_i_put_slug(&d->tmp, lin_arch_name((lin_arch)first->key), 40);
		else
			lin_i_put_slug(&d->tmp, lin_catalog_model(d->cat, first->key)->id, 40);
		lin_buf_printf(&d->tmp, "-%zu", r);
		if (lin_i_gv_set_tmp(d, sub, "id")) {
			rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		lin_i_gv_set(sub, "class", "group");
		lin_i_gv_set(sub, "style", "rounded,filled");
		lin_i_gv_set(sub, "fillcolor", "#f8f9fa");
		lin_i_gv_set(sub, "color", "#ced4da");
		lin_i_gv_set(sub, "fontcolor", "#495057");
		lin_i_gv_set(sub, "fontsize", "12");
		lin_i_gv_set(sub, "labeljust", "l");
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
 * not split, 0 when undated. A date without a month in a split year goes in
 * the year's first band (its box shows the year alone), not a band of its
 * own between the years. */
static int slot_key(const lin_model *m, const int *split, size_t nsplit)
{
	if (m->year <= 0)
		return 0;
	if (!bsearch(&m->year, split, nsplit, sizeof(int), cmp_int))
		return m->year * 10;
	return m->year * 10 + (m->month > 0 ? (m->month - 1) / 3 + 1 : 1);
}

/* The years split into quarters: all (quarters == 1), none (0), or those
 * with more than QUARTER_MIN_MODELS drawn models (-1). Sorted, distinct. */
static size_t split_years(const lin_gv *d, int *years)
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
static Agnode_t *slot_band(lin_gv *d, int key, int split, const int *keys)
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
	lin_i_gv_set(sub, "rank", "same");
	if (key == 0)
		snprintf(label, sizeof(label), "undated");
	else if (!split || q == 0)
		snprintf(label, sizeof(label), "%d", year);
	else
		snprintf(label, sizeof(label), "%d Q%d", year, q);
	lin_i_gv_set(yn, "label", label);
	lin_i_gv_set(yn, "shape", "box");
	lin_i_gv_set(yn, "style", key ? "rounded,filled" : "rounded,filled,dashed");
	lin_i_gv_set(yn, "fillcolor", key ? "#343a40" : "#ffffff");
	lin_i_gv_set(yn, "color", key ? "#343a40" : "#868e96");
	lin_i_gv_set(yn, "fontcolor", key ? "#ffffff" : "#495057");
	lin_i_gv_set(yn, "fontsize", "14");
	lin_i_gv_set(yn, "class", key ? "axis" : "axis undated");
	if (key == 0)
		snprintf(name, sizeof(name), "time-undated");
	else if (q == 0)
		snprintf(name, sizeof(name), "time-%d", year);
	else
		snprintf(name, sizeof(name), "time-%d-q%d", year, q);
	lin_i_gv_set(yn, "id", name);
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(verts); i++)
		if (keys[i] == key)
			agsubnode(sub, d->nodes[VECTOR(*verts)[i]], 1);
	return yn;
}

/* One rank per release year or quarter, their labels chained into a time
 * axis along the top; undated models share a last, dashed band. */
int lin_i_gv_add_time_axis(lin_gv *d, lin_error *err)
{
	const igraph_vector_int_t *verts = &d->p->verts;
	size_t nv = (size_t)igraph_vector_int_size(verts), nsplit = 0, nk = 0;
	int *split = malloc((nv + 1) * sizeof(int));
	int *keys = malloc((nv + 1) * sizeof(int));
	int *sorted = malloc((nv + 1) * sizeof(int));
	Agnode_t *prev = NULL;
	int rc = 0, undated = 0;

	if (!split || !keys || !sorted) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
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
			rc = lin_i_gv_fail(err, "cannot create the time axis");
			goto done;
		}
		if (ax) {
			lin_i_gv_set(ax, "style", sorted[i] ? "solid" : "invis");
			lin_i_gv_set(ax, "color", "#adb5bd");
			lin_i_gv_set(ax, "penwidth", "2");
			lin_i_gv_set(ax, "arrowhead", "none");
			lin_i_gv_set(ax, "class", "axis");
		}
		prev = yn;
	}
done:
	free(split);
	free(keys);
	free(sorted);
	return rc;
}

