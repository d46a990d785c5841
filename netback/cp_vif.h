/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One vif's backend: its xenstore state machine, TAP and data path.
 * cp_vif_reconcile() is the whole control logic: it reads what the
 * toolstack and the frontend say now and moves the vif accordingly.
 */
#ifndef XVIF_NB_CP_VIF_H
#define XVIF_NB_CP_VIF_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_daemon.h"
#include "dp.h"
#include "tap.h"

/* Longest message we keep and write to the `error` node. */
#define CP_ERROR_MAX 192u

struct cp_vif {
	struct cp_daemon *d;
	struct cp_vif *next;
	uint32_t domid, devid;          /* from the backend path: backend/vif/<domid>/<devid> */
	char name[24];                  /* "xvif3.0": the prefix of every log line */
	char be[CP_XS_PATH_MAX];        /* our backend directory */
	char fe[CP_XS_PATH_MAX];        /* the frontend directory, "" until read */
	char fe_token[40];
	bool fe_watched;
	unsigned int state;             /* the backend state we last wrote (XenbusState) */
	unsigned int fe_state;          /* the frontend state last read (Unknown if invalid) */
	char hotplug[24];               /* hotplug-status last read, truncated */
	bool dirty;                     /* a watch event touched it since the last reconcile */
	bool dead;                      /* its domain died */
	bool failed;                    /* cannot be served (TAP, toolstack keys): Closed for good */
	bool have_tool;
	struct xvif_tool_config tool;   /* toolstack keys as applied */
	struct xvif_fe_config fe_cfg;   /* valid while connected */
	char ifname[16];
	struct xvif_tap tap;
	struct xvif_dp_vif *dp;         /* non-NULL while connected or starting */
	bool starting;                  /* dp's worker has not answered yet: not served, not Connected */
	bool start_adopt;               /* that start adopts rings an earlier run mapped */
	int broken;                     /* set by a worker (atomic), cleared by the loop */
	bool error_written;
	char error[CP_ERROR_MAX];       /* last error, also in the `error` node */
	uint64_t connects;              /* successful connects, for status */
	bool adopt;                     /* found Connected from an earlier run: adopt its rings */
	bool tap_persistent;            /* TUNSETPERSIST done and recorded in d->vif_dir */
	bool handed_over;               /* daemon exiting for a restart: leave the TAP */
	struct xvif_ratelimit rl;       /* for everything this vif's guest can trigger */
};

struct cp_vif *cp_vif_new(struct cp_daemon *d, uint32_t domid, uint32_t devid);
enum cp_vif_result { CP_VIF_KEEP, CP_VIF_GONE };
/* Bring the vif in line with xenstore. GONE: its directory was removed and
 * everything is torn down; the caller frees it. */
enum cp_vif_result cp_vif_reconcile(struct cp_vif *v);
/* A queue broke (seen on the loop thread): log, `error` node, Closing. */
void cp_vif_handle_broken(struct cp_vif *v);
/* If its worker answered: Connected (or, adopted, served again), or the
 * failure path (error node, Closed). true if the start ended; the caller
 * then reconciles the vif (its frontend may have moved meanwhile). */
bool cp_vif_handle_start(struct cp_vif *v);
/* Daemon shutdown: tear down, state Closed. */
void cp_vif_shutdown(struct cp_vif *v);
/* Daemon exit for a restart: stop the data path, detach from the TAP
 * (kept, persistent), no xenstore writes. */
void cp_vif_handover(struct cp_vif *v);
/* Unwatch, tear down (no xenstore writes; TAP kept if handed over), free. */
void cp_vif_free(struct cp_vif *v);

/* The interface name rule: the toolstack's vifname if set, else
 * "xvif<domid>.<devid>". 0, or -1 if neither gives a valid name. */
int cp_vif_ifname(const struct xvif_tool_config *tool, uint32_t domid, uint32_t devid, char buf[16]);

/* The data path's on_broken callback (any thread). */
void cp_vif_broken_cb(void *arg, unsigned int queue, const char *why);
/* iso.h's start_done callback (a monitor thread): wakes the loop. */
void cp_vif_start_cb(void *arg);

#endif
