// SPDX-License-Identifier: GPL-2.0-only
/* Multi-queue TAP interfaces for vifs. See tap.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#include "tap.h"

#define TUN_DEV "/dev/net/tun"
#define TAP_FLAGS (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE)

/* Open one queue of @name. @first: create it (exclusively, carrier off). */
static int open_queue(const char *name, bool first, char *err, size_t errlen)
{
	struct ifreq ifr;
	int hdrsz = (int)sizeof(struct virtio_net_hdr), rc;
	int fd = open(TUN_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s (is the tun module loaded?)", TUN_DEV, strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = TAP_FLAGS;
	if (first)
		ifr.ifr_flags |= IFF_TUN_EXCL | IFF_NO_CARRIER;
	rc = ioctl(fd, TUNSETIFF, &ifr);
	if (rc < 0 && first && errno == EINVAL) {
		/* Kernels before 6.0 do not know IFF_NO_CARRIER: the carrier is
		 * then turned off right after creation instead. */
		ifr.ifr_flags &= ~IFF_NO_CARRIER;
		rc = ioctl(fd, TUNSETIFF, &ifr);
	}
	if (rc < 0) {
		if (first && errno == EBUSY)
			snprintf(err, errlen, "interface %s already exists: remove it or set another vifname", name);
		else
			snprintf(err, errlen, "cannot %s TAP %s: %s", first ? "create" : "add a queue to", name,
				 strerror(errno));
		close(fd);
		return -1;
	}
	if (ioctl(fd, TUNSETVNETHDRSZ, &hdrsz) < 0) {
		snprintf(err, errlen, "TAP %s: TUNSETVNETHDRSZ: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* An ioctl on the interface by name (MTU, MAC) through a throwaway socket. */
static int if_ioctl(unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc;

	if (s < 0)
		return -1;
	rc = ioctl(s, req, ifr);
	if (rc < 0) {
		int e = errno;

		close(s);
		errno = e;
		return -1;
	}
	close(s);
	return 0;
}

/* The ifindex of @name, 0 if there is no such interface. */
static int tap_ifindex(const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	return if_ioctl(SIOCGIFINDEX, &ifr) < 0 ? 0 : ifr.ifr_ifindex;
}

int xvif_tap_create(struct xvif_tap *t, const char *name, unsigned int mtu, char *err, size_t errlen)
{
	static const unsigned char mac[6] = XVIF_TAP_MAC;
	struct ifreq ifr;
	unsigned int i;
	int fd;

	for (i = 0; i < XVIF_MAX_QUEUES; i++)
		t->fd[i] = -1;
	t->nfds = 0;
	snprintf(t->name, sizeof(t->name), "%s", name);
	fd = open_queue(name, true, err, errlen);
	if (fd < 0)
		return -1;
	t->fd[0] = fd;
	t->nfds = 1;
	t->ifindex = (int)tap_ifindex(name);

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, sizeof(mac));
	if (if_ioctl(SIOCSIFHWADDR, &ifr) < 0) {
		snprintf(err, errlen, "TAP %s: cannot set MAC: %s", name, strerror(errno));
		goto fail;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_mtu = (int)mtu;
	if (if_ioctl(SIOCSIFMTU, &ifr) < 0) {
		snprintf(err, errlen, "TAP %s: cannot set MTU %u: %s", name, mtu, strerror(errno));
		goto fail;
	}
	if (xvif_tap_set_carrier(t, false) < 0) {
		snprintf(err, errlen, "TAP %s: cannot set carrier off: %s", name, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	xvif_tap_destroy(t);
	return -1;
}

int xvif_tap_attach(struct xvif_tap *t, const char *name, int ifindex, char *err, size_t errlen)
{
	unsigned int i;
	int fd, idx;

	for (i = 0; i < XVIF_MAX_QUEUES; i++)
		t->fd[i] = -1;
	t->nfds = 0;
	t->ifindex = 0;
	snprintf(t->name, sizeof(t->name), "%s", name);
	/* TUNSETIFF without IFF_TUN_EXCL would create a missing interface:
	 * check it exists, and is the one we made, first. */
	idx = (int)tap_ifindex(name);
	if (idx == 0 || idx != ifindex) {
		snprintf(err, errlen, "TAP %s: %s", name,
			 idx == 0 ? "no such interface" : "ifindex changed: not the interface we made");
		errno = ENODEV;
		return -1;
	}
	fd = open_queue(name, false, err, errlen);
	if (fd < 0)
		return -1;
	t->fd[0] = fd;
	t->nfds = 1;
	t->ifindex = idx;
	/* Raced with its removal and re-creation by someone else? */
	if ((int)tap_ifindex(name) != idx) {
		xvif_tap_destroy(t);
		snprintf(err, errlen, "TAP %s: replaced while attaching", name);
		errno = ENODEV;
		return -1;
	}
	return 0;
}

int xvif_tap_set_persist(struct xvif_tap *t, bool on)
{
	if (t->nfds == 0)
		return -1;
	return ioctl(t->fd[0], TUNSETPERSIST, (unsigned long)on) < 0 ? -1 : 0;
}

int xvif_tap_set_queues(struct xvif_tap *t, unsigned int n, char *err, size_t errlen)
{
	if (t->nfds == 0 || n < 1 || n > XVIF_MAX_QUEUES) {
		snprintf(err, errlen, "TAP %s: cannot have %u queues", t->name, n);
		return -1;
	}
	while (t->nfds > n) {
		t->nfds--;
		close(t->fd[t->nfds]);
		t->fd[t->nfds] = -1;
	}
	while (t->nfds < n) {
		int fd = open_queue(t->name, false, err, errlen);

		if (fd < 0)
			return -1;
		t->fd[t->nfds++] = fd;
	}
	return 0;
}

int xvif_tap_set_offload(struct xvif_tap *t, unsigned int offload)
{
	unsigned int f = 0;

	if (t->nfds == 0)
		return -1;
	if (offload & XVIF_TAP_OFF_CSUM)
		f |= TUN_F_CSUM;
	if (offload & XVIF_TAP_OFF_TSO4)
		f |= TUN_F_TSO4;
	if (offload & XVIF_TAP_OFF_TSO6)
		f |= TUN_F_TSO6;
	return ioctl(t->fd[0], TUNSETOFFLOAD, f) < 0 ? -1 : 0;
}

int xvif_tap_set_carrier(struct xvif_tap *t, bool on)
{
	int v = on;

	if (t->nfds == 0)
		return -1;
	return ioctl(t->fd[0], TUNSETCARRIER, &v) < 0 ? -1 : 0;
}

void xvif_tap_destroy(struct xvif_tap *t)
{
	while (t->nfds > 0) {
		t->nfds--;
		close(t->fd[t->nfds]);
		t->fd[t->nfds] = -1;
	}
}
