// The registry of backends (backends/registry/): what `--emit`, `platc check` and `platc backends`
// loop over.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "backends/backend.h"

using namespace platc;

TEST_CASE("registry: names are unique and found; producers run before their consumers") {
  const auto& all = backends::registry();
  REQUIRE(all.size() >= 2);
  std::set<std::string_view> seen;
  for (const auto* b : all) {
    CAPTURE(b->name());
    CHECK(!b->summary().empty());
    CHECK(backends::find_backend(b->name()) == b);
    // A backend is made from the products of backends earlier in the list: they have run.
    for (auto producer : b->consumes()) CHECK(seen.count(producer));
    CHECK(seen.insert(b->name()).second);
    for (const auto& f : b->fixed_files()) {
      CAPTURE(f.source);
      CHECK(std::filesystem::is_regular_file(std::filesystem::path(PLATC_SOURCE_DIR) / f.source));
      CHECK(f.output.find("..") == std::string::npos);
    }
  }
  CHECK(backends::find_backend("terraform-mars") == nullptr);
  // Kubernetes and Helm apply to every platform, with or without a target.
  CHECK(backends::find_backend("kubernetes")->applies_to({}));
  CHECK(backends::find_backend("helm")->applies_to({"aws"}));
}
