/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenstore schema of a vif: what the backend advertises, and the parsing
 * and validation of every key the frontend (or the toolstack) writes.
 *
 * common/ does no xenstore I/O. Callers pass a read function that fetches one
 * key relative to the directory being parsed; the parsers do the rest and
 * fill a plain struct, or fail with an xvif_xs_err that names the key, the
 * value read, and why it was refused, e.g.
 *     multi-queue-num-queues=0: must be 1..4
 */
#ifndef XVIF_XS_SCHEMA_H
#define XVIF_XS_SCHEMA_H

#include "xvif_limits.h"

/*
 * Read the key at relative path @key into @buf (NUL-terminated, at most
 * @len - 1 bytes). Returns the value's length, XVIF_XS_MISSING if the key
 * does not exist, or XVIF_XS_TOOLONG if it does not fit.
 */
#define XVIF_XS_MISSING (-1)
#define XVIF_XS_TOOLONG (-2)
typedef int (*xvif_xs_read_fn)(void *ctx, const char *key, char *buf, unsigned int len);

struct xvif_xs_err {
	char key[XVIF_XS_KEY_MAX];   /* relative key, e.g. "queue-1/tx-ring-ref" */
	char value[40];              /* what was read, truncated; "" if missing */
	char why[96];                /* e.g. "must be 1..4", "missing", "not a number" */
};

/* Format "key=value: why" (or "key: why" when missing) into @buf. */
void xvif_xs_err_format(const struct xvif_xs_err *err, char *buf, unsigned int len);

/* ---- What the backend advertises (backend directory). ---- */

struct xvif_be_caps {
	unsigned int max_queues;     /* multi-queue-max-queues; 1..XVIF_MAX_QUEUES */
	bool sg, gso_tcpv4, gso_tcpv6, ipv6_csum;
	bool split_evtchn, ctrl_ring, multicast_control, xdp_headroom;
	bool rx_copy;                /* always true for xvif: no page flipping */
};

/*
 * Call @emit once per key/value the backend writes before InitWait, in a
 * fixed order. Returns the number of keys emitted. Used by xvif-netback to
 * advertise, and by tests to check the set matches Linux netback's.
 */
typedef void (*xvif_xs_emit_fn)(void *ctx, const char *key, const char *value);
unsigned int xvif_be_advertise(const struct xvif_be_caps *caps, xvif_xs_emit_fn emit, void *ctx);

/* Parse the backend's advertised features (what a frontend reads). Missing
 * keys mean "not offered"; malformed values are errors. */
int xvif_be_caps_parse(xvif_xs_read_fn read, void *ctx, struct xvif_be_caps *caps,
		       struct xvif_xs_err *err);

/* ---- What the frontend writes (frontend directory). ---- */

struct xvif_fe_queue {
	uint32_t tx_ring_ref;
	uint32_t rx_ring_ref;
	uint32_t evtchn_tx;          /* == evtchn_rx unless split */
	uint32_t evtchn_rx;
	bool split;                  /* event-channel-tx/-rx rather than event-channel */
};

struct xvif_fe_config {
	unsigned int num_queues;     /* 1 if multi-queue-num-queues is absent */
	bool queue_dirs;             /* keys live under queue-N/ (num_queues > 1) */
	struct xvif_fe_queue queue[XVIF_MAX_QUEUES];
	bool rx_copy;                /* request-rx-copy: must be true, we never flip */
	bool rx_notify;              /* feature-rx-notify */
	bool sg, gso_tcpv4, gso_tcpv6, ipv6_csum;
	bool no_csum_offload;        /* feature-no-csum-offload: IPv4 csum must be done for it */
	bool multicast_control;      /* request-multicast-control */
	bool ctrl_ring;              /* ctrl-ring-ref + event-channel-ctrl present */
	uint32_t ctrl_ring_ref;
	uint32_t evtchn_ctrl;
	uint16_t xdp_headroom;       /* xdp-headroom, 0 if absent */
};

/*
 * Parse and validate everything the frontend wrote at connect time against
 * what we advertised. Returns 0, or -1 with @err filled. Rules:
 *  - multi-queue-num-queues absent means 1 queue; present must be
 *    1..caps->max_queues. One queue: ring and event-channel keys at the top
 *    level; more: under queue-0..N-1/, and no queue-N/ beyond them.
 *  - feature-rx-notify must be 1: we never poll for RX buffers.
 *  - every ring ref must parse as a grant ref; every event channel as a port.
 *  - event-channel, or both event-channel-tx and -rx (only if we offered split).
 *  - request-rx-copy must be 1 (rx-flip is not supported).
 *  - feature flags are "0" or "1"; anything else is an error.
 *  - ctrl-ring-ref and event-channel-ctrl come together or not at all.
 */
int xvif_fe_config_parse(xvif_xs_read_fn read, void *ctx, const struct xvif_be_caps *caps,
			 struct xvif_fe_config *cfg, struct xvif_xs_err *err);

/* ---- What the toolstack writes (backend directory). ---- */

struct xvif_tool_config {
	uint8_t mac[6];              /* the guest's MAC (backend "mac") */
	bool have_mac;
	unsigned int mtu;            /* XVIF_MTU_DEFAULT if absent */
	bool have_rate;
	uint64_t rate_bytes;         /* credit per period */
	uint64_t rate_usec;          /* period */
	char vifname[16];            /* IFNAMSIZ; "" if absent */
	uint32_t frontend_id;
	bool online;
};

/* Parse mac, mtu, rate, vifname, frontend-id, online from the backend dir.
 * vifname must be a valid Linux interface name (1..15 chars, no '/', ':',
 * whitespace, not "." or ".."). */
int xvif_tool_config_parse(xvif_xs_read_fn read, void *ctx, struct xvif_tool_config *cfg,
			   struct xvif_xs_err *err);

/* ---- Small strict parsers, exported for the callers and the fuzzers. ---- */

/* Decimal, no sign, no spaces, no leading zeros except "0", value <= max. */
int xvif_parse_uint(const char *s, uint64_t max, uint64_t *out);
/* "0" or "1" only. */
int xvif_parse_bool(const char *s, bool *out);
/* "rate" key: "BYTES,USEC", both > 0; BYTES <= 2^48, USEC <= 2^32. */
int xvif_parse_rate(const char *s, uint64_t *bytes, uint64_t *usec);
/* Interface name rule for vifname. */
bool xvif_ifname_valid(const char *s);
/* Default interface name "xvif<domid>.<devid>" into @buf (>= 16 bytes). */
int xvif_default_ifname(uint32_t domid, uint32_t devid, char *buf, unsigned int len);

#endif /* XVIF_XS_SCHEMA_H */
