/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Force-included (-include) into the test binaries that watch the rings'
 * producer indexes (dp.mk: test_dp_tx, test_dp_rx): every barrier of Xen's
 * ring macros (xen_mb/xen_rmb/xen_wmb -> mb/rmb/wmb, see dp_int.h) stays a
 * full fence and then calls the test's hook, if set. The ring macros put a
 * barrier just before every store of rsp_prod and after each
 * RING_PUSH_RESPONSES_AND_CHECK_NOTIFY, so a hook that checks rsp_prod sees
 * every value the engine publishes (the value a push leaves is seen at the
 * next barrier, before any later push can overwrite it).
 */
#ifndef XVIF_RING_WATCH_H
#define XVIF_RING_WATCH_H

/* Defined by the test binary; NULL: no hook. */
extern void (*xvif_ring_watch_hook)(void);

static inline void xvif_ring_watch_barrier(void)
{
	void (*h)(void);

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	h = __atomic_load_n(&xvif_ring_watch_hook, __ATOMIC_ACQUIRE);
	if (h)
		h();
}

#define mb() xvif_ring_watch_barrier()
#define rmb() xvif_ring_watch_barrier()
#define wmb() xvif_ring_watch_barrier()

#endif
