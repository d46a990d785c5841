#!/bin/bash
# `make -C test/hostile check`: what of the hostile peers runs without Xen.
# usage: run-check.sh RESULTS_FILE MAKE OUT_DIR
# Writes one line per check to RESULTS_FILE (PASS/FAIL/SKIP name detail):
#   build-tools     both tools build with -Werror, statically
#   unit            cmocka: catalogue, command line, attack plans (each case a line)
#   unit-san        the same under ASan+UBSan
#   list/dry-run    each tool's catalogue and every attack plan print as JSON
#   usage           a bad command line exits 1 with a message naming the option
#   (shell) check   lab-lib.sh, lab-record.sh and the hostile-* lab scenarios
#   lab-lib-children  the lab's dead-worker accounting against a made-up log
# The attacks themselves need Xen: they are the lab's hostile-* scenarios.
set -u
out=$1 make=$2 dir=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: > "$out"
res() { echo "$*" >> "$out"; echo "$*"; }

if $make -C "$here" all > "$dir/build.log" 2>&1; then
	res "PASS hostile/build-tools xvif-evil-front xvif-evil-back"
else
	res "FAIL hostile/build-tools see $dir/build.log: $(grep -m1 -E 'error|undefined' "$dir/build.log")"
fi
for t in xvif-evil-front xvif-evil-back; do
	b=$dir/$t
	[ -x "$b" ] || { res "SKIP hostile/static-$t not built"; continue; }
	if ldd "$b" 2>&1 | grep -q 'not a dynamic executable'; then
		res "PASS hostile/static-$t (the lab copies one file)"
	else
		res "FAIL hostile/static-$t links shared libraries: $(ldd "$b" | awk '{print $1}' | tr '\n' ' ')"
	fi
done

tests=(test_args test_plan test_back_plan)
if $make -C "$here" "${tests[@]/#/$dir/}" > "$dir/tests.log" 2>&1; then
	tmp=$(mktemp)
	"$top/mk/run-cmocka.sh" "$tmp" "${tests[@]/#/$dir/}" > "$dir/unit.log" 2>&1
	sed 's|^\([A-Z]*\) |\1 hostile/unit/|' "$tmp" | tee -a "$out"
	rm -f "$tmp"
else
	res "FAIL hostile/unit the unit tests do not build: see $dir/tests.log"
fi
if $make -C "$here" san > "$dir/san.log" 2>&1; then
	tmp=$(mktemp)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$top/mk/run-cmocka.sh" "$tmp" "${tests[@]/#/$dir/san/}" > "$dir/unit-san.log" 2>&1
	sed 's|^\([A-Z]*\) |\1 hostile/unit-san/|' "$tmp" | tee -a "$out"
	rm -f "$tmp"
else
	res "FAIL hostile/unit-san the sanitizer build fails: see $dir/san.log"
fi

# --list names every attack of the tool's side; --dry-run prints every
# plan as one JSON line with outcome "dry-run".
valid_json() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); sys.exit(0 if d.get("outcome")=="dry-run" else 1)'; }
for side in front back; do
	b=$dir/xvif-evil-$side
	[ -x "$b" ] || { res "SKIP hostile/dry-run-$side not built"; continue; }
	names=$("$b" --list | awk '/^  [a-z]/{print $1}')
	n=0 bad=
	for a in $names; do
		variants=$("$b" --list | awk -v a="$a" '$1==a{f=1;next} f&&/variants:/{sub(/.*variants: /,""); gsub(/ \(default\)/,""); print; exit}')
		for v in $variants; do
			extra=; [ "$side" = back ] && extra="--domid 1"
			# shellcheck disable=SC2086
			if "$b" --attack "$a" --variant "$v" $extra --dry-run 2>/dev/null | valid_json; then
				n=$((n + 1))
			else
				bad="$bad $a/$v"
			fi
		done
	done
	if [ -z "$names" ]; then
		res "FAIL hostile/dry-run-$side --list printed no attack"
	elif [ -n "$bad" ]; then
		res "FAIL hostile/dry-run-$side no valid JSON plan for:$bad"
	else
		res "PASS hostile/dry-run-$side $n attack plans ($(echo "$names" | wc -w) attacks)"
	fi
done
b=$dir/xvif-evil-front
if [ -x "$b" ]; then
	msg=$("$b" --attack zero-len --variant nope 2>&1 >/dev/null); rc=$?
	if [ $rc = 1 ] && echo "$msg" | grep -q -- '--variant nope'; then
		res "PASS hostile/usage bad --variant: exit 1, '$msg'"
	else
		res "FAIL hostile/usage bad --variant gave exit $rc, '$msg'"
	fi
fi
# The lab side: shell that only runs in the lab's dom0 gets checked here.
if command -v shellcheck > /dev/null; then
	scn=$(ls "$top"/test/lab/scenarios/hostile-*.sh)
	# shellcheck disable=SC2086 # the scenario files: one argument each
	if msg=$(shellcheck -s bash -e SC1091,SC2154 "$here/lab-lib.sh" "$here/lab-record.sh" $scn 2>&1); then
		res "PASS hostile/shellcheck lab-lib.sh, lab-record.sh, $(echo "$scn" | wc -l) hostile-* scenarios"
	else
		res "FAIL hostile/shellcheck $(echo "$msg" | grep -m1 -E '^In |SC[0-9]+')"
	fi
else
	res "SKIP hostile/shellcheck shellcheck not installed (apt-get install shellcheck)"
fi
# lab-lib.sh's accounting of a daemon child (per-vif worker) that went
# away during an attack, against a made-up daemon log: a death the log
# names by pid and a vif's "data path stopped" account for it; silence
# does not.
msg=$(bash -c '
	. "$1/lab-lib.sh"
	LAB_DAEMON_LOG=$(mktemp)
	lab_fail() { echo "FAILED: $*"; }
	lab_log() { :; }
	hostile_daemon_tree() { echo 100; }
	printf "%s\n" "info: xvif1.1: data path in worker process 200 (uid 65534, seccomp)" \
		"info: xvif1.1: data path in worker process 201 (uid 65534, seccomp)" \
		"info: xvif2.8: data path in worker process 202 (uid 65534, seccomp)" "--" \
		"err: xvif1.1: worker died: signal 31 (Bad system call) (pid 200): closing this vif only" \
		"info: xvif1.1: data path stopped" > "$LAB_DAEMON_LOG"
	hostile_front_children a "100 200 201" 4
	echo "notes:$HOSTILE_NOTES"
	hostile_front_children b "100 202" 4
	rm -f "$LAB_DAEMON_LOG"' _ "$here" 2>&1)
if echo "$msg" | grep -q 'notes: a: worker 200 of xvif1.1 ended: err: .*(pid 200)' &&
	! echo "$msg" | grep -q 'FAILED: a:' && echo "$msg" | grep -q 'FAILED: b: daemon child process 202 (worker of xvif2.8) vanished'; then
	res "PASS hostile/lab-lib-children a dead worker named in the log passes, a silent one fails"
else
	res "FAIL hostile/lab-lib-children $(echo "$msg" | tr '\n' ' ')"
fi
res "SKIP hostile/attacks-vs-xen the attacks need Xen: lab scenarios hostile-* (test/lab/run.sh --backend xvif --scenario hostile-...)"
exit 0
