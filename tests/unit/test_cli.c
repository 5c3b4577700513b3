/*
 * test_cli.c - the CLI's command table (src/cli/commands.c): one meaning
 * per short option across every verb, the global options spelt alike
 * wherever a verb takes them, and every verb's --help with examples. The
 * table also prints the man page and the completions, so what holds here
 * holds there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli.h"

#include <stdio.h>
#include <string.h>

/* Two verbs never give one short letter two long names, and one long name
 * never two short letters (-o is --output everywhere, not --org). */
static void short_options_mean_one_thing(void **state)
{
	const char *long_of[128] = {NULL};
	const char *verb_of[128] = {NULL};
	for (size_t i = 0; cli_commands[i]; i++)
		for (const cli_opt *o = cli_commands[i]->opts; o->name; o++) {
			unsigned char c = (unsigned char)o->short_name;
			if (!c)
				continue;
			assert_true(c < 128);
			if (long_of[c] && strcmp(long_of[c], o->name) != 0) {
				fprintf(stderr, "-%c is --%s in '%s' but --%s in '%s'\n", c, long_of[c],
				        verb_of[c], o->name, cli_commands[i]->name);
				fail();
			}
			long_of[c] = o->name;
			verb_of[c] = cli_commands[i]->name;
		}
	for (size_t i = 0; cli_commands[i]; i++)
		for (const cli_opt *o = cli_commands[i]->opts; o->name; o++)
			for (size_t j = 0; cli_commands[j]; j++)
				for (const cli_opt *p = cli_commands[j]->opts; p->name; p++)
					if (strcmp(o->name, p->name) == 0 && o->short_name != p->short_name) {
						fprintf(stderr, "--%s is -%c in '%s' but -%c in '%s'\n", o->name,
						        o->short_name ? o->short_name : '?', cli_commands[i]->name,
						        p->short_name ? p->short_name : '?', cli_commands[j]->name);
						fail();
					}
	/* and the letter the issue found two meanings for */
	assert_string_equal(long_of['o'], "output");
}

/* The options main takes before the verb have the short letter every verb
 * gives them. */
static void globals_match_the_verbs(void **state)
{
	for (size_t g = 0; g < CLI_NGLOBALS; g++)
		for (size_t i = 0; cli_commands[i]; i++)
			for (const cli_opt *o = cli_commands[i]->opts; o->name; o++)
				if (strcmp(o->name, cli_globals[g].name) == 0)
					assert_int_equal(o->short_name, cli_globals[g].short_name);
}

/* Every verb's --help ends with examples and its exit statuses; names are
 * unique and every table ends with --help. */
static void every_verb_has_examples(void **state)
{
	for (size_t i = 0; cli_commands[i]; i++) {
		const cli_cmd *c = cli_commands[i];
		int has_help = 0;
		assert_non_null(c->run);
		assert_non_null(c->summary);
		assert_non_null(c->args);
		if (!c->examples)
			fprintf(stderr, "'%s' has no examples\n", c->name);
		assert_non_null(c->examples);
		assert_true(strncmp(c->examples, "lineage ", 8) == 0 || strncmp(c->examples, "source ", 7) == 0);
		assert_non_null(cli_exits(c));
		for (const cli_opt *o = c->opts; o->name; o++)
			has_help |= strcmp(o->name, "help") == 0;
		assert_true(has_help);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(cli_commands[j]->name, c->name);
		assert_ptr_equal(cli_command(c->name), c);
	}
	assert_null(cli_command("ancestor"));
}

/* The suggestion for a mistyped option is the verb's nearest one. */
static void option_suggestions(void **state)
{
	char buf[64];
	const cli_cmd *c = cli_command("ancestors");
	assert_non_null(c);
	assert_string_equal(cli_suggest_option(c, "--dpeth", buf, sizeof(buf)), "--depth");
	assert_string_equal(cli_suggest_option(c, "--relaton=x", buf, sizeof(buf)), "--relation");
	assert_null(cli_suggest_option(c, "--frobnicate", buf, sizeof(buf)));
	assert_null(cli_suggest_option(c, "-x", buf, sizeof(buf)));
}

/* The command line run with no words at all (an execve with an empty
 * argv, as a hostile parent can do): the usage and exit 2, nothing read past
 * argv's end; a verb the server serves is one the table marks. */
static void empty_argv(void **state)
{
	(void)state;
	char *argv[] = {NULL};
	assert_int_equal(cli_main(0, argv), CLI_USAGE);
	assert_true(cli_command("ancestors")->served);
	assert_false(cli_command("docs")->served);
	assert_false(cli_command("cache")->served);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(short_options_mean_one_thing),
		cmocka_unit_test(globals_match_the_verbs),
		cmocka_unit_test(every_verb_has_examples),
		cmocka_unit_test(option_suggestions),
		cmocka_unit_test(empty_argv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
