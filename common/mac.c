// SPDX-License-Identifier: GPL-2.0-only
#include "mac.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int xvif_mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t out[6];
	unsigned int i;
	int hi, lo;

	for (i = 0; i < 6; i++) {
		hi = hexval(s[0]);
		if (hi < 0)
			return -1;
		lo = hexval(s[1]);
		if (lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
		if (s[2] != (i == 5 ? '\0' : ':'))
			return -1;
		s += 3;
	}
	if (out[0] & 1)
		return -1; /* multicast */
	if (!(out[0] | out[1] | out[2] | out[3] | out[4] | out[5]))
		return -1; /* all zero */
	memcpy(mac, out, 6);
	return 0;
}

void xvif_mac_format(const uint8_t mac[6], char buf[XVIF_MAC_STRLEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < 6; i++) {
		buf[i * 3] = hex[mac[i] >> 4];
		buf[i * 3 + 1] = hex[mac[i] & 15];
		buf[i * 3 + 2] = i == 5 ? '\0' : ':';
	}
}
