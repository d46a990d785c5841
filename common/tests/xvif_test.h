/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared helpers for common/'s cmocka tests.
 *
 * Table-driven tests register one cmocka test per table row, named
 * "<function>_<NN>_<case>", so every row is its own PASS/FAIL line in
 * build/results/unit*.txt:
 *
 *     static const struct row rows[] = { { "empty", ... }, ... };
 *     XT_ROWS(&list, "xvif_parse_uint", test_parse_uint_row, rows);
 *     ...
 *     return xt_run(&list, "strutil");
 *
 * The row reaches the test function as *state.
 *
 * Also here: a fake xenstore directory for the xs_schema parsers.
 */
#ifndef XVIF_TEST_H
#define XVIF_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Table rows leave the fields that do not apply to them out (an OK row has
 * no error text): zero is the intended value. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- one cmocka test per table row ---- */

struct xt_list {
	struct CMUnitTest *t;
	size_t n, cap;
};

static inline void xt_add(struct xt_list *l, CMUnitTestFunction fn, const void *row, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline void xt_add(struct xt_list *l, CMUnitTestFunction fn, const void *row, const char *fmt, ...)
{
	char name[160];
	va_list ap;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->t = realloc(l->t, l->cap * sizeof(*l->t));
		if (!l->t)
			abort();
	}
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	memset(&l->t[l->n], 0, sizeof(l->t[l->n]));
	l->t[l->n].name = strdup(name);
	if (!l->t[l->n].name)
		abort();
	l->t[l->n].test_func = fn;
	l->t[l->n].initial_state = (void *)(uintptr_t)row;
	l->n++;
}

/* A plain test, named after its function. */
#define XT_TEST(l, fn) xt_add((l), (fn), NULL, "%s", #fn)

/* One test per row of @table; each row has a `const char *name` member. */
#define XT_ROWS(l, prefix, fn, table)                                                         \
	do {                                                                                   \
		size_t xt_i_;                                                                  \
		for (xt_i_ = 0; xt_i_ < sizeof(table) / sizeof((table)[0]); xt_i_++)           \
			xt_add((l), (fn), &(table)[xt_i_], "%s_%02zu_%s", (prefix), xt_i_,      \
			       (table)[xt_i_].name);                                           \
	} while (0)

static inline int xt_run(struct xt_list *l, const char *group)
{
	size_t i;
	int rc;

	rc = _cmocka_run_group_tests(group, l->t, l->n, NULL, NULL);
	for (i = 0; i < l->n; i++)
		free((void *)(uintptr_t)l->t[i].name);
	free(l->t);
	l->t = NULL;
	l->n = l->cap = 0;
	return rc;
}

/* The row a table-driven test was registered with. */
#define XT_ROW(type, state) ((const type *)*(state))

/* ---- a fake xenstore directory ---- */

#define FXS_KEYS 96
#define FXS_KEYLEN 64
#define FXS_VALLEN 512

struct fake_xs {
	char key[FXS_KEYS][FXS_KEYLEN];
	char val[FXS_KEYS][FXS_VALLEN];
	unsigned int n;
	unsigned int reads;                 /* read calls made */
};

static inline int fxs_find(const struct fake_xs *x, const char *key)
{
	unsigned int i;

	for (i = 0; i < x->n; i++)
		if (!strcmp(x->key[i], key))
			return (int)i;
	return -1;
}

/* Set @key to @val; @val NULL removes the key. */
static inline void fxs_set(struct fake_xs *x, const char *key, const char *val)
{
	int i = fxs_find(x, key);

	if (!val) {
		if (i >= 0) {
			x->n--;
			memmove(x->key[i], x->key[x->n], FXS_KEYLEN);
			memmove(x->val[i], x->val[x->n], FXS_VALLEN);
		}
		return;
	}
	if (i < 0) {
		assert_true(x->n < FXS_KEYS);
		i = (int)x->n++;
	}
	assert_true(strlen(key) < FXS_KEYLEN && strlen(val) < FXS_VALLEN);
	strcpy(x->key[i], key);
	strcpy(x->val[i], val);
}

static inline const char *fxs_get(const struct fake_xs *x, const char *key)
{
	int i = fxs_find(x, key);

	return i < 0 ? NULL : x->val[i];
}

/* The xvif_xs_read_fn over a struct fake_xs, with the contract xs_schema.h
 * states: length, XVIF_XS_MISSING, or XVIF_XS_TOOLONG. */
static inline int fxs_read(void *ctx, const char *key, char *buf, unsigned int len)
{
	struct fake_xs *x = ctx;
	int i = fxs_find(x, key);
	size_t n;

	x->reads++;
	if (i < 0)
		return -1; /* XVIF_XS_MISSING */
	n = strlen(x->val[i]);
	if (n >= len)
		return -2; /* XVIF_XS_TOOLONG */
	memcpy(buf, x->val[i], n + 1);
	return (int)n;
}

/* "k1=v1\nk2=v2\n..." into @x (lines without '=' are ignored). */
static inline void fxs_load(struct fake_xs *x, const char *text)
{
	char line[FXS_KEYLEN + FXS_VALLEN + 2];
	const char *p = text, *nl, *eq;
	size_t n;

	while (*p) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		assert_true(n < sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		eq = strchr(line, '=');
		if (eq) {
			line[eq - line] = '\0';
			fxs_set(x, line, eq + 1);
		}
		p += n + (nl ? 1 : 0);
	}
}

#endif /* XVIF_TEST_H */
