# Sourced (not run: scripts/run-tests runs tests/scripts/*.sh only) by the tests/scripts/*.sh that need
# Source it after setting $conf (tests/conformance) and $work (a temporary directory).

# Installs tests/conformance/node_modules from package-lock.json once, then reuses it offline.
# Serialised with flock: several scripts may run at once under `make test -j`. Returns non-zero
# when npm failed (its log is $work/npm.log).
conformance_modules() {
  _install() {
    [ -d "$conf/node_modules" ] && [ ! "$conf/package-lock.json" -nt "$conf/node_modules/.package-lock.json" ] && return 0
    (cd "$conf" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) >"$work/npm.log" 2>&1
  }
  local rc
  if command -v flock >/dev/null; then
    exec 9>"${TMPDIR:-/tmp}/platc-conformance-npm.lock"
    flock 9
    _install; rc=$?
    flock -u 9
  else
    _install; rc=$?
  fi
  return $rc
}
