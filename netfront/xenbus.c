// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenbus handshake of xvif-netfront: read what the backend offers,
 * set up the queues, write what we use, and follow the backend's state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <xen/events.h>

#include "nf.h"
#include "xs_schema.h"
#include "xenbus_states.h"
#include "mac.h"

/* How long remove waits for the backend at each step of closing, polling
 * every NF_CLOSE_POLL_MS: the xenbus watch is gone by then, so we poll. A
 * backend that does not answer is left behind (its grants end later). */
#define NF_CLOSE_TIMEOUT_MS 5000
#define NF_CLOSE_POLL_MS 20

/*
 * The one function that writes our xenbus `state`. Moves (common/
 * xenbus_states.h):
 *
 *   Initialising --> Connected --> Closing --> Closed --> Initialising
 *        |               |                        ^
 *        +---------------+------------------------+
 *
 * Initialising: probe, or after Closed when the backend comes back
 * (InitWait); Connected: after nf_connect(); Closing/Closed: the backend
 * closes, or remove. A move the table refuses is logged and not written.
 */
int nf_set_state(struct nf_dev *nf, enum xenbus_state state)
{
	struct xenbus_device *dev = nf->xbdev;

	if (dev->state == state)
		return 0;
	if (!xvif_state_move_ok(XVIF_SIDE_FRONTEND, dev->state, state)) {
		dev_warn(&dev->dev, "refusing state move %s -> %s\n", xvif_state_name(dev->state),
			 xvif_state_name(state));
		return -EINVAL;
	}
	return xenbus_switch_state(dev, state);
}

/*
 * A fatal error at connect: the reason goes to xenstore's error node (for
 * the toolstack) and the log, and we move to Closing through nf_set_state.
 */
static __printf(3, 4) void nf_fatal(struct nf_dev *nf, int err, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xenbus_dev_error(nf->xbdev, err, "%s", msg);
	nf_set_state(nf, XenbusStateClosing);
}

/* xvif_xs_read_fn over xenbus_read() of one directory. */
static int nf_xs_read(void *ctx, const char *key, char *buf, unsigned int len)
{
	const char *dir = ctx;
	unsigned int n;
	char *val;

	val = xenbus_read(XBT_NIL, dir, key, &n);
	if (IS_ERR(val))
		return XVIF_XS_MISSING;
	if (n + 1 > len) {
		kfree(val);
		return XVIF_XS_TOOLONG;
	}
	memcpy(buf, val, n);
	buf[n] = '\0';
	kfree(val);
	return (int)n;
}

static int nf_read_backend(struct nf_dev *nf)
{
	struct xenbus_device *dev = nf->xbdev;
	struct xvif_xs_err err;
	char msg[160];

	if (xvif_be_caps_parse(nf_xs_read, (void *)dev->otherend, &nf->caps, &err)) {
		xvif_xs_err_format(&err, msg, sizeof(msg));
		nf_fatal(nf, -EINVAL, "backend %s: %s", dev->otherend, msg);
		return -EINVAL;
	}
	nf->be_multi_queue = xenbus_exists(XBT_NIL, dev->otherend, "multi-queue-max-queues");
	return 0;
}

/* MAC, MTU and trust from our own directory (the toolstack wrote them). */
static int nf_read_frontend(struct nf_dev *nf, unsigned int *mtu)
{
	struct xenbus_device *dev = nf->xbdev;
	char buf[XVIF_XS_VALUE_MAX];
	uint64_t v = 0;
	u8 mac[ETH_ALEN];
	int n;

	n = nf_xs_read((void *)dev->nodename, "mac", buf, sizeof(buf));
	if (n < 0 || xvif_mac_parse(buf, mac)) {
		nf_fatal(nf, -EINVAL, "%s/mac=%s: not a unicast MAC address", dev->nodename,
				 n < 0 ? "(missing)" : buf);
		return -EINVAL;
	}
	eth_hw_addr_set(nf->netdev, mac);

	n = nf_xs_read((void *)dev->nodename, "mtu", buf, sizeof(buf));
	if (n >= 0 && xvif_parse_uint(buf, XVIF_U32_MAX, &v))
		v = 0;
	*mtu = nf_pick_mtu(v, nf->caps.sg);
	if (!*mtu) {
		dev_warn(&dev->dev, "%s/mtu=%s: must be %u..%u (1500 without feature-sg); using %u\n",
			 dev->nodename, buf, XVIF_MTU_MIN, XVIF_MTU_MAX, XVIF_MTU_DEFAULT);
		*mtu = XVIF_MTU_DEFAULT;
	}

	nf->bounce = !nf_param_trusted || !xenbus_read_unsigned(dev->nodename, "trusted", 1);
	return 0;
}

static int nf_write_queue_keys(struct nf_queue *q, struct xenbus_transaction xbt, bool dir)
{
	struct xenbus_device *dev = q->nf->xbdev;
	char *path = (char *)dev->nodename;
	int err;

	if (dir) {
		path = kasprintf(GFP_KERNEL, "%s/queue-%u", dev->nodename, q->id);
		if (!path)
			return -ENOMEM;
	}
	err = xenbus_printf(xbt, path, "tx-ring-ref", "%u", q->tx_ring_ref);
	if (!err)
		err = xenbus_printf(xbt, path, "rx-ring-ref", "%u", q->rx_ring_ref);
	if (!err && q->tx_evtchn == q->rx_evtchn)
		err = xenbus_printf(xbt, path, "event-channel", "%u", q->tx_evtchn);
	if (!err && q->tx_evtchn != q->rx_evtchn) {
		err = xenbus_printf(xbt, path, "event-channel-tx", "%u", q->tx_evtchn);
		if (!err)
			err = xenbus_printf(xbt, path, "event-channel-rx", "%u", q->rx_evtchn);
	}
	if (dir)
		kfree(path);
	return err;
}

/* The feature keys we always write: what this frontend can receive. */
static const char *const nf_fe_features[] = {
	"request-rx-copy", "feature-rx-notify", "feature-sg", "feature-gso-tcpv4",
	"feature-gso-tcpv6", "feature-ipv6-csum-offload",
};

static int nf_write_keys(struct nf_dev *nf)
{
	struct xenbus_device *dev = nf->xbdev;
	struct xenbus_transaction xbt;
	const char *what = "starting transaction";
	char name[16];
	unsigned int i;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err)
		goto fail;
	/* Queue directories an earlier connection with more queues wrote
	 * (each xenstore call is a round trip to dom0: only those). */
	for (i = nf->nr_queues > 1 ? nf->nr_queues : 0; i < nf->queues_written; i++) {
		snprintf(name, sizeof(name), "queue-%u", i);
		xenbus_rm(xbt, dev->nodename, name);
	}
	what = "writing multi-queue-num-queues";
	if (nf->be_multi_queue) {
		err = xenbus_printf(xbt, dev->nodename, "multi-queue-num-queues", "%u", nf->nr_queues);
		if (err)
			goto abort;
	}
	what = "writing ring references and event channels";
	for (i = 0; i < nf->nr_queues; i++) {
		err = nf_write_queue_keys(&nf->queues[i], xbt, nf->nr_queues > 1);
		if (err)
			goto abort;
	}
	for (i = 0; i < ARRAY_SIZE(nf_fe_features); i++) {
		what = nf_fe_features[i];
		err = xenbus_write(xbt, dev->nodename, nf_fe_features[i], "1");
		if (err)
			goto abort;
	}
	what = "completing transaction";
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		goto fail;
	nf->queues_written = nf->nr_queues > 1 ? nf->nr_queues : 0;
	return 0;

abort:
	xenbus_transaction_end(xbt, 1);
fail:
	nf_fatal(nf, err, "%s", what);
	return err;
}

/*
 * Connect to a backend in InitWait: read its offer, (re)build the queues,
 * write our keys, register or re-attach the net device, carrier on.
 * Returns 0, or a negative errno with the reason in xenstore's error node.
 */
static int nf_connect(struct nf_dev *nf)
{
	struct net_device *netdev = nf->netdev;
	unsigned int nr, mtu, i;
	int err;

	err = nf_read_backend(nf);
	if (err)
		return err;
	err = nf_read_frontend(nf, &mtu);
	if (err)
		return err;
	nr = nf_pick_queues(num_online_cpus(), nf->caps.max_queues, nf_param_max_queues,
			    netdev->num_tx_queues);

	rtnl_lock();
	nf_queues_destroy(nf);
	clear_bit(NF_BROKEN, &nf->flags);
	err = nf_queues_create(nf, nr);
	rtnl_unlock();
	if (err) {
		nf_fatal(nf, err, "creating %u queues", nr);
		return err;
	}
	for (i = 0; i < nf->nr_queues; i++) {
		err = nf_queue_connect(&nf->queues[i], nf->caps.split_evtchn);
		if (err) {
			nf_fatal(nf, err, "setting up queue %u", i);
			goto fail;
		}
	}
	err = nf_write_keys(nf);
	if (err)
		goto fail;
	set_bit(NF_CONNECTED, &nf->flags);

	if (netdev->reg_state == NETREG_UNINITIALIZED) {
		netdev->mtu = mtu;
		err = register_netdev(netdev);
		if (err) {
			nf_fatal(nf, err, "registering the net device");
			goto fail;
		}
	}
	rtnl_lock();
	netdev_update_features(netdev);
	if (netdev->mtu > netdev->max_mtu || (!(netdev->features & NETIF_F_SG) && netdev->mtu > ETH_DATA_LEN))
		dev_set_mtu(netdev, ETH_DATA_LEN);
	rtnl_unlock();

	if (nf->connected_once)
		nf_count(nf, NF_CTR_RECONNECT);
	nf->connected_once = true;
	netif_tx_lock_bh(netdev);
	netif_device_attach(netdev);
	netif_tx_unlock_bh(netdev);
	netif_carrier_on(netdev);
	for (i = 0; i < nf->nr_queues; i++) {
		struct nf_queue *q = &nf->queues[i];

		notify_remote_via_irq(q->tx_irq);
		if (q->rx_irq != q->tx_irq)
			notify_remote_via_irq(q->rx_irq);
		spin_lock_bh(&q->rx_lock);
		nf_rx_refill(q);
		spin_unlock_bh(&q->rx_lock);
	}
	netdev_info(netdev, "connected to %s: %u queue(s)%s%s%s, mtu %u%s\n", nf->xbdev->otherend,
		    nf->nr_queues, nf->caps.split_evtchn ? ", split event channels" : "",
		    nf->caps.sg ? ", sg" : "", nf->caps.gso_tcpv4 ? ", tso" : "", netdev->mtu,
		    nf->bounce ? ", untrusted backend: bouncing TX" : "");
	return 0;

fail:
	nf_disconnect(nf);
	return err;
}

/*
 * The backend's state changed (xenwatch thread). Its value is hostile
 * input: anything we do not expect is logged and ignored.
 */
void nf_backend_changed(struct xenbus_device *dev, enum xenbus_state backend_state)
{
	struct nf_dev *nf = dev_get_drvdata(&dev->dev);
	enum xenbus_state was;

	if (!nf)
		return;
	dev_dbg(&dev->dev, "backend %s, we are %s\n", xvif_state_name(backend_state),
		xvif_state_name(dev->state));

	switch (backend_state) {
	case XenbusStateInitWait:
		/* A new backend, or the old one back: connect (again). */
		if (dev->state == XenbusStateClosed)
			nf_set_state(nf, XenbusStateInitialising);
		if (dev->state != XenbusStateInitialising)
			break;
		if (nf_connect(nf) == 0)
			nf_set_state(nf, XenbusStateConnected);
		break;

	case XenbusStateConnected:
		if (dev->state == XenbusStateConnected && nf->netdev->reg_state == NETREG_REGISTERED)
			netdev_notify_peers(nf->netdev);
		break;

	case XenbusStateClosed:
		/* Still waiting for a backend to come (back): not ours to close. */
		if (dev->state == XenbusStateInitialising || dev->state == XenbusStateClosed)
			break;
		fallthrough;
	case XenbusStateClosing:
		if (dev->state == XenbusStateClosed)
			break;
		was = dev->state;
		if (nf->netdev->reg_state == NETREG_REGISTERED)
			netdev_info(nf->netdev, "backend %s is %s: disconnecting\n", dev->otherend,
				    xvif_state_name(backend_state));
		nf_disconnect(nf);
		nf_set_state(nf, XenbusStateClosed);
		complete(&dev->down);
		/* A backend that went away (jumped to Closed, online=1): offer
		 * a new connection for when it comes back (nf_proto.h). */
		if (nf_reoffer_after_close(backend_state, was,
					   xenbus_read_unsigned(dev->otherend, "online", 0))) {
			dev_info_ratelimited(&dev->dev, "backend %s went away: waiting for it to come back\n",
					     dev->otherend);
			nf_set_state(nf, XenbusStateInitialising);
		}
		break;

	case XenbusStateUnknown:
	case XenbusStateInitialising:
	case XenbusStateInitialised:
	case XenbusStateReconfiguring:
	case XenbusStateReconfigured:
		break;

	default:
		dev_warn_ratelimited(&dev->dev, "backend wrote unknown state %u: ignored\n",
				     (unsigned int)backend_state);
		break;
	}
}

/* Wait until the backend's state is one of @a, @b, @c, or the timeout. */
static void nf_wait_backend(struct xenbus_device *dev, enum xenbus_state a, enum xenbus_state b,
			    enum xenbus_state c)
{
	unsigned int waited;

	for (waited = 0; waited < NF_CLOSE_TIMEOUT_MS; waited += NF_CLOSE_POLL_MS) {
		enum xenbus_state s = xenbus_read_driver_state(dev->otherend);

		if (s == a || s == b || s == c)
			return;
		msleep(NF_CLOSE_POLL_MS);
	}
	dev_warn(&dev->dev, "backend %s did not reach %s in %u ms: closing anyway\n", dev->otherend,
		 xvif_state_name(a), NF_CLOSE_TIMEOUT_MS);
}

/*
 * Close the connection for remove: Closing, wait for the backend to close
 * (it unmaps our grants), then Closed. Bounded: a dead backend does not
 * block rmmod.
 */
void nf_bus_close(struct nf_dev *nf)
{
	struct xenbus_device *dev = nf->xbdev;
	enum xenbus_state s = xenbus_read_driver_state(dev->otherend);

	if (dev->state == XenbusStateClosed)
		return;
	if (s != XenbusStateClosed && s != XenbusStateUnknown && s != XenbusStateInitWait) {
		nf_set_state(nf, XenbusStateClosing);
		nf_wait_backend(dev, XenbusStateClosing, XenbusStateClosed, XenbusStateUnknown);
	}
	nf_set_state(nf, XenbusStateClosed);
	s = xenbus_read_driver_state(dev->otherend);
	if (s != XenbusStateClosed && s != XenbusStateUnknown && s != XenbusStateInitWait)
		nf_wait_backend(dev, XenbusStateClosed, XenbusStateUnknown, XenbusStateInitWait);
}
