/*
 * lang.c - the query language, in the spirit of bazel query: functions
 * that yield sets of models (ancestors, descendants, allpaths, somepath,
 * roots, leaves) or filter them (kind, stage, attr, released), set
 * operations (union +, intersect ^, except -, all of one precedence, left
 * to right), parentheses and `let NAME = EXPR in EXPR` ($NAME refers to
 * it). A word or a quoted string where a set is expected is a model name,
 * resolved as everywhere (id, name, alias, fuzzy; ambiguity reported).
 * igraph does every traversal, on the view of the graph that --relation
 * leaves. A set is a sorted vector of vertex ids.
 *
 * Bounds, since an expression may come from anyone: the text is at most
 * LANG_MAX_TEXT bytes and nests at most LANG_MAX_DEPTH deep (the parser
 * and the evaluator recurse), so no input exhausts the stack; every set is
 * at most the catalog, so no input grows memory past a few sets of it.
 */
#include "query.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LANG_MAX_TEXT 65536
#define LANG_MAX_DEPTH 100
#define LANG_MAX_ARGS 4
#define LANG_FILE "<query>"

/* ---- tokens ------------------------------------------------------------ */

typedef enum tok_kind {
	T_END, T_WORD, T_STRING, T_VAR, T_LPAREN, T_RPAREN, T_COMMA,
	T_UNION, T_INTERSECT, T_EXCEPT, T_CMP, T_ERROR
} tok_kind;

typedef struct tok {
	tok_kind kind;
	const char *at; /* in the expression text */
	size_t len;     /* bytes of the token as written */
	int col;        /* 1-based, in characters */
	char *text;     /* T_WORD, T_STRING (unquoted), T_VAR (without $), T_CMP */
} tok;

typedef struct lexer {
	const char *s, *p;
	lin_error *err;
	int failed;
} lexer;

/* Columns count characters, not bytes: a name in Chinese before the error
 * must not push the caret off. */
static int col_of(const lexer *lx, const char *at)
{
	int col = 1;
	for (const char *q = lx->s; q < at; q++)
		col += ((unsigned char)*q & 0xC0) != 0x80;
	return col;
}

static int lang_fail(lin_error *err, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int lang_fail(lin_error *err, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lin_i_vfail(err, LIN_EPARSE, LANG_FILE, 1, col, fmt, ap);
	va_end(ap);
	return LIN_EPARSE;
}

/* Word characters: what ids, names, relation kinds, dates and numbers are
 * made of. A '-' is one inside a word ("llama-2", "2023-01"); at the start
 * of a token it is except, as in "a -b" and "f(x)-g(y)". */
static int word_char(unsigned char c)
{
	return c && (isalnum(c) || c >= 0x80 || strchr("_./:@-*", c) != NULL); /* strchr finds the NUL too */
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

/* A quoted string: '...' or "..." with \\ and \" (or \') escapes. */
static int lex_string(lexer *lx, tok *t)
{
	char q = *lx->p++;
	lin_buf b = LIN_BUF_INIT;
	for (; *lx->p && *lx->p != q; lx->p++) {
		if (*lx->p == '\\' && lx->p[1])
			lx->p++;
		lin_buf_append(&b, lx->p, 1);
	}
	if (!*lx->p) {
		lin_buf_dispose(&b);
		return lang_fail(lx->err, t->col, "unterminated string");
	}
	lx->p++;
	t->kind = T_STRING;
	if (b.oom) {
		lin_buf_dispose(&b);
		return lin_i_fail(lx->err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	t->text = b.data ? b.data : dup_n("", 0);
	if (!t->text)
		return lin_i_fail(lx->err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

static int lex(lexer *lx, tok *t)
{
	while (isspace((unsigned char)*lx->p))
		lx->p++;
	memset(t, 0, sizeof(*t));
	t->at = lx->p;
	t->col = col_of(lx, lx->p);
	const char *p = lx->p;
	int rc = 0;
	switch (*p) {
	case 0: t->kind = T_END; return 0;
	case '(': t->kind = T_LPAREN; lx->p++; break;
	case ')': t->kind = T_RPAREN; lx->p++; break;
	case ',': t->kind = T_COMMA; lx->p++; break;
	case '+': t->kind = T_UNION; lx->p++; break;
	case '^': t->kind = T_INTERSECT; lx->p++; break;
	case '"': case '\'':
		if ((rc = lex_string(lx, t)))
			return rc;
		break;
	case '>': case '<': case '=':
		lx->p += (p[0] != '=' && p[1] == '=') ? 2 : 1;
		t->kind = T_CMP;
		break;
	case '$':
		lx->p++;
		while (word_char((unsigned char)*lx->p) && *lx->p != '-')
			lx->p++;
		if (lx->p == p + 1)
			return lang_fail(lx->err, t->col, "expected a name after '$'");
		t->kind = T_VAR;
		break;
	case '-': t->kind = T_EXCEPT; lx->p++; break;
	default:
		if (!word_char((unsigned char)*p))
			return lang_fail(lx->err, t->col, "unexpected character '%c'",
			                 isprint((unsigned char)*p) ? *p : '?');
		while (word_char((unsigned char)*lx->p))
			lx->p++;
		t->kind = T_WORD;
	}
	t->len = (size_t)(lx->p - p);
	if (t->kind == T_WORD || t->kind == T_VAR || t->kind == T_CMP) {
		size_t skip = t->kind == T_VAR;
		if (!(t->text = dup_n(p + skip, t->len - skip)))
			return lin_i_fail(lx->err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	/* the operator words, where a word cannot be a model (quote one so named) */
	if (t->kind == T_WORD && (!strcmp(t->text, "union") || !strcmp(t->text, "intersect") ||
	                          !strcmp(t->text, "except")))
		t->kind = t->text[0] == 'u' ? T_UNION : t->text[0] == 'i' ? T_INTERSECT : T_EXCEPT;
	return 0;
}

/* ---- the syntax tree --------------------------------------------------- */

typedef enum node_kind { N_NAME, N_VAR, N_CALL, N_SETOP, N_LET, N_INT, N_WORD, N_CMP } node_kind;

typedef struct node {
	node_kind kind;
	int col;
	char *text;        /* N_NAME, N_VAR, N_CALL (function), N_LET (variable), N_WORD, N_CMP (op) */
	long value;        /* N_INT */
	tok_kind op;       /* N_SETOP */
	struct node *kid[LANG_MAX_ARGS]; /* operands, arguments; N_LET: value, body; N_CMP: the date */
	int nkids;
} node;

static void node_free(node *n)
{
	/* a long chain a + b + ... is left-deep: free along kid[0] in a loop */
	while (n && n->kind == N_SETOP) {
		node *left = n->kid[0];
		n->kid[0] = NULL;
		for (int i = 1; i < LANG_MAX_ARGS; i++)
			node_free(n->kid[i]);
		free(n->text);
		free(n);
		n = left;
	}
	if (!n)
		return;
	/* every slot, not nkids: a parse that failed half-way left its last
	 * operand in the next slot */
	for (int i = 0; i < LANG_MAX_ARGS; i++)
		node_free(n->kid[i]);
	free(n->text);
	free(n);
}

typedef struct parser {
	lexer lx;
	tok cur;
	int depth;
} parser;

static int advance(parser *ps)
{
	free(ps->cur.text);
	ps->cur.text = NULL;
	return lex(&ps->lx, &ps->cur);
}

static node *node_new(parser *ps, node_kind k, int col)
{
	node *n = calloc(1, sizeof(*n));
	if (!n)
		lin_i_fail(ps->lx.err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	else
		n->kind = k, n->col = col;
	return n;
}

/* Takes the current token's text into n (the token gives it up). */
static void take_text(parser *ps, node *n)
{
	n->text = ps->cur.text;
	ps->cur.text = NULL;
}

/* What a message calls token t: "')'", "the end", "'excpt'". */
static const char *tok_name(const tok *t, char *buf, size_t n)
{
	switch (t->kind) {
	case T_END: return "the end";
	case T_LPAREN: return "'('";
	case T_RPAREN: return "')'";
	case T_COMMA: return "','";
	case T_UNION: return "union";
	case T_INTERSECT: return "intersect";
	case T_EXCEPT: return "except";
	default:
		snprintf(buf, n, "'%s%s'", t->kind == T_VAR ? "$" : "", t->text ? LIN_I_CLIP(t->text, 48) : "");
		return buf;
	}
}

/* "found X", with a "did you mean" when a word stands where an operator
 * was expected and reads like one. */
static int found_fail(parser *ps, const char *expected)
{
	static const char *const ops[] = {"union", "intersect", "except", "in", NULL};
	char buf[64];
	const char *near = ps->cur.kind == T_WORD ? lin_nearest_word(ops, ps->cur.text) : NULL;
	return lang_fail(ps->lx.err, ps->cur.col, "expected %s, found %s%s%s%s", expected,
	                 tok_name(&ps->cur, buf, sizeof(buf)), near ? " (did you mean '" : "",
	                 near ? near : "", near ? "'?)" : "");
}

static int expect(parser *ps, tok_kind k, const char *what)
{
	if (ps->cur.kind != k)
		return found_fail(ps, what);
	return advance(ps);
}

static int parse_expr(parser *ps, node **out);

/* NAME ( ARG, ... ): each argument an expression, or for the date filter
 * a comparison and a date. */
static int parse_call(parser *ps, node *call)
{
	int rc = 0;
	if ((rc = advance(ps))) /* past '(' */
		return rc;
	if (ps->cur.kind == T_RPAREN)
		return advance(ps);
	for (;;) {
		node *arg = NULL;
		if (call->nkids == LANG_MAX_ARGS)
			return lang_fail(ps->lx.err, ps->cur.col, "too many arguments to %s()", call->text);
		if (ps->cur.kind == T_CMP) {
			if (!(arg = node_new(ps, N_CMP, ps->cur.col)))
				return LIN_ENOMEM;
			take_text(ps, arg);
			call->kid[call->nkids++] = arg;
			if ((rc = advance(ps)))
				return rc;
			if (ps->cur.kind != T_WORD)
				return lang_fail(ps->lx.err, ps->cur.col, "expected a date after '%s'", arg->text);
			if (!(arg->kid[0] = node_new(ps, N_WORD, ps->cur.col)))
				return LIN_ENOMEM;
			arg->nkids = 1;
			take_text(ps, arg->kid[0]);
			if ((rc = advance(ps)))
				return rc;
		} else {
			rc = parse_expr(ps, &call->kid[call->nkids]);
			call->nkids++;
			if (rc)
				return rc;
		}
		if (ps->cur.kind == T_RPAREN)
			return advance(ps);
		if ((rc = expect(ps, T_COMMA, "',' or ')'")))
			return rc;
	}
}

static int parse_primary(parser *ps, node **out)
{
	int rc = 0, col = ps->cur.col;
	*out = NULL;
	switch (ps->cur.kind) {
	case T_LPAREN:
		if ((rc = advance(ps)) || (rc = parse_expr(ps, out)))
			return rc;
		return expect(ps, T_RPAREN, "')'");
	case T_VAR:
	case T_STRING:
	case T_WORD: {
		int is_word = ps->cur.kind == T_WORD;
		if (!(*out = node_new(ps, ps->cur.kind == T_VAR ? N_VAR : N_NAME, col)))
			return LIN_ENOMEM;
		take_text(ps, *out);
		if ((rc = advance(ps)))
			return rc;
		if (is_word && ps->cur.kind == T_LPAREN) {
			(*out)->kind = N_CALL;
			return parse_call(ps, *out);
		}
		return 0;
	}
	default:
		return found_fail(ps, "a model, a function or '('");
	}
}

/* let NAME = EXPR in EXPR */
static int parse_let(parser *ps, node **out)
{
	int rc = 0;
	if ((rc = advance(ps)))
		return rc;
	if (ps->cur.kind != T_WORD)
		return lang_fail(ps->lx.err, ps->cur.col, "expected a variable name after 'let'");
	if (!(*out = node_new(ps, N_LET, ps->cur.col)))
		return LIN_ENOMEM;
	take_text(ps, *out);
	if ((rc = advance(ps)))
		return rc;
	if (ps->cur.kind != T_CMP || strcmp(ps->cur.text, "=") != 0)
		return lang_fail(ps->lx.err, ps->cur.col, "expected '=' after 'let %s'", (*out)->text);
	if ((rc = advance(ps)) || (rc = parse_expr(ps, &(*out)->kid[0])))
		return rc;
	(*out)->nkids = 1;
	if (ps->cur.kind != T_WORD || strcmp(ps->cur.text, "in") != 0)
		return found_fail(ps, "'in' after the value of the let");
	if ((rc = advance(ps)) || (rc = parse_expr(ps, &(*out)->kid[1])))
		return rc;
	(*out)->nkids = 2;
	return 0;
}

/* EXPR := let ... | PRIMARY (OP PRIMARY)*, the operators left to right */
static int parse_expr(parser *ps, node **out)
{
	int rc = 0;
	*out = NULL;
	if (++ps->depth > LANG_MAX_DEPTH) {
		rc = lang_fail(ps->lx.err, ps->cur.col, "the expression nests deeper than %d", LANG_MAX_DEPTH);
		goto done;
	}
	if (ps->cur.kind == T_WORD && strcmp(ps->cur.text, "let") == 0) {
		rc = parse_let(ps, out);
		goto done;
	}
	if ((rc = parse_primary(ps, out)))
		goto done;
	while (ps->cur.kind == T_UNION || ps->cur.kind == T_INTERSECT || ps->cur.kind == T_EXCEPT) {
		node *op = node_new(ps, N_SETOP, ps->cur.col);
		if (!op) {
			rc = LIN_ENOMEM;
			goto done;
		}
		op->op = ps->cur.kind;
		op->kid[0] = *out;
		op->nkids = 1;
		*out = op;
		if ((rc = advance(ps)) || (rc = parse_primary(ps, &op->kid[1])))
			goto done;
		op->nkids = 2;
	}
done:
	ps->depth--;
	return rc;
}

/* ---- sets ------------------------------------------------------------- */

/* Sorts and removes repeats: a vector of vertex ids becomes a set. */
static void set_normalise(igraph_vector_int_t *v)
{
	igraph_vector_int_sort(v);
	igraph_integer_t n = igraph_vector_int_size(v), k = 0;
	for (igraph_integer_t i = 0; i < n; i++)
		if (k == 0 || VECTOR(*v)[i] != VECTOR(*v)[k - 1])
			VECTOR(*v)[k++] = VECTOR(*v)[i];
	igraph_vector_int_resize(v, k); /* shrinking never fails */
}

/* The merge of two sorted sets into out. */
static igraph_error_t set_union(const igraph_vector_int_t *a, const igraph_vector_int_t *b,
                                igraph_vector_int_t *out)
{
	igraph_integer_t i = 0, j = 0, na = igraph_vector_int_size(a), nb = igraph_vector_int_size(b);
	igraph_vector_int_clear(out);
	IGRAPH_CHECK(igraph_vector_int_reserve(out, na + nb));
	while (i < na || j < nb) {
		igraph_integer_t x;
		if (j >= nb || (i < na && VECTOR(*a)[i] < VECTOR(*b)[j]))
			x = VECTOR(*a)[i++];
		else if (i >= na || VECTOR(*b)[j] < VECTOR(*a)[i])
			x = VECTOR(*b)[j++];
		else
			x = VECTOR(*a)[i++], j++;
		igraph_vector_int_push_back(out, x); /* reserved: cannot fail */
	}
	return IGRAPH_SUCCESS;
}

/* ---- evaluation -------------------------------------------------------- */

typedef struct binding {
	const char *name;
	const igraph_vector_int_t *set;
	const struct binding *up;
} binding;

typedef struct eval {
	const lin_catalog *cat;
	lin_view view;
	lin_error *err;
	int depth;
} eval;

static int eval_set(eval *ev, const node *n, const binding *env, igraph_vector_int_t *out);

typedef struct func func;
struct func {
	const char *name;
	int min, max;  /* arguments */
	const char *synopsis;
	int (*run)(eval *ev, const func *f, const node *call, const binding *env,
	           igraph_vector_int_t *out);
};

/* Argument i as a set; a missing optional set argument is every model. */
static int arg_set(eval *ev, const node *call, int i, const binding *env, igraph_vector_int_t *out)
{
	int rc = 0;
	if (i < call->nkids)
		return eval_set(ev, call->kid[i], env, out);
	igraph_integer_t n = lin_catalog_count(ev->cat);
	lin_error *err = ev->err;
	LIN_IG(igraph_vector_int_resize(out, n));
	for (igraph_integer_t v = 0; v < n; v++)
		VECTOR(*out)[v] = v;
done:
	return rc;
}

/* Argument i as a plain word (a relation, a stage, a field, a value). */
static int arg_word(eval *ev, const func *f, const node *call, int i, const char *what,
                    const char **out)
{
	const node *a = call->kid[i];
	if (a->kind != N_NAME)
		return lang_fail(ev->err, a->col, "%s() takes %s as argument %d", f->name, what, i + 1);
	*out = a->text;
	return 0;
}

static int arg_depth(eval *ev, const func *f, const node *call, int i, igraph_integer_t *out)
{
	const char *w = NULL;
	char *end = NULL;
	*out = -1;
	if (i >= call->nkids)
		return 0;
	if (arg_word(ev, f, call, i, "a depth", &w))
		return LIN_EPARSE;
	long d = strtol(w, &end, 10);
	if (!isdigit((unsigned char)*w) || *end || d < 0 || d > 1000000)
		return lang_fail(ev->err, call->kid[i]->col, "%s(): bad depth '%s' (expected a number "
		                 "from 0)", f->name, LIN_I_CLIP(w, 32));
	*out = d;
	return 0;
}

/* Everything reachable from the set, the set included: one igraph BFS
 * from all of it when unbounded; bounded, igraph_neighborhood of each
 * member (a BFS from several roots gives distances from the first root
 * that found a vertex, not from the nearest). */
static int reach_set(eval *ev, const igraph_vector_int_t *from, igraph_integer_t depth,
                     igraph_neimode_t mode, igraph_vector_int_t *out)
{
	int rc = 0;
	lin_error *err = ev->err;
	igraph_vector_int_t order = {0};
	igraph_vector_int_list_t nb = {0};
	igraph_vector_int_clear(out);
	if (igraph_vector_int_empty(from))
		return 0;
	if (depth < 0) {
		LIN_IG(igraph_vector_int_init(&order, 0));
		LIN_IG(igraph_bfs(ev->view.g, 0, from, mode, 0, NULL, &order, NULL, NULL, NULL, NULL,
		                  NULL, NULL, NULL));
		for (igraph_integer_t i = 0; i < igraph_vector_int_size(&order) && VECTOR(order)[i] >= 0; i++)
			LIN_IG(igraph_vector_int_push_back(out, VECTOR(order)[i]));
	} else {
		LIN_IG(igraph_vector_int_list_init(&nb, 0));
		LIN_IG(igraph_neighborhood(ev->view.g, &nb, igraph_vss_vector(from), depth, mode, 0));
		for (igraph_integer_t i = 0; i < igraph_vector_int_list_size(&nb); i++)
			LIN_IG(igraph_vector_int_append(out, igraph_vector_int_list_get_ptr(&nb, i)));
	}
	set_normalise(out);
done:
	lin_i_vec_free(&order);
	lin_i_vec_list_free(&nb);
	return rc;
}

static int fn_reach(eval *ev, const func *f, const node *call, const binding *env,
                    igraph_vector_int_t *out)
{
	int rc = 0;
	igraph_integer_t depth = -1;
	igraph_vector_int_t from = {0};
	lin_error *err = ev->err;
	LIN_IG(igraph_vector_int_init(&from, 0));
	if ((rc = eval_set(ev, call->kid[0], env, &from)) || (rc = arg_depth(ev, f, call, 1, &depth)))
		goto done;
	rc = reach_set(ev, &from, depth, f->name[0] == 'a' ? IGRAPH_IN : IGRAPH_OUT, out);
done:
	lin_i_vec_free(&from);
	return rc;
}

/* allpaths(A, B): every model on a derivation chain from A down to B. */
static int fn_allpaths(eval *ev, const func *f, const node *call, const binding *env,
                       igraph_vector_int_t *out)
{
	int rc = 0;
	lin_error *err = ev->err;
	igraph_vector_int_t a = {0}, b = {0}, down = {0}, up = {0};
	(void)f;
	LIN_IG(igraph_vector_int_init(&a, 0));
	LIN_IG(igraph_vector_int_init(&b, 0));
	LIN_IG(igraph_vector_int_init(&down, 0));
	LIN_IG(igraph_vector_int_init(&up, 0));
	if ((rc = eval_set(ev, call->kid[0], env, &a)) || (rc = eval_set(ev, call->kid[1], env, &b)) ||
	    (rc = reach_set(ev, &a, -1, IGRAPH_OUT, &down)) || (rc = reach_set(ev, &b, -1, IGRAPH_IN, &up)))
		goto done;
	LIN_IG(igraph_vector_int_intersect_sorted(&down, &up, out));
done:
	lin_i_vec_free(&a);
	lin_i_vec_free(&b);
	lin_i_vec_free(&down);
	lin_i_vec_free(&up);
	return rc;
}

/* somepath(A, B): the models of one shortest chain from a model of A down
 * to one of B: from the first member of A (by vertex) that has one, to
 * the nearest member of B (ties: the first), as igraph finds it. */
static int fn_somepath(eval *ev, const func *f, const node *call, const binding *env,
                       igraph_vector_int_t *out)
{
	int rc = 0;
	lin_error *err = ev->err;
	igraph_vector_int_t a = {0}, b = {0};
	igraph_vector_int_list_t paths = {0};
	(void)f;
	LIN_IG(igraph_vector_int_init(&a, 0));
	LIN_IG(igraph_vector_int_init(&b, 0));
	LIN_IG(igraph_vector_int_list_init(&paths, 0));
	if ((rc = eval_set(ev, call->kid[0], env, &a)) || (rc = eval_set(ev, call->kid[1], env, &b)))
		goto done;
	igraph_vector_int_clear(out);
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(&a) && igraph_vector_int_empty(out); i++) {
		if (igraph_vector_int_empty(&b))
			break;
		LIN_IG(igraph_get_shortest_paths(ev->view.g, &paths, NULL, VECTOR(a)[i],
		                                 igraph_vss_vector(&b), IGRAPH_OUT, NULL, NULL));
		const igraph_vector_int_t *best = NULL;
		for (igraph_integer_t k = 0; k < igraph_vector_int_list_size(&paths); k++) {
			const igraph_vector_int_t *p = igraph_vector_int_list_get_ptr(&paths, k);
			if (!igraph_vector_int_empty(p) &&
			    (!best || igraph_vector_int_size(p) < igraph_vector_int_size(best)))
				best = p;
		}
		if (best)
			LIN_IG(igraph_vector_int_update(out, best));
	}
	set_normalise(out);
done:
	lin_i_vec_free(&a);
	lin_i_vec_free(&b);
	lin_i_vec_list_free(&paths);
	return rc;
}

/* roots([S]) / leaves([S]): members of S with no parent / no child in the
 * view (the relations --relation follows). */
static int fn_ends(eval *ev, const func *f, const node *call, const binding *env,
                   igraph_vector_int_t *out)
{
	int rc = 0;
	lin_error *err = ev->err;
	igraph_vector_int_t s = {0}, deg = {0};
	LIN_IG(igraph_vector_int_init(&s, 0));
	LIN_IG(igraph_vector_int_init(&deg, 0));
	if ((rc = arg_set(ev, call, 0, env, &s)))
		goto done;
	LIN_IG(igraph_degree(ev->view.g, &deg, igraph_vss_vector(&s),
	                     f->name[0] == 'r' ? IGRAPH_IN : IGRAPH_OUT, IGRAPH_LOOPS));
	igraph_vector_int_clear(out);
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(&s); i++)
		if (VECTOR(deg)[i] == 0)
			LIN_IG(igraph_vector_int_push_back(out, VECTOR(s)[i]));
done:
	lin_i_vec_free(&s);
	lin_i_vec_free(&deg);
	return rc;
}

/* The filters: a test on one model, applied to a set argument. */
typedef struct filter {
	lin_relmask mask;   /* kind */
	lin_stage stage;    /* stage */
	const lin_field *field;
	const char *value;  /* attr */
	int cmp;            /* released: -2 <, -1 <=, 0 =, 1 >=, 2 > */
	int date[3];        /* year, month, day (0: not given) */
	igraph_vector_int_t scratch;
} filter;

static int keep_kind(const eval *ev, filter *fl, igraph_integer_t v)
{
	lin_error e;
	if (lin_catalog_parents(&fl->scratch, ev->cat, v, fl->mask, &e) != 0)
		return -1;
	return !igraph_vector_int_empty(&fl->scratch);
}

static int keep_stage(const eval *ev, filter *fl, igraph_integer_t v)
{
	return lin_catalog_model(ev->cat, v)->stage == fl->stage;
}

static int keep_attr(const eval *ev, filter *fl, igraph_integer_t v)
{
	const lin_model *m = lin_catalog_model(ev->cat, v);
	const lin_strlist *l = lin_field_list(m, fl->field);
	if (l) {
		for (size_t i = 0; i < l->n; i++)
			if (strcasecmp(l->items[i], fl->value) == 0)
				return 1;
		return 0;
	}
	const char *t = lin_field_text(m, fl->field);
	return t && strcasecmp(t, fl->value) == 0;
}

/* year, month, day of "YYYY[-MM[-DD]]", 0 for what is not given; -1 when
 * the text is not such a date. */
static int parse_date(const char *s, int d[3])
{
	int n = 0, used = 0;
	d[0] = d[1] = d[2] = 0;
	n = sscanf(s, "%4d%n-%2d%n-%2d%n", &d[0], &used, &d[1], &used, &d[2], &used);
	if (n < 1 || s[used] || d[0] < 1000 || d[1] < 0 || d[1] > 12 || d[2] < 0 || d[2] > 31)
		return -1;
	return 0;
}

/* A model's release compared at the precision both dates have: "2023" is
 * not before "2023-06" (it may well be in it), so >=2023-06 keeps it. */
static int keep_released(const eval *ev, filter *fl, igraph_integer_t v)
{
	const lin_model *m = lin_catalog_model(ev->cat, v);
	int md[3];
	if (!m->released || parse_date(m->released, md) != 0)
		return 0;
	int c = 0;
	for (int i = 0; i < 3 && !c && md[i] && fl->date[i]; i++)
		c = (md[i] > fl->date[i]) - (md[i] < fl->date[i]);
	switch (fl->cmp) {
	case -2: return c < 0;
	case -1: return c <= 0;
	case 0: return c == 0;
	case 1: return c >= 0;
	default: return c > 0;
	}
}

static int run_filter(eval *ev, const node *call, int set_arg, const binding *env,
                      int (*keep)(const eval *, filter *, igraph_integer_t), filter *fl,
                      igraph_vector_int_t *out)
{
	int rc = 0;
	lin_error *err = ev->err;
	igraph_vector_int_t s = {0};
	LIN_IG(igraph_vector_int_init(&s, 0));
	LIN_IG(igraph_vector_int_init(&fl->scratch, 0));
	if ((rc = arg_set(ev, call, set_arg, env, &s)))
		goto done;
	igraph_vector_int_clear(out);
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(&s); i++) {
		int k = keep(ev, fl, VECTOR(s)[i]);
		if (k < 0) {
			rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		if (k)
			LIN_IG(igraph_vector_int_push_back(out, VECTOR(s)[i]));
	}
done:
	lin_i_vec_free(&s);
	lin_i_vec_free(&fl->scratch);
	return rc;
}

static int fn_kind(eval *ev, const func *f, const node *call, const binding *env,
                   igraph_vector_int_t *out)
{
	filter fl = {0};
	const char *w = NULL;
	lin_error e;
	if (arg_word(ev, f, call, 0, "a relation kind", &w))
		return LIN_EPARSE;
	if (lin_relmask_parse(&fl.mask, w, &e) != 0)
		return lang_fail(ev->err, call->kid[0]->col, "kind(): %s", e.msg);
	return run_filter(ev, call, 1, env, keep_kind, &fl, out);
}

static int fn_stage(eval *ev, const func *f, const node *call, const binding *env,
                    igraph_vector_int_t *out)
{
	filter fl = {0};
	const char *w = NULL;
	if (arg_word(ev, f, call, 0, "a stage", &w))
		return LIN_EPARSE;
	int s = lin_stage_parse(w);
	if (s < 0)
		return lang_fail(ev->err, call->kid[0]->col, "stage(): unknown stage '%s'", LIN_I_CLIP(w, 64));
	fl.stage = (lin_stage)s;
	return run_filter(ev, call, 1, env, keep_stage, &fl, out);
}

static int fn_attr(eval *ev, const func *f, const node *call, const binding *env,
                   igraph_vector_int_t *out)
{
	filter fl = {0};
	const char *w = NULL;
	size_t n = 0;
	const lin_field *fields = lin_model_fields(&n);
	if (arg_word(ev, f, call, 0, "a field name", &w) ||
	    arg_word(ev, f, call, 1, "a value", &fl.value))
		return LIN_EPARSE;
	for (size_t i = 0; i < n && !fl.field; i++)
		if (strcmp(fields[i].key, w) == 0 && fields[i].kind != LIN_FIELD_PARENTS)
			fl.field = &fields[i];
	if (!fl.field)
		return lang_fail(ev->err, call->kid[0]->col, "attr(): unknown field '%s' (fields: org, "
		                 "license, weights, architecture, stage, languages, ...)", LIN_I_CLIP(w, 64));
	return run_filter(ev, call, 2, env, keep_attr, &fl, out);
}

static int fn_released(eval *ev, const func *f, const node *call, const binding *env,
                       igraph_vector_int_t *out)
{
	static const char *const ops[] = {"<", "<=", "=", ">=", ">"};
	filter fl = {0};
	const node *a = call->kid[0];
	(void)f;
	if (a->kind != N_CMP)
		return lang_fail(ev->err, a->col, "released() takes a comparison and a date first, "
		                 "e.g. released(>=2023-01, ...)");
	fl.cmp = 9;
	for (int i = 0; i < 5; i++)
		if (strcmp(a->text, ops[i]) == 0)
			fl.cmp = i - 2;
	if (fl.cmp == 9)
		return lang_fail(ev->err, a->col, "released(): unknown comparison '%s'", a->text);
	if (parse_date(a->kid[0]->text, fl.date) != 0)
		return lang_fail(ev->err, a->kid[0]->col, "released(): bad date '%s' (expected YYYY, "
		                 "YYYY-MM or YYYY-MM-DD)", LIN_I_CLIP(a->kid[0]->text, 32));
	return run_filter(ev, call, 1, env, keep_released, &fl, out);
}

static int fn_all(eval *ev, const func *f, const node *call, const binding *env,
                  igraph_vector_int_t *out)
{
	(void)f;
	return arg_set(ev, call, call->nkids, env, out);
}

/* The functions, in the order `--help` lists them. */
static const func funcs[] = {
	{.name = "ancestors", .min = 1, .max = 2, .synopsis = "ancestors(SET[, DEPTH])", .run = fn_reach},
	{.name = "descendants", .min = 1, .max = 2, .synopsis = "descendants(SET[, DEPTH])", .run = fn_reach},
	{.name = "allpaths", .min = 2, .max = 2, .synopsis = "allpaths(FROM, TO)", .run = fn_allpaths},
	{.name = "somepath", .min = 2, .max = 2, .synopsis = "somepath(FROM, TO)", .run = fn_somepath},
	{.name = "roots", .min = 0, .max = 1, .synopsis = "roots([SET])", .run = fn_ends},
	{.name = "leaves", .min = 0, .max = 1, .synopsis = "leaves([SET])", .run = fn_ends},
	{.name = "kind", .min = 1, .max = 2, .synopsis = "kind(RELATION[, SET])", .run = fn_kind},
	{.name = "stage", .min = 1, .max = 2, .synopsis = "stage(STAGE[, SET])", .run = fn_stage},
	{.name = "attr", .min = 2, .max = 3, .synopsis = "attr(FIELD, VALUE[, SET])", .run = fn_attr},
	{.name = "released", .min = 1, .max = 2, .synopsis = "released(OP DATE[, SET])", .run = fn_released},
	{.name = "all", .min = 0, .max = 0, .synopsis = "all()", .run = fn_all},
};
#define NFUNCS (sizeof(funcs) / sizeof(funcs[0]))

static int eval_call(eval *ev, const node *n, const binding *env, igraph_vector_int_t *out)
{
	const char *names[NFUNCS + 1];
	for (size_t i = 0; i < NFUNCS; i++) {
		names[i] = funcs[i].name;
		if (strcmp(funcs[i].name, n->text) != 0)
			continue;
		if (n->nkids < funcs[i].min || n->nkids > funcs[i].max)
			return lang_fail(ev->err, n->col, "%s() takes %d%s%d argument%s: %s", n->text,
			                 funcs[i].min, funcs[i].max > funcs[i].min ? " to " : "",
			                 funcs[i].max, funcs[i].max == 1 ? "" : "s", funcs[i].synopsis);
		return funcs[i].run(ev, &funcs[i], n, env, out);
	}
	names[NFUNCS] = NULL;
	const char *near = lin_nearest_word(names, n->text);
	return lang_fail(ev->err, n->col, "unknown function '%s'%s%s%s", LIN_I_CLIP(n->text, 64),
	                 near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

static int eval_name(eval *ev, const node *n, igraph_vector_int_t *out)
{
	int rc = 0;
	igraph_integer_t v = -1;
	lin_error e, *err = ev->err;
	if ((rc = lin_catalog_find(&v, ev->cat, n->text, &e)) != 0) {
		lin_i_fail(err, rc, LANG_FILE, 1, n->col, "%s", e.msg);
		return rc;
	}
	igraph_vector_int_clear(out);
	LIN_IG(igraph_vector_int_push_back(out, v));
done:
	return rc;
}

/* A chain a + b - c ... parses left-deep ((a + b) - c); it is evaluated
 * from its leftmost operand along the chain, not by recursion, so a long
 * flat chain costs no stack. */
static int eval_setop(eval *ev, const node *n, const binding *env, igraph_vector_int_t *out)
{
	int rc = 0;
	lin_error *err = ev->err;
	igraph_vector_int_t acc = {0}, rhs = {0};
	size_t len = 0;
	const node **chain = NULL;
	for (const node *k = n; k->kind == N_SETOP; k = k->kid[0])
		len++;
	if (!(chain = malloc(len * sizeof(*chain))))
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	size_t i = len;
	for (const node *k = n; k->kind == N_SETOP; k = k->kid[0])
		chain[--i] = k; /* chain[0] is the innermost, leftmost operation */
	LIN_IG(igraph_vector_int_init(&acc, 0));
	LIN_IG(igraph_vector_int_init(&rhs, 0));
	if ((rc = eval_set(ev, chain[0]->kid[0], env, &acc)))
		goto done;
	for (i = 0; i < len; i++) {
		if ((rc = eval_set(ev, chain[i]->kid[1], env, &rhs)))
			goto done;
		if (chain[i]->op == T_UNION)
			LIN_IG(set_union(&acc, &rhs, out));
		else if (chain[i]->op == T_INTERSECT)
			LIN_IG(igraph_vector_int_intersect_sorted(&acc, &rhs, out));
		else
			LIN_IG(igraph_vector_int_difference_sorted(&acc, &rhs, out));
		igraph_vector_int_swap(&acc, out);
	}
	igraph_vector_int_swap(&acc, out);
done:
	free(chain);
	lin_i_vec_free(&acc);
	lin_i_vec_free(&rhs);
	return rc;
}

static int eval_let(eval *ev, const node *n, const binding *env, igraph_vector_int_t *out)
{
	int rc = 0;
	lin_error *err = ev->err;
	igraph_vector_int_t val = {0};
	LIN_IG(igraph_vector_int_init(&val, 0));
	if ((rc = eval_set(ev, n->kid[0], env, &val)))
		goto done;
	binding b = {n->text, &val, env};
	rc = eval_set(ev, n->kid[1], &b, out);
done:
	lin_i_vec_free(&val);
	return rc;
}

static int eval_set(eval *ev, const node *n, const binding *env, igraph_vector_int_t *out)
{
	int rc = 0;
	lin_error *err = ev->err;
	if (++ev->depth > LANG_MAX_DEPTH * 2) { /* the parser bounds it; this is the backstop */
		rc = lang_fail(err, n->col, "the expression nests too deep");
		goto done;
	}
	switch (n->kind) {
	case N_NAME:
		rc = eval_name(ev, n, out);
		break;
	case N_VAR: {
		const binding *b = env;
		while (b && strcmp(b->name, n->text) != 0)
			b = b->up;
		if (!b)
			rc = lang_fail(err, n->col, "unknown variable '$%s' (bind it with let %s = ... in ...)",
			               LIN_I_CLIP(n->text, 64), LIN_I_CLIP(n->text, 64));
		else
			LIN_IG(igraph_vector_int_update(out, b->set));
		break;
	}
	case N_CALL:
		rc = eval_call(ev, n, env, out);
		break;
	case N_SETOP:
		rc = eval_setop(ev, n, env, out);
		break;
	case N_LET:
		rc = eval_let(ev, n, env, out);
		break;
	default:
		rc = lang_fail(err, n->col, "expected a set here");
	}
done:
	ev->depth--;
	return rc;
}

int lin_query_eval(igraph_vector_int_t *out, const lin_catalog *cat, const char *expr,
                   const lin_query_opts *o, lin_error *err)
{
	int rc = 0;
	parser ps = {.lx = {.s = expr, .p = expr, .err = err}};
	node *root = NULL;
	eval ev = {.cat = cat, .view = LIN_VIEW_INIT, .err = err};
	if (!out || !cat || !expr)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "lin_query_eval: NULL argument");
	igraph_vector_int_clear(out);
	if (strlen(expr) > LANG_MAX_TEXT)
		return lin_i_fail(err, LIN_ELIMIT, LANG_FILE, 1, 1, "the expression is longer than %d bytes",
		                  LANG_MAX_TEXT);
	if ((rc = lex(&ps.lx, &ps.cur)) || (rc = parse_expr(&ps, &root)))
		goto done;
	if (ps.cur.kind != T_END) {
		rc = found_fail(&ps, "an operator (union, intersect, except) or the end");
		goto done;
	}
	if ((rc = lin_i_view_open(&ev.view, cat, o ? o->relations : LIN_REL_ALL, err)))
		goto done;
	rc = eval_set(&ev, root, NULL, out);
done:
	if (rc)
		igraph_vector_int_clear(out);
	free(ps.cur.text);
	node_free(root);
	lin_i_view_close(&ev.view);
	return rc;
}

const char *lin_query_functions(size_t i)
{
	return i < NFUNCS ? funcs[i].synopsis : NULL;
}
