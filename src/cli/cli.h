/*
 * cli.h - what the `lineage` command's verbs share: a declarative option
 * table (which also prints usage), catalog loading with error reporting,
 * and output helpers. The library does the work; this layer only talks.
 */
#ifndef LIN_CLI_H
#define LIN_CLI_H

#include "lineage.h"

#define CLI_MAX_OPTS 24
#define CLI_MAX_POS 8
#define CLI_MAX_DATA 32

/* Exit codes: 0 ok, 1 the answer is "no" or problems were found, 2 usage
 * or input error. */
enum { CLI_OK = 0, CLI_NO = 1, CLI_USAGE = 2 };

/* One option: --name (and -s), with an argument named arg or a flag. */
typedef struct cli_opt {
	const char *name;
	char short_name;
	const char *arg; /* NULL for a flag */
	const char *help;
} cli_opt;

typedef struct cli_args {
	const char *pos[CLI_MAX_POS];
	int npos;
	const char *val[CLI_MAX_OPTS];
	int set[CLI_MAX_OPTS];
	const char *data[CLI_MAX_DATA];
	int ndata;
} cli_args;

/* One verb, tmux's cmd_entry style: every entry is written with
 * designated initialisers, and the same entry prints --help, the man page
 * (`lineage man`) and the completion scripts (`lineage completion`), so
 * they cannot drift apart. */
typedef struct cli_cmd cli_cmd;
struct cli_cmd {
	const char *name;
	const char *args;     /* positional synopsis, e.g. "MODEL" */
	const char *summary;  /* one line */
	const char *help;     /* a paragraph, may be NULL */
	const char *examples; /* command lines, one per line, each "lineage ..." */
	const char *exits;    /* the exit statuses, one line each; NULL: the usual
	                         "0 ok, 2 usage or input error" */
	const cli_opt *opts;  /* terminated by CLI_OPT_END */
	int min_pos, max_pos;
	int hidden;           /* not listed in the usage, the man page or completion */
	int served;           /* the resident server may run it (it reads the
	                         catalog and writes to the standard streams only) */
	int (*run)(const cli_cmd *cmd, const cli_args *a);
};

/* Every verb, NULL-terminated, in the order the usage lists them
 * (commands.c). */
extern const cli_cmd *const cli_commands[];
/* The verb named name, or NULL. */
const cli_cmd *cli_command(const char *name);
/* Two lines on stderr for an unknown command or option word ("lineage:
 * unknown command 'x'; did you mean 'y'?", then where to look); near may
 * be NULL. Returns CLI_USAGE. */
int cli_unknown(const char *what, const char *word, const char *near);
/* The listed command nearest to w, for a "did you mean"; NULL when none. */
const char *cli_nearest_command(const char *w);
/* Prints the usage of `lineage` itself: the commands and the globals. */
void cli_main_usage(void *f);

/* The options that may come before the verb, as `git -C` and `kubectl
 * --context` do; main hands them to the verb, which must take them. */
typedef struct cli_global {
	const char *name;
	char short_name;
} cli_global;
#define CLI_NGLOBALS 3
extern const cli_global cli_globals[CLI_NGLOBALS];

/* Options several verbs share, for their tables. */
#define CLI_OPT_DATA {"data", 'd', "PATH", "catalog file or directory (repeatable; default ./data, $LINEAGE_DATA, the installed catalog)"}
#define CLI_OPT_RELATION {"relation", 'r', "KIND[,KIND]", "follow only these relation kinds (default: all)"}
#define CLI_OPT_FORMAT {"format", 'f', "text|json", "output format (default text)"}
#define CLI_OPT_DEPTH {"depth", 0, "N", "at most N derivation steps away"}
#define CLI_OPT_HELP {"help", 'h', NULL, "show this help"}
/* The text tree's look, as `cargo tree` has it (cli_tree_opts reads them). */
#define CLI_OPT_CHARSET {"charset", 0, "utf8|ascii", "tree characters (default: ascii when the locale is not UTF-8)"}
#define CLI_OPT_PREFIX {"prefix", 0, "STYLE", "what starts each line: indent (the branches, default), depth or none"}
#define CLI_OPT_NO_DEDUPE {"no-dedupe", 0, NULL, "expand a model met again, again (at most 10000 lines)"}
#define CLI_OPT_END {NULL, 0, NULL, NULL}

/* Parses argv (after the verb) against cmd's table. Returns -1 after
 * printing a usage error, 1 when --help was printed, 0 otherwise. */
int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *a);

/* Prints cmd's usage, option table, examples and exit statuses to f. */
void cli_usage(const cli_cmd *cmd, void *f);
/* cmd's exit statuses, one line. */
const char *cli_exits(const cli_cmd *cmd);
/* "--depth" for word "--dpeth": the nearest of cmd's long options, into
 * buf; NULL when none is near or word is not a long option. */
const char *cli_suggest_option(const cli_cmd *cmd, const char *word, char *buf, size_t n);

/* 1 when the locale's codeset is UTF-8 (main sets it): the trees' default
 * charset. */
extern int cli_utf8;
/* Reads --charset, --prefix and --no-dedupe into t. 0 or CLI_USAGE. */
int cli_tree_opts(const cli_cmd *cmd, const cli_args *a, lin_tree_opts *t);

/* The most bytes `--data -` reads from standard input. */
#define CLI_STDIN_MAX ((size_t)1 << 30)

/* The value of option `name`, or NULL; whether a flag was given. */
const char *cli_get(const cli_cmd *cmd, const cli_args *a, const char *name);
int cli_flag(const cli_cmd *cmd, const cli_args *a, const char *name);

/* A lin_sink to standard output for streamed answers: what it is handed
 * is escaped for a terminal (LIN_ESC_TERMINAL), as cli_emit_text does. */
typedef struct cli_text_sink {
	lin_sink sink;
	lin_buf raw, clean;
} cli_text_sink;
void cli_text_sink_init(cli_text_sink *t);
void cli_text_sink_dispose(cli_text_sink *t);

/* Progress on standard error (progress.c): started before a load,
 * ended after it. cli_progress_start returns NULL (and the other two do
 * nothing) unless standard error is a terminal; the line appears once the
 * work has taken a second (LINEAGE_PROGRESS=off: never; =MS: after MS
 * milliseconds). cli_progress_report is a lin_progress_fn. */
typedef struct cli_progress cli_progress;
cli_progress *cli_progress_start(void);
void cli_progress_report(void *ctx, const char *phase, const char *file, uint64_t done,
                         uint64_t total);
void cli_progress_end(cli_progress *p);

/* How cli_load loads: print warnings too; parse without the cache; print
 * no diagnostic of diags (the caller reports them itself). */
enum { CLI_LOAD_WARNINGS = 1, CLI_LOAD_NO_CACHE = 2, CLI_LOAD_QUIET = 4 };

/* Loads and finishes the catalog named by --data (or the default), through
 * the binary index cache (cli_cache_dir) unless flags say otherwise or the
 * data are model cards. Prints errors (and warnings with
 * CLI_LOAD_WARNINGS) to stderr. Returns 0, or an exit code (CLI_USAGE)
 * with *out NULL. diags may be NULL. */
int cli_load(const cli_args *a, lin_catalog **out, lin_diags *diags, int flags);
/* The loaders sort diags by file, line and column before printing them. */
/* The same, telling what happened with the cache in *st. */
/* The signal a cache image's lease break is sent as, its handler installed
 * on first use (main.c); 0 when it cannot be, and images are then copied. */
int cli_lease_signal(void);

int cli_open(const cli_args *a, lin_catalog **out, lin_diags *diags, int flags,
             lin_cache_status *st);

/* The cache directory: $LINEAGE_CACHE ("off": none), else
 * $XDG_CACHE_HOME/lineage, else ~/.cache/lineage; NULL when none
 * (srv_cache_dir, which the front end shares). */
const char *cli_cache_dir(char *buf, size_t n);

/* A catalog a resident server keeps open (server.c), for its workers'
 * cli_open: used when lin_catalog_is_current says the request names it. */
typedef struct cli_resident {
	lin_catalog *cat;
	lin_diags diags;           /* every problem its open reported */
	char cache_dir[LIN_PATH_MAX];
	int forked;                /* lin_catalog_after_fork: 0 not yet, 1 done, -1 failed */
} cli_resident;
/* The program itself (run.c, server.c): the whole command line of
 * `lineage`, as main runs it; the global
 * option word w names ("--data", "--data=x", "-d"), or -1; the resident
 * server's entry (argv: "__server" CACHE CWD PATH...), and what main calls
 * before running cmd (the server started when cmd opens a big catalog). */
int cli_main(int argc, char **argv);
int cli_global_index(const char *w);
int cli_server_main(int argc, char **argv);
void cli_server_install(const cli_cmd *cmd);

/* In a server's worker, the server's catalog; NULL elsewhere. */
extern cli_resident *cli_served;
/* Told of every catalog cli_open opened itself (server.c: the server is
 * started, or told to keep this one, when it is big); NULL: nobody. */
extern void (*cli_open_hook)(const char *cache_dir, const char *const *paths, size_t npaths,
                             const lin_catalog *cat);
/* The catalog paths of --data (CLI_MAX_DATA at most), or the default one;
 * returns how many. */
size_t cli_data_paths(const cli_args *a, const char **paths);

/* Finds a model, printing "lineage: no model named ..." on failure.
 * Returns 0 or CLI_USAGE. */
int cli_find(const lin_catalog *cat, const char *name, igraph_integer_t *v);

/* Prints a query-language error (cli_error), then, for an error with a
 * column, the expression with a caret under it. */
void cli_query_error(const lin_error *err, const char *expr);

/* The models of --select EXPR (the query language) into sel (initialised),
 * traversals following the relations in mask. Returns 1 when --select is
 * not given, 0 when sel holds the selection, CLI_USAGE after an error. */
int cli_select(const cli_cmd *cmd, const cli_args *a, const lin_catalog *cat, lin_relmask mask,
               igraph_vector_int_t *sel);

/* The --select option of the verbs that draw or export a selection. */
#define CLI_OPT_SELECT {"select", 0, "EXPR", "the models a query expression selects (see 'lineage query --help')"}

/* Reads --relation and --depth into o. Returns 0 or CLI_USAGE. */
int cli_query_opts(const cli_cmd *cmd, const cli_args *a, lin_query_opts *o);

/* 1 for --format json, 0 for text; -1 (after an error) for anything else. */
int cli_json(const cli_cmd *cmd, const cli_args *a);

/* Parses a non-negative integer option; returns 0 or CLI_USAGE. */
int cli_int(const char *opt, const char *s, int *out);

/* Writes b to stdout as it is (DOT, SVG, PNG). Returns 0 or CLI_USAGE
 * after reporting the error. */
int cli_emit(const lin_buf *b);

/* Writes text meant for a terminal: hidden code points (other than
 * newline and tab) that a hostile catalog could use to drive the terminal
 * are shown as '?'. The text's own writer keeps catalog text to one line
 * (LIN_ESC_TERMINAL_LINE); this is the backstop. */
int cli_emit_text(lin_buf *b);

/* Writes prefix and msg and a newline to fp (a FILE *), msg through the
 * escaper's one-line terminal rule: no control, bidi or other hidden
 * character, and no line break, reaches it. */
void cli_put_terminal(void *fp, const char *prefix, const char *msg);

/* The one printer of diagnostics, in the compiler convention editors'
 * quickfix and CI annotators parse: "FILE:LINE:COL: error: MSG" (or
 * "warning:"; "FILE: error: MSG" when the line is not known), and
 * "lineage: error: MSG" for one that names no file. */
void cli_diag(const lin_error *e, int is_warning);
/* Prints d's items (warnings only when show_warnings) with cli_diag, and a
 * count of the ones d could not keep. */
void cli_print_diags(const lin_diags *d, int show_warnings);

/* Prints err: with cli_diag when it names a file, else "lineage: MSG". */
void cli_error(const lin_error *err);
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "Name [id]" or "id" for display. */
const char *cli_label(const lin_catalog *cat, igraph_integer_t v, char *buf, size_t n);

extern const cli_cmd cmd_ancestors, cmd_descendants, cmd_path, cmd_common,
	cmd_roots, cmd_show, cmd_list, cmd_stats, cmd_check, cmd_draw, cmd_docs;
/* lineage is-ancestor A B, lineage why A B (cmd_why.c) */
extern const cli_cmd cmd_is_ancestor, cmd_why;
/* lineage completion SHELL, lineage man (cmd_manual.c) */
extern const cli_cmd cmd_completion, cmd_man, cmd_help;
/* lineage import hf: model cards to catalog YAML (cmd_import.c) */
extern const cli_cmd cmd_import, cmd_cache, cmd_server;
/* lineage export: GraphML, GEXF, CSV, NDJSON (cmd_export.c) */
extern const cli_cmd cmd_export;
/* lineage diff OLD NEW: what changed between two catalogs (cmd_diff.c) */
extern const cli_cmd cmd_diff;
/* lineage query EXPR: the query language (cmd_query.c) */
extern const cli_cmd cmd_query;
/* lineage licenses MODEL: the licence audit of a lineage (cmd_licenses.c) */
extern const cli_cmd cmd_licenses;
/* lineage bom MODEL: the model's AI-BOM (cmd_bom.c) */
extern const cli_cmd cmd_bom;

#endif
