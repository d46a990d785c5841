#!/bin/bash
# Run cmocka test binaries and record each test case as a result line.
# usage: mk/run-cmocka.sh RESULTS_FILE BINARY...
# cmocka prints TAP (CMOCKA_MESSAGE_OUTPUT=TAP); "ok N - name" becomes
# "PASS <binary>/<name>", "not ok" becomes FAIL, "# SKIP" becomes SKIP
# (cmocka's skip() prints "not ok N # SKIP name").
# A binary that crashes or prints no plan is recorded as one FAIL.
# Each binary's whole output (the code under test logs a lot, expected
# errors and a deliberately crashed worker included) is kept in
# <results dir>/logs/<suite>-<binary>.log; the terminal gets the TAP lines,
# and the whole output only for a binary that failed.
set -u
out=$1; shift
: > "$out"
logdir=$(dirname "$out")/logs
mkdir -p "$logdir"
for bin in "$@"; do
	name=$(basename "$bin")
	log=$logdir/$(basename "$out" .txt)-$name.log
	CMOCKA_MESSAGE_OUTPUT=TAP "$bin" > "$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || grep -q '^not ok [0-9]* -' "$log" || ! grep -q '^1\.\.[0-9]' "$log"; then
		cat "$log"
	else
		grep -E '^(ok|not ok|1\.\.|# |SKIP )' "$log"
		echo "($name: the code's own log lines are in $log)"
	fi
	# A test that skips prints "SKIP <name> <reason>" first (print_message);
	# cmocka's own line has only the name, so the reason is taken from there.
	awk -v b="$name" '
		/^SKIP [^ ]+ / { r = $0; sub(/^SKIP [^ ]+ /, "", r); why[$2] = r; next }
		/^ok [0-9]+ - .*# SKIP/ { sub(/^ok [0-9]+ - /, ""); print "SKIP " b "/" $0; next }
		/^not ok [0-9]+ # SKIP/ {
			sub(/^not ok [0-9]+ # SKIP */, "")
			t = $1
			print "SKIP " b "/" t " " (t in why ? why[t] : "(the test gave no reason)")
			next
		}
		/^ok [0-9]+ - / { sub(/^ok [0-9]+ - /, ""); print "PASS " b "/" $0; next }
		/^not ok [0-9]+ - / { sub(/^not ok [0-9]+ - /, ""); print "FAIL " b "/" $0; next }
	' "$log" >> "$out"
	if ! grep -q '^1\.\.[0-9]' "$log" || { [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; }; then
		echo "FAIL $name exited $rc without a complete TAP report" >> "$out"
	fi
done
