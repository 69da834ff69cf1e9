// The Terraform backend for GCP: one typed graph per environment in, one root module per
// environment out (`terraform/gcp/<env>/`), creating everything the Kubernetes output of the gcp
// target reads under the contract's names. What each kind becomes is in docs/backends.md
// ("Terraform for GCP"); why, in docs/design-notes.md.
#pragma once

#include "backends/backend.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"

namespace platc::terraform_gcp {

// What GCP would refuse in this graph that the contract's check does not already see: the names
// this backend derives (E0524), in check.cpp.
void check(const graph::Graph& g, Diagnostics& diags);
// What the module deploys without because GCP cannot express it: a warning each (E0532), in
// unkept.cpp.
void check_unkept(const graph::Graph& g, Diagnostics& diags);

const backends::Backend& backend();

}  // namespace platc::terraform_gcp
