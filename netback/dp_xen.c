// SPDX-License-Identifier: GPL-2.0-only
/*
 * The real hypervisor operations: libxengnttab for ring mappings and grant
 * copies, libxenevtchn for event channels (one handle per queue, its fd
 * made non-blocking so a worker can drain it after poll()), CLOCK_MONOTONIC.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xenevtchn.h>
#include <xengnttab.h>

#include "dp_int.h"

/* Ring pages and control tables we map at once per vif: a TX and an RX ring
 * per queue plus the control ring, with room to spare. */
#define XEN_OPS_MAX_GRANTS (2u * 16u + 1u + 7u)

static void *xen_gnt_open(void *octx)
{
	xengnttab_handle *h;

	(void)octx;
	h = xengnttab_open(NULL, 0);
	if (h)
		xengnttab_set_max_grants(h, XEN_OPS_MAX_GRANTS);
	return h;
}

static void xen_gnt_close(void *gh)
{
	xengnttab_close(gh);
}

static void *xen_gnt_map(void *gh, uint16_t domid, uint32_t gref)
{
	return xengnttab_map_domain_grant_refs(gh, 1, domid, &gref, PROT_READ | PROT_WRITE);
}

static void xen_gnt_unmap(void *gh, void *page)
{
	xengnttab_unmap(gh, page, 1);
}

static int xen_gnt_copy(void *gh, xvif_gcopy_seg_t *segs, unsigned int n)
{
	return xengnttab_grant_copy(gh, n, segs);
}

static void *xen_evt_open(void *octx)
{
	xenevtchn_handle *h;
	int fd, fl;

	(void)octx;
	h = xenevtchn_open(NULL, 0);
	if (!h)
		return NULL;
	fd = xenevtchn_fd(h);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		int e = errno;

		xenevtchn_close(h);
		errno = e;
		return NULL;
	}
	return h;
}

static void xen_evt_close(void *eh)
{
	xenevtchn_close(eh);
}

static int xen_evt_fd(void *eh)
{
	return xenevtchn_fd(eh);
}

static int xen_evt_bind(void *eh, uint16_t domid, uint32_t remote_port)
{
	xenevtchn_port_or_error_t p = xenevtchn_bind_interdomain(eh, domid, remote_port);

	return p < 0 ? -1 : (int)p;
}

static void xen_evt_unbind(void *eh, uint32_t port)
{
	xenevtchn_unbind(eh, port);
}

static int xen_evt_notify(void *eh, uint32_t port)
{
	return xenevtchn_notify(eh, port);
}

/* Linux's /dev/xen/evtchn, the fd libxenevtchn hands out: read(2) returns
 * as many pending ports as are queued and fit (EAGAIN: none), write(2)
 * unmasks every port it carries. libxenevtchn's pending/unmask do the same
 * one port per call. EAGAIN on the non-blocking fd: none pending. */
static int xen_evt_pending_n(void *eh, uint32_t *ports, unsigned int max)
{
	ssize_t r;

	do
		r = read(xenevtchn_fd(eh), ports, max * sizeof(*ports));
	while (r < 0 && errno == EINTR);
	return r <= 0 ? 0 : (int)((size_t)r / sizeof(*ports));
}

static int xen_evt_unmask_n(void *eh, const uint32_t *ports, unsigned int n)
{
	ssize_t r;

	do
		r = write(xenevtchn_fd(eh), ports, n * sizeof(*ports));
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)(n * sizeof(*ports)) ? 0 : -1;
}

static uint64_t xen_now_us(void *octx)
{
	struct timespec ts;

	(void)octx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

const struct xvif_dp_ops xvif_dp_xen_ops = {
	.gnt_open = xen_gnt_open,
	.gnt_close = xen_gnt_close,
	.gnt_map = xen_gnt_map,
	.gnt_unmap = xen_gnt_unmap,
	.gnt_copy = xen_gnt_copy,
	.evt_open = xen_evt_open,
	.evt_close = xen_evt_close,
	.evt_fd = xen_evt_fd,
	.evt_bind = xen_evt_bind,
	.evt_unbind = xen_evt_unbind,
	.evt_notify = xen_evt_notify,
	.evt_pending_n = xen_evt_pending_n,
	.evt_unmask_n = xen_evt_unmask_n,
	.now_us = xen_now_us,
};

/* The daemon's entry point: the engine on the real operations, one worker
 * thread per queue. (Kept here so tests link the engine without libxen.) */
int xvif_dp_vif_start(const struct xvif_dp_vif_cfg *cfg, struct xvif_dp_vif **out, char *err, size_t errlen)
{
	return xvif_dp_vif_start_ops(cfg, &xvif_dp_xen_ops, NULL, true, out, err, errlen);
}
