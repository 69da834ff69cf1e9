// Base64 (RFC 4648, with padding): how a Kubernetes Secret's `data` holds its values. The
// encoded text has no character YAML, a shell or a Helm template treats specially.
#pragma once

#include <string>
#include <string_view>

namespace platc::emit {

std::string base64(std::string_view bytes);

}  // namespace platc::emit
