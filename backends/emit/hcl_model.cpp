#include "backends/emit/hcl_model.h"

#include <cstdlib>
#include <stdexcept>

namespace platc::emit::hcl {

namespace {

[[noreturn]] void fail(std::string_view what, std::string_view value) {
  throw std::invalid_argument("hcl: " + std::string(what) + ": \"" + std::string(value) + "\"");
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// `count.index`, `each.key`: the plain traversal an index may hold.
bool is_plain_traversal(std::string_view s) {
  std::size_t start = 0;
  while (true) {
    std::size_t dot = s.find('.', start);
    if (!is_identifier(s.substr(start, dot == std::string_view::npos ? dot : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// One `[...]` index: digits, `*`, a quoted key of printable ASCII with nothing to escape, or a
// plain traversal.
bool is_index(std::string_view s) {
  if (s.empty()) return false;
  if (s == "*") return true;
  bool digits = true;
  for (char c : s) digits = digits && is_digit(c);
  if (digits) return true;
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    std::string_view key = s.substr(1, s.size() - 2);
    for (std::size_t k = 0; k < key.size(); ++k) {
      char c = key[k];
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
      if ((c == '$' || c == '%') && k + 1 < key.size() && key[k + 1] == '{') return false;
    }
    return true;
  }
  return is_plain_traversal(s);
}

bool is_traversal(std::string_view s) {
  std::size_t k = 0;
  auto ident = [&] {
    std::size_t start = k;
    while (k < s.size() && s[k] != '.' && s[k] != '[') ++k;
    return is_identifier(s.substr(start, k - start));
  };
  if (!ident()) return false;
  while (k < s.size()) {
    if (s[k] == '.') {
      ++k;
      if (!ident()) return false;
    } else {  // '['
      std::size_t close = s.find(']', k);
      if (close == std::string_view::npos || !is_index(s.substr(k + 1, close - k - 1))) return false;
      k = close + 1;
    }
  }
  return true;
}

bool is_function_name(std::string_view s) {
  std::size_t start = 0;
  while (true) {
    std::size_t sep = s.find("::", start);
    if (!is_identifier(s.substr(start, sep == std::string_view::npos ? sep : sep - start))) return false;
    if (sep == std::string_view::npos) return true;
    start = sep + 2;
  }
}

bool is_number_text(std::string_view s) {
  std::size_t k = 0;
  auto digits = [&] {
    std::size_t start = k;
    while (k < s.size() && is_digit(s[k])) ++k;
    return k > start;
  };
  if (k < s.size() && s[k] == '-') ++k;
  if (!digits()) return false;
  if (k < s.size() && s[k] == '.') {
    ++k;
    if (!digits()) return false;
  }
  if (k < s.size() && (s[k] == 'e' || s[k] == 'E')) {
    ++k;
    if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
    if (!digits()) return false;
  }
  return k == s.size();
}

// Brackets balanced outside quoted strings: a raw expression that opened one would change how
// terraform fmt indents and aligns every line after it.
bool is_balanced(std::string_view s) {
  std::string open;
  for (std::size_t k = 0; k < s.size(); ++k) {
    char c = s[k];
    if (c == '"') {
      for (++k; k < s.size() && s[k] != '"'; ++k)
        if (s[k] == '\\') ++k;
      if (k >= s.size()) return false;
    } else if (c == '(' || c == '[' || c == '{') {
      open += c;
    } else if (c == ')' || c == ']' || c == '}') {
      char want = c == ')' ? '(' : c == ']' ? '[' : '{';
      if (open.empty() || open.back() != want) return false;
      open.pop_back();
    }
  }
  return open.empty();
}

bool is_label(std::string_view s) {
  for (std::size_t k = 0; k < s.size(); ++k) {
    char c = s[k];
    if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
    if ((c == '$' || c == '%') && k + 1 < s.size() && s[k + 1] == '{') return false;
  }
  return true;
}

}  // namespace

bool is_identifier(std::string_view s) {
  if (s.empty() || !is_letter(s.front())) return false;
  for (char c : s)
    if (!is_letter(c) && !is_digit(c) && c != '-') return false;
  return true;
}

Expr Expr::str(std::string s) {
  Expr e;
  e.kind_ = Kind::String;
  e.text_ = std::move(s);
  return e;
}

Expr Expr::tmpl(std::vector<Expr> parts) {
  Expr e;
  e.kind_ = Kind::Template;
  e.items_ = std::move(parts);
  return e;
}

Expr Expr::number(std::int64_t i) {
  return number_text(std::to_string(i));
}

Expr Expr::number(const Decimal& d) {
  std::uint64_t m =
      d.mantissa < 0 ? 0 - static_cast<std::uint64_t>(d.mantissa) : static_cast<std::uint64_t>(d.mantissa);
  std::string digits = std::to_string(m);
  if (d.scale > 0) {
    if (digits.size() <= d.scale) digits.insert(0, d.scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - d.scale, ".");
  }
  return number_text((d.mantissa < 0 ? "-" : "") + digits);
}

Expr Expr::number_text(std::string text) {
  if (!is_number_text(text)) fail("not a number", text);
  Expr e;
  e.kind_ = Kind::Number;
  e.text_ = std::move(text);
  return e;
}

Expr Expr::boolean(bool b) {
  Expr e;
  e.kind_ = Kind::Bool;
  e.b_ = b;
  return e;
}

Expr Expr::ref(std::string_view traversal) {
  if (!is_traversal(traversal)) fail("not a traversal", traversal);
  Expr e;
  e.kind_ = Kind::Reference;
  e.text_ = std::string(traversal);
  return e;
}

Expr Expr::call(std::string_view name, std::vector<Expr> args) {
  if (!is_function_name(name)) fail("not a function name", name);
  Expr e;
  e.kind_ = Kind::Call;
  e.text_ = std::string(name);
  e.items_ = std::move(args);
  return e;
}

Expr Expr::tuple(std::vector<Expr> items) {
  Expr e;
  e.kind_ = Kind::Tuple;
  e.items_ = std::move(items);
  return e;
}

Expr Expr::strings(const std::vector<std::string>& items) {
  Expr e = tuple();
  for (const auto& s : items) e.items_.push_back(str(s));
  return e;
}

Expr Expr::object() {
  Expr e;
  e.kind_ = Kind::Object;
  return e;
}

Expr Expr::heredoc(std::string text) {
  Expr e;
  e.kind_ = Kind::Heredoc;
  e.text_ = std::move(text);
  return e;
}

Expr Expr::raw(std::string text) {
  if (text.empty() || text.find_first_of("\r\n") != std::string::npos) fail("raw expression not one line", text);
  if (!is_balanced(text)) fail("raw expression with unbalanced brackets or quotes", text);
  Expr e;
  e.kind_ = Kind::Raw;
  e.text_ = std::move(text);
  return e;
}

Expr& Expr::set(std::string_view key, Expr value) {
  if (kind_ == Kind::Null) kind_ = Kind::Object;
  if (kind_ != Kind::Object) fail("set on a value that is not an object", key);
  for (std::size_t k = 0; k < keys_.size(); ++k)
    if (keys_[k] == key) {
      items_[k] = std::move(value);
      return *this;
    }
  keys_.emplace_back(key);
  items_.push_back(std::move(value));
  return *this;
}

Expr& Expr::at(std::string_view key) {
  for (std::size_t k = 0; k < keys_.size(); ++k)
    if (keys_[k] == key) return items_[k];
  fail("no such key", key);
}

const Expr* Expr::find(std::string_view key) const {
  for (std::size_t k = 0; k < keys_.size(); ++k)
    if (keys_[k] == key) return &items_[k];
  return nullptr;
}

Expr& Expr::push(Expr value) {
  if (kind_ == Kind::Null) kind_ = Kind::Tuple;
  if (kind_ != Kind::Tuple) fail("push on a value that is not a tuple", text_);
  items_.push_back(std::move(value));
  return *this;
}

Expr& Expr::back() {
  if (kind_ != Kind::Tuple || items_.empty()) fail("back of an empty or non-tuple value", text_);
  return items_.back();
}

Body& Body::attr(std::string_view name, Expr value) {
  if (!is_identifier(name)) fail("not an attribute name", name);
  if (!attr_names_.emplace(name).second) fail("attribute set twice", name);
  Item& item = items_.emplace_back();
  item.kind = Item::Kind::Attribute;
  item.name = std::string(name);
  item.value = std::move(value);
  return *this;
}

Block& Body::block(std::string_view type, std::vector<std::string> labels) {
  if (!is_identifier(type)) fail("not a block type", type);
  for (const auto& l : labels)
    if (!is_label(l)) fail("not a label", l);
  Item& item = items_.emplace_back();
  item.kind = Item::Kind::Block;
  Block& b = item.block.emplace_back();
  b.type = std::string(type);
  b.labels = std::move(labels);
  return b;
}

Body& Body::comment(std::string_view text) {
  Item& item = items_.emplace_back();
  item.kind = Item::Kind::Comment;
  item.name = std::string(text);
  return *this;
}

Body& Body::blank() {
  items_.emplace_back().kind = Item::Kind::Blank;
  return *this;
}

const Expr* Body::find(std::string_view name) const {
  if (!attr_names_.contains(name)) return nullptr;
  for (const auto& item : items_)
    if (item.kind == Item::Kind::Attribute && item.name == name) return &item.value;
  return nullptr;
}

}  // namespace platc::emit::hcl
