/*
 * arena.c - a bump allocator for the catalog's strings and lists. A catalog
 * of a million models holds tens of millions of small strings; allocating
 * them one by one would dominate load time and make freeing slow.
 */
#include "util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* data[] of max_align_t starts at an offset aligned for any type, and
 * malloc's block is too; every size is rounded to that alignment, so each
 * pointer handed out is aligned for any type as well. */
struct lin_arena_chunk {
	lin_arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define ARENA_ALIGN _Alignof(max_align_t)

#define CHUNK_MIN ((size_t)64 * 1024)

void *lin_i_arena_alloc(lin_arena *a, size_t n)
{
	/* the alignment, not sizeof(max_align_t) (32 on x86-64, where the
	 * alignment is 16): rounding to the size wasted space, and checking
	 * pointers against it failed whenever malloc gave 16-byte blocks */
	if (n > SIZE_MAX - ARENA_ALIGN - sizeof(lin_arena_chunk))
		return NULL;
	n = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
	lin_arena_chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	char *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *lin_i_arena_strndup(lin_arena *a, const char *s, size_t n)
{
	char *p = lin_i_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void lin_i_arena_reset(lin_arena *a)
{
	lin_arena_chunk *c = a->head;
	if (!c)
		return;
	/* keep the oldest chunk: the scratch arena is reset once per entry */
	while (c->next) {
		lin_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	c->used = 0;
	a->head = c;
}

void lin_i_arena_dispose(lin_arena *a)
{
	lin_arena_chunk *c = a->head;
	while (c) {
		lin_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

int lin_i_grow(void *arrp, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap * 2 + 16 > need ? *cap * 2 + 16 : need;
	if (c > SIZE_MAX / elem)
		return LIN_ENOMEM;
	void *q = realloc(*(void **)arrp, c * elem);
	if (!q)
		return LIN_ENOMEM;
	*(void **)arrp = q;
	*cap = c;
	return 0;
}
