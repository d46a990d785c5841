/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Is a frontend's domain still alive? Asked on every @releaseDomain watch
 * event (xenstored fires it when any domain dies, without saying which).
 * cp_dom.c asks the hypervisor through libxenctrl; tests link a fake.
 */
#ifndef XVIF_NB_CP_DOM_H
#define XVIF_NB_CP_DOM_H

#include <stdint.h>

struct cp_dom;

struct cp_dom *cp_dom_open(void);
void cp_dom_close(struct cp_dom *dom);

enum cp_dom_state { CP_DOM_ALIVE, CP_DOM_DEAD, CP_DOM_UNKNOWN };
/* DEAD: no such domain, or it is dying. UNKNOWN: the query failed (then
 * the caller keeps the vif: xenstore removal will still tear it down). */
enum cp_dom_state cp_dom_state(struct cp_dom *dom, uint32_t domid);

#endif
