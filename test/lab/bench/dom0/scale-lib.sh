# shellcheck shell=bash
# Helpers of the scale-* scenarios (test/lab/scenarios/scale-*.sh), sourced
# after /lab/lib.sh: what xvif-netback and its worker processes (if the
# build has them) hold, and what a vif leaves in dom0.
# (In the image's /lab/scenarios with make bench's phases; not a scenario.)

# scale_procs PID: PID and all its descendants, one a line.
scale_procs() {
	local kids=$1 q p
	while [ -n "$kids" ]; do
		q=
		for p in $kids; do
			echo "$p"
			q="$q $(grep -l "^PPid:[[:space:]]*$p\$" /proc/[0-9]*/status 2>/dev/null | cut -d/ -f3)"
		done
		kids=$(echo $q)
	done
}

# scale_snapshot NAME: what the daemon and its workers hold now, and what
# the vifs leave in dom0, into $LAB_STATE/scale-NAME.* and as shell
# variables S_<key> (keys below). Detail files (fd targets, xenstore
# paths) stay for a diff.
#   procs threads rss_daemon_kib pss_daemon_kib rss_kib pss_kib fds gntdev_maps taps
#   xs_vif_paths xs_all_paths status_vifs
scale_snapshot() {
	local name=$1 root p f=$LAB_STATE/scale-$1 d
	root=$(lab_daemon_pid)
	d=$(lab_domid)
	scale_procs "$root" > "$f.procs"
	: > "$f.fds"; : > "$f.maps"; : > "$f.mem"
	while read -r p; do
		# fd targets (socket:[inode] numbers differ between runs: kept as "socket")
		ls -l "/proc/$p/fd" 2>/dev/null | awk '/ -> / {print $NF}' | sed 's/:\[[0-9]*\]$//' >> "$f.fds"
		grep gntdev "/proc/$p/maps" >> "$f.maps" 2>/dev/null
		echo "$p $(awk '/^VmRSS:/{r = $2} /^Threads:/{t = $2} END{print r + 0, t + 0}' "/proc/$p/status" 2>/dev/null) $(awk '/^Pss:/{print $2; exit}' "/proc/$p/smaps_rollup" 2>/dev/null)" >> "$f.mem"
	done < "$f.procs"
	LC_ALL=C sort "$f.fds" -o "$f.fds"
	ls -d /sys/class/net/*/tun_flags 2>/dev/null | cut -d/ -f5 | LC_ALL=C sort > "$f.taps"
	{
		xenstore-ls -f /local/domain/0/backend/vif 2>/dev/null
		[ -n "$d" ] && xenstore-ls -f "/local/domain/$d/device/vif" 2>/dev/null
		[ -n "$d" ] && xenstore-ls -f "/libxl/$d/device/vif" 2>/dev/null
	} | sed 's/ = .*//' | LC_ALL=C sort > "$f.xs"
	xenstore-ls -f / 2>/dev/null | sed 's/ = .*//' | LC_ALL=C sort > "$f.xsall"
	S_procs=$(wc -l < "$f.procs")
	S_threads=$(awk '{t += $3} END{print t + 0}' "$f.mem")
	S_rss_daemon_kib=$(awk -v r="$root" '$1 == r {print $2 + 0}' "$f.mem")
	S_pss_daemon_kib=$(awk -v r="$root" '$1 == r {print $4 + 0}' "$f.mem")
	S_rss_kib=$(awk '{t += $2} END{print t + 0}' "$f.mem")
	S_pss_kib=$(awk '{t += $4} END{print t + 0}' "$f.mem")
	S_fds=$(wc -l < "$f.fds")
	S_gntdev_maps=$(wc -l < "$f.maps")
	S_taps=$(wc -l < "$f.taps")
	S_xs_vif_paths=$(wc -l < "$f.xs")
	S_xs_all_paths=$(wc -l < "$f.xsall")
	S_status_vifs=$(timeout 20 xvif-netback status --json 2>/dev/null | grep -o '"devid"' | wc -l)
	echo "[$(lab_now)] snapshot $name: procs=$S_procs threads=$S_threads rss_daemon=${S_rss_daemon_kib}KiB pss_daemon=${S_pss_daemon_kib}KiB rss=${S_rss_kib}KiB pss=${S_pss_kib}KiB fds=$S_fds gntdev_maps=$S_gntdev_maps taps=$S_taps xs_vif_paths=$S_xs_vif_paths xs_all_paths=$S_xs_all_paths status_vifs=$S_status_vifs"
	for k in procs threads rss_daemon_kib pss_daemon_kib rss_kib pss_kib fds gntdev_maps taps xs_vif_paths xs_all_paths status_vifs; do
		eval "echo \"$k=\$S_$k\""
	done > "$f.vars"
}

# scale_get NAME KEY: a value a snapshot recorded.
scale_get() { sed -n "s/^$2=//p" "$LAB_STATE/scale-$1.vars"; }

# scale_wait_gone DOMID DEVID: the vif is gone from xenstore and dom0.
scale_wait_gone() {
	local vif
	vif=$(lab_vif_ifname "$1" "$2")
	lab_wait 30 "backend/vif/$1/$2 to go" sh -c "! xenstore-exists /local/domain/0/backend/vif/$1/$2" || return 1
	lab_wait 30 "$vif to go" sh -c "! test -e /sys/class/net/$vif"
}
