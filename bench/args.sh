# Sourced by bench/pipeline.sh and bench/peers.sh with their arguments: BUILD_DIR [SIZES...].
# Sets build, sizes (default 10 100 1000), runs (BENCH_RUNS, default 5) and platc, which must exist.
build="${1:-build/release}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10 100 1000)
runs="${BENCH_RUNS:-5}"
platc="$(cd "$build" && pwd)/platc"
[ -x "$platc" ] || { echo "error: $platc not found: build it first" >&2; exit 3; }
