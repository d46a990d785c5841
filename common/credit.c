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

uint64_t xvif_credit_wait(const struct xvif_credit *c, uint64_t now)
{
	uint64_t end;

	if (c->bytes == 0 || now < c->period_start)
		return 0;
	end = c->period_start + c->usec;
	return now >= end ? 0 : end - now;
}
