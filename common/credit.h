/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The `rate` key's credit scheduler: "BYTES,USEC" allows BYTES every USEC
 * microseconds. Each period boundary adds BYTES of credit, which accumulates
 * up to a burst cap of max(BYTES, XVIF_CREDIT_BURST_MIN); a packet goes when
 * the credit covers all of it and is charged in full. A packet larger than a
 * period's credit (a 64 KiB GSO packet at a rate of a few KB per period) so
 * waits for as many periods as it needs: the rate holds for every packet
 * size, and a rate below the MTU slows but never stalls (the cap is above the
 * largest netif packet, 65535 bytes). This is xen-netback's rule too.
 * Pure arithmetic: the caller supplies a monotonic time in microseconds.
 */
#ifndef XVIF_CREDIT_H
#define XVIF_CREDIT_H

#include "xvif_shim.h"

/* The least credit can accumulate to: above the largest packet a frontend
 * can send (65535 bytes), so every packet fits under the cap. */
#define XVIF_CREDIT_BURST_MIN 131072u

struct xvif_credit {
	uint64_t bytes;         /* per period; 0 = unlimited */
	uint64_t usec;          /* period length */
	uint64_t burst;         /* cap on accumulated credit: max(bytes, XVIF_CREDIT_BURST_MIN) */
	uint64_t remaining;     /* credit now (at most burst) */
	uint64_t period_start;  /* when the current period began */
};

/* Unlimited when @bytes or @usec is 0. Credit starts at one period's @bytes. */
void xvif_credit_init(struct xvif_credit *c, uint64_t bytes, uint64_t usec, uint64_t now);
/* Change the rate live (the `rate` key was rewritten): starts afresh, as init. */
void xvif_credit_set(struct xvif_credit *c, uint64_t bytes, uint64_t usec, uint64_t now);
/* May a packet of @size go at @now? If so, the credit is charged. */
bool xvif_credit_take(struct xvif_credit *c, uint64_t size, uint64_t now);
/* Microseconds until a refused packet may be retried (0 if it may now). */
uint64_t xvif_credit_wait(const struct xvif_credit *c, uint64_t now);

#endif
