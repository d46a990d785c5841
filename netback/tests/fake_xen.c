// SPDX-License-Identifier: GPL-2.0-only
/* The fake hypervisor of fake_xen.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/grant_table.h>

#include "fake_xen.h"

int fake_xen_init(struct fake_xen *fx, uint16_t domid)
{
	memset(fx, 0, sizeof(*fx));
	fx->domid = domid;
	/* Anonymous memory: zeroed lazily, so an untouched page costs nothing
	 * (the fuzzer builds a fresh table per input). */
	fx->pages = mmap(NULL, (size_t)FAKE_GNT_PAGES * FAKE_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fx->pages == MAP_FAILED) {
		fx->pages = NULL;
		return -1;
	}
	pthread_mutex_init(&fx->lock, NULL);
	fx->now_us = 1000000u;
	return 0;
}

void fake_xen_destroy(struct fake_xen *fx)
{
	if (fx->pages)
		munmap(fx->pages, (size_t)FAKE_GNT_PAGES * FAKE_PAGE);
	fx->pages = NULL;
	pthread_mutex_destroy(&fx->lock);
}

uint8_t *fake_gnt_page(struct fake_xen *fx, uint32_t gref)
{
	return gref < FAKE_GNT_PAGES ? fx->pages + (size_t)gref * FAKE_PAGE : NULL;
}

void fake_gnt_set(struct fake_xen *fx, uint32_t gref, enum fake_gnt_state st)
{
	if (gref < FAKE_GNT_PAGES) {
		fx->state[gref] = (uint8_t)st;
		fx->owner[gref] = fx->domid;
	}
}

static bool gref_ok(struct fake_xen *fx, uint32_t gref, uint16_t domid)
{
	return gref < FAKE_GNT_PAGES && fx->state[gref] == FAKE_GNT_VALID && fx->owner[gref] == domid;
}

static void *f_gnt_open(void *octx)
{
	struct fake_xen *fx = octx;

	fx->gnt_handles++;
	return fx;
}

static void f_gnt_close(void *gh)
{
	((struct fake_xen *)gh)->gnt_handles--;
}

static void *f_gnt_map(void *gh, uint16_t domid, uint32_t gref)
{
	struct fake_xen *fx = gh;

	if (!gref_ok(fx, gref, domid)) {
		errno = EINVAL;
		return NULL;
	}
	fx->maps++;
	return fake_gnt_page(fx, gref);
}

static void f_gnt_unmap(void *gh, void *page)
{
	(void)page;
	((struct fake_xen *)gh)->maps--;
}

/* Check one foreign side of a copy segment; returns a GNTST_* status. */
static int16_t side_ok(struct fake_xen *fx, uint32_t ref, uint16_t offset, uint16_t domid, uint16_t len,
		       bool write)
{
	if ((uint32_t)offset + len > FAKE_PAGE)
		return GNTST_bad_copy_arg;
	if (ref >= FAKE_GNT_PAGES || fx->state[ref] == FAKE_GNT_INVALID)
		return GNTST_bad_gntref;
	if (fx->owner[ref] != domid)
		return GNTST_bad_domain;
	if (fx->state[ref] == FAKE_GNT_REVOKED || (write && fx->readonly[ref]))
		return GNTST_permission_denied;
	return GNTST_okay;
}

static int f_gnt_copy(void *gh, xvif_gcopy_seg_t *segs, unsigned int n)
{
	struct fake_xen *fx = gh;
	unsigned int i;

	if (fx->copy_hook)
		fx->copy_hook(fx, fx->copy_hook_arg);
	fx->copy_calls++;
	if (n > fx->copy_max_segs)
		fx->copy_max_segs = n;
	if (fx->copy_call_fails) {
		errno = EFAULT;
		return -1;
	}
	for (i = 0; i < n; i++) {
		xvif_gcopy_seg_t *s = &segs[i];
		const uint8_t *src;
		uint8_t *dst;

		fx->copy_segs++;
		if ((s->flags & GNTCOPY_source_gref) && (s->flags & GNTCOPY_dest_gref)) {
			s->status = GNTST_bad_copy_arg; /* the engine never copies guest to guest */
		} else if (s->flags & GNTCOPY_source_gref) {
			s->status = side_ok(fx, s->source.foreign.ref, s->source.foreign.offset,
					    s->source.foreign.domid, s->len, false);
			if (s->status == GNTST_okay) {
				src = fake_gnt_page(fx, s->source.foreign.ref) + s->source.foreign.offset;
				memmove(s->dest.virt, src, s->len);
			}
		} else if (s->flags & GNTCOPY_dest_gref) {
			s->status = side_ok(fx, s->dest.foreign.ref, s->dest.foreign.offset, s->dest.foreign.domid,
					    s->len, true);
			if (s->status == GNTST_okay) {
				dst = fake_gnt_page(fx, s->dest.foreign.ref) + s->dest.foreign.offset;
				memmove(dst, s->source.virt, s->len);
			}
		} else {
			s->status = GNTST_bad_copy_arg;
		}
		if (s->status != GNTST_okay)
			fx->copy_errs++;
	}
	return 0;
}

static void *f_evt_open(void *octx)
{
	struct fake_xen *fx = octx;
	struct fake_evt_handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->fx = fx;
	h->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (h->efd < 0) {
		free(h);
		return NULL;
	}
	fx->evt_handles++;
	return h;
}

static void f_evt_close(void *eh)
{
	struct fake_evt_handle *h = eh;
	unsigned int p;

	pthread_mutex_lock(&h->fx->lock);
	for (p = 1; p < FAKE_EVT_PORTS; p++)
		if (h->fx->port[p].h == h)
			h->fx->port[p].h = NULL;
	h->fx->evt_handles--;
	pthread_mutex_unlock(&h->fx->lock);
	close(h->efd);
	free(h);
}

static int f_evt_fd(void *eh)
{
	return ((struct fake_evt_handle *)eh)->efd;
}

static int f_evt_bind(void *eh, uint16_t domid, uint32_t remote)
{
	struct fake_evt_handle *h = eh;
	struct fake_xen *fx = h->fx;
	unsigned int p;

	if (domid != fx->domid || remote == 0 || remote == fx->fail_bind_remote) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&fx->lock);
	for (p = 1; p < FAKE_EVT_PORTS; p++) {
		if (!fx->port[p].bound) {
			memset(&fx->port[p], 0, sizeof(fx->port[p]));
			fx->port[p].bound = true;
			fx->port[p].remote = remote;
			fx->port[p].h = h;
			fx->binds++;
			pthread_mutex_unlock(&fx->lock);
			return (int)p;
		}
	}
	pthread_mutex_unlock(&fx->lock);
	errno = ENOSPC;
	return -1;
}

static void f_evt_unbind(void *eh, uint32_t port)
{
	struct fake_evt_handle *h = eh;

	pthread_mutex_lock(&h->fx->lock);
	if (port < FAKE_EVT_PORTS && h->fx->port[port].bound) {
		h->fx->port[port].bound = false;
		h->fx->binds--;
	}
	pthread_mutex_unlock(&h->fx->lock);
}

static int f_evt_notify(void *eh, uint32_t port)
{
	struct fake_evt_handle *h = eh;
	int ret = 0;

	pthread_mutex_lock(&h->fx->lock);
	if (port < FAKE_EVT_PORTS && h->fx->port[port].bound)
		h->fx->port[port].notified++;
	else
		ret = -1;
	pthread_mutex_unlock(&h->fx->lock);
	if (ret)
		errno = EINVAL;
	return ret;
}

static int evt_pending_one(struct fake_evt_handle *h)
{
	uint64_t junk;
	int port = -1;

	pthread_mutex_lock(&h->fx->lock);
	if (h->qlen) {
		port = (int)h->queue[h->qhead];
		h->qhead = (h->qhead + 1) % FAKE_EVT_PORTS;
		h->qlen--;
		h->fx->port[port].queued = false;
	}
	if (!h->qlen && read(h->efd, &junk, sizeof(junk)) < 0) {
		/* nothing was signalled: fine */
	}
	pthread_mutex_unlock(&h->fx->lock);
	return port;
}

/* One call takes up to @max queued ports, as a read(2) of Xen's evtchn device. */
static int f_evt_pending_n(void *eh, uint32_t *ports, unsigned int max)
{
	struct fake_evt_handle *h = eh;
	unsigned int n = 0;
	int port;

	while (n < max && (port = evt_pending_one(h)) >= 0)
		ports[n++] = (uint32_t)port;
	/* Counted when it found a port: the worker reads only when poll said
	 * one is pending (the bench's and tests' runs always look). */
	if (n)
		__atomic_add_fetch(&h->fx->pending_calls, 1, __ATOMIC_RELAXED);
	return (int)n;
}

static int f_evt_unmask_n(void *eh, const uint32_t *ports, unsigned int n)
{
	struct fake_evt_handle *h = eh;

	(void)ports;
	(void)n;
	__atomic_add_fetch(&h->fx->unmask_calls, 1, __ATOMIC_RELAXED);
	return 0;
}

static uint64_t f_now_us(void *octx)
{
	struct fake_xen *fx = octx;

	__atomic_add_fetch(&fx->now_calls, 1, __ATOMIC_RELAXED);
	return __atomic_load_n(&fx->now_us, __ATOMIC_RELAXED);
}

const struct xvif_dp_ops fake_xen_ops = {
	.gnt_open = f_gnt_open,
	.gnt_close = f_gnt_close,
	.gnt_map = f_gnt_map,
	.gnt_unmap = f_gnt_unmap,
	.gnt_copy = f_gnt_copy,
	.evt_open = f_evt_open,
	.evt_close = f_evt_close,
	.evt_fd = f_evt_fd,
	.evt_bind = f_evt_bind,
	.evt_unbind = f_evt_unbind,
	.evt_notify = f_evt_notify,
	.evt_pending_n = f_evt_pending_n,
	.evt_unmask_n = f_evt_unmask_n,
	.now_us = f_now_us,
};

uint32_t fake_evt_local(struct fake_xen *fx, uint32_t remote)
{
	unsigned int p;

	for (p = 1; p < FAKE_EVT_PORTS; p++)
		if (fx->port[p].bound && fx->port[p].remote == remote)
			return p;
	return 0;
}

void fake_evt_raise(struct fake_xen *fx, uint32_t remote)
{
	uint64_t one = 1;
	unsigned int p;

	pthread_mutex_lock(&fx->lock);
	for (p = 1; p < FAKE_EVT_PORTS; p++) {
		struct fake_evt_port *pt = &fx->port[p];

		if (!pt->bound || pt->remote != remote || !pt->h || pt->queued)
			continue; /* a pending port does not queue twice: events coalesce */
		pt->queued = true;
		pt->h->queue[(pt->h->qhead + pt->h->qlen) % FAKE_EVT_PORTS] = p;
		pt->h->qlen++;
		if (write(pt->h->efd, &one, sizeof(one)) < 0) {
			/* the eventfd cannot overflow at these counts */
		}
	}
	pthread_mutex_unlock(&fx->lock);
}

unsigned int fake_evt_notified(struct fake_xen *fx, uint32_t remote)
{
	unsigned int p, n = 0;

	pthread_mutex_lock(&fx->lock);
	for (p = 1; p < FAKE_EVT_PORTS; p++)
		if (fx->port[p].bound && fx->port[p].remote == remote)
			n += fx->port[p].notified;
	pthread_mutex_unlock(&fx->lock);
	return n;
}
