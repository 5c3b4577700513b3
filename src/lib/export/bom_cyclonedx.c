/*
 * bom_cyclonedx.c - the AI-BOM as CycloneDX 1.6 JSON: the model as
 * metadata.component, its ancestors nested in pedigree.ancestors (each
 * appearance a component of its own, the edge it stands for in
 * lineage:relation, lineage:variant, lineage:note, lineage:inferred (only
 * on edges guessed from a card) and lineage:source properties, since a pedigree has no relation field; the model's own
 * fields as lineage:KEY, KEY as the catalog writes it), every
 * ancestor once more in the flat "components" list, which the
 * "dependencies" graph references.
 */
#include "bom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct props {
	bom_doc *d;
	int n;
} props;

static void prop(props *ps, const char *name, const char *val)
{
	bom_raw(ps->d, ps->n++ ? ",{\"name\":" : "{\"name\":");
	bom_str(ps->d, name);
	bom_raw(ps->d, ",\"value\":");
	bom_str(ps->d, val);
	bom_raw(ps->d, "}");
}

/* A model field as a property: lineage:KEY. */
static void field_prop(void *ctx, const char *key, const char *val)
{
	props *ps = ctx;
	char name[64];
	snprintf(name, sizeof(name), "lineage:%s", key);
	prop(ps, name, val);
}

static void licenses(bom_doc *d, const lin_model *m)
{
	char ref[160];
	const lin_license *l = NULL;
	if (!bom_license_ref(m->license, ref, sizeof(ref), &l))
		return;
	bom_raw(d, ",\"licenses\":[{\"license\":{");
	if (l && strncmp(l->spdx, "LicenseRef-", 11) != 0) {
		bom_raw(d, "\"id\":");
		bom_str(d, l->spdx);
	} else {
		bom_raw(d, "\"name\":");
		bom_str(d, l ? l->name : m->license);
		if (l)
			bom_kv_url(d, "url", l->url);
	}
	bom_raw(d, ",\"acknowledgement\":\"declared\"}}]");
}

static void ext_refs(bom_doc *d, const lin_model *m)
{
	int n = 0;
	for (size_t i = 0; i < m->links.n; i++) {
		bom_raw(d, n++ ? ",{\"type\":\"" : ",\"externalReferences\":[{\"type\":\"");
		bom_raw(d, bom_link_type(m->links.items[i]));
		bom_raw(d, "\"");
		bom_kv_url(d, "url", m->links.items[i]);
		bom_raw(d, "}");
	}
	for (size_t i = 0; i < m->sources.n; i++) {
		const char *s = m->sources.items[i];
		if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
			continue; /* a file of the catalog's sources: a property only */
		bom_raw(d, n++ ? ",{\"type\":\"documentation\"" : ",\"externalReferences\":[{\"type\":\"documentation\"");
		bom_kv_url(d, "url", s);
		bom_raw(d, ",\"comment\":\"a source of the catalog entry\"}");
	}
	if (n)
		bom_raw(d, "]");
}

static void model_card(bom_doc *d, const lin_model *m)
{
	const char *approach = bom_approach(m->stage);
	const char *arch = m->arch != LIN_ARCH_UNKNOWN ? lin_arch_name(m->arch) : NULL;
	if (!approach && !arch && !m->training_data)
		return;
	bom_raw(d, ",\"modelCard\":{\"modelParameters\":{");
	if (approach) {
		bom_raw(d, "\"approach\":{\"type\":\"");
		bom_raw(d, approach);
		bom_raw(d, "\"}");
	}
	if (arch) {
		bom_raw(d, approach ? ",\"architectureFamily\":" : "\"architectureFamily\":");
		bom_str(d, arch);
	}
	if (m->training_data) {
		bom_raw(d, approach || arch ? ",\"datasets\":" : "\"datasets\":");
		bom_raw(d, "[{\"type\":\"dataset\",\"description\":");
		bom_str(d, m->training_data);
		bom_raw(d, "}]");
	}
	bom_raw(d, "}}");
}

/* Writes position p as a component, left open for a pedigree: its
 * bom-ref is the id (nth 0) or "ID#nth" for the nth appearance in the
 * pedigree; e (-1: none) is the edge it appears through; why says why its
 * ancestors are not nested under it (NULL: they are, or it has none). */
static void component(bom_doc *d, size_t p, unsigned nth, igraph_integer_t e, const char *why)
{
	const lin_model *m = bom_model(d, p);
	char hub[200];
	props ps = {d, 0};
	bom_raw(d, "{\"type\":\"machine-learning-model\",\"bom-ref\":\"");
	lin_escape(d->json, m->id, LIN_ESC_JSON, 0);
	if (nth)
		lin_buf_printf(d->json, "#%u", nth);
	bom_raw(d, "\"");
	bom_kv(d, "name", bom_name(m));
	bom_kv(d, "group", m->org);
	licenses(d, m);
	if (bom_hub_id(m, hub, sizeof(hub))) {
		bom_raw(d, ",\"purl\":");
		bom_purl(d, hub);
	}
	ext_refs(d, m);
	model_card(d, m);
	bom_raw(d, ",\"properties\":[");
	if (e >= 0) {
		const lin_parent *par = lin_catalog_edge_parent(d->cat, e);
		prop(&ps, "lineage:relation", lin_relation_name(par->relation));
		prop(&ps, "lineage:carries-weights",
		     LIN_REL_WEIGHTS & LIN_REL_BIT(par->relation) ? "true" : "false");
		if (par->variant)
			prop(&ps, "lineage:variant", par->variant);
		if (par->note)
			prop(&ps, "lineage:note", par->note);
		if (par->inferred) /* guessed from a card, not stated: an auditor weighs it less */
			prop(&ps, "lineage:inferred", "true");
		for (size_t i = 0; i < par->sources.n; i++)
			prop(&ps, "lineage:source", par->sources.items[i]);
	}
	bom_each_field(m, field_prop, &ps);
	if (why)
		prop(&ps, "lineage:pedigree", why);
	bom_raw(d, "]");
}

/* The ancestors of position p nested under it, their parents under them,
 * and so on; depth is theirs (p's parents: depth + 1). */
static void pedigree(bom_doc *d, size_t p, int depth)
{
	const igraph_t *g = lin_catalog_graph(d->cat);
	bom_raw(d, ",\"pedigree\":{\"ancestors\":[");
	for (size_t k = d->first[p]; k < d->first[p + 1]; k++) {
		igraph_integer_t e = d->edges[k];
		size_t q = (size_t)d->pos[IGRAPH_FROM(g, e)];
		unsigned nth = 0;
		int expand = bom_expand(d, q, depth + 1, &nth);
		int has = d->first[q + 1] > d->first[q];
		if (k > d->first[p])
			bom_raw(d, ",");
		component(d, q, nth, e,
		          !has || expand ? NULL
		          : depth + 1 >= d->max_depth
		                  ? "not nested: deeper than the limit; see components and dependencies"
		                  : "not nested again: see its first appearance, components and dependencies");
		if (has && expand)
			pedigree(d, q, depth + 1);
		bom_raw(d, "}");
	}
	bom_raw(d, "]}");
}

static void cdx_begin(bom_doc *d)
{
	bom_raw(d, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
	           "\"serialNumber\":\"urn:uuid:" BOM_UUID_MARK "\",\"version\":1,"
	           "\"metadata\":{\"tools\":{\"components\":[{\"type\":\"application\","
	           "\"name\":\"lineage\"");
	bom_kv(d, "version", lin_version());
	bom_raw(d, "}]},\"component\":");
	int has = d->first[1] > d->first[0];
	component(d, 0, 0, -1, has && d->max_depth < 1 ? "not nested: depth 0" : NULL);
	if (has && d->max_depth >= 1)
		pedigree(d, 0, 0);
	bom_raw(d, "}},\"components\":[");
}

static void cdx_model(bom_doc *d, size_t p)
{
	if (p == 0)
		return;
	if (p > 1)
		bom_raw(d, ",");
	component(d, p, 0, -1, NULL);
	bom_raw(d, "}");
}

static void cdx_end(bom_doc *d)
{
	const igraph_t *g = lin_catalog_graph(d->cat);
	size_t *stamp = calloc(d->nv + 1, sizeof(*stamp));
	if (!stamp) {
		d->json->oom = 1;
		return;
	}
	bom_raw(d, "],\"dependencies\":[");
	for (size_t p = 0; p < d->nv; p++) {
		int n = 0;
		bom_raw(d, p ? ",{\"ref\":" : "{\"ref\":");
		bom_str(d, bom_model(d, p)->id);
		bom_raw(d, ",\"dependsOn\":[");
		for (size_t k = d->first[p]; k < d->first[p + 1]; k++) {
			size_t q = (size_t)d->pos[IGRAPH_FROM(g, d->edges[k])];
			if (stamp[q] == p + 1)
				continue; /* two edges to one parent: dependsOn is a set */
			stamp[q] = p + 1;
			if (n++)
				bom_raw(d, ",");
			bom_str(d, bom_model(d, q)->id);
		}
		bom_raw(d, "]}");
	}
	bom_raw(d, "]}");
	free(stamp);
}

const bom_backend lin_i_bom_cyclonedx = {
	"cyclonedx", cdx_begin, cdx_model, NULL, cdx_end,
};
