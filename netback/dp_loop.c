// SPDX-License-Identifier: GPL-2.0-only
/*
 * One worker per queue. Each wake-up does a bounded amount of work
 * (xvif_dp_queue_run): a few event-channel reads, then at most a budget of
 * control requests, TX packets, TAP reads and RX deliveries. When a budget
 * ran out the worker polls again without sleeping (so the stop request and
 * the other directions get their turn); otherwise it sleeps in poll() on:
 *
 *   its event-channel fd   the frontend notified (TX requests, RX buffers, ctrl)
 *   its TAP fd             only while the RX FIFO has room
 *   its wake eventfd       stop, packets steered here, `rate` changed
 *
 * with a timeout for the next timer (credit period end, RX stall drop). A
 * spurious event therefore costs one pass over empty rings, never a spin.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#include "dp_int.h"

static void drain_events(struct xvif_dp_queue *q)
{
	const struct xvif_dp_ops *ops = q->vif->ops;
	/* A delivered port stays masked until we unmask it, so at most one
	 * entry per bound port is waiting: one read of that many takes them
	 * all (a port that fires again after its unmask makes the fd readable
	 * for the next poll). Split channels and the control ring: three
	 * ports, still one read and one unmask. */
	unsigned int nports = (q->bound_tx ? 1u : 0u) + (q->bound_rx && q->port_rx != q->port_tx ? 1u : 0u) +
			      (q->bound_ctrl ? 1u : 0u);
	uint32_t ports[XVIF_DP_EVT_BUDGET];
	int n;

	if (nports == 0 || nports > XVIF_DP_EVT_BUDGET)
		nports = XVIF_DP_EVT_BUDGET;
	n = ops->evt_pending_n(q->evt, ports, nports);
	if (n <= 0)
		return;
	xvif_cnt_add(&q->cnt, XVIF_DPC_EVENTS, (uint64_t)n);
	/* Unmask before the work below: an event raised while we work then
	 * wakes us again rather than being lost. */
	ops->evt_unmask_n(q->evt, ports, (unsigned int)n);
}

/* The notifications the wake-up's pushes asked for: one per port, however
 * many passes pushed (a single port serves both rings unless split). */
static void send_notifications(struct xvif_dp_queue *q)
{
	if (q->notify_tx)
		xvif_dp_notify(q, q->port_tx);
	if (q->notify_rx && (!q->notify_tx || q->port_rx != q->port_tx))
		xvif_dp_notify(q, q->port_rx);
	q->notify_tx = q->notify_rx = false;
}

/* @events: read the event channel; @tap: read the TAP (false only when
 * poll() just said it has nothing). */
static bool queue_run(struct xvif_dp_vif *vif, unsigned int qi, bool events, bool tap)
{
	struct xvif_dp_queue *q;
	bool more = false;

	if (qi >= vif->nq)
		return false;
	q = &vif->q[qi];
	if (xvif_dp_is_broken(q) || __atomic_load_n(&vif->stopping, __ATOMIC_ACQUIRE))
		return false;
	xvif_cnt_add(&q->cnt, XVIF_DPC_WAKEUPS, 1);
	q->now_valid = false; /* the clock is read again if this wake-up needs it */
	if (events)
		drain_events(q);
	if (qi == 0)
		more |= xvif_dp_ctrl_run(q);
	more |= xvif_dp_tx_run(q);
	/* Stall drops first, so the room they free is refilled at once. */
	if (!xvif_dp_is_broken(q))
		xvif_dp_rx_expire(q);
	if (tap)
		more |= xvif_dp_rx_read_tap(q);
	more |= xvif_dp_rx_deliver(q);
	xvif_dp_rx_stamp(q);
	/* TX's last pass, if RX did not copy it along. */
	xvif_dp_tx_complete(q, false);
	/* Also after a break: responses pushed before it are owed their event. */
	send_notifications(q);
	return more && !xvif_dp_is_broken(q);
}

bool xvif_dp_queue_run(struct xvif_dp_vif *vif, unsigned int qi)
{
	return queue_run(vif, qi, true, true);
}

static int usec_to_ms(uint64_t us)
{
	uint64_t ms = (us + 999u) / 1000u;

	return ms > INT32_MAX ? INT32_MAX : (int)ms;
}

int xvif_dp_queue_timeout_ms(struct xvif_dp_queue *q)
{
	uint64_t now, t = UINT64_MAX, e;

	/* No timer: no clock read (a syscall on the lab's dom0). */
	if (!q->tx_credit_blocked && !q->rxq.head)
		return -1;
	now = q->vif->ops->now_us(q->vif->octx);
	if (q->tx_credit_blocked)
		t = xvif_credit_wait(&q->credit, now);
	e = xvif_dp_rx_next_expiry(q, now);
	if (e < t)
		t = e;
	return t == UINT64_MAX ? -1 : usec_to_ms(t);
}

void *xvif_dp_worker(void *arg)
{
	struct xvif_dp_queue *q = arg;
	struct xvif_dp_vif *vif = q->vif;

	/* Syscalls per wake-up are what a packet costs most here: read the
	 * event channel only when poll() said it is readable, and the TAP
	 * unless poll() just said it is empty. A wake-up for guest TX then
	 * makes no TAP read that ends in EAGAIN, a wake-up for TAP packets no
	 * event-channel read. (First pass, or poll interrupted: both.) */
	bool events = true, tap = true;

	while (!__atomic_load_n(&vif->stopping, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd[3];
		bool more = queue_run(vif, q->id, events, tap);
		bool broken = xvif_dp_is_broken(q);
		uint64_t junk;

		/* A broken queue listens only for the stop request. */
		pfd[0].fd = broken ? -1 : q->evt_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = broken || !xvif_dp_rx_has_room(q) ? -1 : q->tap_fd;
		pfd[1].events = POLLIN;
		pfd[2].fd = q->wake_fd;
		pfd[2].events = POLLIN;
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		if (poll(pfd, 3, more ? 0 : broken ? -1 : xvif_dp_queue_timeout_ms(q)) < 0) {
			if (errno != EINTR) {
				xvif_log(XVIF_LOG_ERR, "%s: poll: %m", q->name);
				break;
			}
			events = tap = true; /* interrupted: look everywhere */
			continue;
		}
		events = (pfd[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
		/* Not polled (no room then): deliveries may have made room. */
		tap = pfd[1].fd < 0 || (pfd[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
		if (pfd[2].revents & POLLIN) {
			if (read(q->wake_fd, &junk, sizeof(junk)) < 0 && errno != EAGAIN)
				xvif_log(XVIF_LOG_ERR, "%s: wake eventfd: %m", q->name);
		}
	}
	return NULL;
}
