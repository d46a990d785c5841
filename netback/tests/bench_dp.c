// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-engine: in-process throughput of the data-path engine on the fake
 * grant table (grant copy = memcpy), TX (ring -> "TAP" socket) and RX
 * ("TAP" socket -> ring), for a few packet sizes. The test's frontend work
 * (filling requests, consuming responses) and the socket syscalls are
 * inside the measured time, as the TAP's would be. A figure, never a
 * verdict: nothing here is asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fake_front.h"

#define BENCH_SECONDS 1.0
/* Packets per round: one wake-up's budget. */
#define ROUND 64u

static uint8_t frame[70000], sink[70000];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *dir, uint32_t len, unsigned long pkts, double secs)
{
	double pps = (double)pkts / secs;

	printf("%-2s %6u B: %10.0f packets/s %7.2f Gbit/s  (%lu packets in %.2f s)\n", dir, len, pps,
	       pps * len * 8 / 1e9, pkts, secs);
}

static void bigger_socket_buffers(struct ff *ff)
{
	int sz = 8 << 20;

	setsockopt(ff->q[0].sock[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(ff->q[0].sock[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(ff->q[0].sock[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(ff->q[0].sock[0], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

static void bench_tx(uint32_t len)
{
	unsigned int slots = (len + 4095) / 4096, per_round = ROUND, i, s;
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	uint32_t grefs[ROUND * 16];
	unsigned long pkts = 0;
	double t0, t;

	if (slots > 1 && per_round * slots > 128)
		per_round = 128 / slots; /* ring room: a round's slots plus extras */
	ff_start(ff, &o);
	bigger_socket_buffers(ff);
	ff_frame(frame, len, 4, XVIF_IPPROTO_TCP, 1);
	for (i = 0; i < per_round * slots; i++) {
		grefs[i] = ff_gref(ff);
		memcpy(fake_gnt_page(&ff->fx, grefs[i]), frame + (i % slots) * 4096u,
		       len - (i % slots) * 4096u < 4096u ? len - (i % slots) * 4096u : 4096u);
	}
	t0 = now_s();
	do {
		xvif_tx_rsp_t rsp[1];

		for (i = 0; i < per_round; i++) {
			for (s = 0; s < slots; s++) {
				xvif_tx_req_t *r = RING_GET_REQUEST(&ff->q[0].tx, ff->q[0].tx.req_prod_pvt);
				uint32_t left = len - s * 4096u;

				r->gref = grefs[i * slots + s];
				r->offset = 0;
				r->id = (uint16_t)(ff->q[0].tx.req_prod_pvt % 256u);
				r->size = (uint16_t)(s == 0 ? len : left < 4096u ? left : 4096u);
				r->flags = (s + 1 < slots ? XEN_NETTXF_more_data : 0) |
					   (len > 1514 && s == 0 ? XEN_NETTXF_csum_blank : 0);
				ff->q[0].tx.req_prod_pvt++;
			}
		}
		ff_tx_push(ff, 0);
		ff_run(ff, 0, 64);
		while (read(ff->q[0].sock[1], sink, sizeof(sink)) > 0)
			pkts++;
		ff_tx_rsp(ff, 0, rsp, 0);
		t = now_s() - t0;
	} while (t < BENCH_SECONDS);
	report("tx", len, pkts, t);
	ff_stop(ff);
	free(ff);
}

static void bench_rx(uint32_t len, bool gso)
{
	unsigned int slots = (len + 4095) / 4096 + (gso ? 1 : 0), per_round = ROUND, i;
	struct virtio_net_hdr vh;
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	uint32_t grefs[256];
	unsigned long pkts = 0;
	double t0, t;

	if (per_round * slots > 256)
		per_round = 256 / slots;
	memset(&vh, 0, sizeof(vh));
	if (gso) {
		vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		vh.gso_size = 1448;
		vh.csum_start = 34;
		vh.csum_offset = 16;
	}
	ff_start(ff, &o);
	bigger_socket_buffers(ff);
	ff_frame(frame, len, 4, XVIF_IPPROTO_TCP, 1);
	for (i = 0; i < 256; i++)
		grefs[i] = ff_gref(ff);
	t0 = now_s();
	do {
		struct ff_queue *q = &ff->q[0];
		int notify;

		/* Keep the ring full of buffers (never more than it holds). */
		while (q->rx.req_prod_pvt - q->rx.rsp_cons < RING_SIZE(&q->rx)) {
			xvif_rx_req_t *r = RING_GET_REQUEST(&q->rx, q->rx.req_prod_pvt);

			r->id = (uint16_t)(q->rx.req_prod_pvt % 256u);
			r->gref = grefs[r->id];
			q->rx_gref[r->id] = r->gref;
			q->rx.req_prod_pvt++;
		}
		RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
		if (notify)
			fake_evt_raise(&ff->fx, q->evt_rx);
		for (i = 0; i < per_round; i++)
			if (ff_tap_write(ff, 0, &vh, frame, len) < 0)
				break; /* socket full: let the engine drain it */
		ff_run(ff, 0, 64);
		pkts += ff_cnt(ff, 0, XVIF_DPC_RX_PACKETS) - pkts;
		q->rx.rsp_cons = q->rx.sring->rsp_prod;
		q->rx.sring->rsp_event = q->rx.rsp_cons + 1;
		t = now_s() - t0;
	} while (t < BENCH_SECONDS);
	report(gso ? "rx(gso)" : "rx", len, pkts, t);
	ff_stop(ff);
	free(ff);
}

int main(void)
{
	printf("xvif-netback engine, in process, fake grant table (memcpy grant copy), one queue\n");
	bench_tx(64);
	bench_tx(1514);
	bench_tx(9014);
	bench_tx(65535);
	bench_rx(64, false);
	bench_rx(1514, false);
	bench_rx(9014, false);
	bench_rx(65000, true);
	return 0;
}
