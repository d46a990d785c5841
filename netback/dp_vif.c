// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lifetime of a vif's data path: start (map, bind, allocate, spawn one
 * worker per queue), stop (the same, undone; also the error path), the live
 * `rate`, status, and the counters' names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "dp_int.h"

static const char *const counter_names[XVIF_DPC_NR] = {
	[XVIF_DPC_TX_PACKETS] = "tx_packets",
	[XVIF_DPC_TX_BYTES] = "tx_bytes",
	[XVIF_DPC_RX_PACKETS] = "rx_packets",
	[XVIF_DPC_RX_BYTES] = "rx_bytes",
	[XVIF_DPC_TX_GNT_ERR] = "tx_grant_copy_errors",
	[XVIF_DPC_TX_ADOPT_DROP] = "tx_adoption_drops",
	[XVIF_DPC_TX_CSUM_ERR] = "tx_offload_errors",
	[XVIF_DPC_TX_TAP_ERR] = "tx_tap_errors",
	[XVIF_DPC_TX_MCAST_CTRL] = "tx_mcast_ctrl",
	[XVIF_DPC_TX_MCAST_FULL] = "tx_mcast_full",
	[XVIF_DPC_TX_CREDIT_WAIT] = "tx_credit_waits",
	[XVIF_DPC_RX_GNT_ERR] = "rx_grant_copy_errors",
	[XVIF_DPC_RX_QUEUE_FULL] = "rx_queue_full_drops",
	[XVIF_DPC_RX_STALL_DROP] = "rx_stall_drops",
	[XVIF_DPC_RX_MCAST_FILTERED] = "rx_mcast_filtered",
	[XVIF_DPC_RX_STEERED] = "rx_steered",
	[XVIF_DPC_RX_TAP_ERR] = "rx_tap_errors",
	[XVIF_DPC_RX_BAD_VNET] = "rx_bad_vnet_hdr",
	[XVIF_DPC_CTRL_REQUESTS] = "ctrl_requests",
	[XVIF_DPC_WAKEUPS] = "wakeups",
	[XVIF_DPC_BUDGET_EXHAUSTED] = "budget_exhausted",
	[XVIF_DPC_GNT_COPY_CALLS] = "grant_copy_calls",
	[XVIF_DPC_GNT_COPY_SEGS] = "grant_copy_segments",
	[XVIF_DPC_NOTIFY] = "notifications",
	[XVIF_DPC_RING_ERR] = "ring_errors",
	[XVIF_DPC_CTRL_ERR] = "ctrl_errors",
	[XVIF_DPC_EVENTS] = "events",
};

const char *xvif_dp_counter_name(enum xvif_dp_counter c)
{
	return (unsigned int)c < XVIF_DPC_NR && counter_names[c] ? counter_names[c] : "invalid";
}

void xvif_dp_counters_snapshot(const struct xvif_dp_counters *src, struct xvif_dp_counters *dst)
{
	unsigned int i;

	for (i = 0; i < XVIF_DPC_NR; i++)
		dst->c[i] = __atomic_load_n(&src->c[i], __ATOMIC_RELAXED);
	for (i = 0; i < XVIF_TXR_NR; i++)
		dst->tx_drop[i] = __atomic_load_n(&src->tx_drop[i], __ATOMIC_RELAXED);
	for (i = 0; i < XVIF_RXR_NR; i++)
		dst->rx_drop[i] = __atomic_load_n(&src->rx_drop[i], __ATOMIC_RELAXED);
}

void xvif_dp_queue_wake(struct xvif_dp_queue *q)
{
	uint64_t one = 1;

	if (q->wake_fd >= 0 && write(q->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		xvif_log(XVIF_LOG_ERR, "%s: wake eventfd: %m", q->name);
}

/* Idempotent teardown of one queue: each resource is checked, released and
 * cleared, so it also undoes a half-done start. */
static void queue_teardown(struct xvif_dp_queue *q)
{
	const struct xvif_dp_ops *ops = q->vif->ops;

	if (q->evt) {
		if (q->bound_ctrl)
			ops->evt_unbind(q->evt, q->port_ctrl);
		if (q->bound_rx && q->port_rx != q->port_tx)
			ops->evt_unbind(q->evt, q->port_rx);
		if (q->bound_tx)
			ops->evt_unbind(q->evt, q->port_tx);
		ops->evt_close(q->evt);
	}
	q->evt = NULL;
	q->bound_tx = q->bound_rx = q->bound_ctrl = false;
	xvif_dp_ring_unmap(q);
	xvif_dp_tx_free(q);
	xvif_dp_rx_free(q);
	free(q->segs);
	q->segs = NULL;
	if (q->wake_fd >= 0)
		close(q->wake_fd);
	q->wake_fd = -1;
	pthread_mutex_destroy(&q->inbox_lock);
}

static void vif_teardown(struct xvif_dp_vif *vif)
{
	unsigned int i;

	__atomic_store_n(&vif->stopping, true, __ATOMIC_RELEASE);
	for (i = 0; i < vif->nq; i++)
		xvif_dp_queue_wake(&vif->q[i]);
	for (i = 0; i < vif->nq; i++)
		if (vif->q[i].thread_started)
			pthread_join(vif->q[i].thread, NULL);
	for (i = 0; i < vif->nq; i++)
		queue_teardown(&vif->q[i]);
	xvif_dp_ctrl_unmap(vif);
	if (vif->gnt)
		vif->ops->gnt_close(vif->gnt);
	xvif_dp_shared_destroy(&vif->sh);
	free(vif);
}

static const char *evt_key(const struct xvif_dp_queue *q, const char *key, char *buf, size_t len)
{
	if (q->vif->cfg.fe.queue_dirs)
		snprintf(buf, len, "queue-%u/%s", q->id, key);
	else
		snprintf(buf, len, "%s", key);
	return buf;
}

static int queue_bind(struct xvif_dp_queue *q, char *err, size_t errlen)
{
	struct xvif_dp_vif *vif = q->vif;
	const struct xvif_fe_queue *fq = &vif->cfg.fe.queue[q->id];
	const struct xvif_dp_ops *ops = vif->ops;
	char key[48];
	int port;

	q->evt = ops->evt_open(vif->octx);
	if (!q->evt) {
		snprintf(err, errlen, "queue-%u: cannot open an event-channel handle: %s", q->id, strerror(errno));
		return -EIO;
	}
	q->evt_fd = ops->evt_fd(q->evt);
	port = ops->evt_bind(q->evt, vif->cfg.domid, fq->evtchn_tx);
	if (port < 0) {
		snprintf(err, errlen, "queue-%u: cannot bind %s %u: %s", q->id,
			 evt_key(q, fq->split ? "event-channel-tx" : "event-channel", key, sizeof(key)), fq->evtchn_tx,
			 strerror(errno));
		return -EIO;
	}
	q->port_tx = q->port_rx = (uint32_t)port;
	q->bound_tx = q->bound_rx = true;
	if (fq->split) {
		q->bound_rx = false;
		port = ops->evt_bind(q->evt, vif->cfg.domid, fq->evtchn_rx);
		if (port < 0) {
			snprintf(err, errlen, "queue-%u: cannot bind %s %u: %s", q->id,
				 evt_key(q, "event-channel-rx", key, sizeof(key)), fq->evtchn_rx, strerror(errno));
			return -EIO;
		}
		q->port_rx = (uint32_t)port;
		q->bound_rx = true;
	}
	if (q->id == 0 && vif->cfg.fe.ctrl_ring) {
		port = ops->evt_bind(q->evt, vif->cfg.domid, vif->cfg.fe.evtchn_ctrl);
		if (port < 0) {
			snprintf(err, errlen, "cannot bind event-channel-ctrl %u: %s", vif->cfg.fe.evtchn_ctrl,
				 strerror(errno));
			return -EIO;
		}
		q->port_ctrl = (uint32_t)port;
		q->bound_ctrl = true;
	}
	return 0;
}

static int queue_setup(struct xvif_dp_queue *q, char *err, size_t errlen)
{
	struct xvif_dp_vif *vif = q->vif;
	int ret;

	ret = xvif_dp_ring_map(q, err, errlen);
	if (ret < 0)
		return ret;
	if (xvif_dp_tx_alloc(q) < 0 || xvif_dp_rx_alloc(q) < 0 ||
	    !(q->segs = calloc(XVIF_DP_GCOPY_MAX, sizeof(*q->segs)))) {
		snprintf(err, errlen, "queue-%u: out of memory", q->id);
		return -ENOMEM;
	}
	q->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->wake_fd < 0) {
		snprintf(err, errlen, "queue-%u: eventfd: %s", q->id, strerror(errno));
		return -errno;
	}
	xvif_credit_init(&q->credit, vif->have_rate ? vif->rate_bytes : 0, vif->have_rate ? vif->rate_usec : 0,
			 vif->ops->now_us(vif->octx));
	return queue_bind(q, err, errlen);
}

/*
 * A ring adopted from an earlier run of the daemon (see dp_ring.c for the
 * index invariant): responses the old process pushed may never have been
 * signalled, and the frontend may be waiting for an event that went to a
 * closed port. Notify every port once; the worker's first pass then takes
 * whatever requests are pending without waiting for an event.
 * The multicast list and the control ring's hash settings lived in the old
 * process: until the frontend sets them again, multicast is flooded (never
 * filtered against an empty list, for this vif's life) and hashing is off.
 */
static void adopt_kick(struct xvif_dp_vif *vif)
{
	unsigned int i;

	if (vif->cfg.fe.multicast_control) {
		vif->sh.mcast_flood = true;
		__atomic_store_n(&vif->sh.gen, vif->sh.gen + 1, __ATOMIC_RELEASE); /* workers not started yet */
	}
	for (i = 0; i < vif->nq; i++) {
		struct xvif_dp_queue *q = &vif->q[i];

		if (xvif_dp_is_broken(q))
			continue;
		xvif_dp_notify(q, q->port_tx);
		if (q->port_rx != q->port_tx)
			xvif_dp_notify(q, q->port_rx);
		if (q->bound_ctrl)
			xvif_dp_notify(q, q->port_ctrl);
	}
	xvif_log(XVIF_LOG_INFO, "%s: adopted: rings attached at the frontend's indices, every port notified",
		 vif->name);
}

int xvif_dp_vif_start_ops(const struct xvif_dp_vif_cfg *cfg, const struct xvif_dp_ops *ops, void *octx,
			  bool threads, struct xvif_dp_vif **out, char *err, size_t errlen)
{
	struct xvif_dp_vif *vif;
	unsigned int i;
	int ret;

	*out = NULL;
	if (cfg->fe.num_queues < 1 || cfg->fe.num_queues > XVIF_MAX_QUEUES) {
		snprintf(err, errlen, "multi-queue-num-queues=%u: must be 1..%u", cfg->fe.num_queues, XVIF_MAX_QUEUES);
		return -EINVAL;
	}
	for (i = 0; i < cfg->fe.num_queues; i++) {
		if (cfg->tap_fd[i] < 0) {
			snprintf(err, errlen, "queue-%u: no TAP fd", i);
			return -EINVAL;
		}
	}
	vif = calloc(1, sizeof(*vif));
	if (!vif) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	vif->cfg = *cfg;
	vif->xdp_headroom = cfg->fe.xdp_headroom;
	snprintf(vif->name, sizeof(vif->name), "%s", cfg->name ? cfg->name : "xvif");
	vif->cfg.name = vif->name;
	vif->ops = ops;
	vif->octx = octx;
	vif->nq = cfg->fe.num_queues;
	vif->have_rate = cfg->have_rate;
	vif->rate_bytes = cfg->rate_bytes;
	vif->rate_usec = cfg->rate_usec;
	xvif_dp_shared_init(&vif->sh);
	for (i = 0; i < vif->nq; i++) {
		struct xvif_dp_queue *q = &vif->q[i];

		q->vif = vif;
		q->id = i;
		q->tap_fd = cfg->tap_fd[i];
		q->wake_fd = -1;
		q->evt_fd = -1;
		q->rl = (struct xvif_ratelimit)XVIF_RATELIMIT_INIT;
		snprintf(q->name, sizeof(q->name), "%s q%u", vif->name, i);
		pthread_mutex_init(&q->inbox_lock, NULL);
	}

	vif->gnt = ops->gnt_open(octx);
	if (!vif->gnt) {
		snprintf(err, errlen, "cannot open the grant table device: %s", strerror(errno));
		ret = -EIO;
		goto fail;
	}
	if (cfg->fe.ctrl_ring) {
		ret = xvif_dp_ctrl_map(vif, err, errlen);
		if (ret < 0)
			goto fail;
	}
	for (i = 0; i < vif->nq; i++) {
		ret = queue_setup(&vif->q[i], err, errlen);
		if (ret < 0)
			goto fail;
	}
	if (cfg->adopt)
		adopt_kick(vif);
	if (threads) {
		for (i = 0; i < vif->nq; i++) {
			ret = pthread_create(&vif->q[i].thread, NULL, xvif_dp_worker, &vif->q[i]);
			if (ret) {
				snprintf(err, errlen, "queue-%u: cannot start its worker: %s", i, strerror(ret));
				ret = -ret;
				goto fail;
			}
			vif->q[i].thread_started = true;
		}
	}
	xvif_log(XVIF_LOG_INFO, "%s: data path up: %u queue%s%s%s", vif->name, vif->nq, vif->nq > 1 ? "s" : "",
		 cfg->fe.ctrl_ring ? ", control ring" : "", cfg->have_rate ? ", rate limited" : "");
	*out = vif;
	return 0;
fail:
	vif_teardown(vif);
	return ret;
}

void xvif_dp_vif_stop(struct xvif_dp_vif *vif)
{
	if (vif)
		vif_teardown(vif);
}

void xvif_dp_vif_set_rate(struct xvif_dp_vif *vif, bool have, uint64_t bytes, uint64_t usec)
{
	unsigned int i;

	pthread_mutex_lock(&vif->sh.lock);
	vif->have_rate = have;
	vif->rate_bytes = bytes;
	vif->rate_usec = usec;
	__atomic_store_n(&vif->rate_gen, vif->rate_gen + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vif->sh.lock);
	for (i = 0; i < vif->nq; i++)
		xvif_dp_queue_wake(&vif->q[i]);
}

void xvif_dp_vif_set_xdp_headroom(struct xvif_dp_vif *vif, uint16_t headroom)
{
	unsigned int i;

	if (headroom > XVIF_XDP_HEADROOM_MAX)
		headroom = XVIF_XDP_HEADROOM_MAX;
	__atomic_store_n(&vif->xdp_headroom, headroom, __ATOMIC_RELAXED);
	for (i = 0; i < vif->nq; i++)
		xvif_dp_queue_wake(&vif->q[i]);
}

unsigned int xvif_dp_vif_num_queues(const struct xvif_dp_vif *vif)
{
	return vif->nq;
}

bool xvif_dp_vif_broken(const struct xvif_dp_vif *vif)
{
	unsigned int i;

	for (i = 0; i < vif->nq; i++)
		if (xvif_dp_is_broken(&vif->q[i]))
			return true;
	return false;
}

int xvif_dp_vif_queue_status(const struct xvif_dp_vif *vif, unsigned int queue, struct xvif_dp_queue_status *st)
{
	const struct xvif_dp_queue *q;

	if (queue >= vif->nq)
		return -EINVAL;
	q = &vif->q[queue];
	memset(st, 0, sizeof(*st));
	st->broken = xvif_dp_is_broken(q);
	if (st->broken)
		snprintf(st->broken_why, sizeof(st->broken_why), "%s", q->broken_why);
	st->local_port_tx = q->port_tx;
	st->local_port_rx = q->port_rx;
	st->tx_ring_free = __atomic_load_n(&q->tx_ring_free, __ATOMIC_RELAXED);
	st->rx_ring_free = __atomic_load_n(&q->rx_ring_free, __ATOMIC_RELAXED);
	st->rx_queued_bytes = __atomic_load_n(&q->rx_queued_bytes, __ATOMIC_RELAXED);
	xvif_dp_counters_snapshot(&q->cnt, &st->counters);
	return 0;
}
