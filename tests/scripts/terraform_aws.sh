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
# Broken fixtures: each assertion on the pull-request plan role (on ohmycoins/dev) and on the CDN
# of a bucket (on federated/dev) fails on a copy of that environment's plan changed for its reason
# (no terraform run: the plan JSON is edited; MODULE-EDIT edits a copy of the module's .tf files,
# `tf` is a dict of file name to text, `../README.md` the tree's README, for what only the text shows).
plan_fixture() {  # [--on EXAMPLE/ENV] NAME EXPECTED-MESSAGE PYTHON-EDIT [MODULE-EDIT]
  local on=ohmycoins/dev
  if [ "$1" = --on ]; then on=$2; shift 2; fi
  local name=$1 want=$2 edit=$3 medit=${4:-} line dir envdir out env=${on#*/}
  line=$(grep "^$on " "$work/queue") || { bad "fixture $name: $on was not planned"; return; }
  read -r _ dir envdir out <<<"$line"
  [ -f "$dir/plan.json" ] || { bad "fixture $name: no plan of $on"; return; }
  local mod=$work/fixture-$name/$env/
  rm -rf "$work/fixture-$name" && mkdir -p "$mod" && cp "$envdir"*.tf "$mod" && cp "$envdir../README.md" "$mod.."
  EDIT=$edit MEDIT=$medit python3 - "$dir/plan.json" "$work/fixture-$name.json" "$mod" <<'PY' || { bad "fixture $name: edit failed"; return; }
import glob, json, os, sys
plan = json.load(open(sys.argv[1]))
def role(name):
    return next(r["change"]["after"] for r in plan["resource_changes"]
                if r["type"] == "aws_iam_role" and r["change"]["after"].get("name") == name)
def changes(rtype):
    return [r for r in plan["resource_changes"] if r["type"] == rtype]
def change(address):
    return next(r["change"] for r in plan["resource_changes"] if r["address"] == address)
exec(os.environ["EDIT"])
json.dump(plan, open(sys.argv[2], "w"))
tf = {os.path.basename(p): open(p).read() for p in glob.glob(os.path.join(sys.argv[3], "*.tf"))}
tf["../README.md"] = open(os.path.join(sys.argv[3], "../README.md")).read()
before = dict(tf)
exec(os.environ["MEDIT"])
if tf == before and os.environ["MEDIT"]:
    sys.exit("the module edit changed nothing")
for k, v in tf.items():
    open(os.path.join(sys.argv[3], k), "w").write(v)
PY
  if python3 tests/scripts/lib/terraform_aws_check.py "$work/fixture-$name.json" "$mod" \
    "$out/kubernetes/$env" "$out/graph/$env.json" >"$work/fixture-$name.log" 2>&1; then
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
  plan_fixture secret_rotation_dropped "has rotation tag None" \
    'for r in changes("aws_secretsmanager_secret"): r["change"]["after"]["tags"].pop("rotation", None)'
  plan_fixture cache_token_in_entry "holds the AUTH token of cache sessions" \
    'changes("aws_secretsmanager_secret_version")[0]["change"]["after"]["secret_string"] = plan["variables"]["cache_auth_tokens"]["value"]["sessions"]'
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
if [ -s "$work/queue" ]; then
  # The CDN of federated's bucket `media` (files.dev.social.example).
  plan_fixture --on federated/dev cdn_missing "no CloudFront distribution serves it" \
    'plan["resource_changes"] = [r for r in plan["resource_changes"] if r["type"] != "aws_cloudfront_distribution"]'
  plan_fixture --on federated/dev cdn_bucket_public "public access not blocked" \
    'change("aws_s3_bucket_public_access_block.media")["after"]["block_public_policy"] = False'
  plan_fixture --on federated/dev cdn_policy_any_distribution "admits someone other than its distribution" '' \
    'tf["storage.tf"] = tf["storage.tf"].replace("\"AWS:SourceArn\" = aws_cloudfront_distribution.media.arn", "\"AWS:SourceAccount\" = var.account_id")'
  plan_fixture --on federated/dev cdn_policy_everyone "admits someone other than its distribution" '' \
    'tf["storage.tf"] = tf["storage.tf"].replace("Service = \"cloudfront.amazonaws.com\"", "AWS = \"*\"")'
  plan_fixture --on federated/dev cdn_origin_identity "not read through origin access control" \
    'change("aws_cloudfront_distribution.media")["after"]["origin"][0]["s3_origin_config"] = [{"origin_access_identity": "origin-access-identity/cloudfront/E1"}]'
  plan_fixture --on federated/dev cdn_no_oac "has no origin access control" \
    'c = change("aws_cloudfront_distribution.media"); c["after_unknown"]["origin"][0].pop("origin_access_control_id")'
  plan_fixture --on federated/dev cdn_plain_http "plain HTTP is served" \
    'change("aws_cloudfront_distribution.media")["after"]["default_cache_behavior"][0]["viewer_protocol_policy"] = "allow-all"'
  plan_fixture --on federated/dev cdn_cert_region "is not in us-east-1" \
    'next(r for r in plan["configuration"]["root_module"]["resources"] if r["address"] == "aws_acm_certificate.cdn_media")["provider_config_key"] = "aws"'
  plan_fixture --on federated/dev cdn_no_record "not A and AAAA" \
    'plan["resource_changes"] = [r for r in plan["resource_changes"] if r["address"] != "aws_route53_record.cdn_media_aaaa"]'
  plan_fixture --on federated/dev cdn_key_closed "does not let aws_cloudfront_distribution.media decrypt" \
    'plan["resource_changes"] = [r for r in plan["resource_changes"] if r["type"] != "aws_kms_key_policy"]'
fi
if [ -s "$work/queue" ]; then
  # The topics of eventdriven, which MSK holds but the AWS provider cannot create.
  plan_fixture --on eventdriven/staging msk_too_few_brokers "cannot hold topic" \
    'change("aws_msk_cluster.main")["after"]["number_of_broker_nodes"] = 2'
  plan_fixture --on eventdriven/staging topic_command_missing "README has no command that creates topic task_created" '' \
    'tf["../README.md"] = "\n".join(l for l in tf["../README.md"].split("\n") if "--topic task_created " not in l)'
  plan_fixture --on eventdriven/staging topic_command_wrong "README has no command that creates topic user_registered" '' \
    'tf["../README.md"] = tf["../README.md"].replace("retention.ms=2592000000", "retention.ms=604800000")'
fi
echo "terraform_aws: $passed environments and broken fixtures passed, $failed failed ($((SECONDS - start)) s)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
