#include "compiler/format/printer.h"

#include <cstdint>
#include <limits>

#include "compiler/format/format.h"
#include "compiler/format/multiline.h"

namespace platc::format {
namespace {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
// C++20 deduces it without this guide; clang 14 (the PLATC_FUZZ build) does not yet.
template <typename... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

// Where the closing bracket of a range is: its last column.
Pos closing(const SourceRange& r) {
  return {r.end_line, r.end_col > 0 ? r.end_col - 1 : 0};
}

}  // namespace

void Printer::file(const ast::File& f) {
  Body body(ctx_, 0, BodyKind::File);
  for (std::size_t i = 0; i < f.items.size(); ++i) {
    std::optional<Pos> next;
    if (i + 1 < f.items.size()) next = begin_of(ast::top_level_range(f.items[i + 1]));
    if (const auto* imp = std::get_if<ast::Import>(&f.items[i])) {
      Unit u;
      u.start = begin_of(imp->range);
      u.end = end_of(imp->range);
      u.is_import = true;
      u.print = [this, imp] {
        ctx_.out.text("import " + (imp->is_path ? ctx_.src.slice(imp->target_range) : imp->target));
        if (imp->alias) ctx_.out.text(" as " + imp->alias->name);
      };
      body.add(u, next);
    } else {
      const auto& b = *std::get<std::unique_ptr<ast::Block>>(f.items[i]);
      body.add(braced_unit({b.title(), end_of(b.name ? b.name->range : b.kind.range), &b.members, b.range}), next);
    }
  }
  constexpr auto kEnd = std::numeric_limits<std::uint32_t>::max();
  body.close(Pos{kEnd, kEnd});
}

Unit Printer::member_unit(const ast::Member& m, std::size_t indent) {
  if (const auto* a = std::get_if<ast::Attribute>(&m))
    return keyed_unit(layout_.key(a->key, a->quoted_key), *a->value, a->range, indent);
  if (const auto* b = std::get_if<std::unique_ptr<ast::Block>>(&m)) {
    const ast::Block& blk = **b;
    return braced_unit({blk.title(), end_of(blk.name ? blk.name->range : blk.kind.range), &blk.members, blk.range});
  }
  const ast::Overlay& o = *std::get<std::unique_ptr<ast::Overlay>>(m);
  std::string header = "on ";
  for (std::size_t i = 0; i < o.environments.size(); ++i) header += (i > 0 ? ", " : "") + o.environments[i].name;
  return braced_unit({header, end_of(o.environments.back().range), &o.members, o.range});
}

Unit Printer::keyed_unit(const std::string& key, const ast::Expr& value, const SourceRange& range, std::size_t indent) {
  Unit u;
  u.start = begin_of(range);
  u.end = end_of(range);
  const ast::Expr* v = &value;
  u.nested = [v](Pos p) { return Layout::in_container(*v, p); };
  // Measured without alignment padding, which depends on the neighbours: the decision must not.
  if (!layout_.breaks(value, indent + width(key) + 3)) {
    u.row = Unit::Row{key, layout_.flat(value)};
  } else {
    u.print = [this, key, v] {
      ctx_.out.text(key + " = ");
      expr(*v);
    };
  }
  return u;
}

Unit Printer::braced_unit(Braced b) {
  Unit u;
  u.start = begin_of(b.range);
  u.end = end_of(b.range);
  // Everything after the header is the body's; a comment inside the header is lifted out.
  u.nested = [he = b.header_end](Pos p) { return p >= he; };
  u.print = [this, b] { braced(b); };
  return u;
}

std::optional<std::string> Printer::single_line(const Braced& b) const {
  const auto& ms = *b.members;
  if (!one_line(b.range) || ms.empty() || ctx_.comments.any_in(b.header_end, end_of(b.range))) return std::nullopt;
  std::string line = b.header + " {";
  for (const auto& m : ms) {
    const auto* a = std::get_if<ast::Attribute>(&m);
    if (!a) return std::nullopt;
    line += (&m == &ms.front() ? " " : "  ") + layout_.key(a->key, a->quoted_key) + " = " + layout_.flat(*a->value);
  }
  line += " }";
  if (ctx_.out.column() + width(line) > kMaxWidth) return std::nullopt;
  return line;
}

void Printer::braced(const Braced& b) {
  const auto& ms = *b.members;
  Pos close = closing(b.range);
  if (ms.empty() && !ctx_.comments.any_in(b.header_end, close)) {
    ctx_.out.text(b.header + " {}");
    return;
  }
  if (auto line = single_line(b)) {
    ctx_.out.text(*line);
    return;
  }
  std::size_t indent = ctx_.out.line_indent();
  ctx_.out.text(b.header + " {");
  Body body(ctx_, indent + kIndent, BodyKind::Block);
  body.open(b.header_end, ms.empty() ? std::nullopt : std::optional(begin_of(ast::member_range(ms.front()))));
  for (std::size_t i = 0; i < ms.size(); ++i) {
    Pos next = i + 1 < ms.size() ? begin_of(ast::member_range(ms[i + 1])) : close;
    body.add(member_unit(ms[i], indent + kIndent), next);
  }
  body.close(close);
  ctx_.out.indent(indent);
  ctx_.out.text("}");
}

void Printer::expr(const ast::Expr& e, std::size_t tail) {
  if (!layout_.breaks(e, ctx_.out.column(), tail)) {
    ctx_.out.text(layout_.flat(e));
    return;
  }
  std::visit(overloaded{
                 [&](const ast::StringLit& n) { multiline_string(n); },
                 [&](const ast::ListExpr& n) { list(e, n); },
                 [&](const ast::MapExpr& n) { map(e, n); },
                 [&](const ast::CallExpr& n) {
                   ctx_.out.text(n.callee.name + "(");
                   for (std::size_t i = 0; i < n.args.size(); ++i) {
                     if (i > 0) ctx_.out.text(", ");
                     if (n.args[i].name) ctx_.out.text(n.args[i].name->name + " = ");
                     expr(*n.args[i].value);
                   }
                   ctx_.out.text(")");
                 },
                 [&](const ast::ChainExpr& n) {
                   for (std::size_t i = 0; i < n.steps.size(); ++i) {
                     if (i > 0) ctx_.out.text(" -> ");
                     expr(*n.steps[i]);
                   }
                 },
                 [&](const ast::RangeExpr& n) {
                   expr(*n.low);
                   ctx_.out.text(" .. ");
                   expr(*n.high);
                 },
                 [&](const ast::CompareExpr& n) {
                   expr(*n.lhs);
                   ctx_.out.text(std::string(" ") + ast::compare_op_text(n.op) + " ");
                   expr(*n.rhs);
                 },
                 [&](const ast::ParenExpr& n) {
                   ctx_.out.text("(");
                   expr(*n.inner);
                   ctx_.out.text(")");
                 },
                 [&](const auto&) { ctx_.out.text(layout_.flat(e)); },
             },
             e.node);
}

void Printer::multiline_string(const ast::StringLit& s) {
  // The content and the closing `"""` go one level deeper than the line the string starts on.
  std::size_t indent = ctx_.out.line_indent() + kIndent;
  auto lines = reindent_multiline(s.raw, indent);
  if (!lines) {
    ctx_.out.text(s.raw);  // malformed: only in files with errors, which are not formatted
    return;
  }
  ctx_.out.text(lines->front());
  for (std::size_t i = 1; i + 1 < lines->size(); ++i) {
    ctx_.out.verbatim_newline();
    ctx_.out.text((*lines)[i]);
  }
  ctx_.out.verbatim_newline();
  ctx_.out.indent(indent);
  ctx_.out.text("\"\"\"");
}

void Printer::list(const ast::Expr& e, const ast::ListExpr& l) {
  std::size_t indent = ctx_.out.line_indent();
  Pos close = closing(e.range);
  ctx_.out.text("[");
  Body body(ctx_, indent + kIndent, BodyKind::List);
  body.open(begin_of(e.range), l.items.empty() ? std::nullopt : std::optional(begin_of(l.items.front()->range)));
  for (std::size_t i = 0; i < l.items.size(); ++i) {
    const ast::Expr* item = l.items[i].get();
    Unit u;
    u.start = begin_of(item->range);
    u.end = end_of(item->range);
    u.nested = [item](Pos p) { return Layout::in_container(*item, p); };
    u.print = [this, item] {
      expr(*item, 1);  // 1: the comma
      ctx_.out.text(",");
    };
    body.add(u, i + 1 < l.items.size() ? begin_of(l.items[i + 1]->range) : close);
  }
  body.close(close);
  ctx_.out.indent(indent);
  ctx_.out.text("]");
}

void Printer::map(const ast::Expr& e, const ast::MapExpr& m) {
  std::size_t indent = ctx_.out.line_indent();
  Pos close = closing(e.range);
  ctx_.out.text("{");
  Body body(ctx_, indent + kIndent, BodyKind::Map);
  body.open(begin_of(e.range), m.entries.empty() ? std::nullopt : std::optional(begin_of(m.entries.front().range)));
  for (std::size_t i = 0; i < m.entries.size(); ++i) {
    const auto& en = m.entries[i];
    body.add(keyed_unit(layout_.key(en.key, en.quoted), *en.value, en.range, indent + kIndent),
             i + 1 < m.entries.size() ? begin_of(m.entries[i + 1].range) : close);
  }
  body.close(close);
  ctx_.out.indent(indent);
  ctx_.out.text("}");
}

}  // namespace platc::format
