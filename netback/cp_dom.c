// SPDX-License-Identifier: GPL-2.0-only
/* Domain liveness through libxenctrl. See cp_dom.h. */
#include <stdlib.h>

#include <xenctrl.h>

#include "cp_dom.h"

struct cp_dom {
	xc_interface *xch;
};

struct cp_dom *cp_dom_open(void)
{
	struct cp_dom *dom = calloc(1, sizeof(*dom));

	if (!dom)
		return NULL;
	dom->xch = xc_interface_open(NULL, NULL, 0);
	if (!dom->xch) {
		free(dom);
		return NULL;
	}
	return dom;
}

void cp_dom_close(struct cp_dom *dom)
{
	if (!dom)
		return;
	xc_interface_close(dom->xch);
	free(dom);
}

enum cp_dom_state cp_dom_state(struct cp_dom *dom, uint32_t domid)
{
	xc_domaininfo_t info;
	int n = xc_domain_getinfolist(dom->xch, domid, 1, &info);

	if (n < 0)
		return CP_DOM_UNKNOWN;
	/* getinfolist returns the first domain >= domid: another id means gone. */
	if (n == 0 || info.domain != domid)
		return CP_DOM_DEAD;
	return (info.flags & XEN_DOMINF_dying) ? CP_DOM_DEAD : CP_DOM_ALIVE;
}
