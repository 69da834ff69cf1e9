// The parse driver: byte checks, lexing, the token pre-pass (bad characters, nesting depth,
// token budget), then ANTLR's parser — SLL first, full LL with recovery only when SLL fails.
#include <fmt/format.h>

#include "compiler/parse/internal.h"
#include "compiler/source/utf8.h"

namespace platc::parse {
namespace {

// Lexer errors cannot happen with the BAD_CHAR catch-all, but ANTLR's console listener must never
// print: this one stays silent and the pre-pass reports what matters.
class SilentListener : public antlr4::BaseErrorListener {
 public:
  void syntaxError(antlr4::Recognizer*, antlr4::Token*, size_t, size_t, const std::string&,
                   std::exception_ptr) override {}
};

// Reports invalid UTF-8 and NUL bytes; returns false when the file must not be parsed.
bool check_bytes(ParseContext& ctx, const std::string& text) {
  std::uint32_t line = 1, col = 1;
  std::size_t problems = 0;
  std::uint32_t last_line_reported = 0;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t n = c == 0 ? 0 : utf8::sequence_length(text, i);
    if (n == 0) {
      // One diagnostic per line is enough to find them all without flooding.
      if (line != last_line_reported) {
        SourceRange r{ctx.file, line, col, line, col + 1};
        if (c == 0)
          ctx.diags.report(DiagKind::NulByte, r).label("NUL byte here").with_help(
              "source files are text: remove the byte, or write `\\u{0}` inside a string if you meant it");
        else
          ctx.diags.report(DiagKind::InvalidUtf8, r)
              .label(fmt::format("byte 0x{:02X} at offset {}", c, i))
              .with_help("save the file as UTF-8");
        last_line_reported = line;
        ++problems;
      }
      ++i;
      ++col;
      continue;
    }
    if (c == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
    i += n;
  }
  return problems == 0;
}

// ANTLR's own UTF-8 → UTF-32 conversion (std::wstring_convert) over-allocates several times the
// input; the bytes are already validated, so decode them once into an exactly-sized buffer.
class Utf32Input : public antlr4::ANTLRInputStream {
 public:
  explicit Utf32Input(const std::string& text) {
    _data.reserve(utf8::count_code_points(text));
    for (std::size_t i = 0; i < text.size();) {
      std::size_t n = utf8::sequence_length(text, i);
      if (n == 0) {  // cannot happen after check_bytes; keep going rather than loop forever
        _data.push_back(0xFFFD);
        ++i;
        continue;
      }
      _data.push_back(utf8::decode(text, i));
      i += n;
    }
    p = 0;
  }
};

bool opens(std::size_t type) {
  return type == PlatLexer::LBRACE || type == PlatLexer::LBRACK || type == PlatLexer::LPAREN;
}
bool closes(std::size_t type) {
  return type == PlatLexer::RBRACE || type == PlatLexer::RBRACK || type == PlatLexer::RPAREN;
}

// What a stray character most likely meant. Empty when there is nothing useful to say.
std::string bad_char_help(const std::string& s) {
  if (s == "'" || s == "`") return "strings are written in double quotes: \"text\"";
  if (s == "\\") return "a backslash only starts an escape inside a string";
  if (s == "+" || s == "*")
    return "there is no arithmetic in platc: write the value itself, e.g. `2` rather than `1 + 1`";
  if (s == "/") return "comments start with `#` or `//`; there is no division: write the value itself";
  if (s == "%") return "a percentage is glued to its number, as in `70%`";
  if (s == "$") return "interpolation `${…}` is written inside a string, as in \"api.${env.domain}\"";
  if (s == "!") return "the only operator with `!` is `!=`";
  if (s == "&" || s == "|") return "there are no logical operators: write separate attributes";
  if (s == "\xE2\x80\x9C" || s == "\xE2\x80\x9D" || s == "\xE2\x80\x9E")
    return "this is a typographic quote: strings use the straight quote `\"`";
  if (s == "\xE2\x80\x98" || s == "\xE2\x80\x99")
    return "this is a typographic quote: strings use the straight quote `\"`";
  if (s == "\xE2\x80\x93" || s == "\xE2\x80\x94" || s == "\xE2\x88\x92") return "this dash is not ASCII: write `-`";
  if (s == "\xC2\xA0") return "this is a non-breaking space: write an ordinary space";
  return {};
}

// The ASCII character a look-alike stands for, for a fix-it; empty when there is none.
std::string look_alike(const std::string& s) {
  if (s == "\xE2\x80\x9C" || s == "\xE2\x80\x9D" || s == "\xE2\x80\x9E") return "\"";
  if (s == "\xE2\x80\x93" || s == "\xE2\x80\x94" || s == "\xE2\x88\x92") return "-";
  if (s == "\xC2\xA0") return " ";
  return {};
}

// Recovery that respects brackets. ANTLR resynchronises by skipping tokens until one that can
// follow the rule being parsed; skipping `{ replicas = 3 }` that way stops at its `}`, which then
// closes the enclosing block early and every later line becomes an error of its own. Here a
// bracket that opens while skipping is skipped up to its match. And a single opening bracket is
// never deleted to repair an error (`on production, { … }` must not lose its `{`).
class RecoveringStrategy final : public PlatErrorStrategy {
 public:
  using PlatErrorStrategy::PlatErrorStrategy;

  // The outermost rule context of the parse. When the error budget runs out, the exception
  // unwinds every rule and the parser's current context is null; the tree built so far is
  // still reachable from here.
  antlr4::ParserRuleContext* root() const { return root_; }

 protected:
  //
  // ANTLR stays quiet about further errors until a token matches, so that one mistake is not
  // reported twice. When the skip has moved on to a later line, what comes next is a new member
  // and its errors are its own: they are reported (`on { … }` then `on 5 { … }`: two errors).
  //
  // Members are written one per line, so after a broken member the rest of its line belongs to
  // it: `cost-center "cc-4012"` must not restart at the string as if it were a quoted key. Only a
  // `}`, a separator or a later line ends the skip.
  void consumeUntil(antlr4::Parser* recognizer, const antlr4::misc::IntervalSet& set) override {
    auto* in = recognizer->getTokenStream();
    auto* c = recognizer->getContext();
    bool member_level = dynamic_cast<PlatParser::MemberContext*>(c) || dynamic_cast<PlatParser::AttributeContext*>(c) ||
                        dynamic_cast<PlatParser::KeyContext*>(c) || dynamic_cast<PlatParser::BlockContext*>(c) ||
                        dynamic_cast<PlatParser::OverlayContext*>(c);
    std::size_t depth = 0;
    std::size_t first_line = in->LT(1)->getLine();
    bool skipped = false;
    for (std::size_t t = in->LA(1); t != antlr4::Token::EOF; t = in->LA(1)) {
      if (depth == 0 && set.contains(t) &&
          (!member_level || t == PlatLexer::RBRACE || t == PlatLexer::SEMI || t == PlatLexer::COMMA ||
           in->LT(1)->getLine() > first_line))
        break;
      if (opens(t)) ++depth;
      else if (closes(t) && depth > 0) --depth;
      recognizer->consume();
      skipped = true;
    }
    if (skipped && in->LA(1) != antlr4::Token::EOF && in->LT(1)->getLine() > first_line) endErrorCondition(recognizer);
  }
  // An error inside brackets (`[aws gcp]`, `trivy(1 < x < 3)`) resumes after their closing
  // bracket: leaving the rule with the bracket still open would make that bracket a second,
  // bogus error. A `}` stops the skip when brackets other than braces are open, since it most
  // likely closes the enclosing block.
  void recover(antlr4::Parser* recognizer, std::exception_ptr e) override {
    std::size_t closer = 0;
    auto* c = recognizer->getContext();
    // `sidecar import { … }` (E0112): skip the keyword and the body it names, not just the keyword.
    auto* ts = recognizer->getTokenStream();
    auto keyword = [](std::size_t t) {
      return t == PlatLexer::ON || t == PlatLexer::IMPORT || t == PlatLexer::AS || t == PlatLexer::TRUE ||
             t == PlatLexer::FALSE;
    };
    if (dynamic_cast<PlatParser::AttributeContext*>(c) || dynamic_cast<PlatParser::MemberContext*>(c)) {
      if (keyword(ts->LA(1)) && ts->LA(2) == PlatLexer::LBRACE) {
        recognizer->consume();
      } else if (ts->LA(1) == PlatLexer::IDENT && keyword(ts->LA(2)) && ts->LA(3) == PlatLexer::LBRACE) {
        recognizer->consume();
        recognizer->consume();
      }
    }
    if (auto* l = dynamic_cast<PlatParser::ListExprContext*>(c); l && l->LBRACK() && !l->RBRACK())
      closer = PlatLexer::RBRACK;
    else if (auto* k = dynamic_cast<PlatParser::CallExprContext*>(c); k && k->LPAREN() && !k->RPAREN())
      closer = PlatLexer::RPAREN;
    else if (auto* q = dynamic_cast<PlatParser::ParenExprContext*>(c); q && q->LPAREN() && !q->RPAREN())
      closer = PlatLexer::RPAREN;
    else if (auto* m = dynamic_cast<PlatParser::MapExprContext*>(c); m && m->LBRACE() && !m->RBRACE())
      closer = PlatLexer::RBRACE;
    if (closer == 0) {
      PlatErrorStrategy::recover(recognizer, e);
      return;
    }
    auto* in = recognizer->getInputStream();
    std::size_t depth = 0;
    for (std::size_t t = in->LA(1); t != antlr4::Token::EOF; t = in->LA(1)) {
      if (depth == 0 && t == closer) {
        recognizer->consume();
        return;
      }
      if (depth == 0 && t == PlatLexer::RBRACE) return;
      if (opens(t)) ++depth;
      else if (closes(t) && depth > 0) --depth;
      recognizer->consume();
    }
  }
  // ANTLR recovers from a bad member inside a loop (`member*`) by skipping to the next member,
  // except for the loop's first iteration, where it gives up on the whole block: `= 8000` as the
  // first line of a body would close the block and make every later line a top-level error.
  // Here the first iteration recovers like the others.
  void sync(antlr4::Parser* recognizer) override {
    if (!root_) {
      for (auto* c = recognizer->getContext(); c; c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent)) root_ = c;
    }
    if (!inErrorRecoveryMode(recognizer)) {
      const antlr4::atn::ATN& atn = recognizer->getATN();
      antlr4::atn::ATNState* s = atn.states[recognizer->getState()];
      std::size_t la = recognizer->getTokenStream()->LA(1);
      auto next = atn.nextTokens(s);
      auto* c = recognizer->getContext();
      bool body = dynamic_cast<PlatParser::BlockContext*>(c) || dynamic_cast<PlatParser::OverlayContext*>(c) ||
                  dynamic_cast<PlatParser::MapExprContext*>(c) || dynamic_cast<PlatParser::FileContext*>(c);
      if (body && s->getStateType() == antlr4::atn::ATNState::STAR_LOOP_ENTRY && !next.contains(la) &&
          !next.contains(antlr4::Token::EPSILON)) {
        if (singleTokenDeletion(recognizer) != nullptr) return;
        reportUnwantedToken(recognizer);
        consumeUntil(recognizer, recognizer->getExpectedTokens().Or(getErrorRecoverySet(recognizer)));
        return;
      }
    }
    PlatErrorStrategy::sync(recognizer);
  }

  // ANTLR repairs `(1 .. 2 .. 3)` by inventing a `)` before the second `..`; the real `)` then
  // closes nothing and is a second error. Don't invent a closing bracket when the real one follows
  // on the same line: recover() skips to it instead.
  bool singleTokenInsertion(antlr4::Parser* recognizer) override {
    auto expected = recognizer->getExpectedTokens();
    // `sidecar import { … }` is a block with a keyword for a name, not `sidecar = import` with
    // the `=` forgotten: inventing the `=` would make its `{` a second error.
    auto* ts = recognizer->getTokenStream();
    std::size_t la1 = ts->LA(1);
    if (expected.contains(std::size_t{PlatLexer::ASSIGN}) && ts->LA(2) == PlatLexer::LBRACE &&
        (la1 == PlatLexer::ON || la1 == PlatLexer::IMPORT || la1 == PlatLexer::AS || la1 == PlatLexer::TRUE ||
         la1 == PlatLexer::FALSE))
      return false;
    std::size_t closer = 0;
    for (std::size_t c :
         {std::size_t{PlatLexer::RPAREN}, std::size_t{PlatLexer::RBRACK}, std::size_t{PlatLexer::RBRACE}})
      if (expected.contains(c)) closer = closer ? static_cast<std::size_t>(-1) : c;
    if (closer != 0 && closer != static_cast<std::size_t>(-1)) {
      auto* in = recognizer->getTokenStream();
      std::size_t line = in->LT(1)->getLine();
      std::size_t depth = 0;
      for (ssize_t k = 1;; ++k) {
        const antlr4::Token* t = in->LT(k);
        if (t->getType() == antlr4::Token::EOF || t->getLine() != line) break;
        if (opens(t->getType())) {
          ++depth;
        } else if (closes(t->getType())) {
          if (depth == 0) {
            if (t->getType() == closer) return false;
            break;
          }
          --depth;
        }
      }
    }
    return PlatErrorStrategy::singleTokenInsertion(recognizer);
  }
  // Brackets are never deleted to repair an error: dropping the `{` of `on production, { … }`
  // or the `}` of `bucket g { k = }` unbalances everything after it.
  antlr4::Token* singleTokenDeletion(antlr4::Parser* recognizer) override {
    std::size_t la = recognizer->getInputStream()->LA(1);
    if (opens(la) || closes(la)) return nullptr;
    return PlatErrorStrategy::singleTokenDeletion(recognizer);
  }

 private:
  antlr4::ParserRuleContext* root_ = nullptr;
};

}  // namespace

std::unique_ptr<AntlrParse> run_antlr(ParseContext& ctx, const std::string& text, std::size_t line,
                                      std::size_t col, EntryRule rule, const ItemCallback& on_item,
                                      const std::function<void()>& on_restart) {
  auto p = std::make_unique<AntlrParse>();
  p->input = std::make_unique<Utf32Input>(text);
  p->lexer = std::make_unique<PlatLexer>(p->input.get());
  p->lexer->removeErrorListeners();
  static SilentListener silent;
  p->lexer->addErrorListener(&silent);
  p->lexer->setLine(line);
  p->lexer->setCharPositionInLine(col);

  // The pre-pass: one walk over the tokens before the parser sees any of them.
  std::vector<std::unique_ptr<antlr4::Token>> kept;
  std::size_t depth = 0, count = 0;
  bool reject = false;
  // Where the previous token ended (line, 0-based column), to see which tokens are glued
  // together, and the stray-character diagnostic of the current glued run, if any: `été` is one
  // word with two bad characters and deserves one diagnostic.
  std::size_t glued_line = 0, glued_col = static_cast<std::size_t>(-1);
  std::size_t run_diag = static_cast<std::size_t>(-1);
  // `replicas =` with its value forgotten at the end of a line, then `memory = 512Mi`: the parser
  // would take `memory` as the value and lose the next attribute. Seen from the second `=` (or
  // the `{` of a block on the next line), the pattern is certain, since a value is never
  // followed by `=` or `{`. The missing value is reported here, and a placeholder that the parser
  // accepts as a value and the AST builder drops takes its place. `recent` holds the indices in
  // `kept` of the last on-channel tokens.
  std::vector<std::size_t> recent;
  auto lost_value = [&](const antlr4::Token* t) {
    auto back = [&](std::size_t n) -> const antlr4::Token* {
      return recent.size() >= n ? kept[recent[recent.size() - n]].get() : nullptr;
    };
    auto word = [](std::size_t ty) {
      return ty == PlatLexer::IDENT || ty == PlatLexer::ON || ty == PlatLexer::IMPORT || ty == PlatLexer::AS;
    };
    std::size_t n = 0;  // how far back the assignment is
    const antlr4::Token* a2 = back(2);
    const antlr4::Token* w1 = back(1);
    if (a2 && w1 && a2->getType() == PlatLexer::ASSIGN && w1->getLine() > a2->getLine() &&
        (word(w1->getType()) || (w1->getType() == PlatLexer::STRING && t->getType() == PlatLexer::ASSIGN)))
      n = 2;  // `=` ⏎ `key =`,  `=` ⏎ `backup {`
    const antlr4::Token* a3 = back(3);
    const antlr4::Token* w2 = back(2);
    if (!n && t->getType() == PlatLexer::LBRACE && a3 && w2 && w1 && a3->getType() == PlatLexer::ASSIGN &&
        w2->getLine() > a3->getLine() && word(w2->getType()) && w1->getType() == PlatLexer::IDENT)
      n = 3;  // `=` ⏎ `sidecar proxy {`
    if (!n) return;
    const antlr4::Token* assign = back(n);
    const antlr4::Token* next = back(n - 1);
    ctx.diags.report(DiagKind::ExpectedValue, after_token(ctx.file, assign), "=",
                     fmt::format("`{}` on the next line", next->getText()))
        .label("expected a value here")
        .note(fmt::format("`{}{} {}` on the next line starts the next {}; it is not this one's value",
                          next->getText(), n == 3 ? " " + back(1)->getText() : "", t->getText(),
                          t->getType() == PlatLexer::ASSIGN ? "attribute" : "block"))
        .with_help("give the attribute a value, such as a string, a number or a reference");
    auto hole = std::make_unique<antlr4::CommonToken>(PlatLexer::UNTERMINATED_STRING, "");
    hole->setLine(assign->getLine());
    hole->setCharPositionInLine(assign->getCharPositionInLine() + 1);
    hole->setStartIndex(assign->getStopIndex() + 1);
    hole->setStopIndex(assign->getStopIndex());
    std::size_t at = recent[recent.size() - (n - 1)];
    kept.insert(kept.begin() + static_cast<std::ptrdiff_t>(at), std::move(hole));
    recent.clear();
  };
  for (;;) {
    std::unique_ptr<antlr4::Token> t = p->lexer->nextToken();
    std::size_t type = t->getType();
    if (type == antlr4::Token::EOF) {
      kept.push_back(std::move(t));
      break;
    }
    if (++count > ctx.limits.max_tokens) {
      ctx.diags.report(DiagKind::TooManyTokens, token_range(ctx.file, t.get()), ctx.sources.file(ctx.file).path,
                       ctx.limits.max_tokens)
          .with_help("split the platform across several files in the same directory");
      reject = true;
      break;
    }
    bool glued = t->getLine() == glued_line && t->getCharPositionInLine() == glued_col;
    if (!glued) run_diag = static_cast<std::size_t>(-1);
    glued_line = t->getLine();
    glued_col = type == PlatLexer::MULTILINE_STRING || type == PlatLexer::UNTERMINATED_MULTILINE
                    ? static_cast<std::size_t>(-1)
                    : t->getCharPositionInLine() + (t->getStopIndex() - t->getStartIndex() + 1);
    switch (type) {
      case PlatLexer::BAD_CHAR: {
        // Past Diagnostics::kMaxKeptErrors a stray character is only counted, and its token not
        // kept: an error storm (16 MB of invalid characters) costs neither memory nor formatting.
        if (ctx.diags.full()) {
          ctx.diags.report(DiagKind::UnexpectedCharacter, SourceRange{}, "");
          continue;
        }
        std::string s = t->getText();
        // A byte-order mark at the very start is harmless.
        if (s == "\xEF\xBB\xBF" && t->getStartIndex() == 0 && line == 1) continue;
        // Kept, off the parser's channel, so that the error strategy knows a syntax error right
        // after it is only its echo.
        if (auto* w = dynamic_cast<antlr4::WritableToken*>(t.get())) w->setChannel(antlr4::Token::HIDDEN_CHANNEL);
        bool non_ascii = static_cast<unsigned char>(s[0]) >= 0x80;
        if (non_ascii && glued && run_diag < ctx.diags.items().size()) {
          // Another character of a word already reported: widen that diagnostic instead.
          SourceRange r = token_range(ctx.file, t.get());
          auto& d = ctx.diags.items()[run_diag];
          if (d.primary.end_line == r.line) d.primary.end_col = r.end_col;
          kept.push_back(std::move(t));
          continue;
        }
        if (s == "'") {
          // 'text' on one line: report it once, with the fix, and parse it as the string it means.
          std::size_t k = 1;
          std::string content;
          bool ok = false;
          for (; k < 512; ++k) {
            std::size_t c = p->input->LA(static_cast<ssize_t>(k));
            if (c == '\'') {
              ok = true;
              break;
            }
            if (c == antlr4::Token::EOF || c == '\n' || c == '\r' || c == '\\') break;
            if (c == '"') content += '\\';  // 'it"s' → "it\"s"
            utf8::append(content, static_cast<char32_t>(c));
          }
          if (ok) {
            auto str = std::make_unique<antlr4::CommonToken>(t.get());
            str->setType(PlatLexer::STRING);
            str->setChannel(antlr4::Token::DEFAULT_CHANNEL);
            str->setText("\"" + content + "\"");
            str->setStopIndex(t->getStartIndex() + k);
            p->input->seek(p->input->index() + k);
            p->lexer->setCharPositionInLine(t->getCharPositionInLine() + 1 + k);
            glued_col = p->lexer->getCharPositionInLine();
            // The range of what is written, 'it"s', not of the text that stands for it, "it\"s".
            SourceRange whole = token_range(ctx.file, t.get());
            whole.end_col = whole.col + static_cast<std::uint32_t>(k) + 1;
            ctx.diags.report(DiagKind::UnexpectedCharacter, whole, "'")
                .label("single quotes")
                .with_help("strings are written in double quotes")
                .fix(whole, str->getText());
            recent.push_back(kept.size());
            if (recent.size() > 4) recent.erase(recent.begin());
            kept.push_back(std::move(str));
            continue;
          }
        }
        std::string shown = s;
        if (s.size() == 1 && (static_cast<unsigned char>(s[0]) < 0x20 || s[0] == 0x7f))
          shown = fmt::format("\\u{{{:x}}}", static_cast<unsigned>(s[0]));
        SourceRange at = token_range(ctx.file, t.get());
        auto& d = ctx.diags.report(DiagKind::UnexpectedCharacter, at, shown);
        if (std::string help = bad_char_help(s); !help.empty()) {
          d.with_help(help);
          if (std::string ascii = look_alike(s); !ascii.empty()) d.fix(at, ascii);
        } else if (s == ":") {
          d.with_help("attributes are written `key = value`");
          d.fix(at, glued ? " =" : "=");  // `port: 8000` → `port = 8000`
        } else if (non_ascii) {
          d.label("not allowed in a name")
              .with_help("names, numbers and operators are ASCII; other text belongs in strings and comments");
          if (&d == &ctx.diags.items().back()) run_diag = ctx.diags.items().size() - 1;  // when kept, not only counted
        } else if (shown != s) {
          d.label("control character").with_help("remove it; inside a string, write it as an escape such as `\\t`");
        }
        kept.push_back(std::move(t));
        continue;
      }
      case PlatLexer::COMMENT:
        // A `#` inside `${…}` is part of a string literal's source, not a comment of the file.
        if (rule == EntryRule::File) ctx.comments.push_back({t->getText(), token_range(ctx.file, t.get())});
        continue;
      case PlatLexer::UNTERMINATED_STRING:
        ctx.diags.report(DiagKind::UnterminatedString, token_range(ctx.file, t.get()))
            .label("this string has no closing `\"`")
            .with_help("close it with `\"` before the end of the line, or use `\"\"\"` for text over several lines");
        break;
      case PlatLexer::UNTERMINATED_MULTILINE: {
        SourceRange r = token_range(ctx.file, t.get());
        r.end_line = r.line;
        r.end_col = r.col + 3;
        ctx.diags.report(DiagKind::UnterminatedMultilineString, r)
            .label("this `\"\"\"` is never closed")
            .with_help("end the string with `\"\"\"` on a line of its own");
        break;
      }
      default:
        break;
    }
    if (opens(type)) {
      if (++depth > ctx.limits.max_nesting) {
        ctx.diags.report(DiagKind::NestingTooDeep, token_range(ctx.file, t.get()), ctx.limits.max_nesting)
            .label("this bracket is one level too deep")
            .with_help("flatten the structure: give nested parts names of their own");
        reject = true;
        break;
      }
    } else if (closes(type) && depth > 0) {
      --depth;
    }
    if (type == PlatLexer::ASSIGN || type == PlatLexer::LBRACE) lost_value(t.get());
    recent.push_back(kept.size());
    if (recent.size() > 4) recent.erase(recent.begin());
    kept.push_back(std::move(t));
  }
  if (reject) return nullptr;

  p->source = std::make_unique<antlr4::ListTokenSource>(std::move(kept));
  p->tokens = std::make_unique<antlr4::CommonTokenStream>(p->source.get());
  p->parser = std::make_unique<PlatParser>(p->tokens.get());
  p->parser->removeErrorListeners();
  p->parser->addErrorListener(&silent);

  auto invoke = [&]() -> antlr4::ParserRuleContext* {
    if (rule == EntryRule::File) return p->parser->file();
    return p->parser->interpolation();
  };

  // Stage 1: SLL prediction, bail out at the first error (fast for the common, correct input).
  auto* sim = p->parser->getInterpreter<antlr4::atn::ParserATNSimulator>();
  sim->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  p->parser->setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  std::size_t diags_before = ctx.diags.items().size();
  try {
    if (rule == EntryRule::File && on_item) {
      for (;;) {
        auto* item = p->parser->topLevelOrEnd();
        auto* top = item->topLevel();
        if (!top) break;  // EOF
        on_item(top);
        p->parser->getTreeTracker().reset();
      }
      p->parser->getTreeTracker().reset();
      return p;
    }
    p->tree = invoke();
    return p;
  } catch (const antlr4::ParseCancellationException&) {
  } catch (const antlr4::RecognitionException&) {
  }
  // Whatever the fast path reported about the items it built will be reported again.
  ctx.diags.items().resize(diags_before);
  if (on_restart) on_restart();

  // Stage 2: full LL with our recovering, plain-words error strategy.
  p->tokens->seek(0);
  p->parser->reset();
  sim->setPredictionMode(antlr4::atn::PredictionMode::LL);
  auto strategy = std::make_shared<RecoveringStrategy>(ctx);
  p->parser->setErrorHandler(strategy);
  try {
    p->tree = invoke();
  } catch (const antlr4::ParseCancellationException&) {
    // Too many errors: PlatErrorStrategy gave up. What was parsed so far is still useful.
    p->tree = strategy->root();
  }
  return p;
}

ParseResult parse_file(const SourceManager& sources, FileId id, const Limits& limits) {
  ParseResult result;
  result.file.id = id;
  const SourceFile& src = sources.file(id);
  ParseContext ctx{sources, id, limits, result.diags, 0, {}};

  if (src.text.size() > limits.max_file_bytes) {
    ctx.diags.report(DiagKind::FileTooLarge, SourceRange{id, 1, 1, 1, 1}, src.path, src.text.size(),
                     limits.max_file_bytes)
        .with_help("split the platform across several `.plat` files in the same directory");
    return result;
  }
  if (!check_bytes(ctx, src.text)) return result;

  auto p = run_antlr(
      ctx, src.text, 1, 0, EntryRule::File,
      [&](PlatParser::TopLevelContext* top) { build_top_level_ast(ctx, top, result.file); },
      [&] { result.file.items.clear(); });
  if (p && p->tree) {
    if (auto* file = dynamic_cast<PlatParser::FileContext*>(p->tree)) result.file = build_file_ast(ctx, file);
  }
  result.file.id = id;
  result.file.comments = std::move(ctx.comments);
  return result;
}

}  // namespace platc::parse
