# hostile-bad-id: the backend answers with ids at the ring size and 0xffff
# xvif-evil-back (test/hostile) creates vif 7 for the guest under
# backend/xvif-evil/ (no other backend serves it) and answers the guest's
# netfront with malice; after each variant: the guest answers, its kernel
# logged no BUG/Oops/WARNING, vif 0 still passes traffic, the device is gone,
# and a new vif 7 served honestly connects and takes frames (lab-lib.sh).
# Runs on the kernel-backend pairs (vif 0 stays on the stock backend), once
# per frontend: stock netfront and xvif-netfront.
# lab-timeout: 300
. /xvif/test/hostile/lab-lib.sh 2>/dev/null ||
	lab_skip "test/hostile/lab-lib.sh is not in the dom0 image: run make -C test/hostile before the lab"
hostile_back_setup
hostile_back_run bad-id tx
hostile_back_run bad-id rx
hostile_back_finish
