/*
 * yaml.c - a finished catalog written back as catalog YAML (data/README.md's
 * schema), field by field from the field table, every string double-quoted
 * and escaped, so that the loader reads the same models back.
 */
#include "export.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>


/* ---- writing a catalog as YAML ------------------------------------------------ */


/* s as a YAML double-quoted scalar (the escaper's YAML rule). */
static void yaml_str(lin_buf *b, const char *s)
{
	lin_buf_append(b, "\"", 1);
	lin_escape(b, s, LIN_ESC_YAML, 0);
	lin_buf_append(b, "\"", 1);
}

/* "INDENT KEY: " (appends, not a format: a million-model import writes
 * ten million of them) */
static void yaml_key(lin_buf *b, const char *indent, const char *key)
{
	lin_buf_puts(b, indent);
	lin_buf_puts(b, key);
	lin_buf_append(b, ": ", 2);
}

static void yaml_text(lin_buf *b, const char *indent, const char *key, const char *v)
{
	if (!v)
		return;
	yaml_key(b, indent, key);
	yaml_str(b, v);
	lin_buf_append(b, "\n", 1);
}

static void yaml_list(lin_buf *b, const char *indent, const char *key, const lin_strlist *l)
{
	if (l->n == 0)
		return;
	yaml_key(b, indent, key);
	lin_buf_append(b, "[", 1);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			lin_buf_puts(b, ", ");
		yaml_str(b, l->items[i]);
	}
	lin_buf_puts(b, "]\n");
}

/* A valid catalog id for s (an external model's name): lowercase, other
 * characters '-'. malloc()ed. */
static char *slug(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 2), *q = out;
	if (!out)
		return NULL;
	if (!isalnum((unsigned char)s[0]) || (unsigned char)s[0] >= 0x80)
		*q++ = 'x';
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		*q++ = ch < 0x80 && (isalnum(ch) || strchr("._/-", ch)) ? (char)tolower(ch) : '-';
	}
	*q = '\0';
	return out;
}

static void write_parents(lin_buf *b, const lin_model *m)
{
	if (m->nparents == 0)
		return;
	lin_buf_puts(b, "  parents:\n");
	for (size_t j = 0; j < m->nparents; j++) {
		const lin_parent *p = &m->parents[j];
		lin_buf_puts(b, "    - model: ");
		yaml_str(b, p->ref);
		lin_buf_puts(b, "\n      relation: ");
		lin_buf_puts(b, lin_relation_name(p->relation));
		lin_buf_append(b, "\n", 1);
		yaml_text(b, "      ", "variant", p->variant);
		yaml_text(b, "      ", "note", p->note);
		yaml_list(b, "      ", "sources", &p->sources);
		if (p->inferred) /* false is the default */
			lin_buf_puts(b, "      inferred: true\n");
	}
}

/* Writes field f of m (the id is written by the caller). */
static void write_field(lin_buf *b, const lin_model *m, const lin_field *f)
{
	const char *text = lin_field_text(m, f);
	switch (f->kind) {
	case LIN_FIELD_TEXT:
		yaml_text(b, "  ", f->key, text);
		break;
	case LIN_FIELD_LIST:
		yaml_list(b, "  ", f->key, lin_field_list(m, f));
		break;
	case LIN_FIELD_FLAG: /* false is the default */
		if (strcmp(text, "true") == 0) {
			yaml_key(b, "  ", f->key);
			lin_buf_puts(b, "true\n");
		}
		break;
	case LIN_FIELD_PARENTS:
		write_parents(b, m);
		break;
	default: /* vocabulary words need no quoting; unknown ones are left out */
		if (text) {
			yaml_key(b, "  ", f->key);
			lin_buf_puts(b, text);
			lin_buf_append(b, "\n", 1);
		}
	}
}

static void write_model(lin_buf *b, const lin_model *m, const char *id)
{
	size_t n;
	const lin_field *f = lin_model_fields(&n);
	lin_buf_puts(b, "- id: ");
	yaml_str(b, id);
	lin_buf_append(b, "\n", 1);
	for (size_t i = 0; i < n; i++)
		if (f[i].offset != offsetof(lin_model, id))
			write_field(b, m, &f[i]);
}

typedef struct out_entry {
	const char *id;
	char *owned; /* an external model's slug; others borrow the model's id */
	size_t index;
} out_entry;

static int cmp_out(const void *a, const void *b)
{
	const out_entry *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* A share of the entries, written on a thread into a buffer of its own. */
typedef struct yaml_range {
	const lin_catalog *cat;
	const out_entry *e;
	size_t from, to;
	lin_buf *out;
} yaml_range;

static void *write_some(void *arg)
{
	yaml_range *r = arg;
	for (size_t i = r->from; i < r->to; i++) {
		if (i)
			lin_buf_append(r->out, "\n", 1);
		write_model(r->out, lin_catalog_model(r->cat, (igraph_integer_t)r->e[i].index), r->e[i].id);
	}
	return NULL;
}

/* A million entries are seconds of formatting, and each is written on its
 * own: big catalogs are written in two halves on two threads, the second
 * appended to the first (the same bytes). */
#define YAML_THREADS 2
#define YAML_PARALLEL_MIN 65536

static void write_entries(lin_buf *out, const lin_catalog *cat, const out_entry *e, size_t n)
{
	lin_buf more[YAML_THREADS];
	yaml_range r[YAML_THREADS];
	size_t k = n >= YAML_PARALLEL_MIN ? YAML_THREADS : 1;
	for (size_t i = 0; i < k; i++) {
		more[i] = (lin_buf)LIN_BUF_INIT;
		r[i] = (yaml_range){cat, e, n * i / k, n * (i + 1) / k, i ? &more[i] : out};
	}
	lin_i_run_parallel(write_some, r, sizeof(r[0]), k);
	for (size_t i = 1; i < k; i++) {
		if (more[i].oom)
			out->oom = 1;
		else if (more[i].len)
			lin_buf_append(out, more[i].data, more[i].len);
		lin_buf_dispose(&more[i]);
	}
}

int lin_catalog_write_yaml(lin_buf *out, const lin_catalog *cat, lin_error *err)
{
	int rc = 0;
	size_t n = 0;
	out_entry *e = calloc(cat->n + 1, sizeof(*e));
	if (!e)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (; n < cat->n; n++) {
		const lin_model *m = lin_catalog_model(cat, (igraph_integer_t)n);
		e[n].index = n;
		e[n].owned = m->external ? slug(m->id) : NULL;
		if (!(e[n].id = m->external ? e[n].owned : m->id))
			break;
	}
	if (n < cat->n) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	lin_i_sort(e, n, sizeof(*e), cmp_out);
	if (n == 0)
		lin_buf_puts(out, "[]\n");
	write_entries(out, cat, e, n);
	if (out->oom)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
done:
	for (size_t i = 0; i < n; i++)
		free(e[i].owned);
	free(e);
	return rc;
}
