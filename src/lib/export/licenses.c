/*
 * licenses.c - the licence audit (query/licenses.c) as text and as JSON:
 * each model with its licence, class and the chain it binds the audited
 * model through, then the flags.
 */
#include "export.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longest chain spelled out; a longer one ends in ", ...". */
#define CHAIN_STEPS 16

/* The entries from the audited model down to entry i (exclusive of the
 * model itself), nearest first, into steps; returns how many. */
static size_t chain_of(const lin_license_audit *a, size_t i, size_t *steps)
{
	size_t n = 0;
	for (size_t e = i; e != SIZE_MAX && a->entries[e].next != SIZE_MAX && n < a->n; e = a->entries[e].next)
		steps[n++] = e;
	for (size_t l = 0, r = n ? n - 1 : 0; l < r; l++, r--) {
		size_t t = steps[l];
		steps[l] = steps[r];
		steps[r] = t;
	}
	return n;
}

static void put_text(lin_buf *out, const char *s)
{
	lin_escape(out, s, LIN_ESC_TERMINAL_LINE, 0);
}

static void text_entry(lin_buf *out, const lin_catalog *cat, const lin_license_audit *a,
                       size_t i, size_t *steps)
{
	const lin_model *m = lin_catalog_model(cat, a->entries[i].vertex);
	lin_export_label(out, cat, a->entries[i].vertex);
	lin_buf_puts(out, ": ");
	put_text(out, m->license ? m->license : "no licence recorded");
	lin_buf_printf(out, " (%s)", lin_license_class_name(lin_license_classify(m->license)));
	size_t n = chain_of(a, i, steps);
	for (size_t k = 0; k < n && k < CHAIN_STEPS; k++) {
		const lin_license_entry *s = &a->entries[steps[k]];
		lin_buf_printf(out, "%s%s from '", k ? ", " : ", chain: ", lin_relation_name(s->relation));
		put_text(out, lin_catalog_model(cat, s->vertex)->id);
		lin_buf_puts(out, "'");
	}
	if (n > CHAIN_STEPS)
		lin_buf_puts(out, ", ...");
	lin_buf_puts(out, "\n");
}

int lin_export_licenses_text(lin_buf *out, const lin_catalog *cat, const lin_license_audit *a)
{
	size_t *steps = malloc((a->n ? a->n : 1) * sizeof(*steps));
	if (!steps)
		return LIN_ENOMEM;
	for (size_t i = 0; i < a->n; i++)
		text_entry(out, cat, a, i, steps);
	free(steps);
	if (!a->nflags)
		return lin_buf_puts(out, "no problems found\n");
	lin_buf_printf(out, "%zu problem%s:\n", a->nflags, a->nflags == 1 ? "" : "s");
	for (size_t i = 0; i < a->nflags; i++) {
		lin_buf_puts(out, "  ");
		put_text(out, a->flags[i].message);
		lin_buf_puts(out, "\n");
	}
	return out->oom ? LIN_ENOMEM : 0;
}

static const char *const problem_codes[] = {"licence-drift", "distilled-proprietary",
                                            "unknown-licence"};

static void json_entry(lin_buf *out, const lin_catalog *cat, const lin_license_audit *a,
                       size_t i, size_t *steps)
{
	const lin_model *m = lin_catalog_model(cat, a->entries[i].vertex);
	const lin_license *l = lin_license_lookup(m->license);
	lin_export_model_json(out, cat, a->entries[i].vertex, 0);
	out->len--; /* reopen the brief record */
	lin_buf_printf(out, ",\"license_class\":\"%s\",\"spdx\":",
	               lin_license_class_name(lin_license_classify(m->license)));
	if (l && l->spdx)
		lin_json_string(out, l->spdx);
	else
		lin_buf_puts(out, "null");
	lin_buf_printf(out, ",\"distance\":%d,\"chain\":[", a->entries[i].distance);
	size_t n = chain_of(a, i, steps);
	for (size_t k = 0; k < n; k++) {
		const lin_license_entry *s = &a->entries[steps[k]];
		lin_buf_printf(out, "%s{\"relation\":\"%s\",\"from\":", k ? "," : "",
		               lin_relation_name(s->relation));
		lin_json_string(out, lin_catalog_model(cat, s->vertex)->id);
		lin_buf_puts(out, "}");
	}
	lin_buf_puts(out, "]}");
}

static void json_id_or_null(lin_buf *out, const lin_catalog *cat, const lin_license_audit *a,
                            size_t entry)
{
	if (entry == SIZE_MAX)
		lin_buf_puts(out, "null");
	else
		lin_json_string(out, lin_catalog_model(cat, a->entries[entry].vertex)->id);
}

int lin_export_licenses_json(lin_buf *out, const lin_catalog *cat, const lin_license_audit *a)
{
	size_t *steps = malloc((a->n ? a->n : 1) * sizeof(*steps));
	if (!steps)
		return LIN_ENOMEM;
	lin_buf_printf(out, "{\"schema\":%d,\"model\":", LIN_JSON_SCHEMA);
	json_id_or_null(out, cat, a, a->n ? 0 : SIZE_MAX);
	lin_buf_puts(out, ",\n \"models\":[");
	for (size_t i = 0; i < a->n; i++) {
		lin_buf_puts(out, i ? ",\n  " : "\n  ");
		json_entry(out, cat, a, i, steps);
	}
	free(steps);
	lin_buf_puts(out, a->n ? "\n ],\n \"problems\":[" : "],\n \"problems\":[");
	for (size_t i = 0; i < a->nflags; i++) {
		const lin_license_flag *f = &a->flags[i];
		lin_buf_printf(out, "%s{\"code\":\"%s\",\"model\":", i ? ",\n  " : "\n  ",
		               problem_codes[f->problem]);
		json_id_or_null(out, cat, a, f->entry);
		lin_buf_puts(out, ",\"other\":");
		json_id_or_null(out, cat, a, f->other);
		lin_buf_puts(out, ",\"message\":");
		lin_json_string(out, f->message);
		lin_buf_puts(out, "}");
	}
	return lin_buf_puts(out, a->nflags ? "\n ]}\n" : "]}\n");
}
