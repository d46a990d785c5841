# netfront-ethtool: xvif-netfront only. What `ethtool -i` and `ethtool -S`
# show on the guest's eth0 (through netfront's nf-ethtool, as the guest has
# no ethtool): driver xvif-netfront, bus-info device/vif/0, packet counters
# that moved after some traffic, and no broken/leaked-grant counts.
# Metrics: spurious_events, tx_bounce.
# lab-timeout: 120
lab_need_frontend xvif
lab_need_guest
tool=/xvif/build/netfront/nf-ethtool
lab_guest "test -x $tool" || lab_skip "$tool is not in the guest (make -C netfront lab-tools)"
ping -c 3 -i 0.2 10.0.0.2 >/dev/null 2>&1
out=$(lab_guest "$tool eth0") || lab_fail "nf-ethtool eth0 failed: $out"
echo "$out"
val() { echo "$out" | awk -v k="$1:" '$1 == k {print $2}'; }
echo "$out" | grep -qx 'driver: xvif-netfront' || lab_fail "ethtool -i: driver is not xvif-netfront"
echo "$out" | grep -qx 'bus-info: device/vif/0' || lab_fail "ethtool -i: bus-info is not device/vif/0"
[ "$(val rx_packets)" -gt 0 ] 2>/dev/null || lab_fail "ethtool -S: rx_packets did not move"
[ "$(val tx_packets)" -gt 0 ] 2>/dev/null || lab_fail "ethtool -S: tx_packets did not move"
[ "$(val is_broken)" = 0 ] || lab_fail "ethtool -S: the device is marked broken"
[ "$(val grant_leaked)" = 0 ] || lab_fail "ethtool -S: grants leaked with an honest backend"
lab_metric spurious_events "$(val spurious_events)"
lab_metric tx_bounce "$(val tx_bounce)"
lab_pass "driver xvif-netfront, rx_packets $(val rx_packets), tx_packets $(val tx_packets)"
