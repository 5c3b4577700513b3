/*
 * load.c - reads catalog files and buffers into a catalog: one file, or
 * every *.yaml file of a directory in sorted order; a big file is parsed
 * in pieces on threads. Each entry goes through entry.c's schema checks.
 */
#include "load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	lin_entry_ctx c;
	memset(&c, 0, sizeof(c));
	c.cat = p->cat;
	c.file = p->file;
	c.diags = &p->diags;
	p->perr_rc = lin_i_yaml_each_item_at(p->file, p->data, p->len, p->line0, lin_i_load_entry, &c, &p->perr);
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
	if (lin_i_catalog_adopt_arena(cat, p->cat) != 0 || lin_i_catalog_take_models(cat, p->cat) != 0)
		return LIN_ENOMEM;
	for (size_t i = 0; i < p->cat->nskipped; i++)
		if (lin_i_catalog_skip(cat, p->cat->skipped[i]) != 0)
			return LIN_ENOMEM;
	return 0;
}

/* Parses data in pieces on threads. Returns 1 when it did (results merged
 * into cat, diags, *first, *nerrors), 0 when the caller must parse whole,
 * or a negative code. When owned is not NULL, *owned is data's buffer,
 * freed (and set NULL) once the pieces are parsed: the models hold copies
 * of their strings, and at a million models the file's 169 MB would
 * otherwise sit beside both the pieces' and the merged model arrays. */
static int load_in_pieces(lin_catalog *cat, const char *file, const char *data, size_t len,
                          lin_diags *diags, lin_error *first, int *nerrors, char **owned)
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
		lin_i_run_parallel(parse_piece, ps, sizeof(ps[0]), k);
	for (size_t i = 0; i < k; i++)
		done_ok &= ps[i].perr_rc == 0;
	if (done_ok && owned) {
		free(*owned);
		*owned = NULL;
	}
	for (size_t i = 0; i < k && done_ok && rc == 1; i++) {
		lin_i_diags_append(diags, &ps[i].diags);
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

/* lin_catalog_load_buffer; owned as load_in_pieces takes it. */
static int load_buffer(lin_catalog *cat, const char *name, const char *data, size_t len,
                       lin_diags *diags, lin_error *err, char **owned)
{
	lin_entry_ctx c;
	lin_error perr;
	memset(&c, 0, sizeof(c));
	lin_error_clear(&perr);
	if (cat->finished)
		return lin_i_fail(err, LIN_EINVAL, name, 0, 0, "the catalog is already finished");
	c.cat = cat;
	c.diags = diags;
	c.file = lin_i_catalog_intern_file(cat, name ? name : "<input>");
	if (!c.file)
		return lin_i_fail(err, LIN_ENOMEM, name, 0, 0, "out of memory");
	if (len > LIN_MAX_FILE_BYTES) {
		cat->lost = 1;
		return lin_i_fail(err, LIN_ELIMIT, c.file, 0, 0, "input of %zu bytes; the limit is %zu", len, LIN_MAX_FILE_BYTES);
	}
	int rc = load_in_pieces(cat, c.file, data, len, diags, &c.first, &c.nerrors, owned);
	if (rc < 0)
		return lin_i_fail(err, rc, c.file, 0, 0, "out of memory");
	if (rc == 0)
		rc = lin_i_yaml_each_item(c.file, data, len, lin_i_load_entry, &c, &perr);
	else
		rc = 0;
	if (rc) {
		/* a syntax error or limit: it ends this file; keep it after any
		 * schema problems found before it */
		cat->lost = 1;
		lin_i_diags_add(diags, &perr, 0);
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

int lin_catalog_load_buffer(lin_catalog *cat, const char *name,
                            const char *data, size_t len, lin_diags *diags,
                            lin_error *err)
{
	return load_buffer(cat, name, data, len, diags, err, NULL);
}

static int load_file(lin_catalog *cat, const char *path, lin_diags *diags, lin_error *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc = lin_read_file(&data, &len, path, LIN_MAX_FILE_BYTES, err);
	if (rc) {
		cat->lost = 1;
		lin_i_diags_add(diags, err, 0);
		return rc;
	}
	rc = load_buffer(cat, path, data, len, diags, err, &data);
	free(data);
	return rc;
}

/* Loads every *.yaml / *.yml file of dir, in sorted order. */
static int load_dir(lin_catalog *cat, const char *dir, lin_diags *diags, lin_error *err)
{
	int first = 0;
	char **names = NULL;
	size_t n = 0;
	int rc = lin_i_catalog_list_dir(&names, &n, dir, err);
	if (rc) {
		cat->lost = 1;
		lin_i_diags_add(diags, err, 0);
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
	lin_i_strv_free(names, n);
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
		cat->lost = 1;
		int rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
		lin_i_diags_add(diags, err, 0);
		return rc;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(cat, path, diags, err);
	return load_file(cat, path, diags, err);
}

