#!/usr/bin/env bash
# What platc reads (issue 13, defects 3 and 4): only regular files inside the platform directory,
# symlinks resolved. A `.plat` entry that leads outside (a file elsewhere, /proc/self/environ) is
# E0307 and its content never reaches the output; a directory, FIFO, device, dangling symlink or
# symlink loop named `x.plat` is E0301 with exit 3, never a read that blocks; `platc fmt` never
# rewrites a file outside the directory through a symlink.
# Usage: tests/scripts/filesystem.sh PATH/TO/platc
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
suite=filesystem
. "$(dirname "$0")/lib/suite.sh"

p=$work/p
mkdir -p "$p"
cat >"$p/platform.plat" <<'PLAT'
platform shop {
  owner   = "team"
  targets = [aws]
  region  = "eu-west-1"
}
PLAT
# A file outside the platform that a hostile pull request would like printed.
printf 'service x {\n  image = "AKIA_CANARY_4f9d2c"\n' >"$work/outside.plat"

# expect NAME CODE EXIT -- entry setup: `platc check` of the directory gives CODE and EXIT
# within 10 s, names the entry, and prints nothing of the outside file or the environment.
expect() {
  local name=$1 code=$2 want=$3
  local got=0
  PLATC_CANARY=env_canary_7e1 timeout 10 "$platc" check "$p" >"$work/out" 2>&1 || got=$?
  if [ "$got" -eq 124 ]; then bad "$name: platc check blocked (killed after 10 s)"; return; fi
  if [ "$got" -ne "$want" ]; then bad "$name: exit $got, expected $want"; head -20 "$work/out"; return; fi
  ok
  grep -q "error\[$code\]" "$work/out" && grep -q "$name" "$work/out" && ok \
    || { bad "$name: no $code naming the entry"; head -20 "$work/out"; }
  if grep -q -e AKIA_CANARY -e env_canary -e PLATC_CANARY "$work/out"; then bad "$name: content echoed"; else ok; fi
}

ln -s ../outside.plat "$p/evil.plat"
expect evil.plat E0307 3
rm "$p/evil.plat"

ln -s /proc/self/environ "$p/environ.plat"
expect environ.plat E0307 3
rm "$p/environ.plat"

# Through a symlinked directory inside the platform: still outside once resolved.
mkdir -p "$work/elsewhere" && cp "$work/outside.plat" "$work/elsewhere/x.plat"
ln -s ../elsewhere "$p/sub"
ln -s sub/x.plat "$p/via-dir.plat"
expect via-dir.plat E0307 3
rm "$p/via-dir.plat" "$p/sub"

mkfifo "$p/fifo.plat"
expect fifo.plat E0301 3
rm "$p/fifo.plat"

mkdir "$p/dir.plat"
expect dir.plat E0301 3
rmdir "$p/dir.plat"

ln -s nowhere.plat "$p/dangling.plat"
expect dangling.plat E0301 3
rm "$p/dangling.plat"

ln -s loop.plat "$p/loop.plat"
expect loop.plat E0301 3
rm "$p/loop.plat"

ln -s /dev/zero "$p/zero.plat"
expect zero.plat E0307 3
rm "$p/zero.plat"

# Given directly, the same rules: a FIFO is refused without blocking.
mkfifo "$work/direct.plat"
got=0; timeout 10 "$platc" check "$work/direct.plat" >"$work/out" 2>&1 || got=$?
[ "$got" -eq 3 ] && grep -q 'E0301' "$work/out" && ok || { bad "a FIFO given directly: exit $got"; head -5 "$work/out"; }
rm "$work/direct.plat"

# A symlink inside the platform to a file inside it is fine.
cat >"$p/services.plat" <<'PLAT'
service api {
  image = "ghcr.io/shop/api:1.4.2"
}
PLAT
mkdir -p "$p/shared" && mv "$p/services.plat" "$p/shared/services.plat" && ln -s shared/services.plat "$p/services.plat"
got=0; "$platc" check "$p" >"$work/out" 2>&1 || got=$?
[ "$got" -le 1 ] && ok || { bad "a symlink inside the platform: exit $got"; head -10 "$work/out"; }

# fmt: never rewrites a file outside the directory through a symlink; the outside file is unchanged.
printf 'platform   other {\n owner="x"\n targets=[aws]\n region="eu-west-1"\n}\n' >"$work/outside-fmt.plat"
sum=$(sha256sum "$work/outside-fmt.plat")
ln -s ../outside-fmt.plat "$p/fmt-me.plat"
got=0; "$platc" fmt "$p" >"$work/out" 2>&1 || got=$?
[ "$got" -eq 3 ] && grep -q 'E0307' "$work/out" && ok || { bad "fmt through an outside symlink: exit $got"; head -5 "$work/out"; }
[ "$(sha256sum "$work/outside-fmt.plat")" = "$sum" ] && ok || bad "fmt rewrote a file outside the platform"
rm "$p/fmt-me.plat"

finish
