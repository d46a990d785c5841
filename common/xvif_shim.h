/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place that knows whether common/ is compiled into the kernel module
 * or into user space. It selects the integer types, memcpy/memset and Xen's
 * own io/netif.h and io/ring.h (the kernel's copy in the module, Xen's in user
 * space), and gives the protocol structs one set of names for both.
 *
 * Nothing else in common/ includes a system header.
 */
#ifndef XVIF_SHIM_H
#define XVIF_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <xen/interface/io/netif.h>
#include <xen/interface/io/xenbus.h>
#include <xen/interface/grant_table.h>

typedef struct xen_netif_tx_request xvif_tx_req_t;
typedef struct xen_netif_tx_response xvif_tx_rsp_t;
typedef struct xen_netif_rx_request xvif_rx_req_t;
typedef struct xen_netif_rx_response xvif_rx_rsp_t;
typedef struct xen_netif_extra_info xvif_extra_t;
typedef struct xen_netif_tx_sring xvif_tx_sring_t;
typedef struct xen_netif_rx_sring xvif_rx_sring_t;
typedef struct xen_netif_tx_back_ring xvif_tx_back_ring_t;
typedef struct xen_netif_rx_back_ring xvif_rx_back_ring_t;
typedef struct xen_netif_tx_front_ring xvif_tx_front_ring_t;
typedef struct xen_netif_rx_front_ring xvif_rx_front_ring_t;
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>
#include <xen/io/xenbus.h>

typedef struct netif_tx_request xvif_tx_req_t;
typedef struct netif_tx_response xvif_tx_rsp_t;
typedef struct netif_rx_request xvif_rx_req_t;
typedef struct netif_rx_response xvif_rx_rsp_t;
typedef struct netif_extra_info xvif_extra_t;
typedef struct netif_tx_sring xvif_tx_sring_t;
typedef struct netif_rx_sring xvif_rx_sring_t;
typedef struct netif_tx_back_ring xvif_tx_back_ring_t;
typedef struct netif_rx_back_ring xvif_rx_back_ring_t;
typedef struct netif_tx_front_ring xvif_tx_front_ring_t;
typedef struct netif_rx_front_ring xvif_rx_front_ring_t;
#endif

/* Both names of the control ring are the same in the kernel and in Xen. */
typedef struct xen_netif_ctrl_request xvif_ctrl_req_t;
typedef struct xen_netif_ctrl_response xvif_ctrl_rsp_t;

/* Ring pages are always 4 KiB: the grant unit, whatever the host page size. */
#define XVIF_PAGE_SIZE 4096u

#define XVIF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* XVIF_SHIM_H */
