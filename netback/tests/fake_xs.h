/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test doubles for the control plane's outside world, linked in place of
 * cp_xs.c (xenstore), cp_dom.c (libxenctrl), tap.c (TAP devices) and the
 * data path (dp.h). Each records what the code under test did, so a test
 * can assert behaviour: keys written, TAPs made, data path calls.
 *
 * The fake xenstore keeps a flat list of path=value entries with xenstored's
 * semantics where the control plane relies on them: parents exist
 * implicitly, a watch fires for its path and everything below it, once at
 * registration, and an rm fires watches below the removed node; events
 * queue without bound, as libxenstore's list does.
 */
#ifndef XVIF_NB_FAKE_XS_H
#define XVIF_NB_FAKE_XS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp_xs.h"
#include "dp.h"

/* ---- xenstore ---- */
struct cp_xs *fake_xs_new(void);
void fake_xs_free(struct cp_xs *xs);
void fake_xs_set(struct cp_xs *xs, const char *path, const char *value);
/* NULL if missing. */
const char *fake_xs_get(struct cp_xs *xs, const char *path);
void fake_xs_del(struct cp_xs *xs, const char *path);
/* Fire a special watch ("@releaseDomain"). */
void fake_xs_fire(struct cp_xs *xs, const char *special);
size_t fake_xs_pending(struct cp_xs *xs);
unsigned int fake_xs_nwatches(struct cp_xs *xs);
/* The values written to @path so far, oldest first (the code under test's
 * writes and the test's alike). Returns how many; fills up to @max. */
unsigned int fake_xs_history(struct cp_xs *xs, const char *path, const char **vals, unsigned int max);

/* ---- domains ---- */
void fake_xs_dom_kill(uint32_t domid);
void fake_xs_dom_reset(void);

/* ---- TAP ---- */
struct fake_xs_tap_if {
	char name[16];
	bool exists;
	unsigned int mtu;
	bool carrier;
	unsigned int offload;
	unsigned int queues;
	bool persist;               /* TUNSETPERSIST: survives xvif_tap_destroy */
	int ifindex;                /* made anew on every creation */
	unsigned int attaches;      /* successful xvif_tap_attach calls */
};
/* Make @name exist as a persistent TAP nobody holds (as an earlier daemon
 * left it); returns its ifindex. */
int fake_xs_tap_leave(const char *name);
/* NULL if no interface of that name was ever made. */
const struct fake_xs_tap_if *fake_xs_tap_find(const char *name);
void fake_xs_tap_reset(void);

/* ---- data path ---- */
struct fake_xs_dp {
	unsigned int starts, stops, set_rates, live;
	unsigned int set_xdps;
	uint16_t xdp_headroom;      /* last set_xdp_headroom */
	struct xvif_dp_vif_cfg last_cfg;
	bool rate_have;
	uint64_t rate_bytes, rate_usec;
	int fail_start;             /* next start returns this (negative errno) */
	struct xvif_dp_vif *last;   /* the vif of the last successful start */
};
extern struct fake_xs_dp fake_xs_dp;
void fake_xs_dp_reset(void);
/* Mark @queue broken, as a worker would, and call on_broken. */
void fake_xs_dp_break(struct xvif_dp_vif *vif, unsigned int queue, const char *why);

#endif
