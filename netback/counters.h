/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-queue data-path counters. Each queue's worker is the only writer of
 * its counters; readers (xvif_dp_stats) load them with relaxed atomics, so a
 * status read may see a packet counted but not yet its bytes, never a torn
 * 64-bit value.
 */
#ifndef XVIF_NB_COUNTERS_H
#define XVIF_NB_COUNTERS_H

#include <stdint.h>

#include "tx.h"
#include "rx.h"

/* Counters that are not a drop reason of common/tx.h or common/rx.h. */
enum xvif_dp_counter {
	XVIF_DPC_TX_PACKETS = 0,  /* guest -> TAP packets written */
	XVIF_DPC_TX_BYTES,
	XVIF_DPC_RX_PACKETS,      /* TAP -> guest packets delivered */
	XVIF_DPC_RX_BYTES,
	XVIF_DPC_TX_GNT_ERR,      /* TX packet dropped: a grant copy segment failed */
	XVIF_DPC_TX_CSUM_ERR,     /* TX csum_blank/GSO packet with no TCP/UDP header */
	XVIF_DPC_TX_TAP_ERR,      /* write to the TAP failed */
	XVIF_DPC_TX_MCAST_CTRL,   /* multicast add/del requests applied */
	XVIF_DPC_TX_MCAST_FULL,   /* multicast add refused: list full */
	XVIF_DPC_TX_CREDIT_WAIT,  /* times TX paused for the `rate` credit */
	XVIF_DPC_RX_GNT_ERR,      /* RX packet whose grant copy failed (error response) */
	XVIF_DPC_RX_QUEUE_FULL,   /* RX packet dropped: queue full (bytes or entries) */
	XVIF_DPC_RX_STALL_DROP,   /* RX packet dropped by the stall timer */
	XVIF_DPC_RX_MCAST_FILTERED, /* RX multicast not in the guest's list */
	XVIF_DPC_RX_STEERED,      /* RX packet handed to another queue by the hash mapping */
	XVIF_DPC_RX_TAP_ERR,      /* read from the TAP failed (not EAGAIN) */
	XVIF_DPC_RX_BAD_VNET,     /* TAP packet with a virtio_net_hdr we cannot honour */
	XVIF_DPC_CTRL_REQUESTS,   /* control-ring requests answered */
	XVIF_DPC_WAKEUPS,         /* worker loop iterations */
	XVIF_DPC_BUDGET_EXHAUSTED,/* iterations that stopped on the work budget */
	XVIF_DPC_GNT_COPY_CALLS,  /* grant-copy batches issued */
	XVIF_DPC_GNT_COPY_SEGS,   /* grant-copy segments issued */
	XVIF_DPC_NOTIFY,          /* event-channel notifications sent */
	XVIF_DPC_RING_ERR,        /* ring index violations (the queue is then broken) */
	XVIF_DPC_CTRL_ERR,        /* control requests answered with an error status */
	XVIF_DPC_EVENTS,          /* event-channel notifications received */
	XVIF_DPC_TX_ADOPT_DROP,   /* TX packet dropped at adoption: a slot held an unpublished response */
	XVIF_DPC_NR
};

/* Stable lower-case name for status output ("tx_packets"). */
const char *xvif_dp_counter_name(enum xvif_dp_counter c);

struct xvif_dp_counters {
	uint64_t c[XVIF_DPC_NR];
	uint64_t tx_drop[XVIF_TXR_NR]; /* by common/tx.h reason (DROP and FATAL) */
	uint64_t rx_drop[XVIF_RXR_NR]; /* by common/rx.h reason */
};

/* Writer side: only the owning worker calls these. */
static inline void xvif_cnt_add(struct xvif_dp_counters *k, enum xvif_dp_counter c, uint64_t n)
{
	__atomic_store_n(&k->c[c], __atomic_load_n(&k->c[c], __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

static inline void xvif_cnt_inc_u64(uint64_t *p)
{
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* Reader side: a consistent-enough snapshot for status. */
void xvif_dp_counters_snapshot(const struct xvif_dp_counters *src, struct xvif_dp_counters *dst);

#endif
