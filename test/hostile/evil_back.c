// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvif-evil-back: a hostile netback in dom0 user space. Creates its own vif
 * for a guest (backend/xvif-evil/, so no other backend serves it), answers
 * the guest's netfront with one kind of malice (--attack), tears the device
 * down, and prints one JSON line: what it did and what the frontend did.
 * See test/hostile/README.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "back_attacks.h"

int main(int argc, char **argv)
{
	struct hostile_opts o;
	struct evil_back b;
	struct report rep;
	struct eb_serve k;
	char err[200];
	int rc;

	if (hostile_parse_args(HOSTILE_BACK, argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "xvif-evil-back: %s\n", err);
		return EB_EXIT_USAGE;
	}
	if (o.help || o.list) {
		hostile_usage(HOSTILE_BACK, "xvif-evil-back", stdout);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	report_init(&rep, "xvif-evil-back", hostile_attack_desc(o.attack)->name,
		    hostile_attack_desc(o.attack)->variants[o.variant]);
	report_int(&rep, "vif", o.vif);
	report_int(&rep, "domid", o.domid);
	if (o.dry_run) {
		eb_serve_plan(o.attack, o.variant, &k);
		report_bool(&rep, "answer_tx", k.answer_tx);
		report_bool(&rep, "deliver_rx", k.deliver_rx);
		report_bool(&rep, "hold_rx", k.hold_rx);
		report_bool(&rep, "stale_check", k.stale_check);
		report_bool(&rep, "storm_events", k.storm_events);
		report_int(&rep, "tx_id_mode", k.tx_id);
		report_int(&rep, "rx_id_mode", k.rx_id);
		report_int(&rep, "corrupt_ring", k.corrupt_ring);
		report_int(&rep, "state_storm", k.state_storm);
		report_str(&rep, "outcome", "dry-run");
		report_emit(&rep);
		return 0;
	}
	if (eb_open(&b, o.domid, o.vif, &rep) || eb_create(&b) || eb_connect(&b, o.wait_ms)) {
		report_str(&rep, "outcome", "setup-failed");
		rc = EB_EXIT_SETUP;
	} else {
		rc = ba_run(&b, &o);
	}
	if (b.xs)
		eb_report_answer(&b);
	eb_close(&b, o.wait_ms);
	report_int(&rep, "exit", rc);
	report_emit(&rep);
	return rc;
}
