// The AWS Terraform backend's own table and its registration: the sizes it writes are the `aws`
// column of stdlib/sizes.plat (the graph does not carry std.sizes), and it applies only to aws.
#include "backends/terraform_aws/terraform_aws.h"

#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "backends/backend.h"
#include "backends/terraform_aws/sizes.h"

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("terraform-aws: the sizes are the aws column of std.sizes") {
  std::string text = read(std::string(PLATC_SOURCE_DIR) + "/stdlib/sizes.plat");
  REQUIRE(!text.empty());
  std::regex header(R"re(^sizes (\w+) \{)re");
  std::regex row(R"re(^\s*(\w+)\s*\{\s*aws = "([^"]+)")re");
  std::istringstream lines(text);
  std::string line, kind;
  int checked = 0;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, m, header)) kind = m[1];
    if (!std::regex_search(line, m, row)) continue;
    std::string size = m[1], aws = m[2];
    CAPTURE(kind);
    CAPTURE(size);
    if (kind == "database") CHECK(platc::terraform_aws::db_instance_class(size) == aws);
    if (kind == "cache") CHECK(platc::terraform_aws::cache_node_type(size) == aws);
    if (kind == "node_pool") CHECK(platc::terraform_aws::node_instance_type(size) == aws);
    ++checked;
  }
  CHECK(checked == 9);
}

TEST_CASE("terraform-aws: registered, applies only when aws is a target") {
  const platc::backends::Backend* b = platc::backends::find_backend("terraform-aws");
  REQUIRE(b);
  CHECK(b->applies_to({"gcp", "aws"}));
  CHECK_FALSE(b->applies_to({"gcp", "azure"}));
  CHECK_FALSE(b->applies_to({}));
}
