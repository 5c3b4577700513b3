/*
 * gv_legend.c - the legend (only vocabulary words and colours, one HTML
 * table node) and the caption of a Graphviz drawing.
 */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- legend and caption ------------------------------------------------------------- */

/* The legend as one HTML-table node: only vocabulary words and colours, so
 * nothing in it needs escaping. */
static void put_legend_html(lin_buf *b, const lin_gv *d)
{
	lin_buf_puts(b, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" "
	                "CELLPADDING=\"2\">");
	lin_buf_puts(b, "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>stage</B></TD></TR>");
	for (int s = 0; s < LIN_STAGE_COUNT; s++)
		if (d->stages & (1u << s))
			lin_buf_printf(b, "<TR><TD BGCOLOR=\"%s\" BORDER=\"1\" COLOR=\"#4a5568\" "
			               "WIDTH=\"30\" HEIGHT=\"14\"></TD><TD ALIGN=\"LEFT\">%s</TD></TR>",
			               lin_i_stage_fill(s), lin_stage_name((lin_stage)s));
	if (d->closed)
		lin_buf_puts(b, "<TR><TD><FONT COLOR=\"" CLOSED_BORDER "\">"
		                "\xe2\x94\x85\xe2\x94\x85\xe2\x94\x85</FONT></TD>"
		                "<TD ALIGN=\"LEFT\">red dashed border: closed weights</TD></TR>");
	if (d->external)
		lin_buf_puts(b, "<TR><TD><FONT COLOR=\"#868e96\">"
		                "\xe2\x94\x88\xe2\x94\x88\xe2\x94\x88</FONT></TD>"
		                "<TD ALIGN=\"LEFT\">dotted, white: external (known only by name)</TD></TR>");
	if (d->p->nmores)
		lin_buf_puts(b, "<TR><TD BGCOLOR=\"#f1f3f5\" BORDER=\"1\" COLOR=\"#868e96\">+N</TD>"
		                "<TD ALIGN=\"LEFT\">models not drawn, by relation</TD></TR>");
	if (d->rels)
		lin_buf_puts(b, "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>derivation</B></TD></TR>");
	for (int r = 0; r < LIN_REL_COUNT; r++)
		if (d->rels & LIN_REL_BIT(r))
			lin_buf_printf(b, "<TR><TD><FONT COLOR=\"%s\">%s</FONT></TD>"
			               "<TD ALIGN=\"LEFT\">%s</TD></TR>",
			               lin_i_rel_looks[r].color, lin_i_rel_looks[r].sample,
			               lin_relation_name((lin_relation)r));
	if (d->inferred)
		lin_buf_puts(b, "<TR><TD><FONT COLOR=\"#868e96\">"
		                "\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xe2\x96\xb6</FONT></TD>"
		                "<TD ALIGN=\"LEFT\">dotted, faint: relation inferred, not stated</TD></TR>");
	lin_buf_puts(b, "</TABLE>");
}

/* A "cluster_legend" subgraph holding one legend node. It is created before
 * the models so that the DOT text, read back, lays out the same way (the
 * legend then lands after the drawing); its table is filled in at the end. */
int lin_i_gv_open_legend(lin_gv *d, lin_error *err)
{
	Agraph_t *sub = agsubg(d->g, (char *)"cluster_legend", 1);
	Agnode_t *n = sub ? agnode(sub, (char *)"legend", 1) : NULL;

	if (!n)
		return lin_i_gv_fail(err, "cannot create the legend");
	lin_i_gv_set(sub, "label", "legend");
	lin_i_gv_set(sub, "fontsize", "11");
	lin_i_gv_set(sub, "style", "rounded");
	lin_i_gv_set(sub, "color", "#c0c6cc");
	lin_i_gv_set(sub, "fontcolor", "#6c757d");
	lin_i_gv_set(n, "shape", "plaintext");
	lin_i_gv_set(n, "style", "solid");
	lin_i_gv_set(n, "margin", "0");
	lin_i_gv_set(n, "fontsize", "10");
	lin_i_gv_set(n, "id", "legend");
	d->legend = n;
	return 0;
}

/* Fills the legend with the stages and relations actually drawn. */
int lin_i_gv_fill_legend(lin_gv *d, lin_error *err)
{
	char *html = NULL;

	put_legend_html(&d->tmp, d);
	if (d->tmp.oom)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	html = agstrdup_html(d->g, d->tmp.data);
	if (!html)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	lin_i_gv_set(d->legend, "label", html);
	agstrfree(d->g, html);
	d->tmp.len = 0;
	return 0;
}

/* The caption: the caller's title, or a description of what is drawn, and
 * on a second line what collapsing or reduction left out. */
int lin_i_gv_add_title(lin_gv *d, lin_error *err)
{
	lin_buf raw = LIN_BUF_INIT;
	int rc = 0;

	lin_i_draw_title(&raw, d->cat, d->o, d->p);
	lin_i_gv_put_text(&d->tmp, raw.data ? raw.data : "", TEXT_MAX_CHARS);
	raw.len = 0;
	lin_i_plan_note(&raw, d->p);
	if (raw.len) {
		lin_buf_puts(&d->tmp, "\\n");
		lin_i_gv_put_text(&d->tmp, raw.data, 2 * TEXT_MAX_CHARS);
	}
	if (d->tmp.oom || raw.oom)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	else
		agattr(d->g, AGRAPH, (char *)"label", d->tmp.data);
	d->tmp.len = 0;
	lin_buf_dispose(&raw);
	return rc;
}

/* Builds the whole cgraph graph for the plan. */
