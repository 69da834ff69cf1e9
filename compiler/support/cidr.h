// Address ranges in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`), read in one place: sema
// checks the `cidr` type (E0426), the Kubernetes backend checks `load_balancer.source_ranges`
// and writes both as NetworkPolicy ipBlocks, and the policies ask whether a range is everything.
#pragma once

#include <string>
#include <string_view>

namespace platc {

// Why `s` is not an IPv4 or IPv6 range in CIDR notation, or "" when it is one.
std::string cidr_problem(std::string_view s);

// The network address of a valid IPv4 range with its prefix (`203.0.113.7/24` gives
// `203.0.113.0/24`); the range unchanged when it is IPv6 or not valid. Clouds refuse a range
// whose host bits are set (AWS security groups, GCP firewall rules), so sema asks for this one.
std::string cidr_network(std::string_view s);

// Whether the IPv4 range `outer` holds every address of the IPv4 range `inner` (an address is
// `/32`); false when either is not a valid IPv4 range.
bool cidr_contains(std::string_view outer, std::string_view inner);

// A prefix length of 0: every address of its family (`0.0.0.0/0`, `::/0`).
bool cidr_is_everything(std::string_view s);

}  // namespace platc
