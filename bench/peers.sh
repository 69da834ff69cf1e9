#!/usr/bin/env bash
# platc side by side with the tools teams use instead (issue 14), on the same generated services:
#   platc     `platc build --emit kubernetes` (every environment)
#   jsonnet   bench/peers/k8s.jsonnet (Debian's jsonnet), the same objects per service and environment
#   cdk8s     bench/peers/k8s-cdk8s.mjs (npm cdk8s, pinned by bench/peers/package-lock.json)
#   kustomize `kubectl kustomize` of three overlays over a base of the same objects
#             (bench/peers/kustomize_tree.py writes them, untimed)
# First the equivalence: for 10 services each peer's objects, parsed, must equal platc's
# (bench/peers/equal.py), or the benchmark stops. Then per size, one warm-up and BENCH_RUNS runs
# (default 5), the tools alternated within each run so that machine drift cancels; each figure the
# median wall time, CPU time and peak RSS of a fresh process (GNU time).
#
#   bench/peers.sh BUILD_DIR [SIZES...]      (default sizes: 10 100 1000)
#   BENCH_RUNS=5 BENCH_KUSTOMIZE_MAX=100 BENCH_APPEND=0   (see below)
#
# Writes bench/results/peers.md (table and ratios), bench/results/peers.png (log-log plot of time
# against services), bench/work/peers.tsv (every run). Installs what it needs (jsonnet, gnuplot,
# the npm packages) when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/args.sh
. "$here/args.sh"

# Setup, from the reachable registries only.
need=()
command -v jsonnet >/dev/null || need+=(jsonnet)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
command -v /usr/bin/time >/dev/null || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v kubectl >/dev/null || { echo "error: kubectl (for kubectl kustomize) is not on the PATH" >&2; exit 3; }
(cd "$here/peers" && { [ -d node_modules/cdk8s ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null; })

work="$here/work/peers"
mkdir -p "$work" "$here/results"
# A copy of the binary: a rebuild during the run must not change what is measured.
cp "$platc" "$work/platc" && platc="$work/platc"
tsv="$here/work/peers.tsv"
# BENCH_APPEND=1 keeps the rows of other sizes from an earlier run (a long size measured alone).
if [ "${BENCH_APPEND:-0}" = 1 ] && [ -f "$tsv" ]; then
  for n in "${sizes[@]}"; do awk -F'\t' -v n="$n" '$1 != n' "$tsv" > "$tsv.tmp" && mv "$tsv.tmp" "$tsv"; done
else
  printf 'size\ttool\trun\twall_s\tcpu_s\trss_kb\n' > "$tsv"
fi
# kustomize applies each overlay patch by scanning every object (quadratic: 10 -> 100 services took
# 47 times the CPU here), so it is measured up to BENCH_KUSTOMIZE_MAX services (default 100).
kustomize_max="${BENCH_KUSTOMIZE_MAX:-100}"

# The tools, each a command over $dir (platform), $params (its services) and $ko (kustomize tree).
run_tool() {
  case $1 in
    platc) "$platc" build "$dir" --emit kubernetes --out "$work/platc-out" ;;
    jsonnet) rm -rf "$work/jsonnet-out" && mkdir -p "$work/jsonnet-out" &&
      jsonnet -m "$work/jsonnet-out" --tla-code-file "params=$params" "$here/peers/k8s.jsonnet" ;;
    cdk8s) rm -rf "$work/cdk8s-out" && node "$here/peers/k8s-cdk8s.mjs" "$params" "$work/cdk8s-out" ;;
    kustomize) mkdir -p "$work/kustomize-out" && for e in dev staging production; do
        kubectl kustomize "$ko/overlays/$e" > "$work/kustomize-out/$e.yaml" || return 1; done ;;
  esac
}
tools=(platc jsonnet cdk8s kustomize)

prepare() {  # prepare N: the platform, its parameters and the kustomize tree
  dir="$work/n$1"
  params="$work/n$1.json"
  ko="$work/kustomize-n$1"
  python3 "$here/gen_platform.py" "$1" "$dir" --json "$params" 2>/dev/null
  rm -rf "$work/base-objects" && mkdir -p "$work/base-objects"
  jsonnet -m "$work/base-objects" --tla-code-file "params=$params" "$here/peers/k8s.jsonnet" >/dev/null
  rm -rf "$ko" && python3 "$here/peers/kustomize_tree.py" "$work/base-objects" "$ko"
}

# Equivalence first, on 10 services.
prepare 10
for t in "${tools[@]}"; do run_tool "$t" >/dev/null 2>&1 || { echo "error: $t failed" >&2; exit 1; }; done
for t in jsonnet cdk8s kustomize; do
  echo "equivalence, $t against platc (10 services):"
  python3 "$here/peers/equal.py" "$work/platc-out" "$work/$t-out" || { echo "error: $t's objects differ from platc's" >&2; exit 1; }
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for n in "${sizes[@]}"; do
  echo "N=$n" >&2
  prepare "$n"
  these=()
  for t in "${tools[@]}"; do [ "$t" = kustomize ] && [ "$n" -gt "$kustomize_max" ] || these+=("$t"); done
  for t in "${these[@]}"; do run_tool "$t" >/dev/null 2>&1; done  # warm-up
  for ((k = 1; k <= runs; k++)); do
    for t in "${these[@]}"; do
      /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" bash -c "$(declare -f run_tool); $(declare -p platc dir params ko work here); run_tool $t" >/dev/null 2>&1 ||
        { echo "error: $t failed on N=$n" >&2; exit 1; }
      read -r wall user sys rss < "$work/time.txt"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$t" "$k" "$wall" "$(echo "$user + $sys" | bc)" "$rss" >> "$tsv"
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 "$here/peers/report.py" "$tsv" "$here/results" "$runs" "$load_before" "$load_after"
