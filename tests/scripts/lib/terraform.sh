# Sourced (not run) by the tests/scripts/*.sh that run terraform on emitted modules, offline:
# the AWS provider comes from the mirror on the machine image, credentials are mock, nothing
# calls AWS. Every function prints what went wrong (bounded) and returns non-zero; the caller
# counts it (`tf_plan "$dir" && ok || bad "plan $dir"`). A missing terraform or mirror is a
# failure, never a skip.
#
#   tf_setup BUILD_DIR       once: checks terraform, finds the mirror, writes the CLI config and
#                            the shared cache under BUILD_DIR/terraform/
#   tf_aws_mirror            prints the plugin directory that holds hashicorp/aws (searched)
#   tf_init DIR              terraform init -backend=false -plugin-dir=<mirror>
#   tf_validate DIR          terraform validate -json: errors and warnings printed; fails on
#                            either (TF_ALLOW_WARNINGS=1 lets warnings pass)
#   tf_mock_provider DIR [REGION]
#                            writes DIR/platc_mock_override.tf: every provider "aws" block of the
#                            module (the default and each alias) gets mock keys and the skip
#                            flags (an override file, so the module stays as emitted); a module
#                            without one gets a provider "aws" in REGION (default eu-west-1)
#   tf_plan DIR              terraform plan -refresh=false -out=DIR/plan.tfplan, then
#                            terraform show -json of it into DIR/plan.json
#   tf_check_module DIR [REGION]
#                            all of the above in order
#   tf_fmt_check DIR         terraform fmt -check -diff -recursive: no file may change
#
# Environment it sets: TF_CLI_CONFIG_FILE (its own, empty: no ~/.terraformrc, no network
# mirrors), CHECKPOINT_DISABLE, TF_IN_AUTOMATION, and AWS_* so that no real credentials, profile
# or instance metadata can be picked up.

tf_timeout=${TF_TIMEOUT:-300}
tf_max_output=${TF_MAX_OUTPUT:-4000}  # bytes of terraform's output printed on a failure

# Where the mirror may be: $PLATC_TF_PLUGIN_DIR first, then the machine image's and terraform's
# usual implied plugin directories.
tf_aws_mirror() {
  local d
  for d in ${PLATC_TF_PLUGIN_DIR:-} /opt/tf-plugins /usr/local/share/terraform/plugins /usr/share/terraform/plugins \
    "${XDG_DATA_HOME:-$HOME/.local/share}/terraform/plugins" "$HOME/.terraform.d/plugins"; do
    [ -n "$d" ] || continue
    if compgen -G "$d/registry.terraform.io/hashicorp/aws/*/*_*/terraform-provider-aws_*" >/dev/null; then
      echo "$d"
      return 0
    fi
  done
  echo "terraform: no AWS provider mirror (registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/) in" \
    "\$PLATC_TF_PLUGIN_DIR, /opt/tf-plugins, /usr/local/share/terraform/plugins, /usr/share/terraform/plugins," \
    "~/.local/share/terraform/plugins or ~/.terraform.d/plugins" >&2
  return 1
}

tf_setup() {
  local build=$1
  if ! command -v terraform >/dev/null; then
    echo "terraform: not found on PATH (the machine image has it at /usr/local/bin/terraform)" >&2
    return 1
  fi
  tf_mirror=$(tf_aws_mirror) || return 1
  tf_home=$(mkdir -p "$build/terraform" && cd "$build/terraform" && pwd) || return 1
  : >"$tf_home/terraformrc"
  export TF_CLI_CONFIG_FILE=$tf_home/terraformrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
  export AWS_ACCESS_KEY_ID=mock AWS_SECRET_ACCESS_KEY=mock AWS_EC2_METADATA_DISABLED=true
  export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null
  unset AWS_PROFILE AWS_SESSION_TOKEN
  return 0
}

# Runs terraform in DIR with a time limit, output to DIR/LOG; on failure prints its end.
tf_run() {
  local dir=$1 log=$2
  shift 2
  timeout "$tf_timeout" terraform -chdir="$dir" "$@" >"$dir/$log" 2>&1
  local rc=$?
  [ "$rc" -eq 0 ] && return 0
  echo "terraform $1 in $dir failed (exit $rc):" >&2
  tail -c "$tf_max_output" "$dir/$log" >&2
  return 1
}

# The first init hashes the 700 MB provider for the lock file (seconds); the lock is kept in the
# shared cache and reused, so later inits only check it.
tf_init() {
  local dir=$1 lock=$tf_home/aws.terraform.lock.hcl
  [ -n "${tf_mirror:-}" ] || { echo "terraform: tf_setup was not called" >&2; return 1; }
  if [ -f "$lock" ] && [ ! -f "$dir/.terraform.lock.hcl" ]; then cp "$lock" "$dir/.terraform.lock.hcl"; fi
  if ! tf_run "$dir" init.log init -backend=false -input=false -no-color -plugin-dir="$tf_mirror" 2>/dev/null; then
    rm -f "$dir/.terraform.lock.hcl"  # a cached lock that does not fit this module: once more without
    tf_run "$dir" init.log init -backend=false -input=false -no-color -plugin-dir="$tf_mirror" || return 1
  fi
  [ -f "$lock" ] || { cp "$dir/.terraform.lock.hcl" "$lock.$$" && mv "$lock.$$" "$lock"; } 2>/dev/null
  return 0
}

tf_validate() {
  local dir=$1
  timeout "$tf_timeout" terraform -chdir="$dir" validate -json -no-color >"$dir/validate.json" 2>"$dir/validate.err"
  python3 - "$dir/validate.json" "$dir/validate.err" "${TF_ALLOW_WARNINGS:-0}" "$tf_max_output" <<'EOF'
import json, sys
path, err, allow_warnings, limit = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
try:
    v = json.load(open(path))
except Exception as e:
    print(f"terraform validate printed no JSON ({e}):", open(err).read()[:limit], file=sys.stderr)
    sys.exit(1)
lines = []
for d in v.get("diagnostics", []):
    r = d.get("range") or {}
    where = f'{r.get("filename", "?")}:{r.get("start", {}).get("line", "?")}' if r else "-"
    lines.append(f'{d.get("severity")}: {where}: {d.get("summary")}: {d.get("detail", "")}'.strip())
text = "\n".join(lines)
if len(text) > limit:
    text = text[:limit] + f"\n... ({len(lines)} diagnostics)"
if text:
    print(text, file=sys.stderr)
bad = not v.get("valid") or v.get("error_count", 0) > 0 or (v.get("warning_count", 0) > 0 and not allow_warnings)
sys.exit(1 if bad else 0)
EOF
}

# One mock block per provider "aws" configuration of the module (the default and each alias,
# read from the writer's canonical layout): an override file merges into each by name and alias.
# A module with no provider "aws" block gets a plain provider block instead.
tf_mock_provider() {
  local dir=$1 region=${2:-eu-west-1}
  python3 - "$dir" "$region" <<'EOF'
import glob, os, re, sys
d, region = sys.argv[1], sys.argv[2]
aliases = []
for path in sorted(glob.glob(os.path.join(d, "*.tf"))):
    if path.endswith("_override.tf") or os.path.basename(path).startswith("platc_mock_"):
        continue
    text = open(path, encoding="utf-8").read()
    for block in re.finditer(r'(?ms)^provider "aws" \{\n(.*?)^\}', text):
        m = re.search(r'(?m)^  alias += "([^"]+)"', block.group(1))
        aliases.append(m.group(1) if m else None)
out = ["# Written by tests/scripts/lib/terraform.sh: plan offline with mock credentials."]
for alias in aliases or [None]:
    out.append('provider "aws" {')
    if alias:
        out += [f'  alias = "{alias}"', ""]
    if not aliases:
        out.append(f'  region = "{region}"')
    out += ['  access_key                  = "mock"', '  secret_key                  = "mock"',
            "  skip_credentials_validation = true", "  skip_requesting_account_id  = true",
            "  skip_metadata_api_check     = true", "  skip_region_validation      = true", "}"]
name = "platc_mock_override.tf" if aliases else "platc_mock_provider.tf"
open(os.path.join(d, name), "w").write("\n".join(out) + "\n")
EOF
}

tf_plan() {
  local dir=$1
  tf_run "$dir" plan.log plan -refresh=false -input=false -lock=false -no-color -out=plan.tfplan || return 1
  if ! timeout "$tf_timeout" terraform -chdir="$dir" show -json plan.tfplan >"$dir/plan.json" 2>"$dir/show.err"; then
    echo "terraform show -json in $dir failed:" >&2
    head -c "$tf_max_output" "$dir/show.err" >&2
    return 1
  fi
  return 0
}

tf_check_module() {
  local dir=$1 region=${2:-eu-west-1}
  tf_init "$dir" && tf_validate "$dir" && tf_mock_provider "$dir" "$region" && tf_plan "$dir"
}

tf_fmt_check() {
  local dir=$1 out
  out=$(timeout "$tf_timeout" terraform fmt -check -diff -recursive -no-color "$dir" 2>&1)
  local rc=$?
  if [ "$rc" -eq 0 ] && [ -z "$out" ]; then return 0; fi
  echo "terraform fmt -check $dir (exit $rc):" >&2
  printf '%s\n' "$out" | head -c "$tf_max_output" >&2
  return 1
}
