// The HCL writer (backends/emit/hcl_writer.h, hcl_model.h, hcl_strings.h): the exact text of every
// construct, as terraform fmt leaves it. Every expected text of CHECK_HCL is also written, when
// PLATC_HCL_OUT is set, to $PLATC_HCL_OUT/unit/ (an expression as `x = …`), where
// tests/scripts/hcl.sh has `terraform fmt -check` confirm it.
#include "backends/emit/hcl_writer.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "backends/emit/hcl_strings.h"

namespace hcl = platc::emit::hcl;
using hcl::Body;
using hcl::Expr;
using hcl::to_hcl;

namespace {

// Keeps an expected text for terraform fmt: a file as it is, an expression as an attribute.
const std::string& fmt_sample(const std::string& text, bool is_file) {
  static int n = 0;
  const char* out = std::getenv("PLATC_HCL_OUT");
  if (out == nullptr || *out == '\0') return text;
  std::filesystem::path dir = std::filesystem::path(out) / "unit";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / fmt::format("sample{:03}.tf", n++), std::ios::binary) << (is_file ? text : "x = " + text + "\n");
  return text;
}

}  // namespace

// An expression's text, or a whole file's, checked here and by terraform fmt.
#define CHECK_HCL(actual, expected) CHECK((actual) == fmt_sample((expected), false))
#define CHECK_HCL_FILE(actual, expected) CHECK((actual) == fmt_sample((expected), true))

TEST_CASE("hcl: scalars") {
  CHECK_HCL(to_hcl(Expr::str("plain")), "\"plain\"");
  CHECK_HCL(to_hcl(Expr::number(42)), "42");
  CHECK_HCL(to_hcl(Expr::number(-7)), "-7");
  CHECK_HCL(to_hcl(Expr::number(platc::Decimal{5, 1})), "0.5");
  CHECK_HCL(to_hcl(Expr::number(platc::Decimal{-1205, 2})), "-12.05");
  CHECK_HCL(to_hcl(Expr::number(platc::Decimal{5, 3})), "0.005");
  CHECK_HCL(to_hcl(Expr::number(platc::Decimal{1500, 0})), "1500");
  CHECK_HCL(to_hcl(Expr::number_text("1.5e10")), "1.5e10");
  CHECK_HCL(to_hcl(Expr::boolean(true)), "true");
  CHECK_HCL(to_hcl(Expr::boolean(false)), "false");
  CHECK_HCL(to_hcl(Expr::null()), "null");
  CHECK_HCL(to_hcl(Expr::raw("map(string)")), "map(string)");
}

TEST_CASE("hcl: string escapes") {
  CHECK_HCL(hcl::quote(""), "\"\"");
  CHECK_HCL(hcl::quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  CHECK_HCL(hcl::quote("l1\nl2\r\n\t"), "\"l1\\nl2\\r\\n\\t\"");
  CHECK_HCL(hcl::quote("${x} %{ if } $ % $x %x"), "\"$${x} %%{ if } $ % $x %x\"");
  CHECK_HCL(hcl::quote("$${"), "\"$$${\"");
  CHECK_HCL(hcl::quote("ends $"), "\"ends $\"");
  CHECK_HCL(hcl::quote(std::string("a\0b\x1f\x7f", 5)), "\"a\\u0000b\\u001f\\u007f\"");
  CHECK_HCL(hcl::quote("\xc2\x85|\xe2\x80\xa8|\xef\xbb\xbf"), "\"\\u0085|\\u2028|\\ufeff\"");
  CHECK_HCL(hcl::quote("caf\xc3\xa9 \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");  // UTF-8 kept
  CHECK_THROWS_AS(hcl::quote("\xff"), std::invalid_argument);
  CHECK_THROWS_AS(hcl::quote("\xc0\xaf"), std::invalid_argument);      // overlong
  CHECK_THROWS_AS(hcl::quote("\xed\xa0\x80"), std::invalid_argument);  // surrogate
  CHECK_THROWS_AS(hcl::quote("\xe2\x82"), std::invalid_argument);      // cut short
}

TEST_CASE("hcl: object keys: bare identifiers, quoted otherwise, escaped beyond simple scripts") {
  CHECK(hcl::object_key("Name") == "Name");
  CHECK(hcl::object_key("a-b_c1") == "a-b_c1");
  CHECK(hcl::object_key("for") == "\"for\"");
  CHECK(hcl::object_key("null") == "\"null\"");
  CHECK(hcl::object_key("1a") == "\"1a\"");
  CHECK(hcl::object_key("kubernetes.io/role") == "\"kubernetes.io/role\"");
  CHECK(hcl::object_key("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(hcl::object_key("e\xcc\x81") == "\"e\\u0301\"");
  CHECK(hcl::object_key("\xf0\x9f\x98\x80") == "\"\\U0001f600\"");
  CHECK(hcl::key_columns("\"caf\xc3\xa9\"") == 6);
}

TEST_CASE("hcl: references and calls") {
  CHECK_HCL(to_hcl(Expr::ref("aws_s3_bucket.assets.arn")), "aws_s3_bucket.assets.arn");
  CHECK_HCL(to_hcl(Expr::ref("aws_subnet.private[0].id")), "aws_subnet.private[0].id");
  CHECK_HCL(to_hcl(Expr::ref("aws_subnet.private[*].id")), "aws_subnet.private[*].id");
  CHECK_HCL(to_hcl(Expr::ref("var.tags[\"Name\"]")), "var.tags[\"Name\"]");
  CHECK_HCL(to_hcl(Expr::ref("aws_instance.web[count.index].id")), "aws_instance.web[count.index].id");
  for (const char* bad : {"", "1x", "a..b", "a.", "a b", "a[", "a[]", "a[\"x\\\"]", "a[\"${x}\"]", "a.b c", "a[0]x"})
    CHECK_THROWS_AS(Expr::ref(bad), std::invalid_argument);
  CHECK_HCL(to_hcl(Expr::call("merge", {Expr::ref("var.a"), Expr::ref("var.b")})), "merge(var.a, var.b)");
  CHECK_HCL(to_hcl(Expr::call("timestamp", {})), "timestamp()");
  CHECK_HCL(to_hcl(Expr::call("provider::aws::arn_parse", {Expr::str("x")})), "provider::aws::arn_parse(\"x\")");
  CHECK_THROWS_AS(Expr::call("bad name", {}), std::invalid_argument);
  CHECK_THROWS_AS(Expr::number_text("1."), std::invalid_argument);
  CHECK_THROWS_AS(Expr::number_text("0x10"), std::invalid_argument);
  CHECK_THROWS_AS(Expr::raw("a\nb"), std::invalid_argument);
  CHECK_THROWS_AS(Expr::raw("f("), std::invalid_argument);
  CHECK_THROWS_AS(Expr::raw("{ a = [1 }"), std::invalid_argument);
  CHECK_THROWS_AS(Expr::raw("\"open"), std::invalid_argument);
  CHECK_HCL(to_hcl(Expr::raw("object({ name = string, tags = map(string) })")),
            "object({ name = string, tags = map(string) })");
  CHECK_HCL(to_hcl(Expr::raw("var.x == \")\" ? 1 : 0")), "var.x == \")\" ? 1 : 0");
}

TEST_CASE("hcl: templates") {
  Expr arn = Expr::tmpl({Expr::str("arn:aws:s3:::"), Expr::ref("aws_s3_bucket.x.id"), Expr::str("/*")});
  CHECK_HCL(to_hcl(arn), "\"arn:aws:s3:::${aws_s3_bucket.x.id}/*\"");
  // one interpolation and no text: the expression itself, as terraform fmt unwraps it
  CHECK_HCL(to_hcl(Expr::tmpl({Expr::str(""), Expr::ref("var.x"), Expr::str("")})), "var.x");
  CHECK_HCL(to_hcl(Expr::tmpl({})), "\"\"");
  CHECK_HCL(to_hcl(Expr::tmpl({Expr::str("a"), Expr::str("${b}")})), "\"a$${b}\"");
  // a `$` before an interpolation would escape it: it is interpolated itself
  CHECK_HCL(to_hcl(Expr::tmpl({Expr::str("cost $"), Expr::ref("var.x")})), "\"cost ${\"$\"}${var.x}\"");
  CHECK_HCL(to_hcl(Expr::tmpl({Expr::str("$$"), Expr::ref("var.x"), Expr::str("$")})), "\"${\"$$\"}${var.x}$\"");
  CHECK_HCL(to_hcl(Expr::tmpl({Expr::call("join", {Expr::str(","), Expr::ref("var.l")}), Expr::str("-")})),
            "\"${join(\",\", var.l)}-\"");
  CHECK_THROWS_AS(to_hcl(Expr::tmpl({Expr::str("x"), Expr::object().set("a", "b")})), std::invalid_argument);
}

TEST_CASE("hcl: tuples: one line when short and simple, one item per line otherwise") {
  CHECK_HCL(to_hcl(Expr::tuple()), "[]");
  CHECK_HCL(to_hcl(Expr::strings({"a", "b"})), "[\"a\", \"b\"]");
  Expr long_list = Expr::strings(
      {"arn:aws:s3:::example-assets-one", "arn:aws:s3:::example-assets-two", "arn:aws:s3:::example-assets-three"});
  CHECK_HCL(to_hcl(long_list),
            "[\n"
            "  \"arn:aws:s3:::example-assets-one\",\n"
            "  \"arn:aws:s3:::example-assets-two\",\n"
            "  \"arn:aws:s3:::example-assets-three\",\n"
            "]");
  CHECK_HCL(to_hcl(Expr::tuple({Expr::object().set("a", Expr::number(1))})),
            "[\n"
            "  {\n"
            "    a = 1\n"
            "  },\n"
            "]");
  CHECK_HCL(to_hcl(Expr::tuple({Expr::object()})), "[{}]");
  // a heredoc inside a tuple is a quoted string
  CHECK_HCL(to_hcl(Expr::tuple({Expr::heredoc("x\n")})), "[\"x\\n\"]");
}

TEST_CASE("hcl: objects align `=` over runs of one-line values") {
  Expr o = Expr::object();
  o.set("Name", "x");
  o.set("a b", Expr::number(1));
  o.set("nested", Expr::object().set("d", Expr::number(1)));
  o.set("eeeee", Expr::number(2));
  o.set("f", Expr::number(3));
  o.set("Name", "y");  // set again: in place
  CHECK_HCL(to_hcl(o),
            "{\n"
            "  Name  = \"y\"\n"
            "  \"a b\" = 1\n"
            "  nested = {\n"
            "    d = 1\n"
            "  }\n"
            "  eeeee = 2\n"
            "  f     = 3\n"
            "}");
  CHECK_HCL(to_hcl(Expr::object()), "{}");
}

TEST_CASE("hcl: calls whose arguments span lines") {
  Expr policy = Expr::call("jsonencode", {Expr::object()
                                              .set("Version", "2012-10-17")
                                              .set("Statement", Expr::tuple({Expr::object().set("Effect", "Deny")}))});
  CHECK_HCL(to_hcl(policy),
            "jsonencode({\n"
            "  Version = \"2012-10-17\"\n"
            "  Statement = [\n"
            "    {\n"
            "      Effect = \"Deny\"\n"
            "    },\n"
            "  ]\n"
            "})");
  CHECK_HCL(to_hcl(Expr::call("merge", {Expr::ref("var.tags"), Expr::object().set("a", "b")})),
            "merge(var.tags, {\n"
            "  a = \"b\"\n"
            "})");
  CHECK_HCL(to_hcl(Expr::call("merge", {Expr::object().set("a", "b"), Expr::ref("var.tags")})),
            "merge(\n"
            "  {\n"
            "    a = \"b\"\n"
            "  },\n"
            "  var.tags,\n"
            ")");
}

TEST_CASE("hcl: heredocs") {
  CHECK(hcl::heredoc_ok("a\n  b\n"));
  CHECK_FALSE(hcl::heredoc_ok("no newline at the end"));
  CHECK_FALSE(hcl::heredoc_ok(""));
  CHECK_FALSE(hcl::heredoc_ok("  all\n  indented\n"));  // the flush rule would strip their indentation
  CHECK_FALSE(hcl::heredoc_ok("cr\r\n"));
  CHECK_FALSE(hcl::heredoc_ok("\xcc\x81 combining first\n"));
  CHECK(hcl::heredoc_ok("\tx\ny\n"));
  Body b;
  b.attr("a", Expr::number(1));
  b.attr("policy", Expr::heredoc("{\n  \"k\": \"${v}\"\n}\n\n   \nEOT\n"));
  b.attr("bb", Expr::number(2));
  b.attr("quoted", Expr::heredoc("  indented\n"));
  CHECK_HCL_FILE(to_hcl(b),
                 "a      = 1\n"
                 "policy = <<-EOT1\n"
                 "  {\n"
                 "    \"k\": \"$${v}\"\n"
                 "  }\n"
                 "\n"
                 "   \n"
                 "  EOT\n"
                 "EOT1\n"
                 "bb     = 2\n"
                 "quoted = \"  indented\\n\"\n");
}

TEST_CASE("hcl: bodies: blocks, blank lines, comments, alignment") {
  Body f;
  f.comment("generated by platc, do not edit");
  auto& r = f.block("resource", {"aws_s3_bucket", "assets"});
  r.body.attr("bucket", "x");
  r.body.attr("force_destroy", Expr::boolean(false));
  r.body.attr("tags", Expr::object().set("Name", "x"));
  r.body.attr("a", Expr::number(1));
  r.body.blank();
  r.body.blank();
  r.body.attr("bb", Expr::number(2));
  r.body.comment("why");
  r.body.attr("c", Expr::number(3));
  auto& v = r.body.block("versioning_configuration");
  v.body.attr("status", "Enabled");
  r.body.block("empty");
  r.body.attr("after", Expr::number(4));
  r.body.blank();
  f.block("locals");
  CHECK_HCL_FILE(to_hcl(f),
                 "# generated by platc, do not edit\n"
                 "resource \"aws_s3_bucket\" \"assets\" {\n"
                 "  bucket        = \"x\"\n"
                 "  force_destroy = false\n"
                 "  tags = {\n"
                 "    Name = \"x\"\n"
                 "  }\n"
                 "  a = 1\n"
                 "\n"
                 "  bb = 2\n"
                 "  # why\n"
                 "  c = 3\n"
                 "\n"
                 "  versioning_configuration {\n"
                 "    status = \"Enabled\"\n"
                 "  }\n"
                 "\n"
                 "  empty {}\n"
                 "\n"
                 "  after = 4\n"
                 "}\n"
                 "\n"
                 "locals {}\n");
  CHECK_HCL_FILE(to_hcl(Body()), "");
}

TEST_CASE("hcl: comments cannot end early") {
  CHECK(hcl::comment_lines("a\n\nb", 2) == "  # a\n  #\n  # b\n");
  CHECK(hcl::comment_lines("cr\r lf \x01 ls \xe2\x80\xa8 tab\t", 0) == "# cr\\u000d lf \\u0001 ls \\u2028 tab\t\n");
  CHECK(hcl::comment_lines("bad \xff\xc0\xaf utf-8 \xc3\xa9", 0) == "# bad \\xff\\xc0\\xaf utf-8 \xc3\xa9\n");
}

TEST_CASE("hcl: names are checked") {
  Body b;
  CHECK_THROWS_AS(b.attr("1x", Expr::number(1)), std::invalid_argument);
  CHECK_THROWS_AS(b.attr("a b", Expr::number(1)), std::invalid_argument);
  CHECK_THROWS_AS(b.attr("", Expr::number(1)), std::invalid_argument);
  b.attr("x", Expr::number(1));
  CHECK_THROWS_AS(b.attr("x", Expr::number(2)), std::invalid_argument);  // set twice
  CHECK_THROWS_AS(b.block("bad type"), std::invalid_argument);
  CHECK_THROWS_AS(b.block("resource", {"a\"b"}), std::invalid_argument);
  CHECK_THROWS_AS(b.block("resource", {"a\\b"}), std::invalid_argument);
  CHECK_THROWS_AS(b.block("resource", {"${x}"}), std::invalid_argument);
  CHECK_THROWS_AS(b.block("resource", {"caf\xc3\xa9"}), std::invalid_argument);
  CHECK_THROWS_AS(b.block("resource", {"tab\t"}), std::invalid_argument);
  CHECK_NOTHROW(b.block("resource", {"aws_s3_bucket", "with space-and.dots"}));
  for (Expr bad : {Expr::raw("list"), Expr::ref("map"), Expr::str("string"), Expr::str("map")}) {
    Body v;
    v.block("variable", {"x"}).body.attr("type", bad);
    CHECK_THROWS_AS(to_hcl(v), std::invalid_argument);  // terraform fmt would rewrite it
  }
  Body v;
  v.block("variable", {"x"}).body.attr("type", Expr::raw("list(string)"));
  CHECK_HCL_FILE(to_hcl(v),
                 "variable \"x\" {\n"
                 "  type = list(string)\n"
                 "}\n");
  CHECK_THROWS_AS(Expr::str("x").push(Expr::null()), std::invalid_argument);
  CHECK_THROWS_AS(Expr::tuple().set("a", Expr::null()), std::invalid_argument);
}
