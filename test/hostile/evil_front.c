// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvif-evil-front: a hostile netfront in user space, for a lab guest.
 * Connects to the backend of one vif as a netfront would, then breaks one
 * rule of the protocol (--attack), and prints one JSON line: what it did
 * and what the backend answered. See test/hostile/README.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "front_attacks.h"

/* --dry-run: the plan, with stand-in grant refs 1..3, and no Xen. */
static void dry_run(const struct hostile_opts *o, struct report *rep)
{
	static const uint32_t gref[3] = { 1, 2, 3 };
	struct hostile_tx_plan p;

	if (hostile_tx_plan(o->attack, o->variant, gref, 3, 0, &p) == 0) {
		json_object *a = json_object_new_array();

		for (unsigned int i = 0; i < p.nr; i++) {
			json_object *s = json_object_new_object();

			json_object_object_add(s, "gref", json_object_new_int64(p.req[i].gref));
			json_object_object_add(s, "offset", json_object_new_int(p.req[i].offset));
			json_object_object_add(s, "flags", json_object_new_int(p.req[i].flags));
			json_object_object_add(s, "id", json_object_new_int(p.req[i].id));
			json_object_object_add(s, "size", json_object_new_int(p.req[i].size));
			json_object_array_add(a, s);
		}
		report_str(rep, "plan", p.desc);
		report_obj(rep, "slots", a);
		report_str(rep, "expect_reason", xvif_tx_reason_name(p.expect_reason));
	} else if (o->attack == ATK_CTRL_GARBAGE) {
		struct hostile_ctrl_step s[HOSTILE_CTRL_MAX];
		unsigned int n = hostile_ctrl_plan(gref[0], s, HOSTILE_CTRL_MAX);
		json_object *a = json_object_new_array();

		for (unsigned int i = 0; i < n; i++)
			json_object_array_add(a, json_object_new_string(s[i].desc));
		report_obj(rep, "ctrl", a);
	} else if (o->attack == ATK_XS_GARBAGE) {
		struct hostile_xs_legit l = { 1, 2, 3 };
		struct hostile_xs_op ops[HOSTILE_XS_OPS_MAX];
		enum hostile_xs_expect ex;
		unsigned int n = hostile_xs_plan(o->variant, &l, ops, HOSTILE_XS_OPS_MAX, &ex);
		json_object *a = json_object_new_array();

		for (unsigned int i = 0; i < n; i++) {
			json_object *op = json_object_new_object();

			json_object_object_add(op, "key", json_object_new_string(ops[i].key));
			json_object_object_add(op, "value", ops[i].value ? json_object_new_string(ops[i].value) : NULL);
			json_object_array_add(a, op);
		}
		report_obj(rep, "xs_ops", a);
		report_str(rep, "expect", ex == HOSTILE_XS_ACCEPT ? "connect" : "refuse");
	}
	report_str(rep, "outcome", "dry-run");
}

int main(int argc, char **argv)
{
	struct hostile_opts o;
	struct evil_front f;
	struct report rep;
	char err[200];
	int rc;

	if (hostile_parse_args(HOSTILE_FRONT, argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "xvif-evil-front: %s\n", err);
		return EF_EXIT_USAGE;
	}
	if (o.help || o.list) {
		hostile_usage(HOSTILE_FRONT, "xvif-evil-front", stdout);
		return 0;
	}
	/* A backend that closes our event channel must not kill us by SIGPIPE
	 * on the xenstore socket: we want to report. */
	signal(SIGPIPE, SIG_IGN);
	report_init(&rep, "xvif-evil-front", hostile_attack_desc(o.attack)->name,
		    hostile_attack_desc(o.attack)->variants[o.variant]);
	report_int(&rep, "vif", o.vif);
	if (o.dry_run) {
		dry_run(&o, &rep);
		report_emit(&rep);
		return 0;
	}
	if (ef_open(&f, o.vif, &rep) || ef_await_initwait(&f, o.wait_ms)) {
		report_str(&rep, "outcome", "setup-failed");
		rc = EF_EXIT_SETUP;
	} else {
		rc = fa_run(&f, &o);
	}
	if (f.xs) {
		ef_report_answer(&f);
		ef_close(&f, o.wait_ms);
	}
	if (rc == EF_EXIT_SETUP && !json_object_object_get_ex(rep.root, "outcome", NULL))
		report_str(&rep, "outcome", "setup-failed");
	report_int(&rep, "exit", rc);
	report_emit(&rep);
	return rc;
}
