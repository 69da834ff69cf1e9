// What the fuzz targets share: the path `platc check` runs (load, sema, every backend's check
// step, policies) called stage by stage without the CLI, and every rendering of diagnostics.
// The CLI is an executable, not a library, so its two small loops (cli/common.cpp:
// compile and check_backends) are repeated here; keep them in step.
#pragma once

#include <memory>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/load.h"
#include "compiler/policy/policy.h"
#include "compiler/sema/sema.h"
#include "compiler/source/source.h"

namespace platc::fuzz {

struct Checked {
  SourceManager sources;
  driver::LoadResult load;
  sema::Model model;
  Diagnostics diags;  // loading, sema and the backends' check steps: what fails `platc check` with exit 2
  policy::Result policy;
  bool analyzed = false;      // sema ran (the files parsed)
  bool policies_run = false;  // no error before the policies
};

// `text` written as the one file of a scratch platform directory (one per process, removed at
// exit), then loaded from there: the loader that reads, checks and imports is the real one.
std::unique_ptr<Checked> check(std::string_view text);

// Every format `platc check` prints, for the diagnostics and waived findings of `c`: human (with
// and without colour, one by one and as the capped list), JSON, SARIF and GitHub. Returns the
// number of bytes rendered, so the work cannot be optimised away.
std::size_t render_all(const Checked& c);

}  // namespace platc::fuzz
