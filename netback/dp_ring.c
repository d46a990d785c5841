// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ring access: mapping the frontend's ring pages, reading its producer
 * indexes once and checking them (XSA-39), the per-queue broken flag, and
 * the two hypervisor calls every direction uses (grant copy, notify).
 *
 * The shared page is hostile: the frontend may rewrite any of it at any
 * time. Producer indexes are read once with a volatile load, checked, and
 * followed by a read barrier before any request is copied out.
 *
 * Where the indices live, and the invariant a restart relies on: our
 * req_cons and rsp_prod_pvt are private (this process's memory); only
 * sring->rsp_prod is shared. The data path pushes responses only at packet
 * boundaries, once per pass, after every request of the pass has its
 * response (dp_tx.c tx_flush, dp_rx.c rx_flush, dp_ctrl.c): between passes
 * req_cons == rsp_prod_pvt == sring->rsp_prod on every ring. A new daemon
 * adopting a ring (cfg.adopt: restart, upgrade, SIGKILL) therefore attaches
 * at sring->rsp_prod. Requests the old process had consumed but not yet
 * answered (killed mid-pass) are taken again: a TX packet may reach the TAP
 * twice, an RX buffer is simply filled again. Keep responses at packet
 * boundaries, or adoption breaks.
 * One window stays: a SIGKILL after a pass wrote some responses into the
 * ring but before it pushed rsp_prod. Responses share slots with requests,
 * so those slots now hold a response over the start of the request (the
 * gref): the new daemon re-reads them as requests, the grant copy of such
 * a chain usually fails (answered with an error, the packet is lost), and
 * if the leftover value happens to be a gref the guest granted us, a
 * garbled packet of the guest's own memory would be sent (TX) or an RX
 * buffer of the guest filled early. TX guards against it: a response
 * overwrites only the gref (bytes 0-3: id, status) and leaves the request's
 * own id (bytes 8-9), so a slot before the req_prod seen at adoption whose
 * "gref" is that id and a response status is taken for a leftover response
 * and its packet dropped (dp_tx.c tx_stale_slot; a real request that looks
 * so costs one packet, and only then). RX leftovers make a "gref" of
 * (status << 16 | flags), a packet length of 60 or more shifted 16 bits up,
 * far past any grant table, so their copies fail. Every slot still gets
 * exactly one response; a
 * hand-over exit (SIGTERM) never stops a pass midway, so only a crash or
 * SIGKILL can hit this (tests/test_dp_vif.c adopt_after_unpushed_responses).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dp_int.h"

static uint32_t read_once_u32(const volatile uint32_t *p)
{
	return *p;
}

void xvif_dp_break(struct xvif_dp_queue *q, const char *fmt, ...)
{
	va_list ap;

	if (xvif_dp_is_broken(q))
		return;
	va_start(ap, fmt);
	vsnprintf(q->broken_why, sizeof(q->broken_why), fmt, ap);
	va_end(ap);
	/* why first, /then/ the flag: a reader that sees broken sees why. */
	__atomic_store_n(&q->broken, true, __ATOMIC_RELEASE);
	xvif_log(XVIF_LOG_ERR, "%s: queue broken: %s", q->name, q->broken_why);
	if (q->vif->cfg.on_broken)
		q->vif->cfg.on_broken(q->vif->cfg.on_broken_arg, q->id, q->broken_why);
}

static const char *key_name(const struct xvif_dp_queue *q, const char *key, char *buf, size_t len)
{
	if (q->vif->cfg.fe.queue_dirs)
		snprintf(buf, len, "queue-%u/%s", q->id, key);
	else
		snprintf(buf, len, "%s", key);
	return buf;
}

int xvif_dp_ring_map(struct xvif_dp_queue *q, char *err, size_t errlen)
{
	struct xvif_dp_vif *vif = q->vif;
	const struct xvif_fe_queue *fq = &vif->cfg.fe.queue[q->id];
	xvif_tx_sring_t *txs;
	xvif_rx_sring_t *rxs;
	uint32_t req, rsp;
	char key[48];

	q->tx_page = vif->ops->gnt_map(vif->gnt, vif->cfg.domid, fq->tx_ring_ref);
	if (!q->tx_page) {
		snprintf(err, errlen, "queue-%u: cannot map %s %u: %s", q->id,
			 key_name(q, "tx-ring-ref", key, sizeof(key)), fq->tx_ring_ref, strerror(errno));
		return -EIO;
	}
	q->rx_page = vif->ops->gnt_map(vif->gnt, vif->cfg.domid, fq->rx_ring_ref);
	if (!q->rx_page) {
		snprintf(err, errlen, "queue-%u: cannot map %s %u: %s", q->id,
			 key_name(q, "rx-ring-ref", key, sizeof(key)), fq->rx_ring_ref, strerror(errno));
		return -EIO;
	}

	/* Attach where the frontend is (it may have used the ring before a
	 * reconnect, or an earlier run of the daemon served it: see the top of
	 * this file), and refuse a producer already more than a ring ahead
	 * (or behind rsp_prod). A fresh connect fails the start; an adopted
	 * ring marks the queue broken instead (the control plane then closes
	 * the vif the usual way, with the reason in its `error` node). */
	txs = q->tx_page;
	rsp = read_once_u32(&txs->rsp_prod);
	req = read_once_u32(&txs->req_prod);
	BACK_RING_ATTACH(&q->tx, txs, rsp, XVIF_PAGE_SIZE);
	q->tx_adopt_guard = vif->cfg.adopt && req != rsp;
	q->tx_adopt_end = req;
	if (req - rsp > RING_SIZE(&q->tx)) {
		snprintf(err, errlen, "queue-%u: %s: req_prod %u is more than a ring ahead of rsp_prod %u", q->id,
			 key_name(q, "tx-ring-ref", key, sizeof(key)), req, rsp);
		goto bad_index;
	}
	rxs = q->rx_page;
	rsp = read_once_u32(&rxs->rsp_prod);
	req = read_once_u32(&rxs->req_prod);
	BACK_RING_ATTACH(&q->rx, rxs, rsp, XVIF_PAGE_SIZE);
	if (req - rsp > RING_SIZE(&q->rx)) {
		snprintf(err, errlen, "queue-%u: %s: req_prod %u is more than a ring ahead of rsp_prod %u", q->id,
			 key_name(q, "rx-ring-ref", key, sizeof(key)), req, rsp);
		goto bad_index;
	}
	return 0;
bad_index:
	if (!vif->cfg.adopt)
		return -EPROTO;
	xvif_dp_break(q, "at adoption: %s", err);
	xvif_cnt_add(&q->cnt, XVIF_DPC_RING_ERR, 1);
	return 0;
}

void xvif_dp_ring_unmap(struct xvif_dp_queue *q)
{
	struct xvif_dp_vif *vif = q->vif;

	if (q->tx_page)
		vif->ops->gnt_unmap(vif->gnt, q->tx_page);
	if (q->rx_page)
		vif->ops->gnt_unmap(vif->gnt, q->rx_page);
	q->tx_page = q->rx_page = NULL;
}

int xvif_dp_ctrl_map(struct xvif_dp_vif *vif, char *err, size_t errlen)
{
	xen_netif_ctrl_sring_t *s;
	uint32_t req, rsp;

	vif->ctrl_page = vif->ops->gnt_map(vif->gnt, vif->cfg.domid, vif->cfg.fe.ctrl_ring_ref);
	if (!vif->ctrl_page) {
		snprintf(err, errlen, "cannot map ctrl-ring-ref %u: %s", vif->cfg.fe.ctrl_ring_ref, strerror(errno));
		return -EIO;
	}
	s = vif->ctrl_page;
	rsp = read_once_u32(&s->rsp_prod);
	req = read_once_u32(&s->req_prod);
	BACK_RING_ATTACH(&vif->ctrl, s, rsp, XVIF_PAGE_SIZE);
	if (req - rsp > RING_SIZE(&vif->ctrl)) {
		snprintf(err, errlen, "ctrl-ring-ref: req_prod %u is more than a ring ahead of rsp_prod %u", req, rsp);
		if (!vif->cfg.adopt)
			return -EPROTO;
		/* Adopted: queue 0 (initialised already, it serves this
		 * ring) breaks, and with it the vif. */
		xvif_dp_break(&vif->q[0], "at adoption: %s", err);
	}
	return 0;
}

void xvif_dp_ctrl_unmap(struct xvif_dp_vif *vif)
{
	if (vif->ctrl_page)
		vif->ops->gnt_unmap(vif->gnt, vif->ctrl_page);
	vif->ctrl_page = NULL;
}

/*
 * The checks shared by every ring: @prod may be at most RING_SIZE past the
 * responses we produced (RING_REQUEST_PROD_OVERFLOW) and never behind the
 * requests we consumed. Returns prod - cons, or -1 after breaking @q.
 */
static int check_prod(struct xvif_dp_queue *q, const char *ring, uint32_t prod, uint32_t cons,
		      uint32_t rsp_prod_pvt, uint32_t size)
{
	if ((int32_t)(prod - cons) < 0) {
		xvif_dp_break(q, "%s ring: req_prod %u moved behind req_cons %u", ring, prod, cons);
		return -1;
	}
	if (prod - rsp_prod_pvt > size) {
		xvif_dp_break(q, "%s ring: req_prod %u is more than %u ahead of rsp_prod %u", ring, prod, size,
			      rsp_prod_pvt);
		return -1;
	}
	return (int)(prod - cons);
}

int xvif_dp_tx_avail(struct xvif_dp_queue *q)
{
	uint32_t prod = read_once_u32(&q->tx.sring->req_prod);
	int n;

	xen_rmb(); /* read req_prod /then/ the requests it covers */
	n = check_prod(q, "tx", prod, q->tx.req_cons, q->tx.rsp_prod_pvt, RING_SIZE(&q->tx));
	if (n < 0)
		xvif_cnt_add(&q->cnt, XVIF_DPC_RING_ERR, 1);
	return n;
}

int xvif_dp_rx_avail(struct xvif_dp_queue *q)
{
	uint32_t prod = read_once_u32(&q->rx.sring->req_prod);
	int n;

	xen_rmb();
	n = check_prod(q, "rx", prod, q->rx.req_cons, q->rx.rsp_prod_pvt, RING_SIZE(&q->rx));
	if (n < 0)
		xvif_cnt_add(&q->cnt, XVIF_DPC_RING_ERR, 1);
	return n;
}

int xvif_dp_gcopy(struct xvif_dp_queue *q, xvif_gcopy_seg_t *segs, unsigned int n)
{
	unsigned int i;

	if (n == 0)
		return 0;
	xvif_cnt_add(&q->cnt, XVIF_DPC_GNT_COPY_CALLS, 1);
	xvif_cnt_add(&q->cnt, XVIF_DPC_GNT_COPY_SEGS, n);
	if (q->vif->ops->gnt_copy(q->vif->gnt, segs, n) == 0)
		return 0;
	xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN, "%s: grant copy of %u segments failed: %s", q->name, n,
			     strerror(errno));
	for (i = 0; i < n; i++)
		segs[i].status = GNTST_general_error;
	return -1;
}

void xvif_dp_notify(struct xvif_dp_queue *q, uint32_t port)
{
	xvif_cnt_add(&q->cnt, XVIF_DPC_NOTIFY, 1);
	if (q->vif->ops->evt_notify(q->evt, port) < 0)
		xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN, "%s: notify port %u: %s", q->name, port,
				     strerror(errno));
}
