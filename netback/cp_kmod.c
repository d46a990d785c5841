// SPDX-License-Identifier: GPL-2.0-only
/* Detect the kernel's xen-netback. See cp_kmod.h. */
#include <stdio.h>
#include <sys/stat.h>

#include "cp_kmod.h"

static const char *const kernel_netback_paths[] = {
	"/sys/module/xen_netback",              /* the module is loaded (or built in) */
	"/sys/bus/xen-backend/drivers/vif",     /* its xenbus driver is registered */
};

int cp_kernel_netback_check(const char *sysroot, char *msg, size_t len)
{
	char path[512];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(kernel_netback_paths) / sizeof(kernel_netback_paths[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", sysroot, kernel_netback_paths[i]);
		if (stat(path, &st) == 0) {
			snprintf(msg, len,
				 "the kernel's xen-netback is loaded (%s exists): it would serve the same vifs.\n"
				 "  Unload it:      rmmod xen-netback\n"
				 "  Keep it out:    echo 'blacklist xen-netback' > /etc/modprobe.d/xvif.conf\n"
				 "                  echo 'install xen-netback /bin/false' >> /etc/modprobe.d/xvif.conf\n"
				 "  (if it is built into the kernel, boot a kernel without it)\n"
				 "  then start xvif-netback again.",
				 kernel_netback_paths[i]);
			return 1;
		}
	}
	return 0;
}
