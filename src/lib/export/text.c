/*
 * text.c - one model's whole record as text for a terminal (`lineage show`):
 * the field table's rows, where it is defined, its parents with their
 * sources, and its direct children. The caller keeps control characters
 * off the terminal.
 */
#include "export.h"

#include <string.h>

static void text_list(lin_buf *out, const char *label, const lin_strlist *l)
{
	if (!l->n)
		return;
	lin_buf_printf(out, "%s:%*s", label, 14 - (int)strlen(label), "");
	for (size_t i = 0; i < l->n; i++)
		lin_buf_printf(out, "%s%s", i ? ", " : "", l->items[i]);
	lin_buf_puts(out, "\n");
}

static void text_field(lin_buf *out, const char *label, const char *val)
{
	if (val)
		lin_buf_printf(out, "%s:%*s%s\n", label, 14 - (int)strlen(label), "", val);
}

static void text_parents(lin_buf *out, const lin_catalog *cat, const lin_model *m)
{
	if (m->nparents)
		lin_buf_puts(out, "parents:\n");
	for (size_t i = 0; i < m->nparents; i++) {
		const lin_parent *p = &m->parents[i];
		lin_buf_printf(out, "  %-18s ", lin_relation_name(p->relation));
		lin_export_label(out, cat, p->vertex);
		if (p->variant)
			lin_buf_printf(out, " (%s)", p->variant);
		if (p->note)
			lin_buf_printf(out, " - %s", p->note);
		lin_buf_puts(out, "\n");
		for (size_t k = 0; k < p->sources.n; k++)
			lin_buf_printf(out, "  %-18s source: %s\n", "", p->sources.items[k]);
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
			lin_buf_printf(out, "%-15s%s:%d:%d\n", "defined at:", m->pos.file, m->pos.line,
			               m->pos.col);
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
