/*
 * bom.h - the AI-BOM writer's façade (bom.c) and its backends
 * (bom_cyclonedx.c, bom_spdx.c), in the manner of curl's vtls: the façade
 * decides what goes in, each backend is one struct of function pointers
 * that spells it, and both call the rules they share (bom_rules.c).
 */
#ifndef LIN_EXPORT_BOM_H
#define LIN_EXPORT_BOM_H

#include "export.h"

/* What a BOM holds, as the façade worked it out. Positions: 0 is the
 * model the BOM is about, then its ancestors, nearest first (ties by id:
 * lin_query_reach's order). */
typedef struct bom_doc {
	lin_buf *json;               /* the document, compact JSON */
	const lin_catalog *cat;
	size_t nv;
	igraph_integer_t *verts;     /* position -> catalog vertex */
	int *pos;                    /* catalog vertex -> position, -1: not in */
	size_t ne;
	igraph_integer_t *edges;     /* the catalog edges between them, by child's
	                                position, each child's in catalog order */
	size_t *first;               /* position p's edges: edges[first[p] .. first[p + 1]) */
	size_t *org_first;           /* the first position with p's org (SIZE_MAX: none) */
	size_t *lic_first;           /* the same for the licence id */
	/* the pedigree's bounds and state (bom_expand) */
	size_t budget, written;
	int max_depth;
	unsigned *seen;              /* per position: appearances in pedigrees */
	char created[24];            /* SPDX: the newest release time, else the epoch */
} bom_doc;

/* One format (curl's struct Curl_ssl). The façade calls begin, then model
 * for each position in order, then edge for each index of edges, then end;
 * a NULL hook is skipped. Each appends compact JSON to d->json. */
typedef struct bom_backend {
	const char *name;
	void (*begin)(bom_doc *d);
	void (*model)(bom_doc *d, size_t p);
	void (*edge)(bom_doc *d, size_t k);
	void (*end)(bom_doc *d);
} bom_backend;

extern const bom_backend lin_i_bom_cyclonedx, lin_i_bom_spdx;

/* Stands for the document's UUID while it is written: 36 bytes the JSON
 * escaper never lets through (it writes a control character as \u0001),
 * replaced by the UUID of the finished bytes. */
#define BOM_UUID_MARK                                                          \
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" \
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"

/* ---- what the formats share (bom_rules.c) ------------------------------------ */

static inline const lin_model *bom_model(const bom_doc *d, size_t p)
{
	return lin_catalog_model(d->cat, d->verts[p]);
}

/* The model's display name: its name, else its id. */
const char *bom_name(const lin_model *m);

/* Appends s as a JSON string; ,"key":"val" (nothing when val is NULL). */
void bom_str(bom_doc *d, const char *s);
void bom_kv(bom_doc *d, const char *key, const char *val);
void bom_raw(bom_doc *d, const char *s);

/* Appends url as a JSON string that is a valid URI: spaces, quotes, <>\^`{|},
 * controls, a '%' not followed by two hex digits and every byte past ASCII
 * percent-encoded (the catalog checks a link's scheme, not its syntax);
 * ,"key":url (nothing when url is NULL). */
void bom_url(bom_doc *d, const char *url);
void bom_kv_url(bom_doc *d, const char *key, const char *url);

/* The Hugging Face Hub id "ORG/NAME" of m into buf: from a link
 * https://huggingface.co/ORG/NAME, else (a base known only from a card)
 * from an external model's name of that form. 0 when m has none. */
int bom_hub_id(const lin_model *m, char *buf, size_t n);

/* Appends the purl of a Hub id: pkg:huggingface/ORG/NAME, percent-encoded. */
void bom_purl(bom_doc *d, const char *hub_id);

/* The first link on huggingface.co, else the first link; NULL: none. */
const char *bom_download(const lin_model *m);

/* "vcs" (GitHub, GitLab), "distribution" (the Hub) or "website". */
const char *bom_link_type(const char *url);

/* m's release date as an xsd:dateTime ("2023-03-01T00:00:00Z": a month or
 * a year alone counts from its first day) into buf; 0 when unknown. */
int bom_release_time(const lin_model *m, char buf[24]);

/* The CycloneDX learning approach a stage implies ("supervised" for sft,
 * "reinforcement-learning" for rlhf, "self-supervised" for pre-training);
 * NULL where the stage says nothing about it (merges, quantizations...). */
const char *bom_approach(lin_stage s);

/* The SPDX id or LicenseRef of a catalog licence id into buf (a licence
 * outside the table: "LicenseRef-lineage-" and the id, other characters
 * as '-'); the table entry (NULL outside it) in *entry. 0 when the licence
 * is unknown or not recorded: then there is nothing to declare. */
int bom_license_ref(const char *id, char *buf, size_t n, const lin_license **entry);

/* Calls fn for each recorded field of m that has no place of its own in
 * a BOM's component (every field but name, org, links and parents;
 * a list once per item; a flag only when set), in the field table's order:
 * key ("license_note") and value. */
void bom_each_field(const lin_model *m, void (*fn)(void *ctx, const char *key, const char *val),
                    void *ctx);

/* Whether an appearance of position p at nesting depth `depth` (the
 * model's direct parents are at 1) is expanded with its own ancestors:
 * within LIN_BOM_MAX_DEPTH (or o->depth), and while fewer than the budget
 * of components were written or p appears for the first time. Counts the
 * appearance; *nth receives its number (1, 2, ...). */
int bom_expand(bom_doc *d, size_t p, int depth, unsigned *nth);

/* ---- the façade (bom.c) ---------------------------------------------------- */

/* lin_export_bom with the pedigree's bounds as parameters (tests). */
int lin_i_export_bom(lin_buf *out, const lin_catalog *cat, igraph_integer_t v,
                     lin_bom_format fmt, const lin_query_opts *o, size_t budget,
                     int max_depth, lin_error *err);

#endif
