#!/usr/bin/env bash
# The AWS Terraform output, proven by terraform itself, offline: every example with aws among its
# targets is built (`--target aws`), and every environment's module is checked with
# `terraform fmt -check`, initialised against the provider mirror, validated, planned with mock
# credentials, and the plan is held against the graph and the Kubernetes output of the same
# environment (tests/scripts/lib/terraform_aws_check.py says what is asserted). Without terraform
# or the mirror it FAILS. Usage: terraform_aws.sh [PLATC]
set -uo pipefail
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/../.."
# One prepared environment: init, validate, plan, assertions (run two at a time, below).
if [ "${1:-}" = --one ]; then
  shift
  read -r id dir envdir out <<<"$*"
  env=$(basename "$envdir")
  . tests/scripts/lib/terraform.sh
  tf_setup "$TF_AWS_BUILD" >/dev/null || exit 1
  {
    tf_init "$dir" || { echo "FAIL: $id: terraform init"; exit 1; }
    tf_validate "$dir" || { echo "FAIL: $id: terraform validate"; exit 1; }
    # Planned without the S3 backend (nothing may reach AWS): the backend block was validated.
    rm -f "$dir/backend.tf"
    region=$(sed -n 's/^  region = "\(.*\)"$/\1/p' "$dir/providers.tf" | head -1)
    tf_mock_provider "$dir" "${region:-eu-west-1}" && tf_plan "$dir" || { echo "FAIL: $id: terraform plan"; exit 1; }
    python3 tests/scripts/lib/terraform_aws_check.py "$dir/plan.json" "$envdir" "$out/kubernetes/$env" \
      "$out/graph/$env.json" || { echo "FAIL: $id: assertions"; exit 1; }
    echo "ok: $id ($(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["resource_changes"]))' "$dir/plan.json") resources)"
  } >"$dir.result" 2>&1
  exit $?
fi
platc=${1:-build/release/platc}
build=$(cd "$(dirname "$platc")" && pwd)
. tests/scripts/lib/terraform.sh
tf_setup "$build" || { echo "terraform_aws: FAILED (no terraform or no provider mirror)"; exit 1; }
work=$build/terraform-aws-test
rm -rf "$work" && mkdir -p "$work"
start=$SECONDS
passed=0
failed=0
bad() {
  echo "FAIL: $*"
  failed=$((failed + 1))
}

# The inputs an operator supplies outside tfvars (docs: terraform/aws/README.md), with stand-ins.
test_inputs() {
  local graph=$1 out=$2
  python3 - "$graph" "$out" <<'EOF'
import json, sys
g = json.load(open(sys.argv[1]))
caches = [n["id"] for n in g["nodes"] if n["kind"] == "cache"]
lines = ['rds_ca_bundle = "-----BEGIN CERTIFICATE-----\\nstand-in\\n-----END CERTIFICATE-----\\n"']
lines.append("cache_auth_tokens = {" + ", ".join(f'"{c}" = "stand-in-token-0123456789"' for c in caches) + "}")
# The controller's published policy is fetched by the operator; a one-statement stand-in here.
lines.append('load_balancer_controller_policy = "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"elasticloadbalancing:DescribeLoadBalancers\\",\\"Resource\\":\\"*\\"}]}"')
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
EOF
}

for ex in examples/*/; do
  name=$(basename "$ex")
  grep -hqE '^\s*targets\s*=\s*\[[^]]*\baws\b' "$ex"*.plat 2>/dev/null || continue
  out=$work/out/$name
  if ! "$platc" build "$ex" --target aws --out "$out" >"$work/$name.build.log" 2>&1; then
    bad "$name: platc build --target aws"
    head -c 2000 "$work/$name.build.log"
    continue
  fi
  for envdir in "$out"/terraform/aws/*/; do
    env=$(basename "$envdir")
    id="$name/$env"
    tf_fmt_check "$envdir" || { bad "$id: terraform fmt"; continue; }
    dir=$work/tf/$name-$env
    rm -rf "$dir" && mkdir -p "$dir" && cp "$envdir"*.tf "$dir"/
    cp "$envdir$env.tfvars" "$dir/$env.auto.tfvars"
    graph=$out/graph/$env.json
    [ -f "$graph" ] || { bad "$id: no graph"; continue; }
    test_inputs "$graph" "$dir/platc_test.auto.tfvars"
    echo "$id $dir $envdir $out" >>"$work/queue"
  done
done
# The lock file is hashed once (the first init), then the environments run two at a time.
export TF_AWS_BUILD=$build
if [ -s "$work/queue" ]; then
  first=$(head -1 "$work/queue")
  bash "$self" --one $first
  tail -n +2 "$work/queue" | xargs -P 2 -L 1 bash "$self" --one
  while read -r id dir _; do
    cat "$dir.result"
    if grep -q '^ok: ' "$dir.result"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done <"$work/queue"
fi
echo "terraform_aws: $passed environments passed, $failed failed ($((SECONDS - start)) s)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
