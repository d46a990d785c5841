// SPDX-License-Identifier: GPL-2.0-only
/* common/xenbus_states.c compiled into the module (objects stay in netfront/). */
#include "../common/xenbus_states.c"
