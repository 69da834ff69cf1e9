#!/usr/bin/env python3
"""Turns bench/work/peers.tsv into bench/results/peers.md and peers.png (bench/peers.sh)."""
import csv
import os
import statistics
import subprocess
import sys

tsv, results, runs, before, after = sys.argv[1:]
rows = list(csv.DictReader(open(tsv), delimiter="\t"))
sizes = sorted({int(r["size"]) for r in rows})
tools = list(dict.fromkeys(r["tool"] for r in rows))


def med(n, t, k):
    sel = [float(r[k]) for r in rows if int(r["size"]) == n and r["tool"] == t]
    return statistics.median(sel) if sel else None


out = ["# platc and its peers on the same services", "",
       f"`bench/peers.sh`: per size, one warm-up then {runs} runs, the tools alternated within each run; "
       "each figure the median over the runs of a fresh process (GNU time). Every tool writes the Kubernetes "
       "objects of every service for the three environments (dev, staging, production); for 10 services "
       "each peer's objects were parsed and found equal to platc's (bench/peers/equal.py) before timing.",
       "platc also checks the platform (types, references, policies) and writes the graph JSON; the peers "
       "only template.", "",
       f"Load average before: {before}; after: {after}. CPU is user + system seconds. "
       "A ratio is the peer's figure over platc's: above 1, platc is faster (or smaller).", ""]
for n in sizes:
    out += [f"## {n} services", "",
            "| tool | wall s | CPU s | peak RSS MB | wall ratio | CPU ratio | RSS ratio |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    pw, pc, pr = med(n, "platc", "wall_s"), med(n, "platc", "cpu_s"), med(n, "platc", "rss_kb")
    for t in tools:
        w, c, r = med(n, t, "wall_s"), med(n, t, "cpu_s"), med(n, t, "rss_kb")
        if w is None:
            continue
        ratio = lambda a, b: f"{a / b:.2f}" if b else "-"
        out.append(f"| {t} | {w:.2f} | {c:.2f} | {r / 1024:.0f} | {ratio(w, pw)} | {ratio(c, pc)} | {ratio(r, pr)} |")
    out.append("")

dat = os.path.join(os.path.dirname(tsv), "peers.dat")
with open(dat, "w") as f:
    f.write("# services " + " ".join(tools) + "\n")
    for n in sizes:
        # "?" where a tool was not measured at that size (gnuplot leaves the point out).
        f.write(f"{n} " + " ".join("?" if med(n, t, "wall_s") is None else f"{med(n, t, 'wall_s'):.3f}"
                                   for t in tools) + "\n")
png = os.path.join(results, "peers.png")
plot = ["set terminal png size 800,560",
        f"set output '{png}'", "set logscale xy", "set key top left",
        "set xlabel 'services (3 environments each)'", "set datafile missing '?'", "set ylabel 'wall time, s (median)'",
        "set title 'Kubernetes objects for N services: platc and its peers'", "set grid",
        "plot " + ", ".join(f"'{dat}' using 1:{i + 2} with linespoints title '{t}'" for i, t in enumerate(tools))]
try:
    subprocess.run(["gnuplot"], input="\n".join(plot), text=True, check=True)
    out += ["![time against services, log-log](peers.png)", ""]
except (OSError, subprocess.CalledProcessError) as e:
    out += [f"(no plot: gnuplot failed: {e})", ""]
with open(os.path.join(results, "peers.md"), "w") as f:
    f.write("\n".join(out))
print("\n".join(out))
