/*
 * style.c - the visual vocabulary every backend shares: a fill colour per
 * stage, a line style and colour per relation kind, so Graphviz, Mermaid
 * and the HTML page tell them apart the same way.
 */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- visual vocabulary ----------------------------------------------------- */

/* A pastel fill per stage, distinct at a glance. */
static const char *const stage_fills[LIN_STAGE_COUNT] = {
	[LIN_STAGE_PRETRAINED] = "#aecbfa",
	[LIN_STAGE_CONTINUED_PRETRAIN] = "#a8dadc",
	[LIN_STAGE_SFT] = "#b7e4c7",
	[LIN_STAGE_RLHF] = "#ffd6a5",
	[LIN_STAGE_DISTILLED] = "#d8c8f0",
	[LIN_STAGE_MERGED] = "#fdf3a7",
	[LIN_STAGE_QUANTIZED] = "#e2e2e2",
	[LIN_STAGE_ADAPTER] = "#ffc8dd",
	[LIN_STAGE_MULTIMODAL] = "#f7b9a1",
	[LIN_STAGE_UNKNOWN] = "#ffffff",
};

const lin_rel_look lin_i_rel_looks[LIN_REL_COUNT] = {
	[LIN_REL_FINETUNE] = {"#2f3e46", "solid", "1.4", "normal", "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x96\xb6"},
	[LIN_REL_ADAPTER] = {"#2a9d8f", "dashed", "1.4", "normal", "\xe2\x95\x8c\xe2\x95\x8c\xe2\x95\x8c\xe2\x96\xb6"},
	[LIN_REL_MERGE] = {"#8a5a44", "bold", "2.2", "normal", "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x96\xb6"},
	[LIN_REL_QUANTIZED] = {"#6c757d", "dotted", "1.6", "normal", "\xe2\x94\x88\xe2\x94\x88\xe2\x94\x88\xe2\x96\xb6"},
	[LIN_REL_CONTINUED_PRETRAIN] = {"#1f6fb2", "solid", "1.6", "normal", "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x96\xb6"},
	[LIN_REL_RLHF] = {"#e4572e", "solid", "1.6", "normal", "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x96\xb6"},
	[LIN_REL_DISTILL] = {"#8d99ae", "dashed", "1.4", "onormal", "\xe2\x95\x8c\xe2\x95\x8c\xe2\x95\x8c\xe2\x96\xb7"},
	[LIN_REL_MULTIMODAL] = {"#7b2cbf", "solid", "1.6", "normal", "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x96\xb6"},
	[LIN_REL_RECIPE] = {"#9aa3ab", "dotted", "1.4", "empty", "\xe2\x94\x88\xe2\x94\x88\xe2\x94\x88\xe2\x96\xb7"},
	[LIN_REL_UPCYCLE] = {"#2d6a4f", "bold", "2.2", "normal", "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x96\xb6"},
	[LIN_REL_PRUNE] = {"#bc4749", "dashed", "1.4", "tee", "\xe2\x95\x8c\xe2\x95\x8c\xe2\x95\x8c\xe2\x94\xa4"},
};

const char *lin_i_stage_fill(int stage)
{
	return (stage >= 0 && stage < LIN_STAGE_COUNT) ? stage_fills[stage] : "#ffffff";
}

const char *lin_i_relation_color(lin_relation r)
{
	return ((int)r >= 0 && r < LIN_REL_COUNT) ? lin_i_rel_looks[r].color : "#6c757d";
}

