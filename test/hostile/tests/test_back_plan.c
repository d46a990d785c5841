// SPDX-License-Identifier: GPL-2.0-only
/* The hostile backend's attack knobs: each attack turns on exactly its
 * malice, and leaves the honest parts of the serve loop on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "back_attacks.h"

static struct eb_serve plan(enum hostile_attack a, const char *variant)
{
	struct eb_serve s;
	int v = hostile_variant_lookup(a, variant);

	assert_true(v >= 0);
	assert_int_equal(eb_serve_plan(a, v, &s), 0);
	return s;
}

static void back_plan_knobs(void **state)
{
	struct eb_serve s;

	(void)state;
	s = plan(ATK_BACK_SANITY, "echo");
	assert_true(s.answer_tx && s.deliver_rx);
	assert_false(s.hold_rx || s.hold_tx || s.stale_check || s.storm_events || s.corrupt_ring || s.state_storm);
	assert_int_equal(s.tx_id, EB_ID_HONEST);
	assert_int_equal(s.rx_id, EB_ID_HONEST);

	s = plan(ATK_RSP_PROD_OVERFLOW, "tx");
	assert_int_equal(s.corrupt_ring, 1);
	s = plan(ATK_RSP_PROD_OVERFLOW, "rx");
	assert_int_equal(s.corrupt_ring, 2);
	s = plan(ATK_DUP_ID, "tx");
	assert_int_equal(s.tx_id, EB_ID_DUP);
	assert_int_equal(s.rx_id, EB_ID_HONEST);
	s = plan(ATK_DUP_ID, "rx");
	assert_int_equal(s.rx_id, EB_ID_DUP);
	assert_int_equal(s.tx_id, EB_ID_HONEST);
	s = plan(ATK_BAD_ID, "tx");
	assert_int_equal(s.tx_id, EB_ID_BAD);
	s = plan(ATK_BAD_ID, "rx");
	assert_int_equal(s.rx_id, EB_ID_BAD);
	s = plan(ATK_NEVER_RELEASE, "both");
	assert_true(s.hold_rx);
	assert_false(s.answer_tx || s.deliver_rx || s.hold_tx);
	s = plan(ATK_NEVER_RELEASE, "answered");
	assert_true(s.hold_tx && s.answer_tx && s.deliver_rx);
	assert_false(s.hold_rx);
	s = plan(ATK_EVENT_STORM, "notify");
	assert_true(s.storm_events && s.answer_tx);
	s = plan(ATK_STATE_STORM, "random");
	assert_int_equal(s.state_storm, 1);
	s = plan(ATK_STATE_STORM, "unknown");
	assert_int_equal(s.state_storm, 2);
	s = plan(ATK_STALE_DATA, "tx");
	assert_true(s.stale_check && s.answer_tx);
}

/* Every backend attack has a plan; no frontend attack does. */
static void back_plan_covers_side(void **state)
{
	struct eb_serve s;

	(void)state;
	for (unsigned int a = 0; a < ATK_NR; a++)
		for (int v = 0; v < hostile_variant_count(a); v++)
			assert_int_equal(eb_serve_plan(a, v, &s),
					 hostile_attack_desc(a)->side == HOSTILE_BACK ? 0 : -1);
}

/* Random storms are deterministic and cover every state 0..8 plus one
 * unknown (9); unknown storms never write a plain valid state. */
static void storm_values(void **state)
{
	bool seen[10] = { false };
	char a[24], b[24];

	(void)state;
	for (unsigned int i = 0; i < 500; i++) {
		char *end;
		long v;

		eb_storm_value(1, i, a, sizeof(a));
		eb_storm_value(1, i, b, sizeof(b));
		assert_string_equal(a, b);
		v = strtol(a, &end, 10);
		assert_true(*end == '\0' && v >= 0 && v <= 9);
		seen[v] = true;
	}
	for (unsigned int v = 0; v < 10; v++)
		assert_true(seen[v]);
	for (unsigned int i = 0; i < 50; i++) {
		eb_storm_value(2, i, a, sizeof(a));
		assert_false(strlen(a) == 1 && a[0] >= '0' && a[0] <= '8');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(back_plan_knobs),
		cmocka_unit_test(back_plan_covers_side),
		cmocka_unit_test(storm_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
