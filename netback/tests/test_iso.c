// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-vif isolation (iso.h, sandbox.h):
 *
 *  - the seccomp allow-list refuses opening a file (EACCES) and kills a
 *    process that makes a socket, execs, forks, uses an ioctl outside the list or maps
 *    executable memory, and kills thread creation once sealed; the engine's
 *    threaded traffic test passes under it;
 *  - the privilege drop (as root: SKIP otherwise) leaves no way back;
 *  - real worker processes: the daemon side (iso_proc.c) forks and execs
 *    this binary as `--vif-worker`, which runs the real worker
 *    (iso_worker.c: config over the socket, map/bind, drop, seccomp,
 *    threads) on the fake hypervisor, with a fake guest inside the worker
 *    that echoes every frame it receives. One
 *    worker is crashed (SIGSEGV): only its vif is reported broken, the other
 *    keeps passing traffic; a guest that breaks its ring is reported with
 *    the engine's reason; hostile workers (malformed reports, garbage status
 *    page, a start failure with an unterminated, unprintable reason) close
 *    only their vif and never reach the daemon's memory unchecked;
 *  - asynchronous starts: three workers spawned before any answer is
 *    collected each report once and serve; a vif stopped right after its
 *    spawn leaves no child and its uid free (a one-uid range);
 *  - per-vif uids (as root): two workers have different uids from the
 *    range and one cannot signal the other; a full range refuses a new
 *    worker with what to do, a uid comes back only after its worker is
 *    reaped, a uid some other process holds is skipped; the range check
 *    names the user, group or subordinate range it collides with;
 *  - namespaces (as root): a worker's mount, network, IPC, UTS and cgroup
 *    namespaces are its own, its root is empty, and traffic still flows;
 *    a real TAP fd keeps working after its holder changes network namespace;
 *  - the memory bound (RLIMIT_DATA; not in sanitizer builds): a worker's
 *    peak under a burst fits well inside it, and a worker that reaches it
 *    is killed and only its vif closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <grp.h>
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_front.h"
#include "iso.h"
#include "iso_msg.h"
#include "sandbox.h"

static uint8_t frame[70000], got[70000];

/* ---- helpers ---- */

/* Run @fn in a forked child; return its wait status. */
static int in_child(void (*fn)(void))
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void expect_sigsys(void (*fn)(void), const char *what)
{
	int st = in_child(fn);

	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
		fail_msg("%s: expected death by SIGSYS, got %s %d", what, WIFSIGNALED(st) ? "signal" : "exit",
			 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

static void filter_or_die(void)
{
	char err[160];

	if (xvif_sandbox_seccomp(err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		_exit(3);
	}
}

static bool wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 60000) == 1; /* a safety net against a hang, not a speed check */
}

/* ---- seccomp ---- */

/* Opens are refused, not killed (glibc probes files internally). */
static void do_open(void)
{
	int fd;

	filter_or_die();
	fd = open("/etc/hostname", O_RDONLY);
	if (fd >= 0 || errno != EACCES)
		_exit(1);
	fd = openat(AT_FDCWD, "/etc/hostname", O_RDONLY);
	if (fd >= 0 || errno != EACCES)
		_exit(2);
	fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY | O_CLOEXEC);
	_exit(fd >= 0 || errno != EACCES ? 3 : 0);
}

static void do_socket(void)
{
	filter_or_die();
	socket(AF_INET, SOCK_STREAM, 0);
}

static void do_execve(void)
{
	char *argv[] = { (char *)"true", NULL };

	filter_or_die();
	execve("/bin/true", argv, NULL);
}

static void do_fork(void)
{
	filter_or_die();
	if (fork() == 0)
		_exit(0);
}

static void do_ioctl(void)
{
	int n;

	filter_or_die();
	ioctl(0, FIONREAD, &n);
}

static void do_mmap_exec(void)
{
	filter_or_die();
	mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void do_kill_parent(void)
{
	pid_t parent = getppid();

	filter_or_die();
	kill(parent, 0);
}

static void *nothing(void *arg)
{
	return arg;
}

static void do_thread_after_seal(void)
{
	pthread_t t;
	char err[160];

	filter_or_die();
	if (xvif_sandbox_seal(err, sizeof(err)) < 0)
		_exit(4);
	pthread_create(&t, NULL, nothing, NULL);
	pthread_join(t, NULL);
}

/* glibc's malloc opens /proc/sys/vm/overcommit_memory the first time a
 * thread's heap shrinks: the lab's workers died of it before opens were
 * answered EACCES. A thread fills its arena and frees it, under the filter. */
static void *heap_churn(void *arg)
{
	static void *p[2048];
	unsigned int i, k;

	for (k = 0; k < 4; k++) {
		for (i = 0; i < 2048; i++)
			p[i] = malloc(32 * 1024);
		for (i = 2048; i-- > 0;)
			free(p[i]);
	}
	return arg;
}

static void do_heap_shrink(void)
{
	pthread_t t;

	filter_or_die();
	if (pthread_create(&t, NULL, heap_churn, NULL))
		_exit(2);
	pthread_join(t, NULL);
	_exit(0);
}

static void seccomp_allows_heap_shrink(void **state)
{
	int st;

	(void)state;
	st = in_child(do_heap_shrink);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("a thread's heap shrinking under the filter: %s %d", WIFSIGNALED(st) ? "signal" : "exit",
			 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

static void seccomp_kills_forbidden(void **state)
{
	int st;

	(void)state;
	st = in_child(do_open);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("open under the filter: expected EACCES, got %s %d", WIFSIGNALED(st) ? "signal" : "exit",
			 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	expect_sigsys(do_socket, "socket");
	expect_sigsys(do_execve, "execve");
	expect_sigsys(do_fork, "fork");
	expect_sigsys(do_ioctl, "ioctl FIONREAD");
	expect_sigsys(do_mmap_exec, "mmap PROT_EXEC");
	expect_sigsys(do_kill_parent, "kill");
	expect_sigsys(do_thread_after_seal, "pthread_create after seal");
}

/* The engine's threaded TX/RX test (test_dp_vif's threads_tx_and_rx, in
 * short), with the filter installed before the engine starts: everything
 * the data path does at start, run and stop must be allowed. The fake
 * hypervisor makes no ioctls, so the ioctl rules are exercised in the lab. */
static void do_engine_traffic(void)
{
	struct ff_opts o = ff_default_opts();
	struct ff *ff = calloc(1, sizeof(*ff));
	struct virtio_net_hdr vh;
	struct xvif_rxr_pkt pkt;
	unsigned int i, k;

	char err[160];

	/* As a worker does: start (map, bind, eventfds), filter, threads. */
	o.threads = false;
	o.nq = 2;
	if (!ff || ff_start(ff, &o) != 0)
		_exit(5);
	filter_or_die();
	if (xvif_iso_worker_threads(ff->vif, err, sizeof(err)) < 0)
		_exit(5);
	for (k = 0; k < 20; k++) {
		for (i = 0; i < 2; i++) {
			ff_frame(frame, 1500, 4, XVIF_IPPROTO_TCP, k);
			ff_tx_queue(ff, i, frame, 1500, &(struct ff_tx){ .nslots = 2 });
			ff_tx_push(ff, i);
			if (!wait_readable(ff->q[i].sock[1]) || ff_tap_read(ff, i, &vh, got, sizeof(got)) != 1500 ||
			    memcmp(got, frame, 1500))
				_exit(6);
			ff_rx_post(ff, i, 2);
			ff_frame(frame, 3000, 6, XVIF_IPPROTO_UDP, k);
			ff_tap_write(ff, i, NULL, frame, 3000);
			while (ff_rx_recv(ff, i, got, sizeof(got), &pkt) == -1)
				usleep(1000);
			if (memcmp(got, frame, 3000))
				_exit(7);
			ff_tx_rsp(ff, i, (xvif_tx_rsp_t[8]){ 0 }, 8);
		}
	}
	ff_stop(ff);
	_exit(0);
}

static void seccomp_allows_engine(void **state)
{
	int st;

	(void)state;
	st = in_child(do_engine_traffic);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("engine traffic under the filter: %s %d", WIFSIGNALED(st) ? "signal" : "exit",
			 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

/* ---- privilege drop ---- */

static void do_drop(void)
{
	char err[160];

	if (xvif_sandbox_drop(XVIF_ISO_UID_BASE_DEFAULT, XVIF_ISO_UID_BASE_DEFAULT, 0, err, sizeof(err)) < 0) {
		fprintf(stderr, "drop: %s\n", err);
		_exit(3);
	}
	if (getuid() != XVIF_ISO_UID_BASE_DEFAULT || getgid() != XVIF_ISO_UID_BASE_DEFAULT)
		_exit(4);
	if (setuid(0) == 0 || setgid(0) == 0 || setgroups(0, NULL) == 0)
		_exit(5);
	/* Root-only files are out of reach. */
	if (open("/etc/shadow", O_RDONLY) >= 0)
		_exit(6);
	_exit(0);
}

static void drop_leaves_no_way_back(void **state)
{
	int st;

	(void)state;
	if (geteuid() != 0) {
		print_message("SKIP drop_leaves_no_way_back not root\n");
		skip();
	}
	st = in_child(do_drop);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* ---- worker processes on the fake hypervisor ---- */

/* What the spawned child does: the real worker, or a hostile one. */
enum child_kind { CHILD_ECHO, CHILD_BAD_REPORT, CHILD_BAD_FAILED, CHILD_GARBAGE_PAGE };
static enum child_kind child_kind;

#define MAGIC_BREAK 0xb7 /* a frame whose byte 60 is this: the guest breaks its TX ring */
#define MAGIC_HOG 0xb8   /* ... this: a leak in the worker takes all the memory it can get */

/* A leak inside the worker (the fake guest is a thread of the worker
 * process, under its limits): take memory in 256 KiB pieces until refused,
 * keep it. */
static void hog(void)
{
	void *p;

	while ((p = malloc(256 * 1024)))
		memset(p, 0x5a, 256 * 1024);
	for (;;)
		sleep(1000); /* clock_nanosleep: pause is not in the allow-list */
}

/* The fake guest inside a worker child: posts RX buffers, sends every
 * received frame back on TX. */
static void *echo_guest(void *arg)
{
	struct ff *ff = arg;
	struct xvif_rxr_pkt pkt;
	xvif_tx_rsp_t rsp[16];
	static uint8_t buf[70000];

	ff_rx_post(ff, 0, 16);
	for (;;) {
		int n = ff_rx_recv(ff, 0, buf, sizeof(buf), &pkt);

		if (n > 60 && buf[60] == MAGIC_HOG)
			hog();
		if (n > 60 && buf[60] == MAGIC_BREAK) {
			ff->q[0].tx.sring->req_prod += 999;
			fake_evt_raise(&ff->fx, ff->q[0].evt_tx);
		} else if (n > 0) {
			ff_tx_queue(ff, 0, buf, (uint32_t)n, NULL);
			ff_tx_push(ff, 0);
			ff_rx_post(ff, 0, 1);
		}
		ff_tx_rsp(ff, 0, rsp, 16);
		if (n < 0)
			usleep(500);
	}
	return NULL;
}

/* Queues of the next vif started (both sides read it: the exec'd worker
 * from the environment). The echoing guest serves queue 0 only. */
static struct ff_opts child_opts(void)
{
	struct ff_opts o = ff_default_opts();
	const char *nq = getenv("XVIF_TEST_NQ");

	o.nq = nq ? (unsigned int)atoi(nq) : 1;
	return o;
}

static void hostile_child(int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * (1 + XVIF_MAX_QUEUES))];
		struct cmsghdr align;
	} u;
	static struct xvif_iso_cfg_msg m;
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct xvif_iso_msg r;
	struct xvif_iso_page *page;
	int memfd;

	if (recvmsg(sock, &mh, 0) != (ssize_t)sizeof(m) || !CMSG_FIRSTHDR(&mh))
		_exit(2);
	memcpy(&memfd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (page == MAP_FAILED)
		_exit(2);
	memset(&r, 0, sizeof(r));
	r.magic = XVIF_ISO_MAGIC;
	if (child_kind == CHILD_BAD_FAILED) {
		r.type = XVIF_ISO_FAILED;
		r.rc = 12345678; /* not an errno */
		memset(r.err, 0x07, sizeof(r.err)); /* unterminated, unprintable */
		send(sock, &r, sizeof(r), 0);
		pause();
	}
	/* Garbage everywhere in the page except the magic, which says "a page". */
	memset(page, 0xff, 4096);
	page->magic = XVIF_ISO_MAGIC;
	page->seq = 1; /* odd forever: "being written" */
	r.type = XVIF_ISO_STARTED;
	send(sock, &r, sizeof(r), 0);
	if (child_kind == CHILD_BAD_REPORT) {
		r.type = XVIF_ISO_BROKEN;
		r.queue = 7; /* the vif has one queue */
		send(sock, &r, sizeof(r), 0);
	}
	for (;;)
		pause();
}

static void spawn_child(int sock)
{
	struct ff_opts o = child_opts();
	struct ff *ff;
	pthread_t t;

	int sig;

	/* cmocka's handlers (which call sigaction) are no worker's: a real one
	 * is exec'd with the defaults. */
	for (sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	if (child_kind != CHILD_ECHO)
		hostile_child(sock);
	ff = calloc(1, sizeof(*ff));
	if (!ff)
		_exit(2);
	ff_prepare(ff, &o); /* the same grefs and ports as the daemon side's */
	if (pthread_create(&t, NULL, echo_guest, ff))
		_exit(2);
	_exit(xvif_iso_worker_run(sock, &fake_xen_ops, &ff->fx, geteuid() == 0));
}

struct rec {
	unsigned int calls;
	unsigned int queue;
	char why[128];
};

static void on_broken(void *arg, unsigned int queue, const char *why)
{
	struct rec *r = arg;

	r->queue = queue;
	snprintf(r->why, sizeof(r->why), "%s", why);
	__atomic_add_fetch(&r->calls, 1, __ATOMIC_RELEASE);
}

static bool wait_broken(struct rec *r)
{
	unsigned int i;

	for (i = 0; i < 60000 && !__atomic_load_n(&r->calls, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	return __atomic_load_n(&r->calls, __ATOMIC_ACQUIRE) > 0;
}

/* The daemon side of one vif: the fake front's config (its TAP socketpair
 * is what the worker gets), started through iso_proc.c. */
struct side {
	struct ff *ff;
	struct xvif_dp_vif *vif;
	struct rec rec;
	char err[192];
};

static int side_start(struct side *s, const char *name, enum child_kind kind)
{
	struct ff_opts o = child_opts();

	memset(s, 0, sizeof(*s));
	s->ff = calloc(1, sizeof(*s->ff));
	assert_non_null(s->ff);
	ff_prepare(s->ff, &o);
	s->ff->cfg.name = name;
	s->ff->cfg.on_broken = on_broken;
	s->ff->cfg.on_broken_arg = &s->rec;
	char k[8];

	snprintf(k, sizeof(k), "%d", (int)kind);
	setenv("XVIF_TEST_CHILD", k, 1); /* read by the exec'd worker: see main() */
	return xvif_iso_vif_start(&s->ff->cfg, &s->vif, s->err, sizeof(s->err));
}

static void side_stop(struct side *s)
{
	xvif_iso_vif_stop(s->vif);
	s->vif = NULL;
	ff_stop(s->ff);
	free(s->ff);
}

/* A frame in at the TAP, through the worker's RX, the child's guest, its
 * TX, back out at the TAP. */
static bool roundtrip(struct side *s, uint32_t seed)
{
	struct virtio_net_hdr vh;
	unsigned int i;

	ff_frame(frame, 1000, 4, XVIF_IPPROTO_UDP, seed);
	if (ff_tap_write(s->ff, 0, NULL, frame, 1000) < 0)
		return false;
	for (i = 0; i < 3; i++) {
		if (!wait_readable(s->ff->q[0].sock[1]))
			return false;
		if (ff_tap_read(s->ff, 0, &vh, got, sizeof(got)) == 1000 && memcmp(got, frame, 1000) == 0)
			return true;
	}
	return false;
}

static void no_children_left(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void worker_crash_closes_only_its_vif(void **state)
{
	struct side a, b;
	struct xvif_dp_queue_status st;
	struct xvif_iso_stats s0, s1;
	unsigned int k;
	pid_t pa;

	(void)state;
	xvif_iso_stats(&s0);
	assert_int_equal(side_start(&a, "xvifA", CHILD_ECHO), 0);
	assert_int_equal(side_start(&b, "xvifB", CHILD_ECHO), 0);
	pa = xvif_iso_vif_pid(a.vif);
	assert_true(pa > 0);
	assert_true(xvif_iso_vif_pid(b.vif) > 0 && xvif_iso_vif_pid(b.vif) != pa);
	assert_int_equal(xvif_iso_vif_num_queues(a.vif), 1);
	assert_true(roundtrip(&a, 1));
	assert_true(roundtrip(&b, 2));

	/* A bug in A's worker: it crashes. */
	assert_int_equal(kill(pa, SIGSEGV), 0);
	assert_true(wait_broken(&a.rec));
	assert_int_equal(a.rec.queue, 0);
	if (!strstr(a.rec.why, "worker died: signal 11"))
		fail_msg("why: %s", a.rec.why);
	assert_true(xvif_iso_vif_broken(a.vif));
	assert_int_equal(xvif_iso_vif_queue_status(a.vif, 0, &st), 0);
	assert_true(st.broken);
	assert_non_null(strstr(st.broken_why, "signal 11"));

	/* B goes on, untouched. */
	assert_true(roundtrip(&b, 3));
	assert_true(roundtrip(&b, 4));
	assert_false(xvif_iso_vif_broken(b.vif));
	assert_int_equal(__atomic_load_n(&b.rec.calls, __ATOMIC_ACQUIRE), 0);
	/* B's counters come through its status page (refreshed every 200 ms
	 * by the worker): read until they show the round trips (was one read
	 * after a fixed 500 ms, which a loaded machine can miss; the bound is a
	 * safety net only). */
	for (k = 0; k < 60000; k++) {
		assert_int_equal(xvif_iso_vif_queue_status(b.vif, 0, &st), 0);
		if (st.counters.c[XVIF_DPC_RX_PACKETS] >= 3 && st.counters.c[XVIF_DPC_TX_PACKETS] >= 3)
			break;
		usleep(1000);
	}
	assert_false(st.broken);
	assert_true(st.counters.c[XVIF_DPC_RX_PACKETS] >= 3);
	assert_true(st.counters.c[XVIF_DPC_TX_PACKETS] >= 3);

	side_stop(&a);
	side_stop(&b);
	xvif_iso_stats(&s1);
	assert_int_equal(s1.spawned - s0.spawned, 2);
	assert_int_equal(s1.died - s0.died, 1);
	assert_int_equal(a.rec.calls, 1);
	no_children_left();
}

static void guest_breaking_its_ring_is_reported(void **state)
{
	struct side a;
	struct xvif_dp_queue_status st;

	(void)state;
	assert_int_equal(side_start(&a, "xvifC", CHILD_ECHO), 0);
	assert_true(roundtrip(&a, 5));
	/* The live rate and xdp-headroom go over the socket and change nothing
	 * visible here, but the worker must still be serving afterwards. */
	xvif_iso_vif_set_rate(a.vif, true, 1u << 30, 1000);
	xvif_iso_vif_set_xdp_headroom(a.vif, 0);
	assert_true(roundtrip(&a, 6));
	ff_frame(frame, 200, 4, XVIF_IPPROTO_UDP, 7);
	frame[60] = MAGIC_BREAK;
	assert_int_equal(ff_tap_write(a.ff, 0, NULL, frame, 200), 0);
	assert_true(wait_broken(&a.rec));
	assert_int_equal(a.rec.queue, 0);
	/* The engine's own reason, through the page, checked. */
	assert_null(strstr(a.rec.why, "worker"));
	assert_true(strlen(a.rec.why) > 0);
	assert_int_equal(xvif_iso_vif_queue_status(a.vif, 0, &st), 0);
	assert_true(st.broken);
	assert_string_equal(st.broken_why, a.rec.why);
	/* The worker itself is alive (a broken queue is not a dead worker). */
	assert_int_equal(kill(xvif_iso_vif_pid(a.vif), 0), 0);
	side_stop(&a);
	no_children_left();
}

static void hostile_worker_report(void **state)
{
	struct side a, b;
	struct xvif_dp_queue_status st;
	struct xvif_iso_stats s0, s1;

	(void)state;
	xvif_iso_stats(&s0);
	assert_int_equal(side_start(&b, "xvifB", CHILD_ECHO), 0);
	assert_int_equal(side_start(&a, "xvifH", CHILD_BAD_REPORT), 0);
	assert_true(wait_broken(&a.rec));
	if (!strstr(a.rec.why, "malformed report"))
		fail_msg("why: %s", a.rec.why);
	assert_true(xvif_iso_vif_broken(a.vif));
	assert_true(roundtrip(&b, 8));
	side_stop(&a);
	side_stop(&b);
	xvif_iso_stats(&s1);
	assert_int_equal(s1.bad_reports - s0.bad_reports, 1);
	(void)st;
	no_children_left();
}

static void hostile_worker_page(void **state)
{
	struct side a;
	struct xvif_dp_queue_status st;
	size_t i;

	(void)state;
	assert_int_equal(side_start(&a, "xvifG", CHILD_GARBAGE_PAGE), 0);
	assert_int_equal(xvif_iso_vif_queue_status(a.vif, 0, &st), 0);
	assert_true(st.broken);
	assert_true(strlen(st.broken_why) < sizeof(st.broken_why));
	for (i = 0; st.broken_why[i]; i++)
		assert_true(st.broken_why[i] >= 0x20 && st.broken_why[i] < 0x7f);
	assert_true(st.tx_ring_free <= 256 && st.rx_ring_free <= 256);
	assert_int_equal(st.local_port_tx, 0);
	assert_int_equal(xvif_iso_vif_queue_status(a.vif, 1, &st), -EINVAL);
	side_stop(&a);
	no_children_left();
}

static void hostile_worker_start_answer(void **state)
{
	struct side a;
	size_t i;
	int rc;

	(void)state;
	rc = side_start(&a, "xvifF", CHILD_BAD_FAILED);
	assert_int_equal(rc, -EIO);
	assert_null(a.vif);
	assert_true(strlen(a.err) < sizeof(a.err));
	for (i = 0; a.err[i]; i++)
		assert_true(a.err[i] >= 0x20 && a.err[i] < 0x7f);
	ff_stop(a.ff);
	free(a.ff);
	no_children_left();
}

/* ---- asynchronous starts (the daemon's loop never waits for a worker) ---- */

static bool need_root(const char *name);

static void count_done(void *arg)
{
	__atomic_add_fetch((unsigned int *)arg, 1, __ATOMIC_RELEASE);
}

/* Three workers are spawned before any answer is collected; each one's
 * answer is reported once through the callback, and all three serve. */
static void async_starts_in_parallel(void **state)
{
	struct side s[3];
	static const char *names[3] = { "xvifP0", "xvifP1", "xvifP2" };
	unsigned int done = 0, i, k;
	char k_env[8];

	(void)state;
	snprintf(k_env, sizeof(k_env), "%d", (int)CHILD_ECHO);
	setenv("XVIF_TEST_CHILD", k_env, 1);
	for (i = 0; i < 3; i++) {
		struct ff_opts o = child_opts();

		memset(&s[i], 0, sizeof(s[i]));
		s[i].ff = calloc(1, sizeof(*s[i].ff));
		assert_non_null(s[i].ff);
		ff_prepare(s[i].ff, &o);
		s[i].ff->cfg.name = names[i];
		s[i].ff->cfg.on_broken = on_broken;
		s[i].ff->cfg.on_broken_arg = &s[i].rec;
		assert_int_equal(xvif_iso_vif_start_async(&s[i].ff->cfg, count_done, &done, &s[i].vif, s[i].err,
							  sizeof(s[i].err)),
				 0);
		assert_non_null(s[i].vif);
		assert_true(xvif_iso_vif_pid(s[i].vif) > 0);
	}
	/* Each callback comes once, after its result is readable (the
	 * bound is a safety net against a hang only). */
	for (k = 0; k < 60000 && __atomic_load_n(&done, __ATOMIC_ACQUIRE) < 3; k++)
		usleep(1000);
	assert_int_equal(__atomic_load_n(&done, __ATOMIC_ACQUIRE), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(xvif_iso_vif_start_result(s[i].vif, s[i].err, sizeof(s[i].err)), 0);
		assert_false(xvif_iso_vif_starting(s[i].vif));
		assert_true(roundtrip(&s[i], 30 + i));
	}
	for (i = 0; i < 3; i++)
		side_stop(&s[i]);
	assert_int_equal(__atomic_load_n(&done, __ATOMIC_ACQUIRE), 3);
	no_children_left();
}

/* Stopped right after the spawn, answered or not: the worker is killed
 * and reaped, its uid free again (a one-uid range takes the next start). */
static void async_stop_while_starting(void **state)
{
	struct side a;
	unsigned int done = 0, i;
	char err[256];

	(void)state;
	if (!need_root("async_stop_while_starting"))
		skip();
	setenv("XVIF_TEST_CHILD", "0", 1); /* CHILD_ECHO */
	assert_int_equal(xvif_iso_set_uid_range(71000, 1, err, sizeof(err)), 0);
	for (i = 0; i < 3; i++) {
		struct ff_opts o = child_opts();

		memset(&a, 0, sizeof(a));
		a.ff = calloc(1, sizeof(*a.ff));
		assert_non_null(a.ff);
		ff_prepare(a.ff, &o);
		a.ff->cfg.name = "xvifS";
		a.ff->cfg.on_broken = on_broken;
		a.ff->cfg.on_broken_arg = &a.rec;
		assert_int_equal(xvif_iso_vif_start_async(&a.ff->cfg, count_done, &done, &a.vif, a.err, sizeof(a.err)), 0);
		assert_int_equal(xvif_iso_vif_uid(a.vif), 71000);
		side_stop(&a);
		no_children_left();
		assert_int_equal(a.rec.calls, 0); /* a stop is no breakage */
	}
	assert_int_equal(xvif_iso_set_uid_range(XVIF_ISO_UID_BASE_DEFAULT, XVIF_ISO_UID_COUNT_DEFAULT, err, sizeof(err)),
			 0);
}

/* A killed daemon leaves no worker holding rings: the worker's
 * parent-death signal (set again after the uid change) kills it. The test
 * is the subreaper, so the orphaned worker comes back to it. */
static void daemon_death_kills_workers(void **state)
{
	int pfd[2], st;
	pid_t daemon, worker = 0, r;
	unsigned int i;

	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	assert_int_equal(pipe(pfd), 0);
	daemon = fork();
	if (daemon == 0) {
		struct side a;

		if (side_start(&a, "xvifD", CHILD_ECHO) != 0 || !roundtrip(&a, 9))
			_exit(2);
		worker = xvif_iso_vif_pid(a.vif);
		if (write(pfd[1], &worker, sizeof(worker)) != sizeof(worker))
			_exit(2);
		pause();
	}
	assert_true(daemon > 0);
	close(pfd[1]);
	assert_int_equal(read(pfd[0], &worker, sizeof(worker)), sizeof(worker));
	assert_true(worker > 0);
	/* Stopped, the worker cannot see its command socket close and exit
	 * by itself first (it would, racing the signal): only the
	 * parent-death SIGKILL can end it. */
	assert_int_equal(kill(worker, SIGSTOP), 0);
	assert_int_equal(kill(daemon, SIGKILL), 0);
	assert_int_equal(waitpid(daemon, &st, 0), daemon);
	for (i = 0, r = 0; i < 60000 && r == 0; i++) {
		r = waitpid(worker, &st, WNOHANG);
		if (r == 0)
			usleep(1000);
	}
	assert_int_equal(r, worker);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	close(pfd[0]);
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	no_children_left();
}

/* ---- per-vif uids ---- */

/* The first number of "Key:" in /proc/@pid/status, or -1. */
static long long proc_field(pid_t pid, const char *key)
{
	char path[64], buf[4096], k[40], *l;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	snprintf(k, sizeof(k), "\n%s:", key);
	l = strstr(buf, k);
	return l ? strtoll(l + strlen(k), NULL, 10) : -1;
}

static bool need_root(const char *name)
{
	if (geteuid() == 0)
		return true;
	print_message("SKIP %s not root (workers keep the test's uid)\n", name);
	return false;
}

/* In a child running as @uid (as a compromised worker would, minus its
 * seccomp filter, which forbids kill outright): kill(@target, @sig). The
 * child's exit status is the errno (0: delivered). */
static int kill_as(uid_t uid, pid_t target, int sig)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
			_exit(200);
		_exit(kill(target, sig) == 0 ? 0 : errno);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void worker_uids_distinct(void **state)
{
	struct side a, b;
	pid_t pa, pb;
	uid_t ua, ub;

	(void)state;
	if (!need_root("worker_uids_distinct"))
		skip();
	assert_int_equal(side_start(&a, "xvifA", CHILD_ECHO), 0);
	assert_int_equal(side_start(&b, "xvifB", CHILD_ECHO), 0);
	pa = xvif_iso_vif_pid(a.vif);
	pb = xvif_iso_vif_pid(b.vif);
	ua = xvif_iso_vif_uid(a.vif);
	ub = xvif_iso_vif_uid(b.vif);
	assert_true(ua != ub);
	assert_true(ua >= XVIF_ISO_UID_BASE_DEFAULT && ua < XVIF_ISO_UID_BASE_DEFAULT + XVIF_ISO_UID_COUNT_DEFAULT);
	assert_true(ub >= XVIF_ISO_UID_BASE_DEFAULT && ub < XVIF_ISO_UID_BASE_DEFAULT + XVIF_ISO_UID_COUNT_DEFAULT);
	/* What the kernel says they run as (real uid and gid). */
	assert_int_equal(proc_field(pa, "Uid"), (long long)ua);
	assert_int_equal(proc_field(pb, "Uid"), (long long)ub);
	assert_int_equal(proc_field(pa, "Gid"), (long long)ua);
	assert_int_equal(proc_field(pb, "Gid"), (long long)ub);
	/* A's uid cannot signal B (nor B's A); it can signal itself (the
	 * check can fail). */
	assert_int_equal(kill_as(ua, pb, SIGKILL), EPERM);
	assert_int_equal(kill_as(ub, pa, SIGKILL), EPERM);
	assert_int_equal(kill_as(ua, pa, 0), 0);
	assert_true(roundtrip(&a, 11));
	assert_true(roundtrip(&b, 12));
	side_stop(&a);
	side_stop(&b);
	no_children_left();
}

/* A process of someone else's holding @uid until killed. */
static pid_t hold_uid(uid_t uid)
{
	int pfd[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
			_exit(2);
		if (write(pfd[1], "x", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(pfd[1]);
	assert_int_equal(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	return pid;
}

static void worker_uid_range_use(void **state)
{
	struct side a, b, c;
	char err[256];
	uid_t ua, ub;
	const uint32_t base = 69000;
	pid_t other;
	int st;

	(void)state;
	if (!need_root("worker_uid_range_use"))
		skip();
	assert_int_equal(xvif_iso_set_uid_range(base, 2, err, sizeof(err)), 0);
	assert_int_equal(side_start(&a, "xvifA", CHILD_ECHO), 0);
	assert_int_equal(side_start(&b, "xvifB", CHILD_ECHO), 0);
	ua = xvif_iso_vif_uid(a.vif);
	ub = xvif_iso_vif_uid(b.vif);
	assert_true((ua == base && ub == base + 1) || (ua == base + 1 && ub == base));
	/* Exhausted: refused, with what to do; no worker is started. */
	assert_int_equal(side_start(&c, "xvifC", CHILD_ECHO), -EAGAIN);
	assert_null(c.vif);
	if (!strstr(c.err, "no free worker uid in 69000..69001") || !strstr(c.err, "--worker-uid-count"))
		fail_msg("err: %s", c.err);
	ff_stop(c.ff);
	free(c.ff);
	/* A's uid comes back once A is gone (stopped and reaped). */
	side_stop(&a);
	assert_int_equal(side_start(&c, "xvifC", CHILD_ECHO), 0);
	assert_int_equal(xvif_iso_vif_uid(c.vif), ua);
	assert_true(roundtrip(&c, 13));
	side_stop(&b);
	side_stop(&c);

	/* A uid another process holds is skipped, and counted in the error. */
	other = hold_uid(base);
	assert_int_equal(side_start(&a, "xvifA", CHILD_ECHO), 0);
	assert_int_equal(xvif_iso_vif_uid(a.vif), base + 1);
	assert_int_equal(side_start(&b, "xvifB", CHILD_ECHO), -EAGAIN);
	if (!strstr(b.err, "1 held by other processes"))
		fail_msg("err: %s", b.err);
	ff_stop(b.ff);
	free(b.ff);
	side_stop(&a);
	kill(other, SIGKILL);
	assert_int_equal(waitpid(other, &st, 0), other);
	assert_int_equal(xvif_iso_set_uid_range(XVIF_ISO_UID_BASE_DEFAULT, XVIF_ISO_UID_COUNT_DEFAULT, err, sizeof(err)),
			 0);
	no_children_left();
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void uid_range_checks(void **state)
{
	char dir[] = "/tmp/xvif-iso-etc-XXXXXX", err[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_file(dir, "passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n"
				  "alice:x:70001:1000::/home/alice:/bin/sh\n");
	write_file(dir, "group", "root:x:0:\nstaff:x:66000:\n");
	write_file(dir, "subuid", "alice:100000:65536\n");
	write_file(dir, "subgid", "alice:100000:65536\n");
	/* The default range: free in these files. */
	assert_int_equal(xvif_iso_uid_range_check(65536, 4096, dir, err, sizeof(err)), -1); /* staff 66000 */
	if (!strstr(err, "group staff (gid 66000)") || !strstr(err, "--worker-uid-base"))
		fail_msg("err: %s", err);
	write_file(dir, "group", "root:x:0:\n");
	assert_int_equal(xvif_iso_uid_range_check(65536, 4096, dir, err, sizeof(err)), 0);
	assert_int_equal(xvif_iso_uid_range_check(70000, 16, dir, err, sizeof(err)), -1);
	if (!strstr(err, "user alice (uid 70001)"))
		fail_msg("err: %s", err);
	assert_int_equal(xvif_iso_uid_range_check(99000, 2000, dir, err, sizeof(err)), -1);
	if (!strstr(err, "alice's subordinate ids 100000..165535"))
		fail_msg("err: %s", err);
	assert_int_equal(xvif_iso_uid_range_check(200000, 4096, dir, err, sizeof(err)), 0);
	/* Ids that are never a worker's. */
	assert_int_equal(xvif_iso_set_uid_range(65000, 1000, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "65534"));
	assert_int_equal(xvif_iso_set_uid_range(0, 10, err, sizeof(err)), -1);
	assert_int_equal(xvif_iso_set_uid_range(0xfffffff0u, 100, err, sizeof(err)), -1);
	assert_int_equal(xvif_iso_set_uid_range(65536, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--worker-uid-count"));
	assert_int_equal(xvif_iso_set_uid_range(XVIF_ISO_UID_BASE_DEFAULT, XVIF_ISO_UID_COUNT_DEFAULT, err, sizeof(err)),
			 0);
	write_file(dir, "passwd", "");
	snprintf(err, sizeof(err), "rm -rf %s", dir);
	assert_int_equal(system(err), 0);
}

/* ---- namespaces ---- */

static bool same_ns(pid_t a, pid_t b, const char *ns)
{
	char pa[64], pb[64];
	struct stat sa, sb;

	snprintf(pa, sizeof(pa), "/proc/%d/ns/%s", (int)a, ns);
	snprintf(pb, sizeof(pb), "/proc/%d/ns/%s", (int)b, ns);
	assert_int_equal(stat(pa, &sa), 0);
	assert_int_equal(stat(pb, &sb), 0);
	return sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

static unsigned int root_entries(pid_t pid)
{
	char path[64];
	struct dirent *e;
	unsigned int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/root/", (int)pid);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void worker_namespaces(void **state)
{
	static const char *const nss[] = { "mnt", "net", "ipc", "uts", "cgroup" };
	struct side a, b;
	pid_t me = getpid(), pa, pb;
	unsigned int i;

	(void)state;
	if (!need_root("worker_namespaces"))
		skip();
	assert_int_equal(side_start(&a, "xvifA", CHILD_ECHO), 0);
	assert_int_equal(side_start(&b, "xvifB", CHILD_ECHO), 0);
	pa = xvif_iso_vif_pid(a.vif);
	pb = xvif_iso_vif_pid(b.vif);
	for (i = 0; i < sizeof(nss) / sizeof(nss[0]); i++) {
		if (same_ns(pa, me, nss[i]) || same_ns(pb, me, nss[i]) || same_ns(pa, pb, nss[i]))
			fail_msg("namespace %s shared (worker A %d, B %d, daemon %d)", nss[i], (int)pa, (int)pb, (int)me);
	}
	/* The pid namespace is the daemon's (see sandbox.c). */
	assert_true(same_ns(pa, me, "pid"));
	/* An empty root; the daemon's is not. */
	assert_int_equal(root_entries(pa), 0);
	assert_true(root_entries(me) > 0);
	/* The fds still work. */
	assert_true(roundtrip(&a, 14));
	assert_true(roundtrip(&b, 15));
	side_stop(&a);
	side_stop(&b);

	/* Off: the daemon's namespaces. */
	xvif_iso_set_namespaces(false);
	assert_int_equal(side_start(&a, "xvifA", CHILD_ECHO), 0);
	pa = xvif_iso_vif_pid(a.vif);
	for (i = 0; i < sizeof(nss) / sizeof(nss[0]); i++)
		assert_true(same_ns(pa, me, nss[i]));
	assert_true(roundtrip(&a, 16));
	side_stop(&a);
	xvif_iso_set_namespaces(true);
	no_children_left();
}

/* What the worker's design rests on, with a real TAP: an fd opened in one
 * network namespace keeps reading and writing that namespace's interface
 * from a process that moved to a fresh one. */
static void tap_fd_across_netns(void **state)
{
	struct ifreq ifr;
	struct sockaddr_ll sll;
	uint8_t f[64], in[128];
	int tfd, ps, ctl, sv[2], st;
	pid_t pid;
	ssize_t n;
	char c;

	(void)state;
	if (!need_root("tap_fd_across_netns"))
		skip();
	tfd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (tfd < 0) {
		print_message("SKIP tap_fd_across_netns no /dev/net/tun: %s\n", strerror(errno));
		skip();
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "xvisotest%d", (int)(getpid() % 10000));
	assert_int_equal(ioctl(tfd, TUNSETIFF, &ifr), 0);
	ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(ctl >= 0);
	assert_int_equal(ioctl(ctl, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	assert_int_equal(ioctl(ctl, SIOCSIFFLAGS, &ifr), 0);
	assert_int_equal(ioctl(ctl, SIOCGIFINDEX, &ifr), 0);
	ps = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(0x88b5)); /* local experimental ethertype */
	assert_true(ps >= 0);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(0x88b5);
	sll.sll_ifindex = ifr.ifr_ifindex;
	assert_int_equal(bind(ps, (struct sockaddr *)&sll, sizeof(sll)), 0);
	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);                          /* to: broadcast */
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6); /* from: a local address */
	f[12] = 0x88;
	f[13] = 0xb5;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	if (pid == 0) {
		/* The worker's move, then both directions on the TAP fd. */
		if (unshare(CLONE_NEWNET) < 0)
			_exit(2);
		f[14] = 'w';
		if (write(tfd, f, sizeof(f)) != (ssize_t)sizeof(f))
			_exit(3);
		if (write(sv[1], "x", 1) != 1 || read(sv[1], &c, 1) != 1)
			_exit(4);
		do
			n = read(tfd, in, sizeof(in));
		while (n > 0 && !(in[12] == 0x88 && in[13] == 0xb5));
		_exit(n == (ssize_t)sizeof(f) && in[14] == 'd' ? 0 : 5);
	}
	assert_true(pid > 0);
	assert_int_equal(read(sv[0], &c, 1), 1);
	/* The child's frame came out of the interface in our namespace. */
	do
		n = recv(ps, in, sizeof(in), 0);
	while (n > 0 && in[14] != 'w');
	assert_int_equal(n, (ssize_t)sizeof(f));
	/* And one sent into the interface reaches the child. */
	f[14] = 'd';
	assert_int_equal(sendto(ps, f, sizeof(f), 0, (struct sockaddr *)&sll, sizeof(sll)), (ssize_t)sizeof(f));
	assert_int_equal(write(sv[0], "x", 1), 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	close(sv[0]);
	close(sv[1]);
	close(ps);
	close(ctl);
	close(tfd); /* not persistent: the interface goes with it */
}

/* ---- the memory bound ---- */

static bool need_limit(const char *name)
{
	if (!need_root(name))
		return false;
	if (xvif_iso_data_limit(1) == 0) {
		print_message("SKIP %s sanitizer build: no memory bound (the shadow memory counts against it)\n", name);
		return false;
	}
	return true;
}

static void worker_memory_peak_fits(void **state)
{
	struct side a;
	struct virtio_net_hdr vh;
	long long data, peak = 0;
	unsigned int i, k, sent;
	uint64_t limit = xvif_iso_data_limit(1);

	(void)state;
	if (!need_limit("worker_memory_peak_fits"))
		skip();
	assert_int_equal(side_start(&a, "xvifM", CHILD_ECHO), 0);
	/* Bursts: as many frames as the TAP takes (every size up to 1514),
	 * so RX queues them while the guest's buffers last; then drain the
	 * echoes (a frame RX dropped for want of buffers does not come back:
	 * the drain ends after 2 s of silence). */
	for (k = 0; k < 8; k++) {
		for (i = 0, sent = 0; i < 2000; i++) {
			uint32_t len = 60 + (i * 977u) % 1455u; /* the echoing guest sends one slot a frame */

			ff_frame(frame, len, 4, XVIF_IPPROTO_UDP, i);
			frame[60] = 0; /* not one of the echoing guest's commands */
			if (ff_tap_write(a.ff, 0, NULL, frame, len) < 0)
				break;
			sent++;
		}
		data = proc_field(xvif_iso_vif_pid(a.vif), "VmData");
		if (data > peak)
			peak = data;
		while (sent && poll(&(struct pollfd){ .fd = a.ff->q[0].sock[1], .events = POLLIN }, 1, 2000) == 1) {
			ff_tap_read(a.ff, 0, &vh, got, sizeof(got));
			sent--;
			if (!(sent % 64)) {
				data = proc_field(xvif_iso_vif_pid(a.vif), "VmData");
				if (data > peak)
					peak = data;
			}
		}
	}
	assert_false(xvif_iso_vif_broken(a.vif));
	assert_true(roundtrip(&a, 17));
	print_message("worker VmData peak %lld KiB, bound %llu KiB (1 queue)\n", peak, (unsigned long long)(limit >> 10));
	/* Well inside: at most half the bound. */
	assert_true(peak > 0 && (uint64_t)peak * 1024 * 2 <= limit);
	side_stop(&a);

	/* The most queues a vif may have: every queue's thread (and stack)
	 * starts within the bound, and queue 0 still echoes. */
	setenv("XVIF_TEST_NQ", "16", 1);
	assert_int_equal(XVIF_MAX_QUEUES, 16);
	assert_int_equal(side_start(&a, "xvifQ", CHILD_ECHO), 0);
	unsetenv("XVIF_TEST_NQ");
	assert_int_equal(xvif_iso_vif_num_queues(a.vif), 16);
	assert_true(roundtrip(&a, 21));
	data = proc_field(xvif_iso_vif_pid(a.vif), "VmData");
	assert_int_equal(proc_field(xvif_iso_vif_pid(a.vif), "Threads"), 16 + 2); /* queues, main, the fake guest */
	print_message("worker VmData %lld KiB, bound %llu KiB (16 queues)\n", data,
		      (unsigned long long)(xvif_iso_data_limit(16) >> 10));
	assert_true(data > 0 && (uint64_t)data * 1024 * 2 <= xvif_iso_data_limit(16));
	side_stop(&a);
	no_children_left();
}

static void worker_memory_bound_closes_only_its_vif(void **state)
{
	struct side a, b;
	struct xvif_iso_stats s0, s1;
	uint64_t limit = xvif_iso_data_limit(1);

	(void)state;
	if (!need_limit("worker_memory_bound_closes_only_its_vif"))
		skip();
	xvif_iso_stats(&s0);
	assert_int_equal(side_start(&a, "xvifA", CHILD_ECHO), 0);
	assert_int_equal(side_start(&b, "xvifB", CHILD_ECHO), 0);
	assert_true(roundtrip(&a, 18));
	ff_frame(frame, 200, 4, XVIF_IPPROTO_UDP, 19);
	frame[60] = MAGIC_HOG;
	assert_int_equal(ff_tap_write(a.ff, 0, NULL, frame, 200), 0);
	assert_true(wait_broken(&a.rec));
	if (!strstr(a.rec.why, "memory bound"))
		fail_msg("why: %s", a.rec.why);
	print_message("%s (bound %llu KiB)\n", a.rec.why, (unsigned long long)(limit >> 10));
	assert_true(xvif_iso_vif_broken(a.vif));
	assert_true(roundtrip(&b, 20));
	assert_false(xvif_iso_vif_broken(b.vif));
	side_stop(&a);
	side_stop(&b);
	xvif_iso_stats(&s1);
	assert_int_equal(s1.mem_bound - s0.mem_bound, 1);
	assert_int_equal(s1.died - s0.died, 0);
	no_children_left();
}

/* The page reader alone, on pages no worker should write. */
static void page_read_checks(void **state)
{
	static struct xvif_iso_page p;
	struct xvif_dp_queue_status st;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(xvif_iso_page_read(&p, 1, 0, &st), -EIO); /* no magic */
	p.magic = XVIF_ISO_MAGIC;
	assert_int_equal(xvif_iso_page_read(&p, 1, 1, &st), -EINVAL);
	assert_int_equal(xvif_iso_page_read(&p, 99, 40, &st), -EINVAL);
	memset(p.q, 0xa5, sizeof(p.q));
	memcpy(p.q[0].why, "bad\n\x1b[31mred", 13);
	assert_int_equal(xvif_iso_page_read(&p, 1, 0, &st), 0);
	assert_true(st.broken);
	assert_int_equal(strncmp(st.broken_why, "bad??[31mred", 12), 0);
	assert_true(strlen(st.broken_why) < sizeof(st.broken_why));
	assert_int_equal(st.tx_ring_free, 256);
	assert_int_equal(st.local_port_rx, 0);
	p.q[0].broken = 0;
	p.q[0].tx_ring_free = 17;
	p.q[0].port_tx = 42;
	assert_int_equal(xvif_iso_page_read(&p, 1, 0, &st), 0);
	assert_false(st.broken);
	assert_int_equal(st.tx_ring_free, 17);
	assert_int_equal(st.local_port_tx, 42);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seccomp_kills_forbidden),
		cmocka_unit_test(seccomp_allows_engine),
		cmocka_unit_test(seccomp_allows_heap_shrink),
		cmocka_unit_test(drop_leaves_no_way_back),
		cmocka_unit_test(page_read_checks),
		cmocka_unit_test(worker_crash_closes_only_its_vif),
		cmocka_unit_test(guest_breaking_its_ring_is_reported),
		cmocka_unit_test(hostile_worker_report),
		cmocka_unit_test(hostile_worker_page),
		cmocka_unit_test(hostile_worker_start_answer),
		cmocka_unit_test(async_starts_in_parallel),
		cmocka_unit_test(async_stop_while_starting),
		cmocka_unit_test(daemon_death_kills_workers),
		cmocka_unit_test(worker_uids_distinct),
		cmocka_unit_test(worker_uid_range_use),
		cmocka_unit_test(uid_range_checks),
		cmocka_unit_test(worker_namespaces),
		cmocka_unit_test(tap_fd_across_netns),
		cmocka_unit_test(worker_memory_peak_fits),
		cmocka_unit_test(worker_memory_bound_closes_only_its_vif),
	};

	/* The daemon side starts workers as the daemon does: fork + exec of
	 * /proc/self/exe --vif-worker NAME, here this test binary. */
	if (argc > 1 && strcmp(argv[1], "--vif-worker") == 0) {
		const char *k = getenv("XVIF_TEST_CHILD");

		ff_watchdog = false; /* alarm() is not in the workers' allow-list */
		child_kind = k ? (enum child_kind)atoi(k) : CHILD_ECHO;
		spawn_child(XVIF_ISO_FD);
	}
	signal(SIGPIPE, SIG_IGN);
	ff_watchdog = false;
	xvif_iso_set_mode(XVIF_ISO_PROCESS);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
