// SPDX-License-Identifier: GPL-2.0-only
/* dp.h for the control-plane tests: records every call, starts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "fake_xs.h"

struct fake_xs_dp fake_xs_dp;

struct xvif_dp_vif {
	struct xvif_dp_vif_cfg cfg;
	bool broken[XVIF_MAX_QUEUES];
	char why[XVIF_MAX_QUEUES][96];
};

void fake_xs_dp_reset(void)
{
	memset(&fake_xs_dp, 0, sizeof(fake_xs_dp));
}

int xvif_dp_vif_start(const struct xvif_dp_vif_cfg *cfg, struct xvif_dp_vif **out, char *err, size_t errlen)
{
	struct xvif_dp_vif *v;

	if (fake_xs_dp.fail_start) {
		int rc = fake_xs_dp.fail_start;

		fake_xs_dp.fail_start = 0;
		snprintf(err, errlen, "queue-0: cannot map tx-ring-ref %u: Invalid argument", cfg->fe.queue[0].tx_ring_ref);
		return rc;
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return -12;
	v->cfg = *cfg;
	fake_xs_dp.starts++;
	fake_xs_dp.live++;
	fake_xs_dp.last_cfg = *cfg;
	fake_xs_dp.last = v;
	*out = v;
	return 0;
}

void xvif_dp_vif_stop(struct xvif_dp_vif *vif)
{
	fake_xs_dp.stops++;
	fake_xs_dp.live--;
	if (fake_xs_dp.last == vif)
		fake_xs_dp.last = NULL;
	free(vif);
}

void xvif_dp_vif_set_rate(struct xvif_dp_vif *vif, bool have, uint64_t bytes, uint64_t usec)
{
	(void)vif;
	fake_xs_dp.set_rates++;
	fake_xs_dp.rate_have = have;
	fake_xs_dp.rate_bytes = bytes;
	fake_xs_dp.rate_usec = usec;
}

void xvif_dp_vif_set_xdp_headroom(struct xvif_dp_vif *vif, uint16_t headroom)
{
	(void)vif;
	fake_xs_dp.set_xdps++;
	fake_xs_dp.xdp_headroom = headroom;
}

unsigned int xvif_dp_vif_num_queues(const struct xvif_dp_vif *vif)
{
	return vif->cfg.fe.num_queues;
}

bool xvif_dp_vif_broken(const struct xvif_dp_vif *vif)
{
	unsigned int q;

	for (q = 0; q < vif->cfg.fe.num_queues; q++)
		if (vif->broken[q])
			return true;
	return false;
}

int xvif_dp_vif_queue_status(const struct xvif_dp_vif *vif, unsigned int queue, struct xvif_dp_queue_status *st)
{
	unsigned int i;

	if (queue >= vif->cfg.fe.num_queues)
		return -1;
	memset(st, 0, sizeof(*st));
	st->broken = vif->broken[queue];
	snprintf(st->broken_why, sizeof(st->broken_why), "%s", vif->why[queue]);
	st->local_port_tx = st->local_port_rx = 40 + queue;
	st->tx_ring_free = st->rx_ring_free = 256;
	for (i = 0; i < XVIF_DPC_NR; i++)
		st->counters.c[i] = i + 1; /* distinct values a test can check */
	return 0;
}

void fake_xs_dp_break(struct xvif_dp_vif *vif, unsigned int queue, const char *why)
{
	vif->broken[queue] = true;
	snprintf(vif->why[queue], sizeof(vif->why[queue]), "%s", why);
	vif->cfg.on_broken(vif->cfg.on_broken_arg, queue, why);
}

/* counters.h: names and snapshot, as the data path provides them. */
const char *xvif_dp_counter_name(enum xvif_dp_counter c)
{
	static char names[XVIF_DPC_NR][24];

	if ((unsigned int)c >= XVIF_DPC_NR)
		return "invalid";
	snprintf(names[c], sizeof(names[c]), "counter_%u", (unsigned int)c);
	return names[c];
}

void xvif_dp_counters_snapshot(const struct xvif_dp_counters *src, struct xvif_dp_counters *dst)
{
	*dst = *src;
}
