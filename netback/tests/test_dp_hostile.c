// SPDX-License-Identifier: GPL-2.0-only
/*
 * The backend rows of /work/shared/HOSTILE-PEERS.md that live in the data
 * path, one or more tests each, against the engine on the fake grant table.
 * Each checks what the engine did: responses, counters, the broken flag and
 * its callback, bytes on the "TAP", and (in ff_stop) that no mapping,
 * binding or handle leaked.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_front.h"

static uint8_t frame[70000], got[70000];

static struct ff *start(struct ff_opts *o)
{
	struct ff *ff = calloc(1, sizeof(*ff));

	assert_non_null(ff);
	assert_int_equal(ff_start(ff, o), 0);
	return ff;
}

static struct ff *start_default(void)
{
	struct ff_opts o = ff_default_opts();

	return start(&o);
}

static void stop(struct ff *ff)
{
	ff_stop(ff);
	free(ff);
}

/* Send a good packet and check it arrives: the queue still works. */
static void still_works(struct ff *ff, unsigned int qi)
{
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[8];

	ff_frame(frame, 300, 4, XVIF_IPPROTO_TCP, 77);
	ff_tx_queue(ff, qi, frame, 300, NULL);
	ff_tx_push(ff, qi);
	ff_run(ff, qi, 8);
	assert_int_equal(ff_tx_rsp(ff, qi, rsp, 8), 1);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_OKAY);
	assert_int_equal(ff_tap_read(ff, qi, &vh, got, sizeof(got)), 300);
	assert_memory_equal(got, frame, 300);
}

static void expect_broken(struct ff *ff, unsigned int qi, const char *why_part)
{
	struct xvif_dp_queue_status st = ff_status(ff, qi);

	assert_true(st.broken);
	assert_true(xvif_dp_vif_broken(ff->vif));
	assert_int_equal(ff->broken_calls, 1);
	assert_non_null(strstr(st.broken_why, why_part));
}

/* Nothing was answered and nothing reached the TAP. */
static void expect_silent(struct ff *ff, unsigned int qi)
{
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[8];

	assert_int_equal(ff_tx_rsp(ff, qi, rsp, 8), 0);
	assert_int_equal(ff_tap_read(ff, qi, &vh, got, sizeof(got)), -1);
}

/* ---- XSA-39: ring pointer corruption ---- */

static void ring_req_prod_overflow_at_map_time(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));

	(void)state;
	ff_prepare(ff, &o);
	ff->q[0].tx.sring->req_prod = 1000;
	assert_int_equal(ff_start_prepared(ff), -EPROTO);
	assert_null(ff->vif);
	assert_non_null(strstr(ff->err, "tx-ring-ref"));
	assert_non_null(strstr(ff->err, "req_prod 1000"));
	stop(ff); /* checks nothing stayed mapped or bound */

	ff = calloc(1, sizeof(*ff));
	ff_prepare(ff, &o);
	ff->q[0].rx.sring->req_prod = 0x80000000u;
	assert_int_equal(ff_start_prepared(ff), -EPROTO);
	assert_non_null(strstr(ff->err, "rx-ring-ref"));
	stop(ff);
}

static void ring_tx_req_prod_jumps_ahead(void **state)
{
	struct ff *ff = start_default();

	(void)state;
	still_works(ff, 0);
	ff->q[0].tx.sring->req_prod += 300; /* more than a ring (256) ahead */
	fake_evt_raise(&ff->fx, ff->q[0].evt_tx);
	ff_run(ff, 0, 8);
	expect_broken(ff, 0, "more than 256 ahead");
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RING_ERR), 1);
	expect_silent(ff, 0);
	/* Every entry point checks the flag: more events do nothing, the
	 * callback is not repeated. */
	fake_evt_raise(&ff->fx, ff->q[0].evt_tx);
	assert_int_equal(ff_run(ff, 0, 8), 1);
	expect_broken(ff, 0, "ahead");
	stop(ff);
}

static void ring_tx_req_prod_goes_backwards(void **state)
{
	struct ff *ff = start_default();

	(void)state;
	still_works(ff, 0);
	still_works(ff, 0);
	ff->q[0].tx.sring->req_prod = 1; /* req_cons is 2 */
	ff_run(ff, 0, 8);
	expect_broken(ff, 0, "behind");
	expect_silent(ff, 0);
	stop(ff);
}

static void ring_rx_req_prod_jumps_and_goes_back(void **state)
{
	struct ff *ff = start_default();
	struct xvif_rxr_pkt pkt;

	(void)state;
	ff_frame(frame, 100, 4, XVIF_IPPROTO_UDP, 1);
	ff_tap_write(ff, 0, NULL, frame, 100);
	ff->q[0].rx.sring->req_prod = 5000;
	ff_run(ff, 0, 8);
	expect_broken(ff, 0, "rx ring");
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), -1);
	stop(ff);

	ff = start_default();
	ff_rx_post(ff, 0, 4);
	ff_tap_write(ff, 0, NULL, frame, 100);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 100);
	ff->q[0].rx.sring->req_prod = 0; /* req_cons is 1 */
	ff_tap_write(ff, 0, NULL, frame, 100);
	ff_run(ff, 0, 8);
	expect_broken(ff, 0, "behind");
	stop(ff);
}

/* ---- A guest can break only its own queue / vif. ---- */

static void broken_queue_leaves_others_working(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff, *other = start_default();

	(void)state;
	o.nq = 2;
	ff = start(&o);
	ff->q[1].tx.sring->req_prod += 1000;
	ff_run(ff, 1, 8);
	expect_broken(ff, 1, "tx ring");
	assert_false(ff_status(ff, 0).broken);
	still_works(ff, 0);   /* the vif's other queue */
	still_works(other, 0); /* another vif */
	stop(ff);
	stop(other);
}

/* XSA-90: a malformed packet marks the queue broken on the worker; the
 * teardown itself happens from the control plane's stop, which is clean on
 * a broken queue with work still pending. */
static void fatal_error_teardown_from_control_plane(void **state)
{
	struct ff *ff = start_default();
	xvif_tx_req_t *r;

	(void)state;
	ff_frame(frame, 100, 4, XVIF_IPPROTO_UDP, 1);
	ff_tap_write(ff, 0, NULL, frame, 100); /* RX work left queued */
	r = ff_tx_slot(ff, 0);
	r->gref = ff_gref(ff);
	r->offset = 4000;
	r->size = 200; /* crosses the page */
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	expect_broken(ff, 0, "cross_page");
	assert_int_equal(ff_status(ff, 0).counters.tx_drop[XVIF_TXR_CROSS_PAGE], 1);
	stop(ff); /* no leak, no crash: the queued RX packet is freed */
}

/* ---- XSA-155: double fetch ---- */

struct rewrite {
	struct ff *ff;
	unsigned int qi;
};

/* Runs inside the grant copy, i.e. after the engine copied and checked the
 * requests: the frontend rewrites every TX and RX request slot. */
static void rewrite_ring(struct fake_xen *fx, void *arg)
{
	struct rewrite *rw = arg;
	struct ff_queue *q = &rw->ff->q[rw->qi];
	unsigned int i;

	(void)fx;
	for (i = 0; i < RING_SIZE(&q->tx); i++) {
		xvif_tx_req_t *r = &q->tx.sring->ring[i].req;

		r->gref = 0;
		r->offset = 4095;
		r->size = 0xffff;
		r->flags = XEN_NETTXF_more_data | XEN_NETTXF_extra_info;
		r->id = 0xdead;
	}
	for (i = 0; i < RING_SIZE(&q->rx); i++) {
		q->rx.sring->ring[i].req.gref = 0;
		q->rx.sring->ring[i].req.id = 0xbeef;
	}
}

static void double_fetch_tx_rewrite_after_copy(void **state)
{
	struct ff *ff = start_default();
	struct ff_tx t = { .nslots = 3, .flags = XEN_NETTXF_csum_blank, .gso_type = XEN_NETIF_GSO_TYPE_TCPV4,
			   .gso_size = 1000 };
	struct rewrite rw = { ff, 0 };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[8];
	uint16_t id0 = ff->q[0].tx_id;

	(void)state;
	ff_frame(frame, 9000, 4, XVIF_IPPROTO_TCP, 5);
	assert_int_equal(ff_tx_queue(ff, 0, frame, 9000, &t), 4);
	ff_tx_push(ff, 0);
	ff->fx.copy_hook = rewrite_ring;
	ff->fx.copy_hook_arg = &rw;
	ff_run(ff, 0, 8);
	ff->fx.copy_hook = NULL;
	assert_false(xvif_dp_vif_broken(ff->vif));
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 9000);
	assert_memory_equal(got, frame, 9000);
	assert_int_equal(vh.gso_size, 1000);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 4);
	assert_int_equal(rsp[0].id, id0);
	assert_int_equal(rsp[1].status, XEN_NETIF_RSP_NULL);
	assert_int_equal(rsp[2].id, id0 + 1);
	assert_int_equal(rsp[3].id, id0 + 2);
	assert_int_equal(rsp[3].status, XEN_NETIF_RSP_OKAY);
	stop(ff);
}

static void double_fetch_rx_rewrite_after_copy(void **state)
{
	struct ff *ff = start_default();
	struct rewrite rw = { ff, 0 };
	struct xvif_rxr_pkt pkt;

	(void)state;
	ff_rx_post(ff, 0, 4);
	ff_frame(frame, 6000, 4, XVIF_IPPROTO_TCP, 5);
	ff_tap_write(ff, 0, NULL, frame, 6000);
	ff->fx.copy_hook = rewrite_ring;
	ff->fx.copy_hook_arg = &rw;
	ff_run(ff, 0, 8);
	ff->fx.copy_hook = NULL;
	/* Delivered to the buffers as posted, with the posted ids. */
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 6000);
	assert_memory_equal(got, frame, 6000);
	assert_int_equal(pkt.seg[0].id, 0);
	assert_int_equal(pkt.seg[1].id, 1);
	stop(ff);
}

/* ---- XSA-423 / 432 / 448: odd slot shapes ---- */

/* Headers split over slots, the first shorter than an Ethernet header. */
static void tiny_first_slot_headers_split(void **state)
{
	static const uint16_t rest[] = { 10, 20, 1000 };
	struct ff *ff = start_default();
	struct ff_tx t = { .nslots = 4, .slot_len = rest, .flags = XEN_NETTXF_csum_blank };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[8];

	(void)state;
	ff_frame(frame, 1034, 4, XVIF_IPPROTO_TCP, 5); /* slot 0 carries 4 bytes */
	ff_tx_queue(ff, 0, frame, 1034, &t);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 4);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 1034);
	assert_memory_equal(got, frame, 1034);
	assert_int_equal(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(vh.csum_start, 34);
	stop(ff);
}

/* The most slots a packet may have, each tiny. */
static void max_tiny_slots(void **state)
{
	uint16_t rest[XEN_NETIF_NR_SLOTS_MIN - 1];
	struct ff *ff = start_default();
	struct ff_tx t = { .nslots = XEN_NETIF_NR_SLOTS_MIN, .slot_len = rest };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[32];
	unsigned int i;

	(void)state;
	for (i = 0; i < XVIF_ARRAY_SIZE(rest); i++)
		rest[i] = 1;
	ff_frame(frame, 64, 4, XVIF_IPPROTO_UDP, 5);
	ff_tx_queue(ff, 0, frame, 64, &t);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 32), XEN_NETIF_NR_SLOTS_MIN);
	for (i = 0; i < XEN_NETIF_NR_SLOTS_MIN; i++)
		assert_int_equal(rsp[i].status, XEN_NETIF_RSP_OKAY);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 64);
	assert_memory_equal(got, frame, 64);
	stop(ff);
}

static void zero_length_slots(void **state)
{
	static const uint16_t rest[] = { 0, 500, 0 };
	struct ff *ff = start_default();
	struct ff_tx t = { .nslots = 4, .slot_len = rest };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[8];
	unsigned int i;

	(void)state;
	/* Zero-length slots inside a packet: harmless, delivered. */
	ff_frame(frame, 800, 4, XVIF_IPPROTO_UDP, 5);
	ff_tx_queue(ff, 0, frame, 800, &t);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 4);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 800);
	assert_memory_equal(got, frame, 800);

	/* A packet made only of zero-length slots: dropped, counted. */
	for (i = 0; i < 3; i++) {
		xvif_tx_req_t *r = ff_tx_slot(ff, 0);

		r->gref = ff_gref(ff);
		r->id = (uint16_t)(50 + i);
		r->flags = i < 2 ? XEN_NETTXF_more_data : 0;
	}
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(rsp[i].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(ff_status(ff, 0).counters.tx_drop[XVIF_TXR_TOO_SHORT], 1);
	assert_false(xvif_dp_vif_broken(ff->vif));
	still_works(ff, 0);
	stop(ff);
}

/* ---- netif.h rules ---- */

static void slot_crosses_page_breaks_queue(void **state)
{
	static const uint16_t rest[] = { 200 };
	struct ff *ff = start_default();
	xvif_tx_req_t *r;

	(void)state;
	ff_frame(frame, 300, 4, XVIF_IPPROTO_UDP, 5);
	ff_tx_queue(ff, 0, frame, 300, &(struct ff_tx){ .nslots = 2, .slot_len = rest });
	/* Move the second slot to the end of its page. */
	r = RING_GET_REQUEST(&ff->q[0].tx, ff->q[0].tx.req_prod_pvt - 1);
	r->offset = 4000;
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	expect_broken(ff, 0, "cross_page");
	expect_silent(ff, 0);
	stop(ff);
}

static void size_larger_than_total_dropped(void **state)
{
	static const uint16_t rest[] = { 400 };
	struct ff *ff = start_default();
	xvif_tx_rsp_t rsp[8];

	(void)state;
	ff_frame(frame, 300, 4, XVIF_IPPROTO_UDP, 5);
	ff_tx_queue(ff, 0, frame, 300, &(struct ff_tx){ .nslots = 2, .slot_len = rest });
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 2);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[1].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(ff_status(ff, 0).counters.tx_drop[XVIF_TXR_SIZE_MISMATCH], 1);
	still_works(ff, 0);
	stop(ff);
}

/* Far more slots than any honest frontend uses: the queue is broken. */
static void far_too_many_slots_breaks_queue(void **state)
{
	struct ff *ff = start_default();

	(void)state;
	ff_frame(frame, 30 * 100, 4, XVIF_IPPROTO_UDP, 5);
	ff_tx_queue(ff, 0, frame, 30 * 100, &(struct ff_tx){ .nslots = 30 });
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	expect_broken(ff, 0, "chain_too_long");
	expect_silent(ff, 0);
	stop(ff);
}

/* A chain whose last pushed slot says more_data: truncated, fatal. */
static void truncated_chain_breaks_queue(void **state)
{
	struct ff *ff = start_default();
	xvif_tx_req_t *r;

	(void)state;
	r = ff_tx_slot(ff, 0);
	r->gref = ff_gref(ff);
	r->size = 500;
	r->flags = XEN_NETTXF_more_data;
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	expect_broken(ff, 0, "truncated");
	stop(ff);
}

/* ---- extra-info segments ---- */

static void push_with_extra(struct ff *ff, uint8_t type, uint8_t gso_type, uint16_t gso_size, bool twice,
			    bool more_on_last)
{
	xvif_tx_req_t *r;
	xvif_extra_t ex;

	ff_frame(frame, 2000, 4, XVIF_IPPROTO_TCP, 5);
	r = ff_tx_slot(ff, 0);
	r->gref = ff_gref(ff);
	memcpy(fake_gnt_page(&ff->fx, r->gref), frame, 2000);
	r->size = 2000;
	r->id = 1;
	r->flags = XEN_NETTXF_extra_info | XEN_NETTXF_csum_blank;
	memset(&ex, 0, sizeof(ex));
	ex.type = type;
	ex.u.gso.type = gso_type;
	ex.u.gso.size = gso_size;
	if (twice) {
		ex.flags = XEN_NETIF_EXTRA_FLAG_MORE;
		memcpy(ff_tx_slot(ff, 0), &ex, sizeof(ex));
		ex.flags = 0;
	}
	if (more_on_last)
		ex.flags = XEN_NETIF_EXTRA_FLAG_MORE;
	memcpy(ff_tx_slot(ff, 0), &ex, sizeof(ex));
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
}

static void extra_unknown_type_breaks_queue(void **state)
{
	struct ff *ff = start_default();

	(void)state;
	push_with_extra(ff, 9, 0, 0, false, false);
	expect_broken(ff, 0, "bad_extra_type");
	stop(ff);
	ff = start_default();
	push_with_extra(ff, XEN_NETIF_EXTRA_TYPE_NONE, 0, 0, false, false);
	expect_broken(ff, 0, "bad_extra_type");
	stop(ff);
}

static void extra_repeated_dropped(void **state)
{
	struct ff *ff = start_default();
	xvif_tx_rsp_t rsp[8];

	(void)state;
	push_with_extra(ff, XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_GSO_TYPE_TCPV4, 1000, true, false);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 3);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[1].status, XEN_NETIF_RSP_NULL);
	assert_int_equal(rsp[2].status, XEN_NETIF_RSP_NULL);
	assert_int_equal(ff_status(ff, 0).counters.tx_drop[XVIF_TXR_REPEATED_EXTRA], 1);
	still_works(ff, 0);
	stop(ff);
}

static void extra_truncated_breaks_queue(void **state)
{
	struct ff *ff = start_default();

	(void)state;
	push_with_extra(ff, XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_GSO_TYPE_TCPV4, 1000, false, true);
	expect_broken(ff, 0, "truncated");
	stop(ff);
}

static void gso_size_zero_or_absurd_type_dropped(void **state)
{
	struct ff *ff = start_default();
	xvif_tx_rsp_t rsp[8];

	(void)state;
	push_with_extra(ff, XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_GSO_TYPE_TCPV4, 0, false, false);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 2);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	push_with_extra(ff, XEN_NETIF_EXTRA_TYPE_GSO, 200, 1000, false, false);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 2);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(ff_status(ff, 0).counters.tx_drop[XVIF_TXR_BAD_GSO], 2);
	assert_int_equal(ff_tap_read(ff, 0, &(struct virtio_net_hdr){ 0 }, got, sizeof(got)), -1);
	still_works(ff, 0);
	stop(ff);
}

/* ---- grants: invalid, revoked, foreign; per-segment status ---- */

static void tx_bad_grants_error_response(void **state)
{
	struct ff *ff = start_default();
	xvif_tx_rsp_t rsp[8];
	xvif_tx_req_t *r;
	unsigned int kind;

	(void)state;
	for (kind = 0; kind < 4; kind++) {
		ff_frame(frame, 3000, 4, XVIF_IPPROTO_UDP, kind);
		ff_tx_queue(ff, 0, frame, 3000, &(struct ff_tx){ .nslots = 2 });
		/* Spoil the second slot's grant. */
		r = RING_GET_REQUEST(&ff->q[0].tx, ff->q[0].tx.req_prod_pvt - 1);
		if (kind == 0)
			r->gref = 5000; /* beyond the table */
		else if (kind == 1)
			fake_gnt_set(&ff->fx, r->gref, FAKE_GNT_REVOKED);
		else if (kind == 2)
			ff->fx.owner[r->gref] = FF_DOMID + 1; /* another domain's grant */
		else
			fake_gnt_set(&ff->fx, r->gref, FAKE_GNT_INVALID);
		ff_tx_push(ff, 0);
		ff_run(ff, 0, 8);
		assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 2);
		assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
		assert_int_equal(rsp[1].status, XEN_NETIF_RSP_ERROR);
		assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_GNT_ERR), kind + 1);
		assert_int_equal(ff_tap_read(ff, 0, &(struct virtio_net_hdr){ 0 }, got, sizeof(got)), -1);
	}
	assert_false(xvif_dp_vif_broken(ff->vif));
	still_works(ff, 0);
	stop(ff);
}

/* In one batch, the bad packet fails alone. */
static void tx_bad_grant_fails_only_its_packet(void **state)
{
	struct ff *ff = start_default();
	xvif_tx_rsp_t rsp[8];
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		ff_frame(frame, 500, 4, XVIF_IPPROTO_UDP, i);
		ff_tx_queue(ff, 0, frame, 500, NULL);
		if (i == 1)
			fake_gnt_set(&ff->fx, RING_GET_REQUEST(&ff->q[0].tx, ff->q[0].tx.req_prod_pvt - 1)->gref,
				     FAKE_GNT_REVOKED);
	}
	ff_tx_push(ff, 0);
	ff->fx.copy_calls = 0;
	ff_run(ff, 0, 8);
	assert_int_equal(ff->fx.copy_calls, 1);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 3);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_OKAY);
	assert_int_equal(rsp[1].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[2].status, XEN_NETIF_RSP_OKAY);
	for (i = 0; i < 3; i += 2) {
		ff_frame(frame, 500, 4, XVIF_IPPROTO_UDP, i);
		assert_int_equal(ff_tap_read(ff, 0, &(struct virtio_net_hdr){ 0 }, got, sizeof(got)), 500);
		assert_memory_equal(got, frame, 500);
	}
	stop(ff);
}

/*
 * Per-segment grant-copy status, wherever the failing slot sits: in a
 * batch of three packets the middle one is a GSO packet (data slot 0, an
 * extra-info slot, data slots 1-3, one of them zero-length so it has no
 * copy segment); one data slot's grant is bad, at each position in turn
 * and of each kind. Only that packet fails: ERROR for each of its data
 * slots, NULL for the extra, nothing on the TAP; its neighbours in the
 * same grant-copy call arrive intact; the vif stays up.
 */
static void tx_grant_copy_status_each_slot(void **state)
{
	static const uint16_t rest[] = { 0, 3000, 3000 }; /* slot 0 gets the other 3000 */
	struct ff *ff = start_default();
	struct ff_tx t = { .nslots = 4, .slot_len = rest, .flags = XEN_NETTXF_csum_blank,
			   .gso_type = XEN_NETIF_GSO_TYPE_TCPV4, .gso_size = 1400 };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[16];
	unsigned int pos, k, n, errs = 0;
	RING_IDX p;
	uint32_t gref;

	(void)state;
	for (pos = 0; pos < 4; pos++) {
		if (pos == 1)
			continue; /* the zero-length slot: nothing is copied from it */
		ff_frame(frame, 700, 4, XVIF_IPPROTO_UDP, 10 + pos);
		ff_tx_queue(ff, 0, frame, 700, NULL);
		p = ff->q[0].tx.req_prod_pvt;
		ff_frame(frame, 9000, 4, XVIF_IPPROTO_TCP, 20 + pos);
		assert_int_equal(ff_tx_queue(ff, 0, frame, 9000, &t), 5);
		/* Data slot 0 is request p, the extra p + 1, data slot k p + 1 + k. */
		gref = RING_GET_REQUEST(&ff->q[0].tx, pos == 0 ? p : p + 1 + pos)->gref;
		switch (pos) {
		case 0:
			fake_gnt_set(&ff->fx, gref, FAKE_GNT_REVOKED);
			break;
		case 2:
			ff->fx.owner[gref] = FF_DOMID + 1;
			break;
		default:
			fake_gnt_set(&ff->fx, gref, FAKE_GNT_INVALID);
			break;
		}
		ff_frame(frame, 800, 4, XVIF_IPPROTO_UDP, 30 + pos);
		ff_tx_queue(ff, 0, frame, 800, NULL);
		ff_tx_push(ff, 0);
		ff->fx.copy_calls = 0;
		ff_run(ff, 0, 8);
		assert_int_equal(ff->fx.copy_calls, 1); /* all three in one call */
		errs++;
		assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_GNT_ERR), errs);
		n = ff_tx_rsp(ff, 0, rsp, 16);
		assert_int_equal(n, 7);
		assert_int_equal(rsp[0].status, XEN_NETIF_RSP_OKAY);
		assert_int_equal(rsp[1].status, XEN_NETIF_RSP_ERROR);
		assert_int_equal(rsp[2].status, XEN_NETIF_RSP_NULL);
		for (k = 3; k < 6; k++)
			assert_int_equal(rsp[k].status, XEN_NETIF_RSP_ERROR);
		assert_int_equal(rsp[6].status, XEN_NETIF_RSP_OKAY);
		ff_frame(frame, 700, 4, XVIF_IPPROTO_UDP, 10 + pos);
		assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 700);
		assert_memory_equal(got, frame, 700);
		ff_frame(frame, 800, 4, XVIF_IPPROTO_UDP, 30 + pos);
		assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 800);
		assert_memory_equal(got, frame, 800);
		assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
		/* Restore the grant for the next round's fresh pages. */
		ff->fx.owner[gref] = FF_DOMID;
	}
	assert_false(xvif_dp_vif_broken(ff->vif));
	still_works(ff, 0);
	stop(ff);
}

static void rx_revoked_buffer_error_response(void **state)
{
	struct ff *ff = start_default();
	struct xvif_rxr_pkt pkt;

	(void)state;
	ff_rx_post(ff, 0, 4);
	fake_gnt_set(&ff->fx, ff->q[0].rx_gref[1], FAKE_GNT_REVOKED);
	ff_frame(frame, 6000, 4, XVIF_IPPROTO_UDP, 1);
	ff_tap_write(ff, 0, NULL, frame, 6000); /* slots 0 and 1: fails */
	ff_frame(frame, 700, 4, XVIF_IPPROTO_UDP, 2);
	ff_tap_write(ff, 0, NULL, frame, 700);  /* slot 2: fine */
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 0);
	assert_true(pkt.error);
	assert_int_equal(pkt.nr_slots, 2);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 700);
	assert_false(pkt.error);
	assert_memory_equal(got, frame, 700);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_GNT_ERR), 1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS), 1);
	stop(ff);
}

/* The whole grant-copy call fails: every packet of the batch gets an error. */
static void copy_call_failure_errors_batch(void **state)
{
	struct ff *ff = start_default();
	xvif_tx_rsp_t rsp[8];

	(void)state;
	ff_frame(frame, 500, 4, XVIF_IPPROTO_UDP, 1);
	ff_tx_queue(ff, 0, frame, 500, NULL);
	ff_tx_queue(ff, 0, frame, 500, NULL);
	ff_tx_push(ff, 0);
	ff->fx.copy_call_fails = true;
	ff_run(ff, 0, 8);
	ff->fx.copy_call_fails = false;
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 2);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[1].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_GNT_ERR), 2);
	still_works(ff, 0);
	stop(ff);
}

/* Frontend vanishes mid-transfer (domain destroyed): all its grants go. */
static void frontend_vanishes_mid_transfer(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff;
	unsigned int g, i;

	(void)state;
	o.nq = 2;
	o.ctrl = true;
	ff = start(&o);
	ff_rx_post(ff, 0, 8);
	for (i = 0; i < 5; i++) {
		ff_frame(frame, 1000, 4, XVIF_IPPROTO_UDP, i);
		ff_tx_queue(ff, 0, frame, 1000, NULL);
		ff_tap_write(ff, 0, NULL, frame, 1000);
		ff_tap_write(ff, 1, NULL, frame, 1000);
	}
	ff_tx_push(ff, 0);
	for (g = FF_BUF_GREF; g < FAKE_GNT_PAGES; g++)
		if (ff->fx.state[g] == FAKE_GNT_VALID)
			fake_gnt_set(&ff->fx, g, FAKE_GNT_REVOKED);
	ff_run(ff, 0, 8);
	ff_run(ff, 1, 8);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_GNT_ERR), 5);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_GNT_ERR), 5);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS), 0);
	/* Queue 1 never got buffers: its packets wait, and stop frees them. */
	assert_true(ff_status(ff, 1).rx_queued_bytes > 0);
	stop(ff);
}

/* ---- XSA-270: out-of-range control-ring values ---- */

static void ctrl_ring_out_of_range_values(void **state)
{
	struct ff_opts o = ff_default_opts();
	uint32_t g, map[4] = { 0, 1, 2, 1 };
	struct ff *ff;

	(void)state;
	o.nq = 2;
	o.ctrl = true;
	ff = start(&o);
	g = ff_gref(ff);
	memcpy(fake_gnt_page(&ff->fx, g), map, sizeof(map));
	/* Key longer than the largest key. */
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, g, XVIF_HASH_KEY_MAX + 1, 0).status,
			 XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW);
	/* Key from a grant we cannot copy. */
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, 5000, 8, 0).status,
			 XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	/* Mapping size above the maximum. */
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, XVIF_HASH_MAPPING_MAX + 1, 0, 0).status,
			 XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 4, 0, 0).status,
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	/* offset + len wrapping around 2^32. */
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, g, 2, 0xffffffffu).status,
			 XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	/* offset + len past the mapping size. */
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, g, 3, 2).status,
			 XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	/* A queue index the vif does not have (2 of 2 queues). */
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, g, 4, 0).status,
			 XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	/* Huge length. */
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, g, 0x40000000u, 0).status,
			 XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW);
	/* Unknown and unsupported types. */
	assert_int_equal(ff_ctrl(ff, 77, 0, 0, 0).status, XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED);
	/* Flags before an algorithm. */
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0, 0).status,
			 XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	/* The good ones still work afterwards. */
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, g, 2, 0).status,
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE, 0, 0, 0).data, XVIF_HASH_MAPPING_MAX);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_CTRL_ERR), 9);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_CTRL_REQUESTS), 12);
	assert_false(xvif_dp_vif_broken(ff->vif));
	stop(ff);
}

static void ctrl_ring_req_prod_jump_breaks_queue0(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff;

	(void)state;
	o.ctrl = true;
	ff = start(&o);
	ff->ctrl.sring->req_prod = 7777;
	ff_run(ff, 0, 8);
	expect_broken(ff, 0, "ctrl ring");
	stop(ff);
}

/* ---- XSA-331/332: event floods; bounded work per wake-up ---- */

static void event_flood_bounded(void **state)
{
	struct ff *ff = start_default();
	unsigned int i;

	(void)state;
	for (i = 0; i < 10000; i++) {
		fake_evt_raise(&ff->fx, ff->q[0].evt_tx);
		/* A spurious event costs exactly one pass: never "more work". */
		assert_int_equal(ff_run(ff, 0, 8), 1);
	}
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_WAKEUPS), 10000);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_EVENTS), 10000);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_BUDGET_EXHAUSTED), 0);
	assert_int_equal(ff->fx.copy_calls, 0);
	assert_false(xvif_dp_vif_broken(ff->vif));
	still_works(ff, 0);
	stop(ff);
}

static void tx_budget_per_wakeup(void **state)
{
	struct ff *ff = start_default();
	unsigned int i, n = 0;

	(void)state;
	ff_frame(frame, 100, 4, XVIF_IPPROTO_UDP, 1);
	for (i = 0; i < 200; i++)
		ff_tx_queue(ff, 0, frame, 100, NULL);
	ff_tx_push(ff, 0);
	assert_true(xvif_dp_queue_run(ff->vif, 0)); /* more work waits */
	while (ff_tap_read(ff, 0, &(struct virtio_net_hdr){ 0 }, got, sizeof(got)) == 100)
		n++;
	assert_int_equal(n, XVIF_DP_TX_BUDGET);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_BUDGET_EXHAUSTED), 1);
	ff_run(ff, 0, 16);
	while (ff_tap_read(ff, 0, &(struct virtio_net_hdr){ 0 }, got, sizeof(got)) == 100)
		n++;
	assert_int_equal(n, 200);
	stop(ff);
}

static void rx_budget_per_wakeup(void **state)
{
	struct ff *ff = start_default();
	struct xvif_rxr_pkt pkt;
	unsigned int i, n = 0;

	(void)state;
	ff_rx_post(ff, 0, 200);
	ff_frame(frame, 100, 4, XVIF_IPPROTO_UDP, 1);
	for (i = 0; i < 150; i++)
		ff_tap_write(ff, 0, NULL, frame, 100);
	assert_true(xvif_dp_queue_run(ff->vif, 0));
	while (ff_rx_recv(ff, 0, got, sizeof(got), &pkt) == 100)
		n++;
	assert_int_equal(n, XVIF_DP_RX_BUDGET);
	ff_run(ff, 0, 16);
	while (ff_rx_recv(ff, 0, got, sizeof(got), &pkt) == 100)
		n++;
	assert_int_equal(n, 150);
	stop(ff);
}

/* ---- XSA-392: a guest that stops posting RX buffers ---- */

static void rx_starvation_bounded_and_stall_drops(void **state)
{
	struct ff *ff = start_default();
	struct xvif_dp_queue_status st;
	struct xvif_rxr_pkt pkt;
	unsigned int i, written = 0;

	(void)state;
	ff_frame(frame, 1400, 4, XVIF_IPPROTO_UDP, 1);
	for (i = 0; i < 600; i++) {
		if (ff_tap_write(ff, 0, NULL, frame, 1400) < 0)
			break; /* the "TAP" is full too: the engine stopped reading */
		written++;
		if (i % 50 == 49)
			ff_run(ff, 0, 64);
	}
	ff_run(ff, 0, 64);
	assert_true(written * 1400 > XVIF_DP_RX_QUEUE_BYTES);
	st = ff_status(ff, 0);
	/* Bounded in bytes: the engine stopped reading the TAP. */
	assert_true(st.rx_queued_bytes >= XVIF_DP_RX_QUEUE_BYTES);
	assert_true(st.rx_queued_bytes < XVIF_DP_RX_QUEUE_BYTES + 1400);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS), 0);
	/* Just before the stall timeout nothing is dropped... */
	ff->fx.now_us += XVIF_DP_RX_STALL_USEC - 1;
	ff_run(ff, 0, 8);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_STALL_DROP), 0);
	assert_true(xvif_dp_queue_timeout_ms(&ff->vif->q[0]) <= 1);
	/* ...after it, the stalled packets go, and the TAP is read again. */
	ff->fx.now_us += 2;
	ff_run(ff, 0, 8);
	assert_true(ff_cnt(ff, 0, XVIF_DPC_RX_STALL_DROP) >= XVIF_DP_RX_QUEUE_BYTES / 1400);
	st = ff_status(ff, 0);
	assert_true(st.rx_queued_bytes > 0); /* newly read packets wait again */
	/* The guest comes back: delivery resumes. */
	ff_rx_post(ff, 0, 256);
	ff_run(ff, 0, 64);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 1400);
	assert_memory_equal(got, frame, 1400);
	assert_false(xvif_dp_vif_broken(ff->vif));
	stop(ff);
}

/* A queue whose inbox is full drops steered packets rather than grow. */
static void steered_inbox_bounded(void **state)
{
	static const uint8_t key[4] = { 9, 9, 9, 9 };
	struct ff_opts o = ff_default_opts();
	uint32_t map[1] = { 1 }, kg, mg;
	struct ff *ff;
	unsigned int i;

	(void)state;
	o.nq = 2;
	o.ctrl = true;
	ff = start(&o);
	kg = ff_gref(ff);
	memcpy(fake_gnt_page(&ff->fx, kg), key, sizeof(key));
	mg = ff_gref(ff);
	memcpy(fake_gnt_page(&ff->fx, mg), map, sizeof(map));
	ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0);
	ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0, 0);
	ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, kg, sizeof(key), 0);
	ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 1, 0, 0);
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, mg, 1, 0).status,
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	ff_frame(frame, 1400, 4, XVIF_IPPROTO_UDP, 1);
	for (i = 0; i < 500; i++) {
		assert_int_equal(ff_tap_write(ff, 0, NULL, frame, 1400), 0);
		if (i % 50 == 49)
			ff_run(ff, 0, 64); /* queue 1 never runs */
	}
	ff_run(ff, 0, 64);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_STEERED) + ff_cnt(ff, 0, XVIF_DPC_RX_QUEUE_FULL), 500);
	assert_true(ff_cnt(ff, 0, XVIF_DPC_RX_STEERED) * 1400 <= XVIF_DP_RX_QUEUE_BYTES);
	assert_true(ff_cnt(ff, 0, XVIF_DPC_RX_QUEUE_FULL) > 0);
	stop(ff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ring_req_prod_overflow_at_map_time),
		cmocka_unit_test(ring_tx_req_prod_jumps_ahead),
		cmocka_unit_test(ring_tx_req_prod_goes_backwards),
		cmocka_unit_test(ring_rx_req_prod_jumps_and_goes_back),
		cmocka_unit_test(broken_queue_leaves_others_working),
		cmocka_unit_test(fatal_error_teardown_from_control_plane),
		cmocka_unit_test(double_fetch_tx_rewrite_after_copy),
		cmocka_unit_test(double_fetch_rx_rewrite_after_copy),
		cmocka_unit_test(tiny_first_slot_headers_split),
		cmocka_unit_test(max_tiny_slots),
		cmocka_unit_test(zero_length_slots),
		cmocka_unit_test(slot_crosses_page_breaks_queue),
		cmocka_unit_test(size_larger_than_total_dropped),
		cmocka_unit_test(far_too_many_slots_breaks_queue),
		cmocka_unit_test(truncated_chain_breaks_queue),
		cmocka_unit_test(extra_unknown_type_breaks_queue),
		cmocka_unit_test(extra_repeated_dropped),
		cmocka_unit_test(extra_truncated_breaks_queue),
		cmocka_unit_test(gso_size_zero_or_absurd_type_dropped),
		cmocka_unit_test(tx_bad_grants_error_response),
		cmocka_unit_test(tx_bad_grant_fails_only_its_packet),
		cmocka_unit_test(tx_grant_copy_status_each_slot),
		cmocka_unit_test(rx_revoked_buffer_error_response),
		cmocka_unit_test(copy_call_failure_errors_batch),
		cmocka_unit_test(frontend_vanishes_mid_transfer),
		cmocka_unit_test(ctrl_ring_out_of_range_values),
		cmocka_unit_test(ctrl_ring_req_prod_jump_breaks_queue0),
		cmocka_unit_test(event_flood_bounded),
		cmocka_unit_test(tx_budget_per_wakeup),
		cmocka_unit_test(rx_budget_per_wakeup),
		cmocka_unit_test(rx_starvation_bounded_and_stall_drops),
		cmocka_unit_test(steered_inbox_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
