// SPDX-License-Identifier: GPL-2.0-only
/* Pure protocol checks of xvif-netfront; contracts in nf_proto.h. */
#include "nf_proto.h"

/* Without feature-sg a frame must fit one slot: the classic Ethernet MTU. */
#define NF_MTU_NO_SG 1500u

bool nf_rsp_prod_ok(uint32_t prod, uint32_t rsp_cons, uint32_t req_prod_pvt)
{
	return (uint32_t)(prod - rsp_cons) <= (uint32_t)(req_prod_pvt - rsp_cons);
}

enum nf_tx_rsp_verdict nf_tx_rsp_check(const xvif_tx_rsp_t *rsp, unsigned int ring_size,
				       const uint8_t *state)
{
	if (rsp->status == XEN_NETIF_RSP_NULL)
		return NF_TX_RSP_SKIP;
	if (rsp->id >= ring_size)
		return NF_TX_RSP_BAD_ID;
	if (state[rsp->id] != NF_TX_ID_INFLIGHT)
		return NF_TX_RSP_NOT_INFLIGHT;
	return NF_TX_RSP_OK;
}

unsigned int nf_rx_seg_slot(const struct xvif_rxr_pkt *pkt, unsigned int k)
{
	return k == 0 ? 0 : pkt->nr_slots - pkt->nr_data + k;
}

bool nf_rx_ids_ok(const struct xvif_rxr_pkt *pkt, uint32_t cons, unsigned int ring_size)
{
	unsigned int k;

	for (k = 0; k < pkt->nr_data; k++) {
		uint32_t idx = cons + nf_rx_seg_slot(pkt, k);

		if (pkt->seg[k].id != (idx & (ring_size - 1)))
			return false;
	}
	return true;
}

static unsigned int min_u(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

unsigned int nf_pick_queues(unsigned int cpus, unsigned int be_max, unsigned int param_max,
			    unsigned int dev_max)
{
	unsigned int n = min_u(min_u(cpus, be_max), dev_max);

	if (param_max)
		n = min_u(n, param_max);
	n = min_u(n, XVIF_MAX_QUEUES);
	return n ? n : 1;
}

unsigned int nf_pick_mtu(uint64_t mtu, bool sg)
{
	if (mtu == 0)
		return XVIF_MTU_DEFAULT;
	if (mtu < XVIF_MTU_MIN || mtu > XVIF_MTU_MAX)
		return 0;
	if (!sg && mtu > NF_MTU_NO_SG)
		return 0;
	return (unsigned int)mtu;
}

bool nf_reoffer_after_close(unsigned int backend_state, unsigned int was, unsigned int online)
{
	return backend_state == XenbusStateClosed && was == XenbusStateConnected && online == 1;
}
