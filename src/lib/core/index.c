/*
 * index.c - finds models by id, name or alias. People type "Chinese Vicuna",
 * "chinese-vicuna" or "ChineseVicuna" for the same model, so every name is
 * reduced to a key (lowercase, no spaces, hyphens, dots or underscores) and
 * the keys go into a hash table: a million-model catalog resolves its
 * parents with one probe each rather than a binary search of three million
 * strings. Keys that share a spelling are chained; duplicates are caught as
 * they are chained.
 */
#include "core.h"

#include <ctype.h>
#include <stdio.h>
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

void lin_i_name_key_into(char *out, const char *s)
{
	key_into(out, s);
}

char *lin_name_key(const char *s)
{
	char *k = malloc(strlen(s) + 1);
	if (k)
		key_into(k, s);
	return k;
}

/* FNV-1a with a final mix: short keys, good spread in both halves (the
 * low bits pick the slot, the high ones are the tag kept in it). */
static uint64_t hash_key(const char *k)
{
	uint64_t h = 1469598103934665603ull;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

uint64_t lin_i_name_hash(const char *key)
{
	return hash_key(key);
}

/* A table slot: the hash's high half as a tag, the chain's first key in
 * the low half. Probes compare tags before touching a key string, so a
 * lookup in a table bigger than the CPU cache costs one miss, not three. */
#define SLOT_KEY(s) ((uint32_t)(s))
#define SLOT_TAG(s) ((uint32_t)((s) >> 32))
#define SLOT_EMPTY UINT64_MAX

/* The text of key i. An index mapped from a cache image is checked as it
 * is used (cache.c): an offset out of range reads as "". */
static const char *key_text(const lin_catalog *cat, uint32_t i)
{
	uint32_t off = cat->keys[i].key;
	return off < cat->key_pool_len ? cat->key_pool + off : "";
}

/* The next key of a chain, or LIN_NO_KEY. Chains only ever link forward,
 * so a (corrupt) link backwards ends the chain instead of looping. */
static uint32_t next_key(const lin_catalog *cat, uint32_t i)
{
	uint32_t n = cat->keys[i].same;
	return n > i && n < cat->nkeys && cat->keys[n].vertex < cat->n ? n : LIN_NO_KEY;
}

/* The table slot holding the chain for key k (hash h), or the empty slot
 * where it would go; cat->tcap when neither turns up within tcap probes
 * (only a corrupt cache image: a table built here is never half full). */
static size_t slot_of(const lin_catalog *cat, const char *k, uint64_t h)
{
	size_t mask = cat->tcap - 1, i = (size_t)h & mask;
	for (size_t probes = 0; probes < cat->tcap; probes++, i = (i + 1) & mask) {
		uint64_t s = cat->table[i];
		if (s == SLOT_EMPTY)
			return i;
		if (SLOT_TAG(s) == (uint32_t)(h >> 32) && SLOT_KEY(s) < cat->nkeys &&
		    strcmp(key_text(cat, SLOT_KEY(s)), k) == 0)
			return i;
	}
	return cat->tcap;
}

/* The first key of the chain spelled k, or LIN_NO_KEY. */
static uint32_t chain_of(const lin_catalog *cat, const char *k)
{
	if (!*k || !cat->table)
		return LIN_NO_KEY;
	size_t slot = slot_of(cat, k, hash_key(k));
	if (slot == cat->tcap || cat->table[slot] == SLOT_EMPTY)
		return LIN_NO_KEY;
	uint32_t head = SLOT_KEY(cat->table[slot]);
	return cat->keys[head].vertex < cat->n ? head : LIN_NO_KEY;
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
	lin_i_fail(&e, LIN_EDUP, later->pos.file, later->pos.line, later->pos.col,
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
	lin_i_diags_add(diags, &e, is_warning);
	if (!is_warning && (*nerr)++ == 0)
		*first = e;
}

/* Adds one key to the table: a new chain, or the end of the chain of keys
 * spelled the same, reporting a clash with another model on the way. */
static void add_key(lin_catalog *cat, const char *name, igraph_integer_t v, int kind,
                    lin_diags *diags, lin_error *first, int *nerr)
{
	char *k = cat->key_pool + cat->key_pool_len;
	key_into(k, name);
	if (!*k)
		return;
	cat->key_pool_len += strlen(k) + 1;
	uint64_t h = hash_key(k);
	uint32_t me = (uint32_t)cat->nkeys++;
	size_t slot = slot_of(cat, k, h);
	cat->keys[me] = (struct lin_key){(uint32_t)(k - cat->key_pool), (uint32_t)v, LIN_NO_KEY,
	                                 me, kind == 0 ? me : LIN_NO_KEY, (uint32_t)kind};
	if (cat->table[slot] == SLOT_EMPTY) {
		cat->table[slot] = (h >> 32) << 32 | me;
		return;
	}
	/* a clash is with the chain's first key or, when that is the same
	 * model (its id and name alike), its last one; appends go to the
	 * tail, so a name shared by thousands of models costs O(1) each */
	uint32_t head = SLOT_KEY(cat->table[slot]), tail = cat->keys[head].tail;
	uint32_t other = cat->keys[head].vertex != (uint32_t)v   ? head
	                 : cat->keys[tail].vertex != (uint32_t)v ? tail
	                                                         : LIN_NO_KEY;
	if (other != LIN_NO_KEY)
		report_clash(cat, &cat->keys[me], &cat->keys[other], diags, first, nerr);
	cat->keys[tail].same = me;
	cat->keys[head].tail = me;
	if (kind == 0 && cat->keys[head].id_key == LIN_NO_KEY)
		cat->keys[head].id_key = me;
}

/* Room for every key: count and bytes (a key is never longer than its
 * name). Fails when the 32-bit index cannot hold them. */
static int index_size(const lin_catalog *cat, size_t *nkeys, size_t *bytes)
{
	*nkeys = *bytes = 0;
	for (size_t i = 0; i < cat->n; i++) {
		const lin_model *m = &cat->models[i];
		*nkeys += 1 + (m->name != NULL) + m->aliases.n;
		*bytes += strlen(m->id) + 1 + (m->name ? strlen(m->name) + 1 : 0);
		for (size_t j = 0; j < m->aliases.n; j++)
			*bytes += strlen(m->aliases.items[j]) + 1;
	}
	return *nkeys >= LIN_NO_KEY || *bytes >= UINT32_MAX || cat->n >= INT32_MAX;
}

int lin_i_index_build(lin_catalog *cat, lin_diags *diags, lin_error *err)
{
	size_t total, bytes;
	int nerr = 0;
	lin_error first;
	lin_i_index_dispose(cat);
	if (index_size(cat, &total, &bytes))
		return lin_i_fail(err, LIN_ELIMIT, NULL, 0, 0,
		                "too many models or names to index (%zu names)", total);
	cat->tcap = 16;
	while (cat->tcap < 2 * total)
		cat->tcap *= 2;
	cat->keys = malloc((total ? total : 1) * sizeof(*cat->keys));
	cat->table = malloc(cat->tcap * sizeof(*cat->table));
	cat->key_pool = malloc(bytes + 1);
	if (!cat->keys || !cat->table || !cat->key_pool)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	memset(cat->table, 0xff, cat->tcap * sizeof(*cat->table)); /* all SLOT_EMPTY */
	for (size_t i = 0; i < cat->n; i++) {
		const lin_model *m = &cat->models[i];
		add_key(cat, m->id, (igraph_integer_t)i, 0, diags, &first, &nerr);
		if (m->name)
			add_key(cat, m->name, (igraph_integer_t)i, 1, diags, &first, &nerr);
		for (size_t j = 0; j < m->aliases.n; j++)
			add_key(cat, m->aliases.items[j], (igraph_integer_t)i, 2, diags, &first, &nerr);
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
		size_t d = lin_i_edit_distance(key, key_text(cat, (uint32_t)i), cap);
		if (d < best) {
			best = d;
			n = 0;
		}
		if (d == best && d <= cap && cat->keys[i].vertex < cat->n)
			add_candidate(c, &n, cat->keys[i].vertex);
	}
	/* a one-letter slip is answer enough; otherwise widen the net */
	for (size_t i = 0; len >= 3 && !(n && best <= 1) && i < cat->nkeys; i++)
		if (strstr(key_text(cat, (uint32_t)i), key) && cat->keys[i].vertex < cat->n)
			add_candidate(c, &n, cat->keys[i].vertex);
	return n;
}

/* "no model named 'x'", with the suggestions if there are any. */
static int not_found(const lin_catalog *cat, const char *query, const char *key,
                     lin_error *err)
{
	igraph_integer_t c[SUGGEST_MAX];
	size_t n = 0;
	/* first the model it reads as ("LLa\u200bMA", "ＬＬａＭＡ" for llama):
	 * byte edits would never find it */
	lin_buf skel = LIN_BUF_INIT;
	unsigned long cp;
	lin_fold kind;
	char *sk = NULL;
	if (lin_i_name_reads(&skel, &sk, query, &cp, &kind) == 0 && sk && *sk) {
		igraph_integer_t w = lin_i_index_lookup(cat, sk);
		if (w >= 0)
			add_candidate(c, &n, w);
	}
	free(sk);
	lin_buf_dispose(&skel);
	if (*key && n == 0)
		n = suggest(cat, key, c);
	char list[LIN_MSG_MAX / 2] = "";
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof(list) - 80; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s'%.60s'",
		                         i == 0 ? "" : i + 1 == n ? " or " : ", ",
		                         lin_catalog_model(cat, c[i])->id);
	if (n == 0)
		return lin_i_fail(err, LIN_ENOTFOUND, NULL, 0, 0, "no model named '%.100s'", query);
	return lin_i_fail(err, LIN_ENOTFOUND, NULL, 0, 0, "no model named '%.100s' (did you mean %s?)",
	                query, list);
}

/* "'x' is ambiguous: a (org), b (org); use an id", the models of the
 * chain starting at key `head` in vertex order. */
static int ambiguous(const lin_catalog *cat, const char *query, uint32_t head, lin_error *err)
{
	char list[LIN_MSG_MAX / 2] = "";
	size_t used = 0;
	igraph_integer_t last = -1;
	for (;;) {
		/* the next vertex above `last` in the chain: chains are short */
		igraph_integer_t v = -1;
		for (uint32_t i = head; i != LIN_NO_KEY; i = next_key(cat, i))
			if (cat->keys[i].vertex > last && (v < 0 || cat->keys[i].vertex < v))
				v = cat->keys[i].vertex;
		if (v < 0 || used >= sizeof(list) - 80)
			break;
		const lin_model *m = lin_catalog_model(cat, v);
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%.60s (%.60s)",
		                         used ? ", " : "", m->id, m->org ? m->org : m->name);
		last = v;
	}
	return lin_i_fail(err, LIN_EAMBIGUOUS, NULL, 0, 0,
	                "'%.100s' is ambiguous: %s; use an id", query, list);
}

int lin_catalog_find(igraph_integer_t *out, const lin_catalog *cat,
                     const char *query, lin_error *err)
{
	return lin_i_index_find(out, cat, query, 1, err);
}

int lin_i_index_find(igraph_integer_t *out, const lin_catalog *cat, const char *query,
                   int detail, lin_error *err)
{
	int rc = 0;
	/* parents are resolved by name, a million times for a big catalog:
	 * short keys are built on the stack */
	char small[128], *k = small;
	size_t qlen = strlen(query);
	if (qlen < sizeof(small)) {
		key_into(small, query);
	} else if (!(k = lin_name_key(query))) {
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	*out = -1;
	uint32_t head = chain_of(cat, k);
	if (head == LIN_NO_KEY) {
		rc = detail ? not_found(cat, query, k, err)
		            : lin_i_fail(err, LIN_ENOTFOUND, NULL, 0, 0, "no model named '%.100s'", query);
		goto done;
	}
	/* an id wins over names and aliases (ids are unique); the chain's
	 * first key knows it, so a name shared by thousands of models costs
	 * no walk */
	uint32_t idk = cat->keys[head].id_key;
	if (idk < cat->nkeys && cat->keys[idk].vertex < cat->n) {
		*out = cat->keys[idk].vertex;
		goto done;
	}
	for (uint32_t i = next_key(cat, head); i != LIN_NO_KEY; i = next_key(cat, i))
		if (cat->keys[i].vertex != cat->keys[head].vertex) {
			rc = detail ? ambiguous(cat, query, head, err)
			            : lin_i_fail(err, LIN_EAMBIGUOUS, NULL, 0, 0,
			                       "'%.100s' is ambiguous; use an id", query);
			goto done;
		}
	*out = cat->keys[head].vertex;
done:
	if (k != small)
		free(k);
	return rc;
}

/* ---- look-alike names ------------------------------------------------------
 * A name can look like another and be a different key: "ＬＬａＭＡ", "LLаMA"
 * (Cyrillic а), "LLa\u200bMA". Keys stay exact (the documented rule, and
 * what the cache image stores); the audit below warns about such names and
 * finish.c refuses a parent reference that would resolve to a model other
 * than the one it reads as. The skeleton (text.c) is what a name reads as;
 * its key, what it would match if it were written plainly. */

/* 1 when s has a byte outside ASCII: only such names can fold. */
static int has_non_ascii(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

int lin_i_name_reads(lin_buf *skel, char **skel_key, const char *s, unsigned long *cp,
                     lin_fold *kind)
{
	*skel_key = NULL;
	*cp = 0;
	*kind = LIN_FOLD_KEEP;
	if (!has_non_ascii(s))
		return 0;
	if (lin_i_skeleton(skel, s, cp, kind) != 0 || !(*skel_key = lin_name_key(skel->data ? skel->data : "")))
		return LIN_ENOMEM;
	return 0;
}

void lin_i_fold_describe(char *buf, size_t n, unsigned long cp, lin_fold kind)
{
	char a[4];
	lin_i_cp_fold(cp, a);
	if (kind == LIN_FOLD_INVISIBLE && lin_i_cp_hidden(cp))
		snprintf(buf, n, "U+%04lX, a control, bidi, separator or noncharacter code point", cp);
	else if (kind == LIN_FOLD_INVISIBLE)
		snprintf(buf, n, "U+%04lX, an invisible character", cp);
	else if (kind == LIN_FOLD_COMPAT)
		snprintf(buf, n, "U+%04lX, a compatibility form of '%s'", cp, a[0] == ' ' ? " " : a);
	else
		snprintf(buf, n, "U+%04lX, a letter of another script drawn like '%s'", cp, a);
}

/* A model other than v whose id, name or alias has key k, or -1. */
static igraph_integer_t other_model(const lin_catalog *cat, const char *k, uint32_t v)
{
	uint32_t head = chain_of(cat, k);
	for (uint32_t i = head; i != LIN_NO_KEY; i = next_key(cat, i))
		if (cat->keys[i].vertex != v)
			return (igraph_integer_t)cat->keys[i].vertex;
	return -1;
}

igraph_integer_t lin_i_index_lookup(const lin_catalog *cat, const char *key)
{
	uint32_t head = chain_of(cat, key);
	return head == LIN_NO_KEY ? -1 : (igraph_integer_t)cat->keys[head].vertex;
}

/* One suspicious name: its skeleton key and skeleton, the model, which
 * name, and the character a warning names. */
typedef struct odd_name {
	char *skey, *reads;
	uint32_t vertex;
	int kind; /* 1 name, 2 alias */
	const char *text;
	int reported;
	char why[96];
} odd_name;

static int cmp_odd(const void *a, const void *b)
{
	const odd_name *x = a, *y = b;
	int c = strcmp(x->skey, y->skey);
	return c ? c : (x->vertex > y->vertex) - (x->vertex < y->vertex);
}

static void warn_lookalike(const lin_catalog *cat, lin_diags *diags, const odd_name *o,
                           igraph_integer_t other, const char *other_text)
{
	const lin_model *m = &cat->models[o->vertex], *om = &cat->models[other];
	lin_error e;
	char a[80], b[80], c[80];
	lin_i_fail(&e, LIN_ESCHEMA, m->pos.file, m->pos.line, m->pos.col,
	           "the %s '%s' of '%.64s' looks like '%s' of '%.64s' (%s:%d:%d): both read "
	           "as '%s'%s%s; refer to them by id",
	           kind_words[o->kind], lin_i_clip(a, sizeof(a), o->text), m->id,
	           lin_i_clip(b, sizeof(b), other_text), om->id, om->pos.file, om->pos.line,
	           om->pos.col, lin_i_clip(c, sizeof(c), o->reads), o->why[0] ? "; it holds " : "",
	           o->why);
	lin_i_diags_add(diags, &e, 1);
}

int lin_i_index_audit(const lin_catalog *cat, lin_diags *diags)
{
	int rc = 0;
	size_t n = 0, cap = 0;
	odd_name *odd = NULL;
	lin_buf skel = LIN_BUF_INIT;
	for (size_t v = 0; v < cat->n && !rc; v++) {
		const lin_model *m = &cat->models[v];
		for (size_t j = 0; j <= m->aliases.n && !rc; j++) {
			/* ids are ASCII slugs: only names and aliases can fold */
			const char *s = j == 0 ? m->name : m->aliases.items[j - 1];
			unsigned long cp;
			lin_fold kind;
			odd_name o = {NULL, NULL, (uint32_t)v, j == 0 ? 1 : 2, s, 0, ""};
			skel.len = 0;
			if (!s || (j == 0 && s == m->id))
				continue;
			if ((rc = lin_i_name_reads(&skel, &o.skey, s, &cp, &kind)) || kind == LIN_FOLD_KEEP) {
				free(o.skey);
				continue;
			}
			if (!(o.reads = strdup(skel.data ? skel.data : "")) || n == cap) {
				size_t c2 = cap ? cap * 2 : 16;
				odd_name *r = o.reads ? realloc(odd, c2 * sizeof(*r)) : NULL;
				if (!r) {
					free(o.skey);
					free(o.reads);
					rc = LIN_ENOMEM;
					break;
				}
				odd = r;
				cap = c2;
			}
			lin_i_fold_describe(o.why, sizeof(o.why), cp, kind);
			igraph_integer_t w = *o.skey ? other_model(cat, o.skey, (uint32_t)v) : -1;
			if (w >= 0) {
				const lin_model *wm = &cat->models[w];
				warn_lookalike(cat, diags, &o, w, wm->name ? wm->name : wm->id);
				o.reported = 1;
			} else if (kind >= LIN_FOLD_COMPAT) {
				lin_error e;
				char a[80], b[80];
				lin_i_fail(&e, LIN_ESCHEMA, m->pos.file, m->pos.line, m->pos.col,
				           "the %s '%s' of '%.64s' holds %s; it reads as '%s'",
				           kind_words[o.kind], lin_i_clip(a, sizeof(a), s), m->id, o.why,
				           lin_i_clip(b, sizeof(b), o.reads));
				lin_i_diags_add(diags, &e, 1);
			}
			odd[n++] = o;
		}
	}
	/* two suspicious names alike, with no plain one to match
	 * ("ＬＬａＭＡ" and "LLаMA" in a catalog without "LLaMA") */
	if (!rc && n > 1) {
		qsort(odd, n, sizeof(*odd), cmp_odd);
		for (size_t i = 1; i < n; i++) {
			odd_name *a = &odd[i - 1], *b = &odd[i];
			if (b->reported || !*b->skey || strcmp(a->skey, b->skey) || a->vertex == b->vertex)
				continue;
			warn_lookalike(cat, diags, b, a->vertex, a->text);
			b->reported = 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(odd[i].skey);
		free(odd[i].reads);
	}
	free(odd);
	lin_buf_dispose(&skel);
	return rc ? LIN_ENOMEM : 0;
}
