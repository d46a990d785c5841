// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: RX response chains as a hostile backend writes them, parsed by
 * the frontend side. Input: 1 byte ring-size selector, then 8-byte slots. */
#include "rx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xvif_rx_rsp_t rsp[XVIF_RX_SLOTS_MAX + 2];
	struct xvif_rxr_pkt pkt;
	unsigned int avail, ring_size, i;

	if (size < 1)
		return 0;
	ring_size = 1u << (data[0] & 7); /* 1..128 */
	avail = (unsigned int)((size - 1) / sizeof(rsp[0]));
	if (avail > XVIF_ARRAY_SIZE(rsp))
		avail = XVIF_ARRAY_SIZE(rsp);
	memcpy(rsp, data + 1, avail * sizeof(rsp[0]));
	if (xvif_rxr_parse(rsp, avail, ring_size, &pkt) == XVIF_RXR_FATAL)
		return 0;
	if (pkt.nr_slots > avail || pkt.nr_data > XVIF_RX_SLOTS_MAX || pkt.nr_data > pkt.nr_slots)
		__builtin_trap();
	for (i = 0; i < pkt.nr_data; i++)
		if (pkt.seg[i].id >= ring_size)
			__builtin_trap();
	return 0;
}
