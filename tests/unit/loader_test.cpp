// The loader (compiler/driver/load.h): which files make a platform, in which order, and how
// imports are followed and confined. Each test builds its platform in a fresh temporary directory.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/load.h"
#include "tests/unit/temp_dir.h"

using namespace platc;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

struct Loaded {
  SourceManager sm;
  driver::LoadResult r;

  std::vector<std::string> paths() const {
    std::vector<std::string> out;
    for (const auto& f : r.platform.files) out.push_back(sm.file(f.id).path);
    return out;
  }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : r.diags.items()) out.emplace_back(d.code());
    return out;
  }
};

std::unique_ptr<Loaded> load(const std::vector<std::string>& inputs, const parse::Limits& limits = {}) {
  auto l = std::make_unique<Loaded>();
  l->r = driver::load_platform(l->sm, inputs, limits);
  return l;
}

std::string rel(const TempDir& t, const std::string& name) {
  return (t.path() / name).generic_string();
}

}  // namespace

TEST_CASE("plat_files_in: every entry named *.plat, sorted byte-wise") {
  TempDir t;
  t.write("a.plat", "");
  t.write("B.plat", "");
  t.write("_c.plat", "");
  t.write("Z.plat", "");
  t.write("notes.txt", "");
  t.write("x.plat.bak", "");
  t.write("sub/inner.plat", "");
  fs::create_directories(t.path() / "dir.plat");
  auto files = driver::plat_files_in(t.path());
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.filename().string());
  // Byte-wise: uppercase before `_` before lowercase, whatever the locale says. `dir.plat` is
  // listed so that reading it reports it (E0301) instead of skipping it in silence.
  CHECK(names == std::vector<std::string>{"B.plat", "Z.plat", "_c.plat", "a.plat", "dir.plat"});
  CHECK(driver::plat_files_in(t.path() / "missing").empty());
}

TEST_CASE("a directory: its files in byte-wise order, each parsed") {
  TempDir t;
  t.write("a.plat", "service a { }\n");
  t.write("B.plat", "service b { }\n");
  t.write("readme.md", "service nope { }\n");
  t.write("sub/c.plat", "service c { }\n");
  auto l = load({t.path().string()});
  CHECK(l->r.diags.empty());
  CHECK_FALSE(l->r.io_error);
  CHECK(l->paths() == std::vector<std::string>{rel(t, "B.plat"), rel(t, "a.plat")});
  CHECK(l->r.platform.root == t.path());
  REQUIRE(l->r.platform.files.size() == 2);
  const auto& first = std::get<std::unique_ptr<ast::Block>>(l->r.platform.files[0].items.at(0));
  CHECK(first->name->name == "b");
}

TEST_CASE("imports are followed once: a diamond") {
  TempDir t;
  t.write("a.plat", "import \"./lib/b.plat\"\nimport \"./lib/c.plat\"\nservice a { }\n");
  t.write("lib/b.plat", "import \"./d.plat\"\nservice b { }\n");
  t.write("lib/c.plat", "import \"d.plat\"\nimport \"../lib/./d.plat\"\nservice c { }\n");
  t.write("lib/d.plat", "service d { }\n");
  auto l = load({t.path().string()});
  CHECK(l->r.diags.empty());
  // The directory's files first, then imports as first reached (depth first).
  CHECK(l->paths() ==
        std::vector<std::string>{rel(t, "a.plat"), rel(t, "lib/b.plat"), rel(t, "lib/d.plat"), rel(t, "lib/c.plat")});
}

TEST_CASE("an import cycle is harmless") {
  TempDir t;
  t.write("a.plat", "import \"./lib/x.plat\"\n");
  t.write("lib/x.plat", "import \"../a.plat\"\nimport \"./x.plat\"\n");
  auto l = load({t.path().string()});
  CHECK(l->r.diags.empty());
  CHECK(l->paths() == std::vector<std::string>{rel(t, "a.plat"), rel(t, "lib/x.plat")});
}

TEST_CASE("a file imported by a directory file is read once") {
  TempDir t;
  t.write("a.plat", "import \"./b.plat\"\n");
  t.write("b.plat", "service b { }\n");
  auto l = load({t.path().string()});
  CHECK(l->r.diags.empty());
  CHECK(l->paths() == std::vector<std::string>{rel(t, "a.plat"), rel(t, "b.plat")});
}

TEST_CASE("imports may not leave the platform directory") {
  TempDir outer;
  outer.write("outside.plat", "service evil { }\n");
  outer.write("shared/lib.plat", "service lib { }\n");
  fs::path root = outer.path() / "platform";

  SUBCASE("by `..`") {
    outer.write("platform/a.plat", "import \"../outside.plat\"\n");
    auto l = load({root.string()});
    REQUIRE(l->codes() == std::vector<std::string>{"E0304"});
    CHECK(l->r.diags.items()[0].primary.line == 1);
    CHECK(l->r.diags.items()[0].primary.col == 8);
    CHECK(l->paths() == std::vector<std::string>{(root / "a.plat").generic_string()});
  }
  SUBCASE("`..` that stays inside is fine") {
    outer.write("platform/a.plat", "import \"./sub/../b.plat\"\n");
    outer.write("platform/sub/x.plat", "");
    outer.write("platform/b.plat", "service b { }\n");
    auto l = load({root.string()});
    CHECK(l->r.diags.empty());
  }
  SUBCASE("through a symlinked file") {
    outer.write("platform/a.plat", "import \"./sub/link.plat\"\n");
    fs::create_directories(root / "sub");
    fs::create_symlink(outer.path() / "outside.plat", root / "sub/link.plat");
    auto l = load({root.string()});
    CHECK(l->codes() == std::vector<std::string>{"E0304"});
    CHECK(l->paths().size() == 1);
  }
  SUBCASE("through a symlinked directory") {
    outer.write("platform/a.plat", "import \"./ext/lib.plat\"\n");
    fs::create_directory_symlink(outer.path() / "shared", root / "ext");
    auto l = load({root.string()});
    CHECK(l->codes() == std::vector<std::string>{"E0304"});
  }
  SUBCASE("an absolute path") {
    outer.write("platform/a.plat", "import \"" + (outer.path() / "outside.plat").generic_string() + "\"\n");
    auto l = load({root.string()});
    CHECK(l->codes() == std::vector<std::string>{"E0304"});
  }
  SUBCASE("a sibling directory whose name starts like the root's") {
    outer.write("platform/a.plat", "import \"../platform2/x.plat\"\n");
    outer.write("platform2/x.plat", "service x { }\n");
    auto l = load({root.string()});
    CHECK(l->codes() == std::vector<std::string>{"E0304"});
  }
}

TEST_CASE("a missing import is E0303 at the import's path") {
  TempDir t;
  t.write("a.plat", "service a { }\nimport \"./nope.plat\"\n");
  auto l = load({t.path().string()});
  REQUIRE(l->codes() == std::vector<std::string>{"E0303"});
  const auto& d = l->r.diags.items()[0];
  CHECK(d.message == fmt::format("cannot find `{}` imported here", rel(t, "nope.plat")));
  CHECK(d.primary.line == 2);
  CHECK(d.primary.col == 8);
  CHECK(d.primary.end_col == 21);
  CHECK_FALSE(l->r.io_error);  // a compile error, not an I/O error
}

TEST_CASE("an import without the .plat extension is E0306") {
  TempDir t;
  t.write("a.plat", "import \"./b.txt\"\n");
  t.write("b.txt", "");
  CHECK(load({t.path().string()})->codes() == std::vector<std::string>{"E0306"});
}

TEST_CASE("standard library imports") {
  TempDir t;
  SUBCASE("a known module is loaded from the binary, once") {
    t.write("a.plat", "import std.sizes\nimport std.sizes as s\n");
    auto l = load({t.path().string()});
    CHECK(l->r.diags.empty());
    CHECK(l->paths() == std::vector<std::string>{rel(t, "a.plat"), "<std>/sizes.plat"});
    CHECK(l->sm.file(l->r.platform.files[1].id).builtin);
  }
  SUBCASE("an unknown module is E0305 with a suggestion") {
    t.write("a.plat", "import std.size\n");
    auto l = load({t.path().string()});
    REQUIRE(l->codes() == std::vector<std::string>{"E0305"});
    const auto& d = l->r.diags.items()[0];
    CHECK(d.message == "unknown standard library module `std.size`");
    CHECK(d.help == "did you mean `std.sizes`?");
    REQUIRE(d.fixit);
    CHECK(d.fixit->replacement == "std.sizes");
    CHECK(d.primary.col == 8);
    CHECK(d.primary.end_col == 16);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].rfind("the standard library has: ", 0) == 0);
    CHECK(d.notes[0].find("std.sizes") != std::string::npos);
  }
  SUBCASE("a module that is nowhere near") {
    t.write("a.plat", "import std.kubernetes\n");
    auto l = load({t.path().string()});
    REQUIRE(l->codes() == std::vector<std::string>{"E0305"});
    CHECK_FALSE(l->r.diags.items()[0].help.has_value());
  }
  SUBCASE("a dotted name outside std") {
    t.write("a.plat", "import foo.bar\n");
    auto l = load({t.path().string()});
    REQUIRE(l->codes() == std::vector<std::string>{"E0305"});
    CHECK(l->r.diags.items()[0].primary_label == "not a standard library module");
  }
}

TEST_CASE("a missing input path is an I/O error") {
  TempDir t;
  auto l = load({(t.path() / "nope.plat").string()});
  CHECK(l->r.io_error);
  REQUIRE(l->codes() == std::vector<std::string>{"E0301"});
  CHECK_FALSE(l->r.diags.items()[0].primary.valid());
  CHECK(l->r.platform.files.empty());

  SUBCASE("a directory without .plat files") {
    t.write("x.txt", "");
    auto e = load({t.path().string()});
    CHECK(e->r.io_error);
    CHECK(e->codes() == std::vector<std::string>{"E0302"});
  }
}

TEST_CASE("a single file: its directory is the root") {
  TempDir t;
  t.write("one.plat", "import \"./lib/x.plat\"\n");
  t.write("two.plat", "service two { }\n");
  t.write("lib/x.plat", "service x { }\n");
  auto l = load({(t.path() / "one.plat").string()});
  CHECK(l->r.diags.empty());
  CHECK(l->r.platform.root == t.path());
  CHECK(l->paths() == std::vector<std::string>{rel(t, "one.plat"), rel(t, "lib/x.plat")});
}

TEST_CASE("parse diagnostics of every file are collected") {
  TempDir t;
  t.write("a.plat", "service a { port 80 }\n");
  t.write("b.plat", "service b { x = 1Mb }\n");
  auto l = load({t.path().string()});
  CHECK(l->codes() == std::vector<std::string>{"E0105", "E0201"});
  CHECK(l->r.diags.items()[0].primary.file != l->r.diags.items()[1].primary.file);
  CHECK_FALSE(l->r.io_error);
}

TEST_CASE("the file size limit applies before reading") {
  TempDir t;
  t.write("a.plat", std::string(100, '#'));
  parse::Limits limits;
  limits.max_file_bytes = 99;
  auto l = load({t.path().string()}, limits);
  REQUIRE(l->codes() == std::vector<std::string>{"E0003"});
  CHECK(l->r.diags.items()[0].message ==
        fmt::format("`{}` is 100 bytes, over the limit of 99 bytes per source file", rel(t, "a.plat")));
}
