// SPDX-License-Identifier: GPL-2.0-only
#include "xenbus_states.h"

#define NSTATES (XenbusStateReconfigured + 1)

static const char *const state_names[NSTATES] = {
	[XenbusStateUnknown] = "Unknown",
	[XenbusStateInitialising] = "Initialising",
	[XenbusStateInitWait] = "InitWait",
	[XenbusStateInitialised] = "Initialised",
	[XenbusStateConnected] = "Connected",
	[XenbusStateClosing] = "Closing",
	[XenbusStateClosed] = "Closed",
	[XenbusStateReconfiguring] = "Reconfiguring",
	[XenbusStateReconfigured] = "Reconfigured",
};

/*
 * Moves each side may make, [from][to]. Closing and Closed are reachable
 * from everywhere (teardown can start at any point).
 *
 * Reconfiguring/Reconfigured: Linux netfront (5.9+) moves Connected ->
 * Reconfiguring when an XDP program is attached, after writing
 * xdp-headroom, and waits for the backend to answer Reconfigured; it then
 * moves back to Connected, and so does the backend.
 */
#define I XenbusStateInitialising
#define W XenbusStateInitWait
#define D XenbusStateInitialised
#define C XenbusStateConnected
#define G XenbusStateClosing
#define X XenbusStateClosed
#define RG XenbusStateReconfiguring
#define RD XenbusStateReconfigured
static const bool backend_moves[NSTATES][NSTATES] = {
	[XenbusStateUnknown] = { [I] = 1, [G] = 1, [X] = 1 },
	[I] = { [W] = 1, [G] = 1, [X] = 1 },
	[W] = { [C] = 1, [G] = 1, [X] = 1 },
	[D] = { [G] = 1, [X] = 1 },
	[C] = { [G] = 1, [X] = 1, [RD] = 1 },
	[G] = { [X] = 1 },
	[RD] = { [C] = 1, [G] = 1, [X] = 1 },
	/* A frontend that reconnects (restore, module reload) is served again. */
	[X] = { [I] = 1, [W] = 1 },
};

static const bool frontend_moves[NSTATES][NSTATES] = {
	[XenbusStateUnknown] = { [I] = 1, [G] = 1, [X] = 1 },
	[I] = { [D] = 1, [C] = 1, [G] = 1, [X] = 1 },
	[D] = { [C] = 1, [G] = 1, [X] = 1 },
	[C] = { [G] = 1, [X] = 1, [RG] = 1 },
	[G] = { [X] = 1 },
	[X] = { [I] = 1 },
	[RG] = { [C] = 1, [G] = 1, [X] = 1 },
};
#undef I
#undef W
#undef D
#undef C
#undef G
#undef X
#undef RG
#undef RD

bool xvif_state_known(unsigned int s)
{
	return s < NSTATES;
}

bool xvif_state_move_ok(enum xvif_side side, unsigned int from, unsigned int to)
{
	if (!xvif_state_known(from) || !xvif_state_known(to))
		return false;
	return side == XVIF_SIDE_BACKEND ? backend_moves[from][to] : frontend_moves[from][to];
}

const char *xvif_state_name(unsigned int s)
{
	return xvif_state_known(s) ? state_names[s] : "invalid";
}

int xvif_state_parse(const char *s, unsigned int *out)
{
	if (s[0] < '0' || s[0] > '8' || s[1] != '\0')
		return -1;
	*out = (unsigned int)(s[0] - '0');
	return 0;
}
