// Environments that would become one deployment: `prod_eu` and `prod-eu` (or `Prod` and `prod`)
// are two environments to the language and one namespace, one Helm release and one
// `<platform>-<environment>` prefix of every cloud name to the targets. Building both would let
// one overwrite the other's objects in the cluster, silently: the contract refuses it.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "backends/contract/cloud_names.h"
#include "backends/contract/names.h"
#include "compiler/support/names.h"

namespace platc::contract {

void check_environments(const graph::Graph& g, Diagnostics& diags) {
  std::vector<const graph::Node*> envs;
  for (const auto& n : g.nodes)
    if (n.kind == "environment" && !n.name.empty()) envs.push_back(&n);
  // In the order they were written: the second of two that clash is the one reported.
  std::stable_sort(envs.begin(), envs.end(), [](const graph::Node* a, const graph::Node* b) {
    const SourceRange &x = a->name_range(), &y = b->name_range();
    return std::tie(x.file, x.line, x.col) < std::tie(y.file, y.line, y.col);
  });
  std::map<std::string, const graph::Node*> seen;  // the deployment's prefix -> the first environment
  for (const graph::Node* e : envs) {
    std::string prefix = k8s_spelling(g.platform + "-" + e->name);
    auto [it, fresh] = seen.emplace(prefix, e);
    if (fresh) continue;
    diags.report(DiagKind::EnvironmentsClash, e->name_range(), it->second->name, e->name, prefix)
        .label(fmt::format("environment `{}` becomes `{}`", e->name, prefix))
        .also(it->second->name_range(), fmt::format("and so does environment `{}`", it->second->name))
        .note(
            "every environment is deployed as `<platform>-<environment>` in Kubernetes spelling (lower case, `_` "
            "as `-`): its namespace, its Helm release and the first part of its cloud resources' names")
        .with_help("rename one of the environments");
  }
}

}  // namespace platc::contract
