// SPDX-License-Identifier: GPL-2.0-only
/* Watch dispatch, coalescing and the vif table. See cp_daemon.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cp_daemon.h"
#include "cp_vif.h"
#include "tap.h"
#include "xenbus_states.h"

/* Largest domid a frontend can have (DOMID_FIRST_RESERVED - 1). */
#define CP_DOMID_MAX 0x7fefu
/* Largest devid we accept in a backend path: libxl's are small integers;
 * anything that does not fit 32 bits is not a device. */
#define CP_DEVID_MAX 0xffffffffu

unsigned int cp_max_queues(long cpus, unsigned int cap)
{
	unsigned int n = cpus < 1 ? 1 : (cpus > (long)XVIF_MAX_QUEUES ? XVIF_MAX_QUEUES : (unsigned int)cpus);

	if (cap && cap < n)
		n = cap;
	return n;
}

int cp_daemon_init(struct cp_daemon *d, struct cp_xs *xs, struct cp_dom *dom, unsigned int own_domid,
		   unsigned int max_queues, char *err, size_t errlen)
{
	char home[CP_XS_PATH_MAX];

	memset(d, 0, sizeof(*d));
	d->xs = xs;
	d->dom = dom;
	d->broken_efd = -1;
	d->rl.interval_ms = XVIF_RATELIMIT_INTERVAL_MS;
	d->rl.burst = XVIF_RATELIMIT_BURST;
	snprintf(d->vif_dir, sizeof(d->vif_dir), "%s", CP_VIF_DIR_DEFAULT);
	d->caps = (struct xvif_be_caps){
		.max_queues = cp_max_queues(sysconf(_SC_NPROCESSORS_ONLN), max_queues),
		.sg = true,
		.gso_tcpv4 = true,
		.gso_tcpv6 = true,
		.ipv6_csum = true,
		.split_evtchn = true,
		.ctrl_ring = true,
		.multicast_control = true,
		.xdp_headroom = true,
		.rx_copy = true,
	};
	if (cp_xs_domain_path(xs, own_domid, home, sizeof(home)) < 0) {
		snprintf(err, errlen, "cannot get the xenstore home of domain %u", own_domid);
		return -1;
	}
	if ((size_t)snprintf(d->be_root, sizeof(d->be_root), "%s/backend/vif", home) >= sizeof(d->be_root)) {
		snprintf(err, errlen, "xenstore home path too long: %s", home);
		return -1;
	}
	d->broken_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (d->broken_efd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		return -1;
	}
	/* xenstored fires each watch once at registration: the first pass of
	 * the loop therefore lists backend/vif and adopts what is there. */
	if (cp_xs_watch(xs, d->be_root, CP_TOKEN_BACKEND) < 0) {
		snprintf(err, errlen, "cannot watch %s: %s", d->be_root, strerror(errno));
		goto fail;
	}
	if (cp_xs_watch(xs, "@releaseDomain", CP_TOKEN_RELEASE) < 0) {
		snprintf(err, errlen, "cannot watch @releaseDomain: %s", strerror(errno));
		cp_xs_unwatch(xs, d->be_root, CP_TOKEN_BACKEND);
		goto fail;
	}
	d->rescan = true;
	return 0;
fail:
	close(d->broken_efd);
	d->broken_efd = -1;
	return -1;
}

/* ---- TAP records ---- */

static int record_path(const struct cp_daemon *d, uint32_t domid, uint32_t devid, char *buf, size_t len)
{
	return (size_t)snprintf(buf, len, "%s/%u.%u", d->vif_dir, domid, devid) >= len ? -1 : 0;
}

/* mkdir -p of d->vif_dir, 0700 for what we make. */
static int make_vif_dir(const struct cp_daemon *d)
{
	char p[CP_XS_PATH_MAX];
	size_t i;

	snprintf(p, sizeof(p), "%s", d->vif_dir);
	for (i = 1; p[i]; i++) {
		if (p[i] != '/')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			return -1;
		p[i] = '/';
	}
	return mkdir(p, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

int cp_record_write(struct cp_daemon *d, uint32_t domid, uint32_t devid, const char *ifname, int ifindex)
{
	char path[CP_XS_PATH_MAX], tmp[CP_XS_PATH_MAX + 8], buf[64];
	int fd, n, e;

	if (record_path(d, domid, devid, path, sizeof(path)) < 0 || make_vif_dir(d) < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	n = snprintf(buf, sizeof(buf), "ifname=%s ifindex=%d\n", ifname, ifindex);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, buf, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0) {
		e = errno ? errno : EIO;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int cp_record_read(struct cp_daemon *d, uint32_t domid, uint32_t devid, char ifname[16], int *ifindex)
{
	char path[CP_XS_PATH_MAX], buf[64], name[16], tail;
	ssize_t n;
	int fd, idx;

	if (record_path(d, domid, devid, path, sizeof(path)) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		goto bad;
	buf[n] = '\0';
	if (sscanf(buf, "ifname=%15s ifindex=%d%c", name, &idx, &tail) != 3 || tail != '\n' || idx <= 0 ||
	    !xvif_ifname_valid(name))
		goto bad;
	snprintf(ifname, 16, "%s", name);
	*ifindex = idx;
	return 0;
bad:
	xvif_log(XVIF_LOG_WARN, "%s: not a TAP record of ours (ignored and removed)", path);
	unlink(path);
	return -1;
}

void cp_record_remove(struct cp_daemon *d, uint32_t domid, uint32_t devid)
{
	char path[CP_XS_PATH_MAX];

	if (record_path(d, domid, devid, path, sizeof(path)) == 0 && unlink(path) < 0 && errno != ENOENT)
		xvif_log(XVIF_LOG_WARN, "cannot remove %s: %s", path, strerror(errno));
}

int cp_daemon_remove_recorded_tap(struct cp_daemon *d, uint32_t domid, uint32_t devid)
{
	struct xvif_tap t;
	char ifname[16], err[160];
	int ifindex;

	if (cp_record_read(d, domid, devid, ifname, &ifindex) < 0)
		return 0;
	if (xvif_tap_attach(&t, ifname, ifindex, err, sizeof(err)) < 0) {
		if (errno != ENODEV) {
			xvif_log(XVIF_LOG_ERR, "backend/vif/%u/%u: cannot remove its interface: %s", domid, devid, err);
			return -1;
		}
		/* Already gone (removed by hand): only the record is left. */
		cp_record_remove(d, domid, devid);
		return 0;
	}
	if (xvif_tap_set_persist(&t, false) < 0)
		xvif_log(XVIF_LOG_WARN, "TAP %s: cannot clear persist: %s", ifname, strerror(errno));
	xvif_tap_destroy(&t);
	cp_record_remove(d, domid, devid);
	return 1;
}

/* Once, on the first pass: every recorded TAP whose backend directory is
 * gone (the daemon was killed while a guest was destroyed, or a vif
 * detached) is removed. */
static void remove_orphans(struct cp_daemon *d)
{
	char path[CP_XS_PATH_MAX], val[16];
	struct dirent *e;
	DIR *dir = opendir(d->vif_dir);
	unsigned int domid, devid;
	char tail;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		if (sscanf(e->d_name, "%u.%u%c", &domid, &devid, &tail) != 2 || domid > CP_DOMID_MAX) {
			/* a .tmp left by a kill mid-write, or not ours */
			if (strstr(e->d_name, ".tmp"))
				unlinkat(dirfd(dir), e->d_name, 0);
			continue;
		}
		if (cp_daemon_find(d, domid, devid))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%u/%u/frontend-id", d->be_root, domid, devid) >=
		    sizeof(path))
			continue;
		/* Only a directory xenstore says is missing: a failed read of
		 * an existing one must not cost a live vif its interface. */
		errno = ENOENT; /* the fake xenstore sets none */
		if (cp_xs_read(d->xs, path, val, sizeof(val)) != XVIF_XS_MISSING || errno != ENOENT)
			continue;
		if (cp_daemon_remove_recorded_tap(d, domid, devid) > 0) {
			d->orphans_removed++;
			xvif_log(XVIF_LOG_INFO, "backend/vif/%u/%u: gone while no daemon ran: its interface removed",
				 domid, devid);
		}
	}
	closedir(dir);
}

/* ---- leftovers of an earlier daemon ---- */

/* Is /proc/@pid a vif worker (argv[1] is @marker)? */
static bool stale_worker(pid_t pid, const char *marker, char *name, size_t namelen)
{
	char path[64], buf[256];
	ssize_t n;
	size_t a0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	a0 = strlen(buf) + 1;
	if (a0 >= (size_t)n || strcmp(buf + a0, marker) != 0)
		return false;
	a0 += strlen(marker) + 1;
	snprintf(name, namelen, "%s", a0 < (size_t)n ? buf + a0 : "?");
	return true;
}

static bool proc_gone(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

int cp_kill_stale_workers(const char *marker)
{
	pid_t pids[CP_MAX_VIFS];
	unsigned int n = 0, i, tries;
	struct dirent *e;
	char name[40];
	DIR *dir = opendir("/proc");

	if (!dir)
		return 0;
	while ((e = readdir(dir)) && n < CP_MAX_VIFS) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 1 || pid == (long)getpid())
			continue;
		if (!stale_worker((pid_t)pid, marker, name, sizeof(name)) || proc_gone((pid_t)pid))
			continue;
		if (kill((pid_t)pid, SIGKILL) == 0) {
			xvif_log(XVIF_LOG_WARN, "%s: worker %ld of an earlier daemon still ran: killed (it held the rings)",
				 name, pid);
			pids[n++] = (pid_t)pid;
		}
	}
	closedir(dir);
	/* Wait (up to 2 s) until they are gone: only then are the rings ours. */
	for (tries = 0; tries < 200; tries++) {
		for (i = 0; i < n && proc_gone(pids[i]); i++)
			;
		if (i == n)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	return (int)n;
}

struct cp_vif *cp_daemon_find(struct cp_daemon *d, uint32_t domid, uint32_t devid)
{
	struct cp_vif *v;

	for (v = d->vifs; v; v = v->next)
		if (v->domid == domid && v->devid == devid)
			return v;
	return NULL;
}

/* Parse one decimal path component ending at '/' or NUL; advance *@p. */
static int parse_component(const char **p, uint64_t max, uint64_t *out)
{
	char buf[24];
	size_t n = strcspn(*p, "/");

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	if (xvif_parse_uint(buf, max, out))
		return -1;
	*p += n;
	if (**p == '/')
		(*p)++;
	return 0;
}

/* A backend/vif event: mark its vif dirty, or ask for a rescan when the
 * path names no vif we know (a new device, or a domid directory). */
static void dispatch_backend(struct cp_daemon *d, const char *path)
{
	size_t rl = strlen(d->be_root);
	const char *p;
	uint64_t domid, devid;
	struct cp_vif *v;

	if (strncmp(path, d->be_root, rl) != 0 || (path[rl] != '/' && path[rl] != '\0')) {
		d->rescan = true;
		return;
	}
	p = path + rl + (path[rl] == '/');
	if (parse_component(&p, CP_DOMID_MAX, &domid) || parse_component(&p, CP_DEVID_MAX, &devid)) {
		d->rescan = true;
		return;
	}
	v = cp_daemon_find(d, (uint32_t)domid, (uint32_t)devid);
	if (v)
		v->dirty = true;
	else
		d->rescan = true;
}

static void dispatch_frontend(struct cp_daemon *d, const char *token)
{
	const char *p = token + strlen(CP_TOKEN_FE_PREFIX);
	unsigned int domid, devid;
	struct cp_vif *v;
	char tail;

	/* Our own token, but checked anyway: a stale one is simply ignored. */
	if (sscanf(p, "%u:%u%c", &domid, &devid, &tail) != 2)
		return;
	v = cp_daemon_find(d, domid, devid);
	if (v)
		v->dirty = true;
}

static void dispatch(struct cp_daemon *d, const char *path, const char *token)
{
	if (strcmp(token, CP_TOKEN_BACKEND) == 0)
		dispatch_backend(d, path);
	else if (strcmp(token, CP_TOKEN_RELEASE) == 0)
		d->check_domains = true;
	else if (strncmp(token, CP_TOKEN_FE_PREFIX, strlen(CP_TOKEN_FE_PREFIX)) == 0)
		dispatch_frontend(d, token);
}

static void add_vif(struct cp_daemon *d, uint32_t domid, uint32_t devid)
{
	struct cp_vif *v = cp_daemon_find(d, domid, devid);

	if (v) {
		v->dirty = true;
		return;
	}
	if (d->nvifs >= CP_MAX_VIFS) {
		xvif_log_ratelimited(&d->rl, XVIF_LOG_ERR, "backend/vif/%u/%u: not served: already %u vifs (CP_MAX_VIFS)",
				     domid, devid, d->nvifs);
		return;
	}
	v = cp_vif_new(d, domid, devid);
	if (!v) {
		xvif_log(XVIF_LOG_ERR, "backend/vif/%u/%u: out of memory", domid, devid);
		return;
	}
	v->dirty = true;
	v->next = d->vifs;
	d->vifs = v;
	d->nvifs++;
}

/* List backend/vif/<domid>/<devid> and adopt every device not yet known.
 * Every known vif is marked dirty too: one whose directory went away finds
 * out in its reconcile. */
static void rescan(struct cp_daemon *d)
{
	char path[CP_XS_PATH_MAX];
	char **doms, **devs;
	unsigned int nd = 0, nv = 0, i, j;
	uint64_t domid, devid;
	struct cp_vif *v;

	d->stats.rescans++;
	for (v = d->vifs; v; v = v->next)
		v->dirty = true;
	doms = cp_xs_directory(d->xs, d->be_root, &nd);
	for (i = 0; i < nd; i++) {
		const char *p = doms[i];

		if (parse_component(&p, CP_DOMID_MAX, &domid) || *p) {
			xvif_log_ratelimited(&d->rl, XVIF_LOG_WARN, "%s/%.32s: not a domain id, ignored", d->be_root,
					     doms[i]);
			continue;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", d->be_root, doms[i]) >= sizeof(path))
			continue;
		devs = cp_xs_directory(d->xs, path, &nv);
		for (j = 0; j < nv; j++) {
			p = devs[j];
			if (parse_component(&p, CP_DEVID_MAX, &devid) || *p) {
				xvif_log_ratelimited(&d->rl, XVIF_LOG_WARN, "%s/%.32s: not a device id, ignored", path,
						     devs[j]);
				continue;
			}
			add_vif(d, (uint32_t)domid, (uint32_t)devid);
		}
		cp_xs_free_list(devs, nv);
	}
	cp_xs_free_list(doms, nd);
}

static void check_domains(struct cp_daemon *d)
{
	struct cp_vif *v;

	for (v = d->vifs; v; v = v->next) {
		if (v->dead)
			continue;
		if (cp_dom_state(d->dom, v->domid) == CP_DOM_DEAD) {
			xvif_log(XVIF_LOG_INFO, "%s: domain %u is gone", v->name, v->domid);
			v->dead = true;
			v->dirty = true;
		}
	}
}

/* Reconcile every dirty vif once; free those whose directory is gone. */
static void process(struct cp_daemon *d)
{
	struct cp_vif **pv = &d->vifs;

	if (d->rescan) {
		d->rescan = false;
		rescan(d);
	}
	if (!d->orphans_checked) {
		d->orphans_checked = true;
		remove_orphans(d);
	}
	if (d->check_domains) {
		d->check_domains = false;
		check_domains(d);
	}
	while (*pv) {
		struct cp_vif *v = *pv;

		if (v->dirty) {
			v->dirty = false;
			if (cp_vif_reconcile(v) == CP_VIF_GONE) {
				*pv = v->next;
				d->nvifs--;
				cp_vif_free(v);
				continue;
			}
		}
		pv = &v->next;
	}
}

int cp_daemon_handle_xs(struct cp_daemon *d)
{
	char path[CP_XS_PATH_MAX], token[64];
	unsigned int n;
	int rc = 0;

	for (n = 0; n < CP_WATCH_BUDGET; n++) {
		rc = cp_xs_next_event(d->xs, path, sizeof(path), token, sizeof(token));
		if (rc <= 0)
			break;
		d->stats.events++;
		dispatch(d, path, token);
	}
	process(d);
	if (rc < 0)
		return -1;
	return n == CP_WATCH_BUDGET ? 1 : 0;
}

void cp_daemon_handle_broken(struct cp_daemon *d)
{
	uint64_t cnt;
	struct cp_vif *v;

	bool started = false;

	if (read(d->broken_efd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		xvif_log(XVIF_LOG_WARN, "broken-queue eventfd: %s", strerror(errno));
	for (v = d->vifs; v; v = v->next) {
		/* The start first: a worker that broke right after its
		 * STARTED is then closed below, not left serving nothing. */
		if (cp_vif_handle_start(v)) {
			v->dirty = true; /* its frontend may have moved while it started */
			started = true;
		}
		cp_vif_handle_broken(v);
	}
	if (started)
		process(d);
}

void cp_daemon_shutdown(struct cp_daemon *d)
{
	struct cp_vif *v;

	for (v = d->vifs; v; v = v->next)
		cp_vif_shutdown(v);
}

void cp_daemon_handover(struct cp_daemon *d)
{
	struct cp_vif *v;

	for (v = d->vifs; v; v = v->next)
		cp_vif_handover(v);
}

void cp_daemon_fini(struct cp_daemon *d)
{
	while (d->vifs) {
		struct cp_vif *v = d->vifs;

		d->vifs = v->next;
		cp_vif_free(v);
	}
	d->nvifs = 0;
	if (d->xs) {
		cp_xs_unwatch(d->xs, "@releaseDomain", CP_TOKEN_RELEASE);
		cp_xs_unwatch(d->xs, d->be_root, CP_TOKEN_BACKEND);
	}
	if (d->broken_efd >= 0)
		close(d->broken_efd);
	d->broken_efd = -1;
}
