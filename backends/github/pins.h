// The actions the workflows use, pinned to full commit SHAs by the one table in
// stdlib/github/actions.pins (embedded). A workflow names an action only through uses().
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace platc::github {

struct Pin {
  std::string action;   // `actions/checkout`, `github/codeql-action/upload-sarif`
  std::string version;  // the release tag: `v7.0.1`
  std::string commit;   // 40 hex digits
  std::string source;   // how the commit was verified
};

// Every pin of the table, in table order.
const std::vector<Pin>& pins();
// `<action>@<commit>` for a `uses:`; an action missing from the table is a defect of platc and
// aborts (every action the backend names is in the table, tests/unit/github_test.cpp).
std::string uses(std::string_view action);
const Pin& pin(std::string_view action);

}  // namespace platc::github
