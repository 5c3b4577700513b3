/*
 * fields.c - a model's fields, described once. The schema checks, the JSON,
 * YAML and text writers, the HTML card and the cache image iterate this
 * table, so a new writer adds a format, not another copy of the field list.
 */
#include "core.h"

#include <pthread.h>
#include <stddef.h>

#define AT(member) offsetof(lin_model, member)

/* The catalog's order. Brief JSON records (lists, hits) carry id, name,
 * stage, org and released, in that order: what a result line needs. */
static const lin_field fields[] = {
	{"id", "id", "id", LIN_FIELD_TEXT, AT(id), 1, LIN_FIELD_HEADING},
	{"name", "name", "name", LIN_FIELD_TEXT, AT(name), 2, LIN_FIELD_HEADING},
	{"aliases", "aliases", "aliases", LIN_FIELD_LIST, AT(aliases), 0, 0},
	{"org", "org", "organisation", LIN_FIELD_TEXT, AT(org), 4, 0},
	{"released", "released", "released", LIN_FIELD_TEXT, AT(released), 5, 0},
	{"params", "params", "parameters", LIN_FIELD_LIST, AT(params), 0, 0},
	{"stage", "stage", "stage", LIN_FIELD_STAGE, AT(stage), 3, 0},
	{"external", "external", "external", LIN_FIELD_FLAG, AT(external), 0,
	 LIN_FIELD_HEADING | LIN_FIELD_NO_JSON},
	{"architecture", "architecture", "architecture", LIN_FIELD_ARCH, AT(arch), 0, 0},
	{"weights", "weights", "weights", LIN_FIELD_WEIGHTS, AT(weights), 0, 0},
	{"license", "license", "licence", LIN_FIELD_TEXT, AT(license), 6, 0},
	{"license_note", "license note", "licence note", LIN_FIELD_TEXT, AT(license_note), 0, 0},
	{"languages", "languages", "languages", LIN_FIELD_LIST, AT(languages), 0, 0},
	{"training_data", "training data", "training data", LIN_FIELD_TEXT, AT(training_data), 0, 0},
	{"links", "links", "links", LIN_FIELD_LIST, AT(links), 0, LIN_FIELD_URLS},
	{"sources", "sources", "sources", LIN_FIELD_LIST, AT(sources), 0, LIN_FIELD_URLS},
	{"parents", "parents", "derived from", LIN_FIELD_PARENTS, AT(parents), 0, 0},
};

const lin_field *lin_model_fields(size_t *n)
{
	if (n)
		*n = sizeof(fields) / sizeof(fields[0]);
	return fields;
}

const char *lin_field_text(const lin_model *m, const lin_field *f)
{
	const char *at = (const char *)m + f->offset;
	switch (f->kind) {
	case LIN_FIELD_TEXT:
		return *(char *const *)(const void *)at;
	case LIN_FIELD_STAGE:
		return lin_stage_name(*(const lin_stage *)(const void *)at);
	case LIN_FIELD_ARCH:
		return lin_arch_name(*(const lin_arch *)(const void *)at);
	case LIN_FIELD_WEIGHTS:
		return lin_weights_name(*(const lin_weights *)(const void *)at);
	case LIN_FIELD_FLAG:
		return *(const int *)(const void *)at ? "true" : "false";
	default:
		return NULL;
	}
}

const lin_strlist *lin_field_list(const lin_model *m, const lin_field *f)
{
	if (f->kind != LIN_FIELD_LIST)
		return NULL;
	return (const lin_strlist *)(const void *)((const char *)m + f->offset);
}

/* Views derived from the table once per process, so neither a million
 * entries' key checks nor a million JSON records rebuild them. */
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
static const char *keys[NFIELDS + 1];    /* NULL-terminated */
static const lin_field *brief[NFIELDS]; /* by brief position */
static size_t nbrief;
static pthread_once_t derived = PTHREAD_ONCE_INIT;

static void derive(void)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		keys[i] = fields[i].key;
		if (fields[i].brief > 0 && (size_t)fields[i].brief <= NFIELDS)
			brief[fields[i].brief - 1] = &fields[i];
	}
	/* positions are 1, 2, 3, ...: stop at the first gap */
	while (nbrief < NFIELDS && brief[nbrief])
		nbrief++;
}

const char *const *lin_i_field_keys(void)
{
	pthread_once(&derived, derive);
	return keys;
}

const lin_field *const *lin_i_fields_brief(size_t *n)
{
	pthread_once(&derived, derive);
	*n = nbrief;
	return brief;
}
