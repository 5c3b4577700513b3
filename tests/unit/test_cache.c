/*
 * test_cache.c - the binary index cache (cache.c): a cached catalog answers
 * exactly as a parsed one; an image is used only while its files are
 * unchanged (a touch refreshes it, an edit rebuilds it); a catalog with
 * errors is never cached; a damaged image (truncated, any byte changed) is
 * rejected or read safely, never trusted into a crash; two processes
 * building the same image at once both succeed and leave one image; a
 * cache directory or image someone else can write is neither used nor
 * written; an image truncated under an open catalog changes nothing; the
 * temporary files of dead builds are swept and cleared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"

#include "lineage.h"
#include "cache/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/types.h>
#include <dirent.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

/* A scratch directory with a catalog file and a cache directory. */
typedef struct scratch {
	char dir[256], cat[300], cache[300];
} scratch;

static const char *const CATALOG =
	"- {id: base, name: Base, stage: pretrained, license: llama2, sources: [s]}\n"
	"- id: chat\n"
	"  name: Base Chat\n"
	"  aliases: [BC]\n"
	"  stage: sft\n"
	"  license: mit\n"
	"  params: [7B]\n"
	"  sources: [s, \"https://example.org/x\"]\n"
	"  parents:\n"
	"    - {model: base, relation: finetune, variant: 7B, note: n, sources: [s]}\n"
	"- {id: q, stage: quantized, sources: [s], parents: [{model: Base Chat, relation: quantized, sources: [s], inferred: true}]}\n"
	"- {id: m, stage: merged, sources: [s], parents: [{model: chat, relation: merge, sources: [s]}, {model: base, relation: merge, sources: [s]}]}\n";

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	scratch *s = calloc(1, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/lineage-test-cache-XXXXXX");
	if (!s || !mkdtemp(s->dir))
		return -1;
	snprintf(s->cat, sizeof(s->cat), "%s/catalog.yaml", s->dir);
	snprintf(s->cache, sizeof(s->cache), "%s/cache", s->dir);
	write_text(s->cat, CATALOG);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	scratch *s = *state;
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	int rc = system(cmd);
	free(s);
	return rc == 0 ? 0 : -1;
}

static lin_catalog *open_cached(const char *path, const char *cache, lin_cache_status *st,
                                lin_diags *d)
{
	lin_catalog *cat = NULL;
	lin_error e;
	const char *paths[1] = {path};
	if (lin_catalog_open_cached(&cat, paths, 1, cache, st, d, &e) != 0)
		fail_msg("open_cached %s: %s", path, e.msg);
	return cat;
}

/* Everything a user can ask of a catalog, as text: every model in full
 * JSON, descendants and ancestors of each, roots and statistics. */
static void dump(lin_buf *b, const lin_catalog *cat)
{
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	for (igraph_integer_t v = 0; v < lin_catalog_count(cat); v++) {
		lin_hits h = {NULL, 0};
		const lin_model *m = lin_catalog_model(cat, v);
		lin_export_model_json(b, cat, v, 1);
		lin_buf_printf(b, "\n%s:%d:%d ext=%d\n", m->pos.file, m->pos.line, m->pos.col,
		               m->external);
		for (size_t j = 0; j < m->nparents; j++)
			lin_buf_printf(b, " parent %s %s:%d:%d ext=%d inferred=%d\n", m->parents[j].ref,
			               m->parents[j].pos.file, m->parents[j].pos.line,
			               m->parents[j].pos.col, m->parents[j].allow_external,
			               m->parents[j].inferred);
		assert_int_equal(lin_query_reach(&h, cat, v, IGRAPH_OUT, &o, &e), 0);
		lin_export_hits_json(b, cat, &h);
		lin_hits_dispose(&h);
		assert_int_equal(lin_query_reach(&h, cat, v, IGRAPH_IN, &o, &e), 0);
		lin_export_hits_json(b, cat, &h);
		lin_hits_dispose(&h);
	}
	lin_roots r = {NULL, 0};
	assert_int_equal(lin_query_roots(&r, cat, &o, &e), 0);
	for (size_t i = 0; i < r.n; i++)
		lin_buf_printf(b, "root %lld %lld\n", (long long)r.items[i].vertex,
		               (long long)r.items[i].total);
	lin_roots_dispose(&r);
	lin_stats st;
	assert_int_equal(lin_query_stats(&st, cat, &o, &e), 0);
	lin_buf_printf(b, "stats %lld %lld %lld %lld\n", (long long)st.models,
	               (long long)st.edges, (long long)st.roots, (long long)st.components);
	lin_stats_dispose(&st);
	for (igraph_integer_t e2 = 0; e2 < igraph_ecount(lin_catalog_graph(cat)); e2++)
		lin_buf_printf(b, "edge %lld %s\n", (long long)e2,
		               lin_relation_name(lin_catalog_edge_relation(cat, e2)));
}

static void assert_same_answers(const lin_catalog *a, const lin_catalog *b)
{
	lin_buf x = LIN_BUF_INIT, y = LIN_BUF_INIT;
	dump(&x, a);
	dump(&y, b);
	assert_false(x.oom || y.oom);
	assert_string_equal(x.data, y.data);
	lin_buf_dispose(&x);
	lin_buf_dispose(&y);
}

static void test_cached_answers_match(void **state, const char *path)
{
	scratch *s = *state;
	lin_cache_status st;
	lin_catalog *fresh = th_load_path(path);
	lin_catalog *cold = open_cached(path, s->cache, &st, NULL);
	assert_false(st.hit);
	assert_true(st.written);
	lin_catalog *warm = open_cached(path, s->cache, &st, NULL);
	if (!st.hit)
		fail_msg("missed: %s", st.why);
	assert_false(st.written);
	assert_non_null(warm->store);
	assert_same_answers(fresh, cold);
	assert_same_answers(fresh, warm);
	/* names, aliases and near misses resolve alike */
	const char *names[] = {"Base Chat", "bc", "CHAT", "base chat", "chta", "zzz", "q"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		igraph_integer_t v1 = -2, v2 = -2;
		lin_error e1, e2;
		int r1 = lin_catalog_find(&v1, fresh, names[i], &e1);
		int r2 = lin_catalog_find(&v2, warm, names[i], &e2);
		assert_int_equal(r1, r2);
		assert_int_equal(v1, v2);
		if (r1)
			assert_string_equal(e1.msg, e2.msg);
	}
	lin_catalog_free(fresh);
	lin_catalog_free(cold);
	lin_catalog_free(warm);
}

static void test_small_catalog(void **state)
{
	test_cached_answers_match(state, ((scratch *)*state)->cat);
}

static void test_shipped_catalog(void **state)
{
	test_cached_answers_match(state, FIXTURES "/../../data");
}

static void test_mini_fixture(void **state)
{
	test_cached_answers_match(state, FIXTURES "/mini");
}


/* Warnings of the load come back from the image on every open. */
static void test_warnings_kept(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	lin_diags d1, d2;
	lin_diags_init(&d1);
	lin_diags_init(&d2);
	lin_catalog_free(open_cached(s->cat, s->cache, &st, &d1));
	lin_catalog_free(open_cached(s->cat, s->cache, &st, &d2));
	assert_true(st.hit);
	assert_int_equal(d1.n, 1); /* licence drift: mit chat from llama2 base */
	assert_int_equal(d2.n, d1.n);
	char a[2048], b[2048];
	assert_string_equal(lin_error_format(&d1.items[0], a, sizeof(a)),
	                    lin_error_format(&d2.items[0], b, sizeof(b)));
	assert_true(d2.is_warning[0]);
	lin_diags_dispose(&d1);
	lin_diags_dispose(&d2);
}

/* What a progress callback was told, in order ("parse+ finish- ..."). */
typedef struct heard {
	char log[512];
	int calls;
} heard;

static void listen(void *ctx, const char *phase, const char *file, uint64_t done,
                   uint64_t total)
{
	heard *h = ctx;
	size_t n = strlen(h->log);
	assert_true(done <= total);
	(void)file;
	snprintf(h->log + n, sizeof(h->log) - n, "%s%s%s", n ? " " : "", phase,
	         done < total ? "-" : "+");
	h->calls++;
}

/* lin_open_opts.progress hears every phase of an open: a build parses,
 * finishes and writes the image; a warm open reads the image, and nothing
 * else; without a cache the parse and the finish. */
static void test_progress(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	heard h1, h2;
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	lin_open_opts o = LIN_OPEN_OPTS_INIT;
	const char *paths[] = {s->cat};
	lin_catalog *cat = NULL;
	o.cache_dir = s->cache;
	o.status = &st;
	o.progress = listen;
	o.progress_ctx = &h1;
	assert_int_equal(lin_catalog_open(&cat, paths, 1, &o, NULL, NULL), 0);
	assert_true(st.written);
	/* no cache directory yet: nothing to open */
	assert_string_equal(h1.log, "parse- parse+ finish- finish+ image- image+");
	lin_catalog_free(cat);
	o.progress_ctx = &h2;
	assert_int_equal(lin_catalog_open(&cat, paths, 1, &o, NULL, NULL), 0);
	assert_true(st.hit);
	assert_string_equal(h2.log, "open- open+");
	assert_int_equal(lin_catalog_count(cat), 4);
	lin_catalog_free(cat);
	/* without a cache: parse and finish only */
	memset(&h1, 0, sizeof(h1));
	o.cache_dir = NULL;
	o.progress_ctx = &h1;
	assert_int_equal(lin_catalog_open(&cat, paths, 1, &o, NULL, NULL), 0);
	assert_string_equal(h1.log, "parse- parse+ finish- finish+");
	lin_catalog_free(cat);
}

static void set_mtime(const char *path, time_t when)
{
	struct timespec ts[2] = {{when, 0}, {when, 0}};
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* A touched file (same content) refreshes the image; an edited one of the
 * same size rebuilds it; so does one of another size. */
static void test_invalidation(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	time_t old = time(NULL) - 3600;
	set_mtime(s->cat, old);
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	if (!st.hit)
		fail_msg("missed: %s", st.why);
	assert_false(st.written);
	set_mtime(s->cat, old + 60); /* touched: content hash decides */
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	assert_true(st.hit);
	assert_true(st.written); /* refreshed with the new stat data */
	lin_catalog *fresh = th_load_path(s->cat), *warm = open_cached(s->cat, s->cache, &st, NULL);
	assert_true(st.hit);
	assert_false(st.written);
	assert_same_answers(fresh, warm); /* the refreshed image is the whole catalog */
	lin_catalog_free(fresh);
	lin_catalog_free(warm);
	/* same size, different content, same mtime as recorded */
	char *edited = strdup(CATALOG);
	*strstr(edited, "Base Chat") = 'b';
	write_text(s->cat, edited);
	set_mtime(s->cat, old + 60);
	lin_catalog *cat = open_cached(s->cat, s->cache, &st, NULL);
	assert_false(st.hit);
	assert_true(st.written);
	assert_string_equal(st.why, "a catalog file changed");
	igraph_integer_t v;
	lin_error e;
	assert_int_equal(lin_catalog_find(&v, cat, "base Chat", &e), 0);
	assert_string_equal(lin_catalog_model(cat, v)->name, "base Chat");
	lin_catalog_free(cat);
	free(edited);
	/* another file size */
	write_text(s->cat, "- {id: solo, stage: pretrained, sources: [s]}\n");
	cat = open_cached(s->cat, s->cache, &st, NULL);
	assert_false(st.hit);
	assert_int_equal(lin_catalog_count(cat), 1);
	lin_catalog_free(cat);
}

/* A directory catalog: a file added or removed is a change. */
static void test_directory_files(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	char extra[400];
	lin_catalog_free(open_cached(s->dir, s->cache, &st, NULL));
	lin_catalog_free(open_cached(s->dir, s->cache, &st, NULL));
	assert_true(st.hit);
	snprintf(extra, sizeof(extra), "%s/zz.yaml", s->dir);
	write_text(extra, "- {id: extra, stage: pretrained, sources: [s]}\n");
	lin_catalog *cat = open_cached(s->dir, s->cache, &st, NULL);
	assert_false(st.hit);
	assert_string_equal(st.why, "the catalog's files changed");
	assert_int_equal(lin_catalog_count(cat), 5);
	lin_catalog_free(cat);
	unlink(extra);
	cat = open_cached(s->dir, s->cache, &st, NULL);
	assert_false(st.hit);
	assert_int_equal(lin_catalog_count(cat), 4);
	lin_catalog_free(cat);
}

/* A catalog with errors fails as before and writes no image. */
static void test_errors_not_cached(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	lin_catalog *cat = NULL;
	lin_diags d;
	lin_error e;
	const char *paths[1] = {s->cat};
	write_text(s->cat, "- {id: a, stage: sft, sources: [s], parents: [{model: nobody, relation: finetune, sources: [s]}]}\n");
	lin_diags_init(&d);
	assert_int_equal(lin_catalog_open_cached(&cat, paths, 1, s->cache, &st, &d, &e), LIN_EREF);
	assert_null(cat);
	assert_false(st.written);
	assert_int_equal(lin_diags_errors(&d), 1);
	lin_diags_dispose(&d);
	struct stat sb;
	assert_int_not_equal(stat(st.path, &sb), 0);
}

static char *read_all(const char *path, size_t *len)
{
	char *data = NULL;
	lin_error e;
	assert_int_equal(lin_read_file(&data, len, path, (size_t)1 << 30, &e), 0);
	return data;
}

/* Uses every part of a catalog opened from a (damaged) image. */
static void exercise(const lin_catalog *cat)
{
	lin_buf b = LIN_BUF_INIT;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	igraph_integer_t v;
	for (igraph_integer_t i = 0; i < lin_catalog_count(cat); i++) {
		lin_hits h = {NULL, 0};
		lin_export_model_json(&b, cat, i, 1);
		lin_export_tree(&b, cat, i, IGRAPH_IN, &o, &e);
		if (lin_query_reach(&h, cat, i, IGRAPH_OUT, &o, &e) == 0)
			lin_export_hits_json(&b, cat, &h);
		lin_hits_dispose(&h);
	}
	lin_catalog_find(&v, cat, "base chat", &e);
	lin_catalog_find(&v, cat, "nothing like it", &e);
	lin_roots r = {NULL, 0};
	if (lin_query_roots(&r, cat, &o, &e) == 0)
		lin_roots_dispose(&r);
	lin_stats st;
	lin_query_stats(&st, cat, &o, &e);
	lin_stats_dispose(&st);
	lin_buf_dispose(&b);
}

/* Every truncation and every single-byte change of an image: rejected, or
 * read without a fault (the sanitizers watch). */
static void test_damaged_images(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	size_t len;
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	char *img = read_all(st.path, &len);
	uint64_t *copy = malloc(len + 8); /* 8-byte aligned */
	size_t rejected = 0, loaded = 0;
	for (size_t cut = 0; cut < len; cut += 7) {
		lin_catalog *cat = NULL;
		lin_error e;
		memcpy(copy, img, cut);
		if (lin_cache_load_image(&cat, copy, cut, NULL, &e) == 0)
			fail_msg("a truncated image (%zu of %zu bytes) was accepted", cut, len);
		rejected++;
	}
	for (size_t at = 0; at < len; at++) {
		static const unsigned char flips[] = {0xff, 0x01, 0x80};
		lin_catalog *cat = NULL;
		lin_error e;
		memcpy(copy, img, len);
		((unsigned char *)copy)[at] ^= flips[at % 3];
		if (lin_cache_load_image(&cat, copy, len, NULL, &e) != 0) {
			rejected++;
			continue;
		}
		loaded++;
		exercise(cat);
		lin_catalog_free(cat);
	}
	assert_true(rejected > 0 && loaded > 0);
	/* a damaged image on disk is rebuilt transparently */
	((unsigned char *)copy)[len / 2] ^= 0xff;
	memcpy(copy, img, 16); /* keep the magic */
	FILE *f = fopen(st.path, "w");
	assert_non_null(f);
	fwrite(copy, 1, len / 3, f);
	fclose(f);
	lin_catalog *cat = open_cached(s->cat, s->cache, &st, NULL);
	assert_false(st.hit);
	assert_string_equal(st.why, "truncated");
	assert_true(st.written);
	lin_catalog_free(cat);
	free(copy);
	free(img);
}

/* The image of the scratch catalog with the 32-bit word at byte `at` set
 * to value (or, with or_bits, those bits or'ed into the byte at `at`),
 * loaded: the catalog, or NULL when the image is rejected. copy: the
 * aligned buffer the catalog views. */
static lin_catalog *load_patched(uint64_t *copy, const char *img, size_t len, size_t at,
                                 uint32_t value, unsigned or_bits)
{
	lin_catalog *cat = NULL;
	lin_error e;
	memcpy(copy, img, len);
	if (or_bits)
		((unsigned char *)copy)[at] |= (unsigned char)or_bits;
	else
		memcpy((char *)copy + at, &value, sizeof(value));
	return lin_cache_load_image(&cat, copy, len, NULL, &e) == 0 ? cat : NULL;
}

/* A model's record is checked as it is decoded (build.c): an offset past
 * the records section, offsets running backwards, a record cut short or a
 * mask bit no writer sets each make that model empty (id "?", no parents),
 * never a read out of bounds, and leave the others as they were; the
 * offset table's ends are checked at open. */
static void test_bad_records(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	size_t len;
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	char *img = read_all(st.path, &len);
	uint64_t *copy = malloc(len + 8);
	img_header h;
	memcpy(&h, img, sizeof(h));
	uint32_t off[5];
	assert_int_equal(h.nmodels, 4); /* base, chat, q, m */
	memcpy(off, img + h.off[S_MODELS], sizeof(off));
	size_t table = h.off[S_MODELS];
	const struct {
		size_t at;
		uint32_t value;
		unsigned bits;
		igraph_integer_t bad, good; /* a model that comes out empty, one intact */
		const char *good_id;
	} cases[] = {
		{table + 4, (uint32_t)h.rec_len + 1, 0, 0, 3, "m"}, /* past the section */
		{table + 8, off[1] - 1, 0, 1, 3, "m"},             /* backwards */
		{table + 12, off[3] - 1, 0, 2, 1, "chat"},         /* cut short (and 3
		                                                      starts a byte early) */
		{h.off[S_RECS] + off[1] + 2, 0, 0x80, 1, 3, "m"},  /* an unknown mask bit */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lin_catalog *cat = load_patched(copy, img, len, cases[i].at, cases[i].value, cases[i].bits);
		assert_non_null(cat);
		const lin_model *m = lin_catalog_model(cat, cases[i].bad);
		assert_string_equal(m->id, "?");
		assert_int_equal(m->nparents, 0);
		assert_int_equal(m->stage, LIN_STAGE_UNKNOWN);
		assert_string_equal(lin_catalog_model(cat, cases[i].good)->id, cases[i].good_id);
		assert_int_equal(lin_catalog_model(cat, cases[i].good)->nparents, cases[i].good == 3 ? 2 : 1);
		exercise(cat);
		lin_catalog_free(cat);
	}
	/* the table must end where the records do, and start at 0 */
	assert_null(load_patched(copy, img, len, table + 16, (uint32_t)h.rec_len - 1, 0));
	assert_null(load_patched(copy, img, len, table, 1, 0));
	free(copy);
	free(img);
}

/* Two processes opening a cold cache at once: both load, one image stays,
 * no temporary file is left. */
static void test_race(void **state)
{
	scratch *s = *state;
	pid_t kids[4];
	for (int round = 0; round < 3; round++) {
		char cmd[400];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->cache);
		assert_int_equal(system(cmd), 0);
		for (int k = 0; k < 4; k++) {
			kids[k] = fork();
			assert_true(kids[k] >= 0);
			if (kids[k] == 0) {
				lin_catalog *cat = NULL;
				lin_cache_status st;
				lin_error e;
				const char *paths[1] = {s->cat};
				int rc = lin_catalog_open_cached(&cat, paths, 1, s->cache, &st, NULL, &e);
				rc = rc || lin_catalog_count(cat) != 4;
				lin_catalog_free(cat);
				_exit(rc);
			}
		}
		for (int k = 0; k < 4; k++) {
			int status = 0;
			assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
		snprintf(cmd, sizeof(cmd), "test $(ls '%s' | wc -l) -eq 1", s->cache);
		assert_int_equal(system(cmd), 0);
	}
	lin_cache_status st;
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	assert_true(st.hit);
}

/* ---- trust -------------------------------------------------------------------- */

static void stat_ok(const char *path, struct stat *sb)
{
	if (stat(path, sb) != 0)
		fail_msg("stat %s: %s", path, strerror(errno));
}

/* How many entries a directory holds. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* Opens the (changed) catalog through a cache directory that must be
 * refused with why: answers from the catalog, the image left as it was,
 * nothing written. */
static void assert_dir_refused(scratch *s, const char *img, const char *why)
{
	lin_cache_status st;
	struct stat before, after;
	stat_ok(img, &before);
	int entries = count_entries(s->cache);
	lin_catalog *fresh = th_load_path(s->cat), *cat = open_cached(s->cat, s->cache, &st, NULL);
	assert_false(st.hit);
	assert_false(st.written);
	assert_string_equal(st.why, why);
	assert_same_answers(fresh, cat);
	stat_ok(img, &after);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_mtime, after.st_mtime);
	assert_int_equal(count_entries(s->cache), entries);
	lin_catalog_free(fresh);
	lin_catalog_free(cat);
}

/* A cache directory group or others may write (sticky or not), or that is
 * not the user's, is neither read nor written, even when the catalog
 * changed and its image is stale. */
static void test_untrusted_directory(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	char img[LIN_PATH_MAX];
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	snprintf(img, sizeof(img), "%s", st.path);
	assert_int_equal(chmod(s->cache, 0777), 0);
	assert_dir_refused(s, img, "cache directory refused: writable by group or others (mode 0777)");
	write_text(s->cat, "- {id: solo, stage: pretrained, sources: [s]}\n"); /* stale image */
	assert_dir_refused(s, img, "cache directory refused: writable by group or others (mode 0777)");
	assert_int_equal(chmod(s->cache, 01777), 0);
	assert_dir_refused(s, img, "cache directory refused: writable by group or others (mode 1777)");
	assert_int_equal(chmod(s->cache, 0720), 0);
	assert_dir_refused(s, img, "cache directory refused: writable by group or others (mode 0720)");
	assert_int_equal(chmod(s->cache, 0700), 0);
	if (geteuid() == 0) { /* another owner: only root can set that up */
		char why[200];
		assert_int_equal(chown(s->cache, 65534, (gid_t)-1), 0);
		snprintf(why, sizeof(why), "cache directory refused: owned by uid 65534, not by you (uid 0)");
		assert_dir_refused(s, img, why);
		assert_int_equal(chown(s->cache, 0, (gid_t)-1), 0);
	}
	/* trusted again: the stale image is rebuilt */
	lin_catalog *cat = open_cached(s->cat, s->cache, &st, NULL);
	assert_true(st.written);
	assert_int_equal(lin_catalog_count(cat), 1);
	lin_catalog_free(cat);
	/* a missing directory is created 0700 */
	char sub[LIN_PATH_MAX];
	struct stat sb;
	snprintf(sub, sizeof(sub), "%s/new/deeper", s->cache);
	lin_catalog_free(open_cached(s->cat, sub, &st, NULL));
	assert_true(st.written);
	stat_ok(sub, &sb);
	assert_int_equal(sb.st_mode & 07777, 0700);
}

/* An image group or others may write, or that is not the user's, is not
 * used; the directory being the user's own, it is rebuilt (renamed over:
 * the planted file is replaced, never written through). */
static void test_untrusted_image(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	char img[LIN_PATH_MAX];
	struct stat sb;
	static const struct {
		mode_t mode;
		const char *why;
	} modes[] = {
		{0666, "image refused: writable by group or others (mode 0666)"},
		{0664, "image refused: writable by group or others (mode 0664)"},
		{0646, "image refused: writable by group or others (mode 0646)"},
	};
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	snprintf(img, sizeof(img), "%s", st.path);
	lin_catalog *fresh = th_load_path(s->cat);
	for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++) {
		assert_int_equal(chmod(img, modes[i].mode), 0);
		lin_catalog *cat = open_cached(s->cat, s->cache, &st, NULL);
		assert_false(st.hit);
		assert_string_equal(st.why, modes[i].why);
		assert_true(st.written);
		assert_same_answers(fresh, cat);
		lin_catalog_free(cat);
		stat_ok(img, &sb);
		assert_int_equal(sb.st_mode & 022, 0);
		lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
		assert_true(st.hit);
	}
	if (geteuid() == 0) {
		assert_int_equal(chown(img, 65534, (gid_t)-1), 0);
		lin_catalog *cat = open_cached(s->cat, s->cache, &st, NULL);
		assert_false(st.hit);
		assert_string_equal(st.why, "image refused: owned by uid 65534, not by you (uid 0)");
		assert_true(st.written);
		assert_same_answers(fresh, cat);
		lin_catalog_free(cat);
		stat_ok(img, &sb);
		assert_int_equal(sb.st_uid, 0);
	}
	/* a link in the image's place is not followed */
	char target[LIN_PATH_MAX];
	snprintf(target, sizeof(target), "%s/elsewhere.lcache", s->dir);
	assert_int_equal(rename(img, target), 0);
	assert_int_equal(symlink(target, img), 0);
	lin_catalog *cat = open_cached(s->cat, s->cache, &st, NULL);
	assert_false(st.hit);
	assert_string_equal(st.why, "image refused: a symbolic link");
	assert_true(st.written);
	lin_catalog_free(cat);
	assert_int_equal(lstat(img, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	lin_catalog_free(fresh);
}

/* The image shrinking under an open catalog (truncate(1), another
 * process): a mapping would fault (SIGBUS) on the next record read; the
 * private copy answers as before. */
static void test_image_shrinks(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	lin_catalog *warm = open_cached(s->cat, s->cache, &st, NULL), *fresh = th_load_path(s->cat);
	assert_true(st.hit);
	assert_int_equal(truncate(st.path, 0), 0);
	assert_same_answers(fresh, warm); /* every model built after the cut */
	lin_catalog_free(warm);
	lin_catalog_free(fresh);
	/* and the cut image is rejected and rebuilt */
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	assert_false(st.hit);
	assert_true(st.written);
}

/* ---- images mapped under a lease ------------------------------------------------ */

static void on_lease_break(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	lin_cache_lease_break(info->si_fd);
}

/* Opens path through the cache with the image mapped under a lease whose
 * break signal (SIGIO) this test handles as lineage(1) does. */
static lin_catalog *open_mapped(const char *path, const char *cache, lin_cache_status *st)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_lease_break;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGIO, &sa, NULL), 0);
	lin_open_opts o = LIN_OPEN_OPTS_INIT;
	o.cache_dir = cache;
	o.status = st;
	o.map_signal = SIGIO;
	lin_catalog *cat = NULL;
	lin_error e;
	const char *paths[1] = {path};
	if (lin_catalog_open(&cat, paths, 1, &o, NULL, &e) != 0)
		fail_msg("open %s: %s", path, e.msg);
	return cat;
}

/* A leased mapping answers as the parsed catalog does; an image shrinking
 * under it, from another process or this one, waits for the lease break,
 * which copies the image first: the answers stay as they were, the file
 * is cut, and the next open rebuilds it. Without map_signal no lease is
 * taken (the caller has no handler): the image is copied. */
static void test_image_mapped(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	lin_catalog *plain = open_cached(s->cat, s->cache, &st, NULL);
	assert_true(st.hit);
	assert_int_equal(CACHE_IMAGE(plain)->lease, -1);
	lin_catalog_free(plain);
	for (int self = 0; self < 2; self++) {
		lin_catalog *warm = open_mapped(s->cat, s->cache, &st), *fresh = th_load_path(s->cat);
		assert_true(st.hit);
		if (CACHE_IMAGE(warm)->lease < 0)
			skip(); /* a file system without leases: the copy is test_image_shrinks' */
		if (self) {
			assert_int_equal(truncate(st.path, 0), 0);
		} else {
			pid_t pid = fork();
			assert_true(pid >= 0);
			if (pid == 0)
				_exit(truncate(st.path, 0) == 0 ? 0 : 1);
			int status = 0;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
		struct stat sb;
		assert_int_equal(stat(st.path, &sb), 0);
		assert_int_equal(sb.st_size, 0);
		assert_same_answers(fresh, warm);
		lin_catalog_free(warm);
		lin_catalog_free(fresh);
		lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
		assert_false(st.hit);
		assert_true(st.written);
	}
}

/* A child forked with a mapped image takes its own lease
 * (lin_catalog_after_fork) and reads it as the parent does; one whose file
 * was changed since the open (its ctime moved) refuses, and the catalog is
 * not read. lin_catalog_is_current says whether paths still name it. */
static void test_after_fork(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	const char *paths[] = {s->cat};
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	for (int touched = 0; touched < 2; touched++) {
		lin_catalog *warm = open_mapped(s->cat, s->cache, &st);
		assert_true(st.hit);
		if (CACHE_IMAGE(warm)->lease < 0)
			skip(); /* no leases here: nothing to take over */
		assert_int_equal(lin_catalog_is_current(warm, paths, 1), 1);
		if (touched) /* a chmod to the same mode moves the ctime alone */
			assert_int_equal(chmod(st.path, 0644), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			int ok = lin_catalog_after_fork(warm) == 0;
			if (ok && lin_catalog_count(warm) < 1)
				_exit(3);
			_exit(ok ? 0 : 1);
		}
		int status = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), touched ? 1 : 0);
		lin_catalog_free(warm);
	}
	lin_catalog *fresh = th_load_path(s->cat);
	assert_int_equal(lin_catalog_is_current(fresh, paths, 1), 0); /* not from an image */
	lin_catalog_free(fresh);
}

/* ---- temporary files ----------------------------------------------------------- */

static void make_file(const scratch *s, const char *name, time_t age)
{
	char path[LIN_PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", s->cache, name);
	write_text(path, "partial image");
	if (age)
		set_mtime(path, time(NULL) - age);
}

static int exists(const scratch *s, const char *name)
{
	char path[LIN_PATH_MAX];
	struct stat sb;
	snprintf(path, sizeof(path), "%s/%s", s->cache, name);
	return lstat(path, &sb) == 0;
}

/* A build sweeps the temporary files of builds that died (not written for
 * ten minutes); lin_cache_clear removes the image and every temporary,
 * however recent; both keep anything else: other files, FIFOs, links,
 * other users' files. */
static void test_temporaries(void **state)
{
	scratch *s = *state;
	lin_cache_status st;
	lin_cache_cleared c;
	lin_error e;
	char path[LIN_PATH_MAX];
	const char *paths[1] = {s->cat};
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	const char *img = strrchr(st.path, '/') + 1;
	char legacy_old[64], legacy_new[64];
	snprintf(legacy_old, sizeof(legacy_old), "%s.tmpAbC123", img);
	snprintf(legacy_new, sizeof(legacy_new), "%s.tmpXyZ789", img);
	make_file(s, legacy_old, 3600);
	make_file(s, legacy_new, 0);          /* a build running now */
	make_file(s, ".lineage-tmp-Q1w2E3", 3600);
	make_file(s, ".lineage-tmp-R4t5Y6", 60);
	make_file(s, "notes.txt", 3600);
	make_file(s, "other.lcache.tmp-but-theirs", 3600);
	snprintf(path, sizeof(path), "%s/.lineage-tmp-fifo", s->cache);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/.lineage-tmp-link", s->cache);
	assert_int_equal(symlink(s->cat, path), 0);
	int theirs = geteuid() == 0;
	if (theirs) {
		snprintf(path, sizeof(path), "%s/other.lcache.tmp-but-theirs", s->cache);
		assert_int_equal(chown(path, 65534, (gid_t)-1), 0);
	}
	/* a build (the catalog changed) sweeps only what is old */
	write_text(s->cat, "- {id: solo, stage: pretrained, sources: [s]}\n");
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	assert_true(st.written);
	assert_false(exists(s, legacy_old));
	assert_false(exists(s, ".lineage-tmp-Q1w2E3"));
	assert_true(exists(s, legacy_new));
	assert_true(exists(s, ".lineage-tmp-R4t5Y6"));
	assert_int_equal(exists(s, "other.lcache.tmp-but-theirs"), theirs);
	/* a warm open lists nothing, removes nothing */
	make_file(s, ".lineage-tmp-Old000", 3600);
	lin_catalog_free(open_cached(s->cat, s->cache, &st, NULL));
	assert_true(st.hit);
	assert_true(exists(s, ".lineage-tmp-Old000"));
	/* clearing: the image and every temporary of the user's */
	assert_int_equal(lin_cache_clear(&c, s->cache, paths, 1, &e), 0);
	assert_true(c.image);
	assert_string_equal(c.path, st.path);
	assert_int_equal(c.temporaries, 3);
	assert_int_equal(c.temporary_bytes, 3 * strlen("partial image"));
	assert_false(exists(s, img));
	assert_false(exists(s, legacy_new));
	assert_false(exists(s, ".lineage-tmp-R4t5Y6"));
	assert_false(exists(s, ".lineage-tmp-Old000"));
	assert_true(exists(s, "notes.txt"));
	assert_true(exists(s, ".lineage-tmp-fifo"));
	assert_true(exists(s, ".lineage-tmp-link"));
	assert_int_equal(exists(s, "other.lcache.tmp-but-theirs"), theirs);
	struct stat sb;
	stat_ok(s->cat, &sb); /* the link's target is untouched */
	/* again: nothing left to remove, not an error */
	assert_int_equal(lin_cache_clear(&c, s->cache, paths, 1, &e), 0);
	assert_false(c.image);
	assert_int_equal(c.temporaries, 0);
	/* a refused directory is left alone */
	make_file(s, ".lineage-tmp-Z9z9Z9", 3600);
	assert_int_equal(chmod(s->cache, 0777), 0);
	assert_int_equal(lin_cache_clear(&c, s->cache, paths, 1, &e), LIN_EIO);
	assert_string_equal(e.msg, "cache directory refused: writable by group or others (mode 0777)");
	assert_true(exists(s, ".lineage-tmp-Z9z9Z9"));
	assert_int_equal(chmod(s->cache, 0700), 0);
	/* a missing directory: nothing to do */
	snprintf(path, sizeof(path), "%s/none", s->dir);
	assert_int_equal(lin_cache_clear(&c, path, paths, 1, &e), 0);
	assert_false(c.image);
}

/* The fuzzer's seed images are of the current format: otherwise the fuzzer
 * spends its time on the header check alone. After a format change:
 *   for d in tests/fixtures/mini tests/fixtures/mini/10-base.yaml; do
 *     LINEAGE_CACHE=/tmp/seeds build/lineage cache --data $d; done
 * and copy each /tmp/seeds image to tests/fuzz/corpus/cache/image-N.lcache. */
static void test_fuzz_seeds_current(void **state)
{
	(void)state;
	for (int i = 1; i <= 2; i++) {
		char path[512];
		size_t len;
		lin_catalog *cat = NULL;
		lin_error e;
		snprintf(path, sizeof(path), "%s/../fuzz/corpus/cache/image-%d.lcache", FIXTURES, i);
		char *img = read_all(path, &len);
		uint64_t *copy = malloc(len + 8);
		memcpy(copy, img, len);
		if (lin_cache_load_image(&cat, copy, len, NULL, &e) != 0)
			fail_msg("%s: %s (regenerate the seeds: see this test)", path, e.msg);
		assert_true(lin_catalog_count(cat) > 0);
		lin_catalog_free(cat);
		free(copy);
		free(img);
	}
}

/* The image stores a model's text fields and lists in IMG_STRS and
 * IMG_LISTS slots, in field-table order: a field added to the table needs
 * a slot (and a new IMG_VERSION), or the image would drop it. */
static void test_fields_fit_image(void **state)
{
	(void)state;
	size_t n, texts = 0, lists = 0;
	const lin_field *f = lin_model_fields(&n);
	for (size_t i = 0; i < n; i++) {
		texts += f[i].kind == LIN_FIELD_TEXT;
		lists += f[i].kind == LIN_FIELD_LIST;
	}
	assert_int_equal(texts, IMG_STRS);
	assert_int_equal(lists, IMG_LISTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_fit_image),
		cmocka_unit_test_setup_teardown(test_small_catalog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped_catalog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mini_fixture, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalidation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_not_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_images, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_image_shrinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_image_mapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_after_fork, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temporaries, setup, teardown),
		cmocka_unit_test(test_fuzz_seeds_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
