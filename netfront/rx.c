// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive: post granted pages as RX buffers, and in the NAPI poll copy each
 * response chain out of the ring, validate it (common/rx.h
 * xvif_rxr_parse, then our ids), end the grants and hand the frame to the
 * stack with its GSO and checksum state.
 *
 * RX request i (ring index) always uses rx_slot[i & mask] and id
 * i & mask; an honest backend answers in order, so the response at ring
 * index i must carry that id (nf_rx_ids_ok). Copy, then check, then act:
 * nothing is read twice from the shared page.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/skbuff.h>
#include <xen/events.h>

#include "nf.h"

#define NF_RX_MASK (NF_RX_RING_SIZE - 1)

/*
 * Post RX buffers up to a full ring (rx_lock held or NAPI). A fresh page
 * per request, zeroed when the backend is not trusted: it then never sees
 * stale data through the writable grant (XSA-403).
 */
void nf_rx_refill(struct nf_queue *q)
{
	struct nf_dev *nf = q->nf;
	domid_t domid = nf->xbdev->otherend_id;
	gfp_t gfp = GFP_ATOMIC | __GFP_NOWARN | (nf->bounce ? __GFP_ZERO : 0);
	RING_IDX prod;
	bool short_of_pages = false;
	int notify;

	if (!q->rx.sring || !netif_carrier_ok(nf->netdev) || nf_broken(nf))
		return;
	for (prod = q->rx.req_prod_pvt; prod - q->rx.rsp_cons < NF_RX_RING_SIZE; prod++) {
		struct nf_rx_slot *slot = &q->rx_slot[prod & NF_RX_MASK];
		struct xen_netif_rx_request *req;
		struct page *page;
		grant_ref_t ref;

		if (slot->page) /* still posted: cannot happen, but never overwrite */
			break;
		page = alloc_page(gfp);
		if (!page) {
			short_of_pages = true;
			nf_count(nf, NF_CTR_RX_REFILL_NOMEM);
			break;
		}
		ref = gnttab_claim_grant_reference(&q->gref_rx_head);
		if ((int)ref < 0) { /* one reference per slot: cannot happen */
			__free_page(page);
			short_of_pages = true;
			break;
		}
		gnttab_page_grant_foreign_access_ref_one(ref, domid, page, 0);
		slot->page = page;
		slot->gref = ref;
		req = RING_GET_REQUEST(&q->rx, prod);
		req->id = prod & NF_RX_MASK;
		req->gref = ref;
	}
	q->rx.req_prod_pvt = prod;
	if (short_of_pages || prod - q->rx.rsp_cons < NF_RX_SLOTS_MIN)
		mod_timer(&q->rx_refill_timer, jiffies + NF_RX_REFILL_RETRY);
	/* Requests written /then/ req_prod published (the macro's barrier). */
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		notify_remote_via_irq(q->rx_irq);
}

void nf_rx_refill_timeout(struct timer_list *t)
{
	struct nf_queue *q = from_timer(q, t, rx_refill_timer);

	napi_schedule(&q->napi);
}

/*
 * Take the pages of the @n slots from ring index @cons: end each grant and
 * move the page to @pages[i]. Returns false (device broken) if a slot has
 * no buffer or the backend still holds a grant; that page is leaked on
 * purpose, the pages already taken are in @pages for the caller to free.
 */
static bool nf_rx_take(struct nf_queue *q, RING_IDX cons, unsigned int n, struct page **pages)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		pages[i] = NULL;
	for (i = 0; i < n; i++) {
		struct nf_rx_slot *slot = &q->rx_slot[(cons + i) & NF_RX_MASK];

		if (!slot->page) {
			nf_mark_broken(q->nf, "RX response for a slot with no buffer");
			return false;
		}
		if (unlikely(!gnttab_end_foreign_access_ref(slot->gref))) {
			slot->page = NULL; /* leaked on purpose, grant too */
			slot->gref = INVALID_GRANT_REF;
			nf_count(q->nf, NF_CTR_GRANT_LEAKED);
			nf_mark_broken(q->nf, "RX grant still in use after its response");
			return false;
		}
		gnttab_release_grant_reference(&q->gref_rx_head, slot->gref);
		pages[i] = slot->page;
		slot->page = NULL;
		slot->gref = INVALID_GRANT_REF;
	}
	return true;
}

static void nf_put_pages(struct page **pages, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pages[i])
			put_page(pages[i]);
}

/*
 * Build the skb of a validated chain. Consumes every page in @pages
 * (attached as fragments or freed). NULL: dropped, counted.
 */
static struct sk_buff *nf_rx_build(struct nf_queue *q, const struct xvif_rxr_pkt *pkt,
				   struct page **pages)
{
	struct nf_dev *nf = q->nf;
	unsigned int k, slot0 = nf_rx_seg_slot(pkt, 0), pull;
	struct sk_buff *skb;

	skb = napi_alloc_skb(&q->napi, NF_RX_PULL);
	if (unlikely(!skb)) {
		nf_count(nf, NF_CTR_RX_NOMEM);
		nf_put_pages(pages, pkt->nr_slots);
		return NULL;
	}
	/* Headers into the linear area, the rest as page fragments. */
	pull = min_t(unsigned int, pkt->seg[0].len, NF_RX_PULL);
	skb_put_data(skb, page_address(pages[slot0]) + pkt->seg[0].offset, pull);
	for (k = 0; k < pkt->nr_data; k++) {
		unsigned int s = nf_rx_seg_slot(pkt, k);
		unsigned int off = pkt->seg[k].offset + (k ? 0 : pull);
		unsigned int len = pkt->seg[k].len - (k ? 0 : pull);

		if (!len)
			continue; /* page stays in pages[] and is freed below */
		if (skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS) {
			nf_count(nf, NF_CTR_RX_TOO_MANY_FRAGS);
			kfree_skb(skb);
			nf_put_pages(pages, pkt->nr_slots);
			return NULL;
		}
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, pages[s], off, len, PAGE_SIZE);
		pages[s] = NULL; /* now the skb's */
	}
	nf_put_pages(pages, pkt->nr_slots); /* extras' and empty slots' pages */
	return skb;
}

/* GSO and checksum state from the chain; false: drop (counted). */
static bool nf_rx_offloads(struct nf_dev *nf, struct sk_buff *skb, const struct xvif_rxr_pkt *pkt)
{
	bool recalc = false;

	if (pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE) {
		skb_shinfo(skb)->gso_size = pkt->gso_size;
		skb_shinfo(skb)->gso_type = (pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ? SKB_GSO_TCPV4
											: SKB_GSO_TCPV6) |
					    SKB_GSO_DODGY; /* headers checked by the stack */
		skb_shinfo(skb)->gso_segs = 0;
	}
	if (pkt->flags & XEN_NETRXF_csum_blank)
		skb->ip_summed = CHECKSUM_PARTIAL;
	else if (pkt->flags & XEN_NETRXF_data_validated)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	/* A GSO frame must be CHECKSUM_PARTIAL; some backends forget the flag. */
	if (skb_is_gso(skb) && skb->ip_summed != CHECKSUM_PARTIAL) {
		nf_count(nf, NF_CTR_RX_CSUM_FIXUP);
		skb->ip_summed = CHECKSUM_PARTIAL;
		recalc = true;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_setup(skb, recalc)) {
		nf_count(nf, NF_CTR_RX_CSUM_BAD);
		return false;
	}
	return true;
}

/*
 * Handle one packet's responses at rsp_cons. Returns 1 if a frame went up,
 * 0 if it was dropped, -1 if the device is now broken.
 */
static int nf_rx_one(struct nf_queue *q, RING_IDX prod)
{
	struct nf_dev *nf = q->nf;
	struct net_device *dev = nf->netdev;
	struct xen_netif_rx_response win[NF_RX_WINDOW];
	struct page *pages[NF_RX_WINDOW];
	struct xvif_rxr_pkt pkt;
	enum xvif_rxr_verdict v;
	RING_IDX cons = q->rx.rsp_cons;
	unsigned int avail = prod - cons, n, i;
	struct sk_buff *skb;

	n = min_t(unsigned int, avail, NF_RX_WINDOW);
	for (i = 0; i < n; i++)
		RING_COPY_RESPONSE(&q->rx, cons + i, &win[i]);
	v = xvif_rxr_parse(win, avail, NF_RX_RING_SIZE, &pkt);
	if (v == XVIF_RXR_FATAL) {
		nf_mark_broken(nf, "malformed RX response chain");
		return -1;
	}
	if (!nf_rx_ids_ok(&pkt, cons, NF_RX_RING_SIZE)) {
		nf_mark_broken(nf, "RX response id does not match its request");
		return -1;
	}
	if (!nf_rx_take(q, cons, pkt.nr_slots, pages)) {
		nf_put_pages(pages, pkt.nr_slots);
		return -1;
	}
	q->rx.rsp_cons = cons + pkt.nr_slots;

	if (v == XVIF_RXR_DROP || pkt.total_len < ETH_HLEN) {
		nf_count(nf, pkt.error ? NF_CTR_RX_ERR_STATUS :
			 v == XVIF_RXR_DROP ? NF_CTR_RX_BAD_RSP : NF_CTR_RX_TOO_SHORT);
		if (v == XVIF_RXR_DROP && !pkt.error)
			net_warn_ratelimited("%s: backend sent a bad RX response chain: dropped\n",
					     dev->name);
		dev->stats.rx_errors++;
		nf_put_pages(pages, pkt.nr_slots);
		return 0;
	}
	skb = nf_rx_build(q, &pkt, pages);
	if (!skb) {
		dev->stats.rx_dropped++;
		return 0;
	}
	if (!pskb_may_pull(skb, ETH_HLEN)) {
		nf_count(nf, NF_CTR_RX_TOO_SHORT);
		goto drop;
	}
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	if (!nf_rx_offloads(nf, skb, &pkt))
		goto drop;
	u64_stats_update_begin(&q->rx_stats->syncp);
	q->rx_stats->packets++;
	q->rx_stats->bytes += skb->len;
	u64_stats_update_end(&q->rx_stats->syncp);
	napi_gro_receive(&q->napi, skb);
	return 1;

drop:
	dev->stats.rx_errors++;
	kfree_skb(skb);
	return 0;
}

int nf_rx_poll(struct napi_struct *napi, int budget)
{
	struct nf_queue *q = container_of(napi, struct nf_queue, napi);
	struct nf_dev *nf = q->nf;
	int work = 0, more;
	RING_IDX prod;

	spin_lock(&q->rx_lock);
	if (!q->rx.sring || nf_broken(nf))
		goto done;
	prod = READ_ONCE(q->rx.sring->rsp_prod);
	if (!nf_rsp_prod_ok(prod, q->rx.rsp_cons, q->rx.req_prod_pvt)) {
		nf_mark_broken(nf, "RX rsp_prod is beyond the requests posted");
		goto done;
	}
	virt_rmb(); /* read rsp_prod /then/ the responses it covers */
	while (q->rx.rsp_cons != prod && work < budget) {
		int r = nf_rx_one(q, prod);

		if (r < 0)
			goto done;
		/* Dropped chains count as work too: bounded per poll. */
		work++;
	}
	nf_rx_refill(q);
	if (work < budget) {
		if (napi_complete_done(napi, work)) {
			RING_FINAL_CHECK_FOR_RESPONSES(&q->rx, more);
			if (more)
				napi_schedule(napi);
		}
	}
	spin_unlock(&q->rx_lock);
	return work;

done:
	/* Broken or disconnected: stop polling (never leave NAPI scheduled). */
	spin_unlock(&q->rx_lock);
	napi_complete_done(napi, 0);
	return 0;
}

/* Disconnect: end every posted buffer's grant; the page is freed once the
 * backend lets go of it. */
void nf_rx_release(struct nf_queue *q)
{
	unsigned int i;

	for (i = 0; i < NF_RX_RING_SIZE; i++) {
		struct nf_rx_slot *slot = &q->rx_slot[i];

		if (!slot->page)
			continue;
		gnttab_end_foreign_access(slot->gref, slot->page); /* consumes our reference */
		slot->page = NULL;
		slot->gref = INVALID_GRANT_REF;
	}
}
