#!/bin/bash
# xvif's lab: real Xen 4.17 with a PV dom0 under QEMU TCG, running named
# scenarios with xl for each peer pair backend {kernel, xvif} x frontend
# {stock, xvif}. kernel x stock is the control pair and always runs.
# See test/lab/README (usage, the scenario API, results).
#
# usage: test/lab/run.sh [--backend kernel|xvif|all] [--frontend stock|xvif|all]
#                        [--scenario a,b,...] [--core] [--bench] [--keep] [--list]
#                        [--no-control]
set -u
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$LAB_DIR/../.." && pwd)
# shellcheck source=../../mk/versions.env
. "$TOP/mk/versions.env"
BUILD=${BUILD:-$TOP/build}
RESULTS=${RESULTS:-$BUILD/results}
LAB_IMG=$BUILD/lab/img
# Each invocation has its own run directory (several engineers share this
# tree and run the lab at once); runs/latest points at the newest.
RUN_ID=$(date +%Y%m%d-%H%M%S)-$$
LAB_RUNS=$BUILD/lab/runs/$RUN_ID
JSONL=$BUILD/lab/results.jsonl
LABTXT=$RESULTS/lab.txt
export LAB_DIR TOP LAB_KVER XEN_SERIES LAB_IMG

usage() {
	sed -n 's/^# usage: /usage: /p; s/^#  \{20,\}/       /p' "$0"
	echo "  --backend   which dom0 backends (default all)"
	echo "  --frontend  which guest frontends (default all)"
	echo "  --scenario  comma-separated scenario names (default: all, see --list)"
	echo "  --core      only the core scenarios (scenarios/order), not script-*, hostile-*, ..."
	echo "  --bench     longer iperf3 runs (20 s) for figures"
	echo "  --keep      keep each pair's result disk image (build/lab/runs/<run-id>/<pair>/result.img)"
	echo "  --list      list the scenarios and exit"
	echo "  --no-control  do not add the kernel-stock control pair (quick iterations on"
	echo "              one pair while others queue for the lab; make lab never uses it)"
	exit "${1:-0}"
}
die() { echo "lab: $*" >&2; exit 2; }

all_scenarios() {
	local s f
	for s in $(cat "$LAB_DIR/scenarios/order"); do [ -f "$LAB_DIR/scenarios/$s.sh" ] && echo "$s"; done
	for f in "$LAB_DIR"/scenarios/*.sh; do
		s=$(basename "$f" .sh)
		grep -qx "$s" "$LAB_DIR/scenarios/order" || echo "$s"
	done
}

backends=all frontends=all scen_arg= bench=0 keep=0 control=1
while [ $# -gt 0 ]; do
	case "$1" in
	--backend) backends=${2:?--backend needs kernel, xvif or all}; shift;;
	--backend=*) backends=${1#*=};;
	--frontend) frontends=${2:?--frontend needs stock, xvif or all}; shift;;
	--frontend=*) frontends=${1#*=};;
	--scenario|--scenarios) scen_arg=${2:?--scenario needs a comma-separated list}; shift;;
	--scenario=*|--scenarios=*) scen_arg=${1#*=};;
	--core) scen_arg=$(grep -v '^#' "$LAB_DIR/scenarios/order" | tr '\n' ',');;
	--bench) bench=1;;
	--keep) keep=1;;
	--no-control) control=0;;
	--list) all_scenarios; exit 0;;
	-h|--help) usage 0;;
	*) echo "lab: unknown option '$1'" >&2; usage 2;;
	esac
	shift
done
case "$backends" in all) backends="kernel xvif";; kernel|xvif) ;; *) die "--backend must be kernel, xvif or all (got '$backends')";; esac
case "$frontends" in all) frontends="stock xvif";; stock|xvif) ;; *) die "--frontend must be stock, xvif or all (got '$frontends')";; esac
if [ -n "$scen_arg" ]; then
	scenarios=$(echo "$scen_arg" | tr ',' ' ' | xargs)
	for s in $scenarios; do
		[ -f "$LAB_DIR/scenarios/$s.sh" ] || die "no scenario '$s' (test/lab/scenarios/$s.sh); --list shows them"
	done
else
	scenarios=$(all_scenarios | tr '\n' ' ')
fi
scen_csv=$(echo $scenarios | tr ' ' ',')
scen_plus=$(echo $scenarios | tr ' ' '+')

# The pairs, control first (it always runs, unless --no-control).
pairs=
[ "$control" = 1 ] && pairs="kernel-stock"
for b in $backends; do for f in $frontends; do
	case " $pairs " in *" $b-$f "*) ;; *) pairs="$pairs $b-$f";; esac
done; done
pairs=$(echo $pairs)

mkdir -p "$BUILD/lab" "$RESULTS" "$LAB_RUNS"
ln -sfn "$RUN_ID" "$BUILD/lab/runs/latest"
echo $$ > "$LAB_RUNS/pid"
# Keep the 30 newest run directories, and any whose run.sh still runs.
for old in $(ls -1d "$BUILD"/lab/runs/2*-* 2>/dev/null | head -n -30); do
	p=$(cat "$old/pid" 2>/dev/null)
	[ -n "$p" ] && kill -0 "$p" 2>/dev/null && continue
	rm -rf "$old"
done
# Rows gather in the run directory; results.jsonl and lab.txt are replaced
# at the end (and after each pair), so a concurrent run cannot interleave.
FINAL_JSONL=$JSONL FINAL_LABTXT=$LABTXT
JSONL=$LAB_RUNS/results.jsonl LABTXT=$LAB_RUNS/lab.txt
: > "$JSONL"; : > "$LABTXT"
publish() {
	cp "$JSONL" "$FINAL_JSONL.$$" && mv "$FINAL_JSONL.$$" "$FINAL_JSONL"
	cp "$LABTXT" "$FINAL_LABTXT.$$" && mv "$FINAL_LABTXT.$$" "$FINAL_LABTXT"
}
t_start=$(date +%s)
echo "lab: pairs: $pairs"
echo "lab: scenarios: $scenarios"
echo "lab: run directory: $LAB_RUNS"

# shellcheck source=lib/build.sh
. "$LAB_DIR/lib/build.sh"
# shellcheck source=lib/boot.sh
. "$LAB_DIR/lib/boot.sh"

# Everything the lab itself needs from the host; without it every row is SKIP.
missing=
for c in qemu-system-x86_64 cpio busybox modinfo depmod perl python3 flock truncate; do
	command -v "$c" >/dev/null || missing="$missing $c"
done
for f in "/boot/vmlinuz-$LAB_KVER" "/boot/xen-$XEN_SERIES-amd64.gz" "/usr/lib/xen-$XEN_SERIES/bin/xl" \
	"/lib/modules/$LAB_KVER/kernel/drivers/net/xen-netback/xen-netback.ko"; do
	[ -e "$f" ] || missing="$missing $f"
done
lab_skip_all=
if [ -n "$missing" ]; then
	lab_skip_all="lab dependencies missing:$missing (run 'make deps' as root)"
	echo "lab: $lab_skip_all"
elif ! lab_build; then
	build_failed=1
fi

# Why a pair cannot run (empty: it can).
pair_skip_reason() {
	local b=${1%-*} f=${1#*-} vm
	if [ "$b" = xvif ] && ! [ -x "$NETBACK_BIN" ]; then
		echo "xvif-netback is not built (${NETBACK_BIN#"$TOP"/} missing: 'make netback')"; return
	fi
	if [ "$f" = xvif ]; then
		if ! [ -f "$NETFRONT_KO" ]; then
			echo "xvif-netfront is not built (${NETFRONT_KO#"$TOP"/} missing: 'make netfront')"; return
		fi
		vm=$(modinfo -F vermagic "$NETFRONT_KO" 2>/dev/null | cut -d' ' -f1)
		if [ "$vm" != "$LAB_KVER" ]; then
			echo "xvif-netfront.ko is built for '$vm', the lab guest runs $LAB_KVER (make netfront KDIR=/lib/modules/$LAB_KVER/build)"; return
		fi
	fi
}

# Per-pair QEMU time limit: the scenarios' own limits plus boot and collection.
pair_timeout() {
	local t=180 s n
	for s in $scenarios; do
		n=$(sed -n 's/^# lab-timeout: *\([0-9][0-9]*\).*/\1/p' "$LAB_DIR/scenarios/$s.sh" | head -n1)
		t=$((t + ${n:-300}))
	done
	echo "$t"
}

any_fail=0
for pair in $pairs; do
	b=${pair%-*} f=${pair#*-}
	dir=$LAB_RUNS/$pair
	rm -rf "$dir"; mkdir -p "$dir"
	if [ -n "${build_failed:-}" ]; then
		# A lab that cannot build its images fails; it does not skip.
		echo "== $pair: FAIL: the lab's initramfs build failed (see above)"
		python3 "$LAB_DIR/lib/results.py" "$dir" "$b" "$f" "$scen_csv" "$JSONL" "$LABTXT" \
			"FAIL:the lab's initramfs build failed (run test/lab/run.sh and read its output)" >/dev/null
		any_fail=1; continue
	fi
	reason=${lab_skip_all:-}
	[ -z "$reason" ] && reason=$(pair_skip_reason "$pair")
	if [ -n "$reason" ]; then
		echo "== $pair: SKIP: $reason"
		python3 "$LAB_DIR/lib/results.py" "$dir" "$b" "$f" "$scen_csv" "$JSONL" "$LABTXT" "$reason"
		continue
	fi
	to=$(pair_timeout)
	echo "== $pair: booting Xen + dom0 (backend $b, frontend $f; time limit $to s; console: $dir/console.log)"
	t0=$(date +%s)
	lab_qemu "$dir" "$b" "$f" "$scen_plus" "$bench" "$to"; rc=$?
	# Retry only the known TCG flake: the boot stalling or QEMU dying
	# before dom0's toolstack is up, where no xvif code has run yet.
	if ! lab_reached "$dir" toolstack-ready; then
		echo "== $pair: RETRYING the boot once: dom0 did not reach the toolstack (QEMU rc=$rc, last phase: $(lab_last_phase "$dir"))."
		echo "   This is an early-boot stall of Xen/dom0 under QEMU TCG, before any xvif code runs; first console kept as $dir/console-try1.log"
		mv "$dir/console.log" "$dir/console-try1.log"
		lab_qemu "$dir" "$b" "$f" "$scen_plus" "$bench" "$to"; rc=$?
	fi
	if [ -s "$dir/hang.txt" ]; then
		echo "== $pair: HANG: $(cat "$dir/hang.txt")"
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "== $pair: HANG: QEMU killed after $to s in phase '$(lab_last_phase "$dir")'; console: $dir/console.log"
	elif [ "$rc" != 0 ]; then
		echo "== $pair: QEMU exited with status $rc in phase '$(lab_last_phase "$dir")'; console: $dir/console.log"
	fi
	lab_collect "$dir" || echo "== $pair: dom0 wrote no result disk: verdicts taken from the console"
	[ "$keep" = 1 ] || rm -f "$dir/result.img"
	echo "== $pair: done in $(( $(date +%s) - t0 )) s (logs: $dir/out)"
	python3 "$LAB_DIR/lib/results.py" "$dir" "$b" "$f" "$scen_csv" "$JSONL" "$LABTXT" || any_fail=1
	[ -s "$dir/out/notes.txt" ] && sed 's/^/  note: /' "$dir/out/notes.txt"
	publish
done
publish

echo "== lab summary ($(( $(date +%s) - t_start )) s wall)"
python3 - "$JSONL" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
count = {}
for r in rows:
    count[r["status"]] = count.get(r["status"], 0) + 1
print("  %d passed, %d failed, %d skipped" % (count.get("PASS", 0), count.get("FAIL", 0), count.get("SKIP", 0)))
keys = ["tcp_to_guest_mbps", "tcp_from_guest_mbps", "ping_avg_ms", "attach_to_ping_s",
        "mq_tcp_to_guest_mbps", "mq_tcp_from_guest_mbps", "create_to_ping_s"]
pairs = []
for r in rows:
    p = r["backend"] + "-" + r["frontend"]
    if p not in pairs:
        pairs.append(p)
fig = {p: {} for p in pairs}
for r in rows:
    for k, v in r["metrics"].items():
        fig[r["backend"] + "-" + r["frontend"]][k] = v
if any(fig[p] for p in pairs):
    print("  %-26s" % "figure" + "".join("%15s" % p for p in pairs if fig[p]))
    for k in keys:
        if any(k in fig[p] for p in pairs):
            print("  %-26s" % k + "".join("%15s" % fig[p].get(k, "-") for p in pairs if fig[p]))
PY
echo "  results: $FINAL_JSONL, $FINAL_LABTXT; logs: $LAB_RUNS"
exit $any_fail
