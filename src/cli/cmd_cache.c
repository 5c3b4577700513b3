/*
 * cmd_cache.c - `lineage cache`: opens the catalog through the binary index
 * cache (building or refreshing it when needed) and says what happened, or
 * removes the catalog's image and any leftover temporary files with --clear.
 */
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const cli_opt cache_opts[] = {
	{"clear", 0, NULL, "remove the catalog's cache image and leftover temporary files instead"},
	CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END,
};

/* --clear: the catalog is not read, only its image's name computed. */
static int clear(const cli_args *a, const char *dir)
{
	const char *paths[CLI_MAX_DATA];
	lin_cache_cleared c;
	lin_error err;
	size_t np = cli_data_paths(a, paths);
	lin_error_clear(&err);
	if (lin_cache_clear(&c, dir, paths, np, &err) != 0) {
		cli_error(&err);
		return CLI_USAGE;
	}
	printf("%s %s\n", c.image ? "removed" : "no image at", c.path);
	if (c.temporaries)
		printf("removed %zu leftover temporary file%s (%" PRIu64 " bytes)\n", c.temporaries,
		       c.temporaries == 1 ? "" : "s", c.temporary_bytes);
	return CLI_OK;
}

static int run_cache(const cli_cmd *cmd, const cli_args *a)
{
	lin_catalog *cat = NULL;
	lin_cache_status st;
	char dir[LIN_PATH_MAX];
	if (!cli_cache_dir(dir, sizeof(dir))) {
		cli_errorf("no cache directory (LINEAGE_CACHE is 'off', or neither XDG_CACHE_HOME nor HOME is set)");
		return CLI_USAGE;
	}
	if (cli_flag(cmd, a, "clear"))
		return clear(a, dir);
	int rc = cli_open(a, &cat, NULL, 0, &st);
	if (rc)
		return rc;
	printf("image: %s\n", st.path[0] ? st.path : "(none)");
	printf("state: %s%s%s%s\n", st.hit ? "fresh" : st.written ? "rebuilt" : "not written",
	       st.hit && st.written ? " (refreshed)" : "", st.why[0] ? ": " : "", st.why);
	printf("models: %" IGRAPH_PRId "\n", lin_catalog_count(cat));
	lin_catalog_free(cat);
	return rc;
}

const cli_cmd cmd_cache = {
	.name = "cache",
	.args = "",
	.summary = "build, check or clear the catalog's binary index cache",
	.help = "Every query opens the catalog through a binary image of it kept in\n"
	        "$LINEAGE_CACHE, else $XDG_CACHE_HOME/lineage, else ~/.cache/lineage\n"
	        "(LINEAGE_CACHE=off: never). The image is used while the catalog's files\n"
	        "are unchanged (size, mtime, inode; a content hash when those cannot\n"
	        "decide) and rebuilt otherwise. A cache directory or image that is not\n"
	        "yours, or that group or others may write, is never used (the catalog\n"
	        "is read instead). The image is mapped under a read lease, so a query\n"
	        "reads only what it touches, and copied first should anyone go to change\n"
	        "it. This command opens the catalog that way and prints\n"
	        "the image's path and state: fresh (used as it was), rebuilt (with the\n"
	        "reason), or not written (with the reason). --clear removes the image\n"
	        "and the temporary files of interrupted builds, without reading the\n"
	        "catalog.",
	.examples = "lineage cache\n"
	            "lineage cache --clear",
	.opts = cache_opts,
	.min_pos = 0,
	.max_pos = 0,
	.run = run_cache,
};
