# systemd-notify: the daemon's systemd protocol as systemd sees it (the unit
# is Type=notify with WatchdogSec=). The lab's dom0 has no systemd, so socat
# stands in for its notify socket. Under a connected guest the running
# daemon hands its vif over (SIGTERM) and one is started the way systemd
# starts it (NOTIFY_SOCKET, WATCHDOG_USEC=2 s, WATCHDOG_PID = its own pid).
# It must send READY=1 only once its status socket answers, STATUS= with the
# vif count once it adopted the vif, WATCHDOG=1 again and again while it
# runs, and STOPPING=1 on SIGTERM; then the plain daemon takes the vif back,
# traffic passes and nothing leaked. Metrics: ready_s (start to READY=1),
# watchdog_pings (seen in the observation window).
# lab-timeout: 200
lab_need_backend xvif
command -v socat > /dev/null ||
	lab_skip "socat is not in the lab's dom0 (make deps installs it; test/lab/lab-dom0.files copies it in)"
. /lab/scenarios/lib/restart.sh
lab_need_guest
d=$LAB_DOMID
sock=/run/xvif-notify.sock raw=/tmp/notify.raw msgs=/tmp/notify.txt

# socat -v writes a header before each datagram; a message need not end in
# a newline, so a header can follow the last value on the same line. One
# line out per datagram field, each datagram starting with "--".
notify_msgs() {
	awk '{ gsub(/> [0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] [0-9:.]+  length=[0-9]+ from=[0-9]+ to=[0-9]+/, "\n--"); print }' \
		"$raw" | grep -v '^$' > "$msgs"
}
notify_has() { notify_msgs; grep -q "$1" "$msgs"; }
notify_count() { notify_msgs; grep -c "$1" "$msgs"; }
notify_atleast() { [ "$(notify_count "$1")" -ge "$2" ]; }

rm -f "$sock" "$raw"
socat -u -v "UNIX-RECV:$sock,unlink-early" OPEN:/dev/null 2> "$raw" &
sink=$!
lab_wait 10 "socat's notify socket" test -S "$sock" || lab_fail "socat did not create $sock"

r0=$(rs_res "$(lab_daemon_pid)"); echo "before: $r0"
mark=$(wc -l < "$LAB_DAEMON_LOG")
rs_term || lab_fail "the daemon did not exit on SIGTERM"
t0=$(lab_now)
# As systemd does: WATCHDOG_PID is the service's main pid, i.e. the daemon
# itself (sh execs it, keeping its pid).
NOTIFY_SOCKET=$sock WATCHDOG_USEC=2000000 setsid sh -c 'export WATCHDOG_PID=$$; exec "$0" run --log-level debug' \
	"$RS_DAEMON" >> "$LAB_DAEMON_LOG" 2>&1 < /dev/null &
p=$!
echo "$p" > "$LAB_STATE/daemon.pid"
echo "[$(lab_now)] started $RS_DAEMON under the notify socket: pid $p"

lab_wait 30 "READY=1 on the notify socket" notify_has '^READY=1$' || lab_fail "no READY=1 within 30 s"
lab_metric ready_s "$(lab_since "$t0")"
# READY=1 means "serving": the status socket must answer at once.
"$RS_DAEMON" status > /tmp/notify-status.txt 2>&1 ||
	lab_fail "READY=1 came before the status socket answered: $(head -n 3 /tmp/notify-status.txt)"
lab_wait 20 "the daemon to adopt xvif$d.0" sh -c "tail -n +$mark '$LAB_DAEMON_LOG' | grep -q 'xvif$d.0: adopted (frontend kept'" ||
	lab_fail "the daemon under the notify socket did not adopt xvif$d.0"
lab_wait 20 "STATUS= with the vif count" notify_has '^STATUS=1 vif, 1 connected$' ||
	lab_fail "no 'STATUS=1 vif, 1 connected' (got: $(grep '^STATUS=' "$msgs" | tr '\n' '|'))"
tail -n +"$mark" "$LAB_DAEMON_LOG" | grep -q 'systemd watchdog: 2000 ms, pinged every 1000 ms' ||
	lab_fail "the daemon did not log that it took WATCHDOG_USEC=2000000"
lab_wait 30 "three WATCHDOG=1 pings" notify_atleast '^WATCHDOG=1$' 3 ||
	lab_fail "fewer than 3 WATCHDOG=1 within 30 s (saw $(notify_count '^WATCHDOG=1$'))"
rs_ping_all 1 || lab_fail "ping through the vif under the notify-socket daemon"
w=$(notify_count '^WATCHDOG=1$')
lab_metric watchdog_pings "$w"

rs_term || lab_fail "the notify-socket daemon did not exit on SIGTERM"
lab_wait 10 "STOPPING=1" notify_has '^STOPPING=1$' || lab_fail "no STOPPING=1 after SIGTERM"
# Nothing is sent after STOPPING=1 (no WATCHDOG=1 from a stopping daemon).
[ "$(tail -n 1 "$msgs")" = "STOPPING=1" ] || lab_fail "messages after STOPPING=1: $(sed -n '/^STOPPING=1$/,$p' "$msgs" | tr '\n' '|')"
kill "$sink" 2> /dev/null
echo "notify messages:"; uniq -c "$msgs"

mark=$(wc -l < "$LAB_DAEMON_LOG")
rs_start || lab_fail "the plain daemon did not come back"
lab_wait 20 "adoption by the plain daemon" sh -c "tail -n +$mark '$LAB_DAEMON_LOG' | grep -q 'xvif$d.0: adopted (frontend kept'" ||
	lab_fail "the plain daemon did not adopt xvif$d.0 back"
rs_ping_all 1 || lab_fail "dom0 -> guest ping after the plain daemon took the vif back"
lab_check "guest -> dom0 ping after the round trip" lab_guest 'ping -c 3 -W 2 10.0.0.1'
r1=$(rs_res "$(lab_daemon_pid)"); echo "after: $r1"
for k in fds gntdev tun workers; do
	[ "$(rs_field "$r0" $k)" = "$(rs_field "$r1" $k)" ] || lab_fail "after the round trip $k=$(rs_field "$r1" $k), before $k=$(rs_field "$r0" $k)"
done
lab_pass "READY=1 after the status socket, STATUS=1 vif, 1 connected, $w watchdog pings, STOPPING=1 last; vif adopted both ways"
