// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-engine: the data-path engine in process on the fake grant table
 * (grant copy = memcpy), one queue, TX (ring -> "TAP" socket) and RX ("TAP"
 * socket -> ring), for 64 B, 1500 B (1514 B frames) and 64 KiB GSO packets.
 *
 * Two figures per case, next to two floors:
 *
 *   pkt/s     wall clock, median of BENCH_REPS runs of BENCH_SECONDS. The
 *             test's frontend work and the socket syscalls are inside the
 *             measured time, as the TAP's would be. Noisy on a shared box.
 *   Ir/pkt    instructions per packet inside the engine's wake-ups
 *             (xvif_dp_queue_run, everything it calls, the fake grant copy
 *             included; not the kernel's side of its syscalls), counted by
 *             valgrind's callgrind over a fixed number of packets after a
 *             warm-up. Repeatable to a few instructions on a noisy box.
 *
 *   floor     the bytes the engine cannot avoid copying in user space: the
 *             grant copy, i.e. the same payload memcpy'd through the same
 *             buffers (TX: each guest slot into one staging buffer; RX: one
 *             TAP buffer into each guest slot). Its Ir/pkt and pkt/s.
 *   floor+io  the floor plus the one TAP syscall per packet the engine must
 *             make (write on TX, read on RX) and the test side's opposite
 *             one: the pkt/s ceiling for a one-packet-per-syscall TAP.
 *
 * Also per packet: grant-copy calls, notifications, wake-ups (engine
 * counters), and sys/pkt: the syscalls the engine would make on Xen for
 * them (each a trip through the hypervisor on a PV dom0): its TAP reads and
 * writes (counted here by wrapping readv/writev), grant copies,
 * notifications, event-channel reads (those that found a port: the worker
 * reads only when poll says so) and unmasks, clock reads (no vDSO on a PV
 * dom0 whose TSC is unstable, as the lab's), and one poll per wake-up.
 * The bench's wake-ups always try the TAP, so on TX each counts one empty
 * TAP read the real worker skips (poll said the TAP had nothing).
 * The x1 cases move one packet per wake-up, as ping and the lab's 64 B UDP
 * do at TCG's rates; the others 64 (or a ring's worth) per wake-up. tcp-both moves TCP-like traffic both ways in each wake-up (no
 * floor: it is there for the per-packet hypercall figures). The table goes to stdout; JSON with the machine's description
 * to OUTDIR/engine-latest.json and a timestamped copy. A figure, never a
 * verdict: nothing here is asserted, and the exit status is 0 whenever the
 * figures were printed.
 *
 * usage: bench_dp [--out DIR]                   everything
 *        bench_dp --one CASE --packets N [--floor]  one case, for callgrind
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND_H 1
#else
#define CALLGRIND_ZERO_STATS
#define HAVE_CALLGRIND_H 0
#endif

#include "fake_front.h"

#define GSO_LEN 65226u /* 45 TCP segments of 1448 bytes + headers */
#define GSO_MSS 1448u
#define GSO8K_LEN 8754u /* 6 TCP segments of 1448 bytes + headers */

struct bcase {
	const char *name;
	const char *dir;   /* "tx" or "rx" */
	uint32_t len;
	bool gso;
	unsigned long cg_packets; /* packets counted under callgrind */
	unsigned int per_round;   /* packets per wake-up; 0: 64 or a ring's worth */
};

static const struct bcase cases[] = {
	{ "tx-64", "tx", 64, false, 20000, 0 },
	{ "tx-64x1", "tx", 64, false, 5000, 1 },
	{ "tx-1500", "tx", 1514, false, 20000, 0 },
	{ "tx-64k-gso", "tx", GSO_LEN, true, 2000, 0 },
	{ "rx-64", "rx", 64, false, 20000, 0 },
	{ "rx-64x1", "rx", 64, false, 5000, 1 },
	{ "rx-1500", "rx", 1514, false, 20000, 0 },
	/* 6 segments: the TSO frames dom0's stack sends to the TAP when four
	 * streams share the link (each flow's TSO size shrinks with its rate). */
	{ "rx-8k-gso", "rx", GSO8K_LEN, true, 5000, 0 },
	{ "rx-64k-gso", "rx", GSO_LEN, true, 2000, 0 },
	/* TCP-like, both ways in each wake-up: 64 KiB GSO to the guest and a
	 * 66-byte ACK from it per packet (packets counted: both). */
	{ "tcp-both", "both", GSO_LEN, true, 4000, 0 },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

struct result {
	double pps, floor_pps, floorio_pps;
	double ir, floor_ir;      /* < 0: not measured */
	double gcopy, notify, wakeups; /* per packet */
	double sys, sys_tap, sys_evt, sys_clock; /* syscalls per packet on Xen, and three of their parts */
	unsigned int slots;       /* ring slots per packet */
};

static uint8_t frame[70000], sink[70000];

/* The engine's end of the "TAP" socket: its readv/writev calls are counted
 * (these definitions take the engine's calls; the test side's go to the
 * same place and are not counted). */
static int bench_tap_fd = -1;
static unsigned long bench_tap_calls;

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	if (fd == bench_tap_fd)
		bench_tap_calls++;
	return syscall(SYS_readv, fd, iov, n);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	if (fd == bench_tap_fd)
		bench_tap_calls++;
	return syscall(SYS_writev, fd, iov, n);
}

/* Syscalls so far that the real ops would make (see the top). */
struct sys_count {
	unsigned long tap, gcopy, notify, evt, clock, poll;
};

static void sys_count(struct ff *ff, struct sys_count *s)
{
	unsigned int p;

	s->tap = bench_tap_calls;
	s->gcopy = ff->fx.copy_calls;
	s->notify = 0;
	for (p = 0; p < FAKE_EVT_PORTS; p++)
		s->notify += ff->fx.port[p].notified;
	s->evt = ff->fx.pending_calls + ff->fx.unmask_calls;
	s->clock = ff->fx.now_calls;
	s->poll = ff_cnt(ff, 0, XVIF_DPC_WAKEUPS);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double env_double(const char *name, double def)
{
	const char *s = getenv(name);
	char *end;
	double v;

	if (!s || !*s)
		return def;
	v = strtod(s, &end);
	return *end || v <= 0 ? def : v;
}

static void bigger_socket_buffers(struct ff *ff)
{
	int sz = 8 << 20;

	setsockopt(ff->q[0].sock[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(ff->q[0].sock[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(ff->q[0].sock[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(ff->q[0].sock[0], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

static unsigned int data_slots(uint32_t len)
{
	return (len + 4095u) / 4096u;
}

/* ---- One running case: the engine and the test's frontend. ---- */

struct run {
	const struct bcase *c;
	struct ff *ff;
	unsigned int slots, per_round;
	uint32_t grefs[256];
	uint32_t ack_grefs[64];   /* tcp-both: the ACKs' slots */
	struct virtio_net_hdr vh;
};

static bool is_tx(const struct bcase *c)
{
	return !strcmp(c->dir, "tx");
}

static bool is_both(const struct bcase *c)
{
	return !strcmp(c->dir, "both");
}

#define ACK_LEN 66u

static void run_setup(struct run *r, const struct bcase *c)
{
	struct ff_opts o = ff_default_opts();
	unsigned int i, nd = data_slots(c->len);

	memset(r, 0, sizeof(*r));
	r->c = c;
	r->ff = calloc(1, sizeof(*r->ff));
	if (!r->ff)
		abort();
	ff_watchdog = false;
	if (ff_start(r->ff, &o) < 0) {
		fprintf(stderr, "bench: engine start failed: %s\n", r->ff->err);
		exit(1);
	}
	bigger_socket_buffers(r->ff);
	bench_tap_fd = r->ff->q[0].sock[0];
	ff_frame(frame, c->len, 4, XVIF_IPPROTO_TCP, 1);
	r->slots = nd + (c->gso ? 1 : 0);
	r->per_round = c->per_round ? c->per_round : 64;
	if (r->per_round * r->slots > 240)
		r->per_round = 240 / r->slots; /* a round fits the 256-slot ring */
	if (is_both(c)) {
		r->per_round = 12;
		for (i = 0; i < r->per_round; i++) {
			r->ack_grefs[i] = ff_gref(r->ff);
			ff_frame(fake_gnt_page(&r->ff->fx, r->ack_grefs[i]), ACK_LEN, 4, XVIF_IPPROTO_TCP, i);
		}
	}
	if (is_tx(c)) {
		/* Each packet's data slots are granted once and reused. */
		for (i = 0; i < r->per_round * nd; i++) {
			uint32_t s = i % nd, left = c->len - s * 4096u;

			r->grefs[i] = ff_gref(r->ff);
			memcpy(fake_gnt_page(&r->ff->fx, r->grefs[i]), frame + s * 4096u, left < 4096u ? left : 4096u);
		}
	} else {
		for (i = 0; i < 256; i++)
			r->grefs[i] = ff_gref(r->ff);
		if (c->gso) {
			r->vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
			r->vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
			r->vh.gso_size = GSO_MSS;
			r->vh.hdr_len = 54;
			r->vh.csum_start = 34;
			r->vh.csum_offset = 16;
		}
	}
}

static void run_teardown(struct run *r)
{
	ff_stop(r->ff);
	free(r->ff);
}

static uint64_t run_packets(struct run *r)
{
	if (is_both(r->c))
		return ff_cnt(r->ff, 0, XVIF_DPC_TX_PACKETS) + ff_cnt(r->ff, 0, XVIF_DPC_RX_PACKETS);
	return ff_cnt(r->ff, 0, is_tx(r->c) ? XVIF_DPC_TX_PACKETS : XVIF_DPC_RX_PACKETS);
}

/* The frontend queues one round of TX packets, the engine runs, the test
 * drains the "TAP" and takes the responses. */
static void round_tx(struct run *r)
{
	struct ff_queue *q = &r->ff->q[0];
	unsigned int nd = data_slots(r->c->len), i, s;
	xvif_tx_rsp_t rsp[1];

	for (i = 0; i < r->per_round; i++) {
		for (s = 0; s < nd; s++) {
			xvif_tx_req_t *t = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt);
			uint32_t left = r->c->len - s * 4096u;

			t->gref = r->grefs[i * nd + s];
			t->offset = 0;
			t->id = (uint16_t)(q->tx.req_prod_pvt % 256u);
			t->size = (uint16_t)(s == 0 ? r->c->len : left < 4096u ? left : 4096u);
			t->flags = (s + 1 < nd ? XEN_NETTXF_more_data : 0);
			if (s == 0 && r->c->gso)
				t->flags |= XEN_NETTXF_csum_blank | XEN_NETTXF_extra_info;
			q->tx.req_prod_pvt++;
			if (s == 0 && r->c->gso) {
				xvif_extra_t *ex = (xvif_extra_t *)RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt);

				memset(ex, 0, sizeof(*ex));
				ex->type = XEN_NETIF_EXTRA_TYPE_GSO;
				ex->u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
				ex->u.gso.size = GSO_MSS;
				q->tx.req_prod_pvt++;
			}
		}
	}
	ff_tx_push(r->ff, 0);
	ff_run(r->ff, 0, 1000);
	while (read(q->sock[1], sink, sizeof(sink)) > 0)
		;
	ff_tx_rsp(r->ff, 0, rsp, 0);
}

/* The frontend keeps the ring full of buffers, the "TAP" gets one round of
 * packets, the engine runs, the frontend takes the responses. */
static void round_rx(struct run *r)
{
	struct ff_queue *q = &r->ff->q[0];
	unsigned int i;
	int notify;

	while (q->rx.req_prod_pvt - q->rx.rsp_cons < RING_SIZE(&q->rx)) {
		xvif_rx_req_t *t = RING_GET_REQUEST(&q->rx, q->rx.req_prod_pvt);

		t->id = (uint16_t)(q->rx.req_prod_pvt % 256u);
		t->gref = r->grefs[t->id];
		q->rx_gref[t->id] = t->gref;
		q->rx.req_prod_pvt++;
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		fake_evt_raise(&r->ff->fx, q->evt_rx);
	for (i = 0; i < r->per_round; i++)
		if (ff_tap_write(r->ff, 0, &r->vh, frame, r->c->len) < 0)
			break; /* socket full: let the engine drain it */
	ff_run(r->ff, 0, 1000);
	/* As netfront: consume, then ask for an event on the next response. */
	q->rx.rsp_cons = q->rx.sring->rsp_prod;
	q->rx.sring->rsp_event = q->rx.rsp_cons + 1;
}

/* tcp-both: the guest's ACKs are queued, the TAP gets the data, one
 * engine run moves both. */
static void round_both(struct run *r)
{
	struct ff_queue *q = &r->ff->q[0];
	xvif_tx_rsp_t rsp[1];
	unsigned int i;

	for (i = 0; i < r->per_round; i++) {
		xvif_tx_req_t *t = RING_GET_REQUEST(&q->tx, q->tx.req_prod_pvt);

		t->gref = r->ack_grefs[i];
		t->offset = 0;
		t->id = (uint16_t)(q->tx.req_prod_pvt % 256u);
		t->size = ACK_LEN;
		t->flags = 0;
		q->tx.req_prod_pvt++;
	}
	ff_tx_push(r->ff, 0);
	round_rx(r);
	while (read(q->sock[1], sink, sizeof(sink)) > 0)
		;
	ff_tx_rsp(r->ff, 0, rsp, 0);
}

static void run_round(struct run *r)
{
	if (is_both(r->c))
		round_both(r);
	else if (is_tx(r->c))
		round_tx(r);
	else
		round_rx(r);
}

/* ---- The floor: the grant copy's bytes and nothing else. ---- */

struct floor {
	const struct bcase *c;
	uint8_t *guest;   /* slots of 4 KiB, as guest pages */
	uint8_t *buf;     /* the staging buffer (TX) or the TAP buffer (RX) */
	int sock[2];      /* floor+io: the "TAP" */
};

static void floor_setup(struct floor *f, const struct bcase *c, bool io)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->guest = aligned_alloc(4096, 64u * 4096u);
	f->buf = aligned_alloc(4096, 17u * 4096u);
	if (!f->guest || !f->buf)
		abort();
	ff_frame(frame, c->len, 4, XVIF_IPPROTO_TCP, 1);
	memset(f->guest, 0, 64u * 4096u);
	memcpy(f->buf, frame, c->len);
	memcpy(f->guest, frame, c->len);
	f->sock[0] = f->sock[1] = -1;
	if (io) {
		int sz = 8 << 20;

		unsigned int i;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, f->sock) < 0)
			abort();
		for (i = 0; i < 2; i++) {
			setsockopt(f->sock[i], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
			setsockopt(f->sock[i], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		}
	}
}

static void floor_teardown(struct floor *f)
{
	if (f->sock[0] >= 0) {
		close(f->sock[0]);
		close(f->sock[1]);
	}
	free(f->guest);
	free(f->buf);
}

/* One packet's grant copy, slot by slot, into (TX) or out of (RX) the
 * guest's pages. noinline: callgrind counts exactly this function. */
__attribute__((noinline)) void floor_copy_pkt(struct floor *f, unsigned int pkt)
{
	uint32_t off = 0, len = f->c->len;
	uint8_t *g = f->guest + (pkt % 4u) * 16u * 4096u;
	bool tx = f->c->dir[0] == 't';

	while (off < len) {
		uint32_t n = len - off < 4096u ? len - off : 4096u;

		if (tx)
			memcpy(f->buf + off, g + off, n);
		else
			memcpy(g + off, f->buf + off, n);
		off += n;
	}
	__asm__ volatile("" ::: "memory");
}

/* A round of packets with the TAP syscall the engine makes for each and
 * the test side's opposite one, batched as the engine's rounds are (fewer
 * per round for big packets: the socket's buffer holds the round). Returns
 * the packets moved. */
static unsigned int floor_io_round(struct floor *f)
{
	uint32_t len = f->c->len;
	unsigned int i, n = len > 16384u ? 16u : 64u;

	if (f->c->dir[0] == 't') {
		for (i = 0; i < n; i++) {
			floor_copy_pkt(f, i);
			if (write(f->sock[0], f->buf, len) < 0)
				abort();
		}
		for (i = 0; i < n; i++)
			if (read(f->sock[1], sink, sizeof(sink)) < 0)
				abort();
	} else {
		for (i = 0; i < n; i++)
			if (write(f->sock[1], frame, len) < 0)
				abort();
		for (i = 0; i < n; i++) {
			if (read(f->sock[0], f->buf, 70000) < 0)
				abort();
			floor_copy_pkt(f, i);
		}
	}
	return n;
}

/* ---- Measurements ---- */

static double median(double *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void wall_engine(const struct bcase *c, double secs, unsigned int reps, struct result *res)
{
	double pps[16];
	unsigned int k;

	for (k = 0; k < reps; k++) {
		struct run r;
		struct sys_count s0, s1;
		uint64_t p0, g0, n0, w0, p;
		double t0, t;
		unsigned int i;

		run_setup(&r, c);
		for (i = 0; i < 8; i++)
			run_round(&r); /* warm-up */
		p0 = run_packets(&r);
		sys_count(r.ff, &s0);
		g0 = ff_cnt(r.ff, 0, XVIF_DPC_GNT_COPY_CALLS);
		n0 = ff_cnt(r.ff, 0, XVIF_DPC_NOTIFY);
		w0 = ff_cnt(r.ff, 0, XVIF_DPC_WAKEUPS);
		t0 = now_s();
		do {
			run_round(&r);
			t = now_s() - t0;
		} while (t < secs);
		p = run_packets(&r) - p0;
		pps[k] = (double)p / t;
		if (k == 0 && p > 0) {
			res->gcopy = (double)(ff_cnt(r.ff, 0, XVIF_DPC_GNT_COPY_CALLS) - g0) / (double)p;
			res->notify = (double)(ff_cnt(r.ff, 0, XVIF_DPC_NOTIFY) - n0) / (double)p;
			res->wakeups = (double)(ff_cnt(r.ff, 0, XVIF_DPC_WAKEUPS) - w0) / (double)p;
			sys_count(r.ff, &s1);
			res->sys_tap = (double)(s1.tap - s0.tap) / (double)p;
			res->sys_evt = (double)(s1.evt - s0.evt) / (double)p;
			res->sys_clock = (double)(s1.clock - s0.clock) / (double)p;
			res->sys = res->sys_tap + res->sys_evt + res->sys_clock +
				   (double)(s1.gcopy - s0.gcopy + s1.notify - s0.notify + s1.poll - s0.poll) / (double)p;
		}
		res->slots = r.slots;
		run_teardown(&r);
	}
	res->pps = median(pps, reps);
}

static double wall_floor(const struct bcase *c, bool io, double secs, unsigned int reps)
{
	double pps[16];
	unsigned int k;

	for (k = 0; k < reps; k++) {
		struct floor f;
		unsigned long n = 0;
		double t0, t;
		unsigned int i;

		floor_setup(&f, c, io);
		t0 = now_s();
		do {
			if (io) {
				n += floor_io_round(&f);
			} else {
				for (i = 0; i < 64; i++)
					floor_copy_pkt(&f, i);
				n += 64;
			}
			t = now_s() - t0;
		} while (t < secs);
		pps[k] = (double)n / t;
		floor_teardown(&f);
	}
	return median(pps, reps);
}

/* --one: run one case for callgrind: warm up, zero the counts, then exactly
 * enough rounds for @packets. Prints the packets the window moved. */
static int one_case(const char *name, unsigned long packets, bool floor)
{
	const struct bcase *c = NULL;
	unsigned int i;

	for (i = 0; i < NCASES; i++)
		if (!strcmp(cases[i].name, name))
			c = &cases[i];
	if (!c) {
		fprintf(stderr, "bench_dp: unknown case '%s'\n", name);
		return 2;
	}
	if (floor) {
		struct floor f;
		unsigned long n;

		floor_setup(&f, c, false);
		for (n = 0; n < 64; n++)
			floor_copy_pkt(&f, (unsigned int)n);
		CALLGRIND_ZERO_STATS;
		for (n = 0; n < packets; n++)
			floor_copy_pkt(&f, (unsigned int)n);
		printf("packets %lu\n", packets);
		floor_teardown(&f);
	} else {
		struct run r;
		uint64_t p0;

		run_setup(&r, c);
		for (i = 0; i < 8; i++)
			run_round(&r);
		p0 = run_packets(&r);
		CALLGRIND_ZERO_STATS;
		while (run_packets(&r) - p0 < packets)
			run_round(&r);
		printf("packets %llu\n", (unsigned long long)(run_packets(&r) - p0));
		run_teardown(&r);
	}
	fflush(stdout);
	return 0;
}

/* Run one case under callgrind; returns instructions per packet or -1. */
static double callgrind_case(const struct bcase *c, bool floor, const char *outdir)
{
	char cmd[1024], out[512], line[256];
	unsigned long long ir = 0;
	unsigned long pkts = 0;
	FILE *p, *f;

	snprintf(out, sizeof(out), "%s/callgrind/%s%s.out", outdir, c->name, floor ? "-floor" : "");
	snprintf(cmd, sizeof(cmd),
		 "valgrind --tool=callgrind --callgrind-out-file=%s --collect-atstart=no "
		 "--toggle-collect=xvif_dp_queue_run --toggle-collect=floor_copy_pkt "
		 "/proc/%d/exe --one %s --packets %lu %s 2>/dev/null",
		 out, (int)getpid(), c->name, c->cg_packets, floor ? "--floor" : "");
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		sscanf(line, "packets %lu", &pkts);
	if (pclose(p) != 0 || pkts == 0)
		return -1;
	f = fopen(out, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* "totals:" (or the older "summary:"): the whole window's Ir */
		if (sscanf(line, "totals: %llu", &ir) != 1)
			sscanf(line, "summary: %llu", &ir);
	}
	fclose(f);
	return ir ? (double)ir / (double)pkts : -1;
}

/* ---- Output ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void shell_line(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");

	buf[0] = 0;
	if (p) {
		if (!fgets(buf, (int)len, p))
			buf[0] = 0;
		pclose(p);
	}
	buf[strcspn(buf, "\n")] = 0;
	if (!buf[0])
		snprintf(buf, len, "unknown");
}

static void json_num(FILE *f, const char *key, double v, bool last)
{
	if (v < 0 || isnan(v))
		fprintf(f, "\"%s\": null%s", key, last ? "" : ", ");
	else
		fprintf(f, "\"%s\": %.2f%s", key, v, last ? "" : ", ");
}

static int write_json(const char *path, const struct result *res, double secs, unsigned int reps,
		      const char *stamp)
{
	char cpu[256], kern[256], vg[128], git[128], load[128];
	struct utsname u;
	FILE *f = fopen(path, "w");
	unsigned int i;

	if (!f)
		return -1;
	shell_line("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1", cpu, sizeof(cpu));
	shell_line("valgrind --version 2>/dev/null", vg, sizeof(vg));
	shell_line("git describe --always --dirty 2>/dev/null", git, sizeof(git));
	shell_line("cut -d' ' -f1-3 /proc/loadavg", load, sizeof(load));
	uname(&u);
	snprintf(kern, sizeof(kern), "%s %s %s", u.sysname, u.release, u.machine);
	fprintf(f, "{\n  \"bench\": \"xvif-netback engine, in process, fake grant table\",\n  \"time\": ");
	json_str(f, stamp);
	fprintf(f, ",\n  \"git\": ");
	json_str(f, git);
	fprintf(f, ",\n  \"machine\": {\"cpu\": ");
	json_str(f, cpu);
	fprintf(f, ", \"online_cpus\": %ld, \"kernel\": ", sysconf(_SC_NPROCESSORS_ONLN));
	json_str(f, kern);
	fprintf(f, ", \"compiler\": ");
	json_str(f, __VERSION__);
	fprintf(f, ", \"valgrind\": ");
	json_str(f, vg);
	fprintf(f, ", \"loadavg\": ");
	json_str(f, load);
	fprintf(f, "},\n  \"method\": {\"seconds_per_run\": %.2f, \"runs\": %u, \"pps\": \"median\", "
		   "\"ir\": \"callgrind, xvif_dp_queue_run inclusive, after warm-up\"},\n  \"cases\": [\n",
		secs, reps);
	for (i = 0; i < NCASES; i++) {
		const struct bcase *c = &cases[i];
		const struct result *r = &res[i];

		fprintf(f, "    {\"case\": \"%s\", \"dir\": \"%s\", \"bytes\": %u, \"gso\": %s, \"ring_slots\": %u, ",
			c->name, c->dir, c->len, c->gso ? "true" : "false", r->slots);
		json_num(f, "pps", r->pps, false);
		json_num(f, "gbit_s", is_both(c) ? -1 : r->pps * c->len * 8 / 1e9, false);
		json_num(f, "ir_per_pkt", r->ir, false);
		json_num(f, "floor_ir_per_pkt", r->floor_ir, false);
		json_num(f, "floor_pps", r->floor_pps, false);
		json_num(f, "floor_io_pps", r->floorio_pps, false);
		fprintf(f, "\"grant_copy_calls_per_pkt\": %.4f, \"notify_per_pkt\": %.4f, \"wakeups_per_pkt\": %.4f, ",
			r->gcopy, r->notify, r->wakeups);
		fprintf(f, "\"syscalls_per_pkt\": %.4f, \"tap_syscalls_per_pkt\": %.4f, \"evtchn_syscalls_per_pkt\": %.4f, "
			   "\"clock_reads_per_pkt\": %.4f}%s\n",
			r->sys, r->sys_tap, r->sys_evt, r->sys_clock, i + 1 < NCASES ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	return fclose(f);
}

static void fmt_ir(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", v);
}

static void fmt_pps(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", v);
}

int main(int argc, char **argv)
{
	const char *outdir = "build/bench", *one = NULL;
	unsigned long packets = 1000;
	bool floor = false, have_vg;
	double secs = env_double("BENCH_SECONDS", 0.5);
	unsigned int reps = (unsigned int)env_double("BENCH_REPS", 3), i;
	struct result res[NCASES];
	char stamp[32], path[600], latest[600], cmd[1300];
	time_t now = time(NULL);
	struct tm tm;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < (unsigned int)argc)
			outdir = argv[++i];
		else if (!strcmp(argv[i], "--one") && i + 1 < (unsigned int)argc)
			one = argv[++i];
		else if (!strcmp(argv[i], "--packets") && i + 1 < (unsigned int)argc)
			packets = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--floor"))
			floor = true;
		else {
			fprintf(stderr, "usage: bench_dp [--out DIR] | --one CASE --packets N [--floor]\n");
			return 2;
		}
	}
	xvif_log_set_level(XVIF_LOG_WARN);
	if (one)
		return one_case(one, packets, floor);
	if (reps < 1 || reps > 16)
		reps = 3;

	snprintf(path, sizeof(path), "mkdir -p '%s/callgrind'", outdir);
	if (system(path) != 0) {
		fprintf(stderr, "bench_dp: cannot create %s\n", outdir);
		return 1;
	}
	have_vg = HAVE_CALLGRIND_H && system("valgrind --version >/dev/null 2>&1") == 0;
	printf("xvif-netback engine, in process, fake grant table (memcpy grant copy), one queue\n");
	printf("pkt/s: median of %u x %.1f s (noisy); Ir/pkt: callgrind inside xvif_dp_queue_run%s\n", reps, secs,
	       have_vg ? "" : " (SKIP: valgrind or valgrind/callgrind.h missing)");
	printf("floor: only the grant copy's bytes (memcpy through the same slots); floor+io: and one TAP syscall\n\n");
	printf("sys/pkt: syscalls on Xen per packet (TAP, grant copy, notify, evtchn, clock, poll); of them clock reads\n\n");
	printf("%-11s %5s %10s %10s %10s %9s %9s %7s %7s %7s %7s %7s\n", "case", "slots", "pkt/s", "floor", "floor+io",
	       "Ir/pkt", "floorIr", "gcopy", "notify", "wakeup", "sys/pkt", "clock");
	for (i = 0; i < NCASES; i++) {
		const struct bcase *c = &cases[i];
		struct result *r = &res[i];
		char a[32], b[32], fa[32], fb[32];

		memset(r, 0, sizeof(*r));
		wall_engine(c, secs, reps, r);
		r->floor_pps = is_both(c) ? -1 : wall_floor(c, false, secs, reps);
		r->floorio_pps = is_both(c) ? -1 : wall_floor(c, true, secs, reps);
		r->ir = have_vg ? callgrind_case(c, false, outdir) : -1;
		r->floor_ir = have_vg && !is_both(c) ? callgrind_case(c, true, outdir) : -1;
		fmt_ir(a, sizeof(a), r->ir);
		fmt_ir(b, sizeof(b), r->floor_ir);
		fmt_pps(fa, sizeof(fa), r->floor_pps);
		fmt_pps(fb, sizeof(fb), r->floorio_pps);
		printf("%-11s %5u %10.0f %10s %10s %9s %9s %7.3f %7.3f %7.3f %7.2f %7.2f\n", c->name, r->slots, r->pps,
		       fa, fb, a, b, r->gcopy, r->notify, r->wakeups, r->sys, r->sys_clock);
		fflush(stdout);
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(path, sizeof(path), "%s/engine-%s.json", outdir, stamp);
	snprintf(latest, sizeof(latest), "%s/engine-latest.json", outdir);
	if (write_json(path, res, secs, reps, stamp) != 0) {
		fprintf(stderr, "bench_dp: cannot write %s: %s\n", path, strerror(errno));
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", path, latest);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_dp: cannot copy to %s\n", latest);
	printf("\nsaved %s (and %s); profiles: callgrind_annotate --inclusive=yes %s/callgrind/<case>.out\n", latest,
	       path, outdir);
	return 0;
}
