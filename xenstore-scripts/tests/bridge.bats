#!/usr/bin/env bats
# xvif-bridge, and the rules every mode shares (naming, errors, offline).

load helpers

bridge_setup() {
	link xvif3.0 tap
	link xenbr0 bridge
	link eth0 ether
	xs frontend-id 3
	xs bridge xenbr0
}

# hold_lock / release_lock: another hotplug run holding the xvif lock.
hold_lock() {
	mkdir -p "$XVIF_LOCK_DIR"
	touch "$T/hold"
	flock "$XVIF_LOCK_DIR/xvif" bash -c "touch '$T/held'; while [ -e '$T/hold' ]; do sleep 0.1; done" &
	LOCK_HOLDER=$!
	while [ ! -e "$T/held" ]; do sleep 0.1; done
}
release_lock() {
	rm "$T/hold"
	wait "$LOCK_HOLDER"
}

@test "bridge_online_exact_calls" {
	bridge_setup
	hp bridge online
	[ "$status" -eq 0 ]
	expect_actions <<-EOF
	ip link set dev xvif3.0 master xenbr0 up
	xenstore-write backend/vif/3/0/hotplug-status connected
	EOF
	expect_status connected
	[ "$(xs_val hotplug-error)" = "<absent>" ]
	[ ! -s "$FAKE_DIR/ipt" ]
}

@test "bridge_online_mtu_and_antispoofing" {
	bridge_setup
	xs mtu 9000
	xs ip "10.0.0.5 10.0.0.6/32"
	hp bridge online
	[ "$status" -eq 0 ]
	expect_actions <<-EOF
	ip link set dev xvif3.0 mtu 9000
	ip link set dev xvif3.0 master xenbr0 up
	iptables -w -N XVIF-xvif3.0
	iptables -w -A XVIF-xvif3.0 -s 10.0.0.5 -m comment --comment xvif:xvif3.0 -j RETURN
	iptables -w -A XVIF-xvif3.0 -s 10.0.0.6/32 -m comment --comment xvif:xvif3.0 -j RETURN
	iptables -w -A XVIF-xvif3.0 -p udp --sport 68 --dport 67 -m comment --comment xvif:xvif3.0 -j RETURN
	iptables -w -A XVIF-xvif3.0 -m comment --comment xvif:xvif3.0 -j DROP
	iptables -w -I FORWARD -m physdev --physdev-in xvif3.0 -m comment --comment xvif:xvif3.0 -j XVIF-xvif3.0
	iptables -w -I INPUT -m physdev --physdev-in xvif3.0 -m comment --comment xvif:xvif3.0 -j XVIF-xvif3.0
	xenstore-write backend/vif/3/0/hotplug-status connected
	EOF
	expect_status connected
	[ "$(wc -l <"$FAKE_DIR/ipt")" -eq 7 ]
}

@test "bridge_online_warns_without_br_netfilter" {
	bridge_setup
	xs ip 10.0.0.5
	echo 0 >"$XVIF_SYSCTL_ROOT/net/bridge/bridge-nf-call-iptables"
	hp bridge online
	[ "$status" -eq 0 ]
	grep -q "br_netfilter" "$XVIF_LOG_FILE"
}

@test "bridge_offline_leaves_nothing" {
	bridge_setup
	xs ip 10.0.0.5
	hp bridge online
	[ "$status" -eq 0 ]
	forget_calls
	hp bridge offline
	[ "$status" -eq 0 ]
	[ ! -s "$FAKE_DIR/ipt" ] || { rules; false; }
	actions | grep -q -x "ip link set dev xvif3.0 nomaster"
	# offline reports nothing to libxl.
	! grep -q xenstore-write "$FAKE_DIR/calls"
}

@test "bridge_offline_twice_after_tap_gone" {
	bridge_setup
	xs ip 10.0.0.5
	hp bridge online
	unlink_dev xvif3.0
	hp bridge offline
	[ "$status" -eq 0 ]
	hp bridge offline
	[ "$status" -eq 0 ]
	[ ! -s "$FAKE_DIR/ipt" ]
	expect_status connected
}

@test "bridge_offline_without_online" {
	bridge_setup
	hp bridge offline
	[ "$status" -eq 0 ]
	[ ! -s "$FAKE_DIR/ipt" ]
	[ "$(xs_val hotplug-status)" = "<absent>" ]
}

@test "bridge_online_twice_no_duplicate_rules" {
	bridge_setup
	xs ip 10.0.0.5
	hp bridge online
	hp bridge online
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$FAKE_DIR/ipt")" -eq 6 ] || { rules; false; }
}

@test "bridge_missing_bridge_is_an_error" {
	bridge_setup
	xs bridge xenbr9
	hp bridge online
	[ "$status" -ne 0 ]
	expect_status error "bridge xenbr9 does not exist"
	[[ "$(xs_val hotplug-error)" == "xvif-bridge: xvif3.0: "* ]]
	! actions | grep -q " master "
}

@test "bridge_not_a_bridge_is_an_error" {
	bridge_setup
	xs bridge eth0
	hp bridge online
	[ "$status" -ne 0 ]
	expect_status error "eth0 exists but is not a Linux bridge"
}

@test "bridge_key_absent_is_an_error" {
	link xvif3.0 tap
	hp bridge online
	[ "$status" -ne 0 ]
	expect_status error "no bridge given"
}

@test "vifname_names_the_interface" {
	bridge_setup
	link web0 tap
	xs vifname web0
	hp bridge online
	[ "$status" -eq 0 ]
	expect_actions <<-EOF
	ip link set dev web0 master xenbr0 up
	xenstore-write backend/vif/3/0/hotplug-status connected
	EOF
}

@test "vif_env_is_not_trusted" {
	bridge_setup
	link vif3.0 tap
	export vif=eth0
	hp bridge online
	[ "$status" -eq 0 ]
	actions | grep -q -x "ip link set dev xvif3.0 master xenbr0 up"
}

@test "default_name_from_absolute_xenbus_path" {
	link xvif12.3 tap
	link xenbr0 bridge
	export XENBUS_PATH=/local/domain/0/backend/vif/12/3
	xs /local/domain/0/backend/vif/12/3/bridge xenbr0
	hp bridge online
	[ "$status" -eq 0 ]
	actions | grep -q -x "ip link set dev xvif12.3 master xenbr0 up"
	[ "$(xs_val /local/domain/0/backend/vif/12/3/hotplug-status)" = connected ]
}

@test "vifname_invalid_is_an_error" {
	local bad
	for bad in "two words" "a+b" "sixteen-chars-xx" "-lead" ".." 'x$y' "a/b"; do
		setup
		bridge_setup
		xs vifname "$bad"
		hp bridge online
		[ "$status" -ne 0 ] || { echo "accepted '$bad'"; false; }
		expect_status error "is not a valid interface name"
		! actions | grep -q "^ip link set"
	done
}

@test "largest_ids_make_a_15_char_name" {
	link xvif32751.65535 tap
	link xenbr0 bridge
	export XENBUS_PATH=backend/vif/32751/65535
	xs /local/domain/0/backend/vif/32751/65535/bridge xenbr0
	hp bridge online
	[ "$status" -eq 0 ]
	actions | grep -q -x "ip link set dev xvif32751.65535 master xenbr0 up"
}

@test "xenbus_path_ids_out_of_range_are_errors" {
	local p
	for p in backend/vif/32752/0 backend/vif/3/65536 backend/vif/03/0 backend/vif/3/0/x; do
		setup
		export XENBUS_PATH=$p
		hp bridge online
		[ "$status" -ne 0 ] || { echo "accepted $p"; false; }
		[[ "$(xs_val "/local/domain/0/$p/hotplug-error")" == *"is not backend/vif/<domid>/<devid>"* ]]
	done
}

@test "xenbus_path_not_a_vif_is_an_error" {
	export XENBUS_PATH=backend/vbd/3/0
	hp bridge online
	[ "$status" -ne 0 ]
	[[ "$(xs_val /local/domain/0/backend/vbd/3/0/hotplug-error)" == *"is not backend/vif/<domid>/<devid>"* ]]
}

@test "interface_absent_is_an_error" {
	link xenbr0 bridge
	xs bridge xenbr0
	hp bridge online
	[ "$status" -ne 0 ]
	expect_status error "interface xvif3.0 does not exist"
	[[ "$(xs_val hotplug-error)" == *"xvif-netback"* ]]
}

@test "mtu_invalid_is_an_error" {
	local bad
	for bad in 0 67 65536 9k -1 1e3; do
		setup
		bridge_setup
		xs mtu "$bad"
		hp bridge online
		[ "$status" -ne 0 ] || { echo "accepted mtu '$bad'"; false; }
		expect_status error "mtu '$bad' is not a number"
	done
}

@test "ip_invalid_is_an_error" {
	local bad
	for bad in 10.0.0.300 10.0.0 10.0.0.1/33 fe80::1 "10.0.0.1;x"; do
		setup
		bridge_setup
		xs ip "$bad"
		hp bridge online
		[ "$status" -ne 0 ] || { echo "accepted ip '$bad'"; false; }
		expect_status error "is not an IPv4 address"
		[ ! -s "$FAKE_DIR/ipt" ]
	done
}

@test "failure_midway_undoes_what_was_done" {
	bridge_setup
	xs ip 10.0.0.5
	export FAKE_IPT_FAIL="-w -I INPUT *"
	hp bridge online
	[ "$status" -ne 0 ]
	expect_status error "failed"
	[ ! -s "$FAKE_DIR/ipt" ] || { rules; false; }
	actions | grep -q -x "ip link set dev xvif3.0 nomaster"
}

@test "ip_command_failure_is_an_error" {
	bridge_setup
	export FAKE_IP_FAIL="link set dev xvif3.0 master *"
	hp bridge online
	[ "$status" -ne 0 ]
	expect_status error "'ip link set dev xvif3.0 master xenbr0 up' failed"
}

@test "antispoofing_without_iptables_is_an_error" {
	bridge_setup
	xs ip 10.0.0.5
	rm "$T/bin/iptables"
	hp bridge online
	[ "$status" -ne 0 ]
	expect_status error "iptables is not installed"
}

@test "tap_type_is_not_ours" {
	bridge_setup
	export INTERFACE=vif3.0-emu
	run "$SRC/xvif-bridge" add type_if=tap
	[ "$status" -eq 0 ]
	[ ! -s "$FAKE_DIR/calls" ]
}

@test "usage_without_command" {
	run "$SRC/xvif-bridge"
	[ "$status" -ne 0 ]
	[[ "$output" == *"usage: xvif-bridge online|offline"* ]]
}

@test "log_names_the_vif" {
	bridge_setup
	hp bridge online
	grep -q "xvif-bridge\[[0-9]*\] info xvif3.0: online" "$XVIF_LOG_FILE"
}

@test "online_waits_for_the_lock" {
	bridge_setup
	xs ip 10.0.0.5
	# Another hotplug run holds the lock until release_lock.
	hold_lock
	"$SRC/xvif-bridge" online type_if=vif &
	local script=$!
	# It got past its start (the log line) and must now be waiting.
	while ! grep -q "online (XENBUS_PATH" "$XVIF_LOG_FILE" 2>/dev/null; do sleep 0.1; done
	sleep 0.5
	[ "$(xs_val hotplug-status)" = "<absent>" ] || { echo "wrote hotplug-status while the lock was held"; false; }
	# Looking (-S, -L) is allowed without the lock; changing is not.
	! grep -E -q "^iptables .*-(N|A|I|D|F|X) " "$FAKE_DIR/calls" || { echo "changed iptables while the lock was held"; false; }
	release_lock
	wait "$script"
	expect_status connected
}

@test "online_without_ip_does_not_wait_for_the_lock" {
	# No firewall rules to add or remove: nothing shared to serialise, so a
	# guest's many vifs come up in parallel (libxl's hotplug timeout is 40 s
	# for all of them).
	bridge_setup
	hold_lock
	local rc=0
	"$SRC/xvif-bridge" online type_if=vif || rc=$?
	release_lock
	[ "$rc" = 0 ] || { echo "online failed (rc $rc) while another run held the lock"; false; }
	expect_status connected
	grep -q "^ip link set dev xvif3.0 master xenbr0 up" "$FAKE_DIR/calls"
}

@test "online_with_stale_rules_waits_for_the_lock" {
	# A previous run's rules are left (no offline in between): deleting
	# them changes shared chains, so it waits for the lock.
	bridge_setup
	xs ip 10.0.0.5
	hp bridge online
	sed -i "\\|^$BE/ip=|d" "$FAKE_DIR/xs"
	[ "$(xs_val ip)" = "<absent>" ]
	: > "$FAKE_DIR/calls"
	hold_lock
	"$SRC/xvif-bridge" online type_if=vif &
	local script=$!
	# It looked for its rules (and found them) and must now be waiting.
	while ! grep -q "^iptables -w -n -L XVIF-xvif3.0" "$FAKE_DIR/calls" 2>/dev/null; do sleep 0.1; done
	sleep 0.5
	! grep -E -q "^iptables .*-(N|A|I|D|F|X) " "$FAKE_DIR/calls" || { echo "deleted rules while the lock was held"; false; }
	release_lock
	wait "$script"
	! grep -q "xvif:xvif3.0" "$FAKE_DIR/ipt" || { echo "stale rules left"; cat "$FAKE_DIR/ipt"; false; }
}

@test "two_vifs_offline_of_one_keeps_the_other" {
	bridge_setup
	link xvif3.1 tap
	xs ip 10.0.0.5
	xs /local/domain/0/backend/vif/3/1/bridge xenbr0
	xs /local/domain/0/backend/vif/3/1/ip 10.0.0.6
	hp bridge online
	XENBUS_PATH=backend/vif/3/1 run "$SRC/xvif-bridge" online type_if=vif
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$FAKE_DIR/ipt")" -eq 12 ]
	hp bridge offline
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$FAKE_DIR/ipt")" -eq 6 ]
	! grep -q "xvif3\.0" "$FAKE_DIR/ipt"
}

@test "lock_timeout_changes_nothing" {
	# The lock stays held past XVIF_LOCK_WAIT: the run fails with the
	# reason, and its cleanup does not touch the firewall without the lock.
	bridge_setup
	xs ip 10.0.0.5
	hp bridge online
	xvif_rules=$(rules)
	: > "$FAKE_DIR/calls"
	hold_lock
	XVIF_LOCK_WAIT=1 run "$SRC/xvif-bridge" online type_if=vif
	release_lock
	[ "$status" -ne 0 ]
	expect_status error "held $XVIF_LOCK_DIR/xvif for 1s"
	! grep -E -q "^iptables .*-(N|A|I|D|F|X) " "$FAKE_DIR/calls" || { echo "changed iptables without the lock:"; grep '^iptables' "$FAKE_DIR/calls"; false; }
	[ "$(rules)" = "$xvif_rules" ]
}
