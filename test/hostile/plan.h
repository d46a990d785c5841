/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attack plans: the exact ring requests, control messages and xenstore
 * writes each attack produces, built by pure functions. The tools put them
 * on real rings; the unit tests run them through common/'s own validators
 * (xvif_tx_parse, xvif_ctrl_handle, xvif_fe_config_parse) to prove every
 * plan is the malformation it claims to be, and what a conforming backend
 * must answer (tests/test_plan.c).
 */
#ifndef HOSTILE_PLAN_H
#define HOSTILE_PLAN_H

#include "attacks.h"
#include "tx.h"
#include "ctrl.h"

/* Slots one TX plan may hold: the 40-slot hostile chain plus extras. */
#define HOSTILE_PLAN_SLOTS 48u

/* The data slots of too-many-slots' hostile variant: twice the fatal limit,
 * "far more" than any honest frontend sends. */
#define HOSTILE_SLOTS_HOSTILE 40u

/* A grant reference no frontend hands out: the top of the v1 table's
 * 32-bit space, far above any table Xen grows. */
#define HOSTILE_GREF_INVALID 0xFFFFFFF0u

/* The frame every good packet carries: 60 bytes (minimum Ethernet, no FCS),
 * broadcast, ethertype 0x88B5 (IEEE local experimental): harmless on any
 * bridge, recognisable in a capture. */
#define HOSTILE_FRAME_LEN 60u
#define HOSTILE_ETHERTYPE 0x88B5u

struct hostile_tx_plan {
	unsigned int nr;                      /* slots to produce */
	xvif_tx_req_t req[HOSTILE_PLAN_SLOTS];
	enum xvif_tx_verdict expect;          /* what xvif's rules decide */
	enum xvif_tx_reason expect_reason;
	bool grant_fails;                     /* chain is fine, its grant copy must fail */
	const char *desc;
};

/*
 * Build the TX chain of @attack/@variant. @gref (at least one) are granted
 * data pages, used round-robin; the caller fills them with
 * hostile_fill_frame(). Request ids run from @first_id. Returns 0, or -1 if
 * the attack has no TX chain (it is played otherwise).
 */
int hostile_tx_plan(enum hostile_attack attack, int variant, const uint32_t *gref,
		    unsigned int ngref, uint16_t first_id, struct hostile_tx_plan *p);

/* Features a conforming backend sees from the hostile frontend (what it
 * writes: feature-sg, gso-tcpv4/v6, no multicast control). */
void hostile_tx_features(struct xvif_tx_features *f);

/*
 * Double fetch: the racer thread flips slot fields between the good chain
 * the main thread produced and this bad twin. Writes into @bad the bad
 * version of @good (an @n-slot chain from the sanity-3 layout) for variant
 * @variant (size, flags, offset). Returns the slot index it changes.
 */
#define HOSTILE_DF_SLOTS 3u
void hostile_df_good(const uint32_t *gref, unsigned int ngref, uint16_t first_id, xvif_tx_req_t *good);
unsigned int hostile_df_bad(int variant, const xvif_tx_req_t *good, xvif_tx_req_t *bad);

/* Fill @len bytes at @page+@off with test frame @seq (header then a pattern). */
void hostile_fill_frame(uint8_t *page, unsigned int off, unsigned int len, unsigned int seq);

/* ---- control ring ---- */

#define HOSTILE_CTRL_MAX 16u

struct hostile_ctrl_step {
	xvif_ctrl_req_t req;
	bool expect_ok;        /* a legal request the backend must accept */
	const char *desc;
};

/* The page a SET_HASH_KEY/SET_HASH_MAPPING garbage request names is filled
 * with this byte: queue indices 0xFFFFFFFF, every key byte 0xFF. */
#define HOSTILE_CTRL_FILL 0xFFu

/* Build the XSA-270 control sequence; @gref is a page filled with
 * HOSTILE_CTRL_FILL. Returns the number of steps. */
unsigned int hostile_ctrl_plan(uint32_t gref, struct hostile_ctrl_step *steps, unsigned int max);

/* ---- xenstore ---- */

#define HOSTILE_XS_OPS_MAX 24u

/* One write (value) or removal (value NULL) under the frontend's directory. */
struct hostile_xs_op {
	char key[48];
	const char *value;
	char valbuf[24];       /* storage when value is computed */
};

struct hostile_xs_legit {
	uint32_t tx_ref, rx_ref, evtchn;
};

/* What a conforming backend does with the frontend's directory. */
enum hostile_xs_expect {
	HOSTILE_XS_ACCEPT,        /* only keys a backend must ignore were spoiled */
	HOSTILE_XS_REFUSE_PARSE,  /* a value is malformed: refused before mapping */
	HOSTILE_XS_REFUSE_MAP,    /* well-formed, but the grant cannot be mapped */
};

/*
 * The honest keys a single-queue frontend writes (ring refs, event
 * channel, request-rx-copy, feature-*), then the xs-garbage @variant's
 * changes on top, in order; @variant HOSTILE_XS_HONEST: no changes (what
 * the tool writes for every other attack). Returns the number of ops and
 * sets *@expect.
 */
#define HOSTILE_XS_HONEST (-1)
unsigned int hostile_xs_plan(int variant, const struct hostile_xs_legit *l, struct hostile_xs_op *ops,
			     unsigned int max, enum hostile_xs_expect *expect);

/* Key the xs-flood attack writes for write number @i of @variant into @buf. */
void hostile_xs_flood_key(int variant, unsigned int i, char *buf, unsigned int len);

#endif
