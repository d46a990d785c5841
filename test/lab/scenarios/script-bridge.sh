# script-bridge: xvif's xvif-bridge hotplug script run by libxl (xenstore and
# xl real, backend xvif-netback). `xl network-attach` of devid 1 with
# vifname=xvtest1, mtu=1400 and ip=10.0.1.2 (anti-spoofing) onto xenbr1:
# hotplug-status=connected, the interface on the bridge with that MTU, the
# anti-spoofing chain present, ping both ways; `xl network-detach`: the
# script's offline ran and no xvif rule is left. Then the failing case: a
# vif on a bridge that does not exist must end in hotplug-status=error with
# a readable hotplug-error, and xl must report that error.
# The scripts do not depend on the frontend: run with the stock one only.
# Metrics: script_attach_s (attach until xl returns), script_fail_s.
# lab-timeout: 240
lab_need_backend xvif
lab_need_frontend stock
. /lab/scenarios/lib/hotplug.sh
[ -x /etc/xen/scripts/xvif-bridge ] || lab_fail "xvif's hotplug scripts are not installed in dom0 (make -C xenstore-scripts install failed?)"
have_ipt=0
if command -v iptables >/dev/null; then
	have_ipt=1
	hotplug_modules xt_physdev xt_comment br_netfilter
else
	lab_log "dom0 has no iptables: anti-spoofing is left out of this run"
fi

lab_need_guest
d=$LAB_DOMID
be=/local/domain/0/backend/vif/$d/1
extra=(vifname=xvtest1 mtu=1400)
[ "$have_ipt" = 1 ] && extra+=(ip=10.0.1.2)
t0=$(lab_now)
# lab_network_attach: xenbr1, then xl network-attach with one argument per key.
lab_network_attach 1 "${extra[@]}" >/tmp/xv-attach.out 2>&1
rc=$?
cat /tmp/xv-attach.out
[ "$rc" = 0 ] || lab_fail "xl network-attach ${extra[*]} failed (rc=$rc): $(tail -n 3 /tmp/xv-attach.out | tr '\n' ' ')"
lab_metric script_attach_s "$(lab_since "$t0")"
st=$(xenstore-read "$be/hotplug-status" 2>/dev/null)
[ "$st" = connected ] || lab_fail "backend/vif/$d/1/hotplug-status is '$st', not connected"
lab_check "xvif-bridge did not use vifname xvtest1" test -e /sys/class/net/xvtest1
master=$(readlink /sys/class/net/xvtest1/master)
[ "${master##*/}" = xenbr1 ] || lab_fail "xvtest1's master is '${master##*/}', not xenbr1"
mtu=$(cat /sys/class/net/xvtest1/mtu)
[ "$mtu" = 1400 ] || lab_fail "xvtest1's MTU is $mtu, not 1400 (the mtu key)"
grep -q "xvif-bridge\[[0-9]*\] info xvtest1: online" "$HLOG" || lab_fail "no 'online' line for xvtest1 in $HLOG"
if [ "$have_ipt" = 1 ]; then
	n=$(xvif_rules xvtest1)
	[ "$n" -ge 5 ] || lab_fail "expected the anti-spoofing chain for xvtest1 (>= 5 rules tagged xvif:xvtest1), found $n"
	iptables -w -S XVIF-xvtest1
fi
lab_wait 60 "ping reply from 10.0.1.2" ping -c1 -W1 10.0.1.2 || lab_fail "no ping reply from the guest over xvtest1 (10.0.1.2)"
lab_guest 'ping -c 3 -i 0.2 10.0.1.1' || lab_fail "ping guest -> dom0 over xvtest1 (10.0.1.1) failed"

lab_run timeout 60 xl network-detach "$LAB_GUEST" 1 || lab_fail "xl network-detach failed (rc=$?)"
lab_wait 30 "xvtest1 to disappear" sh -c '! test -e /sys/class/net/xvtest1' || lab_fail "xvtest1 still exists 30 s after the detach"
lab_wait 30 "the offline run in $HLOG" grep -q "xvif-bridge\[[0-9]*\] info xvtest1: offline done" "$HLOG" ||
	lab_fail "xvif-bridge offline did not run (or did not finish) for xvtest1: see $HLOG"
n=$(xvif_rules xvtest1)
[ "$n" = 0 ] || lab_fail "$n iptables rules tagged xvif:xvtest1 left after the detach"

# The failing case: a bridge that does not exist. Its name is used by no
# other scenario (mtu9000 leaves xenbr9 behind in the same boot).
missing_br=xvnobr0
[ ! -e "/sys/class/net/$missing_br" ] || lab_fail "bridge $missing_br exists before the missing-bridge case"
probe bridge
t0=$(lab_now)
lab_run timeout 90 xl network-attach "$LAB_GUEST" devid=2 mac=00:16:3e:00:02:01 bridge="$missing_br" script=/tmp/probe-bridge >/tmp/xv-fail.out 2>&1
rc=$?
lab_metric script_fail_s "$(lab_since "$t0")"
cat /tmp/xv-fail.out /tmp/probe-bridge.log
[ "$rc" != 0 ] || lab_fail "xl network-attach onto a missing bridge succeeded"
grep -q "^online rc=1 status=error error=xvif-bridge: xvif$d.2: bridge $missing_br does not exist" /tmp/probe-bridge.log ||
	lab_fail "the script did not leave hotplug-status=error with a readable hotplug-error: $(cat /tmp/probe-bridge.log)"
grep -q "bridge $missing_br does not exist" /tmp/xv-fail.out || lab_fail "xl's output does not show the hotplug-error"
forget_failed "$d" 2
lab_guest 'ping -c 2 -i 0.2 10.0.0.1' || lab_fail "vif 0 stopped working after the failed attach"
cp "$HLOG" "$LAB_OUT/script-bridge-hotplug.log" 2>/dev/null
lab_pass "xl said: $(grep -m1 -o 'script: .*' /tmp/xv-fail.out)"
