#!/usr/bin/env bash
# The GCP Terraform output, proven offline without the google provider (no binary of it is on the
# machine): every example with gcp among its targets is built (`--target gcp`), and every
# environment's module is checked by tests/conformance/validate-terraform.mjs against the
# provider's published schema (parse, terraform fmt -check, types, arguments, blocks, references,
# tfvars), then by tests/scripts/lib/terraform_gcp_check.py for the policy properties and the
# agreement with the Kubernetes output of the same environment. terraform_schema.sh proves the
# schema checker can fail; mutations of one environment prove the assertions can. Without node,
# npm or terraform it FAILS. Usage: terraform_gcp.sh PLATC
set -uo pipefail
platc=$(cd "$(dirname "${1:-build/release/platc}")" && pwd)/$(basename "${1:-build/release/platc}")
root=$(cd "$(dirname "$0")/../.." && pwd)
conf=$root/tests/conformance
suite=terraform_gcp
. "$(dirname "$0")/lib/suite.sh"

command -v node >/dev/null && command -v npm >/dev/null || { bad "node and npm are needed"; finish; }
command -v terraform >/dev/null || { bad "terraform is needed (terraform fmt -check)"; finish; }
. "$root/tests/scripts/lib/npm.sh"
conformance_modules || { bad "npm ci in tests/conformance"; tail -20 "$work/npm.log"; finish; }

envs=0
for ex in "$root"/examples/*/; do
  name=$(basename "$ex")
  grep -hqE '^\s*targets\s*=\s*\[[^]]*\bgcp\b' "$ex"*.plat 2>/dev/null || continue
  out=$work/out/$name
  if ! "$platc" build "$ex" --target gcp --out "$out" >"$work/$name.build.log" 2>&1; then
    bad "$name: platc build --target gcp"
    head -c 2000 "$work/$name.build.log"
    continue
  fi
  [ -d "$out/terraform/gcp" ] || { bad "$name: no terraform/gcp/"; continue; }
  [ -s "$out/terraform/gcp/README.md" ] && ok || bad "$name: no terraform/gcp/README.md"
  for envdir in "$out"/terraform/gcp/*/; do
    env=$(basename "$envdir")
    id="$name/$env"
    envs=$((envs + 1))
    if node "$conf/validate-terraform.mjs" --dump "$work/$name-$env.json" "$envdir" >"$work/$name-$env.log" 2>&1; then ok
    else bad "$id: validate-terraform"; head -30 "$work/$name-$env.log"; continue; fi
    if python3 "$root/tests/scripts/lib/terraform_gcp_check.py" "$work/$name-$env.json" "$envdir" \
      "$out/kubernetes/$env" "$out/graph/$env.json" >"$work/$name-$env.check" 2>&1; then ok
    else bad "$id: assertions"; head -40 "$work/$name-$env.check"; fi
  done
done
[ "$envs" -gt 0 ] && ok || bad "no example targets gcp"

# The assertions can fail: one environment (eventdriven/staging: a database, a cache, topics,
# dashboards), each time with one defect, must fail with the finding named.
base=eventdriven-staging
if [ -f "$work/$base.json" ]; then
  mod=$work/out/eventdriven/terraform/gcp/staging
  for m in sql_public:"a public address" wi_member:"may be impersonated by" basic_role:"basic role" \
    annotation:"is not in the module" property:"has no property" eso_grant:"cannot read" \
    dashboard:"matches nothing" labels:"default_labels: environment" password:"not write-only" \
    cmek:"not encrypted with the environment's key" kms_grant:"may not use the key" \
    secret_cmek:"google_secret_manager_secret.conn_user_registered: not encrypted" \
    registry_grant:"(gcp-sa-artifactregistry) may not use the key"; do
    name=${m%%:*} want=${m#*:}
    rm -rf "$work/mut" && mkdir -p "$work/mut" && cp -r "$work/out/eventdriven/kubernetes/staging" "$work/mut/k8s"
    python3 - "$name" "$work/$base.json" "$work/mut/module.json" "$work/mut/k8s" <<'PY'
import glob, json, sys, yaml
name, src, dst, k8s = sys.argv[1:5]
m = json.load(open(src))
res = lambda f, t: m["tf"][f]["resource"][t]
def first(d):
    return d[sorted(d)[0]][0]
if name == "sql_public":
    first(res("data.tf", "google_sql_database_instance"))["settings"][0]["ip_configuration"][0]["ipv4_enabled"] = True
if name == "wi_member":
    b = res("identity.tf", "google_service_account_iam_member")
    k = sorted(x for x in b if x.startswith("workload_"))[0]
    b[k][0]["member"] = b[k][0]["member"].replace("]", "x]")
if name == "basic_role":
    m["tf"]["identity.tf"]["resource"].setdefault("google_project_iam_member", {})["x"] = [{"project": "p", "role": "roles/editor", "member": "user:x@example.com"}]
if name == "eso_grant":
    b = res("identity.tf", "google_secret_manager_secret_iam_member")
    del b[sorted(b)[0]]
if name == "labels":
    del m["tf"]["providers.tf"]["locals"][0]["labels"]["environment"]
if name == "cmek":
    del first(res("data.tf", "google_sql_database_instance"))["encryption_key_name"]
if name == "kms_grant":
    del m["tf"]["kms.tf"]["resource"]["google_kms_crypto_key_iam_member"]["redis"]
if name == "secret_cmek":
    r = res("secrets.tf", "google_secret_manager_secret")["conn_user_registered"][0]
    r["replication"] = [{"auto": [{}]}]
if name == "registry_grant":
    del m["tf"]["kms.tf"]["resource"]["google_kms_crypto_key_iam_member"]["artifact_registry"]
if name == "password":
    u = first(res("data.tf", "google_sql_user"))
    u["password"] = u.pop("password_wo")
json.dump(m, open(dst, "w"))
def rewrite(kind, change):
    for p in sorted(glob.glob(k8s + "/*.yaml")):
        docs = list(yaml.safe_load_all(open(p)))
        for d in docs:
            if d and d.get("kind") == kind and change(d):
                yaml.safe_dump_all(docs, open(p, "w"))
                return
def annotation(d):
    d["metadata"]["annotations"]["iam.gke.io/gcp-service-account"] = "nobody-identity@" + d["metadata"]["annotations"]["iam.gke.io/gcp-service-account"].split("@")[1]
    return True
def prop(d):
    for item in d["spec"].get("data", []):
        if item["remoteRef"]["key"].endswith("-connection"):
            item["remoteRef"]["property"] = "nope"
            return True
def dash(d):
    if not d["metadata"]["name"].startswith("dashboard-"):
        return False
    for k, text in d["data"].items():
        model = json.loads(text)
        stack = list(model.get("panels", []))
        while stack:
            p = stack.pop()
            stack += p.get("panels", []) or []
            for t in p.get("targets", []) or []:
                fl = (t.get("timeSeriesList") or {}).get("filters") or []
                if "=~" in fl:
                    fl[fl.index("=~") + 1] += "-nothing"
                    d["data"][k] = json.dumps(model)
                    return True
if name == "annotation": rewrite("ServiceAccount", annotation)
if name == "property": rewrite("ExternalSecret", prop)
if name == "dashboard": rewrite("ConfigMap", dash)
PY
    if python3 "$root/tests/scripts/lib/terraform_gcp_check.py" "$work/mut/module.json" "$mod" "$work/mut/k8s" \
      "$work/out/eventdriven/graph/staging.json" >"$work/mut.log" 2>&1; then
      bad "mutation $name: the assertions pass"
    elif grep -qF -- "$want" "$work/mut.log"; then ok
    else bad "mutation $name: no \"$want\""; head -5 "$work/mut.log"; fi
  done
else
  bad "no eventdriven/staging module to mutate"
fi
echo "terraform_gcp: $envs environments"
finish
