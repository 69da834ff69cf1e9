#!/usr/bin/env bash
# The fuzz smoke of `make test`, one run per build: each fuzz target built as an ordinary
# executable (platc_fuzz_<target>_smoke: GCC, no libFuzzer, see tests/fuzz/standalone_main.cpp)
# runs its seed corpus, every regression input of tests/fuzz/regressions/<target>/, and a fixed
# number of seeded mutations, within a few seconds per target. A crash, a sanitizer report or a
# target's own failure (fuzz_build: generated platforms that fail check) fails the step; the
# output is one line per target, and the last lines of a failing target's output.
#
#   tests/fuzz/smoke.sh BUILD_DIR      (build/release or build/asan)
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: tests/fuzz/smoke.sh BUILD_DIR}
# Mutations per target, and a time cap per target for slow builds (ASan).
mutations=${FUZZ_SMOKE_MUTATIONS:-300}
seconds=${FUZZ_SMOKE_SECONDS:-8}
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in parse check build; do
  exe="$build/platc_fuzz_${target}_smoke"
  if [ ! -x "$exe" ]; then
    echo "fuzz smoke: $exe is missing (cmake --build $build --target $(basename "$exe"))"
    failed=1
    continue
  fi
  if "$exe" --mutations "$mutations" --seconds "$seconds" --dict tests/fuzz/plat.dict \
      "tests/fuzz/corpus/$target" "tests/fuzz/regressions/$target" >"$log" 2>&1; then
    tail -n 2 "$log"
  else
    echo "fuzz smoke: $target FAILED; the last lines of its output:"
    tail -n 40 "$log"
    failed=1
  fi
done
exit $failed
