// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest RX: TAP -> per-queue FIFO -> grant copy into posted guest buffers.
 *
 *   read(TAP) --virtio_net_hdr--> xvif_rx_params --multicast filter, hash-->
 *   FIFO of the queue the hash mapping names (steering) --xvif_rx_plan-->
 *   segments of one gnt_copy per pass --> responses --> push + notify
 *
 * The FIFO is bounded in bytes (XVIF_DP_RX_QUEUE_BYTES): while it is full
 * the worker stops reading its TAP, so a guest that stops posting buffers
 * costs us a bounded amount of memory. Packets that waited longer than
 * XVIF_DP_RX_STALL_USEC are dropped (the stall timer).
 */
#include <errno.h>
#include <linux/virtio_net.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dp_int.h"
#include "hdr.h"

/* One packet of a delivery pass. */
struct xvif_dp_rx_item {
	struct xvif_rx_pkt *pkt;
	struct xvif_rx_plan plan;
	uint16_t req_id[XVIF_RX_SLOTS_MAX + 2];
	unsigned int seg_first, seg_n;
};

int xvif_dp_rx_alloc(struct xvif_dp_queue *q)
{
	q->tap_buf = malloc(XVIF_DP_TAP_MSG_MAX);
	q->rx_items = calloc(XVIF_DP_RX_BUDGET, sizeof(*q->rx_items));
	if (!q->tap_buf || !q->rx_items) {
		xvif_dp_rx_free(q);
		return -ENOMEM;
	}
	return 0;
}

static void fifo_push(struct xvif_rx_fifo *f, struct xvif_rx_pkt *p)
{
	p->next = NULL;
	if (f->tail)
		f->tail->next = p;
	else
		f->head = p;
	f->tail = p;
	f->bytes += p->p.len;
	f->n++;
}

static struct xvif_rx_pkt *fifo_pop(struct xvif_rx_fifo *f)
{
	struct xvif_rx_pkt *p = f->head;

	if (!p)
		return NULL;
	f->head = p->next;
	if (!f->head)
		f->tail = NULL;
	f->bytes -= p->p.len;
	f->n--;
	return p;
}

/* Move all of @src to the end of @dst. */
static void fifo_splice(struct xvif_rx_fifo *dst, struct xvif_rx_fifo *src)
{
	if (!src->head)
		return;
	if (dst->tail)
		dst->tail->next = src->head;
	else
		dst->head = src->head;
	dst->tail = src->tail;
	dst->bytes += src->bytes;
	dst->n += src->n;
	memset(src, 0, sizeof(*src));
}

static void fifo_free(struct xvif_rx_fifo *f)
{
	struct xvif_rx_pkt *p;

	while ((p = fifo_pop(f)))
		free(p);
}

void xvif_dp_rx_free(struct xvif_dp_queue *q)
{
	fifo_free(&q->rxq);
	fifo_free(&q->inbox);
	free(q->tap_buf);
	free(q->rx_items);
	q->tap_buf = NULL;
	q->rx_items = NULL;
}

bool xvif_dp_rx_has_room(const struct xvif_dp_queue *q)
{
	return q->rxq.bytes < XVIF_DP_RX_QUEUE_BYTES;
}

static void update_queued(struct xvif_dp_queue *q)
{
	__atomic_store_n(&q->rx_queued_bytes, q->rxq.bytes, __ATOMIC_RELAXED);
}

/*
 * Turn the TAP's virtio_net_hdr into RX parameters for the frontend, filling
 * in checksums the frontend cannot take partial. Returns 0, or -1 if the
 * packet asks for something we cannot honour (counted by the caller).
 */
static int rx_from_vnet(const struct xvif_dp_queue *q, const struct virtio_net_hdr *vh, struct xvif_rx_pkt *pkt)
{
	const struct xvif_fe_config *fe = &q->vif->cfg.fe;
	struct xvif_rx_params *p = &pkt->p;
	struct xvif_hdr h;
	bool partial_ok;

	switch (vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		p->gso_type = XEN_NETIF_GSO_TYPE_NONE;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		p->gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		p->gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
		break;
	default:
		return -1; /* UDP fragmentation offload: netif.h has no type for it */
	}
	p->gso_size = p->gso_type == XEN_NETIF_GSO_TYPE_NONE ? 0 : vh->gso_size;
	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		p->data_validated = (vh->flags & VIRTIO_NET_HDR_F_DATA_VALID) != 0;
		return 0;
	}
	if (xvif_hdr_parse(pkt->data, p->len, &h) < 0)
		return -1;
	partial_ok = (h.ip_version == 4 && !fe->no_csum_offload) || (h.ip_version == 6 && fe->ipv6_csum);
	if (partial_ok) {
		p->csum_blank = true;
		return 0;
	}
	/* The frontend cannot take a partial checksum of this kind: finish it
	 * here (impossible under GSO: the TAP's offloads must match). */
	if (p->gso_type != XEN_NETIF_GSO_TYPE_NONE || xvif_hdr_csum_fill(pkt->data, p->len, &h) < 0)
		return -1;
	p->data_validated = true;
	return 0;
}

static bool is_multicast(const uint8_t *dst)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	return (dst[0] & 1) && memcmp(dst, bcast, 6) != 0;
}

/* Classify one packet read from the TAP and queue it; takes ownership. */
static void rx_accept(struct xvif_dp_queue *q, struct xvif_rx_pkt *pkt)
{
	struct xvif_dp_vif *vif = q->vif;
	struct xvif_dp_queue *t = q;

	xvif_dp_snapshot_refresh(q);
	if (vif->cfg.fe.multicast_control && is_multicast(pkt->data) &&
	    !xvif_dp_mcast_allowed(&q->snap, pkt->data)) {
		xvif_cnt_add(&q->cnt, XVIF_DPC_RX_MCAST_FILTERED, 1);
		free(pkt);
		return;
	}
	if (q->snap.hashing) {
		struct xvif_hdr h;

		if (xvif_hdr_parse(pkt->data, pkt->p.len, &h) == 0 &&
		    xvif_hash_packet(&q->snap.hash, pkt->data, pkt->p.len, &h, &pkt->p.hash, &pkt->p.hash_type)) {
			pkt->p.have_hash = true;
			t = &vif->q[xvif_hash_queue(&q->snap.hash, pkt->p.hash, vif->nq)];
		}
	}
	pkt->t_enq = vif->ops->now_us(vif->octx);
	if (t == q) {
		fifo_push(&q->rxq, pkt);
		return;
	}
	/* Steered to another queue: its inbox, bounded like its FIFO. */
	pthread_mutex_lock(&t->inbox_lock);
	if (t->inbox.bytes + pkt->p.len > XVIF_DP_RX_QUEUE_BYTES || xvif_dp_is_broken(t)) {
		pthread_mutex_unlock(&t->inbox_lock);
		xvif_cnt_add(&q->cnt, XVIF_DPC_RX_QUEUE_FULL, 1);
		free(pkt);
		return;
	}
	fifo_push(&t->inbox, pkt);
	pthread_mutex_unlock(&t->inbox_lock);
	xvif_cnt_add(&q->cnt, XVIF_DPC_RX_STEERED, 1);
	xvif_dp_queue_wake(t);
}

bool xvif_dp_rx_read_tap(struct xvif_dp_queue *q)
{
	const size_t vlen = sizeof(struct virtio_net_hdr);
	unsigned int n = 0;

	if (xvif_dp_is_broken(q))
		return false;
	while (n < XVIF_DP_RX_BUDGET && xvif_dp_rx_has_room(q)) {
		struct virtio_net_hdr vh;
		struct xvif_rx_pkt *pkt;
		ssize_t r = read(q->tap_fd, q->tap_buf, XVIF_DP_TAP_MSG_MAX);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (r <= 0) {
			if (r < 0) {
				xvif_cnt_add(&q->cnt, XVIF_DPC_RX_TAP_ERR, 1);
				xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN, "%s: TAP read: %s", q->name,
						     strerror(errno));
			}
			break;
		}
		n++;
		if ((size_t)r < vlen + XVIF_ETH_HLEN) {
			xvif_cnt_inc_u64(&q->cnt.rx_drop[XVIF_RXR_TOO_SHORT]);
			continue;
		}
		pkt = malloc(sizeof(*pkt) + (size_t)r - vlen);
		if (!pkt) {
			xvif_cnt_add(&q->cnt, XVIF_DPC_RX_QUEUE_FULL, 1);
			continue;
		}
		memset(pkt, 0, sizeof(*pkt));
		memcpy(&vh, q->tap_buf, vlen);
		pkt->p.len = (uint32_t)((size_t)r - vlen);
		memcpy(pkt->data, q->tap_buf + vlen, pkt->p.len);
		if (rx_from_vnet(q, &vh, pkt) < 0) {
			xvif_cnt_add(&q->cnt, XVIF_DPC_RX_BAD_VNET, 1);
			xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN,
					     "%s: TAP packet with virtio_net_hdr flags %#x gso %#x not deliverable: dropped",
					     q->name, vh.flags, vh.gso_type);
			free(pkt);
			continue;
		}
		rx_accept(q, pkt);
	}
	update_queued(q);
	return n == XVIF_DP_RX_BUDGET;
}

void xvif_dp_rx_expire(struct xvif_dp_queue *q, uint64_t now)
{
	while (q->rxq.head && now - q->rxq.head->t_enq >= XVIF_DP_RX_STALL_USEC) {
		free(fifo_pop(&q->rxq));
		xvif_cnt_add(&q->cnt, XVIF_DPC_RX_STALL_DROP, 1);
		xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN,
				     "%s: guest posted no RX buffers for %u s: queued packet dropped", q->name,
				     XVIF_DP_RX_STALL_USEC / 1000000u);
	}
	update_queued(q);
}

uint64_t xvif_dp_rx_next_expiry(const struct xvif_dp_queue *q, uint64_t now)
{
	uint64_t age;

	if (!q->rxq.head)
		return UINT64_MAX;
	age = now - q->rxq.head->t_enq;
	return age >= XVIF_DP_RX_STALL_USEC ? 0 : XVIF_DP_RX_STALL_USEC - age;
}

/* Copy, respond, free: the second half of a delivery pass. */
static void rx_flush(struct xvif_dp_queue *q, unsigned int nitems, unsigned int nsegs)
{
	xvif_rx_rsp_t rsp[XVIF_RX_SLOTS_MAX + 2];
	unsigned int i, j, k;
	bool notify;

	if (nitems == 0)
		return;
	xvif_dp_gcopy(q, q->segs, nsegs);
	for (i = 0; i < nitems; i++) {
		struct xvif_dp_rx_item *it = &q->rx_items[i];
		int16_t override = 0;

		for (j = 0; j < it->seg_n; j++)
			if (q->segs[it->seg_first + j].status != GNTST_okay)
				override = XEN_NETIF_RSP_ERROR;
		if (override) {
			xvif_cnt_add(&q->cnt, XVIF_DPC_RX_GNT_ERR, 1);
			xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN, "%s: RX grant copy failed (status %d): packet dropped",
					     q->name, q->segs[it->seg_first].status);
		} else {
			xvif_cnt_add(&q->cnt, XVIF_DPC_RX_PACKETS, 1);
			xvif_cnt_add(&q->cnt, XVIF_DPC_RX_BYTES, it->pkt->p.len);
		}
		xvif_rx_responses(&it->plan, &it->pkt->p, it->req_id, override, rsp);
		for (k = 0; k < it->plan.nr_slots; k++)
			*RING_GET_RESPONSE(&q->rx, q->rx.rsp_prod_pvt++) = rsp[k];
		free(it->pkt);
		it->pkt = NULL;
	}
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		xvif_dp_notify(q, q->port_rx);
}

/* Build the grant-copy segments of one planned packet into requests
 * @req[0..plan.nr_slots). */
static void rx_stage(struct xvif_dp_queue *q, struct xvif_dp_rx_item *it, const xvif_rx_req_t *req,
		     unsigned int *nsegs)
{
	unsigned int extras = it->plan.gso_extra + it->plan.hash_extra, d;

	it->seg_first = *nsegs;
	it->seg_n = 0;
	for (d = 0; d < it->plan.nr_data; d++) {
		/* Slot order: first data slot, extras, then the other data slots. */
		const xvif_rx_req_t *r = &req[d == 0 ? 0 : extras + d];
		xvif_gcopy_seg_t *g = &q->segs[*nsegs + it->seg_n++];

		memset(g, 0, sizeof(*g));
		g->source.virt = it->pkt->data + it->plan.seg[d].pkt_off;
		g->dest.foreign.ref = r->gref;
		g->dest.foreign.offset = it->plan.seg[d].offset;
		g->dest.foreign.domid = q->vif->cfg.domid;
		g->len = it->plan.seg[d].len;
		g->flags = GNTCOPY_dest_gref;
	}
	*nsegs += it->seg_n;
}

bool xvif_dp_rx_deliver(struct xvif_dp_queue *q)
{
	const struct xvif_fe_config *fe = &q->vif->cfg.fe;
	struct xvif_rx_features f;
	unsigned int budget = XVIF_DP_RX_BUDGET, rechecks = 0;
	int avail = 0;

	if (xvif_dp_is_broken(q))
		return false;
	pthread_mutex_lock(&q->inbox_lock);
	fifo_splice(&q->rxq, &q->inbox);
	pthread_mutex_unlock(&q->inbox_lock);
	xvif_dp_snapshot_refresh(q);
	f.sg = fe->sg;
	f.gso_tcpv4 = fe->gso_tcpv4;
	f.gso_tcpv6 = fe->gso_tcpv6;
	f.xdp_headroom = __atomic_load_n(&q->vif->xdp_headroom, __ATOMIC_RELAXED);
	f.hash_extra = q->snap.hashing;

	while (budget > 0 && q->rxq.head) {
		unsigned int used = 0, nitems = 0, nsegs = 0, need = 0;

		avail = xvif_dp_rx_avail(q);
		if (avail < 0)
			return false;
		while (q->rxq.head && nitems < budget) {
			struct xvif_dp_rx_item *it = &q->rx_items[nitems];
			xvif_rx_req_t req[XVIF_RX_SLOTS_MAX + 2];
			enum xvif_rx_reason reason;
			unsigned int s;

			if (xvif_rx_plan(&q->rxq.head->p, &f, &it->plan, &reason) < 0) {
				xvif_cnt_inc_u64(&q->cnt.rx_drop[reason]);
				xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN, "%s: RX packet of %u bytes dropped: %s",
						     q->name, q->rxq.head->p.len, xvif_rx_reason_name(reason));
				free(fifo_pop(&q->rxq));
				if (--budget == 0)
					break;
				continue;
			}
			if (used + it->plan.nr_slots > (unsigned int)avail) {
				need = it->plan.nr_slots; /* counted from req_cons after this pass */
				break;
			}
			if (nsegs + it->plan.nr_data > XVIF_DP_GCOPY_MAX)
				break;
			/* Copy each request out once: its id and gref are used
			 * from the copy only. */
			for (s = 0; s < it->plan.nr_slots; s++) {
				RING_COPY_REQUEST(&q->rx, q->rx.req_cons + used + s, &req[s]);
				it->req_id[s] = req[s].id;
			}
			it->pkt = fifo_pop(&q->rxq);
			rx_stage(q, it, req, &nsegs);
			used += it->plan.nr_slots;
			nitems++;
		}
		q->rx.req_cons += used;
		rx_flush(q, nitems, nsegs);
		budget -= nitems;
		if (need) {
			/* Ask for an event once the frontend has posted enough
			 * buffers for the head packet, then look once more. */
			uint32_t prod;

			q->rx.sring->req_event = q->rx.req_cons + need;
			xen_mb(); /* req_event visible /before/ we re-read req_prod */
			prod = *(volatile uint32_t *)&q->rx.sring->req_prod;
			if (prod - q->rx.req_cons < need || prod - q->rx.req_cons > RING_SIZE(&q->rx) ||
			    ++rechecks > 2)
				break;
		} else if (nitems == 0) {
			break;
		}
	}
	q->rx_need_event = q->rxq.head != NULL;
	{
		uint32_t posted = *(volatile uint32_t *)&q->rx.sring->req_prod - q->rx.req_cons;

		__atomic_store_n(&q->rx_ring_free, posted > RING_SIZE(&q->rx) ? 0 : posted, __ATOMIC_RELAXED);
	}
	update_queued(q);
	if (budget == 0 && q->rxq.head) {
		xvif_cnt_add(&q->cnt, XVIF_DPC_BUDGET_EXHAUSTED, 1);
		return true;
	}
	return false;
}
