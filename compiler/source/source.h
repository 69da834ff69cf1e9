// Source files and positions. Every range in the compiler points into a file held here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace platc {

using FileId = std::uint32_t;
inline constexpr FileId kNoFile = 0xffffffffu;

// A half-open range [begin, end) in one file. Lines and columns are 1-based; columns count
// Unicode code points (not bytes, not display cells: the renderer turns them into cells).
struct SourceRange {
  FileId file = kNoFile;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  std::uint32_t end_line = 0;
  std::uint32_t end_col = 0;

  bool valid() const { return file != kNoFile && line > 0; }
  // The smallest range covering both (same file assumed).
  static SourceRange cover(const SourceRange& a, const SourceRange& b);
  bool operator==(const SourceRange&) const = default;
};

struct SourceFile {
  std::string path;     // as shown to the user (relative to the working directory when given so)
  std::string text;     // the raw bytes
  std::vector<std::size_t> line_starts;  // byte offset of each line's first byte
  bool builtin = false;  // from the embedded standard library

  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts.size()); }
  // Line `line` (1-based) without its terminator; empty when out of range.
  std::string_view line_text(std::uint32_t line) const;
};

class SourceManager {
 public:
  FileId add(std::string path, std::string text, bool builtin = false);
  const SourceFile& file(FileId id) const { return files_.at(id); }
  std::size_t size() const { return files_.size(); }

 private:
  std::vector<SourceFile> files_;
};

}  // namespace platc
