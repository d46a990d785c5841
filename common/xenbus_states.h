/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The XenbusState moves each side of a vif may make, as tables.
 *
 * Backend (xvif-netback):
 *
 *   Initialising --> InitWait --> Connected --> Closing --> Closed
 *        |              |             ^  |         ^          |
 *        |              +-------------+  +---------+          |
 *        +------------------------------------> Closing       |
 *   Closed --> InitWait (frontend reconnects: save/restore, module reload)
 *   Connected --> Reconfigured --> Connected (frontend reconfigured: XDP)
 *   any state --> Closing / Closed (teardown)
 *
 * Frontend (xvif-netfront):
 *
 *   Initialising --> Connected --> Closing --> Closed --> Initialising
 *   Connected --> Reconfiguring --> Connected (Linux netfront attaching XDP:
 *   it writes xdp-headroom first and waits for the backend's Reconfigured)
 *   (Linux netfront writes Connected straight after its keys; Initialised is
 *   legal but unused.)
 *
 * The peer's state is hostile input: xvif_state_name() accepts any value,
 * and xvif_state_known() says whether it is a state at all.
 */
#ifndef XVIF_XENBUS_STATES_H
#define XVIF_XENBUS_STATES_H

#include "xvif_shim.h"

enum xvif_side { XVIF_SIDE_BACKEND, XVIF_SIDE_FRONTEND };

/* May @side move its own state from @from to @to? Same state is not a move. */
bool xvif_state_move_ok(enum xvif_side side, unsigned int from, unsigned int to);
/* Is @s one of XenbusStateUnknown..XenbusStateReconfigured? */
bool xvif_state_known(unsigned int s);
/* "Connected", "InitWait", ..., or "invalid" for anything else. */
const char *xvif_state_name(unsigned int s);
/* Parse a state value read from xenstore: decimal 0..8. 0 or -1. */
int xvif_state_parse(const char *s, unsigned int *out);

#endif
