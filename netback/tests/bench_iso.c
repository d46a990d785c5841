// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cost of per-vif isolation, on the fake hypervisor (figures, never a
 * verdict; run: make -C netback bench-iso):
 *
 *   seccomp   engine TX+RX packets/s in a child process, threads started
 *             after the seccomp filter vs without it (alternating runs)
 *   roundtrip frames/s TAP -> RX ring -> a fake guest that echoes -> TX ring
 *             -> TAP, with the engine as threads in this process
 *             (--isolation=none) vs in a worker process exec'd the way the
 *             daemon does it (fork + exec of /proc/self/exe, config over the
 *             socket, uid drop when root, seccomp)
 *   spawn     xvif_iso_vif_start() latency: none vs process, and process
 *             with vs without the worker's own namespaces (20 starts each,
 *             alternating; as root)
 *   namespaces the roundtrip's frames/s with vs without them
 *   rss       the worker's VmRSS, and its VmData against its memory bound
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_front.h"
#include "iso.h"
#include "sandbox.h"

#define RUNS 3
#define SECCOMP_PKTS 20000u
#define RT_PKTS 20000u
#define FRAME 1000u

static uint8_t frame[70000], got[70000];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 10000) == 1;
}

/* ---- seccomp: engine traffic in a child, filter or not ---- */

static double engine_pps(bool filter)
{
	int pfd[2], st;
	double pps = 0;
	pid_t pid;

	if (pipe(pfd) < 0)
		return 0;
	pid = fork();
	if (pid == 0) {
		struct ff_opts o = ff_default_opts();
		struct ff *ff = calloc(1, sizeof(*ff));
		struct virtio_net_hdr vh;
		struct xvif_rxr_pkt pkt;
		char err[160];
		unsigned int i;
		double t0, r;

		o.nq = 1;
		if (!ff || ff_start(ff, &o) != 0)
			_exit(2);
		if (filter && xvif_sandbox_seccomp(err, sizeof(err)) < 0)
			_exit(3);
		if (xvif_iso_worker_threads(ff->vif, err, sizeof(err)) < 0)
			_exit(4);
		ff_frame(frame, FRAME, 4, XVIF_IPPROTO_UDP, 1);
		t0 = now_s();
		for (i = 0; i < SECCOMP_PKTS; i++) {
			/* TX: guest -> TAP */
			ff_tx_queue(ff, 0, frame, FRAME, NULL);
			ff_tx_push(ff, 0);
			if (!wait_readable(ff->q[0].sock[1]) || ff_tap_read(ff, 0, &vh, got, sizeof(got)) != FRAME)
				_exit(5);
			ff_tx_rsp(ff, 0, (xvif_tx_rsp_t[4]){ 0 }, 4);
			/* RX: TAP -> guest */
			ff_rx_post(ff, 0, 1);
			ff_tap_write(ff, 0, NULL, frame, FRAME);
			while (ff_rx_recv(ff, 0, got, sizeof(got), &pkt) == -1)
				sched_yield();
		}
		r = 2.0 * SECCOMP_PKTS / (now_s() - t0);
		if (write(pfd[1], &r, sizeof(r)) != sizeof(r))
			_exit(6);
		ff_stop(ff);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &pps, sizeof(pps)) != sizeof(pps))
		pps = 0;
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return pps;
}

/* ---- roundtrip through an echoing fake guest ---- */

static int echo_stop;

static void *echo_guest(void *arg)
{
	struct ff *ff = arg;
	struct xvif_rxr_pkt pkt;
	xvif_tx_rsp_t rsp[16];
	static uint8_t buf[70000];

	ff_rx_post(ff, 0, 64);
	while (!__atomic_load_n(&echo_stop, __ATOMIC_ACQUIRE)) {
		int n = ff_rx_recv(ff, 0, buf, sizeof(buf), &pkt);

		if (n > 0) {
			ff_tx_queue(ff, 0, buf, (uint32_t)n, NULL);
			ff_tx_push(ff, 0);
			ff_rx_post(ff, 0, 1);
		}
		ff_tx_rsp(ff, 0, rsp, 16);
		if (n < 0)
			sched_yield();
	}
	return NULL;
}

static struct ff_opts bench_opts(void)
{
	struct ff_opts o = ff_default_opts();

	o.nq = 1;
	return o;
}

static int rt_broken;

static void on_broken(void *arg, unsigned int q, const char *why)
{
	(void)arg;
	fprintf(stderr, "bench: queue %u broken: %s\n", q, why);
	__atomic_store_n(&rt_broken, 1, __ATOMIC_RELEASE);
}

/* One measurement in @mode: start latency (ms), frames/s, worker RSS (kB). */
static int roundtrip(enum xvif_iso_mode mode, bool ns, double *start_ms, double *fps, long *rss_kb, long *data_kb)
{
	struct ff_opts o = bench_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct xvif_dp_vif *vif = NULL;
	struct virtio_net_hdr vh;
	pthread_t t;
	char err[192], path[64], line[128];
	unsigned int i, inflight = 0, done = 0;
	double t0;
	FILE *f;

	if (!ff)
		return -1;
	ff_prepare(ff, &o);
	ff->cfg.name = "bench";
	ff->cfg.on_broken = on_broken;
	xvif_iso_set_mode(mode);
	xvif_iso_set_namespaces(ns);
	if (mode == XVIF_ISO_NONE) {
		/* The engine on the fake hypervisor in this process. */
		t0 = now_s();
		if (xvif_dp_vif_start_ops(&ff->cfg, &fake_xen_ops, &ff->fx, true, &vif, err, sizeof(err)) < 0)
			return -1;
		*start_ms = (now_s() - t0) * 1e3;
		pthread_create(&t, NULL, echo_guest, ff);
	} else {
		t0 = now_s();
		if (xvif_iso_vif_start(&ff->cfg, &vif, err, sizeof(err)) < 0) {
			fprintf(stderr, "bench: worker start: %s\n", err);
			return -1;
		}
		*start_ms = (now_s() - t0) * 1e3;
	}
	ff_frame(frame, FRAME, 4, XVIF_IPPROTO_UDP, 2);
	t0 = now_s();
	for (i = 0; done < RT_PKTS && !__atomic_load_n(&rt_broken, __ATOMIC_ACQUIRE);) {
		/* Keep a few frames in flight (the echo guest posts one buffer
		 * per frame it sends back). */
		while (inflight < 8 && i < RT_PKTS) {
			if (ff_tap_write(ff, 0, NULL, frame, FRAME) < 0)
				break;
			inflight++;
			i++;
		}
		if (!wait_readable(ff->q[0].sock[1]))
			break;
		while (ff_tap_read(ff, 0, &vh, got, sizeof(got)) == (int)FRAME) {
			inflight--;
			done++;
		}
	}
	*fps = done / (now_s() - t0);
	*rss_kb = 0;
	*data_kb = 0;
	if (mode == XVIF_ISO_PROCESS) {
		snprintf(path, sizeof(path), "/proc/%d/status", (int)xvif_iso_vif_pid(vif));
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "VmRSS: %ld", rss_kb) != 1)
				sscanf(line, "VmData: %ld", data_kb);
		if (f)
			fclose(f);
		xvif_iso_vif_stop(vif);
	} else {
		__atomic_store_n(&echo_stop, 1, __ATOMIC_RELEASE);
		pthread_join(t, NULL);
		__atomic_store_n(&echo_stop, 0, __ATOMIC_RELEASE);
		xvif_dp_vif_stop(vif);
	}
	ff_stop(ff);
	free(ff);
	return done == RT_PKTS ? 0 : -1;
}

/* `bench_iso --vif-worker`: what the exec'd worker runs here: the fake
 * guest (same grants and ports as the daemon side's) and the real worker. */
static int worker_main(void)
{
	struct ff_opts o = bench_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	pthread_t t;

	if (!ff)
		return 2;
	ff_watchdog = false;
	ff_prepare(ff, &o);
	pthread_create(&t, NULL, echo_guest, ff);
	return xvif_iso_worker_run(3, &fake_xen_ops, &ff->fx, geteuid() == 0);
}

/* Worker start latency alone (ms), with or without namespaces. */
static double spawn_ms(bool ns)
{
	struct ff_opts o = bench_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct xvif_dp_vif *vif = NULL;
	char err[192];
	double t0, ms = -1;

	if (!ff)
		return -1;
	ff_prepare(ff, &o);
	ff->cfg.name = "bench";
	ff->cfg.on_broken = on_broken;
	xvif_iso_set_mode(XVIF_ISO_PROCESS);
	xvif_iso_set_namespaces(ns);
	t0 = now_s();
	if (xvif_iso_vif_start(&ff->cfg, &vif, err, sizeof(err)) == 0) {
		ms = (now_s() - t0) * 1e3;
		xvif_iso_vif_stop(vif);
	} else {
		fprintf(stderr, "bench: worker start: %s\n", err);
	}
	ff_stop(ff);
	free(ff);
	return ms;
}

#define SPAWNS 20

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	double sec[2][RUNS], st[3][RUNS], fp[3][RUNS], sp[2][SPAWNS];
	long rss = 0, data = 0;
	unsigned int r, m;

	if (argc > 1 && strcmp(argv[1], "--vif-worker") == 0)
		_exit(worker_main());
	ff_watchdog = false;
	signal(SIGPIPE, SIG_IGN);
	for (r = 0; r < RUNS; r++)
		for (m = 0; m < 2; m++)
			sec[m][r] = engine_pps(m == 1);
	qsort(sec[0], RUNS, sizeof(double), cmp);
	qsort(sec[1], RUNS, sizeof(double), cmp);
	printf("seccomp: engine TX+RX packets/s (%u B, median of %u): no filter %.0f, filter %.0f, ratio %.3f\n",
	       FRAME, RUNS, sec[0][RUNS / 2], sec[1][RUNS / 2], sec[1][RUNS / 2] / sec[0][RUNS / 2]);
	for (r = 0; r < RUNS; r++) {
		long k = 0, dk = 0;

		if (roundtrip(XVIF_ISO_NONE, true, &st[0][r], &fp[0][r], &(long){ 0 }, &(long){ 0 }) < 0 ||
		    roundtrip(XVIF_ISO_PROCESS, true, &st[1][r], &fp[1][r], &k, &dk) < 0 ||
		    roundtrip(XVIF_ISO_PROCESS, false, &st[2][r], &fp[2][r], &(long){ 0 }, &(long){ 0 }) < 0) {
			fprintf(stderr, "bench: roundtrip run %u failed\n", r);
			return 1;
		}
		rss = k > rss ? k : rss;
		data = dk > data ? dk : data;
	}
	for (r = 0; r < SPAWNS; r++)
		for (m = 0; m < 2; m++)
			sp[m][r] = spawn_ms(m == 0);
	qsort(sp[0], SPAWNS, sizeof(double), cmp);
	qsort(sp[1], SPAWNS, sizeof(double), cmp);
	for (m = 0; m < 3; m++) {
		qsort(st[m], RUNS, sizeof(double), cmp);
		qsort(fp[m], RUNS, sizeof(double), cmp);
	}
	printf("roundtrip: TAP->guest->TAP frames/s (%u B, median of %u): none %.0f, process %.0f, ratio %.3f\n", FRAME,
	       RUNS, fp[0][RUNS / 2], fp[1][RUNS / 2], fp[1][RUNS / 2] / fp[0][RUNS / 2]);
	printf("spawn: vif start ms (median of %u): none %.2f, process (fork+exec+map+drop+seccomp) %.2f\n", RUNS,
	       st[0][RUNS / 2], st[1][RUNS / 2]);
	printf("namespaces: roundtrip frames/s (median of %u): with %.0f, without %.0f, ratio %.3f; worker start ms "
	       "(median of %u, alternating): with %.2f, without %.2f%s\n",
	       RUNS, fp[1][RUNS / 2], fp[2][RUNS / 2], fp[1][RUNS / 2] / fp[2][RUNS / 2], SPAWNS, sp[0][SPAWNS / 2],
	       sp[1][SPAWNS / 2], geteuid() == 0 ? "" : " (not root: no namespaces either way)");
	printf("rss: worker VmRSS %ld kB, VmData %ld kB of a %llu kB bound (fake hypervisor: its 4 MiB grant table is in the "
	       "worker's memory too)\n",
	       rss, data, (unsigned long long)(xvif_iso_data_limit(1) >> 10));
	fflush(stdout);
	_exit(0);
}
