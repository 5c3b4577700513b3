/*
 * diags.c - a catalog's diagnostics for machines: the JSON array `check
 * --format json` writes, and SARIF 2.1.0, the format code-scanning
 * services (GitHub, GitLab, Azure DevOps) annotate pull requests from.
 */
#include "export.h"

#include <stdint.h>
#include <string.h>

/* A JSON string, or null for an empty one (a diagnostic naming no file). */
static void string_or_null(lin_buf *out, const char *s)
{
	if (*s)
		lin_json_string(out, s);
	else
		lin_buf_puts(out, "null");
}

int lin_export_diags_json(lin_buf *out, const lin_diags *d)
{
	lin_buf_puts(out, d->n ? "[\n" : "[]\n");
	for (size_t i = 0; i < d->n; i++) {
		const lin_error *e = &d->items[i];
		lin_buf_puts(out, " {\"file\":");
		string_or_null(out, e->file);
		lin_buf_printf(out, ",\"line\":%d,\"col\":%d,\"severity\":\"%s\",\"code\":\"%s\",\"message\":",
		               e->line > 0 ? e->line : 0, e->col > 0 ? e->col : 0,
		               d->is_warning[i] ? "warning" : "error", lin_error_name(e->code));
		lin_json_string(out, e->msg);
		lin_buf_puts(out, i + 1 < d->n ? "},\n" : "}\n");
	}
	if (d->n)
		lin_buf_puts(out, "]\n");
	return out->oom ? LIN_ENOMEM : 0;
}

/* A file name as a URI reference (RFC 3986): unreserved bytes and '/' as
 * they are, every other byte percent-encoded, so a space or a '#' in a
 * name cannot change what the URI points at. An absolute name becomes a
 * file: URI; a relative one stays relative to the working directory (the
 * repository root in CI, SARIF's usual base). */
static void put_uri(lin_buf *out, const char *path)
{
	lin_buf uri = LIN_BUF_INIT;
	if (path[0] == '/')
		lin_buf_puts(&uri, "file://");
	lin_escape(&uri, path, LIN_ESC_URI_PATH, 0);
	lin_json_string(out, uri.data ? uri.data : "");
	if (uri.oom)
		out->oom = 1;
	lin_buf_dispose(&uri);
}

/* The rules are the codes that occur, in code order: index i of the rules
 * array is ruleIndex for results of that code. */
static size_t rule_index(const int *rules, size_t nrules, int code)
{
	for (size_t i = 0; i < nrules; i++)
		if (rules[i] == code)
			return i;
	return SIZE_MAX;
}

static void sarif_result(lin_buf *out, const lin_error *e, int warning, size_t index)
{
	lin_buf_printf(out, "{\"ruleId\":\"%s\",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":",
	               lin_error_name(e->code), index, warning ? "warning" : "error");
	lin_json_string(out, e->msg);
	lin_buf_puts(out, "}");
	if (e->file[0]) {
		lin_buf_puts(out, ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		put_uri(out, e->file);
		lin_buf_puts(out, "}");
		if (e->line > 0) {
			lin_buf_printf(out, ",\"region\":{\"startLine\":%d", e->line);
			if (e->col > 0)
				lin_buf_printf(out, ",\"startColumn\":%d", e->col);
			lin_buf_puts(out, "}");
		}
		lin_buf_puts(out, "}}]");
	}
	lin_buf_puts(out, "}");
}

int lin_export_diags_sarif(lin_buf *out, const lin_diags *d)
{
	int rules[32];
	size_t nrules = 0;
	/* the distinct codes, ascending by name's code value: deterministic */
	for (int code = 0; code > -32 && nrules < 32; code--)
		for (size_t i = 0; i < d->n; i++)
			if (d->items[i].code == code) {
				rules[nrules++] = code;
				break;
			}
	lin_buf_puts(out, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\n"
	                  " \"runs\":[{\"tool\":{\"driver\":{\"name\":\"lineage\",\"version\":");
	lin_json_string(out, lin_version());
	lin_buf_puts(out, ",\"rules\":[");
	for (size_t r = 0; r < nrules; r++) {
		lin_buf_printf(out, "%s\n  {\"id\":\"%s\",\"shortDescription\":{\"text\":", r ? "," : "",
		               lin_error_name(rules[r]));
		lin_json_string(out, lin_error_meaning(rules[r]));
		lin_buf_puts(out, "}}");
	}
	lin_buf_puts(out, nrules ? "\n ]}},\n \"results\":[" : "]}},\n \"results\":[");
	for (size_t i = 0; i < d->n; i++) {
		lin_buf_puts(out, i ? ",\n  " : "\n  ");
		sarif_result(out, &d->items[i], d->is_warning[i],
		             rule_index(rules, nrules, d->items[i].code));
	}
	lin_buf_puts(out, d->n ? "\n ]}]}\n" : "]}]}\n");
	return out->oom ? LIN_ENOMEM : 0;
}
