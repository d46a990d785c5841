/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few string helpers common/ needs, written here because common/ links
 * nothing from libc but memcpy/memset/memcmp (it is also kernel code).
 * All of them bound every write by the destination size and NUL-terminate.
 */
#ifndef XVIF_STRUTIL_H
#define XVIF_STRUTIL_H

#include "xvif_shim.h"

/* Length of @s, at most @max. */
unsigned int xvif_strnlen(const char *s, unsigned int max);
/* Append @src to the string in @dst (size @len); truncates. Returns the new length. */
unsigned int xvif_strlcat(char *dst, const char *src, unsigned int len);
/* Append the decimal form of @v; truncates. Returns the new length. */
unsigned int xvif_strlcat_u64(char *dst, uint64_t v, unsigned int len);
/* Equal strings? */
bool xvif_streq(const char *a, const char *b);

#endif
