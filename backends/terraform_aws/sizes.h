// What `size = …` means on AWS: the `aws` column of stdlib/sizes.plat (std.sizes), which the graph
// does not carry. tests/unit/terraform_aws_test.cpp checks this table against that file.
#pragma once

#include <string>
#include <string_view>

namespace platc::terraform_aws {

std::string db_instance_class(std::string_view size);   // database: db.t3.small …
std::string cache_node_type(std::string_view size);     // cache: cache.t3.micro …
std::string node_instance_type(std::string_view size);  // node_pool: t3.medium …

}  // namespace platc::terraform_aws
