/*
 * docs.c - writes the documentation set: the evolution tree (the catalog on
 * a time axis), one diagram per model family (SVG, its DOT source and a
 * Mermaid version), one of the whole catalog, a README.md embedding them
 * for GitHub, and index.html, one self-contained page with search. Output
 * is deterministic and written atomically, so it can be committed and
 * checked for freshness. The tool owns only what it wrote: a manifest in
 * each folder (.lineage-manifest) lists those files, and only files listed
 * there are ever removed.
 */
#include "draw.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Longest file-name slug taken from a model id. */
#define SLUG_MAX 60
/* The evolution tree and the whole-catalog diagram show every model up to
 * this many; families collapse at the default budget. */
#define DOCS_CATALOG_MAX_NODES 400

/* In each output folder, the list of the files docs wrote there. */
#define MANIFEST ".lineage-manifest"
#define MANIFEST_MAX ((size_t)1 << 22)
/* A temporary file older than this is a dead run's, not a live one's. */
#define STALE_TMP_SECONDS (5 * 60)

/* A diagram kept for index.html. */
typedef struct fig {
	char *anchor, *heading, *caption;
	lin_buf svg;
} fig;

/* What one docs run shares between its steps. */
typedef struct docs {
	const lin_catalog *cat;
	const char *out_dir, *graph_dir;
	lin_buf md;     /* README.md being built */
	char **slugs;   /* file stems already used */
	size_t nslugs;
	fig *figs;      /* diagrams for the page, in README order */
	size_t nfigs;
	const char *dirs[2]; /* the folders written: out, graph (one if the same) */
	size_t ndirs, graph_at;
	char **wrote;   /* "<folder index><name>" of each file written */
	size_t nwrote;
	lin_diags *diags; /* the caller's, for Graphviz's messages; may be NULL */
} docs;

/* mkdir -p: creates path and its missing parents. */
static int make_dirs(const char *path, lin_error *err)
{
	int rc = 0;
	struct stat st;
	char *p = strdup(path);

	if (!p)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			break;
		*s = '/';
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "cannot create directory: %s",
		              strerror(errno));
	else if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		rc = lin_i_fail(err, LIN_EIO, path, 0, 0, "not a directory");
	free(p);
	return rc;
}

/* Appends s as inline Markdown text: punctuation that could start markup
 * is backslash-escaped, hidden characters become spaces (a bidi override
 * in a name must not reach out/README.md), and a leading "1." or "-"
 * cannot turn the line into a list. */
static void put_md(lin_buf *b, const char *s)
{
	lin_escape(b, s, LIN_ESC_MARKDOWN, 0);
}

static const char *model_name(const lin_model *m)
{
	return m->name ? m->name : m->id;
}

/* A file stem from the model id ("family-llama-2"): [a-z0-9-] only, unique
 * within this run by construction: a stem already taken ("a/b" after
 * "a-b") gets "_<vertex>", and '_' is never produced by the slug itself,
 * so a suffixed stem cannot equal another stem, suffixed or not. The slug
 * is kept in d. */
static int make_slug(const char **out, docs *d, igraph_integer_t v, lin_error *err)
{
	const char *id = lin_catalog_model(d->cat, v)->id;
	lin_buf b = LIN_BUF_INIT;
	char **grown = NULL;

	lin_buf_puts(&b, "family-");
	for (const char *p = id ? id : ""; *p && b.len < SLUG_MAX; p++) {
		char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '-';
		if (c != '-' || (b.data[b.len - 1] != '-'))
			lin_buf_append(&b, &c, 1);
	}
	while (b.data && b.len > 7 && b.data[b.len - 1] == '-')
		b.data[--b.len] = '\0';
	for (size_t i = 0; b.data && i < d->nslugs; i++)
		if (strcmp(d->slugs[i], b.data) == 0) {
			lin_buf_printf(&b, "_%" IGRAPH_PRId, v);
			break;
		}
	grown = realloc(d->slugs, (d->nslugs + 1) * sizeof(*grown));
	if (b.oom || !grown) {
		if (grown)
			d->slugs = grown;
		lin_buf_dispose(&b);
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	}
	d->slugs = grown;
	d->slugs[d->nslugs++] = b.data;
	*out = b.data;
	return 0;
}

/* Writes d->dirs[at]/name (replacing whatever is there, never writing
 * through it) and records it for the manifest. */
static int put_file(docs *d, size_t at, const char *name, const lin_buf *data, lin_error *err)
{
	int rc = 0;
	lin_buf path = LIN_BUF_INIT, entry = LIN_BUF_INIT;
	char **grown = realloc(d->wrote, (d->nwrote + 1) * sizeof(*grown));
	if (grown)
		d->wrote = grown;
	lin_buf_printf(&path, "%s/%s", d->dirs[at], name);
	lin_buf_printf(&entry, "%zu%s", at, name);
	if (!grown || path.oom || entry.oom) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = lin_i_write_replace(path.data, data->data ? data->data : "", data->len, err)))
		goto done;
	d->wrote[d->nwrote++] = entry.data;
	memset(&entry, 0, sizeof(entry));
done:
	lin_buf_dispose(&path);
	lin_buf_dispose(&entry);
	return rc;
}

/* Passes what the drawing of dirs[at]/name said on to the caller's
 * diagnostics, each naming that file: a reader of `docs`'s warnings learns
 * which of the forty diagrams to look at. */
static void pass_notes(docs *d, size_t at, const char *name, const lin_diags *said)
{
	for (size_t i = 0; d->diags && i < said->n; i++) {
		lin_error e = said->items[i];
		snprintf(e.file, sizeof(e.file), "%s/%s", d->dirs[at], name);
		e.line = e.col = 0;
		lin_i_diags_add(d->diags, &e, said->is_warning[i]);
	}
}

/* Renders one diagram and writes dir/stem.ext atomically; the bytes stay in
 * data (the caller disposes of it). */
static int write_one(docs *d, const lin_draw_opts *o, size_t at,
                     const char *stem, lin_format fmt, lin_buf *data, lin_error *err)
{
	int rc = 0;
	lin_buf name = LIN_BUF_INIT;
	static const char *const ext[] = {"svg", "dot", "png", "mmd", "pdf"};
	lin_draw_opts with = *o;
	lin_diags said;

	lin_diags_init(&said);
	with.diags = &said;
	if ((rc = lin_render(data, d->cat, &with, fmt, err)))
		goto done;
	lin_buf_printf(&name, "%s.%s", stem, ext[fmt]);
	if (name.oom) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	pass_notes(d, at, name.data, &said);
	rc = put_file(d, at, name.data, data, err);
done:
	lin_buf_dispose(&name);
	lin_diags_dispose(&said);
	return rc;
}

static char *dup_or_null(const char *s, int *oom)
{
	char *c = strdup(s ? s : "");
	if (!c)
		*oom = 1;
	return c;
}

/* Keeps svg (taken over) for the page under anchor stem. */
static int keep_fig(docs *d, const char *stem, const char *heading, const char *caption,
                    lin_buf *svg, lin_error *err)
{
	int oom = 0;
	fig *grown = realloc(d->figs, (d->nfigs + 1) * sizeof(*grown));
	if (!grown)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	d->figs = grown;
	fig *f = &d->figs[d->nfigs++];
	f->anchor = dup_or_null(stem, &oom);
	f->heading = dup_or_null(heading, &oom);
	f->caption = dup_or_null(caption, &oom);
	f->svg = *svg;
	memset(svg, 0, sizeof(*svg));
	return oom ? lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory") : 0;
}

/* Appends a Mermaid block (folded, so the page stays short) to the README. */
static void put_mermaid_block(lin_buf *md, const lin_buf *mmd)
{
	lin_buf_puts(md, "<details><summary>Mermaid version</summary>\n\n");
	if (mmd->data && strstr(mmd->data, "collapsed to fit Mermaid"))
		lin_buf_puts(md, "Collapsed further than the SVG to stay within Mermaid's limits "
		                 "(500 edges, 50,000 characters).\n\n");
	lin_buf_puts(md, "```mermaid\n");
	lin_buf_append(md, mmd->data ? mmd->data : "", mmd->len);
	lin_buf_puts(md, "```\n\n</details>\n\n");
}

/* One README section: heading, caption, the image and, for families, the
 * Mermaid version; or a note when the diagram is too big to draw. */
static int write_section(docs *d, const lin_draw_opts *o, const char *stem,
                         const char *heading, const char *caption, int mermaid,
                         lin_error *err)
{
	lin_buf svg = LIN_BUF_INIT, dot = LIN_BUF_INIT, mmd = LIN_BUF_INIT;
	int rc = write_one(d, o, 0, stem, LIN_FORMAT_SVG, &svg, err);
	int too_big = rc == LIN_ELIMIT;

	if (!rc)
		rc = write_one(d, o, d->graph_at, stem, LIN_FORMAT_DOT, &dot, err);
	if (!rc && mermaid)
		rc = write_one(d, o, d->graph_at, stem, LIN_FORMAT_MERMAID, &mmd, err);
	if (rc && !too_big)
		goto done;
	lin_buf_puts(&d->md, "## ");
	put_md(&d->md, heading);
	lin_buf_puts(&d->md, "\n\n");
	put_md(&d->md, caption);
	lin_buf_puts(&d->md, "\n\n");
	if (too_big) {
		lin_buf_puts(&d->md, "(too large to draw in one diagram)\n\n");
		lin_error_clear(err);
		rc = 0;
		goto done;
	}
	lin_buf_puts(&d->md, "![");
	put_md(&d->md, caption);
	lin_buf_printf(&d->md, "](%s.svg)\n\n", stem);
	if (mermaid)
		put_mermaid_block(&d->md, &mmd);
	rc = keep_fig(d, stem, heading, caption, &svg, err);
done:
	lin_buf_dispose(&svg);
	lin_buf_dispose(&dot);
	lin_buf_dispose(&mmd);
	return rc;
}

/* "LLaMA and its 43 descendants (+6 following its recipe)": descendants
 * counted through the relations that carry weights (LIN_REL_WEIGHTS), the
 * others (a recipe followed, outputs distilled) said apart; and, for the
 * caption, the count by relation, biggest first. */
static void family_caption(lin_buf *title, lin_buf *caption, const lin_model *m,
                           const lin_root *r, igraph_integer_t heirs)
{
	int used[LIN_REL_COUNT] = {0};
	igraph_integer_t others = r->total - heirs;
	int recipe = r->by_relation[LIN_REL_RECIPE] > 0, distill = r->by_relation[LIN_REL_DISTILL] > 0;
	const char *how = recipe && distill ? "following its recipe or distilled from it"
	                  : distill         ? "distilled from it"
	                                    : "following its recipe";
	if (heirs == 0) /* "GPT-4: 5 models distilled from it" */
		lin_buf_printf(title, "%s: %" IGRAPH_PRId " model%s %s", model_name(m), others,
		               others == 1 ? "" : "s", how);
	else
		lin_buf_printf(title, "%s and its %" IGRAPH_PRId " descendant%s", model_name(m),
		               heirs, heirs == 1 ? "" : "s");
	if (heirs > 0 && others > 0)
		lin_buf_printf(title, " (+%" IGRAPH_PRId " %s)", others, how);
	lin_buf_puts(caption, title->data ? title->data : "");
	for (int k = 0; k < LIN_REL_COUNT; k++) {
		int best = -1;
		for (int i = 0; i < LIN_REL_COUNT; i++)
			if (!used[i] && r->by_relation[i] > 0 &&
			    (best < 0 || r->by_relation[i] > r->by_relation[best]))
				best = i;
		if (best < 0)
			break;
		used[best] = 1;
		lin_buf_printf(caption, "%s%" IGRAPH_PRId " %s", k ? ", " : heirs ? ": " : "; ",
		               r->by_relation[best], lin_relation_name((lin_relation)best));
	}
}

/* The diagram of one root and its descendants. */
static int write_family(docs *d, const lin_root *r, lin_error *err)
{
	int rc = 0;
	const lin_model *m = lin_catalog_model(d->cat, r->vertex);
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_buf title = LIN_BUF_INIT, caption = LIN_BUF_INIT;
	const char *stem = NULL;
	lin_query_opts q = LIN_QUERY_OPTS_INIT;
	igraph_vector_int_t heirs;
	igraph_integer_t nheirs = 0;

	q.relations = LIN_REL_WEIGHTS; /* descendants: those holding its weights */
	if (igraph_vector_int_init(&heirs, 0) != IGRAPH_SUCCESS)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	rc = lin_query_members(&heirs, d->cat, r->vertex, &q, err);
	nheirs = igraph_vector_int_size(&heirs);
	igraph_vector_int_destroy(&heirs);
	if (rc)
		goto done;
	family_caption(&title, &caption, m, r, nheirs);
	if (title.oom || caption.oom) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = make_slug(&stem, d, r->vertex, err)))
		goto done;
	o.focus = r->vertex;
	o.descendants = 1;
	o.left_to_right = 1;
	o.title = title.data;
	rc = write_section(d, &o, stem, model_name(m), caption.data, 1, err);
done:
	lin_buf_dispose(&title);
	lin_buf_dispose(&caption);
	return rc;
}

/* The whole catalog in one diagram. */
static int write_catalog(docs *d, lin_error *err)
{
	int rc = 0;
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_buf caption = LIN_BUF_INIT;
	igraph_integer_t n = lin_catalog_count(d->cat);
	igraph_integer_t ne = igraph_ecount(lin_catalog_graph(d->cat));

	lin_buf_printf(&caption, "lineage: %" IGRAPH_PRId " model%s, %" IGRAPH_PRId
	               " derivation%s", n, n == 1 ? "" : "s", ne, ne == 1 ? "" : "s");
	if (caption.oom)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	o.left_to_right = 1;
	o.max_nodes = DOCS_CATALOG_MAX_NODES;
	rc = write_section(d, &o, "catalog", "Whole catalog", caption.data, 0, err);
	lin_buf_dispose(&caption);
	return rc;
}

/* The evolution tree: every model on a time axis. */
static int write_evolution(docs *d, lin_error *err)
{
	int rc = 0;
	lin_draw_opts o = LIN_DRAW_OPTS_INIT;
	lin_buf caption = LIN_BUF_INIT;
	igraph_integer_t n = lin_catalog_count(d->cat);

	lin_buf_puts(&caption, "Evolution of the catalog: ");
	lin_i_put_count(&caption, n);
	lin_buf_printf(&caption, " model%s by release date (a column per year, or per quarter "
	               "in busy years)", n == 1 ? "" : "s");
	if (caption.oom)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	o.left_to_right = 1;
	o.by_year = 1;
	/* every model, as far as dot can lay them out */
	o.max_nodes = n > LIN_DRAW_MAX_NODES_LIMIT ? LIN_DRAW_MAX_NODES_LIMIT
	              : n > DOCS_CATALOG_MAX_NODES ? (int)n : DOCS_CATALOG_MAX_NODES;
	o.max_edges = LIN_DRAW_MAX_EDGES_LIMIT;
	o.title = caption.data;
	rc = write_section(d, &o, "evolution", "Evolution tree", caption.data, 0, err);
	lin_buf_dispose(&caption);
	return rc;
}

/* index.html: the evolution tree and the families, search and cards. */
static int write_page(docs *d, lin_error *err)
{
	int rc = 0;
	lin_buf html = LIN_BUF_INIT;
	lin_page_fig *pf = calloc(d->nfigs + 1, sizeof(*pf));
	size_t k = 0;

	if (!pf)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < d->nfigs; i++) {
		if (strcmp(d->figs[i].anchor, "catalog") == 0)
			continue; /* the evolution tree shows the same models */
		pf[k].anchor = d->figs[i].anchor;
		pf[k].heading = d->figs[i].heading;
		pf[k].caption = d->figs[i].caption;
		pf[k].svg = d->figs[i].svg.data ? d->figs[i].svg.data : "";
		pf[k].svg_len = d->figs[i].svg.len;
		k++;
	}
	if ((rc = lin_i_html_page(&html, d->cat, pf, k, err)))
		goto done;
	if (html.oom) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	rc = put_file(d, 0, "index.html", &html, err);
done:
	free(pf);
	lin_buf_dispose(&html);
	return rc;
}

/* 1 when name has the form of a file this module writes and may remove:
 * family-<slug>.ext, nothing else (a planted manifest cannot name
 * README.md, "../x" or a user's notes). */
static int prunable(const char *name, const char *const *exts)
{
	size_t n = strlen(name);
	if (strncmp(name, "family-", 7) != 0 || strchr(name, '/'))
		return 0;
	for (size_t i = 0; exts[i]; i++) {
		size_t e = strlen(exts[i]);
		if (n > 7 + e && strcmp(name + n - e, exts[i]) == 0)
			return 1;
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when this run wrote name in folder at (d->wrote sorted); -1 when out
 * of memory. */
static int wrote_here(const docs *d, size_t at, const char *name)
{
	lin_buf key = LIN_BUF_INIT;
	lin_buf_printf(&key, "%zu%s", at, name);
	if (key.oom)
		return -1;
	int hit = bsearch(&key.data, d->wrote, d->nwrote, sizeof(*d->wrote), cmp_name) != NULL;
	lin_buf_dispose(&key);
	return hit;
}

/* Removes the diagrams the previous run listed in the folder's manifest
 * and this run did not write: a family that left the catalog leaves no
 * stale diagram, and a file docs never wrote (a user's family-notes.svg)
 * is never touched. No manifest (a folder from before manifests, or not
 * docs's at all) means nothing is removed. */
static int prune_stale(const docs *d, size_t at, lin_error *err)
{
	static const char *const out_ext[] = {".svg", NULL}, *const graph_ext[] = {".dot", ".mmd", NULL};
	static const char *const both_ext[] = {".svg", ".dot", ".mmd", NULL};
	const char *const *exts = d->ndirs == 1 ? both_ext : at == 0 ? out_ext : graph_ext;
	lin_buf path = LIN_BUF_INIT;
	char *list = NULL;
	size_t len = 0;
	int rc = 0;
	lin_error ignored;
	struct stat st;

	lin_buf_printf(&path, "%s/" MANIFEST, d->dirs[at]);
	if (path.oom)
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	/* none, or not a file we could have written; a device planted there is
	 * not even opened */
	if (stat(path.data, &st) != 0 || !S_ISREG(st.st_mode) ||
	    lin_read_file(&list, &len, path.data, MANIFEST_MAX, &ignored) != 0)
		goto done;
	for (char *line = list, *next = NULL; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		int mine = prunable(line, exts) ? wrote_here(d, at, line) : 1;
		if (mine == 1)
			continue;
		path.len = 0;
		lin_buf_printf(&path, "%s/%s", d->dirs[at], line);
		if (path.oom || mine < 0) {
			rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		/* a file or a link in its place; unlink never follows the link */
		if (lstat(path.data, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			continue;
		if (unlink(path.data) != 0 && errno != ENOENT) {
			rc = lin_i_fail(err, LIN_EIO, path.data, 0, 0, "cannot remove stale diagram: %s",
			                strerror(errno));
			goto done;
		}
	}
done:
	free(list);
	lin_buf_dispose(&path);
	return rc;
}

/* The folder's manifest: a comment line, then each file written there, in
 * byte order (deterministic, so the committed out/ stays fresh). */
static int write_manifest(const docs *d, size_t at, lin_error *err)
{
	lin_buf text = LIN_BUF_INIT, path = LIN_BUF_INIT;
	int rc = 0;
	lin_buf_puts(&text, "# written by `lineage docs`: the files it owns here, the only ones "
	                    "it may remove once it no longer writes them\n");
	for (size_t i = 0; i < d->nwrote; i++)
		if ((size_t)(d->wrote[i][0] - '0') == at)
			lin_buf_printf(&text, "%s\n", d->wrote[i] + 1);
	lin_buf_printf(&path, "%s/" MANIFEST, d->dirs[at]);
	if (text.oom || path.oom)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	else
		rc = lin_i_write_replace(path.data, text.data, text.len, err);
	lin_buf_dispose(&text);
	lin_buf_dispose(&path);
	return rc;
}

/* 1 for the name of a temporary file some lineage run made here: the
 * short LIN_I_TMP_PREFIX ones, and the "<output>.tmpXXXXXX" of older
 * versions beside an output docs writes. */
static int is_our_tmp(const char *name)
{
	static const char *const outs[] = {".svg", ".dot", ".mmd", ".md", ".html", MANIFEST, NULL};
	size_t n = strlen(name), p = strlen(LIN_I_TMP_PREFIX);
	if (strncmp(name, LIN_I_TMP_PREFIX, p) == 0)
		return n == p + 6;
	if (n < 10 || strncmp(name + n - 10, ".tmp", 4) != 0)
		return 0;
	for (size_t i = n - 6; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			return 0;
	for (size_t i = 0; outs[i]; i++) {
		size_t e = strlen(outs[i]);
		if (n - 10 >= e && strncmp(name + n - 10 - e, outs[i], e) == 0)
			return 1;
	}
	return 0;
}

/* Removes temporary files that interrupted runs left in the folder (killed
 * before they could clean up: where the file system has unnamed temporary
 * files a run leaves none, elsewhere SIGKILL can), only those older than
 * STALE_TMP_SECONDS, so a run writing into the same folder right now keeps
 * its own. */
static void sweep_temporaries(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	lin_i_sweep_temporaries(fd, is_our_tmp, STALE_TMP_SECONDS, NULL, NULL);
	close(fd);
}

int lin_docs_write(const lin_catalog *cat, const char *out_dir,
                   const char *graph_dir, lin_diags *diags, lin_error *err)
{
	int rc = 0;
	lin_roots roots = {NULL, 0};
	lin_query_opts qo = LIN_QUERY_OPTS_INIT;
	docs d = {cat, out_dir, graph_dir, LIN_BUF_INIT, NULL, 0, NULL, 0, {out_dir, graph_dir}, 2, 1,
	          NULL, 0, diags};
	struct stat so, sg;

	if (!cat || !out_dir || !graph_dir || !lin_catalog_graph(cat))
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "lin_docs_write: bad argument");
	if ((rc = make_dirs(out_dir, err)) || (rc = make_dirs(graph_dir, err)))
		goto done;
	/* --out and --graph naming one folder: one manifest for both */
	if (stat(out_dir, &so) == 0 && stat(graph_dir, &sg) == 0 && so.st_dev == sg.st_dev &&
	    so.st_ino == sg.st_ino) {
		d.ndirs = 1;
		d.graph_at = 0;
	}
	for (size_t i = 0; i < d.ndirs; i++)
		sweep_temporaries(d.dirs[i]);
	/* roots come most-derived first, ties by id: a stable README */
	if ((rc = lin_query_roots(&roots, cat, &qo, err)))
		goto done;
	lin_buf_puts(&d.md, "# Model lineage\n\n"
	                    "generated by `lineage docs` from data/; do not edit. "
	                    "[index.html](index.html) is the same set as one searchable page "
	                    "(download it and open it in a browser).\n\n");
	if ((rc = write_evolution(&d, err)))
		goto done;
	for (size_t i = 0; i < roots.n && !rc; i++)
		rc = write_family(&d, &roots.items[i], err);
	if (rc || (rc = write_catalog(&d, err)) || (rc = write_page(&d, err)))
		goto done;
	if (d.md.oom) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = put_file(&d, 0, "README.md", &d.md, err)))
		goto done;
	/* prune before the new manifest replaces the old: a run stopped in
	 * between still finds the stale files listed next time */
	qsort(d.wrote, d.nwrote, sizeof(*d.wrote), cmp_name);
	for (size_t i = 0; i < d.ndirs && !rc; i++)
		rc = prune_stale(&d, i, err);
	for (size_t i = 0; i < d.ndirs && !rc; i++)
		rc = write_manifest(&d, i, err);
done:
	for (size_t i = 0; i < d.nslugs; i++)
		free(d.slugs[i]);
	free(d.slugs);
	lin_i_strv_free(d.wrote, d.nwrote);
	for (size_t i = 0; i < d.nfigs; i++) {
		free(d.figs[i].anchor);
		free(d.figs[i].heading);
		free(d.figs[i].caption);
		lin_buf_dispose(&d.figs[i].svg);
	}
	free(d.figs);
	lin_buf_dispose(&d.md);
	lin_roots_dispose(&roots);
	return rc;
}
