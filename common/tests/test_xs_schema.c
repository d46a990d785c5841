// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: common/xs_schema.c. The parsers read a fake xenstore directory
 * (xvif_test.h). Every refusal is checked for the exact key, value and
 * reason the error struct carries, since those reach the log and the
 * toolstack word for word.
 */
#include "xvif_test.h"
#include "xs_schema.h"

#define S10 "1111111111"
#define S100 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10
#define Z10 "0000000000"
#define Z120 Z10 Z10 Z10 Z10 Z10 Z10 Z10 Z10 Z10 Z10 Z10 Z10

static const struct xvif_be_caps caps_all = {
	.max_queues = 4, .sg = 1, .gso_tcpv4 = 1, .gso_tcpv6 = 1, .ipv6_csum = 1, .split_evtchn = 1,
	.ctrl_ring = 1, .multicast_control = 1, .xdp_headroom = 1, .rx_copy = 1,
};
static const struct xvif_be_caps caps_none = { .max_queues = 1, .rx_copy = 1 };

/* Load @base, then apply @mods: "key=value" sets, "key!" removes. */
static void load(struct fake_xs *x, const char *base, const char *mods)
{
	char line[FXS_KEYLEN + FXS_VALLEN + 2];
	const char *p, *nl;
	size_t n;

	memset(x, 0, sizeof(*x));
	if (base)
		fxs_load(x, base);
	for (p = mods; p && *p; p += n + (nl ? 1 : 0)) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		assert_true(n < sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		if (n && line[n - 1] == '!' && !strchr(line, '=')) {
			line[n - 1] = '\0';
			assert_non_null(fxs_get(x, line)); /* a typo in a test must not pass */
			fxs_set(x, line, NULL);
		} else {
			fxs_load(x, line);
		}
	}
}

static void check_err(const struct xvif_xs_err *err, const char *key, const char *value, const char *why)
{
	assert_string_equal(err->key, key);
	assert_string_equal(err->value, value);
	assert_string_equal(err->why, why);
}

/* ==== small parsers ==== */

static const struct uint_row {
	const char *name, *s;
	uint64_t max;
	int rc;
	uint64_t want;
} uint_rows[] = {
	{ "zero", "0", 10, 0, 0 },
	{ "one", "1", 10, 0, 1 },
	{ "equal_to_max", "10", 10, 0, 10 },
	{ "above_max", "11", 10, -1, 0 },
	{ "single_digit_above_small_max", "6", 5, -1, 0 },
	{ "nine_above_max_zero", "9", 0, -1, 0 },
	{ "zero_with_max_zero", "0", 0, 0, 0 },
	{ "u64_max", "18446744073709551615", 18446744073709551615ull, 0, 18446744073709551615ull },
	{ "u64_max_plus_one", "18446744073709551616", 18446744073709551615ull, -1, 0 },
	{ "u64_overflow_by_digits", "99999999999999999999999", 18446744073709551615ull, -1, 0 },
	{ "u32_max", "4294967295", 4294967295ull, 0, 4294967295ull },
	{ "u32_max_plus_one", "4294967296", 4294967295ull, -1, 0 },
	{ "empty", "", 100, -1, 0 },
	{ "leading_zero", "01", 100, -1, 0 },
	{ "double_zero", "00", 100, -1, 0 },
	{ "minus", "-1", 100, -1, 0 },
	{ "plus", "+1", 100, -1, 0 },
	{ "leading_space", " 1", 100, -1, 0 },
	{ "trailing_space", "1 ", 100, -1, 0 },
	{ "trailing_newline", "1\n", 100, -1, 0 },
	{ "trailing_letter", "1a", 100, -1, 0 },
	{ "hex", "0x10", 100, -1, 0 },
};

static void test_parse_uint_row(void **state)
{
	const struct uint_row *r = XT_ROW(struct uint_row, state);
	uint64_t out = 777;
	char *s = strdup(r->s);

	assert_int_equal(xvif_parse_uint(s, r->max, &out), r->rc);
	assert_int_equal(out, r->rc == 0 ? r->want : 777);
	free(s);
}

static const struct bool_row {
	const char *name, *s;
	int rc;
	bool want;
} bool_rows[] = {
	{ "zero", "0", 0, false }, { "one", "1", 0, true }, { "empty", "", -1, false },
	{ "two", "2", -1, false }, { "zero_one", "01", -1, false }, { "true", "true", -1, false },
	{ "one_space", "1 ", -1, false }, { "one_newline", "1\n", -1, false },
};

static void test_parse_bool_row(void **state)
{
	const struct bool_row *r = XT_ROW(struct bool_row, state);
	bool out = true;
	char *s = strdup(r->s);

	assert_int_equal(xvif_parse_bool(s, &out), r->rc);
	if (r->rc == 0)
		assert_int_equal(out, r->want);
	free(s);
}

static const struct rate_row {
	const char *name, *s;
	int rc;
	uint64_t bytes, usec;
} rate_rows[] = {
	{ "typical", "12500000,50000", 0, 12500000, 50000 },
	{ "smallest", "1,1", 0, 1, 1 },
	{ "largest", "281474976710656,4294967295", 0, 281474976710656ull, 4294967295ull },
	{ "bytes_above_2p48", "281474976710657,1", -1, 0, 0 },
	{ "usec_above_u32", "1,4294967296", -1, 0, 0 },
	{ "bytes_zero", "0,100", -1, 0, 0 },
	{ "usec_zero", "100,0", -1, 0, 0 },
	{ "no_comma", "100", -1, 0, 0 },
	{ "no_usec", "100,", -1, 0, 0 },
	{ "no_bytes", ",100", -1, 0, 0 },
	{ "three_fields", "100,100,100", -1, 0, 0 },
	{ "space_after_comma", "100, 100", -1, 0, 0 },
	{ "leading_space", " 100,100", -1, 0, 0 },
	{ "negative", "-100,100", -1, 0, 0 },
	{ "leading_zero", "0100,100", -1, 0, 0 },
	{ "bytes_23_digits", "10000000000000000000000,1", -1, 0, 0 },
	{ "bytes_30_digits", "100000000000000000000000000000,1", -1, 0, 0 },
	{ "empty", "", -1, 0, 0 },
	{ "comma_only", ",", -1, 0, 0 },
};

static void test_parse_rate_row(void **state)
{
	const struct rate_row *r = XT_ROW(struct rate_row, state);
	uint64_t b = 11, u = 22;
	char *s = strdup(r->s);

	assert_int_equal(xvif_parse_rate(s, &b, &u), r->rc);
	assert_int_equal(b, r->rc == 0 ? r->bytes : 11);
	assert_int_equal(u, r->rc == 0 ? r->usec : 22);
	free(s);
}

static const struct ifname_row {
	const char *name, *s;
	bool want;
} ifname_rows[] = {
	{ "eth0", "eth0", true },
	{ "one_char", "a", true },
	{ "fifteen_chars", "abcdefghijklmno", true },
	{ "sixteen_chars", "abcdefghijklmnop", false },
	{ "empty", "", false },
	{ "dot", ".", false },
	{ "dotdot", "..", false },
	{ "three_dots", "...", true },
	{ "dot_in_name", "vif1.0", true },
	{ "slash", "a/b", false },
	{ "colon", "eth0:1", false },
	{ "space", "a b", false },
	{ "tab", "a\tb", false },
	{ "newline", "ab\n", false },
	{ "del", "a\x7f", false },
	{ "non_ascii", "caf\xc3\xa9", false },
};

static void test_ifname_row(void **state)
{
	const struct ifname_row *r = XT_ROW(struct ifname_row, state);
	char *s = strdup(r->s);

	assert_int_equal(xvif_ifname_valid(s), r->want);
	free(s);
}

static const struct defname_row {
	const char *name;
	uint32_t domid, devid;
	unsigned int len;
	int rc;
	const char *want;
} defname_rows[] = {
	{ "dom1_dev0", 1, 0, 16, 0, "xvif1.0" },
	{ "dom0_dev0", 0, 0, 16, 0, "xvif0.0" },
	{ "largest_domid_5_digit_devid", 32751, 99999, 16, 0, "xvif32751.99999" },
	{ "does_not_fit_ifnamsiz", 32751, 100000, 16, -1, NULL },
	{ "does_not_fit_ifnamsiz_big_buffer", 32751, 100000, 64, -1, NULL },
	{ "u32_ids_do_not_fit", 4294967295u, 4294967295u, 16, -1, NULL },
	{ "buffer_too_small", 1, 0, 15, -1, NULL },
};

static void test_default_ifname_row(void **state)
{
	const struct defname_row *r = XT_ROW(struct defname_row, state);
	char buf[80];

	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(xvif_default_ifname(r->domid, r->devid, buf, r->len), r->rc);
	if (r->rc == 0)
		assert_string_equal(buf, r->want);
	assert_int_equal(buf[r->len], 'Z'); /* never past @len */
}

/* Two devices must never get the same default name by truncation. */
static void test_default_ifname_no_collision(void **state)
{
	char a[16], b[16];

	(void)state;
	assert_int_equal(xvif_default_ifname(7, 12345, a, sizeof(a)), 0);
	assert_string_equal(a, "xvif7.12345");
	if (xvif_default_ifname(32751, 123456, a, sizeof(a)) == 0 &&
	    xvif_default_ifname(32751, 123457, b, sizeof(b)) == 0)
		assert_string_not_equal(a, b);
}

/* ==== error formatting ==== */

static void test_err_format(void **state)
{
	struct xvif_xs_err e;
	char buf[128];

	(void)state;
	memset(&e, 0, sizeof(e));
	strcpy(e.key, "multi-queue-num-queues");
	strcpy(e.value, "0");
	strcpy(e.why, "must be 1..4");
	xvif_xs_err_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "multi-queue-num-queues=0: must be 1..4");

	e.value[0] = '\0';
	strcpy(e.why, "missing");
	xvif_xs_err_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "multi-queue-num-queues: missing");

	memset(buf, 'Z', sizeof(buf));
	xvif_xs_err_format(&e, buf, 8);
	assert_string_equal(buf, "multi-q");
	assert_int_equal(buf[8], 'Z');

	memset(buf, 'Z', sizeof(buf));
	xvif_xs_err_format(&e, buf, 0);
	assert_int_equal(buf[0], 'Z');
}

/* ==== backend advertisement ==== */

struct emitted {
	char kv[32][80];
	unsigned int n;
};

static void emit(void *ctx, const char *key, const char *value)
{
	struct emitted *e = ctx;

	assert_true(e->n < 32);
	snprintf(e->kv[e->n++], sizeof(e->kv[0]), "%s=%s", key, value);
}

/* The keys Linux xen-netback writes in its probe/backend_connect, in our
 * fixed order. */
static const char *const advertised_all[] = {
	"feature-sg=1", "feature-gso-tcpv4=1", "feature-gso-tcpv6=1", "feature-ipv6-csum-offload=1",
	"feature-rx-copy=1", "feature-rx-flip=0", "feature-multicast-control=1",
	"feature-dynamic-multicast-control=1", "feature-split-event-channels=1", "feature-ctrl-ring=1",
	"feature-xdp-headroom=1", "multi-queue-max-queues=4",
};
static const char *const advertised_none[] = {
	"feature-sg=0", "feature-gso-tcpv4=0", "feature-gso-tcpv6=0", "feature-ipv6-csum-offload=0",
	"feature-rx-copy=1", "feature-rx-flip=0", "feature-multicast-control=0",
	"feature-dynamic-multicast-control=0", "feature-split-event-channels=0", "feature-ctrl-ring=0",
	"feature-xdp-headroom=0", "multi-queue-max-queues=1",
};

static void check_advertised(const struct xvif_be_caps *caps, const char *const *want, unsigned int n)
{
	struct emitted e = { .n = 0 };
	unsigned int i;

	assert_int_equal(xvif_be_advertise(caps, emit, &e), n);
	assert_int_equal(e.n, n);
	for (i = 0; i < n; i++)
		assert_string_equal(e.kv[i], want[i]);
}

static void test_be_advertise_all(void **state)
{
	(void)state;
	check_advertised(&caps_all, advertised_all, XVIF_ARRAY_SIZE(advertised_all));
}

static void test_be_advertise_none(void **state)
{
	(void)state;
	check_advertised(&caps_none, advertised_none, XVIF_ARRAY_SIZE(advertised_none));
}

static void test_be_advertise_max_queues_16(void **state)
{
	struct xvif_be_caps c = caps_all;
	struct emitted e = { .n = 0 };

	(void)state;
	c.max_queues = 16;
	xvif_be_advertise(&c, emit, &e);
	assert_string_equal(e.kv[e.n - 1], "multi-queue-max-queues=16");
}

static void emit_xs(void *ctx, const char *key, const char *value)
{
	fxs_set(ctx, key, value);
}

/* What the backend advertises, a frontend parses back to the same caps. */
static void test_be_advertise_parse_roundtrip(void **state)
{
	struct xvif_be_caps in, out;
	struct xvif_xs_err err;
	struct fake_xs x;
	unsigned int bits;

	(void)state;
	for (bits = 0; bits < 512; bits++) {
		memset(&in, 0, sizeof(in));
		in.sg = bits & 1;
		in.gso_tcpv4 = bits & 2;
		in.gso_tcpv6 = bits & 4;
		in.ipv6_csum = bits & 8;
		in.split_evtchn = bits & 16;
		in.ctrl_ring = bits & 32;
		in.multicast_control = bits & 64;
		in.xdp_headroom = bits & 128;
		in.max_queues = bits & 256 ? 16 : 1;
		in.rx_copy = true;
		memset(&x, 0, sizeof(x));
		xvif_be_advertise(&in, emit_xs, &x);
		assert_int_equal(xvif_be_caps_parse(fxs_read, &x, &out, &err), 0);
		assert_memory_equal(&in, &out, sizeof(in));
	}
}

/* ==== backend caps, as a frontend parses them ==== */

#define BE_ALL                                                                                \
	"feature-sg=1\nfeature-gso-tcpv4=1\nfeature-gso-tcpv6=1\nfeature-ipv6-csum-offload=1\n" \
	"feature-rx-copy=1\nfeature-rx-flip=0\nfeature-multicast-control=1\n"                  \
	"feature-dynamic-multicast-control=1\nfeature-split-event-channels=1\n"                \
	"feature-ctrl-ring=1\nfeature-xdp-headroom=1\nmulti-queue-max-queues=4\n"

static const struct caps_row {
	const char *name, *base, *mods;
	int rc;
	unsigned int max_queues;                /* rc 0 */
	const char *key, *value, *why;          /* rc -1 */
} caps_rows[] = {
	{ "all_offered", BE_ALL, NULL, 0, 4 },
	{ "max_queues_absent_means_1", BE_ALL, "multi-queue-max-queues!", 0, 1 },
	{ "max_queues_clamped_to_16", BE_ALL, "multi-queue-max-queues=64", 0, 16 },
	{ "max_queues_u32_max_clamped", BE_ALL, "multi-queue-max-queues=4294967295", 0, 16 },
	{ "only_rx_copy", "feature-rx-copy=1", NULL, 0, 1 },
	{ "empty_directory", NULL, NULL, -1, 0, "feature-rx-copy", "", "backend must offer rx-copy" },
	{ "rx_copy_0", BE_ALL, "feature-rx-copy=0", -1, 0, "feature-rx-copy", "0", "backend must offer rx-copy" },
	{ "rx_copy_absent", BE_ALL, "feature-rx-copy!", -1, 0, "feature-rx-copy", "", "backend must offer rx-copy" },
	{ "rx_copy_2", BE_ALL, "feature-rx-copy=2", -1, 0, "feature-rx-copy", "2", "must be 0 or 1" },
	{ "sg_yes", BE_ALL, "feature-sg=yes", -1, 0, "feature-sg", "yes", "must be 0 or 1" },
	{ "dynamic_mcast_2", BE_ALL, "feature-dynamic-multicast-control=2", -1, 0,
	  "feature-dynamic-multicast-control", "2", "must be 0 or 1" },
	{ "max_queues_0", BE_ALL, "multi-queue-max-queues=0", -1, 0, "multi-queue-max-queues", "0",
	  "must be 1..4294967295" },
	{ "max_queues_above_u32", BE_ALL, "multi-queue-max-queues=4294967296", -1, 0, "multi-queue-max-queues",
	  "4294967296", "must be 1..4294967295" },
	{ "max_queues_not_number", BE_ALL, "multi-queue-max-queues=four", -1, 0, "multi-queue-max-queues",
	  "four", "not a decimal number" },
	{ "value_too_long", BE_ALL, "feature-sg=" S100 S100, -1, 0, "feature-sg", "", "value too long" },
};

static void test_caps_row(void **state)
{
	const struct caps_row *r = XT_ROW(struct caps_row, state);
	struct xvif_be_caps caps;
	struct xvif_xs_err err;
	struct fake_xs x;

	load(&x, r->base, r->mods);
	memset(&err, 0, sizeof(err));
	assert_int_equal(xvif_be_caps_parse(fxs_read, &x, &caps, &err), r->rc);
	if (r->rc == 0) {
		assert_int_equal(caps.max_queues, r->max_queues);
		assert_true(caps.rx_copy);
		return;
	}
	check_err(&err, r->key, r->value, r->why);
}

/* ==== frontend keys ==== */

#define FE_FLAT "tx-ring-ref=8\nrx-ring-ref=9\nevent-channel=10\nrequest-rx-copy=1\nfeature-rx-notify=1\n"
#define FE_MQ2                                                                                 \
	"multi-queue-num-queues=2\nqueue-0/tx-ring-ref=8\nqueue-0/rx-ring-ref=9\nqueue-0/event-channel=10\n" \
	"queue-1/tx-ring-ref=11\nqueue-1/rx-ring-ref=12\nqueue-1/event-channel-tx=13\n"          \
	"queue-1/event-channel-rx=14\nrequest-rx-copy=1\nfeature-rx-notify=1\n"
#define FE_MQ4                                                                                 \
	FE_MQ2 "multi-queue-num-queues=4\nqueue-2/tx-ring-ref=15\nqueue-2/rx-ring-ref=16\n"        \
	       "queue-2/event-channel=17\nqueue-3/tx-ring-ref=18\nqueue-3/rx-ring-ref=19\nqueue-3/event-channel=20\n"
#define FE_FEATURES_ALL                                                                        \
	"feature-sg=1\nfeature-gso-tcpv4=1\nfeature-gso-tcpv6=1\nfeature-ipv6-csum-offload=1\n"  \
	"feature-no-csum-offload=1\nrequest-multicast-control=1\n"

typedef void (*fe_check_fn)(const struct xvif_fe_config *c);

static void check_flat(const struct xvif_fe_config *c)
{
	assert_int_equal(c->num_queues, 1);
	assert_false(c->queue_dirs);
	assert_int_equal(c->queue[0].tx_ring_ref, 8);
	assert_int_equal(c->queue[0].rx_ring_ref, 9);
	assert_int_equal(c->queue[0].evtchn_tx, 10);
	assert_int_equal(c->queue[0].evtchn_rx, 10);
	assert_false(c->queue[0].split);
	assert_true(c->rx_copy);
	assert_true(c->rx_notify);
	assert_false(c->sg || c->gso_tcpv4 || c->gso_tcpv6 || c->ipv6_csum || c->no_csum_offload);
	assert_false(c->multicast_control || c->ctrl_ring);
	assert_int_equal(c->ctrl_ring_ref, 0);
	assert_int_equal(c->evtchn_ctrl, 0);
	assert_int_equal(c->xdp_headroom, 0);
}

static void check_mq2(const struct xvif_fe_config *c)
{
	assert_int_equal(c->num_queues, 2);
	assert_true(c->queue_dirs);
	assert_int_equal(c->queue[0].tx_ring_ref, 8);
	assert_int_equal(c->queue[0].rx_ring_ref, 9);
	assert_int_equal(c->queue[0].evtchn_tx, 10);
	assert_int_equal(c->queue[0].evtchn_rx, 10);
	assert_false(c->queue[0].split);
	assert_int_equal(c->queue[1].tx_ring_ref, 11);
	assert_int_equal(c->queue[1].rx_ring_ref, 12);
	assert_int_equal(c->queue[1].evtchn_tx, 13);
	assert_int_equal(c->queue[1].evtchn_rx, 14);
	assert_true(c->queue[1].split);
	assert_int_equal(c->queue[2].tx_ring_ref, 0); /* untouched beyond num_queues */
}

static void check_mq4(const struct xvif_fe_config *c)
{
	assert_int_equal(c->num_queues, 4);
	assert_int_equal(c->queue[2].tx_ring_ref, 15);
	assert_int_equal(c->queue[3].rx_ring_ref, 19);
	assert_int_equal(c->queue[3].evtchn_rx, 20);
}

static void check_one_queue_explicit(const struct xvif_fe_config *c)
{
	assert_int_equal(c->num_queues, 1);
	assert_false(c->queue_dirs);
	assert_int_equal(c->queue[0].tx_ring_ref, 8);
}

static void check_ref_u32_max(const struct xvif_fe_config *c)
{
	assert_int_equal(c->queue[0].tx_ring_ref, 4294967295u);
	assert_int_equal(c->queue[0].rx_ring_ref, 0);
}

static void check_split(const struct xvif_fe_config *c)
{
	assert_true(c->queue[0].split);
	assert_int_equal(c->queue[0].evtchn_tx, 11);
	assert_int_equal(c->queue[0].evtchn_rx, 12);
}

static void check_evtchn_max(const struct xvif_fe_config *c)
{
	assert_int_equal(c->queue[0].evtchn_tx, 131071);
	assert_int_equal(c->queue[0].evtchn_rx, 131071);
}

static void check_features_all(const struct xvif_fe_config *c)
{
	assert_true(c->sg && c->gso_tcpv4 && c->gso_tcpv6 && c->ipv6_csum);
	assert_true(c->no_csum_offload && c->multicast_control);
}

static void check_features_masked(const struct xvif_fe_config *c)
{
	assert_false(c->sg || c->gso_tcpv4 || c->gso_tcpv6 || c->ipv6_csum || c->multicast_control);
	/* A frontend's own limitation is not masked by what we offer. */
	assert_true(c->no_csum_offload);
}

static void check_gso_needs_sg(const struct xvif_fe_config *c)
{
	assert_false(c->sg);
	assert_false(c->gso_tcpv4);
	assert_false(c->gso_tcpv6);
	assert_true(c->ipv6_csum);
}

static void check_features_zero(const struct xvif_fe_config *c)
{
	assert_false(c->sg || c->gso_tcpv4 || c->gso_tcpv6 || c->ipv6_csum || c->no_csum_offload ||
		     c->multicast_control);
}

static void check_ctrl(const struct xvif_fe_config *c)
{
	assert_true(c->ctrl_ring);
	assert_int_equal(c->ctrl_ring_ref, 30);
	assert_int_equal(c->evtchn_ctrl, 31);
}

static void check_no_ctrl(const struct xvif_fe_config *c)
{
	assert_false(c->ctrl_ring);
	assert_int_equal(c->ctrl_ring_ref, 0);
	assert_int_equal(c->evtchn_ctrl, 0);
}

static void check_xdp_256(const struct xvif_fe_config *c)
{
	assert_int_equal(c->xdp_headroom, 256);
}

static void check_xdp_max(const struct xvif_fe_config *c)
{
	assert_int_equal(c->xdp_headroom, 0x7fff);
}

static void check_xdp_zero(const struct xvif_fe_config *c)
{
	assert_int_equal(c->xdp_headroom, 0);
}

static const struct fe_row {
	const char *name;
	const struct xvif_be_caps *caps;
	const char *base, *mods;
	int rc;
	fe_check_fn check;                  /* rc 0 */
	const char *key, *value, *why;      /* rc -1 */
} fe_rows[] = {
	/* queues */
	{ "single_queue_flat", &caps_all, FE_FLAT, NULL, 0, check_flat },
	{ "num_queues_1_explicit_flat", &caps_all, FE_FLAT, "multi-queue-num-queues=1", 0, check_one_queue_explicit },
	{ "two_queues_in_dirs", &caps_all, FE_MQ2, NULL, 0, check_mq2 },
	{ "four_queues_at_max", &caps_all, FE_MQ4, NULL, 0, check_mq4 },
	{ "num_queues_0", &caps_all, FE_MQ2, "multi-queue-num-queues=0", -1, NULL,
	  "multi-queue-num-queues", "0", "must be 1..4" },
	{ "num_queues_above_max", &caps_all, FE_MQ4, "multi-queue-num-queues=5", -1, NULL,
	  "multi-queue-num-queues", "5", "must be 1..4" },
	{ "num_queues_2_but_max_1", &caps_none, FE_MQ2, NULL, -1, NULL, "multi-queue-num-queues", "2", "must be 1..1" },
	{ "num_queues_not_number", &caps_all, FE_MQ2, "multi-queue-num-queues=two", -1, NULL,
	  "multi-queue-num-queues", "two", "not a decimal number" },
	{ "num_queues_empty", &caps_all, FE_MQ2, "multi-queue-num-queues=", -1, NULL,
	  "multi-queue-num-queues", "", "not a decimal number" },
	{ "num_queues_negative", &caps_all, FE_MQ2, "multi-queue-num-queues=-1", -1, NULL,
	  "multi-queue-num-queues", "-1", "not a decimal number" },
	{ "num_queues_leading_zero", &caps_all, FE_MQ2, "multi-queue-num-queues=02", -1, NULL,
	  "multi-queue-num-queues", "02", "not a decimal number" },
	{ "num_queues_u64_overflow", &caps_all, FE_MQ2, "multi-queue-num-queues=99999999999999999999", -1, NULL,
	  "multi-queue-num-queues", "99999999999999999999", "not a decimal number" },
	{ "extra_queue_dir_rejected", &caps_all, FE_MQ2, "queue-2/tx-ring-ref=20", -1, NULL,
	  "queue-2/tx-ring-ref", "20", "queue beyond multi-queue-num-queues" },
	{ "queue_dirs_expected_flat_given", &caps_all, FE_FLAT, "multi-queue-num-queues=2", -1, NULL,
	  "queue-0/tx-ring-ref", "", "missing" },
	{ "missing_queue1_rx_ring_ref", &caps_all, FE_MQ2, "queue-1/rx-ring-ref!", -1, NULL,
	  "queue-1/rx-ring-ref", "", "missing" },
	{ "missing_queue1_event_channel", &caps_all, FE_MQ2, "queue-1/event-channel-tx!\nqueue-1/event-channel-rx!",
	  -1, NULL, "queue-1/event-channel", "", "missing" },
	/* ring refs */
	{ "missing_tx_ring_ref", &caps_all, FE_FLAT, "tx-ring-ref!", -1, NULL, "tx-ring-ref", "", "missing" },
	{ "missing_rx_ring_ref", &caps_all, FE_FLAT, "rx-ring-ref!", -1, NULL, "rx-ring-ref", "", "missing" },
	{ "ring_refs_u32_max_and_0", &caps_all, FE_FLAT, "tx-ring-ref=4294967295\nrx-ring-ref=0", 0, check_ref_u32_max },
	{ "ring_ref_above_u32", &caps_all, FE_FLAT, "rx-ring-ref=4294967296", -1, NULL, "rx-ring-ref", "4294967296",
	  "must be 0..4294967295" },
	{ "ring_ref_hex", &caps_all, FE_FLAT, "tx-ring-ref=0x8", -1, NULL, "tx-ring-ref", "0x8", "not a decimal number" },
	{ "ring_ref_space", &caps_all, FE_FLAT, "tx-ring-ref=8 ", -1, NULL, "tx-ring-ref", "8 ", "not a decimal number" },
	/* event channels */
	{ "split_event_channels", &caps_all, FE_FLAT, "event-channel!\nevent-channel-tx=11\nevent-channel-rx=12", 0,
	  check_split },
	{ "split_wins_over_single", &caps_all, FE_FLAT, "event-channel-tx=11\nevent-channel-rx=12", 0, check_split },
	{ "split_not_offered", &caps_none, FE_FLAT, "event-channel!\nevent-channel-tx=11\nevent-channel-rx=12", -1,
	  NULL, "event-channel-rx", "", "split event channels were not offered" },
	{ "split_tx_only", &caps_all, FE_FLAT, "event-channel!\nevent-channel-tx=11", -1, NULL, "event-channel-rx", "",
	  "missing while event-channel-tx is set" },
	{ "split_rx_only", &caps_all, FE_FLAT, "event-channel!\nevent-channel-rx=12", -1, NULL, "event-channel-rx", "",
	  "set without event-channel-tx" },
	{ "no_event_channel", &caps_all, FE_FLAT, "event-channel!", -1, NULL, "event-channel", "", "missing" },
	{ "event_channel_0", &caps_all, FE_FLAT, "event-channel=0", -1, NULL, "event-channel", "0", "must be 1..131071" },
	{ "event_channel_max", &caps_all, FE_FLAT, "event-channel=131071", 0, check_evtchn_max },
	{ "event_channel_above_max", &caps_all, FE_FLAT, "event-channel=131072", -1, NULL, "event-channel", "131072",
	  "must be 1..131071" },
	{ "split_tx_0", &caps_all, FE_FLAT, "event-channel-tx=0\nevent-channel-rx=12", -1, NULL, "event-channel-tx", "0",
	  "must be 1..131071" },
	{ "split_rx_garbage", &caps_all, FE_FLAT, "event-channel-tx=11\nevent-channel-rx=x", -1, NULL,
	  "event-channel-rx", "x", "not a decimal number" },
	/* request-rx-copy, feature-rx-notify */
	{ "request_rx_copy_missing", &caps_all, FE_FLAT, "request-rx-copy!", -1, NULL, "request-rx-copy", "",
	  "missing: rx-flip is not supported" },
	{ "request_rx_copy_0", &caps_all, FE_FLAT, "request-rx-copy=0", -1, NULL, "request-rx-copy", "0",
	  "must be 1: rx-flip is not supported" },
	{ "request_rx_copy_yes", &caps_all, FE_FLAT, "request-rx-copy=yes", -1, NULL, "request-rx-copy", "yes",
	  "must be 1: rx-flip is not supported" },
	{ "rx_notify_missing", &caps_all, FE_FLAT, "feature-rx-notify!", -1, NULL, "feature-rx-notify", "",
	  "must be 1: the backend does not poll for RX buffers" },
	{ "rx_notify_0", &caps_all, FE_FLAT, "feature-rx-notify=0", -1, NULL, "feature-rx-notify", "0",
	  "must be 1: the backend does not poll for RX buffers" },
	{ "rx_notify_2", &caps_all, FE_FLAT, "feature-rx-notify=2", -1, NULL, "feature-rx-notify", "2",
	  "must be 0 or 1" },
	/* feature flags */
	{ "features_all_offered_and_asked", &caps_all, FE_FLAT FE_FEATURES_ALL, NULL, 0, check_features_all },
	{ "features_masked_by_caps", &caps_none, FE_FLAT FE_FEATURES_ALL, NULL, 0, check_features_masked },
	{ "gso_needs_sg", &caps_all, FE_FLAT FE_FEATURES_ALL, "feature-sg=0", 0, check_gso_needs_sg },
	{ "features_explicit_zero", &caps_all, FE_FLAT
	  "feature-sg=0\nfeature-gso-tcpv4=0\nfeature-gso-tcpv6=0\nfeature-ipv6-csum-offload=0\n"
	  "feature-no-csum-offload=0\nrequest-multicast-control=0\n", NULL, 0, check_features_zero },
	{ "feature_sg_2", &caps_all, FE_FLAT, "feature-sg=2", -1, NULL, "feature-sg", "2", "must be 0 or 1" },
	{ "feature_gso_empty", &caps_all, FE_FLAT, "feature-gso-tcpv4=", -1, NULL, "feature-gso-tcpv4", "",
	  "must be 0 or 1" },
	{ "feature_mcast_true", &caps_all, FE_FLAT, "request-multicast-control=true", -1, NULL,
	  "request-multicast-control", "true", "must be 0 or 1" },
	/* control ring */
	{ "ctrl_ring", &caps_all, FE_FLAT, "ctrl-ring-ref=30\nevent-channel-ctrl=31", 0, check_ctrl },
	{ "ctrl_ring_not_offered_ignored", &caps_none, FE_FLAT, "ctrl-ring-ref=30\nevent-channel-ctrl=31", 0,
	  check_no_ctrl },
	{ "ctrl_ref_without_port", &caps_all, FE_FLAT, "ctrl-ring-ref=30", -1, NULL, "event-channel-ctrl", "",
	  "missing while ctrl-ring-ref is set" },
	{ "ctrl_port_without_ref", &caps_all, FE_FLAT, "event-channel-ctrl=31", -1, NULL, "ctrl-ring-ref", "",
	  "missing while event-channel-ctrl is set" },
	{ "ctrl_port_0", &caps_all, FE_FLAT, "ctrl-ring-ref=30\nevent-channel-ctrl=0", -1, NULL, "event-channel-ctrl",
	  "0", "must be 1..131071" },
	/* xdp-headroom */
	{ "xdp_headroom_256", &caps_all, FE_FLAT, "xdp-headroom=256", 0, check_xdp_256 },
	{ "xdp_headroom_max", &caps_all, FE_FLAT, "xdp-headroom=32767", 0, check_xdp_max },
	{ "xdp_headroom_above_max", &caps_all, FE_FLAT, "xdp-headroom=32768", -1, NULL, "xdp-headroom", "32768",
	  "must be 0..32767" },
	{ "xdp_headroom_not_offered_not_read", &caps_none, FE_FLAT, "xdp-headroom=garbage", 0, check_xdp_zero },
	/* value lengths */
	{ "value_127_chars_is_read", &caps_all, FE_FLAT, "tx-ring-ref=0" Z120 "000000", -1, NULL, "tx-ring-ref",
	  "0" Z10 Z10 Z10 "00000000", "not a decimal number" },
	{ "value_128_chars_too_long", &caps_all, FE_FLAT, "tx-ring-ref=00" Z120 "000000", -1, NULL, "tx-ring-ref", "",
	  "value too long" },
	{ "value_much_too_long", &caps_all, FE_FLAT, "event-channel=" S100 S100 S100, -1, NULL, "event-channel", "",
	  "value too long" },
};

static void test_fe_row(void **state)
{
	const struct fe_row *r = XT_ROW(struct fe_row, state);
	struct xvif_fe_config cfg;
	struct xvif_xs_err err;
	char msg[256];
	struct fake_xs *x = malloc(sizeof(*x));
	int rc;

	load(x, r->base, r->mods);
	memset(&err, 0, sizeof(err));
	rc = xvif_fe_config_parse(fxs_read, x, r->caps, &cfg, &err);
	xvif_xs_err_format(&err, msg, sizeof(msg));
	free(x);
	if (rc != r->rc)
		fail_msg("rc %d, want %d (error: %s)", rc, r->rc, msg);
	if (r->rc == 0)
		r->check(&cfg);
	else
		check_err(&err, r->key, r->value, r->why);
}

/* Every value a frontend may write for multi-queue-num-queues, 0..20, with
 * the backend offering 16: 1..16 accepted with that many queue dirs. */
static void test_fe_num_queues_range(void **state)
{
	struct xvif_be_caps caps = caps_all;
	struct xvif_fe_config cfg;
	struct xvif_xs_err err;
	struct fake_xs *x = malloc(sizeof(*x));
	char key[64], val[16];
	unsigned int n, q;

	(void)state;
	caps.max_queues = 64; /* clamped to XVIF_MAX_QUEUES */
	for (n = 0; n <= 20; n++) {
		memset(x, 0, sizeof(*x));
		fxs_load(x, "request-rx-copy=1\nfeature-rx-notify=1\n");
		snprintf(val, sizeof(val), "%u", n);
		fxs_set(x, "multi-queue-num-queues", val);
		for (q = 0; q < n; q++) {
			snprintf(key, sizeof(key), "queue-%u/tx-ring-ref", q);
			snprintf(val, sizeof(val), "%u", 100 + q);
			fxs_set(x, key, val);
			snprintf(key, sizeof(key), "queue-%u/rx-ring-ref", q);
			fxs_set(x, key, val);
			snprintf(key, sizeof(key), "queue-%u/event-channel", q);
			snprintf(val, sizeof(val), "%u", 1 + q);
			fxs_set(x, key, val);
		}
		if (n == 1) { /* one queue: flat keys */
			fxs_load(x, "tx-ring-ref=100\nrx-ring-ref=100\nevent-channel=1\n");
		}
		if (n >= 1 && n <= XVIF_MAX_QUEUES) {
			assert_int_equal(xvif_fe_config_parse(fxs_read, x, &caps, &cfg, &err), 0);
			assert_int_equal(cfg.num_queues, n);
			assert_int_equal(cfg.queue[n - 1].tx_ring_ref, 100 + n - 1);
			assert_int_equal(cfg.queue[n - 1].evtchn_rx, n);
		} else {
			assert_int_equal(xvif_fe_config_parse(fxs_read, x, &caps, &cfg, &err), -1);
			assert_string_equal(err.key, "multi-queue-num-queues");
			assert_string_equal(err.why, "must be 1..16");
		}
	}
	free(x);
}

/* The error's value is truncated to fit, never overflowing the struct. */
static void test_fe_err_value_truncated(void **state)
{
	struct xvif_fe_config cfg;
	struct xvif_xs_err err;
	struct fake_xs x;

	(void)state;
	load(&x, FE_FLAT, "feature-sg=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ");
	assert_int_equal(xvif_fe_config_parse(fxs_read, &x, &caps_all, &cfg, &err), -1);
	assert_string_equal(err.key, "feature-sg");
	assert_string_equal(err.value, "abcdefghijklmnopqrstuvwxyz0123456789ABC");
	assert_int_equal(strlen(err.value), sizeof(err.value) - 1);
}

/* A read function that misbehaves (claims more bytes than the buffer holds,
 * or an unknown negative code) is treated as "value too long", and the
 * parser never reads past its own buffer. */
static int lying_read(void *ctx, const char *key, char *buf, unsigned int len)
{
	int *mode = ctx;

	if (strcmp(key, "frontend-id"))
		return -1;
	memset(buf, '7', len); /* no NUL anywhere */
	return *mode == 0 ? (int)len : *mode == 1 ? 100000 : -3;
}

static void test_read_fn_misbehaves(void **state)
{
	struct xvif_tool_config cfg;
	struct xvif_xs_err err;
	int mode;

	(void)state;
	for (mode = 0; mode < 3; mode++) {
		assert_int_equal(xvif_tool_config_parse(lying_read, &mode, &cfg, &err), -1);
		check_err(&err, "frontend-id", "", "value too long");
	}
}

/* ==== toolstack keys ==== */

typedef void (*tool_check_fn)(const struct xvif_tool_config *c);

static void check_tool_minimal(const struct xvif_tool_config *c)
{
	assert_int_equal(c->frontend_id, 1);
	assert_false(c->have_mac);
	assert_int_equal(c->mtu, 1500);
	assert_false(c->have_rate);
	assert_int_equal(c->rate_bytes, 0);
	assert_int_equal(c->rate_usec, 0);
	assert_string_equal(c->vifname, "");
	assert_false(c->online);
}

static void check_tool_full(const struct xvif_tool_config *c)
{
	static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c };

	assert_int_equal(c->frontend_id, 5);
	assert_true(c->have_mac);
	assert_memory_equal(c->mac, mac, 6);
	assert_int_equal(c->mtu, 9000);
	assert_true(c->have_rate);
	assert_int_equal(c->rate_bytes, 125000000);
	assert_int_equal(c->rate_usec, 1000000);
	assert_string_equal(c->vifname, "guest0");
	assert_true(c->online);
}

static void check_domid_0(const struct xvif_tool_config *c) { assert_int_equal(c->frontend_id, 0); }
static void check_domid_max(const struct xvif_tool_config *c) { assert_int_equal(c->frontend_id, 32751); }
static void check_mtu_68(const struct xvif_tool_config *c) { assert_int_equal(c->mtu, 68); }
static void check_mtu_max(const struct xvif_tool_config *c) { assert_int_equal(c->mtu, 65521); }
static void check_online_0(const struct xvif_tool_config *c) { assert_false(c->online); }

static void check_mac_upper(const struct xvif_tool_config *c)
{
	static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0xab, 0xcd, 0xef };

	assert_true(c->have_mac);
	assert_memory_equal(c->mac, mac, 6);
}

static void check_rate_largest(const struct xvif_tool_config *c)
{
	assert_true(c->have_rate);
	assert_int_equal(c->rate_bytes, 281474976710656ull);
	assert_int_equal(c->rate_usec, 4294967295ull);
}

static void check_vifname_15(const struct xvif_tool_config *c)
{
	assert_string_equal(c->vifname, "abcdefghijklmno");
}

#define TOOL_MIN "frontend-id=1\n"
#define TOOL_FULL "frontend-id=5\nmac=00:16:3e:0a:0b:0c\nmtu=9000\nrate=125000000,1000000\nvifname=guest0\nonline=1\n"
#define MAC_WHY "must be a unicast xx:xx:xx:xx:xx:xx address"
#define RATE_WHY "must be BYTES,USEC with both above 0"
#define VIFNAME_WHY "must be 1-15 characters without '/', ':' or spaces"

static const struct tool_row {
	const char *name, *base, *mods;
	int rc;
	tool_check_fn check;
	const char *key, *value, *why;
} tool_rows[] = {
	{ "minimal", TOOL_MIN, NULL, 0, check_tool_minimal },
	{ "full", TOOL_FULL, NULL, 0, check_tool_full },
	{ "frontend_id_missing", TOOL_FULL, "frontend-id!", -1, NULL, "frontend-id", "", "missing" },
	{ "frontend_id_0", TOOL_FULL, "frontend-id=0", 0, check_domid_0 },
	{ "frontend_id_32751", TOOL_FULL, "frontend-id=32751", 0, check_domid_max },
	{ "frontend_id_domid_self", TOOL_FULL, "frontend-id=32752", -1, NULL, "frontend-id", "32752", "must be 0..32751" },
	{ "frontend_id_not_number", TOOL_FULL, "frontend-id=dom1", -1, NULL, "frontend-id", "dom1",
	  "not a decimal number" },
	{ "mac_upper_case", TOOL_FULL, "mac=00:16:3E:AB:CD:EF", 0, check_mac_upper },
	{ "mac_five_octets", TOOL_FULL, "mac=00:16:3e:0a:0b", -1, NULL, "mac", "00:16:3e:0a:0b", MAC_WHY },
	{ "mac_multicast", TOOL_FULL, "mac=01:00:5e:00:00:01", -1, NULL, "mac", "01:00:5e:00:00:01", MAC_WHY },
	{ "mac_all_zero", TOOL_FULL, "mac=00:00:00:00:00:00", -1, NULL, "mac", "00:00:00:00:00:00", MAC_WHY },
	{ "mac_empty", TOOL_FULL, "mac=", -1, NULL, "mac", "", MAC_WHY },
	{ "mac_dashes", TOOL_FULL, "mac=00-16-3e-0a-0b-0c", -1, NULL, "mac", "00-16-3e-0a-0b-0c", MAC_WHY },
	{ "mtu_68", TOOL_FULL, "mtu=68", 0, check_mtu_68 },
	{ "mtu_67", TOOL_FULL, "mtu=67", -1, NULL, "mtu", "67", "must be 68..65521" },
	{ "mtu_65521", TOOL_FULL, "mtu=65521", 0, check_mtu_max },
	{ "mtu_65522", TOOL_FULL, "mtu=65522", -1, NULL, "mtu", "65522", "must be 68..65521" },
	{ "mtu_0", TOOL_FULL, "mtu=0", -1, NULL, "mtu", "0", "must be 68..65521" },
	{ "mtu_trailing_space", TOOL_FULL, "mtu=1500 ", -1, NULL, "mtu", "1500 ", "not a decimal number" },
	{ "mtu_empty", TOOL_FULL, "mtu=", -1, NULL, "mtu", "", "not a decimal number" },
	{ "rate_largest", TOOL_FULL, "rate=281474976710656,4294967295", 0, check_rate_largest },
	{ "rate_bytes_too_big", TOOL_FULL, "rate=281474976710657,1", -1, NULL, "rate", "281474976710657,1", RATE_WHY },
	{ "rate_bytes_0", TOOL_FULL, "rate=0,100", -1, NULL, "rate", "0,100", RATE_WHY },
	{ "rate_usec_0", TOOL_FULL, "rate=100,0", -1, NULL, "rate", "100,0", RATE_WHY },
	{ "rate_no_usec", TOOL_FULL, "rate=100", -1, NULL, "rate", "100", RATE_WHY },
	{ "rate_libxl_suffix_form", TOOL_FULL, "rate=10Mb/s", -1, NULL, "rate", "10Mb/s", RATE_WHY },
	{ "vifname_15_chars", TOOL_FULL, "vifname=abcdefghijklmno", 0, check_vifname_15 },
	{ "vifname_16_chars", TOOL_FULL, "vifname=abcdefghijklmnop", -1, NULL, "vifname", "abcdefghijklmnop", VIFNAME_WHY },
	{ "vifname_empty", TOOL_FULL, "vifname=", -1, NULL, "vifname", "", VIFNAME_WHY },
	{ "vifname_slash", TOOL_FULL, "vifname=a/b", -1, NULL, "vifname", "a/b", VIFNAME_WHY },
	{ "vifname_colon", TOOL_FULL, "vifname=eth0:1", -1, NULL, "vifname", "eth0:1", VIFNAME_WHY },
	{ "vifname_space", TOOL_FULL, "vifname=my vif", -1, NULL, "vifname", "my vif", VIFNAME_WHY },
	{ "vifname_dotdot", TOOL_FULL, "vifname=..", -1, NULL, "vifname", "..", VIFNAME_WHY },
	{ "online_0", TOOL_FULL, "online=0", 0, check_online_0 },
	{ "online_true", TOOL_FULL, "online=true", -1, NULL, "online", "true", "must be 0 or 1" },
	{ "value_too_long", TOOL_FULL, "vifname=" S100 S100, -1, NULL, "vifname", "", "value too long" },
};

static void test_tool_row(void **state)
{
	const struct tool_row *r = XT_ROW(struct tool_row, state);
	struct xvif_tool_config cfg;
	struct xvif_xs_err err;
	struct fake_xs x;
	char msg[256];
	int rc;

	load(&x, r->base, r->mods);
	memset(&err, 0, sizeof(err));
	rc = xvif_tool_config_parse(fxs_read, &x, &cfg, &err);
	xvif_xs_err_format(&err, msg, sizeof(msg));
	if (rc != r->rc)
		fail_msg("rc %d, want %d (error: %s)", rc, r->rc, msg);
	if (r->rc == 0)
		r->check(&cfg);
	else
		check_err(&err, r->key, r->value, r->why);
}

int main(void)
{
	struct xt_list l = { 0 };

	XT_ROWS(&l, "xvif_parse_uint", test_parse_uint_row, uint_rows);
	XT_ROWS(&l, "xvif_parse_bool", test_parse_bool_row, bool_rows);
	XT_ROWS(&l, "xvif_parse_rate", test_parse_rate_row, rate_rows);
	XT_ROWS(&l, "xvif_ifname_valid", test_ifname_row, ifname_rows);
	XT_ROWS(&l, "xvif_default_ifname", test_default_ifname_row, defname_rows);
	XT_TEST(&l, test_default_ifname_no_collision);
	XT_TEST(&l, test_err_format);
	XT_TEST(&l, test_be_advertise_all);
	XT_TEST(&l, test_be_advertise_none);
	XT_TEST(&l, test_be_advertise_max_queues_16);
	XT_TEST(&l, test_be_advertise_parse_roundtrip);
	XT_ROWS(&l, "xvif_be_caps_parse", test_caps_row, caps_rows);
	XT_ROWS(&l, "xvif_fe_config_parse", test_fe_row, fe_rows);
	XT_TEST(&l, test_fe_num_queues_range);
	XT_TEST(&l, test_fe_err_value_truncated);
	XT_ROWS(&l, "xvif_tool_config_parse", test_tool_row, tool_rows);
	XT_TEST(&l, test_read_fn_misbehaves);
	return xt_run(&l, "xs_schema");
}
