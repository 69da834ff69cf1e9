// The chart of a platform: Chart.yaml, the values files, and the fixed templates and values schema
// compiled into platc from backends/helm/chart/ (cmake/embed.cmake).
#include <fmt/format.h>

#include <set>

#include "backends/contract/names.h"
#include "backends/helm/embedded.h"
#include "backends/helm/helm.h"

namespace platc::helm {
namespace {

using emit::YamlNode;

std::string header(const Options& opts) {
  return emit::generated_header({opts.source});
}

// The version every workload's image agrees on, else the development version.
std::string app_version(const YamlNode& values, const Options& opts) {
  if (!opts.platform_version.empty()) return opts.platform_version;
  std::set<std::string> versions;
  if (const YamlNode* wl = values.find("workloads"))
    for (const auto& [name, w] : wl->entries())
      if (const YamlNode* v = w.find("version"); v && v->kind() == YamlNode::Kind::String) versions.insert(v->text());
  return versions.size() == 1 ? *versions.begin() : "0.0.0-dev";
}

}  // namespace

std::vector<backends::File> generate(const std::vector<Environment>& envs, const Options& opts, Diagnostics& diags) {
  std::vector<backends::File> files;
  if (envs.empty()) return files;
  // The check step (the Kubernetes backend's) made sure the platform's name is a valid one.
  std::string chart = contract::object_name(opts.platform);
  std::vector<YamlNode> values;
  std::size_t errors = diags.error_count();
  for (const auto& e : envs) values.push_back(values_of(e, diags));
  if (diags.error_count() != errors) return files;
  std::string dir = "helm/" + chart + "/";
  const YamlNode& base = values.front();

  YamlNode c = YamlNode::map();
  c.set("apiVersion", "v2");
  c.set("name", chart);
  c.set("description", fmt::format("The {} platform: every workload of kubernetes/<environment>/ as one chart", chart));
  c.set("type", "application");
  c.set("version", "0.1.0");
  c.set("appVersion", app_version(base, opts));
  c.child("annotations").set("platc.dev/environments", [&] {
    std::string names;
    for (const auto& e : envs) names += (names.empty() ? "" : ",") + e.name;
    return names;
  }());
  files.push_back({dir + "Chart.yaml", emit::to_yaml_stream({c}, header(opts))});

  std::string intro =
      header(opts) +
      fmt::format(
          "# The values of environment `{}`. values-<environment>.yaml holds what each environment changes:\n"
          "#   helm upgrade --install {}-<environment> helm/{} -n {}-<environment> -f "
          "helm/{}/values-<environment>.yaml\n"
          "# values.schema.json says what each value may be.\n",
          envs.front().name, chart, chart, chart, chart);
  files.push_back({dir + "values.yaml", emit::to_yaml_stream({base}, intro)});
  for (std::size_t k = 0; k < envs.size(); ++k) {
    YamlNode d = values_diff(base, values[k]);
    std::string h =
        header(opts) + fmt::format("# Environment `{}`: only what differs from values.yaml.\n", envs[k].name);
    files.push_back(
        {dir + "values-" + envs[k].name + ".yaml", d.empty() ? h + "{}\n" : emit::to_yaml_stream({d}, h)});
  }
  for (const auto& f : embedded_helm()) files.push_back({dir + std::string(f.name), std::string(f.content)});
  return files;
}

namespace {

// The chart is made from the Kubernetes backend's objects, so it checks what that backend does.
class HelmBackend final : public backends::Backend {
 public:
  std::string_view name() const override { return "helm"; }
  std::string_view summary() const override {
    return "one chart for every environment: helm/<platform>/ with values-<environment>.yaml";
  }
  bool applies_to(const std::vector<std::string>&) const override { return true; }
  void check(const graph::Graph& g, Diagnostics& diags) const override { kubernetes::check(g, diags); }
  void generate(const backends::Input& in, std::vector<backends::File>& out, Diagnostics& diags) const override {
    std::vector<Environment> envs;
    Options opts;
    kubernetes::Options kopts{in.source_name};
    // The Kubernetes backend's objects when it ran before in this run (taken: nobody else reads
    // them), else made here.
    std::shared_ptr<kubernetes::Manifests> made;
    if (auto it = in.products.find(kubernetes::backend().name()); it != in.products.end() && it->second.has_value()) {
      made = std::any_cast<std::shared_ptr<kubernetes::Manifests>>(it->second);
      it->second.reset();
    }
    for (std::size_t k = 0; k < in.environments.size(); ++k) {
      const graph::Graph* g = in.environments[k];
      opts.platform = g->platform;
      for (const auto& n : g->nodes)
        if (n.kind == "platform" && in.source_name) opts.source = in.source_name(n.where);
      envs.push_back({g->environment, g->target,
                      made && made->size() == in.environments.size() ? std::move((*made)[k])
                                                                      : kubernetes::generate(*g, kopts)});
    }
    for (auto& f : helm::generate(envs, opts, diags)) out.push_back(std::move(f));
  }
  std::vector<std::string_view> consumes() const override { return {kubernetes::backend().name()}; }
  std::vector<backends::FixedFile> fixed_files() const override {
    std::vector<backends::FixedFile> out;
    for (const auto& f : embedded_helm())
      out.push_back({"helm/*/" + std::string(f.name), "backends/helm/chart/" + std::string(f.name)});
    return out;
  }
};

}  // namespace

const backends::Backend& backend() {
  static const HelmBackend b;
  return b;
}

}  // namespace platc::helm
