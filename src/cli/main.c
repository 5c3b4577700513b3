/*
 * main.c - lineage-core, the full program: what the front end `lineage`
 * runs when no server takes the command (src/serve/front.c), and the
 * server itself ("__server", started by server.c, never by hand: not in
 * the command table).
 */
#include "cli.h"

#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "__server") == 0)
		return cli_server_main(argc, argv);
	return cli_main(argc, argv);
}
