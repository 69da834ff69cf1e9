// The example platforms (examples/*/), loaded and analysed, for tests that check a property of
// the output of every real platform.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/driver/load.h"
#include "compiler/policy/policy.h"
#include "compiler/sema/sema.h"

namespace platc::testing {

struct Example {
  std::string name;  // the folder's name
  sema::Model model;
};

// Every example in a fixed order; each must compile without an error.
inline std::vector<Example> compile_examples() {
  namespace fs = std::filesystem;
  std::vector<fs::path> dirs;
  for (const auto& ex : fs::directory_iterator(fs::path(PLATC_SOURCE_DIR) / "examples"))
    if (ex.is_directory()) dirs.push_back(ex.path());
  std::sort(dirs.begin(), dirs.end());
  std::vector<Example> out;
  for (const auto& dir : dirs) {
    CAPTURE(dir.string());
    SourceManager sm;
    auto loaded = driver::load_platform(sm, {dir.string()});
    REQUIRE(!loaded.diags.has_errors());
    auto sema = sema::analyze(loaded.platform, sm);
    REQUIRE(!sema.diags.has_errors());
    policy::mark_secrets(sema.model);  // as `platc` does before any backend runs
    out.push_back({dir.filename().string(), std::move(sema.model)});
  }
  return out;
}

}  // namespace platc::testing
