// Syntax errors in plain words. ANTLR finds the error and recovers; this file decides what to
// tell the user, from the rule being parsed, the token before the error and the open brackets.
#include <fmt/format.h>

#include <optional>

#include "compiler/parse/internal.h"

namespace platc::parse {
namespace {

using P = PlatParser;

// A bracket that is open around the error point.
struct OpenConstruct {
  std::string what;         // "block `service backend`", "list", "call to `build`"
  const antlr4::Token* at;  // where it starts (the block's kind, the bracket)
  const antlr4::Token* open;
  std::size_t closer;       // token type that closes it
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
        return OpenConstruct{fmt::format("the arguments of `{}`", name), call->getStart(),
                             call->LPAREN()->getSymbol(), PlatLexer::RPAREN};
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
  return t == PlatLexer::GE || t == PlatLexer::LE || t == PlatLexer::GT || t == PlatLexer::LT ||
         t == PlatLexer::EQEQ || t == PlatLexer::NE;
}
const char* closer_text(std::size_t t) {
  return t == PlatLexer::RBRACE ? "}" : t == PlatLexer::RBRACK ? "]" : ")";
}

std::string expected_list(const antlr4::misc::IntervalSet& expected) {
  std::vector<std::string> names;
  for (auto t : expected.toList()) {
    if (t == PlatLexer::ON || t == PlatLexer::IMPORT || t == PlatLexer::AS) continue;  // folded into "a name"
    std::string n = describe_token_type(t);
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
                               bool unwanted) {
  const FileId f = ctx_.file;
  auto* stream = recognizer->getTokenStream();
  std::size_t type = offending->getType();
  std::size_t index = offending->getTokenIndex();
  const antlr4::Token* prev = index > 0 ? stream->get(index - 1) : nullptr;
  std::size_t prev_type = prev ? prev->getType() : antlr4::Token::INVALID_TYPE;
  SourceRange at = token_range(f, offending);
  // At the end of the file, point just after the last real token: that is where the fix goes.
  if (type == antlr4::Token::EOF && prev) at = after_token(f, prev);
  std::string found = describe_token(offending);
  auto open = innermost_open(where);

  // 1. The file (or interpolation) ended inside something still open.
  if (type == antlr4::Token::EOF && open) {
    SourceRange opened = token_range(f, open->at);
    Diagnostic d = open->closer == PlatLexer::RBRACE
                       ? make_diag(DiagKind::UnclosedBlock, at, open->what, opened.line, opened.col)
                       : make_diag(DiagKind::UnclosedBracket, at, closer_text(open->closer), open->what,
                                   opened.line, opened.col);
    d.label(fmt::format("expected `{}` here", closer_text(open->closer)))
        .also(token_range(f, open->open), fmt::format("{} opened here", open->what))
        .with_help(fmt::format("add `{}`", closer_text(open->closer)));
    if (prev) d.fix(insertion_after(f, prev), closer_text(open->closer));
    emit(std::move(d));
    return;
  }

  // 2. `key =` with nothing after it (before the closer check: `port = }` is a missing value).
  if (prev_type == PlatLexer::ASSIGN && !unwanted) {
    // When the value is missing at the end of a line, the caret goes where the value belongs.
    if (offending->getLine() != prev->getLine()) at = after_token(f, prev);
    emit(std::move(make_diag(DiagKind::ExpectedValue, at, found)
                       .label("expected a value here")
                       .with_help("give the attribute a value, such as a string, a number or a reference")));
    return;
  }

  // 3. A closing bracket that closes nothing here.
  if (is_closer(type) && !expected.contains(type)) {
    Diagnostic d = make_diag(DiagKind::UnmatchedClosing, at, closer_text(type));
    d.label("this closes nothing");
    if (open) {
      d.also(token_range(f, open->open), fmt::format("{} opened here", open->what))
          .with_help(fmt::format("{} is closed by `{}`", open->what, closer_text(open->closer)));
    }
    emit(std::move(d));
    return;
  }

  // 4. Comparisons do not chain: `a >= b >= c`. (After `=` was handled above.)
  if (is_compare(type)) {
    emit(std::move(make_diag(DiagKind::ChainedComparison, at).label("second comparison").with_help(
        "compare one pair at a time")));
    return;
  }

  // 5. After `.`, `on`, `import`.
  if (prev_type == PlatLexer::DOT) {
    emit(std::move(make_diag(DiagKind::ExpectedName, at, "a name after `.`", found).label("expected a name")));
    return;
  }
  if (auto* o = dynamic_cast<P::OverlayContext*>(where);
      o && (prev_type == PlatLexer::ON || prev_type == PlatLexer::COMMA)) {
    emit(std::move(make_diag(DiagKind::BadOverlay, at, found)
                       .label("expected an environment name")
                       .with_help("write `on production { … }`, naming a declared environment")));
    return;
  }
  if (dynamic_cast<P::ImportDeclContext*>(where) && prev_type == PlatLexer::IMPORT) {
    emit(std::move(make_diag(DiagKind::BadImport, at, found)
                       .label("expected what to import")
                       .with_help("write `import \"./other.plat\"` or `import std.sizes`")));
    return;
  }

  // 6. A block header: `kind name` must be followed by `{`.
  if (auto* b = dynamic_cast<P::BlockContext*>(where); b && is_missing(b->LBRACE())) {
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
    emit(std::move(make_diag(DiagKind::ExpectedBlockBody, at, block_title(b), found)
                       .label("expected `{` here")
                       .also(token_range(f, b->getStart()), "block starts here")));
    return;
  }

  // 7. Inside a block body: each member is `key = value`, `kind name { … }` or `on env { … }`.
  if (auto* m = dynamic_cast<P::MemberContext*>(where)) {
    const antlr4::Token* key = m->getStart();
    if (key && key->getTokenIndex() + 1 == index && key->getType() != PlatLexer::STRING) {
      Diagnostic d = make_diag(DiagKind::ExpectedAssign, at, key->getText(), found);
      d.label("expected `=` here");
      if (is_value_start(type)) {
        d.with_help(fmt::format("an attribute is written `{} = {}`", key->getText(), offending->getText()))
            .fix(insertion_after(f, key), " =");
      }
      emit(std::move(d));
      return;
    }
  }
  bool in_body = false;
  std::string body_title;
  if (auto* b = dynamic_cast<P::BlockContext*>(where); b && !is_missing(b->LBRACE())) {
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
  if (in_body && type == PlatLexer::ASSIGN && index >= 2) {
    // `replicas =` with nothing after it, then `memory = …` on the next line: the parser took
    // `memory` as the value. Point at the `=` that lost its value, not at the next one.
    const antlr4::Token* value = stream->get(index - 1);
    const antlr4::Token* assign = stream->get(index - 2);
    if (assign->getType() == PlatLexer::ASSIGN && value->getType() == PlatLexer::IDENT &&
        value->getLine() > assign->getLine()) {
      emit(std::move(make_diag(DiagKind::ExpectedValue, after_token(f, assign),
                               fmt::format("`{}` on the next line", value->getText()))
                         .label("expected a value here")
                         .note(fmt::format("`{}` was read as the value, and then `=` made no sense", value->getText()))
                         .with_help("give the attribute a value, such as a string, a number or a reference")));
      return;
    }
  }
  if (in_body) {
    Diagnostic d = make_diag(DiagKind::ExpectedMember, at, body_title, found);
    d.label("not an attribute or block");
    if (type == PlatLexer::ASSIGN) d.with_help("an attribute needs a name before `=`");
    emit(std::move(d));
    return;
  }

  // 8. Lists, calls and maps.
  if (open && open->closer != PlatLexer::RBRACE) {
    emit(std::move(make_diag(DiagKind::ExpectedSeparator, at, closer_text(open->closer), open->what, found)
                       .label(fmt::format("expected `,` or `{}`", closer_text(open->closer)))
                       .also(token_range(f, open->open), fmt::format("{} opened here", open->what))));
    return;
  }

  // 9. The top level holds imports and blocks only.
  if (dynamic_cast<P::FileContext*>(where) || dynamic_cast<P::TopLevelContext*>(where)) {
    emit(std::move(make_diag(DiagKind::ExpectedTopLevel, at, found).label("not a block or import")));
    return;
  }

  Diagnostic d = make_diag(DiagKind::UnexpectedToken, at, found);
  d.label("unexpected here");
  if (std::string list = expected_list(expected); !list.empty()) d.note(fmt::format("expected {}", list));
  emit(std::move(d));
}

void PlatErrorStrategy::reportNoViableAlternative(antlr4::Parser* recognizer, const antlr4::NoViableAltException& e) {
  report(recognizer, e.getOffendingToken(), e.getExpectedTokens(),
         dynamic_cast<antlr4::ParserRuleContext*>(e.getCtx()), false);
}

void PlatErrorStrategy::reportInputMismatch(antlr4::Parser* recognizer, const antlr4::InputMismatchException& e) {
  report(recognizer, e.getOffendingToken(), e.getExpectedTokens(),
         dynamic_cast<antlr4::ParserRuleContext*>(e.getCtx()), false);
}

void PlatErrorStrategy::reportFailedPredicate(antlr4::Parser* recognizer, const antlr4::FailedPredicateException& e) {
  report(recognizer, e.getOffendingToken(), e.getExpectedTokens(),
         dynamic_cast<antlr4::ParserRuleContext*>(e.getCtx()), false);
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
