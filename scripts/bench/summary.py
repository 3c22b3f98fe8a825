#!/usr/bin/env python3
"""make bench's last step: every target/bench-*/**/figures.csv (written by the bench examples,
format in backend/domain/src/bench.rs) into one table, target/bench/summary.md (goal, figure,
ratio per row; ratio <= 1 meets the goal), and one line per figure appended to
bench/history.csv (date, commit, figure) so runs can be compared across commits."""

import csv
import datetime
import glob
import os
import subprocess
import sys


def commit():
    try:
        rev = subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], text=True,
                                      stderr=subprocess.DEVNULL).strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"]).returncode != 0
        return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def ratio(row):
    try:
        goal, value = float(row["goal"]), float(row["value"])
    except (KeyError, ValueError):
        return None
    if goal <= 0:
        return None
    if row["better"] == "higher":
        return goal / value if value > 0 else None
    return value / goal


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "target"
    files = sorted(glob.glob(os.path.join(root, "bench-*", "**", "figures.csv"), recursive=True))
    rows = []
    for f in files:
        with open(f, newline="") as fh:
            for r in csv.DictReader(fh):
                r["file"] = f
                rows.append(r)
    def value(r):
        # Ratios (×) need three decimals: against a goal of 1.05, 1.047 meets it and 1.053
        # does not, and both print as 1.05 with two.
        v = float(r["value"])
        return f"{v:.3f} ×" if r["unit"] == "×" else f"{v:.1f} {r['unit']}"

    def share(q):
        # Near 1 two decimals would print a miss (1.003) as 1.00.
        return f"{q:.3f}" if abs(q - 1) < 0.005 else f"{q:.2f}"

    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    rev = commit()
    out = [f"# make bench — {when}, commit {rev}\n",
           f"{len(rows)} figures from {len(files)} benches. Ratio = figure ÷ goal (goal ÷ figure "
           "for throughput): at most 1 meets the goal.\n",
           "| bench | measure | size | goal | figure | ratio | met |", "|---|---|---|---:|---:|---:|---|"]
    for r in rows:
        q = ratio(r)
        goal = f"{float(r['goal']):g} {r['unit']}" if r["goal"] else ""
        met = "" if q is None else ("ya" if q <= 1 else "**TIDAK**")
        out.append(f"| {r['bench']} | {r['measure']} | {r['size']} | {goal} | "
                   f"{value(r)} | {'' if q is None else share(q)} | {met} |")
    os.makedirs(os.path.join(root, "bench"), exist_ok=True)
    summary = os.path.join(root, "bench", "summary.md")
    with open(summary, "w") as fh:
        fh.write("\n".join(out) + "\n")
    history = os.path.join("bench", "history.csv")
    new = not os.path.exists(history)
    os.makedirs("bench", exist_ok=True)
    with open(history, "a", newline="") as fh:
        w = csv.writer(fh)
        if new:
            w.writerow(["date", "commit", "bench", "measure", "size", "goal", "value", "unit"])
        for r in rows:
            w.writerow([when, rev, r["bench"], r["measure"], r["size"], r["goal"], r["value"], r["unit"]])
    print("\n".join(out))
    print(f"\n(summary in {summary}; {len(rows)} lines appended to {history})")


if __name__ == "__main__":
    main()
