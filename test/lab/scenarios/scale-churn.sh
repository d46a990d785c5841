# scale-churn: 100 vifs attached and detached in a row on one xvif-netback,
# without growth. Cycle i attaches devid 1 + (i-1) mod 4 to the guest
# (`xl network-attach`), waits for a ping reply on it, detaches it and waits
# until it is gone from dom0 and xenstore. After cycle 5 (warm-up: the
# allocator, thread stacks) and after cycle 100, with only vif 0 left, it
# takes what the daemon and its worker processes (if any) hold: processes,
# threads, open fds, gntdev mappings in /proc/PID/maps, and what vifs leave
# in dom0: TAP interfaces, xenstore paths under backend/vif, the guest's
# device/vif and libxl's /libxl/D/device/vif, and the vifs
# `xvif-netback status` lists. Each must be the same after cycle 100 as
# after cycle 5 (a leak is a failure, the diff is shown). RSS is reported,
# and fails only past 1 MiB of growth over the 95 cycles (10 KiB a cycle:
# a per-vif leak; allocator noise stays far below).
# xvif backend only.
# Metrics: churn_cycles, churn_s, and at cycles 5, 50, 100: churn_rss_kib_cN
#   (daemon + workers), churn_rss_daemon_kib_cN, churn_fds_cN,
#   churn_gntdev_maps_cN, churn_taps_cN, churn_xs_vif_paths_cN,
#   churn_procs_cN, churn_threads_cN; churn_rss_growth_kib (c100 - c5).
# lab-timeout: 1500
lab_need_backend xvif
. /lab/scenarios/scale-lib.sh
N=${LAB_CHURN_N:-100}
lab_need_guest
d=$LAB_DOMID
lab_daemon_alive || lab_fail "xvif-netback is not running"
# Vifs other scenarios left behind (a failed scale-vifs leaves 16) would
# blur the counts.
for n in $(xenstore-list "/local/domain/0/backend/vif/$d" 2>/dev/null); do
	[ "$n" = 0 ] && continue
	lab_run timeout 60 xl network-detach "$LAB_GUEST" "$n"
	scale_wait_gone "$d" "$n" || lab_fail "vif $n (left by an earlier scenario) does not go away"
done

record() { # CYCLE
	local k
	scale_snapshot "c$1"
	for k in rss_kib rss_daemon_kib fds gntdev_maps taps xs_vif_paths procs threads; do
		case $k in
		rss_kib) lab_metric "churn_rss_kib_c$1" "$S_rss_kib";;
		rss_daemon_kib) lab_metric "churn_rss_daemon_kib_c$1" "$S_rss_daemon_kib";;
		*) lab_metric "churn_${k}_c$1" "$(eval echo "\$S_$k")";;
		esac
	done
}

t0=$(lab_now)
for i in $(seq 1 "$N"); do
	n=$(( (i - 1) % 4 + 1 ))
	vif=$(lab_vif_ifname "$d" "$n")
	lab_network_attach "$n" || lab_fail "cycle $i: xl network-attach of devid $n failed (rc=$?)"
	lab_wait 60 "ping reply from 10.0.$n.2" ping -c 1 -W 1 "10.0.$n.2" ||
		lab_fail "cycle $i: no ping reply from the guest on vif $n (10.0.$n.2) within 60 s"
	lab_run timeout 60 xl network-detach "$LAB_GUEST" "$n" || lab_fail "cycle $i: xl network-detach of devid $n failed (rc=$?)"
	scale_wait_gone "$d" "$n" || lab_fail "cycle $i: $vif still in dom0 or xenstore 30 s after its network-detach"
	lab_daemon_alive || lab_fail "cycle $i: xvif-netback died"
	case $i in 5|50|"$N") sleep 1; record "$i";; esac
	[ $((i % 10)) = 0 ] && lab_log "cycle $i/$N"
done
lab_metric churn_s "$(lab_since "$t0")"
lab_metric churn_cycles "$N"

# Growth between cycle 5 and cycle N.
grew=
for k in procs threads fds gntdev_maps taps xs_vif_paths status_vifs; do
	a=$(scale_get c5 "$k"); b=$(scale_get "c$N" "$k")
	[ "$a" = "$b" ] || grew="$grew $k $a->$b;"
done
st=$LAB_STATE/scale
for x in fds maps taps xs; do
	if ! diff "$st-c5.$x" "$st-c$N.$x" > "$st-diff.$x"; then
		echo "--- what changed in $x between cycle 5 and cycle $N:"; head -n 40 "$st-diff.$x"
	fi
done
a=$(scale_get c5 rss_kib); b=$(scale_get "c$N" rss_kib)
lab_metric churn_rss_growth_kib $((b - a))
[ -z "$grew" ] || lab_fail "growth over cycles 5..$N (a leak):$grew (the scenario log shows what changed)"
[ $((b - a)) -le 1024 ] || lab_fail "RSS (daemon + workers) grew $((b - a)) KiB over cycles 5..$N ($a -> $b KiB): more than 1 MiB, a per-vif leak"
lab_guest 'ping -c 2 -i 0.2 10.0.0.1' > /dev/null || lab_fail "vif 0 stopped working after $N attach/detach cycles"
lab_pass "$N attach/detach cycles, no growth; RSS $a -> $b KiB"
