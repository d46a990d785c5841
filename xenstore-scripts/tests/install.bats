#!/usr/bin/env bats
# make install / uninstall with DESTDIR, and xl.conf kept as the admin wrote it.

load helpers

SCRIPTS="xvif-bridge xvif-route xvif-nat xvif-openvswitch"

admin_xl_conf() {
	mkdir -p "$1/etc/xen"
	cat >"$1/etc/xen/xl.conf" <<-'EOF'
	## Global XL config file ##
	autoballoon="off"
	#vif.default.script="vif-bridge"
	vif.default.script="vif-route"
	vif.default.gatewaydev="eth1"
	lockfile="/var/lock/xl"
	EOF
	cp "$1/etc/xen/xl.conf" "$T/xl.conf.orig"
}

@test "install_lays_down_the_files" {
	local d=$T/root f
	run make -s -C "$SRC" install DESTDIR="$d"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	for f in $SCRIPTS; do
		[ -f "$d/etc/xen/scripts/$f" ] && [ -x "$d/etc/xen/scripts/$f" ] || { echo "missing $f"; false; }
	done
	[ -f "$d/etc/xen/scripts/xvif-common.sh" ] && [ ! -x "$d/etc/xen/scripts/xvif-common.sh" ]
	grep -q -x "blacklist xen-netback" "$d/etc/modprobe.d/xvif-blacklist.conf"
	[ "$(grep -c '^[[:space:]]*vif\.default\.script' "$d/etc/xen/xl.conf")" -eq 1 ]
	grep -q -x 'vif.default.script="xvif-bridge"' "$d/etc/xen/xl.conf"
	# Nothing else: exactly these files.
	diff -u - <(cd "$d" && find . -type f | sort) <<-EOF
	./etc/modprobe.d/xvif-blacklist.conf
	./etc/xen/scripts/xvif-bridge
	./etc/xen/scripts/xvif-common.sh
	./etc/xen/scripts/xvif-nat
	./etc/xen/scripts/xvif-openvswitch
	./etc/xen/scripts/xvif-route
	./etc/xen/xl.conf
	EOF
}

@test "install_keeps_the_admins_xl_conf" {
	local d=$T/root
	admin_xl_conf "$d"
	make -s -C "$SRC" install DESTDIR="$d"
	diff -u - "$d/etc/xen/xl.conf" <<-'EOF'
	## Global XL config file ##
	autoballoon="off"
	#vif.default.script="vif-bridge"
	#xvif-saved# vif.default.script="vif-route"
	vif.default.gatewaydev="eth1"
	lockfile="/var/lock/xl"
	# xvif: the next line was set by make install of xvif; make uninstall restores the previous value
	vif.default.script="xvif-bridge"
	EOF
}

@test "install_twice_changes_nothing" {
	local d=$T/root
	admin_xl_conf "$d"
	make -s -C "$SRC" install DESTDIR="$d"
	cp "$d/etc/xen/xl.conf" "$T/once"
	make -s -C "$SRC" install DESTDIR="$d"
	cmp "$T/once" "$d/etc/xen/xl.conf"
}

@test "uninstall_restores_xl_conf_and_removes_files" {
	local d=$T/root
	admin_xl_conf "$d"
	make -s -C "$SRC" install DESTDIR="$d"
	make -s -C "$SRC" uninstall DESTDIR="$d"
	cmp "$T/xl.conf.orig" "$d/etc/xen/xl.conf"
	diff -u - <(cd "$d" && find . -type f | sort) <<-EOF
	./etc/xen/xl.conf
	EOF
}

@test "uninstall_removes_an_xl_conf_it_created" {
	local d=$T/root
	make -s -C "$SRC" install DESTDIR="$d"
	[ -f "$d/etc/xen/xl.conf" ]
	make -s -C "$SRC" uninstall DESTDIR="$d"
	[ ! -e "$d/etc/xen/xl.conf" ]
	run make -s -C "$SRC" uninstall DESTDIR="$d"
	[ "$status" -eq 0 ]
}

@test "installed_script_finds_its_library" {
	local d=$T/root
	make -s -C "$SRC" install DESTDIR="$d"
	link xvif3.0 tap
	link xenbr0 bridge
	xs bridge xenbr0
	run "$d/etc/xen/scripts/xvif-bridge" online type_if=vif
	[ "$status" -eq 0 ]
	expect_status connected
}
