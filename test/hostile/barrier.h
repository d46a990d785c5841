/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory barriers for Xen's io/ring.h in user space. Without
 * __XEN_INTERFACE_VERSION__ the public header maps xen_mb/xen_rmb/xen_wmb
 * to mb/rmb/wmb and leaves them to the includer. The peer runs on another
 * CPU, so these are full fences, not compiler barriers.
 */
#ifndef HOSTILE_BARRIER_H
#define HOSTILE_BARRIER_H

#ifndef mb
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef rmb
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif
#ifndef wmb
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#endif
