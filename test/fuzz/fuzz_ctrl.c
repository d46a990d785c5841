// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: control-ring messages. Input: a sequence of 16-byte requests
 * (as written on the shared ring) after 1 byte of queue count; granted pages
 * are the rest of the input, so key and mapping copies read fuzzer bytes. */
#include "ctrl.h"

struct grant_ctx {
	const uint8_t *page;
	size_t len;
};

static int copy_grant(void *ctx, uint32_t gref, uint32_t offset, void *dst, uint32_t len)
{
	const struct grant_ctx *g = ctx;

	if (gref & 1)
		return -1; /* odd refs: a revoked or foreign grant */
	if ((uint64_t)offset + len > XVIF_PAGE_SIZE)
		__builtin_trap(); /* contract: never past the granted page */
	memset(dst, 0, len);
	if (offset < g->len)
		memcpy(dst, g->page + offset, g->len - offset < len ? g->len - offset : len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xvif_hash h;
	struct grant_ctx g = { data, size };
	xvif_ctrl_req_t req;
	xvif_ctrl_rsp_t rsp;
	unsigned int num_queues, i, q;
	size_t off;

	if (size < 1)
		return 0;
	num_queues = 1 + data[0] % XVIF_MAX_QUEUES;
	xvif_hash_init(&h);
	for (off = 1; off + sizeof(req) <= size; off += sizeof(req)) {
		memcpy(&req, data + off, sizeof(req));
		xvif_ctrl_handle(&h, num_queues, &req, copy_grant, &g, &rsp);
		if (rsp.id != req.id || h.key_len > XVIF_HASH_KEY_MAX || h.mapping_size > XVIF_HASH_MAPPING_MAX)
			__builtin_trap();
		for (i = 0; i < h.mapping_size; i++)
			if (h.mapping[i] >= num_queues)
				__builtin_trap();
		q = xvif_hash_queue(&h, rsp.data ^ req.data[0], num_queues);
		if (q >= num_queues)
			__builtin_trap();
	}
	return 0;
}
