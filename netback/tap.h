/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dom0 side of a vif: one multi-queue TAP interface.
 *
 * Created when the backend directory appears (the hotplug script needs the
 * interface before it can bridge it), with queue 0's fd held open for the
 * interface's whole life; the other queues' fds are opened at connect time
 * and closed at disconnect. Every fd is IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE,
 * O_NONBLOCK, with a virtio_net_hdr of sizeof(struct virtio_net_hdr).
 *
 * Interfaces are persistent (TUNSETPERSIST) so that they outlive the daemon:
 * a restarted or upgraded daemon attaches to them again (xvif_tap_attach)
 * and the bridge, addresses and firewall rules on them stay. Closing every
 * fd only detaches; the interface goes away when persist is cleared and
 * the last fd closed (xvif_tap_set_persist(false), xvif_tap_destroy).
 */
#ifndef XVIF_NB_TAP_H
#define XVIF_NB_TAP_H

#include <stdbool.h>
#include <stddef.h>

#include "xvif_limits.h"

/* The dom0-side MAC of every vif, as Linux netback's: never a real
 * station, and the bridge never picks it as its own address. */
#define XVIF_TAP_MAC { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff }

/* Offloads the data path accepts from the kernel (TUNSETOFFLOAD bits). */
#define XVIF_TAP_OFF_CSUM 0x1u
#define XVIF_TAP_OFF_TSO4 0x2u
#define XVIF_TAP_OFF_TSO6 0x4u

struct xvif_tap {
	char name[16];                 /* IFNAMSIZ */
	int fd[XVIF_MAX_QUEUES];
	unsigned int nfds;             /* 0: no interface */
	int ifindex;                   /* its ifindex (0 if unknown) */
};

/* Create the interface @name (fails if it exists: never adopt someone
 * else's device), set MAC, MTU and carrier off. On failure @err says why. */
int xvif_tap_create(struct xvif_tap *t, const char *name, unsigned int mtu, char *err, size_t errlen);
/* Attach to the existing persistent TAP @name made by an earlier run,
 * checking it is still the interface with @ifindex (never someone else's,
 * never a re-created one). Opens queue 0 only; MAC, MTU, addresses stay.
 * -1 with errno ENODEV if there is no such interface, other errno on
 * failure; @err says why. */
int xvif_tap_attach(struct xvif_tap *t, const char *name, int ifindex, char *err, size_t errlen);
/* TUNSETPERSIST on the interface (needs a queue fd open). */
int xvif_tap_set_persist(struct xvif_tap *t, bool on);
/* Open or close queue fds until there are @n (1..XVIF_MAX_QUEUES). */
int xvif_tap_set_queues(struct xvif_tap *t, unsigned int n, char *err, size_t errlen);
int xvif_tap_set_offload(struct xvif_tap *t, unsigned int offload);
int xvif_tap_set_carrier(struct xvif_tap *t, bool on);
/* Close every fd: the interface disappears unless persistent (then it is
 * only detached, carrier off). Idempotent. */
void xvif_tap_destroy(struct xvif_tap *t);

#endif
