// The Terraform backend for Azure: one typed graph per environment in, one root module per
// environment out (`terraform/azure/<env>/`), creating everything the Kubernetes output reads
// under the contract's names. What each kind becomes is in docs/backends.md; why, in
// docs/design-notes.md ("Terraform for Azure").
#pragma once

#include "backends/backend.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"

namespace platc::terraform_azure {

// What Azure would refuse in this graph that the contract's check does not already see: the
// names this backend derives (E0526) and the kinds it does not map yet (E0527), in check.cpp.
void check(const graph::Graph& g, Diagnostics& diags);
// What the module deploys without because Azure cannot express it: a warning each (E0533), in
// unkept.cpp.
void check_unkept(const graph::Graph& g, Diagnostics& diags);

const backends::Backend& backend();

}  // namespace platc::terraform_azure
