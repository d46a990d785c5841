/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pure protocol checks of xvif-netfront: no kernel API, so they are compiled
 * both into the module and into the user-space unit tests
 * (tests/test_nf_proto.c). Everything here decides on values the backend
 * wrote, after the caller copied them out of the shared ring.
 */
#ifndef XVIF_NF_PROTO_H
#define XVIF_NF_PROTO_H

#include "xvif_limits.h"
#include "rx.h"

/*
 * May the backend have produced @prod responses? It may never answer more
 * requests than we posted: (prod - rsp_cons) must not exceed
 * (req_prod_pvt - rsp_cons). This is stricter than ring.h's
 * RING_RESPONSE_PROD_OVERFLOW (which only bounds it by the ring size) and
 * also catches a producer index moving backwards (the difference wraps).
 */
bool nf_rsp_prod_ok(uint32_t prod, uint32_t rsp_cons, uint32_t req_prod_pvt);

/* State of one TX id, as netfront tracks it. */
enum nf_tx_id_state {
	NF_TX_ID_FREE = 0,      /* on the free list: no request uses it */
	NF_TX_ID_INFLIGHT,      /* published to the backend, no response yet */
	NF_TX_ID_LEAKED,        /* the backend kept the grant: never reused */
};

enum nf_tx_rsp_verdict {
	NF_TX_RSP_OK = 0,       /* a response for an in-flight id */
	NF_TX_RSP_SKIP,         /* XEN_NETIF_RSP_NULL: the slot of an extra */
	NF_TX_RSP_BAD_ID,       /* id >= ring size: protocol violation */
	NF_TX_RSP_NOT_INFLIGHT, /* duplicate or unknown id: protocol violation */
};

/*
 * Judge one copied TX response. @state has @ring_size entries, one per id.
 * Only NF_TX_RSP_OK lets the caller end the grant and free the buffer.
 */
enum nf_tx_rsp_verdict nf_tx_rsp_check(const xvif_tx_rsp_t *rsp, unsigned int ring_size,
				       const uint8_t *state);

/*
 * Position, in the response chain xvif_rxr_parse() accepted, of data
 * segment @k: the first data slot is at 0, the extras follow it, then the
 * other data slots (layout in common/rx.h).
 */
unsigned int nf_rx_seg_slot(const struct xvif_rxr_pkt *pkt, unsigned int k);

/*
 * Netfront posts RX request i (ring index) with id i & (ring_size - 1), and
 * a backend answers RX requests in order, so the response at ring index i
 * must carry that same id. True if every data slot of @pkt, whose first
 * response sits at ring index @cons, does. @ring_size is a power of two.
 */
bool nf_rx_ids_ok(const struct xvif_rxr_pkt *pkt, uint32_t cons, unsigned int ring_size);

/*
 * Number of queues to connect: min(vCPUs, the backend's
 * multi-queue-max-queues, the max_queues module parameter (0 means no cap),
 * the netdev's queue count), at least 1.
 */
unsigned int nf_pick_queues(unsigned int cpus, unsigned int be_max, unsigned int param_max,
			    unsigned int dev_max);

/*
 * MTU from the frontend's `mtu` key (the toolstack writes it), already
 * parsed as a number: 0 means "use the default". Returns the MTU to set, or
 * 0 if @mtu is out of range (XVIF_MTU_MIN..XVIF_MTU_MAX, and at most 1500
 * without feature-sg).
 */
unsigned int nf_pick_mtu(uint64_t mtu, bool sg);

/*
 * The backend closed and we disconnected and wrote Closed: offer a new
 * connection at once (Initialising)? Only if the backend jumped to Closed
 * (@backend_state) while we were Connected (@was) and the toolstack still
 * wants the device (@online, the backend's `online` key, is 1): the backend
 * went away (a restarted backend daemon closes what it cannot serve). An
 * orderly close (Closing first), a detach (online=0) or a close while we
 * were still connecting leaves us Closed.
 */
bool nf_reoffer_after_close(unsigned int backend_state, unsigned int was, unsigned int online);

#endif /* XVIF_NF_PROTO_H */
