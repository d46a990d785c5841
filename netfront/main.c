// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvif-netfront: module parameters, the xenbus frontend driver for "vif",
 * and the device's probe, remove and resume.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <xen/xen.h>
#include <xen/platform_pci.h>

#include "nf.h"

unsigned int nf_param_max_queues;
module_param_named(max_queues, nf_param_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues,
		 "Most queues per vif (0: as many as vCPUs, up to the backend's maximum and 16)");

bool nf_param_trusted = true;
module_param_named(trusted, nf_param_trusted, bool, 0644);
MODULE_PARM_DESC(trusted,
		 "Trust the backend (0: bounce transmitted data to zeroed pages; the xenstore key 'trusted' can also say 0)");

static int nf_probe(struct xenbus_device *dev, const struct xenbus_device_id *id)
{
	struct net_device *netdev;
	struct nf_dev *nf;

	netdev = nf_netdev_alloc(dev);
	if (IS_ERR(netdev)) {
		xenbus_dev_error(dev, PTR_ERR(netdev), "creating netdev");
		return PTR_ERR(netdev);
	}
	nf = netdev_priv(netdev);
	dev_set_drvdata(&dev->dev, nf);

	/*
	 * After a module reload our last state was Closed: offer a new
	 * connection. The backend answers with InitWait and nf_backend_changed()
	 * connects.
	 */
	if (dev->state != XenbusStateInitialising)
		nf_set_state(nf, XenbusStateInitialising);
	return 0;
}

/*
 * Remove (unbind, device unplug; rmmod once no device is bound): close the
 * connection with the backend, stop traffic and release the rings and
 * buffers (grants the backend still holds are ended later by the grant
 * table's deferred list, never reused), then unregister the net device.
 * The carrier goes off while the device is still registered: a carrier
 * change after unregister_netdev would queue a link-watch event on a
 * device about to be freed.
 */
static void nf_remove(struct xenbus_device *dev)
{
	struct nf_dev *nf = dev_get_drvdata(&dev->dev);

	nf_bus_close(nf);
	nf_disconnect(nf);
	if (nf->netdev->reg_state == NETREG_REGISTERED)
		unregister_netdev(nf->netdev);
	rtnl_lock();
	nf_queues_destroy(nf);
	rtnl_unlock();
	free_netdev(nf->netdev);
	dev_set_drvdata(&dev->dev, NULL);
}

/*
 * Resume after save/restore or migration: the backend is a new one. Detach
 * the device and drop the old rings; the xenbus core then puts us back to
 * Initialising and the backend's InitWait reconnects.
 */
static int nf_resume(struct xenbus_device *dev)
{
	struct nf_dev *nf = dev_get_drvdata(&dev->dev);

	netdev_info(nf->netdev, "resume: reconnecting to %s\n", dev->otherend);
	nf_disconnect(nf);
	return 0;
}

static const struct xenbus_device_id nf_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver nf_driver = {
	.ids = nf_ids,
	.probe = nf_probe,
	.remove = nf_remove,
	.resume = nf_resume,
	.otherend_changed = nf_backend_changed,
};

static int __init nf_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	if (!xen_has_pv_nic_devices())
		return -ENODEV;
	pr_info("xvif paravirtual network frontend %s\n", NF_DRV_VERSION);
	return xenbus_register_frontend(&nf_driver);
}
module_init(nf_init);

static void __exit nf_exit(void)
{
	xenbus_unregister_driver(&nf_driver);
}
module_exit(nf_exit);

MODULE_DESCRIPTION("xvif: Xen paravirtual network frontend");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vif");
MODULE_VERSION(NF_DRV_VERSION);
