#!/usr/bin/env python3
"""Turn bench/run.sh's raw measurements into bench/results/latest.json and REPORT.md.

The tables and the verdicts on the aims of issue 3 are computed here from the numbers of this run.
The analysis below them (where the time and the memory go, and what to change) is the hand-written
bench/analysis.md, included as is: it cites the run it was written from.
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys

AIM_RATIO = 2.0      # parse+AST within 2x of the lexer-only floor
AIM_GROWTH = 12.0    # the 10,000 case within 12x of the 1,000 case
AIM_BYTES = 30.0     # peak memory under 30 bytes per byte of the largest file, plus the AST


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        return ""


def machine(build):
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cxx, build_type = "", ""
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("CMAKE_CXX_COMPILER:"):
                    cxx = line.split("=", 1)[1].strip()
                elif line.startswith("CMAKE_BUILD_TYPE:"):
                    build_type = line.split("=", 1)[1].strip()
    except OSError:
        pass
    version = sh(f"{cxx or 'c++'} --version").splitlines()
    antlr = sh("dpkg-query -W -f='${Version}' libantlr4-runtime-dev 2>/dev/null")
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "compiler": version[0] if version else cxx,
        "build_type": build_type,
        "antlr4_runtime": antlr,
    }


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def mib(b):
    return f"{b / (1 << 20):.1f} MiB"


def fmt_s(x):
    return f"{x:.3f}" if x >= 0.1 else f"{x:.4f}"


def include(w, path):
    """A hand-written part of the report, as is, when it exists."""
    if os.path.exists(path):
        with open(path) as f:
            w(f.read().rstrip())
            w("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))

    sizes = []
    for name in os.listdir(args.raw):
        m = re.fullmatch(r"n(\d+)\.json", name)
        if m:
            sizes.append(int(m.group(1)))
    sizes.sort()
    runs = {}
    for n in sizes:
        with open(os.path.join(args.raw, f"n{n}.json")) as f:
            runs[n] = json.load(f)
    diag = None
    if os.path.exists(os.path.join(args.raw, "diag.json")):
        with open(os.path.join(args.raw, "diag.json")) as f:
            diag = json.load(f)
    callgrind = None
    cg_path = os.path.join(args.raw, "callgrind.txt")
    if os.path.exists(cg_path):
        ir = {}
        for line in open(cg_path):
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                ir[parts[0]] = int(parts[1])
        n = int(read(os.path.join(args.raw, "callgrind_n"), "0"))
        nbytes = runs[n]["bytes"] if n in runs else 0
        if "lex" in ir and "parse" in ir and nbytes:
            callgrind = {"n": n, "bytes": nbytes, "instructions_per_pass": ir,
                         "lex_instructions_per_pass": ir["lex"], "parse_instructions_per_pass": ir["parse"],
                         "ratio": ir["parse"] / ir["lex"],
                         "lex_instructions_per_byte": ir["lex"] / nbytes,
                         "parse_instructions_per_byte": ir["parse"] / nbytes}

    rows = []
    for n in sizes:
        r = runs[n]
        lex, parse, mem = r["stages"]["lex"], r["stages"]["parse"], r["stages"]["mem"]
        heap = mem["heap"]
        largest = r["largest_file_bytes"]
        rss_delta = parse["peak_rss_bytes"] - parse["rss_baseline_bytes"]
        rows.append({
            "n": n,
            "bytes": r["bytes"],
            "files": r["files"],
            "largest_file_bytes": largest,
            "tokens": lex["tokens"],
            "lex_cpu_s": lex["median_cpu_seconds"],
            "lex_mb_s": lex["mb_per_s"],
            "lex_wall_s": lex["median_wall_seconds"],
            "parse_cpu_s": parse["median_cpu_seconds"],
            "parse_mb_s": parse["mb_per_s"],
            "parse_wall_s": parse["median_wall_seconds"],
            "ratio": parse["median_cpu_seconds"] / lex["median_cpu_seconds"],
            "lex_min_cpu_s": lex["min_cpu_seconds"],
            "parse_min_cpu_s": parse["min_cpu_seconds"],
            "ratio_min": parse["min_cpu_seconds"] / lex["min_cpu_seconds"],
            "spread": max(v["max_cpu_seconds"] / v["min_cpu_seconds"] for v in (lex, parse)),
            "ratio_wall": parse["median_wall_seconds"] / lex["median_wall_seconds"],
            "peak_rss_bytes": parse["peak_rss_bytes"],
            "baseline_rss_bytes": parse["rss_baseline_bytes"],
            "lex_peak_rss_bytes": lex["peak_rss_bytes"],
            "rss_per_largest_byte": rss_delta / largest,
            "heap_peak_bytes": heap["max_file_peak_heap_bytes"],
            "heap_ast_bytes": heap["max_file_ast_heap_bytes"],
            "heap_peak_minus_ast_per_byte": heap["max_peak_minus_ast_per_byte"],
            "ast_per_byte": heap["max_file_ast_heap_bytes"] / heap["max_file_peak_heap_file_bytes"],
            "heap_live_between_passes": heap["live_after_first_pass_bytes"],
            "diagnostics": parse["diagnostics"] + mem["diagnostics"],
            "ast_items": parse["ast_items"],
        })

    by_n = {row["n"]: row for row in rows}
    growth = None
    if 1000 in by_n and 10000 in by_n:
        a, b = by_n[1000], by_n[10000]
        growth = {"bytes": b["bytes"] / a["bytes"], "parse": b["parse_cpu_s"] / a["parse_cpu_s"],
                  "lex": b["lex_cpu_s"] / a["lex_cpu_s"], "parse_wall": b["parse_wall_s"] / a["parse_wall_s"],
                  "peak_rss": b["peak_rss_bytes"] / a["peak_rss_bytes"],
                  "parse_min": b["parse_min_cpu_s"] / a["parse_min_cpu_s"]}

    info = machine(args.build)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    latest = {
        "date": now,
        "machine": info,
        "load_average_before": read(os.path.join(args.raw, "load_before")),
        "load_average_after": read(os.path.join(args.raw, "load_after")),
        "elapsed_seconds": int(read(os.path.join(args.raw, "elapsed"), "0")),
        "summary": rows,
        "growth_10000_vs_1000": growth,
        "callgrind": callgrind,
        "runs": {str(n): runs[n] for n in sizes},
        "diagnostic_stages": diag,
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "latest.json"), "w") as f:
        json.dump(latest, f, indent=2)
        f.write("\n")

    # ------------------------------------------------------------------ REPORT.md
    L = []
    w = L.append
    w("# Benchmark report")
    w("")
    # The verdict on the whole pipeline's aims (issue 14): hand-written from bench/results/pipeline.md
    # and peers.md (bench/pipeline.sh, bench/peers.sh), which cite their own runs.
    include(w, os.path.join(here, "aims.md"))
    w("# The parser (issue 3)")
    w("")
    w(f"Generated by `bench/run.sh` on {now}; raw numbers in `latest.json`. How to run and what each "
      "number means: `bench/README.md`.")
    w("")
    w(f"- Machine: {info['nproc']} CPUs, {info['cpu_model']}, {info['memory_gib']} GiB, Linux {info['kernel']}")
    w(f"- Compiler: {info['compiler']} ({info['build_type'] or 'unknown'} build); ANTLR C++ runtime "
      f"{info['antlr4_runtime'] or 'unknown'}")
    w(f"- Load average before / after the run: {latest['load_average_before']} / "
      f"{latest['load_average_after']}; the whole run took {latest['elapsed_seconds']} s")
    w(f"- Times are the median of {runs[sizes[0]]['runs']} passes after {runs[sizes[0]]['warmup']} warm-up pass(es), "
      "each stage in a fresh process; **CPU time of the measuring thread** (wall time is in latest.json and "
      "below: on a shared machine it also counts other processes' turns). MB = 10^6 bytes.")
    w("")
    w("## Results")
    w("")
    w("| N | bytes | files | largest file | lexer only | lexer MB/s | parse+AST | parse MB/s | parse/lexer "
      "| peak RSS (parse) | RSS/byte of largest | heap peak−AST per byte |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        w(f"| {r['n']:,} | {r['bytes']:,} | {r['files']} | {r['largest_file_bytes']:,} | {fmt_s(r['lex_cpu_s'])} s "
          f"| {r['lex_mb_s']:.2f} | {fmt_s(r['parse_cpu_s'])} s | {r['parse_mb_s']:.2f} | {r['ratio']:.2f}× "
          f"| {mib(r['peak_rss_bytes'])} | {r['rss_per_largest_byte']:.0f} | {r['heap_peak_minus_ast_per_byte']:.0f} |")
    w("")
    w("- *RSS/byte of largest*: (peak RSS of the parse process − its RSS before the first file) / bytes of the "
      "largest file. It includes the AST, the allocator's slack and ANTLR's caches.")
    w("- *heap peak−AST per byte*: from the mem stage, which counts every `new`/`delete`: the peak of live heap "
      "bytes while one file is parsed, minus what its finished AST holds, per byte of that file (worst file).")
    w(f"- AST size: {rows[-1]['ast_per_byte']:.1f} bytes of heap per byte of source "
      f"({mib(rows[-1]['heap_ast_bytes'])} for the largest file).")
    w(f"- Wall clock, parse/lexer: " + ", ".join(f"N={r['n']:,}: {r['ratio_wall']:.2f}×" for r in rows) + ".")
    w(f"- Best of the passes instead of the median, parse/lexer: "
      + ", ".join(f"N={r['n']:,}: {r['ratio_min']:.2f}×" for r in rows) + ".")
    noisy = [r for r in rows if r["spread"] > 1.15]
    if noisy:
        w(f"- **Noisy**: the slowest pass was more than 15% slower than the fastest for N = "
          + ", ".join(f"{r['n']:,} (×{r['spread']:.2f})" for r in noisy)
          + ". Other processes were competing for the CPUs (see the load average); the instruction counts "
          "below are unaffected.")
    bad = [r for r in rows if r["diagnostics"]]
    if bad:
        w(f"- **The generated input produced diagnostics** (N={', '.join(str(r['n']) for r in bad)}): the "
          "generator or the parser is wrong, and the times above are not meaningful.")
    else:
        w("- Every generated file parsed without a diagnostic.")
    w("")
    if growth:
        w(f"Growth from 1,000 to 10,000 services: bytes ×{growth['bytes']:.2f}, lexer ×{growth['lex']:.2f}, "
          f"parse+AST ×{growth['parse']:.2f} (best pass ×{growth['parse_min']:.2f}; wall ×{growth['parse_wall']:.2f}), "
          f"peak RSS ×{growth['peak_rss']:.2f}.")
        w("")
    if callgrind:
        w(f"Instructions (callgrind, one warm pass over N={callgrind['n']:,}, {callgrind['bytes']:,} bytes): "
          f"lexer {callgrind['lex_instructions_per_pass']:,} ({callgrind['lex_instructions_per_byte']:.0f}/byte), "
          f"parse+AST {callgrind['parse_instructions_per_pass']:,} ({callgrind['parse_instructions_per_byte']:.0f}/byte): "
          f"**{callgrind['ratio']:.2f}×** the lexer. Unlike times, this does not depend on the machine's load.")
        w("")

    w("## The aims of issue 3")
    w("")
    w("| aim | measured | verdict |")
    w("|---|---|---|")
    worst_ratio = max(r["ratio"] for r in rows)
    best_ratio = min(r["ratio"] for r in rows)
    cg = f"; instructions {callgrind['ratio']:.1f}×" if callgrind else ""
    w(f"| parse+AST within {AIM_RATIO:g}× of the lexer-only floor | {best_ratio:.1f}×–{worst_ratio:.1f}× (CPU time){cg} "
      f"| {'met' if worst_ratio <= AIM_RATIO else '**missed**'} |")
    if growth:
        w(f"| linear growth: 10,000 within {AIM_GROWTH:g}× of 1,000 | ×{growth['parse']:.2f} (best pass ×{growth['parse_min']:.2f}) "
          f"for ×{growth['bytes']:.2f} bytes "
          f"| {'met' if growth['parse'] <= AIM_GROWTH else '**missed**'} |")
    rss = [r["peak_rss_bytes"] for r in rows]
    flat = max(rss) <= min(rss) * 1.10
    w(f"| peak memory does not grow with the number of files | peak RSS {', '.join(mib(x) for x in rss)} for "
      f"{', '.join(str(r['files']) for r in rows)} files | {'met' if flat else '**missed**'} |")
    worst_pb = max(r["heap_peak_minus_ast_per_byte"] for r in rows)
    w(f"| peak memory under {AIM_BYTES:g} bytes per byte of the largest file, plus the AST | {worst_pb:.0f} bytes/byte "
      f"(heap, AST excluded); RSS {max(r['rss_per_largest_byte'] for r in rows):.0f} bytes/byte (AST included) "
      f"| {'met' if worst_pb <= AIM_BYTES else '**missed**'} |")
    w("")

    big = runs[sizes[-1]]["stages"]["mem"]["heap"].get("largest_file_pieces")
    if big:
        fb = big["file_bytes"]
        w(f"## Where the memory goes (largest file, {fb:,} bytes; peak live heap of each piece run alone)")
        w("")
        w("| piece | peak heap | bytes per source byte |")
        w("|---|---:|---:|")
        names = [
            ("input_utf32", "ANTLRInputStream (UTF-8 → UTF-32 via std::wstring_convert, over-allocated)"),
            ("lex_streaming", "the floor: ANTLRInputStream + lexer, tokens discarded"),
            ("input_utf32_exact", "UTF-32 buffer decoded at its exact size (Utf32Input, as parse_file)"),
            ("tokens_kept", "Utf32Input + lexer + all tokens kept (the pre-pass vector → ListTokenSource)"),
            ("recognize_no_tree", "… + parser, setBuildParseTree(false) (the tracker still keeps every context)"),
            ("tree_direct", "… + whole-file parse tree, tokens through a CommonTokenStream"),
            ("tree", "… + whole-file parse tree, tokens from the pre-pass ListTokenSource"),
            ("items", "… + parse tree per top-level item, freed after each (parse_file's SLL path)"),
            ("items_stream", "per item, and no token vector: tokens released after each item"),
            ("parse_file", "**parse_file**: the real front end, AST included"),
        ]
        for key, label in names:
            if key in big:
                w(f"| {label} | {mib(big[key])} | {big[key] / fb:.1f} |")
        w("")

    if diag:
        st = diag["stages"]
        base = st["lex"]["median_cpu_seconds"]
        nb = diag["bytes"]
        w(f"## Where the time goes (diagnostic stages, {diag['files']} files, {nb:,} bytes)")
        w("")
        w("Each stage is one more piece of the pipeline, rebuilt with the public ANTLR API in "
          "`bench/bench_main.cpp` (see README); `parse` is the compiler's real `parse_file`.")
        w("")
        cgi = callgrind["instructions_per_pass"] if callgrind else {}
        if cgi:
            w(f"The instruction columns are callgrind's count for one warm pass over N={callgrind['n']:,} "
              f"({callgrind['bytes']:,} bytes): exact and independent of the machine's load, but blind to cache "
              "misses and page faults, which the CPU times include.")
            w("")
        w("| stage | what it does | CPU | MB/s | × lexer | instructions/byte | × lexer | peak RSS | page faults |")
        w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        what = {
            "lex": "ANTLRInputStream + lexer (the floor)",
            "input": "ANTLRInputStream only (UTF-32 copy)",
            "lex_u32": "lexer over an exactly-sized UTF-32 buffer",
            "lex_bytes": "lexer over the UTF-8 bytes in place (ASCII)",
            "text": "lexer + 2× getText() per token",
            "text_u32": "the same with getText() slicing the UTF-8 source",
            "tokens": "lexer + token vector + ListTokenSource + CommonTokenStream",
            "tree": "+ parse tree, SLL (as parse_file, no AST)",
            "tree_direct": "parse tree, lexer → CommonTokenStream directly",
            "recognize": "parser, setBuildParseTree(false)",
            "items": "parse tree per top-level item, freed after each",
            "items_stream": "per item, UnbufferedTokenStream, tokens released",
            "parse": "parse_file: the whole front end",
        }
        order = ["lex", "input", "lex_u32", "lex_bytes", "text", "text_u32", "tokens", "tree", "tree_direct",
                 "recognize", "items", "items_stream", "parse"]
        for k in sorted(st, key=lambda k: order.index(k) if k in order else len(order)):
            v = st[k]
            c = v["median_cpu_seconds"]
            if k in cgi and "lex" in cgi:
                ins = f"{cgi[k] / callgrind['bytes']:.0f} | {cgi[k] / cgi['lex']:.2f}×"
            else:
                ins = "– | –"
            w(f"| `{k}` | {what.get(k, '')} | {fmt_s(c)} s | {nb / 1e6 / c:.2f} | {c / base:.2f}× | {ins} "
              f"| {mib(v['peak_rss_bytes'])} | {v.get('minor_page_faults', 0):,} |")
        sll = sum(v.get("sll_failures", 0) for v in st.values())
        w("")
        w("*page faults*: minor page faults of the stage's whole process (all passes). Where a stage keeps a "
          "whole file's tokens or tree, glibc gives the memory back to the kernel after each file and takes it "
          "again for the next; on this VM those faults cost more than the work, which is why such stages' CPU "
          "ratio is far above their instruction ratio.")
        w("")
        w(f"SLL failures (fallbacks to LL) over all parse stages: {sll}.")
        w("")

    include(w, os.path.join(here, "analysis.md"))

    with open(os.path.join(args.out, "REPORT.md"), "w") as f:
        f.write("\n".join(L) + "\n")
    for r in rows:
        print(f"N={r['n']:>6}: {r['bytes']:>10,} bytes {r['files']:>4} files  lexer {r['lex_mb_s']:6.2f} MB/s  "
              f"parse {r['parse_mb_s']:6.2f} MB/s  ratio {r['ratio']:.2f}x  peak RSS {mib(r['peak_rss_bytes'])}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
