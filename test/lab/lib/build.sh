# shellcheck shell=bash
# Build (or reuse) the lab's boot images under $LAB_IMG:
#   xen               the hypervisor, decompressed
#   guest-initrd.gz   busybox, iperf3, iproute2, xen-netfront.ko, xvif-netfront.ko if built, guest/init
#   dom0-initrd.gz    Xen 4.17 toolstack (C xenstored, xl, xenconsoled), hotplug scripts,
#                     xvif-netback if built, kernel modules, the lab library and scenarios,
#                     and the guest kernel (pre-extracted ELF) + guest initramfs
# The images are rebuilt only when an input changed: the stamp is a hash of
# every input file's path, size and mtime plus the versions of the Debian
# packages copied from.
# Sourced by run.sh/demo.sh; needs LAB_DIR, TOP, LAB_KVER, XEN_SERIES, LAB_IMG.

# shellcheck source=initramfs.sh
. "$LAB_DIR/lib/initramfs.sh"

XEN_BIN=/usr/lib/xen-$XEN_SERIES/bin

# Artifacts of the other parts of xvif, each optional.
NETBACK_BIN=$TOP/build/bin/xvif-netback
NETFRONT_KO=$TOP/netfront/xvif-netfront.ko
SCRIPTS_DIR=$TOP/xenstore-scripts

# Extra files other suites want inside the lab (hostile tools...): every
# test/*/lab-dom0.files and test/*/lab-guest.files lists paths relative to
# the top directory, one a line ('#' comments); each lands at /xvif/<path>.
# An absolute path names a host file (e.g. /usr/sbin/iptables), copied to
# the same path.
extra_lists() { ls "$TOP"/test/*/"lab-$1.files" 2>/dev/null; }
extra_files() {
	local list f
	for list in $(extra_lists "$1"); do
		sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list" | while read -r f; do echo "$f"; done
	done
}

# copy_extras ROOT dom0|guest: the listed files, each with its libraries.
# A relative path is the tree's (-> /xvif/<path>); an absolute one is the
# host's own file (a Debian package's binary), copied to the same path.
copy_extras() {
	local r=$1 f
	for f in $(extra_files "$2"); do
		case "$f" in
		/*)
			[ -e "$f" ] || { echo "lab: $f (listed for $2) is not installed on this host: left out" >&2; continue; }
			copy_bin "$r" "$f" ;;
		*)
			[ -e "$TOP/$f" ] || { echo "lab: $f (listed for $2) is not built: left out" >&2; continue; }
			copy_bin_to "$r" "/xvif/$(dirname "$f")" "$TOP/$f" ;;
		esac
	done
}

lab_inputs() {
	find "$LAB_DIR" -type f ! -name '*~' ! -name README
	[ -e "$NETBACK_BIN" ] && echo "$NETBACK_BIN"
	[ -e "$NETFRONT_KO" ] && echo "$NETFRONT_KO"
	[ -d "$SCRIPTS_DIR" ] && find "$SCRIPTS_DIR" -type f
	extra_lists dom0; extra_lists guest
	local f
	for f in $(extra_files dom0) $(extra_files guest); do
		case "$f" in /*) [ -e "$f" ] && echo "$f";; *) [ -e "$TOP/$f" ] && echo "$TOP/$f";; esac
	done
	echo "/boot/vmlinuz-$LAB_KVER" "/boot/xen-$XEN_SERIES-amd64.gz"
}

lab_stamp() {
	{
		lab_inputs | LC_ALL=C sort | xargs stat -c '%n %s %Y' 2>/dev/null
		dpkg-query -W -f='${Package} ${Version}\n' "xen-hypervisor-$XEN_SERIES-amd64" \
			"xen-utils-$XEN_SERIES" "linux-image-$LAB_KVER" busybox-static iperf3 iproute2 iptables 2>/dev/null
	} | sha256sum | cut -d' ' -f1
}

build_guest() {
	local r=$LAB_IMG/guest-root
	mk_skel "$r"
	copy_bin "$r" /usr/bin/iperf3 /usr/sbin/ip
	busybox_links "$r"
	copy_modules "$r" xen-netfront || return 1
	if [ -e "$NETFRONT_KO" ]; then
		mkdir -p "$r/usr/lib/modules/$LAB_KVER/extra"
		cp "$NETFRONT_KO" "$r/usr/lib/modules/$LAB_KVER/extra/"
	fi
	depmod -b "$r" "$LAB_KVER"
	local f
	copy_extras "$r" guest
	install -m755 "$LAB_DIR/guest/init" "$r/init"
	echo "root:x:0:0:root:/root:/bin/sh" > "$r/etc/passwd"
	pack "$r" "$LAB_IMG/guest-initrd.gz"
}

# A pre-extracted ELF kernel: libxenguest takes ~4 s per `xl create` to
# decompress the XZ bzImage under TCG (PoC pitfall 7).
extract_vmlinux() {
	python3 - "/boot/vmlinuz-$LAB_KVER" > "$1.xz" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
i = d.find(b'\xfd7zXZ\x00')
if i < 0:
    sys.exit("no XZ payload in " + sys.argv[1])
sys.stdout.buffer.write(d[i:])
PY
	# xz stops with "trailing garbage" after the payload: that is expected.
	xz -dc < "$1.xz" > "$1" 2>/dev/null
	rm -f "$1.xz"
	[ "$(head -c4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]
}

build_dom0() {
	local r=$LAB_IMG/dom0-root b
	mk_skel "$r"
	copy_bin "$r" "$XEN_BIN/xl" "$XEN_BIN/xenstored" "$XEN_BIN/xenconsoled" "$XEN_BIN/xen-init-dom0" \
		"$XEN_BIN/xenconsole" "$XEN_BIN/libxl-save-helper" "$XEN_BIN/xenstore-control" \
		"$XEN_BIN/lsevtchn" /usr/bin/xenstore
	# Call the real binaries: /usr/sbin/xl is Debian's wrapper (PoC pitfall 3).
	for b in xl xenstored xenconsoled xen-init-dom0 xenconsole lsevtchn xenstore-control; do
		ln -sf "$XEN_BIN/$b" "$r/usr/sbin/$b"
	done
	for b in xenstore-chmod xenstore-exists xenstore-list xenstore-ls xenstore-read xenstore-rm \
		xenstore-watch xenstore-write; do
		ln -sf xenstore "$r/usr/bin/$b"
	done
	copy_bin "$r" /usr/bin/bash /usr/bin/flock /usr/sbin/ip /usr/sbin/bridge /usr/sbin/brctl /usr/bin/iperf3
	# glibc dlopen()s libgcc_s for pthread_cancel: xl aborts without it (PoC pitfall 1).
	copy_file "$r" /lib/x86_64-linux-gnu/libgcc_s.so.1
	busybox_links "$r"
	mkdir -p "$r/etc/xen"
	cp -a /etc/xen/xl.conf "$r/etc/xen/"
	cp -a /etc/xen/scripts "$r/etc/xen/scripts"
	install -m755 "$LAB_DIR/dom0/lab-xvif-bridge" "$r/etc/xen/scripts/lab-xvif-bridge"
	# xvif's hotplug scripts, laid down by their own `make install`; only the
	# scripts are taken (xl.conf is left alone: the lab names script= itself).
	: > "$LAB_IMG/parts.txt"
	if [ -f "$SCRIPTS_DIR/Makefile" ]; then
		local stage=$LAB_IMG/scripts-stage
		rm -rf "$stage"
		# The install edits the stage's copy of dom0's xl.conf; the result
		# goes to /lab/xl.conf.installed for script-default (which swaps it
		# in), /etc/xen/xl.conf stays dom0's own.
		mkdir -p "$stage/etc/xen" && cp /etc/xen/xl.conf "$stage/etc/xen/xl.conf"
		if make -s -C "$SCRIPTS_DIR" install DESTDIR="$stage" >"$LAB_IMG/scripts-install.log" 2>&1 \
			&& [ -d "$stage/etc/xen/scripts" ]; then
			cp -a "$stage/etc/xen/scripts/." "$r/etc/xen/scripts/"
			mkdir -p "$r/lab" && cp "$stage/etc/xen/xl.conf" "$r/lab/xl.conf.installed"
			echo "scripts installed $(cd "$stage/etc/xen/scripts" && echo *)" >> "$LAB_IMG/parts.txt"
		else
			echo "scripts failed: make -C xenstore-scripts install DESTDIR=... failed (see $LAB_IMG/scripts-install.log)" >> "$LAB_IMG/parts.txt"
		fi
	else
		echo "scripts missing: xenstore-scripts/Makefile does not exist yet" >> "$LAB_IMG/parts.txt"
	fi
	if [ -x "$NETBACK_BIN" ]; then
		copy_bin_to "$r" /usr/sbin "$NETBACK_BIN"
	fi
	# iptables (nft backend) for the hotplug scripts' NAT and anti-spoofing
	# rules (script-* scenarios), with the extensions those rules use (they
	# are dlopen()ed: ldd does not list them) and the kernel modules below.
	if [ -x /usr/sbin/xtables-nft-multi ]; then
		copy_bin "$r" /usr/sbin/xtables-nft-multi
		for b in iptables iptables-save iptables-restore; do
			ln -sf xtables-nft-multi "$r/usr/sbin/$b"
		done
		for b in comment physdev MASQUERADE standard tcp udp; do
			copy_bin "$r" "/usr/lib/x86_64-linux-gnu/xtables/libxt_$b.so"
		done
		# crc32c_generic: libcrc32c's soft dependency (nf_tables needs it; TCG has no crc32c-intel).
		copy_modules "$r" crc32c_generic nf_tables nft_compat nft_chain_nat nft_masq xt_MASQUERADE xt_comment \
			xt_physdev xt_tcpudp br_netfilter || return 1
	fi
	copy_modules "$r" xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd tun bridge xen-netback \
		virtio_pci virtio_blk || return 1
	depmod -b "$r" "$LAB_KVER"
	local f
	copy_extras "$r" dom0
	mkdir -p "$r/guest" "$r/lab"
	extract_vmlinux "$r/guest/vmlinux" || { echo "lab: could not extract the ELF kernel from /boot/vmlinuz-$LAB_KVER" >&2; return 1; }
	cp "$LAB_IMG/guest-initrd.gz" "$r/guest/initrd.gz"
	install -m755 "$LAB_DIR/dom0/init" "$r/init"
	cp "$LAB_DIR/dom0/lib.sh" "$r/lab/lib.sh"
	cp -a "$LAB_DIR/scenarios" "$r/lab/scenarios"
	# make bench's phases (test/lab/bench/dom0): in the image's scenario
	# directory, but not in test/lab/scenarios, so run.sh never lists them.
	[ -d "$LAB_DIR/bench/dom0" ] && cp "$LAB_DIR"/bench/dom0/*.sh "$r/lab/scenarios/"
	echo "root:x:0:0:root:/root:/bin/sh" > "$r/etc/passwd"; echo "root:x:0:" > "$r/etc/group"
	pack "$r" "$LAB_IMG/dom0-initrd.gz"
}

# Ensure the images are current. Prints one line saying built or reused.
# Concurrent runs in this tree take turns (a lock in $LAB_IMG).
lab_build() {
	mkdir -p "$LAB_IMG"
	(
		flock -w 600 9 || { echo "lab: $LAB_IMG/.lock held for 10 min by another build" >&2; exit 1; }
		lab_build_locked
	) 9> "$LAB_IMG/.lock"
}
lab_build_locked() {
	local stamp t0
	stamp=$(lab_stamp)
	if [ -f "$LAB_IMG/stamp" ] && [ "$(cat "$LAB_IMG/stamp")" = "$stamp" ] \
		&& [ -f "$LAB_IMG/dom0-initrd.gz" ] && [ -f "$LAB_IMG/xen" ]; then
		echo "lab: images up to date ($LAB_IMG)"
		return 0
	fi
	t0=$(date +%s)
	rm -f "$LAB_IMG/stamp"
	zcat "/boot/xen-$XEN_SERIES-amd64.gz" > "$LAB_IMG/xen.tmp" && mv "$LAB_IMG/xen.tmp" "$LAB_IMG/xen" || return 1
	build_guest || { echo "lab: building the guest initramfs failed" >&2; return 1; }
	build_dom0 || { echo "lab: building the dom0 initramfs failed" >&2; return 1; }
	rm -rf "$LAB_IMG/guest-root" "$LAB_IMG/dom0-root" "$LAB_IMG/scripts-stage"
	echo "$stamp" > "$LAB_IMG/stamp"
	echo "lab: images built in $(( $(date +%s) - t0 )) s ($LAB_IMG)"
}
