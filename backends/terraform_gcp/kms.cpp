// Customer-managed encryption keys (CMEK): a data store whose `encryption` is on (the default) is
// encrypted with the environment's own Cloud KMS key, as on AWS (one KMS key per environment), so
// the platform team controls, rotates and can revoke it; with `encryption = false` Google's default
// encryption remains. One key ring `P-E` in the region (CMEK keys must be where the data is) with
// one key `data`, rotated every 90 days, a destroyed version recoverable for 30 days; each
// service's agent (`service-<project number>@<domain>`) may encrypt and decrypt with it, and each
// resource waits for its agent's grant. Cloud KMS key rings cannot be deleted: the README says so.
// Where the key exists, the Secret Manager secrets (which hold the data stores' credentials) and
// the Artifact Registry repository use it too, each through its own service agent: no kind has
// an `encryption` of its own for them, and leaving the passwords on Google's key while the data
// they open is on the platform's would make the key's revocation a half measure.
#include <set>

#include "backends/terraform_gcp/families.h"

namespace platc::terraform_gcp {

namespace {

struct Agent {
  const char* kind;
  const char* label;   // the grant's Terraform label
  const char* domain;  // the service agent's ("Service agents", IAM)
};

// Cloud Storage, Cloud SQL, Memorystore for Redis, Pub/Sub, Managed Service for Apache Kafka.
const Agent kAgents[] = {
    {"bucket", "storage", "gs-project-accounts.iam.gserviceaccount.com"},
    {"database", "cloud_sql", "gcp-sa-cloud-sql.iam.gserviceaccount.com"},
    {"cache", "redis", "cloud-redis.iam.gserviceaccount.com"},
    {"queue", "pubsub", "gcp-sa-pubsub.iam.gserviceaccount.com"},
    {"topic", "managed_kafka", "gcp-sa-managedkafka.iam.gserviceaccount.com"},
    // Not kinds of their own: the secrets and the image repository, where the key exists.
    {"secret", "secret_manager", "gcp-sa-secretmanager.iam.gserviceaccount.com"},
    {"image", "artifact_registry", "gcp-sa-artifactregistry.iam.gserviceaccount.com"},
};

bool is_data_store(std::string_view kind) {
  return kind != "secret" && kind != "image";
}

const Agent* agent_of(std::string_view kind) {
  for (const Agent& a : kAgents)
    if (kind == a.kind) return &a;
  return nullptr;
}

}  // namespace

bool wants_cmek(const graph::Node& n) {
  return agent_of(n.kind) && is_data_store(n.kind) && Context::bool_of(n, "encryption", true);
}

bool uses_cmek(const Context& c) {
  for (const auto& n : c.g.nodes)
    if (wants_cmek(n)) return true;
  return false;
}

Expr kms_grant(std::string_view kind) {
  const Agent* a = agent_of(kind);
  return Expr::ref(std::string("google_kms_crypto_key_iam_member.") + (a ? a->label : ""));
}

void kms_files(Context& c) {
  std::set<std::string> kinds;
  for (const auto& n : c.g.nodes)
    if (wants_cmek(n)) kinds.insert(n.kind);
  if (kinds.empty()) return;
  kinds.insert("secret");  // every data store has its connection secret
  if (!c.repositories().empty()) kinds.insert("image");
  hcl::File& f = c.file("kms.tf");
  hcl::Block& ring = f.block("resource", {"google_kms_key_ring", "main"});
  ring.body.attr("name", c.prefix);
  ring.body.attr("location", c.region);
  ring.body.attr("depends_on", Expr::tuple({Expr::ref("google_project_service.apis")}));
  hcl::Block& key = f.block("resource", {"google_kms_crypto_key", "main"});
  key.body.attr("name", "data");
  key.body.attr("key_ring", Expr::ref("google_kms_key_ring.main.id"));
  key.body.attr("purpose", "ENCRYPT_DECRYPT");
  key.body.attr("rotation_period", "7776000s");
  key.body.attr("destroy_scheduled_duration", "2592000s");
  for (const Agent& a : kAgents) {
    if (!kinds.count(a.kind)) continue;
    hcl::Block& m = f.block("resource", {"google_kms_crypto_key_iam_member", a.label});
    m.body.attr("crypto_key_id", Expr::ref(std::string(kKmsKey) + ".id"));
    m.body.attr("role", "roles/cloudkms.cryptoKeyEncrypterDecrypter");
    m.body.attr("member",
                Expr::tmpl({Expr::str("serviceAccount:service-"), Expr::ref("data.google_project.this.number"),
                            Expr::str(std::string("@") + a.domain)}));
  }
}

}  // namespace platc::terraform_gcp
