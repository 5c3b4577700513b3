/*
 * cmd_cache.c - `lineage cache`: opens the catalog through the binary index
 * cache (building or refreshing it when needed) and says what happened, or
 * removes the catalog's image with --clear.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const cli_opt cache_opts[] = {
	{"clear", 0, NULL, "remove the catalog's cache image instead"},
	CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

static int run_cache(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_cache_status st;
	char dir[LIN_PATH_MAX];
	if (!cli_cache_dir(dir, sizeof(dir))) {
		cli_errorf("no cache directory (LINEAGE_CACHE is 'off', or neither XDG_CACHE_HOME nor HOME is set)");
		return CLI_USAGE;
	}
	int rc = cli_open(a, &cat, NULL, 0, &st);
	if (rc)
		return rc;
	if (cli_flag(cmd, a, "clear") && st.path[0]) {
		if (unlink(st.path) != 0 && errno != ENOENT) {
			cli_errorf("cannot remove %s: %s", st.path, strerror(errno));
			rc = CLI_USAGE;
		} else {
			printf("removed %s\n", st.path);
		}
	} else {
		printf("image: %s\n", st.path[0] ? st.path : "(none)");
		printf("state: %s%s%s%s\n", st.hit ? "fresh" : st.written ? "rebuilt" : "not written",
		       st.hit && st.written ? " (refreshed)" : "", st.why[0] ? ": " : "", st.why);
		printf("models: %" IGRAPH_PRId "\n", lin_catalog_count(cat));
	}
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_cache = {
	"cache", run_cache, "", "build, check or clear the catalog's binary index cache",
	"Every query opens the catalog through a binary image of it kept in\n"
	"$LINEAGE_CACHE, else $XDG_CACHE_HOME/lineage, else ~/.cache/lineage\n"
	"(LINEAGE_CACHE=off: never). The image is used while the catalog's files\n"
	"are unchanged (size, mtime, inode; a content hash when those cannot\n"
	"decide) and rebuilt otherwise. This command opens the catalog that way\n"
	"and prints the image's path and state: fresh (used as it was), rebuilt\n"
	"(with the reason), or not written (with the reason).",
	cache_opts, 0, 0,
};
