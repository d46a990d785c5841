// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: xenstore values a frontend or toolstack writes. Input: lines of
 * "key=value"; the parsers read them through a fake xenstore. */
#include <stdlib.h>
#include <string.h>
#include "xs_schema.h"

#define MAX_KEYS 48

struct store {
	const char *key[MAX_KEYS];
	const char *val[MAX_KEYS];
	unsigned int n;
};

static int store_read(void *ctx, const char *key, char *buf, unsigned int len)
{
	const struct store *s = ctx;
	unsigned int i, n;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->key[i], key))
			continue;
		n = (unsigned int)strlen(s->val[i]);
		if (n >= len)
			return XVIF_XS_TOOLONG;
		memcpy(buf, s->val[i], n + 1);
		return (int)n;
	}
	return XVIF_XS_MISSING;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct xvif_be_caps caps = {
		.max_queues = 4, .sg = 1, .gso_tcpv4 = 1, .gso_tcpv6 = 1, .ipv6_csum = 1,
		.split_evtchn = 1, .ctrl_ring = 1, .multicast_control = 1, .xdp_headroom = 1, .rx_copy = 1,
	};
	struct store s = { .n = 0 };
	struct xvif_fe_config fe;
	struct xvif_tool_config tool;
	struct xvif_be_caps be;
	struct xvif_xs_err err;
	char msg[256];
	char *text, *line, *eq, *save = NULL;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = strtok_r(text, "\n", &save); line && s.n < MAX_KEYS; line = strtok_r(NULL, "\n", &save)) {
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		s.key[s.n] = line;
		s.val[s.n++] = eq + 1;
	}
	if (xvif_fe_config_parse(store_read, &s, &caps, &fe, &err) == 0) {
		if (fe.num_queues < 1 || fe.num_queues > caps.max_queues)
			__builtin_trap();
	} else {
		xvif_xs_err_format(&err, msg, sizeof(msg));
	}
	if (xvif_tool_config_parse(store_read, &s, &tool, &err) == 0) {
		if (tool.mtu < XVIF_MTU_MIN || tool.mtu > XVIF_MTU_MAX || tool.vifname[15] != 0)
			__builtin_trap();
	} else {
		xvif_xs_err_format(&err, msg, sizeof(msg));
	}
	if (xvif_be_caps_parse(store_read, &s, &be, &err) == 0 && (be.max_queues < 1 || be.max_queues > XVIF_MAX_QUEUES))
		__builtin_trap();
	free(text);
	return 0;
}
