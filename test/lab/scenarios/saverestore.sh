# saverestore: `xl save` the guest, then `xl restore` it; the frontend
# reconnects to the backend and traffic resumes (ping both ways, TCP).
# The old domain's vif interface must be gone after the save.
# Metrics: save_s, restore_s, restore_to_ping_s, after_restore_tcp_to_guest_mbps.
# lab-timeout: 400
lab_need_guest
d0=$LAB_DOMID
f=/tmp/lab-guest.save
t0=$(lab_now)
lab_run timeout 240 xl save "$LAB_GUEST" "$f" || { rm -f "$f"; lab_fail "xl save failed (rc=$?)"; }
lab_metric save_s "$(lab_since "$t0")"
lab_domid >/dev/null && lab_fail "domain $LAB_GUEST still exists after xl save"
vif0=$(lab_vif_ifname "$d0" 0)
lab_wait 30 "$vif0 to disappear" sh -c "! test -e /sys/class/net/$vif0" || lab_fail "dom0 interface $vif0 of the saved domain still exists 30 s after xl save"
ls -l "$f"
t0=$(lab_now)
lab_run timeout 240 xl restore "$f"; rc=$?
rm -f "$f"
[ $rc = 0 ] || { echo "scenario saverestore: xl restore failed" > "$LAB_STATE/guest-failed"; lab_fail "xl restore failed (rc=$rc)"; }
lab_metric restore_s "$(lab_since "$t0")"
d1=$(lab_domid) || lab_fail "no domain $LAB_GUEST after xl restore"
lab_wait 90 "ping reply from 10.0.0.2 after restore" ping -c1 -W1 10.0.0.2 ||
	lab_fail "no ping reply from the restored guest (domid $d1) within 90 s: traffic did not resume"
lab_metric restore_to_ping_s "$(lab_since "$t0")"
lab_check "dom0 has no interface $(lab_vif_ifname "$d1" 0) for the restored guest" test -e "/sys/class/net/$(lab_vif_ifname "$d1" 0)"
lab_wait 30 "the guest's command channel" lab_guest_alive || lab_fail "the restored guest's command channel does not answer"
lab_guest 'ping -c 3 -i 0.2 10.0.0.1' || lab_fail "ping guest -> dom0 after restore failed"
mbps=$(lab_iperf_mbps -c 10.0.0.2 -t 3) || lab_fail "iperf3 TCP after restore did not complete"
lab_metric after_restore_tcp_to_guest_mbps "$mbps"
lab_pass "domid $d0 -> $d1"
