// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control plane's vif state machine against an in-memory xenstore, a
 * fake TAP and a fake data path. The test plays libxl (backend and
 * frontend directories, hotplug-status, online, removal) and the guest's
 * netfront (its keys and state), exactly as the lab's xl + xen-netfront do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cp_daemon.h"
#include "cp_fixture.h"
#include "cp_vif.h"
#include "fake_xs.h"
#include "status.h"
#include "xenbus_states.h"

/* Every state we wrote was a legal backend move from the one before. */
static void assert_state_history_legal(struct cp_env *e)
{
	const char *vals[4096];
	unsigned int n = fake_xs_history(e->xs, BE "/state", vals, 4096), i, from, to;

	assert_true(n <= 4096);
	assert_int_equal(xvif_state_parse(vals[0], &from), 0);
	for (i = 1; i < n; i++) {
		assert_int_equal(xvif_state_parse(vals[i], &to), 0);
		if (to != from && !xvif_state_move_ok(XVIF_SIDE_BACKEND, from, to))
			fail_msg("illegal backend move %u -> %u at write %u", from, to, i);
		from = to;
	}
}

/* ---- tests ---- */

static void new_device_initwait_advertised(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;

	toolstack_add(e);
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	assert_string_equal(be_get(e, "feature-sg"), "1");
	assert_string_equal(be_get(e, "feature-gso-tcpv4"), "1");
	assert_string_equal(be_get(e, "feature-gso-tcpv6"), "1");
	assert_string_equal(be_get(e, "feature-ipv6-csum-offload"), "1");
	assert_string_equal(be_get(e, "feature-rx-copy"), "1");
	assert_string_equal(be_get(e, "feature-rx-flip"), "0");
	assert_string_equal(be_get(e, "feature-multicast-control"), "1");
	assert_string_equal(be_get(e, "feature-dynamic-multicast-control"), "1");
	assert_string_equal(be_get(e, "feature-split-event-channels"), "1");
	assert_string_equal(be_get(e, "feature-ctrl-ring"), "1");
	assert_string_equal(be_get(e, "feature-xdp-headroom"), "1");
	assert_string_equal(be_get(e, "multi-queue-max-queues"), "4");
	t = fake_xs_tap_find("xvif3.0");
	assert_non_null(t);
	assert_true(t->exists);
	assert_int_equal(t->mtu, 1500);
	assert_false(t->carrier);
	assert_int_equal(fake_xs_dp.starts, 0);
	/* The keys libxl owns are untouched. */
	assert_string_equal(be_get(e, "bridge"), "xenbr0");
	assert_string_equal(be_get(e, "hotplug-status"), "");
}

static void connect_waits_for_hotplug(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;
	const struct xvif_dp_vif_cfg *c = &fake_xs_dp.last_cfg;

	toolstack_add(e);
	be_set(e, "mtu", "9000");
	pump(e);
	frontend_keys(e, 2);
	fe_set(e, "state", "4");
	pump(e);
	/* Frontend ready, but the hotplug script has not bridged the TAP. */
	assert_string_equal(be_get(e, "state"), "2");
	assert_int_equal(fake_xs_dp.starts, 0);

	be_set(e, "hotplug-status", "connected");
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
	assert_int_equal(fake_xs_dp.starts, 1);
	assert_int_equal(c->domid, 3);
	assert_int_equal(c->devid, 0);
	assert_string_equal(c->name, "xvif3.0");
	assert_int_equal(c->mtu, 9000);
	assert_int_equal(c->fe.num_queues, 2);
	assert_int_equal(c->fe.queue[0].tx_ring_ref, 8);
	assert_int_equal(c->fe.queue[1].rx_ring_ref, 11);
	assert_true(c->fe.queue[1].split);
	assert_int_equal(c->fe.queue[1].evtchn_tx, 22);
	assert_int_equal(c->fe.queue[1].evtchn_rx, 23);
	assert_true(c->fe.sg);
	assert_true(c->tap_fd[0] >= 0);
	assert_true(c->tap_fd[1] >= 0);
	assert_int_equal(c->tap_fd[2], -1);
	assert_int_equal(c->guest_mac[5], 3);
	assert_false(c->have_rate);
	assert_non_null(c->on_broken);
	t = fake_xs_tap_find("xvif3.0");
	assert_true(t->carrier);
	assert_int_equal(t->queues, 2);
	assert_int_equal(t->offload, XVIF_TAP_OFF_CSUM | XVIF_TAP_OFF_TSO4 | XVIF_TAP_OFF_TSO6);
	assert_null(be_get(e, "error"));
	assert_state_history_legal(e);
}

static void connect_hotplug_first(void **state)
{
	struct cp_env *e = *state;

	toolstack_add(e);
	pump(e);
	be_set(e, "hotplug-status", "connected");
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	frontend_keys(e, 1);
	fe_set(e, "state", "4");
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
	assert_int_equal(fake_xs_dp.starts, 1);
	assert_int_equal(fake_xs_dp.last_cfg.fe.num_queues, 1);
	assert_false(fake_xs_dp.last_cfg.fe.queue_dirs);
}

/* A frontend error: `error` node names vif and key, Closed, no data path. */
static void check_fe_error(struct cp_env *e, const char *want)
{
	const struct fake_xs_tap_if *t;

	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_non_null(be_get(e, "error"));
	assert_string_equal(be_get(e, "error"), want);
	assert_int_equal(fake_xs_dp.starts, 0);
	t = fake_xs_tap_find("xvif3.0");
	assert_true(t->exists);   /* kept for a reconnect: the hotplug script bridged it */
	assert_false(t->carrier);
	assert_state_history_legal(e);
}

static void prepare_fe(struct cp_env *e, unsigned int nq)
{
	toolstack_add(e);
	pump(e);
	be_set(e, "hotplug-status", "connected");
	frontend_keys(e, nq);
}

static void fe_num_queues_zero(void **state)
{
	struct cp_env *e = *state;

	prepare_fe(e, 2);
	fe_set(e, "multi-queue-num-queues", "0");
	fe_set(e, "state", "4");
	check_fe_error(e, "xvif3.0: multi-queue-num-queues=0: must be 1..4");
}

static void fe_num_queues_above_max(void **state)
{
	struct cp_env *e = *state;

	prepare_fe(e, 2);
	fe_set(e, "multi-queue-num-queues", "5");
	fe_set(e, "state", "4");
	check_fe_error(e, "xvif3.0: multi-queue-num-queues=5: must be 1..4");
}

static void fe_missing_ring_ref(void **state)
{
	struct cp_env *e = *state;

	prepare_fe(e, 2);
	fake_xs_del(e->xs, FE "/queue-1/tx-ring-ref");
	fe_set(e, "state", "4");
	check_fe_error(e, "xvif3.0: queue-1/tx-ring-ref: missing");
}

static void fe_ring_ref_not_a_number(void **state)
{
	struct cp_env *e = *state;

	prepare_fe(e, 1);
	fe_set(e, "tx-ring-ref", "8x");
	fe_set(e, "state", "4");
	check_fe_error(e, "xvif3.0: tx-ring-ref=8x: not a decimal number");
}

static void fe_value_too_long(void **state)
{
	struct cp_env *e = *state;
	char big[4000];

	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	prepare_fe(e, 1);
	fe_set(e, "rx-ring-ref", big);
	fe_set(e, "state", "4");
	check_fe_error(e, "xvif3.0: rx-ring-ref: value too long");
}

static void bad_mac_fails_device(void **state)
{
	struct cp_env *e = *state;

	toolstack_add(e);
	be_set(e, "mac", "01:16:3e:00:00:03"); /* multicast */
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_string_equal(be_get(e, "error"),
			    "xvif3.0: mac=01:16:3e:00:00:03: must be a unicast xx:xx:xx:xx:xx:xx address");
	assert_null(fake_xs_tap_find("xvif3.0"));
	/* Failed for good: a frontend reconnecting does not revive it. */
	fe_set(e, "state", "6");
	fe_set(e, "state", "1");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
}

static void dp_start_failure(void **state)
{
	struct cp_env *e = *state;

	prepare_fe(e, 1);
	fake_xs_dp.fail_start = -22;
	fe_set(e, "state", "4");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_string_equal(be_get(e, "error"), "xvif3.0: data path: queue-0: cannot map tx-ring-ref 8: Invalid argument");
	assert_false(fake_xs_tap_find("xvif3.0")->carrier);
}

static void reconnect_after_frontend_closed(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;

	bring_up(e, 2);
	fe_set(e, "state", "5");
	pump(e);
	assert_string_equal(be_get(e, "state"), "5");
	assert_int_equal(fake_xs_dp.stops, 1);
	fe_set(e, "state", "6");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	t = fake_xs_tap_find("xvif3.0");
	assert_true(t->exists);
	assert_false(t->carrier);
	assert_int_equal(t->queues, 1);

	/* Module reload: Initialising, then keys and Connected again. */
	fe_set(e, "state", "1");
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	frontend_keys(e, 1);
	fake_xs_del(e->xs, FE "/multi-queue-num-queues");
	fake_xs_del(e->xs, FE "/queue-0");
	fake_xs_del(e->xs, FE "/queue-1");
	fe_set(e, "state", "4");
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
	assert_int_equal(fake_xs_dp.starts, 2);
	assert_int_equal(fake_xs_dp.last_cfg.fe.num_queues, 1);
	assert_true(t->carrier);
	assert_state_history_legal(e);
}

static void reconnect_after_error(void **state)
{
	struct cp_env *e = *state;

	prepare_fe(e, 2);
	fe_set(e, "multi-queue-num-queues", "0");
	fe_set(e, "state", "4");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	/* A stale Connected is not a reconnect: nothing moves. */
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	fe_set(e, "state", "6");
	fe_set(e, "state", "1");
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	fe_set(e, "multi-queue-num-queues", "2");
	fe_set(e, "state", "4");
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
	assert_null(be_get(e, "error")); /* cleared by the successful connect */
	assert_state_history_legal(e);
}

static void online_zero_teardown(void **state)
{
	struct cp_env *e = *state;
	unsigned int nstate;
	const char *vals[64];

	bring_up(e, 1);
	/* xl network-detach: online=0 and state=5 written by libxl. */
	be_set(e, "online", "0");
	be_set(e, "state", "5");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_int_equal(fake_xs_dp.stops, 1);
	assert_false(fake_xs_tap_find("xvif3.0")->exists);
	/* libxl removes the directories: we free the vif and re-create nothing. */
	nstate = fake_xs_history(e->xs, BE "/state", vals, 64);
	fake_xs_del(e->xs, BE);
	fake_xs_del(e->xs, FE);
	pump(e);
	assert_int_equal(e->d.nvifs, 0);
	assert_null(fake_xs_get(e->xs, BE));
	assert_int_equal(fake_xs_history(e->xs, BE "/state", vals, 64), nstate);
	assert_int_equal(fake_xs_nwatches(e->xs), 2); /* backend/vif and @releaseDomain only */
}

static void directory_removed_while_connected(void **state)
{
	struct cp_env *e = *state;

	bring_up(e, 2);
	fake_xs_del(e->xs, BE);
	pump(e);
	assert_int_equal(e->d.nvifs, 0);
	assert_int_equal(fake_xs_dp.stops, 1);
	assert_false(fake_xs_tap_find("xvif3.0")->exists);
	assert_null(fake_xs_get(e->xs, BE));
}

static void domain_death(void **state)
{
	struct cp_env *e = *state;

	bring_up(e, 1);
	fake_xs_dom_kill(3);
	fake_xs_fire(e->xs, "@releaseDomain");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_int_equal(fake_xs_dp.stops, 1);
	assert_false(fake_xs_tap_find("xvif3.0")->exists);
}

static void rate_live(void **state)
{
	struct cp_env *e = *state;

	toolstack_add(e);
	be_set(e, "rate", "125000,50000");
	pump(e);
	be_set(e, "hotplug-status", "connected");
	frontend_keys(e, 1);
	fe_set(e, "state", "4");
	pump(e);
	assert_true(fake_xs_dp.last_cfg.have_rate);
	assert_int_equal(fake_xs_dp.last_cfg.rate_bytes, 125000);
	assert_int_equal(fake_xs_dp.last_cfg.rate_usec, 50000);
	be_set(e, "rate", "250000,20000");
	pump(e);
	assert_int_equal(fake_xs_dp.set_rates, 1);
	assert_true(fake_xs_dp.rate_have);
	assert_int_equal(fake_xs_dp.rate_bytes, 250000);
	assert_int_equal(fake_xs_dp.rate_usec, 20000);
	/* A bad value is ignored (logged), the applied rate kept. */
	be_set(e, "rate", "0,20000");
	pump(e);
	assert_int_equal(fake_xs_dp.set_rates, 1);
	fake_xs_del(e->xs, BE "/rate");
	pump(e);
	assert_int_equal(fake_xs_dp.set_rates, 2);
	assert_false(fake_xs_dp.rate_have);
	assert_string_equal(be_get(e, "state"), "4");
}

/* Linux netfront attaching XDP: xdp-headroom, Reconfiguring; we answer
 * Reconfigured with the new headroom applied live, then Connected again. A
 * bad value keeps the old headroom and is still answered (the guest waits
 * holding rtnl). The data path is never restarted. */
static void xdp_reconfigure(void **state)
{
	struct cp_env *e = *state;

	bring_up(e, 1);
	assert_string_equal(be_get(e, "state"), "4");
	fe_set(e, "xdp-headroom", "256");
	fe_set(e, "state", "7");
	pump(e);
	assert_string_equal(be_get(e, "state"), "8");
	assert_int_equal(fake_xs_dp.set_xdps, 1);
	assert_int_equal(fake_xs_dp.xdp_headroom, 256);
	fe_set(e, "state", "4");
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
	/* Detach: headroom 0 (key removed). */
	fake_xs_del(e->xs, FE "/xdp-headroom");
	fe_set(e, "state", "7");
	pump(e);
	assert_string_equal(be_get(e, "state"), "8");
	assert_int_equal(fake_xs_dp.xdp_headroom, 0);
	fe_set(e, "state", "4");
	pump(e);
	/* Hostile value: answered, old headroom (0) kept. */
	fe_set(e, "xdp-headroom", "99999999999");
	fe_set(e, "state", "7");
	pump(e);
	assert_string_equal(be_get(e, "state"), "8");
	assert_int_equal(fake_xs_dp.set_xdps, 3);
	assert_int_equal(fake_xs_dp.xdp_headroom, 0);
	/* Frontend closes from Reconfiguring: torn down like from Connected. */
	fe_set(e, "state", "5");
	pump(e);
	assert_string_equal(be_get(e, "state"), "5");
	assert_int_equal(fake_xs_dp.starts, 1);
	assert_int_equal(fake_xs_dp.live, 0);
	assert_state_history_legal(e);
}

static void broken_queue_closes(void **state)
{
	struct cp_env *e = *state;

	bring_up(e, 2);
	fake_xs_dp_break(fake_xs_dp.last, 1, "tx: req_prod 700 ahead of rsp 0 (ring 256)");
	cp_daemon_handle_broken(&e->d);
	assert_string_equal(be_get(e, "error"), "xvif3.0: queue-1 broken: tx: req_prod 700 ahead of rsp 0 (ring 256)");
	assert_string_equal(be_get(e, "state"), "5");
	assert_int_equal(fake_xs_dp.stops, 1);
	fe_set(e, "state", "5");
	fe_set(e, "state", "6");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	fe_set(e, "state", "1");
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	assert_state_history_legal(e);
}

/* The frontend jumps about, with the loop running between each move. */
static void state_flapping_stepwise(void **state)
{
	struct cp_env *e = *state;
	static const char *const moves[] = { "6", "1", "4", "5", "4", "1", "3", "6", "9", "x", "", "0",
					     "1", "4", "2", "7", "6", "4", "1", "4", "6", "1", "4" };
	unsigned int round, i;

	bring_up(e, 1);
	srand(7);
	for (round = 0; round < 20; round++) {
		for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
			fe_set(e, "state", moves[(i + (unsigned int)rand()) % (sizeof(moves) / sizeof(moves[0]))]);
			pump(e);
		}
	}
	fe_set(e, "state", "6");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_int_equal(fake_xs_dp.live, 0);
	assert_int_equal(fake_xs_dp.starts, fake_xs_dp.stops);
	assert_state_history_legal(e);
	/* And it still serves an honest reconnect. */
	fe_set(e, "state", "1");
	pump(e);
	fe_set(e, "state", "4");
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
}

/* The frontend goes Closed -> Initialising -> Connected between two looks:
 * the reconcile sees Connected while Connected... then Initialising while
 * Connected: close, then serve again. */
static void flap_coalesced_reconnect(void **state)
{
	struct cp_env *e = *state;

	bring_up(e, 1);
	fe_set(e, "state", "5");
	fe_set(e, "state", "6");
	fe_set(e, "state", "1");
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	assert_int_equal(fake_xs_dp.stops, 1);
	fe_set(e, "state", "4");
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
	assert_int_equal(fake_xs_dp.starts, 2);
	assert_state_history_legal(e);
}

static void watch_flood_coalesced(void **state)
{
	struct cp_env *e = *state;
	uint64_t reconciles, events;
	unsigned int i, passes = 0;
	char key[32];
	int rc;

	bring_up(e, 1);
	reconciles = e->d.stats.reconciles;
	events = e->d.stats.events;
	for (i = 0; i < 20000; i++) {
		fe_set(e, "state", "4");
		if (i % 4 == 0) {
			snprintf(key, sizeof(key), "state/junk%u", i % 64);
			fe_set(e, key, "x");
		}
	}
	assert_true(fake_xs_pending(e->xs) >= 20000);
	while ((rc = cp_daemon_handle_xs(&e->d)) > 0)
		passes++;
	passes++;
	assert_int_equal(rc, 0);
	assert_int_equal(fake_xs_pending(e->xs), 0);
	assert_int_equal(e->d.stats.events - events, 25000);
	/* One reconcile per pass of CP_WATCH_BUDGET events, not one per event. */
	assert_true(e->d.stats.reconciles - reconciles <= passes);
	assert_int_equal(passes, (25000 + CP_WATCH_BUDGET) / CP_WATCH_BUDGET);
	assert_int_equal(e->d.nvifs, 1);
	assert_int_equal(fake_xs_dp.starts, 1);
	assert_string_equal(be_get(e, "state"), "4");
}

static void frontend_path_hostile(void **state)
{
	struct cp_env *e = *state;

	toolstack_add(e);
	be_set(e, "frontend", "/local/domain/0/backend/vif/3/0");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_string_equal(be_get(e, "error"), "xvif3.0: frontend=/local/domain/0/backend/vif/3/0: must be " FE);
}

static void vifname_used_for_tap(void **state)
{
	struct cp_env *e = *state;

	toolstack_add(e);
	be_set(e, "vifname", "web0");
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	assert_non_null(fake_xs_tap_find("web0"));
	assert_true(fake_xs_tap_find("web0")->exists);
	assert_null(fake_xs_tap_find("xvif3.0"));
}

static void vifname_invalid_fails(void **state)
{
	struct cp_env *e = *state;

	toolstack_add(e);
	be_set(e, "vifname", "bad/name");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_string_equal(be_get(e, "error"),
			    "xvif3.0: vifname=bad/name: must be 1-15 characters without '/', ':' or spaces");
	assert_null(fake_xs_tap_find("bad/name"));
}

static void tap_name_taken(void **state)
{
	struct cp_env *e = *state;
	struct xvif_tap other;
	char err[128];

	assert_int_equal(xvif_tap_create(&other, "xvif3.0", 1500, err, sizeof(err)), 0);
	toolstack_add(e);
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_string_equal(be_get(e, "error"),
			    "xvif3.0: interface xvif3.0 already exists: remove it or set another vifname");
	xvif_tap_destroy(&other);
}

static void two_vifs_independent(void **state)
{
	struct cp_env *e = *state;

	bring_up(e, 1);
	fake_xs_set(e->xs, "/local/domain/0/backend/vif/3/1/frontend", "/local/domain/3/device/vif/1");
	fake_xs_set(e->xs, "/local/domain/0/backend/vif/3/1/frontend-id", "3");
	fake_xs_set(e->xs, "/local/domain/0/backend/vif/3/1/online", "1");
	fake_xs_set(e->xs, "/local/domain/0/backend/vif/3/1/state", "1");
	fake_xs_set(e->xs, "/local/domain/3/device/vif/1/state", "1");
	pump(e);
	assert_int_equal(e->d.nvifs, 2);
	assert_string_equal(fake_xs_get(e->xs, "/local/domain/0/backend/vif/3/1/state"), "2");
	/* The second vif's guest misbehaves; the first stays connected. */
	fake_xs_set(e->xs, "/local/domain/3/device/vif/1/state", "zzz");
	pump(e);
	assert_string_equal(fake_xs_get(e->xs, "/local/domain/0/backend/vif/3/1/state"), "6");
	assert_string_equal(be_get(e, "state"), "4");
	assert_int_equal(fake_xs_dp.live, 1);
}

static void status_document(void **state)
{
	struct cp_env *e = *state;
	struct json_object *doc, *vifs, *v, *q, *o, *qs;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	bring_up(e, 2);
	doc = xvif_status_json(&e->d);
	assert_true(json_object_object_get_ex(doc, "vifs", &vifs));
	assert_int_equal(json_object_array_length(vifs), 1);
	v = json_object_array_get_idx(vifs, 0);
	assert_true(json_object_object_get_ex(v, "interface", &o));
	assert_string_equal(json_object_get_string(o), "xvif3.0");
	assert_true(json_object_object_get_ex(v, "state", &o));
	assert_string_equal(json_object_get_string(o), "Connected");
	assert_true(json_object_object_get_ex(v, "domid", &o));
	assert_int_equal(json_object_get_int(o), 3);
	assert_true(json_object_object_get_ex(v, "queues", &o));
	assert_int_equal(json_object_get_int(o), 2);
	assert_true(json_object_object_get_ex(v, "features", &o));
	assert_true(json_object_object_get_ex(o, "sg", &o));
	assert_true(json_object_get_boolean(o));
	assert_true(json_object_object_get_ex(v, "queue", &qs));
	q = json_object_array_get_idx(qs, 1);
	assert_true(json_object_object_get_ex(q, "counters", &o));
	assert_true(json_object_object_get_ex(o, "counter_0", &o));
	assert_int_equal(json_object_get_int(o), 1);
	assert_true(json_object_object_get_ex(q, "evtchn_rx", &o));
	assert_int_equal(json_object_get_int(o), 23);

	f = open_memstream(&text, &len);
	xvif_status_print_text(doc, f);
	fclose(f);
	assert_non_null(strstr(text, "xvif3.0  domid 3 devid 0  interface xvif3.0  state Connected"));
	assert_non_null(strstr(text, "queue 1: evtchn tx 22 rx 23"));
	assert_non_null(strstr(text, "features: sg gso_tcpv4"));
	free(text);
	json_object_put(doc);
}

static void status_socket_roundtrip(void **state)
{
	struct cp_env *e = *state;
	char path[64], out[64], err[256], buf[8192];
	struct pollfd pfd;
	int lfd, st = -1, i;
	ssize_t n;
	pid_t pid;
	FILE *f;

	bring_up(e, 1);
	snprintf(path, sizeof(path), "/tmp/xvif-cp-test-%d.sock", (int)getpid());
	snprintf(out, sizeof(out), "/tmp/xvif-cp-test-%d.json", (int)getpid());
	lfd = xvif_status_listen(path, err, sizeof(err));
	assert_true(lfd >= 0);
	/* A second daemon on the same socket is refused, naming why. */
	assert_int_equal(xvif_status_listen(path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "another xvif-netback is running"));

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *o = fopen(out, "w");

		_exit(o && xvif_status_client(path, true, o) == 0 && fclose(o) == 0 ? 0 : 1);
	}
	/* Serve until the client has its answer (the refused second listen
	 * left a probe connection in the backlog first). The poll timeout is
	 * a safety net against a hang, not a timing assertion. */
	for (i = 0; i < 8; i++) {
		pfd = (struct pollfd){ .fd = lfd, .events = POLLIN };
		if (poll(&pfd, 1, 10000) == 1)
			xvif_status_serve(&e->d, lfd);
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
	}
	if (i == 8) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		fail_msg("the status client got no answer");
	}
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	f = fopen(out, "r");
	assert_non_null(f);
	n = (ssize_t)fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "\"interface\": \"xvif3.0\""));
	assert_non_null(strstr(buf, "\"state\": \"Connected\""));
	/* What isolation tells the admin: each vif's worker uid, and how many
	 * workers were killed at their memory bound. */
	assert_non_null(strstr(buf, "\"worker_uid\": "));
	assert_non_null(strstr(buf, "\"workers_killed_at_memory_bound\": 0"));
	close(lfd);
	unlink(path);
	unlink(out);
	/* Nobody listening: the client says so and how to fix it. */
	assert_int_equal(xvif_status_client(path, false, stdout), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(new_device_initwait_advertised, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(connect_waits_for_hotplug, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(connect_hotplug_first, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(fe_num_queues_zero, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(fe_num_queues_above_max, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(fe_missing_ring_ref, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(fe_ring_ref_not_a_number, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(fe_value_too_long, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(bad_mac_fails_device, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(dp_start_failure, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(reconnect_after_frontend_closed, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(reconnect_after_error, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(online_zero_teardown, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(directory_removed_while_connected, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(domain_death, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(rate_live, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(xdp_reconfigure, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(broken_queue_closes, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(state_flapping_stepwise, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(flap_coalesced_reconnect, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(watch_flood_coalesced, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(frontend_path_hostile, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(vifname_used_for_tap, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(vifname_invalid_fails, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(tap_name_taken, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(two_vifs_independent, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(status_document, cp_env_setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(status_socket_roundtrip, cp_env_setup, cp_env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
