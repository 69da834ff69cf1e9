// The plain Kubernetes backend. Reads only the typed graph; builds every object as an ordered
// YAML document (backends/emit/yaml_writer.h), so key order is the order of this code and the
// output is byte-identical for the same graph.
#include "backends/kubernetes/kubernetes.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "backends/emit/yaml_writer.h"
#include "backends/kubernetes/dashboards.h"
#include "compiler/support/k8s_name.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Attr;
using graph::Edge;
using graph::EdgeKind;
using graph::Graph;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

// The registry of `build("./dir")` images: `.invalid` (RFC 2606) can never resolve, so a manifest
// applied before the pipeline set the real registry fails to pull instead of pulling a stranger's
// image. The tag is fixed for the same reason there is no `latest`: see docs/design-notes.md.
constexpr const char* kBuildRegistry = "registry.platc.invalid";
constexpr const char* kDevTag = "0.0.0-dev";
constexpr std::int64_t kRunAsUser = 10001;
constexpr const char* kAnnotationDomain = "platc.dev";
// The copies of the secrets a pre-deploy job reads, and the hook weights: see hook_annotations().
constexpr const char* kHookSuffix = "-hook";
constexpr const char* kHookWeightDependencies = "-10";
constexpr const char* kHookWeightJob = "0";

bool is_workload(const Node& n) {
  return n.kind == "service" || n.kind == "worker" || n.kind == "job";
}

bool valid_label(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-'; });
}

// Label keys and values: [A-Za-z0-9] at both ends, [-A-Za-z0-9_.] inside, at most 63 characters.
std::string sanitize_label(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    out += ok ? c : '-';
  }
  if (out.size() > 63) out.resize(63);
  auto edge = [](char c) { return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')); };
  while (!out.empty() && edge(out.back())) out.pop_back();
  std::size_t k = 0;
  while (k < out.size() && edge(out[k])) ++k;
  return out.substr(k);
}

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

struct Port {
  std::string name;
  std::int64_t number = 0;
};

struct Workload {
  const Node* node = nullptr;
  std::size_t index = 0;
  std::string name;  // Kubernetes name
  std::vector<Port> ports;
  std::string image, version;
};

class Generator {
 public:
  Generator(const Graph& g, const Options& opts) : g_(g), opts_(opts) {}

  Result run() {
    Result r;
    setup();
    if (!errors_.empty()) {
      r.errors = errors_;
      return r;
    }
    std::string dir = "kubernetes/" + env_ + "/";
    std::vector<std::string> resources;
    auto add = [&](const std::string& file, const std::vector<YamlNode>& docs, const std::set<std::string>& sources) {
      if (docs.empty()) return;
      r.files.push_back({dir + file, emit::to_yaml_stream(docs, header(sources)), docs});
      resources.push_back(file);
    };
    add("namespace.yaml", {namespace_doc()}, {source_of(platform_)});
    // Workloads first (they decide which secrets and connections are used), written after.
    std::vector<std::pair<std::string, std::vector<YamlNode>>> workload_files;
    for (const auto& w : workloads_) workload_files.emplace_back(w.name, workload_docs(w));
    auto secrets = secret_docs();
    add("secrets.yaml", secrets.first, secrets.second);
    for (std::size_t k = 0; k < workloads_.size(); ++k)
      add(workload_files[k].first + ".yaml", workload_files[k].second, {source_of(workloads_[k].node)});
    std::set<std::string> wl_sources;
    for (const auto& w : workloads_) wl_sources.insert(source_of(w.node));
    add("network-policies.yaml", network_docs(), wl_sources);
    auto mon = monitoring_docs();
    add("monitoring.yaml", mon.first, mon.second);
    auto dash = dashboard_docs();
    add("dashboards.yaml", dash.first, dash.second);
    YamlNode k = YamlNode::map();
    k.set("apiVersion", "kustomize.config.k8s.io/v1beta1");
    k.set("kind", "Kustomization");
    YamlNode& res = k.set("resources", YamlNode::seq());
    for (const auto& f : resources) res.push(YamlNode::str(f));
    r.files.push_back({dir + "kustomization.yaml", emit::to_yaml_stream({k}, header({source_of(platform_)})), {}});
    if (!errors_.empty()) {
      r.files.clear();
      r.errors = errors_;
    }
    return r;
  }

 private:
  const Graph& g_;
  const Options& opts_;
  mutable std::vector<std::string> errors_;  // const builders report names they cannot write
  const Node* platform_ = nullptr;
  const Node* env_node_ = nullptr;
  std::string platform_name_, env_, target_, ns_, cidr_ = "10.0.0.0/16";
  std::map<std::string, std::string> tags_;       // the platform's, sanitised, plus environment
  std::map<std::string, std::string> k8s_names_;  // id -> Kubernetes name, for workloads and secrets
  std::vector<Workload> workloads_;
  std::map<std::size_t, const Workload*> by_index_;
  // What the workloads read. A pre-deploy job reads its own copies (`<name>-hook`), created as
  // hooks before it: see hook_annotations().
  std::set<std::string> used_secrets_, pre_deploy_secrets_;                     // secret ids
  std::map<std::string, std::set<std::string>> connections_, pre_connections_;  // resource id -> outputs

  // ---- setup -------------------------------------------------------------------------------

  void setup() {
    env_ = g_.environment;
    target_ = g_.target;
    for (const auto& n : g_.nodes) {
      if (n.kind == "platform") platform_ = &n;
      if (n.kind == "environment" && n.name == env_) env_node_ = &n;
    }
    platform_name_ = platform_ ? platform_->name : g_.platform;
    ns_ = k8s_name(platform_name_ + "-" + env_);
    if (ns_.empty())
      errors_.push_back(fmt::format("`{}-{}` cannot be a Kubernetes namespace name", platform_name_, env_));
    if (!valid_label(k8s_name(env_), 63))
      errors_.push_back(fmt::format("environment `{}` cannot be part of a Kubernetes name", env_));
    if (platform_) {
      if (const Value* v = platform_->value("network.cidr"); v && v->kind == ValueKind::String) cidr_ = v->plain();
      add_tags(tags_, *platform_);
    }
    tags_["environment"] = sanitize_label(env_);
    std::map<std::string, std::string> seen;  // Kubernetes name -> id, to catch `a_b` vs `a-b`
    for (std::size_t k = 0; k < g_.nodes.size(); ++k) {
      const Node& n = g_.nodes[k];
      if (!is_workload(n) && n.kind != "secret") continue;
      std::string name = k8s_name(n.id);
      if (name.empty() || name.size() > 52) {  // 52: CronJob names leave room for the Job suffix
        errors_.push_back(
            fmt::format("{} `{}` cannot become a Kubernetes name (lower-case letters, digits and "
                        "hyphens, at most 52 characters)",
                        n.kind, n.id));
        continue;
      }
      std::string key = (n.kind == "secret" ? "secret/" : "workload/") + name;
      if (auto [it, fresh] = seen.emplace(key, n.id); !fresh) {
        errors_.push_back(fmt::format("`{}` and `{}` both become the Kubernetes name `{}`", it->second, n.id, name));
        continue;
      }
      k8s_names_[n.id] = name;
      if (is_workload(n)) {
        Workload w;
        w.node = &n;
        w.index = k;
        w.name = name;
        w.ports = ports_of(n);
        image_of(n, w.image, w.version);
        workloads_.push_back(std::move(w));
      }
    }
    for (const auto& w : workloads_) by_index_[w.index] = &w;
  }

  void add_tags(std::map<std::string, std::string>& out, const Node& n) const {
    const Value* v = n.value("tags");
    if (!v || v->kind != ValueKind::Map) return;
    for (const auto& [k, val] : v->entries) {
      std::string key = sanitize_label(k);
      if (key.empty() || key.starts_with("app.kubernetes.io")) continue;
      out[key] = sanitize_label(val.kind == ValueKind::String ? val.plain() : number_text(val));
    }
  }

  std::vector<Port> ports_of(const Node& n) {
    std::vector<Port> out;
    if (const Value* p = n.value("port"); p && p->kind == ValueKind::Int) out.push_back({"http", p->i});
    if (const Value* m = n.value("ports"); m && m->kind == ValueKind::Map)
      for (const auto& [name, v] : m->entries) {
        bool letter = std::any_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; });
        if (!valid_label(name, 15) || !letter || name.find("--") != std::string::npos) {
          errors_.push_back(
              fmt::format("port name `{}` of {} `{}` is not a Kubernetes port name (at most 15 "
                          "lower-case letters, digits and single hyphens)",
                          name, n.kind, n.id));
          continue;
        }
        if (v.kind == ValueKind::Int) out.push_back({name, v.i});
      }
    return out;
  }

  void image_of(const Node& n, std::string& ref, std::string& version) {
    const Value* v = n.value("image");
    if (!v) return;
    if (v->kind == ValueKind::Call && v->text == "build" && !v->items.empty()) {
      std::string path = v->items[0].plain();
      while (path.starts_with("./")) path = path.substr(2);
      while (!path.empty() && path.back() == '/') path.pop_back();
      std::string repo;
      for (char c : path) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
        repo += ok ? c : '-';
      }
      if (repo.empty() || repo.find("..") != std::string::npos || repo.front() == '/' || repo.front() == '.')
        repo = k8s_name(n.id);
      ref = fmt::format("{}/{}/{}:{}", kBuildRegistry, k8s_name(platform_name_), repo, kDevTag);
      version = kDevTag;
      return;
    }
    ref = v->kind == ValueKind::String ? v->plain() : v->display();
    std::string name = ref.substr(0, ref.find('@'));
    std::size_t slash = name.rfind('/'), colon = name.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
      version = sanitize_label(name.substr(colon + 1));
  }

  // ---- names, labels, strings ---------------------------------------------------------------

  std::string source_of(const Node* n) const {
    if (!n || !opts_.source_name) return "";
    return opts_.source_name(n->where);
  }

  static std::string header(const std::set<std::string>& sources) {
    return emit::generated_header({sources.begin(), sources.end()});
  }

  // `${x.name}` of a workload or a secret is its Kubernetes name; of anything else the block's name.
  std::string name_output(const std::string& id) const {
    auto it = k8s_names_.find(id);
    return it == k8s_names_.end() ? id : it->second;
  }

  std::string env_output(const std::string& output) const {
    if (output == "name") return env_;
    if (env_node_)
      if (const Value* v = env_node_->value(output); v && v->kind == ValueKind::String) return v->plain();
    return "";
  }

  std::string plain_of(const Node& n, std::string_view path) const {
    const Attr* a = n.attr(path);
    if (!a) return "";
    if (a->value.kind != ValueKind::String) return number_text(a->value);
    std::string out;
    // Sema substituted what is known at compile time (`${env.domain}`, `${x.name}` as the
    // Kubernetes name); what is left are deploy-time outputs.
    for (const auto& p : a->value.pieces)
      out += p.ref_resource.empty() ? p.text : fmt::format("${{{}.{}}}", p.ref_resource, p.ref_output);
    return out;
  }

  YamlNode common_labels() const {
    YamlNode l = YamlNode::map();
    l.set("app.kubernetes.io/instance", ns_);
    l.set("app.kubernetes.io/part-of", k8s_name(platform_name_));
    l.set("app.kubernetes.io/managed-by", "platc");
    for (const auto& [k, v] : tags_) l.set(k, v);
    return l;
  }

  YamlNode selector_labels(const std::string& name) const {
    YamlNode l = YamlNode::map();
    l.set("app.kubernetes.io/name", name);
    l.set("app.kubernetes.io/instance", ns_);
    return l;
  }

  YamlNode labels(const Node& n, const std::string& name, const std::string& version) const {
    YamlNode l = YamlNode::map();
    l.set("app.kubernetes.io/name", name);
    l.set("app.kubernetes.io/instance", ns_);
    if (!version.empty()) l.set("app.kubernetes.io/version", version);
    l.set("app.kubernetes.io/component", n.kind);
    l.set("app.kubernetes.io/part-of", k8s_name(platform_name_));
    l.set("app.kubernetes.io/managed-by", "platc");
    std::map<std::string, std::string> tags = tags_;
    add_tags(tags, n);
    tags["environment"] = sanitize_label(env_);
    for (const auto& [k, v] : tags) l.set(k, v);
    return l;
  }

  YamlNode object(const char* api, const char* kind, const std::string& name, YamlNode labels_node) const {
    YamlNode o = YamlNode::map();
    o.set("apiVersion", api);
    o.set("kind", kind);
    YamlNode& m = o.child("metadata");
    m.set("name", name);
    m.set("namespace", ns_);
    m.set("labels", std::move(labels_node));
    return o;
  }

  // ---- namespace ----------------------------------------------------------------------------

  YamlNode namespace_doc() const {
    YamlNode o = YamlNode::map();
    o.set("apiVersion", "v1");
    o.set("kind", "Namespace");
    YamlNode& m = o.child("metadata");
    m.set("name", ns_);
    YamlNode l = common_labels();
    // The restricted Pod Security Standard, enforced by the API server for every pod.
    l.set("pod-security.kubernetes.io/enforce", "restricted");
    l.set("pod-security.kubernetes.io/audit", "restricted");
    l.set("pod-security.kubernetes.io/warn", "restricted");
    l.set(std::string(kAnnotationDomain) + "/pre-deploy", "true");
    m.set("labels", std::move(l));
    return o;
  }

  // ---- workloads ----------------------------------------------------------------------------

  bool is_pre_deploy(const Node& n) const {
    const Value* h = n.value("hook");
    return n.kind == "job" && h && h->kind == ValueKind::Symbol && h->text == "pre_deploy";
  }

  // The store entry Terraform writes for a resource's deploy-time outputs (a JSON object with one
  // property per output). Letters, digits and hyphens only: the same name is valid in Secrets
  // Manager, Secret Manager and Key Vault.
  std::string connection_key(const std::string& id) const {
    return k8s_name(platform_name_) + "-" + k8s_name(env_) + "-" + k8s_name(id) + "-connection";
  }

  std::string connection_secret(const std::string& id) const { return k8s_name(id) + "-connection"; }

  struct EnvPlan {
    std::vector<std::pair<std::string, std::string>> config;  // name -> value, into the ConfigMap
    std::vector<YamlNode> env;                                // the container's env, in order
  };

  YamlNode secret_ref(const std::string& env_name, const std::string& secret, const std::string& key) const {
    YamlNode e = YamlNode::map();
    e.set("name", env_name);
    YamlNode& r = e.child("valueFrom").child("secretKeyRef");
    r.set("name", secret);
    r.set("key", key);
    return e;
  }

  // A deploy-time output: read from the resource's connection secret.
  YamlNode connection_ref(const Workload& w, const std::string& env_name, const std::string& id,
                          const std::string& output) {
    bool pre = is_pre_deploy(*w.node);
    (pre ? pre_connections_ : connections_)[id].insert(output);
    return secret_ref(env_name, connection_secret(id) + (pre ? kHookSuffix : ""), output);
  }

  std::string service_output(const Node& svc, const std::string& output) const {
    std::string name = name_output(svc.id);
    std::string host = fmt::format("{}.{}.svc.cluster.local", name, ns_);
    std::int64_t port = 0;
    if (auto it = by_index_.find(g_.index_of(svc)); it != by_index_.end() && !it->second->ports.empty())
      port = it->second->ports.front().number;
    if (output == "host") return host;
    if (output == "port") return std::to_string(port);
    if (output == "url") return fmt::format("http://{}:{}", host, port);
    return name;
  }

  // What an output is at compile time, if it is known then.
  std::optional<std::string> known_output(const std::string& id, const std::string& output) const {
    const Node* t = g_.find(id);
    if (!t) return std::nullopt;
    if (output == "name") return name_output(id);
    if (t->kind == "service") return service_output(*t, output);
    if (t->kind == "environment") return env_output(output);
    return std::nullopt;
  }

  static std::string env_helper(const std::string& id, const std::string& output) {
    std::string out = "PLATC_";
    for (char c : id + "_" + output)
      out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c == '-' ? '_' : c;
    return out;
  }

  EnvPlan env_plan(const Workload& w) {
    EnvPlan plan;
    const Node& n = *w.node;
    std::map<std::string, YamlNode> vars;  // name -> env entry, sorted by name
    std::map<std::string, YamlNode> helpers;
    auto config = [&](const std::string& name, const std::string& value) {
      plan.config.emplace_back(name, value);
      YamlNode e = YamlNode::map();
      e.set("name", name);
      YamlNode& r = e.child("valueFrom").child("configMapKeyRef");
      r.set("name", w.name + "-env");
      r.set("key", name);
      vars[name] = std::move(e);
    };
    // What publishes/consumes set, unless `env` sets the same name.
    std::vector<std::pair<std::string, const Node*>> streams;
    for (const char* attr : {"publishes", "consumes"})
      if (const Value* l = n.value(attr); l && l->kind == ValueKind::List)
        for (const auto& item : l->items)
          if (item.kind == ValueKind::Ref)
            if (const Node* t = g_.find(item.text)) streams.emplace_back(attr, t);
    std::string first_topic;
    for (const auto& [attr, t] : streams) {
      std::string upper;
      for (char c : t->id) upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c == '-' ? '_' : c;
      if (t->kind == "topic") {
        config("KAFKA_TOPIC_" + upper, t->id);
        if (first_topic.empty() || t->id < first_topic) first_topic = t->id;
      } else if (t->kind == "queue") {
        vars["QUEUE_" + upper + "_URL"] = connection_ref(w, "QUEUE_" + upper + "_URL", t->id, "url");
      }
    }
    if (!first_topic.empty()) {
      vars["KAFKA_BOOTSTRAP_SERVERS"] = connection_ref(w, "KAFKA_BOOTSTRAP_SERVERS", first_topic, "brokers");
      bool consumes_topic = std::any_of(streams.begin(), streams.end(), [](const auto& s) {
        return std::string_view(s.first) == "consumes" && s.second->kind == "topic";
      });
      if (consumes_topic) {
        const Value* cg = n.value("consumer_group");
        config("KAFKA_CONSUMER_GROUP", cg ? plain_of(n, "consumer_group") : w.name);
      }
    }
    for (const auto& [name, attr] : n.entries("env")) {
      const Value& v = attr->value;
      // Drop an automatic value of the same name: `env` wins.
      plan.config.erase(
          std::remove_if(plan.config.begin(), plan.config.end(), [&](const auto& c) { return c.first == name; }),
          plan.config.end());
      if (v.kind == ValueKind::Ref) {
        const Node* t = g_.find(v.text);
        if (t && t->kind == "secret" && v.text2.empty()) {
          bool pre = is_pre_deploy(n);
          (pre ? pre_deploy_secrets_ : used_secrets_).insert(t->id);
          vars[name] = secret_ref(name, name_output(t->id) + (pre ? kHookSuffix : ""), "value");
        } else if (auto known = known_output(v.text, v.text2)) {
          config(name, *known);
        } else {
          vars[name] = connection_ref(w, name, v.text, v.text2.empty() ? "url" : v.text2);
        }
        continue;
      }
      if (v.kind != ValueKind::String) {
        config(name, number_text(v));
        continue;
      }
      const auto& pieces = attr->value.pieces;
      bool runtime = false;
      std::string value;
      for (const auto& p : pieces) {
        if (p.ref_resource.empty()) {
          value += p.text;
          continue;
        }
        if (auto known = known_output(p.ref_resource, p.ref_output)) {
          value += *known;
          continue;
        }
        runtime = true;
      }
      if (!runtime) {
        config(name, value);
        continue;
      }
      // A string with deploy-time parts: helper variables from the connection secrets, joined
      // with Kubernetes' `$(VAR)` expansion; a literal `$(` is escaped as `$$(`.
      std::string composed;
      for (const auto& p : pieces) {
        std::optional<std::string> known;
        if (!p.ref_resource.empty()) known = known_output(p.ref_resource, p.ref_output);
        if (p.ref_resource.empty() || known) {
          std::string text = p.ref_resource.empty() ? p.text : *known;
          for (std::size_t k = 0; k < text.size(); ++k) {
            if (text[k] == '$' && k + 1 < text.size() && text[k + 1] == '(') composed += '$';
            composed += text[k];
          }
          continue;
        }
        std::string helper = env_helper(p.ref_resource, p.ref_output);
        helpers[helper] = connection_ref(w, helper, p.ref_resource, p.ref_output);
        composed += "$(" + helper + ")";
      }
      YamlNode e = YamlNode::map();
      e.set("name", name);
      e.set("value", composed);
      vars[name] = std::move(e);
    }
    std::sort(plan.config.begin(), plan.config.end());
    // `$(VAR)` only expands variables defined earlier in the list: every PLATC_ name (the
    // helpers are all PLATC_) comes first, then the rest, each part sorted by name. A rule this
    // simple is one the Helm chart's template can follow too.
    for (auto& [name, e] : helpers) vars[name] = std::move(e);
    for (bool first : {true, false})
      for (auto& [name, e] : vars)
        if (name.starts_with("PLATC_") == first) plan.env.push_back(std::move(e));
    return plan;
  }

  std::string port_name_for(const Workload& w, const Value* port) const {
    if (!port || port->kind != ValueKind::Int) return w.ports.empty() ? "" : w.ports.front().name;
    for (const auto& p : w.ports)
      if (p.number == port->i) return p.name;
    return "";
  }

  YamlNode probe(const Workload& w, const std::string& path) const {
    const Node& n = *w.node;
    YamlNode p = YamlNode::map();
    YamlNode& get = p.child("httpGet");
    get.set("path", path);
    const Value* hp = n.value("health.port");
    std::string name = port_name_for(w, hp);
    if (!name.empty())
      get.set("port", name);
    else if (hp && hp->kind == ValueKind::Int)
      get.set("port", YamlNode::integer(hp->i));
    auto dur = [&](const char* attr) { return n.value(attr) ? n.value(attr)->i : 0; };
    if (dur("health.initial_delay") > 0) p.set("initialDelaySeconds", YamlNode::integer(dur("health.initial_delay")));
    p.set("periodSeconds", YamlNode::integer(dur("health.period")));
    p.set("timeoutSeconds", YamlNode::integer(dur("health.timeout")));
    p.set("failureThreshold", YamlNode::integer(dur("health.failure_threshold")));
    return p;
  }

  bool probe_possible(const Workload& w) const {
    const Value* hp = w.node->value("health.port");
    return !w.ports.empty() || (hp && hp->kind == ValueKind::Int);
  }

  std::vector<Port> container_ports(const Workload& w) const {
    std::vector<Port> ports = w.ports;
    if (const Value* mp = w.node->value("metrics.port");
        mp && mp->kind == ValueKind::Int && port_name_for(w, mp).empty())
      ports.push_back({"metrics", mp->i});
    return ports;
  }

  YamlNode pod_template(const Workload& w, const EnvPlan& plan, bool job) const {
    const Node& n = *w.node;
    YamlNode t = YamlNode::map();
    YamlNode& meta = t.child("metadata");
    YamlNode l = labels(n, w.name, w.version);
    if (target_ == "azure") l.set("azure.workload.identity/use", "true");
    meta.set("labels", std::move(l));
    YamlNode& spec = t.child("spec");
    spec.set("serviceAccountName", w.name);
    if (job) spec.set("restartPolicy", "Never");
    spec.set("securityContext", pod_security_context());
    YamlNode& containers = spec.set("containers", YamlNode::seq());
    YamlNode& c = containers.push(YamlNode::map());
    c.set("name", w.name);
    c.set("image", w.image);
    c.set("imagePullPolicy", "IfNotPresent");
    for (const char* attr : {"command", "args"})
      if (const Value* v = n.value(attr); v && v->kind == ValueKind::List) {
        YamlNode& s = c.set(attr, YamlNode::seq());
        for (const auto& item : v->items)
          s.push(YamlNode::str(item.kind == ValueKind::String ? item.plain() : number_text(item)));
      }
    if (!job) {
      auto ports = container_ports(w);
      if (!ports.empty()) {
        YamlNode& ps = c.set("ports", YamlNode::seq());
        for (const auto& p : ports) {
          YamlNode& e = ps.push(YamlNode::map());
          e.set("name", p.name);
          e.set("containerPort", YamlNode::integer(p.number));
          e.set("protocol", "TCP");
        }
      }
    }
    if (!plan.env.empty()) {
      YamlNode& env = c.set("env", YamlNode::seq());
      for (const auto& e : plan.env) env.push(e);
    }
    YamlNode res = YamlNode::map();
    auto range = [&](const char* attr, const char* key, auto fmt_fn) {
      const Value* v = n.value(attr);
      if (!v) return;
      const Value& lo = v->kind == ValueKind::Range && v->items.size() == 2 ? v->items[0] : *v;
      const Value& hi = v->kind == ValueKind::Range && v->items.size() == 2 ? v->items[1] : *v;
      res.child("requests").set(key, fmt_fn(lo.i));
      res.child("limits").set(key, fmt_fn(hi.i));
    };
    range("resources.cpu", "cpu", graph::format_millicores);
    range("resources.memory", "memory", graph::format_bytes);
    if (!res.empty()) {
      // requests before limits, whatever order the attributes came in
      YamlNode ordered = YamlNode::map();
      if (const YamlNode* r = res.find("requests")) ordered.set("requests", *r);
      if (const YamlNode* r = res.find("limits")) ordered.set("limits", *r);
      c.set("resources", std::move(ordered));
    }
    if (!job && probe_possible(w)) {
      if (n.value("health.startup")) c.set("startupProbe", probe(w, plain_of(n, "health.startup")));
      if (n.value("health.liveness")) c.set("livenessProbe", probe(w, plain_of(n, "health.liveness")));
      if (n.value("health.readiness")) c.set("readinessProbe", probe(w, plain_of(n, "health.readiness")));
    }
    c.set("securityContext", container_security_context());
    YamlNode& mounts = c.set("volumeMounts", YamlNode::seq());
    YamlNode& m = mounts.push(YamlNode::map());
    m.set("name", "tmp");
    m.set("mountPath", "/tmp");
    YamlNode& vols = spec.set("volumes", YamlNode::seq());
    YamlNode& v = vols.push(YamlNode::map());
    v.set("name", "tmp");
    v.set("emptyDir", YamlNode::map());
    return t;
  }

  YamlNode service_account(const Workload& w, const YamlNode& l) const {
    YamlNode o = object("v1", "ServiceAccount", w.name, l);
    std::string identity = k8s_name(platform_name_) + "-" + k8s_name(env_) + "-" + w.name;
    YamlNode& meta = o.child("metadata");
    if (target_ == "aws") {
      meta.child("annotations").set("eks.amazonaws.com/role-arn", "arn:aws:iam::000000000000:role/" + identity);
    } else if (target_ == "gcp") {
      meta.child("annotations")
          .set("iam.gke.io/gcp-service-account",
               fmt::format("{}@{}-{}.iam.gserviceaccount.com", w.name, k8s_name(platform_name_), k8s_name(env_)));
    } else if (target_ == "azure") {
      meta.child("labels").set("azure.workload.identity/use", "true");
      meta.child("annotations").set("azure.workload.identity/client-id", "00000000-0000-0000-0000-000000000000");
    }
    o.set("automountServiceAccountToken", YamlNode::boolean(false));
    return o;
  }

  std::int64_t min_replicas(const Node& n) const {
    if (n.has_block("autoscale"))
      if (const Value* v = n.value("autoscale.min")) return v->i;
    const Value* r = n.value("replicas");
    return r ? r->i : 1;
  }

  YamlNode int_or_percent(const Value* v, const char* fallback) const {
    if (!v) return YamlNode::str(fallback);
    if (v->kind == ValueKind::Int) return YamlNode::integer(v->i);
    return YamlNode::str(std::to_string(percent_int(*v)) + "%");
  }

  void strategy(const Workload& w, YamlNode& spec) const {
    const Node& n = *w.node;
    const Value* r = n.value("rollout");
    std::string rollout = r ? r->text : "rolling";
    YamlNode& s = spec.child("strategy");
    if (rollout == "recreate") {
      s.set("type", "Recreate");
      return;
    }
    s.set("type", "RollingUpdate");
    YamlNode& ru = s.child("rollingUpdate");
    if (rollout == "blue-green") {
      // A complete second set of pods before any old one goes: the closest a Deployment gets.
      ru.set("maxSurge", "100%");
      ru.set("maxUnavailable", YamlNode::integer(0));
    } else if (rollout == "canary") {
      const Value* steps = n.value("canary.steps");
      std::string first = "10%";
      if (steps && steps->kind == ValueKind::List && !steps->items.empty())
        first = std::to_string(percent_int(steps->items.front())) + "%";
      ru.set("maxSurge", first);
      ru.set("maxUnavailable", YamlNode::integer(0));
    } else {
      ru.set("maxSurge", int_or_percent(n.value("max_surge"), "25%"));
      ru.set("maxUnavailable", int_or_percent(n.value("max_unavailable"), "25%"));
    }
  }

  YamlNode rollout_annotations(const Node& n) const {
    YamlNode a = YamlNode::map();
    const Value* r = n.value("rollout");
    if (!r || (r->text != "blue-green" && r->text != "canary")) return a;
    std::string d = kAnnotationDomain;
    a.set(d + "/rollout", r->text);
    if (r->text == "canary") {
      std::string steps;
      if (const Value* s = n.value("canary.steps"); s && s->kind == ValueKind::List)
        for (const auto& item : s->items) steps += (steps.empty() ? "" : ",") + std::to_string(percent_int(item)) + "%";
      a.set(d + "/canary-steps", steps);
      if (const Value* p = n.value("canary.pause")) a.set(d + "/canary-pause", graph::format_seconds(p->i));
    }
    return a;
  }

  std::vector<YamlNode> workload_docs(const Workload& w) {
    const Node& n = *w.node;
    std::vector<YamlNode> docs;
    YamlNode l = labels(n, w.name, w.version);
    bool pre = is_pre_deploy(n);
    YamlNode hook_l = l;
    if (pre) hook_l.set(std::string(kAnnotationDomain) + "/pre-deploy", "true");
    docs.push_back(service_account(w, hook_l));
    if (pre) hook_annotations(docs.back(), kHookWeightDependencies);
    EnvPlan plan = env_plan(w);
    if (!plan.config.empty()) {
      YamlNode cm = object("v1", "ConfigMap", w.name + "-env", hook_l);
      if (pre) hook_annotations(cm, kHookWeightDependencies);
      YamlNode& data = cm.child("data");
      for (const auto& [k, v] : plan.config) data.set(k, v);
      docs.push_back(std::move(cm));
    }
    if (n.kind == "job") {
      docs.push_back(job_doc(w, plan, hook_l));
      return docs;
    }
    YamlNode d = object("apps/v1", "Deployment", w.name, l);
    if (YamlNode a = rollout_annotations(n); !a.empty()) d.child("metadata").set("annotations", std::move(a));
    YamlNode& spec = d.child("spec");
    bool autoscale = n.has_block("autoscale");
    if (!autoscale) spec.set("replicas", YamlNode::integer(n.value("replicas") ? n.value("replicas")->i : 1));
    spec.child("selector").set("matchLabels", selector_labels(w.name));
    strategy(w, spec);
    spec.set("template", pod_template(w, plan, false));
    docs.push_back(std::move(d));
    if (n.kind == "service" && !w.ports.empty()) docs.push_back(service_doc(w, l));
    if (n.kind == "service" && n.has_block("expose")) docs.push_back(ingress_doc(w, l));
    if (autoscale) docs.push_back(hpa_doc(w, l));
    if (min_replicas(n) > 1) {
      YamlNode pdb = object("policy/v1", "PodDisruptionBudget", w.name, l);
      YamlNode& ps = pdb.child("spec");
      ps.set("maxUnavailable", YamlNode::integer(1));
      ps.child("selector").set("matchLabels", selector_labels(w.name));
      docs.push_back(std::move(pdb));
    }
    return docs;
  }

  YamlNode job_doc(const Workload& w, const EnvPlan& plan, const YamlNode& l) const {
    const Node& n = *w.node;
    auto num = [&](const char* attr, std::int64_t dflt) { return n.value(attr) ? n.value(attr)->i : dflt; };
    YamlNode job_spec = YamlNode::map();
    job_spec.set("backoffLimit", YamlNode::integer(num("retries", 0)));
    job_spec.set("activeDeadlineSeconds", YamlNode::integer(num("timeout", 3600)));
    job_spec.set("template", pod_template(w, plan, true));
    const Value* hook = n.value("hook");
    if (hook && hook->kind == ValueKind::Symbol) {
      YamlNode j = object("batch/v1", "Job", w.name, l);
      bool pre = hook->text == "pre_deploy";
      std::string d = kAnnotationDomain;
      j.child("metadata").child("labels").set(d + "/hook", pre ? "pre-deploy" : "post-deploy");
      j.child("metadata").child("annotations").set(d + "/hook", pre ? "pre-deploy" : "post-deploy");
      hook_annotations(j, kHookWeightJob, pre);
      j.set("spec", std::move(job_spec));
      return j;
    }
    YamlNode cj = object("batch/v1", "CronJob", w.name, l);
    YamlNode& spec = cj.child("spec");
    spec.set("schedule", plain_of(n, "schedule"));
    spec.set("timeZone", n.value("timezone") ? plain_of(n, "timezone") : "Etc/UTC");
    std::string conc = n.value("concurrency") ? n.value("concurrency")->text : "forbid";
    spec.set("concurrencyPolicy", conc == "allow" ? "Allow" : conc == "replace" ? "Replace" : "Forbid");
    YamlNode& jt = spec.child("jobTemplate");
    jt.child("metadata").set("labels", labels(n, w.name, w.version));
    jt.set("spec", std::move(job_spec));
    return cj;
  }

  YamlNode service_doc(const Workload& w, const YamlNode& l) const {
    YamlNode s = object("v1", "Service", w.name, l);
    YamlNode& spec = s.child("spec");
    spec.set("type", "ClusterIP");
    spec.set("selector", selector_labels(w.name));
    YamlNode& ports = spec.set("ports", YamlNode::seq());
    for (const auto& p : container_ports(w)) {
      YamlNode& e = ports.push(YamlNode::map());
      e.set("name", p.name);
      e.set("port", YamlNode::integer(p.number));
      e.set("targetPort", p.name);
      e.set("protocol", "TCP");
    }
    return s;
  }

  std::string ingress_port(const Workload& w) const {
    std::string name = port_name_for(w, w.node->value("expose.port"));
    return name.empty() && !w.ports.empty() ? w.ports.front().name : name;
  }

  std::int64_t ingress_port_number(const Workload& w) const {
    std::string name = ingress_port(w);
    for (const auto& p : w.ports)
      if (p.name == name) return p.number;
    return 0;
  }

  YamlNode ingress_doc(const Workload& w, const YamlNode& l) const {
    const Node& n = *w.node;
    std::string host = plain_of(n, "expose.host");
    std::string path = n.value("expose.path") ? plain_of(n, "expose.path") : "/";
    bool tls = !n.value("expose.tls") || n.value("expose.tls")->b;
    std::string cert = k8s_name(platform_name_) + "-" + k8s_name(env_) + "-" + w.name;
    YamlNode o = object("networking.k8s.io/v1", "Ingress", w.name, l);
    YamlNode a = YamlNode::map();
    std::string cls;
    std::string readiness = n.value("health.readiness") ? plain_of(n, "health.readiness") : "";
    if (target_ == "aws") {
      cls = "alb";
      a.set("alb.ingress.kubernetes.io/scheme", "internet-facing");
      a.set("alb.ingress.kubernetes.io/target-type", "ip");
      a.set("alb.ingress.kubernetes.io/group.name", ns_);
      a.set("alb.ingress.kubernetes.io/listen-ports", tls ? R"([{"HTTP":80},{"HTTPS":443}])" : R"([{"HTTP":80}])");
      if (tls) a.set("alb.ingress.kubernetes.io/ssl-redirect", "443");
      if (!readiness.empty()) a.set("alb.ingress.kubernetes.io/healthcheck-path", readiness);
    } else if (target_ == "gcp") {
      cls = "gce";
      if (tls) {
        a.set("ingress.gcp.kubernetes.io/pre-shared-cert", cert);
        a.set("kubernetes.io/ingress.allow-http", "false");
      }
    } else if (target_ == "azure") {
      cls = "azure-application-gateway";
      if (tls) {
        a.set("appgw.ingress.kubernetes.io/appgw-ssl-certificate", cert);
        a.set("appgw.ingress.kubernetes.io/ssl-redirect", "true");
      }
      if (!readiness.empty()) a.set("appgw.ingress.kubernetes.io/health-probe-path", readiness);
    }
    // A class of the user's own: its controller's annotations are theirs to set.
    if (n.value("expose.class")) {
      cls = plain_of(n, "expose.class");
      a = YamlNode::map();
    }
    for (const auto& [key, v] : user_annotations(n, "expose.annotations")) a.set(key, v);
    if (!a.empty()) o.child("metadata").set("annotations", std::move(a));
    YamlNode& spec = o.child("spec");
    if (!cls.empty()) spec.set("ingressClassName", cls);
    if (tls) {
      YamlNode& t = spec.set("tls", YamlNode::seq()).push(YamlNode::map());
      t.set("hosts", YamlNode::seq()).push(YamlNode::str(host));
    }
    YamlNode& rule = spec.set("rules", YamlNode::seq()).push(YamlNode::map());
    rule.set("host", host);
    YamlNode& p = rule.child("http").set("paths", YamlNode::seq()).push(YamlNode::map());
    p.set("path", path);
    p.set("pathType", "Prefix");
    YamlNode& svc = p.child("backend").child("service");
    svc.set("name", w.name);
    svc.child("port").set("name", ingress_port(w));
    return o;
  }

  // The entries of a block (`expose.annotations`), sorted by key. Sema checked the keys.
  std::vector<std::pair<std::string, std::string>> user_annotations(const Node& n, std::string_view path) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, a] : n.entries(path))
      out.emplace_back(key, a->value.kind == ValueKind::String ? a->value.plain() : number_text(a->value));
    std::sort(out.begin(), out.end());
    return out;
  }

  YamlNode hpa_doc(const Workload& w, const YamlNode& l) const {
    const Node& n = *w.node;
    YamlNode o = object("autoscaling/v2", "HorizontalPodAutoscaler", w.name, l);
    YamlNode& spec = o.child("spec");
    YamlNode& ref = spec.child("scaleTargetRef");
    ref.set("apiVersion", "apps/v1");
    ref.set("kind", "Deployment");
    ref.set("name", w.name);
    spec.set("minReplicas", YamlNode::integer(n.value("autoscale.min") ? n.value("autoscale.min")->i : 1));
    spec.set("maxReplicas", YamlNode::integer(n.value("autoscale.max") ? n.value("autoscale.max")->i : 1));
    YamlNode& metrics = spec.set("metrics", YamlNode::seq());
    for (const char* res : {"cpu", "memory"}) {
      const Value* v = n.value(std::string("autoscale.") + res);
      if (!v) continue;
      YamlNode& m = metrics.push(YamlNode::map());
      m.set("type", "Resource");
      YamlNode& r = m.child("resource");
      r.set("name", res);
      r.child("target").set("type", "Utilization");
      r.child("target").set("averageUtilization", YamlNode::integer(percent_int(*v)));
    }
    return o;
  }

  // ---- secrets ------------------------------------------------------------------------------

  std::pair<std::vector<YamlNode>, std::set<std::string>> secret_docs() const {
    std::vector<YamlNode> docs;
    std::set<std::string> sources;
    std::string pre_label = std::string(kAnnotationDomain) + "/pre-deploy";
    // The regular ExternalSecrets, then the pre-deploy jobs' own copies.
    for (bool pre : {false, true}) {
      const auto& secrets = pre ? pre_deploy_secrets_ : used_secrets_;
      for (const auto& n : g_.nodes) {
        if (n.kind != "secret" || !secrets.count(n.id)) continue;
        sources.insert(source_of(&n));
        std::string name = name_output(n.id) + (pre ? kHookSuffix : "");
        YamlNode l = labels(n, name, "");
        if (pre) l.set(pre_label, "true");
        YamlNode o = external_secret(name, l);
        if (pre) hook_annotations(o, kHookWeightDependencies);
        YamlNode& d = o.child("spec").set("data", YamlNode::seq()).push(YamlNode::map());
        d.set("secretKey", "value");
        YamlNode& rr = d.child("remoteRef");
        rr.set("key", plain_of(n, "store"));
        if (n.value("key")) rr.set("property", plain_of(n, "key"));
        docs.push_back(std::move(o));
      }
      const auto& connections = pre ? pre_connections_ : connections_;
      for (const auto& n : g_.nodes) {
        auto it = connections.find(n.id);
        if (it == connections.end()) continue;
        sources.insert(source_of(&n));
        std::string name = connection_secret(n.id) + (pre ? kHookSuffix : "");
        if (!is_dns_label(name)) {
          errors_.push_back(
              fmt::format("{} `{}`: its connection secret `{}` is longer than 63 characters", n.kind, n.id, name));
          continue;
        }
        YamlNode l = labels(n, name, "");
        l.set("app.kubernetes.io/component", "connection");
        if (pre) l.set(pre_label, "true");
        YamlNode o = external_secret(name, l);
        if (pre) hook_annotations(o, kHookWeightDependencies);
        YamlNode& data = o.child("spec").set("data", YamlNode::seq());
        for (const auto& output : it->second) {
          YamlNode& d = data.push(YamlNode::map());
          d.set("secretKey", output);
          YamlNode& rr = d.child("remoteRef");
          rr.set("key", connection_key(n.id));
          rr.set("property", output);
        }
        docs.push_back(std::move(o));
      }
    }
    return {std::move(docs), std::move(sources)};
  }

  // A pre-deploy job and what it needs are hooks that run before every install and upgrade, in
  // Helm (pre-install,pre-upgrade) and Argo CD (PreSync) alike: its ServiceAccount, ConfigMap and
  // copies of the secrets it reads first (weight -10), then the Job (weight 0). Each is replaced
  // on the next deploy (before-hook-creation), and the copies keep the regular objects out of the
  // hooks' lifecycle. With plain kubectl, the pipeline applies `-l platc.dev/pre-deploy=true` first.
  static void hook_annotations(YamlNode& o, const char* weight, bool pre = true) {
    YamlNode& a = o.child("metadata").child("annotations");
    a.set("helm.sh/hook", pre ? "pre-install,pre-upgrade" : "post-install,post-upgrade");
    a.set("helm.sh/hook-weight", weight);
    a.set("helm.sh/hook-delete-policy", "before-hook-creation");
    a.set("argocd.argoproj.io/hook", pre ? "PreSync" : "PostSync");
    a.set("argocd.argoproj.io/sync-wave", weight);
    a.set("argocd.argoproj.io/hook-delete-policy", "BeforeHookCreation");
  }

  YamlNode external_secret(const std::string& name, const YamlNode& l) const {
    YamlNode o = object("external-secrets.io/v1", "ExternalSecret", name, l);
    YamlNode& spec = o.child("spec");
    spec.set("refreshInterval", "1h");
    YamlNode& store = spec.child("secretStoreRef");
    store.set("kind", "ClusterSecretStore");
    store.set("name", secret_store(target_));
    YamlNode& target = spec.child("target");
    target.set("name", name);
    target.set("creationPolicy", "Owner");
    return o;
  }

  // ---- network policies ---------------------------------------------------------------------

  std::vector<std::int64_t> data_ports(const Node& t) const {
    if (t.kind == "database") {
      const Value* e = t.value("engine");
      return {e && e->text == "mysql" ? 3306 : 5432};
    }
    if (t.kind == "cache") return {target_ == "azure" ? 6380 : target_ == "gcp" ? 6378 : 6379};
    if (t.kind == "topic") {
      if (target_ == "azure") return {9093};
      if (target_ == "gcp") return {9092};
      return {9094, 9098};
    }
    return {};
  }

  static YamlNode port_list(const std::set<std::int64_t>& ports, const char* protocol = "TCP") {
    YamlNode s = YamlNode::seq();
    for (auto p : ports) {
      YamlNode& e = s.push(YamlNode::map());
      e.set("protocol", protocol);
      e.set("port", YamlNode::integer(p));
    }
    return s;
  }

  static YamlNode ip_block(const std::string& cidr) {
    YamlNode e = YamlNode::map();
    e.child("ipBlock").set("cidr", cidr);
    return e;
  }

  YamlNode pods_of(const std::string& name) const {
    YamlNode e = YamlNode::map();
    e.child("podSelector").set("matchLabels", selector_labels(name));
    return e;
  }

  std::vector<YamlNode> network_docs() const {
    std::vector<YamlNode> docs;
    YamlNode l = common_labels();
    {
      YamlNode o = object("networking.k8s.io/v1", "NetworkPolicy", "default-deny", l);
      YamlNode& spec = o.child("spec");
      spec.set("podSelector", YamlNode::map());
      YamlNode& types = spec.set("policyTypes", YamlNode::seq());
      types.push(YamlNode::str("Ingress"));
      types.push(YamlNode::str("Egress"));
      docs.push_back(std::move(o));
    }
    {
      YamlNode o = object("networking.k8s.io/v1", "NetworkPolicy", "allow-dns", l);
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
      docs.push_back(std::move(o));
    }
    // Who talks to whom: network edges between workloads, and to data stores; publishes and
    // consumes reach topics and queues.
    std::map<std::size_t, std::set<std::size_t>> callers, callees, stores;
    for (const Edge& e : g_.edges) {
      bool net = e.kind == EdgeKind::Network ||
                 (e.kind == EdgeKind::Dependency && (e.via == "publishes" || e.via == "consumes"));
      if (!net || !by_index_.count(e.from)) continue;
      if (by_index_.count(e.to)) {
        callees[e.from].insert(e.to);
        callers[e.to].insert(e.from);
      } else {
        stores[e.from].insert(e.to);
      }
    }
    for (const auto& w : workloads_) {
      const Node& n = *w.node;
      YamlNode o = object("networking.k8s.io/v1", "NetworkPolicy", w.name, labels(n, w.name, w.version));
      YamlNode& spec = o.child("spec");
      spec.child("podSelector").set("matchLabels", selector_labels(w.name));
      YamlNode& types = spec.set("policyTypes", YamlNode::seq());
      types.push(YamlNode::str("Ingress"));
      types.push(YamlNode::str("Egress"));
      YamlNode ingress = YamlNode::seq();
      std::set<std::int64_t> own;
      for (const auto& p : w.ports) own.insert(p.number);
      for (std::size_t from : callers[w.index]) {
        if (own.empty()) break;
        YamlNode& r = ingress.push(YamlNode::map());
        r.set("from", YamlNode::seq()).push(pods_of(by_index_.at(from)->name));
        r.set("ports", port_list(own));
      }
      if (n.kind == "service" && n.has_block("expose") && ingress_port_number(w) > 0) {
        YamlNode& r = ingress.push(YamlNode::map());
        YamlNode& from = r.set("from", YamlNode::seq());
        if (target_ == "gcp") {
          // Google's load balancers and health checkers.
          from.push(ip_block("130.211.0.0/22"));
          from.push(ip_block("35.191.0.0/16"));
        } else {
          from.push(ip_block(cidr_));  // the ALB / Application Gateway in the platform's network
        }
        r.set("ports", port_list({ingress_port_number(w)}));
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
      YamlNode egress = YamlNode::seq();
      for (std::size_t to : callees[w.index]) {
        const Workload* t = by_index_.at(to);
        std::set<std::int64_t> ports;
        for (const auto& p : t->ports) ports.insert(p.number);
        if (ports.empty()) continue;
        YamlNode& r = egress.push(YamlNode::map());
        r.set("to", YamlNode::seq()).push(pods_of(t->name));
        r.set("ports", port_list(ports));
      }
      std::set<std::int64_t> vpc_ports;
      bool cloud_api = false;
      for (std::size_t s : stores[w.index]) {
        const Node& t = g_.nodes[s];
        for (auto p : data_ports(t)) vpc_ports.insert(p);
        if (t.kind == "queue" || t.kind == "bucket") cloud_api = true;
      }
      if (!vpc_ports.empty()) {
        YamlNode& r = egress.push(YamlNode::map());
        r.set("to", YamlNode::seq()).push(ip_block(cidr_));
        r.set("ports", port_list(vpc_ports));
      }
      if (cloud_api) {
        // Queues and buckets are HTTPS APIs of the cloud, outside the platform's network.
        YamlNode& r = egress.push(YamlNode::map());
        r.set("to", YamlNode::seq()).push(ip_block("0.0.0.0/0"));
        r.set("ports", port_list({443}));
        if (target_ == "gcp") {
          YamlNode& md = egress.push(YamlNode::map());
          md.set("to", YamlNode::seq()).push(ip_block("169.254.169.254/32"));
          md.set("ports", port_list({80, 988}));
        }
      }
      if (!ingress.empty()) spec.set("ingress", std::move(ingress));
      if (!egress.empty()) spec.set("egress", std::move(egress));
      docs.push_back(std::move(o));
    }
    return docs;
  }

  // ---- monitoring ---------------------------------------------------------------------------

  std::pair<std::vector<YamlNode>, std::set<std::string>> monitoring_docs() const {
    std::vector<YamlNode> docs;
    std::set<std::string> sources;
    for (const auto& w : workloads_) {
      const Node& n = *w.node;
      if (!n.has_block("metrics") || n.kind == "job") continue;
      std::string port = port_name_for(w, n.value("metrics.port"));
      if (port.empty() && n.value("metrics.port")) port = "metrics";
      if (port.empty()) continue;  // nothing to scrape: no port
      sources.insert(source_of(&n));
      std::string path = n.value("metrics.path") ? plain_of(n, "metrics.path") : "/metrics";
      std::string interval = graph::format_seconds(n.value("metrics.interval") ? n.value("metrics.interval")->i : 30);
      bool service = n.kind == "service";
      YamlNode o = object("monitoring.coreos.com/v1", service ? "ServiceMonitor" : "PodMonitor", w.name,
                          labels(n, w.name, w.version));
      YamlNode& spec = o.child("spec");
      spec.child("selector").set("matchLabels", selector_labels(w.name));
      YamlNode& ep = spec.set(service ? "endpoints" : "podMetricsEndpoints", YamlNode::seq()).push(YamlNode::map());
      ep.set("port", port);
      ep.set("path", path);
      ep.set("interval", interval);
      docs.push_back(std::move(o));
    }
    YamlNode rules = YamlNode::seq();
    for (const auto& n : g_.nodes) {
      if (n.kind != "alert") continue;
      sources.insert(source_of(&n));
      std::string expr = plain_of(n, "expr");
      while (!expr.empty() && (expr.back() == '\n' || expr.back() == ' ')) expr.pop_back();
      std::string op = n.value("when") && n.value("when")->text == "below" ? "<" : ">";
      std::string threshold = n.value("threshold") ? number_text(*n.value("threshold")) : "0";
      YamlNode& r = rules.push(YamlNode::map());
      r.set("alert", n.id);
      r.set("expr", expr.find('\n') == std::string::npos ? fmt::format("({}) {} {}", expr, op, threshold)
                                                         : fmt::format("(\n{}\n) {} {}", expr, op, threshold));
      if (const Value* f = n.value("for"); f && f->i > 0) r.set("for", graph::format_seconds(f->i));
      YamlNode& l = r.child("labels");
      l.set("severity", n.value("severity") ? n.value("severity")->text : "warning");
      l.set("environment", env_);
      YamlNode& a = r.child("annotations");
      a.set("summary", plain_of(n, "summary"));
      if (n.value("description")) a.set("description", plain_of(n, "description"));
      if (n.value("runbook")) a.set("runbook_url", plain_of(n, "runbook"));
    }
    if (!rules.empty()) {
      std::string name = k8s_name(platform_name_) + "-alerts";
      YamlNode o = object("monitoring.coreos.com/v1", "PrometheusRule", name, common_labels());
      YamlNode& g = o.child("spec").set("groups", YamlNode::seq()).push(YamlNode::map());
      g.set("name", k8s_name(platform_name_));
      g.set("rules", std::move(rules));
      docs.push_back(std::move(o));
    }
    return {std::move(docs), std::move(sources)};
  }

  // ---- dashboards ---------------------------------------------------------------------------

  // One ConfigMap per dashboard, labelled for the Grafana dashboard sidecar of
  // kube-prometheus-stack (`grafana_dashboard: "1"`), holding the dashboard's JSON model.
  std::pair<std::vector<YamlNode>, std::set<std::string>> dashboard_docs() const {
    std::vector<YamlNode> docs;
    std::set<std::string> sources;
    DashboardContext ctx;
    ctx.platform = k8s_name(platform_name_);
    ctx.env = k8s_name(env_);
    ctx.ns = ns_;
    ctx.target = target_;
    ctx.name = [](std::string_view id) { return k8s_name(id); };
    for (const auto& n : g_.nodes) {
      if (n.kind != "dashboard") continue;
      std::string name = k8s_name(n.id);
      if (name.empty() || name.size() > 52) {
        errors_.push_back(fmt::format("dashboard `{}` cannot become a Kubernetes name", n.id));
        continue;
      }
      sources.insert(source_of(&n));
      YamlNode l = labels(n, "dashboard-" + name, "");
      l.set("grafana_dashboard", "1");
      YamlNode o = object("v1", "ConfigMap", "dashboard-" + name, l);
      o.child("data").set(ctx.platform + "-" + name + ".json", dashboard_json(g_, n, ctx) + "\n");
      docs.push_back(std::move(o));
    }
    return {std::move(docs), std::move(sources)};
  }
};

}  // namespace

std::string k8s_name(std::string_view id) {
  std::string out = k8s_spelling(id);
  return is_dns_label(out) ? out : "";
}

std::string secret_store(std::string_view target) {
  if (target == "aws") return "aws-secrets-manager";
  if (target == "gcp") return "gcp-secret-manager";
  if (target == "azure") return "azure-key-vault";
  return "secret-store";
}

YamlNode pod_security_context() {
  YamlNode psc = YamlNode::map();
  psc.set("runAsNonRoot", YamlNode::boolean(true));
  psc.set("runAsUser", YamlNode::integer(kRunAsUser));
  psc.set("runAsGroup", YamlNode::integer(kRunAsUser));
  psc.set("fsGroup", YamlNode::integer(kRunAsUser));
  psc.child("seccompProfile").set("type", "RuntimeDefault");
  return psc;
}

YamlNode container_security_context() {
  YamlNode sc = YamlNode::map();
  sc.set("allowPrivilegeEscalation", YamlNode::boolean(false));
  sc.set("readOnlyRootFilesystem", YamlNode::boolean(true));
  sc.set("runAsNonRoot", YamlNode::boolean(true));
  sc.child("capabilities").set("drop", YamlNode::seq()).push(YamlNode::str("ALL"));
  return sc;
}

Result generate(const graph::Graph& g, const Options& opts) {
  return Generator(g, opts).run();
}

}  // namespace platc::kubernetes
