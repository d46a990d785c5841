// SPDX-License-Identifier: GPL-2.0-only
/* xenstore path building shared by cp_xs.c and the tests' in-memory
 * xenstore (tests/fake_xs.c): one copy of the bounds check. */
#include <string.h>

#include "cp_xs.h"

int cp_xs_join(char *buf, const char *dir, const char *key)
{
	size_t a = strlen(dir), b = strlen(key);

	if (a + 1 + b >= CP_XS_PATH_MAX) {
		buf[0] = '\0';
		return -1;
	}
	memcpy(buf, dir, a);
	buf[a] = '/';
	memcpy(buf + a + 1, key, b + 1);
	return 0;
}
