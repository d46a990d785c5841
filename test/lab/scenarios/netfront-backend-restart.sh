# netfront-backend-restart: xvif-netfront with the kernel backend. The
# backend goes away and comes back: dom0 unbinds vif-D-0 from xen-netback
# and binds it again. xen-netback allows rebinding (allow_rebind): its
# state node may stay Connected across the unbind, and the rebound backend
# picks up the frontend's rings (seen in the lab: state stayed 4); a backend
# that closes instead makes the frontend go Closed, then Initialising and
# Connected again. Either way the frontend must end Connected without a
# guest reboot or module reload, with traffic flowing. dom0 plays the
# hotplug script's part for the new vifD.0 (bridge port,
# hotplug-status=connected), as libxl only runs it at device creation.
# Metrics: backend_restart_to_ping_s.
# lab-timeout: 240
lab_need_frontend xvif
lab_need_backend kernel
lab_need_guest
d=$LAB_DOMID
fe=/local/domain/$d/device/vif/0
be=/local/domain/0/backend/vif/$d/0
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
lab_check "guest -> dom0 ping after the backend came back" lab_guest 'ping -c 3 -W 2 10.0.0.1'
klog=$(lab_guest 'dmesg | tail -n 30') || lab_fail "no guest kernel log"
echo "$klog"
echo "$klog" | grep -qE 'BUG|WARNING|Oops' && lab_fail "guest kernel log has a BUG/WARNING/Oops"
lab_pass "reconnected after the backend went away and came back"
