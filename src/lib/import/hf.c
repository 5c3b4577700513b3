/*
 * import_hf.c - reads Hugging Face model cards (the YAML front matter of a
 * README.md, or a bare YAML file of it) into catalog models: the id from the
 * card's path, one parent edge per base_model with the relation the card
 * states or the Hub would infer, bases outside the cards left to become
 * external models at finish. The rules are documented in README.md
 * ("Importing Hugging Face model cards"); a card that breaks them is a
 * warning and is skipped, never a reason to stop.
 */
#include "import.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Length of the valid UTF-8 sequence at s, or 0 when invalid. */
static size_t utf8_len_(const unsigned char *s)
{
	unsigned long cp;
	return lin_i_utf8_next(s, &cp);
}

#define HF_MAX_FRONT_MATTER ((size_t)1 << 20) /* bytes of YAML per card */
#define HF_MAX_WALK_DEPTH 16                  /* directory levels */
#define HF_MAX_WALK_ENTRIES (1 << 20)         /* names read from directories, in all */
#define HF_MAX_PART 96                        /* an org or a name */
#define HF_ID_MAX (2 * HF_MAX_PART + 2)
#define HF_MAX_JOINED 1024                    /* datasets joined as text */
#define HF_HUB "https://huggingface.co/"

/* One card read, waiting to be sorted by id and appended. */
typedef struct card {
	lin_model m;  /* strings in the catalog's arena */
	char *key;    /* lin_name_key(m.id) */
	size_t seq;   /* read order: the first of two equal ids wins */
} card;

/* The directories a walk has entered, by (device, inode): an open-addressing
 * set, so a directory reached again (a bind mount, a hard-linked loop, a
 * path that changed under the walk) is not walked twice. */
typedef struct dir_id {
	dev_t dev;
	ino_t ino;
	int used;
} dir_id;

typedef struct dir_set {
	dir_id *slot;
	size_t n, cap; /* cap: a power of two, or 0 */
} dir_set;

typedef struct importer {
	lin_catalog *cat;
	lin_diags *diags;
	lin_import_report rep;
	card *cards;
	size_t n, cap;
	int oom;
	int probe; /* lin_import_hf_is_cards: only look for a card */
	int found;
	dir_set seen;   /* directories entered */
	size_t entries; /* names read from directories */
	int stopped;    /* HF_MAX_WALK_ENTRIES reached */
} importer;

/* What a README.md card's directory says about the repository. */
typedef struct repo_files {
	int adapter_config, gguf, quant_config;
} repo_files;

/* One base model of a card. */
typedef struct base {
	char id[HF_ID_MAX + 1];
	char *key;
	const lin_ynode *node;
	int rel;           /* a relation from a base_model:<rel>:<id> tag, or -1 */
} base;

/* The card being read. */
typedef struct card_in {
	importer *im;
	const char *file;    /* interned path, for messages */
	const char *source;  /* the path as valid UTF-8, for sources */
	const lin_ynode *root;
	repo_files repo;
	char hf_id[HF_ID_MAX + 1];
	base *bases;
	size_t nbases;
	const char *stated;       /* a table row's base_model_relation (NULL: the card's field) */
	const lin_ynode *rownode; /* a table row's position, for messages */
} card_in;

/* ---- messages and memory -------------------------------------------------- */

static void warn(importer *im, const char *file, const lin_ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void warn(importer *im, const char *file, const lin_ynode *n, const char *fmt, ...)
{
	lin_error e;
	va_list ap;
	va_start(ap, fmt);
	lin_i_vfail(&e, LIN_ESCHEMA, file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
	lin_i_diags_add(im->diags, &e, 1);
}

static void skip_error(importer *im, const lin_error *e)
{
	lin_error w = *e;
	snprintf(w.msg, sizeof(w.msg), "%s; card skipped", LIN_I_CLIP(e->msg, 990));
	lin_i_diags_add(im->diags, &w, 1);
	im->rep.skipped++;
}

static char *adup(importer *im, const char *s, size_t n)
{
	char *p = im->oom ? NULL : lin_i_arena_strndup(&im->cat->arena, s, n);
	if (!p)
		im->oom = 1;
	return p;
}

static char *astr(importer *im, const char *s)
{
	return s ? adup(im, s, strlen(s)) : NULL;
}

/* A copy of s in which each invalid UTF-8 byte is U+FFFD (file names are
 * bytes; a catalog is UTF-8). */
static char *utf8_copy(importer *im, const char *s)
{
	lin_buf b = LIN_BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_len_(p);
		lin_buf_append(&b, n ? (const char *)p : "\xEF\xBF\xBD", n ? n : 3);
		p += n ? n : 1;
	}
	char *r = b.oom ? NULL : astr(im, b.data ? b.data : "");
	if (b.oom)
		im->oom = 1;
	lin_buf_dispose(&b);
	return r;
}

/* ---- Hugging Face ids ------------------------------------------------------ */

static int hf_part_ok(const char *s, size_t n)
{
	if (n == 0 || n > HF_MAX_PART || !isalnum((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return 0;
	return 1;
}

/* "org/name" or "name", each part [A-Za-z0-9][A-Za-z0-9._-]*. */
static int hf_id_ok(const char *s)
{
	const char *slash = strchr(s, '/');
	if (!slash)
		return hf_part_ok(s, strlen(s));
	return hf_part_ok(s, (size_t)(slash - s)) && hf_part_ok(slash + 1, strlen(slash + 1));
}

/* Writes "a/b" (or "b" when a is empty) into out if it is a valid id. */
static int hf_join(char *out, const char *a, size_t na, const char *b, size_t nb)
{
	if (na > HF_MAX_PART || nb > HF_MAX_PART)
		return 0;
	if (na)
		snprintf(out, HF_ID_MAX + 1, "%.*s/%.*s", (int)na, a, (int)nb, b);
	else
		snprintf(out, HF_ID_MAX + 1, "%.*s", (int)nb, b);
	return hf_id_ok(out);
}

/* The id of a Hugging Face cache folder "models--ORG--NAME". */
static int id_from_cache(char *out, const char *path)
{
	const char *best = NULL;
	for (const char *p = path; (p = strstr(p, "models--")) != NULL; p++)
		if (p == path || p[-1] == '/')
			best = p + 8;
	if (!best)
		return 0;
	size_t n = strcspn(best, "/");
	const char *sep = strstr(best, "--");
	if (sep && (size_t)(sep - best) < n)
		return hf_join(out, best, (size_t)(sep - best), sep + 2, n - (size_t)(sep - best) - 2);
	return hf_join(out, "", 0, best, n);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int is_readme(const char *name)
{
	return strcasecmp(name, "README.md") == 0;
}

static int has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && strcasecmp(name + n - e, ext) == 0;
}

/* "ORG__NAME.yaml" (or .yml, .md) gives ORG/NAME; another non-README file
 * its stem. */
static int id_from_file_name(char *out, const char *path)
{
	const char *name = base_name(path);
	size_t stem = strlen(name);
	const char *dot = strrchr(name, '.');
	if (is_readme(name))
		return 0;
	stem = dot ? (size_t)(dot - name) : stem;
	const char *sep = strstr(name, "__");
	if (sep && (size_t)(sep - name) < stem)
		return hf_join(out, name, (size_t)(sep - name), sep + 2, stem - (size_t)(sep - name) - 2);
	return hf_join(out, "", 0, name, stem);
}

/* The last two directory names of path ("ORG/NAME/README.md"), or one. */
static int id_from_dirs(char *out, const char *path)
{
	const char *parts[2] = {NULL, NULL};
	size_t lens[2] = {0, 0};
	const char *end = base_name(path);
	const char *p = path;
	while (p < end) {
		size_t n = strcspn(p, "/");
		int skip = n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.');
		if (p + n >= end)
			break;
		if (!skip) {
			parts[0] = parts[1], lens[0] = lens[1];
			parts[1] = p, lens[1] = n;
		}
		p += n + 1;
	}
	if (!parts[1])
		return 0;
	if (parts[0] && hf_join(out, parts[0], lens[0], parts[1], lens[1]))
		return 1;
	return hf_join(out, "", 0, parts[1], lens[1]);
}

/* A display name ("GenZ 70B") made into an id: other characters become '-'. */
static int id_from_text(char *out, const char *s)
{
	size_t n = 0;
	for (; s[n] && n < HF_MAX_PART; n++)
		out[n] = (isalnum((unsigned char)s[n]) || strchr("._-", s[n])) ? s[n] : '-';
	out[n] = '\0';
	return s[n] == '\0' && hf_id_ok(out);
}

/* ---- reading fields ---------------------------------------------------------- */

/* The slot in map's kids holding the value of key, or NULL. */
static lin_ynode *const *field_slot(const lin_ynode *map, const char *key)
{
	for (size_t i = 0; map && i + 1 < map->n; i += 2)
		if (map->kids[i]->type == LIN_Y_SCALAR && strcmp(map->kids[i]->str, key) == 0)
			return &map->kids[i + 1];
	return NULL;
}

static const lin_ynode *field(const lin_ynode *map, const char *key)
{
	lin_ynode *const *slot = field_slot(map, key);
	return slot ? *slot : NULL;
}

static int scalar_ok(const lin_ynode *n)
{
	return n && n->type == LIN_Y_SCALAR && !n->is_null && n->len > 0 && strlen(n->str) == n->len;
}

/* Warns about a value that is not one usable value (null ones are fine). */
static void bad_value(card_in *c, const lin_ynode *n, const char *what, const char *key)
{
	if (n->type == LIN_Y_SCALAR && n->is_null)
		return;
	if (n->type == LIN_Y_SCALAR && n->len)
		warn(c->im, c->file, n, "%s '%s' contains a NUL character; ignored", what, key);
	else
		warn(c->im, c->file, n, "%s '%s' is not a single value; ignored", what, key);
}

/* A single-value field; a list or mapping is a warning and gives NULL. */
static const char *text_field(card_in *c, const char *key)
{
	const lin_ynode *v = field(c->root, key);
	if (!v || (v->type == LIN_Y_SCALAR && v->is_null))
		return NULL;
	if (!scalar_ok(v)) {
		bad_value(c, v, "the value of", key);
		return NULL;
	}
	return v->str;
}

/* The nodes of a field that is one value or a list of values. */
static size_t list_nodes(card_in *c, const char *key, const lin_ynode *const **items)
{
	const lin_ynode *v = field(c->root, key);
	*items = NULL;
	if (!v || (v->type == LIN_Y_SCALAR && v->is_null))
		return 0;
	if (v->type == LIN_Y_MAP) {
		warn(c->im, c->file, v, "'%s' must be a value or a list of values; ignored", key);
		return 0;
	}
	if (v->type == LIN_Y_SCALAR) {
		*items = (const lin_ynode *const *)field_slot(c->root, key);
		return 1;
	}
	*items = (const lin_ynode *const *)v->kids;
	return v->n;
}

/* Copies a one-or-list field of values into out, skipping bad items. */
static void list_field(card_in *c, const char *key, lin_strlist *out)
{
	const lin_ynode *const *items;
	size_t n = list_nodes(c, key, &items);
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	out->items = lin_i_arena_alloc(&c->im->cat->arena, n * sizeof(char *));
	if (!out->items) {
		c->im->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!scalar_ok(items[i])) {
			bad_value(c, items[i], "an item of", key);
			continue;
		}
		out->items[out->n++] = adup(c->im, items[i]->str, items[i]->len);
	}
}

/* Joins a list as "a, b, c" (at most HF_MAX_JOINED bytes, whole items). */
static char *joined(card_in *c, const lin_strlist *l)
{
	lin_buf b = LIN_BUF_INIT;
	size_t i = 0;
	for (; i < l->n && b.len + strlen(l->items[i]) + 2 <= HF_MAX_JOINED; i++)
		lin_buf_printf(&b, "%s%s", i ? ", " : "", l->items[i]);
	if (i < l->n)
		lin_buf_printf(&b, "%s... (%zu more)", i ? ", " : "", l->n - i);
	char *r = b.len && !b.oom ? astr(c->im, b.data) : NULL;
	if (b.oom)
		c->im->oom = 1;
	lin_buf_dispose(&b);
	return r;
}

/* ---- the model id ---------------------------------------------------------- */

/* The first model-index entry's name. */
static const char *model_index_name(card_in *c)
{
	const lin_ynode *mi = field(c->root, "model-index");
	if (!mi || mi->type != LIN_Y_SEQ || mi->n == 0 || mi->kids[0]->type != LIN_Y_MAP)
		return NULL;
	const lin_ynode *n = field(mi->kids[0], "name");
	return scalar_ok(n) ? n->str : NULL;
}

/* Finds the card's Hugging Face id, in the documented order. rel is the
 * card's path below the imported directory (NULL for a card given itself). */
static int card_id(card_in *c, const char *path, const char *rel)
{
	const char *mn = text_field(c, "model_name"), *ix = model_index_name(c);
	if (id_from_cache(c->hf_id, path) || id_from_file_name(c->hf_id, path))
		return 1;
	if ((rel && id_from_dirs(c->hf_id, rel)) || id_from_dirs(c->hf_id, path))
		return 1;
	return (mn && id_from_text(c->hf_id, mn)) || (ix && id_from_text(c->hf_id, ix));
}

/* ---- base models -------------------------------------------------------------- */

/* Normalises a base as written into an id: trims, turns a Hub URL into its
 * id. Returns 0, 1 when a URL was converted, -1 when not an id. */
static int base_id(char *out, const char *s)
{
	int url = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '/'))
		n--;
	if (strncasecmp(s, "https://", 8) == 0 || strncasecmp(s, "http://", 7) == 0) {
		size_t skip = s[4] == ':' ? 7 : 8;
		s += skip, n -= skip;
		if (n >= 4 && strncasecmp(s, "www.", 4) == 0)
			s += 4, n -= 4;
		size_t host = strncasecmp(s, "huggingface.co/", 15) == 0 ? 15
		              : strncasecmp(s, "hf.co/", 6) == 0   ? 6 : 0;
		if (!host)
			return -1;
		s += host, n -= host;
		size_t a = strcspn(s, "/?#");
		size_t b = a < n && s[a] == '/' ? strcspn(s + a + 1, "/?#") : 0;
		n = b ? a + 1 + b : a;
		url = 1;
	}
	if (n == 0 || n > HF_ID_MAX)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return hf_id_ok(out) ? url : -1;
}

static const char *const hf_relations[] = {"adapter", "merge", "quantized", "finetune", NULL};

static int hf_relation(const char *s, size_t n)
{
	for (int i = 0; hf_relations[i]; i++)
		if (strlen(hf_relations[i]) == n && strncasecmp(s, hf_relations[i], n) == 0)
			return lin_relation_parse(hf_relations[i]);
	return -1;
}

/* Adds base s (written at node n) unless it is not an id, the card itself
 * or a repeat; each of those is a warning. rel: the relation a tag gives,
 * -1 for a tag without one, -2 for the base_model field. */
static void add_base(card_in *c, const char *s, const lin_ynode *n, int rel)
{
	base *b = &c->bases[c->nbases];
	int url = base_id(b->id, s);
	if (url < 0) {
		warn(c->im, c->file, n, "base model '%s' is not a Hugging Face model id; ignored", LIN_I_CLIP(s, 200));
		return;
	}
	if (url)
		warn(c->im, c->file, n, "base model '%s' is a URL; read as '%s'", LIN_I_CLIP(s, 200), b->id);
	if (!(b->key = lin_name_key(b->id))) {
		c->im->oom = 1;
		return;
	}
	char *self = lin_name_key(c->hf_id);
	int dup = self && strcmp(self, b->key) == 0;
	free(self);
	if (dup) {
		warn(c->im, c->file, n, "'%s' names itself as its base model; ignored", b->id);
	} else {
		for (size_t i = 0; i < c->nbases && !dup; i++)
			dup = strcmp(c->bases[i].key, b->key) == 0;
		/* the Hub tags a base both as base_model:<id> and
		 * base_model:<relation>:<id>: a repeat among tags is normal */
		if (dup && rel == -2)
			warn(c->im, c->file, n, "base model '%s' is listed twice; the repeat is ignored", b->id);
	}
	if (dup) {
		free(b->key);
		b->key = NULL;
		return;
	}
	b->node = n;
	b->rel = rel < 0 ? -1 : rel;
	c->nbases++;
}

/* "base_model:<relation>:<id>" or "base_model:<id>": the id and relation. */
static const char *base_tag(const char *tag, int *rel)
{
	*rel = -1;
	if (strncmp(tag, "base_model:", 11) != 0)
		return NULL;
	tag += 11;
	const char *colon = strchr(tag, ':');
	if (colon) {
		*rel = hf_relation(tag, (size_t)(colon - tag));
		return *rel >= 0 ? colon + 1 : NULL;
	}
	return tag;
}

/* The bases: the base_model field, or when it is absent or empty the
 * base_model tags. Returns -1 when base_model is malformed. */
static int read_bases(card_in *c, const lin_strlist *tags, const lin_ynode *const *tag_nodes)
{
	const lin_ynode *v = field(c->root, "base_model");
	const lin_ynode *const *items;
	if (v && v->type == LIN_Y_MAP) {
		warn(c->im, c->file, v, "'base_model' must be a model id or a list of them, not a mapping; card skipped");
		return -1;
	}
	size_t n = list_nodes(c, "base_model", &items);
	c->bases = calloc((n > tags->n ? n : tags->n) + 1, sizeof(base));
	if (!c->bases) {
		c->im->oom = 1;
		return -1;
	}
	if (v && v->type == LIN_Y_SEQ && v->n == 0)
		warn(c->im, c->file, v, "'base_model' is an empty list");
	for (size_t i = 0; i < n && !c->im->oom; i++) {
		if (scalar_ok(items[i]))
			add_base(c, items[i]->str, items[i], -2);
		else
			bad_value(c, items[i], "an item of", "base_model");
	}
	for (size_t i = 0; n == 0 && i < tags->n && !c->im->oom; i++) {
		int rel;
		const char *id = base_tag(tags->items[i], &rel);
		if (id)
			add_base(c, id, tag_nodes ? tag_nodes[i] : NULL, rel);
	}
	return c->im->oom ? -1 : 0;
}

/* The relation a base_model:<rel>:<id> tag gives base b, or -1. */
static int tag_relation(const lin_strlist *tags, const base *b)
{
	for (size_t i = 0; i < tags->n; i++) {
		int rel;
		const char *id = base_tag(tags->items[i], &rel);
		char *k = id && rel >= 0 ? lin_name_key(id) : NULL;
		int same = k && strcmp(k, b->key) == 0;
		free(k);
		if (same)
			return rel;
	}
	return -1;
}

/* ---- relation inference ----------------------------------------------------- */

static const char *const quant_words[] = {"gguf", "ggml", "gptq", "awq", "exl2", "exl3",
                                          "bnb", "bitsandbytes", "nf4", NULL};

static int quant_word(const char *s, size_t n)
{
	for (size_t i = 0; quant_words[i]; i++)
		if (strlen(quant_words[i]) == n && strncasecmp(s, quant_words[i], n) == 0)
			return 1;
	return 0;
}

/* A quantization word among the '-', '_', '.', '/' separated parts of s. */
static const char *quant_in_name(const char *s)
{
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "-_./");
		if (quant_word(p, n))
			return p;
		p += n + (p[n] != '\0');
	}
	return NULL;
}

/* The relation the Hub would infer for a card that states none, and why. */
static lin_relation infer(card_in *c, const lin_strlist *tags, const char *library,
                          char *why, size_t n)
{
	const char *q = quant_in_name(c->hf_id);
	if (c->nbases > 1)
		return snprintf(why, n, "several base models"), LIN_REL_MERGE;
	if (q)
		return snprintf(why, n, "'%.*s' in the name", (int)strcspn(q, "-_./"), q), LIN_REL_QUANTIZED;
	for (size_t i = 0; i < tags->n; i++)
		if (quant_word(tags->items[i], strlen(tags->items[i])) ||
		    strcasecmp(tags->items[i], "quantized") == 0)
			return snprintf(why, n, "the tag '%s'", LIN_I_CLIP(tags->items[i], 64)), LIN_REL_QUANTIZED;
	if (c->repo.gguf || c->repo.quant_config)
		return snprintf(why, n, "%s", c->repo.gguf ? "GGUF files in the repository"
		                                            : "quantization_config in config.json"),
		       LIN_REL_QUANTIZED;
	if ((library && strcasecmp(library, "peft") == 0) || c->repo.adapter_config)
		return snprintf(why, n, "%s", c->repo.adapter_config ? "adapter_config.json in the repository"
		                                                      : "library_name peft"),
		       LIN_REL_ADAPTER;
	return snprintf(why, n, "one base model, no quantization or adapter sign"), LIN_REL_FINETUNE;
}

/* A sign that a card without bases is a merge: a part of its name (split
 * at - _ . /) containing "merge" or being "slerp", or a tag merge /
 * mergekit. what gets "the name" or "the tag 'x'". */
static int merge_sign(const char *id, const lin_strlist *tags, char *what, size_t n)
{
	for (size_t i = 0; i < tags->n; i++)
		if (strcasecmp(tags->items[i], "merge") == 0 || strcasecmp(tags->items[i], "mergekit") == 0)
			return snprintf(what, n, "the tag '%s'", tags->items[i]), 1;
	for (const char *p = id; *p;) {
		size_t k = strcspn(p, "-_./");
		for (size_t j = 0; j + 5 <= k; j++)
			if (strncasecmp(p + j, "merge", 5) == 0)
				return snprintf(what, n, "the name"), 1;
		if (k == 5 && strncasecmp(p, "slerp", 5) == 0)
			return snprintf(what, n, "the name"), 1;
		p += k + (p[k] != '\0');
	}
	return 0;
}

static lin_stage stage_of(lin_relation r)
{
	switch (r) {
	case LIN_REL_QUANTIZED: return LIN_STAGE_QUANTIZED;
	case LIN_REL_ADAPTER: return LIN_STAGE_ADAPTER;
	case LIN_REL_MERGE: return LIN_STAGE_MERGED;
	default: return LIN_STAGE_SFT;
	}
}

/* The relation stated by base_model_relation, or -1 (a bad one warns). */
static int stated_relation(card_in *c)
{
	const char *s = c->rownode ? c->stated : text_field(c, "base_model_relation");
	int r = s ? hf_relation(s, strlen(s)) : -1;
	if (s && r < 0)
		warn(c->im, c->file, c->rownode ? c->rownode : field(c->root, "base_model_relation"),
		     "unknown base_model_relation '%s' (expected adapter, merge, quantized or finetune); inferring it", LIN_I_CLIP(s, 64));
	return r;
}

/* ---- building the model ------------------------------------------------------ */

static int make_parents(card_in *c, lin_model *m, const lin_strlist *tags, const char *library)
{
	char why[160], note[256];
	int stated = stated_relation(c);
	lin_relation inferred = infer(c, tags, library, why, sizeof(why));
	if (c->nbases == 0)
		return 0;
	m->parents = lin_i_arena_alloc(&c->im->cat->arena, c->nbases * sizeof(lin_parent));
	if (!m->parents)
		return c->im->oom = 1, -1;
	for (size_t i = 0; i < c->nbases; i++) {
		lin_parent *p = &m->parents[m->nparents++];
		const base *b = &c->bases[i];
		int tr = b->rel >= 0 ? b->rel : tag_relation(tags, b);
		if (stated >= 0)
			snprintf(note, sizeof(note), "from base_model_relation");
		else if (tr >= 0)
			snprintf(note, sizeof(note), "from the tag base_model:%s:%s",
			         lin_relation_name((lin_relation)tr), b->id);
		else
			snprintf(note, sizeof(note), "inferred: %s", why);
		p->inferred = stated < 0 && tr < 0; /* neither the card nor a Hub tag says */
		p->relation = stated >= 0 ? (lin_relation)stated : tr >= 0 ? (lin_relation)tr : inferred;
		p->ref = astr(c->im, b->id);
		p->note = astr(c->im, note);
		p->vertex = -1;
		p->sources = m->sources;
		p->allow_external = 1;
		p->pos.file = c->file;
		p->pos.line = b->node ? b->node->line : m->pos.line;
		p->pos.col = b->node ? b->node->col : m->pos.col;
	}
	m->stage = stage_of(m->parents[0].relation);
	return 0;
}

/* license, license_name, license_link. */
static void read_license(card_in *c, lin_model *m)
{
	lin_strlist lic;
	const char *name = text_field(c, "license_name"), *link = text_field(c, "license_link");
	lin_buf b = LIN_BUF_INIT;
	list_field(c, "license", &lic);
	m->license = lic.n ? lic.items[0] : NULL;
	for (size_t i = 1; i < lic.n; i++)
		lin_buf_printf(&b, "%salso %s", b.len ? "; " : "", lic.items[i]);
	if (name)
		lin_buf_printf(&b, "%slicense_name: %s", b.len ? "; " : "", name);
	if (link)
		lin_buf_printf(&b, "%slicense_link: %s", b.len ? "; " : "", link);
	if (b.len > LIN_MAX_SCALAR / 2)
		b.len = 0; /* absurd; leave it out rather than write an unreadable file */
	m->license_note = b.len && !b.oom ? adup(c->im, b.data, b.len) : NULL;
	if (b.oom)
		c->im->oom = 1;
	lin_buf_dispose(&b);
}

static const char *const multimodal_pipelines[] = {
	"image-text-to-text", "visual-question-answering", "image-to-text",
	"video-text-to-text", "any-to-any", "audio-text-to-text", NULL,
};

/* The pipelines of language models (besides the multimodal ones): a card
 * with another pipeline_tag (text-to-image, text-to-speech, ...) is not a
 * language model. */
static const char *const language_pipelines[] = {
	"text-generation", "text2text-generation", "fill-mask", "conversational",
	"summarization", "translation", "question-answering", "table-question-answering",
	"text-classification", "token-classification", "zero-shot-classification",
	"sentence-similarity", "feature-extraction", "text-ranking", NULL,
};

static int in_list(const char *const *l, const char *s)
{
	for (size_t i = 0; s && l[i]; i++)
		if (strcmp(s, l[i]) == 0)
			return 1;
	return 0;
}

/* Everything but the parents. */
static void read_fields(card_in *c, lin_model *m)
{
	lin_strlist data;
	const char *pipe = text_field(c, "pipeline_tag");
	char url[sizeof(HF_HUB) + HF_ID_MAX];
	const char *slash = strchr(c->hf_id, '/');
	snprintf(url, sizeof(url), HF_HUB "%s", c->hf_id);
	m->id = astr(c->im, c->hf_id);
	for (char *p = m->id; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	m->name = astr(c->im, c->hf_id);
	m->org = slash ? adup(c->im, c->hf_id, (size_t)(slash - c->hf_id)) : NULL;
	const lin_ynode *ln = field(c->root, "library_name");
	const char *lib = ln && scalar_ok(ln) ? ln->str : NULL; /* text_field warns once, in build_card */
	m->arch = LIN_ARCH_UNKNOWN;
	if (in_list(multimodal_pipelines, pipe))
		m->arch = LIN_ARCH_MULTIMODAL;
	else if ((pipe && !in_list(language_pipelines, pipe)) ||
	         (!pipe && lib && strcasecmp(lib, "diffusers") == 0))
		m->arch = LIN_ARCH_NON_LANGUAGE;
	m->weights = LIN_WEIGHTS_OPEN;
	m->stage = LIN_STAGE_PRETRAINED;
	read_license(c, m);
	list_field(c, "language", &m->languages);
	list_field(c, "datasets", &data);
	m->training_data = joined(c, &data);
	m->links.items = lin_i_arena_alloc(&c->im->cat->arena, 2 * sizeof(char *));
	m->sources.items = lin_i_arena_alloc(&c->im->cat->arena, 2 * sizeof(char *));
	if (!m->links.items || !m->sources.items) {
		c->im->oom = 1;
		return;
	}
	m->links.items[m->links.n++] = astr(c->im, url);
	m->sources.items[m->sources.n++] = (char *)c->source;
	m->sources.items[m->sources.n++] = m->links.items[0];
}

static int push_card(importer *im, const lin_model *m)
{
	if (im->n == im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 64;
		card *k = realloc(im->cards, cap * sizeof(card));
		if (!k)
			return im->oom = 1, -1;
		im->cards = k;
		im->cap = cap;
	}
	card *k = &im->cards[im->n];
	if (!(k->key = lin_name_key(m->id)))
		return im->oom = 1, -1;
	k->m = *m;
	k->seq = im->n++;
	return 0;
}

/* Turns a parsed card into a model. The card's root is a mapping (or
 * NULL for empty front matter). */
static void build_card(card_in *c, const char *path, const char *rel)
{
	lin_model m;
	lin_strlist tags;
	const lin_ynode *const *tag_nodes = NULL;
	memset(&m, 0, sizeof(m));
	if (!card_id(c, path, rel)) {
		warn(c->im, c->file, c->root, "no model id: name the card ORG__NAME.yaml or ORG/NAME/README.md, or give model_name; card skipped");
		c->im->rep.skipped++;
		return;
	}
	m.pos.file = c->file;
	m.pos.line = c->root ? c->root->line : 1;
	m.pos.col = c->root ? c->root->col : 1;
	list_field(c, "tags", &tags);
	if (list_nodes(c, "tags", &tag_nodes) != tags.n)
		tag_nodes = NULL; /* some tags were dropped: positions no longer line up */
	const char *library = text_field(c, "library_name");
	read_fields(c, &m);
	if (c->im->oom || read_bases(c, &tags, tag_nodes) != 0 || make_parents(c, &m, &tags, library) != 0) {
		if (!c->im->oom)
			c->im->rep.skipped++;
		return;
	}
	char sign[96];
	if (c->nbases == 0 && merge_sign(c->hf_id, &tags, sign, sizeof(sign))) {
		warn(c->im, c->file, field(c->root, "base_model") ? field(c->root, "base_model") : c->root,
		     "no base model, but %s says this is a merge; recorded as stage merged with unknown bases, not as a pretrained base", sign);
		m.stage = LIN_STAGE_MERGED;
	}
	if (!c->im->oom && push_card(c->im, &m) == 0)
		c->im->rep.taken++;
}

/* ---- front matter ------------------------------------------------------------- */

/* Length of a "---" (or "...") line at p, with its line end; 0 if p does
 * not start one. */
static size_t marker_line(const char *p, const char *end, int closing)
{
	const char *q = p;
	if (end - p < 3 || !(memcmp(p, "---", 3) == 0 || (closing && memcmp(p, "...", 3) == 0)))
		return 0;
	q += 3;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q < end && *q == '\r')
		q++;
	if (q < end && *q != '\n')
		return 0;
	return (size_t)(q - p) + (q < end);
}

/* Finds the YAML to parse: from the start of data up to the closing '---'
 * line (the opening '---' is a YAML document marker and stays, so line
 * numbers are the file's). A README.md needs front matter; a bare YAML
 * file may have the '---' lines or not. Returns 0 or -1 with *why. */
static int front_matter(const char *d, size_t len, int markdown, int truncated,
                        size_t *out, const char **why)
{
	const char *p = d, *end = d + len;
	int closed = 0;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && (*p == '\n' || *p == '\r'))
		p++;
	size_t open = marker_line(p, end, 0);
	*out = len;
	*why = NULL;
	for (const char *q = p + open; open && q < end && !closed;) {
		if ((closed = marker_line(q, end, 1) != 0))
			*out = (size_t)(q - d);
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		q = nl ? nl + 1 : end;
	}
	if (markdown && !open)
		*why = "no YAML front matter (a '---' line must come first)";
	else if (*out > HF_MAX_FRONT_MATTER || (!closed && truncated))
		*why = "front matter larger than 1 MiB";
	else if (markdown && !closed)
		*why = "front matter not closed (no '---' line after it)";
	return *why ? -1 : 0;
}

/* Parses one card's text and builds its model. */
static int import_text(importer *im, const char *path, const char *rel, const char *data,
                       size_t len, int truncated, const repo_files *repo)
{
	card_in c;
	lin_arena scratch = {NULL};
	lin_ynode *root = NULL;
	lin_error e;
	size_t flen = 0;
	const char *why = NULL;
	memset(&c, 0, sizeof(c));
	c.im = im;
	c.repo = *repo;
	c.file = lin_i_catalog_intern_file(im->cat, path);
	c.source = utf8_copy(im, path);
	if (!c.file || !c.source)
		return im->oom = 1, LIN_ENOMEM;
	if (front_matter(data, len, has_ext(path, ".md"), truncated, &flen, &why) != 0) {
		warn(im, c.file, NULL, "%s; card skipped", why);
		im->rep.skipped++;
	} else if (lin_i_yaml_parse_document(&root, &scratch, c.file, data, flen, &e) != 0) {
		if (e.code == LIN_ENOMEM)
			im->oom = 1;
		else
			skip_error(im, &e);
	} else if (root && root->type != LIN_Y_MAP) {
		warn(im, c.file, root, "front matter must be a mapping of fields (base_model: ...); card skipped");
		im->rep.skipped++;
	} else {
		c.root = root;
		build_card(&c, path, rel);
	}
	for (size_t i = 0; i < c.nbases; i++)
		free(c.bases[i].key);
	free(c.bases);
	lin_i_arena_dispose(&scratch);
	return im->oom ? LIN_ENOMEM : 0;
}

/* ---- files and directories ----------------------------------------------------- */

static char *join_path(const char *dir, const char *name)
{
	size_t need = strlen(dir) + strlen(name) + 2;
	char *p = malloc(need);
	if (p)
		snprintf(p, need, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "", name);
	return p;
}

/* What sits next to a README.md: adapter_config.json, *.gguf files, a
 * config.json with a quantization_config. */
static void scan_repo(repo_files *r, const char *card_path)
{
	char *dir = strdup(card_path), *cfg = NULL, *data = NULL;
	size_t len = 0;
	int trunc = 0;
	lin_error e;
	memset(r, 0, sizeof(*r));
	if (!dir)
		return;
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	DIR *d = opendir(slash ? dir : ".");
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		r->adapter_config |= strcmp(de->d_name, "adapter_config.json") == 0;
		r->gguf |= has_ext(de->d_name, ".gguf");
	}
	if (d)
		closedir(d);
	cfg = join_path(slash ? dir : ".", "config.json");
	if (cfg && lin_i_read_head(&data, &len, &trunc, cfg, HF_MAX_FRONT_MATTER, &e) == 0)
		r->quant_config = strstr(data, "\"quantization_config\"") != NULL;
	free(data);
	free(cfg);
	free(dir);
}

/* Imports one card file. rel: its path below the imported directory. */
static int import_file(importer *im, const char *path, const char *rel)
{
	char *data = NULL;
	size_t len = 0;
	int trunc = 0, rc = 0;
	lin_error e;
	repo_files repo;
	memset(&repo, 0, sizeof(repo));
	if (im->probe) {
		im->found = 1;
		return 0;
	}
	rc = lin_i_read_head(&data, &len, &trunc, path, HF_MAX_FRONT_MATTER + 65536, &e);
	if (rc == LIN_ENOMEM)
		return im->oom = 1, rc;
	if (rc) {
		skip_error(im, &e);
		return 0;
	}
	if (is_readme(base_name(path)))
		scan_repo(&repo, path);
	rc = import_text(im, path, rel, data, len, trunc, &repo);
	free(data);
	return rc;
}

/* Cards found while walking: README.md, and ORG__NAME.yaml/.yml/.md. */
static int is_card_name(const char *name)
{
	return is_readme(name) || (strstr(name, "__") && (has_ext(name, ".yaml") ||
	                                                   has_ext(name, ".yml") || has_ext(name, ".md")));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted names in d (hidden ones left out), at most max of them; closes
 * d. NULL on failure. */
static char **list_dir(DIR *d, size_t max, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	struct dirent *de;
	*n = 0;
	if (!d)
		return NULL;
	while (*n < max && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (*n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(char *));
			if (!nn)
				break;
			names = nn;
		}
		if (!(names[*n] = strdup(de->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (!names)
		names = calloc(1, sizeof(char *));
	if (names)
		qsort(names, *n, sizeof(char *), cmp_str);
	return names;
}

static size_t dir_slot(const dir_set *s, dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15u) ^ ((uint64_t)ino * 0xC2B2AE3D27D4EB4Fu);
	size_t i = (size_t)(h ^ (h >> 29)) & (s->cap - 1);
	while (s->slot[i].used && (s->slot[i].dev != dev || s->slot[i].ino != ino))
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Adds (dev, ino) to s: 1 when it was new, 0 when already there, -1 out of
 * memory. */
static int dir_set_add(dir_set *s, dev_t dev, ino_t ino)
{
	if (2 * (s->n + 1) > s->cap) {
		dir_set g = {NULL, 0, s->cap ? s->cap * 2 : 64};
		if (!(g.slot = calloc(g.cap, sizeof(*g.slot))))
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i].used)
				g.slot[dir_slot(&g, s->slot[i].dev, s->slot[i].ino)] = s->slot[i];
		g.n = s->n;
		free(s->slot);
		*s = g;
	}
	size_t i = dir_slot(s, dev, ino);
	if (s->slot[i].used)
		return 0;
	s->slot[i] = (dir_id){dev, ino, 1};
	s->n++;
	return 1;
}

/* Opens dir for a walk: never through a symbolic link (only the directory
 * the user named may be one: follow), and never one already entered.
 * NULL with errno set (ELOOP for both) when it may not be walked. */
static DIR *open_walk_dir(importer *im, const char *dir, int follow)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW));
	int added = 0;
	DIR *d = NULL;
	if (fd < 0)
		return NULL;
	/* the set is keyed on the opened directory itself, so a name swapped
	 * for a link after the caller's lstat cannot lead it in twice */
	if (fstat(fd, &st) != 0 || (added = dir_set_add(&im->seen, st.st_dev, st.st_ino)) <= 0) {
		if (added < 0)
			im->oom = 1;
		close(fd);
		errno = added < 0 ? ENOMEM : ELOOP;
		return NULL;
	}
	if (!(d = fdopendir(fd)))
		close(fd);
	return d;
}

/* In a cache folder models--ORG--NAME, the snapshot refs/main points to,
 * if it exists (older snapshots of the same model are left alone). A
 * snapshot is a real directory (its files link into blobs/): one that is
 * itself a link (to "..", to "/") is not followed, and the folder is then
 * read as if it had no refs/main. */
static char *main_snapshot(importer *im, const char *repo_dir)
{
	char *ref = join_path(repo_dir, "refs/main"), *data = NULL, *snap = NULL;
	size_t len = 0;
	int trunc = 0;
	lin_error e;
	struct stat st;
	if (ref && lin_i_read_head(&data, &len, &trunc, ref, 128, &e) == 0) {
		data[strcspn(data, "\r\n")] = '\0';
		char rel[200];
		snprintf(rel, sizeof(rel), "snapshots/%s", data);
		if (data[0] && !strchr(data, '/') && strcmp(data, "..") != 0 &&
		    (snap = join_path(repo_dir, rel))) {
			int found = lstat(snap, &st) == 0;
			if (found && S_ISLNK(st.st_mode))
				warn(im, snap, NULL, "the snapshot refs/main names is a symbolic link; "
				     "not followed");
			if (!found || !S_ISDIR(st.st_mode)) {
				free(snap);
				snap = NULL;
			}
		}
	}
	free(data);
	free(ref);
	return snap;
}

static int walk(importer *im, const char *dir, const char *rel, int depth, int follow);

/* 1 when dir holds a *.gguf file (a snapshot's files are links into blobs/). */
static int has_gguf(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;
	if (!d)
		return 0;
	while (!found && (e = readdir(d)))
		found = has_ext(e->d_name, ".gguf");
	closedir(d);
	return found;
}

/* Visits one directory entry: a directory is walked only when it is one
 * (lstat: a symbolic link to a directory is skipped), a card read even
 * through a link (a cache snapshot's README.md -> ../../blobs/SHA). */
static int visit(importer *im, const char *dir, const char *rel, const char *name, int depth)
{
	char *full = join_path(dir, name), *r = rel ? join_path(rel, name) : strdup(name);
	struct stat st;
	int rc = 0;
	if (!full || !r) {
		rc = LIN_ENOMEM;
	} else if (lstat(full, &st) != 0) {
		rc = 0; /* vanished */
	} else if (strncmp(name, "datasets--", 10) == 0 || strncmp(name, "spaces--", 8) == 0) {
		rc = 0; /* dataset and Space cards in the cache describe no model */
	} else if (S_ISDIR(st.st_mode) && depth < HF_MAX_WALK_DEPTH) {
		int repo = strncmp(name, "models--", 8) == 0;
		char *snap = repo ? main_snapshot(im, full) : NULL;
		size_t before = im->rep.taken + im->rep.skipped;
		rc = snap ? walk(im, snap, r, depth + 1, 0) : walk(im, full, r, depth + 1, 0);
		if (!rc && repo && !im->probe && !im->stopped && im->rep.taken + im->rep.skipped == before) {
			/* a cached repository without a card: GGUF-only repositories
			 * often have none; say so rather than leave it out silently */
			int gguf = has_gguf(snap ? snap : full);
			warn(im, snap ? snap : full, NULL,
			     "no model card (README.md) in this cached repository%s; not imported",
			     gguf ? ", only GGUF files" : "");
			im->rep.skipped++;
		}
		free(snap);
	} else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && is_card_name(name)) {
		rc = import_file(im, full, r);
	}
	free(full);
	free(r);
	return rc;
}

/* Walks dir in sorted order for cards; rel is dir below the import root.
 * follow: dir is the one the user named (it may be a link). Every walk
 * together reads at most HF_MAX_WALK_ENTRIES names. */
static int walk(importer *im, const char *dir, const char *rel, int depth, int follow)
{
	size_t n = 0;
	int rc = 0;
	char **names = NULL;
	DIR *d = NULL;
	if (im->stopped || (im->probe && im->found))
		return 0;
	if (!(d = open_walk_dir(im, dir, follow))) {
		if (errno == ENOMEM)
			return LIN_ENOMEM;
		if (errno != ELOOP) /* ELOOP: a link, or a directory already walked */
			warn(im, dir, NULL, "cannot read this directory: %s", strerror(errno));
		return 0;
	}
	names = list_dir(d, HF_MAX_WALK_ENTRIES - im->entries, &n);
	if (!names)
		return LIN_ENOMEM;
	im->entries += n;
	if (im->entries >= HF_MAX_WALK_ENTRIES && !im->stopped) {
		im->stopped = 1;
		warn(im, dir, NULL, "stopped after reading %d directory entries; the cards "
		     "after this point are not imported", HF_MAX_WALK_ENTRIES);
	}
	for (size_t i = 0; i < n && !rc && !(im->probe && im->found); i++)
		rc = visit(im, dir, rel, names[i], depth);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* ---- after the cards are read -------------------------------------------------- */

static int cmp_card(const void *a, const void *b)
{
	const card *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_card_key(const void *key, const void *elem)
{
	return strcmp(key, ((const card *)elem)->key);
}

/* The catalog's models before this import, as cards sorted by key. */
static card *existing_models(importer *im, size_t *n)
{
	lin_catalog *cat = im->cat;
	card *k = calloc(cat->n + 1, sizeof(card));
	*n = 0;
	for (size_t i = 0; k && i < cat->n; i++) {
		k[i].m = cat->models[i];
		if (!(k[i].key = lin_name_key(cat->models[i].id)))
			break;
		k[i].seq = i;
		(*n)++;
	}
	if (k && *n == cat->n) {
		qsort(k, *n, sizeof(card), cmp_card);
		return k;
	}
	for (size_t i = 0; k && i < *n; i++)
		free(k[i].key);
	free(k);
	return NULL;
}

/* Drops a card whose id an earlier card (or the catalog) already has. */
static void drop_repeats(importer *im, const card *old, size_t nold)
{
	size_t k = 0;
	for (size_t i = 0; i < im->n; i++) {
		card *c = &im->cards[i];
		const card *prev = k ? &im->cards[k - 1] : NULL;
		if (!prev || strcmp(prev->key, c->key) != 0)
			prev = bsearch(c->key, old, nold, sizeof(card), cmp_card_key);
		if (prev) {
			lin_error e;
			lin_i_fail(&e, LIN_EDUP, c->m.pos.file, c->m.pos.line, c->m.pos.col,
			         "'%s' was already read from %s; card skipped", c->m.name, prev->m.pos.file);
			lin_i_diags_add(im->diags, &e, 1);
			im->rep.taken--;
			im->rep.skipped++;
			free(c->key);
			continue;
		}
		im->cards[k++] = *c;
	}
	im->n = k;
}

/* The cards (sorted, repeats dropped) in an open-addressing table by key:
 * a million bases find their cards with a probe or two each, where a
 * binary search of a million keys cost twenty string compares and as many
 * cache misses (a third of a 1M-row import). A slot keeps the key's hash
 * and the card's name, so a base spelled as its card (nearly all) is found
 * without touching the card itself. */
typedef struct card_slot {
	uint64_t hash;
	const char *name; /* NULL: empty */
	size_t card;
} card_slot;

typedef struct card_table {
	card_slot *slot;
	size_t mask;
} card_table;

static int card_table_build(card_table *t, const importer *im)
{
	size_t cap = 16;
	while (cap < 2 * im->n)
		cap *= 2;
	t->mask = cap - 1;
	if (!(t->slot = calloc(cap, sizeof(*t->slot))))
		return LIN_ENOMEM;
	for (size_t i = 0; i < im->n; i++) {
		uint64_t h = lin_i_name_hash(im->cards[i].key);
		size_t at = (size_t)h & t->mask;
		while (t->slot[at].name)
			at = (at + 1) & t->mask;
		t->slot[at] = (card_slot){h, im->cards[i].m.name, i};
	}
	return 0;
}

/* The card whose key is key (ref's), or NULL; *same 1 when its name is
 * spelled as ref. */
static const card *card_table_find(const card_table *t, const importer *im, const char *ref,
                                   const char *key, int *same)
{
	uint64_t h = lin_i_name_hash(key);
	for (size_t at = (size_t)h & t->mask; t->slot[at].name; at = (at + 1) & t->mask) {
		const card_slot *s = &t->slot[at];
		if (s->hash != h)
			continue;
		/* equal names have equal keys: the key is compared only when
		 * the spelling differs */
		if ((*same = strcmp(s->name, ref) == 0) || strcmp(im->cards[s->card].key, key) == 0)
			return &im->cards[s->card];
	}
	return NULL;
}

/* A share of canonical_refs' work, for a thread. */
typedef struct canon_range {
	importer *im;
	const card_table *t;
	size_t from, to;
	lin_diags diags;
	int oom;
} canon_range;

/* Spells each base the way its own card does: odd casing in another card
 * ("intel/Neural-Chat-7b-v3-1") is a warning, and the edge is kept. */
static void *canonical_some(void *arg)
{
	canon_range *r = arg;
	char small[HF_ID_MAX + 1];
	for (size_t i = r->from; i < r->to && !r->oom; i++) {
		lin_model *m = &r->im->cards[i].m;
		for (size_t j = 0; j < m->nparents; j++) {
			lin_parent *p = &m->parents[j];
			/* a base is a checked Hub id, so its key fits; anything
			 * longer (never, today) takes the allocating way */
			char *key = strlen(p->ref) < sizeof(small) ? small : lin_name_key(p->ref);
			int same = 0;
			if (!key) {
				r->oom = 1;
				break;
			}
			if (key == small)
				lin_i_name_key_into(small, p->ref);
			const card *to = card_table_find(r->t, r->im, p->ref, key, &same);
			if (key != small)
				free(key);
			if (!to || same)
				continue;
			lin_error e;
			lin_i_fail(&e, LIN_ESCHEMA, p->pos.file, p->pos.line, p->pos.col,
			         "base model '%s' is spelled '%s' in its own card; using that", p->ref, to->m.name);
			lin_i_diags_add(&r->diags, &e, 1);
			p->ref = to->m.name;
		}
	}
	return NULL;
}

#define CANON_THREADS 2
#define CANON_PARALLEL_MIN 65536

/* canonical_some over every card, on threads for many; the warnings in
 * card order whatever the threads did. */
static int canonical_refs(importer *im)
{
	card_table t;
	canon_range r[CANON_THREADS];
	size_t k = im->n >= CANON_PARALLEL_MIN ? CANON_THREADS : 1;
	int oom = 0;
	if (card_table_build(&t, im) != 0)
		return LIN_ENOMEM;
	for (size_t i = 0; i < k; i++) {
		r[i] = (canon_range){im, &t, im->n * i / k, im->n * (i + 1) / k, {0}, 0};
		lin_diags_init(&r[i].diags);
		r[i].diags.errors_only = im->diags && im->diags->errors_only;
	}
	lin_i_run_parallel(canonical_some, r, sizeof(r[0]), k);
	for (size_t i = 0; i < k; i++) {
		lin_i_diags_append(im->diags, &r[i].diags);
		lin_diags_dispose(&r[i].diags);
		oom |= r[i].oom;
	}
	free(t.slot);
	return oom ? LIN_ENOMEM : 0;
}

/* Sorts the cards by id, drops repeats, and appends them to the catalog. */
static int finish_import(importer *im, lin_error *err)
{
	size_t nold = 0;
	card *old = existing_models(im, &nold);
	int rc = 0;
	if (!old)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if (im->n) { /* qsort and bsearch want a non-NULL array */
		lin_i_sort(im->cards, im->n, sizeof(card), cmp_card); /* a million: both cores */
		drop_repeats(im, old, nold);
		if (canonical_refs(im) != 0)
			rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < im->n && !rc; i++)
		if (lin_i_catalog_append(im->cat, &im->cards[i].m) != 0)
			rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < nold; i++)
		free(old[i].key);
	free(old);
	return rc;
}

static void importer_dispose(importer *im)
{
	for (size_t i = 0; i < im->n; i++)
		free(im->cards[i].key);
	free(im->cards);
	free(im->seen.slot);
}

static int importer_start(importer *im, lin_catalog *cat, lin_diags *diags, const char *path,
                          lin_error *err)
{
	memset(im, 0, sizeof(*im));
	im->cat = cat;
	im->diags = diags;
	if (cat->finished)
		return lin_i_fail(err, LIN_EINVAL, path, 0, 0, "the catalog is already finished");
	return 0;
}

/* Ends an import: the cards go into the catalog, the report out. */
static int importer_end(importer *im, int rc, lin_import_report *rep, lin_error *err)
{
	if (!rc && im->oom)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	else if (!rc)
		rc = finish_import(im, err);
	if (rep)
		*rep = im->rep;
	importer_dispose(im);
	return rc;
}

/* Walks a directory; a cache folder models--ORG--NAME itself gives only
 * its main snapshot. */
static int import_dir(importer *im, const char *path)
{
	const char *name = base_name(path);
	char *snap = strncmp(name, "models--", 8) == 0 ? main_snapshot(im, path) : NULL;
	int rc = walk(im, snap ? snap : path, NULL, 0, !snap);
	free(snap);
	return rc;
}

int lin_import_hf_path(lin_catalog *cat, const char *path, lin_import_report *rep,
                       lin_diags *diags, lin_error *err)
{
	importer im;
	struct stat st;
	lin_error local;
	int rc = importer_start(&im, cat, diags, path, err);
	if (rc)
		return rc;
	if (!err)
		err = &local;
	if (stat(path, &st) != 0) {
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
		lin_i_diags_add(diags, err, 0);
	} else if (S_ISDIR(st.st_mode)) {
		rc = import_dir(&im, path);
	} else {
		rc = import_file(&im, path, NULL);
	}
	if (rc == LIN_ENOMEM)
		rc = 0, im.oom = 1;
	return importer_end(&im, rc, rep, err);
}

int lin_import_hf_buffer(lin_catalog *cat, const char *name, const char *data,
                         size_t len, lin_import_report *rep, lin_diags *diags,
                         lin_error *err)
{
	importer im;
	repo_files repo;
	int rc = importer_start(&im, cat, diags, name, err);
	if (rc)
		return rc;
	memset(&repo, 0, sizeof(repo));
	rc = import_text(&im, name ? name : "<card>", NULL, data, len, 0, &repo);
	if (rc == LIN_ENOMEM)
		rc = 0, im.oom = 1;
	return importer_end(&im, rc, rep, err);
}

int lin_import_hf_is_cards(const char *path)
{
	struct stat st;
	importer im;
	size_t n = 0;
	int catalog = 0;
	if (stat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode) && has_ext(path, ".md");
	char **names = list_dir(opendir(path), HF_MAX_WALK_ENTRIES, &n);
	for (size_t i = 0; names && i < n; i++) {
		catalog |= (has_ext(names[i], ".yaml") || has_ext(names[i], ".yml")) &&
		           !strstr(names[i], "__");
		free(names[i]);
	}
	free(names);
	if (catalog)
		return 0;
	memset(&im, 0, sizeof(im));
	im.probe = 1;
	import_dir(&im, path);
	int found = im.found;
	importer_dispose(&im);
	return found;
}

/* ---- Hub metadata tables ------------------------------------------------------ */

/* The columns lineage reads from a table of Hub metadata (a CSV or TSV with
 * a header row naming them, in any order; others are ignored). */
enum { COL_ID, COL_BASE, COL_REL, COL_CREATED, COL_LICENSE, COL_PIPE, COL_TAGS, COL_LIB, NCOLS };
static const char *const table_cols[NCOLS] = {
	"id", "base_model", "base_model_relation", "createdAt", "license", "pipeline_tag", "tags",
	"library_name",
};

#define TABLE_MAX_FIELDS 64
#define TABLE_MAX_BYTES ((size_t)1 << 34) /* 16 GiB of table */

/* One record: its fields, unquoted, each NUL-terminated in buf. */
typedef struct record {
	lin_buf buf;
	size_t off[TABLE_MAX_FIELDS];
	size_t n;
	int line; /* where it starts */
} record;

/* Reads the record at *p (RFC 4180 quoting: "..." with "" for a quote,
 * separators and newlines allowed inside). Returns 0 at the end of data. */
static int read_record(record *r, const char **p, const char *end, char delim, int *line)
{
	const char *q = *p;
	if (q >= end)
		return 0;
	r->buf.len = 0;
	r->n = 0;
	r->line = *line;
	for (;;) {
		if (r->n < TABLE_MAX_FIELDS)
			r->off[r->n] = r->buf.len;
		if (q < end && *q == '"') {
			for (q++; q < end;) {
				const char *s = q;
				while (q < end && *q != '"')
					*line += *q++ == '\n';
				lin_buf_append(&r->buf, s, (size_t)(q - s));
				if (q + 1 < end && q[1] == '"') {
					lin_buf_append(&r->buf, "\"", 1);
					q += 2;
					continue;
				}
				if (q < end)
					q++;
				break;
			}
		}
		const char *s = q;
		while (q < end && *q != delim && *q != '\n')
			q++;
		size_t n = (size_t)(q - s);
		if (n && s[n - 1] == '\r')
			n--;
		lin_buf_append(&r->buf, s, n);
		lin_buf_append(&r->buf, "", 1);
		if (r->n < TABLE_MAX_FIELDS)
			r->n++;
		if (q >= end || *q == '\n') {
			if (q < end)
				q++;
			(*line)++;
			break;
		}
		q++; /* the separator */
	}
	*p = q;
	return 1;
}

static const char *record_field(const record *r, int col)
{
	return col >= 0 && (size_t)col < r->n ? r->buf.data + r->off[col] : NULL;
}

/* What every row of a table is read with. */
typedef struct table_in {
	const char *file;   /* interned, for messages */
	const char *source; /* the path as valid UTF-8, for sources */
	char delim;
	int col[NCOLS];     /* each column's place in a record, or -1 */
} table_in;

/* A list value as the dumps write it: ["a", "b"], ['a','b'], a,b or one
 * value; the items trimmed of spaces and quotes, into the catalog arena. */
static void table_list(importer *im, const char *s, lin_strlist *out)
{
	size_t n = 0, cap = 1;
	memset(out, 0, sizeof(*out));
	if (!s)
		return;
	for (const char *p = s; *p; p++)
		cap += *p == ',';
	out->items = lin_i_arena_alloc(&im->cat->arena, cap * sizeof(char *));
	if (!out->items) {
		im->oom = 1;
		return;
	}
	while (*s == ' ' || *s == '[')
		s++;
	for (const char *p = s; *p && n < cap;) {
		size_t k = strcspn(p, ",");
		const char *a = p, *b = p + k;
		while (a < b && strchr(" \t\"'[", *a))
			a++;
		while (b > a && strchr(" \t\"']", b[-1]))
			b--;
		if (b > a && !(b - a == 4 && strncmp(a, "None", 4) == 0))
			out->items[n++] = adup(im, a, (size_t)(b - a));
		p += k + (p[k] == ',');
	}
	out->n = n;
}

/* One row of the table as a card: the same ids, relation inference and
 * warnings as a model card's, with the row's line in messages. */
static void import_row(importer *im, const char *file, const char *source, const record *r,
                       const int *col)
{
	card_in c;
	lin_model m;
	lin_ynode at;
	lin_strlist tags, bases;
	char url[sizeof(HF_HUB) + HF_ID_MAX];
	const char *id = record_field(r, col[COL_ID]);
	memset(&c, 0, sizeof(c));
	memset(&m, 0, sizeof(m));
	memset(&at, 0, sizeof(at));
	at.line = r->line;
	at.col = 1;
	c.im = im;
	c.file = file;
	c.source = source;
	c.rownode = &at;
	if (!id || !*id || strlen(id) > HF_ID_MAX || (memcpy(c.hf_id, id, strlen(id) + 1), !hf_id_ok(c.hf_id))) {
		warn(im, file, &at, "'%s' is not a Hugging Face model id (ORG/NAME); row skipped",
		     LIN_I_CLIP(id ? id : "", 200));
		im->rep.skipped++;
		return;
	}
	const char *rel = record_field(r, col[COL_REL]);
	c.stated = rel && *rel && strcmp(rel, "None") != 0 ? rel : NULL;
	table_list(im, record_field(r, col[COL_TAGS]), &tags);
	table_list(im, record_field(r, col[COL_BASE]), &bases);
	c.bases = calloc(bases.n + tags.n + 1, sizeof(base));
	if (im->oom || !c.bases) {
		im->oom = 1;
		free(c.bases);
		return;
	}
	for (size_t i = 0; i < bases.n && !im->oom; i++)
		add_base(&c, bases.items[i], &at, -2);
	for (size_t i = 0; bases.n == 0 && i < tags.n && !im->oom; i++) {
		int tr;
		const char *b = base_tag(tags.items[i], &tr);
		if (b)
			add_base(&c, b, &at, tr);
	}
	m.pos.file = file;
	m.pos.line = r->line;
	m.pos.col = 1;
	m.id = astr(im, c.hf_id);
	for (char *p = m.id; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	m.name = astr(im, c.hf_id);
	const char *slash = strchr(c.hf_id, '/');
	m.org = adup(im, c.hf_id, (size_t)(slash - c.hf_id));
	const char *created = record_field(r, col[COL_CREATED]);
	if (created && strlen(created) >= 10 && created[4] == '-' && created[7] == '-')
		m.released = adup(im, created, 10);
	const char *lic = record_field(r, col[COL_LICENSE]);
	lin_strlist lics;
	table_list(im, lic, &lics);
	m.license = lics.n ? lics.items[0] : NULL;
	const char *pipe = record_field(r, col[COL_PIPE]);
	if (pipe && (!*pipe || strcmp(pipe, "None") == 0))
		pipe = NULL;
	m.arch = in_list(multimodal_pipelines, pipe) ? LIN_ARCH_MULTIMODAL
	         : pipe && !in_list(language_pipelines, pipe) ? LIN_ARCH_NON_LANGUAGE
	                                                      : LIN_ARCH_UNKNOWN;
	m.weights = LIN_WEIGHTS_OPEN;
	m.stage = LIN_STAGE_PRETRAINED;
	snprintf(url, sizeof(url), HF_HUB "%s", c.hf_id);
	m.links.items = lin_i_arena_alloc(&im->cat->arena, 2 * sizeof(char *));
	m.sources.items = lin_i_arena_alloc(&im->cat->arena, 2 * sizeof(char *));
	if (!im->oom && m.links.items && m.sources.items) {
		m.links.items[m.links.n++] = astr(im, url);
		m.sources.items[m.sources.n++] = (char *)source;
		m.sources.items[m.sources.n++] = m.links.items[0];
	} else {
		im->oom = 1;
	}
	const char *lib = record_field(r, col[COL_LIB]);
	if (lib && (!*lib || strcmp(lib, "None") == 0))
		lib = NULL;
	if (!pipe && lib && strcasecmp(lib, "diffusers") == 0)
		m.arch = LIN_ARCH_NON_LANGUAGE;
	if (!im->oom && make_parents(&c, &m, &tags, lib) == 0) {
		char sign[96];
		if (c.nbases == 0 && merge_sign(c.hf_id, &tags, sign, sizeof(sign))) {
			warn(im, file, &at, "no base model, but %s says this is a merge; recorded as stage merged with unknown bases, not as a pretrained base", sign);
			m.stage = LIN_STAGE_MERGED;
		}
		if (!im->oom && push_card(im, &m) == 0)
			im->rep.taken++;
	}
	for (size_t i = 0; i < c.nbases; i++)
		free(c.bases[i].key);
	free(c.bases);
}

/* Reads the rows from *p until to (a record may run past it, up to end),
 * as cards into im. */
static void read_rows(importer *im, const char **p, const char *to, const char *end,
                      const table_in *t, int *line)
{
	record r;
	memset(&r, 0, sizeof(r));
	while (*p < to && !im->oom && read_record(&r, p, end, t->delim, line)) {
		if (r.n == 1 && !record_field(&r, 0)[0])
			continue; /* a blank line */
		import_row(im, t->file, t->source, &r, t->col);
	}
	if (r.buf.oom)
		im->oom = 1;
	lin_buf_dispose(&r.buf);
}

/* ---- big tables in pieces ----------------------------------------------------
 * A million rows are seconds of work on one core, and the rows are
 * independent, so a big table is cut at line starts into one piece per
 * core, each read on a thread of its own into its own cards, strings and
 * diagnostics, then merged in order: the same cards in the same order, the
 * same messages with the same lines. A cut may fall inside a quoted cell
 * that holds a line break; a piece whose last record does not end exactly
 * at its cut shows that (the pieces before it were read exactly as a
 * reading from the start reads them), and then the table is read whole. */

#define TABLE_SPLIT_MIN ((size_t)8 << 20)
#define TABLE_PIECES_MAX 8

typedef struct table_piece {
	importer im;          /* its cards; its strings in im.cat's arena */
	lin_diags diags;
	const table_in *t;
	const char *from, *to, *end;
	int line0;            /* the line its first row is on */
	int whole;            /* its last record ended exactly at to */
} table_piece;

static void *read_piece(void *arg)
{
	table_piece *tp = arg;
	const char *p = tp->from;
	int line = tp->line0;
	read_rows(&tp->im, &p, tp->to, tp->end, tp->t, &line);
	tp->whole = p == tp->to;
	return NULL;
}

/* Moves a piece's cards, strings, messages and counts into im. */
static int adopt_table_piece(importer *im, table_piece *tp)
{
	if (im->n == 0 && tp->im.n) { /* the first piece's cards as they are: no copy */
		card *k = im->cards;
		size_t cap = im->cap;
		im->cards = tp->im.cards, im->cap = tp->im.cap;
		tp->im.cards = k, tp->im.cap = cap;
		im->n = tp->im.n;
		tp->im.n = 0;
	}
	if (im->n + tp->im.n > im->cap) {
		size_t cap = im->cap ? im->cap : 64;
		while (cap < im->n + tp->im.n)
			cap *= 2;
		card *k = realloc(im->cards, cap * sizeof(card));
		if (!k)
			return LIN_ENOMEM;
		im->cards = k;
		im->cap = cap;
	}
	if (lin_i_catalog_adopt_arena(im->cat, tp->im.cat) != 0)
		return LIN_ENOMEM;
	for (size_t i = 0; i < tp->im.n; i++) {
		im->cards[im->n] = tp->im.cards[i];
		im->cards[im->n].seq = im->n;
		im->n++;
	}
	tp->im.n = 0; /* the keys are im's now */
	lin_i_diags_append(im->diags, &tp->diags);
	im->rep.taken += tp->im.rep.taken;
	im->rep.skipped += tp->im.rep.skipped;
	im->oom |= tp->im.oom;
	return 0;
}

/* Reads the rows from p to end in pieces on threads. 1 when it did (the
 * rows merged into im), 0 when the caller must read them whole, or
 * LIN_ENOMEM. */
static int read_rows_in_pieces(importer *im, const char *p, const char *end, const table_in *t,
                               int line)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = ncpu < 2 ? 1 : ncpu > TABLE_PIECES_MAX ? TABLE_PIECES_MAX : (size_t)ncpu;
	size_t len = (size_t)(end - p), made = 0;
	table_piece tp[TABLE_PIECES_MAX];
	int rc = 1, whole = 1;
	if (len < TABLE_SPLIT_MIN || k < 2)
		return 0;
	memset(tp, 0, sizeof(tp));
	for (const char *from = p; made < k && from < end; made++) {
		const char *to = made + 1 == k ? NULL : memchr(p + len / k * (made + 1), '\n',
		                                                (size_t)(end - (p + len / k * (made + 1))));
		to = to && to >= from ? to + 1 : end;
		tp[made] = (table_piece){.t = t, .from = from, .to = to, .end = end, .line0 = line};
		for (const char *q = from; (q = memchr(q, '\n', (size_t)(to - q))); q++)
			line++;
		lin_diags_init(&tp[made].diags);
		tp[made].diags.errors_only = im->diags && im->diags->errors_only;
		tp[made].im.diags = im->diags ? &tp[made].diags : NULL;
		if (lin_catalog_new(&tp[made].im.cat, NULL) != 0)
			rc = LIN_ENOMEM;
		from = to;
	}
	if (rc == 1)
		lin_i_run_parallel(read_piece, tp, sizeof(tp[0]), made);
	for (size_t i = 0; i < made; i++)
		whole &= tp[i].whole;
	for (size_t i = 0; i < made && rc == 1 && whole; i++)
		if (adopt_table_piece(im, &tp[i]) != 0)
			rc = LIN_ENOMEM;
	for (size_t i = 0; i < made; i++) {
		importer_dispose(&tp[i].im);
		lin_catalog_free(tp[i].im.cat);
		lin_diags_dispose(&tp[i].diags);
	}
	return rc == 1 && !whole ? 0 : rc;
}

/* Reads the header row: the columns' places into t->col. */
static int read_header(table_in *t, const char **p, const char *end, int *line, lin_diags *diags,
                       lin_error *err)
{
	record r;
	int rc = 0;
	memset(&r, 0, sizeof(r));
	if (!read_record(&r, p, end, t->delim, line)) {
		rc = lin_i_fail(err, LIN_EPARSE, t->file, 1, 1, "empty table: expected a header row (id, base_model, ...)");
		lin_i_diags_add(diags, err, 0);
	} else {
		for (int i = 0; i < NCOLS; i++) {
			t->col[i] = -1;
			for (size_t j = 0; j < r.n; j++)
				if (strcmp(record_field(&r, (int)j), table_cols[i]) == 0)
					t->col[i] = (int)j;
		}
		if (t->col[COL_ID] < 0) {
			rc = lin_i_fail(err, LIN_EPARSE, t->file, 1, 1, "the header row has no 'id' column");
			lin_i_diags_add(diags, err, 0);
		}
	}
	if (r.buf.oom)
		rc = lin_i_fail(err, LIN_ENOMEM, t->file, 0, 0, "out of memory");
	lin_buf_dispose(&r.buf);
	return rc;
}

int lin_import_hf_table(lin_catalog *cat, const char *path, lin_import_report *rep,
                        lin_diags *diags, lin_error *err)
{
	importer im;
	lin_error local;
	table_in t;
	char *data = NULL;
	size_t len = 0;
	int rc = importer_start(&im, cat, diags, path, err);
	if (rc)
		return rc;
	if (!err)
		err = &local;
	if ((rc = lin_read_file(&data, &len, path, TABLE_MAX_BYTES, err)) != 0) {
		lin_i_diags_add(diags, err, 0);
		importer_dispose(&im);
		return rc;
	}
	const char *p = data, *end = data + len;
	int line = 1;
	t.file = lin_i_catalog_intern_file(cat, path);
	t.source = utf8_copy(&im, path);
	t.delim = memchr(data, '\t', strcspn(data, "\n")) ? '\t' : ',';
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3; /* a byte-order mark */
	if (!t.file || !t.source)
		im.oom = 1;
	else if ((rc = read_header(&t, &p, end, &line, diags, err)) == 0 &&
	         (rc = read_rows_in_pieces(&im, p, end, &t, line)) == 0)
		read_rows(&im, &p, end, end, &t, &line);
	if (rc == LIN_ENOMEM || rc == 1)
		im.oom |= rc == LIN_ENOMEM, rc = 0;
	free(data);
	if (rc) {
		importer_dispose(&im);
		return rc;
	}
	return importer_end(&im, 0, rep, err);
}
