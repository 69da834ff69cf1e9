// The backend's entry: the lint workflow for every platform, the delivery workflow for a platform
// with a `pipeline` block, and the README, under `.github/workflows/`.
#include "backends/github/github.h"

#include "backends/emit/yaml_writer.h"
#include "backends/github/model.h"
#include "backends/github/workflows.h"

namespace platc::github {

namespace {

std::string header(const std::vector<std::string>& sources) {
  return emit::generated_header(sources);
}

class GithubBackend final : public backends::Backend {
 public:
  std::string_view name() const override { return "github"; }
  std::string_view summary() const override {
    return "GitHub Actions workflows: .github/workflows/ (lint; build, scan, deploy, roll back)";
  }
  bool applies_to(const std::vector<std::string>&) const override { return true; }
  void check(const graph::Graph&, Diagnostics&) const override {}
  void generate(const backends::Input& in, std::vector<backends::File>& out, Diagnostics&) const override {
    if (in.environments.empty()) return;
    const graph::Graph& g = *in.environments.front();
    std::optional<Pipeline> p = read_pipeline(in.environments);
    std::vector<std::string> sources;
    for (const auto& n : g.nodes)
      if (n.kind == "pipeline" && in.source_name) sources.push_back(in.source_name(n.where));
    const std::string dir = ".github/workflows/";
    out.push_back({dir + "platc-check.yml", emit::to_yaml_stream({lint_workflow(p, g.target)}, header({}))});
    if (p && p->missing.empty() && !p->environments.empty())
      out.push_back({dir + "platc-delivery.yml", emit::to_yaml_stream({delivery_workflow(*p)}, header(sources))});
    out.push_back({dir + "README.md", readme(p, g.platform, g.target)});
  }
};

}  // namespace

const backends::Backend& backend() {
  static const GithubBackend b;
  return b;
}

}  // namespace platc::github
