#!/usr/bin/env python3
"""Turn one pair's dom0 output into the lab's result rows.

usage: results.py PAIR_DIR BACKEND FRONTEND SCENARIOS JSONL LABTXT [SKIP_REASON]

PAIR_DIR holds out/ (results.txt, metrics.txt, results.override, diag/)
extracted from the pair's result disk, and console.log. SCENARIOS is the
comma-separated list that was asked for. Appends one JSON object per
scenario to JSONL and one `PASS|FAIL|SKIP lab/<scenario>/<b>-<f> ...` line to
LABTXT. With SKIP_REASON, every scenario is SKIP with that reason (the pair
did not run); "FAIL:why" makes them FAIL instead. A scenario with no verdict is FAIL, with what the console says
about where the run stopped. Prints the rows, and the diagnostics of each
FAIL. Exit status 1 if any row failed.
"""
import json
import os
import re
import sys


def read_rows(path):
    rows = {}
    if os.path.exists(path):
        with open(path, errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3 and parts[0] == "RESULT" and parts[1] not in rows:
                    rows[parts[1]] = (parts[2], parts[3] if len(parts) > 3 else "")
    return rows


def read_metrics(path):
    metrics = {}
    if os.path.exists(path):
        with open(path, errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                scn, key, val = parts
                try:
                    num = float(val)
                    val = int(num) if num.is_integer() and "." not in val else num
                except ValueError:
                    pass
                metrics.setdefault(scn, {})[key] = val
    return metrics


def console_hint(console):
    """Where the run stopped: the watchdog's verdict, or the console's LAB-PHASE lines."""
    hang = os.path.join(os.path.dirname(console), "hang.txt")
    if os.path.exists(hang):
        return "HANG: " + open(hang, errors="replace").read().strip()
    if not os.path.exists(console):
        return "no console log"
    phase, last = None, ""
    with open(console, errors="replace") as f:
        for line in f:
            m = re.search(r"LAB-PHASE (\S+)", line)
            if m:
                phase = m.group(1)
            if line.strip():
                last = line.strip()
    if phase is None:
        return "dom0 never reached /init (last console line: %s)" % last[:160]
    return "run stopped in phase %s (last console line: %s)" % (phase, last[:160])


def main():
    pair_dir, backend, frontend, scen_arg, jsonl, labtxt = sys.argv[1:7]
    skip_reason = sys.argv[7] if len(sys.argv) > 7 else ""
    scenarios = [s for s in scen_arg.split(",") if s]
    out = os.path.join(pair_dir, "out")
    rows = read_rows(os.path.join(out, "results.txt"))
    overrides = read_rows(os.path.join(out, "results.override"))
    metrics = read_metrics(os.path.join(out, "metrics.txt"))
    hint = None
    failed = False
    pair = "%s-%s" % (backend, frontend)
    with open(jsonl, "a") as jf, open(labtxt, "a") as lf:
        for scn in scenarios:
            if skip_reason.startswith("FAIL:"):
                status, reason = "FAIL", skip_reason[5:]
            elif skip_reason:
                status, reason = "SKIP", skip_reason
            elif scn in overrides:
                status, reason = overrides[scn]
            elif scn in rows:
                status, reason = rows[scn]
            else:
                if hint is None:
                    hint = console_hint(os.path.join(pair_dir, "console.log"))
                status, reason = "FAIL", "no verdict: " + hint + "; console: " + os.path.join(pair_dir, "console.log")
            if status not in ("PASS", "FAIL", "SKIP"):
                status, reason = "FAIL", "unknown verdict %r: %s" % (status, reason)
            m = metrics.get(scn, {})
            obj = {"scenario": scn, "backend": backend, "frontend": frontend,
                   "status": status, "reason": reason, "metrics": m}
            jf.write(json.dumps(obj, sort_keys=False) + "\n")
            detail = reason if status != "PASS" else " ".join("%s=%s" % kv for kv in m.items())
            line = ("%s lab/%s/%s %s" % (status, scn, pair, detail)).rstrip()
            lf.write(line + "\n")
            print("  " + line)
            if status == "FAIL":
                failed = True
                diag = os.path.join(out, "diag", scn + ".txt")
                if os.path.exists(diag):
                    print("  ---- diagnostics (%s) ----" % diag)
                    with open(diag, errors="replace") as f:
                        for dl in f:
                            print("  | " + dl.rstrip("\n"))
                    print("  ---- scenario log: %s ----" % os.path.join(out, "scn", scn + ".log"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
