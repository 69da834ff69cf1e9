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

bool opens(std::size_t type) {
  return type == PlatLexer::LBRACE || type == PlatLexer::LBRACK || type == PlatLexer::LPAREN;
}
bool closes(std::size_t type) {
  return type == PlatLexer::RBRACE || type == PlatLexer::RBRACK || type == PlatLexer::RPAREN;
}

}  // namespace

std::unique_ptr<AntlrParse> run_antlr(ParseContext& ctx, const std::string& text, std::size_t line,
                                      std::size_t col, EntryRule rule) {
  auto p = std::make_unique<AntlrParse>();
  p->input = std::make_unique<antlr4::ANTLRInputStream>(text);
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
    switch (type) {
      case PlatLexer::BAD_CHAR: {
        std::string s = t->getText();
        // A byte-order mark at the very start is harmless.
        if (s == "\xEF\xBB\xBF" && t->getTokenIndex() == 0 && line == 1) continue;
        std::string shown = s;
        if (s.size() == 1 && (static_cast<unsigned char>(s[0]) < 0x20 || s[0] == 0x7f))
          shown = fmt::format("\\u{{{:x}}}", static_cast<unsigned>(s[0]));
        auto& d = ctx.diags.report(DiagKind::UnexpectedCharacter, token_range(ctx.file, t.get()), shown);
        if (s == "'")
          d.with_help("strings are written in double quotes: \"text\"");
        else if (s == "\\")
          d.with_help("a backslash only starts an escape inside a string");
        continue;
      }
      case PlatLexer::COMMENT:
        ctx.comments.push_back({t->getText(), token_range(ctx.file, t.get())});
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
  try {
    p->tree = invoke();
    return p;
  } catch (const antlr4::ParseCancellationException&) {
  } catch (const antlr4::RecognitionException&) {
  }

  // Stage 2: full LL with our recovering, plain-words error strategy.
  p->tokens->seek(0);
  p->parser->reset();
  sim->setPredictionMode(antlr4::atn::PredictionMode::LL);
  p->parser->setErrorHandler(std::make_shared<PlatErrorStrategy>(ctx));
  try {
    p->tree = invoke();
  } catch (const antlr4::ParseCancellationException&) {
    // Too many errors: PlatErrorStrategy gave up. What was parsed so far is still useful.
    p->tree = p->parser->getContext();
    while (p->tree && p->tree->parent) p->tree = static_cast<antlr4::ParserRuleContext*>(p->tree->parent);
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

  auto p = run_antlr(ctx, src.text, 1, 0, EntryRule::File);
  if (p && p->tree) {
    if (auto* file = dynamic_cast<PlatParser::FileContext*>(p->tree)) result.file = build_file_ast(ctx, file);
  }
  result.file.id = id;
  result.file.comments = std::move(ctx.comments);
  return result;
}

}  // namespace platc::parse
