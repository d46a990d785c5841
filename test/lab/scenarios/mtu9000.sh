# mtu9000: a vif attached with mtu=9000 (devid 9, bridge xenbr9) carries
# 9000-byte IP packets both ways without fragmentation (the Ip FragCreates
# counters of dom0 and the guest do not move). MTUs that the toolstack or
# drivers did not set are set by hand and said in the log; what matters is
# that the pair carries jumbo frames.
# Metrics: mtu_dom0_after_hotplug, mtu_guest_initial, ping_9000_avg_ms.
# lab-timeout: 240
lab_need_guest
d=$LAB_DOMID
lab_network_attach 9 mtu=9000 || lab_fail "xl network-attach mtu=9000 failed (rc=$?)"
lab_wait 60 "ping reply from 10.0.9.2" ping -c1 -W1 10.0.9.2 || lab_fail "no ping reply on the mtu=9000 vif (10.0.9.2) within 60 s"
vif=$(lab_vif_ifname "$d" 9)
m=$(cat "/sys/class/net/$vif/mtu")
lab_metric mtu_dom0_after_hotplug "$m"
[ "$m" = 9000 ] || { lab_log "dom0 $vif has mtu $m after hotplug: setting 9000"; lab_check "dom0: cannot set mtu 9000 on $vif" $IP link set "$vif" mtu 9000; }
lab_check "dom0: cannot set mtu 9000 on xenbr9" $IP link set xenbr9 mtu 9000
eth=$(lab_guest 'for n in /sys/class/net/eth*; do readlink $n/device | grep -q "/vif-9$" && echo ${n##*/}; done' | head -n1)
[ -n "$eth" ] || lab_fail "guest: no interface bound to vif-9"
gm=$(lab_guest "cat /sys/class/net/$eth/mtu")
lab_metric mtu_guest_initial "$gm"
if [ "$gm" != 9000 ]; then
	lab_log "guest $eth has mtu $gm: setting 9000"
	lab_guest "/usr/sbin/ip link set $eth mtu 9000" || lab_fail "guest: cannot set mtu 9000 on $eth (driver refuses jumbo frames)"
fi
frag='awk '"'"'/^Ip:/{ if (!h) { for (i = 1; i <= NF; i++) k[i] = $i; h = 1 } else for (i = 1; i <= NF; i++) if (k[i] == "FragCreates") print $i }'"'"' /proc/net/snmp'
f0=$(eval "$frag"); g0=$(lab_guest "$frag")
avg=$(lab_ping_avg -c 5 -i 0.2 -s 8972 10.0.9.2) || lab_fail "dom0 -> guest 9000-byte ping (10.0.9.2 -s 8972) failed"
lab_metric ping_9000_avg_ms "$avg"
lab_guest 'ping -c 5 -i 0.2 -s 8972 10.0.9.1' || lab_fail "guest -> dom0 9000-byte ping (10.0.9.1 -s 8972) failed"
f1=$(eval "$frag"); g1=$(lab_guest "$frag")
echo "FragCreates dom0 $f0 -> $f1, guest $g0 -> $g1"
[ "$f0" = "$f1" ] || lab_fail "dom0 fragmented the 9000-byte packets (FragCreates $f0 -> $f1)"
[ "$g0" = "$g1" ] || lab_fail "the guest fragmented the 9000-byte packets (FragCreates $g0 -> $g1)"
lab_run timeout 60 xl network-detach "$LAB_GUEST" 9 || lab_fail "xl network-detach of the mtu=9000 vif failed (rc=$?)"
lab_wait 30 "$vif to disappear" sh -c "! test -e /sys/class/net/$vif" || lab_fail "dom0 interface $vif still exists 30 s after the detach"
lab_pass "dom0 mtu after hotplug $m, guest initial mtu $gm"
