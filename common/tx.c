// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest TX chain validation. Reads only the caller's private copy of the
 * slots (see tx.h). The rules follow netif.h and what Linux netback accepts,
 * so a stock netfront is never refused:
 *  - slot 0's size is the packet's total length; each later data slot's size
 *    is its own share, and slot 0 carries what is left;
 *  - extra-info slots follow slot 0 when it has XEN_NETTXF_extra_info, each
 *    with XEN_NETIF_EXTRA_FLAG_MORE if another follows;
 *  - XEN_NETTXF_more_data on a data slot means another data slot follows.
 */
#include "tx.h"

static const char *const tx_reason_names[XVIF_TXR_NR] = {
	[XVIF_TXR_NONE] = "none",
	[XVIF_TXR_TOO_SHORT] = "too_short",
	[XVIF_TXR_TOO_MANY_SLOTS] = "too_many_slots",
	[XVIF_TXR_SIZE_MISMATCH] = "size_mismatch",
	[XVIF_TXR_BAD_GSO] = "bad_gso",
	[XVIF_TXR_MCAST_UNNEGOTIATED] = "mcast_unnegotiated",
	[XVIF_TXR_REPEATED_EXTRA] = "repeated_extra",
	[XVIF_TXR_BAD_HASH_EXTRA] = "bad_hash_extra",
	[XVIF_TXR_TRUNCATED] = "truncated",
	[XVIF_TXR_CHAIN_TOO_LONG] = "chain_too_long",
	[XVIF_TXR_CROSS_PAGE] = "cross_page",
	[XVIF_TXR_BAD_EXTRA_TYPE] = "bad_extra_type",
	[XVIF_TXR_TOO_MANY_EXTRAS] = "too_many_extras",
};

const char *xvif_tx_reason_name(enum xvif_tx_reason r)
{
	return (unsigned int)r < XVIF_TXR_NR ? tx_reason_names[r] : "invalid";
}

static enum xvif_tx_verdict fatal(enum xvif_tx_reason *reason, enum xvif_tx_reason why)
{
	*reason = why;
	return XVIF_TX_FATAL;
}

/* Parse the extra-info slots after slot 0. Returns the next slot index, or
 * 0 after setting *fatal_why. *drop_why is set (once) for droppable faults. */
static unsigned int parse_extras(const xvif_tx_req_t *slots, unsigned int avail, unsigned int window,
				 struct xvif_tx_pkt *pkt, enum xvif_tx_reason *drop_why,
				 enum xvif_tx_reason *fatal_why)
{
	bool seen[XVIF_EXTRA_TYPE_END] = { false };
	unsigned int i = 1, n = 0;
	xvif_extra_t ex;

	for (;;) {
		if (i >= avail) {
			*fatal_why = XVIF_TXR_TRUNCATED;
			return 0;
		}
		if (++n > XVIF_TX_EXTRAS_MAX || i >= window) {
			*fatal_why = XVIF_TXR_TOO_MANY_EXTRAS;
			return 0;
		}
		/* An extra occupies a request slot; lay it over our copy. */
		memcpy(&ex, &slots[i], sizeof(ex));
		pkt->rsp_id[i] = 0;
		pkt->rsp_null[i] = true;
		i++;
		if (ex.type == XEN_NETIF_EXTRA_TYPE_NONE || ex.type >= XVIF_EXTRA_TYPE_END) {
			*fatal_why = XVIF_TXR_BAD_EXTRA_TYPE;
			return 0;
		}
		if (seen[ex.type] && *drop_why == XVIF_TXR_NONE)
			*drop_why = XVIF_TXR_REPEATED_EXTRA;
		seen[ex.type] = true;
		switch (ex.type) {
		case XEN_NETIF_EXTRA_TYPE_GSO:
			pkt->gso_type = ex.u.gso.type;
			pkt->gso_size = ex.u.gso.size;
			break;
		case XEN_NETIF_EXTRA_TYPE_MCAST_ADD:
		case XEN_NETIF_EXTRA_TYPE_MCAST_DEL:
			pkt->mcast_add = ex.type == XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
			pkt->mcast_del = !pkt->mcast_add;
			memcpy(pkt->mcast_addr, ex.u.mcast.addr, 6);
			break;
		case XEN_NETIF_EXTRA_TYPE_HASH:
			pkt->have_hash = true;
			pkt->hash_type = ex.u.hash.type;
			memcpy(&pkt->hash_value, ex.u.hash.value, 4);
			break;
		}
		if (!(ex.flags & XEN_NETIF_EXTRA_FLAG_MORE))
			return i;
	}
}

static bool gso_ok(const struct xvif_tx_pkt *pkt, const struct xvif_tx_features *feat)
{
	if (pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 && !feat->gso_tcpv4)
		return false;
	if (pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV6 && !feat->gso_tcpv6)
		return false;
	if (pkt->gso_type != XEN_NETIF_GSO_TYPE_TCPV4 && pkt->gso_type != XEN_NETIF_GSO_TYPE_TCPV6)
		return false;
	return pkt->gso_size >= XVIF_GSO_SIZE_MIN;
}

enum xvif_tx_verdict xvif_tx_parse(const xvif_tx_req_t *slots, unsigned int avail,
				   const struct xvif_tx_features *feat,
				   struct xvif_tx_pkt *pkt, enum xvif_tx_reason *reason)
{
	enum xvif_tx_reason drop_why = XVIF_TXR_NONE, fatal_why = XVIF_TXR_NONE;
	unsigned int window = avail < XVIF_TX_PARSE_WINDOW ? avail : XVIF_TX_PARSE_WINDOW;
	unsigned int i, nsegs;
	uint32_t rest = 0, first_len;
	xvif_tx_req_t s;
	bool more;

	*reason = XVIF_TXR_NONE;
	pkt->nr_slots = pkt->nr_segs = 0;
	pkt->gso_type = XEN_NETIF_GSO_TYPE_NONE;
	pkt->gso_size = 0;
	pkt->mcast_add = pkt->mcast_del = pkt->have_hash = false;
	if (avail == 0)
		return fatal(reason, XVIF_TXR_TRUNCATED);

	s = slots[0];
	pkt->total_len = s.size;
	pkt->flags = s.flags & (XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated);
	pkt->rsp_id[0] = s.id;
	pkt->rsp_null[0] = false;
	pkt->seg[0].gref = s.gref;
	pkt->seg[0].offset = s.offset;
	more = s.flags & XEN_NETTXF_more_data;

	i = 1;
	if (s.flags & XEN_NETTXF_extra_info) {
		i = parse_extras(slots, avail, window, pkt, &drop_why, &fatal_why);
		if (!i)
			return fatal(reason, fatal_why);
	}

	for (nsegs = 1; more; nsegs++) {
		if (i >= avail)
			return fatal(reason, XVIF_TXR_TRUNCATED);
		if (nsegs >= XVIF_TX_SLOTS_FATAL || i >= window)
			return fatal(reason, XVIF_TXR_CHAIN_TOO_LONG);
		s = slots[i];
		if ((uint32_t)s.offset + s.size > XVIF_PAGE_SIZE)
			return fatal(reason, XVIF_TXR_CROSS_PAGE);
		pkt->seg[nsegs].gref = s.gref;
		pkt->seg[nsegs].offset = s.offset;
		pkt->seg[nsegs].len = s.size;
		pkt->rsp_id[i] = s.id;
		pkt->rsp_null[i] = false;
		rest += s.size;
		more = s.flags & XEN_NETTXF_more_data;
		i++;
	}
	pkt->nr_slots = i;
	pkt->nr_segs = nsegs;

	if (rest > pkt->total_len) {
		/* The extent is known, but slot 0's share is negative. */
		*reason = XVIF_TXR_SIZE_MISMATCH;
		return XVIF_TX_DROP;
	}
	first_len = pkt->total_len - rest;
	if ((uint32_t)pkt->seg[0].offset + first_len > XVIF_PAGE_SIZE)
		return fatal(reason, XVIF_TXR_CROSS_PAGE);
	pkt->seg[0].len = (uint16_t)first_len;

	if (drop_why != XVIF_TXR_NONE) {
		*reason = drop_why;
		return XVIF_TX_DROP;
	}
	if (pkt->mcast_add || pkt->mcast_del) {
		/* A control message: its data does not matter (see tx.h). */
		if (!feat->multicast_control) {
			*reason = XVIF_TXR_MCAST_UNNEGOTIATED;
			return XVIF_TX_DROP;
		}
		return XVIF_TX_OK;
	}
	if (nsegs > XVIF_TX_SLOTS_DROP) {
		*reason = XVIF_TXR_TOO_MANY_SLOTS;
		return XVIF_TX_DROP;
	}
	if (pkt->total_len < XVIF_ETH_HLEN) {
		*reason = XVIF_TXR_TOO_SHORT;
		return XVIF_TX_DROP;
	}
	if (pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE && !gso_ok(pkt, feat)) {
		*reason = XVIF_TXR_BAD_GSO;
		return XVIF_TX_DROP;
	}
	if (pkt->have_hash && pkt->hash_type > _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP) {
		*reason = XVIF_TXR_BAD_HASH_EXTRA;
		return XVIF_TX_DROP;
	}
	return XVIF_TX_OK;
}

unsigned int xvif_tx_responses(const struct xvif_tx_pkt *pkt, int16_t status, xvif_tx_rsp_t *rsp)
{
	unsigned int i;

	for (i = 0; i < pkt->nr_slots; i++) {
		rsp[i].id = pkt->rsp_id[i];
		rsp[i].status = pkt->rsp_null[i] ? XEN_NETIF_RSP_NULL : status;
	}
	return pkt->nr_slots;
}
