// The README.md of terraform/aws/: the order to run things in, the state bucket's bootstrap and
// the cluster prerequisites with pinned versions (readme.cpp).
#pragma once

#include <string>
#include <vector>

#include "compiler/graph/graph.h"

namespace platc::terraform_aws {

// The IAM policy the AWS Load Balancer Controller's maintainers publish for the release of
// contract::cluster_prerequisites (chart 1.13.3 = controller v2.13.3), addressed by the commit of the tag v2.13.3
// (read off the repository's tags) so that the policy cannot change under a moved tag.
// identity.cpp makes it a variable, the README fetches it.
inline constexpr const char* kLbControllerPolicyUrl =
    "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/"
    "31ec9f041632fd77b05fd1c16286a6b507422aba/docs/install/iam_policy.json";

std::string readme(const std::vector<const graph::Graph*>& envs);

}  // namespace platc::terraform_aws
