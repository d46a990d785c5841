// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: common/mac.c (the "mac" key: parse and format). */
#include "xvif_test.h"
#include "mac.h"

static const struct parse_row {
	const char *name, *s;
	int want_rc;
	uint8_t want[6];
} parse_rows[] = {
	{ "xen_oui", "00:16:3e:0a:0b:0c", 0, { 0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c } },
	{ "upper_case", "00:16:3E:AB:CD:EF", 0, { 0x00, 0x16, 0x3e, 0xab, 0xcd, 0xef } },
	{ "mixed_case", "aA:bB:cC:dD:eE:fF", 0, { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } },
	{ "locally_administered", "02:00:00:00:00:01", 0, { 0x02, 0, 0, 0, 0, 0x01 } },
	{ "last_octet_only", "00:00:00:00:00:01", 0, { 0, 0, 0, 0, 0, 0x01 } },
	{ "all_ff_but_multicast_bit", "fe:ff:ff:ff:ff:ff", 0, { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff } },
	{ "empty", "", -1, { 0 } },
	{ "five_octets", "00:16:3e:0a:0b", -1, { 0 } },
	{ "five_octets_trailing_colon", "00:16:3e:0a:0b:", -1, { 0 } },
	{ "seven_octets", "00:16:3e:0a:0b:0c:0d", -1, { 0 } },
	{ "trailing_space", "00:16:3e:0a:0b:0c ", -1, { 0 } },
	{ "leading_space", " 00:16:3e:0a:0b:0c", -1, { 0 } },
	{ "dash_separated", "00-16-3e-0a-0b-0c", -1, { 0 } },
	{ "no_separators", "00163e0a0b0c", -1, { 0 } },
	{ "single_digit_octet", "0:16:3e:0a:0b:0c", -1, { 0 } },
	{ "three_digit_octet", "000:16:3e:0a:0b:0c", -1, { 0 } },
	{ "non_hex_g", "00:16:3g:0a:0b:0c", -1, { 0 } },
	{ "non_hex_last", "00:16:3e:0a:0b:0z", -1, { 0 } },
	{ "multicast", "01:00:5e:00:00:01", -1, { 0 } },
	{ "broadcast", "ff:ff:ff:ff:ff:ff", -1, { 0 } },
	{ "multicast_odd_first", "03:16:3e:0a:0b:0c", -1, { 0 } },
	{ "all_zero", "00:00:00:00:00:00", -1, { 0 } },
	{ "truncated_mid_octet", "00:16:3e:0a:0b:0", -1, { 0 } },
};

static void test_parse_row(void **state)
{
	const struct parse_row *r = XT_ROW(struct parse_row, state);
	static const uint8_t untouched[6] = { 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5 };
	uint8_t mac[6];
	char *s = strdup(r->s); /* exact-size heap copy: ASan catches over-reads */

	memcpy(mac, untouched, 6);
	assert_int_equal(xvif_mac_parse(s, mac), r->want_rc);
	if (r->want_rc == 0)
		assert_memory_equal(mac, r->want, 6);
	else
		assert_memory_equal(mac, untouched, 6); /* no partial result on error */
	free(s);
}

static const struct format_row {
	const char *name;
	uint8_t mac[6];
	const char *want;
} format_rows[] = {
	{ "xen_oui", { 0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c }, "00:16:3e:0a:0b:0c" },
	{ "lower_case_hex", { 0xab, 0xcd, 0xef, 0x12, 0x34, 0x56 }, "ab:cd:ef:12:34:56" },
	{ "all_zero", { 0, 0, 0, 0, 0, 0 }, "00:00:00:00:00:00" },
	{ "all_ff", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, "ff:ff:ff:ff:ff:ff" },
};

static void test_format_row(void **state)
{
	const struct format_row *r = XT_ROW(struct format_row, state);
	char buf[XVIF_MAC_STRLEN + 1];

	memset(buf, 'Z', sizeof(buf));
	xvif_mac_format(r->mac, buf);
	assert_string_equal(buf, r->want);
	assert_int_equal(strlen(buf), XVIF_MAC_STRLEN - 1);
	assert_int_equal(buf[XVIF_MAC_STRLEN], 'Z'); /* nothing past the 18 bytes */
}

/* format then parse gives the address back, for every value of each octet
 * position that is a valid unicast address. */
static void test_format_parse_roundtrip(void **state)
{
	uint8_t mac[6], back[6];
	char buf[XVIF_MAC_STRLEN];
	unsigned int pos, v;

	(void)state;
	for (pos = 0; pos < 6; pos++) {
		for (v = 0; v < 256; v++) {
			memcpy(mac, "\x00\x16\x3e\x01\x02\x03", 6);
			mac[pos] = (uint8_t)v;
			xvif_mac_format(mac, buf);
			if (mac[0] & 1) {
				assert_int_equal(xvif_mac_parse(buf, back), -1);
				continue;
			}
			assert_int_equal(xvif_mac_parse(buf, back), 0);
			assert_memory_equal(back, mac, 6);
		}
	}
}

int main(void)
{
	struct xt_list l = { 0 };

	XT_ROWS(&l, "xvif_mac_parse", test_parse_row, parse_rows);
	XT_ROWS(&l, "xvif_mac_format", test_format_row, format_rows);
	XT_TEST(&l, test_format_parse_roundtrip);
	return xt_run(&l, "mac");
}
