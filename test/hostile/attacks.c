// SPDX-License-Identifier: GPL-2.0-only
/* The attack catalogue: see attacks.h. */
#include <stddef.h>
#include <string.h>

#include "attacks.h"

static const struct hostile_attack_desc table[ATK_NR] = {
	[ATK_REQ_PROD_JUMP] = { "req-prod-jump", HOSTILE_FRONT, { "run", "map" },
		"TX req_prod more than a ring ahead of req_cons (before connect: map; after: run)" },
	[ATK_REQ_PROD_BACKWARDS] = { "req-prod-backwards", HOSTILE_FRONT, { "tx", "rx" },
		"move req_prod backwards after the backend consumed requests" },
	[ATK_DOUBLE_FETCH] = { "double-fetch", HOSTILE_FRONT, { "size", "flags", "offset" },
		"a second thread rewrites produced TX slots in a tight loop" },
	[ATK_ZERO_LEN] = { "zero-len", HOSTILE_FRONT, { "middle", "all", "first" },
		"zero-length slots in a chain, or a packet of zero-length slots only" },
	[ATK_PAGE_CROSS] = { "page-cross", HOSTILE_FRONT, { "offset", "oversize" },
		"offset+size past the 4 KiB grant; a later slot larger than the declared total" },
	[ATK_TOO_MANY_SLOTS] = { "too-many-slots", HOSTILE_FRONT, { "19", "40", "18" },
		"a chain of N data slots (19: drop, 40: hostile, 18: the legal maximum)" },
	[ATK_TINY_SLOTS] = { "tiny-slots", HOSTILE_FRONT, { "max", "short-first" },
		"a packet split into the most 1-byte slots; first slot shorter than an Ethernet header" },
	[ATK_BAD_GRANT] = { "bad-grant", HOSTILE_FRONT, { "invalid", "revoked", "foreign" },
		"TX slots naming a bad grant ref, one revoked mid-transfer, one granted to another domain" },
	[ATK_BAD_EXTRA] = { "bad-extra", HOSTILE_FRONT,
		{ "unknown", "repeated", "truncated", "gso-zero", "gso-absurd", "type-zero" },
		"malformed extra-info segments after a TX first slot" },
	[ATK_CTRL_GARBAGE] = { "ctrl-garbage", HOSTILE_FRONT, { "all" },
		"XSA-270 values on the control ring (key size, mapping size, queue index, offset+len)" },
	[ATK_XS_GARBAGE] = { "xs-garbage", HOSTILE_FRONT,
		{ "nq-zero", "nq-huge", "queue-missing", "queue-extra", "ref-nan", "ref-ungranted",
		  "evtchn-missing", "mac-mtu", "flags" },
		"bad values in the frontend's xenstore directory" },
	[ATK_STATE_FLAP] = { "state-flap", HOSTILE_FRONT, { "cycle", "unknown" },
		"the frontend state flaps through every state, or unknown values" },
	[ATK_XS_FLOOD] = { "xs-flood", HOSTILE_FRONT, { "same-key", "new-keys" },
		"many writes to the paths the backend watches" },
	[ATK_EVENT_FLOOD] = { "event-flood", HOSTILE_FRONT, { "tx" },
		"notify the backend's event channel in a tight loop" },
	[ATK_RX_STARVE] = { "rx-starve", HOSTILE_FRONT, { "never" },
		"connect and never post an RX buffer while dom0 sends traffic" },
	[ATK_VANISH] = { "vanish", HOSTILE_FRONT, { "exit" },
		"exit mid-transfer without any cleanup" },
	[ATK_FRONT_SANITY] = { "sanity", HOSTILE_FRONT, { "tx" },
		"baseline: connect, send good packets, close cleanly" },
	[ATK_RSP_PROD_OVERFLOW] = { "rsp-prod-overflow", HOSTILE_BACK, { "tx", "rx" },
		"rsp_prod more than a ring ahead of the frontend's rsp_cons" },
	[ATK_DUP_ID] = { "dup-id", HOSTILE_BACK, { "tx", "rx" },
		"answer the same request id twice" },
	[ATK_BAD_ID] = { "bad-id", HOSTILE_BACK, { "tx", "rx" },
		"answer with ids at and past the ring size" },
	[ATK_NEVER_RELEASE] = { "never-release", HOSTILE_BACK, { "both", "answered" },
		"never answer TX, keep every RX buffer grant mapped through the frontend's teardown; "
		"answered: answer TX OKAY but keep each TX grant mapped (the frontend's revoke fails)" },
	[ATK_EVENT_STORM] = { "event-storm", HOSTILE_BACK, { "notify" },
		"notify the frontend's event channel in a tight loop" },
	[ATK_STATE_STORM] = { "state-storm", HOSTILE_BACK, { "random", "unknown" },
		"backend state through random and unknown values" },
	[ATK_STALE_DATA] = { "stale-data", HOSTILE_BACK, { "tx" },
		"report bytes of granted TX pages outside the packet (data the frontend did not mean to share)" },
	[ATK_BACK_SANITY] = { "sanity", HOSTILE_BACK, { "echo" },
		"baseline: connect, answer TX OKAY, close cleanly" },
};

const struct hostile_attack_desc *hostile_attack_desc(enum hostile_attack a)
{
	if ((unsigned int)a >= ATK_NR)
		return NULL;
	return &table[a];
}

enum hostile_attack hostile_attack_lookup(enum hostile_side side, const char *name)
{
	if (!name)
		return ATK_NR;
	for (unsigned int i = 0; i < ATK_NR; i++)
		if (table[i].side == side && strcmp(table[i].name, name) == 0)
			return (enum hostile_attack)i;
	return ATK_NR;
}

int hostile_variant_count(enum hostile_attack a)
{
	const struct hostile_attack_desc *d = hostile_attack_desc(a);
	int n = 0;

	if (!d)
		return 0;
	while (n < HOSTILE_MAX_VARIANTS && d->variants[n])
		n++;
	return n;
}

int hostile_variant_lookup(enum hostile_attack a, const char *variant)
{
	const struct hostile_attack_desc *d = hostile_attack_desc(a);
	int n = hostile_variant_count(a);

	if (!d)
		return -1;
	if (!variant || !*variant)
		return 0;
	for (int i = 0; i < n; i++)
		if (strcmp(d->variants[i], variant) == 0)
			return i;
	return -1;
}
