/*
 * gv_render.c - the Graphviz backend's entry: plans the drawing, builds the
 * cgraph graph step by step (gv_graph.c, gv_groups.c, gv_legend.c) and
 * writes it through gv.c.
 */
#include "draw.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int build(lin_gv *d, lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = lin_catalog_count(d->cat);

	d->group = lin_i_gv_group_of(d->o);
	d->nodes = calloc((size_t)n + 1, sizeof(*d->nodes));
	d->mores = calloc(d->p->nmores + 1, sizeof(*d->mores));
	if (!d->nodes || !d->mores)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	if ((rc = lin_i_gv_open_graph(d, err)))
		return rc;
	if (igraph_vector_int_size(&d->p->verts) > 0 && (rc = lin_i_gv_open_legend(d, err)))
		return rc;
	if ((rc = lin_i_gv_add_groups(d, err)) || (rc = lin_i_gv_add_nodes(d, err)) ||
	    (rc = lin_i_gv_add_edges(d, err)) || (rc = lin_i_gv_add_mores(d, err)))
		return rc;
	if (d->o->by_year && (rc = lin_i_gv_add_time_axis(d, err)))
		return rc;
	if (d->legend && (rc = lin_i_gv_fill_legend(d, err)))
		return rc;
	lin_i_gv_layout_budget(d);
	return lin_i_gv_add_title(d, err);
}

/* cairo stamps a PDF with the time it was written ("/CreationDate
 * (D:20261201141200Z)"): the digits become the epoch's, in place (the
 * same length, so the cross-reference offsets stay right), and the same
 * catalog gives the same bytes. */
static void pdf_fix_date(lin_buf *out)
{
	static const char key[] = "/CreationDate (D:";
	char *at = NULL;
	if (!out->data)
		return;
	for (size_t i = 0; i + sizeof(key) - 1 <= out->len && !at; i++)
		if (memcmp(out->data + i, key, sizeof(key) - 1) == 0)
			at = out->data + i + sizeof(key) - 1;
	for (size_t k = 0; at && at < out->data + out->len && *at >= '0' && *at <= '9'; at++, k++)
		*at = "19700101000000"[k < 14 ? k : 13];
}

/* Graphviz's messages name nodes by our node names, "n<vertex>": the
 * warning names the models instead (draw.h). */
void lin_i_gv_put_notes(lin_buf *b, const lin_catalog *cat, const char *notes)
{
	igraph_integer_t n = lin_catalog_count(cat);
	for (const char *s = notes; *s;) {
		char *end = NULL;
		if (*s == 'n' && (s == notes || strchr(" '\"(", s[-1])) &&
		    isdigit((unsigned char)s[1])) {
			long long v = strtoll(s + 1, &end, 10);
			if (strchr(" ,:;'\")", *end) && v >= 0 && v < n) {
				lin_buf_puts(b, lin_catalog_model(cat, (igraph_integer_t)v)->id);
				s = end;
				continue;
			}
		}
		lin_buf_append(b, s++, 1);
	}
}

/* What Graphviz said while drawing, as one warning in o->diags naming the
 * diagram by its caption and the models by their ids (never on standard
 * error). */
static int report_notes(lin_gv *d, lin_error *err)
{
	const char *notes = lin_i_gv_notes();
	lin_buf title = LIN_BUF_INIT, said = LIN_BUF_INIT;
	lin_error w;
	int rc = 0;
	if (!notes[0] || !d->o->diags)
		return 0;
	lin_i_draw_title(&title, d->cat, d->o, d->p);
	lin_i_gv_put_notes(&said, d->cat, notes);
	if (title.oom || said.oom) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	lin_error_clear(&w);
	lin_i_fail(&w, LIN_ERENDER, NULL, 0, 0, "Graphviz, drawing \"%.120s\": %s",
	           title.data ? title.data : "", said.data);
	lin_i_diags_add(d->o->diags, &w, 1);
done:
	lin_buf_dispose(&title);
	lin_buf_dispose(&said);
	return rc;
}

/* The backend's entry: plans the drawing, builds the cgraph graph and writes
 * it in fmt (DOT, SVG or PNG). */
static int gv_render(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
                     lin_format fmt, lin_error *err)
{
	int rc = 0;
	lin_plan plan;
	lin_gv d;
	lin_gv_saved saved = {NULL, AGWARN};

	memset(&d, 0, sizeof(d));
	memset(&plan, 0, sizeof(plan));
	d.cat = cat;
	d.o = o;
	d.p = &plan;
	lin_i_gv_begin(&saved);
	if ((rc = lin_i_plan_make(&plan, cat, o, o->max_nodes, err)))
		goto done;
	if ((rc = build(&d, err)))
		goto done;
	if (fmt == LIN_FORMAT_PNG && o->scale > 1) {
		char dpi[16];
		snprintf(dpi, sizeof(dpi), "%d", 96 * o->scale);
		lin_i_gv_declare(d.g, AGRAPH, "dpi", dpi);
	}
	if (fmt == LIN_FORMAT_DOT)
		rc = lin_i_gv_write_dot(out, d.g, err);
	else
		rc = lin_i_gv_layout_render(out, d.g, fmt == LIN_FORMAT_SVG ? "svg"
		                                      : fmt == LIN_FORMAT_PDF ? "pdf:cairo"
		                                                              : "png", err);
	if (rc == 0 && fmt == LIN_FORMAT_PDF)
		pdf_fix_date(out);
	if (rc == 0)
		rc = report_notes(&d, err);
done:
	if (d.g)
		agclose(d.g);
	lin_i_plan_dispose(&plan);
	free(d.nodes);
	free(d.mores);
	free(d.home);
	lin_buf_dispose(&d.tmp);
	lin_i_gv_end(&saved);
	return rc;
}

const lin_draw_backend lin_i_draw_graphviz = {
	.name = "graphviz",
	.render = gv_render,
};
