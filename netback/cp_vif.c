// SPDX-License-Identifier: GPL-2.0-only
/*
 * One vif's backend state machine. See cp_vif.h.
 *
 * Everything read from xenstore is hostile: the frontend directory belongs
 * to the guest, and even the toolstack's keys are parsed strictly through
 * common/xs_schema with bounded buffers. Nothing is acted on before it has
 * been copied and checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cp_vif.h"
#include "iso.h"
#include "mac.h"
#include "xenbus_states.h"

/* Bounded reads: every value goes through a buffer of this size. */
#define CP_VAL_MAX XVIF_XS_VALUE_MAX

/* Reconcile steps per call: a transition may enable the next one (Closed ->
 * InitWait on a reconnect, InitWait -> Connected), never more than a few. */
#define CP_RECONCILE_STEPS 4

/* ---- xenstore reading, relative to a directory ---- */

struct dir_reader {
	struct cp_xs *xs;
	const char *dir;
};

static int read_rel(void *ctx, const char *key, char *buf, unsigned int len)
{
	struct dir_reader *r = ctx;
	char path[CP_XS_PATH_MAX];

	if (cp_xs_join(path, r->dir, key) < 0)
		return XVIF_XS_MISSING;
	return cp_xs_read(r->xs, path, buf, len);
}

static int read_key(struct cp_vif *v, const char *dir, const char *key, char *buf, unsigned int len)
{
	struct dir_reader r = { .xs = v->d->xs, .dir = dir };

	return read_rel(&r, key, buf, len);
}

/* ---- the one writer of `state` ---- */

/*
 * Every write of our `state` key goes through here, and only moves the
 * backend state table (common/xenbus_states.c) allows are made:
 *
 *   Initialising --(TAP made, features advertised)--> InitWait
 *   InitWait --(frontend Initialised/Connected, hotplug-status=connected,
 *               keys valid, data path started)--> Connected
 *   InitWait --(frontend keys invalid / data path refused)--> Closed
 *   Connected --(frontend Closing, or a queue broke)--> Closing
 *   Connected --(frontend Reconfiguring: xdp-headroom re-read)--> Reconfigured
 *   Reconfigured --(frontend Connected again)--> Connected
 *   Connected/Closing --(frontend Closed or gone, online=0, domain dead)--> Closed
 *   Closed --(frontend Initialising again: restore, module reload)--> InitWait
 *   any --(online=0, domain dead, fatal setup error)--> Closed
 *
 * The write is made only while the backend directory still exists (one
 * transaction), so a directory the toolstack removed is never re-created.
 * Returns 0 if the state is now @to.
 */
static int set_state(struct cp_vif *v, unsigned int to)
{
	char val[4];
	int rc;

	if (v->state == to)
		return 0;
	if (!xvif_state_move_ok(XVIF_SIDE_BACKEND, v->state, to)) {
		xvif_log(XVIF_LOG_ERR, "%s: refusing state move %s -> %s (not in the backend table)", v->name,
			 xvif_state_name(v->state), xvif_state_name(to));
		return -1;
	}
	snprintf(val, sizeof(val), "%u", to);
	rc = cp_xs_write_in_dir(v->d->xs, v->be, "frontend-id", "state", val);
	if (rc < 0) {
		xvif_log(XVIF_LOG_ERR, "%s: cannot write state %s: %s", v->name, xvif_state_name(to), strerror(errno));
		return -1;
	}
	xvif_log(XVIF_LOG_INFO, "%s: %s -> %s%s", v->name, xvif_state_name(v->state), xvif_state_name(to),
		 rc == 1 ? " (backend directory gone, not written)" : "");
	v->state = to;
	return 0;
}

/* ---- errors the toolstack must see ---- */

/* Log @msg (prefixed with the vif name) and write it to the `error` node. */
static void report_error(struct cp_vif *v, const char *msg)
{
	snprintf(v->error, sizeof(v->error), "%s: %s", v->name, msg);
	xvif_log(XVIF_LOG_ERR, "%s", v->error);
	if (cp_xs_write_in_dir(v->d->xs, v->be, "frontend-id", "error", v->error) == 0)
		v->error_written = true;
}

static void clear_error(struct cp_vif *v)
{
	char path[CP_XS_PATH_MAX];

	v->error[0] = '\0';
	if (!v->error_written)
		return;
	if (cp_xs_join(path, v->be, "error") == 0)
		cp_xs_rm(v->d->xs, path);
	v->error_written = false;
}

/* ---- teardown ---- */

/*
 * Idempotent: stop the data path, carrier off, back to one TAP queue with no
 * offloads; with @keep_tap false also close queue 0, which removes the
 * interface. Writes nothing to xenstore.
 */
static void teardown(struct cp_vif *v, bool keep_tap)
{
	char err[CP_ERROR_MAX];

	if (v->dp) {
		bool starting = v->starting;

		/* A worker that has not answered yet is killed and reaped
		 * here, its uid freed: the start is abandoned. */
		xvif_iso_vif_stop(v->dp);
		v->dp = NULL;
		v->starting = false;
		xvif_log(XVIF_LOG_INFO, "%s: %s", v->name,
			 starting ? "worker start abandoned (killed before it answered)" : "data path stopped");
	}
	__atomic_store_n(&v->broken, 0, __ATOMIC_RELAXED);
	v->adopt = false;
	if (!keep_tap && !v->handed_over && v->tap.nfds == 0) {
		/* Not attached (yet): an earlier run's interface may be left. */
		if (cp_daemon_remove_recorded_tap(v->d, v->domid, v->devid) > 0)
			xvif_log(XVIF_LOG_INFO, "%s: interface left by an earlier run removed", v->name);
	}
	if (v->tap.nfds > 0) {
		xvif_tap_set_carrier(&v->tap, false);
		if (!keep_tap) {
			if (v->tap_persistent && xvif_tap_set_persist(&v->tap, false) < 0)
				xvif_log(XVIF_LOG_WARN, "%s: TAP %s: cannot clear persist: %s", v->name, v->ifname,
					 strerror(errno));
			xvif_tap_destroy(&v->tap);
			cp_record_remove(v->d, v->domid, v->devid);
			v->tap_persistent = false;
			xvif_log(XVIF_LOG_INFO, "%s: interface %s removed", v->name, v->ifname);
		} else {
			if (xvif_tap_set_queues(&v->tap, 1, err, sizeof(err)) < 0)
				xvif_log(XVIF_LOG_WARN, "%s: %s", v->name, err);
			xvif_tap_set_offload(&v->tap, 0);
		}
	}
}

/* Cannot be served at all (bad toolstack keys, no TAP): error, Closed, and
 * stay so until the toolstack removes the device. */
static void fail_vif(struct cp_vif *v, const char *msg)
{
	report_error(v, msg);
	teardown(v, false);
	v->failed = true;
	set_state(v, XenbusStateClosed);
}

/* ---- naming ---- */

int cp_vif_ifname(const struct xvif_tool_config *tool, uint32_t domid, uint32_t devid, char buf[16])
{
	if (tool->vifname[0]) {
		if (!xvif_ifname_valid(tool->vifname))
			return -1;
		snprintf(buf, 16, "%s", tool->vifname);
		return 0;
	}
	return xvif_default_ifname(domid, devid, buf, 16);
}

/* ---- setup: TAP and advertisement, up to InitWait ---- */

struct emit_ctx {
	struct cp_vif *v;
	int failed;
};

static void emit_key(void *ctx, const char *key, const char *value)
{
	struct emit_ctx *e = ctx;

	if (cp_xs_write_in_dir(e->v->d->xs, e->v->be, "frontend-id", key, value) != 0)
		e->failed = 1;
}

static int advertise(struct cp_vif *v)
{
	struct emit_ctx e = { .v = v };

	xvif_be_advertise(&v->d->caps, emit_key, &e);
	return e.failed ? -1 : 0;
}

/* Re-attach the persistent interface an earlier run of the daemon recorded
 * for this vif. 1 attached, 0 none to attach. */
static int attach_tap(struct cp_vif *v)
{
	char err[CP_ERROR_MAX], name[16];
	int ifindex;

	if (cp_record_read(v->d, v->domid, v->devid, name, &ifindex) < 0)
		return 0;
	if (xvif_tap_attach(&v->tap, name, ifindex, err, sizeof(err)) < 0) {
		xvif_log(XVIF_LOG_WARN, "%s: cannot re-attach the interface of an earlier run: %s", v->name, err);
		if (errno == ENODEV)
			cp_record_remove(v->d, v->domid, v->devid);
		return 0;
	}
	snprintf(v->ifname, sizeof(v->ifname), "%s", name);
	v->tap_persistent = true;
	xvif_log(XVIF_LOG_INFO, "%s: interface %s re-attached (left by an earlier run)", v->name, name);
	return 1;
}

/* Create the interface if it does not exist yet (or re-attach ours), make
 * it persistent and record it. */
static int make_tap(struct cp_vif *v)
{
	char err[CP_ERROR_MAX];

	if (v->tap.nfds > 0)
		return 0;
	if (attach_tap(v))
		return 0;
	if (cp_vif_ifname(&v->tool, v->domid, v->devid, v->ifname)) {
		fail_vif(v, "no valid interface name (vifname, or xvif<domid>.<devid> too long)");
		return -1;
	}
	if (xvif_tap_create(&v->tap, v->ifname, v->tool.mtu, err, sizeof(err)) < 0) {
		fail_vif(v, err);
		return -1;
	}
	/* Persistent and recorded, or not persistent at all: a persistent TAP
	 * nobody knows about would outlive us as a leak. */
	if (xvif_tap_set_persist(&v->tap, true) < 0) {
		xvif_log(XVIF_LOG_WARN, "%s: TAP %s: cannot make it persistent (%s): a daemon restart will remove it",
			 v->name, v->ifname, strerror(errno));
	} else if (cp_record_write(v->d, v->domid, v->devid, v->ifname, v->tap.ifindex) < 0) {
		xvif_log(XVIF_LOG_WARN, "%s: cannot record TAP %s in %s (%s): a daemon restart will remove it",
			 v->name, v->ifname, v->d->vif_dir, strerror(errno));
		xvif_tap_set_persist(&v->tap, false);
	} else {
		v->tap_persistent = true;
	}
	xvif_log(XVIF_LOG_INFO, "%s: interface %s created (mtu %u)", v->name, v->ifname, v->tool.mtu);
	return 0;
}

/* TAP, features, InitWait. */
static int setup(struct cp_vif *v)
{
	if (make_tap(v) < 0)
		return -1;
	if (advertise(v) < 0) {
		fail_vif(v, "cannot write the feature keys to the backend directory");
		return -1;
	}
	return set_state(v, XenbusStateInitWait);
}

/* ---- connect: frontend keys, TAP queues, data path, Connected ---- */

static unsigned int tap_offloads(const struct xvif_fe_config *fe)
{
	unsigned int off = 0;

	/* What the guest accepts on its RX side is what the TAP may hand us. */
	if (!fe->no_csum_offload) {
		off |= XVIF_TAP_OFF_CSUM;
		if (fe->gso_tcpv4)
			off |= XVIF_TAP_OFF_TSO4;
		if (fe->gso_tcpv6 && fe->ipv6_csum)
			off |= XVIF_TAP_OFF_TSO6;
	}
	return off;
}

static void connect_failed(struct cp_vif *v, const char *msg)
{
	report_error(v, msg);
	teardown(v, true);
	set_state(v, XenbusStateClosed);
}

/* The worker answered STARTED (at once in mode none): carrier on, and
 * Connected (already so for an adopted vif). */
static void connect_done(struct cp_vif *v)
{
	xvif_tap_set_carrier(&v->tap, true);
	clear_error(v);
	if (set_state(v, XenbusStateConnected) < 0) {
		teardown(v, true);
		return;
	}
	v->connects++;
	if (v->start_adopt)
		v->d->adopted++;
	xvif_log(XVIF_LOG_INFO, "%s: %s: %u queue%s on %s%s%s%s%s%s%s", v->name,
		 v->start_adopt ? "adopted (frontend kept its connection)" : "connected", v->fe_cfg.num_queues,
		 v->fe_cfg.num_queues == 1 ? "" : "s", v->ifname, v->fe_cfg.sg ? " sg" : "",
		 v->fe_cfg.gso_tcpv4 ? " gso-tcpv4" : "", v->fe_cfg.gso_tcpv6 ? " gso-tcpv6" : "",
		 v->fe_cfg.queue[0].split ? " split-evtchn" : "", v->fe_cfg.ctrl_ring ? " ctrl-ring" : "",
		 v->fe_cfg.multicast_control ? " mcast-ctrl" : "");
}

bool cp_vif_handle_start(struct cp_vif *v)
{
	char msg[CP_ERROR_MAX], err[CP_ERROR_MAX];
	int rc;

	if (!v->starting || !v->dp)
		return false;
	err[0] = '\0';
	rc = xvif_iso_vif_start_result(v->dp, err, sizeof(err));
	if (rc == 1)
		return false;
	v->starting = false;
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "data path: %s", err[0] ? err : strerror(-rc));
		connect_failed(v, msg);
		return true;
	}
	connect_done(v);
	return true;
}

void cp_vif_start_cb(void *arg)
{
	struct cp_vif *v = arg;
	uint64_t one = 1;

	if (write(v->d->broken_efd, &one, sizeof(one)) < 0) {
		/* cannot overflow in practice; cp_daemon_handle_broken looks
		 * at every starting vif on any wake-up */
	}
}

/* Start the data path: its worker is spawned and sent its config, and the
 * loop goes on; cp_vif_handle_start finishes when the worker answers. */
static void connect(struct cp_vif *v)
{
	struct dir_reader r = { .xs = v->d->xs, .dir = v->fe };
	struct xvif_dp_vif_cfg cfg;
	struct xvif_xs_err xerr;
	char msg[CP_ERROR_MAX], err[CP_ERROR_MAX];
	unsigned int q;
	int rc;

	if (xvif_fe_config_parse(read_rel, &r, &v->d->caps, &v->fe_cfg, &xerr)) {
		xvif_xs_err_format(&xerr, msg, sizeof(msg));
		connect_failed(v, msg);
		return;
	}
	if (xvif_tap_set_queues(&v->tap, v->fe_cfg.num_queues, err, sizeof(err)) < 0) {
		connect_failed(v, err);
		return;
	}
	if (xvif_tap_set_offload(&v->tap, tap_offloads(&v->fe_cfg)) < 0)
		xvif_log(XVIF_LOG_WARN, "%s: cannot set TAP offloads: %s", v->name, strerror(errno));

	memset(&cfg, 0, sizeof(cfg));
	cfg.domid = (uint16_t)v->domid;
	cfg.devid = v->devid;
	cfg.name = v->name;
	cfg.fe = v->fe_cfg;
	cfg.mtu = v->tool.mtu;
	cfg.have_rate = v->tool.have_rate;
	cfg.rate_bytes = v->tool.rate_bytes;
	cfg.rate_usec = v->tool.rate_usec;
	memcpy(cfg.guest_mac, v->tool.mac, sizeof(cfg.guest_mac));
	for (q = 0; q < XVIF_MAX_QUEUES; q++)
		cfg.tap_fd[q] = q < v->tap.nfds ? v->tap.fd[q] : -1;
	cfg.on_broken = cp_vif_broken_cb;
	cfg.on_broken_arg = v;
	cfg.adopt = v->adopt;
	err[0] = '\0';
	__atomic_store_n(&v->broken, 0, __ATOMIC_RELAXED);
	rc = xvif_iso_vif_start_async(&cfg, cp_vif_start_cb, v, &v->dp, err, sizeof(err));
	v->adopt = false;
	if (rc < 0 || !v->dp) {
		v->dp = NULL;
		snprintf(msg, sizeof(msg), "data path: %s", err[0] ? err : strerror(-rc));
		connect_failed(v, msg);
		return;
	}
	v->start_adopt = cfg.adopt;
	v->starting = true;
	if (!cp_vif_handle_start(v))
		xvif_log(XVIF_LOG_INFO, "%s: worker %d starting%s", v->name, (int)xvif_iso_vif_pid(v->dp),
			 cfg.adopt ? " (adopting; not served until it answers)" : "");
}

/* ---- reading the current picture ---- */

/* The toolstack's keys. First read: errors fail the vif. Later: a bad value
 * is logged and the applied one kept; only `rate` and `online` are live. */
static int refresh_tool(struct cp_vif *v)
{
	struct dir_reader r = { .xs = v->d->xs, .dir = v->be };
	struct xvif_tool_config t;
	struct xvif_xs_err xerr;
	char msg[CP_ERROR_MAX];

	if (xvif_tool_config_parse(read_rel, &r, &t, &xerr)) {
		xvif_xs_err_format(&xerr, msg, sizeof(msg));
		if (!v->have_tool) {
			fail_vif(v, msg);
			return -1;
		}
		xvif_log_ratelimited(&v->rl, XVIF_LOG_WARN, "%s: ignoring toolstack change: %s", v->name, msg);
		return 0;
	}
	if (t.frontend_id != v->domid) {
		snprintf(msg, sizeof(msg), "frontend-id=%u: must be the domain in the backend path (%u)",
			 t.frontend_id, v->domid);
		if (!v->have_tool) {
			fail_vif(v, msg);
			return -1;
		}
		xvif_log_ratelimited(&v->rl, XVIF_LOG_WARN, "%s: ignoring toolstack change: %s", v->name, msg);
		return 0;
	}
	if (!v->have_tool) {
		v->tool = t;
		v->have_tool = true;
		return 0;
	}
	if (t.have_rate != v->tool.have_rate || t.rate_bytes != v->tool.rate_bytes ||
	    t.rate_usec != v->tool.rate_usec) {
		v->tool.have_rate = t.have_rate;
		v->tool.rate_bytes = t.rate_bytes;
		v->tool.rate_usec = t.rate_usec;
		if (t.have_rate)
			xvif_log(XVIF_LOG_INFO, "%s: rate %llu bytes per %llu us", v->name,
				 (unsigned long long)t.rate_bytes, (unsigned long long)t.rate_usec);
		else
			xvif_log(XVIF_LOG_INFO, "%s: rate unlimited", v->name);
		/* A starting worker takes it after its answer (the socket
		 * keeps the order). */
		if (v->dp)
			xvif_iso_vif_set_rate(v->dp, t.have_rate, t.rate_bytes, t.rate_usec);
	}
	v->tool.online = t.online;
	return 0;
}

/* Read and check `frontend`, then watch its state. */
static int find_frontend(struct cp_vif *v)
{
	char val[CP_VAL_MAX], want[CP_XS_PATH_MAX], path[CP_XS_PATH_MAX], msg[CP_ERROR_MAX];
	int n;

	if (v->fe[0])
		return 0;
	n = read_key(v, v->be, "frontend", val, sizeof(val));
	snprintf(want, sizeof(want), "/local/domain/%u/device/vif/%u", v->domid, v->devid);
	if (n < 0 || strcmp(val, want) != 0) {
		snprintf(msg, sizeof(msg), "frontend%s%.60s: must be %.100s", n < 0 ? "" : "=", n < 0 ? "" : val,
			 want);
		fail_vif(v, msg);
		return -1;
	}
	snprintf(v->fe, sizeof(v->fe), "%s", val);
	cp_xs_join(path, v->fe, "state");
	snprintf(v->fe_token, sizeof(v->fe_token), CP_TOKEN_FE_PREFIX "%u:%u", v->domid, v->devid);
	if (cp_xs_watch(v->d->xs, path, v->fe_token) < 0) {
		snprintf(msg, sizeof(msg), "cannot watch %s: %s", path, strerror(errno));
		fail_vif(v, msg);
		return -1;
	}
	v->fe_watched = true;
	return 0;
}

/* The frontend's state; a missing or malformed one reads as Unknown, which
 * is handled as "gone". */
static unsigned int read_fe_state(struct cp_vif *v)
{
	char val[CP_VAL_MAX];
	unsigned int s;
	int n = read_key(v, v->fe, "state", val, sizeof(val));

	if (n == XVIF_XS_MISSING)
		return XenbusStateUnknown;
	if (n < 0 || xvif_state_parse(val, &s)) {
		xvif_log_ratelimited(&v->rl, XVIF_LOG_WARN, "%s: frontend state=%.20s%s: not a state, treated as gone",
				     v->name, n < 0 ? "" : val, n < 0 ? "(too long)" : "");
		return XenbusStateUnknown;
	}
	return s;
}

static bool dir_exists(struct cp_vif *v)
{
	char val[CP_VAL_MAX];

	/* libxl writes frontend-id with the directory and removes both together. */
	return read_key(v, v->be, "frontend-id", val, sizeof(val)) != XVIF_XS_MISSING;
}

/* ---- the state machine ---- */

static bool fe_ready(unsigned int s)
{
	return s == XenbusStateInitialised || s == XenbusStateConnected;
}

static bool fe_gone(unsigned int s)
{
	return s == XenbusStateClosed || s == XenbusStateUnknown || !xvif_state_known(s);
}

/*
 * Linux netfront (5.9+) attaching or detaching an XDP program writes
 * xdp-headroom, moves to Reconfiguring and waits (holding rtnl) for our
 * Reconfigured; then it goes back to Connected. A bad value is the guest's
 * error: log it (rate-limited), keep the headroom we had, still answer.
 */
static void reconfigure(struct cp_vif *v)
{
	char val[CP_VAL_MAX];
	uint64_t h = 0;
	int n = read_key(v, v->fe, "xdp-headroom", val, sizeof(val));

	if (n != XVIF_XS_MISSING && (n < 0 || xvif_parse_uint(val, XVIF_XDP_HEADROOM_MAX, &h) < 0)) {
		xvif_log_ratelimited(&v->rl, XVIF_LOG_WARN, "%s: xdp-headroom=%.40s: must be 0..%u; keeping %u",
				     v->name, n < 0 ? "(unreadable)" : val, XVIF_XDP_HEADROOM_MAX,
				     (unsigned int)v->fe_cfg.xdp_headroom);
		h = v->fe_cfg.xdp_headroom;
	}
	v->fe_cfg.xdp_headroom = (uint16_t)h;
	if (v->dp)
		xvif_iso_vif_set_xdp_headroom(v->dp, (uint16_t)h);
	set_state(v, XenbusStateReconfigured);
}

/* One transition if the inputs call for one. true: something moved. */
static bool step(struct cp_vif *v)
{
	unsigned int fe = v->fe_state, before = v->state;

	/* Found in a live state from an earlier run: its TAP first (the
	 * persistent one re-attached; made anew if it is gone). */
	if (v->tap.nfds == 0 && (v->state == XenbusStateInitWait || v->adopt) && make_tap(v) < 0)
		return false;
	switch (v->state) {
	case XenbusStateUnknown:
	case XenbusStateInitialising:
		setup(v);
		break;
	case XenbusStateInitWait:
		if (v->starting) {
			/* Connected only once the worker answered. */
			if (fe_ready(fe))
				break;
			teardown(v, true); /* the frontend moved away meanwhile */
		}
		if (fe_ready(fe)) {
			if (strcmp(v->hotplug, "connected") == 0)
				connect(v);
		} else if (fe == XenbusStateClosing) {
			set_state(v, XenbusStateClosing);
		} else if (fe_gone(fe)) {
			set_state(v, XenbusStateClosed);
		}
		break;
	case XenbusStateConnected:
	case XenbusStateReconfigured:
		/* Adopting: not served until its worker answered; a
		 * Reconfiguring frontend is answered after that. */
		if (v->starting && (fe_ready(fe) || fe == XenbusStateReconfiguring))
			break;
		if (v->adopt && !v->dp && (fe_ready(fe) || fe == XenbusStateReconfiguring)) {
			/* Both ends were Connected: map the rings again from
			 * the frontend's keys, the guest never reconnects. */
			connect(v);
			break;
		}
		if (fe == XenbusStateReconfiguring) {
			if (v->state == XenbusStateConnected)
				reconfigure(v);
			break;
		}
		if (fe_ready(fe)) {
			if (v->state == XenbusStateReconfigured)
				set_state(v, XenbusStateConnected);
			break;
		}
		teardown(v, true);
		/* A frontend back at Initialising missed its Closed (coalesced
		 * or skipped): close first, the next step serves it again. */
		set_state(v, fe == XenbusStateClosing ? XenbusStateClosing : XenbusStateClosed);
		break;
	case XenbusStateClosing:
		if (fe_gone(fe) || fe == XenbusStateInitialising)
			set_state(v, XenbusStateClosed);
		break;
	case XenbusStateClosed:
		if (fe != XenbusStateInitialising)
			break;
		/* Reconnect (xl restore, module reload): features again, InitWait. */
		if (make_tap(v) < 0)
			break;
		if (advertise(v) < 0) {
			fail_vif(v, "cannot write the feature keys to the backend directory");
			break;
		}
		set_state(v, XenbusStateInitWait);
		break;
	default:
		/* Initialised, Reconfiguring: never ours. */
		teardown(v, true);
		set_state(v, XenbusStateClosed);
		break;
	}
	return v->state != before;
}

enum cp_vif_result cp_vif_reconcile(struct cp_vif *v)
{
	int i, n;

	v->d->stats.reconciles++;
	if (!dir_exists(v)) {
		teardown(v, false);
		xvif_log(XVIF_LOG_INFO, "%s: backend directory removed", v->name);
		return CP_VIF_GONE;
	}
	if (v->dead) {
		teardown(v, false);
		set_state(v, XenbusStateClosed);
		return CP_VIF_KEEP;
	}
	if (v->failed)
		return CP_VIF_KEEP;
	if (refresh_tool(v) < 0)
		return CP_VIF_KEEP;
	if (!v->tool.online) {
		teardown(v, false);
		set_state(v, XenbusStateClosed);
		return CP_VIF_KEEP;
	}
	if (find_frontend(v) < 0)
		return CP_VIF_KEEP;
	n = read_key(v, v->be, "hotplug-status", v->hotplug, sizeof(v->hotplug));
	if (n < 0)
		v->hotplug[0] = '\0';
	if (strcmp(v->hotplug, "error") == 0)
		xvif_log_ratelimited(&v->rl, XVIF_LOG_WARN, "%s: the hotplug script failed (hotplug-status=error)",
				     v->name);
	v->fe_state = read_fe_state(v);
	for (i = 0; i < CP_RECONCILE_STEPS && !v->failed; i++)
		if (!step(v))
			break;
	return CP_VIF_KEEP;
}

/* ---- lifetime ---- */

struct cp_vif *cp_vif_new(struct cp_daemon *d, uint32_t domid, uint32_t devid)
{
	struct cp_vif *v = calloc(1, sizeof(*v));
	char val[CP_VAL_MAX], ids[24];
	unsigned int s, q;

	if (!v)
		return NULL;
	v->d = d;
	v->domid = domid;
	v->devid = devid;
	snprintf(v->name, sizeof(v->name), "xvif%u.%u", domid, devid);
	snprintf(ids, sizeof(ids), "%u/%u", domid, devid);
	cp_xs_join(v->be, d->be_root, ids);
	for (q = 0; q < XVIF_MAX_QUEUES; q++)
		v->tap.fd[q] = -1;
	v->rl.interval_ms = XVIF_RATELIMIT_INTERVAL_MS;
	v->rl.burst = XVIF_RATELIMIT_BURST;
	v->state = XenbusStateInitialising;
	/*
	 * A device an earlier run of the daemon served (restart, upgrade,
	 * crash). Its TAP persists (recorded in d->vif_dir); its rings and
	 * event channels went with that process.
	 *   Connected/Reconfigured: adopt it once the frontend reads Connected
	 *     (rings mapped again from its keys, see step());
	 *   InitWait: carry on with the handshake (libxl may be waiting for
	 *     the hotplug script or for Connected);
	 *   Initialising: setup() runs as for a new device;
	 *   Closing (and anything else): Closed, as a fresh daemon would.
	 */
	if (read_key(v, v->be, "state", val, sizeof(val)) >= 0 && xvif_state_parse(val, &s) == 0 &&
	    s != XenbusStateInitialising && s != XenbusStateUnknown) {
		v->state = s;
		if (s == XenbusStateConnected || s == XenbusStateReconfigured) {
			v->adopt = true;
			xvif_log(XVIF_LOG_INFO, "%s: found %s from an earlier run: adopting it", v->name,
				 xvif_state_name(s));
		} else if (s == XenbusStateInitWait) {
			xvif_log(XVIF_LOG_INFO, "%s: found in InitWait from an earlier run: continuing the handshake",
				 v->name);
		} else if (s != XenbusStateClosed) {
			xvif_log(XVIF_LOG_INFO, "%s: found in state %s from an earlier run: closing it", v->name,
				 xvif_state_name(s));
			set_state(v, XenbusStateClosed);
		}
	}
	xvif_log(XVIF_LOG_INFO, "%s: new device %s", v->name, v->be);
	return v;
}

void cp_vif_shutdown(struct cp_vif *v)
{
	teardown(v, false);
	if (dir_exists(v) && v->state != XenbusStateClosed)
		set_state(v, XenbusStateClosed);
}

void cp_vif_handover(struct cp_vif *v)
{
	if (v->dp) {
		xvif_iso_vif_stop(v->dp); /* a starting worker: killed and reaped */
		v->dp = NULL;
		v->starting = false;
	}
	if (v->tap.nfds > 0) {
		if (!v->tap_persistent)
			xvif_log(XVIF_LOG_WARN, "%s: interface %s is not persistent: it goes away with this daemon",
				 v->name, v->ifname);
		xvif_tap_destroy(&v->tap); /* a persistent one is only detached */
	}
	v->handed_over = true;
	xvif_log(XVIF_LOG_DEBUG, "%s: handed over in state %s", v->name, xvif_state_name(v->state));
}

void cp_vif_free(struct cp_vif *v)
{
	char path[CP_XS_PATH_MAX];

	if (v->fe_watched) {
		cp_xs_join(path, v->fe, "state");
		cp_xs_unwatch(v->d->xs, path, v->fe_token);
	}
	teardown(v, false);
	free(v);
}

/* ---- broken queues ---- */

void cp_vif_broken_cb(void *arg, unsigned int queue, const char *why)
{
	struct cp_vif *v = arg;
	uint64_t one = 1;

	(void)queue;
	(void)why; /* kept by the data path: read back with xvif_iso_vif_queue_status() */
	__atomic_store_n(&v->broken, 1, __ATOMIC_RELEASE);
	if (write(v->d->broken_efd, &one, sizeof(one)) < 0) {
		/* The eventfd counter cannot overflow in practice; a failed
		 * write still leaves the flag for the next wake-up. */
	}
}

void cp_vif_handle_broken(struct cp_vif *v)
{
	struct xvif_dp_queue_status st;
	char msg[CP_ERROR_MAX] = "a queue broke";
	unsigned int q, n;

	/* A starting vif keeps its flag: the worker can die or misbehave
	 * right after its STARTED, and cp_daemon_handle_broken finishes the
	 * start first, then comes here. */
	if (!v->dp || v->starting || !__atomic_exchange_n(&v->broken, 0, __ATOMIC_ACQUIRE))
		return;
	n = xvif_iso_vif_num_queues(v->dp);
	for (q = 0; q < n; q++) {
		if (xvif_iso_vif_queue_status(v->dp, q, &st) == 0 && st.broken) {
			st.broken_why[sizeof(st.broken_why) - 1] = '\0';
			snprintf(msg, sizeof(msg), "queue-%u broken: %s", q, st.broken_why);
			break;
		}
	}
	report_error(v, msg);
	teardown(v, true);
	set_state(v, XenbusStateClosing);
}
