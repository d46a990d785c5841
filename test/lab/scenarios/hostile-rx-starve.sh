# hostile-rx-starve: the frontend never posts RX buffers while dom0 sends to it (XSA-392): queued data bounded, then delivered or dropped
# xvif-evil-front (test/hostile) plays vif 1's frontend in the guest against
# xvif-netback; after each variant: the daemon is alive, a second, innocent
# guest's vif and the attacked guest's vif 0 still pass traffic, the result
# is as designed, an honest frontend reconnects vif 1; at the end no fd /
# grant-mapping / process leak (daemon and its children), bounded RSS, no
# kernel BUG/WARN (see test/hostile/lab-lib.sh).
# Metrics: daemon_fds_delta, daemon_gntdev_maps_delta, daemon_rss_delta_kb,
# daemon_procs_delta.
# lab-timeout: 300
. /xvif/test/hostile/lab-lib.sh 2>/dev/null ||
	lab_skip "test/hostile/lab-lib.sh is not in the dom0 image: run make -C test/hostile before the lab"
hostile_front_setup
hostile_front_run rx-starve never any traffic
hostile_front_finish
