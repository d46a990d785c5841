# script-default: the xl.conf that xvif's `make -C xenstore-scripts install`
# writes (dom0's own xl.conf plus vif.default.script="xvif-bridge") is used
# by xl end to end. With it swapped in, `xl network-attach` of devid 12 with
# no script= key must run xvif-bridge: the backend's `script` node names it,
# hotplug-status=connected, the vif is on xenbr12, ping both ways, and
# `xl network-detach` runs its offline. dom0's own xl.conf is put back.
# The scripts do not depend on the frontend: run with the stock one only.
# Metrics: script_attach_s.
# lab-timeout: 180
lab_need_backend xvif
lab_need_frontend stock
. /lab/scenarios/lib/hotplug.sh
[ -f /lab/xl.conf.installed ] ||
	lab_fail "no /lab/xl.conf.installed: make -C xenstore-scripts install DESTDIR=... did not produce an xl.conf (see the lab image's scripts-install.log)"
lab_run grep -n "vif.default.script" /lab/xl.conf.installed
grep -q '^vif.default.script="xvif-bridge"' /lab/xl.conf.installed ||
	lab_fail "the installed xl.conf does not set vif.default.script=\"xvif-bridge\""

lab_need_guest
d=$LAB_DOMID
n=12
be=/local/domain/0/backend/vif/$d/$n
dev=xvif$d.$n
! xenstore-exists "$be" 2>/dev/null || lab_fail "backend/vif/$d/$n exists before the scenario"
cp /etc/xen/xl.conf /tmp/xl.conf.dom0
restore() { cp /tmp/xl.conf.dom0 /etc/xen/xl.conf; }
cp /lab/xl.conf.installed /etc/xen/xl.conf
lab_bridge "$n" || { restore; lab_fail "could not make bridge xenbr$n"; }
t0=$(lab_now)
# No script= key: xl must take it from xl.conf.
lab_run timeout 90 xl network-attach "$LAB_GUEST" devid=$n mac=00:16:3e:00:0c:01 bridge=xenbr$n >/tmp/xv-default.out 2>&1
rc=$?
restore
cat /tmp/xv-default.out
[ "$rc" = 0 ] || lab_fail "xl network-attach without script= failed (rc=$rc): $(tail -n 3 /tmp/xv-default.out | tr '\n' ' ')"
lab_metric script_attach_s "$(lab_since "$t0")"
script=$(xenstore-read "$be/script" 2>/dev/null)
[ "$script" = /etc/xen/scripts/xvif-bridge ] ||
	lab_fail "backend/vif/$d/$n/script is '$script', not /etc/xen/scripts/xvif-bridge (xl did not use vif.default.script)"
st=$(xenstore-read "$be/hotplug-status" 2>/dev/null)
[ "$st" = connected ] || lab_fail "hotplug-status is '$st', not connected"
grep -q "xvif-bridge\[[0-9]*\] info $dev: online" "$HLOG" || lab_fail "no 'online' line for $dev in $HLOG"
master=$(readlink "/sys/class/net/$dev/master")
[ "${master##*/}" = "xenbr$n" ] || lab_fail "$dev's master is '${master##*/}', not xenbr$n"
lab_wait 60 "ping reply from 10.0.$n.2" ping -c1 -W1 "10.0.$n.2" || lab_fail "no ping reply from the guest over $dev (10.0.$n.2)"
lab_guest "ping -c 3 -i 0.2 10.0.$n.1" || lab_fail "ping guest -> dom0 over $dev (10.0.$n.1) failed"

lab_run timeout 60 xl network-detach "$LAB_GUEST" "$n" || lab_fail "xl network-detach failed (rc=$?)"
lab_wait 30 "the offline run in $HLOG" grep -q "xvif-bridge\[[0-9]*\] info $dev: offline done" "$HLOG" ||
	lab_fail "xvif-bridge offline did not run (or did not finish) for $dev: see $HLOG"
lab_wait 30 "$dev to disappear" sh -c "! test -e /sys/class/net/$dev" || lab_fail "$dev still exists 30 s after the detach"
cmp -s /etc/xen/xl.conf /tmp/xl.conf.dom0 || lab_fail "dom0's xl.conf was not restored"
lab_pass
