// SPDX-License-Identifier: GPL-2.0-only
/* The status document, its socket, and the client. See status.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cp_vif.h"
#include "iso.h"
#include "mac.h"
#include "status.h"
#include "xenbus_states.h"

/* How long a status client may take to read its document before the
 * daemon drops it: the event loop waits at most this long. */
#define STATUS_SEND_TIMEOUT_MS 500

/* ---- the document ---- */

static void add_bool(struct json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static void add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static struct json_object *features_json(const struct xvif_fe_config *fe)
{
	struct json_object *f = json_object_new_object();

	add_bool(f, "sg", fe->sg);
	add_bool(f, "gso_tcpv4", fe->gso_tcpv4);
	add_bool(f, "gso_tcpv6", fe->gso_tcpv6);
	add_bool(f, "ipv6_csum_offload", fe->ipv6_csum);
	add_bool(f, "no_csum_offload", fe->no_csum_offload);
	add_bool(f, "rx_notify", fe->rx_notify);
	add_bool(f, "split_event_channels", fe->queue[0].split);
	add_bool(f, "ctrl_ring", fe->ctrl_ring);
	add_bool(f, "multicast_control", fe->multicast_control);
	add_u64(f, "xdp_headroom", fe->xdp_headroom);
	return f;
}

static struct json_object *queue_json(const struct cp_vif *v, unsigned int q)
{
	struct json_object *o = json_object_new_object(), *c, *td, *rd;
	struct xvif_dp_queue_status st;
	struct xvif_dp_counters k;
	unsigned int i;

	add_u64(o, "index", q);
	add_u64(o, "tx_ring_ref", v->fe_cfg.queue[q].tx_ring_ref);
	add_u64(o, "rx_ring_ref", v->fe_cfg.queue[q].rx_ring_ref);
	add_u64(o, "evtchn_tx", v->fe_cfg.queue[q].evtchn_tx);
	add_u64(o, "evtchn_rx", v->fe_cfg.queue[q].evtchn_rx);
	memset(&st, 0, sizeof(st));
	if (xvif_iso_vif_queue_status(v->dp, q, &st) < 0) {
		add_str(o, "status_error", "the data path has no status for this queue");
		return o;
	}
	st.broken_why[sizeof(st.broken_why) - 1] = '\0';
	add_bool(o, "broken", st.broken);
	add_str(o, "broken_why", st.broken_why);
	add_u64(o, "local_port_tx", st.local_port_tx);
	add_u64(o, "local_port_rx", st.local_port_rx);
	add_u64(o, "tx_ring_free", st.tx_ring_free);
	add_u64(o, "rx_ring_free", st.rx_ring_free);
	add_u64(o, "rx_queued_bytes", st.rx_queued_bytes);
	xvif_dp_counters_snapshot(&st.counters, &k);
	c = json_object_new_object();
	for (i = 0; i < XVIF_DPC_NR; i++)
		add_u64(c, xvif_dp_counter_name((enum xvif_dp_counter)i), k.c[i]);
	json_object_object_add(o, "counters", c);
	td = json_object_new_object();
	for (i = 1; i < XVIF_TXR_NR; i++)
		add_u64(td, xvif_tx_reason_name((enum xvif_tx_reason)i), k.tx_drop[i]);
	json_object_object_add(o, "tx_drops", td);
	rd = json_object_new_object();
	for (i = 1; i < XVIF_RXR_NR; i++)
		add_u64(rd, xvif_rx_reason_name((enum xvif_rx_reason)i), k.rx_drop[i]);
	json_object_object_add(o, "rx_drops", rd);
	return o;
}

static struct json_object *vif_json(const struct cp_vif *v)
{
	struct json_object *o = json_object_new_object(), *qs;
	char mac[XVIF_MAC_STRLEN];
	unsigned int q, n;

	add_str(o, "name", v->name);
	add_u64(o, "domid", v->domid);
	add_u64(o, "devid", v->devid);
	add_str(o, "interface", v->tap.nfds ? v->ifname : "");
	add_str(o, "state", xvif_state_name(v->state));
	add_str(o, "frontend_state", xvif_state_name(v->fe_state));
	add_str(o, "hotplug_status", v->hotplug);
	add_str(o, "backend", v->be);
	add_str(o, "frontend", v->fe);
	if (v->have_tool) {
		if (v->tool.have_mac) {
			xvif_mac_format(v->tool.mac, mac);
			add_str(o, "mac", mac);
		}
		add_u64(o, "mtu", v->tool.mtu);
		if (v->tool.have_rate) {
			add_u64(o, "rate_bytes", v->tool.rate_bytes);
			add_u64(o, "rate_usec", v->tool.rate_usec);
		}
	}
	add_str(o, "error", v->error);
	add_u64(o, "connects", v->connects);
	add_u64(o, "worker_pid", v->dp ? (uint64_t)xvif_iso_vif_pid(v->dp) : 0);
	add_u64(o, "worker_uid", v->dp ? (uint64_t)xvif_iso_vif_uid(v->dp) : 0);
	/* Its worker has not answered yet: not served, no queue status. */
	add_bool(o, "starting", v->starting);
	n = v->dp && !v->starting ? xvif_iso_vif_num_queues(v->dp) : 0;
	add_u64(o, "queues", n);
	if (v->dp && !v->starting)
		json_object_object_add(o, "features", features_json(&v->fe_cfg));
	qs = json_object_new_array();
	for (q = 0; q < n && q < XVIF_MAX_QUEUES; q++)
		json_object_array_add(qs, queue_json(v, q));
	json_object_object_add(o, "queue", qs);
	return o;
}

struct json_object *xvif_status_json(struct cp_daemon *d)
{
	struct json_object *doc = json_object_new_object(), *vifs, *caps;
	const struct cp_vif *v;
	struct xvif_iso_stats iso;

	add_str(doc, "version", XVIF_VERSION);
	add_u64(doc, "pid", (uint64_t)getpid());
	add_str(doc, "backend_root", d->be_root);
	caps = json_object_new_object();
	add_u64(caps, "multi_queue_max_queues", d->caps.max_queues);
	json_object_object_add(doc, "advertised", caps);
	add_u64(doc, "watch_events", d->stats.events);
	add_u64(doc, "reconciles", d->stats.reconciles);
	add_u64(doc, "vifs_adopted", d->adopted);
	add_u64(doc, "orphan_interfaces_removed", d->orphans_removed);
	xvif_iso_stats(&iso);
	add_str(doc, "isolation", xvif_iso_mode_name(xvif_iso_get_mode()));
	add_u64(doc, "workers_spawned", iso.spawned);
	add_u64(doc, "workers_died", iso.died);
	add_u64(doc, "worker_bad_reports", iso.bad_reports);
	add_u64(doc, "workers_killed_at_stop", iso.killed);
	add_u64(doc, "workers_killed_at_memory_bound", iso.mem_bound);
	vifs = json_object_new_array();
	for (v = d->vifs; v; v = v->next)
		json_object_array_add(vifs, vif_json(v));
	json_object_object_add(doc, "vifs", vifs);
	return doc;
}

/* ---- server ---- */

static int fill_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -1;
	strcpy(sa->sun_path, path);
	return 0;
}

int xvif_status_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	int fd, probe;

	if (fill_addr(&sa, path) < 0) {
		snprintf(err, errlen, "status socket path too long (max %zu bytes): %s", sizeof(sa.sun_path) - 1, path);
		return -1;
	}
	/* A socket that answers belongs to a running daemon: never steal it. */
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0) {
		int rc = connect(probe, (struct sockaddr *)&sa, sizeof(sa));

		close(probe);
		if (rc == 0) {
			snprintf(err, errlen,
				 "another xvif-netback is running (%s answers): stop it first, or use --socket", path);
			return -1;
		}
	}
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0600) < 0 || listen(fd, 8) < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void xvif_status_serve(struct cp_daemon *d, int lfd)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = STATUS_SEND_TIMEOUT_MS * 1000 };
	struct json_object *doc;
	const char *s;
	size_t len, off = 0;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	doc = xvif_status_json(d);
	s = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	len = strlen(s);
	while (off < len) {
		ssize_t n = send(fd, s + off, len - off, MSG_NOSIGNAL);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		off += (size_t)n;
	}
	json_object_put(doc);
	close(fd);
}

/* ---- client ---- */

static uint64_t get_u64(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_uint64(v) : 0;
}

static const char *get_str(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) : "";
}

static void print_flags(struct json_object *obj, FILE *out)
{
	bool any = false;

	json_object_object_foreach(obj, key, val) {
		if (json_object_get_type(val) == json_type_boolean && json_object_get_boolean(val)) {
			fprintf(out, " %s", key);
			any = true;
		}
	}
	if (!any)
		fprintf(out, " none");
}

/* "name value" pairs; @nonzero: only those with a value. */
static void print_counters(struct json_object *obj, bool nonzero, FILE *out)
{
	unsigned int col = 0;
	bool any = false;

	json_object_object_foreach(obj, key, val) {
		uint64_t n = json_object_get_uint64(val);

		if (nonzero && n == 0)
			continue;
		if (col == 0)
			fprintf(out, "     ");
		fprintf(out, " %s=%" PRIu64, key, n);
		any = true;
		if (++col == 4) {
			fprintf(out, "\n");
			col = 0;
		}
	}
	if (col)
		fprintf(out, "\n");
	if (!any)
		fprintf(out, "      none\n");
}

void xvif_status_print_text(struct json_object *doc, FILE *out)
{
	struct json_object *vifs, *o;
	size_t i, j, n;

	json_object_object_get_ex(doc, "vifs", &vifs);
	n = vifs ? json_object_array_length(vifs) : 0;
	fprintf(out, "xvif-netback %s (pid %" PRIu64 "): %zu vif%s, multi-queue-max-queues %" PRIu64 "\n",
		get_str(doc, "version"), get_u64(doc, "pid"), n, n == 1 ? "" : "s",
		json_object_object_get_ex(doc, "advertised", &o) ? get_u64(o, "multi_queue_max_queues") : 0);
	if (get_u64(doc, "vifs_adopted") || get_u64(doc, "orphan_interfaces_removed"))
		fprintf(out, "from an earlier run: %" PRIu64 " vif%s adopted, %" PRIu64 " orphan interface%s removed\n",
			get_u64(doc, "vifs_adopted"), get_u64(doc, "vifs_adopted") == 1 ? "" : "s",
			get_u64(doc, "orphan_interfaces_removed"), get_u64(doc, "orphan_interfaces_removed") == 1 ? "" : "s");
	if (get_str(doc, "isolation")[0])
		fprintf(out, "isolation %s: workers spawned %" PRIu64 ", died %" PRIu64 ", bad reports %" PRIu64
			     ", killed at stop %" PRIu64 ", killed at their memory bound %" PRIu64 "\n",
			get_str(doc, "isolation"), get_u64(doc, "workers_spawned"), get_u64(doc, "workers_died"),
			get_u64(doc, "worker_bad_reports"), get_u64(doc, "workers_killed_at_stop"),
			get_u64(doc, "workers_killed_at_memory_bound"));
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(vifs, i), *qs, *f;
		const char *err = get_str(v, "error");

		fprintf(out, "\n%s  domid %" PRIu64 " devid %" PRIu64 "  interface %s  state %s  frontend %s  hotplug %s\n",
			get_str(v, "name"), get_u64(v, "domid"), get_u64(v, "devid"),
			get_str(v, "interface")[0] ? get_str(v, "interface") : "(none)", get_str(v, "state"),
			get_str(v, "frontend_state"), get_str(v, "hotplug_status")[0] ? get_str(v, "hotplug_status") : "-");
		fprintf(out, "  mac %s  mtu %" PRIu64, get_str(v, "mac")[0] ? get_str(v, "mac") : "-", get_u64(v, "mtu"));
		if (json_object_object_get_ex(v, "rate_bytes", &o))
			fprintf(out, "  rate %" PRIu64 " bytes/%" PRIu64 " us", get_u64(v, "rate_bytes"),
				get_u64(v, "rate_usec"));
		else
			fprintf(out, "  rate unlimited");
		fprintf(out, "  queues %" PRIu64 "  connects %" PRIu64, get_u64(v, "queues"), get_u64(v, "connects"));
		if (get_u64(v, "worker_pid"))
			fprintf(out, "  worker pid %" PRIu64 " uid %" PRIu64, get_u64(v, "worker_pid"),
				get_u64(v, "worker_uid"));
		if (json_object_object_get_ex(v, "starting", &o) && json_object_get_boolean(o))
			fprintf(out, "  STARTING (worker has not answered yet)");
		fprintf(out, "\n");
		if (json_object_object_get_ex(v, "features", &f)) {
			fprintf(out, "  features:");
			print_flags(f, out);
			if (get_u64(f, "xdp_headroom"))
				fprintf(out, " xdp_headroom=%" PRIu64, get_u64(f, "xdp_headroom"));
			fprintf(out, "\n");
		}
		if (err[0])
			fprintf(out, "  error: %s\n", err);
		if (!json_object_object_get_ex(v, "queue", &qs))
			continue;
		for (j = 0; j < json_object_array_length(qs); j++) {
			struct json_object *q = json_object_array_get_idx(qs, j), *c;

			fprintf(out, "  queue %" PRIu64 ": evtchn tx %" PRIu64 " rx %" PRIu64
				     "  ring free tx %" PRIu64 " rx %" PRIu64 "  rx queued %" PRIu64 " bytes%s%s\n",
				get_u64(q, "index"), get_u64(q, "evtchn_tx"), get_u64(q, "evtchn_rx"),
				get_u64(q, "tx_ring_free"), get_u64(q, "rx_ring_free"), get_u64(q, "rx_queued_bytes"),
				json_object_object_get_ex(q, "broken", &c) && json_object_get_boolean(c) ? "  BROKEN: " : "",
				json_object_object_get_ex(q, "broken", &c) && json_object_get_boolean(c) ? get_str(q, "broken_why") : "");
			if (json_object_object_get_ex(q, "counters", &c)) {
				fprintf(out, "    counters:\n");
				print_counters(c, false, out);
			}
			if (json_object_object_get_ex(q, "tx_drops", &c)) {
				fprintf(out, "    tx drops:\n");
				print_counters(c, true, out);
			}
			if (json_object_object_get_ex(q, "rx_drops", &c)) {
				fprintf(out, "    rx drops:\n");
				print_counters(c, true, out);
			}
		}
	}
}

int xvif_status_client(const char *path, bool json, FILE *out)
{
	struct sockaddr_un sa;
	struct json_object *doc;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd;

	if (fill_addr(&sa, path) < 0) {
		fprintf(stderr, "xvif-netback status: socket path too long: %s\n", path);
		return 2;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr,
			"xvif-netback status: cannot reach the daemon at %s: %s\n"
			"  Is it running? (systemctl status xvif-netback; or start it: xvif-netback run)\n"
			"  If it uses another socket, pass --socket PATH.\n",
			path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	for (;;) {
		ssize_t n;

		if (len + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > XVIF_STATUS_MAX + 1) {
				fprintf(stderr, "xvif-netback status: answer larger than %u bytes: not our daemon?\n",
					XVIF_STATUS_MAX);
				free(buf);
				close(fd);
				return 1;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				return 1;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (!buf) {
		fprintf(stderr, "xvif-netback status: the daemon at %s sent nothing\n", path);
		return 1;
	}
	buf[len] = '\0';
	doc = json_tokener_parse(buf);
	if (!doc || !json_object_is_type(doc, json_type_object)) {
		fprintf(stderr, "xvif-netback status: the answer from %s is not a status document\n", path);
		json_object_put(doc);
		free(buf);
		return 1;
	}
	if (json)
		fprintf(out, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	else
		xvif_status_print_text(doc, out);
	json_object_put(doc);
	free(buf);
	return 0;
}
