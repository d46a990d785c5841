# udp: iperf3 UDP, unpaced (-b 0: under TCG paced senders stall on timers), dom0 -> guest and guest -> dom0 (-R).
# Passes when each direction delivers datagrams; rate and loss are reported.
# Metrics: udp_to_guest_mbps, udp_to_guest_loss_pct, udp_from_guest_mbps,
# udp_from_guest_loss_pct.
# lab-timeout: 240
lab_need_guest
to=$(lab_iperf_mbps -c 10.0.0.2 -u -b 0 -t "$LAB_IPERF_S") || lab_fail "iperf3 UDP dom0 -> guest did not complete"
lab_metric udp_to_guest_mbps "$to"
loss=$(lab_iperf_loss); [ -n "$loss" ] && lab_metric udp_to_guest_loss_pct "$loss"
from=$(lab_iperf_mbps -c 10.0.0.2 -u -b 0 -t "$LAB_IPERF_S" -R) || lab_fail "iperf3 UDP guest -> dom0 did not complete"
lab_metric udp_from_guest_mbps "$from"
loss=$(lab_iperf_loss); [ -n "$loss" ] && lab_metric udp_from_guest_loss_pct "$loss"
awk -v a="$to" -v b="$from" 'BEGIN{exit !(a > 0 && b > 0)}' ||
	lab_fail "UDP delivered nothing (to guest $to, from guest $from Mbit/s)"
lab_pass "to guest $to Mbit/s, from guest $from Mbit/s"
