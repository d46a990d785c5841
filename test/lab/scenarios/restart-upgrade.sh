# restart-upgrade: the admin's upgrade: SIGTERM the daemon (it hands its
# vifs over) and start a different binary (a copy of xvif-netback with
# other bytes appended, so its hash differs) under a connected guest with a
# ping every 50 ms running. The new binary adopts the vif (xenstore stays
# 4/4 throughout), traffic passes both ways after, the daemon and its
# workers hold the same fds / TAP fds / gntdev mappings / worker processes
# as before, no orphan, no worker of the old daemon; then back to the
# original binary the same way, with the same checks.
# Metrics: gap_ms (longest run of lost 50 ms pings x 50), restart_s (SIGTERM
# to adopted), exit_s (SIGTERM to the old daemon gone);
# gap_back_ms, restart_back_s for the way back.
# lab-timeout: 240
lab_need_backend xvif
. /lab/scenarios/lib/restart.sh
lab_need_guest
d=$LAB_DOMID
new_bin=/tmp/xvif-netback-upgraded
cp "$RS_DAEMON" "$new_bin" && printf 'upgrade-marker-%s' "$(lab_now)" >> "$new_bin" && chmod 755 "$new_bin" ||
	lab_fail "could not make the upgraded copy"
cmp -s "$RS_DAEMON" "$new_bin" && lab_fail "the copy is identical"
r0=$(rs_res "$(lab_daemon_pid)"); echo "before: $r0"
fsp=$(rs_fe_sampler 0 /tmp/rs-up-states)
ping -i 0.05 -c 300 -W 1 10.0.0.2 > /tmp/rs-up-ping.txt 2>&1 &
pp=$!
sleep 3
mark=$(wc -l < "$LAB_DAEMON_LOG")
t0=$(lab_now)
rs_term || lab_fail "the daemon did not exit on SIGTERM"
# Straight on, as systemctl restart would: anything in between is gap.
rs_start "$new_bin" || lab_fail "the upgraded binary did not come up"
lab_metric exit_s "$RS_EXIT_S"
tail -n +"$mark" "$LAB_DAEMON_LOG" | grep -q "handing every vif over" || lab_fail "the daemon did not log the hand-over on SIGTERM"
lab_wait 20 "the upgraded daemon to adopt xvif$d.0" sh -c "tail -n +$mark '$LAB_DAEMON_LOG' | grep -q 'xvif$d.0: adopted (frontend kept'" ||
	lab_fail "the upgraded daemon did not adopt xvif$d.0"
lab_metric restart_s "$(lab_since "$t0")"
[ "$(readlink "/proc/$(lab_daemon_pid)/exe")" = "$new_bin" ] || lab_fail "the running daemon is not $new_bin"
wait $pp
kill "$fsp" 2>/dev/null
tail -n 3 /tmp/rs-up-ping.txt
gap=$(rs_gap_ms /tmp/rs-up-ping.txt 300)
lab_metric gap_ms "$gap"
sort /tmp/rs-up-states | uniq -c
[ "$(grep -v -c '^4 4$' /tmp/rs-up-states)" = 0 ] || lab_fail "xenstore state left Connected during the upgrade"
rs_ping_all 1 || lab_fail "dom0 -> guest ping after the upgrade"
lab_check "guest -> dom0 ping after the upgrade" lab_guest 'ping -c 3 -W 2 10.0.0.1'
r1=$(rs_res "$(lab_daemon_pid)"); echo "after: $r1"
o=$(rs_same_res "$r0" "$r1") || lab_fail "after the upgrade the daemon holds$o"
o=$(rs_no_orphans) || lab_fail "$o"
o=$(rs_stale_workers); [ -z "$o" ] || lab_fail "worker process(es) of the old daemon still run: $o"
# Back to the installed binary for the scenarios after this one.
gp=$(rs_gap_start 0 /tmp/rs-back-ping.txt)
sleep 1
mark=$(wc -l < "$LAB_DAEMON_LOG")
t0=$(lab_now)
rs_term || lab_fail "the upgraded daemon did not exit on SIGTERM"
rs_start || lab_fail "the original binary did not come back"
lab_wait 20 "adoption by the original binary" sh -c "tail -n +$mark '$LAB_DAEMON_LOG' | grep -q 'xvif$d.0: adopted (frontend kept'" ||
	lab_fail "the original binary did not adopt xvif$d.0 back"
lab_metric restart_back_s "$(lab_since "$t0")"
lab_wait 10 "vif 0 to answer again" ping -c1 -W1 10.0.0.2
sleep 1
gap_back=$(rs_gap_stop "$gp" /tmp/rs-back-ping.txt) || lab_fail "the 50 ms ping on vif 0 across the way back: $gap_back"
tail -n 2 /tmp/rs-back-ping.txt
lab_metric gap_back_ms "$gap_back"
rs_ping_all 1 || lab_fail "ping after going back to the original binary"
lab_check "guest -> dom0 ping after going back" lab_guest 'ping -c 3 -W 2 10.0.0.1'
r2=$(rs_res "$(lab_daemon_pid)"); echo "back: $r2"
o=$(rs_same_res "$r0" "$r2") || lab_fail "back on the original binary the daemon holds$o"
o=$(rs_no_orphans) || lab_fail "$o"
o=$(rs_stale_workers); [ -z "$o" ] || lab_fail "worker process(es) of the upgraded daemon still run: $o"
lab_pass "upgraded and back with the guest Connected; gap ${gap} ms, back ${gap_back} ms"
