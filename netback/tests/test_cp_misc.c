// SPDX-License-Identifier: GPL-2.0-only
/* Control-plane helpers: kernel-netback detection, TAP naming, queue count,
 * log levels and the rate limiter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cp_daemon.h"
#include "cp_kmod.h"
#include "cp_vif.h"
#include "log.h"

static void mkdirs(const char *root, const char *rel)
{
	char path[512], *p;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	for (p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	assert_int_equal(mkdir(path, 0755), 0);
}

static void rmtree(const char *root)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

static void kernel_netback_absent(void **state)
{
	char root[] = "/tmp/xvif-kmod-XXXXXX", msg[1024] = "";

	(void)state;
	assert_non_null(mkdtemp(root));
	mkdirs(root, "/sys/module/tun");
	mkdirs(root, "/sys/bus/xen-backend/drivers/vbd");
	assert_int_equal(cp_kernel_netback_check(root, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
	rmtree(root);
}

static void kernel_netback_module_loaded(void **state)
{
	char root[] = "/tmp/xvif-kmod-XXXXXX", msg[1024] = "";

	(void)state;
	assert_non_null(mkdtemp(root));
	mkdirs(root, "/sys/module/xen_netback");
	assert_int_equal(cp_kernel_netback_check(root, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "/sys/module/xen_netback"));
	assert_non_null(strstr(msg, "rmmod xen-netback"));
	assert_non_null(strstr(msg, "echo 'blacklist xen-netback' > /etc/modprobe.d/xvif.conf"));
	assert_non_null(strstr(msg, "install xen-netback /bin/false"));
	rmtree(root);
}

static void kernel_netback_driver_registered(void **state)
{
	char root[] = "/tmp/xvif-kmod-XXXXXX", msg[1024] = "";

	(void)state;
	assert_non_null(mkdtemp(root));
	mkdirs(root, "/sys/bus/xen-backend/drivers/vif");
	assert_int_equal(cp_kernel_netback_check(root, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "/sys/bus/xen-backend/drivers/vif"));
	assert_non_null(strstr(msg, "rmmod xen-netback"));
	rmtree(root);
}

/* TAP naming: vifname when set and valid, else xvif<domid>.<devid>. */
static void ifname_rule(void **state)
{
	static const struct {
		const char *vifname;
		uint32_t domid, devid;
		int rc;
		const char *want;
	} rows[] = {
		{ "", 3, 0, 0, "xvif3.0" },
		{ "", 32751, 4294967295u, -1, NULL },   /* "xvif32751.4294967295" is 20 > 15 chars */
		{ "", 12, 345, 0, "xvif12.345" },
		{ "web0", 3, 0, 0, "web0" },
		{ "a23456789012345", 3, 0, 0, "a23456789012345" },
		{ "bad/name", 3, 0, -1, NULL },
		{ "bad:name", 3, 0, -1, NULL },
		{ "bad name", 3, 0, -1, NULL },
		{ "..", 3, 0, -1, NULL },
	};
	struct xvif_tool_config tool;
	char buf[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&tool, 0, sizeof(tool));
		snprintf(tool.vifname, sizeof(tool.vifname), "%s", rows[i].vifname);
		memset(buf, 0, sizeof(buf));
		assert_int_equal(cp_vif_ifname(&tool, rows[i].domid, rows[i].devid, buf), rows[i].rc);
		if (rows[i].want)
			assert_string_equal(buf, rows[i].want);
	}
	/* A 16-character vifname never reaches the rule: the schema refuses it. */
	assert_false(xvif_ifname_valid("a234567890123456"));
}

static void max_queues_rule(void **state)
{
	(void)state;
	assert_int_equal(cp_max_queues(2, 0), 2);
	assert_int_equal(cp_max_queues(64, 0), XVIF_MAX_QUEUES);
	assert_int_equal(cp_max_queues(8, 4), 4);
	assert_int_equal(cp_max_queues(2, 4), 2);
	assert_int_equal(cp_max_queues(-1, 0), 1); /* sysconf failed */
	assert_int_equal(cp_max_queues(0, 3), 1);
}

static void log_levels(void **state)
{
	(void)state;
	assert_int_equal(xvif_log_level_parse("err"), XVIF_LOG_ERR);
	assert_int_equal(xvif_log_level_parse("warn"), XVIF_LOG_WARN);
	assert_int_equal(xvif_log_level_parse("info"), XVIF_LOG_INFO);
	assert_int_equal(xvif_log_level_parse("debug"), XVIF_LOG_DEBUG);
	assert_int_equal(xvif_log_level_parse("verbose"), -1);
	assert_int_equal(xvif_log_level_parse(""), -1);
	assert_string_equal(xvif_log_level_name(XVIF_LOG_WARN), "warn");
}

static void ratelimit_burst(void **state)
{
	struct xvif_ratelimit rl = { .interval_ms = 3600u * 1000u, .burst = 3 };
	unsigned int i, ok = 0;

	(void)state;
	for (i = 0; i < 100; i++)
		ok += xvif_ratelimit_ok(&rl);
	assert_int_equal(ok, 3);
	assert_int_equal(rl.missed, 97);
}

/* Lines go to stderr with the journal's <N> prefix when asked. */
static void log_journal_prefix(void **state)
{
	char path[] = "/tmp/xvif-log-XXXXXX", buf[256];
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	(void)state;
	assert_true(fd >= 0);
	dup2(fd, 2);
	xvif_log_set_level(XVIF_LOG_INFO);
	xvif_log_set_journal(1);
	xvif_log(XVIF_LOG_WARN, "xvif%u.%u: hello", 3u, 0u);
	xvif_log(XVIF_LOG_DEBUG, "not shown");
	xvif_log_set_journal(0);
	xvif_log(XVIF_LOG_ERR, "plain");
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "<4>xvif3.0: hello\nerr: plain\n");
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_netback_absent),
		cmocka_unit_test(kernel_netback_module_loaded),
		cmocka_unit_test(kernel_netback_driver_registered),
		cmocka_unit_test(ifname_rule),
		cmocka_unit_test(max_queues_rule),
		cmocka_unit_test(log_levels),
		cmocka_unit_test(ratelimit_burst),
		cmocka_unit_test(log_journal_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
