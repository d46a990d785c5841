#!/bin/bash
# make demo: xvif-netback in dom0 and a guest on xvif-netfront under real
# Xen (QEMU TCG): create, live attach of a second vif with ping, iperf3 both
# ways, the daemon's status output, then the same figures from the kernel
# drivers (kernel xen-netback + stock xen-netfront) side by side.
# A missing xvif part is named and replaced by its stock peer.
# usage: test/lab/demo.sh      (make demo installs the packages and builds first)
set -u
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$LAB_DIR/../.." && pwd)
# shellcheck source=../../mk/versions.env
. "$TOP/mk/versions.env"
BUILD=${BUILD:-$TOP/build}
LAB_IMG=$BUILD/lab/img
DEMO=$BUILD/lab/demo
export LAB_DIR TOP LAB_KVER XEN_SERIES LAB_IMG
t_start=$(date +%s)
step=0
phase() { step=$((step + 1)); echo; echo "=== [demo $step, $(( $(date +%s) - t_start )) s] $*"; }

# shellcheck source=lib/build.sh
. "$LAB_DIR/lib/build.sh"
# shellcheck source=lib/boot.sh
. "$LAB_DIR/lib/boot.sh"

phase "checking what is installed and built"
if ! "$TOP/mk/deps.sh" --check; then
	echo "demo: packages missing: run 'make deps' as root (make demo does it), then again." >&2
	exit 1
fi
backend=xvif frontend=xvif
if [ -x "$NETBACK_BIN" ]; then
	echo "backend:  xvif-netback ($NETBACK_BIN)"
else
	echo "backend:  xvif-netback is NOT built ($NETBACK_BIN missing: 'make netback');"
	echo "          the demo uses the stock kernel xen-netback instead."
	backend=kernel
fi
vm=$( [ -f "$NETFRONT_KO" ] && modinfo -F vermagic "$NETFRONT_KO" 2>/dev/null | cut -d' ' -f1)
if [ "$vm" = "$LAB_KVER" ]; then
	echo "frontend: xvif-netfront ($NETFRONT_KO)"
else
	if [ -f "$NETFRONT_KO" ]; then
		echo "frontend: xvif-netfront.ko is built for '$vm', the guest runs $LAB_KVER;"
	else
		echo "frontend: xvif-netfront is NOT built ($NETFRONT_KO missing: 'make netfront');"
	fi
	echo "          the demo uses the stock xen-netfront in the guest instead."
	frontend=stock
fi

phase "building the dom0 and guest boot images (cached)"
lab_build || { echo "demo: building the lab's images failed (output above)" >&2; exit 1; }

scns=create+attach+tcp
[ "$backend" = xvif ] && scns=$scns+status
pairs="$backend-$frontend"
[ "$pairs" = kernel-stock ] || pairs="$pairs kernel-stock"
rm -rf "$DEMO"; mkdir -p "$DEMO"
: > "$DEMO/results.jsonl"
rc=0
for pair in $pairs; do
	b=${pair%-*} f=${pair#*-}
	s=$scns; [ "$b" = kernel ] && s=create+attach+tcp
	if [ "$pair" = kernel-stock ] && [ "$pairs" != kernel-stock ]; then
		phase "the same with the kernel drivers (xen-netback + xen-netfront), for comparison"
	else
		extra=; [ "$b" = xvif ] && extra=", xvif-netback status"
		phase "booting Xen + dom0 with backend $b, guest frontend $f: xl create, ping, live network-attach, iperf3$extra"
	fi
	echo "(console: $DEMO/$pair/console.log)"
	lab_qemu "$DEMO/$pair" "$b" "$f" "$s" 0 900; qrc=$?
	[ "$qrc" = 0 ] || echo "demo: QEMU exited with status $qrc in phase '$(lab_last_phase "$DEMO/$pair")'"
	lab_collect "$DEMO/$pair" || echo "demo: dom0 wrote no results disk; verdicts from the console"
	rm -f "$DEMO/$pair/result.img"
	python3 "$LAB_DIR/lib/results.py" "$DEMO/$pair" "$b" "$f" "${s//+/,}" "$DEMO/results.jsonl" "$DEMO/lab.txt" || rc=1
	if [ "$b" = xvif ]; then
		echo "--- xvif-netback status (with the guest running)"
		cat "$DEMO/$pair/out/status.txt" 2>/dev/null || echo "(no status output: see the status row above)"
	fi
done

phase "figures side by side (TCG: expect +-25% between boots; never a pass/fail criterion)"
python3 - "$DEMO/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
pairs, fig = [], {}
for r in rows:
    p = "%s-%s" % (r["backend"], r["frontend"])
    if p not in pairs:
        pairs.append(p)
    fig.setdefault(p, {}).update(r["metrics"])
keys = [("tcp_to_guest_mbps", "TCP dom0 -> guest, Mbit/s"), ("tcp_from_guest_mbps", "TCP guest -> dom0, Mbit/s"),
        ("ping_avg_ms", "ping dom0 -> guest avg, ms"), ("create_to_ping_s", "xl create to first ping, s"),
        ("attach_to_ping_s", "network-attach to first ping, s"), ("attach_tcp_to_guest_mbps", "TCP on attached vif, Mbit/s")]
print("  %-34s" % "" + "".join("%16s" % p for p in pairs))
for k, name in keys:
    print("  %-34s" % name + "".join("%16s" % fig[p].get(k, "-") for p in pairs))
if len(pairs) == 2:
    a, b = pairs
    for k in ("tcp_to_guest_mbps", "tcp_from_guest_mbps"):
        x, y = fig[a].get(k), fig[b].get(k)
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and y:
            print("  %s: %s / %s = %.2f" % (k, a, b, x / y))
PY
echo
echo "demo: done in $(( $(date +%s) - t_start )) s; results $DEMO/results.jsonl, logs $DEMO/<pair>/out"
exit $rc
