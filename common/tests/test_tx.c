// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: common/tx.c (guest TX chain validation and responses).
 *
 * Chains are written as tables of slot specs: 'D' a data slot, 'E' an
 * extra-info slot laid over a request slot, as a frontend writes them. Ids
 * and grant refs are derived from the slot index so every test can check
 * which slot a response or segment came from.
 */
#include "xvif_test.h"
#include "tx.h"

#define M XEN_NETTXF_more_data
#define X XEN_NETTXF_extra_info
#define CB XEN_NETTXF_csum_blank
#define DV XEN_NETTXF_data_validated
#define EM XEN_NETIF_EXTRA_FLAG_MORE

#define T_GSO XEN_NETIF_EXTRA_TYPE_GSO
#define T_ADD XEN_NETIF_EXTRA_TYPE_MCAST_ADD
#define T_DEL XEN_NETIF_EXTRA_TYPE_MCAST_DEL
#define T_HASH XEN_NETIF_EXTRA_TYPE_HASH
#define V4 XEN_NETIF_GSO_TYPE_TCPV4
#define V6 XEN_NETIF_GSO_TYPE_TCPV6

#define MAXSLOTS 64

/* Xen's user-space ring.h leaves the barriers to its user. One thread here:
 * compiler barriers are enough. */
#define wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)

struct sspec {
	char k;              /* 'D' data, 'E' extra, 0 end */
	uint16_t size, off, flags;   /* D */
	uint8_t xtype, xflags;       /* E */
	uint8_t a;                   /* E: gso type or hash type */
	uint16_t b;                  /* E: gso size */
};

#define D(size, off, flags) { 'D', size, off, flags, 0, 0, 0, 0 }
#define E(type, xflags, a, b) { 'E', 0, 0, 0, type, xflags, a, b }

struct chain {
	xvif_tx_req_t s[MAXSLOTS];
	unsigned int n;
};

static uint16_t slot_id(unsigned int i) { return (uint16_t)(1000 + i); }
static uint32_t slot_gref(unsigned int i) { return 5000 + i; }

static void put_data(struct chain *c, uint16_t size, uint16_t off, uint16_t flags)
{
	xvif_tx_req_t *r = &c->s[c->n];

	assert_true(c->n < MAXSLOTS);
	memset(r, 0, sizeof(*r));
	r->gref = slot_gref(c->n);
	r->offset = off;
	r->flags = flags;
	r->id = slot_id(c->n);
	r->size = size;
	c->n++;
}

static void put_extra(struct chain *c, const xvif_extra_t *ex)
{
	assert_true(c->n < MAXSLOTS);
	memset(&c->s[c->n], 0, sizeof(c->s[c->n]));
	memcpy(&c->s[c->n], ex, sizeof(*ex));
	c->n++;
}

static void build(struct chain *c, const struct sspec *spec)
{
	xvif_extra_t ex;

	memset(c, 0, sizeof(*c));
	for (; spec->k; spec++) {
		if (spec->k == 'D') {
			put_data(c, spec->size, spec->off, spec->flags);
			continue;
		}
		memset(&ex, 0, sizeof(ex));
		ex.type = spec->xtype;
		ex.flags = spec->xflags;
		if (spec->xtype == T_GSO) {
			ex.u.gso.type = spec->a;
			ex.u.gso.size = spec->b;
		} else if (spec->xtype == T_ADD || spec->xtype == T_DEL) {
			memcpy(ex.u.mcast.addr, "\x01\x00\x5e\x00\x00\xfb", 6);
		} else if (spec->xtype == T_HASH) {
			ex.u.hash.type = spec->a;
			ex.u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
			memcpy(ex.u.hash.value, "\x78\xc1\xcc\x51", 4);
		}
		put_extra(c, &ex);
	}
}

/* @n data slots of @size bytes after what is built, chained with more_data
 * except the last (unless @last_more). */
static void fill(struct chain *c, unsigned int n, uint16_t size, bool last_more)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		put_data(c, size, 0, i + 1 < n || last_more ? M : 0);
}

static const struct xvif_tx_features f_none = { 0 };
static const struct xvif_tx_features f_all = { .sg = 1, .gso_tcpv4 = 1, .gso_tcpv6 = 1, .multicast_control = 1 };
static const struct xvif_tx_features f_v4 = { .sg = 1, .gso_tcpv4 = 1 };
static const struct xvif_tx_features f_v6 = { .sg = 1, .gso_tcpv6 = 1 };

static const struct row {
	const char *name;
	struct sspec spec[10];
	unsigned int nfill;          /* data slots appended after spec */
	uint16_t fill_size;
	bool fill_last_more;
	int avail_delta;             /* avail = slots built + delta */
	const struct xvif_tx_features *feat;
	enum xvif_tx_verdict verdict;
	enum xvif_tx_reason reason;
	unsigned int nr_slots, nr_segs;  /* OK and DROP */
} rows[] = {
	/* ---- OK ---- */
	{ "single_slot", { D(60, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 1, 1 },
	{ "single_slot_eth_hlen", { D(14, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 1, 1 },
	{ "single_slot_whole_page", { D(4096, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 1, 1 },
	{ "single_slot_ends_at_page_end", { D(96, 4000, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 1, 1 },
	{ "two_slots", { D(3000, 100, M), D(1000, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 2, 2 },
	{ "multi_slot_without_feature_sg", { D(5000, 0, M), D(4096, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_OK,
	  XVIF_TXR_NONE, 2, 2 },
	{ "later_slot_zero_bytes", { D(60, 0, M), D(0, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 2, 2 },
	{ "first_slot_share_zero", { D(100, 0, M), D(100, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 2, 2 },
	{ "first_share_fits_at_offset_4095", { D(15, 4095, M), D(14, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_OK,
	  XVIF_TXR_NONE, 2, 2 },
	{ "gso_tcpv4", { D(9000, 0, X | M), E(T_GSO, 0, V4, 1448), D(4096, 0, M), D(4096, 0, 0) }, 0, 0, 0, 0, &f_v4,
	  XVIF_TX_OK, XVIF_TXR_NONE, 4, 3 },
	{ "gso_tcpv6", { D(9000, 0, X | M), E(T_GSO, 0, V6, 1428), D(4096, 0, M), D(4096, 0, 0) }, 0, 0, 0, 0, &f_v6,
	  XVIF_TX_OK, XVIF_TXR_NONE, 4, 3 },
	{ "gso_size_1", { D(100, 0, X), E(T_GSO, 0, V4, 1) }, 0, 0, 0, 0, &f_v4, XVIF_TX_OK, XVIF_TXR_NONE, 2, 1 },
	{ "gso_extra_type_none_is_no_gso", { D(100, 0, X), E(T_GSO, 0, XEN_NETIF_GSO_TYPE_NONE, 0) }, 0, 0, 0, 0,
	  &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 2, 1 },
	{ "hash_extra", { D(60, 0, X), E(T_HASH, 0, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, 0) }, 0, 0, 0, 0, &f_none,
	  XVIF_TX_OK, XVIF_TXR_NONE, 2, 1 },
	{ "hash_extra_ipv6_tcp", { D(60, 0, X), E(T_HASH, 0, _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP, 0) }, 0, 0, 0, 0,
	  &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 2, 1 },
	{ "gso_then_hash", { D(6000, 0, X | M), E(T_GSO, EM, V4, 1448), E(T_HASH, 0, 0, 0), D(4000, 0, 0) }, 0, 0, 0, 0,
	  &f_v4, XVIF_TX_OK, XVIF_TXR_NONE, 4, 2 },
	{ "mcast_add", { D(60, 0, X), E(T_ADD, 0, 0, 0) }, 0, 0, 0, 0, &f_all, XVIF_TX_OK, XVIF_TXR_NONE, 2, 1 },
	{ "mcast_del", { D(60, 0, X), E(T_DEL, 0, 0, 0) }, 0, 0, 0, 0, &f_all, XVIF_TX_OK, XVIF_TXR_NONE, 2, 1 },
	{ "mcast_control_message_without_data", { D(0, 0, X), E(T_ADD, 0, 0, 0) }, 0, 0, 0, 0, &f_all, XVIF_TX_OK,
	  XVIF_TXR_NONE, 2, 1 },
	{ "four_extras_one_of_each_type",
	  { D(60, 0, X), E(T_GSO, EM, V4, 1448), E(T_ADD, EM, 0, 0), E(T_DEL, EM, 0, 0), E(T_HASH, 0, 0, 0) }, 0, 0, 0, 0,
	  &f_all, XVIF_TX_OK, XVIF_TXR_NONE, 5, 1 },
	{ "18_data_slots_at_drop_limit", { D(60 + 17, 0, M) }, 17, 1, 0, 0, &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 18, 18 },
	{ "18_data_slots_plus_gso_and_hash", { D(60 + 17, 0, X | M), E(T_GSO, EM, V4, 1448), E(T_HASH, 0, 0, 0) }, 17, 1,
	  0, 0, &f_v4, XVIF_TX_OK, XVIF_TXR_NONE, 20, 18 },
	{ "producer_far_ahead_of_window", { D(60 + 17, 0, M) }, 17, 1, 0, 500, &f_none, XVIF_TX_OK, XVIF_TXR_NONE, 18,
	  18 },
	/* ---- DROP ---- */
	{ "too_short_13", { D(13, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_DROP, XVIF_TXR_TOO_SHORT, 1, 1 },
	{ "too_short_0", { D(0, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_DROP, XVIF_TXR_TOO_SHORT, 1, 1 },
	{ "too_short_zero_at_offset_4096", { D(0, 4096, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_DROP, XVIF_TXR_TOO_SHORT, 1, 1 },
	{ "too_short_multi_slot", { D(10, 0, M), D(5, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_DROP, XVIF_TXR_TOO_SHORT, 2,
	  2 },
	{ "19_data_slots", { D(60 + 18, 0, M) }, 18, 1, 0, 0, &f_none, XVIF_TX_DROP, XVIF_TXR_TOO_MANY_SLOTS, 19, 19 },
	{ "20_data_slots_at_fatal_limit", { D(60 + 19, 0, M) }, 19, 1, 0, 0, &f_none, XVIF_TX_DROP,
	  XVIF_TXR_TOO_MANY_SLOTS, 20, 20 },
	{ "20_data_slots_plus_two_extras", { D(60 + 19, 0, X | M), E(T_GSO, EM, V4, 1448), E(T_HASH, 0, 0, 0) }, 19, 1, 0,
	  0, &f_v4, XVIF_TX_DROP, XVIF_TXR_TOO_MANY_SLOTS, 22, 20 },
	{ "size_mismatch", { D(100, 0, M), D(101, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_DROP, XVIF_TXR_SIZE_MISMATCH, 2,
	  2 },
	{ "size_mismatch_over_many_slots", { D(100, 0, M) }, 5, 30, 0, 0, &f_none, XVIF_TX_DROP, XVIF_TXR_SIZE_MISMATCH,
	  6, 6 },
	{ "gso_tcpv4_not_negotiated", { D(9000, 0, X | M), E(T_GSO, 0, V4, 1448), D(4096, 0, M), D(4096, 0, 0) }, 0, 0, 0,
	  0, &f_v6, XVIF_TX_DROP, XVIF_TXR_BAD_GSO, 4, 3 },
	{ "gso_tcpv6_not_negotiated", { D(100, 0, X), E(T_GSO, 0, V6, 1448) }, 0, 0, 0, 0, &f_v4, XVIF_TX_DROP,
	  XVIF_TXR_BAD_GSO, 2, 1 },
	{ "gso_unknown_type_3", { D(100, 0, X), E(T_GSO, 0, 3, 1448) }, 0, 0, 0, 0, &f_all, XVIF_TX_DROP,
	  XVIF_TXR_BAD_GSO, 2, 1 },
	{ "gso_unknown_type_255", { D(100, 0, X), E(T_GSO, 0, 255, 1448) }, 0, 0, 0, 0, &f_all, XVIF_TX_DROP,
	  XVIF_TXR_BAD_GSO, 2, 1 },
	{ "gso_size_0", { D(100, 0, X), E(T_GSO, 0, V4, 0) }, 0, 0, 0, 0, &f_all, XVIF_TX_DROP, XVIF_TXR_BAD_GSO, 2, 1 },
	{ "mcast_add_not_negotiated", { D(60, 0, X), E(T_ADD, 0, 0, 0) }, 0, 0, 0, 0, &f_v4, XVIF_TX_DROP,
	  XVIF_TXR_MCAST_UNNEGOTIATED, 2, 1 },
	{ "mcast_del_not_negotiated", { D(60, 0, X), E(T_DEL, 0, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_DROP,
	  XVIF_TXR_MCAST_UNNEGOTIATED, 2, 1 },
	{ "repeated_gso_extra", { D(100, 0, X), E(T_GSO, EM, V4, 1448), E(T_GSO, 0, V4, 1448) }, 0, 0, 0, 0, &f_all,
	  XVIF_TX_DROP, XVIF_TXR_REPEATED_EXTRA, 3, 1 },
	{ "repeated_hash_extra", { D(100, 0, X | M), E(T_HASH, EM, 0, 0), E(T_HASH, 0, 0, 0), D(10, 0, 0) }, 0, 0, 0, 0,
	  &f_all, XVIF_TX_DROP, XVIF_TXR_REPEATED_EXTRA, 4, 2 },
	{ "hash_type_4_unknown", { D(60, 0, X), E(T_HASH, 0, 4, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_DROP,
	  XVIF_TXR_BAD_HASH_EXTRA, 2, 1 },
	{ "hash_type_255_unknown", { D(60, 0, X), E(T_HASH, 0, 255, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_DROP,
	  XVIF_TXR_BAD_HASH_EXTRA, 2, 1 },
	/* A droppable fault in the extras, a droppable size mismatch later:
	 * the mismatch (slot 0's share negative) is reported. */
	{ "size_mismatch_before_repeated_extra", { D(10, 0, X | M), E(T_GSO, EM, V4, 1448), E(T_GSO, 0, V4, 1448),
	  D(20, 0, 0) }, 0, 0, 0, 0, &f_all, XVIF_TX_DROP, XVIF_TXR_SIZE_MISMATCH, 4, 2 },
	{ "repeated_extra_before_too_short", { D(10, 0, X), E(T_HASH, EM, 0, 0), E(T_HASH, 0, 0, 0) }, 0, 0, 0, 0,
	  &f_all, XVIF_TX_DROP, XVIF_TXR_REPEATED_EXTRA, 3, 1 },
	/* ---- FATAL ---- */
	{ "no_slots_produced", { D(60, 0, 0) }, 0, 0, 0, -1, &f_none, XVIF_TX_FATAL, XVIF_TXR_TRUNCATED },
	{ "more_data_past_producer", { D(100, 0, M) }, 0, 0, 0, 0, &f_none, XVIF_TX_FATAL, XVIF_TXR_TRUNCATED },
	{ "more_data_past_producer_long", { D(100, 0, M) }, 10, 1, 1, 0, &f_none, XVIF_TX_FATAL, XVIF_TXR_TRUNCATED },
	{ "extra_info_past_producer", { D(100, 0, X) }, 0, 0, 0, 0, &f_none, XVIF_TX_FATAL, XVIF_TXR_TRUNCATED },
	{ "extra_more_past_producer", { D(100, 0, X), E(T_GSO, EM, V4, 1448) }, 0, 0, 0, 0, &f_all, XVIF_TX_FATAL,
	  XVIF_TXR_TRUNCATED },
	{ "data_after_extras_past_producer", { D(100, 0, X | M), E(T_GSO, 0, V4, 1448) }, 0, 0, 0, 0, &f_all,
	  XVIF_TX_FATAL, XVIF_TXR_TRUNCATED },
	{ "21_data_slots", { D(60 + 20, 0, M) }, 20, 1, 0, 0, &f_none, XVIF_TX_FATAL, XVIF_TXR_CHAIN_TOO_LONG },
	{ "endless_chain", { D(60, 0, M) }, 40, 1, 1, 0, &f_none, XVIF_TX_FATAL, XVIF_TXR_CHAIN_TOO_LONG },
	{ "21_data_slots_plus_extras", { D(60 + 20, 0, X | M), E(T_GSO, EM, V4, 1448), E(T_HASH, 0, 0, 0) }, 20, 1, 0, 0,
	  &f_all, XVIF_TX_FATAL, XVIF_TXR_CHAIN_TOO_LONG },
	{ "later_slot_crosses_page", { D(200, 0, M), D(100, 4000, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_FATAL,
	  XVIF_TXR_CROSS_PAGE },
	{ "later_slot_one_byte_past_page", { D(200, 0, M), D(97, 4000, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_FATAL,
	  XVIF_TXR_CROSS_PAGE },
	{ "later_slot_max_offset_and_size", { D(200, 0, M), D(65535, 65535, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_FATAL,
	  XVIF_TXR_CROSS_PAGE },
	{ "first_slot_crosses_page", { D(100, 4000, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_FATAL, XVIF_TXR_CROSS_PAGE },
	{ "first_slot_share_crosses_page", { D(1100, 4000, M), D(1000, 0, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_FATAL,
	  XVIF_TXR_CROSS_PAGE },
	{ "first_slot_offset_past_page", { D(14, 4097, 0) }, 0, 0, 0, 0, &f_none, XVIF_TX_FATAL, XVIF_TXR_CROSS_PAGE },
	{ "extra_type_0", { D(100, 0, X), E(0, 0, 0, 0) }, 0, 0, 0, 0, &f_all, XVIF_TX_FATAL, XVIF_TXR_BAD_EXTRA_TYPE },
	{ "extra_type_5", { D(100, 0, X), E(5, 0, 0, 0) }, 0, 0, 0, 0, &f_all, XVIF_TX_FATAL, XVIF_TXR_BAD_EXTRA_TYPE },
	{ "extra_type_255_after_gso", { D(100, 0, X), E(T_GSO, EM, V4, 1448), E(255, 0, 0, 0) }, 0, 0, 0, 0, &f_all,
	  XVIF_TX_FATAL, XVIF_TXR_BAD_EXTRA_TYPE },
	{ "five_extras", { D(60, 0, X), E(T_GSO, EM, V4, 1448), E(T_ADD, EM, 0, 0), E(T_DEL, EM, 0, 0),
	  E(T_HASH, EM, 0, 0), E(T_GSO, 0, V4, 1448) }, 0, 0, 0, 0, &f_all, XVIF_TX_FATAL, XVIF_TXR_TOO_MANY_EXTRAS },
	{ "extras_never_end", { D(60, 0, X), E(T_HASH, EM, 0, 0), E(T_HASH, EM, 0, 0), E(T_HASH, EM, 0, 0),
	  E(T_HASH, EM, 0, 0), E(T_HASH, EM, 0, 0), E(T_HASH, EM, 0, 0), E(T_HASH, EM, 0, 0) }, 0, 0, 0, 0, &f_all,
	  XVIF_TX_FATAL, XVIF_TXR_TOO_MANY_EXTRAS },
	/* Fatal beats droppable: a repeated extra, then a slot across the page. */
	{ "fatal_beats_drop", { D(200, 0, X | M), E(T_GSO, EM, V4, 1448), E(T_GSO, 0, V4, 1448), D(100, 4000, 0) }, 0, 0,
	  0, 0, &f_all, XVIF_TX_FATAL, XVIF_TXR_CROSS_PAGE },
};

static void test_row(void **state)
{
	const struct row *r = XT_ROW(struct row, state);
	struct chain c;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason reason = (enum xvif_tx_reason)99;
	enum xvif_tx_verdict v;
	unsigned int avail;
	xvif_tx_req_t *copy;

	build(&c, r->spec);
	fill(&c, r->nfill, r->fill_size, r->fill_last_more);
	avail = (unsigned int)((int)c.n + r->avail_delta);
	/* The caller's private copy: exactly min(avail, window) slots on the
	 * heap, so ASan catches any read beyond what the caller copied. */
	{
		unsigned int ncopy = avail < XVIF_TX_PARSE_WINDOW ? avail : XVIF_TX_PARSE_WINDOW;

		if (ncopy > c.n)
			ncopy = c.n;
		copy = malloc((ncopy ? ncopy : 1) * sizeof(*copy));
		memcpy(copy, c.s, ncopy * sizeof(*copy));
	}
	memset(&pkt, 0xa5, sizeof(pkt));
	v = xvif_tx_parse(copy, avail, r->feat, &pkt, &reason);
	free(copy);
	if (v != r->verdict || reason != r->reason)
		fail_msg("verdict %d reason %s, want verdict %d reason %s", v, xvif_tx_reason_name(reason), r->verdict,
			 xvif_tx_reason_name(r->reason));
	if (v == XVIF_TX_FATAL)
		return;
	assert_int_equal(pkt.nr_slots, r->nr_slots);
	assert_int_equal(pkt.nr_segs, r->nr_segs);
}

/* Every drop and fatal reason has at least one row above, with the verdict
 * its class promises: the first seven drop, the rest are fatal. */
static void test_every_reason_has_a_row(void **state)
{
	unsigned int reason;
	size_t i;

	(void)state;
	for (reason = XVIF_TXR_TOO_SHORT; reason < XVIF_TXR_NR; reason++) {
		enum xvif_tx_verdict want = reason < XVIF_TXR_TRUNCATED ? XVIF_TX_DROP : XVIF_TX_FATAL;
		bool found = false;

		for (i = 0; i < XVIF_ARRAY_SIZE(rows); i++) {
			if (rows[i].reason != reason)
				continue;
			found = true;
			assert_int_equal(rows[i].verdict, want);
		}
		if (!found)
			fail_msg("no test row for reason %s", xvif_tx_reason_name((enum xvif_tx_reason)reason));
	}
}

/* ---- what an accepted packet looks like ---- */

static void test_single_slot_fields(void **state)
{
	static const struct sspec spec[] = { D(1514, 64, CB | DV), { 0 } };
	struct chain c;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason reason;

	(void)state;
	build(&c, spec);
	assert_int_equal(xvif_tx_parse(c.s, 1, &f_none, &pkt, &reason), XVIF_TX_OK);
	assert_int_equal(reason, XVIF_TXR_NONE);
	assert_int_equal(pkt.total_len, 1514);
	assert_int_equal(pkt.flags, CB | DV);
	assert_int_equal(pkt.nr_segs, 1);
	assert_int_equal(pkt.seg[0].gref, slot_gref(0));
	assert_int_equal(pkt.seg[0].offset, 64);
	assert_int_equal(pkt.seg[0].len, 1514);
	assert_int_equal(pkt.nr_slots, 1);
	assert_int_equal(pkt.rsp_id[0], slot_id(0));
	assert_false(pkt.rsp_null[0]);
	assert_int_equal(pkt.gso_type, XEN_NETIF_GSO_TYPE_NONE);
	assert_int_equal(pkt.gso_size, 0);
	assert_false(pkt.mcast_add || pkt.mcast_del || pkt.have_hash);
}

/* Only csum_blank and data_validated of slot 0 reach pkt->flags. */
static void test_flags_masked(void **state)
{
	static const struct sspec spec[] = { D(100, 0, X | M | CB | 0x30), E(T_HASH, 0, 0, 0), D(50, 0, DV), { 0 } };
	struct chain c;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason reason;

	(void)state;
	build(&c, spec);
	assert_int_equal(xvif_tx_parse(c.s, c.n, &f_none, &pkt, &reason), XVIF_TX_OK);
	assert_int_equal(pkt.flags, CB);
}

static void test_multi_slot_fields(void **state)
{
	static const struct sspec spec[] = { D(7000, 10, M), D(4096, 0, M), D(2000, 2096, 0), { 0 } };
	struct chain c;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason reason;

	(void)state;
	build(&c, spec);
	assert_int_equal(xvif_tx_parse(c.s, c.n, &f_none, &pkt, &reason), XVIF_TX_OK);
	assert_int_equal(pkt.total_len, 7000);
	assert_int_equal(pkt.nr_segs, 3);
	assert_int_equal(pkt.seg[0].len, 7000 - 4096 - 2000);
	assert_int_equal(pkt.seg[0].offset, 10);
	assert_int_equal(pkt.seg[1].gref, slot_gref(1));
	assert_int_equal(pkt.seg[1].offset, 0);
	assert_int_equal(pkt.seg[1].len, 4096);
	assert_int_equal(pkt.seg[2].gref, slot_gref(2));
	assert_int_equal(pkt.seg[2].offset, 2096);
	assert_int_equal(pkt.seg[2].len, 2000);
	assert_int_equal(pkt.nr_slots, 3);
	assert_int_equal(pkt.rsp_id[0], slot_id(0));
	assert_int_equal(pkt.rsp_id[1], slot_id(1));
	assert_int_equal(pkt.rsp_id[2], slot_id(2));
}

static void test_extras_fields(void **state)
{
	static const struct sspec spec[] = {
		D(9000, 0, X | M), E(T_GSO, EM, V4, 1448), E(T_HASH, 0, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, 0),
		D(4096, 0, M), D(4000, 0, 0), { 0 },
	};
	struct chain c;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason reason;
	uint32_t want_hash;

	(void)state;
	build(&c, spec);
	assert_int_equal(xvif_tx_parse(c.s, c.n, &f_v4, &pkt, &reason), XVIF_TX_OK);
	assert_int_equal(pkt.gso_type, V4);
	assert_int_equal(pkt.gso_size, 1448);
	assert_true(pkt.have_hash);
	assert_int_equal(pkt.hash_type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
	memcpy(&want_hash, "\x78\xc1\xcc\x51", 4);
	assert_int_equal(pkt.hash_value, want_hash);
	assert_int_equal(pkt.nr_slots, 5);
	assert_int_equal(pkt.nr_segs, 3);
	/* Data segments skip the extras. */
	assert_int_equal(pkt.seg[0].len, 9000 - 4096 - 4000);
	assert_int_equal(pkt.seg[1].gref, slot_gref(3));
	assert_int_equal(pkt.seg[1].len, 4096);
	assert_int_equal(pkt.seg[2].gref, slot_gref(4));
	/* Responses in ring order: extras are RSP_NULL slots. */
	assert_false(pkt.rsp_null[0]);
	assert_true(pkt.rsp_null[1]);
	assert_true(pkt.rsp_null[2]);
	assert_false(pkt.rsp_null[3]);
	assert_false(pkt.rsp_null[4]);
	assert_int_equal(pkt.rsp_id[0], slot_id(0));
	assert_int_equal(pkt.rsp_id[3], slot_id(3));
	assert_int_equal(pkt.rsp_id[4], slot_id(4));
}

static void test_mcast_fields(void **state)
{
	static const struct sspec add[] = { D(60, 0, X), E(T_ADD, 0, 0, 0), { 0 } };
	static const struct sspec del[] = { D(60, 0, X), E(T_DEL, 0, 0, 0), { 0 } };
	struct chain c;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason reason;

	(void)state;
	build(&c, add);
	assert_int_equal(xvif_tx_parse(c.s, c.n, &f_all, &pkt, &reason), XVIF_TX_OK);
	assert_true(pkt.mcast_add);
	assert_false(pkt.mcast_del);
	assert_memory_equal(pkt.mcast_addr, "\x01\x00\x5e\x00\x00\xfb", 6);
	build(&c, del);
	assert_int_equal(xvif_tx_parse(c.s, c.n, &f_all, &pkt, &reason), XVIF_TX_OK);
	assert_false(pkt.mcast_add);
	assert_true(pkt.mcast_del);
}

/* A parse starts from a clean descriptor: nothing left from the last one. */
static void test_pkt_reset_between_parses(void **state)
{
	static const struct sspec gso[] = { D(100, 0, X), E(T_GSO, EM, V4, 1448), E(T_HASH, 0, 0, 0), { 0 } };
	static const struct sspec plain[] = { D(100, 0, 0), { 0 } };
	struct chain c;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason reason;

	(void)state;
	build(&c, gso);
	assert_int_equal(xvif_tx_parse(c.s, c.n, &f_v4, &pkt, &reason), XVIF_TX_OK);
	build(&c, plain);
	assert_int_equal(xvif_tx_parse(c.s, c.n, &f_v4, &pkt, &reason), XVIF_TX_OK);
	assert_int_equal(pkt.gso_type, XEN_NETIF_GSO_TYPE_NONE);
	assert_int_equal(pkt.gso_size, 0);
	assert_false(pkt.have_hash);
	assert_int_equal(pkt.nr_slots, 1);
}

/* ---- responses ---- */

static const struct rsp_row {
	const char *name;
	int16_t status;
} rsp_rows[] = {
	{ "okay", XEN_NETIF_RSP_OKAY },
	{ "error", XEN_NETIF_RSP_ERROR },
	{ "dropped", XEN_NETIF_RSP_DROPPED },
};

static void test_responses_row(void **state)
{
	const struct rsp_row *r = XT_ROW(struct rsp_row, state);
	static const struct sspec spec[] = { D(6000, 0, X | M), E(T_GSO, EM, V4, 1448), E(T_HASH, 0, 0, 0),
					     D(4000, 0, M), D(10, 0, 0), { 0 } };
	struct chain c;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason reason;
	xvif_tx_rsp_t rsp[8];
	unsigned int i;

	build(&c, spec);
	assert_int_equal(xvif_tx_parse(c.s, c.n, &f_v4, &pkt, &reason), XVIF_TX_OK);
	memset(rsp, 0x5a, sizeof(rsp));
	assert_int_equal(xvif_tx_responses(&pkt, r->status, rsp), 5);
	for (i = 0; i < 5; i++) {
		bool extra = i == 1 || i == 2;

		assert_int_equal(rsp[i].status, extra ? XEN_NETIF_RSP_NULL : r->status);
		if (!extra)
			assert_int_equal(rsp[i].id, slot_id(i));
	}
	assert_int_equal(rsp[5].id, 0x5a5a); /* nothing past nr_slots */
}

/* A dropped packet is answered on every slot it consumed, extras as NULL. */
static void test_responses_for_drop(void **state)
{
	static const struct sspec spec[] = { D(10, 0, X | M), E(T_GSO, 0, V4, 1448), D(20, 0, M), D(30, 0, 0), { 0 } };
	struct chain c;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason reason;
	xvif_tx_rsp_t rsp[8];

	(void)state;
	build(&c, spec);
	assert_int_equal(xvif_tx_parse(c.s, c.n, &f_v4, &pkt, &reason), XVIF_TX_DROP);
	assert_int_equal(reason, XVIF_TXR_SIZE_MISMATCH);
	assert_int_equal(xvif_tx_responses(&pkt, XEN_NETIF_RSP_ERROR, rsp), 4);
	assert_int_equal(rsp[0].id, slot_id(0));
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[1].status, XEN_NETIF_RSP_NULL);
	assert_int_equal(rsp[2].id, slot_id(2));
	assert_int_equal(rsp[2].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[3].id, slot_id(3));
	assert_int_equal(rsp[3].status, XEN_NETIF_RSP_ERROR);
}

/* ---- reason names ---- */

static void test_reason_names(void **state)
{
	static const char *const want[XVIF_TXR_NR] = {
		"none", "too_short", "too_many_slots", "size_mismatch", "bad_gso", "mcast_unnegotiated",
		"repeated_extra", "bad_hash_extra", "truncated", "chain_too_long", "cross_page",
		"bad_extra_type", "too_many_extras",
	};
	unsigned int i;

	(void)state;
	assert_int_equal(XVIF_TXR_NR, 13);
	for (i = 0; i < XVIF_TXR_NR; i++)
		assert_string_equal(xvif_tx_reason_name((enum xvif_tx_reason)i), want[i]);
	assert_string_equal(xvif_tx_reason_name(XVIF_TXR_NR), "invalid");
	assert_string_equal(xvif_tx_reason_name((enum xvif_tx_reason)-1), "invalid");
}

/* ---- through a real ring, across index wrap-around ---- */

/*
 * The frontend writes three packets into a real shared TX ring whose
 * indices start at @start; the backend copies each chain out as the caller
 * must (RING_COPY_REQUEST at req_cons + i, i < min(avail, window)) and
 * parses it. Each packet must parse exactly as it does from a linear array,
 * whether its slots straddle the end of the ring array (index 255 -> 0) or
 * the 32-bit index wrap. Responses go back through the ring too.
 */
static const struct wrap_row {
	const char *name;
	uint32_t start;
} wrap_rows[] = {
	{ "start_0", 0 },
	{ "across_ring_end_250", 250 },
	{ "across_ring_end_255", 255 },
	{ "across_u32_wrap", 0xfffffff8u },
	{ "at_u32_max", 0xffffffffu },
};

static void test_ring_wrap_row(void **state)
{
	const struct wrap_row *r = XT_ROW(struct wrap_row, state);
	static const struct sspec p1[] = { D(60, 0, 0), { 0 } };
	static const struct sspec p2[] = { D(9000, 0, X | M), E(T_GSO, EM, V4, 1448), E(T_HASH, 0, 0, 0),
					   D(4096, 0, M), D(4096, 0, 0), { 0 } };
	const struct sspec *specs[3] = { p1, p2, NULL };
	xvif_tx_sring_t *sring = aligned_alloc(4096, 4096);
	xvif_tx_front_ring_t front;
	xvif_tx_back_ring_t back;
	struct chain c[3];
	unsigned int p, i, total = 0;

	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&front, sring, 4096);
	BACK_RING_INIT(&back, sring, 4096);
	assert_int_equal(RING_SIZE(&back), 256);
	sring->req_prod = sring->rsp_prod = sring->req_event = sring->rsp_event = r->start;
	front.req_prod_pvt = front.rsp_cons = r->start;
	back.req_cons = back.rsp_prod_pvt = r->start;

	/* Frontend: packet 3 is an 18-slot chain. */
	for (p = 0; p < 3; p++) {
		if (specs[p]) {
			build(&c[p], specs[p]);
		} else {
			static const struct sspec head[] = { D(60 + 17, 0, M), { 0 } };

			build(&c[p], head);
			fill(&c[p], 17, 1, false);
		}
		for (i = 0; i < c[p].n; i++) {
			*RING_GET_REQUEST(&front, front.req_prod_pvt) = c[p].s[i];
			front.req_prod_pvt++;
		}
		total += c[p].n;
	}
	RING_PUSH_REQUESTS(&front);

	/* Backend. */
	for (p = 0; p < 3; p++) {
		xvif_tx_req_t slots[XVIF_TX_PARSE_WINDOW];
		struct xvif_tx_pkt pkt, ref;
		enum xvif_tx_reason reason, ref_reason;
		xvif_tx_rsp_t rsp[XVIF_TX_SLOTS_FATAL + XVIF_TX_EXTRAS_MAX];
		RING_IDX prod = sring->req_prod, avail;
		unsigned int ncopy, n;

		assert_false(RING_REQUEST_PROD_OVERFLOW(&back, prod));
		avail = prod - back.req_cons;
		ncopy = avail < XVIF_TX_PARSE_WINDOW ? avail : XVIF_TX_PARSE_WINDOW;
		for (i = 0; i < ncopy; i++)
			RING_COPY_REQUEST(&back, back.req_cons + i, &slots[i]);
		assert_int_equal(xvif_tx_parse(slots, avail, &f_v4, &pkt, &reason), XVIF_TX_OK);
		assert_int_equal(xvif_tx_parse(c[p].s, c[p].n, &f_v4, &ref, &ref_reason), XVIF_TX_OK);
		assert_int_equal(pkt.nr_slots, c[p].n);
		assert_int_equal(pkt.nr_slots, ref.nr_slots);
		assert_int_equal(pkt.nr_segs, ref.nr_segs);
		assert_int_equal(pkt.total_len, ref.total_len);
		assert_memory_equal(pkt.seg, ref.seg, ref.nr_segs * sizeof(ref.seg[0]));
		assert_memory_equal(pkt.rsp_id, ref.rsp_id, ref.nr_slots * sizeof(ref.rsp_id[0]));
		back.req_cons += pkt.nr_slots;

		n = xvif_tx_responses(&pkt, XEN_NETIF_RSP_OKAY, rsp);
		for (i = 0; i < n; i++) {
			*RING_GET_RESPONSE(&back, back.rsp_prod_pvt) = rsp[i];
			back.rsp_prod_pvt++;
		}
	}
	assert_int_equal(back.req_cons - r->start, total);
	RING_PUSH_RESPONSES(&back);

	/* Frontend reads the responses back at the wrapped indices. */
	for (p = 0; p < 3; p++) {
		for (i = 0; i < c[p].n; i++) {
			xvif_tx_rsp_t got;

			RING_COPY_RESPONSE(&front, front.rsp_cons, &got);
			front.rsp_cons++;
			if (p == 1 && (i == 1 || i == 2)) {
				assert_int_equal(got.status, XEN_NETIF_RSP_NULL);
			} else {
				assert_int_equal(got.status, XEN_NETIF_RSP_OKAY);
				assert_int_equal(got.id, slot_id(i));
			}
		}
	}
	assert_int_equal(front.rsp_cons, sring->rsp_prod);
	free(sring);
}

/* A producer index more than a ring ahead is caught before any parse. */
static void test_ring_prod_overflow(void **state)
{
	xvif_tx_sring_t *sring = aligned_alloc(4096, 4096);
	xvif_tx_back_ring_t back;

	(void)state;
	SHARED_RING_INIT(sring);
	BACK_RING_INIT(&back, sring, 4096);
	back.req_cons = back.rsp_prod_pvt = 0xffffff00u;
	assert_false(RING_REQUEST_PROD_OVERFLOW(&back, 0xffffff00u + 256));
	assert_true(RING_REQUEST_PROD_OVERFLOW(&back, 0xffffff00u + 257));
	assert_true(RING_REQUEST_PROD_OVERFLOW(&back, 0xffffff00u - 1)); /* behind: wraps to huge */
	free(sring);
}

int main(void)
{
	struct xt_list l = { 0 };

	XT_ROWS(&l, "xvif_tx_parse", test_row, rows);
	XT_TEST(&l, test_every_reason_has_a_row);
	XT_TEST(&l, test_single_slot_fields);
	XT_TEST(&l, test_flags_masked);
	XT_TEST(&l, test_multi_slot_fields);
	XT_TEST(&l, test_extras_fields);
	XT_TEST(&l, test_mcast_fields);
	XT_TEST(&l, test_pkt_reset_between_parses);
	XT_ROWS(&l, "xvif_tx_responses", test_responses_row, rsp_rows);
	XT_TEST(&l, test_responses_for_drop);
	XT_TEST(&l, test_reason_names);
	XT_ROWS(&l, "xvif_tx_ring_wrap", test_ring_wrap_row, wrap_rows);
	XT_TEST(&l, test_ring_prod_overflow);
	return xt_run(&l, "tx");
}
