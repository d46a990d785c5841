/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The `rate` key's credit scheduler: "BYTES,USEC" allows BYTES every USEC
 * microseconds. Credit refills to BYTES at each period boundary (it does not
 * accumulate). A packet larger than a whole period's credit may still go
 * when the credit is full, so a rate below the MTU slows but never stalls.
 * Pure arithmetic: the caller supplies a monotonic time in microseconds.
 */
#ifndef XVIF_CREDIT_H
#define XVIF_CREDIT_H

#include "xvif_shim.h"

struct xvif_credit {
	uint64_t bytes;         /* per period; 0 = unlimited */
	uint64_t usec;          /* period length */
	uint64_t remaining;     /* credit left in this period */
	uint64_t period_start;  /* when the current period began */
};

/* Unlimited when @bytes or @usec is 0. Credit starts full at @now. */
void xvif_credit_init(struct xvif_credit *c, uint64_t bytes, uint64_t usec, uint64_t now);
/* Change the rate live (the `rate` key was rewritten); keeps no debt. */
void xvif_credit_set(struct xvif_credit *c, uint64_t bytes, uint64_t usec, uint64_t now);
/* May a packet of @size go at @now? If so, the credit is charged. */
bool xvif_credit_take(struct xvif_credit *c, uint64_t size, uint64_t now);
/* Microseconds until a refused packet may be retried (0 if it may now). */
uint64_t xvif_credit_wait(const struct xvif_credit *c, uint64_t now);

#endif
