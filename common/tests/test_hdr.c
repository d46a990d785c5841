// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: common/hdr.c (header parsing, L4 checksum fill and verify).
 *
 * The packets below are known good: built by an independent generator
 * (RFC 1071 sum over pseudo-header and segment), and the IPv4/TCP,
 * IPv4-options/UDP, IPv6/TCP and IPv6-extension-headers/UDP ones were also
 * injected through a TAP into a Linux 6.1 network namespace, which accepted
 * them (TCP RST / UDP port unreachable sent, InCsumErrors unchanged) and
 * rejected each with one payload bit flipped (InCsumErrors + 1).
 */
#include "xvif_test.h"
#include "hdr.h"

/* ipv4_tcp: 64 bytes, L4 checksum 0xddc5 */
static const uint8_t pkt_ipv4_tcp[] = {
	0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c, 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x32, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06,
	0x9b, 0x11, 0xc0, 0xa8, 0x01, 0x0a, 0xc0, 0xa8, 0x01, 0x14, 0x9c, 0x40,
	0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d, 0x50, 0x18,
	0x72, 0x10, 0xdd, 0xc5, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20,
	0x78, 0x76, 0x69, 0x66,
};
/* ipv4_opts_udp: 51 bytes, L4 checksum 0x6776 */
static const uint8_t pkt_ipv4_opts_udp[] = {
	0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c, 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03,
	0x08, 0x00, 0x46, 0x00, 0x00, 0x25, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x11,
	0x06, 0x0f, 0xc0, 0xa8, 0x01, 0x0a, 0xc0, 0xa8, 0x01, 0x14, 0x94, 0x04,
	0x00, 0x00, 0x14, 0xe9, 0x00, 0x35, 0x00, 0x0d, 0x67, 0x76, 0x70, 0x69,
	0x6e, 0x67, 0x21,
};
/* vlan_ipv4_tcp_opts: 77 bytes, L4 checksum 0xd9f2 */
static const uint8_t pkt_vlan_ipv4_tcp_opts[] = {
	0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c, 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03,
	0x81, 0x00, 0x00, 0x05, 0x08, 0x00, 0x45, 0x00, 0x00, 0x3b, 0x1c, 0x46,
	0x40, 0x00, 0x40, 0x06, 0x0a, 0x75, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00,
	0x00, 0x02, 0xc7, 0x38, 0x01, 0xbb, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x80, 0x02, 0xfa, 0xf0, 0xd9, 0xf2, 0x00, 0x00, 0x02, 0x04,
	0x05, 0xb4, 0x04, 0x02, 0x01, 0x01, 0x01, 0x03, 0x03, 0x07, 0x70, 0x61,
	0x79, 0x6c, 0x6f, 0x61, 0x64,
};
/* ipv6_tcp: 83 bytes, L4 checksum 0xfff7 */
static const uint8_t pkt_ipv6_tcp[] = {
	0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c, 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x1d, 0x06, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x9c, 0x41, 0x00, 0x16, 0x00, 0x00,
	0x00, 0x07, 0x00, 0x00, 0x00, 0x08, 0x50, 0x18, 0x01, 0xf4, 0xff, 0xf7,
	0x00, 0x00, 0x73, 0x73, 0x68, 0x2d, 0x32, 0x2e, 0x30, 0x2d, 0x78,
};
/* ipv6_hbh_dst_udp: 82 bytes, L4 checksum 0xb6cc */
static const uint8_t pkt_ipv6_hbh_dst_udp[] = {
	0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c, 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x3c, 0x00, 0x05, 0x02, 0x00, 0x00,
	0x01, 0x00, 0x11, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe8,
	0x07, 0xd0, 0x00, 0x0c, 0xb6, 0xcc, 0x78, 0x76, 0x69, 0x66,
};
/* ipv6_ah_tcp: 98 bytes, L4 checksum 0x53f2 */
static const uint8_t pkt_ipv6_ah_tcp[] = {
	0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c, 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03,
	0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x33, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00,
	0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x50, 0x10, 0x00, 0x64, 0x53, 0xf2,
	0x00, 0x00,
};
/* ipv4_udp_eth_padding: 60 bytes, L4 checksum 0x96ea */
static const uint8_t pkt_ipv4_udp_eth_padding[] = {
	0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c, 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x1e, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x11,
	0x1e, 0x8a, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x44,
	0x00, 0x43, 0x00, 0x0a, 0x96, 0xea, 0x68, 0x69, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

#define P(name) pkt_##name, sizeof(pkt_##name)

/* What xvif_hdr_parse must find in each, and where the IP packet ends. */
static const struct good_row {
	const char *name;
	const uint8_t *pkt;
	size_t len;
	uint16_t ethertype, l3_off;
	uint8_t ip_version, l4_proto;
	uint16_t l4_off, l4_len, l4_total;
	uint32_t ip_end;          /* l3_off + the IP header's own length */
	uint16_t csum;            /* the L4 checksum in the packet */
} good_rows[] = {
	{ "ipv4_tcp", P(ipv4_tcp), 0x0800, 14, 4, 6, 34, 20, 30, 64, 0xddc5 },
	{ "ipv4_options_udp_odd_payload", P(ipv4_opts_udp), 0x0800, 14, 4, 17, 38, 8, 13, 51, 0x6776 },
	{ "vlan_ipv4_tcp_options", P(vlan_ipv4_tcp_opts), 0x0800, 18, 4, 6, 38, 32, 39, 77, 0xd9f2 },
	{ "ipv6_tcp", P(ipv6_tcp), 0x86dd, 14, 6, 6, 54, 20, 29, 83, 0xfff7 },
	{ "ipv6_hopopts_dstopts_udp", P(ipv6_hbh_dst_udp), 0x86dd, 14, 6, 17, 70, 8, 12, 82, 0xb6cc },
	{ "ipv6_ah_tcp", P(ipv6_ah_tcp), 0x86dd, 14, 6, 6, 78, 20, 20, 98, 0x53f2 },
	{ "ipv4_udp_ethernet_padding", P(ipv4_udp_eth_padding), 0x0800, 14, 4, 17, 34, 8, 10, 44, 0x96ea },
};

static uint8_t *dup_pkt(const uint8_t *p, size_t len)
{
	uint8_t *c = malloc(len ? len : 1); /* exact size: ASan sees any over-read */

	memcpy(c, p, len);
	return c;
}

static void check_full(const struct good_row *r, const struct xvif_hdr *h)
{
	assert_int_equal(h->ethertype, r->ethertype);
	assert_int_equal(h->l3_off, r->l3_off);
	assert_int_equal(h->ip_version, r->ip_version);
	assert_int_equal(h->l4_proto, r->l4_proto);
	assert_int_equal(h->l4_off, r->l4_off);
	assert_int_equal(h->l4_len, r->l4_len);
	assert_int_equal(h->l4_total, r->l4_total);
	assert_false(h->fragment);
}

static void test_parse_good_row(void **state)
{
	const struct good_row *r = XT_ROW(struct good_row, state);
	uint8_t *p = dup_pkt(r->pkt, r->len);
	struct xvif_hdr h;

	assert_int_equal(xvif_hdr_parse(p, (uint32_t)r->len, &h), 0);
	check_full(r, &h);
	assert_int_equal(xvif_hdr_csum_offset(&h), r->l4_proto == 6 ? 16 : 6);
	assert_int_equal(p[r->l4_off + (r->l4_proto == 6 ? 16 : 6)] << 8 | p[r->l4_off + (r->l4_proto == 6 ? 17 : 7)],
			 r->csum);
	free(p);
}

/* Every prefix of the frame, on an exact-size heap copy: never a read past
 * the end, "not an Ethernet frame" below 14 bytes, no L3 until the whole IP
 * packet is there, then exactly the full result. */
static void test_parse_truncated_row(void **state)
{
	const struct good_row *r = XT_ROW(struct good_row, state);
	uint32_t len;

	for (len = 0; len <= r->len; len++) {
		uint8_t *p = dup_pkt(r->pkt, len);
		struct xvif_hdr h;
		int rc = xvif_hdr_parse(p, len, &h);

		free(p);
		if (len < 14) {
			if (rc != -1)
				fail_msg("len %u: rc %d, want -1", len, rc);
			continue;
		}
		assert_int_equal(rc, 0);
		if (len < r->ip_end) {
			if (h.ip_version || h.l3_off || h.l4_off || h.l4_proto)
				fail_msg("len %u: ip_version %u l3_off %u l4_off %u on a truncated IP packet", len,
					 h.ip_version, h.l3_off, h.l4_off);
			assert_int_equal(h.ethertype, len < r->l3_off ? 0x8100 : r->ethertype);
			continue;
		}
		check_full(r, &h);
	}
}

static void test_csum_ok_row(void **state)
{
	const struct good_row *r = XT_ROW(struct good_row, state);
	uint8_t *p = dup_pkt(r->pkt, r->len);
	struct xvif_hdr h;

	assert_int_equal(xvif_hdr_parse(p, (uint32_t)r->len, &h), 0);
	assert_true(xvif_hdr_csum_ok(p, (uint32_t)r->len, &h));
	/* One flipped bit anywhere in the L4 segment is caught. */
	p[r->l4_off + r->l4_total - 1] ^= 0x01;
	assert_false(xvif_hdr_csum_ok(p, (uint32_t)r->len, &h));
	p[r->l4_off + r->l4_total - 1] ^= 0x01;
	/* And in the pseudo-header (the last address byte). */
	p[r->l3_off + (r->ip_version == 4 ? 19 : 39)] ^= 0x80;
	assert_false(xvif_hdr_csum_ok(p, (uint32_t)r->len, &h));
	free(p);
}

/* Blank the checksum, fill it: the packet is byte-for-byte the original. */
static void test_csum_fill_row(void **state)
{
	const struct good_row *r = XT_ROW(struct good_row, state);
	uint8_t *p = dup_pkt(r->pkt, r->len);
	struct xvif_hdr h;
	unsigned int field;

	assert_int_equal(xvif_hdr_parse(p, (uint32_t)r->len, &h), 0);
	field = h.l4_off + (unsigned int)xvif_hdr_csum_offset(&h);
	p[field] = p[field + 1] = 0;
	assert_false(xvif_hdr_csum_ok(p, (uint32_t)r->len, &h));
	assert_int_equal(xvif_hdr_csum_fill(p, (uint32_t)r->len, &h), 0);
	assert_memory_equal(p, r->pkt, r->len);
	/* A partial checksum (pseudo-header sum, as a guest's csum_blank
	 * packet carries it) is overwritten, not added to. */
	p[field] = 0x12;
	p[field + 1] = 0x34;
	assert_int_equal(xvif_hdr_csum_fill(p, (uint32_t)r->len, &h), 0);
	assert_memory_equal(p, r->pkt, r->len);
	free(p);
}

/* A buffer shorter than the L4 segment the headers describe: refused, and
 * nothing written. */
static void test_csum_fill_short_buffer_row(void **state)
{
	const struct good_row *r = XT_ROW(struct good_row, state);
	uint8_t *p = dup_pkt(r->pkt, r->len);
	uint32_t end = (uint32_t)r->l4_off + r->l4_total;
	struct xvif_hdr h;

	assert_int_equal(xvif_hdr_parse(p, (uint32_t)r->len, &h), 0);
	assert_int_equal(xvif_hdr_csum_fill(p, end - 1, &h), -1);
	assert_false(xvif_hdr_csum_ok(p, end - 1, &h));
	assert_memory_equal(p, r->pkt, r->len);
	/* Exactly the segment (Ethernet padding cut off) is enough. */
	assert_int_equal(xvif_hdr_csum_fill(p, end, &h), 0);
	assert_true(xvif_hdr_csum_ok(p, end, &h));
	free(p);
}

/* One's-complement add of @c to the 16-bit word at @p. */
static void add_word(uint8_t *p, uint16_t c)
{
	uint32_t w = (uint32_t)(p[0] << 8 | p[1]) + c;

	w = (w & 0xffff) + (w >> 16);
	p[0] = (uint8_t)(w >> 8);
	p[1] = (uint8_t)w;
}

/* A UDP segment whose checksum computes to 0 is sent as 0xffff (0 means "no
 * checksum" for UDP); TCP keeps 0. The payload is adjusted so the sum comes
 * out at exactly 0. */
static void test_csum_fill_zero_result(void **state)
{
	uint8_t *u = dup_pkt(P(ipv4_opts_udp));
	uint8_t *t = dup_pkt(P(ipv4_tcp));
	struct xvif_hdr hu, ht;

	(void)state;
	assert_int_equal(xvif_hdr_parse(u, sizeof(pkt_ipv4_opts_udp), &hu), 0);
	add_word(u + 46, 0x6776); /* first payload word += its checksum */
	u[44] = u[45] = 0;
	assert_int_equal(xvif_hdr_csum_fill(u, sizeof(pkt_ipv4_opts_udp), &hu), 0);
	assert_int_equal(u[44], 0xff);
	assert_int_equal(u[45], 0xff);
	assert_true(xvif_hdr_csum_ok(u, sizeof(pkt_ipv4_opts_udp), &hu));

	assert_int_equal(xvif_hdr_parse(t, sizeof(pkt_ipv4_tcp), &ht), 0);
	add_word(t + 54, 0xddc5);
	t[50] = t[51] = 0x55;
	assert_int_equal(xvif_hdr_csum_fill(t, sizeof(pkt_ipv4_tcp), &ht), 0);
	assert_int_equal(t[50], 0);
	assert_int_equal(t[51], 0);
	assert_true(xvif_hdr_csum_ok(t, sizeof(pkt_ipv4_tcp), &ht));
	free(u);
	free(t);
}

/* ---- lying and unusual headers, as mutations of the good packets ---- */

static const struct mut_row {
	const char *name;
	const uint8_t *pkt;
	size_t len;
	struct { int off; uint8_t val; } set[3];   /* off < 0: unused */
	int rc;
	uint8_t ip_version, l4_proto;
	uint16_t l4_off;
	bool fragment;
	uint16_t ethertype;
} mut_rows[] = {
	{ "ipv4_ihl_4", P(ipv4_tcp), { { 14, 0x44 }, { -1 }, { -1 } }, 0, 0, 0, 0, 0, 0x0800 },
	{ "ipv4_ihl_15_beyond_total", P(ipv4_tcp), { { 14, 0x4f }, { 16, 0 }, { 17, 50 } }, 0, 0, 0, 0, 0, 0x0800 },
	{ "ipv4_total_beyond_frame", P(ipv4_tcp), { { 17, 51 }, { -1 }, { -1 } }, 0, 0, 0, 0, 0, 0x0800 },
	{ "ipv4_total_below_ihl", P(ipv4_tcp), { { 16, 0 }, { 17, 19 }, { -1 } }, 0, 0, 0, 0, 0, 0x0800 },
	{ "ipv4_total_only_header", P(ipv4_tcp), { { 16, 0 }, { 17, 20 }, { -1 } }, 0, 4, 6, 0, 0, 0x0800 },
	{ "ipv4_total_short_of_tcp_header", P(ipv4_tcp), { { 17, 39 }, { -1 }, { -1 } }, 0, 4, 6, 0, 0, 0x0800 },
	{ "ipv4_version_6_in_ipv4_frame", P(ipv4_tcp), { { 14, 0x65 }, { -1 }, { -1 } }, 0, 0, 0, 0, 0, 0x0800 },
	{ "ipv4_more_fragments", P(ipv4_tcp), { { 20, 0x20 }, { -1 }, { -1 } }, 0, 4, 6, 0, true, 0x0800 },
	{ "ipv4_fragment_offset_1", P(ipv4_tcp), { { 20, 0x00 }, { 21, 0x01 }, { -1 } }, 0, 4, 6, 0, true, 0x0800 },
	{ "ipv4_fragment_offset_high_bits", P(ipv4_tcp), { { 20, 0x1f }, { 21, 0x00 }, { -1 } }, 0, 4, 6, 0, true,
	  0x0800 },
	{ "ipv4_dont_fragment_only", P(ipv4_tcp), { { 20, 0x40 }, { 21, 0x00 }, { -1 } }, 0, 4, 6, 34, false, 0x0800 },
	{ "ipv4_reserved_flag_only", P(ipv4_tcp), { { 20, 0x80 }, { 21, 0x00 }, { -1 } }, 0, 4, 6, 34, false, 0x0800 },
	{ "tcp_doff_4", P(ipv4_tcp), { { 46, 0x40 }, { -1 }, { -1 } }, 0, 4, 6, 0, 0, 0x0800 },
	{ "tcp_doff_beyond_ip_end", P(ipv4_tcp), { { 46, 0x80 }, { -1 }, { -1 } }, 0, 4, 6, 0, 0, 0x0800 },
	{ "tcp_doff_15", P(ipv4_tcp), { { 46, 0xf0 }, { -1 }, { -1 } }, 0, 4, 6, 0, 0, 0x0800 },
	{ "ipv4_icmp", P(ipv4_tcp), { { 23, 1 }, { -1 }, { -1 } }, 0, 4, 1, 0, 0, 0x0800 },
	{ "ipv4_proto_udp_short_segment_ok", P(ipv4_tcp), { { 23, 17 }, { -1 }, { -1 } }, 0, 4, 17, 34, 0, 0x0800 },
	{ "arp", P(ipv4_tcp), { { 12, 0x08 }, { 13, 0x06 }, { -1 } }, 0, 0, 0, 0, 0, 0x0806 },
	{ "ipv6_ethertype_on_ipv4_packet", P(ipv4_tcp), { { 12, 0x86 }, { 13, 0xdd }, { -1 } }, 0, 0, 0, 0, 0, 0x86dd },
	{ "vlan_tag_then_arp", P(vlan_ipv4_tcp_opts), { { 16, 0x08 }, { 17, 0x06 }, { -1 } }, 0, 0, 0, 0, 0, 0x0806 },
	{ "vlan_in_vlan_not_followed", P(vlan_ipv4_tcp_opts), { { 16, 0x81 }, { 17, 0x00 }, { -1 } }, 0, 0, 0, 0, 0,
	  0x8100 },
	{ "ipv6_payload_0_jumbogram", P(ipv6_tcp), { { 18, 0 }, { 19, 0 }, { -1 } }, 0, 0, 0, 0, 0, 0x86dd },
	{ "ipv6_payload_beyond_frame", P(ipv6_tcp), { { 19, 30 }, { -1 }, { -1 } }, 0, 0, 0, 0, 0, 0x86dd },
	{ "ipv6_version_4", P(ipv6_tcp), { { 14, 0x40 }, { -1 }, { -1 } }, 0, 0, 0, 0, 0, 0x86dd },
	{ "ipv6_no_next_header", P(ipv6_tcp), { { 20, 59 }, { -1 }, { -1 } }, 0, 6, 59, 0, 0, 0x86dd },
	{ "ipv6_hopopts_len_beyond_end", P(ipv6_hbh_dst_udp), { { 55, 200 }, { -1 }, { -1 } }, 0, 6, 0, 0, 0, 0x86dd },
	{ "ipv6_dstopts_len_beyond_end", P(ipv6_hbh_dst_udp), { { 63, 2 }, { -1 }, { -1 } }, 0, 6, 0, 0, 0, 0x86dd },
	{ "ipv6_dstopts_leaves_no_room_for_udp", P(ipv6_hbh_dst_udp), { { 63, 1 }, { -1 }, { -1 } }, 0, 6, 17, 0, 0,
	  0x86dd },
	{ "ipv6_ah_len_beyond_end", P(ipv6_ah_tcp), { { 55, 10 }, { -1 }, { -1 } }, 0, 6, 0, 0, 0, 0x86dd },
	{ "ipv6_ah_ends_at_ip_end", P(ipv6_ah_tcp), { { 55, 9 }, { -1 }, { -1 } }, 0, 6, 6, 0, 0, 0x86dd },
	{ "ipv6_hopopts_lies_next_udp", P(ipv6_hbh_dst_udp), { { 54, 17 }, { -1 }, { -1 } }, 0, 6, 17, 62, 0, 0x86dd },
	{ "ipv6_fragment_header", P(ipv6_hbh_dst_udp), { { 62, 44 }, { -1 }, { -1 } }, 0, 6, 3, 0, true, 0x86dd },
};

static void test_mut_row(void **state)
{
	const struct mut_row *r = XT_ROW(struct mut_row, state);
	uint8_t *p = dup_pkt(r->pkt, r->len);
	struct xvif_hdr h;
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (r->set[i].off >= 0)
			p[r->set[i].off] = r->set[i].val;
	assert_int_equal(xvif_hdr_parse(p, (uint32_t)r->len, &h), r->rc);
	assert_int_equal(h.ethertype, r->ethertype);
	assert_int_equal(h.ip_version, r->ip_version);
	assert_int_equal(h.l4_proto, r->l4_proto);
	assert_int_equal(h.l4_off, r->l4_off);
	assert_int_equal(h.fragment, r->fragment);
	if (!h.l4_off) {
		/* No L4 header: nothing to checksum, and nothing written. */
		assert_int_equal(xvif_hdr_csum_offset(&h), -1);
		assert_int_equal(xvif_hdr_csum_fill(p, (uint32_t)r->len, &h), -1);
		assert_false(xvif_hdr_csum_ok(p, (uint32_t)r->len, &h));
	}
	free(p);
}

/* IPv6 with @n destination-options headers before UDP. */
static size_t ipv6_ext_chain(uint8_t *f, unsigned int n)
{
	unsigned int i;
	size_t pos = 54;

	memset(f, 0, 256);
	memcpy(f + 12, "\x86\xdd", 2);
	f[14] = 0x60;
	f[20] = n ? 60 : 17;
	for (i = 0; i < n; i++, pos += 8)
		f[pos] = i + 1 < n ? 60 : 17;
	f[pos + 5] = 8; /* UDP length */
	pos += 8;
	f[18] = (uint8_t)((pos - 54) >> 8);
	f[19] = (uint8_t)(pos - 54);
	return pos;
}

static void test_ipv6_extension_header_limit(void **state)
{
	uint8_t f[256];
	struct xvif_hdr h;
	unsigned int n;
	size_t len;

	(void)state;
	for (n = 0; n <= 9; n++) {
		len = ipv6_ext_chain(f, n);
		assert_int_equal(xvif_hdr_parse(f, (uint32_t)len, &h), 0);
		assert_int_equal(h.ip_version, 6);
		if (n < 8) {
			assert_int_equal(h.l4_proto, 17);
			assert_int_equal(h.l4_off, 54 + 8 * n);
			assert_int_equal(h.l4_total, 8);
		} else {
			assert_int_equal(h.l4_off, 0); /* too many to follow */
		}
	}
}

static void test_parse_short_frames(void **state)
{
	static const uint8_t f[14] = { 0, 0x16, 0x3e, 1, 2, 3, 0, 0x16, 0x3e, 4, 5, 6, 0x08, 0x00 };
	struct xvif_hdr h;

	(void)state;
	assert_int_equal(xvif_hdr_parse(f, 0, &h), -1);
	assert_int_equal(xvif_hdr_parse(f, 13, &h), -1);
	assert_int_equal(xvif_hdr_parse(f, 14, &h), 0);
	assert_int_equal(h.ethertype, 0x0800);
	assert_int_equal(h.ip_version, 0);
	assert_int_equal(xvif_hdr_csum_offset(&h), -1);
}

int main(void)
{
	struct xt_list l = { 0 };

	XT_ROWS(&l, "xvif_hdr_parse_good", test_parse_good_row, good_rows);
	XT_ROWS(&l, "xvif_hdr_parse_truncated", test_parse_truncated_row, good_rows);
	XT_ROWS(&l, "xvif_hdr_csum_ok", test_csum_ok_row, good_rows);
	XT_ROWS(&l, "xvif_hdr_csum_fill", test_csum_fill_row, good_rows);
	XT_ROWS(&l, "xvif_hdr_csum_fill_short_buffer", test_csum_fill_short_buffer_row, good_rows);
	XT_TEST(&l, test_csum_fill_zero_result);
	XT_ROWS(&l, "xvif_hdr_parse_mutated", test_mut_row, mut_rows);
	XT_TEST(&l, test_ipv6_extension_header_limit);
	XT_TEST(&l, test_parse_short_frames);
	return xt_run(&l, "hdr");
}
