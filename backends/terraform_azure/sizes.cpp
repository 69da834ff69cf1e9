#include "backends/terraform_azure/sizes.h"

#include <iterator>

namespace platc::terraform_azure {

namespace {

struct Row {
  std::string_view size, value;
};

template <std::size_t N>
std::string pick(const Row (&rows)[N], std::string_view size) {
  for (const auto& r : rows)
    if (r.size == size) return std::string(r.value);
  return std::string(rows[0].value);
}

// stdlib/sizes.plat, column azure. `xlarge` (database only) is not in std.sizes yet: the next
// class of the `large` family.
const Row kDatabase[] = {{"small", "B_Standard_B1ms"},
                         {"medium", "GP_Standard_D2s_v3"},
                         {"large", "GP_Standard_D4s_v3"},
                         {"xlarge", "GP_Standard_D8s_v3"}};
const Row kMysql[] = {{"small", "B_Standard_B1ms"},
                      {"medium", "GP_Standard_D2ds_v4"},
                      {"large", "GP_Standard_D4ds_v4"},
                      {"xlarge", "GP_Standard_D8ds_v4"}};
const Row kCache[] = {{"small", "C0"}, {"medium", "C1"}, {"large", "P1"}};
const Row kNodePool[] = {{"small", "Standard_D2s_v5"}, {"medium", "Standard_D4s_v5"}, {"large", "Standard_D8s_v5"}};

}  // namespace

std::string server_sku(std::string_view size) {
  return pick(kDatabase, size);
}
std::string mysql_sku(std::string_view size) {
  return pick(kMysql, size);
}
std::string cache_sku(std::string_view size) {
  return pick(kCache, size);
}
std::string node_vm_size(std::string_view size) {
  return pick(kNodePool, size);
}

}  // namespace platc::terraform_azure
