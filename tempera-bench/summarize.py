#!/usr/bin/env python3
"""Summarises a JMH JSON result file of tempera-bench as a Markdown table.

For each benchmark and parameter set: the JMH score (mean of the measurement iterations) with its
99.9% confidence half-width, the best (lowest) measurement iteration, and gc.alloc.rate.norm.
The best iteration is shown because the benchmark machine may be shared: other processes can
only make an iteration slower, never faster.
"""
import json
import sys


def main(path):
    with open(path) as f:
        runs = json.load(f)
    # the sampling benchmarks report µs/op, the evaluation ones ms/op: one unit in the header when all agree
    units = {r["primaryMetric"]["scoreUnit"].replace("us/", "µs/") for r in runs}
    unit = units.pop() if len(units) == 1 else None
    head = f" ({unit})" if unit else ""
    print(f"| benchmark | params | mean ± error{head} | best iteration{head} | gc.alloc.rate.norm (B/op) |")
    print("|---|---|---|---|---|")
    for r in runs:
        name = r["benchmark"].replace("dev.tempera.bench.", "")
        params = ", ".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
        pm = r["primaryMetric"]
        raw = [x for fork in pm["rawData"] for x in fork]
        err = pm.get("scoreError")
        err_s = "n/a" if err is None or err != err else f"{err:.1f}"
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        alloc_s = f"{alloc['score']:.1f}" if alloc else "-"
        cell_unit = "" if unit else " " + pm["scoreUnit"].replace("us/", "µs/")
        print(f"| {name} | {params} | {pm['score']:.1f} ± {err_s}{cell_unit} | {min(raw):.1f}{cell_unit} | {alloc_s} |")


if __name__ == "__main__":
    main(sys.argv[1])
