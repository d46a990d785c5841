// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenstore schema of a vif: what the backend advertises and the validation
 * of what the frontend and the toolstack write. See xs_schema.h.
 */
#include "xs_schema.h"
#include "mac.h"
#include "strutil.h"

/* ---- strict value parsers ---- */

int xvif_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int d;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	if (s[0] == '0' && s[1] != '\0')
		return -1; /* leading zero */
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned int)(*s - '0');
		if (d > max || v > (max - d) / 10)
			return -1; /* beyond max, or would overflow */
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int xvif_parse_bool(const char *s, bool *out)
{
	if ((s[0] != '0' && s[0] != '1') || s[1] != '\0')
		return -1;
	*out = s[0] == '1';
	return 0;
}

#define RATE_BYTES_MAX (1ull << 48)
#define RATE_USEC_MAX 0xffffffffull

int xvif_parse_rate(const char *s, uint64_t *bytes, uint64_t *usec)
{
	char num[24];
	unsigned int i;
	uint64_t b, u;

	for (i = 0; s[i] && s[i] != ','; i++) {
		if (i + 1 >= sizeof(num))
			return -1;
		num[i] = s[i];
	}
	if (s[i] != ',')
		return -1;
	num[i] = '\0';
	if (xvif_parse_uint(num, RATE_BYTES_MAX, &b) || b == 0)
		return -1;
	if (xvif_parse_uint(s + i + 1, RATE_USEC_MAX, &u) || u == 0)
		return -1;
	*bytes = b;
	*usec = u;
	return 0;
}

#define IFNAME_MAX 15 /* IFNAMSIZ - 1 */

bool xvif_ifname_valid(const char *s)
{
	unsigned int n = xvif_strnlen(s, IFNAME_MAX + 1);
	unsigned int i;

	if (n == 0 || n > IFNAME_MAX)
		return false;
	if (xvif_streq(s, ".") || xvif_streq(s, ".."))
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c >= 0x7f || c == '/' || c == ':')
			return false;
	}
	return true;
}

int xvif_default_ifname(uint32_t domid, uint32_t devid, char *buf, unsigned int len)
{
	/* Built whole first: "xvif" + 10 digits + "." + 10 digits fits, so a
	 * name too long for IFNAMSIZ is refused, never silently truncated
	 * (which would give two devices the same name). */
	char name[32] = "xvif";
	unsigned int n;

	if (len < 16)
		return -1;
	xvif_strlcat_u64(name, domid, sizeof(name));
	xvif_strlcat(name, ".", sizeof(name));
	n = xvif_strlcat_u64(name, devid, sizeof(name));
	if (!xvif_ifname_valid(name))
		return -1;
	memcpy(buf, name, n + 1);
	return 0;
}

/* ---- errors ---- */

static int fail(struct xvif_xs_err *err, const char *key, const char *value, const char *why)
{
	err->key[0] = err->value[0] = err->why[0] = '\0';
	xvif_strlcat(err->key, key, sizeof(err->key));
	if (value)
		xvif_strlcat(err->value, value, sizeof(err->value));
	xvif_strlcat(err->why, why, sizeof(err->why));
	return -1;
}

/* As fail(), with "must be LO..HI" as the reason. */
static int fail_range(struct xvif_xs_err *err, const char *key, const char *value, uint64_t lo, uint64_t hi)
{
	char why[48] = "must be ";

	xvif_strlcat_u64(why, lo, sizeof(why));
	xvif_strlcat(why, "..", sizeof(why));
	xvif_strlcat_u64(why, hi, sizeof(why));
	return fail(err, key, value, why);
}

void xvif_xs_err_format(const struct xvif_xs_err *err, char *buf, unsigned int len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	xvif_strlcat(buf, err->key, len);
	if (err->value[0]) {
		xvif_strlcat(buf, "=", len);
		xvif_strlcat(buf, err->value, len);
	}
	xvif_strlcat(buf, ": ", len);
	xvif_strlcat(buf, err->why, len);
}

/* ---- reading keys ---- */

struct reader {
	xvif_xs_read_fn read;
	void *ctx;
	struct xvif_xs_err *err;
	char val[XVIF_XS_VALUE_MAX];
};

/* Read @key into r->val. 1 if present, 0 if missing, -1 (err set) if too long. */
static int get(struct reader *r, const char *key)
{
	int n = r->read(r->ctx, key, r->val, sizeof(r->val));

	if (n == XVIF_XS_MISSING) {
		r->val[0] = '\0'; /* no stale value from an earlier key in errors */
		return 0;
	}
	if (n < 0 || (unsigned int)n >= sizeof(r->val)) {
		fail(r->err, key, NULL, "value too long");
		return -1;
	}
	r->val[n] = '\0';
	return 1;
}

/* Optional 0/1 flag: missing is false. */
static int get_bool(struct reader *r, const char *key, bool *out)
{
	int rc = get(r, key);

	if (rc <= 0) {
		*out = false;
		return rc;
	}
	if (xvif_parse_bool(r->val, out))
		return fail(r->err, key, r->val, "must be 0 or 1");
	return 0;
}

/* Unsigned number lo..hi. @required: missing is an error; else 0 = missing. */
static int get_uint(struct reader *r, const char *key, uint64_t lo, uint64_t hi, bool required,
		    uint64_t *out, bool *present)
{
	int rc = get(r, key);

	*present = rc > 0;
	if (rc < 0)
		return -1;
	if (rc == 0)
		return required ? fail(r->err, key, NULL, "missing") : 0;
	if (xvif_parse_uint(r->val, XVIF_U64_MAX, out))
		return fail(r->err, key, r->val, "not a decimal number");
	if (*out < lo || *out > hi)
		return fail_range(r->err, key, r->val, lo, hi);
	return 0;
}

/* "queue-N/name", or "name" when @dir is false. */
static void qkey(char *buf, unsigned int len, bool dir, unsigned int q, const char *name)
{
	buf[0] = '\0';
	if (dir) {
		xvif_strlcat(buf, "queue-", len);
		xvif_strlcat_u64(buf, q, len);
		xvif_strlcat(buf, "/", len);
	}
	xvif_strlcat(buf, name, len);
}

/* ---- backend advertisement ---- */

unsigned int xvif_be_advertise(const struct xvif_be_caps *caps, xvif_xs_emit_fn emit, void *ctx)
{
	char n[12] = "";
	unsigned int count = 0;
	const struct {
		const char *key;
		bool on;
	} flags[] = {
		{ "feature-sg", caps->sg },
		{ "feature-gso-tcpv4", caps->gso_tcpv4 },
		{ "feature-gso-tcpv6", caps->gso_tcpv6 },
		{ "feature-ipv6-csum-offload", caps->ipv6_csum },
		{ "feature-rx-copy", caps->rx_copy },
		{ "feature-rx-flip", false },
		{ "feature-multicast-control", caps->multicast_control },
		{ "feature-dynamic-multicast-control", caps->multicast_control },
		{ "feature-split-event-channels", caps->split_evtchn },
		{ "feature-ctrl-ring", caps->ctrl_ring },
		{ "feature-xdp-headroom", caps->xdp_headroom },
	};
	unsigned int i;

	for (i = 0; i < XVIF_ARRAY_SIZE(flags); i++) {
		emit(ctx, flags[i].key, flags[i].on ? "1" : "0");
		count++;
	}
	xvif_strlcat_u64(n, caps->max_queues, sizeof(n));
	emit(ctx, "multi-queue-max-queues", n);
	return count + 1;
}

int xvif_be_caps_parse(xvif_xs_read_fn read, void *ctx, struct xvif_be_caps *caps,
		       struct xvif_xs_err *err)
{
	struct reader r = { .read = read, .ctx = ctx, .err = err };
	uint64_t v;
	bool present, dyn;

	memset(caps, 0, sizeof(*caps));
	if (get_bool(&r, "feature-sg", &caps->sg) || get_bool(&r, "feature-gso-tcpv4", &caps->gso_tcpv4) ||
	    get_bool(&r, "feature-gso-tcpv6", &caps->gso_tcpv6) ||
	    get_bool(&r, "feature-ipv6-csum-offload", &caps->ipv6_csum) ||
	    get_bool(&r, "feature-rx-copy", &caps->rx_copy))
		return -1;
	/* Checked here, while r.val still holds the value read for it. */
	if (!caps->rx_copy)
		return fail(err, "feature-rx-copy", r.val, "backend must offer rx-copy");
	if (get_bool(&r, "feature-split-event-channels", &caps->split_evtchn) ||
	    get_bool(&r, "feature-ctrl-ring", &caps->ctrl_ring) ||
	    get_bool(&r, "feature-multicast-control", &caps->multicast_control) ||
	    get_bool(&r, "feature-dynamic-multicast-control", &dyn) ||
	    get_bool(&r, "feature-xdp-headroom", &caps->xdp_headroom))
		return -1;
	if (get_uint(&r, "multi-queue-max-queues", 1, XVIF_U32_MAX, false, &v, &present))
		return -1;
	caps->max_queues = present ? (v > XVIF_MAX_QUEUES ? XVIF_MAX_QUEUES : (unsigned int)v) : 1;
	return 0;
}

/* ---- frontend keys ---- */

static int parse_queue(struct reader *r, const struct xvif_be_caps *caps, bool dir, unsigned int q,
		       struct xvif_fe_queue *fq)
{
	char key[XVIF_XS_KEY_MAX];
	uint64_t v;
	bool present, have_tx, have_rx;

	qkey(key, sizeof(key), dir, q, "tx-ring-ref");
	if (get_uint(r, key, 0, XVIF_U32_MAX, true, &v, &present))
		return -1;
	fq->tx_ring_ref = (uint32_t)v;
	qkey(key, sizeof(key), dir, q, "rx-ring-ref");
	if (get_uint(r, key, 0, XVIF_U32_MAX, true, &v, &present))
		return -1;
	fq->rx_ring_ref = (uint32_t)v;

	qkey(key, sizeof(key), dir, q, "event-channel-tx");
	if (get_uint(r, key, 1, XVIF_EVTCHN_PORT_MAX, false, &v, &have_tx))
		return -1;
	fq->evtchn_tx = (uint32_t)v;
	qkey(key, sizeof(key), dir, q, "event-channel-rx");
	if (get_uint(r, key, 1, XVIF_EVTCHN_PORT_MAX, false, &v, &have_rx))
		return -1;
	fq->evtchn_rx = (uint32_t)v;
	if (have_tx != have_rx)
		return fail(r->err, key, NULL, have_tx ? "missing while event-channel-tx is set"
						      : "set without event-channel-tx");
	if (have_tx) {
		if (!caps->split_evtchn)
			return fail(r->err, key, NULL, "split event channels were not offered");
		fq->split = true;
		return 0;
	}
	qkey(key, sizeof(key), dir, q, "event-channel");
	if (get_uint(r, key, 1, XVIF_EVTCHN_PORT_MAX, true, &v, &present))
		return -1;
	fq->evtchn_tx = fq->evtchn_rx = (uint32_t)v;
	fq->split = false;
	return 0;
}

int xvif_fe_config_parse(xvif_xs_read_fn read, void *ctx, const struct xvif_be_caps *caps,
			 struct xvif_fe_config *cfg, struct xvif_xs_err *err)
{
	struct reader r = { .read = read, .ctx = ctx, .err = err };
	char key[XVIF_XS_KEY_MAX];
	uint64_t v, ref, port;
	bool present, have_ref, have_port;
	unsigned int q, maxq;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	maxq = caps->max_queues < 1 ? 1 : caps->max_queues;
	if (maxq > XVIF_MAX_QUEUES)
		maxq = XVIF_MAX_QUEUES;
	if (get_uint(&r, "multi-queue-num-queues", 1, maxq, false, &v, &present))
		return -1;
	cfg->num_queues = present ? (unsigned int)v : 1;
	cfg->queue_dirs = cfg->num_queues > 1;
	for (q = 0; q < cfg->num_queues; q++)
		if (parse_queue(&r, caps, cfg->queue_dirs, q, &cfg->queue[q]))
			return -1;
	if (cfg->queue_dirs) {
		qkey(key, sizeof(key), true, cfg->num_queues, "tx-ring-ref");
		rc = get(&r, key);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return fail(err, key, r.val, "queue beyond multi-queue-num-queues");
	}

	rc = get(&r, "request-rx-copy");
	if (rc < 0)
		return -1;
	if (rc == 0)
		return fail(err, "request-rx-copy", NULL, "missing: rx-flip is not supported");
	if (xvif_parse_bool(r.val, &cfg->rx_copy) || !cfg->rx_copy)
		return fail(err, "request-rx-copy", r.val, "must be 1: rx-flip is not supported");

	if (get_bool(&r, "feature-rx-notify", &cfg->rx_notify))
		return -1;
	if (!cfg->rx_notify)
		return fail(err, "feature-rx-notify", r.val[0] ? r.val : NULL,
			    "must be 1: the backend does not poll for RX buffers");
	if (get_bool(&r, "feature-sg", &cfg->sg) || get_bool(&r, "feature-gso-tcpv4", &cfg->gso_tcpv4) ||
	    get_bool(&r, "feature-gso-tcpv6", &cfg->gso_tcpv6) ||
	    get_bool(&r, "feature-ipv6-csum-offload", &cfg->ipv6_csum) ||
	    get_bool(&r, "feature-no-csum-offload", &cfg->no_csum_offload) ||
	    get_bool(&r, "request-multicast-control", &cfg->multicast_control))
		return -1;
	/* Only what we offered counts; a frontend asking for more gets less. */
	cfg->sg = cfg->sg && caps->sg;
	cfg->gso_tcpv4 = cfg->gso_tcpv4 && caps->gso_tcpv4 && cfg->sg;
	cfg->gso_tcpv6 = cfg->gso_tcpv6 && caps->gso_tcpv6 && cfg->sg;
	cfg->ipv6_csum = cfg->ipv6_csum && caps->ipv6_csum;
	cfg->multicast_control = cfg->multicast_control && caps->multicast_control;

	if (get_uint(&r, "ctrl-ring-ref", 0, XVIF_U32_MAX, false, &ref, &have_ref) ||
	    get_uint(&r, "event-channel-ctrl", 1, XVIF_EVTCHN_PORT_MAX, false, &port, &have_port))
		return -1;
	if (have_ref != have_port)
		return fail(err, have_ref ? "event-channel-ctrl" : "ctrl-ring-ref", NULL,
			    have_ref ? "missing while ctrl-ring-ref is set" : "missing while event-channel-ctrl is set");
	if (have_ref && caps->ctrl_ring) {
		cfg->ctrl_ring = true;
		cfg->ctrl_ring_ref = (uint32_t)ref;
		cfg->evtchn_ctrl = (uint32_t)port;
	}

	if (caps->xdp_headroom) {
		if (get_uint(&r, "xdp-headroom", 0, XVIF_XDP_HEADROOM_MAX, false, &v, &present))
			return -1;
		cfg->xdp_headroom = present ? (uint16_t)v : 0;
	}
	return 0;
}

/* ---- toolstack keys ---- */

int xvif_tool_config_parse(xvif_xs_read_fn read, void *ctx, struct xvif_tool_config *cfg,
			   struct xvif_xs_err *err)
{
	struct reader r = { .read = read, .ctx = ctx, .err = err };
	uint64_t v;
	bool present;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if (get_uint(&r, "frontend-id", 0, 0x7fef /* DOMID_FIRST_RESERVED - 1 */, true, &v, &present))
		return -1;
	cfg->frontend_id = (uint32_t)v;

	rc = get(&r, "mac");
	if (rc < 0)
		return -1;
	if (rc > 0) {
		if (xvif_mac_parse(r.val, cfg->mac))
			return fail(err, "mac", r.val, "must be a unicast xx:xx:xx:xx:xx:xx address");
		cfg->have_mac = true;
	}

	if (get_uint(&r, "mtu", XVIF_MTU_MIN, XVIF_MTU_MAX, false, &v, &present))
		return -1;
	cfg->mtu = present ? (unsigned int)v : XVIF_MTU_DEFAULT;

	rc = get(&r, "rate");
	if (rc < 0)
		return -1;
	if (rc > 0) {
		if (xvif_parse_rate(r.val, &cfg->rate_bytes, &cfg->rate_usec))
			return fail(err, "rate", r.val, "must be BYTES,USEC with both above 0");
		cfg->have_rate = true;
	}

	rc = get(&r, "vifname");
	if (rc < 0)
		return -1;
	if (rc > 0) {
		if (!xvif_ifname_valid(r.val))
			return fail(err, "vifname", r.val,
				    "must be 1-15 characters without '/', ':' or spaces");
		cfg->vifname[0] = '\0';
		xvif_strlcat(cfg->vifname, r.val, sizeof(cfg->vifname));
	}

	if (get_bool(&r, "online", &cfg->online))
		return -1;
	return 0;
}
