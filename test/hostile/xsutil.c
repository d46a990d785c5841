// SPDX-License-Identifier: GPL-2.0-only
/* Small xenstore helpers: see xsutil.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xsutil.h"

static int path(char *out, const char *dir, const char *key)
{
	int n = snprintf(out, HOSTILE_PATH_MAX, "%s/%s", dir, key);

	return n > 0 && (unsigned int)n < HOSTILE_PATH_MAX ? 0 : -1;
}

int hx_read(struct xs_handle *xs, const char *dir, const char *key, char *buf, unsigned int len)
{
	char p[HOSTILE_PATH_MAX];
	unsigned int n = 0;
	char *v;

	if (len == 0 || path(p, dir, key))
		return -1;
	v = xs_read(xs, XBT_NULL, p, &n);
	if (!v)
		return -1;
	if (n >= len)
		n = len - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	free(v);
	return (int)n;
}

int hx_read_uint(struct xs_handle *xs, const char *dir, const char *key, unsigned long *out)
{
	char buf[32], *end;

	if (hx_read(xs, dir, key, buf, sizeof(buf)) <= 0 || buf[0] < '0' || buf[0] > '9')
		return -1;
	errno = 0;
	*out = strtoul(buf, &end, 10);
	return errno || *end ? -1 : 0;
}

int hx_write(struct xs_handle *xs, const char *dir, const char *key, const char *value)
{
	char p[HOSTILE_PATH_MAX];

	if (path(p, dir, key))
		return -1;
	if (!value)
		return xs_rm(xs, XBT_NULL, p) ? 0 : -1;
	return xs_write(xs, XBT_NULL, p, value, (unsigned int)strlen(value)) ? 0 : -1;
}

int hx_write_uint(struct xs_handle *xs, const char *dir, const char *key, unsigned long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lu", v);
	return hx_write(xs, dir, key, buf);
}

int hx_read_state(struct xs_handle *xs, const char *dir)
{
	unsigned long v;

	if (hx_read_uint(xs, dir, "state", &v) || v > 0xFFFF)
		return -1;
	return (int)v;
}

uint64_t hx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void hx_sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

const char *hx_state_name(int state)
{
	static const char *const names[] = { "Unknown", "Initialising", "InitWait", "Initialised",
					     "Connected", "Closing", "Closed", "Reconfiguring",
					     "Reconfigured" };

	if (state < 0 || (unsigned int)state >= sizeof(names) / sizeof(names[0]))
		return "invalid";
	return names[state];
}
