// Small helpers for the Markdown references platc generates itself (docs/kinds.md,
// docs/policies.md), shared so both documents escape text the same way.
#pragma once

#include <string>
#include <string_view>

namespace platc::markdown {

// Text for one table cell: runs of white space (newlines included) folded into one space,
// leading white space dropped, `|` escaped so it cannot end the cell.
inline std::string cell(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

}  // namespace platc::markdown
