// SPDX-License-Identifier: GPL-2.0-only
/* cp_dom.h for the tests: every domain is alive until fake_xs_dom_kill(). */
#include <stdlib.h>

#include "cp_dom.h"
#include "fake_xs.h"

#define FAKE_DOMS 64u

static bool dead[FAKE_DOMS];
static int dummy;

struct cp_dom *cp_dom_open(void)
{
	return (struct cp_dom *)&dummy;
}

void cp_dom_close(struct cp_dom *dom)
{
	(void)dom;
}

enum cp_dom_state cp_dom_state(struct cp_dom *dom, uint32_t domid)
{
	(void)dom;
	return domid < FAKE_DOMS && dead[domid] ? CP_DOM_DEAD : CP_DOM_ALIVE;
}

void fake_xs_dom_kill(uint32_t domid)
{
	if (domid < FAKE_DOMS)
		dead[domid] = true;
}

void fake_xs_dom_reset(void)
{
	unsigned int i;

	for (i = 0; i < FAKE_DOMS; i++)
		dead[i] = false;
}
