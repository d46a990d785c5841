// SPDX-License-Identifier: GPL-2.0-only
#include "credit.h"

void xvif_credit_init(struct xvif_credit *c, uint64_t bytes, uint64_t usec, uint64_t now)
{
	if (bytes == 0 || usec == 0)
		bytes = usec = 0;
	c->bytes = bytes;
	c->usec = usec;
	c->burst = bytes > XVIF_CREDIT_BURST_MIN ? bytes : XVIF_CREDIT_BURST_MIN;
	c->remaining = bytes;
	c->period_start = now;
}

void xvif_credit_set(struct xvif_credit *c, uint64_t bytes, uint64_t usec, uint64_t now)
{
	xvif_credit_init(c, bytes, usec, now);
}

/* Add a period's credit for every period that ended, up to the burst cap.
 * Periods are aligned to multiples of usec from the first start, so a late
 * caller does not drift. */
static void refill(struct xvif_credit *c, uint64_t now)
{
	uint64_t elapsed, periods, room;

	if (now < c->period_start)
		return; /* clock went backwards: keep the current period */
	elapsed = now - c->period_start;
	if (elapsed < c->usec)
		return;
	periods = elapsed / c->usec;
	c->period_start += periods * c->usec;
	room = c->burst - c->remaining;
	/* periods * bytes may not fit in 64 bits: compare by division. */
	c->remaining = periods > room / c->bytes ? c->burst : c->remaining + periods * c->bytes;
}

bool xvif_credit_take(struct xvif_credit *c, uint64_t size, uint64_t now)
{
	if (c->bytes == 0)
		return true;
	refill(c, now);
	if (size <= c->remaining) {
		c->remaining -= size;
		return true;
	}
	/* Larger than the most credit can ever reach (no netif packet is, but
	 * the arithmetic must not stall): let it go on a full burst. */
	if (size > c->burst && c->remaining == c->burst) {
		c->remaining = 0;
		return true;
	}
	return false;
}

/* Computed from differences, never as period_start + usec, which wraps for a
 * huge period or a clock near its end. A clock that went backwards waits for
 * the end of the current period, as xvif_credit_take() does (0 there would
 * make the caller retry at once, and be refused again, until then). */
uint64_t xvif_credit_wait(const struct xvif_credit *c, uint64_t now)
{
	uint64_t elapsed, behind;

	if (c->bytes == 0)
		return 0;
	if (now < c->period_start) {
		behind = c->period_start - now;
		return behind > XVIF_U64_MAX - c->usec ? XVIF_U64_MAX : behind + c->usec;
	}
	elapsed = now - c->period_start;
	return elapsed >= c->usec ? 0 : c->usec - elapsed;
}
