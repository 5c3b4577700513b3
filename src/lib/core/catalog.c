/*
 * catalog.c - the catalog object: its models, the files they came from, and
 * the lazy hook through which a backing store (the cache image) builds a
 * model record on first use. Loading lives in load/, finishing in finish.c.
 */
#include "core.h"

#include <stdlib.h>
#include <string.h>

static int grow_models(lin_catalog *cat)
{
	if (cat->n < cat->cap)
		return 0;
	size_t cap = cat->cap ? cat->cap * 2 : 64;
	lin_model *m = realloc(cat->models, cap * sizeof(*m));
	if (!m)
		return LIN_ENOMEM;
	cat->models = m;
	cat->cap = cap;
	return 0;
}

int lin_i_catalog_append(lin_catalog *cat, const lin_model *m)
{
	if (cat->finished || grow_models(cat) != 0)
		return cat->finished ? LIN_EINVAL : LIN_ENOMEM;
	cat->models[cat->n++] = *m;
	return 0;
}

int lin_i_catalog_take_models(lin_catalog *cat, lin_catalog *from)
{
	if (cat->finished)
		return LIN_EINVAL;
	if (cat->n + from->n > cat->cap) {
		/* the exact size at once: growing by doubling would hold the old
		 * and the new array during each copy (a million models: 200 MB
		 * each), where a big block's realloc can move its pages instead */
		lin_model *m = realloc(cat->models, (cat->n + from->n) * sizeof(*m));
		if (!m)
			return LIN_ENOMEM;
		cat->models = m;
		cat->cap = cat->n + from->n;
	}
	if (from->n)
		memcpy(cat->models + cat->n, from->models, from->n * sizeof(*from->models));
	cat->n += from->n;
	free(from->models);
	from->models = NULL;
	from->n = from->cap = 0;
	return 0;
}

int lin_i_catalog_adopt_arena(lin_catalog *cat, lin_catalog *from)
{
	lin_arena *a = realloc(cat->adopted, (cat->nadopted + 1) * sizeof(*a));
	if (!a)
		return LIN_ENOMEM;
	cat->adopted = a;
	cat->adopted[cat->nadopted++] = from->arena;
	from->arena.head = NULL;
	return 0;
}

int lin_i_catalog_skip(lin_catalog *cat, const char *name)
{
	if (cat->nskipped == cat->skipped_cap) {
		size_t cap = cat->skipped_cap ? 2 * cat->skipped_cap : 16;
		const char **v = realloc(cat->skipped, cap * sizeof(*v));
		if (!v)
			return LIN_ENOMEM;
		cat->skipped = v;
		cat->skipped_cap = cap;
	}
	cat->skipped[cat->nskipped++] = name;
	return 0;
}

/* The list grows by doubling: one file more at a time copied it once per
 * file where realloc cannot grow in place (ASan: 200,000 one-model files
 * took minutes to load). */
const char *lin_i_catalog_intern_file(lin_catalog *cat, const char *name)
{
	if (cat->nfiles >= cat->files_cap) {
		size_t cap = cat->nfiles < 8 ? 16 : 2 * cat->nfiles;
		char **files = realloc(cat->files, cap * sizeof(char *));
		if (!files)
			return NULL;
		cat->files = files;
		cat->files_cap = cap;
	}
	char *copy = strdup(name);
	if (!copy)
		return NULL;
	cat->files[cat->nfiles++] = copy;
	return copy;
}

/* The name index lives in the catalog's fields; index.c builds it. */
void lin_i_index_dispose(lin_catalog *cat)
{
	if (!cat->index_borrowed) {
		free(cat->keys);
		free(cat->table);
		free(cat->key_pool);
	}
	cat->keys = NULL;
	cat->table = NULL;
	cat->key_pool = NULL;
	cat->nkeys = cat->tcap = cat->key_pool_len = 0;
	cat->index_borrowed = 0;
}

int lin_catalog_new(lin_catalog **out, lin_error *err)
{
	lin_igraph_init();
	*out = calloc(1, sizeof(lin_catalog));
	if (!*out)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* Releases a backing store and the lazy-build state. */
static void detach(lin_catalog *cat)
{
	if (!cat->backing)
		return;
	cat->backing->release(cat);
	pthread_mutex_destroy(&cat->lock);
	free((void *)cat->ready);
	cat->backing = NULL;
	cat->store = NULL;
	cat->ready = NULL;
}

int lin_i_catalog_attach(lin_catalog *cat, const lin_backing *ops, void *store, size_t n)
{
	lin_model *models = calloc(n + 1, sizeof(lin_model));
	_Atomic unsigned char *ready = calloc(n + 1, 1);
	if (!models || !ready || pthread_mutex_init(&cat->lock, NULL) != 0) {
		free(models);
		free((void *)ready);
		return LIN_ENOMEM;
	}
	free(cat->models);
	cat->models = models;
	cat->ready = ready;
	cat->n = cat->cap = n;
	cat->backing = ops;
	cat->store = store;
	return 0;
}

/* Builds model v from the backing store once; building is invisible to
 * callers, who hold a const catalog. */
static void build_lazily(const lin_catalog *ccat, igraph_integer_t v)
{
	lin_catalog *cat = (lin_catalog *)ccat;
	pthread_mutex_lock(&cat->lock);
	if (!atomic_load_explicit(&cat->ready[v], memory_order_relaxed)) {
		cat->backing->build(cat, v);
		atomic_store_explicit(&cat->ready[v], 1, memory_order_release);
	}
	pthread_mutex_unlock(&cat->lock);
}

lin_stage lin_i_catalog_stage(const lin_catalog *cat, igraph_integer_t v)
{
	if (!cat->backing || atomic_load_explicit(&cat->ready[v], memory_order_acquire))
		return cat->models[v].stage;
	return cat->backing->stage(cat, v);
}

void lin_catalog_set_resident(lin_catalog *cat, int resident)
{
	if (cat)
		cat->resident = resident != 0;
}

void lin_catalog_free(lin_catalog *cat)
{
	if (!cat || cat->resident)
		return;
	if (cat->has_graph && cat->graph_views)
		lin_i_graph_unview(&cat->graph);
	if (cat->has_graph)
		igraph_destroy(&cat->graph);
	if (cat->has_graph && !cat->borrowed) {
		igraph_vector_int_destroy(&cat->edge_rel);
	}
	lin_i_index_dispose(cat);
	for (size_t i = 0; i < cat->nfiles && !cat->borrowed; i++)
		free(cat->files[i]);
	free(cat->files);
	free(cat->skipped);
	detach(cat);
	free(cat->models);
	lin_i_arena_dispose(&cat->arena);
	for (size_t i = 0; i < cat->nadopted; i++)
		lin_i_arena_dispose(&cat->adopted[i]);
	free(cat->adopted);
	free(cat);
}

igraph_integer_t lin_catalog_count(const lin_catalog *cat)
{
	return (igraph_integer_t)cat->n;
}

const lin_model *lin_catalog_model(const lin_catalog *cat, igraph_integer_t v)
{
	if (v < 0 || (size_t)v >= cat->n)
		return NULL;
	if (cat->backing && !atomic_load_explicit(&cat->ready[v], memory_order_acquire))
		build_lazily(cat, v);
	return &cat->models[v];
}
