/*
 * tree.c - the indented ancestry or descent tree (in the manner of `cargo
 * tree`) and the one display label every text output uses.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

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

/* Catalog text inside a line of text output: never a line break, a tab or
 * any other hidden code point ('?' instead), so a name holding a newline
 * cannot forge a line of the tree ("\n└── finetune: GPT-4 (trusted)"). */
static void put_line_text(lin_buf *out, const char *s)
{
	lin_escape(out, s, LIN_ESC_TERMINAL_LINE, 0);
}

int lin_export_label(lin_buf *out, const lin_catalog *cat, igraph_integer_t v)
{
	const lin_model *m = lin_catalog_model(cat, v);
	if (m->name && strcmp(m->name, m->id) != 0) {
		put_line_text(out, m->name);
		lin_buf_puts(out, " [");
		put_line_text(out, m->id);
		return lin_buf_puts(out, "]");
	}
	put_line_text(out, m->id);
	return out->oom ? LIN_ENOMEM : 0;
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
	LIN_IG(igraph_vector_int_init(&f->edges, 0));
	if (mode == IGRAPH_IN) /* in catalog edge order: the parents list's */
		rc = lin_catalog_parents(&f->edges, cat, f->vertex, mask, err);
	else if ((rc = lin_catalog_children(&f->edges, cat, f->vertex, mask, err)) == 0) {
		tree_cat = cat;
		qsort(VECTOR(f->edges), (size_t)igraph_vector_int_size(&f->edges), sizeof(igraph_integer_t), cmp_child_edges);
	}
done:
	return rc;
}

/* The drawing characters of a charset: branch, last branch, the rule
 * below a branch that goes on, and the blank below a last one. */
typedef struct tree_glyphs {
	const char *branch, *last, *rule, *blank;
} tree_glyphs;

static const tree_glyphs glyphs[] = {
	[LIN_TREE_UTF8] = {"├── ", "└── ", "│   ", "    "},
	[LIN_TREE_ASCII] = {"|-- ", "`-- ", "|   ", "    "},
};

static const tree_glyphs *tree_glyphs_of(const lin_tree_opts *t)
{
	return &glyphs[t->charset == LIN_TREE_ASCII ? LIN_TREE_ASCII : LIN_TREE_UTF8];
}

/* What starts a line at depth (0: the root): the drawn prefix and branch,
 * the depth number, or nothing, as t->prefix says. */
static void line_start(lin_buf *out, const lin_tree_opts *t, const char *prefix, int last,
                       size_t depth)
{
	if (t->prefix == LIN_TREE_DEPTH)
		lin_buf_printf(out, "%zu ", depth);
	else if (t->prefix == LIN_TREE_INDENT && depth > 0)
		lin_buf_printf(out, "%s%s", prefix, last ? tree_glyphs_of(t)->last : tree_glyphs_of(t)->branch);
}

/* Prints one edge line: prefix, branch, relation, neighbour, variant. */
static void tree_line(lin_buf *out, const lin_catalog *cat, const lin_tree_opts *t,
                      const char *prefix, int last, size_t depth, igraph_integer_t e,
                      igraph_integer_t nb, int repeated, lin_buf *tmp)
{
	const lin_parent *p = lin_catalog_edge_parent(cat, e);
	line_start(out, t, prefix, last, depth);
	lin_buf_printf(out, "%s: %s", lin_relation_name(p->relation), model_label(cat, nb, tmp));
	if (p->variant) {
		lin_buf_puts(out, " (");
		put_line_text(out, p->variant);
		lin_buf_puts(out, ")");
	}
	lin_buf_puts(out, repeated ? " (*)\n" : "\n");
}

/* level[u] = the number of steps from v to u (-1 when not reached). */
static int shortest_levels(int **out, const lin_catalog *cat, igraph_integer_t v,
                           igraph_neimode_t mode, const lin_query_opts *o, lin_error *err)
{
	lin_hits hits = {NULL, 0};
	int *level = malloc(((size_t)cat->n + 1) * sizeof(int));
	int rc = level ? lin_query_reach(&hits, cat, v, mode, o, err)
	               : lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
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
	lin_tree_opts t = LIN_TREE_OPTS_INIT;
	return lin_export_tree_ext(out, cat, v, mode, o, &t, err);
}

int lin_export_tree_ext(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                        igraph_neimode_t mode, const lin_query_opts *o, const lin_tree_opts *t,
                        lin_error *err)
{
	return lin_export_tree_stream(out, NULL, cat, v, mode, o, t, err);
}

int lin_export_tree_stream(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                           igraph_integer_t v, igraph_neimode_t mode, const lin_query_opts *o,
                           const lin_tree_opts *t, lin_error *err)
{
	int rc = 0;
	size_t n = (size_t)cat->n, depth = 0, cap = 16, lines = 1;
	size_t max_lines = t->max_lines ? t->max_lines : LIN_TREE_MAX_LINES;
	frame *stack = calloc(cap, sizeof(frame));
	char *seen = calloc(n + 1, 1);
	int *level = NULL;
	lin_buf prefix = LIN_BUF_INIT, tmp = LIN_BUF_INIT;
	size_t *plen = calloc(cap, sizeof(size_t));
	if (!stack || !seen || !plen) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	line_start(out, t, "", 1, 0);
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
		/* without dedupe a model is expanded wherever it is met: a DAG of
		 * diamonds doubles the tree at each one, so it stops at max_lines */
		int repeated = t->dedupe && (seen[nb] || level[nb] != (int)depth);
		if (!t->dedupe && lines == max_lines) {
			lin_buf_printf(out, "... (cut at %zu lines: a model met again is expanded again)\n",
			               max_lines);
			break;
		}
		tree_line(out, cat, t, prefix.data, last, depth, e, nb, repeated, &tmp);
		lines++;
		if ((rc = lin_i_sink_flush(out, sink, 0, err)))
			goto done;
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
				rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
				goto done;
			}
			plen = pl;
			cap *= 2;
		}
		plen[depth - 1] = prefix.len;
		if (depth - 1 < TREE_MAX_INDENT)
			lin_buf_puts(&prefix, last ? tree_glyphs_of(t)->blank : tree_glyphs_of(t)->rule);
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
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if (!rc)
		rc = lin_i_sink_flush(out, sink, 1, err);
	return rc;
}

/* ---- the chains from one model down to another, as one tree ------------- */

/* A node of the merged chains: the edge that reaches it, its first child
 * and its next sibling (indices into the node array; 0: none, the root
 * being node 0). */
typedef struct why_node {
	igraph_integer_t edge;
	size_t child, sibling;
} why_node;

/* Orders sibling edges as the tree writer does: by child id, then edge. */
static int edge_before(const lin_catalog *cat, igraph_integer_t x, igraph_integer_t y)
{
	tree_cat = cat;
	return cmp_child_edges(&x, &y) < 0;
}

/* Prints node k's subtree: its children, each with its line and below it. */
static void why_print(lin_buf *out, const lin_catalog *cat, const why_node *nodes, size_t k,
                      size_t depth, lin_buf *prefix, const lin_tree_opts *t, lin_buf *tmp)
{
	for (size_t c = nodes[k].child; c; c = nodes[c].sibling) {
		int last = nodes[c].sibling == 0;
		igraph_integer_t e = nodes[c].edge;
		tree_line(out, cat, t, prefix->data ? prefix->data : "", last, depth + 1, e,
		          IGRAPH_TO(&cat->graph, e), 0, tmp);
		size_t keep = prefix->len;
		if (depth < TREE_MAX_INDENT)
			lin_buf_puts(prefix, last ? tree_glyphs_of(t)->blank : tree_glyphs_of(t)->rule);
		why_print(out, cat, nodes, c, depth + 1, prefix, t, tmp);
		prefix->len = keep;
		if (prefix->data)
			prefix->data[keep] = '\0';
	}
}

int lin_export_why(lin_buf *out, const lin_catalog *cat, igraph_integer_t top,
                   const igraph_vector_int_list_t *paths, const lin_tree_opts *t, lin_error *err)
{
	lin_buf prefix = LIN_BUF_INIT, tmp = LIN_BUF_INIT;
	size_t total = 1, used = 1;
	why_node *nodes = NULL;
	int rc = 0;
	igraph_integer_t np = igraph_vector_int_list_size(paths);
	for (igraph_integer_t i = 0; i < np; i++)
		total += (size_t)igraph_vector_int_size(igraph_vector_int_list_get_ptr(paths, i));
	if (!(nodes = calloc(total, sizeof(*nodes)))) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	/* merge the chains into a trie from top: a shared start is drawn once */
	for (igraph_integer_t i = 0; i < np; i++) {
		const igraph_vector_int_t *p = igraph_vector_int_list_get_ptr(paths, i);
		size_t at = 0;
		for (igraph_integer_t j = 0; j < igraph_vector_int_size(p); j++) {
			igraph_integer_t e = VECTOR(*p)[j];
			size_t *link = &nodes[at].child;
			while (*link && nodes[*link].edge != e && edge_before(cat, nodes[*link].edge, e))
				link = &nodes[*link].sibling;
			if (!*link || nodes[*link].edge != e) {
				nodes[used].edge = e;
				nodes[used].sibling = *link;
				*link = used++;
			}
			at = *link;
		}
	}
	line_start(out, t, "", 1, 0);
	lin_buf_printf(out, "%s\n", model_label(cat, top, &tmp));
	lin_buf_puts(&prefix, "");
	why_print(out, cat, nodes, 0, 0, &prefix, t, &tmp);
	if (out->oom || prefix.oom)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
done:
	free(nodes);
	lin_buf_dispose(&prefix);
	lin_buf_dispose(&tmp);
	return rc;
}
