// The Helm chart's fixed files (backends/helm/chart/**), compiled into the platc binary by
// cmake/embed.cmake.
#pragma once

#include <vector>

#include "compiler/support/embedded.h"

namespace platc {

const std::vector<EmbeddedFile>& embedded_helm();  // named by their path relative to chart/

}  // namespace platc
