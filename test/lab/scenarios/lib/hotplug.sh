# Helpers shared by the script-* scenarios (xvif's hotplug scripts run by
# libxl). Sourced by a scenario after /lab/lib.sh; not a scenario itself
# (run.sh lists only scenarios/*.sh).

HLOG=/var/log/xen/xen-hotplug.log

# hotplug_modules MOD...: load the netfilter modules a script mode's rules
# use. crc32c_generic first: libcrc32c (nf_tables) needs it and busybox
# modprobe ignores softdeps.
hotplug_modules() {
	lab_run modprobe -a crc32c_generic nf_tables nft_compat "$@" 2>&1 || true
}

# probe MODE: /tmp/probe-MODE, a wrapper that runs xvif-MODE as libxl called
# it, then records its exit code, hotplug-status and hotplug-error in
# /tmp/probe-MODE.log (what libxl saw, for the failing cases).
probe() {
	cat >"/tmp/probe-$1" <<-PROBE
	#!/bin/bash
	/etc/xen/scripts/xvif-$1 "\$@"; rc=\$?
	echo "\$1 rc=\$rc status=\$(xenstore-read "\$XENBUS_PATH/hotplug-status" 2>/dev/null) error=\$(xenstore-read "\$XENBUS_PATH/hotplug-error" 2>/dev/null)" >>/tmp/probe-$1.log
	exit \$rc
	PROBE
	chmod +x "/tmp/probe-$1"
	: >"/tmp/probe-$1.log"
}

# forget_failed D N: a failed network-attach leaves the vif in xenstore (libxl
# 4.17 does not remove it); xl network-detach does, as an admin would.
forget_failed() {
	lab_run timeout 60 xl network-detach "$LAB_GUEST" "$2" || echo "xl network-detach $2: rc=$?"
	lab_wait 30 "backend/vif/$1/$2 to go" sh -c "! xenstore-exists /local/domain/0/backend/vif/$1/$2" ||
		lab_fail "backend/vif/$1/$2 still exists 30 s after xl network-detach of the failed vif"
}

# xvif_rules DEV: how many iptables rules (filter + nat) carry DEV's tag.
xvif_rules() { { iptables -w -S; iptables -w -t nat -S; } 2>/dev/null | grep -c "xvif:$1" || true; }
