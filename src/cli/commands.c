/*
 * commands.c - the command table: every verb of `lineage`, in the order the
 * usage lists them. main.c dispatches through it; --help, the man page and
 * the completion scripts are printed from it (cmd_manual.c).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

const cli_cmd *const cli_commands[] = {
	&cmd_ancestors, &cmd_descendants, &cmd_path, &cmd_why, &cmd_is_ancestor, &cmd_common,
	&cmd_roots, &cmd_show, &cmd_list, &cmd_stats, &cmd_query, &cmd_licenses, &cmd_check,
	&cmd_diff, &cmd_bom, &cmd_draw, &cmd_docs, &cmd_export, &cmd_import, &cmd_cache, &cmd_server, &cmd_help,
	&cmd_completion, &cmd_man,
	NULL,
};

const cli_cmd *cli_command(const char *name)
{
	for (size_t i = 0; cli_commands[i]; i++)
		if (strcmp(cli_commands[i]->name, name) == 0)
			return cli_commands[i];
	return NULL;
}

const cli_global cli_globals[CLI_NGLOBALS] = {{"data", 'd'}, {"format", 'f'}, {"relation", 'r'}};

void cli_main_usage(void *fp)
{
	FILE *f = fp;
	fputs("usage: lineage [--data PATH] [--format FMT] [--relation KIND] <command> [options] [args]\n\n"
	      "Language-model lineage: a catalog of models and their derivations\n"
	      "(fine-tunes, adapters, merges, quantizations, ...), queried and drawn.\n\n"
	      "commands:\n", f);
	for (size_t i = 0; cli_commands[i]; i++)
		if (!cli_commands[i]->hidden)
			fprintf(f, "  %-12s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
	fputs("\n--data, --format and --relation may come before or after the command.\n"
	      "'lineage help <command>' or 'lineage <command> --help' describes a command.\n"
	      "'lineage --version' prints the version.\n", f);
}

/* Two lines on stderr: what is wrong, with a suggestion, and where to look. */
int cli_unknown(const char *what, const char *word, const char *near)
{
	char buf[512];
	/* the word is the user's and may hold terminal controls: one safe line */
	snprintf(buf, sizeof(buf), "unknown %s '%.200s'%s%s%s", what, word, near ? "; did you mean '" : "",
	         near ? near : "", near ? "'?" : "");
	cli_put_terminal(stderr, "lineage: ", buf);
	fputs("(see 'lineage --help')\n", stderr);
	return CLI_USAGE;
}

const char *cli_nearest_command(const char *w)
{
	const char *names[64];
	size_t k = 0;
	for (size_t i = 0; cli_commands[i] && k < 63; i++)
		if (!cli_commands[i]->hidden)
			names[k++] = cli_commands[i]->name;
	names[k] = NULL;
	return lin_nearest_word(names, w);
}

