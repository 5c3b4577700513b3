/*
 * util.h - the bottom layer: errors and diagnostics, the arena, text
 * (UTF-8, hidden characters, edit distance), files read with a limit and
 * written atomically, threads, and the bounded YAML reader. Nothing here
 * knows what a model is; every other folder builds on it.
 */
#ifndef LIN_UTIL_H
#define LIN_UTIL_H

#include "lineage.h"
#include <stdarg.h>
#include <stdint.h>
#include <time.h>

/* ---- errors and diagnostics (error.c) ----------------------------------- */

/* Fills err (if not NULL) and returns code. */
int lin_i_fail(lin_error *err, int code, const char *file, int line, int col,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int lin_i_vfail(lin_error *err, int code, const char *file, int line, int col,
              const char *fmt, va_list ap);

/* Appends a diagnostic to d (ignored when d is NULL or out of memory). */
void lin_i_diags_add(lin_diags *d, const lin_error *e, int is_warning);
/* 1 (and the item counted as dropped) when d has no room for another
 * diagnostic of that severity: a caller with a million of them skips
 * formatting the ones nobody will see. 0 when there is room (or no d). */
int lin_i_diags_skip(lin_diags *d, int is_warning);

/* Appends every diagnostic of src to dst (which may be NULL), the counts
 * of dropped ones too. */
void lin_i_diags_append(lin_diags *dst, const lin_diags *src);

/* ---- igraph's errors (igraph.c) ------------------------------------------ */

/* Maps an igraph error code to LIN_EGRAPH with igraph's message. */
int lin_i_igraph_fail(lin_error *err, igraph_error_t rc, const char *what);

/* Runs an igraph call; on failure maps the error and jumps to `done`.
 * Expects `int rc` and `lin_error *err` in scope; every container the
 * function destroys at `done` must be initialised before the first use. */
#define LIN_IG(call)                                                        \
	do {                                                                    \
		igraph_error_t ig_rc_ = (call);                                     \
		if (ig_rc_ != IGRAPH_SUCCESS) {                                     \
			rc = lin_i_igraph_fail(err, ig_rc_, #call);                       \
			goto done;                                                      \
		}                                                                   \
	} while (0)

/* ---- text (text.c) ------------------------------------------------------- */

/* Decodes the UTF-8 sequence at s (NUL-terminated): its length 1..4 with
 * the code point in *cp, or 0 when the bytes are not valid UTF-8 (overlong
 * forms, surrogates and values past U+10FFFF included). */
size_t lin_i_utf8_next(const unsigned char *s, unsigned long *cp);

/* 1 for a code point no writer may pass through: C0/C1 controls, line and
 * paragraph separators, the bidi controls that could disguise a name
 * ("evil\u202Egnp.exe": embeddings, overrides, isolates and the marks
 * U+200E, U+200F, U+061C), and the noncharacters (U+FDD0..U+FDEF and
 * U+xxFFFE/U+xxFFFF on every plane), which XML 1.0 forbids or discourages.
 * Data formats escape them; formats people read show something harmless. */
int lin_i_cp_hidden(unsigned long cp);

/* How a code point reads in a name, for the look-alike audit, in rising
 * order of suspicion: as itself; as an ASCII letter although it belongs to
 * another script (Cyrillic a, Greek omicron), legitimate alone; as ASCII
 * through a compatibility form (full-width letters, the mathematical
 * alphabets, ligatures, NBSP and the other odd spaces); or as nothing at
 * all (zero-width characters, the soft hyphen, tag characters, every
 * hidden code point). */
typedef enum lin_fold {
	LIN_FOLD_KEEP,
	LIN_FOLD_SCRIPT,
	LIN_FOLD_COMPAT,
	LIN_FOLD_INVISIBLE,
} lin_fold;

/* Classifies cp; out (room for 4) receives the ASCII it reads as ("" for
 * LIN_FOLD_KEEP and LIN_FOLD_INVISIBLE). */
lin_fold lin_i_cp_fold(unsigned long cp, char out[4]);

/* Appends the skeleton of s (what it reads as: every code point folded by
 * lin_i_cp_fold; never longer than s) to out. When first/kind are not NULL
 * they receive the most suspicious code point found and its class
 * (LIN_FOLD_KEEP: s reads as itself). Returns 0 or LIN_ENOMEM. */
int lin_i_skeleton(lin_buf *out, const char *s, unsigned long *first, lin_fold *kind);

/* s for a message: copied into buf (n bytes) whole, or cut at a character
 * boundary with an ellipsis (printf's %.64s can cut a character in two,
 * which then shows as U+FFFD). Returns buf ("" when n < 4). */
const char *lin_i_clip(char *buf, size_t n, const char *s);
/* s for a message, at most n bytes (cut with an ellipsis), in a buffer that
 * lives until the end of the enclosing block: the argument of a
 * printf-like call, where "%.64s" would cut a character in two. */
#define LIN_I_CLIP(s, n) lin_i_clip((char[(n) + 1]){0}, (size_t)(n) + 1, (s))

/* Levenshtein distance between a and b, capped at cap+1. */
size_t lin_i_edit_distance(const char *a, const char *b, size_t cap);

/* ---- hashing (sha1.c) ----------------------------------------------------- */

/* SHA-1 of prefix (plen bytes) followed by data (len bytes) into out. */
void lin_i_sha1(unsigned char out[20], const void *prefix, size_t plen, const void *data,
                size_t len);
/* The name-based UUID (RFC 4122 version 5) of data in namespace ns, as 36
 * lowercase characters and a NUL: the same bytes give the same UUID. */
void lin_i_uuid_v5(char out[37], const unsigned char ns[16], const void *data, size_t len);

/* ---- files (fileio.c) ----------------------------------------------------- */

/* Reads at most max bytes of a regular file into *out (NUL-terminated;
 * free()); *truncated when there is more. A model card's front matter is
 * at its head, so a huge README.md need not be read whole. */
int lin_i_read_head(char **out, size_t *len, int *truncated, const char *path, size_t max,
                  lin_error *err);

/* Temporary files are "<dir>/.lineage-tmp-XXXXXX" (six letters), whatever
 * the target's name, so a NAME_MAX-long target still has room. Most never
 * have a name until they are complete (O_TMPFILE); the rest are removed by
 * lin_remove_temporaries on a signal, and `docs` and `cache --clear` sweep
 * stale ones. */
#define LIN_I_TMP_PREFIX ".lineage-tmp-"

/* A file written in pieces and renamed into place when complete: an
 * unnamed file in path's directory where the file system has them, else a
 * LIN_I_TMP_PREFIX one (created 0666 less the umask, never through a
 * link); at commit fsync, a temporary name, and rename over path (a link
 * at path is replaced, not followed). */
typedef struct lin_atomic_file {
	int fd;
	char *path, *tmp; /* tmp is "" while the file has no name */
	int slot;         /* its place in the signal handler's list, or -1 */
	int keep_mode;    /* the mode of the regular file path was, or -1 */
} lin_atomic_file;
int lin_i_atomic_open(lin_atomic_file *af, const char *path, lin_error *err);
int lin_i_atomic_write(lin_atomic_file *af, const void *data, size_t len, lin_error *err);
/* Syncs, sets the mode, renames; always releases af. mode can only take
 * permission bits away from the creation mode (0666 less the umask): 0644
 * gives 0644 less the umask. LIN_I_MODE_KEEP keeps the mode of the file
 * being replaced (a 0600 output stays 0600); a new file keeps 0666 less
 * the umask. */
#define LIN_I_MODE_KEEP (-1)
int lin_i_atomic_commit(lin_atomic_file *af, int mode, lin_error *err);
/* Removes the temporary file and releases af (no-op when released). */
void lin_i_atomic_abort(lin_atomic_file *af);

/* Writes a file the tool owns (every `docs` output): always a new file
 * renamed over path, whatever is there (a symlink, a FIFO, a device node
 * planted in an output folder is replaced, never opened); only a directory
 * at path is an error. Keeps the mode of a regular file it replaces. */
int lin_i_write_replace(const char *path, const void *data, size_t len, lin_error *err);

/* Removes the temporary files interrupted runs left in the directory dirfd
 * (is_tmp says which names are): regular files of this user's only, never
 * through a link, and only those not written for min_age seconds (0: any),
 * so a run writing there right now keeps its own. Best effort; counts what
 * it removed into *n and *bytes (either may be NULL). */
void lin_i_sweep_temporaries(int dirfd, int (*is_tmp)(const char *name), time_t min_age,
                             size_t *n, uint64_t *bytes);

/* The *.yaml / *.yml files of dir in the order they are loaded (sorted),
 * as "dir/name" strings; free with lin_i_strv_free. No such file is an
 * error (LIN_EIO). */
int lin_i_catalog_list_dir(char ***out, size_t *count, const char *dir, lin_error *err);
void lin_i_strv_free(char **v, size_t n);

/* ---- threads (threads.c) -------------------------------------------------- */

/* Grows the array *arrp (of *cap elements of size elem) to hold at least
 * need elements, doubling (16 at first) so that appending one at a time
 * costs amortised O(1); 0, or LIN_ENOMEM with the array as it was. */
int lin_i_grow(void *arrp, size_t *cap, size_t need, size_t elem);

/* Runs fn on each of k items (item i at (char *)items + i * size): item 0
 * in the calling thread, the others on threads of their own, in line when
 * a thread cannot be had (or past LIN_THREADS_MAX). Returns when all have
 * run; the order of their effects is the caller's to restore. */
#define LIN_THREADS_MAX 16
void lin_i_run_parallel(void *(*fn)(void *), void *items, size_t size, size_t k);

/* qsort, the two halves of a big array sorted on two threads and merged:
 * the same result for a comparison that is a total order (ties broken by
 * position, as every caller's are). Falls back to qsort when small or
 * when the merge buffer cannot be had. */
void lin_i_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* ---- arena: many small strings freed at once (arena.c) -------------------- */

typedef struct lin_arena_chunk lin_arena_chunk;
typedef struct lin_arena {
	lin_arena_chunk *head;
} lin_arena;

/* Returns n zeroed bytes aligned for any type, or NULL. */
void *lin_i_arena_alloc(lin_arena *a, size_t n);
/* Copies n bytes of s and a NUL; NULL when out of memory. */
char *lin_i_arena_strndup(lin_arena *a, const char *s, size_t n);
/* Frees everything but keeps the first chunk for reuse. */
void lin_i_arena_reset(lin_arena *a);
void lin_i_arena_dispose(lin_arena *a);

/* ---- YAML: a bounded tree per top-level sequence item (yaml.c) ------------ */

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
int lin_i_yaml_each_item(const char *file, const char *data, size_t len,
                       lin_yitem_fn fn, void *ctx, lin_error *err);

/* The same for a chunk of a file that starts after line0 lines, so that
 * positions are the file's (used when a big file is parsed in pieces). */
int lin_i_yaml_each_item_at(const char *file, const char *data, size_t len, int line0,
                          lin_yitem_fn fn, void *ctx, lin_error *err);

/* Parses a buffer holding one YAML document of any shape into a bounded
 * tree in *arena (the caller disposes of it); *out is NULL when the
 * document is empty. Same limits as lin_i_yaml_each_item, the top-level node
 * counting as depth 0. */
int lin_i_yaml_parse_document(lin_ynode **out, lin_arena *arena, const char *file,
                            const char *data, size_t len, lin_error *err);

#endif
