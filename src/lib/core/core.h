/*
 * core.h - the catalog object (its layout, the name index, the igraph
 * graph) shared by every layer above: load/ and import/ fill it, cache/
 * maps it, query/, export/ and draw/ read it. Core calls nothing above
 * itself: a backing store that builds models lazily installs a hook.
 */
#ifndef LIN_CORE_H
#define LIN_CORE_H

#include "util/util.h"
#include <pthread.h>
#include <stdatomic.h>

/* A store a catalog's models are built from on first use (the cache
 * image), so a query that touches a hundred models of a million pays for
 * a hundred. The store installs these with lin_i_catalog_attach. */
typedef struct lin_backing {
	/* fills cat->models[v] (called once per model, under cat->lock) */
	void (*build)(lin_catalog *cat, igraph_integer_t v);
	/* model v's stage without building its record */
	lin_stage (*stage)(const lin_catalog *cat, igraph_integer_t v);
	/* releases the store (from lin_catalog_free) */
	void (*release)(lin_catalog *cat);
} lin_backing;

#define LIN_NO_KEY UINT32_MAX

struct lin_key {
	uint32_t key;    /* offset of the lin_name_key() form in key_pool */
	uint32_t vertex;
	uint32_t same;   /* next key spelled the same, or LIN_NO_KEY */
	uint32_t tail;   /* in a chain's first key: its last key */
	uint32_t id_key; /* in a chain's first key: its id key, or LIN_NO_KEY */
	uint32_t kind;   /* 0 id, 1 name, 2 alias */
};

/* The catalog's private layout. */
struct lin_catalog {
	lin_model *models;
	size_t n, cap;
	char **files; /* every file name loaded; lin_pos.file points here */
	size_t nfiles;
	size_t files_cap; /* room in files when it grows by interning (0: none known) */
	lin_arena arena; /* every model string and list */
	lin_arena *adopted; /* arenas of pieces parsed in parallel */
	size_t nadopted;
	int finished;
	/* ids and names of entries skipped for schema errors (strings in an
	 * arena): a parent naming one is not reported again as unknown */
	const char **skipped;
	size_t nskipped, skipped_cap;
	/* some input was not read to its end (unreadable, over a limit, a
	 * syntax error): its models are missing, not known to be skipped */
	int lost;
	igraph_t graph;
	int has_graph;
	igraph_vector_int_t edge_rel;   /* relation of each edge */
	/* name keys (id, name, aliases) and a hash table over them. No
	 * pointers: the binary cache stores these arrays as they are. */
	struct lin_key *keys;
	size_t nkeys;
	uint64_t *table; /* open addressing: hash tag << 32 | a chain's first key */
	size_t tcap;     /* a power of two, at least twice nkeys */
	char *key_pool;  /* the keys' text, NUL-separated */
	size_t key_pool_len;
	int index_borrowed; /* keys, table and key_pool live in a backing store */
	/* a catalog whose models are built lazily from a backing store */
	const lin_backing *backing;
	void *store;                  /* the backing's own state */
	_Atomic unsigned char *ready; /* per model: 1 once models[v] is built */
	pthread_mutex_t lock;         /* serialises building (arena use) */
	int borrowed;                 /* files and edge vectors live in the store */
	int graph_views;              /* graph's vectors are views of the store's */
	int resident;                 /* lin_catalog_set_resident: free leaves it */
};

/* The licence audit's chains (license.c): for each vertex, the nearest
 * ancestor whose licence restricts (lin_license_restricts) reached through
 * edges of the relations in mask, or the vertex itself when its own
 * licence restricts. Arrays of n entries, by vertex. */
typedef struct lin_license_trace {
	igraph_integer_t n;
	igraph_integer_t *src; /* the restricting ancestor, -1: none */
	igraph_integer_t *via; /* index in the vertex's parents of the chain's first
	                          step, -1: none */
	igraph_integer_t *len; /* its length in edges */
} lin_license_trace;

/* Fills t over the vertices of order, which must list each of them after
 * all its parents (a topological order of the catalog or of part of it);
 * vertices outside order keep src -1. Free with _dispose (also on error). */
int lin_i_license_trace(lin_license_trace *t, const lin_catalog *cat,
                        const igraph_vector_int_t *order, lin_relmask mask, lin_error *err);
void lin_i_license_trace_dispose(lin_license_trace *t);
/* 1 when v is licence drift under t: its licence promises what the
 * restricting ancestor t->src[v] (not v itself) forbids. */
int lin_i_license_drift(const lin_license_trace *t, const lin_catalog *cat, igraph_integer_t v);
/* Appends the drift message for v ("licence drift: 'q' is mit but derives
 * from ..."), its chain spelled out to a few steps. */
int lin_i_license_drift_text(lin_buf *b, const lin_catalog *cat, const lin_license_trace *t,
                             igraph_integer_t v);

/* Makes cat (new, empty) a catalog of n models built lazily through ops
 * from store: allocates the model and ready arrays and the lock. On
 * failure nothing is attached. */
int lin_i_catalog_attach(lin_catalog *cat, const lin_backing *ops, void *store, size_t n);

/* Model v's stage, without building a lazily built model's record (a
 * statistics pass over a million models would build them all). */
lin_stage lin_i_catalog_stage(const lin_catalog *cat, igraph_integer_t v);

/* The field table's keys, NULL-terminated (the keys a catalog entry may
 * have), and its brief fields in their brief-record order (*n of them; the
 * first is the id). Derived once; static. */
const char *const *lin_i_field_keys(void);
const lin_field *const *lin_i_fields_brief(size_t *n);

/* Adds a copy of the model record m (its strings must already live in
 * cat->arena) to the catalog. */
int lin_i_catalog_append(lin_catalog *cat, const lin_model *m);
/* Moves every model of from (unfinished, its strings adopted with
 * lin_i_catalog_adopt_arena) to the end of cat, and frees from's array. */
int lin_i_catalog_take_models(lin_catalog *cat, lin_catalog *from);

/* Remembers the id or name of an entry the load skipped (name must live as
 * long as the catalog), so that finishing can tell a parent naming it from
 * one naming nothing. LIN_ENOMEM or 0. */
int lin_i_catalog_skip(lin_catalog *cat, const char *name);

/* Moves from's strings (its arena) into cat, which frees them with its
 * own: models parsed in parallel into catalogs of their own keep pointing
 * at them once they are appended to cat. 0 or LIN_ENOMEM (nothing moved). */
int lin_i_catalog_adopt_arena(lin_catalog *cat, lin_catalog *from);

/* Keeps a copy of a file name for lin_pos.file; NULL when out of memory. */
const char *lin_i_catalog_intern_file(lin_catalog *cat, const char *name);

/* lin_catalog_find; with detail == 0 a miss or an ambiguity gets a short
 * message, without the suggestions or the candidate list, whose cost grows
 * with the catalog (resolving a million parents must not pay it for each
 * of thousands of unknown ones). Safe to call from several threads on a
 * parsed catalog. */
int lin_i_index_find(igraph_integer_t *out, const lin_catalog *cat, const char *query,
                   int detail, lin_error *err);

/* What name s reads as: when s holds a character outside ASCII, its
 * skeleton is appended to skel and *skel_key receives the skeleton's name
 * key (free()); *cp and *kind the most suspicious code point and its class
 * (LIN_FOLD_KEEP, *skel_key NULL: s reads as itself). 0 or LIN_ENOMEM. */
int lin_i_name_reads(lin_buf *skel, char **skel_key, const char *s, unsigned long *cp,
                     lin_fold *kind);

/* "U+200B, an invisible character" and the like, for a warning. */
void lin_i_fold_describe(char *buf, size_t n, unsigned long cp, lin_fold kind);

/* lin_name_key without the allocation: the key of s into out, which has
 * room for strlen(s) + 1 bytes (a key is never longer than its name). */
void lin_i_name_key_into(char *out, const char *s);

/* The hash the name index spreads keys with (of a key, not a name), for
 * other tables of keys that must stay one probe a look-up. */
uint64_t lin_i_name_hash(const char *key);

/* The model of the first key spelled key (a name key already), or -1. */
igraph_integer_t lin_i_index_lookup(const lin_catalog *cat, const char *key);

/* Warns about look-alike names: a name or alias holding invisible or
 * compatibility characters, or reading like another model's (their
 * skeletons' keys collide). At the model's entry; 0 or LIN_ENOMEM. */
int lin_i_index_audit(const lin_catalog *cat, lin_diags *diags);

/* Builds the name index (keys) and reports duplicate ids and aliases. */
int lin_i_index_build(lin_catalog *cat, lin_diags *diags, lin_error *err);
void lin_i_index_dispose(lin_catalog *cat);

/* 1 when every edge of g goes from a lower vertex id to a higher one, so
 * that vertex order is a topological order: a catalog that lists each base
 * before its derivatives. A pass over the edges, where igraph's
 * topological sort jumps around memory (0.3 s on a million models). */
int lin_i_graph_parents_first(const igraph_t *g);
/* Gives back the vectors of a graph made of views (a cache image's): they
 * become empty, so that igraph_destroy frees only what igraph allocated. */
void lin_i_graph_unview(igraph_t *g);

/* The vertices of g (or only those of vids, a set) in an order that lists
 * every parent before its children: igraph's topological sort. Models on
 * a cycle (an error reported on its own) are left out, so an audit still
 * runs on the rest. order is initialised by the caller. */
int lin_i_graph_topo_order(igraph_vector_int_t *order, const igraph_t *g,
                           const igraph_vector_int_t *vids, lin_error *err);

/* The graph restricted to edges whose relation is in mask, with the same
 * vertex ids. With mask == LIN_REL_ALL *out is the catalog's own graph;
 * otherwise a new graph is built in *storage and *owned is set (destroy it
 * with igraph_destroy). If eids is not NULL it receives, for each edge of
 * *out, the catalog edge id it stands for. */
int lin_i_graph_filtered(const igraph_t **out, igraph_t *storage, int *owned,
                       const lin_catalog *cat, lin_relmask mask,
                       igraph_vector_int_t *eids, lin_error *err);

#endif
