// A workload's environment: what `env` says, plus what `publishes` and `consumes` imply. Values
// known at compile time go into the workload's ConfigMap; deploy-time outputs of data stores are
// read from their connection Secrets; secrets from their ExternalSecrets.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "backends/contract/names.h"
#include "backends/kubernetes/families.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

std::string upper_id(const std::string& id) {
  std::string out;
  for (char c : id) out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c == '-' ? '_' : c;
  return out;
}

// The helper variable that carries one deploy-time output into a composed value.
std::string env_helper(const std::string& id, const std::string& output) {
  return "PLATC_" + upper_id(id + "_" + output);
}

// A literal in an inline `value:`: Kubernetes expands `$(VAR)` there, so `$(` is written `$$(`.
std::string escape_expansion(const std::string& text) {
  std::string out;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] == '$' && k + 1 < text.size() && text[k + 1] == '(') out += '$';
    out += text[k];
  }
  return out;
}

YamlNode secret_ref(const std::string& env_name, const std::string& secret, const std::string& key) {
  YamlNode e = YamlNode::map();
  e.set("name", env_name);
  YamlNode& r = e.child("valueFrom").child("secretKeyRef");
  r.set("name", secret);
  r.set("key", key);
  return e;
}

class Planner {
 public:
  Planner(const Context& ctx, const Workload& w) : ctx_(ctx), w_(w) {}
  // A sidecar's env (`sidecar.exporter.env`): its values are written inline, since the
  // workload's ConfigMap holds the main container's and the two may set the same name.
  Planner(const Context& ctx, const Workload& w, std::string sidecar)
      : ctx_(ctx), w_(w), sidecar_(std::move(sidecar)) {}

  EnvPlan run() {
    const Node& n = *w_.node;
    secret_arguments();
    if (!sidecar_.empty()) {
      for (const auto& [name, attr] : n.entries(sidecar_ + ".env")) env_entry(name, attr->value);
      return finish();
    }
    // What publishes/consumes set, unless `env` sets the same name.
    std::vector<std::pair<std::string, const Node*>> streams;
    for (const char* attr : {"publishes", "consumes"})
      if (const Value* l = n.value(attr); l && l->kind == ValueKind::List)
        for (const auto& item : l->items)
          if (item.kind == ValueKind::Ref)
            if (const Node* t = ctx_.g.find(item.text)) streams.emplace_back(attr, t);
    std::string first_topic;
    for (const auto& [attr, t] : streams) {
      std::string upper = upper_id(t->id);
      if (t->kind == "topic") {
        config("KAFKA_TOPIC_" + upper, t->id);
        if (first_topic.empty() || t->id < first_topic) first_topic = t->id;
      } else if (t->kind == "queue") {
        vars_["QUEUE_" + upper + "_URL"] = connection_ref("QUEUE_" + upper + "_URL", t->id, "url");
      }
    }
    if (!first_topic.empty()) {
      vars_["KAFKA_BOOTSTRAP_SERVERS"] = connection_ref("KAFKA_BOOTSTRAP_SERVERS", first_topic, "brokers");
      bool consumes_topic = std::any_of(streams.begin(), streams.end(), [](const auto& s) {
        return std::string_view(s.first) == "consumes" && s.second->kind == "topic";
      });
      if (consumes_topic) {
        const Value* cg = n.value("consumer_group");
        config("KAFKA_CONSUMER_GROUP", cg ? ctx_.plain_of(n, "consumer_group") : w_.name);
      }
    }
    for (const auto& [name, attr] : n.entries("env")) env_entry(name, attr->value);
    return finish();
  }

 private:
  EnvPlan finish() {
    std::sort(plan_.config.begin(), plan_.config.end());
    // `$(VAR)` only expands variables defined earlier in the list: every PLATC_ name (the
    // helpers are all PLATC_) comes first, then the rest, each part sorted by name. A rule this
    // simple is one the Helm chart's template can follow too.
    for (auto& [name, e] : helpers_) vars_[name] = std::move(e);
    for (bool first : {true, false})
      for (auto& [name, e] : vars_)
        if (name.starts_with("PLATC_") == first) plan_.env.push_back(std::move(e));
    return std::move(plan_);
  }

  const Context& ctx_;
  const Workload& w_;
  std::string sidecar_;
  EnvPlan plan_;
  std::map<std::string, YamlNode> vars_;  // name -> env entry, sorted by name
  std::map<std::string, YamlNode> helpers_;

  void config(const std::string& name, const std::string& value) {
    if (!sidecar_.empty()) {
      YamlNode e = YamlNode::map();
      e.set("name", name);
      e.set("value", escape_expansion(value));
      vars_[name] = std::move(e);
      return;
    }
    plan_.config.emplace_back(name, value);
    YamlNode e = YamlNode::map();
    e.set("name", name);
    YamlNode& r = e.child("valueFrom").child("configMapKeyRef");
    r.set("name", w_.name + "-env");
    r.set("key", name);
    vars_[name] = std::move(e);
  }

  // The attribute path of this container's `what` (`env.X`, `sidecar.exporter.args`).
  std::string path_of(const std::string& what) const { return sidecar_.empty() ? what : sidecar_ + "." + what; }

  // A value that looks like a secret: a key of `<workload>-env-secret`, read into `env_name`.
  // A pre-deploy job's copy is a hook like its ConfigMap, under the same name.
  YamlNode secret_value(const std::string& env_name, const std::string& key, const std::string& value) {
    plan_.secret_env[key] = value;
    return secret_ref(env_name, contract::env_secret(w_.name), key);
  }

  // `command` and `args` items that look like secrets: each becomes `$(PLATC_ARGS_<k>)`, which
  // Kubernetes expands from a variable read from the Secret (a value read that way is not
  // expanded again).
  void secret_arguments() {
    for (const char* list : {"command", "args"}) {
      std::string path = path_of(list);
      const Value* v = w_.node->value(path);
      if (!v || v->kind != ValueKind::List) continue;
      for (std::size_t k = 0; k < v->items.size(); ++k) {
        const Value& item = v->items[k];
        if (!item.secret || item.kind != ValueKind::String) continue;
        std::string var = fmt::format("PLATC_{}_{}", upper_id(list), k);
        helpers_[var] = secret_value(var, fmt::format("{}.{}", path, k), item.plain());
        plan_.secret_args[path][k] = "$(" + var + ")";
      }
    }
  }

  // A deploy-time output: read from the resource's connection secret (a pre-deploy job reads
  // its own copy, created as a hook before it).
  YamlNode connection_ref(const std::string& env_name, const std::string& id, const std::string& output) {
    plan_.connections[id].insert(output);
    std::string secret = contract::connection_secret(id);
    return secret_ref(env_name, w_.pre_deploy ? contract::hook_copy(secret) : secret, output);
  }

  std::string service_output(const Node& svc, const std::string& output) const {
    std::string name = ctx_.name_output(svc.id);
    std::string host = fmt::format("{}.{}.svc.cluster.local", name, ctx_.ns);
    std::int64_t port = 0;
    // What clients call: the Service's port, which targets the container's.
    if (const Workload* t = ctx_.workload_at(ctx_.g.index_of(svc)); t && !t->ports.empty())
      port = t->ports.front().service_port;
    if (output == "host") return host;
    if (output == "port") return std::to_string(port);
    if (output == "url") return fmt::format("http://{}:{}", host, port);
    return name;
  }

  std::string env_output(const std::string& output) const {
    if (output == "name") return ctx_.env;
    if (ctx_.env_node)
      if (const Value* v = ctx_.env_node->value(output); v && v->kind == ValueKind::String) return v->plain();
    return "";
  }

  // What an output is at compile time, if it is known then.
  // `${main.ca_file}` names a file, so reading it mounts main's CA bundle (a key of its
  // connection Secret) at that path.
  std::optional<std::string> known_output(const std::string& id, const std::string& output) {
    if (id == "env") return ctx_.deployment.environment_output(output);  // `${env.region}`
    const Node* t = ctx_.g.find(id);
    if (!t) return std::nullopt;
    if (output == "name") return ctx_.name_output(id);
    if (t->has_trait("exposable")) return service_output(*t, output);
    if (t->kind == "environment") return env_output(output);
    auto known = ctx_.deployment.known_output(*t, output);
    if (known && output == "ca_file") {
      plan_.ca_bundles.insert(id);
      plan_.connections[id].insert(std::string(contract::kCaKey));
    }
    return known;
  }

  void env_entry(const std::string& name, const Value& v) {
    // Drop an automatic value of the same name: `env` wins.
    plan_.config.erase(
        std::remove_if(plan_.config.begin(), plan_.config.end(), [&](const auto& c) { return c.first == name; }),
        plan_.config.end());
    if (v.kind == ValueKind::Ref) {
      const Node* t = ctx_.g.find(v.text);
      if (t && t->has_trait("secret") && v.text2.empty()) {
        plan_.secrets.insert(t->id);
        std::string secret = ctx_.name_output(t->id);
        vars_[name] = secret_ref(name, w_.pre_deploy ? contract::hook_copy(secret) : secret, "value");
      } else if (auto known = known_output(v.text, v.text2)) {
        config(name, *known);
      } else {
        vars_[name] = connection_ref(name, v.text, v.text2.empty() ? "url" : v.text2);
      }
      return;
    }
    if (v.kind != ValueKind::String) {
      config(name, number_text(v));
      return;
    }
    bool runtime = false;
    std::string value;
    for (const auto& p : v.pieces) {
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
    std::string key = path_of("env." + name);
    if (!runtime) {
      if (v.secret)
        vars_[name] = secret_value(name, key, value);
      else
        config(name, value);
      return;
    }
    // A string with deploy-time parts: helper variables from the connection secrets, joined
    // with Kubernetes' `$(VAR)` expansion; a literal `$(` is escaped as `$$(`.
    // In a secret, each run of text between the deploy-time parts is a key of the Secret, read
    // into a helper variable of its own.
    std::string composed, run;
    std::size_t runs = 0;
    auto end_run = [&] {
      if (run.empty()) return;
      std::string helper = fmt::format("PLATC_{}_{}", upper_id(name), runs);
      helpers_[helper] = secret_value(helper, fmt::format("{}.{}", key, runs++), run);
      composed += "$(" + helper + ")";
      run.clear();
    };
    for (const auto& p : v.pieces) {
      std::optional<std::string> known;
      if (!p.ref_resource.empty()) known = known_output(p.ref_resource, p.ref_output);
      if (p.ref_resource.empty() || known) {
        const std::string& text = p.ref_resource.empty() ? p.text : *known;
        if (v.secret)
          run += text;
        else
          composed += escape_expansion(text);
        continue;
      }
      end_run();
      std::string helper = env_helper(p.ref_resource, p.ref_output);
      helpers_[helper] = connection_ref(helper, p.ref_resource, p.ref_output);
      composed += "$(" + helper + ")";
    }
    end_run();
    YamlNode e = YamlNode::map();
    e.set("name", name);
    e.set("value", composed);
    vars_[name] = std::move(e);
  }
};

}  // namespace

EnvPlan env_plan(const Context& ctx, const Workload& w) {
  EnvPlan plan = Planner(ctx, w).run();
  // Each sidecar's env; what it reads (secrets, connections, CA bundles) is the pod's.
  for (const auto& s : w.sidecars) {
    EnvPlan sp = Planner(ctx, w, s.block).run();
    plan.secrets.insert(sp.secrets.begin(), sp.secrets.end());
    for (auto& [id, outputs] : sp.connections) plan.connections[id].insert(outputs.begin(), outputs.end());
    plan.ca_bundles.insert(sp.ca_bundles.begin(), sp.ca_bundles.end());
    plan.secret_env.insert(sp.secret_env.begin(), sp.secret_env.end());
    plan.secret_args.insert(sp.secret_args.begin(), sp.secret_args.end());
    plan.sidecar_env[s.block] = std::move(sp.env);
  }
  plan_waits(ctx, w, plan);
  return plan;
}

}  // namespace platc::kubernetes
