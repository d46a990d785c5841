# shellcheck shell=bash
# Helpers of the hostile-* lab scenarios (test/lab/scenarios/hostile-*.sh),
# sourced in dom0 after the lab's /lab/lib.sh. The lab copies this file and
# the tools in (test/hostile/lab-dom0.files, lab-guest.files).
#
# Hostile frontend (issue 7, backend table of HOSTILE-PEERS.md), on the
# xvif-stock pair:
#
#   dom0: xvif-netback ---- vif 0 (xenbr0) ---- guest eth0: netfront, command channel
#                      \--- vif 1 (xenbr1) ---- guest: NO driver bound;
#                      |                        xvif-evil-front plays netfront
#                      \--- vif 8 (xenbr8) ---- "innocent": a second guest
#                                               domain, stock netfront
#
#   hostile_front_setup          start the innocent guest (kept for the
#                                boot's later hostile-frontend scenarios),
#                                attach vif 1 with no netfront bound, take
#                                the daemon's fd / gntdev-map / RSS snapshot
#                                (the daemon and its child processes)
#   hostile_front_run A V [EXPECT] [traffic]
#                                one attack; then: daemon alive, the
#                                innocent guest's vif and the attacked
#                                guest's vif 0 still ping, the result is as
#                                designed (EXPECT: auto (from the plan),
#                                alive, closed, refuse, connect, any), a
#                                daemon child that died is named in the log,
#                                and vif 1 recovers: a sanity run reconnects
#                                and gets every frame answered
#   hostile_front_finish         detach vif 1; the daemon (with children)
#                                holds no more fds or grant mappings than
#                                before; no new dom0 or guest kernel
#                                BUG/Oops/WARNING; PASS. The innocent guest
#                                goes when no later hostile-frontend
#                                scenario of this boot needs it.
#
# Hostile backend (frontend table), on the kernel-stock and kernel-xvif pairs
# (vif 0 stays on the stock backend; xvif-evil-back creates vif 7 under
# backend/xvif-evil/ which no other backend serves):
#
#   hostile_back_setup
#   hostile_back_run A V         one attack; then: the guest answers, no new
#                                guest BUG/Oops/WARNING, vif 0 pings, the
#                                device is gone, and a new vif 7 served
#                                honestly connects and takes frames
#   hostile_back_finish          PASS
#
# Each tool run's JSON line goes to $LAB_OUT/hostile/<scenario>.jsonl.

HOSTILE_FRONT_BIN=/xvif/build/hostile/xvif-evil-front   # in the guest
HOSTILE_MODS=/xvif/build/hostile/guest-modules            # in the guest
HOSTILE_BACK_BIN=/xvif/build/hostile/xvif-evil-back     # in dom0
HOSTILE_VIF=1
# The innocent guest: a second domain with one vif, devid 8 (xenbr8,
# 10.0.8.2), served by the same xvif-netback.
HOSTILE_INNOCENT=innocent
HOSTILE_INNOCENT_VIF=8
HOSTILE_BACK_VIF=7
# How long the tools wait for the peer's answer and run floods (seconds):
# TCG makes a xenstore round trip and a vif handshake slow, and with
# per-vif worker processes (fork, exec, map, seccomp) and two guests
# running, a handshake took more than 8 s (run 20261123-193749-3507).
HOSTILE_WAIT=${HOSTILE_WAIT:-15}
HOSTILE_DURATION=${HOSTILE_DURATION:-3}
# RSS the daemon may gain over a whole scenario (KiB): malloc arenas and
# the log buffer move a little; an unbounded queue of watch events or RX
# packets moves it by far more.
HOSTILE_RSS_SLACK_KB=8192
# Kernel log lines that mean the kernel found a bug in itself.
HOSTILE_OOPS_RE='BUG:|Oops|WARNING: CPU|general protection|Call Trace|kernel BUG'

HOSTILE_NOTES=
hostile_note() { HOSTILE_NOTES="$HOSTILE_NOTES $*;"; lab_log "$*"; }

# hostile_field JSON KEY: a top-level or nested scalar of a tool's report.
hostile_field() {
	printf '%s\n' "$1" | grep -o "\"$2\":\(\"[^\"]*\"\|-\?[0-9]\+\|null\|true\|false\)" | head -n1 |
		sed -e "s/^\"$2\"://" -e 's/^"//' -e 's/"$//'
}

hostile_dom0_oopses() { dmesg | grep -cE "$HOSTILE_OOPS_RE"; }
hostile_guest_oopses() {
	local out
	# grep -c exits 1 when it counts 0: end with true so only a silent
	# guest is a failure.
	out=$(lab_guest -t 20 "dmesg | grep -cE '$HOSTILE_OOPS_RE'; true") || { echo unknown; return 1; }
	printf '%s\n' "$out" | tail -n1
}

# xvif-netback and its descendants (per-vif worker processes under
# --isolation=process), one pid a line, the daemon first.
hostile_daemon_tree() {
	local p kids k next
	p=$(lab_daemon_pid) && [ -n "$p" ] && [ -d "/proc/$p" ] || return 1
	echo "$p"
	kids=$p
	while [ -n "$kids" ]; do
		next=
		for k in $kids; do
			# Every thread's children (CONFIG_PROC_CHILDREN, on in
			# the Debian kernel).
			next="$next $(cat /proc/"$k"/task/*/children 2>/dev/null)"
		done
		# shellcheck disable=SC2086,SC2116 # squeeze to "" when none
		kids=$(echo $next)
		for k in $kids; do echo "$k"; done
	done
}

# "fds gntdev_maps rss_kb procs" of the running xvif-netback, summed over
# the daemon and its descendants.
hostile_daemon_snap() {
	local pids p fds=0 maps=0 rss=0 n=0 r
	pids=$(hostile_daemon_tree) || return 1
	for p in $pids; do
		[ -d "/proc/$p" ] || continue
		n=$((n + 1))
		fds=$((fds + $(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)))
		r=$(grep -c gntdev "/proc/$p/maps" 2>/dev/null)
		maps=$((maps + ${r:-0}))
		r=$(awk '/^VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null)
		rss=$((rss + ${r:-0}))
	done
	echo "$fds $maps $rss $n"
}

hostile_be_dir() { echo "/local/domain/0/backend/vif/$LAB_DOMID/$HOSTILE_VIF"; }

# ---- hostile frontend ---------------------------------------------------

hostile_innocent_ip() { echo "10.0.$HOSTILE_INNOCENT_VIF.2"; }

# The innocent guest: started once, reused by the boot's later
# hostile-frontend scenarios. Same kernel and initramfs as the lab guest,
# one vif on xvif-netback.
hostile_innocent_up() {
	local spec
	if xl domid "$HOSTILE_INNOCENT" >/dev/null 2>&1; then
		ping -c 2 -W 2 "$(hostile_innocent_ip)" >/dev/null 2>&1 && return 0
		lab_log "innocent guest runs but does not ping: re-creating it"
		lab_run timeout 60 xl destroy "$HOSTILE_INNOCENT"
	fi
	lab_bridge "$HOSTILE_INNOCENT_VIF" || { echo "could not make bridge xenbr$HOSTILE_INNOCENT_VIF"; return 1; }
	spec=$(printf 'devid=%s,mac=00:16:3e:00:%02x:02,bridge=xenbr%s,script=%s' \
		"$HOSTILE_INNOCENT_VIF" "$HOSTILE_INNOCENT_VIF" "$HOSTILE_INNOCENT_VIF" "$(lab_vif_script)")
	lab_guest_cfg 1 | sed -e "s/^name = .*/name = \"$HOSTILE_INNOCENT\"/" -e "s|^vif = .*|vif = [ '$spec' ]|" \
		> /tmp/innocent.cfg
	cat /tmp/innocent.cfg
	lab_run timeout 180 xl create /tmp/innocent.cfg || { echo "xl create of the innocent guest failed"; return 1; }
	lab_wait 120 "the innocent guest to answer ping on $(hostile_innocent_ip)" ping -c1 -W1 "$(hostile_innocent_ip)"
}

# After the scenario: keep the innocent guest if a later scenario of this
# boot is a hostile-frontend one, else destroy it (other suites' scenarios
# expect one guest).
hostile_innocent_maybe_down() {
	local s later=0 seen=0
	for s in $(sed -n 's/.*xvif_scenarios=\([^ ]*\).*/\1/p' /proc/cmdline | tr '+' ' '); do
		if [ $seen = 1 ] && grep -q '^hostile_front_setup' "/lab/scenarios/$s.sh" 2>/dev/null; then later=1; fi
		[ "$s" = "$LAB_SCN" ] && seen=1
	done
	[ $later = 1 ] && return 0
	xl domid "$HOSTILE_INNOCENT" >/dev/null 2>&1 || return 0
	lab_run timeout 60 xl destroy "$HOSTILE_INNOCENT"
}

# hostile_innocent_during WHAT: the pings to the innocent guest that ran
# through the attack (ping's summary in /tmp/hostile-innocent-ping.txt):
# reported, and none answered out of 5 or more is a failure (its vif was
# starved while another guest attacked).
hostile_innocent_during() {
	local sent got
	sent=$(sed -n 's/^\([0-9][0-9]*\) packets transmitted.*/\1/p' /tmp/hostile-innocent-ping.txt)
	got=$(sed -n 's/.* \([0-9][0-9]*\) \(packets \)\{0,1\}received.*/\1/p' /tmp/hostile-innocent-ping.txt)
	if [ -z "$sent" ] || [ -z "$got" ]; then
		lab_log "$1: no ping summary for the innocent guest during the attack"
		return 0
	fi
	hostile_note "$1: innocent guest answered $got of $sent pings during the attack"
	[ "$sent" -lt 5 ] || [ "$got" -ge 1 ] ||
		lab_fail "$1: the innocent guest answered none of $sent pings while the other guest attacked"
}

# The innocent guest and the attacked guest's vif 0 still pass traffic.
hostile_innocents_ping() {
	ping -c 3 -i 0.3 -W 2 "$(hostile_innocent_ip)" >/dev/null ||
		lab_fail "$1: the innocent guest's vif (domain $HOSTILE_INNOCENT, vif $HOSTILE_INNOCENT_VIF) no longer passes traffic (ping $(hostile_innocent_ip))"
	ping -c 3 -i 0.3 -W 2 10.0.0.2 >/dev/null ||
		lab_fail "$1: the attacked guest's own vif 0 no longer passes traffic (ping 10.0.0.2)"
}

hostile_front_setup() {
	local snap rc
	lab_need_backend xvif
	[ "$LAB_FRONTEND" = stock ] || lab_skip "hostile-frontend scenarios run once, on the xvif-stock pair (the guest's own netfront plays no part in them)"
	lab_need_guest "$@"
	lab_guest -t 20 "test -x $HOSTILE_FRONT_BIN" >/dev/null ||
		lab_skip "xvif-evil-front is not in the guest image: run 'make -C test/hostile' before the lab"
	lab_guest -t 20 "insmod $HOSTILE_MODS/xen-gntalloc.ko 2>/dev/null; insmod $HOSTILE_MODS/xen-evtchn.ko 2>/dev/null;
		test -c /dev/xen/gntalloc && test -c /dev/xen/evtchn && test -c /dev/xen/xenbus" ||
		lab_fail "guest: /dev/xen/gntalloc, /dev/xen/evtchn or /dev/xen/xenbus missing after insmod"
	hostile_innocent_up || lab_fail "the innocent guest (second domain, vif $HOSTILE_INNOCENT_VIF) did not come up"
	HOSTILE_G0=$(hostile_guest_oopses)
	HOSTILE_D0=$(hostile_dom0_oopses)
	mkdir -p "$LAB_OUT/hostile"
	# A scenario that failed before its detach leaves vif 1 behind: detach
	# it before the snapshot, which must hold the guest's vif 0 and the
	# innocent guest's vif only.
	if xenstore-exists "$(hostile_be_dir)"; then
		lab_run timeout 60 xl network-detach "$LAB_GUEST" "$HOSTILE_VIF"
		lab_wait 30 "$(hostile_be_dir) to disappear" sh -c "! xenstore-exists $(hostile_be_dir)"
		sleep 1
	fi
	snap=$(hostile_daemon_snap) || lab_fail "xvif-netback is not running before the attack"
	HOSTILE_SNAP0=$snap
	lab_log "daemon before: fds gntdev-maps rss_kb procs = $snap"
	lab_check "could not make bridge xenbr$HOSTILE_VIF" lab_bridge "$HOSTILE_VIF"
	# vif 1 must come up with no driver bound: the hostile tool is its
	# frontend. Autoprobe off for the attach only.
	lab_guest -t 20 'echo 0 > /sys/bus/xen/drivers_autoprobe' || lab_fail "guest: cannot turn off xen bus autoprobe"
	# xl network-attach takes one key=value per argument: split the spec.
	# shellcheck disable=SC2046
	lab_run timeout 60 xl network-attach "$LAB_GUEST" $(lab_vif_spec "$HOSTILE_VIF" | tr ',' ' '); rc=$?
	lab_guest -t 20 'echo 1 > /sys/bus/xen/drivers_autoprobe'
	[ $rc = 0 ] || lab_fail "xl network-attach of vif $HOSTILE_VIF failed (rc=$rc)"
	lab_guest -t 20 "test -e /sys/bus/xen/devices/vif-$HOSTILE_VIF && ! test -e /sys/bus/xen/devices/vif-$HOSTILE_VIF/driver" ||
		lab_fail "guest: vif-$HOSTILE_VIF is missing or has a driver bound (autoprobe off did not hold)"
	lab_wait 30 "backend state 2 for vif $HOSTILE_VIF" sh -c "[ \"\$(xenstore-read $(hostile_be_dir)/state)\" = 2 ]" ||
		lab_fail "xvif-netback did not reach InitWait for vif $HOSTILE_VIF"
}

# hostile_front_tool ARGS...: run the tool in the guest; sets HOSTILE_JSON
# and HOSTILE_RC (255: the guest did not answer).
hostile_front_tool() {
	local out
	out=$(lab_guest -t 180 "$HOSTILE_FRONT_BIN --vif $HOSTILE_VIF --wait $HOSTILE_WAIT --duration $HOSTILE_DURATION $* 2>/tmp/hostile.err; echo HOSTILE_RC=\$?; tail -n 30 /tmp/hostile.err")
	echo "$out"
	HOSTILE_JSON=$(printf '%s\n' "$out" | grep '^{"tool"' | tail -n1)
	HOSTILE_RC=$(printf '%s\n' "$out" | sed -n 's/^HOSTILE_RC=//p' | tail -n1)
	[ -n "$HOSTILE_RC" ] || HOSTILE_RC=255
	[ -n "$HOSTILE_JSON" ] && printf '%s\n' "$HOSTILE_JSON" >> "$LAB_OUT/hostile/$LAB_SCN.jsonl"
	return 0
}

# hostile_front_run ATTACK VARIANT [EXPECT] [traffic]
hostile_front_run() {
	local a=$1 v=$2 expect=${3:-auto} traffic=${4:-} pp='' ip oc be want='' got tree0 log0
	lab_log "attack $a/$v (expect $expect)"
	tree0=$(hostile_daemon_tree | tr '\n' ' ')
	log0=$(wc -l < "$LAB_DAEMON_LOG" 2>/dev/null || echo 0)
	if [ "$traffic" = traffic ]; then
		# dom0 -> guest traffic on the attacked vif: ARP and pings the
		# backend must queue for (or drop at) the guest.
		ping -c 40 -i 0.25 -W 1 "10.0.$HOSTILE_VIF.2" >/dev/null 2>&1 & pp=$!
	fi
	# The innocent guest is pinged all through the attack.
	ping -i 0.5 -W 1 "$(hostile_innocent_ip)" > /tmp/hostile-innocent-ping.txt 2>&1 & ip=$!
	hostile_front_tool --attack "$a" --variant "$v"
	[ -n "$pp" ] && { kill "$pp" 2>/dev/null; wait "$pp" 2>/dev/null; }
	kill -INT "$ip" 2>/dev/null; wait "$ip" 2>/dev/null
	hostile_innocent_during "$a/$v"
	# The daemon's own view (per-queue counters: drops by reason, queued
	# RX bytes, stall drops), kept for the person reading the results.
	/usr/sbin/xvif-netback status --json > "$LAB_OUT/hostile/$LAB_SCN-$a-$v.status.json" 2>&1
	case "$HOSTILE_RC" in
	0) ;;
	3) lab_skip "$a/$v: $(hostile_field "$HOSTILE_JSON" outcome): the backend does not offer what the attack needs";;
	255) lab_fail "$a/$v: the guest's command channel did not answer (guest hung?)";;
	*) lab_fail "$a/$v: xvif-evil-front could not reach the point of attack (rc=$HOSTILE_RC): $HOSTILE_JSON";;
	esac
	lab_daemon_alive || lab_fail "$a/$v: xvif-netback died"
	hostile_innocents_ping "$a/$v"
	hostile_front_children "$a/$v" "$tree0" "$log0"
	oc=$(hostile_field "$HOSTILE_JSON" outcome)
	be=$(hostile_field "$HOSTILE_JSON" backend_state)
	if [ "$expect" = auto ]; then
		case "$(hostile_field "$HOSTILE_JSON" expect)" in
		okay) expect=alive want=attack_okay;;
		error-response) expect=alive want=attack_error;;
		queue-broken) expect=closed;;
		connect) expect=connected;;
		refuse) expect=refused;;
		*) expect=any;;
		esac
	fi
	case "$expect" in
	alive) [ "$oc" = alive ] || lab_fail "$a/$v: the backend should have kept the vif working, outcome '$oc' (backend state $be)";;
	closed) [ "$oc" = closed ] || lab_fail "$a/$v: a protocol violation should close the vif, outcome '$oc' (backend state $be)";;
	connected) [ "$oc" = connected ] || lab_fail "$a/$v: keys a backend must ignore made it refuse: outcome '$oc'";;
	refused) case "$oc" in refused-*) ;; *) lab_fail "$a/$v: bad xenstore values were accepted: outcome '$oc'";; esac;;
	esac
	if [ -n "${want:-}" ]; then
		got=$(hostile_field "$HOSTILE_JSON" "$want")
		# An error response may also come as DROPPED.
		[ "$want" = attack_error ] && got=$(( ${got:-0} + $(hostile_field "$HOSTILE_JSON" attack_dropped) ))
		[ "${got:-0}" -ge 1 ] || lab_fail "$a/$v: expected $want >= 1 for the attack's packet, got ${got:-none}: $HOSTILE_JSON"
	fi
	case "$a" in ctrl-garbage)
		[ "$(hostile_field "$HOSTILE_JSON" ctrl_unexpected)" = 0 ] ||
			lab_fail "$a/$v: control-ring answers not as netif.h says: $HOSTILE_JSON";;
	esac
	hostile_note "$a/$v: $oc (backend state $be)"
	hostile_front_recover "$a/$v"
}

# hostile_front_children WHAT TREE0 LOG0: a daemon child process (a per-vif
# worker, xvif-netback --isolation=process) that is gone after the attack
# must be accounted for by the daemon's log since line LOG0: its vif's data
# path stopped (an honest close), or the worker died or was killed and the
# daemon says why ("... (pid N): closing this vif only"); the daemon
# itself is alive (checked before).
hostile_front_children() {
	local p now vif since
	now=" $(hostile_daemon_tree | tr '\n' ' ') "
	since=$(($3 + 1))
	for p in $2; do
		case "$now" in *" $p "*) continue;; esac
		vif=$(grep -o "[^ ]*: data path in worker process $p " "$LAB_DAEMON_LOG" | tail -n1 | sed 's/: data path in .*//')
		if tail -n +"$since" "$LAB_DAEMON_LOG" | grep -F "(pid $p)" > /tmp/hostile-child.txt; then
			hostile_note "$1: worker $p${vif:+ of $vif} ended: $(tail -n 1 /tmp/hostile-child.txt)"
		elif [ -n "$vif" ] && tail -n +"$since" "$LAB_DAEMON_LOG" | grep -qF "$vif: data path stopped"; then
			lab_log "$1: worker $p of $vif stopped with its vif"
		else
			lab_fail "$1: daemon child process $p${vif:+ (worker of $vif)} vanished and the daemon's log does not say why"
		fi
	done
}

# The attacked vif comes back: a fresh, honest run reconnects it and gets
# every baseline frame answered OKAY.
hostile_front_recover() {
	hostile_front_tool --attack sanity
	if ! { [ "$HOSTILE_RC" = 0 ] && [ "$(hostile_field "$HOSTILE_JSON" outcome)" = alive ] &&
		[ "$(hostile_field "$HOSTILE_JSON" baseline_okay)" = 4 ]; }; then
		lab_fail "$1: vif $HOSTILE_VIF did not recover: an honest frontend afterwards got rc=$HOSTILE_RC $HOSTILE_JSON"
	fi
	lab_daemon_alive || lab_fail "$1: xvif-netback died during the recovery run"
}

hostile_front_compare() {
	local snap f0 m0 r0 n0 f1 m1 r1 n1 g1 d1
	snap=$(hostile_daemon_snap) || lab_fail "xvif-netback is not running after the scenario"
	read -r f0 m0 r0 n0 <<< "$HOSTILE_SNAP0"
	read -r f1 m1 r1 n1 <<< "$snap"
	lab_log "daemon after: fds gntdev-maps rss_kb procs = $snap (before: $HOSTILE_SNAP0)"
	lab_metric daemon_fds_delta $((f1 - f0))
	lab_metric daemon_gntdev_maps_delta $((m1 - m0))
	lab_metric daemon_rss_delta_kb $((r1 - r0))
	lab_metric daemon_procs_delta $((n1 - n0))
	[ "$n1" = "$n0" ] || lab_fail "xvif-netback has $n1 processes after the scenario, $n0 before (a worker left behind or lost): $(hostile_daemon_tree | tr '\n' ' ')"
	[ "$f1" = "$f0" ] || lab_fail "xvif-netback leaked file descriptors: $f0 before, $f1 after (ls -l /proc/$(lab_daemon_pid)/fd)"
	[ "$m1" = "$m0" ] || lab_fail "xvif-netback leaked grant mappings: $m0 gntdev mappings before, $m1 after"
	[ $((r1 - r0)) -le $HOSTILE_RSS_SLACK_KB ] || lab_fail "xvif-netback RSS grew by $((r1 - r0)) KiB (more than $HOSTILE_RSS_SLACK_KB)"
	d1=$(hostile_dom0_oopses)
	[ "$d1" = "$HOSTILE_D0" ] || lab_fail "dom0 kernel logged $((d1 - HOSTILE_D0)) new BUG/Oops/WARNING line(s): $(dmesg | grep -E "$HOSTILE_OOPS_RE" | tail -n 3 | tr '\n' ' ')"
	g1=$(hostile_guest_oopses)
	[ "$g1" != unknown ] || lab_fail "the guest's command channel does not answer after the scenario"
	[ "$g1" = "$HOSTILE_G0" ] || lab_fail "guest kernel logged new BUG/Oops/WARNING lines ($HOSTILE_G0 -> $g1)"
}

hostile_front_finish() {
	lab_run timeout 60 xl network-detach "$LAB_GUEST" "$HOSTILE_VIF" || lab_fail "xl network-detach of vif $HOSTILE_VIF failed"
	lab_wait 30 "$(hostile_be_dir) to disappear" sh -c "! xenstore-exists $(hostile_be_dir)" ||
		lab_fail "$(hostile_be_dir) still exists 30 s after the detach"
	# The daemon frees a vif's resources once its directory is gone.
	sleep 1
	hostile_front_compare
	hostile_innocent_maybe_down
	lab_pass "$HOSTILE_NOTES"
}

# ---- hostile backend ----------------------------------------------------

hostile_back_setup() {
	lab_need_backend kernel
	[ -x "$HOSTILE_BACK_BIN" ] || lab_skip "xvif-evil-back is not in the dom0 image: run 'make -C test/hostile' before the lab"
	# A fresh guest for each scenario: an attack that wedges the guest's
	# netfront or xenbus (seen: stock netfront after an RX rsp_prod
	# overflow never probed another vif) must fail its own scenario only.
	lab_guest_down
	lab_need_guest
	HOSTILE_G0=$(hostile_guest_oopses)
	[ "$HOSTILE_G0" != unknown ] || lab_fail "the guest's command channel does not answer before the attack"
	mkdir -p "$LAB_OUT/hostile"
}

# hostile_back_tool ARGS...: sets HOSTILE_JSON and HOSTILE_RC.
hostile_back_tool() {
	local err=/tmp/hostile-back.err
	HOSTILE_JSON=$(timeout 180 "$HOSTILE_BACK_BIN" --domid "$LAB_DOMID" --vif "$HOSTILE_BACK_VIF" \
		--wait "$HOSTILE_WAIT" --duration "$((HOSTILE_DURATION * 2))" "$@" 2>"$err" | tail -n1)
	cat "$err"
	echo "$HOSTILE_JSON"
	[ -n "$HOSTILE_JSON" ] && printf '%s\n' "$HOSTILE_JSON" >> "$LAB_OUT/hostile/$LAB_SCN.jsonl"
	HOSTILE_RC=$(hostile_field "$HOSTILE_JSON" exit)
	[ -n "$HOSTILE_RC" ] || HOSTILE_RC=255
	return 0
}

hostile_back_run() {
	local a=$1 v=$2 oc fe g1
	lab_log "attack $a/$v on the $LAB_FRONTEND netfront"
	hostile_back_tool --attack "$a" --variant "$v"
	[ "$HOSTILE_RC" = 0 ] || lab_fail "$a/$v: xvif-evil-back could not reach the point of attack (rc=$HOSTILE_RC): $HOSTILE_JSON"
	oc=$(hostile_field "$HOSTILE_JSON" outcome)
	fe=$(hostile_field "$HOSTILE_JSON" frontend_state)
	lab_wait 30 "the guest's command channel after $a/$v" lab_guest_alive ||
		lab_fail "$a/$v: the guest stopped answering (crashed or hung): $(tail -n 20 "$LAB_GUEST_LOG" | tr '\n' ' ')"
	g1=$(hostile_guest_oopses)
	[ "$g1" = "$HOSTILE_G0" ] || lab_fail "$a/$v: the guest kernel logged new BUG/Oops/WARNING lines ($HOSTILE_G0 -> $g1): $(grep -E "$HOSTILE_OOPS_RE" "$LAB_GUEST_LOG" | tail -n 3 | tr '\n' ' ')"
	ping -c 3 -i 0.3 -W 2 10.0.0.2 >/dev/null || lab_fail "$a/$v: the guest's other vif (vif 0) no longer passes traffic"
	xenstore-exists "/local/domain/$LAB_DOMID/device/vif/$HOSTILE_BACK_VIF" &&
		lab_fail "$a/$v: the hostile vif's frontend directory is still there after the teardown"
	if [ "$a" = stale-data ]; then
		local checked stale
		checked=$(hostile_field "$HOSTILE_JSON" data_pages_checked)
		stale=$(hostile_field "$HOSTILE_JSON" stale_pages)
		lab_metric stale_pages_checked "${checked:-0}"
		[ "${checked:-0}" -ge 1 ] || lab_fail "$a/$v: the frontend sent no TX data to inspect in $((HOSTILE_DURATION * 2)) s"
		[ "${stale:-1}" = 0 ] || lab_fail "$a/$v: with trusted=0, $stale of $checked granted TX pages carried non-zero bytes outside the packet (XSA-403)"
	fi
	hostile_note "$a/$v: frontend $oc (state $fe)"
	# The interface can be brought back: a new vif served honestly connects
	# and takes frames.
	hostile_back_tool --attack sanity
	if ! { [ "$HOSTILE_RC" = 0 ] && [ "$(hostile_field "$HOSTILE_JSON" outcome)" = frontend-connected ] &&
		[ "$(hostile_field "$HOSTILE_JSON" rx_delivered)" -ge 1 ]; }; then
		lab_fail "$a/$v: a new vif served honestly afterwards did not work: rc=$HOSTILE_RC $HOSTILE_JSON"
	fi
}

hostile_back_finish() { lab_pass "$HOSTILE_NOTES"; }
