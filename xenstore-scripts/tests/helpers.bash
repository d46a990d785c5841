# shellcheck shell=bash
# Common setup for the hotplug-script tests (bats).
#
#   test -> xvif-<mode> online|offline type_if=vif
#             | PATH = sandbox: fakes (tests/fakes) + a few real tools
#             v
#           fake xenstore-read/-write, ip, iptables, ovs-vsctl
#             | record every call in $FAKE_DIR/calls
#             v
#           $FAKE_DIR/xs (xenstore), links, addrs, ipt (rule set), ovs-bridges
#
# Nothing touches the host: the scripts see only the sandbox on PATH
# (XVIF_PATH), and their log, lock and sysctl files live in the test's
# temporary directory.

SRC=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BE=/local/domain/0/backend/vif/3/0

setup() {
	T=$BATS_TEST_TMPDIR
	export FAKE_DIR="$T/fake"
	mkdir -p "$FAKE_DIR" "$T/bin" "$T/sys/net/ipv4/conf" "$T/sys/net/bridge"
	: >"$FAKE_DIR/calls"
	: >"$FAKE_DIR/xs"
	: >"$FAKE_DIR/links"
	: >"$FAKE_DIR/addrs"
	: >"$FAKE_DIR/ipt"
	: >"$FAKE_DIR/ovs-bridges"
	cp "$SRC"/tests/fakes/* "$T/bin/"
	local tool
	for tool in bash cat date mkdir flock sleep awk grep sed rm mv touch head; do
		ln -sf "$(type -P "$tool")" "$T/bin/$tool"
	done
	echo 1 >"$T/sys/net/ipv4/ip_forward"
	echo 1 >"$T/sys/net/bridge/bridge-nf-call-iptables"
	export XVIF_PATH="$T/bin"
	export XVIF_LOG_FILE="$T/log/xen-hotplug.log"
	export XVIF_LOCK_DIR="$T/lock"
	export XVIF_SYSCTL_ROOT="$T/sys"
	export XVIF_IF_WAIT=0
	# What libxl puts in the environment (vif= is the kernel netback's name).
	export XENBUS_PATH=backend/vif/3/0 XENBUS_TYPE=vif XENBUS_BASE_PATH=backend
	export vif=vif3.0 script=/etc/xen/scripts/xvif-bridge
	unset netdev
}

# xs KEY VALUE: set a key of the vif's backend directory (or an absolute
# path), replacing an earlier value.
xs() {
	local p=$1
	[[ $p == /* ]] || p="$BE/$p"
	awk -v k="$p=" 'index($0, k) != 1' "$FAKE_DIR/xs" >"$FAKE_DIR/xs.new"
	echo "$p=$2" >>"$FAKE_DIR/xs.new"
	mv "$FAKE_DIR/xs.new" "$FAKE_DIR/xs"
}

# xs_val KEY: the stored value ("<absent>" if none).
xs_val() {
	local p=$1
	[[ $p == /* ]] || p="$BE/$p"
	awk -v k="$p=" 'index($0, k) == 1 { print substr($0, length(k) + 1); f = 1 } END { if (!f) print "<absent>" }' "$FAKE_DIR/xs"
}

# link NAME KIND: an interface the fake ip knows (KIND tap, bridge, ether).
link() {
	echo "$1 $2" >>"$FAKE_DIR/links"
	mkdir -p "$XVIF_SYSCTL_ROOT/net/ipv4/conf/$1"
	echo 0 >"$XVIF_SYSCTL_ROOT/net/ipv4/conf/$1/proxy_arp"
}

# unlink NAME: the interface goes away (as the daemon removes its TAP).
unlink_dev() {
	awk -v d="$1" '$1 != d' "$FAKE_DIR/links" >"$FAKE_DIR/links.new"
	mv "$FAKE_DIR/links.new" "$FAKE_DIR/links"
}

# hp MODE CMD: run xvif-MODE CMD type_if=vif as libxl does.
hp() {
	run "$SRC/xvif-$1" "$2" type_if=vif
}

# actions: the calls that change something (no queries), in order.
actions() {
	grep -v -E '^ip (-[a-z0-9]+ )*(link|addr) show |^iptables -w (-t [a-z]+ )?(-S|-n -L)' "$FAKE_DIR/calls" || true
}

# expect_actions: compare actions with stdin.
expect_actions() {
	diff -u - <(actions)
}

# forget_calls: start a new call log (after a setup step).
forget_calls() {
	: >"$FAKE_DIR/calls"
}

# rules: the fake iptables' rule set, sorted.
rules() {
	sort "$FAKE_DIR/ipt"
}

# expect_status STATUS [ERROR-SUBSTRING]
expect_status() {
	[ "$(xs_val hotplug-status)" = "$1" ] || {
		echo "hotplug-status is '$(xs_val hotplug-status)', want '$1'"
		return 1
	}
	if [ $# -ge 2 ]; then
		[[ "$(xs_val hotplug-error)" == *"$2"* ]] || {
			echo "hotplug-error is '$(xs_val hotplug-error)', want it to contain '$2'"
			return 1
		}
	fi
}
