/*
 * threads.c - the one way the library spreads work over cores: big catalog
 * files parsed in pieces (catalog.c), parents resolved in ranges
 * (graph.c). Each piece owns its output, so nothing is shared but the
 * read-only input; the caller merges the results in order.
 */
#include "util.h"

#include <pthread.h>

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
