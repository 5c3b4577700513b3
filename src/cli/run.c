/*
 * run.c - the `lineage` command line: picks a verb from the command table
 * and runs it (main.c calls it; so does a resident server's worker). Exit codes: 0 ok, 1 "no" / problems found, 2 usage or input error.
 */
#include "cli.h"
#include "serve.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The global option word w names ("--data", "--data=x", "-d"), or -1. */
int cli_global_index(const char *w)
{
	for (size_t i = 0; i < CLI_NGLOBALS; i++) {
		size_t n = strlen(cli_globals[i].name);
		if (w[1] == '-' ? strncmp(w + 2, cli_globals[i].name, n) == 0 && (!w[n + 2] || w[n + 2] == '=')
		                : w[1] == cli_globals[i].short_name && !w[2])
			return (int)i;
	}
	return -1;
}

static int unknown_global(const char *w)
{
	const char *names[CLI_NGLOBALS + 3];
	char near[64], word[64];
	size_t k = 0;
	for (size_t i = 0; i < CLI_NGLOBALS; i++)
		names[k++] = cli_globals[i].name;
	names[k++] = "help";
	names[k++] = "version";
	names[k] = NULL;
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(w + (w[1] == '-' ? 2 : 1), "="),
	         w + (w[1] == '-' ? 2 : 1));
	const char *n = w[1] == '-' ? lin_nearest_word(names, word) : NULL;
	if (n)
		snprintf(near, sizeof(near), "--%s", n);
	return cli_unknown("option", w, n ? near : NULL);
}

/* SIGINT, SIGTERM, SIGHUP: remove the named temporary files of writes in
 * progress (where the file system has no unnamed files), then die of the
 * same signal, so the caller still sees how the run ended. */
static void on_fatal_signal(int sig)
{
	lin_remove_temporaries();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_fatal_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	srv_catch_signals(sigs, sizeof(sigs) / sizeof(sigs[0]), on_fatal_signal, 0);
}

/* Flushes and closes stdout, so a full disk or closed pipe is an error
 * rather than silently truncated output. */
static int close_stdout(int rc)
{
	if (fclose(stdout) != 0) {
		fprintf(stderr, "lineage: cannot write to standard output: %s\n", strerror(errno));
		return rc ? rc : CLI_USAGE;
	}
	return rc;
}

/* 1 when the locale's codeset is UTF-8. The library's own behaviour does
 * not depend on the locale, so LC_CTYPE goes back to "C" once asked. */
static int locale_is_utf8(void)
{
	int utf8 = 1;
	if (setlocale(LC_CTYPE, "")) {
		const char *cs = nl_langinfo(CODESET);
		utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
		setlocale(LC_CTYPE, "C");
	}
	return utf8;
}

/* Runs cmd on the global options (words before the verb) and the verb's own
 * words, globals first so a repeated --data keeps its order. */
static int run(const cli_cmd *cmd, char **pre, int npre, int argc, char **argv)
{
	cli_args a;
	char **words = calloc((size_t)(npre + argc) + 1, sizeof(char *));
	int rc = CLI_USAGE;
	if (!words) {
		fputs("lineage: out of memory\n", stderr);
		return CLI_USAGE;
	}
	for (int i = 0; i < npre; i++) {
		int g = cli_global_index(pre[i]);
		int takes = 0;
		for (const cli_opt *o = cmd->opts; g >= 0 && o->name; o++)
			takes |= strcmp(o->name, cli_globals[g].name) == 0;
		if (g >= 0 && !takes) {
			fprintf(stderr, "lineage %s: this command takes no --%s option\n", cmd->name,
			        cli_globals[g].name);
			fprintf(stderr, "(see 'lineage %s --help')\n", cmd->name);
			free(words);
			return CLI_USAGE;
		}
		words[i] = pre[i];
	}
	for (int i = 0; i < argc; i++)
		words[npre + i] = argv[i];
	int p = cli_parse(cmd, npre + argc, words, &a);
	cli_server_install(cmd);
	if (p == 0)
		rc = cmd->run(cmd, &a);
	else
		rc = p > 0 ? CLI_OK : CLI_USAGE;
	lin_render_shutdown();
	free(words);
	return rc;
}

int cli_main(int argc, char **argv)
{
	char *pre[2 * CLI_MAX_DATA + 8];
	int npre = 0, k = 1;
	/* a closed pipe becomes EPIPE, reported like any write error, instead
	 * of a silent death by signal */
	signal(SIGPIPE, SIG_IGN);
	catch_fatal_signals();
	cli_utf8 = locale_is_utf8();
	/* an execve with an empty argv: no verb, and argv[1] is not there */
	if (argc < 1) {
		cli_main_usage(stderr);
		return CLI_USAGE;
	}
	for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++) {
		const char *w = argv[k];
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			cli_main_usage(stdout);
			return close_stdout(CLI_OK);
		}
		if (strcmp(w, "--version") == 0) {
			printf("lineage %s\n", LIN_VERSION);
			return close_stdout(CLI_OK);
		}
		if (cli_global_index(w) < 0)
			return unknown_global(w);
		if (npre + 2 > (int)(sizeof(pre) / sizeof(pre[0]))) {
			fputs("lineage: too many options before the command\n", stderr);
			return CLI_USAGE;
		}
		pre[npre++] = argv[k];
		if (w[1] == '-' && strchr(w, '='))
			continue;
		if (k + 1 == argc) {
			fprintf(stderr, "lineage: option '%s' needs a value\n(see 'lineage --help')\n", w);
			return CLI_USAGE;
		}
		pre[npre++] = argv[++k];
	}
	if (k == argc && npre) {
		fputs("lineage: missing command after the options\n(see 'lineage --help')\n", stderr);
		return CLI_USAGE;
	}
	if (k == argc) {
		cli_main_usage(stderr);
		return CLI_USAGE;
	}
	const cli_cmd *cmd = cli_command(argv[k]);
	if (!cmd)
		return cli_unknown("command", argv[k], cli_nearest_command(argv[k]));
	return close_stdout(run(cmd, pre, npre, argc - k - 1, argv + k + 1));
}
