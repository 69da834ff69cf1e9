#include "backends/kubernetes/context.h"

#include <fmt/format.h>

#include <algorithm>

#include "backends/emit/yaml_writer.h"
#include "compiler/support/image_ref.h"
#include "compiler/support/names.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Attr;
using graph::Node;
using graph::Value;
using graph::ValueKind;

std::int64_t percent_int(const Value& v) {
  const auto& d = v.dec;
  std::int64_t div = 1;
  for (std::uint32_t k = 0; k < d.scale; ++k) div *= 10;
  return (d.mantissa + div / 2) / div;
}

std::string number_text(const Value& v) {
  switch (v.kind) {
    case ValueKind::Int:
      return std::to_string(v.i);
    case ValueKind::Number:
      return graph::format_decimal(v.dec);
    case ValueKind::Size:
      return graph::format_bytes(v.i);
    case ValueKind::Cpu:
      return graph::format_millicores(v.i);
    case ValueKind::Duration:
      return graph::format_seconds(v.i);
    case ValueKind::Percent:
      return graph::format_decimal(v.dec) + "%";
    case ValueKind::Bool:
      return v.b ? "true" : "false";
    case ValueKind::Symbol:
      return v.text;
    default:
      return v.display();
  }
}

std::vector<Port> ports_of(const Node& n) {
  std::vector<Port> out;
  if (const Value* p = n.value("port"); p && p->kind == ValueKind::Int) {
    const Value* sp = n.value("service_port");
    const Value* proto = n.value("protocol");
    bool h2 = proto && (proto->text == "http2" || proto->text == "grpc");
    out.push_back({"http", p->i, sp && sp->kind == ValueKind::Int ? sp->i : p->i, h2 ? "kubernetes.io/h2c" : ""});
  }
  if (const Value* m = n.value("ports"); m && m->kind == ValueKind::Map)
    for (const auto& [name, v] : m->entries)
      if (port_name_problem(name).empty() && v.kind == ValueKind::Int) out.push_back({name, v.i, v.i, ""});
  return out;
}

std::vector<Sidecar> sidecars_of(const Node& n) {
  std::vector<Sidecar> out;
  for (const auto& b : n.blocks)  // sorted by sema
    if (b.starts_with("sidecar.") && b.find('.', 8) == std::string::npos)  // not `sidecar.x.env`
      out.push_back({b, contract::object_name(b.substr(8))});
  return out;
}

// A sidecar's port is named like the sidecar; the check step refuses a name that is not a valid
// port name (E0509), which is left out here so nothing invalid is written.
std::vector<Port> sidecar_ports_of(const Node& n) {
  std::vector<Port> out;
  for (const auto& s : sidecars_of(n))
    if (const Value* p = n.value(s.block + ".port");
        p && p->kind == ValueKind::Int && port_name_problem(s.name).empty())
      out.push_back({s.name, p->i, p->i, ""});
  return out;
}

namespace {

void image_of(const Node& n, const contract::Deployment& d, std::string& ref, std::string& version) {
  const Value* v = n.value("image");
  if (!v) return;
  if (v->kind == ValueKind::Call && v->text == "build" && !v->items.empty()) {
    ref = d.build_image(v->items[0].plain(), n.id);
    version = contract::kDevTag;
    return;
  }
  ref = v->kind == ValueKind::String ? v->plain() : v->display();
  // The tag is the version label (`app.kubernetes.io/version`), made a valid label value.
  if (ImageRef r = parse_image_ref(ref); r.has_tag) version = sanitize_label(r.tag);
}

}  // namespace

Context::Context(const graph::Graph& graph, const Options& opts)
    : g(graph), deployment(graph), target(deployment.target()), opts_(opts) {
  env = g.environment;
  platform_name = deployment.platform();
  platform = g.platform_node();
  env_node = g.environment_node();
  ns = deployment.ns();
  if (platform) {
    if (const Value* v = platform->value("network.cidr"); v && v->kind == ValueKind::String) cidr = v->plain();
    add_tags(tags_, *platform);
  }
  tags_["environment"] = sanitize_label(env);
  for (std::size_t k = 0; k < g.nodes.size(); ++k) {
    const Node& n = g.nodes[k];
    if (!n.has_trait("workload") && !n.has_trait("secret")) continue;
    // The check step reported names that cannot be Kubernetes names; leave them out.
    std::string name = contract::object_name(n.id);
    if (name.empty()) continue;
    names_[n.id] = name;
    if (!n.has_trait("workload")) continue;
    Workload w;
    w.node = &n;
    w.index = k;
    w.name = name;
    w.ports = ports_of(n);
    w.sidecars = sidecars_of(n);
    w.sidecar_ports = sidecar_ports_of(n);
    const Value* hook = n.value("hook");
    w.pre_deploy = hook && hook->kind == ValueKind::Symbol && hook->text == "pre_deploy";
    image_of(n, deployment, w.image, w.version);
    by_index_[k] = workloads.size();
    workloads.push_back(std::move(w));
  }
}

const Workload* Context::workload_at(std::size_t node_index) const {
  auto it = by_index_.find(node_index);
  return it == by_index_.end() ? nullptr : &workloads[it->second];
}

std::string Context::name_output(const std::string& id) const {
  auto it = names_.find(id);
  if (it != names_.end()) return it->second;
  const Node* n = g.find(id);
  return n ? deployment.output_name(*n) : id;
}

void Context::add_tags(std::map<std::string, std::string>& out, const Node& n) const {
  const Value* v = n.value("tags");
  if (!v || v->kind != ValueKind::Map) return;
  for (const auto& [k, val] : v->entries) {
    std::string key = sanitize_label(k);
    if (key.empty() || key.starts_with("app.kubernetes.io")) continue;
    out[key] = sanitize_label(val.kind == ValueKind::String ? val.plain() : number_text(val));
  }
}

std::string Context::source_of(const Node* n) const {
  if (!n || !opts_.source_name) return "";
  return opts_.source_name(n->where);
}

std::string Context::header(const std::set<std::string>& sources) {
  return emit::generated_header({sources.begin(), sources.end()});
}

std::string Context::plain_of(const Node& n, std::string_view path) const {
  const Attr* a = n.attr(path);
  if (!a) return "";
  if (a->value.kind != ValueKind::String) return number_text(a->value);
  std::string out;
  // Sema substituted `${env.…}` but the region; `${x.name}` is the name the contract gives `x` on
  // this target (a bucket's cloud name, a workload's Kubernetes name), and the contract knows a
  // few other outputs before deploying; what is left are deploy-time outputs.
  for (const auto& p : a->value.pieces) {
    std::optional<std::string> known;
    if (p.ref_resource.empty())
      known = p.text;
    else if (p.ref_output == "name")
      known = name_output(p.ref_resource);
    else if (p.ref_resource == "env")
      known = deployment.environment_output(p.ref_output);
    else if (const Node* t = g.find(p.ref_resource))
      known = deployment.known_output(*t, p.ref_output);
    out += known ? *known : fmt::format("${{{}.{}}}", p.ref_resource, p.ref_output);
  }
  return out;
}

std::int64_t Context::int_of(const Node& n, std::string_view path) {
  const Value* v = n.value(path);
  return v ? v->i : 0;
}

std::string Context::word_of(const Node& n, std::string_view path) {
  const Value* v = n.value(path);
  return v ? v->text : "";
}

std::string Context::port_name_for(const Workload& w, const Value* port) const {
  if (!port || port->kind != ValueKind::Int) return w.ports.empty() ? "" : w.ports.front().name;
  for (const auto* list : {&w.ports, &w.sidecar_ports})
    for (const auto& p : *list)
      if (p.number == port->i) return p.name;
  return "";
}

YamlNode Context::common_labels() const {
  YamlNode l = YamlNode::map();
  l.set("app.kubernetes.io/instance", ns);
  l.set("app.kubernetes.io/part-of", deployment.chart());
  l.set("app.kubernetes.io/managed-by", "platc");
  for (const auto& [k, v] : tags_) l.set(k, v);
  return l;
}

YamlNode Context::selector_labels(const std::string& name) const {
  YamlNode l = YamlNode::map();
  l.set("app.kubernetes.io/name", name);
  l.set("app.kubernetes.io/instance", ns);
  return l;
}

YamlNode Context::labels(const Node& n, const std::string& name, const std::string& version) const {
  YamlNode l = YamlNode::map();
  l.set("app.kubernetes.io/name", name);
  l.set("app.kubernetes.io/instance", ns);
  if (!version.empty()) l.set("app.kubernetes.io/version", version);
  l.set("app.kubernetes.io/component", n.kind);
  l.set("app.kubernetes.io/part-of", deployment.chart());
  l.set("app.kubernetes.io/managed-by", "platc");
  std::map<std::string, std::string> tags = tags_;
  add_tags(tags, n);
  tags["environment"] = sanitize_label(env);
  for (const auto& [k, v] : tags) l.set(k, v);
  return l;
}

YamlNode Context::object(const char* api, const char* kind, const std::string& name, YamlNode labels_node) const {
  YamlNode o = YamlNode::map();
  o.set("apiVersion", api);
  o.set("kind", kind);
  YamlNode& m = o.child("metadata");
  m.set("name", name);
  m.set("namespace", ns);
  m.set("labels", std::move(labels_node));
  return o;
}

void Context::hook_annotations(YamlNode& o, const char* weight, bool pre) {
  YamlNode& a = o.child("metadata").child("annotations");
  a.set("helm.sh/hook", pre ? "pre-install,pre-upgrade" : "post-install,post-upgrade");
  a.set("helm.sh/hook-weight", weight);
  a.set("helm.sh/hook-delete-policy", "before-hook-creation");
  a.set("argocd.argoproj.io/hook", pre ? "PreSync" : "PostSync");
  a.set("argocd.argoproj.io/sync-wave", weight);
  a.set("argocd.argoproj.io/hook-delete-policy", "BeforeHookCreation");
}

}  // namespace platc::kubernetes
