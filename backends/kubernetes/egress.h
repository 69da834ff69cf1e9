// A workload's `egress` blocks: the NetworkPolicy rules that let it connect out of the platform,
// and the annotation naming the hosts that a NetworkPolicy cannot name itself.
#pragma once

#include <string>
#include <vector>

#include "backends/emit/yaml_writer.h"
#include "backends/kubernetes/context.h"

namespace platc::kubernetes {

// The annotation on a workload's NetworkPolicy that lists its egress hosts, `NAME=HOST:PORTS`
// separated by spaces (`mail=smtp.sendgrid.net:587 federation=*:80,443`): the rules above it can
// only say "any public address on the port", this says which one is meant, for reviewers and
// FQDN-aware tools.
inline constexpr const char* kEgressHostsAnnotation = "platc.dev/egress-hosts";

// The ranges a host name's rule keeps out of "every IPv4 address": private (RFC 1918), shared
// (RFC 6598, some clusters' pod ranges) and link-local (RFC 3927, the clouds' metadata endpoint
// 169.254.169.254), plus the platform's own network when it is none of these. Pods reach those
// through references or `cidrs`, never by a host name's rule.
std::vector<std::string> non_public_ranges(const Context& ctx);

// One NetworkPolicy egress rule per `egress` block, in the order of their names: `cidrs` as they
// are, `hosts` and `any_host` as every public IPv4 address, on the block's TCP ports.
std::vector<emit::YamlNode> egress_block_rules(const Context& ctx, const Workload& w);

// The value of kEgressHostsAnnotation for the workload; empty when it names no host.
std::string egress_hosts(const Workload& w);

}  // namespace platc::kubernetes
