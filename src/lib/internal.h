/*
 * internal.h - declarations shared by the library's modules but not public:
 * error helpers, the catalog's private layout, string utilities.
 */
#ifndef LIN_INTERNAL_H
#define LIN_INTERNAL_H

#include "lineage.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>

/* Fills err (if not NULL) and returns code. */
int lin_fail(lin_error *err, int code, const char *file, int line, int col,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int lin_vfail(lin_error *err, int code, const char *file, int line, int col,
              const char *fmt, va_list ap);

/* Appends a diagnostic to d (ignored when d is NULL or out of memory). */
void lin_diags_add(lin_diags *d, const lin_error *e, int is_warning);

/* Appends every diagnostic of src to dst (which may be NULL), the counts
 * of dropped ones too. */
void lin_diags_append(lin_diags *dst, const lin_diags *src);

/* Maps an igraph error code to LIN_EGRAPH with igraph's message. */
int lin_igraph_fail(lin_error *err, igraph_error_t rc, const char *what);

/* Runs an igraph call; on failure maps the error and jumps to `done`.
 * Expects `int rc` and `lin_error *err` in scope. */
#define LIN_IG(call)                                                        \
	do {                                                                    \
		igraph_error_t ig_rc_ = (call);                                     \
		if (ig_rc_ != IGRAPH_SUCCESS) {                                     \
			rc = lin_igraph_fail(err, ig_rc_, #call);                       \
			goto done;                                                      \
		}                                                                   \
	} while (0)

/* Decodes the UTF-8 sequence at s (NUL-terminated): its length 1..4 with
 * the code point in *cp, or 0 when the bytes are not valid UTF-8 (overlong
 * forms, surrogates and values past U+10FFFF included). */
size_t lin_utf8_next(const unsigned char *s, unsigned long *cp);

/* Reads at most max bytes of a regular file into *out (NUL-terminated;
 * free()); *truncated when there is more. A model card's front matter is
 * at its head, so a huge README.md need not be read whole. */
int lin_read_head(char **out, size_t *len, int *truncated, const char *path, size_t max,
                  lin_error *err);

/* lin_query_roots with the size of the root-set pass bounded by budget
 * entries; past it, each family is counted by its own BFS (tests use a
 * budget of 0 to check that both ways agree). */
int lin_query_roots_budget(lin_roots *out, const lin_catalog *cat, const lin_query_opts *o,
                           igraph_integer_t budget, lin_error *err);

/* 1 for a code point no writer may pass through: C0/C1 controls, line and
 * paragraph separators, and the bidi overrides that could disguise a name
 * ("evil\u202Egnp.exe"). Writers show a space instead. */
int lin_cp_hidden(unsigned long cp);

/* A file written in pieces and renamed into place when complete: a
 * temporary file beside path (created 0600), then fsync and rename. */
typedef struct lin_atomic_file {
	int fd;
	char *path, *tmp;
} lin_atomic_file;
int lin_atomic_open(lin_atomic_file *af, const char *path, lin_error *err);
int lin_atomic_write(lin_atomic_file *af, const void *data, size_t len, lin_error *err);
/* Syncs, sets mode (less the umask), renames; always releases af. */
int lin_atomic_commit(lin_atomic_file *af, int mode, lin_error *err);
/* Removes the temporary file and releases af (no-op when released). */
void lin_atomic_abort(lin_atomic_file *af);

/* Runs fn on each of k items (item i at (char *)items + i * size): item 0
 * in the calling thread, the others on threads of their own, in line when
 * a thread cannot be had (or past LIN_THREADS_MAX). Returns when all have
 * run; the order of their effects is the caller's to restore. */
#define LIN_THREADS_MAX 16
void lin_run_parallel(void *(*fn)(void *), void *items, size_t size, size_t k);

/* 1 when every edge of g goes from a lower vertex id to a higher one, so
 * that vertex order is a topological order: a catalog that lists each base
 * before its derivatives. A pass over the edges, where igraph's
 * topological sort jumps around memory (0.3 s on a million models). */
int lin_graph_parents_first(const igraph_t *g);

/* Levenshtein distance between a and b, capped at cap+1. */
size_t lin_edit_distance(const char *a, const char *b, size_t cap);

/* ---- arena: many small strings freed at once ---------------------------- */

typedef struct lin_arena_chunk lin_arena_chunk;
typedef struct lin_arena {
	lin_arena_chunk *head;
} lin_arena;

/* Returns n zeroed bytes aligned for any type, or NULL. */
void *lin_arena_alloc(lin_arena *a, size_t n);
/* Copies n bytes of s and a NUL; NULL when out of memory. */
char *lin_arena_strndup(lin_arena *a, const char *s, size_t n);
/* Frees everything but keeps the first chunk for reuse. */
void lin_arena_reset(lin_arena *a);
void lin_arena_dispose(lin_arena *a);

/* ---- YAML: a bounded tree per top-level sequence item -------------------- */

typedef enum { LIN_Y_SCALAR, LIN_Y_SEQ, LIN_Y_MAP } lin_ytype;

/* A YAML node. Maps keep keys and values alternating in kids. A plain
 * scalar that YAML reads as null (~, null, empty) has is_null set. */
typedef struct lin_ynode {
	lin_ytype type;
	char *str;
	size_t len;
	int is_null;
	struct lin_ynode **kids;
	size_t n;
	int line, col;
} lin_ynode;

/* Called for each item of the top-level sequence. Return 0 to go on; a
 * negative code stops the read (already reported in err). */
typedef int (*lin_yitem_fn)(void *ctx, const lin_ynode *item, lin_error *err);

/* Hard limits on input, so hostile files fail fast (see README). */
#define LIN_MAX_FILE_BYTES ((size_t)1 << 30)
#define LIN_MAX_DEPTH 8
#define LIN_MAX_SCALAR 65536
#define LIN_MAX_ITEMS 4096 /* per sequence or mapping inside one entry */

/* Parses a YAML buffer whose top level must be a sequence, building one
 * bounded tree per item in a scratch arena and calling fn with it. */
int lin_yaml_each_item(const char *file, const char *data, size_t len,
                       lin_yitem_fn fn, void *ctx, lin_error *err);

/* The same for a chunk of a file that starts after line0 lines, so that
 * positions are the file's (used when a big file is parsed in pieces). */
int lin_yaml_each_item_at(const char *file, const char *data, size_t len, int line0,
                          lin_yitem_fn fn, void *ctx, lin_error *err);

/* Parses a buffer holding one YAML document of any shape into a bounded
 * tree in *arena (the caller disposes of it); *out is NULL when the
 * document is empty. Same limits as lin_yaml_each_item, the top-level node
 * counting as depth 0. */
int lin_yaml_parse_document(lin_ynode **out, lin_arena *arena, const char *file,
                            const char *data, size_t len, lin_error *err);

/* The catalog's private layout. */
struct lin_catalog {
	lin_model *models;
	size_t n, cap;
	char **files; /* every file name loaded; lin_pos.file points here */
	size_t nfiles;
	lin_arena arena; /* every model string and list */
	lin_arena *adopted; /* arenas of pieces parsed in parallel */
	size_t nadopted;
	int finished;
	igraph_t graph;
	int has_graph;
	igraph_vector_int_t edge_rel;   /* relation of each edge */
	igraph_vector_int_t edge_model; /* child vertex of each edge */
	igraph_vector_int_t edge_index; /* index into the child's parents */
	/* name keys (id, name, aliases) and a hash table over them. No
	 * pointers: the binary cache stores these arrays as they are. */
	struct lin_key *keys;
	size_t nkeys;
	uint64_t *table; /* open addressing: hash tag << 32 | a chain's first key */
	size_t tcap;     /* a power of two, at least twice nkeys */
	char *key_pool;  /* the keys' text, NUL-separated */
	size_t key_pool_len;
	int index_borrowed; /* keys, table and key_pool live in a cache image */
	/* A catalog opened from a binary cache image (cache.c): its models are
	 * built from the image's records on first access, so a query that
	 * touches a hundred models of a million pays for a hundred. */
	struct lin_image *image;
	_Atomic unsigned char *ready; /* per model: 1 once models[v] is built */
	pthread_mutex_t lock;         /* serialises building (arena use) */
	int borrowed;                 /* files and edge vectors live in the image */
};

/* The *.yaml / *.yml files of dir in the order they are loaded (sorted),
 * as "dir/name" strings; free with lin_strv_free. No such file is an
 * error (LIN_EIO). */
int lin_catalog_list_dir(char ***out, size_t *count, const char *dir, lin_error *err);
void lin_strv_free(char **v, size_t n);

/* Model v's stage, without building a cached catalog's model record (a
 * statistics pass over a million models would build them all). */
lin_stage lin_catalog_stage(const lin_catalog *cat, igraph_integer_t v);

/* Builds model v of a cached catalog in cat->models[v] (cache.c). */
void lin_cache_materialize(const lin_catalog *cat, igraph_integer_t v);
/* Releases a cached catalog's image (cache.c); lin_catalog_free calls it. */
void lin_cache_release(lin_catalog *cat);

#define LIN_NO_KEY UINT32_MAX

struct lin_key {
	uint32_t key;    /* offset of the lin_name_key() form in key_pool */
	uint32_t vertex;
	uint32_t same;   /* next key spelled the same, or LIN_NO_KEY */
	uint32_t tail;   /* in a chain's first key: its last key */
	uint32_t id_key; /* in a chain's first key: its id key, or LIN_NO_KEY */
	uint32_t kind;   /* 0 id, 1 name, 2 alias */
};

/* Adds a copy of the model record m (its strings must already live in
 * cat->arena) to the catalog. */
int lin_catalog_append(lin_catalog *cat, const lin_model *m);

/* Keeps a copy of a file name for lin_pos.file; NULL when out of memory. */
const char *lin_catalog_intern_file(lin_catalog *cat, const char *name);

/* lin_catalog_find; with detail == 0 a miss or an ambiguity gets a short
 * message, without the suggestions or the candidate list, whose cost grows
 * with the catalog (resolving a million parents must not pay it for each
 * of thousands of unknown ones). Safe to call from several threads on a
 * parsed catalog. */
int lin_index_find(igraph_integer_t *out, const lin_catalog *cat, const char *query,
                   int detail, lin_error *err);

/* Builds the name index (keys) and reports duplicate ids and aliases. */
int lin_index_build(lin_catalog *cat, lin_diags *diags, lin_error *err);
void lin_index_dispose(lin_catalog *cat);

/* The graph restricted to edges whose relation is in mask, with the same
 * vertex ids. With mask == LIN_REL_ALL *out is the catalog's own graph;
 * otherwise a new graph is built in *storage and *owned is set (destroy it
 * with igraph_destroy). If eids is not NULL it receives, for each edge of
 * *out, the catalog edge id it stands for. */
int lin_graph_filtered(const igraph_t **out, igraph_t *storage, int *owned,
                       const lin_catalog *cat, lin_relmask mask,
                       igraph_vector_int_t *eids, lin_error *err);

#endif
