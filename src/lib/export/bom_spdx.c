/*
 * bom_spdx.c - the AI-BOM as SPDX 3.0.1 JSON-LD: an ai_AIPackage for the
 * model and each ancestor, an ancestorOf Relationship per derivation edge
 * (its relation kind, variant, note and sources in the comment), declared
 * licences as simplelicensing_LicenseExpression elements, suppliers as
 * Organizations. Element ids are IRIs under
 * https://lineage.invalid/spdx/UUID/ (identifiers, not locations: .invalid
 * never resolves), UUID derived from the document's bytes.
 */
#include "bom.h"

#include <stdio.h>
#include <string.h>

#define PREFIX "https://lineage.invalid/spdx/" BOM_UUID_MARK "/"
#define NO_ASSERTION_ELEMENT "https://spdx.org/rdf/3.0.1/terms/Core/NoAssertionElement"

/* "spdxId":"PREFIX<kind><rest>" where rest is percent-encoded outside
 * [A-Za-z0-9._~/-] (catalog ids are already inside it). */
static void iri(bom_doc *d, const char *kind, const char *rest)
{
	lin_buf_puts(d->json, "\"" PREFIX);
	lin_buf_puts(d->json, kind);
	lin_escape(d->json, rest ? rest : "", LIN_ESC_URI_PATH, 0);
	lin_buf_puts(d->json, "\"");
}

static void iri_n(bom_doc *d, const char *kind, size_t n)
{
	char num[24];
	snprintf(num, sizeof(num), "%zu", n);
	iri(d, kind, num);
}

/* ,{"type":TYPE,"spdxId":...,"creationInfo":"_:creation" — left open */
static void element(bom_doc *d, const char *type)
{
	bom_raw(d, ",{\"type\":\"");
	bom_raw(d, type);
	bom_raw(d, "\",\"spdxId\":");
}

static void creation(bom_doc *d)
{
	bom_raw(d, ",\"creationInfo\":\"_:creation\"");
}

static void spdx_begin(bom_doc *d)
{
	bom_raw(d, "{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\"@graph\":["
	           "{\"type\":\"CreationInfo\",\"@id\":\"_:creation\",\"specVersion\":\"3.0.1\"");
	bom_kv(d, "created", d->created);
	bom_raw(d, ",\"createdBy\":[\"" PREFIX "agent/lineage\"],\"createdUsing\":[\"" PREFIX
	           "tool/lineage\"],\"comment\":\"created: the newest release date of the models "
	           "described (the epoch when none is known), so the same catalog gives the same "
	           "document\"}");
	element(d, "SoftwareAgent");
	iri(d, "agent/lineage", NULL);
	creation(d);
	bom_raw(d, ",\"name\":\"lineage\"}");
	element(d, "Tool");
	iri(d, "tool/lineage", NULL);
	creation(d);
	bom_raw(d, ",\"name\":\"lineage\"");
	bom_kv(d, "comment", lin_version());
	bom_raw(d, "}");
}

/* The comment of a package: the catalog's fields that SPDX has no
 * property for, "key: value; ...". */
typedef struct comment {
	bom_doc *d;
	int n;
} comment;

static void comment_field(void *ctx, const char *key, const char *val)
{
	comment *c = ctx;
	if (c->n++)
		lin_escape(c->d->json, "; ", LIN_ESC_JSON, 0);
	lin_escape(c->d->json, key, LIN_ESC_JSON, 0);
	lin_escape(c->d->json, ": ", LIN_ESC_JSON, 0);
	lin_escape(c->d->json, val, LIN_ESC_JSON, 0);
}

static void spdx_model(bom_doc *d, size_t p)
{
	const lin_model *m = bom_model(d, p);
	const lin_license *l = NULL;
	char lic[160], t[24], hub[200];
	comment c = {d, 0};
	if (d->org_first[p] == p) {
		element(d, "Organization");
		iri_n(d, "org/", p);
		creation(d);
		bom_kv(d, "name", m->org);
		bom_raw(d, "}");
	}
	int has_lic = bom_license_ref(m->license, lic, sizeof(lic), &l);
	if (has_lic && d->lic_first[p] == p) {
		element(d, "simplelicensing_LicenseExpression");
		iri_n(d, "license/", p);
		creation(d);
		bom_kv(d, "name", l ? l->name : m->license);
		bom_kv(d, "simplelicensing_licenseExpression", lic);
		if (l && l->url && strncmp(lic, "LicenseRef-", 11) == 0) {
			bom_raw(d, ",\"simplelicensing_customIdToUri\":[{\"type\":\"DictionaryEntry\"");
			bom_kv(d, "key", lic);
			bom_kv_url(d, "value", l->url);
			bom_raw(d, "}]");
		}
		bom_raw(d, "}");
	}
	element(d, "ai_AIPackage");
	iri(d, "model/", m->id);
	creation(d);
	bom_kv(d, "name", bom_name(m));
	bom_raw(d, ",\"comment\":\"");
	bom_each_field(m, comment_field, &c);
	bom_raw(d, "\"");
	if (d->org_first[p] != SIZE_MAX) {
		bom_raw(d, ",\"suppliedBy\":");
		iri_n(d, "org/", d->org_first[p]);
	} else {
		bom_raw(d, ",\"suppliedBy\":\"" NO_ASSERTION_ELEMENT "\"");
	}
	if (bom_release_time(m, t))
		bom_kv(d, "releaseTime", t);
	bom_raw(d, ",\"software_primaryPurpose\":\"model\",\"software_packageVersion\":\"NOASSERTION\"");
	const char *dl = bom_download(m);
	bom_kv_url(d, "software_downloadLocation", dl ? dl : "NOASSERTION");
	if (m->links.n)
		bom_kv_url(d, "software_homePage", m->links.items[0]);
	if (bom_hub_id(m, hub, sizeof(hub))) {
		bom_raw(d, ",\"software_packageUrl\":");
		bom_purl(d, hub);
	}
	if (m->arch != LIN_ARCH_UNKNOWN) {
		bom_raw(d, ",\"ai_typeOfModel\":[");
		bom_str(d, lin_arch_name(m->arch));
		bom_raw(d, "]");
	}
	bom_kv(d, "ai_informationAboutTraining", m->training_data);
	bom_raw(d, "}");
	if (has_lic) {
		element(d, "Relationship");
		iri_n(d, "relationship/license/", p);
		creation(d);
		bom_raw(d, ",\"from\":");
		iri(d, "model/", m->id);
		bom_raw(d, ",\"relationshipType\":\"hasDeclaredLicense\",\"to\":[");
		iri_n(d, "license/", d->lic_first[p]);
		bom_raw(d, "]}");
	}
}

static void spdx_edge(bom_doc *d, size_t k)
{
	const igraph_t *g = lin_catalog_graph(d->cat);
	igraph_integer_t e = d->edges[k];
	const lin_parent *par = lin_catalog_edge_parent(d->cat, e);
	element(d, "Relationship");
	iri_n(d, "relationship/ancestor/", k);
	creation(d);
	bom_raw(d, ",\"from\":");
	iri(d, "model/", lin_catalog_model(d->cat, IGRAPH_FROM(g, e))->id);
	bom_raw(d, ",\"relationshipType\":\"ancestorOf\",\"to\":[");
	iri(d, "model/", lin_catalog_model(d->cat, IGRAPH_TO(g, e))->id);
	bom_raw(d, "],\"comment\":\"relation: ");
	lin_escape(d->json, lin_relation_name(par->relation), LIN_ESC_JSON, 0);
	bom_raw(d, LIN_REL_WEIGHTS & LIN_REL_BIT(par->relation) ? "; carries weights: yes"
	                                                       : "; carries weights: no");
	if (par->variant) {
		bom_raw(d, "; variant: ");
		lin_escape(d->json, par->variant, LIN_ESC_JSON, 0);
	}
	if (par->note) {
		bom_raw(d, "; note: ");
		lin_escape(d->json, par->note, LIN_ESC_JSON, 0);
	}
	if (par->inferred)
		bom_raw(d, "; inferred from card heuristics, not stated");
	for (size_t i = 0; i < par->sources.n; i++) {
		bom_raw(d, "; source: ");
		lin_escape(d->json, par->sources.items[i], LIN_ESC_JSON, 0);
	}
	bom_raw(d, "\"}");
}

/* The document: every element above, the model as its root. */
static void spdx_end(bom_doc *d)
{
	const lin_model *m = bom_model(d, 0);
	element(d, "SpdxDocument");
	iri(d, "document", NULL);
	creation(d);
	bom_raw(d, ",\"name\":\"AI-BOM of ");
	lin_escape(d->json, bom_name(m), LIN_ESC_JSON, 0);
	bom_raw(d, "\",\"profileConformance\":[\"core\",\"software\",\"simpleLicensing\",\"ai\"],"
	           "\"rootElement\":[");
	iri(d, "model/", m->id);
	bom_raw(d, "],\"element\":[");
	iri(d, "agent/lineage", NULL);
	bom_raw(d, ",");
	iri(d, "tool/lineage", NULL);
	for (size_t p = 0; p < d->nv; p++) {
		char lic[160];
		const lin_license *l = NULL;
		int has_lic = bom_license_ref(bom_model(d, p)->license, lic, sizeof(lic), &l);
		if (d->org_first[p] == p)
			bom_raw(d, ","), iri_n(d, "org/", p);
		if (has_lic && d->lic_first[p] == p)
			bom_raw(d, ","), iri_n(d, "license/", p);
		bom_raw(d, ",");
		iri(d, "model/", bom_model(d, p)->id);
		if (has_lic)
			bom_raw(d, ","), iri_n(d, "relationship/license/", p);
	}
	for (size_t k = 0; k < d->ne; k++)
		bom_raw(d, ","), iri_n(d, "relationship/ancestor/", k);
	bom_raw(d, "]}]}");
}

const bom_backend lin_i_bom_spdx = {
	"spdx", spdx_begin, spdx_model, spdx_edge, spdx_end,
};
