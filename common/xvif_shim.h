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

/* Xen's user-space netif.h names the flags and statuses without the XEN_
 * prefix the kernel's copy uses; common/ uses the kernel's names. */
#define XEN_NETTXF_csum_blank NETTXF_csum_blank
#define XEN_NETTXF_data_validated NETTXF_data_validated
#define XEN_NETTXF_more_data NETTXF_more_data
#define XEN_NETTXF_extra_info NETTXF_extra_info
#define XEN_NETRXF_data_validated NETRXF_data_validated
#define XEN_NETRXF_csum_blank NETRXF_csum_blank
#define XEN_NETRXF_more_data NETRXF_more_data
#define XEN_NETRXF_extra_info NETRXF_extra_info
#define XEN_NETIF_RSP_DROPPED NETIF_RSP_DROPPED
#define XEN_NETIF_RSP_ERROR NETIF_RSP_ERROR
#define XEN_NETIF_RSP_OKAY NETIF_RSP_OKAY
#define XEN_NETIF_RSP_NULL NETIF_RSP_NULL
#endif

/* Both names of the control ring are the same in the kernel and in Xen. */
typedef struct xen_netif_ctrl_request xvif_ctrl_req_t;
typedef struct xen_netif_ctrl_response xvif_ctrl_rsp_t;

/* Integer limits under one name: the kernel has no UINT64_MAX. */
#define XVIF_U64_MAX ((uint64_t)~0ull)
#define XVIF_U32_MAX ((uint32_t)~0u)

/* Ring pages are always 4 KiB: the grant unit, whatever the host page size. */
#define XVIF_PAGE_SIZE 4096u

#define XVIF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* XVIF_SHIM_H */
