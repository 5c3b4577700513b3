/*
 * lineage.h - the public API of liblineage: a catalog of language models and
 * their derivations (fine-tunes, adapters, merges, quantizations, ...) loaded
 * from YAML into an igraph graph, queried, and drawn with Graphviz.
 *
 * The library never prints and never exits. Every fallible function returns 0
 * or a negative LIN_E* code and fills a caller-provided lin_error.
 */
#ifndef LINEAGE_H
#define LINEAGE_H

#include <stddef.h>
#include <stdint.h>
#include <igraph.h>

#include "lineage_version.h" /* LIN_VERSION, LIN_VERSION_MAJOR/MINOR/PATCH */

/* Marks the library's API: liblineage is built with -fvisibility=hidden, so
 * only functions declared with LIN_EXTERN are exported from liblineage.so. */
#if defined(__GNUC__) || defined(__clang__)
#define LIN_EXTERN __attribute__((visibility("default")))
#else
#define LIN_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library in use ("MAJOR.MINOR.PATCH"): LIN_VERSION as it
 * was when the library was built, which may differ from the LIN_VERSION a
 * program was compiled against. Static storage; never NULL. */
LIN_EXTERN const char *lin_version(void);

/* ---- errors --------------------------------------------------------- */

enum {
	LIN_OK = 0,
	LIN_ENOMEM = -1,     /* out of memory */
	LIN_EIO = -2,        /* a file could not be read or written */
	LIN_EPARSE = -3,     /* malformed YAML */
	LIN_ESCHEMA = -4,    /* well-formed YAML that breaks the catalog schema */
	LIN_ENOTFOUND = -5,  /* no model by that name */
	LIN_EAMBIGUOUS = -6, /* several models match a name */
	LIN_ECYCLE = -7,     /* the derivation graph has a cycle */
	LIN_EDUP = -8,       /* duplicate id or alias */
	LIN_EGRAPH = -9,     /* igraph reported an error */
	LIN_ERENDER = -10,   /* Graphviz reported an error */
	LIN_EINVAL = -11,    /* bad argument */
	LIN_ELIMIT = -12,    /* an input exceeds a hard limit */
	LIN_EREF = -13,      /* a parent names an unknown model */
	LIN_EDRIFT = -14     /* licence drift (only ever a warning's code) */
};

#define LIN_PATH_MAX 512
#define LIN_MSG_MAX 1024

/* An error (or warning): what went wrong and, when known, where. line and
 * col are 1-based; 0 means unknown. The struct holds no pointers, so it
 * needs no freeing and can be copied. */
typedef struct lin_error {
	int code;
	char file[LIN_PATH_MAX];
	int line, col;
	char msg[LIN_MSG_MAX];
} lin_error;

/* Clears an error struct to "no error". */
LIN_EXTERN void lin_error_clear(lin_error *err);

/* Formats err as "file:line:col: msg" (or the parts that are known) into
 * buf of size n. Returns buf. */
LIN_EXTERN const char *lin_error_format(const lin_error *err, char *buf, size_t n);

/* A stable short name for a LIN_E* code, as diagnostics report it
 * ("schema", "syntax", "duplicate", "cycle", "unknown-parent", ...; the
 * list is in README.md). "error" for a code it does not know. Static
 * storage; never NULL. */
LIN_EXTERN const char *lin_error_name(int code);
/* What a code means, in one line ("a parent names no model"); "an error"
 * for a code it does not know. Static storage. */
LIN_EXTERN const char *lin_error_meaning(int code);

/* A list of diagnostics collected while loading or checking a catalog. */
typedef struct lin_diags {
	lin_error *items;
	int *is_warning; /* parallel to items: 1 for a warning, 0 for an error */
	size_t n, cap;
	size_t nerrors;  /* errors among items */
	/* Past 10,000 items (warnings: 9,000, so errors keep room) problems are
	 * counted here instead of kept. */
	size_t dropped_errors, dropped_warnings;
	/* Set after lin_diags_init to collect errors only: warnings are then
	 * counted as dropped, never formatted, and the audits that only warn
	 * (licence drift down the whole catalog) are not run. */
	int errors_only;
} lin_diags;

/* Initialises / frees a diagnostics list. */
LIN_EXTERN void lin_diags_init(lin_diags *d);
LIN_EXTERN void lin_diags_dispose(lin_diags *d);
/* Number of errors (not warnings) and of warnings reported to d, the ones
 * past its capacity included. */
/* Appends a copy of every problem of src to dst, as dst collects them
 * (errors_only, the limits: counted instead of kept). */
LIN_EXTERN void lin_diags_append(lin_diags *dst, const lin_diags *src);
LIN_EXTERN size_t lin_diags_errors(const lin_diags *d);
LIN_EXTERN size_t lin_diags_warnings(const lin_diags *d);
/* Sorts d's items by file name (byte order; items without a file last),
 * line and column, keeping the order in which they were reported among
 * equals, so the same catalog always lists its problems the same way.
 * LIN_ENOMEM (d unchanged) or 0. */
LIN_EXTERN int lin_diags_sort(lin_diags *d);

/* ---- growable text buffer ---------------------------------------------- */

/* A NUL-terminated byte buffer the library writes text output into. */
typedef struct lin_buf {
	char *data;
	size_t len, cap;
	int oom; /* set once an allocation failed; later appends are dropped */
} lin_buf;

#define LIN_BUF_INIT {.data = NULL, .len = 0, .cap = 0, .oom = 0}
LIN_EXTERN void lin_buf_dispose(lin_buf *b);
LIN_EXTERN int lin_buf_append(lin_buf *b, const char *s, size_t n);
LIN_EXTERN int lin_buf_puts(lin_buf *b, const char *s);
LIN_EXTERN int lin_buf_printf(lin_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- escaping ---------------------------------------------------------- */

/* The formats catalog text is written into. Each has its rule for the ASCII
 * characters that need escaping, for invalid UTF-8 and for hidden code
 * points (controls, line and paragraph separators, bidi controls,
 * noncharacters): data
 * formats keep those as escapes, formats people read show something
 * harmless, so no writer passes one through. */
typedef enum lin_escape_format {
	LIN_ESC_JSON,          /* inside a JSON string: \" \\, \u00XX for controls,
	                          < > & and hidden code points; invalid: \ufffd */
	LIN_ESC_JSON_PAGE,     /* the same, hidden code points as spaces (JSON a
	                          page shows as text) */
	LIN_ESC_XML,           /* XML, SVG or HTML text or attribute value */
	LIN_ESC_XML_TEXT,      /* text handed to an XML writer that escapes
	                          markup itself (libxml2's xmlTextWriter): no
	                          entities; tab, LF, CR kept; every other hidden
	                          code point (XML 1.0 forbids the C0 controls
	                          and U+FFFE/FFFF) and invalid bytes: U+FFFD */
	LIN_ESC_CSV,           /* inside an RFC 4180 quoted CSV field: " as "";
	                          hidden code points as for LIN_ESC_XML_TEXT */
	LIN_ESC_DOT_LABEL,     /* a Graphviz label: & and \ escaped, hidden runs
	                          as one space */
	LIN_ESC_DOT_TOOLTIP,   /* a Graphviz tooltip (two levels of \) */
	LIN_ESC_MERMAID,       /* a quoted Mermaid label: entity codes (#35;) */
	LIN_ESC_MERMAID_TITLE, /* a Mermaid front matter's YAML title, no markup */
	LIN_ESC_YAML,          /* inside a YAML double-quoted scalar */
	LIN_ESC_MARKDOWN,      /* inline Markdown text */
	LIN_ESC_TERMINAL,      /* text for a terminal: hidden code points as
	                          '?', line breaks and tabs kept */
	LIN_ESC_TERMINAL_LINE, /* catalog text inside one line of terminal
	                          output: the same, line breaks and tabs as '?'
	                          too, so a name cannot start a line of its own */
	LIN_ESC_URI_PATH,      /* a URI path or purl name: every byte but RFC
	                          3986's unreserved ones and '/' as %XX, so no
	                          text can end the component or the string */
	LIN_ESC_COUNT
} lin_escape_format;

/* Appends s (NULL: nothing) to out escaped for format f; invalid UTF-8
 * becomes U+FFFD (or the format's escape of it). With max > 0 a text of
 * more than max code points is cut to max - 1 and an ellipsis. Returns 0,
 * LIN_ENOMEM when out ran out of memory, LIN_EINVAL for a bad format. */
LIN_EXTERN int lin_escape(lin_buf *out, const char *s, lin_escape_format f, size_t max);

/* The word of the NULL-terminated list words nearest to w, at most two
 * edits (Levenshtein) away, the first of equals; NULL when none is that
 * near. The one "did you mean" rule for words: unknown catalog keys, and
 * the CLI's unknown verbs and options. Borrowed from words. */
LIN_EXTERN const char *lin_nearest_word(const char *const *words, const char *w);

/* ---- vocabularies ------------------------------------------------------ */

typedef enum lin_relation {
	LIN_REL_FINETUNE,
	LIN_REL_ADAPTER,
	LIN_REL_MERGE,
	LIN_REL_QUANTIZED,
	LIN_REL_CONTINUED_PRETRAIN,
	LIN_REL_RLHF,
	LIN_REL_DISTILL,
	LIN_REL_MULTIMODAL,
	LIN_REL_RECIPE,
	LIN_REL_UPCYCLE,
	LIN_REL_PRUNE,
	LIN_REL_COUNT
} lin_relation;

/* A set of relation kinds, one bit per lin_relation. */
typedef unsigned lin_relmask;
#define LIN_REL_ALL ((lin_relmask)((1u << LIN_REL_COUNT) - 1))
#define LIN_REL_BIT(r) ((lin_relmask)(1u << (r)))
/* The relations through which a parent's weights (and so its licence)
 * reach the child: all but distill (trained on the parent's outputs) and
 * recipe (the parent's method or data, not its weights). */
#define LIN_REL_WEIGHTS                                                        \
	(LIN_REL_ALL & ~(LIN_REL_BIT(LIN_REL_DISTILL) | LIN_REL_BIT(LIN_REL_RECIPE)))

typedef enum lin_stage {
	LIN_STAGE_PRETRAINED,
	LIN_STAGE_CONTINUED_PRETRAIN,
	LIN_STAGE_SFT,
	LIN_STAGE_RLHF,
	LIN_STAGE_DISTILLED,
	LIN_STAGE_MERGED,
	LIN_STAGE_QUANTIZED,
	LIN_STAGE_ADAPTER,
	LIN_STAGE_MULTIMODAL,
	LIN_STAGE_UNKNOWN, /* not recorded (e.g. a base known only by name) */
	LIN_STAGE_COUNT
} lin_stage;

typedef enum lin_arch {
	LIN_ARCH_UNKNOWN = -1,
	LIN_ARCH_DECODER_ONLY,
	LIN_ARCH_ENCODER_ONLY,
	LIN_ARCH_ENCODER_DECODER,
	LIN_ARCH_PREFIX_LM,
	LIN_ARCH_MOE,
	LIN_ARCH_MULTIMODAL,
	LIN_ARCH_NON_LANGUAGE, /* not a language model (a card's pipeline_tag text-to-image, ...) */
	LIN_ARCH_COUNT
} lin_arch;

typedef enum lin_weights {
	LIN_WEIGHTS_UNKNOWN = -1,
	LIN_WEIGHTS_OPEN,
	LIN_WEIGHTS_CLOSED
} lin_weights;

/* Names of vocabulary values ("finetune", "sft", "decoder-only"); NULL when
 * out of range. */
LIN_EXTERN const char *lin_relation_name(lin_relation r);
LIN_EXTERN const char *lin_stage_name(lin_stage s);
LIN_EXTERN const char *lin_arch_name(lin_arch a);
LIN_EXTERN const char *lin_weights_name(lin_weights w);
/* Parses a vocabulary word; returns the value or -1. */
LIN_EXTERN int lin_relation_parse(const char *s);
LIN_EXTERN int lin_stage_parse(const char *s);
LIN_EXTERN int lin_arch_parse(const char *s);

/* Parses a comma-separated list of relation kinds ("finetune,adapter") into
 * *out. "all" or "" gives LIN_REL_ALL. */
LIN_EXTERN int lin_relmask_parse(lin_relmask *out, const char *list, lin_error *err);

/* ---- the catalog ------------------------------------------------------- */

/* ---- licences, described once ------------------------------------------ */

/* What a licence lets a user do with the weights, coarsely: the classes
 * the licence audit (`check`, `lineage licenses`) reasons with. */
typedef enum lin_license_class {
	LIN_LICENSE_UNKNOWN = 0,   /* not recorded, "unknown", or not in the table */
	LIN_LICENSE_PERMISSIVE,    /* Apache-2.0, MIT, BSD, CC-BY, CC0 ... */
	LIN_LICENSE_COPYLEFT,      /* GPL, AGPL, CC-BY-SA, MPL ... */
	LIN_LICENSE_RAIL,          /* open, with use-based restrictions (OpenRAIL, BLOOM RAIL) */
	LIN_LICENSE_COMMUNITY,     /* a maker's own terms with conditions (Llama 2/3, Gemma) */
	LIN_LICENSE_NONCOMMERCIAL, /* research or non-commercial use only */
	LIN_LICENSE_PROPRIETARY,   /* closed weights, the maker's terms of use */
	LIN_LICENSE_OTHER,         /* "other": a licence of its own, see license_note */
	LIN_LICENSE_CLASS_COUNT
} lin_license_class;

/* One licence id of the catalog's vocabulary (data/README.md's table). */
typedef struct lin_license {
	const char *id;   /* as the catalog writes it: "apache-2.0", "llama2" */
	const char *spdx; /* SPDX id ("Apache-2.0"), or "LicenseRef-lineage-ID"
	                     where SPDX lists none; NULL for "unknown" */
	const char *name; /* full name */
	const char *url;  /* the licence text, when SPDX does not give it; may be NULL */
	lin_license_class cls;
} lin_license;

/* The licence table, sorted by id; *n gets its length. Static. */
LIN_EXTERN const lin_license *lin_licenses(size_t *n);
/* The entry for a catalog licence id, or NULL when id is NULL or not in
 * the table (a Hub card's licence outside the vocabulary). */
LIN_EXTERN const lin_license *lin_license_lookup(const char *id);
/* The class of a licence id; LIN_LICENSE_UNKNOWN when not in the table. */
LIN_EXTERN lin_license_class lin_license_classify(const char *id);
/* "permissive", "non-commercial", ...; "unknown" when out of range. */
LIN_EXTERN const char *lin_license_class_name(lin_license_class c);
/* 1 for the classes that restrict what a permissive licence allows
 * (non-commercial, community, proprietary); 0 otherwise. */
LIN_EXTERN int lin_license_restricts(lin_license_class c);
/* 1 for the classes that promise standard commercial terms (permissive,
 * copyleft, open RAIL): such a model below a restricting ancestor is
 * "licence drift". */
LIN_EXTERN int lin_license_promises(lin_license_class c);

/* A list of strings owned by the catalog. */
typedef struct lin_strlist {
	char **items;
	size_t n;
} lin_strlist;

/* Where something was written: file, 1-based line and column. */
typedef struct lin_pos {
	const char *file; /* owned by the catalog */
	int line, col;
} lin_pos;

/* One parent edge of a model, as written in the catalog. */
typedef struct lin_parent {
	char *ref;          /* the parent as written (id, name or alias) */
	igraph_integer_t vertex; /* resolved parent, -1 before resolution */
	lin_relation relation;
	char *variant, *note; /* may be NULL */
	lin_strlist sources;
	lin_pos pos;
	int allow_external; /* an unknown parent becomes an external model
	                       instead of an error (model-card imports) */
	int inferred;       /* the relation was guessed from a card's other
	                       fields (tags, files, name), not stated: drawn
	                       apart, so a reader weighs it less */
} lin_parent;

/* One model. Strings may be NULL when the catalog leaves them out. */
typedef struct lin_model {
	char *id, *name, *org, *released, *license, *license_note, *training_data;
	int year, month; /* from released; 0 when unknown */
	lin_strlist aliases, params, languages, links, sources;
	lin_stage stage;
	lin_arch arch;
	lin_weights weights;
	lin_parent *parents;
	size_t nparents;
	lin_pos pos;
	int external; /* known only as another model's parent (e.g. a Hugging
	                 Face base_model outside the imported cards) */
} lin_model;

typedef struct lin_catalog lin_catalog;

/* ---- a model's fields, described once ---------------------------------- */

/* How a field is stored in lin_model. */
typedef enum lin_field_kind {
	LIN_FIELD_TEXT,    /* char * (NULL: not recorded) */
	LIN_FIELD_LIST,    /* lin_strlist */
	LIN_FIELD_STAGE,   /* lin_stage, always named */
	LIN_FIELD_ARCH,    /* lin_arch (LIN_ARCH_UNKNOWN: not recorded) */
	LIN_FIELD_WEIGHTS, /* lin_weights (LIN_WEIGHTS_UNKNOWN: not recorded) */
	LIN_FIELD_FLAG,    /* int, 0 or 1 ("true" / "false") */
	LIN_FIELD_PARENTS  /* parents + nparents: every writer has its own form */
} lin_field_kind;

/* Where a field appears besides the catalog YAML (which holds them all). */
#define LIN_FIELD_HEADING 1u /* the record's heading (id, name), not a row */
#define LIN_FIELD_NO_JSON 2u /* not in JSON records (external: see stage) */
#define LIN_FIELD_URLS 4u    /* URLs: a card lists them as links, apart */

/* One field of a model, as the catalog schema (data/README.md), the JSON
 * and YAML writers, the HTML card, `show` and the cache image know it. */
typedef struct lin_field {
	const char *key;   /* YAML and JSON key: "license_note" */
	const char *label; /* for a terminal: "license note" */
	const char *title; /* for a page: "licence note" */
	lin_field_kind kind;
	size_t offset;     /* of the member (parents: of `parents`) in lin_model */
	int brief;         /* position in a brief JSON record (1..), 0: not in it */
	unsigned flags;    /* LIN_FIELD_* */
} lin_field;

/* The fields in the catalog's order (the YAML writer's); *n gets their
 * number. The table is static: nothing to free. */
LIN_EXTERN const lin_field *lin_model_fields(size_t *n);

/* The field f of m as text: a TEXT field's string, a vocabulary field's
 * word ("sft", "decoder-only"), "true"/"false" for a FLAG; NULL when not
 * recorded or for a LIST or PARENTS field. Borrowed from m or static. */
LIN_EXTERN const char *lin_field_text(const lin_model *m, const lin_field *f);

/* The list of a LIST field; NULL for any other kind. */
LIN_EXTERN const lin_strlist *lin_field_list(const lin_model *m, const lin_field *f);


/* Creates an empty catalog in *out. Free with lin_catalog_free. */
LIN_EXTERN int lin_catalog_new(lin_catalog **out, lin_error *err);

/* Frees a catalog and everything it owns. Accepts NULL, and leaves a
 * resident catalog (lin_catalog_set_resident) alone. */
LIN_EXTERN void lin_catalog_free(lin_catalog *cat);

/* Marks cat resident (1), kept open by a server to answer many requests,
 * so that code written for a catalog of its own, which frees it when done,
 * can be handed this one; 0 makes it freeable again. */
LIN_EXTERN void lin_catalog_set_resident(lin_catalog *cat, int resident);

/* Parses YAML text (a sequence of model entries) into the catalog. name is
 * the file name used in messages. Schema problems are appended to diags (if
 * not NULL) and the first is returned in err; a YAML syntax error stops the
 * parse of this buffer. Returns 0 when the buffer had no error. */
LIN_EXTERN int lin_catalog_load_buffer(lin_catalog *cat, const char *name,
                                       const char *data, size_t len, lin_diags *diags,
                                       lin_error *err);

/* Loads one YAML file, or every *.yaml file of a directory in sorted name
 * order (not recursive). Same error contract as lin_catalog_load_buffer. */
LIN_EXTERN int lin_catalog_load_path(lin_catalog *cat, const char *path,
                                     lin_diags *diags, lin_error *err);

/* Resolves parents, checks ids, aliases and cycles, and builds the graph.
 * Must be called once after loading and before any query. Problems go to
 * diags (warnings too, e.g. licence drift); the first error is returned. */
LIN_EXTERN int lin_catalog_finish(lin_catalog *cat, lin_diags *diags, lin_error *err);

/* What lin_catalog_open_cached did with the cache. */
typedef struct lin_cache_status {
	int hit;                   /* the catalog came from the cache image */
	int written;               /* the image was written (built or refreshed) */
	char path[LIN_PATH_MAX];   /* the image file ("" when none applies) */
	char why[256];             /* why it was missed or not written, else "" */
} lin_cache_status;

/* Loads and finishes the catalog at paths (each a file or a directory of
 * *.yaml, as lin_catalog_load_path) through a binary index cache kept in
 * cache_dir (created if missing; NULL or "" loads without one). An image
 * built from the same files, unchanged (size, mtime, inode, and a content
 * hash when those cannot decide), is read instead of parsing; otherwise
 * the catalog is parsed and, when it has no errors, a new image is
 * written atomically. Models of a cached catalog are built on first use;
 * everything else behaves as for a parsed one. Warnings of the load are
 * kept in the image and appended to diags on every open. Paths holding
 * model cards are loaded too (as lin_catalog_open does) but never cached:
 * cards are imported on every call. The cache directory is used only when
 * it is owned by the effective user and not writable by group or others
 * (otherwise it is neither read nor written), and an image only when it is
 * such a regular file too (otherwise it is rebuilt). A problem with the
 * cache itself is never an error: it is noted in st and the catalog is
 * parsed. Same error contract as lin_catalog_finish otherwise. */
LIN_EXTERN int lin_catalog_open_cached(lin_catalog **out, const char *const *paths,
                                       size_t npaths, const char *cache_dir,
                                       lin_cache_status *st, lin_diags *diags,
                                       lin_error *err);

/* What lin_cache_clear removed. */
typedef struct lin_cache_cleared {
	int image;                 /* the catalog's image was removed */
	size_t temporaries;        /* temporary files of unfinished builds removed */
	uint64_t temporary_bytes;  /* their size */
	char path[LIN_PATH_MAX];   /* the catalog's image ("" when no paths) */
} lin_cache_cleared;

/* Removes from cache_dir the image lin_catalog_open_cached keeps for the
 * catalog at paths (none when npaths is 0; the catalog is not read), and
 * every temporary file a build left there (regular files of the effective
 * user named *.lcache.tmp* or .lineage-tmp-*, however recent). Nothing
 * else is touched. A missing directory or image is not an error; a
 * directory that lin_catalog_open_cached would refuse is left alone
 * (LIN_EIO, with the reason). *out says what was removed. */
LIN_EXTERN int lin_cache_clear(lin_cache_cleared *out, const char *cache_dir,
                               const char *const *paths, size_t npaths, lin_error *err);

/* Progress of long work, for a caller that shows it (the library never
 * prints). phase says what is being done: "parse" (a catalog file, or a
 * path of model cards being imported: file is its path, done/total count
 * the paths), "finish" (resolving parents, checking and building the
 * graph: done/total 0/1, then 1/1), "image" (writing the cache image) and
 * "open" (reading one). Called on the opening thread when a phase starts
 * (done < total) and when it ends (done == total), never from another
 * thread; a phase can take seconds between two calls (a 1M-model file is
 * one parse), so a caller showing elapsed time keeps its own clock. */
typedef void (*lin_progress_fn)(void *ctx, const char *phase, const char *file,
                                uint64_t done, uint64_t total);

/* How lin_catalog_open opens a catalog. */
typedef struct lin_open_opts {
	const char *cache_dir;     /* the binary index cache's directory; NULL or ""
	                              parses every time */
	lin_cache_status *status;  /* where to say what the cache did (may be NULL) */
	/* The catalog text a path "-" stands for (the caller read it, e.g.
	 * from standard input), named "<stdin>" in messages; a set of paths
	 * with "-" is never cached. NULL: "-" is a file name like any other. */
	const char *stdin_data;
	size_t stdin_len;
	/* Told of each phase of the open (NULL: nobody is). */
	lin_progress_fn progress;
	void *progress_ctx;
	/* Map the cache image instead of reading it whole, so that a query
	 * reads only the pages it touches (at a million models, milliseconds
	 * instead of the second a 400 MB copy takes). The image is mapped only
	 * under a read lease (fcntl F_SETLEASE): while the lease is held nobody
	 * can truncate or rewrite the file without the kernel first sending
	 * map_signal to this process, whose handler (SA_SIGINFO) must call
	 * lin_cache_lease_break(info->si_fd). 0: never map (the image is
	 * copied into private memory, as when the lease is not granted). */
	int map_signal;
} lin_open_opts;
#define LIN_OPEN_OPTS_INIT                                                     \
	{.cache_dir = NULL, .status = NULL, .stdin_data = NULL, .stdin_len = 0, \
	 .progress = NULL, .progress_ctx = NULL, .map_signal = 0}

/* For the handler of lin_open_opts.map_signal, async-signal-safe: copies
 * the image mapped through fd into private memory at the same address and
 * lets go of its lease, so the writer waiting on it goes on and the open
 * catalog stays as it was. Does nothing for any other fd. */
LIN_EXTERN void lin_cache_lease_break(int fd);

/* The one way in: opens and finishes the catalog made of paths, each a
 * catalog file, a directory of *.yaml files, or Hugging Face model cards (a
 * card file or a directory of them, lin_import_hf_is_cards), in order.
 * Catalogs go through the cache of opts->cache_dir
 * (lin_catalog_open_cached); model cards are imported on every call, so a
 * set with cards is never cached. Every path is read, so that all their
 * problems are reported at once: problems go to diags, the first error to
 * err. On failure *out is NULL. opts may be NULL (no cache). */
LIN_EXTERN int lin_catalog_open(lin_catalog **out, const char *const *paths, size_t npaths,
                     const lin_open_opts *opts, lin_diags *diags, lin_error *err);

/* Whether cat, opened by lin_catalog_open from its cache image, is still
 * what opening paths through the same cache directory would give: the
 * same image (the paths as given and as resolved from the working
 * directory) and the catalog's files unchanged since (stat data; a file
 * changed within the cache's racy window is hashed). 0 for any catalog
 * not opened from an image, and for paths with "-" or model cards. For a
 * resident server: a request reuses cat only when this says 1. */
LIN_EXTERN int lin_catalog_is_current(const lin_catalog *cat, const char *const *paths,
                                      size_t npaths);

/* To be called in a child forked while cat was open, before the child
 * uses it. A mapped image's lease belongs to the parent (it would not
 * protect the child's mapping if the file were cut), so the child takes
 * its own, after checking that the file was not written or cut since the
 * open; copied images need nothing. 0: cat is whole and protected in this
 * process; -1: it must not be read here (open the catalog anew; leave
 * this one to the parent, resident, unfreed). */
LIN_EXTERN int lin_catalog_after_fork(lin_catalog *cat);

/* Opens a cache image held in memory (8-byte aligned; it must outlive the
 * catalog), without checking it against any catalog file: for tests and
 * fuzzing of the image reader. LIN_EPARSE when the image is rejected. */
LIN_EXTERN int lin_cache_load_image(lin_catalog **out, const void *data, size_t len,
                                    lin_diags *diags, lin_error *err);

/* Number of models. */
LIN_EXTERN igraph_integer_t lin_catalog_count(const lin_catalog *cat);

/* The model at vertex v (borrowed; lives as long as the catalog). */
LIN_EXTERN const lin_model *lin_catalog_model(const lin_catalog *cat, igraph_integer_t v);

/* The derivation graph: vertex i is model i, edge e goes parent -> child.
 * Borrowed. Valid after lin_catalog_finish. */
LIN_EXTERN const igraph_t *lin_catalog_graph(const lin_catalog *cat);

/* The relation kind of edge e, and the parent entry it came from. */
LIN_EXTERN lin_relation lin_catalog_edge_relation(const lin_catalog *cat, igraph_integer_t e);
LIN_EXTERN const lin_parent *lin_catalog_edge_parent(const lin_catalog *cat,
                                                     igraph_integer_t e);

/* Finds a model by id, name or alias, ignoring case, spaces, '-', '.', '_'.
 * LIN_ENOTFOUND: err->msg carries a "did you mean" suggestion.
 * LIN_EAMBIGUOUS: err->msg lists the candidates. */
LIN_EXTERN int lin_catalog_find(igraph_integer_t *out, const lin_catalog *cat,
                                const char *query, lin_error *err);

/* Normalises a name for matching: lowercase ASCII, drops ' ', '-', '.', '_'.
 * Returns a new string (free()) or NULL when out of memory. */
LIN_EXTERN char *lin_name_key(const char *s);

/* ---- queries ----------------------------------------------------------- */

/* Query options. depth < 0 means unlimited. */
typedef struct lin_query_opts {
	lin_relmask relations;
	int depth;
} lin_query_opts;
#define LIN_QUERY_OPTS_INIT {.relations = LIN_REL_ALL, .depth = -1}

/* One model in a query result: its vertex, its distance from the queried
 * model, the neighbour through which a shortest path reaches it ("via", -1
 * for the queried model itself) and the relation of that edge. */
typedef struct lin_hit {
	igraph_integer_t vertex, via, edge;
	int distance;
	lin_relation relation;
} lin_hit;

typedef struct lin_hits {
	lin_hit *items;
	size_t n;
} lin_hits;

/* Frees a result list's storage. Accepts an all-zero struct. */
LIN_EXTERN void lin_hits_dispose(lin_hits *h);

/* Ancestors (mode IGRAPH_IN) or descendants (IGRAPH_OUT) of v, not
 * including v, ordered by distance then id. Uses igraph's BFS. */
LIN_EXTERN int lin_query_reach(lin_hits *out, const lin_catalog *cat, igraph_integer_t v,
                               igraph_neimode_t mode, const lin_query_opts *o,
                               lin_error *err);

/* The shortest derivation chains from `from` down to `to`, at most
 * LIN_PATHS_MAX of them (a DAG of diamonds has exponentially many). Each
 * path is a vector of catalog edge ids in order. An empty list means no
 * chain exists. */
#define LIN_PATHS_MAX 100
LIN_EXTERN int lin_query_paths(igraph_vector_int_list_t *out, const lin_catalog *cat,
                               igraph_integer_t from, igraph_integer_t to,
                               const lin_query_opts *o, lin_error *err);

/* Nearest common ancestors of a and b (an ancestor set includes the model
 * itself): common ancestors none of whose children is also one. Each hit's
 * distance is the sum of the distances to a and b; sorted by it. */
LIN_EXTERN int lin_query_common(lin_hits *out, const lin_catalog *cat, igraph_integer_t a,
                                igraph_integer_t b, const lin_query_opts *o,
                                lin_error *err);

/* A root (a model with no parent under the relation filter) and how many
 * models derive from it, in all and by the relation through which each
 * descendant joins the family. */
typedef struct lin_root {
	igraph_integer_t vertex;
	igraph_integer_t total;
	igraph_integer_t by_relation[LIN_REL_COUNT];
} lin_root;

typedef struct lin_roots {
	lin_root *items;
	size_t n;
} lin_roots;
LIN_EXTERN void lin_roots_dispose(lin_roots *r);

/* All roots with at least one descendant, most-derived first (ties by id). */
LIN_EXTERN int lin_query_roots(lin_roots *out, const lin_catalog *cat,
                               const lin_query_opts *o, lin_error *err);

/* The members of v's family: every model derived from v through the
 * relations of o (o->depth too), v itself not included, sorted by id
 * (strcmp), into out, which the caller has initialised (its contents are
 * replaced). igraph's BFS, as lin_query_reach. */
LIN_EXTERN int lin_query_members(igraph_vector_int_t *out, const lin_catalog *cat,
                                 igraph_integer_t v, const lin_query_opts *o, lin_error *err);

/* Catalog statistics. */
typedef struct lin_stats {
	igraph_integer_t models, edges, roots, leaves, components;
	igraph_integer_t by_stage[LIN_STAGE_COUNT];
	igraph_integer_t by_relation[LIN_REL_COUNT];
	igraph_vector_int_t depth_hist; /* depth_hist[d] = models whose longest
	                                   ancestor chain has d edges */
	igraph_vector_int_list_t longest; /* up to 5 longest chains (vertices) */
	igraph_vector_int_t widest;       /* up to 5 vertices, most children first */
} lin_stats;

/* Computes statistics into *out (initialised by this call; dispose with
 * lin_stats_dispose even on failure). */
LIN_EXTERN int lin_query_stats(lin_stats *out, const lin_catalog *cat,
                               const lin_query_opts *o, lin_error *err);
LIN_EXTERN void lin_stats_dispose(lin_stats *s);

/* ---- neighbours ---- */

/* The catalog edge ids of v's in-edges (lin_catalog_parents) or out-edges
 * (lin_catalog_children) whose relation is in mask, into out, which the
 * caller has initialised (igraph's convention; its contents are replaced).
 * The order is the catalog's edge order, ascending edge id: a model's
 * parents in the order its entry lists them, its children in catalog
 * order. IGRAPH_FROM / IGRAPH_TO of lin_catalog_graph give the other end.
 * LIN_EINVAL before lin_catalog_finish, LIN_EGRAPH for a vertex that is
 * not in the catalog; out is then empty. */
LIN_EXTERN int lin_catalog_parents(igraph_vector_int_t *out, const lin_catalog *cat, igraph_integer_t v,
                        lin_relmask mask, lin_error *err);
LIN_EXTERN int lin_catalog_children(igraph_vector_int_t *out, const lin_catalog *cat, igraph_integer_t v,
                         lin_relmask mask, lin_error *err);

/* How many direct children v has through the relation kinds in mask; 0 on
 * any error (an unfinished catalog, a bad vertex, no memory). */
LIN_EXTERN igraph_integer_t lin_catalog_child_count(const lin_catalog *cat, igraph_integer_t v,
                                                    lin_relmask mask);

/* ---- the query language ---------------------------------------------- */

/* Evaluates a query expression (README.md, "The query language"): sets of
 * models from ancestors(X[, DEPTH]), descendants(X[, DEPTH]) (both include
 * X), allpaths(FROM, TO), somepath(FROM, TO), roots([S]), leaves([S]),
 * kind(RELATION[, S]), stage(STAGE[, S]), attr(FIELD, VALUE[, S]),
 * released(OP DATE[, S]), all(); union / +, intersect / ^, except / -
 * (one precedence, left to right); parentheses; let NAME = E in E with
 * $NAME. Names resolve as lin_catalog_find does. Traversals follow only
 * the relations in o->relations (o may be NULL: all; o->depth is not
 * used). *out (initialised by the caller) gets the set's vertex ids,
 * ascending. Errors: LIN_EPARSE (a syntax error, an unknown function, a
 * bad argument) and LIN_ENOTFOUND / LIN_EAMBIGUOUS (a name), with file
 * "<query>", line 1 and the column (in characters) in err; LIN_ELIMIT for
 * an expression over 64 KiB or nested over 100 deep. */
LIN_EXTERN int lin_query_eval(igraph_vector_int_t *out, const lin_catalog *cat, const char *expr,
                              const lin_query_opts *o, lin_error *err);
/* The synopsis of the language's i-th function ("ancestors(SET[, DEPTH])"),
 * NULL past the last: for help texts and completion. */
LIN_EXTERN const char *lin_query_functions(size_t i);

/* Appends a set of models (vertex ids) sorted by id: one id a line
 * (format 0, terminal-safe), a JSON array of brief records (1), or one
 * brief record a line (2, NDJSON). */
LIN_EXTERN int lin_export_set(lin_buf *out, const lin_catalog *cat, const igraph_vector_int_t *set,
                              int format);

/* ---- the licence audit of one model's lineage --------------------------- */

/* One model of the audit: the audited one (distance 0) or an ancestor. */
typedef struct lin_license_entry {
	igraph_integer_t vertex;
	int distance;          /* derivation steps from the audited model */
	size_t next;           /* the entry one step nearer on a shortest chain
	                          (SIZE_MAX for the audited model) */
	lin_relation relation; /* of that step (LIN_REL_COUNT for the audited model) */
} lin_license_entry;

/* What the audit flags. */
typedef enum lin_license_problem {
	LIN_LICENSE_DRIFT,     /* a licence promising more than a restricting ancestor's */
	LIN_LICENSE_DISTILLED, /* trained on a proprietary model's outputs */
	LIN_LICENSE_UNKNOWN_TERMS /* no licence known (unrecorded, "unknown", not in the table) */
} lin_license_problem;

typedef struct lin_license_flag {
	lin_license_problem problem;
	size_t entry;          /* the flagged model */
	size_t other;          /* drift: the restricting ancestor; distilled: the
	                          proprietary model; SIZE_MAX for unknown terms */
	char *message;         /* one line, e.g. "licence drift: 'q' is mit but ..." */
} lin_license_flag;

typedef struct lin_license_audit {
	lin_license_entry *entries; /* the audited model first, then its ancestors
	                               in lin_query_reach's order */
	size_t n;
	lin_license_flag *flags;    /* by entry, then problem */
	size_t nflags;
} lin_license_audit;

/* Audits the licences binding model v: v and every ancestor reached through
 * the relations in o->relations (o->depth is ignored: terms bind through
 * the whole lineage), each with the chain it comes through, and flags
 * (1) licence drift: a model whose licence promises commercial use below
 * an ancestor whose licence restricts it, through relations that carry the
 * weights (LIN_REL_WEIGHTS), the same rule `check` applies to the whole
 * catalog; (2) a model distilled from a proprietary model's outputs; (3) a
 * model whose licence is unknown. Free with lin_license_audit_free. */
LIN_EXTERN int lin_license_audit_new(lin_license_audit **out, const lin_catalog *cat,
                                     igraph_integer_t v, const lin_query_opts *o,
                                     lin_error *err);
LIN_EXTERN void lin_license_audit_free(lin_license_audit *a);

/* The audit as text: one line per model with its licence, class and chain
 * ("recipe from 'alpaca-lora', finetune from 'alpaca'"), then the flags.
 * Catalog text kept to one line (LIN_ESC_TERMINAL_LINE). */
LIN_EXTERN int lin_export_licenses_text(lin_buf *out, const lin_catalog *cat,
                                        const lin_license_audit *a);
/* The audit as one JSON object: {"schema", "model", "models": [brief
 * record + "license_class", "spdx", "distance", "chain": [{"relation",
 * "from"}]], "problems": [{"code", "model", "other", "message"}]}. */
LIN_EXTERN int lin_export_licenses_json(lin_buf *out, const lin_catalog *cat,
                                        const lin_license_audit *a);

/* ---- text and JSON output ---------------------------------------------- */

/* Writes an indented tree (like `cargo tree`) of v's ancestors (IGRAPH_IN)
 * or descendants (IGRAPH_OUT) into out: one line per edge with its relation
 * kind; a model met again is printed once more and marked "(*)". */
LIN_EXTERN int lin_export_tree(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                               igraph_neimode_t mode, const lin_query_opts *o,
                               lin_error *err);

/* How a text tree is drawn, as `cargo tree` offers: the characters of its
 * branches, what starts each line, and whether a model met again is
 * expanded again. */
typedef enum lin_tree_charset {
	LIN_TREE_UTF8, /* ├── └── │ */
	LIN_TREE_ASCII /* |-- `-- | */
} lin_tree_charset;
typedef enum lin_tree_prefix {
	LIN_TREE_INDENT, /* branches drawn */
	LIN_TREE_DEPTH,  /* the line's depth (0: the model asked about), then a space */
	LIN_TREE_NONE    /* nothing: a flat list */
} lin_tree_prefix;
/* The most lines a tree without dedupe writes (the last says it was cut). */
#define LIN_TREE_MAX_LINES 10000
typedef struct lin_tree_opts {
	lin_tree_charset charset;
	lin_tree_prefix prefix;
	int dedupe;       /* 1: a model met again is marked (*), expanded once */
	size_t max_lines; /* with dedupe 0: the bound (0: LIN_TREE_MAX_LINES) */
} lin_tree_opts;
#define LIN_TREE_OPTS_INIT                                                     \
	{.charset = LIN_TREE_UTF8, .prefix = LIN_TREE_INDENT, .dedupe = 1,     \
	 .max_lines = LIN_TREE_MAX_LINES}

/* lin_export_tree drawn as t says (lin_export_tree is this with
 * LIN_TREE_OPTS_INIT). With t->dedupe 0 a model is expanded wherever it is
 * met, no "(*)"; the tree stops after t->max_lines lines with a last line
 * saying so. */
LIN_EXTERN int lin_export_tree_ext(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                                   igraph_neimode_t mode, const lin_query_opts *o,
                                   const lin_tree_opts *t, lin_error *err);

struct lin_sink; /* below, with the interchange writers */

/* lin_export_tree_ext streamed: with sink not NULL, out is a scratch
 * buffer handed to sink (the interchange writers' lin_sink, below) whenever
 * it holds 64 KiB or more, between whole lines, and at the end, so a tree
 * of 100,000 lines is never built whole; the bytes are the same. With sink
 * NULL it is lin_export_tree_ext. Returns its codes or the sink's. */
LIN_EXTERN int lin_export_tree_stream(lin_buf *out, const struct lin_sink *sink,
                                      const lin_catalog *cat, igraph_integer_t v,
                                      igraph_neimode_t mode, const lin_query_opts *o,
                                      const lin_tree_opts *t, lin_error *err);

/* Writes the chains of lin_query_paths from top down to a descendant as one
 * tree (`nix why-depends`): top's label, then one line per step with its
 * relation kind, chains that start alike drawn once up to where they part,
 * siblings by id; drawn as t says (t->dedupe is not used). Returns 0 or
 * LIN_ENOMEM. */
LIN_EXTERN int lin_export_why(lin_buf *out, const lin_catalog *cat, igraph_integer_t top,
                              const igraph_vector_int_list_t *paths, const lin_tree_opts *t,
                              lin_error *err);

/* Appends model v's display label: "Name [id]", or the id alone when the
 * name is missing or equal to it, escaped for one line of terminal text
 * (LIN_ESC_TERMINAL_LINE: no line break or other hidden code point). The
 * one rule every text output uses. Returns 0 or LIN_ENOMEM. */
LIN_EXTERN int lin_export_label(lin_buf *out, const lin_catalog *cat, igraph_integer_t v);

/* Appends s to out as a JSON string literal (quoted and escaped; invalid
 * UTF-8 bytes become U+FFFD). */
LIN_EXTERN int lin_json_string(lin_buf *out, const char *s);

/* Appends a JSON object for model v: id, name, org, released, params, stage,
 * architecture, weights, license, languages, links, sources, parents.
 * With full == 0 only id, name, stage, org, released. */
LIN_EXTERN int lin_export_model_json(lin_buf *out, const lin_catalog *cat,
                                     igraph_integer_t v, int full);

/* Appends model v's whole record as text for a terminal (`lineage show`):
 * its label, one "key: value" row per recorded field (the field table's
 * order and labels), where it is defined, its parents with relation,
 * variant, note and sources, then the given direct children (may be NULL).
 * Text is copied as it is: a caller writing to a terminal strips control
 * characters. LIN_EINVAL for a bad vertex, LIN_ENOMEM when out ran out. */
LIN_EXTERN int lin_export_model_text(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                          const lin_hits *children);

/* Appends a JSON array of hits: each model object plus "distance",
 * "relation" and "via" (the id of the neighbour on a shortest path). */
LIN_EXTERN int lin_export_hits_json(lin_buf *out, const lin_catalog *cat,
                                    const lin_hits *hits);

/* lin_export_hits_json streamed to sink in chunks of about 64 KiB, between
 * whole records (as lin_export_tree_stream); the same bytes. With sink NULL
 * the whole array is appended to out. Returns 0, LIN_ENOMEM, or the sink's
 * code (err filled; err may be NULL when sink is). */
LIN_EXTERN int lin_export_hits_json_stream(lin_buf *out, const struct lin_sink *sink,
                                           const lin_catalog *cat, const lin_hits *hits,
                                           lin_error *err);

/* The layout version of the JSON objects below ("schema" is their first
 * key); it changes when a key is renamed or removed, not when one is added. */
#define LIN_JSON_SCHEMA 1

/* Appends the first n roots (all when n is larger) as a JSON array: each a
 * brief model object plus "descendants" and "by_relation" counts. */
LIN_EXTERN int lin_export_roots_json(lin_buf *out, const lin_catalog *cat, const lin_roots *roots,
                          size_t n);
/* The same; with members not NULL each root also has "members": the ids
 * of lin_query_members under those options. err may be NULL when members
 * is. */
LIN_EXTERN int lin_export_roots_json_ext(lin_buf *out, const lin_catalog *cat,
                                         const lin_roots *roots, size_t n,
                                         const lin_query_opts *members, lin_error *err);

/* Appends {"schema", "ancestor", "descendant", "paths"}: the chains of
 * lin_query_paths from top down to bottom (either may be -1: null when no
 * chain exists), each a list of {"from", "to", "relation"} steps. */
LIN_EXTERN int lin_export_paths_json(lin_buf *out, const lin_catalog *cat, igraph_integer_t top,
                          igraph_integer_t bottom, const igraph_vector_int_list_t *paths);

/* Appends the statistics of lin_query_stats as one JSON object with
 * "schema" first; "widest" counts children through the relations in mask. */
LIN_EXTERN int lin_export_stats_json(lin_buf *out, const lin_catalog *cat, const lin_stats *s,
                          lin_relmask mask);

/* Appends the diagnostics as a JSON array, one object a line, in d's
 * order: {"file" (null when none), "line", "col" (0 when unknown),
 * "severity" ("error" | "warning"), "code" (lin_error_name), "message"}. */
LIN_EXTERN int lin_export_diags_json(lin_buf *out, const lin_diags *d);
/* Appends the diagnostics as one SARIF 2.1.0 log (one run of the tool
 * "lineage"; a rule per code that occurs, with lin_error_meaning; each
 * result's location a relative URI, or file: for an absolute name, with
 * every byte outside RFC 3986's unreserved set percent-encoded). */
LIN_EXTERN int lin_export_diags_sarif(lin_buf *out, const lin_diags *d);

/* ---- interchange: the graph as files other tools read ------------------ */

/* Where a streamed export goes. write takes the next len bytes of the
 * output; it returns 0, or a negative LIN_E* code (with err filled) that
 * stops the export. */
typedef struct lin_sink {
	int (*write)(void *ctx, const void *data, size_t len, lin_error *err);
	void *ctx;
} lin_sink;

/* The interchange writers below share one contract. They write the models
 * of sel (vertex ids, e.g. from lin_draw_select; NULL: every model, in
 * catalog order), and the derivation edges between two of them whose
 * relation is in mask (each child's parents in the order its entry lists
 * them, children in sel's order), to out. With sink NULL the whole file
 * is appended to out; otherwise out is a scratch buffer: whenever it holds
 * 64 KiB or more, and at the end, its bytes are handed to sink and it is
 * emptied, so a big catalog streams. Node ids are the model ids; every
 * field of lin_model_fields but parents (which are the edges) is a node
 * attribute, lists joined with "; ", unrecorded ones left out; edges carry
 * relation, variant, note and sources. Catalog text passes through
 * lin_escape, so a hostile catalog cannot make the file invalid. The same
 * catalog and selection give the same bytes. Returns 0, LIN_EINVAL for a
 * vertex out of range or an unfinished catalog, LIN_ENOMEM, or the sink's
 * code. */

/* GraphML (Gephi, Cytoscape, NetworkX's read_graphml), built with
 * libxml2's xmlTextWriter: a <key> with attr.type for each attribute
 * (node keys "n_FIELD" plus "n_label", the name or else the id, which
 * Gephi shows; edge keys "e_relation", ...). */
LIN_EXTERN int lin_export_graphml(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                                  const igraph_vector_int_t *sel, lin_relmask mask,
                                  lin_error *err);

/* GEXF 1.2draft (Gephi; NetworkX's read_gexf), through xmlTextWriter: a
 * dynamic graph with timeformat "date" whose nodes start at their release
 * (YYYY-MM-DD as recorded, YYYY-MM-01 for a month, YYYY-01-01 for a
 * year; no start when not recorded), so
 * Gephi's timeline plays the catalog's evolution. Declared <attributes>
 * as for GraphML; a node's label is its name (else its id), an edge's its
 * relation. */
LIN_EXTERN int lin_export_gexf(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                               const igraph_vector_int_t *sel, lin_relmask mask,
                               lin_error *err);

/* Which table lin_export_csv writes. */
typedef enum lin_csv_table {
	LIN_CSV_MODELS, /* one row per model, one column per field but parents */
	LIN_CSV_EDGES   /* child,parent,relation,variant,note,sources */
} lin_csv_table;

/* One CSV table (RFC 4180: a header row, CRLF line ends, a field quoted
 * when it holds a comma, quote or line break, quotes doubled). Against
 * formula injection, a cell that would start with = + - @, a tab or a
 * carriage return gets a leading ' (OWASP's advice), so a spreadsheet
 * shows it as text. */
LIN_EXTERN int lin_export_csv(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                              const igraph_vector_int_t *sel, lin_relmask mask,
                              lin_csv_table table, lin_error *err);

/* NDJSON: one JSON object a line, first the models ({"type":"model"} and
 * the keys of lin_export_model_json's full record), then the edges
 * ({"type":"edge","from":PARENT,"to":CHILD,"relation","variant","note",
 * "sources"}). */
LIN_EXTERN int lin_export_ndjson(lin_buf *out, const lin_sink *sink, const lin_catalog *cat,
                                 const igraph_vector_int_t *sel, lin_relmask mask,
                                 lin_error *err);

/* ---- AI-BOMs ------------------------------------------------------------ */

/* The formats of an AI bill of materials. */
typedef enum lin_bom_format {
	LIN_BOM_CYCLONEDX, /* CycloneDX 1.6 JSON */
	LIN_BOM_SPDX       /* SPDX 3.0.1 JSON-LD */
} lin_bom_format;

/* Parses "cyclonedx" or "spdx"; returns the value or -1. */
LIN_EXTERN int lin_bom_format_parse(const char *s);

/* Bounds on a CycloneDX pedigree, which nests every way an ancestor is
 * reached (a diamond-rich Hub family has exponentially many): past
 * LIN_BOM_MAX_COMPONENTS components only a model's first appearance is
 * expanded, and nothing nests deeper than LIN_BOM_MAX_DEPTH; a component
 * left unexpanded says so in a property, and its ancestors are in the flat
 * "components" list and "dependencies" all the same. */
#define LIN_BOM_MAX_COMPONENTS 10000
#define LIN_BOM_MAX_DEPTH 64

/* Appends the AI-BOM of model v to out: v and every ancestor reached
 * through the relation kinds of o->relations, at most o->depth steps up
 * (o->depth < 0: up to the roots), with each edge's relation kind, variant,
 * note and sources; o may be NULL (every relation, no depth limit).
 * CycloneDX: v as metadata.component with its ancestors nested in
 * pedigree.ancestors, each ancestor once more in "components", and the
 * edges as "dependencies". SPDX: an ai_AIPackage per model, an ancestorOf
 * relationship per edge, declared licences. README.md ("AI-BOMs") says
 * what goes where. Deterministic: the serial number (CycloneDX) and the
 * element ids (SPDX) come from a name-based UUID of the document's own
 * bytes, and no clock is read. Returns 0; LIN_EINVAL for a bad format or
 * vertex or an unfinished catalog; LIN_ENOMEM, LIN_EGRAPH (err says why). */
LIN_EXTERN int lin_export_bom(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                              lin_bom_format fmt, const lin_query_opts *o, lin_error *err);

/* ---- comparing two catalogs ------------------------------------------ */

/* One changed field of a model present in both catalogs: the field (an
 * entry of lin_model_fields, never id or parents: edges are compared on
 * their own) and the model as each catalog has it (borrowed). A LIST field
 * counts as changed when its items differ as sets (order and repeats do
 * not matter). */
typedef struct lin_diff_change {
	const lin_model *old_model, *new_model;
	const lin_field *field;
} lin_diff_change;

/* One derivation edge that differs: parent and child ids, and the parent
 * entry as each catalog has it. old_edge NULL: added; new_edge NULL:
 * removed; both set: the same parent and child with a different relation,
 * variant, note or set of sources. Borrowed from the catalogs. */
typedef struct lin_diff_edge {
	const char *parent, *child;
	const lin_parent *old_edge, *new_edge;
} lin_diff_edge;

/* The difference between two catalogs, every list sorted by id (edges by
 * child, then parent; changes in the field table's order within a model).
 * It borrows from both catalogs, which must outlive it. */
typedef struct lin_diff {
	const lin_model **added, **removed; /* models only in new / only in old */
	size_t nadded, nremoved;
	lin_diff_change *changed;
	size_t nchanged;
	lin_diff_edge *edges;
	size_t nedges;
} lin_diff;

/* Compares two finished catalogs, models matched by id, into a new *out
 * (free with lin_diff_free; NULL on failure). Only edges whose relation is
 * in mask, in either catalog, are compared. Returns 0, LIN_ENOMEM, or
 * LIN_EINVAL for an unfinished catalog or a NULL argument. */
LIN_EXTERN int lin_catalog_diff(lin_diff **out, const lin_catalog *old_cat,
                                const lin_catalog *new_cat, lin_relmask mask, lin_error *err);

/* Frees a difference. Accepts NULL. */
LIN_EXTERN void lin_diff_free(lin_diff *d);

/* 1 when d records no difference at all. */
LIN_EXTERN int lin_diff_empty(const lin_diff *d);

/* Appends d as text, one line per change: "+ model ID", "- model ID",
 * "~ ID: FIELD: OLD -> NEW" (lists as [a, b], an unrecorded value as -),
 * "+ edge PARENT -> CHILD (RELATION[, VARIANT])", "- edge ...", and
 * "~ edge PARENT -> CHILD: relation|variant|note|sources: OLD -> NEW".
 * Catalog text is escaped for one terminal line (LIN_ESC_TERMINAL_LINE).
 * Nothing when d is empty. Returns 0 or LIN_ENOMEM. */
LIN_EXTERN int lin_export_diff_text(lin_buf *out, const lin_diff *d);

/* Appends d as one JSON object: {"schema", "added": [brief models],
 * "removed": [brief models], "changed": [{"id", "field", "old", "new"}]
 * (a LIST field's values as arrays, an unrecorded one as null), "edges":
 * {"added": [edge], "removed": [edge], "changed": [{"parent", "child",
 * "old": edge, "new": edge}]}}, an edge being {"parent", "child",
 * "relation", "variant", "note", "sources"}. Returns 0 or LIN_ENOMEM. */
LIN_EXTERN int lin_export_diff_json(lin_buf *out, const lin_diff *d);

/* ---- drawing ------------------------------------------------------------ */

typedef enum lin_format {
	LIN_FORMAT_SVG,
	LIN_FORMAT_DOT,
	LIN_FORMAT_PNG,
	LIN_FORMAT_MERMAID, /* a Mermaid flowchart (GitHub renders it) */
	LIN_FORMAT_PDF      /* through Graphviz's cairo renderer */
} lin_format;

/* How a drawing groups its models into Graphviz clusters. AUTO groups
 * none: stacked family clusters doubled the evolution tree's area. */
typedef enum lin_group {
	LIN_GROUP_AUTO,
	LIN_GROUP_NONE,
	LIN_GROUP_FAMILY, /* the root reached through weight-carrying parents */
	LIN_GROUP_ORG,    /* the organisation */
	LIN_GROUP_ARCH    /* lanes by architecture (decoder-only, encoder-decoder,
	                     encoder-only, prefix-lm, moe, multimodal) */
} lin_group;

/* Parses "auto", "none", "family", "org", "architecture" (or "arch");
 * returns the value or -1. */
LIN_EXTERN int lin_group_parse(const char *s);

/* The default of lin_draw_opts.max_nodes, and the most any drawing may
 * lay out: dot's layout time grows fast with size (NOTES.md). */
#define LIN_DRAW_MAX_NODES_DEFAULT 150
#define LIN_DRAW_MAX_NODES_LIMIT 2000
/* The same for lin_draw_opts.max_edges: dot's time grows with the edges
 * even more than with the boxes (150 models with 1,320 edges took 36 s,
 * with 1,900 more than five minutes). */
#define LIN_DRAW_MAX_EDGES_DEFAULT 400
#define LIN_DRAW_MAX_EDGES_LIMIT 1000

/* Parses "svg", "dot", "png", "pdf", "mermaid" (or "mmd"); returns the
 * value or -1. */
LIN_EXTERN int lin_format_parse(const char *s);

/* What to draw and how. focus < 0 draws the whole catalog; otherwise the
 * focus model with its ancestors and/or descendants (both when neither flag
 * is set), up to depth edges away (depth < 0: unlimited). */
typedef struct lin_draw_opts {
	igraph_integer_t focus;
	int ancestors, descendants;
	int depth;
	lin_relmask relations;
	int left_to_right; /* rankdir=LR instead of top-down */
	int by_year;       /* rank nodes by release date on a time axis */
	const char *title; /* caption; NULL for a default one */
	/* Above max_nodes models the drawing collapses: the most-derived models
	 * are kept and the others become "+N" summary nodes under their nearest
	 * kept ancestor, counted by relation kind; the caption says so. 0 never
	 * collapses (and a selection above LIN_DRAW_MAX_NODES_LIMIT is refused);
	 * at most LIN_DRAW_MAX_NODES_LIMIT. */
	int max_nodes;
	lin_group group;
	int quarters; /* by_year: 1 one rank per quarter, 0 per year, -1 quarters
	                 only for years with many models */
	int reduce;   /* drop an edge a -> c when c also derives from a through
	                 other drawn models (transitive reduction) */
	int stagger;  /* not by_year: the leaves of a model with many leaf
	                 children spread over this many ranks (0 or 1: off) */
	/* The same budget for edges: above max_edges edges (derivations between
	 * drawn models, before reduce, plus the links to "+N" boxes) models
	 * are left out, the most-derived first kept, a model whose edges do not
	 * fit counted in a "+N" box instead. 0 never collapses for edges (and a
	 * selection with more than LIN_DRAW_MAX_EDGES_LIMIT is refused); at most
	 * LIN_DRAW_MAX_EDGES_LIMIT. */
	int max_edges;
	/* The models to draw, instead of focus and its family: a set of vertex
	 * ids, e.g. from lin_query_eval (borrowed; NULL: none). */
	const igraph_vector_int_t *select;
	/* PNG: drawn at scale times Graphviz's default resolution of 96 dpi
	 * (scale 2 doubles the pixel width); 0 or 1: the default; at most
	 * LIN_DRAW_SCALE_MAX. SVG and PDF are vector drawings: not used. */
	int scale;
	/* Where Graphviz's own messages go as warnings ("Graphviz: <diagram's
	 * caption>: triangulation failed"), never to standard error; NULL:
	 * dropped. */
	lin_diags *diags;
	/* What the selection was, added to the default caption after " — "
	 * ("since 2023, open weights"); NULL: nothing. Not used with title. */
	const char *selection;
} lin_draw_opts;
#define LIN_DRAW_SCALE_MAX 8
#define LIN_DRAW_OPTS_INIT                                                     \
	{.focus = -1, .ancestors = 0, .descendants = 0, .depth = -1,           \
	 .relations = LIN_REL_ALL, .left_to_right = 1, .by_year = 0,           \
	 .title = NULL, .max_nodes = LIN_DRAW_MAX_NODES_DEFAULT,               \
	 .group = LIN_GROUP_AUTO, .quarters = -1, .reduce = 0, .stagger = 3,   \
	 .max_edges = LIN_DRAW_MAX_EDGES_DEFAULT, .select = NULL, .scale = 0, \
	 .diags = NULL, .selection = NULL}

/* Selects the vertices a draw would show, sorted by vertex id. Without a
 * focus, when o->relations leaves some relation kinds out, a model whose
 * every derivation is of a left-out kind goes too (a quantization in a
 * drawing of fine-tunes would stand alone); a model with no derivation at
 * all stays. */
LIN_EXTERN int lin_draw_select(igraph_vector_int_t *out, const lin_catalog *cat,
                               const lin_draw_opts *o, lin_error *err);

/* Draws into out (DOT text, SVG text, PNG or PDF bytes). Graphviz state is one
 * context per process, created on first use and released at exit by
 * lin_render_shutdown. Deterministic: the same catalog and options give the
 * same bytes. */
LIN_EXTERN int lin_render(lin_buf *out, const lin_catalog *cat, const lin_draw_opts *o,
                          lin_format fmt, lin_error *err);

/* Releases the process-wide Graphviz context (call once, at exit). */
LIN_EXTERN void lin_render_shutdown(void);

/* Writes the documentation set: out_dir/evolution.svg (the catalog on a
 * time axis), out_dir/<family>.svg for every base model with descendants,
 * out_dir/catalog.svg, their DOT sources and Mermaid versions in graph_dir,
 * out_dir/README.md embedding them and out_dir/index.html (one
 * self-contained page with search). Every file is written atomically and
 * replaces whatever was at its name (a planted symlink, FIFO or device is
 * never written through; a directory there is an error). Each folder gets
 * a manifest, .lineage-manifest, of the files written there; a family-*
 * diagram is removed only when the previous manifest lists it and this
 * run did not write it. Stale temporary files of killed runs are swept.
 * Whatever Graphviz says while drawing goes to diags as warnings, each
 * naming the diagram's file (out_dir/family-llama.svg) and its caption
 * (which names the family's model); diags NULL: dropped. Nothing is ever
 * printed. */
LIN_EXTERN int lin_docs_write(const lin_catalog *cat, const char *out_dir,
                              const char *graph_dir, lin_diags *diags, lin_error *err);

/* ---- files -------------------------------------------------------------- */

/* Writes len bytes to path, the file a user named (`-o`). A new name, a
 * regular file or a symlink to one is replaced atomically: a temporary
 * file in the same directory, fsync, rename over the name (a symlink is
 * replaced, not its target; a regular file keeps its mode; a new one gets
 * 0666 less the umask). On failure the old file is untouched and no
 * temporary file remains. Written in place instead, never created: a
 * character device or FIFO named directly or through a symlink (a socket
 * too), and /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N, which
 * mean that descriptor. A FIFO with no reader is an error, not a wait. A
 * directory, a block device or a socket node is refused. */
LIN_EXTERN int lin_write_atomic(const char *path, const void *data, size_t len,
                                lin_error *err);

/* Removes the named temporary files of writes in progress (in any
 * thread). Async-signal-safe: for a SIGINT/SIGTERM handler, which then
 * re-raises the signal. Writes that are interrupted otherwise leave
 * nothing where the file system has unnamed files (O_TMPFILE). */
LIN_EXTERN void lin_remove_temporaries(void);

/* Reads a whole file into *out (NUL-terminated; free()). Fails with
 * LIN_ELIMIT above max bytes. */
LIN_EXTERN int lin_read_file(char **out, size_t *len, const char *path, size_t max,
                             lin_error *err);

/* Installs igraph error and warning handlers that never abort; igraph errors
 * then surface as LIN_EGRAPH. Called by lin_catalog_new; idempotent. */
LIN_EXTERN void lin_igraph_init(void);

/* ---- Hugging Face model cards ---------------------------------------- */

/* What an import did: cards read into models, and cards skipped (each
 * skipped card has a warning in diags saying why, with file:line:col). */
typedef struct lin_import_report {
	size_t taken, skipped;
} lin_import_report;

/* Imports Hugging Face model cards into cat (before lin_catalog_finish):
 * path is a card (a README.md with YAML front matter between '---' lines,
 * or a bare YAML file of that front matter) or a directory walked for
 * cards, Hugging Face cache folders (hub/models--ORG--NAME/snapshots/REV)
 * included. Each card becomes a model; each base model a parent edge with
 * allow_external set, so a base outside the cards becomes an external model
 * at finish. Models are appended sorted by id. The rules (ids, relation
 * inference, limits) are in README.md, "Importing Hugging Face model
 * cards". A malformed card is a warning in diags and counts in rep->skipped;
 * the import goes on. Returns 0, or LIN_EIO when path cannot be read,
 * LIN_ENOMEM, LIN_EINVAL when cat is finished. rep may be NULL. */
LIN_EXTERN int lin_import_hf_path(lin_catalog *cat, const char *path, lin_import_report *rep,
                                  lin_diags *diags, lin_error *err);

/* Imports a table of Hub metadata (CSV, or TSV when the header row has a
 * tab): a header row naming the columns id (required), base_model,
 * base_model_relation, createdAt, license, pipeline_tag, tags and
 * library_name, in any order (others, such as downloads and likes, are
 * ignored); then one model
 * per row, read as a card with those fields (the same ids, relation
 * inference and warnings, with the row's line). List cells may be written
 * ["a", "b"], ['a', 'b'] or a,b. Returns as lin_import_hf_path, and
 * LIN_EPARSE for a table without a header or without an id column. */
LIN_EXTERN int lin_import_hf_table(lin_catalog *cat, const char *path, lin_import_report *rep,
                                   lin_diags *diags, lin_error *err);

/* Imports one card held in memory; name is its file name (which gives the
 * model id, e.g. "ORG__NAME.yaml" or "ORG/NAME/README.md") and the file
 * used in messages and sources. Same contract as lin_import_hf_path. */
LIN_EXTERN int lin_import_hf_buffer(lin_catalog *cat, const char *name, const char *data,
                                    size_t len, lin_import_report *rep, lin_diags *diags,
                                    lin_error *err);

/* 1 when path looks like model cards rather than a catalog: a *.md file, or
 * a directory with no catalog-style *.yaml file directly inside (names
 * without "__") and at least one card in or below it. 0 otherwise. */
LIN_EXTERN int lin_import_hf_is_cards(const char *path);

/* Writes the models of a finished catalog as catalog YAML (data/README.md's
 * schema), sorted by id, every string double-quoted and escaped, so that
 * lin_catalog_load_buffer reads the same models back. An external model
 * becomes an entry with stage 'unknown' (its id lowercased; the original
 * spelling kept as its name). */
LIN_EXTERN int lin_catalog_write_yaml(lin_buf *out, const lin_catalog *cat, lin_error *err);

#ifdef __cplusplus
}
#endif
#endif
