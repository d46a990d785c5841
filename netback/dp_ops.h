/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor operations the data-path engine needs, behind one small
 * table, so the same engine runs on Xen (dp_xen.c: libxengnttab and
 * libxenevtchn) and in-process on a fake grant table (netback/tests/fake_*).
 *
 * Handles: one grant-table handle per vif (gnt_*), one event-channel handle
 * per queue (evt_*), so each worker polls its own fd.
 */
#ifndef XVIF_NB_DP_OPS_H
#define XVIF_NB_DP_OPS_H

#include <stdint.h>
#include <xengnttab.h>

/* One grant-copy segment: libxengnttab's own layout, so the real op hands
 * the array to xengnttab_grant_copy() untouched. */
typedef xengnttab_grant_copy_segment_t xvif_gcopy_seg_t;

struct xvif_dp_ops {
	/* Open/close the vif's grant-table handle. open returns NULL (errno set) on failure. */
	void *(*gnt_open)(void *octx);
	void (*gnt_close)(void *gh);
	/* Map one granted page of @domid read-write; NULL with errno on failure. */
	void *(*gnt_map)(void *gh, uint16_t domid, uint32_t gref);
	void (*gnt_unmap)(void *gh, void *page);
	/* Copy @n segments in one call. Returns 0 when the call was made
	 * (each segment's status then says whether it worked), or -1 with
	 * errno when no segment was attempted. */
	int (*gnt_copy)(void *gh, xvif_gcopy_seg_t *segs, unsigned int n);

	/* One event-channel handle per queue; its fd is non-blocking. */
	void *(*evt_open)(void *octx);
	void (*evt_close)(void *eh);
	int (*evt_fd)(void *eh);
	/* Returns the local port, or -1 with errno. */
	int (*evt_bind)(void *eh, uint16_t domid, uint32_t remote_port);
	void (*evt_unbind)(void *eh, uint32_t local_port);
	int (*evt_notify)(void *eh, uint32_t local_port);
	/* Up to @max pending local ports into @ports: how many, 0 when none
	 * is pending (never blocks). Unmask @n ports. One call each however
	 * many ports (on Xen one read(2)/write(2) of the event-channel
	 * device; libxenevtchn's per-port calls would make one per port). */
	int (*evt_pending_n)(void *eh, uint32_t *ports, unsigned int max);
	int (*evt_unmask_n)(void *eh, const uint32_t *ports, unsigned int n);

	/* Monotonic time in microseconds. */
	uint64_t (*now_us)(void *octx);
};

/* The real operations (libxengnttab, libxenevtchn, CLOCK_MONOTONIC). */
extern const struct xvif_dp_ops xvif_dp_xen_ops;

#endif
