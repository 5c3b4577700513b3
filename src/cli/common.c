/*
 * common.c - option parsing, catalog loading and output for every verb.
 * Data goes to stdout, messages to stderr as "lineage: ...".
 */
#include "cli.h"
#include "serve.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#ifndef LINEAGE_DATADIR
#define LINEAGE_DATADIR "/usr/local/share/lineage/data"
#endif

void cli_errorf(const char *fmt, ...)
{
	char msg[LIN_PATH_MAX + LIN_MSG_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* messages quote catalog text: keep its control characters off the
	 * terminal */
	cli_put_terminal(stderr, "lineage: ", msg);
}

void cli_diag(const lin_error *e, int is_warning)
{
	char buf[LIN_PATH_MAX + LIN_MSG_MAX + 64];
	const char *sev = is_warning ? "warning" : "error";
	if (!e->file[0])
		snprintf(buf, sizeof(buf), "lineage: %s: %s", sev, e->msg);
	else if (e->line <= 0)
		snprintf(buf, sizeof(buf), "%s: %s: %s", e->file, sev, e->msg);
	else if (e->col <= 0)
		snprintf(buf, sizeof(buf), "%s:%d: %s: %s", e->file, e->line, sev, e->msg);
	else
		snprintf(buf, sizeof(buf), "%s:%d:%d: %s: %s", e->file, e->line, e->col, sev, e->msg);
	/* the file name and the message quote the user's text */
	cli_put_terminal(stderr, "", buf);
}

void cli_error(const lin_error *err)
{
	if (err->file[0])
		cli_diag(err, 0);
	else
		cli_errorf("%s", err->msg);
}

void cli_usage(const cli_cmd *cmd, void *fp)
{
	FILE *f = fp;
	fprintf(f, "usage: lineage %s [options]%s%s\n\n%s\n", cmd->name, cmd->args[0] ? " " : "",
	        cmd->args, cmd->summary);
	if (cmd->help)
		fprintf(f, "\n%s\n", cmd->help);
	fputs("\noptions:\n", f);
	for (const cli_opt *o = cmd->opts; o->name; o++) {
		char left[64];
		/* "-r, --relation KIND" or "    --depth N": the long names align */
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s", o->short_name ? "-" : " ",
		         o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
		         o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-28s %s\n", left, o->help);
	}
	if (cmd->examples) {
		fputs("\nexamples:\n", f);
		for (const char *s = cmd->examples; *s;) {
			size_t n = strcspn(s, "\n");
			fprintf(f, "  %.*s\n", (int)n, s);
			s += n + (s[n] == '\n');
		}
	}
	fprintf(f, "\nexit status: %s\n", cli_exits(cmd));
}

const char *cli_exits(const cli_cmd *cmd)
{
	return cmd->exits ? cmd->exits : "0 ok, 2 usage or input error";
}

const char *cli_suggest_option(const cli_cmd *cmd, const char *word, char *buf, size_t n)
{
	const char *names[CLI_MAX_OPTS + 1];
	size_t k = 0, len = strcspn(word, "=");
	char w[128];
	if (word[0] != '-' || word[1] != '-' || len >= sizeof(w))
		return NULL;
	snprintf(w, sizeof(w), "%.*s", (int)len - 2, word + 2);
	for (const cli_opt *o = cmd->opts; o->name && k < CLI_MAX_OPTS; o++)
		names[k++] = o->name;
	names[k] = NULL;
	const char *near = lin_nearest_word(names, w);
	if (!near)
		return NULL;
	snprintf(buf, n, "--%s", near);
	return buf;
}

static int opt_index(const cli_cmd *cmd, const char *name, size_t len, char short_name)
{
	for (int i = 0; cmd->opts[i].name; i++) {
		const cli_opt *o = &cmd->opts[i];
		if (short_name ? o->short_name == short_name
		               : strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return i;
	}
	return -1;
}

static int usage_error(const cli_cmd *cmd, const char *fmt, const char *what)
{
	fprintf(stderr, "lineage %s: ", cmd->name);
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\n(see 'lineage %s --help')\n", cmd->name);
	return -1;
}

/* Stores option i's value; --data accumulates. */
static int store(const cli_cmd *cmd, cli_args *a, int i, const char *val)
{
	if (strcmp(cmd->opts[i].name, "data") == 0) {
		if (a->ndata == CLI_MAX_DATA)
			return usage_error(cmd, "too many %s options", "--data");
		a->data[a->ndata++] = val;
	}
	a->set[i] = 1;
	a->val[i] = val;
	return 0;
}

/* The long name another verb gives short option c (one meaning across
 * verbs: test_cli checks it), or NULL. */
static const char *short_elsewhere(char c)
{
	for (size_t i = 0; cli_commands[i]; i++)
		for (const cli_opt *o = cli_commands[i]->opts; o->name; o++)
			if (o->short_name == c)
				return o->name;
	return NULL;
}

/* Handles one "--name[=value]" or "-x" word; may consume the next. */
static int parse_option(const cli_cmd *cmd, int argc, char **argv, int *k, cli_args *a)
{
	const char *w = argv[*k], *eq = NULL, *val = NULL;
	int i;
	if (w[1] == '-') {
		eq = strchr(w + 2, '=');
		i = opt_index(cmd, w + 2, eq ? (size_t)(eq - w - 2) : strlen(w + 2), 0);
	} else {
		i = w[2] ? -1 : opt_index(cmd, NULL, 0, w[1]);
	}
	if (i < 0) {
		char near[96];
		const char *other = w[1] != '-' && !w[2] ? short_elsewhere(w[1]) : NULL;
		if (other) {
			fprintf(stderr, "lineage %s: unknown option '%s' (-%c is --%s, which this command does not take)\n",
			        cmd->name, w, w[1], other);
			fprintf(stderr, "(see 'lineage %s --help')\n", cmd->name);
			return -1;
		}
		if (!cli_suggest_option(cmd, w, near, sizeof(near)))
			return usage_error(cmd, "unknown option '%s'", w);
		fprintf(stderr, "lineage %s: unknown option '%s'; did you mean '%s'?\n", cmd->name, w, near);
		fprintf(stderr, "(see 'lineage %s --help')\n", cmd->name);
		return -1;
	}
	if (!cmd->opts[i].arg) {
		if (eq)
			return usage_error(cmd, "option '%s' takes no value", w);
		return store(cmd, a, i, "1");
	}
	if (eq)
		val = eq + 1;
	else if (*k + 1 < argc)
		val = argv[++*k];
	else
		return usage_error(cmd, "option '%s' needs a value", w);
	return store(cmd, a, i, val);
}

int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *a)
{
	int only_pos = 0;
	memset(a, 0, sizeof(*a));
	for (int k = 0; k < argc; k++) {
		const char *w = argv[k];
		if (!only_pos && strcmp(w, "--") == 0) {
			only_pos = 1;
		} else if (!only_pos && w[0] == '-' && w[1]) {
			if (parse_option(cmd, argc, argv, &k, a) != 0)
				return -1;
		} else if (a->npos == CLI_MAX_POS || a->npos == cmd->max_pos) {
			return usage_error(cmd, "unexpected argument '%s'", w);
		} else {
			a->pos[a->npos++] = w;
		}
	}
	if (cli_flag(cmd, a, "help")) {
		cli_usage(cmd, stdout);
		return 1;
	}
	if (a->npos < cmd->min_pos)
		return usage_error(cmd, "missing %s", cmd->args);
	return 0;
}

const char *cli_get(const cli_cmd *cmd, const cli_args *a, const char *name)
{
	int i = opt_index(cmd, name, strlen(name), 0);
	return i >= 0 && a->set[i] ? a->val[i] : NULL;
}

int cli_flag(const cli_cmd *cmd, const cli_args *a, const char *name)
{
	return cli_get(cmd, a, name) != NULL;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The catalog used when no --data is given. */
static const char *default_data(void)
{
	const char *env = getenv("LINEAGE_DATA");
	if (is_dir("data"))
		return "data";
	if (env && *env)
		return env;
	return LINEAGE_DATADIR;
}

void cli_print_diags(const lin_diags *d, int show_warnings)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->is_warning[i] || show_warnings)
			cli_diag(&d->items[i], d->is_warning[i]);
	size_t more = d->dropped_errors + (show_warnings ? d->dropped_warnings : 0);
	if (more)
		fprintf(stderr, "lineage: ... and %zu more not shown\n", more);
}

const char *cli_cache_dir(char *buf, size_t n)
{
	return srv_cache_dir(buf, n);
}

size_t cli_data_paths(const cli_args *a, const char **paths)
{
	size_t np = a->ndata ? (size_t)a->ndata : 1;
	for (size_t i = 0; i < np; i++)
		paths[i] = a->ndata ? a->data[i] : default_data();
	return np;
}

/* Reads all of standard input into *out (NUL-terminated; free()), at most
 * CLI_STDIN_MAX bytes. Returns 0 or CLI_USAGE after saying why. */
static int read_stdin(char **out, size_t *len)
{
	size_t cap = 0, n = 0;
	char *data = NULL;
	*out = NULL;
	*len = 0;
	for (;;) {
		if (n + 65536 + 1 > cap) {
			size_t ncap = cap ? cap * 2 : 65536 * 2;
			char *d = realloc(data, ncap);
			if (!d) {
				free(data);
				cli_errorf("<stdin>: out of memory");
				return CLI_USAGE;
			}
			data = d;
			cap = ncap;
		}
		size_t r = fread(data + n, 1, cap - n - 1, stdin);
		n += r;
		if (n > CLI_STDIN_MAX) {
			free(data);
			cli_errorf("<stdin>: input exceeds the limit of %zu bytes", (size_t)CLI_STDIN_MAX);
			return CLI_USAGE;
		}
		if (r == 0)
			break;
	}
	if (ferror(stdin)) {
		free(data);
		cli_errorf("<stdin>: cannot read standard input: %s", strerror(errno));
		return CLI_USAGE;
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	return 0;
}

/* A cache image is mapped under a lease (lin_open_opts.map_signal): when
 * someone goes to change the file, its copy is taken before they may. */
static void on_lease_break(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	lin_cache_lease_break(info->si_fd);
}

int cli_lease_signal(void)
{
	static int sig = -1;
	if (sig < 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_lease_break;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		sig = sigaction(SIGIO, &sa, NULL) == 0 ? SIGIO : 0;
		/* a mask inherited with SIGIO blocked would hold the break until
		 * the kernel gives up waiting (lease-break-time) and cuts the file */
		sigset_t io;
		sigemptyset(&io);
		sigaddset(&io, SIGIO);
		if (sig && sigprocmask(SIG_UNBLOCK, &io, NULL) != 0)
			sig = 0;
	}
	return sig;
}

cli_resident *cli_served;
void (*cli_open_hook)(const char *, const char *const *, size_t, const lin_catalog *);

/* The server's catalog, when this is a worker of a server that keeps the
 * catalog the request names, unchanged: 1 with *out and its open's
 * problems in d, as an open of its image would have given them. */
static int take_resident(lin_catalog **out, const char *cache_dir, const char *const *paths,
                         size_t np, lin_diags *d, lin_cache_status *st)
{
	cli_resident *r = cli_served;
	if (!r || !r->cat || r->forked < 0 || !cache_dir || strcmp(cache_dir, r->cache_dir) != 0 ||
	    !lin_catalog_is_current(r->cat, paths, np))
		return 0;
	if (!r->forked)
		r->forked = lin_catalog_after_fork(r->cat) == 0 ? 1 : -1;
	if (r->forked < 0)
		return 0;
	lin_diags_append(d, &r->diags);
	if (st) {
		memset(st, 0, sizeof(*st));
		st->hit = 1;
	}
	*out = r->cat;
	return 1;
}

int cli_open(const cli_args *a, lin_catalog **out, lin_diags *diags, int flags,
             lin_cache_status *st)
{
	char *piped = NULL;
	size_t piped_len = 0;
	lin_catalog *cat = NULL;
	lin_error err;
	lin_diags local;
	lin_diags *d = diags ? diags : &local;
	lin_open_opts opts = LIN_OPEN_OPTS_INIT;
	const char *paths[CLI_MAX_DATA];
	char dirbuf[LIN_PATH_MAX];
	int rc = CLI_OK, failed = 0;
	lin_diags_init(&local);
	/* warnings nobody prints are not worth finding */
	local.errors_only = !(flags & CLI_LOAD_WARNINGS);
	lin_error_clear(&err);
	opts.cache_dir = flags & CLI_LOAD_NO_CACHE ? NULL : cli_cache_dir(dirbuf, sizeof(dirbuf));
	opts.status = st;
	opts.map_signal = cli_lease_signal();
	size_t np = cli_data_paths(a, paths), dashes = 0;
	for (size_t i = 0; i < np; i++)
		dashes += strcmp(paths[i], "-") == 0;
	if (dashes > 1) {
		cli_errorf("--data - (standard input) may be given once");
		*out = NULL;
		return CLI_USAGE;
	}
	if (dashes && read_stdin(&piped, &piped_len) != 0) {
		*out = NULL;
		return CLI_USAGE;
	}
	if (!dashes && take_resident(&cat, opts.cache_dir, paths, np, d, st))
		goto opened;
	opts.stdin_data = piped;
	opts.stdin_len = piped_len;
	cli_progress *prog = cli_progress_start();
	if (prog) {
		opts.progress = cli_progress_report;
		opts.progress_ctx = prog;
	}
	failed = lin_catalog_open(&cat, paths, np, &opts, d, &err) != 0;
	cli_progress_end(prog);
	if (!failed && cli_open_hook)
		cli_open_hook(opts.cache_dir, paths, np, cat);
opened:
	/* in file order, not in the order the phases found them (when memory
	 * is short they stay unsorted) */
	lin_diags_sort(d);
	if (!(flags & CLI_LOAD_QUIET))
		cli_print_diags(d, flags & CLI_LOAD_WARNINGS);
	if (failed) {
		if (lin_diags_errors(d) == 0) /* not in diags: no one else reports it */
			cli_error(&err);
		rc = CLI_USAGE;
	}
	*out = cat;
	lin_diags_dispose(&local);
	free(piped);
	return rc;
}

int cli_load(const cli_args *a, lin_catalog **out, lin_diags *diags, int flags)
{
	lin_cache_status st;
	return cli_open(a, out, diags, flags, &st);
}

int cli_find(const lin_catalog *cat, const char *name, igraph_integer_t *v)
{
	lin_error err;
	if (lin_catalog_find(v, cat, name, &err) == 0)
		return 0;
	cli_error(&err);
	return CLI_USAGE;
}

int cli_int(const char *opt, const char *s, int *out)
{
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 1000000000L) {
		cli_errorf("%s expects a whole number >= 0, not '%s'", opt, s);
		return CLI_USAGE;
	}
	*out = (int)v;
	return 0;
}

int cli_query_opts(const cli_cmd *cmd, const cli_args *a, lin_query_opts *o)
{
	lin_error err;
	const char *rel = cli_get(cmd, a, "relation"), *depth = cli_get(cmd, a, "depth");
	lin_query_opts init = LIN_QUERY_OPTS_INIT;
	*o = init;
	if (rel && lin_relmask_parse(&o->relations, rel, &err) != 0) {
		cli_error(&err);
		return CLI_USAGE;
	}
	if (depth && cli_int("--depth", depth, &o->depth) != 0)
		return CLI_USAGE;
	return 0;
}

int cli_json(const cli_cmd *cmd, const cli_args *a)
{
	const char *f = cli_get(cmd, a, "format");
	if (!f || strcmp(f, "text") == 0)
		return 0;
	if (strcmp(f, "json") == 0)
		return 1;
	cli_errorf("unknown format '%s' (expected text or json)", f);
	return -1;
}

int cli_emit(const lin_buf *b)
{
	if (b->oom) {
		cli_errorf("out of memory");
		return CLI_USAGE;
	}
	if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len) {
		cli_errorf("cannot write to standard output: %s", strerror(errno));
		return CLI_USAGE;
	}
	return 0;
}

void cli_put_terminal(void *fp, const char *prefix, const char *msg)
{
	lin_buf b = LIN_BUF_INIT;
	/* a message is one line: a name's newline must not start another
	 * that reads as a diagnostic of its own */
	lin_escape(&b, msg, LIN_ESC_TERMINAL_LINE, 0);
	fprintf(fp, "%s%s\n", prefix, b.data ? b.data : "");
	lin_buf_dispose(&b);
}

int cli_emit_text(lin_buf *b)
{
	lin_buf clean = LIN_BUF_INIT;
	lin_escape(&clean, b->data, LIN_ESC_TERMINAL, 0);
	if (b->oom)
		clean.oom = 1;
	int rc = cli_emit(&clean);
	lin_buf_dispose(&clean);
	return rc;
}

/* The sink of a streamed answer: each chunk escaped as cli_emit_text
 * escapes a whole answer (chunks end between lines, so the bytes are the
 * same) and written to standard output. */
static int text_sink_write(void *ctx, const void *data, size_t len, lin_error *err)
{
	cli_text_sink *t = ctx;
	t->raw.len = 0;
	t->clean.len = 0;
	lin_buf_append(&t->raw, data, len);
	if (t->raw.oom || lin_escape(&t->clean, t->raw.data ? t->raw.data : "", LIN_ESC_TERMINAL, 0)) {
		lin_error_clear(err);
		err->code = LIN_ENOMEM;
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return LIN_ENOMEM;
	}
	if (t->clean.len && fwrite(t->clean.data, 1, t->clean.len, stdout) != t->clean.len) {
		lin_error_clear(err);
		err->code = LIN_EIO;
		snprintf(err->msg, sizeof(err->msg), "cannot write to standard output: %s",
		         strerror(errno));
		return LIN_EIO;
	}
	return 0;
}

void cli_text_sink_init(cli_text_sink *t)
{
	lin_buf init = LIN_BUF_INIT;
	t->raw = init;
	t->clean = init;
	t->sink.write = text_sink_write;
	t->sink.ctx = t;
}

void cli_text_sink_dispose(cli_text_sink *t)
{
	lin_buf_dispose(&t->raw);
	lin_buf_dispose(&t->clean);
}

const char *cli_label(const lin_catalog *cat, igraph_integer_t v, char *buf, size_t n)
{
	lin_buf b = LIN_BUF_INIT;
	lin_export_label(&b, cat, v);
	snprintf(buf, n, "%s", b.data ? b.data : "");
	lin_buf_dispose(&b);
	return buf;
}

void cli_query_error(const lin_error *err, const char *expr)
{
	cli_error(err);
	if (strcmp(err->file, "<query>") != 0 || err->col <= 0 || strlen(expr) > 200)
		return;
	/* the expression, and a caret under the column (columns count characters) */
	lin_buf b = LIN_BUF_INIT;
	lin_escape(&b, expr, LIN_ESC_TERMINAL_LINE, 0);
	fprintf(stderr, "  %s\n  %*s^\n", b.data ? b.data : "", err->col - 1, "");
	lin_buf_dispose(&b);
}

int cli_select(const cli_cmd *cmd, const cli_args *a, const lin_catalog *cat, lin_relmask mask,
               igraph_vector_int_t *sel)
{
	const char *expr = cli_get(cmd, a, "select");
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error err;
	if (!expr)
		return 1;
	o.relations = mask;
	if (lin_query_eval(sel, cat, expr, &o, &err) != 0) {
		cli_query_error(&err, expr);
		return CLI_USAGE;
	}
	return 0;
}

int cli_utf8 = 1;

int cli_tree_opts(const cli_cmd *cmd, const cli_args *a, lin_tree_opts *t)
{
	const char *cs = cli_get(cmd, a, "charset"), *px = cli_get(cmd, a, "prefix");
	lin_tree_opts init = LIN_TREE_OPTS_INIT;
	*t = init;
	t->charset = cli_utf8 ? LIN_TREE_UTF8 : LIN_TREE_ASCII;
	if (cs && strcmp(cs, "utf8") == 0)
		t->charset = LIN_TREE_UTF8;
	else if (cs && strcmp(cs, "ascii") == 0)
		t->charset = LIN_TREE_ASCII;
	else if (cs) {
		cli_errorf("unknown --charset '%s' (expected utf8 or ascii)", cs);
		return CLI_USAGE;
	}
	if (px && strcmp(px, "indent") == 0)
		t->prefix = LIN_TREE_INDENT;
	else if (px && strcmp(px, "depth") == 0)
		t->prefix = LIN_TREE_DEPTH;
	else if (px && strcmp(px, "none") == 0)
		t->prefix = LIN_TREE_NONE;
	else if (px) {
		cli_errorf("unknown --prefix '%s' (expected indent, depth or none)", px);
		return CLI_USAGE;
	}
	t->dedupe = !cli_flag(cmd, a, "no-dedupe");
	return 0;
}
