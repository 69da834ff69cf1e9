// How expressions look on one line, and when one must take several lines.
#pragma once

#include <cstddef>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/format/comments.h"
#include "compiler/format/source_text.h"

namespace platc::format {

class Layout {
 public:
  Layout(const SourceText& src, const CommentQueue& comments) : src_(src), comments_(comments) {}

  // The one-line form: `f(a, b = c)`, `[a, b]`, `{ a = 1, b = "x" }`, `a -> b`, `250m .. 1`.
  // Literals exactly as written.
  std::string flat(const ast::Expr& e) const;

  // Whether `e`, starting at column `col` (0-based) and followed by `tail` more columns on its
  // line, takes several lines: a multi-line string does, and so does a map or list unless it was
  // written on one line and fits within kMaxWidth (an empty one unless it holds a comment).
  bool breaks(const ast::Expr& e, std::size_t col, std::size_t tail = 0) const;

  // A key as written: quoted keys keep their quotes and escapes.
  std::string key(const ast::Ident& key, bool quoted) const { return quoted ? src_.slice(key.range) : key.name; }

  // Whether `p` lies inside a map or list of `e`: a comment there is printed by that body.
  static bool in_container(const ast::Expr& e, Pos p);

 private:
  bool container_breaks(const ast::Expr& e, bool empty, std::size_t col, std::size_t tail) const;

  const SourceText& src_;
  const CommentQueue& comments_;
};

}  // namespace platc::format
