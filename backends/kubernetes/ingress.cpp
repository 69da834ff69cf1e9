// The entry points: one Ingress per public host, however many services are exposed on it. One
// Ingress is one load balancer and one address on GKE and one listener with one certificate on
// Application Gateway, so an Ingress per service would give one DNS name two load balancers, or
// two certificates racing for it. The Ingress is named after the host, its rules are the host's
// paths longest first (the controllers match in the order written, or longest first, and both
// agree then), and the controller settings come from the target's table (contract/target.cpp).
// check.cpp refuses services of one host that disagree on what one Ingress can only say once.
#include <algorithm>
#include <map>

#include "backends/contract/target.h"
#include "backends/kubernetes/families.h"
#include "backends/kubernetes/probes.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

bool tls_of(const Node& n) {
  const Value* v = n.value("expose.tls");
  return v && v->b;
}

// The path the readiness probe GETs, which the load balancer's health check should ask too.
std::string readiness_of(const Context& ctx, const Node& n) {
  const Value* ready = n.value("health.readiness");
  bool http = probe_kind(n) == ProbeKind::Http && ready && ready->kind == ValueKind::String;
  return http ? ctx.plain_of(n, "health.readiness") : "";
}

std::int64_t timeout_of(const Node& n) {
  const Value* v = n.value("expose.timeout");
  return v && v->kind == ValueKind::Duration ? v->i : 0;
}

std::string fill(std::string_view templ, const std::map<std::string, std::string>& vars) {
  std::string out(templ);
  for (const auto& [key, value] : vars)
    for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
      out.replace(at, key.size(), value);
  return out;
}

// The host's readiness path when all its services share one; empty when they differ or have none.
std::string shared_readiness(const Context& ctx, const PublicHost& h) {
  std::string first = readiness_of(ctx, *h.routes.front().w->node);
  for (const auto& r : h.routes)
    if (readiness_of(ctx, *r.w->node) != first) return "";
  return first;
}

std::int64_t longest_timeout(const std::vector<const Workload*>& ws) {
  std::int64_t t = 0;
  for (const Workload* w : ws) t = std::max(t, timeout_of(*w->node));
  return t;
}

// The settings the host's Ingress carries once for all its paths. check.cpp made sure the
// services agree on them, so the first route speaks for all.
YamlNode annotations(const Context& ctx, const PublicHost& h, bool tls, std::string& cls) {
  const Node& first = *h.routes.front().w->node;
  std::string name = contract::ingress_name(h.host);
  std::string readiness = shared_readiness(ctx, h);
  std::map<std::string, std::string> vars = {{"{namespace}", ctx.ns},
                                             {"{certificate}", ctx.deployment.certificate(h.host)},
                                             {"{readiness}", readiness},
                                             {"{frontend_config}", name}};
  YamlNode a = YamlNode::map();
  if (ctx.target.ingress_class_annotation && !cls.empty()) {
    a.set("kubernetes.io/ingress.class", cls);
    cls.clear();
  }
  for (const auto& ann : ctx.target.ingress_annotations) {
    using When = contract::IngressAnnotation;
    bool on = ann.when == When::Always || (ann.when == When::Tls && tls) || (ann.when == When::NoTls && !tls) ||
              (ann.when == When::Readiness && !readiness.empty());
    if (on) a.set(std::string(ann.key), fill(ann.value, vars));
  }
  std::vector<const Workload*> own;
  for (const auto& r : h.routes) own.push_back(r.w);
  // Only the Ingresses of hosts that ask for long connections carry it; the others keep the
  // controller's default (an ALB group merges the one value onto its load balancer).
  if (!ctx.target.timeout_annotation.empty() && longest_timeout(own) > 0) {
    std::vector<const Workload*> scope = own;
    if (ctx.target.timeout_per_namespace) {
      scope.clear();
      for (const auto& w : ctx.workloads)
        if (w.node->has_trait("exposable") && w.node->has_block("expose")) scope.push_back(&w);
    }
    a.set(std::string(ctx.target.timeout_annotation),
          fill(ctx.target.timeout_value, {{"{seconds}", std::to_string(longest_timeout(scope))}}));
  }
  // A class of the user's own: its controller's annotations are theirs to set.
  if (first.value("expose.class")) {
    cls = ctx.plain_of(first, "expose.class");
    a = YamlNode::map();
  }
  for (const auto& r : h.routes)
    for (const auto& [key, a_node] : r.w->node->entries("expose.annotations"))
      a.set(key, a_node->value.kind == ValueKind::String ? a_node->value.plain() : number_text(a_node->value));
  return a;
}

YamlNode ingress_doc(const Context& ctx, const PublicHost& h, const YamlNode& l) {
  const Node& first = *h.routes.front().w->node;
  bool tls = tls_of(first);
  std::string name = contract::ingress_name(h.host);
  YamlNode o = ctx.object("networking.k8s.io/v1", "Ingress", name, l);
  std::string cls(ctx.target.ingress_class);
  if (YamlNode a = annotations(ctx, h, tls, cls); !a.empty()) o.child("metadata").set("annotations", std::move(a));
  YamlNode& spec = o.child("spec");
  if (!cls.empty()) spec.set("ingressClassName", cls);
  if (tls) {
    YamlNode& t = spec.set("tls", YamlNode::seq()).push(YamlNode::map());
    t.set("hosts", YamlNode::seq()).push(YamlNode::str(h.host));
  }
  YamlNode& rule = spec.set("rules", YamlNode::seq()).push(YamlNode::map());
  rule.set("host", h.host);
  YamlNode& paths = rule.child("http").set("paths", YamlNode::seq());
  for (const auto& r : h.routes) {
    YamlNode& p = paths.push(YamlNode::map());
    p.set("path", r.path);
    p.set("pathType", "Prefix");
    YamlNode& svc = p.child("backend").child("service");
    svc.set("name", r.w->name);
    svc.child("port").set("name", ingress_port(ctx, *r.w));
  }
  return o;
}

}  // namespace

const std::vector<PublicHost>& public_hosts(const Context& ctx) {
  if (ctx.public_hosts_cache) return *ctx.public_hosts_cache;
  std::map<std::string, PublicHost> by_host;
  for (const auto& w : ctx.workloads) {
    const Node& n = *w.node;
    if (!n.has_trait("exposable") || !n.has_block("expose") || w.ports.empty()) continue;
    std::string host = ctx.plain_of(n, "expose.host");
    PublicHost& h = by_host[host];
    h.host = host;
    h.routes.push_back({&w, ctx.plain_of(n, "expose.path")});
  }
  std::vector<PublicHost> out;
  for (auto& [host, h] : by_host) {
    // Longest path first, then by path: the order never depends on the services' names.
    std::stable_sort(h.routes.begin(), h.routes.end(), [](const HostRoute& a, const HostRoute& b) {
      return a.path.size() != b.path.size() ? a.path.size() > b.path.size() : a.path < b.path;
    });
    out.push_back(std::move(h));
  }
  return *(ctx.public_hosts_cache = std::move(out));
}

Docs ingress_docs(const Context& ctx) {
  Docs out;
  YamlNode l = ctx.common_labels();
  for (const PublicHost& h : public_hosts(ctx)) {
    const Node& first = *h.routes.front().w->node;
    out.docs.push_back(ingress_doc(ctx, h, l));
    for (const auto& r : h.routes) out.sources.insert(ctx.source_of(r.w->node));
    // GKE's HTTP-to-HTTPS redirect: a FrontendConfig of the Ingress's name, which it names.
    if (ctx.target.https_redirect_frontend_config && tls_of(first) && !first.value("expose.class")) {
      YamlNode f = ctx.object("networking.gke.io/v1beta1", "FrontendConfig", contract::ingress_name(h.host), l);
      f.child("spec").child("redirectToHttps").set("enabled", YamlNode::boolean(true));
      out.docs.push_back(std::move(f));
    }
  }
  return out;
}

YamlNode backend_config_doc(const Context& ctx, const Workload& w, const YamlNode& l) {
  YamlNode o = ctx.object("cloud.google.com/v1", "BackendConfig", w.name, l);
  o.child("spec").set("timeoutSec", YamlNode::integer(timeout_of(*w.node)));
  return o;
}

bool has_backend_config(const Context& ctx, const Workload& w) {
  const Node& n = *w.node;
  return ctx.target.timeout_backend_config && n.has_trait("exposable") && n.has_block("expose") &&
         !n.value("expose.class") && timeout_of(n) > 0;
}

YamlNode service_annotations(const Context& ctx, const Workload& w) {
  YamlNode a = YamlNode::map();
  const Node& n = *w.node;
  // A class of the user's own (`expose.class`) is served by another controller, which needs none
  // of these.
  if (!n.has_trait("exposable") || !n.has_block("expose") || n.value("expose.class")) return a;
  // What the target's own Ingress controller needs on every backend Service (GKE's NEG).
  for (const auto& [key, value] : ctx.target.exposed_service_annotations) a.set(std::string(key), std::string(value));
  // GKE reads the backend's settings from the BackendConfig its Service names.
  if (has_backend_config(ctx, w)) a.set("cloud.google.com/backend-config", "{\"default\":\"" + w.name + "\"}");
  // A host whose services check readiness on different paths: each backend's own, where the
  // controller reads it from the Service.
  if (ctx.target.readiness_service_annotation.empty()) return a;
  std::string host = ctx.plain_of(n, "expose.host");
  for (const PublicHost& h : public_hosts(ctx)) {
    if (h.host != host || h.routes.size() < 2 || !shared_readiness(ctx, h).empty()) continue;
    if (std::string r = readiness_of(ctx, n); !r.empty())
      a.set(std::string(ctx.target.readiness_service_annotation), r);
  }
  return a;
}

}  // namespace platc::kubernetes
