# shellcheck shell=bash
# make bench, in dom0: the measurements of one peer pair (sourced after
# /lab/lib.sh by the phases bench-<backend>-<frontend>.sh, which the lab
# image carries in /lab/scenarios but test/lab/scenarios does not list, so a
# normal lab run never sees them; test/lab/bench/README says what each
# figure is).
#
# One boot measures every pair, in rounds: bench.sh lists each pair's phase
# once per round (3 rounds; the second in reverse order), so the host's
# load, which drifts over a boot, falls on every pair alike. dom0 boots with
# the kernel's xen-netback (xvif_backend=kernel); a phase whose backend is
# not the one loaded destroys the guest and switches: xen-netback unloaded
# and xvif-netback started, or the daemon stopped and xen-netback loaded.
# Each phase creates its own guest with its frontend (xl `extra=` names it,
# guest/init loads that driver), measures once, and destroys the guest.
#
# Raw values go to $LAB_OUT/bench/<phase>.tsv, one `FIGURE<TAB>ROUND<TAB>VALUE`
# line each (the host takes medians: test/lab/bench/report.py), and
# `info<TAB>KEY<TAB>VALUE` lines for what describes the run. A phase ends
# PASS when every figure was measured, else FAIL naming the first one that
# was not (the bench reports it; it never fails a test).

BENCH_T=5         # seconds per iperf3 run
BENCH_PINGS=100   # pings per latency run, 0.05 s apart
BENCH_RAW=$LAB_OUT/bench/$LAB_SCN.tsv
BENCH_MISSING=    # the first figure that could not be measured, and why
mkdir -p "$LAB_OUT/bench"

bench_rec() { # FIGURE REP VALUE
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$BENCH_RAW"
	echo "[$(lab_now)] bench $1 rep $2 = $3"
}
bench_info() { printf 'info\t%s\t%s\n' "$1" "$2" >> "$BENCH_RAW"; }
# bench_flag FIGURE REP WHY: that value is no measurement (report.py leaves
# it out of the median and names it with WHY).
bench_flag() {
	printf 'flag\t%s\t%s\t%s\n' "$1" "$2" "$3" >> "$BENCH_RAW"
	lab_log "$1 rep $2 left out: $3"
}
bench_miss() { # FIGURE WHY
	lab_log "could not measure $1: $2"
	[ -n "$BENCH_MISSING" ] || BENCH_MISSING="$1: $2"
}

# dom0 CPU time in jiffies (USER_HZ = 100 on Debian's kernels) spent busy:
# user + nice + system + irq + softirq of /proc/stat's "cpu" line (idle,
# iowait and steal are not dom0's work).
bench_busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8; exit}' /proc/stat; }
# Bytes through a dom0 interface both ways.
bench_if_bytes() {
	local s=/sys/class/net/$1/statistics
	echo $(( $(cat "$s/rx_bytes") + $(cat "$s/tx_bytes") ))
}

# bench_gone PID: the process has exited (a zombie counts: /init reaps it).
bench_gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# bench_backend kernel|xvif: make that backend the one serving vifs. The
# guest must be gone: xen-netback unloads only without vifs.
bench_backend() {
	local p
	case "$1" in
	kernel)
		if lab_daemon_alive; then
			p=$(lab_daemon_pid); kill "$p"
			lab_wait 20 "xvif-netback to exit" bench_gone "$p" || { LAB_ERR="xvif-netback did not exit on SIGTERM"; return 1; }
		fi
		grep -q '^xen_netback ' /proc/modules && return 0
		lab_run modprobe xen-netback || { LAB_ERR="modprobe xen-netback failed"; return 1; } ;;
	xvif)
		if grep -q '^xen_netback ' /proc/modules; then
			lab_wait 30 "xen-netback to unload" modprobe -r xen-netback ||
				{ LAB_ERR="could not unload xen-netback: $(cut -d' ' -f1,3 /proc/modules | grep '^xen_netback')"; return 1; }
			lab_log "xen-netback unloaded"
		fi
		lab_daemon_alive && return 0
		[ -x /usr/sbin/xvif-netback ] || { LAB_ERR="/usr/sbin/xvif-netback is not in the image"; return 1; }
		# --log-level info: the daemon as it runs in production (the
		# normal lab runs it with debug).
		/usr/sbin/xvif-netback run --log-level info >> "$LAB_DAEMON_LOG" 2>&1 &
		echo $! > "$LAB_STATE/daemon.pid"
		sleep 2
		lab_daemon_alive || { LAB_ERR="xvif-netback exited at start: $(tail -n 3 "$LAB_DAEMON_LOG" | tr '\n' ' ')"; return 1; }
		lab_log "xvif-netback started (pid $(lab_daemon_pid))" ;;
	esac
}

# bench_vif_state: the guest's vif 0 as a CPU-per-GB figure needs it to stay:
# its backend state, its dom0 interface's ifindex (a TAP made again has a
# new one) and, with xvif-netback, how many times its worker died so far.
bench_vif_state() {
	local st ix dead=0
	st=$(xenstore-read "/local/domain/0/backend/vif/$LAB_DOMID/0/state" 2>/dev/null) || st=gone
	ix=$(cat "/sys/class/net/$BENCH_VIF/ifindex" 2>/dev/null) || ix=gone
	[ "$LAB_BACKEND" = xvif ] && dead=$(grep -c -F "$BENCH_VIF: worker died" "$LAB_DAEMON_LOG" 2>/dev/null)
	echo "state=$st ifindex=$ix worker_deaths=${dead:-0}"
}

# bench_tcp REP STREAMS to|from: one iperf3 TCP run (dom0 is the client;
# "from" is -R, the guest sends). Records tcpN_DIR_guest_mbps and the dom0
# CPU seconds per GB through the guest's vif during it; if the vif was not
# Connected, or closed, was made again or lost its worker during the run,
# a `flag` line says so (report.py leaves that CPU figure out).
bench_tcp() {
	local rep=$1 p=$2 dir=$3 r='' c0 c1 b0 b1 s0 s1 mbps fig=tcp$2_$3_guest
	[ "$dir" = from ] && r=-R
	s0=$(bench_vif_state)
	b0=$(bench_if_bytes "$BENCH_VIF"); c0=$(bench_busy)
	# shellcheck disable=SC2086 # $r is empty or -R
	mbps=$(lab_iperf_mbps -c 10.0.0.2 -t "$BENCH_T" -P "$p" $r)
	c1=$(bench_busy); b1=$(bench_if_bytes "$BENCH_VIF")
	s1=$(bench_vif_state)
	[ -n "$mbps" ] || { bench_miss "${fig}_mbps" "iperf3 did not complete (rep $rep)"; return 1; }
	bench_rec "${fig}_mbps" "$rep" "$mbps"
	if [ $((b1 - b0)) -gt 0 ]; then
		bench_rec "${fig}_cpu_s_per_gb" "$rep" "$(awk -v c=$((c1 - c0)) -v b=$((b1 - b0)) 'BEGIN{printf "%.3f", (c / 100) / (b / 1e9)}')"
		case "$s0" in state=4\ *) [ "$s1" = "$s0" ];; *) false;; esac ||
			bench_flag "${fig}_cpu_s_per_gb" "$rep" "the vif did not stay connected during the run (before: $s0; after: $s1)"
	fi
}

# bench_udp REP to|from: iperf3 UDP with 64-byte payloads, unpaced (-b 0;
# paced senders stall on TCG timers). Records udp64_DIR_guest_pps (datagrams
# the receiver got per second) and the receiver's loss in percent.
bench_udp() {
	local rep=$1 dir=$2 r='' out line pps loss fig=udp64_$2_guest
	[ "$dir" = from ] && r=-R
	# shellcheck disable=SC2086
	out=$(timeout $((BENCH_T + 30)) iperf3 -f m -c 10.0.0.2 -u -b 0 -l 64 -t "$BENCH_T" $r 2>&1)
	echo "$out" >&2
	# [  5]   0.00-5.00   sec  9.55 MBytes  16.0 Mbits/sec  0.002 ms  1640/32040 (5.1%)  receiver
	line=$(echo "$out" | grep ' receiver' | tail -n1)
	pps=$(echo "$line" | awk '{
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^[0-9.]+-[0-9.]+$/) { split($i, t, "-"); secs = t[2] - t[1] }
			if ($i ~ /^[0-9]+\/[0-9]+$/) { split($i, n, "/"); got = n[2] - n[1] }
		}
		if (secs > 0 && got != "") printf "%.0f", got / secs }')
	[ -n "$pps" ] || { bench_miss "${fig}_pps" "iperf3 UDP did not complete (rep $rep)"; return 1; }
	bench_rec "${fig}_pps" "$rep" "$pps"
	loss=$(echo "$line" | sed -n 's/.*(\([0-9.e+-]*\)%).*/\1/p')
	[ -n "$loss" ] && bench_rec "${fig}_loss_pct" "$rep" "$loss"
}

# bench_ping REP: BENCH_PINGS pings dom0 -> guest, 0.05 s apart; records the
# average and the 99th percentile (nearest rank) round trip in ms.
bench_ping() {
	local rep=$1 out n
	out=$(ping -c "$BENCH_PINGS" -i 0.05 -W 5 10.0.0.2 2>&1)
	echo "$out" | tail -n 3 >&2
	echo "$out" | sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' | sort -n > /tmp/bench-rtt
	n=$(wc -l < /tmp/bench-rtt)
	[ "$n" -gt 0 ] || { bench_miss ping_avg_ms "no ping reply (rep $rep)"; return 1; }
	bench_rec ping_avg_ms "$rep" "$(awk '{s += $1} END{printf "%.3f", s / NR}' /tmp/bench-rtt)"
	bench_rec ping_p99_ms "$rep" "$(awk -v n="$n" 'BEGIN{k = int(0.99 * n); if (k < 0.99 * n) k++} NR == k {print $1}' /tmp/bench-rtt)"
	[ "$n" = "$BENCH_PINGS" ] || bench_rec ping_lost "$rep" $((BENCH_PINGS - n))
}

# bench_attach REP: `xl network-attach` devid 1, time to the first ping
# reply from 10.0.1.2 (a dom0 loop pings it from before the attach, every
# 0.05 s, with ARP retries every 0.1 s on xenbr1), then network-detach and
# wait until the vif is gone from dom0 and xenstore. Records attach_s (xl's
# own duration) and attach_to_ping_s.
bench_attach() {
	local rep=$1 t0 ta tp rc pp d=$LAB_DOMID vif
	vif=$(lab_vif_ifname "$d" 1)
	lab_bridge 1 || { bench_miss attach_to_ping_s "could not make xenbr1"; return 1; }
	echo 100 > /proc/sys/net/ipv4/neigh/xenbr1/retrans_time_ms
	rm -f /tmp/bench-first
	( until ping -c 1 -W 1 10.0.1.2 >/dev/null 2>&1; do sleep 0.05; done; lab_now > /tmp/bench-first ) &
	pp=$!
	t0=$(lab_now)
	lab_network_attach 1; rc=$?
	ta=$(lab_since "$t0")
	if [ $rc = 0 ]; then
		lab_wait 60 "the first ping reply from 10.0.1.2" test -s /tmp/bench-first
	fi
	kill "$pp" 2>/dev/null; wait "$pp" 2>/dev/null
	if [ -s /tmp/bench-first ]; then
		tp=$(awk -v a="$(cat /tmp/bench-first)" -v b="$t0" 'BEGIN{printf "%.2f", a - b}')
		bench_rec attach_s "$rep" "$ta"
		bench_rec attach_to_ping_s "$rep" "$tp"
	elif [ $rc != 0 ]; then
		bench_miss attach_to_ping_s "xl network-attach failed (rc=$rc, rep $rep)"
	else
		bench_miss attach_to_ping_s "no ping reply on the attached vif within 60 s (rep $rep)"
	fi
	lab_run timeout 60 xl network-detach "$LAB_GUEST" 1
	lab_wait 30 "backend/vif/$d/1 to go" sh -c "! xenstore-exists /local/domain/0/backend/vif/$d/1" &&
		lab_wait 30 "$vif to go" sh -c "! test -e /sys/class/net/$vif" ||
		{ bench_miss attach_to_ping_s "vif 1 still there 30 s after network-detach (rep $rep)"; return 1; }
}

# RSS and PSS (KiB) of xvif-netback and its descendants (worker processes,
# if this build has them): "daemon_rss total_rss total_pss processes".
bench_daemon_mem() {
	local root=$1 p kids all q
	all=$root kids=$root
	while [ -n "$kids" ]; do
		q=
		for p in $kids; do
			q="$q $(grep -l "^PPid:[[:space:]]*$p\$" /proc/[0-9]*/status 2>/dev/null | cut -d/ -f3)"
		done
		kids=$(echo $q)
		all="$all $kids"
	done
	for p in $all; do
		echo "$p $(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null) $(awk '/^Pss:/{print $2; exit}' "/proc/$p/smaps_rollup" 2>/dev/null)"
	done | awk -v root="$root" 'NF >= 2 {n++; t += $2; s += $3; if ($1 == root) d = $2} END{print d + 0, t + 0, s + 0, n + 0}'
}

# bench_pair BACKEND FRONTEND: one round of the phase.
bench_pair() {
	local b=$1 f=$2 rep p dir rf=$LAB_STATE/bench-$LAB_SCN.round
	LAB_BACKEND=$b LAB_FRONTEND=$f
	export LAB_BACKEND LAB_FRONTEND
	rep=$(( $(cat "$rf" 2>/dev/null || echo 0) + 1 ))
	echo "$rep" > "$rf"
	[ "$rep" = 1 ] && : > "$BENCH_RAW"
	lab_log "round $rep"
	# Each phase makes its own guest: a failed create in an earlier phase
	# (another frontend or backend) does not stand for this one.
	rm -f "$LAB_STATE/guest-failed"
	lab_guest_down
	bench_backend "$b" || lab_fail "round $rep: could not switch dom0 to the $b backend: $LAB_ERR"
	lab_need_guest
	bench_rec create_to_ping_s "$rep" "$LAB_FIRST_PING_S"
	if [ "$rep" = 1 ]; then
		bench_info iperf_seconds "$BENCH_T"; bench_info pings "$BENCH_PINGS"
		bench_info guest_driver "$(lab_guest 'basename $(readlink /sys/class/net/eth0/device/driver/module)')"
		bench_info guest_kernel "$(lab_guest 'uname -r')"
		[ "$b" = xvif ] && bench_info netback_version "$(/usr/sbin/xvif-netback --version 2>&1 | head -n1)"
	fi
	BENCH_VIF=$(lab_vif_ifname "$LAB_DOMID" 0)
	[ -e "/sys/class/net/$BENCH_VIF" ] || lab_fail "round $rep: dom0 has no interface $BENCH_VIF for the guest's vif 0"
	# Warm-up, not recorded: the first transfers after a create are slower.
	lab_iperf_mbps -c 10.0.0.2 -t 2 >/dev/null
	lab_iperf_mbps -c 10.0.0.2 -t 2 -R >/dev/null
	for p in 1 4; do for dir in to from; do bench_tcp "$rep" "$p" "$dir"; done; done
	for dir in to from; do bench_udp "$rep" "$dir"; done
	bench_ping "$rep"
	bench_attach "$rep"
	if [ "$b" = xvif ]; then
		# shellcheck disable=SC2046
		set -- $(bench_daemon_mem "$(lab_daemon_pid)")
		bench_rec daemon_rss_kib "$rep" "$1"; bench_rec daemon_and_workers_rss_kib "$rep" "$2"
		bench_rec daemon_and_workers_pss_kib "$rep" "$3"; bench_rec daemon_processes "$rep" "$4"
		timeout 20 xvif-netback status > "$LAB_OUT/bench/$LAB_SCN-status-$rep.txt" 2>&1
		lab_daemon_alive || lab_fail "round $rep: xvif-netback died during the bench"
	fi
	lab_guest_down
	[ -z "$BENCH_MISSING" ] || lab_fail "round $rep: not every figure was measured: $BENCH_MISSING"
	lab_pass "round $rep"
}
