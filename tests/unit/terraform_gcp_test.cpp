// The GCP Terraform backend's own table, its labels and its registration: the sizes it writes
// are the `gcp` column of stdlib/sizes.plat (the graph does not carry std.sizes); tags become
// GCP labels as written or are refused (labels.cpp); it applies only to gcp.
#include "backends/terraform_gcp/terraform_gcp.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "backends/backend.h"
#include "backends/terraform_gcp/context.h"
#include "backends/terraform_gcp/labels.h"
#include "backends/terraform_gcp/sizes.h"

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("terraform-gcp: the sizes are the gcp column of std.sizes") {
  std::string text = read(std::string(PLATC_SOURCE_DIR) + "/stdlib/sizes.plat");
  REQUIRE(!text.empty());
  // Plain string parsing, not <regex> (GCC 12's -O1 ASan build, see terraform_aws_test.cpp).
  std::istringstream lines(text);
  std::string line, kind;
  int checked = 0;
  while (std::getline(lines, line)) {
    if (line.starts_with("sizes ")) {
      std::size_t end = line.find(' ', 6);
      kind = line.substr(6, end == std::string::npos ? std::string::npos : end - 6);
    }
    std::size_t brace = line.find('{'), key = line.find("gcp = ");
    if (line.starts_with("sizes ") || brace == std::string::npos || key == std::string::npos || key < brace) continue;
    std::size_t first = line.find_first_not_of(" \t");
    std::string size = line.substr(first, line.find_first_of(" \t{", first) - first);
    std::size_t value = key + 6;
    std::string gcp = line.substr(value, line.find_first_of(" \t}", value) - value);
    if (!gcp.empty() && gcp.front() == '"') gcp = gcp.substr(1, gcp.size() - 2);
    CAPTURE(kind);
    CAPTURE(size);
    if (kind == "database") CHECK(platc::terraform_gcp::sql_tier(size) == gcp);
    if (kind == "cache") CHECK(std::to_string(platc::terraform_gcp::redis_memory_gb(size)) + "GiB" == gcp);
    if (kind == "node_pool") CHECK(platc::terraform_gcp::machine_type(size) == gcp);
    ++checked;
  }
  CHECK(checked == 9);
}

TEST_CASE("terraform-gcp: which tags GCP takes as labels, and the lowering offered") {
  using platc::terraform_gcp::label_problem;
  using platc::terraform_gcp::label_value;
  using platc::terraform_gcp::lowered_label;
  CHECK(label_problem("cost_center", true).empty());
  CHECK(label_problem("", false).empty());  // a value may be empty, a key not
  CHECK_FALSE(label_problem("", true).empty());
  CHECK(label_problem("área", true).empty());  // international letters
  CHECK(label_problem("2fa", false).empty());
  CHECK(label_problem("2fa", true) == "a key must start with a lower-case letter");
  CHECK(label_problem("Team", true) == "GCP labels are lower case");
  CHECK(label_problem("Data Team", false) == "a space is not allowed, only lower-case letters, digits, `_` and `-`");
  CHECK(label_problem("a.b", false) == "`.` is not allowed, only lower-case letters, digits, `_` and `-`");
  CHECK(label_problem("x\xff", false) ==
        "a byte that is not UTF-8 is not allowed, only lower-case letters, digits, `_` and `-`");
  CHECK(label_problem(std::string(63, 'a'), true).empty());
  CHECK(label_problem(std::string(64, 'a'), true) == "64 characters, at most 63 fit");
  CHECK(label_problem(std::string(60, 'a') + "\xc3\xa1\xc3\xa1\xc3\xa1", false).empty());  // 63 characters, 66 bytes
  // Lowering is offered only where it is all a tag needs.
  CHECK(lowered_label("CostCenter", true) == "costcenter");
  CHECK(lowered_label("\xc3\x81rea", true) == "\xc3\xa1rea");  // Área → área
  CHECK_FALSE(lowered_label("Data Team", false));
  CHECK_FALSE(lowered_label("team", true));  // nothing to lower
  // platc's own names (identifiers) are still made labels.
  CHECK(label_value("Prod_EU") == "prod_eu");
}

TEST_CASE("terraform-gcp: registered, applies only when gcp is a target") {
  const platc::backends::Backend* b = platc::backends::find_backend("terraform-gcp");
  REQUIRE(b);
  CHECK(b->applies_to({"gcp", "aws"}));
  CHECK_FALSE(b->applies_to({"aws", "azure"}));
  CHECK_FALSE(b->applies_to({}));
}
