// The explanation of every diagnostic code (docs/explain/CODE.md), compiled into the platc binary by
// cmake/embed.cmake: `platc explain` and the policy titles read them.
#pragma once

#include <vector>

#include "compiler/support/embedded.h"

namespace platc {

const std::vector<EmbeddedFile>& embedded_explain();  // docs/explain/*.md, named by code

}  // namespace platc
