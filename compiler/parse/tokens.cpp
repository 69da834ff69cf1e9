// Token positions and how messages name tokens.
#include <fmt/format.h>

#include "compiler/parse/internal.h"
#include "compiler/source/utf8.h"

namespace platc::parse {

SourceRange token_range(FileId file, const antlr4::Token* t) {
  SourceRange r;
  r.file = file;
  r.line = static_cast<std::uint32_t>(t->getLine());
  r.col = static_cast<std::uint32_t>(t->getCharPositionInLine()) + 1;
  if (t->getType() == antlr4::Token::EOF) {
    r.end_line = r.line;
    r.end_col = r.col + 1;
    return r;
  }
  // Only multi-line strings span lines; for every other token the end column follows from the
  // token's code-point interval, without turning its text back into UTF-8 (a hot path).
  std::size_t type = t->getType();
  if (type != PlatLexer::MULTILINE_STRING && type != PlatLexer::UNTERMINATED_MULTILINE &&
      t->getStopIndex() != static_cast<size_t>(-1) && t->getStopIndex() >= t->getStartIndex()) {
    r.end_line = r.line;
    r.end_col = r.col + static_cast<std::uint32_t>(t->getStopIndex() - t->getStartIndex() + 1);
    return r;
  }
  std::string text = t->getText();
  std::uint32_t line = r.line, col = r.col;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      col = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col;
    }
  }
  r.end_line = line;
  r.end_col = col;
  if (r.end_line == r.line && r.end_col == r.col) r.end_col = r.col + 1;
  return r;
}

SourceRange after_token(FileId file, const antlr4::Token* t) {
  SourceRange r = token_range(file, t);
  if (t->getType() == antlr4::Token::EOF) return r;
  return SourceRange{file, r.end_line, r.end_col, r.end_line, r.end_col + 1};
}

SourceRange insertion_after(FileId file, const antlr4::Token* t) {
  SourceRange r = after_token(file, t);
  r.end_col = r.col;
  return r;
}

SourceRange context_range(FileId file, antlr4::ParserRuleContext* ctx) {
  SourceRange begin = token_range(file, ctx->getStart());
  const antlr4::Token* stop = ctx->getStop();
  if (!stop || stop->getTokenIndex() < ctx->getStart()->getTokenIndex() ||
      stop->getType() == antlr4::Token::EOF)
    return begin;
  return SourceRange::cover(begin, token_range(file, stop));
}

namespace {
std::string shorten(std::string s) {
  if (utf8::count_code_points(s) <= 30) return s;
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size() && n < 27; ++n) {
    std::size_t len = utf8::sequence_length(s, i);
    if (len == 0) len = 1;
    out.append(s, i, len);
    i += len;
  }
  return out + "…";
}
}  // namespace

std::string describe_token(const antlr4::Token* t) {
  std::size_t type = t->getType();
  if (type == antlr4::Token::EOF) return "end of file";
  std::string text = t->getText();
  switch (type) {
    case PlatLexer::IDENT:
      return fmt::format("name `{}`", shorten(text));
    case PlatLexer::NUMBER:
      return fmt::format("number `{}`", text);
    case PlatLexer::QUANTITY:
      return fmt::format("quantity `{}`", text);
    case PlatLexer::VERSION:
      return fmt::format("version `{}`", text);
    case PlatLexer::STRING:
    case PlatLexer::UNTERMINATED_STRING:
      return fmt::format("string `{}`", shorten(text));
    case PlatLexer::MULTILINE_STRING:
    case PlatLexer::UNTERMINATED_MULTILINE:
      return "multi-line string";
    case PlatLexer::IMPORT:
    case PlatLexer::AS:
    case PlatLexer::ON:
    case PlatLexer::TRUE:
    case PlatLexer::FALSE:
      return fmt::format("keyword `{}`", text);
    default:
      return fmt::format("`{}`", shorten(text));
  }
}

std::string describe_token_type(std::size_t type) {
  switch (type) {
    case antlr4::Token::EOF:
      return "end of file";
    case PlatLexer::IDENT:
      return "a name";
    case PlatLexer::NUMBER:
      return "a number";
    case PlatLexer::QUANTITY:
      return "a quantity";
    case PlatLexer::VERSION:
      return "a version";
    case PlatLexer::STRING:
      return "a string";
    case PlatLexer::IMPORT: return "`import`";
    case PlatLexer::AS: return "`as`";
    case PlatLexer::ON: return "`on`";
    case PlatLexer::TRUE: return "`true`";
    case PlatLexer::FALSE: return "`false`";
    case PlatLexer::ARROW: return "`->`";
    case PlatLexer::DOTDOT: return "`..`";
    case PlatLexer::GE: return "`>=`";
    case PlatLexer::LE: return "`<=`";
    case PlatLexer::EQEQ: return "`==`";
    case PlatLexer::NE: return "`!=`";
    case PlatLexer::GT: return "`>`";
    case PlatLexer::LT: return "`<`";
    case PlatLexer::ASSIGN: return "`=`";
    case PlatLexer::MINUS: return "`-`";
    case PlatLexer::DOT: return "`.`";
    case PlatLexer::COMMA: return "`,`";
    case PlatLexer::SEMI: return "`;`";
    case PlatLexer::LBRACE: return "`{`";
    case PlatLexer::RBRACE: return "`}`";
    case PlatLexer::LBRACK: return "`[`";
    case PlatLexer::RBRACK: return "`]`";
    case PlatLexer::LPAREN: return "`(`";
    case PlatLexer::RPAREN: return "`)`";
    default:
      return "a value";
  }
}

}  // namespace platc::parse
