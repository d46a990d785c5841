// SPDX-License-Identifier: GPL-2.0-only
#include "credit.h"

void xvif_credit_init(struct xvif_credit *c, uint64_t bytes, uint64_t usec, uint64_t now)
{
	if (bytes == 0 || usec == 0)
		bytes = usec = 0;
	c->bytes = bytes;
	c->usec = usec;
	c->remaining = bytes;
	c->period_start = now;
}

void xvif_credit_set(struct xvif_credit *c, uint64_t bytes, uint64_t usec, uint64_t now)
{
	xvif_credit_init(c, bytes, usec, now);
}

/* Start a new period if the current one is over. Periods are aligned to
 * multiples of usec from the first start, so a late caller does not drift. */
static void refill(struct xvif_credit *c, uint64_t now)
{
	uint64_t elapsed;

	if (now < c->period_start)
		return; /* clock went backwards: keep the current period */
	elapsed = now - c->period_start;
	if (elapsed >= c->usec) {
		c->period_start += elapsed - elapsed % c->usec;
		c->remaining = c->bytes;
	}
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
	/* Larger than a whole period's credit: let it go on a full credit so
	 * a rate below the packet size slows the vif rather than stalls it. */
	if (size > c->bytes && c->remaining == c->bytes) {
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
