// A file compiled into the platc binary by cmake/embed.cmake. Each stage that embeds files declares
// its own accessor: compiler/diag/explanations.h, compiler/driver/embedded.h, backends/helm/embedded.h.
#pragma once

#include <string_view>

namespace platc {

struct EmbeddedFile {
  std::string_view name;  // file name without extension: "E0101", "sizes"; or a relative path
  std::string_view content;
};

}  // namespace platc
