// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest RX: TAP -> per-queue FIFO -> grant copy into posted guest buffers.
 *
 *   readv(TAP) into a pooled buffer --virtio_net_hdr--> xvif_rx_params
 *   --multicast filter, hash--> FIFO of the queue the hash mapping names
 *   (steering) --xvif_rx_plan--> segments of one gnt_copy per pass -->
 *   responses --> push (whole packets only) --> one notify per wake-up
 *
 * No copy in user space: the grant copy reads each packet from the buffer
 * the TAP read filled (only frames between 2 and 16 KiB are copied once, to
 * buffers of their own size; see XVIF_DP_RX_SMALL_ALLOC). Buffers are
 * recycled through a per-queue pool.
 *
 * The FIFO is bounded in bytes (XVIF_DP_RX_QUEUE_BYTES) and packets
 * (XVIF_DP_RX_QUEUE_PKTS): while it is full the worker stops reading its
 * TAP, so a guest that stops posting buffers costs us a bounded amount of
 * memory. Packets that waited longer than
 * XVIF_DP_RX_STALL_USEC are dropped (the stall timer).
 */
#include <errno.h>
#include <linux/virtio_net.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
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

/* Data bytes a small buffer holds, and a big one (a whole TAP message but
 * its virtio_net_hdr). */
#define RX_SMALL_CAP (XVIF_DP_RX_SMALL_ALLOC - sizeof(struct xvif_rx_pkt))
#define RX_BIG_CAP (XVIF_DP_TAP_MSG_MAX - sizeof(struct virtio_net_hdr))

static struct xvif_rx_pkt *pkt_new(uint8_t kind, size_t cap)
{
	struct xvif_rx_pkt *p = malloc(sizeof(*p) + cap);

	if (p)
		p->kind = kind;
	return p;
}

/* A buffer of @kind: from the pool, else from malloc. */
static struct xvif_rx_pkt *pool_get(struct xvif_dp_queue *q, uint8_t kind)
{
	struct xvif_rx_pool *pl = &q->rx_pool;
	struct xvif_rx_pkt *p;

	if (kind == XVIF_RX_BUF_SMALL && pl->small) {
		p = pl->small;
		pl->small = p->next;
		pl->n_small--;
		return p;
	}
	if (kind == XVIF_RX_BUF_BIG && pl->big) {
		p = pl->big;
		pl->big = p->next;
		pl->n_big--;
		return p;
	}
	return pkt_new(kind, kind == XVIF_RX_BUF_SMALL ? RX_SMALL_CAP : RX_BIG_CAP);
}

/* Done with @p (delivered or dropped): back to @q's pool while it has room. */
static void pkt_free(struct xvif_dp_queue *q, struct xvif_rx_pkt *p)
{
	struct xvif_rx_pool *pl = &q->rx_pool;

	if (!p)
		return;
	if (p->kind == XVIF_RX_BUF_SMALL && pl->n_small < XVIF_DP_RX_POOL_SMALL) {
		p->next = pl->small;
		pl->small = p;
		pl->n_small++;
	} else if (p->kind == XVIF_RX_BUF_BIG && pl->n_big < XVIF_DP_RX_POOL_BIG) {
		p->next = pl->big;
		pl->big = p;
		pl->n_big++;
	} else {
		free(p);
	}
}

static void pool_drain(struct xvif_rx_pkt **list)
{
	while (*list) {
		struct xvif_rx_pkt *p = *list;

		*list = p->next;
		free(p);
	}
}

int xvif_dp_rx_alloc(struct xvif_dp_queue *q)
{
	q->rx_items = calloc(XVIF_DP_RX_BUDGET, sizeof(*q->rx_items));
	q->rx_spare_small = pkt_new(XVIF_RX_BUF_SMALL, RX_SMALL_CAP);
	q->rx_spare_big = pkt_new(XVIF_RX_BUF_BIG, RX_BIG_CAP);
	if (!q->rx_items || !q->rx_spare_small || !q->rx_spare_big) {
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

/* The head of @q's own FIFO, keeping rx_unstamped on a queued packet. */
static struct xvif_rx_pkt *rxq_pop(struct xvif_dp_queue *q)
{
	struct xvif_rx_pkt *p = fifo_pop(&q->rxq);

	if (p && p == q->rx_unstamped)
		q->rx_unstamped = q->rxq.head; /* what followed it: unstamped too */
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
	unsigned int i;

	fifo_free(&q->rxq);
	fifo_free(&q->inbox);
	q->rx_unstamped = NULL;
	if (q->rx_items)
		for (i = 0; i < XVIF_DP_RX_BUDGET; i++)
			free(q->rx_items[i].pkt); /* NULL between passes */
	free(q->rx_items);
	q->rx_items = NULL;
	free(q->rx_spare_small);
	free(q->rx_spare_big);
	q->rx_spare_small = q->rx_spare_big = NULL;
	pool_drain(&q->rx_pool.small);
	pool_drain(&q->rx_pool.big);
	q->rx_pool.n_small = q->rx_pool.n_big = 0;
}

bool xvif_dp_rx_has_room(const struct xvif_dp_queue *q)
{
	return q->rxq.bytes < XVIF_DP_RX_QUEUE_BYTES && q->rxq.n < XVIF_DP_RX_QUEUE_PKTS;
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

/* Classify one packet read from the TAP and queue it; takes ownership.
 * The caller refreshed q->snap. */
static void rx_accept(struct xvif_dp_queue *q, struct xvif_rx_pkt *pkt)
{
	struct xvif_dp_vif *vif = q->vif;
	struct xvif_dp_queue *t = q;

	if (vif->cfg.fe.multicast_control && is_multicast(pkt->data) &&
	    !xvif_dp_mcast_allowed(&q->snap, pkt->data)) {
		xvif_cnt_add(&q->cnt, XVIF_DPC_RX_MCAST_FILTERED, 1);
		pkt_free(q, pkt);
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
	if (t == q) {
		/* Stamped at the end of the wake-up if still waiting then. */
		pkt->t_enq = 0;
		fifo_push(&q->rxq, pkt);
		if (!q->rx_unstamped)
			q->rx_unstamped = pkt;
		return;
	}
	pkt->t_enq = xvif_dp_now(q);
	/* Steered to another queue: its inbox, bounded like its FIFO. */
	pthread_mutex_lock(&t->inbox_lock);
	if (t->inbox.bytes + pkt->p.len > XVIF_DP_RX_QUEUE_BYTES || t->inbox.n >= XVIF_DP_RX_QUEUE_PKTS ||
	    xvif_dp_is_broken(t)) {
		pthread_mutex_unlock(&t->inbox_lock);
		xvif_cnt_add(&q->cnt, XVIF_DPC_RX_QUEUE_FULL, 1);
		pkt_free(q, pkt);
		return;
	}
	fifo_push(&t->inbox, pkt);
	pthread_mutex_unlock(&t->inbox_lock);
	xvif_cnt_add(&q->cnt, XVIF_DPC_RX_STEERED, 1);
	xvif_dp_queue_wake(t);
}

/*
 * Read one TAP message straight into buffers: the virtio_net_hdr, then the
 * spare small buffer, then the spare big one past the small one's share.
 * Returns the packet (the spare it used is replaced), NULL after counting a
 * drop, or sets *@stop (nothing more to read now).
 */
static struct xvif_rx_pkt *rx_read_one(struct xvif_dp_queue *q, struct virtio_net_hdr *vh, bool *stop)
{
	struct xvif_rx_pkt *s = q->rx_spare_small, *b = q->rx_spare_big, *pkt;
	const size_t vlen = sizeof(*vh);
	struct iovec iov[3];
	ssize_t r;
	size_t len;

	if (!s || !b) {
		/* A replacement failed to allocate last time: try again. */
		if (!s)
			s = q->rx_spare_small = pool_get(q, XVIF_RX_BUF_SMALL);
		if (!b)
			b = q->rx_spare_big = pool_get(q, XVIF_RX_BUF_BIG);
		if (!s || !b) {
			*stop = true; /* out of memory: leave it in the TAP for now */
			return NULL;
		}
	}
	iov[0].iov_base = vh;
	iov[0].iov_len = vlen;
	iov[1].iov_base = s->data;
	iov[1].iov_len = RX_SMALL_CAP;
	iov[2].iov_base = b->data + RX_SMALL_CAP;
	iov[2].iov_len = RX_BIG_CAP - RX_SMALL_CAP;
	do
		r = readv(q->tap_fd, iov, 3);
	while (r < 0 && errno == EINTR);
	if (r <= 0) {
		if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			xvif_cnt_add(&q->cnt, XVIF_DPC_RX_TAP_ERR, 1);
			xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN, "%s: TAP read: %s", q->name, strerror(errno));
		}
		*stop = true;
		return NULL;
	}
	if ((size_t)r < vlen + XVIF_ETH_HLEN) {
		xvif_cnt_inc_u64(&q->cnt.rx_drop[XVIF_RXR_TOO_SHORT]);
		return NULL;
	}
	if ((size_t)r > vlen + RX_BIG_CAP) {
		/* More than we offered room for (a TAP reports the whole
		 * length of a truncated message). */
		xvif_cnt_inc_u64(&q->cnt.rx_drop[XVIF_RXR_TOO_BIG]);
		return NULL;
	}
	len = (size_t)r - vlen;
	if (len <= RX_SMALL_CAP) {
		pkt = s;
		q->rx_spare_small = pool_get(q, XVIF_RX_BUF_SMALL);
	} else if (len >= XVIF_DP_RX_BIG_MIN) {
		memcpy(b->data, s->data, RX_SMALL_CAP); /* the small buffer's share */
		pkt = b;
		q->rx_spare_big = pool_get(q, XVIF_RX_BUF_BIG);
	} else {
		pkt = pkt_new(XVIF_RX_BUF_EXACT, len);
		if (!pkt) {
			xvif_cnt_add(&q->cnt, XVIF_DPC_RX_QUEUE_FULL, 1);
			return NULL;
		}
		memcpy(pkt->data, s->data, RX_SMALL_CAP);
		memcpy(pkt->data + RX_SMALL_CAP, b->data + RX_SMALL_CAP, len - RX_SMALL_CAP);
	}
	pkt->next = NULL;
	memset(&pkt->p, 0, sizeof(pkt->p));
	pkt->p.len = (uint32_t)len;
	return pkt;
}

bool xvif_dp_rx_read_tap(struct xvif_dp_queue *q)
{
	unsigned int n = 0;

	if (xvif_dp_is_broken(q))
		return false;
	/* One settings check per batch, not per packet. */
	xvif_dp_snapshot_refresh(q);
	while (n < XVIF_DP_RX_BUDGET && xvif_dp_rx_has_room(q)) {
		struct virtio_net_hdr vh;
		struct xvif_rx_pkt *pkt;
		bool stop = false;

		pkt = rx_read_one(q, &vh, &stop);
		if (stop)
			break;
		n++;
		if (!pkt)
			continue;
		if (rx_from_vnet(q, &vh, pkt) < 0) {
			xvif_cnt_add(&q->cnt, XVIF_DPC_RX_BAD_VNET, 1);
			xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN,
					     "%s: TAP packet with virtio_net_hdr flags %#x gso %#x not deliverable: dropped",
					     q->name, vh.flags, vh.gso_type);
			pkt_free(q, pkt);
			continue;
		}
		rx_accept(q, pkt);
	}
	update_queued(q);
	return n == XVIF_DP_RX_BUDGET;
}

void xvif_dp_rx_expire(struct xvif_dp_queue *q)
{
	uint64_t now;

	if (!q->rxq.head)
		return;
	/* Every waiting packet was stamped at the end of the wake-up that
	 * read it (or by the queue that steered it here). */
	now = xvif_dp_now(q);
	while (q->rxq.head && now - q->rxq.head->t_enq >= XVIF_DP_RX_STALL_USEC) {
		pkt_free(q, rxq_pop(q));
		xvif_cnt_add(&q->cnt, XVIF_DPC_RX_STALL_DROP, 1);
		xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN,
				     "%s: guest posted no RX buffers for %u s: queued packet dropped", q->name,
				     XVIF_DP_RX_STALL_USEC / 1000000u);
	}
	update_queued(q);
}

void xvif_dp_rx_stamp(struct xvif_dp_queue *q)
{
	struct xvif_rx_pkt *p = q->rx_unstamped;
	uint64_t now;

	q->rx_unstamped = NULL;
	if (!p)
		return;
	now = xvif_dp_now(q);
	/* From the first unstamped one to the tail; packets spliced in from
	 * the inbox meanwhile carry their own stamp. */
	for (; p; p = p->next)
		if (!p->t_enq)
			p->t_enq = now;
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
	/* q->segs[0..tx_pend_segs) are the pending TX pass's: one call. */
	xvif_dp_gcopy(q, q->segs, nsegs);
	xvif_dp_tx_complete(q, true);
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
		pkt_free(q, it->pkt);
		it->pkt = NULL;
	}
	/* A pass ends on a packet boundary: every packet staged above has all
	 * its responses written, so rsp_prod never splits a packet. */
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		q->notify_rx = true; /* sent once, at the end of the wake-up */
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

	/* The pending TX pass shares the first call unless it leaves too
	 * little room for this direction. */
	if (q->tx_pend_segs > XVIF_DP_GCOPY_MAX / 2 || !q->rxq.head)
		xvif_dp_tx_complete(q, false);
	while (budget > 0 && q->rxq.head) {
		unsigned int used = 0, nitems = 0, nsegs = q->tx_pend_segs, need = 0;

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
				pkt_free(q, rxq_pop(q));
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
			it->pkt = rxq_pop(q);
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
