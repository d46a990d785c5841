/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Command line of xvif-evil-front and xvif-evil-back. Pure: no Xen, no I/O
 * but the error message, so the cmocka tests drive it directly.
 */
#ifndef HOSTILE_ARGS_H
#define HOSTILE_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#include "attacks.h"

/* The vif a lab guest leaves without a netfront for the hostile frontend
 * (test/lab/README: the hostile guest's config). */
#define HOSTILE_DEFAULT_VIF 0u

/* The vif the hostile backend creates for a guest by default: far above
 * the devids the lab's scenarios use (0, 1), so it never meets a real one. */
#define HOSTILE_DEFAULT_BACK_VIF 7u

/* Defaults and bounds of the timed options, in milliseconds: long enough
 * for the backend to react under QEMU TCG (a vif handshake takes ~2 s
 * there), short enough to keep a lab scenario short. */
#define HOSTILE_DEFAULT_DURATION_MS 3000u
#define HOSTILE_DEFAULT_WAIT_MS 5000u
#define HOSTILE_MAX_MS 600000u

/* Upper bound of --count: enough for any flood, small enough that a typo
 * cannot wedge a lab run. */
#define HOSTILE_MAX_COUNT 10000000u

struct hostile_opts {
	enum hostile_side side;
	enum hostile_attack attack;
	int variant;                /* index into the attack's variant list */
	unsigned int vif;           /* devid */
	unsigned int domid;         /* evil-back: the frontend's domain (required) */
	bool have_domid;
	unsigned int duration_ms;   /* how long floods and races run */
	unsigned int wait_ms;       /* how long to wait for the peer's answer */
	unsigned int count;         /* floods: how many writes/notifies (0: until duration) */
	bool dry_run;               /* print the plan, touch no Xen device */
	bool list;                  /* --list: print the catalogue and exit */
	bool help;
};

/* Parse @argv for @side. Returns 0, or -1 with a message naming the bad
 * argument and what to do in @err. */
int hostile_parse_args(enum hostile_side side, int argc, char *const argv[],
		       struct hostile_opts *o, char *err, unsigned int errlen);

/* Print usage (with the attack catalogue of @side) to @f. */
void hostile_usage(enum hostile_side side, const char *prog, FILE *f);

#endif
