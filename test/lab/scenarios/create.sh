# create: `xl create` of a 1-vcpu guest with one vif, then ping both ways
# over IPv4 and IPv6. Checks the pair really is the one named: dom0's
# interface and module, the guest's driver.
# Metrics: create_s, create_to_ping_s, ping_avg_ms (dom0 -> guest, IPv4),
# ping6_avg_ms.
# lab-timeout: 300
lab_guest_down
lab_need_guest 1
d=$LAB_DOMID
lab_metric create_s "$LAB_CREATE_S"
lab_metric create_to_ping_s "$LAB_FIRST_PING_S"
vif=$(lab_vif_ifname "$d" 0)
lab_check "dom0 has no interface $vif for the guest's vif" test -e "/sys/class/net/$vif"
if [ "$LAB_BACKEND" = xvif ]; then
	lab_check "kernel xen-netback is loaded in an xvif-netback pair" sh -c '! grep -q "^xen_netback " /proc/modules'
	lab_check "xvif-netback is not running" lab_daemon_alive
else
	lab_check "kernel xen-netback is not loaded" grep -q '^xen_netback ' /proc/modules
fi
mods=$(lab_guest 'cat /proc/modules')
echo "$mods"
if [ "$LAB_FRONTEND" = xvif ]; then
	echo "$mods" | grep -q '^xvif_netfront ' || lab_fail "guest: xvif_netfront is not loaded"
	echo "$mods" | grep -q '^xen_netfront ' && lab_fail "guest: stock xen_netfront is loaded in an xvif-netfront pair"
else
	echo "$mods" | grep -q '^xen_netfront ' || lab_fail "guest: xen_netfront is not loaded"
fi
avg=$(lab_ping_avg -c 10 -i 0.2 10.0.0.2) || lab_fail "ping dom0 -> guest 10.0.0.2 failed"
lab_metric ping_avg_ms "$avg"
lab_wait 20 "IPv6 reply from fd00::2" ping6 -c1 -W1 fd00::2 || lab_fail "no IPv6 ping reply dom0 -> guest fd00::2 within 20 s"
avg6=$(lab_ping_avg -6 -c 5 -i 0.2 fd00::2) || lab_fail "ping6 dom0 -> guest fd00::2 failed"
lab_metric ping6_avg_ms "$avg6"
lab_guest 'ping -c 5 -i 0.2 10.0.0.1' || lab_fail "ping guest -> dom0 10.0.0.1 failed"
lab_guest 'ping6 -c 5 -i 0.2 fd00::1' || lab_fail "ping6 guest -> dom0 fd00::1 failed"
lab_pass
