// The README.md of terraform/aws/: the order to run things in, the state bucket's bootstrap and
// the cluster prerequisites with pinned versions (readme.cpp).
#pragma once

#include <string>
#include <vector>

#include "compiler/graph/graph.h"

namespace platc::terraform_aws {

struct Prerequisite {
  const char* name;
  const char* repo;   // helm repository URL
  const char* chart;  // repo-name/chart
  const char* version;
  const char* ns;
  const char* why;
};
// What the cluster must run before the Kubernetes output is applied, pinned.
const std::vector<Prerequisite>& prerequisites();

std::string readme(const std::vector<const graph::Graph*>& envs);

}  // namespace platc::terraform_aws
