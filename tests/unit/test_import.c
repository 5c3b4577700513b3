/*
 * test_import.c - Hugging Face model-card import (import_hf.c): the exact
 * edges and relations read from each of the 40 real cards, relation
 * inference, README front matter, the cache layout, broken and hostile
 * cards, and the catalog YAML writer's round trip through the loader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lineage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define HF FIXTURES "/hf"

static lin_catalog *new_cat(void)
{
	lin_catalog *cat = NULL;
	lin_error e;
	assert_int_equal(lin_catalog_new(&cat, &e), 0);
	return cat;
}

static const lin_model *model(const lin_catalog *cat, const char *q)
{
	igraph_integer_t v = -1;
	lin_error e;
	if (lin_catalog_find(&v, cat, q, &e) != 0)
		fail_msg("find '%s': %s", q, e.msg);
	return lin_catalog_model(cat, v);
}

/* Imports path and finishes; checks the counts. */
static lin_catalog *import_path(const char *path, size_t taken, size_t skipped, lin_diags *d)
{
	lin_catalog *cat = new_cat();
	lin_import_report rep = {99, 99};
	lin_error e;
	assert_int_equal(lin_import_hf_path(cat, path, &rep, d, &e), 0);
	assert_int_equal(rep.taken, taken);
	assert_int_equal(rep.skipped, skipped);
	assert_int_equal(lin_catalog_finish(cat, d, &e), 0);
	return cat;
}

/* "ref:relation ref:relation" for a model's parents. */
static void edges_of(char *buf, size_t n, const lin_model *m)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < m->nparents && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s:%s", i ? " " : "",
		                         m->parents[i].ref, lin_relation_name(m->parents[i].relation));
}

/* ---- the 40 real cards ------------------------------------------------------ */

static const struct {
	const char *name, *stage, *edges;
} real[] = {
	{"allenai/olmOCR-7B-0225-preview", "sft", "Qwen/Qwen2-VL-7B-Instruct:finetune"},
	{"allenai/tulu-2-7b", "sft", "meta-llama/Llama-2-7b-hf:finetune"},
	{"allenai/tulu-2-dpo-7b", "sft", "meta-llama/Llama-2-7b-hf:finetune"},
	{"ApacheOne/ERNIE-Image-nvfp4_mixed", "quantized", "baidu/ERNIE-Image-Turbo:quantized Comfy-Org/ERNIE-Image:quantized"},
	{"argilla/notus-7b-v1", "sft", "alignment-handbook/zephyr-7b-sft-full:finetune"},
	{"asiansoul/Llama-3-Open-Ko-Linear-8B", "merged", "beomi/Llama-3-Open-Ko-8B:merge beomi/Llama-3-Open-Ko-8B-Instruct-preview:merge"},
	{"azaneko/HiDream-I1-Dev-nf4", "quantized", "HiDream-ai/HiDream-I1-Dev:quantized"},
	{"brucethemoose/Yi-34B-200K-DARE-megamerge-v8", "merged", ""}, /* tagged mergekit: not a base */
	{"cognitivecomputations/Dolphin3.0-R1-Mistral-24B", "sft", "mistralai/Mistral-Small-24B-Base-2501:finetune"},
	{"deepcogito/cogito-v1-preview-qwen-14B", "sft", "Qwen/Qwen2.5-14B:finetune"},
	{"eaddario/gemma-3-12b-it-pruned-GGUF", "quantized", "google/gemma-3-12b-it:quantized"},
	{"epfl-llm/meditron-7b", "sft", "meta-llama/Llama-2-7b:finetune"},
	{"google/gemma-3-1b-it-qat-q4_0-gguf", "quantized", "google/gemma-3-1b-it:quantized"},
	{"google/medgemma-27b-it", "sft", "google/gemma-3-27b-pt:finetune"},
	{"HuggingFaceH4/zephyr-7b-beta", "sft", "mistralai/Mistral-7B-v0.1:finetune"},
	{"Intel/neural-chat-7b-v3-1", "sft", "mistralai/Mistral-7B-v0.1:finetune"},
	{"Intel/neural-chat-7b-v3-3", "sft", "Intel/neural-chat-7b-v3-1:finetune"},
	{"KoboldAI/LLaMA2-13B-Estopia", "sft", "TheBloke/Llama-2-13B-fp16:finetune"},
	{"malhajar/meditron-7b-chat", "sft", "epfl-llm/meditron-7b:finetune"},
	{"mattshumer/Reflection-Llama-3.1-70B", "sft", "meta-llama/Meta-Llama-3.1-70B-Instruct:finetune"},
	{"MaziyarPanahi/Llama-3.1-8B-RainbowLight-EtherealMix-GGUF", "quantized", "ZeroXClem/Llama-3.1-8B-RainbowLight-EtherealMix:quantized"},
	{"Mihaiii/Metis-0.3", "sft", "mistralai/Mistral-7B-Instruct-v0.2:finetune"},
	{"Mihaiii/Metis-0.4", "sft", "Mihaiii/Metis-0.3:finetune"},
	{"mistralai/Devstral-Small-2507", "sft", "mistralai/Mistral-Small-3.1-24B-Instruct-2503:finetune"},
	{"mlabonne/NeuralBeagle14-7B", "sft", "mlabonne/Beagle14-7B:finetune"},
	{"mlabonne/NeuralHermes-2.5-Mistral-7B", "sft", "teknium/OpenHermes-2.5-Mistral-7B:finetune"},
	{"NousResearch/Nous-Hermes-2-Mixtral-8x7B-DPO", "sft", "mistralai/Mixtral-8x7B-v0.1:finetune"},
	{"NousResearch/Nous-Hermes-2-Mixtral-8x7B-SFT", "sft", "mistralai/Mixtral-8x7B-v0.1:finetune"},
	{"OpenPipe/mistral-ft-optimized-1227", "merged", "teknium/OpenHermes-2.5-Mistral-7B:merge Intel/neural-chat-7b-v3-3:merge meta-math/MetaMath-Mistral-7B:merge openchat/openchat-3.5-1210:merge"},
	{"pmysl/falcon-7b-alpaca-pl-qlora", "adapter", "tiiuae/falcon-7b:adapter"},
	{"Q-bert/Merged-AGI-7B", "merged", "Q-bert/MetaMath-Cybertron-Starling:merge fblgit/juanako-7b-UNA:merge"},
	{"Q-bert/MetaMath-Cybertron-Starling", "merged", "Q-bert/MetaMath-Cybertron:merge berkeley-nest/Starling-LM-7B-alpha:merge"},
	{"QuantFactory/Mistral-7B-OpenOrca-GGUF", "quantized", "Open-Orca/Mistral-7B-OpenOrca:quantized"},
	{"sethuiyer/Dr_Samantha-7b", "merged", "Severus27/BeingWell_llama2_7b:merge ParthasarathyShanmugam/llama-2-7b-samantha:merge"},
	{"Shaleen123/nousmistral_128k_medical_qa", "adapter", "NousResearch/Yarn-Mistral-7b-64k:adapter"},
	{"teknium/OpenHermes-2.5-Mistral-7B", "sft", "mistralai/Mistral-7B-v0.1:finetune"},
	{"TheBloke/Genz-70b-GPTQ", "quantized", "budecosystem/genz-70b:quantized"},
	{"TheBloke/Llama-2-13B-chat-GPTQ", "quantized", "meta-llama/Llama-2-13b-chat-hf:quantized"},
	{"unsloth/Qwen3-4B-GGUF", "quantized", "Qwen/Qwen3-4B:quantized"},
	{"Weyaxi/OpenHermes-2.5-neural-chat-v3-3-Slerp", "merged", "teknium/OpenHermes-2.5-Mistral-7B:merge Intel/neural-chat-7b-v3-3:merge"},
};

static void real_cards_give_exact_edges(void **state)
{
	(void)state;
	lin_diags d;
	char buf[1024];
	lin_diags_init(&d);
	lin_catalog *cat = import_path(HF "/real", 40, 0, &d);
	assert_int_equal(lin_catalog_count(cat), 75); /* 40 cards, 35 outside bases */
	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		const lin_model *m = model(cat, real[i].name);
		assert_string_equal(m->name, real[i].name);
		assert_false(m->external);
		assert_string_equal(lin_stage_name(m->stage), real[i].stage);
		edges_of(buf, sizeof(buf), m);
		assert_string_equal(buf, real[i].edges);
		for (size_t j = 0; j < m->nparents; j++)
			assert_true(m->parents[j].allow_external);
	}
	const lin_model *ext = model(cat, "mistralai/Mistral-7B-v0.1");
	assert_true(ext->external);
	assert_int_equal(ext->stage, LIN_STAGE_UNKNOWN);
	/* the three warnings: the URL base, the empty list, and a merge without bases */
	assert_int_equal(d.n, 3);
	assert_string_equal(d.items[0].msg, "base model 'https://huggingface.co/budecosystem/genz-70b' is a URL; read as 'budecosystem/genz-70b'");
	assert_int_equal(d.items[0].line, 2);
	assert_string_equal(d.items[1].msg, "'base_model' is an empty list");
	assert_string_equal(d.items[2].msg, "no base model, but the tag 'mergekit' says this is a merge; recorded as stage merged with unknown bases, not as a pretrained base");
	assert_int_equal(model(cat, "azaneko/HiDream-I1-Dev-nf4")->arch, LIN_ARCH_NON_LANGUAGE); /* text-to-image */
	assert_int_equal(model(cat, "teknium/OpenHermes-2.5-Mistral-7B")->arch, LIN_ARCH_UNKNOWN);
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
}

static void real_card_fields(void **state)
{
	(void)state;
	lin_catalog *cat = import_path(HF "/real", 40, 0, NULL);
	const lin_model *m = model(cat, "google/medgemma-27b-it");
	assert_string_equal(m->id, "google/medgemma-27b-it");
	assert_string_equal(m->org, "google");
	assert_string_equal(m->license, "other");
	assert_string_equal(m->license_note, "license_name: health-ai-developer-foundations; license_link: https://developers.google.com/health-ai-developer-foundations/terms");
	assert_int_equal(m->arch, LIN_ARCH_MULTIMODAL); /* pipeline_tag image-text-to-text */
	assert_int_equal(m->languages.n, 1);
	assert_string_equal(m->languages.items[0], "en");
	assert_string_equal(m->links.items[0], "https://huggingface.co/google/medgemma-27b-it");
	assert_string_equal(m->sources.items[0], HF "/real/google__medgemma-27b-it.yaml");
	assert_string_equal(m->parents[0].note, "inferred: one base model, no quantization or adapter sign");
	m = model(cat, "eaddario/gemma-3-12b-it-pruned-GGUF");
	assert_string_equal(m->license, "gemma"); /* a list of one */
	assert_string_equal(m->training_data, "eaddario/imatrix-calibration");
	m = model(cat, "azaneko/HiDream-I1-Dev-nf4");
	assert_string_equal(m->parents[0].note, "from base_model_relation");
	lin_catalog_free(cat);
}

/* A chain across cards: mistral -> neural-chat-v3-1 -> v3-3 -> Slerp merge. */
static void chains_across_cards(void **state)
{
	(void)state;
	lin_catalog *cat = import_path(HF "/real", 40, 0, NULL);
	lin_hits hits = {NULL, 0};
	lin_query_opts o = LIN_QUERY_OPTS_INIT;
	lin_error e;
	igraph_integer_t v;
	assert_int_equal(lin_catalog_find(&v, cat, "Weyaxi/OpenHermes-2.5-neural-chat-v3-3-Slerp", &e), 0);
	assert_int_equal(lin_query_reach(&hits, cat, v, IGRAPH_IN, &o, &e), 0);
	assert_int_equal(hits.n, 4);
	const char *want[] = {"intel/neural-chat-7b-v3-3", "teknium/openhermes-2.5-mistral-7b",
	                      "intel/neural-chat-7b-v3-1", "mistralai/mistral-7b-v0.1"};
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(lin_catalog_model(cat, hits.items[i].vertex)->id, want[i]);
	assert_int_equal(hits.items[3].distance, 2);
	lin_hits_dispose(&hits);
	lin_catalog_free(cat);
}

/* ---- README.md cards, the cache ---------------------------------------------- */

static void readme_cards_infer_each_relation(void **state)
{
	(void)state;
	char buf[512];
	lin_diags d;
	lin_diags_init(&d);
	lin_catalog *cat = import_path(HF "/readme", 10, 0, &d);
	static const struct { const char *id, *edges, *note; } want[] = {
		{"acme/base-7b", "", NULL},
		{"acme/chat-7b", "acme/base-7b:finetune", "inferred: one base model, no quantization or adapter sign"},
		{"acme/chat-7b-gguf", "acme/chat-7b:quantized", "inferred: 'GGUF' in the name"},
		{"acme/chat-lora", "acme/base-7b:adapter", "inferred: adapter_config.json in the repository"},
		{"other/merge-x", "acme/chat-7b:merge acme/base-7b:merge", "inferred: several base models"},
		{"other/tagged", "acme/base-7b:adapter", "from the tag base_model:adapter:acme/base-7b"},
		{"other/odd-case", "acme/chat-7b:adapter", "inferred: library_name peft"},
		{"other/url-base", "acme/base-7b:finetune", NULL},
		{"other/quant-config", "acme/base-7b:quantized", "inferred: quantization_config in config.json"},
		{"other/stated-merge", "acme/chat-7b:merge", "from base_model_relation"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const lin_model *m = model(cat, want[i].id);
		assert_string_equal(m->id, want[i].id);
		edges_of(buf, sizeof(buf), m);
		assert_string_equal(buf, want[i].edges);
		if (want[i].note)
			assert_string_equal(m->parents[0].note, want[i].note);
	}
	assert_int_equal(model(cat, "acme/base-7b")->stage, LIN_STAGE_PRETRAINED);
	assert_string_equal(model(cat, "acme/chat-7b-GGUF")->name, "acme/chat-7b-GGUF");
	assert_int_equal(d.n, 6);
	assert_string_equal(d.items[5].msg, "base model 'ACME/Chat-7B' is spelled 'acme/chat-7b' in its own card; using that");
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
}

static void cache_reads_the_main_snapshot(void **state)
{
	(void)state;
	lin_diags d;
	lin_diags_init(&d);
	lin_catalog *cat = import_path(HF "/cache/hub", 2, 1, &d); /* the GGUF-only repository */
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].file, HF "/cache/hub/models--acme--gguf-only/snapshots/4444dddd");
	assert_string_equal(d.items[0].msg, "no model card (README.md) in this cached repository, only GGUF files; not imported");
	lin_diags_dispose(&d);
	const lin_model *m = model(cat, "acme/cached-7b");
	assert_string_equal(m->parents[0].ref, "acme/chat-7b"); /* not the old snapshot's base */
	assert_int_equal(m->parents[0].relation, LIN_REL_QUANTIZED); /* a *.gguf file */
	assert_string_equal(m->sources.items[0], HF "/cache/hub/models--acme--cached-7b/snapshots/2222bbbb/README.md");
	assert_int_equal(model(cat, "acme/no-ref")->parents[0].relation, LIN_REL_ADAPTER);
	lin_catalog_free(cat);
}

/* ---- broken and hostile cards --------------------------------------------------- */

static void broken_cards_are_skipped_with_positions(void **state)
{
	(void)state;
	lin_diags d;
	lin_diags_init(&d);
	lin_catalog *cat = import_path(HF "/broken", 2, 9, &d);
	assert_int_equal(lin_diags_errors(&d), 0);
	assert_int_equal(d.n, 10);
	assert_string_equal(d.items[6].file, HF "/broken/acme__syntax.yaml");
	assert_int_equal(d.items[6].line, 3);
	assert_int_equal(d.items[6].col, 8);
	assert_string_equal(d.items[5].msg, "no YAML front matter (a '---' line must come first); card skipped");
	assert_int_equal(model(cat, "acme/empty")->stage, LIN_STAGE_PRETRAINED);
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
}

/* Imports one card from memory; returns the report. */
static lin_import_report import_text(lin_catalog *cat, const char *name, const char *text,
                                     size_t len, lin_diags *d)
{
	lin_import_report rep = {0, 0};
	lin_error e;
	assert_int_equal(lin_import_hf_buffer(cat, name, text, len, &rep, d, &e), 0);
	return rep;
}

static void readme_without_front_matter_is_a_warning(void **state)
{
	(void)state;
	lin_catalog *cat = new_cat();
	lin_diags d;
	lin_diags_init(&d);
	const char *t = "# A model\n\nNo front matter here.\n---\nbase_model: a/b\n---\n";
	lin_import_report r = import_text(cat, "org/name/README.md", t, strlen(t), &d);
	assert_int_equal(r.taken, 0);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(d.n, 1);
	assert_int_equal(lin_diags_errors(&d), 0);
	assert_string_equal(d.items[0].file, "org/name/README.md");
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
}

static void ids_in_documented_order(void **state)
{
	(void)state;
	lin_catalog *cat = new_cat();
	lin_error e;
	const char *t = "---\nmodel_name: GenZ 70B\nmodel-index:\n- name: other\n---\n";
	const char *u = "---\nmodel-index:\n- name: Index Name\n---\n";
	assert_int_equal(import_text(cat, "x/y/README.md", t, strlen(t), NULL).taken, 1);
	assert_int_equal(import_text(cat, "README.md", t, strlen(t), NULL).taken, 1);
	assert_int_equal(import_text(cat, "./README.md", u, strlen(u), NULL).taken, 1);
	assert_int_equal(import_text(cat, "hub/models--Org--Cached/snapshots/1/README.md", u, strlen(u), NULL).taken, 1);
	assert_int_equal(import_text(cat, "Org__File.yaml", u, strlen(u), NULL).taken, 1);
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	assert_string_equal(model(cat, "x/y")->name, "x/y");
	assert_string_equal(model(cat, "genz-70b")->name, "GenZ-70B");
	assert_string_equal(model(cat, "index-name")->name, "Index-Name");
	assert_string_equal(model(cat, "org/cached")->name, "Org/Cached");
	assert_string_equal(model(cat, "org/file")->name, "Org/File");
	lin_catalog_free(cat);
}

static void relations_by_precedence(void **state)
{
	(void)state;
	lin_catalog *cat = new_cat();
	lin_diags d;
	lin_error e;
	lin_diags_init(&d);
	const char *a = "---\nbase_model: [x/one, x/two]\nbase_model_relation: finetuned\n---\n";
	const char *b = "---\ntags: [base_model:quantized:x/one, base_model:x/two]\n---\n";
	const char *c = "---\nbase_model: x/one\ntags: [GPTQ]\nlibrary_name: peft\n---\n";
	const char *s = "---\nbase_model: [x/one, X/One, o/self]\n---\n";
	import_text(cat, "o__a.yaml", a, strlen(a), &d);
	import_text(cat, "o__b.yaml", b, strlen(b), &d);
	import_text(cat, "o__c.yaml", c, strlen(c), &d);
	import_text(cat, "o__self.yaml", s, strlen(s), &d);
	assert_int_equal(lin_catalog_finish(cat, &d, &e), 0);
	char buf[256];
	edges_of(buf, sizeof(buf), model(cat, "o/a"));
	assert_string_equal(buf, "x/one:merge x/two:merge");
	edges_of(buf, sizeof(buf), model(cat, "o/b"));
	assert_string_equal(buf, "x/one:quantized x/two:merge");
	edges_of(buf, sizeof(buf), model(cat, "o/c"));
	assert_string_equal(buf, "x/one:quantized");
	edges_of(buf, sizeof(buf), model(cat, "o/self"));
	assert_string_equal(buf, "x/one:finetune");
	/* inferred: only where neither base_model_relation nor a tag says */
	const lin_model *mb = model(cat, "o/b"), *mc = model(cat, "o/c");
	assert_true(model(cat, "o/a")->parents[0].inferred);  /* an unknown stated relation */
	assert_false(mb->parents[0].inferred);                /* the tag's quantized */
	assert_true(mb->parents[1].inferred);                 /* no tag relation: several bases */
	assert_true(mc->parents[0].inferred);                 /* GPTQ */
	assert_true(model(cat, "o/self")->parents[0].inferred);
	assert_string_equal(d.items[0].msg, "unknown base_model_relation 'finetuned' (expected adapter, merge, quantized or finetune); inferring it");
	assert_string_equal(d.items[1].msg, "base model 'X/One' is listed twice; the repeat is ignored");
	assert_string_equal(d.items[2].msg, "'o/self' names itself as its base model; ignored");
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void huge_and_hostile_cards(void **state)
{
	(void)state;
	size_t big = 10u << 20;
	char *t = malloc(big + 64);
	lin_catalog *cat = new_cat();
	lin_diags d;
	lin_diags_init(&d);
	assert_non_null(t);
	/* 10 MB of front matter: refused by the 1 MiB limit, fast */
	int n = sprintf(t, "---\nbase_model: a/b\nx: ");
	memset(t + n, 'a', big);
	strcpy(t + n + big, "\n---\n");
	double t0 = seconds();
	assert_int_equal(import_text(cat, "o__big.yaml", t, strlen(t), &d).skipped, 1);
	/* a 10 MB README body after small front matter: imported */
	n = sprintf(t, "---\nbase_model: a/b\n---\n");
	memset(t + n, 'b', big);
	t[n + big] = '\0';
	assert_int_equal(import_text(cat, "o/body/README.md", t, strlen(t), &d).taken, 1);
	assert_true(seconds() - t0 < 2.0);
	assert_string_equal(d.items[0].msg, "front matter larger than 1 MiB; card skipped");
	/* invalid UTF-8, a NUL inside, a deep nest */
	const char bad[] = "---\nbase_model: a/\xff\n---\n";
	const char nul[] = "---\nbase_model: \"a/b\\0c\"\nlicense: \"x\\0y\"\n---\n";
	assert_int_equal(import_text(cat, "o__u.yaml", bad, sizeof(bad) - 1, &d).skipped, 1);
	assert_int_equal(import_text(cat, "o__n.yaml", nul, sizeof(nul) - 1, &d).taken, 1);
	assert_int_equal(d.n, 4);
	assert_string_equal(d.items[2].msg, "an item of 'license' contains a NUL character; ignored");
	assert_int_equal(d.items[3].line, 2);
	assert_int_equal(d.items[3].col, 13);
	free(t);
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
}

static void finished_catalog_refuses_imports(void **state)
{
	(void)state;
	lin_catalog *cat = new_cat();
	lin_error e;
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	assert_int_equal(lin_import_hf_path(cat, HF "/real", NULL, NULL, &e), LIN_EINVAL);
	lin_catalog_free(cat);
	cat = new_cat();
	assert_int_equal(lin_import_hf_path(cat, HF "/nope", NULL, NULL, &e), LIN_EIO);
	lin_catalog_free(cat);
}

static void detects_card_directories(void **state)
{
	(void)state;
	assert_true(lin_import_hf_is_cards(HF "/real"));
	assert_true(lin_import_hf_is_cards(HF "/readme"));
	assert_true(lin_import_hf_is_cards(HF "/cache/hub"));
	assert_true(lin_import_hf_is_cards(HF "/readme/acme/chat-7b/README.md"));
	assert_false(lin_import_hf_is_cards(FIXTURES "/mini"));
	assert_false(lin_import_hf_is_cards(FIXTURES "/mini/10-base.yaml"));
	assert_false(lin_import_hf_is_cards(HF "/nope"));
}

/* A Hugging Face cache of k repositories laid out to loop: each has its
 * card as a link into blobs/ (as the Hub client writes it) in a real
 * snapshot, and snapshots/main -> ../.. named by refs/main, a snapshot
 * link to /, and a plain directory link back to the hub. Walked, this was
 * k^16 visits (k = 2 took 5 s); now every card once, links never entered. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void make_dir(char *path, size_t n, const char *root, const char *rel)
{
	snprintf(path, n, "%s/%s", root, rel);
	char *p = path + strlen(root) + 1;
	for (; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

static void make_link(const char *target, const char *root, const char *rel)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

static void remove_tree(const char *root)
{
	char cmd[1100];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

static void looping_cache_is_walked_once(void **state)
{
	(void)state;
	char root[] = "/tmp/lin-test-loopXXXXXX", dir[1024], rel[256];
	assert_non_null(mkdtemp(root));
	for (int k = 0; k < 4; k++) {
		snprintf(rel, sizeof(rel), "hub/models--org--m%d/blobs", k);
		make_dir(dir, sizeof(dir), root, rel);
		put_file(dir, "0123abcd", "---\nbase_model: org/base\n---\n");
		snprintf(rel, sizeof(rel), "hub/models--org--m%d/snapshots/1111aaaa", k);
		make_dir(dir, sizeof(dir), root, rel);
		snprintf(rel, sizeof(rel), "hub/models--org--m%d/snapshots/1111aaaa/README.md", k);
		make_link("../../blobs/0123abcd", root, rel);
		snprintf(rel, sizeof(rel), "hub/models--org--m%d/refs", k);
		make_dir(dir, sizeof(dir), root, rel);
		put_file(dir, "main", k == 3 ? "root\n" : "main\n");
		snprintf(rel, sizeof(rel), "hub/models--org--m%d/snapshots/main", k);
		make_link("../..", root, rel);
		snprintf(rel, sizeof(rel), "hub/models--org--m%d/snapshots/root", k);
		make_link("/", root, rel);
	}
	make_link(".", root, "hub/again");        /* a plain directory link */
	make_link("/", root, "hub/README.md");    /* a card name linking to a directory */
	snprintf(dir, sizeof(dir), "%s/hub", root);

	lin_diags d;
	lin_diags_init(&d);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lin_catalog *cat = import_path(dir, 4, 1, &d); /* the README.md -> / is skipped */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1000);
	for (int k = 0; k < 4; k++) {
		snprintf(rel, sizeof(rel), "org/m%d", k);
		const lin_model *m = model(cat, rel);
		assert_string_equal(m->parents[0].ref, "org/base");
		assert_non_null(strstr(m->sources.items[0], "/snapshots/1111aaaa/README.md"));
	}
	/* one warning per repository whose refs/main names a link, none for
	 * the links that are simply not entered */
	size_t linked = 0;
	for (size_t i = 0; i < d.n; i++)
		linked += strstr(d.items[i].msg, "the snapshot refs/main names is a symbolic link") != NULL;
	assert_int_equal(linked, 4);
	lin_diags_dispose(&d);
	lin_catalog_free(cat);

	/* `--data DIR` asks whether DIR holds cards: the same walk, as fast */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_true(lin_import_hf_is_cards(dir));
	snprintf(dir, sizeof(dir), "%s/hub/models--org--m0/snapshots/1111aaaa/README.md", root);
	assert_int_equal(unlink(dir), 0);
	for (int k = 1; k < 4; k++) {
		snprintf(dir, sizeof(dir), "%s/hub/models--org--m%d", root, k);
		remove_tree(dir);
	}
	snprintf(dir, sizeof(dir), "%s/hub/README.md", root);
	assert_int_equal(unlink(dir), 0);
	snprintf(dir, sizeof(dir), "%s/hub", root);
	assert_false(lin_import_hf_is_cards(dir)); /* no card left: the whole walk */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1000);
	remove_tree(root);
}

/* ---- the YAML writer ------------------------------------------------------------ */

/* write(cat) == write(load(write(cat))), and the card models read back
 * field for field. */
static void round_trip(lin_catalog *cat)
{
	lin_buf a = LIN_BUF_INIT, b = LIN_BUF_INIT;
	lin_error e;
	lin_catalog *back = new_cat();
	assert_int_equal(lin_catalog_write_yaml(&a, cat, &e), 0);
	if (lin_catalog_load_buffer(back, "w.yaml", a.data, a.len, NULL, &e) != 0)
		fail_msg("reload: %d:%d %s", e.line, e.col, e.msg);
	assert_int_equal(lin_catalog_finish(back, NULL, &e), 0);
	assert_int_equal(lin_catalog_write_yaml(&b, back, &e), 0);
	assert_string_equal(a.data, b.data);
	assert_int_equal(lin_catalog_count(back), lin_catalog_count(cat));
	for (igraph_integer_t v = 0; v < lin_catalog_count(cat); v++) {
		const lin_model *m = lin_catalog_model(cat, v), *r = model(back, m->id);
		if (m->external)
			continue;
		assert_string_equal(r->id, m->id);
		assert_string_equal(r->name, m->name);
		assert_int_equal(r->stage, m->stage);
		assert_int_equal(r->nparents, m->nparents);
		for (size_t j = 0; j < m->nparents; j++) {
			assert_string_equal(r->parents[j].ref, m->parents[j].ref);
			assert_string_equal(r->parents[j].note, m->parents[j].note);
			assert_int_equal(r->parents[j].relation, m->parents[j].relation);
			assert_int_equal(r->parents[j].inferred, m->parents[j].inferred);
		}
		if (m->license_note)
			assert_string_equal(r->license_note, m->license_note);
		assert_int_equal(r->sources.n, m->sources.n);
		assert_string_equal(r->sources.items[0], m->sources.items[0]);
	}
	lin_buf_dispose(&a);
	lin_buf_dispose(&b);
	lin_catalog_free(back);
}

static void writer_round_trips_real_cards(void **state)
{
	(void)state;
	lin_catalog *cat = import_path(HF "/real", 40, 0, NULL);
	round_trip(cat);
	lin_catalog_free(cat);
	cat = import_path(HF "/readme", 10, 0, NULL);
	round_trip(cat);
	lin_catalog_free(cat);
}

static void writer_escapes_hostile_text(void **state)
{
	(void)state;
	lin_catalog *cat = new_cat();
	lin_error e;
	lin_buf out = LIN_BUF_INIT;
	const char *t = "---\nlicense_name: \"q\\\" b\\\\ t\\t n\\n cr\\r bel\\a nel\\N ls\\L ps\\P bom\\uFEFF c1\\x9b del\\x7f \xf0\x9f\xa6\x99 # : - [\"\n"
	                "license: '*a &b !c {d}'\ndatasets: [\"-\", \"? x\", \"%y\", \"@z\", \"`w\"]\n---\n";
	assert_int_equal(import_text(cat, "bad\xff" "dir/o__x.yaml", t, strlen(t), NULL).taken, 1);
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	const lin_model *m = model(cat, "o/x");
	assert_string_equal(m->sources.items[0], "bad\xef\xbf\xbd" "dir/o__x.yaml");
	assert_int_equal(lin_catalog_write_yaml(&out, cat, &e), 0);
	assert_non_null(strstr(out.data, "license_note: \"license_name: q\\\" b\\\\ t\\t n\\n cr\\r bel\\x07 nel\\x85 ls\\u2028 ps\\u2029 bom\\uFEFF c1\\x9B del\\x7F \xf0\x9f\xa6\x99 # : - [\"\n"));
	round_trip(cat);
	lin_buf_dispose(&out);
	lin_catalog_free(cat);
}


/* The rows of a Hub metadata table made from the same 40 real cards give the
 * same models, stages and edges as the cards. */
static void table_rows_match_the_real_cards(void **state)
{
	(void)state;
	lin_catalog *cat = new_cat();
	lin_import_report rep = {0, 0};
	lin_error e;
	char buf[1024];
	assert_int_equal(lin_import_hf_table(cat, HF "/table/real-cards.csv", &rep, NULL, &e), 0);
	assert_int_equal(rep.taken, 40);
	assert_int_equal(rep.skipped, 0);
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	assert_int_equal(lin_catalog_count(cat), 75);
	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		const lin_model *m = model(cat, real[i].name);
		assert_string_equal(lin_stage_name(m->stage), real[i].stage);
		edges_of(buf, sizeof(buf), m);
		assert_string_equal(buf, real[i].edges);
	}
	assert_int_equal(model(cat, "azaneko/HiDream-I1-Dev-nf4")->arch, LIN_ARCH_NON_LANGUAGE);
	assert_int_not_equal(lin_import_hf_table(cat, HF "/table/real-cards.csv", &rep, NULL, &e), 0); /* finished */
	lin_catalog_free(cat);
}

/* ---- big tables, read in pieces ---------------------------------------------- */

#define BIG_ROWS 100000 /* ~11 MB: past the size at which a table is cut */

/* Writes a table of BIG_ROWS rows, each model the fine-tune of the row
 * before; one bad id after row BIG_ROWS - 10, the base of row BIG_ROWS - 5
 * spelled in other case than its card, and with lines > 0 a quoted cell of
 * that many line breaks in the middle row, so that the cut falls inside
 * it. *bad and *odd receive the two rows' lines. */
static void write_big_table(const char *path, int lines, int *bad, int *odd)
{
	FILE *f = fopen(path, "w");
	int line = 1;
	assert_non_null(f);
	fprintf(f, "id,base_model,base_model_relation,createdAt,pad,tags\n");
	for (int i = 0; i < BIG_ROWS; i++) {
		char base[64] = "";
		line++;
		if (i)
			snprintf(base, sizeof(base), i == BIG_ROWS - 5 ? "ORG%d/m%d" : "org%d/M%d",
			         (i - 1) % 97, i - 1);
		if (i == BIG_ROWS - 5)
			*odd = line;
		fprintf(f, "org%d/M%d,%s,,2024-01-02T00:00:00.000Z,", i % 97, i, base);
		if (i == BIG_ROWS / 2 && lines > 0) {
			fputc('"', f);
			for (int k = 0; k < lines; k++, line++)
				fprintf(f, "a line of a quoted cell, \"\"quoted\"\", then a break\n");
			fputc('"', f);
		} else {
			fprintf(f, "padding to make the row as long as a real one with its card data");
		}
		fprintf(f, ",\"[\"\"t%d\"\"]\"\n", i % 7);
		if (i == BIG_ROWS - 10)
			fprintf(f, "not an id!,,,,,\n"), *bad = ++line;
	}
	assert_int_equal(fclose(f), 0);
}

/* Imports the table and checks every row's model and edge, and the two
 * warnings at their lines. */
static void check_big_table(const char *path, int bad, int odd)
{
	lin_catalog *cat = new_cat();
	lin_import_report rep = {0, 0};
	lin_diags d;
	lin_error e;
	char id[64], want[64];
	lin_diags_init(&d);
	assert_int_equal(lin_import_hf_table(cat, path, &rep, &d, &e), 0);
	assert_int_equal(rep.taken, BIG_ROWS);
	assert_int_equal(rep.skipped, 1);
	assert_int_equal(d.n, 2);
	lin_diags_sort(&d);
	assert_int_equal(d.items[0].line < d.items[1].line ? d.items[0].line : d.items[1].line, bad);
	assert_int_equal(d.items[0].line < d.items[1].line ? d.items[1].line : d.items[0].line, odd);
	assert_non_null(strstr(d.items[d.items[0].line == bad ? 0 : 1].msg, "is not a Hugging Face model id"));
	assert_non_null(strstr(d.items[d.items[0].line == odd ? 0 : 1].msg, "is spelled"));
	assert_int_equal(lin_catalog_finish(cat, NULL, &e), 0);
	assert_int_equal(lin_catalog_count(cat), BIG_ROWS);
	for (int i = 0; i < BIG_ROWS; i++) {
		snprintf(id, sizeof(id), "org%d/M%d", i % 97, i);
		const lin_model *m = model(cat, id);
		assert_string_equal(m->name, id);
		assert_int_equal(m->nparents, i ? 1 : 0);
		if (!i)
			continue;
		snprintf(want, sizeof(want), "org%d/m%d", (i - 1) % 97, i - 1);
		assert_string_equal(lin_catalog_model(cat, m->parents[0].vertex)->id, want);
		assert_int_equal(m->parents[0].relation, LIN_REL_FINETUNE);
	}
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
}

/* A big table is read in pieces on threads; the models, edges, messages
 * and their lines are those of a reading from the start, also when a cut
 * falls inside a quoted cell with line breaks (then it is read whole). */
static void big_tables_read_in_pieces(void **state)
{
	(void)state;
	char dir[] = "/tmp/lin-test-tableXXXXXX", path[128];
	int bad = 0, odd = 0;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.csv", dir);
	write_big_table(path, 0, &bad, &odd);
	check_big_table(path, bad, odd);
	/* the middle row's cell is 16,000 lines (~900 KB), so the cut at the
	 * middle byte lands inside it */
	write_big_table(path, 16000, &bad, &odd);
	check_big_table(path, bad, odd);
	unlink(path);
	rmdir(dir);
}

/* ---- the join with the curated catalog ------------------------------------- */

static const char curated[] =
	"- id: mistral-7b\n"
	"  name: Mistral 7B\n"
	"  aliases: [Mistral-7B-v0.1, mistralai/Mistral-7B-v0.1]\n"
	"  stage: pretrained\n"
	"  license: apache-2.0\n"
	"  sources: [https://arxiv.org/abs/2310.06825]\n"
	"- id: zephyr-7b\n"
	"  name: Zephyr-7B\n"
	"  aliases: [HuggingFaceH4/zephyr-7b-beta]\n"
	"  stage: rlhf\n"
	"  license: mit\n"
	"  sources: [https://arxiv.org/abs/2310.16944]\n"
	"  parents:\n"
	"    - model: mistral-7b\n"
	"      relation: finetune\n"
	"      sources: [https://arxiv.org/abs/2310.16944]\n";

/* The real cards whose base_model is mistralai/Mistral-7B-v0.1, and a card
 * of that repository itself, with a curated catalog that lists the Hub id
 * as an alias: one Mistral 7B node (the curated one), every card's edge on
 * it, and the Zephyr card folded into the curated Zephyr. */
static void hub_ids_join_curated_models(void **state)
{
	(void)state;
	static const char base_card[] = "---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\n";
	lin_catalog *cat = new_cat();
	lin_import_report rep = {0, 0};
	lin_diags d;
	lin_error e;
	lin_diags_init(&d);
	assert_int_equal(lin_import_hf_path(cat, HF "/real", &rep, &d, &e), 0);
	assert_int_equal(lin_import_hf_buffer(cat, "mistralai__Mistral-7B-v0.1.yaml", base_card,
	                                      sizeof(base_card) - 1, &rep, &d, &e), 0);
	assert_int_equal(lin_catalog_load_buffer(cat, "curated.yaml", curated, sizeof(curated) - 1, &d, &e), 0);
	assert_int_equal(lin_catalog_finish(cat, &d, &e), 0);
	const lin_model *mistral = model(cat, "mistralai/Mistral-7B-v0.1");
	assert_string_equal(mistral->id, "mistral-7b");
	assert_int_equal(mistral->external, 0);
	size_t named = 0;
	for (igraph_integer_t v = 0; v < lin_catalog_count(cat); v++) {
		const lin_model *m = lin_catalog_model(cat, v);
		named += strstr(m->id, "mistral-7b-v0.1") != NULL;
	}
	assert_int_equal(named, 0); /* no second, external or card, Mistral 7B */
	static const char *const on_mistral[] = {"teknium/OpenHermes-2.5-Mistral-7B",
	                                         "Intel/neural-chat-7b-v3-1"};
	for (size_t i = 0; i < 2; i++) {
		const lin_model *m = model(cat, on_mistral[i]);
		assert_int_equal(m->nparents, 1);
		assert_string_equal(lin_catalog_model(cat, m->parents[0].vertex)->id, "mistral-7b");
	}
	const lin_model *z = model(cat, "HuggingFaceH4/zephyr-7b-beta");
	assert_string_equal(z->id, "zephyr-7b");
	lin_diags_dispose(&d);
	lin_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_cards_give_exact_edges),
		cmocka_unit_test(real_card_fields),
		cmocka_unit_test(chains_across_cards),
		cmocka_unit_test(readme_cards_infer_each_relation),
		cmocka_unit_test(cache_reads_the_main_snapshot),
		cmocka_unit_test(broken_cards_are_skipped_with_positions),
		cmocka_unit_test(readme_without_front_matter_is_a_warning),
		cmocka_unit_test(ids_in_documented_order),
		cmocka_unit_test(relations_by_precedence),
		cmocka_unit_test(huge_and_hostile_cards),
		cmocka_unit_test(finished_catalog_refuses_imports),
		cmocka_unit_test(detects_card_directories),
		cmocka_unit_test(looping_cache_is_walked_once),
		cmocka_unit_test(writer_round_trips_real_cards),
		cmocka_unit_test(writer_escapes_hostile_text),
		cmocka_unit_test(hub_ids_join_curated_models),
		cmocka_unit_test(table_rows_match_the_real_cards),
		cmocka_unit_test(big_tables_read_in_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
