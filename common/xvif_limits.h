/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every protocol limit xvif enforces, with the reason for its value.
 * Both drivers and the tests use these names; never a bare number.
 */
#ifndef XVIF_LIMITS_H
#define XVIF_LIMITS_H

#include "xvif_shim.h"

/* Most queues one vif may have. Linux netback's default is the CPU count;
 * this is a hard cap so per-vif state stays a fixed size. */
#define XVIF_MAX_QUEUES 16u

/* A TX packet of more data slots than this is dropped (error response):
 * netif.h promises backends accept at least XEN_NETIF_NR_SLOTS_MIN, and
 * Linux netfront never sends more. */
#define XVIF_TX_SLOTS_DROP XEN_NETIF_NR_SLOTS_MIN

/* A TX chain longer than this marks the queue broken: no honest frontend
 * does it (Linux netback's fatal_skb_slots default is the same 20). */
#define XVIF_TX_SLOTS_FATAL 20u

/* Extra-info types xvif knows: GSO, MCAST_ADD, MCAST_DEL, HASH (1..4).
 * Anything from here up is unknown. (The kernel's netif.h also has XDP = 5,
 * which only a backend sends; Xen 4.17's ends at HASH.) */
#define XVIF_EXTRA_TYPE_END (XEN_NETIF_EXTRA_TYPE_HASH + 1)

/* Most extra-info segments after a TX first slot: one of each type at most. */
#define XVIF_TX_EXTRAS_MAX (XVIF_EXTRA_TYPE_END - 1)

/* Shortest packet worth delivering: an Ethernet header. */
#define XVIF_ETH_HLEN 14u

/* Largest Ethernet frame a vif carries (netif.h: the TX size field is 16 bits). */
#define XVIF_MAX_FRAME XEN_NETIF_MAX_TX_SIZE

/* RX slots one packet may use: a 64 KiB GSO frame plus headroom over 4 KiB
 * pages is 17 slots; one more for a frame starting mid-page. */
#define XVIF_RX_SLOTS_MAX (XEN_NETIF_NR_SLOTS_MIN)

/* GSO segment size: 0 would make segmentation loop forever; the 16-bit
 * field cannot exceed a frame, so 0 is the only absurd value. */
#define XVIF_GSO_SIZE_MIN 1u

/* MTU bounds for the `mtu` key: IPv4 minimum to 64 KiB minus the Ethernet
 * header (Linux netback's max with feature-sg). */
#define XVIF_MTU_MIN 68u
#define XVIF_MTU_MAX (65535u - XVIF_ETH_HLEN)
#define XVIF_MTU_DEFAULT 1500u

/* Largest xdp-headroom a frontend may ask for: the kernel's netif.h names it
 * XEN_NETIF_MAX_XDP_HEADROOM; Xen 4.17's copy predates the key. */
#define XVIF_XDP_HEADROOM_MAX 0x7FFFu

/* Toeplitz key: netif.h puts no limit; Linux netback and Windows RSS use 40. */
#define XVIF_HASH_KEY_MAX 40u

/* Hash mapping (indirection) table entries: Linux netback's limit. */
#define XVIF_HASH_MAPPING_MAX 128u

/* Multicast addresses one vif may subscribe to before we flood instead. */
#define XVIF_MCAST_MAX 64u

/* Event channel ports: 0 is never valid; the FIFO ABI has 2^17 ports. */
#define XVIF_EVTCHN_PORT_MAX ((1u << 17) - 1)

/* Longest xenstore value we read; anything longer is invalid. */
#define XVIF_XS_VALUE_MAX 128u

/* Longest xenstore key path (relative) we build. */
#define XVIF_XS_KEY_MAX 64u

#endif /* XVIF_LIMITS_H */
