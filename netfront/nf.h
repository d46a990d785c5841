/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xvif-netfront internals: the device and queue structures, and every
 * function one file offers another, grouped by the file that owns it.
 *
 *   main.c     module parameters, xenbus driver, probe/remove/resume
 *   xenbus.c   the handshake: backend state changes, connect, state writes
 *   queue.c    queue lifetime: rings, grants, event channels, buffers
 *   tx.c       transmit: ndo_start_xmit, TX responses
 *   rx.c       receive: NAPI poll, response validation, RX refill
 *   netdev.c   net_device ops, features, the "broken" state, IRQ handlers
 *   ethtool.c  ethtool -S/-i/-k
 */
#ifndef XVIF_NF_H
#define XVIF_NF_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/timer.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/interface/io/netif.h>

#include "nf_proto.h"
#include "xs_schema.h"

#define NF_DRV_NAME "xvif-netfront"
#define NF_DRV_VERSION "0.1"

#define NF_TX_RING_SIZE __CONST_RING_SIZE(xen_netif_tx, XEN_PAGE_SIZE)
#define NF_RX_RING_SIZE __CONST_RING_SIZE(xen_netif_rx, XEN_PAGE_SIZE)

/* Data slots one TX packet may take: netif.h promises every backend takes
 * XEN_NETIF_NR_SLOTS_MIN; a longer skb is linearized first. */
#define NF_TX_DATA_SLOTS_MAX XEN_NETIF_NR_SLOTS_MIN
/* Ring slots one TX packet may take: its data slots and one GSO extra. */
#define NF_TX_SLOTS_MAX (NF_TX_DATA_SLOTS_MAX + 1)

/* Bytes of a received frame copied into the skb's linear area; the rest
 * stays in the granted pages as fragments (enough for Ethernet+IP+TCP). */
#define NF_RX_PULL 256
/* RX requests below which the ring is too short for one largest packet
 * (its data slots and its extras): refill again soon. */
#define NF_RX_SLOTS_MIN (XVIF_RX_SLOTS_MAX + 2)
/* Responses copied out per packet: the longest chain xvif_rxr_parse reads. */
#define NF_RX_WINDOW (XVIF_RX_SLOTS_MAX + 2)
/* Retry delay after an RX buffer allocation failed. */
#define NF_RX_REFILL_RETRY (HZ / 10)

/* Counters shown by ethtool -S beside the per-queue packet counts. */
enum nf_ctr {
	NF_CTR_RX_BAD_RSP,        /* chain with a bad offset/size/GSO extra: dropped */
	NF_CTR_RX_ERR_STATUS,     /* backend answered a slot with an error status */
	NF_CTR_RX_TOO_MANY_FRAGS, /* more fragments than an skb holds: dropped */
	NF_CTR_RX_TOO_SHORT,      /* shorter than an Ethernet header: dropped */
	NF_CTR_RX_NOMEM,          /* no skb for a received frame: dropped */
	NF_CTR_RX_REFILL_NOMEM,   /* no page for an RX buffer: retried later */
	NF_CTR_RX_CSUM_FIXUP,     /* GSO frame without csum_blank: checksum redone */
	NF_CTR_RX_CSUM_BAD,       /* partial checksum that could not be set up: dropped */
	NF_CTR_TX_RSP_ERROR,      /* backend answered a TX slot with an error */
	NF_CTR_TX_TOO_BIG,        /* longer than the wire format allows: dropped */
	NF_CTR_TX_NOT_CONNECTED,  /* sent while disconnected or broken: dropped */
	NF_CTR_TX_BOUNCE,         /* copied to zeroed pages (trusted=0 or short head) */
	NF_CTR_TX_LINEARIZE,      /* too many slots: linearized first */
	NF_CTR_GRANT_LEAKED,      /* backend kept a grant: page deliberately leaked */
	NF_CTR_BROKEN,            /* times the device was disabled for a protocol violation */
	NF_CTR_SPURIOUS_EVT,      /* events with no new response (lateeoi delays them) */
	NF_CTR_RECONNECT,         /* connections made after the first */
	NF_CTR_NR
};

struct nf_pcpu_stats {
	u64 packets;
	u64 bytes;
	struct u64_stats_sync syncp;
};

struct nf_tx_slot {
	struct sk_buff *skb;      /* one reference held for this slot */
	struct page *page;        /* the granted page (part of skb) */
	grant_ref_t gref;
	u16 next_free;            /* free list link */
};

struct nf_rx_slot {
	struct page *page;        /* posted page, one reference; NULL if none */
	grant_ref_t gref;
};

#define NF_TX_LINK_NONE 0xffff
#define NF_QUEUE_NAME_LEN (IFNAMSIZ + 8)
#define NF_IRQ_NAME_LEN (NF_QUEUE_NAME_LEN + 4)

struct nf_dev;

struct nf_queue {
	unsigned int id;
	struct nf_dev *nf;
	char name[NF_QUEUE_NAME_LEN];
	char tx_irq_name[NF_IRQ_NAME_LEN];
	char rx_irq_name[NF_IRQ_NAME_LEN];

	/* tx_evtchn == rx_evtchn (and tx_irq == rx_irq) unless split. */
	evtchn_port_t tx_evtchn, rx_evtchn;
	int tx_irq, rx_irq;       /* 0: not bound */

	/*
	 * Serialises ndo_start_xmit against the TX response handler (IRQ) over
	 * the TX ring, tx_slot[], the free list and gref_tx_head.
	 */
	spinlock_t tx_lock;
	struct xen_netif_tx_front_ring tx;
	grant_ref_t tx_ring_ref;
	grant_ref_t gref_tx_head;
	struct nf_tx_slot tx_slot[NF_TX_RING_SIZE];
	u8 tx_state[NF_TX_RING_SIZE]; /* enum nf_tx_id_state, per id */
	u16 tx_free_head;
	/* Free ids; always equal to the unclaimed references in gref_tx_head
	 * (an id and a grant reference are taken and given back together). */
	unsigned int tx_free_count;
	/* Last rsp_prod the TX event handler saw (see nf_handle_tx). */
	RING_IDX tx_prod_seen;
	struct nf_pcpu_stats *tx_stats; /* in nf_dev; written under tx_lock */

	/*
	 * Serialises the NAPI poll against RX refills from process context
	 * (connect, open) over the RX ring, rx_slot[] and gref_rx_head.
	 */
	spinlock_t rx_lock ____cacheline_aligned_in_smp;
	struct xen_netif_rx_front_ring rx;
	grant_ref_t rx_ring_ref;
	grant_ref_t gref_rx_head;
	struct nf_rx_slot rx_slot[NF_RX_RING_SIZE];
	struct timer_list rx_refill_timer;
	struct napi_struct napi;
	struct nf_pcpu_stats *rx_stats; /* in nf_dev; written by the NAPI poll only */
	/* Last rsp_prod the RX event handler saw: an event that brings no new
	 * response is spurious (only the IRQ handler reads or writes it). */
	RING_IDX rx_prod_seen;
};

/* nf_dev.flags bits */
#define NF_BROKEN 0               /* protocol violation: disabled until reconnect */
#define NF_CONNECTED 1            /* rings and event channels are up */

struct nf_dev {
	struct net_device *netdev;
	struct xenbus_device *xbdev;

	struct nf_queue *queues;  /* nr_queues entries; changed under rtnl */
	unsigned int nr_queues;

	struct xvif_be_caps caps; /* what the backend offered at connect */
	bool be_multi_queue;      /* backend wrote multi-queue-max-queues */
	bool bounce;              /* trusted=0: TX data bounced to zeroed pages */
	bool connected_once;
	unsigned int queues_written; /* queue-N directories we wrote last time */

	unsigned long flags;
	atomic64_t ctr[NF_CTR_NR];
	/* Per-queue packet counts live here, not in the queues, so that
	 * ndo_get_stats64 (called without rtnl) never reads freed memory
	 * while a reconnect rebuilds the queues. */
	struct nf_pcpu_stats rx_stats[XVIF_MAX_QUEUES];
	struct nf_pcpu_stats tx_stats[XVIF_MAX_QUEUES];
};

static inline void nf_count(struct nf_dev *nf, enum nf_ctr c)
{
	atomic64_inc(&nf->ctr[c]);
}

static inline bool nf_broken(const struct nf_dev *nf)
{
	return test_bit(NF_BROKEN, &nf->flags);
}

/* ---- main.c ---- */
extern unsigned int nf_param_max_queues;
extern bool nf_param_trusted;

/* ---- xenbus.c ---- */
void nf_backend_changed(struct xenbus_device *dev, enum xenbus_state backend_state);
int nf_set_state(struct nf_dev *nf, enum xenbus_state state);
void nf_bus_close(struct nf_dev *nf);

/* ---- queue.c ---- */
int nf_queues_create(struct nf_dev *nf, unsigned int nr);
void nf_queues_destroy(struct nf_dev *nf);
int nf_queue_connect(struct nf_queue *q, bool split);
void nf_disconnect(struct nf_dev *nf);

/* ---- tx.c ---- */
netdev_tx_t nf_start_xmit(struct sk_buff *skb, struct net_device *dev);
bool nf_tx_gc(struct nf_queue *q);
void nf_tx_init_slots(struct nf_queue *q);
void nf_tx_release(struct nf_queue *q);

/* ---- rx.c ---- */
int nf_rx_poll(struct napi_struct *napi, int budget);
void nf_rx_refill(struct nf_queue *q);
void nf_rx_refill_timeout(struct timer_list *t);
void nf_rx_release(struct nf_queue *q);

/* ---- netdev.c ---- */
struct net_device *nf_netdev_alloc(struct xenbus_device *dev);
void nf_mark_broken(struct nf_dev *nf, const char *why);
irqreturn_t nf_interrupt(int irq, void *dev_id);
irqreturn_t nf_tx_interrupt(int irq, void *dev_id);
irqreturn_t nf_rx_interrupt(int irq, void *dev_id);
void nf_stats_totals(struct nf_dev *nf, u64 *rx_packets, u64 *rx_bytes, u64 *tx_packets,
		     u64 *tx_bytes);

/* ---- ethtool.c ---- */
extern const struct ethtool_ops nf_ethtool_ops;

#endif /* XVIF_NF_H */
