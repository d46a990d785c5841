/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control plane's daemon state: every vif it serves, and the dispatch
 * of xenstore watch events to them.
 *
 * Watch events are coalesced: an event only marks its vif dirty (or asks
 * for a rescan of backend/vif); after a bounded batch of events every dirty
 * vif is reconciled once against what xenstore says now. A guest that
 * writes its state key a million times costs a dirty flag, never memory
 * (XSA-349), and the reconcile reads the current values, so a coalesced-away
 * intermediate state is never acted on.
 *
 * Single-threaded: everything here runs on the event loop's thread. The one
 * exception is cp_vif_broken_cb(), called by data-path workers.
 */
#ifndef XVIF_NB_CP_DAEMON_H
#define XVIF_NB_CP_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_xs.h"
#include "cp_dom.h"
#include "log.h"
#include "xs_schema.h"

/* Watch events handled per pass before the dirty vifs are reconciled and
 * the loop polls its other fds again: keeps the status socket and broken
 * queues served during a flood. */
#define CP_WATCH_BUDGET 256u

/* Most vifs one daemon serves. Each costs a fixed-size struct and a TAP;
 * a backend/vif tree larger than this is refused (logged), not grown into. */
#define CP_MAX_VIFS 1024u

/* Watch tokens. The frontend token carries the vif's ids: "fe:<domid>:<devid>". */
#define CP_TOKEN_BACKEND "be"
#define CP_TOKEN_RELEASE "rd"
#define CP_TOKEN_FE_PREFIX "fe:"

struct cp_vif;

struct cp_stats {
	uint64_t events;        /* watch events taken */
	uint64_t reconciles;    /* vif reconciles run */
	uint64_t rescans;       /* backend/vif directory listings */
};

/* Where the daemon records the persistent TAPs it owns, one file per vif
 * ("<domid>.<devid>": "ifname=<name> ifindex=<n>"), so that a restarted
 * daemon re-attaches its own interfaces and removes orphans. */
#define CP_VIF_DIR_DEFAULT "/run/xvif-netback/vifs"

struct cp_daemon {
	struct cp_xs *xs;
	struct cp_dom *dom;
	char be_root[CP_XS_PATH_MAX];   /* "/local/domain/0/backend/vif" */
	struct xvif_be_caps caps;       /* what every vif advertises */
	struct cp_vif *vifs;            /* singly linked, unordered */
	unsigned int nvifs;
	bool rescan;                    /* list backend/vif again */
	bool check_domains;             /* a domain died: ask which */
	int broken_efd;                 /* eventfd the data path's on_broken and the workers' start answers write */
	struct cp_stats stats;
	struct xvif_ratelimit rl;       /* for events that are not a vif's */
	char vif_dir[CP_XS_PATH_MAX];   /* CP_VIF_DIR_DEFAULT unless set after init */
	bool orphans_checked;           /* the first pass removed orphan TAPs */
	unsigned int adopted;           /* vifs re-attached from an earlier run */
	unsigned int orphans_removed;
};

/*
 * Set up for serving backend/vif under @own_domid's home: watch it and
 * @releaseDomain, make the broken-queue eventfd. @max_queues caps
 * multi-queue-max-queues (0: the online CPU count). 0, or -1 with @err.
 */
int cp_daemon_init(struct cp_daemon *d, struct cp_xs *xs, struct cp_dom *dom, unsigned int own_domid,
		   unsigned int max_queues, char *err, size_t errlen);
/* Take up to CP_WATCH_BUDGET watch events, then reconcile what they
 * touched. 1: events may remain (call again without waiting), 0: drained,
 * -1: the xenstore connection failed. */
int cp_daemon_handle_xs(struct cp_daemon *d);
/* The broken eventfd is readable: close every vif with a broken queue;
 * finish every vif whose worker answered its start (Connected, or closed
 * with the reason), then reconcile those. */
void cp_daemon_handle_broken(struct cp_daemon *d);
/* Stop every vif's data path, carrier off, state Closed, TAPs removed
 * (the admin's --teardown-on-exit). */
void cp_daemon_shutdown(struct cp_daemon *d);
/* Exit for a restart or upgrade: stop every data path (workers finish their
 * pass, so responses stay at packet boundaries), detach from the persistent
 * TAPs, write nothing to xenstore: the next daemon adopts every vif. */
void cp_daemon_handover(struct cp_daemon *d);
/* The TAP records in d->vif_dir. write: 0 or -1 (errno); read: 0 with
 * @ifname/@ifindex, -1 if none or malformed (a malformed one is logged). */
int cp_record_write(struct cp_daemon *d, uint32_t domid, uint32_t devid, const char *ifname, int ifindex);
int cp_record_read(struct cp_daemon *d, uint32_t domid, uint32_t devid, char ifname[16], int *ifindex);
void cp_record_remove(struct cp_daemon *d, uint32_t domid, uint32_t devid);
/* Remove the persistent TAP an earlier run recorded for backend/vif/@domid/
 * @devid (record gone too). 1 removed, 0 nothing recorded, -1 failed. */
int cp_daemon_remove_recorded_tap(struct cp_daemon *d, uint32_t domid, uint32_t devid);
void cp_daemon_fini(struct cp_daemon *d);

/* Before serving: SIGKILL every vif worker process (argv[1] is @marker:
 * `xvif-netback --vif-worker NAME`) an earlier daemon left (they die with it through
 * PR_SET_PDEATHSIG; this covers a worker that outlived it anyway) and wait
 * until they are gone, so no old process still works a ring we adopt.
 * Returns how many were killed. */
int cp_kill_stale_workers(const char *marker);

struct cp_vif *cp_daemon_find(struct cp_daemon *d, uint32_t domid, uint32_t devid);

/* multi-queue-max-queues for @cpus online CPUs and the admin's cap (0: none). */
unsigned int cp_max_queues(long cpus, unsigned int cap);

#endif
