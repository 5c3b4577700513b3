/*
 * fuzz_catalog.c - libFuzzer harness for the catalog loader: any bytes go in
 * as a catalog file; when they load, the graph is built and every query and
 * the DOT writer run on it. Crashes, leaks, hangs and sanitizer reports are
 * findings. Built with -DLINEAGE_FUZZ=ON (clang).
 */
#include "lineage.h"


#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lin_catalog *cat = NULL;
	lin_diags diags;
	lin_error err;
	igraph_integer_t v;
	lin_diags_init(&diags);
	if (lin_catalog_new(&cat, &err) != 0)
		return 0;
	if (lin_catalog_load_buffer(cat, "fuzz.yaml", (const char *)data, size, &diags, &err) == 0 &&
	    lin_catalog_finish(cat, &diags, &err) == 0) {
		exercise(cat);
		lin_catalog_find(&v, cat, "llama", &err);
	}
	lin_diags_dispose(&diags);
	lin_catalog_free(cat);
	return 0;
}
