// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: common/rx.c. Backend side: slot plans for packets of every
 * interesting length, GSO, hash, xdp-headroom; the responses built from a
 * plan. Frontend side: xvif_rxr_parse on what the backend builds, and on
 * every class of bad response.
 */
#include "xvif_test.h"
#include "rx.h"

#define RM XEN_NETRXF_more_data
#define RX XEN_NETRXF_extra_info
#define RCB XEN_NETRXF_csum_blank
#define RDV XEN_NETRXF_data_validated
#define V4 XEN_NETIF_GSO_TYPE_TCPV4
#define V6 XEN_NETIF_GSO_TYPE_TCPV6
#define PG 4096u

static const struct xvif_rx_features f_flat = { 0 };
static const struct xvif_rx_features f_sg = { .sg = 1 };
static const struct xvif_rx_features f_gso = { .sg = 1, .gso_tcpv4 = 1, .gso_tcpv6 = 1 };
static const struct xvif_rx_features f_v4 = { .sg = 1, .gso_tcpv4 = 1 };
static const struct xvif_rx_features f_v6 = { .sg = 1, .gso_tcpv6 = 1 };
static const struct xvif_rx_features f_hash = { .sg = 1, .gso_tcpv4 = 1, .hash_extra = 1 };
static const struct xvif_rx_features f_xdp256 = { .sg = 1, .xdp_headroom = 256 };
static const struct xvif_rx_features f_xdp256_flat = { .xdp_headroom = 256 };
static const struct xvif_rx_features f_xdp4082 = { .sg = 1, .xdp_headroom = 4082 };
static const struct xvif_rx_features f_xdp4083 = { .sg = 1, .xdp_headroom = 4083 };
static const struct xvif_rx_features f_xdpmax = { .sg = 1, .xdp_headroom = 0x7fff };

static const struct plan_row {
	const char *name;
	uint32_t len;
	uint8_t gso_type;
	uint16_t gso_size;
	bool have_hash;
	const struct xvif_rx_features *f;
	int rc;
	enum xvif_rx_reason reason;
	unsigned int nr_data, nr_slots;
	bool gso_extra, hash_extra;
} plan_rows[] = {
	{ "len_0", 0, 0, 0, 0, &f_sg, -1, XVIF_RXR_TOO_SHORT },
	{ "len_1_byte", 1, 0, 0, 0, &f_sg, -1, XVIF_RXR_TOO_SHORT },
	{ "len_13", 13, 0, 0, 0, &f_sg, -1, XVIF_RXR_TOO_SHORT },
	{ "len_eth_hlen", 14, 0, 0, 0, &f_flat, 0, XVIF_RXR_NONE, 1, 1 },
	{ "len_1514", 1514, 0, 0, 0, &f_flat, 0, XVIF_RXR_NONE, 1, 1 },
	{ "len_page", PG, 0, 0, 0, &f_flat, 0, XVIF_RXR_NONE, 1, 1 },
	{ "len_page_plus_1_sg", PG + 1, 0, 0, 0, &f_sg, 0, XVIF_RXR_NONE, 2, 2 },
	{ "len_page_plus_1_no_sg", PG + 1, 0, 0, 0, &f_flat, -1, XVIF_RXR_TOO_BIG },
	{ "len_two_pages", 2 * PG, 0, 0, 0, &f_sg, 0, XVIF_RXR_NONE, 2, 2 },
	{ "max_frame", 65535, 0, 0, 0, &f_sg, 0, XVIF_RXR_NONE, 16, 16 },
	{ "max_frame_plus_1", 65536, 0, 0, 0, &f_sg, -1, XVIF_RXR_TOO_BIG },
	{ "eighteen_pages", 18 * PG, 0, 0, 0, &f_sg, -1, XVIF_RXR_TOO_BIG },
	{ "eighteen_pages_plus_1", 18 * PG + 1, 0, 0, 0, &f_sg, -1, XVIF_RXR_TOO_BIG },
	{ "u32_max", 0xffffffffu, 0, 0, 0, &f_sg, -1, XVIF_RXR_TOO_BIG },
	/* xdp-headroom: every data slot starts at the headroom */
	{ "xdp256_1500", 1500, 0, 0, 0, &f_xdp256, 0, XVIF_RXR_NONE, 1, 1 },
	{ "xdp256_page_sg", PG, 0, 0, 0, &f_xdp256, 0, XVIF_RXR_NONE, 2, 2 },
	{ "xdp256_fits_one_slot_no_sg", PG - 256, 0, 0, 0, &f_xdp256_flat, 0, XVIF_RXR_NONE, 1, 1 },
	{ "xdp256_one_over_no_sg", PG - 256 + 1, 0, 0, 0, &f_xdp256_flat, -1, XVIF_RXR_TOO_BIG },
	{ "xdp256_max_frame", 65535, 0, 0, 0, &f_xdp256, 0, XVIF_RXR_NONE, 18, 18 },
	{ "xdp4082_eth_hlen", 14, 0, 0, 0, &f_xdp4082, 0, XVIF_RXR_NONE, 1, 1 },
	{ "xdp4082_15_bytes", 15, 0, 0, 0, &f_xdp4082, 0, XVIF_RXR_NONE, 2, 2 },
	{ "xdp4082_18_slots", 14 * 18, 0, 0, 0, &f_xdp4082, 0, XVIF_RXR_NONE, 18, 18 },
	{ "xdp4082_19_slots", 14 * 18 + 1, 0, 0, 0, &f_xdp4082, -1, XVIF_RXR_TOO_BIG },
	{ "xdp4083_no_room_for_header", 14, 0, 0, 0, &f_xdp4083, -1, XVIF_RXR_TOO_BIG },
	{ "xdp_max_headroom", 14, 0, 0, 0, &f_xdpmax, -1, XVIF_RXR_TOO_BIG },
	/* GSO */
	{ "gso_v4", 9014, V4, 1448, 0, &f_v4, 0, XVIF_RXR_NONE, 3, 4, true },
	{ "gso_v6", 9014, V6, 1428, 0, &f_v6, 0, XVIF_RXR_NONE, 3, 4, true },
	{ "gso_v4_max_frame", 65535, V4, 1448, 0, &f_gso, 0, XVIF_RXR_NONE, 16, 17, true },
	{ "gso_v4_not_negotiated", 9014, V4, 1448, 0, &f_v6, -1, XVIF_RXR_GSO_UNNEGOTIATED },
	{ "gso_v6_not_negotiated", 9014, V6, 1448, 0, &f_v4, -1, XVIF_RXR_GSO_UNNEGOTIATED },
	{ "gso_type_3", 9014, 3, 1448, 0, &f_gso, -1, XVIF_RXR_GSO_UNNEGOTIATED },
	{ "gso_size_0", 9014, V4, 0, 0, &f_gso, -1, XVIF_RXR_BAD_GSO },
	{ "gso_too_short_first", 10, V4, 0, 0, &f_gso, -1, XVIF_RXR_TOO_SHORT },
	/* hash extra */
	{ "hash_extra", 1514, 0, 0, 1, &f_hash, 0, XVIF_RXR_NONE, 1, 2, false, true },
	{ "hash_not_configured", 1514, 0, 0, 1, &f_gso, 0, XVIF_RXR_NONE, 1, 1 },
	{ "hash_configured_packet_unhashed", 1514, 0, 0, 0, &f_hash, 0, XVIF_RXR_NONE, 1, 1 },
	{ "gso_and_hash", 9014, V4, 1448, 1, &f_hash, 0, XVIF_RXR_NONE, 3, 5, true, true },
};

static void plan_params(const struct plan_row *r, struct xvif_rx_params *p)
{
	memset(p, 0, sizeof(*p));
	p->len = r->len;
	p->gso_type = r->gso_type;
	p->gso_size = r->gso_size;
	p->have_hash = r->have_hash;
	p->hash_type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
	p->hash = 0x51ccc178;
}

static void test_plan_row(void **state)
{
	const struct plan_row *r = XT_ROW(struct plan_row, state);
	struct xvif_rx_params p;
	struct xvif_rx_plan plan;
	enum xvif_rx_reason reason = (enum xvif_rx_reason)99;
	uint32_t cap = PG - r->f->xdp_headroom, off = 0;
	unsigned int i;
	int rc;

	plan_params(r, &p);
	rc = xvif_rx_plan(&p, r->f, &plan, &reason);
	if (rc != r->rc || reason != r->reason)
		fail_msg("rc %d reason %s, want rc %d reason %s", rc, xvif_rx_reason_name(reason), r->rc,
			 xvif_rx_reason_name(r->reason));
	if (rc)
		return;
	assert_int_equal(plan.nr_data, r->nr_data);
	assert_int_equal(plan.nr_slots, r->nr_slots);
	assert_int_equal(plan.gso_extra, r->gso_extra);
	assert_int_equal(plan.hash_extra, r->hash_extra);
	/* Segments tile the packet: each fills its slot from the headroom to
	 * the page end, the last takes the rest. */
	for (i = 0; i < plan.nr_data; i++) {
		uint32_t want = i + 1 < plan.nr_data ? cap : r->len - off;

		assert_int_equal(plan.seg[i].pkt_off, off);
		assert_int_equal(plan.seg[i].offset, r->f->xdp_headroom);
		assert_int_equal(plan.seg[i].len, want);
		assert_true(want > 0 && want <= cap);
		off += plan.seg[i].len;
	}
	assert_int_equal(off, r->len);
}

/* ---- responses ---- */

static void make_plan(uint32_t len, uint8_t gso, bool hash, const struct xvif_rx_features *f,
		      struct xvif_rx_params *p, struct xvif_rx_plan *plan)
{
	enum xvif_rx_reason reason;

	memset(p, 0, sizeof(*p));
	p->len = len;
	p->gso_type = gso;
	p->gso_size = gso ? 1448 : 0;
	p->have_hash = hash;
	p->hash_type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
	p->hash = 0x51ccc178;
	assert_int_equal(xvif_rx_plan(p, f, plan, &reason), 0);
}

static const uint16_t req_ids[XVIF_RX_SLOTS_MAX + 2] = {
	200, 13, 7, 255, 0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 14, 15, 16, 17,
};

static void test_responses_single_slot(void **state)
{
	struct xvif_rx_params p;
	struct xvif_rx_plan plan;
	xvif_rx_rsp_t rsp[4];

	(void)state;
	make_plan(1514, 0, false, &f_flat, &p, &plan);
	memset(rsp, 0x5a, sizeof(rsp));
	xvif_rx_responses(&plan, &p, req_ids, 0, rsp);
	assert_int_equal(rsp[0].id, 200);
	assert_int_equal(rsp[0].offset, 0);
	assert_int_equal(rsp[0].flags, 0);
	assert_int_equal(rsp[0].status, 1514);
	assert_int_equal(rsp[1].id, 0x5a5a); /* nothing past the plan */
}

static const struct csum_row {
	const char *name;
	bool csum_blank, data_validated;
	uint16_t flags;
} csum_rows[] = {
	{ "none", 0, 0, 0 },
	{ "data_validated", 0, 1, RDV },
	{ "csum_blank", 1, 0, RCB | RDV },
	{ "csum_blank_and_validated", 1, 1, RCB | RDV },
};

static void test_responses_csum_row(void **state)
{
	const struct csum_row *r = XT_ROW(struct csum_row, state);
	struct xvif_rx_params p;
	struct xvif_rx_plan plan;
	xvif_rx_rsp_t rsp[4];

	make_plan(PG + 100, 0, false, &f_sg, &p, &plan);
	p.csum_blank = r->csum_blank;
	p.data_validated = r->data_validated;
	xvif_rx_responses(&plan, &p, req_ids, 0, rsp);
	assert_int_equal(rsp[0].flags, r->flags | RM);
	assert_int_equal(rsp[1].flags, 0); /* checksum flags on the first slot only */
}

/* [data0][GSO extra][hash extra][data1][data2], in ring order. */
static void test_responses_gso_and_hash(void **state)
{
	struct xvif_rx_params p;
	struct xvif_rx_plan plan;
	xvif_rx_rsp_t rsp[8];
	xvif_extra_t ex;
	uint32_t hash;

	(void)state;
	make_plan(9014, V4, true, &f_hash, &p, &plan);
	p.csum_blank = true;
	assert_int_equal(plan.nr_slots, 5);
	memset(rsp, 0x5a, sizeof(rsp));
	xvif_rx_responses(&plan, &p, req_ids, 0, rsp);

	assert_int_equal(rsp[0].id, req_ids[0]);
	assert_int_equal(rsp[0].flags, RM | RX | RCB | RDV);
	assert_int_equal(rsp[0].status, PG);
	assert_int_equal(rsp[0].offset, 0);

	memcpy(&ex, &rsp[1], sizeof(ex));
	assert_int_equal(ex.type, XEN_NETIF_EXTRA_TYPE_GSO);
	assert_int_equal(ex.flags, XEN_NETIF_EXTRA_FLAG_MORE);
	assert_int_equal(ex.u.gso.type, V4);
	assert_int_equal(ex.u.gso.size, 1448);
	assert_int_equal(ex.u.gso.features, 0);

	memcpy(&ex, &rsp[2], sizeof(ex));
	assert_int_equal(ex.type, XEN_NETIF_EXTRA_TYPE_HASH);
	assert_int_equal(ex.flags, 0);
	assert_int_equal(ex.u.hash.type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
	assert_int_equal(ex.u.hash.algorithm, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ);
	memcpy(&hash, ex.u.hash.value, 4);
	assert_int_equal(hash, 0x51ccc178);

	assert_int_equal(rsp[3].id, req_ids[3]);
	assert_int_equal(rsp[3].flags, RM);
	assert_int_equal(rsp[3].status, PG);
	assert_int_equal(rsp[4].id, req_ids[4]);
	assert_int_equal(rsp[4].flags, 0);
	assert_int_equal(rsp[4].status, 9014 - 2 * PG);
	assert_int_equal(rsp[5].id, 0x5a5a);
}

/* Hash extra alone: no MORE flag on it. */
static void test_responses_hash_only(void **state)
{
	struct xvif_rx_params p;
	struct xvif_rx_plan plan;
	xvif_rx_rsp_t rsp[4];
	xvif_extra_t ex;

	(void)state;
	make_plan(100, 0, true, &f_hash, &p, &plan);
	xvif_rx_responses(&plan, &p, req_ids, 0, rsp);
	assert_int_equal(rsp[0].flags, RX);
	memcpy(&ex, &rsp[1], sizeof(ex));
	assert_int_equal(ex.type, XEN_NETIF_EXTRA_TYPE_HASH);
	assert_int_equal(ex.flags, 0);
}

/* With xdp-headroom the response says offset 0, status = headroom + bytes. */
static void test_responses_xdp_headroom(void **state)
{
	struct xvif_rx_params p;
	struct xvif_rx_plan plan;
	xvif_rx_rsp_t rsp[4];

	(void)state;
	make_plan(PG, 0, false, &f_xdp256, &p, &plan);
	xvif_rx_responses(&plan, &p, req_ids, 0, rsp);
	assert_int_equal(rsp[0].offset, 0);
	assert_int_equal(rsp[0].status, PG);            /* 256 + 3840 */
	assert_int_equal(rsp[0].flags, RM);
	assert_int_equal(rsp[1].offset, 0);
	assert_int_equal(rsp[1].status, 256 + 256);
	assert_int_equal(rsp[1].flags, 0);
}

/* A failed copy: every data slot says ERROR, the extras stay intact. */
static void test_responses_status_override(void **state)
{
	struct xvif_rx_params p;
	struct xvif_rx_plan plan;
	xvif_rx_rsp_t rsp[8];
	xvif_extra_t ex;

	(void)state;
	make_plan(9014, V4, false, &f_v4, &p, &plan);
	xvif_rx_responses(&plan, &p, req_ids, XEN_NETIF_RSP_ERROR, rsp);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[0].flags, RM | RX);
	memcpy(&ex, &rsp[1], sizeof(ex));
	assert_int_equal(ex.type, XEN_NETIF_EXTRA_TYPE_GSO);
	assert_int_equal(ex.u.gso.size, 1448);
	assert_int_equal(rsp[2].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[3].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[3].id, req_ids[3]);
}

/* What the backend builds, the frontend accepts and reads back the same. */
static void test_plan_responses_parse_roundtrip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < XVIF_ARRAY_SIZE(plan_rows); i++) {
		const struct plan_row *r = &plan_rows[i];
		struct xvif_rx_params p;
		struct xvif_rx_plan plan;
		struct xvif_rxr_pkt pkt;
		enum xvif_rx_reason reason;
		xvif_rx_rsp_t rsp[XVIF_RX_SLOTS_MAX + 2];
		uint16_t ids[XVIF_RX_SLOTS_MAX + 2];
		unsigned int k;

		if (r->rc)
			continue;
		plan_params(r, &p);
		p.data_validated = true;
		assert_int_equal(xvif_rx_plan(&p, r->f, &plan, &reason), 0);
		for (k = 0; k < XVIF_ARRAY_SIZE(ids); k++)
			ids[k] = (uint16_t)(100 + k);
		xvif_rx_responses(&plan, &p, ids, 0, rsp);
		if (xvif_rxr_parse(rsp, plan.nr_slots, 256, &pkt) != XVIF_RXR_OK)
			fail_msg("row %s: the frontend refused what the backend built", r->name);
		assert_int_equal(pkt.nr_slots, plan.nr_slots);
		assert_int_equal(pkt.nr_data, plan.nr_data);
		/* The frontend sees headroom + bytes in each data slot. */
		assert_int_equal(pkt.total_len, r->len + plan.nr_data * r->f->xdp_headroom);
		assert_int_equal(pkt.gso_type, plan.gso_extra ? r->gso_type : XEN_NETIF_GSO_TYPE_NONE);
		assert_int_equal(pkt.gso_size, plan.gso_extra ? r->gso_size : 0);
		assert_int_equal(pkt.have_hash, plan.hash_extra);
		if (plan.hash_extra)
			assert_int_equal(pkt.hash, 0x51ccc178);
		assert_false(pkt.error);
		assert_int_equal(pkt.flags & RDV, RDV);
		assert_int_equal(pkt.seg[0].id, 100);
	}
}

static void test_rx_reason_names(void **state)
{
	(void)state;
	assert_string_equal(xvif_rx_reason_name(XVIF_RXR_NONE), "none");
	assert_string_equal(xvif_rx_reason_name(XVIF_RXR_TOO_SHORT), "too_short");
	assert_string_equal(xvif_rx_reason_name(XVIF_RXR_TOO_BIG), "too_big");
	assert_string_equal(xvif_rx_reason_name(XVIF_RXR_GSO_UNNEGOTIATED), "gso_unnegotiated");
	assert_string_equal(xvif_rx_reason_name(XVIF_RXR_BAD_GSO), "bad_gso");
	assert_string_equal(xvif_rx_reason_name(XVIF_RXR_NR), "invalid");
	assert_string_equal(xvif_rx_reason_name((enum xvif_rx_reason)-1), "invalid");
}

/* ---- frontend: xvif_rxr_parse on hostile responses ---- */

struct rspec {
	char k;                    /* 'R' response, 'E' extra, 0 end */
	uint16_t id, offset, flags;
	int16_t status;
	uint8_t xtype, xflags, a;  /* E: type, flags, gso or hash type */
	uint16_t b;                /* E: gso size */
};

#define R(id, off, flags, status) { 'R', id, off, flags, status, 0, 0, 0, 0 }
#define E(type, xflags, a, b) { 'E', 0, 0, 0, 0, type, xflags, a, b }
#define EM XEN_NETIF_EXTRA_FLAG_MORE

struct rchain {
	xvif_rx_rsp_t r[40];
	unsigned int n;
};

static void rbuild(struct rchain *c, const struct rspec *s, unsigned int nfill, bool fill_last_more)
{
	xvif_extra_t ex;
	unsigned int i;

	memset(c, 0, sizeof(*c));
	for (; s->k; s++, c->n++) {
		if (s->k == 'R') {
			c->r[c->n].id = s->id;
			c->r[c->n].offset = s->offset;
			c->r[c->n].flags = s->flags;
			c->r[c->n].status = s->status;
			continue;
		}
		memset(&ex, 0, sizeof(ex));
		ex.type = s->xtype;
		ex.flags = s->xflags;
		if (s->xtype == XEN_NETIF_EXTRA_TYPE_GSO) {
			ex.u.gso.type = s->a;
			ex.u.gso.size = s->b;
		} else if (s->xtype == XEN_NETIF_EXTRA_TYPE_HASH) {
			ex.u.hash.type = s->a;
			memcpy(ex.u.hash.value, "\xc2\x8f\x3e\x32", 4);
		}
		memcpy(&c->r[c->n], &ex, sizeof(ex));
	}
	for (i = 0; i < nfill; i++, c->n++) {
		c->r[c->n].id = (uint16_t)(50 + i);
		c->r[c->n].flags = i + 1 < nfill || fill_last_more ? RM : 0;
		c->r[c->n].status = 100;
	}
}

static const struct rxr_row {
	const char *name;
	struct rspec s[8];
	unsigned int nfill;
	bool fill_last_more;
	int avail_delta;
	unsigned int ring_size;
	enum xvif_rxr_verdict v;
	unsigned int nr_slots, nr_data;  /* OK, DROP */
	uint32_t total_len;
	bool error;
} rxr_rows[] = {
	{ "single", { R(0, 0, 0, 1514) }, 0, 0, 0, 256, XVIF_RXR_OK, 1, 1, 1514 },
	{ "single_whole_page", { R(3, 0, 0, 4096) }, 0, 0, 0, 256, XVIF_RXR_OK, 1, 1, 4096 },
	{ "offset_plus_status_at_page_end", { R(3, 96, 0, 4000) }, 0, 0, 0, 256, XVIF_RXR_OK, 1, 1, 4000 },
	{ "zero_length_slot", { R(3, 0, 0, 0) }, 0, 0, 0, 256, XVIF_RXR_OK, 1, 1, 0 },
	{ "id_at_ring_size_minus_1", { R(255, 0, 0, 60) }, 0, 0, 0, 256, XVIF_RXR_OK, 1, 1, 60 },
	{ "two_slots", { R(1, 0, RM, 4096), R(2, 0, 0, 100) }, 0, 0, 0, 256, XVIF_RXR_OK, 2, 2, 4196 },
	{ "gso_extra", { R(1, 0, RM | RX, 4096), E(XEN_NETIF_EXTRA_TYPE_GSO, 0, V4, 1448), R(3, 0, 0, 10) }, 0, 0, 0, 256,
	  XVIF_RXR_OK, 3, 2, 4106 },
	{ "gso_then_hash_extra", { R(1, 0, RM | RX, 4096), E(XEN_NETIF_EXTRA_TYPE_GSO, EM, V6, 1428),
	  E(XEN_NETIF_EXTRA_TYPE_HASH, 0, 1, 0), R(4, 0, 0, 10) }, 0, 0, 0, 256, XVIF_RXR_OK, 4, 2, 4106 },
	{ "eighteen_data_slots", { R(1, 0, RM, 100) }, 17, 0, 0, 256, XVIF_RXR_OK, 18, 18, 1800 },
	{ "producer_ahead_of_chain", { R(1, 0, 0, 100) }, 0, 0, 30, 256, XVIF_RXR_OK, 1, 1, 100 },
	/* DROP: the extent is known, the contents are bad */
	{ "negative_status", { R(1, 0, 0, XEN_NETIF_RSP_ERROR) }, 0, 0, 0, 256, XVIF_RXR_DROP, 1, 1, 0, true },
	{ "negative_status_later_slot", { R(1, 0, RM, 4096), R(2, 0, RM, -1), R(3, 0, 0, 10) }, 0, 0, 0, 256,
	  XVIF_RXR_DROP, 3, 3, 4106, true },
	{ "offset_plus_status_past_page", { R(1, 100, 0, 4000) }, 0, 0, 0, 256, XVIF_RXR_DROP, 1, 1, 4000 },
	{ "status_past_page", { R(1, 0, 0, 4097) }, 0, 0, 0, 256, XVIF_RXR_DROP, 1, 1, 4097 },
	{ "status_int16_max", { R(1, 0, 0, 0x7fff) }, 0, 0, 0, 256, XVIF_RXR_DROP, 1, 1, 0x7fff },
	{ "gso_unknown_type", { R(1, 0, RX, 1000), E(XEN_NETIF_EXTRA_TYPE_GSO, 0, 3, 1448) }, 0, 0, 0, 256,
	  XVIF_RXR_DROP, 2, 1, 1000 },
	{ "gso_type_none", { R(1, 0, RX, 1000), E(XEN_NETIF_EXTRA_TYPE_GSO, 0, 0, 1448) }, 0, 0, 0, 256,
	  XVIF_RXR_DROP, 2, 1, 1000 },
	{ "gso_size_0", { R(1, 0, RX, 1000), E(XEN_NETIF_EXTRA_TYPE_GSO, 0, V4, 0) }, 0, 0, 0, 256, XVIF_RXR_DROP, 2, 1,
	  1000 },
	/* FATAL: the chain itself is broken */
	{ "nothing_produced", { R(1, 0, 0, 100) }, 0, 0, -1, 256, XVIF_RXR_FATAL },
	{ "id_equals_ring_size", { R(256, 0, 0, 60) }, 0, 0, 0, 256, XVIF_RXR_FATAL },
	{ "id_out_of_range_later_slot", { R(1, 0, RM, 4096), R(0xffff, 0, 0, 10) }, 0, 0, 0, 256, XVIF_RXR_FATAL },
	{ "id_in_range_of_small_ring", { R(64, 0, 0, 60) }, 0, 0, 0, 64, XVIF_RXR_FATAL },
	{ "more_data_past_producer", { R(1, 0, RM, 4096) }, 0, 0, 0, 256, XVIF_RXR_FATAL },
	{ "extra_info_past_producer", { R(1, 0, RX, 4096) }, 0, 0, 0, 256, XVIF_RXR_FATAL },
	{ "extra_more_past_producer", { R(1, 0, RX, 4096), E(XEN_NETIF_EXTRA_TYPE_GSO, EM, V4, 1448) }, 0, 0, 0, 256,
	  XVIF_RXR_FATAL },
	{ "nineteen_data_slots", { R(1, 0, RM, 100) }, 18, 0, 0, 256, XVIF_RXR_FATAL },
	{ "endless_chain", { R(1, 0, RM, 100) }, 30, 1, 0, 256, XVIF_RXR_FATAL },
	{ "extra_type_0", { R(1, 0, RX, 100), E(0, 0, 0, 0) }, 0, 0, 0, 256, XVIF_RXR_FATAL },
	{ "extra_type_mcast_add", { R(1, 0, RX, 100), E(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, 0, 0) }, 0, 0, 0, 256,
	  XVIF_RXR_FATAL },
	{ "extra_type_5", { R(1, 0, RX, 100), E(5, 0, 0, 0) }, 0, 0, 0, 256, XVIF_RXR_FATAL },
	{ "extras_never_end", { R(1, 0, RX, 100), E(XEN_NETIF_EXTRA_TYPE_HASH, EM, 0, 0),
	  E(XEN_NETIF_EXTRA_TYPE_HASH, EM, 0, 0), E(XEN_NETIF_EXTRA_TYPE_HASH, EM, 0, 0),
	  E(XEN_NETIF_EXTRA_TYPE_HASH, EM, 0, 0), E(XEN_NETIF_EXTRA_TYPE_HASH, EM, 0, 0),
	  E(XEN_NETIF_EXTRA_TYPE_HASH, EM, 0, 0) }, 20, 0, 0, 256, XVIF_RXR_FATAL },
};

static void test_rxr_row(void **state)
{
	const struct rxr_row *r = XT_ROW(struct rxr_row, state);
	struct rchain c;
	struct xvif_rxr_pkt pkt;
	enum xvif_rxr_verdict v;
	unsigned int avail, ncopy;
	xvif_rx_rsp_t *copy;

	rbuild(&c, r->s, r->nfill, r->fill_last_more);
	avail = (unsigned int)((int)c.n + r->avail_delta);
	ncopy = avail < XVIF_RX_SLOTS_MAX + 2 ? avail : XVIF_RX_SLOTS_MAX + 2;
	if (ncopy > c.n)
		ncopy = c.n;
	copy = malloc((ncopy ? ncopy : 1) * sizeof(*copy)); /* exactly what the caller copied */
	memcpy(copy, c.r, ncopy * sizeof(*copy));
	memset(&pkt, 0xa5, sizeof(pkt));
	v = xvif_rxr_parse(copy, avail, r->ring_size, &pkt);
	free(copy);
	if (v != r->v)
		fail_msg("verdict %d, want %d", v, r->v);
	if (v == XVIF_RXR_FATAL)
		return;
	assert_int_equal(pkt.nr_slots, r->nr_slots);
	assert_int_equal(pkt.nr_data, r->nr_data);
	assert_int_equal(pkt.total_len, r->total_len);
	assert_int_equal(pkt.error, r->error);
}

static void test_rxr_fields(void **state)
{
	static const struct rspec s[] = {
		R(9, 0, RM | RX | RCB | RDV, 4096), E(XEN_NETIF_EXTRA_TYPE_GSO, EM, V6, 1428),
		E(XEN_NETIF_EXTRA_TYPE_HASH, 0, _XEN_NETIF_CTRL_HASH_TYPE_IPV6, 0), R(10, 0, RM, 4096), R(11, 12, 0, 7),
		{ 0 },
	};
	struct rchain c;
	struct xvif_rxr_pkt pkt;
	uint32_t hash;

	(void)state;
	rbuild(&c, s, 0, false);
	assert_int_equal(xvif_rxr_parse(c.r, c.n, 256, &pkt), XVIF_RXR_OK);
	assert_int_equal(pkt.flags, RM | RX | RCB | RDV);
	assert_int_equal(pkt.gso_type, V6);
	assert_int_equal(pkt.gso_size, 1428);
	assert_true(pkt.have_hash);
	assert_int_equal(pkt.hash_type, _XEN_NETIF_CTRL_HASH_TYPE_IPV6);
	memcpy(&hash, "\xc2\x8f\x3e\x32", 4);
	assert_int_equal(pkt.hash, hash);
	assert_int_equal(pkt.nr_data, 3);
	assert_int_equal(pkt.seg[0].id, 9);
	assert_int_equal(pkt.seg[1].id, 10);
	assert_int_equal(pkt.seg[2].id, 11);
	assert_int_equal(pkt.seg[2].offset, 12);
	assert_int_equal(pkt.seg[2].len, 7);
	assert_int_equal(pkt.total_len, 4096 + 4096 + 7);
}

int main(void)
{
	struct xt_list l = { 0 };

	XT_ROWS(&l, "xvif_rx_plan", test_plan_row, plan_rows);
	XT_TEST(&l, test_responses_single_slot);
	XT_ROWS(&l, "xvif_rx_responses_csum", test_responses_csum_row, csum_rows);
	XT_TEST(&l, test_responses_gso_and_hash);
	XT_TEST(&l, test_responses_hash_only);
	XT_TEST(&l, test_responses_xdp_headroom);
	XT_TEST(&l, test_responses_status_override);
	XT_TEST(&l, test_plan_responses_parse_roundtrip);
	XT_TEST(&l, test_rx_reason_names);
	XT_ROWS(&l, "xvif_rxr_parse", test_rxr_row, rxr_rows);
	XT_TEST(&l, test_rxr_fields);
	return xt_run(&l, "rx");
}
