"""Assertions over one environment of the GCP Terraform output, from the files alone.

    terraform_gcp_check.py MODULE_JSON MODULE_DIR KUBERNETES_ENV_DIR GRAPH_JSON

MODULE_JSON is the module as HashiCorp's HCL parser reads it (validate-terraform.mjs --dump: no
provider binary for google is on the machine, so there is no plan); MODULE_DIR the emitted files;
KUBERNETES_ENV_DIR the manifests of the same environment and target; GRAPH_JSON its typed graph.
A `${var.x}` is read as this environment's value (`<env>.tfvars`, else the default). Prints one
line per failed assertion (at most 40) and exits 1 when any failed. What it checks:
  - labels: the provider's default_labels carry the platform's tags (as written: the check step
    refused what GCP would, E0525) and `environment`; Cloud SQL's user_labels and the alert
    policies' user_labels carry them too;
  - customer-managed encryption: every bucket, Cloud SQL instance, Memorystore instance, queue
    topic and the Kafka cluster whose graph node has `encryption` uses the environment's key, and
    only those; the kind's service agent has the encrypter/decrypter role on it, and the resource
    depends on that grant;
  - no public data store: Cloud SQL without a public address (unless the graph says `public`) and
    TLS only, Memorystore on private services access with TLS and AUTH as the cache says, buckets
    with uniform access and public access prevention (unless `public`), GKE with private nodes and
    Workload Identity;
  - deletion protection, backups, point-in-time recovery and HA of each database as the graph says;
  - identities per edge: one service account per workload named as the contract says, which only
    its own Kubernetes ServiceAccount may impersonate, with roles on exactly the buckets and queues
    it references and the Kafka client role exactly when it references topics; no basic role
    (owner, editor, viewer) anywhere but roles/viewer of the pull-request plan account (`plan_viewer`);
  - agreement with the Kubernetes output: every ExternalSecret reads the `gcp-secret-manager`
    store and a secret the module creates, connection properties the module writes; the External
    Secrets account may read exactly the created secrets; every ServiceAccount's
    `iam.gke.io/gcp-service-account` names a created account of the environment's project that
    exactly that ServiceAccount may impersonate; every pushed image's repository exists; every
    Ingress host has its zone and, with TLS, the Google-managed certificate its annotation names;
    the resources the dashboards query are created under the names they query.
"""

import glob
import json
import os
import re
import sys

import yaml

module_json, module_dir, k8s_dir, graph_path = sys.argv[1:5]
mod = json.load(open(module_json))
graph = json.load(open(graph_path))
failures = []


def fail(msg):
    failures.append(msg)


env = graph["environment"]
platform = graph["platform"]
nodes = graph["nodes"]


def plain(v):
    if not isinstance(v, dict):
        return v
    t = v.get("type")
    if t == "duration":
        return v.get("seconds")
    if t == "map":
        return {k: plain(x) for k, x in v.get("entries", {}).items()}
    if "value" in v:
        return v["value"]
    return v


def node_attr(n, path, default=None):
    a = n.get("attributes", {}).get(path)
    return default if a is None else plain(a["value"])


def k8s_name(s):
    return s.lower().replace("_", "-")


def label_value(s):
    out = "".join(c if (c.isascii() and (c.isalnum() or c in "_-")) else "_" for c in s.lower())
    return out[:63]


prefix = k8s_name(platform) + "-" + k8s_name(env)

# The module, merged over its files.
resources = {}  # "type.name" -> body
variables, locals_, providers = {}, {}, {}
for f, j in mod["tf"].items():
    for ty, by_name in j.get("resource", {}).items():
        for name, bodies in by_name.items():
            resources[f"{ty}.{name}"] = bodies[0]
    for name, bodies in j.get("variable", {}).items():
        variables[name] = bodies[0]
    for block in j.get("locals", []):
        locals_.update(block)
    for name, bodies in j.get("provider", {}).items():
        providers[name] = bodies[0]
tfvars = {}
for f, j in mod["tfvars"].items():
    tfvars.update(j)


def value(v):
    """A `${var.x}` or `${local.x}` as this environment's value; anything else as written."""
    if isinstance(v, str):
        m = re.fullmatch(r"\$\{var\.(\w+)\}", v)
        if m:
            name = m.group(1)
            return tfvars.get(name, variables.get(name, {}).get("default"))
        m = re.fullmatch(r"\$\{local\.(\w+)\}", v)
        if m:
            return locals_.get(m.group(1))
    return v


def of_type(t):
    return [(a, b) for a, b in resources.items() if a.split(".")[0] == t]


def block(body, name):
    b = body.get(name)
    return b[0] if isinstance(b, list) and b else {}


project = value("${var.project}")
if project != prefix:
    fail(f"project is {project!r}: the Kubernetes output names service accounts of project {prefix!r}")

# --- labels ------------------------------------------------------------------------------------
platform_node = next(n for n in nodes if n["kind"] == "platform")
tags = node_attr(platform_node, "tags", {}) or {}
labels = value(providers.get("google", {}).get("default_labels"))
if not isinstance(labels, dict):
    fail("the provider has no default_labels")
    labels = {}
# The tags as written (the check step refuses what GCP would, E0525); platc's own as labels.
for k, v in list(tags.items()) + [("environment", label_value(env))]:
    if labels.get(k) != str(v):
        fail(f"default_labels: {k} is {labels.get(k)!r}, not {str(v)!r}")
for k, v in labels.items():
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", k) or not re.fullmatch(r"[a-z0-9_-]{0,63}", v):
        fail(f"default_labels: {k}={v} breaks GCP's label rules")

# --- data stores -------------------------------------------------------------------------------
by_cloud_name = {prefix + "-" + k8s_name(n["id"]): n for n in nodes}

# Customer-managed encryption: every data store whose `encryption` is on uses the environment's
# key, its service agent may use the key, and it waits for that grant; none other uses it.
KEY = "${google_kms_crypto_key.main.id}"
AGENTS = {"bucket": "gs-project-accounts", "database": "gcp-sa-cloud-sql", "cache": "cloud-redis",
          "queue": "gcp-sa-pubsub", "topic": "gcp-sa-managedkafka"}
grants = {}  # agent domain -> address
for addr, body in of_type("google_kms_crypto_key_iam_member"):
    m = re.fullmatch(r"serviceAccount:service-\$\{data\.google_project\.this\.number\}@([a-z-]+)"
                     r"\.iam\.gserviceaccount\.com", str(body.get("member")))
    if body.get("crypto_key_id") != KEY or body.get("role") != "roles/cloudkms.cryptoKeyEncrypterDecrypter" or not m:
        fail(f"{addr}: not the encrypter/decrypter role of a service agent on the environment's key")
        continue
    grants[m.group(1)] = addr
for addr, body in of_type("google_kms_key_ring"):
    if body.get("location") != providers.get("google", {}).get("region"):
        fail(f"{addr}: the key ring is not in the region of the data (the provider's)")


def check_key(addr, body, key, n, kind=None):
    kind = kind or n["kind"]
    want = bool(node_attr(n, "encryption", True))
    if want and key != KEY:
        fail(f"{addr}: not encrypted with the environment's key, though `encryption` is on")
    if not want and key:
        fail(f"{addr}: a customer-managed key, though `encryption = false`")
    if want:
        g = grants.get(AGENTS[kind])
        if not g:
            fail(f"{addr}: the {kind}'s service agent may not use the key")
        elif "${%s}" % g not in (body.get("depends_on") or []):
            fail(f"{addr}: created before its service agent may use the key (depends_on)")
for addr, body in of_type("google_sql_database_instance"):
    n = by_cloud_name.get(body.get("name"))
    if not n or n["kind"] != "database":
        fail(f"{addr}: {body.get('name')!r} is no database of the graph")
        continue
    s = block(body, "settings")
    ip = block(s, "ip_configuration")
    if ip.get("ipv4_enabled") is not False and not node_attr(n, "public", False):
        fail(f"{addr}: a public address")
    if ip.get("ssl_mode") != "ENCRYPTED_ONLY":
        fail(f"{addr}: connections without TLS")
    if not ip.get("private_network"):
        fail(f"{addr}: no private network")
    want_dp = node_attr(n, "deletion_protection", True)
    for where, v in (("deletion_protection", body.get("deletion_protection")),
                     ("settings.deletion_protection_enabled", s.get("deletion_protection_enabled"))):
        if value(v) != want_dp:
            fail(f"{addr}: {where} {value(v)}, the graph says {want_dp}")
    b = block(s, "backup_configuration")
    if b.get("enabled") is not True:
        fail(f"{addr}: backups off")
    days = int(node_attr(n, "backup.retention", 7 * 86400)) // 86400
    if value(block(b, "backup_retention_settings").get("retained_backups")) != max(days, 1):
        fail(f"{addr}: retained_backups differ from backup.retention ({days} days)")
    pitr = node_attr(n, "backup.point_in_time", True)
    got = b.get("binary_log_enabled", b.get("point_in_time_recovery_enabled"))
    if got != pitr:
        fail(f"{addr}: point-in-time recovery {got}, the graph says {pitr}")
    want_ha = "REGIONAL" if node_attr(n, "high_availability", False) else "ZONAL"
    if value(s.get("availability_type")) != want_ha:
        fail(f"{addr}: availability_type {value(s.get('availability_type'))}, the graph says {want_ha}")
    if not re.match(r"^\$\{(merge\()?local\.labels\b", str(s.get("user_labels"))):
        fail(f"{addr}: user_labels without the platform's labels")
    check_key(addr, body, body.get("encryption_key_name"), n)
for addr, body in of_type("google_sql_user"):
    if "password" in body or not body.get("password_wo"):
        fail(f"{addr}: the password is not write-only (it would be in the state)")
for addr, body in of_type("google_redis_instance"):
    n = by_cloud_name.get(body.get("name"))
    if not n or n["kind"] != "cache":
        fail(f"{addr}: {body.get('name')!r} is no cache of the graph")
        continue
    if body.get("connect_mode") != "PRIVATE_SERVICE_ACCESS":
        fail(f"{addr}: not on private services access")
    tls = node_attr(n, "tls", True)
    if (body.get("transit_encryption_mode") == "SERVER_AUTHENTICATION") != tls:
        fail(f"{addr}: transit encryption differs from the cache's `tls`")
    if body.get("auth_enabled") != node_attr(n, "auth", True):
        fail(f"{addr}: AUTH differs from the cache's `auth`")
    check_key(addr, body, body.get("customer_managed_key"), n)
for addr, body in of_type("google_storage_bucket"):
    n = by_cloud_name.get(body.get("name"))
    public = bool(n and node_attr(n, "public", False))
    if body.get("uniform_bucket_level_access") is not True:
        fail(f"{addr}: ACLs allowed")
    if not public and body.get("public_access_prevention") != "enforced":
        fail(f"{addr}: public access not prevented")
    if n and node_attr(n, "versioning", True) and block(body, "versioning").get("enabled") is not True:
        fail(f"{addr}: not versioned")
    if n:
        check_key(addr, body, block(body, "encryption").get("default_kms_key_name"), n)
for addr, body in of_type("google_storage_bucket_iam_member"):
    if body.get("member") in ("allUsers", "allAuthenticatedUsers"):
        n = by_cloud_name.get(resources.get(body["bucket"][2:-1].rsplit(".", 1)[0], {}).get("name"))
        if not (n and node_attr(n, "public", False)) or body.get("role") != "roles/storage.legacyObjectReader":
            fail(f"{addr}: {body.get('member')} gets {body.get('role')}")
for addr, body in of_type("google_container_cluster"):
    if block(body, "private_cluster_config").get("enable_private_nodes") is not True:
        fail(f"{addr}: nodes with public addresses")
    if block(body, "workload_identity_config").get("workload_pool") != f"{prefix}.svc.id.goog":
        fail(f"{addr}: no Workload Identity pool of the project")
    if body.get("datapath_provider") != "ADVANCED_DATAPATH":
        fail(f"{addr}: NetworkPolicies not enforced (Dataplane V2)")
for addr, body in of_type("google_container_node_pool"):
    if block(block(body, "node_config"), "workload_metadata_config").get("mode") != "GKE_METADATA":
        fail(f"{addr}: pods can reach the node's identity")

for addr, body in of_type("google_pubsub_topic"):
    n = by_cloud_name.get(body.get("name"))
    if n and n["kind"] == "queue":
        check_key(addr, body, body.get("kms_key_name"), n)
topic_nodes = [n for n in nodes if n["kind"] == "topic"]
for addr, body in of_type("google_managed_kafka_cluster"):
    # One cluster for every topic: the platform's key when any topic asks for it.
    want = [n for n in topic_nodes if node_attr(n, "encryption", True)]
    if topic_nodes:
        check_key(addr, body, block(body, "gcp_config").get("kms_key"), (want or topic_nodes)[0], "topic")

# Where the key exists, the secrets (the data stores' credentials) and the image repository use it
# too, each after its service agent's grant; a secret then has one replica in the key's region.
has_key = bool(of_type("google_kms_crypto_key"))
for ty, agent, get in (
        ("google_secret_manager_secret", "gcp-sa-secretmanager",
         lambda b: block(block(block(block(b, "replication"), "user_managed"), "replicas"),
                         "customer_managed_encryption").get("kms_key_name")),
        ("google_artifact_registry_repository", "gcp-sa-artifactregistry", lambda b: b.get("kms_key_name"))):
    for addr, body in of_type(ty):
        key = get(body)
        if has_key and key != KEY:
            fail(f"{addr}: not encrypted with the environment's key, though the environment has one")
        if not has_key and key:
            fail(f"{addr}: a customer-managed key, though the environment has none")
        if has_key:
            g = grants.get(agent)
            if not g:
                fail(f"{addr}: its service agent ({agent}) may not use the key")
            elif "${%s}" % g not in (body.get("depends_on") or []):
                fail(f"{addr}: created before its service agent may use the key (depends_on)")
        if ty == "google_secret_manager_secret" and has_key:
            loc = block(block(block(body, "replication"), "user_managed"), "replicas").get("location")
            if loc != providers.get("google", {}).get("region"):
                fail(f"{addr}: its replica is not in the key's region")

# --- IAM ---------------------------------------------------------------------------------------
for ty in ("google_project_iam_member", "google_storage_bucket_iam_member", "google_pubsub_topic_iam_member",
           "google_pubsub_subscription_iam_member", "google_secret_manager_secret_iam_member"):
    for addr, body in of_type(ty):
        # The one basic role allowed: roles/viewer of the pull-request plan account, which must read
        # every resource the module manages (and cannot read a secret's payload).
        if addr == "google_project_iam_member.plan_viewer" and body.get("role") == "roles/viewer":
            continue
        if body.get("role") in ("roles/owner", "roles/editor", "roles/viewer"):
            fail(f"{addr}: basic role {body.get('role')}")

accounts = {}  # account id -> label
for addr, body in of_type("google_service_account"):
    accounts[body.get("account_id")] = addr.split(".", 1)[1]


def members_of_account(label):
    """The principals that may impersonate the account `label`."""
    out = []
    for addr, body in of_type("google_service_account_iam_member"):
        if body.get("service_account_id") == "${google_service_account.%s.name}" % label:
            if body.get("role") == "roles/iam.workloadIdentityUser":
                out.append(body.get("member"))
    return out


def grants_of(label):
    member = "serviceAccount:${google_service_account.%s.email}" % label
    out = []
    for addr, body in resources.items():
        if body.get("member") == member:
            out.append((addr.split(".")[0], body))
    return out


index_of = {n["id"]: k for k, n in enumerate(nodes)}
for w in [n for n in nodes if n["kind"] in ("service", "worker", "job")]:
    account = k8s_name(w["id"]) + "-identity"
    label = accounts.get(account)
    if not label:
        fail(f"workload {w['id']}: no service account {account}")
        continue
    want = {"bucket": set(), "queue": set(), "topic": set()}
    for e in graph["edges"]:
        t = nodes[index_of[e["to"]]]
        if e["from"] == w["id"] and t["kind"] in want:
            want[t["kind"]].add(t["id"])
    got_buckets, got_topics, got_subs, kafka, other = set(), set(), set(), False, []
    for ty, body in grants_of(label):
        ref = lambda k: body.get(k, "")[2:-1].split(".")[1] if body.get(k, "").startswith("${") else body.get(k)
        if ty == "google_storage_bucket_iam_member":
            got_buckets.add(ref("bucket"))
        elif ty == "google_pubsub_topic_iam_member":
            got_topics.add(ref("topic"))
        elif ty == "google_pubsub_subscription_iam_member":
            got_subs.add(ref("subscription"))
        elif ty == "google_project_iam_member" and body.get("role") == "roles/managedkafka.client" and body.get("condition"):
            kafka = True
        else:
            other.append(f"{ty} {body.get('role')}")
    lab = lambda ids: {i.replace("-", "_") for i in ids}
    if got_buckets != lab(want["bucket"]):
        fail(f"workload {w['id']}: buckets {sorted(got_buckets)}, its references {sorted(want['bucket'])}")
    if got_topics != lab(want["queue"]) or got_subs != lab(want["queue"]):
        fail(f"workload {w['id']}: queues {sorted(got_topics)}/{sorted(got_subs)}, its references {sorted(want['queue'])}")
    if kafka != bool(want["topic"]):
        fail(f"workload {w['id']}: Kafka client role {kafka}, its topics {sorted(want['topic'])}")
    if other:
        fail(f"workload {w['id']}: other grants {other}")

# --- agreement with the Kubernetes output ------------------------------------------------------
docs = []
for p in sorted(glob.glob(os.path.join(k8s_dir, "*.yaml"))):
    docs += [d for d in yaml.safe_load_all(open(p)) if d]
secrets = {body.get("secret_id"): addr.split(".", 1)[1] for addr, body in of_type("google_secret_manager_secret")}
secrets_tf = open(os.path.join(module_dir, "secrets.tf")).read() if os.path.exists(os.path.join(module_dir, "secrets.tf")) else ""


def written_properties(label):
    m = re.search(r'(?ms)^resource "google_secret_manager_secret_version" "%s" \{\n(.*?)^\}' % re.escape(label), secrets_tf)
    return set(re.findall(r"(?m)^    (\w+) +=", m.group(1))) if m else None


read = set()
for d in docs:
    if d.get("kind") != "ExternalSecret":
        continue
    if d["spec"]["secretStoreRef"]["name"] != "gcp-secret-manager":
        fail(f"ExternalSecret {d['metadata']['name']}: store {d['spec']['secretStoreRef']['name']}")
    for item in d["spec"].get("data", []):
        key, prop = item["remoteRef"]["key"], item["remoteRef"].get("property")
        read.add(key)
        if key not in secrets:
            fail(f"ExternalSecret {d['metadata']['name']}: no Secret Manager secret {key}")
        elif key.endswith("-connection"):
            props = written_properties(secrets[key])
            if props is None or prop not in props:
                fail(f"ExternalSecret {d['metadata']['name']}: secret {key} has no property {prop}")
eso = accounts.get("external-secrets")
granted = set()
if eso:
    if members_of_account(eso) != [f"serviceAccount:{prefix}.svc.id.goog[external-secrets/external-secrets]"]:
        fail(f"the External Secrets account is impersonated by {members_of_account(eso)}")
    for ty, body in grants_of(eso):
        if ty != "google_secret_manager_secret_iam_member" or body.get("role") != "roles/secretmanager.secretAccessor":
            fail(f"the External Secrets account has {ty} {body.get('role')}")
            continue
        label = body["secret_id"][2:-1].split(".")[1]
        granted |= {k for k, v in secrets.items() if v == label}
elif read:
    fail("no External Secrets account")
if not read <= granted:
    fail(f"the External Secrets account cannot read {sorted(read - granted)}")
if granted != set(secrets):
    fail(f"the External Secrets account reads {sorted(granted)}, the module creates {sorted(secrets)}")

for d in docs:
    if d.get("kind") != "ServiceAccount":
        continue
    ns, sa = d["metadata"]["namespace"], d["metadata"]["name"]
    email = (d["metadata"].get("annotations") or {}).get("iam.gke.io/gcp-service-account")
    if not email:
        fail(f"ServiceAccount {sa}: no iam.gke.io/gcp-service-account")
        continue
    account, _, domain = email.partition("@")
    if domain != f"{project}.iam.gserviceaccount.com":
        fail(f"ServiceAccount {sa}: {email} is not of project {project}")
    if account not in accounts:
        fail(f"ServiceAccount {sa}: service account {account} is not in the module")
        continue
    members = members_of_account(accounts[account])
    if members != [f"serviceAccount:{prefix}.svc.id.goog[{ns}/{sa}]"]:
        fail(f"ServiceAccount {ns}/{sa}: {account} may be impersonated by {members}")

repos = {body.get("repository_id") for _, body in of_type("google_artifact_registry_repository")}
for d in docs:
    spec = d.get("spec") or {}
    tmpl = spec.get("jobTemplate", {}).get("spec", spec).get("template", {}).get("spec", {})
    for c in tmpl.get("containers", []) + tmpl.get("initContainers", []):
        img = c.get("image", "")
        if img.startswith("registry.platc.invalid/"):
            repo = img[len("registry.platc.invalid/"):].split("/")[0]
            if repo not in repos:
                fail(f"image {img}: no Artifact Registry repository {repo}")

zones = {body.get("dns_name", "").rstrip(".") for _, body in of_type("google_dns_managed_zone")}
certs = {body.get("name"): block(body, "managed").get("domains", []) for _, body in of_type("google_compute_managed_ssl_certificate")}
for d in docs:
    if d.get("kind") != "Ingress":
        continue
    tls_hosts = {h for t in d["spec"].get("tls", []) for h in t.get("hosts", [])}
    cert = (d["metadata"].get("annotations") or {}).get("ingress.gcp.kubernetes.io/pre-shared-cert")
    for rule in d["spec"].get("rules", []):
        h = rule.get("host")
        if not h:
            continue
        if not any(h == z or h.endswith("." + z) for z in zones):
            fail(f"Ingress host {h}: no Cloud DNS zone")
        if h in tls_hosts and h not in certs.get(cert, []):
            fail(f"Ingress host {h}: certificate {cert!r} of its annotation is not created for it")

# The dashboards' Cloud Monitoring filters (label =~ regex) match a resource the module creates.
created = {
    "resource.label.database_id": {f"{project}:{b.get('name')}" for _, b in of_type("google_sql_database_instance")},
    "resource.label.instance_id": {f"projects/{project}/locations/x/instances/{b.get('name')}" for _, b in of_type("google_redis_instance")},
    "resource.label.subscription_id": {b.get("name") for _, b in of_type("google_pubsub_subscription")},
    "resource.label.bucket_name": {b.get("name") for _, b in of_type("google_storage_bucket")},
}
queries = 0
for d in docs:
    if d.get("kind") != "ConfigMap" or not d["metadata"]["name"].startswith("dashboard-"):
        continue
    for text in (d.get("data") or {}).values():
        stack = list(json.loads(text).get("panels", []))
        while stack:
            p = stack.pop()
            stack += p.get("panels", []) or []
            for t in p.get("targets", []) or []:
                fl = (t.get("timeSeriesList") or {}).get("filters") or []
                for k in range(len(fl) - 2):
                    if fl[k] in created and fl[k + 1] == "=~":
                        queries += 1
                        if not any(re.fullmatch(fl[k + 2], v or "") for v in created[fl[k]]):
                            fail(f"dashboard {d['metadata']['name']}: {fl[k]} =~ {fl[k + 2]} matches nothing the module creates")

for f in failures[:40]:
    print(f"  {os.path.basename(module_dir.rstrip('/'))}: {f}")
if len(failures) > 40:
    print(f"  ... {len(failures)} failures")
print(f"  assertions: {len(resources)} resources, {queries} dashboard queries, {len(read)} secrets read")
sys.exit(1 if failures else 0)
