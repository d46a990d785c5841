# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# xvif-common.sh: the library every xvif vif hotplug script sources.
#
# libxl runs a vif's script as
#     <script> online|offline type_if=vif
# with, in the environment, XENBUS_PATH=backend/vif/<domid>/<devid> (relative
# to dom0's home, /local/domain/0), XENBUS_TYPE=vif, XENBUS_BASE_PATH=backend,
# netdev (the gatewaydev, if any) and vif=vif<domid>.<devid> (the kernel
# netback's name, which xvif-netback does not use).
#
# After `online` the script must write hotplug-status=connected (success) or
# hotplug-error=<why> and hotplug-status=error (fatal) in the backend
# directory: libxl waits for one of them and xl prints hotplug-error.
# `offline` writes nothing, is idempotent and leaves nothing behind.
#
# A mode script (xvif-bridge, ...) sources this file, calls
#     xvif_init "$@"
# defines xvif_mode_online and xvif_mode_cleanup, then calls xvif_main.
#
# Helpers (each documented where it is defined):
#   xvif_log LEVEL MSG...       one line in the hotplug log
#   fatal MSG...                fail `online`: undo, write the error, exit 1
#   success                     write hotplug-status=connected
#   xvif_xs_get VAR KEY [DEF]   read a backend key into VAR (DEF if absent)
#   xvif_run CMD...             run CMD, fatal naming it if it fails
#   xvif_try CMD...             run CMD, log a failure and go on
#   xvif_ifname_ok NAME         the interface-name rule (no output)
#   xvif_ipv4_ok ADDR           a.b.c.d or a.b.c.d/n
#   xvif_mtu_apply              set the interface's MTU from the `mtu` key
#   xvif_dev_exists NAME        does interface NAME exist
#   xvif_wait_dev               wait (bounded) for the vif's interface
#   xvif_lock                   take the hotplug lock (held until exit)
#   xvif_fw_antispoof bridged|routed   anti-spoofing rules for the `ip` key
#   xvif_fw_purge               remove every firewall rule made for the vif
#   xvif_proxy_arp              turn on proxy ARP on the interface
#   xvif_dom0_ipv4 VAR DEV      dom0's first global IPv4 address on DEV
#
# Paths that tests point elsewhere (defaults in brackets):
#   XVIF_LOG_FILE    [/var/log/xen/xen-hotplug.log]
#   XVIF_LOCK_DIR    [/run/xen-hotplug]
#   XVIF_SYSCTL_ROOT [/proc/sys]
#   XVIF_IF_WAIT     [10] seconds to wait for the interface

set -u
set -o pipefail

# Limits, each with its reason.
XVIF_IFNAME_MAX=15        # IFNAMSIZ (16) minus the terminating NUL
XVIF_DOMID_MAX=32752      # DOMID_FIRST_RESERVED (0x7ff0): larger ids are not guests
XVIF_DEVID_MAX=65535      # devid is a uint16 "handle" in libxl
XVIF_MTU_MIN=68           # smallest MTU IPv4 allows (RFC 791)
XVIF_MTU_MAX=65535        # largest packet an IPv4 header can describe
XVIF_LOCK_WAIT=${XVIF_LOCK_WAIT:-60} # seconds: longer than any other run's work (ovs-vsctl's 30 s timeout)
XVIF_WAIT_STEP=0.2        # seconds between checks for the interface ...
XVIF_WAIT_STEPS_PER_S=5   # ... so five checks a second

XVIF_LOG_FILE=${XVIF_LOG_FILE:-/var/log/xen/xen-hotplug.log}
XVIF_LOCK_DIR=${XVIF_LOCK_DIR:-/run/xen-hotplug}
XVIF_SYSCTL_ROOT=${XVIF_SYSCTL_ROOT:-/proc/sys}
XVIF_IF_WAIT=${XVIF_IF_WAIT:-10}

XVIF_SCRIPT=${0##*/}
XVIF_CMD=""
XVIF_DOMID=""
XVIF_DEVID=""
XVIF_DEV=""
XVIF_LOCK_FD=""
XVIF_FAILED=0

# libxl passes on xl's PATH, which may lack the sbin directories. Tests set
# XVIF_PATH to a sandbox of fake commands.
export PATH="${XVIF_PATH:-${PATH:-}:/usr/sbin:/usr/bin:/sbin:/bin}"
export LANG=C LC_ALL=C

##
# xvif_log LEVEL MSG...
# Append "time script[pid] LEVEL dev: MSG" to the hotplug log (stderr is
# redirected there by xvif_init). LEVEL is debug, info, warn or err.
xvif_log() {
	local level=$1
	shift
	printf '%s %s[%s] %s %s: %s\n' "$(date '+%F %T')" "$XVIF_SCRIPT" "$$" \
		"$level" "${XVIF_DEV:-${XENBUS_PATH:-?}}" "$*" >&2
}

##
# fatal MSG...
# For `online`: remove what this run set up, then write hotplug-error=MSG and
# hotplug-status=error in the backend directory and exit 1. For `offline`
# only log (libxl does not read the status of offline) and exit 1.
fatal() {
	local msg="$XVIF_SCRIPT: ${XVIF_DEV:+$XVIF_DEV: }$*"

	# A fatal inside the cleanup below ends only its subshell.
	if [ "$XVIF_FAILED" = 1 ]; then
		xvif_log err "(during cleanup) $*"
		exit 1
	fi
	XVIF_FAILED=1
	trap - ERR
	xvif_log err "$*"
	if [ "$XVIF_CMD" = online ]; then
		if [ -n "$XVIF_DEV" ] && declare -F xvif_mode_cleanup >/dev/null; then
			(xvif_mode_cleanup) || true
		fi
		if [ -n "${XENBUS_PATH:-}" ]; then
			xenstore-write "$XENBUS_PATH/hotplug-error" "$msg" \
				"$XENBUS_PATH/hotplug-status" error ||
				xvif_log err "could not write hotplug-status=error to $XENBUS_PATH"
		fi
	fi
	exit 1
}

##
# success
# Tell libxl the vif is plugged: hotplug-status=connected.
success() {
	xenstore-write "$XENBUS_PATH/hotplug-status" connected ||
		fatal "could not write $XENBUS_PATH/hotplug-status"
	xvif_log info "$XVIF_CMD done: hotplug-status=connected"
}

# Any command failing where it was not expected ends the run readably.
xvif_on_err() {
	fatal "unexpected failure (line $1): $2"
}

##
# xvif_xs_get VAR KEY [DEFAULT]
# Read KEY from the backend directory into the variable VAR. If the key is
# absent: VAR=DEFAULT when one is given, else fatal naming the key.
xvif_xs_get() {
	local _xs_var=$1 _xs_key=$2 _xs_val
	if _xs_val=$(xenstore-read "$XENBUS_PATH/$_xs_key" 2>/dev/null); then
		printf -v "$_xs_var" '%s' "$_xs_val"
	elif [ $# -ge 3 ]; then
		printf -v "$_xs_var" '%s' "$3"
	else
		fatal "backend key $XENBUS_PATH/$_xs_key is missing"
	fi
}

##
# xvif_run CMD...
# Run CMD (its errors go to the log); fatal naming CMD if it fails.
xvif_run() {
	xvif_log debug "run: $*"
	"$@" || fatal "'$*' failed (exit $?); see $XVIF_LOG_FILE"
}

##
# xvif_try CMD...
# Run CMD for cleanup: a failure is logged at debug level and ignored.
xvif_try() {
	"$@" 2>/dev/null || xvif_log debug "ignored failure: $*"
}

##
# xvif_ifname_ok NAME
# True if NAME is an interface name xvif accepts: 1..15 characters of
# A-Z a-z 0-9 . _ -, not starting with '-', not "." or "..". Narrower than
# the kernel's rule on purpose: such names are safe as command arguments and
# in iptables (which reads '+' as a wildcard).
xvif_ifname_ok() {
	local n=$1
	[ "${#n}" -ge 1 ] && [ "${#n}" -le "$XVIF_IFNAME_MAX" ] || return 1
	[[ $n =~ ^[A-Za-z0-9_.][A-Za-z0-9_.-]*$ ]] || return 1
	[ "$n" != . ] && [ "$n" != .. ]
}

##
# xvif_ipv4_ok ADDR
# True if ADDR is a dotted-quad IPv4 address, optionally with /0../32.
xvif_ipv4_ok() {
	local a=$1 o
	[[ $a =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})(/([0-9]{1,2}))?$ ]] || return 1
	for o in "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}"; do
		[ "$((10#$o))" -le 255 ] || return 1
	done
	[ -z "${BASH_REMATCH[6]}" ] || [ "$((10#${BASH_REMATCH[6]}))" -le 32 ]
}

##
# xvif_parse_args ARGS...
# First word online|offline|add|remove is the command; type_if=vif|tap is
# the only variable accepted (others are logged and ignored: unlike Xen's
# scripts nothing from the command line is eval'ed).
xvif_parse_args() {
	local a
	XVIF_TYPE_IF=vif
	for a in "$@"; do
		case "$a" in
		online | offline | add | remove) [ -n "$XVIF_CMD" ] || XVIF_CMD=$a ;;
		type_if=vif | type_if=tap) XVIF_TYPE_IF=${a#type_if=} ;;
		*) xvif_log warn "ignoring argument '$a'" ;;
		esac
	done
}

##
# xvif_init ARGS...
# Parse the arguments and the environment, open the log, find the vif's
# domid, devid and interface name. Exits 1 (with hotplug-error for online)
# on anything malformed.
xvif_init() {
	local rel vifname

	xvif_parse_args "$@"
	case "$XVIF_CMD" in
	online | offline | add | remove) ;;
	*)
		echo "usage: $XVIF_SCRIPT online|offline type_if=vif (run by libxl, with XENBUS_PATH set)" >&2
		exit 1
		;;
	esac
	if mkdir -p "${XVIF_LOG_FILE%/*}" 2>/dev/null && : >>"$XVIF_LOG_FILE" 2>/dev/null; then
		exec 2>>"$XVIF_LOG_FILE"
	fi
	case "$XVIF_CMD" in
	online | offline) ;;
	add | remove)
		# An emulated (HVM) NIC: QEMU's tap, not a PV vif. Xen's own
		# script of the same mode handles it.
		if [ "$XVIF_TYPE_IF" = tap ] && [ -x "${0%/*}/${XVIF_SCRIPT#x}" ]; then
			exec "${0%/*}/${XVIF_SCRIPT#x}" "$@"
		fi
		xvif_log info "$XVIF_CMD type_if=$XVIF_TYPE_IF: nothing for xvif to do"
		exit 0
		;;
	esac
	if [ "$XVIF_TYPE_IF" != vif ]; then
		xvif_log info "$XVIF_CMD type_if=$XVIF_TYPE_IF: not a vif, nothing to do"
		exit 0
	fi
	if [ -z "${XENBUS_PATH:-}" ]; then
		xvif_log err "XENBUS_PATH is not set: this script is run by libxl"
		exit 1
	fi
	trap 'xvif_on_err "$LINENO" "$BASH_COMMAND"' ERR
	set -E

	# backend/vif/<domid>/<devid>, relative or under /local/domain/<n>/.
	rel=$XENBUS_PATH
	if [[ $rel =~ ^/local/domain/[0-9]+/(.*)$ ]]; then
		rel=${BASH_REMATCH[1]}
	fi
	if ! [[ $rel =~ ^backend/vif/(0|[1-9][0-9]{0,4})/(0|[1-9][0-9]{0,4})$ ]] ||
		[ "${BASH_REMATCH[1]}" -ge "$XVIF_DOMID_MAX" ] ||
		[ "${BASH_REMATCH[2]}" -gt "$XVIF_DEVID_MAX" ]; then
		fatal "XENBUS_PATH '$XENBUS_PATH' is not backend/vif/<domid>/<devid>"
	fi
	XVIF_DOMID=${BASH_REMATCH[1]}
	XVIF_DEVID=${BASH_REMATCH[2]}

	# The daemon's naming rule: the toolstack's vifname, else
	# xvif<domid>.<devid>. $vif (the kernel netback's name) is not used.
	xvif_xs_get vifname vifname ""
	if [ -n "$vifname" ]; then
		xvif_ifname_ok "$vifname" ||
			fatal "vifname '$vifname' is not a valid interface name: use 1-$XVIF_IFNAME_MAX characters of A-Z a-z 0-9 . _ - (not starting with -)"
		XVIF_DEV=$vifname
	else
		XVIF_DEV="xvif$XVIF_DOMID.$XVIF_DEVID"
		xvif_ifname_ok "$XVIF_DEV" ||
			fatal "default interface name $XVIF_DEV is longer than $XVIF_IFNAME_MAX characters: set vifname= in the vif spec"
	fi
	xvif_log info "$XVIF_CMD (XENBUS_PATH=$XENBUS_PATH)"
}

##
# xvif_dev_exists NAME
xvif_dev_exists() {
	ip link show dev "$1" >/dev/null 2>&1
}

##
# xvif_wait_dev
# xvif-netback creates the interface before it lets libxl run this script;
# still, wait up to XVIF_IF_WAIT seconds for it, then fatal.
xvif_wait_dev() {
	local waited=0 steps=$((XVIF_IF_WAIT * XVIF_WAIT_STEPS_PER_S))
	while ! xvif_dev_exists "$XVIF_DEV"; do
		if [ "$waited" -ge "$steps" ]; then
			fatal "interface $XVIF_DEV does not exist after ${XVIF_IF_WAIT}s: is xvif-netback running? (systemctl status xvif-netback)"
		fi
		sleep "$XVIF_WAIT_STEP"
		waited=$((waited + 1))
	done
}

##
# xvif_lock
# Serialise the xvif hotplug runs' firewall changes (INPUT, FORWARD and
# POSTROUTING are shared between vifs): an exclusive flock on
# XVIF_LOCK_DIR/xvif, held until the script exits. Taking it twice is a
# no-op. Taken only by runs that change iptables: a vif's bridge, routes
# and sysctls are its own (libxl runs one script at a time per vif), so a
# guest with many vifs and no ip= brings them up in parallel (16 runs in a
# row overran libxl's 40 s hotplug timeout in the lab, under TCG).
xvif_lock() {
	# After a failed wait (the cleanup of that failure comes here again):
	# no firewall change without the lock, and no second wait.
	[ -z "${XVIF_LOCK_GAVE_UP:-}" ] ||
		fatal "not changing the firewall: the hotplug lock $XVIF_LOCK_DIR/xvif is not ours"
	[ -z "$XVIF_LOCK_FD" ] || return 0
	mkdir -p "$XVIF_LOCK_DIR" || fatal "cannot create lock directory $XVIF_LOCK_DIR"
	exec {XVIF_LOCK_FD}>>"$XVIF_LOCK_DIR/xvif" || fatal "cannot open lock $XVIF_LOCK_DIR/xvif"
	if ! flock -w "$XVIF_LOCK_WAIT" "$XVIF_LOCK_FD"; then
		exec {XVIF_LOCK_FD}>&-
		XVIF_LOCK_FD=
		XVIF_LOCK_GAVE_UP=1
		fatal "another hotplug run held $XVIF_LOCK_DIR/xvif for ${XVIF_LOCK_WAIT}s (see /var/log/xen/xen-hotplug.log for which)"
	fi
}

##
# xvif_mtu_apply
# If the backend has an `mtu` key, check it and set it on the interface.
xvif_mtu_apply() {
	local mtu
	xvif_xs_get mtu mtu ""
	[ -n "$mtu" ] || return 0
	if ! [[ $mtu =~ ^[1-9][0-9]{0,5}$ ]] || [ "$mtu" -lt "$XVIF_MTU_MIN" ] || [ "$mtu" -gt "$XVIF_MTU_MAX" ]; then
		fatal "mtu '$mtu' is not a number in $XVIF_MTU_MIN..$XVIF_MTU_MAX"
	fi
	xvif_run ip link set dev "$XVIF_DEV" mtu "$mtu"
}

##
# xvif_read_ips VAR
# The `ip` key as a list of IPv4 addresses (space separated, each checked)
# into the array VAR; empty if the key is absent.
xvif_read_ips() {
	local -n _ips_out=$1
	local _ips_raw _ips_a
	_ips_out=()
	xvif_xs_get _ips_raw ip ""
	for _ips_a in $_ips_raw; do
		xvif_ipv4_ok "$_ips_a" ||
			fatal "ip '$_ips_raw': '$_ips_a' is not an IPv4 address (a.b.c.d or a.b.c.d/n)"
		_ips_out+=("$_ips_a")
	done
}

# The iptables comment every xvif rule of this vif carries: how
# xvif_fw_purge finds them all again.
xvif_fw_tag() {
	printf 'xvif:%s' "$XVIF_DEV"
}

# The vif's own filter chain.
xvif_fw_chain() {
	printf 'XVIF-%s' "$XVIF_DEV"
}

xvif_ipt() {
	iptables -w "$@"
}

##
# xvif_fw_antispoof bridged|routed
# If the `ip` key is set, let the guest send IPv4 only from those addresses
# (and DHCP requests): a chain XVIF-<dev> with one RETURN per address, then
# DROP, jumped to from INPUT and FORWARD for packets coming in on the vif
# (bridged: matched with physdev, which needs br_netfilter). Takes the lock.
# Without `ip` nothing is filtered. Expects xvif_fw_purge to have run
# (xvif_main does it before the mode's online).
xvif_fw_antispoof() {
	local style=$1 chain tag a ips=()
	local -a in
	xvif_read_ips ips
	[ "${#ips[@]}" -gt 0 ] || return 0
	command -v iptables >/dev/null ||
		fatal "ip='${ips[*]}' asks for anti-spoofing rules but iptables is not installed: apt-get install iptables, or remove ip= from the vif spec"
	chain=$(xvif_fw_chain)
	tag=$(xvif_fw_tag)
	if [ "$style" = bridged ]; then
		in=(-m physdev --physdev-in "$XVIF_DEV")
		if [ "$(cat "$XVIF_SYSCTL_ROOT/net/bridge/bridge-nf-call-iptables" 2>/dev/null)" != 1 ]; then
			xvif_log warn "bridged anti-spoofing needs br_netfilter (modprobe br_netfilter; sysctl net.bridge.bridge-nf-call-iptables=1): rules added but bridged packets bypass them"
		fi
	else
		in=(-i "$XVIF_DEV")
	fi
	xvif_lock
	xvif_run xvif_ipt -N "$chain"
	for a in "${ips[@]}"; do
		xvif_run xvif_ipt -A "$chain" -s "$a" -m comment --comment "$tag" -j RETURN
	done
	xvif_run xvif_ipt -A "$chain" -p udp --sport 68 --dport 67 -m comment --comment "$tag" -j RETURN
	xvif_run xvif_ipt -A "$chain" -m comment --comment "$tag" -j DROP
	xvif_run xvif_ipt -I FORWARD "${in[@]}" -m comment --comment "$tag" -j "$chain"
	xvif_run xvif_ipt -I INPUT "${in[@]}" -m comment --comment "$tag" -j "$chain"
}

##
# xvif_fw_purge
# Delete every rule tagged for this vif in the filter and nat tables, then
# its chain. Idempotent; does nothing without iptables. Takes the lock only
# if there is something of this vif's to delete (only runs for this vif
# add its rules, and libxl does not run two of them at once).
xvif_fw_purge() {
	local table listing line tag chain
	local -a rule
	command -v iptables >/dev/null || return 0
	tag=$(xvif_fw_tag)
	chain=$(xvif_fw_chain)
	if ! xvif_ipt -n -L "$chain" >/dev/null 2>&1 &&
		! { xvif_ipt -t filter -S 2>/dev/null; xvif_ipt -t nat -S 2>/dev/null; } | grep -q -F -e "--comment $tag " -e "--comment \"$tag\" "; then
		return 0
	fi
	xvif_lock
	for table in filter nat; do
		# No process substitution: /dev/fd may be missing (initramfs dom0s).
		listing=$(xvif_ipt -t "$table" -S 2>/dev/null) || listing=""
		while IFS= read -r line; do
			# iptables -S prints the comment bare or in double quotes.
			case "$line" in
			"-A "*"--comment $tag "* | "-A "*"--comment \"$tag\" "*) ;;
			*) continue ;;
			esac
			read -r -a rule <<<"${line//\"/}"
			rule[0]=-D
			xvif_try xvif_ipt -t "$table" "${rule[@]}"
		done <<<"$listing"
	done
	if xvif_ipt -n -L "$chain" >/dev/null 2>&1; then
		xvif_try xvif_ipt -F "$chain"
		xvif_try xvif_ipt -X "$chain"
	fi
}

##
# xvif_proxy_arp
# Answer ARP on the guest's behalf on its interface (routed modes).
xvif_proxy_arp() {
	local f="$XVIF_SYSCTL_ROOT/net/ipv4/conf/$XVIF_DEV/proxy_arp"
	echo 1 >"$f" 2>/dev/null || fatal "cannot write $f"
	if [ "$(cat "$XVIF_SYSCTL_ROOT/net/ipv4/ip_forward" 2>/dev/null)" != 1 ]; then
		xvif_log warn "net.ipv4.ip_forward is not 1: dom0 will not route the guest's packets (sysctl -w net.ipv4.ip_forward=1)"
	fi
}

##
# xvif_dom0_ipv4 VAR DEV
# dom0's first global IPv4 address on DEV, without prefix, into VAR; fatal
# naming DEV and what to do if it has none.
xvif_dom0_ipv4() {
	local -n _d0_addr=$1
	local _d0_dev=$2 _d0_n _d0_if _d0_fam _d0_a _d0_rest _d0_list
	_d0_addr=""
	_d0_list=$(ip -4 -o addr show dev "$_d0_dev" scope global 2>/dev/null) || _d0_list=""
	while read -r _d0_n _d0_if _d0_fam _d0_a _d0_rest; do
		if [ "$_d0_fam" = inet ]; then
			_d0_addr=${_d0_a%%/*}
			break
		fi
	done <<<"$_d0_list"
	[ -n "$_d0_addr" ] ||
		fatal "gateway device $_d0_dev has no IPv4 address: give it one, or name another with gatewaydev= in the vif spec (vif.default.gatewaydev in xl.conf)"
}

##
# xvif_main
# Run the mode's `online` (then success) or cleanup for `offline`.
xvif_main() {
	case "$XVIF_CMD" in
	online)
		xvif_wait_dev
		# Rules a previous run left (no offline in between) go first.
		xvif_fw_purge
		xvif_mode_online
		success
		;;
	offline)
		xvif_mode_cleanup
		xvif_log info "offline done"
		;;
	esac
	exit 0
}
