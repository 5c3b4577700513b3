/*
 * gv.c - Graphviz itself (cgraph + gvc): one context per process, its
 * messages routed into lin_errors, text escaped for its labels, and a built
 * graph written as DOT or laid out with dot and rendered as SVG/PNG.
 */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- Graphviz context and messages -------------------------------------- */

/* One context per process: freeing one and creating another reads freed
 * memory in the pango plugin, so after lin_render_shutdown it stays gone. */
static GVC_t *gv_ctx;
static int gv_closed;

/* Graphviz messages land here (errors and warnings kept apart); gv_notes
 * holds every message without its "Warning: " / "Error: " prefix, each
 * once, "; " between them, for the caller's diagnostics. */
static char gv_errs[LIN_MSG_MAX], gv_warns[LIN_MSG_MAX], gv_notes[LIN_MSG_MAX];
static char gv_line[LIN_MSG_MAX];
static int gv_level_err, gv_after_level;

static void msg_append(char *dst, const char *s)
{
	size_t have = strlen(dst), room = LIN_MSG_MAX - 1 - have;
	for (; *s && room; s++, room--)
		dst[have++] = (*s == '\n' || *s == '\r') ? ' ' : *s;
	dst[have] = '\0';
}

/* Adds one message line (trimmed) to gv_notes unless it is there already. */
static void note_line(const char *s, size_t n)
{
	char one[LIN_MSG_MAX];
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (!n || n >= sizeof(one))
		return;
	memcpy(one, s, n);
	one[n] = '\0';
	if (strstr(gv_notes, one))
		return;
	if (gv_notes[0])
		msg_append(gv_notes, "; ");
	msg_append(gv_notes, one);
}

/* Feeds text to gv_notes line by line (a message may come in pieces). */
static void note_text(const char *s)
{
	for (; *s; s++) {
		size_t have = strlen(gv_line);
		if (*s == '\n') {
			note_line(gv_line, have);
			gv_line[0] = '\0';
		} else if (have + 1 < sizeof(gv_line)) {
			gv_line[have] = *s;
			gv_line[have + 1] = '\0';
		}
	}
}

/* cgraph calls this with "Error"/"Warning", ": ", then the message. */
static int gv_capture(char *s)
{
	int level = 0;
	if (strcmp(s, "Error") == 0)
		gv_level_err = level = 1;
	else if (strcmp(s, "Warning") == 0)
		gv_level_err = 0, level = 1;
	msg_append(gv_level_err ? gv_errs : gv_warns, s);
	if (level)
		gv_after_level = 1;
	else if (gv_after_level && strcmp(s, ": ") == 0)
		gv_after_level = 0;
	else {
		gv_after_level = 0;
		note_text(s);
	}
	return 0;
}

/* Routes every Graphviz message into our buffers for the duration of a call;
 * lin_i_gv_end puts the previous handler back. */
void lin_i_gv_begin(lin_gv_saved *s)
{
	gv_errs[0] = gv_warns[0] = gv_notes[0] = gv_line[0] = '\0';
	gv_level_err = gv_after_level = 0;
	s->fn = agseterrf(gv_capture);
	s->level = agseterr(AGWARN);
	agreseterrors();
}

void lin_i_gv_end(const lin_gv_saved *s)
{
	agseterr(s->level);
	agseterrf(s->fn);
}

const char *lin_i_gv_notes(void)
{
	if (gv_line[0]) {
		note_line(gv_line, strlen(gv_line));
		gv_line[0] = '\0';
	}
	return gv_notes;
}

/* Reports a Graphviz failure with whatever Graphviz said. */
int lin_i_gv_fail(lin_error *err, const char *what)
{
	const char *said = gv_errs[0] ? gv_errs : gv_warns[0] ? gv_warns : "no message";
	return lin_i_fail(err, LIN_ERENDER, NULL, 0, 0, "Graphviz: %s: %s", what, said);
}

static int gv_failed(void)
{
	return agerrors() >= AGERR;
}

static int gv_context(GVC_t **out, lin_error *err)
{
	if (gv_closed)
		return lin_i_fail(err, LIN_ERENDER, NULL, 0, 0,
		                "Graphviz context already shut down");
	if (!gv_ctx)
		gv_ctx = gvContext();
	if (!gv_ctx)
		return lin_i_gv_fail(err, "cannot create a context");
	*out = gv_ctx;
	return 0;
}

void lin_render_shutdown(void)
{
	lin_gv_saved saved = {NULL, AGWARN};
	if (!gv_ctx)
		return;
	lin_i_gv_begin(&saved);
	gvFreeContext(gv_ctx);
	lin_i_gv_end(&saved);
	gv_ctx = NULL;
	gv_closed = 1;
}

/* ---- text for Graphviz ------------------------------------------------------ */

/* User text for a label and for a tooltip, through the escaper's Graphviz
 * rules: labels undo one level of backslash escapes, tooltips two. */
void lin_i_gv_put_text(lin_buf *b, const char *s, size_t max)
{
	lin_escape(b, s, LIN_ESC_DOT_LABEL, max);
}

void lin_i_gv_put_tip(lin_buf *b, const char *s, size_t max)
{
	lin_escape(b, s, LIN_ESC_DOT_TOOLTIP, max);
}

/* ---- output ---------------------------------------------------------------- */

/* The unlaid graph as DOT text, through agwrite into a memory stream. */
int lin_i_gv_write_dot(lin_buf *out, Agraph_t *g, lin_error *err)
{
	int rc = 0;
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);

	if (!f)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	int w = agwrite(g, f);
	if (fclose(f) != 0 || w != 0 || gv_failed())
		rc = lin_i_gv_fail(err, "cannot write DOT");
	else if (lin_buf_append(out, data, len) != 0)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	free(data);
	return rc;
}

/* Parts of Graphviz write to standard error themselves, bypassing agerr
 * (libpath's "triangulation failed" is a bare fprintf): while it lays out
 * and renders, descriptor 2 points at a temporary file whose text then
 * joins the other messages. The library never prints; Graphviz is not
 * thread-safe anyway, so neither is this. */
typedef struct err_trap {
	int saved; /* the real descriptor 2, -1 when not trapped */
	FILE *tmp;
} err_trap;

static void trap_begin(err_trap *t)
{
	t->saved = -1;
	t->tmp = tmpfile();
	if (!t->tmp)
		return;
	fflush(stderr);
	t->saved = dup(STDERR_FILENO);
	if (t->saved < 0 || dup2(fileno(t->tmp), STDERR_FILENO) < 0) {
		if (t->saved >= 0)
			close(t->saved);
		t->saved = -1;
	}
}

/* Forgets what was written to the trap so far. */
static void trap_reset(err_trap *t)
{
	if (t->saved < 0)
		return;
	fflush(stderr);
	if (ftruncate(fileno(t->tmp), 0) == 0)
		lseek(STDERR_FILENO, 0, SEEK_SET);
}

static void trap_end(err_trap *t)
{
	char buf[512];
	size_t got;
	if (t->saved >= 0) {
		fflush(stderr);
		dup2(t->saved, STDERR_FILENO);
		close(t->saved);
		rewind(t->tmp);
		while ((got = fread(buf, 1, sizeof(buf) - 1, t->tmp)) > 0) {
			buf[got] = '\0';
			note_text(buf);
		}
	}
	if (t->tmp)
		fclose(t->tmp);
	t->tmp = NULL;
	t->saved = -1;
}

/* Lays g out with dot and renders it in format fmt ("svg", "png", "pdf"). */
int lin_i_gv_layout_render(lin_buf *out, Agraph_t *g, const char *fmt, lin_error *err)
{
	int rc = 0, laid = 0;
	GVC_t *ctx = NULL;
	char *data = NULL;
	unsigned int len = 0;
	err_trap trap = {-1, NULL};

	if ((rc = gv_context(&ctx, err)))
		goto done;
	trap_begin(&trap);
	if (gvLayout(ctx, g, "dot") != 0 || gv_failed()) {
		/* dot 2.43 loses edges routing splines between clusters of a
		 * ranked drawing ("in routesplines, Pshortestpath failed", "lost
		 * n1 n3 edge": lanes on a time axis): once more with straight edges,
		 * drawn without that search; its messages are forgotten */
		gvFreeLayout(ctx, g);
		agreseterrors();
		trap_reset(&trap);
		gv_errs[0] = gv_warns[0] = gv_notes[0] = gv_line[0] = '\0';
		agattr(g, AGRAPH, (char *)"splines", (char *)"line");
		if (gvLayout(ctx, g, "dot") != 0 || gv_failed()) {
			rc = lin_i_gv_fail(err, "layout failed");
			goto done;
		}
	}
	laid = 1;
	if (gvRenderData(ctx, g, fmt, &data, &len) != 0 || gv_failed() || !data) {
		rc = lin_i_gv_fail(err, "rendering failed");
		goto done;
	}
	if (lin_buf_append(out, data, len) != 0)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
done:
	if (data)
		gvFreeRenderData(data);
	if (laid)
		gvFreeLayout(ctx, g);
	trap_end(&trap);
	return rc;
}

/* Mermaid: the plan as text, collapsed further until it is within
 * Mermaid's default limits, with a note when that was needed. */
