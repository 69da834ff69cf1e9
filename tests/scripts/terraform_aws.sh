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
import json, os, sys
g = json.load(open(sys.argv[1]))
caches = [n["id"] for n in g["nodes"] if n["kind"] == "cache"]
lines = ['rds_ca_bundle = "-----BEGIN CERTIFICATE-----\\nstand-in\\n-----END CERTIFICATE-----\\n"']
lines.append("cache_auth_tokens = {" + ", ".join(f'"{c}" = "stand-in-token-0123456789"' for c in caches) + "}")
# The controller's published policy is fetched by the operator; a one-statement stand-in here.
lines.append('load_balancer_controller_policy = "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"elasticloadbalancing:DescribeLoadBalancers\\",\\"Resource\\":\\"*\\"}]}"')
# With a pull_request trigger the plan role reads the state bucket, given like the backend's.
if 'variable "terraform_state_bucket"' in open(os.path.join(os.path.dirname(sys.argv[2]), "variables.tf")).read():
    lines.append('terraform_state_bucket = "platc-test-state"')
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
# Broken fixtures: each assertion on the pull-request plan role fails on a copy of ohmycoins/dev's
# plan changed for its reason (no terraform run: the plan JSON is edited).
plan_fixture() {  # NAME EXPECTED-MESSAGE PYTHON-EDIT (of `plan`; role(name) is a role's `after`)
  local name=$1 want=$2 edit=$3 line dir envdir out
  line=$(grep '^ohmycoins/dev ' "$work/queue") || { bad "fixture $name: ohmycoins/dev was not planned"; return; }
  read -r _ dir envdir out <<<"$line"
  [ -f "$dir/plan.json" ] || { bad "fixture $name: no plan of ohmycoins/dev"; return; }
  EDIT=$edit python3 - "$dir/plan.json" "$work/fixture-$name.json" <<'PY' || { bad "fixture $name: edit failed"; return; }
import json, os, sys
plan = json.load(open(sys.argv[1]))
def role(name):
    return next(r["change"]["after"] for r in plan["resource_changes"]
                if r["type"] == "aws_iam_role" and r["change"]["after"].get("name") == name)
def changes(rtype):
    return [r for r in plan["resource_changes"] if r["type"] == rtype]
exec(os.environ["EDIT"])
json.dump(plan, open(sys.argv[2], "w"))
PY
  if python3 tests/scripts/lib/terraform_aws_check.py "$work/fixture-$name.json" "$envdir" "$out/kubernetes/dev" \
    "$out/graph/dev.json" >"$work/fixture-$name.log" 2>&1; then
    bad "fixture $name: assertions passed"
  elif grep -q "$want" "$work/fixture-$name.log"; then
    passed=$((passed + 1)); echo "ok: fixture $name ($(grep -m1 "$want" "$work/fixture-$name.log" | cut -c1-120))"
  else
    bad "fixture $name: failed for another reason"; head -3 "$work/fixture-$name.log"
  fi
}
# The same for the Kubernetes side: the manifests of ohmycoins/dev edited (every YAML file's
# documents as `docs`; es(name) is an ExternalSecret), the plan as it is.
k8s_fixture() {  # NAME EXPECTED-MESSAGE PYTHON-EDIT
  local name=$1 want=$2 edit=$3 line dir envdir out k8s
  line=$(grep '^ohmycoins/dev ' "$work/queue") || { bad "fixture $name: ohmycoins/dev was not planned"; return; }
  read -r _ dir envdir out <<<"$line"
  k8s=$work/fixture-$name-k8s
  rm -rf "$k8s" && cp -r "$out/kubernetes/dev" "$k8s"
  EDIT=$edit python3 - "$k8s" <<'PY' || { bad "fixture $name: edit failed"; return; }
import glob, os, sys, yaml
files = {p: [d for d in yaml.safe_load_all(open(p)) if d] for p in glob.glob(os.path.join(sys.argv[1], "*.yaml"))}
docs = [d for ds in files.values() for d in ds]
def es(name):
    return next(d for d in docs if d.get("kind") == "ExternalSecret" and d["metadata"]["name"] == name)
exec(os.environ["EDIT"])
for p, ds in files.items():
    yaml.safe_dump_all(ds, open(p, "w"))
PY
  if python3 tests/scripts/lib/terraform_aws_check.py "$dir/plan.json" "$envdir" "$k8s" \
    "$out/graph/dev.json" >"$work/fixture-$name.log" 2>&1; then
    bad "fixture $name: assertions passed"
  elif grep -q "$want" "$work/fixture-$name.log"; then
    passed=$((passed + 1)); echo "ok: fixture $name ($(grep -m1 "$want" "$work/fixture-$name.log" | cut -c1-120))"
  else
    bad "fixture $name: failed for another reason"; head -3 "$work/fixture-$name.log"
  fi
}
if [ -s "$work/queue" ]; then
  # A database's password: RDS's own secret, found by its instance's tag, read by the ESO role only.
  plan_fixture rds_secret_unconditioned "without the instance tag condition" \
    'p = [r for r in changes("aws_iam_role_policy") if r["change"]["after"].get("name") == "ohmycoins-dev-external-secrets"][0]["change"]["after"]; p["policy"] = p["policy"].replace("\"StringEquals\"", "\"StringLike\"")'
  plan_fixture rds_instance_missing "which the plan does not create" \
    'd = changes("aws_db_instance")[0]["change"]["after"]; d["identifier"] = d["identifier"] + "-other"'
  k8s_fixture rds_wrong_account "the tfvars' is" \
    'f = es("main-connection")["spec"]["dataFrom"][0]["find"]["tags"]; f["aws:rds:primaryDBInstanceArn"] = f["aws:rds:primaryDBInstanceArn"].replace(":000000000000:", ":111111111111:")'
  k8s_fixture rds_template_unfetched "which is not fetched" \
    'es("main-connection")["spec"]["data"] = [x for x in es("main-connection")["spec"]["data"] if x["secretKey"] != "host"]'
  k8s_fixture rds_found_by_name "not by the RDS instance tag alone" \
    'es("main-connection")["spec"]["dataFrom"][0]["find"] = {"name": {"regexp": "^rds!db-"}}'
  plan_fixture plan_trusts_environment "not exactly the repository's pull requests" \
    'r = role("ohmycoins-dev-plan"); r["assume_role_policy"] = r["assume_role_policy"].replace(":pull_request", ":environment:dev")'
  plan_fixture plan_role_missing "no plan role" \
    'plan["resource_changes"] = [r for r in plan["resource_changes"] if r["change"]["after"] is None or r["change"]["after"].get("name") != "ohmycoins-dev-plan"]'
  plan_fixture plan_admin_attached "not ReadOnlyAccess alone" \
    'a = [r for r in changes("aws_iam_role_policy_attachment") if r["change"]["after"].get("role") == "ohmycoins-dev-plan"][0]; a["change"]["after"]["policy_arn"] = "arn:aws:iam::aws:policy/AdministratorAccess"'
  plan_fixture plan_writes_state "beyond the state's reads" \
    'p = [r for r in changes("aws_iam_role_policy") if r["change"]["after"].get("name") == "ohmycoins-dev-plan"][0]["change"]["after"]; p["policy"] = p["policy"].replace("\"s3:GetObject\"", "\"s3:PutObject\"")'
  plan_fixture plan_reads_secrets "secret values not denied" \
    'p = [r for r in changes("aws_iam_role_policy") if r["change"]["after"].get("name") == "ohmycoins-dev-plan"][0]["change"]["after"]; p["policy"] = p["policy"].replace("\"Deny\"", "\"Allow\"", 1)'
  plan_fixture plan_reads_objects "other than the state not denied" \
    'p = [r for r in changes("aws_iam_role_policy") if r["change"]["after"].get("name") == "ohmycoins-dev-plan"][0]["change"]["after"]; p["policy"] = p["policy"].replace("\"NotResource\"", "\"Resource\"")'
fi
echo "terraform_aws: $passed environments and broken fixtures passed, $failed failed ($((SECONDS - start)) s)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
