/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-vif worker's privilege drop (see README "Security model").
 *
 * xvif_sandbox_unshare(): after the worker has mapped its rings and bound
 * its event channels as root, leave the daemon's namespaces: no filesystem,
 * no network, no IPC objects, its own hostname.
 *
 * xvif_sandbox_drop(): then become @uid/@gid (its own, per vif) with no supplementary groups, no
 * capabilities (bounding and ambient sets emptied, securebits locked),
 * no_new_privs, not dumpable, and rlimits that forbid core dumps, locked
 * memory, message queues and new fds beyond a few, and bound its
 * private memory (RLIMIT_DATA).
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

#include <stdint.h>

/* 0, or -1 with a reason in @err. @data_limit: RLIMIT_DATA in bytes (the
 * private writable memory the worker may map: heap, thread stacks, anonymous
 * mmap; not its shared grant and status mappings), 0 for none. */
int xvif_sandbox_drop(uid_t uid, gid_t gid, uint64_t data_limit, char *err, size_t errlen);
/* Still root, no thread started yet: fresh mount, IPC, UTS, network and
 * cgroup namespaces for the calling thread (and the threads it starts later),
 * with an empty read-only tmpfs as the root of its filesystem view. The fds
 * it holds (TAP, gntdev, evtchn, its socket) keep working. */
int xvif_sandbox_unshare(char *err, size_t errlen);
int xvif_sandbox_seccomp(char *err, size_t errlen);
int xvif_sandbox_seal(char *err, size_t errlen);

#endif
