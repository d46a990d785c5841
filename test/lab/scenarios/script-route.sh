# script-route: xvif's xvif-route hotplug script run by libxl (backend
# xvif-netback). `xl network-attach` of devid 3 with script=xvif-route,
# ip=10.0.3.2, gatewaydev=xenbr0: hotplug-status=connected, the vif carries
# dom0's 10.0.0.1/32 with proxy ARP, dom0 routes 10.0.3.2 through it (ping
# answered, the vif's TX counter moved), anti-spoofing chain present;
# `xl network-detach`: offline ran, no xvif rule left. Failing case: a
# gatewaydev without an address ends in hotplug-status=error, reported by xl.
# The scripts do not depend on the frontend: run with the stock one only.
# Metrics: script_attach_s.
# lab-timeout: 240
lab_need_backend xvif
lab_need_frontend stock
. /lab/scenarios/lib/hotplug.sh
[ -x /etc/xen/scripts/xvif-route ] || lab_fail "xvif's hotplug scripts are not installed in dom0"
command -v iptables >/dev/null ||
	lab_skip "dom0 has no iptables (needed for ip='s anti-spoofing rules): the lab image lacks xtables-nft-multi"
hotplug_modules xt_comment

lab_need_guest
d=$LAB_DOMID
dev=xvif$d.3
t0=$(lab_now)
lab_run timeout 90 xl network-attach "$LAB_GUEST" devid=3 mac=00:16:3e:00:03:01 script=xvif-route ip=10.0.3.2 gatewaydev=xenbr0 >/tmp/xv-attach.out 2>&1
rc=$?
cat /tmp/xv-attach.out
[ "$rc" = 0 ] || lab_fail "xl network-attach (xvif-route) failed (rc=$rc): $(tail -n 3 /tmp/xv-attach.out | tr '\n' ' ')"
lab_metric script_attach_s "$(lab_since "$t0")"
st=$(xenstore-read "/local/domain/0/backend/vif/$d/3/hotplug-status" 2>/dev/null)
[ "$st" = connected ] || lab_fail "hotplug-status is '$st', not connected"
lab_run ip -4 -o addr show dev "$dev"
ip -4 -o addr show dev "$dev" | grep -q "inet 10.0.0.1/32" || lab_fail "$dev does not carry dom0's 10.0.0.1/32"
lab_run ip route get 10.0.3.2
ip route get 10.0.3.2 | grep -q "dev $dev src 10.0.0.1" || lab_fail "dom0 does not route 10.0.3.2 through $dev"
[ "$(cat "/proc/sys/net/ipv4/conf/$dev/proxy_arp")" = 1 ] || lab_fail "proxy ARP is off on $dev"
n=$(xvif_rules "$dev")
[ "$n" -ge 5 ] || lab_fail "expected the anti-spoofing chain for $dev (>= 5 rules tagged xvif:$dev), found $n"
tx0=$(cat "/sys/class/net/$dev/statistics/tx_packets")
lab_wait 60 "ping reply from 10.0.3.2" ping -c1 -W1 10.0.3.2 || lab_fail "no ping reply from the guest routed through $dev (10.0.3.2)"
tx1=$(cat "/sys/class/net/$dev/statistics/tx_packets")
[ "$tx1" -gt "$tx0" ] || lab_fail "$dev sent nothing while dom0 pinged 10.0.3.2 (tx_packets $tx0 -> $tx1)"

lab_run timeout 60 xl network-detach "$LAB_GUEST" 3 || lab_fail "xl network-detach failed (rc=$?)"
lab_wait 30 "the offline run in $HLOG" grep -q "xvif-route\[[0-9]*\] info $dev: offline done" "$HLOG" ||
	lab_fail "xvif-route offline did not run (or did not finish) for $dev: see $HLOG"
lab_wait 30 "$dev to disappear" sh -c "! test -e /sys/class/net/$dev" || lab_fail "$dev still exists 30 s after the detach"
n=$(xvif_rules "$dev")
[ "$n" = 0 ] || lab_fail "$n iptables rules tagged xvif:$dev left after the detach"

probe route
lab_run timeout 90 xl network-attach "$LAB_GUEST" devid=4 mac=00:16:3e:00:04:01 script=/tmp/probe-route ip=10.0.4.2 gatewaydev=nosuch0 >/tmp/xv-fail.out 2>&1
rc=$?
cat /tmp/xv-fail.out /tmp/probe-route.log
[ "$rc" != 0 ] || lab_fail "xl network-attach with gatewaydev=nosuch0 succeeded"
grep -q "^online rc=1 status=error error=xvif-route: xvif$d.4: gateway device nosuch0 has no IPv4 address" /tmp/probe-route.log ||
	lab_fail "no hotplug-status=error with a readable hotplug-error: $(cat /tmp/probe-route.log)"
grep -q "gateway device nosuch0 has no IPv4 address" /tmp/xv-fail.out || lab_fail "xl's output does not show the hotplug-error"
forget_failed "$d" 4
cp "$HLOG" "$LAB_OUT/script-route-hotplug.log" 2>/dev/null
lab_pass
