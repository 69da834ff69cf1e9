// Strings (docs/language.md §7): escapes, `${…}` interpolation with exact ranges, and the layout
// rules of multi-line strings. Parsed through the real parser.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/dump.h"
#include "compiler/diag/render.h"
#include "compiler/parse/parser.h"

using namespace platc;
using nlohmann::json;

namespace {

struct Parsed {
  SourceManager sm;
  parse::ParseResult r;

  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : r.diags.items()) out.emplace_back(d.code());
    return out;
  }
  std::string rendered() const {
    std::string out;
    for (const auto& d : r.diags.items()) out += render_human_one(d, sm, false);
    return out;
  }
  const Diagnostic& diag(std::size_t i) const { return r.diags.items().at(i); }
  // The value of the first attribute of the first block.
  const ast::Expr* value() const {
    if (r.file.items.empty()) return nullptr;
    const auto* b = std::get_if<std::unique_ptr<ast::Block>>(&r.file.items[0]);
    if (!b || (*b)->members.empty()) return nullptr;
    const auto* a = std::get_if<ast::Attribute>(&(*b)->members[0]);
    return a ? a->value.get() : nullptr;
  }
  const ast::StringLit* str() const {
    const ast::Expr* v = value();
    return v ? v->as<ast::StringLit>() : nullptr;
  }
};

// `source` is the whole file; the string is the first attribute's value.
std::unique_ptr<Parsed> parse_text(const std::string& source) {
  auto p = std::make_unique<Parsed>();
  FileId id = p->sm.add("s.plat", source);
  p->r = parse::parse_file(p->sm, id, {});
  return p;
}

// `x { v = <literal> }` on one line: the literal starts at column 9.
std::unique_ptr<Parsed> parse_lit(const std::string& literal) {
  return parse_text("x { v = " + literal + " }\n");
}

// The decoded value of a clean, interpolation-free string.
std::string decoded(const std::string& literal) {
  auto p = parse_lit(literal);
  INFO(literal << "\n" << p->rendered());
  CHECK(p->r.diags.empty());
  const ast::StringLit* s = p->str();
  REQUIRE(s);
  auto plain = s->plain();
  REQUIRE(plain.has_value());
  return *plain;
}

std::string at(const SourceRange& r) {
  return fmt::format("{}:{}-{}:{}", r.line, r.col, r.end_line, r.end_col);
}

}  // namespace

TEST_CASE("escapes decode") {
  CHECK(decoded(R"("a\nb")") == "a\nb");
  CHECK(decoded(R"("\t")") == "\t");
  CHECK(decoded(R"("\r")") == "\r");
  CHECK(decoded(R"("\\")") == "\\");
  CHECK(decoded(R"("\"")") == "\"");
  CHECK(decoded(R"("\$5")") == "$5");
  CHECK(decoded(R"("\u{1F600}")") == "\xF0\x9F\x98\x80");
  CHECK(decoded(R"("\u{41}")") == "A");
  CHECK(decoded(R"("\u{e9}")") == "\xC3\xA9");        // lower-case hex, 2 bytes
  CHECK(decoded(R"("\u{20AC}")") == "\xE2\x82\xAC");  // 3 bytes
  CHECK(decoded(R"("\u{000041}")") == "A");           // 6 digits
  CHECK(decoded(R"("\u{10FFFF}")") == "\xF4\x8F\xBF\xBF");
  CHECK(decoded(R"("\u{0}")") == std::string(1, '\0'));
  CHECK(decoded(R"("Tab\there, quote \", emoji \u{1F600}, cost \$5")") ==
        "Tab\there, quote \", emoji \xF0\x9F\x98\x80, cost $5");
  CHECK(decoded(R"("")") == "");
  CHECK(decoded("\"日本 ü\"") == "日本 ü");  // non-ASCII text appears literally
}

TEST_CASE("the raw text keeps the delimiters and escapes") {
  auto p = parse_lit(R"("a\n${b}")");
  REQUIRE(p->str());
  CHECK(p->str()->raw == R"("a\n${b}")");
  CHECK_FALSE(p->str()->multiline);
  CHECK_FALSE(p->str()->plain().has_value());
}

TEST_CASE("invalid escapes: E0205 on the two characters") {
  for (const char* esc : {"\\q", "\\0", "\\'", "\\a", "\\x"}) {
    CAPTURE(esc);
    auto p = parse_lit(std::string("\"ab") + esc + "cd\"");
    REQUIRE(p->codes() == std::vector<std::string>{"E0205"});
    CHECK(p->diag(0).message == fmt::format("unknown escape sequence `{}`", esc));
    CHECK(at(p->diag(0).primary) == "1:12-1:14");
  }
  SUBCASE("a non-ASCII character after the backslash is shown whole") {
    auto p = parse_lit("\"\\é\"");
    REQUIRE(p->codes() == std::vector<std::string>{"E0205"});
    CHECK(p->diag(0).message == "unknown escape sequence `\\é`");
    CHECK(at(p->diag(0).primary) == "1:10-1:12");
  }
  SUBCASE("decoding continues after the error") {
    auto p = parse_lit("\"\\q \\n \\z\"");
    CHECK(p->codes() == std::vector<std::string>{"E0205", "E0205"});
    CHECK(at(p->diag(1).primary) == "1:16-1:18");
  }
}

TEST_CASE("invalid unicode escapes: E0206") {
  struct Case {
    const char* lit;
    const char* shown;
    const char* where;
  };
  const Case cases[] = {
      {R"("\u{D800}")", R"(\u{D800})", "1:10-1:18"},
      {R"("\u{DFFF}")", R"(\u{DFFF})", "1:10-1:18"},
      {R"("\u{110000}")", R"(\u{110000})", "1:10-1:20"},
      {R"("\u{FFFFFF}")", R"(\u{FFFFFF})", "1:10-1:20"},
      {R"("\u{}")", R"(\u{})", "1:10-1:14"},
      {R"("\u{41")", R"(\u{41)", "1:10-1:15"},
      {R"("\u{4g}")", R"(\u{4)", "1:10-1:14"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.lit);
    auto p = parse_lit(c.lit);
    INFO(p->rendered());
    REQUIRE(p->codes() == std::vector<std::string>{"E0206"});
    // The reason after the colon is prose; the escape as written is fixed.
    CHECK(p->diag(0).message.rfind(fmt::format("invalid unicode escape `{}`: ", c.shown), 0) == 0);
    CHECK(at(p->diag(0).primary) == c.where);
  }
  SUBCASE("no brace after \\u") {
    auto p = parse_lit(R"("\u41")");
    REQUIRE(p->codes() == std::vector<std::string>{"E0206"});
    CHECK(p->diag(0).primary.col == 10);
  }
  SUBCASE("more than 6 digits") {
    auto p = parse_lit(R"("\u{1234567}")");
    REQUIRE(p->codes() == std::vector<std::string>{"E0206"});
    CHECK(p->diag(0).message.find("more than 6 hex digits") != std::string::npos);
    CHECK(p->diag(0).primary.col == 10);
  }
}

TEST_CASE("interpolation splits the string into parts") {
  auto p = parse_lit(R"("api.${env.domain}")");
  CHECK(p->r.diags.empty());
  const ast::StringLit* s = p->str();
  REQUIRE(s);
  REQUIRE(s->parts.size() == 2);
  CHECK(s->parts[0].text == "api.");
  CHECK(s->parts[0].expr == nullptr);
  CHECK(at(s->parts[0].range) == "1:10-1:14");
  REQUIRE(s->parts[1].expr);
  CHECK(at(s->parts[1].range) == "1:14-1:27");  // the whole `${…}`
  const auto* ref = s->parts[1].expr->as<ast::RefExpr>();
  REQUIRE(ref);
  CHECK(ref->dotted() == "env.domain");
  CHECK(at(s->parts[1].expr->range) == "1:16-1:26");
  CHECK(at(ref->path[0].range) == "1:16-1:19");
  CHECK(at(ref->path[1].range) == "1:20-1:26");
  CHECK(ref->path[0].range.file == p->value()->range.file);
  CHECK(at(p->value()->range) == "1:9-1:28");
}

TEST_CASE("several interpolations") {
  auto p = parse_lit(R"("postgres://${main.host}:${main.port}/app")");
  CHECK(p->r.diags.empty());
  CHECK(ast::dump(*p->value(), false) == json::parse(R"({"string":[
      "postgres://", {"interpolate":{"ref":["main","host"]}}, ":",
      {"interpolate":{"ref":["main","port"]}}, "/app"]})"));
  const auto& parts = p->str()->parts;
  REQUIRE(parts.size() == 5);
  CHECK(at(parts[1].expr->range) == "1:23-1:32");
  CHECK(at(parts[2].range) == "1:33-1:34");
  CHECK(at(parts[3].expr->range) == "1:36-1:45");

  SUBCASE("adjacent, at the start and at the end") {
    auto q = parse_lit(R"("${a}${b}")");
    CHECK(q->r.diags.empty());
    CHECK(ast::dump(*q->value(), false) ==
          json::parse(R"({"string":[{"interpolate":{"ref":["a"]}},{"interpolate":{"ref":["b"]}}]})"));
    CHECK(at(q->str()->parts[1].expr->range) == "1:16-1:17");
  }
  SUBCASE("any expression, with balanced braces") {
    auto q = parse_lit(R"("${ {a = 1} } ${f(x, n = 2)} ${1 .. 2}")");
    CHECK(q->r.diags.empty());
    CHECK(ast::dump(*q->value(), false) == json::parse(R"({"string":[
        {"interpolate":{"map":[{"key":"a","value":{"number":{"mantissa":1,"scale":0}}}]}}, " ",
        {"interpolate":{"call":"f","args":[{"value":{"ref":["x"]}},{"name":"n","value":{"number":{"mantissa":2,"scale":0}}}]}},
        " ",
        {"interpolate":{"range":[{"number":{"mantissa":1,"scale":0}},{"number":{"mantissa":2,"scale":0}}]}}]})"));
  }
  SUBCASE("after non-ASCII text the columns count code points") {
    auto q = parse_lit(R"("日本${x}")");
    CHECK(q->r.diags.empty());
    REQUIRE(q->str()->parts.size() == 2);
    CHECK(at(q->str()->parts[0].range) == "1:10-1:12");
    CHECK(at(q->str()->parts[1].expr->range) == "1:14-1:15");
  }
}

TEST_CASE("`\\${` and a lone `$` are literal") {
  CHECK(decoded(R"("\${x}")") == "${x}");
  CHECK(decoded(R"("$x $ cost$")") == "$x $ cost$");
  CHECK(decoded(R"("a\${b}\${")") == "a${b}${");
}

TEST_CASE("interpolation errors") {
  SUBCASE("unclosed: E0207 at the `${`") {
    auto p = parse_lit(R"("a${b")");
    REQUIRE(p->codes() == std::vector<std::string>{"E0207"});
    CHECK(at(p->diag(0).primary) == "1:11-1:13");
  }
  SUBCASE("empty: E0208 on the whole `${}`") {
    auto p = parse_lit(R"("a${}b")");
    REQUIRE(p->codes() == std::vector<std::string>{"E0208"});
    CHECK(at(p->diag(0).primary) == "1:11-1:14");
    auto q = parse_lit(R"("${  }")");
    REQUIRE(q->codes() == std::vector<std::string>{"E0208"});
    CHECK(at(q->diag(0).primary) == "1:10-1:15");
  }
  SUBCASE("a syntax error inside points into the string") {
    auto p = parse_lit(R"("${a b}")");
    REQUIRE_FALSE(p->r.diags.empty());
    CHECK(p->diag(0).primary.line == 1);
    CHECK(p->diag(0).primary.col == 14);
  }
  SUBCASE("a bad unit inside") {
    auto p = parse_lit(R"("${5Mb}")");
    REQUIRE(p->codes() == std::vector<std::string>{"E0201"});
    CHECK(at(p->diag(0).primary) == "1:13-1:15");
  }
}

TEST_CASE("multi-line strings: indentation, blank lines, final newline") {
  auto p = parse_text(
      "job report {\n"
      "  script = \"\"\"\n"
      "    echo \"report for ${env.name}\"\n"
      "      indented line\n"
      "\n"
      "  \n"
      "    done\n"
      "    \"\"\"\n"
      "}\n");
  INFO(p->rendered());
  CHECK(p->r.diags.empty());
  const ast::StringLit* s = p->str();
  REQUIRE(s);
  CHECK(s->multiline);
  CHECK(ast::dump(*p->value(), false) == json::parse(R"({"string":[
      "echo \"report for ", {"interpolate":{"ref":["env","name"]}}, "\"\n  indented line\n\n\ndone"]})"));
  REQUIRE(s->parts.size() == 3);
  CHECK(s->parts[0].range.line == 3);
  CHECK(s->parts[0].range.end_col == 22);
  CHECK(at(s->parts[1].range) == "3:22-3:33");
  CHECK(at(s->parts[1].expr->range) == "3:24-3:32");
  CHECK(at(p->value()->range) == "2:12-8:8");

  SUBCASE("no interpolation: plain() is the whole text") {
    auto q = parse_text("x {\n  v = \"\"\"\n    a\n      b\n    \"\"\"\n}\n");
    REQUIRE(q->str());
    CHECK(q->str()->plain() == "a\n  b");
  }
  SUBCASE("no indentation at all") {
    auto q = parse_text("x {\n  v = \"\"\"\nab\n cd\n\"\"\"\n}\n");
    REQUIRE(q->str());
    CHECK(q->str()->plain() == "ab\n cd");
  }
  SUBCASE("trailing spaces after the opening delimiter are ignored") {
    auto q = parse_text("x {\n  v = \"\"\"  \t\n    a\n    \"\"\"\n}\n");
    CHECK(q->r.diags.empty());
    CHECK(q->str()->plain() == "a");
  }
  SUBCASE("empty") {
    auto q = parse_text("x {\n  v = \"\"\"\n  \"\"\"\n}\n");
    CHECK(q->r.diags.empty());
    CHECK(q->str()->plain() == "");
  }
  SUBCASE("CRLF line breaks become \\n") {
    auto q = parse_text("x {\r\n  v = \"\"\"\r\n    p\r\n    q\r\n    \"\"\"\r\n}\r\n");
    CHECK(q->r.diags.empty());
    CHECK(q->str()->plain() == "p\nq");
  }
  SUBCASE("tab indentation is removed character for character") {
    auto q = parse_text("x {\n\tv = \"\"\"\n\t\tt\n\t\t\t u\n\t\t\"\"\"\n}\n");
    CHECK(q->r.diags.empty());
    CHECK(q->str()->plain() == "t\n\t u");
  }
  SUBCASE("escapes work, quotes may appear") {
    auto q = parse_text("x {\n  v = \"\"\"\n    a\\tb \"q\" \"\"two\"\" \\\"\"\"\n    \\u{41}\n    \"\"\"\n}\n");
    INFO(q->rendered());
    CHECK(q->r.diags.empty());
    REQUIRE(q->str());
    CHECK(q->str()->plain() == "a\tb \"q\" \"\"two\"\" \"\"\"\nA");
  }
  SUBCASE("text may follow the closing delimiter") {
    auto q = parse_text("x {\n  v = \"\"\"\n    a\n    \"\"\" n = 1\n}\n");
    CHECK(q->r.diags.empty());
    CHECK(q->str()->plain() == "a");
  }
}

TEST_CASE("multi-line string errors") {
  SUBCASE("E0211: a line indented less than the closing delimiter") {
    auto p = parse_text("x {\n  v = \"\"\"\n    a\n  b\n    \"\"\"\n}\n");
    REQUIRE(p->codes() == std::vector<std::string>{"E0211"});
    CHECK(p->diag(0).primary.line == 4);
    CHECK(p->diag(0).primary.col == 1);
    REQUIRE(p->diag(0).secondary.size() == 1);
    CHECK(at(p->diag(0).secondary[0].range) == "5:5-5:8");
  }
  SUBCASE("E0211: tabs and spaces do not mix") {
    auto p = parse_text("x {\n  v = \"\"\"\n\ta\n  \"\"\"\n}\n");
    CHECK(p->codes() == std::vector<std::string>{"E0211"});
  }
  SUBCASE("E0209: text after the opening delimiter") {
    auto p = parse_text("x {\n  v = \"\"\" text\n  \"\"\"\n}\n");
    REQUIRE(p->codes() == std::vector<std::string>{"E0209"});
    CHECK(p->diag(0).primary.line == 2);
    CHECK(p->diag(0).primary.col == 11);  // the text
  }
  SUBCASE("E0209: all on one line") {
    auto p = parse_text("x { v = \"\"\"a\"\"\" }\n");
    CHECK(p->codes() == std::vector<std::string>{"E0209"});
  }
  SUBCASE("E0210: text before the closing delimiter") {
    auto p = parse_text("x {\n  v = \"\"\"\n    ok\n    x\"\"\"\n}\n");
    REQUIRE(p->codes() == std::vector<std::string>{"E0210"});
    CHECK(at(p->diag(0).primary) == "4:6-4:9");
  }
  SUBCASE("E0006: never closed") {
    auto p = parse_text("x {\n  v = \"\"\"\n    a\n");
    REQUIRE_FALSE(p->r.diags.empty());
    CHECK(p->diag(0).code() == "E0006");
    CHECK(at(p->diag(0).primary) == "2:7-2:10");
  }
  SUBCASE("E0005: a single-line string ends at the line break") {
    auto p = parse_text("x {\n  v = \"abc\n  w = 1\n}\n");
    REQUIRE_FALSE(p->r.diags.empty());
    CHECK(p->diag(0).code() == "E0005");
    CHECK(at(p->diag(0).primary) == "2:7-2:11");
  }
}

// Regression: the decoder kept a line-final backslash as text (docs/language.md §7.3).
TEST_CASE("a backslash at the end of a multi-line string's line is E0205") {
  auto p = parse_text("x {\n  v = \"\"\"\n    x\\\n    y\n    \"\"\"\n}\n");
  INFO(p->rendered());
  REQUIRE(p->codes() == std::vector<std::string>{"E0205"});
  CHECK(p->diag(0).primary.line == 3);
  CHECK(p->diag(0).primary.col == 6);
}
