/*
 * finish.c - turns a loaded catalog into a graph: resolves parent names
 * (external bases become models of their own), builds the igraph graph
 * (edge parent -> child), reports cycles with the models on them, and adds
 * the auditor's warnings (licence drift, repeated edges, look-alike names).
 */
#include "core.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records a problem at a position; the first error is kept in *first. */
static void report(lin_diags *diags, lin_error *first, int *nerr, int is_warning,
                   int code, const lin_pos *pos, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
static void report(lin_diags *diags, lin_error *first, int *nerr, int is_warning,
                   int code, const lin_pos *pos, const char *fmt, ...)
{
	lin_error e;
	va_list ap;
	va_start(ap, fmt);
	lin_i_vfail(&e, code, pos->file, pos->line, pos->col, fmt, ap);
	va_end(ap);
	lin_i_diags_add(diags, &e, is_warning);
	if (!is_warning && (*nerr)++ == 0)
		*first = e;
}

/* Parent resolution: a million hash lookups, each a few cache misses, so
 * big catalogs share them out over threads (RESOLVE_THREADS ranges of
 * models). Misses are only marked there (vertex -1) and reported after, in
 * catalog order, so messages never depend on the threads. */
#define RESOLVE_THREADS 2
#define RESOLVE_PARALLEL_MIN 65536
/* Unknown parents whose message carries suggestions ("did you mean"); each
 * suggestion scans every name, so thousands of them would be quadratic. */
#define RESOLVE_DETAILED 20

typedef struct resolve_range {
	lin_catalog *cat;
	size_t from, to;
} resolve_range;

/* A reference that names no model (it may become an external one), and
 * one that fails otherwise (ambiguous); both are < 0, as unresolved. */
#define UNRESOLVED_NOT_FOUND (-1)
#define UNRESOLVED_OTHER (-2)

static void *resolve_some(void *arg)
{
	resolve_range *r = arg;
	for (size_t i = r->from; i < r->to; i++) {
		lin_model *m = &r->cat->models[i];
		for (size_t j = 0; j < m->nparents; j++) {
			lin_error e;
			if (lin_i_index_find(&m->parents[j].vertex, r->cat, m->parents[j].ref, 0, &e) != 0)
				m->parents[j].vertex = e.code == LIN_ENOTFOUND ? UNRESOLVED_NOT_FOUND
				                                              : UNRESOLVED_OTHER;
		}
	}
	return NULL;
}

static void resolve_all(lin_catalog *cat)
{
	resolve_range r[RESOLVE_THREADS];
	size_t k = cat->n >= RESOLVE_PARALLEL_MIN ? RESOLVE_THREADS : 1;
	for (size_t i = 0; i < k; i++)
		r[i] = (resolve_range){cat, cat->n * i / k, cat->n * (i + 1) / k};
	lin_i_run_parallel(resolve_some, r, sizeof(r[0]), k);
}

/* A resolved reference that does not read as what it is: "LLa\u200bMA"
 * naming a planted model of that spelling while it reads as "LLaMA", the
 * name of another, is an error (it would resolve silently to a different
 * model than a reviewer sees); one that reads as the model it names but
 * holds invisible or compatibility characters is a warning. */
static void check_reference(lin_catalog *cat, const lin_model *m, const lin_parent *p,
                            lin_diags *diags, lin_error *first, int *nerr)
{
	lin_buf skel = LIN_BUF_INIT;
	char *sk = NULL, why[96], a[80], b[80];
	unsigned long cp;
	lin_fold kind;
	if (lin_i_name_reads(&skel, &sk, p->ref, &cp, &kind) != 0 || kind == LIN_FOLD_KEEP)
		goto done;
	igraph_integer_t w = *sk ? lin_i_index_lookup(cat, sk) : -1;
	const lin_model *pm = &cat->models[p->vertex];
	lin_i_fold_describe(why, sizeof(why), cp, kind);
	if (w >= 0 && w != p->vertex)
		report(diags, first, nerr, 0, LIN_EAMBIGUOUS, &p->pos,
		       "ambiguous parent of '%.64s': '%s' names '%.64s' but reads as '%s', "
		       "which names '%.64s' (it holds %s); write the parent's id",
		       m->id, lin_i_clip(a, sizeof(a), p->ref), pm->id,
		       lin_i_clip(b, sizeof(b), skel.data ? skel.data : ""), cat->models[w].id, why);
	else if (kind >= LIN_FOLD_COMPAT)
		report(diags, first, nerr, 1, LIN_ESCHEMA, &p->pos,
		       "parent '%s' of '%.64s' holds %s; it names '%.64s'",
		       lin_i_clip(a, sizeof(a), p->ref), m->id, why, pm->id);
done:
	free(sk);
	lin_buf_dispose(&skel);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The name keys of the entries the load skipped, sorted (*keys NULL when
 * none). */
static int skipped_keys(char ***keys, size_t *n, const lin_catalog *cat)
{
	*keys = NULL;
	*n = 0;
	if (!cat->nskipped)
		return 0;
	char **k = malloc(cat->nskipped * sizeof(*k));
	if (!k)
		return LIN_ENOMEM;
	for (size_t i = 0; i < cat->nskipped; i++)
		if (!(k[*n] = lin_name_key(cat->skipped[i])) || !*k[*n])
			free(k[*n]); /* NULL (no memory): the name is only not known */
		else
			(*n)++;
	qsort(k, *n, sizeof(*k), cmp_str);
	*keys = k;
	return 0;
}

static int names_skipped(char *const *keys, size_t n, const char *ref)
{
	char *k = n ? lin_name_key(ref) : NULL;
	int hit = k && bsearch(&k, keys, n, sizeof(*keys), cmp_str) != NULL;
	free(k);
	return hit;
}

/* Reports the parent references resolve_all left unresolved: the ones that
 * name no model, or several, or read as another model than they name. A
 * reference to an entry the load skipped (its errors are reported) is left
 * unresolved without a word: "unknown parent" would be a second, wrong
 * account of the same mistake. Unresolved references keep vertex -1. */
static int resolve_parents(lin_catalog *cat, lin_diags *diags, lin_error *first, int *nerr)
{
	size_t failures = 0, nskip = 0;
	char **skip = NULL;
	if (skipped_keys(&skip, &nskip, cat) != 0)
		return LIN_ENOMEM;
	for (size_t i = 0; i < cat->n; i++) {
		lin_model *m = &cat->models[i];
		for (size_t j = 0; j < m->nparents; j++) {
			lin_parent *p = &m->parents[j];
			lin_error e;
			if (p->vertex < 0 && names_skipped(skip, nskip, p->ref))
				continue;
			if (p->vertex >= 0 ||
			    lin_i_index_find(&p->vertex, cat, p->ref, failures++ < RESOLVE_DETAILED, &e) == 0) {
				check_reference(cat, m, p, diags, first, nerr);
				continue;
			}
			report(diags, first, nerr, 0, e.code == LIN_EAMBIGUOUS ? LIN_EAMBIGUOUS : LIN_EREF,
			       &p->pos, "%s parent of '%.64s': %s",
			       e.code == LIN_EAMBIGUOUS ? "ambiguous" : "unknown", m->id, e.msg);
		}
	}
	for (size_t i = 0; i < nskip; i++)
		free(skip[i]);
	free(skip);
	return 0;
}

/* Drops the parent references that resolved to no model, so the graph
 * phases (cycles, the audit) can still run on the rest of a catalog that
 * has errors; such a catalog is never returned as finished. */
static void drop_unresolved(lin_catalog *cat)
{
	for (size_t i = 0; i < cat->n; i++) {
		lin_model *m = &cat->models[i];
		size_t k = 0;
		for (size_t j = 0; j < m->nparents; j++)
			if (m->parents[j].vertex >= 0)
				m->parents[k++] = m->parents[j];
		m->nparents = k;
	}
}

/* Builds the graph and the edges' relations. Edges are numbered child by
 * child and, within a child, in its parents' order: lin_catalog_edge_parent
 * and cache images rely on it. */
static int build_graph(lin_catalog *cat, lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t edges;
	size_t m = 0;
	for (size_t i = 0; i < cat->n; i++)
		m += cat->models[i].nparents;
	LIN_IG(igraph_vector_int_init(&edges, (igraph_integer_t)(2 * m)));
	rc = -1;
	if (igraph_vector_int_init(&cat->edge_rel, (igraph_integer_t)m))
		goto vecs;
	size_t e = 0;
	for (size_t i = 0; i < cat->n; i++)
		for (size_t j = 0; j < cat->models[i].nparents; j++, e++) {
			const lin_parent *p = &cat->models[i].parents[j];
			VECTOR(edges)[2 * e] = p->vertex;
			VECTOR(edges)[2 * e + 1] = (igraph_integer_t)i;
			VECTOR(cat->edge_rel)[e] = p->relation;
		}
	if (igraph_create(&cat->graph, &edges, (igraph_integer_t)cat->n, IGRAPH_DIRECTED))
		goto vecs;
	cat->has_graph = 1;
	rc = 0;
vecs:
	if (rc) {
		/* igraph_vector_int_destroy accepts a zeroed vector */
		igraph_vector_int_destroy(&cat->edge_rel);
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory building the graph");
	}
	igraph_vector_int_destroy(&edges);
done:
	return rc;
}

/* A topological order of the graph (parents before children), *dag 0
 * when it has a cycle (order is then left empty). The common catalog lists
 * each base before its derivatives: the vertex order itself, proved in
 * one pass over the edges, where igraph_is_dag and then
 * igraph_topological_sorting each cost half a second at a million models.
 * Otherwise igraph sorts. */
static int dag_order(igraph_vector_int_t *order, igraph_bool_t *dag, const lin_catalog *cat,
                     lin_error *err)
{
	int rc = 0;
	*dag = 1;
	if (lin_i_graph_parents_first(&cat->graph)) {
		LIN_IG(igraph_vector_int_range(order, 0, igraph_vcount(&cat->graph)));
		goto done;
	}
	LIN_IG(igraph_is_dag(&cat->graph, dag));
	if (*dag)
		LIN_IG(igraph_topological_sorting(&cat->graph, order, IGRAPH_OUT));
done:
	return rc;
}

/* Writes "a → b → ... → a" for the cycle through edge e (u -> v): v reaches
 * u by a shortest path inside their strongly connected component. */
static int describe_cycle(lin_catalog *cat, igraph_integer_t e, char *buf, size_t n,
                          lin_error *err)
{
	int rc = 0;
	igraph_integer_t u = IGRAPH_FROM(&cat->graph, e), v = IGRAPH_TO(&cat->graph, e);
	igraph_vector_int_t path;
	LIN_IG(igraph_vector_int_init(&path, 0));
	rc = igraph_get_shortest_path(&cat->graph, &path, NULL, v, u, IGRAPH_OUT)
	         ? lin_i_igraph_fail(err, IGRAPH_FAILURE, "shortest path")
	         : 0;
	size_t used = (size_t)snprintf(buf, n, "%.60s", cat->models[u].id);
	for (igraph_integer_t i = 0; !rc && i < igraph_vector_int_size(&path) && used < n; i++) {
		const char *id = cat->models[VECTOR(path)[i]].id;
		if (used + strlen(id) + 16 >= n) {
			snprintf(buf + used, n - used, " → ...");
			break;
		}
		used += (size_t)snprintf(buf + used, n - used, " → %s", id);
	}
	igraph_vector_int_destroy(&path);
done:
	return rc;
}

/* Reports one cycle per strongly connected component that has one. */
static int report_cycles(lin_catalog *cat, lin_diags *diags, lin_error *first, int *nerr,
                         lin_error *err)
{
	int rc = 0;
	igraph_vector_int_t memb, csize;
	igraph_integer_t nc = 0;
	char cyc[700];
	LIN_IG(igraph_vector_int_init(&memb, 0));
	LIN_IG(igraph_vector_int_init(&csize, 0));
	LIN_IG(igraph_connected_components(&cat->graph, &memb, &csize, &nc, IGRAPH_STRONG));
	char *seen = calloc((size_t)nc + 1, 1);
	if (!seen) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (igraph_integer_t e = 0; e < igraph_ecount(&cat->graph); e++) {
		igraph_integer_t u = IGRAPH_FROM(&cat->graph, e), v = IGRAPH_TO(&cat->graph, e);
		igraph_integer_t c = VECTOR(memb)[u];
		if (c != VECTOR(memb)[v] || seen[c])
			continue;
		seen[c] = 1;
		if ((rc = describe_cycle(cat, e, cyc, sizeof(cyc), err)))
			break;
		report(diags, first, nerr, 0, LIN_ECYCLE, &lin_catalog_edge_parent(cat, e)->pos,
		       "cycle: %s", cyc);
	}
	free(seen);
done:
	igraph_vector_int_destroy(&memb);
	igraph_vector_int_destroy(&csize);
	return rc;
}

static void audit_edges(lin_catalog *cat, lin_diags *diags, lin_error *first, int *nerr)
{
	for (size_t i = 0; i < cat->n; i++) {
		const lin_model *m = &cat->models[i];
		for (size_t j = 0; j < m->nparents; j++) {
			const lin_parent *p = &m->parents[j];
			const lin_model *pm = &cat->models[p->vertex];
			for (size_t k = 0; k < j; k++)
				if (m->parents[k].vertex == p->vertex && m->parents[k].relation == p->relation)
					report(diags, first, nerr, 1, LIN_EDUP, &p->pos,
					       "'%.64s' lists parent '%.64s' (%s) twice", m->id, pm->id,
					       lin_relation_name(p->relation));
		}
	}
}

/* Licence drift down the whole lineage: a model whose licence promises
 * commercial use (lin_license_promises) below an ancestor whose licence
 * restricts it, through relations that carry the weights. The direct
 * case keeps its short message; a deeper one spells out the chain. */
static int audit_drift(lin_catalog *cat, lin_diags *diags, const igraph_vector_int_t *dag_order,
                       lin_error *err)
{
	int rc = 0;
	lin_license_trace t = {0};
	lin_buf chain = LIN_BUF_INIT;
	igraph_vector_int_t order;
	if (igraph_vector_int_init(&order, 0) != IGRAPH_SUCCESS)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	/* a catalog with cycles: the order of the models on none */
	if (!dag_order && (rc = lin_i_graph_topo_order(&order, &cat->graph, NULL, err)))
		goto done;
	if ((rc = lin_i_license_trace(&t, cat, dag_order ? dag_order : &order, LIN_REL_WEIGHTS, err)))
		goto done;
	for (igraph_integer_t v = 0; v < t.n; v++) {
		const lin_model *m = &cat->models[v];
		if (!lin_i_license_drift(&t, cat, v) || lin_i_diags_skip(diags, 1))
			continue;
		const lin_parent *p = &m->parents[t.via[v]];
		lin_error e;
		chain.len = 0;
		lin_i_license_drift_text(&chain, cat, &t, v);
		lin_i_fail(&e, LIN_EDRIFT, p->pos.file, p->pos.line, p->pos.col, "%s",
		           chain.data ? chain.data : "licence drift");
		lin_i_diags_add(diags, &e, 1);
	}
done:
	lin_buf_dispose(&chain);
	lin_i_license_trace_dispose(&t);
	igraph_vector_int_destroy(&order);
	return rc;
}

/* A valid catalog id for a name known only from a reference (a Hugging
 * Face id such as "mistralai/Mistral-7B-v0.1"): lowercase, characters
 * outside [a-z0-9._/-] as '-', an 'x' first if it would not start with a
 * letter or digit. The reference itself stays the model's name, so it
 * still resolves. */
static char *external_id(lin_arena *a, const char *ref)
{
	size_t n = strlen(ref);
	char *id = lin_i_arena_alloc(a, n + 2), *q = id;
	if (!id)
		return NULL;
	if (!isalnum((unsigned char)ref[0]) || (unsigned char)ref[0] >= 0x80)
		*q++ = 'x';
	for (; *ref; ref++) {
		unsigned char ch = (unsigned char)*ref;
		*q++ = ch < 0x80 && (isalnum(ch) || strchr("._/-", ch)) ? (char)tolower(ch) : '-';
	}
	*q = '\0';
	return id;
}

/* An unresolved reference that may become an external model. */
typedef struct ext_ref {
	char *key;      /* its name key */
	lin_parent *p;
	size_t order;   /* first appearance */
	int first;      /* the first of its key: the one that becomes a model */
} ext_ref;

static int cmp_ext(const void *a, const void *b)
{
	const ext_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int cmp_ext_order(const void *a, const void *b)
{
	const ext_ref *x = a, *y = b;
	return (x->order > y->order) - (x->order < y->order);
}

/* Appends the external model for reference r. */
static int add_external(lin_catalog *cat, const lin_parent *p)
{
	lin_model m;
	memset(&m, 0, sizeof(m));
	m.name = p->ref;
	if (!(m.id = external_id(&cat->arena, p->ref)))
		return LIN_ENOMEM;
	m.stage = LIN_STAGE_UNKNOWN;
	m.arch = LIN_ARCH_UNKNOWN;
	m.weights = LIN_WEIGHTS_UNKNOWN;
	m.sources = p->sources;
	m.pos = p->pos;
	m.external = 1;
	return lin_i_catalog_append(cat, &m);
}

/* Adds an external model for every parent reference that allows one and
 * names no model: a Hugging Face card's base_model outside the imported
 * cards is a node of its own, not an error. References spelled alike (as
 * the name index sees them) share one model, made in order of first
 * appearance; a sort finds them, so a million-card import stays fast. */
static int add_externals(lin_catalog *cat, size_t *added, lin_error *err)
{
	int rc = 0;
	size_t n = 0, cap = 0;
	ext_ref *refs = NULL;
	*added = 0;
	for (size_t i = 0; i < cat->n && !rc; i++)
		for (size_t j = 0; j < cat->models[i].nparents && !rc; j++) {
			lin_parent *p = &cat->models[i].parents[j];
			/* resolve_all has looked every reference up already */
			if (!p->allow_external || p->vertex != UNRESOLVED_NOT_FOUND)
				continue;
			if ((rc = lin_i_grow(&refs, &cap, n + 1, sizeof(*refs))))
				break;
			refs[n] = (ext_ref){lin_name_key(p->ref), p, n, 0};
			if (!refs[n++].key)
				rc = LIN_ENOMEM;
		}
	if (!rc && n) {
		qsort(refs, n, sizeof(*refs), cmp_ext);
		for (size_t i = 0; i < n; i++)
			refs[i].first = i == 0 || strcmp(refs[i].key, refs[i - 1].key) != 0;
		qsort(refs, n, sizeof(*refs), cmp_ext_order);
		for (size_t i = 0; i < n && !rc; i++)
			if (refs[i].first) {
				rc = add_external(cat, refs[i].p);
				*added += !rc;
			}
	}
	for (size_t i = 0; i < n; i++)
		free(refs[i].key);
	free(refs);
	return rc ? lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory") : 0;
}

/* A Hub id (ORG/NAME) that a model lists as an alias, and that model. */
typedef struct hub_alias {
	char *key;
	size_t model;
} hub_alias;

static int cmp_hub_alias(const void *a, const void *b)
{
	return strcmp(((const hub_alias *)a)->key, ((const hub_alias *)b)->key);
}

/* 1 when m reads as an imported card: not external, no aliases, its id the
 * lowercased Hub id ORG/NAME that is also its name. */
static int is_card_model(const lin_model *m)
{
	if (m->external || m->aliases.n || !m->id || !m->name || !strchr(m->id, '/') ||
	    strlen(m->id) != strlen(m->name))
		return 0;
	for (const char *a = m->id, *b = m->name; *a; a++, b++)
		if (*a != (char)tolower((unsigned char)*b))
			return 0;
	return 1;
}

/* The join of model cards with the curated catalog: a curated model that
 * lists a Hub id among its aliases ("mistralai/Mistral-7B-v0.1") is that
 * repository, so a card imported for the same repository is not a second
 * node; the curated entry stands for it and the card's model is dropped
 * (bases naming the Hub id then resolve to the curated model through the
 * alias). Only aliases with a '/' are looked at, so this stays a sort of a
 * few keys and a look-up per model however many cards there are. */
static int fold_hub_cards(lin_catalog *cat, lin_error *err)
{
	size_t n = 0, cap = 0, kept = 0;
	hub_alias *hub = NULL;
	int rc = 0;
	for (size_t i = 0; i < cat->n && !rc; i++)
		for (size_t j = 0; j < cat->models[i].aliases.n && !rc; j++) {
			const char *a = cat->models[i].aliases.items[j];
			if (!a || !strchr(a, '/'))
				continue;
			if ((rc = lin_i_grow(&hub, &cap, n + 1, sizeof(*hub))))
				break;
			if (!(hub[n].key = lin_name_key(a)))
				rc = LIN_ENOMEM;
			else
				hub[n++].model = i;
		}
	if (!rc && n) {
		qsort(hub, n, sizeof(*hub), cmp_hub_alias);
		for (size_t i = 0; i < cat->n && !rc; i++) {
			lin_model *m = &cat->models[i];
			int drop = 0;
			if (is_card_model(m)) {
				hub_alias q = {lin_name_key(m->id), 0}, *hit;
				if (!q.key) {
					rc = LIN_ENOMEM;
					break;
				}
				hit = bsearch(&q, hub, n, sizeof(*hub), cmp_hub_alias);
				drop = hit && hit->model != i;
				free(q.key);
			}
			if (!drop)
				cat->models[kept++] = *m;
		}
		if (!rc)
			cat->n = kept;
	}
	for (size_t i = 0; i < n; i++)
		free(hub[i].key);
	free(hub);
	return rc ? lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory") : 0;
}

/* Every phase runs as far as it means something, so that one call reports
 * every independent problem: duplicate names leave the index usable (a name
 * finds the first model having it), unresolved parents are dropped before
 * the graph is built, and the audit runs on what is left. Only running out
 * of memory, or an index that cannot be built, stops early. */
int lin_catalog_finish(lin_catalog *cat, lin_diags *diags, lin_error *err)
{
	int rc = 0, nerr = 0;
	lin_error first;
	igraph_bool_t dag = 1;
	igraph_vector_int_t order = {0};
	lin_error_clear(&first);
	if (cat->finished)
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "the catalog is already finished");
	if ((rc = fold_hub_cards(cat, &first)))
		goto done;
	rc = lin_i_index_build(cat, diags, &first);
	if (rc && rc != LIN_EDUP)
		goto done;
	nerr = rc ? 1 : 0; /* the clashes were reported, the first is in first */
	size_t added = 0;
	/* one look-up per reference, on both cores; the misses allowed to be
	 * external models become models, and only then is it done again */
	resolve_all(cat);
	if ((rc = add_externals(cat, &added, &first)) == 0 && added) {
		lin_error e;
		rc = lin_i_index_build(cat, NULL, &e); /* clashes were reported */
		if (rc && nerr++ == 0)
			first = e;
		if (rc == LIN_EDUP)
			rc = 0;
		if (!rc)
			resolve_all(cat);
	}
	cat->finished = 1; /* no more models from here on */
	if (rc)
		goto done;
	if (resolve_parents(cat, diags, &first, &nerr) != 0) {
		rc = lin_i_fail(&first, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if (nerr)
		drop_unresolved(cat);
	if ((rc = build_graph(cat, &first)))
		goto done;
	if (igraph_vector_int_init(&order, 0) != IGRAPH_SUCCESS) {
		rc = lin_i_fail(&first, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = dag_order(&order, &dag, cat, &first)))
		goto done;
	if (!dag && (rc = report_cycles(cat, diags, &first, &nerr, &first)))
		goto done;
	audit_edges(cat, diags, &first, &nerr);
	/* drift is only a warning: nobody asking for no diagnostics pays for it */
	if (diags && !diags->errors_only && (rc = audit_drift(cat, diags, dag ? &order : NULL, &first)))
		goto done;
	if (lin_i_index_audit(cat, diags) != 0)
		rc = lin_i_fail(&first, LIN_ENOMEM, NULL, 0, 0, "out of memory");
done:
	if (order.stor_begin)
		igraph_vector_int_destroy(&order);
	if (!rc && nerr)
		rc = first.code ? first.code : LIN_ESCHEMA;
	if (rc && err)
		*err = first;
	if (rc && err && !first.msg[0])
		lin_i_fail(err, rc, NULL, 0, 0, "catalog could not be finished");
	return rc;
}
