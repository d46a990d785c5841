/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The frontend's side, played by a test: real shared ring pages (Xen's
 * io/ring.h FRONT_RING macros) in the fake grant table, buffers granted
 * from it, a SOCK_SEQPACKET socketpair per queue in place of the TAP, and
 * the engine started in-process without threads (the test runs each
 * queue's wake-up with ff_run()).
 */
#ifndef XVIF_FAKE_FRONT_H
#define XVIF_FAKE_FRONT_H

#include <linux/virtio_net.h>
#include <stdbool.h>
#include <stdint.h>

#include "dp_int.h"
#include "fake_xen.h"

#define FF_DOMID 7u
#define FF_MAX_Q XVIF_MAX_QUEUES /* test_iso starts a worker with the most queues a vif may have */
/* grefs: rings from 1, control ring FF_CTRL_GREF, buffers from FF_BUF_GREF. */
#define FF_CTRL_GREF 60u
#define FF_BUF_GREF 64u
/* Watchdog per test (see ff_prepare). */
#define FF_HANG_SECONDS 120u

struct ff_opts {
	unsigned int nq;
	bool split, sg, gso4, gso6, ipv6_csum, no_csum, mcast, ctrl;
	uint16_t xdp;
	bool threads;
	bool have_rate;
	uint64_t rate_bytes, rate_usec;
};

struct ff_queue {
	xvif_tx_front_ring_t tx;
	xvif_rx_front_ring_t rx;
	uint32_t tx_ref, rx_ref, evt_tx, evt_rx;
	uint32_t rx_gref[256];      /* by RX request id */
	uint16_t tx_id;
	int sock[2];                /* [0]: the engine's "TAP", [1]: the test's end */
};

struct ff {
	struct fake_xen fx;
	struct ff_opts o;
	struct xvif_dp_vif_cfg cfg;
	struct xvif_dp_vif *vif;
	struct ff_queue q[FF_MAX_Q];
	xen_netif_ctrl_front_ring_t ctrl;
	uint32_t next_gref;
	char err[160];
	int start_ret;
	unsigned int broken_calls;
	char broken_why[128];
};

/* Arm alarm(FF_HANG_SECONDS) in ff_prepare (the fuzzer, which owns
 * SIGALRM, turns it off). */
extern bool ff_watchdog;

struct ff_opts ff_default_opts(void);
/* Set up rings, grants, sockets; start the engine. Returns its result. */
int ff_start(struct ff *ff, const struct ff_opts *o);
/* Prepare everything but do not start (to corrupt rings before start). */
void ff_prepare(struct ff *ff, const struct ff_opts *o);
int ff_start_prepared(struct ff *ff);
/* Stop the engine, close sockets, check nothing leaked (maps, binds, handles). */
void ff_stop(struct ff *ff);
/* Run queue @qi's wake-ups until it reports no more work (at most @max). Returns the count. */
unsigned int ff_run(struct ff *ff, unsigned int qi, unsigned int max);
struct xvif_dp_queue_status ff_status(struct ff *ff, unsigned int qi);
uint64_t ff_cnt(struct ff *ff, unsigned int qi, enum xvif_dp_counter c);

/* A fresh valid grant page (zeroed). */
uint32_t ff_gref(struct ff *ff);

/* ---- TX (frontend -> backend) ---- */
struct ff_tx {
	uint16_t flags;             /* XEN_NETTXF_csum_blank / data_validated */
	uint8_t gso_type;
	uint16_t gso_size;
	unsigned int nslots;        /* data slots; 0 means 1 */
	const uint16_t *slot_len;   /* sizes of data slots 1.. (NULL: equal split) */
	uint16_t first_off;         /* offset of slot 0's data in its page */
};
/* Queue one packet's slots (not pushed). Returns the slots used. */
unsigned int ff_tx_queue(struct ff *ff, unsigned int qi, const uint8_t *frame, uint32_t len, const struct ff_tx *t);
/* A raw request slot at req_prod_pvt (hostile tests fill it in). */
xvif_tx_req_t *ff_tx_slot(struct ff *ff, unsigned int qi);
/* Publish queued requests; raise the event if the ring asks for it. */
void ff_tx_push(struct ff *ff, unsigned int qi);
/* Consume TX responses; returns how many. */
unsigned int ff_tx_rsp(struct ff *ff, unsigned int qi, xvif_tx_rsp_t *out, unsigned int max);
/* Read one message from the TAP side: returns frame length or -1. */
int ff_tap_read(struct ff *ff, unsigned int qi, struct virtio_net_hdr *vh, uint8_t *frame, unsigned int max);

/* ---- RX (backend -> frontend) ---- */
/* Post @n RX buffers and push (raise the event if asked). */
void ff_rx_post(struct ff *ff, unsigned int qi, unsigned int n);
/* Inject one TAP message (virtio_net_hdr + frame) into queue @qi's socket.
 * Returns 0, or -1 when the socket is full. */
int ff_tap_write(struct ff *ff, unsigned int qi, const struct virtio_net_hdr *vh, const uint8_t *frame,
		  uint32_t len);
/* Take one response chain: validates with xvif_rxr_parse, reassembles the
 * data (skipping the xdp headroom). Returns the data length, or -1 if no
 * whole chain is there, -2 if the chain is invalid. */
int ff_rx_recv(struct ff *ff, unsigned int qi, uint8_t *buf, unsigned int max, struct xvif_rxr_pkt *pkt);

/* ---- control ring ---- */
/* Send one control request; returns its response after running queue 0. */
xvif_ctrl_rsp_t ff_ctrl(struct ff *ff, uint16_t type, uint32_t d0, uint32_t d1, uint32_t d2);

/* ---- frames ---- */
/* An Ethernet + IPv4/IPv6 + TCP/UDP frame of @len bytes (payload pattern
 * from @seed), with valid IP header and L4 checksum. */
uint32_t ff_frame(uint8_t *buf, uint32_t len, int ipver, int l4proto, uint32_t seed);
/* Same, with addresses/ports chosen by @flow (for hashing). */
uint32_t ff_frame_flow(uint8_t *buf, uint32_t len, int ipver, int l4proto, uint32_t seed, uint32_t flow);

#endif
