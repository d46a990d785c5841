// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vif's worker process (iso.h): `xvif-netback --vif-worker NAME`, exec'd
 * by the daemon with its command socket on fd 3.
 *
 *   1. receive the config, the status-page memfd and the TAP fds;
 *   2. as root: map the rings, bind the event channels (the engine's
 *      xvif_dp_vif_start_ops, without starting its threads);
 *   3. leave the daemon's mount (empty read-only root), IPC, UTS, network
 *      and cgroup namespaces; drop: this vif's own unprivileged uid, no
 *      capabilities, no_new_privs, not dumpable, rlimits (a memory bound
 *      among them); then the seccomp allow-list (sandbox.c);
 *   4. only now start the per-queue threads, the first code that reads what
 *      the guest wrote; then seal (no more clone, seccomp, prctl);
 *   5. say STARTED, then serve commands (rate, xdp-headroom, stop), publish
 *      the status page every ISO_PAGE_MS and report broken queues.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dp_int.h"
#include "iso.h"
#include "iso_msg.h"
#include "sandbox.h"

/* How often the status page is refreshed (status readers see counters at
 * most this old; a broken queue is published at once). */
#define ISO_PAGE_MS 200
/* A queue thread's stack (glibc's default under the usual 8 MiB
 * RLIMIT_STACK). */
#define ISO_THREAD_STACK (8u << 20)

struct wk {
	int sock;
	int efd;                  /* written by on_broken (a queue thread) */
	struct xvif_dp_vif *vif;
	struct xvif_iso_page *page;
	size_t page_len;
	unsigned int nq;
	uint32_t sent_broken;
};

static void wk_broken(void *arg, unsigned int queue, const char *why)
{
	struct wk *w = arg;
	uint64_t one = 1;

	(void)queue;
	(void)why;
	if (write(w->efd, &one, sizeof(one)) < 0) {
		/* the flag stays in the engine; the next page refresh shows it */
	}
}

static void send_msg(int sock, struct xvif_iso_msg *m)
{
	m->magic = XVIF_ISO_MAGIC;
	if (send(sock, m, sizeof(*m), MSG_NOSIGNAL) < 0) {
		/* the daemon is gone or not listening: it watches our pid anyway */
	}
}

static void send_failed(int sock, int rc, const char *err)
{
	struct xvif_iso_msg m;

	memset(&m, 0, sizeof(m));
	m.type = XVIF_ISO_FAILED;
	m.rc = rc;
	snprintf(m.err, sizeof(m.err), "%s", err);
	send_msg(sock, &m);
}

static void publish(struct wk *w)
{
	struct xvif_dp_queue_status st;
	uint32_t seq = w->page->seq;
	unsigned int i;

	__atomic_store_n(&w->page->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (i = 0; i < w->nq; i++) {
		struct xvif_iso_qpage *q = &w->page->q[i];

		if (xvif_dp_vif_queue_status(w->vif, i, &st) < 0)
			continue;
		q->broken = st.broken;
		memcpy(q->why, st.broken_why, sizeof(q->why));
		q->why[sizeof(q->why) - 1] = '\0';
		q->port_tx = st.local_port_tx;
		q->port_rx = st.local_port_rx;
		q->tx_ring_free = st.tx_ring_free;
		q->rx_ring_free = st.rx_ring_free;
		q->rx_queued_bytes = st.rx_queued_bytes;
		q->counters = st.counters;
	}
	__atomic_store_n(&w->page->seq, seq + 2, __ATOMIC_RELEASE);
}

static void report_broken(struct wk *w)
{
	unsigned int i;

	for (i = 0; i < w->nq; i++) {
		struct xvif_iso_msg m;

		if ((w->sent_broken & (1u << i)) || !w->page->q[i].broken)
			continue;
		w->sent_broken |= 1u << i;
		memset(&m, 0, sizeof(m));
		m.type = XVIF_ISO_BROKEN;
		m.queue = i;
		send_msg(w->sock, &m);
	}
}

/* Receive the config message and its fds. 0, or -1 with @err. */
static int recv_cfg(int sock, struct xvif_iso_cfg_msg *m, int *fds, unsigned int *nfds, char *err, size_t errlen)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * (1 + XVIF_MAX_QUEUES))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	ssize_t n;

	*nfds = 0;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && *nfds == 0) {
			*nfds = (unsigned int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			if (*nfds > 1 + XVIF_MAX_QUEUES)
				*nfds = 1 + XVIF_MAX_QUEUES;
			memcpy(fds, CMSG_DATA(c), sizeof(int) * *nfds);
		}
	}
	if (n != (ssize_t)sizeof(*m) || m->h.magic != XVIF_ISO_MAGIC || m->h.type != XVIF_ISO_CFG ||
	    m->cfg_size != sizeof(m->cfg) || m->ntap != m->cfg.fe.num_queues || m->ntap < 1 ||
	    m->ntap > XVIF_MAX_QUEUES || *nfds != 1 + m->ntap || (mh.msg_flags & MSG_CTRUNC)) {
		snprintf(err, errlen, "bad config message (%zd bytes, %u fds)", n, *nfds);
		return -1;
	}
	m->name[sizeof(m->name) - 1] = '\0';
	return 0;
}

int xvif_iso_worker_threads(struct xvif_dp_vif *vif, char *err, size_t errlen)
{
	pthread_attr_t attr;
	unsigned int i;
	int rc;

	/* A fixed stack size: glibc's default follows RLIMIT_STACK (32 MiB
	 * when unlimited), and every stack counts against the memory bound
	 * (ISO_DATA_PER_QUEUE in iso_proc.c). */
	rc = pthread_attr_init(&attr);
	if (rc == 0)
		rc = pthread_attr_setstacksize(&attr, ISO_THREAD_STACK);
	if (rc) {
		snprintf(err, errlen, "thread attributes: %s", strerror(rc));
		return -rc;
	}
	/* The engine's own thread start, done here after the sandbox is up
	 * (dp_vif.c does the same in mode none). */
	for (i = 0; i < vif->nq; i++) {
		rc = pthread_create(&vif->q[i].thread, &attr, xvif_dp_worker, &vif->q[i]);
		if (rc) {
			snprintf(err, errlen, "queue-%u: cannot start its thread: %s", i, strerror(rc));
			pthread_attr_destroy(&attr);
			return -rc;
		}
		vif->q[i].thread_started = true;
	}
	pthread_attr_destroy(&attr);
	return 0;
}

/* Commands until STOP or the daemon's end of the socket closes. */
static void serve(struct wk *w)
{
	for (;;) {
		struct pollfd pf[2] = { { .fd = w->sock, .events = POLLIN }, { .fd = w->efd, .events = POLLIN } };
		struct xvif_iso_msg m;
		ssize_t n;
		uint64_t junk;

		if (poll(pf, 2, ISO_PAGE_MS) < 0 && errno != EINTR)
			return;
		publish(w);
		if (pf[1].revents & POLLIN) {
			if (read(w->efd, &junk, sizeof(junk)) < 0) {
				/* EAGAIN: nothing to clear */
			}
			report_broken(w);
		}
		if (!(pf[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = recv(w->sock, &m, sizeof(m), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n != (ssize_t)sizeof(m) || m.magic != XVIF_ISO_MAGIC)
			return; /* the daemon is gone, or talks nonsense: stop */
		switch (m.type) {
		case XVIF_ISO_STOP:
			return;
		case XVIF_ISO_RATE:
			xvif_dp_vif_set_rate(w->vif, m.have_rate != 0, m.rate_bytes, m.rate_usec);
			break;
		case XVIF_ISO_XDP:
			xvif_dp_vif_set_xdp_headroom(w->vif, m.headroom);
			break;
		default:
			return;
		}
	}
}

int xvif_iso_worker_run(int sock, const struct xvif_dp_ops *ops, void *octx, bool drop_uid)
{
	struct xvif_iso_cfg_msg *m = calloc(1, sizeof(*m));
	struct xvif_dp_vif_cfg cfg;
	struct wk w = { .sock = sock, .efd = -1 };
	struct xvif_iso_msg ok;
	int fds[1 + XVIF_MAX_QUEUES];
	unsigned int nfds = 0, i;
	char err[192];
	void *page;
	int rc;

	if (!m)
		return 1;
	if (recv_cfg(sock, m, fds, &nfds, err, sizeof(err)) < 0) {
		xvif_log(XVIF_LOG_ERR, "vif worker: %s", err);
		send_failed(sock, -EINVAL, err);
		return 1;
	}
	/* The daemon's death kills us (set before exec too; checked again
	 * here: if it died in between, our parent is already someone else). */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != m->parent_pid)
		return 1;
	xvif_log_set_level(m->log_level);
	w.nq = m->ntap;
	w.page_len = (sizeof(struct xvif_iso_page) + 4095u) & ~(size_t)4095u;
	page = mmap(NULL, w.page_len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
	close(fds[0]);
	w.efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (page == MAP_FAILED || w.efd < 0) {
		snprintf(err, sizeof(err), "worker setup: %s", strerror(errno));
		send_failed(sock, -ENOMEM, err);
		return 1;
	}
	w.page = page;
	w.page->nq = w.nq;
	w.page->magic = XVIF_ISO_MAGIC;

	cfg = m->cfg; /* every field the daemon filled, then our fds and callback */
	cfg.name = m->name;
	for (i = 0; i < XVIF_MAX_QUEUES; i++)
		cfg.tap_fd[i] = i < w.nq ? fds[1 + i] : -1;
	cfg.on_broken = wk_broken;
	cfg.on_broken_arg = &w;
	err[0] = '\0';
	rc = xvif_dp_vif_start_ops(&cfg, ops, octx, false, &w.vif, err, sizeof(err));
	if (rc < 0) {
		send_failed(sock, rc, err);
		return 1;
	}
	/* From here on nothing the guest wrote has been read yet. Leave the
	 * daemon's namespaces while still root (the fds stay usable), then
	 * drop to this vif's own uid. */
	if (drop_uid && (m->flags & XVIF_ISO_F_NAMESPACES) && xvif_sandbox_unshare(err, sizeof(err)) < 0)
		goto sandbox_failed;
	if (drop_uid && xvif_sandbox_drop(m->uid, m->gid, m->data_limit, err, sizeof(err)) < 0)
		goto sandbox_failed;
	/* The uid change cleared the parent-death signal: set it again. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != m->parent_pid) {
		snprintf(err, sizeof(err), "the daemon is gone");
		goto sandbox_failed;
	}
	if (xvif_sandbox_seccomp(err, sizeof(err)) < 0) {
sandbox_failed:
		xvif_log(XVIF_LOG_ERR, "%s: worker sandbox: %s", m->name, err);
		send_failed(sock, -EPERM, err);
		return 1; /* the kernel unmaps and unbinds on exit */
	}
	rc = xvif_iso_worker_threads(w.vif, err, sizeof(err));
	if (rc == 0 && xvif_sandbox_seal(err, sizeof(err)) < 0)
		rc = -EPERM;
	if (rc < 0) {
		send_failed(sock, rc, err);
		xvif_dp_vif_stop(w.vif);
		return 1;
	}
	publish(&w);
	memset(&ok, 0, sizeof(ok));
	ok.type = XVIF_ISO_STARTED;
	send_msg(sock, &ok);
	serve(&w);
	xvif_dp_vif_stop(w.vif);
	free(m);
	return 0;
}

int xvif_iso_worker_main(void)
{
	/* stdio buffers would be flushed by exit(): _exit after our own
	 * unbuffered logging keeps the exit path to exit_group. */
	_exit(xvif_iso_worker_run(XVIF_ISO_FD, &xvif_dp_xen_ops, NULL, true));
}
