// SPDX-License-Identifier: GPL-2.0-only
/* The test-played frontend of fake_front.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fake_front.h"
#include "hdr.h"

bool ff_watchdog = true;

struct ff_opts ff_default_opts(void)
{
	struct ff_opts o = { .nq = 1, .sg = true, .gso4 = true, .gso6 = true, .ipv6_csum = true };

	return o;
}

static void on_broken(void *arg, unsigned int queue, const char *why)
{
	struct ff *ff = arg;

	__atomic_add_fetch(&ff->broken_calls, 1, __ATOMIC_RELEASE);
	snprintf(ff->broken_why, sizeof(ff->broken_why), "q%u: %s", queue, why);
}

uint32_t ff_gref(struct ff *ff)
{
	uint32_t g = ff->next_gref++;

	if (ff->next_gref >= FAKE_GNT_PAGES)
		ff->next_gref = FF_BUF_GREF;
	fake_gnt_set(&ff->fx, g, FAKE_GNT_VALID);
	ff->fx.readonly[g] = false;
	return g;
}

void ff_prepare(struct ff *ff, const struct ff_opts *o)
{
	struct xvif_fe_config *fe = &ff->cfg.fe;
	unsigned int i;

	memset(ff, 0, sizeof(*ff));
	ff->o = *o;
	/* A hung engine fails the test binary (SIGALRM) instead of hanging
	 * the check: no test comes near this. */
	if (ff_watchdog)
		alarm(FF_HANG_SECONDS);
	if (fake_xen_init(&ff->fx, FF_DOMID) < 0)
		abort();
	ff->next_gref = FF_BUF_GREF;
	ff->cfg.domid = FF_DOMID;
	ff->cfg.devid = 0;
	ff->cfg.name = "xvif7.0";
	ff->cfg.mtu = 1500;
	ff->cfg.have_rate = o->have_rate;
	ff->cfg.rate_bytes = o->rate_bytes;
	ff->cfg.rate_usec = o->rate_usec;
	ff->cfg.on_broken = on_broken;
	ff->cfg.on_broken_arg = ff;
	fe->num_queues = o->nq;
	fe->queue_dirs = o->nq > 1;
	fe->rx_copy = true;
	fe->rx_notify = true;
	fe->sg = o->sg;
	fe->gso_tcpv4 = o->gso4;
	fe->gso_tcpv6 = o->gso6;
	fe->ipv6_csum = o->ipv6_csum;
	fe->no_csum_offload = o->no_csum;
	fe->multicast_control = o->mcast;
	fe->xdp_headroom = o->xdp;
	for (i = 0; i < o->nq; i++) {
		struct ff_queue *q = &ff->q[i];
		void *txs, *rxs;

		q->tx_ref = 1 + 2 * i;
		q->rx_ref = 2 + 2 * i;
		fake_gnt_set(&ff->fx, q->tx_ref, FAKE_GNT_VALID);
		fake_gnt_set(&ff->fx, q->rx_ref, FAKE_GNT_VALID);
		txs = fake_gnt_page(&ff->fx, q->tx_ref);
		rxs = fake_gnt_page(&ff->fx, q->rx_ref);
		SHARED_RING_INIT((xvif_tx_sring_t *)txs);
		FRONT_RING_INIT(&q->tx, (xvif_tx_sring_t *)txs, XVIF_PAGE_SIZE);
		SHARED_RING_INIT((xvif_rx_sring_t *)rxs);
		FRONT_RING_INIT(&q->rx, (xvif_rx_sring_t *)rxs, XVIF_PAGE_SIZE);
		q->evt_tx = 100 + 2 * i;
		q->evt_rx = o->split ? 101 + 2 * i : q->evt_tx;
		fe->queue[i].tx_ring_ref = q->tx_ref;
		fe->queue[i].rx_ring_ref = q->rx_ref;
		fe->queue[i].evtchn_tx = q->evt_tx;
		fe->queue[i].evtchn_rx = q->evt_rx;
		fe->queue[i].split = o->split;
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, q->sock) < 0)
			abort();
		fcntl(q->sock[0], F_SETFL, O_NONBLOCK);
		fcntl(q->sock[1], F_SETFL, O_NONBLOCK);
		ff->cfg.tap_fd[i] = q->sock[0];
	}
	if (o->ctrl) {
		void *cs = fake_gnt_page(&ff->fx, FF_CTRL_GREF);

		fake_gnt_set(&ff->fx, FF_CTRL_GREF, FAKE_GNT_VALID);
		SHARED_RING_INIT((xen_netif_ctrl_sring_t *)cs);
		FRONT_RING_INIT(&ff->ctrl, (xen_netif_ctrl_sring_t *)cs, XVIF_PAGE_SIZE);
		fe->ctrl_ring = true;
		fe->ctrl_ring_ref = FF_CTRL_GREF;
		fe->evtchn_ctrl = 99;
	}
}

int ff_start_prepared(struct ff *ff)
{
	ff->start_ret = xvif_dp_vif_start_ops(&ff->cfg, &fake_xen_ops, &ff->fx, ff->o.threads, &ff->vif, ff->err,
					      sizeof(ff->err));
	return ff->start_ret;
}

int ff_start(struct ff *ff, const struct ff_opts *o)
{
	ff_prepare(ff, o);
	return ff_start_prepared(ff);
}

void ff_stop(struct ff *ff)
{
	unsigned int i;

	xvif_dp_vif_stop(ff->vif);
	ff->vif = NULL;
	for (i = 0; i < ff->o.nq; i++) {
		close(ff->q[i].sock[0]);
		close(ff->q[i].sock[1]);
	}
	if (ff->fx.maps != 0 || ff->fx.binds != 0 || ff->fx.evt_handles != 0 || ff->fx.gnt_handles != 0) {
		fprintf(stderr, "fake_front: leak after stop: maps %d binds %d evt handles %d gnt handles %d\n",
			ff->fx.maps, ff->fx.binds, ff->fx.evt_handles, ff->fx.gnt_handles);
		abort();
	}
	fake_xen_destroy(&ff->fx);
}

unsigned int ff_run(struct ff *ff, unsigned int qi, unsigned int max)
{
	unsigned int i;

	for (i = 1; i <= max; i++)
		if (!xvif_dp_queue_run(ff->vif, qi))
			break;
	return i > max ? max : i;
}

struct xvif_dp_queue_status ff_status(struct ff *ff, unsigned int qi)
{
	struct xvif_dp_queue_status st;

	memset(&st, 0, sizeof(st));
	xvif_dp_vif_queue_status(ff->vif, qi, &st);
	return st;
}

uint64_t ff_cnt(struct ff *ff, unsigned int qi, enum xvif_dp_counter c)
{
	return ff_status(ff, qi).counters.c[c];
}

xvif_tx_req_t *ff_tx_slot(struct ff *ff, unsigned int qi)
{
	struct ff_queue *q = &ff->q[qi];
	xvif_tx_req_t *r = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt);

	q->tx.req_prod_pvt++;
	memset(r, 0, sizeof(*r));
	return r;
}

unsigned int ff_tx_queue(struct ff *ff, unsigned int qi, const uint8_t *frame, uint32_t len, const struct ff_tx *t)
{
	struct ff_queue *q = &ff->q[qi];
	unsigned int n = t && t->nslots ? t->nslots : 1, i, used = 0;
	uint32_t lens[64], rest = 0, off;
	bool gso = t && t->gso_type;
	xvif_tx_req_t *r;

	if (n > 64)
		n = 64;
	for (i = 1; i < n; i++) {
		lens[i] = t->slot_len ? t->slot_len[i - 1] : len / n;
		rest += lens[i];
	}
	lens[0] = len - rest;

	r = ff_tx_slot(ff, qi);
	used++;
	r->gref = ff_gref(ff);
	r->offset = t ? t->first_off : 0;
	r->size = (uint16_t)len;
	r->id = q->tx_id++ % RING_SIZE(&q->tx);
	r->flags = (t ? t->flags : 0) | (n > 1 ? XEN_NETTXF_more_data : 0) | (gso ? XEN_NETTXF_extra_info : 0);
	if ((uint64_t)lens[0] + r->offset <= FAKE_PAGE && lens[0] <= len)
		memcpy(fake_gnt_page(&ff->fx, r->gref) + r->offset, frame, lens[0]);
	off = lens[0];
	if (gso) {
		xvif_extra_t ex;

		memset(&ex, 0, sizeof(ex));
		ex.type = XEN_NETIF_EXTRA_TYPE_GSO;
		ex.u.gso.type = t->gso_type;
		ex.u.gso.size = t->gso_size;
		memcpy(ff_tx_slot(ff, qi), &ex, sizeof(ex));
		used++;
	}
	for (i = 1; i < n; i++) {
		r = ff_tx_slot(ff, qi);
		used++;
		r->gref = ff_gref(ff);
		r->offset = 0;
		r->size = (uint16_t)lens[i];
		r->id = q->tx_id++ % RING_SIZE(&q->tx);
		r->flags = i + 1 < n ? XEN_NETTXF_more_data : 0;
		if (lens[i] <= FAKE_PAGE && (uint64_t)off + lens[i] <= len)
			memcpy(fake_gnt_page(&ff->fx, r->gref), frame + off, lens[i]);
		off += lens[i];
	}
	return used;
}

void ff_tx_push(struct ff *ff, unsigned int qi)
{
	struct ff_queue *q = &ff->q[qi];
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		fake_evt_raise(&ff->fx, q->evt_tx);
}

unsigned int ff_tx_rsp(struct ff *ff, unsigned int qi, xvif_tx_rsp_t *out, unsigned int max)
{
	struct ff_queue *q = &ff->q[qi];
	unsigned int n = 0;
	int more;

	do {
		RING_IDX prod = q->tx.sring->rsp_prod;

		xen_rmb();
		while (q->tx.rsp_cons != prod) {
			if (n < max)
				out[n] = *RING_GET_RESPONSE(&q->tx, q->tx.rsp_cons);
			n++;
			q->tx.rsp_cons++;
		}
		RING_FINAL_CHECK_FOR_RESPONSES(&q->tx, more);
	} while (more);
	return n;
}

int ff_tap_read(struct ff *ff, unsigned int qi, struct virtio_net_hdr *vh, uint8_t *frame, unsigned int max)
{
	struct iovec iov[2] = { { vh, sizeof(*vh) }, { frame, max } };
	ssize_t n = readv(ff->q[qi].sock[1], iov, 2);

	if (n < (ssize_t)sizeof(*vh))
		return -1;
	return (int)(n - (ssize_t)sizeof(*vh));
}

void ff_rx_post(struct ff *ff, unsigned int qi, unsigned int n)
{
	struct ff_queue *q = &ff->q[qi];
	unsigned int i;
	int notify;

	for (i = 0; i < n; i++) {
		xvif_rx_req_t *r = RING_GET_REQUEST(&q->rx, q->rx.req_prod_pvt);
		uint16_t id = (uint16_t)(q->rx.req_prod_pvt % RING_SIZE(&q->rx));

		q->rx_gref[id] = ff_gref(ff);
		r->id = id;
		r->gref = q->rx_gref[id];
		q->rx.req_prod_pvt++;
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		fake_evt_raise(&ff->fx, q->evt_rx);
}

int ff_tap_write(struct ff *ff, unsigned int qi, const struct virtio_net_hdr *vh, const uint8_t *frame, uint32_t len)
{
	struct virtio_net_hdr zero;
	struct iovec iov[2];

	memset(&zero, 0, sizeof(zero));
	iov[0].iov_base = (void *)(vh ? vh : &zero);
	iov[0].iov_len = sizeof(zero);
	iov[1].iov_base = (void *)frame;
	iov[1].iov_len = len;
	if (writev(ff->q[qi].sock[1], iov, 2) < 0) {
		if (errno == EAGAIN)
			return -1; /* the socket is full, as a TAP queue would be */
		fprintf(stderr, "ff_tap_write: %s\n", strerror(errno));
		abort();
	}
	return 0;
}

int ff_rx_recv(struct ff *ff, unsigned int qi, uint8_t *buf, unsigned int max, struct xvif_rxr_pkt *pkt)
{
	struct ff_queue *q = &ff->q[qi];
	xvif_rx_rsp_t rsp[XVIF_RX_SLOTS_MAX + 2];
	unsigned int avail, i, n, total = 0;
	enum xvif_rxr_verdict v;

	avail = q->rx.sring->rsp_prod - q->rx.rsp_cons;
	xen_rmb();
	if (avail == 0)
		return -1;
	n = avail < XVIF_ARRAY_SIZE(rsp) ? avail : XVIF_ARRAY_SIZE(rsp);
	for (i = 0; i < n; i++)
		rsp[i] = *RING_GET_RESPONSE(&q->rx, q->rx.rsp_cons + i);
	v = xvif_rxr_parse(rsp, avail, RING_SIZE(&q->rx), pkt);
	if (v == XVIF_RXR_FATAL)
		return -2;
	for (i = 0; i < pkt->nr_data; i++) {
		uint32_t start = pkt->seg[i].offset + ff->o.xdp, end = pkt->seg[i].offset + pkt->seg[i].len;
		uint8_t *page = fake_gnt_page(&ff->fx, q->rx_gref[pkt->seg[i].id]);

		if (pkt->error || end < start || end > FAKE_PAGE)
			continue;
		if (total + (end - start) <= max)
			memcpy(buf + total, page + start, end - start);
		total += end - start;
	}
	q->rx.rsp_cons += pkt->nr_slots;
	return (int)total;
}

xvif_ctrl_rsp_t ff_ctrl(struct ff *ff, uint16_t type, uint32_t d0, uint32_t d1, uint32_t d2)
{
	static uint16_t id;
	xvif_ctrl_req_t *r = RING_GET_REQUEST(&ff->ctrl, ff->ctrl.req_prod_pvt);
	xvif_ctrl_rsp_t rsp;
	int notify;

	memset(&rsp, 0, sizeof(rsp));
	r->id = ++id;
	r->type = type;
	r->data[0] = d0;
	r->data[1] = d1;
	r->data[2] = d2;
	ff->ctrl.req_prod_pvt++;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ff->ctrl, notify);
	if (notify)
		fake_evt_raise(&ff->fx, ff->cfg.fe.evtchn_ctrl);
	ff_run(ff, 0, 8);
	if (ff->ctrl.sring->rsp_prod == ff->ctrl.rsp_cons) {
		rsp.status = 0xdead;
		return rsp;
	}
	rsp = *RING_GET_RESPONSE(&ff->ctrl, ff->ctrl.rsp_cons);
	ff->ctrl.rsp_cons++;
	return rsp;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t ip_csum(const uint8_t *p, unsigned int n)
{
	uint32_t s = 0;
	unsigned int i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

uint32_t ff_frame_flow(uint8_t *buf, uint32_t len, int ipver, int l4proto, uint32_t seed, uint32_t flow)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x02 }, src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	uint32_t l3 = 14, l4, l4len = l4proto == XVIF_IPPROTO_TCP ? 20 : l4proto == XVIF_IPPROTO_UDP ? 8 : 0, i;
	struct xvif_hdr h;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed * 131u + i * 7u);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	if (ipver == 4 && len >= l3 + 20 + l4len) {
		put16(buf + 12, XVIF_ETH_P_IP);
		memset(buf + l3, 0, 20);
		buf[l3] = 0x45;
		put16(buf + l3 + 2, (uint16_t)(len - l3));
		buf[l3 + 8] = 64;
		buf[l3 + 9] = (uint8_t)(l4proto ? l4proto : 253);
		buf[l3 + 12] = 10;
		buf[l3 + 15] = (uint8_t)(1 + flow);
		buf[l3 + 14] = (uint8_t)(flow >> 8);
		buf[l3 + 16] = 10;
		buf[l3 + 19] = 2;
		put16(buf + l3 + 10, ip_csum(buf + l3, 20));
		l4 = l3 + 20;
	} else if (ipver == 6 && len >= l3 + 40 + l4len) {
		put16(buf + 12, XVIF_ETH_P_IPV6);
		memset(buf + l3, 0, 40);
		buf[l3] = 0x60;
		put16(buf + l3 + 4, (uint16_t)(len - l3 - 40));
		buf[l3 + 6] = (uint8_t)(l4proto ? l4proto : 253);
		buf[l3 + 7] = 64;
		buf[l3 + 8] = 0xfd;
		buf[l3 + 22] = (uint8_t)(flow >> 8);
		buf[l3 + 23] = (uint8_t)(1 + flow);
		buf[l3 + 24] = 0xfd;
		buf[l3 + 39] = 2;
		l4 = l3 + 40;
	} else {
		put16(buf + 12, 0x88b5); /* local experimental ethertype */
		return len;
	}
	if (l4proto == XVIF_IPPROTO_TCP) {
		memset(buf + l4, 0, 20);
		put16(buf + l4, (uint16_t)(1000 + flow));
		put16(buf + l4 + 2, 80);
		buf[l4 + 12] = 5 << 4;
		buf[l4 + 13] = 0x10;
		put16(buf + l4 + 14, 65535);
	} else if (l4proto == XVIF_IPPROTO_UDP) {
		put16(buf + l4, (uint16_t)(1000 + flow));
		put16(buf + l4 + 2, 53);
		put16(buf + l4 + 4, (uint16_t)(len - l4));
		put16(buf + l4 + 6, 0);
	}
	if (l4proto && xvif_hdr_parse(buf, len, &h) == 0 && h.l4_off)
		xvif_hdr_csum_fill(buf, len, &h);
	return len;
}

uint32_t ff_frame(uint8_t *buf, uint32_t len, int ipver, int l4proto, uint32_t seed)
{
	return ff_frame_flow(buf, len, ipver, l4proto, seed, 0);
}
