// What `size = …` means on GCP: the `gcp` column of stdlib/sizes.plat (std.sizes), which the graph
// does not carry. tests/unit/terraform_gcp_test.cpp checks this table against that file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace platc::terraform_gcp {

std::string sql_tier(std::string_view size);          // database: db-custom-1-3840 …
std::int64_t redis_memory_gb(std::string_view size);  // cache: 1, 5, 13 (GiB)
std::string machine_type(std::string_view size);      // node_pool: e2-standard-2 …

}  // namespace platc::terraform_gcp
