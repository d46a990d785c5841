# isolation-worker-crash: with --isolation=process (the default), every vif's
# data path is a worker process of xvif-netback. Checks on real Xen that a
# worker runs unprivileged (its own uid and gid from the worker range, not
# the other worker's, and unable to signal it; no capabilities,
# no_new_privs, a seccomp filter; the probe runs a shell as worker 0's
# uid), in its own mount (empty root), network,
# IPC, UTS and cgroup namespaces (traffic through its TAP fd, opened in
# dom0's network namespace, is the check that matters: ping and TCP below),
# and within its memory bound; then SIGKILLs the worker of vif 1 (as a crash of the code
# that parses that guest's data would end): vif 1 is closed (backend state
# Closing/Closed, the daemon logs "worker died: signal 9"), while the daemon
# and vif 0 go on: same daemon pid, vif 0's worker untouched, ping and TCP
# over vif 0. Ends with vif 1 detached.
# Metrics: worker_rss_kb (VmRSS of vif 0's worker), worker_vmdata_kb (its
# VmData) and worker_data_bound_kb (the bound the daemon set), kill_to_closed_s,
# after_kill_tcp_to_guest_mbps.
# lab-timeout: 300
lab_need_backend xvif
lab_need_guest
d=$LAB_DOMID
dpid=$(lab_daemon_pid)

# worker_of DEVID: the worker pid `xvif-netback status` shows for vif d.DEVID.
worker_of() {
	/usr/sbin/xvif-netback status 2>/dev/null | awk -v n="xvif$d.$1" '
		$1 == n { f = 1; next } /^xvif/ { f = 0 }
		f && /worker pid/ { for (i = 1; i <= NF; i++) if ($i == "pid") print $(i + 1) }' | head -n1
}
be_state() { xenstore-read "/local/domain/0/backend/vif/$d/$1/state" 2>/dev/null; }
field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

lab_network_attach 1 || lab_fail "xl network-attach failed (rc=$?)"
lab_wait 60 "ping reply from 10.0.1.2" ping -c1 -W1 10.0.1.2 || lab_fail "no ping reply from the guest on vif 1 within 60 s"
lab_run /usr/sbin/xvif-netback status
w0=$(worker_of 0); w1=$(worker_of 1)
echo "workers: vif 0 pid '$w0', vif 1 pid '$w1', daemon $dpid"
[ -n "$w0" ] && [ -n "$w1" ] || lab_fail "xvif-netback status shows no worker pid for vif 0 ('$w0') or vif 1 ('$w1'): not running with --isolation=process?"
[ "$w0" != "$w1" ] || lab_fail "vif 0 and vif 1 share worker $w0"
for w in $w0 $w1; do
	grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters|VmRSS|Threads):' "/proc/$w/status"
	pp=$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$w/stat")
	[ "$pp" = "$dpid" ] || lab_fail "worker $w's parent is $pp, not the daemon $dpid"
	tr '\0' ' ' < "/proc/$w/cmdline" | grep -q -- '--vif-worker' || lab_fail "worker $w's command line has no --vif-worker"
	u=$(field "$w" Uid); g=$(field "$w" Gid)
	[ -n "$u" ] && [ "$u" -ge 65536 ] && [ "$u" -le 69631 ] || lab_fail "worker $w runs as uid '$u', not one of the worker range 65536..69631"
	[ "$g" = "$u" ] || lab_fail "worker $w runs as gid '$g', not its uid $u"
	for ns in mnt net ipc uts cgroup; do
		[ "$(readlink "/proc/$w/ns/$ns")" != "$(readlink "/proc/$dpid/ns/$ns")" ] ||
			lab_fail "worker $w shares the daemon's $ns namespace ($(readlink "/proc/$w/ns/$ns"))"
	done
	echo "worker $w: uid $u; namespaces: $(for ns in mnt net ipc uts cgroup pid; do printf '%s ' "$(readlink "/proc/$w/ns/$ns")"; done)"
	[ -z "$(ls -A "/proc/$w/root/" 2>&1)" ] || lab_fail "worker $w sees a filesystem: $(ls -A "/proc/$w/root/" 2>&1 | head -n 5 | tr '\n' ' ')"
	[ "$(field "$w" CapEff)" = 0000000000000000 ] || lab_fail "worker $w has effective capabilities $(field "$w" CapEff)"
	[ "$(field "$w" CapPrm)" = 0000000000000000 ] || lab_fail "worker $w has permitted capabilities $(field "$w" CapPrm)"
	[ "$(field "$w" CapBnd)" = 0000000000000000 ] || lab_fail "worker $w keeps a capability bounding set $(field "$w" CapBnd)"
	[ "$(field "$w" NoNewPrivs)" = 1 ] || lab_fail "worker $w has no_new_privs '$(field "$w" NoNewPrivs)'"
	[ "$(field "$w" Seccomp)" = 2 ] || lab_fail "worker $w is not in seccomp filter mode (Seccomp: '$(field "$w" Seccomp)')"
	ls -l "/proc/$w/fd" 2>/dev/null | sed 's/^.* \([0-9]* -> \)/  fd \1/'
done
lab_metric worker_rss_kb "$(field "$w0" VmRSS)"
u0=$(field "$w0" Uid); u1=$(field "$w1" Uid)
[ "$u0" != "$u1" ] || lab_fail "vif 0's and vif 1's workers share uid $u0"
for ns in mnt net ipc uts cgroup; do
	[ "$(readlink "/proc/$w0/ns/$ns")" != "$(readlink "/proc/$w1/ns/$ns")" ] || lab_fail "the two workers share a $ns namespace"
done
# A compromised worker 0 (its uid; its seccomp filter forbids kill anyway)
# cannot signal worker 1; the same probe at itself works.
# as_uid UID CMD: CMD (a shell command) as uid and gid UID. util-linux's
# setpriv if dom0 has it; busybox's setpriv cannot change uids, so busybox
# su with a passwd entry that lives only for the probe.
as_uid() {
	local u=$1 rc
	if setpriv --help 2>&1 | grep -q -- --reuid; then
		setpriv --reuid="$u" --regid="$u" --clear-groups sh -c "$2"
		return
	fi
	echo "xvifprobe$u:x:$u:$u::/:/bin/sh" >> /etc/passwd
	su -s /bin/sh "xvifprobe$u" -c "$2"
	rc=$?
	sed -i "/^xvifprobe$u:/d" /etc/passwd
	return $rc
}
out=$(as_uid "$u0" "id; kill -0 $w1" 2>&1) && lab_fail "uid $u0 (worker $w0) can signal worker $w1 (uid $u1): $out"
echo "uid $u0 -> worker $w1: $out"
echo "$out" | grep -q "uid=$u0" || lab_fail "the probe did not run as uid $u0: $out"
as_uid "$u0" "kill -0 $w0" || lab_fail "uid $u0 cannot signal its own worker $w0 (the probe is broken)"
# The memory bound the daemon set, and where the worker is.
bound=$(grep -o "xvif$d.0: data path in worker process $w0 .*data bound [0-9]* MiB" "$LAB_DAEMON_LOG" | tail -n1 | sed 's/.*data bound \([0-9]*\) MiB/\1/')
vmdata=$(field "$w0" VmData)
echo "worker $w0: VmData $vmdata kB, bound ${bound:-?} MiB"
[ -n "$bound" ] || lab_fail "the daemon's log does not give vif 0's worker's memory bound"
[ "$vmdata" -lt $((bound * 1024)) ] || lab_fail "worker $w0 has VmData $vmdata kB, not under its bound $bound MiB"
lab_metric worker_vmdata_kb "$vmdata"
lab_metric worker_data_bound_kb "$((bound * 1024))"

t0=$(lab_now)
lab_run kill -9 "$w1"
closed() { s=$(be_state 1); [ "$s" = 5 ] || [ "$s" = 6 ]; }
lab_wait 30 "vif 1's backend to leave Connected" closed || lab_fail "vif 1's backend state is '$(be_state 1)' 30 s after its worker was killed (want 5 or 6)"
lab_metric kill_to_closed_s "$(lab_since "$t0")"
lab_run xenstore-read "/local/domain/0/backend/vif/$d/1/error"
grep -q "xvif$d.1: worker died: signal 9" "$LAB_DAEMON_LOG" || lab_fail "the daemon's log does not say xvif$d.1's worker died of signal 9"
lab_daemon_alive && [ "$(lab_daemon_pid)" = "$dpid" ] || lab_fail "the daemon ($dpid) did not survive its worker's death"
[ -d "/proc/$w0" ] && [ "$(worker_of 0)" = "$w0" ] || lab_fail "vif 0's worker $w0 is gone or was replaced ($(worker_of 0))"
[ "$(be_state 0)" = 4 ] || lab_fail "vif 0's backend state is '$(be_state 0)', not 4 (Connected)"
lab_run ping -c 3 -i 0.2 -W 2 10.0.0.2 || lab_fail "vif 0: ping dom0 -> guest failed after vif 1's worker was killed"
lab_guest 'ping -c 3 -i 0.2 10.0.0.1' || lab_fail "vif 0: ping guest -> dom0 failed after vif 1's worker was killed"
mbps=$(lab_iperf_mbps -c 10.0.0.2 -t 3) || lab_fail "vif 0: iperf3 TCP did not complete after vif 1's worker was killed"
lab_metric after_kill_tcp_to_guest_mbps "$mbps"
lab_run /usr/sbin/xvif-netback status
/usr/sbin/xvif-netback status | grep -q "died [1-9]" || lab_fail "status does not count the dead worker"

lab_run timeout 60 xl network-detach "$LAB_GUEST" 1 || lab_fail "xl network-detach of the closed vif 1 failed (rc=$?)"
lab_wait 30 "backend/vif/$d/1 to disappear" sh -c "! xenstore-exists /local/domain/0/backend/vif/$d/1" ||
	lab_fail "backend/vif/$d/1 still exists 30 s after the detach"
lab_pass "worker $w1 killed: vif 1 closed in $(lab_since "$t0") s; daemon and vif 0 (worker $w0, $mbps Mbit/s) unaffected"
