#include "compiler/format/source_text.h"

#include "compiler/source/utf8.h"

namespace platc::format {

std::size_t SourceText::offset(Pos p) const {
  if (p.line == 0 || p.line > src_.line_starts.size()) return src_.text.size();
  // line_starts[0] is past a byte-order mark, as columns are.
  std::size_t i = src_.line_starts[p.line - 1];
  // Columns count code points, so walk them rather than adding bytes.
  for (std::uint32_t c = 1; c < p.col && i < src_.text.size() && src_.text[i] != '\n'; ++c) {
    std::size_t len = utf8::sequence_length(src_.text, i);
    i += len == 0 ? 1 : len;
  }
  return i;
}

std::string SourceText::slice(const SourceRange& r) const {
  std::size_t b = offset(begin_of(r)), e = offset(end_of(r));
  if (e < b) return {};
  return src_.text.substr(b, e - b);
}

bool SourceText::blank_between(std::uint32_t after_line, std::uint32_t before_line) const {
  for (std::uint32_t l = after_line + 1; l < before_line; ++l)
    if (src_.line_text(l).find_first_not_of(" \t\f") == std::string_view::npos) return true;
  return false;
}

std::size_t width(std::string_view s) {
  return utf8::count_code_points(s);
}

}  // namespace platc::format
