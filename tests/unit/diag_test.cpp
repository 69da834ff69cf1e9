// Diagnostics: the registry, "did you mean", ordering, and the human and JSON renderers
// (compiler/diag/). Rendered text is compared byte for byte.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"
#include "compiler/diag/render_sarif.h"

using namespace platc;
using nlohmann::json;

namespace {

SourceRange R(FileId f, std::uint32_t l, std::uint32_t c, std::uint32_t el, std::uint32_t ec) {
  return SourceRange{f, l, c, el, ec};
}

}  // namespace

TEST_CASE("edit_distance: optimal string alignment, case-insensitive") {
  CHECK(edit_distance("port", "port") == 0);
  CHECK(edit_distance("port", "prot") == 1);  // a swap of neighbours costs one
  CHECK(edit_distance("ab", "ba") == 1);
  CHECK(edit_distance("PORT", "port") == 0);
  CHECK(edit_distance("Mb", "MB") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("replicas", "replica") == 1);
  CHECK(edit_distance("ca", "abc") == 3);  // OSA, not full Damerau (which says 2)
  CHECK(edit_distance("abc", "xyz") == 3);
}

TEST_CASE("closest_match: close enough to be a typo") {
  std::vector<std::string> kinds = {"service", "database", "cache", "secret", "environment"};
  CHECK(closest_match("servce", kinds) == "service");
  CHECK(closest_match("databse", kinds) == "database");
  CHECK(closest_match("sercet", kinds) == "secret");     // swap
  CHECK(closest_match("Cache", kinds) == "cache");       // case only
  CHECK(closest_match("cache", kinds) == std::nullopt);  // an exact match is not a suggestion
  CHECK(closest_match("queue", kinds) == std::nullopt);
  CHECK(closest_match("", kinds) == std::nullopt);
  CHECK(closest_match("x", {}) == std::nullopt);

  SUBCASE("threshold: one edit per three characters, at least one") {
    CHECK(closest_match("abc", {"abx"}) == "abx");                    // 1 ≤ max(1, 1)
    CHECK(closest_match("abc", {"axy"}) == std::nullopt);             // 2 > 1
    CHECK(closest_match("abcdef", {"abcxyf"}) == "abcxyf");           // 2 ≤ 2
    CHECK(closest_match("abcdef", {"axyzef"}) == std::nullopt);       // 3 > 2
    CHECK(closest_match("abcdefghi", {"abcxyzghi"}) == "abcxyzghi");  // 3 ≤ 3
  }
  SUBCASE("ties break byte-wise, whatever the candidates' order") {
    CHECK(closest_match("ab", {"ac", "aa"}) == "aa");
    CHECK(closest_match("ab", {"aa", "ac"}) == "aa");
    CHECK(closest_match("abcd", {"abce", "abcf", "xbcd"}) == "abce");
  }
  SUBCASE("the closest wins over an earlier, farther one") {
    CHECK(closest_match("replicsa", {"resources", "replicas"}) == "replicas");
    CHECK(closest_match("abcdef", {"abxxef", "abcdex"}) == "abcdex");
  }
  SUBCASE("a suggestion that replaces every character is no suggestion") {
    CHECK(closest_match("e", {"%", "B", "s"}) == std::nullopt);
    CHECK(closest_match("b", {"B"}) == "B");
  }
}

TEST_CASE("the registry") {
  const auto& kinds = all_diag_kinds();
  CHECK(kinds.size() == static_cast<std::size_t>(DiagKind::Count_));
  std::set<std::string_view> codes;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    CAPTURE(kinds[i].name);
    CHECK(static_cast<std::size_t>(kinds[i].kind) == i);
    CHECK(codes.insert(kinds[i].code).second);  // every code once
    CHECK(kinds[i].code.size() == 5);
    CHECK(&diag_info(kinds[i].kind) == &kinds[i]);
  }
  const DiagKindInfo* e = find_diag_code("E0201");
  REQUIRE(e);
  CHECK(e->kind == DiagKind::UnknownUnit);
  CHECK(e->severity == Severity::Error);
  CHECK(find_diag_code("e0201") == e);  // case-insensitive
  CHECK(find_diag_code("E020") == nullptr);
  CHECK(find_diag_code("E9999") == nullptr);
  CHECK(severity_name(Severity::Error) == "error");
  CHECK(severity_name(Severity::Warning) == "warning");
  CHECK(severity_name(Severity::Note) == "note");
}

TEST_CASE("make_diag formats the registry message") {
  Diagnostic d = make_diag(DiagKind::UnknownUnit, R(0, 2, 15, 2, 17), "Mb", "512Mb");
  CHECK(d.message == "unknown unit `Mb` in `512Mb`");
  CHECK(d.code() == "E0201");
  CHECK(d.severity == Severity::Error);
  CHECK(d.kind == DiagKind::UnknownUnit);
  // `{{` in the registry is a literal brace.
  CHECK(make_diag(DiagKind::UnclosedBlock, {}, "block `service a`", 3, 1).message ==
        "expected `}` to close block `service a` opened at 3:1");
}

TEST_CASE("Diagnostics: counts, append, sort") {
  Diagnostics ds;
  CHECK(ds.empty());
  CHECK_FALSE(ds.has_errors());
  ds.report(DiagKind::UnknownUnit, R(1, 5, 3, 5, 4), "x", "1x");
  ds.report(DiagKind::InvalidEscape, R(0, 9, 1, 9, 3), "\\q");
  ds.add(make_diag(DiagKind::UnknownUnit, R(0, 2, 7, 2, 8), "y", "1y")).severity = Severity::Warning;
  ds.report(DiagKind::UnterminatedString, R(0, 2, 7, 2, 9));
  ds.report(DiagKind::MixedUnits, R(0, 2, 7, 2, 9), "1h1Gi");
  ds.report(DiagKind::CannotRead, SourceRange{}, "x.plat", "gone");
  CHECK(ds.error_count() == 5);
  CHECK(ds.warning_count() == 1);
  CHECK(ds.has_errors());

  ds.sort();
  std::vector<std::string> order;
  for (const auto& d : ds.items())
    order.push_back(fmt::format("{}@{}:{}:{}", d.code(), d.primary.file, d.primary.line, d.primary.col));
  // By file, then line and column, then code; the location-less diagnostic (file kNoFile) last.
  CHECK(order == std::vector<std::string>{"E0005@0:2:7", "E0201@0:2:7", "E0203@0:2:7", "E0205@0:9:1", "E0201@1:5:3",
                                          fmt::format("E0301@{}:0:0", kNoFile)});

  SUBCASE("stable for complete ties") {
    Diagnostics t;
    t.report(DiagKind::UnknownUnit, R(0, 1, 1, 1, 2), "a", "1a");
    t.report(DiagKind::UnknownUnit, R(0, 1, 1, 1, 2), "b", "1b");
    t.report(DiagKind::UnknownUnit, R(0, 1, 1, 1, 2), "c", "1c");
    t.sort();
    CHECK(t.items()[0].message == "unknown unit `a` in `1a`");
    CHECK(t.items()[1].message == "unknown unit `b` in `1b`");
    CHECK(t.items()[2].message == "unknown unit `c` in `1c`");
  }
  SUBCASE("append keeps order") {
    Diagnostics a, b;
    a.report(DiagKind::NulByte, R(0, 3, 1, 3, 2));
    b.report(DiagKind::InvalidUtf8, R(0, 1, 1, 1, 2));
    a.append(std::move(b));
    REQUIRE(a.items().size() == 2);
    CHECK(a.items()[0].code() == "E0002");
    CHECK(a.items()[1].code() == "E0001");
  }
}

TEST_CASE("summary_line") {
  Diagnostics ds;
  CHECK(summary_line(ds) == "");
  ds.report(DiagKind::NulByte, R(0, 1, 1, 1, 2));
  CHECK(summary_line(ds) == "1 error in 1 file");
  ds.report(DiagKind::NulByte, R(0, 2, 1, 2, 2));
  ds.report(DiagKind::NulByte, R(1, 2, 1, 2, 2));
  ds.add(make_diag(DiagKind::NulByte, R(2, 1, 1, 1, 2))).severity = Severity::Warning;
  CHECK(summary_line(ds) == "3 errors, 1 warning in 3 files");

  Diagnostics w;
  w.add(make_diag(DiagKind::NulByte, R(0, 1, 1, 1, 2))).severity = Severity::Warning;
  w.add(make_diag(DiagKind::NulByte, R(0, 2, 1, 2, 2))).severity = Severity::Warning;
  CHECK(summary_line(w) == "2 warnings in 1 file");

  Diagnostics nowhere;
  nowhere.report(DiagKind::CannotRead, SourceRange{}, "x", "y");
  CHECK(summary_line(nowhere) == "1 error");

  Diagnostics notes;
  notes.add(make_diag(DiagKind::NulByte, R(0, 1, 1, 1, 2))).severity = Severity::Note;
  CHECK(summary_line(notes) == "");
}

TEST_CASE("render_human_one: label, secondary label, note, help and fix-it") {
  SourceManager sm;
  FileId f = sm.add("p.plat", "service api {\n  memory = 512Mb\n}\n");
  Diagnostic d = make_diag(DiagKind::UnknownUnit, R(f, 2, 15, 2, 17), "Mb", "512Mb");
  d.label("unknown unit")
      .also(R(f, 1, 1, 1, 12), "in this block")
      .note("units are case-sensitive")
      .with_help("did you mean `MB`?")
      .fix(R(f, 2, 15, 2, 17), "MB");
  CHECK(render_human_one(d, sm, false) ==
        "error[E0201]: unknown unit `Mb` in `512Mb`\n"
        " --> p.plat:2:15\n"
        "  |\n"
        "1 | service api {\n"
        "  | ----------- in this block\n"
        "2 |   memory = 512Mb\n"
        "  |               ^^ unknown unit\n"
        "  |\n"
        "  = note: units are case-sensitive\n"
        "help: did you mean `MB`?\n"
        "  |\n"
        "2 |   memory = 512MB\n"
        "  |               ~~\n");

  SUBCASE("without a fix-it, note and help are `=` lines") {
    d.fixit.reset();
    CHECK(render_human_one(d, sm, false) ==
          "error[E0201]: unknown unit `Mb` in `512Mb`\n"
          " --> p.plat:2:15\n"
          "  |\n"
          "1 | service api {\n"
          "  | ----------- in this block\n"
          "2 |   memory = 512Mb\n"
          "  |               ^^ unknown unit\n"
          "  |\n"
          "  = note: units are case-sensitive\n"
          "  = help: did you mean `MB`?\n");
  }
  SUBCASE("an insertion fix-it is marked with +") {
    Diagnostic ins = make_diag(DiagKind::UnclosedBlock, R(f, 3, 2, 3, 3), "block `service api`", 1, 1);
    ins.label("expected `}` here").fix(R(f, 2, 17, 2, 17), " }");
    CHECK(render_human_one(ins, sm, false) ==
          "error[E0101]: expected `}` to close block `service api` opened at 1:1\n"
          " --> p.plat:3:2\n"
          "  |\n"
          "3 | }\n"
          "  |  ^ expected `}` here\n"
          "  |\n"
          "help: apply this change\n"
          "  |\n"
          "2 |   memory = 512Mb }\n"
          "  |                 ++\n");
  }
  SUBCASE("no location: message, notes and help only") {
    Diagnostic io = make_diag(DiagKind::CannotRead, SourceRange{}, "x.plat", "No such file or directory");
    io.note("n").with_help("h");
    CHECK(render_human_one(io, sm, false) ==
          "error[E0301]: cannot read `x.plat`: No such file or directory\n"
          "  = note: n\n"
          "  = help: h\n");
  }
  SUBCASE("colour only when asked") {
    std::string c = render_human_one(d, sm, true);
    CHECK(c.find("\x1b[") != std::string::npos);
    CHECK(render_human_one(d, sm, false).find('\x1b') == std::string::npos);
  }
}

TEST_CASE("render_human_one: gutter width, elided lines, labels in other files") {
  SourceManager sm;
  std::string text;
  for (int i = 1; i <= 12; ++i) text += fmt::format("line{}\n", i);
  FileId f = sm.add("a.plat", text);
  FileId g = sm.add("b.plat", "other\n");

  Diagnostic d = make_diag(DiagKind::UnmatchedClosing, R(f, 12, 1, 12, 7), "}");
  d.also(R(f, 2, 1, 2, 6), "far").also(R(f, 10, 1, 10, 2), "two lines up").also(R(g, 1, 1, 1, 6), "elsewhere");
  CHECK(render_human_one(d, sm, false) ==
        "error[E0103]: unmatched `}`\n"
        "  --> a.plat:12:1\n"
        "   |\n"
        " 2 | line2\n"
        "   | ----- far\n"
        "...\n"
        "10 | line10\n"
        "   | - two lines up\n"
        "11 | line11\n"
        "12 | line12\n"
        "   | ^^^^^^\n"
        "  ::: b.plat:1:1\n"
        "   |\n"
        " 1 | other\n"
        "   | ----- elsewhere\n");
}

TEST_CASE("render_human_one: tabs and wide characters keep the caret under the right cell") {
  SourceManager sm;
  SUBCASE("after a tab (tab stops every 4 cells)") {
    FileId f = sm.add("t.plat", "\tx = @\n");
    Diagnostic d = make_diag(DiagKind::UnexpectedCharacter, R(f, 1, 6, 1, 7), "@");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0004]: unexpected character `@`\n"
          " --> t.plat:1:6\n"
          "  |\n"
          "1 |     x = @\n"
          "  |         ^\n");
  }
  SUBCASE("a tab in the middle of a line goes to the next stop") {
    FileId f = sm.add("t.plat", "ab\tc @\n");
    Diagnostic d = make_diag(DiagKind::UnexpectedCharacter, R(f, 1, 6, 1, 7), "@");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0004]: unexpected character `@`\n"
          " --> t.plat:1:6\n"
          "  |\n"
          "1 | ab  c @\n"
          "  |       ^\n");
  }
  SUBCASE("after 日本 (two cells each)") {
    FileId f = sm.add("t.plat", "s = \"日本\" @\n");
    Diagnostic d = make_diag(DiagKind::UnexpectedCharacter, R(f, 1, 10, 1, 11), "@");
    d.also(R(f, 1, 6, 1, 8), "wide");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0004]: unexpected character `@`\n"
          " --> t.plat:1:10\n"
          "  |\n"
          "1 | s = \"日本\" @\n"
          "  |            ^\n"
          "  |      ---- wide\n");
  }
  SUBCASE("a fix-it after wide characters") {
    FileId f = sm.add("t.plat", "s = \"日本\" 5Mb\n");
    Diagnostic d = make_diag(DiagKind::UnknownUnit, R(f, 1, 11, 1, 13), "Mb", "5Mb");
    d.fix(R(f, 1, 11, 1, 13), "MB");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0201]: unknown unit `Mb` in `5Mb`\n"
          " --> t.plat:1:11\n"
          "  |\n"
          "1 | s = \"日本\" 5Mb\n"
          "  |             ^^\n"
          "  |\n"
          "help: apply this change\n"
          "  |\n"
          "1 | s = \"日本\" 5MB\n"
          "  |             ~~\n");
  }
  SUBCASE("control characters are shown as one replacement cell") {
    FileId f = sm.add("t.plat", "a\x01 @\n");
    Diagnostic d = make_diag(DiagKind::UnexpectedCharacter, R(f, 1, 4, 1, 5), "@");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0004]: unexpected character `@`\n"
          " --> t.plat:1:4\n"
          "  |\n"
          "1 | a\xEF\xBF\xBD @\n"
          "  |    ^\n");
  }
  SUBCASE("a byte-order mark is column 1 of line 1 and takes no cell") {
    // The parser counts the BOM as a code point (columns of line 1 start at 2 after it); the
    // renderer must put the caret and the fix-it under the right cell all the same.
    FileId f = sm.add("t.plat", "\xEF\xBB\xBFservice a @\n");
    Diagnostic d = make_diag(DiagKind::UnexpectedCharacter, R(f, 1, 12, 1, 13), "@");
    d.fix(R(f, 1, 12, 1, 13), "{");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0004]: unexpected character `@`\n"
          " --> t.plat:1:12\n"
          "  |\n"
          "1 | \xEF\xBB\xBFservice a @\n"
          "  |           ^\n"
          "  |\n"
          "help: apply this change\n"
          "  |\n"
          "1 | \xEF\xBB\xBFservice a {\n"
          "  |           ~\n");
  }
  SUBCASE("a range over several lines is cut at the end of its first line") {
    FileId f = sm.add("t.plat", "x = \"\"\"\n  a\n  \"\"\"\n");
    Diagnostic d = make_diag(DiagKind::UnterminatedMultilineString, R(f, 1, 5, 3, 6));
    CHECK(render_human_one(d, sm, false) ==
          "error[E0006]: unterminated multi-line string\n"
          " --> t.plat:1:5\n"
          "  |\n"
          "1 | x = \"\"\"\n"
          "  |     ^^^\n");
  }
}

TEST_CASE("render_human: at most max_shown, then a count") {
  SourceManager sm;
  FileId f = sm.add("t.plat", "@@@\n");
  Diagnostics ds;
  for (int i = 1; i <= 3; ++i) ds.report(DiagKind::UnexpectedCharacter, R(f, 1, i, 1, i + 1), "@");
  HumanOptions opts;
  opts.max_shown = 2;
  std::string out = render_human(ds, sm, opts);
  CHECK(out ==
        "error[E0004]: unexpected character `@`\n"
        " --> t.plat:1:1\n"
        "  |\n"
        "1 | @@@\n"
        "  | ^\n"
        "\n"
        "error[E0004]: unexpected character `@`\n"
        " --> t.plat:1:2\n"
        "  |\n"
        "1 | @@@\n"
        "  |  ^\n"
        "\n"
        "note: 1 more diagnostic not shown\n");
  opts.max_shown = 20;
  CHECK(render_human(ds, sm, opts).find("not shown") == std::string::npos);
  CHECK(render_human(Diagnostics{}, sm, opts) == "");
}

TEST_CASE("render_json: one object per diagnostic") {
  SourceManager sm;
  FileId f = sm.add("dir/p.plat", "service api {\n  memory = 512Mb\n}\n");
  Diagnostics ds;
  ds.report(DiagKind::UnknownUnit, R(f, 2, 15, 2, 17), "Mb", "512Mb")
      .label("unknown unit")
      .also(R(f, 1, 1, 1, 12), "in this block")
      .note("n1")
      .with_help("did you mean `MB`?")
      .fix(R(f, 2, 15, 2, 17), "MB");
  ds.add(make_diag(DiagKind::CannotRead, SourceRange{}, "x", "gone")).severity = Severity::Warning;
  json j = render_json(ds, sm);
  CHECK(j == json::parse(R"({
    "version": 1,
    "errors": 1,
    "warnings": 1,
    "diagnostics": [
      {
        "code": "E0201",
        "severity": "error",
        "message": "unknown unit `Mb` in `512Mb`",
        "location": {"file": "dir/p.plat",
                     "range": {"start": {"line": 2, "column": 15}, "end": {"line": 2, "column": 17}}},
        "label": "unknown unit",
        "related": [{"file": "dir/p.plat", "message": "in this block",
                     "range": {"start": {"line": 1, "column": 1}, "end": {"line": 1, "column": 12}}}],
        "notes": ["n1"],
        "help": "did you mean `MB`?",
        "fix": {"file": "dir/p.plat", "replacement": "MB",
                "range": {"start": {"line": 2, "column": 15}, "end": {"line": 2, "column": 17}}}
      },
      {
        "code": "E0301",
        "severity": "warning",
        "message": "cannot read `x`: gone",
        "location": {},
        "related": [],
        "notes": []
      }
    ]
  })"));
  CHECK(range_json(R(0, 1, 2, 3, 4)) == json::parse(R"({"start":{"line":1,"column":2},"end":{"line":3,"column":4}})"));
}

TEST_CASE("SourceManager: lines without terminators") {
  SourceManager sm;
  FileId f = sm.add("a.plat", "one\r\ntwo\n\nfour");
  FileId g = sm.add("<std>/b.plat", "\xEF\xBB\xBFx = 1\ny\n", true);
  FileId e = sm.add("e.plat", "");
  CHECK(f == 0);
  CHECK(g == 1);
  CHECK(sm.size() == 3);
  const SourceFile& a = sm.file(f);
  CHECK(a.path == "a.plat");
  CHECK_FALSE(a.builtin);
  CHECK(a.line_count() == 4);
  CHECK(a.line_text(1) == "one");
  CHECK(a.line_text(2) == "two");
  CHECK(a.line_text(3) == "");
  CHECK(a.line_text(4) == "four");
  CHECK(a.line_text(0) == "");
  CHECK(a.line_text(5) == "");
  const SourceFile& b = sm.file(g);
  CHECK(b.builtin);
  CHECK(b.text.size() == 11);  // the bytes are kept as read, BOM included
  CHECK(b.line_starts == std::vector<std::size_t>{0, 9, 11});
  CHECK(b.line_text(1) == "\xEF\xBB\xBFx = 1");
  CHECK(b.line_text(2) == "y");
  CHECK(sm.file(e).line_count() == 1);
  CHECK(sm.file(e).line_text(1) == "");
  CHECK_THROWS(sm.file(7));
}

TEST_CASE("SourceRange::cover") {
  SourceRange a{0, 2, 5, 2, 9}, b{0, 1, 3, 1, 4}, c{0, 2, 7, 4, 1};
  CHECK(SourceRange::cover(a, b) == SourceRange{0, 1, 3, 2, 9});
  CHECK(SourceRange::cover(a, c) == SourceRange{0, 2, 5, 4, 1});
  CHECK(SourceRange::cover(a, SourceRange{}) == a);
  CHECK(SourceRange::cover(SourceRange{}, b) == b);
  CHECK_FALSE(SourceRange{}.valid());
  CHECK_FALSE((SourceRange{0, 0, 0, 0, 0}).valid());
  CHECK(a.valid());
}

TEST_CASE("render_human_one: a long line is cut to a window around the mark") {
  SourceManager sm;
  const std::string e = "\xE2\x80\xA6";  // …
  auto caret_line = [](int spaces, const std::string& marks) {
    return "  | " + std::string(static_cast<std::size_t>(spaces), ' ') + marks + "\n";
  };
  SUBCASE("in the middle: context on both sides") {
    FileId f = sm.add("t.plat", std::string(499, 'x') + "@" + std::string(500, 'y') + "\n");
    Diagnostic d = make_diag(DiagKind::UnexpectedCharacter, R(f, 1, 500, 1, 501), "@");
    d.label("here");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0004]: unexpected character `@`\n"
          " --> t.plat:1:500\n"
          "  |\n"
          "1 | " +
              e + std::string(40, 'x') + "@" + std::string(119, 'y') + e + "\n" + caret_line(41, "^ here"));
  }
  SUBCASE("at the start") {
    FileId f = sm.add("t.plat", "@" + std::string(999, 'y') + "\n");
    Diagnostic d = make_diag(DiagKind::UnexpectedCharacter, R(f, 1, 1, 1, 2), "@");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0004]: unexpected character `@`\n"
          " --> t.plat:1:1\n"
          "  |\n"
          "1 | @" +
              std::string(159, 'y') + e + "\n" + caret_line(0, "^"));
  }
  SUBCASE("just past the end, with a fix-it") {
    FileId f = sm.add("t.plat", std::string(1000, 'y') + "\n");
    Diagnostic d = make_diag(DiagKind::UnclosedBlock, R(f, 1, 1001, 1, 1002), "block `a`", 1, 1);
    d.fix(R(f, 1, 1001, 1, 1001), "}");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0101]: expected `}` to close block `a` opened at 1:1\n"
          " --> t.plat:1:1001\n"
          "  |\n"
          "1 | " +
              e + std::string(160, 'y') + "\n" + caret_line(161, "^") +
              "  |\n"
              "help: apply this change\n"
              "  |\n"
              "1 | " +
              e + std::string(159, 'y') + "}\n" + caret_line(160, "+"));
  }
  SUBCASE("a secondary mark far away is kept at the edge") {
    FileId f = sm.add("t.plat", "{" + std::string(998, 'y') + "@\n");
    Diagnostic d = make_diag(DiagKind::UnexpectedCharacter, R(f, 1, 1000, 1, 1001), "@");
    d.also(R(f, 1, 1, 1, 2), "opened here");
    std::string out = render_human_one(d, sm, false);
    CHECK(out.find("  |  - opened here\n") != std::string::npos);  // just after the `…`
    CHECK(out.find(caret_line(160, "^")) != std::string::npos);
    CHECK(out.size() < 600);
  }
  SUBCASE("a huge line costs a window, not the line") {
    FileId f = sm.add("t.plat", std::string(4'000'000, '1') + "\n");
    Diagnostic d = make_diag(DiagKind::TooManyTokens, R(f, 1, 3'000'000, 1, 3'000'001), "t.plat", 10);
    CHECK(render_human_one(d, sm, false).size() < 600);
  }
  // Past 64 KB only an excerpt around the mark is displayed (a 16 MB line shown for each of 20
  // diagnostics took seconds): what is printed is the same as for a shorter line.
  SUBCASE("an excerpt of a line over 64 KB: the same window, marks far away at its edge") {
    FileId f = sm.add("t.plat", "{" + std::string(99'998, 'x') + "@" + std::string(100'000, 'y') + "\n");
    Diagnostic d = make_diag(DiagKind::UnexpectedCharacter, R(f, 1, 100'000, 1, 100'001), "@");
    d.label("here").also(R(f, 1, 1, 1, 2), "opened here").also(R(f, 1, 200'000, 1, 200'001), "and this");
    std::string out = render_human_one(d, sm, false);
    CHECK(out.find("1 | " + e + std::string(40, 'x') + "@" + std::string(119, 'y') + e + "\n") != std::string::npos);
    CHECK(out.find(caret_line(41, "^ here")) != std::string::npos);
    CHECK(out.find("  |  - opened here\n") != std::string::npos);
    CHECK(out.find(caret_line(161, "- and this")) != std::string::npos);
  }
  SUBCASE("an excerpt at the end of a line over 64 KB, with a fix-it") {
    FileId f = sm.add("t.plat", std::string(100'000, 'y') + "\n");
    Diagnostic d = make_diag(DiagKind::UnclosedBlock, R(f, 1, 100'001, 1, 100'002), "block `a`", 1, 1);
    d.fix(R(f, 1, 100'001, 1, 100'001), "}");
    CHECK(render_human_one(d, sm, false) ==
          "error[E0101]: expected `}` to close block `a` opened at 1:1\n"
          " --> t.plat:1:100001\n"
          "  |\n"
          "1 | " +
              e + std::string(160, 'y') + "\n" + caret_line(161, "^") +
              "  |\n"
              "help: apply this change\n"
              "  |\n"
              "1 | " +
              e + std::string(159, 'y') + "}\n" + caret_line(160, "+"));
  }
}

// Issue 13, defect 7: nothing of a value reaches a terminal or a CI log raw.
TEST_CASE("visible: every control, bidi control and separator escaped; invalid UTF-8 as bytes") {
  CHECK(visible("plain `text` é 日本") == "plain `text` é 日本");
  CHECK(visible("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(visible("\x1b[2J\x07") == "\\u{1b}[2J\\u{7}");
  CHECK(visible("\x7f") == "\\u{7f}");
  CHECK(visible("\xc2\x85\xc2\x9b") == "\\u{85}\\u{9b}");  // C1: NEL, CSI
  CHECK(visible("a\u202Eb\u2066c\u2069\u200F\u061C\u2028") == "a\\u{202e}b\\u{2066}c\\u{2069}\\u{200f}\\u{61c}\\u{2028}");
  CHECK(visible("\xff\xfe") == "\\x{ff}\\x{fe}");
  CHECK(is_unsafe_code_point(0x1b));
  CHECK_FALSE(is_unsafe_code_point(U'é'));
  CHECK_FALSE(is_unsafe_code_point(0x2030));
}

// Issue 13, defect 8: a quoted value is cut at 80 code points, with its full length.
TEST_CASE("make_diag: quoted values are escaped and cut, other arguments only escaped") {
  std::string huge(10'000'000, 'a');
  Diagnostic d = make_diag(DiagKind::UnknownReference, {}, huge);
  CHECK(d.message == "cannot find `" + std::string(80, 'a') + "\u2026 (10000000 characters)` in this platform");
  CHECK(make_diag(DiagKind::UnknownReference, {}, "x\x1b[31m").message == "cannot find `x\\u{1b}[31m` in this platform");
  // An argument that is not between backticks is prose: escaped, not cut at 80.
  std::string cycle(200, 'c');
  CHECK(make_diag(DiagKind::DependencyCycle, {}, cycle).message == "dependency cycle: " + cycle);
  CHECK(detail::quoted_placeholder("`{}` and `{}` both become the {} `{}`", 0));
  CHECK(detail::quoted_placeholder("`{}` and `{}` both become the {} `{}`", 1));
  CHECK_FALSE(detail::quoted_placeholder("`{}` and `{}` both become the {} `{}`", 2));
  CHECK(detail::quoted_placeholder("`{}` and `{}` both become the {} `{}`", 3));
  CHECK_FALSE(detail::quoted_placeholder("expected `}}` to close {} opened at {}:{}", 0));
}

TEST_CASE("Diagnostics: at most kMaxKeptErrors errors are kept, the rest counted") {
  Diagnostics ds;
  for (int i = 0; i < 1000; ++i) ds.report(DiagKind::UnexpectedCharacter, R(0, 1, 1, 1, 2), "@");
  ds.report(DiagKind::PolicyUnusedSecret, R(0, 1, 1, 1, 2), "s");  // a warning is still kept
  CHECK(ds.items().size() == Diagnostics::kMaxKeptErrors + 1);
  CHECK(ds.error_count() == 1000);
  CHECK(ds.dropped() == 1000 - Diagnostics::kMaxKeptErrors);
  Diagnostics all;
  all.append(std::move(ds));
  CHECK(all.error_count() == 1000);
  SourceManager sources;
  std::string out = render_human(all, sources, HumanOptions{false, 20});
  CHECK(out.find("note: 981 more diagnostics not shown (platc stopped collecting after 100 errors)") !=
        std::string::npos);
  CHECK(render_json(all, sources)["omitted"] == 900);
  CHECK(summary_line(all) == "1000 errors, 1 warning in 1 file");
}

TEST_CASE("renderers: a value cannot rewrite the terminal or forge a workflow command") {
  SourceManager sources;
  FileId f = sources.add("p\x1b[2J.plat", "environment e { domain = \"x\" }  # \u202Eevil\x1b[31m\n");
  Diagnostics ds;
  ds.report(DiagKind::InvalidFormat, R(f, 1, 26, 1, 29), "a\n::error file=x.plat::forged\x1b]0;t\x07", "host", "why")
      .label("label\r\x1b[1A")
      .note("note\u2066")
      .with_help("help\n::warning::x");
  std::string human = render_human(ds, sources, HumanOptions{false, 20});
  for (const char* raw : {"\x1b", "\x07", "\r", "\u202E", "\u2066", "\n::"}) {
    CAPTURE(raw);
    CHECK(human.find(raw) == std::string::npos);
  }
  CHECK(human.find("a\\n::error file=x.plat::forged\\u{1b}]0;t\\u{7}") != std::string::npos);
  CHECK(human.find("p\\u{1b}[2J.plat") != std::string::npos);
  std::string gh = render_github(ds, sources);
  CHECK(gh.find('\x1b') == std::string::npos);
  // One line, one command: everything of the value stays inside the annotation's data.
  CHECK(std::count(gh.begin(), gh.end(), '\n') == 1);
  CHECK(gh.rfind("::error file=p\\u{1b}[2J.plat,", 0) == 0);
}
