/*
 * export.c - text and JSON renderings of query results: the indented
 * ancestry tree (in the manner of `cargo tree`) and JSON objects for models
 * and hits. Output goes into a lin_buf; the caller decides where it lands.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Length of the valid UTF-8 sequence at s, or 0 when invalid. */
static size_t utf8_len_(const unsigned char *s)
{
	unsigned long cp;
	return lin_utf8_next(s, &cp);
}

/* ---- JSON ---------------------------------------------------------------- */

/* Printable ASCII that a JSON string carries as it is: all but the quote,
 * the backslash and the three characters escaped for HTML below. */
static int json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

int lin_json_string(lin_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	lin_buf_append(out, "\"", 1);
	while (*p) {
		/* runs of plain bytes in one append: ids and names are mostly
		 * nothing else, and a 70,000-model answer has a million */
		const unsigned char *run = p;
		while (json_plain(*p))
			p++;
		if (p > run) {
			lin_buf_append(out, (const char *)run, (size_t)(p - run));
			continue;
		}
		size_t n = utf8_len_(p);
		if (n == 0) {
			lin_buf_puts(out, "\\ufffd");
			p++;
		} else if (*p == '"' || *p == '\\') {
			lin_buf_printf(out, "\\%c", *p);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			lin_buf_printf(out, "\\u%04x", *p);
			p++;
		} else if (*p == '<' || *p == '>' || *p == '&') {
			/* harmless in JSON, but escaped so JSON inlined into HTML
			 * cannot close a <script> block */
			lin_buf_printf(out, "\\u%04x", *p);
			p++;
		} else {
			lin_buf_append(out, (const char *)p, n);
			p += n;
		}
	}
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
		lin_buf_puts(out, "}");
	}
	lin_buf_puts(out, "]");
}

int lin_export_model_json(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                          int full)
{
	const lin_model *m = lin_catalog_model(cat, v);
	lin_buf_puts(out, "{\"id\":");
	lin_json_string(out, m->id);
	json_field(out, "name", m->name);
	json_field(out, "stage", lin_stage_name(m->stage));
	json_field(out, "org", m->org);
	json_field(out, "released", m->released);
	if (full) {
		json_list(out, "aliases", &m->aliases);
		json_list(out, "params", &m->params);
		json_field(out, "architecture", lin_arch_name(m->arch));
		json_field(out, "weights", lin_weights_name(m->weights));
		json_field(out, "license", m->license);
		json_field(out, "license_note", m->license_note);
		json_list(out, "languages", &m->languages);
		json_field(out, "training_data", m->training_data);
		json_list(out, "links", &m->links);
		json_list(out, "sources", &m->sources);
		json_parents(out, cat, m);
	}
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

int lin_export_hits_json(lin_buf *out, const lin_catalog *cat, const lin_hits *hits)
{
	lin_buf_puts(out, "[");
	for (size_t i = 0; i < hits->n; i++) {
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
	}
	return lin_buf_puts(out, hits->n ? "\n]\n" : "]\n");
}

/* ---- the text tree --------------------------------------------------------- */

/* One level of the walk: a model and the edges to its next neighbours. */
typedef struct frame {
	igraph_integer_t vertex;
	igraph_vector_int_t edges; /* catalog edge ids, in display order */
	igraph_integer_t next;
} frame;

/* Deepest indentation drawn. Deeper levels are still walked but printed
 * at this indent, so a 100,000-deep chain gives linear, not quadratic,
 * output. */
#define TREE_MAX_INDENT 64

int lin_export_label(lin_buf *out, const lin_catalog *cat, igraph_integer_t v)
{
	const lin_model *m = lin_catalog_model(cat, v);
	if (m->name && strcmp(m->name, m->id) != 0)
		return lin_buf_printf(out, "%s [%s]", m->name, m->id);
	return lin_buf_puts(out, m->id);
}

/* lin_export_label of v into tmp, which is reused line after line. */
static const char *model_label(const lin_catalog *cat, igraph_integer_t v, lin_buf *tmp)
{
	tmp->len = 0;
	if (tmp->data)
		tmp->data[0] = '\0';
	lin_export_label(tmp, cat, v);
	return tmp->data ? tmp->data : "";
}

/* The id of edge e's child. */
static const char *child_id(const lin_catalog *cat, igraph_integer_t e)
{
	return lin_catalog_model(cat, IGRAPH_TO(&cat->graph, e))->id;
}

static const lin_catalog *tree_cat;
static int cmp_child_edges(const void *a, const void *b)
{
	igraph_integer_t x = *(const igraph_integer_t *)a, y = *(const igraph_integer_t *)b;
	int c = strcmp(child_id(tree_cat, x), child_id(tree_cat, y));
	return c ? c : (x > y) - (x < y);
}

/* The edges to show below v: parents in catalog order, or children by id. */
static int frame_edges(frame *f, const lin_catalog *cat, igraph_neimode_t mode,
                       lin_relmask mask, lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t inc;
	LIN_IG(igraph_vector_int_init(&inc, 0));
	LIN_IG(igraph_vector_int_init(&f->edges, 0));
	rc = igraph_incident(&cat->graph, &inc, f->vertex, mode) ? lin_igraph_fail(err, IGRAPH_FAILURE, "incident") : 0;
	for (igraph_integer_t i = 0; !rc && i < igraph_vector_int_size(&inc); i++)
		if (mask & LIN_REL_BIT(lin_catalog_edge_relation(cat, VECTOR(inc)[i])))
			rc = igraph_vector_int_push_back(&f->edges, VECTOR(inc)[i]) ? lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory") : 0;
	if (mode == IGRAPH_IN)
		igraph_vector_int_sort(&f->edges); /* edge ids follow the parents list */
	else {
		tree_cat = cat;
		qsort(VECTOR(f->edges), (size_t)igraph_vector_int_size(&f->edges), sizeof(igraph_integer_t), cmp_child_edges);
	}
	igraph_vector_int_destroy(&inc);
done:
	return rc;
}

/* Prints one edge line: prefix, branch, relation, neighbour, variant. */
static void tree_line(lin_buf *out, const lin_catalog *cat, const char *prefix, int last,
                      igraph_integer_t e, igraph_integer_t nb, int repeated, lin_buf *tmp)
{
	const lin_parent *p = lin_catalog_edge_parent(cat, e);
	lin_buf_printf(out, "%s%s%s: %s", prefix, last ? "└── " : "├── ",
	               lin_relation_name(p->relation), model_label(cat, nb, tmp));
	if (p->variant)
		lin_buf_printf(out, " (%s)", p->variant);
	lin_buf_puts(out, repeated ? " (*)\n" : "\n");
}

/* level[u] = the number of steps from v to u (-1 when not reached). */
static int shortest_levels(int **out, const lin_catalog *cat, igraph_integer_t v,
                           igraph_neimode_t mode, const lin_query_opts *o, lin_error *err)
{
	lin_hits hits = {NULL, 0};
	int *level = malloc(((size_t)cat->n + 1) * sizeof(int));
	int rc = level ? lin_query_reach(&hits, cat, v, mode, o, err)
	               : lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; !rc && i < cat->n; i++)
		level[i] = -1;
	for (size_t i = 0; !rc && i < hits.n; i++)
		level[hits.items[i].vertex] = hits.items[i].distance;
	lin_hits_dispose(&hits);
	if (rc) {
		free(level);
		level = NULL;
	}
	*out = level;
	return rc;
}

int lin_export_tree(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                    igraph_neimode_t mode, const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	size_t n = (size_t)cat->n, depth = 0, cap = 16;
	frame *stack = calloc(cap, sizeof(frame));
	char *seen = calloc(n + 1, 1);
	int *level = NULL;
	lin_buf prefix = LIN_BUF_INIT, tmp = LIN_BUF_INIT;
	size_t *plen = calloc(cap, sizeof(size_t));
	if (!stack || !seen || !plen) {
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	lin_buf_printf(out, "%s\n", model_label(cat, v, &tmp));
	lin_buf_puts(&prefix, "");
	if (o->depth == 0)
		goto done; /* the model alone */
	/* a model is expanded where it is nearest to v, as igraph's BFS
	 * measures it, so a direct parent is never hidden under a longer path */
	if ((rc = shortest_levels(&level, cat, v, mode, o, err)))
		goto done;
	stack[0].vertex = v;
	seen[v] = 1;
	if ((rc = frame_edges(&stack[0], cat, mode, o->relations, err)))
		goto done;
	depth = 1;
	while (depth > 0) {
		frame *f = &stack[depth - 1];
		if (f->next >= igraph_vector_int_size(&f->edges)) {
			igraph_vector_int_destroy(&f->edges);
			depth--;
			if (depth > 0 && depth - 1 < TREE_MAX_INDENT)
				prefix.len = plen[depth - 1], prefix.data[prefix.len] = '\0';
			continue;
		}
		igraph_integer_t e = VECTOR(f->edges)[f->next++];
		int last = f->next == igraph_vector_int_size(&f->edges);
		igraph_integer_t nb = mode == IGRAPH_IN ? IGRAPH_FROM(&cat->graph, e) : IGRAPH_TO(&cat->graph, e);
		int at_limit = o->depth >= 0 && (int)depth >= o->depth;
		int repeated = seen[nb] || level[nb] != (int)depth;
		tree_line(out, cat, prefix.data, last, e, nb, repeated, &tmp);
		if (repeated)
			continue;
		seen[nb] = 1;
		if (at_limit)
			continue;
		if (depth == cap) {
			frame *s = realloc(stack, cap * 2 * sizeof(frame));
			size_t *pl = s ? realloc(plen, cap * 2 * sizeof(size_t)) : NULL;
			if (s)
				stack = s;
			if (!s || !pl) {
				rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
				goto done;
			}
			plen = pl;
			cap *= 2;
		}
		plen[depth - 1] = prefix.len;
		if (depth - 1 < TREE_MAX_INDENT)
			lin_buf_puts(&prefix, last ? "    " : "│   ");
		memset(&stack[depth], 0, sizeof(frame));
		stack[depth].vertex = nb;
		if ((rc = frame_edges(&stack[depth], cat, mode, o->relations, err)))
			goto done;
		depth++;
	}
done:
	for (size_t i = 0; stack && i < depth; i++)
		igraph_vector_int_destroy(&stack[i].edges);
	free(stack);
	free(plen);
	free(seen);
	free(level);
	lin_buf_dispose(&prefix);
	lin_buf_dispose(&tmp);
	if (!rc && out->oom)
		rc = lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	return rc;
}
