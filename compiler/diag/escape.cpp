#include "compiler/diag/escape.h"

#include <fmt/format.h>

#include "compiler/source/utf8.h"

namespace platc {

bool is_unsafe_code_point(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string visible(std::string_view s, std::size_t max_code_points) {
  std::string out;
  std::size_t shown = 0, total = 0;
  for (std::size_t i = 0; i < s.size(); ++total) {
    std::size_t n = utf8::sequence_length(s, i);
    bool keep = shown < max_code_points;
    if (keep) ++shown;
    if (n == 0) {
      if (keep) out += fmt::format("\\x{{{:02x}}}", static_cast<unsigned char>(s[i]));
      i += 1;
      continue;
    }
    if (keep) {
      char32_t cp = utf8::decode(s, i);
      if (cp == '\n')
        out += "\\n";
      else if (cp == '\r')
        out += "\\r";
      else if (cp == '\t')
        out += "\\t";
      else if (is_unsafe_code_point(cp))
        out += fmt::format("\\u{{{:x}}}", static_cast<std::uint32_t>(cp));
      else
        out.append(s.substr(i, n));
    }
    i += n;
  }
  if (total > shown) out += fmt::format("\xE2\x80\xA6 ({} characters)", total);
  return out;
}

}  // namespace platc
