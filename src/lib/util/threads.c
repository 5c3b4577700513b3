/*
 * threads.c - the one way the library spreads work over cores: big catalog
 * files and Hub tables parsed in pieces, parents resolved in ranges, big
 * sorts in halves. Each piece owns its output, so nothing is shared but the
 * read-only input; the caller merges the results in order.
 */
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void lin_i_run_parallel(void *(*fn)(void *), void *items, size_t size, size_t k)
{
	pthread_t th[LIN_THREADS_MAX];
	int started[LIN_THREADS_MAX] = {0};
	char *base = items;
	for (size_t i = 1; i < k && i < LIN_THREADS_MAX; i++)
		started[i] = pthread_create(&th[i], NULL, fn, base + i * size) == 0;
	if (k)
		fn(base);
	for (size_t i = 1; i < k; i++) {
		if (i < LIN_THREADS_MAX && started[i])
			pthread_join(th[i], NULL);
		else
			fn(base + i * size); /* no thread to be had: in line */
	}
}

/* ---- sorting on two cores --------------------------------------------------- */

#define SORT_PARALLEL_MIN 65536

typedef struct sort_half {
	char *base;
	size_t n, size;
	int (*cmp)(const void *, const void *);
} sort_half;

static void *sort_some(void *arg)
{
	sort_half *h = arg;
	qsort(h->base, h->n, h->size, h->cmp);
	return NULL;
}

void lin_i_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base, *tmp = n >= SORT_PARALLEL_MIN ? malloc(n * size) : NULL;
	if (!tmp) { /* small, or no room to merge in: one core */
		if (n)
			qsort(base, n, size, cmp);
		return;
	}
	sort_half h[2] = {{b, n / 2, size, cmp}, {b + n / 2 * size, n - n / 2, size, cmp}};
	lin_i_run_parallel(sort_some, h, sizeof(h[0]), 2);
	/* merge the halves; ties take the first half's, though a total order
	 * (every caller's) has none */
	char *x = h[0].base, *xe = h[1].base, *y = h[1].base, *ye = b + n * size, *o = tmp;
	while (x < xe && y < ye) {
		char **from = cmp(y, x) < 0 ? &y : &x;
		memcpy(o, *from, size);
		o += size, *from += size;
	}
	memcpy(o, x, (size_t)(xe - x));
	o += xe - x;
	memcpy(o, y, (size_t)(ye - y));
	memcpy(b, tmp, n * size);
	free(tmp);
}
