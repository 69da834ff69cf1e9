#include "compiler/format/comments.h"

#include <algorithm>

namespace platc::format {
namespace {

// Where string literals are: a `#` inside `${…}` is lexed as a comment by the interpolation's
// own parse, but it is part of the string's raw text, which the printer copies verbatim.
struct StringRanges {
  std::vector<SourceRange> out;

  void expr(const ast::Expr& e) {
    std::visit([&](const auto& n) { node(e, n); }, e.node);
  }
  template <typename T>
  void node(const ast::Expr&, const T&) {}
  void node(const ast::Expr& e, const ast::StringLit&) { out.push_back(e.range); }
  void node(const ast::Expr&, const ast::CallExpr& n) {
    for (const auto& a : n.args) expr(*a.value);
  }
  void node(const ast::Expr&, const ast::ListExpr& n) {
    for (const auto& i : n.items) expr(*i);
  }
  void node(const ast::Expr&, const ast::MapExpr& n) {
    for (const auto& en : n.entries) expr(*en.value);
  }
  void node(const ast::Expr&, const ast::RangeExpr& n) {
    expr(*n.low);
    expr(*n.high);
  }
  void node(const ast::Expr&, const ast::ChainExpr& n) {
    for (const auto& s : n.steps) expr(*s);
  }
  void node(const ast::Expr&, const ast::CompareExpr& n) {
    expr(*n.lhs);
    expr(*n.rhs);
  }
  void node(const ast::Expr&, const ast::ParenExpr& n) { expr(*n.inner); }

  void members(const std::vector<ast::Member>& ms) {
    for (const auto& m : ms) {
      if (const auto* a = std::get_if<ast::Attribute>(&m)) {
        if (a->quoted_key) out.push_back(a->key.range);
        expr(*a->value);
      } else if (const auto* b = std::get_if<std::unique_ptr<ast::Block>>(&m)) {
        members((*b)->members);
      } else {
        members(std::get<std::unique_ptr<ast::Overlay>>(m)->members);
      }
    }
  }
};

bool inside(const SourceRange& r, Pos p) {
  return begin_of(r) <= p && p < end_of(r);
}

}  // namespace

CommentQueue::CommentQueue(const ast::File& file) {
  StringRanges strings;
  for (const auto& item : file.items)
    if (const auto* b = std::get_if<std::unique_ptr<ast::Block>>(&item)) strings.members((*b)->members);
  std::sort(strings.out.begin(), strings.out.end(),
            [](const SourceRange& a, const SourceRange& b) { return begin_of(a) < begin_of(b); });
  for (const auto& c : file.comments) {
    Pos p = begin_of(c.range);
    // The last string starting at or before the comment is the only one that can contain it
    // (string literals never nest in the source text, interpolations are inside their string).
    auto it = std::upper_bound(strings.out.begin(), strings.out.end(), p,
                               [](Pos pos, const SourceRange& r) { return pos < begin_of(r); });
    if (it != strings.out.begin() && inside(*std::prev(it), p)) continue;
    items_.push_back(c);
  }
  std::stable_sort(items_.begin(), items_.end(),
                   [](const ast::Comment& a, const ast::Comment& b) { return begin_of(a.range) < begin_of(b.range); });
}

bool CommentQueue::any_in(Pos from, Pos to) const {
  auto it = std::lower_bound(items_.begin(), items_.end(), from,
                             [](const ast::Comment& c, Pos pos) { return begin_of(c.range) < pos; });
  return it != items_.end() && begin_of(it->range) < to;
}

}  // namespace platc::format
