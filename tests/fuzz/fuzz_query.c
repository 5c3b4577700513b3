/*
 * fuzz_query.c - libFuzzer harness for the query language: any bytes go in
 * as an expression, evaluated over a small fixed catalog (every relation
 * kind, a merge, a diamond, names with spaces and CJK). Crashes, leaks,
 * hangs and sanitizer reports are findings; errors are expected. Built
 * with -DLINEAGE_FUZZ=ON (clang).
 */
#include "lineage.h"

#include <stdlib.h>
#include <string.h>

static const char catalog[] =
	"- {id: base, name: Base Model, stage: pretrained, license: apache-2.0, released: '2022', sources: [s]}\n"
	"- {id: nc, name: 非商用, stage: pretrained, license: cc-by-nc-4.0, released: '2023-02', sources: [s]}\n"
	"- {id: ft, stage: sft, license: mit, released: '2023-03-01', weights: open, sources: [s], parents: [\n"
	"    {model: base, relation: finetune, sources: [s]}, {model: nc, relation: distill, sources: [s]}]}\n"
	"- {id: lora, stage: adapter, sources: [s], parents: [{model: ft, relation: adapter, sources: [s]}]}\n"
	"- {id: q, stage: quantized, sources: [s], parents: [{model: ft, relation: quantized, sources: [s]}]}\n"
	"- {id: m, stage: merged, architecture: decoder-only, sources: [s], parents: [\n"
	"    {model: lora, relation: merge, sources: [s]}, {model: q, relation: merge, sources: [s]}]}\n"
	"- {id: r, stage: rlhf, org: Lab, sources: [s], parents: [{model: m, relation: rlhf, sources: [s]},\n"
	"    {model: nc, relation: recipe, sources: [s]}]}\n";

static lin_catalog *cat;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lin_error err;
	igraph_vector_int_t set;
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	if (!cat) {
		lin_igraph_init();
		if (lin_catalog_new(&cat, &err) != 0 ||
		    lin_catalog_load_buffer(cat, "fuzz.yaml", catalog, sizeof(catalog) - 1, NULL, &err) != 0 ||
		    lin_catalog_finish(cat, NULL, &err) != 0)
			abort();
	}
	char *expr = malloc(size + 1);
	if (!expr || igraph_vector_int_init(&set, 0) != IGRAPH_SUCCESS) {
		free(expr);
		return 0;
	}
	memcpy(expr, data, size);
	expr[size] = 0;
	/* the first byte picks the relations followed, as --relation would */
	if (size)
		o.relations = (lin_relmask)(data[0] * 37u) & LIN_REL_ALL;
	if (lin_query_eval(&set, cat, expr, &o, &err) == 0) {
		lin_buf b = LIN_BUF_INIT;
		for (int f = 0; f < 3; f++)
			lin_export_set(&b, cat, &set, f);
		lin_buf_dispose(&b);
	}
	igraph_vector_int_destroy(&set);
	free(expr);
	return 0;
}
