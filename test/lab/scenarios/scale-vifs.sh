# scale-vifs: many vifs on one xvif-netback. A fresh guest (vif 0), then
# `xl network-attach` of devids 1..16 to it, one after the other; every vif
# must pass traffic: dom0 -> guest and guest -> dom0 ping on each, and a
# 1 s iperf3 TCP run dom0 -> guest on each. `xvif-netback status` must list
# all 17. Then all 16 are detached and must be gone (dom0 interface,
# xenstore). xvif backend only. The daemon's RSS per vif (and of its worker
# processes, if the build has them: daemon + descendants) is reported:
# (RSS with 17 vifs, after the pings - RSS with vif 0 only) / 16, taken
# before the TCP runs so that it is reported even if one of them fails.
# Metrics: scale_vifs, scale_attach_all_s, scale_procs_base, scale_procs,
#   scale_threads_base, scale_threads, rss_daemon_base_kib, rss_daemon_kib,
#   rss_daemon_per_vif_kib, rss_total_base_kib, rss_total_kib,
#   rss_total_per_vif_kib, pss_daemon_per_vif_kib, pss_total_per_vif_kib, scale_tcp_min_mbps,
#   scale_tcp_sum_mbps, scale_gntdev_maps.
# lab-timeout: 900
lab_need_backend xvif
. /lab/scenarios/scale-lib.sh
N=16
# A guest of its own: earlier scenarios may have left vifs behind.
lab_guest_down
lab_need_guest
d=$LAB_DOMID
lab_daemon_alive || lab_fail "xvif-netback is not running"
e0=$(lab_daemon_errors)
sleep 2
scale_snapshot base

t0=$(lab_now)
for n in $(seq 1 $N); do
	lab_network_attach "$n" || lab_fail "xl network-attach of devid $n failed (rc=$?) with $((n - 1)) extra vifs attached"
done
for n in $(seq 1 $N); do
	lab_wait 60 "ping reply from 10.0.$n.2" ping -c 1 -W 1 "10.0.$n.2" ||
		lab_fail "vif $n: no ping reply from the guest (10.0.$n.2) within 60 s of attaching all $N"
done
lab_metric scale_attach_all_s "$(lab_since "$t0")"
lab_metric scale_vifs $((N + 1))

# Every vif both ways, then TCP on each.
out=$(lab_guest -t 200 "for n in \$(seq 1 $N); do ping -c 2 -i 0.2 -W 3 10.0.\$n.1 >/dev/null 2>&1 && echo OK \$n || echo FAILED \$n; done")
echo "$out"
bad=$(echo "$out" | awk '$1 == "FAILED" {printf "%s ", $2}')
[ "$(echo "$out" | grep -c '^OK ')" = "$N" ] || lab_fail "guest -> dom0 ping failed on vif(s): ${bad:-?} (answers: $(echo "$out" | tr '\n' ' '))"
scale_snapshot loaded
[ "$S_status_vifs" = $((N + 1)) ] || lab_fail "xvif-netback status lists $S_status_vifs vifs, not $((N + 1))"
lab_metric scale_procs_base "$(scale_get base procs)"
lab_metric scale_procs "$S_procs"
lab_metric scale_threads_base "$(scale_get base threads)"
lab_metric scale_threads "$S_threads"
lab_metric scale_gntdev_maps "$S_gntdev_maps"
for k in rss_daemon rss_total pss_daemon pss_total; do
	case $k in rss_daemon) key=rss_daemon_kib;; rss_total) key=rss_kib;; pss_daemon) key=pss_daemon_kib;; pss_total) key=pss_kib;; esac
	b=$(scale_get base "$key"); l=$(scale_get loaded "$key")
	case $k in pss_*) ;; *) lab_metric "${k}_base_kib" "$b"; lab_metric "${k}_kib" "$l";; esac
	lab_metric "${k}_per_vif_kib" "$(awk -v a="$l" -v b="$b" -v n="$N" 'BEGIN{printf "%.0f", (a - b) / n}')"
done

min='' sum=0
for n in $(seq 1 $N); do
	lab_check "dom0 has no interface $(lab_vif_ifname "$d" "$n")" test -e "/sys/class/net/$(lab_vif_ifname "$d" "$n")"
	ping -c 2 -i 0.2 -W 3 "10.0.$n.2" > /dev/null || lab_fail "vif $n: dom0 -> guest ping failed after all were attached"
	mbps=$(lab_iperf_mbps -c "10.0.$n.2" -t 1) || lab_fail "vif $n: iperf3 TCP dom0 -> guest (10.0.$n.2) did not complete"
	sum=$(awk -v a="$sum" -v b="$mbps" 'BEGIN{print a + b}')
	if [ -z "$min" ] || awk -v a="$mbps" -v b="$min" 'BEGIN{exit !(a < b)}'; then min=$mbps; fi
done
lab_metric scale_tcp_min_mbps "$min"
lab_metric scale_tcp_sum_mbps "$sum"
lab_daemon_alive || lab_fail "xvif-netback died with $((N + 1)) vifs"

for n in $(seq 1 $N); do
	lab_run timeout 60 xl network-detach "$LAB_GUEST" "$n" || lab_fail "xl network-detach of devid $n failed (rc=$?)"
done
for n in $(seq 1 $N); do
	scale_wait_gone "$d" "$n" || lab_fail "vif $n still in dom0 or xenstore 30 s after its network-detach"
done
lab_guest 'ping -c 2 -i 0.2 10.0.0.1' > /dev/null || lab_fail "vif 0 stopped working after the $N detaches"
lab_daemon_alive || lab_fail "xvif-netback died while detaching"
e1=$(lab_daemon_errors)
[ "$e0" = "$e1" ] || lab_fail "xvif-netback logged $((e1 - e0)) error line(s): $(grep '^err: ' "$LAB_DAEMON_LOG" | tail -n 3 | tr '\n' ' ')"
lab_pass "$((N + 1)) vifs on one daemon, each passed traffic; RSS per vif: daemon $(awk -v a="$(scale_get loaded rss_daemon_kib)" -v b="$(scale_get base rss_daemon_kib)" -v n=$N 'BEGIN{printf "%.0f", (a - b) / n}') KiB"
