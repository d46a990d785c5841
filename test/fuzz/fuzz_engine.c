// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer over the whole in-process data-path engine (netback/dp_*.c) on
 * the fake grant table. The input is a program for a hostile frontend:
 *
 *   byte 0   features: bit0 2 queues, 1 split, 2 sg, 3 gso4, 4 gso6,
 *            5 multicast, 6 ctrl ring, 7 no-csum-offload
 *   byte 1   xdp-headroom / 16
 *   then ops, each an opcode byte (low bit: queue) and its arguments:
 *     TX_SLOT  12 raw request bytes at req_prod_pvt
 *     TX_PUSH  publish + notify
 *     TX_PROD  4 bytes written over the shared req_prod
 *     RX_POST  1 byte: post n buffers (grefs from the byte pattern)
 *     RX_REQ   8 raw request bytes
 *     RX_PROD  4 bytes over the RX req_prod
 *     TAP      2 bytes length, 10 bytes virtio_net_hdr, frame bytes
 *     CTRL     16 raw control request bytes, published
 *     GNT      gref, state: make a grant valid/revoked/invalid/foreign
 *     PAGE     gref, offset(2), n: write n bytes into a granted page
 *     RUN      one bounded run of the queue
 *     CLOCK    4 bytes of microseconds forward
 *     RATE     set_rate from 2 bytes
 *     RSP      the frontend consumes its responses
 *     ADOPT    1 byte: the daemon is killed and a new one adopts the rings
 *              (cfg.adopt), after taking back up to (low nibble) TX and
 *              (high nibble) RX responses it wrote but never published
 *              (the kill -9 window of a restart)
 *
 * The engine must never crash, leak (ASan, and fake_front's map/bind
 * counts at stop), read or write outside granted pages (the fake checks
 * every segment), or answer more requests than were consumed.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_front.h"

enum { OP_TX_SLOT, OP_TX_PUSH, OP_TX_PROD, OP_RX_POST, OP_RX_REQ, OP_RX_PROD, OP_TAP, OP_CTRL, OP_GNT,
       OP_PAGE, OP_RUN, OP_CLOCK, OP_RATE, OP_RSP, OP_ADOPT, OP_NR };

struct in {
	const uint8_t *p;
	size_t n;
};

static bool take(struct in *in, void *dst, size_t len)
{
	if (in->n < len)
		return false;
	memcpy(dst, in->p, len);
	in->p += len;
	in->n -= len;
	return true;
}

static uint8_t frame[70000];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xvif_log_set_level(0); /* no lines: the fuzzer wants speed */
	ff_watchdog = false;
	return 0;
}

/* Unpublish up to @k of the responses the engine pushed to @sring (never
 * below what the frontend already consumed, @cons): as if the killed
 * daemon had written them but not moved rsp_prod yet. */
#define UNPUBLISH(sring, cons, k)                                                     \
	do {                                                                          \
		uint32_t ahead_ = (uint32_t)((sring)->rsp_prod - (cons));             \
		(sring)->rsp_prod -= (k) < ahead_ ? (k) : ahead_;                     \
	} while (0)

/* A restart: the old engine goes (its mappings and bindings with it), the
 * shared rings, grants and TAP stay, and a new engine adopts them. */
static int restart_adopting(struct ff *ff, uint8_t a)
{
	unsigned int i;

	xvif_dp_vif_stop(ff->vif);
	ff->vif = NULL;
	for (i = 0; i < ff->o.nq; i++) {
		UNPUBLISH(ff->q[i].tx.sring, ff->q[i].tx.rsp_cons, a & 15u);
		UNPUBLISH(ff->q[i].rx.sring, ff->q[i].rx.rsp_cons, a >> 4);
	}
	ff->cfg.adopt = true;
	return ff_start_prepared(ff);
}

/* The engine's own invariant: every response answers a consumed request. */
static void check_invariants(struct ff *ff)
{
	unsigned int i;

	for (i = 0; i < ff->o.nq; i++) {
		struct xvif_dp_queue *q = &ff->vif->q[i];

		if ((int32_t)(q->tx.req_cons - q->tx.rsp_prod_pvt) < 0 ||
		    (int32_t)(q->rx.req_cons - q->rx.rsp_prod_pvt) < 0)
			__builtin_trap();
		if (q->rxq.bytes > XVIF_DP_RX_QUEUE_BYTES + XVIF_DP_TAP_MSG_MAX)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct ff_opts o = ff_default_opts();
	struct ff *ff;
	uint8_t b[2];
	unsigned int g;

	if (!take(&in, b, 2))
		return 0;
	o.nq = b[0] & 1 ? 2 : 1;
	o.split = b[0] & 2;
	o.sg = b[0] & 4;
	o.gso4 = b[0] & 8;
	o.gso6 = b[0] & 16;
	o.mcast = b[0] & 32;
	o.ctrl = b[0] & 64;
	o.no_csum = b[0] & 128;
	o.xdp = (uint16_t)(b[1] * 16u);
	ff = calloc(1, sizeof(*ff));
	if (!ff || ff_start(ff, &o) != 0) {
		if (ff)
			ff_stop(ff);
		free(ff);
		return 0;
	}
	/* Grants 64..191 valid, with a pattern. */
	for (g = FF_BUF_GREF; g < FF_BUF_GREF + 128; g++) {
		fake_gnt_set(&ff->fx, g, FAKE_GNT_VALID);
		memset(fake_gnt_page(&ff->fx, g), (int)g, 64);
	}
	ff->next_gref = FF_BUF_GREF + 128;

	while (in.n) {
		uint8_t op, qi;
		struct ff_queue *fq;

		take(&in, &op, 1);
		qi = (op & 1) % o.nq;
		fq = &ff->q[qi];
		switch ((op >> 1) % OP_NR) {
		case OP_TX_SLOT: {
			xvif_tx_req_t r;

			if (!take(&in, &r, sizeof(r)))
				goto out;
			*RING_GET_REQUEST(&fq->tx, fq->tx.req_prod_pvt) = r;
			fq->tx.req_prod_pvt++;
			break;
		}
		case OP_TX_PUSH:
			ff_tx_push(ff, qi);
			break;
		case OP_TX_PROD: {
			uint32_t v;

			if (!take(&in, &v, 4))
				goto out;
			fq->tx.sring->req_prod = v;
			fake_evt_raise(&ff->fx, fq->evt_tx);
			break;
		}
		case OP_RX_POST: {
			uint8_t n;
			unsigned int i;
			int notify;

			if (!take(&in, &n, 1))
				goto out;
			for (i = 0; i < (n & 31u); i++) {
				xvif_rx_req_t *r = RING_GET_REQUEST(&fq->rx, fq->rx.req_prod_pvt);

				r->id = (uint16_t)(fq->rx.req_prod_pvt % 256u);
				r->gref = FF_BUF_GREF + ((n + i) & 127u);
				fq->rx_gref[r->id] = r->gref;
				fq->rx.req_prod_pvt++;
			}
			RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fq->rx, notify);
			if (notify)
				fake_evt_raise(&ff->fx, fq->evt_rx);
			break;
		}
		case OP_RX_REQ: {
			xvif_rx_req_t r;

			if (!take(&in, &r, sizeof(r)))
				goto out;
			*RING_GET_REQUEST(&fq->rx, fq->rx.req_prod_pvt) = r;
			fq->rx.req_prod_pvt++;
			RING_PUSH_REQUESTS(&fq->rx);
			break;
		}
		case OP_RX_PROD: {
			uint32_t v;

			if (!take(&in, &v, 4))
				goto out;
			fq->rx.sring->req_prod = v;
			break;
		}
		case OP_TAP: {
			struct virtio_net_hdr vh;
			uint16_t len;

			if (!take(&in, &len, 2) || !take(&in, &vh, sizeof(vh)))
				goto out;
			len = (uint16_t)(len % sizeof(frame));
			if (len > in.n) {
				/* Short input: pad with a header-like pattern. */
				ff_frame(frame, len, 4, XVIF_IPPROTO_TCP, len);
				memcpy(frame, in.p, in.n);
				in.n = 0;
			} else {
				take(&in, frame, len);
			}
			ff_tap_write(ff, qi, &vh, frame, len);
			break;
		}
		case OP_CTRL: {
			xvif_ctrl_req_t r;
			int notify;

			if (!take(&in, &r, sizeof(r)))
				goto out;
			if (!o.ctrl)
				break;
			*RING_GET_REQUEST(&ff->ctrl, ff->ctrl.req_prod_pvt) = r;
			ff->ctrl.req_prod_pvt++;
			RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ff->ctrl, notify);
			if (notify)
				fake_evt_raise(&ff->fx, ff->cfg.fe.evtchn_ctrl);
			break;
		}
		case OP_GNT: {
			uint8_t a[2];

			if (!take(&in, a, 2))
				goto out;
			g = FF_BUF_GREF + (a[0] & 127u);
			if ((a[1] & 3) == 3)
				ff->fx.owner[g] = FF_DOMID + 1;
			else
				ff->fx.state[g] = a[1] & 3;
			break;
		}
		case OP_PAGE: {
			uint8_t a[2], n;
			uint16_t off;

			if (!take(&in, a, 1) || !take(&in, &off, 2) || !take(&in, &n, 1))
				goto out;
			g = FF_BUF_GREF + (a[0] & 127u);
			off %= FAKE_PAGE;
			if (n > in.n)
				n = (uint8_t)in.n;
			if ((uint32_t)off + n > FAKE_PAGE)
				n = (uint8_t)(FAKE_PAGE - off);
			take(&in, fake_gnt_page(&ff->fx, g) + off, n);
			break;
		}
		case OP_RUN:
			ff_run(ff, qi, 4);
			check_invariants(ff);
			break;
		case OP_CLOCK: {
			uint32_t us;

			if (!take(&in, &us, 4))
				goto out;
			ff->fx.now_us += us;
			break;
		}
		case OP_RATE: {
			uint8_t a[2];

			if (!take(&in, a, 2))
				goto out;
			xvif_dp_vif_set_rate(ff->vif, a[0] != 0, a[0] * 64u, a[1] * 1000u + 1);
			break;
		}
		case OP_ADOPT: {
			uint8_t a;

			if (!take(&in, &a, 1))
				goto out;
			if (restart_adopting(ff, a) != 0)
				goto stop; /* refused at adoption: nothing left to run */
			break;
		}
		case OP_RSP: {
			xvif_tx_rsp_t rsp[1];
			struct xvif_rxr_pkt pkt;
			unsigned int i;

			ff_tx_rsp(ff, qi, rsp, 0);
			for (i = 0; i < 64 && ff_rx_recv(ff, qi, frame, sizeof(frame), &pkt) >= 0; i++)
				;
			break;
		}
		}
	}
out:
	for (g = 0; g < o.nq; g++) {
		ff_run(ff, g, 4);
		check_invariants(ff);
	}
stop:
	ff_stop(ff);
	free(ff);
	return 0;
}
