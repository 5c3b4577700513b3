/*
 * index.c - finds models by id, name or alias. People type "Chinese Vicuna",
 * "chinese-vicuna" or "ChineseVicuna" for the same model, so every name is
 * reduced to a key (lowercase, no spaces, hyphens, dots or underscores) and
 * the keys are kept sorted for binary search. Duplicates are caught here too.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *lin_name_key(const char *s)
{
	size_t n = strlen(s);
	char *k = malloc(n + 1), *p = k;
	if (!k)
		return NULL;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == ' ' || ch == '-' || ch == '.' || ch == '_' || ch == '\t')
			continue;
		*p++ = (char)(ch < 0x80 ? tolower(ch) : ch);
	}
	*p = '\0';
	return k;
}

static int cmp_key(const void *a, const void *b)
{
	const struct lin_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return (x->vertex > y->vertex) - (x->vertex < y->vertex);
}

void lin_index_dispose(lin_catalog *cat)
{
	for (size_t i = 0; i < cat->nkeys; i++)
		free(cat->keys[i].key);
	free(cat->keys);
	cat->keys = NULL;
	cat->nkeys = 0;
}

static int add_key(lin_catalog *cat, const char *s, igraph_integer_t v, int kind)
{
	char *k = lin_name_key(s);
	if (!k)
		return LIN_ENOMEM;
	if (!*k) {
		free(k);
		return 0;
	}
	cat->keys[cat->nkeys].key = k;
	cat->keys[cat->nkeys].vertex = v;
	cat->keys[cat->nkeys].kind = kind;
	cat->nkeys++;
	return 0;
}

static const char *const kind_words[] = {"id", "name", "alias"};

/* Reports a clash between two keys that must not share a spelling: two
 * ids, or an alias and any other model's id, name or alias. */
static void report_clash(const lin_catalog *cat, const struct lin_key *a,
                         const struct lin_key *b, lin_diags *diags, lin_error *first,
                         int *nerr)
{
	const lin_model *ma = &cat->models[a->vertex], *mb = &cat->models[b->vertex];
	/* report at the later definition */
	const lin_model *later = a->vertex > b->vertex ? ma : mb;
	const lin_model *earlier = later == ma ? mb : ma;
	const struct lin_key *lk = later == ma ? a : b, *ek = later == ma ? b : a;
	int is_warning = lk->kind != 2 && ek->kind != 2 && !(lk->kind == 0 && ek->kind == 0);
	lin_error e;
	/* two entries with the same id: that error is reported on its own */
	if (is_warning && strcmp(later->id, earlier->id) == 0)
		return;
	lin_fail(&e, LIN_EDUP, later->pos.file, later->pos.line, later->pos.col,
	         "duplicate %s: the %s of '%.64s' matches the %s of '%.64s' (%s:%d:%d)",
	         lk->kind == 0 && ek->kind == 0 ? "id" : "name", kind_words[lk->kind], later->id,
	         kind_words[ek->kind], earlier->id, earlier->pos.file, earlier->pos.line,
	         earlier->pos.col);
	if (is_warning) /* two models may share a display name */
		snprintf(e.msg, sizeof(e.msg),
		         "'%.64s' and '%.64s' (%s:%d:%d) are both called '%.64s'; refer to them by id",
		         later->id, earlier->id, earlier->pos.file, earlier->pos.line,
		         earlier->pos.col,
		         lk->kind == 1 ? later->name : ek->kind == 1 ? earlier->name : later->id);
	lin_diags_add(diags, &e, is_warning);
	if (!is_warning && (*nerr)++ == 0)
		*first = e;
}

int lin_index_build(lin_catalog *cat, lin_diags *diags, lin_error *err)
{
	size_t total = 0;
	int nerr = 0;
	lin_error first;
	lin_index_dispose(cat);
	for (size_t i = 0; i < cat->n; i++)
		total += 2 + cat->models[i].aliases.n;
	cat->keys = calloc(total ? total : 1, sizeof(*cat->keys));
	if (!cat->keys)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < cat->n; i++) {
		const lin_model *m = &cat->models[i];
		int rc = add_key(cat, m->id, (igraph_integer_t)i, 0);
		if (!rc && m->name)
			rc = add_key(cat, m->name, (igraph_integer_t)i, 1);
		for (size_t j = 0; !rc && j < m->aliases.n; j++)
			rc = add_key(cat, m->aliases.items[j], (igraph_integer_t)i, 2);
		if (rc)
			return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	qsort(cat->keys, cat->nkeys, sizeof(*cat->keys), cmp_key);
	/* within a run of equal keys, compare each key with the run's first key
	 * of another model */
	for (size_t i = 0; i < cat->nkeys;) {
		size_t j = i + 1;
		while (j < cat->nkeys && strcmp(cat->keys[j].key, cat->keys[i].key) == 0)
			j++;
		for (size_t a = i + 1; a < j; a++)
			for (size_t b = i; b < a; b++) {
				if (cat->keys[a].vertex == cat->keys[b].vertex)
					continue;
				report_clash(cat, &cat->keys[a], &cat->keys[b], diags, &first, &nerr);
				break;
			}
		i = j;
	}
	if (nerr) {
		if (err)
			*err = first;
		return first.code;
	}
	return 0;
}

#define SUGGEST_MAX 5

/* Adds v to the candidate list unless it is there already. */
static void add_candidate(igraph_integer_t *c, size_t *n, igraph_integer_t v)
{
	for (size_t i = 0; i < *n; i++)
		if (c[i] == v)
			return;
	if (*n < SUGGEST_MAX)
		c[(*n)++] = v;
}

/* Up to SUGGEST_MAX models a mistyped name may have meant: those at the
 * smallest edit distance (a tight bound for short names, where everything
 * is near everything), then, unless one is a single edit away, those whose
 * key contains it ("guanaco" for guanaco-qlora and guanaco-multilingual).
 * Returns how many. */
static size_t suggest(const lin_catalog *cat, const char *key, igraph_integer_t *c)
{
	size_t len = strlen(key), cap = len <= 4 ? 1 : len < 9 ? 2 : len / 4 + 1, n = 0;
	size_t best = cap + 1;
	for (size_t i = 0; i < cat->nkeys; i++) {
		size_t d = lin_edit_distance(key, cat->keys[i].key, cap);
		if (d < best) {
			best = d;
			n = 0;
		}
		if (d == best && d <= cap)
			add_candidate(c, &n, cat->keys[i].vertex);
	}
	/* a one-letter slip is answer enough; otherwise widen the net */
	for (size_t i = 0; len >= 3 && !(n && best <= 1) && i < cat->nkeys; i++)
		if (strstr(cat->keys[i].key, key))
			add_candidate(c, &n, cat->keys[i].vertex);
	return n;
}

/* "no model named 'x'", with the suggestions if there are any. */
static int not_found(const lin_catalog *cat, const char *query, const char *key,
                     lin_error *err)
{
	igraph_integer_t c[SUGGEST_MAX];
	size_t n = *key ? suggest(cat, key, c) : 0;
	char list[LIN_MSG_MAX / 2] = "";
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof(list) - 80; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s'%.60s'",
		                         i == 0 ? "" : i + 1 == n ? " or " : ", ", cat->models[c[i]].id);
	if (n == 0)
		return lin_fail(err, LIN_ENOTFOUND, NULL, 0, 0, "no model named '%.100s'", query);
	return lin_fail(err, LIN_ENOTFOUND, NULL, 0, 0, "no model named '%.100s' (did you mean %s?)",
	                query, list);
}

/* Index of the first key >= k. */
static size_t lower_bound(const lin_catalog *cat, const char *k)
{
	size_t lo = 0, hi = cat->nkeys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(cat->keys[mid].key, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int ambiguous(const lin_catalog *cat, const char *query, size_t lo, size_t hi,
                     lin_error *err)
{
	char list[LIN_MSG_MAX / 2] = "";
	size_t used = 0;
	igraph_integer_t last = -1;
	for (size_t i = lo; i < hi && used < sizeof(list) - 80; i++) {
		const lin_model *m = &cat->models[cat->keys[i].vertex];
		if (cat->keys[i].vertex == last)
			continue;
		last = cat->keys[i].vertex;
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%.60s (%.60s)",
		                         used ? ", " : "", m->id, m->org ? m->org : m->name);
	}
	return lin_fail(err, LIN_EAMBIGUOUS, NULL, 0, 0,
	                "'%.100s' is ambiguous: %s; use an id", query, list);
}

int lin_catalog_find(igraph_integer_t *out, const lin_catalog *cat,
                     const char *query, lin_error *err)
{
	int rc = 0;
	char *k = lin_name_key(query);
	*out = -1;
	if (!k)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	size_t lo = lower_bound(cat, k), hi = lo;
	while (hi < cat->nkeys && strcmp(cat->keys[hi].key, k) == 0)
		hi++;
	if (lo == hi || !*k) {
		rc = not_found(cat, query, k, err);
		goto done;
	}
	/* an id wins over names and aliases; the keys sort ids first */
	if (cat->keys[lo].kind == 0) {
		*out = cat->keys[lo].vertex;
		goto done;
	}
	for (size_t i = lo + 1; i < hi; i++)
		if (cat->keys[i].vertex != cat->keys[lo].vertex) {
			rc = ambiguous(cat, query, lo, hi, err);
			goto done;
		}
	*out = cat->keys[lo].vertex;
done:
	free(k);
	return rc;
}
