/*
 * main.c - the `lineage` command: picks a verb from the command table and
 * runs it. Exit codes: 0 ok, 1 "no" / problems found, 2 usage or input error.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const cli_cmd *const commands[] = {
	&cmd_ancestors, &cmd_descendants, &cmd_path, &cmd_common, &cmd_roots,
	&cmd_show, &cmd_list, &cmd_stats, &cmd_query, &cmd_licenses, &cmd_check, &cmd_diff, &cmd_bom,
	&cmd_draw, &cmd_docs, &cmd_export, &cmd_import, &cmd_cache, NULL,
};

static void usage(FILE *f)
{
	fputs("usage: lineage <command> [options] [args]\n\n"
	      "Language-model lineage: a catalog of models and their derivations\n"
	      "(fine-tunes, adapters, merges, quantizations, ...), queried and drawn.\n\n"
	      "commands:\n", f);
	for (size_t i = 0; commands[i]; i++)
		fprintf(f, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\n'lineage <command> --help' describes a command.\n"
	      "'lineage --version' prints the version.\n", f);
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
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* a signal ignored by whoever started us stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
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

int main(int argc, char **argv)
{
	cli_args a;
	int rc = CLI_USAGE;
	/* a closed pipe becomes EPIPE, reported like any write error, instead
	 * of a silent death by signal */
	signal(SIGPIPE, SIG_IGN);
	catch_fatal_signals();
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return close_stdout(CLI_OK);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("lineage %s\n", LIN_VERSION);
		return close_stdout(CLI_OK);
	}
	for (size_t i = 0; commands[i]; i++) {
		if (strcmp(argv[1], commands[i]->name) != 0)
			continue;
		int p = cli_parse(commands[i], argc - 2, argv + 2, &a);
		if (p == 0)
			rc = commands[i]->run(commands[i], &a);
		else
			rc = p > 0 ? CLI_OK : CLI_USAGE;
		lin_render_shutdown();
		return close_stdout(rc);
	}
	fprintf(stderr, "lineage: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CLI_USAGE;
}
