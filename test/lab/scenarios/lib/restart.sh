# shellcheck shell=bash
# Helpers of the restart-* scenarios (issue 9: restart xvif-netback under
# connected guests). Sourced by them after /lab/lib.sh; not a scenario.
#
#   rs_kill9                 SIGKILL the running daemon, wait until it is gone
#   rs_term                  SIGTERM it (hand-over exit), wait until it is gone
#                            (both set RS_EXIT_S: signal to gone, in s)
#   rs_start [BINARY]        start a daemon (default /usr/sbin/xvif-netback),
#                            record its pid for /init, wait for its socket
#                            (RS_START_S: start to the socket answering, in s)
#   rs_res PID               "fds=N gntdev=N tun=N rss_kb=N workers=N" of a
#                            daemon and its per-vif worker processes together
#   rs_stale_workers         worker processes not the running daemon's
#   rs_guest_with N          (re)create the guest with vifs 0..N-1
#   rs_ping_all N            every vif 0..N-1 answers ping from dom0
#   rs_no_orphans            every xvif* interface in dom0 has a backend dir,
#                            every TAP record names a live vif
#   rs_gap_ms FILE [COUNT]   longest run of lost replies in a busybox
#                            `ping -i 0.05 -c COUNT` output, in ms (seq gap
#                            x 50; a loss at the start or end counts too)
#   rs_gap_start DEVID FILE  ping 10.0.DEVID.2 every 50 ms into FILE in the
#                            background (until rs_gap_stop); prints its pid
#   rs_gap_stop PID FILE     stop it (SIGINT: busybox prints its summary),
#                            print the gap in ms (rs_gap_ms over all it sent);
#                            status 1 (and why) if the ping did not run
#   rs_guest_ping_all N      the guest pings dom0 on every vif 0..N-1
#   rs_same_res R0 R1        the two rs_res figures hold the same fds, gntdev
#                            mappings, TAP fds and workers; else prints which
#                            differ, status 1

RS_DAEMON=/usr/sbin/xvif-netback
RS_VIFDIR=/run/xvif-netback/vifs

# rs_gone PID: no such process, or only a zombie (dom0's /init, the first
# daemon's parent, reaps it only after the scenario).
# Builtins only: rs_wait_gone polls it every 50 ms.
rs_gone() {
	local k v
	[ -e "/proc/$1" ] || return 0
	while read -r k v _; do
		[ "$k" = State: ] && { [ "$v" = Z ]; return; }
	done < "/proc/$1/status" 2> /dev/null
	return 0
}

# rs_wait_gone PID SECS: poll every 50 ms (a restart's gap should not hold
# the scenario's own polling); RS_EXIT_S: how long it took. Status 1 if
# PID is still there after about SECS.
rs_wait_gone() {
	local i=0 t0
	t0=$(lab_now)
	until rs_gone "$1"; do
		i=$((i + 1))
		[ $i -le $(($2 * 20)) ] || { echo "[$(lab_now)] timed out after $2 s waiting for daemon $1 to go"; return 1; }
		sleep 0.05
	done
	RS_EXIT_S=$(lab_since "$t0")
	echo "[$(lab_now)] daemon $1 gone after $RS_EXIT_S s"
}

rs_kill9() {
	local p
	p=$(lab_daemon_pid)
	[ -n "$p" ] && ! rs_gone "$p" || { echo "rs_kill9: no daemon running" >&2; return 1; }
	lab_run kill -9 "$p"
	rs_wait_gone "$p" 10
}

rs_term() {
	local p
	p=$(lab_daemon_pid)
	[ -n "$p" ] && ! rs_gone "$p" || { echo "rs_term: no daemon running" >&2; return 1; }
	lab_run kill -TERM "$p"
	rs_wait_gone "$p" 30
}

rs_start() {
	local bin=${1:-$RS_DAEMON} p t0
	# setsid: not in the scenario's process group (its timeout kills that).
	setsid "$bin" run --log-level debug >> "$LAB_DAEMON_LOG" 2>&1 < /dev/null &
	p=$!
	echo "$p" > "$LAB_STATE/daemon.pid"
	t0=$(lab_now)
	echo "[$t0] started $bin: pid $p"
	lab_wait 30 "the new daemon's status socket" "$bin" status || return 1
	RS_START_S=$(lab_since "$t0")
	! rs_gone "$p"
}

# rs_workers PID: the daemon's per-vif worker processes (its children).
rs_workers() {
	local s
	for s in /proc/[0-9]*/stat; do
		awk -v pp="$1" '{ sub(/^.*\) /, ""); if ($2 == pp) { split(FILENAME, a, "/"); print a[3] } }' "$s" 2>/dev/null
	done
}
# rs_stale_workers: vif worker processes whose parent is not the daemon.
rs_stale_workers() {
	local d p
	d=$(lab_daemon_pid)
	for p in $(grep -l -- '--vif-worker' /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
		rs_gone "$p" && continue
		[ "$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$p/stat" 2>/dev/null)" = "$d" ] || echo "$p"
	done
}
# Resources of the daemon and its workers together (fds, gntdev mappings,
# TAP fds, RSS), and how many workers.
rs_res() {
	local p=$1 fds=0 gnt=0 tun=0 rss=0 w=0 q x
	for q in "$p" $(rs_workers "$p"); do
		[ "$q" = "$p" ] || w=$((w + 1))
		x=$(ls "/proc/$q/fd" 2>/dev/null | wc -l); fds=$((fds + x))
		x=$(grep -c gntdev "/proc/$q/maps" 2>/dev/null); gnt=$((gnt + ${x:-0}))
		x=$(for f in /proc/$q/fd/*; do readlink "$f"; done 2>/dev/null | grep -c /dev/net/tun); tun=$((tun + x))
		x=$(awk '/^VmRSS:/ {print $2}' "/proc/$q/status" 2>/dev/null); rss=$((rss + ${x:-0}))
	done
	echo "fds=$fds gntdev=$gnt tun=$tun rss_kb=$rss workers=$w"
}
# rs_field "fds=1 gntdev=2 ..." gntdev -> 2
rs_field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

rs_guest_with() {
	local n=$1 i specs=
	lab_guest_down
	for i in $(seq 0 $((n - 1))); do
		lab_bridge "$i" || { echo "could not make xenbr$i" >&2; return 1; }
		specs="$specs${specs:+, }'$(lab_vif_spec "$i")'"
	done
	lab_guest_cfg 1 | sed "s|^vif = .*|vif = [ $specs ]|" > /tmp/rs-guest.cfg
	grep '^vif' /tmp/rs-guest.cfg
	RS_ERR="xl create failed"
	lab_run timeout 300 xl create /tmp/rs-guest.cfg > /tmp/rs-xl-create.log 2>&1 || { cat /tmp/rs-xl-create.log; RS_ERR="xl create failed: $(tail -n 3 /tmp/rs-xl-create.log | tr '\n' ' ')"; return 1; }
	cat /tmp/rs-xl-create.log
	LAB_DOMID=$(lab_domid)
	RS_ERR="no ping from 10.0.0.2 within 180 s"
	lab_wait 180 "the guest to answer ping on 10.0.0.2" ping -c1 -W1 10.0.0.2 || return 1
	RS_ERR="the guest's command channel does not answer"
	lab_wait 30 "the guest's command channel" lab_guest_alive || return 1
	for i in $(seq 0 $((n - 1))); do
		RS_ERR="no ping reply from 10.0.$i.2 within 60 s (states: fe $(xenstore-read /local/domain/$LAB_DOMID/device/vif/$i/state 2>&1) be $(xenstore-read /local/domain/0/backend/vif/$LAB_DOMID/$i/state 2>&1))"
		lab_wait 60 "ping reply from 10.0.$i.2" ping -c1 -W1 "10.0.$i.2" || { RS_ERR="no ping reply from 10.0.$i.2 within 60 s (states: fe $(xenstore-read /local/domain/$LAB_DOMID/device/vif/$i/state 2>&1) be $(xenstore-read /local/domain/0/backend/vif/$LAB_DOMID/$i/state 2>&1))"; return 1; }
	done
	RS_ERR=
}

# Prints the devids whose ping failed; status 0 only if all answered.
rs_ping_all() {
	local n=$1 i bad=
	for i in $(seq 0 $((n - 1))); do
		ping -c 2 -W 2 "10.0.$i.2" > /dev/null 2>&1 ||
			lab_wait 10 "ping reply from 10.0.$i.2" ping -c1 -W1 "10.0.$i.2" || bad="$bad $i"
	done
	[ -z "$bad" ] || { echo "no ping reply from vif(s):$bad"; return 1; }
}

rs_no_orphans() {
	local ok=0 n d v f
	for n in /sys/class/net/xvif*; do
		[ -e "$n" ] || continue
		n=${n##*/}
		d=${n#xvif}; v=${d#*.}; d=${d%%.*}
		xenstore-exists "/local/domain/0/backend/vif/$d/$v" || { echo "orphan interface $n (no backend/vif/$d/$v)"; ok=1; }
	done
	for f in "$RS_VIFDIR"/*; do
		[ -e "$f" ] || continue
		d=${f##*/}; v=${d#*.}; d=${d%%.*}
		xenstore-exists "/local/domain/0/backend/vif/$d/$v" || { echo "orphan record $f: $(cat "$f")"; ok=1; }
	done
	return $ok
}

rs_gap_ms() {
	awk -v n="${2:-0}" 'match($0, /seq=[0-9]+/) { s = substr($0, RSTART + 4, RLENGTH - 4) + 0;
		if (!have) last = -1; if (s - last > gap) gap = s - last; last = s; have = 1 }
		END { if (!have) last = -1; if (n > 0 && n - last > gap) gap = n - last;
		      printf "%d", (gap > 1 ? gap - 1 : 0) * 50 }' "$1"
}

rs_gap_start() {
	( exec ping -i 0.05 -W 1 "10.0.$1.2" > "$2" 2>&1 < /dev/null ) &
	echo $!
}
rs_gap_stop() {
	local n
	kill -INT "$1" 2>/dev/null
	# Not this shell's child (started in a $(...)): wait for it by its pid.
	lab_wait 5 "ping $1 to print its summary" rs_gone "$1" > /dev/null || kill -9 "$1" 2>/dev/null
	n=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$2")
	[ -n "$n" ] && [ "$n" -gt 0 ] || { echo "no ping summary in $2: $(tail -n 3 "$2" | tr '\n' ' ')"; return 1; }
	rs_gap_ms "$2" "$n"
}

# Prints the devids on which the guest got no reply; status 0 only if all did.
rs_guest_ping_all() {
	local n=$1 ids
	ids=$(seq 0 $((n - 1)) | tr '\n' ' ')
	lab_guest -t $((20 + 8 * n)) "bad=; for i in $ids; do ping -c 2 -W 2 10.0.\$i.1 > /dev/null 2>&1 || ping -c 3 -W 2 10.0.\$i.1 > /dev/null 2>&1 || bad=\"\$bad \$i\"; done; [ -z \"\$bad\" ] || { echo \"guest -> dom0: no ping reply on vif(s):\$bad\"; exit 1; }"
}

rs_same_res() {
	local k bad=
	for k in fds gntdev tun workers; do
		[ "$(rs_field "$1" $k)" = "$(rs_field "$2" $k)" ] || bad="$bad $k=$(rs_field "$2" $k) (was $(rs_field "$1" $k))"
	done
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}

# rs_guest_sampler IFDEVID SECS: in the guest, sample carrier and operstate
# of the interface bound to vif-IFDEVID every 0.1 s for SECS seconds into
# /tmp/rs-carrier (in the background; the command channel returns at once).
rs_guest_sampler() {
	lab_guest "n=\$(for d in /sys/class/net/eth*; do case \$(readlink \$d/device) in */vif-$1) echo \${d##*/};; esac; done); [ -n \"\$n\" ] || exit 1; echo \$n; ( i=0; while [ \$i -lt $(($2 * 10)) ]; do echo \"\$(cat /sys/class/net/\$n/carrier) \$(cat /sys/class/net/\$n/operstate)\"; i=\$((i+1)); sleep 0.1; done > /tmp/rs-carrier 2>&1 ) < /dev/null > /dev/null 2>&1 &"
}

# rs_fe_sampler DEVID FILE: in dom0, sample the frontend's and backend's
# xenstore state every 0.1 s into FILE until killed; prints its pid.
rs_fe_sampler() {
	local fe="/local/domain/$LAB_DOMID/device/vif/$1" be="/local/domain/0/backend/vif/$LAB_DOMID/$1"
	( while :; do echo "$(xenstore-read "$fe/state" 2>/dev/null) $(xenstore-read "$be/state" 2>/dev/null)"; sleep 0.1; done > "$2" 2>&1 ) < /dev/null > /dev/null 2>&1 &
	echo $!
}

# rs_scenario_n N: restart-4, restart-16. A guest with N vifs (0..N-1), all
# passing traffic; then kill -9 and start the daemon, and SIGTERM (hand-over)
# and start it again, with dom0 pinging vif 0 every 50 ms across each. After
# each: every vif adopted (log), every vif pings both ways, the daemon and
# its workers hold exactly the fds / TAP fds / gntdev mappings / worker
# processes the first one did, no orphan interface or record, no worker of
# the old daemon left, the frontends stayed Connected. Metrics: restart_<how>_s
# (signal to every vif adopted), term_exit_s (SIGTERM to the daemon gone),
# gap_<how>_ms (vif 0's longest run of lost 50 ms pings), rss_kb_first,
# rss_kb_after_<how>, gntdev_maps.
rs_scenario_n() {
	local n=$1 d r0 r1 k mark t0 how i st gp gap gaps=
	lab_need_backend xvif
	rs_guest_with "$n" || lab_fail "could not bring up a guest with $n vifs: $RS_ERR"
	d=$LAB_DOMID
	rs_ping_all "$n" || lab_fail "before any restart: $(rs_ping_all "$n")"
	k=$(rs_guest_ping_all "$n") || lab_fail "before any restart: $k"
	r0=$(rs_res "$(lab_daemon_pid)"); echo "first daemon: $r0"
	for how in kill9 term; do
		gp=$(rs_gap_start 0 "/tmp/rs-gap-$how.txt")
		sleep 1
		mark=$(wc -l < "$LAB_DAEMON_LOG")
		t0=$(lab_now)
		if [ $how = kill9 ]; then rs_kill9 || lab_fail "could not kill -9 the daemon"
		else rs_term || lab_fail "the daemon did not exit on SIGTERM"; fi
		rs_start || lab_fail "the new daemon did not come up after $how"
		if [ $how = term ]; then lab_metric term_exit_s "$RS_EXIT_S"; fi
		lab_wait 60 "$n adopted vifs" sh -c "[ \$(tail -n +$mark '$LAB_DAEMON_LOG' | grep -c 'xvif$d\.[0-9]*: adopted (frontend kept') -ge $n ]" ||
			lab_fail "after $how: only $(tail -n +"$mark" "$LAB_DAEMON_LOG" | grep -c "xvif$d\.[0-9]*: adopted (frontend kept") of $n vifs adopted"
		lab_metric "restart_${how}_s" "$(lab_since "$t0")"
		lab_wait 10 "vif 0 to answer again" ping -c1 -W1 10.0.0.2
		sleep 1
		gap=$(rs_gap_stop "$gp" "/tmp/rs-gap-$how.txt") || lab_fail "the 50 ms ping on vif 0 across $how: $gap"
		tail -n 2 "/tmp/rs-gap-$how.txt"
		lab_metric "gap_${how}_ms" "$gap"
		gaps="$gaps $how ${gap} ms;"
		for i in $(seq 0 $((n - 1))); do
			st="$(xenstore-read "/local/domain/$d/device/vif/$i/state") $(xenstore-read "/local/domain/0/backend/vif/$d/$i/state")"
			[ "$st" = "4 4" ] || lab_fail "after $how: vif $i frontend/backend state $st, not 4 4"
		done
		rs_ping_all "$n" || lab_fail "after $how: $(rs_ping_all "$n")"
		k=$(rs_guest_ping_all "$n") || lab_fail "after $how: $k"
		r1=$(rs_res "$(lab_daemon_pid)"); echo "after $how: $r1"
		lab_metric "rss_kb_after_$how" "$(rs_field "$r1" rss_kb)"
		k=$(rs_same_res "$r0" "$r1") || lab_fail "after $how the daemon holds$k for the same $n vifs"
		k=$(rs_stale_workers); [ -z "$k" ] || lab_fail "after $how: worker process(es) of the old daemon still run: $k"
		k=$(rs_no_orphans) || lab_fail "after $how: $k"
	done
	lab_metric rss_kb_first "$(rs_field "$r0" rss_kb)"
	lab_metric gntdev_maps "$(rs_field "$r0" gntdev)"
	# Leave a one-vif guest for the scenarios after this one.
	lab_guest_down
	k=$(rs_no_orphans) || lab_fail "after the guest was destroyed: $k"
	lab_pass "$n vifs adopted after kill -9 and after SIGTERM; all pass traffic both ways; nothing leaked; gap:$gaps"
}
