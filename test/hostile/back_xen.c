// SPDX-License-Identifier: GPL-2.0-only
/* The hostile backend's plumbing: see back_xen.h. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "back_xen.h"

#define BIT(s) (1u << (s))

int eb_open(struct evil_back *b, unsigned int domid, unsigned int vif, struct report *rep)
{
	memset(b, 0, sizeof(*b));
	b->domid = domid;
	b->vif = vif;
	b->rep = rep;
	b->port = -1;
	b->be_state = -1;
	b->xs = xs_open(0);
	if (!b->xs) {
		report_action(rep, "xs_open: %s (run as root in dom0 with xenstored up)", strerror(errno));
		return -1;
	}
	b->gt = xengnttab_open(NULL, 0);
	if (!b->gt) {
		report_action(rep, "xengnttab_open: %s (modprobe xen-gntdev)", strerror(errno));
		return -1;
	}
	b->xce = xenevtchn_open(NULL, 0);
	if (!b->xce) {
		report_action(rep, "xenevtchn_open: %s (modprobe xen-evtchn)", strerror(errno));
		return -1;
	}
	snprintf(b->be_path, sizeof(b->be_path), "/local/domain/0/backend/" EB_BACKEND_TYPE "/%u/%u", domid, vif);
	snprintf(b->fe_path, sizeof(b->fe_path), "/local/domain/%u/device/vif/%u", domid, vif);
	report_str(rep, "frontend", b->fe_path);
	report_str(rep, "backend", b->be_path);
	return 0;
}

int eb_set_state(struct evil_back *b, int state)
{
	if (hx_write_uint(b->xs, b->be_path, "state", (unsigned long)state))
		return -1;
	b->be_state = state;
	return 0;
}

int eb_fe_state(struct evil_back *b)
{
	return hx_read_state(b->xs, b->fe_path);
}

static int tx_write(struct xs_handle *xs, xs_transaction_t t, const char *dir, const char *key, const char *v)
{
	char p[HOSTILE_PATH_MAX];
	int n = snprintf(p, sizeof(p), "%s/%s", dir, key);

	if (n < 0 || (unsigned int)n >= sizeof(p))
		return -1;
	return xs_write(xs, t, p, v, (unsigned int)strlen(v)) ? 0 : -1;
}

int eb_create(struct evil_back *b)
{
	struct xs_permissions fe_perms[2] = { { .id = b->domid, .perms = XS_PERM_NONE },
					      { .id = 0, .perms = XS_PERM_READ } };
	struct xs_permissions be_perms[2] = { { .id = 0, .perms = XS_PERM_NONE },
					      { .id = b->domid, .perms = XS_PERM_READ } };
	char mac[24], num[16], dom[16];
	int tries = 0;
	xs_transaction_t t;

	if (hx_read_state(b->xs, b->fe_path) >= 0) {
		report_action(b->rep, "%s already exists: pick a free --vif", b->fe_path);
		return -1;
	}
	/* 00:16:3e is Xen's OUI; ee marks the hostile backend's vifs. */
	snprintf(mac, sizeof(mac), "00:16:3e:ee:%02x:%02x", b->domid & 0xff, b->vif & 0xff);
	snprintf(num, sizeof(num), "%u", b->vif);
	snprintf(dom, sizeof(dom), "%u", b->domid);
	do {
		t = xs_transaction_start(b->xs);
		if (!t)
			return -1;
		/* Parents first with their permissions: children inherit them. */
		if (!xs_mkdir(b->xs, t, b->be_path) || !xs_set_permissions(b->xs, t, b->be_path, be_perms, 2) ||
		    !xs_mkdir(b->xs, t, b->fe_path) || !xs_set_permissions(b->xs, t, b->fe_path, fe_perms, 2) ||
		    tx_write(b->xs, t, b->be_path, "frontend", b->fe_path) ||
		    tx_write(b->xs, t, b->be_path, "frontend-id", dom) ||
		    tx_write(b->xs, t, b->be_path, "online", "1") || tx_write(b->xs, t, b->be_path, "state", "1") ||
		    tx_write(b->xs, t, b->be_path, "handle", num) || tx_write(b->xs, t, b->be_path, "mac", mac) ||
		    tx_write(b->xs, t, b->fe_path, "backend", b->be_path) ||
		    tx_write(b->xs, t, b->fe_path, "backend-id", "0") ||
		    tx_write(b->xs, t, b->fe_path, "state", "1") || tx_write(b->xs, t, b->fe_path, "handle", num) ||
		    tx_write(b->xs, t, b->fe_path, "mac", mac) || tx_write(b->xs, t, b->fe_path, "trusted", "0")) {
			report_action(b->rep, "creating the device in xenstore failed: %s", strerror(errno));
			xs_transaction_end(b->xs, t, true);
			return -1;
		}
	} while (!xs_transaction_end(b->xs, t, false) && errno == EAGAIN && ++tries < 10);
	b->created = true;
	/* What we offer: the minimum a netfront needs (rx-copy), SG, one
	 * queue, one event channel, no GSO, no control ring. */
	if (hx_write(b->xs, b->be_path, "feature-rx-copy", "1") || hx_write(b->xs, b->be_path, "feature-rx-flip", "0") ||
	    hx_write(b->xs, b->be_path, "feature-sg", "1") || eb_set_state(b, XenbusStateInitWait))
		return -1;
	report_action(b->rep, "created vif %u for domain %u (mac %s, trusted=0), backend InitWait", b->vif,
		      b->domid, mac);
	return 0;
}

int eb_wait_fe(struct evil_back *b, unsigned int want, unsigned int wait_ms)
{
	uint64_t end = hx_now_ms() + wait_ms;
	int st;

	for (;;) {
		st = eb_fe_state(b);
		if (st >= 0 && st < 32 && (want & BIT(st)))
			return st;
		if (hx_now_ms() >= end)
			return st;
		eb_poll(b, EB_POLL_MS);
	}
}

int eb_connect(struct evil_back *b, unsigned int wait_ms)
{
	unsigned long tx_ref, rx_ref, evtchn;
	int st = eb_wait_fe(b, BIT(XenbusStateInitialised) | BIT(XenbusStateConnected), wait_ms);

	if (st != XenbusStateInitialised && st != XenbusStateConnected) {
		report_action(b->rep, "frontend did not connect within %u ms (state %d %s): is a netfront loaded?",
			      wait_ms, st, hx_state_name(st));
		return -1;
	}
	if (hx_read_uint(b->xs, b->fe_path, "tx-ring-ref", &tx_ref) ||
	    hx_read_uint(b->xs, b->fe_path, "rx-ring-ref", &rx_ref) ||
	    hx_read_uint(b->xs, b->fe_path, "event-channel", &evtchn)) {
		report_action(b->rep, "frontend wrote no single-queue tx-ring-ref/rx-ring-ref/event-channel");
		return -1;
	}
	b->tx_page = xengnttab_map_grant_ref(b->gt, b->domid, (uint32_t)tx_ref, PROT_READ | PROT_WRITE);
	b->rx_page = xengnttab_map_grant_ref(b->gt, b->domid, (uint32_t)rx_ref, PROT_READ | PROT_WRITE);
	if (!b->tx_page || !b->rx_page) {
		report_action(b->rep, "mapping the frontend's rings failed: %s", strerror(errno));
		return -1;
	}
	BACK_RING_INIT(&b->tx, (xvif_tx_sring_t *)b->tx_page, XVIF_PAGE_SIZE);
	BACK_RING_INIT(&b->rx, (xvif_rx_sring_t *)b->rx_page, XVIF_PAGE_SIZE);
	b->port = xenevtchn_bind_interdomain(b->xce, b->domid, (evtchn_port_t)evtchn);
	if (b->port < 0) {
		report_action(b->rep, "binding event channel %lu failed: %s", evtchn, strerror(errno));
		return -1;
	}
	/* A newly bound interdomain port is pending at once: drain it. */
	eb_poll(b, 0);
	if (eb_set_state(b, XenbusStateConnected))
		return -1;
	report_action(b->rep, "connected: tx-ring-ref %lu rx-ring-ref %lu event-channel %lu", tx_ref, rx_ref, evtchn);
	return 0;
}

void eb_notify(struct evil_back *b)
{
	if (b->port >= 0 && xenevtchn_notify(b->xce, (evtchn_port_t)b->port) == 0)
		b->c.notifies++;
}

void eb_poll(struct evil_back *b, unsigned int ms)
{
	struct pollfd p = { .fd = xenevtchn_fd(b->xce), .events = POLLIN };

	if (b->port < 0) {
		hx_sleep_ms(ms);
		return;
	}
	while (poll(&p, 1, (int)ms) > 0 && (p.revents & POLLIN)) {
		xenevtchn_port_or_error_t port = xenevtchn_pending(b->xce);

		if (port < 0)
			break;
		xenevtchn_unmask(b->xce, (evtchn_port_t)port);
		b->c.events++;
		ms = 0;
	}
}

/* Copy requests [req_cons, req_prod) out of a ring, once each. */
#define TAKE(ring, out, max, counter)                                                           \
	({                                                                                      \
		unsigned int n_ = 0;                                                            \
		RING_IDX prod_ = (ring)->sring->req_prod;                                       \
		xen_rmb(); /* read req_prod /then/ the requests */                              \
		/* Against req_cons, not rsp_prod_pvt: the id attacks answer   \
		 * more often than asked, on purpose. */                        \
		if (prod_ - (ring)->req_cons > RING_SIZE(ring)) {                               \
			b->c.req_prod_overflow++;                                               \
		} else {                                                                        \
			while ((ring)->req_cons != prod_ && n_ < (max)) {                       \
				RING_COPY_REQUEST(ring, (ring)->req_cons, &(out)[n_]);          \
				(ring)->req_cons++;                                             \
				n_++;                                                           \
			}                                                                       \
		}                                                                               \
		b->c.counter += n_;                                                             \
		n_;                                                                             \
	})

unsigned int eb_tx_take(struct evil_back *b, xvif_tx_req_t *out, unsigned int max)
{
	if (!b->tx_page)
		return 0;
	return TAKE(&b->tx, out, max, tx_req);
}

unsigned int eb_rx_take(struct evil_back *b, xvif_rx_req_t *out, unsigned int max)
{
	if (!b->rx_page)
		return 0;
	return TAKE(&b->rx, out, max, rx_req);
}

void eb_tx_put(struct evil_back *b, uint16_t id, int16_t status)
{
	xvif_tx_rsp_t *r = RING_GET_RESPONSE(&b->tx, b->tx.rsp_prod_pvt);

	r->id = id;
	r->status = status;
	b->tx.rsp_prod_pvt++;
	b->c.tx_rsp++;
}

void eb_rx_put(struct evil_back *b, uint16_t id, uint16_t offset, uint16_t flags, int16_t status)
{
	xvif_rx_rsp_t *r = RING_GET_RESPONSE(&b->rx, b->rx.rsp_prod_pvt);

	r->id = id;
	r->offset = offset;
	r->flags = flags;
	r->status = status;
	b->rx.rsp_prod_pvt++;
	b->c.rx_rsp++;
}

void eb_push(struct evil_back *b)
{
	int n1 = 0, n2 = 0;

	if (b->tx_page)
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b->tx, n1);
	if (b->rx_page)
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b->rx, n2);
	if (n1 || n2)
		eb_notify(b);
}

int eb_rx_deliver(struct evil_back *b, const xvif_rx_req_t *req, unsigned int seq)
{
	static uint8_t frame[HOSTILE_FRAME_LEN];
	xengnttab_grant_copy_segment_t seg;

	hostile_fill_frame(frame, 0, sizeof(frame), seq);
	memset(&seg, 0, sizeof(seg));
	seg.source.virt = frame;
	seg.dest.foreign.ref = req->gref;
	seg.dest.foreign.offset = 0;
	seg.dest.foreign.domid = (uint16_t)b->domid;
	seg.len = sizeof(frame);
	seg.flags = GNTCOPY_dest_gref;
	if (xengnttab_grant_copy(b->gt, 1, &seg) || seg.status != GNTST_okay) {
		b->c.rx_copy_fail++;
		eb_rx_put(b, req->id, 0, 0, XEN_NETIF_RSP_ERROR);
		return -1;
	}
	eb_rx_put(b, req->id, 0, 0, (int16_t)sizeof(frame));
	b->c.rx_delivered++;
	return 0;
}

void eb_check_stale(struct evil_back *b, uint32_t gref, unsigned int off, unsigned int len)
{
	const uint8_t *p = xengnttab_map_grant_ref(b->gt, b->domid, gref, PROT_READ);
	unsigned long n = 0;

	if (!p) {
		b->c.data_map_fail++;
		return;
	}
	for (unsigned int i = 0; i < XVIF_PAGE_SIZE; i++)
		if ((i < off || i >= off + len) && p[i])
			n++;
	b->c.data_pages_checked++;
	if (n) {
		b->c.stale_pages++;
		b->c.stale_bytes += n;
	}
	xengnttab_unmap(b->gt, (void *)p, 1);
}

void eb_report_answer(struct evil_back *b)
{
	char buf[256];
	json_object *c = json_object_new_object();
	int st = eb_fe_state(b);

	report_int(b->rep, "frontend_state", st);
	report_str(b->rep, "frontend_state_name", hx_state_name(st));
	report_int(b->rep, "backend_state", b->be_state);
	report_str(b->rep, "frontend_error", hx_read(b->xs, b->fe_path, "error", buf, sizeof(buf)) >= 0 ? buf : NULL);
	snprintf(buf, sizeof(buf), "/local/domain/%u/error/device/vif/%u", b->domid, b->vif);
	{
		char e[200];

		report_str(b->rep, "frontend_error_node", hx_read(b->xs, buf, "error", e, sizeof(e)) >= 0 ? e : NULL);
	}
#define C(name) json_object_object_add(c, #name, json_object_new_int64((int64_t)b->c.name))
	C(tx_req); C(tx_pkts); C(tx_rsp); C(rx_req); C(rx_rsp); C(rx_delivered); C(rx_copy_fail);
	C(req_prod_overflow); C(events); C(notifies); C(stale_pages); C(stale_bytes); C(data_pages_checked);
	C(data_map_fail); C(held);
#undef C
	report_obj(b->rep, "counts", c);
}

void eb_close(struct evil_back *b, unsigned int wait_ms)
{
	if (b->xs && b->be_state >= 0 && b->be_state != XenbusStateClosed) {
		hx_write(b->xs, b->be_path, "online", "0");
		eb_set_state(b, XenbusStateClosing);
		eb_wait_fe(b, BIT(XenbusStateClosing) | BIT(XenbusStateClosed), wait_ms);
		eb_set_state(b, XenbusStateClosed);
		eb_wait_fe(b, BIT(XenbusStateClosed), wait_ms);
		report_int(b->rep, "frontend_state_at_close", eb_fe_state(b));
	}
	/* Only now let go of what never-release held: the frontend has
	 * already torn down with our mappings in place. */
	for (unsigned int i = 0; i < EB_HOLD_MAX; i++)
		if (b->held[i]) {
			xengnttab_unmap(b->gt, b->held[i], 1);
			b->held[i] = NULL;
		}
	if (b->port >= 0)
		xenevtchn_unbind(b->xce, (evtchn_port_t)b->port);
	b->port = -1;
	if (b->tx_page)
		xengnttab_unmap(b->gt, b->tx_page, 1);
	if (b->rx_page)
		xengnttab_unmap(b->gt, b->rx_page, 1);
	b->tx_page = b->rx_page = NULL;
	if (b->created && b->xs) {
		char dom[HOSTILE_PATH_MAX];

		xs_rm(b->xs, XBT_NULL, b->fe_path);
		xs_rm(b->xs, XBT_NULL, b->be_path);
		/* and the per-domain directory, if this was its last device */
		snprintf(dom, sizeof(dom), "/local/domain/0/backend/" EB_BACKEND_TYPE "/%u", b->domid);
		{
			unsigned int n = 0;
			char **l = xs_directory(b->xs, XBT_NULL, dom, &n);

			if (l && n == 0)
				xs_rm(b->xs, XBT_NULL, dom);
			free(l);
		}
		b->created = false;
	}
	if (b->xce)
		xenevtchn_close(b->xce);
	if (b->gt)
		xengnttab_close(b->gt);
	if (b->xs)
		xs_close(b->xs);
	b->xce = NULL;
	b->gt = NULL;
	b->xs = NULL;
}
