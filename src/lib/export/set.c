/*
 * set.c - a set of models (a query's answer) as text, JSON or NDJSON,
 * sorted by id so that the answer does not depend on catalog order.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

typedef struct by_id {
	const char *id;
	igraph_integer_t v;
} by_id;

static int cmp_id(const void *a, const void *b)
{
	return strcmp(((const by_id *)a)->id, ((const by_id *)b)->id);
}

int lin_export_set(lin_buf *out, const lin_catalog *cat, const igraph_vector_int_t *set,
                   int format)
{
	size_t n = (size_t)igraph_vector_int_size(set);
	by_id *items = malloc((n ? n : 1) * sizeof(*items));
	if (!items)
		return LIN_ENOMEM;
	for (size_t i = 0; i < n; i++)
		items[i] = (by_id){lin_catalog_model(cat, VECTOR(*set)[i])->id, VECTOR(*set)[i]};
	qsort(items, n, sizeof(*items), cmp_id);
	if (format == 1)
		lin_buf_puts(out, n ? "[" : "[]\n");
	for (size_t i = 0; i < n; i++) {
		if (format == 0) {
			lin_escape(out, items[i].id, LIN_ESC_TERMINAL_LINE, 0);
			lin_buf_puts(out, "\n");
			continue;
		}
		if (format == 1)
			lin_buf_puts(out, i ? ",\n " : "\n ");
		lin_export_model_json(out, cat, items[i].v, 0);
		if (format == 2)
			lin_buf_puts(out, "\n");
	}
	if (format == 1 && n)
		lin_buf_puts(out, "\n]\n");
	free(items);
	return out->oom ? LIN_ENOMEM : 0;
}
