// Walks the AST and writes the canonical text: blocks, overlays, imports, attributes and the
// multi-line forms of maps, lists and strings. Body handles what goes between the items.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/format/body.h"
#include "compiler/format/layout.h"

namespace platc::format {

class Printer {
 public:
  Printer(Context& ctx, const Layout& layout) : ctx_(ctx), layout_(layout) {}

  void file(const ast::File& f);

 private:
  // What blocks and overlays share: a header (`service api`, `on staging, production`) and members.
  struct Braced {
    std::string header;
    Pos header_end;  // end of the header's last word
    const std::vector<ast::Member>* members;
    SourceRange range;
  };
  void braced(const Braced& b);
  std::optional<std::string> single_line(const Braced& b) const;

  Unit member_unit(const ast::Member& m, std::size_t indent);
  Unit keyed_unit(const std::string& key, const ast::Expr& value, const SourceRange& range, std::size_t indent);
  Unit braced_unit(Braced b);

  // Writes `e` from the current column; `tail` columns follow it on its line.
  void expr(const ast::Expr& e, std::size_t tail = 0);
  void multiline_string(const ast::StringLit& s);
  void list(const ast::Expr& e, const ast::ListExpr& l);
  void map(const ast::Expr& e, const ast::MapExpr& m);

  Context& ctx_;
  const Layout& layout_;
};

}  // namespace platc::format
