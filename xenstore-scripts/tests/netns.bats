#!/usr/bin/env bats
# The scripts against the real ip and iptables, in a network namespace
# (only xenstore is faked). Needs root.
#
#   netns xv6-<pid>-<n>
#   +---------------------------------------------------+
#   |  xenbr0 (bridge, up)                              |
#   |     ^ master (bridge mode)                        |
#   |  xvif3.0 (veth; peer g3.0 plays the guest's end)  |
#   |  eth0 (veth; peer e0p) 192.168.1.10/24            |
#   +---------------------------------------------------+

load helpers

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, iptables)"
	command -v iptables >/dev/null || skip "iptables is not installed (make deps installs it)"
	local tool
	T=$BATS_TEST_TMPDIR
	export FAKE_DIR="$T/fake"
	mkdir -p "$FAKE_DIR" "$T/bin"
	: >"$FAKE_DIR/calls"
	: >"$FAKE_DIR/xs"
	cp "$SRC/tests/fakes/xenstore-read" "$SRC/tests/fakes/xenstore-write" "$T/bin/"
	for tool in bash cat date mkdir flock sleep awk grep sed rm mv touch head ip iptables; do
		ln -sf "$(type -P "$tool")" "$T/bin/$tool"
	done
	NS="xv6-$$-$BATS_TEST_NUMBER"
	ip netns add "$NS"
	n ip link add xenbr0 type bridge
	n ip link set xenbr0 up
	n ip link add xvif3.0 type veth peer name g3.0
	n ip link add eth0 type veth peer name e0p
	n ip addr add 192.168.1.10/24 dev eth0
	n ip link set eth0 up
	n sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
	export XVIF_PATH="$T/bin" XVIF_LOG_FILE="$T/log/xen-hotplug.log" XVIF_LOCK_DIR="$T/lock" XVIF_IF_WAIT=0
	export XENBUS_PATH=backend/vif/3/0 XENBUS_TYPE=vif XENBUS_BASE_PATH=backend vif=vif3.0
}

teardown() {
	[ -z "${NS:-}" ] || ip netns del "$NS" 2>/dev/null || true
}

n() {
	ip netns exec "$NS" "$@"
}

# nhp MODE CMD: the script, run inside the namespace.
nhp() {
	run ip netns exec "$NS" "$SRC/xvif-$1" "$2" type_if=vif
}

# xvif_rules: every iptables line (filter and nat) that mentions xvif.
xvif_rules() {
	{ n iptables -w -S; n iptables -w -t nat -S; } | grep -i xvif || true
}

@test "netns_bridge_online_offline" {
	xs bridge xenbr0
	xs ip 10.0.0.5
	xs mtu 1400
	nhp bridge online
	[ "$status" -eq 0 ] || { cat "$XVIF_LOG_FILE"; false; }
	expect_status connected
	n ip -o link show dev xvif3.0 | grep -q "master xenbr0"
	n ip -o link show dev xvif3.0 | grep -q "mtu 1400"
	n ip -o link show dev xvif3.0 | grep -q "<.*UP.*>"
	[ "$(xvif_rules | wc -l)" -eq 6 ] || { xvif_rules; false; }
	nhp bridge offline
	[ "$status" -eq 0 ] || { cat "$XVIF_LOG_FILE"; false; }
	! n ip -o link show dev xvif3.0 | grep -q master
	[ -z "$(xvif_rules)" ] || { xvif_rules; false; }
	nhp bridge offline
	[ "$status" -eq 0 ]
}

@test "netns_bridge_missing" {
	xs bridge xenbr7
	nhp bridge online
	[ "$status" -ne 0 ]
	expect_status error "bridge xenbr7 does not exist"
}

@test "netns_route_online_offline" {
	xs ip "10.1.0.5 10.1.0.6"
	xs gatewaydev eth0
	nhp route online
	[ "$status" -eq 0 ] || { cat "$XVIF_LOG_FILE"; false; }
	expect_status connected
	n ip -4 -o addr show dev xvif3.0 | grep -q "inet 192.168.1.10/32"
	n ip route show dev xvif3.0 | grep -q "^10.1.0.5 .*src 192.168.1.10 metric 2"
	n ip route show dev xvif3.0 | grep -q "^10.1.0.6 "
	[ "$(n cat /proc/sys/net/ipv4/conf/xvif3.0/proxy_arp)" = 1 ]
	nhp route offline
	[ "$status" -eq 0 ]
	[ -z "$(n ip route show dev xvif3.0)" ]
	[ -z "$(n ip -4 -o addr show dev xvif3.0)" ]
	[ -z "$(xvif_rules)" ] || { xvif_rules; false; }
}

@test "netns_nat_online_offline" {
	xs ip 10.0.3.1
	xs gatewaydev eth0
	nhp nat online
	[ "$status" -eq 0 ] || { cat "$XVIF_LOG_FILE"; false; }
	expect_status connected
	n iptables -w -t nat -S POSTROUTING | grep -q -- "-s 10.0.3.1/32 -o eth0 .*-j MASQUERADE"
	n ip route show dev xvif3.0 | grep -q "^10.0.3.1 .*src 10.0.3.128"
	nhp nat offline
	[ "$status" -eq 0 ]
	[ -z "$(xvif_rules)" ] || { xvif_rules; false; }
	[ -z "$(n ip route show dev xvif3.0)" ]
}
