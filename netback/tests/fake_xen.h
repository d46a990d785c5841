/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake hypervisor for the data-path engine (dp_ops.h): a grant table of
 * FAKE_GNT_PAGES guest pages keyed by gref (each valid, invalid or revoked,
 * owned by one domid), grant copy as memcpy with per-segment status, ring
 * mappings with a leak count, event channels whose notifications the test
 * sees and raises, and a clock the test moves.
 */
#ifndef XVIF_FAKE_XEN_H
#define XVIF_FAKE_XEN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "dp_ops.h"

#define FAKE_GNT_PAGES 1024u
#define FAKE_EVT_PORTS 128u
#define FAKE_PAGE 4096u

enum fake_gnt_state { FAKE_GNT_INVALID = 0, FAKE_GNT_VALID, FAKE_GNT_REVOKED };

struct fake_xen;
typedef void (*fake_copy_hook_fn)(struct fake_xen *fx, void *arg);

struct fake_evt_handle {
	struct fake_xen *fx;
	int efd;                 /* readable while some port is queued */
	unsigned int queue[FAKE_EVT_PORTS];
	unsigned int qhead, qlen;
};

struct fake_evt_port {
	bool bound;
	uint32_t remote;         /* the frontend's port */
	struct fake_evt_handle *h;
	bool queued;             /* raised, not yet read by evt_pending */
	unsigned int notified;   /* backend -> frontend notifications */
};

struct fake_xen {
	uint16_t domid;          /* the frontend's domain: grants belong to it */
	uint8_t *pages;          /* FAKE_GNT_PAGES * FAKE_PAGE */
	uint8_t state[FAKE_GNT_PAGES];
	bool readonly[FAKE_GNT_PAGES];
	uint16_t owner[FAKE_GNT_PAGES];
	int maps;                /* outstanding ring mappings */
	int gnt_handles, evt_handles;
	unsigned int copy_calls, copy_segs, copy_errs;
	unsigned int copy_max_segs; /* largest single call */
	bool copy_call_fails;    /* the whole gnt_copy call fails (EFAULT) */
	fake_copy_hook_fn copy_hook;
	void *copy_hook_arg;
	uint32_t fail_bind_remote; /* binding this remote port fails (0: none) */
	struct fake_evt_port port[FAKE_EVT_PORTS];
	int binds;               /* outstanding bindings */
	uint64_t now_us;
	/* Calls that are a syscall each with the real ops (atomic):
	 * event-channel reads that found a port, unmasks, clock reads (no vDSO on a PV
	 * dom0 with an unstable TSC). copy_calls and port[].notified count
	 * the grant copies and notifications. */
	unsigned long pending_calls, unmask_calls, now_calls;
	pthread_mutex_t lock;    /* guards the event-channel state against workers */
};

extern const struct xvif_dp_ops fake_xen_ops;

int fake_xen_init(struct fake_xen *fx, uint16_t domid);
void fake_xen_destroy(struct fake_xen *fx);
uint8_t *fake_gnt_page(struct fake_xen *fx, uint32_t gref);
void fake_gnt_set(struct fake_xen *fx, uint32_t gref, enum fake_gnt_state st);
/* The local port bound to the frontend's @remote port, or 0. */
uint32_t fake_evt_local(struct fake_xen *fx, uint32_t remote);
/* The frontend notifies its @remote port. */
void fake_evt_raise(struct fake_xen *fx, uint32_t remote);
/* Notifications the backend sent on the channel of @remote. */
unsigned int fake_evt_notified(struct fake_xen *fx, uint32_t remote);

#endif
