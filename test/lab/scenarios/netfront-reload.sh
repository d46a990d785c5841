# netfront-reload: xvif-netfront only. (1) Unload and reload the module
# LAB_RELOAD_N times (default 100) in the guest, each time waiting for the
# vif to reconnect (carrier up); then vif 0 must ping both ways. (2) Unload
# while an iperf3 stream dom0 -> guest flows, load again, ping again.
# Unloading is: unbind vif-0 from the driver (/sys/bus/xen/drivers/vif/
# unbind, which runs the driver's remove: the xenbus core holds a module
# reference per bound device, so a bare rmmod says "in use"), then rmmod.
# Passes when every cycle reconnected, the guest answers afterwards, and
# the guest's kernel log has no BUG/WARNING/Oops/leak line. The guest's
# MemAvailable before and after the cycles is reported, not asserted.
# Metrics: reload_cycles, reload_mem_before_kb, reload_mem_after_kb,
#          reload_backend_state.
# lab-timeout: 900
lab_need_frontend xvif
lab_need_guest
N=${LAB_RELOAD_N:-100}

# The reload loop runs detached in the guest: the command channel rides on
# vif 0, which every rmmod takes down. /tmp/reload.out says how far it got.
lab_guest "grep MemAvailable /proc/meminfo > /tmp/reload.mem0; rm -f /tmp/reload.out
setsid sh -c '
i=0; why=ok
while [ \$i -lt $N ]; do
	echo vif-0 > /sys/bus/xen/drivers/vif/unbind || { why=unbind-failed; break; }
	rmmod xvif_netfront || { why=rmmod-failed; break; }
	modprobe xvif-netfront || { why=modprobe-failed; break; }
	w=0
	until [ \"\$(cat /sys/class/net/eth0/carrier 2>/dev/null)\" = 1 ]; do
		w=\$((w + 1)); [ \$w -gt 200 ] && { why=no-carrier-after-reload; break 2; }
		sleep 0.1
	done
	i=\$((i + 1))
done
echo \"\$i \$why\" > /tmp/reload.out' </dev/null >/dev/null 2>&1 &
echo started" || lab_fail "could not start the reload loop in the guest"

reload_done() { lab_guest -t 10 'test -f /tmp/reload.out' >/dev/null 2>&1; }
lab_wait 800 "the guest's reload loop to finish" reload_done ||
	lab_fail "the reload loop did not finish (or the guest stopped answering)"
out=$(lab_guest 'cat /tmp/reload.out; grep MemAvailable /proc/meminfo; cat /tmp/reload.mem0')
echo "$out"
done_n=$(echo "$out" | awk 'NR==1{print $1}')
why=$(echo "$out" | awk 'NR==1{print $2}')
lab_metric reload_cycles "${done_n:-0}"
lab_metric reload_mem_after_kb "$(echo "$out" | awk '/MemAvailable/{print $2}' | sed -n 1p)"
lab_metric reload_mem_before_kb "$(echo "$out" | awk '/MemAvailable/{print $2}' | sed -n 2p)"
[ "$why" = ok ] && [ "$done_n" = "$N" ] || lab_fail "reload loop stopped after ${done_n:-?} of $N cycles: $why"
lab_wait 30 "guest ping after $N reloads" ping -c 1 -W 2 10.0.0.2 || lab_fail "no ping to the guest after $N reloads"
lab_check "guest -> dom0 ping after $N reloads" lab_guest 'ping -c 3 -W 2 10.0.0.1'
lab_metric reload_backend_state "$(xenstore-read "/local/domain/0/backend/vif/$LAB_DOMID/0/state")"

# rmmod under traffic: dom0 sends, the guest unloads mid-stream.
timeout 40 iperf3 -c 10.0.0.2 -t 20 > /tmp/reload-iperf.log 2>&1 &
ipid=$!
sleep 4
lab_guest "setsid sh -c 'sleep 1; echo vif-0 > /sys/bus/xen/drivers/vif/unbind; echo unbind=\$? > /tmp/rmmod.out; rmmod xvif_netfront; echo rmmod=\$? >> /tmp/rmmod.out; sleep 1; modprobe xvif-netfront; echo modprobe=\$? >> /tmp/rmmod.out' </dev/null >/dev/null 2>&1 &
echo started" || lab_fail "could not start rmmod under traffic"
wait "$ipid"
echo "iperf3 (expected to break off):"; cat /tmp/reload-iperf.log
lab_wait 60 "guest ping after rmmod under traffic" ping -c 1 -W 2 10.0.0.2 || lab_fail "no ping to the guest after rmmod under traffic"
out=$(lab_guest 'cat /tmp/rmmod.out') || lab_fail "guest does not answer after rmmod under traffic"
echo "$out"
echo "$out" | grep -q unbind=0 || lab_fail "unbind under traffic failed: $out"
echo "$out" | grep -q rmmod=0 || lab_fail "rmmod under traffic failed: $out"
echo "$out" | grep -q modprobe=0 || lab_fail "modprobe after rmmod under traffic failed: $out"

klog=$(lab_guest 'dmesg') || lab_fail "no guest kernel log"
echo "$klog" | tail -n 40
bad=$(echo "$klog" | grep -E 'BUG|WARNING|Oops|general protection|leaking|still in use|refcount' | head -n 5)
[ -z "$bad" ] || lab_fail "guest kernel log: $bad"
lab_pass "$N reloads, rmmod under traffic, clean kernel log"
