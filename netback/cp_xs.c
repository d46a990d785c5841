// SPDX-License-Identifier: GPL-2.0-only
/* cp_xs.h over libxenstore. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

#include "cp_xs.h"

/* Transaction retries before giving up on a write_in_dir: EAGAIN means
 * another writer raced us; a handful of tries is plenty in practice. */
#define CP_XS_TXN_RETRIES 8

struct cp_xs {
	struct xs_handle *h;
};

struct cp_xs *cp_xs_open(void)
{
	struct cp_xs *xs = calloc(1, sizeof(*xs));

	if (!xs)
		return NULL;
	/* XS_UNWATCH_FILTER: no event of a watch is delivered after its unwatch,
	 * so a freed vif's token is never seen again. */
	xs->h = xs_open(XS_UNWATCH_FILTER);
	if (!xs->h) {
		int e = errno;

		free(xs);
		errno = e;
		return NULL;
	}
	return xs;
}

void cp_xs_close(struct cp_xs *xs)
{
	if (!xs)
		return;
	xs_close(xs->h);
	free(xs);
}

int cp_xs_fileno(struct cp_xs *xs)
{
	return xs_fileno(xs->h);
}

static int copy_value(const char *v, unsigned int vlen, char *buf, unsigned int len)
{
	if (len == 0 || vlen >= len || memchr(v, '\0', vlen))
		return XVIF_XS_TOOLONG; /* an embedded NUL is as unusable as too long */
	memcpy(buf, v, vlen);
	buf[vlen] = '\0';
	return (int)vlen;
}

int cp_xs_read(struct cp_xs *xs, const char *path, char *buf, unsigned int len)
{
	unsigned int vlen = 0;
	char *v = xs_read(xs->h, XBT_NULL, path, &vlen);
	int rc;

	if (!v)
		return XVIF_XS_MISSING;
	rc = copy_value(v, vlen, buf, len);
	free(v);
	return rc;
}

int cp_xs_write(struct cp_xs *xs, const char *path, const char *value)
{
	return xs_write(xs->h, XBT_NULL, path, value, (unsigned int)strlen(value)) ? 0 : -1;
}

int cp_xs_write_in_dir(struct cp_xs *xs, const char *dir, const char *witness, const char *key,
		       const char *value)
{
	char wpath[CP_XS_PATH_MAX], kpath[CP_XS_PATH_MAX];
	int i;

	if (cp_xs_join(wpath, dir, witness) < 0 || cp_xs_join(kpath, dir, key) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (i = 0; i < CP_XS_TXN_RETRIES; i++) {
		xs_transaction_t t = xs_transaction_start(xs->h);
		unsigned int vlen;
		char *v;

		if (t == XBT_NULL)
			return -1;
		v = xs_read(xs->h, t, wpath, &vlen);
		if (!v) {
			xs_transaction_end(xs->h, t, true);
			return 1;
		}
		free(v);
		if (!xs_write(xs->h, t, kpath, value, (unsigned int)strlen(value))) {
			xs_transaction_end(xs->h, t, true);
			return -1;
		}
		if (xs_transaction_end(xs->h, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
	}
	errno = EAGAIN;
	return -1;
}

int cp_xs_rm(struct cp_xs *xs, const char *path)
{
	if (xs_rm(xs->h, XBT_NULL, path))
		return 0;
	return errno == ENOENT ? 0 : -1;
}

char **cp_xs_directory(struct cp_xs *xs, const char *path, unsigned int *n)
{
	unsigned int num = 0, i;
	char **d = xs_directory(xs->h, XBT_NULL, path, &num);
	char **out;

	*n = 0;
	if (!d || num == 0) {
		free(d);
		return NULL;
	}
	/* libxenstore returns one allocation; copy so the caller's free is uniform. */
	out = calloc(num, sizeof(*out));
	if (!out) {
		free(d);
		return NULL;
	}
	for (i = 0; i < num; i++) {
		out[i] = strdup(d[i]);
		if (!out[i]) {
			cp_xs_free_list(out, i);
			free(d);
			return NULL;
		}
	}
	free(d);
	*n = num;
	return out;
}

void cp_xs_free_list(char **list, unsigned int n)
{
	unsigned int i;

	if (!list)
		return;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int cp_xs_watch(struct cp_xs *xs, const char *path, const char *token)
{
	return xs_watch(xs->h, path, token) ? 0 : -1;
}

int cp_xs_unwatch(struct cp_xs *xs, const char *path, const char *token)
{
	return xs_unwatch(xs->h, path, token) ? 0 : -1;
}

static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

int cp_xs_next_event(struct cp_xs *xs, char *path, size_t plen, char *token, size_t tlen)
{
	char **ev = xs_check_watch(xs->h);

	if (!ev)
		return errno == EAGAIN ? 0 : -1;
	copy_str(path, plen, ev[XS_WATCH_PATH]);
	copy_str(token, tlen, ev[XS_WATCH_TOKEN]);
	free(ev);
	return 1;
}

int cp_xs_domain_path(struct cp_xs *xs, unsigned int domid, char *buf, size_t len)
{
	char *p = xs_get_domain_path(xs->h, domid);
	int rc = -1;

	if (p && strlen(p) < len) {
		strcpy(buf, p);
		rc = 0;
	}
	free(p);
	return rc;
}
