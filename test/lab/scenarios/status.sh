# status: `xvif-netback status` (and `status --json`) with a guest running
# lists the guest's vif by its interface name. Both outputs are kept in
# out/status.txt and out/status.json (the demo shows them).
# xvif backend only.
# lab-timeout: 120
lab_need_backend xvif
lab_need_guest
d=$LAB_DOMID
vif=$(lab_vif_ifname "$d" 0)
echo "+ xvif-netback status" >&2
timeout 20 xvif-netback status > "$LAB_OUT/status.txt" 2>&1; rc=$?
cat "$LAB_OUT/status.txt"
[ $rc = 0 ] || lab_fail "xvif-netback status failed (rc=$rc): $(head -n 3 "$LAB_OUT/status.txt" | tr '\n' ' ')"
grep -q "$vif" "$LAB_OUT/status.txt" || lab_fail "xvif-netback status does not list $vif"
echo "+ xvif-netback status --json" >&2
timeout 20 xvif-netback status --json > "$LAB_OUT/status.json" 2>"$LAB_OUT/status-json.err"; rc=$?
[ $rc = 0 ] || lab_fail "xvif-netback status --json failed (rc=$rc): $(head -n 3 "$LAB_OUT/status-json.err" | tr '\n' ' ')"
grep -q "$vif" "$LAB_OUT/status.json" || lab_fail "xvif-netback status --json does not list $vif"
lab_pass
