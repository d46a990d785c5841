// SPDX-License-Identifier: GPL-2.0-only
/* common/xs_schema.c compiled into the module (objects stay in netfront/). */
#include "../common/xs_schema.c"
