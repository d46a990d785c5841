// SPDX-License-Identifier: GPL-2.0-only
/*
 * The net device: allocation, net_device_ops, features, statistics, the
 * event channel handlers, and the "broken" state a misbehaving backend
 * puts the device in.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <xen/events.h>

#include "nf.h"

/* Features we negotiate; checksum offload of IPv4 is always on (every
 * backend takes csum_blank TCP/UDP over IPv4). */
#define NF_HW_FEATURES (NETIF_F_SG | NETIF_F_IPV6_CSUM | NETIF_F_TSO | NETIF_F_TSO6)

/*
 * A protocol violation by the backend: disable the device until the next
 * connection. Logs once per episode; safe from any context. Queues stop,
 * carrier goes off, every entry point checks nf_broken() and the event
 * handlers stop EOI-ing, so the backend can no longer make us work.
 */
void nf_mark_broken(struct nf_dev *nf, const char *why)
{
	if (test_and_set_bit(NF_BROKEN, &nf->flags))
		return;
	nf_count(nf, NF_CTR_BROKEN);
	net_err_ratelimited("%s: backend %s violated the protocol (%s): device disabled until it reconnects\n",
			    nf->netdev->name, nf->xbdev->otherend, why);
	netif_carrier_off(nf->netdev);
	netif_tx_stop_all_queues(nf->netdev);
}

static int nf_open(struct net_device *dev)
{
	struct nf_dev *nf = netdev_priv(dev);
	unsigned int i;

	if (!nf->queues || nf_broken(nf))
		return -ENODEV;
	for (i = 0; i < nf->nr_queues; i++) {
		struct nf_queue *q = &nf->queues[i];

		napi_enable(&q->napi);
		spin_lock_bh(&q->rx_lock);
		if (netif_carrier_ok(dev) && q->rx.sring) {
			nf_rx_refill(q);
			q->rx.sring->rsp_event = q->rx.rsp_cons + 1;
			if (RING_HAS_UNCONSUMED_RESPONSES(&q->rx))
				napi_schedule(&q->napi);
		}
		spin_unlock_bh(&q->rx_lock);
	}
	netif_tx_start_all_queues(dev);
	return 0;
}

static int nf_stop(struct net_device *dev)
{
	struct nf_dev *nf = netdev_priv(dev);
	unsigned int i;

	netif_tx_stop_all_queues(dev);
	for (i = 0; i < nf->nr_queues; i++)
		napi_disable(&nf->queues[i].napi);
	return 0;
}

void nf_stats_totals(struct nf_dev *nf, u64 *rx_packets, u64 *rx_bytes, u64 *tx_packets,
		     u64 *tx_bytes)
{
	unsigned int i, start;

	*rx_packets = *rx_bytes = *tx_packets = *tx_bytes = 0;
	for (i = 0; i < XVIF_MAX_QUEUES; i++) {
		const struct nf_pcpu_stats *rs = &nf->rx_stats[i], *ts = &nf->tx_stats[i];
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&rs->syncp);
			p = rs->packets;
			b = rs->bytes;
		} while (u64_stats_fetch_retry(&rs->syncp, start));
		*rx_packets += p;
		*rx_bytes += b;
		do {
			start = u64_stats_fetch_begin(&ts->syncp);
			p = ts->packets;
			b = ts->bytes;
		} while (u64_stats_fetch_retry(&ts->syncp, start));
		*tx_packets += p;
		*tx_bytes += b;
	}
}

/* Called under rtnl or RCU by the core; queues change only under rtnl. */
static void nf_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *tot)
{
	struct nf_dev *nf = netdev_priv(dev);

	nf_stats_totals(nf, &tot->rx_packets, &tot->rx_bytes, &tot->tx_packets, &tot->tx_bytes);
	tot->rx_errors = dev->stats.rx_errors;
	tot->rx_dropped = dev->stats.rx_dropped;
	tot->tx_dropped = dev->stats.tx_dropped;
	tot->tx_errors = atomic64_read(&nf->ctr[NF_CTR_TX_RSP_ERROR]);
}

/* Offer only what the backend said it takes (read at connect). */
static netdev_features_t nf_fix_features(struct net_device *dev, netdev_features_t features)
{
	struct nf_dev *nf = netdev_priv(dev);

	if (!nf->caps.sg)
		features &= ~NETIF_F_SG;
	if (!nf->caps.ipv6_csum)
		features &= ~NETIF_F_IPV6_CSUM;
	if (!nf->caps.gso_tcpv4)
		features &= ~NETIF_F_TSO;
	if (!nf->caps.gso_tcpv6)
		features &= ~NETIF_F_TSO6;
	return features;
}

static int nf_set_features(struct net_device *dev, netdev_features_t features)
{
	if (!(features & NETIF_F_SG) && dev->mtu > ETH_DATA_LEN) {
		netdev_info(dev, "no scatter-gather: MTU reduced to %u\n", ETH_DATA_LEN);
		dev->mtu = ETH_DATA_LEN;
	}
	return 0;
}

static int nf_change_mtu(struct net_device *dev, int mtu)
{
	int max = (dev->features & NETIF_F_SG) ? XEN_NETIF_MAX_TX_SIZE - ETH_HLEN : ETH_DATA_LEN;

	if (mtu > max)
		return -EINVAL;
	dev->mtu = mtu;
	return 0;
}

static const struct net_device_ops nf_netdev_ops = {
	.ndo_open = nf_open,
	.ndo_stop = nf_stop,
	.ndo_start_xmit = nf_start_xmit,
	.ndo_get_stats64 = nf_get_stats64,
	.ndo_change_mtu = nf_change_mtu,
	.ndo_fix_features = nf_fix_features,
	.ndo_set_features = nf_set_features,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/* Allocate the net device for @dev (registered at the first connect). */
struct net_device *nf_netdev_alloc(struct xenbus_device *dev)
{
	struct net_device *netdev;
	struct nf_dev *nf;
	unsigned int i;

	netdev = alloc_etherdev_mq(sizeof(*nf), XVIF_MAX_QUEUES);
	if (!netdev)
		return ERR_PTR(-ENOMEM);
	nf = netdev_priv(netdev);
	nf->netdev = netdev;
	nf->xbdev = dev;
	for (i = 0; i < NF_CTR_NR; i++)
		atomic64_set(&nf->ctr[i], 0);
	for (i = 0; i < XVIF_MAX_QUEUES; i++) {
		u64_stats_init(&nf->rx_stats[i].syncp);
		u64_stats_init(&nf->tx_stats[i].syncp);
	}

	netdev->netdev_ops = &nf_netdev_ops;
	netdev->ethtool_ops = &nf_ethtool_ops;
	netdev->features = NETIF_F_IP_CSUM | NETIF_F_RXCSUM | NETIF_F_GSO_ROBUST;
	netdev->hw_features = NF_HW_FEATURES;
	/* All offered until connect narrows them (netdev_update_features). */
	netdev->features |= netdev->hw_features;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = XEN_NETIF_MAX_TX_SIZE - ETH_HLEN;
	SET_NETDEV_DEV(netdev, &dev->dev);
	netif_carrier_off(netdev);
	return netdev;
}

/* ---- event channel handlers (late EOI: no EOI, no further events) ---- */

/*
 * An event is real if the backend produced responses since the last event
 * (whoever consumed them: ndo_start_xmit also collects TX responses, and
 * calling its events spurious would make late EOI throttle a busy, honest
 * backend). Events that bring nothing new are spurious: a storm of them is
 * slowed down by the late-EOI backoff (XSA-391).
 */
static bool nf_handle_tx(struct nf_queue *q, unsigned int *eoi)
{
	unsigned long flags;
	RING_IDX prod;

	if (unlikely(nf_broken(q->nf)))
		return false;
	spin_lock_irqsave(&q->tx_lock, flags);
	if (q->tx.sring) {
		prod = READ_ONCE(q->tx.sring->rsp_prod);
		if (prod != q->tx_prod_seen) {
			q->tx_prod_seen = prod;
			*eoi = 0;
		}
		nf_tx_gc(q);
	}
	spin_unlock_irqrestore(&q->tx_lock, flags);
	return !nf_broken(q->nf);
}

static bool nf_handle_rx(struct nf_queue *q, unsigned int *eoi)
{
	RING_IDX prod;

	if (unlikely(nf_broken(q->nf) || !q->rx.sring))
		return false;
	prod = READ_ONCE(q->rx.sring->rsp_prod);
	if (prod != q->rx_prod_seen) {
		/* New responses: a real event. The NAPI poll validates prod. */
		q->rx_prod_seen = prod;
		*eoi = 0;
	}
	if (netif_carrier_ok(q->nf->netdev) && prod != q->rx.rsp_cons)
		napi_schedule(&q->napi);
	return true;
}

static void nf_eoi(struct nf_queue *q, int irq, unsigned int eoi)
{
	if (eoi & XEN_EOI_FLAG_SPURIOUS)
		nf_count(q->nf, NF_CTR_SPURIOUS_EVT);
	xen_irq_lateeoi(irq, eoi);
}

irqreturn_t nf_tx_interrupt(int irq, void *dev_id)
{
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;

	if (nf_handle_tx(dev_id, &eoi))
		nf_eoi(dev_id, irq, eoi);
	return IRQ_HANDLED;
}

irqreturn_t nf_rx_interrupt(int irq, void *dev_id)
{
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;

	if (nf_handle_rx(dev_id, &eoi))
		nf_eoi(dev_id, irq, eoi);
	return IRQ_HANDLED;
}

irqreturn_t nf_interrupt(int irq, void *dev_id)
{
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;

	if (nf_handle_tx(dev_id, &eoi) && nf_handle_rx(dev_id, &eoi))
		nf_eoi(dev_id, irq, eoi);
	return IRQ_HANDLED;
}
