// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvif-netback: the command line, and the daemon's one event loop.
 *
 * The loop polls four fds: xenstore (watch events), the status socket, the
 * eventfd the data path's workers write when a queue breaks, and a
 * signalfd for SIGTERM/SIGINT. The data path's workers are its own threads;
 * nothing else runs anywhere else.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "cp_daemon.h"
#include "cp_kmod.h"
#include "cp_vif.h"
#include "cp_xs.h"
#include "iso.h"
#include "log.h"
#include "status.h"
#include "xenbus_states.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: xvif-netback [run] [--log-level LEVEL] [--socket PATH] [--max-queues N]\n"
		"                          [--state-dir DIR] [--teardown-on-exit]\n"
		"       xvif-netback status [--json] [--socket PATH]\n"
		"       xvif-netback --help | --version\n"
		"\n"
		"A user-space Xen network backend for dom0: serves every backend/vif device\n"
		"the toolstack (xl/libxl) creates, with one TAP interface per vif, named\n"
		"xvif<domid>.<devid> or the vif's `vifname`. The kernel's xen-netback must\n"
		"not be loaded.\n"
		"\n"
		"Commands:\n"
		"  run               (default) run the daemon in the foreground; logs go to\n"
		"                    stderr (with journal priorities under systemd), and it\n"
		"                    tells systemd when it is ready (Type=notify).\n"
		"  status            ask the running daemon for every vif: domid/devid,\n"
		"                    interface, state, queues, negotiated features and\n"
		"                    per-queue counters (packets, bytes, drops by reason).\n"
		"\n"
		"Options:\n"
		"  --log-level LEVEL one of err, warn, info (default), debug\n"
		"  --socket PATH     the status socket (default " XVIF_STATUS_SOCKET ")\n"
		"  --max-queues N    offer at most N queues per vif, 1..%u (default: the\n"
		"                    number of online CPUs, at most %u)\n"
		"  --isolation MODE  process (default): each vif's data path runs in its own\n"
		"                    unprivileged, seccomp-confined worker process (see\n"
		"                    README \"Security model\"); none: threads in the daemon\n"
		"  --worker-uid-base N, --worker-uid-count C  each worker runs as its own\n"
		"                    uid/gid from N..N+C-1, ids no user, group or /etc/subuid\n"
		"                    range may use (default %u, %u)\n"
		"  --worker-namespaces on|off  workers leave the daemon's mount, network, IPC,\n"
		"                    UTS and cgroup namespaces (default on)\n"
		"  --state-dir DIR   where the daemon records the persistent TAPs it owns\n"
		"                    (DIR/vifs; default /run/xvif-netback)\n"
		"  --teardown-on-exit  on SIGTERM/SIGINT close every vif (state Closed,\n"
		"                    interfaces removed) instead of handing them over\n"
		"  --json            status: print the JSON document instead of text\n"
		"  -h, --help        this text\n"
		"  -V, --version     the version\n"
		"\n"
		"Restart and upgrade: TAP interfaces are persistent. On SIGTERM/SIGINT the\n"
		"daemon stops its data path and exits leaving every vif as it is (the\n"
		"guests see a pause); the next daemon, the same binary or a new one,\n"
		"re-attaches every Connected vif from its xenstore keys without the\n"
		"guest reconnecting, also after SIGKILL or a crash. Interfaces whose\n"
		"device went away meanwhile are removed. To really close every vif on\n"
		"exit, run with --teardown-on-exit (or xl network-detach the vifs).\n"
		"\n"
		"Exit status: 0 on success (run: after SIGTERM/SIGINT), 1 on a runtime\n"
		"failure, 2 on a usage error, 3 if the kernel's xen-netback is loaded\n"
		"(the message says how to unload and blacklist it).\n",
		XVIF_MAX_QUEUES, XVIF_MAX_QUEUES, XVIF_ISO_UID_BASE_DEFAULT, XVIF_ISO_UID_COUNT_DEFAULT);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "xvif-netback: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'xvif-netback --help'.\n");
	return 2;
}

struct opts {
	int log_level;
	const char *socket;
	unsigned int max_queues;
	bool json;
	enum xvif_iso_mode isolation;
	const char *state_dir;
	bool teardown_on_exit;
	uint32_t uid_base, uid_count;
	bool worker_ns;
	bool worker_opts;
};

/* ---- run ---- */

static void notify_status(struct cp_daemon *d)
{
	static unsigned int last_n = ~0u, last_c = ~0u;
	unsigned int n = 0, c = 0;
	struct cp_vif *v;

	for (v = d->vifs; v; v = v->next) {
		n++;
		c += v->state == XenbusStateConnected;
	}
	if (n == last_n && c == last_c)
		return;
	last_n = n;
	last_c = c;
	sd_notifyf(0, "STATUS=%u vif%s, %u connected", n, n == 1 ? "" : "s", c);
}

/* The systemd watchdog (WatchdogSec= in the unit): the main loop sends
 * WATCHDOG=1 every half period, so a daemon wedged in its loop (a stuck
 * xenstore call, a livelock) is killed and restarted by systemd, and the
 * restarted daemon adopts every vif. Off when systemd did not ask. */
struct watchdog {
	uint64_t half_ms; /* 0: off */
	uint64_t last_ms;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void watchdog_init(struct watchdog *w)
{
	uint64_t usec = 0;

	w->half_ms = 0;
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return;
	w->half_ms = usec / 2000u ? usec / 2000u : 1;
	w->last_ms = 0;
	xvif_log(XVIF_LOG_INFO, "systemd watchdog: %llu ms, pinged every %llu ms", (unsigned long long)(usec / 1000u),
		 (unsigned long long)w->half_ms);
}

/* poll()'s timeout: -1 (none) or what is left until the next ping is due. */
static int watchdog_timeout(const struct watchdog *w)
{
	uint64_t now, due;

	if (!w->half_ms)
		return -1;
	now = mono_ms();
	due = w->last_ms + w->half_ms;
	return due <= now ? 0 : (int)(due - now > 60000u ? 60000u : due - now);
}

static void watchdog_kick(struct watchdog *w)
{
	uint64_t now;

	if (!w->half_ms)
		return;
	now = mono_ms();
	if (now - w->last_ms < w->half_ms)
		return;
	w->last_ms = now;
	sd_notify(0, "WATCHDOG=1");
}

static int own_domid(struct cp_xs *xs)
{
	char val[16];
	uint64_t id;

	/* A relative path: libxenstore resolves it under our own home. Absent
	 * (no xen-init-dom0 yet) means dom0. */
	if (cp_xs_read(xs, "domid", val, sizeof(val)) < 0 || xvif_parse_uint(val, 0x7fef, &id))
		return 0;
	return (int)id;
}

static int run(const struct opts *o)
{
	char msg[1024];
	struct cp_daemon d;
	struct cp_xs *xs = NULL;
	struct cp_dom *dom = NULL;
	struct pollfd pfd[4];
	struct watchdog wd;
	sigset_t mask;
	int lfd = -1, sfd = -1, rc = 1, more = 0;

	xvif_log_set_level(o->log_level);
	xvif_iso_set_mode(o->isolation);
	if (cp_kernel_netback_check("", msg, sizeof(msg))) {
		xvif_log(XVIF_LOG_ERR, "cannot start: %s", msg);
		return 3;
	}
	cp_kill_stale_workers("--vif-worker");
	xs = cp_xs_open();
	if (!xs) {
		xvif_log(XVIF_LOG_ERR,
			 "cannot connect to xenstore: %s. Is this dom0 under Xen, with xenstored running "
			 "(systemctl status xenstored)?",
			 strerror(errno));
		return 1;
	}
	dom = cp_dom_open();
	if (!dom) {
		xvif_log(XVIF_LOG_ERR, "cannot open the hypervisor interface (libxenctrl): %s. Run as root in dom0.",
			 strerror(errno));
		goto out;
	}
	lfd = xvif_status_listen(o->socket, msg, sizeof(msg));
	if (lfd < 0) {
		xvif_log(XVIF_LOG_ERR, "%s", msg);
		goto out;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		xvif_log(XVIF_LOG_ERR, "signalfd: %s", strerror(errno));
		goto out;
	}
	if (cp_daemon_init(&d, xs, dom, (unsigned int)own_domid(xs), o->max_queues, msg, sizeof(msg)) < 0) {
		xvif_log(XVIF_LOG_ERR, "%s", msg);
		goto out;
	}
	if ((size_t)snprintf(d.vif_dir, sizeof(d.vif_dir), "%s/vifs", o->state_dir) >= sizeof(d.vif_dir)) {
		xvif_log(XVIF_LOG_ERR, "--state-dir %s: too long", o->state_dir);
		cp_daemon_fini(&d);
		goto out;
	}
	xvif_log(XVIF_LOG_INFO,
		 "xvif-netback %s serving %s (multi-queue-max-queues %u, status socket %s, TAP records %s, on exit: %s)",
		 XVIF_VERSION, d.be_root, d.caps.max_queues, o->socket, d.vif_dir,
		 o->teardown_on_exit ? "close every vif" : "hand vifs over to the next daemon");
	sd_notify(0, "READY=1\nSTATUS=serving backend/vif");
	watchdog_init(&wd);

	pfd[0] = (struct pollfd){ .fd = cp_xs_fileno(xs), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = d.broken_efd, .events = POLLIN };
	pfd[3] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	more = 1; /* the watches' first events may already be buffered */
	for (;;) {
		int n;

		watchdog_kick(&wd);
		n = poll(pfd, 4, more ? 0 : watchdog_timeout(&wd));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			xvif_log(XVIF_LOG_ERR, "poll: %s", strerror(errno));
			break;
		}
		if (pfd[3].revents) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) > 0)
				xvif_log(XVIF_LOG_INFO, "signal %u: %s", si.ssi_signo,
					 o->teardown_on_exit ? "closing every vif and exiting"
							     : "handing every vif over to the next daemon and exiting");
			rc = 0;
			break;
		}
		if (pfd[2].revents)
			cp_daemon_handle_broken(&d);
		if (more || pfd[0].revents) {
			more = cp_daemon_handle_xs(&d);
			if (more < 0) {
				xvif_log(XVIF_LOG_ERR, "lost the xenstore connection: %s", strerror(errno));
				break;
			}
		}
		if (pfd[1].revents)
			xvif_status_serve(&d, lfd);
		notify_status(&d);
	}
	sd_notify(0, "STOPPING=1");
	if (o->teardown_on_exit)
		cp_daemon_shutdown(&d);
	else
		cp_daemon_handover(&d);
	cp_daemon_fini(&d);
out:
	if (sfd >= 0)
		close(sfd);
	if (lfd >= 0) {
		close(lfd);
		unlink(o->socket);
	}
	cp_dom_close(dom);
	cp_xs_close(xs);
	return rc;
}

/* ---- command line ---- */

enum { OPT_LOG_LEVEL = 256, OPT_SOCKET, OPT_MAX_QUEUES, OPT_JSON, OPT_ISOLATION, OPT_STATE_DIR, OPT_TEARDOWN,
       OPT_UID_BASE, OPT_UID_COUNT, OPT_WORKER_NS };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "max-queues", required_argument, NULL, OPT_MAX_QUEUES },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "isolation", required_argument, NULL, OPT_ISOLATION },
		{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
		{ "teardown-on-exit", no_argument, NULL, OPT_TEARDOWN },
		{ "worker-uid-base", required_argument, NULL, OPT_UID_BASE },
		{ "worker-uid-count", required_argument, NULL, OPT_UID_COUNT },
		{ "worker-namespaces", required_argument, NULL, OPT_WORKER_NS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .log_level = XVIF_LOG_INFO, .socket = XVIF_STATUS_SOCKET, .state_dir = "/run/xvif-netback",
			  .uid_base = XVIF_ISO_UID_BASE_DEFAULT, .uid_count = XVIF_ISO_UID_COUNT_DEFAULT,
			  .worker_ns = true };
	const char *cmd = "run";
	char err[512];
	uint64_t v;
	int c;

	/* A vif's worker process (iso.h), exec'd by the daemon. */
	if (argc > 1 && strcmp(argv[1], "--vif-worker") == 0)
		return xvif_iso_worker_main();
	o.isolation = XVIF_ISO_PROCESS;
	if (argc > 1 && argv[1][0] != '-') {
		cmd = argv[1];
		if (strcmp(cmd, "run") && strcmp(cmd, "status") && strcmp(cmd, "help"))
			return usage_error("unknown command '%s': the commands are run and status", cmd);
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	if (strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LOG_LEVEL:
			o.log_level = xvif_log_level_parse(optarg);
			if (o.log_level < 0)
				return usage_error("--log-level '%s': use one of err, warn, info, debug", optarg);
			break;
		case OPT_SOCKET:
			if (!optarg[0] || optarg[0] != '/')
				return usage_error("--socket '%s': give an absolute path, e.g. " XVIF_STATUS_SOCKET,
						   optarg);
			o.socket = optarg;
			break;
		case OPT_MAX_QUEUES:
			if (xvif_parse_uint(optarg, XVIF_MAX_QUEUES, &v) || v < 1) {
				fprintf(stderr, "xvif-netback: --max-queues '%s': give a number from 1 to %u\n"
					"Try 'xvif-netback --help'.\n", optarg, XVIF_MAX_QUEUES);
				return 2;
			}
			o.max_queues = (unsigned int)v;
			break;
		case OPT_JSON:
			o.json = true;
			break;
		case OPT_ISOLATION:
			if (xvif_iso_mode_parse(optarg, &o.isolation) < 0)
				return usage_error("--isolation '%s': use process (the default) or none", optarg);
			break;
		case OPT_STATE_DIR:
			if (optarg[0] != '/')
				return usage_error("--state-dir '%s': give an absolute path, e.g. /run/xvif-netback",
						   optarg);
			o.state_dir = optarg;
			break;
		case OPT_TEARDOWN:
			o.teardown_on_exit = true;
			break;
		case OPT_UID_BASE:
		case OPT_UID_COUNT:
			if (xvif_parse_uint(optarg, 0xfffffffeu, &v) || v < 1)
				return usage_error(c == OPT_UID_BASE ? "--worker-uid-base '%s': give a uid, e.g. 65536"
								     : "--worker-uid-count '%s': give a count, e.g. 4096",
						   optarg);
			*(c == OPT_UID_BASE ? &o.uid_base : &o.uid_count) = (uint32_t)v;
			o.worker_opts = true;
			break;
		case OPT_WORKER_NS:
			if (strcmp(optarg, "on") && strcmp(optarg, "off"))
				return usage_error("--worker-namespaces '%s': use on (the default) or off", optarg);
			o.worker_ns = strcmp(optarg, "on") == 0;
			o.worker_opts = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("xvif-netback %s\n", XVIF_VERSION);
			return 0;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (strcmp(cmd, "status") == 0) {
		if (o.max_queues || o.log_level != XVIF_LOG_INFO || o.teardown_on_exit || o.worker_opts ||
		    strcmp(o.state_dir, "/run/xvif-netback"))
			return usage_error("%s: status takes only --json and --socket", "options");
		return xvif_status_client(o.socket, o.json, stdout);
	}
	if (o.json)
		return usage_error("%s: --json belongs to the status command (xvif-netback status --json)", "run");
	/* The worker uid range must be ids no one else has. */
	if (o.isolation == XVIF_ISO_PROCESS &&
	    (xvif_iso_set_uid_range(o.uid_base, o.uid_count, err, sizeof(err)) < 0 ||
	     xvif_iso_uid_range_check(o.uid_base, o.uid_count, NULL, err, sizeof(err)) < 0))
		return usage_error("%s", err);
	xvif_iso_set_namespaces(o.worker_ns);
	return run(&o);
}
