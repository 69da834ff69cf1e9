"""Assertions over one environment of the Azure Terraform output, from the files alone.

    terraform_azure_check.py MODULE_JSON MODULE_DIR KUBERNETES_ENV_DIR GRAPH_JSON SCHEMA_GZ

MODULE_JSON is the module's .tf files parsed by HashiCorp's HCL parser (terraform-json.mjs);
MODULE_DIR the emitted files; KUBERNETES_ENV_DIR the manifests of the same environment;
GRAPH_JSON its typed graph; SCHEMA_GZ the compact azurerm schema (which types take `tags`).
Prints one line per failed assertion (at most 40) and exits 1 when any failed. What it checks:
  - every resource whose type takes tags has `tags` with local.tags, and local.tags holds the
    platform's tags and `environment`;
  - no public database, cache, event hub or Service Bus namespace, or bucket unless the graph says `public`;
    TLS 1.2 and no plain port; no shared keys; Key Vault in RBAC mode with purge protection and a
    deny-by-default firewall; no secret value that is not write-only; database passwords only
    write-only; backup retention, zone-redundant HA and the delete lock as the environment says;
  - identities per edge: each workload's managed identity has exactly the role assignments its
    references to buckets, topics and queues need, on exactly those resources, and a federated credential
    for exactly its ServiceAccount;
  - agreement with the Kubernetes output: every ExternalSecret reads the store `azure-key-vault`
    and a Key Vault secret of the module, connection entries with the property written; the
    External Secrets identity reads exactly those secrets; every ServiceAccount with a client-id
    annotation has the managed identity of its name, federated for exactly that namespace and
    ServiceAccount; every pushed image's repository is in the registry's outputs; every Ingress
    host has its DNS zone and, with TLS, the certificate its annotation names; the resources the
    dashboards query (resource group, name, namespace) are created by the module.
"""

import glob
import gzip
import json
import os
import re
import sys

import yaml

module_json, module, k8s_dir, graph_path, schema_path = sys.argv[1:6]
tf = json.load(open(module_json))
graph = json.load(open(graph_path))
schema = json.load(gzip.open(schema_path))["resources"]
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

# resources: (type, label) -> body
resources = {}
text = {}
for f, j in tf.items():
    text[f] = open(os.path.join(module, f)).read()
    for ty, by in (j.get("resource") or {}).items():
        for label, lst in by.items():
            resources[(ty, label)] = lst[0]


def of_type(t):
    return [(l, b) for (ty, l), b in sorted(resources.items()) if ty == t]


def one(block, name):
    v = block.get(name)
    return v[0] if isinstance(v, list) and v and isinstance(v[0], dict) else v


# --- tfvars: the environment's values ------------------------------------------------------------
tfvars = {}
for line in open(os.path.join(module, f"{env}.tfvars")):
    m = re.match(r"^(\w+)\s*=\s*(.+)$", line.strip())
    if m:
        try:
            tfvars[m.group(1)] = json.loads(m.group(2))
        except ValueError:
            tfvars[m.group(1)] = m.group(2)


def value(v):
    """A literal, or the tfvars value of `${var.x}`."""
    if isinstance(v, str):
        m = re.fullmatch(r"\$\{var\.(\w+)\}", v)
        if m:
            return tfvars.get(m.group(1))
    return v


# --- tags --------------------------------------------------------------------------------------
local_tags = {}
for f, j in tf.items():
    for loc in j.get("locals") or []:
        if "tags" in loc:
            local_tags = loc["tags"]
for k in list(tags) + ["environment"]:
    if k not in local_tags:
        fail(f"local.tags lacks `{k}`")
if local_tags.get("environment") != env:
    fail(f"local.tags.environment is {local_tags.get('environment')!r}, not {env!r}")
for (ty, label), body in sorted(resources.items()):
    s = schema.get(ty)
    if not s or "tags" not in s["a"]:
        continue
    if "local.tags" not in json.dumps(body.get("tags", "")):
        fail(f"{ty}.{label}: no tags (local.tags)")

# --- data stores --------------------------------------------------------------------------------
by_cloud = {}
for n in nodes:
    by_cloud[prefix + "-" + k8s_name(n["id"])] = n


def lock_on(ref):
    return any(ref in json.dumps(b.get("scope")) and b.get("lock_level") == "CanNotDelete"
               for _, b in of_type("azurerm_management_lock"))


for ty in ("azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"):
    for label, b in of_type(ty):
        n = by_cloud.get(b.get("name"))
        if not n:
            fail(f"{ty}.{label}: {b.get('name')!r} is no database of the graph")
            continue
        if b.get("public_network_access_enabled", b.get("public_network_access")) not in (False, "Disabled"):
            fail(f"{ty}.{label}: public network access")
        if not b.get("delegated_subnet_id") or not b.get("private_dns_zone_id"):
            fail(f"{ty}.{label}: no private access (delegated subnet and private DNS zone)")
        if "administrator_password" in b or "administrator_password_wo" not in b:
            fail(f"{ty}.{label}: the administrator password is not write-only")
        ret = node_attr(n, "backup.retention", 7 * 86400)
        want = min(35, max(7, int(ret) // 86400))
        if value(b.get("backup_retention_days")) != want:
            fail(f"{ty}.{label}: backup_retention_days {value(b.get('backup_retention_days'))}, the environment says {want}")
        ha = one(b, "high_availability")
        if bool(ha) != bool(node_attr(n, "high_availability", False)) or (ha and ha.get("mode") != "ZoneRedundant"):
            fail(f"{ty}.{label}: high availability {ha}, the environment says {node_attr(n, 'high_availability', False)}")
        if lock_on(f"{ty}.{label}.id") != bool(node_attr(n, "deletion_protection", True)):
            fail(f"{ty}.{label}: delete lock differs from deletion_protection")
        # `encryption`: the environment's Key Vault key through the databases' identity.
        cmk = one(b, "customer_managed_key") or {}
        enc = bool(node_attr(n, "encryption", True))
        if enc != (cmk.get("key_vault_key_id") == "${azurerm_key_vault_key.data.id}"):
            fail(f"{ty}.{label}: customer-managed key differs from the database's `encryption`")
        ident = "${azurerm_user_assigned_identity.database_encryption.id}"
        if enc and (cmk.get("primary_user_assigned_identity_id") != ident
                    or ident not in ((one(b, "identity") or {}).get("identity_ids") or [])
                    or "${azurerm_role_assignment.database_encryption}" not in (b.get("depends_on") or [])):
            fail(f"{ty}.{label}: the customer-managed key is not used through the database identity")

endpoints = {json.dumps(one(b, "private_service_connection").get("private_connection_resource_id"))
             for _, b in of_type("azurerm_private_endpoint")}
for label, b in of_type("azurerm_redis_cache"):
    n = by_cloud.get(b.get("name"))
    if not n:
        fail(f"azurerm_redis_cache.{label}: no cache of the graph is named {b.get('name')!r}")
        continue
    if b.get("public_network_access_enabled") is not False:
        fail(f"azurerm_redis_cache.{label}: public network access")
    if b.get("minimum_tls_version") != "1.2":
        fail(f"azurerm_redis_cache.{label}: TLS below 1.2")
    if b.get("non_ssl_port_enabled") != (not node_attr(n, "tls", True)):
        fail(f"azurerm_redis_cache.{label}: the plain port differs from the cache's `tls`")
    if json.dumps(f"${{azurerm_redis_cache.{label}.id}}") not in endpoints:
        fail(f"azurerm_redis_cache.{label}: no private endpoint")

for label, b in of_type("azurerm_eventhub_namespace"):
    if b.get("public_network_access_enabled") is not False or b.get("local_authentication_enabled") is not False:
        fail(f"azurerm_eventhub_namespace.{label}: public or key-authenticated")
    if b.get("minimum_tls_version") != "1.2":
        fail(f"azurerm_eventhub_namespace.{label}: TLS below 1.2")
for label, b in of_type("azurerm_servicebus_namespace"):
    if b.get("public_network_access_enabled") is not False or b.get("local_auth_enabled") is not False:
        fail(f"azurerm_servicebus_namespace.{label}: public or key-authenticated")
    # One namespace for every queue: the environment's key when any queue has `encryption`.
    cmk = one(b, "customer_managed_key") or {}
    enc = any(node_attr(n, "encryption", True) for n in nodes if n["kind"] == "queue")
    ident = "${azurerm_user_assigned_identity.messaging_encryption.id}"
    if enc != (cmk.get("key_vault_key_id") == "${azurerm_key_vault_key.data.id}"):
        fail(f"azurerm_servicebus_namespace.{label}: customer-managed key differs from the queues' `encryption`")
    if enc and (cmk.get("identity_id") != ident
                or ident not in ((one(b, "identity") or {}).get("identity_ids") or [])
                or "${azurerm_role_assignment.messaging_encryption}" not in (b.get("depends_on") or [])):
        fail(f"azurerm_servicebus_namespace.{label}: the customer-managed key is not used through the messaging identity")
queues = {b.get("name") for _, b in of_type("azurerm_servicebus_queue")}
for n in nodes:
    if n["kind"] == "queue" and prefix + "-" + k8s_name(n["id"]) not in queues:
        fail(f"queue {n['id']}: no Service Bus queue")
hubs = {b.get("name"): label for label, b in of_type("azurerm_eventhub")}
for n in nodes:
    if n["kind"] == "topic" and n["id"] not in hubs:
        fail(f"topic {n['id']}: no event hub")

accounts = {b.get("name"): (label, b) for label, b in of_type("azurerm_storage_account")}
for n in nodes:
    if n["kind"] != "bucket":
        continue
    name = (prefix + "-" + k8s_name(n["id"])).replace("-", "")[:24]
    if name not in accounts:
        fail(f"bucket {n['id']}: no storage account {name}")
        continue
    label, b = accounts[name]
    if not re.fullmatch(r"[a-z0-9]{3,24}", name):
        fail(f"storage account {name}: not 3-24 lower-case letters and digits")
    pub = bool(node_attr(n, "public", False))
    if b.get("min_tls_version") != "TLS1_2" or b.get("https_traffic_only_enabled") is not True:
        fail(f"storage account {name}: not TLS 1.2 / HTTPS only")
    if b.get("shared_access_key_enabled") is not False:
        fail(f"storage account {name}: shared keys allowed")
    if b.get("allow_nested_items_to_be_public") != pub or b.get("public_network_access_enabled") != pub:
        fail(f"storage account {name}: public access differs from the bucket's `public`")
    bp = one(b, "blob_properties") or {}
    if bp.get("versioning_enabled") != bool(node_attr(n, "versioning", True)):
        fail(f"storage account {name}: versioning differs from the bucket's")
    if not pub and json.dumps(f"${{azurerm_storage_account.{label}.id}}") not in endpoints:
        fail(f"storage account {name}: no private endpoint")
    # `encryption`: the environment's Key Vault key through the storage identity, which may use
    # exactly that key; without it, Microsoft's keys.
    cmk = one(b, "customer_managed_key") or {}
    enc = bool(node_attr(n, "encryption", True))
    if enc != (cmk.get("key_vault_key_id") == "${azurerm_key_vault_key.data.versionless_id}"):
        fail(f"storage account {name}: customer-managed key differs from the bucket's `encryption`")
    if enc and (cmk.get("user_assigned_identity_id") != "${azurerm_user_assigned_identity.storage_encryption.id}"
                or "${azurerm_user_assigned_identity.storage_encryption.id}" not in ((one(b, "identity") or {}).get("identity_ids") or [])
                or "${azurerm_role_assignment.storage_encryption}" not in (b.get("depends_on") or [])):
        fail(f"storage account {name}: the customer-managed key is not used through the storage identity")
    life = any(node_attr(n, p) for p in ("lifecycle.archive_after", "lifecycle.expire_after", "lifecycle.noncurrent_expire_after"))
    if life != bool([1 for l, _ in of_type("azurerm_storage_management_policy") if l == label]):
        fail(f"storage account {name}: lifecycle policy differs from the bucket's `lifecycle`")

vaults = of_type("azurerm_key_vault")
if len(vaults) != 1:
    fail(f"{len(vaults)} Key Vaults, one expected")
for label, b in vaults:
    acl = one(b, "network_acls") or {}
    if b.get("rbac_authorization_enabled") is not True or b.get("purge_protection_enabled") is not True:
        fail(f"azurerm_key_vault.{label}: not RBAC mode with purge protection")
    if acl.get("default_action") != "Deny":
        fail(f"azurerm_key_vault.{label}: the firewall does not deny by default")
secrets = {b.get("name"): label for label, b in of_type("azurerm_key_vault_secret")}
for label, b in of_type("azurerm_key_vault_secret"):
    if "value" in b or "value_wo" not in b:
        fail(f"azurerm_key_vault_secret.{label}: a value that is not write-only reaches the state")
    if not re.fullmatch(r"[0-9A-Za-z-]{1,127}", b.get("name", "")):
        fail(f"azurerm_key_vault_secret.{label}: name {b.get('name')!r} is not a Key Vault secret name")

# --- identities per edge ------------------------------------------------------------------------
identities = {b.get("name"): label for label, b in of_type("azurerm_user_assigned_identity")}
creds = {}  # identity label -> subjects
for label, b in of_type("azurerm_federated_identity_credential"):
    m = re.fullmatch(r"\$\{azurerm_user_assigned_identity\.(\w+)\.id\}", b.get("parent_id", ""))
    if m:
        creds.setdefault(m.group(1), []).append(b.get("subject"))
assignments = {}  # identity label -> {(role, scope)}
for label, b in of_type("azurerm_role_assignment"):
    m = re.fullmatch(r"\$\{azurerm_user_assigned_identity\.(\w+)\.principal_id\}", b.get("principal_id", ""))
    if m:
        assignments.setdefault(m.group(1), set()).add((b.get("role_definition_name"), b.get("scope")))

if "storage_encryption" in identities.values():
    want = {("Key Vault Crypto Service Encryption User", "${azurerm_key_vault_key.data.resource_versionless_id}")}
    if assignments.get("storage_encryption", set()) != want:
        fail(f"the storage identity's roles are {sorted(assignments.get('storage_encryption', set()))}, not {sorted(want)}")

if "messaging_encryption" in identities.values():
    want = {("Key Vault Crypto Service Encryption User", "${azurerm_key_vault_key.data.resource_versionless_id}")}
    if assignments.get("messaging_encryption", set()) != want:
        fail(f"the messaging identity's roles are {sorted(assignments.get('messaging_encryption', set()))}, not {sorted(want)}")
if "database_encryption" in identities.values():
    want = {("Key Vault Crypto Service Encryption User", "${azurerm_key_vault_key.data.resource_versionless_id}")}
    if assignments.get("database_encryption", set()) != want:
        fail(f"the database identity's roles are {sorted(assignments.get('database_encryption', set()))}, not {sorted(want)}")

index_of = {n["id"]: k for k, n in enumerate(nodes)}
workloads = [n for n in nodes if n["kind"] in ("service", "worker", "job")]
for w in workloads:
    name = prefix + "-" + k8s_name(w["id"])
    label = identities.get(name)
    if not label:
        fail(f"workload {w['id']}: no managed identity {name}")
        continue
    want = set()
    for e in graph["edges"]:
        t = nodes[index_of[e["to"]]]
        tl = t["id"].replace("-", "_")
        if e["from"] != w["id"]:
            continue
        if t["kind"] == "bucket":
            want.add(("Storage Blob Data Contributor", f"${{azurerm_storage_container.{tl}.id}}"))
        if t["kind"] == "queue":
            want.add(("Azure Service Bus Data Sender", f"${{azurerm_servicebus_queue.{tl}.id}}"))
            want.add(("Azure Service Bus Data Receiver", f"${{azurerm_servicebus_queue.{tl}.id}}"))
        if t["kind"] == "topic":
            want.add(("Azure Event Hubs Data Sender", f"${{azurerm_eventhub.{tl}.id}}"))
            want.add(("Azure Event Hubs Data Receiver", f"${{azurerm_eventhub.{tl}.id}}"))
    got = assignments.get(label, set())
    if got != want:
        fail(f"workload {w['id']}: roles {sorted(got)}, its references need {sorted(want)}")

# --- agreement with the Kubernetes output -----------------------------------------------------
docs = []
for p in sorted(glob.glob(os.path.join(k8s_dir, "*.yaml"))):
    docs += [d for d in yaml.safe_load_all(open(p)) if d]
secrets_tf = text.get("secrets.tf", "")


def written_properties(label):
    m = re.search(r'(?ms)^resource "azurerm_key_vault_secret" "%s" \{\n(.*?)^\}' % re.escape(label), secrets_tf)
    if not m:
        return None
    return set(re.findall(r"(?m)^    (\w+) +=", m.group(1)))


read = set()
for d in docs:
    if d.get("kind") != "ExternalSecret":
        continue
    store = d["spec"]["secretStoreRef"]["name"]
    if store != "azure-key-vault":
        fail(f"ExternalSecret {d['metadata']['name']}: store {store}")
    for item in d["spec"].get("data", []):
        key, prop = item["remoteRef"]["key"], item["remoteRef"].get("property")
        read.add(key)
        if key not in secrets:
            fail(f"ExternalSecret {d['metadata']['name']}: no Key Vault secret {key}")
            continue
        if key.endswith("-connection"):
            props = written_properties(secrets[key])
            if props is None or prop not in props:
                fail(f"ExternalSecret {d['metadata']['name']}: entry {key} has no property {prop}")

eso = identities.get(prefix + "-external-secrets")
if read:
    if not eso:
        fail("no External Secrets identity")
    else:
        scopes = {s for r, s in assignments.get(eso, set()) if r == "Key Vault Secrets User"}
        names = set()
        for s in scopes:
            m = re.fullmatch(r"\$\{azurerm_key_vault_secret\.(\w+)\.resource_versionless_id\}", s)
            names |= {n for n, l in secrets.items() if m and l == m.group(1)}
        if not read <= names:
            fail(f"the External Secrets identity cannot read {sorted(read - names)}")
        if names != set(secrets):
            fail(f"the External Secrets identity reads {sorted(names)}, the vault holds {sorted(secrets)}")
        if creds.get(eso) != ["system:serviceaccount:external-secrets:external-secrets"]:
            fail(f"the External Secrets identity trusts {creds.get(eso)}")

for d in docs:
    if d.get("kind") != "ServiceAccount":
        continue
    meta = d["metadata"]
    ns, sa = meta["namespace"], meta["name"]
    if (meta.get("labels") or {}).get("azure.workload.identity/use") != "true" or \
            "azure.workload.identity/client-id" not in (meta.get("annotations") or {}):
        fail(f"ServiceAccount {sa}: no workload identity label and client-id annotation")
        continue
    label = identities.get(prefix + "-" + sa)
    if not label:
        fail(f"ServiceAccount {sa}: no managed identity {prefix}-{sa}")
        continue
    if creds.get(label) != [f"system:serviceaccount:{ns}:{sa}"]:
        fail(f"ServiceAccount {ns}/{sa}: its identity trusts {creds.get(label)}")

outputs = {}
for f, j in tf.items():
    for name, lst in (j.get("output") or {}).items():
        outputs[name] = lst[0].get("value")
repos = set((outputs.get("image_repositories") or {}).keys())
for d in docs:
    spec = d.get("spec") or {}
    tmpl = spec.get("jobTemplate", {}).get("spec", spec).get("template", {}).get("spec", {})
    for c in tmpl.get("containers", []) + tmpl.get("initContainers", []):
        img = c.get("image", "")
        if img.startswith("registry.platc.invalid/"):
            repo = img[len("registry.platc.invalid/"):].rsplit(":", 1)[0]
            if repo not in repos or not of_type("azurerm_container_registry"):
                fail(f"image {img}: no registry repository {repo}")

zones = {b.get("name") for _, b in of_type("azurerm_dns_zone")}
certs = {b.get("name"): b for _, b in of_type("azurerm_key_vault_certificate")}
for d in docs:
    if d.get("kind") != "Ingress":
        continue
    if d["spec"].get("ingressClassName") != "azure-application-gateway" or not one(
            resources.get(("azurerm_kubernetes_cluster", "main"), {}), "ingress_application_gateway"):
        fail(f"Ingress {d['metadata']['name']}: no Application Gateway ingress add-on serves its class")
    cert = (d["metadata"].get("annotations") or {}).get("appgw.ingress.kubernetes.io/appgw-ssl-certificate")
    tls_hosts = {h for t in d["spec"].get("tls", []) for h in t.get("hosts", [])}
    for rule in d["spec"].get("rules", []):
        h = rule.get("host")
        if not h:
            continue
        if not any(h == z or h.endswith("." + z) for z in zones):
            fail(f"Ingress host {h}: no DNS zone")
        if h in tls_hosts or cert:
            c = certs.get(cert)
            x509 = one(one(c, "certificate_policy") or {}, "x509_certificate_properties") if c else None
            sans = (one(x509 or {}, "subject_alternative_names") or {}).get("dns_names", [])
            if not c or h not in sans:
                fail(f"Ingress host {h}: no Key Vault certificate {cert} for it")

# The resources the dashboards query, by resource group, name and metric namespace.
created = {
    "Microsoft.DBforPostgreSQL/flexibleServers": {b.get("name") for _, b in of_type("azurerm_postgresql_flexible_server")},
    "Microsoft.DBforMySQL/flexibleServers": {b.get("name") for _, b in of_type("azurerm_mysql_flexible_server")},
    "Microsoft.Cache/redis": {b.get("name") for _, b in of_type("azurerm_redis_cache")},
    "Microsoft.Storage/storageAccounts": set(accounts),
    "Microsoft.ServiceBus/namespaces": {b.get("name") for _, b in of_type("azurerm_servicebus_namespace")},
}
group = (resources.get(("azurerm_resource_group", "main")) or {}).get("name")


def targets(panel):
    for t in panel.get("targets", []) or []:
        yield t
    for p in panel.get("panels", []) or []:
        yield from targets(p)


queried = 0
for d in docs:
    if d.get("kind") != "ConfigMap" or not d["metadata"]["name"].startswith("dashboard-"):
        continue
    for key, body in (d.get("data") or {}).items():
        model = json.loads(body)
        queried -= body.count('"azureMonitor"')
        for panel in model.get("panels", []):
            for t in targets(panel):
                queried += 1 if t.get("azureMonitor") else 0
                for r in (t.get("azureMonitor") or {}).get("resources", []):
                    ns = r.get("metricNamespace")
                    if r.get("resourceGroup") != group:
                        fail(f"dashboard {d['metadata']['name']}: resource group {r.get('resourceGroup')}, the module's is {group}")
                    if r.get("resourceName") not in created.get(ns, set()):
                        fail(f"dashboard {d['metadata']['name']}: {ns} {r.get('resourceName')} is not created by the module")

if queried < 0:
    fail(f"{-queried} Azure Monitor queries of the dashboards were not found in their panels")

for f in failures[:40]:
    print(f"  {f}")
if len(failures) > 40:
    print(f"  ... {len(failures)} failures")
sys.exit(1 if failures else 0)
