/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The attack catalogue of the hostile peers: one entry per row of
 * /work/shared/HOSTILE-PEERS.md that a peer can play, with its variants.
 * Both tools parse their command line against this table, so the names the
 * lab scenarios use (hostile-<class>) are checked in one place.
 */
#ifndef HOSTILE_ATTACKS_H
#define HOSTILE_ATTACKS_H

#include <stdbool.h>

enum hostile_side { HOSTILE_FRONT, HOSTILE_BACK };

enum hostile_attack {
	/* A hostile frontend against a backend. */
	ATK_REQ_PROD_JUMP,
	ATK_REQ_PROD_BACKWARDS,
	ATK_DOUBLE_FETCH,
	ATK_ZERO_LEN,
	ATK_PAGE_CROSS,
	ATK_TOO_MANY_SLOTS,
	ATK_TINY_SLOTS,
	ATK_BAD_GRANT,
	ATK_BAD_EXTRA,
	ATK_CTRL_GARBAGE,
	ATK_XS_GARBAGE,
	ATK_STATE_FLAP,
	ATK_XS_FLOOD,
	ATK_EVENT_FLOOD,
	ATK_RX_STARVE,
	ATK_VANISH,
	/* A baseline: connect, send a few good packets, disconnect cleanly.
	 * Proves the tool's own plumbing before blaming the backend. */
	ATK_FRONT_SANITY,
	/* A hostile backend against a frontend. */
	ATK_RSP_PROD_OVERFLOW,
	ATK_DUP_ID,
	ATK_BAD_ID,
	ATK_NEVER_RELEASE,
	ATK_EVENT_STORM,
	ATK_STATE_STORM,
	ATK_STALE_DATA,
	ATK_BACK_SANITY,
	ATK_NR
};

/* Most variants one attack has (the table below lists them). */
#define HOSTILE_MAX_VARIANTS 10

struct hostile_attack_desc {
	const char *name;                 /* --attack value */
	enum hostile_side side;
	const char *variants[HOSTILE_MAX_VARIANTS]; /* --variant values; [0] is the default */
	const char *what;                 /* one line for --help */
};

const struct hostile_attack_desc *hostile_attack_desc(enum hostile_attack a);

/* Look an attack up by name for @side. Returns ATK_NR if unknown or the
 * attack belongs to the other tool. */
enum hostile_attack hostile_attack_lookup(enum hostile_side side, const char *name);

/* Index of @variant in the attack's variant list, or -1. NULL or "" means
 * the default (index 0). */
int hostile_variant_lookup(enum hostile_attack a, const char *variant);

/* Number of variants of @a (at least 1). */
int hostile_variant_count(enum hostile_attack a);

#endif
