/*
 * fuzz_import.c - libFuzzer harness for the Hugging Face card importer: any
 * bytes go in as a README.md card and as a bare YAML card; when the catalog
 * finishes, it is written as YAML, read back, and the two writes must be
 * the same bytes (the writer's round trip). Crashes, leaks, hangs, sanitizer
 * reports and a round-trip difference are findings.
 */
#include "lineage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* write(cat) must equal write(load(write(cat))). */
static void round_trip(const lin_catalog *cat)
{
	lin_buf a = LIN_BUF_INIT, b = LIN_BUF_INIT;
	lin_catalog *back = NULL;
	lin_error err;
	if (lin_catalog_write_yaml(&a, cat, &err) == 0 && lin_catalog_new(&back, &err) == 0) {
		if (lin_catalog_load_buffer(back, "w.yaml", a.data, a.len, NULL, &err) != 0 ||
		    lin_catalog_finish(back, NULL, &err) != 0 ||
		    lin_catalog_write_yaml(&b, back, &err) != 0 || a.len != b.len ||
		    memcmp(a.data, b.data, a.len) != 0)
			abort(); /* the writer wrote something the loader reads differently */
	}
	lin_catalog_free(back);
	lin_buf_dispose(&a);
	lin_buf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"org/name/README.md", "Org__Name.yaml"};
	for (size_t i = 0; i < 2; i++) {
		lin_catalog *cat = NULL;
		lin_diags diags;
		lin_error err;
		lin_import_report rep;
		lin_diags_init(&diags);
		if (lin_catalog_new(&cat, &err) == 0 &&
		    lin_import_hf_buffer(cat, names[i], (const char *)data, size, &rep, &diags, &err) == 0 &&
		    lin_catalog_finish(cat, &diags, &err) == 0)
			round_trip(cat);
		lin_diags_dispose(&diags);
		lin_catalog_free(cat);
	}
	return 0;
}
