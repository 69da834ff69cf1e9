// Parse tree → AST. Runs after recovery, so every child may be missing: each step checks and
// skips what the parser could not build (the error was reported already).
#include <fmt/format.h>

#include "compiler/ast/literals.h"
#include "compiler/parse/internal.h"

namespace platc::parse {
namespace {

using P = PlatParser;

bool conjured(const antlr4::Token* t) {
  return !t || t->getStartIndex() == static_cast<size_t>(-1) || t->getTokenIndex() == static_cast<size_t>(-1);
}
bool present(antlr4::tree::TerminalNode* n) { return n && !conjured(n->getSymbol()); }

class Builder {
 public:
  explicit Builder(ParseContext& ctx) : ctx_(ctx), f_(ctx.file) {}

  ast::File file(P::FileContext* tree) {
    ast::File out;
    out.id = f_;
    for (auto* top : tree->topLevel()) top_level(top, out);
    return out;
  }

  void top_level(P::TopLevelContext* top, ast::File& out) {
    if (auto* imp = top->importDecl()) {
      if (auto i = import_decl(imp)) out.items.emplace_back(std::move(*i));
    } else if (auto* b = top->block()) {
      if (auto blk = block(b)) out.items.emplace_back(std::move(blk));
    }
  }

  ast::ExprPtr expr(P::ExprContext* e) {
    if (!e) return nullptr;
    auto ranges = e->range();
    if (ranges.size() == 1) return range(ranges[0]);
    ast::ChainExpr chain;
    for (auto* r : ranges) {
      auto step = range(r);
      if (!step) return nullptr;
      chain.steps.push_back(std::move(step));
    }
    if (chain.steps.empty()) return nullptr;
    return make(context_range(f_, e), std::move(chain));
  }

 private:
  template <typename Node>
  ast::ExprPtr make(SourceRange r, Node node) {
    auto e = std::make_unique<ast::Expr>();
    e->range = r;
    e->node = std::move(node);
    return e;
  }

  ast::Ident ident(const antlr4::Token* t) { return ast::Ident{t->getText(), token_range(f_, t)}; }
  std::optional<ast::Ident> word(P::WordContext* w) {
    if (!w || !w->getStart() || conjured(w->getStart()) || w->getText().empty()) return std::nullopt;
    return ident(w->getStart());
  }

  std::optional<ast::Import> import_decl(P::ImportDeclContext* c) {
    ast::Import imp;
    imp.range = context_range(f_, c);
    if (present(c->STRING())) {
      auto s = decode_string(ctx_, c->STRING()->getSymbol());
      auto plain = s.plain();
      if (!plain) {
        ctx_.diags.report(DiagKind::InterpolationNotAllowed, token_range(f_, c->STRING()->getSymbol()),
                          "an import path")
            .label("interpolated")
            .with_help("imports are resolved before anything is evaluated: write the path out");
        return std::nullopt;
      }
      imp.target = *plain;
      imp.is_path = true;
      imp.target_range = token_range(f_, c->STRING()->getSymbol());
    } else if (auto* d = c->dottedName()) {
      if (d->IDENT().empty()) return std::nullopt;
      imp.target = d->getText();
      imp.target_range = context_range(f_, d);
    } else {
      return std::nullopt;
    }
    if (present(c->IDENT())) imp.alias = ident(c->IDENT()->getSymbol());
    return imp;
  }

  std::unique_ptr<ast::Block> block(P::BlockContext* c) {
    if (!c || conjured(c->kind) || !present(c->LBRACE())) return nullptr;
    auto b = std::make_unique<ast::Block>();
    b->kind = ident(c->kind);
    if (!conjured(c->name)) b->name = ident(c->name);
    b->open_brace = token_range(f_, c->LBRACE()->getSymbol());
    if (present(c->RBRACE())) b->close_brace = token_range(f_, c->RBRACE()->getSymbol());
    b->range = context_range(f_, c);
    members(c->member(), b->members);
    return b;
  }

  void members(const std::vector<P::MemberContext*>& ms, std::vector<ast::Member>& out) {
    for (auto* m : ms) {
      if (auto* a = m->attribute()) {
        if (auto attr = attribute(a)) out.emplace_back(std::move(*attr));
      } else if (auto* b = m->block()) {
        if (auto blk = block(b)) out.emplace_back(std::move(blk));
      } else if (auto* o = m->overlay()) {
        if (auto ov = overlay(o)) out.emplace_back(std::move(ov));
      }
    }
  }

  std::optional<std::pair<ast::Ident, bool>> key(P::KeyContext* k) {
    if (!k) return std::nullopt;
    if (present(k->STRING())) {
      auto s = decode_string(ctx_, k->STRING()->getSymbol());
      auto plain = s.plain();
      if (!plain) {
        ctx_.diags.report(DiagKind::InterpolationNotAllowed, token_range(f_, k->STRING()->getSymbol()), "a key")
            .label("interpolated")
            .with_help("keys are names fixed in the source: write the key out");
        return std::nullopt;
      }
      return std::make_pair(ast::Ident{*plain, token_range(f_, k->STRING()->getSymbol())}, true);
    }
    auto w = word(k->word());
    if (!w) return std::nullopt;
    return std::make_pair(*w, false);
  }

  std::optional<ast::Attribute> attribute(P::AttributeContext* c) {
    auto k = key(c->key());
    if (!k) return std::nullopt;
    auto value = expr(c->expr());
    if (!value) return std::nullopt;
    ast::Attribute a;
    a.key = k->first;
    a.quoted_key = k->second;
    a.value = std::move(value);
    a.range = SourceRange::cover(a.key.range, a.value->range);
    return a;
  }

  std::unique_ptr<ast::Overlay> overlay(P::OverlayContext* c) {
    if (!present(c->LBRACE())) return nullptr;
    auto o = std::make_unique<ast::Overlay>();
    for (auto* id : c->IDENT())
      if (present(id)) o->environments.push_back(ident(id->getSymbol()));
    if (o->environments.empty()) return nullptr;
    o->on_keyword = token_range(f_, c->ON()->getSymbol());
    o->range = context_range(f_, c);
    members(c->member(), o->members);
    return o;
  }

  ast::ExprPtr range(P::RangeContext* r) {
    if (!r) return nullptr;
    auto parts = r->comparison();
    if (parts.size() == 1) return comparison(parts[0]);
    if (parts.size() != 2) return nullptr;
    ast::RangeExpr node;
    node.low = comparison(parts[0]);
    node.high = comparison(parts[1]);
    if (!node.low || !node.high) return nullptr;
    return make(context_range(f_, r), std::move(node));
  }

  ast::ExprPtr comparison(P::ComparisonContext* c) {
    if (!c) return nullptr;
    auto parts = c->unary();
    if (parts.size() == 1) return unary(parts[0]);
    if (parts.size() != 2 || !c->compareOp()) return nullptr;
    ast::CompareExpr node;
    auto* op = c->compareOp();
    if (op->GE()) node.op = ast::CompareOp::Ge;
    else if (op->LE()) node.op = ast::CompareOp::Le;
    else if (op->GT()) node.op = ast::CompareOp::Gt;
    else if (op->LT()) node.op = ast::CompareOp::Lt;
    else if (op->EQEQ()) node.op = ast::CompareOp::Eq;
    else node.op = ast::CompareOp::Ne;
    node.lhs = unary(parts[0]);
    node.rhs = unary(parts[1]);
    if (!node.lhs || !node.rhs) return nullptr;
    return make(context_range(f_, c), std::move(node));
  }

  ast::ExprPtr unary(P::UnaryContext* u) {
    if (!u) return nullptr;
    auto e = primary(u->primary());
    if (!e || !present(u->MINUS())) return e;
    SourceRange whole = context_range(f_, u);
    if (auto* n = std::get_if<ast::NumberLit>(&e->node)) {
      n->value.mantissa = -n->value.mantissa;
    } else if (auto* q = std::get_if<ast::QuantityLit>(&e->node)) {
      auto neg = [](std::optional<std::int64_t>& v) {
        if (v) *v = -*v;
      };
      neg(q->q.bytes);
      neg(q->q.seconds);
      neg(q->q.millicores);
      if (q->q.percent) q->q.percent->mantissa = -q->q.percent->mantissa;
    } else {
      ctx_.diags.report(DiagKind::NegativeNonNumber, token_range(f_, u->MINUS()->getSymbol()))
          .label("cannot negate this")
          .also(e->range, "not a number");
      return nullptr;
    }
    e->negated = true;
    e->range = whole;
    return e;
  }

  ast::ExprPtr primary(P::PrimaryContext* p) {
    if (!p) return nullptr;
    SourceRange r = context_range(f_, p);
    if (auto* c = dynamic_cast<P::CallExprContext*>(p)) {
      auto callee = word(c->word());
      if (!callee || !present(c->RPAREN())) return nullptr;
      ast::CallExpr node;
      node.callee = *callee;
      for (auto* a : c->argument()) {
        ast::Argument arg;
        if (a->word() && a->ASSIGN()) arg.name = word(a->word());
        arg.value = expr(a->expr());
        if (!arg.value) return nullptr;
        node.args.push_back(std::move(arg));
      }
      return make(r, std::move(node));
    }
    if (auto* c = dynamic_cast<P::EngineExprContext*>(p)) {
      if (!present(c->IDENT())) return nullptr;
      auto* v = present(c->NUMBER()) ? c->NUMBER() : c->VERSION();
      if (!present(v)) return nullptr;
      ast::EngineLit node;
      node.engine = ident(c->IDENT()->getSymbol());
      node.version = v->getText();
      node.version_range = token_range(f_, v->getSymbol());
      return make(r, std::move(node));
    }
    if (auto* c = dynamic_cast<P::RefExprContext*>(p)) {
      ast::RefExpr node;
      for (auto* w : c->word()) {
        auto id = word(w);
        if (!id) return nullptr;
        node.path.push_back(*id);
      }
      if (node.path.empty()) return nullptr;
      return make(r, std::move(node));
    }
    if (auto* c = dynamic_cast<P::LiteralExprContext*>(p)) return literal(c->literal(), r);
    if (auto* c = dynamic_cast<P::ListExprContext*>(p)) {
      if (!present(c->RBRACK())) return nullptr;
      ast::ListExpr node;
      for (auto* e : c->expr()) {
        auto item = expr(e);
        if (!item) return nullptr;
        node.items.push_back(std::move(item));
      }
      return make(r, std::move(node));
    }
    if (auto* c = dynamic_cast<P::MapExprContext*>(p)) {
      if (!present(c->RBRACE())) return nullptr;
      ast::MapExpr node;
      for (auto* m : c->mapEntry()) {
        auto k = key(m->key());
        auto v = expr(m->expr());
        if (!k || !v) continue;
        ast::MapEntry entry;
        entry.key = k->first;
        entry.quoted = k->second;
        entry.range = SourceRange::cover(entry.key.range, v->range);
        entry.value = std::move(v);
        node.entries.push_back(std::move(entry));
      }
      return make(r, std::move(node));
    }
    if (auto* c = dynamic_cast<P::ParenExprContext*>(p)) {
      if (!present(c->RPAREN())) return nullptr;
      auto inner = expr(c->expr());
      if (!inner) return nullptr;
      return make(r, ast::ParenExpr{std::move(inner)});
    }
    return nullptr;
  }

  ast::ExprPtr literal(P::LiteralContext* l, SourceRange r) {
    if (!l || !l->getStart() || conjured(l->getStart())) return nullptr;
    const antlr4::Token* t = l->getStart();
    std::string text = t->getText();
    switch (t->getType()) {
      case PlatLexer::TRUE:
        return make(r, ast::BoolLit{true});
      case PlatLexer::FALSE:
        return make(r, ast::BoolLit{false});
      case PlatLexer::VERSION:
        return make(r, ast::VersionLit{text});
      case PlatLexer::STRING:
      case PlatLexer::MULTILINE_STRING:
        return make(r, decode_string(ctx_, t));
      case PlatLexer::UNTERMINATED_STRING:
      case PlatLexer::UNTERMINATED_MULTILINE:
        return make(r, ast::ErrorExpr{});
      case PlatLexer::NUMBER: {
        auto v = ast::parse_number(text);
        if (auto* err = std::get_if<ast::LiteralError>(&v)) {
          literal_error(*err, text, r);
          return make(r, ast::ErrorExpr{});
        }
        return make(r, ast::NumberLit{text, std::get<ast::Decimal>(v)});
      }
      case PlatLexer::QUANTITY: {
        auto v = ast::parse_quantity(text);
        if (auto* err = std::get_if<ast::LiteralError>(&v)) {
          literal_error(*err, text, r);
          return make(r, ast::ErrorExpr{});
        }
        return make(r, ast::QuantityLit{std::get<ast::Quantity>(v)});
      }
      default:
        return nullptr;
    }
  }

  void literal_error(const ast::LiteralError& e, const std::string& text, SourceRange r) {
    SourceRange part = r;
    if (e.length > 0) {
      part.col = r.col + static_cast<std::uint32_t>(e.offset);
      part.end_line = part.line;
      part.end_col = part.col + static_cast<std::uint32_t>(e.length);
    }
    switch (e.kind) {
      case ast::LiteralErrorKind::UnknownUnit: {
        auto& d = ctx_.diags.report(DiagKind::UnknownUnit, part, e.detail, text).label("unknown unit");
        if (e.suggestion) d.with_help(fmt::format("did you mean `{}`?", *e.suggestion)).fix(part, *e.suggestion);
        d.note("units: sizes B, K/KB, M/MB, G/GB, T/TB, P/PB, Ki/KiB, Mi/MiB, Gi/GiB, Ti/TiB, Pi/PiB; "
               "CPU m; durations s, m, h, d, w; percent %");
        break;
      }
      case ast::LiteralErrorKind::Overflow:
        ctx_.diags.report(DiagKind::QuantityOverflow, r, text, e.detail)
            .label("too large")
            .note("the largest value is 9223372036854775807 of the base unit (bytes, seconds, millicores)");
        break;
      case ast::LiteralErrorKind::MixedUnits:
        ctx_.diags.report(DiagKind::MixedUnits, r, text).label("mixed units");
        break;
      case ast::LiteralErrorKind::TooPrecise:
        ctx_.diags.report(DiagKind::TooPrecise, r, text, e.detail).label("too many digits");
        break;
      case ast::LiteralErrorKind::MisorderedUnits:
        ctx_.diags.report(DiagKind::DuplicateCompoundUnit, part, text).label("not smaller than the unit before it");
        break;
    }
  }

  ParseContext& ctx_;
  FileId f_;
};

}  // namespace

ast::File build_file_ast(ParseContext& ctx, PlatParser::FileContext* tree) { return Builder(ctx).file(tree); }

void build_top_level_ast(ParseContext& ctx, PlatParser::TopLevelContext* tree, ast::File& out) {
  Builder(ctx).top_level(tree, out);
}

ast::ExprPtr build_expr_ast(ParseContext& ctx, PlatParser::ExprContext* tree) { return Builder(ctx).expr(tree); }

}  // namespace platc::parse
