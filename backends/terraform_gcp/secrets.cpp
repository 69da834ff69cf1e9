// Secret Manager: a secret for every declared secret (the secret only: people add its versions),
// and the connection secret of every data store (`<platform>-<env>-<name>-connection`, the remote
// key of its ExternalSecret) with one JSON property per output. Connection values are written
// with the write-only `secret_data_wo`, so no password reaches the state through them.
#include <set>

#include "backends/terraform_gcp/families.h"

namespace platc::terraform_gcp {

using graph::Node;

namespace {

void secret(Context& c, hcl::File& f, const std::string& label, const std::string& name, const Node* n) {
  hcl::Block& s = f.block("resource", {"google_secret_manager_secret", label});
  s.body.attr("secret_id", name);
  if (uses_cmek(c)) {
    // A customer-managed key must be where the secret is: one replica in the key's region
    // (automatic replication would need a global key).
    hcl::Block& r = s.body.block("replication").body.block("user_managed").body.block("replicas");
    r.body.attr("location", c.region);
    r.body.block("customer_managed_encryption").body.attr("kms_key_name", Expr::ref(std::string(kKmsKey) + ".id"));
  } else {
    s.body.block("replication").body.block("auto");
  }
  c.add_labels(s.body, n);
  if (uses_cmek(c)) s.body.attr("depends_on", Expr::tuple({kms_grant("secret")}));
  c.secret_labels.insert(label);
}

void version(hcl::File& f, const std::string& label, Expr value) {
  hcl::Block& v = f.block("resource", {"google_secret_manager_secret_version", label});
  v.body.attr("secret", Expr::ref("google_secret_manager_secret." + label + ".id"));
  v.body.attr("secret_data_wo", Expr::call("jsonencode", {std::move(value)}));
  // Raise it to write the secret again (a new password, a rotated cache AUTH string).
  v.body.attr("secret_data_wo_version", Expr::ref("var.connection_secrets_version"));
}

Expr database_entry(hcl::File& f, const Node& n) {
  std::string l = Context::label(n.id);
  std::string db = "google_sql_database_instance." + l;
  const graph::Value* ev = n.value("engine");
  bool mysql = ev && ev->text == "mysql";
  std::string port = std::to_string(contract::database_port(mysql ? "mysql" : "postgres"));
  // Generated at apply, never planned or stored: the user and this secret get it in one run.
  f.block("locals").body.attr(l + "_password", Expr::call("uuid", {}));
  Expr pw = Expr::ref("local." + l + "_password");
  Expr host = Expr::ref(db + ".private_ip_address");
  Expr url = Expr::tmpl(
      {Expr::str(std::string(contract::database_url_scheme(mysql ? "mysql" : "postgres")) + "://" +
                 std::string(contract::kDatabaseUser) + ":"),
       Expr::call("urlencode", {pw}), Expr::str("@"), host,
       Expr::str(":" + port + "/" + n.id + std::string(contract::database_url_query(mysql ? "mysql" : "postgres")))});
  return Expr::object()
      .set("url", url)
      .set("host", host)
      .set("port", port)
      .set("user", std::string(contract::kDatabaseUser))
      .set("password", pw)
      .set("database", n.id)
      .set("name", n.id)
      .set("id", Expr::ref(db + ".connection_name"))
      .set("ca_cert", Expr::ref(db + ".server_ca_cert[0].cert"));
}

Expr cache_entry(Context& c, const Node& n) {
  std::string r = "google_redis_instance." + Context::label(n.id);
  bool tls = Context::bool_of(n, "tls", true);
  bool auth = Context::bool_of(n, "auth", true);
  std::string port = std::to_string(contract::cache_port(c.d.target(), tls));
  Expr host = Expr::ref(r + ".host");
  Expr token = Expr::ref(r + ".auth_string");
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
  if (tls) o.set("ca_cert", Expr::ref(r + ".server_ca_certs[0].cert"));
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
    secret(c, f, "secret_" + Context::label(n->id), store, n);
  }
  bool connections = false;
  for (const auto& n : c.g.nodes) {
    const std::string& kind = n.kind;
    bool store = kind == "database" || kind == "cache" || kind == "topic" || kind == "queue" || kind == "bucket";
    if (!store || (kind != "database" && kind != "cache" && c.users_of(n).empty())) continue;
    std::string l = "conn_" + Context::label(n.id);
    secret(c, f, l, c.d.connection_entry(n.id), &n);
    Expr value;
    std::string nl = Context::label(n.id);
    if (kind == "database") value = database_entry(f, n);
    if (kind == "cache") value = cache_entry(c, n);
    if (kind == "topic") value = Expr::object().set("brokers", kafka_bootstrap(c)).set("name", n.id);
    if (kind == "queue")
      value = Expr::object()
                  .set("url", Expr::ref("google_pubsub_topic." + nl + ".id"))
                  .set("name", c.cloud_name(n))
                  .set("id", Expr::ref("google_pubsub_subscription." + nl + ".id"));
    if (kind == "bucket")
      value = Expr::object()
                  .set("url", "gs://" + c.cloud_name(n))
                  .set("name", c.cloud_name(n))
                  .set("id", c.cloud_name(n))
                  .set("endpoint", "https://storage.googleapis.com")
                  .set("region", c.region);
    version(f, l, std::move(value));
    connections = true;
  }
  if (connections)
    c.var({"connection_secrets_version", "number",
           "Raise to write the connection secrets again (and generate new database passwords).", std::nullopt,
           Expr::number(1), false});
}

}  // namespace platc::terraform_gcp
