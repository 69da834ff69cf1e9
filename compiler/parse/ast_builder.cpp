// Parse tree → AST. Runs after recovery, so every child may be missing: each step checks and
// skips what the parser could not build (the error was reported already).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <type_traits>

#include "compiler/ast/literals.h"
#include "compiler/parse/internal.h"
#include "compiler/source/utf8.h"

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
    } else if (!std::holds_alternative<ast::ErrorExpr>(e->node)) {
      SourceRange minus = token_range(f_, u->MINUS()->getSymbol());
      auto& d = ctx_.diags.report(DiagKind::NegativeNonNumber, minus)
                    .label("`-` needs a number or quantity")
                    .also(e->range, fmt::format("this is {}", describe(*e)));
      if (auto* str = std::get_if<ast::StringLit>(&e->node); str && !str->multiline && str->raw.size() >= 2) {
        // -"x" most likely meant the text "-x".
        d.with_help("to write text that starts with `-`, put the `-` inside the quotes")
            .fix(whole, "\"-" + str->raw.substr(1));
      } else if (std::holds_alternative<ast::ParenExpr>(e->node)) {
        d.with_help("write the sign on the number itself, as in `-5`");
      } else {
        d.note("there is no arithmetic: `-` is only the sign of a number or quantity literal, as in `-5` or `-30s`");
      }
      return nullptr;
    } else {
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
        // An empty one is the placeholder the parse driver puts where a value was forgotten
        // (`replicas =` at the end of a line): the attribute is dropped, the error was reported.
        if (text.empty()) return nullptr;
        return make(r, ast::ErrorExpr{});
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
        // `1e6`: the lexer read `1e` and then `6`. Say what it is, and write the number out.
        std::string_view after = text_after(r);
        bool negative = !after.empty() && after[0] == '-';
        std::string_view digits = after.substr(negative ? 1 : 0);
        std::size_t n = 0;
        while (n < digits.size() && std::isdigit(static_cast<unsigned char>(digits[n]))) ++n;
        if ((e.detail == "e" || e.detail == "E") && part.col + 1 == r.end_col && n > 0) {
          SourceRange whole = r;
          whole.end_col = r.end_col + static_cast<std::uint32_t>(n + (negative ? 1 : 0));
          std::string written = text + (negative ? "-" : "") + std::string(digits.substr(0, n));
          auto& d = ctx_.diags.report(DiagKind::UnknownUnit, whole, e.detail, written).label("exponent notation");
          if (auto plain =
                  expand_exponent(std::string_view(text.data(), text.size() - 1), negative, digits.substr(0, n)))
            d.with_help(fmt::format("platc numbers have no exponent: write `{}`", *plain)).fix(whole, *plain);
          else
            d.with_help("platc numbers have no exponent: write the number out");
          break;
        }
        auto& d = ctx_.diags.report(DiagKind::UnknownUnit, part, e.detail, text).label("unknown unit");
        if (e.detail == "ms" || e.detail == "us" || e.detail == "ns") {
          d.with_help("durations are whole seconds: the smallest unit is `s`");
        } else if (auto guess = unit_suggestion(e.detail, e.suggestion)) {
          d.with_help(fmt::format("did you mean `{}`?", *guess)).fix(part, *guess);
        }
        d.note("units: sizes B, K/KB, M/MB, G/GB, T/TB, P/PB, Ki/KiB, Mi/MiB, Gi/GiB, Ti/TiB, Pi/PiB; "
               "CPU m; durations s, m, h, d, w; percent %");
        break;
      }
      case ast::LiteralErrorKind::Overflow: {
        bool size = e.detail.find("bytes") != std::string::npos;
        ctx_.diags.report(DiagKind::QuantityOverflow, r, text, e.detail)
            .label("too large")
            .note(size ? "the largest size is 9223372036854775807 bytes, just under 8192Pi"
                       : "the largest duration is 9223372036854775807 seconds, about 292 billion years");
        break;
      }
      case ast::LiteralErrorKind::MixedUnits:
        ctx_.diags.report(DiagKind::MixedUnits, r, text)
            .label("mixed units")
            .with_help("a size, a CPU amount or a percentage is one number with one unit, as in `1536Mi`");
        break;
      case ast::LiteralErrorKind::TooPrecise:
        ctx_.diags.report(DiagKind::TooPrecise, r, text, e.detail)
            .label("too many digits")
            .note("numbers are exact decimals, and platc keeps at most 18 significant digits");
        break;
      case ast::LiteralErrorKind::MisorderedUnits: {
        auto& d = ctx_.diags.report(DiagKind::DuplicateCompoundUnit, part, text);
        if (auto fixed = reorder_duration(text)) {
          d.label("not smaller than the unit before it")
              .with_help(fmt::format("write `{}`", *fixed))
              .fix(r, *fixed);
        } else {
          // A unit that repeats: `1h1h`, `30m1h30m`.
          std::string unit = text.substr(e.offset, e.length);
          bool repeated = text.substr(0, e.offset).find(unit) != std::string::npos;
          d.label(repeated ? "this unit appears twice" : "not smaller than the unit before it")
              .with_help("add the parts up and write each unit once, the largest first");
        }
        break;
      }
    }
  }

  static std::string describe(const ast::Expr& e) {
    return std::visit(
        [](const auto& n) -> std::string {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, ast::BoolLit>) return "a boolean";
          else if constexpr (std::is_same_v<T, ast::VersionLit>) return "a version";
          else if constexpr (std::is_same_v<T, ast::StringLit>) return "a string";
          else if constexpr (std::is_same_v<T, ast::EngineLit>) return "an engine and version";
          else if constexpr (std::is_same_v<T, ast::RefExpr>) return "a reference";
          else if constexpr (std::is_same_v<T, ast::CallExpr>) return "a call";
          else if constexpr (std::is_same_v<T, ast::ListExpr>) return "a list";
          else if constexpr (std::is_same_v<T, ast::MapExpr>) return "a map";
          else if constexpr (std::is_same_v<T, ast::ParenExpr>) return "an expression in parentheses";
          else return "not a number";
        },
        e.node);
  }

  // The source text that follows `r` on its line (after the literal), as written.
  std::string_view text_after(const SourceRange& r) const {
    std::string_view line = ctx_.sources.file(f_).line_text(r.end_line);
    std::size_t i = 0;
    for (std::uint32_t col = 1; col < r.end_col && i < line.size(); ++col) {
      std::size_t n = utf8::sequence_length(line, i);
      i += n == 0 ? 1 : n;
    }
    return line.substr(i);
  }

  // `2.5e3` → "2500", `1e-3` → "0.001"; nullopt when it would be absurdly long.
  static std::optional<std::string> expand_exponent(std::string_view mantissa, bool negative, std::string_view exp) {
    if (exp.empty() || exp.size() > 2) return std::nullopt;
    int n = std::stoi(std::string(exp)) * (negative ? -1 : 1);
    std::string digits, whole;
    std::size_t point = std::string::npos;
    for (char c : mantissa) {
      if (c == '_') continue;
      if (c == '.') point = digits.size();
      else digits += c;
    }
    long pos = static_cast<long>(point == std::string::npos ? digits.size() : point) + n;
    if (pos > 24 || pos < -24) return std::nullopt;
    if (pos <= 0) whole = "0." + std::string(static_cast<std::size_t>(-pos), '0') + digits;
    else if (static_cast<std::size_t>(pos) >= digits.size())
      whole = digits + std::string(static_cast<std::size_t>(pos) - digits.size(), '0');
    else whole = digits.substr(0, static_cast<std::size_t>(pos)) + "." + digits.substr(static_cast<std::size_t>(pos));
    if (whole.find('.') != std::string::npos) {
      while (whole.back() == '0') whole.pop_back();
      if (whole.back() == '.') whole.pop_back();
    }
    std::size_t lead = 0;
    while (lead + 1 < whole.size() && whole[lead] == '0' && whole[lead + 1] != '.') ++lead;
    return whole.substr(lead);
  }

  // A better guess than edit distance for short or spelled-out units: `mb` → `MB`, `sec` → `s`.
  static std::optional<std::string> unit_suggestion(const std::string& unit,
                                                    const std::optional<std::string>& nearest) {
    static const std::pair<const char*, const char*> aliases[] = {
        {"sec", "s"},    {"secs", "s"},   {"second", "s"}, {"seconds", "s"}, {"min", "m"},  {"mins", "m"},
        {"minute", "m"}, {"minutes", "m"}, {"hr", "h"},    {"hrs", "h"},     {"hour", "h"}, {"hours", "h"},
        {"day", "d"},    {"days", "d"},   {"wk", "w"},     {"week", "w"},    {"weeks", "w"}, {"byte", "B"},
        {"bytes", "B"},  {"pct", "%"},    {"percent", "%"}, {"mcpu", "m"},   {"millicores", "m"}};
    std::string lower;
    for (char c : unit) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [alias, real] : aliases)
      if (lower == alias) return std::string(real);
    for (const auto& known : ast::known_units()) {
      if (known.size() != unit.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < unit.size(); ++i)
        same = same &&
               std::tolower(static_cast<unsigned char>(unit[i])) == std::tolower(static_cast<unsigned char>(known[i]));
      if (same) return known;
    }
    // One- and two-letter units are one edit away from most other units: a guess would be noise.
    if (unit.size() <= 2) return std::nullopt;
    return nearest;
  }

  // `30m1h` → `1h30m`: the parts of a compound duration, largest unit first. nullopt when a unit
  // repeats (then there is no single right answer).
  static std::optional<std::string> reorder_duration(const std::string& text) {
    static const std::string order = "wdhms";
    std::vector<std::pair<std::size_t, std::string>> parts;
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t begin = i;
      while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '_' || text[i] == '.'))
        ++i;
      std::size_t unit_begin = i;
      while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
      std::string unit = text.substr(unit_begin, i - unit_begin);
      std::size_t rank = unit.size() == 1 ? order.find(unit[0]) : std::string::npos;
      if (rank == std::string::npos || unit_begin == begin) return std::nullopt;
      for (const auto& p : parts)
        if (p.first == rank) return std::nullopt;
      parts.emplace_back(rank, text.substr(begin, i - begin));
    }
    std::stable_sort(parts.begin(), parts.end());
    std::string out;
    for (const auto& p : parts) out += p.second;
    return out;
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
