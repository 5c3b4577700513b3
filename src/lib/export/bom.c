/*
 * bom.c - the AI-BOM writer's façade: which models and edges a BOM holds
 * (the model and its ancestors through igraph's BFS, lin_query_reach; the
 * edges between them through lin_catalog_parents), which backend spells
 * them, and the finishing touches: the UUID derived from the document's
 * own bytes, and the indentation. The rules both formats share are in
 * bom_rules.c, which the backends call, so nothing calls back up here.
 */
#include "bom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The namespace of lineage's name-based UUIDs (a random one, fixed). */
static const unsigned char uuid_ns[16] = {0x6c, 0x69, 0x6e, 0x65, 0x61, 0x67, 0x65, 0x2d,
                                          0x62, 0x6f, 0x6d, 0x2d, 0x76, 0x31, 0x00, 0x01};

static const bom_backend *const backends[] = {
	[LIN_BOM_CYCLONEDX] = &lin_i_bom_cyclonedx,
	[LIN_BOM_SPDX] = &lin_i_bom_spdx,
};

int lin_bom_format_parse(const char *s)
{
	for (size_t i = 0; s && i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strcmp(s, backends[i]->name) == 0)
			return (int)i;
	return -1;
}

/* ---- the walk -------------------------------------------------------------------- */

/* Fills verts, pos, edges and first: the model, its ancestors, and the
 * edges between them. */
static int collect(bom_doc *d, igraph_integer_t v, const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	lin_hits anc = {NULL, 0};
	igraph_vector_int_t in = {0};
	size_t n = (size_t)lin_catalog_count(d->cat), cap = 0;
	if ((rc = lin_query_reach(&anc, d->cat, v, IGRAPH_IN, o, err)))
		goto done;
	d->nv = anc.n + 1;
	d->verts = malloc(d->nv * sizeof(*d->verts));
	d->pos = malloc((n + 1) * sizeof(*d->pos));
	d->first = malloc((d->nv + 1) * sizeof(*d->first));
	d->seen = calloc(d->nv, sizeof(*d->seen));
	if (!d->verts || !d->pos || !d->first || !d->seen) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		d->pos[i] = -1;
	d->verts[0] = v;
	for (size_t i = 0; i < anc.n; i++)
		d->verts[i + 1] = anc.items[i].vertex;
	for (size_t i = 0; i < d->nv; i++)
		d->pos[d->verts[i]] = (int)i;
	LIN_IG(igraph_vector_int_init(&in, 0));
	for (size_t p = 0; p < d->nv; p++) {
		d->first[p] = d->ne;
		if ((rc = lin_catalog_parents(&in, d->cat, d->verts[p], o->relations, err)))
			goto done;
		for (igraph_integer_t i = 0; i < igraph_vector_int_size(&in); i++) {
			igraph_integer_t e = VECTOR(in)[i];
			if (d->pos[IGRAPH_FROM(lin_catalog_graph(d->cat), e)] < 0)
				continue; /* beyond --depth */
			if (lin_i_grow(&d->edges, &cap, d->ne + 1, sizeof(*d->edges))) {
				rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
				goto done;
			}
			d->edges[d->ne++] = e;
		}
	}
	d->first[d->nv] = d->ne;
done:
	lin_i_vec_free(&in);
	lin_hits_dispose(&anc);
	return rc;
}

/* The strings of the models keyed for grouping: org or licence. */
typedef struct keyed {
	const char *s;
	size_t p;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->p > y->p) - (x->p < y->p);
}

/* out[p] = the first position whose org (licence) equals p's, SIZE_MAX
 * when p has none: one Organization (licence) element each, in a sort
 * rather than a search per model. */
static int group_first(bom_doc *d, size_t **out, int lic, lin_error *err)
{
	keyed *k = malloc((d->nv + 1) * sizeof(*k));
	size_t nk = 0, *first = malloc((d->nv + 1) * sizeof(*first));
	if (!k || !first) {
		free(k);
		free(first);
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t p = 0; p < d->nv; p++) {
		const lin_model *m = bom_model(d, p);
		const char *s = lic ? m->license : m->org;
		first[p] = SIZE_MAX;
		if (s && *s)
			k[nk].s = s, k[nk++].p = p;
	}
	qsort(k, nk, sizeof(*k), cmp_keyed);
	for (size_t i = 0; i < nk; i++)
		first[k[i].p] = i && strcmp(k[i].s, k[i - 1].s) == 0 ? first[k[i - 1].p] : k[i].p;
	free(k);
	*out = first;
	return 0;
}

/* The newest release time of the models, else the epoch: SPDX's
 * "created", derived from the catalog rather than the clock. */
static void newest_release(bom_doc *d)
{
	snprintf(d->created, sizeof(d->created), "1970-01-01T00:00:00Z");
	for (size_t p = 0; p < d->nv; p++) {
		char t[24];
		if (bom_release_time(bom_model(d, p), t) && strcmp(t, d->created) > 0)
			memcpy(d->created, t, sizeof(t));
	}
}

/* ---- finishing ------------------------------------------------------------------- */

/* Appends compact JSON in as indented JSON (two spaces, "key": value, an
 * empty array or object kept as [] / {}), as Python's json.dumps(indent=2)
 * writes it: a BOM is read by people in review too. */
static void indent_json(lin_buf *out, const char *in, size_t len)
{
	int depth = 0, str = 0;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (str) {
			size_t j = i;
			while (j < len && in[j] != '"' && in[j] != '\\')
				j++;
			lin_buf_append(out, in + i, j - i);
			if (j < len && in[j] == '\\')
				lin_buf_append(out, in + j, j + 1 < len ? 2 : 1), j++;
			else if (j < len)
				lin_buf_append(out, "\"", 1), str = 0;
			i = j;
			continue;
		}
		switch (c) {
		case '"':
			str = 1;
			lin_buf_append(out, "\"", 1);
			break;
		case '{':
		case '[':
			if (i + 1 < len && (in[i + 1] == '}' || in[i + 1] == ']')) {
				lin_buf_append(out, in + i, 2);
				i++;
				break;
			}
			lin_buf_append(out, &c, 1);
			depth++;
			lin_buf_printf(out, "\n%*s", 2 * depth, "");
			break;
		case '}':
		case ']':
			depth--;
			lin_buf_printf(out, "\n%*s", 2 * depth, "");
			lin_buf_append(out, &c, 1);
			break;
		case ',':
			lin_buf_printf(out, ",\n%*s", 2 * depth, "");
			break;
		case ':':
			lin_buf_append(out, ": ", 2);
			break;
		default:
			lin_buf_append(out, &c, 1);
		}
	}
	lin_buf_append(out, "\n", 1);
}

/* Replaces every BOM_UUID_MARK in b[from..] by the UUID of those bytes. */
static void stamp_uuid(lin_buf *b, size_t from)
{
	char uuid[37];
	const size_t k = sizeof(BOM_UUID_MARK) - 1;
	lin_i_uuid_v5(uuid, uuid_ns, b->data + from, b->len - from);
	/* the escaper never writes the byte 0x01: each one is part of a mark */
	for (char *p = b->data + from; (p = memchr(p, 0x01, (size_t)(b->data + b->len - p))); p += k)
		memcpy(p, uuid, k);
}

int lin_i_export_bom(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                     lin_bom_format fmt, const lin_query_opts *o, size_t budget,
                     int max_depth, lin_error *err)
{
	int rc = 0;
	lin_buf json = LIN_BUF_INIT;
	lin_query_opts all = LIN_QUERY_OPTS_INIT;
	bom_doc d;
	const bom_backend *be = NULL;
	size_t from = out->len;
	memset(&d, 0, sizeof(d));
	if ((unsigned)fmt >= sizeof(backends) / sizeof(backends[0])) {
		rc = lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "unknown BOM format %d", (int)fmt);
		goto done;
	}
	be = backends[fmt];
	if (!o)
		o = &all;
	if (!cat->finished || v < 0 || v >= lin_catalog_count(cat)) {
		rc = lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "no model at vertex %" IGRAPH_PRId, v);
		goto done;
	}
	d.json = &json;
	d.cat = cat;
	d.budget = budget;
	d.max_depth = o->depth >= 0 && o->depth < max_depth ? o->depth : max_depth;
	if ((rc = collect(&d, v, o, err)) || (rc = group_first(&d, &d.org_first, 0, err)) ||
	    (rc = group_first(&d, &d.lic_first, 1, err)))
		goto done;
	newest_release(&d);
	if (be->begin)
		be->begin(&d);
	for (size_t p = 0; be->model && p < d.nv; p++)
		be->model(&d, p);
	for (size_t k = 0; be->edge && k < d.ne; k++)
		be->edge(&d, k);
	if (be->end)
		be->end(&d);
	if (!json.oom)
		indent_json(out, json.data, json.len);
	if (json.oom || out->oom) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	stamp_uuid(out, from);
done:
	free(d.verts);
	free(d.pos);
	free(d.edges);
	free(d.first);
	free(d.org_first);
	free(d.lic_first);
	free(d.seen);
	lin_buf_dispose(&json);
	if (rc && out->data && out->len > from)
		out->len = from, out->data[from] = '\0';
	return rc;
}

int lin_export_bom(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                   lin_bom_format fmt, const lin_query_opts *o, lin_error *err)
{
	return lin_i_export_bom(out, cat, v, fmt, o, LIN_BOM_MAX_COMPONENTS, LIN_BOM_MAX_DEPTH,
	                        err);
}
