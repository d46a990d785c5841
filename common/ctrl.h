/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control ring (feature-ctrl-ring): hash configuration messages, and the
 * hash a backend computes to steer RX packets to queues.
 *
 * xvif_ctrl_handle() applies one request, already copied out of the ring, to
 * a struct xvif_hash and returns the response. Requests that carry a table
 * (SET_HASH_KEY, SET_HASH_MAPPING) name a grant; the caller supplies a copy
 * function that fetches bytes from it (a grant copy in the daemon, a memcpy
 * in tests). Every size, offset and index is checked before use (XSA-270).
 */
#ifndef XVIF_CTRL_H
#define XVIF_CTRL_H

#include "xvif_limits.h"
#include "hdr.h"

struct xvif_hash {
	uint32_t algorithm;             /* XEN_NETIF_CTRL_HASH_ALGORITHM_* */
	uint32_t flags;                 /* XEN_NETIF_CTRL_HASH_TYPE_* the frontend enabled */
	uint8_t key[XVIF_HASH_KEY_MAX];
	uint32_t key_len;
	uint32_t mapping_size;          /* 0: no mapping, hash % num_queues */
	uint32_t mapping[XVIF_HASH_MAPPING_MAX];
};

/* Copy @len bytes at @offset of the page granted as @gref into @dst.
 * Returns 0, or -1 if the grant is bad (the request then fails). */
typedef int (*xvif_ctrl_copy_fn)(void *ctx, uint32_t gref, uint32_t offset, void *dst, uint32_t len);

/* Reset to "no hashing": algorithm NONE, no flags, zero key, no mapping. */
void xvif_hash_init(struct xvif_hash *h);

/*
 * Handle one control request for a vif with @num_queues queues.
 * Fills @rsp (id echoed, status, data). Never fails otherwise: every bad
 * request gets XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER (or NOT_SUPPORTED /
 * BUFFER_TOO_SMALL), and @h is left as it was.
 */
void xvif_ctrl_handle(struct xvif_hash *h, unsigned int num_queues, const xvif_ctrl_req_t *req,
		      xvif_ctrl_copy_fn copy, void *ctx, xvif_ctrl_rsp_t *rsp);

/*
 * Hash a packet as configured: picks the widest enabled type the packet's
 * headers allow (TCP 4-tuple over IP 2-tuple), computes Toeplitz exactly as
 * netif.h defines it. Returns true and sets @hash / @type if hashing applies.
 */
bool xvif_hash_packet(const struct xvif_hash *h, const uint8_t *pkt, uint32_t len,
		      const struct xvif_hdr *hdr, uint32_t *hash, uint8_t *type);

/* Queue for a hash: mapping[hash % mapping_size], or hash % num_queues
 * without a mapping (netif.h: "modular arithmetic"). Always < num_queues. */
unsigned int xvif_hash_queue(const struct xvif_hash *h, uint32_t hash, unsigned int num_queues);

/* Toeplitz over @buf with @key: netif.h's own xen_netif_toeplitz_hash. */
uint32_t xvif_toeplitz(const uint8_t *key, unsigned int keylen, const uint8_t *buf, unsigned int buflen);

#endif
