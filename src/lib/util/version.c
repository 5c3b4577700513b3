/*
 * version.c - the library's version at run time, so that a program linked
 * against liblineage.so can tell which one it got (LIN_VERSION in lineage.h
 * is the one it was compiled against).
 */
#include "util.h"

const char *lin_version(void)
{
	return LIN_VERSION;
}
