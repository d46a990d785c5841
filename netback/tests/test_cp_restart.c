// SPDX-License-Identifier: GPL-2.0-only
/*
 * Daemon restart (issue 9): a new daemon over the xenstore, TAPs and
 * records an earlier one left. The earlier daemon's end is played by
 * cp_daemon_handover() + cp_daemon_fini(): it writes nothing to xenstore
 * and only detaches from the persistent TAPs, which is also all a SIGKILL
 * leaves behind (the kernel closes the fds; the records stay).
 *
 * Checked: Connected vifs are adopted (no state write, data path started
 * with cfg.adopt, the same interface re-attached, carrier on); a restart
 * mid-handshake continues it; orphan TAPs (backend directory gone) are
 * removed; a record naming an interface that is no longer ours is never
 * adopted; --teardown-on-exit removes interfaces and records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cp_daemon.h"
#include "cp_fixture.h"
#include "cp_vif.h"
#include "fake_xs.h"
#include "status.h"
#include "xenbus_states.h"

/* Connected with one event channel for both directions: adoption binds
 * the same port for both (the split case is test_cp_vif.c's default). */
static int setup(void **state)
{
	int rc = cp_env_setup(state);

	((struct cp_env *)*state)->one_evtchn = true;
	return rc;
}

static unsigned int state_writes(struct cp_env *e)
{
	const char *vals[64];

	return fake_xs_history(e->xs, BE "/state", vals, 64);
}

static bool record_exists(struct cp_env *e, const char *name)
{
	char p[128];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", e->dir, name);
	return stat(p, &st) == 0;
}

/* The guest's netfront connects (one queue). */
static void frontend_connect(struct cp_env *e)
{
	frontend_keys(e, 1);
	fe_set(e, "state", "4");
}

/* ---- tests ---- */

static void tap_persistent_and_recorded(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;

	bring_up(e, 1);
	t = fake_xs_tap_find("xvif3.0");
	assert_true(t->exists);
	assert_true(t->persist);
	assert_true(record_exists(e, "3.0"));
	/* A clean detach clears persist and removes interface and record. */
	toolstack_remove(e);
	pump(e);
	assert_false(t->exists);
	assert_false(t->persist);
	assert_false(record_exists(e, "3.0"));
}

static void restart_adopts_connected(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;
	int ifindex;
	unsigned int writes;

	bring_up(e, 1);
	t = fake_xs_tap_find("xvif3.0");
	ifindex = t->ifindex;
	assert_false(fake_xs_dp.last_cfg.adopt);
	daemon_handover(e);
	/* Gone with the daemon: the data path; left: the interface, detached. */
	assert_int_equal(fake_xs_dp.live, 0);
	assert_true(t->exists);
	assert_false(t->carrier);
	assert_int_equal(t->queues, 0);
	assert_string_equal(be_get(e, "state"), "4");
	writes = state_writes(e);

	daemon_start(e);
	pump(e);
	/* The guest saw nothing: no state written, same interface, adopted. */
	assert_int_equal(state_writes(e), writes);
	assert_string_equal(be_get(e, "state"), "4");
	assert_int_equal(fake_xs_dp.starts, 2);
	assert_int_equal(fake_xs_dp.live, 1);
	assert_true(fake_xs_dp.last_cfg.adopt);
	assert_int_equal(fake_xs_dp.last_cfg.fe.queue[0].tx_ring_ref, 8);
	assert_int_equal(fake_xs_dp.last_cfg.fe.queue[0].evtchn_tx, 20);
	assert_int_equal(fake_xs_dp.last_cfg.fe.queue[0].evtchn_rx, 20); /* one channel */
	assert_int_equal(t->attaches, 1);
	assert_int_equal(t->ifindex, ifindex);
	assert_true(t->carrier);
	assert_int_equal(e->d.adopted, 1);
	assert_null(be_get(e, "error"));
	{
		struct json_object *doc = xvif_status_json(&e->d), *o;

		assert_true(json_object_object_get_ex(doc, "vifs_adopted", &o));
		assert_int_equal(json_object_get_int64(o), 1);
		json_object_put(doc);
	}

	/* And it lives on as any vif: the guest disconnects, all is removed. */
	fe_set(e, "state", "5");
	pump(e);
	assert_int_equal(fake_xs_dp.live, 0);
	fe_set(e, "state", "6");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	toolstack_remove(e);
	pump(e);
	assert_false(t->exists);
	assert_false(record_exists(e, "3.0"));
}

static void restart_twice(void **state)
{
	struct cp_env *e = *state;

	bring_up(e, 1);
	daemon_handover(e);
	daemon_start(e);
	pump(e);
	daemon_handover(e);
	daemon_start(e);
	pump(e);
	assert_int_equal(fake_xs_dp.live, 1);
	assert_true(fake_xs_dp.last_cfg.adopt);
	assert_int_equal(fake_xs_tap_find("xvif3.0")->attaches, 2);
	assert_string_equal(be_get(e, "state"), "4");
}

/* The interface was removed by hand while no daemon ran: a new one is
 * made, and the rings are still adopted. */
static void restart_tap_gone(void **state)
{
	struct cp_env *e = *state;
	struct xvif_tap t = { .nfds = 0 };
	char err[128];
	const struct fake_xs_tap_if *f;

	bring_up(e, 1);
	daemon_handover(e);
	f = fake_xs_tap_find("xvif3.0");
	assert_int_equal(xvif_tap_attach(&t, "xvif3.0", f->ifindex, err, sizeof(err)), 0);
	assert_int_equal(xvif_tap_set_persist(&t, false), 0);
	xvif_tap_destroy(&t);
	assert_false(f->exists);

	daemon_start(e);
	pump(e);
	assert_true(f->exists);
	assert_true(f->persist);
	assert_true(fake_xs_dp.last_cfg.adopt);
	assert_string_equal(be_get(e, "state"), "4");
	assert_true(record_exists(e, "3.0"));
}

/* A record whose interface name now belongs to another interface (other
 * ifindex): never adopted; the vif fails as for any name clash. */
static void record_not_ours(void **state)
{
	struct cp_env *e = *state;
	struct xvif_tap other;
	char err[128];

	bring_up(e, 1);
	daemon_handover(e);
	/* Someone removes ours and makes their own of that name. */
	{
		struct xvif_tap t;
		const struct fake_xs_tap_if *f = fake_xs_tap_find("xvif3.0");

		assert_int_equal(xvif_tap_attach(&t, "xvif3.0", f->ifindex, err, sizeof(err)), 0);
		xvif_tap_set_persist(&t, false);
		xvif_tap_destroy(&t);
	}
	assert_int_equal(xvif_tap_create(&other, "xvif3.0", 1500, err, sizeof(err)), 0);
	daemon_start(e);
	pump(e);
	assert_int_equal(fake_xs_tap_find("xvif3.0")->attaches, 1); /* ours, above; not theirs */
	assert_int_equal(fake_xs_dp.live, 0);
	assert_non_null(be_get(e, "error"));
	assert_non_null(strstr(be_get(e, "error"), "already exists"));
	assert_true(fake_xs_tap_find("xvif3.0")->exists); /* theirs is left alone */
	xvif_tap_destroy(&other);
}

/* Killed while the guest was being destroyed: the backend directory is
 * gone when the new daemon starts. The interface must not leak. */
static void orphan_tap_removed(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;

	bring_up(e, 1);
	t = fake_xs_tap_find("xvif3.0");
	daemon_handover(e);
	toolstack_remove(e);
	assert_true(t->exists);

	daemon_start(e);
	pump(e);
	assert_false(t->exists);
	assert_false(t->persist);
	assert_false(record_exists(e, "3.0"));
	assert_int_equal(e->d.orphans_removed, 1);
	assert_int_equal(e->d.nvifs, 0);
	assert_int_equal(fake_xs_dp.live, 0);
}

/* Killed during `xl network-attach`, after InitWait and before the hotplug
 * script and the frontend were done: the next daemon carries on. */
static void restart_mid_handshake(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;
	const char *vals[16];
	unsigned int n, i;

	toolstack_add(e);
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	t = fake_xs_tap_find("xvif3.0");
	daemon_handover(e);
	/* Meanwhile: the script bridged the (persistent) TAP, the guest
	 * connected. */
	assert_true(t->exists);
	be_set(e, "hotplug-status", "connected");
	frontend_connect(e);

	daemon_start(e);
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
	assert_int_equal(fake_xs_dp.live, 1);
	assert_false(fake_xs_dp.last_cfg.adopt); /* a fresh connect */
	assert_int_equal(t->attaches, 1);
	assert_true(t->carrier);
	/* Straight on: never closed on the way. */
	n = fake_xs_history(e->xs, BE "/state", vals, 16);
	for (i = 0; i < n && i < 16; i++)
		assert_string_not_equal(vals[i], "6");
}

/* Killed before the backend even reached InitWait: libxl is still waiting
 * for it; the next daemon does the setup as for a new device. */
static void restart_before_initwait(void **state)
{
	struct cp_env *e = *state;

	daemon_handover(e);
	toolstack_add(e);
	daemon_start(e);
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	be_set(e, "hotplug-status", "connected");
	frontend_connect(e);
	pump(e);
	assert_string_equal(be_get(e, "state"), "4");
}

/* Backend Connected but the frontend closing: no adoption; closed as a
 * fresh daemon would, the interface kept for a reconnect, then removed
 * with the directory. */
static void restart_frontend_closing(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;

	bring_up(e, 1);
	t = fake_xs_tap_find("xvif3.0");
	daemon_handover(e);
	fe_set(e, "state", "5");
	daemon_start(e);
	pump(e);
	assert_int_equal(fake_xs_dp.live, 0);
	assert_int_equal(fake_xs_dp.starts, 1);
	assert_string_equal(be_get(e, "state"), "5");
	fe_set(e, "state", "6");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_true(t->exists);
	toolstack_remove(e);
	pump(e);
	assert_false(t->exists);
	assert_false(record_exists(e, "3.0"));
}

/* Restarted, and the frontend is gone from the (existing) directory while
 * the backend stays: the recorded TAP is removed with the directory even
 * though this daemon never attached it. */
static void restart_backend_closed_dir_removed(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;

	bring_up(e, 1);
	t = fake_xs_tap_find("xvif3.0");
	fe_set(e, "state", "6");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	daemon_handover(e);
	daemon_start(e);
	pump(e);
	toolstack_remove(e);
	pump(e);
	assert_false(t->exists);
	assert_false(record_exists(e, "3.0"));
}

/* --teardown-on-exit: every vif Closed, interfaces and records removed. */
static void teardown_on_exit(void **state)
{
	struct cp_env *e = *state;
	const struct fake_xs_tap_if *t;

	bring_up(e, 1);
	t = fake_xs_tap_find("xvif3.0");
	cp_daemon_shutdown(&e->d);
	assert_string_equal(be_get(e, "state"), "6");
	assert_false(t->exists);
	assert_false(record_exists(e, "3.0"));
	assert_int_equal(fake_xs_dp.live, 0);
}

/* A malformed record is not trusted (and removed); a .tmp left by a kill
 * in mid-write is removed. */
static void bad_records(void **state)
{
	struct cp_env *e = *state;
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/3.0", e->dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("ifname=../../etc ifindex=-4\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/4.0.tmp", e->dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	bring_up(e, 1);
	assert_int_equal(fake_xs_tap_find("xvif3.0")->attaches, 0);
	assert_true(record_exists(e, "3.0"));        /* rewritten for the new TAP */
	assert_false(record_exists(e, "4.0.tmp"));
}

/* A worker an earlier daemon left running (it should have died with it):
 * killed, and waited for, before anything is adopted. The marker is this
 * test's own, so that workers of anything else on the machine are safe. */
#define TEST_MARKER "--vif-worker-cp-restart-test"

static void stale_worker_killed(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/proc/self/exe", "xvif-netback", TEST_MARKER, "xvif3.0", (char *)NULL);
		_exit(127);
	}
	/* Until the exec is visible in /proc (up to 60 s: was 5 s, which a
	 * loaded machine can exceed, and the kill below then found nothing). */
	for (st = 0; st < 6000; st++) {
		char p[64], buf[128] = "";
		FILE *f;

		snprintf(p, sizeof(p), "/proc/%d/cmdline", (int)pid);
		f = fopen(p, "r");
		if (f) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);

			fclose(f);
			if (n > 13 && memmem(buf, n, TEST_MARKER, strlen(TEST_MARKER)))
				break;
		}
		usleep(10000);
	}
	assert_int_equal(cp_kill_stale_workers(TEST_MARKER), 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_int_equal(cp_kill_stale_workers(TEST_MARKER), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tap_persistent_and_recorded, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(restart_adopts_connected, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(restart_twice, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(restart_tap_gone, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(record_not_ours, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(orphan_tap_removed, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(restart_mid_handshake, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(restart_before_initwait, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(restart_frontend_closing, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(restart_backend_closed_dir_removed, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(teardown_on_exit, setup, cp_env_teardown),
		cmocka_unit_test_setup_teardown(bad_records, setup, cp_env_teardown),
		cmocka_unit_test(stale_worker_killed),
	};

	if (argc > 1 && strcmp(argv[1], TEST_MARKER) == 0) {
		pause(); /* the stale worker of stale_worker_killed */
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
