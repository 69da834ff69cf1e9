#include "backends/terraform_aws/sizes.h"

namespace platc::terraform_aws {

namespace {

struct Row {
  std::string_view size, value;
};

std::string pick(const Row* rows, std::size_t n, std::string_view size) {
  for (std::size_t k = 0; k < n; ++k)
    if (rows[k].size == size) return std::string(rows[k].value);
  return std::string(rows[0].value);
}

// stdlib/sizes.plat, column aws. `xlarge` (database only) is not in std.sizes yet: the next
// class of the `large` family.
const Row kDatabase[] = {
    {"small", "db.t3.small"}, {"medium", "db.t3.medium"}, {"large", "db.r6g.large"}, {"xlarge", "db.r6g.xlarge"}};
const Row kCache[] = {{"small", "cache.t3.micro"}, {"medium", "cache.t3.medium"}, {"large", "cache.r6g.large"}};
const Row kNodePool[] = {{"small", "t3.medium"}, {"medium", "m6i.large"}, {"large", "m6i.xlarge"}};

}  // namespace

std::string db_instance_class(std::string_view size) {
  return pick(kDatabase, std::size(kDatabase), size);
}
std::string cache_node_type(std::string_view size) {
  return pick(kCache, std::size(kCache), size);
}
std::string node_instance_type(std::string_view size) {
  return pick(kNodePool, std::size(kNodePool), size);
}

}  // namespace platc::terraform_aws
