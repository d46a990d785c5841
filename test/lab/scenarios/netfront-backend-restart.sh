# netfront-backend-restart: xvif-netfront; the backend goes away and comes
# back, and the frontend must end Connected, without a guest reboot or
# module reload, with traffic flowing both ways and no BUG/WARNING/Oops in
# the guest's kernel log.
#
# Kernel backend: dom0 unbinds vif-D-0 from xen-netback and binds it again.
# xen-netback allows rebinding (allow_rebind): its state node may stay
# Connected across the unbind, and the rebound backend picks up the
# frontend's rings (seen in the lab: state stayed 4); a backend that closes
# instead makes the frontend go Closed, then Initialising and Connected
# again. dom0 plays the hotplug script's part for the new vifD.0 (bridge
# port, hotplug-status=connected), as libxl only runs it at device creation.
#
# xvif backend: the xvif-netback daemon is killed (SIGKILL, then in a second
# round SIGTERM) and started again. The new daemon either re-attaches the
# Connected vif or closes it (Connected -> Closed with online=1), and then
# the frontend offers a new connection (Initialising) which the daemon
# serves. The restarted daemon's pid goes to the lab's daemon.pid, which
# the lab's init follows.
# Metrics: backend_restart_to_ping_s (kernel), daemon_kill_to_ping_s,
# daemon_term_to_ping_s (xvif).
# lab-timeout: 240
lab_need_frontend xvif
lab_need_guest
d=$LAB_DOMID
fe=/local/domain/$d/device/vif/0
be=/local/domain/0/backend/vif/$d/0

after_checks() {
	lab_check "guest -> dom0 ping after the backend came back" lab_guest 'ping -c 3 -W 2 10.0.0.1'
	klog=$(lab_guest 'dmesg | tail -n 30') || lab_fail "no guest kernel log"
	echo "$klog"
	echo "$klog" | grep -qE 'BUG|WARNING|Oops' && lab_fail "guest kernel log has a BUG/WARNING/Oops"
}

# restart_daemon SIG METRIC: kill xvif-netback with SIG, start a new one.
restart_daemon() {
	local sig=$1 metric=$2 old new t0
	old=$(lab_daemon_pid)
	lab_daemon_alive || lab_fail "xvif-netback is not running before the restart"
	echo "before: frontend state $(xenstore-read $fe/state), backend state $(xenstore-read $be/state), daemon pid $old"
	t0=$(lab_now)
	lab_run kill "-$sig" "$old" || lab_fail "could not kill -$sig xvif-netback ($old)"
	lab_wait 15 "xvif-netback ($old) to exit after SIG$sig" sh -c "! kill -0 $old 2>/dev/null" ||
		lab_fail "xvif-netback did not exit after SIG$sig"
	lab_log "xvif-netback killed with SIG$sig: frontend state $(xenstore-read $fe/state), backend state $(xenstore-read $be/state)"
	setsid /usr/sbin/xvif-netback run --log-level debug >> "$LAB_DAEMON_LOG" 2>&1 < /dev/null &
	new=$!
	echo "$new" > "$LAB_STATE/daemon.pid"
	lab_wait 10 "the new xvif-netback to start" lab_daemon_alive || lab_fail "the restarted xvif-netback exited: $(tail -n 5 "$LAB_DAEMON_LOG" | tr '\n' ' ')"
	lab_wait 60 "frontend and backend state 4 (Connected) again" \
		sh -c "[ \"\$(xenstore-read $fe/state)\" = 4 ] && [ \"\$(xenstore-read $be/state)\" = 4 ]" ||
		lab_fail "SIG$sig: no reconnect: frontend state $(xenstore-read $fe/state), backend state $(xenstore-read $be/state)"
	lab_wait 60 "ping reply from the guest after the daemon came back (SIG$sig)" ping -c 1 -W 2 10.0.0.2 ||
		lab_fail "SIG$sig: no ping to the guest after xvif-netback came back"
	lab_metric "$metric" "$(lab_since "$t0")"
	lab_log "SIG$sig: daemon $old -> $new, frontend Connected, traffic after $(lab_since "$t0") s"
	after_checks
}

if [ "$LAB_BACKEND" = xvif ]; then
	restart_daemon KILL daemon_kill_to_ping_s
	restart_daemon TERM daemon_term_to_ping_s
	lab_pass "reconnected after xvif-netback was killed (SIGKILL, SIGTERM) and started again"
fi
sysdev=/sys/bus/xen-backend/devices/vif-$d-0
drv=/sys/bus/xen-backend/drivers/vif
[ -e "$sysdev" ] || lab_fail "no $sysdev in dom0"
echo "before: frontend state $(xenstore-read $fe/state), backend state $(xenstore-read $be/state)"

t0=$(lab_now)
lab_run sh -c "echo vif-$d-0 > $drv/unbind" || lab_fail "could not unbind vif-$d-0 from xen-netback"
if lab_wait 10 "frontend state 6 (Closed) after the backend went away" \
	sh -c "[ \"\$(xenstore-read $fe/state)\" = 6 ]"; then
	lab_log "backend closed on unbind: the frontend closed too"
else
	lab_log "backend state $(xenstore-read $be/state) after unbind (rebind-capable backend); frontend state $(xenstore-read $fe/state)"
fi
lab_run sh -c "echo vif-$d-0 > $drv/bind" || lab_fail "could not bind vif-$d-0 to xen-netback again"
vif=$(lab_vif_ifname "$d" 0)
lab_wait 30 "dom0 interface $vif to come back" test -e "/sys/class/net/$vif" || lab_fail "no $vif after the rebind"
$IP link set "$vif" master xenbr0 && $IP link set "$vif" up || lab_fail "could not put $vif back on xenbr0"
xenstore-write "$be/hotplug-status" connected
lab_wait 60 "frontend state 4 (Connected) again" \
	sh -c "[ \"\$(xenstore-read $fe/state)\" = 4 ] && [ \"\$(xenstore-read $be/state)\" = 4 ]" ||
	lab_fail "no reconnect: frontend state $(xenstore-read $fe/state), backend state $(xenstore-read $be/state)"
lab_wait 60 "ping reply from the guest after the backend came back" ping -c 1 -W 2 10.0.0.2 ||
	lab_fail "no ping to the guest after the backend came back"
lab_metric backend_restart_to_ping_s "$(lab_since "$t0")"
after_checks
lab_pass "reconnected after the backend went away and came back"
