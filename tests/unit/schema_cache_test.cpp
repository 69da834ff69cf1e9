// The kind schemas parsed once per process (compiler/sema/schema_cache.cpp): a load after the
// first must give what a parse into the same SourceManager gives, ranges on the caller's files.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "compiler/driver/embedded.h"
#include "compiler/sema/schema.h"

using namespace platc;
using namespace platc::sema;

namespace {

std::string where(const SourceRange& r) {
  return fmt::format("{}:{}:{}-{}:{}", r.file, r.line, r.col, r.end_line, r.end_col);
}

// Every range and value of a value, depth first, key ranges included.
void flatten(const graph::Value& v, std::string& out) {
  out += fmt::format(" [{} {}", where(v.range), v.display());
  for (const auto& r : v.key_ranges) out += " key " + where(r);
  for (const auto& item : v.items) flatten(item, out);
  for (const auto& [key, inner] : v.entries) flatten(inner, out);
  out += "]";
}

void flatten(const BlockSchema& b, std::string& out) {
  out += "\nblock " + b.name;
  for (const auto& a : b.attrs) {
    out += fmt::format("\n  attr {} {} {}", a.name, a.type.spelling(), where(a.where));
    if (a.default_value) flatten(*a.default_value, out += " default");
    if (a.min) flatten(*a.min, out += " min");
    if (a.max) flatten(*a.max, out += " max");
  }
  for (const auto& child : b.blocks) flatten(child, out);
}

std::string flatten(const Schemas& s) {
  std::string out;
  for (const auto& k : s.kinds) {
    out += "\nkind " + k.name + " " + where(k.where);
    flatten(k, out);
  }
  return out;
}

// A SourceManager that already holds the user's files, so the schema files do not start at 0.
void add_user_files(SourceManager& sm) {
  sm.add("platform.plat", "platform shop {}\n");
  sm.add("services.plat", "service api {}\n");
}

}  // namespace

TEST_CASE("schema cache: a load after the first equals a parse into the same SourceManager") {
  SourceManager first;
  Diagnostics first_diags;
  load_schemas(first, first_diags);  // fills the cache, if no other test did
  REQUIRE(first_diags.empty());

  SourceManager parsed_sm, loaded_sm;
  add_user_files(parsed_sm);
  add_user_files(loaded_sm);
  Diagnostics parsed_diags, loaded_diags;
  Schemas parsed = parse_schemas(parsed_sm, parsed_diags);
  Schemas loaded = load_schemas(loaded_sm, loaded_diags);
  CHECK(parsed_diags.empty());
  CHECK(loaded_diags.empty());

  REQUIRE(loaded_sm.size() == parsed_sm.size());
  REQUIRE(loaded_sm.size() == 2 + embedded_kinds().size());
  for (FileId id = 0; id < loaded_sm.size(); ++id) {
    CHECK(loaded_sm.file(id).path == parsed_sm.file(id).path);
    CHECK(loaded_sm.file(id).text == parsed_sm.file(id).text);
    CHECK(loaded_sm.file(id).builtin == parsed_sm.file(id).builtin);
  }
  std::string expected = flatten(parsed);
  CHECK(flatten(loaded) == expected);
  // The ranges were moved: a default points into its kind's file of this SourceManager.
  const AttrSchema* replicas = loaded.find("service")->attr("replicas");
  REQUIRE(replicas->default_value);
  CHECK(loaded_sm.file(replicas->default_value->range.file).path == "<std>/kinds/service.plat");
  CHECK(loaded_sm.file(loaded.find("database")->where.file).path == "<std>/kinds/database.plat");
}

TEST_CASE("schema cache: the copies are the caller's own") {
  SourceManager a, b;
  Diagnostics da, db;
  Schemas one = load_schemas(a, da);
  const AttrSchema* replicas = one.find("service")->attr("replicas");
  replicas->shared_default = std::make_shared<const graph::Value>(*replicas->default_value);
  Schemas two = load_schemas(b, db);
  CHECK(two.find("service")->attr("replicas")->shared_default == nullptr);
}
