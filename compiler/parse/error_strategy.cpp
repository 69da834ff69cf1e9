// Syntax errors in plain words. ANTLR finds the error and recovers; this file decides what to
// tell the user, from the rule being parsed, the token before the error and the open brackets.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "compiler/parse/internal.h"

namespace platc::parse {
namespace {

using P = PlatParser;

// A bracket that is open around the error point.
struct OpenConstruct {
  std::string what;         // "block `service backend`", "list", "call to `build`"
  const antlr4::Token* at;  // where it starts (the block's kind, the bracket)
  const antlr4::Token* open;
  std::size_t closer;  // token type that closes it
};

std::string block_title(P::BlockContext* b) {
  std::string kind = b->kind ? b->kind->getText() : "?";
  if (b->name) return fmt::format("block `{} {}`", kind, b->name->getText());
  return fmt::format("block `{}`", kind);
}

std::string overlay_title(P::OverlayContext* o) {
  std::string envs;
  for (auto* id : o->IDENT()) envs += (envs.empty() ? "" : ", ") + id->getText();
  return fmt::format("overlay `on {}`", envs);
}

bool is_missing_token(const antlr4::Token* t) {
  return !t || t->getTokenIndex() == static_cast<size_t>(-1) || t->getStartIndex() == static_cast<size_t>(-1);
}

bool is_missing(antlr4::tree::TerminalNode* n) {
  return !n || n->getSymbol()->getTokenIndex() == static_cast<size_t>(-1) ||
         n->getSymbol()->getStartIndex() == static_cast<size_t>(-1) ||
         dynamic_cast<antlr4::tree::ErrorNode*>(n) != nullptr;
}

std::optional<OpenConstruct> innermost_open(antlr4::ParserRuleContext* ctx) {
  for (auto* c = ctx; c; c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent)) {
    if (auto* b = dynamic_cast<P::BlockContext*>(c)) {
      if (!is_missing(b->LBRACE()) && !b->RBRACE())
        return OpenConstruct{block_title(b), b->getStart(), b->LBRACE()->getSymbol(), PlatLexer::RBRACE};
    } else if (auto* o = dynamic_cast<P::OverlayContext*>(c)) {
      if (!is_missing(o->LBRACE()) && !o->RBRACE())
        return OpenConstruct{overlay_title(o), o->getStart(), o->LBRACE()->getSymbol(), PlatLexer::RBRACE};
    } else if (auto* m = dynamic_cast<P::MapExprContext*>(c)) {
      if (!is_missing(m->LBRACE()) && !m->RBRACE())
        return OpenConstruct{"map", m->getStart(), m->LBRACE()->getSymbol(), PlatLexer::RBRACE};
    } else if (auto* l = dynamic_cast<P::ListExprContext*>(c)) {
      if (!is_missing(l->LBRACK()) && !l->RBRACK())
        return OpenConstruct{"list", l->getStart(), l->LBRACK()->getSymbol(), PlatLexer::RBRACK};
    } else if (auto* call = dynamic_cast<P::CallExprContext*>(c)) {
      if (!is_missing(call->LPAREN()) && !call->RPAREN()) {
        std::string name = call->word() ? call->word()->getText() : "?";
        return OpenConstruct{fmt::format("call to `{}`", name), call->getStart(), call->LPAREN()->getSymbol(),
                             PlatLexer::RPAREN};
      }
    } else if (auto* paren = dynamic_cast<P::ParenExprContext*>(c)) {
      if (!is_missing(paren->LPAREN()) && !paren->RPAREN())
        return OpenConstruct{"parentheses", paren->getStart(), paren->LPAREN()->getSymbol(), PlatLexer::RPAREN};
    }
  }
  return std::nullopt;
}

template <typename T>
T* nearest(antlr4::ParserRuleContext* ctx) {
  for (auto* c = ctx; c; c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent))
    if (auto* t = dynamic_cast<T*>(c)) return t;
  return nullptr;
}

bool is_keyword(std::size_t t) {
  return t == PlatLexer::ON || t == PlatLexer::IMPORT || t == PlatLexer::AS || t == PlatLexer::TRUE ||
         t == PlatLexer::FALSE;
}
bool is_closer(std::size_t t) {
  return t == PlatLexer::RBRACE || t == PlatLexer::RBRACK || t == PlatLexer::RPAREN;
}
bool is_value_start(std::size_t t) {
  switch (t) {
    case PlatLexer::STRING:
    case PlatLexer::MULTILINE_STRING:
    case PlatLexer::NUMBER:
    case PlatLexer::QUANTITY:
    case PlatLexer::VERSION:
    case PlatLexer::TRUE:
    case PlatLexer::FALSE:
    case PlatLexer::LBRACK:
    case PlatLexer::IDENT:
      return true;
    default:
      return false;
  }
}
bool is_compare(std::size_t t) {
  return t == PlatLexer::GE || t == PlatLexer::LE || t == PlatLexer::GT || t == PlatLexer::LT || t == PlatLexer::EQEQ ||
         t == PlatLexer::NE;
}
const char* closer_text(std::size_t t) {
  return t == PlatLexer::RBRACE ? "}" : t == PlatLexer::RBRACK ? "]" : ")";
}

bool is_value_operator(std::size_t t) {
  return t == PlatLexer::ASSIGN || t == PlatLexer::DOTDOT || t == PlatLexer::ARROW || t == PlatLexer::MINUS ||
         is_compare(t);
}

// Every open construct around `ctx`, innermost first.
// The first operator of a chain like `a .. b .. c` or `a < b < c`: walks back from the second one at
// the same bracket depth; nullptr when a token that ends an operand list (`,` `=` …) comes first.
template <typename IsOp, typename IsStop>
const antlr4::Token* chain_start(antlr4::TokenStream* stream, std::size_t index, IsOp is_op, IsStop is_stop) {
  int depth = 0;
  for (std::size_t i = index; i-- > 0;) {
    const antlr4::Token* t = stream->get(i);
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    std::size_t tt = t->getType();
    if (is_closer(tt)) {
      ++depth;
    } else if (tt == PlatLexer::LBRACE || tt == PlatLexer::LBRACK || tt == PlatLexer::LPAREN) {
      if (depth == 0) return nullptr;
      --depth;
    } else if (depth == 0 && is_op(tt)) {
      return t;
    } else if (depth == 0 && is_stop(tt)) {
      return nullptr;
    }
  }
  return nullptr;
}

std::vector<OpenConstruct> open_constructs(antlr4::ParserRuleContext* ctx) {
  std::vector<OpenConstruct> out;
  for (auto* c = ctx; c; c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent)) {
    if (auto o = innermost_open(c); o && (out.empty() || out.back().open != o->open)) out.push_back(*o);
  }
  return out;
}

// True when the parse is of the inside of a `${…}`: there the end of input is the closing `}`.
bool in_interpolation(antlr4::ParserRuleContext* ctx) {
  antlr4::ParserRuleContext* root = ctx;
  for (auto* c = ctx; c; c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent)) root = c;
  return dynamic_cast<P::InterpolationContext*>(root) != nullptr;
}

bool value_start(std::size_t t) {
  return is_value_start(t) || t == PlatLexer::LBRACE || t == PlatLexer::LPAREN || t == PlatLexer::MINUS ||
         t == PlatLexer::ON || t == PlatLexer::IMPORT || t == PlatLexer::AS;
}

std::string expected_list(const antlr4::misc::IntervalSet& expected) {
  std::vector<std::string> names;
  // Everything that can start an expression is "a value": listing ten token kinds helps nobody.
  auto has = [&](std::size_t t) { return expected.contains(t); };
  bool values = has(PlatLexer::STRING) && has(PlatLexer::NUMBER) && has(PlatLexer::IDENT);
  if (values) names.push_back("a value");
  for (auto t : expected.toList()) {
    if (t == PlatLexer::ON || t == PlatLexer::IMPORT || t == PlatLexer::AS) continue;  // folded into "a name"
    if (values && (value_start(static_cast<std::size_t>(t)) || t == PlatLexer::MULTILINE_STRING ||
                   t == PlatLexer::UNTERMINATED_STRING || t == PlatLexer::UNTERMINATED_MULTILINE))
      continue;
    std::string n = describe_token_type(static_cast<std::size_t>(t));
    if (n == "a value" && values) continue;
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  }
  if (names.empty()) return {};
  if (names.size() == 1) return names[0];
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

void PlatErrorStrategy::emit(Diagnostic d) {
  ctx_.diags.add(std::move(d));
  if (++ctx_.syntax_errors >= ctx_.limits.max_syntax_errors) throw antlr4::ParseCancellationException();
}

void PlatErrorStrategy::report(antlr4::Parser* recognizer, antlr4::Token* offending,
                               const antlr4::misc::IntervalSet& expected, antlr4::ParserRuleContext* where,
                               bool /*unwanted*/) {
  const FileId f = ctx_.file;
  auto* stream = recognizer->getTokenStream();
  if (!where) where = recognizer->getContext();
  std::size_t type = offending->getType();
  std::size_t index = offending->getTokenIndex();
  // The token before the error on the parser's channel. Stray characters sit off that channel:
  // one between the two means the error is an echo of a character already reported.
  const antlr4::Token* prev = nullptr;
  bool after_bad_char = false;
  for (std::size_t i = index; i-- > 0;) {
    const antlr4::Token* t = stream->get(i);
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
      prev = t;
      break;
    }
    if (t->getType() == PlatLexer::BAD_CHAR) after_bad_char = true;
  }
  if (after_bad_char) return;
  // An unterminated string was reported by the lexer; that it is also out of place is its echo.
  if (type == PlatLexer::UNTERMINATED_STRING || type == PlatLexer::UNTERMINATED_MULTILINE) return;
  std::size_t prev_type = prev ? prev->getType() : antlr4::Token::INVALID_TYPE;
  auto next_type = [&](std::size_t k) -> std::size_t {
    // The type of the k-th on-channel token after the offending one. The stream is buffered
    // lazily; every token is in memory already, so filling it is cheap.
    if (auto* buffered = dynamic_cast<antlr4::BufferedTokenStream*>(stream)) buffered->fill();
    for (std::size_t i = index + 1; i < stream->size(); ++i) {
      const antlr4::Token* t = stream->get(i);
      if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
      if (--k == 0 || t->getType() == antlr4::Token::EOF) return t->getType();
    }
    return antlr4::Token::EOF;
  };
  // An unterminated multi-line string swallows the rest of the file: what is missing after it
  // was reported as E0006 already.
  if (type == antlr4::Token::EOF && prev_type == PlatLexer::UNTERMINATED_MULTILINE) return;
  // `1e6`, `1e-6`: the literal `1e` was reported (no exponent notation); what is glued to it is
  // its echo.
  if ((type == PlatLexer::NUMBER || type == PlatLexer::MINUS) && prev_type == PlatLexer::QUANTITY &&
      prev->getLine() == offending->getLine() &&
      prev->getCharPositionInLine() + (prev->getStopIndex() - prev->getStartIndex() + 1) ==
          offending->getCharPositionInLine()) {
    std::string q = prev->getText();
    if (q.size() >= 2 && (q.back() == 'e' || q.back() == 'E') &&
        std::isdigit(static_cast<unsigned char>(q[q.size() - 2])))
      return;
  }

  const bool interp = in_interpolation(where);
  SourceRange at = token_range(f, offending);
  // At the end of the file, point just after the last real token: that is where the fix goes.
  // Inside `${…}` the end of input is the closing `}`, where the caret already is.
  if (type == antlr4::Token::EOF && prev && !interp) at = after_token(f, prev);
  std::string found = type == antlr4::Token::EOF && interp ? "`}`" : describe_token(offending);
  const bool next_line = prev && offending->getLine() != prev->getLine();
  auto opens = open_constructs(where);
  std::optional<OpenConstruct> open;
  if (!opens.empty()) open = opens.front();

  // 1. The file (or interpolation) ended inside something still open.
  if (type == antlr4::Token::EOF && open) {
    SourceRange opened = token_range(f, open->at);
    Diagnostic d =
        open->closer == PlatLexer::RBRACE
            ? make_diag(DiagKind::UnclosedBlock, at, open->what, opened.line, opened.col)
            : make_diag(DiagKind::UnclosedBracket, at, closer_text(open->closer), open->what, opened.line, opened.col);
    d.label(fmt::format("expected `{}` here", closer_text(open->closer)))
        .also(token_range(f, open->open), fmt::format("{} opened here", open->what));
    if (opens.size() == 2) {
      SourceRange outer = token_range(f, opens[1].at);
      d.note(fmt::format("{} opened at {}:{} is not closed either", opens[1].what, outer.line, outer.col));
    } else if (opens.size() > 2) {
      d.note(fmt::format("{} enclosing blocks and brackets are not closed either", opens.size() - 1));
    }
    // A block's `}` goes on a line of its own; a bracket closes where the last item ends.
    if (open->closer == PlatLexer::RBRACE) {
      d.with_help("add `}` at the end of the block");
      if (prev) d.fix(insertion_after(f, prev), "\n}");
    } else {
      d.with_help(fmt::format("add `{}`", closer_text(open->closer)));
      if (prev) d.fix(insertion_after(f, prev), closer_text(open->closer));
    }
    emit(std::move(d));
    return;
  }

  // 2. An operator with nothing after it: `port =`, `250m ..`, `dev ->` (before the closer
  //    check: `port = }` is a missing value, not a stray `}`).
  if (prev && is_value_operator(prev_type) && !value_start(type)) {
    // When the value is missing at the end of a line, the caret goes where the value belongs.
    if (next_line) at = after_token(f, prev);
    std::string op = prev->getText();
    emit(std::move(make_diag(DiagKind::ExpectedValue, at, op, found)
                       .label("expected a value here")
                       .with_help(prev_type == PlatLexer::ASSIGN
                                      ? "give the attribute a value, such as a string, a number or a reference"
                                      : fmt::format("`{}` needs a value on both sides", op))));
    return;
  }

  // 3. A name must follow `.` and `as`.
  if (prev_type == PlatLexer::DOT) {
    if (next_line) at = after_token(f, prev);
    emit(std::move(make_diag(DiagKind::ExpectedName, at, "a name after `.`", found)
                       .label("expected a name")
                       .with_help("a reference is names joined by dots, as in `main.url`")));
    return;
  }
  if (prev_type == PlatLexer::AS) {
    if (is_keyword(type)) {
      emit(std::move(make_diag(DiagKind::KeywordAsName, at, offending->getText(), "an import alias")
                         .label("keyword")
                         .with_help(fmt::format("choose another name, such as `{}_`", offending->getText()))));
      return;
    }
    if (next_line || type == antlr4::Token::EOF) at = after_token(f, prev);
    emit(std::move(make_diag(DiagKind::ExpectedName, at, "a name after `as`", found)
                       .label("expected a name")
                       .with_help("give the import a local name, as in `import std.sizes as sizes`")));
    return;
  }

  // 4. A closing bracket that does not close what is open here.
  if (is_closer(type) && !expected.contains(type) && !(open && open->closer == type)) {
    // The innermost bracket is left open and an outer construct closes with this token: the
    // closer of the inner one is missing (`build("./api"` then `}`).
    std::optional<OpenConstruct> outer;
    for (std::size_t i = 1; i < opens.size(); ++i)
      if (opens[i].closer == type) {
        outer = opens[i];
        break;
      }
    if (open && open->closer != type && outer && prev) {
      SourceRange opened = token_range(f, open->at);
      const char* want = closer_text(open->closer);
      Diagnostic d =
          open->closer == PlatLexer::RBRACE
              ? make_diag(DiagKind::UnclosedBlock, after_token(f, prev), open->what, opened.line, opened.col)
              : make_diag(DiagKind::UnclosedBracket, after_token(f, prev), want, open->what, opened.line, opened.col);
      d.label(fmt::format("expected `{}` here", want))
          .also(token_range(f, open->open), fmt::format("{} opened here", open->what))
          .with_help(fmt::format("add `{}`", want))
          .fix(insertion_after(f, prev), want);
      emit(std::move(d));
      return;
    }
    Diagnostic d = make_diag(DiagKind::UnmatchedClosing, at, closer_text(type));
    if (open && open->closer != type) {
      // `[1, 2)`: the wrong kind of bracket.
      d.label(fmt::format("does not close the {}", open->what))
          .also(token_range(f, open->open), fmt::format("{} opened here", open->what))
          .with_help(fmt::format("close the {} with `{}`", open->what, closer_text(open->closer)))
          .fix(at, closer_text(open->closer));
    } else {
      d.label(fmt::format("this `{}` closes nothing", closer_text(type)))
          .with_help(
              fmt::format("remove it, or look for a `{}` above that closes its block too early", closer_text(type)));
    }
    emit(std::move(d));
    return;
  }

  // 5a. Ranges do not chain: `1 .. 2 .. 3`.
  if (type == PlatLexer::DOTDOT) {
    Diagnostic d = make_diag(DiagKind::ChainedRange, at);
    d.label("second `..`");
    if (const antlr4::Token* first = chain_start(
            stream, index, [](std::size_t tt) { return tt == PlatLexer::DOTDOT; },
            [](std::size_t tt) {
              return tt == PlatLexer::COMMA || tt == PlatLexer::ASSIGN || tt == PlatLexer::SEMI ||
                     tt == PlatLexer::ARROW;
            }))
      d.also(token_range(f, first), "first `..`");
    d.with_help("write one range, `low .. high`; for several steps, use a list or a chain `a -> b -> c`");
    emit(std::move(d));
    return;
  }

  // 5b. Comparisons do not chain: `a >= b >= c`.
  if (is_compare(type)) {
    Diagnostic d = make_diag(DiagKind::ChainedComparison, at);
    d.label("second comparison");
    if (const antlr4::Token* first = chain_start(stream, index, is_compare, [](std::size_t tt) {
          return tt == PlatLexer::COMMA || tt == PlatLexer::ASSIGN || tt == PlatLexer::SEMI ||
                 tt == PlatLexer::DOTDOT || tt == PlatLexer::ARROW;
        }))
      d.also(token_range(f, first), "first comparison");
    d.note("`a < b < c` does not mean `a < b` and `b < c`: each comparison takes exactly two operands")
        .with_help("compare one pair at a time");
    emit(std::move(d));
    return;
  }

  // 6. Overlays: `on production, staging { … }`.
  if (auto* o = dynamic_cast<P::OverlayContext*>(where)) {
    std::string title = overlay_title(o);
    if (is_keyword(type) && (prev_type == PlatLexer::ON || prev_type == PlatLexer::COMMA)) {
      emit(std::move(
          make_diag(DiagKind::KeywordAsName, at, offending->getText(), "an environment name").label("keyword")));
      return;
    }
    if (prev_type == PlatLexer::ON) {
      emit(std::move(make_diag(DiagKind::BadOverlay, at, found)
                         .label("expected an environment name")
                         .with_help("write `on production { … }`, naming a declared environment")));
      return;
    }
    if (prev_type == PlatLexer::COMMA) {
      emit(std::move(make_diag(DiagKind::ExpectedName, at, "an environment name after `,`", found)
                         .label("expected an environment name")
                         .also(token_range(f, prev), "after this comma")
                         .with_help("name another environment, or remove the trailing `,`")));
      return;
    }
    if (prev_type == PlatLexer::IDENT && type == PlatLexer::IDENT && !next_line) {
      emit(std::move(make_diag(DiagKind::ExpectedSeparator, at, "{", title, found)
                         .label("expected `,` or `{`")
                         .with_help("separate the environments with commas")
                         .fix(insertion_after(f, prev), ",")));
      return;
    }
  }
  if (auto* imp = dynamic_cast<P::ImportDeclContext*>(where); imp && prev_type == PlatLexer::IMPORT) {
    if (type == antlr4::Token::EOF || next_line) at = after_token(f, prev);
    emit(std::move(make_diag(DiagKind::BadImport, at, found)
                       .label("expected what to import")
                       .with_help("write `import \"./other.plat\"` or `import std.sizes`")));
    return;
  }

  // 7. A block header: `kind name` must be followed by `{`. When the parser made up the missing
  //    `{` to go on, E0108 was reported then; the rest of the file became the block's body, so its
  //    end is no news.
  if (auto* b = dynamic_cast<P::BlockContext*>(where);
      b && b->LBRACE() && is_missing(b->LBRACE()) && type == antlr4::Token::EOF)
    return;
  if (auto* b = dynamic_cast<P::BlockContext*>(where); b && !b->LBRACE()) {
    bool top = dynamic_cast<P::TopLevelContext*>(b->parent) != nullptr;
    if (top && !b->name && type == PlatLexer::ASSIGN) {
      emit(std::move(make_diag(DiagKind::ExpectedTopLevel, token_range(f, b->getStart()),
                               fmt::format("attribute `{}`", b->kind ? b->kind->getText() : "?"))
                         .label("attributes belong inside a block")
                         .with_help("put it inside the block it describes, e.g. `platform name { … }`")));
      return;
    }
    if (is_keyword(type)) {
      emit(std::move(make_diag(DiagKind::KeywordAsName, at, offending->getText(), "a block name")
                         .label("keyword")
                         .with_help(fmt::format("choose another name, such as `{}_`", offending->getText()))));
      return;
    }
    Diagnostic d = make_diag(DiagKind::ExpectedBlockBody, at, block_title(b), found);
    if (type == PlatLexer::STRING && !b->name && next_type(1) == PlatLexer::LBRACE) {
      // `service "api" { … }`: names are not quoted.
      std::string text = offending->getText();
      std::string inner = text.size() >= 2 ? text.substr(1, text.size() - 2) : text;
      bool ident = !inner.empty() && (std::isalpha(static_cast<unsigned char>(inner[0])) || inner[0] == '_') &&
                   inner.back() != '-' && std::all_of(inner.begin(), inner.end(), [](char c) {
                     return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
                   });
      if (ident)
        d.with_help("block names are not quoted").fix(at, inner);
      else
        d.with_help("a block name is a plain name: letters, digits, `_` and inner `-`");
    }
    SourceRange header = token_range(f, b->getStart());
    if (b->name && !is_missing_token(b->name)) header = SourceRange::cover(header, token_range(f, b->name));
    d.label("expected `{` here").also(header, "block starts here");
    if (b->name && type == PlatLexer::IDENT) d.note("a block is `kind name { … }`: one kind and at most one name");
    emit(std::move(d));
    return;
  }

  // 8a. A map entry is `key = value`: `{ a = 1 b }`, `{ a 1 }`.
  if (auto* me = nearest<P::MapEntryContext>(where);
      me && prev && me->getStart() == prev && type != PlatLexer::ASSIGN) {
    Diagnostic d = make_diag(DiagKind::ExpectedMapAssign, at, prev->getText(), found);
    d.label("expected `=` here");
    if (is_value_start(type) && !next_line) {
      d.with_help(fmt::format("a map entry is written `{} = {}`", prev->getText(), offending->getText()))
          .fix(insertion_after(f, prev), " =");
    } else if (type == PlatLexer::LBRACE) {
      d.with_help("a map holds `key = value` entries only; for a nested block, use a block instead of `= { … }`");
    } else {
      d.with_help("a map holds `key = value` entries: give the key a value, or remove it");
    }
    emit(std::move(d));
    return;
  }

  // 8. Inside a block body: each member is `key = value`, `kind name { … }` or `on env { … }`.
  if (auto* m = nearest<P::MemberContext>(where)) {
    const antlr4::Token* key = m->getStart();
    if (key && key->getTokenIndex() + 1 == index && is_keyword(type) && type != PlatLexer::ON &&
        next_type(1) == PlatLexer::LBRACE) {
      emit(std::move(make_diag(DiagKind::KeywordAsName, at, offending->getText(), "a block name")
                         .label("keyword")
                         .with_help(fmt::format("choose another name, such as `{}_`", offending->getText()))));
      return;
    }
    if (key && key->getTokenIndex() + 1 == index && type == PlatLexer::ON && next_type(1) == PlatLexer::LBRACE) {
      emit(std::move(make_diag(DiagKind::KeywordAsName, at, "on", "a block name")
                         .label("keyword")
                         .with_help("choose another name, such as `on_`")));
      return;
    }
    if (key && key->getTokenIndex() + 1 == index && key->getType() == PlatLexer::ON &&
        (type == PlatLexer::LBRACE || type == PlatLexer::COMMA || next_type(1) == PlatLexer::LBRACE ||
         next_type(1) == PlatLexer::COMMA)) {
      // `on { … }`, `on 5 { … }`: an overlay without a proper environment name.
      emit(std::move(make_diag(DiagKind::BadOverlay, at, found)
                         .label("expected an environment name")
                         .with_help("write `on production { … }`, naming a declared environment")));
      return;
    }
    if (key && key->getTokenIndex() + 1 == index && key->getType() != PlatLexer::STRING) {
      Diagnostic d = make_diag(DiagKind::ExpectedAssign, at, key->getText(), found);
      d.label("expected `=` here");
      if (type == PlatLexer::MINUS && key->getLine() == offending->getLine() &&
          key->getCharPositionInLine() + (key->getStopIndex() - key->getStartIndex() + 1) ==
              offending->getCharPositionInLine()) {
        d.with_help("a name cannot end with `-`: hyphens join the parts of a name, as in `cost-center`");
      } else if (is_value_start(type)) {
        d.with_help(fmt::format("an attribute is written `{} = {}`", key->getText(), offending->getText()))
            .fix(insertion_after(f, key), " =");
      }
      emit(std::move(d));
      return;
    }
  }
  bool in_body = false;
  std::string body_title;
  if (auto* b = dynamic_cast<P::BlockContext*>(where); b && b->LBRACE()) {  // present, or made up after E0108
    in_body = true;
    body_title = block_title(b);
  } else if (auto* o = dynamic_cast<P::OverlayContext*>(where); o && !is_missing(o->LBRACE())) {
    in_body = true;
    body_title = overlay_title(o);
  } else if (auto* m = dynamic_cast<P::MemberContext*>(where)) {
    in_body = true;
    if (auto* b = nearest<P::BlockContext>(m)) body_title = block_title(b);
    if (auto* o = dynamic_cast<P::OverlayContext*>(m->parent)) body_title = overlay_title(o);
  }
  // (`replicas =` with its value forgotten before the next line's `memory = …` never gets here:
  // the parse driver's pre-pass reports it and fills the hole, see `lost_value`.)
  if (in_body) {
    Diagnostic d = make_diag(DiagKind::ExpectedMember, at, body_title, found);
    d.label("not an attribute or block");
    if (type == PlatLexer::ASSIGN)
      d.with_help("an attribute needs a name before `=`");
    else if ((type == PlatLexer::COMMA || type == PlatLexer::SEMI) &&
             (prev_type == PlatLexer::COMMA || prev_type == PlatLexer::SEMI))
      d.with_help("one `,` or `;` at most separates two members: remove this one");
    else if (is_value_start(type) && prev && !next_line)
      d.with_help("a value cannot follow another value: is an operator or a `,` missing?");
    emit(std::move(d));
    return;
  }

  // 9. Lists, calls, maps and parentheses.
  if (open && open->closer != PlatLexer::RBRACE && prev) {
    const char* want = closer_text(open->closer);
    SourceRange opened = token_range(f, open->at);
    // The closer was forgotten when what follows is on a later line and starts the next member
    // (`key =`, `kind {`), or when the brackets are parentheses, which take no commas.
    bool next_member =
        next_line && (type == PlatLexer::IDENT || type == PlatLexer::STRING || is_keyword(type)) &&
        (next_type(1) == PlatLexer::ASSIGN || next_type(1) == PlatLexer::LBRACE || next_type(1) == PlatLexer::IDENT);
    if ((prev_type == PlatLexer::COMMA || (type == PlatLexer::COMMA && prev == open->open)) && type != PlatLexer::EOF) {
      // `f(a, , b)`, `[1,, 2]`, `build(, x)`: a comma too many.
      Diagnostic d = make_diag(DiagKind::UnexpectedToken, at, fmt::format("{} in {}", found, open->what));
      d.label(fmt::format("expected a value or `{}`", want));
      if (prev_type == PlatLexer::COMMA) d.also(token_range(f, prev), "after this comma");
      d.with_help(type == PlatLexer::COMMA ? "remove the extra `,`" : "put a value between the commas, or remove one");
      emit(std::move(d));
      return;
    }
    bool parens = open->closer == PlatLexer::RPAREN && open->what == "parentheses";
    if (parens && !next_line) {
      // `(a b)`: parentheses hold one expression.
      emit(std::move(make_diag(DiagKind::UnclosedBracket, at, want, open->what, opened.line, opened.col)
                         .label(fmt::format("expected `{}` here", want))
                         .also(token_range(f, open->open), fmt::format("{} opened here", open->what))
                         .note("parentheses hold exactly one expression")));
      return;
    }
    if (parens) next_member = true;
    if (next_member) {
      emit(std::move(make_diag(DiagKind::UnclosedBracket, next_line ? after_token(f, prev) : at, want, open->what,
                               opened.line, opened.col)
                         .label(fmt::format("expected `{}` here", want))
                         .also(token_range(f, open->open), fmt::format("{} opened here", open->what))
                         .with_help(fmt::format("add `{}`", want))
                         .fix(insertion_after(f, prev), want)));
      return;
    }
    Diagnostic d = make_diag(DiagKind::ExpectedSeparator, at, want, open->what, found);
    d.label(fmt::format("expected `,` or `{}`", want))
        .also(token_range(f, open->open), fmt::format("{} opened here", open->what));
    if (value_start(type) && !next_line)
      d.with_help(open->what == "list" ? "separate the items of the list with commas"
                                       : "separate the arguments with commas")
          .fix(insertion_after(f, prev), ",");
    emit(std::move(d));
    return;
  }

  // 10. The top level holds imports and blocks only.
  if (!interp && (dynamic_cast<P::FileContext*>(where) || dynamic_cast<P::TopLevelContext*>(where))) {
    std::size_t after = next_type(1);
    if ((type == PlatLexer::TRUE || type == PlatLexer::FALSE || type == PlatLexer::AS) &&
        (after == PlatLexer::IDENT || after == PlatLexer::LBRACE)) {
      emit(std::move(make_diag(DiagKind::KeywordAsName, at, offending->getText(), "a block kind").label("keyword")));
      return;
    }
    Diagnostic d = make_diag(DiagKind::ExpectedTopLevel, at, found);
    if (type == PlatLexer::ON) {
      d.label("an overlay outside any block")
          .with_help("put `on … { … }` inside the block whose attributes it changes");
    } else if (type == PlatLexer::COMMA || type == PlatLexer::SEMI) {
      d.label("not a block or import").with_help("top-level blocks are not separated by `,` or `;`: remove it");
    } else {
      d.label("not a block or import");
    }
    emit(std::move(d));
    return;
  }

  // 11. Anything else. Inside `${…}` the expression has ended and something follows it.
  Diagnostic d = make_diag(DiagKind::UnexpectedToken, at, interp ? found + " in `${…}`" : found);
  d.label("unexpected here");
  if (interp && expected.contains(static_cast<std::size_t>(antlr4::Token::EOF))) {
    d.note("an interpolation holds one expression, and `}` ends it");
  } else if (std::string list = expected_list(expected); !list.empty()) {
    d.note(fmt::format("expected {}", list));
  }
  emit(std::move(d));
}

void PlatErrorStrategy::reportNoViableAlternative(antlr4::Parser* recognizer, const antlr4::NoViableAltException& e) {
  report(recognizer, e.getOffendingToken(), e.getExpectedTokens(), dynamic_cast<antlr4::ParserRuleContext*>(e.getCtx()),
         false);
}

void PlatErrorStrategy::reportInputMismatch(antlr4::Parser* recognizer, const antlr4::InputMismatchException& e) {
  report(recognizer, e.getOffendingToken(), e.getExpectedTokens(), dynamic_cast<antlr4::ParserRuleContext*>(e.getCtx()),
         false);
}

void PlatErrorStrategy::reportFailedPredicate(antlr4::Parser* recognizer, const antlr4::FailedPredicateException& e) {
  report(recognizer, e.getOffendingToken(), e.getExpectedTokens(), dynamic_cast<antlr4::ParserRuleContext*>(e.getCtx()),
         false);
}

void PlatErrorStrategy::reportUnwantedToken(antlr4::Parser* recognizer) {
  if (inErrorRecoveryMode(recognizer)) return;
  beginErrorCondition(recognizer);
  report(recognizer, recognizer->getCurrentToken(), getExpectedTokens(recognizer), recognizer->getContext(), true);
}

void PlatErrorStrategy::reportMissingToken(antlr4::Parser* recognizer) {
  if (inErrorRecoveryMode(recognizer)) return;
  beginErrorCondition(recognizer);
  report(recognizer, recognizer->getCurrentToken(), getExpectedTokens(recognizer), recognizer->getContext(), false);
}

}  // namespace platc::parse
