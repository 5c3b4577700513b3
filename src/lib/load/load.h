/*
 * load.h - YAML -> catalog: entry.c checks one entry against the schema in
 * data/README.md, load.c reads files, directories and big files in pieces.
 */
#ifndef LIN_LOAD_H
#define LIN_LOAD_H

#include "core/core.h"

/* What an entry parse needs: the catalog, the file, where problems go. */
typedef struct lin_entry_ctx {
	lin_catalog *cat;
	const char *file; /* owned by cat->files */
	lin_diags *diags;
	lin_error first;  /* first problem of this buffer */
	int nerrors;
	int nwarnings_dropped;
} lin_entry_ctx;

/* A lin_yitem_fn (ctx is a lin_entry_ctx): parses and checks one
 * top-level item and appends it to the catalog when it is clean; problems
 * go to ctx's diagnostics and a bad entry is skipped. Negative only when
 * memory runs out. */
int lin_i_load_entry(void *ctx, const lin_ynode *item, lin_error *err);

#endif
