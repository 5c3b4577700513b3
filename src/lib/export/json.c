/*
 * json.c - JSON renderings of models and query results. A model's record
 * follows the field table (core/fields.c); output goes into a lin_buf and
 * the caller decides where it lands.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>


/* ---- JSON ---------------------------------------------------------------- */


int lin_json_string(lin_buf *out, const char *s)
{
	lin_buf_append(out, "\"", 1);
	lin_escape(out, s, LIN_ESC_JSON, 0);
	return lin_buf_append(out, "\"", 1);
}

/* Appends ,"key": (keys are plain words, no escaping needed). */
static void json_key(lin_buf *out, const char *key)
{
	lin_buf_append(out, ",\"", 2);
	lin_buf_puts(out, key);
	lin_buf_append(out, "\":", 2);
}

static void json_field(lin_buf *out, const char *key, const char *val)
{
	json_key(out, key);
	if (val)
		lin_json_string(out, val);
	else
		lin_buf_append(out, "null", 4);
}

/* Appends a decimal integer; printf's parsing of the format was a tenth
 * of a big answer's time. */
static void json_int(lin_buf *out, long long v)
{
	char b[24], *q = b + sizeof(b);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	lin_buf_append(out, q, (size_t)(b + sizeof(b) - q));
}

static void json_list(lin_buf *out, const char *key, const lin_strlist *l)
{
	json_key(out, key);
	lin_buf_append(out, "[", 1);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			lin_buf_puts(out, ",");
		lin_json_string(out, l->items[i]);
	}
	lin_buf_puts(out, "]");
}

static void json_parents(lin_buf *out, const lin_catalog *cat, const lin_model *m)
{
	lin_buf_puts(out, ",\"parents\":[");
	for (size_t i = 0; i < m->nparents; i++) {
		const lin_parent *p = &m->parents[i];
		lin_buf_puts(out, i ? ",{\"model\":" : "{\"model\":");
		lin_json_string(out, p->vertex >= 0 ? lin_catalog_model(cat, p->vertex)->id : p->ref);
		json_field(out, "relation", lin_relation_name(p->relation));
		json_field(out, "variant", p->variant);
		json_field(out, "note", p->note);
		json_list(out, "sources", &p->sources);
		/* only when set: an edge is stated unless it says otherwise */
		lin_buf_puts(out, p->inferred ? ",\"inferred\":true}" : "}");
	}
	lin_buf_puts(out, "]");
}

/* Appends field f of m: ,"key":value. */
static void json_model_field(lin_buf *out, const lin_catalog *cat, const lin_model *m,
                             const lin_field *f)
{
	if (f->kind == LIN_FIELD_LIST)
		json_list(out, f->key, lin_field_list(m, f));
	else if (f->kind == LIN_FIELD_PARENTS)
		json_parents(out, cat, m);
	else
		json_field(out, f->key, lin_field_text(m, f));
}

int lin_export_model_json(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                          int full)
{
	const lin_model *m = lin_catalog_model(cat, v);
	size_t n, nbrief;
	const lin_field *f = lin_model_fields(&n);
	const lin_field *const *brief = lin_i_fields_brief(&nbrief);
	/* the brief fields first, in their order (id leads, without a comma) */
	lin_buf_puts(out, "{\"id\":");
	lin_json_string(out, m->id);
	for (size_t b = 1; b < nbrief; b++)
		json_model_field(out, cat, m, brief[b]);
	for (size_t i = 0; full && i < n; i++)
		if (!f[i].brief && !(f[i].flags & LIN_FIELD_NO_JSON))
			json_model_field(out, cat, m, &f[i]);
	return lin_buf_puts(out, "}");
}

/* Hits come sorted by id, so their model records and strings are all over
 * the catalog and each is a cache miss. Asked for some hits ahead (the
 * record first, its strings once it has arrived) the misses overlap instead
 * of being waited for one by one (70,000 hits: 90 -> 40 ms). */
#define HITS_AHEAD 16

static void prefetch_hit(const lin_catalog *cat, const lin_hits *hits, size_t i)
{
	if (i + HITS_AHEAD < hits->n) {
		const lin_hit *h = &hits->items[i + HITS_AHEAD];
		const lin_model *m = lin_catalog_model(cat, h->vertex);
		__builtin_prefetch(m);
		__builtin_prefetch(&m->stage);
		if (h->via >= 0)
			__builtin_prefetch(lin_catalog_model(cat, h->via));
	}
	if (i + HITS_AHEAD / 2 < hits->n) {
		const lin_hit *h = &hits->items[i + HITS_AHEAD / 2];
		const lin_model *m = lin_catalog_model(cat, h->vertex);
		__builtin_prefetch(m->id);
		__builtin_prefetch(m->name);
		__builtin_prefetch(m->org);
		if (h->via >= 0)
			__builtin_prefetch(lin_catalog_model(cat, h->via)->id);
	}
}

int lin_i_sink_flush(lin_buf *out, const lin_sink *sink, int final, lin_error *err)
{
	if (out->oom)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if (!sink || out->len == 0 || (!final && out->len < LIN_I_SINK_CHUNK))
		return 0;
	if (!sink->write)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "a sink without a write function");
	int rc = sink->write(sink->ctx, out->data, out->len, err);
	out->len = 0;
	if (out->data)
		out->data[0] = '\0';
	return rc;
}

int lin_export_hits_json(lin_buf *out, const lin_catalog *cat, const lin_hits *hits)
{
	return lin_export_hits_json_stream(out, NULL, cat, hits, NULL) == 0 ? 0 : LIN_ENOMEM;
}

int lin_export_hits_json_stream(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                                const lin_hits *hits, lin_error *err)
{
	int rc = 0;
	lin_buf_puts(out, "[");
	for (size_t i = 0; i < hits->n && rc == 0; i++) {
		const lin_hit *h = &hits->items[i];
		prefetch_hit(cat, hits, i);
		lin_buf_puts(out, i ? ",\n " : "\n ");
		lin_export_model_json(out, cat, h->vertex, 0);
		out->len--; /* reopen the object to add the hit's fields */
		json_key(out, "distance");
		json_int(out, h->distance);
		json_field(out, "relation", lin_relation_name(h->relation));
		json_field(out, "via", h->via >= 0 ? lin_catalog_model(cat, h->via)->id : NULL);
		lin_buf_puts(out, "}");
		rc = lin_i_sink_flush(out, sink, 0, err);
	}
	if (rc)
		return rc;
	lin_buf_puts(out, hits->n ? "\n]\n" : "]\n");
	return lin_i_sink_flush(out, sink, 1, err);
}

