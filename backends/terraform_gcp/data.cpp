// Databases (Cloud SQL) and caches (Memorystore for Redis): private addresses only, from the
// private services access range of the platform's network, never a public IP. Sizes, regional
// HA, deletion protection and backup retention are this environment's values in `<env>.tfvars`;
// with `encryption` on, both are encrypted with the environment's Cloud KMS key (kms.cpp).
// A database's password never reaches the state: it is generated at apply and written with the
// write-only `password_wo` (and `secret_data_wo` in secrets.cpp): see docs/design-notes.md.
#include "backends/terraform_gcp/families.h"
#include "backends/terraform_gcp/sizes.h"

namespace platc::terraform_gcp {

using graph::Node;

namespace {

// `postgres 16` -> POSTGRES_16; `mysql 8.0` -> MYSQL_8_0.
std::string database_version(const std::string& engine, const std::string& version) {
  std::string v = version.empty() ? (engine == "mysql" ? "8.0" : "16") : version;
  if (engine == "postgres") v = v.substr(0, v.find('.'));
  for (char& ch : v)
    if (ch == '.') ch = '_';
  return (engine == "mysql" ? "MYSQL_" : "POSTGRES_") + v;
}

}  // namespace

void database_files(Context& c) {
  auto dbs = c.of_kind("database");
  if (dbs.empty()) return;
  hcl::File& f = c.file("data.tf");
  for (const Node* n : dbs) {
    c.note_source(n);
    std::string l = Context::label(n->id);
    const graph::Value* ev = n->value("engine");
    std::string engine = ev ? ev->text : "postgres";
    std::string version = ev ? ev->text2 : "";
    std::string v = "db_" + l + "_";
    Expr tier = c.var({v + "tier", "string", "The Cloud SQL machine tier of database " + n->id + " (std.sizes).",
                       Expr::str(sql_tier(Context::text_of(*n, "size"))), std::nullopt, false});
    std::int64_t gib = Context::int_of(*n, "storage", 20LL << 30) >> 30;
    Expr disk = c.var({v + "disk_size_gb", "number", "The disk of database " + n->id + ", in GB (it grows by itself).",
                       Expr::number(gib < 10 ? 10 : gib), std::nullopt, false});
    Expr ha = c.var({v + "availability_type", "string",
                     "REGIONAL (a standby in another zone) or ZONAL, for database " + n->id + ".",
                     Expr::str(Context::bool_of(*n, "high_availability") ? "REGIONAL" : "ZONAL"), std::nullopt, false});
    Expr protect = c.var({v + "deletion_protection", "bool", "Refuse to delete database " + n->id + ".",
                          Expr::boolean(Context::bool_of(*n, "deletion_protection", true)), std::nullopt, false});
    std::int64_t days = Context::int_of(*n, "backup.retention", 7 * 86400) / 86400;
    Expr retention =
        c.var({v + "backups_retained", "number", "How many daily backups of database " + n->id + " are kept.",
               Expr::number(days < 1 ? 1 : days), std::nullopt, false});

    hcl::Block& db = f.block("resource", {"google_sql_database_instance", l});
    db.body.attr("name", c.cloud_name(*n));
    db.body.attr("database_version", database_version(engine, version));
    db.body.attr("region", c.region);
    db.body.attr("deletion_protection", protect);
    if (wants_cmek(*n)) db.body.attr("encryption_key_name", Expr::ref(std::string(kKmsKey) + ".id"));
    hcl::Block& s = db.body.block("settings");
    s.body.attr("tier", tier);
    s.body.attr("edition", "ENTERPRISE");
    s.body.attr("availability_type", ha);
    s.body.attr("disk_type", "PD_SSD");
    s.body.attr("disk_size", disk);
    s.body.attr("disk_autoresize", Expr::boolean(true));
    s.body.attr("deletion_protection_enabled", protect);
    Expr own = c.labels_of(n);
    s.body.attr("user_labels",
                own.keys().empty() ? Expr::ref("local.labels") : Expr::call("merge", {Expr::ref("local.labels"), own}));
    hcl::Block& ip = s.body.block("ip_configuration");
    // Private IP only: no public address, connections only with TLS.
    ip.body.attr("ipv4_enabled", Expr::boolean(Context::bool_of(*n, "public")));
    ip.body.attr("private_network", Expr::ref(std::string(kNetwork) + ".id"));
    ip.body.attr("ssl_mode", "ENCRYPTED_ONLY");
    hcl::Block& b = s.body.block("backup_configuration");
    b.body.attr("enabled", Expr::boolean(true));
    b.body.attr("start_time", "03:00");
    bool pitr = Context::bool_of(*n, "backup.point_in_time", true);
    if (engine == "mysql")
      b.body.attr("binary_log_enabled", Expr::boolean(pitr));
    else
      b.body.attr("point_in_time_recovery_enabled", Expr::boolean(pitr));
    b.body.attr("transaction_log_retention_days", Expr::number(days < 1 ? 1 : days > 7 ? 7 : days));
    hcl::Block& br = b.body.block("backup_retention_settings");
    br.body.attr("retained_backups", retention);
    br.body.attr("retention_unit", "COUNT");
    hcl::Block& mw = s.body.block("maintenance_window");
    mw.body.attr("day", Expr::number(7));
    mw.body.attr("hour", Expr::number(4));
    s.body.block("insights_config").body.attr("query_insights_enabled", Expr::boolean(true));
    Expr after = Expr::tuple({Expr::ref(kPrivateServices)});
    if (wants_cmek(*n)) after = Expr::tuple({Expr::ref(kPrivateServices), kms_grant("database")});
    db.body.attr("depends_on", after);

    hcl::Block& d = f.block("resource", {"google_sql_database", l});
    d.body.attr("name", n->id);
    d.body.attr("instance", Expr::ref("google_sql_database_instance." + l + ".name"));

    hcl::Block& u = f.block("resource", {"google_sql_user", l});
    u.body.attr("name", std::string(contract::kDatabaseUser));
    u.body.attr("instance", Expr::ref("google_sql_database_instance." + l + ".name"));
    u.body.attr("password_wo", Expr::ref("local." + l + "_password"));
    u.body.attr("password_wo_version", Expr::ref("var.connection_secrets_version"));
  }
}

void cache_files(Context& c) {
  auto caches = c.of_kind("cache");
  if (caches.empty()) return;
  hcl::File& f = c.file("data.tf");
  for (const Node* n : caches) {
    c.note_source(n);
    std::string l = Context::label(n->id);
    bool tls = Context::bool_of(*n, "tls", true);
    bool auth = Context::bool_of(*n, "auth", true);
    bool ha = Context::bool_of(*n, "high_availability");
    const graph::Value* ev = n->value("engine");
    std::string major = ev && !ev->text2.empty() ? ev->text2.substr(0, ev->text2.find('.')) : "7";
    std::string v = "cache_" + l + "_";
    Expr mem = c.var({v + "memory_size_gb", "number", "The memory of cache " + n->id + ", in GiB (std.sizes).",
                      Expr::number(redis_memory_gb(Context::text_of(*n, "size"))), std::nullopt, false});
    Expr tier =
        c.var({v + "tier", "string", "STANDARD_HA (a replica in another zone) or BASIC, for cache " + n->id + ".",
               Expr::str(ha ? "STANDARD_HA" : "BASIC"), std::nullopt, false});
    hcl::Block& r = f.block("resource", {"google_redis_instance", l});
    r.body.attr("name", c.cloud_name(*n));
    r.body.attr("display_name", "platc cache " + n->id + " of " + c.prefix);
    r.body.attr("tier", tier);
    r.body.attr("memory_size_gb", mem);
    r.body.attr("region", c.region);
    r.body.attr("redis_version", major == "6" ? "REDIS_6_X" : "REDIS_" + major + "_0");
    r.body.attr("authorized_network", Expr::ref(std::string(kNetwork) + ".id"));
    r.body.attr("connect_mode", "PRIVATE_SERVICE_ACCESS");
    r.body.attr("reserved_ip_range", Expr::ref("google_compute_global_address.private_services.name"));
    r.body.attr("auth_enabled", Expr::boolean(auth));
    // SERVER_AUTHENTICATION: TLS on 6378 (the contract's cache port with TLS on GCP).
    r.body.attr("transit_encryption_mode", tls ? "SERVER_AUTHENTICATION" : "DISABLED");
    std::string eviction = Context::text_of(*n, "eviction");
    r.body.attr("redis_configs", Expr::object().set("maxmemory-policy", eviction.empty() ? "volatile-lru" : eviction));
    if (wants_cmek(*n)) r.body.attr("customer_managed_key", Expr::ref(std::string(kKmsKey) + ".id"));
    c.add_labels(r.body, n);
    Expr after = Expr::tuple({Expr::ref(kPrivateServices)});
    if (wants_cmek(*n)) after = Expr::tuple({Expr::ref(kPrivateServices), kms_grant("cache")});
    r.body.attr("depends_on", after);
  }
}

}  // namespace platc::terraform_gcp
