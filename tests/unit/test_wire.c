/*
 * test_wire.c - the resident server's wire (src/serve/wire.c): a request's
 * hello and body taken apart, everything malformed refused; frames.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"

static srv_hello hello(uint32_t argc, uint32_t envc, uint32_t len)
{
	srv_hello h;
	memset(&h, 0, sizeof(h));
	h.magic = SRV_MAGIC;
	h.version = SRV_VERSION;
	h.argc = argc;
	h.envc = envc;
	h.body_len = len;
	h.umask = 022;
	return h;
}

static void test_parse_ok(void **state)
{
	(void)state;
	char body[] = "lineage\0show\0llama\0HOME=/h\0LANG=C";
	srv_hello h = hello(3, 2, sizeof(body));
	srv_request r;
	const char *why = NULL;
	assert_int_equal(srv_request_parse(&r, &h, body, sizeof(body), &why), 0);
	assert_int_equal(r.argc, 3);
	assert_int_equal(r.envc, 2);
	assert_string_equal(r.argv[1], "show");
	assert_string_equal(r.argv[2], "llama");
	assert_null(r.argv[3]);
	assert_string_equal(r.envp[1], "LANG=C");
	assert_null(r.envp[2]);
	srv_request_dispose(&r);
}

static void test_parse_empty_strings(void **state)
{
	(void)state;
	char body[] = "lineage\0\0"; /* and the literal's NUL: argv[1] "", one "" variable */
	srv_hello h = hello(2, 1, sizeof(body));
	srv_request r;
	const char *why = NULL;
	assert_int_equal(srv_request_parse(&r, &h, body, sizeof(body), &why), 0);
	assert_string_equal(r.argv[1], "");
	assert_string_equal(r.envp[0], "");
	srv_request_dispose(&r);
}

/* Each fault refused, with a reason, and r left empty. */
static void refused(srv_hello h, char *body, size_t len)
{
	srv_request r;
	const char *why = NULL;
	assert_int_equal(srv_request_parse(&r, &h, body, len, &why), -1);
	assert_non_null(why);
	assert_null(r.argv);
	assert_null(r.envp);
}

static void test_parse_refused(void **state)
{
	(void)state;
	char body[] = "lineage\0show\0HOME=/h";
	size_t n = sizeof(body);
	srv_hello h = hello(2, 1, (uint32_t)n);
	h.magic ^= 1;
	refused(h, body, n);
	h = hello(2, 1, (uint32_t)n);
	h.version = 99;
	refused(h, body, n);
	refused(hello(0, 1, (uint32_t)n), body, n);                   /* no argv[0] */
	refused(hello(SRV_MAX_WORDS + 1, 0, (uint32_t)n), body, n);   /* too many words */
	refused(hello(2, SRV_MAX_WORDS + 1, (uint32_t)n), body, n);
	refused(hello(2, 1, SRV_MAX_BODY + 1), body, n);              /* too long */
	refused(hello(2, 1, (uint32_t)n - 1), body, n);               /* length differs */
	refused(hello(3, 1, (uint32_t)n), body, n);                   /* a string short */
	refused(hello(2, 0, (uint32_t)n), body, n);                   /* bytes left over */
	refused(hello(2, 1, (uint32_t)n - 1), body, n - 1);           /* last one unterminated */
	h = hello(2, 1, (uint32_t)n);
	h.umask = 01000;
	refused(h, body, n);
	refused(hello(5, 5, 3), body, 3);                             /* fewer bytes than words */
}

static void test_hello_check(void **state)
{
	(void)state;
	const char *why;
	srv_hello h = hello(1, 0, 8);
	assert_int_equal(srv_hello_check(&h, &why), 0);
	assert_null(why);
	h.body_len = 0; /* one word needs one byte at least */
	assert_int_equal(srv_hello_check(&h, &why), -1);
	assert_non_null(why);
}

static void test_frames(void **state)
{
	(void)state;
	srv_frame f = {SRV_MAGIC, SRV_ACCEPT, 1234, 0};
	assert_int_equal(srv_frame_check(&f), 0);
	f.value = 0; /* no such worker */
	assert_int_equal(srv_frame_check(&f), -1);
	f = (srv_frame){SRV_MAGIC, SRV_EXIT, 2, 0};
	assert_int_equal(srv_frame_check(&f), 0);
	f.value = 256;
	assert_int_equal(srv_frame_check(&f), -1);
	f = (srv_frame){SRV_MAGIC, SRV_SIGNAL, 15, 0};
	assert_int_equal(srv_frame_check(&f), 0);
	f.value = 0;
	assert_int_equal(srv_frame_check(&f), -1);
	f = (srv_frame){SRV_MAGIC, 99, 0, 0};
	assert_int_equal(srv_frame_check(&f), -1);
	f = (srv_frame){SRV_MAGIC, SRV_DECLINE, 0, 7}; /* padding must be zero */
	assert_int_equal(srv_frame_check(&f), -1);
	f = (srv_frame){0, SRV_DECLINE, 0, 0};
	assert_int_equal(srv_frame_check(&f), -1);
}

static void test_cache_dir(void **state)
{
	(void)state;
	char buf[64];
	setenv("LINEAGE_CACHE", "/x/c", 1);
	assert_string_equal(srv_cache_dir(buf, sizeof(buf)), "/x/c");
	setenv("LINEAGE_CACHE", "off", 1);
	assert_null(srv_cache_dir(buf, sizeof(buf)));
	unsetenv("LINEAGE_CACHE");
	setenv("XDG_CACHE_HOME", "relative", 1); /* ignored, as the spec says */
	setenv("HOME", "/home/u", 1);
	assert_string_equal(srv_cache_dir(buf, sizeof(buf)), "/home/u/.cache/lineage");
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	assert_string_equal(srv_cache_dir(buf, sizeof(buf)), "/xdg/lineage");
	char tiny[8];
	assert_null(srv_cache_dir(tiny, sizeof(tiny))); /* does not fit */
}

static void test_open_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/test-wire-XXXXXX";
	assert_non_null(mkdtemp(dir));
	int fd = srv_open_dir(dir);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chmod(dir, 0777), 0); /* anyone may plant a socket */
	assert_int_equal(srv_open_dir(dir), -1);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(srv_open_dir(dir), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),     cmocka_unit_test(test_parse_empty_strings),
		cmocka_unit_test(test_parse_refused), cmocka_unit_test(test_hello_check),
		cmocka_unit_test(test_frames),       cmocka_unit_test(test_cache_dir),
		cmocka_unit_test(test_open_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
