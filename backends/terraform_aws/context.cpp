#include "backends/terraform_aws/context.h"

#include <algorithm>

#include "compiler/support/names.h"

namespace platc::terraform_aws {

using graph::Node;
using graph::Value;
using graph::ValueKind;

Context::Context(const graph::Graph& graph, std::function<std::string(const SourceRange&)> names)
    : g(graph), d(graph), source_name(std::move(names)) {
  prefix = d.prefix();
  ns = d.ns();
  region = d.region();
  platform = g.platform_node();
  env_node = g.environment_node();
  if (platform)
    if (const Value* t = platform->value("tags"); t && t->kind == ValueKind::Map)
      for (const auto& [k, v] : t->entries) tags[k] = v.plain();
  note_source(platform);
}

void Context::note_source(const Node* n) {
  if (!n || !source_name) return;
  std::string s = source_name(n->where);
  if (!s.empty()) sources.insert(s);
}

hcl::File& Context::file(const std::string& name) {
  return files_[name];
}

Expr Context::var(Variable v) {
  std::string name = v.name;
  if (var_names_.insert(name).second) vars_.push_back(std::move(v));
  return Expr::ref("var." + name);
}

const graph::EdgeIndex& Context::edges() const {
  if (!edges_) edges_.emplace(g);
  return *edges_;
}

std::vector<const Node*> Context::of_kind(std::string_view kind) const {
  std::vector<const Node*> out;
  for (const auto& n : g.nodes)
    if (n.kind == kind) out.push_back(&n);
  return out;
}

std::vector<const Node*> Context::workloads() const {
  std::vector<const Node*> out;
  for (const auto& n : g.nodes)
    if (n.has_trait("workload")) out.push_back(&n);
  return out;
}

std::vector<const Node*> Context::targets_of(const Node& w, std::string_view kind) const {
  std::vector<const Node*> out;
  for (std::size_t k : edges().out[g.index_of(w)]) {
    const auto& e = g.edges[k];
    if (g.nodes[e.to].kind != kind) continue;
    const Node* t = &g.nodes[e.to];
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  std::sort(out.begin(), out.end(), [](const Node* a, const Node* b) { return a->id < b->id; });
  return out;
}

std::vector<const Node*> Context::users_of(const Node& n) const {
  std::vector<const Node*> out;
  for (std::size_t k : edges().in[g.index_of(n)]) {
    const Node* f = &g.nodes[g.edges[k].from];
    if (!f->has_trait("workload")) continue;
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const Node* a, const Node* b) { return a->id < b->id; });
  return out;
}

std::string Context::label(std::string_view id) {
  std::string out(id);
  for (char& c : out)
    if (c == '-') c = '_';
  return out;
}

std::int64_t Context::int_of(const Node& n, std::string_view path, std::int64_t fallback) {
  const Value* v = n.value(path);
  return v ? v->i : fallback;
}

bool Context::bool_of(const Node& n, std::string_view path, bool fallback) {
  const Value* v = n.value(path);
  return v && v->kind == ValueKind::Bool ? v->b : fallback;
}

std::string Context::text_of(const Node& n, std::string_view path) {
  const Value* v = n.value(path);
  if (!v) return "";
  if (v->kind == ValueKind::String) return v->plain();
  return v->text;
}

Expr Context::tags_of(const Node* n, const std::string& name) const {
  Expr o = Expr::object().set("Name", name);
  if (n)
    if (const Value* t = n->value("tags"); t && t->kind == ValueKind::Map)
      for (const auto& [k, v] : t->entries) o.set(k, v.plain());
  return o;
}

std::map<std::string, std::string> Context::repositories() const {
  std::map<std::string, std::string> out;
  for (const Node* w : workloads()) {
    const Value* v = w->value("image");
    if (!v || v->kind != ValueKind::Call || v->text != "build" || v->items.empty()) continue;
    // The contract's repository of the image the pods pull, which the pipeline pushes to.
    out[w->id] = d.build_repository(v->items[0].plain(), w->id);
  }
  return out;
}

std::string cluster_name(const Context& c) {
  return c.d.cluster();
}
std::string eso_role_name(const Context& c) {
  return c.name("external-secrets");
}
std::string deploy_role_name(const Context& c) {
  return c.d.deploy_identity();
}
std::string terraform_role_name(const Context& c) {
  return c.d.terraform_identity();
}
std::string external_dns_role_name(const Context& c) {
  return c.name("external-dns");
}
std::string lb_controller_role_name(const Context& c) {
  return c.name("aws-lb-controller");
}

}  // namespace platc::terraform_aws
