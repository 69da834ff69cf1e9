#include "compiler/format/multiline.h"

namespace platc::format {
namespace {

// The same notion of "blank" as the string decoder (compiler/parse/string_decoder.cpp).
bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::optional<std::vector<std::string>> reindent_multiline(std::string_view raw, std::size_t indent) {
  if (raw.size() < 6 || !raw.starts_with("\"\"\"") || !raw.ends_with("\"\"\"")) return std::nullopt;
  std::string_view body = raw.substr(3, raw.size() - 6);
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0;;) {
    std::size_t nl = body.find('\n', pos);
    std::string_view l = body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (l.ends_with('\r')) l.remove_suffix(1);
    lines.push_back(l);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  if (lines.size() < 2 || !blank(lines.front()) || !blank(lines.back())) return std::nullopt;
  std::string_view old_indent = lines.back();

  std::vector<std::string> out;
  out.emplace_back("\"\"\"");
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    std::string_view l = lines[i];
    if (blank(l)) {
      out.emplace_back();
      continue;
    }
    if (!l.starts_with(old_indent)) return std::nullopt;
    out.push_back(std::string(indent, ' ') + std::string(l.substr(old_indent.size())));
  }
  out.push_back(std::string(indent, ' ') + "\"\"\"");
  return out;
}

}  // namespace platc::format
