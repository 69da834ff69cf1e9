// The output tree (backends/emit/output_tree.h): safe relative paths, and all-or-nothing writes.
#include "backends/emit/output_tree.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "tests/unit/temp_dir.h"

using namespace platc;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every entry under `dir` (files with their contents, directories with "/"), relative.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string rel = fs::relative(e.path(), dir).generic_string();
    if (e.is_directory())
      out[rel + "/"] = "";
    else
      out[rel] = read(e.path());
  }
  return out;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("OutputTree::add rejects paths that could leave the output directory") {
  emit::OutputTree t;
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../../x", "a/..", "..", "a//b", "a/", "/", "a\\b", "..\\x",
                          "./a", "a/./b", ".", ".platc-output"}) {
    CAPTURE(bad);
    CHECK(t.add(bad, "x").has_value());
  }
  CHECK(t.add(std::string("a\0b", 3), "x").has_value());
  CHECK(t.files().empty());
  CHECK(*t.add("../x", "") == "unsafe output path `../x`");

  for (const char* good : {"a", "terraform/aws/main.tf", ".github/workflows/ci.yml", "a..b", "..a", "k8s/dev/x.yaml",
                           "sub/.platc-output"}) {
    CAPTURE(good);
    CHECK_FALSE(t.add(good, good).has_value());
  }
  CHECK(t.files().size() == 7);
  CHECK(t.files().at("a..b") == "a..b");
  // Adding the same path again is refused: one artifact would silently replace another.
  CHECK(*t.add("a", "second") == "`a` is already written by another artifact");
  CHECK(t.files().at("a") == "a");
  // Sorted byte-wise: the write order is deterministic.
  std::vector<std::string> order;
  for (const auto& [k, v] : t.files()) order.push_back(k);
  CHECK(order == std::vector<std::string>{"..a", ".github/workflows/ci.yml", "a", "a..b", "k8s/dev/x.yaml",
                                          "sub/.platc-output", "terraform/aws/main.tf"});
}

TEST_CASE("write_atomically writes every file and the marker") {
  TempDir tmp;
  fs::path out = tmp.path() / "build";
  emit::OutputTree t;
  REQUIRE_FALSE(t.add("graph.json", "{}\n"));
  REQUIRE_FALSE(t.add("terraform/aws/main.tf", "terraform {}\n"));
  REQUIRE_FALSE(t.add("k8s/dev/deploy.yaml", "kind: Deployment\n"));
  REQUIRE_FALSE(t.add("empty", ""));
  CHECK(emit::write_atomically(t, out) == std::nullopt);
  auto snap = snapshot(out);
  CHECK(snap == std::map<std::string, std::string>{
                    {".platc-output", "This directory is written by platc build and replaced as a whole.\n"},
                    {"empty", ""},
                    {"graph.json", "{}\n"},
                    {"k8s/", ""},
                    {"k8s/dev/", ""},
                    {"k8s/dev/deploy.yaml", "kind: Deployment\n"},
                    {"terraform/", ""},
                    {"terraform/aws/", ""},
                    {"terraform/aws/main.tf", "terraform {}\n"}});
  // Nothing else is left beside it.
  CHECK(names_in(tmp.path()) == std::vector<std::string>{"build"});

  SUBCASE("a trailing slash and missing parents are fine") {
    fs::path deep = tmp.path() / "a/b/c/";
    CHECK(emit::write_atomically(t, deep) == std::nullopt);
    CHECK(read(tmp.path() / "a/b/c/graph.json") == "{}\n");
    CHECK(names_in(tmp.path() / "a/b") == std::vector<std::string>{"c"});
  }
}

TEST_CASE("write_atomically replaces a previous platc output as a whole") {
  TempDir tmp;
  fs::path out = tmp.path() / "build";
  emit::OutputTree first;
  REQUIRE_FALSE(first.add("old.txt", "old"));
  REQUIRE_FALSE(first.add("shared/x", "1"));
  REQUIRE(emit::write_atomically(first, out) == std::nullopt);

  emit::OutputTree second;
  REQUIRE_FALSE(second.add("new.txt", "new"));
  REQUIRE_FALSE(second.add("shared/x", "2"));
  CHECK(emit::write_atomically(second, out) == std::nullopt);
  auto snap = snapshot(out);
  CHECK(snap.count("old.txt") == 0);  // stale files go
  CHECK(snap.at("new.txt") == "new");
  CHECK(snap.at("shared/x") == "2");
  CHECK(snap.count(".platc-output") == 1);
  CHECK(names_in(tmp.path()) == std::vector<std::string>{"build"});

  SUBCASE("an empty existing directory may be used") {
    fs::path empty = tmp.path() / "empty";
    fs::create_directory(empty);
    CHECK(emit::write_atomically(second, empty) == std::nullopt);
    CHECK(read(empty / "new.txt") == "new");
  }
}

TEST_CASE("write_atomically refuses a non-empty directory it did not write") {
  TempDir tmp;
  fs::path out = tmp.path() / "src";
  fs::create_directories(out / "nested");
  std::ofstream(out / "main.c") << "int main() {}\n";
  std::ofstream(out / "nested/keep") << "keep";
  auto before = snapshot(out);

  emit::OutputTree t;
  REQUIRE_FALSE(t.add("main.c", "overwritten"));
  auto err = emit::write_atomically(t, out);
  REQUIRE(err.has_value());
  CHECK(*err == fmt::format("`{}` is not empty and was not written by platc; refusing to replace it", out.string()));
  CHECK(snapshot(out) == before);
  CHECK(names_in(tmp.path()) == std::vector<std::string>{"src"});

  SUBCASE("a file where the directory should be") {
    fs::path file = tmp.path() / "file";
    std::ofstream(file) << "data";
    auto e = emit::write_atomically(t, file);
    REQUIRE(e.has_value());
    CHECK(*e == fmt::format("`{}` exists and is not a directory", file.string()));
    CHECK(read(file) == "data");
  }
}

TEST_CASE("a failure midway leaves the previous tree byte-identical and no temporary directory") {
  TempDir tmp;
  fs::path out = tmp.path() / "build";
  emit::OutputTree first;
  REQUIRE_FALSE(first.add("a.txt", "previous a"));
  REQUIRE_FALSE(first.add("dir/b.txt", "previous b"));
  REQUIRE(emit::write_atomically(first, out) == std::nullopt);
  auto before = snapshot(out);

  // `x` is a file and `x/y` needs it to be a directory: the second write fails (the tree is
  // sorted, so `x` is written first). This fails for root too, unlike a read-only directory.
  emit::OutputTree conflict;
  REQUIRE_FALSE(conflict.add("a.txt", "new a"));
  REQUIRE_FALSE(conflict.add("x", "a file"));
  REQUIRE_FALSE(conflict.add("x/y", "needs x to be a directory"));
  auto err = emit::write_atomically(conflict, out);
  REQUIRE(err.has_value());
  // With the operating system's reason (issue 13, defect 12).
  CHECK(*err == fmt::format("cannot create `{}`: Not a directory", (out / "x").string()));
  CHECK(snapshot(out) == before);
  CHECK(names_in(tmp.path()) == std::vector<std::string>{"build"});

  SUBCASE("the same failure without a previous tree creates nothing") {
    fs::path fresh = tmp.path() / "fresh";
    CHECK(emit::write_atomically(conflict, fresh).has_value());
    CHECK_FALSE(fs::exists(fresh));
    CHECK(names_in(tmp.path()) == std::vector<std::string>{"build"});
  }
}
