/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hostile backend's plumbing, in dom0: it creates a vif device for a
 * guest by itself (both xenstore directories, as libxl would, but under
 * backend/xvif-evil/ so no other backend, kernel or xvif-netback, serves
 * it), waits for the guest's netfront, maps its rings with libxengnttab,
 * binds its event channel with libxenevtchn, and then lets an attack answer
 * the frontend. Lifetime: eb_open -> eb_create -> eb_connect -> attack ->
 * eb_close (idempotent, the error path too).
 */
#ifndef HOSTILE_BACK_XEN_H
#define HOSTILE_BACK_XEN_H

#include <stdbool.h>
#include <stdint.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>

#include "barrier.h"
#include "plan.h"
#include "report.h"
#include "xsutil.h"

/* The backend-type directory the hostile backend serves: not "vif", so the
 * kernel's xen-netback and xvif-netback both leave the device alone. */
#define EB_BACKEND_TYPE "xvif-evil"

/* Poll period of the wait loops. */
#define EB_POLL_MS 50u

/* Most RX buffers never-release holds mapped: the whole RX ring. */
#define EB_HOLD_MAX 256u

struct eb_counts {
	unsigned long tx_req, tx_pkts, tx_rsp;
	unsigned long rx_req, rx_rsp, rx_delivered, rx_copy_fail;
	unsigned long req_prod_overflow;     /* frontend's req_prod ran past the ring */
	unsigned long events, notifies;
	unsigned long stale_pages, stale_bytes, data_pages_checked, data_map_fail;
	unsigned long held;
};

struct evil_back {
	struct xs_handle *xs;
	xengnttab_handle *gt;
	xenevtchn_handle *xce;
	unsigned int domid, vif;
	char be_path[HOSTILE_PATH_MAX];
	char fe_path[HOSTILE_PATH_MAX];
	bool created;

	void *tx_page, *rx_page;
	xvif_tx_back_ring_t tx;
	xvif_rx_back_ring_t rx;
	int port;                       /* local port, -1 if not bound */
	int be_state;                   /* last state written */
	void *held[EB_HOLD_MAX];        /* never-release: mapped RX buffers */
	struct eb_counts c;
	struct report *rep;
};

int eb_open(struct evil_back *b, unsigned int domid, unsigned int vif, struct report *rep);

/* Create the device: frontend dir (owned by the guest, trusted=0) and our
 * backend dir, in one transaction, then advertise and say InitWait. */
int eb_create(struct evil_back *b);

/* The one function that writes this backend's `state`. */
int eb_set_state(struct evil_back *b, int state);

/* Wait for the frontend to say Connected (or Initialised), map its rings,
 * bind its event channel, say Connected. Returns 0 or -1. */
int eb_connect(struct evil_back *b, unsigned int wait_ms);

/* Handle pending events, waiting at most @ms. */
void eb_poll(struct evil_back *b, unsigned int ms);

void eb_notify(struct evil_back *b);

/* Copy out the TX requests produced since last time (at most @max), after
 * checking req_prod against the ring size. Returns how many. */
unsigned int eb_tx_take(struct evil_back *b, xvif_tx_req_t *out, unsigned int max);
unsigned int eb_rx_take(struct evil_back *b, xvif_rx_req_t *out, unsigned int max);

/* Put one response on a ring (not pushed: eb_push does that). */
void eb_tx_put(struct evil_back *b, uint16_t id, int16_t status);
void eb_rx_put(struct evil_back *b, uint16_t id, uint16_t offset, uint16_t flags, int16_t status);
/* Push responses on both rings and notify. */
void eb_push(struct evil_back *b);

/* Deliver a 60-byte test frame into RX request @req (grant copy) and put
 * its response. Returns 0, or -1 if the copy failed (response ERROR). */
int eb_rx_deliver(struct evil_back *b, const xvif_rx_req_t *req, unsigned int seq);

/* Map a frontend grant read-only and count bytes outside [off, off+len)
 * that are not zero (XSA-403: what else the guest leaves in shared pages). */
void eb_check_stale(struct evil_back *b, uint32_t gref, unsigned int off, unsigned int len);

/* Frontend state, and a report of the answer. */
int eb_fe_state(struct evil_back *b);
int eb_wait_fe(struct evil_back *b, unsigned int want, unsigned int wait_ms);
void eb_report_answer(struct evil_back *b);

/* Goodbye: Closing, wait for the frontend, Closed, unmap everything,
 * remove the directories we created. Idempotent. */
void eb_close(struct evil_back *b, unsigned int wait_ms);

#endif
