/*
 * interchange.c - the catalog, or a selection of it, as files other tools
 * read: GraphML and GEXF for Gephi, Cytoscape and NetworkX (built with
 * libxml2's xmlTextWriter, never pasted together), CSV tables for a
 * spreadsheet, NDJSON records for a pipeline. Node attributes come from the
 * field table, so a new field reaches every format; catalog text goes
 * through the one escaper first, so a hostile catalog cannot break a file.
 * Output streams to a lin_sink in bounded chunks.
 */
#include "export.h"

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* out is handed to the sink once it holds this much */
#define CHUNK ((size_t)64 * 1024)

static void buf_clear(lin_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* ---- the selection: models, and the edges between them ------------------- */

typedef struct xsel {
	igraph_vector_int_t verts; /* models in output order */
	igraph_vector_int_t edges; /* catalog edge ids in output order */
	int nverts_ok, nedges_ok;  /* which vectors are initialised */
} xsel;
#define XSEL_INIT {.nverts_ok = 0, .nedges_ok = 0}

static void xsel_dispose(xsel *x)
{
	if (x->nverts_ok)
		igraph_vector_int_destroy(&x->verts);
	if (x->nedges_ok)
		igraph_vector_int_destroy(&x->edges);
	x->nverts_ok = x->nedges_ok = 0;
}

/* sel's vertices (NULL: all) once each, and each one's parent edges in
 * mask whose parent is selected too. */
static int xsel_build(xsel *x, const lin_catalog *cat, const igraph_vector_int_t *sel,
                      lin_relmask mask, lin_error *err)
{
	int rc = 0, par_ok = 0;
	char *in = NULL;
	igraph_vector_int_t par = {0};
	igraph_integer_t n = 0, k = 0;
	const igraph_t *g = cat ? lin_catalog_graph(cat) : NULL;

	if (!g) {
		rc = lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "catalog not finished");
		goto done;
	}
	n = lin_catalog_count(cat);
	LIN_IG(igraph_vector_int_init(&x->verts, 0));
	x->nverts_ok = 1;
	LIN_IG(igraph_vector_int_init(&x->edges, 0));
	x->nedges_ok = 1;
	LIN_IG(igraph_vector_int_init(&par, 0));
	par_ok = 1;
	if (!(in = calloc((size_t)n + 1, 1))) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	k = sel ? igraph_vector_int_size(sel) : n;
	for (igraph_integer_t i = 0; i < k; i++) {
		igraph_integer_t v = sel ? VECTOR(*sel)[i] : i;
		if (v < 0 || v >= n) {
			rc = lin_i_fail(err, LIN_EINVAL, NULL, 0, 0,
			                "vertex %" IGRAPH_PRId " out of range", v);
			goto done;
		}
		if (in[v])
			continue;
		in[v] = 1;
		LIN_IG(igraph_vector_int_push_back(&x->verts, v));
	}
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(&x->verts); i++) {
		if ((rc = lin_catalog_parents(&par, cat, VECTOR(x->verts)[i], mask, err)))
			goto done;
		for (igraph_integer_t j = 0; j < igraph_vector_int_size(&par); j++)
			if (in[IGRAPH_FROM(g, VECTOR(par)[j])])
				LIN_IG(igraph_vector_int_push_back(&x->edges, VECTOR(par)[j]));
	}
done:
	free(in);
	if (par_ok)
		igraph_vector_int_destroy(&par);
	return rc;
}

/* ---- values: a field or an edge attribute as one text -------------------- */

/* Appends l's items joined with "; " to b; NULL when l is empty. */
static const char *join(lin_buf *b, const lin_strlist *l)
{
	buf_clear(b);
	if (!l || l->n == 0)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			lin_buf_append(b, "; ", 2);
		lin_buf_puts(b, l->items[i]);
	}
	return b->data ? b->data : "";
}

/* Field f of m as text (a list joined into b), NULL when not recorded. */
static const char *field_value(lin_buf *b, const lin_model *m, const lin_field *f)
{
	if (f->kind == LIN_FIELD_LIST)
		return join(b, lin_field_list(m, f));
	return lin_field_text(m, f);
}

/* What an edge carries besides its ends, in every format's order. */
enum { EDGE_RELATION, EDGE_VARIANT, EDGE_NOTE, EDGE_INFERRED, EDGE_SOURCES, EDGE_NATTRS };
static const char *const edge_keys[EDGE_NATTRS] = {"relation", "variant", "note", "inferred",
                                                   "sources"};

static const char *edge_value(lin_buf *b, const lin_catalog *cat, igraph_integer_t e, int i)
{
	const lin_parent *p = lin_catalog_edge_parent(cat, e);
	switch (i) {
	case EDGE_RELATION:
		return lin_relation_name(lin_catalog_edge_relation(cat, e));
	case EDGE_VARIANT:
		return p ? p->variant : NULL;
	case EDGE_NOTE:
		return p ? p->note : NULL;
	case EDGE_INFERRED: /* from card heuristics, not stated by the source */
		return p && p->inferred ? "true" : "false";
	default:
		return p ? join(b, &p->sources) : NULL;
	}
}

static const char *edge_end(const lin_catalog *cat, igraph_integer_t e, igraph_neimode_t which)
{
	const igraph_t *g = lin_catalog_graph(cat);
	return lin_catalog_model(cat, which == IGRAPH_IN ? IGRAPH_FROM(g, e) : IGRAPH_TO(g, e))->id;
}
#define PARENT_OF(cat, e) edge_end(cat, e, IGRAPH_IN)
#define CHILD_OF(cat, e) edge_end(cat, e, IGRAPH_OUT)

/* ---- streaming ------------------------------------------------------------ */

typedef struct stream {
	lin_buf *out;
	const lin_sink *sink;
	lin_error *err;
	int rc; /* the first failure; later writes are dropped */
} stream;

/* Hands out's bytes to the sink when it holds CHUNK or more (any amount
 * when final). Without a sink everything stays in out. */
static int stream_flush(stream *s, int final)
{
	if (s->rc)
		return s->rc;
	if (s->out->oom)
		return s->rc = lin_i_fail(s->err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if (!s->sink || s->out->len == 0 || (!final && s->out->len < CHUNK))
		return 0;
	if (!s->sink->write)
		return s->rc = lin_i_fail(s->err, LIN_EINVAL, NULL, 0, 0,
		                          "a sink without a write function");
	s->rc = s->sink->write(s->sink->ctx, s->out->data, s->out->len, s->err);
	buf_clear(s->out);
	return s->rc;
}

/* ---- XML through libxml2's writer ---------------------------------------- */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

/* Once the sink has failed the rest is dropped but reported as written:
 * a failed callback would make libxml2 print an I/O error. The writer's
 * callers see s->rc instead. */
static int xml_write_cb(void *ctx, const char *data, int len)
{
	stream *s = ctx;
	if (len <= 0)
		return 0;
	if (!s->rc) {
		lin_buf_append(s->out, data, (size_t)len);
		stream_flush(s, 0);
	}
	return len;
}

/* libxml2 reports its errors on stderr; the library never prints. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int xml_close_cb(void *ctx)
{
	(void)ctx;
	return 0;
}

/* The writer and the scratch its text goes through. */
typedef struct xw {
	xmlTextWriterPtr w;
	stream *s;
	lin_buf raw, esc;
	xmlGenericErrorFunc old_fn; /* this thread's libxml2 error handler, */
	void *old_ctx;              /* silenced while the writer runs */
	int quiet;
} xw;
#define XW_INIT(s) {NULL, (s), LIN_BUF_INIT, LIN_BUF_INIT, NULL, NULL, 0}

static int xw_open(xw *x, stream *s)
{
	xmlOutputBufferPtr ob = NULL;
	x->s = s;
	pthread_once(&xml_once, xml_init);
	x->old_fn = xmlGenericError;
	x->old_ctx = xmlGenericErrorContext;
	x->quiet = 1;
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	if (!(ob = xmlOutputBufferCreateIO(xml_write_cb, xml_close_cb, s, NULL)))
		return lin_i_fail(s->err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if (!(x->w = xmlNewTextWriter(ob))) {
		xmlOutputBufferClose(ob);
		return lin_i_fail(s->err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (xmlTextWriterSetIndent(x->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0)
		return lin_i_fail(s->err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* Ends the document and releases the writer (which flushes into out);
 * with ok == 0 (a failure already reported) only releases it. */
static int xw_close(xw *x, int ok)
{
	int bad = 0;
	if (x->w) {
		if (ok)
			bad = xmlTextWriterEndDocument(x->w) < 0 || xmlTextWriterFlush(x->w) < 0;
		xmlFreeTextWriter(x->w);
		x->w = NULL;
	}
	if (x->quiet)
		xmlSetGenericErrorFunc(x->old_ctx, x->old_fn);
	x->quiet = 0;
	lin_buf_dispose(&x->raw);
	lin_buf_dispose(&x->esc);
	if (ok && bad && !x->s->rc)
		x->s->rc = lin_i_fail(x->s->err, LIN_ENOMEM, NULL, 0, 0, "cannot write XML");
	return x->s->rc;
}

/* The code of a failed writer call: the sink's, or no memory. */
static int xw_fail(xw *x)
{
	if (!x->s->rc)
		x->s->rc = lin_i_fail(x->s->err, LIN_ENOMEM, NULL, 0, 0, "cannot write XML: out of memory");
	return x->s->rc;
}

/* Runs a writer call (any function returning < 0 on failure); on its
 * failure or the sink's sets rc and jumps to done. */
#define XW(call)                                                               \
	do {                                                                   \
		if ((call) < 0 || x.s->rc) {                                   \
			rc = xw_fail(&x);                                      \
			goto done;                                             \
		}                                                              \
	} while (0)

/* Catalog text as the writer may take it: nothing XML 1.0 forbids. */
static const xmlChar *xtext(xw *x, const char *s)
{
	buf_clear(&x->esc);
	lin_escape(&x->esc, s, LIN_ESC_XML_TEXT, 0);
	return x->esc.oom ? NULL : BAD_CAST(x->esc.data ? x->esc.data : "");
}

static int xattr(xw *x, const char *name, const char *text)
{
	const xmlChar *t = xtext(x, text);
	return t ? xmlTextWriterWriteAttribute(x->w, BAD_CAST name, t) : -1;
}

/* An attribute whose value is the library's own (a key, a type). */
static int xattr_c(xw *x, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value);
}

static int xstart(xw *x, const char *name)
{
	return xmlTextWriterStartElement(x->w, BAD_CAST name);
}

static int xend(xw *x)
{
	return xmlTextWriterEndElement(x->w);
}

/* A declared attribute's id: "n_license", "e_relation". */
static const char *attr_id(char *buf, size_t n, const char *prefix, const char *key)
{
	snprintf(buf, n, "%s_%s", prefix, key);
	return buf;
}

static const char *field_type(const lin_field *f)
{
	return f->kind == LIN_FIELD_FLAG ? "boolean" : "string";
}

/* The name Gephi shows: the model's name, else its id. */
static const char *node_label(const lin_model *m)
{
	return m->name && m->name[0] ? m->name : m->id;
}

/* ---- GraphML ---------------------------------------------------------------- */

static int graphml_key(xw *x, const char *id, const char *for_, const char *name,
                       const char *type)
{
	if (xstart(x, "key") < 0 || xattr_c(x, "id", id) < 0 || xattr_c(x, "for", for_) < 0 ||
	    xattr_c(x, "attr.name", name) < 0 || xattr_c(x, "attr.type", type) < 0)
		return -1;
	return xend(x);
}

static int graphml_data(xw *x, const char *key, const char *value)
{
	const xmlChar *t = NULL;
	if (!value)
		return 0;
	if (xstart(x, "data") < 0 || xattr_c(x, "key", key) < 0 || !(t = xtext(x, value)) ||
	    xmlTextWriterWriteString(x->w, t) < 0)
		return -1;
	return xend(x);
}

int lin_export_graphml(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                       const igraph_vector_int_t *sel, lin_relmask mask, lin_error *err)
{
	int rc = 0;
	char id[64];
	size_t nf = 0;
	const lin_field *f = lin_model_fields(&nf);
	stream s = {out, sink, err, 0};
	xsel sl = XSEL_INIT;
	xw x = XW_INIT(&s);

	if ((rc = xsel_build(&sl, cat, sel, mask, err)) || (rc = xw_open(&x, &s)))
		goto done;
	XW(xstart(&x, "graphml"));
	XW(xattr_c(&x, "xmlns", "http://graphml.graphdrawing.org/xmlns"));
	XW(xattr_c(&x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
	XW(xattr_c(&x, "xsi:schemaLocation",
	           "http://graphml.graphdrawing.org/xmlns "
	           "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"));
	XW(graphml_key(&x, "n_label", "node", "label", "string"));
	for (size_t i = 0; i < nf; i++)
		if (f[i].kind != LIN_FIELD_PARENTS)
			XW(graphml_key(&x, attr_id(id, sizeof(id), "n", f[i].key), "node", f[i].key,
			               field_type(&f[i])));
	for (int i = 0; i < EDGE_NATTRS; i++)
		XW(graphml_key(&x, attr_id(id, sizeof(id), "e", edge_keys[i]), "edge", edge_keys[i],
		               "string"));
	XW(xstart(&x, "graph"));
	XW(xattr_c(&x, "id", "lineage"));
	XW(xattr_c(&x, "edgedefault", "directed"));
	for (igraph_integer_t k = 0; k < igraph_vector_int_size(&sl.verts); k++) {
		const lin_model *m = lin_catalog_model(cat, VECTOR(sl.verts)[k]);
		XW(xstart(&x, "node"));
		XW(xattr(&x, "id", m->id));
		XW(graphml_data(&x, "n_label", node_label(m)));
		for (size_t i = 0; i < nf; i++)
			if (f[i].kind != LIN_FIELD_PARENTS)
				XW(graphml_data(&x, attr_id(id, sizeof(id), "n", f[i].key),
				                field_value(&x.raw, m, &f[i])));
		XW(xend(&x));
	}
	for (igraph_integer_t k = 0; k < igraph_vector_int_size(&sl.edges); k++) {
		igraph_integer_t e = VECTOR(sl.edges)[k];
		XW(xstart(&x, "edge"));
		XW(xattr(&x, "source", PARENT_OF(cat, e)));
		XW(xattr(&x, "target", CHILD_OF(cat, e)));
		for (int i = 0; i < EDGE_NATTRS; i++)
			XW(graphml_data(&x, attr_id(id, sizeof(id), "e", edge_keys[i]),
			                edge_value(&x.raw, cat, e, i)));
		XW(xend(&x));
	}
done:
	rc = xw_close(&x, rc == 0) ? s.rc : rc;
	if (!rc)
		rc = stream_flush(&s, 1);
	xsel_dispose(&sl);
	return rc;
}

/* ---- GEXF 1.2draft ---------------------------------------------------------- */

static int gexf_attribute(xw *x, const char *id, const char *title, const char *type)
{
	if (xstart(x, "attribute") < 0 || xattr_c(x, "id", id) < 0 ||
	    xattr_c(x, "title", title) < 0 || xattr_c(x, "type", type) < 0)
		return -1;
	return xend(x);
}

static int gexf_attvalue(xw *x, const char *id, const char *value)
{
	if (!value)
		return 0;
	if (xstart(x, "attvalue") < 0 || xattr_c(x, "for", id) < 0 || xattr(x, "value", value) < 0)
		return -1;
	return xend(x);
}

/* A model's start on the timeline: its release day YYYY-MM-DD when the
 * catalog has one, YYYY-MM-01 for a month, YYYY-01-01 for a year, else "". */
static const char *gexf_start(char *buf, size_t n, const lin_model *m)
{
	const char *r = m->released;
	int day = 1;
	buf[0] = '\0';
	if (m->year <= 0 || m->year > 9999)
		return buf;
	if (m->month >= 1 && r && strlen(r) == 10 && r[7] == '-' && r[8] >= '0' && r[8] <= '3' &&
	    r[9] >= '0' && r[9] <= '9')
		day = (r[8] - '0') * 10 + (r[9] - '0');
	snprintf(buf, n, "%04d-%02d-%02d", m->year, m->month >= 1 && m->month <= 12 ? m->month : 1,
	         day >= 1 && day <= 31 ? day : 1);
	return buf;
}

int lin_export_gexf(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                    const igraph_vector_int_t *sel, lin_relmask mask, lin_error *err)
{
	int rc = 0;
	char id[64], start[24];
	size_t nf = 0;
	const lin_field *f = lin_model_fields(&nf);
	stream s = {out, sink, err, 0};
	xsel sl = XSEL_INIT;
	xw x = XW_INIT(&s);

	if ((rc = xsel_build(&sl, cat, sel, mask, err)) || (rc = xw_open(&x, &s)))
		goto done;
	XW(xstart(&x, "gexf"));
	XW(xattr_c(&x, "xmlns", "http://www.gexf.net/1.2draft"));
	XW(xattr_c(&x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
	XW(xattr_c(&x, "xsi:schemaLocation",
	           "http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd"));
	XW(xattr_c(&x, "version", "1.2"));
	XW(xstart(&x, "meta"));
	XW(xmlTextWriterWriteElement(x.w, BAD_CAST "creator", BAD_CAST "lineage"));
	XW(xend(&x));
	XW(xstart(&x, "graph"));
	XW(xattr_c(&x, "defaultedgetype", "directed"));
	XW(xattr_c(&x, "mode", "dynamic"));
	XW(xattr_c(&x, "timeformat", "date"));
	XW(xstart(&x, "attributes"));
	XW(xattr_c(&x, "class", "node"));
	XW(xattr_c(&x, "mode", "static"));
	for (size_t i = 0; i < nf; i++)
		if (f[i].kind != LIN_FIELD_PARENTS)
			XW(gexf_attribute(&x, attr_id(id, sizeof(id), "n", f[i].key), f[i].key,
			                  field_type(&f[i])));
	XW(xend(&x));
	XW(xstart(&x, "attributes"));
	XW(xattr_c(&x, "class", "edge"));
	XW(xattr_c(&x, "mode", "static"));
	for (int i = 0; i < EDGE_NATTRS; i++)
		XW(gexf_attribute(&x, attr_id(id, sizeof(id), "e", edge_keys[i]), edge_keys[i],
		                  "string"));
	XW(xend(&x));
	XW(xstart(&x, "nodes"));
	for (igraph_integer_t k = 0; k < igraph_vector_int_size(&sl.verts); k++) {
		const lin_model *m = lin_catalog_model(cat, VECTOR(sl.verts)[k]);
		XW(xstart(&x, "node"));
		XW(xattr(&x, "id", m->id));
		XW(xattr(&x, "label", node_label(m)));
		if (gexf_start(start, sizeof(start), m)[0])
			XW(xattr_c(&x, "start", start));
		XW(xstart(&x, "attvalues"));
		for (size_t i = 0; i < nf; i++)
			if (f[i].kind != LIN_FIELD_PARENTS)
				XW(gexf_attvalue(&x, attr_id(id, sizeof(id), "n", f[i].key),
				                 field_value(&x.raw, m, &f[i])));
		XW(xend(&x));
		XW(xend(&x));
	}
	XW(xend(&x));
	XW(xstart(&x, "edges"));
	for (igraph_integer_t k = 0; k < igraph_vector_int_size(&sl.edges); k++) {
		igraph_integer_t e = VECTOR(sl.edges)[k];
		XW(xstart(&x, "edge"));
		snprintf(start, sizeof(start), "%" IGRAPH_PRId, k);
		XW(xattr_c(&x, "id", start));
		XW(xattr(&x, "source", PARENT_OF(cat, e)));
		XW(xattr(&x, "target", CHILD_OF(cat, e)));
		XW(xattr(&x, "label", edge_value(&x.raw, cat, e, EDGE_RELATION)));
		XW(xstart(&x, "attvalues"));
		for (int i = 0; i < EDGE_NATTRS; i++)
			XW(gexf_attvalue(&x, attr_id(id, sizeof(id), "e", edge_keys[i]),
			                 edge_value(&x.raw, cat, e, i)));
		XW(xend(&x));
		XW(xend(&x));
	}
done:
	rc = xw_close(&x, rc == 0) ? s.rc : rc;
	if (!rc)
		rc = stream_flush(&s, 1);
	xsel_dispose(&sl);
	return rc;
}

/* ---- CSV ---------------------------------------------------------------------- */

/* Appends one cell (NULL or "": empty) after a comma unless it is the
 * row's first. A leading = + - @ tab or CR, which a spreadsheet would read
 * as a formula (or trim into one), gets a ' before it; a cell holding a
 * comma, quote or line break is quoted, its quotes doubled. */
static void csv_cell(lin_buf *out, lin_buf *esc, const char *s, int first)
{
	if (!first)
		lin_buf_append(out, ",", 1);
	if (!s || !s[0])
		return;
	buf_clear(esc);
	if (strchr("=+-@\t\r", s[0]))
		lin_buf_append(esc, "'", 1);
	lin_escape(esc, s, LIN_ESC_CSV, 0);
	if (esc->oom) {
		out->oom = 1;
		return;
	}
	if (strpbrk(esc->data, ",\"\r\n")) {
		lin_buf_append(out, "\"", 1);
		lin_buf_append(out, esc->data, esc->len);
		lin_buf_append(out, "\"", 1);
	} else {
		lin_buf_append(out, esc->data, esc->len);
	}
}

int lin_export_csv(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                   const igraph_vector_int_t *sel, lin_relmask mask, lin_csv_table table,
                   lin_error *err)
{
	int rc = 0;
	size_t nf = 0;
	const lin_field *f = lin_model_fields(&nf);
	stream s = {out, sink, err, 0};
	xsel sl = XSEL_INIT;
	lin_buf raw = LIN_BUF_INIT, esc = LIN_BUF_INIT;

	if (table != LIN_CSV_MODELS && table != LIN_CSV_EDGES) {
		rc = lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "unknown CSV table %d", (int)table);
		goto done;
	}
	if ((rc = xsel_build(&sl, cat, sel, mask, err)))
		goto done;
	if (table == LIN_CSV_MODELS) {
		int first = 1;
		for (size_t i = 0; i < nf; i++)
			if (f[i].kind != LIN_FIELD_PARENTS) {
				csv_cell(out, &esc, f[i].key, first);
				first = 0;
			}
		lin_buf_append(out, "\r\n", 2);
		for (igraph_integer_t k = 0; k < igraph_vector_int_size(&sl.verts); k++) {
			const lin_model *m = lin_catalog_model(cat, VECTOR(sl.verts)[k]);
			first = 1;
			for (size_t i = 0; i < nf; i++)
				if (f[i].kind != LIN_FIELD_PARENTS) {
					csv_cell(out, &esc, field_value(&raw, m, &f[i]), first);
					first = 0;
				}
			lin_buf_append(out, "\r\n", 2);
			if ((rc = stream_flush(&s, 0)))
				goto done;
		}
	} else {
		lin_buf_puts(out, "child,parent");
		for (int i = 0; i < EDGE_NATTRS; i++)
			csv_cell(out, &esc, edge_keys[i], 0);
		lin_buf_append(out, "\r\n", 2);
		for (igraph_integer_t k = 0; k < igraph_vector_int_size(&sl.edges); k++) {
			igraph_integer_t e = VECTOR(sl.edges)[k];
			csv_cell(out, &esc, CHILD_OF(cat, e), 1);
			csv_cell(out, &esc, PARENT_OF(cat, e), 0);
			for (int i = 0; i < EDGE_NATTRS; i++)
				csv_cell(out, &esc, edge_value(&raw, cat, e, i), 0);
			lin_buf_append(out, "\r\n", 2);
			if ((rc = stream_flush(&s, 0)))
				goto done;
		}
	}
	rc = stream_flush(&s, 1);
done:
	lin_buf_dispose(&raw);
	lin_buf_dispose(&esc);
	xsel_dispose(&sl);
	return rc;
}

/* ---- NDJSON --------------------------------------------------------------- */

static void json_value(lin_buf *out, const char *key, const char *v)
{
	lin_buf_printf(out, ",\"%s\":", key);
	if (v)
		lin_json_string(out, v);
	else
		lin_buf_puts(out, "null");
}

int lin_export_ndjson(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                      const igraph_vector_int_t *sel, lin_relmask mask, lin_error *err)
{
	int rc = 0;
	stream s = {out, sink, err, 0};
	xsel sl = XSEL_INIT;
	lin_buf rec = LIN_BUF_INIT;

	if ((rc = xsel_build(&sl, cat, sel, mask, err)))
		goto done;
	for (igraph_integer_t k = 0; k < igraph_vector_int_size(&sl.verts); k++) {
		buf_clear(&rec);
		/* the full record, reopened after its '{' */
		lin_export_model_json(&rec, cat, VECTOR(sl.verts)[k], 1);
		if (rec.oom) {
			out->oom = 1;
		} else {
			lin_buf_puts(out, "{\"type\":\"model\",");
			lin_buf_append(out, rec.data + 1, rec.len - 1);
			lin_buf_append(out, "\n", 1);
		}
		if ((rc = stream_flush(&s, 0)))
			goto done;
	}
	for (igraph_integer_t k = 0; k < igraph_vector_int_size(&sl.edges); k++) {
		igraph_integer_t e = VECTOR(sl.edges)[k];
		const lin_parent *p = lin_catalog_edge_parent(cat, e);
		lin_buf_puts(out, "{\"type\":\"edge\",\"from\":");
		lin_json_string(out, PARENT_OF(cat, e));
		lin_buf_puts(out, ",\"to\":");
		lin_json_string(out, CHILD_OF(cat, e));
		for (int i = 0; i < EDGE_INFERRED; i++)
			json_value(out, edge_keys[i], edge_value(&rec, cat, e, i));
		lin_buf_printf(out, ",\"%s\":%s", edge_keys[EDGE_INFERRED], p && p->inferred ? "true" : "false");
		lin_buf_printf(out, ",\"%s\":[", edge_keys[EDGE_SOURCES]);
		for (size_t i = 0; p && i < p->sources.n; i++) {
			if (i)
				lin_buf_append(out, ",", 1);
			lin_json_string(out, p->sources.items[i]);
		}
		lin_buf_puts(out, "]}\n");
		if ((rc = stream_flush(&s, 0)))
			goto done;
	}
	rc = stream_flush(&s, 1);
done:
	lin_buf_dispose(&rec);
	xsel_dispose(&sl);
	return rc;
}
