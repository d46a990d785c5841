// SPDX-License-Identifier: GPL-2.0-only
/* Guest RX: slot planning and responses (backend), chain validation
 * (frontend). Layout rules are in rx.h. */
#include "rx.h"

static const char *const rx_reason_names[XVIF_RXR_NR] = {
	[XVIF_RXR_NONE] = "none",
	[XVIF_RXR_TOO_SHORT] = "too_short",
	[XVIF_RXR_TOO_BIG] = "too_big",
	[XVIF_RXR_GSO_UNNEGOTIATED] = "gso_unnegotiated",
	[XVIF_RXR_BAD_GSO] = "bad_gso",
};

const char *xvif_rx_reason_name(enum xvif_rx_reason r)
{
	return (unsigned int)r < XVIF_RXR_NR ? rx_reason_names[r] : "invalid";
}

static int refuse(enum xvif_rx_reason *reason, enum xvif_rx_reason why)
{
	*reason = why;
	return -1;
}

int xvif_rx_plan(const struct xvif_rx_params *p, const struct xvif_rx_features *f,
		 struct xvif_rx_plan *plan, enum xvif_rx_reason *reason)
{
	uint32_t cap, off, left;
	unsigned int n;

	*reason = XVIF_RXR_NONE;
	if (p->len < XVIF_ETH_HLEN)
		return refuse(reason, XVIF_RXR_TOO_SHORT);
	if ((uint32_t)f->xdp_headroom + XVIF_ETH_HLEN > XVIF_PAGE_SIZE)
		return refuse(reason, XVIF_RXR_TOO_BIG);
	cap = XVIF_PAGE_SIZE - f->xdp_headroom;
	if (p->len > XVIF_MAX_FRAME || p->len > cap * XVIF_RX_SLOTS_MAX || (!f->sg && p->len > cap))
		return refuse(reason, XVIF_RXR_TOO_BIG);

	plan->gso_extra = p->gso_type != XEN_NETIF_GSO_TYPE_NONE;
	if (plan->gso_extra) {
		if ((p->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 && !f->gso_tcpv4) ||
		    (p->gso_type == XEN_NETIF_GSO_TYPE_TCPV6 && !f->gso_tcpv6) ||
		    (p->gso_type != XEN_NETIF_GSO_TYPE_TCPV4 && p->gso_type != XEN_NETIF_GSO_TYPE_TCPV6))
			return refuse(reason, XVIF_RXR_GSO_UNNEGOTIATED);
		if (p->gso_size < XVIF_GSO_SIZE_MIN)
			return refuse(reason, XVIF_RXR_BAD_GSO);
	}
	plan->hash_extra = f->hash_extra && p->have_hash;

	for (n = 0, off = 0, left = p->len; left; n++) {
		uint32_t len = left < cap ? left : cap;

		plan->seg[n].pkt_off = off;
		plan->seg[n].offset = f->xdp_headroom;
		plan->seg[n].len = (uint16_t)len;
		off += len;
		left -= len;
	}
	plan->nr_data = n;
	plan->nr_slots = n + plan->gso_extra + plan->hash_extra;
	return 0;
}

void xvif_rx_responses(const struct xvif_rx_plan *plan, const struct xvif_rx_params *p,
		       const uint16_t *req_id, int16_t status_override, xvif_rx_rsp_t *rsp)
{
	unsigned int slot = 0, d, extras = plan->gso_extra + plan->hash_extra;
	xvif_extra_t ex;

	for (d = 0; d < plan->nr_data; d++) {
		uint16_t flags = d + 1 < plan->nr_data ? XEN_NETRXF_more_data : 0;

		if (d == 0) {
			if (p->csum_blank)
				flags |= XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated;
			else if (p->data_validated)
				flags |= XEN_NETRXF_data_validated;
			if (extras)
				flags |= XEN_NETRXF_extra_info;
		}
		rsp[slot].id = req_id[slot];
		rsp[slot].offset = 0;
		rsp[slot].flags = flags;
		rsp[slot].status = status_override < 0 ? status_override
						       : (int16_t)(plan->seg[d].offset + plan->seg[d].len);
		slot++;
		if (d != 0 || !extras)
			continue;
		/* Extras go right after the first data slot: GSO, then hash. */
		if (plan->gso_extra) {
			memset(&ex, 0, sizeof(ex));
			ex.type = XEN_NETIF_EXTRA_TYPE_GSO;
			ex.flags = plan->hash_extra ? XEN_NETIF_EXTRA_FLAG_MORE : 0;
			ex.u.gso.type = p->gso_type;
			ex.u.gso.size = p->gso_size;
			memcpy(&rsp[slot++], &ex, sizeof(ex));
		}
		if (plan->hash_extra) {
			memset(&ex, 0, sizeof(ex));
			ex.type = XEN_NETIF_EXTRA_TYPE_HASH;
			ex.u.hash.type = p->hash_type;
			ex.u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
			memcpy(ex.u.hash.value, &p->hash, 4);
			memcpy(&rsp[slot++], &ex, sizeof(ex));
		}
	}
}

/* ---- frontend side ---- */

#define RXR_WINDOW (XVIF_RX_SLOTS_MAX + 2u)

enum xvif_rxr_verdict xvif_rxr_parse(const xvif_rx_rsp_t *rsp, unsigned int avail,
				     unsigned int ring_size, struct xvif_rxr_pkt *pkt)
{
	unsigned int window = avail < RXR_WINDOW ? avail : RXR_WINDOW;
	unsigned int i = 0, n = 0;
	bool drop = false, more;
	xvif_rx_rsp_t r;
	xvif_extra_t ex;

	pkt->nr_slots = pkt->nr_data = 0;
	pkt->total_len = 0;
	pkt->gso_type = XEN_NETIF_GSO_TYPE_NONE;
	pkt->gso_size = 0;
	pkt->have_hash = pkt->error = false;
	if (avail == 0)
		return XVIF_RXR_FATAL;

	r = rsp[0];
	pkt->flags = r.flags;
	for (;;) {
		if (r.id >= ring_size)
			return XVIF_RXR_FATAL;
		if (r.status < 0) {
			pkt->error = true;
			drop = true;
		} else if ((uint32_t)r.offset + (uint32_t)r.status > XVIF_PAGE_SIZE) {
			drop = true;
		}
		pkt->seg[n].id = r.id;
		pkt->seg[n].offset = r.offset;
		pkt->seg[n].len = r.status < 0 ? 0 : (uint16_t)r.status;
		pkt->total_len += pkt->seg[n].len;
		n++;
		i++;
		more = r.flags & XEN_NETRXF_more_data;

		if (n == 1 && (r.flags & XEN_NETRXF_extra_info)) {
			do {
				if (i >= window)
					return XVIF_RXR_FATAL;
				memcpy(&ex, &rsp[i], sizeof(ex));
				i++;
				if (ex.type == XEN_NETIF_EXTRA_TYPE_GSO) {
					pkt->gso_type = ex.u.gso.type;
					pkt->gso_size = ex.u.gso.size;
					if ((pkt->gso_type != XEN_NETIF_GSO_TYPE_TCPV4 &&
					     pkt->gso_type != XEN_NETIF_GSO_TYPE_TCPV6) || pkt->gso_size == 0)
						drop = true;
				} else if (ex.type == XEN_NETIF_EXTRA_TYPE_HASH) {
					pkt->have_hash = true;
					pkt->hash_type = ex.u.hash.type;
					memcpy(&pkt->hash, ex.u.hash.value, 4);
				} else {
					return XVIF_RXR_FATAL;
				}
			} while (ex.flags & XEN_NETIF_EXTRA_FLAG_MORE);
		}
		if (!more)
			break;
		if (i >= window || n >= XVIF_RX_SLOTS_MAX)
			return XVIF_RXR_FATAL;
		r = rsp[i];
	}
	pkt->nr_slots = i;
	pkt->nr_data = n;
	return drop ? XVIF_RXR_DROP : XVIF_RXR_OK;
}
