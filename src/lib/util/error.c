/*
 * error.c - the error struct, diagnostics lists and the text buffer: the
 * small pieces every other module uses to report problems and build output.
 */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lin_error_clear(lin_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int lin_i_vfail(lin_error *err, int code, const char *file, int line, int col,
              const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int lin_i_fail(lin_error *err, int code, const char *file, int line, int col,
             const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lin_i_vfail(err, code, file, line, col, fmt, ap);
	va_end(ap);
	return code;
}

const char *lin_error_format(const lin_error *err, char *buf, size_t n)
{
	if (!err->file[0])
		snprintf(buf, n, "%s", err->msg);
	else if (err->line <= 0)
		snprintf(buf, n, "%s: %s", err->file, err->msg);
	else if (err->col <= 0)
		snprintf(buf, n, "%s:%d: %s", err->file, err->line, err->msg);
	else
		snprintf(buf, n, "%s:%d:%d: %s", err->file, err->line, err->col,
		         err->msg);
	return buf;
}

/* Each code's stable name (an interface: check --format json, SARIF rule
 * ids; never rename) and what it means, in one table. */
static const struct {
	const char *name, *meaning;
} codes[] = {
	[-LIN_OK] = {"ok", "no problem"},
	[-LIN_ENOMEM] = {"out-of-memory", "the tool ran out of memory"},
	[-LIN_EIO] = {"io", "a file or directory cannot be read"},
	[-LIN_EPARSE] = {"syntax", "malformed YAML (the rest of that file is not read)"},
	[-LIN_ESCHEMA] = {"schema", "an entry breaks the catalog schema"},
	[-LIN_ENOTFOUND] = {"not-found", "no such model"},
	[-LIN_EAMBIGUOUS] = {"ambiguous", "a name matches several models, or reads as another model"},
	[-LIN_ECYCLE] = {"cycle", "the derivation graph has a cycle"},
	[-LIN_EDUP] = {"duplicate", "two models share an id, alias or name, or an edge is listed twice"},
	[-LIN_EGRAPH] = {"graph", "an internal graph operation failed"},
	[-LIN_ERENDER] = {"render", "a diagram could not be drawn"},
	[-LIN_EINVAL] = {"invalid", "an invalid argument"},
	[-LIN_ELIMIT] = {"limit", "an input exceeds a hard limit"},
	[-LIN_EREF] = {"unknown-parent", "a parent names no model"},
	[-LIN_EDRIFT] = {"licence-drift",
	                 "a permissive model whose weights come from a restrictively licensed ancestor"},
};
#define NCODES ((int)(sizeof(codes) / sizeof(codes[0])))

const char *lin_error_name(int code)
{
	if (code > 0 || code <= -NCODES || !codes[-code].name)
		return "error";
	return codes[-code].name;
}

const char *lin_error_meaning(int code)
{
	if (code > 0 || code <= -NCODES || !codes[-code].meaning)
		return "an error";
	return codes[-code].meaning;
}

/* An item's place in the sorted order; idx keeps qsort stable. */
typedef struct diag_key {
	const lin_error *e;
	size_t idx;
} diag_key;

static int cmp_diag(const void *a, const void *b)
{
	const diag_key *x = a, *y = b;
	int xf = x->e->file[0] != 0, yf = y->e->file[0] != 0;
	if (xf != yf)
		return yf - xf;
	int c = strcmp(x->e->file, y->e->file);
	if (c)
		return c;
	if (x->e->line != y->e->line)
		return x->e->line < y->e->line ? -1 : 1;
	if (x->e->col != y->e->col)
		return x->e->col < y->e->col ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

int lin_diags_sort(lin_diags *d)
{
	int rc = 0;
	diag_key *k = NULL;
	lin_error *items = NULL;
	int *warn = NULL;
	if (!d || d->n < 2)
		goto done;
	k = malloc(d->n * sizeof(*k));
	items = malloc(d->n * sizeof(*items));
	warn = malloc(d->n * sizeof(*warn));
	if (!k || !items || !warn) {
		rc = LIN_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < d->n; i++)
		k[i] = (diag_key){&d->items[i], i};
	qsort(k, d->n, sizeof(*k), cmp_diag);
	for (size_t i = 0; i < d->n; i++) {
		items[i] = d->items[k[i].idx];
		warn[i] = d->is_warning[k[i].idx];
	}
	/* swap in the sorted copies; the old arrays are freed below */
	lin_error *oi = d->items;
	int *ow = d->is_warning;
	d->items = items;
	d->is_warning = warn;
	d->cap = d->n;
	items = oi;
	warn = ow;
done:
	free(k);
	free(items);
	free(warn);
	return rc;
}

void lin_diags_init(lin_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void lin_diags_dispose(lin_diags *d)
{
	if (!d)
		return;
	free(d->items);
	free(d->is_warning);
	memset(d, 0, sizeof(*d));
}

/* Diagnostics beyond this many are dropped: a hostile catalog must not make
 * the error list itself exhaust memory. */
#define LIN_DIAGS_MAX 10000

/* Warnings may take 9 in 10 of the places: a flood of warnings (200,000
 * models sharing a name) must not crowd out the errors that come after. */
#define LIN_DIAGS_MAX_WARNINGS (LIN_DIAGS_MAX / 10 * 9)

int lin_i_diags_skip(lin_diags *d, int is_warning)
{
	if (!d || !(d->n >= LIN_DIAGS_MAX ||
	            (is_warning && (d->errors_only || d->n - d->nerrors >= LIN_DIAGS_MAX_WARNINGS))))
		return 0;
	if (is_warning)
		d->dropped_warnings++;
	else
		d->dropped_errors++;
	return 1;
}

void lin_i_diags_add(lin_diags *d, const lin_error *e, int is_warning)
{
	if (!d)
		return;
	int full = d->n >= LIN_DIAGS_MAX ||
	           (is_warning && (d->errors_only || d->n - d->nerrors >= LIN_DIAGS_MAX_WARNINGS));
	if (!full && d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		lin_error *items = realloc(d->items, cap * sizeof(*items));
		int *w = items ? realloc(d->is_warning, cap * sizeof(*w)) : NULL;
		if (items)
			d->items = items;
		if (w) {
			d->is_warning = w;
			d->cap = cap;
		}
		full = !w;
	}
	if (full) { /* counted, not kept */
		if (is_warning)
			d->dropped_warnings++;
		else
			d->dropped_errors++;
		return;
	}
	d->items[d->n] = *e;
	d->is_warning[d->n] = is_warning;
	d->nerrors += !is_warning;
	d->n++;
}

void lin_i_diags_append(lin_diags *dst, const lin_diags *src)
{
	if (!dst)
		return;
	for (size_t i = 0; i < src->n; i++)
		lin_i_diags_add(dst, &src->items[i], src->is_warning[i]);
	dst->dropped_errors += src->dropped_errors;
	dst->dropped_warnings += src->dropped_warnings;
}

void lin_diags_append(lin_diags *dst, const lin_diags *src)
{
	if (src)
		lin_i_diags_append(dst, src);
}

size_t lin_diags_errors(const lin_diags *d)
{
	return d ? d->nerrors + d->dropped_errors : 0;
}

size_t lin_diags_warnings(const lin_diags *d)
{
	return d ? d->n - d->nerrors + d->dropped_warnings : 0;
}

void lin_buf_dispose(lin_buf *b)
{
	if (!b)
		return;
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int lin_buf_append(lin_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return LIN_ENOMEM;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->data, cap);
		if (!p) {
			b->oom = 1;
			return LIN_ENOMEM;
		}
		b->data = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int lin_buf_puts(lin_buf *b, const char *s)
{
	return lin_buf_append(b, s, strlen(s));
}

int lin_buf_printf(lin_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return LIN_EINVAL;
	if ((size_t)n < sizeof(small))
		return lin_buf_append(b, small, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = 1;
		return LIN_ENOMEM;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = lin_buf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

const char *lin_nearest_word(const char *const *words, const char *w)
{
	const char *best = NULL;
	size_t bestd = 3;
	for (size_t i = 0; words && w && words[i]; i++) {
		size_t d = lin_i_edit_distance(w, words[i], 2);
		if (d < bestd) {
			bestd = d;
			best = words[i];
		}
	}
	return best;
}

size_t lin_i_edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 256 || lb > 256)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	size_t prev[257], cur[257];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		size_t best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > cap)
			return cap + 1;
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}
