# restart-destroy: kill -9 the daemon while the guest is being destroyed
# (`xl destroy` started; killed as soon as the toolstack sets online=0 or
# Closing), start it again while the destroy goes on. The destroy must
# complete, and afterwards no interface, TAP record, gntdev mapping, TAP
# fd or worker process of that guest is left. Then a new guest like it (one
# vif, as many vCPUs) comes up and passes traffic both ways, and the daemon
# and its workers hold exactly the fds, TAP fds, gntdev mappings and worker
# processes the first daemon held for the first guest.
# Metrics: destroy_s, restart_s (kill to the new daemon's socket),
# state_at_kill, dir_at_restart (1: the backend dir still existed when the
# new daemon started). No gap figure: the only guest is being destroyed.
# lab-timeout: 360
lab_need_backend xvif
. /lab/scenarios/lib/restart.sh
lab_need_guest
d=$LAB_DOMID
# The comparison at the end wants the guest lab_need_guest makes (vif 0
# only), with the vCPU count (queues) it has now.
vcpus=$(xl list "$LAB_GUEST" | awk 'NR==2{print $4}')
if [ "$(xenstore-list "/local/domain/0/backend/vif/$d" | wc -l)" != 1 ]; then
	lab_guest_down
	lab_need_guest "$vcpus"
	d=$LAB_DOMID
fi
r0=$(rs_res "$(lab_daemon_pid)"); echo "daemon with the guest: $r0"
be=/local/domain/0/backend/vif/$d/0
t0=$(lab_now)
lab_run timeout 120 xl destroy "$LAB_GUEST" > /tmp/rs-destroy.log 2>&1 &
xp=$!
lab_wait 60 "the toolstack to take vif $d/0 down" sh -c "[ \"\$(xenstore-read $be/online)\" = 0 ] || [ \"\$(xenstore-read $be/state)\" = 5 ] || ! xenstore-exists $be" ||
	lab_fail "xl destroy never touched $be"
st=$(xenstore-read "$be/state" 2>/dev/null)
t1=$(lab_now)
rs_kill9 || lab_fail "could not kill -9 the daemon"
lab_metric state_at_kill "${st:-0}"
xenstore-exists "$be" && lab_metric dir_at_restart 1 || lab_metric dir_at_restart 0
rs_start || lab_fail "the new daemon did not come up"
lab_metric restart_s "$(lab_since "$t1")"
wait $xp; rc=$?
cat /tmp/rs-destroy.log
lab_metric destroy_s "$(lab_since "$t0")"
[ $rc = 0 ] || lab_fail "xl destroy failed (rc=$rc) across the restart"
lab_wait 30 "domain $d to disappear" sh -c "! xl domid $LAB_GUEST" || lab_fail "domain still there after xl destroy"
lab_wait 30 "$be to disappear" sh -c "! xenstore-exists $be" || lab_fail "$be still exists after the destroy"
lab_wait 30 "xvif$d.0 to disappear" sh -c "! test -e /sys/class/net/xvif$d.0" || lab_fail "orphan interface xvif$d.0 after the destroy"
lab_wait 10 "its TAP record to disappear" sh -c "! test -e $RS_VIFDIR/$d.0" || lab_fail "orphan record $RS_VIFDIR/$d.0"
o=$(rs_no_orphans) || lab_fail "$o"
r=$(rs_res "$(lab_daemon_pid)"); echo "daemon with no vif: $r"
[ "$(rs_field "$r" gntdev)" = 0 ] || lab_fail "daemon still maps grants with no vif: $r"
[ "$(rs_field "$r" tun)" = 0 ] || lab_fail "daemon still holds TAP fds with no vif: $r"
[ "$(rs_field "$r" workers)" = 0 ] || lab_fail "daemon still has worker processes with no vif: $r"
o=$(rs_stale_workers); [ -z "$o" ] || lab_fail "worker process(es) of the old daemon still run: $o"
lab_need_guest "$vcpus"
rs_ping_all 1 || lab_fail "a new guest does not pass traffic after the restart"
lab_check "guest -> dom0 ping on the new guest" lab_guest 'ping -c 2 -W 2 10.0.0.1'
r1=$(rs_res "$(lab_daemon_pid)"); echo "daemon with the new guest: $r1"
o=$(rs_same_res "$r0" "$r1") || lab_fail "with a guest like the first, the daemon holds$o"
lab_pass "destroy completed across kill -9; nothing of the guest left"
