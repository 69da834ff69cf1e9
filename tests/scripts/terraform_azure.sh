#!/usr/bin/env bash
# The Azure Terraform output, proven without the azurerm provider binary (none is on the machine):
# every example with azure among its targets is built (`--target azure`), and every environment's
# module is checked by tests/conformance/validate-terraform.mjs (HashiCorp's HCL parser,
# `terraform fmt -check`, the azurerm 4.55 and random schemas, references, tfvars, version
# constraints), then held against the graph and the Kubernetes output of the same environment
# (tests/scripts/lib/terraform_azure_check.py says what is asserted). Broken copies of one module
# prove the assertions can fail. Without node, npm or terraform it FAILS.
# Usage: terraform_azure.sh [PLATC]
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
conf=$root/tests/conformance
suite=terraform_azure
. "$(dirname "$0")/lib/suite.sh"
platc=$(cd "$(dirname "${1:-build/release/platc}")" && pwd)/$(basename "${1:-build/release/platc}")
[ -x "$platc" ] || { bad "no platc at $platc"; finish; }
command -v node >/dev/null && command -v npm >/dev/null || { bad "node and npm are needed"; finish; }
command -v terraform >/dev/null || { bad "terraform is needed (terraform fmt -check)"; finish; }
python3 -c 'import yaml' 2>/dev/null || { bad "python3-yaml is needed"; finish; }
. "$root/tests/scripts/lib/npm.sh"
conformance_modules || { bad "npm ci in tests/conformance"; tail -20 "$work/npm.log"; finish; }
schema=$root/tests/terraform-schemas/azurerm.json.gz
check() {  # check MODULE_DIR K8S_DIR GRAPH: the assertions, output in $work/check.log
  (cd "$conf" && node terraform-json.mjs "$1") >"$work/module.json" 2>"$work/check.log" &&
    python3 "$root/tests/scripts/lib/terraform_azure_check.py" "$work/module.json" "$1" "$2" "$3" "$schema" \
      >"$work/check.log" 2>&1
}

envs=0
for ex in "$root"/examples/*/; do
  name=$(basename "$ex")
  grep -hqE '^\s*targets\s*=\s*\[[^]]*\bazure\b' "$ex"*.plat 2>/dev/null || continue
  out=$work/out/$name
  if ! "$platc" build "$ex" --target azure --out "$out" >"$work/$name.build.log" 2>&1; then
    bad "$name: platc build --target azure"
    head -c 2000 "$work/$name.build.log"
    continue
  fi
  [ -f "$out/terraform/azure/README.md" ] && ok || bad "$name: no terraform/azure/README.md"
  for envdir in "$out"/terraform/azure/*/; do
    env=$(basename "$envdir")
    envs=$((envs + 1))
    if (cd "$conf" && node validate-terraform.mjs "$envdir") >"$work/validate.log" 2>&1; then ok
    else bad "$name/$env: validate-terraform"; head -30 "$work/validate.log"; fi
    if check "$envdir" "$out/kubernetes/$env" "$out/graph/$env.json"; then ok
    else bad "$name/$env: assertions"; head -30 "$work/check.log"; fi
  done
done
[ "$envs" -gt 0 ] && ok || bad "no example targets azure"
# The golden module of the kinds no example has (MySQL, queues, a topic kept 14 days: Premium).
golden=$root/tests/golden/terraform_azure/module_layout.tree/terraform/azure/dev
if (cd "$conf" && node validate-terraform.mjs "$golden") >"$work/validate.log" 2>&1; then ok
else bad "golden module_layout: validate-terraform"; head -30 "$work/validate.log"; fi
# and its policy and identity assertions (it has no Kubernetes output: nothing to agree with).
mkdir -p "$work/no-k8s"
if check "$golden" "$work/no-k8s" "$root/tests/golden/terraform_azure/module_layout.tree/graph/dev.json"; then ok
else bad "golden module_layout: assertions"; head -30 "$work/check.log"; fi
# The Service Bus namespace's key can be found missing (no example has queues on Azure).
rm -rf "$work/broken/sb_no_cmk" && mkdir -p "$work/broken/sb_no_cmk" && cp "$golden"/* "$work/broken/sb_no_cmk/"
sed -i '/key_vault_key_id/d' "$work/broken/sb_no_cmk/messaging.tf"
if cmp -s "$golden/messaging.tf" "$work/broken/sb_no_cmk/messaging.tf"; then bad "broken/sb_no_cmk: the edit changed nothing"
elif check "$work/broken/sb_no_cmk" "$work/no-k8s" "$root/tests/golden/terraform_azure/module_layout.tree/graph/dev.json"; then
  bad "broken/sb_no_cmk: passed"
elif grep -qF "customer-managed key differs from the queues" "$work/check.log"; then ok
else bad "broken/sb_no_cmk: no finding"; head -5 "$work/check.log"; fi

# The assertions can fail: each broken copy of cyberwhale's production module must be refused
# with the finding named.
base=$work/out/cyberwhale/terraform/azure/production
k8s=$work/out/cyberwhale/kubernetes/production
graph=$work/out/cyberwhale/graph/production.json
broken() {  # broken NAME EXPECTED SED-SCRIPT FILE
  local dir=$work/broken/$1
  rm -rf "$dir" && mkdir -p "$dir" && cp "$base"/* "$dir"/
  sed -i "$3" "$dir/$4"
  if cmp -s "$base/$4" "$dir/$4"; then bad "broken/$1: the edit changed nothing"; return; fi
  if check "$dir" "$k8s" "$graph"; then bad "broken/$1: passed"
  elif grep -qF -- "$2" "$work/check.log"; then ok
  else bad "broken/$1: no finding \"$2\""; head -5 "$work/check.log"; fi
}
if [ -d "$base" ]; then
  broken shared_keys "shared keys allowed" '0,/shared_access_key_enabled\( *\)= false/s//shared_access_key_enabled\1= true/' storage.tf
  broken public_database "public network access" '0,/public_network_access_enabled\( *\)= false/s//public_network_access_enabled\1= true/' data.tf
  broken no_tags "no tags (local.tags)" '0,/^  tags \( *\)= local.tags$/{//d}' identity.tf
  broken wrong_entry "no Key Vault secret" 's/name         = "cyberwhale-production-app-connection"/name         = "cyberwhale-production-app-conn"/' secrets.tf
  broken wider_role "roles" 's/azurerm_storage_container.backups.id/azurerm_storage_account.backups.id/' identity.tf
  broken federation "trusts" 's/system:serviceaccount:cyberwhale-production:/system:serviceaccount:default:/' identity.tf
  broken dashboard_name "is not created by the module" '0,/name\( *\)= "cyberwhale-production-sessions"/s//name\1= "cyberwhale-production-cache"/' data.tf
  broken vault_firewall "firewall" 's/default_action\( *\)= "Deny"/default_action\1= "Allow"/' secrets.tf
  broken no_cmk "customer-managed key differs" '/key_vault_key_id/d' storage.tf
  broken db_no_cmk "customer-managed key differs from the database" '/key_vault_key_id/d' data.tf
  broken db_key_role "the database identity's roles" 's/"Key Vault Crypto Service Encryption User"/"Key Vault Crypto Officer"/' data.tf
else
  bad "no cyberwhale production module to break"
fi
finish
