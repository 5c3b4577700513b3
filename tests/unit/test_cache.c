/*
 * test_cache.c - the binary index cache (cache.c): a cached catalog answers
 * exactly as a parsed one; an image is used only while its files are
 * unchanged (a touch refreshes it, an edit rebuilds it); a catalog with
 * errors is never cached; a damaged image (truncated, any byte changed) is
 * rejected or read safely, never trusted into a crash; two processes
 * building the same image at once both succeed and leave one image.
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
#include <sys/stat.h>
#include <sys/wait.h>
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
	"- {id: q, stage: quantized, sources: [s], parents: [{model: Base Chat, relation: quantized, sources: [s]}]}\n"
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
			lin_buf_printf(b, " parent %s %s:%d:%d\n", m->parents[j].ref,
			               m->parents[j].pos.file, m->parents[j].pos.line,
			               m->parents[j].pos.col);
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
		cmocka_unit_test_setup_teardown(test_invalidation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_not_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_images, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race, setup, teardown),
		cmocka_unit_test(test_fuzz_seeds_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
