/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the data-path engine, shared by its files. Every cross-file
 * function is listed here, grouped by the file that owns it.
 *
 *   dp_vif.c   vif/queue lifetime: start, stop, status, rate, counters
 *   dp_loop.c  one worker per queue: poll, events, bounded work per wake-up
 *   dp_ring.c  ring mapping, producer-index checks, the broken flag
 *   dp_tx.c    guest TX: ring -> grant copy -> virtio_net_hdr -> TAP
 *   dp_rx.c    guest RX: TAP -> queue (steering) -> grant copy -> ring
 *   dp_ctrl.c  control ring (hash), multicast list, shared vif settings
 *   dp_xen.c   the real hypervisor ops (dp_ops.h)
 */
#ifndef XVIF_NB_DP_INT_H
#define XVIF_NB_DP_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "xvif_shim.h"
#include "tx.h"
#include "rx.h"
#include "ctrl.h"
#include "credit.h"
#include "dp.h"
#include "dp_ops.h"
#include "log.h"

/* ring.h's barriers: with the default interface version it maps xen_mb()
 * and friends to mb()/rmb()/wmb(), which user space has to supply. Full
 * fences are what the ring protocol needs on every architecture. */
#ifndef mb
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef rmb
#define rmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef wmb
#define wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef xen_mb
#define xen_mb() mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()
#endif

/* ---- Limits, each with its reason. ---- */

/* Packets one wake-up may take from the TX ring, read from the TAP, or
 * deliver to the RX ring: NAPI's weight, so a flood yields to the poll and
 * the other directions. */
#define XVIF_DP_TX_BUDGET 64u
#define XVIF_DP_RX_BUDGET 64u
/* Control requests per wake-up: a hostile frontend cannot pin queue 0. */
#define XVIF_DP_CTRL_BUDGET 32u
/* Event-channel reads per wake-up: ports coalesce, so a handful suffice;
 * more would let a flood of notifications starve the work itself. */
#define XVIF_DP_EVT_BUDGET 16u
/* Grant-copy segments per call: a whole ring's worth of slots. */
#define XVIF_DP_GCOPY_MAX 256u
/* TX bytes staged for one copy call: 16 maximal frames. */
#define XVIF_DP_TX_STAGE_BYTES (16u * 65536u)
/* Bytes of TAP packets waiting for guest RX buffers, per queue: half a ring
 * of full pages, as Linux netback's XENVIF_RX_QUEUE_BYTES. Past it we stop
 * reading the TAP (the kernel's queue then drops). */
#define XVIF_DP_RX_QUEUE_BYTES (128u * XVIF_PAGE_SIZE)
/* A TAP packet that waited this long for guest RX buffers is dropped: Linux
 * netback's rx_drain_timeout (10 s). A guest that stops posting buffers
 * therefore holds at most XVIF_DP_RX_QUEUE_BYTES for at most this long. */
#define XVIF_DP_RX_STALL_USEC (10u * 1000u * 1000u)
/* Largest message we read from the TAP: a 64 KiB GSO frame, its Ethernet
 * and VLAN headers, and the virtio_net_hdr. */
#define XVIF_DP_TAP_MSG_MAX (65536u + 64u)
/* Packets waiting for guest RX buffers, per queue (FIFO and inbox each):
 * with pooled buffers a queued packet holds a whole buffer, so the byte
 * bound alone would let small packets pin 2 KiB each; four rings' worth. */
#define XVIF_DP_RX_QUEUE_PKTS 1024u
/* RX packet buffers (dp_rx.c), read from the TAP directly, no copy:
 *   small  one 2 KiB allocation (header + data): every MTU-1500 frame;
 *   big    a whole TAP message: frames of XVIF_DP_RX_BIG_MIN bytes or more
 *          (GSO), which keep the buffer they were read into;
 *   exact  the frames in between, copied out to their own size so a
 *          jumbo frame does not pin 64 KiB.
 * Freed buffers go back to the freeing queue's pool, up to these counts. */
#define XVIF_DP_RX_SMALL_ALLOC 2048u
#define XVIF_DP_RX_BIG_MIN 16384u
#define XVIF_DP_RX_POOL_SMALL 256u
#define XVIF_DP_RX_POOL_BIG 8u

/* ---- Shared per-vif settings that workers snapshot. ---- */

/* Hash configuration (written by queue 0's control ring) and multicast list
 * (written by any queue's TX), read by every queue's RX. Writers take
 * @lock and bump @gen; readers compare @gen and copy under @lock only when
 * it moved, so the packet path takes no lock. */
struct xvif_dp_shared {
	pthread_mutex_t lock;   /* serialises writers, and readers' copies */
	uint32_t gen;           /* atomic: bumped after every change */
	struct xvif_hash hash;
	unsigned int mcast_n;
	uint8_t mcast[XVIF_MCAST_MAX][6];
	bool mcast_flood;       /* the list overflowed: stop filtering */
};

struct xvif_dp_snapshot {
	uint32_t gen;
	struct xvif_hash hash;
	bool hashing;           /* Toeplitz selected and some type enabled */
	unsigned int mcast_n;
	uint8_t mcast[XVIF_MCAST_MAX][6];
	bool mcast_flood;
};

/* ---- RX packets waiting for guest buffers. ---- */

struct xvif_rx_pkt {
	struct xvif_rx_pkt *next;
	uint64_t t_enq;         /* when it was read from the TAP */
	uint8_t kind;           /* XVIF_RX_BUF_*: which pool it returns to */
	struct xvif_rx_params p;
	uint8_t data[];         /* p.len bytes of frame */
};

struct xvif_rx_fifo {
	struct xvif_rx_pkt *head, *tail;
	uint64_t bytes;
	unsigned int n;
};

enum { XVIF_RX_BUF_EXACT = 0, XVIF_RX_BUF_SMALL, XVIF_RX_BUF_BIG };

/* Free RX buffers of one queue (worker-private: only its worker allocates
 * from it or frees into it). */
struct xvif_rx_pool {
	struct xvif_rx_pkt *small, *big;    /* singly linked through next */
	unsigned int n_small, n_big;
};

/* ---- One queue. ---- */

struct xvif_dp_queue {
	struct xvif_dp_vif *vif;
	unsigned int id;
	char name[40];          /* "xvif3.0-q1": prefix of its log lines */

	void *evt;              /* event-channel handle (one per queue) */
	int evt_fd;
	uint32_t port_tx, port_rx, port_ctrl; /* local ports; ctrl: queue 0 only */
	bool bound_tx, bound_rx, bound_ctrl;
	int tap_fd;
	int wake_fd;            /* eventfd: stop, steered packets, rate change */

	xvif_tx_back_ring_t tx;
	xvif_rx_back_ring_t rx;
	void *tx_page, *rx_page;

	/* Broken: written once by the worker (why, then the flag with release
	 * order), read by anyone. Every entry point checks it. */
	bool broken;
	char broken_why[96];

	/* TX */
	struct xvif_credit credit;
	uint32_t rate_gen_seen;
	bool tx_credit_blocked;     /* waiting for the credit period to end */
	xvif_tx_req_t *tx_copy;     /* private copy of the unconsumed requests */
	/* Adopted ring (restart): requests before tx_adopt_end (req_prod at
	 * adoption) may be slots the old process overwrote with responses it
	 * never published (dp_ring.c, top); tx_batch drops packets with such a
	 * slot instead of sending what the leftover "gref" points at. */
	bool tx_adopt_guard;
	uint32_t tx_adopt_end;
	uint8_t *tx_stage;          /* grant-copy destination of staged packets */
	struct xvif_dp_tx_item *tx_items;

	/* RX */
	struct xvif_rx_fifo rxq;    /* worker-private */
	struct xvif_rx_fifo inbox;  /* packets steered here by other queues */
	pthread_mutex_t inbox_lock; /* guards inbox against the steering queues */
	struct xvif_dp_rx_item *rx_items;
	bool rx_need_event;         /* req_event set: the head packet waits for guest buffers */
	struct xvif_rx_pool rx_pool;
	struct xvif_rx_pkt *rx_spare_small, *rx_spare_big; /* the next TAP read's buffers */
	/* The first packet of rxq read this wake-up and not yet stamped with
	 * t_enq (0 until then): packets delivered in the wake-up that read
	 * them never need the clock (xvif_dp_rx_stamp). */
	struct xvif_rx_pkt *rx_unstamped;

	/* The wake-up's clock, read at most once and only when something
	 * needs it (xvif_dp_now): where the clocksource has no vDSO (a Xen
	 * PV dom0 whose TSC is unstable, as the lab's) each read is a
	 * syscall. */
	uint64_t now;
	bool now_valid;

	/* Responses pushed this wake-up whose ring asked for an event: sent
	 * once at the end of xvif_dp_queue_run (one per port). */
	bool notify_tx, notify_rx;

	/* A wake-up's last TX pass, staged but not yet copied: its segments
	 * (q->segs[0..tx_pend_segs)) ride in the same grant-copy call as the
	 * first RX pass (one hypercall, not two), or are copied alone by
	 * xvif_dp_tx_complete() at the end of the wake-up. */
	unsigned int tx_pend_items, tx_pend_segs;

	xvif_gcopy_seg_t *segs;     /* XVIF_DP_GCOPY_MAX, for both directions */
	struct xvif_dp_snapshot snap;

	/* Status, as last seen by the worker (relaxed atomics). */
	uint32_t tx_ring_free, rx_ring_free;
	uint64_t rx_queued_bytes;
	struct xvif_dp_counters cnt;
	struct xvif_ratelimit rl;

	pthread_t thread;
	bool thread_started;
};

struct xvif_dp_vif {
	struct xvif_dp_vif_cfg cfg;
	char name[24];
	const struct xvif_dp_ops *ops;
	void *octx;
	void *gnt;

	xen_netif_ctrl_back_ring_t ctrl;
	void *ctrl_page;

	struct xvif_dp_shared sh;

	/* `rate`, set live by the control plane: the fields under sh.lock, then
	 * rate_gen bumped; each worker re-reads when it moves. */
	bool have_rate;
	uint64_t rate_bytes, rate_usec;
	uint32_t rate_gen;

	/* xdp-headroom: cfg.fe's value at start, then set live (atomic). */
	uint16_t xdp_headroom;

	bool stopping;          /* atomic: workers exit */
	unsigned int nq;
	struct xvif_dp_queue q[XVIF_MAX_QUEUES];
};

/* ---- dp_vif.c ---- */

/* Start with explicit ops. @threads false: no worker threads; the caller
 * drives each queue with xvif_dp_queue_run() (tests, fuzzer). */
int xvif_dp_vif_start_ops(const struct xvif_dp_vif_cfg *cfg, const struct xvif_dp_ops *ops, void *octx,
			  bool threads, struct xvif_dp_vif **out, char *err, size_t errlen);
/* Wake a queue's worker (steered packets, rate change, stop). */
void xvif_dp_queue_wake(struct xvif_dp_queue *q);

/* The wake-up's time: the clock is read on the first call of a wake-up
 * only (queue_run clears now_valid). Never 0 (t_enq uses 0 for "not yet"). */
static inline uint64_t xvif_dp_now(struct xvif_dp_queue *q)
{
	if (!q->now_valid) {
		uint64_t t = q->vif->ops->now_us(q->vif->octx);

		q->now = t ? t : 1;
		q->now_valid = true;
	}
	return q->now;
}

/* ---- dp_loop.c ---- */

/* One wake-up's worth of work on queue @qi: events, control ring (queue 0),
 * TX, stall drops, TAP reads, RX delivery. Bounded by the budgets. Returns
 * true if a budget ran out (more work is waiting: poll without sleeping). */
bool xvif_dp_queue_run(struct xvif_dp_vif *vif, unsigned int qi);
/* Milliseconds the worker may sleep before a timer (credit, RX stall) is
 * due; -1 for none. */
int xvif_dp_queue_timeout_ms(struct xvif_dp_queue *q);
void *xvif_dp_worker(void *arg);

/* ---- dp_ring.c ---- */

/* Map a ring page and check its producer index against its consumer. */
int xvif_dp_ring_map(struct xvif_dp_queue *q, char *err, size_t errlen);
void xvif_dp_ring_unmap(struct xvif_dp_queue *q);
int xvif_dp_ctrl_map(struct xvif_dp_vif *vif, char *err, size_t errlen);
void xvif_dp_ctrl_unmap(struct xvif_dp_vif *vif);
/* Read a ring's req_prod once and check it: at most one ring ahead of the
 * responses, never behind our consumer. Returns the number of unconsumed
 * requests, or -1 after marking @q broken. */
int xvif_dp_tx_avail(struct xvif_dp_queue *q);
int xvif_dp_rx_avail(struct xvif_dp_queue *q);
/* Mark the queue broken (protocol violation): logs, counts, calls on_broken. */
void xvif_dp_break(struct xvif_dp_queue *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline bool xvif_dp_is_broken(const struct xvif_dp_queue *q)
{
	return __atomic_load_n(&q->broken, __ATOMIC_ACQUIRE);
}
/* Grant-copy @n segments, counting the call. Returns 0 or -1 (whole call failed:
 * every segment's status is then set to GNTST_general_error). */
int xvif_dp_gcopy(struct xvif_dp_queue *q, xvif_gcopy_seg_t *segs, unsigned int n);
void xvif_dp_notify(struct xvif_dp_queue *q, uint32_t port);

/* ---- dp_tx.c ---- */

/* Process up to XVIF_DP_TX_BUDGET packets. Returns true if more remain. */
bool xvif_dp_tx_run(struct xvif_dp_queue *q);
int xvif_dp_tx_alloc(struct xvif_dp_queue *q);
/* Finish the pending TX pass, if any: grant-copy its segments unless
 * @copied (a combined call already did), write to the TAP, respond, push. */
void xvif_dp_tx_complete(struct xvif_dp_queue *q, bool copied);
void xvif_dp_tx_free(struct xvif_dp_queue *q);

/* ---- dp_rx.c ---- */

/* Read up to XVIF_DP_RX_BUDGET packets from the TAP (while the queue has
 * room). Returns true if the TAP may have more. */
bool xvif_dp_rx_read_tap(struct xvif_dp_queue *q);
/* Deliver queued packets into posted guest buffers, up to the budget. */
bool xvif_dp_rx_deliver(struct xvif_dp_queue *q);
/* Drop packets that waited longer than XVIF_DP_RX_STALL_USEC (reads the
 * clock only if a packet waits). */
void xvif_dp_rx_expire(struct xvif_dp_queue *q);
/* Stamp the packets this wake-up read and left waiting with the time (the
 * end of every wake-up; the clock is read only if there are any). */
void xvif_dp_rx_stamp(struct xvif_dp_queue *q);
bool xvif_dp_rx_has_room(const struct xvif_dp_queue *q);
/* Microseconds until the oldest queued packet expires; UINT64_MAX if none. */
uint64_t xvif_dp_rx_next_expiry(const struct xvif_dp_queue *q, uint64_t now);
int xvif_dp_rx_alloc(struct xvif_dp_queue *q);
void xvif_dp_rx_free(struct xvif_dp_queue *q);

/* ---- dp_ctrl.c ---- */

void xvif_dp_shared_init(struct xvif_dp_shared *sh);
void xvif_dp_shared_destroy(struct xvif_dp_shared *sh);
/* Refresh @q->snap if the shared settings changed. */
void xvif_dp_snapshot_refresh(struct xvif_dp_queue *q);
/* Answer up to XVIF_DP_CTRL_BUDGET control requests (queue 0 only). */
bool xvif_dp_ctrl_run(struct xvif_dp_queue *q);
/* Multicast add/delete from a TX extra. Returns 0, or -1 if refused. */
int xvif_dp_mcast_update(struct xvif_dp_queue *q, bool add, const uint8_t addr[6]);
bool xvif_dp_mcast_allowed(const struct xvif_dp_snapshot *s, const uint8_t dst[6]);

#endif
