// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: guest TX slot chains. Input: 1 byte of negotiated features,
 * then raw 12-byte ring slots exactly as a frontend would write them. */
#include "tx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xvif_tx_req_t slots[XVIF_TX_PARSE_WINDOW];
	xvif_tx_rsp_t rsp[XVIF_TX_SLOTS_FATAL + XVIF_TX_EXTRAS_MAX];
	struct xvif_tx_features feat;
	struct xvif_tx_pkt pkt;
	enum xvif_tx_reason why;
	unsigned int avail, i;
	uint32_t sum = 0;

	if (size < 1)
		return 0;
	feat.sg = data[0] & 1;
	feat.gso_tcpv4 = data[0] & 2;
	feat.gso_tcpv6 = data[0] & 4;
	feat.multicast_control = data[0] & 8;
	avail = (unsigned int)((size - 1) / sizeof(slots[0]));
	if (avail > XVIF_TX_PARSE_WINDOW)
		avail = XVIF_TX_PARSE_WINDOW;
	memcpy(slots, data + 1, avail * sizeof(slots[0]));
	/* The frontend may claim more slots than we copied. */
	if (data[0] & 0x80)
		avail += data[0] & 0x70;
	switch (xvif_tx_parse(slots, avail, &feat, &pkt, &why)) {
	case XVIF_TX_OK:
		for (i = 0; i < pkt.nr_segs; i++) {
			if ((uint32_t)pkt.seg[i].offset + pkt.seg[i].len > XVIF_PAGE_SIZE)
				__builtin_trap(); /* contract: every segment inside its page */
			sum += pkt.seg[i].len;
		}
		if (pkt.nr_segs && sum != pkt.total_len)
			__builtin_trap(); /* contract: segments add up to the packet */
		/* fall through */
	case XVIF_TX_DROP:
		if (pkt.nr_slots > XVIF_ARRAY_SIZE(rsp) || pkt.nr_slots > avail)
			__builtin_trap();
		xvif_tx_responses(&pkt, XEN_NETIF_RSP_OKAY, rsp);
		break;
	case XVIF_TX_FATAL:
		if (why < XVIF_TXR_TRUNCATED)
			__builtin_trap(); /* fatal only for protocol violations */
		break;
	}
	return 0;
}
