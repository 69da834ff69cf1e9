// Reading the pipeline off the graphs. The graphs hold every default, so a missing value here only
// guards hand-made graphs; check() has refused what the workflows cannot express.
#include "backends/github/model.h"

#include <algorithm>
#include <cctype>

namespace platc::github {

using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

const Node* find_kind(const graph::Graph& g, std::string_view kind) {
  for (const auto& n : g.nodes)
    if (n.kind == kind) return &n;
  return nullptr;
}

std::string word(const Value& v) {
  return v.kind == ValueKind::String ? v.plain() : v.text;
}

void read_trigger(const Value& v, std::vector<Trigger>& out) {
  if (v.kind == ValueKind::List) {
    for (const auto& item : v.items) read_trigger(item, out);
    return;
  }
  if (v.kind == ValueKind::Symbol && v.text == "manual") {
    out.push_back({Trigger::Manual, ""});
    return;
  }
  if (v.kind != ValueKind::Call) return;
  std::string arg = v.items.empty() ? "" : word(v.items[0]);
  if (v.text == "push") out.push_back({Trigger::Push, arg});
  if (v.text == "tag") out.push_back({Trigger::Tag, arg});
  if (v.text == "pull_request") out.push_back({Trigger::PullRequest, arg});
  if (v.text == "schedule") out.push_back({Trigger::Schedule, arg});
  if (v.text == "manual") out.push_back({Trigger::Manual, ""});
}

// `trivy(severity >= high)`: Trivy's severities at or above the threshold.
std::vector<std::string> severities_from(const Value& call) {
  static const std::vector<std::string> order = {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
  std::string threshold = "HIGH", op = ">=";
  for (const auto& a : call.items)
    if (a.kind == ValueKind::Compare && a.items.size() == 2) {
      op = a.text;
      threshold = word(a.items[1]);
      std::transform(threshold.begin(), threshold.end(), threshold.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    }
  auto at = std::find(order.begin(), order.end(), threshold);
  if (at == order.end()) at = order.begin() + 3;
  if (op == ">") ++at;
  if (op == "==") return {*at};
  return {at, order.end()};
}

void read_scan(const Value& v, Pipeline& p) {
  if (v.kind == ValueKind::List) {
    for (const auto& item : v.items) read_scan(item, p);
    return;
  }
  if (v.kind != ValueKind::Call) return;
  if (v.text == "trivy") {
    p.trivy_severities = severities_from(v);
  } else if (v.text == "gitguardian") {
    p.gitguardian = true;
  } else if (v.text == "sonarqube") {
    p.sonarqube = true;
    for (const auto& [key, arg] : v.entries)
      if (key == "quality_gate") p.sonar_quality_gate = arg.b;
  } else {
    p.unsupported_scanners.push_back(v.text);
  }
}

bool http_readiness(const Node& n) {
  const Value* ready = n.value("health.readiness");
  if (!ready || ready->kind != ValueKind::String) return false;
  if (const Value* probe = n.value("health.probe"); probe && probe->kind == ValueKind::Symbol)
    return probe->text == "http";
  const Value* protocol = n.value("protocol");
  return !(protocol && protocol->kind == ValueKind::Symbol && protocol->text == "grpc");
}

void read_environment(Environment& e) {
  if (const graph::Node* env = e.g->environment_node()) {
    if (const Value* a = env->value("approval")) e.approval = a->text == "required";
    if (const Value* r = env->value("reviewers"); r && r->kind == ValueKind::List)
      for (const auto& item : r->items) e.reviewers.push_back(item.plain());
  }
  for (const auto& n : e.g->nodes) {
    if (n.kind == "database") e.databases = true;
    if (n.kind == "cache") {
      e.caches = true;
      const Value* tls = n.value("tls");
      const Value* auth = n.value("auth");
      if ((!tls || tls->b) && (!auth || auth->b)) e.auth_caches.push_back(n.id);
    }
    if (n.kind == "job")
      if (const Value* h = n.value("hook"); h && h->kind == ValueKind::Symbol)
        (h->text == "pre_deploy" ? e.pre_deploy : e.post_deploy).push_back(contract::object_name(n.id));
    // Through the public host, as a user reaches it: the readiness path when the Ingress routes
    // it to the service (it lies below `expose.path`), else the routed path itself.
    if (n.kind == "service" && n.has_block("expose") && http_readiness(n)) {
      const Value* host = n.value("expose.host");
      if (!host || host->kind != ValueKind::String) continue;
      const Value* tls = n.value("expose.tls");
      std::string scheme = (!tls || tls->b) ? "https://" : "http://";
      std::string path = n.value("expose.path") ? n.value("expose.path")->plain() : "/";
      std::string ready = n.value("health.readiness")->plain();
      if (path.empty()) path = "/";
      std::string prefix = path.back() == '/' ? path : path + "/";
      std::string probe = (path == "/" || ready == path || ready.starts_with(prefix)) ? ready : path;
      e.smoke.push_back({contract::object_name(n.id), scheme + host->plain() + probe});
    }
  }
}

}  // namespace

std::optional<Pipeline> read_pipeline(const std::vector<const graph::Graph*>& envs) {
  if (envs.empty()) return std::nullopt;
  const graph::Graph& first = *envs.front();
  const Node* node = find_kind(first, "pipeline");
  if (!node) return std::nullopt;
  Pipeline p;
  p.platform = first.platform;
  p.target = first.target;
  if (const Value* v = node->value("on")) read_trigger(*v, p.triggers);
  if (p.triggers.empty()) p.triggers.push_back({Trigger::Push, "main"});
  if (const Value* v = node->value("scan")) read_scan(*v, p);
  if (const Value* v = node->value("build.platforms"); v && v->kind == ValueKind::List && !v->items.empty()) {
    p.platforms.clear();
    for (const auto& item : v->items) p.platforms.push_back(item.plain());
  }
  if (const Value* v = node->value("build.cache")) p.cache = v->b;
  if (const Value* v = node->value("rollback")) p.rollback = v->b;
  if (const Value* v = node->value("smoke_test")) p.smoke_test = v->b;

  // The chain, in order; each environment read from its own graph.
  std::vector<std::string> chain;
  if (const Value* v = node->value("deploy")) {
    if (v->kind == ValueKind::Chain)
      for (const auto& item : v->items) chain.push_back(item.text);
    else if (v->kind == ValueKind::Ref)
      chain.push_back(v->text);
  }
  for (const auto& name : chain) {
    auto g = std::find_if(envs.begin(), envs.end(), [&](const graph::Graph* x) { return x->environment == name; });
    if (g == envs.end()) {
      p.missing.push_back(name);
      continue;
    }
    p.environments.emplace_back(**g);
    read_environment(p.environments.back());
  }

  // Images: every `build("./dir")` of a workload, one per repository, in graph order.
  contract::Deployment d(first);
  for (const auto& n : first.nodes) {
    if (!n.has_trait("workload")) continue;
    const Value* v = n.value("image");
    if (!v || v->kind != ValueKind::Call || v->text != "build" || v->items.empty()) continue;
    std::string dir = v->items[0].plain();
    std::string repo = d.build_repository(dir, n.id);
    auto it = std::find_if(p.images.begin(), p.images.end(), [&](const Image& i) { return i.repository == repo; });
    if (it == p.images.end()) {
      Image img;
      img.repository = repo;
      img.context = dir;
      while (img.context.starts_with("./")) img.context = img.context.substr(2);
      while (!img.context.empty() && img.context.back() == '/') img.context.pop_back();
      if (img.context.empty()) img.context = ".";
      std::string tail = repo.substr(repo.find('/') + 1);
      for (char c : tail) img.slug += (c == '/' || c == '.' || c == '_') ? '-' : c;
      p.images.push_back(std::move(img));
      it = p.images.end() - 1;
    }
    it->workloads.push_back(contract::object_name(n.id));
  }
  return p;
}

std::vector<std::string> lint_branches(const std::optional<Pipeline>& p) {
  std::vector<std::string> out;
  if (p)
    for (const auto& t : p->triggers)
      if (t.kind == Trigger::Push && std::find(out.begin(), out.end(), t.arg) == out.end()) out.push_back(t.arg);
  if (out.empty()) out.push_back("main");
  return out;
}

}  // namespace platc::github
