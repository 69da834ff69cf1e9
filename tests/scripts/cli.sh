#!/usr/bin/env bash
# End-to-end checks of the CLI as a user meets it: init, check, fmt, build's atomic output,
# exit codes. Usage: tests/scripts/cli.sh PATH/TO/platc
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
suite=cli
. "$(dirname "$0")/lib/suite.sh"
expect_exit() {  # expect_exit CODE DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  "$@" >"$work/cmd.stdout" 2>"$work/cmd.stderr"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, wanted $want"; cat "$work/cmd.stderr" | head -20; fi
}

cd "$work"
# init writes a platform that checks clean and is already in canonical format.
expect_exit 0 "init" -- "$platc" init demo
expect_exit 0 "check the starter" -- "$platc" check demo
expect_exit 0 "the starter is canonical" -- "$platc" fmt --check demo
expect_exit 3 "init refuses to overwrite" -- "$platc" init demo

# Every subcommand has --help; --version works; bad flags are usage errors.
for cmd in check build fmt graph explain init; do
  expect_exit 0 "$cmd --help" -- "$platc" "$cmd" --help
done
expect_exit 0 "--version" -- "$platc" --version
grep -q '^platc ' "$work/cmd.stdout" && ok || bad "--version prints 'platc <version>'"
expect_exit 3 "unknown flag" -- "$platc" check --no-such-flag
expect_exit 3 "no subcommand" -- "$platc"
expect_exit 3 "missing path" -- "$platc" check does-not-exist
mkdir empty
expect_exit 3 "directory without .plat files" -- "$platc" check empty

# build: writes the tree, replaces its own output, never a directory it did not write.
expect_exit 0 "build" -- "$platc" build demo --out out
compgen -G "out/graph/*.json" >/dev/null && [ -f out/.platc-output ] && ok || bad "build wrote graph/<environment>.json and the marker"
cp -r out out.before
printf 'service broken {\n  port =\n}\n' > demo/zz_broken.plat
expect_exit 2 "build with an error" -- "$platc" build demo --out out
diff -r out out.before >/dev/null && ok || bad "a failed build left the previous output untouched"
rm demo/zz_broken.plat
ls -a | grep -q '\.tmp-' && bad "temporary directories left behind" || ok
mkdir precious && echo keep > precious/file.txt
expect_exit 3 "build refuses to replace a directory platc did not write" -- "$platc" build demo --out precious
[ "$(cat precious/file.txt)" = keep ] && ok || bad "precious/file.txt survived"
expect_exit 3 "build --out . refuses" -- "$platc" build demo --out .
expect_exit 0 "rebuild over previous output" -- "$platc" build demo --out out

# Determinism: same input, different locale, timezone and directory listing → same bytes.
"$platc" build demo --out det1 >/dev/null 2>&1
(cd demo && LC_ALL=C.UTF-8 TZ=Asia/Tokyo "$platc" build . --out ../det2 >/dev/null 2>&1)
diff -r det1 det2 >/dev/null && ok || bad "two builds differ"

# explain: every code's explanation prints; unknown codes are usage errors.
expect_exit 0 "explain" -- "$platc" explain E0101
grep -q 'E0101' "$work/cmd.stdout" && ok || bad "explain prints the E0101 page"
expect_exit 3 "explain unknown" -- "$platc" explain E9999

# graph: the flagship's DOT renders with Graphviz when it is installed.
expect_exit 0 "graph dot" -- "$platc" graph "$root/examples/ohmycoins"
if command -v dot >/dev/null; then
  dot -Tsvg "$work/cmd.stdout" -o graph.svg && grep -q '<svg' graph.svg && ok || bad "dot renders the graph"
fi
expect_exit 0 "graph json" -- "$platc" graph --format json "$root/examples/ohmycoins"
python3 -c 'import json,sys; g=json.load(open(sys.argv[1])); assert g["nodes"] and g["edges"]' "$work/cmd.stdout" && ok || bad "graph json has nodes and edges"

# NO_COLOR and pipes: no escape codes unless asked for.
printf 'service a {\n  port 80\n}\n' > colors.plat
NO_COLOR=1 "$platc" check colors.plat 2>err.txt; grep -q $'\x1b\[' err.txt && bad "colour with NO_COLOR" || ok
"$platc" check --color always colors.plat 2>err.txt; grep -q $'\x1b\[' err.txt && ok || bad "--color always colours"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
