// The README.md of terraform/gcp/: the order to run things in, the state bucket's bootstrap and
// the cluster prerequisites with pinned versions (readme.cpp).
#pragma once

#include <string>
#include <vector>

#include "compiler/graph/graph.h"

namespace platc::terraform_gcp {

std::string readme(const std::vector<const graph::Graph*>& envs);

}  // namespace platc::terraform_gcp
