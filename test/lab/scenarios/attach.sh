# attach: `xl network-attach` of a second vif (devid 1, bridge xenbr1), ping
# both ways and TCP on it, `xl network-list` shows it Connected (4), then
# `xl network-detach`: the interface disappears in dom0 and in the guest, and
# its backend directory from xenstore.
# Metrics: attach_s (xl network-attach), attach_to_ping_s (attach start to
# first ping reply), attach_tcp_to_guest_mbps, detach_s.
# lab-timeout: 240
lab_need_guest
d=$LAB_DOMID
t0=$(lab_now)
lab_network_attach 1 || lab_fail "xl network-attach failed (rc=$?)"
lab_metric attach_s "$(lab_since "$t0")"
lab_wait 60 "ping reply from 10.0.1.2" ping -c1 -W1 10.0.1.2 || lab_fail "no ping reply from the guest on the new vif (10.0.1.2) within 60 s"
lab_metric attach_to_ping_s "$(lab_since "$t0")"
vif=$(lab_vif_ifname "$d" 1)
lab_check "dom0 has no interface $vif for the new vif" test -e "/sys/class/net/$vif"
lab_guest 'ping -c 3 -i 0.2 10.0.1.1' || lab_fail "ping guest -> dom0 on the new vif (10.0.1.1) failed"
mbps=$(lab_iperf_mbps -c 10.0.1.2 -t 3) || lab_fail "iperf3 TCP over the new vif did not complete"
lab_metric attach_tcp_to_guest_mbps "$mbps"
lab_run xl network-list "$LAB_GUEST" > /tmp/netlist 2>&1; cat /tmp/netlist
st=$(awk '$1 == "1" {print $5}' /tmp/netlist)
[ "$st" = 4 ] || lab_fail "xl network-list: vif 1 is in state '$st', not 4 (Connected)"

guest_has_devid1() { lab_guest -t 10 'for l in /sys/class/net/*/device; do readlink $l; done | grep -q "/vif-1$"'; }
guest_has_devid1 || lab_fail "guest: no interface bound to vif-1 before the detach"
t0=$(lab_now)
lab_run timeout 60 xl network-detach "$LAB_GUEST" 1 || lab_fail "xl network-detach failed (rc=$?)"
lab_metric detach_s "$(lab_since "$t0")"
lab_wait 30 "$vif to disappear" sh -c "! test -e /sys/class/net/$vif" || lab_fail "dom0 interface $vif still exists 30 s after the detach"
lab_wait 30 "backend/vif/$d/1 to disappear" sh -c "! xenstore-exists /local/domain/0/backend/vif/$d/1" ||
	lab_fail "xenstore /local/domain/0/backend/vif/$d/1 still exists 30 s after the detach"
gone() { guest_has_devid1; [ $? = 1 ]; }
lab_wait 30 "the guest's vif-1 interface to disappear" gone || lab_fail "guest still has an interface bound to vif-1 30 s after the detach"
lab_guest 'ping -c 2 -i 0.2 10.0.0.1' || lab_fail "vif 0 stopped working after the detach of vif 1"
lab_pass
