/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hostile backend's attacks over back_xen.h. One serve loop answers the
 * frontend; each attack is a set of knobs on it (struct eb_serve) plus, for
 * ring and state corruption, a step the loop runs halfway.
 */
#ifndef HOSTILE_BACK_ATTACKS_H
#define HOSTILE_BACK_ATTACKS_H

#include "args.h"
#include "back_xen.h"

enum {
	EB_EXIT_DONE = 0,
	EB_EXIT_USAGE = 1,
	EB_EXIT_SETUP = 2,
};

/* How many responses the id attacks corrupt before answering honestly:
 * enough to be seen, few enough that a lenient frontend keeps working. */
#define EB_BAD_RESPONSES 4u

enum eb_id_mode { EB_ID_HONEST, EB_ID_DUP, EB_ID_BAD };

struct eb_serve {
	bool answer_tx;          /* respond to TX requests */
	bool deliver_rx;         /* put test frames into posted RX buffers */
	bool hold_rx;            /* map every RX buffer and keep it; never respond */
	bool hold_tx;            /* map each TX data grant and keep it, then answer OKAY */
	bool stale_check;        /* map TX data pages and look outside the packet */
	bool storm_events;       /* notify in a tight loop */
	enum eb_id_mode tx_id, rx_id;
	int corrupt_ring;        /* halfway: 0 none, 1 TX rsp_prod, 2 RX rsp_prod */
	int state_storm;         /* halfway: 0 none, 1 random states, 2 unknown values */
};

/* The knobs of @attack/@variant. Pure: unit-tested. Returns 0 or -1. */
int eb_serve_plan(enum hostile_attack attack, int variant, struct eb_serve *s);

/* Value number @i of a state storm (@kind 1 random 0..9, 2 unknown
 * strings) into @buf. Deterministic: the same run twice is the same run. */
void eb_storm_value(int kind, unsigned int i, char *buf, unsigned int len);

/* Run @o->attack on a connected backend. Returns an EB_EXIT_* value. */
int ba_run(struct evil_back *b, const struct hostile_opts *o);

#endif
