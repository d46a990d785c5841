/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The contract between xvif-netback's control plane (xenstore, state
 * machine, TAP, admin: netback/cp_*.c, main.c) and its data path (rings,
 * grant copy, event channels, workers: netback/dp_*.c).
 *
 * The control plane validates the frontend's keys with common/xs_schema,
 * creates the TAP queues, and calls xvif_dp_vif_start() with the result.
 * From there the data path owns the rings, grant mappings, event channels
 * and one worker thread per queue until xvif_dp_vif_stop() returns.
 *
 * Thread rules: start/stop/set_rate/stats are called from the control
 * plane's thread only. The on_broken callback runs on a worker thread: it
 * must only record the fact and wake the control plane (e.g. write an
 * eventfd); it must not call back into the data path.
 */
#ifndef XVIF_NB_DP_H
#define XVIF_NB_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xs_schema.h"
#include "counters.h"

struct xvif_dp_vif;

/* Called on a worker thread when a queue is marked broken (a protocol
 * violation by the frontend, or a grant that cannot be mapped). */
typedef void (*xvif_dp_broken_fn)(void *arg, unsigned int queue, const char *why);

struct xvif_dp_vif_cfg {
	uint16_t domid;                      /* the frontend's domain */
	uint32_t devid;
	const char *name;                    /* "xvif3.0": prefix of every log line */
	struct xvif_fe_config fe;            /* validated by xvif_fe_config_parse() */
	unsigned int mtu;                    /* from the toolstack's `mtu` key */
	bool have_rate;                      /* `rate` key: credit scheduler on TX */
	uint64_t rate_bytes, rate_usec;
	uint8_t guest_mac[6];                /* the toolstack's `mac` (for logs/filters) */
	/* One TAP fd per queue (fe.num_queues of them), IFF_TAP | IFF_NO_PI |
	 * IFF_VNET_HDR | IFF_MULTI_QUEUE, O_NONBLOCK, TUNSETVNETHDRSZ set to
	 * sizeof(struct virtio_net_hdr). Still owned (and closed) by the
	 * control plane. A test may pass one end of a SOCK_SEQPACKET
	 * socketpair instead: one message = virtio_net_hdr + frame. */
	int tap_fd[XVIF_MAX_QUEUES];
	xvif_dp_broken_fn on_broken;
	void *on_broken_arg;
	/* Adopt a ring an earlier run of the daemon served (restart, upgrade,
	 * crash): the frontend stays Connected. Indices are recovered from the
	 * shared ring (see dp_ring.c: responses are only pushed at packet
	 * boundaries, so req_cons = rsp_prod_pvt = sring->rsp_prod), a
	 * producer more than a ring ahead marks the queue broken instead of
	 * failing the start, and both rings are notified once workers run. */
	bool adopt;
};

/*
 * Map the rings (and the control ring if negotiated), bind the event
 * channels, start one worker per queue. On failure, undo everything, write
 * a one-line reason naming the queue and key into @err ("queue-1: cannot
 * map tx-ring-ref 8: Invalid argument") and return a negative errno.
 */
int xvif_dp_vif_start(const struct xvif_dp_vif_cfg *cfg, struct xvif_dp_vif **out,
		      char *err, size_t errlen);

/* Stop the workers, unbind, unmap, free. Safe on a vif whose queues are
 * broken and on a frontend that has vanished. Never blocks on the guest. */
void xvif_dp_vif_stop(struct xvif_dp_vif *vif);

/* The `rate` key changed: apply it live (have=false: unlimited). */
void xvif_dp_vif_set_rate(struct xvif_dp_vif *vif, bool have, uint64_t bytes, uint64_t usec);

/* The frontend reconfigured (Linux netfront attaching XDP writes
 * xdp-headroom, then Reconfiguring): RX data starts at @headroom bytes into
 * every slot from the next packet on. @headroom <= XVIF_XDP_HEADROOM_MAX. */
void xvif_dp_vif_set_xdp_headroom(struct xvif_dp_vif *vif, uint16_t headroom);

unsigned int xvif_dp_vif_num_queues(const struct xvif_dp_vif *vif);

/* True once any queue of the vif is broken. */
bool xvif_dp_vif_broken(const struct xvif_dp_vif *vif);

/* Per-queue status for `xvif-netback status`. */
struct xvif_dp_queue_status {
	bool broken;
	char broken_why[96];
	uint32_t local_port_tx, local_port_rx;  /* equal unless split */
	uint32_t tx_ring_free, rx_ring_free;    /* slots, as last seen by the worker */
	uint64_t rx_queued_bytes;               /* TAP packets waiting for guest buffers */
	struct xvif_dp_counters counters;
};
int xvif_dp_vif_queue_status(const struct xvif_dp_vif *vif, unsigned int queue,
			     struct xvif_dp_queue_status *st);

#endif
