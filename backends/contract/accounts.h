// The cloud account an environment deploys into (`account` of the environment block): the AWS
// account id, the GCP project id or the Azure subscription id on the graph's target (accounts.cpp).
#pragma once

#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"

namespace platc::contract {

// An environment block's declared account on `target` (`account = "…"`, or its entry for
// `target` in `account = { aws = "…", … }`); empty when it names none.
std::string account_of(const graph::Node& environment, std::string_view target);

// The contract's check of `account`: each cloud's format (E0540), one string for several targets
// (E0541), a cloud that is not a target (E0542).
void check_accounts(const graph::Graph& g, Diagnostics& diags);

}  // namespace platc::contract
