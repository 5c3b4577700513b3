/*
 * fuzz_cache.c - libFuzzer harness for the binary index cache reader
 * (cache.c): any bytes go in as a cache image (copied to an aligned
 * buffer, as a mapping would be); when the image is accepted, every query
 * runs on the catalog it describes, building models from its records.
 * Crashes, leaks, hangs and sanitizer reports are findings. The seed corpus
 * holds real images (tests/fuzz/corpus/cache).
 */
#include "exercise.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lin_catalog *cat = NULL;
	lin_diags diags;
	lin_error err;
	igraph_integer_t v;
	uint64_t *copy = malloc(size + 8);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	lin_diags_init(&diags);
	if (lin_cache_load_image(&cat, copy, size, &diags, &err) == 0) {
		exercise(cat);
		for (igraph_integer_t i = 0; i < lin_catalog_count(cat); i++)
			lin_catalog_model(cat, i);
		lin_catalog_find(&v, cat, "llama", &err);
		lin_catalog_find(&v, cat, "base", &err);
	}
	lin_diags_dispose(&diags);
	lin_catalog_free(cat);
	free(copy);
	return 0;
}
