/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest TX (frontend -> backend): validating one whole slot chain.
 *
 * The caller copies the slots out of the shared ring first (RING_COPY_REQUEST,
 * after checking req_prod with RING_REQUEST_PROD_OVERFLOW) into a private
 * array, and passes that array here. Nothing here reads shared memory, so a
 * frontend rewriting the ring cannot change what was checked.
 *
 * xvif_tx_parse() reads exactly one whole packet or reports why it cannot:
 *   XVIF_TX_OK    the packet is well-formed: @pkt describes it.
 *   XVIF_TX_DROP  the packet is malformed but its extent is known: respond
 *                 XEN_NETIF_RSP_ERROR to its @consumed slots, count, go on.
 *   XVIF_TX_FATAL the frontend broke the protocol: mark the queue broken.
 */
#ifndef XVIF_TX_H
#define XVIF_TX_H

#include "xvif_limits.h"

enum xvif_tx_verdict { XVIF_TX_OK = 0, XVIF_TX_DROP, XVIF_TX_FATAL };

/* Why a packet was dropped or the queue broken. Counters are indexed by it. */
enum xvif_tx_reason {
	XVIF_TXR_NONE = 0,
	/* drop */
	XVIF_TXR_TOO_SHORT,        /* total size < Ethernet header */
	XVIF_TXR_TOO_MANY_SLOTS,   /* more than XVIF_TX_SLOTS_DROP data slots */
	XVIF_TXR_SIZE_MISMATCH,    /* later slots carry more than the first slot's total */
	XVIF_TXR_BAD_GSO,          /* GSO type not negotiated / unknown, or size 0 or absurd */
	XVIF_TXR_MCAST_UNNEGOTIATED, /* multicast extra without request-multicast-control */
	XVIF_TXR_REPEATED_EXTRA,   /* the same extra-info type twice */
	XVIF_TXR_BAD_HASH_EXTRA,   /* hash extra with an unknown hash type */
	/* fatal */
	XVIF_TXR_TRUNCATED,        /* chain continues past the slots the frontend produced */
	XVIF_TXR_CHAIN_TOO_LONG,   /* more than XVIF_TX_SLOTS_FATAL slots */
	XVIF_TXR_CROSS_PAGE,       /* offset + size past the 4 KiB grant */
	XVIF_TXR_BAD_EXTRA_TYPE,   /* extra-info type 0 or unknown */
	XVIF_TXR_TOO_MANY_EXTRAS,  /* more extra-info segments than types exist */
	XVIF_TXR_NR
};
const char *xvif_tx_reason_name(enum xvif_tx_reason r);

/* What the frontend negotiated that bears on TX validation. */
struct xvif_tx_features {
	bool sg;            /* informational: like Linux netback, multi-slot TX is
			     * accepted whether or not feature-sg was negotiated */
	bool gso_tcpv4, gso_tcpv6;
	bool multicast_control;
};

struct xvif_tx_seg {
	uint32_t gref;
	uint16_t offset;
	uint16_t len;       /* bytes of packet data in this slot (first slot: its share) */
};

struct xvif_tx_pkt {
	uint32_t total_len;          /* bytes of the packet (the first slot's size) */
	uint16_t flags;              /* XEN_NETTXF_csum_blank / data_validated of the first slot */
	unsigned int nr_segs;        /* data slots, 1..XVIF_TX_SLOTS_DROP */
	struct xvif_tx_seg seg[XVIF_TX_SLOTS_FATAL];
	/* Responses: one per consumed slot, in ring order. ids are the data
	 * slots' ids; an extra-info slot gets XEN_NETIF_RSP_NULL. */
	unsigned int nr_slots;       /* data + extra slots consumed */
	uint16_t rsp_id[XVIF_TX_SLOTS_FATAL + XVIF_TX_EXTRAS_MAX];
	bool rsp_null[XVIF_TX_SLOTS_FATAL + XVIF_TX_EXTRAS_MAX];
	/* Extra info, if present. */
	uint8_t gso_type;            /* XEN_NETIF_GSO_TYPE_NONE if no GSO */
	uint16_t gso_size;
	/* A multicast extra makes the request a control message (as Linux
	 * netback treats it): its data is not delivered; the caller updates
	 * the filter and responds OKAY, or ERROR if that fails. */
	bool mcast_add, mcast_del;
	uint8_t mcast_addr[6];
	bool have_hash;
	uint8_t hash_type;           /* _XEN_NETIF_CTRL_HASH_TYPE_* */
	uint32_t hash_value;
};

/* Slots a caller should copy before calling xvif_tx_parse: one more than the
 * longest legal chain, so "too long" is distinguishable from "truncated". */
#define XVIF_TX_PARSE_WINDOW (XVIF_TX_SLOTS_FATAL + XVIF_TX_EXTRAS_MAX + 1u)

/*
 * Validate the chain starting at @slots[0]. @avail is how many slots the
 * frontend has produced from there (req_prod - req_cons), of which the first
 * min(@avail, XVIF_TX_PARSE_WINDOW) are in @slots.
 * Returns the verdict; @pkt->nr_slots (and the response ids) are valid for
 * OK and DROP. @reason is set for DROP and FATAL.
 */
enum xvif_tx_verdict xvif_tx_parse(const xvif_tx_req_t *slots, unsigned int avail,
				   const struct xvif_tx_features *feat,
				   struct xvif_tx_pkt *pkt, enum xvif_tx_reason *reason);

/* Fill @rsp[0..pkt->nr_slots) with the responses for a parsed packet:
 * data slots get @status (XEN_NETIF_RSP_OKAY / _ERROR / _DROPPED),
 * extra slots XEN_NETIF_RSP_NULL. Returns pkt->nr_slots. */
unsigned int xvif_tx_responses(const struct xvif_tx_pkt *pkt, int16_t status, xvif_tx_rsp_t *rsp);

#endif
