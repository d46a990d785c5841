// SPDX-License-Identifier: GPL-2.0-only
/* The control-plane tests' common fixture: see cp_fixture.h. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cp_fixture.h"
#include "fake_xs.h"
#include "iso_msg.h"
#include "log.h"

static void dir_set(struct cp_env *e, const char *dir, const char *key, const char *val)
{
	char p[CP_XS_PATH_MAX];

	assert_true((size_t)snprintf(p, sizeof(p), "%s/%s", dir, key) < sizeof(p));
	fake_xs_set(e->xs, p, val);
}

void be_set(struct cp_env *e, const char *key, const char *val)
{
	dir_set(e, BE, key, val);
}

void fe_set(struct cp_env *e, const char *key, const char *val)
{
	dir_set(e, FE, key, val);
}

const char *be_get(struct cp_env *e, const char *key)
{
	char p[CP_XS_PATH_MAX];

	assert_true((size_t)snprintf(p, sizeof(p), BE "/%s", key) < sizeof(p));
	return fake_xs_get(e->xs, p);
}

void pump(struct cp_env *e)
{
	unsigned int passes = 0;
	int rc;

	do {
		rc = cp_daemon_handle_xs(&e->d);
		assert_true(rc >= 0);
		assert_true(++passes < 1000);
	} while (rc > 0 || fake_xs_pending(e->xs) > 0);
}

void toolstack_add(struct cp_env *e)
{
	be_set(e, "frontend", FE);
	be_set(e, "frontend-id", "3");
	be_set(e, "online", "1");
	be_set(e, "state", "1");
	be_set(e, "script", "/etc/xen/scripts/xvif-bridge");
	be_set(e, "mac", "00:16:3e:00:00:03");
	be_set(e, "bridge", "xenbr0");
	be_set(e, "handle", "0");
	be_set(e, "type", "vif");
	be_set(e, "hotplug-status", "");
	fe_set(e, "backend", BE);
	fe_set(e, "backend-id", "0");
	fe_set(e, "state", "1");
	fe_set(e, "handle", "0");
	fe_set(e, "mac", "00:16:3e:00:00:03");
}

void toolstack_remove(struct cp_env *e)
{
	fake_xs_del(e->xs, BE);
	fake_xs_del(e->xs, FE);
}

static void queue_key(struct cp_env *e, const char *pre, const char *key, unsigned int val)
{
	char k[64], v[16];

	snprintf(k, sizeof(k), "%s%s", pre, key);
	snprintf(v, sizeof(v), "%u", val);
	fe_set(e, k, v);
}

void frontend_keys(struct cp_env *e, unsigned int nq)
{
	unsigned int q;

	for (q = 0; q < nq; q++) {
		const char *pre = "";
		char dir[24];

		if (nq > 1) {
			snprintf(dir, sizeof(dir), "queue-%u/", q);
			pre = dir;
		}
		queue_key(e, pre, "tx-ring-ref", 8 + 2 * q);
		queue_key(e, pre, "rx-ring-ref", 9 + 2 * q);
		if (e->one_evtchn) {
			queue_key(e, pre, "event-channel", 20 + 2 * q);
		} else {
			queue_key(e, pre, "event-channel-tx", 20 + 2 * q);
			queue_key(e, pre, "event-channel-rx", 21 + 2 * q);
		}
	}
	if (nq > 1)
		queue_key(e, "", "multi-queue-num-queues", nq);
	fe_set(e, "request-rx-copy", "1");
	fe_set(e, "feature-rx-notify", "1");
	fe_set(e, "feature-sg", "1");
	fe_set(e, "feature-gso-tcpv4", "1");
	fe_set(e, "feature-gso-tcpv6", "1");
	fe_set(e, "feature-ipv6-csum-offload", "1");
}

void bring_up(struct cp_env *e, unsigned int nq)
{
	toolstack_add(e);
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	be_set(e, "hotplug-status", "connected");
	frontend_keys(e, nq);
	fe_set(e, "state", "4");
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
}

void daemon_start(struct cp_env *e)
{
	char err[128];

	assert_false(e->running);
	assert_int_equal(cp_daemon_init(&e->d, e->xs, e->dom, 0, 0, err, sizeof(err)), 0);
	e->d.caps.max_queues = TEST_MAXQ;
	snprintf(e->d.vif_dir, sizeof(e->d.vif_dir), "%s", e->dir);
	e->running = true;
}

void daemon_handover(struct cp_env *e)
{
	assert_true(e->running);
	cp_daemon_handover(&e->d);
	cp_daemon_fini(&e->d);
	e->running = false;
}

int cp_env_setup(void **state)
{
	struct cp_env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	fake_xs_dp_reset();
	fake_xs_tap_reset();
	fake_xs_dom_reset();
	xvif_log_set_level(XVIF_LOG_ERR);
	e->xs = fake_xs_new();
	e->dom = cp_dom_open();
	snprintf(e->dir, sizeof(e->dir), "/tmp/xvif-%.32s.XXXXXX", program_invocation_short_name);
	assert_non_null(mkdtemp(e->dir));
	daemon_start(e);
	*state = e;
	return 0;
}

int cp_env_teardown(void **state)
{
	struct cp_env *e = *state;
	char cmd[96];

	if (e->running)
		cp_daemon_fini(&e->d);
	fake_xs_free(e->xs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	assert_int_equal(fake_xs_dp.live, 0);
	return 0;
}

/* ---- the fake vif worker (process isolation) ---- */

static void fake_worker_send(int type, int rc, const char *err)
{
	struct xvif_iso_msg m;

	memset(&m, 0, sizeof(m));
	m.magic = XVIF_ISO_MAGIC;
	m.type = (uint32_t)type;
	m.rc = rc;
	if (err)
		snprintf(m.err, sizeof(m.err), "%s", err);
	if (send(XVIF_ISO_FD, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m))
		_exit(3);
}

int cp_fake_worker_main(void)
{
	static struct xvif_iso_cfg_msg cfg;
	union {
		char buf[CMSG_SPACE(sizeof(int) * (1 + XVIF_MAX_QUEUES))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = &cfg, .iov_len = sizeof(cfg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	const char *dir = getenv("XVIF_CP_GO_DIR");
	struct cmsghdr *c;
	char path[256], word = 'S';
	int fd;

	if (recvmsg(XVIF_ISO_FD, &mh, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(cfg) || cfg.h.type != XVIF_ISO_CFG)
		_exit(2);
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)), i, f;

		for (i = 0; i < n; i++) {
			memcpy(&f, CMSG_DATA(c) + (size_t)i * sizeof(int), sizeof(int));
			close(f);
		}
	}
	if (dir) {
		snprintf(path, sizeof(path), "%s/go-%s", dir, cfg.name);
		fd = open(path, O_RDONLY | O_CLOEXEC); /* the test holds it open: no wait */
		if (fd < 0 || read(fd, &word, 1) != 1)
			_exit(4);
		close(fd);
	}
	switch (word) {
	case 'S':
		fake_worker_send(XVIF_ISO_STARTED, 0, NULL);
		break;
	case 'F':
		fake_worker_send(XVIF_ISO_FAILED, -EINVAL, CP_FAKE_WORKER_ERR);
		_exit(1);
	case 'M':
		fake_worker_send(XVIF_ISO_STARTED, 0, NULL);
		fake_worker_send(XVIF_ISO_STARTED, 0, NULL); /* not a report: misbehaving */
		break;
	default:
		for (;;)
			pause(); /* never answers: the daemon's timeout kills it */
	}
	for (;;) {
		struct xvif_iso_msg m;
		ssize_t n = recv(XVIF_ISO_FD, &m, sizeof(m), 0);

		if (n <= 0 || (n == (ssize_t)sizeof(m) && m.type == XVIF_ISO_STOP))
			_exit(0);
	}
}

int cp_go_open(const char *dir, const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/go-%s", dir, name);
	assert_int_equal(mkfifo(path, 0600), 0);
	fd = open(path, O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

void cp_go(int fd, char word)
{
	assert_int_equal(write(fd, &word, 1), 1);
}
