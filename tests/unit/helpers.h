/*
 * helpers.h - fixtures the cmocka programs share: a finished catalog from a
 * path, a fixture, or YAML text, and a model's vertex by name, each failing
 * the test with the library's message when it cannot.
 */
#ifndef LIN_TEST_HELPERS_H
#define LIN_TEST_HELPERS_H

#include "lineage.h"

#include <stdio.h>
#include <string.h>

/* Loads and finishes the catalog at path (a file or a directory). */
static inline lin_catalog *th_load_path(const char *path)
{
	lin_catalog *cat = NULL;
	lin_error e;
	lin_error_clear(&e);
	if (lin_catalog_new(&cat, &e) || lin_catalog_load_path(cat, path, NULL, &e) ||
	    lin_catalog_finish(cat, NULL, &e))
		fail_msg("cannot load %s: %s", path, e.msg);
	return cat;
}

/* The same for a file or directory under tests/fixtures. */
static inline lin_catalog *th_load_fixture(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	return th_load_path(path);
}

/* Loads and finishes a catalog from YAML text; name is its file name in
 * positions and messages. */
static inline lin_catalog *th_load_buffer(const char *name, const char *text, size_t len)
{
	lin_catalog *cat = NULL;
	lin_error e;
	lin_error_clear(&e);
	if (lin_catalog_new(&cat, &e) || lin_catalog_load_buffer(cat, name, text, len, NULL, &e) ||
	    lin_catalog_finish(cat, NULL, &e))
		fail_msg("cannot load %s: %s", name, e.msg);
	return cat;
}

static inline lin_catalog *th_load_text(const char *text)
{
	return th_load_buffer("t.yaml", text, strlen(text));
}

/* The vertex of the model named q (id, name or alias). */
static inline igraph_integer_t th_find(const lin_catalog *cat, const char *q)
{
	igraph_integer_t v = -1;
	lin_error e;
	if (lin_catalog_find(&v, cat, q, &e) != 0)
		fail_msg("no model '%s': %s", q, e.msg);
	return v;
}

#endif
