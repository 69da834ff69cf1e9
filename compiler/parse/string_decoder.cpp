// String literals: escapes, `${…}` interpolation (parsed as an expression in place, with exact
// positions), and the layout rules of multi-line strings.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

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
      if (ch == '\\' && i + 1 == s.size()) {
        // Only a multi-line string has lines that end inside it; there is no line continuation.
        ctx_.diags.report(DiagKind::InvalidEscape, range_at(c, c + 1), "\\")
            .label("a backslash at the end of the line")
            .with_help("lines cannot be continued with `\\`: remove it, or write `\\\\` for a backslash");
        ++i;
        ++c;
        continue;
      }
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
          ctx_.diags.report(DiagKind::EmptyInterpolation, whole)
              .label("nothing to interpolate")
              .with_help(
                  "put an expression between the braces, as in `${env.domain}`, or write `\\${` for a literal `${`");
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
    if (j >= s.size() || s[j] != '{') {
      // `\u00e9`, as other languages write it: offer the braces.
      std::size_t k = j;
      while (k < s.size() && k - j < 6 && std::isxdigit(static_cast<unsigned char>(s[k]))) ++k;
      std::size_t kept = ctx_.diags.items().size();
      std::size_t used = fail(k > j ? k : j, "expected `{` after `\\u`");
      if (k - j >= 4 && ctx_.diags.items().size() > kept) {  // kept, not only counted
        auto& d = ctx_.diags.items().back();
        std::string hex(s.substr(j, k - j));
        d.with_help(fmt::format("write the code point in braces: `\\u{{{}}}`", hex))
            .fix(d.primary, fmt::format("\\u{{{}}}", hex));
      }
      return used;
    }
    std::size_t k = j + 1;
    char32_t cp = 0;
    std::size_t digits = 0;
    while (k < s.size() && std::isxdigit(static_cast<unsigned char>(s[k]))) {
      cp = cp * 16 + static_cast<char32_t>(std::stoi(std::string(1, s[k]), nullptr, 16));
      if (++digits > 6) break;
      ++k;
    }
    if (digits > 6) {
      // Show the whole escape, up to its `}` when there is one.
      while (k < s.size() && std::isxdigit(static_cast<unsigned char>(s[k]))) ++k;
      return fail(k < s.size() && s[k] == '}' ? k + 1 : k, "more than 6 hex digits");
    }
    if (k >= s.size() || s[k] != '}') {
      std::size_t kept = ctx_.diags.items().size();
      std::size_t used = fail(k, "expected `}` after the hex digits");
      if (digits > 0 && ctx_.diags.items().size() > kept) {  // kept, not only counted
        auto& d = ctx_.diags.items().back();
        SourceRange end = d.primary;
        end.col = end.end_col;
        d.with_help("close the escape with `}`").fix(end, "}");
      }
      return used;
    }
    if (digits == 0) return fail(k + 1, "no hex digits");
    if (cp > 0x10FFFF) return fail(k + 1, "beyond 10FFFF, the last Unicode code point");
    if (cp >= 0xD800 && cp <= 0xDFFF) return fail(k + 1, "D800 to DFFF are UTF-16 surrogates, not characters");
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

// "4 spaces", "1 tab", "1 tab and 2 spaces".
std::string describe_indent(std::string_view ws) {
  std::size_t tabs = 0, spaces = 0;
  for (char c : ws) (c == '\t' ? tabs : spaces)++;
  auto part = [](std::size_t n, const char* what) { return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s"); };
  if (tabs && spaces) return part(tabs, "tab") + " and " + part(spaces, "space");
  if (tabs) return part(tabs, "tab");
  return part(spaces, "space");
}

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
    std::string_view text = lines.front();
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    std::size_t lead = text.find_first_not_of(" \t");
    if (lead == std::string_view::npos) lead = 0;
    std::uint32_t from = r.col + 3 + static_cast<std::uint32_t>(lead);
    SourceRange at{
        ctx.file, r.line, from, r.line,
        from + std::max<std::uint32_t>(1, static_cast<std::uint32_t>(utf8::count_code_points(text.substr(lead))))};
    auto& d = ctx.diags.report(DiagKind::MultilineStringStart, at).label("text on the opening line");
    if (lines.size() == 1 && text.find('"') == std::string_view::npos && text.find('\\') == std::string_view::npos) {
      // """one line""": that is what a single-line string is for.
      d.with_help("for text on one line, use a single-line string").fix(r, "\"" + std::string(text) + "\"");
    } else {
      d.with_help("start the text on the next line, or use a \"single-line string\"");
    }
    out.parts.push_back(ast::StringPart{"", nullptr, r});
    return out;
  }
  std::string_view closing = lines.back();
  if (!blank(closing)) {
    SourceRange at{ctx.file, r.end_line, r.end_col - 3, r.end_line, r.end_col};
    ctx.diags.report(DiagKind::MultilineStringEnd, at)
        .label("text before it on the same line")
        .with_help("put the closing `\"\"\"` on a line of its own, indented no further than the text");
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
      std::string_view mine = l.substr(0, ws);
      // Point at the indentation itself (or at the first character when there is none).
      SourceRange at{ctx.file, line, 1, line, static_cast<std::uint32_t>(ws == 0 ? 2 : ws + 1)};
      auto& d = ctx.diags.report(DiagKind::MultilineStringIndent, at)
                    .label(ws == 0 ? "not indented" : "indented by " + describe_indent(mine))
                    .also(SourceRange{ctx.file, r.end_line, r.end_col - 3, r.end_line, r.end_col},
                          "the closing `\"\"\"` is indented by " + describe_indent(indent))
                    .with_help(
                        "indent every line at least as far as the closing `\"\"\"`, or move the closing `\"\"\"` left");
      bool tabs_here = mine.find('\t') != std::string_view::npos,
           tabs_there = indent.find('\t') != std::string_view::npos;
      bool spaces_here = mine.find(' ') != std::string_view::npos,
           spaces_there = indent.find(' ') != std::string_view::npos;
      if ((tabs_here || tabs_there) && (tabs_here != tabs_there || spaces_here != spaces_there))
        d.note("indentation is compared character by character: a tab is not the same as spaces");
      continue;
    }
    dec.segment(l.substr(indent.size()), line, static_cast<std::uint32_t>(indent.size()) + 1);
  }
  dec.finish(r.end_line, r.end_col);
  return out;
}

}  // namespace platc::parse
