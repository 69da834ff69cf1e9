#include "backends/kubernetes/egress.h"

#include "compiler/support/cidr.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

constexpr std::string_view kEgress = "egress.";

std::vector<std::string> strings_of(const Node& n, const std::string& path) {
  std::vector<std::string> out;
  if (const Value* v = n.value(path); v && v->kind == ValueKind::List)
    for (const auto& item : v->items)
      if (item.kind == ValueKind::String) out.push_back(item.plain());
  return out;
}

std::vector<std::int64_t> ports_of_block(const Node& n, const std::string& block) {
  std::vector<std::int64_t> out;
  if (const Value* v = n.value(block + ".ports"); v && v->kind == ValueKind::List)
    for (const auto& item : v->items)
      if (item.kind == ValueKind::Int) out.push_back(item.i);
  return out;
}

bool any_host(const Node& n, const std::string& block) {
  const Value* v = n.value(block + ".any_host");
  return v && v->kind == ValueKind::Bool && v->b;
}

std::vector<std::string> egress_blocks(const Node& n) {
  std::vector<std::string> out;
  for (const auto& b : n.blocks)  // sorted: the rules follow the blocks' names
    if (b.starts_with(kEgress)) out.push_back(b);
  return out;
}

YamlNode public_internet(const Context& ctx) {
  YamlNode peer = YamlNode::map();
  YamlNode& block = peer.child("ipBlock");
  block.set("cidr", "0.0.0.0/0");
  YamlNode& except = block.set("except", YamlNode::seq());
  for (const auto& r : non_public_ranges(ctx)) except.push(YamlNode::str(r));
  return peer;
}

}  // namespace

std::vector<std::string> non_public_ranges(const Context& ctx) {
  std::vector<std::string> out = {"10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"};
  bool covered = false;
  for (const auto& r : out) covered |= cidr_contains(r, ctx.cidr);
  if (!covered && cidr_problem(ctx.cidr).empty() && ctx.cidr.find(':') == std::string::npos) out.push_back(ctx.cidr);
  return out;
}

std::vector<YamlNode> egress_block_rules(const Context& ctx, const Workload& w) {
  std::vector<YamlNode> rules;
  const Node& n = *w.node;
  for (const auto& block : egress_blocks(n)) {
    std::vector<std::int64_t> ports = ports_of_block(n, block);
    // Sema refuses a block without a destination or ports: a rule without either would
    // admit everything, so none is written for a graph that slipped past it.
    YamlNode to = YamlNode::seq();
    for (const auto& cidr : strings_of(n, block + ".cidrs"))
      to.push(YamlNode::map()).child("ipBlock").set("cidr", cidr);
    if (any_host(n, block) || !strings_of(n, block + ".hosts").empty()) to.push(public_internet(ctx));
    if (to.empty() || ports.empty()) continue;
    YamlNode r = YamlNode::map();
    r.set("to", std::move(to));
    YamlNode& ps = r.set("ports", YamlNode::seq());
    for (auto p : ports) {
      YamlNode& e = ps.push(YamlNode::map());
      e.set("protocol", "TCP");
      e.set("port", YamlNode::integer(p));
    }
    rules.push_back(std::move(r));
  }
  return rules;
}

std::string egress_hosts(const Workload& w) {
  const Node& n = *w.node;
  std::string out;
  for (const auto& block : egress_blocks(n)) {
    std::string ports;
    for (auto p : ports_of_block(n, block)) ports += (ports.empty() ? "" : ",") + std::to_string(p);
    std::vector<std::string> hosts = strings_of(n, block + ".hosts");
    if (any_host(n, block)) hosts = {"*"};
    for (const auto& h : hosts) out += (out.empty() ? "" : " ") + block.substr(kEgress.size()) + "=" + h + ":" + ports;
  }
  return out;
}

}  // namespace platc::kubernetes
