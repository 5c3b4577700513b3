/*
 * entry.c - turns YAML entries into lin_model records, checking the schema
 * documented in data/README.md field by field so that every mistake is
 * reported with its file, line and column. Problems inside one entry are all
 * collected (a reviewer wants the whole list), and a bad entry is skipped.
 */
#include "load.h"

#include <ctype.h>
#include <pthread.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const parent_keys[] = {
	"model", "relation", "variant", "note", "sources", "inferred", NULL,
};

/* Records a problem at node n. Errors count; the first is kept. */
static void problem(lin_entry_ctx *c, int is_warning, int code, const lin_ynode *n,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void problem(lin_entry_ctx *c, int is_warning, int code, const lin_ynode *n,
                    const char *fmt, ...)
{
	lin_error e;
	va_list ap;
	va_start(ap, fmt);
	lin_i_vfail(&e, code, c->file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
	lin_i_diags_add(c->diags, &e, is_warning);
	if (!is_warning && c->nerrors++ == 0)
		c->first = e;
}

static const lin_ynode *map_get(const lin_ynode *map, const char *key)
{
	/* the first letters first: a million entries ask for twenty fields each
	 * (strcmp was a tenth of a cold load) */
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->type == LIN_Y_SCALAR && map->kids[i]->str[0] == key[0] &&
		    strcmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

/* The node of item i of a list field (the field itself when it is a
 * single scalar), so a bad item is reported where it is written. */
static const lin_ynode *list_item(const lin_ynode *map, const char *key, size_t i)
{
	const lin_ynode *v = map_get(map, key);
	return v && v->type == LIN_Y_SEQ && i < v->n ? v->kids[i] : v;
}

/* Checks that every key of map is a known, non-repeated scalar. */
static int check_keys(lin_entry_ctx *c, const lin_ynode *map, const char *const *keys,
                      const char *what)
{
	int bad = 0;
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const lin_ynode *k = map->kids[i];
		if (k->type != LIN_Y_SCALAR) {
			problem(c, 0, LIN_ESCHEMA, k, "expected a key (a plain word) in %s", what);
			bad = 1;
			continue;
		}
		int known = 0;
		for (size_t j = 0; keys[j] && !known; j++)
			known = keys[j][0] == k->str[0] && strcmp(keys[j], k->str) == 0;
		if (!known) {
			const char *near = lin_nearest_word(keys, k->str);
			problem(c, 0, LIN_ESCHEMA, k, "unknown key '%s' in %s%s%s%s", LIN_I_CLIP(k->str, 64), what,
			        near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
			bad = 1;
		}
		for (size_t j = 0; j < i; j += 2)
			if (map->kids[j]->type == LIN_Y_SCALAR && map->kids[j]->str[0] == k->str[0] &&
			    strcmp(map->kids[j]->str, k->str) == 0) {
				problem(c, 0, LIN_ESCHEMA, k, "duplicate key '%s' in %s", LIN_I_CLIP(k->str, 64), what);
				bad = 1;
			}
	}
	return bad;
}

/* Copies a scalar field into the catalog arena. Absent or null gives NULL.
 * A non-scalar is an error. */
static int get_text(lin_entry_ctx *c, const lin_ynode *map, const char *key, char **out)
{
	const lin_ynode *v = map_get(map, key);
	*out = NULL;
	if (!v || (v->type == LIN_Y_SCALAR && v->is_null))
		return 0;
	if (v->type != LIN_Y_SCALAR) {
		problem(c, 0, LIN_ESCHEMA, v, "'%s' must be a single value, not a %s", key,
		        v->type == LIN_Y_SEQ ? "list" : "mapping");
		return -1;
	}
	*out = lin_i_arena_strndup(&c->cat->arena, v->str, v->len);
	if (!*out) {
		problem(c, 0, LIN_ENOMEM, v, "out of memory");
		return -1;
	}
	if (strlen(*out) != v->len) {
		problem(c, 0, LIN_ESCHEMA, v, "'%s' contains a NUL character", key);
		return -1;
	}
	return 0;
}

/* Copies a list field (a sequence of scalars, or one scalar) into out. */
static int get_list(lin_entry_ctx *c, const lin_ynode *map, const char *key, lin_strlist *out)
{
	const lin_ynode *v = map_get(map, key);
	memset(out, 0, sizeof(*out));
	if (!v || (v->type == LIN_Y_SCALAR && v->is_null))
		return 0;
	if (v->type == LIN_Y_MAP) {
		problem(c, 0, LIN_ESCHEMA, v, "'%s' must be a list of values, not a mapping", key);
		return -1;
	}
	const lin_ynode *const *items = v->type == LIN_Y_SEQ ? (const lin_ynode *const *)v->kids : (const lin_ynode *const *)&v;
	size_t n = v->type == LIN_Y_SEQ ? v->n : 1;
	out->items = lin_i_arena_alloc(&c->cat->arena, (n ? n : 1) * sizeof(char *));
	if (!out->items) {
		problem(c, 0, LIN_ENOMEM, v, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const lin_ynode *it = items[i];
		if (it->type != LIN_Y_SCALAR || it->is_null) {
			problem(c, 0, LIN_ESCHEMA, it, "each item of '%s' must be a single non-empty value", key);
			return -1;
		}
		char *s = lin_i_arena_strndup(&c->cat->arena, it->str, it->len);
		if (!s) {
			problem(c, 0, LIN_ENOMEM, it, "out of memory");
			return -1;
		}
		out->items[out->n++] = s;
	}
	return 0;
}

/* Ids are slugs so that they are safe in file names, DOT ids and URLs. */
static int valid_id(const char *s)
{
	if (!s || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return 0;
	if (strlen(s) > 200)
		return 0;
	for (const char *p = s; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		      strchr("._/-", *p)))
			return 0;
	return 1;
}

/* Parses YYYY, YYYY-MM or YYYY-MM-DD. */
static int parse_date(const char *s, int *year, int *month)
{
	int y = 0, m = 0, d = 0;
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if (!(isdigit((unsigned char)s[i]) || (s[i] == '-' && (i == 4 || i == 7))))
			return -1;
	if (n == 4)
		y = atoi(s);
	else if (n == 7 && s[4] == '-')
		y = atoi(s), m = atoi(s + 5);
	else if (n == 10 && s[4] == '-' && s[7] == '-')
		y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	else
		return -1;
	if (y < 1950 || y > 2100 || (n >= 7 && (m < 1 || m > 12)) || (n == 10 && (d < 1 || d > 31)))
		return -1;
	*year = y;
	*month = m;
	return 0;
}

/* A size: digits with an optional fraction and a K/M/B/T suffix, optionally
 * an expert count first ("8x7B"). */
static int valid_param(const char *s)
{
	const char *p = s;
	if (isdigit((unsigned char)*p)) {
		const char *q = p;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q == 'x')
			p = q + 1;
	}
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return strchr("KMBT", *p) && *p && p[1] == '\0';
}

static int is_http_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* A parent's `inferred: true|false` (absent: false, the edge is stated). */
static int parse_inferred(lin_entry_ctx *c, const lin_ynode *pn, lin_parent *out)
{
	char *flag = NULL;
	if (get_text(c, pn, "inferred", &flag) != 0)
		return -1;
	if (flag && strcmp(flag, "true") && strcmp(flag, "false")) {
		problem(c, 0, LIN_ESCHEMA, map_get(pn, "inferred"),
		        "'inferred' must be true or false, not '%s'", LIN_I_CLIP(flag, 64));
		return -1;
	}
	out->inferred = flag && strcmp(flag, "true") == 0;
	return 0;
}

/* Parses one parent edge. */
static int parse_parent(lin_entry_ctx *c, const lin_ynode *pn, lin_parent *out)
{
	int bad = 0;
	char *rel = NULL;
	memset(out, 0, sizeof(*out));
	out->vertex = -1;
	out->pos.file = c->file;
	out->pos.line = pn->line;
	out->pos.col = pn->col;
	if (pn->type != LIN_Y_MAP) {
		problem(c, 0, LIN_ESCHEMA, pn, "a parent must be a mapping with 'model' and 'relation'");
		return -1;
	}
	bad |= check_keys(c, pn, parent_keys, "a parent");
	bad |= get_text(c, pn, "model", &out->ref) != 0;
	bad |= get_text(c, pn, "relation", &rel) != 0;
	bad |= get_text(c, pn, "variant", &out->variant) != 0;
	bad |= get_text(c, pn, "note", &out->note) != 0;
	bad |= get_list(c, pn, "sources", &out->sources) != 0;
	bad |= parse_inferred(c, pn, out) != 0;
	if (!out->ref && !map_get(pn, "model")) {
		problem(c, 0, LIN_ESCHEMA, pn, "a parent needs 'model' (the parent's id or name)");
		bad = 1;
	} else if (!out->ref) {
		problem(c, 0, LIN_ESCHEMA, map_get(pn, "model"), "'model' is empty");
		bad = 1;
	}
	if (!rel) {
		if (!map_get(pn, "relation")) {
			problem(c, 0, LIN_ESCHEMA, pn, "a parent needs 'relation' (finetune, adapter, merge, quantized, continued-pretrain, rlhf, distill, multimodal, recipe, upcycle, prune)");
			bad = 1;
		}
	} else if (lin_relation_parse(rel) < 0) {
		problem(c, 0, LIN_ESCHEMA, map_get(pn, "relation"),
		        "unknown relation '%s' (expected one of finetune, adapter, merge, quantized, continued-pretrain, rlhf, distill, multimodal, recipe, upcycle, prune)",
		        LIN_I_CLIP(rel, 64));
		bad = 1;
	} else {
		out->relation = (lin_relation)lin_relation_parse(rel);
	}
	if (!bad && out->sources.n == 0) {
		problem(c, 0, LIN_ESCHEMA, pn, "the edge to '%s' needs 'sources' (where it is stated)", LIN_I_CLIP(out->ref, 64));
		bad = 1;
	}
	return bad ? -1 : 0;
}

static int parse_parents(lin_entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	const lin_ynode *v = map_get(map, "parents");
	int bad = 0;
	if (!v || (v->type == LIN_Y_SCALAR && v->is_null))
		return 0;
	if (v->type != LIN_Y_SEQ) {
		problem(c, 0, LIN_ESCHEMA, v, "'parents' must be a list of {model, relation, sources}");
		return -1;
	}
	m->parents = lin_i_arena_alloc(&c->cat->arena, (v->n ? v->n : 1) * sizeof(lin_parent));
	if (!m->parents) {
		problem(c, 0, LIN_ENOMEM, v, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (parse_parent(c, v->kids[i], &m->parents[m->nparents]) != 0)
			bad = 1;
		else
			m->nparents++;
	}
	return bad ? -1 : 0;
}

/* Parses the vocabulary fields: stage, architecture, weights. */
static int parse_kinds(lin_entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	char *stage = NULL, *arch = NULL, *weights = NULL, *external = NULL;
	int bad = 0;
	bad |= get_text(c, map, "external", &external) != 0;
	if (external && strcmp(external, "true") && strcmp(external, "false")) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "external"), "'external' must be true or false, not '%s'", LIN_I_CLIP(external, 64));
		bad = 1;
	}
	m->external = external && strcmp(external, "true") == 0;
	bad |= get_text(c, map, "stage", &stage) != 0;
	bad |= get_text(c, map, "architecture", &arch) != 0;
	bad |= get_text(c, map, "weights", &weights) != 0;
	m->arch = LIN_ARCH_UNKNOWN;
	m->weights = LIN_WEIGHTS_UNKNOWN;
	if (!stage && !map_get(map, "stage")) {
		problem(c, 0, LIN_ESCHEMA, map, "model '%s' needs 'stage'", LIN_I_CLIP(m->id ? m->id : "?", 64));
		bad = 1;
	} else if (stage && lin_stage_parse(stage) < 0) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "stage"),
		        "unknown stage '%s' (expected one of pretrained, continued-pretrain, sft, rlhf, distilled, merged, quantized, adapter, multimodal, unknown)", LIN_I_CLIP(stage, 64));
		bad = 1;
	} else if (stage) {
		m->stage = (lin_stage)lin_stage_parse(stage);
	}
	if (arch && lin_arch_parse(arch) < 0) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "architecture"),
		        "unknown architecture '%s' (expected one of decoder-only, encoder-only, encoder-decoder, prefix-lm, moe, multimodal, non-language)", LIN_I_CLIP(arch, 64));
		bad = 1;
	} else if (arch) {
		m->arch = (lin_arch)lin_arch_parse(arch);
	}
	if (weights && strcmp(weights, "open") && strcmp(weights, "closed")) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "weights"), "'weights' must be open or closed, not '%s'", LIN_I_CLIP(weights, 64));
		bad = 1;
	} else if (weights) {
		m->weights = strcmp(weights, "open") == 0 ? LIN_WEIGHTS_OPEN : LIN_WEIGHTS_CLOSED;
	}
	return bad ? -1 : 0;
}

/* Checks the formats of released, params and links. Links that are not
 * http(s) are dropped with a warning: they would be unsafe in a diagram. */
static int check_formats(lin_entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	int bad = 0;
	if (m->released && parse_date(m->released, &m->year, &m->month) != 0) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "released"),
		        "bad date '%s' (expected YYYY, YYYY-MM or YYYY-MM-DD)", LIN_I_CLIP(m->released, 64));
		bad = 1;
	}
	for (size_t i = 0; i < m->params.n; i++)
		if (!valid_param(m->params.items[i])) {
			problem(c, 0, LIN_ESCHEMA, list_item(map, "params", i),
			        "bad size '%s' (expected a number with K, M, B or T, e.g. 7B, 1.6T, 8x7B)", LIN_I_CLIP(m->params.items[i], 64));
			bad = 1;
		}
	size_t k = 0;
	for (size_t i = 0; i < m->links.n; i++) {
		if (is_http_url(m->links.items[i]))
			m->links.items[k++] = m->links.items[i];
		else
			problem(c, 1, LIN_ESCHEMA, list_item(map, "links", i),
			        "link '%s' of '%s' is not http(s); dropped", LIN_I_CLIP(m->links.items[i], 64), LIN_I_CLIP(m->id, 64));
	}
	m->links.n = k;
	return bad ? -1 : 0;
}

/* The text and list fields, in the field table's order (texts first, so
 * problems come in the order they always have). */
static int parse_fields(lin_entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	int bad = 0;
	size_t n;
	const lin_field *f = lin_model_fields(&n);
	for (size_t i = 0; i < n; i++)
		if (f[i].kind == LIN_FIELD_TEXT)
			bad |= get_text(c, map, f[i].key, (char **)(void *)((char *)m + f[i].offset)) != 0;
	for (size_t i = 0; i < n; i++)
		if (f[i].kind == LIN_FIELD_LIST)
			bad |= get_list(c, map, f[i].key,
			                (lin_strlist *)(void *)((char *)m + f[i].offset)) != 0;
	return bad ? -1 : 0;
}

/* Checks the fields every entry must have. */
static int check_required(lin_entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	int bad = 0;
	if (!m->id) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "id") ? map_get(map, "id") : map,
		        "a model entry needs 'id'");
		bad = 1;
	} else if (!valid_id(m->id)) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "id"),
		        "bad id '%s' (expected lowercase letters, digits, '.', '_', '/', '-', starting with a letter or digit)", LIN_I_CLIP(m->id, 64));
		bad = 1;
	}
	if (!m->name && m->id)
		m->name = m->id;
	/* absent or empty; a malformed value has been reported already */
	const lin_ynode *sv = map_get(map, "sources");
	int no_sources = !sv || (sv->type == LIN_Y_SCALAR && sv->is_null) ||
	                 (sv->type == LIN_Y_SEQ && sv->n == 0);
	if (!bad && no_sources) {
		problem(c, 0, LIN_ESCHEMA, map, "model '%s' needs 'sources' (a seed file or URL)", LIN_I_CLIP(m->id, 64));
		bad = 1;
	}
	return bad ? -1 : 0;
}

int lin_i_load_entry(void *ctx, const lin_ynode *item, lin_error *err)
{
	lin_entry_ctx *c = ctx;
	lin_model m;
	int bad = 0;
	memset(&m, 0, sizeof(m));
	if (item->type != LIN_Y_MAP) {
		problem(c, 0, LIN_ESCHEMA, item, "expected a model entry (a mapping with id, name, stage, ...)");
		return 0;
	}
	m.pos.file = c->file;
	m.pos.line = item->line;
	m.pos.col = item->col;
	bad |= check_keys(c, item, lin_i_field_keys(), "a model entry");
	bad |= parse_fields(c, item, &m) != 0;
	bad |= check_required(c, item, &m) != 0;
	bad |= parse_kinds(c, item, &m) != 0;
	bad |= parse_parents(c, item, &m) != 0;
	bad |= check_formats(c, item, &m) != 0;
	if (bad) {
		/* reported; go on with the next entry, remembering its names so
		 * a child's reference to it is not a second, misleading error */
		int rc = m.id ? lin_i_catalog_skip(c->cat, m.id) : 0;
		if (!rc && m.name && m.name != m.id)
			rc = lin_i_catalog_skip(c->cat, m.name);
		return rc ? lin_i_fail(err, LIN_ENOMEM, c->file, item->line, item->col, "out of memory") : 0;
	}
	if (lin_i_catalog_append(c->cat, &m) != 0)
		return lin_i_fail(err, LIN_ENOMEM, c->file, item->line, item->col, "out of memory");
	return 0;
}
