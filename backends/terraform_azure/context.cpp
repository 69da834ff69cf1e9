#include "backends/terraform_azure/context.h"

#include <algorithm>

namespace platc::terraform_azure {

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

std::string Context::label(std::string_view id) {
  std::string out(id);
  for (char& c : out)
    if (c == '-' || c == '.' || c == '/') c = '_';
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

Expr Context::tags_of(const Node* n) {
  Expr local = Expr::ref("local.tags");
  if (!n) return local;
  const Value* t = n->value("tags");
  if (!t || t->kind != ValueKind::Map || t->entries.empty()) return local;
  Expr o = Expr::object();
  for (const auto& [k, v] : t->entries) o.set(k, v.plain());
  return Expr::call("merge", {local, o});
}

std::map<std::string, std::string> Context::repositories() const {
  std::map<std::string, std::string> out;
  for (const Node* w : workloads()) {
    const Value* v = w->value("image");
    if (!v || v->kind != ValueKind::Call || v->text != "build" || v->items.empty()) continue;
    // `registry.platc.invalid/<platform>/<dir>:<tag>`: the repository lies between the registry
    // and the tag; the pipeline pushes it to the registry of registry.tf under that path.
    std::string ref = d.build_image(v->items[0].plain(), w->id);
    std::string repo = ref.substr(contract::kBuildRegistry.size() + 1);
    repo = repo.substr(0, repo.rfind(':'));
    out[w->id] = repo;
  }
  return out;
}

std::string cluster_name(const Context& c) {
  return c.prefix;
}

std::string key_vault_name(const contract::Deployment& d) {
  return d.prefix();
}

std::string registry_name(const contract::Deployment& d) {
  std::string out;
  for (char ch : d.prefix())
    if (ch != '-') out += ch;
  return out;
}

std::string storage_encryption_identity(const contract::Deployment& d) {
  return d.identity("storage-encryption");
}

std::string database_encryption_identity(const contract::Deployment& d) {
  return d.identity("database-encryption");
}

std::string messaging_encryption_identity(const contract::Deployment& d) {
  return d.identity("messaging-encryption");
}

std::string events_namespace(const contract::Deployment& d) {
  return d.prefix() + "-events";
}

}  // namespace platc::terraform_azure
