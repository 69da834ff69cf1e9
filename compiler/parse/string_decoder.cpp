// String literals: escapes, `${…}` interpolation (parsed as an expression in place, with exact
// positions), and the layout rules of multi-line strings.
#include <fmt/format.h>

#include "compiler/parse/internal.h"
#include "compiler/source/utf8.h"

namespace platc::parse {
namespace {

class Decoder {
 public:
  Decoder(ParseContext& ctx, ast::StringLit& out) : ctx_(ctx), out_(out) {}

  // Decodes one run of string content that starts at (line, col) and contains no newline.
  void segment(std::string_view s, std::uint32_t line, std::uint32_t col) {
    std::size_t i = 0;
    std::uint32_t c = col;
    auto range_at = [&](std::uint32_t from, std::uint32_t to) { return SourceRange{ctx_.file, line, from, line, to}; };
    while (i < s.size()) {
      char ch = s[i];
      if (ch == '\\' && i + 1 < s.size()) {
        char e = s[i + 1];
        std::size_t used = 2;
        switch (e) {
          case 'n': text_ += '\n'; break;
          case 't': text_ += '\t'; break;
          case 'r': text_ += '\r'; break;
          case '\\': text_ += '\\'; break;
          case '"': text_ += '"'; break;
          case '$': text_ += '$'; break;
          case 'u': used = unicode_escape(s, i, line, c); break;
          default: {
            std::size_t len = utf8::sequence_length(s, i + 1);
            if (len == 0) len = 1;
            std::string shown = "\\" + std::string(s.substr(i + 1, len));
            ctx_.diags.report(DiagKind::InvalidEscape, range_at(c, c + 2), shown)
                .label("unknown escape")
                .with_help("the escapes are \\n \\t \\r \\\\ \\\" \\$ and \\u{…}; write `\\\\` for a backslash");
            used = 1 + len;
          }
        }
        c += static_cast<std::uint32_t>(utf8::count_code_points(s.substr(i, used)));
        i += used;
        continue;
      }
      if (ch == '$' && i + 1 < s.size() && s[i + 1] == '{') {
        std::size_t depth = 0, j = i + 2;
        for (; j < s.size(); ++j) {
          if (s[j] == '{') ++depth;
          else if (s[j] == '}') {
            if (depth == 0) break;
            --depth;
          }
        }
        if (j >= s.size()) {
          ctx_.diags.report(DiagKind::UnclosedInterpolation, range_at(c, c + 2))
              .label("opened here")
              .with_help("close it with `}`, or write `\\${` for a literal `${`");
          text_.append(s.substr(i));
          return;
        }
        std::string_view inner = s.substr(i + 2, j - i - 2);
        std::uint32_t inner_col = c + 2;
        std::uint32_t end_col = inner_col + static_cast<std::uint32_t>(utf8::count_code_points(inner)) + 1;
        SourceRange whole = range_at(c, end_col);
        if (inner.find_first_not_of(" \t") == std::string_view::npos) {
          ctx_.diags.report(DiagKind::EmptyInterpolation, whole).label("nothing to interpolate");
        } else {
          flush(line, c);
          auto p = run_antlr(ctx_, std::string(inner), line, inner_col - 1, EntryRule::Interpolation);
          ast::ExprPtr e;
          if (p && p->tree) {
            if (auto* t = dynamic_cast<PlatParser::InterpolationContext*>(p->tree); t && t->expr())
              e = build_expr_ast(ctx_, t->expr());
          }
          if (e) {
            ast::StringPart part;
            part.expr = std::move(e);
            part.range = whole;
            out_.parts.push_back(std::move(part));
          }
        }
        i = j + 1;
        c = end_col;
        text_start_ = {line, c};
        continue;
      }
      std::size_t len = utf8::sequence_length(s, i);
      if (len == 0) len = 1;
      text_.append(s.substr(i, len));
      i += len;
      ++c;
    }
  }

  void newline() { text_ += '\n'; }

  void finish(std::uint32_t line, std::uint32_t col) {
    flush(line, col);
    if (out_.parts.empty()) out_.parts.push_back(ast::StringPart{"", nullptr, SourceRange{ctx_.file, line, col, line, col}});
  }

  void start(std::uint32_t line, std::uint32_t col) { text_start_ = {line, col}; }

 private:
  std::size_t unicode_escape(std::string_view s, std::size_t i, std::uint32_t line, std::uint32_t col) {
    // \u{1F600}: 1 to 6 hex digits naming a Unicode scalar value.
    std::size_t j = i + 2;
    auto fail = [&](std::size_t end, const char* why) {
      std::string shown(s.substr(i, end - i));
      ctx_.diags.report(DiagKind::InvalidUnicodeEscape,
                        SourceRange{ctx_.file, line, col, line,
                                    col + static_cast<std::uint32_t>(utf8::count_code_points(shown))},
                        shown, why)
          .label("invalid escape")
          .with_help("write \\u{…} with 1 to 6 hex digits, e.g. \\u{1F600}");
      return end - i;
    };
    if (j >= s.size() || s[j] != '{') return fail(j, "expected `{` after `\\u`");
    std::size_t k = j + 1;
    char32_t cp = 0;
    std::size_t digits = 0;
    while (k < s.size() && std::isxdigit(static_cast<unsigned char>(s[k]))) {
      cp = cp * 16 + static_cast<char32_t>(std::stoi(std::string(1, s[k]), nullptr, 16));
      if (++digits > 6) break;
      ++k;
    }
    if (digits > 6) return fail(k + 1, "more than 6 hex digits");
    if (k >= s.size() || s[k] != '}') return fail(k, "expected `}` after the hex digits");
    if (digits == 0) return fail(k + 1, "no hex digits");
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail(k + 1, "not a Unicode scalar value");
    utf8::append(text_, cp);
    return k + 1 - i;
  }

  void flush(std::uint32_t line, std::uint32_t col) {
    if (text_.empty()) return;
    ast::StringPart part;
    part.text = std::move(text_);
    part.range = SourceRange{ctx_.file, text_start_.first, text_start_.second, line, col};
    out_.parts.push_back(std::move(part));
    text_.clear();
  }

  ParseContext& ctx_;
  ast::StringLit& out_;
  std::string text_;
  std::pair<std::uint32_t, std::uint32_t> text_start_{0, 0};
};

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

ast::StringLit decode_string(ParseContext& ctx, const antlr4::Token* token) {
  ast::StringLit out;
  out.raw = token->getText();
  SourceRange r = token_range(ctx.file, token);
  Decoder dec(ctx, out);
  const std::string& raw = out.raw;

  if (token->getType() != PlatLexer::MULTILINE_STRING) {
    out.multiline = false;
    std::string_view content(raw);
    content = content.substr(1, content.size() >= 2 ? content.size() - 2 : 0);
    dec.start(r.line, r.col + 1);
    dec.segment(content, r.line, r.col + 1);
    dec.finish(r.end_line, r.end_col - 1);
    return out;
  }

  out.multiline = true;
  std::string_view body(raw);
  body = body.substr(3, body.size() - 6);
  // Split into lines; the first is what follows the opening delimiter on its own line.
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0;;) {
    std::size_t nl = body.find('\n', pos);
    lines.push_back(body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  for (auto& l : lines)
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);

  if (lines.size() < 2 || !blank(lines.front())) {
    SourceRange at{ctx.file, r.line, r.col + 3, r.line,
                   r.col + 3 + static_cast<std::uint32_t>(utf8::count_code_points(lines.front())) + 1};
    ctx.diags.report(DiagKind::MultilineStringStart, at)
        .label("text on the opening line")
        .with_help("start the text on the next line, or use a \"single-line string\"");
    out.parts.push_back(ast::StringPart{"", nullptr, r});
    return out;
  }
  std::string_view closing = lines.back();
  if (!blank(closing)) {
    SourceRange at{ctx.file, r.end_line, r.end_col - 3, r.end_line, r.end_col};
    ctx.diags.report(DiagKind::MultilineStringEnd, at)
        .label("text before the closing delimiter")
        .with_help("put the closing `\"\"\"` on a line of its own");
    out.parts.push_back(ast::StringPart{"", nullptr, r});
    return out;
  }
  std::string_view indent = closing;

  dec.start(r.line + 1, 1);
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    std::uint32_t line = r.line + static_cast<std::uint32_t>(i);
    std::string_view l = lines[i];
    if (i > 1) dec.newline();
    if (blank(l)) continue;
    if (l.substr(0, indent.size()) != indent) {
      std::size_t ws = l.find_first_not_of(" \t");
      ctx.diags.report(DiagKind::MultilineStringIndent,
                       SourceRange{ctx.file, line, 1, line, static_cast<std::uint32_t>(ws) + 2})
          .label("less indented than the closing `\"\"\"`")
          .also(SourceRange{ctx.file, r.end_line, r.end_col - 3, r.end_line, r.end_col}, "closing delimiter")
          .with_help("indent every line at least as far as the closing `\"\"\"`");
      continue;
    }
    dec.segment(l.substr(indent.size()), line, static_cast<std::uint32_t>(indent.size()) + 1);
  }
  dec.finish(r.end_line, r.end_col);
  return out;
}

}  // namespace platc::parse
