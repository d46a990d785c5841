# isolation-tcp: the cost of per-vif worker processes. iperf3 TCP both ways
# over vif 0 with the running daemon (--isolation=process, the default),
# then with the daemon restarted with --worker-namespaces=off (workers in
# the daemon's namespaces), then as --isolation=none (the data path as
# threads inside the daemon), then with process again (A-C-B-A, one boot).
# Figures are reported, never asserted: the ratios are process/none and
# process/process-without-namespaces; worker start times (the daemon's
# "started in" lines) with and without namespaces.
# Metrics: tcp_to_guest_mbps_process, tcp_from_guest_mbps_process (mean of
# the two process runs), tcp_to_guest_mbps_none, tcp_from_guest_mbps_none,
# ratio_to_guest, ratio_from_guest, tcp_to_guest_mbps_nons,
# tcp_from_guest_mbps_nons, ratio_ns_to_guest, ratio_ns_from_guest,
# worker_start_ms_ns, worker_start_ms_nons.
# lab-timeout: 420
lab_need_backend xvif
. /lab/scenarios/lib/restart.sh
lab_need_guest

# iso_start MODE [OPTION...]: a daemon with --isolation=MODE (as rs_start does).
iso_start() {
	local p m=$1
	shift
	setsid "$RS_DAEMON" run --log-level debug --isolation="$m" "$@" >> "$LAB_DAEMON_LOG" 2>&1 < /dev/null &
	p=$!
	echo "$p" > "$LAB_STATE/daemon.pid"
	echo "[$(lab_now)] started $RS_DAEMON --isolation=$m $*: pid $p"
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
# started_ms: the last "started in N ms" of the daemon's log.
started_ms() { grep -o 'seccomp), started in [0-9.]* ms' "$LAB_DAEMON_LOG" | tail -n1 | awk '{ print $4 }'; }
measure p1
s_ns1=$(started_ms)
rs_term || lab_fail "the process-mode daemon did not exit on SIGTERM"
iso_start process --worker-namespaces=off || lab_fail "xvif-netback --worker-namespaces=off did not come up"
measure nons
s_nons=$(started_ms)
grep -q "daemon's namespaces, data bound" "$LAB_DAEMON_LOG" || lab_fail "--worker-namespaces=off: no worker in the daemon's namespaces in the log"
rs_term || lab_fail "the --worker-namespaces=off daemon did not exit on SIGTERM"
iso_start none || lab_fail "xvif-netback --isolation=none did not come up"
measure none
/usr/sbin/xvif-netback status | grep -q "worker pid" && lab_fail "--isolation=none still shows worker processes"
rs_term || lab_fail "the none-mode daemon did not exit on SIGTERM"
iso_start process || lab_fail "xvif-netback --isolation=process did not come back"
measure p2
s_ns2=$(started_ms)
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
lab_metric tcp_to_guest_mbps_nons "$to_nons"
lab_metric tcp_from_guest_mbps_nons "$from_nons"
nt=$(awk -v a="$tp" -v b="$to_nons" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
nf=$(awk -v a="$fp" -v b="$from_nons" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
lab_metric ratio_ns_to_guest "$nt"
lab_metric ratio_ns_from_guest "$nf"
sn=$(awk -v a="$s_ns1" -v b="$s_ns2" 'BEGIN { if (a != "" && b != "") printf "%.1f", (a + b) / 2 }')
lab_metric worker_start_ms_ns "$sn"
lab_metric worker_start_ms_nons "$s_nons"
echo "worker start: with namespaces $s_ns1 and $s_ns2 ms, without $s_nons ms"
lab_pass "process/none: to guest $tp/$to_none ($rt), from guest $fp/$from_none ($rf) Mbit/s; namespaces on/off: to guest $tp/$to_nons ($nt), from guest $fp/$from_nons ($nf); worker start $sn/$s_nons ms"
