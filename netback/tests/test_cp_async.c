// SPDX-License-Identifier: GPL-2.0-only
/*
 * Worker starts do not block the control loop (issue 9 follow-up). The
 * daemon runs in process isolation over the fixture's fakes; its workers
 * are this binary's fake worker (cp_fixture.h), which answers its config
 * only when the test says so. Nothing here depends on timing: the test
 * decides when a worker answers, and waits for the daemon's wake-up on its
 * eventfd (the poll timeout is a safety net against a hang only).
 *
 * Checked: while vif A's worker has not answered, vif B is fully served
 * (Connected) and A is shown as starting, A stays in InitWait; then A
 * answers and is Connected. A worker that fails its start or never answers
 * (a test-shortened timeout) closes its vif with the reason. Removing the
 * backend directory, the domain's death, the frontend closing, daemon
 * shutdown and handover while a worker starts leave no child, no fd and no
 * uid behind. Adoption after a restart: the vif stays Connected, is served
 * once its worker answered, and is closed if the worker fails.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cp_daemon.h"
#include "cp_fixture.h"
#include "cp_vif.h"
#include "fake_xs.h"
#include "iso.h"
#include "status.h"

#define BE_B "/local/domain/0/backend/vif/4/0"
#define FE_B "/local/domain/4/device/vif/0"
/* Safety nets against a hang, never a verdict on speed: how long the test
 * waits for the loop's wake-up, and the workers' start timeout (the
 * daemon's 10 s could expire for a worker the test holds back while a
 * loaded machine starts another one). */
#define WAKE_TIMEOUT_MS 120000
#define TEST_START_TIMEOUT_MS 600000

struct async_env {
	struct cp_env *e;
	int go_a, go_b;             /* FIFOs of xvif3.0 and xvif4.0's workers */
	unsigned int fds_initwait;  /* open fds with A in InitWait (its TAP made), no worker */
};

static unsigned int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	unsigned int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Fds only a worker's proxy holds: its pidfd, command socket and (until
 * sent) the status page's memfd. The fakes use none of these kinds. */
static unsigned int worker_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	unsigned int n = 0;
	char path[300], link[128];

	assert_non_null(d);
	while ((de = readdir(d))) {
		ssize_t l;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		l = readlink(path, link, sizeof(link) - 1);
		if (l <= 0)
			continue;
		link[l] = '\0';
		if (strstr(link, "pidfd") || strncmp(link, "socket:", 7) == 0 || strncmp(link, "/memfd:", 7) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static void no_children_left(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static int setup(void **state)
{
	struct async_env *a = calloc(1, sizeof(*a));
	char err[256];

	assert_non_null(a);
	cp_env_setup((void **)&a->e);
	setenv("XVIF_CP_GO_DIR", a->e->dir, 1);
	a->go_a = cp_go_open(a->e->dir, "xvif3.0");
	a->go_b = cp_go_open(a->e->dir, "xvif4.0");
	/* One uid for two vifs' workers would refuse the second start:
	 * enough for both, few enough that a leaked one shows. */
	assert_int_equal(xvif_iso_set_uid_range(70000, 2, err, sizeof(err)), 0);
	xvif_iso_test_set_start_timeout_ms(TEST_START_TIMEOUT_MS);
	assert_int_equal(worker_fds(), 0);
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	struct async_env *a = *state;
	void *e = a->e;

	if (a->e->running) {
		cp_daemon_shutdown(&a->e->d);
		cp_daemon_fini(&a->e->d);
		a->e->running = false;
	}
	no_children_left();
	close(a->go_a);
	close(a->go_b);
	xvif_iso_test_set_start_timeout_ms(0);
	free(a);
	return cp_env_teardown(&e);
}

/* Vif 0 of domain 4, as toolstack_add does for domain 3. */
static void toolstack_add_b(struct cp_env *e)
{
	fake_xs_set(e->xs, BE_B "/frontend", FE_B);
	fake_xs_set(e->xs, BE_B "/frontend-id", "4");
	fake_xs_set(e->xs, BE_B "/online", "1");
	fake_xs_set(e->xs, BE_B "/state", "1");
	fake_xs_set(e->xs, BE_B "/mac", "00:16:3e:00:00:04");
	fake_xs_set(e->xs, BE_B "/hotplug-status", "connected");
	fake_xs_set(e->xs, FE_B "/state", "1");
	fake_xs_set(e->xs, FE_B "/tx-ring-ref", "8");
	fake_xs_set(e->xs, FE_B "/rx-ring-ref", "9");
	fake_xs_set(e->xs, FE_B "/event-channel", "20");
	fake_xs_set(e->xs, FE_B "/request-rx-copy", "1");
	fake_xs_set(e->xs, FE_B "/feature-rx-notify", "1");
}

static const char *state_b(struct cp_env *e)
{
	return fake_xs_get(e->xs, BE_B "/state");
}

/* The worker of vif A (domain 3) is spawned: InitWait, hotplug ran, the
 * frontend connects with one queue. */
static void start_a(struct async_env *a)
{
	struct cp_env *e = a->e;

	toolstack_add(e);
	pump(e);
	assert_string_equal(be_get(e, "state"), "2");
	a->fds_initwait = open_fds();
	be_set(e, "hotplug-status", "connected");
	frontend_keys(e, 1);
	fe_set(e, "state", "4");
	pump(e);
}

/* Wait for the loop's wake-up (a worker answered) and run the loop's
 * handler for it, as main.c does. */
static void wake(struct cp_env *e)
{
	struct pollfd p = { .fd = e->d.broken_efd, .events = POLLIN };

	assert_int_equal(poll(&p, 1, WAKE_TIMEOUT_MS), 1);
	cp_daemon_handle_broken(&e->d);
	pump(e);
}

static struct cp_vif *vif_a(struct cp_env *e)
{
	struct cp_vif *v = cp_daemon_find(&e->d, 3, 0);

	assert_non_null(v);
	return v;
}

/* What status says of vif @name: "starting" and "state". */
static void status_of(struct cp_env *e, const char *name, bool *starting, char *st, size_t stlen)
{
	struct json_object *doc = xvif_status_json(&e->d), *vifs, *o;
	size_t i;

	*starting = false;
	st[0] = '\0';
	assert_true(json_object_object_get_ex(doc, "vifs", &vifs));
	for (i = 0; i < json_object_array_length(vifs); i++) {
		struct json_object *v = json_object_array_get_idx(vifs, i);

		assert_true(json_object_object_get_ex(v, "name", &o));
		if (strcmp(json_object_get_string(o), name) != 0)
			continue;
		assert_true(json_object_object_get_ex(v, "starting", &o));
		*starting = json_object_get_boolean(o);
		assert_true(json_object_object_get_ex(v, "state", &o));
		snprintf(st, stlen, "%s", json_object_get_string(o));
	}
	json_object_put(doc);
}

/* ---- tests ---- */

static void loop_serves_others_while_a_worker_starts(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;
	char st[32];
	bool starting;
	pid_t pa;

	start_a(a);
	/* A's worker runs and has its config, but has not answered. */
	assert_true(vif_a(e)->starting);
	pa = xvif_iso_vif_pid(vif_a(e)->dp);
	assert_true(pa > 0);
	assert_int_equal(kill(pa, 0), 0);
	assert_string_equal(be_get(e, "state"), "2");
	status_of(e, "xvif3.0", &starting, st, sizeof(st));
	assert_true(starting);
	assert_string_equal(st, "InitWait");

	/* Meanwhile B arrives and is served all the way. */
	cp_go(a->go_b, 'S');
	toolstack_add_b(e);
	pump(e);
	assert_string_equal(state_b(e), "2");
	fake_xs_set(e->xs, FE_B "/state", "4");
	pump(e);
	wake(e); /* B's answer */
	assert_string_equal(state_b(e), "4");
	assert_false(cp_daemon_find(&e->d, 4, 0)->starting);
	status_of(e, "xvif4.0", &starting, st, sizeof(st));
	assert_false(starting);
	assert_string_equal(st, "Connected");
	/* A still has not answered: still InitWait, still starting. */
	assert_string_equal(be_get(e, "state"), "2");
	assert_true(vif_a(e)->starting);

	/* A answers: Connected. */
	cp_go(a->go_a, 'S');
	wake(e);
	assert_string_equal(be_get(e, "state"), "4");
	assert_false(vif_a(e)->starting);
	assert_int_equal(vif_a(e)->connects, 1);
	assert_true(fake_xs_tap_find("xvif3.0")->carrier);
	status_of(e, "xvif3.0", &starting, st, sizeof(st));
	assert_false(starting);
	assert_string_equal(st, "Connected");
}

static void failed_start_closes(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;

	start_a(a);
	cp_go(a->go_a, 'F');
	wake(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_string_equal(be_get(e, "error"), "xvif3.0: data path: " CP_FAKE_WORKER_ERR);
	assert_null(vif_a(e)->dp);
	no_children_left();
	assert_int_equal(worker_fds(), 0);
	assert_int_equal(open_fds(), a->fds_initwait); /* the TAP stays, as for any close */
}

/* The worker misbehaves right after its STARTED: by the time the loop
 * looks, both the answer and the broken flag are in. The start is finished
 * first and the vif then closed, not left Connected on a killed worker
 * (the flag was once consumed while the vif still counted as starting). */
static void broken_right_after_start_closes(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;
	struct cp_vif *v;
	unsigned int i;

	start_a(a);
	v = vif_a(e);
	cp_go(a->go_a, 'M');
	/* Bounded wait for the monitor to flag it (not a timing check). */
	for (i = 0; i < WAKE_TIMEOUT_MS && !__atomic_load_n(&v->broken, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	assert_true(__atomic_load_n(&v->broken, __ATOMIC_ACQUIRE));
	assert_true(v->starting);
	wake(e);
	assert_false(v->starting);
	assert_string_equal(be_get(e, "state"), "5");
	assert_non_null(strstr(be_get(e, "error"), "worker sent a malformed report: killed"));
	assert_null(v->dp);
	no_children_left();
	assert_int_equal(worker_fds(), 0);
}

static void silent_worker_timed_out(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;
	const char *err;

	xvif_iso_test_set_start_timeout_ms(300);
	start_a(a);
	cp_go(a->go_a, 'N');
	wake(e); /* the timeout's */
	assert_string_equal(be_get(e, "state"), "6");
	err = be_get(e, "error");
	assert_non_null(err);
	if (strcmp(err, "xvif3.0: data path: worker did not answer within 300 ms: killed") != 0)
		fail_msg("error: %s", err);
	no_children_left();
	assert_int_equal(worker_fds(), 0);
	assert_int_equal(open_fds(), a->fds_initwait); /* the TAP stays, as for any close */
	/* Both uids are free again: two workers start and answer. */
	xvif_iso_test_set_start_timeout_ms(TEST_START_TIMEOUT_MS);
	fe_set(e, "state", "1"); /* the guest reconnects */
	pump(e);
	fe_set(e, "state", "4");
	pump(e);
	assert_true(vif_a(e)->starting);
	cp_go(a->go_a, 'S');
	cp_go(a->go_b, 'S');
	toolstack_add_b(e);
	fake_xs_set(e->xs, FE_B "/state", "4");
	pump(e);
	while (strcmp(be_get(e, "state"), "4") != 0 || strcmp(state_b(e), "4") != 0)
		wake(e);
}

/* What each teardown while starting must leave: no worker, no fd, the
 * uid free (two more workers start). */
static void nothing_left(struct async_env *a)
{
	char err[256];
	struct xvif_dp_vif *v1, *v2;
	struct xvif_dp_vif_cfg cfg;

	no_children_left();
	assert_int_equal(worker_fds(), 0);
	assert_true(open_fds() <= a->fds_initwait);
	/* Both uids of the range are free: two direct starts succeed. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.name = "xvif9.9";
	cfg.fe.num_queues = 1;
	cfg.tap_fd[0] = 0;
	unsetenv("XVIF_CP_GO_DIR"); /* answer at once */
	assert_int_equal(xvif_iso_vif_start(&cfg, &v1, err, sizeof(err)), 0);
	assert_int_equal(xvif_iso_vif_start(&cfg, &v2, err, sizeof(err)), 0);
	xvif_iso_vif_stop(v1);
	xvif_iso_vif_stop(v2);
	setenv("XVIF_CP_GO_DIR", a->e->dir, 1);
	no_children_left();
}

static void dir_removed_while_starting(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;

	start_a(a);
	assert_true(vif_a(e)->starting);
	toolstack_remove(e);
	pump(e);
	assert_null(cp_daemon_find(&e->d, 3, 0));
	assert_false(fake_xs_tap_find("xvif3.0")->exists);
	nothing_left(a);
}

static void domain_death_while_starting(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;

	start_a(a);
	assert_true(vif_a(e)->starting);
	fake_xs_dom_kill(3);
	fake_xs_fire(e->xs, "@releaseDomain");
	pump(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_null(vif_a(e)->dp);
	nothing_left(a);
}

static void frontend_closing_while_starting(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;

	start_a(a);
	assert_true(vif_a(e)->starting);
	fe_set(e, "state", "5");
	pump(e);
	assert_string_equal(be_get(e, "state"), "5");
	assert_null(vif_a(e)->dp);
	nothing_left(a);
}

static void shutdown_while_starting(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;

	start_a(a);
	assert_true(vif_a(e)->starting);
	cp_daemon_shutdown(&e->d);
	assert_string_equal(be_get(e, "state"), "6");
	cp_daemon_fini(&e->d);
	e->running = false;
	nothing_left(a);
}

static void handover_while_starting(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;

	start_a(a);
	assert_true(vif_a(e)->starting);
	daemon_handover(e);
	assert_string_equal(be_get(e, "state"), "2"); /* nothing written */
	nothing_left(a);
	/* The next daemon carries on with the handshake. */
	daemon_start(e);
	pump(e);
	assert_true(vif_a(e)->starting);
	cp_go(a->go_a, 'S');
	wake(e);
	assert_string_equal(be_get(e, "state"), "4");
}

/* Connected, handed over; the new daemon adopts: A stays Connected but is
 * not served until its worker answered. */
static void adopt_waits_for_worker(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;
	bool starting;
	char st[32];
	const char *vals[64];
	unsigned int writes;

	start_a(a);
	cp_go(a->go_a, 'S');
	wake(e);
	assert_string_equal(be_get(e, "state"), "4");
	daemon_handover(e);
	no_children_left();
	writes = fake_xs_history(e->xs, BE "/state", vals, 64);

	daemon_start(e);
	pump(e);
	assert_true(vif_a(e)->starting);
	assert_false(fake_xs_tap_find("xvif3.0")->carrier);
	status_of(e, "xvif3.0", &starting, st, sizeof(st));
	assert_true(starting);
	assert_string_equal(st, "Connected");
	assert_int_equal(e->d.adopted, 0);
	cp_go(a->go_a, 'S');
	wake(e);
	assert_false(vif_a(e)->starting);
	assert_true(fake_xs_tap_find("xvif3.0")->carrier);
	assert_int_equal(e->d.adopted, 1);
	/* The guest saw nothing. */
	assert_int_equal(fake_xs_history(e->xs, BE "/state", vals, 64), writes);
}

static void adopt_failure_closes(void **state)
{
	struct async_env *a = *state;
	struct cp_env *e = a->e;

	start_a(a);
	cp_go(a->go_a, 'S');
	wake(e);
	daemon_handover(e);
	daemon_start(e);
	pump(e);
	assert_true(vif_a(e)->starting);
	cp_go(a->go_a, 'F');
	wake(e);
	assert_string_equal(be_get(e, "state"), "6");
	assert_string_equal(be_get(e, "error"), "xvif3.0: data path: " CP_FAKE_WORKER_ERR);
	no_children_left();
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(loop_serves_others_while_a_worker_starts, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_start_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(broken_right_after_start_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(silent_worker_timed_out, setup, teardown),
		cmocka_unit_test_setup_teardown(dir_removed_while_starting, setup, teardown),
		cmocka_unit_test_setup_teardown(domain_death_while_starting, setup, teardown),
		cmocka_unit_test_setup_teardown(frontend_closing_while_starting, setup, teardown),
		cmocka_unit_test_setup_teardown(shutdown_while_starting, setup, teardown),
		cmocka_unit_test_setup_teardown(handover_while_starting, setup, teardown),
		cmocka_unit_test_setup_teardown(adopt_waits_for_worker, setup, teardown),
		cmocka_unit_test_setup_teardown(adopt_failure_closes, setup, teardown),
	};

	if (argc > 1 && strcmp(argv[1], "--vif-worker") == 0)
		return cp_fake_worker_main();
	xvif_iso_set_mode(XVIF_ISO_PROCESS);
	xvif_iso_set_namespaces(false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
