// SPDX-License-Identifier: GPL-2.0-only
/* The hostile backend's attack knobs: see back_attacks.h. Pure. */
#include <stdio.h>
#include <string.h>

#include "back_attacks.h"

int eb_serve_plan(enum hostile_attack attack, int variant, struct eb_serve *s)
{
	memset(s, 0, sizeof(*s));
	s->answer_tx = true;
	s->deliver_rx = true;
	switch (attack) {
	case ATK_BACK_SANITY:
		return 0;
	case ATK_RSP_PROD_OVERFLOW:
		s->corrupt_ring = variant == 0 ? 1 : 2;
		return 0;
	case ATK_DUP_ID:
		if (variant == 0)
			s->tx_id = EB_ID_DUP;
		else
			s->rx_id = EB_ID_DUP;
		return 0;
	case ATK_BAD_ID:
		if (variant == 0)
			s->tx_id = EB_ID_BAD;
		else
			s->rx_id = EB_ID_BAD;
		return 0;
	case ATK_NEVER_RELEASE:
		if (variant == 1) { /* answered: the frontend's revoke of a TX grant fails */
			s->hold_tx = true;
			return 0;
		}
		s->answer_tx = false;
		s->deliver_rx = false;
		s->hold_rx = true;
		return 0;
	case ATK_EVENT_STORM:
		s->storm_events = true;
		return 0;
	case ATK_STATE_STORM:
		s->state_storm = variant == 0 ? 1 : 2;
		return 0;
	case ATK_STALE_DATA:
		s->stale_check = true;
		return 0;
	default:
		return -1;
	}
}

void eb_storm_value(int kind, unsigned int i, char *buf, unsigned int len)
{
	static const char *const unknown[] = { "9", "255", "-1", "abc", "", "99999999999", "4 ", "0x4", "04" };

	if (kind == 1) {
		/* A small LCG: xenbus states 0..8 plus one past them. */
		unsigned int x = i * 1103515245u + 12345u;

		snprintf(buf, len, "%u", (x >> 16) % 10u);
	} else {
		snprintf(buf, len, "%s", unknown[i % (sizeof(unknown) / sizeof(unknown[0]))]);
	}
}
