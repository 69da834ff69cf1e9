#!/usr/bin/env bash
# What `platc build` writes (issue 13, defects 5, 6 and 12): only its own output tree. An `--out`
# that is or contains the platform directory, the working directory or an imported file, `.`,
# `..` or a file is refused before any work (exit 3); an interrupted build (SIGINT, SIGTERM,
# SIGHUP) leaves no temporary tree, the leftovers of a killed one (SIGKILL) are removed by the
# next build, `--out` never disappears between two builds, and a failed write says why.
# Usage: tests/scripts/output.sh PATH/TO/platc
# `check && ok || bad` is an if-then-else here: ok only counts, it never fails. $work, ok, bad
# and finish come from lib/suite.sh, which reads $suite (shellcheck follows it with -x only).
# shellcheck disable=SC2015,SC2154,SC2034
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
suite=output
# shellcheck source=lib/suite.sh disable=SC1091
. "$(dirname "$0")/lib/suite.sh"
cd "$work" || exit 3

# run WANT NAME -- command...: the exit code, with stderr kept in $work/err.
run() {
  local want=$1 name=$2 got=0
  shift 3
  "$@" >"$work/out.txt" 2>"$work/err" || got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, wanted $want"; head -c 800 "$work/err"; fi
}
temporaries() { find "$work" -maxdepth 3 -name '.*.tmp-*' -o -maxdepth 3 -name '.*.old-*' | sort; }

"$platc" init p >/dev/null 2>&1
cp -r p broken && printf 'service broken {\n  port =\n}\n' >broken/zz.plat

# ---- defect 5: an output that would swallow the platform --------------------------------------
# The platform inside a previous output tree: replacing that tree deleted the platform's source.
run 0 "first build" -- "$platc" build p --out o
cp -r p o/p
run 3 "--out containing the platform" -- "$platc" build o/p --out o
[ -f o/p/platform.plat ] && ok || bad "the platform inside --out was deleted"
grep -q "contains" err && ok || bad "no reason given for refusing --out o"
# The platform directory itself, even when it carries a marker.
touch p/.platc-output
run 3 "--out is the platform directory" -- "$platc" build p --out p
[ -f p/platform.plat ] && ok || bad "the platform directory was replaced"
rm p/.platc-output
# Refused before any work: a platform that does not compile still gets the --out error (3, not 2),
# and no temporary tree is written anywhere.
run 3 "--out . before compiling" -- "$platc" build broken --out .
grep -q "E0" err && bad "--out . was refused only after compiling" || ok
run 3 "--out .. before compiling" -- "$platc" build broken --out ..
(cd broken && "$platc" build . --out ../.. >/dev/null 2>&1) && bad "--out ../.. accepted" || ok
run 3 "--out / before compiling" -- "$platc" build broken --out /
run 3 "--out a/.. before compiling" -- "$platc" build broken --out o/..
touch afile
run 3 "--out a file before compiling" -- "$platc" build broken --out afile
grep -q "not a directory" err && ok || bad "--out afile: no reason"
ln -s p plink && touch p/.platc-output
run 3 "--out a symlink to the platform" -- "$platc" build p --out plink
rm p/.platc-output plink
# A directory holding an imported file (with a marker: it looks like a platc output).
mkdir -p q/lib && cp p/platform.plat q/ && printf 'import "./lib/x.plat"\n' >>q/platform.plat
printf 'service extra {\n  image = "ghcr.io/x/extra:1.0.0"\n}\n' >q/lib/x.plat && touch q/lib/.platc-output
run 3 "--out holding an imported file" -- "$platc" build q --out q/lib
[ -f q/lib/x.plat ] && ok || bad "the imported file was deleted"
# The default, `build/platc` inside the platform directory, is fine.
(cd p && "$platc" build >/dev/null 2>&1) && [ -f p/build/platc/.platc-output ] && ok || bad "the default --out inside the platform"
[ -z "$(temporaries)" ] && ok || bad "temporaries left: $(temporaries)"

# ---- defect 6: interruptions ----------------------------------------------------------------------
python3 "$root/bench/gen_platform.py" 400 big >/dev/null
run 0 "build the big platform" -- "$platc" build big --out bo
sum_before=$(cd bo && find . -type f | sort | xargs sha256sum | sha256sum)
# start_build SIG: starts a build of `big` into bo, waits until its temporary tree has files, then
# sends SIG; sets $status to the build's exit status (0 when it finished before the signal).
# A background job of a script starts with SIGINT ignored, and platc keeps an ignored signal
# ignored (nohup): `env --default-signal` gives the build the default disposition a terminal would.
start_build() {
  env --default-signal=INT,TERM,HUP "$platc" build big --out bo >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 3000); do
    if compgen -G ".bo.tmp-$pid-*/graph" >/dev/null; then break; fi
    sleep 0.01
  done
  kill "-$1" "$pid" 2>/dev/null
  status=0
  wait "$pid" 2>/dev/null || status=$?  # no "Killed" line from bash
}
for sig in INT TERM HUP; do
  start_build "$sig"
  want=$((128 + $(kill -l "$sig")))
  [ "$status" -eq "$want" ] && ok || bad "SIG$sig: exit $status, wanted $want (the build ended by the signal)"
  [ -z "$(temporaries)" ] && ok || bad "SIG$sig left $(temporaries)"
  [ "$(cd bo && find . -type f | sort | xargs sha256sum | sha256sum)" = "$sum_before" ] && ok || bad "SIG$sig changed bo"
done
# SIGKILL cannot be caught: the next build removes what the killed one left, and nothing else.
start_build KILL
[ -n "$(temporaries)" ] && ok || bad "SIGKILL left no temporary tree (the build finished too early?)"
mkdir .bo.tmp-1234567-deadbeef && touch .bo.tmp-1234567-deadbeef/keep  # no marker: not platc's
run 0 "the build after a SIGKILL" -- "$platc" build big --out bo
[ "$(temporaries)" = "$work/.bo.tmp-1234567-deadbeef" ] && ok || bad "after the next build: $(temporaries)"
rm -r .bo.tmp-1234567-deadbeef
# `--out` is never absent: one build after another while the directory is watched.
( for _ in 1 2 3; do "$platc" build big --out bo >/dev/null 2>&1; done; touch finished ) &
absent=0
while [ ! -e finished ]; do [ -f bo/.platc-output ] || absent=$((absent + 1)); done
wait
[ "$absent" -eq 0 ] && ok || bad "bo was absent $absent times while builds replaced it"
rm -f finished

# ---- defect 12: a failed write says why -------------------------------------------------------
# A small file system (ENOSPC) and a read-only one (EROFS), in a user namespace of their own.
if unshare -rm true 2>/dev/null; then
  mkdir -p small ro
  got=0
  unshare -rm sh -c "mount -t tmpfs -o size=64k tmpfs small && exec \"$platc\" build big --out small/o" \
    >/dev/null 2>err || got=$?
  [ "$got" -eq 3 ] && grep -q "No space left on device" err && ok || { bad "ENOSPC: exit $got"; head -c 600 err; }
  got=0
  unshare -rm sh -c "mount -t tmpfs -o ro tmpfs ro && exec \"$platc\" build p --out ro/o" >/dev/null 2>err || got=$?
  [ "$got" -eq 3 ] && grep -q "Read-only file system" err && ok || { bad "EROFS: exit $got"; head -c 600 err; }
else
  echo "note: no user namespaces here; the ENOSPC and EROFS cases are skipped"
fi

finish
