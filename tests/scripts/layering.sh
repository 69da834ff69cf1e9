#!/usr/bin/env bash
# The layering check (cmake/check_layering.py, run by the build once per stage): it rejects a
# deliberately violating fixture, naming each file, line and forbidden stage; it accepts the real
# tree; and a real build of a copy of the tree with one forbidden include fails before compiling.
# Usage: tests/scripts/layering.sh PATH/TO/platc (its build directory holds layering/stages.json)
set -uo pipefail
build=$(cd "$(dirname "$1")" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
suite=layering
. "$(dirname "$0")/lib/suite.sh"
checker="$root/cmake/check_layering.py"
table="$build/layering/stages.json"
fixture="$root/tests/scripts/layering_fixture"

# 1. The fixture breaks every rule once: exactly these lines fail, and nothing else.
python3 "$checker" --table "$fixture/stages.json" --root "$fixture" --all 2>"$work/fixture.err"
[ $? -eq 1 ] && ok || bad "the fixture passes the check"
cut -d: -f1-2 "$work/fixture.err" | grep -v '^check_layering' | sed 's/: error$//' | sort >"$work/got"
sort >"$work/want" <<'WANT'
backends/kubernetes/kubernetes.cpp:4
backends/kubernetes/kubernetes.cpp:5
backends/kubernetes/kubernetes.cpp:6
backends/kubernetes/kubernetes.cpp:7
backends/registry.cpp:2
backends/terraform/terraform.cpp
compiler/graph/value.h:4
compiler/policy/policy.cpp:3
compiler/policy/policy.cpp:4
WANT
diff "$work/want" "$work/got" >/dev/null && ok || { bad "fixture: other lines failed than expected"; diff "$work/want" "$work/got"; }
expect_line() {  # expect_line FILE TEXT: the fixture's errors name the file, line and stage
  grep -qF -- "$2" "$work/fixture.err" && ok || bad "fixture: no error saying: $2"
}
expect_line fixture 'compiler/graph/value.h:4: error: stage graph includes "compiler/ast/ast.h" of stage ast, which it does not depend on'
expect_line fixture 'compiler/policy/policy.cpp:3: error: stage policy includes "compiler/sema/internal.h", which is private to stage sema'
expect_line fixture 'compiler/policy/policy.cpp:4: error: stage policy includes "compiler/driver/load.h" of stage driver'
expect_line fixture 'backends/kubernetes/kubernetes.cpp:4: error: stage kubernetes includes "PlatLexer.h", an ANTLR'
expect_line fixture 'backends/kubernetes/kubernetes.cpp:5: error: stage kubernetes includes "compiler/ast/ast.h" of stage ast'
expect_line fixture 'backends/registry.cpp:2: error: stage registry includes "compiler/sema/sema.h" of stage sema'
# One stage at a time, as the build runs it: a clean stage writes its stamp, a dirty one does not.
python3 "$checker" --table "$fixture/stages.json" --root "$fixture" --stage sema --stamp "$work/sema.stamp" \
  && [ -f "$work/sema.stamp" ] && ok || bad "fixture: the clean stage sema fails"
python3 "$checker" --table "$fixture/stages.json" --root "$fixture" --stage graph --stamp "$work/graph.stamp" 2>/dev/null
[ $? -eq 1 ] && [ ! -f "$work/graph.stamp" ] && ok || bad "fixture: the dirty stage graph passes"

# 2. The real tree, against the table the build wrote: clean.
if [ -f "$table" ]; then
  python3 "$checker" --table "$table" --root "$root" --all && ok || bad "the source tree breaks the layering"
else
  bad "no $table: configure with cmake first"
fi

# 3. A copy of the real tree where the graph includes the AST again (what compiler/graph/value.h
#    did for ast::Decimal): the check names the file, the line and the stage, and a real build of
#    the graph library stops there, before compiling anything of it.
tree="$work/tree"
mkdir -p "$tree"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$tree" 2>/dev/null)
else
  tar -C "$root" --exclude=./build --exclude=./.git -cf - . | tar -C "$tree" -xf -
fi
sed -i '0,/^#include "/s//#include "compiler\/ast\/ast.h"\n#include "/' "$tree/compiler/graph/value.h"
line=$(grep -n '^#include "compiler/ast/ast.h"' "$tree/compiler/graph/value.h" | cut -d: -f1)
if [ -f "$table" ]; then
  python3 "$checker" --table "$table" --root "$tree" --stage graph 2>"$work/copy.err"
  [ $? -eq 1 ] && ok || bad "graph including the AST passes the check"
  grep -qF "compiler/graph/value.h:$line: error: stage graph includes \"compiler/ast/ast.h\" of stage ast" "$work/copy.err" \
    && ok || { bad "the check does not name value.h:$line and stage ast"; cat "$work/copy.err"; }
fi
if command -v cmake >/dev/null; then
  cmake -S "$tree" -B "$work/b" -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 \
    || { bad "configuring the copy failed"; tail -20 "$work/configure.log"; }
  cmake --build "$work/b" --target platc_graph -j 2 >"$work/build.log" 2>&1
  [ $? -ne 0 ] && ok || bad "building platc_graph with graph including the AST succeeds"
  grep -qF "compiler/graph/value.h:$line: error: stage graph includes \"compiler/ast/ast.h\" of stage ast" "$work/build.log" \
    && ok || { bad "the build log does not name value.h:$line and stage ast"; tail -20 "$work/build.log"; }
  ls "$work/b/CMakeFiles/platc_graph.dir/compiler/graph/"*.o >/dev/null 2>&1 \
    && bad "the graph compiled before its layering check" || ok
fi
finish
