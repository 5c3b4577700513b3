/*
 * index.c - finds models by id, name or alias. People type "Chinese Vicuna",
 * "chinese-vicuna" or "ChineseVicuna" for the same model, so every name is
 * reduced to a key (lowercase, no spaces, hyphens, dots or underscores) and
 * the keys go into a hash table: a million-model catalog resolves its
 * parents with one probe each rather than a binary search of three million
 * strings. Keys that share a spelling are chained; duplicates are caught as
 * they are chained.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Writes the key of s into out, which has room for strlen(s) + 1. */
static void key_into(char *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == ' ' || ch == '-' || ch == '.' || ch == '_' || ch == '\t')
			continue;
		*out++ = (char)(ch < 0x80 ? tolower(ch) : ch);
	}
	*out = '\0';
}

char *lin_name_key(const char *s)
{
	char *k = malloc(strlen(s) + 1);
	if (k)
		key_into(k, s);
	return k;
}

/* Writes s's key into the index arena. */
static char *arena_key(lin_arena *a, const char *s)
{
	char *k = lin_arena_alloc(a, strlen(s) + 1);
	if (k)
		key_into(k, s);
	return k;
}

/* FNV-1a: short keys, good spread, no state. */
static uint64_t hash_key(const char *k)
{
	uint64_t h = 1469598103934665603ull;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ull;
	return h;
}

#define NO_KEY ((size_t)-1)

/* The table slot holding the chain for key k, or the empty slot where it
 * would go. */
static size_t slot_of(const lin_catalog *cat, const char *k)
{
	size_t mask = cat->tcap - 1, i = (size_t)hash_key(k) & mask;
	while (cat->table[i] != NO_KEY && strcmp(cat->keys[cat->table[i]].key, k) != 0)
		i = (i + 1) & mask;
	return i;
}

void lin_index_dispose(lin_catalog *cat)
{
	free(cat->keys);
	free(cat->table);
	lin_arena_dispose(&cat->key_arena);
	cat->keys = NULL;
	cat->table = NULL;
	cat->nkeys = cat->tcap = 0;
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

/* Adds one key to the table: a new chain, or the end of the chain of keys
 * spelled the same, reporting a clash with another model on the way. */
static int add_key(lin_catalog *cat, const char *name, igraph_integer_t v, int kind,
                   lin_diags *diags, lin_error *first, int *nerr)
{
	char *k = arena_key(&cat->key_arena, name);
	if (!k)
		return LIN_ENOMEM;
	if (!*k)
		return 0;
	size_t me = cat->nkeys++, slot = slot_of(cat, k);
	cat->keys[me].key = k;
	cat->keys[me].vertex = v;
	cat->keys[me].kind = kind;
	cat->keys[me].same = NO_KEY;
	cat->keys[me].tail = me;
	if (cat->table[slot] == NO_KEY) {
		cat->table[slot] = me;
		return 0;
	}
	/* a clash is with the chain's first key or, when that is the same
	 * model (its id and name alike), its last one; appends go to the
	 * tail, so a name shared by thousands of models costs O(1) each */
	size_t head = cat->table[slot], tail = cat->keys[head].tail;
	size_t other = cat->keys[head].vertex != v ? head : cat->keys[tail].vertex != v ? tail : NO_KEY;
	if (other != NO_KEY)
		report_clash(cat, &cat->keys[me], &cat->keys[other], diags, first, nerr);
	cat->keys[tail].same = me;
	cat->keys[head].tail = me;
	return 0;
}

int lin_index_build(lin_catalog *cat, lin_diags *diags, lin_error *err)
{
	size_t total = 0;
	int nerr = 0;
	lin_error first;
	lin_index_dispose(cat);
	for (size_t i = 0; i < cat->n; i++)
		total += 2 + cat->models[i].aliases.n;
	cat->tcap = 16;
	while (cat->tcap < 2 * total)
		cat->tcap *= 2;
	cat->keys = malloc((total ? total : 1) * sizeof(*cat->keys));
	cat->table = malloc(cat->tcap * sizeof(size_t));
	if (!cat->keys || !cat->table)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	memset(cat->table, 0xff, cat->tcap * sizeof(size_t)); /* all NO_KEY */
	for (size_t i = 0; i < cat->n; i++) {
		const lin_model *m = &cat->models[i];
		int rc = add_key(cat, m->id, (igraph_integer_t)i, 0, diags, &first, &nerr);
		if (!rc && m->name)
			rc = add_key(cat, m->name, (igraph_integer_t)i, 1, diags, &first, &nerr);
		for (size_t j = 0; !rc && j < m->aliases.n; j++)
			rc = add_key(cat, m->aliases.items[j], (igraph_integer_t)i, 2, diags, &first, &nerr);
		if (rc)
			return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
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

/* "'x' is ambiguous: a (org), b (org); use an id", the models of the
 * chain starting at key `head` in vertex order. */
static int ambiguous(const lin_catalog *cat, const char *query, size_t head, lin_error *err)
{
	char list[LIN_MSG_MAX / 2] = "";
	size_t used = 0;
	igraph_integer_t last = -1;
	for (;;) {
		/* the next vertex above `last` in the chain: chains are short */
		igraph_integer_t v = -1;
		for (size_t i = head; i != NO_KEY; i = cat->keys[i].same)
			if (cat->keys[i].vertex > last && (v < 0 || cat->keys[i].vertex < v))
				v = cat->keys[i].vertex;
		if (v < 0 || used >= sizeof(list) - 80)
			break;
		const lin_model *m = &cat->models[v];
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%.60s (%.60s)",
		                         used ? ", " : "", m->id, m->org ? m->org : m->name);
		last = v;
	}
	return lin_fail(err, LIN_EAMBIGUOUS, NULL, 0, 0,
	                "'%.100s' is ambiguous: %s; use an id", query, list);
}

int lin_catalog_find(igraph_integer_t *out, const lin_catalog *cat,
                     const char *query, lin_error *err)
{
	int rc = 0;
	/* parents are resolved by name, a million times for a big catalog:
	 * short keys are built on the stack */
	char small[128], *k = small;
	size_t qlen = strlen(query);
	if (qlen < sizeof(small)) {
		key_into(small, query);
	} else if (!(k = lin_name_key(query))) {
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	*out = -1;
	size_t head = (*k && cat->table) ? cat->table[slot_of(cat, k)] : NO_KEY;
	if (head == NO_KEY) {
		rc = not_found(cat, query, k, err);
		goto done;
	}
	/* an id wins over names and aliases (ids are unique) */
	for (size_t i = head; i != NO_KEY; i = cat->keys[i].same)
		if (cat->keys[i].kind == 0) {
			*out = cat->keys[i].vertex;
			goto done;
		}
	for (size_t i = cat->keys[head].same; i != NO_KEY; i = cat->keys[i].same)
		if (cat->keys[i].vertex != cat->keys[head].vertex) {
			rc = ambiguous(cat, query, head, err);
			goto done;
		}
	*out = cat->keys[head].vertex;
done:
	if (k != small)
		free(k);
	return rc;
}
