#!/usr/bin/env bash
# Validates the plain Kubernetes manifests platc writes, offline, with real tools:
# tests/conformance/validate-k8s.mjs (kubernetes-models schemas, the same package's TypeScript
# types for unknown fields, YAML 1.1 vs 1.2 readings, kustomization listing) and, when kubectl is
# installed, `kubectl kustomize` on every environment directory.
# First proves the validator can fail (tests/conformance/self-test.mjs), then builds every example
# and validates each kubernetes/<env>/ it writes. Until the Kubernetes backend writes kubernetes/,
# that part is reported as skipped, not failed.
# Usage: tests/scripts/k8s_validate.sh PATH/TO/platc
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
conf=$root/tests/conformance
suite=k8s_validate
. "$(dirname "$0")/lib/suite.sh"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  bad "node and npm are needed (scripts/install-deps installs them)"
  finish
fi

# The validators come from npm, pinned by package-lock.json; installed once, then reused offline.
. "$root/tests/scripts/lib/npm.sh"
conformance_modules; rc=$?
if [ "$rc" -ne 0 ]; then
  bad "npm ci in tests/conformance"; tail -20 "$work/npm.log"
  finish
fi

# 1. The validator rejects every broken fixture for its reason and accepts the good tree.
if node "$conf/self-test.mjs" >"$work/self-test.log" 2>&1; then ok; else bad "validator self-test"; grep -v '^ok ' "$work/self-test.log"; fi
if command -v kubectl >/dev/null; then
  kubectl kustomize "$conf/fixtures/good" >/dev/null 2>"$work/kustomize.err" && ok || { bad "kubectl kustomize fixtures/good"; head -5 "$work/kustomize.err"; }
fi

# 2. Every example's kubernetes/<env>/ output.
build_args=()
"$platc" build --help 2>/dev/null | grep -q -- '--all-envs' && build_args+=(--all-envs)
envdirs=()
without=()
for ex in "$root"/examples/*/; do
  name=$(basename "$ex")
  if ! "$platc" build "$ex" "${build_args[@]}" --out "$work/$name" >"$work/build.log" 2>&1; then
    bad "platc build examples/$name"; head -10 "$work/build.log"; continue
  fi
  if [ -d "$work/$name/kubernetes" ]; then
    found=0
    for env in "$work/$name"/kubernetes/*/; do
      [ -d "$env" ] || continue
      envdirs+=("$name/kubernetes/$(basename "$env")"); found=1
    done
    [ "$found" -eq 1 ] || bad "examples/$name: kubernetes/ has no environment directory"
  else
    without+=("$name")
  fi
done
# Issue 12's platform (one Ingress per host, BackendConfig, egress) on every target.
for t in aws gcp azure; do
  name=federated-$t
  if "$platc" build "$root/tests/golden/kubernetes/federated_$t.plat" --target "$t" --out "$work/$name" >"$work/build.log" 2>&1; then
    for env in "$work/$name"/kubernetes/*/; do
      [ -d "$env" ] && envdirs+=("$name/kubernetes/$(basename "$env")")
    done
  else
    bad "platc build tests/golden/kubernetes/federated_$t.plat"; head -10 "$work/build.log"
  fi
done

if [ ${#envdirs[@]} -eq 0 ]; then
  echo "k8s_validate: skipped: no kubernetes output yet (no example's build wrote kubernetes/<env>/)"
else
  for name in "${without[@]}"; do bad "examples/$name: the build wrote no kubernetes/"; done
  # One validator run over every directory, so the TypeScript program is built once.
  (cd "$work" && node "$conf/validate-k8s.mjs" "${envdirs[@]}") >"$work/validate.log" 2>&1
  rc=$?
  for dir in "${envdirs[@]}"; do
    if grep -q "^$dir/" "$work/validate.log"; then bad "validate $dir"; grep "^$dir/" "$work/validate.log" | head -40; else ok; fi
  done
  # Anything the validator said about no directory in particular (or a crash) is a failure too.
  if [ "$rc" -ne 0 ] && ! grep -q "^[^ ]*/kubernetes/[^/]*/" "$work/validate.log"; then bad "validate-k8s exited $rc"; tail -20 "$work/validate.log"; fi
  if command -v kubectl >/dev/null; then
    for dir in "${envdirs[@]}"; do
      kubectl kustomize "$work/$dir" >/dev/null 2>"$work/kustomize.err" && ok || { bad "kubectl kustomize $dir"; head -5 "$work/kustomize.err"; }
    done
  fi
fi
finish
