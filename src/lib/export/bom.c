/*
 * bom.c - the AI-BOM writer's façade: which models and edges a BOM holds
 * (the model and its ancestors through igraph's BFS, lin_query_reach; the
 * edges between them through lin_catalog_parents), the rules CycloneDX and
 * SPDX share (licences, Hub ids, dates, learning approach), and the
 * finishing touches: the UUID derived from the document's own bytes, and
 * the indentation. The backends (bom_cyclonedx.c, bom_spdx.c) only spell it.
 */
#include "bom.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* ---- what the formats share --------------------------------------------------- */

const char *bom_name(const lin_model *m)
{
	return m->name && *m->name ? m->name : m->id;
}

void bom_str(bom_doc *d, const char *s)
{
	lin_json_string(d->json, s);
}

void bom_raw(bom_doc *d, const char *s)
{
	lin_buf_puts(d->json, s);
}

void bom_kv(bom_doc *d, const char *key, const char *val)
{
	if (!val)
		return;
	lin_buf_puts(d->json, ",\"");
	lin_buf_puts(d->json, key);
	lin_buf_puts(d->json, "\":");
	lin_json_string(d->json, val);
}

void bom_url(bom_doc *d, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	lin_buf_puts(d->json, "\"");
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		int pct = *p == '%' && isxdigit(p[1]) && isxdigit(p[2]);
		if (*p > 0x20 && *p < 0x7f && !strchr("\"<>\\^`{|}", *p) && (*p != '%' || pct))
			lin_buf_append(d->json, (const char *)p, 1);
		else
			lin_buf_printf(d->json, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	lin_buf_puts(d->json, "\"");
}

void bom_kv_url(bom_doc *d, const char *key, const char *url)
{
	if (!url)
		return;
	lin_buf_puts(d->json, ",\"");
	lin_buf_puts(d->json, key);
	lin_buf_puts(d->json, "\":");
	bom_url(d, url);
}

/* A Hub name part: letters, digits, '-', '_', '.', at most 96 bytes. */
static size_t hub_part(const char *s)
{
	size_t n = 0;
	while (n <= 96 && s[n] && (strchr("-_.", s[n]) || (s[n] >= 'a' && s[n] <= 'z') ||
	                           (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9')))
		n++;
	return n <= 96 ? n : 0;
}

/* s is exactly ORG/NAME (then a '/' or nothing, when slash_end): copies it. */
static int hub_pair(const char *s, int slash_end, char *buf, size_t n)
{
	size_t a = hub_part(s), b = a && s[a] == '/' ? hub_part(s + a + 1) : 0;
	const char *end = s + a + 1 + b;
	if (!a || !b || (*end && !(slash_end && end[0] == '/' && !end[1])) || a + b + 2 > n)
		return 0;
	/* the Hub's own pages, not a model */
	static const char *const not_orgs[] = {"datasets", "spaces", "docs", "blog", "papers",
	                                       "collections", "organizations", "settings", NULL};
	for (size_t i = 0; not_orgs[i]; i++)
		if (strlen(not_orgs[i]) == a && strncmp(s, not_orgs[i], a) == 0)
			return 0;
	memcpy(buf, s, a + 1 + b);
	buf[a + 1 + b] = '\0';
	return 1;
}

int bom_hub_id(const lin_model *m, char *buf, size_t n)
{
	for (size_t i = 0; i < m->links.n; i++) {
		const char *l = m->links.items[i];
		if (strncasecmp(l, "https://huggingface.co/", 23) == 0 && hub_pair(l + 23, 1, buf, n))
			return 1;
	}
	return m->external && m->name && hub_pair(m->name, 0, buf, n);
}

void bom_purl(bom_doc *d, const char *hub_id)
{
	static const char hex[] = "0123456789ABCDEF";
	lin_buf_puts(d->json, "\"pkg:huggingface/");
	for (const unsigned char *p = (const unsigned char *)hub_id; *p; p++) {
		if (strchr("-_.~/", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9'))
			lin_buf_append(d->json, (const char *)p, 1);
		else
			lin_buf_printf(d->json, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	lin_buf_puts(d->json, "\"");
}

const char *bom_link_type(const char *url)
{
	const char *host = strstr(url, "://");
	host = host ? host + 3 : url;
	if (strncasecmp(host, "www.", 4) == 0)
		host += 4;
	if (strncasecmp(host, "github.com/", 11) == 0 || strncasecmp(host, "gitlab.com/", 11) == 0)
		return "vcs";
	if (strncasecmp(host, "huggingface.co/", 15) == 0)
		return "distribution";
	return "website";
}

const char *bom_download(const lin_model *m)
{
	for (size_t i = 0; i < m->links.n; i++)
		if (strcmp(bom_link_type(m->links.items[i]), "distribution") == 0)
			return m->links.items[i];
	return m->links.n ? m->links.items[0] : NULL;
}

int bom_release_time(const lin_model *m, char buf[24])
{
	const char *r = m->released;
	int day = 1;
	if (!r || m->year <= 0)
		return 0;
	if (strlen(r) == 10 && r[7] == '-' && r[8] >= '0' && r[8] <= '3' && r[9] >= '0' &&
	    r[9] <= '9')
		day = (r[8] - '0') * 10 + (r[9] - '0');
	if (m->year > 9999 || m->month > 12 || m->month < 0 || day < 1 || day > 31)
		return 0;
	snprintf(buf, 24, "%04u-%02u-%02uT00:00:00Z", (unsigned)m->year % 10000u,
	         (unsigned)(m->month ? m->month : 1) % 100u, (unsigned)day % 100u);
	return 1;
}

const char *bom_approach(lin_stage s)
{
	switch (s) {
	case LIN_STAGE_PRETRAINED:
	case LIN_STAGE_CONTINUED_PRETRAIN:
		return "self-supervised";
	case LIN_STAGE_SFT:
	case LIN_STAGE_DISTILLED: /* trained on a teacher's outputs as labels */
		return "supervised";
	case LIN_STAGE_RLHF:
		return "reinforcement-learning";
	default:
		return NULL;
	}
}

int bom_license_ref(const char *id, char *buf, size_t n, const lin_license **entry)
{
	const lin_license *l = lin_license_lookup(id);
	*entry = l;
	if (!id || !*id || (l && !l->spdx))
		return 0;
	if (l) {
		snprintf(buf, n, "%s", l->spdx);
		return 1;
	}
	/* a card's licence outside the vocabulary: an idstring of its own */
	size_t k = (size_t)snprintf(buf, n, "LicenseRef-lineage-");
	for (const char *p = id; *p && k + 1 < n; p++)
		buf[k++] = (strchr(".-", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		            (*p >= '0' && *p <= '9')) ? *p : '-';
	buf[k] = '\0';
	return 1;
}

void bom_each_field(const lin_model *m, void (*fn)(void *ctx, const char *key, const char *val),
                    void *ctx)
{
	static const char *const placed[] = {"name", "org", "links", "parents", NULL};
	size_t n;
	const lin_field *f = lin_model_fields(&n);
	for (size_t i = 0; i < n; i++) {
		int skip = 0;
		for (size_t j = 0; placed[j]; j++)
			skip |= strcmp(f[i].key, placed[j]) == 0;
		if (skip)
			continue;
		if (f[i].kind == LIN_FIELD_LIST) {
			const lin_strlist *l = lin_field_list(m, &f[i]);
			for (size_t k = 0; k < l->n; k++)
				fn(ctx, f[i].key, l->items[k]);
			continue;
		}
		const char *v = lin_field_text(m, &f[i]);
		if (v && !(f[i].kind == LIN_FIELD_FLAG && strcmp(v, "false") == 0) &&
		    !(f[i].kind == LIN_FIELD_STAGE && m->stage == LIN_STAGE_UNKNOWN && m->external))
			fn(ctx, f[i].key, v);
	}
}

int bom_expand(bom_doc *d, size_t p, int depth, unsigned *nth)
{
	int first = d->seen[p] == 0;
	*nth = ++d->seen[p];
	d->written++;
	if (depth >= d->max_depth)
		return 0;
	return d->written <= d->budget || first;
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
	if (!d->verts || !d->pos || !d->first || !d->seen)
		goto oom;
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
			if (d->ne == cap) {
				size_t c = cap ? 2 * cap : 64;
				igraph_integer_t *x = realloc(d->edges, c * sizeof(*x));
				if (!x)
					goto oom;
				d->edges = x, cap = c;
			}
			d->edges[d->ne++] = e;
		}
	}
	d->first[d->nv] = d->ne;
	goto done;
oom:
	rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
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
	if (json.oom)
		goto oom;
	indent_json(out, json.data, json.len);
	if (out->oom)
		goto oom;
	stamp_uuid(out, from);
	goto done;
oom:
	rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
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
