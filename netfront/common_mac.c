// SPDX-License-Identifier: GPL-2.0-only
/* common/mac.c compiled into the module (objects stay in netfront/). */
#include "../common/mac.c"
