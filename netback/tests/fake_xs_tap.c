// SPDX-License-Identifier: GPL-2.0-only
/* tap.h for the tests: eventfds stand in for queue fds; every interface's
 * properties are recorded by name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fake_xs.h"
#include "tap.h"

#define FAKE_TAPS 32u

static struct fake_xs_tap_if ifs[FAKE_TAPS];
static int next_ifindex = 100;

static struct fake_xs_tap_if *lookup(const char *name, bool make)
{
	unsigned int i;

	for (i = 0; i < FAKE_TAPS; i++)
		if (ifs[i].name[0] && strcmp(ifs[i].name, name) == 0)
			return &ifs[i];
	if (!make)
		return NULL;
	for (i = 0; i < FAKE_TAPS; i++)
		if (!ifs[i].name[0]) {
			snprintf(ifs[i].name, sizeof(ifs[i].name), "%s", name);
			return &ifs[i];
		}
	return NULL;
}

const struct fake_xs_tap_if *fake_xs_tap_find(const char *name)
{
	return lookup(name, false);
}

void fake_xs_tap_reset(void)
{
	memset(ifs, 0, sizeof(ifs));
	next_ifindex = 100;
}

int fake_xs_tap_leave(const char *name)
{
	struct fake_xs_tap_if *f = lookup(name, true);

	f->exists = true;
	f->persist = true;
	f->carrier = false;
	f->queues = 0;
	f->ifindex = next_ifindex++;
	return f->ifindex;
}

int xvif_tap_attach(struct xvif_tap *t, const char *name, int ifindex, char *err, size_t errlen)
{
	struct fake_xs_tap_if *f = lookup(name, false);
	unsigned int i;

	for (i = 0; i < XVIF_MAX_QUEUES; i++)
		t->fd[i] = -1;
	t->nfds = 0;
	t->ifindex = 0;
	if (!f || !f->exists || f->ifindex != ifindex) {
		snprintf(err, errlen, "TAP %s: no such interface", name);
		errno = ENODEV;
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->fd[0] = eventfd(0, EFD_CLOEXEC);
	t->nfds = 1;
	t->ifindex = ifindex;
	f->queues = 1;
	f->attaches++;
	return 0;
}

int xvif_tap_set_persist(struct xvif_tap *t, bool on)
{
	struct fake_xs_tap_if *f = lookup(t->name, false);

	if (!f || t->nfds == 0)
		return -1;
	f->persist = on;
	return 0;
}

int xvif_tap_create(struct xvif_tap *t, const char *name, unsigned int mtu, char *err, size_t errlen)
{
	struct fake_xs_tap_if *f = lookup(name, true);
	unsigned int i;

	for (i = 0; i < XVIF_MAX_QUEUES; i++)
		t->fd[i] = -1;
	t->nfds = 0;
	if (!f || f->exists) {
		snprintf(err, errlen, "interface %s already exists: remove it or set another vifname", name);
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->fd[0] = eventfd(0, EFD_CLOEXEC);
	if (t->fd[0] < 0) {
		snprintf(err, errlen, "eventfd failed");
		return -1;
	}
	t->nfds = 1;
	t->ifindex = next_ifindex++;
	f->ifindex = t->ifindex;
	f->persist = false;
	f->exists = true;
	f->mtu = mtu;
	f->carrier = false;
	f->offload = 0;
	f->queues = 1;
	return 0;
}

int xvif_tap_set_queues(struct xvif_tap *t, unsigned int n, char *err, size_t errlen)
{
	struct fake_xs_tap_if *f = lookup(t->name, false);

	if (!f || t->nfds == 0 || n < 1 || n > XVIF_MAX_QUEUES) {
		snprintf(err, errlen, "TAP %s: cannot have %u queues", t->name, n);
		return -1;
	}
	while (t->nfds > n)
		close(t->fd[--t->nfds]);
	while (t->nfds < n)
		t->fd[t->nfds++] = eventfd(0, EFD_CLOEXEC);
	f->queues = n;
	return 0;
}

int xvif_tap_set_offload(struct xvif_tap *t, unsigned int offload)
{
	struct fake_xs_tap_if *f = lookup(t->name, false);

	if (!f || t->nfds == 0)
		return -1;
	f->offload = offload;
	return 0;
}

int xvif_tap_set_carrier(struct xvif_tap *t, bool on)
{
	struct fake_xs_tap_if *f = lookup(t->name, false);

	if (!f || t->nfds == 0)
		return -1;
	f->carrier = on;
	return 0;
}

void xvif_tap_destroy(struct xvif_tap *t)
{
	struct fake_xs_tap_if *f = t->nfds ? lookup(t->name, false) : NULL;

	while (t->nfds > 0) {
		t->nfds--;
		close(t->fd[t->nfds]);
		t->fd[t->nfds] = -1;
	}
	if (f) {
		f->exists = f->persist;
		f->carrier = false;
		f->queues = 0;
	}
}
