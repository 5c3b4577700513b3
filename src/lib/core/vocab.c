/*
 * vocab.c - the catalog's controlled vocabularies (relation kinds, stages,
 * architectures, weights) and their names. data/README.md documents them;
 * keep the two in step.
 */
#include "core.h"

#include <string.h>

static const char *const rel_names[LIN_REL_COUNT] = {
	"finetune", "adapter", "merge", "quantized", "continued-pretrain",
	"rlhf", "distill", "multimodal", "recipe", "upcycle", "prune",
};

static const char *const stage_names[LIN_STAGE_COUNT] = {
	"pretrained", "continued-pretrain", "sft", "rlhf", "distilled",
	"merged", "quantized", "adapter", "multimodal", "unknown",
};

static const char *const arch_names[LIN_ARCH_COUNT] = {
	"decoder-only", "encoder-only", "encoder-decoder", "prefix-lm", "moe",
	"multimodal", "non-language",
};

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *lin_relation_name(lin_relation r)
{
	return (r >= 0 && r < LIN_REL_COUNT) ? rel_names[r] : NULL;
}

const char *lin_stage_name(lin_stage s)
{
	return (s >= 0 && s < LIN_STAGE_COUNT) ? stage_names[s] : NULL;
}

const char *lin_arch_name(lin_arch a)
{
	return (a >= 0 && a < LIN_ARCH_COUNT) ? arch_names[a] : NULL;
}

const char *lin_weights_name(lin_weights w)
{
	return w == LIN_WEIGHTS_OPEN ? "open" : w == LIN_WEIGHTS_CLOSED ? "closed" : NULL;
}

int lin_relation_parse(const char *s)
{
	return lookup(rel_names, LIN_REL_COUNT, s);
}

int lin_stage_parse(const char *s)
{
	return lookup(stage_names, LIN_STAGE_COUNT, s);
}

int lin_arch_parse(const char *s)
{
	return lookup(arch_names, LIN_ARCH_COUNT, s);
}

int lin_relmask_parse(lin_relmask *out, const char *list, lin_error *err)
{
	lin_relmask m = 0;
	const char *p = list ? list : "";
	if (!*p || strcmp(p, "all") == 0) {
		*out = LIN_REL_ALL;
		return 0;
	}
	while (*p) {
		const char *q = strchr(p, ',');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		char word[32];
		int r = -1;
		if (n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			r = lin_relation_parse(word);
		}
		if (r < 0)
			return lin_i_fail(err, LIN_EINVAL, NULL, 0, 0,
			                "unknown relation kind '%.*s' (expected one of "
			                "finetune, adapter, merge, quantized, "
			                "continued-pretrain, rlhf, distill, multimodal, "
			                "recipe, upcycle, prune)",
			                (int)(n > 64 ? 64 : n), p);
		m |= LIN_REL_BIT(r);
		p = q ? q + 1 : p + n;
	}
	*out = m;
	return 0;
}
