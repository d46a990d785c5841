/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control-plane tests' common fixture (test_cp_vif.c, test_cp_restart.c):
 * one daemon over the fakes of fake_xs.h, and the test playing libxl (the
 * backend and frontend directories, hotplug-status, removal) and the
 * guest's netfront (its keys and state) for vif 0 of domain 3, as the
 * lab's xl + xen-netfront do. Include after <cmocka.h>' prerequisites.
 */
#ifndef XVIF_NB_CP_FIXTURE_H
#define XVIF_NB_CP_FIXTURE_H

#include <stdbool.h>

#include "cp_daemon.h"
#include "cp_xs.h"

#define BE "/local/domain/0/backend/vif/3/0"
#define FE "/local/domain/3/device/vif/0"
#define TEST_MAXQ 4u                    /* multi-queue-max-queues, not this machine's CPUs */

struct cp_env {
	struct cp_xs *xs;
	struct cp_daemon d;
	struct cp_dom *dom;
	bool running;                   /* d is initialised (daemon_start) */
	bool one_evtchn;                /* frontend_keys: "event-channel", not -tx/-rx */
	char dir[64];                   /* TAP records (d.vif_dir), per test */
};

void be_set(struct cp_env *e, const char *key, const char *val);
void fe_set(struct cp_env *e, const char *key, const char *val);
/* NULL if missing. */
const char *be_get(struct cp_env *e, const char *key);

/* Run the loop's xenstore step until no event is pending, as the real loop
 * does (our own writes during a pass queue new events). A reconcile that
 * keeps writing would never settle: a cap of 1000 passes catches that. */
void pump(struct cp_env *e);

/* What libxl writes for `vif = ['mac=00:16:3e:00:00:03,bridge=xenbr0']`,
 * and what it removes at the end. */
void toolstack_add(struct cp_env *e);
void toolstack_remove(struct cp_env *e);

/* What Linux xen-netfront writes for @nq queues (rings 8/9, event channels
 * 20/21, + 2 per queue; one channel, 20 + 2q, if e->one_evtchn), without
 * the state: the caller writes Connected when it wants. */
void frontend_keys(struct cp_env *e, unsigned int nq);

/* Device added (InitWait), hotplug ran, frontend connected with @nq
 * queues: backend Connected. */
void bring_up(struct cp_env *e, unsigned int nq);

/* cp_daemon_init over the fixture's xenstore, TAP record directory and
 * TEST_MAXQ. */
void daemon_start(struct cp_env *e);
/* The daemon goes as on SIGTERM without --teardown-on-exit: writes nothing
 * to xenstore, detaches from its persistent TAPs. A SIGKILL leaves the
 * same (the kernel closes the fds; the records stay). */
void daemon_handover(struct cp_env *e);

/*
 * Process isolation in the cp tests: the daemon side (iso_proc.c) forks and
 * execs the test binary as `--vif-worker NAME`; its main() then runs this
 * fake worker on fd 3. It takes the config, then waits for the test's word
 * on the FIFO $XVIF_CP_GO_DIR/go-NAME (none set: answers at once): 'S'
 * STARTED (then serves until STOP or the socket closes), 'F' FAILED with
 * CP_FAKE_WORKER_ERR, 'M' STARTED and at once a malformed report (a second
 * STARTED), 'N' never answers. The test holds the FIFO open
 * (cp_go_open), so a word written before the worker reads it is kept.
 */
#define CP_FAKE_WORKER_ERR "queue-0: cannot map tx-ring-ref 8: Invalid argument"
int cp_fake_worker_main(void);
/* mkfifo @dir/go-@name and open it (O_RDWR): the fd to write words to. */
int cp_go_open(const char *dir, const char *name);
void cp_go(int fd, char word);

/* cmocka group fixtures: fresh fakes, a record directory
 * /tmp/xvif-<program>.XXXXXX, a started daemon; teardown also checks that
 * no data path was left running. */
int cp_env_setup(void **state);
int cp_env_teardown(void **state);

#endif
