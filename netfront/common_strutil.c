// SPDX-License-Identifier: GPL-2.0-only
/* common/strutil.c compiled into the module (objects stay in netfront/). */
#include "../common/strutil.c"
