// The Terraform backend for GCP: one typed graph per environment in, one root module per
// environment out (`terraform/gcp/<env>/`), creating everything the Kubernetes output of the gcp
// target reads under the contract's names. What each kind becomes is in docs/backends.md
// ("Terraform for GCP"); why, in docs/design-notes.md.
#pragma once

#include "backends/backend.h"

namespace platc::terraform_gcp {

const backends::Backend& backend();

}  // namespace platc::terraform_gcp
