// SPDX-License-Identifier: GPL-2.0-only
/* Command-line parsing of both hostile tools: see args.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

/* Strict decimal: digits only, value <= max. */
static int parse_u32(const char *s, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/* Seconds with up to three decimals ("2", "0.5") into milliseconds. */
static int parse_seconds(const char *s, unsigned int *ms)
{
	unsigned int whole = 0, frac = 0, digits = 0;
	const char *p = s;

	if (!s || !*s)
		return -1;
	while (*p >= '0' && *p <= '9') {
		whole = whole * 10 + (unsigned int)(*p++ - '0');
		if (whole > HOSTILE_MAX_MS / 1000)
			return -1;
	}
	if (p == s)
		return -1;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && digits < 3) {
			frac = frac * 10 + (unsigned int)(*p++ - '0');
			digits++;
		}
		if (digits == 0)
			return -1;
		while (digits++ < 3)
			frac *= 10;
	}
	if (*p)
		return -1;
	*ms = whole * 1000 + frac;
	return 0;
}

/* Options that take a value; --domid only for the backend. */
static bool takes_value(enum hostile_side side, const char *a)
{
	static const char *const opts[] = { "--attack", "--variant", "--vif", "--duration", "--wait",
					    "--count" };

	for (unsigned int i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(a, opts[i]))
			return true;
	return side == HOSTILE_BACK && !strcmp(a, "--domid");
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int hostile_parse_args(enum hostile_side side, int argc, char *const argv[],
		       struct hostile_opts *o, char *err, unsigned int errlen)
{
	const char *attack = NULL, *variant = NULL;

	memset(o, 0, sizeof(*o));
	o->side = side;
	o->attack = ATK_NR;
	o->vif = side == HOSTILE_BACK ? HOSTILE_DEFAULT_BACK_VIF : HOSTILE_DEFAULT_VIF;
	o->duration_ms = HOSTILE_DEFAULT_DURATION_MS;
	o->wait_ms = HOSTILE_DEFAULT_WAIT_MS;
	if (errlen)
		err[0] = '\0';

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			o->help = true;
			takes = false;
		} else if (!strcmp(a, "--list")) {
			o->list = true;
			takes = false;
		} else if (!strcmp(a, "--dry-run")) {
			o->dry_run = true;
			takes = false;
		} else if (!takes_value(side, a)) {
			FAIL("%s: unknown option (see --help)", a);
		} else if (!v) {
			FAIL("%s: missing value (see --help)", a);
		} else if (!strcmp(a, "--attack")) {
			attack = v;
		} else if (!strcmp(a, "--variant")) {
			variant = v;
		} else if (!strcmp(a, "--vif")) {
			if (parse_u32(v, 0xFFFF, &o->vif))
				FAIL("--vif %s: not a device id (a number 0..65535)", v);
		} else if (!strcmp(a, "--domid")) {
			/* 0x7FF0: first reserved domid (DOMID_FIRST_RESERVED). */
			if (parse_u32(v, 0x7FEF, &o->domid) || o->domid == 0)
				FAIL("--domid %s: not a guest domain id (1..32751; see 'xl list')", v);
			o->have_domid = true;
		} else if (!strcmp(a, "--duration")) {
			if (parse_seconds(v, &o->duration_ms))
				FAIL("--duration %s: not a number of seconds in 0..%u (e.g. 2 or 0.5)", v,
				     HOSTILE_MAX_MS / 1000);
		} else if (!strcmp(a, "--wait")) {
			if (parse_seconds(v, &o->wait_ms))
				FAIL("--wait %s: not a number of seconds in 0..%u (e.g. 5)", v,
				     HOSTILE_MAX_MS / 1000);
		} else if (!strcmp(a, "--count")) {
			if (parse_u32(v, HOSTILE_MAX_COUNT, &o->count))
				FAIL("--count %s: not a number in 0..%u", v, HOSTILE_MAX_COUNT);
		}
		if (takes)
			i++;
	}
	if (o->help || o->list)
		return 0;
	if (!attack)
		FAIL("no --attack given (--list shows them)");
	o->attack = hostile_attack_lookup(side, attack);
	if (o->attack == ATK_NR) {
		enum hostile_side other = side == HOSTILE_FRONT ? HOSTILE_BACK : HOSTILE_FRONT;

		if (hostile_attack_lookup(other, attack) != ATK_NR)
			FAIL("--attack %s: that attack is played by %s, not this tool", attack,
			     other == HOSTILE_FRONT ? "xvif-evil-front" : "xvif-evil-back");
		FAIL("--attack %s: unknown attack (--list shows them)", attack);
	}
	o->variant = hostile_variant_lookup(o->attack, variant);
	if (o->variant < 0)
		FAIL("--variant %s: not a variant of %s (--list shows them)", variant, attack);
	if (side == HOSTILE_BACK && !o->have_domid && !o->dry_run)
		FAIL("no --domid given: name the frontend's domain (see 'xl list')");
	return 0;
}

void hostile_usage(enum hostile_side side, const char *prog, FILE *f)
{
	fprintf(f, "usage: %s --attack NAME [--variant V] [--vif N]%s [--duration S] [--wait S]\n"
		   "       [--count N] [--dry-run] | --list | --help\n",
		prog, side == HOSTILE_BACK ? " --domid D" : "");
	fprintf(f, "  --vif N       device id of the vif (default %u)\n",
		side == HOSTILE_BACK ? HOSTILE_DEFAULT_BACK_VIF : HOSTILE_DEFAULT_VIF);
	if (side == HOSTILE_BACK)
		fprintf(f, "  --domid D     the frontend's domain\n");
	fprintf(f, "  --duration S  how long floods and races run (default %u s)\n"
		   "  --wait S      how long to wait for the peer's answer (default %u s)\n"
		   "  --count N     floods: number of writes or notifications (default: until --duration)\n"
		   "  --dry-run     print the attack plan as JSON and touch no Xen device\n"
		   "Prints one JSON line at the end: what was done and what the peer answered.\n",
		HOSTILE_DEFAULT_DURATION_MS / 1000, HOSTILE_DEFAULT_WAIT_MS / 1000);
	fprintf(f, "attacks:\n");
	for (unsigned int i = 0; i < ATK_NR; i++) {
		const struct hostile_attack_desc *d = hostile_attack_desc((enum hostile_attack)i);

		if (d->side != side)
			continue;
		fprintf(f, "  %-19s %s\n    variants:", d->name, d->what);
		for (int v = 0; v < hostile_variant_count((enum hostile_attack)i); v++)
			fprintf(f, " %s%s", d->variants[v], v == 0 ? " (default)" : "");
		fprintf(f, "\n");
	}
}
