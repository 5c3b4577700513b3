/*
 * render.c - the one way to draw: lin_render checks its arguments and hands
 * the drawing to the backend of the format, as curl's vtls.c hands a
 * connection to its TLS backend. Graphviz (gv.c) draws DOT, SVG, PNG and PDF;
 * Mermaid (mermaid.c) draws flowchart text. Both draw the same plan
 * (plan.c) in the same vocabulary (style.c).
 */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The backend of each format. */
static const lin_draw_backend *const backends[] = {
	[LIN_FORMAT_SVG] = &lin_i_draw_graphviz,
	[LIN_FORMAT_DOT] = &lin_i_draw_graphviz,
	[LIN_FORMAT_PNG] = &lin_i_draw_graphviz,
	[LIN_FORMAT_MERMAID] = &lin_i_draw_mermaid,
	[LIN_FORMAT_PDF] = &lin_i_draw_graphviz,
};

int lin_format_parse(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "svg") == 0)
		return LIN_FORMAT_SVG;
	if (strcmp(s, "dot") == 0 || strcmp(s, "gv") == 0)
		return LIN_FORMAT_DOT;
	if (strcmp(s, "png") == 0)
		return LIN_FORMAT_PNG;
	if (strcmp(s, "pdf") == 0)
		return LIN_FORMAT_PDF;
	if (strcmp(s, "mermaid") == 0 || strcmp(s, "mmd") == 0)
		return LIN_FORMAT_MERMAID;
	return -1;
}

int lin_render(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
               lin_format fmt, lin_error *err)
{
	if (!out || !cat || !o || fmt < LIN_FORMAT_SVG || fmt > LIN_FORMAT_PDF)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "lin_render: bad argument");
	if (!lin_catalog_graph(cat))
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "catalog not finished");
	if (o->scale < 0 || o->scale > LIN_DRAW_SCALE_MAX)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "scale %d is not between 1 and %d",
		                  o->scale, LIN_DRAW_SCALE_MAX);
	return backends[fmt]->render(out, cat, o, fmt, err);
}
