#!/usr/bin/env bats
# xvif-route and xvif-nat.

load helpers

routed_setup() {
	link xvif3.0 tap
	link eth0 ether
	echo "eth0 192.168.1.10/24" >>"$FAKE_DIR/addrs"
	xs frontend-id 3
}

@test "route_online_exact_calls" {
	routed_setup
	xs ip 10.1.0.5
	xs gatewaydev eth0
	hp route online
	[ "$status" -eq 0 ]
	expect_actions <<-EOF
	ip addr replace 192.168.1.10/32 dev xvif3.0
	ip link set dev xvif3.0 up
	ip route replace 10.1.0.5 dev xvif3.0 src 192.168.1.10 metric 2
	iptables -w -N XVIF-xvif3.0
	iptables -w -A XVIF-xvif3.0 -s 10.1.0.5 -m comment --comment xvif:xvif3.0 -j RETURN
	iptables -w -A XVIF-xvif3.0 -p udp --sport 68 --dport 67 -m comment --comment xvif:xvif3.0 -j RETURN
	iptables -w -A XVIF-xvif3.0 -m comment --comment xvif:xvif3.0 -j DROP
	iptables -w -I FORWARD -i xvif3.0 -m comment --comment xvif:xvif3.0 -j XVIF-xvif3.0
	iptables -w -I INPUT -i xvif3.0 -m comment --comment xvif:xvif3.0 -j XVIF-xvif3.0
	xenstore-write backend/vif/3/0/hotplug-status connected
	EOF
	expect_status connected
	[ "$(cat "$XVIF_SYSCTL_ROOT/net/ipv4/conf/xvif3.0/proxy_arp")" = 1 ]
}

@test "route_gatewaydev_from_netdev_env" {
	routed_setup
	link br-up bridge
	echo "br-up 172.16.0.1/16" >>"$FAKE_DIR/addrs"
	xs ip 10.1.0.5
	export netdev=br-up
	hp route online
	[ "$status" -eq 0 ]
	actions | grep -q -x "ip route replace 10.1.0.5 dev xvif3.0 src 172.16.0.1 metric 2"
}

@test "route_defaults_to_eth0" {
	routed_setup
	hp route online
	[ "$status" -eq 0 ]
	actions | grep -q -x "ip addr replace 192.168.1.10/32 dev xvif3.0"
	! actions | grep -q "^ip route"
	grep -q "no route to the guest" "$XVIF_LOG_FILE"
}

@test "route_gatewaydev_without_address_is_an_error" {
	routed_setup
	link eth1 ether
	xs gatewaydev eth1
	xs ip 10.1.0.5
	hp route online
	[ "$status" -ne 0 ]
	expect_status error "gateway device eth1 has no IPv4 address"
}

@test "route_warns_when_not_forwarding" {
	routed_setup
	echo 0 >"$XVIF_SYSCTL_ROOT/net/ipv4/ip_forward"
	hp route online
	[ "$status" -eq 0 ]
	grep -q "ip_forward is not 1" "$XVIF_LOG_FILE"
}

@test "route_offline_leaves_nothing" {
	routed_setup
	xs ip "10.1.0.5 10.1.0.6"
	hp route online
	[ "$status" -eq 0 ]
	forget_calls
	hp route offline
	[ "$status" -eq 0 ]
	[ ! -s "$FAKE_DIR/ipt" ] || { rules; false; }
	actions | grep -q -x "ip route flush dev xvif3.0"
	actions | grep -q -x "ip addr flush dev xvif3.0"
	hp route offline
	[ "$status" -eq 0 ]
}

@test "nat_online_default_address" {
	routed_setup
	export XENBUS_PATH=backend/vif/300/1
	BE=/local/domain/0/backend/vif/300/1
	link xvif300.1 tap
	hp nat online
	[ "$status" -eq 0 ]
	# Xen's rule: 10.<domid/256>.<domid%256>.<devid+1>, router +127.
	expect_actions <<-EOF
	ip addr replace 10.1.44.129/32 dev xvif300.1
	ip link set dev xvif300.1 up
	ip route replace 10.1.44.2/32 dev xvif300.1 src 10.1.44.129
	iptables -w -t nat -A POSTROUTING -s 10.1.44.2/32 ! -o xvif300.1 -m comment --comment xvif:xvif300.1 -j MASQUERADE
	xenstore-write backend/vif/300/1/hotplug-status connected
	EOF
	expect_status connected
	[ "$(cat "$XVIF_SYSCTL_ROOT/net/ipv4/conf/xvif300.1/proxy_arp")" = 1 ]
}

@test "nat_online_ip_and_gatewaydev" {
	routed_setup
	xs ip 192.168.50.7/24
	xs gatewaydev eth0
	hp nat online
	[ "$status" -eq 0 ]
	expect_actions <<-EOF
	ip addr replace 192.168.50.134/32 dev xvif3.0
	ip link set dev xvif3.0 up
	ip route replace 192.168.50.7/32 dev xvif3.0 src 192.168.50.134
	iptables -w -t nat -A POSTROUTING -s 192.168.50.7/32 -o eth0 -m comment --comment xvif:xvif3.0 -j MASQUERADE
	iptables -w -N XVIF-xvif3.0
	iptables -w -A XVIF-xvif3.0 -s 192.168.50.7/24 -m comment --comment xvif:xvif3.0 -j RETURN
	iptables -w -A XVIF-xvif3.0 -p udp --sport 68 --dport 67 -m comment --comment xvif:xvif3.0 -j RETURN
	iptables -w -A XVIF-xvif3.0 -m comment --comment xvif:xvif3.0 -j DROP
	iptables -w -I FORWARD -i xvif3.0 -m comment --comment xvif:xvif3.0 -j XVIF-xvif3.0
	iptables -w -I INPUT -i xvif3.0 -m comment --comment xvif:xvif3.0 -j XVIF-xvif3.0
	xenstore-write backend/vif/3/0/hotplug-status connected
	EOF
}

@test "nat_last_octet_too_big_is_an_error" {
	routed_setup
	xs ip 10.0.0.200
	hp nat online
	[ "$status" -ne 0 ]
	expect_status error "the last octet must be at most 127"
}

@test "nat_two_addresses_is_an_error" {
	routed_setup
	xs ip "10.0.0.2 10.0.0.3"
	hp nat online
	[ "$status" -ne 0 ]
	expect_status error "nat mode takes exactly one address"
}

@test "nat_without_iptables_is_an_error" {
	routed_setup
	rm "$T/bin/iptables"
	hp nat online
	[ "$status" -ne 0 ]
	expect_status error "nat mode needs iptables"
}

@test "nat_offline_leaves_nothing" {
	routed_setup
	xs ip 10.0.0.2
	hp nat online
	[ "$status" -eq 0 ]
	[ -s "$FAKE_DIR/ipt" ]
	hp nat offline
	[ "$status" -eq 0 ]
	[ ! -s "$FAKE_DIR/ipt" ] || { rules; false; }
	hp nat offline
	[ "$status" -eq 0 ]
}

@test "nat_rules_of_other_vifs_are_kept" {
	routed_setup
	echo "nat POSTROUTING -s 10.9.9.9/32 -m comment --comment xvif:xvif9.0 -j MASQUERADE" >>"$FAKE_DIR/ipt"
	echo "filter FORWARD -i eth0 -j ACCEPT" >>"$FAKE_DIR/ipt"
	hp nat online
	hp nat offline
	[ "$status" -eq 0 ]
	diff -u - <(rules) <<-EOF
	filter FORWARD -i eth0 -j ACCEPT
	nat POSTROUTING -s 10.9.9.9/32 -m comment --comment xvif:xvif9.0 -j MASQUERADE
	EOF
}
