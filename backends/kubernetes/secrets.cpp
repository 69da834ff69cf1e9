// Secrets: an ExternalSecret (external-secrets.io) per secret block a workload reads, and per data
// store whose deploy-time outputs a workload reads (its connection Secret), each from the target's
// secret store under the entry the contract names. A pre-deploy job reads its own copies.
//
// On AWS a database's password is not in its connection entry: RDS manages the master password in
// a secret of its own and rotates it every 7 days (a rotation that cannot be turned off), so a copy
// would go stale within a week. The ExternalSecret finds RDS's secret by the tag RDS puts on it
// (the instance's ARN, from the contract), reads it every 5 minutes, and makes `password` and `url`
// from it with a template; the other outputs still come from the connection entry.
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

// The key RDS's own secret (JSON: `username`, `password`) is read under before the template.
constexpr std::string_view kRdsKey = "rds_master";

// An AWS database's `password` and `url` from the secret RDS manages: found by its tag, renamed
// to one key (RDS names it `rds!db-<uuid>`, not a valid Secret key), then every output the
// workloads read made by a template (ESO's v2 engine: Go templates with Sprig's `fromJson`). The
// password in `url` is escaped with `urlquery`, whose `+` for a space means a plus in a URL's user
// part, so it becomes `%20` (a real `+` is `%2B` by then).
void rds_password(const Context& ctx, const Node& db, const std::set<std::string>& outputs, YamlNode& spec) {
  spec.set("refreshInterval", "5m");
  YamlNode& from = spec.set("dataFrom", YamlNode::seq()).push(YamlNode::map());
  from.child("find").child("tags").set(std::string(contract::Deployment::kRdsSecretTag),
                                       ctx.deployment.rds_instance_arn(db));
  YamlNode& re = from.set("rewrite", YamlNode::seq()).push(YamlNode::map()).child("regexp");
  re.set("source", ".*");
  re.set("target", std::string(kRdsKey));
  YamlNode& tmpl = spec.child("target").child("template");
  tmpl.set("engineVersion", "v2");
  YamlNode& data = tmpl.child("data");
  const graph::Value* ev = db.value("engine");
  std::string engine = ev ? ev->text : "postgres";
  std::string password = "(." + std::string(kRdsKey) + " | fromJson).password";
  for (const auto& output : outputs) {
    if (output == "password")
      data.set(output, "{{ " + password + " }}");
    else if (output == "url")
      data.set(output, std::string(contract::database_url_scheme(engine)) + "://{{ .user }}:{{ " + password +
                           " | urlquery | replace \"+\" \"%20\" }}@{{ .host }}:{{ .port }}/{{ .database }}" +
                           std::string(contract::database_url_query(engine)));
    else
      data.set(output, "{{ ." + output + " }}");
  }
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
      std::set<std::string> entry_keys = it->second;
      bool rotating = ctx.target.cloud == contract::Cloud::Aws && n.kind == "database" &&
                      (entry_keys.count("password") || entry_keys.count("url"));
      if (rotating) {
        entry_keys.erase("password");
        if (entry_keys.erase("url")) entry_keys.insert({"user", "host", "port", "database"});
      }
      YamlNode data = YamlNode::seq();
      for (const auto& output : entry_keys) {
        YamlNode& d = data.push(YamlNode::map());
        d.set("secretKey", output);
        YamlNode& rr = d.child("remoteRef");
        rr.set("key", ctx.deployment.connection_entry(n.id));
        rr.set("property", output);
      }
      if (!entry_keys.empty()) o.child("spec").set("data", std::move(data));
      if (rotating) rds_password(ctx, n, it->second, o.child("spec"));
      out.docs.push_back(std::move(o));
    }
  }
  return out;
}

}  // namespace platc::kubernetes
