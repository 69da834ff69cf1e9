// The Azure Terraform backend's own table and its registration: the sizes it writes are the
// `azure` column of stdlib/sizes.plat (the graph does not carry std.sizes), and it applies only to
// azure.
#include "backends/terraform_azure/terraform_azure.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "backends/backend.h"
#include "backends/terraform_azure/sizes.h"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("terraform-azure: the sizes are the azure column of std.sizes") {
  std::string text = read_file(std::string(PLATC_SOURCE_DIR) + "/stdlib/sizes.plat");
  REQUIRE(!text.empty());
  // Plain string parsing, not <regex> (see terraform_aws_test.cpp).
  std::istringstream lines(text);
  std::string line, kind;
  int checked = 0;
  while (std::getline(lines, line)) {
    if (line.starts_with("sizes ")) {
      std::size_t end = line.find(' ', 6);
      kind = line.substr(6, end == std::string::npos ? std::string::npos : end - 6);
    }
    std::size_t brace = line.find('{'), key = line.find("azure = \"");
    if (line.starts_with("sizes ") || brace == std::string::npos || key == std::string::npos || key < brace) continue;
    std::size_t first = line.find_first_not_of(" \t");
    std::string size = line.substr(first, line.find_first_of(" \t{", first) - first);
    std::size_t value = key + 9;
    std::string azure = line.substr(value, line.find('"', value) - value);
    CAPTURE(kind);
    CAPTURE(size);
    if (kind == "database") CHECK(platc::terraform_azure::server_sku(size) == azure);
    if (kind == "cache") CHECK(platc::terraform_azure::cache_sku(size) == azure);
    if (kind == "node_pool") CHECK(platc::terraform_azure::node_vm_size(size) == azure);
    ++checked;
  }
  CHECK(checked == 9);
}

TEST_CASE("terraform-azure: registered, applies only when azure is a target") {
  const platc::backends::Backend* b = platc::backends::find_backend("terraform-azure");
  REQUIRE(b);
  CHECK(b->applies_to({"aws", "azure"}));
  CHECK_FALSE(b->applies_to({"gcp", "aws"}));
  CHECK_FALSE(b->applies_to({}));
}
