// The Terraform backend for AWS: one typed graph per environment in, one root module per
// environment out (`terraform/aws/<env>/`), creating everything the Kubernetes output reads under
// the contract's names. What each kind becomes is in docs/backends.md; why one module per
// environment, in docs/design-notes.md ("Terraform for AWS").
#pragma once

#include "backends/backend.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"

namespace platc::terraform_aws {

// What AWS would refuse in this graph that the contract's check does not already see: the names
// this backend derives (E0522-E0523), in check.cpp.
void check(const graph::Graph& g, Diagnostics& diags);

const backends::Backend& backend();

}  // namespace platc::terraform_aws
