/*
 * query.h - questions over a finished catalog, all answered by igraph's
 * traversals: reach (ancestors, descendants), chains, common ancestors,
 * roots by family size, statistics.
 */
#ifndef LIN_QUERY_H
#define LIN_QUERY_H

#include "core/core.h"

/* lin_query_roots with the size of the root-set pass bounded by budget
 * entries; past it, each family is counted by its own BFS (tests use a
 * budget of 0 to check that both ways agree). */
int lin_query_roots_budget(lin_roots *out, const lin_catalog *cat, const lin_query_opts *o,
                           igraph_integer_t budget, lin_error *err);

#endif
