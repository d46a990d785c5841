// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest TX through the engine: the test plays the frontend on a real ring
 * page, the engine writes to a SOCK_SEQPACKET "TAP". Each test checks the
 * responses, the bytes and virtio_net_hdr on the socket, and the counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_front.h"

static uint8_t frame[70000], got[70000];

/* What the frontend could see when the engine wrote to its TAP: this
 * definition takes the engine's writev calls (the test side's as well, not
 * watched). */
static struct ff *watch_ff;
static int watch_fd = -1;
static unsigned int watch_writes;
static uint32_t watch_rsp_prod_at_first;
static unsigned int watch_notified_at_first;

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	if (watch_ff && fd == watch_fd && watch_writes++ == 0) {
		watch_rsp_prod_at_first = __atomic_load_n(&watch_ff->q[0].tx.sring->rsp_prod, __ATOMIC_ACQUIRE);
		watch_notified_at_first =
			fake_evt_notified(&watch_ff->fx, watch_ff->q[0].evt_tx);
	}
	return syscall(SYS_writev, fd, iov, n);
}

static int setup(void **state)
{
	struct ff *ff = calloc(1, sizeof(*ff));
	struct ff_opts o = ff_default_opts();

	if (!ff || ff_start(ff, &o) != 0)
		return -1;
	*state = ff;
	return 0;
}

static int teardown(void **state)
{
	struct ff *ff = *state;

	ff_stop(ff);
	free(ff);
	return 0;
}

/* Send one packet of @len in @nslots equal slots; run; expect it on the TAP. */
static void send_and_expect(struct ff *ff, uint32_t len, unsigned int nslots)
{
	struct ff_tx t = { .nslots = nslots };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[64];
	unsigned int used, n, i;

	ff_frame(frame, len, 4, XVIF_IPPROTO_TCP, len);
	used = ff_tx_queue(ff, 0, frame, len, &t);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	n = ff_tx_rsp(ff, 0, rsp, 64);
	assert_int_equal(n, used);
	for (i = 0; i < n; i++)
		assert_int_equal(rsp[i].status, XEN_NETIF_RSP_OKAY);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), (int)len);
	assert_memory_equal(got, frame, len);
	assert_int_equal(vh.flags, 0);
	assert_int_equal(vh.gso_type, VIRTIO_NET_HDR_GSO_NONE);
}

static void tx_single_slot(void **state)
{
	struct ff *ff = *state;

	send_and_expect(ff, 100, 1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS), 1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_BYTES), 100);
	assert_false(xvif_dp_vif_broken(ff->vif));
}

static void tx_multi_slot(void **state)
{
	struct ff *ff = *state;

	send_and_expect(ff, 3000, 3);
	send_and_expect(ff, 1514, 2);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS), 2);
}

/* XEN_NETIF_NR_SLOTS_MIN slots: still accepted. */
static void tx_max_slots_accepted(void **state)
{
	struct ff *ff = *state;

	send_and_expect(ff, 18 * 1000, XEN_NETIF_NR_SLOTS_MIN);
}

/* One slot more than XEN_NETIF_NR_SLOTS_MIN: error responses, counted. */
static void tx_too_many_slots_dropped(void **state)
{
	struct ff *ff = *state;
	struct ff_tx t = { .nslots = XEN_NETIF_NR_SLOTS_MIN + 1 };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[64];
	unsigned int used, n, i;

	ff_frame(frame, 19 * 100, 4, XVIF_IPPROTO_TCP, 1);
	used = ff_tx_queue(ff, 0, frame, 19 * 100, &t);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	n = ff_tx_rsp(ff, 0, rsp, 64);
	assert_int_equal(n, used);
	for (i = 0; i < n; i++)
		assert_int_equal(rsp[i].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
	assert_int_equal(ff_status(ff, 0).counters.tx_drop[XVIF_TXR_TOO_MANY_SLOTS], 1);
	assert_false(xvif_dp_vif_broken(ff->vif));
	/* The queue goes on. */
	send_and_expect(ff, 200, 2);
}

static void expect_vnet(struct ff *ff, uint32_t len, uint16_t flags, uint8_t gso_type, uint16_t gso_size,
			const struct virtio_net_hdr *want)
{
	struct ff_tx t = { .nslots = len > 4000 ? (len + 3999) / 4000 : 1, .flags = flags, .gso_type = gso_type,
			   .gso_size = gso_size };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[64];
	unsigned int used, n, i, nulls = 0;

	used = ff_tx_queue(ff, 0, frame, len, &t);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	n = ff_tx_rsp(ff, 0, rsp, 64);
	assert_int_equal(n, used);
	for (i = 0; i < n; i++) {
		if (rsp[i].status == XEN_NETIF_RSP_NULL)
			nulls++;
		else
			assert_int_equal(rsp[i].status, XEN_NETIF_RSP_OKAY);
	}
	assert_int_equal(nulls, gso_type ? 1 : 0);
	/* The extra's response sits right after the first slot's. */
	if (gso_type)
		assert_int_equal(rsp[1].status, XEN_NETIF_RSP_NULL);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), (int)len);
	assert_memory_equal(got, frame, len);
	assert_int_equal(vh.flags, want->flags);
	assert_int_equal(vh.gso_type, want->gso_type);
	assert_int_equal(vh.gso_size, want->gso_size);
	assert_int_equal(vh.csum_start, want->csum_start);
	assert_int_equal(vh.csum_offset, want->csum_offset);
	assert_int_equal(vh.hdr_len, want->hdr_len);
}

static void tx_csum_blank_to_needs_csum(void **state)
{
	struct virtio_net_hdr want = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 34, .csum_offset = 16 };
	struct virtio_net_hdr want_udp6 = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 54, .csum_offset = 6 };

	ff_frame(frame, 600, 4, XVIF_IPPROTO_TCP, 3);
	expect_vnet(*state, 600, XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated, 0, 0, &want);
	ff_frame(frame, 600, 6, XVIF_IPPROTO_UDP, 3);
	expect_vnet(*state, 600, XEN_NETTXF_csum_blank, 0, 0, &want_udp6);
}

static void tx_data_validated_to_data_valid(void **state)
{
	struct virtio_net_hdr want = { .flags = VIRTIO_NET_HDR_F_DATA_VALID };

	ff_frame(frame, 600, 4, XVIF_IPPROTO_TCP, 3);
	expect_vnet(*state, 600, XEN_NETTXF_data_validated, 0, 0, &want);
}

static void tx_gso_tcpv4(void **state)
{
	struct virtio_net_hdr want = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 34, .csum_offset = 16,
				       .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1448, .hdr_len = 54 };

	ff_frame(frame, 30000, 4, XVIF_IPPROTO_TCP, 9);
	expect_vnet(*state, 30000, XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated, XEN_NETIF_GSO_TYPE_TCPV4,
		    1448, &want);
}

static void tx_gso_tcpv6(void **state)
{
	struct virtio_net_hdr want = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 54, .csum_offset = 16,
				       .gso_type = VIRTIO_NET_HDR_GSO_TCPV6, .gso_size = 1428, .hdr_len = 74 };

	ff_frame(frame, 60000, 6, XVIF_IPPROTO_TCP, 9);
	expect_vnet(*state, 60000, XEN_NETTXF_csum_blank, XEN_NETIF_GSO_TYPE_TCPV6, 1428, &want);
}

/* csum_blank on a packet with no TCP/UDP header: error response, counted. */
static void tx_csum_blank_without_l4_dropped(void **state)
{
	struct ff *ff = *state;
	struct ff_tx t = { .flags = XEN_NETTXF_csum_blank };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[4];

	ff_frame(frame, 200, 0, 0, 1);
	ff_tx_queue(ff, 0, frame, 200, &t);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 4), 1);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_CSUM_ERR), 1);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
}

/* GSO over IPv6 while the extra says TCPv4: refused. */
static void tx_gso_type_mismatch_dropped(void **state)
{
	struct ff *ff = *state;
	struct ff_tx t = { .nslots = 2, .flags = XEN_NETTXF_csum_blank, .gso_type = XEN_NETIF_GSO_TYPE_TCPV4,
			   .gso_size = 1000 };
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[4];

	ff_frame(frame, 5000, 6, XVIF_IPPROTO_TCP, 1);
	ff_tx_queue(ff, 0, frame, 5000, &t);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 4), 3);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(rsp[1].status, XEN_NETIF_RSP_NULL);
	assert_int_equal(rsp[2].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_CSUM_ERR), 1);
	assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), -1);
}

/* Many packets pushed at once: one grant-copy call carries them all. */
static void tx_batched_copy(void **state)
{
	struct ff *ff = *state;
	struct virtio_net_hdr vh;
	struct ff_tx t = { .nslots = 2 };
	xvif_tx_rsp_t rsp[128];
	unsigned int i;

	for (i = 0; i < 32; i++) {
		ff_frame(frame, 1500, 4, XVIF_IPPROTO_UDP, i);
		ff_tx_queue(ff, 0, frame, 1500, &t);
	}
	ff_tx_push(ff, 0);
	ff->fx.copy_calls = 0;
	ff_run(ff, 0, 8);
	assert_int_equal(ff->fx.copy_calls, 1);
	assert_int_equal(ff->fx.copy_max_segs, 64);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 128), 64);
	for (i = 0; i < 32; i++) {
		ff_frame(frame, 1500, 4, XVIF_IPPROTO_UDP, i);
		assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 1500);
		assert_memory_equal(got, frame, 1500);
	}
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS), 32);
}

/*
 * Event suppression: once idle the engine asks for an event on the next
 * request (req_event = req_cons + 1); a frontend pushing twice without the
 * engine running notifies once. Responses notify only when the frontend
 * asked (rsp_event).
 */
static void tx_event_suppression(void **state)
{
	struct ff *ff = *state;
	xvif_tx_rsp_t rsp[8];
	uint64_t ev0;
	unsigned int n0;

	ff_run(ff, 0, 8);
	assert_int_equal(ff->q[0].tx.sring->req_event, ff->q[0].tx.req_prod_pvt + 1);
	ev0 = ff_cnt(ff, 0, XVIF_DPC_EVENTS);
	ff_frame(frame, 100, 4, XVIF_IPPROTO_TCP, 1);
	ff_tx_queue(ff, 0, frame, 100, NULL);
	ff_tx_push(ff, 0);
	ff_tx_queue(ff, 0, frame, 100, NULL);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_EVENTS) - ev0, 1);
	/* The frontend asked for a response event (rsp_event = 1 at init): one notify. */
	n0 = fake_evt_notified(&ff->fx, ff->q[0].evt_tx);
	assert_int_equal(n0, 1);
	/* Without the frontend consuming (rsp_event unchanged), more responses do not notify. */
	ff_tx_queue(ff, 0, frame, 100, NULL);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_tx), n0);
	/* Once it consumed and re-armed rsp_event, the next response notifies. */
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), 3);
	ff_tx_queue(ff, 0, frame, 100, NULL);
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_tx), n0 + 1);
	assert_int_equal(ff_tap_read(ff, 0, &(struct virtio_net_hdr){ 0 }, got, sizeof(got)), 100);
}

/* A ring index wrap: more packets than the ring holds, in rounds. */
static void tx_ring_wraps(void **state)
{
	struct ff *ff = *state;
	unsigned int i;

	for (i = 0; i < 300; i++)
		send_and_expect(ff, 60 + i, 1 + i % 3);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS), 300);
}

/* ---- Responses are pushed only at packet boundaries ----
 *
 * A restarted daemon adopts the rings where rsp_prod stands, so rsp_prod
 * must never stop inside a multi-slot packet. The test records where each
 * packet's slots end; tests/ring_watch.h runs a check at every ring
 * barrier, so it sees every rsp_prod the engine publishes. The fake grant
 * copy's hook plays a frontend that keeps producing while the backend
 * works, so one wake-up makes several passes and several pushes. */
void (*xvif_ring_watch_hook)(void);

struct tx_bounds {
	struct ff *ff;
	RING_IDX end[512];         /* request index after each packet, in order */
	unsigned int n, checks, moves, extra_rounds;
	RING_IDX last_prod;
	bool bad;
	RING_IDX bad_prod;
};
static struct tx_bounds *watched;

static bool tx_at_boundary(const struct tx_bounds *b, RING_IDX prod)
{
	unsigned int i;

	if (prod == 0)
		return true;
	for (i = 0; i < b->n; i++)
		if (b->end[i] == prod)
			return true;
	return false;
}

/* One packet of a varied shape: 1..5 data slots, every third with a GSO
 * extra (an extra slot inside the chain), every seventh oversized
 * (dropped: its slots are answered ERROR as one unit). */
static void tx_queue_varied(struct tx_bounds *b, unsigned int k)
{
	struct ff *ff = b->ff;
	struct ff_tx t = { .nslots = 1 + k % 5 };
	uint32_t len = 200 + 700 * (k % 5);

	if (k % 3 == 2) {
		t.gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
		t.gso_size = 100;
		t.flags = XEN_NETTXF_csum_blank;
	}
	if (k % 7 == 6)
		t.nslots = XVIF_TX_SLOTS_DROP + 1;
	if (len < 64u * t.nslots)
		len = 64u * t.nslots;
	ff_frame(frame, len, 4, XVIF_IPPROTO_TCP, k);
	ff_tx_queue(ff, 0, frame, len, &t);
	b->end[b->n++] = ff->q[0].tx.req_prod_pvt;
}

/* At every barrier: the published rsp_prod is a packet's end. */
static void tx_bounds_check(void)
{
	struct tx_bounds *b = watched;
	RING_IDX prod;

	if (!b)
		return;
	prod = __atomic_load_n(&b->ff->q[0].tx.sring->rsp_prod, __ATOMIC_ACQUIRE);
	b->checks++;
	if (prod != b->last_prod)
		b->moves++;
	b->last_prod = prod;
	if (!tx_at_boundary(b, prod) && !b->bad) {
		b->bad = true;
		b->bad_prod = prod;
	}
}

/* At every grant copy: the frontend produces more while the backend works. */
static void tx_produce_hook(struct fake_xen *fx, void *arg)
{
	struct tx_bounds *b = arg;
	unsigned int i;

	(void)fx;
	if (b->extra_rounds > 0) {
		b->extra_rounds--;
		for (i = 0; i < 4; i++)
			tx_queue_varied(b, b->n);
		ff_tx_push(b->ff, 0);
	}
}

static void tx_push_at_packet_boundaries(void **state)
{
	struct ff *ff = *state;
	struct tx_bounds *b = calloc(1, sizeof(*b));
	xvif_tx_rsp_t rsp[1];
	unsigned int i, round, shared = 0;

	assert_non_null(b);
	b->ff = ff;
	watched = b;
	xvif_ring_watch_hook = tx_bounds_check;
	ff->fx.copy_hook = tx_produce_hook;
	ff->fx.copy_hook_arg = b;
	for (round = 0; round < 8; round++) {
		unsigned int calls0 = ff->fx.copy_calls, moves0 = b->moves, rx0;
		bool both = round % 2 == 1;

		for (i = 0; i < 5; i++)
			tx_queue_varied(b, b->n);
		b->extra_rounds = 3;
		if (both) {
			/* Traffic the other way in the same wake-up: the last TX
			 * pass shares the RX pass's grant-copy call. */
			ff_rx_post(ff, 0, 8);
			ff_frame(frame, 300, 4, XVIF_IPPROTO_UDP, round);
			assert_int_equal(ff_tap_write(ff, 0, NULL, frame, 300), 0);
		}
		rx0 = (unsigned int)ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS);
		ff_tx_push(ff, 0);
		ff_run(ff, 0, 1);  /* one wake-up */
		if (b->bad)
			fail_msg("round %u: rsp_prod %u published inside a packet", round, b->bad_prod);
		assert_true(b->moves - moves0 >= 1);
		if (both) {
			assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS), rx0 + 1);
			assert_int_equal(ff->fx.copy_calls - calls0, 1);
			shared++;
		}
		/* The packets the frontend produced meanwhile, in the next
		 * wake-ups (it notified: a worker would be woken each time). */
		for (i = 0; i < 5; i++)
			ff_run(ff, 0, 64);
		if (b->bad)
			fail_msg("round %u: rsp_prod %u published inside a packet", round, b->bad_prod);
		ff_tx_rsp(ff, 0, rsp, 0);
		while (ff_tap_read(ff, 0, &(struct virtio_net_hdr){ 0 }, got, sizeof(got)) >= 0)
			;
		ff->q[0].rx.rsp_cons = ff->q[0].rx.sring->rsp_prod;
		/* Everything produced was answered. */
		assert_int_equal(b->extra_rounds, 0);
		assert_int_equal(ff->q[0].tx.sring->rsp_prod, ff->q[0].tx.req_prod_pvt);
		b->n = 0;      /* older ends are behind rsp_cons now */
		b->end[b->n++] = ff->q[0].tx.req_prod_pvt;
	}
	xvif_ring_watch_hook = NULL;
	watched = NULL;
	ff->fx.copy_hook = NULL;
	assert_true(b->checks > 0);
	assert_true(b->moves >= 8 * 4); /* each round: its packets and 3 productions */
	assert_int_equal(shared, 4);
	assert_true(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS) > 0);
	assert_true(ff_status(ff, 0).counters.tx_drop[XVIF_TXR_TOO_MANY_SLOTS] > 0);
	free(b);
}

/* A protocol violation after two good packets: the two are answered, the
 * responses stop exactly at the second packet's end, the queue breaks. */
static void tx_fatal_push_at_packet_boundary(void **state)
{
	struct ff *ff = *state;
	struct ff_tx t = { .nslots = 3 };
	RING_IDX good_end;
	xvif_tx_req_t *r;

	struct tx_bounds *b = calloc(1, sizeof(*b));

	assert_non_null(b);
	b->ff = ff;
	ff_frame(frame, 3000, 4, XVIF_IPPROTO_TCP, 1);
	ff_tx_queue(ff, 0, frame, 3000, &t);
	b->end[b->n++] = ff->q[0].tx.req_prod_pvt;
	ff_tx_queue(ff, 0, frame, 3000, &t);
	good_end = b->end[b->n++] = ff->q[0].tx.req_prod_pvt;
	watched = b;
	xvif_ring_watch_hook = tx_bounds_check;
	r = ff_tx_slot(ff, 0);   /* crosses its page: fatal */
	r->gref = ff_gref(ff);
	r->offset = 4000;
	r->size = 200;
	r->id = 200;
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	xvif_ring_watch_hook = NULL;
	watched = NULL;
	assert_false(b->bad);
	assert_true(ff_status(ff, 0).broken);
	assert_int_equal(ff->q[0].tx.sring->rsp_prod, good_end);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS), 2);
	free(b);
}

/* Traffic both ways in one wake-up: one grant-copy call for both, and one
 * notification per port (one in all when TX and RX share the channel). */
static void both_ways_one_copy_one_notify(void **state)
{
	unsigned int split;

	(void)state;
	for (split = 0; split < 2; split++) {
		struct ff_opts o = ff_default_opts();
		struct ff *ff = calloc(1, sizeof(*ff));
		struct xvif_rxr_pkt pkt;
		unsigned int i;

		assert_non_null(ff);
		o.split = split;
		assert_int_equal(ff_start(ff, &o), 0);
		ff_rx_post(ff, 0, 16);
		for (i = 0; i < 3; i++) {
			ff_frame(frame, 1000 + i, 4, XVIF_IPPROTO_TCP, i);
			ff_tx_queue(ff, 0, frame, 1000 + i, &(struct ff_tx){ .nslots = 2 });
			ff_frame(frame, 5000 + i, 4, XVIF_IPPROTO_UDP, i);
			assert_int_equal(ff_tap_write(ff, 0, NULL, frame, 5000 + i), 0);
		}
		ff_tx_push(ff, 0);
		ff->fx.copy_calls = 0;
		ff_run(ff, 0, 1);
		assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS), 3);
		assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS), 3);
		assert_int_equal(ff->fx.copy_calls, 1);
		if (split) {
			assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_tx), 1);
			assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_rx), 1);
		} else {
			assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_tx), 1);
		}
		assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_NOTIFY), split ? 2 : 1);
		for (i = 0; i < 3; i++) {
			assert_int_equal(ff_tap_read(ff, 0, &(struct virtio_net_hdr){ 0 }, got, sizeof(got)),
					 (int)(1000 + i));
			assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), (int)(5000 + i));
		}
		ff_stop(ff);
		free(ff);
	}
}

/* A packet whose third slot's grant was revoked: dropped with an error
 * response, and the log line names that slot's gref (not the first). */
static void tx_grant_error_names_failing_gref(void **state)
{
	struct ff *ff = *state;
	struct ff_tx t = { .nslots = 3 };
	char path[] = "/tmp/xvif-dp-tx-log-XXXXXX", buf[1024], want[96], other[96];
	int fd = mkstemp(path), saved = dup(2);
	xvif_tx_rsp_t rsp[8];
	uint32_t first, bad;
	unsigned int used, n, i;
	ssize_t len;

	assert_true(fd >= 0 && saved >= 0);
	ff_frame(frame, 3000, 4, XVIF_IPPROTO_UDP, 7);
	used = ff_tx_queue(ff, 0, frame, 3000, &t);
	assert_int_equal(used, 3);
	first = RING_GET_REQUEST(&ff->q[0].tx, ff->q[0].tx.req_prod_pvt - 3)->gref;
	bad = RING_GET_REQUEST(&ff->q[0].tx, ff->q[0].tx.req_prod_pvt - 1)->gref;
	assert_int_not_equal(first, bad);
	fake_gnt_set(&ff->fx, bad, FAKE_GNT_REVOKED);
	ff_tx_push(ff, 0);
	xvif_log_set_journal(0);
	dup2(fd, 2);
	ff_run(ff, 0, 8);
	dup2(saved, 2);
	close(saved);
	n = ff_tx_rsp(ff, 0, rsp, 8);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_int_equal(rsp[i].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_GNT_ERR), 1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS), 0);
	len = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	assert_true(len > 0);
	buf[len] = '\0';
	snprintf(want, sizeof(want), "TX grant copy failed (gref %u,", bad);
	snprintf(other, sizeof(other), "(gref %u,", first);
	assert_non_null(strstr(buf, want));
	assert_null(strstr(buf, other));
}

/* The responses of a pass are pushed before its packets go to the TAP (the
 * guest gets its slots back while dom0's stack takes them); the TX port is
 * still notified once, at the end of the wake-up. */
static void tx_answered_before_tap_write(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[8];
	uint32_t prod0;
	unsigned int used = 0, i;

	(void)state;
	o.split = true;
	assert_int_equal(ff_start(ff, &o), 0);
	prod0 = ff->q[0].tx.sring->rsp_prod;
	for (i = 0; i < 3; i++) {
		ff_frame(frame, 1000, 4, XVIF_IPPROTO_UDP, i);
		used += ff_tx_queue(ff, 0, frame, 1000, NULL);
	}
	ff_tx_push(ff, 0);
	watch_fd = ff->q[0].sock[0];
	watch_writes = 0;
	watch_ff = ff;
	ff_run(ff, 0, 8);
	watch_ff = NULL;
	assert_int_equal(watch_writes, 3);
	assert_int_equal(watch_rsp_prod_at_first - prod0, used);
	assert_int_equal(watch_notified_at_first, 0);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 8), used);
	for (i = 0; i < used; i++)
		assert_int_equal(rsp[i].status, XEN_NETIF_RSP_OKAY);
	for (i = 0; i < 3; i++)
		assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 1000);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_PACKETS), 3);
	/* One notification for the pass, not another at the end of the wake-up. */
	assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_tx), 1);
	ff_stop(ff);
	free(ff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tx_single_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_multi_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_max_slots_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_too_many_slots_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_csum_blank_to_needs_csum, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_data_validated_to_data_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_gso_tcpv4, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_gso_tcpv6, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_csum_blank_without_l4_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_gso_type_mismatch_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_batched_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_event_suppression, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_ring_wraps, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_push_at_packet_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_fatal_push_at_packet_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(tx_grant_error_names_failing_gref, setup, teardown),
		cmocka_unit_test(both_ways_one_copy_one_notify),
		cmocka_unit_test(tx_answered_before_tap_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
