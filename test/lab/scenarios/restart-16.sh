# restart-16: restart-4 with 16 connected vifs (vif devids 0..15, bridges
# xenbr0..15). See scenarios/lib/restart.sh (rs_scenario_n).
# The guest is made with vif 0 and vifs 1..15 are `xl network-attach`ed one
# after the other (rs_guest_with is replaced below): an `xl create` with 16
# vifs fails under the lab's TCG (run 20261123-224949-9230): libxl starts
# the 16 hotplug scripts at once, they take turns on xvif-bridge's lock and
# the last ones pass libxl's 40 s hotplug timeout, so libxl kills them and
# destroys the guest. Attached one at a time, each script has the lock alone.
# (Since 012d1bb the scripts take that lock only to change iptables; an
# xl create with 16 vifs has not been tried in the lab since.)
# Metrics: attach_all_s, restart_kill9_s, restart_term_s, rss_kb_*, gntdev_maps.
# lab-timeout: 1200
. /lab/scenarios/lib/restart.sh

# rs_guest_with N, for this scenario: a fresh guest with vif 0, then vifs
# 1..N-1 attached one at a time, each answering ping before the next.
rs_guest_with() {
	local n=$1 i t0
	lab_guest_down
	rm -f "$LAB_STATE/guest-failed"
	lab_guest_up || { RS_ERR="the guest with vif 0 did not come up: $LAB_ERR"; return 1; }
	t0=$(lab_now)
	for i in $(seq 1 $((n - 1))); do
		lab_network_attach "$i" || { RS_ERR="xl network-attach of devid $i failed (rc=$?) with $i vifs up"; return 1; }
		lab_wait 60 "ping reply from 10.0.$i.2" ping -c1 -W1 "10.0.$i.2" ||
			{ RS_ERR="no ping reply from 10.0.$i.2 within 60 s of its network-attach (states: fe $(xenstore-read "/local/domain/$LAB_DOMID/device/vif/$i/state" 2>&1) be $(xenstore-read "/local/domain/0/backend/vif/$LAB_DOMID/$i/state" 2>&1))"; return 1; }
	done
	lab_metric attach_all_s "$(lab_since "$t0")"
	RS_ERR=
}
rs_scenario_n 16
