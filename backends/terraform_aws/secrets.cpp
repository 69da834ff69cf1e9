// Secrets Manager: an entry for every declared secret (the entry only: people put the value
// there), and the connection entry of every data store (`<platform>-<env>-<name>-connection`, the
// remote key of its ExternalSecret) with one property per output, written with the write-only
// `secret_string_wo` so that no cache token reaches the state. A database's password is not among
// them: RDS keeps it in a secret of its own, which the ExternalSecret reads (database_entry).
#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

using graph::Node;

namespace {

Expr secret(Context& c, hcl::File& f, const std::string& label, const std::string& name, const std::string& what) {
  hcl::Block& s = f.block("resource", {"aws_secretsmanager_secret", label});
  s.body.attr("name", name);
  s.body.attr("description", what);
  s.body.attr("kms_key_id", Expr::ref(std::string(kKmsKey) + ".arn"));
  s.body.attr("recovery_window_in_days", Expr::number(7));
  s.body.attr("tags", Expr::object().set("Name", name));
  c.secret_entries.insert(name);
  return Expr::ref("aws_secretsmanager_secret." + label + ".id");
}

void version(hcl::File& f, const std::string& label, Expr value) {
  hcl::Block& v = f.block("resource", {"aws_secretsmanager_secret_version", label});
  v.body.attr("secret_id", Expr::ref("aws_secretsmanager_secret." + label + ".id"));
  v.body.attr("secret_string_wo", Expr::call("jsonencode", {std::move(value)}));
  // Raise it to write the entry again (after a new cache token).
  v.body.attr("secret_string_wo_version", Expr::ref("var.connection_secrets_version"));
}

// No password: RDS rotates the master password it manages every 7 days, so a copy here would go
// stale, and writing one would read the secret at every plan (an ephemeral read, which the pull
// requests' read-only plan identity is denied). The database's ExternalSecret reads `password`
// from RDS's own secret and makes `url` from it and these (backends/kubernetes/secrets.cpp).
Expr database_entry(const Node& n) {
  std::string db = "aws_db_instance." + Context::label(n.id);
  const graph::Value* ev = n.value("engine");
  std::string port = std::to_string(contract::database_port(ev ? ev->text : "postgres"));
  return Expr::object()
      .set("host", Expr::ref(db + ".address"))
      .set("port", port)
      .set("user", std::string(contract::kDatabaseUser))
      .set("database", n.id)
      .set("name", n.id)
      .set("id", Expr::ref(db + ".identifier"))
      .set("ca_cert", Expr::ref("var.rds_ca_bundle"));
}

Expr cache_entry(Context& c, const Node& n) {
  std::string rg = "aws_elasticache_replication_group." + Context::label(n.id);
  bool tls = Context::bool_of(n, "tls", true);
  bool auth = tls && Context::bool_of(n, "auth", true);
  std::string port = std::to_string(contract::cache_port(c.d.target(), tls));
  Expr host = Expr::ref(rg + ".primary_endpoint_address");
  Expr token = Expr::ref("var.cache_auth_tokens[\"" + n.id + "\"]");
  std::vector<Expr> url = {Expr::str(tls ? "rediss://" : "redis://")};
  if (auth) {
    url.push_back(Expr::str(":"));
    url.push_back(Expr::call("urlencode", {token}));
    url.push_back(Expr::str("@"));
  }
  url.push_back(host);
  url.push_back(Expr::str(":" + port));
  Expr o = Expr::object().set("url", Expr::tmpl(std::move(url))).set("host", host).set("port", port);
  o.set("password", auth ? token : Expr::str(""));
  o.set("tls", tls ? "true" : "false");
  o.set("name", c.cloud_name(n));
  return o;
}

}  // namespace

void secret_files(Context& c) {
  hcl::File& f = c.file("secrets.tf");
  std::set<std::string> stores;
  for (const Node* n : c.of_kind("secret")) {
    c.note_source(n);
    std::string store = Context::text_of(*n, "store");
    if (store.empty() || !stores.insert(store).second) continue;
    secret(c, f, "secret_" + Context::label(n->id), store,
           "secret " + n->id + " of " + c.prefix + ": its value is put here by people, never by Terraform");
  }
  bool connections = false;
  for (const auto& n : c.g.nodes) {
    std::string kind = n.kind;
    bool store = kind == "database" || kind == "cache" || kind == "topic" || kind == "queue" || kind == "bucket";
    if (!store || (kind != "database" && kind != "cache" && c.users_of(n).empty())) continue;
    std::string l = "conn_" + Context::label(n.id);
    secret(c, f, l, c.d.connection_entry(n.id),
           "connection of " + kind + " " + n.id + " (" + c.prefix + "): read by its ExternalSecret");
    Expr value;
    if (kind == "database") value = database_entry(n);
    if (kind == "cache") value = cache_entry(c, n);
    if (kind == "topic")
      value =
          Expr::object().set("brokers", Expr::ref("aws_msk_cluster.main.bootstrap_brokers_sasl_iam")).set("name", n.id);
    if (kind == "queue")
      value = Expr::object()
                  .set("url", Expr::ref("aws_sqs_queue." + Context::label(n.id) + ".url"))
                  .set("name", c.cloud_name(n))
                  .set("id", Expr::ref("aws_sqs_queue." + Context::label(n.id) + ".arn"));
    if (kind == "bucket")
      value = Expr::object()
                  .set("url", "s3://" + c.cloud_name(n))
                  .set("name", c.cloud_name(n))
                  .set("id", c.cloud_name(n))
                  .set("endpoint", "https://s3." + c.region + ".amazonaws.com")
                  .set("region", c.region);
    version(f, l, std::move(value));
    connections = true;
  }
  if (connections)
    c.var({"connection_secrets_version", "number",
           "Raise to write the connection entries again (a new cache token, a changed endpoint).", std::nullopt,
           Expr::number(1), false});
  if (!c.of_kind("database").empty())
    c.var({"rds_ca_bundle", "string",
           "The Amazon RDS CA bundle of the region (PEM), the `ca_cert` of each database's connection entry: "
           "https://truststore.pki.rds.amazonaws.com/" +
               c.region + "/" + c.region + "-bundle.pem",
           std::nullopt, std::nullopt, false});
}

}  // namespace platc::terraform_aws
