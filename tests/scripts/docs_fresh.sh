#!/usr/bin/env bash
# Generated reference documents must match what platc generates now: a stale docs/kinds.md
# or docs/policies.md (someone edited stdlib/kinds/ or a rule and forgot `make docs`) fails the suite.
# Usage: tests/scripts/docs_fresh.sh PATH/TO/platc
set -uo pipefail
platc=$1
cd "$(dirname "$0")/../.."
passed=0
failed=0
check() {  # check DOC_FILE COMMAND...
  local doc=$1
  shift
  if diff -u "$doc" <("$@") >/tmp/platc-docs-diff.$$ 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $doc is stale; run \`make docs\` and commit the result"
    head -20 /tmp/platc-docs-diff.$$
  fi
  rm -f /tmp/platc-docs-diff.$$
}
check docs/kinds.md "$platc" doc kinds
check docs/policies.md "$platc" doc policies
echo "docs_fresh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
