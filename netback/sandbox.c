// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-vif worker's privilege drop and seccomp filters. See sandbox.h.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xenctrl.h> /* domid_t, which xen/sys/evtchn.h uses */
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>

#include "sandbox.h"

/* Fds the worker may still create: none is needed once it runs, but poll()
 * refuses more fds than RLIMIT_NOFILE allows, and fd numbers above it keep
 * working. */
#define SANDBOX_NOFILE 16u

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

static int set_limit(int res, rlim_t v)
{
	struct rlimit rl = { .rlim_cur = v, .rlim_max = v };

	return setrlimit(res, &rl);
}

int xvif_sandbox_unshare(char *err, size_t errlen)
{
	/* No CLONE_NEWPID: the worker would have to be its namespace's init
	 * (clone at spawn; unshare(CLONE_NEWPID) would forbid its threads),
	 * which ignores every signal but SIGKILL from the daemon and sees
	 * getppid() == 0. Seccomp already forbids kill, ptrace and opening
	 * /proc. No CLONE_NEWUSER: the uid change below is the point. */
	if (unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWCGROUP) < 0)
		return fail(err, errlen, "unshare(mount, ipc, uts, net, cgroup)");
	/* Nothing we mount or unmount from here on reaches the daemon's
	 * namespace (or comes back from it). */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(err, errlen, "mount(/, MS_REC|MS_PRIVATE)");
	/* An empty read-only tmpfs on a directory every dom0 has (we opened
	 * /dev/xen/ a moment ago), made the root; the old tree is detached. */
	if (mount("xvif-worker", "/dev", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,mode=0555") < 0)
		return fail(err, errlen, "mount(tmpfs on /dev)");
	if (chdir("/dev") < 0)
		return fail(err, errlen, "chdir(/dev)");
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH) < 0)
			return fail(err, errlen, "umount2(old root)");
	} else if (errno != EINVAL || chroot(".") < 0) {
		/* EINVAL: our root is not a mount point (the daemon runs
		 * chrooted): a chroot into the tmpfs does, as the capabilities
		 * to leave it go below. */
		return fail(err, errlen, "pivot_root");
	}
	if (chdir("/") < 0)
		return fail(err, errlen, "chdir(/)");
	if (sethostname("xvif-worker", 11) < 0)
		return fail(err, errlen, "sethostname");
	return 0;
}

int xvif_sandbox_drop(uid_t uid, gid_t gid, uint64_t data_limit, char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	unsigned long cap;

	if (uid == 0 || gid == 0) {
		snprintf(err, errlen, "refusing to run a worker as root (uid %u gid %u)", (unsigned int)uid,
			 (unsigned int)gid);
		return -1;
	}
	/* No RLIMIT_FSIZE: stderr may be a log file, and seccomp forbids
	 * opening any other. */
	if (set_limit(RLIMIT_CORE, 0) || set_limit(RLIMIT_MEMLOCK, 0) ||
	    set_limit(RLIMIT_NOFILE, SANDBOX_NOFILE) || set_limit(RLIMIT_MSGQUEUE, 0))
		return fail(err, errlen, "setrlimit");
	/* The memory bound: brk, mmap and mprotect that would take the
	 * private writable mappings past it fail with ENOMEM (the daemon
	 * closes a vif whose worker sits at its bound). */
	if (data_limit && set_limit(RLIMIT_DATA, (rlim_t)data_limit))
		return fail(err, errlen, "setrlimit(RLIMIT_DATA)");
	/* While still root: empty the bounding set (so nothing can come back
	 * through an exec, which seccomp forbids anyway) and lock securebits so
	 * uid 0 never means capabilities again. */
	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return fail(err, errlen, "prctl(PR_CAPBSET_DROP)");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return fail(err, errlen, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
					     SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
					     SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
		  0, 0, 0) < 0)
		return fail(err, errlen, "prctl(PR_SET_SECUREBITS)");
	if (setgroups(0, NULL) < 0)
		return fail(err, errlen, "setgroups");
	if (setresgid(gid, gid, gid) < 0)
		return fail(err, errlen, "setresgid");
	if (setresuid(uid, uid, uid) < 0)
		return fail(err, errlen, "setresuid");
	/* Leaving uid 0 cleared the permitted and effective sets (no
	 * SECBIT_KEEP_CAPS); clear the inheritable set and check all three. */
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) < 0)
		return fail(err, errlen, "capset");
	if (syscall(SYS_capget, &hdr, data) < 0)
		return fail(err, errlen, "capget");
	if (data[0].effective | data[0].permitted | data[0].inheritable | data[1].effective | data[1].permitted |
	    data[1].inheritable) {
		snprintf(err, errlen, "capabilities left after the uid change");
		return -1;
	}
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0 || ru != uid || eu != uid || su != uid ||
	    rg != gid || eg != gid || sg != gid) {
		snprintf(err, errlen, "uid/gid not changed");
		return -1;
	}
	if (setuid(0) == 0 || setgid(0) == 0) {
		snprintf(err, errlen, "could become root again");
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail(err, errlen, "prctl(PR_SET_NO_NEW_PRIVS)");
	/* Not dumpable: no ptrace or /proc/<pid>/mem by other processes of the
	 * same uid, no core dump of guest data. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return fail(err, errlen, "prctl(PR_SET_DUMPABLE)");
	return 0;
}

/* ---- seccomp ---- */

/* Plain allowed syscalls: what the engine's worker loop, the worker's
 * command loop, malloc and glibc's thread code issue. */
static const int allowed[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(recvfrom), SCMP_SYS(sendto),
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(close),
	SCMP_SYS(futex), SCMP_SYS(clock_gettime), SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
	SCMP_SYS(gettimeofday), SCMP_SYS(sched_yield),
	SCMP_SYS(munmap), SCMP_SYS(madvise), SCMP_SYS(brk), SCMP_SYS(mremap),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(restart_syscall), SCMP_SYS(getrandom), SCMP_SYS(set_robust_list), SCMP_SYS(rseq),
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(sigaltstack),
	SCMP_SYS(sched_getaffinity), /* reads our own CPU mask; the sanitizers ask for it per thread */
};

/* The ioctls the running data path makes: grant copy, and at stop the
 * unmapping of its rings; event-channel notify, and at stop unbind.
 * (Unmask and pending are write() and read() on the evtchn fd.) No map,
 * no bind: those were done before the drop. */
static const unsigned long allowed_ioctls[] = {
	IOCTL_GNTDEV_GRANT_COPY, IOCTL_GNTDEV_UNMAP_GRANT_REF, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR,
	IOCTL_EVTCHN_NOTIFY, IOCTL_EVTCHN_UNBIND,
};

static int rule(scmp_filter_ctx ctx, uint32_t action, int sc, unsigned int n, const struct scmp_arg_cmp *a)
{
	int rc = seccomp_rule_add_array(ctx, action, sc, n, a);

	if (rc < 0)
		errno = -rc;
	return rc;
}

static void *no_op(void *arg)
{
	return arg;
}

int xvif_sandbox_seccomp(char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	struct scmp_arg_cmp a[2];
	pthread_t t;
	unsigned int i;
	int rc = -1;

	/* glibc installs its own signal handlers (cancellation, setxid) at a
	 * process's first pthread_create: have that happen now, while
	 * rt_sigaction is still allowed. */
	rc = pthread_create(&t, NULL, no_op, NULL);
	if (rc) {
		snprintf(err, errlen, "pthread_create: %s", strerror(rc));
		return -1;
	}
	pthread_join(t, NULL);
	rc = -1;
	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (rule(ctx, SCMP_ACT_ALLOW, allowed[i], 0, NULL) < 0)
			goto out_err;
	/* ioctl: by request number (the low 32 bits: the kernel's cmd is an
	 * unsigned int; compare masked so a sign-extended value matches too). */
	for (i = 0; i < sizeof(allowed_ioctls) / sizeof(allowed_ioctls[0]); i++) {
		a[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, allowed_ioctls[i] & 0xffffffffu);
		if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, a) < 0)
			goto out_err;
	}
	/* Memory, never executable. */
	a[0] = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
	if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, a) < 0 || rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1, a) < 0)
		goto out_err;
	/* Threads only (no fork): clone with CLONE_THREAD; clone3 hides its
	 * flags in memory, so it answers ENOSYS and glibc falls back to clone. */
	a[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD);
	if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1, a) < 0 ||
	    rule(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, NULL) < 0)
		goto out_err;
	/* Opening a file answers EACCES instead of killing: glibc itself
	 * probes files in a few internal paths, e.g. malloc reads
	 * /proc/sys/vm/overcommit_memory the first time a thread's heap shrinks
	 * (the lab's first run: SIGSYS in mid-traffic) and copes with the
	 * refusal. Nothing is opened either way. */
	if (rule(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0, NULL) < 0 ||
	    rule(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0, NULL) < 0 ||
	    rule(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat2), 0, NULL) < 0)
		goto out_err;
	/* abort(): a signal to ourselves only. */
	a[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid());
	if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, a) < 0)
		goto out_err;
	/* For xvif_sandbox_seal() (which forbids these again). */
	a[0] = SCMP_A0(SCMP_CMP_EQ, PR_SET_NO_NEW_PRIVS);
	if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, a) < 0 ||
	    rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(seccomp), 0, NULL) < 0)
		goto out_err;
	rc = seccomp_load(ctx);
	if (rc < 0) {
		errno = -rc;
		goto out_err;
	}
	seccomp_release(ctx);
	return 0;
out_err:
	snprintf(err, errlen, "seccomp filter: %s", strerror(errno));
	seccomp_release(ctx);
	return -1;
}

int xvif_sandbox_seal(char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	if (!ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(clone), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(seccomp), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(prctl), 0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		snprintf(err, errlen, "seccomp seal: %s", strerror(-rc));
		return -1;
	}
	return 0;
}
