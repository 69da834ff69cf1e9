// Buckets: one storage account per bucket (the contract's name: the hyphens dropped, 24
// characters) holding one blob container (the block's Kubernetes name), TLS 1.2 and HTTPS only,
// no shared keys (Entra ID only: the workloads' identities), no anonymous access unless the
// bucket is `public`, blob versioning and soft delete, the lifecycle the block says as a
// management policy, reached through a private endpoint unless it is public. With `encryption`
// (the default) the account is encrypted with the environment's Key Vault key `data`, a
// customer-managed key (the kind: "a platform key in the cloud's KMS"), which the accounts reach
// through one managed identity allowed to wrap and unwrap with exactly that key; the key rotates
// itself 30 days before it expires, every 90 days, and the accounts follow its latest version.
#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

using graph::Node;

namespace {

void lifecycle(hcl::File& f, const Node& n, const std::string& l, const std::string& container) {
  auto days = [&](const char* path) -> std::int64_t {
    const graph::Value* v = n.value(path);
    return v ? (v->i + 86399) / 86400 : 0;
  };
  std::int64_t archive = days("lifecycle.archive_after"), expire = days("lifecycle.expire_after"),
               noncurrent = days("lifecycle.noncurrent_expire_after");
  if (!archive && !expire && !noncurrent) return;
  hcl::Block& p = f.block("resource", {"azurerm_storage_management_policy", l});
  p.body.attr("storage_account_id", Expr::ref("azurerm_storage_account." + l + ".id"));
  hcl::Block& r = p.body.block("rule");
  r.body.attr("name", "platc");
  r.body.attr("enabled", Expr::boolean(true));
  hcl::Block& fl = r.body.block("filters");
  fl.body.attr("blob_types", Expr::strings({"blockBlob"}));
  fl.body.attr("prefix_match", Expr::strings({container + "/"}));
  hcl::Block& a = r.body.block("actions");
  if (archive || expire) {
    hcl::Block& b = a.body.block("base_blob");
    // `archive_after`: the Cold tier, still read online (Archive would need a rehydration).
    if (archive) b.body.attr("tier_to_cold_after_days_since_modification_greater_than", Expr::number(archive));
    if (expire) b.body.attr("delete_after_days_since_modification_greater_than", Expr::number(expire));
  }
  if (noncurrent) a.body.block("version").body.attr("delete_after_days_since_creation", Expr::number(noncurrent));
}

}  // namespace

void vault_key(Context& c, hcl::File& f) {
  if (c.vault_key_made) return;
  c.vault_key_made = true;
  hcl::Block& dep = f.block("resource", {"azurerm_role_assignment", "deployer_keys"});
  dep.body.attr("scope", Expr::ref(std::string(kVault) + ".id"));
  dep.body.attr("role_definition_name", "Key Vault Crypto Officer");
  dep.body.attr("principal_id", Expr::ref(std::string(kClient) + ".object_id"));
  dep.body.attr("description", "Terraform creates the vault's keys");
  hcl::Block& k = f.block("resource", {"azurerm_key_vault_key", "data"});
  k.body.attr("name", "data");
  k.body.attr("key_vault_id", Expr::ref(std::string(kVault) + ".id"));
  k.body.attr("key_type", "RSA");
  k.body.attr("key_size", Expr::number(3072));
  k.body.attr("key_opts", Expr::strings({"unwrapKey", "wrapKey"}));
  hcl::Block& rp = k.body.block("rotation_policy");
  rp.body.attr("expire_after", "P90D");
  rp.body.attr("notify_before_expiry", "P29D");
  rp.body.block("automatic").body.attr("time_before_expiry", "P30D");
  k.body.attr("tags", Expr::ref("local.tags"));
  k.body.attr("depends_on", Expr::tuple({Expr::ref("azurerm_role_assignment.deployer_keys")}));
}

namespace {

// The key, the accounts' identity and its right to use it.
void storage_key(Context& c, hcl::File& f) {
  vault_key(c, f);
  hcl::Block& id = f.block("resource", {"azurerm_user_assigned_identity", "storage_encryption"});
  placed(id, storage_encryption_identity(c.d));
  id.body.attr("tags", Expr::ref("local.tags"));
  role(f, "storage_encryption", "Key Vault Crypto Service Encryption User",
       Expr::ref("azurerm_key_vault_key.data.resource_versionless_id"),
       Expr::ref("azurerm_user_assigned_identity.storage_encryption.principal_id"),
       "the storage accounts wrap their data keys with the environment's key");
}

}  // namespace

void storage_files(Context& c) {
  auto buckets = c.of_kind("bucket");
  if (buckets.empty()) return;
  hcl::File& f = c.file("storage.tf");
  std::string zone;
  bool cmek = false;
  for (const Node* n : buckets) cmek = cmek || Context::bool_of(*n, "encryption", true);
  if (cmek) storage_key(c, f);
  for (const Node* n : buckets) {
    c.note_source(n);
    std::string l = Context::label(n->id);
    std::string name = c.cloud_name(*n);
    std::string container = contract::object_name(n->id);
    bool pub = Context::bool_of(*n, "public");
    hcl::Block& s = f.block("resource", {"azurerm_storage_account", l});
    placed(s, name);
    s.body.attr("account_kind", "StorageV2");
    s.body.attr("account_tier", "Standard");
    s.body.attr("account_replication_type", "ZRS");
    s.body.attr("min_tls_version", "TLS1_2");
    s.body.attr("https_traffic_only_enabled", Expr::boolean(true));
    s.body.attr("allow_nested_items_to_be_public", Expr::boolean(pub));
    s.body.attr("shared_access_key_enabled", Expr::boolean(false));
    s.body.attr("default_to_oauth_authentication", Expr::boolean(true));
    s.body.attr("public_network_access_enabled", Expr::boolean(pub));
    s.body.attr("infrastructure_encryption_enabled", Expr::boolean(Context::bool_of(*n, "encryption", true)));
    hcl::Block& bp = s.body.block("blob_properties");
    bp.body.attr("versioning_enabled", Expr::boolean(Context::bool_of(*n, "versioning", true)));
    bp.body.block("delete_retention_policy").body.attr("days", Expr::number(7));
    bp.body.block("container_delete_retention_policy").body.attr("days", Expr::number(7));
    if (Context::bool_of(*n, "encryption", true)) {
      Expr identity = Expr::ref("azurerm_user_assigned_identity.storage_encryption.id");
      hcl::Block& ib = s.body.block("identity");
      ib.body.attr("type", "UserAssigned");
      ib.body.attr("identity_ids", Expr::tuple({identity}));
      hcl::Block& key = s.body.block("customer_managed_key");
      key.body.attr("key_vault_key_id", Expr::ref("azurerm_key_vault_key.data.versionless_id"));
      key.body.attr("user_assigned_identity_id", identity);
    }
    s.body.attr("tags", Context::tags_of(n));
    if (Context::bool_of(*n, "encryption", true))
      s.body.attr("depends_on", Expr::tuple({Expr::ref("azurerm_role_assignment.storage_encryption")}));

    hcl::Block& ct = f.block("resource", {"azurerm_storage_container", l});
    ct.body.attr("name", container);
    ct.body.attr("storage_account_id", Expr::ref("azurerm_storage_account." + l + ".id"));
    // A public bucket lets anyone read a blob by name, never list the container.
    ct.body.attr("container_access_type", pub ? "blob" : "private");
    lifecycle(f, *n, l, container);
    if (pub) continue;
    if (zone.empty()) zone = private_zone(c, f, "privatelink.blob.core.windows.net");
    private_endpoint(c, f, "bucket_" + l, name + "-blob", Expr::ref("azurerm_storage_account." + l + ".id"), "blob",
                     zone);
  }
}

}  // namespace platc::terraform_azure
