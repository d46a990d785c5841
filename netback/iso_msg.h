/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the daemon and a vif's worker process say to each other (one
 * SOCK_SEQPACKET message each), and the status page the worker writes.
 * Both ends are the same binary (the worker is an exec of /proc/self/exe),
 * so the config travels as the struct itself; the daemon still checks every
 * message and page it reads, since the worker may be compromised.
 */
#ifndef XVIF_NB_ISO_MSG_H
#define XVIF_NB_ISO_MSG_H

#include <stdint.h>

#include "dp.h"

#define XVIF_ISO_FD 3              /* the worker's command socket after exec */
#define XVIF_ISO_MAGIC 0x7869736fu /* "xiso" */
#define XVIF_ISO_F_NAMESPACES 1u   /* cfg flags: leave the daemon's namespaces (sandbox.h) */

enum xvif_iso_msg_type {
	/* daemon -> worker */
	XVIF_ISO_CFG = 1,      /* struct xvif_iso_cfg_msg + fds: the page memfd, then one TAP fd per queue */
	XVIF_ISO_RATE,         /* rate fields */
	XVIF_ISO_XDP,          /* headroom */
	XVIF_ISO_STOP,
	/* worker -> daemon */
	XVIF_ISO_STARTED = 16,
	XVIF_ISO_FAILED,       /* rc, err */
	XVIF_ISO_BROKEN,       /* queue (the reason is in the page) */
};

struct xvif_iso_msg {
	uint32_t magic;
	uint32_t type;
	int32_t rc;
	uint32_t queue;
	uint8_t have_rate;
	uint8_t pad[1];
	uint16_t headroom;
	uint32_t pad2;
	uint64_t rate_bytes, rate_usec;
	char err[192];
};

struct xvif_iso_cfg_msg {
	struct xvif_iso_msg h;
	uint32_t cfg_size;         /* sizeof(struct xvif_dp_vif_cfg): same binary, same layout */
	uint32_t ntap;
	uint32_t uid, gid;
	int32_t parent_pid;
	int32_t log_level;
	uint32_t flags;            /* XVIF_ISO_F_* */
	uint32_t pad3;
	uint64_t data_limit;       /* RLIMIT_DATA in bytes, 0: none */
	char name[24];
	struct xvif_dp_vif_cfg cfg; /* pointers and fds are the sender's: replaced on receipt */
};

/* One queue in the page. Only fixed-width fields: the daemon must be able
 * to copy any bit pattern and check it (no bool, no pointer). */
struct xvif_iso_qpage {
	uint32_t broken;
	uint32_t port_tx, port_rx;
	uint32_t tx_ring_free, rx_ring_free;
	uint32_t pad;
	uint64_t rx_queued_bytes;
	char why[96];
	struct xvif_dp_counters counters;
};

/* Written only by the worker, under a sequence count (odd while writing);
 * the daemon retries a torn read a few times, then checks what it has. */
struct xvif_iso_page {
	uint32_t magic;
	uint32_t seq;
	uint32_t nq;
	uint32_t pad;
	struct xvif_iso_qpage q[XVIF_MAX_QUEUES];
};

#endif
