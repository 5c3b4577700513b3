/*
 * progress.c - one updating line on standard error while a catalog is
 * loaded, imported or its cache image built, once that has taken more
 * than a second, and only when standard error is a terminal (never in a
 * pipe, a file or a test). The library reports phases through
 * lin_open_opts.progress; a thread here redraws the line with the elapsed
 * time, since one phase (the parse of a big file) can last seconds
 * between two reports.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cli_progress {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t th;
	int stop, shown;
	char line[300];
	struct timespec t0;
	long delay_ms;
};

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* abs: t0 + ms as a CLOCK_MONOTONIC deadline (the condition uses it) */
static struct timespec after(const struct timespec *t0, long ms)
{
	struct timespec t = *t0;
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* Draws the line (p->mu held). */
static void draw(cli_progress *p)
{
	if (!p->line[0])
		return;
	fprintf(stderr, "\r\033[K%s (%.0f s)", p->line, since(&p->t0));
	fflush(stderr);
	p->shown = 1;
}

static void *redraw(void *arg)
{
	cli_progress *p = arg;
	long next = p->delay_ms;
	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		struct timespec until = after(&p->t0, next);
		if (pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0 || p->stop)
			continue; /* woken: stop, or a spurious wake-up */
		draw(p);
		next += 250;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

cli_progress *cli_progress_start(void)
{
	if (!isatty(STDERR_FILENO))
		return NULL;
	const char *env = getenv("LINEAGE_PROGRESS");
	if (env && strcmp(env, "off") == 0)
		return NULL;
	cli_progress *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	/* LINEAGE_PROGRESS=MS shows it after MS milliseconds instead of a
	 * second (for the test that runs it on a pseudo-terminal) */
	p->delay_ms = env && *env ? strtol(env, NULL, 10) : 1000;
	if (p->delay_ms < 0)
		p->delay_ms = 1000;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	if (pthread_create(&p->th, NULL, redraw, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return NULL;
	}
	return p;
}

void cli_progress_report(void *ctx, const char *phase, const char *file, uint64_t done,
                         uint64_t total)
{
	cli_progress *p = ctx;
	lin_buf b = LIN_BUF_INIT;
	const char *what = strcmp(phase, "parse") == 0    ? "reading"
	                   : strcmp(phase, "finish") == 0 ? "checking the catalog"
	                   : strcmp(phase, "image") == 0  ? "writing the cache image"
	                   : strcmp(phase, "open") == 0   ? "reading the cache image"
	                   : strcmp(phase, "write") == 0  ? "writing"
	                                                  : phase;
	if (!p)
		return;
	if ((strcmp(phase, "parse") == 0 || strcmp(phase, "write") == 0) && file) {
		lin_buf_printf(&b, "lineage: %s ", what);
		lin_escape(&b, file, LIN_ESC_TERMINAL_LINE, 80);
		if (total > 1)
			lin_buf_printf(&b, " (%llu of %llu)", (unsigned long long)done + 1,
			               (unsigned long long)total);
	} else if (done < total) {
		lin_buf_printf(&b, "lineage: %s", what);
	}
	pthread_mutex_lock(&p->mu);
	snprintf(p->line, sizeof(p->line), "%s", b.data && !b.oom ? b.data : "");
	/* past the delay a new phase shows at once */
	if (since(&p->t0) * 1000 >= (double)p->delay_ms)
		draw(p);
	pthread_mutex_unlock(&p->mu);
	lin_buf_dispose(&b);
}

void cli_progress_end(cli_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
