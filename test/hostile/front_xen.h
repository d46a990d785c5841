/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hostile frontend's plumbing: everything an honest netfront does,
 * from user space in a lab guest, so the attacks can then break exactly one
 * rule at a time. Pages are shared with libxengnttab's gntshr (the guest's
 * gntalloc device), event channels allocated with libxenevtchn, keys
 * written with libxenstore.
 *
 * Lifetime: ef_open -> ef_share -> (ef_write_keys, ef_set_state) ->
 * attack -> ef_close. ef_close is idempotent and is the error path too.
 */
#ifndef HOSTILE_FRONT_XEN_H
#define HOSTILE_FRONT_XEN_H

#include <stdbool.h>
#include <stdint.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>

#include "barrier.h"
#include "plan.h"
#include "report.h"
#include "xsutil.h"

/* Data pages shared for TX, and for RX buffers: enough to fill a good part
 * of a ring, few enough to stay far below gntalloc's default limit (1024). */
#define EF_TX_PAGES 32u
#define EF_RX_PAGES 64u

/* Poll period of the wait loops: how often a backend state change is seen
 * when no event arrives. */
#define EF_POLL_MS 50u

struct ef_counts {
	unsigned long tx_pkts, tx_slots;          /* produced */
	unsigned long rsp_okay, rsp_error, rsp_dropped, rsp_null, rsp_other;
	unsigned long rsp_total;
	unsigned long rsp_prod_overflow;          /* backend's rsp_prod ran past our requests */
	unsigned long rx_posted, rx_rsp;
	unsigned long events;                     /* notifications received */
	unsigned long notifies;                   /* notifications sent */
};

struct evil_front {
	struct xs_handle *xs;
	xengntshr_handle *gs;
	xenevtchn_handle *xce;
	unsigned int vif;
	unsigned long self_domid, be_domid;
	char fe_path[HOSTILE_PATH_MAX];
	char be_path[HOSTILE_PATH_MAX];
	/* What the backend advertised. */
	unsigned long be_max_queues;
	bool be_ctrl_ring, be_split;

	/* Shared pages; NULL when not shared. */
	void *tx_page, *rx_page, *ctrl_page;
	uint32_t tx_ref, rx_ref, ctrl_ref;
	uint8_t *tx_data, *rx_data;
	uint32_t tx_data_ref[EF_TX_PAGES], rx_data_ref[EF_RX_PAGES];
	xvif_tx_front_ring_t tx;
	xvif_rx_front_ring_t rx;
	struct xen_netif_ctrl_front_ring ctrl;

	int port, ctrl_port;            /* local event channel ports, -1 if none */
	int fe_state;                   /* last state this tool wrote */
	struct ef_counts c;
	struct report *rep;
};

/* Open the three Xen handles and find the vif's directories and backend.
 * Returns 0, or -1 after recording why in the report. */
int ef_open(struct evil_front *f, unsigned int vif, struct report *rep);

/* Bring the backend to InitWait: if it is not there already, say
 * Initialising (the frontend restarted) and wait up to @wait_ms. */
int ef_await_initwait(struct evil_front *f, unsigned int wait_ms);

/* Share the ring pages (and a control ring if @ctrl), the data pages, and
 * allocate the event channel(s). Rings initialised empty. */
int ef_share(struct evil_front *f, bool ctrl);

/* Write the honest single-queue keys (plan.h's hostile_xs_plan order with
 * no spoiling), plus the control ring's keys if shared. */
int ef_write_keys(struct evil_front *f);

/* The one function that writes this frontend's `state`. */
int ef_set_state(struct evil_front *f, int state);

/* Honest connect: keys, Connected, wait for the backend's Connected.
 * Returns 0, or -1 if the backend did not connect within @wait_ms. */
int ef_connect(struct evil_front *f, unsigned int wait_ms);

/* Wait until the backend's state is one of @want (a bit mask of 1 << state)
 * or @wait_ms pass, collecting responses and events meanwhile. Returns the
 * last state seen (-1 if none). */
int ef_wait_state(struct evil_front *f, unsigned int want, unsigned int wait_ms);

/* Copy @n requests into the TX ring at req_prod_pvt, push, notify if the
 * backend asked. Returns 0, or -1 if the ring has no room for them. */
int ef_tx_push(struct evil_front *f, const xvif_tx_req_t *req, unsigned int n);

/* Consume every TX response produced (copy, then count by status). */
void ef_tx_collect(struct evil_front *f);

/* Wait up to @wait_ms for every produced TX request to be answered (or
 * the backend to leave Connected). Returns the number still unanswered. */
unsigned int ef_tx_drain(struct evil_front *f, unsigned int wait_ms);

/* Post @n RX buffers (one data page each, at most EF_RX_PAGES in flight). */
void ef_rx_post(struct evil_front *f, unsigned int n);

/* Consume produced RX responses (counted, not delivered anywhere). */
void ef_rx_collect(struct evil_front *f);

/* Notify the backend on the main event channel. */
void ef_notify(struct evil_front *f);

/* Handle pending events without blocking more than @ms. */
void ef_poll_events(struct evil_front *f, unsigned int ms);

/* Record the backend's answer: its state, its error node(s), our counters. */
void ef_report_answer(struct evil_front *f);

/* Honest goodbye: Closing, wait for the backend to close (up to @wait_ms),
 * Closed, then unshare, unbind, close handles. Idempotent. */
void ef_close(struct evil_front *f, unsigned int wait_ms);

#endif
