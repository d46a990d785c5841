// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's side of per-vif isolation (iso.h): spawning a vif's worker
 * process, talking to it, reading its status page, and closing only that
 * vif when it dies or misbehaves.
 *
 * Every vif in process mode has a proxy with a monitor thread. Starting a
 * vif only spawns the worker and sends its config; the monitor first waits
 * (bounded) for the worker's STARTED or FAILED and tells the control loop
 * through the start_done callback, so the loop never waits for a worker and
 * many workers start at once. Then it
 * sleeps in poll() on the command socket (the worker's BROKEN reports), a
 * pidfd (the worker's death) and an eventfd (stop). It never frees or reaps
 * anything: it records why the worker is gone and calls the vif's on_broken,
 * as the engine's own threads do in mode none; the control plane then stops
 * the vif, and stop reaps. Nothing here waits on a worker without a bound.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iso.h"
#include "iso_msg.h"
#include "log.h"
#include "sandbox.h"

extern char **environ;

#define ISO_PROXY_MAGIC 0x70726f78u
/* Bounds on every wait for a worker (the start's, iso.h's
 * XVIF_ISO_START_TIMEOUT_MS, covers map + bind + sandbox, slow under TCG). */
#define ISO_STOP_WAIT_MS 1000      /* a clean exit after STOP, then SIGKILL */
#define ISO_KILL_WAIT_MS 5000      /* SIGKILL to exit */
/* What the page may say, at most: one-page rings have 256 slots; event
 * channel ports are below 2^17 (FIFO ABI). */
#define ISO_RING_SLOTS_MAX 256u
#define ISO_PORT_MAX (1u << 17)
/* The memory bound: how often the monitor looks at a worker's VmData, and
 * how close to its RLIMIT_DATA counts as "at the bound" (malloc's heap
 * grows by 128 KiB steps; a 64 KiB packet buffer is the largest regular
 * request). */
#define ISO_MEM_CHECK_MS 1000
#define ISO_MEM_MARGIN (1024u * 1024u)
/* RLIMIT_DATA of a worker: a base for the main thread, its heap and the
 * libraries, plus per queue the thread's stack (RLIMIT_STACK's default, 8
 * MiB, counts: it is private writable memory) and its buffers. The normal
 * peak is measured in test_iso (worker_memory_peak_fits). */
#define ISO_DATA_BASE (48ull << 20)
#define ISO_DATA_PER_QUEUE (24ull << 20)

#if defined(__SANITIZE_ADDRESS__)
#define ISO_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ISO_SANITIZED 1
#endif
#endif

static enum xvif_iso_mode mode = XVIF_ISO_NONE;
static struct xvif_iso_stats stats; /* atomic fields */
static struct xvif_ratelimit death_rl = XVIF_RATELIMIT_INIT;
static pthread_mutex_t death_rl_lock = PTHREAD_MUTEX_INITIALIZER;
static bool use_namespaces = true;
static unsigned int start_timeout_ms = XVIF_ISO_START_TIMEOUT_MS;

/* Worker uids: bit i of uid_used is base + i, held by a worker of ours
 * from its allocation until it was reaped. */
static pthread_mutex_t uid_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t uid_base = XVIF_ISO_UID_BASE_DEFAULT, uid_count = XVIF_ISO_UID_COUNT_DEFAULT, uid_next;
static uint8_t uid_used[XVIF_ISO_UID_COUNT_MAX / 8];
static struct xvif_ratelimit uid_rl = XVIF_RATELIMIT_INIT;

/* A proxy's start: the monitor thread moves it from PENDING once. */
enum { ISO_START_PENDING, ISO_START_OK, ISO_START_FAILED };

struct iso_proxy {
	uint32_t magic;
	char name[24];
	unsigned int nq;
	xvif_dp_broken_fn on_broken;
	void *on_broken_arg;
	xvif_iso_start_done_fn start_done;
	void *start_done_arg;
	int start_state;    /* atomic: ISO_START_*, set by the monitor after start_rc/start_err */
	int start_rc;
	char start_err[192];
	unsigned int start_timeout_ms;
	struct timespec t0; /* when the start began */
	pid_t pid;
	uid_t uid;
	bool uid_held;      /* uid is ours in uid_used until the worker is reaped */
	uint64_t data_limit;
	int pidfd, sock, stop_efd;
	const struct xvif_iso_page *page;
	size_t page_len;
	pthread_t mon;
	bool mon_started;
	bool stopping;      /* atomic: stop has begun, a death is expected */
	int dead;           /* atomic, set after dead_why is written */
	char dead_why[96];
	uint32_t reported;  /* monitor only: queues whose BROKEN was passed on */
	struct xvif_ratelimit rl; /* monitor only */
};

void xvif_iso_set_mode(enum xvif_iso_mode m)
{
	mode = m;
}

enum xvif_iso_mode xvif_iso_get_mode(void)
{
	return mode;
}

int xvif_iso_mode_parse(const char *s, enum xvif_iso_mode *m)
{
	if (strcmp(s, "none") == 0)
		*m = XVIF_ISO_NONE;
	else if (strcmp(s, "process") == 0)
		*m = XVIF_ISO_PROCESS;
	else
		return -1;
	return 0;
}

const char *xvif_iso_mode_name(enum xvif_iso_mode m)
{
	return m == XVIF_ISO_PROCESS ? "process" : "none";
}

void xvif_iso_stats(struct xvif_iso_stats *out)
{
	out->spawned = __atomic_load_n(&stats.spawned, __ATOMIC_RELAXED);
	out->died = __atomic_load_n(&stats.died, __ATOMIC_RELAXED);
	out->bad_reports = __atomic_load_n(&stats.bad_reports, __ATOMIC_RELAXED);
	out->killed = __atomic_load_n(&stats.killed, __ATOMIC_RELAXED);
	out->mem_bound = __atomic_load_n(&stats.mem_bound, __ATOMIC_RELAXED);
}

void xvif_iso_test_set_start_timeout_ms(unsigned int ms)
{
	start_timeout_ms = ms ? ms : XVIF_ISO_START_TIMEOUT_MS;
}

void xvif_iso_set_namespaces(bool on)
{
	use_namespaces = on;
}

uint64_t xvif_iso_data_limit(unsigned int nq)
{
#ifdef ISO_SANITIZED
	(void)nq;
	return 0;
#else
	return ISO_DATA_BASE + ISO_DATA_PER_QUEUE * nq;
#endif
}

/* ---- worker uids ---- */

int xvif_iso_set_uid_range(uint32_t base, uint32_t count, char *err, size_t errlen)
{
	uint64_t last = (uint64_t)base + count - 1;

	if (count < 1 || count > XVIF_ISO_UID_COUNT_MAX) {
		snprintf(err, errlen, "--worker-uid-count %u: give 1..%u (one uid per connected vif)", count,
			 XVIF_ISO_UID_COUNT_MAX);
		return -1;
	}
	/* 0 is root; 65534 is nobody, 65535 and 2^32-1 are (uid_t)-1 for
	 * 16- and 32-bit callers: none of them is a worker's. */
	if (base == 0 || last >= 0xffffffffull || (base <= 65535u && last >= 65534u)) {
		snprintf(err, errlen,
			 "--worker-uid-base %u with --worker-uid-count %u: the range %u..%llu includes %s; "
			 "choose a range of otherwise unused ids, e.g. the default %u..%u",
			 base, count, base, (unsigned long long)last,
			 base == 0 ? "0 (root)" : last >= 0xffffffffull ? "4294967295 ((uid_t)-1)" : "65534/65535 (nobody, (uint16_t)-1)",
			 XVIF_ISO_UID_BASE_DEFAULT, XVIF_ISO_UID_BASE_DEFAULT + XVIF_ISO_UID_COUNT_DEFAULT - 1);
		return -1;
	}
	pthread_mutex_lock(&uid_lock);
	uid_base = base;
	uid_count = count;
	uid_next = 0;
	memset(uid_used, 0, sizeof(uid_used));
	pthread_mutex_unlock(&uid_lock);
	return 0;
}

static bool in_range(uint64_t id, uint32_t base, uint32_t count)
{
	return id >= base && id < (uint64_t)base + count;
}

static int range_error(uint32_t base, uint32_t count, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "the worker uid range %u..%llu (--worker-uid-base %u, --worker-uid-count %u) overlaps %s: each "
		 "vif's worker must have ids no one else uses. Choose a free range with --worker-uid-base (and "
		 "--worker-uid-count), e.g. after the highest id in use",
		 base, (unsigned long long)base + count - 1, base, count, what);
	return -1;
}

/* "name:start:count" lines of /etc/subuid or /etc/subgid. */
static int check_sub_file(const char *path, uint32_t base, uint32_t count, char *err, size_t errlen)
{
	char line[512], what[600];
	FILE *f = fopen(path, "re");
	int rc = 0;

	if (!f)
		return 0; /* none: nothing delegated */
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2, *end;
		unsigned long long start, n;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c1 = '\0';
		start = strtoull(c1 + 1, &end, 10);
		if (end != c2)
			continue;
		n = strtoull(c2 + 1, &end, 10);
		if (n == 0 || start >= (uint64_t)base + count || start + n <= base)
			continue;
		snprintf(what, sizeof(what), "%s's subordinate ids %llu..%llu in %s", line, start, start + n - 1, path);
		rc = range_error(base, count, what, err, errlen);
	}
	fclose(f);
	return rc;
}

int xvif_iso_uid_range_check(uint32_t base, uint32_t count, const char *etc, char *err, size_t errlen)
{
	char path[4096], what[300];
	struct passwd *pw;
	struct group *gr;
	FILE *f = NULL;
	int rc = 0;

	if (etc) {
		snprintf(path, sizeof(path), "%s/passwd", etc);
		f = fopen(path, "re");
	} else {
		setpwent();
	}
	while ((pw = etc ? (f ? fgetpwent(f) : NULL) : getpwent())) {
		if (in_range(pw->pw_uid, base, count)) {
			snprintf(what, sizeof(what), "user %.64s (uid %u)", pw->pw_name, (unsigned int)pw->pw_uid);
			rc = range_error(base, count, what, err, errlen);
			break;
		}
	}
	if (etc) {
		if (f)
			fclose(f);
		f = NULL;
	} else {
		endpwent();
	}
	if (rc)
		return rc;
	if (etc) {
		snprintf(path, sizeof(path), "%s/group", etc);
		f = fopen(path, "re");
	} else {
		setgrent();
	}
	while ((gr = etc ? (f ? fgetgrent(f) : NULL) : getgrent())) {
		if (in_range(gr->gr_gid, base, count)) {
			snprintf(what, sizeof(what), "group %.64s (gid %u)", gr->gr_name, (unsigned int)gr->gr_gid);
			rc = range_error(base, count, what, err, errlen);
			break;
		}
	}
	if (etc) {
		if (f)
			fclose(f);
	} else {
		endgrent();
	}
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/subuid", etc ? etc : "/etc");
	if (check_sub_file(path, base, count, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/subgid", etc ? etc : "/etc");
	return check_sub_file(path, base, count, err, errlen);
}

/* Mark in @busy (one bit per uid of the range) every uid in the range that
 * a process holds as a real, effective, saved or filesystem uid or gid. */
static void scan_proc_ids(uint8_t *busy, uint32_t base, uint32_t count)
{
	DIR *dir = opendir("/proc");
	struct dirent *e;
	char path[64], buf[1024];

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		unsigned long long id[4];
		char *l, *end;
		int fd, i, k;
		ssize_t n;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/status", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (k = 0; k < 2; k++) {
			l = strstr(buf, k == 0 ? "\nUid:" : "\nGid:");
			if (!l)
				continue;
			l += 5;
			for (i = 0; i < 4; i++) {
				id[i] = strtoull(l, &end, 10);
				if (end == l)
					break;
				l = end;
				if (in_range(id[i], base, count))
					busy[(id[i] - base) / 8] |= (uint8_t)(1u << ((id[i] - base) % 8));
			}
		}
	}
	closedir(dir);
}

/* A free uid for a new worker: 0, or -1 with what to do in @err. Round
 * robin from after the last one, so a uid just released waits longest. */
static int uid_alloc(uid_t *out, char *err, size_t errlen)
{
	static uint8_t busy[XVIF_ISO_UID_COUNT_MAX / 8];
	uint32_t i, idx, foreign = 0;

	pthread_mutex_lock(&uid_lock);
	memset(busy, 0, sizeof(busy));
	scan_proc_ids(busy, uid_base, uid_count);
	for (i = 0; i < uid_count; i++) {
		idx = (uid_next + i) % uid_count;
		if (uid_used[idx / 8] & (1u << (idx % 8)))
			continue;
		if (busy[idx / 8] & (1u << (idx % 8))) {
			/* Not ours (or a worker of an earlier daemon, still dying). */
			foreign++;
			continue;
		}
		uid_used[idx / 8] |= (uint8_t)(1u << (idx % 8));
		uid_next = (idx + 1) % uid_count;
		*out = (uid_t)(uid_base + idx);
		if (foreign)
			xvif_log_ratelimited(&uid_rl, XVIF_LOG_WARN,
					     "%u uid(s) of the worker range %u..%u are held by processes that are not this "
					     "daemon's workers: skipped. If they are not an earlier daemon's dying workers, "
					     "move the range (--worker-uid-base)",
					     foreign, uid_base, uid_base + uid_count - 1);
		pthread_mutex_unlock(&uid_lock);
		return 0;
	}
	pthread_mutex_unlock(&uid_lock);
	snprintf(err, errlen,
		 "no free worker uid in %u..%u (%u held by other processes, the rest by running workers): "
		 "raise --worker-uid-count (one uid per connected vif) or move the range with --worker-uid-base",
		 uid_base, uid_base + uid_count - 1, foreign);
	return -1;
}

static void uid_release(uid_t uid)
{
	uint32_t idx;

	pthread_mutex_lock(&uid_lock);
	if (in_range(uid, uid_base, uid_count)) {
		idx = (uint32_t)uid - uid_base;
		uid_used[idx / 8] &= (uint8_t)~(1u << (idx % 8));
	}
	pthread_mutex_unlock(&uid_lock);
}

static struct iso_proxy *proxy(const struct xvif_dp_vif *vif)
{
	struct iso_proxy *p = (struct iso_proxy *)(uintptr_t)vif;

	if (p->magic != ISO_PROXY_MAGIC)
		abort(); /* a handle that is not ours: a bug in the daemon, not the guest */
	return p;
}

/* ---- the status page: copy, then check ---- */

/* Printable ASCII only, always terminated. */
static void copy_text(char *dst, size_t dlen, const char *src, size_t slen)
{
	size_t i;

	for (i = 0; i + 1 < dlen && i < slen && src[i]; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

int xvif_iso_page_read(const void *page, unsigned int nq, unsigned int queue, struct xvif_dp_queue_status *st)
{
	const struct xvif_iso_page *p = page;
	struct xvif_iso_qpage q;
	uint32_t s1, s2;
	unsigned int tries;

	memset(st, 0, sizeof(*st));
	if (queue >= nq || queue >= XVIF_MAX_QUEUES)
		return -EINVAL;
	if (__atomic_load_n(&p->magic, __ATOMIC_RELAXED) != XVIF_ISO_MAGIC)
		return -EIO;
	/* A torn read is retried a few times; after that the copy is used
	 * anyway: it is checked below like any other. */
	for (tries = 0; tries < 4; tries++) {
		s1 = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);
		memcpy(&q, (const void *)&p->q[queue], sizeof(q));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&p->seq, __ATOMIC_RELAXED);
		if (s1 == s2 && !(s1 & 1))
			break;
	}
	st->broken = q.broken != 0;
	copy_text(st->broken_why, sizeof(st->broken_why), q.why, sizeof(q.why));
	st->local_port_tx = q.port_tx < ISO_PORT_MAX ? q.port_tx : 0;
	st->local_port_rx = q.port_rx < ISO_PORT_MAX ? q.port_rx : 0;
	st->tx_ring_free = q.tx_ring_free <= ISO_RING_SLOTS_MAX ? q.tx_ring_free : ISO_RING_SLOTS_MAX;
	st->rx_ring_free = q.rx_ring_free <= ISO_RING_SLOTS_MAX ? q.rx_ring_free : ISO_RING_SLOTS_MAX;
	/* Counters are numbers: a lying worker can only show wrong figures. */
	st->rx_queued_bytes = q.rx_queued_bytes;
	memcpy(&st->counters, &q.counters, sizeof(st->counters));
	return 0;
}

/* ---- messages ---- */

static int send_msg(int sock, const struct xvif_iso_msg *m)
{
	return send(sock, m, sizeof(*m), MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(*m) ? 0 : -1;
}

static void msg_init(struct xvif_iso_msg *m, uint32_t type)
{
	memset(m, 0, sizeof(*m));
	m->magic = XVIF_ISO_MAGIC;
	m->type = type;
}

/* ---- process handling ---- */

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static void kill_worker(struct iso_proxy *p)
{
	if (syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0) < 0 && errno != ESRCH)
		kill(p->pid, SIGKILL); /* the pidfd names our unreaped child: pid reuse is impossible */
}

static bool wait_exit(struct iso_proxy *p, int ms)
{
	struct pollfd pf = { .fd = p->pidfd, .events = POLLIN };
	int n;

	do
		n = poll(&pf, 1, ms);
	while (n < 0 && errno == EINTR);
	return n > 0;
}

/* "worker died: signal 9 (Killed)" or "worker exited with status 1". */
static void describe_exit(const siginfo_t *si, char *buf, size_t len)
{
	if (si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED)
		snprintf(buf, len, "worker died: signal %d (%s)%s", si->si_status, strsignal(si->si_status),
			 si->si_status == SIGSYS ? ": a syscall outside its seccomp allow-list (the kernel log names it)"
						 : "");
	else
		snprintf(buf, len, "worker exited with status %d", si->si_status);
}

static void mark_dead(struct iso_proxy *p, const char *why)
{
	if (__atomic_load_n(&p->dead, __ATOMIC_ACQUIRE))
		return;
	snprintf(p->dead_why, sizeof(p->dead_why), "%s", why);
	__atomic_store_n(&p->dead, 1, __ATOMIC_RELEASE);
}

/* The monitor saw the worker go: peek at how (not reaping: stop does). */
static void worker_gone(struct iso_proxy *p)
{
	siginfo_t si;
	char why[96];

	memset(&si, 0, sizeof(si));
	if (waitid(P_PIDFD, (id_t)p->pidfd, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0) {
		/* The socket closed first: the exit status follows in a moment. */
		if (wait_exit(p, 1000))
			waitid(P_PIDFD, (id_t)p->pidfd, &si, WEXITED | WNOHANG | WNOWAIT);
	}
	if (si.si_pid)
		describe_exit(&si, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "worker closed its command socket");
	mark_dead(p, why);
	if (__atomic_load_n(&p->stopping, __ATOMIC_ACQUIRE))
		return;
	__atomic_add_fetch(&stats.died, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&death_rl_lock);
	xvif_log_ratelimited(&death_rl, XVIF_LOG_ERR, "%s: %s (pid %d): closing this vif only", p->name, why,
			     (int)p->pid);
	pthread_mutex_unlock(&death_rl_lock);
	p->on_broken(p->on_broken_arg, 0, why);
}

static void worker_misbehaved(struct iso_proxy *p, const char *what)
{
	char why[96];

	snprintf(why, sizeof(why), "worker sent %s: killed", what);
	mark_dead(p, why);
	kill_worker(p);
	if (__atomic_load_n(&p->stopping, __ATOMIC_ACQUIRE))
		return;
	__atomic_add_fetch(&stats.bad_reports, 1, __ATOMIC_RELAXED);
	xvif_log_ratelimited(&p->rl, XVIF_LOG_ERR, "%s: %s (pid %d): closing this vif only", p->name, why, (int)p->pid);
	p->on_broken(p->on_broken_arg, 0, why);
}

/* One message from the worker. false: stop monitoring. */
static bool worker_report(struct iso_proxy *p)
{
	struct xvif_iso_msg m;
	struct xvif_dp_queue_status st;
	ssize_t n = recv(p->sock, &m, sizeof(m), MSG_DONTWAIT | MSG_TRUNC);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	if (n == 0) {
		worker_gone(p);
		return false;
	}
	if (n != (ssize_t)sizeof(m) || m.magic != XVIF_ISO_MAGIC || m.type != XVIF_ISO_BROKEN || m.queue >= p->nq) {
		worker_misbehaved(p, "a malformed report");
		return false;
	}
	if (p->reported & (1u << m.queue)) {
		/* A worker reports each queue once: a repeat is a flood. */
		worker_misbehaved(p, "a repeated report");
		return false;
	}
	p->reported |= 1u << m.queue;
	if (xvif_iso_page_read(p->page, p->nq, m.queue, &st) < 0 || !st.broken) {
		worker_misbehaved(p, "a broken report its status page does not back");
		return false;
	}
	xvif_log_ratelimited(&p->rl, XVIF_LOG_WARN, "%s: worker reports queue-%u broken: %s", p->name, m.queue,
			     st.broken_why);
	p->on_broken(p->on_broken_arg, m.queue, st.broken_why);
	return true;
}

/* The worker's VmData in bytes (what RLIMIT_DATA bounds), or 0. Its
 * /proc entry stays ours until we reap it. */
static uint64_t worker_vmdata(const struct iso_proxy *p)
{
	char path[48], buf[2048], *l;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)p->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	l = strstr(buf, "\nVmData:");
	return l ? strtoull(l + 8, NULL, 10) * 1024u : 0;
}

/* A worker at its memory bound has allocations failing: its vif is closed
 * (a leak or a compromised worker; the bound itself is the kernel's). */
static bool memory_check(struct iso_proxy *p)
{
	uint64_t data;
	char why[96];

	if (!p->data_limit)
		return true;
	data = worker_vmdata(p);
	if (data + ISO_MEM_MARGIN < p->data_limit)
		return true;
	snprintf(why, sizeof(why), "worker at its memory bound (data %llu of %llu KiB): killed",
		 (unsigned long long)(data >> 10), (unsigned long long)(p->data_limit >> 10));
	mark_dead(p, why);
	kill_worker(p);
	if (__atomic_load_n(&p->stopping, __ATOMIC_ACQUIRE))
		return false;
	__atomic_add_fetch(&stats.mem_bound, 1, __ATOMIC_RELAXED);
	xvif_log_ratelimited(&p->rl, XVIF_LOG_ERR, "%s: %s (pid %d): closing this vif only", p->name, why, (int)p->pid);
	p->on_broken(p->on_broken_arg, 0, why);
	return false;
}

/* The worker's first answer, once its socket or pidfd is readable:
 * STARTED (0), or FAILED with its reason, its death, or garbage (<0). */
static int read_start_answer(struct iso_proxy *p, char *err, size_t errlen)
{
	struct xvif_iso_msg m;
	ssize_t n;

	n = recv(p->sock, &m, sizeof(m), MSG_DONTWAIT | MSG_TRUNC);
	if (n <= 0) {
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		wait_exit(p, 1000);
		waitid(P_PIDFD, (id_t)p->pidfd, &si, WEXITED | WNOHANG | WNOWAIT);
		if (si.si_pid)
			describe_exit(&si, err, errlen);
		else
			snprintf(err, errlen, "worker closed its command socket before starting");
		return -EIO;
	}
	if (n != (ssize_t)sizeof(m) || m.magic != XVIF_ISO_MAGIC ||
	    (m.type != XVIF_ISO_STARTED && m.type != XVIF_ISO_FAILED)) {
		__atomic_add_fetch(&stats.bad_reports, 1, __ATOMIC_RELAXED);
		snprintf(err, errlen, "worker sent a malformed start answer");
		return -EIO;
	}
	if (m.type == XVIF_ISO_STARTED)
		return 0;
	copy_text(err, errlen, m.err, sizeof(m.err));
	return m.rc < 0 && m.rc > -4096 ? m.rc : -EIO;
}

static int64_t ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * The monitor's first phase: the worker's answer to its config, its death,
 * or its deadline; the loop is told through start_done either way. A
 * worker that failed or did not answer is killed here (nothing it did is
 * worth waiting for); stop reaps it. false: not started (or stopped while
 * starting), the monitor ends.
 */
static bool start_phase(struct iso_proxy *p)
{
	char err[sizeof(p->start_err)];
	int rc;

	for (;;) {
		struct pollfd pf[3] = {
			{ .fd = p->stop_efd, .events = POLLIN },
			{ .fd = p->sock, .events = POLLIN },
			{ .fd = p->pidfd, .events = POLLIN },
		};
		int64_t left = (int64_t)p->start_timeout_ms - ms_since(&p->t0);
		int n;

		if (left <= 0) {
			snprintf(err, sizeof(err), "worker did not answer within %u ms: killed", p->start_timeout_ms);
			rc = -ETIMEDOUT;
			break;
		}
		n = poll(pf, 3, (int)left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, sizeof(err), "waiting for the worker: poll: %s", strerror(errno));
			rc = -EIO;
			break;
		}
		if (n == 0)
			continue;
		if (pf[0].revents)
			return false; /* stopped while starting: the stopper kills and reaps */
		rc = read_start_answer(p, err, sizeof(err));
		break;
	}
	if (rc < 0) {
		kill_worker(p);
		snprintf(p->start_err, sizeof(p->start_err), "%s", err);
		p->start_rc = rc;
		__atomic_store_n(&p->start_state, ISO_START_FAILED, __ATOMIC_RELEASE);
	} else {
		xvif_log(XVIF_LOG_INFO,
			 "%s: data path in worker process %d (uid %u, %s, data bound %llu MiB, seccomp), started in %lld ms",
			 p->name, (int)p->pid, (unsigned int)p->uid,
			 use_namespaces ? "own namespaces" : "daemon's namespaces",
			 (unsigned long long)(p->data_limit >> 20), (long long)ms_since(&p->t0));
		__atomic_store_n(&p->start_state, ISO_START_OK, __ATOMIC_RELEASE);
	}
	if (p->start_done)
		p->start_done(p->start_done_arg);
	return rc == 0;
}

static void *monitor(void *arg)
{
	struct iso_proxy *p = arg;

	if (!start_phase(p))
		return NULL;
	for (;;) {
		struct pollfd pf[3] = {
			{ .fd = p->stop_efd, .events = POLLIN },
			{ .fd = p->sock, .events = POLLIN },
			{ .fd = p->pidfd, .events = POLLIN },
		};
		int n = poll(pf, 3, p->data_limit ? ISO_MEM_CHECK_MS : -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			xvif_log(XVIF_LOG_ERR, "%s: worker monitor: poll: %m", p->name);
			return NULL;
		}
		if (n == 0) {
			if (!memory_check(p))
				return NULL;
			continue;
		}
		if (pf[0].revents)
			return NULL;
		if (pf[1].revents & POLLIN) {
			if (!worker_report(p))
				return NULL;
			continue;
		}
		if (pf[1].revents || pf[2].revents) {
			worker_gone(p);
			return NULL;
		}
	}
}

/* fork + exec /proc/self/exe --vif-worker NAME, the command socket on fd 3
 * and nothing else open beyond stdio. Only async-signal-safe calls in the
 * child: the daemon has other threads (monitors). */
static pid_t spawn(int child_sock, const char *name, pid_t parent)
{
	char *argv[] = { (char *)"xvif-netback", (char *)"--vif-worker", (char *)name, NULL };
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	/* The worker dies with the daemon: a restarted daemon re-adopts the
	 * vifs, a leftover worker must not hold their rings. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(127);
	if (child_sock == XVIF_ISO_FD) {
		if (fcntl(XVIF_ISO_FD, F_SETFD, 0) < 0)
			_exit(127);
	} else if (dup2(child_sock, XVIF_ISO_FD) < 0) {
		_exit(127);
	}
	/* Other vifs' TAP fds, xenstore, the status socket: none of the
	 * worker's business, CLOEXEC or not. */
	syscall(SYS_close_range, XVIF_ISO_FD + 1, ~0u, 0);
	execve("/proc/self/exe", argv, environ);
	_exit(127);
}

static void proxy_free(struct iso_proxy *p)
{
	__atomic_store_n(&p->stopping, true, __ATOMIC_RELEASE);
	if (p->mon_started) {
		uint64_t one = 1;

		if (write(p->stop_efd, &one, sizeof(one)) < 0) {
			/* cannot fail on a fresh eventfd; the join below would then hang */
			abort();
		}
		pthread_join(p->mon, NULL);
	}
	if (p->pid > 0) {
		siginfo_t si;

		if (__atomic_load_n(&p->start_state, __ATOMIC_ACQUIRE) != ISO_START_OK) {
			/* Never started (failed, timed out, or stopped while
			 * starting): serves nothing, killed at once. */
			kill_worker(p);
			wait_exit(p, ISO_KILL_WAIT_MS);
		} else if (!wait_exit(p, ISO_STOP_WAIT_MS)) {
			kill_worker(p);
			__atomic_add_fetch(&stats.killed, 1, __ATOMIC_RELAXED);
			xvif_log(XVIF_LOG_WARN, "%s: worker %d did not exit within %d ms: killed", p->name, (int)p->pid,
				 ISO_STOP_WAIT_MS);
			wait_exit(p, ISO_KILL_WAIT_MS);
		}
		memset(&si, 0, sizeof(si));
		if (waitid(P_PIDFD, (id_t)p->pidfd, &si, WEXITED | WNOHANG) < 0 || si.si_pid == 0)
			xvif_log(XVIF_LOG_ERR, "%s: worker %d still not gone after SIGKILL; left as a zombie (its uid %u is "
				 "not reused)", p->name, (int)p->pid, (unsigned int)p->uid);
		else if (p->uid_held)
			uid_release(p->uid); /* reaped: nothing runs as this uid any more */
	} else if (p->uid_held) {
		uid_release(p->uid); /* never spawned */
	}
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->sock >= 0)
		close(p->sock);
	if (p->stop_efd >= 0)
		close(p->stop_efd);
	if (p->page)
		munmap((void *)(uintptr_t)p->page, p->page_len);
	p->magic = 0;
	free(p);
}

/* Send the config and the fds: the page memfd, then one TAP fd per queue. */
static int send_cfg(struct iso_proxy *p, const struct xvif_dp_vif_cfg *cfg, int memfd)
{
	struct xvif_iso_cfg_msg *m = calloc(1, sizeof(*m));
	union {
		char buf[CMSG_SPACE(sizeof(int) * (1 + XVIF_MAX_QUEUES))];
		struct cmsghdr align;
	} u;
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *c;
	int fds[1 + XVIF_MAX_QUEUES];
	unsigned int i;
	ssize_t n;

	if (!m)
		return -1;
	msg_init(&m->h, XVIF_ISO_CFG);
	m->cfg_size = sizeof(m->cfg);
	m->ntap = p->nq;
	m->uid = (uint32_t)p->uid;
	m->gid = (uint32_t)p->uid;
	m->flags = use_namespaces ? XVIF_ISO_F_NAMESPACES : 0;
	m->data_limit = p->data_limit;
	m->parent_pid = getpid();
	m->log_level = xvif_log_get_level();
	snprintf(m->name, sizeof(m->name), "%s", p->name);
	m->cfg = *cfg; /* every field, including ones added after this was written */
	m->cfg.name = NULL;
	m->cfg.on_broken = NULL;
	m->cfg.on_broken_arg = NULL;
	fds[0] = memfd;
	for (i = 0; i < p->nq; i++)
		fds[1 + i] = cfg->tap_fd[i];
	memset(&u, 0, sizeof(u));
	iov = (struct iovec){ .iov_base = m, .iov_len = sizeof(*m) };
	mh = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = CMSG_SPACE(sizeof(int) * (1 + p->nq)) };
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (1 + p->nq));
	memcpy(CMSG_DATA(c), fds, sizeof(int) * (1 + p->nq));
	n = sendmsg(p->sock, &mh, MSG_NOSIGNAL);
	free(m);
	return n == (ssize_t)sizeof(*m) ? 0 : -1;
}

/* Spawn the worker, send its config, start its monitor (which takes the
 * answer): never waits for the worker. */
static int proc_spawn(const struct xvif_dp_vif_cfg *cfg, xvif_iso_start_done_fn done, void *done_arg,
		      struct xvif_dp_vif **out, char *err, size_t errlen)
{
	struct iso_proxy *p = calloc(1, sizeof(*p));
	int sv[2] = { -1, -1 }, memfd = -1, rc;
	void *page;

	*out = NULL;
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	p->magic = ISO_PROXY_MAGIC;
	p->start_done = done;
	p->start_done_arg = done_arg;
	p->start_timeout_ms = start_timeout_ms;
	snprintf(p->name, sizeof(p->name), "%s", cfg->name ? cfg->name : "xvif");
	p->nq = cfg->fe.num_queues;
	p->on_broken = cfg->on_broken;
	p->on_broken_arg = cfg->on_broken_arg;
	p->pidfd = p->sock = p->stop_efd = -1;
	p->rl = (struct xvif_ratelimit)XVIF_RATELIMIT_INIT;
	if (p->nq < 1 || p->nq > XVIF_MAX_QUEUES) {
		snprintf(err, errlen, "multi-queue-num-queues=%u: must be 1..%u", p->nq, XVIF_MAX_QUEUES);
		rc = -EINVAL;
		goto fail;
	}
	/* The status page: sealed at its size, so the worker cannot shrink it
	 * under our reads (SIGBUS). */
	p->page_len = (sizeof(struct xvif_iso_page) + 4095u) & ~(size_t)4095u;
	memfd = memfd_create("xvif-status", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0 || ftruncate(memfd, (off_t)p->page_len) < 0 ||
	    fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		snprintf(err, errlen, "worker status page: %s", strerror(errno));
		rc = -errno;
		goto fail;
	}
	if (uid_alloc(&p->uid, err, errlen) < 0) {
		rc = -EAGAIN;
		goto fail;
	}
	p->uid_held = true;
	p->data_limit = xvif_iso_data_limit(p->nq);
	page = mmap(NULL, p->page_len, PROT_READ, MAP_SHARED, memfd, 0);
	if (page == MAP_FAILED) {
		snprintf(err, errlen, "worker status page: mmap: %s", strerror(errno));
		rc = -errno;
		goto fail;
	}
	p->page = page;
	p->stop_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->stop_efd < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "worker channel: %s", strerror(errno));
		rc = -errno;
		goto fail;
	}
	p->sock = sv[0];
	p->pid = spawn(sv[1], p->name, getpid());
	if (p->pid < 0) {
		snprintf(err, errlen, "cannot start the worker process: %s", strerror(errno));
		p->pid = 0;
		rc = -EAGAIN;
		goto fail;
	}
	close(sv[1]);
	sv[1] = -1;
	__atomic_add_fetch(&stats.spawned, 1, __ATOMIC_RELAXED);
	p->pidfd = pidfd_open_(p->pid);
	if (p->pidfd < 0) {
		snprintf(err, errlen, "pidfd_open: %s", strerror(errno));
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0); /* just SIGKILLed: bounded in practice */
		p->pid = 0;
		rc = -EIO;
		goto fail;
	}
	if (send_cfg(p, cfg, memfd) < 0) {
		snprintf(err, errlen, "cannot send the worker its config: %s", strerror(errno));
		rc = -EIO;
		goto fail;
	}
	close(memfd);
	memfd = -1;
	rc = pthread_create(&p->mon, NULL, monitor, p);
	if (rc) {
		snprintf(err, errlen, "cannot start the worker's monitor thread: %s", strerror(rc));
		rc = -rc;
		goto fail;
	}
	p->mon_started = true;
	*out = (struct xvif_dp_vif *)(void *)p;
	return 0;
fail:
	if (memfd >= 0)
		close(memfd);
	if (sv[1] >= 0)
		close(sv[1]);
	if (p->pid > 0 && p->pidfd >= 0) {
		struct xvif_iso_msg m;

		msg_init(&m, XVIF_ISO_STOP);
		send_msg(p->sock, &m);
	}
	proxy_free(p);
	return rc;
}

/* ---- the dp.h-shaped API ---- */

int xvif_iso_vif_start_async(const struct xvif_dp_vif_cfg *cfg, xvif_iso_start_done_fn done, void *arg,
			     struct xvif_dp_vif **out, char *err, size_t errlen)
{
	if (mode == XVIF_ISO_NONE)
		return xvif_dp_vif_start(cfg, out, err, errlen);
	return proc_spawn(cfg, done, arg, out, err, errlen);
}

int xvif_iso_vif_start_result(struct xvif_dp_vif *vif, char *err, size_t errlen)
{
	struct iso_proxy *p;

	if (mode == XVIF_ISO_NONE)
		return 0;
	p = proxy(vif);
	switch (__atomic_load_n(&p->start_state, __ATOMIC_ACQUIRE)) {
	case ISO_START_OK:
		return 0;
	case ISO_START_FAILED:
		snprintf(err, errlen, "%s", p->start_err);
		return p->start_rc;
	default:
		return 1;
	}
}

bool xvif_iso_vif_starting(const struct xvif_dp_vif *vif)
{
	if (mode == XVIF_ISO_NONE || !vif)
		return false;
	return __atomic_load_n(&proxy(vif)->start_state, __ATOMIC_ACQUIRE) == ISO_START_PENDING;
}

static void sync_start_done(void *arg)
{
	uint64_t one = 1;

	if (write(*(int *)arg, &one, sizeof(one)) < 0) {
		/* a fresh eventfd: cannot fail */
	}
}

int xvif_iso_vif_start(const struct xvif_dp_vif_cfg *cfg, struct xvif_dp_vif **out, char *err, size_t errlen)
{
	struct pollfd pf;
	int efd, rc, n;

	if (mode == XVIF_ISO_NONE)
		return xvif_dp_vif_start(cfg, out, err, errlen);
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		return -errno;
	}
	rc = proc_spawn(cfg, sync_start_done, &efd, out, err, errlen);
	if (rc < 0) {
		close(efd);
		return rc;
	}
	/* The monitor answers within the start timeout; the margin only
	 * guards against a bug. */
	pf = (struct pollfd){ .fd = efd, .events = POLLIN };
	do
		n = poll(&pf, 1, (int)(proxy(*out)->start_timeout_ms + ISO_KILL_WAIT_MS));
	while (n < 0 && errno == EINTR);
	rc = xvif_iso_vif_start_result(*out, err, errlen);
	if (rc == 1) {
		snprintf(err, errlen, "worker start: no word from the monitor");
		rc = -EIO;
	}
	if (rc < 0) {
		xvif_iso_vif_stop(*out); /* joins the monitor before efd goes */
		*out = NULL;
	}
	close(efd);
	return rc;
}

void xvif_iso_vif_stop(struct xvif_dp_vif *vif)
{
	struct iso_proxy *p;
	struct xvif_iso_msg m;

	if (!vif)
		return;
	if (mode == XVIF_ISO_NONE) {
		xvif_dp_vif_stop(vif);
		return;
	}
	p = proxy(vif);
	__atomic_store_n(&p->stopping, true, __ATOMIC_RELEASE);
	msg_init(&m, XVIF_ISO_STOP);
	send_msg(p->sock, &m);
	proxy_free(p);
}

void xvif_iso_vif_set_rate(struct xvif_dp_vif *vif, bool have, uint64_t bytes, uint64_t usec)
{
	struct iso_proxy *p;
	struct xvif_iso_msg m;

	if (mode == XVIF_ISO_NONE) {
		xvif_dp_vif_set_rate(vif, have, bytes, usec);
		return;
	}
	p = proxy(vif);
	msg_init(&m, XVIF_ISO_RATE);
	m.have_rate = have;
	m.rate_bytes = bytes;
	m.rate_usec = usec;
	if (send_msg(p->sock, &m) < 0)
		xvif_log(XVIF_LOG_WARN, "%s: cannot pass the new rate to worker %d: %m", p->name, (int)p->pid);
}

void xvif_iso_vif_set_xdp_headroom(struct xvif_dp_vif *vif, uint16_t headroom)
{
	struct iso_proxy *p;
	struct xvif_iso_msg m;

	if (mode == XVIF_ISO_NONE) {
		xvif_dp_vif_set_xdp_headroom(vif, headroom);
		return;
	}
	p = proxy(vif);
	msg_init(&m, XVIF_ISO_XDP);
	m.headroom = headroom;
	if (send_msg(p->sock, &m) < 0)
		xvif_log(XVIF_LOG_WARN, "%s: cannot pass xdp-headroom to worker %d: %m", p->name, (int)p->pid);
}

unsigned int xvif_iso_vif_num_queues(const struct xvif_dp_vif *vif)
{
	if (mode == XVIF_ISO_NONE)
		return xvif_dp_vif_num_queues(vif);
	return proxy(vif)->nq;
}

int xvif_iso_vif_queue_status(const struct xvif_dp_vif *vif, unsigned int queue, struct xvif_dp_queue_status *st)
{
	struct iso_proxy *p;
	int rc;

	if (mode == XVIF_ISO_NONE)
		return xvif_dp_vif_queue_status(vif, queue, st);
	p = proxy(vif);
	rc = xvif_iso_page_read(p->page, p->nq, queue, st);
	if (rc == -EINVAL)
		return rc;
	if (__atomic_load_n(&p->dead, __ATOMIC_ACQUIRE)) {
		st->broken = true;
		snprintf(st->broken_why, sizeof(st->broken_why), "%s", p->dead_why);
		return 0;
	}
	return rc;
}

bool xvif_iso_vif_broken(const struct xvif_dp_vif *vif)
{
	struct xvif_dp_queue_status st;
	unsigned int q;
	struct iso_proxy *p;

	if (mode == XVIF_ISO_NONE)
		return xvif_dp_vif_broken(vif);
	p = proxy(vif);
	if (__atomic_load_n(&p->dead, __ATOMIC_ACQUIRE))
		return true;
	for (q = 0; q < p->nq; q++)
		if (xvif_iso_page_read(p->page, p->nq, q, &st) == 0 && st.broken)
			return true;
	return false;
}

pid_t xvif_iso_vif_pid(const struct xvif_dp_vif *vif)
{
	if (mode == XVIF_ISO_NONE || !vif)
		return 0;
	return proxy(vif)->pid;
}

uid_t xvif_iso_vif_uid(const struct xvif_dp_vif *vif)
{
	if (mode == XVIF_ISO_NONE || !vif)
		return 0;
	return proxy(vif)->uid;
}
