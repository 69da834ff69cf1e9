// The formatter: meaning kept, comments kept, idempotent — over every .plat file in the tree —
// plus the layout rules one by one.
#include "compiler/format/format.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "compiler/ast/dump.h"
#include "compiler/format/multiline.h"
#include "compiler/parse/parser.h"

namespace {
namespace fs = std::filesystem;
using namespace platc;

struct Parsed {
  SourceManager sources;
  FileId id = kNoFile;
  parse::ParseResult result;
  bool ok() const { return !result.diags.has_errors(); }
  std::string format() const { return format::format_file(result.file, sources.file(id)); }
  std::string ast() const { return ast::dump(result.file, false).dump(); }
  std::multiset<std::string> comments() const {
    std::multiset<std::string> out;
    for (const auto& c : result.file.comments) {
      std::string t = c.text;
      while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
      out.insert(t);
    }
    return out;
  }
};

std::unique_ptr<Parsed> parse_text(const std::string& text) {
  auto p = std::make_unique<Parsed>();
  p->id = p->sources.add("test.plat", text);
  p->result = parse::parse_file(p->sources, p->id);
  return p;
}

// Formats text that must parse; fails the test otherwise.
std::string formatted(const std::string& text) {
  auto p = parse_text(text);
  REQUIRE_MESSAGE(p->ok(), "the input does not parse:\n" << text);
  return p->format();
}

// The three promises of the formatter, for one input that parses.
void check_promises(const std::string& name, const std::string& text) {
  auto original = parse_text(text);
  if (!original->ok()) return;
  std::string once = original->format();
  auto reparsed = parse_text(once);
  REQUIRE_MESSAGE(reparsed->ok(), name << ": the formatted text does not parse:\n" << once);
  CHECK_MESSAGE(reparsed->ast() == original->ast(), name << ": the AST changed:\n" << once);
  CHECK_MESSAGE(reparsed->format() == once, name << ": not idempotent; first pass:\n" << once);
  CHECK_MESSAGE(reparsed->comments() == original->comments(), name << ": comments changed:\n" << once);
}

// Rewrites the layout of `text` without touching strings or comments: `edit` sees each character
// outside them and returns what to write instead. Used to shake the formatter with layouts that
// nobody would write by hand (a comment after every `=`, everything on one line, ...).
template <typename Edit>
std::string perturb(const std::string& text, Edit edit) {
  std::string out;
  enum { Code, Str, Multi, Comment } state = Code;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (state) {
      case Code:
        if (text.compare(i, 3, "\"\"\"") == 0) {
          out += "\"\"\"";
          i += 2;
          state = Multi;
        } else if (c == '"') {
          out += c;
          state = Str;
        } else if (c == '#' || text.compare(i, 2, "//") == 0) {
          out += c;
          state = Comment;
        } else {
          out += edit(c);
        }
        break;
      case Str:
        out += c;
        if (c == '\\' && i + 1 < text.size())
          out += text[++i];
        else if (c == '"' || c == '\n')
          state = Code;
        break;
      case Multi:
        if (text.compare(i, 3, "\"\"\"") == 0) {
          out += "\"\"\"";
          i += 2;
          state = Code;
        } else {
          out += c;
        }
        break;
      case Comment:
        out += c;
        if (c == '\n') state = Code;
        break;
    }
  }
  return out;
}

// Checks the promises on layouts of `text` that nobody would write by hand.
void check_perturbed(const std::string& name, const std::string& text) {
  auto punct = [](char c) { return c == '{' || c == '[' || c == '(' || c == ',' || c == '='; };
  int n = 0;
  auto variant = [&](const char* what, auto edit) { check_promises(name + " [" + what + "]", perturb(text, edit)); };
  variant("newline after punctuation", [&](char c) { return std::string(1, c) + (punct(c) ? "\n" : ""); });
  variant("comment after punctuation",
          [&](char c) { return std::string(1, c) + (punct(c) ? " # c" + std::to_string(n++) + "\n" : ""); });
  variant("blank lines", [](char c) { return c == '\n' ? std::string("\n\n\n") : std::string(1, c); });
  variant("one line", [](char c) { return c == '\n' ? std::string(" ") : std::string(1, c); });
  variant("tabs", [](char c) { return c == ' ' ? std::string("\t ") : std::string(1, c); });
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("fmt: every .plat file in the tree keeps its AST and comments, and formats idempotently") {
  fs::path root = PLATC_SOURCE_DIR;
  std::size_t checked = 0;
  for (const char* dir : {"examples", "tests/golden", "stdlib"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      if (!e.is_regular_file() || e.path().extension() != ".plat") continue;
      std::string text = read(e.path());
      CAPTURE(e.path().string());
      check_promises(e.path().string(), text);
      check_perturbed(e.path().string(), text);
      ++checked;
    }
  }
  CHECK(checked > 0);
}

TEST_CASE("fmt: tricky inputs keep their AST and comments, and format idempotently") {
  const char* cases[] = {
      "",
      "# only a comment",
      "service a {}",
      "service a {\n}\n",
      "service a { # c\n}\n",
      "service a {\n  # c\n}\n",
      "service # in header\n a { x = 1 }\n",
      "service a { x = f( # in call\n 1) }\n",
      "service a {\n  x = [ # open\n 1, # one\n # two\n 2\n # close\n ] # after\n}\n",
      "service a {\n  x = [[1, 2], [3,\n 4]]\n}\n",
      "service a {\n  x = f([ # c\n 1 ], # d\n 2)\n}\n",
      "service a {\n  x = { a = { b = 1, c = [\n 2] } }\n}\n",
      "service a { x = \"${a # b}\" }\n",
      "service a {\n  s = \"\"\"\n      one\n\n        two  \n      \"\"\"\n}\n",
      "service a {\n  s = [\"\"\"\n  x\n  \"\"\", \"\"\"\n  y\n  \"\"\"]\n}\n",
      "on_top a { on dev, # env\n prod { x = 1 } }\n",
      "a b { x = 1; y = 2, z = -3  r = 1 .. 2  c = a -> b -> c  k = s >= high  p = ((1)) }\n",
      "a b { x = 1 }  # trailing\n# next\n\n\n# far\nc d {}\n",
      "import \"./x.plat\" # why\n\n\nimport std.sizes as s\n# about y\nimport \"./y.plat\"\nblock {}\n",
      "a {\r\n  x = 1\r\n  s = \"\"\"\r\n    t\r\n    \"\"\"\r\n}\r\n",
      "a { \"quoted \\\" key\" = { \"k\\n\" = 1 } }\n",
      "a { x = 1 y = 2 # two\n z = 3 }\n",
      "a {\n  x = dev ->\n    # mid\n    prod # end\n}\n",
      "a { \"k\\\"\" = { \"\\u{6a}\" = 1 } }\n",
  };
  for (const char* c : cases) {
    check_promises(c, c);
    check_perturbed(c, c);
  }
}

TEST_CASE("fmt: alignment runs are broken by blank lines, comments, blocks and multi-line values") {
  std::string in =
      "service api {\n"
      "  image = \"x\"\n"
      "  replicas = 2\n"
      "\n\n\n"
      "  port = 8080\n"
      "  # comment\n"
      "  a = 1\n"
      "  bb = 2 # trailing comments do not break a run\n"
      "  env { A = 1 }\n"
      "  ccc = 3\n"
      "  list = [\n    1,\n  ]\n"
      "  d = 4\n"
      "}\n";
  CHECK(formatted(in) ==
        "service api {\n"
        "  image    = \"x\"\n"
        "  replicas = 2\n"
        "\n"
        "  port = 8080\n"
        "  # comment\n"
        "  a  = 1\n"
        "  bb = 2  # trailing comments do not break a run\n"
        "  env { A = 1 }\n"
        "  ccc = 3\n"
        "  list = [\n    1,\n  ]\n"
        "  d = 4\n"
        "}\n");
}

TEST_CASE("fmt: no blank line after { or before }, one between top-level blocks, none between imports") {
  std::string in = "import \"./a.plat\"\n\n\nimport \"./b.plat\"\nservice a {\n\n\n  x = 1\n\n\n}\n\n\n\nservice b {}";
  CHECK(formatted(in) == "import \"./a.plat\"\nimport \"./b.plat\"\n\nservice a {\n  x = 1\n}\n\nservice b {}\n");
}

TEST_CASE("fmt: one-line blocks stay on one line only when written so and when they fit") {
  CHECK(formatted("a b { x = 1, y = 2 }") == "a b { x = 1  y = 2 }\n");
  CHECK(formatted("a b {\n  x = 1\n}") == "a b {\n  x = 1\n}\n");
  CHECK(formatted("a b { c { x = 1 } }") == "a b {\n  c { x = 1 }\n}\n");
  CHECK(formatted("a b {\n\n}") == "a b {}\n");
  std::string wide = "a b { x = \"" + std::string(80, 'x') + "\"  y = 1 }";
  CHECK(formatted(wide) == "a b {\n  x = \"" + std::string(80, 'x') + "\"\n  y = 1\n}\n");
  // Exactly 100 columns fits.
  std::string exact = "a b { x = \"" + std::string(86, 'x') + "\" }";
  REQUIRE(exact.size() == 100);
  CHECK(formatted(exact) == exact + "\n");
  std::string over = "a b { x = \"" + std::string(87, 'x') + "\" }";
  CHECK(formatted(over) == "a b {\n  x = \"" + std::string(87, 'x') + "\"\n}\n");
}

TEST_CASE("fmt: maps and lists") {
  CHECK(formatted("a { m = {a=1;b=\"x\"} }") == "a { m = { a = 1, b = \"x\" } }\n");
  CHECK(formatted("a {\n  m = {\n a = 1, bb = 2 }\n}") == "a {\n  m = {\n    a  = 1\n    bb = 2\n  }\n}\n");
  CHECK(formatted("a {\n  l = [1,2,3,]\n}") == "a {\n  l = [1, 2, 3]\n}\n");
  CHECK(formatted("a {\n  l = [1,\n2]\n}") == "a {\n  l = [\n    1,\n    2,\n  ]\n}\n");
  CHECK(formatted("a {\n  l = [\n]\n  m = {\n}\n}") == "a {\n  l = []\n  m = {}\n}\n");
  std::string items;
  for (int i = 0; i < 30; ++i) items += (i ? ", " : "") + std::to_string(100 + i);
  std::string out = formatted("a {\n  l = [" + items + "]\n}");
  CHECK(out.starts_with("a {\n  l = [\n    100,\n    101,\n"));
  CHECK(out.ends_with("    129,\n  ]\n}\n"));
}

TEST_CASE("fmt: comments stay where they were written") {
  std::string in =
      "# file header\n"
      "\n"
      "service a { # after the brace\n"
      "  # leading\n"
      "  x = 1 # trailing\n"
      "\n"
      "  # between\n"
      "  y = f(  # inside a call: lifted above its attribute\n"
      "    2)\n"
      "  # before the closing brace\n"
      "}\n"
      "# at the end\n";
  CHECK(formatted(in) ==
        "# file header\n"
        "\n"
        "service a {  # after the brace\n"
        "  # leading\n"
        "  x = 1  # trailing\n"
        "\n"
        "  # between\n"
        "  # inside a call: lifted above its attribute\n"
        "  y = f(2)\n"
        "  # before the closing brace\n"
        "}\n"
        "# at the end\n");
}

TEST_CASE("fmt: multi-line strings move with their attribute and keep their value") {
  std::string in =
      "job r {\n"
      "      script = \"\"\"\n"
      "          echo ${env.name}\n"
      "            indented\n"
      "   \n"
      "          done\n"
      "          \"\"\"\n"
      "}\n";
  CHECK(formatted(in) ==
        "job r {\n"
        "  script = \"\"\"\n"
        "    echo ${env.name}\n"
        "      indented\n"
        "\n"
        "    done\n"
        "    \"\"\"\n"
        "}\n");
}

TEST_CASE("fmt: reindent_multiline") {
  auto lines = format::reindent_multiline("\"\"\"  \n\t\tx\n\n\t\t  y \n\t\t\"\"\"", 4);
  REQUIRE(lines);
  CHECK(*lines == std::vector<std::string>{"\"\"\"", "    x", "", "      y ", "    \"\"\""});
  CHECK_FALSE(format::reindent_multiline("\"\"\"x\n\"\"\"", 0));
  CHECK_FALSE(format::reindent_multiline("\"x\"", 0));
}

TEST_CASE("fmt: CRLF in, LF out; exactly one final newline; no trailing spaces") {
  CHECK(formatted("a {  \r\n  x = 1   \r\n}   \r\n\r\n\r\n") == "a {\n  x = 1\n}\n");
  CHECK(formatted("# c   \n\n\n") == "# c\n");
  CHECK(formatted("") == "");
}

TEST_CASE("fmt: operators, calls, engines and literals as written") {
  CHECK(formatted("p { a = 250m..1  b = dev->staging  c = trivy(severity>=high)  d = - 1  e = postgres   15 }") ==
        "p { a = 250m .. 1  b = dev -> staging  c = trivy(severity >= high)  d = -1  e = postgres 15 }\n");
  CHECK(formatted("p { a = 10_000  b = 0.50  c = 1h30m  d = 7.2.4  e = \"\\u{41}\"  f = ( x ) }") ==
        "p { a = 10_000  b = 0.50  c = 1h30m  d = 7.2.4  e = \"\\u{41}\"  f = (x) }\n");
}

// Quoted keys and import paths are copied from the source by their ranges, so this needs the
// lexer's columns and SourceFile::line_starts to agree that a leading byte-order mark takes none.
TEST_CASE("fmt: a file that starts with a byte-order mark") {
  check_promises("BOM + import path", "\xEF\xBB\xBFimport \"./\\u{78}.plat\" as x\na { \"k\" = 1 }\n");
  check_promises("BOM + quoted key",
                 "\xEF\xBB\xBF"
                 "a { \"k\\\"\" = { \"\\u{6a}\" = 1 } }\n");
  CHECK(formatted("\xEF\xBB\xBF"
                  "a { \"k\" = 1 }") == "a { \"k\" = 1 }\n");
}
