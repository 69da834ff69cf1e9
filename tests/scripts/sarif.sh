#!/usr/bin/env bash
# Validates `platc check --format sarif` against the official SARIF 2.1.0 JSON schema (the
# sarif-2.1.0.json shipped in @microsoft/sarif-multitool-linux) with ajv (draft 2020-12)
# and ajv-formats, and checks what GitHub code scanning needs: rule ids with help, results with
# regions, waived findings as suppressions. The npm packages go into tests/sarif/node_modules
# (not committed), installed on first use. Usage: tests/scripts/sarif.sh PATH/TO/platc
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/sarif
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "sarif: SKIP: node and npm are needed to validate SARIF"
  exit 0
fi
if [ ! -d "$dir/node_modules/ajv" ] || [ ! -d "$dir/node_modules/@microsoft/sarif-multitool-linux" ]; then
  (cd "$dir" && npm install --no-audit --no-fund --silent >/dev/null 2>&1) || {
    echo "FAIL: sarif: npm install in tests/sarif failed"
    exit 1
  }
fi
schema=$(find "$dir/node_modules/@microsoft/sarif-multitool-linux" -name 'sarif-2.1.0.json' | head -1)
[ -n "$schema" ] || { echo "FAIL: sarif: sarif-2.1.0.json not found in the multitool package"; exit 1; }

failed=0
n=0
for input in "$root/tests/policy/formats/fail_sarif.plat" "$root/tests/policy/waivers/sarif_waived.plat" \
  "$root/examples/ohmycoins" "$root/tests/policy/P0103/fail_formats.plat" "$root/tests/policy/config/fail_unknown_codes.plat"; do
  n=$((n + 1))
  (cd "$root" && "$platc" check --format sarif "${input#$root/}" > "$work/out$n.sarif" 2>/dev/null)
  rc=$?
  if [ "$rc" -gt 1 ]; then echo "FAIL: sarif: $input: exit $rc"; failed=$((failed + 1)); fi
done
# A backend's check-step error (exit 2) is SARIF too, with its rule.
(cd "$root" && "$platc" check --format sarif tests/golden/kubernetes/fail_name_clash_sarif.plat > "$work/out_backend.sarif" 2>/dev/null)
# A compile error is SARIF too.
printf 'platform x {\n  owner =\n}\n' > "$work/broken.plat"
(cd "$work" && "$platc" check --format sarif broken.plat > "$work/out_broken.sarif" 2>/dev/null)

NODE_PATH="$dir/node_modules" node "$dir/validate.js" "$schema" "$work"/*.sarif || failed=$((failed + 1))
if [ "$failed" -eq 0 ]; then echo "sarif: all documents valid"; else echo "FAIL: sarif"; fi
[ "$failed" -eq 0 ]
