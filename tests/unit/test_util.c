/*
 * test_util.c - the small modules every other one leans on: the text
 * buffer, errors and diagnostics, vocabularies and relation masks, name
 * keys, edit distance, the arena, and file input/output (error.c, vocab.c,
 * index.c's lin_name_key, arena.c, fileio.c).
 */
#define _XOPEN_SOURCE 700 /* mknod, S_IFCHR: a private /dev/full */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "util/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* ---- lin_buf ------------------------------------------------------------- */

static void buf_append_and_puts(void **state)
{
	(void)state;
	lin_buf b = LIN_BUF_INIT;
	assert_int_equal(lin_buf_puts(&b, "abc"), 0);
	assert_int_equal(lin_buf_append(&b, "de\0f", 4), 0); /* bytes, not a C string */
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "abcde\0f", 8); /* and a terminating NUL */
	assert_int_equal(lin_buf_append(&b, "", 0), 0);
	assert_int_equal(b.len, 7);
	assert_true(b.cap >= 8);
	assert_int_equal(b.oom, 0);
	lin_buf_dispose(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	lin_buf_dispose(&b); /* twice is fine */
	lin_buf_dispose(NULL);
}

static void buf_printf_small_and_large(void **state)
{
	(void)state;
	lin_buf b = LIN_BUF_INIT;
	assert_int_equal(lin_buf_printf(&b, "%s=%d;", "x", 42), 0);
	assert_string_equal(b.data, "x=42;");
	/* longer than the 512-byte stack buffer: formatted twice */
	char big[2001];
	memset(big, 'q', 2000);
	big[2000] = '\0';
	assert_int_equal(lin_buf_printf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 5 + 2002);
	assert_int_equal(b.data[5], '[');
	assert_int_equal(b.data[6], 'q');
	assert_int_equal(b.data[5 + 2000], 'q');
	assert_int_equal(b.data[5 + 2001], ']');
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(strlen(b.data), b.len);
	lin_buf_dispose(&b);
}

static void buf_grows_over_many_appends(void **state)
{
	(void)state;
	lin_buf b = LIN_BUF_INIT;
	for (int i = 0; i < 10000; i++)
		assert_int_equal(lin_buf_printf(&b, "%04d\n", i % 10000), 0);
	assert_int_equal(b.len, 50000);
	assert_memory_equal(b.data + 5 * 9999, "9999\n", 5);
	assert_memory_equal(b.data + 5 * 1234, "1234\n", 5);
	lin_buf_dispose(&b);
}

static void buf_oom_flag_drops_appends(void **state)
{
	(void)state;
	lin_buf b = LIN_BUF_INIT;
	assert_int_equal(lin_buf_puts(&b, "kept"), 0);
	b.oom = 1; /* as after a failed realloc */
	assert_int_equal(lin_buf_puts(&b, "dropped"), LIN_ENOMEM);
	assert_int_equal(lin_buf_printf(&b, "%d", 1), LIN_ENOMEM);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "kept");
	lin_buf_dispose(&b);
	assert_int_equal(b.oom, 0);
}

/* ---- errors and diagnostics --------------------------------------------- */

static void error_format_parts(void **state)
{
	(void)state;
	lin_error e;
	char buf[256];
	lin_error_clear(&e);
	assert_int_equal(e.code, 0);
	assert_string_equal(e.file, "");
	assert_string_equal(e.msg, "");
	assert_int_equal(lin_i_fail(&e, LIN_EINVAL, NULL, 0, 0, "bad %s", "thing"), LIN_EINVAL);
	assert_int_equal(e.code, LIN_EINVAL);
	assert_string_equal(lin_error_format(&e, buf, sizeof(buf)), "bad thing");
	lin_i_fail(&e, LIN_EIO, "a.yaml", 0, 0, "cannot open");
	assert_string_equal(lin_error_format(&e, buf, sizeof(buf)), "a.yaml: cannot open");
	lin_i_fail(&e, LIN_EPARSE, "a.yaml", 3, 0, "oops");
	assert_string_equal(lin_error_format(&e, buf, sizeof(buf)), "a.yaml:3: oops");
	lin_i_fail(&e, LIN_EPARSE, "a.yaml", 3, 14, "oops");
	assert_string_equal(lin_error_format(&e, buf, sizeof(buf)), "a.yaml:3:14: oops");
	assert_int_equal(e.line, 3);
	assert_int_equal(e.col, 14);
	/* a small buffer truncates, still terminated */
	char tiny[8];
	assert_string_equal(lin_error_format(&e, tiny, sizeof(tiny)), "a.yaml:");
	/* NULL err: the code still comes back */
	assert_int_equal(lin_i_fail(NULL, LIN_ENOMEM, NULL, 0, 0, "x"), LIN_ENOMEM);
	lin_error_clear(NULL);
}

static void error_message_is_bounded(void **state)
{
	(void)state;
	lin_error e;
	char longmsg[3000];
	memset(longmsg, 'm', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	lin_i_fail(&e, LIN_EINVAL, longmsg, 1, 1, "%s", longmsg);
	assert_int_equal(strlen(e.file), LIN_PATH_MAX - 1);
	assert_int_equal(strlen(e.msg), LIN_MSG_MAX - 1);
}

static void diags_collect_and_count(void **state)
{
	(void)state;
	lin_diags d;
	lin_error e;
	lin_diags_init(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(lin_diags_errors(&d), 0);
	assert_int_equal(lin_diags_errors(NULL), 0);
	for (int i = 0; i < 40; i++) {
		lin_i_fail(&e, LIN_ESCHEMA, "f.yaml", i + 1, 2, "problem %d", i);
		lin_i_diags_add(&d, &e, i % 4 == 0); /* every fourth is a warning */
	}
	assert_int_equal(d.n, 40);
	assert_int_equal(lin_diags_errors(&d), 30);
	assert_int_equal(d.items[17].line, 18);
	assert_string_equal(d.items[17].msg, "problem 17");
	assert_int_equal(d.is_warning[16], 1);
	assert_int_equal(d.is_warning[17], 0);
	lin_i_diags_add(NULL, &e, 0); /* ignored */
	lin_diags_dispose(&d);
	assert_int_equal(d.n, 0);
	assert_null(d.items);
	lin_diags_dispose(NULL);
}

static void diags_are_capped(void **state)
{
	(void)state;
	lin_diags d;
	lin_error e;
	lin_diags_init(&d);
	lin_i_fail(&e, LIN_ESCHEMA, "f", 1, 1, "again");
	for (int i = 0; i < 10050; i++)
		lin_i_diags_add(&d, &e, 0);
	assert_int_equal(d.n, 10000);
	assert_int_equal(d.dropped_errors, 50);
	assert_int_equal(lin_diags_errors(&d), 10050); /* counted, not kept */
	lin_diags_dispose(&d);
	/* warnings stop at 9,000 kept, so errors after a flood still show */
	lin_diags_init(&d);
	for (int i = 0; i < 20000; i++)
		lin_i_diags_add(&d, &e, 1);
	for (int i = 0; i < 2000; i++)
		lin_i_diags_add(&d, &e, 0);
	assert_int_equal(d.n, 10000);
	assert_int_equal(d.nerrors, 1000);
	assert_int_equal(lin_diags_warnings(&d), 20000);
	assert_int_equal(lin_diags_errors(&d), 2000);
	/* appending carries the counts of what was dropped */
	lin_diags all;
	lin_diags_init(&all);
	lin_i_diags_append(&all, &d);
	assert_int_equal(lin_diags_warnings(&all), 20000);
	assert_int_equal(lin_diags_errors(&all), 2000);
	lin_diags_dispose(&all);
	lin_diags_dispose(&d);
}

/* ---- vocabularies ---------------------------------------------------------- */

static void vocab_names_round_trip(void **state)
{
	(void)state;
	static const char *const rels[] = {"finetune", "adapter", "merge", "quantized",
	                                   "continued-pretrain", "rlhf", "distill",
	                                   "multimodal", "recipe", "upcycle", "prune"};
	static const char *const stages[] = {"pretrained", "continued-pretrain", "sft", "rlhf",
	                                     "distilled", "merged", "quantized", "adapter",
	                                     "multimodal", "unknown"};
	static const char *const archs[] = {"decoder-only", "encoder-only", "encoder-decoder",
	                                    "prefix-lm", "moe", "multimodal", "non-language"};
	assert_int_equal(LIN_REL_COUNT, 11);
	assert_int_equal(LIN_STAGE_COUNT, 10);
	for (int i = 0; i < LIN_REL_COUNT; i++) {
		assert_string_equal(lin_relation_name((lin_relation)i), rels[i]);
		assert_int_equal(lin_relation_parse(rels[i]), i);
	}
	for (int i = 0; i < LIN_STAGE_COUNT; i++) {
		assert_string_equal(lin_stage_name((lin_stage)i), stages[i]);
		assert_int_equal(lin_stage_parse(stages[i]), i);
	}
	for (int i = 0; i < LIN_ARCH_COUNT; i++) {
		assert_string_equal(lin_arch_name((lin_arch)i), archs[i]);
		assert_int_equal(lin_arch_parse(archs[i]), i);
	}
	assert_null(lin_relation_name(LIN_REL_COUNT));
	assert_null(lin_relation_name((lin_relation)-1));
	assert_null(lin_stage_name(LIN_STAGE_COUNT));
	assert_null(lin_arch_name(LIN_ARCH_UNKNOWN));
	assert_string_equal(lin_weights_name(LIN_WEIGHTS_OPEN), "open");
	assert_string_equal(lin_weights_name(LIN_WEIGHTS_CLOSED), "closed");
	assert_null(lin_weights_name(LIN_WEIGHTS_UNKNOWN));
	/* exact words only: no case folding, no near misses */
	assert_int_equal(lin_relation_parse("Finetune"), -1);
	assert_int_equal(lin_relation_parse("fine-tune"), -1);
	assert_int_equal(lin_relation_parse(""), -1);
	assert_int_equal(lin_relation_parse(NULL), -1);
	assert_int_equal(lin_stage_parse("SFT"), -1);
	assert_int_equal(lin_arch_parse("decoder"), -1);
}

static void relmask_parse_lists(void **state)
{
	(void)state;
	lin_relmask m = 0;
	lin_error e;
	lin_error_clear(&e);
	assert_int_equal(lin_relmask_parse(&m, "finetune,adapter", &e), 0);
	assert_int_equal(m, LIN_REL_BIT(LIN_REL_FINETUNE) | LIN_REL_BIT(LIN_REL_ADAPTER));
	assert_int_equal(m, 0x3);
	assert_int_equal(lin_relmask_parse(&m, "prune", &e), 0);
	assert_int_equal(m, 1u << 10);
	assert_int_equal(lin_relmask_parse(&m, "recipe,recipe", &e), 0);
	assert_int_equal(m, LIN_REL_BIT(LIN_REL_RECIPE));
	assert_int_equal(lin_relmask_parse(&m,
	                                   "finetune,adapter,merge,quantized,continued-pretrain,"
	                                   "rlhf,distill,multimodal,recipe,upcycle,prune", &e), 0);
	assert_int_equal(m, LIN_REL_ALL);
	assert_int_equal(LIN_REL_ALL, 0x7ff);
	m = 0;
	assert_int_equal(lin_relmask_parse(&m, "all", &e), 0);
	assert_int_equal(m, LIN_REL_ALL);
	m = 0;
	assert_int_equal(lin_relmask_parse(&m, "", &e), 0);
	assert_int_equal(m, LIN_REL_ALL);
	m = 0;
	assert_int_equal(lin_relmask_parse(&m, NULL, &e), 0);
	assert_int_equal(m, LIN_REL_ALL);
	assert_int_equal(e.code, 0); /* untouched on success */
}

static void relmask_parse_errors(void **state)
{
	(void)state;
	lin_relmask m = 0x5;
	lin_error e;
	assert_int_equal(lin_relmask_parse(&m, "finetune,lora", &e), LIN_EINVAL);
	assert_int_equal(e.code, LIN_EINVAL);
	assert_string_equal(e.file, "");
	assert_string_equal(e.msg,
	                    "unknown relation kind 'lora' (expected one of finetune, adapter, merge, "
	                    "quantized, continued-pretrain, rlhf, distill, multimodal, recipe, "
	                    "upcycle, prune)");
	assert_int_equal(m, 0x5); /* *out untouched on failure */
	assert_int_equal(lin_relmask_parse(&m, "Finetune", &e), LIN_EINVAL);
	assert_string_equal(e.msg,
	                    "unknown relation kind 'Finetune' (expected one of finetune, adapter, "
	                    "merge, quantized, continued-pretrain, rlhf, distill, multimodal, "
	                    "recipe, upcycle, prune)");
	assert_int_equal(lin_relmask_parse(&m, ",finetune", &e), LIN_EINVAL);
	assert_true(strncmp(e.msg, "unknown relation kind '' (", 26) == 0);
	/* an over-long word is quoted up to 64 bytes */
	char word[200];
	memset(word, 'x', 199);
	word[199] = '\0';
	assert_int_equal(lin_relmask_parse(&m, word, &e), LIN_EINVAL);
	char want[128];
	snprintf(want, sizeof(want), "unknown relation kind '%.64s' (", word);
	assert_true(strncmp(e.msg, want, strlen(want)) == 0);
}

/* ---- name keys and edit distance ------------------------------------------ */

static void name_key_normalises(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"Chinese-Vicuna", "chinesevicuna"},
		{"Chinese Vicuna", "chinesevicuna"},
		{"chinese_vicuna", "chinesevicuna"},
		{"CHINESE.VICUNA", "chinesevicuna"},
		{"Llama 2-Chat", "llama2chat"},
		{"gpt-3.5-turbo", "gpt35turbo"},
		{"a\tb", "ab"},
		{"Org/Model", "org/model"},
		{"中文-LLaMA", "中文llama"}, /* non-ASCII bytes are kept as they are */
		{"ÄB", "Äb"},
		{" -._", ""},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *k = lin_name_key(cases[i].in);
		assert_non_null(k);
		assert_string_equal(k, cases[i].out);
		free(k);
	}
}

/* What a name reads as: the eight look-alikes of LLaMA fold to it, CJK,
 * full-width punctuation and a lone Greek letter read as themselves. */
static void skeleton_of(const char *in, const char *want, lin_fold want_kind)
{
	lin_buf b = LIN_BUF_INIT;
	lin_fold kind;
	unsigned long cp;
	assert_int_equal(lin_i_skeleton(&b, in, &cp, &kind), 0);
	assert_string_equal(b.data ? b.data : "", want);
	assert_int_equal(kind, want_kind);
	lin_buf_dispose(&b);
}

static void skeletons_and_folds(void **state)
{
	(void)state;
	skeleton_of("LLaMA", "LLaMA", LIN_FOLD_KEEP);
	skeleton_of("\xef\xbc\xac\xef\xbc\xac\xef\xbd\x81\xef\xbc\xad\xef\xbc\xa1", "LLaMA", LIN_FOLD_COMPAT);
	skeleton_of("LL\xd0\xb0MA", "LLaMA", LIN_FOLD_SCRIPT);              /* Cyrillic a */
	skeleton_of("LLa\xce\x9c\xce\x91", "LLaMA", LIN_FOLD_SCRIPT);      /* Greek */
	skeleton_of("LLa\xe2\x80\x8dMA", "LLaMA", LIN_FOLD_INVISIBLE);      /* ZWJ */
	skeleton_of("LLa\xe2\x80\x8bMA", "LLaMA", LIN_FOLD_INVISIBLE);      /* ZWSP */
	skeleton_of("LLa\xc2\xa0MA", "LLa MA", LIN_FOLD_COMPAT);             /* NBSP */
	skeleton_of("LLa\xc2\xadMA", "LLaMA", LIN_FOLD_INVISIBLE);           /* soft hyphen */
	skeleton_of("LLaMA\xf3\xa0\x81\xa5\xf3\xa0\x81\xb6", "LLaMA", LIN_FOLD_INVISIBLE); /* tags */
	skeleton_of("\xf0\x9d\x90\x8b\xf0\x9d\x90\x8b", "LL", LIN_FOLD_COMPAT); /* math bold */
	skeleton_of("\xef\xac\x81ne", "fine", LIN_FOLD_COMPAT);              /* ligature fi */
	skeleton_of("\xe7\x99\xbe\xe5\xb7\x9d", "\xe7\x99\xbe\xe5\xb7\x9d", LIN_FOLD_KEEP); /* CJK */
	skeleton_of("\xe6\x96\x87\xef\xbc\x88x\xef\xbc\x89", "\xe6\x96\x87(x)", LIN_FOLD_SCRIPT);
	skeleton_of("PanGu-\xce\xb1", "PanGu-a", LIN_FOLD_SCRIPT);
	/* hidden code points: noncharacters on every plane, bidi marks */
	assert_true(lin_i_cp_hidden(0xfffe) && lin_i_cp_hidden(0xffff) && lin_i_cp_hidden(0xfdd0));
	assert_true(lin_i_cp_hidden(0x1fffe) && lin_i_cp_hidden(0x10ffff) && lin_i_cp_hidden(0x200f));
	assert_true(!lin_i_cp_hidden(0xfffd) && !lin_i_cp_hidden(0xfdf0) && !lin_i_cp_hidden(0x1f600));
	/* a message's copy is cut between characters */
	char buf[8];
	assert_string_equal(lin_i_clip(buf, sizeof(buf), "abc"), "abc");
	assert_string_equal(lin_i_clip(buf, sizeof(buf), "ab\xe4\xb8\xad\xe6\x96\x87"), "ab\xe2\x80\xa6");
	assert_string_equal(lin_i_clip(buf, sizeof(buf), "abcdefgh"), "abcd\xe2\x80\xa6");
}

/* The one "did you mean" rule: within two edits, the first of equals. */
static void nearest_word_values(void **state)
{
	static const char *const verbs[] = {"ancestors", "descendants", "path", "why", NULL};
	(void)state;
	assert_string_equal(lin_nearest_word(verbs, "ancestor"), "ancestors");
	assert_string_equal(lin_nearest_word(verbs, "decsendants"), "descendants");
	assert_string_equal(lin_nearest_word(verbs, "pth"), "path");
	assert_null(lin_nearest_word(verbs, "frobnicate"));
	assert_null(lin_nearest_word(verbs, NULL));
	assert_null(lin_nearest_word(NULL, "path"));
}

static void edit_distance_values(void **state)
{
	(void)state;
	assert_int_equal(lin_i_edit_distance("llama", "llama", 2), 0);
	assert_int_equal(lin_i_edit_distance("lama", "llama", 2), 1);
	assert_int_equal(lin_i_edit_distance("vicuma", "vicuna", 2), 1);
	assert_int_equal(lin_i_edit_distance("parnets", "parents", 2), 2);
	assert_int_equal(lin_i_edit_distance("", "ab", 2), 2);
	/* beyond the cap: cap + 1 */
	assert_int_equal(lin_i_edit_distance("kitten", "sitting", 2), 3);
	assert_int_equal(lin_i_edit_distance("kitten", "sitting", 5), 3);
	assert_int_equal(lin_i_edit_distance("a", "abcdef", 2), 3);
	char longs[300];
	memset(longs, 'a', 299);
	longs[299] = '\0';
	assert_int_equal(lin_i_edit_distance(longs, longs, 4), 5); /* too long to compare */
}

/* ---- arena ------------------------------------------------------------------ */

static void arena_strings_and_reset(void **state)
{
	(void)state;
	lin_arena a = {NULL};
	char *s = lin_i_arena_strndup(&a, "hello world", 5);
	assert_string_equal(s, "hello");
	char *z = lin_i_arena_alloc(&a, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	/* aligned for any type: _Alignof, which is not sizeof (16 and 32 on
	 * x86-64), after odd sizes too */
	assert_int_equal((uintptr_t)z % _Alignof(max_align_t), 0);
	for (size_t n = 1; n < 40; n += 3) {
		char *p = lin_i_arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		assert_int_equal((uintptr_t)p % _Alignof(long double), 0);
	}
	assert_null(lin_i_arena_alloc(&a, SIZE_MAX - 8)); /* no wrap-around */
	/* bigger than a chunk */
	char *big = lin_i_arena_alloc(&a, (size_t)200 * 1024);
	assert_non_null(big);
	big[200 * 1024 - 1] = 'x';
	assert_string_equal(s, "hello"); /* earlier strings survive */
	lin_i_arena_reset(&a);
	char *t = lin_i_arena_strndup(&a, "again", 5);
	assert_string_equal(t, "again");
	lin_i_arena_dispose(&a);
	assert_null(a.head);
	lin_i_arena_dispose(&a);
}

/* ---- files ----------------------------------------------------------------- */

typedef struct tmpdir {
	char path[256];
} tmpdir;

static int tmp_setup(void **state)
{
	tmpdir *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/lineage-test-XXXXXX",
	         getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(t->path)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

/* Removes the test directory, one level of subdirectories deep. */
static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char p[600];
	while (d && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		if (unlink(p) != 0)
			rm_tree(p);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static int tmp_teardown(void **state)
{
	tmpdir *t = *state;
	rm_tree(t->path);
	free(t);
	return 0;
}

/* Names in dir, sorted and joined with ' '. */
static void list_dir(const char *dir, char *out, size_t n)
{
	char *names[64];
	size_t k = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	out[0] = '\0';
	while (d && (de = readdir(d)) != NULL && k < 64)
		if (de->d_name[0] != '.')
			names[k++] = strdup(de->d_name);
	if (d)
		closedir(d);
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char *x = names[i];
				names[i] = names[j];
				names[j] = x;
			}
	for (size_t i = 0; i < k; i++) {
		snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
}

static void write_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void write_atomic_creates_and_replaces(void **state)
{
	tmpdir *t = *state;
	char path[512], names[512];
	char *data = NULL;
	size_t len = 0;
	lin_error e;
	struct stat st;
	snprintf(path, sizeof(path), "%s/out.svg", t->path);
	mode_t um = umask(022);
	assert_int_equal(lin_write_atomic(path, "<svg/>\n", 7, &e), 0);
	assert_int_equal(lin_read_file(&data, &len, path, 1000, &e), 0);
	assert_int_equal(len, 7);
	assert_string_equal(data, "<svg/>\n");
	free(data);
	/* readable by others as the umask allows, not mkstemp's 0600 */
	assert_int_equal(lin_write_atomic(path, "second version", 14, &e), 0);
	umask(um);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(lin_read_file(&data, &len, path, 1000, &e), 0);
	assert_int_equal(len, 14);
	assert_string_equal(data, "second version");
	free(data);
	/* empty content is a valid file */
	assert_int_equal(lin_write_atomic(path, "", 0, &e), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	list_dir(t->path, names, sizeof(names));
	assert_string_equal(names, "out.svg"); /* no temporary left behind */
}

static void write_atomic_missing_dir_fails_cleanly(void **state)
{
	tmpdir *t = *state;
	char path[512], want[600], names[512];
	lin_error e;
	snprintf(path, sizeof(path), "%s/no-such-dir/out.svg", t->path);
	assert_int_equal(lin_write_atomic(path, "x", 1, &e), LIN_EIO);
	assert_int_equal(e.code, LIN_EIO);
	assert_string_equal(e.file, path);
	assert_int_equal(e.line, 0);
	assert_string_equal(e.msg, "cannot create a temporary file: No such file or directory");
	snprintf(want, sizeof(want), "%s: cannot create a temporary file: No such file or directory", path);
	char buf[1200];
	assert_string_equal(lin_error_format(&e, buf, sizeof(buf)), want);
	list_dir(t->path, names, sizeof(names));
	assert_string_equal(names, "");
}

static void write_atomic_onto_directory_refused(void **state)
{
	tmpdir *t = *state;
	char path[512], inner[600], names[512];
	char *data = NULL;
	size_t len = 0;
	lin_error e;
	/* the target is a non-empty directory: refused before anything is
	 * written */
	snprintf(path, sizeof(path), "%s/target", t->path);
	assert_int_equal(mkdir(path, 0777), 0);
	snprintf(inner, sizeof(inner), "%s/keep.txt", path);
	write_file(inner, "old", 3);
	assert_int_equal(lin_write_atomic(path, "new", 3, &e), LIN_EIO);
	assert_string_equal(e.msg, "is a directory");
	list_dir(t->path, names, sizeof(names));
	assert_string_equal(names, "target");
	assert_int_equal(lin_read_file(&data, &len, inner, 100, &e), 0);
	assert_string_equal(data, "old");
	free(data);
}

/* Devices named with -o are written in place: renaming over a device would
 * replace the node itself. A private copy of /dev/full in the test's directory is used,
 * so a regression could never replace the system's. */
static void write_atomic_to_devices(void **state)
{
	tmpdir *t = *state;
	char dev[600];
	lin_error e;
	struct stat st;
	assert_int_equal(lin_write_atomic("/dev/null", "x", 1, &e), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	snprintf(dev, sizeof(dev), "%s/full", t->path);
	if (mknod(dev, S_IFCHR | 0666, makedev(1, 7)) != 0)
		skip(); /* not root */
	assert_int_equal(lin_write_atomic(dev, "x", 1, &e), LIN_EIO);
	assert_string_equal(e.msg, "write failed: No space left on device");
	assert_int_equal(stat(dev, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(unlink(dev), 0);
}

/* Entries of dir that are temporary files of ours (dot files included,
 * which list_dir hides). */
static int count_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	while (d && (de = readdir(d)) != NULL)
		n += strncmp(de->d_name, LIN_I_TMP_PREFIX, strlen(LIN_I_TMP_PREFIX)) == 0 ||
		     strstr(de->d_name, ".tmp") != NULL;
	if (d)
		closedir(d);
	return n;
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* A rewrite keeps the mode of the file it replaces; a new file gets 0666
 * less the umask; an explicit mode (the cache's 0644) only takes bits
 * away. Both with an unnamed temporary and with a named one. */
static void write_atomic_keeps_mode(void **state)
{
	tmpdir *t = *state;
	char path[512];
	lin_error e;
	lin_atomic_file af;
	mode_t um = umask(027);
	for (int named = 0; named < 2; named++) {
		if (named)
			setenv("LINEAGE_NO_TMPFILE", "1", 1);
		snprintf(path, sizeof(path), "%s/new-%d.svg", t->path, named);
		assert_int_equal(lin_write_atomic(path, "a", 1, &e), 0);
		assert_int_equal(mode_of(path), 0640);
		assert_int_equal(chmod(path, 0600), 0);
		assert_int_equal(lin_write_atomic(path, "b", 1, &e), 0);
		assert_int_equal(mode_of(path), 0600);
		assert_int_equal(lin_i_write_replace(path, "c", 1, &e), 0);
		assert_int_equal(mode_of(path), 0600);
		assert_int_equal(chmod(path, 0755), 0);
		assert_int_equal(lin_write_atomic(path, "d", 1, &e), 0);
		assert_int_equal(mode_of(path), 0755);
		/* the cache image: 0644 less the umask, whatever was there */
		assert_int_equal(lin_i_atomic_open(&af, path, &e), 0);
		assert_int_equal(lin_i_atomic_write(&af, "e", 1, &e), 0);
		assert_int_equal(lin_i_atomic_commit(&af, 0644, &e), 0);
		assert_int_equal(mode_of(path), 0640);
		unsetenv("LINEAGE_NO_TMPFILE");
	}
	umask(um);
	assert_int_equal(count_tmp(t->path), 0);
}

/* A symlink at the name, to a file elsewhere: the link is replaced, the
 * file it pointed to is untouched (-o and docs alike). */
static void write_atomic_replaces_links(void **state)
{
	tmpdir *t = *state;
	char path[512], outside[512], *data = NULL;
	size_t len = 0;
	lin_error e;
	struct stat st;
	snprintf(outside, sizeof(outside), "%s/outside.txt", t->path);
	snprintf(path, sizeof(path), "%s/x.svg", t->path);
	write_file(outside, "keep", 4);
	for (int owned = 0; owned < 2; owned++) {
		unlink(path);
		assert_int_equal(symlink(outside, path), 0);
		assert_int_equal(owned ? lin_i_write_replace(path, "new", 3, &e)
		                       : lin_write_atomic(path, "new", 3, &e), 0);
		assert_int_equal(lstat(path, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		assert_int_equal(lin_read_file(&data, &len, outside, 100, &e), 0);
		assert_string_equal(data, "keep");
		free(data);
	}
	/* a dangling link: replaced, never created through */
	unlink(path);
	assert_int_equal(symlink("nowhere/at/all", path), 0);
	assert_int_equal(lin_write_atomic(path, "new", 3, &e), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(count_tmp(t->path), 0);
}

/* A FIFO or a device planted where docs writes is replaced, never opened;
 * one named with -o is written in place, and a FIFO nobody reads is an
 * error at once, not a hang. */
static void write_fifo_and_device(void **state)
{
	tmpdir *t = *state;
	char fifo[512], link[512];
	lin_error e;
	struct stat st;
	snprintf(fifo, sizeof(fifo), "%s/f.svg", t->path);
	snprintf(link, sizeof(link), "%s/l.svg", t->path);
	assert_int_equal(mkfifo(fifo, 0666), 0);
	assert_int_equal(lin_write_atomic(fifo, "x", 1, &e), LIN_EIO);
	assert_string_equal(e.msg, "cannot open for writing: nothing is reading from it");
	assert_int_equal(symlink(fifo, link), 0);
	assert_int_equal(lin_write_atomic(link, "x", 1, &e), LIN_EIO);
	assert_string_equal(e.msg, "cannot open for writing: nothing is reading from it");
	assert_int_equal(lin_i_write_replace(link, "x", 1, &e), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(lin_i_write_replace(fifo, "x", 1, &e), 0);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* a link to /dev/null: written through with -o, replaced by docs */
	unlink(link);
	assert_int_equal(symlink("/dev/null", link), 0);
	assert_int_equal(lin_write_atomic(link, "x", 1, &e), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lin_i_write_replace(link, "x", 1, &e), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	/* a directory is refused by both */
	assert_int_equal(mkdir(link, 0777), -1);
	unlink(link);
	assert_int_equal(mkdir(link, 0777), 0);
	assert_int_equal(lin_i_write_replace(link, "x", 1, &e), LIN_EIO);
	assert_string_equal(e.msg, "is a directory");
	assert_int_equal(rmdir(link), 0);
	assert_int_equal(count_tmp(t->path), 0);
}

/* The temporary file's name does not grow with the target's: a name of
 * NAME_MAX bytes is written (it once failed, with ".tmpXXXXXX" added). */
static void write_atomic_long_name(void **state)
{
	tmpdir *t = *state;
	char path[1024], base[256];
	lin_error e;
	memset(base, 'n', 251);
	memcpy(base + 251, ".svg", 5); /* 255 bytes */
	snprintf(path, sizeof(path), "%s/%s", t->path, base);
	for (int named = 0; named < 2; named++) {
		if (named)
			setenv("LINEAGE_NO_TMPFILE", "1", 1);
		assert_int_equal(lin_write_atomic(path, "x", 1, &e), 0);
		assert_int_equal(lin_write_atomic(path, "y", 1, &e), 0);
		unsetenv("LINEAGE_NO_TMPFILE");
	}
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(count_tmp(t->path), 0);
}

/* While a file is being written: nothing is named in the folder when the
 * file system has O_TMPFILE; else one LIN_I_TMP_PREFIX file, which
 * lin_remove_temporaries (what the CLI's SIGINT handler calls) removes. */
static void write_in_progress_leaves_nothing(void **state)
{
	tmpdir *t = *state;
	char path[512];
	lin_error e;
	lin_atomic_file af;
	snprintf(path, sizeof(path), "%s/big.lcache", t->path);
	assert_int_equal(lin_i_atomic_open(&af, path, &e), 0);
	assert_int_equal(lin_i_atomic_write(&af, "part", 4, &e), 0);
	assert_int_equal(count_tmp(t->path), 0); /* tmpfs and ext4 have O_TMPFILE */
	lin_i_atomic_abort(&af);
	setenv("LINEAGE_NO_TMPFILE", "1", 1);
	assert_int_equal(lin_i_atomic_open(&af, path, &e), 0);
	unsetenv("LINEAGE_NO_TMPFILE");
	assert_int_equal(lin_i_atomic_write(&af, "part", 4, &e), 0);
	assert_int_equal(count_tmp(t->path), 1);
	assert_non_null(strstr(af.tmp, "/" LIN_I_TMP_PREFIX));
	assert_int_equal(strlen(strrchr(af.tmp, '/') + 1), strlen(LIN_I_TMP_PREFIX) + 6);
	lin_remove_temporaries();
	assert_int_equal(count_tmp(t->path), 0);
	lin_i_atomic_abort(&af); /* the name is gone already: still fine */
	assert_int_equal(access(path, F_OK), -1);
	lin_remove_temporaries(); /* nothing registered any more */
}

/* The head of a file: up to max bytes, and whether there was more. */
static void read_head_truncates(void **state)
{
	tmpdir *t = *state;
	char path[512], *data = NULL;
	size_t len = 0;
	int trunc = -1;
	lin_error e;
	snprintf(path, sizeof(path), "%s/ten.txt", t->path);
	write_file(path, "0123456789", 10);
	assert_int_equal(lin_i_read_head(&data, &len, &trunc, path, 4, &e), 0);
	assert_int_equal(len, 4);
	assert_string_equal(data, "0123");
	assert_int_equal(trunc, 1);
	free(data);
	assert_int_equal(lin_i_read_head(&data, &len, &trunc, path, 10, &e), 0);
	assert_string_equal(data, "0123456789");
	assert_int_equal(trunc, 0);
	free(data);
	assert_int_equal(lin_i_read_head(&data, &len, &trunc, path, 1000, &e), 0);
	assert_int_equal(len, 10);
	assert_int_equal(trunc, 0);
	free(data);
}

static void read_file_limits(void **state)
{
	tmpdir *t = *state;
	char path[512], missing[512];
	char *data = (char *)1;
	size_t len = 99;
	lin_error e;
	snprintf(path, sizeof(path), "%s/ten.txt", t->path);
	write_file(path, "0123456789", 10);
	/* exactly at the limit is fine */
	assert_int_equal(lin_read_file(&data, &len, path, 10, &e), 0);
	assert_int_equal(len, 10);
	assert_string_equal(data, "0123456789");
	assert_int_equal(data[10], '\0');
	free(data);
	/* one byte over */
	data = (char *)1;
	assert_int_equal(lin_read_file(&data, &len, path, 9, &e), LIN_ELIMIT);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_string_equal(e.file, path);
	assert_string_equal(e.msg, "file is 10 bytes; the limit is 9");
	/* a directory */
	assert_int_equal(lin_read_file(&data, &len, t->path, 100, &e), LIN_EIO);
	assert_string_equal(e.msg, "not a regular file");
	assert_null(data);
	/* missing */
	snprintf(missing, sizeof(missing), "%s/nope.yaml", t->path);
	assert_int_equal(lin_read_file(&data, &len, missing, 100, &e), LIN_EIO);
	assert_string_equal(e.file, missing);
	assert_string_equal(e.msg, "cannot open: No such file or directory");
	/* empty file, and bytes after a NUL are kept */
	write_file(path, "", 0);
	assert_int_equal(lin_read_file(&data, &len, path, 0, &e), 0);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);
	write_file(path, "a\0b", 3);
	assert_int_equal(lin_read_file(&data, &len, path, 3, &e), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(data, "a\0b\0", 4);
	free(data);
}

/* lin_i_sort: a big array sorted in halves on two threads and merged is
 * qsort's order, element for element (odd sizes, many ties broken by
 * position, as the callers' comparisons do); a small one is qsort. */
typedef struct sort_item {
	unsigned key, pos;
} sort_item;

static int cmp_sort_item(const void *a, const void *b)
{
	const sort_item *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static void sort_in_halves_is_qsort(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 7, 65535, 65536, 200001};
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		sort_item *a = malloc((n + 1) * sizeof(*a)), *b = malloc((n + 1) * sizeof(*b));
		assert_non_null(a);
		assert_non_null(b);
		unsigned r = 12345;
		for (size_t i = 0; i < n; i++) {
			r = r * 1103515245u + 12345u;
			a[i] = b[i] = (sort_item){(r >> 16) % 5000, (unsigned)i};
		}
		lin_i_sort(a, n, sizeof(*a), cmp_sort_item);
		if (n)
			qsort(b, n, sizeof(*b), cmp_sort_item);
		if (n)
			assert_memory_equal(a, b, n * sizeof(*a));
		free(a);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_append_and_puts),
		cmocka_unit_test(sort_in_halves_is_qsort),
		cmocka_unit_test(skeletons_and_folds),
		cmocka_unit_test(buf_printf_small_and_large),
		cmocka_unit_test(buf_grows_over_many_appends),
		cmocka_unit_test(buf_oom_flag_drops_appends),
		cmocka_unit_test(error_format_parts),
		cmocka_unit_test(error_message_is_bounded),
		cmocka_unit_test(diags_collect_and_count),
		cmocka_unit_test(diags_are_capped),
		cmocka_unit_test(vocab_names_round_trip),
		cmocka_unit_test(relmask_parse_lists),
		cmocka_unit_test(relmask_parse_errors),
		cmocka_unit_test(name_key_normalises),
		cmocka_unit_test(nearest_word_values),
		cmocka_unit_test(edit_distance_values),
		cmocka_unit_test(arena_strings_and_reset),
		cmocka_unit_test_setup_teardown(write_atomic_creates_and_replaces, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(write_atomic_missing_dir_fails_cleanly, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(write_atomic_onto_directory_refused, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(write_atomic_to_devices, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(write_atomic_keeps_mode, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(write_atomic_replaces_links, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(write_fifo_and_device, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(write_atomic_long_name, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(write_in_progress_leaves_nothing, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(read_file_limits, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(read_head_truncates, tmp_setup, tmp_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
