// The backend's entry: builds one Context per environment, lets each family add its resources,
// then lays the module out: the families' files in a fixed order, variables.tf from the variables
// they declared, `<env>.tfvars` with this environment's values, and the README of the tree.
#include "backends/terraform_aws/terraform_aws.h"

#include <algorithm>

#include "backends/emit/hcl_module.h"
#include "backends/terraform_aws/families.h"
#include "backends/terraform_aws/readme.h"

namespace platc::terraform_aws {

namespace {

// Files by concern, in the order a reader meets them.
const char* const kFileOrder[] = {
    "versions.tf", "providers.tf", "backend.tf",    "kms.tf",      "network.tf",   "cluster.tf",
    "data.tf",     "messaging.tf", "storage.tf",    "registry.tf", "secrets.tf",   "identity.tf",
    "dns.tf",      "cdn.tf",       "monitoring.tf", "budget.tf",   "variables.tf", "outputs.tf",
};

void generate_environment(const graph::Graph& g, const backends::Input& in, std::vector<backends::File>& out) {
  Context c(g, in.source_name);
  platform_files(c);
  network_files(c);
  cluster_files(c);
  database_files(c);
  cache_files(c);
  messaging_files(c);
  storage_files(c);
  registry_files(c);
  secret_files(c);
  identity_files(c);
  dns_files(c);
  cdn_files(c);
  monitoring_files(c);
  budget_files(c);
  hcl::declare_variables(c.file("variables.tf"), c.variables());

  for (auto& [path, text] : hcl::module_files("terraform/aws/" + g.environment + "/", kFileOrder, c.files(),
                                              c.variables(), c.sources, g.environment))
    out.push_back({std::move(path), std::move(text)});
}

class TerraformAwsBackend final : public backends::Backend {
 public:
  std::string_view name() const override { return "terraform-aws"; }
  std::string_view summary() const override {
    return "Terraform root module for AWS, one per environment: terraform/aws/<environment>/";
  }
  bool applies_to(const std::vector<std::string>& targets) const override {
    return std::find(targets.begin(), targets.end(), "aws") != targets.end();
  }
  void check(const graph::Graph& g, Diagnostics& diags) const override {
    if (g.target == "aws") terraform_aws::check(g, diags);
  }
  void generate(const backends::Input& in, std::vector<backends::File>& out, Diagnostics&) const override {
    std::vector<const graph::Graph*> envs;
    for (const graph::Graph* g : in.environments)
      if (g->target == "aws") envs.push_back(g);
    if (envs.empty()) return;
    for (const graph::Graph* g : envs) generate_environment(*g, in, out);
    out.push_back({"terraform/aws/README.md", readme(envs)});
  }
};

}  // namespace

const backends::Backend& backend() {
  static const TerraformAwsBackend b;
  return b;
}

}  // namespace platc::terraform_aws
