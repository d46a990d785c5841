# isolation-tcp: the cost of per-vif worker processes. iperf3 TCP both ways
# over vif 0 with the running daemon (--isolation=process, the default),
# then with the daemon restarted as --isolation=none (the data path as
# threads inside the daemon), then with process again (A-B-A, one boot).
# Figures are reported, never asserted: the ratios are process/none.
# Metrics: tcp_to_guest_mbps_process, tcp_from_guest_mbps_process (mean of
# the two process runs), tcp_to_guest_mbps_none, tcp_from_guest_mbps_none,
# ratio_to_guest, ratio_from_guest.
# lab-timeout: 300
lab_need_backend xvif
. /lab/scenarios/lib/restart.sh
lab_need_guest

# iso_start MODE: a daemon with --isolation=MODE (as rs_start does).
iso_start() {
	local p
	setsid "$RS_DAEMON" run --log-level debug --isolation="$1" >> "$LAB_DAEMON_LOG" 2>&1 < /dev/null &
	p=$!
	echo "$p" > "$LAB_STATE/daemon.pid"
	echo "[$(lab_now)] started $RS_DAEMON --isolation=$1: pid $p"
	lab_wait 30 "the new daemon's status socket" "$RS_DAEMON" status || return 1
	! rs_gone "$p"
}
# measure TAG: both directions; sets to_TAG / from_TAG.
measure() {
	local a b
	lab_wait 60 "ping reply from 10.0.0.2" ping -c1 -W1 10.0.0.2 || lab_fail "$1: vif 0 does not answer ping"
	a=$(lab_iperf_mbps -c 10.0.0.2 -t "$LAB_IPERF_S") || lab_fail "$1: iperf3 TCP dom0 -> guest did not complete"
	b=$(lab_iperf_mbps -c 10.0.0.2 -t "$LAB_IPERF_S" -R) || lab_fail "$1: iperf3 TCP guest -> dom0 did not complete"
	eval "to_$1=$a from_$1=$b"
	echo "$1: to guest $a Mbit/s, from guest $b Mbit/s"
}

/usr/sbin/xvif-netback status | head -n 3
/usr/sbin/xvif-netback status | grep -q "worker pid" || lab_fail "the running daemon has no worker processes (not --isolation=process?)"
measure p1
rs_term || lab_fail "the process-mode daemon did not exit on SIGTERM"
iso_start none || lab_fail "xvif-netback --isolation=none did not come up"
measure none
/usr/sbin/xvif-netback status | grep -q "worker pid" && lab_fail "--isolation=none still shows worker processes"
rs_term || lab_fail "the none-mode daemon did not exit on SIGTERM"
iso_start process || lab_fail "xvif-netback --isolation=process did not come back"
measure p2
/usr/sbin/xvif-netback status | grep -q "worker pid" || lab_fail "--isolation=process again: no worker processes"
tp=$(awk -v a="$to_p1" -v b="$to_p2" 'BEGIN { printf "%.1f", (a + b) / 2 }')
fp=$(awk -v a="$from_p1" -v b="$from_p2" 'BEGIN { printf "%.1f", (a + b) / 2 }')
lab_metric tcp_to_guest_mbps_process "$tp"
lab_metric tcp_from_guest_mbps_process "$fp"
lab_metric tcp_to_guest_mbps_none "$to_none"
lab_metric tcp_from_guest_mbps_none "$from_none"
rt=$(awk -v a="$tp" -v b="$to_none" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
rf=$(awk -v a="$fp" -v b="$from_none" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
lab_metric ratio_to_guest "$rt"
lab_metric ratio_from_guest "$rf"
lab_pass "process/none: to guest $tp/$to_none ($rt), from guest $fp/$from_none ($rf) Mbit/s"
