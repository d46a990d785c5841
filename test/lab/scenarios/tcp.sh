# tcp: iperf3 TCP dom0 -> guest and guest -> dom0 (-R) over vif 0.
# Figures are reported, never asserted: the run passes when both transfers
# complete with data received.
# Metrics: tcp_to_guest_mbps, tcp_from_guest_mbps.
# lab-timeout: 240
lab_need_guest
to=$(lab_iperf_mbps -c 10.0.0.2 -t "$LAB_IPERF_S") || lab_fail "iperf3 TCP dom0 -> guest did not complete"
lab_metric tcp_to_guest_mbps "$to"
from=$(lab_iperf_mbps -c 10.0.0.2 -t "$LAB_IPERF_S" -R) || lab_fail "iperf3 TCP guest -> dom0 did not complete"
lab_metric tcp_from_guest_mbps "$from"
lab_pass "to guest $to Mbit/s, from guest $from Mbit/s"
