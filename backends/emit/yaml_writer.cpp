#include "backends/emit/yaml_writer.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace platc::emit {

YamlNode YamlNode::str(std::string s) {
  YamlNode n;
  n.kind_ = Kind::String;
  n.text_ = std::move(s);
  return n;
}

YamlNode YamlNode::integer(std::int64_t i) {
  YamlNode n;
  n.kind_ = Kind::Int;
  n.i_ = i;
  return n;
}

YamlNode YamlNode::number(std::string text) {
  YamlNode n;
  n.kind_ = Kind::Number;
  n.text_ = std::move(text);
  return n;
}

YamlNode YamlNode::boolean(bool b) {
  YamlNode n;
  n.kind_ = Kind::Bool;
  n.b_ = b;
  return n;
}

YamlNode YamlNode::map() {
  YamlNode n;
  n.kind_ = Kind::Map;
  return n;
}

YamlNode YamlNode::seq() {
  YamlNode n;
  n.kind_ = Kind::Seq;
  return n;
}

std::size_t YamlNode::position(std::string_view key) const {
  constexpr std::size_t kIndexFrom = 16;  // below this, a scan is as fast as a hash
  if (entries_.size() < kIndexFrom) {
    for (std::size_t k = 0; k < entries_.size(); ++k)
      if (entries_[k].first == key) return k;
    return entries_.size();
  }
  if (!index_.map) {
    index_.map = std::make_unique<std::unordered_map<std::string_view, std::size_t>>();
    for (std::size_t k = 0; k < entries_.size(); ++k) index_.map->emplace(entries_[k].first, k);
  }
  auto it = index_.map->find(key);
  return it == index_.map->end() ? entries_.size() : it->second;
}

YamlNode& YamlNode::append(std::string_view key, YamlNode value) {
  auto& e = entries_.emplace_back(std::string(key), std::move(value));
  if (index_.map) index_.map->emplace(e.first, entries_.size() - 1);
  return e.second;
}

YamlNode& YamlNode::set(std::string_view key, YamlNode value) {
  if (kind_ == Kind::Null) kind_ = Kind::Map;
  if (std::size_t k = position(key); k < entries_.size()) return entries_[k].second = std::move(value);
  return append(key, std::move(value));
}

YamlNode& YamlNode::child(std::string_view key) {
  if (kind_ == Kind::Null) kind_ = Kind::Map;
  if (std::size_t k = position(key); k < entries_.size()) return entries_[k].second;
  return append(key, map());
}

const YamlNode* YamlNode::find(std::string_view key) const {
  std::size_t k = position(key);
  return k < entries_.size() ? &entries_[k].second : nullptr;
}

YamlNode& YamlNode::push(YamlNode value) {
  if (kind_ == Kind::Null || (kind_ == Kind::Map && entries_.empty())) kind_ = Kind::Seq;
  items_.push_back(std::move(value));
  return items_.back();
}

namespace {

// Code points that YAML 1.1 treats as line breaks or that readers strip: NEL, LS, PS, BOM.
// Returns the escape to use, or empty.
std::string_view special_unicode(std::string_view s, std::size_t k, std::size_t& len) {
  auto at = [&](std::size_t j) { return static_cast<unsigned char>(j < s.size() ? s[j] : 0); };
  if (at(k) == 0xC2 && at(k + 1) == 0x85) return len = 2, "\\u0085";
  if (at(k) == 0xE2 && at(k + 1) == 0x80 && at(k + 2) == 0xA8) return len = 3, "\\u2028";
  if (at(k) == 0xE2 && at(k + 1) == 0x80 && at(k + 2) == 0xA9) return len = 3, "\\u2029";
  if (at(k) == 0xEF && at(k + 1) == 0xBB && at(k + 2) == 0xBF) return len = 3, "\\uFEFF";
  return {};
}

// C0 and C1 controls, DEL, and the special code points above.
bool has_unprintable(std::string_view s, bool allow_newline) {
  for (std::size_t k = 0; k < s.size(); ++k) {
    unsigned char c = static_cast<unsigned char>(s[k]);
    if (c == '\n' && allow_newline) continue;
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && k + 1 < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[k + 1]);
      if (d >= 0x80 && d <= 0x9F) return true;
    }
    std::size_t len = 0;
    if (!special_unicode(s, k, len).empty()) return true;
  }
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string pad(int n) {
  return std::string(static_cast<std::size_t>(n), ' ');
}

// A multi-line string that a literal block can carry exactly.
bool literal_ok(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (s.find_first_not_of('\n') == std::string_view::npos) return false;  // only line breaks
  return !has_unprintable(s, true);
}

// `|`, `|-`, `|+`, with the indentation indicator `2` when the first line starts with a space
// (or is empty), so readers do not guess the indentation from it.
std::string literal(std::string_view s, int indent) {
  std::size_t end = s.find_last_not_of('\n') + 1;
  std::size_t trailing = s.size() - end;
  std::string_view body = s.substr(0, end);
  std::string out = "|";
  if (body.front() == ' ' || body.front() == '\n') out += "2";
  out += trailing == 0 ? "-" : trailing == 1 ? "" : "+";
  std::size_t start = 0;
  while (true) {
    std::size_t nl = body.find('\n', start);
    std::string_view line = body.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    out += "\n";
    if (!line.empty()) out += pad(indent + 2) + std::string(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  for (std::size_t k = 1; k < trailing; ++k) out += "\n";
  return out;
}

std::string scalar(const YamlNode& n, int indent) {
  switch (n.kind()) {
    case YamlNode::Kind::Null:
      return "null";
    case YamlNode::Kind::Bool:
      return n.b() ? "true" : "false";
    case YamlNode::Kind::Int:
      return std::to_string(n.i());
    case YamlNode::Kind::Number:
      return n.text();
    case YamlNode::Kind::String:
      return literal_ok(n.text()) ? literal(n.text(), indent) : yaml_quote(n.text());
    default:
      return "";
  }
}

bool is_collection(const YamlNode& n) {
  return n.is_map() || n.is_seq();
}

void write_map(std::string& out, const YamlNode& n, int indent);
void write_seq(std::string& out, const YamlNode& n, int indent);

// After `key:` at column `indent`.
void write_value(std::string& out, const YamlNode& v, int indent) {
  if (!is_collection(v)) {
    out += " " + scalar(v, indent) + "\n";
  } else if (v.empty()) {
    out += v.is_map() ? " {}\n" : " []\n";
  } else if (v.is_map()) {
    out += "\n";
    write_map(out, v, indent + 2);
  } else {
    out += "\n";
    write_seq(out, v, indent);  // like kubectl: the dashes at the key's column
  }
}

void write_entries(std::string& out, const YamlNode& n, int indent, bool first_inline) {
  bool first = true;
  for (const auto& [k, v] : n.entries()) {
    if (!(first && first_inline)) out += pad(indent);
    first = false;
    out += yaml_quote(k) + ":";
    write_value(out, v, indent);
  }
}

void write_map(std::string& out, const YamlNode& n, int indent) {
  write_entries(out, n, indent, false);
}

void write_seq(std::string& out, const YamlNode& n, int indent) {
  for (const auto& item : n.items()) {
    out += pad(indent) + "-";
    if (!is_collection(item)) {
      out += " " + scalar(item, indent) + "\n";
    } else if (item.empty()) {
      out += item.is_map() ? " {}\n" : " []\n";
    } else if (item.is_map()) {
      out += " ";
      write_entries(out, item, indent + 2, true);
    } else {
      out += "\n";
      write_seq(out, item, indent + 2);
    }
  }
}

}  // namespace

bool yaml_needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  if (has_unprintable(s, false)) return true;
  if (s.front() == ' ' || s.back() == ' ') return true;
  // Indicators, and what may start a number, a float or a special float in YAML 1.1 or 1.2.
  static constexpr std::string_view kFirst = "-?:,[]{}#&*!|>'\"%@`~+.0123456789";
  if (kFirst.find(s.front()) != std::string_view::npos) return true;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) return true;
  if (s.back() == ':') return true;
  // YAML 1.1 booleans and nulls (any case: quoting a harmless spelling costs nothing), the merge
  // and value keys.
  static constexpr std::array<std::string_view, 13> kWords = {"y",   "n",    "yes", "no", "true", "false", "on",
                                                              "off", "null", "~",   "<<", "=",    "nan"};
  std::string l = lower(s);
  if (std::find(kWords.begin(), kWords.end(), l) != kWords.end()) return true;
  return false;
}

std::string yaml_quote(std::string_view s) {
  if (!yaml_needs_quotes(s)) return std::string(s);
  std::string out = "\"";
  for (std::size_t k = 0; k < s.size(); ++k) {
    unsigned char c = static_cast<unsigned char>(s[k]);
    std::size_t len = 0;
    if (auto esc = special_unicode(s, k, len); !esc.empty()) {
      out += esc;
      k += len - 1;
      continue;
    }
    char buf[8];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else if (c == 0xC2 && k + 1 < s.size() && static_cast<unsigned char>(s[k + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[k + 1]) <= 0x9F) {
          std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(s[k + 1]));
          out += buf;
          ++k;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string to_yaml(const YamlNode& doc) {
  std::string out;
  if (doc.is_map() && !doc.empty())
    write_map(out, doc, 0);
  else if (doc.is_seq() && !doc.empty())
    write_seq(out, doc, 0);
  else if (is_collection(doc))
    out = doc.is_map() ? "{}\n" : "[]\n";
  else
    out = scalar(doc, -2) + "\n";
  return out;
}

std::string to_yaml_stream(const std::vector<YamlNode>& docs, std::string_view header) {
  std::string out(header);
  for (std::size_t k = 0; k < docs.size(); ++k) {
    if (k > 0) out += "---\n";
    out += to_yaml(docs[k]);
  }
  return out;
}

std::string generated_header(const std::vector<std::string>& sources) {
  std::string files;
  for (const auto& s : sources) {
    if (s.empty()) continue;
    files += (files.empty() ? "" : ", ") + s;
  }
  return "# generated by platc from " + (files.empty() ? std::string("the platform") : files) + ", do not edit\n";
}

}  // namespace platc::emit
