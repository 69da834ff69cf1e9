// The GCP Terraform backend's own table, its labels and its registration: the sizes it writes
// are the `gcp` column of stdlib/sizes.plat (the graph does not carry std.sizes); tags become
// valid GCP labels; it applies only to gcp.
#include "backends/terraform_gcp/terraform_gcp.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "backends/backend.h"
#include "backends/terraform_gcp/context.h"
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

TEST_CASE("terraform-gcp: tags become GCP labels") {
  using platc::terraform_gcp::label_key;
  using platc::terraform_gcp::label_value;
  CHECK(label_key("Cost Center") == "cost_center");
  CHECK(label_key("2fa") == "t2fa");
  CHECK(label_value("Team@Example.com") == "team_example_com");
  CHECK(label_value(std::string(80, 'a')).size() == 63);
}

TEST_CASE("terraform-gcp: registered, applies only when gcp is a target") {
  const platc::backends::Backend* b = platc::backends::find_backend("terraform-gcp");
  REQUIRE(b);
  CHECK(b->applies_to({"gcp", "aws"}));
  CHECK_FALSE(b->applies_to({"aws", "azure"}));
  CHECK_FALSE(b->applies_to({}));
}
