/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest RX (backend -> frontend).
 *
 * Backend side: plan how one packet maps onto the guest's posted RX buffers,
 * then build the responses. Layout in the response ring, for one packet:
 *
 *   [first data slot][GSO extra][hash extra][data slot 2]...[data slot N]
 *
 * As Linux netback does: every data slot's data starts at the frontend's
 * xdp-headroom and runs to at most the page end; the response says offset 0
 * and status = headroom + bytes (so a frontend without XDP, headroom 0, sees
 * offset 0 and status = bytes). Every slot (extras too) consumes one RX
 * request. XEN_NETRXF_more_data is set on every data slot but the last,
 * XEN_NETRXF_extra_info on the first when extras follow; checksum flags on
 * the first: csum_blank|data_validated for a partial checksum,
 * data_validated for a verified one.
 *
 * Frontend side: xvif_rxr_parse() validates one whole response chain that
 * the frontend copied out of the ring (RING_COPY_RESPONSE).
 */
#ifndef XVIF_RX_H
#define XVIF_RX_H

#include "xvif_limits.h"

/* What the frontend negotiated that bears on RX. */
struct xvif_rx_features {
	bool sg;
	bool gso_tcpv4, gso_tcpv6;
	uint16_t xdp_headroom;
	bool hash_extra;       /* hashing configured on the control ring: send hash extras */
};

/* The packet to deliver. */
struct xvif_rx_params {
	uint32_t len;
	uint8_t gso_type;      /* XEN_NETIF_GSO_TYPE_* */
	uint16_t gso_size;
	bool csum_blank;       /* checksum not yet filled (CHECKSUM_PARTIAL) */
	bool data_validated;   /* checksum known good */
	bool have_hash;
	uint8_t hash_type;     /* _XEN_NETIF_CTRL_HASH_TYPE_* */
	uint32_t hash;
};

enum xvif_rx_reason {
	XVIF_RXR_NONE = 0,
	XVIF_RXR_TOO_SHORT,    /* shorter than an Ethernet header */
	XVIF_RXR_TOO_BIG,      /* does not fit: one slot without feature-sg, or > XVIF_MAX_FRAME */
	XVIF_RXR_GSO_UNNEGOTIATED, /* GSO type the frontend did not ask for */
	XVIF_RXR_BAD_GSO,      /* gso_size 0 or absurd */
	XVIF_RXR_NR
};
const char *xvif_rx_reason_name(enum xvif_rx_reason r);

struct xvif_rx_seg {
	uint32_t pkt_off;      /* offset in the packet */
	uint16_t offset;       /* offset in the guest page (the xdp-headroom) */
	uint16_t len;
};

struct xvif_rx_plan {
	unsigned int nr_data;  /* data slots */
	unsigned int nr_slots; /* data + extras: RX requests this packet consumes */
	bool gso_extra, hash_extra;
	struct xvif_rx_seg seg[XVIF_RX_SLOTS_MAX];
};

/* Plan one packet. Returns 0, or -1 with @reason set (drop the packet). */
int xvif_rx_plan(const struct xvif_rx_params *p, const struct xvif_rx_features *f,
		 struct xvif_rx_plan *plan, enum xvif_rx_reason *reason);

/*
 * Build plan->nr_slots responses into @rsp, in ring order. @req_id[i] is the
 * id of the i-th RX request consumed for this packet (the caller copied the
 * requests out of the ring). Extra slots hold an xen_netif_extra_info laid
 * over the response. @status_override < 0: write that status on every data
 * slot instead of its length (grant copy failed: XEN_NETIF_RSP_ERROR).
 */
void xvif_rx_responses(const struct xvif_rx_plan *plan, const struct xvif_rx_params *p,
		       const uint16_t *req_id, int16_t status_override, xvif_rx_rsp_t *rsp);

/* ---- Frontend side ---- */

enum xvif_rxr_verdict { XVIF_RXR_OK = 0, XVIF_RXR_DROP, XVIF_RXR_FATAL };

struct xvif_rxr_pkt {
	unsigned int nr_slots;           /* responses consumed, extras included */
	unsigned int nr_data;
	struct { uint16_t id, offset, len; } seg[XVIF_RX_SLOTS_MAX];
	uint32_t total_len;
	uint16_t flags;                  /* first response's XEN_NETRXF_* */
	uint8_t gso_type;
	uint16_t gso_size;
	bool have_hash;
	uint8_t hash_type;
	uint32_t hash;
	bool error;                      /* some slot had a negative status */
};

/*
 * Validate one response chain from @rsp[0]; @avail responses are produced
 * (rsp_prod - rsp_cons), the first min(@avail, XVIF_RX_SLOTS_MAX + 2) copied.
 * Every id must be below @ring_size. DROP: the chain's extent is known
 * (@pkt->nr_slots) but its contents are bad (offset+len past the page,
 * negative status, unknown GSO type). FATAL: the chain runs past @avail or
 * past XVIF_RX_SLOTS_MAX, an id is out of range, or an extra is malformed.
 */
enum xvif_rxr_verdict xvif_rxr_parse(const xvif_rx_rsp_t *rsp, unsigned int avail,
				     unsigned int ring_size, struct xvif_rxr_pkt *pkt);

#endif
