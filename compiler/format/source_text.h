// Positions and the few questions the formatter asks of the original source text.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/source/source.h"

namespace platc::format {

// A point in the source (1-based line and code-point column), ordered as the text reads.
struct Pos {
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  auto operator<=>(const Pos&) const = default;
};
inline Pos begin_of(const SourceRange& r) {
  return {r.line, r.col};
}
inline Pos end_of(const SourceRange& r) {
  return {r.end_line, r.end_col};
}
inline bool one_line(const SourceRange& r) {
  return r.line == r.end_line;
}

class SourceText {
 public:
  explicit SourceText(const SourceFile& src) : src_(src) {}

  // The exact text of a range (quoted keys and import paths keep their escapes this way).
  std::string slice(const SourceRange& r) const;
  // Whether a whitespace-only line lies strictly between the two lines.
  bool blank_between(std::uint32_t after_line, std::uint32_t before_line) const;

 private:
  std::size_t offset(Pos p) const;
  const SourceFile& src_;
};

// Width in columns as the limit counts them: code points.
std::size_t width(std::string_view s);

}  // namespace platc::format
