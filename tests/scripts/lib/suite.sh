# Sourced (not run) by the tests/scripts/*.sh: a temporary directory $work, removed on exit; no
# colours; the pass/fail counters and their summary line.
#   suite=NAME; . "$(dirname "$0")/lib/suite.sh"
#   ok                 one check passed
#   bad "what"         one check failed: prints FAIL: what
#   finish             prints "NAME: P passed, F failed" and exits non-zero on any failure
work=$(mktemp -d)
# chmod first: some tests make parts of $work read-only to prove a write fails cleanly.
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export NO_COLOR=1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() { echo "${suite:-tests}: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
