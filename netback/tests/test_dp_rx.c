// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest RX through the engine: frames written into the "TAP" socket come
 * out in the test-played frontend's posted buffers; checked with common's
 * frontend-side validator (xvif_rxr_parse) and byte by byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "fake_front.h"
#include "hdr.h"

static uint8_t frame[70000], got[70000];

static struct ff *start(struct ff_opts *o)
{
	struct ff *ff = calloc(1, sizeof(*ff));

	assert_non_null(ff);
	assert_int_equal(ff_start(ff, o), 0);
	return ff;
}

static void stop(struct ff *ff)
{
	ff_stop(ff);
	free(ff);
}

static void rx_small(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct xvif_rxr_pkt pkt;

	(void)state;
	ff_rx_post(ff, 0, 8);
	ff_frame(frame, 100, 4, XVIF_IPPROTO_UDP, 1);
	ff_tap_write(ff, 0, NULL, frame, 100);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 100);
	assert_memory_equal(got, frame, 100);
	assert_int_equal(pkt.nr_slots, 1);
	assert_int_equal(pkt.flags, 0);
	assert_false(pkt.error);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), -1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS), 1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_BYTES), 100);
	assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_rx), 1);
	stop(ff);
}

/* A 9000-byte frame over three posted pages (feature-sg). */
static void rx_large_sg(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct xvif_rxr_pkt pkt;

	(void)state;
	ff_rx_post(ff, 0, 8);
	ff_frame(frame, 9000, 6, XVIF_IPPROTO_TCP, 2);
	ff_tap_write(ff, 0, NULL, frame, 9000);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 9000);
	assert_memory_equal(got, frame, 9000);
	assert_int_equal(pkt.nr_data, 3);
	assert_int_equal(pkt.nr_slots, 3);
	stop(ff);
}

/* Each RX buffer kind around its boundaries (small up to 2 KiB less the
 * header, big-shrunk-to-size up to 16 KiB, big beyond), queued together
 * while the guest has no buffers, then delivered intact and in order. */
static void rx_buffer_kinds_intact(void **state)
{
	static const uint32_t len[] = { 60, 2000, 2100, 8000, 16383, 16384, 40000, 3000 };
	const unsigned int n = sizeof(len) / sizeof(len[0]);
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct xvif_rxr_pkt pkt;
	uint64_t bytes = 0;
	unsigned int i;

	(void)state;
	for (i = 0; i < n; i++) {
		ff_frame(frame, len[i], 4, XVIF_IPPROTO_UDP, i);
		assert_int_equal(ff_tap_write(ff, 0, NULL, frame, len[i]), 0);
		bytes += len[i];
		if (i % 4 == 3)
			ff_run(ff, 0, 8); /* a socket pair queues few messages */
	}
	ff_run(ff, 0, 8);
	assert_int_equal(ff_status(ff, 0).rx_queued_bytes, bytes);
	ff_rx_post(ff, 0, 64);
	ff_run(ff, 0, 8);
	for (i = 0; i < n; i++) {
		ff_frame(frame, len[i], 4, XVIF_IPPROTO_UDP, i);
		assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), (int)len[i]);
		assert_memory_equal(got, frame, len[i]);
	}
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS), n);
	assert_int_equal(ff_status(ff, 0).rx_queued_bytes, 0);
	stop(ff);
}

/* Without feature-sg a frame larger than a page cannot be delivered. */
static void rx_no_sg_too_big_dropped(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff;
	struct xvif_rxr_pkt pkt;

	(void)state;
	o.sg = o.gso4 = o.gso6 = false;
	ff = start(&o);
	ff_rx_post(ff, 0, 8);
	ff_frame(frame, 5000, 4, XVIF_IPPROTO_UDP, 2);
	ff_tap_write(ff, 0, NULL, frame, 5000);
	ff_frame(frame, 1000, 4, XVIF_IPPROTO_UDP, 3);
	ff_tap_write(ff, 0, NULL, frame, 1000);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_status(ff, 0).counters.rx_drop[XVIF_RXR_TOO_BIG], 1);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 1000);
	assert_memory_equal(got, frame, 1000);
	stop(ff);
}

/* TAP GSO + partial checksum -> GSO extra, csum_blank|data_validated. */
static void rx_gso_tcpv4(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct virtio_net_hdr vh = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
				     .gso_size = 1448, .csum_start = 34, .csum_offset = 16, .hdr_len = 54 };
	struct xvif_rxr_pkt pkt;

	(void)state;
	ff_rx_post(ff, 0, 32);
	ff_frame(frame, 40000, 4, XVIF_IPPROTO_TCP, 5);
	ff_tap_write(ff, 0, &vh, frame, 40000);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 40000);
	assert_memory_equal(got, frame, 40000);
	assert_int_equal(pkt.gso_type, XEN_NETIF_GSO_TYPE_TCPV4);
	assert_int_equal(pkt.gso_size, 1448);
	assert_int_equal(pkt.flags & (XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated),
			 XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated);
	assert_true(pkt.flags & XEN_NETRXF_extra_info);
	assert_int_equal(pkt.nr_data, 10);
	assert_int_equal(pkt.nr_slots, 11);
	stop(ff);
}

/* GSO the frontend did not negotiate: dropped, counted. */
static void rx_gso_unnegotiated_dropped(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff;
	struct virtio_net_hdr vh = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_TCPV6,
				     .gso_size = 1400 };
	struct xvif_rxr_pkt pkt;

	(void)state;
	o.gso6 = false;
	ff = start(&o);
	ff_rx_post(ff, 0, 32);
	ff_frame(frame, 20000, 6, XVIF_IPPROTO_TCP, 5);
	ff_tap_write(ff, 0, &vh, frame, 20000);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), -1);
	assert_int_equal(ff_status(ff, 0).counters.rx_drop[XVIF_RXR_GSO_UNNEGOTIATED], 1);
	stop(ff);
}

/* UDP fragmentation offload has no netif.h type: counted as a bad vnet hdr. */
static void rx_udp_gso_bad_vnet(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct virtio_net_hdr vh = { .gso_type = VIRTIO_NET_HDR_GSO_UDP, .gso_size = 1400 };
	struct xvif_rxr_pkt pkt;

	(void)state;
	ff_rx_post(ff, 0, 32);
	ff_frame(frame, 3000, 4, XVIF_IPPROTO_UDP, 5);
	ff_tap_write(ff, 0, &vh, frame, 3000);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), -1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_BAD_VNET), 1);
	stop(ff);
}

/* feature-no-csum-offload: the engine fills in the checksum itself. */
static void rx_csum_filled_for_no_csum_offload(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff;
	struct virtio_net_hdr vh = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 34, .csum_offset = 16 };
	struct xvif_rxr_pkt pkt;
	struct xvif_hdr h;

	(void)state;
	o.no_csum = true;
	ff = start(&o);
	ff_rx_post(ff, 0, 8);
	ff_frame(frame, 1200, 4, XVIF_IPPROTO_TCP, 5);
	frame[34 + 16] ^= 0x5a; /* a partial checksum is not the final one */
	ff_tap_write(ff, 0, &vh, frame, 1200);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 1200);
	assert_int_equal(xvif_hdr_parse(got, 1200, &h), 0);
	assert_true(xvif_hdr_csum_ok(got, 1200, &h));
	assert_int_equal(pkt.flags & (XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated), XEN_NETRXF_data_validated);
	/* IPv6 without feature-ipv6-csum-offload is filled too. */
	stop(ff);
	o = ff_default_opts();
	o.ipv6_csum = false;
	ff = start(&o);
	ff_rx_post(ff, 0, 8);
	ff_frame(frame, 1200, 6, XVIF_IPPROTO_UDP, 6);
	frame[54 + 6] ^= 0x11;
	vh.csum_start = 54;
	vh.csum_offset = 6;
	ff_tap_write(ff, 0, &vh, frame, 1200);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 1200);
	assert_int_equal(xvif_hdr_parse(got, 1200, &h), 0);
	assert_true(xvif_hdr_csum_ok(got, 1200, &h));
	assert_false(pkt.flags & XEN_NETRXF_csum_blank);
	stop(ff);
}

/* With offload, a partial checksum is passed on as csum_blank. */
static void rx_partial_csum_passed(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct virtio_net_hdr vh = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 34, .csum_offset = 6 };
	struct virtio_net_hdr vv = { .flags = VIRTIO_NET_HDR_F_DATA_VALID };
	struct xvif_rxr_pkt pkt;

	(void)state;
	ff_rx_post(ff, 0, 8);
	ff_frame(frame, 800, 4, XVIF_IPPROTO_UDP, 5);
	ff_tap_write(ff, 0, &vh, frame, 800);
	ff_tap_write(ff, 0, &vv, frame, 800);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 800);
	assert_memory_equal(got, frame, 800);
	assert_int_equal(pkt.flags & (XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated),
			 XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 800);
	assert_int_equal(pkt.flags & (XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated), XEN_NETRXF_data_validated);
	stop(ff);
}

/* xdp-headroom: data starts at the headroom in every page; status counts it. */
static void rx_xdp_headroom(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff;
	struct xvif_rxr_pkt pkt;

	(void)state;
	o.xdp = 256;
	ff = start(&o);
	ff_rx_post(ff, 0, 8);
	ff_frame(frame, 5000, 4, XVIF_IPPROTO_TCP, 7);
	ff_tap_write(ff, 0, NULL, frame, 5000);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 5000);
	assert_memory_equal(got, frame, 5000);
	assert_int_equal(pkt.nr_data, 2);
	assert_int_equal(pkt.seg[0].offset, 0);
	assert_int_equal(pkt.seg[0].len, 4096);   /* 256 headroom + 3840 bytes */
	assert_int_equal(pkt.seg[1].len, 256 + 5000 - 3840);
	/* The headroom itself is left untouched (zero). */
	assert_int_equal(fake_gnt_page(&ff->fx, ff->q[0].rx_gref[pkt.seg[0].id])[0], 0);
	stop(ff);
}

/* xdp-headroom set live (frontend Reconfiguring): the next packet uses it. */
static void rx_xdp_headroom_live(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff;
	struct xvif_rxr_pkt pkt;

	(void)state;
	ff = start(&o);
	ff_rx_post(ff, 0, 8);
	ff_frame(frame, 1000, 4, XVIF_IPPROTO_TCP, 7);
	ff_tap_write(ff, 0, NULL, frame, 1000);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 1000);
	assert_int_equal(pkt.seg[0].len, 1000);      /* no headroom yet */
	xvif_dp_vif_set_xdp_headroom(ff->vif, 512);
	ff->o.xdp = 512; /* the test frontend now expects it too */
	ff_tap_write(ff, 0, NULL, frame, 1000);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 1000);
	assert_memory_equal(got, frame, 1000);
	assert_int_equal(pkt.seg[0].len, 512 + 1000);
	stop(ff);
}

/*
 * No buffers posted: the packet waits, the engine asks for an event once
 * enough buffers are there (req_event), and delivers when they come.
 */
static void rx_waits_for_buffers(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct xvif_rxr_pkt pkt;
	uint64_t ev;

	(void)state;
	ff_frame(frame, 9000, 4, XVIF_IPPROTO_TCP, 7);
	ff_tap_write(ff, 0, NULL, frame, 9000);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_status(ff, 0).rx_queued_bytes, 9000);
	assert_int_equal(ff->q[0].rx.sring->req_event, 3); /* three pages needed */
	ev = ff_cnt(ff, 0, XVIF_DPC_EVENTS);
	ff_rx_post(ff, 0, 2); /* not enough: no event */
	ff_run(ff, 0, 8);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_EVENTS), ev);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), -1);
	ff_rx_post(ff, 0, 1); /* now enough: the frontend notifies */
	ff_run(ff, 0, 8);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_EVENTS), ev + 1);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 9000);
	assert_memory_equal(got, frame, 9000);
	assert_int_equal(ff_status(ff, 0).rx_queued_bytes, 0);
	stop(ff);
}

/* Many packets read in one wake-up leave in one grant-copy call. */
static void rx_batched_copy(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct xvif_rxr_pkt pkt;
	unsigned int i;

	(void)state;
	ff_rx_post(ff, 0, 64);
	for (i = 0; i < 40; i++) {
		ff_frame(frame, 1000 + i, 4, XVIF_IPPROTO_UDP, i);
		ff_tap_write(ff, 0, NULL, frame, 1000 + i);
	}
	ff->fx.copy_calls = 0;
	ff_run(ff, 0, 8);
	assert_int_equal(ff->fx.copy_calls, 1);
	for (i = 0; i < 40; i++) {
		ff_frame(frame, 1000 + i, 4, XVIF_IPPROTO_UDP, i);
		assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), (int)(1000 + i));
		assert_memory_equal(got, frame, 1000 + i);
	}
	assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_rx), 1);
	stop(ff);
}

/* Split event channels: RX responses notify the RX channel only. */
static void rx_split_event_channels(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff;
	struct xvif_rxr_pkt pkt;

	(void)state;
	o.split = true;
	ff = start(&o);
	assert_int_not_equal(ff_status(ff, 0).local_port_tx, ff_status(ff, 0).local_port_rx);
	ff_rx_post(ff, 0, 4);
	ff_frame(frame, 300, 4, XVIF_IPPROTO_UDP, 1);
	ff_tap_write(ff, 0, NULL, frame, 300);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 300);
	assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_rx), 1);
	assert_int_equal(fake_evt_notified(&ff->fx, ff->q[0].evt_tx), 0);
	stop(ff);
}

/*
 * Multi-queue steering: the frontend configures Toeplitz hashing over TCP
 * 4-tuples and a mapping that sends everything to queue 1; a packet read
 * from queue 0's TAP is delivered on queue 1, with the hash extra whose
 * value is netif.h's Toeplitz of the flow.
 */
static void rx_multiqueue_steering_by_hash(void **state)
{
	static const uint8_t key[40] = { 0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
					 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
					 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
					 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa };
	struct ff_opts o = ff_default_opts();
	uint32_t map[2] = { 1, 1 }, kg, mg, hash;
	struct xvif_rxr_pkt pkt;
	uint8_t tuple[12];
	struct ff *ff;

	(void)state;
	o.nq = 2;
	o.ctrl = true;
	ff = start(&o);
	kg = ff_gref(ff);
	memcpy(fake_gnt_page(&ff->fx, kg), key, sizeof(key));
	mg = ff_gref(ff);
	memcpy(fake_gnt_page(&ff->fx, mg), map, sizeof(map));
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0).status,
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, 0, 0).status,
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, kg, sizeof(key), 0).status,
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 2, 0, 0).status,
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, mg, 2, 0).status,
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_CTRL_REQUESTS), 5);

	ff_rx_post(ff, 0, 8);
	ff_rx_post(ff, 1, 8);
	ff_frame_flow(frame, 700, 4, XVIF_IPPROTO_TCP, 1, 42);
	ff_tap_write(ff, 0, NULL, frame, 700);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_STEERED), 1);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), -1);
	ff_run(ff, 1, 8);
	assert_int_equal(ff_rx_recv(ff, 1, got, sizeof(got), &pkt), 700);
	assert_memory_equal(got, frame, 700);
	assert_true(pkt.have_hash);
	assert_int_equal(pkt.hash_type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
	memcpy(tuple, frame + 14 + 12, 8);
	memcpy(tuple + 8, frame + 34, 4);
	hash = xvif_toeplitz(key, sizeof(key), tuple, 12);
	assert_int_equal(pkt.hash, hash);
	assert_int_equal(ff_cnt(ff, 1, XVIF_DPC_RX_PACKETS), 1);

	/* A packet that does not hash (not IP) stays on the queue it came in. */
	ff_frame(frame, 100, 0, 0, 3);
	ff_tap_write(ff, 0, NULL, frame, 100);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 100);
	assert_false(pkt.have_hash);
	stop(ff);
}

/* Without a mapping, queue = hash % queues (netif.h). */
static void rx_steering_modulo_without_mapping(void **state)
{
	static const uint8_t key[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct ff_opts o = ff_default_opts();
	struct xvif_rxr_pkt pkt;
	unsigned int flow, seen[2] = { 0, 0 };
	uint32_t kg;
	struct ff *ff;

	(void)state;
	o.nq = 2;
	o.ctrl = true;
	ff = start(&o);
	kg = ff_gref(ff);
	memcpy(fake_gnt_page(&ff->fx, kg), key, sizeof(key));
	ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0);
	ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0, 0);
	assert_int_equal(ff_ctrl(ff, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, kg, sizeof(key), 0).status,
			 XEN_NETIF_CTRL_STATUS_SUCCESS);
	ff_rx_post(ff, 0, 64);
	ff_rx_post(ff, 1, 64);
	for (flow = 0; flow < 16; flow++) {
		uint32_t h;

		ff_frame_flow(frame, 200, 4, XVIF_IPPROTO_UDP, flow, flow);
		h = xvif_toeplitz(key, sizeof(key), frame + 26, 8);
		ff_tap_write(ff, 0, NULL, frame, 200);
		ff_run(ff, 0, 8);
		ff_run(ff, 1, 8);
		assert_int_equal(ff_rx_recv(ff, h % 2, got, sizeof(got), &pkt), 200);
		assert_int_equal(pkt.hash, h);
		assert_int_equal(pkt.hash_type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4);
		seen[h % 2]++;
	}
	assert_true(seen[0] > 0 && seen[1] > 0);
	stop(ff);
}

/* feature-multicast-control: multicast not subscribed is filtered; a TX
 * MCAST_ADD extra subscribes, MCAST_DEL unsubscribes. */
static void rx_multicast_filter(void **state)
{
	static const uint8_t group[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x07 };
	struct ff_opts o = ff_default_opts();
	struct xvif_rxr_pkt pkt;
	xvif_tx_rsp_t rsp[4];
	xvif_tx_req_t *r;
	xvif_extra_t ex;
	struct ff *ff;

	(void)state;
	o.mcast = true;
	ff = start(&o);
	ff_rx_post(ff, 0, 16);
	ff_frame(frame, 200, 4, XVIF_IPPROTO_UDP, 1);
	memcpy(frame, group, 6);
	ff_tap_write(ff, 0, NULL, frame, 200);
	memset(frame, 0xff, 6); /* broadcast always passes */
	ff_tap_write(ff, 0, NULL, frame, 200);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_MCAST_FILTERED), 1);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 200);
	assert_int_equal(got[0], 0xff);

	/* Subscribe: a TX request carrying an MCAST_ADD extra. */
	r = ff_tx_slot(ff, 0);
	r->gref = ff_gref(ff);
	r->size = 0;
	r->id = 9;
	r->flags = XEN_NETTXF_extra_info;
	memset(&ex, 0, sizeof(ex));
	ex.type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
	memcpy(ex.u.mcast.addr, group, 6);
	memcpy(ff_tx_slot(ff, 0), &ex, sizeof(ex));
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 4), 2);
	assert_int_equal(rsp[0].id, 9);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_OKAY);
	assert_int_equal(rsp[1].status, XEN_NETIF_RSP_NULL);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_MCAST_CTRL), 1);

	memcpy(frame, group, 6);
	ff_tap_write(ff, 0, NULL, frame, 200);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 200);
	assert_memory_equal(got, group, 6);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_MCAST_FILTERED), 1);

	/* Unsubscribe. */
	r = ff_tx_slot(ff, 0);
	r->gref = ff_gref(ff);
	r->id = 10;
	r->flags = XEN_NETTXF_extra_info;
	ex.type = XEN_NETIF_EXTRA_TYPE_MCAST_DEL;
	memcpy(ff_tx_slot(ff, 0), &ex, sizeof(ex));
	ff_tx_push(ff, 0);
	ff_tap_write(ff, 0, NULL, frame, 200);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_MCAST_FILTERED), 2);
	stop(ff);
}

/* Multicast control extras without request-multicast-control: error. */
static void tx_multicast_unnegotiated_refused(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	xvif_tx_rsp_t rsp[4];
	xvif_tx_req_t *r;
	xvif_extra_t ex;

	(void)state;
	r = ff_tx_slot(ff, 0);
	r->gref = ff_gref(ff);
	r->id = 3;
	r->flags = XEN_NETTXF_extra_info;
	memset(&ex, 0, sizeof(ex));
	ex.type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
	ex.u.mcast.addr[0] = 1;
	memcpy(ff_tx_slot(ff, 0), &ex, sizeof(ex));
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_tx_rsp(ff, 0, rsp, 4), 2);
	assert_int_equal(rsp[0].status, XEN_NETIF_RSP_ERROR);
	assert_int_equal(ff_status(ff, 0).counters.tx_drop[XVIF_TXR_MCAST_UNNEGOTIATED], 1);
	stop(ff);
}

/* The multicast list is bounded: past XVIF_MCAST_MAX adds are refused and
 * all multicast is delivered instead. */
static void rx_multicast_list_full_floods(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct xvif_rxr_pkt pkt;
	xvif_tx_rsp_t rsp[512];
	struct ff *ff;
	unsigned int i, n, errors = 0;

	(void)state;
	o.mcast = true;
	ff = start(&o);
	for (i = 0; i <= XVIF_MCAST_MAX; i++) {
		xvif_tx_req_t *r = ff_tx_slot(ff, 0);
		xvif_extra_t ex;

		r->gref = ff_gref(ff);
		r->id = (uint16_t)i;
		r->flags = XEN_NETTXF_extra_info;
		memset(&ex, 0, sizeof(ex));
		ex.type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
		ex.u.mcast.addr[0] = 0x01;
		ex.u.mcast.addr[5] = (uint8_t)i;
		memcpy(ff_tx_slot(ff, 0), &ex, sizeof(ex));
		if (i % 50 == 49) {
			ff_tx_push(ff, 0);
			ff_run(ff, 0, 8);
		}
	}
	ff_tx_push(ff, 0);
	ff_run(ff, 0, 8);
	n = ff_tx_rsp(ff, 0, rsp, 512);
	assert_int_equal(n, 2 * (XVIF_MCAST_MAX + 1));
	for (i = 0; i < n; i++)
		errors += rsp[i].status == XEN_NETIF_RSP_ERROR;
	assert_int_equal(errors, 1);
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_TX_MCAST_FULL), 1);
	ff_rx_post(ff, 0, 4);
	ff_frame(frame, 200, 4, XVIF_IPPROTO_UDP, 1);
	frame[0] = 0x01;
	frame[5] = 0xee; /* never subscribed */
	ff_tap_write(ff, 0, NULL, frame, 200);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 200);
	stop(ff);
}

/* Many rounds: the RX ring's indexes wrap past its size, responses stay in order. */
static void rx_ring_wraps(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct xvif_rxr_pkt pkt;
	unsigned int i;

	(void)state;
	for (i = 0; i < 700; i++) {
		uint32_t len = 60 + (i * 37) % 9000;

		ff_rx_post(ff, 0, 3);
		ff_frame(frame, len, i % 2 ? 6 : 4, XVIF_IPPROTO_TCP, i);
		assert_int_equal(ff_tap_write(ff, 0, NULL, frame, len), 0);
		ff_run(ff, 0, 8);
		assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), (int)len);
		assert_memory_equal(got, frame, len);
		/* Give back the buffers the packet did not use. */
		ff->q[0].rx.req_prod_pvt -= 3 - pkt.nr_slots;
		ff->q[0].rx.sring->req_prod = ff->q[0].rx.req_prod_pvt;
	}
	assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS), 700);
	assert_true(ff->q[0].rx.rsp_cons > 2 * RING_SIZE(&ff->q[0].rx));
	stop(ff);
}

/* A frontend reconnecting (xl restore, module reload) may hand over rings
 * whose indexes are not zero: the engine attaches where they are. */
static void rings_attached_at_nonzero_indexes(void **state)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct xvif_rxr_pkt pkt;
	struct virtio_net_hdr vh;
	xvif_tx_rsp_t rsp[4];
	struct ff_queue *q;

	(void)state;
	ff_prepare(ff, &o);
	q = &ff->q[0];
	q->tx.sring->req_prod = q->tx.sring->rsp_prod = 0xfffffff0u;
	q->tx.sring->req_event = q->tx.sring->rsp_event = 0xfffffff1u;
	q->tx.req_prod_pvt = q->tx.rsp_cons = 0xfffffff0u;
	q->rx.sring->req_prod = q->rx.sring->rsp_prod = 0x7000u;
	q->rx.sring->req_event = q->rx.sring->rsp_event = 0x7001u;
	q->rx.req_prod_pvt = q->rx.rsp_cons = 0x7000u;
	assert_int_equal(ff_start_prepared(ff), 0);
	for (unsigned int i = 0; i < 40; i++) {
		ff_frame(frame, 400, 4, XVIF_IPPROTO_TCP, i);
		ff_tx_queue(ff, 0, frame, 400, NULL);
		ff_tx_push(ff, 0);
		ff_run(ff, 0, 8);
		assert_int_equal(ff_tx_rsp(ff, 0, rsp, 4), 1);
		assert_int_equal(rsp[0].status, XEN_NETIF_RSP_OKAY);
		assert_int_equal(ff_tap_read(ff, 0, &vh, got, sizeof(got)), 400);
	}
	ff_rx_post(ff, 0, 4);
	ff_tap_write(ff, 0, NULL, frame, 400);
	ff_run(ff, 0, 8);
	assert_int_equal(ff_rx_recv(ff, 0, got, sizeof(got), &pkt), 400);
	assert_memory_equal(got, frame, 400);
	stop(ff);
}

/* ---- Responses are pushed only at packet boundaries ----
 *
 * A restarted daemon adopts the rings where rsp_prod stands, so rsp_prod
 * must never stop inside a multi-slot packet (data slots plus extras).
 * tests/ring_watch.h runs rx_watch_check() at every ring barrier: it parses
 * the response chains published since its last look, as a frontend would,
 * and fails if rsp_prod ends inside one. The fake grant copy's hook plays a
 * frontend that posts buffers while the backend works, so one wake-up
 * makes several delivery passes and several pushes. */
void (*xvif_ring_watch_hook)(void);

struct rx_watch {
	struct ff *ff;
	RING_IDX parsed;           /* chains parsed up to here */
	RING_IDX last_prod;
	unsigned int moves, chains, post_rounds;
	bool bad;
	RING_IDX bad_prod;
};
static struct rx_watch *rx_watched;

static void rx_watch_check(void)
{
	struct rx_watch *w = rx_watched;
	struct ff_queue *q;
	RING_IDX prod;

	if (!w)
		return;
	q = &w->ff->q[0];
	prod = __atomic_load_n(&q->rx.sring->rsp_prod, __ATOMIC_ACQUIRE);
	if (prod == w->last_prod)
		return;
	w->moves++;
	w->last_prod = prod;
	while (w->parsed != prod && !w->bad) {
		xvif_rx_rsp_t rsp[XVIF_RX_SLOTS_MAX + 2];
		unsigned int avail = prod - w->parsed, i, n;
		struct xvif_rxr_pkt pkt;

		n = avail < XVIF_ARRAY_SIZE(rsp) ? avail : XVIF_ARRAY_SIZE(rsp);
		for (i = 0; i < n; i++)
			rsp[i] = *RING_GET_RESPONSE(&q->rx, w->parsed + i);
		if (xvif_rxr_parse(rsp, avail, RING_SIZE(&q->rx), &pkt) == XVIF_RXR_FATAL) {
			w->bad = true; /* the chain runs past rsp_prod */
			w->bad_prod = prod;
			break;
		}
		w->parsed += pkt.nr_slots;
		w->chains++;
	}
}

static void rx_post_hook(struct fake_xen *fx, void *arg)
{
	struct rx_watch *w = arg;

	(void)fx;
	if (w->post_rounds > 0) {
		w->post_rounds--;
		ff_rx_post(w->ff, 0, 12);
	}
}

static void rx_push_at_packet_boundaries(void **state)
{
	static const uint32_t lens[] = { 100, 5000, 20000, 1400, 9000, 60, 13000, 3000 };
	struct virtio_net_hdr gso = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
				      .gso_size = 1448, .csum_start = 34, .csum_offset = 16, .hdr_len = 54 };
	struct ff_opts o = ff_default_opts();
	struct ff *ff = start(&o);
	struct rx_watch *w = calloc(1, sizeof(*w));
	unsigned int round, i, k = 0, sent = 0, recvd = 0;
	struct xvif_rxr_pkt pkt;

	(void)state;
	assert_non_null(w);
	w->ff = ff;
	{
		int sz = 4 << 20;

		setsockopt(ff->q[0].sock[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		setsockopt(ff->q[0].sock[0], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	}
	rx_watched = w;
	xvif_ring_watch_hook = rx_watch_check;
	ff->fx.copy_hook = rx_post_hook;
	ff->fx.copy_hook_arg = w;
	for (round = 0; round < 6; round++) {
		unsigned int calls0 = ff->fx.copy_calls, moves0 = w->moves;

		/* Fewer buffers than the round's packets need: those left
		 * over from the last round, or 10, and packets for more. */
		unsigned int spare = ff->q[0].rx.req_prod_pvt - ff->vif->q[0].rx.req_cons, slots = 0;

		if (spare < 10) {
			ff_rx_post(ff, 0, 10 - spare);
			spare = 10;
		}
		for (i = 0; slots <= spare + 8 && i < 40; i++, k++, sent++) {
			uint32_t len = lens[k % XVIF_ARRAY_SIZE(lens)];

			ff_frame(frame, len, 4, XVIF_IPPROTO_TCP, k);
			assert_int_equal(ff_tap_write(ff, 0, len > 16000 ? &gso : NULL, frame, len), 0);
			slots += (len + 4095) / 4096 + (len > 16000 ? 1 : 0);
		}
		w->post_rounds = 3;
		ff_run(ff, 0, 1);  /* one wake-up */

		if (w->bad)
			fail_msg("round %u: rsp_prod %u published inside a packet", round, w->bad_prod);
		assert_true(ff->fx.copy_calls - calls0 >= 2);
		assert_true(w->moves - moves0 >= 2);
		/* The rest, a few buffers at a time (few left over). */
		w->post_rounds = 0;
		for (i = 0; i < 100 && ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS) < sent; i++) {
			ff_rx_post(ff, 0, 4);
			ff_run(ff, 0, 64);
		}
		assert_int_equal(ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS), sent);
		if (w->bad)
			fail_msg("round %u: rsp_prod %u published inside a packet", round, w->bad_prod);
		assert_int_equal(w->parsed, ff->q[0].rx.sring->rsp_prod);
		while (ff_rx_recv(ff, 0, got, sizeof(got), &pkt) >= 0) {
			assert_false(pkt.error);
			recvd++;
		}
	}
	xvif_ring_watch_hook = NULL;
	rx_watched = NULL;
	ff->fx.copy_hook = NULL;
	assert_int_equal(recvd, sent);
	assert_int_equal(w->chains, sent);
	free(w);
	stop(ff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rx_small),
		cmocka_unit_test(rx_large_sg),
		cmocka_unit_test(rx_no_sg_too_big_dropped),
		cmocka_unit_test(rx_gso_tcpv4),
		cmocka_unit_test(rx_gso_unnegotiated_dropped),
		cmocka_unit_test(rx_udp_gso_bad_vnet),
		cmocka_unit_test(rx_csum_filled_for_no_csum_offload),
		cmocka_unit_test(rx_partial_csum_passed),
		cmocka_unit_test(rx_xdp_headroom),
		cmocka_unit_test(rx_xdp_headroom_live),
		cmocka_unit_test(rx_waits_for_buffers),
		cmocka_unit_test(rx_batched_copy),
		cmocka_unit_test(rx_split_event_channels),
		cmocka_unit_test(rx_multiqueue_steering_by_hash),
		cmocka_unit_test(rx_steering_modulo_without_mapping),
		cmocka_unit_test(rx_multicast_filter),
		cmocka_unit_test(tx_multicast_unnegotiated_refused),
		cmocka_unit_test(rx_multicast_list_full_floods),
		cmocka_unit_test(rx_ring_wraps),
		cmocka_unit_test(rings_attached_at_nonzero_indexes),
		cmocka_unit_test(rx_push_at_packet_boundaries),
		cmocka_unit_test(rx_buffer_kinds_intact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
