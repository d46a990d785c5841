/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Isolation of each vif's data path (README "Security model").
 *
 * The control plane calls xvif_iso_vif_*, which have the shape of dp.h's
 * xvif_dp_vif_* and dispatch on the daemon-wide mode:
 *
 *   XVIF_ISO_NONE     the in-process engine: one thread per queue in the
 *                     daemon (xvif_dp_vif_* directly).
 *   XVIF_ISO_PROCESS  one worker process per vif, started by fork+exec of
 *                     /proc/self/exe --vif-worker: it gets the config and
 *                     the TAP fds over a socketpair, maps and binds as root,
 *                     then drops to an unprivileged uid with no capabilities
 *                     and a seccomp allow-list (sandbox.h) before it parses
 *                     anything the guest wrote. The daemon never trusts what
 *                     a worker says: its death, a malformed message or a
 *                     broken queue all close only that vif (on_broken).
 *
 * In process mode the handle the control plane holds is this file's proxy,
 * not the engine's struct: apply only xvif_iso_vif_* to it. The mode is set
 * once, before the first vif starts.
 */
#ifndef XVIF_NB_ISO_H
#define XVIF_NB_ISO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dp.h"
#include "dp_ops.h"

enum xvif_iso_mode { XVIF_ISO_NONE, XVIF_ISO_PROCESS };

void xvif_iso_set_mode(enum xvif_iso_mode m);
enum xvif_iso_mode xvif_iso_get_mode(void);
/* "none" / "process" -> 0, or -1. */
int xvif_iso_mode_parse(const char *s, enum xvif_iso_mode *m);
const char *xvif_iso_mode_name(enum xvif_iso_mode m);

/* dp.h's API, isolated or not. start blocks (bounded) until the worker says
 * it mapped and bound everything, or why it could not (tools and tests;
 * the daemon's loop uses start_async). */
int xvif_iso_vif_start(const struct xvif_dp_vif_cfg *cfg, struct xvif_dp_vif **out, char *err, size_t errlen);

/*
 * Start without waiting for the worker: spawn it and send its config (both
 * quick), return. The worker's answer (STARTED, FAILED, its death, or no
 * answer within XVIF_ISO_START_TIMEOUT_MS) is taken by the vif's monitor
 * thread, which then calls @done(@arg) once (from that thread: it must only
 * wake the loop). The loop then collects it with start_result. Returns 0
 * with *@out set (a starting vif: only stop, start_result, starting, pid
 * and uid apply to it until start_result said 0), or a negative errno with
 * @err (nothing left). In mode none the start is synchronous and @done is
 * not called: start_result says 0 at once.
 */
typedef void (*xvif_iso_start_done_fn)(void *arg);
int xvif_iso_vif_start_async(const struct xvif_dp_vif_cfg *cfg, xvif_iso_start_done_fn done, void *arg,
			     struct xvif_dp_vif **out, char *err, size_t errlen);
/* 1: no answer yet; 0: started (the vif is served); <0: the start failed,
 * @err says why (the worker is killed; xvif_iso_vif_stop reaps it and frees
 * the vif). Never blocks. */
int xvif_iso_vif_start_result(struct xvif_dp_vif *vif, char *err, size_t errlen);
/* Its worker has not answered yet. */
bool xvif_iso_vif_starting(const struct xvif_dp_vif *vif);
/* How long a worker has to answer its config. */
#define XVIF_ISO_START_TIMEOUT_MS 10000u
void xvif_iso_vif_stop(struct xvif_dp_vif *vif);
void xvif_iso_vif_set_rate(struct xvif_dp_vif *vif, bool have, uint64_t bytes, uint64_t usec);
void xvif_iso_vif_set_xdp_headroom(struct xvif_dp_vif *vif, uint16_t headroom);
unsigned int xvif_iso_vif_num_queues(const struct xvif_dp_vif *vif);
bool xvif_iso_vif_broken(const struct xvif_dp_vif *vif);
int xvif_iso_vif_queue_status(const struct xvif_dp_vif *vif, unsigned int queue, struct xvif_dp_queue_status *st);
/* The worker's pid (0 in mode none). */
pid_t xvif_iso_vif_pid(const struct xvif_dp_vif *vif);

/* Each worker runs as its own uid (and gid, the same number) from
 * [base, base + count): never two workers at once, a uid reused only after
 * its worker was reaped, and never one some other process holds. The
 * default range is unused by Linux distributions and systemd (systemd's
 * UIDS-GIDS.md: 65536..524287 "unused"; below the usual /etc/subuid start,
 * 100000). Set once, before the first vif starts. */
#define XVIF_ISO_UID_BASE_DEFAULT 65536u
#define XVIF_ISO_UID_COUNT_DEFAULT 4096u
#define XVIF_ISO_UID_COUNT_MAX 65536u
int xvif_iso_set_uid_range(uint32_t base, uint32_t count, char *err, size_t errlen);
/* Whether [base, base + count) is free to use: 0, or -1 with an error that
 * names the first user, group or subordinate-id range found in it and says
 * what to do. @etc: a directory holding passwd, group, subuid and subgid
 * (tests); NULL: the system's user and group databases (NSS) and
 * /etc/subuid, /etc/subgid. */
int xvif_iso_uid_range_check(uint32_t base, uint32_t count, const char *etc, char *err, size_t errlen);
/* Workers leave the daemon's mount, IPC, UTS, network and cgroup
 * namespaces (default on). */
void xvif_iso_set_namespaces(bool on);
/* The memory bound (RLIMIT_DATA) of a worker with @nq queues, 0 when
 * none is set (sanitizer builds, whose shadow memory counts against it). */
uint64_t xvif_iso_data_limit(unsigned int nq);
/* The worker's uid (0 in mode none). */
uid_t xvif_iso_vif_uid(const struct xvif_dp_vif *vif);

/* Daemon-wide counters for status. */
struct xvif_iso_stats {
	uint64_t spawned;        /* workers started */
	uint64_t died;           /* workers that died or exited unasked */
	uint64_t bad_reports;    /* malformed messages from a worker */
	uint64_t killed;         /* workers SIGKILLed at stop (no exit in time) */
	uint64_t mem_bound;      /* workers killed at their memory bound */
};
void xvif_iso_stats(struct xvif_iso_stats *out);

/* ---- the worker side (iso_worker.c, not linked into the cp tests) ---- */

/* main() of `xvif-netback --vif-worker` (fd 3: the command socket). */
int xvif_iso_worker_main(void);

/* The worker's whole life on command socket @sock, on @ops (the real
 * hypervisor, or a test's fake). @sandbox false: no uid change (tests not
 * run as root; also no namespaces). Returns the exit status. */
int xvif_iso_worker_run(int sock, const struct xvif_dp_ops *ops, void *octx, bool drop_uid);

/* Start the engine's per-queue threads on a vif started with
 * xvif_dp_vif_start_ops(threads=false) (after the sandbox is up). */
int xvif_iso_worker_threads(struct xvif_dp_vif *vif, char *err, size_t errlen);

/* ---- for tests ---- */

/* The start timeout for the next starts (0: XVIF_ISO_START_TIMEOUT_MS), so
 * that a test of a worker that never answers need not wait 10 s. */
void xvif_iso_test_set_start_timeout_ms(unsigned int ms);

/* The daemon's reading of a worker's status page (copy, then check). */
int xvif_iso_page_read(const void *page, unsigned int nq, unsigned int queue, struct xvif_dp_queue_status *st);

#endif
