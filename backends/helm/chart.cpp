// The chart of a platform: Chart.yaml, the values files, and the fixed templates and values schema
// compiled into platc from backends/helm/chart/ (cmake/embed.cmake).
#include <fmt/format.h>

#include <set>

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

Result generate(const std::vector<Environment>& envs, const Options& opts) {
  Result r;
  if (envs.empty()) return r;
  std::string chart = kubernetes::k8s_name(opts.platform);
  if (chart.empty()) {
    r.errors.push_back(fmt::format("helm: `{}` cannot be a chart name", opts.platform));
    return r;
  }
  std::vector<YamlNode> values;
  for (const auto& e : envs) values.push_back(values_of(e, r.errors));
  if (!r.errors.empty()) return r;
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
  r.files.push_back({dir + "Chart.yaml", emit::to_yaml_stream({c}, header(opts))});

  std::string intro =
      header(opts) +
      fmt::format(
          "# The values of environment `{}`. values-<environment>.yaml holds what each environment changes:\n"
          "#   helm upgrade --install {}-<environment> helm/{} -n {}-<environment> -f "
          "helm/{}/values-<environment>.yaml\n"
          "# values.schema.json says what each value may be.\n",
          envs.front().name, chart, chart, chart, chart);
  r.files.push_back({dir + "values.yaml", emit::to_yaml_stream({base}, intro)});
  for (std::size_t k = 0; k < envs.size(); ++k) {
    YamlNode d = values_diff(base, values[k]);
    std::string h =
        header(opts) + fmt::format("# Environment `{}`: only what differs from values.yaml.\n", envs[k].name);
    r.files.push_back(
        {dir + "values-" + envs[k].name + ".yaml", d.empty() ? h + "{}\n" : emit::to_yaml_stream({d}, h)});
  }
  for (const auto& f : embedded_helm()) r.files.push_back({dir + std::string(f.name), std::string(f.content)});
  return r;
}

}  // namespace platc::helm
