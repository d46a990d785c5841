// SPDX-License-Identifier: GPL-2.0-only
/*
 * tap.c against the real kernel: needs root and /dev/net/tun, else every
 * test says SKIP with that reason. Checks what the kernel reports in
 * /sys/class/net: MAC, MTU, queue count, carrier, exclusivity, removal.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tap.h"

static char name[16];

static int can_run(void)
{
	return geteuid() == 0 && access("/dev/net/tun", R_OK | W_OK) == 0;
}

static int sysfs_read(const char *attr, char *buf, size_t len)
{
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", name, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return (int)n;
}

static int count_queues(void)
{
	char cmd[160], out[16] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls /sys/class/net/%s/queues | grep -c '^tx-'", name);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	pclose(p);
	return atoi(out);
}

static void tap_lifecycle(void **state)
{
	struct xvif_tap t, dup;
	char err[160], buf[64], cmd[96];

	(void)state;
	if (!can_run()) {
		skip();
		return;
	}
	assert_int_equal(xvif_tap_create(&t, name, 9000, err, sizeof(err)), 0);
	assert_int_equal(t.nfds, 1);
	assert_true(sysfs_read("address", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "fe:ff:ff:ff:ff:ff");
	assert_true(sysfs_read("mtu", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "9000");

	/* Someone else's interface of that name is never adopted. */
	assert_int_equal(xvif_tap_create(&dup, name, 1500, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "already exists"));

	assert_int_equal(xvif_tap_set_queues(&t, 3, err, sizeof(err)), 0);
	assert_int_equal(count_queues(), 3);
	assert_int_equal(xvif_tap_set_offload(&t, XVIF_TAP_OFF_CSUM | XVIF_TAP_OFF_TSO4), 0);

	/* Carrier is only readable while the interface is up (as the hotplug
	 * script leaves it). */
	snprintf(cmd, sizeof(cmd), "ip link set dev %s up", name);
	assert_int_equal(system(cmd), 0);
	assert_true(sysfs_read("carrier", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "0");
	assert_int_equal(xvif_tap_set_carrier(&t, true), 0);
	assert_true(sysfs_read("carrier", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "1");
	assert_int_equal(xvif_tap_set_carrier(&t, false), 0);
	assert_true(sysfs_read("carrier", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "0");

	assert_int_equal(xvif_tap_set_queues(&t, 1, err, sizeof(err)), 0);
	assert_int_equal(count_queues(), 1);
	xvif_tap_destroy(&t);
	assert_int_equal(t.nfds, 0);
	assert_int_equal(sysfs_read("mtu", buf, sizeof(buf)), -1); /* gone */
	xvif_tap_destroy(&t); /* idempotent */
}

static void tap_bad_queue_count(void **state)
{
	struct xvif_tap t;
	char err[160];

	(void)state;
	if (!can_run()) {
		skip();
		return;
	}
	assert_int_equal(xvif_tap_create(&t, name, 1500, err, sizeof(err)), 0);
	assert_int_equal(xvif_tap_set_queues(&t, 0, err, sizeof(err)), -1);
	assert_int_equal(xvif_tap_set_queues(&t, XVIF_MAX_QUEUES + 1, err, sizeof(err)), -1);
	assert_int_equal(t.nfds, 1);
	xvif_tap_destroy(&t);
}

/* Persistent: closing every fd only detaches (the daemon's restart); the
 * interface, its MTU, address and carrier-off state stay; attach checks the
 * ifindex (never someone else's interface, never a missing one created);
 * clearing persist and closing removes it. */
static void tap_persist_attach(void **state)
{
	struct xvif_tap t, again;
	char err[160], buf[64], cmd[128];
	int ifindex;

	(void)state;
	if (!can_run()) {
		skip();
		return;
	}
	assert_int_equal(xvif_tap_create(&t, name, 1400, err, sizeof(err)), 0);
	ifindex = t.ifindex;
	assert_true(ifindex > 0);
	snprintf(cmd, sizeof(cmd), "ip addr add 192.0.2.77/32 dev %s && ip link set dev %s up", name, name);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(xvif_tap_set_persist(&t, true), 0);
	assert_int_equal(xvif_tap_set_queues(&t, 2, err, sizeof(err)), 0);
	xvif_tap_destroy(&t);
	/* Still there, detached, its address kept. */
	assert_true(sysfs_read("mtu", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "1400");
	snprintf(cmd, sizeof(cmd), "ip -4 addr show dev %s | grep -q 192.0.2.77", name);
	assert_int_equal(system(cmd), 0);

	/* A wrong ifindex is refused, and nothing is created by trying. */
	assert_int_equal(xvif_tap_attach(&again, name, ifindex + 1000, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ifindex"));
	assert_int_equal(xvif_tap_attach(&again, "xvifnone0", 5, err, sizeof(err)), -1);
	assert_int_equal(errno, ENODEV);
	assert_int_equal(access("/sys/class/net/xvifnone0", F_OK), -1);

	assert_int_equal(xvif_tap_attach(&again, name, ifindex, err, sizeof(err)), 0);
	assert_int_equal(again.nfds, 1);
	assert_int_equal(again.ifindex, ifindex);
	assert_int_equal(xvif_tap_set_queues(&again, 3, err, sizeof(err)), 0);
	assert_int_equal(count_queues(), 3);
	assert_int_equal(xvif_tap_set_carrier(&again, true), 0);
	assert_true(sysfs_read("carrier", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "1");
	assert_int_equal(xvif_tap_set_persist(&again, false), 0);
	xvif_tap_destroy(&again);
	assert_int_equal(sysfs_read("mtu", buf, sizeof(buf)), -1); /* gone */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tap_lifecycle),
		cmocka_unit_test(tap_bad_queue_count),
		cmocka_unit_test(tap_persist_attach),
	};

	snprintf(name, sizeof(name), "xvifcp%u", (unsigned int)getpid() % 100000u);
	if (!can_run())
		fprintf(stderr, "test_cp_tap: SKIP: needs root and /dev/net/tun\n");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
