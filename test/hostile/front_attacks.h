/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hostile frontend's attacks, one function each, over front_xen.h.
 * Every attack records what it did (report actions) and sets "outcome".
 */
#ifndef HOSTILE_FRONT_ATTACKS_H
#define HOSTILE_FRONT_ATTACKS_H

#include "args.h"
#include "front_xen.h"

/* Exit statuses of xvif-evil-front (the lab scenarios read them). */
enum {
	EF_EXIT_DONE = 0,     /* the attack ran; the JSON says what the backend did */
	EF_EXIT_USAGE = 1,    /* bad command line */
	EF_EXIT_SETUP = 2,    /* could not reach the point of attack (no vif, no connect) */
	EF_EXIT_SKIP = 3,     /* the backend does not offer what the attack needs */
};

/* Run @o->attack on an opened frontend whose backend is in InitWait.
 * Returns one of the EF_EXIT_* values. vanish does not return. */
int fa_run(struct evil_front *f, const struct hostile_opts *o);

#endif
