# netfront-untrusted: xvif-netfront with an untrusted backend (XSA-403),
# both ways of saying so:
#   vif 10: the toolstack's way, device/vif/10/trusted=0 in xenstore (dom0
#          writes it while the guest's xen bus autoprobe is off, then the
#          guest probes the device);
#   vif 11: the module parameter, /sys/module/xvif_netfront/parameters/trusted
#          set to 0 for the attach (back to 1 right after it connected).
# For each: ping both ways, iperf3 TCP both ways, then ethtool -S (the
# guest's nf-ethtool) must say untrusted 1 and show the bounce path used for
# every packet sent (tx_bounce >= tx_packets > 0), with no broken state and
# no leaked grant. vif 0 (trusted) must still say untrusted 0.
# Metrics: untrusted_xs_to_guest_mbps, untrusted_xs_from_guest_mbps,
# untrusted_param_to_guest_mbps, untrusted_param_from_guest_mbps,
# untrusted_xs_tx_bounce, untrusted_param_tx_bounce.
# lab-timeout: 300
lab_need_frontend xvif
lab_need_guest
d=$LAB_DOMID
tool=/xvif/build/netfront/nf-ethtool
param=/sys/module/xvif_netfront/parameters/trusted
lab_guest "test -x $tool" || lab_skip "$tool is not in the guest (make -C netfront lab-tools)"
lab_guest "test -w $param" || lab_fail "guest: no writable $param (xvif-netfront not loaded?)"

# A vif left by an earlier failed run of this scenario.
for n in 10 11; do
	xenstore-exists "/local/domain/$d/device/vif/$n" && lab_run timeout 60 xl network-detach "$LAB_GUEST" "$n"
done

# Guest interface name of vif devid $1 (the guest names them ethX).
guest_if() {
	lab_guest "for d in /sys/class/net/eth*; do case \$(readlink \$d/device) in */vif-$1) echo \${d##*/};; esac; done"
}

# nf-ethtool output of vif $1 into $out; val KEY reads a line of it.
out=
val() { echo "$out" | awk -v k="$1:" '$1 == k {print $2}'; }

# check_untrusted N HOW: traffic both ways on vif N, then the counters.
check_untrusted() {
	local n=$1 how=$2 ifn mbps
	lab_wait 60 "vif $n frontend Connected" \
		sh -c "[ \"\$(xenstore-read /local/domain/$d/device/vif/$n/state)\" = 4 ]" ||
		lab_fail "$how: vif $n did not connect (frontend state $(xenstore-read /local/domain/$d/device/vif/$n/state))"
	lab_wait 60 "ping 10.0.$n.2 ($how)" ping -c 1 -W 2 "10.0.$n.2" || lab_fail "$how: no ping dom0 -> guest on vif $n"
	lab_check "$how: guest -> dom0 ping on vif $n" lab_guest "ping -c 3 -W 2 10.0.$n.1"
	mbps=$(lab_iperf_mbps -c "10.0.$n.2" -t "$LAB_IPERF_S") || lab_fail "$how: iperf3 dom0 -> guest on vif $n failed"
	lab_metric "untrusted_${how}_to_guest_mbps" "$mbps"
	mbps=$(lab_iperf_mbps -c "10.0.$n.2" -t "$LAB_IPERF_S" -R) || lab_fail "$how: iperf3 guest -> dom0 on vif $n failed"
	lab_metric "untrusted_${how}_from_guest_mbps" "$mbps"
	ifn=$(guest_if "$n")
	[ -n "$ifn" ] || lab_fail "$how: no guest interface for vif $n"
	out=$(lab_guest "$tool $ifn") || lab_fail "$how: nf-ethtool $ifn failed: $out"
	echo "$out"
	[ "$(val untrusted)" = 1 ] || lab_fail "$how: ethtool -S $ifn: untrusted is '$(val untrusted)', not 1"
	[ "$(val tx_packets)" -gt 0 ] 2>/dev/null || lab_fail "$how: ethtool -S $ifn: tx_packets did not move"
	[ "$(val tx_bounce)" -ge "$(val tx_packets)" ] 2>/dev/null ||
		lab_fail "$how: ethtool -S $ifn: tx_bounce $(val tx_bounce) < tx_packets $(val tx_packets): not every packet went through the bounce path"
	[ "$(val is_broken)" = 0 ] || lab_fail "$how: ethtool -S $ifn: the device is marked broken"
	[ "$(val grant_leaked)" = 0 ] || lab_fail "$how: ethtool -S $ifn: grants leaked with an honest backend"
	lab_metric "untrusted_${how}_tx_bounce" "$(val tx_bounce)"
	lab_log "$how: vif $n ($ifn): tx_packets $(val tx_packets), tx_bounce $(val tx_bounce), rx_packets $(val rx_packets)"
	lab_run timeout 60 xl network-detach "$LAB_GUEST" "$n" || lab_fail "$how: xl network-detach of vif $n failed"
	lab_wait 30 "vif $n frontend directory gone" sh -c "! xenstore-exists /local/domain/$d/device/vif/$n" ||
		lab_fail "$how: device/vif/$n still there after the detach"
}

# ---- vif 10: xenstore trusted=0 ----
lab_guest -t 20 'echo 0 > /sys/bus/xen/drivers_autoprobe' || lab_fail "guest: cannot turn off xen bus autoprobe"
lab_network_attach 10; rc=$?
if [ $rc = 0 ]; then
	lab_run xenstore-write "/local/domain/$d/device/vif/10/trusted" 0; rc=$?
fi
lab_guest -t 20 'echo 1 > /sys/bus/xen/drivers_autoprobe'
[ $rc = 0 ] || lab_fail "xenstore path: attaching vif 10 or writing device/vif/10/trusted=0 failed (rc=$rc)"
lab_check "guest: probe vif-10" lab_guest -t 20 'echo vif-10 > /sys/bus/xen/drivers_probe'
check_untrusted 10 xs

# ---- vif 11: module parameter trusted=0 ----
lab_check "guest: set trusted=0" lab_guest -t 20 "echo 0 > $param"
lab_network_attach 11; rc=$?
# The frontend reads the parameter when it connects: restore it once vif 11
# is Connected (or at once if the attach failed).
[ $rc = 0 ] && lab_wait 60 "vif 11 frontend Connected" \
	sh -c "[ \"\$(xenstore-read /local/domain/$d/device/vif/11/state)\" = 4 ]"
lab_guest -t 20 "echo 1 > $param" || lab_fail "guest: could not set trusted back to 1"
[ $rc = 0 ] || lab_fail "parameter path: xl network-attach of vif 11 failed (rc=$rc)"
check_untrusted 11 param

# vif 0 connected before any of this: trusted.
out=$(lab_guest "$tool eth0") || lab_fail "nf-ethtool eth0 failed: $out"
[ "$(val untrusted)" = 0 ] || lab_fail "ethtool -S eth0: untrusted is '$(val untrusted)' on the trusted vif 0"
klog=$(lab_guest 'dmesg | grep -E "BUG|WARNING|Oops|untrusted"') ; echo "$klog"
echo "$klog" | grep -qE 'BUG|WARNING|Oops' && lab_fail "guest kernel log has a BUG/WARNING/Oops"
lab_pass "traffic both ways with trusted=0 from xenstore (vif 10) and from the module parameter (vif 11); every TX packet bounced"
