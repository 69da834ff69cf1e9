"""Assertions over one environment of the AWS Terraform output, from the files alone.

    terraform_aws_check.py PLAN_JSON MODULE_DIR KUBERNETES_ENV_DIR GRAPH_JSON

PLAN_JSON is `terraform show -json` of the module's plan; MODULE_DIR the emitted .tf files;
KUBERNETES_ENV_DIR the manifests of the same environment; GRAPH_JSON its typed graph. Prints one
line per failed assertion (at most 40) and exits 1 when any failed. What it checks:
  - every taggable resource has tags_all with the platform's tags and `environment`;
  - encryption where the resource has it; no public database, cache or bucket unless the graph
    says `public`; deletion protection, backup retention and Multi-AZ as the environment says;
  - no ingress from 0.0.0.0/0 except a load balancer's 80/443; no "*" action; "*" resources only
    for the actions AWS allows nothing narrower for;
  - IRSA per edge: each workload's role allows exactly the buckets, queues and topics it references;
  - the pull-request plan role (with a pull_request trigger only): trusted by exactly
    repo:<repository>:pull_request, ReadOnlyAccess alone attached, inline allows only the state's
    reads and denies secretsmanager:GetSecretValue and every object but the state;
  - agreement with the Kubernetes output: every ExternalSecret's remote key is a Secrets Manager
    entry of the plan and, for connection entries, the property is written there; the External
    Secrets role reads exactly those entries; a database's password is never in its connection
    entry: its ExternalSecret finds RDS's own secret by the tag `aws:rds:primaryDBInstanceArn`
    with the ARN of a DB instance of the plan (region, the tfvars' account, identifier), its
    template reads only keys it fetched, and the External Secrets role may read exactly the RDS
    secrets of those instances (GetSecretValue on `rds!db-*` under that tag condition); every ServiceAccount's role exists and is trusted by
    exactly that namespace/ServiceAccount; every pushed image has its ECR repository; every
    Ingress host has its zone and, with TLS, its certificate; the CloudWatch dimensions the
    dashboards query name resources of the plan.
"""

import glob
import json
import os
import re
import sys

import yaml

plan_path, module, k8s_dir, graph_path = sys.argv[1:5]
plan = json.load(open(plan_path))
graph = json.load(open(graph_path))
failures = []


def fail(msg):
    failures.append(msg)


env = graph["environment"]
platform = graph["platform"]
nodes = graph["nodes"]


def plain(v):
    t = v.get("type")
    if t in ("duration",):
        return v.get("seconds")
    if t == "map":
        return {k: plain(x) for k, x in v.get("entries", {}).items()}
    if "value" in v:
        return v["value"]
    return v


def node_attr(n, path, default=None):
    a = n.get("attributes", {}).get(path)
    if a is None:
        return default
    return plain(a["value"])


def k8s_name(s):
    return s.lower().replace("_", "-")


prefix = k8s_name(platform) + "-" + k8s_name(env)
platform_node = next(n for n in nodes if n["kind"] == "platform")
tags = node_attr(platform_node, "tags", {}) or {}
if not isinstance(tags, dict):
    tags = {}

resources = []  # (address, type, after, after_unknown)
for rc in plan.get("resource_changes", []):
    if rc.get("mode") != "managed":
        continue
    ch = rc["change"]
    resources.append((rc["address"], rc["type"], ch.get("after") or {}, ch.get("after_unknown") or {}))


def of_type(t):
    return [(a, af, u) for (a, ty, af, u) in resources if ty == t]


# --- tags -------------------------------------------------------------------------------------
for addr, ty, after, unknown in resources:
    if "tags_all" not in after and "tags_all" not in unknown:
        continue
    ta = after.get("tags_all") or {}
    if unknown.get("tags_all") is True:
        fail(f"{addr}: tags_all unknown at plan time")
        continue
    for k in list(tags) + ["environment"]:
        if k not in ta:
            fail(f"{addr}: tags_all lacks `{k}`")
    if ta.get("environment") != env:
        fail(f"{addr}: tags_all.environment is {ta.get('environment')!r}, not {env!r}")

# --- data stores ------------------------------------------------------------------------------
by_cloud_name = {}
for n in nodes:
    by_cloud_name[prefix + "-" + k8s_name(n["name"] if n.get("name") else n["id"])] = n

for addr, after, unknown in of_type("aws_db_instance"):
    n = by_cloud_name.get(after.get("identifier"))
    if not n:
        fail(f"{addr}: identifier {after.get('identifier')!r} is no database of the graph")
        continue
    if not after.get("storage_encrypted"):
        fail(f"{addr}: storage not encrypted")
    if not (after.get("kms_key_id") or unknown.get("kms_key_id")):
        fail(f"{addr}: no KMS key")
    if not after.get("manage_master_user_password"):
        fail(f"{addr}: the master password is not managed by RDS")
    if after.get("publicly_accessible") and not node_attr(n, "public", False):
        fail(f"{addr}: public database")
    want_dp = node_attr(n, "deletion_protection", True)
    if after.get("deletion_protection") != want_dp:
        fail(f"{addr}: deletion_protection {after.get('deletion_protection')}, the environment says {want_dp}")
    ret = node_attr(n, "backup.retention", 7 * 86400)
    if isinstance(ret, (int, float)) and after.get("backup_retention_period") != int(ret) // 86400:
        fail(f"{addr}: backup_retention_period {after.get('backup_retention_period')}, the environment says {int(ret)//86400}")
    if after.get("multi_az") != node_attr(n, "high_availability", False):
        fail(f"{addr}: multi_az {after.get('multi_az')} differs from high_availability")

for addr, after, unknown in of_type("aws_elasticache_replication_group"):
    n = by_cloud_name.get(after.get("replication_group_id"))
    if not n:
        fail(f"{addr}: no cache of the graph is named {after.get('replication_group_id')!r}")
        continue
    # The provider types at_rest_encryption_enabled as a string.
    if str(after.get("at_rest_encryption_enabled")).lower() != str(node_attr(n, "encryption", True)).lower():
        fail(f"{addr}: at-rest encryption differs from the cache's `encryption`")
    if after.get("transit_encryption_enabled") != node_attr(n, "tls", True):
        fail(f"{addr}: transit encryption differs from the cache's `tls`")
    wants_auth = node_attr(n, "auth", True) and node_attr(n, "tls", True)
    has_auth = bool(after.get("auth_token")) or bool(unknown.get("auth_token"))
    if wants_auth != has_auth:
        fail(f"{addr}: auth token {'missing' if wants_auth else 'set'}")

buckets = {after.get("bucket"): addr for addr, after, _ in of_type("aws_s3_bucket")}
def bucket_of(after, unknown):
    return after.get("bucket")
for name, addr in buckets.items():
    n = by_cloud_name.get(name)
    label = addr.split(".", 1)[1]
    sse = [a for a, af, u in of_type("aws_s3_bucket_server_side_encryption_configuration") if a.endswith("." + label)]
    if n and node_attr(n, "encryption", True) and not sse:
        fail(f"{addr}: no server-side encryption")
    pab = [af for a, af, u in of_type("aws_s3_bucket_public_access_block") if a.endswith("." + label)]
    public = n and node_attr(n, "public", False)
    if not pab:
        fail(f"{addr}: no public access block")
    elif not public and not all(pab[0].get(k) for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")):
        fail(f"{addr}: public access not blocked")
    pol = [af for a, af, u in of_type("aws_s3_bucket_policy") if a.endswith("." + label)]
    if not pol or "aws:SecureTransport" not in (pol[0].get("policy") or ""):
        fail(f"{addr}: no TLS-only bucket policy")
    ver = [af for a, af, u in of_type("aws_s3_bucket_versioning") if a.endswith("." + label)]
    if n and node_attr(n, "versioning", True) and (not ver or ver[0]["versioning_configuration"][0]["status"] != "Enabled"):
        fail(f"{addr}: not versioned")

for addr, after, unknown in of_type("aws_sqs_queue"):
    if not (after.get("kms_master_key_id") or unknown.get("kms_master_key_id") or after.get("sqs_managed_sse_enabled")):
        fail(f"{addr}: queue not encrypted")
for addr, after, unknown in of_type("aws_secretsmanager_secret"):
    if not (after.get("kms_key_id") or unknown.get("kms_key_id")):
        fail(f"{addr}: secret without the platform key")
for addr, after, unknown in of_type("aws_eks_cluster"):
    if not after.get("encryption_config"):
        fail(f"{addr}: cluster secrets not encrypted")

# --- network ----------------------------------------------------------------------------------
for addr, after, unknown in of_type("aws_vpc_security_group_ingress_rule"):
    if after.get("cidr_ipv4") == "0.0.0.0/0" and after.get("from_port") not in (80, 443):
        fail(f"{addr}: ingress from 0.0.0.0/0")
for addr, after, unknown in of_type("aws_security_group"):
    for rule in after.get("ingress") or []:
        if "0.0.0.0/0" in (rule.get("cidr_blocks") or []) and rule.get("from_port") not in (80, 443):
            fail(f"{addr}: ingress from 0.0.0.0/0")

# --- IAM --------------------------------------------------------------------------------------
# AWS allows only "*" for these (the two Secrets Manager ones return only what the role may read).
STAR_OK = {"ecr:GetAuthorizationToken", "route53:ListHostedZones", "secretsmanager:ListSecrets",
           "secretsmanager:BatchGetSecretValue"}
role_policy = {}  # role name -> statements
for addr, after, unknown in of_type("aws_iam_role_policy"):
    if unknown.get("policy"):
        role_policy[after.get("name")] = None
        continue
    doc = json.loads(after["policy"])
    role_policy[after.get("name")] = doc["Statement"]
    for st in doc["Statement"]:
        if st.get("Effect") == "Deny":
            continue
        actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        res = st.get("Resource", st.get("NotResource"))
        res = res if isinstance(res, list) else [res]
        if any(a == "*" or a.endswith(":*") for a in actions):
            fail(f"{addr}: statement {st.get('Sid')} allows every action")
        if "*" in res and not set(actions) <= STAR_OK:
            fail(f"{addr}: statement {st.get('Sid')} on resource \"*\"")
roles = {after.get("name"): (addr, after, unknown) for addr, after, unknown in of_type("aws_iam_role")}

tf_text = {os.path.basename(p): open(p).read() for p in glob.glob(os.path.join(module, "*.tf"))}
identity_tf = tf_text.get("identity.tf", "")


def role_block(label):
    m = re.search(r'(?ms)^resource "aws_iam_role" "%s" \{\n(.*?)^\}' % re.escape(label), identity_tf)
    return m.group(1) if m else ""


index_of = {n["id"]: k for k, n in enumerate(nodes)}
workloads = [n for n in nodes if n["kind"] in ("service", "worker", "job")]
for w in workloads:
    name = prefix + "-" + k8s_name(w["id"])
    if name not in roles:
        fail(f"workload {w['id']}: no IAM role {name}")
        continue
    wanted = {"bucket": set(), "queue": set(), "topic": set()}
    for e in graph["edges"]:
        t = nodes[index_of[e["to"]]]
        if e["from"] == w["id"] and t["kind"] in wanted:
            wanted[t["kind"]].add(t["id"])
    st = role_policy.get(name, [])
    if st is None:
        fail(f"workload {w['id']}: its policy is unknown at plan time")
        continue
    res = set()
    for s in st or []:
        for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]):
            res.add(r)
    got_buckets = {r.split(":::", 1)[1].split("/")[0] for r in res if r.startswith("arn:aws:s3:::")}
    want_buckets = {prefix + "-" + k8s_name(b) for b in wanted["bucket"]}
    if got_buckets != want_buckets:
        fail(f"workload {w['id']}: buckets {sorted(got_buckets)}, its references {sorted(want_buckets)}")
    got_queues = {r.rsplit(":", 1)[1].removesuffix(".fifo") for r in res if r.startswith("arn:aws:sqs:")}
    want_queues = {prefix + "-" + k8s_name(q) for q in wanted["queue"]}
    if got_queues != want_queues:
        fail(f"workload {w['id']}: queues {sorted(got_queues)}, its references {sorted(want_queues)}")
    got_topics = {r.rsplit("/", 1)[1] for r in res if ":topic/" in r}
    if got_topics != wanted["topic"]:
        fail(f"workload {w['id']}: topics {sorted(got_topics)}, its references {sorted(wanted['topic'])}")

# --- the pull-request plan role ---------------------------------------------------------------
# With a pull_request trigger the module creates `<prefix>-plan`, trusted by exactly the
# repository's pull-request subject, with ReadOnlyAccess alone attached, an inline policy that
# allows only the state's reads and denies secret values; without one, no such role.
plan_name = prefix + "-plan"
pipelines = [n for n in nodes if n["kind"] == "pipeline"]
on_pr = any('"pull_request"' in json.dumps(n.get("attributes", {}).get("on")) for n in pipelines)
if not on_pr and plan_name in roles:
    fail(f"{plan_name}: a plan role without a pull_request trigger")
if on_pr:
    if plan_name not in roles:
        fail(f"{plan_name}: no plan role, though the pipeline runs on pull requests")
    else:
        _, after, unknown = roles[plan_name]
        trust = json.loads(after["assume_role_policy"]) if after.get("assume_role_policy") else {"Statement": []}
        subs = [st.get("Condition", {}).get("StringEquals", {}).get("token.actions.githubusercontent.com:sub")
                for st in trust["Statement"]]
        if len(subs) != 1 or not re.fullmatch(r"repo:[^:/]+/[^:/]+:pull_request", subs[0] or ""):
            fail(f"{plan_name}: trusts {subs}, not exactly the repository's pull requests")
        attached = sorted(af.get("policy_arn") for a, af, u in of_type("aws_iam_role_policy_attachment")
                          if af.get("role") == plan_name)
        if attached != ["arn:aws:iam::aws:policy/ReadOnlyAccess"]:
            fail(f"{plan_name}: attached {attached}, not ReadOnlyAccess alone")
        st = role_policy.get(plan_name) or []
        allowed = {a for s in st if s["Effect"] == "Allow" for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
        if not allowed <= {"s3:ListBucket", "s3:GetObject"}:
            fail(f"{plan_name}: allowed {sorted(allowed)} beyond the state's reads")
        denied = {a for s in st if s["Effect"] == "Deny" for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
        if "secretsmanager:GetSecretValue" not in denied:
            fail(f"{plan_name}: secret values not denied")
        objects = [s for s in st if s["Effect"] == "Deny" and "s3:GetObject" in s["Action"]]
        if len(objects) != 1 or not str(objects[0].get("NotResource", "")).endswith("/terraform.tfstate"):
            fail(f"{plan_name}: reads of objects other than the state not denied")

# --- agreement with the Kubernetes output -----------------------------------------------------
docs = []
for p in sorted(glob.glob(os.path.join(k8s_dir, "*.yaml"))):
    docs += [d for d in yaml.safe_load_all(open(p)) if d]

entries = {after.get("name"): addr for addr, after, _ in of_type("aws_secretsmanager_secret")}
secrets_tf = tf_text.get("secrets.tf", "")


def written_properties(label):
    m = re.search(r'(?ms)^resource "aws_secretsmanager_secret_version" "%s" \{\n(.*?)^\}' % re.escape(label), secrets_tf)
    if not m:
        return None
    return set(re.findall(r"(?m)^    (\w+) +=", m.group(1)))


read_entries = set()
found_instances = set()
db_identifiers = {after.get("identifier") for _, after, _ in of_type("aws_db_instance")}
region = (plan.get("variables", {}).get("region") or {}).get("value") or ""
account = (plan.get("variables", {}).get("account_id") or {}).get("value") or ""


def check_rds_find(d):
    """The dataFrom of a database's connection ExternalSecret: RDS's own secret, by its tag."""
    name = d["metadata"]["name"]
    froms = d["spec"].get("dataFrom") or []
    if not froms:
        return set()
    if len(froms) != 1 or set(froms[0]) != {"find", "rewrite"}:
        fail(f"ExternalSecret {name}: dataFrom is not one find with a rewrite: {froms}")
        return set()
    tags = froms[0]["find"].get("tags") or {}
    arn = tags.get("aws:rds:primaryDBInstanceArn")
    if set(tags) != {"aws:rds:primaryDBInstanceArn"} or froms[0]["find"].get("name") or froms[0]["find"].get("path"):
        fail(f"ExternalSecret {name}: finds by {froms[0]['find']}, not by the RDS instance tag alone")
        return set()
    m = re.fullmatch(r"arn:aws:rds:([^:]+):(\d{12}):db:([a-z][a-z0-9-]*)", arn or "")
    if not m:
        fail(f"ExternalSecret {name}: {arn} is not an RDS instance ARN")
        return set()
    if m.group(3) not in db_identifiers:
        fail(f"ExternalSecret {name}: finds instance {m.group(3)}, which the plan does not create")
    if region and m.group(1) != region:
        fail(f"ExternalSecret {name}: instance in region {m.group(1)}, the module's is {region}")
    if account and m.group(2) != account:
        fail(f"ExternalSecret {name}: instance in account {m.group(2)}, the tfvars' is {account}")
    others = [x for x in db_identifiers if x != m.group(3) and x.startswith(m.group(3))]
    if others:
        fail(f"ExternalSecret {name}: the tag of {m.group(3)} also matches {others} (AWS matches by prefix)")
    targets = [r["regexp"]["target"] for r in froms[0]["rewrite"]]
    fetched = {x["secretKey"] for x in d["spec"].get("data", [])} | set(targets)
    tmpl = ((d["spec"].get("target") or {}).get("template") or {}).get("data") or {}
    if not tmpl:
        fail(f"ExternalSecret {name}: reads RDS's secret but makes no key of it (no template)")
    for key, text in tmpl.items():
        for ref in re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)", "".join(re.findall(r"\{\{(.*?)\}\}", text))):
            if ref != "password" and ref not in fetched:
                fail(f"ExternalSecret {name}: template of {key} reads .{ref}, which is not fetched")
    return {arn}


for d in docs:
    if d.get("kind") != "ExternalSecret":
        continue
    found_instances |= check_rds_find(d)
    store = d["spec"]["secretStoreRef"]["name"]
    if store != "aws-secrets-manager":
        fail(f"ExternalSecret {d['metadata']['name']}: store {store}")
    for item in d["spec"].get("data", []):
        key, prop = item["remoteRef"]["key"], item["remoteRef"].get("property")
        read_entries.add(key)
        if key not in entries:
            fail(f"ExternalSecret {d['metadata']['name']}: no Secrets Manager entry {key}")
            continue
        if key.endswith("-connection"):
            props = written_properties(entries[key].split(".", 1)[1])
            if props is None or prop not in props:
                fail(f"ExternalSecret {d['metadata']['name']}: entry {key} has no property {prop}")

# RDS rotates the password it manages: a copy in a connection entry would go stale within a week.
for m in re.finditer(r'(?ms)^resource "aws_secretsmanager_secret_version" "(conn_[^"]+)" \{\n(.*?)^\}', secrets_tf):
    if "aws_db_instance." in m.group(2) and ("password" in written_properties(m.group(1)) or "ephemeral." in m.group(2)):
        fail(f"connection entry {m.group(1)} holds a copy of the database's password")

eso = role_policy.get(prefix + "-external-secrets")
if read_entries or found_instances:
    if not eso:
        fail("the External Secrets role has no known policy")
    else:
        arns = set()
        for s in eso:
            if "secretsmanager:GetSecretValue" in s["Action"]:
                arns |= set(s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
        rds = [s for s in eso if "secretsmanager:GetSecretValue" in s["Action"] and
               any(":secret:rds!db-" in r for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]))]
        arns = {a for a in arns if ":secret:rds!db-" not in a}
        allowed = set()
        for s in rds:
            cond = (s.get("Condition") or {}).get("StringEquals") or {}
            vals = cond.get("secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn")
            if not vals or set(s.get("Condition")) != {"StringEquals"}:
                fail(f"the External Secrets role reads RDS secrets without the instance tag condition: {s}")
                continue
            allowed |= set(vals if isinstance(vals, list) else [vals])
        if not found_instances <= allowed:
            fail(f"the External Secrets role cannot read RDS's secret of {sorted(found_instances - allowed)}")
        stray = {a for a in allowed if a.rsplit(":", 1)[-1] not in db_identifiers}
        if stray:
            fail(f"the External Secrets role reads RDS secrets of instances the plan does not create: {sorted(stray)}")
        names = {a.split(":secret:", 1)[1].removesuffix("-??????") for a in arns}
        if not read_entries <= names:
            fail(f"the External Secrets role cannot read {sorted(read_entries - names)}")
        if not names <= set(entries):
            fail(f"the External Secrets role reads entries the plan does not create: {sorted(names - set(entries))}")

for d in docs:
    if d.get("kind") != "ServiceAccount":
        continue
    arn = (d["metadata"].get("annotations") or {}).get("eks.amazonaws.com/role-arn")
    ns, sa = d["metadata"]["namespace"], d["metadata"]["name"]
    if not arn:
        fail(f"ServiceAccount {sa}: no role annotation")
        continue
    name = arn.rsplit("/", 1)[1]
    if name not in roles:
        fail(f"ServiceAccount {sa}: role {name} is not in the plan")
        continue
    addr = roles[name][0]
    subjects = re.findall(r"system:serviceaccount:[^\"]+", role_block(addr.split(".", 1)[1]))
    if subjects != [f"system:serviceaccount:{ns}:{sa}"]:
        fail(f"ServiceAccount {ns}/{sa}: role {name} trusts {subjects}")

# The Load Balancer Controller that serves every Ingress runs with a role trusted by exactly its
# ServiceAccount (the README installs it there) and carrying the policy the operator passes in.
lbc = [(a, af) for a, af, _ in of_type("aws_iam_role") if a.endswith(".load_balancer_controller")]
if not lbc:
    fail("no role for the AWS Load Balancer Controller")
else:
    subjects = re.findall(r"system:serviceaccount:[^\"]+", role_block("load_balancer_controller"))
    if subjects != ["system:serviceaccount:kube-system:aws-load-balancer-controller"]:
        fail(f"the Load Balancer Controller's role trusts {subjects}")
    if "var.load_balancer_controller_policy" not in "".join(tf_text.values()) or not of_type(
            "aws_iam_role_policy_attachment"):
        fail("the Load Balancer Controller's role carries no policy")

repos = {after.get("name") for _, after, _ in of_type("aws_ecr_repository")}
for d in docs:
    spec = d.get("spec") or {}
    tmpl = spec.get("jobTemplate", {}).get("spec", spec).get("template", {}).get("spec", {})
    for c in tmpl.get("containers", []) + tmpl.get("initContainers", []):
        img = c.get("image", "")
        if img.startswith("registry.platc.invalid/"):
            repo = img[len("registry.platc.invalid/"):].rsplit(":", 1)[0]
            if repo not in repos:
                fail(f"image {img}: no ECR repository {repo}")

zones = {after.get("name") for _, after, _ in of_type("aws_route53_zone")}
certs = {after.get("domain_name") for _, after, _ in of_type("aws_acm_certificate")}
for d in docs:
    if d.get("kind") != "Ingress":
        continue
    tls_hosts = {h for t in d["spec"].get("tls", []) for h in t.get("hosts", [])}
    for rule in d["spec"].get("rules", []):
        h = rule.get("host")
        if not h:
            continue
        if not any(h == z or h.endswith("." + z) for z in zones):
            fail(f"Ingress host {h}: no Route 53 zone")
        if h in tls_hosts and h not in certs:
            fail(f"Ingress host {h}: no ACM certificate")

# The cloud resources the dashboards query are the ones the plan creates, by the names CloudWatch
# publishes them under (an ElastiCache replication group's nodes are `<id>-NNN`).
created = {
    "DBInstanceIdentifier": {af.get("identifier") for _, af, _ in of_type("aws_db_instance")},
    "QueueName": {af.get("name") for _, af, _ in of_type("aws_sqs_queue")},
    "BucketName": {af.get("bucket") for _, af, _ in of_type("aws_s3_bucket")},
    "CacheClusterId": {f"{af.get('replication_group_id')}-{k:03d}"
                       for _, af, _ in of_type("aws_elasticache_replication_group")
                       for k in range(1, int(af.get("num_cache_clusters") or 1) + 1)},
}


def targets(panel):
    for t in panel.get("targets", []) or []:
        yield t
    for p in panel.get("panels", []) or []:
        yield from targets(p)


dashboard_queries = 0
for d in docs:
    if d.get("kind") != "ConfigMap" or not d["metadata"]["name"].startswith("dashboard-"):
        continue
    for key, text in (d.get("data") or {}).items():
        model = json.loads(text)
        for panel in model.get("panels", []):
            for t in targets(panel):
                for dim, values in (t.get("dimensions") or {}).items():
                    if dim not in created:
                        continue
                    dashboard_queries += 1
                    for v in values if isinstance(values, list) else [values]:
                        if v not in created[dim]:
                            fail(f"dashboard {d['metadata']['name']}: {t.get('namespace')} {dim}={v} is not created by the plan")

for f in failures[:40]:
    print(f"  {os.path.basename(os.path.dirname(plan_path))}: {f}")
if len(failures) > 40:
    print(f"  ... {len(failures)} failures")
sys.exit(1 if failures else 0)
