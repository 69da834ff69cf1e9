// A service's `load_balancer`: a second Service `<name>-lb` of type LoadBalancer with one port,
// which the target's controller serves with a passthrough network load balancer (the annotations
// come from the contract's table), and what its NetworkPolicy admits on that port.
#pragma once

#include <string>
#include <vector>

#include "backends/emit/yaml_writer.h"
#include "backends/kubernetes/context.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"

namespace platc::kubernetes {

// The name of the LoadBalancer Service: `<name>-lb`.
std::string load_balancer_name(const std::string& workload);

// The port the load balancer forwards (`load_balancer.port`, else the main port); null when the
// workload has no `load_balancer` or no such port.
const Port* load_balancer_port(const Context& ctx, const Workload& w);

// The address ranges the NetworkPolicy admits on that port: `source_ranges` (else every address
// for a public one, the platform's network for an internal one), plus the platform's network
// where the target's load balancer health-checks the pods from there.
std::vector<std::string> load_balancer_sources(const Context& ctx, const Workload& w);

emit::YamlNode load_balancer_doc(const Context& ctx, const Workload& w, const emit::YamlNode& labels);

// `source_ranges` that are not CIDR ranges (E0426), a `port` that is not one of the service's
// (E0426), and a `<name>-lb` that is another workload's name (E0432).
void check_load_balancers(const graph::Graph& g, Diagnostics& diags);

}  // namespace platc::kubernetes
