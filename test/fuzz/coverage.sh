#!/bin/bash
# Source coverage of the kept corpus (and crashers) of each fuzz target:
# builds the target with clang's source-based coverage (no sanitizers),
# replays corpus/<name>/ and crashers/<name>/ once, and prints llvm-cov's
# line and branch coverage of the files that target is about. A figure to
# read next to libFuzzer's "cov" (edges): which parser lines the corpus
# reaches. Needs clang, llvm-profdata, llvm-cov (Debian: clang, llvm).
#
# usage: test/fuzz/coverage.sh [NAME...]    (default: every target)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top"
out=${BUILD:-$top/build}/fuzz-cov
mkdir -p "$out"
for t in clang llvm-profdata llvm-cov; do
	command -v "$t" >/dev/null || { echo "SKIP fuzz-coverage $t not installed (apt-get install clang llvm)"; exit 0; }
done
common=$(ls common/*.c)
engine="netback/dp_vif.c netback/dp_loop.c netback/dp_ring.c netback/dp_tx.c netback/dp_rx.c netback/dp_ctrl.c
	netback/log.c netback/tests/fake_xen.c netback/tests/fake_front.c"
# The files each target is about (what its coverage line reports).
about() {
	case $1 in
	ctrl) echo common/ctrl.c;;
	hdr) echo common/hdr.c;;
	rx_rsp) echo common/rx.c;;
	tx_chain) echo common/tx.c;;
	xs) echo common/xs_schema.c common/strutil.c common/mac.c;;
	engine) echo netback/dp_tx.c netback/dp_rx.c netback/dp_ring.c netback/dp_ctrl.c netback/dp_loop.c netback/dp_vif.c;;
	esac
}
names=${*:-$(ls test/fuzz/fuzz_*.c | sed 's|.*/fuzz_\(.*\)\.c|\1|')}
for n in $names; do
	extra=; flags=
	if [ "$n" = engine ]; then extra=$engine; flags="-Inetback -Inetback/tests -D_GNU_SOURCE -pthread"; fi
	bin=$out/fuzz_$n
	# shellcheck disable=SC2086
	clang -O1 -g -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping -Icommon $flags \
		"test/fuzz/fuzz_$n.c" $common $extra -o "$bin"
	rm -f "$out/$n.profraw"
	files=()
	for f in test/fuzz/corpus/"$n"/* test/fuzz/crashers/"$n"/*; do [ -f "$f" ] && files+=("$f"); done
	LLVM_PROFILE_FILE=$out/$n.profraw "$bin" -runs=0 "${files[@]}" > "$out/$n.log" 2>&1 ||
		{ echo "fuzz-coverage $n: replay failed (see $out/$n.log)"; continue; }
	llvm-profdata merge -sparse "$out/$n.profraw" -o "$out/$n.profdata"
	# shellcheck disable=SC2046
	llvm-cov report "$bin" -instr-profile="$out/$n.profdata" $(about "$n") > "$out/$n.txt"
	# TOTAL row: Regions Missed Cover Functions Missed Executed Lines Missed Cover Branches Missed Cover
	awk -v n="$n" -v k="${#files[@]}" '/^TOTAL/ { printf "fuzz-coverage %s: %d inputs, lines %s, branches %s, regions %s (%s)\n", n, k, $10, $13, $4, "'"$(about "$n" | tr '\n' ' ' | sed 's/ $//')"'" }' "$out/$n.txt"
done
