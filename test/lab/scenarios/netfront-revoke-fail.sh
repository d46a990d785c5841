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
hostile_back_run never-release answered
held=$(hostile_field "$(head -n1 "$LAB_OUT/hostile/$LAB_SCN.jsonl")" held)
lab_metric tx_grants_held "${held:-0}"
[ "${held:-0}" -ge 1 ] || lab_fail "the frontend sent no TX packet whose grant the backend could hold"
lab_wait 10 "the guest log line about the failed revoke" \
	grep -q 'violated the protocol (TX grant still in use after its response)' "$LAB_GUEST_LOG" ||
	lab_fail "the guest's kernel log does not say xvif-netfront disabled the device for a TX grant still in use"
grep 'violated the protocol' "$LAB_GUEST_LOG" | tail -n 3
hostile_back_finish
