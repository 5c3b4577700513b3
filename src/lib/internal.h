/*
 * internal.h - declarations shared by the library's modules but not public:
 * error helpers, the catalog's private layout, string utilities.
 */
#ifndef LIN_INTERNAL_H
#define LIN_INTERNAL_H

#include "lineage.h"
#include <stdarg.h>

/* Fills err (if not NULL) and returns code. */
int lin_fail(lin_error *err, int code, const char *file, int line, int col,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int lin_vfail(lin_error *err, int code, const char *file, int line, int col,
              const char *fmt, va_list ap);

/* Appends a diagnostic to d (ignored when d is NULL or out of memory). */
void lin_diags_add(lin_diags *d, const lin_error *e, int is_warning);

/* Maps an igraph error code to LIN_EGRAPH with igraph's message. */
int lin_igraph_fail(lin_error *err, igraph_error_t rc, const char *what);

/* Runs an igraph call; on failure maps the error and jumps to `done`.
 * Expects `int rc` and `lin_error *err` in scope. */
#define LIN_IG(call)                                                        \
	do {                                                                    \
		igraph_error_t ig_rc_ = (call);                                     \
		if (ig_rc_ != IGRAPH_SUCCESS) {                                     \
			rc = lin_igraph_fail(err, ig_rc_, #call);                       \
			goto done;                                                      \
		}                                                                   \
	} while (0)

/* Levenshtein distance between a and b, capped at cap+1. */
size_t lin_edit_distance(const char *a, const char *b, size_t cap);

/* The catalog's private layout. */
struct lin_catalog {
	lin_model *models;
	size_t n, cap;
	char **files; /* every file name loaded; lin_pos.file points here */
	size_t nfiles;
	int finished;
	igraph_t graph;
	int has_graph;
	igraph_vector_int_t edge_rel;   /* relation of each edge */
	igraph_vector_int_t edge_model; /* child vertex of each edge */
	igraph_vector_int_t edge_index; /* index into the child's parents */
	/* name keys (id, name, aliases) sorted for lookup */
	struct lin_key *keys;
	size_t nkeys;
};

struct lin_key {
	char *key;               /* lin_name_key() form */
	igraph_integer_t vertex;
	int kind;                /* 0 id, 1 name, 2 alias */
};

/* Builds the vertex set that keeps only edges of the given relations:
 * the graph itself when mask is all, otherwise a copy without the other
 * edges (vertex ids unchanged). *owned tells whether to destroy it. */
int lin_graph_filtered(igraph_t *out, int *owned, const lin_catalog *cat,
                       lin_relmask mask, igraph_vector_int_t *eids,
                       lin_error *err);

#endif
