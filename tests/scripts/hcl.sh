#!/usr/bin/env bash
# The HCL writer (backends/emit/hcl_writer.h) against terraform itself, offline:
#  1. the unit-test binary writes the corpus of tests/unit/hcl_corpus.h (every construct, every
#     hostile string in every position: quoted, heredoc, template, object key, tuple item,
#     comment; a variables file; 300 random files nesting every construct in every other; a
#     small AWS module) and every expected text of
#     tests/unit/hcl_writer_test.cpp (unit/) into a directory;
#  2. `terraform fmt -check -diff` leaves every file unchanged (byte-identical to fmt's output);
#  3. the round trip: `terraform apply` of the provider-less roundtrip/ module (no init, no
#     provider, local state in the scratch directory) and `terraform output -json` give back
#     every hostile string byte for byte (roundtrip.json);
#  4. the harness of tests/scripts/lib/terraform.sh on aws/: init against the provider mirror,
#     validate, a plan with mock credentials, and assertions over `terraform show -json`;
#  5. the checkers can fail: a misaligned `=` fails fmt -check, a changed string fails the round
#     trip, an error or a warning alone fails validate.
# A missing terraform or provider mirror fails the test; it never skips.
# Usage: tests/scripts/hcl.sh PATH/TO/platc   (the unit-test binary is taken from beside it)
set -uo pipefail
build=$(cd "$(dirname "$1")" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
suite=hcl
. "$(dirname "$0")/lib/suite.sh"
. "$(dirname "$0")/lib/terraform.sh"

tf_setup "$build" && ok || { bad "terraform harness setup"; finish; }
units=$build/platc_unit_tests
[ -x "$units" ] || { bad "no $units (build the unit tests)"; finish; }

# 1. The corpus.
out=$work/hcl
if PLATC_HCL_OUT=$out "$units" -tc='hcl*' >"$work/units.log" 2>&1 && [ -f "$out/constructs.tf" ] &&
  [ -f "$out/unit/sample040.tf" ]; then ok
else bad "writing the corpus"; tail -c 2000 "$work/units.log"; finish; fi

# 2. terraform fmt changes nothing.
tf_fmt_check "$out" && ok || bad "terraform fmt would change the writer's output"

# 3. The round trip.
compare() {  # compare OUTPUT.json EXPECTED.json
  python3 - "$1" "$2" <<'EOF'
import json, sys, unicodedata
from decimal import Decimal
# Terraform keeps every string in Unicode normalization form C (cty normalizes each value, so no
# escape can avoid it): "e\u0301" reads back as "\u00e9". The writer's bytes are exact; the
# comparison is with the NFC form of what was written.
def nfc(v):
    if isinstance(v, dict) and list(v) == ["$number"]:
        return Decimal(v["$number"])
    if isinstance(v, str):
        return unicodedata.normalize("NFC", v)
    if isinstance(v, list):
        return [nfc(x) for x in v]
    if isinstance(v, dict):
        return {nfc(k): nfc(x) for k, x in v.items()}
    return v
got = {k: v["value"] for k, v in json.load(open(sys.argv[1]), parse_float=Decimal, parse_int=Decimal).items()}
want = nfc(json.load(open(sys.argv[2])))
problems = [f"{k}: got {got.get(k, '<missing>')!r:.300}, wanted {want[k]!r:.300}" for k in want if got.get(k) != want[k]]
problems += [f"{k}: not expected" for k in got if k not in want]
for p in problems[:20]:
    print(p)
if len(problems) > 20:
    print(f"... {len(problems)} in all")
print(f"{len(want)} outputs compared", file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
}
rt=$out/roundtrip
if tf_run "$rt" apply.log apply -auto-approve -input=false -lock=false -no-color &&
  timeout "$tf_timeout" terraform -chdir="$rt" output -json >"$work/outputs.json" 2>"$work/output.err"; then
  compare "$work/outputs.json" "$out/roundtrip.json" 2>"$work/compare.err" && ok ||
    bad "round trip: terraform read back other strings than were written"
  cat "$work/compare.err"
else
  bad "terraform apply / output of the round-trip module"
fi

# 4. The harness on a small AWS module: init, validate, plan offline, and what the plan says.
aws=$out/aws
if tf_check_module "$aws" eu-west-1; then
  ok
  python3 - "$aws/plan.json" <<'EOF' && ok || bad "aws plan: unexpected content"
import json, sys
plan = json.load(open(sys.argv[1]))
changes = {c["address"]: c for c in plan["resource_changes"]}
problems = []
want = ["aws_s3_bucket.assets", "aws_s3_bucket.replica", "aws_s3_bucket_policy.assets",
        "aws_s3_bucket_public_access_block.assets"]
if sorted(changes) != want:
    problems.append(f"resources {sorted(changes)}, wanted {want}")
for a, c in changes.items():
    if c["change"]["actions"] != ["create"]:
        problems.append(f"{a}: actions {c['change']['actions']}")
bucket = changes.get("aws_s3_bucket.assets", {}).get("change", {}).get("after", {})
if bucket.get("tags_all") != {"platform": "shop", "environment": "dev"}:
    problems.append(f"bucket tags_all {bucket.get('tags_all')}")
regions = {p.get("expressions", {}).get("region", {}).get("constant_value", "var")
           for p in plan["configuration"]["provider_config"].values()}
if regions != {"var", "us-east-1"}:
    problems.append(f"provider regions {regions}")
pab = changes.get("aws_s3_bucket_public_access_block.assets", {}).get("change", {}).get("after", {})
for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
    if pab.get(k) is not True:
        problems.append(f"public access block {k} = {pab.get(k)}")
# The policy's value is unknown until the bucket exists; its expression must reference the ARN.
res = {r["address"]: r for r in plan["configuration"]["root_module"]["resources"]}
refs = res.get("aws_s3_bucket_policy.assets", {}).get("expressions", {}).get("policy", {}).get("references", [])
if "aws_s3_bucket.assets.arn" not in refs:
    problems.append(f"policy references {refs}")
if res.get("aws_s3_bucket.replica", {}).get("provider_config_key") != "aws.us_east_1":
    problems.append(f"replica's provider {res.get('aws_s3_bucket.replica', {}).get('provider_config_key')}")
for p in problems:
    print("aws plan:", p)
sys.exit(1 if problems else 0)
EOF
else
  bad "terraform init/validate/plan of the AWS module"
fi

# 5. The checkers can fail: fmt on a misaligned `=`, the round trip on a changed string, validate
#    on an error and on a warning alone (a deprecated argument), each said with its place.
for case in error warning; do
  if [ "$case" = error ]; then extra='resource "aws_s3_bucket" "broken" {
  no_such_argument = true
}'
  else extra='resource "aws_s3_bucket" "deprecated" {
  acl = "private"
}'
  fi
  printf '%s\n' "$extra" >"$aws/zz_broken.tf"
  if tf_validate "$aws" 2>"$work/validate-$case.err"; then bad "validate accepted a module with an $case"
  elif grep -q "^$case: zz_broken.tf:2" "$work/validate-$case.err"; then ok
  else bad "validate failed on the $case but did not say where"; head -c 1000 "$work/validate-$case.err"; fi
  rm -f "$aws/zz_broken.tf"
done

mkdir -p "$work/broken"
python3 - "$out/constructs.tf" "$work/broken/constructs.tf" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(re.sub(r"(?m)^( +\w+)  +=", r"\1 =", text, count=1))
EOF
if cmp -s "$out/constructs.tf" "$work/broken/constructs.tf"; then bad "could not misalign constructs.tf"
elif tf_fmt_check "$work/broken" 2>/dev/null; then bad "fmt -check accepted a misaligned ="
else ok; fi
python3 - "$out/roundtrip.json" "$work/wrong.json" <<'EOF'
import json, sys
want = json.load(open(sys.argv[1]))
want["quoted_2"] = want["quoted_2"] + "x"
json.dump(want, open(sys.argv[2], "w"))
EOF
if [ -s "$work/outputs.json" ] && ! compare "$work/outputs.json" "$work/wrong.json" >/dev/null 2>&1; then ok
else bad "the round-trip comparison accepted a changed string"; fi

finish
