// The one YAML writer: a small ordered document model that backends build, and the printer that
// decides quoting, key order and indentation in one place. Keys keep insertion order, so the
// output is exactly as deterministic as the code that built the document.
//
// Why not yaml-cpp's emitter: it leaves `on`, `yes`, `0755`, `1e3`, `12:30` unquoted (a YAML 1.1
// reader such as kubectl reads them as booleans or numbers), cannot write `|-`, and writes an
// invalid literal block when the first line starts with a space. See docs/design-notes.md.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace platc::emit {

class YamlNode {
 public:
  enum class Kind { Null, Bool, Int, Number, String, Map, Seq };

  YamlNode() = default;  // null
  static YamlNode str(std::string s);
  static YamlNode integer(std::int64_t i);
  // A number already spelled canonically ("0.05", "1.5", "900"); written unquoted.
  static YamlNode number(std::string text);
  static YamlNode boolean(bool b);
  static YamlNode map();
  static YamlNode seq();

  Kind kind() const { return kind_; }
  bool is_map() const { return kind_ == Kind::Map; }
  bool is_seq() const { return kind_ == Kind::Seq; }
  bool empty() const { return entries_.empty() && items_.empty(); }

  // Map: sets `key`, in place when it exists, appended otherwise. Returns the stored value.
  YamlNode& set(std::string_view key, YamlNode value);
  YamlNode& set(std::string_view key, std::string value) { return set(key, str(std::move(value))); }
  YamlNode& set(std::string_view key, const char* value) { return set(key, str(value)); }
  // Map: the value at `key`, created as an empty map when missing.
  YamlNode& child(std::string_view key);
  const YamlNode* find(std::string_view key) const;
  // Seq: appends.
  YamlNode& push(YamlNode value);

  const std::string& text() const { return text_; }
  bool b() const { return b_; }
  std::int64_t i() const { return i_; }
  const std::deque<std::pair<std::string, YamlNode>>& entries() const { return entries_; }
  const std::deque<YamlNode>& items() const { return items_; }

 private:
  Kind kind_ = Kind::Null;
  bool b_ = false;
  std::int64_t i_ = 0;
  std::string text_;
  // Deques: a reference returned by set/child/push stays valid while siblings are added.
  std::deque<std::pair<std::string, YamlNode>> entries_;
  std::deque<YamlNode> items_;
};

// One document, block style, two-space indentation, sequences at their key's indentation (like
// kubectl), ending in a newline. No `---`.
std::string to_yaml(const YamlNode& doc);

// Several documents separated by `---`, after `header` (comment lines, each starting with `#`,
// each ending in a newline; may be empty).
std::string to_yaml_stream(const std::vector<YamlNode>& docs, std::string_view header);

// How a string scalar is written on one line: plain when every YAML 1.1 and 1.2 reader reads it
// back as the same string, double-quoted otherwise. Exposed for tests.
std::string yaml_quote(std::string_view s);
bool yaml_needs_quotes(std::string_view s);

}  // namespace platc::emit
