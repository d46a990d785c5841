/* SPDX-License-Identifier: GPL-2.0-only */
/* MAC addresses as xenstore writes them: "00:16:3e:0a:0b:0c". */
#ifndef XVIF_MAC_H
#define XVIF_MAC_H

#include "xvif_shim.h"

#define XVIF_MAC_STRLEN 18u /* 17 characters and the NUL */

/* Exactly six colon-separated pairs of hex digits, either case. Rejects
 * multicast (bit 0 of the first octet) and all-zero addresses: a guest's
 * unicast address is the only thing that belongs in "mac". 0 or -1. */
int xvif_mac_parse(const char *s, uint8_t mac[6]);
/* Lower-case "xx:xx:xx:xx:xx:xx" into @buf, which holds XVIF_MAC_STRLEN. */
void xvif_mac_format(const uint8_t mac[6], char buf[XVIF_MAC_STRLEN]);

#endif
