// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: common/credit.c (the `rate` key's credit arithmetic).
 * Each row is a script of steps run against one struct xvif_credit; every
 * step states its exact expected result.
 */
#include "xvif_test.h"
#include "credit.h"

#define U64MAX 18446744073709551615ull

enum op { END = 0, TAKE, WAIT, SET, REMAINING, START };

struct step {
	enum op op;
	uint64_t a, b;     /* TAKE: size; SET: bytes, usec */
	uint64_t now;
	uint64_t want;     /* TAKE: 1/0; WAIT: microseconds; REMAINING/START: value */
};

struct script {
	const char *name;
	uint64_t bytes, usec, now;  /* xvif_credit_init */
	struct step s[16];
};

static const struct script scripts[] = {
	{ "unlimited_bytes_zero", 0, 100, 0, {
		{ TAKE, 1000000, 0, 0, 1 }, { TAKE, U64MAX, 0, 0, 1 }, { WAIT, 0, 0, 0, 0 }, { END } } },
	{ "unlimited_usec_zero", 1000, 0, 0, {
		{ TAKE, 1000, 0, 0, 1 }, { TAKE, 1000, 0, 0, 1 }, { TAKE, 5000, 0, 1, 1 }, { WAIT, 0, 0, 1, 0 }, { END } } },
	{ "starts_full", 1000, 100, 5, {
		{ REMAINING, 0, 0, 0, 1000 }, { START, 0, 0, 0, 5 }, { END } } },
	{ "charge_and_refuse_within_period", 1000, 100, 0, {
		{ TAKE, 600, 0, 0, 1 }, { REMAINING, 0, 0, 0, 400 }, { TAKE, 500, 0, 0, 0 },
		{ REMAINING, 0, 0, 0, 400 }, { WAIT, 0, 0, 0, 100 }, { WAIT, 0, 0, 50, 50 },
		{ TAKE, 400, 0, 50, 1 }, { REMAINING, 0, 0, 0, 0 }, { TAKE, 1, 0, 99, 0 },
		{ WAIT, 0, 0, 99, 1 }, { WAIT, 0, 0, 100, 0 }, { TAKE, 1, 0, 100, 1 },
		{ REMAINING, 0, 0, 0, 999 }, { START, 0, 0, 0, 100 }, { END } } },
	{ "exact_remaining_goes", 1000, 100, 0, {
		{ TAKE, 1000, 0, 0, 1 }, { REMAINING, 0, 0, 0, 0 }, { TAKE, 0, 0, 0, 1 }, { TAKE, 1, 0, 0, 0 }, { END } } },
	{ "periods_align_to_start", 1000, 100, 0, {
		{ TAKE, 1000, 0, 0, 1 }, { TAKE, 1, 0, 250, 1 }, { START, 0, 0, 0, 200 },
		{ WAIT, 0, 0, 250, 50 }, { END } } },
	/* Idle periods add up, to the burst cap (XVIF_CREDIT_BURST_MIN here). */
	{ "credit_accumulates_to_burst", 1000, 100, 0, {
		{ TAKE, 1, 0, 250, 1 }, { REMAINING, 0, 0, 0, 2999 }, { TAKE, 1, 0, 1000000, 1 },
		{ REMAINING, 0, 0, 0, 131071 }, { TAKE, 131071, 0, 1000000, 1 }, { TAKE, 1, 0, 1000000, 0 }, { END } } },
	{ "burst_is_the_period_when_larger", 200000, 100, 0, {
		{ TAKE, 200000, 0, 0, 1 }, { TAKE, 1, 0, 1000, 1 }, { REMAINING, 0, 0, 0, 199999 }, { END } } },
	/* A packet larger than a period's credit waits for enough periods and
	 * is charged in full: it never goes on one period's credit. */
	{ "oversize_waits_for_enough_credit", 1000, 100, 0, {
		{ TAKE, 1500, 0, 0, 0 }, { REMAINING, 0, 0, 0, 1000 }, { WAIT, 0, 0, 0, 100 },
		{ TAKE, 1500, 0, 100, 1 }, { REMAINING, 0, 0, 0, 500 }, { TAKE, 1000, 0, 150, 0 },
		{ TAKE, 1000, 0, 200, 1 }, { REMAINING, 0, 0, 0, 500 }, { END } } },
	{ "gso_packet_at_a_low_rate", 6250, 50000, 0, {
		{ TAKE, 65535, 0, 0, 0 }, { TAKE, 65535, 0, 450000, 0 }, { REMAINING, 0, 0, 0, 62500 },
		{ TAKE, 65535, 0, 500000, 1 }, { REMAINING, 0, 0, 0, 3215 }, { TAKE, 65535, 0, 950000, 0 },
		{ TAKE, 65535, 0, 1000000, 1 }, { END } } },
	{ "oversize_on_partial_credit_waits", 1000, 100, 0, {
		{ TAKE, 1, 0, 0, 1 }, { TAKE, 1001, 0, 0, 0 }, { REMAINING, 0, 0, 0, 999 },
		{ TAKE, 1001, 0, 100, 1 }, { REMAINING, 0, 0, 0, 998 }, { END } } },
	/* Larger than the cap (no real packet is): goes on a full burst only. */
	{ "oversize_u64_max_size", 1000, 100, 0, {
		{ TAKE, U64MAX, 0, 0, 0 }, { TAKE, U64MAX, 0, 100000, 1 }, { REMAINING, 0, 0, 0, 0 },
		{ TAKE, U64MAX, 0, 100000, 0 }, { END } } },
	{ "set_changes_rate_without_debt", 1000, 100, 0, {
		{ TAKE, 1000, 0, 0, 1 }, { SET, 2000, 50, 10, 0 }, { REMAINING, 0, 0, 0, 2000 },
		{ START, 0, 0, 0, 10 }, { TAKE, 2000, 0, 10, 1 }, { WAIT, 0, 0, 20, 40 }, { END } } },
	{ "set_to_unlimited", 1000, 100, 0, {
		{ TAKE, 1000, 0, 0, 1 }, { SET, 0, 0, 0, 0 }, { TAKE, 1000000, 0, 0, 1 }, { WAIT, 0, 0, 0, 0 }, { END } } },
	{ "largest_rate_key_values", 1ull << 48, 0xffffffffull, 0, {
		{ TAKE, 1ull << 48, 0, 0, 1 }, { TAKE, 1, 0, 0xfffffffeull, 0 },
		{ WAIT, 0, 0, 0xfffffffeull, 1 }, { TAKE, 1ull << 48, 0, 0xffffffffull, 1 }, { END } } },
	{ "many_periods_later", 1000, 100, 0, {
		{ TAKE, 1000, 0, 0, 1 }, { TAKE, 1, 0, 1000000000037ull, 1 },
		{ START, 0, 0, 0, 1000000000000ull }, { WAIT, 0, 0, 1000000000037ull, 63 }, { END } } },
	/* The clock going backwards keeps the current period (no refill). A
	 * refused packet may go when that period ends: wait says how long. */
	{ "time_backwards_no_refill", 1000, 100, 1000, {
		{ TAKE, 1000, 0, 1000, 1 }, { TAKE, 1, 0, 500, 0 }, { REMAINING, 0, 0, 0, 0 },
		{ START, 0, 0, 0, 1000 }, { TAKE, 1, 0, 1099, 0 }, { TAKE, 1, 0, 1100, 1 }, { END } } },
	{ "time_backwards_wait_counts_to_period_end", 1000, 100, 1000, {
		{ TAKE, 1000, 0, 1000, 1 }, { WAIT, 0, 0, 500, 600 }, { WAIT, 0, 0, 999, 101 }, { END } } },
	{ "time_backwards_from_u64_max", 1000, U64MAX, U64MAX, {
		{ TAKE, 1000, 0, U64MAX, 1 }, { WAIT, 0, 0, 0, U64MAX }, { END } } },
	/* No wrap in the period end: a huge period or a late clock. */
	{ "huge_usec_wait_no_overflow", 1000, U64MAX, 10, {
		{ TAKE, 1000, 0, 10, 1 }, { TAKE, 1, 0, 11, 0 }, { WAIT, 0, 0, 10, U64MAX }, { WAIT, 0, 0, 20, U64MAX - 10 },
		{ END } } },
	{ "clock_near_u64_max_wait_no_overflow", 1000, 100, U64MAX - 50, {
		{ TAKE, 1000, 0, U64MAX - 50, 1 }, { WAIT, 0, 0, U64MAX - 50, 100 }, { WAIT, 0, 0, U64MAX, 50 },
		{ TAKE, 1, 0, U64MAX, 0 }, { END } } },
};

static void test_script(void **state)
{
	const struct script *sc = XT_ROW(struct script, state);
	struct xvif_credit c;
	unsigned int i;

	xvif_credit_init(&c, sc->bytes, sc->usec, sc->now);
	for (i = 0; sc->s[i].op != END; i++) {
		const struct step *st = &sc->s[i];
		uint64_t got = 0;

		switch (st->op) {
		case TAKE: got = xvif_credit_take(&c, st->a, st->now); break;
		case WAIT: got = xvif_credit_wait(&c, st->now); break;
		case SET: xvif_credit_set(&c, st->a, st->b, st->now); continue;
		case REMAINING: got = c.remaining; break;
		case START: got = c.period_start; break;
		case END: break;
		}
		if (got != st->want)
			fail_msg("step %u (op %d, a=%llu, now=%llu): got %llu, want %llu", i, st->op,
				 (unsigned long long)st->a, (unsigned long long)st->now,
				 (unsigned long long)got, (unsigned long long)st->want);
	}
}

/* wait() and take() agree: after a refusal, retrying exactly `wait`
 * microseconds later succeeds, and one microsecond earlier still fails. */
static void test_wait_matches_take(void **state)
{
	static const uint64_t nows[] = { 0, 1, 37, 99, 100, 101, 555, 1000 };
	struct xvif_credit c;
	unsigned int i;
	uint64_t w;

	(void)state;
	for (i = 0; i < XVIF_ARRAY_SIZE(nows); i++) {
		xvif_credit_init(&c, 1000, 100, 0);
		assert_true(xvif_credit_take(&c, 1000, 0));
		if (xvif_credit_take(&c, 1, nows[i]))
			continue; /* a new period had begun: nothing to wait for */
		w = xvif_credit_wait(&c, nows[i]);
		assert_true(w > 0);
		assert_false(xvif_credit_take(&c, 1, nows[i] + w - 1));
		assert_true(xvif_credit_take(&c, 1, nows[i] + w));
	}
}

/* The rate holds over time whatever the packet size: a sender that always
 * has a packet ready (64 KiB GSO packets, full-size frames, or both mixed)
 * gets at most the rate's bytes plus one burst over 10 s, and is not
 * starved either (at least the rate's bytes less one packet). This is the
 * lab's rate scenario (1 Mbit/s = 6250 bytes per 50 ms) in arithmetic: a
 * guest sending 64 KiB packets once got 10 Mbit/s through it. */
static void test_rate_holds_for_any_packet_size(void **state)
{
	static const uint64_t sizes[][2] = { { 65535, 65535 }, { 1514, 1514 }, { 65535, 1514 }, { 60, 9018 } };
	const uint64_t bytes = 6250, usec = 50000, span = 10000000;
	unsigned int i;

	(void)state;
	for (i = 0; i < XVIF_ARRAY_SIZE(sizes); i++) {
		struct xvif_credit c;
		uint64_t now, sent = 0, allowed = bytes * (span / usec);
		unsigned int n = 0;

		xvif_credit_init(&c, bytes, usec, 0);
		for (now = 0; now <= span; now += 1000) {
			while (xvif_credit_take(&c, sizes[i][n % 2], now)) {
				sent += sizes[i][n % 2];
				n++;
			}
		}
		if (sent > allowed + c.burst || sent + 65535 < allowed)
			fail_msg("sizes %llu/%llu: %llu bytes in 10 s at %llu per %llu us (allowed %llu, burst %llu)",
				 (unsigned long long)sizes[i][0], (unsigned long long)sizes[i][1],
				 (unsigned long long)sent, (unsigned long long)bytes, (unsigned long long)usec,
				 (unsigned long long)allowed, (unsigned long long)c.burst);
	}
}

int main(void)
{
	struct xt_list l = { 0 };

	XT_ROWS(&l, "xvif_credit", test_script, scripts);
	XT_TEST(&l, test_wait_matches_take);
	XT_TEST(&l, test_rate_holds_for_any_packet_size);
	return xt_run(&l, "credit");
}
