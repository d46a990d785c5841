#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the hotplug-script tests (bats) and write one line per test to
# RESULTS_FILE: PASS <name>, FAIL <name> <why>, SKIP <name> <reason>.
#
#   tests/run.sh [RESULTS_FILE]    (default $RESULTS/scripts.txt,
#                                   RESULTS default build/results)
# Exits 1 if any test failed.
set -u -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
results=${RESULTS:-$(cd "$here/../.." && pwd)/build/results}
out=${1:-$results/scripts.txt}
mkdir -p "$(dirname "$out")"

if ! command -v bats >/dev/null; then
	echo "SKIP scripts-tests bats is not installed (make deps installs it)" | tee "$out"
	exit 0
fi

# The TAP also goes to stderr, appended (-a): tee without it opens
# /dev/stderr with O_TRUNC, which empties a log file stderr is redirected to
# (CI's `make check > log 2>&1` lost everything before this step).
# Convert bats' TAP: "ok N name", "ok N name # skip why",
# "not ok N name" followed by "# ..." lines (the failure's details).
bats --tap "$here"/*.bats | tee -a /dev/stderr | awk '
	function flush() {
		if (failed != "") {
			gsub(/[ \t]+/, " ", why)
			print "FAIL " failed " " (why == "" ? "see the bats output" : substr(why, 1, 400))
		}
		failed = ""; why = ""
	}
	/^not ok [0-9]+ / { flush(); failed = $4; next }
	/^ok [0-9]+ .* # skip/ { flush(); r = $0; sub(/.* # skip ?/, "", r); print "SKIP " $3 " " r; next }
	/^ok [0-9]+ / { flush(); print "PASS " $3; next }
	/^# / && failed != "" { line = substr($0, 3); why = (why == "" ? line : why " | " line); next }
	END { flush() }
' >"$out"
bats_rc=$?
pass=$(grep -c '^PASS' "$out")
fail=$(grep -c '^FAIL' "$out")
skip=$(grep -c '^SKIP' "$out")
echo "scripts: $pass passed, $fail failed, $skip skipped (results in $out)"
[ "$fail" -eq 0 ] && [ "$bats_rc" -eq 0 ]
