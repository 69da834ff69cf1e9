#!/usr/bin/env bash
# The parser benchmark: `make bench` runs `bench/run.sh build/release`.
#
#   bench/run.sh BUILD_DIR [SIZES...]        (default sizes: 100 1000 10000)
#
# Generates synthetic platforms of N services into bench/work/ (gitignored), measures each with
# BUILD_DIR/platc_bench (lexer-only floor, parse+AST, memory; median of 5 runs after 1 warm-up,
# each stage in a fresh process), runs the diagnostic stages on the 1,000-service platform, counts
# instructions with callgrind when valgrind is installed (a noise-free cross-check), and writes
# bench/results/latest.json and bench/results/REPORT.md. See bench/README.md.
#
# Environment: BENCH_RUNS (default 5), BENCH_WARMUP (default 1), BENCH_NO_CALLGRIND=1 to skip the
# instruction counts.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-build/release}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100 1000 10000)
runs="${BENCH_RUNS:-5}"
warmup="${BENCH_WARMUP:-1}"

bench="$build/platc_bench"
if [ ! -x "$bench" ]; then
  echo "error: $bench not found; build it first (cmake --build $build --target platc_bench)" >&2
  exit 3
fi
bench="$(cd "$(dirname "$bench")" && pwd)/platc_bench"

work="$here/work"
results="$here/results"
mkdir -p "$work" "$results"
raw="$work/raw"
rm -rf "$raw"
mkdir -p "$raw"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load average before: $(loadavg)" >&2
echo "$(loadavg)" > "$raw/load_before"
start=$(date +%s)

for n in "${sizes[@]}"; do
  dir="$work/n$n"
  python3 "$here/gen_platform.py" "$n" "$dir"
  echo "N=$n:" >&2
  "$bench" --runs "$runs" --warmup "$warmup" --stages lex,parse,mem "$dir" > "$raw/n$n.json"
done

# Where the time goes: the diagnostic stages, on the middle size.
diag_stages=lex,input,lex_u32,lex_bytes,text,text_u32,tokens,tree,tree_direct,recognize,items,items_stream,parse
diag_n=${sizes[$(( ${#sizes[@]} / 2 ))]}
for n in "${sizes[@]}"; do if [ "$n" = 1000 ]; then diag_n=1000; fi; done
if [ -d "$work/n$diag_n" ]; then
  echo "diagnostic stages, N=$diag_n:" >&2
  "$bench" --runs "$runs" --warmup "$warmup" --stages "$diag_stages" "$work/n$diag_n" > "$raw/diag.json"
fi

# Instructions (callgrind): deterministic, unlike times on a shared machine. Only the timed pass
# is counted (platc_bench calls the measured work through `timed_file` for exactly that).
if [ -z "${BENCH_NO_CALLGRIND:-}" ] && command -v valgrind > /dev/null; then
  n=${sizes[0]}
  echo "instruction counts (callgrind, one warm pass), N=$n:" >&2
  : > "$raw/callgrind.txt"
  for stage in ${diag_stages//,/ }; do
    ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*timed_file*' \
           "$bench" --child "$stage" --runs 1 --warmup 1 "$work/n$n" 2>&1 >/dev/null |
         sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
    echo "$stage $ir" >> "$raw/callgrind.txt"
    printf '  %-12s %12s instructions\n' "$stage" "$ir" >&2
  done
  echo "$n" > "$raw/callgrind_n"
fi

echo "$(loadavg)" > "$raw/load_after"
echo $(( $(date +%s) - start )) > "$raw/elapsed"
echo "load average after: $(loadavg)" >&2

python3 "$here/report.py" --raw "$raw" --build "$build" --out "$results"
echo "wrote $results/latest.json and $results/REPORT.md" >&2
