# destroy: `xl destroy` leaves nothing behind: no domain, no vif interface
# in dom0, no backend or frontend xenstore directory, and for xvif-netback
# the daemon still runs and logged no error line while tearing down.
# Metrics: destroy_s.
# lab-timeout: 200
lab_need_guest
d=$LAB_DOMID
e0=$(lab_daemon_errors)
t0=$(lab_now)
lab_run timeout 60 xl destroy "$LAB_GUEST" || lab_fail "xl destroy failed (rc=$?)"
lab_metric destroy_s "$(lab_since "$t0")"
lab_wait 30 "domain $d to disappear" sh -c "! xl domid $LAB_GUEST" || lab_fail "domain $LAB_GUEST still listed 30 s after xl destroy"
left() { ls /sys/class/net | grep -E "^x?vif$d\."; }
lab_wait 30 "dom0 vif interfaces of domain $d to disappear" sh -c "! ls /sys/class/net | grep -qE '^x?vif$d\\.'" ||
	lab_fail "interfaces left in dom0 after xl destroy: $(left | tr '\n' ' ')"
lab_wait 30 "backend/vif/$d to disappear" sh -c "! xenstore-exists /local/domain/0/backend/vif/$d" ||
	lab_fail "xenstore /local/domain/0/backend/vif/$d left after xl destroy: $(xenstore-ls -f /local/domain/0/backend/vif/$d 2>&1 | head -n 5 | tr '\n' ' ')"
xenstore-exists "/local/domain/$d" && lab_fail "xenstore /local/domain/$d left after xl destroy"
if [ "$LAB_BACKEND" = xvif ]; then
	lab_daemon_alive || lab_fail "xvif-netback is no longer running after xl destroy"
	e1=$(lab_daemon_errors)
	[ "$e0" = "$e1" ] || lab_fail "xvif-netback logged $((e1 - e0)) error line(s) during the destroy: $(grep '^err: ' "$LAB_DAEMON_LOG" | tail -n 3 | tr '\n' ' ')"
fi
lab_pass
