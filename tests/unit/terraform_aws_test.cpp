// The AWS Terraform backend's own table and its registration: the sizes it writes are the `aws`
// column of stdlib/sizes.plat (the graph does not carry std.sizes), and it applies only to aws.
#include "backends/terraform_aws/terraform_aws.h"

#include <doctest/doctest.h>

#include <fstream>
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
  // Plain string parsing, not <regex>: GCC 12 warns (maybe-uninitialized, an error here) inside
  // libstdc++'s regex automaton in the -O1 ASan build.
  std::istringstream lines(text);
  std::string line, kind;
  int checked = 0;
  while (std::getline(lines, line)) {
    if (line.starts_with("sizes ")) {  // `sizes database {`
      std::size_t end = line.find(' ', 6);
      kind = line.substr(6, end == std::string::npos ? std::string::npos : end - 6);
    }
    std::size_t brace = line.find('{'), key = line.find("aws = \"");
    if (line.starts_with("sizes ") || brace == std::string::npos || key == std::string::npos || key < brace) continue;
    std::size_t first = line.find_first_not_of(" \t");
    std::string size = line.substr(first, line.find_first_of(" \t{", first) - first);
    std::size_t value = key + 7;
    std::string aws = line.substr(value, line.find('"', value) - value);
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
