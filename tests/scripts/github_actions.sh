#!/usr/bin/env bash
# The GitHub Actions workflows platc writes (issue 17), for every example (every target of the
# multi-cloud ones):
#   1. GitHub's own parser, npm @actions/workflow-parser (parseWorkflow, convertWorkflowTemplate):
#      any error or warning fails; and the security assertions (tests/conformance/validate-workflows.mjs)
#   2. every `run:` script, expressions replaced by a placeholder, passes shellcheck
#   3. agreement with the other artifacts of the same tree (tests/scripts/lib/github_actions_agree.py)
#   4. every check above fails on a broken copy of the flagship's workflows
# Usage: tests/scripts/github_actions.sh PATH/TO/platc
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
conf=$root/tests/conformance
suite=github_actions
. "$(dirname "$0")/lib/suite.sh"

for tool in node npm shellcheck python3; do
  command -v "$tool" >/dev/null || { bad "$tool is needed (scripts/install-deps installs it)"; finish; }
done
. "$root/tests/scripts/lib/npm.sh"
conformance_modules || { bad "npm ci in tests/conformance"; tail -20 "$work/npm.log"; finish; }

validate() { (cd "$conf" && node --import ./json-loader.mjs validate-workflows.mjs "$@"); }
agree() { python3 "$root/tests/scripts/lib/github_actions_agree.py" "$1"; }
lint_scripts() {  # DIR: shellcheck every script in it
  local rc=0 f
  for f in "$1"/*.sh; do
    [ -e "$f" ] || continue
    shellcheck -S style "$f" >>"$work/shellcheck.log" 2>&1 || rc=1
  done
  return $rc
}

# 1-3. Every example.
trees=()
for ex in "$root"/examples/*/; do
  name=$(basename "$ex")
  targets=$(sed -n 's/^ *targets *= *\[\(.*\)\].*/\1/p' "$ex"/platform.plat | tr -d ' ' | tr ',' ' ')
  for t in $targets; do
    out=$work/out/$name-$t
    if "$platc" build "$ex" --target "$t" --out "$out" >"$work/build.log" 2>&1; then trees+=("$out"); else
      bad "platc build examples/$name --target $t"; head -5 "$work/build.log"; fi
  done
done
# The golden inputs of tests/golden/github/ (every trigger, GCP, Azure, a platform without a pipeline).
for f in "$root"/tests/golden/github/*.plat; do
  out=$work/out/golden-$(basename "$f" .plat)
  if "$platc" build "$f" --out "$out" --emit github >"$work/build.log" 2>&1; then trees+=("$out"); else
    bad "platc build $f"; head -5 "$work/build.log"; fi
done
workflows=()
for t in "${trees[@]}"; do
  for f in "$t"/.github/workflows/*.yml; do [ -e "$f" ] && workflows+=("$f"); done
done
[ ${#workflows[@]} -ge ${#trees[@]} ] && ok || bad "fewer workflows (${#workflows[@]}) than trees (${#trees[@]})"
if validate --scripts "$work/scripts" "${workflows[@]}" >"$work/validate.log" 2>&1; then ok; else
  bad "workflow parser and security checks"; head -40 "$work/validate.log"; fi
n=$(ls "$work/scripts" 2>/dev/null | wc -l)
[ "$n" -gt 0 ] && ok || bad "no run: scripts extracted"
if lint_scripts "$work/scripts"; then ok; else bad "shellcheck of the run: scripts"; head -40 "$work/shellcheck.log"; fi
delivered=0
for t in "${trees[@]}"; do
  [ -e "$t/.github/workflows/platc-delivery.yml" ] && [ -d "$t/kubernetes" ] || continue
  delivered=$((delivered + 1))
  if agree "$t" >"$work/agree.log" 2>&1; then ok; else bad "agreement: $(basename "$t")"; head -20 "$work/agree.log"; fi
done
[ "$delivered" -ge 5 ] && ok || bad "only $delivered trees have a delivery workflow"

# The flagship: images built, dev -> staging -> production, approval on production, rollback.
flag=$work/out/ohmycoins-aws/.github/workflows/platc-delivery.yml
python3 - "$flag" >"$work/flagship.log" 2>&1 <<'PY' && ok || { bad "flagship pipeline shape"; cat "$work/flagship.log"; }
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
jobs = wf["jobs"]
builds = sorted(k for k in jobs if k.startswith("build-"))
assert builds == ["build-agents", "build-backend", "build-collectors", "build-frontend"], builds
deploys = [k for k in jobs if k.startswith("deploy-")]
assert deploys == ["deploy-dev", "deploy-staging", "deploy-production"], deploys
assert [jobs[k]["environment"]["name"] for k in deploys] == ["dev", "staging", "production"]
assert jobs["deploy-production"]["needs"] == ["deploy-staging"]
for k in deploys:
    names = [s["name"] for s in jobs[k]["steps"]]
    assert any(n.startswith("Roll back") for n in names), (k, names)
    assert any("helm upgrade --install" in s.get("run", "") and "--atomic" in s.get("run", "") for s in jobs[k]["steps"])
readme = open(sys.argv[1].replace("platc-delivery.yml", "README.md")).read()
assert "| `production` | **on**" in readme, "production's required reviewers are not documented"
plans = [k for k in jobs if k.startswith("plan-")]
assert plans == ["plan-dev", "plan-staging", "plan-production"], plans
for k in plans:
    assert "environment" not in jobs[k] and "pull-requests" in jobs[k]["permissions"], k
assert "`AWS_ACCOUNT_ID_PRODUCTION`" in readme and "`ohmycoins-production-plan`" in readme, "the plan's variables are not documented"
PY

# 4. Broken fixtures: each check must fail on a copy broken for its reason.
broken() {  # NAME CHECK-TAG PYTHON-EDIT: edit a copy of the flagship tree (or $TREE), expect CHECK-TAG to fail
  local name=$1 tag=$2 edit=$3 dir=$work/broken/$1
  rm -rf "$dir"; mkdir -p "$dir"; cp -r "$work/out/${TREE:-ohmycoins-aws}/." "$dir/"
  EDIT=$edit python3 - "$dir/.github/workflows/platc-delivery.yml" "$dir" <<'PY' || { bad "fixture $name: edit failed"; return; }
import os, re, sys
p, tree = sys.argv[1], sys.argv[2]
s = open(p).read()
before = s
exec(os.environ["EDIT"])
if s == before and "tree" not in os.environ["EDIT"]:
    sys.exit("the edit changed nothing")
open(p, "w").write(s)
PY
  local log=$work/broken/$name.log
  case $tag in
    shellcheck) validate --scripts "$dir/scripts" "$dir/.github/workflows/platc-delivery.yml" >/dev/null 2>&1
                if lint_scripts "$dir/scripts"; then bad "fixture $name: shellcheck passed"; else ok; fi ;;
    agree-*)    if agree "$dir" >"$log" 2>&1; then bad "fixture $name: agreement passed"
                elif grep -q "\[${tag#agree-}\]" "$log"; then ok; grep -m1 "\[${tag#agree-}\]" "$log" | sed "s|^[^[]*\[|  $name: [|" | cut -c1-160; else bad "fixture $name: failed for another reason"; head -5 "$log"; fi ;;
    *)          if validate "$dir/.github/workflows/platc-delivery.yml" >"$log" 2>&1; then bad "fixture $name: validator passed"
                elif grep -q "\[$tag\]" "$log"; then ok; grep -m1 "\[$tag\]" "$log" | sed "s|^[^[]*\[|  $name: [|" | cut -c1-160; else bad "fixture $name: failed for another reason"; head -5 "$log"; fi ;;
  esac
}
broken parser_unknown_key parser 's = s.replace("    runs-on:", "    runs-onn:", 1)'
broken parser_bad_expression parser 's = s.replace("github.event_name != ", "github.event_name !!= ", 1)'
broken top_permissions security 's = s.replace("permissions: {}", "permissions: write-all", 1)'
broken no_timeout security 's = re.sub(r"\n    timeout-minutes: \d+", "", s, count=1)'
broken unpinned security 's = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v7", s, count=1)'
broken expression_in_run security 's = s.replace("set -euo pipefail\n", "set -euo pipefail\n        echo \"${{ github.event.head_commit.message }}\"\n", 1)'
broken pull_request_target security 's = s.replace("\"on\":\n", "\"on\":\n  pull_request_target:\n    branches:\n    - main\n", 1)'
broken idtoken_on_build security 's = s.replace("      security-events: write\n", "      security-events: write\n      id-token: write\n", 1)'
broken deploy_on_pr security 's = re.sub(r"\n    if: [^\n]*pull_request[^\n]*", "", s, count=1)'
broken deploy_cancels security 's = s.replace("cancel-in-progress: false", "cancel-in-progress: true", 1)'
broken sarif_permission security 's = s.replace("    permissions:\n      contents: read\n    steps:", "    permissions:\n      contents: read\n      security-events: write\n    steps:", 1)'
broken no_job_permissions security 's = s.replace("    permissions:\n      contents: read\n    steps:", "    steps:", 1)'
broken login_outside_environment security 's = re.sub(r"    environment:\n      name: dev\n(      url: [^\n]*\n)?", "", s, count=1)'
broken build_not_cancelled security 's = s.replace("cancel-in-progress: true", "cancel-in-progress: false", 1)'
broken unquoted_var shellcheck 's = s.replace("skopeo inspect \"$ref\"", "skopeo inspect $ref", 1)'
broken rds_account_not_set agree-rds-account 's = s.replace("--set-string \"aws.account=$AWS_ACCOUNT_ID\"", "--set-string \"aws.acount=$AWS_ACCOUNT_ID\"", 1)'
broken other_role agree-identity 's = s.replace("role/ohmycoins-dev-deploy", "role/ohmycoins-dev-admin", 1)'
broken wrong_env_trust agree-identity 'import os; f = os.path.join(tree, "terraform/aws/staging/identity.tf"); t = open(f).read(); open(f, "w").write(t.replace(":environment:staging", ":environment:dev"))'
broken image_not_run agree-images 's = s.replace("ohmycoins/agents:$IMAGE_TAG", "ohmycoins/agent:$IMAGE_TAG", 1)'
broken registry_missing agree-registry 'import os; f = os.path.join(tree, "terraform/aws/dev/registry.tf"); t = open(f).read(); open(f, "w").write(t.replace("name                 = \"ohmycoins/frontend\"", "name = \"ohmycoins/web\"").replace("name = \"ohmycoins/frontend\"", "name = \"ohmycoins/web\""))'
broken wrong_release agree-helm 's = s.replace("RELEASE: ohmycoins-dev", "RELEASE: ohmycoins-development", 1)'
broken identities_not_passed agree-workload-identity 's = s.replace("  --values \"$RUNNER_TEMP/identities.json\" \\\n", "", 1)'
broken outputs_not_saved agree-workload-identity 's = s.replace("terraform output -json > \"$RUNNER_TEMP/terraform-outputs.json\"\n", "", 1)'
broken identity_wrong_key agree-workload-identity 's = s.replace("{\"eks.amazonaws.com/role-arn\": .}", "{\"eks.amazonaws.com/role\": .}", 1)'
broken identity_output_other_role agree-workload-identity 'import os; f = os.path.join(tree, "terraform/aws/dev/outputs.tf"); t = open(f).read(); open(f, "w").write(re.sub(r"(frontend +)= aws_iam_role.workload_frontend.arn", r"\1= aws_iam_role.workload_backend.arn", t))'
broken order agree-order 's = s.replace("needs:\n    - deploy-staging", "needs:\n    - deploy-dev", 1)'
# The pull-request plan jobs (the flagship plans dev, staging and production on pull requests).
broken plan_any_event security 's = re.sub(r"(\n  plan-dev:\n(?:    [^\n]*\n|      [^\n]*\n)*?)    if: [^\n]*\n", r"\1", s, count=1)'
broken plan_applies security 's = s.replace(" -out=plan.tfplan\n        terraform show", " -out=plan.tfplan\n        terraform apply plan.tfplan\n        terraform show", 1)'
broken plan_as_terraform security 's = s.replace("role/ohmycoins-dev-plan", "role/ohmycoins-dev-terraform", 1)'
broken plan_not_cancelled security 's = re.sub(r"(group: ohmycoins-plan-dev-[^\n]*\n      cancel-in-progress: )true", r"\1false", s, count=1)'
broken plan_reads_secret security 's = s.replace("        PLAN_TEXT: ${{ runner.temp }}/plan.txt\n", "        PLAN_TEXT: ${{ runner.temp }}/plan.txt\n        TOKENS: ${{ secrets.CACHE_AUTH_TOKENS }}\n", 1)'
broken pr_write_on_build security 's = s.replace("      security-events: write\n", "      security-events: write\n      pull-requests: write\n", 1)'
broken plan_missing agree-plan 's = s.replace("\n  plan-staging:\n", "\n  plan-stage:\n", 1)'
broken plan_locks agree-plan 's = s.replace("terraform plan -input=false -lock=false", "terraform plan -input=false", 1)'
broken plan_trusts_environment agree-plan 'import os; f = os.path.join(tree, "terraform/aws/dev/identity.tf"); t = open(f).read(); open(f, "w").write(t.replace(":pull_request\"", ":environment:dev\""))'
broken plan_writes agree-plan 'import os; f = os.path.join(tree, "terraform/aws/dev/identity.tf"); t = open(f).read(); open(f, "w").write(t.replace("Action   = [\"s3:GetObject\"]", "Action   = [\"s3:GetObject\", \"s3:PutObject\"]"))'
TREE=eventdriven-gcp broken plan_gcp_editor agree-plan 'import os; f = os.path.join(tree, "terraform/gcp/staging/identity.tf"); t = open(f).read(); open(f, "w").write(t.replace("\"roles/viewer\"", "\"roles/editor\""))'
TREE=eventdriven-azure broken plan_azure_contributor agree-plan 'import os; f = os.path.join(tree, "terraform/azure/staging/identity.tf"); t = open(f).read(); open(f, "w").write(t.replace("role_definition_name = \"Reader\"", "role_definition_name = \"Contributor\""))'
broken plan_admin agree-plan 'import os; f = os.path.join(tree, "terraform/aws/dev/identity.tf"); t = open(f).read(); open(f, "w").write(t.replace("policy/ReadOnlyAccess", "policy/AdministratorAccess"))'
finish
