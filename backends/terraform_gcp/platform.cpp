// The module's frame: pinned Terraform and provider versions, the provider with the platform's
// tags as default labels on every resource that takes labels, the GCS state backend (one state
// per environment), the project and the APIs the module uses.
#include <algorithm>
#include <map>

#include "backends/terraform_gcp/families.h"

namespace platc::terraform_gcp {

Expr member_of(const std::string& account_label) {
  return Expr::tmpl({Expr::str("serviceAccount:"), Expr::ref("google_service_account." + account_label + ".email")});
}

Expr workload_member(const Context& c, const std::string& ns, const std::string& sa) {
  return Expr::str("serviceAccount:" + c.project + ".svc.id.goog[" + ns + "/" + sa + "]");
}

void platform_files(Context& c) {
  hcl::File& v = c.file("versions.tf");
  hcl::Block& tf = v.block("terraform");
  // 1.11: write-only attributes keep the generated passwords out of the state (secrets.tf).
  tf.body.attr("required_version", ">= 1.11");
  tf.body.block("required_providers")
      .body.attr("google", Expr::object().set("source", "hashicorp/google").set("version", "~> 6.50"));

  hcl::File& p = c.file("providers.tf");
  hcl::Block& prov = p.block("provider", {"google"});
  prov.body.attr("project", Expr::ref("var.project"));
  prov.body.attr("region", c.region);
  Expr labels = Expr::object();
  std::map<std::string, std::string> sorted;
  if (c.platform)
    if (const graph::Value* t = c.platform->value("tags"); t && t->kind == graph::ValueKind::Map)
      for (const auto& [k, val] : t->entries) sorted[k] = val.plain();  // as written (E0525)
  sorted["environment"] = label_value(c.g.environment);
  sorted["platform"] = label_value(c.g.platform);
  sorted["managed-by"] = "platc";
  for (const auto& [k, val] : sorted) labels.set(k, val);
  // default_labels reach every resource's `labels`; the few label maps it does not reach (Cloud
  // SQL's user_labels, GKE nodes' resource_labels) use local.labels.
  prov.body.attr("default_labels", Expr::ref("local.labels"));
  p.block("locals").body.attr("labels", labels);
  c.var({"project", "string",
         "The environment's project. The Kubernetes output names its service accounts "
         "`<id>@" +
             c.project + ".iam.gserviceaccount.com`, so it is that project.",
         Expr::str(c.project), std::nullopt, false});

  hcl::File& b = c.file("backend.tf");
  b.comment(
      "One state per environment, in a Cloud Storage bucket (versioned; GCS locks the state itself).\n"
      "The bucket is given at init: terraform init -backend-config=\"bucket=<state bucket>\"\n"
      "(create it once: see ../README.md).");
  b.block("terraform").body.block("backend", {"gcs"}).body.attr("prefix", c.g.platform + "/" + c.g.environment);

  // The APIs the module's resources need, enabled in the project (never disabled on destroy:
  // other things in the project may use them).
  std::vector<std::string> apis = {"compute.googleapis.com",       "container.googleapis.com",
                                   "iam.googleapis.com",           "iamcredentials.googleapis.com",
                                   "secretmanager.googleapis.com", "servicenetworking.googleapis.com",
                                   "monitoring.googleapis.com",    "artifactregistry.googleapis.com",
                                   "dns.googleapis.com",           "sts.googleapis.com"};
  if (!c.of_kind("database").empty()) apis.push_back("sqladmin.googleapis.com");
  if (!c.of_kind("cache").empty()) apis.push_back("redis.googleapis.com");
  if (!c.of_kind("queue").empty()) apis.push_back("pubsub.googleapis.com");
  if (!c.of_kind("topic").empty()) apis.push_back("managedkafka.googleapis.com");
  if (!c.of_kind("budget").empty()) apis.push_back("billingbudgets.googleapis.com");
  if (uses_cmek(c)) apis.push_back("cloudkms.googleapis.com");
  std::sort(apis.begin(), apis.end());
  hcl::File& a = c.file("apis.tf");
  hcl::Block& s = a.block("resource", {"google_project_service", "apis"});
  s.body.attr("for_each", Expr::call("toset", {Expr::strings(apis)}));
  s.body.attr("service", Expr::ref("each.value"));
  s.body.attr("disable_on_destroy", Expr::boolean(false));
  hcl::Block& d = a.block("data", {"google_project", "this"});
  d.body.attr("project_id", Expr::ref("var.project"));
}

}  // namespace platc::terraform_gcp
