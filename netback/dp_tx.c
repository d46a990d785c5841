// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest TX: frontend requests -> grant copy -> virtio_net_hdr -> TAP.
 *
 * One pass (tx_batch) copies the unconsumed requests out of the shared ring
 * exactly once, validates whole chains with common/tx.h, stages the data of
 * many packets as the segments of one grant-copy call, then answers every
 * packet on the ring (in ring order) and only then writes them to the TAP:
 *
 *   ring --RING_COPY_REQUEST--> tx_copy[] --xvif_tx_parse--> items[]
 *        --segments--> one gnt_copy --> tx_stage --> responses
 *        --> RING_PUSH_RESPONSES_AND_CHECK_NOTIFY --> writev(TAP) each
 *
 * Answering before the TAP writes gives the guest its slots (and, through
 * the completions, its TCP small-queue budget) back while dom0's stack is
 * still taking the packets: a writev to a TAP runs the receive path, TCP
 * included, in our thread. The outcome of the writes cannot change the
 * responses (a failed TAP write is answered OKAY anyway, as a packet lost
 * on a wire). The notification still goes out once, at the end of the
 * wake-up (dp_loop.c): an earlier one (tried with split channels) gives
 * the guest a separate upcall per wake-up for TX and RX, and the lab run
 * that measured it (20261123-225906-2930) could not tell its effect.
 *
 * The wake-up's last pass is left staged (tx_pend_*): its segments go in
 * the same grant-copy call as the first RX pass, so a wake-up with traffic
 * both ways (TCP data one way, ACKs the other) makes one copy hypercall.
 *
 * Every consumed request gets its response within the same wake-up, so
 * rsp_prod_pvt == req_cons between wake-ups.
 */
#include <errno.h>
#include <linux/virtio_net.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "dp_int.h"
#include "hdr.h"

/* One packet (or control message) of a pass. */
struct xvif_dp_tx_item {
	struct xvif_tx_pkt pkt;
	bool deliver;           /* data staged: write it to the TAP */
	int16_t status;         /* response when not delivered */
	struct virtio_net_hdr vh; /* for the TAP, when delivered */
	uint32_t stage_off;
	unsigned int seg_first, seg_n;
};

int xvif_dp_tx_alloc(struct xvif_dp_queue *q)
{
	q->tx_copy = calloc(RING_SIZE(&q->tx), sizeof(*q->tx_copy));
	q->tx_stage = malloc(XVIF_DP_TX_STAGE_BYTES);
	q->tx_items = calloc(XVIF_DP_TX_BUDGET, sizeof(*q->tx_items));
	if (!q->tx_copy || !q->tx_stage || !q->tx_items) {
		xvif_dp_tx_free(q);
		return -ENOMEM;
	}
	return 0;
}

void xvif_dp_tx_free(struct xvif_dp_queue *q)
{
	free(q->tx_copy);
	free(q->tx_stage);
	free(q->tx_items);
	q->tx_copy = NULL;
	q->tx_stage = NULL;
	q->tx_items = NULL;
}

/* Pick up a `rate` change made by the control plane. */
static void tx_rate_refresh(struct xvif_dp_queue *q)
{
	struct xvif_dp_vif *vif = q->vif;
	uint32_t gen = __atomic_load_n(&vif->rate_gen, __ATOMIC_ACQUIRE);
	uint64_t bytes, usec;
	bool have;

	if (gen == q->rate_gen_seen)
		return;
	pthread_mutex_lock(&vif->sh.lock);
	have = vif->have_rate;
	bytes = vif->rate_bytes;
	usec = vif->rate_usec;
	gen = vif->rate_gen;
	pthread_mutex_unlock(&vif->sh.lock);
	xvif_credit_set(&q->credit, have ? bytes : 0, have ? usec : 0, xvif_dp_now(q));
	q->rate_gen_seen = gen;
	q->tx_credit_blocked = false;
}

/*
 * Build the virtio_net_hdr for a guest packet from its TX flags and GSO
 * extra. Returns 0, or -1 if the packet asks for an offload its headers do
 * not allow (no TCP/UDP header for csum_blank, GSO over a non-TCP packet).
 */
static int tx_vnet_hdr(const struct xvif_tx_pkt *pkt, const uint8_t *data, struct virtio_net_hdr *vh)
{
	bool gso = pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE;
	struct xvif_hdr h;
	int csum_off;

	memset(vh, 0, sizeof(*vh));
	if (!(pkt->flags & XEN_NETTXF_csum_blank) && !gso) {
		if (pkt->flags & XEN_NETTXF_data_validated)
			vh->flags = VIRTIO_NET_HDR_F_DATA_VALID;
		return 0;
	}
	if (xvif_hdr_parse(data, pkt->total_len, &h) < 0 || !h.l4_off)
		return -1;
	csum_off = xvif_hdr_csum_offset(&h);
	if (csum_off < 0)
		return -1;
	/* GSO implies a partial checksum, as Linux netback's checksum_setup. */
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = h.l4_off;
	vh->csum_offset = (uint16_t)csum_off;
	if (!gso)
		return 0;
	if (h.l4_proto != XVIF_IPPROTO_TCP)
		return -1;
	if (pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 && h.ip_version == 4)
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	else if (pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV6 && h.ip_version == 6)
		vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	else
		return -1;
	vh->gso_size = pkt->gso_size;
	vh->hdr_len = (uint16_t)(h.l4_off + h.l4_len);
	return 0;
}

/* After the grant copy: the response status of a delivered item, and its
 * virtio_net_hdr; it->deliver is cleared when the packet cannot go. */
static int16_t tx_check(struct xvif_dp_queue *q, struct xvif_dp_tx_item *it)
{
	const xvif_gcopy_seg_t *bad = NULL;
	unsigned int j;

	/* The first failed segment names the gref and status. */
	for (j = 0; j < it->seg_n && !bad; j++)
		if (q->segs[it->seg_first + j].status != GNTST_okay)
			bad = &q->segs[it->seg_first + j];
	if (bad) {
		it->deliver = false;
		xvif_cnt_add(&q->cnt, XVIF_DPC_TX_GNT_ERR, 1);
		xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN,
				     "%s: TX grant copy failed (gref %u, status %d): packet dropped", q->name,
				     bad->source.foreign.ref, bad->status);
		return XEN_NETIF_RSP_ERROR;
	}
	if (tx_vnet_hdr(&it->pkt, q->tx_stage + it->stage_off, &it->vh) < 0) {
		it->deliver = false;
		xvif_cnt_add(&q->cnt, XVIF_DPC_TX_CSUM_ERR, 1);
		xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN,
				     "%s: TX packet of %u bytes asks for checksum/GSO offload without a TCP/UDP header: dropped",
				     q->name, it->pkt.total_len);
		return XEN_NETIF_RSP_ERROR;
	}
	return XEN_NETIF_RSP_OKAY;
}

/* Write one checked packet to the TAP (already answered OKAY: the guest's
 * data was taken, so a failed write is a packet lost, as on a wire). */
static void tx_write(struct xvif_dp_queue *q, struct xvif_dp_tx_item *it)
{
	struct iovec iov[2];
	ssize_t n;

	iov[0].iov_base = &it->vh;
	iov[0].iov_len = sizeof(it->vh);
	iov[1].iov_base = q->tx_stage + it->stage_off;
	iov[1].iov_len = it->pkt.total_len;
	n = writev(q->tap_fd, iov, 2);
	if (n != (ssize_t)(sizeof(it->vh) + it->pkt.total_len)) {
		xvif_cnt_add(&q->cnt, XVIF_DPC_TX_TAP_ERR, 1);
		xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN, "%s: TAP write of %u bytes: %s", q->name,
				     it->pkt.total_len, n < 0 ? strerror(errno) : "short write");
		return;
	}
	xvif_cnt_add(&q->cnt, XVIF_DPC_TX_PACKETS, 1);
	xvif_cnt_add(&q->cnt, XVIF_DPC_TX_BYTES, it->pkt.total_len);
}

/* After the grant copy: respond to every item in ring order, push, then
 * write the delivered ones to the TAP. */
static void tx_finish(struct xvif_dp_queue *q, unsigned int nitems)
{
	xvif_tx_rsp_t rsp[XVIF_TX_SLOTS_FATAL + XVIF_TX_EXTRAS_MAX];
	unsigned int i, k, n;
	bool notify;

	for (i = 0; i < nitems; i++) {
		struct xvif_dp_tx_item *it = &q->tx_items[i];
		int16_t status = it->deliver ? tx_check(q, it) : it->status;

		n = xvif_tx_responses(&it->pkt, status, rsp);
		for (k = 0; k < n; k++) {
			xvif_tx_rsp_t *r = RING_GET_RESPONSE(&q->tx, q->tx.rsp_prod_pvt);

			r->id = rsp[k].id;
			r->status = rsp[k].status;
			q->tx.rsp_prod_pvt++;
		}
	}
	/* Every item above was answered whole (all its slots), so rsp_prod
	 * moves to a packet boundary, never into a packet. */
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		q->notify_tx = true; /* sent once, at the end of the wake-up */
	for (i = 0; i < nitems; i++)
		if (q->tx_items[i].deliver)
			tx_write(q, &q->tx_items[i]);
}

/* Copy the staged segments in one call, then finish. */
static void tx_flush(struct xvif_dp_queue *q, unsigned int nitems, unsigned int nsegs)
{
	if (nitems == 0)
		return;
	xvif_dp_gcopy(q, q->segs, nsegs);
	tx_finish(q, nitems);
}

void xvif_dp_tx_complete(struct xvif_dp_queue *q, bool copied)
{
	unsigned int nitems = q->tx_pend_items, nsegs = q->tx_pend_segs;

	q->tx_pend_items = q->tx_pend_segs = 0;
	if (nitems == 0)
		return;
	if (copied)
		tx_finish(q, nitems);
	else
		tx_flush(q, nitems, nsegs);
}

static bool tx_fits(const struct xvif_tx_pkt *pkt, uint32_t stage_used, unsigned int nsegs)
{
	return stage_used + pkt->total_len <= XVIF_DP_TX_STAGE_BYTES && nsegs + pkt->nr_segs <= XVIF_DP_GCOPY_MAX;
}

/* Stage one OK packet's segments. Returns false if the pass is full. */
static bool tx_stage(struct xvif_dp_queue *q, struct xvif_dp_tx_item *it, uint32_t *stage_used,
		     unsigned int *nsegs)
{
	const struct xvif_tx_pkt *pkt = &it->pkt;
	uint32_t off = *stage_used;
	unsigned int s;

	if (!tx_fits(pkt, *stage_used, *nsegs))
		return false;
	it->stage_off = *stage_used;
	it->seg_first = *nsegs;
	it->seg_n = 0;
	for (s = 0; s < pkt->nr_segs; s++) {
		xvif_gcopy_seg_t *g;

		if (pkt->seg[s].len == 0)
			continue; /* a zero-length slot carries nothing to copy */
		g = &q->segs[*nsegs + it->seg_n++];
		memset(g, 0, sizeof(*g));
		g->source.foreign.ref = pkt->seg[s].gref;
		g->source.foreign.offset = pkt->seg[s].offset;
		g->source.foreign.domid = q->vif->cfg.domid;
		g->dest.virt = q->tx_stage + off;
		g->len = pkt->seg[s].len;
		g->flags = GNTCOPY_source_gref;
		off += pkt->seg[s].len;
	}
	*nsegs += it->seg_n;
	*stage_used += pkt->total_len;
	it->deliver = true;
	return true;
}

/*
 * One pass over @avail unconsumed requests: parse, stage, copy, respond.
 * Consumes at most *budget packets. Returns false if TX must stop for now
 * (queue broken, or waiting for credit).
 */
/* Does the copied request @r look like a TX response the old process wrote
 * over it and never published (restart after SIGKILL; dp_ring.c, top)?
 * The response's id and status sit where the gref was; the request's own
 * id is left intact. */
static bool tx_stale_slot(const xvif_tx_req_t *r)
{
	xvif_tx_rsp_t rsp;

	memcpy(&rsp, r, sizeof(rsp));
	if (rsp.id != r->id)
		return false;
	switch (rsp.status) {
	case XEN_NETIF_RSP_OKAY:
	case XEN_NETIF_RSP_ERROR:
	case XEN_NETIF_RSP_DROPPED:
	case XEN_NETIF_RSP_NULL:
		return true;
	default:
		return false;
	}
}

/* The adoption guard for the packet of @nr_slots at request @idx (copied
 * at @slots): true if it must be dropped. The guard ends at the first
 * request the guest wrote after the adoption. */
static bool tx_adopt_drop(struct xvif_dp_queue *q, RING_IDX idx, const xvif_tx_req_t *slots, unsigned int nr_slots)
{
	unsigned int k;

	if (!q->tx_adopt_guard)
		return false;
	for (k = 0; k < nr_slots; k++) {
		if ((int32_t)(idx + k - q->tx_adopt_end) >= 0) {
			q->tx_adopt_guard = false;
			return false;
		}
		if (tx_stale_slot(&slots[k]))
			return true;
	}
	return false;
}

static bool tx_batch(struct xvif_dp_queue *q, unsigned int avail, unsigned int *budget, uint64_t now)
{
	const struct xvif_fe_config *fe = &q->vif->cfg.fe;
	struct xvif_tx_features feat = {
		.sg = fe->sg,
		.gso_tcpv4 = fe->gso_tcpv4,
		.gso_tcpv6 = fe->gso_tcpv6,
		.multicast_control = fe->multicast_control,
	};
	unsigned int off = 0, copied = 0, nitems = 0, nsegs = 0;
	uint32_t stage_used = 0;
	bool go_on = true;

	while (off < avail && *budget > 0 && nitems < XVIF_DP_TX_BUDGET) {
		struct xvif_dp_tx_item *it = &q->tx_items[nitems];
		unsigned int want = avail - off < XVIF_TX_PARSE_WINDOW ? avail : off + XVIF_TX_PARSE_WINDOW;
		enum xvif_tx_reason reason;
		enum xvif_tx_verdict v;

		/* Copy each request out of the shared ring once; parse only the copy. */
		for (; copied < want; copied++)
			RING_COPY_REQUEST(&q->tx, q->tx.req_cons + copied, &q->tx_copy[copied]);

		v = xvif_tx_parse(&q->tx_copy[off], avail - off, &feat, &it->pkt, &reason);
		if (v == XVIF_TX_FATAL) {
			xvif_cnt_inc_u64(&q->cnt.tx_drop[reason]);
			/* Answer what was consumed before the violation. */
			q->tx.req_cons += off;
			tx_flush(q, nitems, nsegs);
			xvif_dp_break(q, "TX request %u: %s", q->tx.req_cons, xvif_tx_reason_name(reason));
			return false;
		}
		it->deliver = false;
		it->status = XEN_NETIF_RSP_OKAY;
		if (v == XVIF_TX_DROP) {
			xvif_cnt_inc_u64(&q->cnt.tx_drop[reason]);
			xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN, "%s: TX packet at request %u dropped: %s",
					     q->name, q->tx.req_cons + off, xvif_tx_reason_name(reason));
			it->status = XEN_NETIF_RSP_ERROR;
		} else if (tx_adopt_drop(q, q->tx.req_cons + off, &q->tx_copy[off], it->pkt.nr_slots)) {
			xvif_cnt_add(&q->cnt, XVIF_DPC_TX_ADOPT_DROP, 1);
			xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN,
					     "%s: TX packet at request %u dropped after adoption: a slot holds a response "
					     "the previous daemon wrote but never published",
					     q->name, q->tx.req_cons + off);
			it->status = XEN_NETIF_RSP_ERROR;
		} else if (it->pkt.mcast_add || it->pkt.mcast_del) {
			if (xvif_dp_mcast_update(q, it->pkt.mcast_add, it->pkt.mcast_addr) < 0)
				it->status = XEN_NETIF_RSP_ERROR;
		} else {
			if (!tx_fits(&it->pkt, stage_used, nsegs))
				break; /* this pass is full: the packet starts the next */
			if (!xvif_credit_take(&q->credit, it->pkt.total_len, now)) {
				q->tx_credit_blocked = true;
				xvif_cnt_add(&q->cnt, XVIF_DPC_TX_CREDIT_WAIT, 1);
				go_on = false;
				break;
			}
			tx_stage(q, it, &stage_used, &nsegs);
		}
		off += it->pkt.nr_slots;
		nitems++;
		(*budget)--;
	}
	q->tx.req_cons += off;
	if (go_on && off == avail && nitems > 0) {
		/* Probably the wake-up's last pass: leave the copy to share the
		 * RX pass's call (tx_run completes it first if more comes). */
		q->tx_pend_items = nitems;
		q->tx_pend_segs = nsegs;
	} else {
		tx_flush(q, nitems, nsegs);
	}
	return go_on;
}

bool xvif_dp_tx_run(struct xvif_dp_queue *q)
{
	unsigned int budget = XVIF_DP_TX_BUDGET, rechecks = 0;
	uint64_t now;
	int avail = 0;

	if (xvif_dp_is_broken(q))
		return false;
	tx_rate_refresh(q);
	/* The clock matters to the credit only: unlimited, no read (credit
	 * take ignores the time then). */
	now = q->credit.bytes ? xvif_dp_now(q) : 0;
	if (q->tx_credit_blocked) {
		if (xvif_credit_wait(&q->credit, now) > 0)
			return false;
		q->tx_credit_blocked = false;
	}
	while (budget > 0) {
		avail = xvif_dp_tx_avail(q);
		if (avail < 0) {
			xvif_dp_tx_complete(q, false); /* answer what was consumed */
			return false;
		}
		if (avail == 0) {
			int work;

			/* Ask for an event on the next request, then look once
			 * more: the frontend may have produced meanwhile. A
			 * frontend flapping req_prod gets two looks, no more. */
			RING_FINAL_CHECK_FOR_REQUESTS(&q->tx, work);
			if (!work || ++rechecks > 2)
				break;
			continue;
		}
		/* One staged pass at a time: the next one reuses the segments. */
		xvif_dp_tx_complete(q, false);
		/* The clock read once per wake-up serves the credit checks
		 * of the whole run (a pass takes microseconds). */
		if (!tx_batch(q, (unsigned int)avail, &budget, now))
			break;
	}
	/* Status only: free slots as the frontend sees them (clipped, since
	 * the index is the frontend's). */
	{
		uint32_t pend = *(volatile uint32_t *)&q->tx.sring->req_prod - q->tx.req_cons;

		if (pend > RING_SIZE(&q->tx))
			pend = RING_SIZE(&q->tx);
		__atomic_store_n(&q->tx_ring_free, RING_SIZE(&q->tx) - pend, __ATOMIC_RELAXED);
	}
	if (budget == 0 && !xvif_dp_is_broken(q)) {
		xvif_cnt_add(&q->cnt, XVIF_DPC_BUDGET_EXHAUSTED, 1);
		return true;
	}
	return false;
}
