// Files compiled into the platc binary by cmake/embed.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace platc {

struct EmbeddedFile {
  std::string_view name;     // file name without extension: "E0101", "sizes"
  std::string_view content;
};

const std::vector<EmbeddedFile>& embedded_explain();  // docs/explain/*.md
const std::vector<EmbeddedFile>& embedded_stdlib();   // stdlib/*.plat
const std::vector<EmbeddedFile>& embedded_kinds();    // stdlib/kinds/*.plat: the kind schemas
const std::vector<EmbeddedFile>& embedded_helm();     // backends/helm/chart/**: by relative path

}  // namespace platc
