// Secrets: an ExternalSecret (external-secrets.io) per secret block a workload reads, and per data
// store whose deploy-time outputs a workload reads (its connection Secret), each from the target's
// secret store under the entry the contract names. A pre-deploy job reads its own copies.
#include "backends/contract/names.h"
#include "backends/kubernetes/families.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;

namespace {

YamlNode external_secret(const Context& ctx, const std::string& name, const YamlNode& l) {
  YamlNode o = ctx.object("external-secrets.io/v1", "ExternalSecret", name, l);
  YamlNode& spec = o.child("spec");
  spec.set("refreshInterval", "1h");
  YamlNode& store = spec.child("secretStoreRef");
  store.set("kind", "ClusterSecretStore");
  store.set("name", std::string(ctx.target.secret_store));
  YamlNode& target = spec.child("target");
  target.set("name", name);
  target.set("creationPolicy", "Owner");
  return o;
}

}  // namespace

Docs secret_docs(const Context& ctx, const std::vector<EnvPlan>& plans) {
  // What the workloads read, and what the pre-deploy jobs read (their own copies).
  std::set<std::string> secrets[2];
  std::map<std::string, std::set<std::string>> connections[2];
  for (std::size_t k = 0; k < plans.size(); ++k) {
    int pre = ctx.workloads[k].pre_deploy ? 1 : 0;
    secrets[pre].insert(plans[k].secrets.begin(), plans[k].secrets.end());
    for (const auto& [id, outputs] : plans[k].connections) connections[pre][id].insert(outputs.begin(), outputs.end());
  }
  Docs out;
  std::string pre_label = std::string(kAnnotationDomain) + "/pre-deploy";
  // The regular ExternalSecrets, then the pre-deploy jobs' own copies.
  for (int pre : {0, 1}) {
    for (const auto& n : ctx.g.nodes) {
      if (!n.has_trait("secret") || !secrets[pre].count(n.id)) continue;
      out.sources.insert(ctx.source_of(&n));
      std::string name = ctx.name_output(n.id);
      if (pre) name = contract::hook_copy(name);
      YamlNode l = ctx.labels(n, name, "");
      if (pre) l.set(pre_label, "true");
      YamlNode o = external_secret(ctx, name, l);
      if (pre) Context::hook_annotations(o, kHookWeightDependencies);
      YamlNode& d = o.child("spec").set("data", YamlNode::seq()).push(YamlNode::map());
      d.set("secretKey", "value");
      YamlNode& rr = d.child("remoteRef");
      rr.set("key", ctx.plain_of(n, "store"));
      if (n.value("key")) rr.set("property", ctx.plain_of(n, "key"));
      out.docs.push_back(std::move(o));
    }
    for (const auto& n : ctx.g.nodes) {
      auto it = connections[pre].find(n.id);
      if (it == connections[pre].end()) continue;
      out.sources.insert(ctx.source_of(&n));
      std::string name = contract::connection_secret(n.id);
      if (pre) name = contract::hook_copy(name);
      YamlNode l = ctx.labels(n, name, "");
      l.set("app.kubernetes.io/component", "connection");
      if (pre) l.set(pre_label, "true");
      YamlNode o = external_secret(ctx, name, l);
      if (pre) Context::hook_annotations(o, kHookWeightDependencies);
      YamlNode& data = o.child("spec").set("data", YamlNode::seq());
      for (const auto& output : it->second) {
        YamlNode& d = data.push(YamlNode::map());
        d.set("secretKey", output);
        YamlNode& rr = d.child("remoteRef");
        rr.set("key", ctx.deployment.connection_entry(n.id));
        rr.set("property", output);
      }
      out.docs.push_back(std::move(o));
    }
  }
  return out;
}

}  // namespace platc::kubernetes
