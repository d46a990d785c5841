# hostile-vanish: the frontend exits mid-transfer without cleanup, and the guest is destroyed mid-transfer: the daemon cleans up everything
# xvif-evil-front (test/hostile) plays vif 1's frontend in the guest against
# xvif-netback; after each variant: the daemon is alive, a second, innocent
# guest's vif and the attacked guest's vif 0 still pass traffic, the result
# is as designed, an honest frontend reconnects vif 1; at the end no fd /
# grant-mapping / process leak (daemon and its children), bounded RSS, no
# kernel BUG/WARN (see test/hostile/lab-lib.sh).
# Metrics: daemon_fds_delta, daemon_gntdev_maps_delta, daemon_rss_delta_kb,
# daemon_procs_delta.
# lab-timeout: 420
. /xvif/test/hostile/lab-lib.sh 2>/dev/null ||
	lab_skip "test/hostile/lab-lib.sh is not in the dom0 image: run make -C test/hostile before the lab"
hostile_front_setup
# The guest comes back with as many vCPUs (queues on vif 0) as it has now,
# so the daemon's fds and grant mappings compare with the snapshot.
vanish_vcpus=$(xl list "$LAB_GUEST" | awk 'NR==2{print $4}')
hostile_front_run vanish exit any
# Now the domain itself disappears while frames are in flight.
lab_guest -t 20 "setsid $HOSTILE_FRONT_BIN --vif $HOSTILE_VIF --attack vanish --duration 120 --wait $HOSTILE_WAIT >/tmp/vanish.out 2>&1 < /dev/null &"
lab_wait 60 "the hostile frontend to connect" sh -c "[ \"\$(xenstore-read $(hostile_be_dir)/state)\" = 4 ]" || lab_fail "the hostile frontend did not connect before the destroy"
sleep 2
lab_guest_down
lab_daemon_alive || lab_fail "xvif-netback died when the guest was destroyed mid-transfer"
ping -c 3 -i 0.3 -W 2 "$(hostile_innocent_ip)" >/dev/null ||
	lab_fail "the innocent guest's vif no longer passes traffic after the other guest was destroyed mid-transfer"
lab_wait 30 "backend/vif/$LAB_DOMID to disappear" sh -c "! xenstore-exists /local/domain/0/backend/vif/$LAB_DOMID" || lab_fail "backend/vif/$LAB_DOMID still exists after the destroy"
hostile_note "destroyed mid-transfer: daemon alive"
# Back to one guest with vif 0 only: the state of the first snapshot.
lab_need_guest "$vanish_vcpus"
export HOSTILE_G0; HOSTILE_G0=$(hostile_guest_oopses)   # read by hostile_front_compare
sleep 1
hostile_front_compare
hostile_innocent_maybe_down
lab_pass "$HOSTILE_NOTES"
