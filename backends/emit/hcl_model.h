// The HCL model: what a Terraform backend builds, as plain data, before the one HCL writer
// (hcl_writer.h) prints it. Bodies keep their items in the order they were added and objects keep
// their keys in insertion order, so the output is exactly as deterministic as the code that built
// it. Names are checked when they are added: a block type, attribute name, label, reference or
// function name that HCL would not read back as written is a defect of platc, so it throws
// std::invalid_argument instead of printing something terraform would reject or misread.
#pragma once

#include <cstdint>
#include <list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/decimal.h"

namespace platc::emit::hcl {

class Expr {
 public:
  enum class Kind { String, Template, Number, Bool, Null, Reference, Call, Tuple, Object, Heredoc, Raw };

  Expr() = default;  // null

  // A string, escaped by the writer: any bytes of valid UTF-8 read back exactly.
  static Expr str(std::string s);
  // "arn:aws:s3:::${aws_s3_bucket.x.id}/*": the String parts are literal text, every other part is
  // interpolated. A template of one interpolation and no text is written as that expression alone
  // (terraform fmt unwraps "${x}" to x); an interpolated part must fit on one line (no objects,
  // no multi-line tuples or heredocs).
  static Expr tmpl(std::vector<Expr> parts);
  static Expr number(std::int64_t i);
  static Expr number(const Decimal& d);
  // A number spelled as HCL reads it: -?digits(.digits)?([eE][+-]?digits)?. Throws otherwise.
  static Expr number_text(std::string text);
  static Expr boolean(bool b);
  static Expr null() { return Expr(); }
  // A traversal as written: `var.region`, `each.value`, `aws_s3_bucket.assets.arn`,
  // `aws_subnet.private[0].id`, `aws_subnet.private[*].id`, `var.tags["Name"]`. Each step is
  // checked; spaces are not allowed.
  static Expr ref(std::string_view traversal);
  // `jsonencode(...)`, `merge(a, b)`, `provider::aws::arn_parse(...)`.
  static Expr call(std::string_view name, std::vector<Expr> args);
  static Expr tuple(std::vector<Expr> items = {});
  static Expr strings(const std::vector<std::string>& items);  // a tuple of strings
  static Expr object();
  // Multi-line text written as `<<-EOT` … `EOT` where that reads back exactly (the text ends in
  // a newline, has no control characters but tabs, some line starts without a space, no line
  // starts with a combining character); as a quoted string otherwise, and wherever a heredoc
  // cannot stand (inside a tuple, a call or a template).
  static Expr heredoc(std::string text);
  // Printed verbatim: the escape hatch for what the model lacks (type constraints such as
  // `map(string)`, conditionals, for expressions). One line, brackets balanced (checked), spaced
  // as terraform fmt spaces it (`{ a = string }`, `a ? b : c`, `f(x, y)`): fmt would respace it
  // otherwise. Use sparingly.
  static Expr raw(std::string text);

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }  // String, Number, Reference, Call (name), Heredoc, Raw
  bool b() const { return b_; }
  const std::vector<Expr>& items() const { return items_; }       // Template parts, Call args, Tuple, Object values
  const std::vector<std::string>& keys() const { return keys_; }  // Object keys, parallel to items()

  // Object: sets `key` (any string; quoted by the writer when not an identifier), in place when
  // it exists, appended otherwise. Returns the object, so that calls chain:
  // `Expr::object().set("Effect", "Deny").set("Action", "s3:*")`.
  Expr& set(std::string_view key, Expr value);
  Expr& set(std::string_view key, std::string value) { return set(key, str(std::move(value))); }
  Expr& set(std::string_view key, const char* value) { return set(key, str(value)); }
  const Expr* find(std::string_view key) const;
  // Object: the value at `key`, which must exist (throws otherwise); for filling it in place.
  Expr& at(std::string_view key);
  // Tuple: appends; returns the tuple, so that calls chain. back() is the last item.
  Expr& push(Expr value);
  Expr& back();

 private:
  Kind kind_ = Kind::Null;
  bool b_ = false;
  std::string text_;
  std::vector<Expr> items_;
  std::vector<std::string> keys_;
};

struct Block;

// One item of a body, in the order added.
struct Item {
  enum class Kind { Attribute, Block, Comment, Blank };
  Kind kind = Kind::Blank;
  std::string name;        // Attribute name; Comment text
  Expr value;              // Attribute
  std::list<Block> block;  // Block: exactly one (a list: Block is incomplete here)
};

class Body {
 public:
  // Appends `name = value`. Throws on a name that is not an identifier or that is already set.
  Body& attr(std::string_view name, Expr value);
  Body& attr(std::string_view name, std::string value) { return attr(name, Expr::str(std::move(value))); }
  Body& attr(std::string_view name, const char* value) { return attr(name, Expr::str(value)); }
  // Appends a nested block and returns it (the reference stays valid while items are added).
  // Labels are written quoted: printable ASCII without `"`, `\`, `${` or `%{`.
  Block& block(std::string_view type, std::vector<std::string> labels = {});
  // Appends a comment; each line of `text` becomes one `# ` line. Control characters other than
  // the line breaks are written as \uNNNN so nothing can end the comment early.
  Body& comment(std::string_view text);
  // Appends a blank line. Blank lines at the start or end of a body and runs of them collapse;
  // blocks get their blank lines without asking (see hcl_writer.h).
  Body& blank();

  const std::list<Item>& items() const { return items_; }
  const Expr* find(std::string_view name) const;  // an attribute's value

 private:
  std::list<Item> items_;
  // The attribute names set so far: attr() refuses a second one without scanning every item (a
  // module's variables and an environment's tfvars hold thousands). Names only, no pointers into
  // items_, so a copied Body stays consistent.
  std::set<std::string, std::less<>> attr_names_;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  Body body;
};

// A file is its top-level body.
using File = Body;

// HCL identifiers as the writer accepts them: ASCII letters, digits, `_` and `-`, not starting
// with a digit or `-`.
bool is_identifier(std::string_view s);

}  // namespace platc::emit::hcl
