// Buckets: Cloud Storage with uniform bucket-level access (no ACLs), public access prevention
// enforced, versioning and the lifecycle the block says, encrypted with the environment's key
// (kms.cpp) when `encryption` is on, by Google's default key otherwise. A
// `public` bucket lets anyone read an object by name (roles/storage.legacyObjectReader:
// storage.objects.get only), never list it. The registry: one Docker repository of Artifact
// Registry for the platform's images, immutable tags, untagged images deleted after 14 days.
#include <set>

#include "backends/terraform_gcp/families.h"

namespace platc::terraform_gcp {

using graph::Node;

namespace {

void rule(hcl::Block& b, const std::string& action, std::int64_t age, const char* age_key,
          const std::string& storage_class = "") {
  hcl::Block& r = b.body.block("lifecycle_rule");
  hcl::Block& a = r.body.block("action");
  a.body.attr("type", action);
  if (!storage_class.empty()) a.body.attr("storage_class", storage_class);
  r.body.block("condition").body.attr(age_key, Expr::number(age));
}

}  // namespace

void storage_files(Context& c) {
  auto buckets = c.of_kind("bucket");
  if (buckets.empty()) return;
  hcl::File& f = c.file("storage.tf");
  for (const Node* n : buckets) {
    c.note_source(n);
    std::string l = Context::label(n->id);
    bool pub = Context::bool_of(*n, "public");
    hcl::Block& b = f.block("resource", {"google_storage_bucket", l});
    b.body.attr("name", c.cloud_name(*n));
    std::string loc = c.region;
    for (char& ch : loc)
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    b.body.attr("location", loc);
    b.body.attr("storage_class", "STANDARD");
    b.body.attr("uniform_bucket_level_access", Expr::boolean(true));
    b.body.attr("public_access_prevention", pub ? "inherited" : "enforced");
    b.body.attr("force_destroy", Expr::boolean(false));
    b.body.block("versioning").body.attr("enabled", Expr::boolean(Context::bool_of(*n, "versioning", true)));
    auto days = [&](const char* path) -> std::int64_t {
      const graph::Value* v = n->value(path);
      return v ? (v->i + 86399) / 86400 : 0;
    };
    std::int64_t abort = n->value("lifecycle.abort_uploads_after") ? days("lifecycle.abort_uploads_after") : 7;
    rule(b, "AbortIncompleteMultipartUpload", abort, "age");
    if (std::int64_t d = days("lifecycle.archive_after")) rule(b, "SetStorageClass", d, "age", "ARCHIVE");
    if (std::int64_t d = days("lifecycle.expire_after")) rule(b, "Delete", d, "age");
    if (std::int64_t d = days("lifecycle.noncurrent_expire_after")) rule(b, "Delete", d, "days_since_noncurrent_time");
    if (wants_cmek(*n))
      b.body.block("encryption").body.attr("default_kms_key_name", Expr::ref(std::string(kKmsKey) + ".id"));
    c.add_labels(b.body, n);
    if (wants_cmek(*n)) b.body.attr("depends_on", Expr::tuple({kms_grant("bucket")}));
    if (pub) {
      hcl::Block& m = f.block("resource", {"google_storage_bucket_iam_member", l + "_public"});
      m.body.attr("bucket", Expr::ref("google_storage_bucket." + l + ".name"));
      m.body.attr("role", "roles/storage.legacyObjectReader");
      m.body.attr("member", "allUsers");
    }
  }
}

std::string registry_repository(const Context& c) {
  return c.d.container_registry();
}

void registry_files(Context& c) {
  if (c.repositories().empty()) return;
  hcl::File& f = c.file("registry.tf");
  hcl::Block& r = f.block("resource", {"google_artifact_registry_repository", "images"});
  r.body.attr("repository_id", registry_repository(c));
  r.body.attr("location", c.region);
  r.body.attr("format", "DOCKER");
  r.body.attr("description", "the images of " + c.g.platform + " (" + c.g.environment + ")");
  if (uses_cmek(c)) r.body.attr("kms_key_name", Expr::ref(std::string(kKmsKey) + ".id"));
  r.body.block("docker_config").body.attr("immutable_tags", Expr::boolean(true));
  hcl::Block& p = r.body.block("cleanup_policies");
  p.body.attr("id", "delete-untagged");
  p.body.attr("action", "DELETE");
  hcl::Block& cond = p.body.block("condition");
  cond.body.attr("tag_state", "UNTAGGED");
  cond.body.attr("older_than", "1209600s");
  if (uses_cmek(c)) r.body.attr("depends_on", Expr::tuple({kms_grant("image")}));
  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"image_registry"})
      .body.attr("value", c.region + "-docker.pkg.dev/" + c.project + "/" + registry_repository(c));
}

}  // namespace platc::terraform_gcp
