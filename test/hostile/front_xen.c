// SPDX-License-Identifier: GPL-2.0-only
/* The hostile frontend's plumbing: see front_xen.h. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "front_xen.h"

#define BIT(s) (1u << (s))

int ef_open(struct evil_front *f, unsigned int vif, struct report *rep)
{
	unsigned long v;

	memset(f, 0, sizeof(*f));
	f->vif = vif;
	f->rep = rep;
	f->port = f->ctrl_port = -1;
	f->fe_state = -1;

	f->xs = xs_open(0);
	if (!f->xs) {
		report_action(rep, "xs_open: %s (is /dev/xen/xenbus there? run as root in a PV guest)",
			      strerror(errno));
		return -1;
	}
	f->gs = xengntshr_open(NULL, 0);
	if (!f->gs) {
		report_action(rep, "xengntshr_open: %s (modprobe xen-gntalloc)", strerror(errno));
		return -1;
	}
	f->xce = xenevtchn_open(NULL, 0);
	if (!f->xce) {
		report_action(rep, "xenevtchn_open: %s (modprobe xen-evtchn)", strerror(errno));
		return -1;
	}
	/* A relative path resolves to our own /local/domain/<domid>. */
	{
		char *d = xs_read(f->xs, XBT_NULL, "domid", NULL);
		char *end = NULL;

		if (!d) {
			report_action(rep, "cannot read our domid from xenstore: %s", strerror(errno));
			return -1;
		}
		v = strtoul(d, &end, 10);
		if (!end || *end || end == d) {
			report_action(rep, "our xenstore domid '%.16s' is not a number", d);
			free(d);
			return -1;
		}
		free(d);
	}
	f->self_domid = v;
	snprintf(f->fe_path, sizeof(f->fe_path), "/local/domain/%lu/device/vif/%u", f->self_domid, vif);
	if (hx_read(f->xs, f->fe_path, "backend", f->be_path, sizeof(f->be_path)) <= 0) {
		report_action(rep, "%s/backend missing: this guest has no vif with devid %u "
			      "(give it one in the guest config, or pass --vif)", f->fe_path, vif);
		return -1;
	}
	if (hx_read_uint(f->xs, f->fe_path, "backend-id", &f->be_domid)) {
		report_action(rep, "%s/backend-id missing or not a number", f->fe_path);
		return -1;
	}
	report_str(rep, "frontend", f->fe_path);
	report_str(rep, "backend", f->be_path);
	report_int(rep, "backend_domid", (long long)f->be_domid);
	return 0;
}

int ef_set_state(struct evil_front *f, int state)
{
	if (hx_write_uint(f->xs, f->fe_path, "state", (unsigned long)state)) {
		report_action(f->rep, "write %s/state=%d failed: %s", f->fe_path, state, strerror(errno));
		return -1;
	}
	f->fe_state = state;
	return 0;
}

static void read_caps(struct evil_front *f)
{
	unsigned long v;

	f->be_max_queues = hx_read_uint(f->xs, f->be_path, "multi-queue-max-queues", &v) ? 1 : v;
	f->be_ctrl_ring = !hx_read_uint(f->xs, f->be_path, "feature-ctrl-ring", &v) && v == 1;
	f->be_split = !hx_read_uint(f->xs, f->be_path, "feature-split-event-channels", &v) && v == 1;
	report_int(f->rep, "be_max_queues", (long long)f->be_max_queues);
	report_bool(f->rep, "be_ctrl_ring", f->be_ctrl_ring);
}

int ef_await_initwait(struct evil_front *f, unsigned int wait_ms)
{
	int st = hx_read_state(f->xs, f->be_path);

	report_int(f->rep, "backend_state_start", st);
	if (st != XenbusStateInitWait) {
		int fst = hx_read_state(f->xs, f->fe_path);

		report_action(f->rep, "backend state %d (%s), frontend %d: say Initialising", st,
			      hx_state_name(st), fst);
		if (ef_set_state(f, XenbusStateInitialising))
			return -1;
		st = ef_wait_state(f, BIT(XenbusStateInitWait), wait_ms);
		if (st != XenbusStateInitWait) {
			report_action(f->rep, "backend did not reach InitWait within %u ms (state %d)",
				      wait_ms, st);
			return -1;
		}
	}
	read_caps(f);
	return 0;
}

int ef_share(struct evil_front *f, bool ctrl)
{
	f->tx_page = xengntshr_share_pages(f->gs, (uint32_t)f->be_domid, 1, &f->tx_ref, 1);
	f->rx_page = xengntshr_share_pages(f->gs, (uint32_t)f->be_domid, 1, &f->rx_ref, 1);
	if (!f->tx_page || !f->rx_page)
		goto fail;
	memset(f->tx_page, 0, XVIF_PAGE_SIZE);
	memset(f->rx_page, 0, XVIF_PAGE_SIZE);
	SHARED_RING_INIT((xvif_tx_sring_t *)f->tx_page);
	SHARED_RING_INIT((xvif_rx_sring_t *)f->rx_page);
	FRONT_RING_INIT(&f->tx, (xvif_tx_sring_t *)f->tx_page, XVIF_PAGE_SIZE);
	FRONT_RING_INIT(&f->rx, (xvif_rx_sring_t *)f->rx_page, XVIF_PAGE_SIZE);
	if (ctrl) {
		f->ctrl_page = xengntshr_share_pages(f->gs, (uint32_t)f->be_domid, 1, &f->ctrl_ref, 1);
		if (!f->ctrl_page)
			goto fail;
		memset(f->ctrl_page, 0, XVIF_PAGE_SIZE);
		SHARED_RING_INIT((struct xen_netif_ctrl_sring *)f->ctrl_page);
		FRONT_RING_INIT(&f->ctrl, (struct xen_netif_ctrl_sring *)f->ctrl_page, XVIF_PAGE_SIZE);
	}
	/* TX data read-only to the backend, as netfront grants it; RX
	 * buffers writable. */
	f->tx_data = xengntshr_share_pages(f->gs, (uint32_t)f->be_domid, EF_TX_PAGES, f->tx_data_ref, 0);
	f->rx_data = xengntshr_share_pages(f->gs, (uint32_t)f->be_domid, EF_RX_PAGES, f->rx_data_ref, 1);
	if (!f->tx_data || !f->rx_data)
		goto fail;
	for (unsigned int i = 0; i < EF_TX_PAGES; i++) {
		memset(f->tx_data + i * XVIF_PAGE_SIZE, 0, XVIF_PAGE_SIZE);
		hostile_fill_frame(f->tx_data + i * XVIF_PAGE_SIZE, 0, XVIF_PAGE_SIZE, i);
	}
	f->port = xenevtchn_bind_unbound_port(f->xce, (uint32_t)f->be_domid);
	if (f->port < 0)
		goto fail;
	if (ctrl) {
		f->ctrl_port = xenevtchn_bind_unbound_port(f->xce, (uint32_t)f->be_domid);
		if (f->ctrl_port < 0)
			goto fail;
	}
	report_action(f->rep, "shared rings tx=%u rx=%u%s, %u+%u data pages, event channel %d",
		      f->tx_ref, f->rx_ref, ctrl ? " +ctrl" : "", EF_TX_PAGES, EF_RX_PAGES, f->port);
	return 0;
fail:
	report_action(f->rep, "sharing pages / binding event channels failed: %s", strerror(errno));
	return -1;
}

int ef_write_keys(struct evil_front *f)
{
	struct hostile_xs_legit l = { .tx_ref = f->tx_ref, .rx_ref = f->rx_ref, .evtchn = (uint32_t)f->port };
	struct hostile_xs_op ops[HOSTILE_XS_OPS_MAX];
	enum hostile_xs_expect ex;
	unsigned int n = hostile_xs_plan(HOSTILE_XS_HONEST, &l, ops, HOSTILE_XS_OPS_MAX, &ex);

	for (unsigned int i = 0; i < n; i++)
		if (hx_write(f->xs, f->fe_path, ops[i].key, ops[i].value))
			return -1;
	if (f->ctrl_page) {
		if (hx_write_uint(f->xs, f->fe_path, "ctrl-ring-ref", f->ctrl_ref) ||
		    hx_write_uint(f->xs, f->fe_path, "event-channel-ctrl", (unsigned long)f->ctrl_port))
			return -1;
	} else {
		/* An earlier run's control ring is gone with its process. */
		hx_write(f->xs, f->fe_path, "ctrl-ring-ref", NULL);
		hx_write(f->xs, f->fe_path, "event-channel-ctrl", NULL);
	}
	return 0;
}

int ef_connect(struct evil_front *f, unsigned int wait_ms)
{
	int st;

	if (ef_write_keys(f) || ef_set_state(f, XenbusStateConnected))
		return -1;
	st = ef_wait_state(f, BIT(XenbusStateConnected) | BIT(XenbusStateClosing) | BIT(XenbusStateClosed),
			   wait_ms);
	if (st != XenbusStateConnected) {
		report_action(f->rep, "backend did not connect within %u ms (state %d %s)", wait_ms, st,
			      hx_state_name(st));
		return -1;
	}
	report_action(f->rep, "connected");
	return 0;
}

void ef_notify(struct evil_front *f)
{
	if (f->port >= 0 && xenevtchn_notify(f->xce, (evtchn_port_t)f->port) == 0)
		f->c.notifies++;
}

int ef_tx_push(struct evil_front *f, const xvif_tx_req_t *req, unsigned int n)
{
	int notify;

	if (RING_FREE_REQUESTS(&f->tx) < n)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		*RING_GET_REQUEST(&f->tx, f->tx.req_prod_pvt + i) = req[i];
	f->tx.req_prod_pvt += n;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f->tx, notify);
	(void)notify;
	/* Always notify: a spurious event is legal, and an attack must reach
	 * the backend whatever req_event it left. */
	ef_notify(f);
	f->c.tx_pkts++;
	f->c.tx_slots += n;
	return 0;
}

void ef_tx_collect(struct evil_front *f)
{
	RING_IDX prod, cons;
	int more;

	if (!f->tx_page)
		return;
	do {
		prod = f->tx.sring->rsp_prod;
		xen_rmb(); /* read rsp_prod /then/ the responses */
		cons = f->tx.rsp_cons;
		if (prod - cons > f->tx.req_prod_pvt - cons) {
			/* The backend answered requests never made: count it and
			 * consume nothing (a hostile backend is not our subject). */
			f->c.rsp_prod_overflow++;
			return;
		}
		for (; cons != prod; cons++) {
			xvif_tx_rsp_t rsp;

			RING_COPY_RESPONSE(&f->tx, cons, &rsp);
			f->c.rsp_total++;
			switch (rsp.status) {
			case XEN_NETIF_RSP_OKAY: f->c.rsp_okay++; break;
			case XEN_NETIF_RSP_ERROR: f->c.rsp_error++; break;
			case XEN_NETIF_RSP_DROPPED: f->c.rsp_dropped++; break;
			case XEN_NETIF_RSP_NULL: f->c.rsp_null++; break;
			default: f->c.rsp_other++; break;
			}
		}
		f->tx.rsp_cons = cons;
		RING_FINAL_CHECK_FOR_RESPONSES(&f->tx, more);
	} while (more);
}

void ef_rx_post(struct evil_front *f, unsigned int n)
{
	int notify;

	for (unsigned int i = 0; i < n; i++) {
		RING_IDX idx = f->rx.req_prod_pvt;
		xvif_rx_req_t *req;

		if (idx - f->rx.rsp_cons >= EF_RX_PAGES || RING_FULL(&f->rx))
			break;
		req = RING_GET_REQUEST(&f->rx, idx);
		req->id = (uint16_t)(idx % RING_SIZE(&f->rx));
		req->gref = f->rx_data_ref[idx % EF_RX_PAGES];
		f->rx.req_prod_pvt++;
		f->c.rx_posted++;
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f->rx, notify);
	if (notify)
		ef_notify(f);
}

void ef_rx_collect(struct evil_front *f)
{
	RING_IDX prod, cons;
	unsigned int got = 0;
	int more;

	if (!f->rx_page)
		return;
	do {
		prod = f->rx.sring->rsp_prod;
		xen_rmb();
		cons = f->rx.rsp_cons;
		if (prod - cons > f->rx.req_prod_pvt - cons) {
			f->c.rsp_prod_overflow++;
			return;
		}
		got += prod - cons;
		f->c.rx_rsp += prod - cons;
		f->rx.rsp_cons = prod;
		RING_FINAL_CHECK_FOR_RESPONSES(&f->rx, more);
	} while (more);
	/* Give back what was used, unless this attack starves the ring. */
	if (got && f->c.rx_posted)
		ef_rx_post(f, got);
}

void ef_poll_events(struct evil_front *f, unsigned int ms)
{
	struct pollfd p = { .fd = f->xce ? xenevtchn_fd(f->xce) : -1, .events = POLLIN };

	if (p.fd < 0 || f->port < 0) {
		hx_sleep_ms(ms);
		return;
	}
	while (poll(&p, 1, (int)ms) > 0 && (p.revents & POLLIN)) {
		xenevtchn_port_or_error_t port = xenevtchn_pending(f->xce);

		if (port < 0)
			break;
		xenevtchn_unmask(f->xce, (evtchn_port_t)port);
		f->c.events++;
		ms = 0; /* drain what is pending, then return */
	}
	ef_tx_collect(f);
	ef_rx_collect(f);
}

int ef_wait_state(struct evil_front *f, unsigned int want, unsigned int wait_ms)
{
	uint64_t end = hx_now_ms() + wait_ms;
	int st;

	for (;;) {
		st = hx_read_state(f->xs, f->be_path);
		if (st >= 0 && st < 32 && (want & BIT(st)))
			return st;
		if (hx_now_ms() >= end)
			return st;
		ef_poll_events(f, EF_POLL_MS);
	}
}

unsigned int ef_tx_drain(struct evil_front *f, unsigned int wait_ms)
{
	uint64_t end = hx_now_ms() + wait_ms;

	for (;;) {
		ef_poll_events(f, EF_POLL_MS);
		if (f->tx.rsp_cons == f->tx.req_prod_pvt || f->c.rsp_prod_overflow)
			break;
		if (hx_now_ms() >= end || hx_read_state(f->xs, f->be_path) != XenbusStateConnected)
			break;
	}
	return f->tx.req_prod_pvt - f->tx.rsp_cons;
}

void ef_report_answer(struct evil_front *f)
{
	char buf[256], path[HOSTILE_PATH_MAX];
	const char *rel;
	json_object *c = json_object_new_object();
	int st = hx_read_state(f->xs, f->be_path);

	report_int(f->rep, "backend_state", st);
	report_str(f->rep, "backend_state_name", hx_state_name(st));
	report_int(f->rep, "frontend_state", f->fe_state);
	report_str(f->rep, "backend_error", hx_read(f->xs, f->be_path, "error", buf, sizeof(buf)) >= 0 ? buf : NULL);
	/* Linux-style error node: /local/domain/<be>/error/<backend path>. */
	rel = strstr(f->be_path, "/backend/");
	snprintf(path, sizeof(path), "/local/domain/%lu/error%s", f->be_domid, rel ? rel : "");
	report_str(f->rep, "backend_error_node", rel && hx_read(f->xs, path, "error", buf, sizeof(buf)) >= 0 ? buf : NULL);
#define C(name) json_object_object_add(c, #name, json_object_new_int64((int64_t)f->c.name))
	C(tx_pkts); C(tx_slots); C(rsp_total); C(rsp_okay); C(rsp_error); C(rsp_dropped); C(rsp_null);
	C(rsp_other); C(rsp_prod_overflow); C(rx_posted); C(rx_rsp); C(events); C(notifies);
#undef C
	json_object_object_add(c, "tx_unanswered",
			       json_object_new_int64(f->tx_page ? (int64_t)(f->tx.req_prod_pvt - f->tx.rsp_cons) : 0));
	report_obj(f->rep, "counts", c);
}

void ef_close(struct evil_front *f, unsigned int wait_ms)
{
	if (f->xs && f->fe_state >= XenbusStateInitialising && f->fe_state != XenbusStateClosed) {
		ef_set_state(f, XenbusStateClosing);
		ef_wait_state(f, BIT(XenbusStateClosing) | BIT(XenbusStateClosed), wait_ms);
		ef_set_state(f, XenbusStateClosed);
		ef_wait_state(f, BIT(XenbusStateClosed) | BIT(XenbusStateInitWait), wait_ms);
	}
	if (f->port >= 0)
		xenevtchn_unbind(f->xce, (evtchn_port_t)f->port);
	if (f->ctrl_port >= 0)
		xenevtchn_unbind(f->xce, (evtchn_port_t)f->ctrl_port);
	f->port = f->ctrl_port = -1;
	/* gntalloc keeps a page the backend still maps until it unmaps it. */
	if (f->tx_data)
		xengntshr_unshare(f->gs, f->tx_data, EF_TX_PAGES);
	if (f->rx_data)
		xengntshr_unshare(f->gs, f->rx_data, EF_RX_PAGES);
	if (f->tx_page)
		xengntshr_unshare(f->gs, f->tx_page, 1);
	if (f->rx_page)
		xengntshr_unshare(f->gs, f->rx_page, 1);
	if (f->ctrl_page)
		xengntshr_unshare(f->gs, f->ctrl_page, 1);
	f->tx_data = f->rx_data = NULL;
	f->tx_page = f->rx_page = f->ctrl_page = NULL;
	if (f->xce)
		xenevtchn_close(f->xce);
	if (f->gs)
		xengntshr_close(f->gs);
	if (f->xs)
		xs_close(f->xs);
	f->xce = NULL;
	f->gs = NULL;
	f->xs = NULL;
}
