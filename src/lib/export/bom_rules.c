/*
 * bom_rules.c - what CycloneDX and SPDX share in an AI-BOM: the JSON
 * pieces, URLs made valid URIs, Hub ids and purls, release times, the
 * learning approach a stage implies, licence references, the model's
 * fields that have no place of their own, and the pedigree's bounds.
 */
#include "bom.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *bom_name(const lin_model *m)
{
	return m->name && *m->name ? m->name : m->id;
}

void bom_str(bom_doc *d, const char *s)
{
	lin_json_string(d->json, s);
}

void bom_raw(bom_doc *d, const char *s)
{
	lin_buf_puts(d->json, s);
}

void bom_kv(bom_doc *d, const char *key, const char *val)
{
	if (!val)
		return;
	lin_buf_puts(d->json, ",\"");
	lin_buf_puts(d->json, key);
	lin_buf_puts(d->json, "\":");
	lin_json_string(d->json, val);
}

void bom_url(bom_doc *d, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	lin_buf_puts(d->json, "\"");
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		int pct = *p == '%' && isxdigit(p[1]) && isxdigit(p[2]);
		if (*p > 0x20 && *p < 0x7f && !strchr("\"<>\\^`{|}", *p) && (*p != '%' || pct))
			lin_buf_append(d->json, (const char *)p, 1);
		else
			lin_buf_printf(d->json, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	lin_buf_puts(d->json, "\"");
}

void bom_kv_url(bom_doc *d, const char *key, const char *url)
{
	if (!url)
		return;
	lin_buf_puts(d->json, ",\"");
	lin_buf_puts(d->json, key);
	lin_buf_puts(d->json, "\":");
	bom_url(d, url);
}

/* A Hub name part: letters, digits, '-', '_', '.', at most 96 bytes. */
static size_t hub_part(const char *s)
{
	size_t n = 0;
	while (n <= 96 && s[n] && (strchr("-_.", s[n]) || (s[n] >= 'a' && s[n] <= 'z') ||
	                           (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9')))
		n++;
	return n <= 96 ? n : 0;
}

/* s is exactly ORG/NAME (then a '/' or nothing, when slash_end): copies it. */
static int hub_pair(const char *s, int slash_end, char *buf, size_t n)
{
	size_t a = hub_part(s), b = a && s[a] == '/' ? hub_part(s + a + 1) : 0;
	const char *end = s + a + 1 + b;
	if (!a || !b || (*end && !(slash_end && end[0] == '/' && !end[1])) || a + b + 2 > n)
		return 0;
	/* the Hub's own pages, not a model */
	static const char *const not_orgs[] = {"datasets", "spaces", "docs", "blog", "papers",
	                                       "collections", "organizations", "settings", NULL};
	for (size_t i = 0; not_orgs[i]; i++)
		if (strlen(not_orgs[i]) == a && strncmp(s, not_orgs[i], a) == 0)
			return 0;
	memcpy(buf, s, a + 1 + b);
	buf[a + 1 + b] = '\0';
	return 1;
}

int bom_hub_id(const lin_model *m, char *buf, size_t n)
{
	for (size_t i = 0; i < m->links.n; i++) {
		const char *l = m->links.items[i];
		if (strncasecmp(l, "https://huggingface.co/", 23) == 0 && hub_pair(l + 23, 1, buf, n))
			return 1;
	}
	return m->external && m->name && hub_pair(m->name, 0, buf, n);
}

void bom_purl(bom_doc *d, const char *hub_id)
{
	lin_buf_puts(d->json, "\"pkg:huggingface/");
	lin_escape(d->json, hub_id, LIN_ESC_URI_PATH, 0);
	lin_buf_puts(d->json, "\"");
}

const char *bom_link_type(const char *url)
{
	const char *host = strstr(url, "://");
	host = host ? host + 3 : url;
	if (strncasecmp(host, "www.", 4) == 0)
		host += 4;
	if (strncasecmp(host, "github.com/", 11) == 0 || strncasecmp(host, "gitlab.com/", 11) == 0)
		return "vcs";
	if (strncasecmp(host, "huggingface.co/", 15) == 0)
		return "distribution";
	return "website";
}

const char *bom_download(const lin_model *m)
{
	for (size_t i = 0; i < m->links.n; i++)
		if (strcmp(bom_link_type(m->links.items[i]), "distribution") == 0)
			return m->links.items[i];
	return m->links.n ? m->links.items[0] : NULL;
}

int bom_release_time(const lin_model *m, char buf[24])
{
	const char *r = m->released;
	int day = 1;
	if (!r || m->year <= 0)
		return 0;
	if (strlen(r) == 10 && r[7] == '-' && r[8] >= '0' && r[8] <= '3' && r[9] >= '0' &&
	    r[9] <= '9')
		day = (r[8] - '0') * 10 + (r[9] - '0');
	if (m->year > 9999 || m->month > 12 || m->month < 0 || day < 1 || day > 31)
		return 0;
	snprintf(buf, 24, "%04u-%02u-%02uT00:00:00Z", (unsigned)m->year % 10000u,
	         (unsigned)(m->month ? m->month : 1) % 100u, (unsigned)day % 100u);
	return 1;
}

const char *bom_approach(lin_stage s)
{
	switch (s) {
	case LIN_STAGE_PRETRAINED:
	case LIN_STAGE_CONTINUED_PRETRAIN:
		return "self-supervised";
	case LIN_STAGE_SFT:
	case LIN_STAGE_DISTILLED: /* trained on a teacher's outputs as labels */
		return "supervised";
	case LIN_STAGE_RLHF:
		return "reinforcement-learning";
	default:
		return NULL;
	}
}

int bom_license_ref(const char *id, char *buf, size_t n, const lin_license **entry)
{
	const lin_license *l = lin_license_lookup(id);
	*entry = l;
	if (!id || !*id || (l && !l->spdx))
		return 0;
	if (l) {
		snprintf(buf, n, "%s", l->spdx);
		return 1;
	}
	/* a card's licence outside the vocabulary: an idstring of its own */
	size_t k = (size_t)snprintf(buf, n, "LicenseRef-lineage-");
	for (const char *p = id; *p && k + 1 < n; p++)
		buf[k++] = (strchr(".-", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		            (*p >= '0' && *p <= '9')) ? *p : '-';
	buf[k] = '\0';
	return 1;
}

void bom_each_field(const lin_model *m, void (*fn)(void *ctx, const char *key, const char *val),
                    void *ctx)
{
	static const char *const placed[] = {"name", "org", "links", "parents", NULL};
	size_t n;
	const lin_field *f = lin_model_fields(&n);
	for (size_t i = 0; i < n; i++) {
		int skip = 0;
		for (size_t j = 0; placed[j]; j++)
			skip |= strcmp(f[i].key, placed[j]) == 0;
		if (skip)
			continue;
		if (f[i].kind == LIN_FIELD_LIST) {
			const lin_strlist *l = lin_field_list(m, &f[i]);
			for (size_t k = 0; k < l->n; k++)
				fn(ctx, f[i].key, l->items[k]);
			continue;
		}
		const char *v = lin_field_text(m, &f[i]);
		if (v && !(f[i].kind == LIN_FIELD_FLAG && strcmp(v, "false") == 0) &&
		    !(f[i].kind == LIN_FIELD_STAGE && m->stage == LIN_STAGE_UNKNOWN && m->external))
			fn(ctx, f[i].key, v);
	}
}

int bom_expand(bom_doc *d, size_t p, int depth, unsigned *nth)
{
	int first = d->seen[p] == 0;
	*nth = ++d->seen[p];
	d->written++;
	if (depth >= d->max_depth)
		return 0;
	return d->written <= d->budget || first;
}
