// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: common/strutil.c (bounded string helpers). */
#include "xvif_test.h"
#include "strutil.h"

/* ---- xvif_strnlen ---- */

static const struct strnlen_row {
	const char *name, *s;
	unsigned int max, want;
} strnlen_rows[] = {
	{ "empty", "", 10, 0 },
	{ "shorter_than_max", "abc", 10, 3 },
	{ "equal_to_max", "abcd", 4, 4 },
	{ "longer_than_max", "abcdef", 4, 4 },
	{ "max_zero", "abc", 0, 0 },
};

static void test_strnlen_row(void **state)
{
	const struct strnlen_row *r = XT_ROW(struct strnlen_row, state);

	assert_int_equal(xvif_strnlen(r->s, r->max), r->want);
}

/* xvif_strnlen must not look past @max even without a NUL. */
static void test_strnlen_no_nul_within_max(void **state)
{
	char *buf = malloc(4); /* exact size: ASan catches a read past it */

	(void)state;
	memcpy(buf, "abcd", 4);
	assert_int_equal(xvif_strnlen(buf, 4), 4);
	free(buf);
}

/* ---- xvif_strlcat ---- */

static const struct strlcat_row {
	const char *name, *dst, *src;
	unsigned int len;          /* destination size */
	const char *want;
	unsigned int want_ret;
} strlcat_rows[] = {
	{ "empty_plus_empty", "", "", 8, "", 0 },
	{ "empty_plus_text", "", "abc", 8, "abc", 3 },
	{ "append", "ab", "cd", 8, "abcd", 4 },
	{ "exact_fit", "abc", "defg", 8, "abcdefg", 7 },
	{ "truncate_one", "abc", "defgh", 8, "abcdefg", 7 },
	{ "truncate_all", "abcdefg", "xyz", 8, "abcdefg", 7 },
	{ "size_one", "", "abc", 1, "", 0 },
};

static void test_strlcat_row(void **state)
{
	const struct strlcat_row *r = XT_ROW(struct strlcat_row, state);
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	strcpy(buf, r->dst);
	assert_int_equal(xvif_strlcat(buf, r->src, r->len), r->want_ret);
	assert_string_equal(buf, r->want);
	/* Nothing written past the destination size. */
	if (r->len < sizeof(buf) && r->len > strlen(r->dst))
		assert_int_equal(buf[r->len], 'Z');
}

/* len 0: nothing is written, not even a NUL. */
static void test_strlcat_len_zero(void **state)
{
	char buf[4] = { 'x', 'y', 'z', 'w' };

	(void)state;
	assert_int_equal(xvif_strlcat(buf, "abc", 0), 0);
	assert_memory_equal(buf, "xyzw", 4);
}

/* A destination with no NUL inside @len is terminated at len - 1. */
static void test_strlcat_unterminated_dst(void **state)
{
	char buf[5] = { 'a', 'b', 'c', 'd', 'e' };

	(void)state;
	assert_int_equal(xvif_strlcat(buf, "xyz", 4), 3);
	assert_int_equal(buf[3], '\0');
	assert_int_equal(buf[4], 'e');
}

/* ---- xvif_strlcat_u64 ---- */

static const struct u64_row {
	const char *name;
	uint64_t v;
	const char *prefix;
	unsigned int len;
	const char *want;
} u64_rows[] = {
	{ "zero", 0, "", 32, "0" },
	{ "one_digit", 7, "", 32, "7" },
	{ "ten", 10, "", 32, "10" },
	{ "after_prefix", 42, "q-", 32, "q-42" },
	{ "u32_max", 4294967295ull, "", 32, "4294967295" },
	{ "u64_max", 18446744073709551615ull, "", 32, "18446744073709551615" },
	{ "truncated", 123456, "", 4, "123" },
};

static void test_strlcat_u64_row(void **state)
{
	const struct u64_row *r = XT_ROW(struct u64_row, state);
	char buf[32];

	strcpy(buf, r->prefix);
	assert_int_equal(xvif_strlcat_u64(buf, r->v, r->len), strlen(r->want));
	assert_string_equal(buf, r->want);
}

/* ---- xvif_streq ---- */

static const struct streq_row {
	const char *name, *a, *b;
	bool want;
} streq_rows[] = {
	{ "both_empty", "", "", true },
	{ "equal", "abc", "abc", true },
	{ "prefix_a", "ab", "abc", false },
	{ "prefix_b", "abc", "ab", false },
	{ "differ_last", "abc", "abd", false },
	{ "empty_vs_text", "", "a", false },
	{ "case_matters", "ABC", "abc", false },
};

static void test_streq_row(void **state)
{
	const struct streq_row *r = XT_ROW(struct streq_row, state);

	assert_int_equal(xvif_streq(r->a, r->b), r->want);
}

int main(void)
{
	struct xt_list l = { 0 };

	XT_ROWS(&l, "xvif_strnlen", test_strnlen_row, strnlen_rows);
	XT_TEST(&l, test_strnlen_no_nul_within_max);
	XT_ROWS(&l, "xvif_strlcat", test_strlcat_row, strlcat_rows);
	XT_TEST(&l, test_strlcat_len_zero);
	XT_TEST(&l, test_strlcat_unterminated_dst);
	XT_ROWS(&l, "xvif_strlcat_u64", test_strlcat_u64_row, u64_rows);
	XT_ROWS(&l, "xvif_streq", test_streq_row, streq_rows);
	return xt_run(&l, "strutil");
}
