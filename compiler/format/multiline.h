// Re-indenting a multi-line string without changing its value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace platc::format {

// The lines of a multi-line string literal laid out for a closing `"""` indented by `indent`
// spaces: the first is `"""`, the last is the indented closing `"""`, and every content line in
// between moves by the same amount as the closing delimiter, so the value (the content with the
// closing indentation removed) stays byte-identical. Whitespace-only content lines become empty:
// they are empty in the value whatever they hold. Returns nullopt when `raw` is not a well-formed
// multi-line literal (such a file has errors and is not formatted anyway).
std::optional<std::vector<std::string>> reindent_multiline(std::string_view raw, std::size_t indent);

}  // namespace platc::format
