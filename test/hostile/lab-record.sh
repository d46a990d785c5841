#!/bin/bash
# Keep the hostile-* lab rows: the lab keeps only its 8 newest run
# directories and build/lab/results.jsonl holds only the newest run, so
# this copies every hostile-* row of build/lab/runs/*/results.jsonl into
# test/hostile/lab-results.jsonl (one JSON object a line, with "run" added),
# once per run x scenario x pair, and prints the latest row of each
# scenario x pair.
#
# usage: test/hostile/lab-record.sh [--print]   (--print: only print)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=${BUILD:-$top/build}/lab/runs
rec=$here/lab-results.jsonl
print_only=0
case "${1:-}" in
--print) print_only=1;;
"") ;;
*) echo "usage: $0 [--print]" >&2; exit 1;;
esac
RUNS=$runs REC=$rec PRINT_ONLY=$print_only python3 - <<'PY'
import glob, json, os

runs, rec = os.environ["RUNS"], os.environ["REC"]
rows, seen = [], set()
if os.path.exists(rec):
    for line in open(rec):
        line = line.strip()
        if line:
            r = json.loads(line)
            rows.append(r)
            seen.add((r["run"], r["scenario"], r["backend"], r["frontend"]))
new = 0
for f in sorted(glob.glob(os.path.join(runs, "2*", "results.jsonl"))):
    run = os.path.basename(os.path.dirname(f))
    for line in open(f):
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        if not r.get("scenario", "").startswith("hostile-"):
            continue
        key = (run, r["scenario"], r["backend"], r["frontend"])
        if key in seen:
            continue
        seen.add(key)
        rows.append(dict(run=run, **r))
        new += 1
rows.sort(key=lambda r: (r["run"], r["scenario"], r["backend"], r["frontend"]))
if os.environ["PRINT_ONLY"] != "1" and new:
    with open(rec + ".tmp", "w") as out:
        for r in rows:
            out.write(json.dumps(r, sort_keys=True) + "\n")
    os.replace(rec + ".tmp", rec)
latest = {}
for r in rows:
    latest[(r["scenario"], r["backend"] + "-" + r["frontend"])] = r
for (scn, pair), r in sorted(latest.items()):
    print(f"{r['status']:4} {scn} {pair} run {r['run']}: {r.get('reason', '')[:160]}")
print(f"({new} new row(s) recorded in {os.path.relpath(rec)})")
PY
