/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-vif worker's privilege drop (see README "Security model").
 *
 * xvif_sandbox_drop(): after the worker has mapped its rings and bound its
 * event channels as root, become @uid/@gid with no supplementary groups, no
 * capabilities (bounding and ambient sets emptied, securebits locked),
 * no_new_privs, not dumpable, and rlimits that forbid core dumps, locked
 * memory, message queues and new fds beyond a few.
 *
 * xvif_sandbox_seccomp(): a seccomp allow-list of what the data path does
 * once running (read/write/poll on its fds, the grant-copy and event-channel
 * notify ioctls, memory, futexes, clocks, exiting). open/openat fail with
 * EACCES (glibc probes files internally); anything else kills the whole
 * process (SIGSYS; the kernel logs the syscall number). Thread
 * creation is allowed (clone with CLONE_THREAD only) until
 * xvif_sandbox_seal(), which adds a second filter on every thread that kills
 * on clone, seccomp and prctl as well.
 */
#ifndef XVIF_NB_SANDBOX_H
#define XVIF_NB_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

/* The worker's user and group: nobody/nogroup (see README on why not a
 * dedicated user). */
#define XVIF_WORKER_UID 65534u
#define XVIF_WORKER_GID 65534u

/* 0, or -1 with a reason in @err. */
int xvif_sandbox_drop(uid_t uid, gid_t gid, char *err, size_t errlen);
int xvif_sandbox_seccomp(char *err, size_t errlen);
int xvif_sandbox_seal(char *err, size_t errlen);

#endif
