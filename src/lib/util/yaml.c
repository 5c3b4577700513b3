/*
 * yamltree.c - reads a catalog file with libyaml's event API and hands each
 * top-level sequence item to the caller as a small tree. libyaml itself has
 * no nesting limit and leaves aliases to its caller, so this is where a
 * hostile file is stopped: depth, scalar length and item counts are bounded
 * while events arrive, and aliases are refused, before anything big is built.
 */
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct yreader {
	yaml_parser_t parser;
	const char *file;
	const char *data;
	size_t len;
	int line0; /* lines before data in its file (a chunk of a split file) */
	lin_arena scratch;
} yreader;

/* Turns a byte offset into a 1-based line and column (libyaml reports
 * encoding errors with an offset only). Columns count characters. */
static void offset_pos(const char *data, size_t len, size_t off, int *line,
                       int *col)
{
	int l = 1, c = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static int syntax_error(yreader *r, lin_error *err)
{
	yaml_parser_t *p = &r->parser;
	int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
	if (p->error == YAML_READER_ERROR)
		offset_pos(r->data, r->len, p->problem_offset, &line, &col);
	if (p->error == YAML_MEMORY_ERROR)
		return lin_i_fail(err, LIN_ENOMEM, r->file, 0, 0, "out of memory");
	if (p->error == YAML_READER_ERROR)
		return lin_i_fail(err, LIN_EPARSE, r->file, line, col,
		                "invalid input: %s", p->problem ? p->problem : "unreadable");
	/* libyaml stops where it noticed the problem; the construct it was
	 * reading (an unclosed '[', say) started at context_mark */
	if (p->context)
		return lin_i_fail(err, LIN_EPARSE, r->file, line, col,
		                "YAML syntax error: %s %s (which starts at %d:%d)",
		                p->problem ? p->problem : "malformed YAML", p->context,
		                (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
	return lin_i_fail(err, LIN_EPARSE, r->file, line, col, "YAML syntax error: %s",
	                p->problem ? p->problem : "malformed YAML");
}

static int next_event(yreader *r, yaml_event_t *ev, lin_error *err)
{
	if (!yaml_parser_parse(&r->parser, ev))
		return syntax_error(r, err);
	return 0;
}

static int mark_line(const yreader *r, const yaml_event_t *ev)
{
	return r->line0 + (int)ev->start_mark.line + 1;
}
static int mark_col(const yaml_event_t *ev) { return (int)ev->start_mark.column + 1; }

static int is_null_scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return ev->data.scalar.length == 0 || strcmp(v, "~") == 0 ||
	       strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

static int read_node(yreader *r, yaml_event_t *ev, int depth, lin_ynode **out,
                     lin_error *err);

/* Reads the children of a sequence or mapping whose start event was just
 * consumed, up to its end event. */
static int read_children(yreader *r, lin_ynode *node, yaml_event_type_t end,
                         int depth, lin_error *err)
{
	int rc = 0;
	size_t cap = 0;
	for (;;) {
		yaml_event_t ev;
		lin_ynode *kid = NULL;
		if ((rc = next_event(r, &ev, err)) != 0)
			return rc;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (node->n >= LIN_MAX_ITEMS) {
			rc = lin_i_fail(err, LIN_ELIMIT, r->file, mark_line(r, &ev), mark_col(&ev),
			              "more than %d items in one list or mapping", LIN_MAX_ITEMS);
			yaml_event_delete(&ev);
			return rc;
		}
		rc = read_node(r, &ev, depth + 1, &kid, err);
		yaml_event_delete(&ev);
		if (rc)
			return rc;
		if (node->n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			lin_ynode **k = lin_i_arena_alloc(&r->scratch, ncap * sizeof(*k));
			if (!k)
				return lin_i_fail(err, LIN_ENOMEM, r->file, 0, 0, "out of memory");
			if (node->n)
				memcpy(k, node->kids, node->n * sizeof(*k));
			node->kids = k;
			cap = ncap;
		}
		node->kids[node->n++] = kid;
	}
}

/* Builds the node that starts with event ev (which the caller deletes). */
static int read_node(yreader *r, yaml_event_t *ev, int depth, lin_ynode **out,
                     lin_error *err)
{
	int line = mark_line(r, ev), col = mark_col(ev);
	if (ev->type == YAML_ALIAS_EVENT)
		return lin_i_fail(err, LIN_EPARSE, r->file, line, col,
		                "YAML aliases (*name) are not supported in a catalog");
	if (depth > LIN_MAX_DEPTH)
		return lin_i_fail(err, LIN_ELIMIT, r->file, line, col,
		                "nesting deeper than %d levels", LIN_MAX_DEPTH);
	lin_ynode *n = lin_i_arena_alloc(&r->scratch, sizeof(*n));
	if (!n)
		return lin_i_fail(err, LIN_ENOMEM, r->file, 0, 0, "out of memory");
	n->line = line;
	n->col = col;
	*out = n;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.length > LIN_MAX_SCALAR)
			return lin_i_fail(err, LIN_ELIMIT, r->file, line, col,
			                "a value of %zu bytes; the limit is %d",
			                ev->data.scalar.length, LIN_MAX_SCALAR);
		n->type = LIN_Y_SCALAR;
		n->len = ev->data.scalar.length;
		n->is_null = is_null_scalar(ev);
		n->str = lin_i_arena_strndup(&r->scratch, (const char *)ev->data.scalar.value, n->len);
		return n->str ? 0 : lin_i_fail(err, LIN_ENOMEM, r->file, 0, 0, "out of memory");
	case YAML_SEQUENCE_START_EVENT:
		n->type = LIN_Y_SEQ;
		return read_children(r, n, YAML_SEQUENCE_END_EVENT, depth, err);
	case YAML_MAPPING_START_EVENT:
		n->type = LIN_Y_MAP;
		return read_children(r, n, YAML_MAPPING_END_EVENT, depth, err);
	default:
		return lin_i_fail(err, LIN_EPARSE, r->file, line, col, "unexpected YAML event");
	}
}

/* Reads the body of the one document: a sequence of items, or nothing. */
static int read_document(yreader *r, lin_yitem_fn fn, void *ctx, lin_error *err)
{
	int rc = 0;
	yaml_event_t ev;
	if ((rc = next_event(r, &ev, err)) != 0)
		return rc;
	int line = mark_line(r, &ev), col = mark_col(&ev);
	if (ev.type == YAML_SCALAR_EVENT && is_null_scalar(&ev)) {
		yaml_event_delete(&ev);
		return 0; /* an empty document holds no models */
	}
	if (ev.type != YAML_SEQUENCE_START_EVENT) {
		int alias = ev.type == YAML_ALIAS_EVENT;
		yaml_event_delete(&ev);
		return lin_i_fail(err, LIN_ESCHEMA, r->file, line, col,
		                alias ? "YAML aliases (*name) are not supported in a catalog"
		                      : "expected a list of model entries (\"- id: ...\") at the top level");
	}
	yaml_event_delete(&ev);
	for (;;) {
		lin_ynode *item = NULL;
		if ((rc = next_event(r, &ev, err)) != 0)
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		rc = read_node(r, &ev, 1, &item, err);
		yaml_event_delete(&ev);
		if (rc == 0)
			rc = fn(ctx, item, err);
		lin_i_arena_reset(&r->scratch);
		if (rc)
			return rc;
	}
}

/* Expects an event of the given type next; anything else is an error. */
static int expect(yreader *r, yaml_event_type_t type, const char *what,
                  lin_error *err)
{
	yaml_event_t ev;
	int rc = next_event(r, &ev, err);
	if (rc)
		return rc;
	if (ev.type != type)
		rc = lin_i_fail(err, LIN_EPARSE, r->file, mark_line(r, &ev), mark_col(&ev), "%s", what);
	yaml_event_delete(&ev);
	return rc;
}

int lin_i_yaml_each_item(const char *file, const char *data, size_t len,
                       lin_yitem_fn fn, void *ctx, lin_error *err)
{
	return lin_i_yaml_each_item_at(file, data, len, 0, fn, ctx, err);
}

int lin_i_yaml_each_item_at(const char *file, const char *data, size_t len, int line0,
                          lin_yitem_fn fn, void *ctx, lin_error *err)
{
	int rc = 0;
	yreader r;
	memset(&r, 0, sizeof(r));
	r.file = file;
	r.data = data;
	r.len = len;
	r.line0 = line0;
	if (!yaml_parser_initialize(&r.parser))
		return lin_i_fail(err, LIN_ENOMEM, file, 0, 0, "out of memory");
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)data, len);
	if ((rc = expect(&r, YAML_STREAM_START_EVENT, "expected a YAML stream", err)))
		goto done;
	yaml_event_t ev;
	if ((rc = next_event(&r, &ev, err)))
		goto done;
	yaml_event_type_t t = ev.type;
	yaml_event_delete(&ev);
	if (t == YAML_STREAM_END_EVENT)
		goto done; /* an empty file */
	if ((rc = read_document(&r, fn, ctx, err)))
		goto done;
	if ((rc = expect(&r, YAML_DOCUMENT_END_EVENT, "expected the end of the document", err)))
		goto done;
	rc = expect(&r, YAML_STREAM_END_EVENT,
	            "several YAML documents in one file; a catalog file holds one list", err);
done:
	yaml_parser_delete(&r.parser);
	lin_i_arena_dispose(&r.scratch);
	return rc;
}

/* Reads the one document of a YAML buffer (any top-level node: a model
 * card's front matter is a mapping) into a bounded tree allocated in
 * *arena, which the caller disposes of. The top-level node counts as depth
 * 0, so nesting below it is bounded as a catalog item's is. *out is NULL for
 * an empty stream or document. */
int lin_i_yaml_parse_document(lin_ynode **out, lin_arena *arena, const char *file,
                            const char *data, size_t len, lin_error *err)
{
	int rc = 0;
	yreader r;
	yaml_event_t ev;
	memset(&r, 0, sizeof(r));
	*out = NULL;
	r.file = file;
	r.data = data;
	r.len = len;
	r.scratch = *arena; /* nodes go into the caller's arena */
	if (!yaml_parser_initialize(&r.parser))
		return lin_i_fail(err, LIN_ENOMEM, file, 0, 0, "out of memory");
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)data, len);
	if ((rc = expect(&r, YAML_STREAM_START_EVENT, "expected a YAML stream", err)))
		goto done;
	if ((rc = next_event(&r, &ev, err)))
		goto done;
	yaml_event_type_t t = ev.type;
	yaml_event_delete(&ev);
	if (t == YAML_STREAM_END_EVENT)
		goto done; /* an empty stream */
	if ((rc = next_event(&r, &ev, err)))
		goto done;
	if (ev.type == YAML_SCALAR_EVENT && is_null_scalar(&ev)) {
		yaml_event_delete(&ev);
	} else {
		rc = read_node(&r, &ev, 0, out, err);
		yaml_event_delete(&ev);
		if (rc)
			goto done;
	}
	if ((rc = expect(&r, YAML_DOCUMENT_END_EVENT, "expected the end of the document", err)))
		goto done;
	rc = expect(&r, YAML_STREAM_END_EVENT, "several YAML documents in one card", err);
done:
	yaml_parser_delete(&r.parser);
	*arena = r.scratch;
	if (rc)
		*out = NULL;
	return rc;
}
