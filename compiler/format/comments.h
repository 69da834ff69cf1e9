// The file's comments as a queue in source order: the printer takes each one exactly once, at the
// first place in the output that can hold it, so no comment is ever lost or printed twice.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/format/source_text.h"

namespace platc::format {

class CommentQueue {
 public:
  explicit CommentQueue(const ast::File& file);

  // The next comment not yet printed, if any.
  const ast::Comment* peek() const { return next_ < items_.size() ? &items_[next_] : nullptr; }
  void pop() { ++next_; }
  // The next comment, if it starts before `p`.
  const ast::Comment* next_before(Pos p) const {
    const auto* c = peek();
    return c && begin_of(c->range) < p ? c : nullptr;
  }
  // Whether any comment (printed or not) starts in [from, to).
  bool any_in(Pos from, Pos to) const;

 private:
  std::vector<ast::Comment> items_;
  std::size_t next_ = 0;
};

}  // namespace platc::format
