// The pin table of the actions the workflows use (stdlib/github/actions.pins), compiled into the
// platc binary by cmake/embed.cmake.
#pragma once

#include <vector>

#include "compiler/support/embedded.h"

namespace platc {

const std::vector<EmbeddedFile>& embedded_github();  // named by their path relative to stdlib/github/

}  // namespace platc
