// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of netfront's response checks (nf_proto.c) and of the way the
 * module uses common/rx.h: chains a backend builds with xvif_rx_plan() and
 * xvif_rx_responses() are parsed back with xvif_rxr_parse() and checked
 * with nf_rx_ids_ok(), as rx.c does. Hostile chains must come out DROP or
 * FATAL, never OK. Runs in user space against common/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "nf_proto.h"

#define RING 256u /* __CONST_RING_SIZE(xen_netif_rx, 4096) */

/* ---- nf_rsp_prod_ok: empty, partial, full, beyond, wrap-around, backwards ---- */

static const struct {
	uint32_t prod, cons, req;
	bool ok;
} prod_cases[] = {
	{ 0, 0, 0, true },                        /* empty, nothing posted */
	{ 5, 5, 10, true },                       /* empty, 5 posted */
	{ 7, 5, 10, true },                       /* partial */
	{ 10, 5, 10, true },                      /* every posted request answered */
	{ 11, 5, 10, false },                     /* one more than posted */
	{ 5 + RING + 1, 5, 5 + RING, false },     /* past a full ring */
	{ 4, 5, 10, false },                      /* moved backwards */
	{ 0xfffffffeu, 0xfffffffdu, 3, true },    /* wrap-around, partial */
	{ 2, 0xfffffffdu, 3, true },              /* wrap-around, across zero */
	{ 4, 0xfffffffdu, 3, false },             /* wrap-around, beyond posted */
	{ 0x80000000u, 0, 10, false },            /* absurd */
};

static void test_nf_rsp_prod_ok_table(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(prod_cases) / sizeof(prod_cases[0]); i++) {
		bool got = nf_rsp_prod_ok(prod_cases[i].prod, prod_cases[i].cons, prod_cases[i].req);

		if (got != prod_cases[i].ok)
			fail_msg("case %u: prod=%u cons=%u req=%u: got %d", i, prod_cases[i].prod,
				 prod_cases[i].cons, prod_cases[i].req, got);
	}
}

/* ---- nf_tx_rsp_check ---- */

static void test_nf_tx_rsp_check_cases(void **state)
{
	uint8_t st[RING] = { 0 };
	xvif_tx_rsp_t rsp = { .id = 3, .status = XEN_NETIF_RSP_OKAY };

	(void)state;
	st[3] = NF_TX_ID_INFLIGHT;
	assert_int_equal(nf_tx_rsp_check(&rsp, RING, st), NF_TX_RSP_OK);
	rsp.status = XEN_NETIF_RSP_ERROR;
	assert_int_equal(nf_tx_rsp_check(&rsp, RING, st), NF_TX_RSP_OK);
	rsp.status = XEN_NETIF_RSP_DROPPED;
	assert_int_equal(nf_tx_rsp_check(&rsp, RING, st), NF_TX_RSP_OK);
	/* The slot of an extra: its id is meaningless. */
	rsp.status = XEN_NETIF_RSP_NULL;
	rsp.id = 0xffff;
	assert_int_equal(nf_tx_rsp_check(&rsp, RING, st), NF_TX_RSP_SKIP);
	rsp.status = XEN_NETIF_RSP_OKAY;
	assert_int_equal(nf_tx_rsp_check(&rsp, RING, st), NF_TX_RSP_BAD_ID);
	rsp.id = RING;
	assert_int_equal(nf_tx_rsp_check(&rsp, RING, st), NF_TX_RSP_BAD_ID);
	rsp.id = RING - 1; /* free id */
	assert_int_equal(nf_tx_rsp_check(&rsp, RING, st), NF_TX_RSP_NOT_INFLIGHT);
	/* Duplicate: the first response freed the id. */
	rsp.id = 3;
	st[3] = NF_TX_ID_FREE;
	assert_int_equal(nf_tx_rsp_check(&rsp, RING, st), NF_TX_RSP_NOT_INFLIGHT);
	/* A leaked id is never answered again. */
	st[3] = NF_TX_ID_LEAKED;
	assert_int_equal(nf_tx_rsp_check(&rsp, RING, st), NF_TX_RSP_NOT_INFLIGHT);
}

/* ---- RX chains: backend side of common/ builds, netfront parses ---- */

struct chain {
	xvif_rx_rsp_t rsp[XVIF_RX_SLOTS_MAX + 4];
	unsigned int n;
};

/* What an honest backend answers for a @len-byte packet at ring index @cons. */
static void build_chain(struct chain *c, uint32_t cons, uint32_t len, uint8_t gso_type, bool hash)
{
	struct xvif_rx_features f = { .sg = true, .gso_tcpv4 = true, .gso_tcpv6 = true,
				      .hash_extra = hash };
	struct xvif_rx_params p = { .len = len, .gso_type = gso_type, .gso_size = 1448,
				    .csum_blank = gso_type != 0, .have_hash = hash, .hash = 0x1234 };
	struct xvif_rx_plan plan;
	enum xvif_rx_reason why;
	uint16_t ids[XVIF_RX_SLOTS_MAX + 4];
	unsigned int i;

	assert_int_equal(xvif_rx_plan(&p, &f, &plan, &why), 0);
	for (i = 0; i < plan.nr_slots; i++)
		ids[i] = (uint16_t)((cons + i) & (RING - 1));
	xvif_rx_responses(&plan, &p, ids, 0, c->rsp);
	c->n = plan.nr_slots;
}

static void test_nf_rx_ids_ok_honest_chains(void **state)
{
	static const struct {
		uint32_t cons, len;
		uint8_t gso;
		bool hash;
	} cases[] = {
		{ 0, 60, XEN_NETIF_GSO_TYPE_NONE, false },      /* one slot */
		{ 10, 1514, XEN_NETIF_GSO_TYPE_NONE, false },   /* one full-ish slot */
		{ 10, 9000, XEN_NETIF_GSO_TYPE_NONE, false },   /* three slots */
		{ 20, 65535, XEN_NETIF_GSO_TYPE_TCPV4, false }, /* 16 data + GSO extra */
		{ 250, 65535, XEN_NETIF_GSO_TYPE_TCPV6, true }, /* wraps the ring, two extras */
		{ 0xfffffff8u, 30000, XEN_NETIF_GSO_TYPE_TCPV4, false }, /* index wrap */
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct chain c;
		struct xvif_rxr_pkt pkt;

		build_chain(&c, cases[i].cons, cases[i].len, cases[i].gso, cases[i].hash);
		assert_int_equal(xvif_rxr_parse(c.rsp, c.n, RING, &pkt), XVIF_RXR_OK);
		assert_int_equal(pkt.nr_slots, c.n);
		assert_int_equal(pkt.total_len, cases[i].len);
		assert_int_equal(pkt.gso_type, cases[i].gso);
		if (!nf_rx_ids_ok(&pkt, cases[i].cons, RING))
			fail_msg("case %u: honest chain refused", i);
		/* The same chain read at the wrong ring index is refused. */
		assert_false(nf_rx_ids_ok(&pkt, cases[i].cons + 1, RING));
	}
}

static void test_nf_rx_seg_slot_layout(void **state)
{
	struct chain c;
	struct xvif_rxr_pkt pkt;

	(void)state;
	build_chain(&c, 0, 9000, XEN_NETIF_GSO_TYPE_TCPV4, true); /* 3 data, 2 extras */
	assert_int_equal(xvif_rxr_parse(c.rsp, c.n, RING, &pkt), XVIF_RXR_OK);
	assert_int_equal(pkt.nr_data, 3);
	assert_int_equal(pkt.nr_slots, 5);
	assert_int_equal(nf_rx_seg_slot(&pkt, 0), 0);
	assert_int_equal(nf_rx_seg_slot(&pkt, 1), 3);
	assert_int_equal(nf_rx_seg_slot(&pkt, 2), 4);
}

static void test_nf_rx_ids_swapped(void **state)
{
	struct chain c;
	struct xvif_rxr_pkt pkt;
	uint16_t t;

	(void)state;
	build_chain(&c, 100, 9000, XEN_NETIF_GSO_TYPE_NONE, false);
	t = c.rsp[1].id;
	c.rsp[1].id = c.rsp[2].id;
	c.rsp[2].id = t;
	assert_int_equal(xvif_rxr_parse(c.rsp, c.n, RING, &pkt), XVIF_RXR_OK);
	assert_false(nf_rx_ids_ok(&pkt, 100, RING));
}

static void test_nf_rx_ids_duplicate(void **state)
{
	struct chain c;
	struct xvif_rxr_pkt pkt;

	(void)state;
	build_chain(&c, 100, 9000, XEN_NETIF_GSO_TYPE_NONE, false);
	c.rsp[2].id = c.rsp[1].id;
	assert_int_equal(xvif_rxr_parse(c.rsp, c.n, RING, &pkt), XVIF_RXR_OK);
	assert_false(nf_rx_ids_ok(&pkt, 100, RING));
}

/* Hostile chains as the NAPI poll would copy them: never OK. */
static void test_nf_rx_hostile_chains(void **state)
{
	struct chain c;
	struct xvif_rxr_pkt pkt;

	(void)state;
	/* More data announced than produced. */
	build_chain(&c, 0, 9000, XEN_NETIF_GSO_TYPE_NONE, false);
	assert_int_equal(xvif_rxr_parse(c.rsp, 2, RING, &pkt), XVIF_RXR_FATAL);
	/* Nothing produced. */
	assert_int_equal(xvif_rxr_parse(c.rsp, 0, RING, &pkt), XVIF_RXR_FATAL);
	/* Id beyond the ring. */
	build_chain(&c, 0, 60, XEN_NETIF_GSO_TYPE_NONE, false);
	c.rsp[0].id = RING;
	assert_int_equal(xvif_rxr_parse(c.rsp, 1, RING, &pkt), XVIF_RXR_FATAL);
	/* Offset + size past the page. */
	build_chain(&c, 0, 60, XEN_NETIF_GSO_TYPE_NONE, false);
	c.rsp[0].offset = 4090;
	assert_int_equal(xvif_rxr_parse(c.rsp, 1, RING, &pkt), XVIF_RXR_DROP);
	/* Error status. */
	build_chain(&c, 0, 60, XEN_NETIF_GSO_TYPE_NONE, false);
	c.rsp[0].status = XEN_NETIF_RSP_ERROR;
	assert_int_equal(xvif_rxr_parse(c.rsp, 1, RING, &pkt), XVIF_RXR_DROP);
	assert_true(pkt.error);
	/* GSO size 0. */
	build_chain(&c, 0, 9000, XEN_NETIF_GSO_TYPE_TCPV4, false);
	{
		xvif_extra_t ex;

		memcpy(&ex, &c.rsp[1], sizeof(ex));
		ex.u.gso.size = 0;
		memcpy(&c.rsp[1], &ex, sizeof(ex));
	}
	assert_int_equal(xvif_rxr_parse(c.rsp, c.n, RING, &pkt), XVIF_RXR_DROP);
	/* Unknown extra type. */
	build_chain(&c, 0, 9000, XEN_NETIF_GSO_TYPE_TCPV4, false);
	{
		xvif_extra_t ex;

		memcpy(&ex, &c.rsp[1], sizeof(ex));
		ex.type = 77;
		memcpy(&c.rsp[1], &ex, sizeof(ex));
	}
	assert_int_equal(xvif_rxr_parse(c.rsp, c.n, RING, &pkt), XVIF_RXR_FATAL);
	/* An endless chain: more_data on every slot of a full window. */
	{
		xvif_rx_rsp_t r[XVIF_RX_SLOTS_MAX + 2];
		unsigned int i;

		for (i = 0; i < XVIF_RX_SLOTS_MAX + 2; i++) {
			r[i].id = (uint16_t)i;
			r[i].offset = 0;
			r[i].flags = XEN_NETRXF_more_data;
			r[i].status = 100;
		}
		assert_int_equal(xvif_rxr_parse(r, RING, RING, &pkt), XVIF_RXR_FATAL);
	}
}

/* ---- nf_pick_queues, nf_pick_mtu ---- */

static void test_nf_pick_queues_table(void **state)
{
	static const struct {
		unsigned int cpus, be, param, dev, want;
	} t[] = {
		{ 1, 1, 0, 16, 1 },
		{ 4, 8, 0, 16, 4 },   /* vCPUs */
		{ 4, 2, 0, 16, 2 },   /* backend's maximum */
		{ 4, 8, 3, 16, 3 },   /* module parameter */
		{ 64, 64, 0, 64, 16 }, /* XVIF_MAX_QUEUES */
		{ 4, 8, 0, 2, 2 },    /* netdev's queues */
		{ 0, 0, 0, 0, 1 },    /* never 0 */
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(nf_pick_queues(t[i].cpus, t[i].be, t[i].param, t[i].dev), t[i].want);
}

static void test_nf_pick_mtu_table(void **state)
{
	(void)state;
	assert_int_equal(nf_pick_mtu(0, true), 1500);
	assert_int_equal(nf_pick_mtu(1500, false), 1500);
	assert_int_equal(nf_pick_mtu(9000, true), 9000);
	assert_int_equal(nf_pick_mtu(9000, false), 0);
	assert_int_equal(nf_pick_mtu(67, true), 0);
	assert_int_equal(nf_pick_mtu(68, true), 68);
	assert_int_equal(nf_pick_mtu(XVIF_MTU_MAX, true), XVIF_MTU_MAX);
	assert_int_equal(nf_pick_mtu((uint64_t)XVIF_MTU_MAX + 1, true), 0);
	assert_int_equal(nf_pick_mtu(1ull << 40, true), 0);
}

/* ---- nf_reoffer_after_close: only a backend that went away ---- */

static void test_nf_reoffer_after_close_table(void **state)
{
	unsigned int b, w;

	(void)state;
	/* xvif-netback restarted: Connected -> Closed, online=1. */
	assert_true(nf_reoffer_after_close(XenbusStateClosed, XenbusStateConnected, 1));
	/* xl network-detach: online=0 (libxl writes it with Closing). */
	assert_false(nf_reoffer_after_close(XenbusStateClosed, XenbusStateConnected, 0));
	/* Orderly close: Closing first; its Closed finds us Closed already. */
	assert_false(nf_reoffer_after_close(XenbusStateClosing, XenbusStateConnected, 1));
	/* A backend that closed while we connected or were closing (its own
	 * fatal error, ours): no retry loop. */
	assert_false(nf_reoffer_after_close(XenbusStateClosed, XenbusStateInitialising, 1));
	assert_false(nf_reoffer_after_close(XenbusStateClosed, XenbusStateClosing, 1));
	/* online is hostile input: only exactly 1. */
	assert_false(nf_reoffer_after_close(XenbusStateClosed, XenbusStateConnected, 2));
	/* Nothing else says yes. */
	for (b = 0; b < 16; b++)
		for (w = 0; w < 16; w++)
			if (nf_reoffer_after_close(b, w, 1))
				assert_true(b == XenbusStateClosed && w == XenbusStateConnected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nf_rsp_prod_ok_table),
		cmocka_unit_test(test_nf_tx_rsp_check_cases),
		cmocka_unit_test(test_nf_rx_ids_ok_honest_chains),
		cmocka_unit_test(test_nf_rx_seg_slot_layout),
		cmocka_unit_test(test_nf_rx_ids_swapped),
		cmocka_unit_test(test_nf_rx_ids_duplicate),
		cmocka_unit_test(test_nf_rx_hostile_chains),
		cmocka_unit_test(test_nf_pick_queues_table),
		cmocka_unit_test(test_nf_pick_mtu_table),
		cmocka_unit_test(test_nf_reoffer_after_close_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
