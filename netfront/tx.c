// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transmit: turn an skb into TX requests (one per page-bounded piece of
 * data, a GSO extra after the first), and take the backend's responses.
 *
 * Grant lifetime: every data slot holds one grant and one reference to the
 * skb. Only a response for an in-flight id ends the grant; if the backend
 * still uses it (gnttab_end_foreign_access_ref fails) the id, the grant
 * and the skb are leaked on purpose and the device is marked broken
 * (XSA-396), never reused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/skbuff.h>
#include <xen/events.h>

#include "nf.h"

void nf_tx_init_slots(struct nf_queue *q)
{
	unsigned int i;

	BUILD_BUG_ON(PAGE_SIZE != XEN_PAGE_SIZE); /* one grant per page piece */
	BUILD_BUG_ON(NF_TX_RING_SIZE >= NF_TX_LINK_NONE);
	for (i = 0; i < NF_TX_RING_SIZE; i++) {
		q->tx_slot[i].skb = NULL;
		q->tx_slot[i].page = NULL;
		q->tx_slot[i].gref = INVALID_GRANT_REF;
		q->tx_slot[i].next_free = i + 1 < NF_TX_RING_SIZE ? i + 1 : NF_TX_LINK_NONE;
		q->tx_state[i] = NF_TX_ID_FREE;
	}
	q->tx_free_head = 0;
	q->tx_free_count = NF_TX_RING_SIZE;
}

static u16 nf_tx_get_id(struct nf_queue *q)
{
	u16 id = q->tx_free_head;

	q->tx_free_head = q->tx_slot[id].next_free;
	q->tx_slot[id].next_free = NF_TX_LINK_NONE;
	q->tx_free_count--;
	return id;
}

static void nf_tx_put_id(struct nf_queue *q, u16 id)
{
	q->tx_state[id] = NF_TX_ID_FREE;
	q->tx_slot[id].next_free = q->tx_free_head;
	q->tx_free_head = id;
	q->tx_free_count++;
}

/* Room for a packet of @slots ring slots: ring space and free ids. */
static bool nf_tx_room(const struct nf_queue *q, unsigned int slots)
{
	unsigned int used = q->tx.req_prod_pvt - q->tx.rsp_cons;

	return NF_TX_RING_SIZE - used >= slots && q->tx_free_count >= slots;
}

static unsigned int nf_range_slots(unsigned long off, unsigned int len)
{
	if (!len)
		return 0;
	off &= ~PAGE_MASK;
	return DIV_ROUND_UP(off + len, PAGE_SIZE);
}

static unsigned int nf_skb_slots(const struct sk_buff *skb)
{
	unsigned int i, n = nf_range_slots(offset_in_page(skb->data), skb_headlen(skb));

	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		n += nf_range_slots(skb_frag_off(f), skb_frag_size(f));
	}
	return n;
}

/*
 * Copy @skb into a new, zeroed, page-aligned linear skb with the same
 * headroom (so csum_start and header offsets stay valid): the granted pages
 * then hold nothing but this packet and zeros (XSA-403). Only the packet is
 * copied: the old headroom may hold stale bytes, the new one stays zero.
 */
static struct sk_buff *nf_bounce(struct nf_dev *nf, struct sk_buff *skb)
{
	unsigned int head = skb_headroom(skb);
	unsigned int size = ALIGN(head + skb->len, XEN_PAGE_SIZE);
	struct sk_buff *n;

	n = alloc_skb(size, GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN);
	if (!n)
		return NULL;
	if (!IS_ALIGNED((unsigned long)n->head, XEN_PAGE_SIZE)) {
		kfree_skb(n);
		return NULL;
	}
	skb_reserve(n, head);
	skb_put(n, skb->len);
	if (skb_copy_bits(skb, 0, n->data, skb->len)) {
		kfree_skb(n);
		return NULL;
	}
	skb_copy_header(n, skb);
	nf_count(nf, NF_CTR_TX_BOUNCE);
	return n;
}

/* Building one packet's requests (under tx_lock). */
struct nf_txb {
	struct nf_queue *q;
	struct sk_buff *skb;
	struct xen_netif_tx_request *prev; /* last data request on the ring */
	domid_t domid;
};

/* One data request for @len bytes at @off in @page (within the page). */
static struct xen_netif_tx_request *nf_tx_one(struct nf_txb *b, struct page *page,
					      unsigned int off, unsigned int len)
{
	struct nf_queue *q = b->q;
	struct xen_netif_tx_request *req;
	grant_ref_t ref;
	u16 id;

	/* Cannot fail: the caller checked tx_free_count, which equals the
	 * references left in gref_tx_head. */
	id = nf_tx_get_id(q);
	ref = gnttab_claim_grant_reference(&q->gref_tx_head);
	gnttab_grant_foreign_access_ref(ref, b->domid, xen_page_to_gfn(page), GNTMAP_readonly);
	q->tx_slot[id].skb = skb_get(b->skb);
	q->tx_slot[id].page = page;
	q->tx_slot[id].gref = ref;
	q->tx_state[id] = NF_TX_ID_INFLIGHT;

	if (b->prev)
		b->prev->flags |= XEN_NETTXF_more_data;
	req = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
	req->id = id;
	req->gref = ref;
	req->offset = off;
	req->size = len;
	req->flags = 0;
	b->prev = req;
	return req;
}

static void nf_tx_range(struct nf_txb *b, struct page *page, unsigned long off, unsigned int len)
{
	page += off >> PAGE_SHIFT;
	off &= ~PAGE_MASK;
	while (len) {
		unsigned int chunk = min_t(unsigned int, len, PAGE_SIZE - off);

		nf_tx_one(b, page, off, chunk);
		page++;
		off = 0;
		len -= chunk;
	}
}

static void nf_tx_gso_extra(struct nf_queue *q, struct sk_buff *skb,
			    struct xen_netif_tx_request *first)
{
	struct xen_netif_extra_info *gso;

	gso = (struct xen_netif_extra_info *)RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt++);
	first->flags |= XEN_NETTXF_extra_info;
	memset(gso, 0, sizeof(*gso));
	gso->type = XEN_NETIF_EXTRA_TYPE_GSO;
	gso->flags = 0;
	gso->u.gso.size = skb_shinfo(skb)->gso_size;
	gso->u.gso.type = (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6) ? XEN_NETIF_GSO_TYPE_TCPV6
								      : XEN_NETIF_GSO_TYPE_TCPV4;
}

/*
 * Put @skb on the ring (tx_lock held, room checked). The first request
 * carries the packet's length and checksum flags, a GSO extra follows it.
 */
static void nf_tx_build(struct nf_queue *q, struct sk_buff *skb)
{
	struct nf_txb b = { .q = q, .skb = skb, .domid = q->nf->xbdev->otherend_id };
	struct xen_netif_tx_request *first;
	unsigned long off = offset_in_page(skb->data);
	struct page *page = virt_to_page(skb->data);
	unsigned int head = skb_headlen(skb), chunk, i;

	chunk = min_t(unsigned int, head, PAGE_SIZE - off);
	first = nf_tx_one(&b, page, off, chunk);
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		first->flags |= XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		first->flags |= XEN_NETTXF_data_validated;
	if (skb_shinfo(skb)->gso_size)
		nf_tx_gso_extra(q, skb, first);

	nf_tx_range(&b, page, off + chunk, head - chunk);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		nf_tx_range(&b, skb_frag_page(f), skb_frag_off(f), skb_frag_size(f));
	}
	first->size = skb->len;
}

netdev_tx_t nf_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nf_dev *nf = netdev_priv(dev);
	u16 qi = skb_get_queue_mapping(skb);
	struct netdev_queue *txq;
	struct nf_queue *q;
	struct sk_buff *nskb;
	unsigned long flags;
	unsigned int slots;
	int notify;

	if (unlikely(qi >= nf->nr_queues || !test_bit(NF_CONNECTED, &nf->flags) || nf_broken(nf))) {
		nf_count(nf, NF_CTR_TX_NOT_CONNECTED);
		goto drop;
	}
	q = &nf->queues[qi];
	txq = netdev_get_tx_queue(dev, qi);
	if (unlikely(skb->len > XEN_NETIF_MAX_TX_SIZE)) {
		nf_count(nf, NF_CTR_TX_TOO_BIG);
		net_warn_ratelimited("%s: %u-byte packet is too big for the wire format: dropped\n",
				     dev->name, skb->len);
		goto drop;
	}
	if (unlikely(netif_needs_gso(skb, netif_skb_features(skb)))) {
		nf_count(nf, NF_CTR_TX_TOO_BIG);
		goto drop;
	}
	slots = nf_skb_slots(skb);
	if (unlikely(slots > NF_TX_DATA_SLOTS_MAX)) {
		nf_count(nf, NF_CTR_TX_LINEARIZE);
		if (skb_linearize(skb))
			goto drop;
		slots = nf_skb_slots(skb);
		if (slots > NF_TX_DATA_SLOTS_MAX)
			goto drop;
	}
	/* A backend drops a first slot shorter than an Ethernet header. */
	if (nf->bounce || skb_headlen(skb) < ETH_HLEN ||
	    PAGE_SIZE - offset_in_page(skb->data) < ETH_HLEN) {
		nskb = nf_bounce(nf, skb);
		if (!nskb)
			goto drop;
		dev_consume_skb_any(skb);
		skb = nskb;
		slots = nf_skb_slots(skb);
		if (slots > NF_TX_DATA_SLOTS_MAX)
			goto drop;
	}

	spin_lock_irqsave(&q->tx_lock, flags);
	if (unlikely(!q->tx.sring || !nf_tx_room(q, slots + 1))) {
		/* The queue is stopped before it fills: not reached normally. */
		netif_tx_stop_queue(txq);
		spin_unlock_irqrestore(&q->tx_lock, flags);
		goto drop;
	}
	nf_tx_build(q, skb);
	skb_tx_timestamp(skb);
	/* The requests are written /then/ req_prod is published (the macro's
	 * write barrier). */
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		notify_remote_via_irq(q->tx_irq);

	u64_stats_update_begin(&q->tx_stats->syncp);
	q->tx_stats->packets++;
	q->tx_stats->bytes += skb->len;
	u64_stats_update_end(&q->tx_stats->syncp);
	/* Our own reference: each slot holds one. The skb must not be touched
	 * after nf_tx_gc(), which may free it. */
	dev_consume_skb_any(skb);

	nf_tx_gc(q);
	if (!nf_tx_room(q, NF_TX_SLOTS_MAX + 1))
		netif_tx_stop_queue(txq);
	spin_unlock_irqrestore(&q->tx_lock, flags);
	return NETDEV_TX_OK;

drop:
	dev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/*
 * Take the backend's TX responses (tx_lock held): end each grant, free the
 * slot. Returns whether any response was consumed. A response beyond what
 * we posted, with an unknown id, or for an id not in flight marks the
 * device broken.
 */
bool nf_tx_gc(struct nf_queue *q)
{
	struct nf_dev *nf = q->nf;
	struct net_device *dev = nf->netdev;
	struct netdev_queue *txq;
	struct xen_netif_tx_response rsp;
	bool work = false;
	RING_IDX cons, prod;
	int more;

	if (!q->tx.sring || nf_broken(nf))
		return false;
	do {
		prod = READ_ONCE(q->tx.sring->rsp_prod);
		if (!nf_rsp_prod_ok(prod, q->tx.rsp_cons, q->tx.req_prod_pvt)) {
			nf_mark_broken(nf, "TX rsp_prod is beyond the requests posted");
			return work;
		}
		virt_rmb(); /* read rsp_prod /then/ the responses it covers */
		for (cons = q->tx.rsp_cons; cons != prod; cons++) {
			struct nf_tx_slot *slot;
			struct sk_buff *skb;

			RING_COPY_RESPONSE(&q->tx, cons, &rsp);
			work = true;
			switch (nf_tx_rsp_check(&rsp, NF_TX_RING_SIZE, q->tx_state)) {
			case NF_TX_RSP_SKIP:
				continue;
			case NF_TX_RSP_BAD_ID:
				q->tx.rsp_cons = cons;
				nf_mark_broken(nf, "TX response id out of range");
				return work;
			case NF_TX_RSP_NOT_INFLIGHT:
				q->tx.rsp_cons = cons;
				nf_mark_broken(nf, "TX response for an id not in flight");
				return work;
			case NF_TX_RSP_OK:
				break;
			}
			slot = &q->tx_slot[rsp.id];
			if (unlikely(!gnttab_end_foreign_access_ref(slot->gref))) {
				/* Leak the id, grant and skb reference on purpose. */
				q->tx_state[rsp.id] = NF_TX_ID_LEAKED;
				nf_count(nf, NF_CTR_GRANT_LEAKED);
				q->tx.rsp_cons = cons + 1;
				nf_mark_broken(nf, "TX grant still in use after its response");
				return work;
			}
			gnttab_release_grant_reference(&q->gref_tx_head, slot->gref);
			skb = slot->skb;
			slot->skb = NULL;
			slot->page = NULL;
			slot->gref = INVALID_GRANT_REF;
			nf_tx_put_id(q, rsp.id);
			if (unlikely(rsp.status != XEN_NETIF_RSP_OKAY)) {
				nf_count(nf, NF_CTR_TX_RSP_ERROR);
				dev_kfree_skb_irq(skb);
			} else {
				dev_consume_skb_irq(skb);
			}
		}
		q->tx.rsp_cons = prod;
		RING_FINAL_CHECK_FOR_RESPONSES(&q->tx, more);
	} while (more);

	txq = netdev_get_tx_queue(dev, q->id);
	if (unlikely(netif_tx_queue_stopped(txq)) && nf_tx_room(q, NF_TX_SLOTS_MAX + 1) &&
	    netif_running(dev) && test_bit(NF_CONNECTED, &nf->flags))
		netif_tx_wake_queue(txq);
	return work;
}

/*
 * Disconnect (no IRQ, no xmit running): end every in-flight grant through
 * the deferred path (the page is freed once the backend lets go) and drop
 * the skb references. Leaked slots stay leaked.
 */
void nf_tx_release(struct nf_queue *q)
{
	unsigned int id;

	for (id = 0; id < NF_TX_RING_SIZE; id++) {
		struct nf_tx_slot *slot = &q->tx_slot[id];

		if (q->tx_state[id] != NF_TX_ID_INFLIGHT)
			continue;
		get_page(slot->page); /* for gnttab_end_foreign_access to put */
		gnttab_end_foreign_access(slot->gref, slot->page);
		dev_kfree_skb_any(slot->skb);
		slot->skb = NULL;
		slot->page = NULL;
		slot->gref = INVALID_GRANT_REF;
		/* The reference went back to the global pool: the id is not
		 * reusable in this queue, which is destroyed before reconnect. */
		q->tx_state[id] = NF_TX_ID_LEAKED;
	}
}
