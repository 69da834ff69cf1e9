#include "backends/terraform_gcp/context.h"

#include <algorithm>

namespace platc::terraform_gcp {

using graph::Node;
using graph::Value;
using graph::ValueKind;

Context::Context(const graph::Graph& graph, std::function<std::string(const SourceRange&)> names)
    : g(graph), d(graph), source_name(std::move(names)) {
  prefix = d.prefix();
  project = d.gcp_project();
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

std::string label_value(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    out += ok ? ch : '_';
    if (out.size() == 63) break;
  }
  return out;
}

Expr Context::labels_of(const Node* n) const {
  Expr o = Expr::object();
  if (n)
    if (const Value* t = n->value("tags"); t && t->kind == ValueKind::Map)
      for (const auto& [k, v] : t->entries) o.set(k, v.plain());  // as written: check_labels (E0525)
  return o;
}

void Context::add_labels(hcl::Body& b, const Node* n) const {
  Expr l = labels_of(n);
  if (!l.keys().empty()) b.attr("labels", std::move(l));
}

std::map<std::string, std::string> Context::repositories() const {
  std::map<std::string, std::string> out;
  for (const Node* w : workloads()) {
    const Value* v = w->value("image");
    if (!v || v->kind != ValueKind::Call || v->text != "build" || v->items.empty()) continue;
    // `registry.platc.invalid/<platform>/<dir>:<tag>`: the repository path lies between the
    // registry and the tag; its first segment is the Artifact Registry repository.
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
std::string node_account(const graph::Graph&) {
  return "gke-nodes";
}
std::string eso_account(const graph::Graph&) {
  return "external-secrets";
}
std::string dns_account(const graph::Graph&) {
  return "external-dns";
}

}  // namespace platc::terraform_gcp
