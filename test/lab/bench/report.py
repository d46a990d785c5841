#!/usr/bin/env python3
"""make bench's report: medians, ratios against kernel-stock, JSON.

usage: report.py --run DIR --run-id ID --status TEXT --phases "bench-a bench-b" --rounds N --out OUTDIR
       report.py --show JSON        (print the table of a saved report)

DIR is the bench boot's directory: out/bench/bench-<pair>.tsv (raw values,
FIGURE<TAB>ROUND<TAB>VALUE, info<TAB>KEY<TAB>VALUE lines, and
flag<TAB>FIGURE<TAB>ROUND<TAB>WHY lines: that round's value of FIGURE is not a
measurement, e.g. the vif closed during it), out/results.txt
(each phase's verdict, one a round), out/logs/xl-info.txt, machine.txt (key=value lines
from the host), left-out.txt (PAIR<TAB>why), hang.txt. Writes
OUTDIR/lab-<ID>.json, OUTDIR/lab-<ID>.txt (the table) and copies both to
lab-latest.*. Never fails on missing figures: they show as "-" with why.

Left out of a median (JSON: the figure's "left_out", each with round, value
and why; table: the cell is marked "*" and a line below names it): a value
bench-lib.sh flagged, and a dom0 CPU-per-GB value whose TCP run moved no data
(0 Mbit/s in the same round: its bytes came from a vif that closed or
stalled, the quotient is meaningless).
"""
import argparse
import datetime
import json
import os
import shutil
import statistics
import sys

PAIRS = ["kernel-stock", "kernel-xvif", "xvif-stock", "xvif-xvif"]
BASE = "kernel-stock"
# (key, label, unit, better): the table's rows, in order.
FIGURES = [
    ("tcp1_to_guest_mbps", "TCP dom0->guest, 1 stream", "Mbit/s", "higher"),
    ("tcp1_from_guest_mbps", "TCP guest->dom0, 1 stream", "Mbit/s", "higher"),
    ("tcp4_to_guest_mbps", "TCP dom0->guest, 4 streams", "Mbit/s", "higher"),
    ("tcp4_from_guest_mbps", "TCP guest->dom0, 4 streams", "Mbit/s", "higher"),
    ("udp64_to_guest_pps", "UDP 64 B dom0->guest", "pkt/s", "higher"),
    ("udp64_from_guest_pps", "UDP 64 B guest->dom0", "pkt/s", "higher"),
    ("ping_avg_ms", "ping dom0->guest, average", "ms", "lower"),
    ("ping_p99_ms", "ping dom0->guest, 99th pct", "ms", "lower"),
    ("attach_to_ping_s", "network-attach to 1st ping", "s", "lower"),
    ("tcp1_to_guest_cpu_s_per_gb", "dom0 CPU, TCP1 ->guest", "s/GB", "lower"),
    ("tcp1_from_guest_cpu_s_per_gb", "dom0 CPU, TCP1 guest->", "s/GB", "lower"),
    ("tcp4_to_guest_cpu_s_per_gb", "dom0 CPU, TCP4 ->guest", "s/GB", "lower"),
    ("tcp4_from_guest_cpu_s_per_gb", "dom0 CPU, TCP4 guest->", "s/GB", "lower"),
]
# Recorded too, in the JSON only.
EXTRA = [("udp64_to_guest_loss_pct", "%"), ("udp64_from_guest_loss_pct", "%"),
         ("attach_s", "s"), ("ping_lost", "pings"), ("create_to_ping_s", "s"),
         ("daemon_rss_kib", "KiB"), ("daemon_and_workers_rss_kib", "KiB"),
         ("daemon_and_workers_pss_kib", "KiB"), ("daemon_processes", "")]


def num(v):
    try:
        f = float(v)
    except ValueError:
        return v
    return int(f) if f.is_integer() and "." not in v else f


def read_kv(path, sep="="):
    d = {}
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            line = line.rstrip("\n")
            if sep in line:
                k, v = line.split(sep, 1)
                d[k.strip()] = v.strip()
    return d


def read_raw(path):
    """values: FIGURE -> [(round, value)] in file order; info: KEY -> value;
    flags: (FIGURE, round) -> why."""
    values, info, flags = {}, {}, {}
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "flag" and len(parts) >= 4:
                flags[(parts[1], parts[2])] = "\t".join(parts[3:]).strip() or "flagged by the bench"
                continue
            if len(parts) != 3:
                continue
            if parts[0] == "info":
                info[parts[1]] = num(parts[2])
            else:
                try:
                    values.setdefault(parts[0], []).append((parts[1], float(parts[2])))
                except ValueError:
                    pass
    return values, info, flags


CPU_SUFFIX = "_cpu_s_per_gb"


def why_left_out(key, rnd, values, flags):
    """Why round RND's value of KEY is no measurement (None: it is one)."""
    if (key, rnd) in flags:
        return flags[(key, rnd)]
    if key.endswith(CPU_SUFFIX):
        tput = key[:-len(CPU_SUFFIX)] + "_mbps"
        moved = [v for r, v in values.get(tput, []) if r == rnd]
        if moved and max(moved) <= 0:
            return ("its TCP run moved no data (%s 0 Mbit/s in round %s): the vif closed or "
                    "stalled during it, CPU per GB is meaningless" % (tput, rnd))
    return None


def split_figure(key, values, flags):
    """The figure's JSON entry: median of the kept values, the left-out ones."""
    kept, left = [], []
    for rnd, v in values.get(key, []):
        why = why_left_out(key, rnd, values, flags)
        if why:
            left.append({"round": num(rnd), "value": v, "why": why})
        else:
            kept.append((rnd, v))
    vs = [v for _, v in kept]
    f = {"median": statistics.median(vs) if vs else None, "values": vs,
         "rounds": [num(r) for r, _ in kept]}
    if left:
        f["left_out"] = left
    return f


def read_verdicts(path):
    """Each phase's rounds: FAIL if any round failed (with every reason)."""
    v = {}
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[0] == "RESULT":
                v.setdefault(parts[1], []).append((parts[2], parts[3] if len(parts) > 3 else ""))
    out = {}
    for phase, rounds in v.items():
        bad = [r for r in rounds if r[0] != "PASS"]
        if bad:
            out[phase] = ("FAIL", "; ".join(r[1] for r in bad), len(rounds))
        else:
            out[phase] = ("PASS", "", len(rounds))
    return out


def fmt(x):
    if x is None:
        return "-"
    if abs(x) >= 1000:
        return "%.0f" % x
    if abs(x) >= 100:
        return "%.0f" % x
    if abs(x) >= 10:
        return "%.1f" % x
    return "%.2f" % x


def table(rep):
    pairs = [p for p in PAIRS if p in rep["pairs"]]
    lines = []
    lines.append("%-28s %-7s" % ("figure (median of %d)" % rep["params"]["reps"], "unit")
                 + "".join("%-20s" % p for p in pairs))
    notes = []
    for key, label, unit, better in FIGURES:
        cells = []
        for p in pairs:
            f = rep["pairs"][p]["figures"].get(key)
            if not f or f.get("median") is None:
                c = "-"
            elif p == BASE or f.get("ratio") is None:
                c = fmt(f["median"])
            else:
                c = "%s (%.2f)" % (fmt(f["median"]), f["ratio"])
            for lo in (f or {}).get("left_out", []):
                notes.append("* %s, %s: round %s (%s %s) left out: %s"
                             % (p, label, lo["round"], fmt(lo["value"]), unit, lo["why"]))
            if (f or {}).get("left_out"):
                c += " *"
            cells.append(c)
        lines.append("%-28s %-7s" % (label, unit) + "".join("%-20s" % c for c in cells))
    lines.append("(x.xx) = median / kernel-stock's median; ping, attach and CPU rows: lower is better")
    lines.extend(notes)
    for p in pairs:
        st = rep["pairs"][p]
        if st["status"] != "PASS":
            lines.append("%s: %s %s" % (p, st["status"], st["reason"]))
    for p, why in rep.get("left_out", {}).items():
        lines.append("%s: left out: %s" % (p, why))
    return "\n".join(lines)


def build(args):
    run = args.run
    out = os.path.join(run, "out")
    verdicts = read_verdicts(os.path.join(out, "results.txt"))
    machine = read_kv(os.path.join(run, "machine.txt"))
    xl = read_kv(os.path.join(out, "logs", "xl-info.txt"), ":")
    if xl.get("xen_major"):
        machine["xen"] = "%s.%s%s" % (xl.get("xen_major"), xl.get("xen_minor"), xl.get("xen_extra", ""))
    left = {}
    lo = os.path.join(run, "left-out.txt")
    if os.path.exists(lo):
        for line in open(lo, errors="replace"):
            if "\t" in line:
                p, why = line.rstrip("\n").split("\t", 1)
                left[p] = why
    hang = ""
    if os.path.exists(os.path.join(run, "hang.txt")):
        hang = open(os.path.join(run, "hang.txt"), errors="replace").read().strip()
    phases = args.phases.split()
    rep = {
        "run_id": args.run_id,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status": args.status,
        "machine": machine,
        "params": {"reps": args.rounds, "rounds": args.rounds, "iperf_seconds": 5, "pings": 100, "ping_interval_s": 0.05,
                   "udp_payload_bytes": 64, "one_boot": True, "order": phases,
                   "round_order": "1: as listed, 2: reversed, 3: as listed"},
        "figures": [{"key": k, "label": lab, "unit": u, "better": b} for k, lab, u, b in FIGURES],
        "pairs": {},
        "left_out": left,
        "run_dir": run,
    }
    if hang:
        rep["hang"] = hang
    for ph in phases:
        pair = ph[len("bench-"):]
        values, info, flags = read_raw(os.path.join(out, "bench", ph + ".tsv"))
        status, reason, done = verdicts.get(ph, ("FAIL", "", 0))
        if done < args.rounds:
            status = "FAIL"
            reason = "; ".join(x for x in (reason, "%d of %d rounds ended (%s)" % (
                done, args.rounds, hang or "the run stopped before")) if x)
        figs = {}
        for key in [f[0] for f in FIGURES] + [e[0] for e in EXTRA]:
            figs[key] = split_figure(key, values, flags)
        rep["pairs"][pair] = {"status": status, "reason": reason, "info": info, "figures": figs}
    for d in rep["pairs"].values():
        for k, pk in (("iperf_seconds", "iperf_seconds"), ("pings", "pings")):
            if k in d["info"]:
                rep["params"][pk] = d["info"][k]
    base = rep["pairs"].get(BASE, {}).get("figures", {})
    for pair, d in rep["pairs"].items():
        for key, f in d["figures"].items():
            b = base.get(key, {}).get("median")
            f["ratio"] = round(f["median"] / b, 3) if f["median"] is not None and b else None
    return rep


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run")
    ap.add_argument("--run-id")
    ap.add_argument("--status", default="ran")
    ap.add_argument("--phases", default="")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out")
    ap.add_argument("--show")
    args = ap.parse_args()
    if args.show:
        print(table(json.load(open(args.show))))
        return 0
    rep = build(args)
    text = table(rep)
    m = rep["machine"]
    head = ("xvif lab bench %s (%s): Xen %s, guest/dom0 kernel %s, %s, host %s x%s, %s"
            % (rep["run_id"], rep["date"], m.get("xen", m.get("xen_package", "?")), m.get("guest_kernel", "?"),
               m.get("qemu", "?"), m.get("cpu_model", "?"), m.get("host_cores", "?"), m.get("accel", "")))
    if rep["status"] != "ran":
        text = "nothing measured: %s\n%s" % (rep["status"], text)
    print("== " + head)
    print(text)
    os.makedirs(args.out, exist_ok=True)
    jpath = os.path.join(args.out, "lab-%s.json" % rep["run_id"])
    tpath = os.path.join(args.out, "lab-%s.txt" % rep["run_id"])
    with open(jpath, "w") as f:
        json.dump(rep, f, indent=1)
        f.write("\n")
    with open(tpath, "w") as f:
        f.write(head + "\n" + text + "\n")
    for src, name in ((jpath, "lab-latest.json"), (tpath, "lab-latest.txt")):
        tmp = os.path.join(args.out, name + ".%d" % os.getpid())
        shutil.copyfile(src, tmp)
        os.replace(tmp, os.path.join(args.out, name))
    print("bench: saved %s (and lab-latest.json, lab-latest.txt)" % jpath)
    return 0


if __name__ == "__main__":
    sys.exit(main())
