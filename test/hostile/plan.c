// SPDX-License-Identifier: GPL-2.0-only
/* Attack plans: see plan.h. Pure functions, no Xen. */
#include <stdio.h>
#include <string.h>

#include "plan.h"

/* Variant indices, in the order attacks.c lists them. */
enum { ZL_MIDDLE, ZL_ALL, ZL_FIRST };
enum { PC_OFFSET, PC_OVERSIZE };
enum { TM_19, TM_40, TM_18 };
enum { TS_MAX, TS_SHORT_FIRST };
enum { BG_INVALID, BG_REVOKED, BG_FOREIGN };
enum { BE_UNKNOWN, BE_REPEATED, BE_TRUNCATED, BE_GSO_ZERO, BE_GSO_ABSURD, BE_TYPE_ZERO };
enum { DF_SIZE, DF_FLAGS, DF_OFFSET };
enum { XG_HONEST = -1, XG_NQ_ZERO, XG_NQ_HUGE, XG_QUEUE_MISSING, XG_QUEUE_EXTRA, XG_REF_NAN, XG_REF_UNGRANTED,
       XG_EVTCHN_MISSING, XG_MAC_MTU, XG_FLAGS };

/* Bytes each later slot of a long chain carries, and the stride between
 * them in the data page: small enough that 40 slots fit in one page. */
#define CHAIN_SLOT_BYTES 10u
#define CHAIN_SLOT_STRIDE 64u

/* An unknown extra-info type: one past the highest netif.h defines. */
#define EXTRA_TYPE_UNKNOWN 7u
/* An unknown GSO type with the largest size the field holds. */
#define GSO_TYPE_UNKNOWN 0x7Fu
#define GSO_SIZE_ABSURD 0xFFFFu
/* An honest MSS for the repeated-GSO variant. */
#define GSO_SIZE_HONEST 1448u

void hostile_tx_features(struct xvif_tx_features *f)
{
	memset(f, 0, sizeof(*f));
	f->sg = true;
	f->gso_tcpv4 = true;
	f->gso_tcpv6 = true;
}

void hostile_fill_frame(uint8_t *page, unsigned int off, unsigned int len, unsigned int seq)
{
	static const uint8_t hdr[14] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,       /* broadcast */
		0x02, 0x00, 0x00, 0x00, 0x0e, 0x71,       /* locally administered source */
		HOSTILE_ETHERTYPE >> 8, HOSTILE_ETHERTYPE & 0xff,
	};

	if (off >= XVIF_PAGE_SIZE)
		return;
	if (len > XVIF_PAGE_SIZE - off)
		len = XVIF_PAGE_SIZE - off;
	for (unsigned int i = 0; i < len; i++)
		page[off + i] = i < sizeof(hdr) ? hdr[i] : (uint8_t)(seq + i);
}

static void slot(xvif_tx_req_t *r, uint32_t gref, uint16_t off, uint16_t size, uint16_t flags, uint16_t id)
{
	memset(r, 0, sizeof(*r));
	r->gref = gref;
	r->offset = off;
	r->size = size;
	r->flags = flags;
	r->id = id;
}

static void extra(xvif_tx_req_t *r, uint8_t type, uint8_t flags, uint8_t gso_type, uint16_t gso_size)
{
	xvif_extra_t e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.flags = flags;
	if (type == XEN_NETIF_EXTRA_TYPE_GSO || type == EXTRA_TYPE_UNKNOWN) {
		e.u.gso.type = gso_type;
		e.u.gso.size = gso_size;
	}
	memset(r, 0, sizeof(*r));
	memcpy(r, &e, sizeof(e));
}

/* A chain of @n data slots: slot 0 carries the frame header share, each
 * later slot CHAIN_SLOT_BYTES at its own stride in the page. */
static void long_chain(struct hostile_tx_plan *p, unsigned int n, const uint32_t *gref, unsigned int ngref,
		       uint16_t id)
{
	uint16_t total = (uint16_t)(HOSTILE_FRAME_LEN + (n - 1) * CHAIN_SLOT_BYTES);

	for (unsigned int i = 0; i < n; i++) {
		uint16_t flags = i + 1 < n ? XEN_NETTXF_more_data : 0;

		if (i == 0)
			slot(&p->req[0], gref[0], 0, total, flags, id);
		else
			slot(&p->req[i], gref[i % ngref], (uint16_t)(i * CHAIN_SLOT_STRIDE), CHAIN_SLOT_BYTES,
			     flags, (uint16_t)(id + i));
	}
	p->nr = n;
}

int hostile_tx_plan(enum hostile_attack attack, int variant, const uint32_t *gref,
		    unsigned int ngref, uint16_t id, struct hostile_tx_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->expect = XVIF_TX_OK;
	p->expect_reason = XVIF_TXR_NONE;
	if (!gref || ngref == 0)
		return -1;

	switch (attack) {
	case ATK_FRONT_SANITY:
	case ATK_EVENT_FLOOD:
	case ATK_RX_STARVE:
	case ATK_VANISH:
	case ATK_REQ_PROD_JUMP:
	case ATK_REQ_PROD_BACKWARDS:
	case ATK_STATE_FLAP:
		slot(&p->req[0], gref[0], 0, HOSTILE_FRAME_LEN, 0, id);
		p->nr = 1;
		p->desc = "one 60-byte frame in one slot";
		return 0;
	case ATK_ZERO_LEN:
		if (variant == ZL_MIDDLE) {
			/* 60 bytes: 30 in slot 0, nothing in slot 1, 30 in slot 2. */
			slot(&p->req[0], gref[0], 0, HOSTILE_FRAME_LEN, XEN_NETTXF_more_data, id);
			slot(&p->req[1], gref[1 % ngref], 2048, 0, XEN_NETTXF_more_data, (uint16_t)(id + 1));
			slot(&p->req[2], gref[2 % ngref], 30, 30, 0, (uint16_t)(id + 2));
			p->nr = 3;
			p->desc = "60-byte frame with a zero-length middle slot";
		} else if (variant == ZL_ALL) {
			slot(&p->req[0], gref[0], 0, 0, XEN_NETTXF_more_data, id);
			slot(&p->req[1], gref[1 % ngref], 0, 0, XEN_NETTXF_more_data, (uint16_t)(id + 1));
			slot(&p->req[2], gref[2 % ngref], 0, 0, 0, (uint16_t)(id + 2));
			p->nr = 3;
			p->expect = XVIF_TX_DROP;
			p->expect_reason = XVIF_TXR_TOO_SHORT;
			p->desc = "a packet of three zero-length slots";
		} else {
			slot(&p->req[0], gref[0], 0, 0, 0, id);
			p->nr = 1;
			p->expect = XVIF_TX_DROP;
			p->expect_reason = XVIF_TXR_TOO_SHORT;
			p->desc = "a single zero-length slot";
		}
		return 0;
	case ATK_PAGE_CROSS:
		if (variant == PC_OFFSET) {
			/* 4000 + 200 runs 104 bytes into the next page. */
			slot(&p->req[0], gref[0], 4000, 200, 0, id);
			p->nr = 1;
			p->expect = XVIF_TX_FATAL;
			p->expect_reason = XVIF_TXR_CROSS_PAGE;
			p->desc = "slot at offset 4000 of size 200 crosses the page";
		} else {
			/* Slot 1 claims 100 bytes of a 60-byte packet. */
			slot(&p->req[0], gref[0], 0, HOSTILE_FRAME_LEN, XEN_NETTXF_more_data, id);
			slot(&p->req[1], gref[1 % ngref], 0, 100, 0, (uint16_t)(id + 1));
			p->nr = 2;
			p->expect = XVIF_TX_DROP;
			p->expect_reason = XVIF_TXR_SIZE_MISMATCH;
			p->desc = "second slot larger than the packet's declared total";
		}
		return 0;
	case ATK_TOO_MANY_SLOTS:
		if (variant == TM_40) {
			long_chain(p, HOSTILE_SLOTS_HOSTILE, gref, ngref, id);
			p->expect = XVIF_TX_FATAL;
			p->expect_reason = XVIF_TXR_CHAIN_TOO_LONG;
			p->desc = "40 data slots: hostile";
		} else if (variant == TM_19) {
			long_chain(p, XVIF_TX_SLOTS_DROP + 1, gref, ngref, id);
			p->expect = XVIF_TX_DROP;
			p->expect_reason = XVIF_TXR_TOO_MANY_SLOTS;
			p->desc = "19 data slots: one more than netif.h promises, dropped";
		} else {
			long_chain(p, XVIF_TX_SLOTS_DROP, gref, ngref, id);
			p->desc = "18 data slots: the legal maximum";
		}
		return 0;
	case ATK_TINY_SLOTS:
		if (variant == TS_MAX) {
			/* 18 slots: slot 0 holds 1 byte, slots 1..16 one byte each,
			 * slot 17 the remaining 43: the header is spread over 15. */
			unsigned int n = XVIF_TX_SLOTS_DROP;

			slot(&p->req[0], gref[0], 0, HOSTILE_FRAME_LEN, XEN_NETTXF_more_data, id);
			for (unsigned int i = 1; i < n; i++) {
				uint16_t len = i + 1 < n ? 1 : (uint16_t)(HOSTILE_FRAME_LEN - (n - 1));

				slot(&p->req[i], gref[i % ngref], (uint16_t)i, len,
				     i + 1 < n ? XEN_NETTXF_more_data : 0, (uint16_t)(id + i));
			}
			p->nr = n;
			p->desc = "60-byte frame over 18 slots, 1 byte in each of the first 17";
		} else {
			slot(&p->req[0], gref[0], 0, HOSTILE_FRAME_LEN, XEN_NETTXF_more_data, id);
			slot(&p->req[1], gref[1 % ngref], 6, HOSTILE_FRAME_LEN - 6, 0, (uint16_t)(id + 1));
			p->nr = 2;
			p->desc = "first slot of 6 bytes, shorter than an Ethernet header";
		}
		return 0;
	case ATK_BAD_GRANT:
		slot(&p->req[0], variant == BG_INVALID ? HOSTILE_GREF_INVALID : gref[0], 0,
		     HOSTILE_FRAME_LEN, 0, id);
		p->nr = 1;
		p->grant_fails = true;
		p->desc = variant == BG_INVALID ? "slot naming a grant ref never issued"
			: variant == BG_REVOKED ? "slot naming a page unshared right after the notify"
			: "slot naming a page granted to another domain";
		return 0;
	case ATK_BAD_EXTRA:
		slot(&p->req[0], gref[0], 0, HOSTILE_FRAME_LEN, XEN_NETTXF_extra_info, id);
		p->nr = 2;
		switch (variant) {
		case BE_UNKNOWN:
			extra(&p->req[1], EXTRA_TYPE_UNKNOWN, 0, XEN_NETIF_GSO_TYPE_TCPV4, GSO_SIZE_HONEST);
			p->expect = XVIF_TX_FATAL;
			p->expect_reason = XVIF_TXR_BAD_EXTRA_TYPE;
			p->desc = "extra-info of unknown type 7";
			break;
		case BE_TYPE_ZERO:
			extra(&p->req[1], XEN_NETIF_EXTRA_TYPE_NONE, 0, 0, 0);
			p->expect = XVIF_TX_FATAL;
			p->expect_reason = XVIF_TXR_BAD_EXTRA_TYPE;
			p->desc = "extra-info of type 0 (none)";
			break;
		case BE_REPEATED:
			extra(&p->req[1], XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE,
			      XEN_NETIF_GSO_TYPE_TCPV4, GSO_SIZE_HONEST);
			extra(&p->req[2], XEN_NETIF_EXTRA_TYPE_GSO, 0, XEN_NETIF_GSO_TYPE_TCPV4,
			      GSO_SIZE_HONEST);
			p->nr = 3;
			p->expect = XVIF_TX_DROP;
			p->expect_reason = XVIF_TXR_REPEATED_EXTRA;
			p->desc = "two GSO extra-info segments";
			break;
		case BE_TRUNCATED:
			/* The first slot announces an extra that is never produced. */
			p->nr = 1;
			p->expect = XVIF_TX_FATAL;
			p->expect_reason = XVIF_TXR_TRUNCATED;
			p->desc = "extra_info flag with no extra slot produced";
			break;
		case BE_GSO_ZERO:
			extra(&p->req[1], XEN_NETIF_EXTRA_TYPE_GSO, 0, XEN_NETIF_GSO_TYPE_TCPV4, 0);
			p->expect = XVIF_TX_DROP;
			p->expect_reason = XVIF_TXR_BAD_GSO;
			p->desc = "GSO extra with size 0";
			break;
		default:
			extra(&p->req[1], XEN_NETIF_EXTRA_TYPE_GSO, 0, GSO_TYPE_UNKNOWN, GSO_SIZE_ABSURD);
			p->expect = XVIF_TX_DROP;
			p->expect_reason = XVIF_TXR_BAD_GSO;
			p->desc = "GSO extra of unknown type 0x7f, size 65535";
			break;
		}
		return 0;
	default:
		return -1;
	}
}

void hostile_df_good(const uint32_t *gref, unsigned int ngref, uint16_t id, xvif_tx_req_t *good)
{
	/* 60 bytes: 20 + 20 + 20 over three slots of distinct pages. */
	slot(&good[0], gref[0], 0, HOSTILE_FRAME_LEN, XEN_NETTXF_more_data, id);
	slot(&good[1], gref[1 % ngref], 20, 20, XEN_NETTXF_more_data, (uint16_t)(id + 1));
	slot(&good[2], gref[2 % ngref], 40, 20, 0, (uint16_t)(id + 2));
}

unsigned int hostile_df_bad(int variant, const xvif_tx_req_t *good, xvif_tx_req_t *bad)
{
	memcpy(bad, good, HOSTILE_DF_SLOTS * sizeof(*good));
	switch (variant) {
	case DF_SIZE:
		/* Slot 1 grows past the packet total: size mismatch. */
		bad[1].size = 4000;
		return 1;
	case DF_FLAGS:
		/* The last slot claims more data follows: the chain runs on
		 * into whatever is produced next, or is truncated. */
		bad[2].flags |= XEN_NETTXF_more_data;
		return 2;
	default:
		/* Slot 1 moves to the end of its page: crosses it. */
		bad[1].offset = 4090;
		return 1;
	}
}

/* ---- control ring ---- */

static void ctrl(struct hostile_ctrl_step *s, uint16_t id, uint16_t type, uint32_t d0, uint32_t d1,
		 uint32_t d2, bool ok, const char *desc)
{
	memset(s, 0, sizeof(*s));
	s->req.id = id;
	s->req.type = type;
	s->req.data[0] = d0;
	s->req.data[1] = d1;
	s->req.data[2] = d2;
	s->expect_ok = ok;
	s->desc = desc;
}

/* A mapping table size every backend accepts (Linux's limit is 128). */
#define CTRL_MAPPING_HONEST 8u

unsigned int hostile_ctrl_plan(uint32_t gref, struct hostile_ctrl_step *s, unsigned int max)
{
	struct hostile_ctrl_step all[HOSTILE_CTRL_MAX];
	unsigned int n = 0;

	ctrl(&all[n++], 1, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ,
	     0, 0, true, "select Toeplitz (honest)");
	ctrl(&all[n++], 2, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, 0xFF, 0, 0, false,
	     "unknown hash algorithm 0xff");
	ctrl(&all[n++], 3, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, 0xFFFFFFFFu, 0, 0, false,
	     "every hash flag bit set");
	ctrl(&all[n++], 4, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, gref, 0xFFFFFFFFu, 0, false,
	     "hash key of 4 GiB");
	ctrl(&all[n++], 5, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, gref, XVIF_PAGE_SIZE + 1, 0, false,
	     "hash key one byte longer than its page");
	ctrl(&all[n++], 6, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, 0xFFFFFFFFu, 0, 0, false,
	     "mapping table of 2^32-1 entries");
	ctrl(&all[n++], 7, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, CTRL_MAPPING_HONEST, 0, 0, true,
	     "mapping table of 8 entries (honest)");
	ctrl(&all[n++], 8, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, gref, 0x20, 0xFFFFFFF0u, false,
	     "mapping offset+len wraps around 2^32");
	ctrl(&all[n++], 9, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, gref, CTRL_MAPPING_HONEST + 1, 0, false,
	     "mapping longer than the table size");
	ctrl(&all[n++], 10, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, gref, CTRL_MAPPING_HONEST, 0, false,
	     "mapping whose queue indices are 0xffffffff");
	ctrl(&all[n++], 11, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, HOSTILE_GREF_INVALID, 1, 0, false,
	     "mapping in a grant never issued");
	ctrl(&all[n++], 12, 0xFFFF, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, false,
	     "unknown request type 0xffff");
	ctrl(&all[n++], 13, XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE, 0, 0, 0, true,
	     "query the mapping size (honest: the ring still works)");
	if (n > max)
		n = max;
	memcpy(s, all, n * sizeof(*s));
	return n;
}

/* ---- xenstore ---- */

static void op(struct hostile_xs_op *ops, unsigned int *n, unsigned int max, const char *key,
	       const char *value)
{
	if (*n >= max)
		return;
	snprintf(ops[*n].key, sizeof(ops[*n].key), "%s", key);
	ops[*n].value = value;
	(*n)++;
}

static void opu(struct hostile_xs_op *ops, unsigned int *n, unsigned int max, const char *key, uint64_t v)
{
	if (*n >= max)
		return;
	snprintf(ops[*n].valbuf, sizeof(ops[*n].valbuf), "%llu", (unsigned long long)v);
	op(ops, n, max, key, ops[*n].valbuf);
}

static void queue_keys(struct hostile_xs_op *ops, unsigned int *n, unsigned int max, const char *prefix,
		       const struct hostile_xs_legit *l)
{
	char k[48];

	snprintf(k, sizeof(k), "%stx-ring-ref", prefix);
	opu(ops, n, max, k, l->tx_ref);
	snprintf(k, sizeof(k), "%srx-ring-ref", prefix);
	opu(ops, n, max, k, l->rx_ref);
	snprintf(k, sizeof(k), "%sevent-channel", prefix);
	opu(ops, n, max, k, l->evtchn);
}

unsigned int hostile_xs_plan(int variant, const struct hostile_xs_legit *l, struct hostile_xs_op *ops,
			     unsigned int max, enum hostile_xs_expect *expect)
{
	unsigned int n = 0;

	*expect = HOSTILE_XS_REFUSE_PARSE;
	if (variant == XG_QUEUE_MISSING || variant == XG_QUEUE_EXTRA) {
		op(ops, &n, max, "multi-queue-num-queues", "2");
		queue_keys(ops, &n, max, "queue-0/", l);
		if (variant == XG_QUEUE_EXTRA) {
			/* Queue 1 shares queue 0's rings; queue 2 is one too many. */
			queue_keys(ops, &n, max, "queue-1/", l);
			queue_keys(ops, &n, max, "queue-2/", l);
		}
	} else {
		queue_keys(ops, &n, max, "", l);
	}
	op(ops, &n, max, "request-rx-copy", "1");
	op(ops, &n, max, "feature-rx-notify", "1");
	op(ops, &n, max, "feature-sg", "1");
	op(ops, &n, max, "feature-gso-tcpv4", "1");
	op(ops, &n, max, "feature-gso-tcpv6", "1");
	op(ops, &n, max, "feature-ipv6-csum-offload", "1");

	switch (variant) {
	case XG_HONEST:
		*expect = HOSTILE_XS_ACCEPT;
		break;
	case XG_NQ_ZERO:
		op(ops, &n, max, "multi-queue-num-queues", "0");
		break;
	case XG_NQ_HUGE:
		op(ops, &n, max, "multi-queue-num-queues", "4294967295");
		break;
	case XG_QUEUE_MISSING:
	case XG_QUEUE_EXTRA:
		break;
	case XG_REF_NAN:
		op(ops, &n, max, "tx-ring-ref", "0x1f");
		break;
	case XG_REF_UNGRANTED:
		opu(ops, &n, max, "tx-ring-ref", HOSTILE_GREF_INVALID);
		*expect = HOSTILE_XS_REFUSE_MAP;
		break;
	case XG_EVTCHN_MISSING:
		op(ops, &n, max, "event-channel", NULL);
		break;
	case XG_MAC_MTU:
		op(ops, &n, max, "mac", "zz:00:00:00:00:00:00");
		op(ops, &n, max, "mtu", "99999999999999999999");
		*expect = HOSTILE_XS_ACCEPT;
		break;
	default:
		op(ops, &n, max, "feature-sg", "2");
		break;
	}
	return n;
}

/* Distinct keys a new-keys flood cycles through: enough to make a backend
 * that remembers every watch event grow, bounded so the guest's xenstore
 * quota (1000 entries by default) is not the thing that stops it. */
#define FLOOD_DISTINCT_KEYS 200u

void hostile_xs_flood_key(int variant, unsigned int i, char *buf, unsigned int len)
{
	if (variant == 0)
		snprintf(buf, len, "state");
	else
		snprintf(buf, len, "hostile-flood-%u", i % FLOOD_DISTINCT_KEYS);
}
