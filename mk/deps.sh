#!/bin/bash
# Install every Debian package xvif's build, tests and lab need.
# Non-interactive and idempotent: packages already installed are not touched.
# usage: mk/deps.sh [--check]   (--check: only report what is missing, exit 1 if anything is)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

# Why each package is here:
pkgs=(
	build-essential pkg-config          # compilers, make
	clang libclang-rt-14-dev            # libFuzzer, ASan/UBSan runtimes
	libxen-dev                          # libxenstore, libxengnttab, libxenevtchn, libxenctrl, io/netif.h
	libcmocka-dev                       # unit-test framework
	libjson-c-dev                       # machine-readable status output
	libsystemd-dev                      # sd_notify and the journal
	libseccomp-dev                      # the per-vif workers' seccomp filter (xvif-netback --isolation=process)
	shellcheck                          # hotplug-script lint
	bats iptables                       # hotplug-script tests; the scripts' NAT and anti-spoofing rules (also in the lab dom0)
	iproute2 kmod                       # ip/bridge for script tests; modinfo/depmod for the lab
	"linux-headers-$LAB_KVER"           # module build, pinned to the lab kernel
	"linux-image-$LAB_KVER"             # the kernel the lab boots as dom0 and guest
	"xen-hypervisor-$XEN_SERIES-amd64"  # the lab's hypervisor
	"xen-utils-$XEN_SERIES" xenstore-utils  # xl, xenstored, xenconsoled in the lab's dom0
	qemu-system-x86                     # runs Xen under TCG
	busybox-static cpio                 # initramfs construction
	iperf3 bridge-utils bc perl python3 # lab traffic, bridges, timing
	socat                               # the lab's stand-in for systemd's notify socket (scenario systemd-notify)
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${1:-}" = "--check" ]; then
	[ ${#missing[@]} -eq 0 ] && { echo "deps: all installed"; exit 0; }
	echo "deps: missing: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root to install them" >&2
	exit 1
fi
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages already installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: installing them needs root: run 'sudo make deps' (or as root: make deps)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	echo "deps: apt-get failed. If linux-image-$LAB_KVER is no longer in the archive," >&2
	echo "deps: set LAB_KVER in mk/versions.env to a version 'apt-cache search linux-image-6.1' lists." >&2
	exit 1
fi
echo "deps: done"
