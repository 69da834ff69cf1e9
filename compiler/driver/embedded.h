// Files compiled into the platc binary by cmake/embed.cmake: the standard library.
#pragma once

#include <vector>

#include "compiler/support/embedded.h"

namespace platc {

const std::vector<EmbeddedFile>& embedded_stdlib();  // stdlib/*.plat
const std::vector<EmbeddedFile>& embedded_kinds();   // stdlib/kinds/*.plat: the kind schemas

}  // namespace platc
