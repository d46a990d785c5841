# script-nat: xvif's xvif-nat hotplug script run by libxl (backend
# xvif-netback). `xl network-attach` of devid 5 with script=xvif-nat,
# ip=10.0.5.2: hotplug-status=connected, the vif carries the router address
# 10.0.5.129/32 (last octet + 127, as Xen's vif-nat), a host route to
# 10.0.5.2, a MASQUERADE rule for it, the anti-spoofing chain; ping both
# ways over it; `xl network-detach`: offline ran, no xvif rule left.
# Failing case: ip=10.0.6.200 (no router address possible) ends in
# hotplug-status=error, reported by xl.
# The scripts do not depend on the frontend: run with the stock one only.
# Metrics: script_attach_s.
# lab-timeout: 240
lab_need_backend xvif
lab_need_frontend stock
. /lab/scenarios/lib/hotplug.sh
[ -x /etc/xen/scripts/xvif-nat ] || lab_fail "xvif's hotplug scripts are not installed in dom0"
command -v iptables >/dev/null ||
	lab_skip "dom0 has no iptables (nat mode's MASQUERADE rule needs it): the lab image lacks xtables-nft-multi"
hotplug_modules nft_chain_nat nft_masq xt_MASQUERADE xt_comment

lab_need_guest
d=$LAB_DOMID
dev=xvif$d.5
t0=$(lab_now)
lab_run timeout 90 xl network-attach "$LAB_GUEST" devid=5 mac=00:16:3e:00:05:01 script=xvif-nat ip=10.0.5.2 >/tmp/xv-attach.out 2>&1
rc=$?
cat /tmp/xv-attach.out
[ "$rc" = 0 ] || lab_fail "xl network-attach (xvif-nat) failed (rc=$rc): $(tail -n 3 /tmp/xv-attach.out | tr '\n' ' ')"
lab_metric script_attach_s "$(lab_since "$t0")"
st=$(xenstore-read "/local/domain/0/backend/vif/$d/5/hotplug-status" 2>/dev/null)
[ "$st" = connected ] || lab_fail "hotplug-status is '$st', not connected"
lab_run ip -4 -o addr show dev "$dev"
ip -4 -o addr show dev "$dev" | grep -q "inet 10.0.5.129/32" || lab_fail "$dev does not carry the router address 10.0.5.129/32"
lab_run ip route get 10.0.5.2
ip route get 10.0.5.2 | grep -q "dev $dev src 10.0.5.129" || lab_fail "dom0 does not route 10.0.5.2 through $dev from 10.0.5.129"
lab_run iptables -w -t nat -S POSTROUTING
iptables -w -t nat -S POSTROUTING | grep -q -- "-s 10.0.5.2/32 ! -o $dev .*xvif:$dev.* -j MASQUERADE" ||
	lab_fail "no MASQUERADE rule for 10.0.5.2 tagged xvif:$dev"
n=$(xvif_rules "$dev")
[ "$n" -ge 6 ] || lab_fail "expected MASQUERADE + anti-spoofing rules tagged xvif:$dev (>= 6), found $n"
lab_wait 60 "ping reply from 10.0.5.2" ping -c1 -W1 10.0.5.2 || lab_fail "no ping reply from the guest through $dev (10.0.5.2)"
lab_guest 'ping -c 3 -i 0.2 10.0.5.129' || lab_fail "ping guest -> its router 10.0.5.129 failed"

lab_run timeout 60 xl network-detach "$LAB_GUEST" 5 || lab_fail "xl network-detach failed (rc=$?)"
lab_wait 30 "the offline run in $HLOG" grep -q "xvif-nat\[[0-9]*\] info $dev: offline done" "$HLOG" ||
	lab_fail "xvif-nat offline did not run (or did not finish) for $dev: see $HLOG"
lab_wait 30 "$dev to disappear" sh -c "! test -e /sys/class/net/$dev" || lab_fail "$dev still exists 30 s after the detach"
n=$(xvif_rules "$dev")
[ "$n" = 0 ] || lab_fail "$n iptables rules tagged xvif:$dev left after the detach"

probe nat
lab_run timeout 90 xl network-attach "$LAB_GUEST" devid=6 mac=00:16:3e:00:06:01 script=/tmp/probe-nat ip=10.0.6.200 >/tmp/xv-fail.out 2>&1
rc=$?
cat /tmp/xv-fail.out /tmp/probe-nat.log
[ "$rc" != 0 ] || lab_fail "xl network-attach with ip=10.0.6.200 succeeded"
grep -q "^online rc=1 status=error error=xvif-nat: xvif$d.6: ip '10.0.6.200': the last octet must be at most 127" /tmp/probe-nat.log ||
	lab_fail "no hotplug-status=error with a readable hotplug-error: $(cat /tmp/probe-nat.log)"
grep -q "the last octet must be at most 127" /tmp/xv-fail.out || lab_fail "xl's output does not show the hotplug-error"
forget_failed "$d" 6
cp "$HLOG" "$LAB_OUT/script-nat-hotplug.log" 2>/dev/null
lab_pass
