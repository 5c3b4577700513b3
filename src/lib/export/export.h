/*
 * export.h - text and data out of a catalog: the JSON writers, the
 * indented tree, the catalog YAML writer, the interchange formats (GraphML,
 * GEXF, CSV, NDJSON).
 */
#ifndef LIN_EXPORT_H
#define LIN_EXPORT_H

#include "query/query.h"

/* Streams of text answers (json.c): out's bytes go to sink once it holds
 * LIN_I_SINK_CHUNK or more, or any amount when final; out is then emptied.
 * Without a sink (NULL) everything stays in out. Returns 0, LIN_ENOMEM
 * when out ran out, or the sink's code. Callers flush only between whole
 * records (lines), so a chunk never ends inside a UTF-8 sequence. */
#define LIN_I_SINK_CHUNK ((size_t)64 * 1024)
int lin_i_sink_flush(lin_buf *out, const lin_sink *sink, int final, lin_error *err);

#endif
