#!/usr/bin/env bash
# Proves tests/conformance/validate-terraform.mjs, the schema checker the GCP and Azure Terraform
# tests rest on (no provider binary for those clouds is on the machine), can pass and can fail:
# the good fixtures (a google and an azurerm root module) pass every check, and each
# tests/conformance/fixtures/terraform/broken/<case>/ (the google fixture with one defect) fails
# with exactly the findings its expect.txt lists, one substring per line. Also checks the schemas
# are the committed, extracted ones (provider and version recorded in each). Without node, npm or
# terraform it FAILS. Usage: tests/scripts/terraform_schema.sh [PLATC] (platc is not needed)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
conf=$root/tests/conformance
suite=terraform_schema
. "$(dirname "$0")/lib/suite.sh"

command -v node >/dev/null && command -v npm >/dev/null || { bad "node and npm are needed"; finish; }
command -v terraform >/dev/null || { bad "terraform is needed (terraform fmt -check)"; finish; }
. "$root/tests/scripts/lib/npm.sh"
conformance_modules || { bad "npm ci in tests/conformance"; tail -20 "$work/npm.log"; finish; }
check=$conf/validate-terraform.mjs
fix=$conf/fixtures/terraform

# The committed schemas, with the provider versions they were extracted from.
for p in google:hashicorp/google:6. azurerm:hashicorp/azurerm:4.; do
  IFS=: read -r name source major <<<"$p"
  node -e '
    const s = JSON.parse(require("zlib").gunzipSync(require("fs").readFileSync(process.argv[1])));
    const [source, major] = process.argv.slice(2);
    const n = Object.keys(s.resources).length;
    if (!s.provider.endsWith(source) || !s.provider_version.startsWith(major) || n < 500 || !s.package_version) process.exit(1);
  ' "$conf/../terraform-schemas/$name.json.gz" "$source" "$major" && ok || bad "schema $name.json.gz: not $source $major*"
done

for g in "$fix"/good/*/; do
  if (cd "$conf" && node "$check" "$g") >"$work/good.log" 2>&1; then ok
  else bad "fixture good/$(basename "$g") must pass"; head -20 "$work/good.log"; fi
done

for c in "$fix"/broken/*/; do
  name=$(basename "$c")
  (cd "$conf" && node "$check" "$c") >"$work/$name.log" 2>&1
  rc=$?
  findings=$(grep -c -v '^validate-terraform: ' "$work/$name.log")
  expected=$(grep -c . "$c/expect.txt")
  missing=""
  while IFS= read -r want; do
    [ -n "$want" ] && ! grep -qF -- "$want" "$work/$name.log" && missing="$missing [$want]"
  done <"$c/expect.txt"
  if [ "$rc" -eq 1 ] && [ -z "$missing" ] && [ "$findings" -eq "$expected" ]; then ok
  else
    bad "broken/$name: exit $rc, $findings findings (expected $expected), missing:${missing:- none}"
    head -10 "$work/$name.log"
  fi
done
finish
