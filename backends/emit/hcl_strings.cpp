#include "backends/emit/hcl_strings.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "backends/emit/hcl_model.h"

namespace platc::emit::hcl {

namespace {

// Decodes the code point at s[k], setting `len`; 0 for invalid UTF-8 (overlong forms,
// surrogates and values beyond U+10FFFF included).
std::size_t decode_or_zero(std::string_view s, std::size_t k, char32_t& cp) {
  unsigned char c = static_cast<unsigned char>(s[k]);
  if (c < 0x80) return cp = c, 1;
  std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (n == 0 || k + n > s.size()) return 0;
  cp = c & (0xFF >> (n + 1));
  for (std::size_t j = 1; j < n; ++j) {
    unsigned char d = static_cast<unsigned char>(s[k + j]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  static constexpr std::array<char32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// The same for text that must be valid (strings, keys, heredocs): throws otherwise.
char32_t decode(std::string_view s, std::size_t k, std::size_t& len) {
  char32_t cp = 0;
  len = decode_or_zero(s, k, cp);
  if (len == 0) throw std::invalid_argument("hcl: string is not valid UTF-8");
  return cp;
}

// What a string literal writes as \uNNNN: controls, and the code points that readers and
// editors take for line breaks or hide.
bool unprintable(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
}

// Scripts whose every code point is one grapheme cluster and joins with no neighbour, so that
// counting code points counts what terraform fmt counts.
bool one_cluster(char32_t cp) {
  return cp < 0x7F || (cp >= 0xA0 && cp <= 0x2FF) || (cp >= 0x370 && cp <= 0x377) || (cp >= 0x37A && cp <= 0x37F) ||
         (cp >= 0x384 && cp <= 0x3FF) || (cp >= 0x400 && cp <= 0x482) || (cp >= 0x48A && cp <= 0x52F) ||
         (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3);
}

// Go's unicode.IsSpace, which the flush heredoc rule uses to find the indentation it strips.
bool go_space(char32_t cp) {
  return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

std::string u_escape(char32_t cp) {
  char buf[16];
  if (cp < 0x10000)
    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
  else
    std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
  return buf;
}

// `${` → `$${`, `%{` → `%%{`: the one escape templates have, in quoted strings and heredocs.
void append_template_char(std::string& out, std::string_view s, std::size_t k) {
  out += s[k];
  if ((s[k] == '$' || s[k] == '%') && k + 1 < s.size() && s[k + 1] == '{') out += s[k];
}

std::string escape(std::string_view s, bool key) {
  std::string out;
  out.reserve(s.size() + 2);
  for (std::size_t k = 0; k < s.size();) {
    std::size_t len = 1;
    char32_t cp = decode(s, k, len);
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (unprintable(cp) || (key && !one_cluster(cp)))
          out += u_escape(cp);
        else if (len == 1)
          append_template_char(out, s, k);
        else
          out.append(s.substr(k, len));
    }
    k += len;
  }
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {  // text ends in '\n'
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// A line the flush heredoc rule ignores: white space only.
bool blank_line(std::string_view line) {
  for (std::size_t k = 0; k < line.size();) {
    std::size_t len = 1;
    if (!go_space(decode(line, k, len))) return false;
    k += len;
  }
  return true;
}

}  // namespace

std::string escape_string(std::string_view s) {
  return escape(s, false);
}

std::string quote(std::string_view s) {
  return "\"" + escape(s, false) + "\"";
}

std::string object_key(std::string_view key) {
  static constexpr std::array<std::string_view, 6> kKeywords = {"for", "in", "if", "true", "false", "null"};
  bool keyword = false;
  for (auto k : kKeywords) keyword = keyword || key == k;
  if (is_identifier(key) && !keyword) return std::string(key);
  return "\"" + escape(key, true) + "\"";
}

std::size_t key_columns(std::string_view written) {
  std::size_t n = 0;
  for (unsigned char c : written) n += (c & 0xC0) != 0x80;  // code points: each one cluster here
  return n;
}

bool heredoc_ok(std::string_view text) {
  if (text.empty() || text.back() != '\n') return false;
  for (std::size_t k = 0; k < text.size();) {
    std::size_t len = 1;
    char32_t cp = decode(text, k, len);
    if (cp != '\n' && cp != '\t' && unprintable(cp)) return false;
    k += len;
  }
  bool flush_left = false;  // some line starts with no white space: the rule strips only ours
  for (auto line : lines_of(text)) {
    if (blank_line(line)) continue;
    std::size_t len = 1;
    char32_t first = decode(line, 0, len);
    if (!one_cluster(first)) return false;  // a combining mark would join our indentation
    flush_left = flush_left || !go_space(first);
  }
  return flush_left;
}

std::string heredoc(std::string_view text, int indent) {
  std::string delim = "EOT";
  for (int n = 1; text.find(delim) != std::string_view::npos; ++n) delim = "EOT" + std::to_string(n);
  std::string pad(static_cast<std::size_t>(indent), ' ');
  std::string out = "<<-" + delim + "\n";
  for (auto line : lines_of(text)) {
    if (!blank_line(line)) out += pad + "  ";
    for (std::size_t k = 0; k < line.size(); ++k) append_template_char(out, line, k);
    out += "\n";
  }
  return out + pad + delim;
}

std::string comment_lines(std::string_view text, int indent) {
  std::string pad(static_cast<std::size_t>(indent), ' ');
  std::string out;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? nl : nl - start);
    out += pad + "#";
    if (!line.empty()) out += " ";
    for (std::size_t k = 0; k < line.size();) {
      char32_t cp = 0;
      std::size_t len = decode_or_zero(line, k, cp);
      if (len == 0) {  // a comment may quote a file name, which need not be UTF-8: shown, not refused
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(line[k]));
        out += buf;
        len = 1;
      } else if (cp != '\t' && unprintable(cp)) {
        out += u_escape(cp);
      } else {
        out.append(line.substr(k, len));
      }
      k += len;
    }
    out += "\n";
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

}  // namespace platc::emit::hcl
