// SPDX-License-Identifier: GPL-2.0-only
/* In-memory xenstore implementing cp_xs.h for the tests. See fake_xs.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_xs.h"

struct entry {
	char *path, *value;
};

struct watch {
	char *path, *token;
};

struct event {
	char *path, *token;
};

struct cp_xs {
	struct entry *e;
	size_t ne, cape;
	struct watch *w;
	size_t nw, capw;
	struct event *q;
	size_t qhead, qtail, capq;
	struct entry *hist;
	size_t nh, caph;
};

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	while (*cap < need)
		*cap *= 2;
	p = realloc(p, *cap * elem);
	if (!p)
		abort();
	return p;
}

struct cp_xs *fake_xs_new(void)
{
	struct cp_xs *xs = calloc(1, sizeof(*xs));

	if (!xs)
		abort();
	return xs;
}

struct cp_xs *cp_xs_open(void)
{
	return fake_xs_new();
}

void fake_xs_free(struct cp_xs *xs)
{
	size_t i;

	for (i = 0; i < xs->ne; i++) {
		free(xs->e[i].path);
		free(xs->e[i].value);
	}
	for (i = 0; i < xs->nw; i++) {
		free(xs->w[i].path);
		free(xs->w[i].token);
	}
	for (i = xs->qhead; i < xs->qtail; i++) {
		free(xs->q[i].path);
		free(xs->q[i].token);
	}
	for (i = 0; i < xs->nh; i++) {
		free(xs->hist[i].path);
		free(xs->hist[i].value);
	}
	free(xs->e);
	free(xs->w);
	free(xs->q);
	free(xs->hist);
	free(xs);
}

void cp_xs_close(struct cp_xs *xs)
{
	fake_xs_free(xs);
}

int cp_xs_fileno(struct cp_xs *xs)
{
	(void)xs;
	return -1;
}

/* Is @p equal to @dir or below it? */
static bool under(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

static void queue_event(struct cp_xs *xs, const char *path, const char *token)
{
	if (xs->qhead == xs->qtail)
		xs->qhead = xs->qtail = 0;
	xs->q = grow(xs->q, &xs->capq, xs->qtail + 1, sizeof(*xs->q));
	xs->q[xs->qtail].path = strdup(path);
	xs->q[xs->qtail].token = strdup(token);
	xs->qtail++;
}

static void fire(struct cp_xs *xs, const char *path)
{
	size_t i;

	for (i = 0; i < xs->nw; i++)
		if (under(path, xs->w[i].path))
			queue_event(xs, path, xs->w[i].token);
}

static struct entry *find(struct cp_xs *xs, const char *path)
{
	size_t i;

	for (i = 0; i < xs->ne; i++)
		if (strcmp(xs->e[i].path, path) == 0)
			return &xs->e[i];
	return NULL;
}

void fake_xs_set(struct cp_xs *xs, const char *path, const char *value)
{
	struct entry *e = find(xs, path);

	if (e) {
		free(e->value);
		e->value = strdup(value);
	} else {
		xs->e = grow(xs->e, &xs->cape, xs->ne + 1, sizeof(*xs->e));
		xs->e[xs->ne].path = strdup(path);
		xs->e[xs->ne].value = strdup(value);
		xs->ne++;
	}
	xs->hist = grow(xs->hist, &xs->caph, xs->nh + 1, sizeof(*xs->hist));
	xs->hist[xs->nh].path = strdup(path);
	xs->hist[xs->nh].value = strdup(value);
	xs->nh++;
	fire(xs, path);
}

const char *fake_xs_get(struct cp_xs *xs, const char *path)
{
	struct entry *e = find(xs, path);
	size_t i;

	if (e)
		return e->value;
	for (i = 0; i < xs->ne; i++)
		if (under(xs->e[i].path, path))
			return ""; /* an implicit parent */
	return NULL;
}

void fake_xs_del(struct cp_xs *xs, const char *path)
{
	size_t i, j = 0;
	bool any = false;

	for (i = 0; i < xs->ne; i++) {
		if (under(xs->e[i].path, path)) {
			free(xs->e[i].path);
			free(xs->e[i].value);
			any = true;
			continue;
		}
		xs->e[j++] = xs->e[i];
	}
	xs->ne = j;
	if (!any)
		return;
	fire(xs, path);
	for (i = 0; i < xs->nw; i++)
		if (under(xs->w[i].path, path) && strcmp(xs->w[i].path, path) != 0)
			queue_event(xs, xs->w[i].path, xs->w[i].token);
}

void fake_xs_fire(struct cp_xs *xs, const char *special)
{
	fire(xs, special);
}

size_t fake_xs_pending(struct cp_xs *xs)
{
	return xs->qtail - xs->qhead;
}

unsigned int fake_xs_nwatches(struct cp_xs *xs)
{
	return (unsigned int)xs->nw;
}

unsigned int fake_xs_history(struct cp_xs *xs, const char *path, const char **vals, unsigned int max)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < xs->nh; i++) {
		if (strcmp(xs->hist[i].path, path))
			continue;
		if (n < max)
			vals[n] = xs->hist[i].value;
		n++;
	}
	return n;
}

/* ---- cp_xs.h ---- */

int cp_xs_read(struct cp_xs *xs, const char *path, char *buf, unsigned int len)
{
	const char *v = fake_xs_get(xs, path);
	size_t n;

	if (!v)
		return XVIF_XS_MISSING;
	n = strlen(v);
	if (n >= len)
		return XVIF_XS_TOOLONG;
	memcpy(buf, v, n + 1);
	return (int)n;
}

int cp_xs_write(struct cp_xs *xs, const char *path, const char *value)
{
	fake_xs_set(xs, path, value);
	return 0;
}

int cp_xs_write_in_dir(struct cp_xs *xs, const char *dir, const char *witness, const char *key,
		       const char *value)
{
	char p[CP_XS_PATH_MAX];

	if (cp_xs_join(p, dir, witness) < 0)
		return -1;
	if (!find(xs, p))
		return 1;
	if (cp_xs_join(p, dir, key) < 0)
		return -1;
	fake_xs_set(xs, p, value);
	return 0;
}

int cp_xs_rm(struct cp_xs *xs, const char *path)
{
	fake_xs_del(xs, path);
	return 0;
}

char **cp_xs_directory(struct cp_xs *xs, const char *path, unsigned int *n)
{
	size_t plen = strlen(path), i;
	char **out = NULL;
	size_t cap = 0;
	unsigned int k, cnt = 0;

	for (i = 0; i < xs->ne; i++) {
		const char *p = xs->e[i].path, *c;
		size_t cl;

		if (strncmp(p, path, plen) != 0 || p[plen] != '/')
			continue;
		c = p + plen + 1;
		cl = strcspn(c, "/");
		for (k = 0; k < cnt; k++)
			if (strlen(out[k]) == cl && strncmp(out[k], c, cl) == 0)
				break;
		if (k < cnt)
			continue;
		out = grow(out, &cap, cnt + 1, sizeof(*out));
		out[cnt++] = strndup(c, cl);
	}
	*n = cnt;
	return out;
}

void cp_xs_free_list(char **list, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int cp_xs_watch(struct cp_xs *xs, const char *path, const char *token)
{
	xs->w = grow(xs->w, &xs->capw, xs->nw + 1, sizeof(*xs->w));
	xs->w[xs->nw].path = strdup(path);
	xs->w[xs->nw].token = strdup(token);
	xs->nw++;
	queue_event(xs, path, token); /* xenstored fires once at registration */
	return 0;
}

int cp_xs_unwatch(struct cp_xs *xs, const char *path, const char *token)
{
	size_t i, j;

	for (i = 0; i < xs->nw; i++) {
		if (strcmp(xs->w[i].path, path) || strcmp(xs->w[i].token, token))
			continue;
		free(xs->w[i].path);
		free(xs->w[i].token);
		xs->w[i] = xs->w[--xs->nw];
		/* XS_UNWATCH_FILTER: its queued events go too. */
		for (i = j = xs->qhead; i < xs->qtail; i++) {
			if (strcmp(xs->q[i].token, token) == 0) {
				free(xs->q[i].path);
				free(xs->q[i].token);
				continue;
			}
			xs->q[j++] = xs->q[i];
		}
		xs->qtail = j;
		return 0;
	}
	errno = ENOENT;
	return -1;
}

int cp_xs_next_event(struct cp_xs *xs, char *path, size_t plen, char *token, size_t tlen)
{
	struct event *ev;

	if (xs->qhead == xs->qtail)
		return 0;
	ev = &xs->q[xs->qhead++];
	snprintf(path, plen, "%s", ev->path);
	snprintf(token, tlen, "%s", ev->token);
	free(ev->path);
	free(ev->token);
	return 1;
}

int cp_xs_domain_path(struct cp_xs *xs, unsigned int domid, char *buf, size_t len)
{
	(void)xs;
	return (size_t)snprintf(buf, len, "/local/domain/%u", domid) < len ? 0 : -1;
}
