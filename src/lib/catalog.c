/*
 * catalog.c - turns YAML entries into lin_model records, checking the schema
 * documented in data/README.md field by field so that every mistake is
 * reported with its file, line and column. Problems inside one entry are all
 * collected (a reviewer wants the whole list), and a bad entry is skipped.
 */
#include "internal.h"

#include <ctype.h>
#include <pthread.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* What an entry parse needs: the catalog, the file, where problems go. */
typedef struct entry_ctx {
	lin_catalog *cat;
	const char *file; /* owned by cat->files */
	lin_diags *diags;
	lin_error first;  /* first problem of this buffer */
	int nerrors;
	int nwarnings_dropped;
} entry_ctx;

static const char *const entry_keys[] = {
	"id", "name", "aliases", "org", "released", "params", "stage",
	"architecture", "weights", "license", "license_note", "languages",
	"training_data", "links", "sources", "parents", "external", NULL,
};

static const char *const parent_keys[] = {
	"model", "relation", "variant", "note", "sources", NULL,
};

/* Records a problem at node n. Errors count; the first is kept. */
static void problem(entry_ctx *c, int is_warning, int code, const lin_ynode *n,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void problem(entry_ctx *c, int is_warning, int code, const lin_ynode *n,
                    const char *fmt, ...)
{
	lin_error e;
	va_list ap;
	va_start(ap, fmt);
	lin_vfail(&e, code, c->file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
	lin_diags_add(c->diags, &e, is_warning);
	if (!is_warning && c->nerrors++ == 0)
		c->first = e;
}

/* The closest of a NULL-terminated word list to w, or NULL. */
static const char *nearest_word(const char *const *words, const char *w)
{
	const char *best = NULL;
	size_t bestd = 3;
	for (size_t i = 0; words[i]; i++) {
		size_t d = lin_edit_distance(w, words[i], 2);
		if (d < bestd) {
			bestd = d;
			best = words[i];
		}
	}
	return best;
}

static const lin_ynode *map_get(const lin_ynode *map, const char *key)
{
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->type == LIN_Y_SCALAR && strcmp(map->kids[i]->str, key) == 0)
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
static int check_keys(entry_ctx *c, const lin_ynode *map, const char *const *keys,
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
		for (size_t j = 0; keys[j]; j++)
			known |= strcmp(keys[j], k->str) == 0;
		if (!known) {
			const char *near = nearest_word(keys, k->str);
			problem(c, 0, LIN_ESCHEMA, k, "unknown key '%.64s' in %s%s%s%s", k->str, what,
			        near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
			bad = 1;
		}
		for (size_t j = 0; j < i; j += 2)
			if (map->kids[j]->type == LIN_Y_SCALAR && strcmp(map->kids[j]->str, k->str) == 0) {
				problem(c, 0, LIN_ESCHEMA, k, "duplicate key '%.64s' in %s", k->str, what);
				bad = 1;
			}
	}
	return bad;
}

/* Copies a scalar field into the catalog arena. Absent or null gives NULL.
 * A non-scalar is an error. */
static int get_text(entry_ctx *c, const lin_ynode *map, const char *key, char **out)
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
	*out = lin_arena_strndup(&c->cat->arena, v->str, v->len);
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
static int get_list(entry_ctx *c, const lin_ynode *map, const char *key, lin_strlist *out)
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
	out->items = lin_arena_alloc(&c->cat->arena, (n ? n : 1) * sizeof(char *));
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
		char *s = lin_arena_strndup(&c->cat->arena, it->str, it->len);
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

/* Parses one parent edge. */
static int parse_parent(entry_ctx *c, const lin_ynode *pn, lin_parent *out)
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
		        "unknown relation '%.64s' (expected one of finetune, adapter, merge, quantized, continued-pretrain, rlhf, distill, multimodal, recipe, upcycle, prune)",
		        rel);
		bad = 1;
	} else {
		out->relation = (lin_relation)lin_relation_parse(rel);
	}
	if (!bad && out->sources.n == 0) {
		problem(c, 0, LIN_ESCHEMA, pn, "the edge to '%.64s' needs 'sources' (where it is stated)", out->ref);
		bad = 1;
	}
	return bad ? -1 : 0;
}

static int parse_parents(entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	const lin_ynode *v = map_get(map, "parents");
	int bad = 0;
	if (!v || (v->type == LIN_Y_SCALAR && v->is_null))
		return 0;
	if (v->type != LIN_Y_SEQ) {
		problem(c, 0, LIN_ESCHEMA, v, "'parents' must be a list of {model, relation, sources}");
		return -1;
	}
	m->parents = lin_arena_alloc(&c->cat->arena, (v->n ? v->n : 1) * sizeof(lin_parent));
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
static int parse_kinds(entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	char *stage = NULL, *arch = NULL, *weights = NULL, *external = NULL;
	int bad = 0;
	bad |= get_text(c, map, "external", &external) != 0;
	if (external && strcmp(external, "true") && strcmp(external, "false")) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "external"), "'external' must be true or false, not '%.64s'", external);
		bad = 1;
	}
	m->external = external && strcmp(external, "true") == 0;
	bad |= get_text(c, map, "stage", &stage) != 0;
	bad |= get_text(c, map, "architecture", &arch) != 0;
	bad |= get_text(c, map, "weights", &weights) != 0;
	m->arch = LIN_ARCH_UNKNOWN;
	m->weights = LIN_WEIGHTS_UNKNOWN;
	if (!stage && !map_get(map, "stage")) {
		problem(c, 0, LIN_ESCHEMA, map, "model '%.64s' needs 'stage'", m->id ? m->id : "?");
		bad = 1;
	} else if (stage && lin_stage_parse(stage) < 0) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "stage"),
		        "unknown stage '%.64s' (expected one of pretrained, continued-pretrain, sft, rlhf, distilled, merged, quantized, adapter, multimodal, unknown)", stage);
		bad = 1;
	} else if (stage) {
		m->stage = (lin_stage)lin_stage_parse(stage);
	}
	if (arch && lin_arch_parse(arch) < 0) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "architecture"),
		        "unknown architecture '%.64s' (expected one of decoder-only, encoder-only, encoder-decoder, prefix-lm, moe, multimodal)", arch);
		bad = 1;
	} else if (arch) {
		m->arch = (lin_arch)lin_arch_parse(arch);
	}
	if (weights && strcmp(weights, "open") && strcmp(weights, "closed")) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "weights"), "'weights' must be open or closed, not '%.64s'", weights);
		bad = 1;
	} else if (weights) {
		m->weights = strcmp(weights, "open") == 0 ? LIN_WEIGHTS_OPEN : LIN_WEIGHTS_CLOSED;
	}
	return bad ? -1 : 0;
}

/* Checks the formats of released, params and links. Links that are not
 * http(s) are dropped with a warning: they would be unsafe in a diagram. */
static int check_formats(entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	int bad = 0;
	if (m->released && parse_date(m->released, &m->year, &m->month) != 0) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "released"),
		        "bad date '%.64s' (expected YYYY, YYYY-MM or YYYY-MM-DD)", m->released);
		bad = 1;
	}
	for (size_t i = 0; i < m->params.n; i++)
		if (!valid_param(m->params.items[i])) {
			problem(c, 0, LIN_ESCHEMA, list_item(map, "params", i),
			        "bad size '%.64s' (expected a number with K, M, B or T, e.g. 7B, 1.6T, 8x7B)", m->params.items[i]);
			bad = 1;
		}
	size_t k = 0;
	for (size_t i = 0; i < m->links.n; i++) {
		if (is_http_url(m->links.items[i]))
			m->links.items[k++] = m->links.items[i];
		else
			problem(c, 1, LIN_ESCHEMA, list_item(map, "links", i),
			        "link '%.64s' of '%.64s' is not http(s); dropped", m->links.items[i], m->id);
	}
	m->links.n = k;
	return bad ? -1 : 0;
}

static int parse_fields(entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	int bad = 0;
	bad |= get_text(c, map, "id", &m->id) != 0;
	bad |= get_text(c, map, "name", &m->name) != 0;
	bad |= get_text(c, map, "org", &m->org) != 0;
	bad |= get_text(c, map, "released", &m->released) != 0;
	bad |= get_text(c, map, "license", &m->license) != 0;
	bad |= get_text(c, map, "license_note", &m->license_note) != 0;
	bad |= get_text(c, map, "training_data", &m->training_data) != 0;
	bad |= get_list(c, map, "aliases", &m->aliases) != 0;
	bad |= get_list(c, map, "params", &m->params) != 0;
	bad |= get_list(c, map, "languages", &m->languages) != 0;
	bad |= get_list(c, map, "links", &m->links) != 0;
	bad |= get_list(c, map, "sources", &m->sources) != 0;
	return bad ? -1 : 0;
}

/* Checks the fields every entry must have. */
static int check_required(entry_ctx *c, const lin_ynode *map, lin_model *m)
{
	int bad = 0;
	if (!m->id) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "id") ? map_get(map, "id") : map,
		        "a model entry needs 'id'");
		bad = 1;
	} else if (!valid_id(m->id)) {
		problem(c, 0, LIN_ESCHEMA, map_get(map, "id"),
		        "bad id '%.64s' (expected lowercase letters, digits, '.', '_', '/', '-', starting with a letter or digit)", m->id);
		bad = 1;
	}
	if (!m->name && m->id)
		m->name = m->id;
	/* absent or empty; a malformed value has been reported already */
	const lin_ynode *sv = map_get(map, "sources");
	int no_sources = !sv || (sv->type == LIN_Y_SCALAR && sv->is_null) ||
	                 (sv->type == LIN_Y_SEQ && sv->n == 0);
	if (!bad && no_sources) {
		problem(c, 0, LIN_ESCHEMA, map, "model '%.64s' needs 'sources' (a seed file or URL)", m->id);
		bad = 1;
	}
	return bad ? -1 : 0;
}

static int grow_models(lin_catalog *cat)
{
	if (cat->n < cat->cap)
		return 0;
	size_t cap = cat->cap ? cat->cap * 2 : 64;
	lin_model *m = realloc(cat->models, cap * sizeof(*m));
	if (!m)
		return LIN_ENOMEM;
	cat->models = m;
	cat->cap = cap;
	return 0;
}

int lin_catalog_append(lin_catalog *cat, const lin_model *m)
{
	if (cat->finished || grow_models(cat) != 0)
		return cat->finished ? LIN_EINVAL : LIN_ENOMEM;
	cat->models[cat->n++] = *m;
	return 0;
}

/* Called for each top-level item: parse, check, and keep it if clean. */
static int on_entry(void *ctx, const lin_ynode *item, lin_error *err)
{
	entry_ctx *c = ctx;
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
	bad |= check_keys(c, item, entry_keys, "a model entry");
	bad |= parse_fields(c, item, &m) != 0;
	bad |= check_required(c, item, &m) != 0;
	bad |= parse_kinds(c, item, &m) != 0;
	bad |= parse_parents(c, item, &m) != 0;
	bad |= check_formats(c, item, &m) != 0;
	if (bad)
		return 0; /* reported; go on with the next entry */
	if (lin_catalog_append(c->cat, &m) != 0)
		return lin_fail(err, LIN_ENOMEM, c->file, item->line, item->col, "out of memory");
	return 0;
}

const char *lin_catalog_intern_file(lin_catalog *cat, const char *name)
{
	char **files = realloc(cat->files, (cat->nfiles + 1) * sizeof(char *));
	if (!files)
		return NULL;
	cat->files = files;
	char *copy = strdup(name);
	if (!copy)
		return NULL;
	cat->files[cat->nfiles++] = copy;
	return copy;
}

/* ---- big files in pieces --------------------------------------------------
 * libyaml parses ~50 MB/s on one core, so a million-model file takes
 * seconds. A catalog is a list whose entries start at column 0 with "- ",
 * so a big file is cut at such lines and the pieces are parsed on separate
 * threads into catalogs of their own, then merged in order. If any piece
 * meets a syntax error (a cut inside something unusual), the file is parsed
 * again whole, so messages are always those of a plain parse. */

#define SPLIT_MIN_BYTES ((size_t)8 << 20)
#define SPLIT_MAX_PIECES 8

typedef struct piece {
	const char *data;
	size_t len;
	int line0;
	const char *file;
	lin_catalog *cat;
	lin_diags diags;
	lin_error first, perr;
	int nerrors, perr_rc;
} piece;

/* Parses one piece into its own catalog (a thread's whole job). */
static void *parse_piece(void *arg)
{
	piece *p = arg;
	entry_ctx c;
	memset(&c, 0, sizeof(c));
	c.cat = p->cat;
	c.file = p->file;
	c.diags = &p->diags;
	p->perr_rc = lin_yaml_each_item_at(p->file, p->data, p->len, p->line0, on_entry, &c, &p->perr);
	p->first = c.first;
	p->nerrors = c.nerrors;
	return NULL;
}

/* 1 when data is a plain block list of entries: its first line that is
 * not blank or a comment starts with "- ", and no line is a document
 * marker. Anything else is parsed whole. */
static int splittable(const char *d, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && d[e] != '\n')
			e++;
		size_t j = i;
		while (j < e && (d[j] == ' ' || d[j] == '\r'))
			j++;
		if (j < e && d[j] != '#')
			return e - i >= 2 && d[i] == '-' && d[i + 1] == ' ';
		i = e + 1;
	}
	return 0;
}

/* The first newline at or after d + from that is followed by pfx, or NULL. */
static const char *line_starting(const char *d, size_t from, size_t len, const char *pfx)
{
	size_t n = strlen(pfx);
	for (const char *p = d + from, *end = d + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		if ((size_t)(end - p - 1) >= n && memcmp(p + 1, pfx, n) == 0)
			return p;
	return NULL;
}

/* Cuts at k-1 lines starting with "- ", near equal shares; returns the
 * number of pieces (1: no cut). */
static size_t cut_points(const char *d, size_t len, size_t *cuts, size_t k)
{
	size_t n = 0, prev = 0;
	if (line_starting(d, 0, len, "---") || line_starting(d, 0, len, "...") || d[0] == '%')
		return 1;
	for (size_t i = 1; i < k; i++) {
		size_t at = len / k * i;
		if (at <= prev)
			continue;
		const char *hit = line_starting(d, at, len, "- ");
		if (!hit)
			break;
		cuts[n++] = prev = (size_t)(hit - d) + 1;
	}
	return n + 1;
}

static int count_lines(const char *d, size_t n)
{
	int lines = 0;
	for (const char *p = d, *end = d + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	return lines;
}

/* Moves a piece's models and strings into cat. */
static int adopt_piece(lin_catalog *cat, piece *p)
{
	lin_arena *a = realloc(cat->adopted, (cat->nadopted + 1) * sizeof(*a));
	if (!a)
		return LIN_ENOMEM;
	cat->adopted = a;
	cat->adopted[cat->nadopted++] = p->cat->arena;
	p->cat->arena.head = NULL;
	for (size_t i = 0; i < p->cat->n; i++)
		if (lin_catalog_append(cat, &p->cat->models[i]) != 0)
			return LIN_ENOMEM;
	return 0;
}

/* Parses data in pieces on threads. Returns 1 when it did (results merged
 * into cat, diags, *first, *nerrors), 0 when the caller must parse whole,
 * or a negative code. */
static int load_in_pieces(lin_catalog *cat, const char *file, const char *data, size_t len,
                          lin_diags *diags, lin_error *first, int *nerrors)
{
	size_t cuts[SPLIT_MAX_PIECES], k = 0, done_ok = 1;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	piece ps[SPLIT_MAX_PIECES];
	int rc = 1;
	if (len < SPLIT_MIN_BYTES || ncpu < 2 || !splittable(data, len))
		return 0;
	k = cut_points(data, len, cuts, ncpu < SPLIT_MAX_PIECES ? (size_t)ncpu : SPLIT_MAX_PIECES);
	if (k < 2)
		return 0;
	memset(ps, 0, sizeof(ps));
	for (size_t i = 0; i < k; i++) {
		size_t from = i ? cuts[i - 1] : 0, to = i + 1 < k ? cuts[i] : len;
		ps[i].data = data + from;
		ps[i].len = to - from;
		ps[i].line0 = i ? ps[i - 1].line0 + count_lines(ps[i - 1].data, ps[i - 1].len) : 0;
		ps[i].file = file;
		if (lin_catalog_new(&ps[i].cat, NULL) != 0)
			done_ok = 0;
	}
	if (done_ok)
		lin_run_parallel(parse_piece, ps, sizeof(ps[0]), k);
	for (size_t i = 0; i < k; i++)
		done_ok &= ps[i].perr_rc == 0;
	for (size_t i = 0; i < k && done_ok && rc == 1; i++) {
		lin_diags_append(diags, &ps[i].diags);
		if (ps[i].nerrors && (*nerrors)++ == 0)
			*first = ps[i].first;
		*nerrors += ps[i].nerrors ? ps[i].nerrors - 1 : 0;
		if (adopt_piece(cat, &ps[i]) != 0)
			rc = LIN_ENOMEM;
	}
	for (size_t i = 0; i < k; i++) {
		lin_diags_dispose(&ps[i].diags);
		lin_catalog_free(ps[i].cat);
	}
	return done_ok ? rc : 0;
}

int lin_catalog_load_buffer(lin_catalog *cat, const char *name,
                            const char *data, size_t len, lin_diags *diags,
                            lin_error *err)
{
	entry_ctx c;
	lin_error perr;
	memset(&c, 0, sizeof(c));
	lin_error_clear(&perr);
	if (cat->finished)
		return lin_fail(err, LIN_EINVAL, name, 0, 0, "the catalog is already finished");
	c.cat = cat;
	c.diags = diags;
	c.file = lin_catalog_intern_file(cat, name ? name : "<input>");
	if (!c.file)
		return lin_fail(err, LIN_ENOMEM, name, 0, 0, "out of memory");
	if (len > LIN_MAX_FILE_BYTES)
		return lin_fail(err, LIN_ELIMIT, c.file, 0, 0, "input of %zu bytes; the limit is %zu", len, LIN_MAX_FILE_BYTES);
	int rc = load_in_pieces(cat, c.file, data, len, diags, &c.first, &c.nerrors);
	if (rc < 0)
		return lin_fail(err, rc, c.file, 0, 0, "out of memory");
	if (rc == 0)
		rc = lin_yaml_each_item(c.file, data, len, on_entry, &c, &perr);
	else
		rc = 0;
	if (rc) {
		/* a syntax error or limit: it ends this file; keep it after any
		 * schema problems found before it */
		lin_diags_add(diags, &perr, 0);
		if (c.nerrors++ == 0)
			c.first = perr;
	}
	if (c.nerrors) {
		if (err)
			*err = c.first;
		return c.first.code ? c.first.code : LIN_ESCHEMA;
	}
	return 0;
}

static int has_yaml_suffix(const char *s)
{
	size_t n = strlen(s);
	return s[0] != '.' && ((n > 5 && strcmp(s + n - 5, ".yaml") == 0) ||
	                       (n > 4 && strcmp(s + n - 4, ".yml") == 0));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int load_file(lin_catalog *cat, const char *path, lin_diags *diags, lin_error *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc = lin_read_file(&data, &len, path, LIN_MAX_FILE_BYTES, err);
	if (rc) {
		lin_diags_add(diags, err, 0);
		return rc;
	}
	rc = lin_catalog_load_buffer(cat, path, data, len, diags, err);
	free(data);
	return rc;
}

int lin_catalog_list_dir(char ***out, size_t *count, const char *dir, lin_error *err)
{
	int rc = 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(dir);
	if (!d) {
		rc = lin_fail(err, LIN_EIO, dir, 0, 0, "cannot open directory: %s", strerror(errno));
		goto done;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!has_yaml_suffix(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(char *));
			if (!nn) {
				rc = lin_fail(err, LIN_ENOMEM, dir, 0, 0, "out of memory");
				goto done;
			}
			names = nn;
		}
		size_t need = strlen(dir) + strlen(de->d_name) + 2;
		if (!(names[n] = malloc(need))) {
			rc = lin_fail(err, LIN_ENOMEM, dir, 0, 0, "out of memory");
			goto done;
		}
		snprintf(names[n++], need, "%s%s%s", dir,
		         dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
	}
	if (n == 0)
		rc = lin_fail(err, LIN_EIO, dir, 0, 0, "no *.yaml files in this directory");
	else
		qsort(names, n, sizeof(char *), cmp_str);
done:
	if (d)
		closedir(d);
	if (rc) {
		lin_strv_free(names, n);
		names = NULL;
		n = 0;
	}
	*out = names;
	*count = n;
	return rc;
}

void lin_strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* Loads every *.yaml / *.yml file of dir, in sorted order. */
static int load_dir(lin_catalog *cat, const char *dir, lin_diags *diags, lin_error *err)
{
	int first = 0;
	char **names = NULL;
	size_t n = 0;
	int rc = lin_catalog_list_dir(&names, &n, dir, err);
	if (rc) {
		lin_diags_add(diags, err, 0);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		lin_error e;
		int r = load_file(cat, names[i], diags, &e);
		if (r && !first) {
			first = r;
			if (err)
				*err = e;
		}
	}
	lin_strv_free(names, n);
	return first;
}

int lin_catalog_load_path(lin_catalog *cat, const char *path, lin_diags *diags,
                          lin_error *err)
{
	struct stat st;
	lin_error local;
	if (!err) /* the error is also copied into diags, so it needs a home */
		err = &local;
	if (stat(path, &st) != 0) {
		int rc = lin_fail(err, LIN_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
		lin_diags_add(diags, err, 0);
		return rc;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(cat, path, diags, err);
	return load_file(cat, path, diags, err);
}

int lin_catalog_new(lin_catalog **out, lin_error *err)
{
	lin_igraph_init();
	*out = calloc(1, sizeof(lin_catalog));
	if (!*out)
		return lin_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

void lin_catalog_free(lin_catalog *cat)
{
	if (!cat)
		return;
	if (cat->has_graph)
		igraph_destroy(&cat->graph);
	if (cat->has_graph && !cat->borrowed) {
		igraph_vector_int_destroy(&cat->edge_rel);
		igraph_vector_int_destroy(&cat->edge_model);
		igraph_vector_int_destroy(&cat->edge_index);
	}
	lin_index_dispose(cat);
	for (size_t i = 0; i < cat->nfiles && !cat->borrowed; i++)
		free(cat->files[i]);
	free(cat->files);
	lin_cache_release(cat);
	free(cat->models);
	lin_arena_dispose(&cat->arena);
	for (size_t i = 0; i < cat->nadopted; i++)
		lin_arena_dispose(&cat->adopted[i]);
	free(cat->adopted);
	free(cat);
}

igraph_integer_t lin_catalog_count(const lin_catalog *cat)
{
	return (igraph_integer_t)cat->n;
}

const lin_model *lin_catalog_model(const lin_catalog *cat, igraph_integer_t v)
{
	if (v < 0 || (size_t)v >= cat->n)
		return NULL;
	if (cat->image && !atomic_load_explicit(&cat->ready[v], memory_order_acquire))
		lin_cache_materialize(cat, v);
	return &cat->models[v];
}
