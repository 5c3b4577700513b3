/*
 * igraph.c - igraph's errors as lin_errors. igraph aborts the process on
 * error by default; lin_igraph_init replaces that so a hostile catalog can
 * never take the caller down.
 */
#include "util.h"

#include <stdio.h>

/* igraph reports errors through a process-wide handler; we keep the last
 * reason here and turn the returned code into a lin_error at the call site. */
static _Thread_local char ig_reason[256];

static void ig_error_handler(const char *reason, const char *file, int line,
                             igraph_error_t igraph_errno)
{
	(void)file;
	(void)line;
	(void)igraph_errno;
	snprintf(ig_reason, sizeof(ig_reason), "%s", reason ? reason : "");
	/* frees what igraph allocated before the error; without it every error
	 * leaks and the finally stack eventually overflows */
	IGRAPH_FINALLY_FREE();
}

static void ig_warning_handler(const char *reason, const char *file, int line)
{
	(void)reason;
	(void)file;
	(void)line;
}

void lin_igraph_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	igraph_set_error_handler(ig_error_handler);
	igraph_set_warning_handler(ig_warning_handler);
}

int lin_i_igraph_fail(lin_error *err, igraph_error_t rc, const char *what)
{
	(void)what; /* the call's text, for a debugger; igraph's reason says more */
	if (rc == IGRAPH_ENOMEM)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	return lin_i_fail(err, LIN_EGRAPH, NULL, 0, 0, "igraph: %s%s%s", igraph_strerror(rc),
	                ig_reason[0] ? ": " : "", ig_reason);
}
