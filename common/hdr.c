// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ethernet / IPv4 / IPv6 / TCP / UDP header parsing and L4 checksums over a
 * private linear copy of a frame. Every read is checked against the frame's
 * length and against the lengths the headers themselves claim.
 */
#include "hdr.h"

/* IPv6 extension headers we step over, and how many at most. */
#define IPV6_HOPOPTS 0u
#define IPV6_ROUTING 43u
#define IPV6_FRAGMENT 44u
#define IPV6_AH 51u
#define IPV6_DSTOPTS 60u
#define IPV6_EXT_MAX 8u

#define IPV4_MF_OFFSET_MASK 0x3fffu

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int parse_l4(const uint8_t *pkt, uint32_t end, struct xvif_hdr *h, uint32_t off)
{
	uint32_t tcp_len;

	if (h->fragment)
		return 0;
	if (h->l4_proto == XVIF_IPPROTO_TCP) {
		if (off + 20 > end)
			return 0;
		tcp_len = (uint32_t)(pkt[off + 12] >> 4) * 4;
		if (tcp_len < 20 || off + tcp_len > end)
			return 0;
		h->l4_len = (uint16_t)tcp_len;
	} else if (h->l4_proto == XVIF_IPPROTO_UDP) {
		if (off + 8 > end)
			return 0;
		h->l4_len = 8;
	} else {
		return 0;
	}
	h->l4_off = (uint16_t)off;
	h->l4_total = (uint16_t)(end - off);
	return 0;
}

static void parse_ipv4(const uint8_t *pkt, uint32_t len, struct xvif_hdr *h, uint32_t off)
{
	uint32_t ihl, tot;

	if (off + 20 > len || (pkt[off] >> 4) != 4)
		return;
	ihl = (uint32_t)(pkt[off] & 15) * 4;
	tot = rd16(pkt + off + 2);
	if (ihl < 20 || tot < ihl || off + tot > len)
		return;
	h->ip_version = 4;
	h->l3_off = (uint16_t)off;
	h->l4_proto = pkt[off + 9];
	h->fragment = (rd16(pkt + off + 6) & IPV4_MF_OFFSET_MASK) != 0;
	parse_l4(pkt, off + tot, h, off + ihl);
}

static void parse_ipv6(const uint8_t *pkt, uint32_t len, struct xvif_hdr *h, uint32_t off)
{
	uint32_t end, next, pos, n, ext_len;

	if (off + 40 > len || (pkt[off] >> 4) != 6)
		return;
	/* Payload length 0 is a jumbogram (hop-by-hop option): not followed. */
	end = off + 40 + rd16(pkt + off + 4);
	if (end > len || end == off + 40)
		return;
	h->ip_version = 6;
	h->l3_off = (uint16_t)off;
	next = pkt[off + 6];
	pos = off + 40;
	for (n = 0; n < IPV6_EXT_MAX; n++) {
		if (next != IPV6_HOPOPTS && next != IPV6_ROUTING && next != IPV6_DSTOPTS &&
		    next != IPV6_AH && next != IPV6_FRAGMENT)
			break;
		if (pos + 8 > end)
			return;
		if (next == IPV6_FRAGMENT) {
			h->fragment = true;
			ext_len = 8;
		} else if (next == IPV6_AH) {
			ext_len = ((uint32_t)pkt[pos + 1] + 2) * 4;
		} else {
			ext_len = ((uint32_t)pkt[pos + 1] + 1) * 8;
		}
		next = pkt[pos];
		pos += ext_len;
		if (pos > end)
			return;
	}
	if (n == IPV6_EXT_MAX)
		return; /* too many extension headers to be worth following */
	h->l4_proto = (uint8_t)next;
	parse_l4(pkt, end, h, pos);
}

int xvif_hdr_parse(const uint8_t *pkt, uint32_t len, struct xvif_hdr *h)
{
	uint32_t off = 12;

	memset(h, 0, sizeof(*h));
	if (len < 14)
		return -1;
	h->ethertype = rd16(pkt + 12);
	if (h->ethertype == XVIF_ETH_P_8021Q) {
		if (len < 18)
			return 0;
		off += 4;
		h->ethertype = rd16(pkt + 16);
	}
	off += 2;
	if (h->ethertype == XVIF_ETH_P_IP)
		parse_ipv4(pkt, len, h, off);
	else if (h->ethertype == XVIF_ETH_P_IPV6)
		parse_ipv6(pkt, len, h, off);
	return 0;
}

int xvif_hdr_csum_offset(const struct xvif_hdr *h)
{
	if (!h->l4_off)
		return -1;
	if (h->l4_proto == XVIF_IPPROTO_TCP)
		return 16;
	if (h->l4_proto == XVIF_IPPROTO_UDP)
		return 6;
	return -1;
}

/* One's-complement sum of @len bytes, big-endian 16-bit words, added to @sum. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += rd16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Checksum of the L4 segment with its pseudo-header, the checksum field
 * taken as it is in the packet. */
static uint16_t l4_csum(const uint8_t *pkt, const struct xvif_hdr *h)
{
	uint32_t sum = 0;

	if (h->ip_version == 4)
		sum = csum_add(sum, pkt + h->l3_off + 12, 8);
	else
		sum = csum_add(sum, pkt + h->l3_off + 8, 32);
	sum += h->l4_proto;
	sum += h->l4_total;
	sum = csum_add(sum, pkt + h->l4_off, h->l4_total);
	return csum_fold(sum);
}

int xvif_hdr_csum_fill(uint8_t *pkt, uint32_t len, const struct xvif_hdr *h)
{
	int off = xvif_hdr_csum_offset(h);
	uint16_t c;
	uint8_t *field;

	if (off < 0 || (uint32_t)h->l4_off + h->l4_total > len)
		return -1;
	field = pkt + h->l4_off + off;
	field[0] = field[1] = 0;
	c = l4_csum(pkt, h);
	if (c == 0 && h->l4_proto == XVIF_IPPROTO_UDP)
		c = 0xffff; /* 0 means "no checksum" for UDP */
	field[0] = (uint8_t)(c >> 8);
	field[1] = (uint8_t)c;
	return 0;
}

bool xvif_hdr_csum_ok(const uint8_t *pkt, uint32_t len, const struct xvif_hdr *h)
{
	if (xvif_hdr_csum_offset(h) < 0 || (uint32_t)h->l4_off + h->l4_total > len)
		return false;
	return l4_csum(pkt, h) == 0;
}
