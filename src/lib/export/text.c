/*
 * text.c - one model's whole record as text for a terminal (`lineage show`):
 * the field table's rows, where it is defined, its parents with their
 * sources, and its direct children. Catalog text never starts a line of
 * its own: names, lists and variants are one line each (a line break shows
 * as '?'), and a multi-line note or field keeps its lines only as marked
 * continuation lines, so no value can pass for a field, a parent or a
 * source.
 */
#include "export.h"

#include <string.h>

/* Where values start, and where a parent's label starts. */
#define VALUE_COL 15
#define PARENT_COL 21

static void put_line_text(lin_buf *out, const char *s)
{
	lin_escape(out, s, LIN_ESC_TERMINAL_LINE, 0);
}

/* Appends s, which may hold line breaks: each line escaped as one line of
 * text, the second and later ones as "<indent spaces>| line" (no line of
 * show's layout starts with spaces and a '|'). */
static void put_block(lin_buf *out, const char *s, int indent)
{
	lin_buf line = LIN_BUF_INIT;
	for (const char *p = s;; p++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		line.len = 0;
		lin_buf_append(&line, p, n);
		if (p != s)
			lin_buf_printf(out, "\n%*s| ", indent, "");
		put_line_text(out, line.data ? line.data : "");
		if (!nl)
			break;
		p = nl;
	}
	if (line.oom)
		out->oom = 1;
	lin_buf_dispose(&line);
}

static void text_list(lin_buf *out, const char *label, const lin_strlist *l)
{
	if (!l->n)
		return;
	lin_buf_printf(out, "%s:%*s", label, VALUE_COL - 1 - (int)strlen(label), "");
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			lin_buf_puts(out, ", ");
		put_line_text(out, l->items[i]);
	}
	lin_buf_puts(out, "\n");
}

static void text_field(lin_buf *out, const char *label, const char *val)
{
	if (!val)
		return;
	lin_buf_printf(out, "%s:%*s", label, VALUE_COL - 1 - (int)strlen(label), "");
	put_block(out, val, VALUE_COL);
	lin_buf_puts(out, "\n");
}

static void text_parents(lin_buf *out, const lin_catalog *cat, const lin_model *m)
{
	if (m->nparents)
		lin_buf_puts(out, "parents:\n");
	for (size_t i = 0; i < m->nparents; i++) {
		const lin_parent *p = &m->parents[i];
		lin_buf_printf(out, "  %-18s ", lin_relation_name(p->relation));
		lin_export_label(out, cat, p->vertex);
		if (p->variant) {
			lin_buf_puts(out, " (");
			put_line_text(out, p->variant);
			lin_buf_puts(out, ")");
		}
		/* the importer's note already starts "inferred: <why>" */
		if (p->inferred && !(p->note && strncmp(p->note, "inferred", 8) == 0))
			lin_buf_puts(out, " [inferred]");
		if (p->note) {
			lin_buf_puts(out, " - ");
			put_block(out, p->note, PARENT_COL);
		}
		lin_buf_puts(out, "\n");
		for (size_t k = 0; k < p->sources.n; k++) {
			lin_buf_printf(out, "%*ssource: ", PARENT_COL, "");
			put_line_text(out, p->sources.items[k]);
			lin_buf_puts(out, "\n");
		}
	}
}

int lin_export_model_text(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                          const lin_hits *children)
{
	const lin_model *m = lin_catalog_model(cat, v);
	size_t n;
	const lin_field *f = lin_model_fields(&n);
	if (!m)
		return LIN_EINVAL;
	lin_export_label(out, cat, v);
	lin_buf_puts(out, "\n");
	for (size_t i = 0; i < n; i++) {
		if (f[i].flags & LIN_FIELD_HEADING)
			continue;
		if (f[i].kind == LIN_FIELD_LIST) {
			text_list(out, f[i].label, lin_field_list(m, &f[i]));
		} else if (f[i].kind == LIN_FIELD_PARENTS) {
			lin_buf_printf(out, "%-*s", VALUE_COL, "defined at:");
			put_line_text(out, m->pos.file);
			lin_buf_printf(out, ":%d:%d\n", m->pos.line, m->pos.col);
			text_parents(out, cat, m);
		} else {
			text_field(out, f[i].label, lin_field_text(m, &f[i]));
		}
	}
	if (children && children->n)
		lin_buf_puts(out, "children:\n");
	for (size_t i = 0; children && i < children->n; i++) {
		lin_buf_printf(out, "  %-18s ", lin_relation_name(children->items[i].relation));
		lin_export_label(out, cat, children->items[i].vertex);
		lin_buf_puts(out, "\n");
	}
	return out->oom ? LIN_ENOMEM : 0;
}
