// Monitoring: a ServiceMonitor (services) or PodMonitor (workers) per workload with metrics, one
// PrometheusRule with every alert, and a ConfigMap per dashboard for Grafana's dashboard sidecar
// (kube-prometheus-stack, `grafana_dashboard: "1"`).
#include <fmt/format.h>

#include "backends/kubernetes/dashboards.h"
#include "backends/kubernetes/families.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;
using graph::Value;

namespace {

YamlNode alert_rule(const Context& ctx, const Node& n) {
  std::string expr = ctx.plain_of(n, "expr");
  while (!expr.empty() && (expr.back() == '\n' || expr.back() == ' ')) expr.pop_back();
  std::string op = Context::word_of(n, "when") == "below" ? "<" : ">";
  std::string threshold = ctx.plain_of(n, "threshold");
  YamlNode r = YamlNode::map();
  r.set("alert", n.id);
  r.set("expr", expr.find('\n') == std::string::npos ? fmt::format("({}) {} {}", expr, op, threshold)
                                                     : fmt::format("(\n{}\n) {} {}", expr, op, threshold));
  if (const Value* f = n.value("for"); f && f->i > 0) r.set("for", graph::format_seconds(f->i));
  YamlNode& l = r.child("labels");
  l.set("severity", Context::word_of(n, "severity"));
  l.set("environment", ctx.env);
  YamlNode& a = r.child("annotations");
  a.set("summary", ctx.plain_of(n, "summary"));
  if (n.value("description")) a.set("description", ctx.plain_of(n, "description"));
  if (n.value("runbook")) a.set("runbook_url", ctx.plain_of(n, "runbook"));
  return r;
}

}  // namespace

Docs monitoring_docs(const Context& ctx) {
  Docs out;
  for (const auto& w : ctx.workloads) {
    const Node& n = *w.node;
    if (!n.has_block("metrics") || n.kind == "job") continue;
    std::string port = ctx.port_name_for(w, n.value("metrics.port"));
    if (port.empty() && n.value("metrics.port")) port = "metrics";
    if (port.empty()) continue;  // nothing to scrape: no port
    out.sources.insert(ctx.source_of(&n));
    std::string path = ctx.plain_of(n, "metrics.path");
    std::string interval = graph::format_seconds(Context::int_of(n, "metrics.interval"));
    bool service = n.has_trait("exposable");
    YamlNode o = ctx.object("monitoring.coreos.com/v1", service ? "ServiceMonitor" : "PodMonitor", w.name,
                            ctx.labels(n, w.name, w.version));
    YamlNode& spec = o.child("spec");
    spec.child("selector").set("matchLabels", ctx.selector_labels(w.name));
    YamlNode& ep = spec.set(service ? "endpoints" : "podMetricsEndpoints", YamlNode::seq()).push(YamlNode::map());
    ep.set("port", port);
    ep.set("path", path);
    ep.set("interval", interval);
    out.docs.push_back(std::move(o));
  }
  YamlNode rules = YamlNode::seq();
  for (const auto& n : ctx.g.nodes) {
    if (n.kind != "alert") continue;
    out.sources.insert(ctx.source_of(&n));
    rules.push(alert_rule(ctx, n));
  }
  if (!rules.empty()) {
    std::string platform = ctx.deployment.chart();
    YamlNode o = ctx.object("monitoring.coreos.com/v1", "PrometheusRule", platform + "-alerts", ctx.common_labels());
    YamlNode& g = o.child("spec").set("groups", YamlNode::seq()).push(YamlNode::map());
    g.set("name", platform);
    g.set("rules", std::move(rules));
    out.docs.push_back(std::move(o));
  }
  return out;
}

Docs dashboard_docs(const Context& ctx) {
  Docs out;
  DashboardContext dctx;
  dctx.deployment = &ctx.deployment;
  dctx.platform = ctx.deployment.chart();
  dctx.env = contract::object_name(ctx.env);
  dctx.ns = ctx.ns;
  for (const auto& n : ctx.g.nodes) {
    if (n.kind != "dashboard") continue;
    std::string name = contract::object_name(n.id);
    if (name.empty()) continue;  // reported by the check step
    out.sources.insert(ctx.source_of(&n));
    YamlNode l = ctx.labels(n, "dashboard-" + name, "");
    l.set("grafana_dashboard", "1");
    YamlNode o = ctx.object("v1", "ConfigMap", "dashboard-" + name, l);
    o.child("data").set(dctx.platform + "-" + name + ".json", dashboard_json(ctx.g, n, dctx) + "\n");
    out.docs.push_back(std::move(o));
  }
  return out;
}

}  // namespace platc::kubernetes
