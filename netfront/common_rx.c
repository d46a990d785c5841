// SPDX-License-Identifier: GPL-2.0-only
/* common/rx.c compiled into the module (objects stay in netfront/). */
#include "../common/rx.c"
