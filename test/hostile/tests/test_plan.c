// SPDX-License-Identifier: GPL-2.0-only
/*
 * The attack plans are the malformations they claim: each runs through
 * common/'s validators (the rules xvif-netback applies) and must get the
 * verdict listed here, written independently of plan.c's own expectations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "plan.h"
#include "xs_schema.h"

static const uint32_t grefs[3] = { 11, 12, 13 };

/* Numbered table: attack, variant name, verdict and reason a conforming
 * backend reaches on the produced chain. */
static const struct {
	enum hostile_attack a;
	const char *variant;
	enum xvif_tx_verdict verdict;
	enum xvif_tx_reason reason;
} tx_cases[] = {
	/*  0 */ { ATK_FRONT_SANITY, "tx", XVIF_TX_OK, XVIF_TXR_NONE },
	/*  1 */ { ATK_ZERO_LEN, "middle", XVIF_TX_OK, XVIF_TXR_NONE },
	/*  2 */ { ATK_ZERO_LEN, "all", XVIF_TX_DROP, XVIF_TXR_TOO_SHORT },
	/*  3 */ { ATK_ZERO_LEN, "first", XVIF_TX_DROP, XVIF_TXR_TOO_SHORT },
	/*  4 */ { ATK_PAGE_CROSS, "offset", XVIF_TX_FATAL, XVIF_TXR_CROSS_PAGE },
	/*  5 */ { ATK_PAGE_CROSS, "oversize", XVIF_TX_DROP, XVIF_TXR_SIZE_MISMATCH },
	/*  6 */ { ATK_TOO_MANY_SLOTS, "18", XVIF_TX_OK, XVIF_TXR_NONE },
	/*  7 */ { ATK_TOO_MANY_SLOTS, "19", XVIF_TX_DROP, XVIF_TXR_TOO_MANY_SLOTS },
	/*  8 */ { ATK_TOO_MANY_SLOTS, "40", XVIF_TX_FATAL, XVIF_TXR_CHAIN_TOO_LONG },
	/*  9 */ { ATK_TINY_SLOTS, "max", XVIF_TX_OK, XVIF_TXR_NONE },
	/* 10 */ { ATK_TINY_SLOTS, "short-first", XVIF_TX_OK, XVIF_TXR_NONE },
	/* 11 */ { ATK_BAD_GRANT, "invalid", XVIF_TX_OK, XVIF_TXR_NONE },
	/* 12 */ { ATK_BAD_GRANT, "revoked", XVIF_TX_OK, XVIF_TXR_NONE },
	/* 13 */ { ATK_BAD_GRANT, "foreign", XVIF_TX_OK, XVIF_TXR_NONE },
	/* 14 */ { ATK_BAD_EXTRA, "unknown", XVIF_TX_FATAL, XVIF_TXR_BAD_EXTRA_TYPE },
	/* 15 */ { ATK_BAD_EXTRA, "type-zero", XVIF_TX_FATAL, XVIF_TXR_BAD_EXTRA_TYPE },
	/* 16 */ { ATK_BAD_EXTRA, "repeated", XVIF_TX_DROP, XVIF_TXR_REPEATED_EXTRA },
	/* 17 */ { ATK_BAD_EXTRA, "truncated", XVIF_TX_FATAL, XVIF_TXR_TRUNCATED },
	/* 18 */ { ATK_BAD_EXTRA, "gso-zero", XVIF_TX_DROP, XVIF_TXR_BAD_GSO },
	/* 19 */ { ATK_BAD_EXTRA, "gso-absurd", XVIF_TX_DROP, XVIF_TXR_BAD_GSO },
};

static void tx_plan_verdicts(void **state)
{
	struct xvif_tx_features f;

	(void)state;
	hostile_tx_features(&f);
	for (unsigned int i = 0; i < sizeof(tx_cases) / sizeof(tx_cases[0]); i++) {
		struct hostile_tx_plan p;
		struct xvif_tx_pkt pkt;
		enum xvif_tx_reason why;
		int v = hostile_variant_lookup(tx_cases[i].a, tx_cases[i].variant);

		print_message("case %u: %s/%s\n", i, hostile_attack_desc(tx_cases[i].a)->name,
			      tx_cases[i].variant);
		assert_true(v >= 0);
		assert_int_equal(hostile_tx_plan(tx_cases[i].a, v, grefs, 3, 100, &p), 0);
		assert_true(p.nr >= 1 && p.nr <= HOSTILE_PLAN_SLOTS);
		assert_int_equal(xvif_tx_parse(p.req, p.nr, &f, &pkt, &why), tx_cases[i].verdict);
		assert_int_equal(why, tx_cases[i].reason);
		/* plan.c's own expectation agrees with the table. */
		assert_int_equal(p.expect, tx_cases[i].verdict);
		assert_int_equal(p.expect_reason, tx_cases[i].reason);
		assert_non_null(p.desc);
	}
}

/* Every front attack played with a TX chain has one; the others say no. */
static void tx_plan_every_variant_builds(void **state)
{
	(void)state;
	for (unsigned int a = 0; a < ATK_NR; a++) {
		for (int v = 0; v < hostile_variant_count(a); v++) {
			struct hostile_tx_plan p;
			int rc = hostile_tx_plan(a, v, grefs, 1, 0, &p);

			if (rc == 0) {
				assert_true(p.nr >= 1 && p.nr <= HOSTILE_PLAN_SLOTS);
				/* With one data page every slot still names it. */
				assert_true(p.req[0].gref == grefs[0] || p.req[0].gref == HOSTILE_GREF_INVALID);
			}
		}
	}
	struct hostile_tx_plan p;
	assert_int_equal(hostile_tx_plan(ATK_CTRL_GARBAGE, 0, grefs, 3, 0, &p), -1);
	assert_int_equal(hostile_tx_plan(ATK_FRONT_SANITY, 0, NULL, 0, 0, &p), -1);
}

/* Request ids are distinct within a chain, from the first id given. */
static void tx_plan_ids_distinct(void **state)
{
	struct hostile_tx_plan p;
	int v = hostile_variant_lookup(ATK_TOO_MANY_SLOTS, "40");

	(void)state;
	assert_int_equal(hostile_tx_plan(ATK_TOO_MANY_SLOTS, v, grefs, 3, 250, &p), 0);
	assert_int_equal(p.nr, HOSTILE_SLOTS_HOSTILE);
	for (unsigned int i = 0; i < p.nr; i++) {
		assert_int_equal(p.req[i].id, (uint16_t)(250 + i));
		assert_true((uint32_t)p.req[i].offset + p.req[i].size <= XVIF_PAGE_SIZE || i == 0);
	}
}

/* The double-fetch racer flips between a chain that passes and one that
 * does not: a backend reading a slot twice sees both. */
static void df_twins(void **state)
{
	struct xvif_tx_features f;

	(void)state;
	hostile_tx_features(&f);
	for (int v = 0; v < hostile_variant_count(ATK_DOUBLE_FETCH); v++) {
		xvif_tx_req_t good[HOSTILE_DF_SLOTS], bad[HOSTILE_DF_SLOTS];
		struct xvif_tx_pkt pkt;
		enum xvif_tx_reason why;
		unsigned int changed;

		hostile_df_good(grefs, 3, 7, good);
		changed = hostile_df_bad(v, good, bad);
		assert_true(changed < HOSTILE_DF_SLOTS);
		assert_int_equal(xvif_tx_parse(good, HOSTILE_DF_SLOTS, &f, &pkt, &why), XVIF_TX_OK);
		assert_int_not_equal(xvif_tx_parse(bad, HOSTILE_DF_SLOTS, &f, &pkt, &why), XVIF_TX_OK);
		/* Only the named slot differs. */
		for (unsigned int i = 0; i < HOSTILE_DF_SLOTS; i++)
			if (i != changed)
				assert_memory_equal(&good[i], &bad[i], sizeof(good[i]));
	}
}

static int fill_copy(void *ctx, uint32_t gref, uint32_t offset, void *dst, uint32_t len)
{
	(void)ctx;
	if (gref == HOSTILE_GREF_INVALID || offset > XVIF_PAGE_SIZE || len > XVIF_PAGE_SIZE - offset)
		return -1;
	memset(dst, HOSTILE_CTRL_FILL, len);
	return 0;
}

/* XSA-270: every garbage control request is refused, the honest ones in
 * between still succeed. */
static void ctrl_plan_statuses(void **state)
{
	struct hostile_ctrl_step s[HOSTILE_CTRL_MAX];
	struct xvif_hash h;
	unsigned int n, bad = 0;

	(void)state;
	xvif_hash_init(&h);
	n = hostile_ctrl_plan(42, s, HOSTILE_CTRL_MAX);
	assert_true(n >= 10);
	for (unsigned int i = 0; i < n; i++) {
		xvif_ctrl_rsp_t rsp;

		print_message("ctrl step %u: %s\n", i, s[i].desc);
		memset(&rsp, 0xAA, sizeof(rsp));
		xvif_ctrl_handle(&h, 2, &s[i].req, fill_copy, NULL, &rsp);
		assert_int_equal(rsp.id, s[i].req.id);
		if (s[i].expect_ok)
			assert_int_equal(rsp.status, XEN_NETIF_CTRL_STATUS_SUCCESS);
		else {
			assert_int_not_equal(rsp.status, XEN_NETIF_CTRL_STATUS_SUCCESS);
			bad++;
		}
	}
	assert_true(bad >= 8);
	/* A short buffer gets a prefix of the plan. */
	assert_int_equal(hostile_ctrl_plan(42, s, 3), 3);
}

/* A fake frontend directory: the ops applied in order. */
struct fake_dir {
	unsigned int n;
	struct { char key[sizeof(((struct hostile_xs_op *)0)->key)]; char val[64]; bool present; } e[64];
};

static void fake_apply(struct fake_dir *d, const struct hostile_xs_op *ops, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned int j;

		for (j = 0; j < d->n; j++)
			if (!strcmp(d->e[j].key, ops[i].key))
				break;
		if (j == d->n) {
			assert_true(d->n < 64);
			d->n++;
			memcpy(d->e[j].key, ops[i].key, sizeof(d->e[j].key));
			d->e[j].key[sizeof(d->e[j].key) - 1] = '\0';
		}
		d->e[j].present = ops[i].value != NULL;
		if (ops[i].value)
			snprintf(d->e[j].val, sizeof(d->e[j].val), "%s", ops[i].value);
	}
}

static int fake_read(void *ctx, const char *key, char *buf, unsigned int len)
{
	struct fake_dir *d = ctx;

	for (unsigned int j = 0; j < d->n; j++) {
		if (strcmp(d->e[j].key, key) || !d->e[j].present)
			continue;
		if (strlen(d->e[j].val) >= len)
			return XVIF_XS_TOOLONG;
		snprintf(buf, len, "%s", d->e[j].val);
		return (int)strlen(buf);
	}
	return XVIF_XS_MISSING;
}

static const struct {
	const char *variant;
	enum hostile_xs_expect expect;
	const char *bad_key;     /* the key the refusal must name */
} xs_cases[] = {
	/* 0 */ { "nq-zero", HOSTILE_XS_REFUSE_PARSE, "multi-queue-num-queues" },
	/* 1 */ { "nq-huge", HOSTILE_XS_REFUSE_PARSE, "multi-queue-num-queues" },
	/* 2 */ { "queue-missing", HOSTILE_XS_REFUSE_PARSE, "queue-1/" },
	/* 3 */ { "queue-extra", HOSTILE_XS_REFUSE_PARSE, "queue-2/" },
	/* 4 */ { "ref-nan", HOSTILE_XS_REFUSE_PARSE, "tx-ring-ref" },
	/* 5 */ { "ref-ungranted", HOSTILE_XS_REFUSE_MAP, NULL },
	/* 6 */ { "evtchn-missing", HOSTILE_XS_REFUSE_PARSE, "event-channel" },
	/* 7 */ { "mac-mtu", HOSTILE_XS_ACCEPT, NULL },
	/* 8 */ { "flags", HOSTILE_XS_REFUSE_PARSE, "feature-sg" },
};

static void xs_plan_refusals(void **state)
{
	const struct hostile_xs_legit l = { .tx_ref = 8, .rx_ref = 9, .evtchn = 5 };
	struct xvif_be_caps caps = { .max_queues = 4, .sg = true, .gso_tcpv4 = true, .gso_tcpv6 = true,
				     .ipv6_csum = true, .rx_copy = true };

	(void)state;
	assert_int_equal(hostile_variant_count(ATK_XS_GARBAGE), sizeof(xs_cases) / sizeof(xs_cases[0]));
	for (unsigned int i = 0; i < sizeof(xs_cases) / sizeof(xs_cases[0]); i++) {
		struct hostile_xs_op ops[HOSTILE_XS_OPS_MAX];
		struct fake_dir d = { 0 };
		struct xvif_fe_config cfg;
		struct xvif_xs_err err;
		enum hostile_xs_expect ex;
		unsigned int n;
		int v = hostile_variant_lookup(ATK_XS_GARBAGE, xs_cases[i].variant);
		int rc;

		assert_true(v >= 0);
		n = hostile_xs_plan(v, &l, ops, HOSTILE_XS_OPS_MAX, &ex);
		assert_true(n > 0 && n < HOSTILE_XS_OPS_MAX);
		assert_int_equal(ex, xs_cases[i].expect);
		fake_apply(&d, ops, n);
		memset(&err, 0, sizeof(err));
		rc = xvif_fe_config_parse(fake_read, &d, &caps, &cfg, &err);
		print_message("xs case %u %s: rc %d key '%s' why '%s'\n", i, xs_cases[i].variant, rc, err.key,
			      err.why);
		if (ex == HOSTILE_XS_REFUSE_PARSE) {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err.key, xs_cases[i].bad_key));
		} else {
			assert_int_equal(rc, 0);
			if (ex == HOSTILE_XS_REFUSE_MAP)
				assert_int_equal(cfg.queue[0].tx_ring_ref, HOSTILE_GREF_INVALID);
		}
	}
}

/* The honest key set connects, and carries the values given. */
static void xs_plan_honest(void **state)
{
	const struct hostile_xs_legit l = { .tx_ref = 8, .rx_ref = 9, .evtchn = 5 };
	struct xvif_be_caps caps = { .max_queues = 1, .sg = true, .rx_copy = true };
	struct hostile_xs_op ops[HOSTILE_XS_OPS_MAX];
	struct fake_dir d = { 0 };
	struct xvif_fe_config cfg;
	struct xvif_xs_err err;
	enum hostile_xs_expect ex;
	unsigned int n;

	(void)state;
	n = hostile_xs_plan(HOSTILE_XS_HONEST, &l, ops, HOSTILE_XS_OPS_MAX, &ex);
	assert_int_equal(ex, HOSTILE_XS_ACCEPT);
	fake_apply(&d, ops, n);
	assert_int_equal(xvif_fe_config_parse(fake_read, &d, &caps, &cfg, &err), 0);
	assert_int_equal(cfg.num_queues, 1);
	assert_int_equal(cfg.queue[0].tx_ring_ref, 8);
	assert_int_equal(cfg.queue[0].rx_ring_ref, 9);
	assert_int_equal(cfg.queue[0].evtchn_tx, 5);
	assert_true(cfg.sg && cfg.rx_notify && cfg.rx_copy);
	/* Too small an array gets a prefix, never an overflow. */
	assert_int_equal(hostile_xs_plan(HOSTILE_XS_HONEST, &l, ops, 2, &ex), 2);
}

static void xs_flood_keys(void **state)
{
	char a[48], b[48];

	(void)state;
	hostile_xs_flood_key(0, 5, a, sizeof(a));
	assert_string_equal(a, "state");
	hostile_xs_flood_key(1, 5, a, sizeof(a));
	hostile_xs_flood_key(1, 6, b, sizeof(b));
	assert_string_not_equal(a, b);
	/* Bounded: the key set wraps. */
	hostile_xs_flood_key(1, 5 + 200, b, sizeof(b));
	assert_string_equal(a, b);
}

static void fill_frame_bounds(void **state)
{
	static uint8_t page[XVIF_PAGE_SIZE + 16];

	(void)state;
	memset(page, 0xEE, sizeof(page));
	hostile_fill_frame(page, XVIF_PAGE_SIZE - 10, HOSTILE_FRAME_LEN, 1);
	/* Nothing written past the 4 KiB page. */
	for (unsigned int i = XVIF_PAGE_SIZE; i < sizeof(page); i++)
		assert_int_equal(page[i], 0xEE);
	hostile_fill_frame(page, 0, HOSTILE_FRAME_LEN, 1);
	assert_int_equal(page[0], 0xff);
	assert_int_equal(page[12], HOSTILE_ETHERTYPE >> 8);
	assert_int_equal(page[13], HOSTILE_ETHERTYPE & 0xff);
	hostile_fill_frame(page, XVIF_PAGE_SIZE, 4, 1);   /* off at the end: no-op */
	assert_int_equal(page[XVIF_PAGE_SIZE], 0xEE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tx_plan_verdicts),
		cmocka_unit_test(tx_plan_every_variant_builds),
		cmocka_unit_test(tx_plan_ids_distinct),
		cmocka_unit_test(df_twins),
		cmocka_unit_test(ctrl_plan_statuses),
		cmocka_unit_test(xs_plan_refusals),
		cmocka_unit_test(xs_plan_honest),
		cmocka_unit_test(xs_flood_keys),
		cmocka_unit_test(fill_frame_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
