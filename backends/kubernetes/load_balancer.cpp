// `load_balancer`: the LoadBalancer Service, the sources its NetworkPolicy rule admits, and the
// check of what Kubernetes and the clouds would refuse.
#include "backends/kubernetes/load_balancer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "backends/contract/names.h"
#include "compiler/support/cidr.h"
#include "compiler/support/names.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

bool internal(const Node& n) {
  return Context::word_of(n, "load_balancer.scope") == "internal";
}

std::vector<std::string> source_ranges(const Node& n) {
  std::vector<std::string> out;
  if (const Value* v = n.value("load_balancer.source_ranges"); v && v->kind == ValueKind::List)
    for (const auto& item : v->items)
      if (item.kind == ValueKind::String) out.push_back(item.plain());
  return out;
}

// The port `load_balancer.port` names: a container port or a Service port of the workload.
const Port* find_port(const Workload& w, std::int64_t number) {
  for (const auto& p : w.ports)
    if (p.number == number || p.service_port == number) return &p;
  return nullptr;
}

}  // namespace

std::string load_balancer_name(const std::string& workload) {
  return workload + "-lb";
}

const Port* load_balancer_port(const Context&, const Workload& w) {
  const Node& n = *w.node;
  if (!n.has_trait("exposable") || !n.has_block("load_balancer") || w.ports.empty()) return nullptr;
  const Value* p = n.value("load_balancer.port");
  return p && p->kind == ValueKind::Int ? find_port(w, p->i) : &w.ports.front();
}

std::vector<std::string> load_balancer_sources(const Context& ctx, const Workload& w) {
  const Node& n = *w.node;
  std::vector<std::string> out = source_ranges(n);
  if (out.empty()) out.push_back(internal(n) ? ctx.cidr : "0.0.0.0/0");
  if (ctx.target.load_balancer_checks_from_network && std::find(out.begin(), out.end(), ctx.cidr) == out.end())
    out.push_back(ctx.cidr);
  return out;
}

YamlNode load_balancer_doc(const Context& ctx, const Workload& w, const YamlNode& labels) {
  const Node& n = *w.node;
  const Port* port = load_balancer_port(ctx, w);
  YamlNode o = ctx.object("v1", "Service", load_balancer_name(w.name), labels);
  YamlNode a = YamlNode::map();
  using When = contract::LoadBalancerAnnotation;
  for (const auto& ann : ctx.target.load_balancer_annotations)
    if (ann.when == When::Always || (ann.when == When::Internal) == internal(n))
      a.set(std::string(ann.key), std::string(ann.value));
  if (!a.empty()) o.child("metadata").set("annotations", std::move(a));
  YamlNode& spec = o.child("spec");
  spec.set("type", "LoadBalancer");
  // Local: the pods see the clients' addresses, so the NetworkPolicy's ipBlocks mean what
  // `source_ranges` says (Cluster would SNAT traffic forwarded between nodes to a node address).
  spec.set("externalTrafficPolicy", "Local");
  spec.set("selector", ctx.selector_labels(w.name));
  if (auto ranges = source_ranges(n); !ranges.empty()) {
    YamlNode& s = spec.set("loadBalancerSourceRanges", YamlNode::seq());
    for (const auto& r : ranges) s.push(YamlNode::str(r));
  }
  YamlNode& e = spec.set("ports", YamlNode::seq()).push(YamlNode::map());
  e.set("name", port->name);
  e.set("port", YamlNode::integer(port->service_port));
  e.set("targetPort", port->name);
  e.set("protocol", "TCP");
  return o;
}

void check_load_balancers(const graph::Graph& g, Diagnostics& diags) {
  std::map<std::string, const Node*> workloads;  // Kubernetes name -> block
  for (const auto& n : g.nodes)
    if (n.has_trait("workload")) workloads.emplace(k8s_spelling(n.id), &n);
  for (const auto& n : g.nodes) {
    if (!n.has_trait("exposable") || !n.has_block("load_balancer")) continue;
    if (const graph::Attr* a = n.attr("load_balancer.source_ranges"); a && a->value.kind == ValueKind::List)
      for (const auto& item : a->value.items) {
        if (item.kind != ValueKind::String) continue;
        std::string why = cidr_problem(item.plain());
        if (why.empty()) continue;
        diags
            .report(DiagKind::InvalidFormat, item.range.valid() ? item.range : n.name_range(), item.plain(),
                    "CIDR range", why)
            .label(why)
            .note("`source_ranges` become the Service's loadBalancerSourceRanges and the NetworkPolicy's ipBlocks")
            .with_help("write an address and a prefix length, such as `\"203.0.113.0/24\"`");
      }
    if (const graph::Attr* a = n.attr("load_balancer.port"); a && a->value.kind == ValueKind::Int) {
      Workload w;
      w.ports = ports_of(n);
      if (!find_port(w, a->value.i)) {
        std::string ports;
        for (const auto& p : w.ports) ports += fmt::format("{}{} ({})", ports.empty() ? "" : ", ", p.number, p.name);
        diags
            .report(DiagKind::InvalidFormat, a->value.range.valid() ? a->value.range : n.name_range(),
                    std::to_string(a->value.i), "load balancer port", "the service has no such port")
            .label("not a port of the service")
            .note(ports.empty() ? "the service has no ports" : "its ports are " + ports)
            .with_help("name one of the service's ports, or remove `port` to use the main one");
      }
    }
    std::string lb = load_balancer_name(k8s_spelling(n.id));
    if (auto it = workloads.find(lb); it != workloads.end())
      diags.report(DiagKind::KubernetesNameClash, n.name_range(), n.id + ".load_balancer", it->second->id, lb)
          .label(fmt::format("its load balancer is the Service `{}`", lb))
          .also(it->second->name_range(),
                fmt::format("and {} `{}` has a Service of that name", it->second->kind, it->second->id))
          .note("a `load_balancer` is a second Service named `<name>-lb`")
          .with_help("rename one of them");
  }
}

}  // namespace platc::kubernetes
