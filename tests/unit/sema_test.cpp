// Semantics (compiler/sema/): the type system, unit arithmetic, formats, the schema reader and
// `sema::analyze` on small platforms. Expected values are computed by hand: 512Mi is 512 × 2^20
// bytes, 1h30m is 5400 seconds, `0.5` CPU is 500 millicores.
#include "compiler/sema/sema.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/embedded.h"
#include "compiler/driver/load.h"
#include "compiler/graph/graph.h"
#include "compiler/graph/value.h"
#include "compiler/parse/parser.h"
#include "compiler/sema/check_value.h"
#include "compiler/sema/formats.h"
#include "compiler/sema/schema.h"
#include "compiler/sema/types.h"
#include "tests/unit/temp_dir.h"

using namespace platc;
using namespace platc::sema;
using graph::Value;
using graph::ValueKind;

namespace {

// One expression, parsed as the value of `x { v = TEXT }`.
struct ParsedExpr {
  SourceManager sm;
  parse::ParseResult r;
  const ast::Expr& expr() const {
    const auto& block = *std::get<std::unique_ptr<ast::Block>>(r.file.items.at(0));
    return *std::get<ast::Attribute>(block.members.at(0)).value;
  }
};

std::unique_ptr<ParsedExpr> parse_expr(const std::string& text) {
  auto p = std::make_unique<ParsedExpr>();
  FileId id = p->sm.add("t.plat", "x { v = " + text + " }\n");
  p->r = parse::parse_file(p->sm, id);
  REQUIRE_MESSAGE(!p->r.diags.has_errors(), "does not parse: " << text);
  return p;
}

Type type_of(const std::string& spelling) {
  auto p = parse_expr(spelling);
  std::string error;
  auto t = parse_type(p->expr(), error);
  REQUIRE_MESSAGE(t.has_value(), "parse_type(" << spelling << "): " << error);
  return *t;
}

std::string type_error(const std::string& spelling) {
  auto p = parse_expr(spelling);
  std::string error;
  auto t = parse_type(p->expr(), error);
  CHECK_MESSAGE(!t.has_value(), "parse_type(" << spelling << ") unexpectedly succeeded");
  return error;
}

struct Checked {
  std::optional<Value> v;
  std::vector<std::string> codes;
  std::vector<std::string> messages;
};

Checked check(const std::string& expr, const std::string& type, const NameTable* names = nullptr) {
  Type t = type_of(type);
  auto p = parse_expr(expr);
  Diagnostics diags;
  ValueChecker checker(diags, names);
  Checked out;
  out.v = checker.check(p->expr(), t, "v");
  for (const auto& d : diags.items()) {
    out.codes.emplace_back(d.code());
    out.messages.push_back(d.message);
  }
  return out;
}

// The value of a check that must succeed, of the given kind.
Value ok(const std::string& expr, const std::string& type, ValueKind kind) {
  Checked c = check(expr, type);
  INFO("check(" << expr << " : " << type << ")");
  REQUIRE(c.codes.empty());
  REQUIRE(c.v.has_value());
  CHECK(c.v->kind == kind);
  return *c.v;
}

// The one diagnostic code of a check that must fail.
std::string fails(const std::string& expr, const std::string& type) {
  Checked c = check(expr, type);
  INFO("check(" << expr << " : " << type << ")");
  CHECK_FALSE(c.v.has_value());
  REQUIRE(c.codes.size() == 1);
  return c.codes[0];
}

Value decimal_value(ValueKind k, std::int64_t mantissa, std::uint32_t scale) {
  Value v;
  v.kind = k;
  v.dec = ast::Decimal{mantissa, scale};
  return v;
}

Value int_value(ValueKind k, std::int64_t i) {
  Value v;
  v.kind = k;
  v.i = i;
  return v;
}

// A name table over the real schemas: `key` is a secret, `orders` a database, `sessions` a cache.
class Names : public NameTable {
 public:
  explicit Names(const Schemas& s) : schemas_(s) {
    declared_ = {{"key", s.find("secret"), {}}, {"orders", s.find("database"), {}}, {"sessions", s.find("cache"), {}}};
  }
  const Declared* find(std::string_view name) const override {
    for (const auto& d : declared_)
      if (d.name == name) return &d;
    return nullptr;
  }
  std::vector<std::string> names() const override { return {"key", "orders", "sessions"}; }
  const KindSchema* environment_schema() const override { return schemas_.find("environment"); }

 private:
  const Schemas& schemas_;
  std::vector<Declared> declared_;
};

const std::string kPlatform = R"(platform shop {
  owner   = "t"
  targets = [aws]
  region  = "eu-west-1"
}
)";

// A platform written into a temporary directory, loaded and analysed.
struct Analyzed {
  testing::TempDir dir{"platc-sema"};
  SourceManager sm;
  driver::LoadResult load;
  SemaResult sema;

  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : sema.diags.items()) out.emplace_back(d.code());
    return out;
  }
};

std::unique_ptr<Analyzed> analyze_text(const std::string& text) {
  auto a = std::make_unique<Analyzed>();
  a->dir.write("platform.plat", text);
  a->load = driver::load_platform(a->sm, {a->dir.path().string()});
  REQUIRE(!a->load.diags.has_errors());
  a->sema = analyze(a->load.platform, a->sm);
  return a;
}

std::vector<std::string> edge_strings(const graph::Graph& g) {
  std::vector<std::string> out;
  for (const auto& e : g.edges)
    out.push_back(g.nodes[e.from].id + " -" + std::string(graph::edge_kind_name(e.kind)) + "-> " + g.nodes[e.to].id +
                  " via " + e.via);
  return out;
}

}  // namespace

// ---- types ----------------------------------------------------------------------------------

TEST_CASE("parse_type: spellings round-trip") {
  for (const char* s :
       {"string", "size", "cpu", "env_value", "list(string)", "enum(rolling, blue-green, canary)", "ref(topic, queue)",
        "engine(postgres, mysql)", "map(port)", "range(cpu)", "chain(ref(environment))", "one_of(int, percent)",
        "one_of(trigger, list(trigger))", "list(map(range(size)))"}) {
    CHECK(type_of(s).spelling() == s);
  }
  Type t = type_of("one_of(ref(environment), chain(ref(environment)))");
  CHECK(t.tag == TypeTag::OneOf);
  REQUIRE(t.args.size() == 2);
  CHECK(t.args[1].tag == TypeTag::Chain);
  CHECK(t.args[1].args[0].symbols == std::vector<std::string>{"environment"});
  CHECK(type_of("enum(a, b, c)").describe() == "one of `a`, `b` or `c`");
  CHECK(type_of("ref(topic, queue)").describe() == "a reference to a topic or queue");
  CHECK(type_of("list(string)").describe() == "a list of string");
}

TEST_CASE("parse_type: errors") {
  CHECK(type_error("sise") == "unknown type `sise`");
  CHECK(type_error("\"string\"") == "a type is a bare word such as `size` or a call such as `list(string)`");
  CHECK(type_error("list()") == "`list(…)` takes one type");
  CHECK(type_error("map(string, int)") == "`map(…)` takes one type");
  CHECK(type_error("one_of(int)") == "`one_of(…)` takes at least two types");
  CHECK(type_error("enum()") == "`enum(…)` needs at least one word");
  CHECK(type_error("enum(\"a\")") == "`enum(…)` takes bare words");
  CHECK(type_error("tuple(int)") == "unknown type constructor `tuple`");
  CHECK(type_error("list(integer)") == "unknown type `integer`");
}

// ---- values and units -----------------------------------------------------------------------

TEST_CASE("ValueChecker: sizes in bytes") {
  CHECK(ok("512Mi", "size", ValueKind::Size).i == 536870912);
  CHECK(ok("1Gi", "size", ValueKind::Size).i == 1073741824);
  CHECK(ok("50GiB", "size", ValueKind::Size).i == 50LL * 1073741824);
  CHECK(ok("2GB", "size", ValueKind::Size).i == 2000000000);
  CHECK(fails("512", "size") == "E0408");
  CHECK(fails("250m", "size") == "E0407");
  CHECK(fails("30s", "size") == "E0407");
  CHECK(fails("\"512Mi\"", "size") == "E0406");
}

TEST_CASE("ValueChecker: CPU in millicores") {
  CHECK(ok("0.5", "cpu", ValueKind::Cpu).i == 500);
  CHECK(ok("250m", "cpu", ValueKind::Cpu).i == 250);
  CHECK(ok("2", "cpu", ValueKind::Cpu).i == 2000);
  CHECK(ok("1.25", "cpu", ValueKind::Cpu).i == 1250);
  CHECK(fails("512Mi", "cpu") == "E0407");
  CHECK(fails("-1", "cpu") == "E0409");
}

TEST_CASE("ValueChecker: durations in seconds, percentages, ints, ports") {
  CHECK(ok("1h30m", "duration", ValueKind::Duration).i == 5400);
  CHECK(ok("7d", "duration", ValueKind::Duration).i == 604800);
  CHECK(ok("90s", "duration", ValueKind::Duration).i == 90);
  CHECK(fails("30", "duration") == "E0408");
  CHECK(fails("1Gi", "duration") == "E0407");

  Value p = ok("85.5%", "percent", ValueKind::Percent);
  CHECK(p.dec == ast::Decimal{855, 1});
  CHECK(p.display() == "85.5%");
  CHECK(ok("70%", "percent", ValueKind::Percent).dec == ast::Decimal{70, 0});
  CHECK(fails("0.7", "percent") == "E0408");

  CHECK(ok("8080", "port", ValueKind::Int).i == 8080);
  CHECK(ok("1", "port", ValueKind::Int).i == 1);
  CHECK(ok("65535", "port", ValueKind::Int).i == 65535);
  CHECK(fails("0", "port") == "E0409");
  CHECK(fails("65536", "port") == "E0409");
  CHECK(fails("80.5", "port") == "E0406");
  CHECK(fails("two", "int") == "E0406");  // a bare word that names nothing is not a reference
  CHECK(ok("-3", "int", ValueKind::Int).i == -3);
}

TEST_CASE("ValueChecker: ranges, enums, lists, one_of") {
  Value r = ok("250m .. 1", "range(cpu)", ValueKind::Range);
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[0].i == 250);
  CHECK(r.items[1].i == 1000);
  Value single = ok("1", "range(cpu)", ValueKind::Range);  // one value: request = limit
  REQUIRE(single.items.size() == 2);
  CHECK(single.items[0].i == 1000);
  CHECK(single.items[1].i == 1000);
  CHECK(fails("2 .. 500m", "range(cpu)") == "E0410");
  CHECK(fails("1Gi .. 512Mi", "range(size)") == "E0410");
  CHECK(ok("512Mi .. 512Mi", "range(size)", ValueKind::Range).items[1].i == 536870912);

  CHECK(ok("canary", "enum(rolling, blue-green, canary)", ValueKind::Symbol).text == "canary");
  CHECK(fails("bluegreen", "enum(rolling, blue-green, canary)") == "E0421");
  CHECK(fails("\"canary\"", "enum(rolling, blue-green, canary)") == "E0406");

  Value e = ok("postgres 16", "engine(postgres, mysql)", ValueKind::Engine);
  CHECK(e.text == "postgres");
  CHECK(e.text2 == "16");
  CHECK(fails("oracle 19", "engine(postgres, mysql)") == "E0421");

  CHECK(ok("3", "one_of(int, percent)", ValueKind::Int).i == 3);
  CHECK(ok("25%", "one_of(int, percent)", ValueKind::Percent).dec == ast::Decimal{25, 0});
  CHECK(ok("[10%, 50%]", "list(percent)", ValueKind::List).items.size() == 2);
  CHECK(fails("{ a = 1, a = 2 }", "map(int)") == "E0417");
}

TEST_CASE("ValueChecker: calls") {
  Value b = ok("build(\"./api\", dockerfile = \"Dockerfile.prod\")", "image", ValueKind::Call);
  CHECK(b.text == "build");
  REQUIRE(b.entries.size() == 1);
  CHECK(b.entries[0].first == "dockerfile");
  CHECK(fails("build()", "image") == "E0434");
  CHECK(fails("build(\"api\")", "image") == "E0439");
  CHECK(fails("pushh(main)", "trigger") == "E0427");
  CHECK(fails("manual(main)", "trigger") == "E0435");
  CHECK(fails("build(\"./api\", tag = \"x\")", "image") == "E0436");
  CHECK(fails("sonarqube(quality_gate = [true])", "scanner") == "E0437");
  CHECK(fails("trivy(high)", "scanner") == "E0438");
  CHECK(ok("manual", "trigger", ValueKind::Call).text == "manual");
  CHECK(fails("schedule(\"0 25 * * *\")", "trigger") == "E0412");
  Value t = ok("trivy(severity >= high)", "scanner", ValueKind::Call);
  REQUIRE(t.items.size() == 1);
  CHECK(t.items[0].kind == ValueKind::Compare);
  CHECK(t.items[0].text == ">=");
  CHECK(fails("trivy(severity >= hihg)", "scanner") == "E0421");
}

TEST_CASE("ValueChecker: formats") {
  CHECK(fails("\"0 25 * * *\"", "cron") == "E0412");
  CHECK(ok("\"*/15 * * * *\"", "cron", ValueKind::String).plain() == "*/15 * * * *");
  CHECK(fails("\"shop..example\"", "host") == "E0426");
  CHECK(fails("\"finance.example.com\"", "email") == "E0426");
  CHECK(fails("\"healthz\"", "path") == "E0426");
  CHECK(fails("\"2027-02-30\"", "date") == "E0426");
  CHECK(ok("\"2028-02-29\"", "date", ValueKind::String).plain() == "2028-02-29");
  CHECK(fails("\"nginx: 1.27\"", "image") == "E0426");
  CHECK(fails("\"EU-West-1\"", "region") == "E0426");
}

TEST_CASE("ValueChecker: secrets and references") {
  SourceManager sm;
  Diagnostics schema_diags;
  Schemas schemas = load_schemas(sm, schema_diags);
  REQUIRE(schema_diags.empty());
  Names names(schemas);

  Checked literal = check("\"hunter2\"", "secret", &names);
  CHECK(literal.codes == std::vector<std::string>{"E0415"});
  CHECK(literal.messages[0] == "`v` expects a secret, but a string literal can never be a secret");

  Checked secret = check("key", "secret", &names);
  REQUIRE(secret.v.has_value());
  CHECK(secret.v->kind == ValueKind::Ref);
  CHECK(secret.v->target_kind == "secret");
  CHECK(check("orders", "secret", &names).codes == std::vector<std::string>{"E0413"});

  CHECK(check("\"x${key}\"", "string", &names).codes == std::vector<std::string>{"E0414"});
  Checked interp = check("\"db=${orders.host}\"", "string", &names);
  REQUIRE(interp.v.has_value());
  REQUIRE(interp.v->pieces.size() == 2);
  CHECK(interp.v->pieces[1].ref_resource == "orders");
  CHECK(interp.v->pieces[1].ref_output == "host");

  Checked whole = check("sessions", "env_value", &names);
  CHECK(whole.codes == std::vector<std::string>{"E0413"});
  CHECK(check("sessions.url", "env_value", &names).codes.empty());
  CHECK(check("order.url", "env_value", &names).codes == std::vector<std::string>{"E0404"});
  CHECK(check("orders.uri", "env_value", &names).codes == std::vector<std::string>{"E0405"});
  CHECK(check("sessions", "ref(topic)", &names).codes == std::vector<std::string>{"E0413"});
}

TEST_CASE("compare_values: across decimal scales and units") {
  CHECK(compare_values(decimal_value(ValueKind::Number, 15, 1), decimal_value(ValueKind::Number, 150, 2)) == 0);
  CHECK(compare_values(decimal_value(ValueKind::Number, 2, 0), decimal_value(ValueKind::Number, 199, 2)) > 0);
  CHECK(compare_values(decimal_value(ValueKind::Percent, 855, 1), decimal_value(ValueKind::Percent, 86, 0)) < 0);
  CHECK(compare_values(decimal_value(ValueKind::Number, -5, 1), decimal_value(ValueKind::Number, 0, 0)) < 0);
  // 10^18 widened by 10^3 does not overflow: compared in 128 bits.
  CHECK(compare_values(decimal_value(ValueKind::Number, 1000000000000000000, 0),
                       decimal_value(ValueKind::Number, 1, 3)) > 0);
  CHECK(compare_values(int_value(ValueKind::Cpu, 2000), int_value(ValueKind::Cpu, 500)) > 0);
  CHECK(compare_values(int_value(ValueKind::Size, 1 << 20), int_value(ValueKind::Size, 1 << 20)) == 0);
}

TEST_CASE("format_bytes, format_seconds, format_millicores, format_decimal") {
  using namespace platc::graph;
  CHECK(format_bytes(0) == "0");
  CHECK(format_bytes(536870912) == "512Mi");
  CHECK(format_bytes(1024) == "1Ki");
  CHECK(format_bytes(1023) == "1023");
  CHECK(format_bytes(1000) == "1k");
  CHECK(format_bytes(1500000000) == "1500M");
  CHECK(format_bytes(64LL << 40) == "64Ti");
  CHECK(format_seconds(0) == "0s");
  CHECK(format_seconds(5400) == "1h30m");
  CHECK(format_seconds(604800) == "1w");
  CHECK(format_seconds(1209600) == "2w");
  CHECK(format_seconds(90061) == "1d1h1m1s");
  CHECK(format_seconds(86400) == "1d");
  CHECK(format_millicores(250) == "250m");
  CHECK(format_millicores(2000) == "2");
  CHECK(format_millicores(1500) == "1500m");
  CHECK(format_decimal({15, 1}) == "1.5");
  CHECK(format_decimal({150, 2}) == "1.5");
  CHECK(format_decimal({-5, 1}) == "-0.5");
  CHECK(format_decimal({7, 0}) == "7");
  CHECK(format_decimal({100, 2}) == "1");
  CHECK(format_decimal({5, 3}) == "0.005");
}

TEST_CASE("cron_problem") {
  for (const char* good : {"*/15 * * * *", "0 3 * * 1", "30 2 * * MON-FRI", "0 0 1,15 * *", "0 0 * jan-dec sun",
                           "@daily", "@hourly", "59 23 31 12 7", "0-30/5 * * * *"})
    CHECK_MESSAGE(cron_problem(good) == "", good);
  CHECK(cron_problem("0 25 * * *") == "the hour must be between 0 and 23, not `25`");
  CHECK(cron_problem("* * * *") ==
        "a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has 4");
  CHECK(cron_problem("*/0 * * * *") == "the step `/0` in the minute field must be a positive number");
  CHECK(cron_problem("0 0 31-1 * *") == "the day of month range `31-1` runs backwards");
  CHECK(cron_problem("0 0 0 * *") == "the day of month must be between 1 and 31, not `0`");
  CHECK(cron_problem("0 0 * FOO *") == "`FOO` is not a valid month");
  CHECK(cron_problem("0,,5 * * * *") == "the minute field has an empty list item");
  CHECK(cron_problem("@sometimes") != "");
}

TEST_CASE("host_problem") {
  CHECK(host_problem("api.shop.example") == "");
  CHECK(host_problem("*.shop.example") == "");
  CHECK(host_problem("localhost") == "");
  CHECK(host_problem("") == "a host name cannot be empty");
  CHECK(host_problem("shop..example") == "a host name has no empty labels: two dots in a row, or a dot at either end");
  CHECK(host_problem("-bad.example") == "`-bad` is not a DNS label (letters, digits and inner hyphens, at most 63)");
  CHECK(host_problem("bad_label.example") != "");
  CHECK(host_problem(std::string(64, 'a') + ".example") != "");
  CHECK(host_problem(std::string(63, 'a') + ".example") == "");
  CHECK(host_problem("API.Shop.Example") == "");
}

// ---- the schema reader (E0499) --------------------------------------------------------------

TEST_CASE("schema reader: every embedded kind schema loads without a diagnostic") {
  SourceManager sm;
  Diagnostics diags;
  Schemas s = load_schemas(sm, diags);
  for (const auto& d : diags.items()) FAIL_CHECK(d.code() << ": " << d.message);
  CHECK(s.kinds.size() == embedded_kinds().size());
  CHECK(s.kind_names() == std::vector<std::string>{"alert", "bucket", "budget", "cache", "config", "dashboard",
                                                   "database", "environment", "job", "pipeline", "platform", "policy",
                                                   "queue", "secret", "service", "topic", "worker"});
  const KindSchema* service = s.find("service");
  REQUIRE(service);
  const AttrSchema* replicas = service->attr("replicas");
  REQUIRE(replicas);
  CHECK(replicas->type.tag == TypeTag::Int);
  REQUIRE(replicas->default_value);
  CHECK(replicas->default_value->i == 1);
  REQUIRE(replicas->min);
  CHECK(replicas->min->i == 0);
  CHECK(replicas->max->i == 1000);
  CHECK(service->block("autoscale")->order == std::vector<std::string>{"min", "max"});
  CHECK(service->entry("env")->key == KeyRule::EnvVar);
  CHECK(service->has_trait("workload"));
  CHECK(service->output("url")->type.tag == TypeTag::Url);
  // Defaults point into the stdlib file, so `platc why` can show the line.
  CHECK(sm.file(replicas->default_value->range.file).builtin);
  // `on` is a keyword: the pipeline's trigger attribute is declared as `triggers` with `name = "on"`.
  CHECK(s.find("pipeline")->attr("on") != nullptr);
  CHECK(s.find("pipeline")->name_rule == NameRule::Forbidden);
  CHECK_FALSE(s.find("platform")->many);
  // Every attribute's type spells back to a type the reader accepts.
  for (const auto& k : s.kinds)
    for (const auto& a : k.attrs) CHECK_MESSAGE(type_of(a.type.spelling()).spelling() == a.type.spelling(), a.name);
}

TEST_CASE("schema reader: the type errors it reports as E0499") {
  // The reader (schema.cpp) reports parse_type's error verbatim as `invalid kind schema: …`;
  // load_schemas reads only the embedded files, so the errors are checked through parse_type.
  CHECK(type_error("integer") == "unknown type `integer`");
  CHECK(type_error("range(cpu, size)") == "`range(…)` takes one type");
  CHECK(type_error("ref(\"topic\")") == "`ref(…)` takes bare words");
  CHECK(type_error("512Mi") == "a type is a bare word such as `size` or a call such as `list(string)`");
}

// ---- analyze: overlays, provenance, edges, graphs --------------------------------------------

TEST_CASE("analyze: overlay merge and provenance, default -> base -> overlay") {
  auto a = analyze_text(kPlatform + R"(
environment dev { }
environment production { }

service api {
  image    = "ghcr.io/shop/api:1.4.2"
  replicas = 2
  rollout  = canary
  on production {
    replicas = 5
    rollout  = blue-green
  }
}
)");
  REQUIRE(a->codes().empty());
  const auto* prod = a->sema.model.graph_for("production");
  const auto* dev = a->sema.model.graph_for("dev");
  REQUIRE(prod);
  REQUIRE(dev);
  const graph::Node* api = prod->find("api");
  REQUIRE(api);
  CHECK(api->value("replicas")->i == 5);
  CHECK(dev->find("api")->value("replicas")->i == 2);

  const graph::Attr* rollout = api->attr("rollout");
  REQUIRE(rollout);
  REQUIRE(rollout->history.size() == 3);
  CHECK(rollout->history[0].origin == graph::Origin::Default);
  CHECK(rollout->history[0].value->text == "rolling");
  CHECK(a->sm.file(rollout->history[0].range.file).builtin);
  CHECK(rollout->history[1].origin == graph::Origin::Base);
  CHECK(rollout->history[1].value->text == "canary");
  CHECK(rollout->history[1].range.line == 13);
  CHECK(rollout->history[2].origin == graph::Origin::Overlay);
  CHECK(rollout->history[2].environment == "production");
  CHECK(rollout->history[2].value->text == "blue-green");
  CHECK(rollout->history[2].range.line == 16);
  CHECK(rollout->value.text == "blue-green");

  const graph::Attr* dev_rollout = dev->find("api")->attr("rollout");
  REQUIRE(dev_rollout->history.size() == 2);
  CHECK(dev_rollout->history.back().origin == graph::Origin::Base);
  // An attribute nobody wrote keeps its default alone.
  const graph::Attr* surge = dev->find("api")->attr("max_surge");
  REQUIRE(surge);
  REQUIRE(surge->history.size() == 1);
  CHECK(surge->history[0].origin == graph::Origin::Default);
  CHECK(surge->value.display() == "25%");
}

TEST_CASE("analyze: overlays on several environments apply in source order") {
  auto a = analyze_text(kPlatform + R"(
environment dev { }
environment staging { }
environment production { }

service api {
  image    = "ghcr.io/shop/api:1.4.2"
  replicas = 1
  on staging, production { replicas = 2 }
  on production { replicas = 4 }
}
)");
  REQUIRE(a->codes().empty());
  CHECK(a->sema.model.graph_for("dev")->find("api")->value("replicas")->i == 1);
  CHECK(a->sema.model.graph_for("staging")->find("api")->value("replicas")->i == 2);
  const graph::Attr* r = a->sema.model.graph_for("production")->find("api")->attr("replicas");
  CHECK(r->value.i == 4);
  REQUIRE(r->history.size() == 4);  // default 1, base 1, staging+production 2, production 4
  CHECK(r->history[2].value->i == 2);
  CHECK(r->history[3].value->i == 4);
}

TEST_CASE("analyze: target overlays give one graph per (environment, target); the more specific wins") {
  auto a = analyze_text(R"(
platform shop {
  owner   = "team"
  targets = [aws, gcp]
  region  = "eu-west-1"
}
environment dev { }
environment production { }

service api {
  image    = "ghcr.io/shop/api:1.4.2"
  replicas = 1
  on gcp { on production { replicas = 4 } }
  on production { replicas = 3 }
  on gcp { replicas = 2 }
}
)");
  REQUIRE(a->codes().empty());
  const auto& m = a->sema.model;
  CHECK(m.graphs.size() == 4);
  auto replicas = [&](const char* env, const char* target) {
    const graph::Graph* g = m.graph_for(env, target);
    REQUIRE(g);
    CHECK(g->target == target);
    return g->find("api")->value("replicas")->i;
  };
  CHECK(replicas("dev", "aws") == 1);
  CHECK(replicas("dev", "gcp") == 2);
  CHECK(replicas("production", "aws") == 3);
  // Written first, the overlay naming both still wins; the target's comes before the environment's.
  CHECK(replicas("production", "gcp") == 4);
  const graph::Attr* r = m.graph_for("production", "gcp")->find("api")->attr("replicas");
  REQUIRE(r->history.size() == 5);
  CHECK(r->history[2].target == "gcp");
  CHECK(r->history[2].environment.empty());
  CHECK(r->history[3].environment == "production");
  CHECK(r->history[3].target.empty());
  CHECK(r->history[4].environment == "production");
  CHECK(r->history[4].target == "gcp");
}

TEST_CASE("analyze: a disabled resource is absent from that graph, and no edge leads to it") {
  auto a = analyze_text(R"(
platform shop {
  owner   = "team"
  targets = [aws, gcp]
  region  = "eu-west-1"
}
environment dev { }
environment production { }

service redis {
  image   = "redis:7.4.1"
  port    = 6379
  enabled = false
  on dev { enabled = true }
}
cache sessions {
  engine = redis 7
  on dev { enabled = false }
  on gcp { on production { enabled = false } }
}
service api {
  image = "ghcr.io/shop/api:1.4.2"
  env { REDIS_URL = sessions.url }
  on dev { env { REDIS_URL = redis.url } }
  on gcp { on production { env { REDIS_URL = "redis://memorystore.internal:6379" } } }
}
)");
  REQUIRE(a->codes().empty());
  const auto& m = a->sema.model;
  auto has = [&](const char* env, const char* target, const char* id) {
    return m.graph_for(env, target)->find(id) != nullptr;
  };
  CHECK(has("dev", "aws", "redis"));
  CHECK_FALSE(has("dev", "aws", "sessions"));
  CHECK_FALSE(has("production", "aws", "redis"));
  CHECK(has("production", "aws", "sessions"));
  CHECK_FALSE(has("production", "gcp", "sessions"));
  for (const auto& g : m.graphs)
    for (const auto& e : g.edges) {
      CHECK(e.from < g.nodes.size());
      CHECK(e.to < g.nodes.size());
    }
  const graph::Graph* dev = m.graph_for("dev", "aws");
  bool to_redis = false;
  for (const auto& e : dev->edges)
    if (dev->nodes[e.to].id == "redis" && dev->nodes[e.from].id == "api") to_redis = true;
  CHECK(to_redis);

  // Without the overlays, each environment where the reference dangles is an error.
  auto bad = analyze_text(R"(
platform shop {
  owner   = "team"
  targets = [aws]
  region  = "eu-west-1"
}
environment dev { }
environment production { }
cache sessions {
  engine  = redis 7
  enabled = false
  on production { enabled = true }
}
service api {
  image = "ghcr.io/shop/api:1.4.2"
  env { REDIS_URL = sessions.url }
}
)");
  CHECK(bad->codes() == std::vector<std::string>{"E0443"});
}

TEST_CASE("analyze: env.domain is substituted per environment; resource names are left to the contract") {
  auto a = analyze_text(kPlatform + R"(
environment dev { domain = "dev.shop.example" }
environment production { domain = "shop.example" }

database orders { engine = postgres 16 }

service api {
  image = "ghcr.io/shop/api:1.4.2"
  port  = 8080
  expose { host = "api.${env.domain}" }
  env {
    DB_NAME = "${orders.name}"
    DB_HOST = "${orders.host}:5432"
  }
}
)");
  REQUIRE(a->codes().empty());
  const graph::Node* dev = a->sema.model.graph_for("dev")->find("api");
  const graph::Node* prod = a->sema.model.graph_for("production")->find("api");
  CHECK(dev->value("expose.host")->plain() == "api.dev.shop.example");
  CHECK(prod->value("expose.host")->plain() == "api.shop.example");
  // The name depends on the target (contract::Deployment::output_name): a reference still.
  CHECK(prod->value("env.DB_NAME")->plain() == "${orders.name}");
  CHECK_FALSE(prod->value("env.DB_NAME")->is_plain_string());
  CHECK(prod->value("env.DB_HOST")->plain() == "${orders.host}:5432");  // known only at deploy time
  CHECK_FALSE(prod->value("env.DB_HOST")->is_plain_string());
}

TEST_CASE("analyze: edge kinds") {
  auto a = analyze_text(kPlatform + R"(
secret stripe_key { store = "shop/stripe" }

database orders { engine = postgres 16 }

topic failed { }

topic payments { dead_letter = failed }

service api {
  image     = "ghcr.io/shop/api:1.4.2"
  port      = 8080
  publishes = [payments]
  env {
    DATABASE_URL = orders.url
    STRIPE_KEY   = stripe_key
  }
}

dashboard ops { rows = [api, orders] }
)");
  REQUIRE(a->codes().empty());
  const graph::Graph* g = a->sema.model.graph_for("default");
  REQUIRE(g);
  CHECK(edge_strings(*g) == std::vector<std::string>{
                                "payments -dependency-> failed via dead_letter",
                                "api -secret-> stripe_key via env.STRIPE_KEY",
                                "api -network-> orders via env.DATABASE_URL",
                                "api -network-> payments via publishes",
                                "ops -reference-> orders via rows",
                                "ops -reference-> api via rows",
                            });
}

TEST_CASE("analyze: an included config is the workload's own env, under its own entries") {
  auto a = analyze_text(kPlatform + R"(
environment dev { }
environment production { }

secret sentry { store = "shop/sentry" }

database orders { engine = postgres 16 }

config common {
  env {
    LOG_LEVEL    = "info"
    REGION       = "eu"
    SENTRY_DSN   = sentry
    DATABASE_URL = orders.url
  }
  on production { env { LOG_LEVEL = "warn" } }
}

config strict {
  env { LOG_LEVEL = "error"  STRICT = "1" }
}

service api {
  image   = "ghcr.io/shop/api:1.4.2"
  port    = 8080
  include = [common]
  on production { include = [common, strict] }
  env { REGION = "us" }
}
)");
  REQUIRE(a->codes().empty());
  const graph::Graph* dev = a->sema.model.graph_for("dev");
  const graph::Graph* prod = a->sema.model.graph_for("production");
  REQUIRE(dev);
  REQUIRE(prod);
  const graph::Node* d = dev->find("api");
  const graph::Node* p = prod->find("api");
  REQUIRE(d);
  REQUIRE(p);
  CHECK(d->value("env.LOG_LEVEL")->plain() == "info");
  CHECK(d->value("env.REGION")->plain() == "us");  // the workload's own entry wins
  CHECK_FALSE(d->value("env.STRICT"));
  CHECK(p->value("env.LOG_LEVEL")->plain() == "error");  // the later group wins over common's overlay
  CHECK(p->value("env.STRICT")->plain() == "1");
  // Traffic and secrets are the workload's: the same edges as if api had written the entries.
  auto edges = edge_strings(*dev);
  CHECK(std::find(edges.begin(), edges.end(), "api -secret-> sentry via env.SENTRY_DSN") != edges.end());
  CHECK(std::find(edges.begin(), edges.end(), "api -network-> orders via env.DATABASE_URL") != edges.end());
  // why: each step says which group it came from.
  const graph::Attr* level = p->attr("env.LOG_LEVEL");
  REQUIRE(level);
  REQUIRE(level->history.size() == 3);
  CHECK(level->history[0].from == "common");
  CHECK(level->history[1].from == "common");
  CHECK(level->history[1].origin == graph::Origin::Overlay);
  CHECK(level->history[2].from == "strict");
}

TEST_CASE("analyze: one graph per (environment, target)") {
  auto a = analyze_text(R"(platform shop {
  owner   = "t"
  targets = [aws, gcp]
  region  = { aws = "eu-west-1", gcp = "europe-west1" }
}

environment dev { }
environment production { }

service api { image = "ghcr.io/shop/api:1.4.2" }
)");
  REQUIRE(a->codes().empty());
  const auto& m = a->sema.model;
  CHECK(m.platform == "shop");
  CHECK(m.environments == std::vector<std::string>{"dev", "production"});
  CHECK(m.targets == std::vector<std::string>{"aws", "gcp"});
  std::vector<std::string> pairs;
  for (const auto& g : m.graphs) pairs.push_back(g.environment + "/" + g.target);
  CHECK(pairs == std::vector<std::string>{"dev/aws", "dev/gcp", "production/aws", "production/gcp"});
  REQUIRE(m.graph_for("production", "gcp"));
  CHECK(m.graph_for("production", "gcp")->target == "gcp");
  CHECK(m.graph_for("production")->target == "aws");  // the first target
  CHECK(m.graph_for("staging") == nullptr);
  // Nodes: kinds in a fixed order (platform, environment, …, service).
  std::vector<std::string> kinds;
  for (const auto& n : m.graphs[0].nodes) kinds.push_back(n.kind + " " + n.id);
  CHECK(kinds == std::vector<std::string>{"platform shop", "environment dev", "environment production", "service api"});
}

TEST_CASE("analyze: no environment means one called default") {
  auto a = analyze_text(kPlatform + "service api { image = \"nginx:1.27\" }\n");
  REQUIRE(a->codes().empty());
  CHECK(a->sema.model.environments == std::vector<std::string>{"default"});
  REQUIRE(a->sema.model.graphs.size() == 1);
  CHECK(a->sema.model.graphs[0].target == "aws");
}

TEST_CASE("analyze: semantic errors") {
  // Missing in one environment only: one diagnostic, naming that environment.
  auto missing = analyze_text(kPlatform + R"(
environment dev { }
environment production { }
service api {
  on dev { image = "nginx:1.27" }
}
)");
  REQUIRE(missing->codes() == std::vector<std::string>{"E0416"});
  const auto& d = missing->sema.diags.items()[0];
  CHECK(d.message == "service `api` is missing the required attribute `image`");
  CHECK(d.notes == std::vector<std::string>{"it is set in some environments' overlays, but not for `production`"});

  // A bad value of a required attribute is reported once, not also as missing.
  CHECK(analyze_text(kPlatform + "service api { image = build() }\n")->codes() == std::vector<std::string>{"E0434"});

  // min > max only in production.
  auto order = analyze_text(kPlatform + R"(
environment dev { }
environment production { }
service api {
  image = "nginx:1.27"
  autoscale {
    min = 2
    max = 6
  }
  on production {
    autoscale { min = 10 }
  }
}
)");
  REQUIRE(order->codes() == std::vector<std::string>{"E0411"});
  CHECK(order->sema.diags.items()[0].message ==
        "`autoscale.min` (10) is greater than `autoscale.max` (6) in service `api` for environment `production`");

  auto cycle = analyze_text(kPlatform + R"(
topic a { dead_letter = b }
topic b { dead_letter = c }
topic c { dead_letter = a }
)");
  REQUIRE(cycle->codes() == std::vector<std::string>{"E0420"});
  CHECK(cycle->sema.diags.items()[0].message == "dependency cycle: a -> b -> c -> a");
  CHECK(cycle->sema.diags.items()[0].secondary.size() == 2);

  auto dup = analyze_text(kPlatform + "database main { engine = postgres 16 }\ncache main { }\n");
  REQUIRE(dup->codes() == std::vector<std::string>{"E0401"});
  REQUIRE(dup->sema.diags.items()[0].secondary.size() == 1);
  CHECK(dup->sema.diags.items()[0].secondary[0].range.line == 6);

  CHECK(analyze_text("service api { image = \"nginx:1.27\" }\n")->codes() == std::vector<std::string>{"E0424"});
}
