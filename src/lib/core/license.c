/*
 * license.c - the catalog's licence ids, described once: each one's SPDX
 * identifier (or the LicenseRef- the BOM writers use where SPDX has none),
 * its full name, where its text is, and its class. The drift audit of
 * `check`, `lineage licenses` and the BOMs all read this table;
 * data/README.md documents it (keep the two in step).
 */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#define REF "LicenseRef-lineage-"

/* Sorted by id (lin_license_lookup searches it by halves). SPDX ids are
 * from the SPDX licence list the CycloneDX 1.6 schema enumerates; a
 * community or research licence SPDX does not list gets a LicenseRef. */
static const lin_license licenses[] = {
	{"afl-3.0", "AFL-3.0", "Academic Free License v3.0", NULL, LIN_LICENSE_PERMISSIVE},
	{"agpl-3.0", "AGPL-3.0-only", "GNU Affero General Public License v3.0", NULL, LIN_LICENSE_COPYLEFT},
	{"apache-2.0", "Apache-2.0", "Apache License 2.0", NULL, LIN_LICENSE_PERMISSIVE},
	{"artistic-2.0", "Artistic-2.0", "Artistic License 2.0", NULL, LIN_LICENSE_PERMISSIVE},
	{"bigcode-openrail-m", REF "bigcode-openrail-m", "BigCode OpenRAIL-M v1",
	 "https://huggingface.co/spaces/bigcode/bigcode-model-license-agreement", LIN_LICENSE_RAIL},
	{"bigscience-bloom-rail-1.0", REF "bigscience-bloom-rail-1.0", "BigScience BLOOM RAIL 1.0",
	 "https://huggingface.co/spaces/bigscience/license", LIN_LICENSE_RAIL},
	{"bigscience-openrail-m", REF "bigscience-openrail-m", "BigScience OpenRAIL-M",
	 "https://www.licenses.ai/blog/2022/8/26/bigscience-open-rail-m-license", LIN_LICENSE_RAIL},
	{"bsd-2-clause", "BSD-2-Clause", "BSD 2-Clause \"Simplified\" License", NULL, LIN_LICENSE_PERMISSIVE},
	{"bsd-3-clause", "BSD-3-Clause", "BSD 3-Clause \"New\" or \"Revised\" License", NULL, LIN_LICENSE_PERMISSIVE},
	{"bsl-1.0", "BSL-1.0", "Boost Software License 1.0", NULL, LIN_LICENSE_PERMISSIVE},
	{"cc-by-4.0", "CC-BY-4.0", "Creative Commons Attribution 4.0 International", NULL, LIN_LICENSE_PERMISSIVE},
	{"cc-by-nc-3.0", "CC-BY-NC-3.0", "Creative Commons Attribution Non Commercial 3.0 Unported", NULL,
	 LIN_LICENSE_NONCOMMERCIAL},
	{"cc-by-nc-4.0", "CC-BY-NC-4.0", "Creative Commons Attribution Non Commercial 4.0 International",
	 NULL, LIN_LICENSE_NONCOMMERCIAL},
	{"cc-by-nc-nd-4.0", "CC-BY-NC-ND-4.0",
	 "Creative Commons Attribution Non Commercial No Derivatives 4.0 International", NULL,
	 LIN_LICENSE_NONCOMMERCIAL},
	{"cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0",
	 "Creative Commons Attribution Non Commercial Share Alike 4.0 International", NULL,
	 LIN_LICENSE_NONCOMMERCIAL},
	{"cc-by-sa-4.0", "CC-BY-SA-4.0", "Creative Commons Attribution Share Alike 4.0 International", NULL,
	 LIN_LICENSE_COPYLEFT},
	{"cc0-1.0", "CC0-1.0", "Creative Commons Zero v1.0 Universal", NULL, LIN_LICENSE_PERMISSIVE},
	{"creativeml-openrail-m", REF "creativeml-openrail-m", "CreativeML OpenRAIL-M",
	 "https://huggingface.co/spaces/CompVis/stable-diffusion-license", LIN_LICENSE_RAIL},
	{"ecl-2.0", "ECL-2.0", "Educational Community License v2.0", NULL, LIN_LICENSE_PERMISSIVE},
	{"epl-2.0", "EPL-2.0", "Eclipse Public License 2.0", NULL, LIN_LICENSE_COPYLEFT},
	{"gemma", REF "gemma", "Gemma Terms of Use", "https://ai.google.dev/gemma/terms",
	 LIN_LICENSE_COMMUNITY},
	{"gpl-2.0", "GPL-2.0-only", "GNU General Public License v2.0 only", NULL, LIN_LICENSE_COPYLEFT},
	{"gpl-3.0", "GPL-3.0-only", "GNU General Public License v3.0 only", NULL, LIN_LICENSE_COPYLEFT},
	{"isc", "ISC", "ISC License", NULL, LIN_LICENSE_PERMISSIVE},
	{"lgpl-2.1", "LGPL-2.1-only", "GNU Lesser General Public License v2.1 only", NULL,
	 LIN_LICENSE_COPYLEFT},
	{"lgpl-3.0", "LGPL-3.0-only", "GNU Lesser General Public License v3.0 only", NULL,
	 LIN_LICENSE_COPYLEFT},
	{"llama-research", REF "llama-research", "LLaMA non-commercial research licence",
	 "https://github.com/facebookresearch/llama/blob/57b0eb62de0636e75af471e49e2f1862d908d9d8/MODEL_CARD.md",
	 LIN_LICENSE_NONCOMMERCIAL},
	{"llama2", REF "llama2", "Llama 2 Community License Agreement",
	 "https://ai.meta.com/llama/license/", LIN_LICENSE_COMMUNITY},
	{"llama3", REF "llama3", "Meta Llama 3 Community License Agreement",
	 "https://llama.meta.com/llama3/license/", LIN_LICENSE_COMMUNITY},
	{"llama3.1", REF "llama3.1", "Llama 3.1 Community License Agreement",
	 "https://llama.meta.com/llama3_1/license/", LIN_LICENSE_COMMUNITY},
	{"llama3.2", REF "llama3.2", "Llama 3.2 Community License Agreement",
	 "https://www.llama.com/llama3_2/license/", LIN_LICENSE_COMMUNITY},
	{"llama3.3", REF "llama3.3", "Llama 3.3 Community License Agreement",
	 "https://www.llama.com/llama3_3/license/", LIN_LICENSE_COMMUNITY},
	{"mit", "MIT", "MIT License", NULL, LIN_LICENSE_PERMISSIVE},
	{"mpl-2.0", "MPL-2.0", "Mozilla Public License 2.0", NULL, LIN_LICENSE_COPYLEFT},
	{"odc-by", "ODC-By-1.0", "Open Data Commons Attribution License v1.0", NULL, LIN_LICENSE_PERMISSIVE},
	{"openrail", REF "openrail", "Open RAIL", "https://www.licenses.ai/", LIN_LICENSE_RAIL},
	{"openrail++", REF "openrail-plus-plus", "Open RAIL++-M", "https://www.licenses.ai/",
	 LIN_LICENSE_RAIL},
	{"other", REF "other", "a licence of the model's own (see its licence note)", NULL,
	 LIN_LICENSE_OTHER},
	{"proprietary", REF "proprietary", "proprietary: weights not released, use under the maker's terms",
	 NULL, LIN_LICENSE_PROPRIETARY},
	{"unknown", NULL, "unknown", NULL, LIN_LICENSE_UNKNOWN},
	{"unlicense", "Unlicense", "The Unlicense", NULL, LIN_LICENSE_PERMISSIVE},
	{"wtfpl", "WTFPL", "Do What The F*ck You Want To Public License", NULL, LIN_LICENSE_PERMISSIVE},
	{"zlib", "Zlib", "zlib License", NULL, LIN_LICENSE_PERMISSIVE},
};
#define NLICENSES (sizeof(licenses) / sizeof(licenses[0]))

static const char *const class_names[LIN_LICENSE_CLASS_COUNT] = {
	"unknown", "permissive", "copyleft", "open-rail", "community",
	"non-commercial", "proprietary", "other",
};

const lin_license *lin_licenses(size_t *n)
{
	if (n)
		*n = NLICENSES;
	return licenses;
}

static int by_id(const void *key, const void *elt)
{
	return strcmp(key, ((const lin_license *)elt)->id);
}

const lin_license *lin_license_lookup(const char *id)
{
	if (!id)
		return NULL;
	return bsearch(id, licenses, NLICENSES, sizeof(licenses[0]), by_id);
}

lin_license_class lin_license_classify(const char *id)
{
	const lin_license *l = lin_license_lookup(id);
	return l ? l->cls : LIN_LICENSE_UNKNOWN;
}

const char *lin_license_class_name(lin_license_class c)
{
	return (unsigned)c < LIN_LICENSE_CLASS_COUNT ? class_names[c] : "unknown";
}

/* Classes whose terms forbid what a permissive licence allows: commercial
 * use (non-commercial), use beyond an acceptable-use policy or a size cap
 * (community licences), or any redistribution (proprietary). */
int lin_license_restricts(lin_license_class c)
{
	return c == LIN_LICENSE_NONCOMMERCIAL || c == LIN_LICENSE_COMMUNITY ||
	       c == LIN_LICENSE_PROPRIETARY;
}

/* Classes that promise a user more than a restricting ancestor allows
 * (commercial use under standard terms). */
int lin_license_promises(lin_license_class c)
{
	return c == LIN_LICENSE_PERMISSIVE || c == LIN_LICENSE_COPYLEFT || c == LIN_LICENSE_RAIL;
}

/* The drift rule as one pass in topological order, instead of a search
 * upward from every model: a vertex inherits the chain of the parent whose
 * own chain to a restricting ancestor is shortest (ties: the parent
 * listed first, the catalog's order). */
int lin_i_license_trace(lin_license_trace *t, const lin_catalog *cat,
                        const igraph_vector_int_t *order, lin_relmask mask, lin_error *err)
{
	int rc = 0;
	igraph_integer_t n = lin_catalog_count(cat);
	size_t room = (size_t)(n ? n : 1);
	memset(t, 0, sizeof(*t));
	t->n = n;
	t->src = malloc(room * sizeof(*t->src));
	t->via = malloc(room * sizeof(*t->via));
	t->len = malloc(room * sizeof(*t->len));
	if (!t->src || !t->via || !t->len) {
		rc = lin_i_fail(err, LIN_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (igraph_integer_t v = 0; v < n; v++)
		t->src[v] = t->via[v] = -1, t->len[v] = 0;
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(order); i++) {
		igraph_integer_t v = VECTOR(*order)[i];
		const lin_model *m = lin_catalog_model(cat, v);
		if (lin_license_restricts(lin_license_classify(m->license))) {
			t->src[v] = v;
			continue;
		}
		for (size_t j = 0; j < m->nparents; j++) {
			igraph_integer_t p = m->parents[j].vertex;
			if (p < 0 || !(mask & LIN_REL_BIT(m->parents[j].relation)) || t->src[p] < 0)
				continue;
			if (t->src[v] < 0 || t->len[p] + 1 < t->len[v])
				t->src[v] = t->src[p], t->via[v] = (igraph_integer_t)j, t->len[v] = t->len[p] + 1;
		}
	}
done:
	if (rc)
		lin_i_license_trace_dispose(t);
	return rc;
}

void lin_i_license_trace_dispose(lin_license_trace *t)
{
	free(t->src);
	free(t->via);
	free(t->len);
	t->src = t->via = t->len = NULL;
	t->n = 0;
}

/* At most this many steps of a drift chain are spelled out in a message. */
#define DRIFT_STEPS 4

int lin_i_license_drift(const lin_license_trace *t, const lin_catalog *cat, igraph_integer_t v)
{
	return t->src[v] >= 0 && t->src[v] != v &&
	       lin_license_promises(lin_license_classify(lin_catalog_model(cat, v)->license));
}

/* The direct case keeps its short message ("... by finetune"); a deeper
 * one spells out the chain: "in 2 steps: quantized from 'ft', finetune
 * from 'base'". */
int lin_i_license_drift_text(lin_buf *b, const lin_catalog *cat, const lin_license_trace *t,
                             igraph_integer_t v)
{
	const lin_model *m = lin_catalog_model(cat, v), *top = lin_catalog_model(cat, t->src[v]);
	lin_buf_printf(b, "licence drift: '%.64s' is %s but derives from '%.64s' (%s) ", m->id,
	               m->license, top->id, top->license);
	if (t->len[v] == 1)
		return lin_buf_printf(b, "by %s", lin_relation_name(m->parents[t->via[v]].relation));
	lin_buf_printf(b, "in %lld steps: ", (long long)t->len[v]);
	for (int step = 0; v != t->src[v]; step++) {
		const lin_parent *p = &lin_catalog_model(cat, v)->parents[t->via[v]];
		if (step == DRIFT_STEPS)
			return lin_buf_puts(b, ", ...");
		lin_buf_printf(b, "%s%s from '%.64s'", step ? ", " : "", lin_relation_name(p->relation),
		               lin_catalog_model(cat, p->vertex)->id);
		v = p->vertex;
	}
	return b->oom ? LIN_ENOMEM : 0;
}
