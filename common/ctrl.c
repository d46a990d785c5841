// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control-ring hash configuration (netif.h "Control messages") and packet
 * hashing. Every request is validated in full against a scratch copy before
 * anything in struct xvif_hash changes: a bad request leaves it as it was.
 */
#define XEN_NETIF_DEFINE_TOEPLITZ /* netif.h's own Toeplitz, see xvif_toeplitz() */
#include "ctrl.h"

#define HASH_FLAGS_SUPPORTED                                                                  \
	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 | XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |                   \
	 XEN_NETIF_CTRL_HASH_TYPE_IPV6 | XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

/* Bytes of one mapping entry in the granted table. */
#define MAPPING_ENTRY_SIZE 4u

uint32_t xvif_toeplitz(const uint8_t *key, unsigned int keylen, const uint8_t *buf, unsigned int buflen)
{
	return xen_netif_toeplitz_hash(key, keylen, buf, buflen);
}

void xvif_hash_init(struct xvif_hash *h)
{
	memset(h, 0, sizeof(*h));
	h->algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_NONE;
}

static uint32_t set_key(struct xvif_hash *h, const xvif_ctrl_req_t *req, xvif_ctrl_copy_fn copy, void *ctx)
{
	uint8_t key[XVIF_HASH_KEY_MAX];
	uint32_t len = req->data[1];

	if (len > XVIF_HASH_KEY_MAX)
		return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
	memset(key, 0, sizeof(key));
	if (len && copy(ctx, req->data[0], 0, key, len))
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	memcpy(h->key, key, sizeof(key));
	h->key_len = len;
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static uint32_t set_mapping(struct xvif_hash *h, unsigned int num_queues, const xvif_ctrl_req_t *req,
			    xvif_ctrl_copy_fn copy, void *ctx)
{
	uint32_t entries[XVIF_HASH_MAPPING_MAX];
	uint32_t len = req->data[1], off = req->data[2], i;

	if (len > XVIF_PAGE_SIZE / MAPPING_ENTRY_SIZE)
		return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
	/* off + len <= size, written so that it cannot overflow (XSA-270). */
	if (len > h->mapping_size || off > h->mapping_size - len)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	if (len == 0)
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	if (copy(ctx, req->data[0], 0, entries, len * MAPPING_ENTRY_SIZE))
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	for (i = 0; i < len; i++)
		if (entries[i] >= num_queues)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	memcpy(&h->mapping[off], entries, len * MAPPING_ENTRY_SIZE);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

void xvif_ctrl_handle(struct xvif_hash *h, unsigned int num_queues, const xvif_ctrl_req_t *req,
		      xvif_ctrl_copy_fn copy, void *ctx, xvif_ctrl_rsp_t *rsp)
{
	uint32_t status = XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, data = 0;

	switch (req->type) {
	case XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM:
		if (req->data[0] == XEN_NETIF_CTRL_HASH_ALGORITHM_NONE ||
		    req->data[0] == XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ) {
			h->algorithm = req->data[0];
			status = XEN_NETIF_CTRL_STATUS_SUCCESS;
		}
		break;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS:
		data = HASH_FLAGS_SUPPORTED;
		status = XEN_NETIF_CTRL_STATUS_SUCCESS;
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS:
		/* netif.h: a valid algorithm must be selected first. */
		if (!(req->data[0] & ~HASH_FLAGS_SUPPORTED) &&
		    h->algorithm != XEN_NETIF_CTRL_HASH_ALGORITHM_NONE) {
			h->flags = req->data[0];
			status = XEN_NETIF_CTRL_STATUS_SUCCESS;
		}
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_KEY:
		status = set_key(h, req, copy, ctx);
		break;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE:
		data = XVIF_HASH_MAPPING_MAX;
		status = XEN_NETIF_CTRL_STATUS_SUCCESS;
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE:
		if (req->data[0] <= XVIF_HASH_MAPPING_MAX) {
			h->mapping_size = req->data[0];
			memset(h->mapping, 0, sizeof(h->mapping));
			status = XEN_NETIF_CTRL_STATUS_SUCCESS;
		}
		break;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING:
		status = set_mapping(h, num_queues, req, copy, ctx);
		break;
	default:
		/* INVALID, the gref-mapping messages, and anything unknown. */
		status = XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
		break;
	}
	rsp->id = req->id;
	rsp->type = req->type;
	rsp->status = status;
	rsp->data = data;
}

bool xvif_hash_packet(const struct xvif_hash *h, const uint8_t *pkt, uint32_t len,
		      const struct xvif_hdr *hdr, uint32_t *hash, uint8_t *type)
{
	uint8_t buf[36];
	unsigned int addr_len, n;
	bool tcp;

	if (h->algorithm != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ || !hdr->ip_version)
		return false;
	tcp = hdr->l4_proto == XVIF_IPPROTO_TCP && hdr->l4_off && !hdr->fragment;
	if (hdr->ip_version == 4) {
		addr_len = 8; /* saddr, daddr at IPv4 header + 12 */
		tcp = tcp && (h->flags & XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
		if (!tcp && !(h->flags & XEN_NETIF_CTRL_HASH_TYPE_IPV4))
			return false;
		*type = tcp ? _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP : _XEN_NETIF_CTRL_HASH_TYPE_IPV4;
		if ((uint32_t)hdr->l3_off + 12 + addr_len > len)
			return false;
		memcpy(buf, pkt + hdr->l3_off + 12, addr_len);
	} else {
		addr_len = 32; /* saddr, daddr at IPv6 header + 8 */
		tcp = tcp && (h->flags & XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP);
		if (!tcp && !(h->flags & XEN_NETIF_CTRL_HASH_TYPE_IPV6))
			return false;
		*type = tcp ? _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP : _XEN_NETIF_CTRL_HASH_TYPE_IPV6;
		if ((uint32_t)hdr->l3_off + 8 + addr_len > len)
			return false;
		memcpy(buf, pkt + hdr->l3_off + 8, addr_len);
	}
	n = addr_len;
	if (tcp) {
		if ((uint32_t)hdr->l4_off + 4 > len)
			return false;
		memcpy(buf + n, pkt + hdr->l4_off, 4); /* source port, destination port */
		n += 4;
	}
	*hash = xvif_toeplitz(h->key, h->key_len, buf, n);
	return true;
}

unsigned int xvif_hash_queue(const struct xvif_hash *h, uint32_t hash, unsigned int num_queues)
{
	unsigned int q;

	if (num_queues <= 1)
		return 0;
	q = h->mapping_size ? h->mapping[hash % h->mapping_size] : hash % num_queues;
	/* The mapping was checked when set, but num_queues is the caller's:
	 * never return an index it does not have. */
	return q < num_queues ? q : 0;
}
