// The Kubernetes backend's entry: builds the Context, lets each object family make its objects,
// and lays them out as the files of kubernetes/<environment>/ with a kustomization.yaml.
#include "backends/kubernetes/kubernetes.h"

#include <any>
#include <memory>

#include "backends/kubernetes/context.h"
#include "backends/kubernetes/families.h"

namespace platc::kubernetes {

using emit::YamlNode;

namespace {

// The files of the whole environment (the check step keeps workloads off these names).
constexpr const char* kNamespaceFile = "namespace.yaml";
constexpr const char* kSecretsFile = "secrets.yaml";
constexpr const char* kIngressFile = "ingresses.yaml";
constexpr const char* kNetworkFile = "network-policies.yaml";
constexpr const char* kMonitoringFile = "monitoring.yaml";
constexpr const char* kDashboardsFile = "dashboards.yaml";
constexpr const char* kKustomizationFile = "kustomization.yaml";

}  // namespace

const std::vector<std::pair<std::string, std::string>>& environment_files() {
  static const std::vector<std::pair<std::string, std::string>> files = {
      {kNamespaceFile, "Namespace"},
      {kSecretsFile, "ExternalSecrets"},
      {kIngressFile, "Ingresses"},
      {kNetworkFile, "NetworkPolicies"},
      {kMonitoringFile, "monitors and alert rules"},
      {kDashboardsFile, "dashboards"},
      {kKustomizationFile, "kustomization"},
  };
  return files;
}

std::vector<File> generate(const graph::Graph& g, const Options& opts) {
  Context ctx(g, opts);
  // What each workload reads decides which secrets exist: computed first, read by both families.
  std::vector<EnvPlan> plans;
  for (const auto& w : ctx.workloads) plans.push_back(env_plan(ctx, w));

  std::vector<File> files;
  std::string dir = "kubernetes/" + ctx.env + "/";
  std::vector<std::string> resources;
  auto add = [&](const std::string& file, std::vector<YamlNode> docs, const std::set<std::string>& sources) {
    if (docs.empty()) return;
    std::string content = emit::to_yaml_stream(docs, Context::header(sources));
    files.push_back({dir + file, std::move(content), std::move(docs)});
    resources.push_back(file);
  };
  add(kNamespaceFile, {namespace_doc(ctx)}, {ctx.source_of(ctx.platform)});
  Docs secrets = secret_docs(ctx, plans);
  add(kSecretsFile, std::move(secrets.docs), secrets.sources);
  std::set<std::string> wl_sources;
  for (std::size_t k = 0; k < ctx.workloads.size(); ++k) {
    const Workload& w = ctx.workloads[k];
    add(w.name + ".yaml", workload_docs(ctx, w, plans[k]), {ctx.source_of(w.node)});
    wl_sources.insert(ctx.source_of(w.node));
  }
  Docs ingresses = ingress_docs(ctx);
  add(kIngressFile, std::move(ingresses.docs), ingresses.sources);
  add(kNetworkFile, network_docs(ctx), wl_sources);
  Docs mon = monitoring_docs(ctx);
  add(kMonitoringFile, std::move(mon.docs), mon.sources);
  Docs dash = dashboard_docs(ctx);
  add(kDashboardsFile, std::move(dash.docs), dash.sources);

  YamlNode k = YamlNode::map();
  k.set("apiVersion", "kustomize.config.k8s.io/v1beta1");
  k.set("kind", "Kustomization");
  YamlNode& res = k.set("resources", YamlNode::seq());
  for (const auto& f : resources) res.push(YamlNode::str(f));
  files.push_back(
      {dir + kKustomizationFile, emit::to_yaml_stream({k}, Context::header({ctx.source_of(ctx.platform)})), {}});
  return files;
}

namespace {

class KubernetesBackend final : public backends::Backend {
 public:
  std::string_view name() const override { return "kubernetes"; }
  std::string_view summary() const override {
    return "plain manifests with a kustomization, per environment: kubernetes/<environment>/";
  }
  bool applies_to(const std::vector<std::string>&) const override { return true; }
  void check(const graph::Graph& g, Diagnostics& diags) const override { kubernetes::check(g, diags); }
  void generate(const backends::Input& in, std::vector<backends::File>& out, Diagnostics& diags) const override {
    Options opts{in.source_name};
    // The objects go to a chosen backend made from them (the Helm chart), one environment at a time.
    std::shared_ptr<ManifestSink> sink;
    if (auto it = in.products.find(name()); it != in.products.end() && it->second.has_value())
      sink = std::any_cast<std::shared_ptr<ManifestSink>>(it->second);
    for (const graph::Graph* g : in.environments) {
      note_secret_values(*g, diags);
      auto files = kubernetes::generate(*g, opts);
      for (auto& f : files) {
        out.push_back({f.path, std::move(f.content)});
        f.content.clear();
      }
      if (sink) (*sink)(*g, std::move(files), diags);
    }
  }
};

}  // namespace

const backends::Backend& backend() {
  static const KubernetesBackend b;
  return b;
}

}  // namespace platc::kubernetes
