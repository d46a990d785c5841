#!/usr/bin/env python3
"""Offline tests of report.py (no lab): medians, ratios, and dom0 CPU-per-GB
values left out when they are no measurement (the vif closed during the run).

usage: test_report.py [RESULTS_FILE]
Runs the unittest cases; with RESULTS_FILE, appends `PASS <name>` or
`FAIL <name> <why>` lines to it (the repository's results convention).

The rows below are from lab bench run 20261123-202514-17788 (xvif-stock:
the worker of vif 0 was killed by its seccomp filter during the 4-stream TCP
runs of rounds 2 and 3, which then reported 0.00 Mbit/s and 5772 and 1859
dom0 CPU s/GB).
"""
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.dont_write_bytecode = True  # leave no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

KERNEL_STOCK = """\
info\tiperf_seconds\t5
tcp1_to_guest_mbps\t1\t784
tcp1_to_guest_cpu_s_per_gb\t1\t5.482
tcp4_to_guest_mbps\t1\t877
tcp4_to_guest_cpu_s_per_gb\t1\t7.094
tcp1_to_guest_mbps\t2\t745
tcp1_to_guest_cpu_s_per_gb\t2\t5.875
tcp4_to_guest_mbps\t2\t61.7
tcp4_to_guest_cpu_s_per_gb\t2\t34.296
tcp1_to_guest_mbps\t3\t757
tcp1_to_guest_cpu_s_per_gb\t3\t6.339
tcp4_to_guest_mbps\t3\t950
tcp4_to_guest_cpu_s_per_gb\t3\t6.846
"""
# Round 1's 4-stream run is made up: it moved data, but bench-lib.sh saw the
# vif's worker die during it (a flag line).
XVIF_STOCK = """\
info\tiperf_seconds\t5
tcp1_to_guest_mbps\t1\t650
tcp1_to_guest_cpu_s_per_gb\t1\t13.0
tcp4_to_guest_mbps\t1\t300
tcp4_to_guest_cpu_s_per_gb\t1\t40.5
flag\ttcp4_to_guest_cpu_s_per_gb\t1\tthe vif did not stay connected during the run (before: state=4 ifindex=9 worker_deaths=0; after: state=6 ifindex=9 worker_deaths=1)
tcp1_to_guest_mbps\t2\t691
tcp1_to_guest_cpu_s_per_gb\t2\t12.279
tcp4_to_guest_mbps\t2\t0.00
tcp4_to_guest_cpu_s_per_gb\t2\t5772.107
tcp1_to_guest_mbps\t3\t589
tcp1_to_guest_cpu_s_per_gb\t3\t14.090
tcp4_to_guest_mbps\t3\t0.00
tcp4_to_guest_cpu_s_per_gb\t3\t1859.303
"""


class Args:
    run_id = "test"
    status = "ran"
    phases = "bench-kernel-stock bench-xvif-stock"
    rounds = 3


def make_run(tmp, tsvs):
    os.makedirs(os.path.join(tmp, "out", "bench"))
    results = []
    for phase, text in tsvs.items():
        with open(os.path.join(tmp, "out", "bench", phase + ".tsv"), "w") as f:
            f.write(text)
        results += ["RESULT\t%s\tPASS\tround %d" % (phase, r) for r in (1, 2, 3)]
    with open(os.path.join(tmp, "out", "results.txt"), "w") as f:
        f.write("\n".join(results) + "\n")
    args = Args()
    args.run = tmp
    return args


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.rep = report.build(make_run(self.tmp.name, {"bench-kernel-stock": KERNEL_STOCK,
                                                         "bench-xvif-stock": XVIF_STOCK}))

    def tearDown(self):
        self.tmp.cleanup()

    def fig(self, pair, key):
        return self.rep["pairs"][pair]["figures"][key]

    def test_kept_values_give_median_and_ratio(self):
        f = self.fig("xvif-stock", "tcp1_to_guest_cpu_s_per_gb")
        self.assertEqual(f["values"], [13.0, 12.279, 14.090])
        self.assertEqual(f["rounds"], [1, 2, 3])
        self.assertEqual(f["median"], 13.0)
        self.assertNotIn("left_out", f)
        self.assertEqual(f["ratio"], round(13.0 / 5.875, 3))

    def test_cpu_of_a_run_that_moved_nothing_is_left_out(self):
        f = self.fig("xvif-stock", "tcp4_to_guest_cpu_s_per_gb")
        left = {lo["round"]: lo for lo in f["left_out"]}
        self.assertEqual(sorted(left), [1, 2, 3])
        self.assertEqual(left[2]["value"], 5772.107)
        self.assertIn("moved no data", left[2]["why"])
        self.assertIn("moved no data", left[3]["why"])
        # Every value was left out: no median, no ratio, not a huge one.
        self.assertIsNone(f["median"])
        self.assertIsNone(f["ratio"])
        self.assertEqual(f["values"], [])

    def test_flagged_value_is_left_out_with_the_benchs_reason(self):
        lo = [x for x in self.fig("xvif-stock", "tcp4_to_guest_cpu_s_per_gb")["left_out"] if x["round"] == 1]
        self.assertEqual(len(lo), 1)
        self.assertEqual(lo[0]["value"], 40.5)
        self.assertIn("worker_deaths=1", lo[0]["why"])

    def test_throughput_itself_is_kept(self):
        # 0 Mbit/s is what the run measured: reported, not hidden.
        f = self.fig("xvif-stock", "tcp4_to_guest_mbps")
        self.assertEqual(f["values"], [300.0, 0.0, 0.0])
        self.assertNotIn("left_out", f)

    def test_slow_but_moving_run_is_kept(self):
        # kernel-stock round 2: 61.7 Mbit/s and 34 s/GB is a real (slow) run.
        f = self.fig("kernel-stock", "tcp4_to_guest_cpu_s_per_gb")
        self.assertEqual(f["values"], [7.094, 34.296, 6.846])
        self.assertNotIn("left_out", f)

    def test_table_marks_cell_and_names_reason(self):
        text = report.table(self.rep)
        row = [ln for ln in text.splitlines() if ln.startswith("dom0 CPU, TCP4 ->guest")][0]
        self.assertTrue(row.rstrip().endswith("- *"), row)
        notes = [ln for ln in text.splitlines() if ln.startswith("* xvif-stock, dom0 CPU, TCP4 ->guest")]
        self.assertEqual(len(notes), 3, text)
        self.assertTrue(any("round 2 (5772 s/GB) left out: its TCP run moved no data" in n for n in notes), notes)

    def test_json_round_trip_and_show(self):
        path = os.path.join(self.tmp.name, "rep.json")
        with open(path, "w") as f:
            json.dump(self.rep, f)
        sys_argv = sys.argv
        sys.argv = ["report.py", "--show", path]
        try:
            buf = io.StringIO()
            with redirect_stdout(buf):
                self.assertEqual(report.main(), 0)
        finally:
            sys.argv = sys_argv
        self.assertIn("left out: the vif did not stay connected", buf.getvalue())

    def test_old_json_without_left_out_still_shows(self):
        for d in self.rep["pairs"].values():
            for f in d["figures"].values():
                f.pop("left_out", None)
                f.pop("rounds", None)
        self.assertNotIn("left out", report.table(self.rep))

    def test_old_tsv_lines_still_read(self):
        values, info, flags = report.read_raw(os.path.join(self.tmp.name, "out", "bench", "bench-kernel-stock.tsv"))
        self.assertEqual(info["iperf_seconds"], 5)
        self.assertEqual(values["tcp4_to_guest_mbps"], [("1", 877.0), ("2", 61.7), ("3", 950.0)])
        self.assertEqual(flags, {})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else None
    res = unittest.TextTestRunner(verbosity=2).run(unittest.defaultTestLoader.loadTestsFromTestCase(ReportTest))
    if out:
        bad = {t.id(): why for t, why in res.failures + res.errors}
        with open(out, "a") as f:
            for t in unittest.defaultTestLoader.loadTestsFromTestCase(ReportTest):
                name = "bench-report/" + t.id().rsplit(".", 1)[-1]
                if t.id() in bad:
                    f.write("FAIL %s %s\n" % (name, bad[t.id()].strip().splitlines()[-1]))
                else:
                    f.write("PASS %s\n" % name)
    return 0 if res.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
