# rate: the backend's `rate` credit scheduler (xl's rate=, the backend
# node "rate" = "<bytes>,<usec>"), changed live on a connected vif: guest ->
# dom0 TCP (a backend limits what the guest sends) unlimited, then with the
# rate set to 1 Mbit/s (6250 bytes every 50 ms), then unlimited again.
# The limit is low so that the checks hold on a loaded machine too (run
# 20261123-225129-18828: unlimited was 44 Mbit/s there, not the usual 700).
# Runs on both backends; the kernel's xen-netback is the reference.
# Asserted, as ratios or against the configured limit (the machine being slow
# can only lower a figure): the limited run is at most twice the limit and
# under a third of the unlimited run before it; after the limit goes, the
# stream is back above three times the limited figure.
# Metrics: rate_unlimited_mbps, rate_limited_mbps, rate_lifted_mbps.
# lab-timeout: 240
lab_need_guest
be=/local/domain/0/backend/vif/$LAB_DOMID/0
limit_mbps=1
before=$(lab_iperf_mbps -c 10.0.0.2 -t "$LAB_IPERF_S" -R) || lab_fail "iperf3 guest -> dom0 (unlimited) did not complete"
lab_metric rate_unlimited_mbps "$before"
old=$(xenstore-read "$be/rate" 2> /dev/null)
lab_run xenstore-write "$be/rate" "6250,50000" || lab_fail "could not write $be/rate"
sleep 1
limited=$(lab_iperf_mbps -c 10.0.0.2 -t "$LAB_IPERF_S" -R) || lab_fail "iperf3 guest -> dom0 at $limit_mbps Mbit/s did not complete"
lab_metric rate_limited_mbps "$limited"
if [ -n "$old" ]; then lab_run xenstore-write "$be/rate" "$old"; else lab_run xenstore-rm "$be/rate"; fi
sleep 1
after=$(lab_iperf_mbps -c 10.0.0.2 -t "$LAB_IPERF_S" -R) || lab_fail "iperf3 guest -> dom0 after lifting the limit did not complete"
lab_metric rate_lifted_mbps "$after"
awk -v l="$limited" -v m="$limit_mbps" 'BEGIN { exit !(l <= 2 * m) }' ||
	lab_fail "limited to $limit_mbps Mbit/s, the guest still sent $limited Mbit/s"
awk -v l="$limited" -v b="$before" 'BEGIN { exit !(l * 3 < b) }' ||
	lab_fail "the limit made no difference: $limited Mbit/s limited, $before unlimited"
awk -v l="$limited" -v a="$after" 'BEGIN { exit !(a > 3 * l) }' ||
	lab_fail "the limit did not go: $after Mbit/s after lifting it, $limited while limited"
lab_check "the vif is still connected" sh -c "[ \"\$(xenstore-read $be/state)\" = 4 ]"
lab_pass "unlimited $before, at $limit_mbps Mbit/s $limited, lifted $after Mbit/s"
