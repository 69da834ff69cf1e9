// The parser: source text → AST (compiler/parse/parser.h), checked through ast::dump and by walking
// the tree. The rules are those of docs/language.md; positions are 1-based, columns count code
// points, ends are exclusive.
#include "compiler/parse/parser.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/dump.h"
#include "compiler/diag/render.h"

using namespace platc;
using nlohmann::json;

namespace {

struct Parsed {
  SourceManager sm;
  FileId id = kNoFile;
  parse::ParseResult r;

  json ast() const { return ast::dump(r.file, false); }
  json ast_ranges() const { return ast::dump(r.file, true); }
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
  const ast::Block& block(std::size_t i) const { return *std::get<std::unique_ptr<ast::Block>>(r.file.items.at(i)); }
};

std::unique_ptr<Parsed> parse_text(std::string text, const parse::Limits& limits = {}) {
  auto p = std::make_unique<Parsed>();
  p->id = p->sm.add("t.plat", std::move(text));
  p->r = parse::parse_file(p->sm, p->id, limits);
  return p;
}

// The value of `v = <expr>` inside a block, without ranges. The parse must be clean.
json value_of(const std::string& expr) {
  auto p = parse_text("x { v = " + expr + " }\n");
  INFO("expression: " << expr << "\n" << p->rendered());
  CHECK(p->r.diags.empty());
  json j = p->ast();
  if (j["items"].size() != 1 || j["items"][0]["members"].size() != 1) return j;
  return j["items"][0]["members"][0]["value"];
}

// The first attribute's value expression of the first block.
const ast::Expr& first_value(const Parsed& p) {
  return *std::get<ast::Attribute>(p.block(0).members.at(0)).value;
}

std::string at(const SourceRange& r) {
  return fmt::format("{}:{}-{}:{}", r.line, r.col, r.end_line, r.end_col);
}

json ref(std::initializer_list<const char*> path) {
  json a = json::array();
  for (auto* p : path) a.push_back(p);
  return json{{"ref", a}};
}
json num(std::int64_t m, unsigned scale = 0) {
  return json{{"number", {{"mantissa", m}, {"scale", scale}}}};
}
json str(const char* s) {
  return json{{"string", {s}}};
}

}  // namespace

TEST_CASE("blocks with and without names") {
  auto p = parse_text("pipeline { }\nservice api { }\n");
  CHECK(p->r.diags.empty());
  CHECK(p->ast() == json::parse(R"({"items":[
      {"block":"pipeline","members":[]},
      {"block":"service","name":"api","members":[]}]})"));
  CHECK(p->block(0).title() == "pipeline");
  CHECK(p->block(1).title() == "service api");
  CHECK_FALSE(p->block(0).name.has_value());
  CHECK(p->r.file.id == p->id);
}

TEST_CASE("nested blocks") {
  auto p = parse_text(R"(service api {
  health { liveness = "/healthz"  readiness = "/ready" }
  sidecar proxy { image = "envoy:1.29" nested { deep = true } }
})");
  CHECK(p->r.diags.empty());
  CHECK(p->ast() == json::parse(R"({"items":[{"block":"service","name":"api","members":[
      {"block":"health","members":[
         {"attribute":"liveness","value":{"string":["/healthz"]}},
         {"attribute":"readiness","value":{"string":["/ready"]}}]},
      {"block":"sidecar","name":"proxy","members":[
         {"attribute":"image","value":{"string":["envoy:1.29"]}},
         {"block":"nested","members":[{"attribute":"deep","value":{"bool":true}}]}]}]}]})"));
}

TEST_CASE("overlays with one and several environments") {
  auto p = parse_text(R"(database main {
  size = medium
  on production { size = large  high_availability = true }
  on staging, production {
    backup { retention = 30d }
    on staging { x = 1 }
  }
})");
  CHECK(p->r.diags.empty());
  CHECK(p->ast() == json::parse(R"({"items":[{"block":"database","name":"main","members":[
      {"attribute":"size","value":{"ref":["medium"]}},
      {"on":["production"],"members":[
         {"attribute":"size","value":{"ref":["large"]}},
         {"attribute":"high_availability","value":{"bool":true}}]},
      {"on":["staging","production"],"members":[
         {"block":"backup","members":[{"attribute":"retention","value":{"quantity":"30d","seconds":2592000}}]},
         {"on":["staging"],"members":[{"attribute":"x","value":{"number":{"mantissa":1,"scale":0}}}]}]}]}]})"));
  const auto& ov = *std::get<std::unique_ptr<ast::Overlay>>(p->block(0).members.at(2));
  REQUIRE(ov.environments.size() == 2);
  CHECK(at(ov.on_keyword) == "4:3-4:5");
  CHECK(at(ov.environments[0].range) == "4:6-4:13");
  CHECK(at(ov.environments[1].range) == "4:15-4:25");
  CHECK(at(ov.range) == "4:3-7:4");
}

TEST_CASE("attribute keys: identifiers, quoted strings and keywords") {
  auto p = parse_text(R"(pipeline {
  "LEGACY.SETTING" = "on"
  on = push(main)
  import = 1
  as = 2
  cost-center = "cc"
})");
  CHECK(p->r.diags.empty());
  CHECK(p->ast() == json::parse(R"({"items":[{"block":"pipeline","members":[
      {"attribute":"LEGACY.SETTING","value":{"string":["on"]}},
      {"attribute":"on","value":{"call":"push","args":[{"value":{"ref":["main"]}}]}},
      {"attribute":"import","value":{"number":{"mantissa":1,"scale":0}}},
      {"attribute":"as","value":{"number":{"mantissa":2,"scale":0}}},
      {"attribute":"cost-center","value":{"string":["cc"]}}]}]})"));
  const auto& members = p->block(0).members;
  const auto& quoted = std::get<ast::Attribute>(members.at(0));
  CHECK(quoted.quoted_key);
  CHECK(quoted.key.name == "LEGACY.SETTING");
  CHECK(at(quoted.key.range) == "2:3-2:19");
  CHECK(at(quoted.range) == "2:3-2:26");
  CHECK_FALSE(std::get<ast::Attribute>(members.at(1)).quoted_key);
}

TEST_CASE("maps") {
  CHECK(value_of(R"({ team = "platform", cost-center = "cc-4012", "k.2" = "v" })") == json::parse(R"({"map":[
      {"key":"team","value":{"string":["platform"]}},
      {"key":"cost-center","value":{"string":["cc-4012"]}},
      {"key":"k.2","value":{"string":["v"]}}]})"));
  CHECK(value_of("{ cpu = 2; memory = 4Gi; }") == json::parse(R"({"map":[
      {"key":"cpu","value":{"number":{"mantissa":2,"scale":0}}},
      {"key":"memory","value":{"quantity":"4Gi","bytes":4294967296}}]})"));
  CHECK(value_of("{ a = 1  b = { c = [] } }") == json::parse(R"({"map":[
      {"key":"a","value":{"number":{"mantissa":1,"scale":0}}},
      {"key":"b","value":{"map":[{"key":"c","value":{"list":[]}}]}}]})"));
  CHECK(value_of("{}") == json::parse(R"({"map":[]})"));

  auto p = parse_text(R"(x { m = { "a b" = 1, on = 2 } })");
  const auto* map = first_value(*p).as<ast::MapExpr>();
  REQUIRE(map);
  REQUIRE(map->entries.size() == 2);
  CHECK(map->entries[0].quoted);
  CHECK(map->entries[0].key.name == "a b");
  CHECK(at(map->entries[0].range) == "1:11-1:20");
  CHECK_FALSE(map->entries[1].quoted);
  CHECK(map->entries[1].key.name == "on");
}

TEST_CASE("lists") {
  CHECK(value_of(R"(["python", "-m", "collectors.sec",])") ==
        json::parse(R"({"list":[{"string":["python"]},{"string":["-m"]},{"string":["collectors.sec"]}]})"));
  CHECK(value_of("[]") == json::parse(R"({"list":[]})"));
  CHECK(value_of("[aws]") == json{{"list", {ref({"aws"})}}});
  CHECK(value_of("[[1], [2, 3]]") == json{{"list", {json{{"list", {num(1)}}}, json{{"list", {num(2), num(3)}}}}}});
}

TEST_CASE("calls with positional and named arguments") {
  CHECK(value_of(R"(build("./backend", dockerfile = "Dockerfile.prod",))") == json::parse(R"({"call":"build","args":[
      {"value":{"string":["./backend"]}},
      {"name":"dockerfile","value":{"string":["Dockerfile.prod"]}}]})"));
  CHECK(value_of("f()") == json::parse(R"({"call":"f","args":[]})"));
  CHECK(value_of("trivy(severity >= high)") == json::parse(R"({"call":"trivy","args":[
      {"value":{"compare":">=","lhs":{"ref":["severity"]},"rhs":{"ref":["high"]}}}]})"));
  // Keywords may be callees and argument names.
  CHECK(value_of("on(as = 1)") ==
        json::parse(R"({"call":"on","args":[{"name":"as","value":{"number":{"mantissa":1,"scale":0}}}]})"));
}

TEST_CASE("engine pairs keep the version as written") {
  CHECK(value_of("postgres 15") == json::parse(R"({"engine":"postgres","version":"15"})"));
  CHECK(value_of("redis 7.2") == json::parse(R"({"engine":"redis","version":"7.2"})"));
  CHECK(value_of("redis 7.10") == json::parse(R"({"engine":"redis","version":"7.10"})"));
  CHECK(value_of("kafka 3.6.1") == json::parse(R"({"engine":"kafka","version":"3.6.1"})"));
  // A bare name is a reference.
  CHECK(value_of("postgres") == ref({"postgres"}));

  auto p = parse_text("x { e = postgres 15 }");
  const auto* e = first_value(*p).as<ast::EngineLit>();
  REQUIRE(e);
  CHECK(at(e->engine.range) == "1:9-1:17");
  CHECK(at(e->version_range) == "1:18-1:20");
  CHECK(at(first_value(*p).range) == "1:9-1:20");
}

TEST_CASE("versions and two-part numbers") {
  CHECK(value_of("7.2.4") == json::parse(R"({"version":"7.2.4"})"));
  CHECK(value_of("2024.01.15.3") == json::parse(R"({"version":"2024.01.15.3"})"));
  CHECK(value_of("15.4") == num(154, 1));
  CHECK(value_of("0.50") == num(5, 1));
  CHECK(value_of("10_000") == num(10000));
  auto p = parse_text("x { v = 10_000 }");
  const auto* n = first_value(*p).as<ast::NumberLit>();
  REQUIRE(n);
  CHECK(n->text == "10_000");
}

TEST_CASE("ranges") {
  CHECK(value_of("250m .. 1") == json::parse(R"({"range":[
      {"quantity":"250m","millicores":250,"seconds":15000},{"number":{"mantissa":1,"scale":0}}]})"));
  CHECK(value_of("512Mi .. 1Gi") == json::parse(R"({"range":[
      {"quantity":"512Mi","bytes":536870912},{"quantity":"1Gi","bytes":1073741824}]})"));
  // Longest match: `1..2` is 1 .. 2, `1.5..2` is 1.5 .. 2.
  CHECK(value_of("1..2") == json{{"range", {num(1), num(2)}}});
  CHECK(value_of("1.5..2") == json{{"range", {num(15, 1), num(2)}}});
  // `a >= b .. c` is the range from `a >= b` to `c`.
  CHECK(value_of("a >= b .. c") == json::parse(R"({"range":[
      {"compare":">=","lhs":{"ref":["a"]},"rhs":{"ref":["b"]}},{"ref":["c"]}]})"));
}

TEST_CASE("chains") {
  CHECK(value_of("dev -> staging -> production") ==
        json{{"chain", {ref({"dev"}), ref({"staging"}), ref({"production"})}}});
  // An identifier never ends in a hyphen: `dev->prod` is three tokens.
  CHECK(value_of("dev->prod") == json{{"chain", {ref({"dev"}), ref({"prod"})}}});
  // A chain of two ranges.
  CHECK(value_of("1 .. 2 -> 3 .. 4") ==
        json{{"chain", {json{{"range", {num(1), num(2)}}}, json{{"range", {num(3), num(4)}}}}}});
  // Parentheses are kept.
  CHECK(value_of("(dev -> staging) .. production") ==
        json{{"range", {json{{"paren", json{{"chain", {ref({"dev"}), ref({"staging"})}}}}}, ref({"production"})}}});
}

TEST_CASE("comparisons: all six operators") {
  const char* ops[] = {">=", "<=", ">", "<", "==", "!="};
  for (const char* op : ops) {
    CAPTURE(op);
    CHECK(value_of(std::string("a ") + op + " 1") == json{{"compare", op}, {"lhs", ref({"a"})}, {"rhs", num(1)}});
  }
  CHECK(value_of("severity>=high") == json{{"compare", ">="}, {"lhs", ref({"severity"})}, {"rhs", ref({"high"})}});
}

TEST_CASE("unary minus folds into numbers and quantities") {
  CHECK(value_of("-5") == json::parse(R"({"negated":true,"number":{"mantissa":-5,"scale":0}})"));
  CHECK(value_of("-0.5") == json::parse(R"({"negated":true,"number":{"mantissa":-5,"scale":1}})"));
  CHECK(value_of("-30s") == json::parse(R"({"negated":true,"quantity":"30s","seconds":-30})"));
  CHECK(value_of("-1.5Ki") == json::parse(R"({"negated":true,"quantity":"1.5Ki","bytes":-1536})"));
  CHECK(value_of("-250m") == json::parse(R"({"negated":true,"quantity":"250m","millicores":-250,"seconds":-15000})"));
  CHECK(value_of("-99.9%") ==
        json::parse(R"({"negated":true,"quantity":"99.9%","percent":{"mantissa":-999,"scale":1}})"));
  CHECK(value_of("-1 .. 1") == json::parse(R"({"range":[{"negated":true,"number":{"mantissa":-1,"scale":0}},
      {"number":{"mantissa":1,"scale":0}}]})"));

  auto p = parse_text("x { v = -30s }");
  CHECK(at(first_value(*p).range) == "1:9-1:13");  // the `-` is part of the literal's range

  SUBCASE("only on numbers and quantities: E0116") {
    for (const char* bad : {"-main.url", "-\"x\"", "-7.2.4", "-true", "-[1]"}) {
      CAPTURE(bad);
      auto q = parse_text(std::string("x { v = ") + bad + " }");
      REQUIRE(q->r.diags.items().size() == 1);
      CHECK(q->diag(0).code() == "E0116");
      CHECK(at(q->diag(0).primary) == "1:9-1:10");
    }
  }
}

TEST_CASE("references") {
  CHECK(value_of("main.url") == ref({"main", "url"}));
  CHECK(value_of("openai_api_key") == ref({"openai_api_key"}));
  CHECK(value_of("a.on.import.as") == ref({"a", "on", "import", "as"}));
  CHECK(value_of("x-1") == ref({"x-1"}));  // no arithmetic: one identifier
  CHECK(value_of("_internal") == ref({"_internal"}));

  auto p = parse_text("x { v = main.url }");
  const auto* r = first_value(*p).as<ast::RefExpr>();
  REQUIRE(r);
  CHECK(r->dotted() == "main.url");
  CHECK(at(r->path[0].range) == "1:9-1:13");
  CHECK(at(r->path[1].range) == "1:14-1:17");
  CHECK(at(first_value(*p).range) == "1:9-1:17");
}

TEST_CASE("booleans") {
  CHECK(value_of("true") == json::parse(R"({"bool":true})"));
  CHECK(value_of("false") == json::parse(R"({"bool":false})"));
  CHECK(value_of("True") == ref({"True"}));  // case-sensitive: an identifier
}

TEST_CASE("member separators: newline, comma, semicolon, nothing") {
  auto expected = json::parse(R"({"items":[{"block":"b","members":[
      {"attribute":"r","value":{"quantity":"7d","seconds":604800}},
      {"attribute":"p","value":{"bool":true}}]}]})");
  for (const char* src : {"b { r = 7d  p = true }", "b { r = 7d, p = true }", "b { r = 7d; p = true; }",
                          "b {\n r = 7d\n p = true\n}", "b { r = 7d, p = true, }"}) {
    CAPTURE(src);
    auto p = parse_text(src);
    CHECK(p->r.diags.empty());
    CHECK(p->ast() == expected);
  }
  SUBCASE("two separators in a row are an error") {
    auto p = parse_text("b { r = 7d,, p = true }");
    CHECK_FALSE(p->r.diags.empty());
  }
}

TEST_CASE("identifiers with inner hyphens") {
  auto p = parse_text("my-kind my-name-2 { cost-center = a-b-c }");
  CHECK(p->r.diags.empty());
  CHECK(p->ast() == json::parse(R"({"items":[{"block":"my-kind","name":"my-name-2","members":[
      {"attribute":"cost-center","value":{"ref":["a-b-c"]}}]}]})"));
}

TEST_CASE("imports") {
  auto p = parse_text(R"(import "./net/vpc.plat"
import "../shared/tags.plat" as tags
import std.sizes
import std.sizes as sizes
service a { }
)");
  CHECK(p->r.diags.empty());
  CHECK(p->ast() == json::parse(R"({"items":[
      {"import":"./net/vpc.plat","path":true},
      {"import":"../shared/tags.plat","path":true,"as":"tags"},
      {"import":"std.sizes","path":false},
      {"import":"std.sizes","path":false,"as":"sizes"},
      {"block":"service","name":"a","members":[]}]})"));
  const auto& imp = std::get<ast::Import>(p->r.file.items.at(1));
  CHECK(at(imp.range) == "2:1-2:37");
  CHECK(at(imp.target_range) == "2:8-2:29");
  REQUIRE(imp.alias);
  CHECK(at(imp.alias->range) == "2:33-2:37");
  const auto& mod = std::get<ast::Import>(p->r.file.items.at(2));
  CHECK(at(mod.target_range) == "3:8-3:17");

  SUBCASE("E0113: anything else after import") {
    auto q = parse_text("import 42\nservice a { }\n");
    REQUIRE(q->codes() == std::vector<std::string>{"E0113"});
    CHECK(at(q->diag(0).primary) == "1:8-1:10");
  }
}

TEST_CASE("comments are kept with their ranges") {
  auto p = parse_text("# head\nservice a { # trailing\n  port = 80 // c2\n  s = \"#not // a comment\"\n}\n");
  CHECK(p->r.diags.empty());
  const auto& c = p->r.file.comments;
  REQUIRE(c.size() == 3);
  CHECK(c[0].text == "# head");
  CHECK(at(c[0].range) == "1:1-1:7");
  CHECK(c[1].text == "# trailing");
  CHECK(at(c[1].range) == "2:13-2:23");
  CHECK(c[2].text == "// c2");
  CHECK(at(c[2].range) == "3:13-3:18");
  CHECK(value_of("\"# x // y\"") == str("# x // y"));
}

TEST_CASE("source ranges: 1-based, code-point columns, exclusive ends") {
  auto p = parse_text("service api {\n  port = 8000\n}\n");
  CHECK(p->r.diags.empty());
  const auto& b = p->block(0);
  CHECK(at(b.range) == "1:1-3:2");
  CHECK(at(b.kind.range) == "1:1-1:8");
  CHECK(at(b.name->range) == "1:9-1:12");
  CHECK(at(b.open_brace) == "1:13-1:14");
  CHECK(at(b.close_brace) == "3:1-3:2");
  const auto& a = std::get<ast::Attribute>(b.members.at(0));
  CHECK(at(a.key.range) == "2:3-2:7");
  CHECK(at(a.value->range) == "2:10-2:14");
  CHECK(at(a.range) == "2:3-2:14");
  CHECK(a.range.file == p->id);

  SUBCASE("after multi-byte UTF-8 characters") {
    // `日本` is 6 bytes and 2 columns; `😀` is 4 bytes and 1 column.
    auto q = parse_text("x {\n  s = \"日本\" n = 5 e = \"😀\" m = 2\n}\n");
    CHECK(q->r.diags.empty());
    const auto& ms = q->block(0).members;
    CHECK(at(std::get<ast::Attribute>(ms.at(0)).value->range) == "2:7-2:11");
    CHECK(at(std::get<ast::Attribute>(ms.at(1)).key.range) == "2:12-2:13");
    CHECK(at(std::get<ast::Attribute>(ms.at(1)).value->range) == "2:16-2:17");
    CHECK(at(std::get<ast::Attribute>(ms.at(2)).value->range) == "2:22-2:25");
    CHECK(at(std::get<ast::Attribute>(ms.at(3)).key.range) == "2:26-2:27");
  }
  SUBCASE("after a tab: one column") {
    auto q = parse_text("x {\n\tport = 1\n\t\tn = 2\n}\n");
    const auto& ms = q->block(0).members;
    CHECK(at(std::get<ast::Attribute>(ms.at(0)).key.range) == "2:2-2:6");
    CHECK(at(std::get<ast::Attribute>(ms.at(0)).value->range) == "2:9-2:10");
    CHECK(at(std::get<ast::Attribute>(ms.at(1)).key.range) == "3:3-3:4");
  }
  SUBCASE("a multi-line string spans lines") {
    auto q = parse_text("x {\n  s = \"\"\"\n    a\n    \"\"\"\n  n = 1\n}\n");
    CHECK(q->r.diags.empty());
    const auto& ms = q->block(0).members;
    CHECK(at(std::get<ast::Attribute>(ms.at(0)).value->range) == "2:7-4:8");
    CHECK(at(std::get<ast::Attribute>(ms.at(1)).key.range) == "5:3-5:4");
  }
  SUBCASE("CRLF line endings") {
    auto q = parse_text("x {\r\n  a = 1\r\n  b = 2\r\n}\r\n");
    CHECK(q->r.diags.empty());
    const auto& ms = q->block(0).members;
    CHECK(at(std::get<ast::Attribute>(ms.at(1)).range) == "3:3-3:8");
    CHECK(at(q->block(0).range) == "1:1-4:2");
  }
}

TEST_CASE("recovery: three independent errors, three diagnostics, good blocks kept") {
  auto p = parse_text(R"(service a {
  replicas =
  memory = 512Mi
}
service b { port 8000 }
service c { x = f(1 2) }
service d { ok = true }
)");
  INFO(p->rendered());
  CHECK(p->codes() == std::vector<std::string>{"E0104", "E0105", "E0110"});
  REQUIRE(p->r.diags.items().size() == 3);
  CHECK(at(p->diag(0).primary) == "2:13-2:14");  // just after the `=` that lost its value
  CHECK(at(p->diag(1).primary) == "5:18-5:22");
  CHECK(at(p->diag(2).primary) == "6:21-6:22");
  // The E0105 carries a fix-it inserting ` =` after the key.
  REQUIRE(p->diag(1).fixit);
  CHECK(p->diag(1).fixit->replacement == " =");
  CHECK(at(p->diag(1).fixit->range) == "5:17-5:17");

  json j = p->ast();
  REQUIRE(j["items"].size() == 4);
  CHECK(j["items"][0]["name"] == "a");
  CHECK(j["items"][1]["name"] == "b");
  CHECK(j["items"][2]["name"] == "c");
  CHECK(j["items"][3] ==
        json::parse(R"({"block":"service","name":"d","members":[{"attribute":"ok","value":{"bool":true}}]})"));
}

// Regression: after `replicas =` at the end of a line the next key was taken as the value.
TEST_CASE("a value missing at the end of a line does not eat the next attribute") {
  auto p = parse_text("service a {\n  replicas =\n  memory = 512Mi\n}\n");
  CHECK(p->codes() == std::vector<std::string>{"E0104"});
  CHECK(p->ast()["items"][0]["members"] ==
        json::parse(R"([{"attribute":"memory","value":{"quantity":"512Mi","bytes":536870912}}])"));
}

TEST_CASE("single syntax errors and their codes") {
  struct Case {
    const char* src;
    const char* code;
    const char* where;
  };
  const Case cases[] = {
      {"service on { }", "E0112", "1:9-1:11"},
      {"service a { x = a >= b >= c }", "E0115", "1:24-1:26"},
      {"port = 8000\nservice a { }", "E0107", "1:1-1:5"},
      {"service a {\n  x = 1\n", "E0101", "2:8-2:9"},
      {"service a { x = 1 } ]\nservice b { }", "E0103", "1:21-1:22"},
      {"service a { x = 1 @ }", "E0004", "1:19-1:20"},
      {"service a { x = 1 .. 2 .. 3 }", "E0118", "1:24-1:26"},
      {"service a { x = f(1 2) }", "E0110", "1:21-1:22"},
      {"service a { port 8000 }", "E0105", "1:18-1:22"},
      {"service a { x = \"abc }", "E0005", "1:17-1:23"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.src);
    auto p = parse_text(c.src);
    INFO(p->rendered());
    REQUIRE(p->r.diags.items().size() >= 1);
    CHECK(p->diag(0).code() == c.code);
    CHECK(at(p->diag(0).primary) == c.where);
  }
}

TEST_CASE("unclosed block: message names the block and where it opened") {
  auto p = parse_text("service backend {\n  port = 80\n");
  REQUIRE(p->codes() == std::vector<std::string>{"E0101"});
  CHECK(p->diag(0).message == "expected `}` to close block `service backend` opened at 1:1");
  REQUIRE(p->diag(0).secondary.size() == 1);
  CHECK(at(p->diag(0).secondary[0].range) == "1:17-1:18");
  REQUIRE(p->diag(0).fixit);
  CHECK(p->diag(0).fixit->replacement.back() == '}');
  // The block is still in the AST, with no closing brace.
  REQUIRE(p->r.file.items.size() == 1);
  CHECK_FALSE(p->block(0).close_brace.valid());
}

TEST_CASE("literal errors point at the offending part") {
  SUBCASE("unknown unit: E0201 on the unit, with a fix-it") {
    auto p = parse_text("x { m = 512Mb }");
    REQUIRE(p->codes() == std::vector<std::string>{"E0201"});
    CHECK(p->diag(0).message == "unknown unit `Mb` in `512Mb`");
    CHECK(at(p->diag(0).primary) == "1:12-1:14");
    REQUIRE(p->diag(0).fixit);
    CHECK(p->diag(0).fixit->replacement == "MB");
    CHECK(p->diag(0).help == "did you mean `MB`?");
    // The attribute stays, with an error value.
    CHECK(p->ast()["items"][0]["members"][0]["value"] == json::parse(R"({"error":true})"));
  }
  SUBCASE("1e6 is the quantity 1e followed by 6") {
    auto p = parse_text("x { m = 1e6 }");
    REQUIRE_FALSE(p->r.diags.empty());
    CHECK(p->diag(0).code() == "E0201");
  }
  SUBCASE("overflow: E0202 on the whole literal") {
    auto p = parse_text("x { m = 99999999999999Ti }");
    REQUIRE(p->codes() == std::vector<std::string>{"E0202"});
    CHECK(at(p->diag(0).primary) == "1:9-1:25");
    CHECK(p->diag(0).message ==
          "`99999999999999Ti` is too large: the size in bytes must fit in a signed 64-bit integer");
  }
  SUBCASE("misordered compound: E0212 on the unit") {
    auto p = parse_text("x { t = 30m1h }");
    REQUIRE(p->codes() == std::vector<std::string>{"E0212"});
    CHECK(at(p->diag(0).primary) == "1:13-1:14");
  }
  SUBCASE("mixed units: E0203") {
    auto p = parse_text("x { t = 1Gi512Mi }");
    CHECK(p->codes() == std::vector<std::string>{"E0203"});
  }
  SUBCASE("too precise: E0204") {
    auto p = parse_text("x { t = 1234567890123456789 }");
    REQUIRE(p->codes() == std::vector<std::string>{"E0204"});
    CHECK(at(p->diag(0).primary) == "1:9-1:28");
  }
  SUBCASE("a tiny fraction with many digits is fine") {
    auto p = parse_text("x { t = 0.00000000000000000000000000000000000000000000001Ki }");
    CHECK(p->r.diags.empty());
    CHECK(p->ast()["items"][0]["members"][0]["value"]["bytes"] == 1);
  }
}

TEST_CASE("the syntax error budget: Limits::max_syntax_errors") {
  std::string src;
  for (int i = 0; i < 500; ++i) src += "service a { port 8000 }\n";
  auto p = parse_text(src);
  // 200 syntax errors are found; the first 100 are kept (Diagnostics::kMaxKeptErrors), the rest counted.
  CHECK(p->r.diags.error_count() == 200);
  CHECK(p->r.diags.items().size() == Diagnostics::kMaxKeptErrors);
  for (const auto& d : p->r.diags.items()) CHECK(d.code() == "E0105");
  CHECK(p->diag(99).primary.line == 100);

  parse::Limits small;
  small.max_syntax_errors = 5;
  auto q = parse_text(src, small);
  CHECK(q->r.diags.items().size() == 5);
}

// Past Diagnostics::kMaxKeptErrors an error is only counted: what a reporter adds to "its"
// diagnostic afterwards (a help, a fix-it) must not land on the last one kept, another error.
TEST_CASE("past the kept errors, a counted error's help does not land on another diagnostic") {
  std::string src;
  for (int i = 0; i < 100; ++i) src += "@\n";
  src += "service a {\n  x = \"\\u00e9 \\u{e9\"\n}\n";  // `\u00e9` and `\u{e9`: each with a fix-it when kept
  auto p = parse_text(src);
  CHECK(p->r.diags.error_count() == 102);
  REQUIRE(p->r.diags.items().size() == Diagnostics::kMaxKeptErrors);
  for (const auto& d : p->r.diags.items()) {
    CHECK(d.code() == "E0004");
    CHECK_FALSE(d.fixit.has_value());
  }
}

// Regression: when the error budget ran out, the tree was taken from the parser's context after
// the exception had unwound every rule (null), so even the good blocks before the errors were lost.
TEST_CASE("the AST keeps the good blocks when the error budget runs out") {
  std::string src = "service ok { x = 1 }\n";
  for (int i = 0; i < 10; ++i) src += "service a { port 8000 }\n";
  parse::Limits small;
  small.max_syntax_errors = 5;
  auto p = parse_text(src, small);
  CHECK(p->r.diags.items().size() == 5);
  REQUIRE_FALSE(p->r.file.items.empty());
  CHECK(p->ast()["items"][0] == json::parse(R"({"block":"service","name":"ok","members":[
      {"attribute":"x","value":{"number":{"mantissa":1,"scale":0}}}]})"));
}

TEST_CASE("nesting limit: 64 levels parse, 65 are E0007") {
  auto nest_blocks = [](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "b { ";
    for (int i = 0; i < n; ++i) s += "} ";
    return s;
  };
  auto ok = parse_text(nest_blocks(64));
  CHECK(ok->r.diags.empty());
  CHECK(ok->r.file.items.size() == 1);

  auto deep = parse_text(nest_blocks(65));
  REQUIRE(deep->codes() == std::vector<std::string>{"E0007"});
  CHECK(deep->diag(0).message == "nesting is deeper than 64 levels");
  CHECK(at(deep->diag(0).primary) == "1:259-1:260");  // the 65th `{`: 64 × "b { " then "b "
  CHECK(deep->r.file.items.empty());

  SUBCASE("lists, maps, calls and parentheses count too") {
    // One level for the block, 63 for the brackets.
    std::string open = "x { v = ", close = " }";
    std::string kinds[] = {"[", "{ a = ", "f(", "("};
    std::string closers[] = {"]", "}", ")", ")"};
    for (int k = 0; k < 4; ++k) {
      CAPTURE(kinds[k]);
      std::string inner = "1";
      for (int i = 0; i < 63; ++i) inner = kinds[k] + inner + closers[k];
      CHECK(parse_text(open + inner + close)->r.diags.empty());
      inner = kinds[k] + inner + closers[k];
      CHECK(parse_text(open + inner + close)->codes() == std::vector<std::string>{"E0007"});
    }
  }
  SUBCASE("a smaller limit") {
    parse::Limits l;
    l.max_nesting = 2;
    CHECK(parse_text("a { b { } }", l)->r.diags.empty());
    CHECK(parse_text("a { b { c { } } }", l)->codes() == std::vector<std::string>{"E0007"});
  }
  SUBCASE("very deep input is a diagnostic, not a stack overflow") {
    auto p = parse_text(std::string(100000, '['));
    CHECK(p->codes() == std::vector<std::string>{"E0007"});
  }
}

TEST_CASE("token limit: E0008") {
  parse::Limits l;
  l.max_tokens = 10;
  // `x { a = 1 b = 2 }` is 9 tokens; a comment is one more.
  CHECK(parse_text("x { a = 1 b = 2 }", l)->r.diags.empty());
  CHECK(parse_text("x { a = 1 b = 2 } # c", l)->r.diags.empty());
  auto p = parse_text("x { a = 1 b = 2 c = 3 }", l);
  REQUIRE(p->codes() == std::vector<std::string>{"E0008"});
  CHECK(p->diag(0).message == "`t.plat` has more than 10 tokens");
  CHECK(at(p->diag(0).primary) == "1:21-1:22");  // the 11th token
  CHECK(p->r.file.items.empty());
}

TEST_CASE("file size limit: E0003") {
  parse::Limits l;
  l.max_file_bytes = 20;
  CHECK(parse_text("x { a = 1 }  # 20 b.", l)->r.diags.empty());
  auto p = parse_text("x { a = 1 }  # 21 b..", l);
  REQUIRE(p->codes() == std::vector<std::string>{"E0003"});
  CHECK(p->diag(0).message == "`t.plat` is 21 bytes, over the limit of 20 bytes per source file");
  CHECK(at(p->diag(0).primary) == "1:1-1:1");
  CHECK(p->r.file.items.empty());
}

TEST_CASE("invalid UTF-8 and NUL bytes") {
  SUBCASE("overlong encoding in a string") {
    auto p = parse_text("service a {\n  s = \"\xC0\xAF\"\n}\n");
    REQUIRE(p->codes() == std::vector<std::string>{"E0001"});
    CHECK(at(p->diag(0).primary) == "2:8-2:9");
    CHECK(p->diag(0).primary_label == "byte 0xC0 at offset 19");
    CHECK(p->r.file.items.empty());
  }
  SUBCASE("surrogate after a character") {
    auto p = parse_text("a { s = \"x\xED\xA0\x80\" }\n");
    REQUIRE(p->codes() == std::vector<std::string>{"E0001"});
    CHECK(at(p->diag(0).primary) == "1:11-1:12");
  }
  SUBCASE("truncated sequence at the end of the file") {
    auto p = parse_text("a { }\n# \xE6\x97");
    REQUIRE(p->codes() == std::vector<std::string>{"E0001"});
    CHECK(at(p->diag(0).primary) == "2:3-2:4");
  }
  SUBCASE("beyond U+10FFFF and a bad lead byte") {
    CHECK(parse_text("# \xF4\x90\x80\x80")->codes() == std::vector<std::string>{"E0001"});
    CHECK(parse_text("# \xFF")->codes() == std::vector<std::string>{"E0001"});
    CHECK(parse_text("# \x80")->codes() == std::vector<std::string>{"E0001"});
  }
  SUBCASE("columns count code points before the bad byte") {
    auto p = parse_text("# 日本\xFF\n");
    REQUIRE(p->codes() == std::vector<std::string>{"E0001"});
    CHECK(at(p->diag(0).primary) == "1:5-1:6");
  }
  SUBCASE("NUL") {
    std::string src = "a { }\n\n  x";
    src += '\0';
    src += " y\n";
    auto p = parse_text(src);
    REQUIRE(p->codes() == std::vector<std::string>{"E0002"});
    CHECK(at(p->diag(0).primary) == "3:4-3:5");
  }
  SUBCASE("one diagnostic per line, every line") {
    std::string src = "# \xFF\xFF\xFF\n# ok\n# \xFE\n";
    src += '\0';
    auto p = parse_text(src);
    CHECK(p->codes() == std::vector<std::string>{"E0001", "E0001", "E0002"});
    CHECK(p->diag(1).primary.line == 3);
    CHECK(p->diag(2).primary.line == 4);
  }
}

TEST_CASE("a byte-order mark at the start is ignored") {
  auto p = parse_text("\xEF\xBB\xBFservice a { x = 1 }\n");
  CHECK(p->r.diags.empty());
  REQUIRE(p->r.file.items.size() == 1);
  // It is still a code point of line 1: columns there start at 2 (the formatter and the
  // renderer rely on columns mapping to the bytes of SourceFile::line_text).
  CHECK(at(p->block(0).kind.range) == "1:2-1:9");
  CHECK(at(p->block(0).name->range) == "1:10-1:11");
  CHECK(p->block(0).members.size() == 1);
  SUBCASE("elsewhere it is an unexpected character") {
    auto q = parse_text("service a { }\n\xEF\xBB\xBFservice b { }\n");
    REQUIRE(q->codes() == std::vector<std::string>{"E0004"});
    CHECK(q->diag(0).primary.line == 2);
  }
}

TEST_CASE("an empty file and a file of comments") {
  CHECK(parse_text("")->r.diags.empty());
  CHECK(parse_text("")->ast() == json::parse(R"({"items":[]})"));
  auto p = parse_text("# only\n// comments\n");
  CHECK(p->r.diags.empty());
  CHECK(p->r.file.comments.size() == 2);
}

// Regressions: ANTLR's single-token deletion dropped a closing bracket where a value or a name
// was missing, so the block swallowed everything after it.
TEST_CASE("a missing value before `}` is E0104 and the next block stays top-level") {
  auto p = parse_text("bucket g { k = }\nqueue h { ok = 1 }\n");
  INFO(p->rendered());
  CHECK(p->codes() == std::vector<std::string>{"E0104"});
  json j = p->ast();
  REQUIRE(j["items"].size() == 2);
  CHECK(j["items"][1]["block"] == "queue");

  auto q = parse_text("service a {\n  port =\n}\nservice b { x = 1 }\n");
  INFO(q->rendered());
  CHECK(q->codes() == std::vector<std::string>{"E0104"});
  CHECK(q->ast()["items"].size() == 2);
}

TEST_CASE("a missing name after `.` is E0109") {
  auto p = parse_text("service a { x = main. }\nservice b { y = 1 }\n");
  INFO(p->rendered());
  CHECK(p->codes() == std::vector<std::string>{"E0109"});
  CHECK(p->ast()["items"].size() == 2);
}

TEST_CASE("`on` without an environment is E0114") {
  auto p = parse_text("service a { on { x = 1 } }\nservice b { y = 1 }\n");
  INFO(p->rendered());
  CHECK(p->codes() == std::vector<std::string>{"E0114"});
  CHECK(p->ast()["items"].size() == 2);
}

TEST_CASE("a list closed by `}` is E0102 (the `[` is never closed)") {
  auto p = parse_text("service a { x = [1, 2 }\nservice b { y = 1 }\n");
  INFO(p->rendered());
  REQUIRE_FALSE(p->r.diags.empty());
  CHECK(p->diag(0).code() == "E0102");
}

TEST_CASE("parsing is deterministic") {
  const char* src = "service a { x = [1 2] y = 3Mb }\nservice b { port 80 }\n";
  auto p1 = parse_text(src);
  auto p2 = parse_text(src);
  CHECK(p1->ast_ranges() == p2->ast_ranges());
  CHECK(p1->rendered() == p2->rendered());
}
