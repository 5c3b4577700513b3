/*
 * import.h - Hugging Face model cards -> catalog models (hf.c). Sits beside
 * load/: both fill a catalog that core finishes.
 */
#ifndef LIN_IMPORT_H
#define LIN_IMPORT_H

#include "core/core.h"

#endif
