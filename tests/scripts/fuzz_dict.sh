#!/usr/bin/env bash
# The fuzzers' dictionary (tests/fuzz/plat.dict) holds every keyword of grammar/Plat.g4, every
# unit of compiler/ast/literals.cpp and every kind of stdlib/kinds: it fails when one is missing.
# (The platc binary given by scripts/run-tests is not needed.)
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 tests/fuzz/make_dict.py --check tests/fuzz/plat.dict
# And it fails when one is missing: a copy without `kind_worker` and `kw_import`.
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
grep -v -e '^kind_worker=' -e '^kw_import=' tests/fuzz/plat.dict > "$tmp"
if out=$(python3 tests/fuzz/make_dict.py --check "$tmp"); then
  echo "fuzz_dict.sh: a dictionary without worker and import passed the check"; exit 1
fi
grep -q 'missing kind `worker`' <<<"$out" && grep -q 'missing keyword `import`' <<<"$out" || {
  echo "fuzz_dict.sh: the check did not name what is missing:"; echo "$out"; exit 1
}
echo "fuzz_dict.sh: ok"
