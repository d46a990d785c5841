#!/bin/bash
# Run libFuzzer targets. usage: run.sh smoke|long SECONDS RESULTS_FILE NAME...
#  - every file in corpus/<name>/ and crashers/<name>/ is replayed first
#    (regression: a once-found crash must stay fixed);
#  - then the target fuzzes for SECONDS with the corpus. In "long" mode new
#    inputs are merged back into corpus/<name>/ and a crash is copied into
#    crashers/<name>/ so it becomes a regression input.
# One result line per target: PASS with execs/s and coverage, or FAIL.
set -u
mode=$1; secs=$2; out=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
bin=${BUILD:-$here/../../build}/fuzz
: > "$out"
for n in "$@"; do
	corpus=$here/corpus/$n; crash=$here/crashers/$n
	mkdir -p "$corpus" "$crash"
	work=$(mktemp -d)
	log=$work/log
	replay=( "$corpus"/* "$crash"/* )
	files=()
	for f in "${replay[@]}"; do [ -f "$f" ] && files+=("$f"); done
	if [ ${#files[@]} -gt 0 ] && ! "$bin/fuzz_$n" "${files[@]}" > "$log" 2>&1; then
		tail -30 "$log"
		echo "FAIL fuzz/$n replay of corpus/crashers crashed" >> "$out"; rm -rf "$work"; continue
	fi
	mkdir -p "$work/new"
	"$bin/fuzz_$n" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$work/" \
		"$work/new" "$corpus" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
	if [ $rc -ne 0 ]; then
		tail -40 "$log"
		for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
			[ -f "$a" ] && cp "$a" "$crash/" && echo "fuzz: kept $(basename "$a") in test/fuzz/crashers/$n/"
		done
		echo "FAIL fuzz/$n crashed after ${execs:-?} execs (input kept in crashers/$n)" >> "$out"
	else
		echo "PASS fuzz/$n execs=${execs:-?} execs_per_s=${rate:-?} cov=${cov:-?}" >> "$out"
		echo "fuzz/$n: ${execs:-?} execs, ${rate:-?}/s, cov ${cov:-?}"
		if [ "$mode" = long ]; then
			"$bin/fuzz_$n" -merge=1 "$corpus" "$work/new" > /dev/null 2>&1
		fi
	fi
	rm -rf "$work"
done
