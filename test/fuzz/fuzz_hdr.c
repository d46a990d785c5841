// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: Ethernet frames from either side. Parses headers, hashes with a
 * fixed Toeplitz configuration, fills and verifies L4 checksums. */
#include "ctrl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[XVIF_MAX_FRAME];
	struct xvif_hdr hdr;
	struct xvif_hash h;
	uint32_t hash;
	uint8_t type;
	uint32_t len = size > sizeof(buf) ? sizeof(buf) : (uint32_t)size;

	memcpy(buf, data, len);
	if (xvif_hdr_parse(buf, len, &hdr))
		return 0;
	if (hdr.l4_off && (uint32_t)hdr.l4_off + hdr.l4_len > len)
		__builtin_trap();
	xvif_hash_init(&h);
	h.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
	h.flags = XEN_NETIF_CTRL_HASH_TYPE_IPV4 | XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |
		  XEN_NETIF_CTRL_HASH_TYPE_IPV6 | XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
	h.key_len = XVIF_HASH_KEY_MAX;
	memset(h.key, 0x5a, sizeof(h.key));
	xvif_hash_packet(&h, buf, len, &hdr, &hash, &type);
	if (xvif_hdr_csum_fill(buf, len, &hdr) == 0 && !xvif_hdr_csum_ok(buf, len, &hdr))
		__builtin_trap(); /* a filled checksum must verify */
	return 0;
}
