// SPDX-License-Identifier: GPL-2.0-only
/* Command-line parsing of the hostile tools: good input, and every bad
 * input refused with a message naming what was wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "args.h"

#define ARGV(...) ((char *const[]){ "prog", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "prog", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(side, o, err, ...) \
	hostile_parse_args(side, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o, err, sizeof(err))

static void args_front_defaults(void **state)
{
	struct hostile_opts o;
	char err[160];

	(void)state;
	assert_int_equal(PARSE(HOSTILE_FRONT, &o, err, "--attack", "zero-len"), 0);
	assert_int_equal(o.attack, ATK_ZERO_LEN);
	assert_int_equal(o.variant, 0);
	assert_int_equal(o.vif, HOSTILE_DEFAULT_VIF);
	assert_int_equal(o.duration_ms, HOSTILE_DEFAULT_DURATION_MS);
	assert_int_equal(o.wait_ms, HOSTILE_DEFAULT_WAIT_MS);
	assert_false(o.dry_run);
}

static void args_front_all_options(void **state)
{
	struct hostile_opts o;
	char err[160];

	(void)state;
	assert_int_equal(PARSE(HOSTILE_FRONT, &o, err, "--attack", "too-many-slots", "--variant", "40",
			       "--vif", "3", "--duration", "0.5", "--wait", "12", "--count", "1000",
			       "--dry-run"), 0);
	assert_int_equal(o.attack, ATK_TOO_MANY_SLOTS);
	assert_string_equal(hostile_attack_desc(o.attack)->variants[o.variant], "40");
	assert_int_equal(o.vif, 3);
	assert_int_equal(o.duration_ms, 500);
	assert_int_equal(o.wait_ms, 12000);
	assert_int_equal(o.count, 1000);
	assert_true(o.dry_run);
}

static void args_back_needs_domid(void **state)
{
	struct hostile_opts o;
	char err[160];

	(void)state;
	assert_int_equal(PARSE(HOSTILE_BACK, &o, err, "--attack", "dup-id"), -1);
	assert_non_null(strstr(err, "--domid"));
	assert_int_equal(PARSE(HOSTILE_BACK, &o, err, "--attack", "dup-id", "--domid", "5"), 0);
	assert_int_equal(o.domid, 5);
	assert_int_equal(o.vif, HOSTILE_DEFAULT_BACK_VIF);
	assert_int_equal(PARSE(HOSTILE_BACK, &o, err, "--attack", "dup-id", "--domid", "0"), -1);
	assert_non_null(strstr(err, "--domid 0"));
	/* --domid is not an option of the frontend. */
	assert_int_equal(PARSE(HOSTILE_FRONT, &o, err, "--attack", "zero-len", "--domid", "5"), -1);
	assert_non_null(strstr(err, "unknown option"));
}

/* Numbered table of bad command lines and a word the error must contain. */
static const struct {
	enum hostile_side side;
	const char *argv[6];
	const char *must_say;
} bad[] = {
	/*  0 */ { HOSTILE_FRONT, { "--vif", "1" }, "no --attack" },
	/*  1 */ { HOSTILE_FRONT, { "--attack", "nope" }, "unknown attack" },
	/*  2 */ { HOSTILE_FRONT, { "--attack", "dup-id" }, "xvif-evil-back" },
	/*  3 */ { HOSTILE_BACK, { "--attack", "zero-len", "--domid", "1" }, "xvif-evil-front" },
	/*  4 */ { HOSTILE_FRONT, { "--attack", "zero-len", "--variant", "x" }, "--variant x" },
	/*  5 */ { HOSTILE_FRONT, { "--attack", "zero-len", "--vif", "-1" }, "--vif -1" },
	/*  6 */ { HOSTILE_FRONT, { "--attack", "zero-len", "--vif", "65536" }, "--vif 65536" },
	/*  7 */ { HOSTILE_FRONT, { "--attack", "zero-len", "--duration", "1.2345" }, "--duration" },
	/*  8 */ { HOSTILE_FRONT, { "--attack", "zero-len", "--duration", "601" }, "--duration" },
	/*  9 */ { HOSTILE_FRONT, { "--attack", "zero-len", "--wait", "" }, "--wait" },
	/* 10 */ { HOSTILE_FRONT, { "--attack", "zero-len", "--count", "99999999999" }, "--count" },
	/* 11 */ { HOSTILE_FRONT, { "--attack" }, "missing value" },
	/* 12 */ { HOSTILE_FRONT, { "--bogus" }, "unknown option" },
	/* 13 */ { HOSTILE_FRONT, { "--attack", "zero-len", "--duration", ".5" }, "--duration" },
	/* 14 */ { HOSTILE_BACK, { "--attack", "dup-id", "--domid", "32752" }, "--domid" },
};

static void args_bad_inputs(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[8] = { "prog" };
		struct hostile_opts o;
		char err[160];
		int argc = 1;

		for (unsigned int j = 0; j < 6 && bad[i].argv[j]; j++)
			argv[argc++] = (char *)bad[i].argv[j];
		print_message("bad case %u\n", i);
		assert_int_equal(hostile_parse_args(bad[i].side, argc, argv, &o, err, sizeof(err)), -1);
		assert_non_null(strstr(err, bad[i].must_say));
	}
}

static void args_list_and_help(void **state)
{
	struct hostile_opts o;
	char err[160];

	(void)state;
	assert_int_equal(PARSE(HOSTILE_FRONT, &o, err, "--list"), 0);
	assert_true(o.list);
	assert_int_equal(PARSE(HOSTILE_BACK, &o, err, "-h"), 0);
	assert_true(o.help);
}

/* Every attack of the catalogue parses by name for its own side, every
 * variant too; "sanity" exists on both sides and maps to each side's own. */
static void catalogue_round_trip(void **state)
{
	(void)state;
	for (unsigned int a = 0; a < ATK_NR; a++) {
		const struct hostile_attack_desc *d = hostile_attack_desc(a);

		assert_non_null(d);
		assert_int_equal(hostile_attack_lookup(d->side, d->name), a);
		assert_true(hostile_variant_count(a) >= 1);
		for (int v = 0; v < hostile_variant_count(a); v++)
			assert_int_equal(hostile_variant_lookup(a, d->variants[v]), v);
	}
	assert_int_equal(hostile_attack_lookup(HOSTILE_FRONT, "sanity"), ATK_FRONT_SANITY);
	assert_int_equal(hostile_attack_lookup(HOSTILE_BACK, "sanity"), ATK_BACK_SANITY);
	assert_null(hostile_attack_desc(ATK_NR));
	assert_int_equal(hostile_variant_lookup(ATK_NR, "x"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(args_front_defaults),
		cmocka_unit_test(args_front_all_options),
		cmocka_unit_test(args_back_needs_domid),
		cmocka_unit_test(args_bad_inputs),
		cmocka_unit_test(args_list_and_help),
		cmocka_unit_test(catalogue_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
