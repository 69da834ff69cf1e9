#include "backends/emit/hcl_writer.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <vector>

#include "backends/emit/hcl_strings.h"

namespace platc::emit::hcl {

namespace {

// Where an expression stands: an attribute's or object item's value (a heredoc may stand there),
// a tuple item or call argument (a heredoc is a quoted string there: its closing line would have
// to be followed by the comma), or inside `${…}` (one line only).
enum class Where { Value, Inline, Interp };

constexpr std::size_t kTupleWidth = 80;

std::string pad(int n) {
  return std::string(static_cast<std::size_t>(n), ' ');
}

// A template's parts with adjacent texts joined and empty texts dropped.
std::vector<const Expr*> template_parts(const Expr& t, std::vector<Expr>& joined) {
  joined.clear();
  joined.reserve(t.items().size());
  for (const auto& p : t.items()) {
    if (p.kind() == Expr::Kind::String) {
      if (p.text().empty()) continue;
      if (!joined.empty() && joined.back().kind() == Expr::Kind::String) {
        joined.back() = Expr::str(joined.back().text() + p.text());
        continue;
      }
    }
    joined.push_back(p);
  }
  std::vector<const Expr*> parts;
  for (const auto& p : joined) parts.push_back(&p);
  return parts;
}

std::optional<std::string> one_line(const Expr& e, Where where);

std::string render_template(const std::vector<const Expr*>& parts) {
  std::string out = "\"";
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const Expr& p = *parts[k];
    if (p.kind() != Expr::Kind::String) {
      auto inner = one_line(p, Where::Interp);
      if (!inner) throw std::invalid_argument("hcl: an interpolation must fit on one line");
      out += "${" + *inner + "}";
      continue;
    }
    std::string_view text = p.text();
    // `$` right before `${` would make it the escape `$${`: such `$`s are interpolated instead.
    std::size_t dollars = 0;
    if (k + 1 < parts.size())
      while (dollars < text.size() && text[text.size() - 1 - dollars] == '$') ++dollars;
    out += escape_string(text.substr(0, text.size() - dollars));
    if (dollars > 0) out += "${\"" + std::string(dollars, '$') + "\"}";
  }
  return out + "\"";
}

// The expression on one line, or nothing when it spans lines.
std::optional<std::string> one_line(const Expr& e, Where where) {
  switch (e.kind()) {
    case Expr::Kind::String:
      return quote(e.text());
    case Expr::Kind::Template: {
      std::vector<Expr> joined;
      auto parts = template_parts(e, joined);
      if (parts.empty()) return "\"\"";
      if (parts.size() == 1 && parts[0]->kind() != Expr::Kind::String) return one_line(*parts[0], where);
      return render_template(parts);
    }
    case Expr::Kind::Number:
    case Expr::Kind::Reference:
    case Expr::Kind::Raw:
      return e.text();
    case Expr::Kind::Bool:
      return e.b() ? "true" : "false";
    case Expr::Kind::Null:
      return "null";
    case Expr::Kind::Heredoc:
      if (where == Where::Value && heredoc_ok(e.text())) return std::nullopt;
      return quote(e.text());
    case Expr::Kind::Tuple: {
      std::string out = "[";
      for (std::size_t k = 0; k < e.items().size(); ++k) {
        const Expr& item = e.items()[k];
        if (item.kind() == Expr::Kind::Object && !item.items().empty()) return std::nullopt;
        auto s = one_line(item, Where::Inline);
        if (!s) return std::nullopt;
        out += (k > 0 ? ", " : "") + *s;
      }
      out += "]";
      if (out.size() > kTupleWidth && where != Where::Interp) return std::nullopt;
      return out;
    }
    case Expr::Kind::Object:
      if (e.items().empty()) return "{}";
      return std::nullopt;
    case Expr::Kind::Call: {
      std::string out = e.text() + "(";
      for (std::size_t k = 0; k < e.items().size(); ++k) {
        auto s = one_line(e.items()[k], Where::Inline);
        if (!s) return std::nullopt;
        out += (k > 0 ? ", " : "") + *s;
      }
      return out + ")";
    }
  }
  return std::nullopt;
}

// Whether the value's line is one line to terraform fmt, so that its `=` joins the alignment: a
// one-line value, or a heredoc (fmt's line ends after the closing marker).
bool aligned(const Expr& e, Where where) {
  if (one_line(e, where)) return true;
  if (e.kind() == Expr::Kind::Heredoc) return true;  // not one line, so a heredoc here
  if (e.kind() == Expr::Kind::Template) {
    std::vector<Expr> joined;
    auto parts = template_parts(e, joined);
    return parts.size() == 1 && aligned(*parts[0], where);
  }
  return false;
}

void write_entries(std::string& out, const std::vector<std::string>& keys, const std::vector<const Expr*>& values,
                   const std::vector<std::size_t>& columns, int indent);

// The expression starting where the caller left the line; later lines carry their indentation,
// the last line ends without a newline.
std::string render(const Expr& e, int indent, Where where) {
  if (auto s = one_line(e, where)) return *s;
  switch (e.kind()) {
    case Expr::Kind::Heredoc:
      return heredoc(e.text(), indent);
    case Expr::Kind::Template: {  // a template of one multi-line expression is that expression
      std::vector<Expr> joined;
      return render(*template_parts(e, joined)[0], indent, where);
    }
    case Expr::Kind::Tuple: {
      std::string out = "[\n";
      for (const auto& item : e.items()) out += pad(indent + 2) + render(item, indent + 2, Where::Inline) + ",\n";
      return out + pad(indent) + "]";
    }
    case Expr::Kind::Object: {
      std::vector<std::string> keys;
      std::vector<std::size_t> columns;
      std::vector<const Expr*> values;
      for (std::size_t k = 0; k < e.keys().size(); ++k) {
        keys.push_back(object_key(e.keys()[k]));
        columns.push_back(key_columns(keys.back()));
        values.push_back(&e.items()[k]);
      }
      std::string out = "{\n";
      write_entries(out, keys, values, columns, indent + 2);
      return out + pad(indent) + "}";
    }
    case Expr::Kind::Call: {
      const auto& args = e.items();
      bool head_one_line = true;
      std::string head;
      for (std::size_t k = 0; k + 1 < args.size(); ++k) {
        auto s = one_line(args[k], Where::Inline);
        head_one_line = head_one_line && s.has_value();
        if (s) head += *s + ", ";
      }
      // `f(a, {` opens two brackets on one line and fmt indents the argument's lines by one
      // level, so the last argument is written at the call's own indentation.
      if (head_one_line) return e.text() + "(" + head + render(args.back(), indent, Where::Inline) + ")";
      std::string out = e.text() + "(\n";
      for (const auto& arg : args) out += pad(indent + 2) + render(arg, indent + 2, Where::Inline) + ",\n";
      return out + pad(indent) + ")";
    }
    default:
      throw std::logic_error("hcl: expression kind has no multi-line form");
  }
}

// `key = value` lines, `=` aligned over each run of aligned values (format.go's formatCells:
// the `=` of a run stands one column after the widest key).
void write_entries(std::string& out, const std::vector<std::string>& keys, const std::vector<const Expr*>& values,
                   const std::vector<std::size_t>& columns, int indent) {
  std::size_t k = 0;
  while (k < keys.size()) {
    std::size_t end = k;
    std::size_t width = 0;
    while (end < keys.size() && aligned(*values[end], Where::Value)) width = std::max(width, columns[end++]);
    if (end == k) {  // a multi-line value: alone, one space before `=`
      out += pad(indent) + keys[k] + " = " + render(*values[k], indent, Where::Value) + "\n";
      ++k;
      continue;
    }
    for (; k < end; ++k)
      out += pad(indent) + keys[k] + pad(static_cast<int>(width - columns[k]) + 1) + "= " +
             render(*values[k], indent, Where::Value) + "\n";
  }
}

void write_body(std::string& out, const Body& body, int indent);

// terraform fmt rewrites a top-level variable's `type` when it is a bare `list`, `map` or `set`
// (to `list(any)`, …) or a pre-0.12 quoted type (`"string"` to `string`): such a value would not
// survive fmt, so it is refused rather than written.
void check_variable_type(const Block& b) {
  const Expr* type = b.body.find("type");
  if (type == nullptr) return;
  const std::string& t = type->text();
  bool bare = (type->kind() == Expr::Kind::Raw || type->kind() == Expr::Kind::Reference) &&
              (t == "list" || t == "map" || t == "set");
  bool quoted = type->kind() == Expr::Kind::String && (t == "string" || t == "list" || t == "map");
  if (bare || quoted)
    throw std::invalid_argument("hcl: variable type \"" + t + "\" is rewritten by terraform fmt; write it in full");
}

void write_block(std::string& out, const Block& b, int indent) {
  if (indent == 0 && b.type == "variable") check_variable_type(b);
  out += pad(indent) + b.type;
  for (const auto& l : b.labels) out += " \"" + l + "\"";
  bool empty = true;
  for (const auto& item : b.body.items()) empty = empty && item.kind == Item::Kind::Blank;
  if (empty) {
    out += " {}\n";
    return;
  }
  out += " {\n";
  write_body(out, b.body, indent + 2);
  out += pad(indent) + "}\n";
}

// The items with the blank lines of the house style: one before a block (unless a comment or a
// blank line is there), one after it (unless it ends the body), runs collapsed, none at either
// end. nullptr is a blank line.
std::vector<const Item*> layout(const Body& body) {
  std::vector<const Item*> seq;
  bool after_block = false;
  for (const auto& item : body.items()) {
    bool blank = item.kind == Item::Kind::Blank;
    bool block = item.kind == Item::Kind::Block;
    bool last_blank = seq.empty() || seq.back() == nullptr;
    if (blank) {
      if (!last_blank) seq.push_back(nullptr);
    } else {
      bool last_comment = !last_blank && seq.back()->kind == Item::Kind::Comment;
      if (!last_blank && (after_block || (block && !last_comment))) seq.push_back(nullptr);
      seq.push_back(&item);
    }
    if (!blank) after_block = block;
  }
  while (!seq.empty() && seq.back() == nullptr) seq.pop_back();
  return seq;
}

void write_body(std::string& out, const Body& body, int indent) {
  auto seq = layout(body);
  for (std::size_t k = 0; k < seq.size();) {
    const Item* item = seq[k];
    if (item == nullptr) {
      out += "\n";
      ++k;
    } else if (item->kind == Item::Kind::Comment) {
      out += comment_lines(item->name, indent);
      ++k;
    } else if (item->kind == Item::Kind::Block) {
      write_block(out, item->block.front(), indent);
      ++k;
    } else {  // a run of attributes, aligned as a group of object entries would be
      std::vector<std::string> keys;
      std::vector<std::size_t> columns;
      std::vector<const Expr*> values;
      for (; k < seq.size() && seq[k] != nullptr && seq[k]->kind == Item::Kind::Attribute; ++k) {
        keys.push_back(seq[k]->name);
        columns.push_back(seq[k]->name.size());
        values.push_back(&seq[k]->value);
      }
      write_entries(out, keys, values, columns, indent);
    }
  }
}

}  // namespace

std::string to_hcl(const Body& body) {
  std::string out;
  write_body(out, body, 0);
  return out;
}

std::string to_hcl(const Expr& value) {
  return render(value, 0, Where::Value);
}

}  // namespace platc::emit::hcl
