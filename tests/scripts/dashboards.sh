#!/usr/bin/env bash
# Validates the Grafana dashboards and the PromQL platc writes, offline, with Grafana's and
# Prometheus' own packages (tests/conformance/validate-dashboards.mjs: @grafana/schema types under
# TypeScript, @prometheus-io/lezer-promql for every expression, grid and datasource checks).
#  1. the validator rejects broken copies of a real dashboard, each for its reason;
#  2. every example, for each of its targets, and the feature test platforms.
# Usage: tests/scripts/dashboards.sh PATH/TO/platc
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
conf=$root/tests/conformance
suite=dashboards
. "$(dirname "$0")/lib/suite.sh"

command -v node >/dev/null && command -v npm >/dev/null || { bad "node and npm are needed (scripts/install-deps)"; finish; }
python3 -c 'import yaml' 2>/dev/null || { bad "python3-yaml is needed (scripts/install-deps)"; finish; }
. "$root/tests/scripts/lib/npm.sh"
conformance_modules || { bad "npm ci in tests/conformance"; tail -20 "$work/npm.log"; finish; }

# Every example for every target it names, plus the golden platforms with dashboards.
dirs=()
for ex in "$root"/examples/*/ "$root"/tests/golden/build/*.platdir/; do
  name=$(basename "$ex")
  case "$name" in fail_*) continue ;; esac
  targets=$(sed -n 's/^ *targets *= *\[\(.*\)\].*/\1/p' "$ex"/*.plat 2>/dev/null | head -1 | tr -d ' ' | tr ',' ' ')
  for t in ${targets:-""}; do
    out=$work/out/$name-${t:-default}
    if "$platc" build "$ex" ${t:+--target "$t"} --out "$out" >"$work/build.log" 2>&1; then
      dirs+=("$out/kubernetes")
    else
      bad "platc build $name --target $t"; head -5 "$work/build.log"
    fi
  done
done
if node "$conf/validate-dashboards.mjs" "${dirs[@]}" >"$work/validate.log" 2>&1; then ok
else bad "dashboards or PromQL invalid"; head -40 "$work/validate.log"; fi
grep -q "validate-dashboards: [1-9][0-9]* dashboards" "$work/validate.log" && ok || bad "no dashboard was validated"

# The validator can fail: one broken copy of a real dashboard per check.
sample=$(grep -l "grafana_dashboard" "$work"/out/*/kubernetes/*/dashboards.yaml 2>/dev/null | head -1)
cloud=$(grep -l '"cloudwatch"' "$work"/out/*/kubernetes/*/dashboards.yaml 2>/dev/null | head -1)
if [ -z "$sample" ] || [ -z "$cloud" ]; then
  bad "no dashboards.yaml (with a CloudWatch panel) to break"
  finish
fi
break_it() {  # break_it NAME SOURCE CHECK PYTHON-EXPRESSION-ON-d
  local name=$1 src=$2 check=$3 code=$4
  mkdir -p "$work/broken/$name"
  python3 - "$src" "$work/broken/$name/dashboards.yaml" "$code" <<'PY'
import json, sys, yaml
src, dst, code = sys.argv[1:4]
# The first dashboard the change applies to (not every one has, say, a Prometheus panel).
for cm in [d for d in yaml.safe_load_all(open(src)) if d]:
    key = next(iter(cm["data"]))
    d = json.loads(cm["data"][key])
    panels = [p for p in d["panels"] if p["type"] != "row"]
    try:
        exec(code)
    except StopIteration:
        continue
    cm["data"][key] = json.dumps(d, indent=2)
    yaml.safe_dump_all([cm], open(dst, "w"))
    break
else:
    sys.exit(f"no dashboard in {src} to apply {code!r} to")
PY
  node "$conf/validate-dashboards.mjs" "$work/broken/$name" >"$work/broken.log" 2>&1
  local rc=$?
  if [ "$rc" -ne 0 ] && grep -q "\[$check\]" "$work/broken.log"; then ok
  else bad "broken dashboard '$name': exit $rc, wanted a [$check] problem"; head -5 "$work/broken.log"; fi
}
break_it unknown-field "$sample" types 'd["panelz"] = []'
break_it wrong-type "$sample" types 'd["refresh"] = 30'
break_it bad-promql "$sample" promql 'next(p for p in panels if p["datasource"]["type"] == "prometheus")["targets"][0]["expr"] = "sum(rate(x[5m]"'
break_it off-grid "$sample" layout 'panels[0]["gridPos"]["w"] = 30'
break_it unknown-datasource "$sample" layout 'panels[0]["datasource"]["uid"] = "${nope}"'
break_it cloudwatch-field "$cloud" types 'next(p for p in panels if p["datasource"]["type"] == "cloudwatch")["targets"][0]["metricName"] = 5'
finish
