#include "compiler/format/body.h"

#include <algorithm>

namespace platc::format {

std::string comment_text(const ast::Comment& c) {
  std::string t = c.text;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\f' || t.back() == '\r')) t.pop_back();
  return t;
}

void Body::open(Pos header_end, std::optional<Pos> first) {
  const ast::Comment* c = ctx_.comments.peek();
  if (c && c->range.line == header_end.line && begin_of(c->range) >= header_end &&
      (!first || begin_of(c->range) < *first)) {
    ctx_.out.text("  " + comment_text(*c));
    ctx_.comments.pop();
  }
  ctx_.out.newline();
  prev_end_ = header_end.line;
}

std::optional<std::string> Body::trailing(Pos end, std::optional<Pos> next) {
  const ast::Comment* c = ctx_.comments.peek();
  if (!c || c->range.line != end.line || begin_of(c->range) < end) return std::nullopt;
  if (next && !(begin_of(c->range) < *next)) return std::nullopt;
  std::string t = comment_text(*c);
  ctx_.comments.pop();
  return t;
}

void Body::comment_line(const ast::Comment& c) {
  ctx_.out.indent(indent_);
  ctx_.out.text(comment_text(c));
  ctx_.out.newline();
  prev_end_ = std::max(prev_end_, c.range.end_line);
  first_ = false;
}

void Body::flush_run() {
  std::size_t key_width = 0;
  for (const auto& r : run_) key_width = std::max(key_width, width(r.key));
  for (const auto& r : run_) {
    ctx_.out.indent(indent_);
    ctx_.out.text(r.key);
    ctx_.out.text(std::string(key_width - width(r.key), ' '));
    ctx_.out.text(" = ");
    ctx_.out.text(r.value);
    if (!r.comment.empty()) ctx_.out.text("  " + r.comment);
    ctx_.out.newline();
  }
  run_.clear();
}

void Body::add(const Unit& u, std::optional<Pos> next) {
  // The comments printed before the item: those before it, then those inside it that no nested
  // body will print.
  std::vector<ast::Comment> before;
  while (const auto* c = ctx_.comments.next_before(u.start)) {
    before.push_back(*c);
    ctx_.comments.pop();
  }
  while (const auto* c = ctx_.comments.next_before(u.end)) {
    if (u.nested && u.nested(begin_of(c->range))) break;
    before.push_back(*c);
    ctx_.comments.pop();
  }

  // Consecutive imports stay together; top-level blocks are always set apart; anything else keeps
  // one blank line where the source had at least one.
  bool in_imports = kind_ == BodyKind::File && prev_import_ && u.is_import;
  std::uint32_t group_line = before.empty() ? u.start.line : before.front().range.line;
  bool blank = !first_ && !in_imports && (kind_ == BodyKind::File || ctx_.src.blank_between(prev_end_, group_line));
  if (blank || !before.empty() || !u.row) flush_run();
  if (blank) ctx_.out.blank_line();
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (i > 0 && !in_imports && ctx_.src.blank_between(prev_end_, before[i].range.line)) ctx_.out.blank_line();
    comment_line(before[i]);
  }
  if (!before.empty() && !in_imports && ctx_.src.blank_between(prev_end_, u.start.line)) ctx_.out.blank_line();
  first_ = false;

  if (u.row) {
    run_.push_back({u.row->key, u.row->value, trailing(u.end, next).value_or("")});
  } else {
    ctx_.out.indent(indent_);
    u.print();
    if (ctx_.comments.next_before(u.end)) {
      // Comments inside the item after its last nested body: they follow it, on lines of their own.
      ctx_.out.newline();
      while (const auto* c = ctx_.comments.next_before(u.end)) {
        comment_line(*c);
        ctx_.comments.pop();
      }
    } else {
      if (auto t = trailing(u.end, next)) ctx_.out.text("  " + *t);
      ctx_.out.newline();
    }
  }
  prev_end_ = std::max(prev_end_, u.end.line);
  prev_import_ = u.is_import;
}

void Body::close(Pos close) {
  flush_run();
  while (const auto* c = ctx_.comments.next_before(close)) {
    if (!first_ && ctx_.src.blank_between(prev_end_, c->range.line)) ctx_.out.blank_line();
    comment_line(*c);
    ctx_.comments.pop();
  }
}

}  // namespace platc::format
