/*
 * test_interchange.c - GraphML, GEXF, CSV and NDJSON out of interchange.c:
 * the nodes, edges and attributes of a small catalog in each format (the
 * XML parsed back with libxml2), selections and relation masks, hostile
 * text that must leave the XML well-formed and the CSV inert, streaming
 * through a sink in bounded chunks, and the error contract.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"

#include "lineage.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* base -> a (finetune, 7B), base -> b (adapter), a + b -> c (merge),
 * c -> d (quantized, 4-bit). */
static const char diamond[] =
	"- id: base\n"
	"  name: Base\n"
	"  released: '2022'\n"
	"  stage: pretrained\n"
	"  sources: [s]\n"
	"- id: b\n"
	"  stage: adapter\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: adapter, sources: [s]}]\n"
	"- id: a\n"
	"  name: Model A\n"
	"  org: Lab\n"
	"  released: '2023-05'\n"
	"  stage: sft\n"
	"  sources: [s]\n"
	"  parents: [{model: base, relation: finetune, variant: 7B, sources: [s]}]\n"
	"- id: c\n"
	"  stage: merged\n"
	"  sources: [s]\n"
	"  parents:\n"
	"    - {model: a, relation: merge, sources: [s]}\n"
	"    - {model: b, relation: merge, sources: [s]}\n"
	"- id: d\n"
	"  name: D\n"
	"  aliases: [dee, d2]\n"
	"  stage: quantized\n"
	"  license: mit\n"
	"  languages: [en, zh]\n"
	"  sources: [s1, s2]\n"
	"  parents: [{model: c, relation: quantized, variant: 4-bit, note: GPTQ, sources: [q1, q2]}]\n";

/* Markup, controls, noncharacters and formula starts in every field. */
static const char hostile[] =
	"- id: h0\n"
	"  name: \"=1+1 <a b='c'>&amp;]]></x> \\u0001\\u001F\\u007F\\u0085\\u202E\\uFFFE\\uFFFF \\\"q\\\", x\"\n"
	"  aliases: [\"-2 \\u0007\"]\n"
	"  org: \"+org ]]> \\u0008\"\n"
	"  released: '2023-01'\n"
	"  stage: pretrained\n"
	"  license: \"@SUM(A1) <\"\n"
	"  training_data: \"\\tx\"\n"
	"  sources: [\"<s>&\"]\n"
	"- id: h1\n"
	"  name: \"\\rname\"\n"
	"  stage: sft\n"
	"  sources: [x]\n"
	"  parents: [{model: h0, relation: finetune, variant: \"=HYPERLINK(\\\"x\\\")\", "
	"note: \"</note>]]>\\u0002\", sources: [\"-s\"]}]\n";

static int setup(void **state)
{
	*state = th_load_text(diamond);
	return 0;
}

static int teardown(void **state)
{
	lin_catalog_free(*state);
	return 0;
}

typedef int (*export_fn)(lin_buf *, const lin_sink *, const lin_catalog *,
                         const igraph_vector_int_t *, lin_relmask, lin_error *);

static char *run(export_fn fn, const lin_catalog *cat, const igraph_vector_int_t *sel,
                 lin_relmask mask)
{
	lin_buf b = LIN_BUF_INIT;
	lin_error e;
	lin_error_clear(&e);
	if (fn(&b, NULL, cat, sel, mask, &e) != 0)
		fail_msg("export failed: %s", e.msg);
	assert_non_null(b.data);
	return b.data;
}

static char *run_csv(const lin_catalog *cat, const igraph_vector_int_t *sel, lin_relmask mask,
                     lin_csv_table t)
{
	lin_buf b = LIN_BUF_INIT;
	lin_error e;
	lin_error_clear(&e);
	if (lin_export_csv(&b, NULL, cat, sel, mask, t, &e) != 0)
		fail_msg("export failed: %s", e.msg);
	assert_non_null(b.data);
	return b.data;
}

/* ---- reading the XML back ------------------------------------------------- */

/* Parses text strictly (no recovery, no network): NULL when not well-formed. */
static xmlDocPtr parse(const char *text)
{
	return xmlReadMemory(text, (int)strlen(text), "export.xml", NULL,
	                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static int is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

static int count(const xmlNode *n, const char *name)
{
	int k = 0;
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		k += is(c, name);
	return k;
}

/* An attribute's value, copied into buf ("" when missing). */
static const char *attr(const xmlNode *n, const char *name, char *buf, size_t size)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	snprintf(buf, size, "%s", v ? (const char *)v : "");
	xmlFree(v);
	return buf;
}

/* The element among n's children whose attribute key is value. */
static const xmlNode *child_where(const xmlNode *n, const char *name, const char *key,
                                  const char *value)
{
	char buf[256];
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is(c, name) && strcmp(attr(c, key, buf, sizeof(buf)), value) == 0)
			return c;
	return NULL;
}

/* The text of a GraphML node's or edge's <data key=key>, "" when absent. */
static const char *graphml_data(const xmlNode *n, const char *key, char *buf, size_t size)
{
	const xmlNode *d = child_where(n, "data", "key", key);
	xmlChar *t = d ? xmlNodeGetContent(d) : NULL;
	snprintf(buf, size, "%s", t ? (const char *)t : "");
	xmlFree(t);
	return buf;
}

/* The value of a GEXF node's or edge's attvalue for id. */
static const char *gexf_value(const xmlNode *n, const char *id, char *buf, size_t size)
{
	const xmlNode *v = child_where(child(n, "attvalues"), "attvalue", "for", id);
	buf[0] = '\0';
	return v ? attr(v, "value", buf, size) : buf;
}

/* ---- the formats ------------------------------------------------------------ */

static void graphml_nodes_edges_attributes(void **state)
{
	const lin_catalog *cat = *state;
	char *text = run(lin_export_graphml, cat, NULL, LIN_REL_ALL);
	char buf[256];
	xmlDocPtr doc = parse(text);
	assert_non_null(doc);
	const xmlNode *root = xmlDocGetRootElement(doc);
	assert_true(is(root, "graphml"));
	/* every field but parents declared with a type, then the four edge keys */
	size_t nf = 0;
	const lin_field *f = lin_model_fields(&nf);
	for (size_t i = 0; i < nf; i++) {
		char id[64];
		snprintf(id, sizeof(id), "n_%s", f[i].key);
		const xmlNode *k = child_where(root, "key", "id", id);
		if (f[i].kind == LIN_FIELD_PARENTS) {
			assert_null(k);
			continue;
		}
		assert_non_null(k);
		assert_string_equal(attr(k, "attr.name", buf, sizeof(buf)), f[i].key);
		assert_string_equal(attr(k, "attr.type", buf, sizeof(buf)),
		                    f[i].kind == LIN_FIELD_FLAG ? "boolean" : "string");
	}
	assert_non_null(child_where(root, "key", "id", "e_relation"));
	assert_non_null(child_where(root, "key", "id", "e_sources"));
	const xmlNode *g = child(root, "graph");
	assert_string_equal(attr(g, "edgedefault", buf, sizeof(buf)), "directed");
	assert_int_equal(count(g, "node"), 5);
	assert_int_equal(count(g, "edge"), 5);
	const xmlNode *d = child_where(g, "node", "id", "d");
	assert_non_null(d);
	assert_string_equal(graphml_data(d, "n_license", buf, sizeof(buf)), "mit");
	assert_string_equal(graphml_data(d, "n_aliases", buf, sizeof(buf)), "dee; d2");
	assert_string_equal(graphml_data(d, "n_languages", buf, sizeof(buf)), "en; zh");
	assert_string_equal(graphml_data(d, "n_stage", buf, sizeof(buf)), "quantized");
	assert_string_equal(graphml_data(d, "n_external", buf, sizeof(buf)), "false");
	assert_string_equal(graphml_data(d, "n_label", buf, sizeof(buf)), "D");
	assert_null(child_where(d, "data", "key", "n_org")); /* not recorded: left out */
	/* a model without a name is labelled by its id */
	assert_string_equal(graphml_data(child_where(g, "node", "id", "c"), "n_label", buf,
	                                 sizeof(buf)), "c");
	const xmlNode *e = child_where(g, "edge", "target", "d");
	assert_non_null(e);
	assert_string_equal(attr(e, "source", buf, sizeof(buf)), "c");
	assert_string_equal(graphml_data(e, "e_relation", buf, sizeof(buf)), "quantized");
	assert_string_equal(graphml_data(e, "e_variant", buf, sizeof(buf)), "4-bit");
	assert_string_equal(graphml_data(e, "e_note", buf, sizeof(buf)), "GPTQ");
	assert_string_equal(graphml_data(e, "e_sources", buf, sizeof(buf)), "q1; q2");
	xmlFreeDoc(doc);
	free(text);
}

static void gexf_dynamic_with_release_dates(void **state)
{
	const lin_catalog *cat = *state;
	char *text = run(lin_export_gexf, cat, NULL, LIN_REL_ALL);
	char buf[256];
	xmlDocPtr doc = parse(text);
	assert_non_null(doc);
	const xmlNode *root = xmlDocGetRootElement(doc);
	assert_true(is(root, "gexf"));
	assert_string_equal(attr(root, "version", buf, sizeof(buf)), "1.2");
	assert_string_equal((const char *)root->ns->href, "http://www.gexf.net/1.2draft");
	const xmlNode *g = child(root, "graph");
	assert_string_equal(attr(g, "mode", buf, sizeof(buf)), "dynamic");
	assert_string_equal(attr(g, "timeformat", buf, sizeof(buf)), "date");
	assert_non_null(child_where(g, "attributes", "class", "node"));
	const xmlNode *nattrs = child_where(g, "attributes", "class", "node");
	const xmlNode *lic = child_where(nattrs, "attribute", "id", "n_license");
	assert_non_null(lic);
	assert_string_equal(attr(lic, "title", buf, sizeof(buf)), "license");
	const xmlNode *nodes = child(g, "nodes"), *edges = child(g, "edges");
	assert_int_equal(count(nodes, "node"), 5);
	assert_int_equal(count(edges, "edge"), 5);
	/* released YYYY-MM: the first of the month; YYYY: January 1st; none */
	assert_string_equal(attr(child_where(nodes, "node", "id", "a"), "start", buf, sizeof(buf)),
	                    "2023-05-01");
	assert_string_equal(attr(child_where(nodes, "node", "id", "base"), "start", buf,
	                         sizeof(buf)), "2022-01-01");
	assert_null(xmlHasProp(child_where(nodes, "node", "id", "d"), BAD_CAST "start"));
	const xmlNode *d = child_where(nodes, "node", "id", "d");
	assert_string_equal(attr(d, "label", buf, sizeof(buf)), "D");
	assert_string_equal(gexf_value(d, "n_license", buf, sizeof(buf)), "mit");
	assert_string_equal(gexf_value(d, "n_languages", buf, sizeof(buf)), "en; zh");
	const xmlNode *e = child_where(edges, "edge", "target", "d");
	assert_string_equal(attr(e, "source", buf, sizeof(buf)), "c");
	assert_string_equal(attr(e, "label", buf, sizeof(buf)), "quantized");
	assert_string_equal(gexf_value(e, "e_relation", buf, sizeof(buf)), "quantized");
	assert_string_equal(gexf_value(e, "e_sources", buf, sizeof(buf)), "q1; q2");
	xmlFreeDoc(doc);
	free(text);
}

static void csv_tables(void **state)
{
	const lin_catalog *cat = *state;
	char *models = run_csv(cat, NULL, LIN_REL_ALL, LIN_CSV_MODELS);
	char *edges = run_csv(cat, NULL, LIN_REL_ALL, LIN_CSV_EDGES);
	/* the header: the field table's keys but parents */
	static const char header[] =
		"id,name,aliases,org,released,params,stage,external,architecture,"
		"weights,license,license_note,languages,training_data,links,sources\r\n";
	assert_true(strncmp(models, header, strlen(header)) == 0);
	assert_non_null(strstr(models, "\r\nd,D,dee; d2,,,,quantized,false,,,mit,,en; zh,,,s1; s2\r\n"));
	assert_non_null(strstr(models, "\r\na,Model A,,Lab,2023-05,,sft,false,"));
	assert_string_equal(edges, "child,parent,relation,variant,note,inferred,sources\r\n"
	                           "b,base,adapter,,,false,s\r\n"
	                           "a,base,finetune,7B,,false,s\r\n"
	                           "c,a,merge,,,false,s\r\n"
	                           "c,b,merge,,,false,s\r\n"
	                           "d,c,quantized,4-bit,GPTQ,false,q1; q2\r\n");
	free(models);
	free(edges);
}

static void ndjson_models_then_edges(void **state)
{
	const lin_catalog *cat = *state;
	lin_buf full = LIN_BUF_INIT;
	char *text = run(lin_export_ndjson, cat, NULL, LIN_REL_ALL);
	size_t lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 10);
	/* a model line is {"type":"model"} and the full record's keys */
	assert_int_equal(lin_export_model_json(&full, cat, th_find(cat, "d"), 1), 0);
	char *want = malloc(full.len + 32);
	snprintf(want, full.len + 32, "{\"type\":\"model\",%s\n", full.data + 1);
	assert_non_null(strstr(text, want));
	assert_true(strncmp(text, "{\"type\":\"model\",\"id\":\"base\",", 28) == 0);
	assert_non_null(strstr(text, "\n{\"type\":\"edge\",\"from\":\"c\",\"to\":\"d\",\"relation\":"
	                             "\"quantized\",\"variant\":\"4-bit\",\"note\":\"GPTQ\",\"inferred\":false,"
	                             "\"sources\":[\"q1\",\"q2\"]}\n"));
	assert_non_null(strstr(text, "{\"type\":\"edge\",\"from\":\"base\",\"to\":\"b\",\"relation\":"
	                             "\"adapter\",\"variant\":null,\"note\":null,\"inferred\":false,\"sources\":[\"s\"]}\n"));
	/* models first: no model line after the first edge line */
	const char *first_edge = strstr(text, "{\"type\":\"edge\"");
	assert_null(strstr(first_edge, "{\"type\":\"model\""));
	free(want);
	lin_buf_dispose(&full);
	free(text);
}

/* A selection keeps its models and the edges among them in the mask. */
static void selection_and_mask(void **state)
{
	const lin_catalog *cat = *state;
	igraph_vector_int_t sel;
	igraph_vector_int_init(&sel, 0);
	igraph_vector_int_push_back(&sel, th_find(cat, "base"));
	igraph_vector_int_push_back(&sel, th_find(cat, "a"));
	igraph_vector_int_push_back(&sel, th_find(cat, "c"));
	igraph_vector_int_push_back(&sel, th_find(cat, "a")); /* a repeat counts once */
	char *edges = run_csv(cat, &sel, LIN_REL_ALL, LIN_CSV_EDGES);
	assert_string_equal(edges, "child,parent,relation,variant,note,inferred,sources\r\n"
	                           "a,base,finetune,7B,,false,s\r\n"
	                           "c,a,merge,,,false,s\r\n");
	free(edges);
	edges = run_csv(cat, &sel, LIN_REL_BIT(LIN_REL_FINETUNE), LIN_CSV_EDGES);
	assert_string_equal(edges, "child,parent,relation,variant,note,inferred,sources\r\n"
	                           "a,base,finetune,7B,,false,s\r\n");
	free(edges);
	char *text = run(lin_export_graphml, cat, &sel, LIN_REL_ALL);
	xmlDocPtr doc = parse(text);
	assert_non_null(doc);
	const xmlNode *g = child(xmlDocGetRootElement(doc), "graph");
	assert_int_equal(count(g, "node"), 3);
	assert_int_equal(count(g, "edge"), 2);
	assert_null(child_where(g, "node", "id", "d"));
	xmlFreeDoc(doc);
	free(text);
	igraph_vector_int_destroy(&sel);
}

/* Markup, controls, noncharacters and invalid UTF-8 in the catalog: the
 * XML parses (strictly) and reads back as the text with each forbidden
 * character as U+FFFD; CSV cells are neutralised; NDJSON keeps it all. */
static void hostile_text_stays_well_formed(void **state)
{
	(void)state;
	lin_catalog *cat = th_load_text(hostile);
	/* invalid UTF-8 cannot come through the loader; put some in by hand */
	lin_model *m = (lin_model *)lin_catalog_model(cat, th_find(cat, "h1"));
	char bad[] = "bad \xff\xfe \xc3 \xed\xa0\x80 <&]]>";
	m->license = bad;
	char buf[512];
	export_fn xml[] = {lin_export_graphml, lin_export_gexf};
	for (int i = 0; i < 2; i++) {
		char *text = run(xml[i], cat, NULL, LIN_REL_ALL);
		xmlDocPtr doc = parse(text);
		if (!doc)
			fail_msg("format %d: not well-formed XML:\n%s", i, text);
		const xmlNode *g = child(xmlDocGetRootElement(doc), "graph");
		const xmlNode *nodes = i ? child(g, "nodes") : g;
		const xmlNode *h0 = child_where(nodes, "node", "id", "h0");
		const xmlNode *h1 = child_where(nodes, "node", "id", "h1");
		assert_non_null(h0);
		assert_non_null(h1);
		const char *name = i ? gexf_value(h0, "n_name", buf, sizeof(buf))
		                     : graphml_data(h0, "n_name", buf, sizeof(buf));
		/* markup is text; each control and noncharacter is U+FFFD */
		assert_string_equal(name, "=1+1 <a b='c'>&amp;]]></x> "
		                          "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		                          "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \"q\", x");
		const char *lic = i ? gexf_value(h1, "n_license", buf, sizeof(buf))
		                    : graphml_data(h1, "n_license", buf, sizeof(buf));
		assert_string_equal(lic, "bad \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd "
		                         "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd <&]]>");
		xmlFreeDoc(doc);
		free(text);
	}
	/* CSV: formula starts get a ', quotes are doubled, controls are gone */
	char *models = run_csv(cat, NULL, LIN_REL_ALL, LIN_CSV_MODELS);
	char *edges = run_csv(cat, NULL, LIN_REL_ALL, LIN_CSV_EDGES);
	assert_non_null(strstr(models, "\r\nh0,\"'=1+1 <a b='c'>&amp;]]></x> "));
	assert_non_null(strstr(models, " \"\"q\"\", x\",'-2 \xef\xbf\xbd,'+org ]]> \xef\xbf\xbd,"));
	assert_non_null(strstr(models, ",'@SUM(A1) <,"));
	assert_non_null(strstr(models, ",'\tx,"));
	assert_non_null(strstr(models, "\r\nh1,\"'\rname\","));
	assert_string_equal(edges, "child,parent,relation,variant,note,inferred,sources\r\n"
	                           "h1,h0,finetune,\"'=HYPERLINK(\"\"x\"\")\","
	                           "</note>]]>\xef\xbf\xbd,false,'-s\r\n");
	/* NDJSON keeps everything, escaped, one object a line */
	char *nd = run(lin_export_ndjson, cat, NULL, LIN_REL_ALL);
	assert_non_null(strstr(nd, "\\u0001\\u001f\\u007f\\u0085\\u202e\\ufffe\\uffff"));
	size_t lines = 0;
	for (const char *p = nd; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3);
	free(nd);
	free(models);
	free(edges);
	m->license = NULL;
	lin_catalog_free(cat);
}

/* ---- streaming and errors ------------------------------------------------- */

typedef struct collect {
	lin_buf all;
	size_t calls, largest;
	int fail_at; /* the call that fails (1-based), 0: none */
} collect;

static int collect_write(void *ctx, const void *data, size_t len, lin_error *err)
{
	collect *c = ctx;
	c->calls++;
	if (len > c->largest)
		c->largest = len;
	if (c->fail_at && (int)c->calls == c->fail_at) {
		snprintf(err->msg, sizeof(err->msg), "disk full");
		return LIN_EIO;
	}
	lin_buf_append(&c->all, data, len);
	return 0;
}

static void streams_in_bounded_chunks(void **state)
{
	(void)state;
	lin_buf yaml = LIN_BUF_INIT;
	lin_buf_puts(&yaml, "- {id: m0, stage: pretrained, sources: [x]}\n");
	for (int i = 1; i < 3000; i++)
		lin_buf_printf(&yaml,
		               "- {id: m%d, name: Model number %d, stage: sft, sources: [x], "
		               "parents: [{model: m%d, relation: finetune, sources: [x]}]}\n",
		               i, i, i - 1);
	lin_catalog *cat = th_load_text(yaml.data);
	export_fn fns[] = {lin_export_graphml, lin_export_gexf, lin_export_ndjson};
	for (int i = 0; i < 3; i++) {
		collect c = {LIN_BUF_INIT, 0, 0, 0};
		lin_sink sink = {collect_write, &c};
		lin_buf scratch = LIN_BUF_INIT;
		lin_error e;
		char *whole = run(fns[i], cat, NULL, LIN_REL_ALL);
		char *again = run(fns[i], cat, NULL, LIN_REL_ALL);
		assert_string_equal(whole, again); /* deterministic */
		assert_int_equal(fns[i](&scratch, &sink, cat, NULL, LIN_REL_ALL, &e), 0);
		assert_true(c.calls > 4);
		assert_true(c.largest < 80 * 1024); /* a chunk and one record, at most */
		assert_true(scratch.len == 0);
		assert_string_equal(c.all.data, whole); /* the same bytes */
		lin_buf_dispose(&scratch);
		lin_buf_dispose(&c.all);
		free(whole);
		free(again);
	}
	/* the sink's failure stops the export with its code and message */
	for (int i = 0; i < 3; i++) {
		collect c = {LIN_BUF_INIT, 0, 0, 2};
		lin_sink sink = {collect_write, &c};
		lin_buf scratch = LIN_BUF_INIT;
		lin_error e;
		lin_error_clear(&e);
		assert_int_equal(fns[i](&scratch, &sink, cat, NULL, LIN_REL_ALL, &e), LIN_EIO);
		assert_string_equal(e.msg, "disk full");
		assert_int_equal(c.calls, 2);
		lin_buf_dispose(&scratch);
		lin_buf_dispose(&c.all);
	}
	lin_catalog_free(cat);
	lin_buf_dispose(&yaml);
}

static void errors(void **state)
{
	const lin_catalog *cat = *state;
	lin_catalog *raw = NULL;
	lin_buf b = LIN_BUF_INIT;
	lin_error e;
	igraph_vector_int_t sel;
	igraph_vector_int_init(&sel, 0);
	igraph_vector_int_push_back(&sel, 99);
	assert_int_equal(lin_export_graphml(&b, NULL, cat, &sel, LIN_REL_ALL, &e), LIN_EINVAL);
	assert_int_equal(lin_export_ndjson(&b, NULL, cat, &sel, LIN_REL_ALL, &e), LIN_EINVAL);
	assert_int_equal(lin_export_csv(&b, NULL, cat, NULL, LIN_REL_ALL, (lin_csv_table)7, &e),
	                 LIN_EINVAL);
	assert_int_equal(lin_catalog_new(&raw, &e), 0);
	assert_int_equal(lin_export_gexf(&b, NULL, raw, NULL, LIN_REL_ALL, &e), LIN_EINVAL);
	assert_string_equal(e.msg, "catalog not finished");
	assert_int_equal(lin_export_csv(&b, NULL, NULL, NULL, LIN_REL_ALL, LIN_CSV_EDGES, &e),
	                 LIN_EINVAL);
	lin_catalog_free(raw);
	igraph_vector_int_destroy(&sel);
	lin_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(graphml_nodes_edges_attributes),
		cmocka_unit_test(gexf_dynamic_with_release_dates),
		cmocka_unit_test(csv_tables),
		cmocka_unit_test(ndjson_models_then_edges),
		cmocka_unit_test(selection_and_mask),
		cmocka_unit_test(hostile_text_stays_well_formed),
		cmocka_unit_test(streams_in_bounded_chunks),
		cmocka_unit_test(errors),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	xmlCleanupParser();
	return rc;
}
