// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dp.h contract as the control plane uses it: start failures (each
 * naming the queue and key, nothing left mapped or bound), the live `rate`,
 * status, counter names, and the real worker threads on the fake
 * hypervisor (poll on the event-channel fd, the TAP and the wake eventfd).
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_front.h"

static uint8_t frame[70000], got[70000];

static void stop(struct ff *ff)
{
	ff_stop(ff);
	free(ff);
}

/* Prepare, spoil with @spoil, start: expect @ret and @msg in the error. */
static void start_fails(struct ff_opts *o, void (*spoil)(struct ff *), int ret, const char *msg)
{
	struct ff *ff = calloc(1, sizeof(*ff));

	assert_non_null(ff);
	ff_prepare(ff, o);
	spoil(ff);
	assert_int_equal(ff_start_prepared(ff), ret);
	assert_null(ff->vif);
	if (!strstr(ff->err, msg))
		fail_msg("error \"%s\" does not contain \"%s\"", ff->err, msg);
	stop(ff); /* aborts if a mapping, binding or handle leaked */
}

static void spoil_tx_ref(struct ff *ff)
{
	fake_gnt_set(&ff->fx, ff->q[0].tx_ref, FAKE_GNT_INVALID);
}

static void spoil_q1_rx_ref(struct ff *ff)
{
	fake_gnt_set(&ff->fx, ff->q[1].rx_ref, FAKE_GNT_REVOKED);
}

static void spoil_q1_evt(struct ff *ff)
{
	ff->fx.fail_bind_remote = ff->q[1].evt_tx;
}

static void spoil_rx_evt(struct ff *ff)
{
	ff->fx.fail_bind_remote = ff->q[0].evt_rx;
}

static void spoil_ctrl_ref(struct ff *ff)
{
	fake_gnt_set(&ff->fx, FF_CTRL_GREF, FAKE_GNT_INVALID);
}

static void spoil_ctrl_evt(struct ff *ff)
{
	ff->fx.fail_bind_remote = ff->cfg.fe.evtchn_ctrl;
}

static void spoil_num_queues(struct ff *ff)
{
	ff->cfg.fe.num_queues = 0;
}

static void spoil_tap_fd(struct ff *ff)
{
	ff->cfg.tap_fd[1] = -1;
}

static void start_failures_name_queue_and_key(void **state)
{
	struct ff_opts o = ff_default_opts();

	(void)state;
	start_fails(&o, spoil_tx_ref, -EIO, "queue-0: cannot map tx-ring-ref 1: Invalid argument");
	start_fails(&o, spoil_num_queues, -EINVAL, "multi-queue-num-queues=0");
	o.nq = 2;
	start_fails(&o, spoil_q1_rx_ref, -EIO, "queue-1: cannot map queue-1/rx-ring-ref 4");
	start_fails(&o, spoil_q1_evt, -EIO, "queue-1: cannot bind queue-1/event-channel 102");
	start_fails(&o, spoil_tap_fd, -EINVAL, "queue-1: no TAP fd");
	o.nq = 1;
	o.split = true;
	start_fails(&o, spoil_rx_evt, -EIO, "queue-0: cannot bind event-channel-rx 101");
	o.split = false;
	o.ctrl = true;
	start_fails(&o, spoil_ctrl_ref, -EIO, "cannot map ctrl-ring-ref 60");
	start_fails(&o, spoil_ctrl_evt, -EIO, "cannot bind event-channel-ctrl 99");
}

static void status_and_counter_names(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct xvif_dp_queue_status st;
	unsigned int i, j;

	(void)state;
	o.nq = 3;
	o.split = true;
	assert_int_equal(ff_start(ff, &o), 0);
	assert_int_equal(xvif_dp_vif_num_queues(ff->vif), 3);
	assert_int_equal(xvif_dp_vif_queue_status(ff->vif, 3, &st), -EINVAL);
	for (i = 0; i < 3; i++) {
		st = ff_status(ff, i);
		assert_false(st.broken);
		assert_int_equal(st.local_port_tx, fake_evt_local(&ff->fx, ff->q[i].evt_tx));
		assert_int_equal(st.local_port_rx, fake_evt_local(&ff->fx, ff->q[i].evt_rx));
	}
	ff_run(ff, 0, 4);
	st = ff_status(ff, 0);
	assert_int_equal(st.tx_ring_free, 256);
	ff_rx_post(ff, 0, 10);
	ff_run(ff, 0, 4);
	assert_int_equal(ff_status(ff, 0).rx_ring_free, 10);
	for (i = 0; i < XVIF_DPC_NR; i++) {
		const char *n = xvif_dp_counter_name(i);

		assert_string_not_equal(n, "invalid");
		for (j = 0; j < i; j++)
			assert_string_not_equal(n, xvif_dp_counter_name(j));
	}
	assert_string_equal(xvif_dp_counter_name(XVIF_DPC_NR), "invalid");
	stop(ff);
}

/* `rate`: credit per period (unused credit carries over, to the burst cap),
 * then a wait; changed live by the control plane. */
static void rate_limits_and_changes_live(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[8];
	unsigned int i;

	(void)state;
	o.have_rate = true;
	o.rate_bytes = 1000;
	o.rate_usec = 1000000;
	assert_int_equal(ff_start(ff, &o), 0);
	ff_frame(frame, 600, 4, XVIF_IPPROTO_UDP, 1);
	for (i = 0; i < 4; i++)
		ff_tx_queue(ff, 0, frame, 600, NULL);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 1);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 600);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_CREDIT_WAIT), 1);
	/* The worker would sleep until the period ends. */
	assert_int_equal(xvif_dp_queue_timeout_ms(&ff->vif->q[0]), 1000);
	/* An event meanwhile does not bypass the credit. */
	fake_evt_raise(&ff->fx, ff->q[0].evt_tx);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
	/* Next period: the 400 left over and 1000 new, two more. */
	ff->fx.now_us += 1000000;
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 2);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 600);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 600);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_CREDIT_WAIT), 2);
	/* The `rate` key removed: unlimited at once. */
	xvif_dp_vif_set_rate(ff->vif, false, 0, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 1);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 600);
	/* And a new rate applies to later packets. */
	xvif_dp_vif_set_rate(ff->vif, true, 100, 1000000);
	for (i = 0; i < 2; i++)
		ff_tx_queue(ff, 0, frame, 600, NULL);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 0);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_CREDIT_WAIT), 3);
	/* Larger than a period's credit: it waits until the periods add up
	 * to it (six of 100 bytes), never going on one period's credit. */
	ff->fx.now_us += 4000000;
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 0);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
	ff->fx.now_us += 1000000;
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 1);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 600);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
	stop(ff);
}

/* ---- real worker threads ---- */

/* Wait (bounded, not a timing assertion) for @fd to become readable. */
static bool wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 10000) == 1;
}

static bool wait_rx_rsp(struct ff *ff, unsigned int qi)
{
	unsigned int i;

	for (i = 0; i < 10000; i++) {
		if (__atomic_load_n(&ff->q[qi].rx.sring->rsp_prod, __ATOMIC_ACQUIRE) != ff->q[qi].rx.rsp_cons)
			return true;
		usleep(1000);
	}
	return false;
}

static void threads_tx_and_rx(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct virtio_net_hdr vh;
	struct xvif_rxr_pkt pkt;
	unsigned int i;

	(void)state;
	o.threads = true;
	o.nq = 2;
	assert_int_equal(ff_start(ff, &o), 0);
	for (i = 0; i < 2; i++) {
		ff_frame(frame, 1500, 4, XVIF_IPPROTO_TCP, i);
		ff_tx_queue(ff, i, frame, 1500, &(struct ff_tx){ .nslots = 2 });
		ff_tx_push(ff, i);
		assert_true(wait_readable(ff->q[i].sock[1]));
		assert_int_equal(ff_tap_read(ff, i, &vh, got, sizeof(got)), 1500);
		assert_memory_equal(got, frame, 1500);

		ff_rx_post(ff, i, 8);
		ff_frame(frame, 3000, 6, XVIF_IPPROTO_UDP, i);
		ff_tap_write(ff, i, NULL, frame, 3000);
		assert_true(wait_rx_rsp(ff, i));
		assert_int_equal(ff_rx_recv(ff, i, got, sizeof(got), &pkt), 3000);
		assert_memory_equal(got, frame, 3000);
	}
	/* A hostile ring on queue 1 breaks it on its worker; the callback
	 * fires there; queue 0's worker goes on; stop joins both. */
	ff->q[1].tx.sring->req_prod += 999;
	fake_evt_raise(&ff->fx, ff->q[1].evt_tx);
	for (i = 0; i < 10000 && !__atomic_load_n(&ff->broken_calls, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	assert_true(ff_status(ff, 1).broken);
	assert_false(ff_status(ff, 0).broken);
	ff_frame(frame, 200, 4, XVIF_IPPROTO_TCP, 9);
	ff_tx_queue(ff, 0, frame, 200, NULL);
	ff_tx_push(ff, 0);
	assert_true(wait_readable(ff->q[0].sock[1]));
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 200);
	stop(ff);
}

/* A control request to a threaded engine: publish, notify, wait for the answer. */
static uint32_t ctrl_threaded(struct ff *ff, uint16_t type, uint32_t d0, uint32_t d1)
{
	xvif_ctrl_req_t *r = RING_GET_REQUEST(&ff->ctrl, ff->ctrl.req_prod_pvt);
	unsigned int i;
	int notify;

	r->id = (uint16_t)ff->ctrl.req_prod_pvt;
	r->type = type;
	r->data[0] = d0;
	r->data[1] = d1;
	r->data[2] = 0;
	ff->ctrl.req_prod_pvt++;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ff->ctrl, notify);
	if (notify)
		fake_evt_raise(&ff->fx, ff->cfg.fe.evtchn_ctrl);
	for (i = 0; i < 10000; i++) {
		if (__atomic_load_n(&ff->ctrl.sring->rsp_prod, __ATOMIC_ACQUIRE) != ff->ctrl.rsp_cons)
			return RING_GET_RESPONSE(&ff->ctrl, ff->ctrl.rsp_cons++)->status;
		usleep(1000);
	}
	return 0xdead;
}

/* Steering across worker threads: queue 0's worker reads the TAP and hands
 * the packet to queue 1's worker through its inbox and wake eventfd. */
static void threads_steering_across_workers(void **state)
{
	static const uint8_t key[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	uint32_t map[1] = { 1 }, kg, mg;
	struct xvif_rxr_pkt pkt;
	unsigned int i;

	(void)state;
	o.threads = true;
	o.nq = 2;
	o.ctrl = true;
	assert_int_equal(ff_start(ff, &o), 0);
	kg = ff_gref(ff);
	memcpy(fake_gnt_page(&ff->fx, kg), key, sizeof(key));
	mg = ff_gref(ff);
	memcpy(fake_gnt_page(&ff->fx, mg), map, sizeof(map));
	assert_int_equal(ctrl_threaded(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0),
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ctrl_threaded(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0),
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ctrl_threaded(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, kg, sizeof(key)),
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ctrl_threaded(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 1, 0),
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ctrl_threaded(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, mg, 1),
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	ff_rx_post(ff, 1, 64);
	for (i = 0; i < 20; i++) {
		ff_frame_flow(frame, 500 + i, 4, XVIF_IPPROTO_UDP, i, i);
		assert_int_equal(ff_tap_write(ff, 0, NULL, frame, 500 + i), 0);
	}
	for (i = 0; i < 20; i++) {
		assert_true(wait_rx_rsp(ff, 1));
		ff_frame_flow(frame, 500 + i, 4, XVIF_IPPROTO_UDP, i, i);
		assert_int_equal(ff_rx_recv(ff, 1, got, sizeof(got), &pkt), (int)(500 + i));
		assert_memory_equal(got, frame, 500 + i);
		assert_true(pkt.have_hash);
	}
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_STEERED), 20);
	assert_int_equal(ff_cnt(ff, 1, XVIF_DPC_RX_PACKETS), 20);
	stop(ff);
}

/* ---- adoption (daemon restart, issue 9) ---- */

/* The old daemon dies: its private indices, mappings and bindings go; the
 * shared rings, the grants and the TAP (socketpair) stay. */
static void old_daemon_dies(struct ff *ff)
{
	xvif_dp_vif_stop(ff->vif);
	ff->vif = NULL;
	assert_int_equal(ff->fx.maps, 0);
	assert_int_equal(ff->fx.binds, 0);
}

static int adopt(struct ff *ff)
{
	ff->cfg.adopt = true;
	return ff_start_prepared(ff);
}

/* Traffic both ways, then requests in flight in both rings and a TX packet
 * the old process consumed and wrote to the TAP but never answered (killed
 * mid-pass: its rsp_prod push did not happen). The new engine attaches at
 * sring->rsp_prod, notifies the frontend, sends the in-flight packets, may
 * send the unanswered one again (said in dp_ring.c), answers every request
 * exactly once, and fills the RX buffers posted while it was away. */
static void adopt_recovers_indices_and_traffic(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct virtio_net_hdr vh;
	struct xvif_rxr_pkt pkt;
	xvif_tx_rsp_t rsp[64];
	xvif_tx_req_t saved[8];
	struct xvif_dp_queue *q;
	unsigned int i, n, slots;
	uint32_t rsp_prod, first;
	int len;

	(void)state;
	assert_int_equal(ff_start(ff, &o), 0);
	for (i = 0; i < 3; i++) {
		ff_frame(frame, 1000 + i, 4, XVIF_IPPROTO_TCP, i);
		ff_tx_queue(ff, 0, frame, 1000 + i, &(struct ff_tx){ .nslots = 2 });
	}
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 16);
	for (i = 0; i < 3; i++)
		assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 1000 + (int)i);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 64), 6);
	ff_rx_post(ff, 0, 8);
	ff_frame(frame, 700, 4, XVIF_IPPROTO_UDP, 1);
	ff_tap_write(ff, 0, NULL, frame, 700);
	ff_run(ff, 0, 16);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 700);

	/* Consumed and sent, killed before its responses were written: the
	 * request slots as they were, rsp_prod not pushed. */
	ff_frame(frame, 1400, 4, XVIF_IPPROTO_TCP, 50);
	first = ff->q[0].tx.req_prod_pvt;
	slots = ff_tx_queue(ff, 0, frame, 1400, &(struct ff_tx){ .nslots = 3 });
	for (i = 0; i < slots; i++)
		saved[i] = *RING_GET_REQUEST(&ff->q[0].tx, first + i);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 16);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 1400);
	rsp_prod = ff->q[0].tx.sring->rsp_prod;
	ff->q[0].tx.sring->rsp_prod = rsp_prod - slots;
	for (i = 0; i < slots; i++)
		*RING_GET_REQUEST(&ff->q[0].tx, first + i) = saved[i];
	old_daemon_dies(ff);

	/* While no daemon runs: two more TX packets, RX buffers posted. */
	for (i = 0; i < 2; i++) {
		ff_frame(frame, 300 + i, 6, XVIF_IPPROTO_UDP, 60 + i);
		ff_tx_queue(ff, 0, frame, 300 + i, NULL);
	}
	ff_tx_push(ff, 0);
	ff_rx_post(ff, 0, 4);

	assert_int_equal(adopt(ff), 0);
	q = &ff->vif->q[0];
	assert_int_equal(q->tx.req_cons, rsp_prod - slots);
	assert_int_equal(q->tx.rsp_prod_pvt, rsp_prod - slots);
	assert_int_equal(q->rx.req_cons, ff->q[0].rx.sring->rsp_prod);
	assert_false(ff_status(ff, 0).broken);
	/* Both directions notified before any request is taken. */
	assert_true(fake_evt_notified(&ff->fx, ff->q[0].evt_tx) >= 1);

	ff_run(ff, 0, 16);
	/* The unanswered packet again (a duplicate on the TAP), then the two. */
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 1400);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 300);
	len = ff_tap_read(ff, 0, &vh, got, sizeof(got));
	assert_int_equal(len, 301);
	ff_frame(frame, 301, 6, XVIF_IPPROTO_UDP, 61);
	assert_memory_equal(got, frame, 301);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
	/* Every request answered once: the rolled-back slots and the two. */
	n = ff_tx_rsp(ff, 0, rsp, 64);
	assert_int_equal(n, slots + 2);
	for (i = 0; i < n; i++)
		assert_int_equal(rsp[i].status, XEN_NETIF_RSP_OKAY);
	assert_int_equal(q->tx.req_cons, q->tx.rsp_prod_pvt);
	assert_int_equal(q->tx.rsp_prod_pvt, ff->q[0].tx.sring->rsp_prod);

	/* RX into the buffers left from before and posted meanwhile. */
	for (i = 0; i < 3; i++) {
		ff_frame(frame, 900 + i, 4, XVIF_IPPROTO_TCP, 70 + i);
		assert_int_equal(ff_tap_write(ff, 0, NULL, frame, 900 + i), 0);
	}
	ff_run(ff, 0, 16);
	for (i = 0; i < 3; i++) {
		ff_frame(frame, 900 + i, 4, XVIF_IPPROTO_TCP, 70 + i);
		assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 900 + (int)i);
		assert_memory_equal(got, frame, 900 + i);
	}
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RING_ERR), 0);
	assert_int_equal(ff->broken_calls, 0);
	stop(ff);
}

/* Killed after a pass wrote its responses into the ring (over the
 * requests: they share slots) but before it pushed rsp_prod. The new engine
 * re-reads those slots as requests; the garbage in them may not crash it,
 * break the queue for the guest's sake, leave a request unanswered, or send
 * what the leftover "gref" (the response's id and status) points at: each
 * packet is dropped with an error response and counted, traffic goes on.
 * (Without the guard the fake sends 3 packets of whatever those grants held.) */
static void adopt_after_unpushed_responses(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[64];
	unsigned int i, n, slots = 0;
	uint32_t rsp_prod;

	(void)state;
	assert_int_equal(ff_start(ff, &o), 0);
	/* Move the request ids past FF_BUF_GREF first, so that a leftover
	 * response's id names a gref the guest really granted: what makes the
	 * window dangerous (with small ids the copies merely fail). */
	for (i = 0; i < 70; i++) {
		ff_frame(frame, 100, 4, XVIF_IPPROTO_UDP, 70);
		ff_tx_queue(ff, 0, frame, 100, NULL);
	}
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 16);
	for (i = 0; i < 70; i++)
		assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 100);
	while (ff_tx_rsp(ff, 0, rsp, 64) > 0)
		;
	for (i = 0; i < 3; i++) {
		ff_frame(frame, 600 + i, 4, XVIF_IPPROTO_TCP, 80 + i);
		slots += ff_tx_queue(ff, 0, frame, 600 + i, &(struct ff_tx){ .nslots = 2 });
	}
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 16);
	for (i = 0; i < 3; i++)
		assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 600 + (int)i);
	rsp_prod = ff->q[0].tx.sring->rsp_prod;
	ff->q[0].tx.sring->rsp_prod = rsp_prod - slots;
	old_daemon_dies(ff);
	assert_int_equal(adopt(ff), 0);
	ff_run(ff, 0, 16);
	/* The slots hold the old process's responses over the grefs: nothing
	 * of what those "grefs" point at reaches the TAP; each packet is
	 * answered with an error and counted. */
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_ADOPT_DROP), 3);
	n = ff_tx_rsp(ff, 0, rsp, 64);
	assert_int_equal(n, slots);
	for (i = 0; i < n; i++)
		assert_true(rsp[i].status == XEN_NETIF_RSP_ERROR || rsp[i].status == XEN_NETIF_RSP_NULL);
	assert_int_equal(ff->vif->q[0].tx.rsp_prod_pvt, rsp_prod);
	/* And the ring works on. */
	ff_frame(frame, 800, 4, XVIF_IPPROTO_UDP, 90);
	ff_tx_queue(ff, 0, frame, 800, NULL);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 16);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 800);
	assert_memory_equal(got, frame, 800);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 64), 1);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_OKAY);
	stop(ff);
}

/* The same across real worker threads and two queues: traffic, the old
 * engine goes, the new one adopts and both queues pass traffic. */
static void adopt_threads_two_queues(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct virtio_net_hdr vh;
	struct xvif_rxr_pkt pkt;
	unsigned int i, round;

	(void)state;
	o.threads = true;
	o.nq = 2;
	assert_int_equal(ff_start(ff, &o), 0);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 2; i++) {
			ff_frame(frame, 1500, 4, XVIF_IPPROTO_TCP, round * 10 + i);
			ff_tx_queue(ff, i, frame, 1500, &(struct ff_tx){ .nslots = 2 });
			ff_tx_push(ff, i);
			assert_true(wait_readable(ff->q[i].sock[1]));
			assert_int_equal(ff_tap_read(ff, i, &vh, got, sizeof(got)), 1500);
			assert_memory_equal(got, frame, 1500);
			ff_rx_post(ff, i, 8);
			ff_frame(frame, 2000, 6, XVIF_IPPROTO_UDP, round * 10 + i);
			ff_tap_write(ff, i, NULL, frame, 2000);
			assert_true(wait_rx_rsp(ff, i));
			assert_int_equal(ff_rx_recv(ff, i, got, sizeof(got), &pkt), 2000);
			assert_memory_equal(got, frame, 2000);
		}
		if (round == 0) {
			old_daemon_dies(ff);
			assert_int_equal(adopt(ff), 0);
		}
	}
	assert_int_equal(ff->broken_calls, 0);
	stop(ff);
}

/* Hostile indices found at adoption: the start succeeds (nothing is left
 * half-done), the queue is broken with the reason, on_broken is called
 * once, and stop releases everything (ff_stop aborts on a leak). */
static void adopt_hostile(void (*spoil)(struct ff *), const char *want)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));

	o.nq = 2;
	assert_int_equal(ff_start(ff, &o), 0);
	old_daemon_dies(ff);
	spoil(ff);
	assert_int_equal(adopt(ff), 0);
	assert_non_null(ff->vif);
	assert_true(ff_status(ff, 1).broken);
	assert_true(xvif_dp_vif_broken(ff->vif));
	assert_int_equal(ff->broken_calls, 1);
	if (!strstr(ff->broken_why, want))
		fail_msg("broken reason \"%s\" does not contain \"%s\"", ff->broken_why, want);
	assert_int_equal(ff_run(ff, 1, 4), 1); /* a broken queue does nothing */
	assert_false(ff_status(ff, 0).broken);
	stop(ff);
}

static void spoil_tx_req_far_ahead(struct ff *ff)
{
	ff->q[1].tx.sring->req_prod = ff->q[1].tx.sring->rsp_prod + 100000;
}

static void spoil_rx_rsp_beyond_req(struct ff *ff)
{
	ff->q[1].rx.sring->rsp_prod = ff->q[1].rx.sring->req_prod + 5;
}

static void adopt_hostile_indices(void **state)
{
	(void)state;
	adopt_hostile(spoil_tx_req_far_ahead, "at adoption: queue-1: queue-1/tx-ring-ref: req_prod");
	adopt_hostile(spoil_rx_rsp_beyond_req, "at adoption: queue-1: queue-1/rx-ring-ref: req_prod");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(start_failures_name_queue_and_key),
		cmocka_unit_test(status_and_counter_names),
		cmocka_unit_test(rate_limits_and_changes_live),
		cmocka_unit_test(threads_tx_and_rx),
		cmocka_unit_test(threads_steering_across_workers),
		cmocka_unit_test(adopt_recovers_indices_and_traffic),
		cmocka_unit_test(adopt_after_unpushed_responses),
		cmocka_unit_test(adopt_threads_two_queues),
		cmocka_unit_test(adopt_hostile_indices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
