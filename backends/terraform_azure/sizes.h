// What `size = …` means on Azure: the `azure` column of stdlib/sizes.plat (std.sizes), which the
// graph does not carry. tests/unit/terraform_azure_test.cpp checks this table against that file.
#pragma once

#include <string>
#include <string_view>

namespace platc::terraform_azure {

std::string server_sku(std::string_view size);  // database: B_Standard_B1ms …
// MySQL Flexible Server has its own general-purpose series (Ddsv4): the same vCPUs as server_sku.
std::string mysql_sku(std::string_view size);
std::string cache_sku(std::string_view size);     // cache: C0 … (family letter, capacity)
std::string node_vm_size(std::string_view size);  // node_pool: Standard_D2s_v5 …

}  // namespace platc::terraform_azure
