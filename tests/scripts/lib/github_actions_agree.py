#!/usr/bin/env python3
"""Agreement of the delivery workflow with the rest of one platc output tree (issue 17):

  images    every image the workflow pushes is one the Kubernetes output runs (its repository after
            registry.platc.invalid/), and every `build()` image the Kubernetes output runs is pushed;
            the Helm values it sets name the chart's own workloads and repositories
  registry  on AWS, every pushed repository is an aws_ecr_repository of the environment's module
  identity  every AWS role a job assumes is an aws_iam_role of that environment's module whose trust
            policy names the subject repo:${var.github_repository}:environment:<the job's environment>,
            and the job gives the module that repository (TF_VAR_github_repository = github.repository);
            on GCP and Azure, once terraform/<cloud>/<env>/ exists, every identity a job logs in as is
            named there and the module trusts a subject of the job's environment
  helm      release and namespace are the Namespace of kubernetes/<env>/ and `<chart>-<env>`; the chart
            and its values-<env>.yaml exist; the cluster is the module's aws_eks_cluster
  order     the deploy jobs follow each other (each needs the previous), the first needs every build
  plan      with a pull_request trigger, one plan job per deploy job (none without): the deploy's module,
            init and plan arguments with -lock=false, no environment, no apply, the plan posted; it logs in
            as an identity of that module trusted by exactly repo:${var.github_repository}:pull_request and
            allowed only reads (AWS: ReadOnlyAccess alone, inline allows only the state's s3 reads; GCP
            roles/viewer and objectViewer; Azure Reader and Storage Blob Data Reader)
  workload-identity
            on AWS and Azure, where a ServiceAccount's identity annotation holds a placeholder until the
            identity exists: the module's output (workload_role_arns / workload_client_ids) has one entry
            per annotated ServiceAccount of kubernetes/<env>/, naming the identity whose trust admits
            exactly that namespace and ServiceAccount; the job saves the outputs after apply, and the
            jq program of its Helm step, run on those outputs, sets exactly each ServiceAccount's
            annotation in the chart's values, passed to `helm upgrade` after values-<env>.yaml
  rds-account
            on AWS, where a database's ExternalSecret finds RDS's password secret by the instance's ARN
            (externalSecrets.*.rdsInstance with aws.region and aws.account in the chart): the account
            the release renders is the module's (the declared one in values and tfvars alike; else
            the placeholder, which the Helm step sets from AWS_ACCOUNT_ID, the variable its role
            ARNs use), and the region is the module's

Usage: github_actions_agree.py OUT_DIR   (prints one line per problem; exit 1 on any)
"""
import json
import os
import re
import subprocess
import sys

import yaml

out = sys.argv[1]
problems = []


def problem(check, msg):
    problems.append(f"{out}: [{check}] {msg}")


def read(path):
    with open(os.path.join(out, path), encoding="utf-8") as f:
        return f.read()


wf_path = ".github/workflows/platc-delivery.yml"
wf = yaml.safe_load(read(wf_path))
jobs = wf["jobs"]
deploys = [(k, j) for k, j in jobs.items() if k.startswith("deploy-")]
builds = [k for k in jobs if k.startswith("build-")]

# What the Kubernetes output runs, per environment: the repositories of build() images.
BUILD = "registry.platc.invalid/"


def k8s_repos(env):
    repos = set()
    d = os.path.join(out, "kubernetes", env)
    for name in sorted(os.listdir(d)):
        if not name.endswith(".yaml"):
            continue
        for doc in yaml.safe_load_all(read(f"kubernetes/{env}/{name}")):
            stack = [doc]
            while stack:
                x = stack.pop()
                if isinstance(x, dict):
                    img = x.get("image")
                    if isinstance(img, str) and img.startswith(BUILD):
                        repos.add(img[len(BUILD):].rsplit(":", 1)[0])
                    stack.extend(x.values())
                elif isinstance(x, list):
                    stack.extend(x)
    return repos


def namespace_of(env):
    for doc in yaml.safe_load_all(read(f"kubernetes/{env}/namespace.yaml")):
        if doc and doc.get("kind") == "Namespace":
            return doc["metadata"]["name"]
    return None


def resource_blocks(text, rtype):
    """name -> body of each `resource "rtype" "label" { … }` (bodies end at the next top-level `}`)."""
    out_ = {}
    for m in re.finditer(r'^resource "%s" "([^"]+)" \{\n(.*?)^\}' % re.escape(rtype), text, re.M | re.S):
        name = re.search(r'^  name\s*=\s*"([^"]+)"', m.group(2), re.M)
        if name:
            out_[name.group(1)] = m.group(2)
    return out_


chart_dirs = os.listdir(os.path.join(out, "helm")) if os.path.isdir(os.path.join(out, "helm")) else []
chart = chart_dirs[0] if len(chart_dirs) == 1 else None
values = yaml.safe_load(read(f"helm/{chart}/values.yaml")) if chart else {}

previous = None
for job_id, job in deploys:
    env_name = job["environment"]["name"]
    env_dir = env_name
    steps = job["steps"]
    scripts = "\n".join(s.get("run", "") for s in steps)
    # order
    needs = job.get("needs", [])
    if previous is None:
        if sorted(n for n in needs if n.startswith("build-")) != sorted(builds):
            problem("order", f"{job_id} does not need every build job")
    elif needs != [previous]:
        problem("order", f"{job_id} needs {needs}, not the previous deploy {previous}")
    previous = job_id
    # images
    pushed = set(re.findall(r'docker://\$REGISTRY/([^:"]+):\$IMAGE_TAG', scripts))
    runs = k8s_repos(env_dir)
    if pushed != runs:
        problem("images", f"{job_id} pushes {sorted(pushed)}, kubernetes/{env_dir} runs {sorted(runs)}")
    for w, repo in re.findall(r'workloads\.([a-z0-9-]+)\.image\.repository=\$REGISTRY/([^"]+)"', scripts):
        want = (values.get("workloads", {}).get(w, {}).get("image", {}) or {}).get("repository")
        if want != BUILD + repo:
            problem("images", f"{job_id} sets workloads.{w}.image.repository to {repo}; the chart has {want}")
        if repo not in pushed:
            problem("images", f"{job_id} deploys {repo}, which it does not push")
    # helm
    env_vars = job.get("env", {})
    ns = namespace_of(env_dir)
    if env_vars.get("NAMESPACE") != ns:
        problem("helm", f"{job_id} namespace {env_vars.get('NAMESPACE')}, kubernetes/{env_dir} has {ns}")
    if chart is None or env_vars.get("RELEASE") != f"{chart}-{env_dir.replace('_', '-').lower()}":
        problem("helm", f"{job_id} release {env_vars.get('RELEASE')} is not <chart>-<env> of helm/{chart}")
    if chart and f"/helm/{chart}\"" not in scripts:
        problem("helm", f"{job_id} does not install helm/{chart}")
    if chart and not os.path.exists(os.path.join(out, "helm", chart, f"values-{env_dir}.yaml")):
        problem("helm", f"helm/{chart}/values-{env_dir}.yaml missing")
    # identity and registry (AWS)
    tf_dir = f"terraform/aws/{env_dir}"
    roles = [s["with"]["role-to-assume"] for s in steps if "configure-aws-credentials" in s.get("uses", "")]
    if roles:
        identity = read(f"{tf_dir}/identity.tf")
        iam = resource_blocks(identity, "aws_iam_role")
        declared = re.search(r'^account_id\s*=\s*"(\d{12})"', read(f"{tf_dir}/{env_dir}.tfvars"), re.M)
        for arn in roles:
            m = re.fullmatch(r"arn:aws:iam::(\$\{\{ vars\.AWS_ACCOUNT_ID \}\}|\d{12}):role/(.+)", arn)
            if not m or (m.group(1).isdigit() and (not declared or declared.group(1) != m.group(1))):
                problem("identity", f"{job_id} assumes {arn}, not a role of the environment's account")
                continue
            role = m.group(2)
            body = iam.get(role)
            if body is None:
                problem("identity", f"{job_id} assumes {role}, which {tf_dir}/identity.tf does not create")
                continue
            subs = re.findall(r'token\.actions\.githubusercontent\.com:sub"?\s*=\s*"([^"]*)"', body)
            if subs != ["repo:${var.github_repository}:environment:%s" % env_name]:
                problem("identity", f"role {role} trusts {subs}, not exactly environment {env_name} of the repository")
        tf_steps = [s for s in steps if "TF_VAR_github_repository" in s.get("env", {})]
        if not tf_steps or any(s["env"]["TF_VAR_github_repository"] != "${{ github.repository }}" for s in tf_steps):
            problem("identity", f"{job_id} does not give its module this repository (TF_VAR_github_repository)")
        ecr = set(resource_blocks(read(f"{tf_dir}/registry.tf"), "aws_ecr_repository")) if pushed else set()
        for repo in sorted(pushed - ecr):
            problem("registry", f"{job_id} pushes {repo}, which {tf_dir}/registry.tf does not create")
        clusters = resource_blocks(read(f"{tf_dir}/cluster.tf"), "aws_eks_cluster")
        cl = [s["env"]["CLUSTER"] for s in steps if "CLUSTER" in s.get("env", {})]
        if not cl or any(c not in clusters for c in cl):
            problem("helm", f"{job_id} reaches cluster {cl}, {tf_dir}/cluster.tf creates {sorted(clusters)}")

    # identity (GCP, Azure): once their Terraform backends write terraform/<cloud>/<env>/, the
    # identities a job logs in as are named there, with a trust for exactly this environment.
    for cloud, marker in (("gcp", "google-github-actions/auth"), ("azure", "azure/login")):
        logins = [s for s in steps if marker in s.get("uses", "")]
        mod = os.path.join(out, "terraform", cloud, env_dir)
        if not logins or not os.path.isdir(mod):
            continue
        text = "".join(open(os.path.join(mod, f), encoding="utf-8").read() for f in sorted(os.listdir(mod)) if f.endswith(".tf"))
        names = [s["name"].rsplit(" as ", 1)[1] for s in logins]
        for name in names:
            if f'"{name}"' not in text:
                problem("identity", f"{job_id} logs in as {name}, which terraform/{cloud}/{env_dir} does not create")
        if f":environment:{env_name}" not in text:
            problem("identity", f"terraform/{cloud}/{env_dir} trusts no subject of environment {env_name}")

# plan: with a pull_request trigger, every deploy job has its plan job (and without, none): the
# same module, tfvars and backend as the deploy, run as the environment's plan identity, which the
# environment's Terraform output creates, trusts for exactly repo:<repository>:pull_request, and
# lets read only.
on = wf.get("on", wf.get(True)) or {}
on_pr = "pull_request" in (on if isinstance(on, (dict, list)) else [on])
plans = {k: j for k, j in jobs.items() if k.startswith("plan-")}
if not on_pr and plans:
    problem("plan", f"plan jobs {sorted(plans)} without a pull_request trigger")
READ_ONLY_AWS = {"s3:ListBucket", "s3:GetObject"}


def tf_line(script, verb):
    return [l.strip() for l in script.splitlines() if l.strip().startswith("terraform " + verb)]


for job_id, job in deploys:
    if not on_pr:
        break
    env_name = job["environment"]["name"]
    plan_id = "plan-" + job_id[len("deploy-"):]
    plan = plans.get(plan_id)
    if plan is None:
        problem("plan", f"{job_id} has no plan job {plan_id}")
        continue
    if plan.get("environment"):
        problem("plan", f"{plan_id} is bound to environment {plan['environment']}")
    tf_deploy = [s for s in job["steps"] if "terraform plan" in s.get("run", "")]
    tf_plan = [s for s in plan["steps"] if "terraform plan" in s.get("run", "")]
    if len(tf_plan) != 1 or len(tf_deploy) != 1:
        problem("plan", f"{plan_id}: {len(tf_plan)} plan step(s), its deploy {len(tf_deploy)}")
        continue
    d, p = tf_deploy[0], tf_plan[0]
    if d.get("working-directory") != p.get("working-directory"):
        problem("plan", f"{plan_id} plans {p.get('working-directory')}, {job_id} applies {d.get('working-directory')}")
    if tf_line(d["run"], "init") != tf_line(p["run"], "init"):
        problem("plan", f"{plan_id} initialises {tf_line(p['run'], 'init')}, {job_id} {tf_line(d['run'], 'init')}")
    want = tf_line(d["run"], "plan")[0].replace("terraform plan -input=false", "terraform plan -input=false -lock=false")
    if tf_line(p["run"], "plan") != [want]:
        problem("plan", f"{plan_id} runs {tf_line(p['run'], 'plan')}, not {want}")
    if "terraform apply" in p["run"]:
        problem("plan", f"{plan_id} applies")
    if p.get("env", {}).get("TF_VAR_github_repository") != "${{ github.repository }}":
        problem("plan", f"{plan_id} does not give its module this repository (TF_VAR_github_repository)")
    if not any("github-script" in s.get("uses", "") for s in plan["steps"]):
        problem("plan", f"{plan_id} does not post the plan on the pull request")
    tf_dir = (p.get("working-directory") or "").replace("${{ env.PLATC_OUT }}/", "")
    mod = os.path.join(out, tf_dir)
    if not os.path.isdir(mod):
        problem("plan", f"{plan_id}: no module {tf_dir}")
        continue
    text = "".join(open(os.path.join(mod, f), encoding="utf-8").read() for f in sorted(os.listdir(mod)) if f.endswith(".tf"))
    for s in plan["steps"]:
        w = s.get("with", {})
        if "configure-aws-credentials" in s.get("uses", ""):
            m = re.fullmatch(r"arn:aws:iam::(?:\$\{\{ vars\.AWS_ACCOUNT_ID_[A-Z0-9_]+ \}\}|\d{12}):role/(.+)", w.get("role-to-assume", ""))
            if not m:
                problem("plan", f"{plan_id} assumes {w.get('role-to-assume')}, not a role of the environment's account")
                continue
            body = resource_blocks(text, "aws_iam_role").get(m.group(1))
            if body is None:
                problem("plan", f"{plan_id} assumes {m.group(1)}, which {tf_dir} does not create")
                continue
            subs = re.findall(r'token\.actions\.githubusercontent\.com:sub"?\s*=\s*"([^"]*)"', body)
            if subs != ["repo:${var.github_repository}:pull_request"]:
                problem("plan", f"role {m.group(1)} trusts {subs}, not exactly the repository's pull requests")
            label = re.search(r'^resource "aws_iam_role" "([^"]+)" \{\n(?:(?!^\}).)*?name\s*=\s*"%s"' % re.escape(m.group(1)), text, re.M | re.S)
            label = label.group(1) if label else "?"
            attached = re.findall(r'^resource "aws_iam_role_policy_attachment" "[^"]+" \{\n\s*role\s*=\s*aws_iam_role\.%s\.name\n\s*policy_arn\s*=\s*"([^"]+)"' % re.escape(label), text, re.M)
            if attached != ["arn:aws:iam::aws:policy/ReadOnlyAccess"]:
                problem("plan", f"role {m.group(1)} has the policies {attached}, not ReadOnlyAccess alone")
            for pm in re.finditer(r'^resource "aws_iam_role_policy" "[^"]+" \{\n(.*?)^\}', text, re.M | re.S):
                if f"aws_iam_role.{label}.id" not in pm.group(1):
                    continue
                for st in re.findall(r'Effect\s*=\s*"Allow"\s*\n\s*Action\s*=\s*\[([^\]]*)\]', pm.group(1), re.S):
                    acts = set(re.findall(r'"([^"]+)"', st))
                    if not acts <= READ_ONLY_AWS:
                        problem("plan", f"role {m.group(1)} is allowed {sorted(acts - READ_ONLY_AWS)}")
        if "google-github-actions/auth" in s.get("uses", "") or "azure/login" in s.get("uses", ""):
            name = s["name"].rsplit(" as ", 1)[1]
            if not name.endswith("-plan") or f'"{name}"' not in text:
                problem("plan", f"{plan_id} logs in as {name}, which {tf_dir} does not create as a plan identity")
            if text.count(":pull_request\"") != 1:
                problem("plan", f"{tf_dir} trusts the pull-request subject {text.count(':pull_request')} times, not once")
            roles = set(re.findall(r'role(?:_definition_name)?\s*=\s*"([^"]+)"\n\s*(?:member\s*=\s*"serviceAccount:\$\{google_service_account\.plan|principal_id\s*=\s*azurerm_user_assigned_identity\.plan)', text))
            if roles - {"roles/viewer", "roles/storage.objectViewer", "Reader", "Storage Blob Data Reader"}:
                problem("plan", f"{tf_dir} grants its plan identity {sorted(roles)}")
for k in plans:
    if "deploy-" + k[len("plan-"):] not in jobs:
        problem("plan", f"{k} plans an environment the pipeline does not deploy")
IDENTITY = {  # cloud: (login action, annotation, output, identity resource, how its trust names a ServiceAccount)
    "aws": ("configure-aws-credentials", "eks.amazonaws.com/role-arn", "workload_role_arns", "aws_iam_role"),
    "azure": ("azure/login", "azure.workload.identity/client-id", "workload_client_ids", "azurerm_user_assigned_identity"),
}


def service_accounts(env, annotation):
    """name -> namespace of every ServiceAccount of kubernetes/<env>/ carrying the annotation."""
    found = {}
    d = os.path.join(out, "kubernetes", env)
    for name in sorted(os.listdir(d)):
        if name.endswith(".yaml"):
            for doc in yaml.safe_load_all(read(f"kubernetes/{env}/{name}")):
                if doc and doc.get("kind") == "ServiceAccount" and annotation in (doc["metadata"].get("annotations") or {}):
                    found[doc["metadata"]["name"]] = doc["metadata"].get("namespace")
    return found


def output_map(text, output):
    """key -> (resource type, label) of `output "NAME" { value = { key = TYPE.LABEL.attr … } }`."""
    m = re.search(r'^output "%s" \{\n(.*?)^\}' % re.escape(output), text, re.M | re.S)
    if not m:
        return None
    return {k: (t, l) for k, t, l in re.findall(r'^\s+"?([a-z0-9-]+)"?\s*=\s*([a-z_]+)\.([a-z0-9_]+)\.[a-z_]+$', m.group(1), re.M)}


def labelled(text, rtype, label):
    m = re.search(r'^resource "%s" "%s" \{\n(.*?)^\}' % (re.escape(rtype), re.escape(label)), text, re.M | re.S)
    return m.group(1) if m else None


for job_id, job in deploys:
    env_name = job["environment"]["name"]
    steps = job["steps"]
    for cloud, (login, annotation, output, rtype) in IDENTITY.items():
        mod = os.path.join(out, "terraform", cloud, env_name)
        if not any(login in s.get("uses", "") for s in steps) or not os.path.isdir(mod):
            continue
        text = "".join(open(os.path.join(mod, f), encoding="utf-8").read() for f in sorted(os.listdir(mod)) if f.endswith(".tf"))
        sas = service_accounts(env_name, annotation)
        entries = output_map(text, output) or {}
        if sas and not entries:
            problem("workload-identity", f"terraform/{cloud}/{env_name} has no output {output} for the ServiceAccounts {sorted(sas)}")
        for sa, ns in sorted(sas.items()):
            if sa not in entries:
                problem("workload-identity", f"ServiceAccount {sa} of kubernetes/{env_name} has no entry in output {output}")
                continue
            t, label = entries[sa]
            body = labelled(text, t, label) if t == rtype else None
            subject = f"system:serviceaccount:{ns}:{sa}"
            if body is None:
                problem("workload-identity", f"output {output}[{sa}] names {t}.{label}, not a {rtype} of the module")
            elif cloud == "aws":
                subs = re.findall(r'zipmap\(\["\$\{local\.oidc_issuer\}:sub"[^]]*\],\s*\[\s*"([^"]+)"', body)
                if subs != [subject]:
                    problem("workload-identity", f"{t}.{label} (output {output}[{sa}]) trusts {subs}, not exactly {subject}")
            else:
                creds = [b for b in re.findall(r'^resource "azurerm_federated_identity_credential" "[^"]+" \{\n(.*?)^\}', text, re.M | re.S)
                         if re.search(r"^\s*parent_id\s*=\s*%s\.%s\.id$" % (t, label), b, re.M)]
                subs = [m for b in creds for m in re.findall(r'^\s*subject\s*=\s*"([^"]*)"', b, re.M)]
                if subs != [subject]:
                    problem("workload-identity", f"{t}.{label} (output {output}[{sa}]) is trusted for {subs}, not exactly {subject}")
        if not sas:
            continue
        scripts = [s.get("run", "") for s in steps]
        if not any("terraform apply" in r and 'terraform output -json > "$RUNNER_TEMP/terraform-outputs.json"' in r for r in scripts):
            problem("workload-identity", f"{job_id} does not save the Terraform outputs after apply")
        helm = [r for r in scripts if "helm upgrade --install" in r]
        prog = re.search(r"^jq '([^']*)' \\\n\s*\"\$RUNNER_TEMP/terraform-outputs\.json\" > \"\$RUNNER_TEMP/identities\.json\"$", helm[0], re.M) if helm else None
        if not prog:
            problem("workload-identity", f"{job_id} does not turn the output {output} into Helm values")
            continue
        order = re.findall(r'--values "([^"]+)"', helm[0])
        if not order or order[-1] != "$RUNNER_TEMP/identities.json" or not any(v.endswith(f"/values-{env_name}.yaml") for v in order):
            problem("workload-identity", f"{job_id} does not pass the identities after values-{env_name}.yaml: {order}")
        sample = {output: {"value": {sa: f"IDENTITY-OF-{sa}" for sa in entries}, "type": "map", "sensitive": False}}
        r = subprocess.run(["jq", prog.group(1)], input=json.dumps(sample), capture_output=True, text=True)
        if r.returncode != 0:
            problem("workload-identity", f"{job_id}: its jq program fails: {r.stderr.strip()[:200]}")
            continue
        got = json.loads(r.stdout).get("workloads", {})
        chart_workloads = values.get("workloads", {})
        for sa in sorted(sas):
            ann = ((got.get(sa) or {}).get("serviceAccount") or {}).get("annotations") or {}
            if ann.get(annotation) != f"IDENTITY-OF-{sa}":
                problem("workload-identity", f"{job_id} does not set {annotation} of {sa} from output {output}")
            if "serviceAccount" not in (chart_workloads.get(sa) or {}):
                problem("workload-identity", f"the chart's values have no workloads.{sa}.serviceAccount to set")


def merged(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        return {k: merged(base.get(k), over[k]) if k in over else base[k] for k in {**base, **over}}
    return over if over is not None else base


for job_id, job in deploys:
    env_name = job["environment"]["name"]
    mod = os.path.join(out, "terraform", "aws", env_name)
    if not chart or not os.path.isdir(mod):
        continue
    env_values = merged(values, yaml.safe_load(read(f"helm/{chart}/values-{env_name}.yaml")) or {})
    finds = sorted(n for n, x in (env_values.get("externalSecrets") or {}).items() if (x or {}).get("rdsInstance"))
    if not finds:
        continue
    aws = env_values.get("aws") or {}
    tfvars = read(f"terraform/aws/{env_name}/{env_name}.tfvars")
    acct = re.search(r'^account_id\s*=\s*"(\d+)"', tfvars, re.M)
    region = re.search(r'^region\s*=\s*"([^"]+)"', tfvars, re.M)
    if region and aws.get("region") != region.group(1):
        problem("rds-account", f"{env_name}: the chart finds RDS secrets in region {aws.get('region')}, the module's is {region.group(1)}")
    helm = [x.get("run", "") for x in job["steps"] if "helm upgrade --install" in x.get("run", "")]
    step = next((x for x in job["steps"] if "helm upgrade --install" in x.get("run", "")), {})
    sets = '--set-string "aws.account=$AWS_ACCOUNT_ID"' in (helm[0] if helm else "")
    if aws.get("account") == "000000000000":
        if not sets or (step.get("env") or {}).get("AWS_ACCOUNT_ID") != "${{ vars.AWS_ACCOUNT_ID }}":
            problem("rds-account", f"{job_id}: {finds} find RDS secrets in the placeholder account, and the Helm step does not set aws.account from AWS_ACCOUNT_ID")
    elif not acct or aws.get("account") != acct.group(1):
        problem("rds-account", f"{job_id}: the chart finds RDS secrets in account {aws.get('account')}, the module's tfvars say {acct.group(1) if acct else None}")
    elif sets:
        problem("rds-account", f"{job_id}: sets aws.account though the platform declares it")

for p in problems[:100]:
    print(p)
print(f"{out}: {len(deploys)} deploy job(s), {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
