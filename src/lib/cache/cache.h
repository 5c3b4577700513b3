/*
 * cache.c - a binary image of a finished catalog, so that repeated queries
 * on an unchanged catalog do not parse YAML again (a million models take
 * seconds to parse and a tenth of a second to read).
 *
 * The image holds the catalog's strings, a compact record per model (its
 * parents included) that refers to them by offset, the name index exactly as index.c
 * keeps it, igraph's own indexed edge vectors (from, to, and the sort
 * orders and start indexes igraph_create computes) with the edges'
 * attribute vectors, a topological rank per model (none when the models
 * already come parents first) and the load's warnings. It is mapped
 * under a read lease when the caller handles the lease's signal, read
 * whole into private memory otherwise (read.c says why), and used in
 * place: igraph's graph is a set of read-only views of the image, and no
 * record is decoded until a query touches its model.
 *
 * It is valid for the catalog files it was built from, recorded with
 * their size, mtime, ctime, inode and a content hash. Like git's index,
 * size and stat data decide in the common case (ctime too, so an edit
 * that puts the old mtime back is still seen); a file whose stat data
 * changed but whose size did not, or that was modified so close to the
 * build that the timestamps cannot tell ("racy"), is hashed, and an
 * unchanged hash refreshes the record instead of rebuilding.
 *
 * The image is untrusted input: another program (or a crash, or a fuzzer)
 * may have written it. The header and the edge vectors are checked when it
 * is opened (every edge between valid models, of a known relation, and
 * from a lower topological rank to a higher one, which proves the graph
 * acyclic); records and the index are checked when they are used, and a
 * bad record becomes an empty model rather than a read out of bounds.
 *
 * The cache directory is trusted only when it is the user's own and not
 * writable by group or others, and an image only when it is the user's
 * own regular file, not writable by group or others (open.c): otherwise
 * someone else could choose what the user's queries answer.
 */
#ifndef LIN_CACHE_H
#define LIN_CACHE_H

#include "load/load.h"
#include "import/import.h"

#include <sys/stat.h>
#include <time.h>

#define IMG_MAGIC "LINCACHE"
#define IMG_VERSION 7u
#define IMG_BYTE_ORDER 0x01020304u
#define NIL UINT32_MAX
/* a file modified this close to the build may have changed after it was
 * read without its mtime showing it (coarse timestamps) */
#define RACY_NS 2000000000LL

enum {
	S_SRC, S_POOL, S_FILES, S_MODELS, S_RECS, S_KEYS, S_TABLE, S_KPOOL,
	S_FROM, S_TO, S_OI, S_II, S_OS, S_IS, S_EREL, S_RANK, S_DIAGS, S_COUNT
};
/* header flags: the models come parents first (every edge goes from a
 * lower vertex to a higher one), so the rank section is empty */
#define IMG_PARENTS_FIRST 1u

typedef struct img_header {
	char magic[8];
	uint32_t version, byte_order;
	uint32_t int_size, key_size; /* sizeof(igraph_integer_t), sizeof(struct lin_key) */
	char igraph[16];             /* IGRAPH_VERSION: the layout of igraph_t's vectors */
	uint64_t flags;
	uint64_t graph_hash[3];      /* of the graph's vectors (lin_i_cache_graph_hash) */
	uint64_t file_size;
	int64_t built_sec, built_nsec;
	uint64_t nsrc, nfiles, nmodels, nparents, rec_len, nedges, nkeys, tcap, ndiags;
	uint64_t pool_len, key_pool_len;
	uint64_t off[S_COUNT], len[S_COUNT];
} img_header;

/* One catalog file the image was built from. */
typedef struct img_src {
	uint32_t name, pad;
	uint64_t size, dev, ino, hash;
	int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
} img_src;

/*
 * A model's record: bytes off[v] .. off[v + 1] of the records section
 * (S_MODELS holds the n + 1 offsets, 32-bit). Most of a model's twelve
 * text and list fields are empty in Hub-shaped data, so a record stores
 * only those present, behind a bitmap, and its numbers as LEB128 varints
 * (zigzag for the signed ones): a fixed record of 92 bytes, a parent of
 * 36 and the refs section they pointed into took 138 of the 1M image's
 * 340 MB, where these take 33 (4 of offsets, 29 of records). In order:
 *   stage      1 byte
 *   mask       2 bytes, little-endian: REC_STR(i), REC_LIST(j), REC_FILE,
 *              REC_DATE, REC_KIND; any other bit makes the record bad
 *   texts      a pool offset each present, in the field table's order
 *   lists      each present: its count, then a pool offset per item
 *   file       REC_FILE: the index in the files section (otherwise 0)
 *   date       REC_DATE: year and month, zigzag (otherwise 0, 0)
 *   kind       REC_KIND: arch + 1, weights + 1, external, a byte each
 *              (otherwise unknown, unknown, 0)
 *   line, col  zigzag
 * then a parent per edge is[v] .. is[v + 1] of igraph's in-index (edges
 * come child by child, so a model's edges are its parents, in order):
 *   pmask      1 byte: PREC_* bits
 *   ref, variant, note   a pool offset each present; no ref: the parent's
 *              id, as most refs are (its record's first text)
 *   sources    PREC_SOURCES: count and offsets, as a list above
 *   file       PREC_FILE: its index (otherwise the model's)
 *   line       zigzag, less the model's line (the same line, mostly)
 *   col        zigzag
 * A record must end where the next begins. Offsets and counts are checked
 * as a record is decoded: a bad one becomes an empty model.
 */
#define IMG_STRS 7  /* the TEXT fields of the field table, in its order */
#define IMG_LISTS 5 /* its LIST fields */
#define REC_STR(i) (1u << (i))
#define REC_LIST(j) (1u << (IMG_STRS + (j)))
#define REC_FILE (1u << 12)
#define REC_DATE (1u << 13)
#define REC_KIND (1u << 14)
#define REC_MASK_ALL 0x7fffu

#define PREC_REF 1u
#define PREC_VARIANT 2u
#define PREC_NOTE 4u
#define PREC_SOURCES 8u
#define PREC_FILE 16u
#define PREC_ALLOW_EXTERNAL 32u
#define PREC_INFERRED 64u
#define PREC_MASK_ALL 0x7fu

typedef struct img_diag {
	uint32_t file, msg;
	int32_t line, col, code, is_warning;
} img_diag;

/* An open image: its bytes and typed views of its sections. */
struct lin_image {
	void *map;        /* the private copy or the mapping to unmap, NULL for a
	                     caller's buffer */
	int lease;        /* the leased descriptor of a mapped image (lease.c), -1 */
	const char *base; /* the image's first byte */
	size_t len;
	const img_header *h;
	const img_src *src;
	const char *pool;
	const uint32_t *files;
	const uint32_t *rec_off;     /* n + 1 record offsets */
	const unsigned char *recs;   /* the records, rec_len bytes */
	/* igraph_t's vectors (from, to, oi, ii: m entries; os, is: n + 1) */
	const igraph_integer_t *from, *to, *oi, *ii, *os, *is;
	const igraph_integer_t *erel, *rank;
	const img_diag *diags;
	/* where it came from, for lin_catalog_is_current and
	 * lin_catalog_after_fork: its name in the cache directory ("" for a
	 * caller's buffer), its fstat when opened, the lease's signal (0) */
	char name[32];
	struct stat st;
	int sig;
};


/* The image a catalog is a view of (its backing store). */
#define CACHE_IMAGE(cat) ((const struct lin_image *)(cat)->store)

/* ---- content hash (source.c) ----------------------------------------------
 * Four independent multiply-rotate lanes over 8-byte words: several GB/s,
 * so hashing a 170 MB catalog costs tens of milliseconds. Not
 * cryptographic: it detects changes, it does not resist forgery. */
typedef struct lin_hasher {
	uint64_t lane[4], total;
	unsigned char tail[32];
	size_t ntail;
} lin_hasher;
void lin_i_cache_hash_init(lin_hasher *h);
void lin_i_cache_hash_update(lin_hasher *h, const void *data, size_t n);
uint64_t lin_i_cache_hash_final(lin_hasher *h);
/* Hashes a file's content; 0 on success. */
int lin_i_cache_hash_file(uint64_t *out, const char *path);

/* The hashes of the graph's vectors (from, to and relations; oi and os;
 * ii and is), as a reader of the image recomputes them (build.c). */
void lin_i_cache_graph_hash(const lin_catalog *cat, uint64_t out[3]);

/* ---- the catalog's files (source.c) --------------------------------------- */

typedef struct lin_source {
	char *name;
	struct stat st;
	uint64_t hash;
	int hashed;
} lin_source;

typedef struct lin_sources {
	lin_source *v;
	size_t n;
} lin_sources;

void lin_i_cache_sources_free(lin_sources *s);
/* The files the loader would read for paths, in its order, with their
 * stat data. Fails (not cacheable) when one cannot be listed or stat'ed;
 * the caller then loads normally and reports the real error. */
int lin_i_cache_sources_collect(lin_sources *s, const char *const *paths, size_t npaths);
/* The image's record of a file: its stat data as st holds it. */
img_src lin_i_cache_src_record(const struct stat *st, uint32_t name, uint64_t hash);
/* Whether two records describe the same file, unchanged (stat data only). */
int lin_i_cache_same_file(const img_src *a, const img_src *b);
/* Whether s is still as it was when it was collected. */
int lin_i_cache_unchanged(const lin_source *s);

/* ---- writing (write.c) ------------------------------------------------------ */

/* Writes the image of cat (finished, parsed) built from src with the load's
 * warnings d to path, atomically. */
int lin_i_cache_write_image(const char *path, const lin_catalog *cat, const lin_sources *src,
                          const lin_diags *d, const struct timespec *built, lin_error *err);

/* ---- reading (read.c) -------------------------------------------------------- */

/* Opens the image held in data, len (borrowed: it must outlive *out);
 * NULL, or why it was rejected. */
const char *lin_i_cache_image_open(struct lin_image **out, const void *data, size_t len);
/* Opens the image in fd (st: its fstat, already judged trustworthy): mapped
 * under a read lease when map_signal is not 0 and the lease is granted
 * (fd is then kept, dup'ed, until the image is closed), otherwise read into
 * private memory; NULL, or why it was rejected. */
const char *lin_i_cache_image_read(struct lin_image **out, int fd, const struct stat *st,
                                   int map_signal);
void lin_i_cache_image_close(struct lin_image *im);
/* Whether the image was built from exactly these files, unchanged. Sets
 * *refresh when a file's stat data changed but its content did not. */
const char *lin_i_cache_image_matches(const struct lin_image *im, lin_sources *src, int *refresh);
/* A string of the pool: NULL for NIL, "?" for an offset out of range. */
const char *lin_i_cache_pool_str(const struct lin_image *im, uint32_t off);

/* ---- leases on mapped images (lease.c) ------------------------------------
 * A mapped file that shrinks turns reads past its new end into SIGBUS, and
 * one rewritten in place changes under its checks. A read lease stops both:
 * it is granted only while nobody has the file open for writing, and any
 * later open for writing or truncate waits until the lease holder is told
 * (the signal) and lets go. lin_cache_lease_break then copies the image into
 * private memory at the same address before letting go. */

/* Takes a read lease on fd telling sig, and maps len bytes of it read-only;
 * the mapping, or NULL (no lease: the caller reads the file instead). */
void *lin_i_cache_lease_map(int fd, size_t len, int sig);
/* Lets go of a mapping from lin_i_cache_lease_map (fd: its descriptor, closed). */
void lin_i_cache_lease_unmap(int fd, void *map, size_t len);
/* In a child forked after lin_i_cache_lease_map: the inherited lease is the
 * parent's (a lease belongs to the open file, its signal to the parent), so
 * the child takes one of its own on a new descriptor for the same file and
 * moves the mapping's slot to it. 0 with *fd_out set when the file is still
 * as it was at the open (st: its fstat then: same inode, size and ctime, so
 * nothing has written or cut it) and the lease is held; -1 otherwise (the
 * mapping cannot be trusted: leave it alone). */
int lin_i_cache_lease_rebind(int fd, void *map, size_t len, int sig, const struct stat *st,
                             int *fd_out);

/* ---- a catalog over an image (build.c) ---------------------------------------------- */

/* Makes cat (new, empty) a view of the image: every edge is checked (valid
 * ends, a known relation, rank rising along it: acyclic) before igraph's
 * graph is built over the image's edge list. Once attached (cat->store ==
 * im) cat owns im, even when a later step fails; NULL or why it failed. */
const char *lin_i_cache_image_adopt(lin_catalog *cat, struct lin_image *im, lin_diags *diags);

/* The hook a catalog over an image is attached with. */
extern const lin_backing lin_i_cache_backing;

#endif
