# shellcheck shell=bash
# The lab's scenario API, sourced (by bash) in dom0 before each scenario.
# test/lab/README documents it; keep the two in step.
#
# Context (set by /init, read-only for scenarios):
#   LAB_BACKEND   kernel | xvif        LAB_FRONTEND  stock | xvif
#   LAB_SCN       this scenario's name LAB_OUT       /lab/out (copied to the host)
#   LAB_BENCH     1 under --bench      LAB_IPERF_S   iperf3 seconds per run
#   LAB_GUEST     the guest's name     LAB_DAEMON_LOG  xvif-netback's log
# Addressing: vif devid N is on dom0 bridge xenbrN, dom0 10.0.N.1 / fd00:N::1,
# guest 10.0.N.2 / fd00:N::2 (the guest configures every vif it sees).

LAB_OUT=${LAB_OUT:-/lab/out}
LAB_STATE=/lab/state
LAB_GUEST=guest
LAB_GUEST_LOG=/var/log/xen/console/guest-$LAB_GUEST.log
LAB_DAEMON_LOG=/var/log/xen/xvif-netback.log
LAB_IPERF_S=${LAB_IPERF_S:-5}
IP=/usr/sbin/ip   # iproute2 (bash finds it first; busybox ash would not: PoC pitfall 2)
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# ---- time and logging --------------------------------------------------
lab_now() { cut -d' ' -f1 /proc/uptime; }
# Seconds since T0 (a lab_now value), two decimals.
lab_since() { awk -v a="$(lab_now)" -v b="$1" 'BEGIN{printf "%.2f", a-b}'; }
# A progress line: the scenario's log and dom0's console (shown live on the host).
lab_log() {
	echo "[$(lab_now)] $*"
	echo "LAB-LOG $LAB_SCN: $*" > /dev/console
}
# Run a dom0 command, logging it and its output; returns its status.
# (The command line goes to stderr, so $(lab_run ...) captures only output.)
lab_run() {
	echo "[$(lab_now)] + $*" >&2
	"$@"
}

# ---- verdicts: each ends the scenario (call them at its top level, not
# inside a pipe or $(...), where `exit` would only leave a subshell; the
# first verdict recorded wins) -------------------------------------------
_lab_verdict() {
	local why
	why=$(printf '%s' "$2" | tr '\t\n' '  ')
	printf 'RESULT\t%s\t%s\t%s\n' "$LAB_SCN" "$1" "$why" >> "$LAB_OUT/results.txt"
	echo "LAB-RESULT $1 $LAB_SCN $why" > /dev/console
	echo "[$(lab_now)] verdict: $1 $why"
	exit 0
}
lab_pass() { _lab_verdict PASS "$*"; }
lab_skip() { _lab_verdict SKIP "$*"; }
lab_fail() { lab_diag "$*"; _lab_verdict FAIL "$*"; }
# lab_check DESC CMD...: run CMD; if it fails, FAIL the scenario with DESC.
lab_check() {
	local desc=$1; shift
	lab_run "$@" || lab_fail "$desc (rc=$?: $*)"
}
lab_need_backend() { [ "$LAB_BACKEND" = "$1" ] || lab_skip "needs backend $1 (this pair: $LAB_BACKEND)"; }
lab_need_frontend() { [ "$LAB_FRONTEND" = "$1" ] || lab_skip "needs frontend $1 (this pair: $LAB_FRONTEND)"; }

# lab_metric KEY VALUE: a figure for results.jsonl (numbers stay numbers).
lab_metric() {
	printf '%s\t%s\t%s\n' "$LAB_SCN" "$1" "$2" >> "$LAB_OUT/metrics.txt"
	echo "[$(lab_now)] metric $1=$2"
}

# lab_wait SECS DESC CMD...: retry CMD every 0.5 s until it succeeds (0)
# or SECS pass (1, with a line naming DESC).
lab_wait() {
	local secs=$1 desc=$2 t0; shift 2
	t0=$(lab_now)
	until "$@" >/dev/null 2>&1; do
		if awk -v a="$(lab_now)" -v b="$t0" -v s="$secs" 'BEGIN{exit !(a-b >= s)}'; then
			echo "[$(lab_now)] timed out after $secs s waiting for $desc"
			return 1
		fi
		sleep 0.5
	done
}

# ---- the guest ----------------------------------------------------------
# lab_guest [-t SECS] 'SHELL COMMANDS': run them in the guest over its
# command channel (TCP 10.0.0.2:5000, one sh per connection) and print their
# output. Returns their exit status, or 255 if the channel did not answer
# within SECS (default 60).
lab_guest() {
	local t=60 out rc
	[ "$1" = -t ] && { t=$2; shift 2; }
	echo "[$(lab_now)] guest\$ $*" >&2
	out=$(printf '%s\n' "$*" 'echo "__LAB_RC=$?"' 'exit' | timeout "$t" nc 10.0.0.2 5000 2>&1)
	rc=$(printf '%s\n' "$out" | sed -n 's/^__LAB_RC=//p' | tail -n1)
	printf '%s\n' "$out" | grep -v '^__LAB_RC='
	if [ -z "$rc" ]; then
		echo "[$(lab_now)] lab_guest: no answer from the guest's command channel (10.0.0.2:5000) within $t s" >&2
		return 255
	fi
	return "$rc"
}
lab_guest_alive() { lab_guest -t 10 true >/dev/null 2>&1; }

lab_domid() { xl domid "$LAB_GUEST" 2>/dev/null; }

# Interface dom0 gives vif DOMID/DEVID: the kernel's vifD.N, xvif-netback's xvifD.N.
lab_vif_ifname() {
	if [ "$LAB_BACKEND" = xvif ]; then echo "xvif$1.$2"; else echo "vif$1.$2"; fi
}
# The hotplug script for this backend: the stock vif-bridge for the kernel
# netback; xvif's xvif-bridge if installed, else the lab's minimal one.
lab_vif_script() {
	if [ "$LAB_BACKEND" != xvif ]; then echo vif-bridge
	elif [ -x /etc/xen/scripts/xvif-bridge ]; then echo xvif-bridge
	else echo lab-xvif-bridge; fi
}
# lab_bridge N: bridge xenbrN with dom0's addresses for devid N (idempotent).
lab_bridge() {
	local br=xenbr$1
	[ -e "/sys/class/net/$br" ] && return 0
	$IP link add "$br" type bridge forward_delay 0 stp_state 0 &&
		$IP addr add "10.0.$1.1/24" dev "$br" &&
		$IP -6 addr add "fd00:$1::1/64" dev "$br" nodad &&
		$IP link set "$br" up
}
# lab_vif_spec N [key=value...]: xl vif spec for devid N on xenbrN, comma
# separated as a config file's vif = [...] wants it.
lab_vif_spec() {
	local n=$1 s kv; shift
	s=$(printf 'devid=%s,mac=00:16:3e:00:%02x:01,bridge=xenbr%s,script=%s' "$n" "$n" "$n" "$(lab_vif_script)")
	for kv in "$@"; do s="$s,$kv"; done
	echo "$s"
}
# lab_network_attach N [key=value...]: make bridge xenbrN, then
# `xl network-attach` devid N with lab_vif_spec's keys (xl wants each key
# as its own argument there). Returns xl's status (124: hung for 90 s).
lab_network_attach() {
	local n=$1 spec; shift
	lab_bridge "$n" || { echo "could not make bridge xenbr$n" >&2; return 1; }
	spec=$(lab_vif_spec "$n" "$@")
	# shellcheck disable=SC2046 # split the spec into one argument per key
	lab_run timeout 90 xl network-attach "$LAB_GUEST" $(echo "$spec" | tr ',' ' ')
}

# lab_guest_cfg VCPUS > FILE: the guest's xl config (one vif, devid 0).
lab_guest_cfg() {
	cat <<CFG
name = "$LAB_GUEST"
type = "pv"
kernel = "/guest/vmlinux"
ramdisk = "/guest/initrd.gz"
extra = "console=hvc0 xvif_front=$LAB_FRONTEND"
memory = 256
vcpus = $1
vif = [ '$(lab_vif_spec 0)' ]
on_crash = "destroy"
on_reboot = "destroy"
CFG
}

# lab_guest_down: destroy the guest if it runs; wait until it is gone.
lab_guest_down() {
	lab_domid >/dev/null || return 0
	lab_run timeout 60 xl destroy "$LAB_GUEST"
	lab_wait 30 "domain $LAB_GUEST to disappear" sh -c "! xl domid $LAB_GUEST"
}

# lab_guest_up [VCPUS]: make sure the guest runs with VCPUS (default: any
# count if one runs, else 1), answers ping on 10.0.0.2 and its command
# channel. Sets LAB_DOMID, LAB_CREATE_S (xl create's duration) and
# LAB_FIRST_PING_S (create start to first ping) when it created one.
# Returns 1 with LAB_ERR set on failure.
lab_guest_up() {
	local want=$1 have t0 rc
	LAB_CREATE_S=; LAB_FIRST_PING_S=; LAB_ERR=
	if LAB_DOMID=$(lab_domid); then
		have=$(xl list "$LAB_GUEST" | awk 'NR==2{print $4}')
		if [ -z "$want" ] || [ "$have" = "$want" ]; then
			lab_guest_alive && return 0
			lab_log "guest $LAB_DOMID runs but does not answer: re-creating it"
		fi
		lab_guest_down
	fi
	if [ -e "$LAB_STATE/guest-failed" ]; then
		LAB_ERR="no guest: creating it failed earlier in this boot ($(cat "$LAB_STATE/guest-failed"))"
		return 1
	fi
	lab_bridge 0 || { LAB_ERR="could not make bridge xenbr0"; return 1; }
	lab_guest_cfg "${want:-1}" > /tmp/guest.cfg
	lab_log "xl create (vcpus=${want:-1}, frontend $LAB_FRONTEND, script $(lab_vif_script))"
	t0=$(lab_now)
	lab_run timeout 180 xl create /tmp/guest.cfg > /tmp/xl-create.log 2>&1; rc=$?
	LAB_CREATE_S=$(lab_since "$t0")
	cat /tmp/xl-create.log
	if [ $rc != 0 ]; then
		LAB_ERR="xl create failed (rc=$rc after $LAB_CREATE_S s): $(tail -n3 /tmp/xl-create.log | tr '\n' ' ')"
		echo "scenario $LAB_SCN: $LAB_ERR" > "$LAB_STATE/guest-failed"
		return 1
	fi
	LAB_DOMID=$(lab_domid)
	if ! lab_wait 120 "the guest to answer ping on 10.0.0.2" ping -c1 -W1 10.0.0.2; then
		LAB_ERR="guest (domid $LAB_DOMID) created in $LAB_CREATE_S s but no ping reply from 10.0.0.2 within 120 s"
		echo "scenario $LAB_SCN: $LAB_ERR" > "$LAB_STATE/guest-failed"
		return 1
	fi
	LAB_FIRST_PING_S=$(lab_since "$t0")
	if ! lab_wait 30 "the guest's command channel" lab_guest_alive; then
		LAB_ERR="guest pings but its command channel (10.0.0.2:5000) does not answer"
		return 1
	fi
	lab_log "guest domid $LAB_DOMID up: xl create ${LAB_CREATE_S} s, first ping ${LAB_FIRST_PING_S} s"
}
# lab_need_guest [VCPUS]: lab_guest_up, or end the scenario (FAIL; SKIP if
# the guest already failed to come up in an earlier scenario of this boot).
lab_need_guest() {
	lab_guest_up "$@" && return 0
	case "$LAB_ERR" in "no guest: "*) lab_skip "$LAB_ERR";; *) lab_fail "$LAB_ERR";; esac
}

# ---- measurements -------------------------------------------------------
# lab_ping_avg [ping args...] HOST: average RTT in ms of a busybox ping run
# (prints nothing and returns 1 if no reply came back).
lab_ping_avg() {
	local out
	out=$(ping "$@" 2>&1); echo "$out" >&2
	echo "$out" | sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p' | grep . 
}
# lab_iperf_mbps [iperf3 args]: run iperf3 (-f m added) and print the
# receiver's Mbit/s (nothing, status 1, if it did not complete). For a UDP
# run, lab_iperf_loss then prints the receiver's loss in percent.
lab_iperf_mbps() {
	local out
	out=$(timeout $((LAB_IPERF_S + 30)) iperf3 -f m "$@" 2>&1); echo "$out" >&2
	echo "$out" | awk '/receiver/ && /%\)/ {for(i=1;i<=NF;i++) if($i ~ /^\(/){gsub(/[()%]/,"",$i); print $i}}' |
		tail -n1 > "$LAB_STATE/iperf-loss"
	echo "$out" | awk '/receiver/ {for(i=1;i<=NF;i++) if($i=="Mbits/sec") print $(i-1)}' | tail -n1 | grep .
}
lab_iperf_loss() { cat "$LAB_STATE/iperf-loss" 2>/dev/null; }

# ---- xvif-netback --------------------------------------------------------
lab_daemon_pid() { cat "$LAB_STATE/daemon.pid" 2>/dev/null; }
lab_daemon_alive() { local p; p=$(lab_daemon_pid) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
# Error lines ("err: ...") in the daemon's log so far.
lab_daemon_errors() { grep -c '^err: ' "$LAB_DAEMON_LOG" 2>/dev/null || true; }

# ---- diagnostics ----------------------------------------------------------
# lab_diag WHY: what a person needs to see why, into $LAB_OUT/diag/<scn>.txt
# (the host prints it under the FAIL).
lab_diag() {
	local d f
	mkdir -p "$LAB_OUT/diag"
	d=$(lab_domid)
	{
		echo "=== $LAB_SCN ($LAB_BACKEND-$LAB_FRONTEND) failed: $*"
		echo "--- xl list"; xl list 2>&1
		[ -n "$d" ] && { echo "--- xl network-list $LAB_GUEST"; xl network-list "$LAB_GUEST" 2>&1; }
		echo "--- dom0 interfaces"; $IP -br link 2>&1; $IP -br addr 2>&1; /usr/sbin/bridge link 2>&1
		if [ -n "$d" ]; then
			echo "--- xenstore-ls -fp /local/domain/0/backend/vif/$d"
			xenstore-ls -fp "/local/domain/0/backend/vif/$d" 2>&1
			echo "--- xenstore-ls -fp /local/domain/$d/device/vif"
			xenstore-ls -fp "/local/domain/$d/device/vif" 2>&1
		else
			echo "--- xenstore-ls -fp /local/domain/0/backend/vif"
			xenstore-ls -fp /local/domain/0/backend/vif 2>&1
		fi
		echo "--- dom0 kernel log (tail)"; dmesg | tail -n 40
		echo "--- guest console $LAB_GUEST_LOG (tail)"; tail -n 40 "$LAB_GUEST_LOG" 2>&1
		if [ "$LAB_BACKEND" = xvif ]; then
			echo "--- xvif-netback: pid $(lab_daemon_pid) $(lab_daemon_alive && echo alive || echo 'NOT RUNNING')"
			echo "--- $LAB_DAEMON_LOG (tail)"; tail -n 60 "$LAB_DAEMON_LOG" 2>&1
		fi
		for f in /var/log/xen/xl-hotplug.log /var/log/xen/lab-hotplug.log /var/log/xen/xen-hotplug.log; do
			[ -s "$f" ] && { echo "--- $f (tail)"; tail -n 20 "$f"; }
		done
		echo "--- xl dmesg (tail)"; xl dmesg 2>&1 | tail -n 15
	} > "$LAB_OUT/diag/$LAB_SCN.txt" 2>&1
}
