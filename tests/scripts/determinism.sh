#!/usr/bin/env bash
# The build output is byte-identical whatever the locale, timezone or working directory, and a
# build that fails while writing leaves the previous output tree exactly as it was.
# Usage: tests/scripts/determinism.sh PATH/TO/platc
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
suite=determinism
. "$(dirname "$0")/lib/suite.sh"

mkdir -p "$work/a" "$work/b/deeper"
locale_b=C.UTF-8
locale -a 2>/dev/null | grep -qi '^de_DE.utf8$' && locale_b=de_DE.UTF-8

for ex in "$root"/examples/*/; do
  name=$(basename "$ex")
  # Build 1: from the repository root, relative path, C locale, UTC.
  (cd "$root" && LC_ALL=C TZ=UTC "$platc" build "examples/$name" --out "$work/a/$name" >/dev/null 2>&1) ||
    { bad "build $name (1)"; continue; }
  # Build 2: from elsewhere, absolute path, another locale and a timezone far from UTC.
  (cd "$work/b/deeper" && LC_ALL=$locale_b LANG=$locale_b TZ=Pacific/Kiritimati "$platc" build "$ex" \
    --out ../"$name" >/dev/null 2>&1) || { bad "build $name (2)"; continue; }
  if diff -r "$work/a/$name" "$work/b/$name" >"$work/diff.txt"; then ok; else
    bad "$name: two builds differ"
    head -20 "$work/diff.txt"
  fi
done

# A failed write leaves the previous tree untouched. Root ignores permissions, so the failure is
# injected with a file-size limit: every write above 1 KiB fails with EFBIG (SIGXFSZ ignored).
ex=$root/examples/ohmycoins
out=$work/atomic/out
mkdir -p "$work/atomic"
"$platc" build "$ex" --out "$out" >/dev/null 2>&1 || bad "first build for the atomicity test"
echo "a file from an earlier build" >"$out/earlier.txt"  # the tree platc wrote last time, plus a mark
cp -a "$out" "$work/atomic/before"
(
  trap '' XFSZ
  ulimit -f 1
  "$platc" build "$ex" --out "$out" >"$work/atomic/log" 2>&1
)
rc=$?
if [ "$rc" -ne 0 ]; then ok; else bad "the build succeeded under a 1 KiB file-size limit"; fi
if diff -r "$work/atomic/before" "$out" >/dev/null; then ok; else bad "a failed write changed the previous tree"; fi
if ls -A "$work/atomic" | grep -q '\.tmp-'; then bad "a failed write left its temporary directory"; else ok; fi

# Killed in the middle of writing (SIGXFSZ not ignored): the previous tree is still whole.
(
  ulimit -f 1
  "$platc" build "$ex" --out "$out" >/dev/null 2>&1
) 2>/dev/null
if diff -r "$work/atomic/before" "$out" >/dev/null; then ok; else bad "a killed build changed the previous tree"; fi

# A build that does not compile writes nothing and exits 2.
mkdir -p "$work/broken"
printf 'service api {\n  port = \n}\n' >"$work/broken/main.plat"
"$platc" build "$work/broken" --out "$out" >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then ok; else bad "a broken platform: exit $rc, wanted 2"; fi
if diff -r "$work/atomic/before" "$out" >/dev/null; then ok; else bad "a broken platform changed the previous tree"; fi

echo "determinism: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
