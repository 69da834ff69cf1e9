// Formats of string-typed values: cron schedules, URLs, host names, paths, e-mail addresses,
// dates, regions and image references (those read by compiler/support/image_ref.h). Each
// returns the problem in words, or "" when valid.
#pragma once

#include <string>
#include <string_view>

#include "compiler/graph/value.h"
#include "compiler/sema/types.h"

namespace platc::sema {

// Checks a string value against the format its type asks for. Interpolated references are read
// as a placeholder word, so `"api.${env.domain}"` is checked as a host name.
std::string format_problem(TypeTag tag, const graph::Value& v);

std::string cron_problem(std::string_view spec);
std::string host_problem(std::string_view host);

}  // namespace platc::sema
