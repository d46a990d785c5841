// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: common/ctrl.c (control-ring hash messages, Toeplitz, queue
 * selection).
 *
 * Toeplitz is checked against the published RSS verification suite
 * (Microsoft "Verifying the RSS Hash Calculation"; the same table is in the
 * Intel 82599 datasheet 7.1.2.8.3 and DPDK app/test/test_thash.c): the
 * 40-byte key 6d5a56da..., IPv4 and IPv6, with and without ports.
 */
#include "xvif_test.h"
#include "ctrl.h"

/* ---- a fake grant table for the copy callback ---- */

struct fake_gnt {
	uint32_t gref[4];
	uint8_t page[4][XVIF_PAGE_SIZE];
	unsigned int calls;
	uint32_t last_len, last_off;
};

static int fake_copy(void *ctx, uint32_t gref, uint32_t offset, void *dst, uint32_t len)
{
	struct fake_gnt *g = ctx;
	unsigned int i;

	g->calls++;
	g->last_len = len;
	g->last_off = offset;
	/* The code under test must never ask for bytes outside the grant. */
	assert_true(offset <= XVIF_PAGE_SIZE && len <= XVIF_PAGE_SIZE - offset);
	for (i = 0; i < 4; i++) {
		if (g->gref[i] == gref) {
			memcpy(dst, g->page[i] + offset, len);
			return 0;
		}
	}
	return -1;
}

static struct fake_gnt *gnt_new(void)
{
	struct fake_gnt *g = calloc(1, sizeof(*g));

	g->gref[0] = 10;
	g->gref[1] = 11;
	g->gref[2] = 0xffffffffu;
	g->gref[3] = 12;
	return g;
}

static void put_u32s(struct fake_gnt *g, unsigned int page, const uint32_t *v, unsigned int n)
{
	memcpy(g->page[page], v, n * sizeof(*v));
}

static xvif_ctrl_rsp_t req(struct xvif_hash *h, unsigned int nq, struct fake_gnt *g, uint16_t type, uint32_t d0,
			   uint32_t d1, uint32_t d2)
{
	xvif_ctrl_req_t r = { .id = 0x4242, .type = type, .data = { d0, d1, d2 } };
	xvif_ctrl_rsp_t rsp;

	memset(&rsp, 0xa5, sizeof(rsp));
	xvif_ctrl_handle(h, nq, &r, fake_copy, g, &rsp);
	assert_int_equal(rsp.id, 0x4242);
	assert_int_equal(rsp.type, type);
	return rsp;
}

#define OK XEN_NETIF_CTRL_STATUS_SUCCESS
#define NOTSUP XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED
#define INVAL XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER
#define OVERFLOW XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW

#define T_ALG XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM
#define T_GFLAGS XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS
#define T_SFLAGS XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS
#define T_KEY XEN_NETIF_CTRL_TYPE_SET_HASH_KEY
#define T_GMSIZE XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE
#define T_SMSIZE XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE
#define T_MAP XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING

#define ALL_FLAGS                                                                             \
	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 | XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |                   \
	 XEN_NETIF_CTRL_HASH_TYPE_IPV6 | XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

static void test_hash_init(void **state)
{
	struct xvif_hash h;
	static const uint8_t zero[XVIF_HASH_KEY_MAX];

	(void)state;
	memset(&h, 0x77, sizeof(h));
	xvif_hash_init(&h);
	assert_int_equal(h.algorithm, XEN_NETIF_CTRL_HASH_ALGORITHM_NONE);
	assert_int_equal(h.flags, 0);
	assert_int_equal(h.key_len, 0);
	assert_memory_equal(h.key, zero, sizeof(zero));
	assert_int_equal(h.mapping_size, 0);
	assert_int_equal(h.mapping[0], 0);
	assert_int_equal(h.mapping[XVIF_HASH_MAPPING_MAX - 1], 0);
}

/*
 * One message against a configured hash state: the exact status, the data
 * word, and whether the state changed at all (a refused message must leave
 * struct xvif_hash byte-for-byte as it was).
 */
static const struct msg_row {
	const char *name;
	uint16_t type;
	uint32_t d0, d1, d2;
	uint32_t status;
	uint32_t data;
	bool changes;
} msg_rows[] = {
	{ "algorithm_toeplitz", T_ALG, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0, OK, 0, false /* already */ },
	{ "algorithm_none", T_ALG, XEN_NETIF_CTRL_HASH_ALGORITHM_NONE, 0, 0, OK, 0, true },
	{ "algorithm_2_unknown", T_ALG, 2, 0, 0, INVAL, 0, false },
	{ "algorithm_u32_max", T_ALG, 0xffffffffu, 0, 0, INVAL, 0, false },
	{ "get_flags", T_GFLAGS, 0, 0, 0, OK, ALL_FLAGS, false },
	{ "set_flags_all", T_SFLAGS, ALL_FLAGS, 0, 0, OK, 0, true },
	{ "set_flags_none", T_SFLAGS, 0, 0, 0, OK, 0, true },
	{ "set_flags_unknown_bit", T_SFLAGS, 1u << 4, 0, 0, INVAL, 0, false },
	{ "set_flags_known_and_unknown", T_SFLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4 | 0x80000000u, 0, 0, INVAL, 0, false },
	{ "key_40", T_KEY, 11, 40, 0, OK, 0, true },
	{ "key_1", T_KEY, 11, 1, 0, OK, 0, true },
	{ "key_0_clears", T_KEY, 11, 0, 0, OK, 0, true },
	{ "key_41_xsa270", T_KEY, 11, 41, 0, OVERFLOW, 0, false },
	{ "key_4096", T_KEY, 11, 4096, 0, OVERFLOW, 0, false },
	{ "key_u32_max", T_KEY, 11, 0xffffffffu, 0, OVERFLOW, 0, false },
	{ "key_bad_gref", T_KEY, 99, 40, 0, INVAL, 0, false },
	{ "get_mapping_size", T_GMSIZE, 0, 0, 0, OK, XVIF_HASH_MAPPING_MAX, false },
	{ "mapping_size_0_disables", T_SMSIZE, 0, 0, 0, OK, 0, true },
	{ "mapping_size_128", T_SMSIZE, 128, 0, 0, OK, 0, true },
	{ "mapping_size_129", T_SMSIZE, 129, 0, 0, INVAL, 0, false },
	{ "mapping_size_u32_max", T_SMSIZE, 0xffffffffu, 0, 0, INVAL, 0, false },
	/* state has mapping_size 8, 4 queues; page 0 (gref 10) holds 0,1,2,3,... */
	{ "mapping_whole_table", T_MAP, 10, 8, 0, OK, 0, true },
	{ "mapping_last_entry", T_MAP, 10, 1, 7, OK, 0, true },
	{ "mapping_len_0_at_end", T_MAP, 10, 0, 8, OK, 0, false },
	{ "mapping_len_0_past_end", T_MAP, 10, 0, 9, INVAL, 0, false },
	{ "mapping_one_past_end", T_MAP, 10, 1, 8, INVAL, 0, false },
	{ "mapping_longer_than_table", T_MAP, 10, 9, 0, INVAL, 0, false },
	{ "mapping_offset_len_overflow_xsa270", T_MAP, 10, 2, 0xffffffffu, INVAL, 0, false },
	{ "mapping_offset_len_overflow_2", T_MAP, 10, 0x80000000u, 0x80000000u, OVERFLOW, 0, false },
	{ "mapping_len_above_page", T_MAP, 10, 1025, 0, OVERFLOW, 0, false },
	{ "mapping_len_page_but_above_size", T_MAP, 10, 1024, 0, INVAL, 0, false },
	{ "mapping_len_u32_max", T_MAP, 10, 0xffffffffu, 1, OVERFLOW, 0, false },
	{ "mapping_queue_index_equals_nq", T_MAP, 11, 8, 0, INVAL, 0, false },
	{ "mapping_bad_gref", T_MAP, 99, 8, 0, INVAL, 0, false },
	/* netif.h messages xvif does not implement, and garbage */
	{ "type_invalid_0", XEN_NETIF_CTRL_TYPE_INVALID, 0, 0, 0, NOTSUP, 0, false },
	{ "get_gref_mapping_size", XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE, 0, 0, 0, NOTSUP, 0, false },
	{ "add_gref_mapping", XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING, 10, 1, 0, NOTSUP, 0, false },
	{ "del_gref_mapping", XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING, 10, 1, 0, NOTSUP, 0, false },
	{ "type_11", 11, 0, 0, 0, NOTSUP, 0, false },
	{ "type_ffff", 0xffff, 0xffffffffu, 0xffffffffu, 0xffffffffu, NOTSUP, 0, false },
};

/* A configured state: Toeplitz, all flags, a key, an 8-entry mapping. */
static void configured(struct xvif_hash *h, struct fake_gnt *g)
{
	static const uint32_t map_ok[16] = { 3, 2, 1, 0, 3, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint32_t map_bad[8] = { 0, 1, 2, 3, 0, 1, 2, 4 }; /* 4 >= 4 queues */
	static const uint32_t seq[8] = { 0, 1, 2, 3, 0, 1, 2, 3 };
	unsigned int i;

	xvif_hash_init(h);
	for (i = 0; i < XVIF_PAGE_SIZE; i++)
		g->page[1][i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(req(h, 4, g, T_ALG, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0).status, OK);
	assert_int_equal(req(h, 4, g, T_SFLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0, 0).status, OK);
	assert_int_equal(req(h, 4, g, T_KEY, 11, 16, 0).status, OK);
	assert_int_equal(req(h, 4, g, T_SMSIZE, 8, 0, 0).status, OK);
	put_u32s(g, 3, map_ok, 16);
	assert_int_equal(req(h, 4, g, T_MAP, 12, 8, 0).status, OK);
	put_u32s(g, 0, seq, 8);
	put_u32s(g, 1, map_bad, 8);
	g->calls = 0;
}

static void test_msg_row(void **state)
{
	const struct msg_row *r = XT_ROW(struct msg_row, state);
	struct fake_gnt *g = gnt_new();
	struct xvif_hash h, before;
	xvif_ctrl_rsp_t rsp;

	configured(&h, g);
	before = h;
	rsp = req(&h, 4, g, r->type, r->d0, r->d1, r->d2);
	free(g);
	assert_int_equal(rsp.status, r->status);
	assert_int_equal(rsp.data, r->data);
	if (r->changes)
		assert_memory_not_equal(&h, &before, sizeof(h));
	else
		assert_memory_equal(&h, &before, sizeof(h));
}

/* ---- what the accepted messages do ---- */

static void test_set_flags_needs_algorithm(void **state)
{
	struct fake_gnt *g = gnt_new();
	struct xvif_hash h;

	(void)state;
	xvif_hash_init(&h);
	assert_int_equal(req(&h, 4, g, T_SFLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0, 0).status, INVAL);
	assert_int_equal(h.flags, 0);
	assert_int_equal(req(&h, 4, g, T_ALG, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0).status, OK);
	assert_int_equal(req(&h, 4, g, T_SFLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0, 0).status, OK);
	assert_int_equal(h.flags, XEN_NETIF_CTRL_HASH_TYPE_IPV4);
	free(g);
}

static void test_set_key_copies_exactly(void **state)
{
	struct fake_gnt *g = gnt_new();
	struct xvif_hash h;
	uint8_t want[XVIF_HASH_KEY_MAX] = { 0 };

	(void)state;
	configured(&h, g);
	memcpy(g->page[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdXYZ", 43);
	assert_int_equal(req(&h, 4, g, T_KEY, 10, 40, 0).status, OK);
	assert_int_equal(g->calls, 1);
	assert_int_equal(g->last_off, 0);
	assert_int_equal(g->last_len, 40);
	assert_int_equal(h.key_len, 40);
	assert_memory_equal(h.key, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd", 40);

	/* A shorter key: the rest of the key is zero (netif.h: padded). */
	assert_int_equal(req(&h, 4, g, T_KEY, 10, 5, 0).status, OK);
	assert_int_equal(g->last_len, 5);
	assert_int_equal(h.key_len, 5);
	memcpy(want, "ABCDE", 5);
	assert_memory_equal(h.key, want, sizeof(want));

	/* Size 0 clears the key without touching the grant. */
	g->calls = 0;
	assert_int_equal(req(&h, 4, g, T_KEY, 99, 0, 0).status, OK);
	assert_int_equal(g->calls, 0);
	assert_int_equal(h.key_len, 0);
	memset(want, 0, sizeof(want));
	assert_memory_equal(h.key, want, sizeof(want));

	/* Oversized: refused before any copy. */
	assert_int_equal(req(&h, 4, g, T_KEY, 10, 41, 0).status, OVERFLOW);
	assert_int_equal(g->calls, 0);
	free(g);
}

static void test_set_mapping_size_zeroes_table(void **state)
{
	struct fake_gnt *g = gnt_new();
	struct xvif_hash h;

	(void)state;
	configured(&h, g);
	assert_int_equal(h.mapping[0], 3);
	assert_int_equal(req(&h, 4, g, T_SMSIZE, 16, 0, 0).status, OK);
	assert_int_equal(h.mapping_size, 16);
	assert_int_equal(h.mapping[0], 0);
	assert_int_equal(h.mapping[7], 0);
	free(g);
}

static void test_set_mapping_writes_sub_table(void **state)
{
	static const uint32_t sub[3] = { 1, 3, 2 };
	struct fake_gnt *g = gnt_new();
	struct xvif_hash h;

	(void)state;
	configured(&h, g);
	put_u32s(g, 0, sub, 3);
	assert_int_equal(req(&h, 4, g, T_MAP, 10, 3, 5).status, OK);
	assert_int_equal(g->last_off, 0);       /* the sub-table starts at the grant's start */
	assert_int_equal(g->last_len, 3 * 4);   /* and only its entries are copied */
	assert_int_equal(h.mapping[4], 3);      /* untouched */
	assert_int_equal(h.mapping[5], 1);
	assert_int_equal(h.mapping[6], 3);
	assert_int_equal(h.mapping[7], 2);
	assert_int_equal(h.mapping[0], 3);
	free(g);
}

/* A table whose last entry is bad changes nothing, not even its good part. */
static void test_set_mapping_all_or_nothing(void **state)
{
	struct fake_gnt *g = gnt_new();
	struct xvif_hash h;
	uint32_t before[XVIF_HASH_MAPPING_MAX];

	(void)state;
	configured(&h, g);
	memcpy(before, h.mapping, sizeof(before));
	assert_int_equal(req(&h, 4, g, T_MAP, 11, 8, 0).status, INVAL);
	assert_memory_equal(h.mapping, before, sizeof(before));
	/* The same table is fine for 5 queues. */
	assert_int_equal(req(&h, 5, g, T_MAP, 11, 8, 0).status, OK);
	assert_int_equal(h.mapping[7], 4);
	free(g);
}

/* ---- Toeplitz: the RSS verification suite ---- */

static const uint8_t rss_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
	0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
	0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static const struct v4_row {
	const char *name;
	uint8_t src[4], dst[4];
	uint16_t sport, dport;
	uint32_t ip, tcp;
} v4_rows[] = {
	{ "66.9.149.187_161.142.100.80", { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766, 0x323e8fc2,
	  0x51ccc178 },
	{ "199.92.111.2_65.69.140.83", { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739, 0xd718262a, 0xc626b0ea },
	{ "24.19.198.95_12.22.207.184", { 24, 19, 198, 95 }, { 12, 22, 207, 184 }, 12898, 38024, 0xd2d0a5de,
	  0x5c2b394a },
	{ "38.27.205.30_209.142.163.6", { 38, 27, 205, 30 }, { 209, 142, 163, 6 }, 48228, 2217, 0x82989176,
	  0xafc7327f },
	{ "153.39.163.191_202.188.127.2", { 153, 39, 163, 191 }, { 202, 188, 127, 2 }, 44251, 1303, 0x5d1809c5,
	  0x10e828a2 },
};

static const struct v6_row {
	const char *name;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t ip, tcp;
} v6_rows[] = {
	{ "3ffe_2501_200_1fff__7_to_3ffe_2501_200_3__1",
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x07 },
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x01 }, 2794, 1766, 0x2cc18cd5,
	  0x40207d3d },
	{ "3ffe_501_8__260_97ff_fe40_efab_to_ff02__1",
	  { 0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0, 0, 0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef, 0xab },
	  { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 }, 14230, 4739, 0x0f0c461c, 0xdde51bbf },
	{ "3ffe_1900_4545_3_200_f8ff_fe21_67cf_to_fe80__200_f8ff_fe21_67cf",
	  { 0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf }, 44251, 38024, 0x4b61e985,
	  0x02d1feef },
};

static void test_toeplitz_v4_row(void **state)
{
	const struct v4_row *r = XT_ROW(struct v4_row, state);
	uint8_t in[12];

	memcpy(in, r->src, 4);
	memcpy(in + 4, r->dst, 4);
	in[8] = (uint8_t)(r->sport >> 8);
	in[9] = (uint8_t)r->sport;
	in[10] = (uint8_t)(r->dport >> 8);
	in[11] = (uint8_t)r->dport;
	assert_int_equal(xvif_toeplitz(rss_key, 40, in, 8), r->ip);
	assert_int_equal(xvif_toeplitz(rss_key, 40, in, 12), r->tcp);
}

static void test_toeplitz_v6_row(void **state)
{
	const struct v6_row *r = XT_ROW(struct v6_row, state);
	uint8_t in[36];

	memcpy(in, r->src, 16);
	memcpy(in + 16, r->dst, 16);
	in[32] = (uint8_t)(r->sport >> 8);
	in[33] = (uint8_t)r->sport;
	in[34] = (uint8_t)(r->dport >> 8);
	in[35] = (uint8_t)r->dport;
	assert_int_equal(xvif_toeplitz(rss_key, 40, in, 32), r->ip);
	assert_int_equal(xvif_toeplitz(rss_key, 40, in, 36), r->tcp);
}

/* A short key hashes as if zero-padded to 40 bytes; an empty input is 0. */
static void test_toeplitz_short_key_and_empty(void **state)
{
	uint8_t key40[40] = { 0 };
	static const uint8_t in[12] = { 66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6 };

	(void)state;
	memcpy(key40, rss_key, 5);
	assert_int_equal(xvif_toeplitz(rss_key, 5, in, 12), xvif_toeplitz(key40, 40, in, 12));
	assert_int_equal(xvif_toeplitz(rss_key, 40, in, 0), 0);
	assert_int_equal(xvif_toeplitz(rss_key, 0, in, 12), 0);
}

/* ---- xvif_hash_packet: the same vectors, from real frames ---- */

static size_t frame_v4(uint8_t *f, const struct v4_row *r, uint8_t proto, bool frag)
{
	size_t l4 = proto == XVIF_IPPROTO_UDP ? 8 : 20;

	memset(f, 0, 128);
	memcpy(f + 12, "\x08\x00", 2);
	f[14] = 0x45;
	f[16] = 0;
	f[17] = (uint8_t)(20 + l4);
	if (frag)
		f[20] = 0x20; /* MF */
	f[22] = 64;
	f[23] = proto;
	memcpy(f + 26, r->src, 4);
	memcpy(f + 30, r->dst, 4);
	f[34] = (uint8_t)(r->sport >> 8);
	f[35] = (uint8_t)r->sport;
	f[36] = (uint8_t)(r->dport >> 8);
	f[37] = (uint8_t)r->dport;
	if (proto == XVIF_IPPROTO_TCP)
		f[46] = 5 << 4;
	else if (proto == XVIF_IPPROTO_UDP)
		f[39] = 8;
	return 14 + 20 + l4;
}

static size_t frame_v6(uint8_t *f, const struct v6_row *r, uint8_t proto)
{
	memset(f, 0, 128);
	memcpy(f + 12, "\x86\xdd", 2);
	f[14] = 0x60;
	f[19] = 20;
	f[20] = proto;
	f[21] = 64;
	memcpy(f + 22, r->src, 16);
	memcpy(f + 38, r->dst, 16);
	f[54] = (uint8_t)(r->sport >> 8);
	f[55] = (uint8_t)r->sport;
	f[56] = (uint8_t)(r->dport >> 8);
	f[57] = (uint8_t)r->dport;
	f[66] = 5 << 4;
	return 14 + 40 + 20;
}

static void keyed(struct xvif_hash *h, uint32_t flags)
{
	xvif_hash_init(h);
	h->algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
	h->flags = flags;
	memcpy(h->key, rss_key, 40);
	h->key_len = 40;
}

static void test_hash_packet_v4_row(void **state)
{
	const struct v4_row *r = XT_ROW(struct v4_row, state);
	struct xvif_hash h;
	struct xvif_hdr hdr;
	uint8_t f[128];
	uint32_t hash;
	uint8_t type;
	size_t n;

	/* TCP with both types enabled: the 4-tuple. */
	keyed(&h, ALL_FLAGS);
	n = frame_v4(f, r, XVIF_IPPROTO_TCP, false);
	assert_int_equal(xvif_hdr_parse(f, (uint32_t)n, &hdr), 0);
	assert_true(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	assert_int_equal(type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
	assert_int_equal(hash, r->tcp);
	/* TCP with only IPV4: the 2-tuple. */
	keyed(&h, XEN_NETIF_CTRL_HASH_TYPE_IPV4);
	assert_true(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	assert_int_equal(type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4);
	assert_int_equal(hash, r->ip);
	/* TCP with only IPV4_TCP enabled: the 4-tuple still. */
	keyed(&h, XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
	assert_true(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	assert_int_equal(hash, r->tcp);
	/* UDP: no UDP type in netif.h, so the 2-tuple. */
	keyed(&h, ALL_FLAGS);
	n = frame_v4(f, r, XVIF_IPPROTO_UDP, false);
	assert_int_equal(xvif_hdr_parse(f, (uint32_t)n, &hdr), 0);
	assert_true(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	assert_int_equal(type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4);
	assert_int_equal(hash, r->ip);
	/* UDP with only the TCP type: nothing applies. */
	keyed(&h, XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
	assert_false(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	/* A TCP fragment: ports are not there to hash. */
	keyed(&h, ALL_FLAGS);
	n = frame_v4(f, r, XVIF_IPPROTO_TCP, true);
	assert_int_equal(xvif_hdr_parse(f, (uint32_t)n, &hdr), 0);
	assert_true(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	assert_int_equal(type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4);
	assert_int_equal(hash, r->ip);
	/* IPv6 types only: an IPv4 packet is not hashed. */
	keyed(&h, XEN_NETIF_CTRL_HASH_TYPE_IPV6 | XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP);
	assert_false(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
}

static void test_hash_packet_v6_row(void **state)
{
	const struct v6_row *r = XT_ROW(struct v6_row, state);
	struct xvif_hash h;
	struct xvif_hdr hdr;
	uint8_t f[128];
	uint32_t hash;
	uint8_t type;
	size_t n;

	keyed(&h, ALL_FLAGS);
	n = frame_v6(f, r, XVIF_IPPROTO_TCP);
	assert_int_equal(xvif_hdr_parse(f, (uint32_t)n, &hdr), 0);
	assert_true(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	assert_int_equal(type, _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP);
	assert_int_equal(hash, r->tcp);
	keyed(&h, XEN_NETIF_CTRL_HASH_TYPE_IPV6);
	assert_true(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	assert_int_equal(type, _XEN_NETIF_CTRL_HASH_TYPE_IPV6);
	assert_int_equal(hash, r->ip);
	keyed(&h, XEN_NETIF_CTRL_HASH_TYPE_IPV4 | XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
	assert_false(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
}

static void test_hash_packet_not_applicable(void **state)
{
	struct xvif_hash h;
	struct xvif_hdr hdr;
	uint8_t f[128];
	uint32_t hash = 0x1234;
	uint8_t type;
	size_t n;

	(void)state;
	n = frame_v4(f, &v4_rows[0], XVIF_IPPROTO_TCP, false);
	assert_int_equal(xvif_hdr_parse(f, (uint32_t)n, &hdr), 0);
	/* Algorithm NONE. */
	xvif_hash_init(&h);
	h.flags = ALL_FLAGS;
	assert_false(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	/* No types enabled. */
	keyed(&h, 0);
	assert_false(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	/* Not IP (ARP). */
	keyed(&h, ALL_FLAGS);
	memcpy(f + 12, "\x08\x06", 2);
	assert_int_equal(xvif_hdr_parse(f, (uint32_t)n, &hdr), 0);
	assert_false(xvif_hash_packet(&h, f, (uint32_t)n, &hdr, &hash, &type));
	assert_int_equal(hash, 0x1234);
}

/* ---- queue selection ---- */

static void test_hash_queue(void **state)
{
	struct xvif_hash h;
	unsigned int i;

	(void)state;
	xvif_hash_init(&h);
	/* One queue (or none): always 0. */
	assert_int_equal(xvif_hash_queue(&h, 0xffffffffu, 1), 0);
	assert_int_equal(xvif_hash_queue(&h, 7, 0), 0);
	/* No mapping: hash modulo queues. */
	assert_int_equal(xvif_hash_queue(&h, 10, 4), 2);
	assert_int_equal(xvif_hash_queue(&h, 0xffffffffu, 3), 0xffffffffu % 3);
	assert_int_equal(xvif_hash_queue(&h, 0x51ccc178, 16), 0x51ccc178 % 16);
	/* Mapping: mapping[hash % size]. */
	h.mapping_size = 8;
	for (i = 0; i < 8; i++)
		h.mapping[i] = 7 - i;
	assert_int_equal(xvif_hash_queue(&h, 0, 8), 7);
	assert_int_equal(xvif_hash_queue(&h, 9, 8), 6);
	assert_int_equal(xvif_hash_queue(&h, 0xffffffffu, 8), 0);
	/* The vif lost queues since the mapping was set: never out of range. */
	assert_int_equal(xvif_hash_queue(&h, 0, 4), 0);
	assert_int_equal(xvif_hash_queue(&h, 5, 4), 2);
	for (i = 0; i < 1000; i++)
		assert_true(xvif_hash_queue(&h, i * 2654435761u, 3) < 3);
}

int main(void)
{
	struct xt_list l = { 0 };

	XT_TEST(&l, test_hash_init);
	XT_ROWS(&l, "xvif_ctrl_handle", test_msg_row, msg_rows);
	XT_TEST(&l, test_set_flags_needs_algorithm);
	XT_TEST(&l, test_set_key_copies_exactly);
	XT_TEST(&l, test_set_mapping_size_zeroes_table);
	XT_TEST(&l, test_set_mapping_writes_sub_table);
	XT_TEST(&l, test_set_mapping_all_or_nothing);
	XT_ROWS(&l, "xvif_toeplitz_rss_ipv4", test_toeplitz_v4_row, v4_rows);
	XT_ROWS(&l, "xvif_toeplitz_rss_ipv6", test_toeplitz_v6_row, v6_rows);
	XT_TEST(&l, test_toeplitz_short_key_and_empty);
	XT_ROWS(&l, "xvif_hash_packet_rss_ipv4", test_hash_packet_v4_row, v4_rows);
	XT_ROWS(&l, "xvif_hash_packet_rss_ipv6", test_hash_packet_v6_row, v6_rows);
	XT_TEST(&l, test_hash_packet_not_applicable);
	XT_TEST(&l, test_hash_queue);
	return xt_run(&l, "ctrl");
}
