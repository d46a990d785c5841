# restart-attach: kill -9 the daemon while `xl network-attach` runs, start
# it again, and the attach must complete: the new daemon carries on with
# the handshake where the old one stopped (libxl may be waiting for InitWait
# or the hotplug script). Two kill points: (1) as soon as the backend
# directory of devid 1 appears, (2) as soon as its backend state reads
# InitWait (2) for devid 2. Each ends with the vif Connected (4/4), pinging
# both ways; vif 0 pinging throughout; then both detach cleanly: no orphan
# interface or record, no worker of an old daemon, and the daemon and its
# workers hold the fds, TAP fds, gntdev mappings and worker processes they
# held before.
# Metrics: attach1_s, attach2_s (xl network-attach duration incl. restart),
# state_at_kill1/2 (backend state when killed), gap1_ms/gap2_ms (vif 0's
# longest run of lost 50 ms pings across each restart).
# lab-timeout: 420
lab_need_backend xvif
. /lab/scenarios/lib/restart.sh
lab_need_guest
d=$LAB_DOMID
r0=$(rs_res "$(lab_daemon_pid)"); echo "daemon before: $r0"

attach_with_kill() {
	local n=$1 cond=$2 be="/local/domain/0/backend/vif/$d/$1" t0 xp rc st gp gap
	lab_bridge "$n" || lab_fail "could not make xenbr$n"
	gp=$(rs_gap_start 0 "/tmp/rs-gap$n.txt")
	t0=$(lab_now)
	lab_network_attach "$n" > "/tmp/rs-attach$n.log" 2>&1 &
	xp=$!
	case $cond in
	dir) lab_wait 60 "backend dir of devid $n" xenstore-exists "$be" || lab_fail "no $be 60 s into xl network-attach";;
	initwait) lab_wait 60 "backend state InitWait of devid $n" sh -c "[ \"\$(xenstore-read $be/state)\" = 2 ]" ||
		lab_fail "$be/state never read 2";;
	esac
	st=$(xenstore-read "$be/state" 2>/dev/null)
	rs_kill9 || lab_fail "could not kill -9 the daemon"
	lab_metric "state_at_kill$n" "${st:-0}"
	lab_log "killed the daemon with devid $n's backend in state ${st:-none}"
	sleep 1
	rs_start || lab_fail "the new daemon did not come up"
	wait $xp; rc=$?
	cat "/tmp/rs-attach$n.log"
	[ $rc = 0 ] || lab_fail "xl network-attach of devid $n failed (rc=$rc) across the restart"
	lab_metric "attach${n}_s" "$(lab_since "$t0")"
	lab_wait 60 "vif $n Connected" sh -c "[ \"\$(xenstore-read /local/domain/$d/device/vif/$n/state) \$(xenstore-read $be/state)\" = '4 4' ]" ||
		lab_fail "vif $n not Connected after the restart: frontend $(xenstore-read /local/domain/$d/device/vif/$n/state), backend $(xenstore-read $be/state)"
	lab_wait 60 "ping reply from 10.0.$n.2" ping -c1 -W1 "10.0.$n.2" || lab_fail "no ping reply on vif $n after the restart"
	lab_check "guest -> dom0 ping on vif $n" lab_guest "ping -c 2 -W 2 10.0.$n.1"
	rs_ping_all 1 || lab_fail "vif 0 stopped passing traffic"
	gap=$(rs_gap_stop "$gp" "/tmp/rs-gap$n.txt") || lab_fail "the 50 ms ping on vif 0 across the restart: $gap"
	lab_metric "gap${n}_ms" "$gap"
	tail -n 2 "/tmp/rs-gap$n.txt"
}
attach_with_kill 1 dir
attach_with_kill 2 initwait
for n in 1 2; do
	lab_run timeout 60 xl network-detach "$LAB_GUEST" "$n" || lab_fail "xl network-detach $n failed"
	lab_wait 30 "xvif$d.$n to disappear" sh -c "! test -e /sys/class/net/xvif$d.$n" || lab_fail "xvif$d.$n still there after the detach"
done
o=$(rs_no_orphans) || lab_fail "$o"
o=$(rs_stale_workers); [ -z "$o" ] || lab_fail "worker process(es) of the old daemon still run: $o"
r1=$(rs_res "$(lab_daemon_pid)"); echo "daemon after: $r1"
o=$(rs_same_res "$r0" "$r1") || lab_fail "with vif 0 only again, the daemon holds$o"
rs_ping_all 1 || lab_fail "vif 0 after the detaches"
lab_check "guest -> dom0 ping on vif 0 after the detaches" lab_guest 'ping -c 2 -W 2 10.0.0.1'
lab_pass "network-attach completed across kill -9 at the backend dir and at InitWait"
