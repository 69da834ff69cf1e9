#!/usr/bin/env bash
# The whole-pipeline benchmark (issue 14): `platc check` and `platc build` per backend (`--emit`)
# on the synthetic platforms of gen_platform.py, against the I/O floor (`cp -r` of the tree that
# build wrote). Each figure is the median of BENCH_RUNS runs (default 5) after one warm-up, each
# run a fresh process measured by GNU time: wall and CPU seconds, peak RSS.
#
#   bench/pipeline.sh BUILD_DIR [SIZES...]     (default sizes: 10 100 1000)
#
# Writes bench/results/pipeline.md (the table, with the load average before and after: times on a
# shared machine are only comparable within one run) and bench/work/pipeline.tsv (every run).
# Peers (Jsonnet, cdk8s, kustomize) are not measured yet: see bench/results/pipeline.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/args.sh
. "$here/args.sh"
command -v /usr/bin/time >/dev/null || { echo "error: GNU time (/usr/bin/time) is needed" >&2; exit 3; }

work="$here/work"
out="$work/pipeline-out"
mkdir -p "$work" "$here/results"
# A copy of the binary: a rebuild during the run must not change what is measured.
cp "$platc" "$work/platc-pipeline" && platc="$work/platc-pipeline"
tsv="$work/pipeline.tsv"
printf 'size\tcase\trun\twall_s\tcpu_s\trss_kb\n' > "$tsv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# measure SIZE CASE CMD...: one warm-up, then $runs runs appended to the TSV.
measure() {
  local n=$1 name=$2
  shift 2
  "$@" >/dev/null 2>&1 || { echo "error: $name failed on N=$n: $*" >&2; exit 1; }
  for ((k = 1; k <= runs; k++)); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>&1
    read -r wall user sys rss < "$work/time.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$name" "$k" "$wall" "$(echo "$user + $sys" | bc)" "$rss" >> "$tsv"
  done
}

for n in "${sizes[@]}"; do
  dir="$work/n$n"
  [ -d "$dir" ] || python3 "$here/gen_platform.py" "$n" "$dir" >/dev/null
  echo "N=$n" >&2
  measure "$n" check "$platc" check "$dir"
  measure "$n" "build (all backends)" "$platc" build "$dir" --out "$out"
  for backend in kubernetes helm; do
    measure "$n" "build --emit $backend" "$platc" build "$dir" --emit "$backend" --out "$out"
  done
  "$platc" build "$dir" --out "$out" >/dev/null 2>&1
  files=$(find "$out" -type f | wc -l)
  bytes=$(du -sb "$out" | cut -f1)
  printf '%s\tfiles\t0\t%s\t%s\t0\n' "$n" "$files" "$bytes" >> "$tsv"
  measure "$n" "floor: cp -r of the tree" bash -c "rm -rf '$work/copy' && cp -r '$out' '$work/copy'"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$tsv" "$here/results/pipeline.md" "$runs" "$load_before" "$load_after" <<'EOF'
import csv, statistics, sys
tsv, md, runs, before, after = sys.argv[1:]
rows = list(csv.DictReader(open(tsv), delimiter="\t"))
sizes = sorted({int(r["size"]) for r in rows})
cases = [c for c in dict.fromkeys(r["case"] for r in rows) if c != "files"]
out = ["# The whole pipeline: check and build", "",
       f"`bench/pipeline.sh`: median of {runs} runs after one warm-up, each a fresh process (GNU time).",
       f"Load average before: {before}; after: {after}. On a shared machine compare within this table,",
       "not across runs. CPU is user + system seconds.", ""]
for n in sizes:
    files = [r for r in rows if int(r["size"]) == n and r["case"] == "files"]
    extra = f" — output: {files[0]['wall_s']} files, {int(files[0]['cpu_s']) / 1e6:.1f} MB" if files else ""
    out += [f"## {n} services{extra}", "", "| case | wall s | CPU s | peak RSS MB |", "|---|---:|---:|---:|"]
    for c in cases:
        sel = [r for r in rows if int(r["size"]) == n and r["case"] == c]
        if not sel:
            continue
        med = lambda k: statistics.median(float(r[k]) for r in sel)
        out.append(f"| {c} | {med('wall_s'):.2f} | {med('cpu_s'):.2f} | {med('rss_kb') / 1024:.0f} |")
    out.append("")
open(md, "w").write("\n".join(out))
EOF
echo "wrote $here/results/pipeline.md" >&2
