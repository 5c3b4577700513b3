/*
 * export.h - text and data out of a catalog: the JSON writers, the
 * indented tree, the catalog YAML writer, the interchange formats (GraphML,
 * GEXF, CSV, NDJSON).
 */
#ifndef LIN_EXPORT_H
#define LIN_EXPORT_H

#include "query/query.h"

#endif
