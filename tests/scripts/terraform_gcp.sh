#!/usr/bin/env bash
# The GCP Terraform output, proven offline without the google provider (no binary of it is on the
# machine): every example with gcp among its targets is built (`--target gcp`), and every
# environment's module is checked by tests/conformance/validate-terraform.mjs against the
# provider's published schema (parse, terraform fmt -check, types, arguments, blocks, references,
# tfvars), then by tests/scripts/lib/terraform_gcp_check.py for the policy properties and the
# agreement with the Kubernetes output of the same environment. terraform_schema.sh proves the
# schema checker can fail. Without node, npm or terraform it FAILS. Usage: terraform_gcp.sh PLATC
set -uo pipefail
platc=$(cd "$(dirname "${1:-build/release/platc}")" && pwd)/$(basename "${1:-build/release/platc}")
root=$(cd "$(dirname "$0")/../.." && pwd)
conf=$root/tests/conformance
suite=terraform_gcp
. "$(dirname "$0")/lib/suite.sh"

command -v node >/dev/null && command -v npm >/dev/null || { bad "node and npm are needed"; finish; }
command -v terraform >/dev/null || { bad "terraform is needed (terraform fmt -check)"; finish; }
. "$root/tests/scripts/lib/npm.sh"
conformance_modules || { bad "npm ci in tests/conformance"; tail -20 "$work/npm.log"; finish; }

envs=0
for ex in "$root"/examples/*/; do
  name=$(basename "$ex")
  grep -hqE '^\s*targets\s*=\s*\[[^]]*\bgcp\b' "$ex"*.plat 2>/dev/null || continue
  out=$work/out/$name
  if ! "$platc" build "$ex" --target gcp --out "$out" >"$work/$name.build.log" 2>&1; then
    bad "$name: platc build --target gcp"
    head -c 2000 "$work/$name.build.log"
    continue
  fi
  [ -d "$out/terraform/gcp" ] || { bad "$name: no terraform/gcp/"; continue; }
  [ -s "$out/terraform/gcp/README.md" ] && ok || bad "$name: no terraform/gcp/README.md"
  for envdir in "$out"/terraform/gcp/*/; do
    env=$(basename "$envdir")
    id="$name/$env"
    envs=$((envs + 1))
    if node "$conf/validate-terraform.mjs" --dump "$work/$name-$env.json" "$envdir" >"$work/$name-$env.log" 2>&1; then ok
    else bad "$id: validate-terraform"; head -30 "$work/$name-$env.log"; continue; fi
    if python3 "$root/tests/scripts/lib/terraform_gcp_check.py" "$work/$name-$env.json" "$envdir" \
      "$out/kubernetes/$env" "$out/graph/$env.json" >"$work/$name-$env.check" 2>&1; then ok
    else bad "$id: assertions"; head -40 "$work/$name-$env.check"; fi
  done
done
[ "$envs" -gt 0 ] && ok || bad "no example targets gcp"
echo "terraform_gcp: $envs environments"
finish
