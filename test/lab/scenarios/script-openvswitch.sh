# script-openvswitch: xvif's xvif-openvswitch hotplug script with a real
# Open vSwitch. Not run in the lab: dom0 would need openvswitch-switch
# (ovsdb-server, ovs-vswitchd, a database, the openvswitch module), which
# the lab image does not carry. xvif-openvswitch is tested against a fake
# ovs-vsctl (xenstore-scripts/tests/openvswitch.bats: access, VLAN tag,
# trunk, both, bad syntax, missing bridge, offline).
# lab-timeout: 30
lab_need_backend xvif
lab_need_frontend stock
if command -v ovs-vsctl >/dev/null && command -v ovs-vswitchd >/dev/null; then
	lab_skip "Open vSwitch is in dom0 but this scenario does not drive it yet"
fi
lab_skip "openvswitch-switch is not in the lab's dom0 image (ovsdb-server, ovs-vswitchd, openvswitch module); xvif-openvswitch is covered by xenstore-scripts/tests/openvswitch.bats"
