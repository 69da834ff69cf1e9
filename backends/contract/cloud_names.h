// What each cloud accepts as the name of each kind of resource, and the contract's own check step:
// the cloud-side names every backend shares (`<platform>-<env>-<name>`, Deployment::cloud_name)
// checked against those rules when the platform is checked, with a name that would fit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "backends/contract/target.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"

namespace platc::contract {

// One provider's rule for one kind of resource's name. Names reach it already in the contract's
// spelling (lower-case letters, digits, `-`), so the rules that remain are lengths and ends.
struct CloudNameRule {
  Cloud cloud;
  std::string_view kind;      // the block kind (database, cache, topic, queue, bucket) or `workload`
  std::string_view resource;  // what the provider calls it: "RDS DB instance identifier"
  std::size_t min = 1, max = 63;
  bool letter_first = false;      // must start with a letter
  bool no_double_hyphen = false;  // `--` is refused
};

// The rule for a kind on a cloud, or nullptr when the provider's rule cannot be broken by a name
// the contract makes (or platc has none).
const CloudNameRule* cloud_name_rule(Cloud cloud, std::string_view kind);

// Why `name` breaks `rule`, in words; empty when it does not.
std::string cloud_name_problem(const CloudNameRule& rule, std::string_view name);

// The contract's check step: every cloud resource's name on the graph's target (E0504), names
// two resources would share after the provider's shortening (E0505), and environments that would
// be one deployment (check_environments).
void check(const graph::Graph& g, Diagnostics& diags);

// Two environments whose `<platform>-<environment>` is one Kubernetes name (E0601): one namespace,
// one release, one prefix of cloud names (environments.cpp).
void check_environments(const graph::Graph& g, Diagnostics& diags);

}  // namespace platc::contract
