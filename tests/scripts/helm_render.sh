#!/usr/bin/env bash
# Renders platc's Helm charts the way `helm template` does and checks that they are the same
# platform as the plain manifests. Helm cannot be installed from the registries this project
# reaches, so tests/helm-render is a small Go stand-in (text/template + sprig + Helm's functions,
# see tests/helm-render/README.md), built offline from Debian packages into build/helm-render.
#  1. builds the tool (skipped when build/helm-render is newer than its sources) and runs its
#     self-tests: `go test` over a hand-written chart, then the binary itself against the expected
#     renders and the broken charts, which must make it exit non-zero;
#  2. builds every example and, for each helm/<platform>/ chart, renders it with each
#     values-<env>.yaml and requires the same objects as kubernetes/<env>/ (parsed, compared as
#     sorted lists; hooks included, as `helm template` renders them), validates the rendered objects with
#     tests/conformance/validate-k8s.mjs like the plain ones, and validates values.yaml and each
#     values-<env>.yaml laid over it against the chart's values.schema.json with ajv
#     (tests/conformance/validate-values.mjs), after proving that check rejects broken values.
#     Until the Helm backend writes helm/, that part is reported as skipped, not failed.
# Rendering installs the chart the way docs/backends.md says: release name and namespace are both
# the name of the Namespace object in kubernetes/<env>/ (`<platform>-<env>`, the
# app.kubernetes.io/instance label). Override with HELM_RENDER_RELEASE / HELM_RENDER_NAMESPACE.
# Usage: tests/scripts/helm_render.sh PATH/TO/platc
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/tests/helm-render
tool=$root/build/helm-render
suite=helm_render
. "$(dirname "$0")/lib/suite.sh"

if ! command -v go >/dev/null; then
  bad "go is needed (scripts/install-deps installs golang-go and the Go libraries)"
  finish
fi
python3 -c 'import yaml' 2>/dev/null || { bad "python3-yaml is needed (scripts/install-deps)"; finish; }
command -v node >/dev/null && command -v npm >/dev/null || { bad "node and npm are needed (scripts/install-deps)"; finish; }
conf=$root/tests/conformance
. "$root/tests/scripts/lib/npm.sh"
conformance_modules || { bad "npm ci in tests/conformance"; tail -20 "$work/npm.log"; finish; }

# Offline, from Debian's Go sources only: no module proxy, no network.
export GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH=/usr/share/gocode:$root/build/gopath
export GOCACHE=${GOCACHE:-$root/build/go-cache}
mkdir -p "$root/build"

# 1. The tool: build when a source is newer than the binary, then its own tests.
stale=1
if [ -x "$tool" ] && [ -z "$(find "$src" -maxdepth 1 -name '*.go' ! -name '*_test.go' -newer "$tool" -print -quit)" ]; then
  stale=0
fi
if [ "$stale" -eq 1 ]; then
  if (cd "$src" && go build -o "$tool.$$.tmp" .) >"$work/build.log" 2>&1 && mv "$tool.$$.tmp" "$tool"; then ok
  else bad "go build tests/helm-render"; head -30 "$work/build.log"; finish; fi
fi
if (cd "$src" && go test -count=1 .) >"$work/gotest.log" 2>&1; then ok
else bad "go test tests/helm-render"; grep -v '^=== ' "$work/gotest.log" | head -60; fi

# The binary as the scripts use it: expected renders, and a non-zero exit for broken charts.
td=$src/testdata
"$tool" "$td/demo" -f "$td/demo/values-production.yaml" --release shop --namespace shop-prod --notes \
  >"$work/prod.yaml" 2>"$work/err" && diff -u "$td/expected/demo-production.yaml" "$work/prod.yaml" >"$work/diff" \
  && ok || { bad "helm-render demo -f values-production.yaml differs from expected/demo-production.yaml"; head -30 "$work/diff" "$work/err"; }
expect_failure() {  # expect_failure DESCRIPTION MESSAGE -- args...
  local what=$1 msg=$2; shift 3
  "$tool" "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -ne 0 ] && [ ! -s "$work/out" ] && grep -qF -- "$msg" "$work/err"; then ok
  else bad "$what: exit $rc, wanted non-zero with '$msg'"; head -c 600 "$work/err"; echo; fi
}
expect_failure "undefined function" 'function "nosuchfunction" not defined' -- "$td/broken/undefined-function"
expect_failure "env removed like Helm" 'function "env" not defined' -- "$td/broken/env-removed"
expect_failure "fail" 'enabled must be true' -- "$td/broken/fail"
expect_failure "required value missing" 'database.url is required' -- "$td/demo" -f "$td/values-no-database.yaml"
expect_failure "include recursion" 'nested reference name: loop' -- "$td/broken/include-loop"
expect_failure "rendered YAML invalid" 'YAML parse error' -- "$td/broken/bad-yaml"

# 2. Every example's chart against its plain manifests.
compare() {  # compare RENDERED.yaml KUBERNETES_ENV_DIR LABEL
  python3 - "$@" <<'EOF'
import difflib, glob, os, sys, yaml

rendered, envdir, label = sys.argv[1:4]

def key(o):
    md = o.get("metadata") or {}
    return (str(o.get("apiVersion", "")), str(o.get("kind", "")), str(md.get("namespace") or ""), str(md.get("name", "")))

def load(paths):
    objs = []
    for p in paths:
        with open(p) as f:
            for doc in yaml.safe_load_all(f):
                if doc is None:
                    continue
                if not isinstance(doc, dict):
                    sys.exit(f"{label}: {p}: a document is not an object")
                objs.append(doc)
    return sorted(objs, key=key)

plain_files = sorted(p for p in glob.glob(os.path.join(envdir, "*.y*ml"))
                     if os.path.basename(p) not in ("kustomization.yaml", "kustomization.yml", "Kustomization"))
chart = load([rendered])
plain = load(plain_files)
if chart == plain:
    sys.exit(0)
ck, pk = [key(o) for o in chart], [key(o) for o in plain]
for k in sorted(set(pk) - set(ck)):
    print(f"{label}: only in kubernetes/: {'/'.join(x for x in k if x)}")
for k in sorted(set(ck) - set(pk)):
    print(f"{label}: only in the chart: {'/'.join(x for x in k if x)}")
shown = 0
pmap = {key(o): o for o in plain}
for o in chart:
    p = pmap.get(key(o))
    if p is not None and p != o and shown < 3:
        shown += 1
        print(f"{label}: {'/'.join(x for x in key(o) if x)} differs (--- kubernetes/, +++ chart):")
        a = yaml.safe_dump(p, sort_keys=True).splitlines()
        b = yaml.safe_dump(o, sort_keys=True).splitlines()
        for line in list(difflib.unified_diff(a, b, lineterm="", n=2))[2:40]:
            print("   ", line)
if len(ck) != len(set(ck)) or len(pk) != len(set(pk)):
    print(f"{label}: duplicate (apiVersion, kind, namespace, name) among the objects")
sys.exit(1)
EOF
}

build_args=()
"$platc" build --help 2>/dev/null | grep -q -- '--all-envs' && build_args+=(--all-envs)
charts=0
rendered_dirs=()
first_chart=
# Every example for its first target, the multi-cloud example for its other targets, and the
# golden test platform that uses every feature (hooks, rollouts, metrics, Azure identity).
builds=()
for ex in "$root"/examples/*/; do builds+=("examples/$(basename "$ex")|$ex|"); done
builds+=("examples/eventdriven --target gcp|$root/examples/eventdriven|gcp")
builds+=("examples/eventdriven --target azure|$root/examples/eventdriven|azure")
builds+=("examples/boutique --target aws|$root/examples/boutique|aws")
builds+=("examples/boutique --target azure|$root/examples/boutique|azure")
builds+=("examples/federated --target gcp|$root/examples/federated|gcp")
builds+=("examples/federated --target azure|$root/examples/federated|azure")
builds+=("tests/golden/build/ingress.platdir|$root/tests/golden/build/ingress.platdir|")
builds+=("tests/golden/build/features.platdir|$root/tests/golden/build/features.platdir|")
# Values that look like secrets, accepted by waivers: env Secrets, written by the chart's template.
builds+=("tests/golden/build/waived_secrets.platdir|$root/tests/golden/build/waived_secrets.platdir|")
builds+=("tests/golden/kubernetes/service_port_grpc.plat|$root/tests/golden/kubernetes/service_port_grpc.plat|")
builds+=("tests/golden/kubernetes/enabled_per_environment.plat --target gcp|$root/tests/golden/kubernetes/enabled_per_environment.plat|gcp")
# The pod options (issue 11): wait_for, grace, volumes, annotations, the StatefulSet, and the
# database client's CA bundle (issue 12); every target.
for pod in wait_for pod_options stateful database_client sidecar; do
  for t in aws gcp azure; do
    builds+=("tests/golden/kubernetes/${pod}_$t.plat|$root/tests/golden/kubernetes/${pod}_$t.plat|")
  done
done
builds+=("tests/golden/kubernetes/probes_aws.plat --target aws|$root/tests/golden/kubernetes/probes_aws.plat|aws")
builds+=("tests/golden/kubernetes/probes_gcp.plat --target gcp|$root/tests/golden/kubernetes/probes_gcp.plat|gcp")
builds+=("tests/golden/kubernetes/probes_azure.plat --target azure|$root/tests/golden/kubernetes/probes_azure.plat|azure")
builds+=("tests/golden/kubernetes/load_balancer_aws.plat --target aws|$root/tests/golden/kubernetes/load_balancer_aws.plat|aws")
builds+=("tests/golden/kubernetes/load_balancer_gcp.plat --target gcp|$root/tests/golden/kubernetes/load_balancer_gcp.plat|gcp")
builds+=("tests/golden/kubernetes/load_balancer_azure.plat --target azure|$root/tests/golden/kubernetes/load_balancer_azure.plat|azure")
# Issue 12's platform: several services on one host (one Ingress per host), every target.
for t in aws gcp azure; do
  builds+=("tests/golden/kubernetes/federated_$t.plat --target $t|$root/tests/golden/kubernetes/federated_$t.plat|$t")
done
eso_checked=0
eso_tree=
for entry in "${builds[@]}"; do
  IFS='|' read -r name ex target <<<"$entry"
  out=$work/$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')
  targs=()
  [ -n "$target" ] && targs=(--target "$target")
  if ! "$platc" build "$ex" "${build_args[@]}" "${targs[@]}" --out "$out" >"$work/build.log" 2>&1; then
    bad "platc build $name"; head -10 "$work/build.log"; continue
  fi
  # What the ExternalSecrets' templates make (an AWS database's password and url from RDS's secret).
  if grep -qs "template:" "$out"/kubernetes/*/secrets.yaml; then
    if python3 "$root/tests/scripts/lib/eso_template_check.py" "$tool" "$out/kubernetes" >"$work/eso.log" 2>&1; then
      ok; eso_checked=$((eso_checked + 1))
      # The broken copies below need a tree whose templates make both `url` and `password`.
      if [ -z "$eso_tree" ] && grep -qs "urlquery" "$out"/kubernetes/*/secrets.yaml &&
        grep -qs "^        password:" "$out"/kubernetes/*/secrets.yaml; then eso_tree=$out; fi
    else bad "$name: ExternalSecret templates"; head -5 "$work/eso.log"; fi
  fi
  [ -d "$out/helm" ] || continue
  for chart in "$out"/helm/*/; do
    [ -f "$chart/Chart.yaml" ] || { bad "$name: $chart has no Chart.yaml"; continue; }
    charts=$((charts + 1))
    platform=$(basename "$chart")
    # The values files against values.schema.json, as helm install checks them.
    if node "$conf/validate-values.mjs" "$chart" >"$work/values.log" 2>&1; then ok
    else bad "$name helm/$platform: values do not match values.schema.json"; head -20 "$work/values.log"; fi
    first_chart=${first_chart:-$chart}
    # Every environment of the plain manifests has its values file, and the other way round.
    for envdir in "$out"/kubernetes/*/; do
      [ -d "$envdir" ] || continue
      env=$(basename "$envdir")
      [ -f "$chart/values-$env.yaml" ] || bad "$name: helm/$platform has no values-$env.yaml for kubernetes/$env"
    done
    for values in "$chart"/values-*.yaml; do
      [ -e "$values" ] || continue
      env=$(basename "$values" .yaml); env=${env#values-}
      label="$name helm/$platform values-$env.yaml"
      envdir=$out/kubernetes/$env
      if [ ! -d "$envdir" ]; then bad "$label: no kubernetes/$env to compare with"; continue; fi
      ns=${HELM_RENDER_NAMESPACE:-$(python3 - "$envdir" <<'EOF'
import glob, sys, yaml
names = set()
for p in glob.glob(sys.argv[1] + "/*.y*ml"):
    for d in yaml.safe_load_all(open(p)):
        if isinstance(d, dict) and d.get("kind") == "Namespace" and d.get("apiVersion") == "v1":
            names.add(d.get("metadata", {}).get("name"))
print(sorted(names)[0] if len(names) == 1 else "default")
EOF
)}
      release=${HELM_RENDER_RELEASE:-$ns}
      if ! "$tool" "$chart" -f "$values" --release "$release" --namespace "$ns" \
          >"$work/rendered.yaml" 2>"$work/render.err"; then
        bad "$label: render failed"; head -c 1500 "$work/render.err"; echo; continue
      fi
      if compare "$work/rendered.yaml" "$envdir" "$label" >"$work/compare.log" 2>&1; then ok
      else bad "$label: the chart's objects differ from kubernetes/$env/"; head -60 "$work/compare.log"; fi
      rdir=rendered/$(echo "$label" | tr -c 'A-Za-z0-9\n' '_')
      mkdir -p "$work/$rdir" && cp "$work/rendered.yaml" "$work/$rdir/chart.yaml"
      rendered_dirs+=("$rdir")
    done
  done
done

# The rendered objects, through the same validators as the plain manifests (one run: the
# TypeScript program is built once).
if [ ${#rendered_dirs[@]} -gt 0 ]; then
  if (cd "$work" && node "$conf/validate-k8s.mjs" --no-kustomization --no-header-check "${rendered_dirs[@]}") \
      >"$work/validate.log" 2>&1; then ok
  else bad "rendered charts fail validate-k8s.mjs"; head -40 "$work/validate.log"; fi
fi

# A chart installed into another namespace than the one its addresses name refuses to render,
# with a message that says where to install it (instead of pointing every service elsewhere).
if [ -n "$first_chart" ]; then
  expect_failure "chart in a foreign namespace" "were made for namespace" -- "$first_chart" --namespace not-this-one
fi

# The values check can fail: broken values laid over a real chart's values.yaml are rejected.
if [ -n "$first_chart" ]; then
  bc=$work/broken-values
  cp -r "$first_chart" "$bc"
  wl=$(python3 -c 'import sys,yaml; print(sorted(yaml.safe_load(open(sys.argv[1]))["workloads"])[0])' "$bc/values.yaml")
  printf 'workloads:\n  %s:\n    replicaz: 3\n' "$wl" >"$bc/values-typo.yaml"
  printf 'workloads:\n  %s:\n    image:\n      pullPolicy: Sometimes\n' "$wl" >"$bc/values-enum.yaml"
  printf 'workloads:\n  %s:\n    resources:\n      limits:\n        cpu: lots\n' "$wl" >"$bc/values-quantity.yaml"
  printf 'secretStore: null\n' >"$bc/values-missing.yaml"
  for v in typo:replicaz enum:pullPolicy quantity:/resources/limits/cpu missing:secretStore; do
    f=${v%%:*} want=${v#*:}
    node "$conf/validate-values.mjs" "$bc" "$bc/values-$f.yaml" >"$work/values.log" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ] && grep -q "values-$f.yaml:.*$want" "$work/values.log"; then ok
    else bad "broken values-$f.yaml: exit $rc, wanted a complaint about $want"; head -5 "$work/values.log"; fi
  done
fi

# 3. The comparison can fail: a chart that replays one example's kubernetes/<env>/ files through
#    the renderer must match, and the same chart with one object added, or one label changed, not.
first_env=$(ls -d "$work"/*/kubernetes/*/ 2>/dev/null | head -1)
if [ -n "$first_env" ]; then
  sc=$work/selfcheck-chart
  mkdir -p "$sc/templates" "$sc/k8s/good" "$sc/k8s/changed"
  printf 'apiVersion: v2\nname: selfcheck\nversion: 0.1.0\n' >"$sc/Chart.yaml"
  printf 'env: good\n' >"$sc/values.yaml"
  printf 'extra:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: not-in-the-manifests, namespace: x}\n' >"$sc/values-extra.yaml"
  printf 'env: changed\n' >"$sc/values-changed.yaml"
  cat >"$sc/templates/replay.yaml" <<'EOF'
{{- range $path, $content := .Files.Glob (printf "k8s/%s/*.yaml" .Values.env) }}
{{- if ne (base $path) "kustomization.yaml" }}
---
{{ toString $content }}
{{- end }}
{{- end }}
{{- with .Values.extra }}
---
{{ toYaml . }}
{{- end }}
EOF
  cp "$first_env"/*.yaml "$sc/k8s/good/"
  cp "$first_env"/*.yaml "$sc/k8s/changed/"
  python3 - "$sc/k8s/changed" <<'EOF'
import glob, sys, yaml
p = sorted(f for f in glob.glob(sys.argv[1] + "/*.yaml") if not f.endswith("kustomization.yaml"))[0]
docs = [d for d in yaml.safe_load_all(open(p)) if d]
docs[0].setdefault("metadata", {}).setdefault("labels", {})["tampered"] = "yes"
yaml.safe_dump_all(docs, open(p, "w"))
EOF
  label="replay of ${first_env#$work/}"
  "$tool" "$sc" >"$work/replay.yaml" 2>"$work/err" && compare "$work/replay.yaml" "$first_env" "$label" >"$work/compare.log" 2>&1 \
    && ok || { bad "$label: a faithful replay does not compare equal"; head -20 "$work/err" "$work/compare.log"; }
  for v in extra changed; do
    "$tool" "$sc" -f "$sc/values-$v.yaml" >"$work/replay.yaml" 2>"$work/err" || { bad "$label ($v): render failed"; head -5 "$work/err"; continue; }
    compare "$work/replay.yaml" "$first_env" "$label" >"$work/compare.log" 2>&1 \
      && bad "$label: the chart with an $v object compared equal" || { ok; [ -n "${HELM_RENDER_DEBUG:-}" ] && cat "$work/compare.log"; }
  done
fi

# The template checker must be able to fail: a url whose password is not escaped, a password
# that is not RDS's.
if [ "$eso_checked" -eq 0 ] || [ -z "$eso_tree" ]; then bad "no build had ExternalSecret templates making url and password"
else
  for broken in ' | urlquery | replace "+" "%20"=>' '(.rds_master | fromJson).password }}=>.user }}'; do
    rm -rf "$work/eso-broken" && cp -r "$eso_tree/kubernetes" "$work/eso-broken"
    BROKEN=$broken python3 - "$work/eso-broken" <<'EOF'
import glob, os, sys
old, new = os.environ["BROKEN"].split("=>")
for p in glob.glob(sys.argv[1] + "/*/secrets.yaml"):
    t = open(p).read()
    assert old in t, old
    open(p, "w").write(t.replace(old, new))
EOF
    python3 "$root/tests/scripts/lib/eso_template_check.py" "$tool" "$work/eso-broken" >"$work/eso.log" 2>&1 \
      && bad "eso_template_check passed templates broken by removing '$broken'" || ok
  done
fi

[ "$charts" -eq 0 ] && echo "helm_render: skipped: no helm output yet (no example's build wrote helm/<platform>/)"
finish
