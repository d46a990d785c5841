#!/usr/bin/env bats
# xvif-openvswitch: Xen's bridge syntax (BR, BR.VLAN, BR:V1:V2).

load helpers

ovs_setup() {
	link xvif3.0 tap
	echo ovsbr0 >>"$FAKE_DIR/ovs-bridges"
	xs frontend-id 3
	xs mac 00:16:3e:00:00:01
	xs /local/domain/3/vm /vm/1234
	xs /vm/1234/name web
	xs /vm/1234/uuid 1234-5678
}

IDS='-- set interface xvif3.0 external-ids:xen-vm-name="web" external-ids:xen-vm-uuid="1234-5678" external-ids:attached-mac="00:16:3e:00:00:01"'

@test "ovs_online_access_port" {
	ovs_setup
	xs bridge ovsbr0
	hp openvswitch online
	[ "$status" -eq 0 ]
	expect_actions <<-EOF
	ovs-vsctl --timeout=30 br-exists ovsbr0
	ovs-vsctl --timeout=30 -- --if-exists del-port xvif3.0 -- add-port ovsbr0 xvif3.0 $IDS
	ip link set dev xvif3.0 up
	xenstore-write backend/vif/3/0/hotplug-status connected
	EOF
	expect_status connected
}

@test "ovs_online_vlan_tag" {
	ovs_setup
	xs bridge ovsbr0.10
	hp openvswitch online
	[ "$status" -eq 0 ]
	actions | grep -q -x -F -- "ovs-vsctl --timeout=30 -- --if-exists del-port xvif3.0 -- add-port ovsbr0 xvif3.0 tag=10 $IDS"
}

@test "ovs_online_trunk" {
	ovs_setup
	xs bridge ovsbr0:10:20:30
	hp openvswitch online
	[ "$status" -eq 0 ]
	actions | grep -q -x -F -- "ovs-vsctl --timeout=30 -- --if-exists del-port xvif3.0 -- add-port ovsbr0 xvif3.0 trunks=10,20,30 $IDS"
}

@test "ovs_online_tag_and_trunk_mtu" {
	ovs_setup
	xs bridge ovsbr0.5:6:7
	xs mtu 1400
	hp openvswitch online
	[ "$status" -eq 0 ]
	actions | grep -q -x -F -- "ip link set dev xvif3.0 mtu 1400"
	actions | grep -q -x -F -- "ovs-vsctl --timeout=30 -- --if-exists del-port xvif3.0 -- add-port ovsbr0 xvif3.0 tag=5 trunks=6,7 $IDS"
}

@test "ovs_without_vm_labels" {
	link xvif3.0 tap
	echo ovsbr0 >>"$FAKE_DIR/ovs-bridges"
	xs bridge ovsbr0
	hp openvswitch online
	[ "$status" -eq 0 ]
	actions | grep -q -x -F -- "ovs-vsctl --timeout=30 -- --if-exists del-port xvif3.0 -- add-port ovsbr0 xvif3.0"
}

@test "ovs_bad_syntax_is_an_error" {
	local bad
	for bad in "" ovsbr0.x ovsbr0: ovsbr0.10.20 "ovs br0" ovsbr0.5000 ovsbr0:1:99999; do
		setup
		ovs_setup
		xs bridge "$bad"
		hp openvswitch online
		[ "$status" -ne 0 ] || { echo "accepted '$bad'"; false; }
		[ "$(xs_val hotplug-status)" = error ]
		! actions | grep -q add-port
	done
}

@test "ovs_missing_bridge_is_an_error" {
	ovs_setup
	xs bridge ovsbr9.10
	hp openvswitch online
	[ "$status" -ne 0 ]
	expect_status error "Open vSwitch bridge ovsbr9 does not exist"
}

@test "ovs_antispoofing" {
	ovs_setup
	xs bridge ovsbr0
	xs ip 10.0.0.9
	hp openvswitch online
	[ "$status" -eq 0 ]
	grep -q -- "-m physdev --physdev-in xvif3.0" "$FAKE_DIR/ipt"
}

@test "ovs_offline_removes_the_port" {
	ovs_setup
	xs bridge ovsbr0
	xs ip 10.0.0.9
	hp openvswitch online
	forget_calls
	hp openvswitch offline
	[ "$status" -eq 0 ]
	actions | grep -q -x -F -- "ovs-vsctl --timeout=30 -- --if-exists del-port xvif3.0"
	[ ! -s "$FAKE_DIR/ipt" ]
	hp openvswitch offline
	[ "$status" -eq 0 ]
}

@test "ovs_without_ovs_vsctl_is_an_error" {
	ovs_setup
	xs bridge ovsbr0
	rm "$T/bin/ovs-vsctl"
	hp openvswitch online
	[ "$status" -ne 0 ]
	expect_status error "ovs-vsctl not found"
}
