// NetworkPolicies: deny everything, allow DNS, then per workload exactly what the graph's edges
// say: callers in, callees and data stores out (on the ports the contract gives each data store on
// the target), the load balancer to exposed services and to a `load_balancer`'s port, Prometheus
// to metrics ports, and the workload's own `egress` blocks out of the platform (egress.cpp).
#include "backends/contract/target.h"
#include "backends/kubernetes/egress.h"
#include "backends/kubernetes/families.h"
#include "backends/kubernetes/load_balancer.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Edge;
using graph::EdgeKind;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

std::vector<std::int64_t> data_ports(const Context& ctx, const Node& t) {
  if (t.kind == "database") {
    const Value* e = t.value("engine");
    return {contract::database_port(e ? e->text : "")};
  }
  if (t.kind == "cache") {
    const Value* tls = t.value("tls");
    return {contract::cache_port(ctx.target, !tls || tls->b)};
  }
  if (t.kind == "topic") return ctx.target.kafka_ports;
  return {};
}

YamlNode port_list(const std::set<std::int64_t>& ports, const char* protocol = "TCP") {
  YamlNode s = YamlNode::seq();
  for (auto p : ports) {
    YamlNode& e = s.push(YamlNode::map());
    e.set("protocol", protocol);
    e.set("port", YamlNode::integer(p));
  }
  return s;
}

YamlNode ip_block(std::string_view cidr) {
  YamlNode e = YamlNode::map();
  e.child("ipBlock").set("cidr", std::string(cidr));
  return e;
}

YamlNode pods_of(const Context& ctx, const std::string& name) {
  YamlNode e = YamlNode::map();
  e.child("podSelector").set("matchLabels", ctx.selector_labels(name));
  return e;
}

YamlNode default_deny(const Context& ctx, const YamlNode& l) {
  YamlNode o = ctx.object("networking.k8s.io/v1", "NetworkPolicy", "default-deny", l);
  YamlNode& spec = o.child("spec");
  spec.set("podSelector", YamlNode::map());
  YamlNode& types = spec.set("policyTypes", YamlNode::seq());
  types.push(YamlNode::str("Ingress"));
  types.push(YamlNode::str("Egress"));
  return o;
}

YamlNode allow_dns(const Context& ctx, const YamlNode& l) {
  YamlNode o = ctx.object("networking.k8s.io/v1", "NetworkPolicy", "allow-dns", l);
  YamlNode& spec = o.child("spec");
  spec.set("podSelector", YamlNode::map());
  spec.set("policyTypes", YamlNode::seq()).push(YamlNode::str("Egress"));
  YamlNode& rule = spec.set("egress", YamlNode::seq()).push(YamlNode::map());
  YamlNode& to = rule.set("to", YamlNode::seq()).push(YamlNode::map());
  to.child("namespaceSelector").child("matchLabels").set("kubernetes.io/metadata.name", "kube-system");
  to.child("podSelector").child("matchLabels").set("k8s-app", "kube-dns");
  YamlNode& ports = rule.set("ports", YamlNode::seq());
  for (const char* proto : {"UDP", "TCP"}) {
    YamlNode& p = ports.push(YamlNode::map());
    p.set("protocol", proto);
    p.set("port", YamlNode::integer(53));
  }
  return o;
}

// Who talks to whom: network edges between workloads, and to data stores; publishes and
// consumes reach topics and queues.
struct Traffic {
  std::map<std::size_t, std::set<std::size_t>> callers, callees, stores;
};

Traffic traffic(const Context& ctx) {
  Traffic t;
  for (const Edge& e : ctx.g.edges) {
    bool net = e.kind == EdgeKind::Network ||
               (e.kind == EdgeKind::Dependency && (e.via == "publishes" || e.via == "consumes"));
    if (!net || !ctx.workload_at(e.from)) continue;
    if (ctx.workload_at(e.to)) {
      t.callees[e.from].insert(e.to);
      t.callers[e.to].insert(e.from);
    } else {
      t.stores[e.from].insert(e.to);
    }
  }
  return t;
}

YamlNode ingress_rules(const Context& ctx, const Workload& w, Traffic& t) {
  const Node& n = *w.node;
  YamlNode ingress = YamlNode::seq();
  std::set<std::int64_t> own;
  for (const auto& p : w.ports) own.insert(p.number);
  for (std::size_t from : t.callers[w.index]) {
    if (own.empty()) break;
    YamlNode& r = ingress.push(YamlNode::map());
    r.set("from", YamlNode::seq()).push(pods_of(ctx, ctx.workload_at(from)->name));
    r.set("ports", port_list(own));
  }
  if (n.has_trait("exposable") && n.has_block("expose") && ingress_port_number(ctx, w) > 0) {
    YamlNode& r = ingress.push(YamlNode::map());
    YamlNode& from = r.set("from", YamlNode::seq());
    if (!ctx.target.load_balancer_cidrs.empty())
      for (auto cidr : ctx.target.load_balancer_cidrs) from.push(ip_block(cidr));
    else
      from.push(ip_block(ctx.cidr));  // the ALB / Application Gateway in the platform's network
    r.set("ports", port_list({ingress_port_number(ctx, w)}));
  }
  // The load balancer's clients on its one port, and nothing else of it.
  if (const Port* lb = load_balancer_port(ctx, w)) {
    YamlNode& r = ingress.push(YamlNode::map());
    YamlNode& from = r.set("from", YamlNode::seq());
    for (const auto& cidr : load_balancer_sources(ctx, w)) from.push(ip_block(cidr));
    r.set("ports", port_list({lb->number}));
  }
  if (n.has_block("metrics")) {
    std::int64_t port = 0;
    if (const Value* mp = n.value("metrics.port"); mp && mp->kind == ValueKind::Int)
      port = mp->i;
    else if (!w.ports.empty())
      port = w.ports.front().number;
    if (port > 0) {
      YamlNode& r = ingress.push(YamlNode::map());
      YamlNode& f = r.set("from", YamlNode::seq()).push(YamlNode::map());
      f.child("namespaceSelector").child("matchLabels").set("kubernetes.io/metadata.name", "monitoring");
      f.child("podSelector").child("matchLabels").set("app.kubernetes.io/name", "prometheus");
      r.set("ports", port_list({port}));
    }
  }
  return ingress;
}

YamlNode egress_rules(const Context& ctx, const Workload& w, Traffic& t) {
  YamlNode egress = YamlNode::seq();
  for (std::size_t to : t.callees[w.index]) {
    const Workload* callee = ctx.workload_at(to);
    std::set<std::int64_t> ports;
    for (const auto& p : callee->ports) ports.insert(p.number);
    if (ports.empty()) continue;
    YamlNode& r = egress.push(YamlNode::map());
    r.set("to", YamlNode::seq()).push(pods_of(ctx, callee->name));
    r.set("ports", port_list(ports));
  }
  std::set<std::int64_t> vpc_ports;
  bool cloud_api = false;
  for (std::size_t s : t.stores[w.index]) {
    const Node& store = ctx.g.nodes[s];
    for (auto p : data_ports(ctx, store)) vpc_ports.insert(p);
    if (store.kind == "queue" || store.kind == "bucket") cloud_api = true;
  }
  if (!vpc_ports.empty()) {
    YamlNode& r = egress.push(YamlNode::map());
    r.set("to", YamlNode::seq()).push(ip_block(ctx.cidr));
    r.set("ports", port_list(vpc_ports));
  }
  if (cloud_api) {
    // Queues and buckets are HTTPS APIs of the cloud, outside the platform's network.
    YamlNode& r = egress.push(YamlNode::map());
    r.set("to", YamlNode::seq()).push(ip_block("0.0.0.0/0"));
    r.set("ports", port_list({443}));
    if (!ctx.target.metadata_cidr.empty()) {
      YamlNode& md = egress.push(YamlNode::map());
      md.set("to", YamlNode::seq()).push(ip_block(ctx.target.metadata_cidr));
      md.set("ports", port_list({ctx.target.metadata_ports.begin(), ctx.target.metadata_ports.end()}));
    }
  }
  for (auto& r : egress_block_rules(ctx, w)) egress.push(std::move(r));
  return egress;
}

}  // namespace

std::vector<YamlNode> network_docs(const Context& ctx) {
  std::vector<YamlNode> docs;
  YamlNode l = ctx.common_labels();
  docs.push_back(default_deny(ctx, l));
  docs.push_back(allow_dns(ctx, l));
  Traffic t = traffic(ctx);
  for (const auto& w : ctx.workloads) {
    const Node& n = *w.node;
    YamlNode o = ctx.object("networking.k8s.io/v1", "NetworkPolicy", w.name, ctx.labels(n, w.name, w.version));
    if (std::string hosts = egress_hosts(w); !hosts.empty())
      o.child("metadata").child("annotations").set(kEgressHostsAnnotation, hosts);
    YamlNode& spec = o.child("spec");
    spec.child("podSelector").set("matchLabels", ctx.selector_labels(w.name));
    YamlNode& types = spec.set("policyTypes", YamlNode::seq());
    types.push(YamlNode::str("Ingress"));
    types.push(YamlNode::str("Egress"));
    YamlNode ingress = ingress_rules(ctx, w, t);
    YamlNode egress = egress_rules(ctx, w, t);
    if (!ingress.empty()) spec.set("ingress", std::move(ingress));
    if (!egress.empty()) spec.set("egress", std::move(egress));
    docs.push_back(std::move(o));
  }
  return docs;
}

}  // namespace platc::kubernetes
