#include "backends/terraform_gcp/sizes.h"

#include <iterator>

namespace platc::terraform_gcp {

namespace {

struct Row {
  std::string_view size, value;
};

template <std::size_t N>
std::string pick(const Row (&rows)[N], std::string_view size) {
  for (const Row& r : rows)
    if (r.size == size) return std::string(r.value);
  return std::string(rows[0].value);
}

// stdlib/sizes.plat, column gcp. `xlarge` (database only) is not in std.sizes yet: the next
// custom machine of the `large` line.
const Row kDatabase[] = {{"small", "db-custom-1-3840"},
                         {"medium", "db-custom-2-7680"},
                         {"large", "db-custom-4-15360"},
                         {"xlarge", "db-custom-8-30720"}};
const Row kCache[] = {{"small", "1"}, {"medium", "5"}, {"large", "13"}};
const Row kNodePool[] = {{"small", "e2-standard-2"}, {"medium", "e2-standard-4"}, {"large", "e2-standard-8"}};

}  // namespace

std::string sql_tier(std::string_view size) {
  return pick(kDatabase, size);
}
std::int64_t redis_memory_gb(std::string_view size) {
  return std::stoll(pick(kCache, size));
}
std::string machine_type(std::string_view size) {
  return pick(kNodePool, size);
}

}  // namespace platc::terraform_gcp
