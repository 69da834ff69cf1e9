#!/usr/bin/env bash
# What diagnostics never print (issue 13, defect 7): no value of the input reaches a terminal or a
# CI log raw. Values with ESC sequences, BEL, CR, LF, C1 controls and bidi overrides, in a
# message, in a file name and in the source line shown, come out escaped in the human format and
# in the GitHub format, where no value can end its annotation or start another workflow command.
# Usage: tests/scripts/terminal.sh PATH/TO/platc
# `check && ok || bad` is an if-then-else here: ok only counts, it never fails. $work, ok, bad
# and finish come from lib/suite.sh, which reads $suite (shellcheck follows it with -x only).
# shellcheck disable=SC2015,SC2154,SC2034
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
suite=terminal
# shellcheck source=lib/suite.sh disable=SC1091
. "$(dirname "$0")/lib/suite.sh"
cd "$work" || exit 3

mkdir p
# The escapes are the language's own (`\u{1b}`), so the decoded value holds the raw characters;
# the comment holds them raw in the file, for the source line of the snippet; and one file name
# holds an ESC sequence itself.
python3 - <<'PY'
platform = '''platform shop {
  owner   = "team"
  targets = [aws]
  region  = "eu-west-1"
}
'''
evil = ('environment production {\n'
        '  domain = "a\\u{1b}[2J\\u{7}\\r\\n::error file=forged.plat,line=1::forged\\u{9b}31m\\u{202e}x"'
        '  # raw: \x1b]0;title\x07 \u202e \u2066 \x1b[31m\r\n'
        '}\n')
open("p/platform.plat", "w").write(platform)
open("p/\x1b[31mred.plat", "w", newline="").write(evil)
PY

for format in human github; do
  got=0
  "$platc" check p --format "$format" --color always >"$work/out" 2>"$work/err" || got=$?
  [ "$got" -eq 2 ] && ok || { bad "$format: exit $got, wanted 2"; head -c 600 "$work/out" "$work/err"; }
  # --color always: the only ESC bytes allowed are platc's own colours, `ESC [ digits ; m`. The
  # GitHub format's stdout is annotations only, one a line (the summary goes to stderr).
  python3 - "$work/out" "$work/err" "$format" <<'PY' && ok || bad "$format: raw control characters in the output"
import re, sys
out, err = (open(f, "rb").read() for f in sys.argv[1:3])
text = re.sub(rb"\x1b\[[0-9;]*m", b"", out + err)  # the colours platc writes itself
bad = [c for c in (b"\x1b", b"\x07", b"\r", b"\xc2\x9b", "\u202e".encode(), "\u2066".encode()) if c in text]
if sys.argv[3] == "github":
    for line in out.decode().splitlines():
        if not re.match(r"^::(error|warning|notice) ", line):
            bad.append(("a line that is not one annotation", line[:80]))
            continue
        if "forged.plat,line" in line.split("::")[1]:
            bad.append("a forged property")
if bad:
    print(bad)
    sys.exit(1)
PY
done
# The escaped forms are shown instead, so the user sees what the value holds.
"$platc" check p --color never >"$work/out" 2>&1
grep -qF 'a\u{1b}[2J\u{7}\r\n::error file=forged.plat' "$work/out" && ok || { bad "the escaped value is not shown"; head -c 600 "$work/out"; }
grep -qF '\u{1b}[31mred.plat' "$work/out" && ok || bad "the file name is not shown escaped"

finish
