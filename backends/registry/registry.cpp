// The registry of backends: the one list `platc build`, `platc check` and `platc backends` read.
// A new backend is one line here (and its folder); see docs/architecture.md, "Adding a backend".
#include "backends/backend.h"
#include "backends/github/github.h"
#include "backends/helm/helm.h"
#include "backends/kubernetes/kubernetes.h"
#include "backends/terraform_aws/terraform_aws.h"
#include "backends/terraform_azure/terraform_azure.h"
#include "backends/terraform_gcp/terraform_gcp.h"

namespace platc::backends {

const std::vector<const Backend*>& registry() {
  // One backend per line.
  // clang-format off
  static const std::vector<const Backend*> all = {
      &kubernetes::backend(),
      &helm::backend(),
      &terraform_aws::backend(),
      &terraform_gcp::backend(),
      &terraform_azure::backend(),
      &github::backend(),
  };
  // clang-format on
  return all;
}

const Backend* find_backend(std::string_view name) {
  for (const Backend* b : registry())
    if (b->name() == name) return b;
  return nullptr;
}

}  // namespace platc::backends
