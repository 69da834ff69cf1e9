#include "compiler/ast/ast.h"

namespace platc::ast {

std::optional<std::string> StringLit::plain() const {
  std::string out;
  for (const auto& p : parts) {
    if (p.expr) return std::nullopt;
    out += p.text;
  }
  return out;
}

std::string RefExpr::dotted() const {
  std::string out;
  for (const auto& id : path) {
    if (!out.empty()) out += '.';
    out += id.name;
  }
  return out;
}

const char* compare_op_text(CompareOp op) {
  switch (op) {
    case CompareOp::Ge: return ">=";
    case CompareOp::Le: return "<=";
    case CompareOp::Gt: return ">";
    case CompareOp::Lt: return "<";
    case CompareOp::Eq: return "==";
    case CompareOp::Ne: return "!=";
  }
  return "==";
}

std::string Block::title() const { return name ? kind.name + " " + name->name : kind.name; }

SourceRange member_range(const Member& m) {
  if (auto* a = std::get_if<Attribute>(&m)) return a->range;
  if (auto* b = std::get_if<std::unique_ptr<Block>>(&m)) return (*b)->range;
  return std::get<std::unique_ptr<Overlay>>(m)->range;
}

SourceRange top_level_range(const TopLevel& t) {
  if (auto* i = std::get_if<Import>(&t)) return i->range;
  return std::get<std::unique_ptr<Block>>(t)->range;
}

}  // namespace platc::ast
