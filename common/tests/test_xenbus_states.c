// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: common/xenbus_states.c. The allowed moves are written out here
 * a second time, independently of the table in the code, from the diagrams
 * in xenbus_states.h; every (from, to) pair of both sides is checked against
 * them, so a move added to or lost from either table fails a test.
 */
#include "xvif_test.h"
#include "xenbus_states.h"

#define NST 9 /* XenbusStateUnknown .. XenbusStateReconfigured */

enum { U = XenbusStateUnknown, I = XenbusStateInitialising, W = XenbusStateInitWait,
       D = XenbusStateInitialised, C = XenbusStateConnected, G = XenbusStateClosing,
       X = XenbusStateClosed, RG = XenbusStateReconfiguring, RD = XenbusStateReconfigured };

struct move { unsigned int from, to; };

/* Backend: Initialising -> InitWait -> Connected; teardown to Closing or
 * Closed from any live state; Closing -> Closed; Closed -> Initialising or
 * InitWait when a frontend reconnects; Connected -> Reconfigured ->
 * Connected when the frontend reconfigures (XDP headroom). */
static const struct move backend_allowed[] = {
	{ U, I }, { U, G }, { U, X },
	{ I, W }, { I, G }, { I, X },
	{ W, C }, { W, G }, { W, X },
	{ D, G }, { D, X },
	{ C, G }, { C, X }, { C, RD },
	{ G, X },
	{ RD, C }, { RD, G }, { RD, X },
	{ X, I }, { X, W },
};

/* Frontend: Initialising -> (Initialised ->) Connected -> Closing -> Closed
 * -> Initialising; Connected -> Reconfiguring -> Connected (XDP);
 * teardown from any live state. */
static const struct move frontend_allowed[] = {
	{ U, I }, { U, G }, { U, X },
	{ I, D }, { I, C }, { I, G }, { I, X },
	{ D, C }, { D, G }, { D, X },
	{ C, G }, { C, X }, { C, RG },
	{ G, X },
	{ X, I },
	{ RG, C }, { RG, G }, { RG, X },
};

static bool listed(const struct move *m, size_t n, unsigned int from, unsigned int to)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (m[i].from == from && m[i].to == to)
			return true;
	return false;
}

static const char *const names[NST] = {
	"Unknown", "Initialising", "InitWait", "Initialised", "Connected",
	"Closing", "Closed", "Reconfiguring", "Reconfigured",
};

/* One test per (side, from state): every destination, allowed or refused. */
struct from_row {
	const char *name;
	enum xvif_side side;
	unsigned int from;
};

static struct from_row from_rows[2 * NST];

static void test_moves_from(void **state)
{
	const struct from_row *r = XT_ROW(struct from_row, state);
	const struct move *m = r->side == XVIF_SIDE_BACKEND ? backend_allowed : frontend_allowed;
	size_t n = r->side == XVIF_SIDE_BACKEND ? XVIF_ARRAY_SIZE(backend_allowed)
						: XVIF_ARRAY_SIZE(frontend_allowed);
	unsigned int to;

	for (to = 0; to < NST; to++) {
		bool want = listed(m, n, r->from, to);

		if (xvif_state_move_ok(r->side, r->from, to) != want)
			fail_msg("%s %s -> %s: got %s, want %s",
				 r->side == XVIF_SIDE_BACKEND ? "backend" : "frontend", names[r->from],
				 names[to], want ? "refused" : "allowed", want ? "allowed" : "refused");
	}
	/* Out-of-range destinations are never moves. */
	assert_false(xvif_state_move_ok(r->side, r->from, NST));
	assert_false(xvif_state_move_ok(r->side, r->from, 0xffffffffu));
}

/* Named cases, so a regression reads as what it breaks. */
static const struct case_row {
	const char *name;
	enum xvif_side side;
	unsigned int from, to;
	bool want;
} case_rows[] = {
	{ "backend_init_to_initwait", XVIF_SIDE_BACKEND, I, W, true },
	{ "backend_initwait_to_connected", XVIF_SIDE_BACKEND, W, C, true },
	{ "backend_init_straight_to_connected_refused", XVIF_SIDE_BACKEND, I, C, false },
	{ "backend_connected_back_to_initwait_refused", XVIF_SIDE_BACKEND, C, W, false },
	{ "backend_closed_reconnect_initwait", XVIF_SIDE_BACKEND, X, W, true },
	{ "backend_closed_to_connected_refused", XVIF_SIDE_BACKEND, X, C, false },
	{ "backend_closing_to_connected_refused", XVIF_SIDE_BACKEND, G, C, false },
	{ "backend_never_initialised", XVIF_SIDE_BACKEND, I, D, false },
	{ "backend_same_state_not_a_move", XVIF_SIDE_BACKEND, C, C, false },
	{ "backend_never_reconfiguring", XVIF_SIDE_BACKEND, C, RG, false },
	{ "backend_answers_reconfigured", XVIF_SIDE_BACKEND, C, RD, true },
	{ "backend_reconfigured_back_to_connected", XVIF_SIDE_BACKEND, RD, C, true },
	{ "backend_initwait_to_reconfigured_refused", XVIF_SIDE_BACKEND, W, RD, false },
	{ "frontend_connected_to_reconfiguring", XVIF_SIDE_FRONTEND, C, RG, true },
	{ "frontend_reconfiguring_to_connected", XVIF_SIDE_FRONTEND, RG, C, true },
	{ "frontend_never_reconfigured", XVIF_SIDE_FRONTEND, C, RD, false },
	{ "backend_to_unknown_refused", XVIF_SIDE_BACKEND, C, U, false },
	{ "frontend_init_to_connected", XVIF_SIDE_FRONTEND, I, C, true },
	{ "frontend_init_to_initialised", XVIF_SIDE_FRONTEND, I, D, true },
	{ "frontend_never_initwait", XVIF_SIDE_FRONTEND, I, W, false },
	{ "frontend_closed_to_init", XVIF_SIDE_FRONTEND, X, I, true },
	{ "frontend_closed_to_connected_refused", XVIF_SIDE_FRONTEND, X, C, false },
	{ "frontend_connected_to_init_refused", XVIF_SIDE_FRONTEND, C, I, false },
	{ "frontend_same_state_not_a_move", XVIF_SIDE_FRONTEND, G, G, false },
	{ "from_out_of_range_9", XVIF_SIDE_BACKEND, 9, G, false },
	{ "from_out_of_range_huge", XVIF_SIDE_FRONTEND, 0xffffffffu, X, false },
};

static void test_case(void **state)
{
	const struct case_row *r = XT_ROW(struct case_row, state);

	assert_int_equal(xvif_state_move_ok(r->side, r->from, r->to), r->want);
}

static void test_state_name_every_state(void **state)
{
	unsigned int s;

	(void)state;
	for (s = 0; s < NST; s++) {
		assert_true(xvif_state_known(s));
		assert_string_equal(xvif_state_name(s), names[s]);
	}
}

static void test_state_name_invalid(void **state)
{
	static const unsigned int bad[] = { 9, 10, 255, 0x80000000u, 0xffffffffu };
	unsigned int i;

	(void)state;
	for (i = 0; i < XVIF_ARRAY_SIZE(bad); i++) {
		assert_false(xvif_state_known(bad[i]));
		assert_string_equal(xvif_state_name(bad[i]), "invalid");
	}
}

static const struct parse_row {
	const char *name, *s;
	int rc;
	unsigned int want;
} parse_rows[] = {
	{ "unknown_0", "0", 0, 0 },
	{ "initialising_1", "1", 0, 1 },
	{ "initwait_2", "2", 0, 2 },
	{ "connected_4", "4", 0, 4 },
	{ "closed_6", "6", 0, 6 },
	{ "reconfigured_8", "8", 0, 8 },
	{ "nine", "9", -1, 0 },
	{ "ten", "10", -1, 0 },
	{ "leading_zero", "04", -1, 0 },
	{ "empty", "", -1, 0 },
	{ "negative", "-1", -1, 0 },
	{ "trailing_newline", "4\n", -1, 0 },
	{ "trailing_space", "4 ", -1, 0 },
	{ "letter", "C", -1, 0 },
};

static void test_parse_row(void **state)
{
	const struct parse_row *r = XT_ROW(struct parse_row, state);
	unsigned int out = 12345;
	char *s = strdup(r->s);

	assert_int_equal(xvif_state_parse(s, &out), r->rc);
	assert_int_equal(out, r->rc == 0 ? r->want : 12345);
	free(s);
}

int main(void)
{
	struct xt_list l = { 0 };
	unsigned int s;

	for (s = 0; s < NST; s++) {
		from_rows[s] = (struct from_row){ names[s], XVIF_SIDE_BACKEND, s };
		from_rows[NST + s] = (struct from_row){ names[s], XVIF_SIDE_FRONTEND, s };
		xt_add(&l, test_moves_from, &from_rows[s], "xvif_state_move_ok_backend_from_%s", names[s]);
		xt_add(&l, test_moves_from, &from_rows[NST + s], "xvif_state_move_ok_frontend_from_%s", names[s]);
	}
	XT_ROWS(&l, "xvif_state_move_ok", test_case, case_rows);
	XT_TEST(&l, test_state_name_every_state);
	XT_TEST(&l, test_state_name_invalid);
	XT_ROWS(&l, "xvif_state_parse", test_parse_row, parse_rows);
	return xt_run(&l, "xenbus_states");
}
