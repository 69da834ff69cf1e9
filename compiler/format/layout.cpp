#include "compiler/format/layout.h"

#include "compiler/format/format.h"

namespace platc::format {
namespace {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
// C++20 deduces it without this guide; clang 14 (the PLATC_FUZZ build) does not yet.
template <typename... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace

std::string Layout::flat(const ast::Expr& e) const {
  std::string out = e.negated ? "-" : "";
  std::visit(overloaded{
                 [&](const ast::BoolLit& n) { out += n.value ? "true" : "false"; },
                 [&](const ast::NumberLit& n) { out += n.text; },
                 [&](const ast::QuantityLit& n) { out += n.q.text; },
                 [&](const ast::VersionLit& n) { out += n.text; },
                 [&](const ast::StringLit& n) { out += n.raw; },
                 [&](const ast::EngineLit& n) { out += n.engine.name + " " + n.version; },
                 [&](const ast::RefExpr& n) { out += n.dotted(); },
                 [&](const ast::CallExpr& n) {
                   out += n.callee.name + "(";
                   for (std::size_t i = 0; i < n.args.size(); ++i) {
                     if (i > 0) out += ", ";
                     if (n.args[i].name) out += n.args[i].name->name + " = ";
                     out += flat(*n.args[i].value);
                   }
                   out += ")";
                 },
                 [&](const ast::ListExpr& n) {
                   out += "[";
                   for (std::size_t i = 0; i < n.items.size(); ++i) out += (i > 0 ? ", " : "") + flat(*n.items[i]);
                   out += "]";
                 },
                 [&](const ast::MapExpr& n) {
                   if (n.entries.empty()) {
                     out += "{}";
                     return;
                   }
                   out += "{ ";
                   for (std::size_t i = 0; i < n.entries.size(); ++i) {
                     const auto& en = n.entries[i];
                     out += (i > 0 ? ", " : "") + key(en.key, en.quoted) + " = " + flat(*en.value);
                   }
                   out += " }";
                 },
                 [&](const ast::RangeExpr& n) { out += flat(*n.low) + " .. " + flat(*n.high); },
                 [&](const ast::ChainExpr& n) {
                   for (std::size_t i = 0; i < n.steps.size(); ++i) out += (i > 0 ? " -> " : "") + flat(*n.steps[i]);
                 },
                 [&](const ast::CompareExpr& n) {
                   out += flat(*n.lhs) + " " + ast::compare_op_text(n.op) + " " + flat(*n.rhs);
                 },
                 [&](const ast::ParenExpr& n) { out += "(" + flat(*n.inner) + ")"; },
                 // Only in files with errors, which are not formatted; the source text is the safe answer.
                 [&](const ast::ErrorExpr&) { out = src_.slice(e.range); },
             },
             e.node);
  return out;
}

bool Layout::container_breaks(const ast::Expr& e, bool empty, std::size_t col, std::size_t tail) const {
  if (empty) return comments_.any_in(begin_of(e.range), end_of(e.range));
  // Written over several lines (which a comment inside always forces): the author chose that.
  if (!one_line(e.range)) return true;
  return col + width(flat(e)) + tail > kMaxWidth;
}

bool Layout::breaks(const ast::Expr& e, std::size_t col, std::size_t tail) const {
  // Composite expressions break when a part does; each part is measured where it starts.
  auto parts_break = [&](std::size_t c, std::initializer_list<std::pair<const ast::Expr*, std::size_t>> parts) {
    for (const auto& [part, gap] : parts) {
      if (breaks(*part, c)) return true;
      c += width(flat(*part)) + gap;
    }
    return false;
  };
  return std::visit(overloaded{
                        [&](const ast::StringLit& n) { return n.multiline; },
                        [&](const ast::ListExpr& n) { return container_breaks(e, n.items.empty(), col, tail); },
                        [&](const ast::MapExpr& n) { return container_breaks(e, n.entries.empty(), col, tail); },
                        [&](const ast::CallExpr& n) {
                          std::size_t c = col + width(n.callee.name) + 1;
                          for (const auto& a : n.args) {
                            if (a.name) c += width(a.name->name) + 3;
                            if (breaks(*a.value, c)) return true;
                            c += width(flat(*a.value)) + 2;
                          }
                          return false;
                        },
                        [&](const ast::ChainExpr& n) {
                          std::size_t c = col;
                          for (const auto& s : n.steps) {
                            if (breaks(*s, c)) return true;
                            c += width(flat(*s)) + 4;
                          }
                          return false;
                        },
                        [&](const ast::RangeExpr& n) {
                          return parts_break(col, {{n.low.get(), 4}, {n.high.get(), 0}});
                        },
                        [&](const ast::CompareExpr& n) {
                          std::size_t gap = width(ast::compare_op_text(n.op)) + 2;
                          return parts_break(col, {{n.lhs.get(), gap}, {n.rhs.get(), 0}});
                        },
                        [&](const ast::ParenExpr& n) { return breaks(*n.inner, col + 1); },
                        [&](const auto&) { return false; },
                    },
                    e.node);
}

bool Layout::in_container(const ast::Expr& e, Pos p) {
  if (p < begin_of(e.range) || !(p < end_of(e.range))) return false;
  return std::visit(overloaded{
                        [](const ast::ListExpr&) { return true; },
                        [](const ast::MapExpr&) { return true; },
                        [&](const ast::CallExpr& n) {
                          for (const auto& a : n.args)
                            if (in_container(*a.value, p)) return true;
                          return false;
                        },
                        [&](const ast::ChainExpr& n) {
                          for (const auto& s : n.steps)
                            if (in_container(*s, p)) return true;
                          return false;
                        },
                        [&](const ast::RangeExpr& n) { return in_container(*n.low, p) || in_container(*n.high, p); },
                        [&](const ast::CompareExpr& n) { return in_container(*n.lhs, p) || in_container(*n.rhs, p); },
                        [&](const ast::ParenExpr& n) { return in_container(*n.inner, p); },
                        [](const auto&) { return false; },
                    },
                    e.node);
}

}  // namespace platc::format
