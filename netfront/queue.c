// SPDX-License-Identifier: GPL-2.0-only
/*
 * Queue lifetime: the per-queue structures and NAPI context, the shared
 * rings, the grant references and the event channels, and the release of
 * everything at disconnect.
 *
 * Grant lifetime: a granted page is ended with gnttab_end_foreign_access()
 * at teardown, which frees the page only once the backend has let go of
 * it (the grant table's deferred list); a page is never reused while a
 * grant to it may be live.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <xen/events.h>

#include "nf.h"

static int nf_queue_init(struct nf_queue *q)
{
	const char *devid = strrchr(q->nf->xbdev->nodename, '/');
	unsigned int i;

	spin_lock_init(&q->tx_lock);
	spin_lock_init(&q->rx_lock);
	q->tx_stats = &q->nf->tx_stats[q->id];
	q->rx_stats = &q->nf->rx_stats[q->id];
	timer_setup(&q->rx_refill_timer, nf_rx_refill_timeout, 0);
	snprintf(q->name, sizeof(q->name), "xvif%s-q%u", devid ? devid + 1 : "", q->id);

	nf_tx_init_slots(q);
	for (i = 0; i < NF_RX_RING_SIZE; i++) {
		q->rx_slot[i].page = NULL;
		q->rx_slot[i].gref = INVALID_GRANT_REF;
	}
	q->tx_ring_ref = INVALID_GRANT_REF;
	q->rx_ring_ref = INVALID_GRANT_REF;

	/* One grant per ring slot: a slot holds at most one grant. */
	if (gnttab_alloc_grant_references(NF_TX_RING_SIZE, &q->gref_tx_head) < 0)
		return -ENOMEM;
	if (gnttab_alloc_grant_references(NF_RX_RING_SIZE, &q->gref_rx_head) < 0) {
		gnttab_free_grant_references(q->gref_tx_head);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Allocate @nr queues with their grant references and NAPI contexts, and
 * tell the stack how many there are. Called under rtnl with no queues.
 */
int nf_queues_create(struct nf_dev *nf, unsigned int nr)
{
	struct net_device *netdev = nf->netdev;
	unsigned int i;
	int err;

	ASSERT_RTNL();
	nf->queues = kvcalloc(nr, sizeof(*nf->queues), GFP_KERNEL);
	if (!nf->queues)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct nf_queue *q = &nf->queues[i];

		q->id = i;
		q->nf = nf;
		err = nf_queue_init(q);
		if (err)
			break;
		netif_napi_add(netdev, &q->napi, nf_rx_poll);
		if (netif_running(netdev))
			napi_enable(&q->napi);
		nf->nr_queues = i + 1;
	}
	if (!nf->nr_queues) {
		kvfree(nf->queues);
		nf->queues = NULL;
		return -ENOMEM;
	}
	if (nf->nr_queues < nr)
		dev_warn(&nf->xbdev->dev, "only %u of %u queues: out of grant references\n",
			 nf->nr_queues, nr);
	netif_set_real_num_tx_queues(netdev, nf->nr_queues);
	netif_set_real_num_rx_queues(netdev, nf->nr_queues);
	return 0;
}

/* Free the queue structures (after nf_disconnect). Under rtnl. */
void nf_queues_destroy(struct nf_dev *nf)
{
	unsigned int i;

	ASSERT_RTNL();
	if (!nf->queues)
		return;
	for (i = 0; i < nf->nr_queues; i++) {
		struct nf_queue *q = &nf->queues[i];

		if (netif_running(nf->netdev))
			napi_disable(&q->napi);
		del_timer_sync(&q->rx_refill_timer);
		netif_napi_del(&q->napi);
		gnttab_free_grant_references(q->gref_tx_head);
		gnttab_free_grant_references(q->gref_rx_head);
	}
	kvfree(nf->queues);
	nf->queues = NULL;
	nf->nr_queues = 0;
}

static int nf_bind_single(struct nf_queue *q)
{
	struct xenbus_device *dev = q->nf->xbdev;
	int err;

	err = xenbus_alloc_evtchn(dev, &q->tx_evtchn);
	if (err)
		return err;
	snprintf(q->tx_irq_name, sizeof(q->tx_irq_name), "%s", q->name);
	err = bind_evtchn_to_irqhandler_lateeoi(q->tx_evtchn, nf_interrupt, 0, q->tx_irq_name, q);
	if (err < 0) {
		xenbus_free_evtchn(dev, q->tx_evtchn);
		q->tx_evtchn = 0;
		return err;
	}
	q->rx_evtchn = q->tx_evtchn;
	q->tx_irq = q->rx_irq = err;
	return 0;
}

static int nf_bind_split(struct nf_queue *q)
{
	struct xenbus_device *dev = q->nf->xbdev;
	int err;

	err = xenbus_alloc_evtchn(dev, &q->tx_evtchn);
	if (err)
		return err;
	err = xenbus_alloc_evtchn(dev, &q->rx_evtchn);
	if (err)
		goto free_tx;
	snprintf(q->tx_irq_name, sizeof(q->tx_irq_name), "%s-tx", q->name);
	err = bind_evtchn_to_irqhandler_lateeoi(q->tx_evtchn, nf_tx_interrupt, 0, q->tx_irq_name, q);
	if (err < 0)
		goto free_rx;
	q->tx_irq = err;
	snprintf(q->rx_irq_name, sizeof(q->rx_irq_name), "%s-rx", q->name);
	err = bind_evtchn_to_irqhandler_lateeoi(q->rx_evtchn, nf_rx_interrupt, 0, q->rx_irq_name, q);
	if (err < 0)
		goto unbind_tx;
	q->rx_irq = err;
	return 0;

unbind_tx:
	unbind_from_irqhandler(q->tx_irq, q); /* also closes tx_evtchn */
	q->tx_irq = 0;
	q->tx_evtchn = 0;
	xenbus_free_evtchn(dev, q->rx_evtchn);
	q->rx_evtchn = 0;
	return err;
free_rx:
	xenbus_free_evtchn(dev, q->rx_evtchn);
	q->rx_evtchn = 0;
free_tx:
	xenbus_free_evtchn(dev, q->tx_evtchn);
	q->tx_evtchn = 0;
	return err;
}

/*
 * Grant the two ring pages and bind the event channel(s) of @q: split if
 * the backend offered it (falling back to one channel if that fails).
 * On failure nothing of it is left set up.
 */
int nf_queue_connect(struct nf_queue *q, bool split)
{
	struct xenbus_device *dev = q->nf->xbdev;
	struct xen_netif_tx_sring *txs;
	struct xen_netif_rx_sring *rxs;
	int err;

	err = xenbus_setup_ring(dev, GFP_NOIO | __GFP_HIGH, (void **)&txs, 1, &q->tx_ring_ref);
	if (err)
		return err;
	XEN_FRONT_RING_INIT(&q->tx, txs, XEN_PAGE_SIZE);
	err = xenbus_setup_ring(dev, GFP_NOIO | __GFP_HIGH, (void **)&rxs, 1, &q->rx_ring_ref);
	if (err)
		goto fail;
	XEN_FRONT_RING_INIT(&q->rx, rxs, XEN_PAGE_SIZE);
	q->rx_prod_seen = 0;
	q->tx_prod_seen = 0;

	err = split ? nf_bind_split(q) : -EOPNOTSUPP;
	if (err)
		err = nf_bind_single(q);
	if (err)
		goto fail;
	return 0;

fail:
	xenbus_teardown_ring((void **)&q->rx.sring, 1, &q->rx_ring_ref);
	xenbus_teardown_ring((void **)&q->tx.sring, 1, &q->tx_ring_ref);
	return err;
}

/* Called with the carrier off: from then on no poll arms the refill timer. */
static void nf_queue_disconnect(struct nf_queue *q)
{
	bool running = netif_running(q->nf->netdev);

	/* unbind_from_irqhandler() waits for a running handler and closes the
	 * event channel. */
	if (q->tx_irq)
		unbind_from_irqhandler(q->tx_irq, q);
	if (q->rx_irq && q->rx_irq != q->tx_irq)
		unbind_from_irqhandler(q->rx_irq, q);
	q->tx_irq = q->rx_irq = 0;
	q->tx_evtchn = q->rx_evtchn = 0;
	/* A poll that began before the carrier went off may arm the timer:
	 * wait for it, then stop the timer, then for a poll the timer began. */
	if (running)
		napi_synchronize(&q->napi);
	del_timer_sync(&q->rx_refill_timer);
	if (running)
		napi_synchronize(&q->napi);

	spin_lock_irq(&q->tx_lock);
	nf_tx_release(q);
	spin_unlock_irq(&q->tx_lock);
	spin_lock_bh(&q->rx_lock);
	nf_rx_release(q);
	spin_unlock_bh(&q->rx_lock);

	/* Ends the ring grants, freeing the pages once the backend let go. */
	if (q->tx.sring)
		xenbus_teardown_ring((void **)&q->tx.sring, 1, &q->tx_ring_ref);
	if (q->rx.sring)
		xenbus_teardown_ring((void **)&q->rx.sring, 1, &q->rx_ring_ref);
}

/*
 * Stop traffic and release every queue's rings, event channels and
 * buffers; the queue structures stay (nf_queues_destroy frees them).
 * Idempotent: safe with no queues or when already disconnected.
 */
void nf_disconnect(struct nf_dev *nf)
{
	struct net_device *netdev = nf->netdev;
	unsigned int i;

	/* Never a carrier change once unregistering: see nf_remove(). */
	if (netdev->reg_state <= NETREG_REGISTERED)
		netif_carrier_off(netdev);
	clear_bit(NF_CONNECTED, &nf->flags);
	/* After this no ndo_start_xmit runs or starts until we re-attach. */
	netif_tx_lock_bh(netdev);
	netif_device_detach(netdev);
	netif_tx_unlock_bh(netdev);
	for (i = 0; i < nf->nr_queues; i++)
		nf_queue_disconnect(&nf->queues[i]);
}
