// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control ring (feature-ctrl-ring: hash configuration, served by queue
 * 0's worker), the multicast list (feature-multicast-control: updated by TX
 * extras on any queue), and the per-queue snapshots RX reads them through.
 */
#include <errno.h>
#include <string.h>

#include "dp_int.h"

void xvif_dp_shared_init(struct xvif_dp_shared *sh)
{
	memset(sh, 0, sizeof(*sh));
	pthread_mutex_init(&sh->lock, NULL);
	xvif_hash_init(&sh->hash);
}

void xvif_dp_shared_destroy(struct xvif_dp_shared *sh)
{
	pthread_mutex_destroy(&sh->lock);
}

static void shared_changed(struct xvif_dp_shared *sh)
{
	__atomic_store_n(&sh->gen, sh->gen + 1, __ATOMIC_RELEASE);
}

void xvif_dp_snapshot_refresh(struct xvif_dp_queue *q)
{
	struct xvif_dp_shared *sh = &q->vif->sh;
	struct xvif_dp_snapshot *s = &q->snap;

	if (__atomic_load_n(&sh->gen, __ATOMIC_ACQUIRE) == s->gen)
		return;
	pthread_mutex_lock(&sh->lock);
	s->gen = sh->gen;
	s->hash = sh->hash;
	s->mcast_n = sh->mcast_n;
	memcpy(s->mcast, sh->mcast, sizeof(s->mcast));
	s->mcast_flood = sh->mcast_flood;
	pthread_mutex_unlock(&sh->lock);
	s->hashing = s->hash.algorithm == XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ && s->hash.flags != 0;
}

int xvif_dp_mcast_update(struct xvif_dp_queue *q, bool add, const uint8_t addr[6])
{
	struct xvif_dp_shared *sh = &q->vif->sh;
	unsigned int i;
	int ret = 0;

	if (!(addr[0] & 1)) {
		/* Only group addresses belong in a multicast filter. */
		xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN, "%s: multicast %s of a unicast address refused",
				     q->name, add ? "add" : "delete");
		return -1;
	}
	pthread_mutex_lock(&sh->lock);
	for (i = 0; i < sh->mcast_n; i++)
		if (memcmp(sh->mcast[i], addr, 6) == 0)
			break;
	if (add && i == sh->mcast_n) {
		if (sh->mcast_n == XVIF_MCAST_MAX) {
			/* Full: deliver all multicast rather than lose some. */
			sh->mcast_flood = true;
			ret = -1;
		} else {
			memcpy(sh->mcast[sh->mcast_n++], addr, 6);
		}
	} else if (!add && i < sh->mcast_n) {
		memmove(sh->mcast[i], sh->mcast[i + 1], (sh->mcast_n - i - 1) * 6u);
		sh->mcast_n--;
	}
	shared_changed(sh);
	pthread_mutex_unlock(&sh->lock);
	if (ret < 0) {
		xvif_cnt_add(&q->cnt, XVIF_DPC_TX_MCAST_FULL, 1);
		xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN,
				     "%s: multicast list full (%u): all multicast now delivered", q->name, XVIF_MCAST_MAX);
	} else {
		xvif_cnt_add(&q->cnt, XVIF_DPC_TX_MCAST_CTRL, 1);
	}
	return ret;
}

bool xvif_dp_mcast_allowed(const struct xvif_dp_snapshot *s, const uint8_t dst[6])
{
	unsigned int i;

	if (s->mcast_flood)
		return true;
	for (i = 0; i < s->mcast_n; i++)
		if (memcmp(s->mcast[i], dst, 6) == 0)
			return true;
	return false;
}

/* The table a SET_HASH_KEY / SET_HASH_MAPPING request names: one grant copy
 * into our buffer. @offset + @len is checked here too, before the hypervisor
 * sees it. */
static int ctrl_copy(void *ctx, uint32_t gref, uint32_t offset, void *dst, uint32_t len)
{
	struct xvif_dp_queue *q = ctx;
	xvif_gcopy_seg_t seg;

	if (len == 0 || len > XVIF_PAGE_SIZE || offset > XVIF_PAGE_SIZE - len)
		return -1;
	memset(&seg, 0, sizeof(seg));
	seg.source.foreign.ref = gref;
	seg.source.foreign.offset = (uint16_t)offset;
	seg.source.foreign.domid = q->vif->cfg.domid;
	seg.dest.virt = dst;
	seg.len = (uint16_t)len;
	seg.flags = GNTCOPY_source_gref;
	xvif_dp_gcopy(q, &seg, 1);
	return seg.status == GNTST_okay ? 0 : -1;
}

bool xvif_dp_ctrl_run(struct xvif_dp_queue *q)
{
	struct xvif_dp_vif *vif = q->vif;
	xen_netif_ctrl_back_ring_t *r = &vif->ctrl;
	unsigned int done = 0, rechecks = 0;
	bool notify;

	if (!vif->ctrl_page || xvif_dp_is_broken(q))
		return false;
	while (done < XVIF_DP_CTRL_BUDGET) {
		uint32_t prod = *(volatile uint32_t *)&r->sring->req_prod;

		xen_rmb(); /* req_prod /then/ the requests */
		if ((int32_t)(prod - r->req_cons) < 0 || prod - r->rsp_prod_pvt > RING_SIZE(r)) {
			xvif_cnt_add(&q->cnt, XVIF_DPC_RING_ERR, 1);
			xvif_dp_break(q, "ctrl ring: req_prod %u out of range (req_cons %u)", prod, r->req_cons);
			return false;
		}
		if (prod == r->req_cons) {
			int work;

			RING_FINAL_CHECK_FOR_REQUESTS(r, work);
			if (!work || ++rechecks > 2)
				break;
			continue;
		}
		while (r->req_cons != prod && done < XVIF_DP_CTRL_BUDGET) {
			xvif_ctrl_req_t req;
			xvif_ctrl_rsp_t rsp;
			struct xvif_hash scratch;

			RING_COPY_REQUEST(r, r->req_cons, &req);
			r->req_cons++;
			/* Work on a copy so the hash the RX paths read changes
			 * only as a whole, under the lock. */
			pthread_mutex_lock(&vif->sh.lock);
			scratch = vif->sh.hash;
			pthread_mutex_unlock(&vif->sh.lock);
			xvif_ctrl_handle(&scratch, vif->nq, &req, ctrl_copy, q, &rsp);
			if (rsp.status == XEN_NETIF_CTRL_STATUS_SUCCESS) {
				pthread_mutex_lock(&vif->sh.lock);
				vif->sh.hash = scratch;
				shared_changed(&vif->sh);
				pthread_mutex_unlock(&vif->sh.lock);
			} else {
				xvif_cnt_add(&q->cnt, XVIF_DPC_CTRL_ERR, 1);
				xvif_log_ratelimited(&q->rl, XVIF_LOG_WARN,
						     "%s: control request type %u (data %u %u %u) refused: status %u",
						     q->name, req.type, req.data[0], req.data[1], req.data[2], rsp.status);
			}
			*RING_GET_RESPONSE(r, r->rsp_prod_pvt++) = rsp;
			xvif_cnt_add(&q->cnt, XVIF_DPC_CTRL_REQUESTS, 1);
			done++;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify);
		if (notify)
			xvif_dp_notify(q, q->port_ctrl);
	}
	return done == XVIF_DP_CTRL_BUDGET;
}
