// SPDX-License-Identifier: GPL-2.0-only
#include "strutil.h"

unsigned int xvif_strnlen(const char *s, unsigned int max)
{
	unsigned int n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

unsigned int xvif_strlcat(char *dst, const char *src, unsigned int len)
{
	unsigned int n;

	if (len == 0)
		return 0;
	n = xvif_strnlen(dst, len - 1);
	while (*src && n + 1 < len)
		dst[n++] = *src++;
	dst[n] = '\0';
	return n;
}

unsigned int xvif_strlcat_u64(char *dst, uint64_t v, unsigned int len)
{
	char digits[21];
	unsigned int i = sizeof(digits) - 1;

	digits[i] = '\0';
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return xvif_strlcat(dst, &digits[i], len);
}

bool xvif_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}
