/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xvif-netback and the kernel's xen-netback cannot both serve backend/vif:
 * both would answer the same devices. The daemon refuses to start while the
 * kernel driver is loaded.
 */
#ifndef XVIF_NB_CP_KMOD_H
#define XVIF_NB_CP_KMOD_H

#include <stddef.h>

/*
 * Look under @sysroot ("" for the real system; a test directory in tests)
 * for /sys/module/xen_netback and /sys/bus/xen-backend/drivers/vif.
 * Returns 1 and writes a multi-line message telling the admin what to do
 * into @msg if the kernel backend is present, 0 if not.
 */
int cp_kernel_netback_check(const char *sysroot, char *msg, size_t len);

#endif
