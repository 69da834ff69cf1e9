// What Kubernetes accepts as a name, for the backend's check step and for the objects it builds.
#pragma once

#include <cstddef>
#include <string>

namespace platc::kubernetes {

// Why `spelled` (a name as Kubernetes would spell it) cannot be a DNS-1123 label of at most `max`
// characters; empty when it can.
std::string name_problem(const std::string& spelled, std::size_t max);
// A name that would do: the spelling without leading and trailing hyphens, cut to `max`.
std::string name_suggestion(std::string spelled, std::size_t max);
// Why `name` is not a port name (IANA_SVC_NAME: at most 15 lower-case letters, digits and single
// `-`, at least one letter); empty when it is one.
std::string port_name_problem(const std::string& name);

}  // namespace platc::kubernetes
