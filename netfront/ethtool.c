// SPDX-License-Identifier: GPL-2.0-only
/* ethtool: -i (driver, version, xenstore node), -S (counters), -k (the
 * core's, from the features netdev.c negotiates). */
#include <linux/netdevice.h>
#include <linux/ethtool.h>

#include "nf.h"

static const char nf_ctr_names[NF_CTR_NR][ETH_GSTRING_LEN] = {
	[NF_CTR_RX_BAD_RSP] = "rx_bad_response",
	[NF_CTR_RX_ERR_STATUS] = "rx_error_status",
	[NF_CTR_RX_TOO_MANY_FRAGS] = "rx_too_many_frags",
	[NF_CTR_RX_TOO_SHORT] = "rx_too_short",
	[NF_CTR_RX_NOMEM] = "rx_nomem",
	[NF_CTR_RX_REFILL_NOMEM] = "rx_refill_nomem",
	[NF_CTR_RX_CSUM_FIXUP] = "rx_gso_checksum_fixup",
	[NF_CTR_RX_CSUM_BAD] = "rx_checksum_bad",
	[NF_CTR_TX_RSP_ERROR] = "tx_error_response",
	[NF_CTR_TX_TOO_BIG] = "tx_too_big",
	[NF_CTR_TX_NOT_CONNECTED] = "tx_not_connected",
	[NF_CTR_TX_BOUNCE] = "tx_bounce",
	[NF_CTR_TX_LINEARIZE] = "tx_linearize",
	[NF_CTR_GRANT_LEAKED] = "grant_leaked",
	[NF_CTR_BROKEN] = "broken",
	[NF_CTR_SPURIOUS_EVT] = "spurious_events",
	[NF_CTR_RECONNECT] = "reconnects",
};

/* Totals first, then the counters above, then the state. */
static const char nf_total_names[][ETH_GSTRING_LEN] = {
	"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "queues", "is_broken", "untrusted",
};
#define NF_NR_TOTALS ARRAY_SIZE(nf_total_names)

static void nf_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	struct nf_dev *nf = netdev_priv(dev);

	strscpy(info->driver, NF_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, NF_DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, nf->xbdev->nodename, sizeof(info->bus_info));
}

static int nf_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? NF_NR_TOTALS + NF_CTR_NR : -EOPNOTSUPP;
}

static void nf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset != ETH_SS_STATS)
		return;
	memcpy(data, nf_total_names, sizeof(nf_total_names));
	memcpy(data + sizeof(nf_total_names), nf_ctr_names, sizeof(nf_ctr_names));
}

static void nf_get_ethtool_stats(struct net_device *dev, struct ethtool_stats *stats, u64 *data)
{
	struct nf_dev *nf = netdev_priv(dev);
	unsigned int i;

	nf_stats_totals(nf, &data[0], &data[1], &data[2], &data[3]);
	data[4] = nf->nr_queues;
	data[5] = nf_broken(nf);
	data[6] = nf->bounce; /* trusted=0 (parameter or xenstore) at the last connect */
	for (i = 0; i < NF_CTR_NR; i++)
		data[NF_NR_TOTALS + i] = atomic64_read(&nf->ctr[i]);
}

const struct ethtool_ops nf_ethtool_ops = {
	.get_drvinfo = nf_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_sset_count = nf_get_sset_count,
	.get_strings = nf_get_strings,
	.get_ethtool_stats = nf_get_ethtool_stats,
	.get_ts_info = ethtool_op_get_ts_info,
};
