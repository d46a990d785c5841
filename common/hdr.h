/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Header parsing of an Ethernet frame held in a linear buffer: where the
 * L3/L4 headers are, for checksum offload (csum_start / csum_offset), GSO
 * and hashing. The buffer is our private copy; lengths are checked on every
 * step, so a truncated or lying header gives "no L4", never a read past @len.
 */
#ifndef XVIF_HDR_H
#define XVIF_HDR_H

#include "xvif_shim.h"

#define XVIF_ETH_P_IP 0x0800u
#define XVIF_ETH_P_IPV6 0x86DDu
#define XVIF_ETH_P_8021Q 0x8100u
#define XVIF_IPPROTO_TCP 6u
#define XVIF_IPPROTO_UDP 17u

struct xvif_hdr {
	uint16_t ethertype;     /* after any 802.1Q tag */
	uint16_t l3_off;        /* 0 if not IPv4/IPv6 */
	uint8_t ip_version;     /* 4, 6 or 0 */
	uint8_t l4_proto;       /* XVIF_IPPROTO_TCP / _UDP / other, 0 if unknown */
	uint16_t l4_off;        /* 0 if no L4 header (fragment, truncated, unknown) */
	uint16_t l4_len;        /* bytes of L4 header present (TCP: doff*4, UDP: 8) */
	bool fragment;          /* IPv4 MF/offset or IPv6 fragment header */
	uint16_t l4_total;      /* bytes from l4_off to the end of the IP packet
				 * (from the IP header, checked against @len) */
};

/* Parse what can be parsed; returns 0 if the frame has at least an Ethernet
 * header, -1 otherwise. Unknown upper layers are not errors. */
int xvif_hdr_parse(const uint8_t *pkt, uint32_t len, struct xvif_hdr *hdr);

/* For a TCP/UDP packet, the checksum field's offset from l4_off
 * (TCP 16, UDP 6); -1 if none. */
int xvif_hdr_csum_offset(const struct xvif_hdr *hdr);

/*
 * Fill in the L4 checksum in place (pseudo-header included), as a backend
 * must before handing a csum_blank packet to a frontend that cannot take
 * partial checksums, or to a TAP without offload. Returns 0, or -1 if the
 * packet has no TCP/UDP header to checksum.
 */
int xvif_hdr_csum_fill(uint8_t *pkt, uint32_t len, const struct xvif_hdr *hdr);

/* Verify the L4 checksum (tests, and data_validated decisions). */
bool xvif_hdr_csum_ok(const uint8_t *pkt, uint32_t len, const struct xvif_hdr *hdr);

#endif
