# netfront-revoke-fail: xvif-netfront, kernel backend pair. A backend that
# answers TX requests OKAY but keeps each TX grant mapped (xvif-evil-back
# never-release/answered): the frontend's revoke of the grant fails, and it
# must disable the device (grant and buffer leaked on purpose, XSA-396)
# instead of crashing or reusing the page. The hostile-backend checks of
# test/hostile/lab-lib.sh apply (guest alive, no BUG/Oops/WARNING, vif 0
# still passes traffic, the device is gone, a new vif 7 served honestly
# works); on top, the guest's kernel log must show that xvif-netfront
# disabled the device because the TX grant was still in use.
# lab-timeout: 300
lab_need_frontend xvif
. /xvif/test/hostile/lab-lib.sh 2>/dev/null ||
	lab_skip "test/hostile/lab-lib.sh is not in the dom0 image: run make -C test/hostile before the lab"
hostile_back_setup
# Device lifetime: the xenbus core holds one module reference per bound
# device; after the hostile vif is gone, the guest has the interfaces and
# references it had before.
before=$(lab_guest -t 20 'echo $(ls /sys/class/net | wc -l) $(cat /sys/module/xvif_netfront/refcnt)') ||
	lab_fail "guest: cannot read its interfaces and xvif_netfront's refcnt"
hostile_back_run never-release answered
same_as_before() {
	after=$(lab_guest -t 20 'echo $(ls /sys/class/net | wc -l) $(cat /sys/module/xvif_netfront/refcnt)') &&
		[ "$after" = "$before" ]
}
lab_wait 30 "the guest to drop the hostile vif" same_as_before
lab_log "guest interfaces and xvif_netfront refcnt: before '$before', after '$after'"
[ "$after" = "$before" ] || lab_fail "the hostile vif left something behind in the guest: interfaces/refcnt '$before' before, '$after' after"
held=$(hostile_field "$(head -n1 "$LAB_OUT/hostile/$LAB_SCN.jsonl")" held)
lab_metric tx_grants_held "${held:-0}"
[ "${held:-0}" -ge 1 ] || lab_fail "the frontend sent no TX packet whose grant the backend could hold"
lab_wait 10 "the guest log line about the failed revoke" \
	grep -q 'violated the protocol (TX grant still in use after its response)' "$LAB_GUEST_LOG" ||
	lab_fail "the guest's kernel log does not say xvif-netfront disabled the device for a TX grant still in use"
grep 'violated the protocol' "$LAB_GUEST_LOG" | tail -n 3
hostile_back_finish
