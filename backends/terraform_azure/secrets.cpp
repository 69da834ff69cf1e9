// Key Vault: one vault per environment in RBAC mode with purge protection, reachable from the
// cluster's subnet (service endpoint) and the operators' addresses only. A secret for every
// declared secret (its value is put there by people: Terraform writes an empty first version,
// write-only, and never again), and the connection entry of every data store
// (`<platform>-<env>-<name>-connection`, the remote key of its ExternalSecret): a JSON object with
// one property per output, written with the write-only `value_wo` from the same ephemeral
// password the server was given, so no database password reaches the state. A cache's access key
// does: azurerm exposes it only as an attribute of the cache (see docs/design-notes.md).
#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

using graph::Node;

namespace {

hcl::Block& entry(Context& c, hcl::File& f, const std::string& label, const std::string& name,
                  const std::string& content_type) {
  hcl::Block& s = f.block("resource", {"azurerm_key_vault_secret", label});
  s.body.attr("name", name);
  s.body.attr("key_vault_id", Expr::ref(std::string(kVault) + ".id"));
  s.body.attr("content_type", content_type);
  c.vault_entries.push_back({label, name});
  return s;
}

// `of`: the block whose own tags the entry carries over the platform's.
void finish(hcl::Block& s, Expr value, Expr version, const Node& of) {
  s.body.attr("value_wo", std::move(value));
  s.body.attr("value_wo_version", std::move(version));
  s.body.attr("tags", Context::tags_of(&of));
  s.body.attr("depends_on", Expr::tuple({Expr::ref("azurerm_role_assignment.deployer_secrets")}));
}

Expr database_entry(const Node& n) {
  std::string l = Context::label(n.id);
  const graph::Value* ev = n.value("engine");
  bool mysql = ev && ev->text == "mysql";
  std::string server =
      std::string(mysql ? "azurerm_mysql_flexible_server." : "azurerm_postgresql_flexible_server.") + l;
  std::string port = std::to_string(contract::database_port(mysql ? "mysql" : "postgres"));
  Expr pw = Expr::ref("ephemeral.random_password." + l + ".result");
  Expr host = Expr::ref(server + ".fqdn");
  Expr url = Expr::tmpl(
      {Expr::str(std::string(contract::database_url_scheme(mysql ? "mysql" : "postgres")) + "://" +
                 std::string(contract::kDatabaseUser) + ":"),
       pw, Expr::str("@"), host,
       Expr::str(":" + port + "/" + n.id + std::string(contract::database_url_query(mysql ? "mysql" : "postgres")))});
  return Expr::object()
      .set("url", url)
      .set("host", host)
      .set("port", port)
      .set("user", std::string(contract::kDatabaseUser))
      .set("password", pw)
      .set("database", n.id)
      .set("name", n.id)
      .set("id", Expr::ref(server + ".id"))
      .set("ca_cert", Expr::ref("var.database_ca_bundle"));
}

Expr cache_entry(Context& c, const Node& n) {
  std::string r = "azurerm_redis_cache." + Context::label(n.id);
  bool tls = Context::bool_of(n, "tls", true);
  std::string port = std::to_string(contract::cache_port(c.d.target(), tls));
  Expr host = Expr::ref(r + ".hostname");
  Expr key = Expr::ref(r + ".primary_access_key");
  Expr url = Expr::tmpl({Expr::str(tls ? "rediss://:" : "redis://:"), Expr::call("urlencode", {key}), Expr::str("@"),
                         host, Expr::str(":" + port)});
  return Expr::object()
      .set("url", url)
      .set("host", host)
      .set("port", port)
      .set("password", key)
      .set("tls", tls ? "true" : "false")
      .set("name", c.cloud_name(n));
}

Expr bucket_entry(const Context& c, const Node& n) {
  Expr o = Expr::object();
  for (const char* out : {"url", "name", "endpoint", "region"})
    if (auto v = c.d.known_output(n, out)) o.set(out, *v);
  o.set("id", Expr::ref("azurerm_storage_container." + Context::label(n.id) + ".id"));
  return o;
}

}  // namespace

void secret_files(Context& c) {
  hcl::File& f = c.file("secrets.tf");
  Expr operators = c.var({"operator_cidrs", "list(string)",
                          "The addresses (CIDR) Terraform and the operators reach the Key Vault from.", std::nullopt,
                          Expr::tuple(), false});
  hcl::Block& kv = f.block("resource", {"azurerm_key_vault", "main"});
  placed(kv, key_vault_name(c.d));
  kv.body.attr("tenant_id", Expr::ref(std::string(kClient) + ".tenant_id"));
  kv.body.attr("sku_name", "standard");
  kv.body.attr("rbac_authorization_enabled", Expr::boolean(true));
  kv.body.attr("purge_protection_enabled", Expr::boolean(true));
  kv.body.attr("soft_delete_retention_days", Expr::number(90));
  kv.body.attr("public_network_access_enabled", Expr::boolean(true));
  hcl::Block& acl = kv.body.block("network_acls");
  acl.body.attr("default_action", "Deny");
  acl.body.attr("bypass", "AzureServices");
  acl.body.attr("ip_rules", operators);
  acl.body.attr("virtual_network_subnet_ids", Expr::tuple({Expr::ref(std::string(kNodesSubnet) + ".id")}));
  kv.body.attr("tags", Expr::ref("local.tags"));
  // Whoever runs Terraform writes the entries (and only that: reading them is the External
  // Secrets Operator's, per entry, identity.tf).
  hcl::Block& dep = f.block("resource", {"azurerm_role_assignment", "deployer_secrets"});
  dep.body.attr("scope", Expr::ref(std::string(kVault) + ".id"));
  dep.body.attr("role_definition_name", "Key Vault Secrets Officer");
  dep.body.attr("principal_id", Expr::ref(std::string(kClient) + ".object_id"));
  dep.body.attr("description", "Terraform writes the vault's entries");

  std::set<std::string> stores;
  for (const Node* n : c.of_kind("secret")) {
    c.note_source(n);
    std::string store = Context::text_of(*n, "store");
    if (store.empty() || !stores.insert(store).second) continue;
    hcl::Block& s = entry(c, f, "secret_" + Context::label(n->id), store, "set by people");
    // The first version is empty; people set the value (`az keyvault secret set`). The version
    // never changes, so Terraform never writes it again.
    finish(s, Expr::str(""), Expr::number(1), *n);
  }
  bool connections = false;
  for (const auto& n : c.g.nodes) {
    const std::string& kind = n.kind;
    if (kind != "database" && kind != "cache" && kind != "topic" && kind != "queue" && kind != "bucket") continue;
    std::string l = "connection_" + Context::label(n.id);
    hcl::Block& s = entry(c, f, l, c.d.connection_entry(n.id), "application/json");
    Expr value;
    if (kind == "database") value = database_entry(n);
    if (kind == "cache") value = cache_entry(c, n);
    if (kind == "topic")
      value = Expr::object()
                  .set("brokers", events_namespace(c.d) +
                                      ".servicebus.windows.net:" + std::to_string(c.d.target().kafka_ports.front()))
                  .set("name", n.id);
    if (kind == "queue")
      value = Expr::object()
                  .set("url", "https://" + c.d.messaging_namespace() + ".servicebus.windows.net/" + c.cloud_name(n))
                  .set("name", c.cloud_name(n))
                  .set("id", Expr::ref("azurerm_servicebus_queue." + Context::label(n.id) + ".id"));
    if (kind == "bucket") value = bucket_entry(c, n);
    finish(s, Expr::call("jsonencode", {std::move(value)}), Expr::ref("var.connection_secrets_version"), n);
    connections = true;
  }
  if (connections)
    c.var({"connection_secrets_version", "number",
           "Raise to set new database passwords and write the connection entries again (a rotated cache key).",
           std::nullopt, Expr::number(1), false});
  if (!c.of_kind("database").empty())
    c.var({"database_ca_bundle", "string",
           "The CA certificates Azure Database for PostgreSQL/MySQL server certificates chain to (PEM), the "
           "`ca_cert` of each database's connection entry: DigiCert Global Root G2 and Microsoft RSA Root "
           "Certificate Authority 2017.",
           std::nullopt, std::nullopt, false});
  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"key_vault_uri"}).body.attr("value", Expr::ref(std::string(kVault) + ".vault_uri"));
}

}  // namespace platc::terraform_azure
