#!/bin/bash
# make bench: xvif side by side with the kernel drivers, in one lab boot.
# One QEMU boot (same Xen, same dom0, same guest kernel) measures the four
# peer pairs: kernel-stock, kernel-xvif (the kernel's xen-netback in dom0),
# xvif-stock, xvif-xvif (xen-netback unloaded, xvif-netback started), in 3
# rounds (the second in reverse order, so a drift of the host's load falls
# on every pair alike); each pair measures each figure once a round, and
# the median of the 3 is the figure; the ratios against kernel-stock are printed as a
# table and saved with the machine's description as
# build/bench/lab-<run-id>.json and build/bench/lab-latest.json.
# Benchmarks report; they never fail: exit status 0 unless the options were
# wrong (2). A pair that cannot run (part not built) is named and left out.
# See test/lab/bench/README.
#
# usage: test/lab/bench/bench.sh [--pairs a,b,...] [--keep]
set -u
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
LAB_DIR=$(cd "$BENCH_DIR/.." && pwd)
TOP=$(cd "$LAB_DIR/../.." && pwd)
# shellcheck source=../../../mk/versions.env
. "$TOP/mk/versions.env"
BUILD=${BUILD:-$TOP/build}
LAB_IMG=$BUILD/lab/img
OUTDIR=$BUILD/bench
RUN_ID=$(date +%Y%m%d-%H%M%S)-$$
LAB_RUNS=$BUILD/lab/runs/$RUN_ID
export LAB_DIR TOP LAB_KVER XEN_SERIES LAB_IMG

all_pairs="kernel-stock kernel-xvif xvif-stock xvif-xvif"
pairs=$all_pairs keep=0
usage() {
	sed -n 's/^# usage: /usage: /p' "$0"
	echo "  --pairs  which pairs, comma-separated (default all: ${all_pairs// /,});"
	echo "           kernel-stock, the reference of the ratios, always runs"
	echo "  --keep   keep the result disk image"
	exit "${1:-0}"
}
while [ $# -gt 0 ]; do
	case "$1" in
	--pairs) pairs=$(echo "${2:?--pairs needs a comma-separated list}" | tr ',' ' '); shift;;
	--pairs=*) pairs=$(echo "${1#*=}" | tr ',' ' ');;
	--keep) keep=1;;
	-h|--help) usage 0;;
	*) echo "bench: unknown option '$1'" >&2; usage 2;;
	esac
	shift
done
for p in $pairs; do
	case " $all_pairs " in *" $p "*) ;; *) echo "bench: no pair '$p' (pairs: $all_pairs)" >&2; exit 2;; esac
done
case " $pairs " in *" kernel-stock "*) ;; *) pairs="kernel-stock $pairs";; esac

# The phases run in this order whatever the order asked: kernel ones first
# (dom0 boots with xen-netback), then the xvif ones.
mkdir -p "$OUTDIR" "$LAB_RUNS"
echo $$ > "$LAB_RUNS/pid"
dir=$LAB_RUNS/bench
mkdir -p "$dir"
: > "$dir/left-out.txt"

# shellcheck source=../lib/build.sh
. "$LAB_DIR/lib/build.sh"

missing=
for c in qemu-system-x86_64 cpio busybox modinfo depmod perl python3 flock truncate; do
	command -v "$c" >/dev/null || missing="$missing $c"
done
for f in "/boot/vmlinuz-$LAB_KVER" "/boot/xen-$XEN_SERIES-amd64.gz" "/usr/lib/xen-$XEN_SERIES/bin/xl"; do
	[ -e "$f" ] || missing="$missing $f"
done

why_not() { # PAIR: why it cannot run (empty: it can)
	local b=${1%-*} f=${1#*-} vm
	if [ "$b" = xvif ] && ! [ -x "$NETBACK_BIN" ]; then
		echo "xvif-netback is not built (${NETBACK_BIN#"$TOP"/}: make netback)"; return
	fi
	if [ "$f" = xvif ]; then
		[ -f "$NETFRONT_KO" ] || { echo "xvif-netfront is not built (${NETFRONT_KO#"$TOP"/}: make netfront)"; return; }
		vm=$(modinfo -F vermagic "$NETFRONT_KO" 2>/dev/null | cut -d' ' -f1)
		[ "$vm" = "$LAB_KVER" ] || echo "xvif-netfront.ko is built for '$vm', the lab guest runs $LAB_KVER"
	fi
}

phases=
for p in $all_pairs; do
	case " $pairs " in *" $p "*) ;; *) continue;; esac
	r=$(why_not "$p")
	if [ -n "$r" ]; then
		printf '%s\t%s\n' "$p" "$r" >> "$dir/left-out.txt"
		echo "bench: $p left out: $r"
	else
		phases="$phases bench-$p"
	fi
done
phases=$(echo $phases)
# Three rounds (BENCH_ROUNDS), the second in reverse order: each phase measures once per
# round, so a drift of the host's load over the boot falls on every pair.
ROUNDS=${BENCH_ROUNDS:-3}
rev=$(echo "$phases" | tr ' ' '\n' | tac | tr '\n' ' ')
run_list=
for r in $(seq 1 $ROUNDS); do
	if [ $((r % 2)) = 0 ]; then run_list="$run_list $rev"; else run_list="$run_list $phases"; fi
done
run_list=$(echo $run_list)

# Each phase's time limit is 600 s (its # lab-timeout line; a round takes
# about 100 s); the host
# watchdog (lib/boot.sh) looks for lab-timeout in test/lab/scenarios/ only,
# where the phases are not, and so uses 300 s + LAB_SCN_GRACE.
PHASE_LIMIT=600
export LAB_SCN_GRACE=$((PHASE_LIMIT - 300 + 120))
# shellcheck source=../lib/boot.sh
. "$LAB_DIR/lib/boot.sh"

echo "bench: run $RUN_ID: $ROUNDS rounds of $phases; run directory $dir"
status=ran
if [ -n "$missing" ]; then
	echo "bench: lab dependencies missing:$missing (run 'make deps' as root): nothing measured"
	status="not run: lab dependencies missing:$missing"
elif ! lab_build; then
	echo "bench: building the lab images failed: nothing measured"
	status="not run: the lab's image build failed"
else
	n=$(echo "$run_list" | wc -w)
	to=$((180 + n * PHASE_LIMIT))
	scns=$(echo "$run_list" | tr ' ' '+')
	load_before=$(cut -d' ' -f1-3 /proc/loadavg)
	echo "bench: booting Xen + dom0 (time limit $to s; console: $dir/console.log)"
	t0=$(date +%s)
	lab_qemu "$dir" kernel stock "$scns" 1 "$to"; rc=$?
	if ! lab_reached "$dir" toolstack-ready; then
		echo "bench: RETRYING the boot once: dom0 did not reach the toolstack (QEMU rc=$rc, last phase: $(lab_last_phase "$dir")): an early-boot TCG stall"
		mv "$dir/console.log" "$dir/console-try1.log"
		lab_qemu "$dir" kernel stock "$scns" 1 "$to"; rc=$?
	fi
	[ -s "$dir/hang.txt" ] && echo "bench: HANG: $(cat "$dir/hang.txt")"
	lab_collect "$dir" || echo "bench: dom0 wrote no result disk: only the console's verdicts are known"
	[ "$keep" = 1 ] || rm -f "$dir/result.img"
	echo "bench: boot done in $(( $(date +%s) - t0 )) s (logs: $dir/out)"
fi

# The machine, for the JSON.
{
	echo "cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
	echo "host_cores=$(nproc)"
	echo "host_kernel=$(uname -r)"
	echo "host_load_before=${load_before:-}"
	echo "host_load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "host_os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
	echo "qemu=$(qemu-system-x86_64 --version 2>/dev/null | head -n1)"
	echo "xen_package=$(dpkg-query -W -f='${Version}' "xen-hypervisor-$XEN_SERIES-amd64" 2>/dev/null)"
	echo "guest_kernel=$LAB_KVER"
	echo "dom0_kernel=$LAB_KVER"
	echo "guest_kernel_package=$(dpkg-query -W -f='${Version}' "linux-image-$LAB_KVER" 2>/dev/null)"
	echo "accel=tcg (thread=multi), -cpu qemu64,+svm, 2 vCPUs, 2 GiB; dom0 2 vCPUs 1 GiB; guest 1 vCPU 256 MiB"
	echo "commit=${BENCH_COMMIT:-$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null)$(git -C "$TOP" diff --quiet HEAD -- netback netfront common 2>/dev/null || echo "+uncommitted")}"
} > "$dir/machine.txt"

python3 "$BENCH_DIR/report.py" --run "$dir" --run-id "$RUN_ID" --status "$status" \
	--phases "$phases" --rounds "$ROUNDS" --out "$OUTDIR"
exit 0
