// Databases (RDS) and caches (ElastiCache): private, encrypted with the platform key, in the
// private subnets, each behind a security group that admits the cluster on the store's port only.
// Sizes, Multi-AZ, deletion protection and backup retention are this environment's values in
// `<env>.tfvars`. The credentials never pass through state: RDS manages the master password in
// Secrets Manager; the connection entries are written by secrets.cpp.
#include "backends/terraform_aws/families.h"
#include "backends/terraform_aws/sizes.h"

namespace platc::terraform_aws {

using graph::Node;

std::string data_security_group(const Node& n) {
  return "aws_security_group." + Context::label(n.id);
}

namespace {

void security_group(Context& c, hcl::File& f, const Node& n, std::int64_t port) {
  std::string l = Context::label(n.id);
  hcl::Block& sg = f.block("resource", {"aws_security_group", l});
  sg.body.attr("name", c.cloud_name(n));
  sg.body.attr("description", n.kind + " " + n.id + ": the cluster's pods on " + std::to_string(port));
  sg.body.attr("vpc_id", Expr::ref(std::string(kVpc) + ".id"));
  sg.body.attr("tags", c.tags_of(&n, c.cloud_name(n)));
  hcl::Block& in = f.block("resource", {"aws_vpc_security_group_ingress_rule", l});
  in.body.attr("security_group_id", Expr::ref(data_security_group(n) + ".id"));
  in.body.attr("description", "the cluster's pods (NetworkPolicies admit only the workloads that reference it)");
  in.body.attr("referenced_security_group_id", Expr::ref(kClusterSg));
  in.body.attr("ip_protocol", "tcp");
  in.body.attr("from_port", Expr::number(port));
  in.body.attr("to_port", Expr::number(port));
  in.body.attr("tags", Expr::object().set("Name", c.cloud_name(n) + "-from-cluster"));
}

// `postgres 16` -> family postgres16; `mysql 8.0` -> mysql8.0.
std::string parameter_family(const std::string& engine, const std::string& version) {
  std::string major = version.empty() ? (engine == "mysql" ? "8.0" : "16") : version;
  if (engine == "postgres") major = major.substr(0, major.find('.'));
  return engine + major;
}

}  // namespace

void database_files(Context& c) {
  auto dbs = c.of_kind("database");
  if (dbs.empty()) return;
  hcl::File& f = c.file("data.tf");
  hcl::Block& sn = f.block("resource", {"aws_db_subnet_group", "main"});
  sn.body.attr("name", c.prefix);
  sn.body.attr("subnet_ids", Expr::ref("aws_subnet.private[*].id"));
  sn.body.attr("tags", Expr::object().set("Name", c.prefix));
  for (const Node* n : dbs) {
    c.note_source(n);
    std::string l = Context::label(n->id);
    const graph::Value* ev = n->value("engine");
    std::string engine = ev ? ev->text : "postgres";
    std::string version = ev ? ev->text2 : "";
    std::int64_t port = contract::database_port(engine);
    security_group(c, f, *n, port);

    hcl::Block& pg = f.block("resource", {"aws_db_parameter_group", l});
    pg.body.attr("name", c.cloud_name(*n));
    pg.body.attr("family", parameter_family(engine, version));
    // Connections always use TLS (the connection URL says so; the server insists).
    hcl::Block& p = pg.body.block("parameter");
    p.body.attr("name", engine == "mysql" ? "require_secure_transport" : "rds.force_ssl");
    p.body.attr("value", engine == "mysql" ? "ON" : "1");
    pg.body.attr("tags", c.tags_of(n, c.cloud_name(*n)));

    std::string v = "db_" + l + "_";
    Expr cls = c.var({v + "instance_class", "string", "The RDS instance class of database " + n->id + " (std.sizes).",
                      Expr::str(db_instance_class(Context::text_of(*n, "size"))), std::nullopt, false});
    std::int64_t gib = Context::int_of(*n, "storage", 20LL << 30) >> 30;
    Expr storage = c.var({v + "allocated_storage", "number", "The disk of database " + n->id + ", in GiB.",
                          Expr::number(gib < 20 ? 20 : gib), std::nullopt, false});
    Expr multi_az = c.var({v + "multi_az", "bool", "A standby in a second zone for database " + n->id + ".",
                           Expr::boolean(Context::bool_of(*n, "high_availability")), std::nullopt, false});
    Expr protect = c.var({v + "deletion_protection", "bool", "Refuse to delete database " + n->id + ".",
                          Expr::boolean(Context::bool_of(*n, "deletion_protection", true)), std::nullopt, false});
    std::int64_t days = Context::int_of(*n, "backup.retention", 7 * 86400) / 86400;
    Expr retention =
        c.var({v + "backup_retention_days", "number", "How long backups of database " + n->id + " are kept.",
               Expr::number(days < 1 ? 1 : days), std::nullopt, false});

    hcl::Block& db = f.block("resource", {"aws_db_instance", l});
    db.body.attr("identifier", c.cloud_name(*n));
    db.body.attr("engine", engine);
    if (!version.empty()) db.body.attr("engine_version", version);
    db.body.attr("instance_class", cls);
    db.body.attr("allocated_storage", storage);
    db.body.attr("max_allocated_storage", Expr::raw("var." + v + "allocated_storage * 2"));
    db.body.attr("storage_type", "gp3");
    db.body.attr("storage_encrypted", Expr::boolean(Context::bool_of(*n, "encryption", true)));
    db.body.attr("kms_key_id", Expr::ref(std::string(kKmsKey) + ".arn"));
    db.body.attr("db_name", n->id);
    db.body.attr("username", std::string(contract::kDatabaseUser));
    // RDS generates the password and keeps it in Secrets Manager (never in state, tfvars or output).
    db.body.attr("manage_master_user_password", Expr::boolean(true));
    db.body.attr("master_user_secret_kms_key_id", Expr::ref(std::string(kKmsKey) + ".arn"));
    db.body.attr("port", Expr::number(port));
    db.body.attr("db_subnet_group_name", Expr::ref("aws_db_subnet_group.main.name"));
    db.body.attr("vpc_security_group_ids", Expr::tuple({Expr::ref(data_security_group(*n) + ".id")}));
    db.body.attr("parameter_group_name", Expr::ref("aws_db_parameter_group." + l + ".name"));
    db.body.attr("publicly_accessible", Expr::boolean(Context::bool_of(*n, "public")));
    db.body.attr("multi_az", multi_az);
    db.body.attr("deletion_protection", protect);
    db.body.attr("backup_retention_period", retention);
    db.body.attr("copy_tags_to_snapshot", Expr::boolean(true));
    db.body.attr("skip_final_snapshot", Expr::boolean(false));
    db.body.attr("final_snapshot_identifier", c.cloud_name(*n) + "-final");
    db.body.attr("auto_minor_version_upgrade", Expr::boolean(true));
    db.body.attr("iam_database_authentication_enabled", Expr::boolean(true));
    db.body.attr("ca_cert_identifier", "rds-ca-rsa2048-g1");
    db.body.attr("tags", c.tags_of(n, c.cloud_name(*n)));
  }
}

void cache_files(Context& c) {
  auto caches = c.of_kind("cache");
  if (caches.empty()) return;
  hcl::File& f = c.file("data.tf");
  hcl::Block& sn = f.block("resource", {"aws_elasticache_subnet_group", "main"});
  sn.body.attr("name", c.prefix);
  sn.body.attr("subnet_ids", Expr::ref("aws_subnet.private[*].id"));
  sn.body.attr("tags", Expr::object().set("Name", c.prefix));
  for (const Node* n : caches) {
    c.note_source(n);
    std::string l = Context::label(n->id);
    bool tls = Context::bool_of(*n, "tls", true);
    bool auth = Context::bool_of(*n, "auth", true);
    bool ha = Context::bool_of(*n, "high_availability");
    std::int64_t port = contract::cache_port(c.d.target(), tls);
    security_group(c, f, *n, port);
    const graph::Value* ev = n->value("engine");
    std::string major = ev && !ev->text2.empty() ? ev->text2.substr(0, ev->text2.find('.')) : "7";

    hcl::Block& pg = f.block("resource", {"aws_elasticache_parameter_group", l});
    pg.body.attr("name", c.cloud_name(*n));
    pg.body.attr("family", "redis" + major);
    hcl::Block& p = pg.body.block("parameter");
    p.body.attr("name", "maxmemory-policy");
    p.body.attr("value", Context::text_of(*n, "eviction").empty() ? "volatile-lru" : Context::text_of(*n, "eviction"));
    pg.body.attr("tags", c.tags_of(n, c.cloud_name(*n)));

    std::string v = "cache_" + l + "_";
    Expr type = c.var({v + "node_type", "string", "The ElastiCache node type of cache " + n->id + " (std.sizes).",
                       Expr::str(cache_node_type(Context::text_of(*n, "size"))), std::nullopt, false});
    Expr nodes =
        c.var({v + "nodes", "number", "Nodes of cache " + n->id + ": 2 or more keep a replica in another zone.",
               Expr::number(ha ? 2 : 1), std::nullopt, false});
    hcl::Block& rg = f.block("resource", {"aws_elasticache_replication_group", l});
    rg.body.attr("replication_group_id", c.cloud_name(*n));
    rg.body.attr("description", "platc cache " + n->id + " of " + c.prefix);
    rg.body.attr("engine", "redis");
    rg.body.attr("engine_version", major == "6" ? "6.2" : major + ".1");
    rg.body.attr("node_type", type);
    rg.body.attr("num_cache_clusters", nodes);
    rg.body.attr("automatic_failover_enabled", Expr::boolean(ha));
    rg.body.attr("multi_az_enabled", Expr::boolean(ha));
    rg.body.attr("port", Expr::number(port));
    rg.body.attr("parameter_group_name", Expr::ref("aws_elasticache_parameter_group." + l + ".name"));
    rg.body.attr("subnet_group_name", Expr::ref("aws_elasticache_subnet_group.main.name"));
    rg.body.attr("security_group_ids", Expr::tuple({Expr::ref(data_security_group(*n) + ".id")}));
    rg.body.attr("at_rest_encryption_enabled", Expr::boolean(Context::bool_of(*n, "encryption", true)));
    rg.body.attr("kms_key_id", Expr::ref(std::string(kKmsKey) + ".arn"));
    rg.body.attr("transit_encryption_enabled", Expr::boolean(tls));
    if (auth && tls) {
      // ElastiCache takes the AUTH token only as a plain argument, so it is an input of the
      // operator's (sensitive; it does reach the encrypted state): see design-notes.
      rg.body.attr("auth_token", Expr::ref("var.cache_auth_tokens[\"" + n->id + "\"]"));
      c.var({"cache_auth_tokens", "map(string)",
             "The AUTH token of each cache with `auth` (16-128 printable characters), from the operator's secret "
             "store: TF_VAR_cache_auth_tokens='{\"<cache>\":\"…\"}'.",
             std::nullopt, std::nullopt, true});
    }
    rg.body.attr("snapshot_retention_limit", Expr::number(ha ? 7 : 1));
    rg.body.attr("auto_minor_version_upgrade", Expr::boolean(true));
    rg.body.attr("apply_immediately", Expr::boolean(false));
    rg.body.attr("tags", c.tags_of(n, c.cloud_name(*n)));
  }
}

}  // namespace platc::terraform_aws
