/*
 * html.c - the documentation page (out/index.html): one self-contained
 * static file that works opened straight from disk. The diagrams are
 * inline SVG, the search data a JSON block read by a small inline script,
 * and there is no external resource of any kind: no font, no stylesheet, no
 * script, no image. Every catalog string is HTML-escaped here or JSON-escaped
 * by lin_json_string (which also escapes < > &, so </script> cannot occur).
 */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lin_i_put_html(lin_buf *b, const char *s)
{
	lin_escape(b, s, LIN_ESC_XML, 0);
}

/* The vertex of the model box whose id attribute ends at q (at its closing
 * quote): Graphviz writes `<g id="..." class="node ...">` and then
 * `<title>n<vertex></title>`; -1 for anything else. */
static long box_vertex(const char *q, const char *end)
{
	static const char title[] = ">\n<title>n";
	long v = 0;
	while (q < end && *q != '>' && *q != '<')
		q++;
	if ((size_t)(end - q) < sizeof(title) || memcmp(q, title, sizeof(title) - 1) != 0)
		return -1;
	q += sizeof(title) - 1;
	if (q >= end || *q < '0' || *q > '9')
		return -1;
	for (; q < end && *q >= '0' && *q <= '9' && v < (1L << 40); q++)
		v = v * 10 + (*q - '0');
	return (size_t)(end - q) >= 8 && memcmp(q, "</title>", 8) == 0 ? v : -1;
}

int lin_i_svg_inline(lin_buf *out, const char *svg, size_t len, const char *prefix,
                     char *const *dom, size_t ndom)
{
	static const char box[] = "model&#45;";
	const char *end = svg + len, *p = NULL;

	/* the <svg element itself: skip the prolog, doctype and comments */
	for (p = svg; p + 4 <= end; p++)
		if (memcmp(p, "<svg", 4) == 0 && (p + 4 == end || p[4] == ' ' || p[4] == '\n'))
			break;
	if (p + 4 > end)
		return LIN_EINVAL;
	while (p < end) {
		/* Graphviz escapes '"' in text and attribute values, so ' id="'
		 * only ever starts an id attribute */
		const char *hit = NULL, *close = NULL;
		for (const char *q = p; q + 5 <= end; q++)
			if (memcmp(q, " id=\"", 5) == 0) {
				hit = q;
				break;
			}
		if (!hit) {
			lin_buf_append(out, p, (size_t)(end - p));
			break;
		}
		lin_buf_append(out, p, (size_t)(hit + 5 - p));
		lin_buf_puts(out, prefix);
		p = hit + 5;
		close = memchr(p, '"', (size_t)(end - p));
		if (dom && close && (size_t)(close - p) >= sizeof(box) - 1 &&
		    memcmp(p, box, sizeof(box) - 1) == 0) {
			long v = box_vertex(close, end);
			if (v >= 0 && (size_t)v < ndom) {
				/* written as Graphviz writes ids, '-' as &#45; */
				for (const char *c = dom[v]; *c; c++)
					if (*c == '-')
						lin_buf_puts(out, "&#45;");
					else
						lin_buf_append(out, c, 1);
				p = close;
			}
		}
	}
	return out->oom ? LIN_ENOMEM : 0;
}

/* ---- the page ---------------------------------------------------------------- */

static const char page_css[] =
	":root{color-scheme:light;--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--bg:#f8f9fa}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--ink);background:#fff}"
	"header{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);padding:10px 20px}"
	"header h1{font-size:20px;margin:0 0 6px}"
	"header p{margin:0 0 8px;color:var(--muted)}"
	"nav{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:13px}"
	"nav a{color:#1f6fb2}"
	"#search{display:flex;gap:8px;align-items:center;margin:6px 0}"
	"#q{font:inherit;padding:6px 10px;width:min(420px,90vw);border:1px solid #9aa5b1;border-radius:6px}"
	"#matches button{font:inherit;font-size:13px;margin:0 4px 4px 0;padding:2px 8px;border:1px solid var(--line);border-radius:12px;background:var(--bg);cursor:pointer}"
	"main{padding:0 20px 40px}"
	"#result{margin:12px 0;padding:10px 14px;border:1px solid var(--line);border-radius:8px;background:var(--bg)}"
	"#result[hidden]{display:none}"
	"#result h2{font-size:17px;margin:0 0 6px}"
	"#result .cols{display:flex;flex-wrap:wrap;gap:8px 40px}"
	"#result h3{font-size:14px;margin:6px 0 2px;color:var(--muted)}"
	"#result ol{margin:0;padding-left:20px}"
	"section.fig{margin:28px 0}"
	"section.fig h2{font-size:18px;margin:0 0 4px}"
	"section.fig p{margin:0 0 8px;color:var(--muted)}"
	".scroll{overflow:auto;border:1px solid var(--line);border-radius:8px;max-height:85vh}"
	".scroll svg{display:block}"
	".scroll.fit svg{width:100%;height:auto}"
	/* the evolution tree opens whole: its viewBox scaled to fit (meet) into
	 * what the window has left below the header (--fit-h, set by the
	 * script; 80vh without it) */
	"#evolution .scroll.fit svg{height:var(--fit-h,80vh)}"
	"section.fig button.zoom{float:right;font:inherit;font-size:13px;padding:2px 10px;border:1px solid var(--line);border-radius:6px;background:var(--bg);cursor:pointer}"
		/* a hit's border as wide on screen in the fitted tree (a quarter of
	 * its size) as at 100% */
	"svg g.node.hit>path,svg g.node.hit>polygon,svg g.node.hit a>path,svg g.node.hit a>polygon{stroke:#e4572e;stroke-width:4px;vector-effect:non-scaling-stroke}"
	"#cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}"
	".card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fff}"
	".card:target{outline:3px solid #e4572e}"
	".card h3{margin:0 0 4px;font-size:16px}"
	".card .id{color:var(--muted);font-size:12px;font-family:ui-monospace,monospace}"
	".card dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:6px 0;font-size:13px}"
	".card dt{color:var(--muted)}"
	".card dd{margin:0;overflow-wrap:anywhere}"
	".card ul{margin:2px 0;padding-left:18px;font-size:13px}"
	/* a long link breaks rather than widen the page past the window */
	".card li{overflow-wrap:anywhere}"
	".tag{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;border:1px solid var(--line);margin-left:4px;color:var(--muted)}";

/* The search: plain ES5, no dependency, reads the JSON block. A hash like
 * #q=chinese-vicuna runs a search on load (for tests and links). Names are
 * matched as the CLI matches them: each model carries its name keys,
 * computed in C by lin_name_key, and the query gets the same rule (ASCII
 * letters lowercased; space, tab, '.', '_', '-' dropped; nothing else
 * touched, where toLowerCase and \\s would fold Unicode too), so the page
 * and `lineage show` find the same models. */
static const char page_js[] =
	"(function(){'use strict';"
	"var data=JSON.parse(document.getElementById('lineage-data').textContent);"
	"var M=data.models,figs=data.figures,kids=[],i,j;"
	"for(i=0;i<M.length;i++)kids.push([]);"
	"for(i=0;i<M.length;i++)for(j=0;j<M[i].parents.length;j++)"
	"kids[M[i].parents[j][0]].push([i,M[i].parents[j][1]]);"
	"function key(s){return String(s||'').replace(/[ \\t._-]+/g,'').replace(/[A-Z]+/g,function(c){return c.toLowerCase();});}"
	"function el(tag,text,cls){var e=document.createElement(tag);if(text!=null)e.textContent=text;if(cls)e.className=cls;return e;}"
	"function find(q){var k=key(q),exact=[],part=[];if(!k)return[];"
	"for(var i=0;i<M.length;i++){var keys=M[i].keys,hit=0;"
	"for(var j=0;j<keys.length;j++){var n=keys[j];if(n===k){hit=2;break;}if(n.indexOf(k)>=0)hit=1;}"
	"if(hit===2)exact.push(i);else if(hit===1)part.push(i);}"
	"return exact.concat(part);}"
	"function reach(v,up){var dist={},out=[],queue=[v];dist[v]=0;"
	"while(queue.length){var u=queue.shift(),next=up?M[u].parents:kids[u];"
	"for(var k=0;k<next.length;k++){var w=next[k][0];if(dist[w]===undefined){dist[w]=dist[u]+1;"
	"out.push({v:w,d:dist[w],rel:next[k][1]});queue.push(w);}}}return out;}"
	"function link(v){var a=el('a',M[v].name);a.href='#card-'+v;return a;}"
	"function list(title,items,id){var box=el('div');box.appendChild(el('h3',title+' ('+items.length+')'));"
	"var ol=el('ol');ol.id=id;for(var k=0;k<items.length;k++){var li=el('li');li.setAttribute('data-id',M[items[k].v].id);"
	"li.appendChild(link(items[k].v));li.appendChild(document.createTextNode(' \\u2014 '+items[k].rel+', '+items[k].d+(items[k].d===1?' step':' steps')));ol.appendChild(li);}"
	"if(!items.length)ol.appendChild(el('li','none'));box.appendChild(ol);return box;}"
	"function mark(ids){var old=document.querySelectorAll('g.node.hit');for(var k=0;k<old.length;k++)old[k].classList.remove('hit');"
	"lead=null;for(var f=0;f<figs.length;f++){var first=null;for(var k2=0;k2<ids.length;k2++){var n=document.getElementById(figs[f]+M[ids[k2]].dom);if(n){n.classList.add('hit');if(!first)first=n;}}if(first){reveal(first);if(!lead)lead=first;}}}"
	/* a figure shown at 100% scrolls its box to the searched model */
	"function reveal(n){var box=n.closest('.scroll');if(!box||box.classList.contains('fit'))return;"
	"var r=n.getBoundingClientRect(),b=box.getBoundingClientRect();"
	"box.scrollLeft+=r.left-b.left-(box.clientWidth-r.width)/2;box.scrollTop+=r.top-b.top-(box.clientHeight-r.height)/2;}"
	/* then the window, as little as it takes, to the first figure's box of
	 * the searched model (lead): at once for Enter, a match clicked or a
	 * #q= link, after a pause in typing (so the page does not jump under
	 * each key) */
	"var lead=null,pause=0;"
	/* (below the sticky header, which covers the page's top) */
	"function into(){clearTimeout(pause);if(!lead)return;var r=lead.getBoundingClientRect(),pad=24,"
	"head=document.querySelector('header'),top=(head?head.getBoundingClientRect().bottom:0)+pad;"
	"if(r.bottom>innerHeight-pad)scrollBy(0,Math.min(r.bottom-innerHeight+pad,r.top-top));else if(r.top<top)scrollBy(0,r.top-top);}"
	"function later(){clearTimeout(pause);pause=setTimeout(into,400);}"
	/* the header's height (it grows with a search's matches) as the page's
	 * scroll padding, so a link to #evolution or #card-3 lands below the
	 * sticky header, not under it */
	"function pad(){var head=document.querySelector('header');"
	"if(head)document.documentElement.style.scrollPaddingTop=head.offsetHeight+'px';}"
	/* the evolution tree fitted into the window below where it starts */
	"function fit(){pad();var box=document.querySelector('#evolution .scroll');if(!box)return;"
	"var top=box.getBoundingClientRect().top+window.pageYOffset;"
	"box.style.setProperty('--fit-h',Math.max(200,Math.floor(innerHeight-top-12))+'px');}"
	"function show(v){var r=document.getElementById('result');r.textContent='';r.hidden=false;"
	"var h=el('h2');h.appendChild(link(v));r.appendChild(h);var up=reach(v,true),down=reach(v,false);"
	"var cols=el('div',null,'cols');cols.appendChild(list('Ancestors',up,'ancestors'));cols.appendChild(list('Descendants',down,'descendants'));"
	"r.appendChild(cols);var ids=[v];for(var k=0;k<up.length;k++)ids.push(up[k].v);for(k=0;k<down.length;k++)ids.push(down[k].v);mark(ids);}"
	"function search(q){var hits=find(q),box=document.getElementById('matches');box.textContent='';pad();"
	"if(!hits.length){var r=document.getElementById('result');r.hidden=!q;r.textContent=q?'No model matches.':'';mark([]);return;}"
	"for(var k=0;k<hits.length&&k<12;k++){(function(v){var b=el('button',M[v].name);b.type='button';"
	"b.addEventListener('click',function(){show(v);into();});box.appendChild(b);})(hits[k]);}pad();show(hits[0]);}"
	"var q=document.getElementById('q');q.addEventListener('input',function(){search(q.value);later();});"
	"q.addEventListener('keydown',function(e){if(e.key==='Enter')into();});"
	"var secs=document.querySelectorAll('section.fig');for(var z=0;z<secs.length;z++){(function(sec){"
	"var box=sec.querySelector('.scroll'),b=el('button','fit to width','zoom');b.type='button';"
	"b.addEventListener('click',function(){var fit=box.classList.toggle('fit');b.textContent=fit?'100%':'fit to width';});"
	"if(sec.id==='evolution'){box.classList.add('fit');b.textContent='100%';}"
	"sec.insertBefore(b,sec.firstChild);})(secs[z]);}"
	"fit();window.addEventListener('resize',fit);"
	"var m=/^#q=(.*)$/.exec(location.hash);if(m){q.value=decodeURIComponent(m[1]);search(q.value);into();}"
	"})();";

/* Appends s as a JSON string whose hidden characters are spaces, as
 * everywhere else on the page: the script shows these strings with
 * textContent. */
static void json_text(lin_buf *b, const char *s)
{
	lin_buf_append(b, "\"", 1);
	lin_escape(b, s, LIN_ESC_JSON_PAGE, 0);
	lin_buf_append(b, "\"", 1);
}

/* Appends the name key of s as a JSON string, exact (hidden code points
 * stay escapes: the script compares keys, it never shows them). */
static void json_key(lin_buf *b, const char *s, int comma)
{
	char *k = lin_name_key(s);
	if (!k) {
		b->oom = 1;
		return;
	}
	lin_buf_puts(b, comma ? ",\"" : "\"");
	lin_escape(b, k, LIN_ESC_JSON, 0);
	lin_buf_append(b, "\"", 1);
	free(k);
}

typedef struct dom_key {
	const char *s;
	igraph_integer_t v;
} dom_key;

static int cmp_dom(const void *a, const void *b)
{
	const dom_key *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->v > y->v) - (x->v < y->v);
}

/* The page's DOM id of every model's box, unique over the whole catalog by
 * construction: the drawing's "model-<slug>", and "_<vertex>" after it for
 * each model but the lowest-numbered of those sharing a slug ('_' is never
 * in a slug, so a suffixed id equals no other). Without a clash the ids
 * are the drawings' own, byte for byte. */
static int page_dom_ids(char ***out, const lin_catalog *cat, size_t n)
{
	int rc = 0;
	char **dom = calloc(n + 1, sizeof(*dom));
	dom_key *k = malloc((n + 1) * sizeof(*k));
	unsigned char *dup = calloc(n + 1, 1);
	if (!dom || !k || !dup) {
		rc = LIN_ENOMEM;
		goto done;
	}
	for (size_t v = 0; v < n; v++) {
		lin_buf b = LIN_BUF_INIT;
		lin_i_put_dom_id(&b, lin_catalog_model(cat, (igraph_integer_t)v)->id);
		if (b.oom || !b.data) {
			lin_buf_dispose(&b);
			rc = LIN_ENOMEM;
			goto done;
		}
		dom[v] = b.data;
		k[v].s = dom[v];
		k[v].v = (igraph_integer_t)v;
	}
	qsort(k, n, sizeof(*k), cmp_dom);
	for (size_t i = 1; i < n; i++)
		dup[k[i].v] = strcmp(k[i].s, k[i - 1].s) == 0;
	for (size_t v = 0; v < n && !rc; v++) {
		if (!dup[v])
			continue;
		lin_buf b = {.data = dom[v], .len = strlen(dom[v]), .cap = strlen(dom[v]) + 1, .oom = 0};
		lin_buf_printf(&b, "_%zu", v);
		dom[v] = b.data;
		if (b.oom)
			rc = LIN_ENOMEM;
	}
done:
	free(k);
	free(dup);
	if (rc) {
		lin_i_strv_free(dom, n);
		dom = NULL;
	}
	*out = dom;
	return rc;
}

/* One model's JSON for the search: id, name, aliases, dom id (the box's
 * id in every figure, less the figure's prefix), the name keys of id, name
 * and aliases, parents as [vertex, relation] pairs. */
static void model_json(lin_buf *b, const lin_catalog *cat, igraph_integer_t v, const char *dom)
{
	const lin_model *m = lin_catalog_model(cat, v);
	lin_buf_puts(b, "{\"id\":");
	json_text(b, m->id);
	lin_buf_puts(b, ",\"name\":");
	json_text(b, m->name ? m->name : m->id);
	lin_buf_puts(b, ",\"aliases\":[");
	for (size_t i = 0; i < m->aliases.n; i++) {
		if (i)
			lin_buf_puts(b, ",");
		json_text(b, m->aliases.items[i]);
	}
	lin_buf_printf(b, "],\"dom\":\"%s\",\"keys\":[", dom);
	json_key(b, m->id, 0);
	if (m->name)
		json_key(b, m->name, 1);
	for (size_t i = 0; i < m->aliases.n; i++)
		json_key(b, m->aliases.items[i], 1);
	lin_buf_puts(b, "],\"parents\":[");
	for (size_t i = 0, k = 0; i < m->nparents; i++) {
		if (m->parents[i].vertex < 0)
			continue;
		lin_buf_printf(b, "%s[%" IGRAPH_PRId ",\"%s\"]", k++ ? "," : "", m->parents[i].vertex,
		               lin_relation_name(m->parents[i].relation));
	}
	lin_buf_puts(b, "]}");
}

/* A link when url is http(s), else the text. */
static void put_link_or_text(lin_buf *b, const char *url)
{
	size_t at = b->len;
	lin_buf_puts(b, "<a href=\"");
	if (lin_i_put_url(b, url)) {
		lin_buf_puts(b, "\" rel=\"noopener noreferrer\">");
		lin_i_put_html(b, url);
		lin_buf_puts(b, "</a>");
	} else {
		b->len = at;
		if (b->data)
			b->data[at] = '\0';
		lin_i_put_html(b, url);
	}
}

static void dl_row(lin_buf *b, const char *term, const char *value)
{
	if (!value || !value[0])
		return;
	lin_buf_printf(b, "<dt>%s</dt><dd>", term);
	lin_i_put_html(b, value);
	lin_buf_puts(b, "</dd>");
}

static void dl_list(lin_buf *b, const char *term, const lin_strlist *l)
{
	if (!l->n)
		return;
	lin_buf_printf(b, "<dt>%s</dt><dd>", term);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			lin_buf_puts(b, ", ");
		lin_i_put_html(b, l->items[i]);
	}
	lin_buf_puts(b, "</dd>");
}

/* A heading and a list of URLs, each a link when it is http(s). */
static void url_list(lin_buf *b, const char *title, const lin_strlist *l)
{
	if (!l->n)
		return;
	lin_buf_printf(b, "<div>%s</div><ul>", title);
	for (size_t i = 0; i < l->n; i++) {
		lin_buf_puts(b, "<li>");
		put_link_or_text(b, l->items[i]);
		lin_buf_puts(b, "</li>");
	}
	lin_buf_puts(b, "</ul>");
}

/* One model's card: every catalog field, parents with their sources,
 * children, links and sources. */
static int model_card(lin_buf *b, const lin_catalog *cat, igraph_integer_t v, lin_error *err)
{
	int rc = 0;
	const lin_model *m = lin_catalog_model(cat, v);
	const igraph_t *g = lin_catalog_graph(cat);
	igraph_vector_int_t inc;
	size_t nf;
	const lin_field *f = lin_model_fields(&nf);

	lin_buf_printf(b, "<article class=\"card\" id=\"card-%" IGRAPH_PRId "\"><h3>", v);
	lin_i_put_html(b, m->name ? m->name : m->id);
	if (m->external)
		lin_buf_puts(b, "<span class=\"tag\">external</span>");
	if (m->weights == LIN_WEIGHTS_CLOSED)
		lin_buf_puts(b, "<span class=\"tag\">closed weights</span>");
	lin_buf_puts(b, "</h3><div class=\"id\">");
	lin_i_put_html(b, m->id);
	lin_buf_puts(b, "</div><dl>");
	for (size_t i = 0; i < nf; i++)
		if (!(f[i].flags & (LIN_FIELD_HEADING | LIN_FIELD_URLS)) && f[i].kind != LIN_FIELD_PARENTS) {
			if (f[i].kind == LIN_FIELD_LIST)
				dl_list(b, f[i].title, lin_field_list(m, &f[i]));
			else
				dl_row(b, f[i].title, lin_field_text(m, &f[i]));
		}
	lin_buf_puts(b, "</dl>");
	if (m->nparents) {
		lin_buf_puts(b, "<div>derived from</div><ul>");
		for (size_t i = 0; i < m->nparents; i++) {
			const lin_parent *p = &m->parents[i];
			lin_buf_puts(b, "<li>");
			if (p->vertex >= 0) {
				const lin_model *pm = lin_catalog_model(cat, p->vertex);
				lin_buf_printf(b, "<a href=\"#card-%" IGRAPH_PRId "\">", p->vertex);
				lin_i_put_html(b, pm->name ? pm->name : pm->id);
				lin_buf_puts(b, "</a>");
			} else {
				lin_i_put_html(b, p->ref);
			}
			lin_buf_printf(b, " \xe2\x80\x94 %s", lin_relation_name(p->relation));
			if (p->variant) {
				lin_buf_puts(b, " (");
				lin_i_put_html(b, p->variant);
				lin_buf_puts(b, ")");
			}
			if (p->note) {
				lin_buf_puts(b, ": ");
				lin_i_put_html(b, p->note);
			}
			for (size_t s = 0; s < p->sources.n; s++) {
				lin_buf_puts(b, s ? "; " : " \xe2\x80\x94 source: ");
				put_link_or_text(b, p->sources.items[s]);
			}
			lin_buf_puts(b, "</li>");
		}
		lin_buf_puts(b, "</ul>");
	}
	LIN_IG(igraph_vector_int_init(&inc, 0));
	rc = lin_catalog_children(&inc, cat, v, LIN_REL_ALL, err);
	if (!rc && igraph_vector_int_size(&inc) > 0) {
		lin_buf_puts(b, "<div>derived into</div><ul>");
		for (igraph_integer_t k = 0; k < igraph_vector_int_size(&inc); k++) {
			igraph_integer_t e = VECTOR(inc)[k], c = IGRAPH_TO(g, e);
			const lin_model *cm = lin_catalog_model(cat, c);
			lin_buf_printf(b, "<li><a href=\"#card-%" IGRAPH_PRId "\">", c);
			lin_i_put_html(b, cm->name ? cm->name : cm->id);
			lin_buf_printf(b, "</a> \xe2\x80\x94 %s</li>",
			               lin_relation_name(lin_catalog_edge_relation(cat, e)));
		}
		lin_buf_puts(b, "</ul>");
	}
	igraph_vector_int_destroy(&inc);
	for (size_t i = 0; i < nf; i++)
		if (f[i].flags & LIN_FIELD_URLS)
			url_list(b, f[i].title, lin_field_list(m, &f[i]));
	lin_buf_puts(b, "</article>\n");
done:
	return rc;
}

/* The id prefix of figure i's SVG ids: "f<i>-". */
static void fig_prefix(char *buf, size_t n, size_t i)
{
	snprintf(buf, n, "f%zu-", i);
}

int lin_i_html_page(lin_buf *out, const lin_catalog *cat, const lin_page_fig *figs,
                  size_t nfigs, lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = 0;
	char prefix[32], **dom = NULL;

	if (!out || !cat || (nfigs && !figs) || !lin_catalog_graph(cat))
		return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "lin_i_html_page: bad argument");
	n = lin_catalog_count(cat);
	if (page_dom_ids(&dom, cat, (size_t)n))
		return lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
	lin_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                  "<title>Model lineage</title>\n<style>");
	lin_buf_puts(out, page_css);
	lin_buf_puts(out, "</style>\n</head>\n<body>\n<header>\n<h1>Model lineage</h1>\n<p>");
	lin_i_put_count(out, n);
	lin_buf_printf(out, " model%s and ", n == 1 ? "" : "s");
	lin_i_put_count(out, igraph_ecount(lin_catalog_graph(cat)));
	lin_buf_puts(out, " derivations, generated by <code>lineage docs</code> from the catalog. "
	                  "Hover a box for details; a box links to the model's page.</p>\n"
	                  "<div id=\"search\"><label for=\"q\">Find a model</label> "
	                  "<input id=\"q\" type=\"search\" autocomplete=\"off\" "
	                  "placeholder=\"name, id or alias, e.g. Vicuna\"></div>\n"
	                  "<div id=\"matches\"></div>\n<nav>");
	for (size_t i = 0; i < nfigs; i++) {
		lin_buf_printf(out, "<a href=\"#%s\">", figs[i].anchor);
		lin_i_put_html(out, figs[i].heading);
		lin_buf_puts(out, "</a>");
	}
	lin_buf_puts(out, "<a href=\"#models\">Models</a></nav>\n</header>\n<main>\n"
	                  "<div id=\"result\" hidden></div>\n");
	for (size_t i = 0; i < nfigs; i++) {
		lin_buf_printf(out, "<section class=\"fig\" id=\"%s\"><h2>", figs[i].anchor);
		lin_i_put_html(out, figs[i].heading);
		lin_buf_puts(out, "</h2><p>");
		lin_i_put_html(out, figs[i].caption);
		lin_buf_puts(out, "</p><div class=\"scroll\">\n");
		fig_prefix(prefix, sizeof(prefix), i);
		if (lin_i_svg_inline(out, figs[i].svg, figs[i].svg_len, prefix, dom, (size_t)n) != 0) {
			rc = lin_i_fail(err, LIN_EINVAL, NULL, 0, 0, "figure %s is not SVG", figs[i].anchor);
			goto done;
		}
		lin_buf_puts(out, "</div></section>\n");
	}
	lin_buf_puts(out, "<section id=\"models\"><h2>Models</h2><div id=\"cards\">\n");
	for (igraph_integer_t v = 0; v < n; v++)
		if ((rc = model_card(out, cat, v, err)))
			goto done;
	lin_buf_puts(out, "</div></section>\n</main>\n"
	                  "<script type=\"application/json\" id=\"lineage-data\">{\"figures\":[");
	for (size_t i = 0; i < nfigs; i++) {
		fig_prefix(prefix, sizeof(prefix), i);
		lin_buf_printf(out, "%s\"%s\"", i ? "," : "", prefix);
	}
	lin_buf_puts(out, "],\"models\":[\n");
	for (igraph_integer_t v = 0; v < n; v++) {
		if (v)
			lin_buf_puts(out, ",\n");
		model_json(out, cat, v, dom[v]);
	}
	lin_buf_puts(out, "]}</script>\n<script>");
	lin_buf_puts(out, page_js);
	lin_buf_puts(out, "</script>\n</body>\n</html>\n");
	if (out->oom)
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
done:
	lin_i_strv_free(dom, (size_t)n);
	return rc;
}
